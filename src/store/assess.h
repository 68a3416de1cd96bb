/*
 * assess.h (store) — assessment schemes, their versions, the values frozen at a
 * cut-off, and runs with their scores (schema 0010_assess.sql, rules in
 * docs/api-assess.md and domain/assess_score.h).
 *
 * Scope: a scheme or a run belongs to a city. It is visible to a user whose scope
 * contains the city, and to the officers of the city's counties (a county sees how it
 * is assessed and ranked); writes need the city inside the writer's scope. Out of scope
 * behaves as absent (KC_ERR_NOT_FOUND).
 */
#ifndef KC_STORE_ASSESS_H
#define KC_STORE_ASSESS_H

#include "core/err.h"
#include "domain/auth.h"
#include "store/audit.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

struct db;
struct db_stmt;

/* Who reads: the data scope and the user's own region (whose city's schemes and runs
 * are visible too). */
struct assess_viewer {
    struct scope scope; /* the user's data scope */
    char city[7];       /* the prefecture containing the user's region, "" for none */
};

/* The viewer for a user. */
void assess_viewer_for(const struct auth_user *u, struct assess_viewer *v);

/* A scheme's list filters; NULL / "" members do not filter. */
struct assess_scheme_filter {
    const char *region_code; /* exact city */
    const char *q;           /* substring of the name */
};

/* Prepares the scheme list (id, region_code, region_name, name, version, n_items,
 * n_runs, created_at, updated_at) ordered by sort_col (whitelisted) then id. */
struct db_stmt *assess_scheme_list(struct db *db, const struct assess_viewer *v,
                                   const struct assess_scheme_filter *f, const char *sort_col,
                                   bool desc, int64_t limit, int64_t offset);
/* Counts the schemes the same filters select. */
int assess_scheme_count(struct db *db, const struct assess_viewer *v,
                        const struct assess_scheme_filter *f, int64_t *n) KC_MUST_CHECK;
/* Loads a scheme with one version's items (version 0: the current one) and the list of
 * its versions: {id, region_code, region_name, name, version (current), shown_version,
 * note, items:[{seq, indicator_code, indicator_name, unit, direction, weight, rule,
 * cap_pct, floor_pct, min_pct}], versions:[{version, name, note, created_at,
 * created_by}]}. Returns 0, KC_ERR_NOT_FOUND (also for an unknown version) or KC_ERR_DB;
 * *out is a new reference. */
int assess_scheme_get(struct db *db, const struct assess_viewer *v, int64_t id, int version,
                      json_t **out) KC_MUST_CHECK;
/* True when the city (a prefecture code) is writable by a user of scope sc. */
bool assess_city_writable(const struct scope *sc, const char *city);
/* Inserts a scheme (version 1) for city with validated items (a JSON array of
 * {indicator_code, weight_centi, rule, cap_pct, floor_pct, min_pct}). KC_ERR_CONFLICT
 * when the city has a scheme of that name. */
int assess_scheme_insert(struct db *db, const char *city, const char *name, const char *note,
                         json_t *items, int64_t user_id, int64_t *id) KC_MUST_CHECK;
/* Adds version current+1 of scheme id with name and items (as for insert). */
int assess_scheme_new_version(struct db *db, int64_t id, const char *name, const char *note,
                              json_t *items, int64_t user_id, int *version) KC_MUST_CHECK;
/* True when an indicator with this code exists; *lower receives its direction. */
bool assess_indicator_exists(struct db *db, const char *code, bool *lower);

/* Runs scheme id (its version, 0 = current) for a year with values known on or before
 * cutoff (YYYY-MM-DD, end of day Beijing time): freezes the values and targets the
 * city's assessment of that year and cut-off does not have yet, scores every county of
 * the city and stores the run (rerun_of: the run it repeats, or 0). Runs inside the
 * caller's transaction. Returns 0, KC_ERR_NOT_FOUND or KC_ERR_DB. */
int assess_run_create(struct db *db, int64_t scheme_id, int version, int year, const char *cutoff,
                      int64_t rerun_of, int64_t user_id, int64_t *run_id) KC_MUST_CHECK;
/* A run's list filters. */
struct assess_run_filter {
    const char *region_code; /* exact city */
    int64_t scheme_id;       /* 0: all */
    int year;                /* 0: all */
};
/* Prepares the run list (id, scheme_id, scheme_name, version, region_code,
 * region_name, year, cutoff, rerun_of, n_counties, digest, created_at, created_by,
 * top_county, top_total). */
struct db_stmt *assess_run_list(struct db *db, const struct assess_viewer *v,
                                const struct assess_run_filter *f, const char *sort_col, bool desc,
                                int64_t limit, int64_t offset);
/* Counts the runs the same filters select. */
int assess_run_count(struct db *db, const struct assess_viewer *v,
                     const struct assess_run_filter *f, int64_t *n) KC_MUST_CHECK;
/* Loads a run: its header, items (with weight and rule), and counties in rank order
 * with their scores per item. *out is a new reference. */
int assess_run_get(struct db *db, const struct assess_viewer *v, int64_t id,
                   json_t **out) KC_MUST_CHECK;
/* Prepares the breakdown rows of a run for export: one per county and item (rank,
 * county_code, county_name, total, seq, indicator_name, unit, weight, rule, value,
 * target, achievement_pct, item_rank, score, note). The run must be visible (checked
 * by the caller with assess_run_get). */
struct db_stmt *assess_run_rows(struct db *db, int64_t id);
/* Renders the run's PDF report (title, scheme, ranking, bar chart of totals, score
 * history when earlier years were assessed with the same scheme, per-county
 * breakdown) from run (as loaded by assess_run_get); en selects English labels.
 * *pdf (malloc'd) and *len receive the file. Returns 0 or KC_ERR_IO / KC_ERR_DB. */
int assess_run_report(struct db *db, json_t *run, bool en, char **pdf, size_t *len) KC_MUST_CHECK;

#endif
