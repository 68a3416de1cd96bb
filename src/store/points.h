/*
 * points.h (store) — SQL of the ladder analytics (schema 0006_points.sql): the batch
 * loader that reads every enterprise of a region in one scan (for league tables, pools
 * and the funnel), the versions of the 创新积分 configuration, and the pool margin
 * settings per region.
 *
 * The scan gives, for each firm, exactly the rule record ent_record_load() (store/
 * enterprise.h) would give for the same evaluated year — same identity fields, same
 * current yearly rows, same has_valid_hnte on 31 December — from three queries for the
 * whole region instead of three per firm (test_points_store compares them).
 */
#ifndef KC_STORE_POINTS_H
#define KC_STORE_POINTS_H

#include "core/err.h"
#include "rules/rules.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

struct db;

/* ---------------------------------------------------------------- the region scan */

/* One 高新技术企业 certificate period (days since 1970, valid_to inclusive). */
struct scan_cert {
    int32_t from, to; /* issued_on, valid_to (INT32_MAX: no expiry) */
};

/* One enterprise of a scan. */
struct scan_firm {
    int64_t org_id;                /* orgs.id */
    char uscc[19];                 /* 统一社会信用代码 */
    char region_code[7];           /* orgs.region_code */
    char *name;                    /* enterprise name (owned by the scan) */
    struct rules_record id;        /* identity fields (years unset: see scan_record) */
    struct rules_year *years;      /* current yearly rows, ascending (into the scan) */
    int n_years;                   /* their count */
    struct scan_cert *hnte;        /* hnte certificate periods (into the scan) */
    int n_hnte;                    /* their count */
};

/* Every enterprise of a region, ordered by org id. */
struct ladder_scan {
    struct scan_firm *firms;  /* the firms */
    size_t n;                 /* their count */
    struct rules_year *years; /* storage of every yearly row */
    struct scan_cert *certs;  /* storage of every hnte period */
};

/* Loads every enterprise (orgs.kind = 'enterprise') whose region_code is in [lo, hi)
 * ("" / "~" for all) — and only org_id when org_id > 0 — with its current yearly rows up
 * to max_year (≤ 0: all). Returns 0 or KC_ERR_DB; free with ladder_scan_free. */
int ladder_scan_load(struct db *db, const char *lo, const char *hi, int64_t org_id, int max_year,
                     struct ladder_scan *out) KC_MUST_CHECK;
/* Frees a scan. */
void ladder_scan_free(struct ladder_scan *s);
/* The rule record of firm f for evaluating year (as ent_record_load(db, org, year)): the
 * yearly rows ≤ year (the latest RULES_MAX_YEARS), has_valid_hnte on 31 December of year.
 * Pointers refer to f and the scan. */
void scan_record(const struct scan_firm *f, int year, struct rules_record *out);
/* The latest year of f's rows that is ≤ max_year (≤ 0: any), or 0 when none. */
int scan_latest_year(const struct scan_firm *f, int max_year);
/* True when f has a current row for year. */
bool scan_has_year(const struct scan_firm *f, int year);
/* The latest year with a current row among enterprises in [lo, hi), or 0. */
int scan_max_year(struct db *db, const char *lo, const char *hi, int *out) KC_MUST_CHECK;

/* ---------------------------------------------------------------- 创新积分 configurations */

/* One stored configuration version. */
struct points_version {
    int64_t id;          /* points_configs.id, 0 for the shipped file */
    int version;         /* 1, 2, … per region; 0 for the shipped file */
    char region_code[7]; /* the region it applies to ("" for the shipped file) */
};

/* Loads the configuration in force for a firm in region_code: the newest version stored
 * for its prefecture, else its province, else 000000, else none (*found = false; the
 * caller uses the shipped file). *json is new (the stored text parsed). */
int points_config_effective(struct db *db, const char *region_code, bool *found,
                            struct points_version *v, json_t **json) KC_MUST_CHECK;
/* Loads version id: its row as JSON {id, region_code, region_name, version, note,
 * created_at, created_by, config} (*out new). KC_ERR_NOT_FOUND when absent. */
int points_config_get(struct db *db, int64_t id, json_t **out) KC_MUST_CHECK;
/* Inserts a new version for region_code (the next number) with the canonical config
 * text; *id and *version receive the new row. Run inside the caller's transaction. */
int points_config_insert(struct db *db, const char *region_code, const char *config_text,
                         const char *note, int64_t user_id, int64_t *id,
                         int *version) KC_MUST_CHECK;

/* ---------------------------------------------------------------- pool margins */

/* How near a failing firm must be to enter a cultivation pool. */
struct pool_margin {
    int max_failed;      /* failing conditions allowed (on the cheapest route) */
    int margin_pct;      /* a failing threshold within this % of its value */
    int score_margin;    /* a failing score within this many points of the mark */
    char from_region[7]; /* the region row it came from ("" = the built-in default) */
    char from_family[48];/* the family of that row ("*" = every family) */
};

/* Built-in defaults when no row applies. */
#define POOL_DEFAULT_MAX_FAILED 1
#define POOL_DEFAULT_MARGIN_PCT 10
#define POOL_DEFAULT_SCORE_MARGIN 5

/* The margin for a firm in region_code and a rule family: the most specific row (county,
 * prefecture, province, 000000; at each level the family's own row before "*"), else the
 * defaults. */
int pool_margin_for(struct db *db, const char *region_code, const char *family,
                    struct pool_margin *out) KC_MUST_CHECK;
/* Loads every margin row (region_code, family, …) into a cache used by pool_margin_lookup
 * (no query per firm). *rows is new: an array of objects. */
int pool_margin_rows(struct db *db, json_t **rows) KC_MUST_CHECK;
/* pool_margin_for over rows from pool_margin_rows. */
void pool_margin_lookup(json_t *rows, const char *region_code, const char *family,
                        struct pool_margin *out);
/* Inserts or replaces the row (region_code, family). */
int pool_margin_save(struct db *db, const char *region_code, const char *family, int max_failed,
                     int margin_pct, int score_margin, int64_t user_id) KC_MUST_CHECK;
/* Deletes the row (region_code, family); KC_ERR_NOT_FOUND when absent. */
int pool_margin_delete(struct db *db, const char *region_code, const char *family) KC_MUST_CHECK;
/* The row (region_code, family) as JSON, or *out NULL when absent. */
int pool_margin_get(struct db *db, const char *region_code, const char *family,
                    json_t **out) KC_MUST_CHECK;

#endif
