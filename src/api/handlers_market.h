/* handlers_market.h — HTTP handlers of module 3 — technology market (issue 4):
 * demands, achievements, experts, matching, the public pages' routes. */
#ifndef KC_API_HANDLERS_MARKET_H
#define KC_API_HANDLERS_MARKET_H

struct db;
struct http_req;

/* demand.c */
int api_demands_list(struct http_req *r);
int api_demands_export(struct http_req *r);
int api_demands_get(struct http_req *r);
int api_demands_create(struct http_req *r);
int api_demands_patch(struct http_req *r);
int api_demands_status(struct http_req *r);
int api_demands_delete(struct http_req *r);
int api_demands_quality(struct http_req *r);
int api_demands_matches(struct http_req *r);
int api_pub_demands_list(struct http_req *r);
int api_pub_demands_get(struct http_req *r);

/* market_batch.c */
int api_demands_batch_matches(struct http_req *r);
int api_demands_batch_matches_export(struct http_req *r);

/* achievement_job.c */
/* Registers the runner of large achievement imports with the job runner (serve). */
void api_achievement_jobs_register(void);
/* Queues the upload of r as an achievement import job and replies 202 with the job. */
void api_achievement_import_job(struct http_req *r, struct db *db, const char *format);

/* achievement.c */
int api_achievements_list(struct http_req *r);
int api_achievements_export(struct http_req *r);
int api_achievements_get(struct http_req *r);
int api_achievements_create(struct http_req *r);
int api_achievements_patch(struct http_req *r);
int api_achievements_delete(struct http_req *r);
int api_achievements_import(struct http_req *r);
int api_achievements_matches(struct http_req *r);
int api_pub_achievements_list(struct http_req *r);
int api_pub_achievements_get(struct http_req *r);

/* expert.c */
int api_experts_list(struct http_req *r);
int api_experts_get(struct http_req *r);
int api_experts_create(struct http_req *r);
int api_experts_patch(struct http_req *r);
int api_experts_delete(struct http_req *r);
int api_pub_market_dicts(struct http_req *r);

#endif
