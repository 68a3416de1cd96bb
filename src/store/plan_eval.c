/* plan_eval.c (store) — the evaluation of a target: its effective target value, current
 * value, progress, projection and status as of a date (rules in docs/api-plans.md). */
#include "store/plan.h"
#include "core/timeutil.h"
#include "db/db.h"
#include "store/plan_values.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* Day of the year (1-based) and the year's length of a YYYY-MM-DD date. */
static void day_of_year(const char *date, int *doy, int *len)
{
    int64_t t = 0, t0 = 0;
    char jan1[32];
    int y = plan_date_year(date);
    snprintf(jan1, sizeof(jan1), "%04d-01-01", y);
    if (time_parse_date(date, &t) || time_parse_date(jan1, &t0)) {
        *doy = *len = 365;
        return;
    }
    *doy = (int)((t - t0) / 86400) + 1;
    *len = (y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)) ? 366 : 365;
}

/* The target row as the evaluation needs it. */
struct trow {
    int64_t id, indicator_id, relative_to_id;
    char region[7], chain[40], kind[10], basis[12], cmp[8], growth_mode[6], target_date[11];
    char plan_start[11];
    int cumulative_from, each_year_from, growth_base_year, target_year, baseline_year;
    bool has_tv, has_tv_max, has_rate, has_baseline;
    double tv, tv_max, rate_pct, baseline_value;
};

/* Copies column i as text into dst (empty for NULL). */
static void col_str(struct db_stmt *st, int i, char *dst, size_t cap)
{
    const char *s = db_col_text(st, i);
    snprintf(dst, cap, "%s", s ? s : "");
}

/* Loads target id (no scope check: callers check it). */
static int load_row(struct db *db, int64_t id, struct trow *t)
{
    memset(t, 0, sizeof(*t));
    struct db_stmt *st = db_query(
        db,
        "SELECT t.id, t.indicator_id, t.relative_to_id, t.region_code, t.chain, t.kind, t.basis, "
        "t.comparator, t.growth_mode, t.target_date, p.period_start, t.cumulative_from, "
        "t.each_year_from, t.growth_base_year, t.target_year, t.baseline_year, t.target_value, "
        "t.target_value_max, t.growth_rate_pct, t.baseline_value "
        "FROM targets t JOIN plans p ON p.id = t.plan_id WHERE t.id = ?",
        "i", id);
    if (!st)
        return KC_ERR_DB;
    int rc = db_step(st);
    if (rc == DB_ROW) {
        t->id = db_col_int(st, 0);
        t->indicator_id = db_col_int(st, 1);
        t->relative_to_id = db_col_int(st, 2);
        col_str(st, 3, t->region, sizeof(t->region));
        col_str(st, 4, t->chain, sizeof(t->chain));
        col_str(st, 5, t->kind, sizeof(t->kind));
        col_str(st, 6, t->basis, sizeof(t->basis));
        col_str(st, 7, t->cmp, sizeof(t->cmp));
        col_str(st, 8, t->growth_mode, sizeof(t->growth_mode));
        col_str(st, 9, t->target_date, sizeof(t->target_date));
        col_str(st, 10, t->plan_start, sizeof(t->plan_start));
        t->cumulative_from = (int)db_col_int(st, 11);
        t->each_year_from = (int)db_col_int(st, 12);
        t->growth_base_year = (int)db_col_int(st, 13);
        t->target_year = (int)db_col_int(st, 14);
        t->baseline_year = (int)db_col_int(st, 15);
        t->has_tv = db_col_type(st, 16) != DB_NULL;
        t->tv = db_col_double(st, 16);
        t->has_tv_max = db_col_type(st, 17) != DB_NULL;
        t->tv_max = db_col_double(st, 17);
        t->has_rate = db_col_type(st, 18) != DB_NULL;
        t->rate_pct = db_col_double(st, 18);
        t->has_baseline = db_col_type(st, 19) != DB_NULL;
        t->baseline_value = db_col_double(st, 19);
    }
    db_done(st);
    if (rc < 0)
        return rc;
    return rc == DB_ROW ? 0 : KC_ERR_NOT_FOUND;
}

/* Sum of the present values of s[0..] for the years from..to (of the series starting at
 * y0); false when a year has no value. */
static bool sum_years(const struct plan_value *s, int y0, int from, int to, double *out)
{
    double sum = 0;
    for (int y = from; y <= to; y++) {
        if (y < y0 || !s[y - y0].present)
            return false;
        sum += s[y - y0].value;
    }
    *out = sum;
    return true;
}

int plan_target_eval(struct db *db, int64_t target_id, const char *as_of,
                     struct plan_target_eval *out)
{
    memset(out, 0, sizeof(*out));
    out->target_value = out->baseline_value = out->current_value = NAN;
    out->progress = out->projection = NAN;
    char today[11];
    if (!as_of) {
        plan_today(today);
        as_of = today;
    }
    struct trow t;
    int rc = load_row(db, target_id, &t);
    if (rc)
        return rc;
    out->id = t.id;
    struct plan_indicator ind;
    rc = plan_indicator_load(db, t.indicator_id, &ind);
    if (rc)
        return rc;
    int A = plan_date_year(as_of);
    bool each = t.each_year_from && A >= t.each_year_from && A <= t.target_year;
    int T = each ? A : t.target_year; /* the year this evaluation is due */
    int E = A < T ? A : T;            /* the last year looked at */
    /* The series: ten years up to E. */
    int y0 = E - PLAN_VALUE_YEARS + 1;
    struct plan_value s[PLAN_VALUE_YEARS];
    rc = plan_values_series(db, &ind, t.region, t.chain, y0, E, s);
    if (rc)
        return rc;
    /* A target repeated every year is judged on the running year once it has a value,
     * until then on the year before (a finished year). */
    if (each && !s[A - y0].present && A - 1 >= t.each_year_from) {
        T = E = A - 1;
        memmove(s + 1, s, sizeof(s) - sizeof(s[0]));
        y0 = E - PLAN_VALUE_YEARS + 1;
        rc = plan_values_series(db, &ind, t.region, t.chain, y0, y0, s);
        if (rc)
            return rc;
    }
    out->as_of_year = A;
    out->due_year = T;
    /* The first year the trend uses: the baseline, growth base, cumulative start or the
     * year before the plan started; at most the last five years before E otherwise. */
    int start = 0;
    if (t.baseline_year)
        start = t.baseline_year;
    else if (t.growth_base_year)
        start = t.growth_base_year;
    else if (t.cumulative_from)
        start = t.cumulative_from - 1;
    else if (plan_date_year(t.plan_start))
        start = plan_date_year(t.plan_start) - 1;
    else
        start = E - 4;
    if (start < y0)
        start = y0;
    if (start > E)
        start = E;
    bool flow = strcmp(ind.measure, "flow") == 0;
    bool cumulative = strcmp(t.basis, "cumulative") == 0;
    bool annual = strcmp(t.basis, "annual") == 0 || (flow && !cumulative);
    int doy = 365, ylen = 365;
    day_of_year(as_of, &doy, &ylen);
    double frac = (double)doy / (double)ylen; /* share of the as-of year elapsed */

    /* The goal. */
    struct plan_goal g = {0};
    if (!plan_cmp_parse(t.cmp, &g.cmp))
        g.cmp = PLAN_CMP_GE;
    g.lower_better = ind.lower_better;
    g.value = t.has_tv ? t.tv : NAN;
    g.value_max = t.has_tv_max ? t.tv_max : NAN;
    if (t.has_baseline) {
        out->has_baseline = true;
        out->baseline_year = t.baseline_year;
        out->baseline_value = t.baseline_value;
    }
    if (strcmp(t.kind, "growth") == 0) {
        int by = t.growth_base_year;
        g.value = NAN;
        if (by >= y0 && by <= E && s[by - y0].present && t.has_rate) {
            double b = s[by - y0].value, r = t.rate_pct / 100.0;
            int n = strcmp(t.growth_mode, "cagr") == 0 ? t.target_year - by : 1;
            g.value = b * pow(1.0 + r, n);
            out->has_baseline = true;
            out->baseline_year = by;
            out->baseline_value = b;
        }
    } else if (strcmp(t.kind, "relative") == 0) {
        struct plan_indicator other;
        struct plan_value o[1];
        g.value = NAN;
        if (t.relative_to_id && plan_indicator_load(db, t.relative_to_id, &other) == 0 &&
            plan_values_series(db, &other, t.region, t.chain, E, E, o) == 0 && o[0].present)
            g.value = o[0].value;
    }
    out->target_value = g.value;
    out->has_target_value = !isnan(g.value);
    if (out->has_baseline) {
        g.has_baseline = true;
        g.baseline = out->baseline_value;
    } else {
        for (int y = start; y <= E; y++) {
            if (s[y - y0].present) {
                g.has_baseline = true;
                g.baseline = s[y - y0].value;
                break;
            }
        }
    }

    /* The current value: for a cumulative target the sum from cumulative_from through the
     * latest year with a value (every year between known); for an annual target whose year
     * is over that year's flow; otherwise the latest value up to E. */
    double cur = NAN;
    int cur_year = 0, cum_from = t.cumulative_from ? t.cumulative_from : start + 1;
    if (cumulative) {
        int last = 0;
        for (int y = E; y >= cum_from && y >= y0 && !last; y--)
            if (s[y - y0].present)
                last = y;
        double sum;
        if (last && sum_years(s, y0, cum_from, last, &sum)) {
            cur = sum;
            cur_year = last;
        }
    } else if (annual && A > T) {
        if (s[T - y0].present) {
            cur = s[T - y0].value;
            cur_year = T;
        }
    } else {
        for (int y = E; y >= start && y >= y0; y--) {
            if (s[y - y0].present) {
                cur = s[y - y0].value;
                cur_year = y;
                break;
            }
        }
    }
    /* A target due on a date finer than its year reads the value on that date. */
    if (t.target_date[0] && ind.ready && strcmp(as_of, t.target_date) >= 0 && !cumulative) {
        int64_t total = 0, num = 0, den = 0;
        struct db_stmt *st =
            plan_values_drill(db, &ind, t.region, t.chain, plan_date_year(t.target_date),
                              t.target_date, 0, 0, &total, &num, &den);
        if (st) {
            db_done(st);
            cur = plan_value_of(&ind.spec, num, den);
            cur_year = plan_date_year(t.target_date);
        }
    }
    out->has_current = !isnan(cur);
    out->current_value = cur;
    out->current_year = cur_year;
    out->progress = plan_progress_pct(&g, cur);

    /* The trend: yearly points from start to E; a flow in the running year counts at its
     * annual rate (at least a quarter of the year elapsed, else it is left out). */
    struct plan_point pts[PLAN_VALUE_YEARS];
    size_t np = 0;
    for (int y = start; y <= E; y++) {
        if (!s[y - y0].present)
            continue;
        double v = s[y - y0].value;
        if (flow && y == A) {
            if (frac < 0.25)
                continue;
            v /= frac;
        }
        pts[np].year = y;
        pts[np].value = v;
        np++;
    }
    struct plan_trend tr;
    bool fitted = plan_trend_fit(pts, np, &tr);
    double proj = NAN;
    if (strcmp(t.kind, "relative") == 0) {
        proj = NAN; /* compared year by year with another indicator: not projected */
    } else if (!out->has_current) {
        proj = NAN;
    } else if (A > T || (cur_year == T && !(flow && T == A))) {
        proj = cur; /* the year is over (or its level is known): the value itself */
    } else if (cumulative) {
        /* Known years, the running year at its annual rate, later years on the trend. */
        double sum = cur;
        bool ok = true;
        for (int y = cur_year + 1; y <= T && ok; y++) {
            if (fitted) {
                double v = plan_trend_at(&tr, y);
                sum += v > 0 ? v : 0;
            } else {
                ok = false;
            }
        }
        if (ok && cur_year == A && flow && frac >= 0.25)
            sum += s[A - y0].value / frac - s[A - y0].value; /* the rest of the running year */
        if (ok)
            proj = sum;
    } else if (annual && cur_year == A && T == A) {
        proj = frac >= 0.25 ? cur / frac : (fitted ? plan_trend_at(&tr, T) : NAN);
    } else if (fitted) {
        proj = plan_trend_at(&tr, T);
    }
    if (!isnan(proj) && proj < 0 && !g.lower_better)
        proj = 0;
    out->projection = proj;
    out->has_projection = !isnan(proj);
    out->fit = isnan(proj) ? PLAN_FIT_NONE : (fitted ? tr.fit : PLAN_FIT_NONE);
    out->n_points = (int)np;
    out->trend = tr;

    /* Milestones whose year is over. */
    struct db_stmt *st = db_query(db,
                                  "SELECT year, comparator, value FROM target_milestones "
                                  "WHERE target_id=? AND year < ? ORDER BY year",
                                  "ii", t.id, (int64_t)A);
    while (st && db_step(st) == DB_ROW) {
        int my = (int)db_col_int(st, 0);
        struct plan_goal mg = g;
        if (db_col_text(st, 1))
            (void)plan_cmp_parse(db_col_text(st, 1), &mg.cmp);
        mg.value = db_col_double(st, 2);
        double mv = NAN;
        if (my >= y0 && my <= E) {
            if (cumulative) {
                double sum;
                if (sum_years(s, y0, cum_from, my, &sum))
                    mv = sum;
            } else if (s[my - y0].present) {
                mv = s[my - y0].value;
            }
        }
        if (!plan_goal_met(&mg, mv))
            out->milestone_missed = true;
    }
    if (st)
        db_done(st);

    struct plan_status_in in = {
        .has_value = out->has_current,
        .current = cur,
        .has_projection = out->has_projection,
        .projection = proj,
        .as_of_year = A,
        .target_year = T,
        .milestone_missed = out->milestone_missed,
        .start_year = out->has_baseline ? out->baseline_year : start,
    };
    out->status = plan_status_decide(&g, &in);
    return 0;
}
