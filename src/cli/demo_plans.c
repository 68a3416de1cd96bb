/* demo_plans.c — demo data of the five seed plans with their targets and observations (issue 5).
 * Called by demo_load inside its transaction (cli/demo.h).
 *
 * Loads the plans of data/plans, marks the 丽水 plan public (its progress page), and
 * generates demo values (deterministic, source "演示数据") for every target whose
 * indicator is reported (or computed from records the platform does not hold): a yearly
 * path from a start value towards a fraction of the target, so that the cockpit shows
 * targets achieved, on track, at risk and off track. Most values are verified by the
 * city; the last year of a few 丽水 county values is left submitted (the verification
 * queue). Computed indicators get nothing here: they come from the module demos'
 * certificates, enterprise years, demands and contracts. */
#include "cli/demo.h"
#include "core/log.h"
#include "core/timeutil.h"
#include "db/db.h"
#include "domain/demo_gen.h"
#include "domain/plan_data.h"
#include "store/plan.h"
#include "store/plan_values.h"

#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEMO_PLANS_SEED 20241105u
#define DEMO_SOURCE "演示数据（非真实统计）"

/* One target to generate values for. */
struct gen_target {
    int64_t id, indicator_id;
    char region[7], chain[40], kind[10], basis[12], cmp[8];
    double tv, rate;
    bool lower, flow, has_tv, whole; /* whole: a count (家, 个, 项 …): integer values */
    int target_year, start_year, base_year, cumulative_from;
};

/* Inserts one demo value unless the cell already has a current one. */
static int put_value(struct db *db, const struct gen_target *t, int year, double v, bool verified)
{
    int64_t n = 0;
    int rc = db_scalar(db_query(db,
                                "SELECT count(*) FROM observations WHERE indicator_id=? AND "
                                "region_code=? AND chain=? AND year=?",
                                "issi", t->indicator_id, t->region, t->chain, (int64_t)year),
                       &n);
    if (rc || n)
        return rc;
    int64_t now = time_now();
    double rounded = t->whole ? round(v) : round(v * 100.0) / 100.0;
    return db_run(db_query(db,
                           "INSERT INTO observations(indicator_id,region_code,chain,year,revision,"
                           "is_current,value,comparator,source,status,submitted_at,verified_at,"
                           "created_at,updated_at) VALUES(?,?,?,?,1,?,?,'=',?,?,?,nullif(?,0),?,?)",
                           "issiidssiiii", t->indicator_id, t->region, t->chain, (int64_t)year,
                           (int64_t)(verified ? 1 : 0), rounded, DEMO_SOURCE,
                           verified ? "verified" : "submitted", now, verified ? now : (int64_t)0,
                           now, now));
}

/* Generates the yearly values of one target up to last_year. perf is the share of the
 * target the path reaches by the target year (≥ 1 on track, < 0.9 off track). */
static int gen_one(struct db *db, struct demo_rng *rng, const struct gen_target *t, int last_year,
                   bool leave_last_open)
{
    uint32_t pick = demo_rng_below(rng, 10);
    double perf = pick < 4   ? 1.05 + 0.1 * demo_rng_below(rng, 3)  /* on track or achieved */
                  : pick < 7 ? 0.91 + 0.02 * demo_rng_below(rng, 4) /* at risk */
                             : 0.6 + 0.05 * demo_rng_below(rng, 4); /* off track */
    int y0 = t->start_year, y1 = last_year < t->target_year ? last_year : t->target_year;
    if (y1 < y0)
        return 0;
    double goal = t->has_tv ? t->tv : 100.0;
    if (strcmp(t->kind, "growth") == 0)
        goal = 0; /* set from the base value below */
    bool cumulative = strcmp(t->basis, "cumulative") == 0;
    bool annual = !cumulative && t->flow;
    int span = t->target_year - y0 + (cumulative ? 1 : 0);
    if (span < 1)
        span = 1;
    double start = 0;
    if (strcmp(t->kind, "growth") == 0) {
        start = 50.0 + demo_rng_below(rng, 400);
        double n = strcmp(t->cmp, ">=") == 0 && t->target_year > t->base_year
                       ? t->target_year - t->base_year
                       : 1;
        goal = start * pow(1.0 + t->rate / 100.0, n);
    } else if (t->lower) {
        /* Lower is better: start above the target and come down. */
        start = goal > 0 ? goal * (1.6 + 0.1 * demo_rng_below(rng, 5)) : 4 + demo_rng_below(rng, 6);
    } else if (cumulative) {
        start = goal / span;
    } else {
        start = goal * (0.55 + 0.05 * demo_rng_below(rng, 4));
    }
    int rc = 0;
    for (int y = y0; rc == 0 && y <= y1; y++) {
        double f = (double)(y - y0) / (double)(t->target_year - y0 > 0 ? t->target_year - y0 : 1);
        double v;
        if (t->lower) {
            double end = goal > 0 ? goal / perf : (perf >= 1 ? 0 : start * (1 - perf));
            v = start + (end - start) * f;
        } else if (cumulative) {
            v = (goal * perf) / span * (0.9 + 0.05 * demo_rng_below(rng, 5));
        } else if (annual && strcmp(t->kind, "growth") != 0) {
            v = goal * perf * (0.8 + 0.2 * f) * (0.97 + 0.01 * demo_rng_below(rng, 7));
        } else {
            v = start + (goal * perf - start) * f;
            v *= 0.99 + 0.005 * demo_rng_below(rng, 5);
        }
        if (v < 0)
            v = 0;
        rc = put_value(db, t, y, v, !(leave_last_open && y == y1));
    }
    return rc;
}

/* Generates demo values for the reported targets of every plan. */
static int gen_values(struct db *db)
{
    char today[11];
    plan_today(today);
    int last = plan_date_year(today) - 1; /* statistics come after the year closes */
    struct demo_rng rng;
    demo_rng_seed(&rng, DEMO_PLANS_SEED);
    struct db_stmt *st = db_prep(
        db,
        "SELECT t.id, t.indicator_id, t.region_code, coalesce(t.chain,''), t.kind, "
        "coalesce(t.basis,''), t.comparator, t.target_value, coalesce(t.growth_rate_pct,0), "
        "i.direction, i.measure, t.target_year, coalesce(t.baseline_year, t.growth_base_year, "
        "t.cumulative_from, CAST(substr(p.period_start,1,4) AS INTEGER) - 1, t.target_year - 3), "
        "coalesce(t.growth_base_year,0), coalesce(t.cumulative_from,0), t.relative_to_id, i.unit "
        "FROM targets t JOIN indicators i ON i.id = t.indicator_id "
        "JOIN plans p ON p.id = t.plan_id ORDER BY t.id");
    if (!st)
        return KC_ERR_DB;
    struct gen_target *ts = NULL;
    size_t n = 0, cap = 0;
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        if (n == cap) {
            cap = cap ? cap * 2 : 128;
            struct gen_target *g = realloc(ts, cap * sizeof(*ts));
            if (!g)
                abort();
            ts = g;
        }
        struct gen_target *t = &ts[n++];
        memset(t, 0, sizeof(*t));
        t->id = db_col_int(st, 0);
        t->indicator_id = db_col_int(st, 1);
        snprintf(t->region, sizeof(t->region), "%s", db_col_text(st, 2));
        snprintf(t->chain, sizeof(t->chain), "%s", db_col_text(st, 3));
        snprintf(t->kind, sizeof(t->kind), "%s", db_col_text(st, 4));
        snprintf(t->basis, sizeof(t->basis), "%s", db_col_text(st, 5));
        snprintf(t->cmp, sizeof(t->cmp), "%s", db_col_text(st, 6));
        t->has_tv = db_col_type(st, 7) != DB_NULL;
        t->tv = db_col_double(st, 7);
        t->rate = db_col_double(st, 8);
        t->lower = strcmp(db_col_text(st, 9), "lower") == 0;
        t->flow = strcmp(db_col_text(st, 10), "flow") == 0;
        t->target_year = (int)db_col_int(st, 11);
        t->start_year = (int)db_col_int(st, 12);
        t->base_year = (int)db_col_int(st, 13);
        t->cumulative_from = (int)db_col_int(st, 14);
        const char *unit = db_col_text(st, 16);
        t->whole = strcmp(unit, "%") && strcmp(unit, "亿元") && strcmp(unit, "万元") &&
                   strcmp(unit, "万人") && strstr(unit, "/") == NULL;
        if (db_col_type(st, 15) != DB_NULL)
            snprintf(t->kind, sizeof(t->kind), "relative");
    }
    db_done(st);
    for (size_t i = 0; rc >= 0 && i < n; i++) {
        struct plan_indicator ind;
        rc = plan_indicator_load(db, ts[i].indicator_id, &ind);
        if (rc || ind.ready)
            continue; /* computed from records: the other demos feed it */
        if (strcmp(ts[i].kind, "relative") == 0) {
            /* 嘉兴: high-tech investment growth against overall investment growth. */
            struct gen_target other = ts[i];
            int64_t rel = 0;
            rc = db_scalar(
                db_query(db, "SELECT relative_to_id FROM targets WHERE id=?", "i", ts[i].id), &rel);
            other.indicator_id = rel;
            for (int y = ts[i].start_year; rc == 0 && y <= last && y <= ts[i].target_year; y++) {
                double base = 3.0 + demo_rng_below(&rng, 40) / 10.0;
                rc = put_value(db, &other, y, base, true);
                if (!rc)
                    rc = put_value(db, &ts[i], y, base + 1.5 - demo_rng_below(&rng, 20) / 10.0,
                                   true);
            }
            continue;
        }
        if (ts[i].start_year < 1990)
            ts[i].start_year = ts[i].target_year - 3;
        bool open = strncmp(ts[i].region, "3311", 4) == 0 && strcmp(ts[i].region, "331100") &&
                    demo_rng_below(&rng, 6) == 0;
        rc = gen_one(db, &rng, &ts[i], last, open);
    }
    free(ts);
    return rc < 0 ? rc : 0;
}

/* Loads the five seed plans of data/plans (embedded) and the demo values. */
int demo_plans(struct db *db)
{
    struct plan_set *set = NULL;
    int rc = plan_data_load_all(&set);
    if (rc)
        return rc;
    struct audit_ctx ctx = {0, "demo", "-"};
    int n = 0;
    rc = plan_seed_load(db, set, &ctx, &n);
    plan_data_free(set);
    if (!rc)
        rc = db_run(
            db_query(db, "UPDATE plans SET is_public = 1 WHERE code = ?", "s", "LS-2024-KJFN"));
    if (!rc)
        rc = gen_values(db);
    if (!rc) {
        char count[16];
        snprintf(count, sizeof(count), "%d", n);
        log_msg(LOG_INFO, "demo plans loaded", "plans", count, NULL);
    }
    return rc;
}
