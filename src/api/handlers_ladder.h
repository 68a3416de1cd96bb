/* handlers_ladder.h — HTTP handlers of module 2 — enterprises and the cultivation ladder (issue 3). */
#ifndef KC_API_HANDLERS_LADDER_H
#define KC_API_HANDLERS_LADDER_H

struct http_req;

/* /api/v1/enterprises (api/ladder_ent.c) */
int api_ent_list(struct http_req *r);
int api_ent_export(struct http_req *r);
int api_ent_create(struct http_req *r);
int api_ent_get(struct http_req *r);
int api_ent_patch(struct http_req *r);

/* /api/v1/enterprises/{uscc}/years (api/ladder_year.c) */
int api_ent_years_list(struct http_req *r);
int api_ent_years_create(struct http_req *r);
int api_ent_year_get(struct http_req *r);
int api_ent_year_patch(struct http_req *r);
int api_ent_year_submit(struct http_req *r);
int api_ent_year_verify(struct http_req *r);
int api_ent_year_revise(struct http_req *r);
int api_ent_year_history(struct http_req *r);

/* /api/v1/enterprises/{uscc}/assessments and /api/v1/rules (api/ladder_assess.c) */
int api_ent_assessments(struct http_req *r);
int api_rule_sets_list(struct http_req *r);

/* /api/v1/certifications (api/ladder_cert.c) */
int api_cert_list(struct http_req *r);
int api_cert_export(struct http_req *r);
int api_cert_kinds(struct http_req *r);
int api_cert_get(struct http_req *r);
int api_cert_create(struct http_req *r);
int api_cert_patch(struct http_req *r);
int api_cert_delete(struct http_req *r);
int api_cert_verify(struct http_req *r);
int api_cert_reject(struct http_req *r);

#endif
