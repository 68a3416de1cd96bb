/* ladder_common.h — helpers shared by the ladder module's handlers (api/ladder_*.c). */
#ifndef KC_API_LADDER_COMMON_H
#define KC_API_LADDER_COMMON_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

struct http_req;
struct db;

/* Today's date in China (UTC+8) as YYYY-MM-DD. */
void ladder_today(char out[11]);
/* True when s is a strict, real YYYY-MM-DD date. */
bool ladder_date_ok(const char *s);
/* Replies status with the JSON value o (borrowed). */
void ladder_reply_json(struct http_req *r, int status, json_t *o);
/* Resolves path parameter 0 (a USCC) to an enterprise in the caller's scope; replies
 * 404 (or 500) and returns false otherwise. */
bool ladder_find_ent(struct http_req *r, struct db *db, int64_t *org_id);
/* Parses path parameter idx as a year; replies 404 and returns false when it is not one. */
bool ladder_year_param(struct http_req *r, int idx, int *year);
/* True when the caller is bound to one organisation (the enterprise role). */
bool ladder_is_org_user(const struct http_req *r);

#endif
