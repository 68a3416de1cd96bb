/* handlers_assess.h — HTTP handlers of module 7's supervision tickets (督查) and county
 * assessment (考核) (issue 5; routes in api/routes_assess.inc). */
#ifndef KC_API_HANDLERS_ASSESS_H
#define KC_API_HANDLERS_ASSESS_H

struct http_req;

/* api/assess.c — schemes, runs, exports and reports. */
int api_assess_schemes_list(struct http_req *r);
int api_assess_schemes_get(struct http_req *r);
int api_assess_schemes_create(struct http_req *r);
int api_assess_schemes_update(struct http_req *r);
int api_assess_indicators(struct http_req *r);
int api_assess_runs_list(struct http_req *r);
int api_assess_runs_create(struct http_req *r);
int api_assess_runs_get(struct http_req *r);
int api_assess_runs_rerun(struct http_req *r);
int api_assess_runs_export(struct http_req *r);
int api_assess_runs_report(struct http_req *r);

/* api/sup.c — supervision tickets. */
int api_tickets_list(struct http_req *r);
int api_tickets_export(struct http_req *r);
int api_tickets_summary(struct http_req *r);
int api_tickets_get(struct http_req *r);
int api_tickets_answer(struct http_req *r);
int api_tickets_file_upload(struct http_req *r);
int api_tickets_file_delete(struct http_req *r);
int api_ticket_file_get(struct http_req *r);
int api_tickets_close(struct http_req *r);
int api_tickets_escalate(struct http_req *r);
int api_tickets_create(struct http_req *r);
int api_tickets_sweep(struct http_req *r);

#endif
