/*
 * points_common.h — what the 创新积分, cultivation-pool and funnel handlers share: the
 * process-wide rule registry and shipped 创新积分 configuration, query parameters (region,
 * year, date), lists computed in memory (sorted, paged, replied in the API's list shape)
 * and their XLSX / CSV export through the generic export helpers.
 */
#ifndef KC_API_POINTS_COMMON_H
#define KC_API_POINTS_COMMON_H

#include "api/api.h"
#include "rules/points.h"
#include "rules/rules.h"

#include <jansson.h>
#include <stdbool.h>

/* The embedded rule sets, loaded once; NULL (logged) when one is invalid. */
const struct rules_registry *lp_rules(void);
/* The shipped 创新积分 configuration, parsed once; NULL (logged) when invalid. */
const struct pts_config *lp_points_shipped(void);

/* Reads ?name= as a year 1990–2100 into *out (0 when absent); replies 422 naming the
 * parameter and returns false when malformed. */
bool lp_year_param(struct http_req *r, const char *name, int *out);
/* Reads ?region_code= (a known region, aliases resolved) into code, defaulting to the
 * caller's own region; prefix receives its administrative prefix ("3304"). Replies 422
 * and returns false when unknown. */
bool lp_region_param(struct http_req *r, struct db *db, char code[7], char prefix[7]);
/* The intersection of the caller's scope with a region prefix as a range [lo, hi); both
 * empty strings when they do not meet. */
void lp_range(const struct scope *sc, const char *prefix, char lo[8], char hi[8]);
/* The level of a region code: 0 country, 1 province, 2 prefecture, 3 county. */
int lp_region_level(const char *code);
/* {code: name} of the regions under prefix (prefix "" = all). New reference. */
json_t *lp_region_names(struct db *db, const char *prefix);

/* Sorts an array of objects by key (numbers or strings; nulls last) then by tie_key
 * ascending. */
void lp_sort(json_t *rows, const char *key, bool desc, const char *tie_key);
/* Replies one page of rows as {"items","total","page","page_size"} plus the members of
 * extra (may be NULL). Takes neither reference. */
void lp_reply_page(struct http_req *r, json_t *rows, int64_t page, int64_t page_size,
                       json_t *extra);
/* Replies status with the JSON object o (reals written exactly); takes the reference. */
void lp_reply_json(struct http_req *r, int status, json_t *o);
/* Replies every row as XLSX (default) or CSV (?format=csv) through api_export_xlsx /
 * api_export_csv: cols are (key, Chinese header, English header) triples ended by NULL;
 * the keys are read from the row objects. basename gets ".xlsx" / ".csv". */
void lp_export(struct http_req *r, json_t *rows, const char *const *cols,
                   const char *sheet_zh, const char *sheet_en, const char *basename);
/* Points (1/10000) as a JSON number: an integer when whole, else a real with ≤ 4
 * decimals (written exactly with JSON_REAL_PRECISION(15)). New reference. */
json_t *lp_points_json(int64_t points);
/* Replies 422 invalid_value for ?format= other than xlsx/csv and returns false. */
bool lp_format_ok(struct http_req *r);

#endif
