/*
 * handlers.h — every route handler, for the route table (routes.c).
 */
#ifndef KC_HANDLERS_H
#define KC_HANDLERS_H

#include <stdint.h>

struct http_req;
struct db;

int api_healthz(struct http_req *r);
int api_metrics(struct http_req *r);
int api_openapi(struct http_req *r);

int api_session_create(struct http_req *r);
int api_session_get(struct http_req *r);
int api_session_delete(struct http_req *r);
int api_me_patch(struct http_req *r);
int api_me_password(struct http_req *r);
int api_me_summary(struct http_req *r);
int api_tokens_list(struct http_req *r);
int api_tokens_create(struct http_req *r);
int api_tokens_delete(struct http_req *r);

int api_regions_tree(struct http_req *r);
int api_regions_get(struct http_req *r);
int api_dicts_get(struct http_req *r);
int api_chains_list(struct http_req *r);
int api_chains_export(struct http_req *r);
int api_chains_create(struct http_req *r);
int api_chains_patch(struct http_req *r);
int api_chains_delete(struct http_req *r);

int api_orgs_list(struct http_req *r);
int api_orgs_export(struct http_req *r);
int api_orgs_get(struct http_req *r);
int api_orgs_create(struct http_req *r);
int api_orgs_patch(struct http_req *r);

int api_users_list(struct http_req *r);
int api_users_export(struct http_req *r);
int api_users_get(struct http_req *r);
int api_users_create(struct http_req *r);
int api_users_patch(struct http_req *r);
int api_users_password(struct http_req *r);

int api_audit_list(struct http_req *r);
int api_audit_export(struct http_req *r);
int api_audit_verify(struct http_req *r);

/* Hashes and stores a new password for user id (audited as r's user); keeps r's own
 * session when it is the same user. Returns 0 or a kc_err. */
int user_set_password(struct db *db, struct http_req *r, int64_t id, const char *password);

#endif
