/*
 * market_common.h — helpers shared by the market handlers (demand.c, achievement.c,
 * expert.c, market_match.c): problem replies, the organisation a record belongs to,
 * integer query parameters, the demand quality object.
 */
#ifndef KC_API_MARKET_COMMON_H
#define KC_API_MARKET_COMMON_H

#include "api/api.h"
#include "domain/market.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

/* Replies 422 for a rule problem; an indexed field ("indicators[2].target") is named
 * by its list ("indicators", the reply's field) and the message says which item. */
void mk_problem(struct http_req *r, const struct market_problem *p);
/* Resolves the organisation member key of record o for writing: organisation-bound
 * users may only name their own (absent → their own); other roles must name an
 * existing organisation (when required) whose region is in their scope (admins:
 * anywhere). Sets o[key] and writes the organisation's region to region[7] ("" when
 * none). Replies 422 and returns false on failure. */
bool mk_resolve_org(struct http_req *r, struct db *db, json_t *o, const char *key, bool required,
                    char region[7]);
/* Reads integer query parameter name in [min, max] (absent: *out = dflt). Replies 422
 * and returns false when malformed. */
bool mk_int_param(struct http_req *r, const char *name, int64_t min, int64_t max, int64_t dflt,
                  int64_t *out);
/* Reads a query parameter that must be one of list (absent: NULL). Replies 422 and
 * returns false otherwise. */
bool mk_list_param(struct http_req *r, const char *name, const char *const *list, const char **out);
/* The quality object {"score","publishable","missing":[{field,label,blocks_publishing}]}
 * (labels in the request's language); a new reference. */
json_t *mk_quality_json(struct http_req *r, const struct demand_quality *q);
/* Removes members of o (NULL-terminated key list). */
void mk_strip(json_t *o, const char *const *keys);
/* Writes the JSON object o raw under key (key NULL: as a value). */
void mk_write_json(struct jw *w, const char *key, json_t *o);

#endif
