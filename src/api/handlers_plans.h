/* handlers_plans.h — HTTP handlers of module 7/8 — plans, targets, assessment, cockpit (issue 5). */
#ifndef KC_API_HANDLERS_PLANS_H
#define KC_API_HANDLERS_PLANS_H

#include <stddef.h>
#include <stdint.h>

struct http_req;

/* Plans (api/plans.c). */
int api_plans_list(struct http_req *r);
int api_plans_get(struct http_req *r);
int api_plans_patch(struct http_req *r);
int api_plan_targets(struct http_req *r);
/* Targets. */
int api_targets_list(struct http_req *r);
int api_targets_get(struct http_req *r);
int api_targets_create(struct http_req *r);
int api_targets_patch(struct http_req *r);
int api_targets_delete(struct http_req *r);
/* Indicators, formulas, responsible units. */
int api_indicators_list(struct http_req *r);
int api_indicators_get(struct http_req *r);
int api_indicator_values(struct http_req *r);
int api_indicator_records(struct http_req *r);
int api_indicators_recompute(struct http_req *r);
int api_formulas_list(struct http_req *r);
int api_plan_units_list(struct http_req *r);
/* The cockpit and the public plan view. */
int api_cockpit(struct http_req *r);
int api_public_plans_list(struct http_req *r);
int api_public_plan_get(struct http_req *r);
/* Reported values (api/plans_obs.c). */
int api_obs_list(struct http_req *r);
int api_obs_get(struct http_req *r);
int api_obs_create(struct http_req *r);
int api_obs_patch(struct http_req *r);
int api_obs_verify(struct http_req *r);
int api_obs_reject(struct http_req *r);
int api_obs_file_upload(struct http_req *r);
int api_obs_file_get(struct http_req *r);

/* Checks an evidence upload (?name= and the body: size, type by content); returns its
 * MIME type and sets *name, or replies 4xx naming the field and returns NULL. */
const char *api_evidence_check(struct http_req *r, const char **name);
/* Replies with an evidence file (observations, tickets): its type, named
 * PREFIX-ID.EXT for an ASCII header; takes ownership of data, name and mime. */
void api_evidence_reply(struct http_req *r, const char *prefix, int64_t id, char *data,
                        size_t len, char *name, char *mime);

#endif
