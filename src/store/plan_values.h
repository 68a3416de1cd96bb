/*
 * plan_values.h (store) — computed indicator values: the evaluation engine of the
 * formulas of domain/plan_formula.h over the platform's records, the cache of computed
 * values (indicator_values) and its invalidation, the drill-down to the records behind
 * a value, and the yearly series of any indicator (computed or reported).
 *
 * Freshness (docs/api-plans.md "Computed values"): every write to a record table a
 * formula reads bumps that table's version in plan_sources (triggers). A computed
 * indicator's cached values carry the versions and the as-of day they were computed with;
 * a read that finds them stale recomputes every stale computed indicator first (one pass
 * over each record table serves all of them), inside one write transaction.
 * POST /api/v1/indicators/recompute forces it.
 */
#ifndef KC_STORE_PLAN_VALUES_H
#define KC_STORE_PLAN_VALUES_H

#include "core/err.h"
#include "domain/auth.h"
#include "domain/plan_formula.h"

#include <stdbool.h>
#include <stdint.h>

struct db;
struct db_stmt;
struct buf;
struct db_args;

/* Years computed: the ten years up to the as-of year. */
#define PLAN_VALUE_YEARS 10

/* Writes today's date in China (UTC+8) as YYYY-MM-DD into out[11]. */
void plan_today(char out[11]);
/* The year of a YYYY-MM-DD date (0 when malformed). */
int plan_date_year(const char *date);

/* True when the formula is implemented and every table it reads exists. */
bool plan_formula_ready(struct db *db, enum pf_id id);

/* Creates the version triggers (plan_sources) on the market and deal tables that exist
 * and lack them (demands, contracts, roadshows). Needs a write transaction when it
 * creates one; returns 0 or KC_ERR_DB. */
int plan_sources_install(struct db *db) KC_MUST_CHECK;

/* Receives one non-empty cell of the engine: indicator index (into the specs array),
 * region code (every level: county, city, province), chain code ("" for region scope),
 * year, the count or sum (numerator) and, for shares, the population (denominator). */
typedef void (*plan_value_sink)(void *ctx, size_t ind, const char *region, const char *chain,
                                int year, int64_t num, int64_t den);

/* Evaluates the formulas specs[0..n) for every region and chain and the years
 * year_from..year_to (≤ the as-of year; stocks on 31 December, the as-of date in the
 * as-of year) in one pass over each record table, and hands every non-empty cell to
 * sink. Formulas whose tables are missing produce nothing. Read-only. 0 or KC_ERR_DB. */
int plan_values_compute(struct db *db, const struct pf_spec *specs, size_t n, int year_from,
                        int year_to, const char *as_of, plan_value_sink sink,
                        void *ctx) KC_MUST_CHECK;
/* The value of a cell in the indicator's unit: the count, the sum converted from 分, or
 * 100·num/den for a share (NAN when den is 0). */
double plan_value_of(const struct pf_spec *s, int64_t num, int64_t den);

/* Recomputes the cached values of the computed indicators that are stale (all of them
 * with force) for the as-of date (NULL: today). The caller holds a write transaction.
 * *n_done (may be NULL) receives the number of indicators recomputed. */
int plan_values_refresh(struct db *db, const char *as_of, bool force, int *n_done) KC_MUST_CHECK;
/* Refreshes in its own transaction when some computed indicator is stale for today;
 * does nothing (no write) when everything is fresh. 0 or KC_ERR_DB. */
int plan_values_ensure(struct db *db) KC_MUST_CHECK;

/* One yearly value of a series. */
struct plan_value {
    int year;               /* the year */
    bool present;           /* a value exists */
    double value;           /* in the indicator's unit */
    int64_t numerator;      /* computed: count or sum in 分; reported: 0 */
    int64_t denominator;    /* computed shares: the population; else 0 */
    int64_t observation_id; /* reported: the verified observation, else 0 */
    char comparator[8];     /* reported: "=" or the stated comparator (">" for 突破) */
};

/* What an indicator is, as the value functions need it. */
struct plan_indicator {
    int64_t id;          /* indicators.id */
    char code[64];       /* code */
    char unit[32];       /* unit */
    bool lower_better;   /* direction lower */
    char measure[8];     /* stock | flow | rate */
    bool chain_scope;    /* scope chain */
    bool computed;       /* method computed */
    bool ready;          /* computed and its formula can run on this platform */
    struct pf_spec spec; /* computed: the formula */
};
/* Loads indicator id; 0, KC_ERR_NOT_FOUND or KC_ERR_DB. */
int plan_indicator_load(struct db *db, int64_t id, struct plan_indicator *out) KC_MUST_CHECK;

/* Fills out[0..y1-y0] with the values of the indicator for the region (and chain, ""
 * or NULL for none) in the years y0..y1: computed-ready indicators from the cache (call
 * plan_values_ensure first; a count or sum with no record is 0 from the first year the
 * indicator has any record anywhere), others from the current verified observations. */
int plan_values_series(struct db *db, const struct plan_indicator *ind, const char *region,
                       const char *chain, int y0, int y1, struct plan_value *out) KC_MUST_CHECK;

/* The statement listing the records behind the computed value of ind for a region
 * (and every region below it), chain ("" or NULL: none) and year, as of as_of (NULL: today)
 * — one row per record counted (for shares: the population, with a "meets" column) —
 * with limit/offset (limit < 0: all). *total receives the row count, *num and *den what
 * they add up to (the value's numerator and denominator). NULL on error or when the
 * formula is not ready. */
struct db_stmt *plan_values_drill(struct db *db, const struct plan_indicator *ind,
                                  const char *region, const char *chain, int year,
                                  const char *as_of, int64_t limit, int64_t offset, int64_t *total,
                                  int64_t *num, int64_t *den);

#endif
