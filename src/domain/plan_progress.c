/* plan_progress.c — progress, projection and status of a target (see plan_progress.h). */
#include "domain/plan_progress.h"

#include <math.h>
#include <string.h>

const char *plan_status_name(enum plan_status s)
{
    static const char *const names[] = {"no_data", "achieved", "on_track", "at_risk", "off_track"};
    return (unsigned)s < 5 ? names[s] : "no_data";
}

bool plan_cmp_parse(const char *s, enum plan_cmp *out)
{
    static const char *const names[] = {">=", ">", "<=", "<", "=", "between", "about"};
    for (int i = 0; s && i < 7; i++) {
        if (strcmp(s, names[i]) == 0) {
            *out = (enum plan_cmp)i;
            return true;
        }
    }
    return false;
}

/* The comparator an "about" or "=" goal is read as: a floor or a ceiling by direction. */
static enum plan_cmp effective_cmp(const struct plan_goal *g)
{
    if (g->cmp == PLAN_CMP_ABOUT || g->cmp == PLAN_CMP_EQ)
        return g->lower_better ? PLAN_CMP_LE : PLAN_CMP_GE;
    return g->cmp;
}

bool plan_goal_met(const struct plan_goal *g, double v)
{
    if (isnan(v) || isnan(g->value))
        return false;
    if (g->cmp == PLAN_CMP_ABOUT || g->cmp == PLAN_CMP_EQ) {
        /* 左右: within the tolerance counts, and so does beating it. */
        double tol = fabs(g->value) * PLAN_ABOUT_TOLERANCE_PCT / 100.0;
        return g->lower_better ? v <= g->value + tol : v >= g->value - tol;
    }
    switch (g->cmp) {
    case PLAN_CMP_GE:
        return v >= g->value;
    case PLAN_CMP_GT:
        return v > g->value;
    case PLAN_CMP_LE:
        return v <= g->value;
    case PLAN_CMP_LT:
        return v < g->value;
    case PLAN_CMP_BETWEEN:
        return v >= g->value && v <= g->value_max;
    default:
        return false;
    }
}

double plan_progress_pct(const struct plan_goal *g, double v)
{
    if (isnan(v) || isnan(g->value))
        return NAN;
    enum plan_cmp c = effective_cmp(g);
    double p;
    if (c == PLAN_CMP_BETWEEN) {
        if (v < g->value)
            p = g->value > 0 ? 100.0 * v / g->value : 0;
        else if (v > g->value_max)
            p = v > 0 ? 100.0 * g->value_max / v : 100.0;
        else
            p = 100.0;
    } else if (c == PLAN_CMP_GE || c == PLAN_CMP_GT) {
        if (g->value > 0)
            p = 100.0 * v / g->value;
        else
            p = plan_goal_met(g, v) ? 100.0 : 0.0;
    } else { /* lower is better */
        if (g->value > 0)
            p = v > 0 ? 100.0 * g->value / v : 100.0;
        else if (g->has_baseline && g->baseline > g->value)
            p = 100.0 * (g->baseline - v) / (g->baseline - g->value); /* 清零: share removed */
        else
            p = plan_goal_met(g, v) ? 100.0 : 0.0;
    }
    return p < 0 ? 0 : p;
}

bool plan_trend_fit(const struct plan_point *pts, size_t n, struct plan_trend *out)
{
    memset(out, 0, sizeof(*out));
    out->fit = PLAN_FIT_NONE;
    out->sse_compound = -1;
    if (n < 2)
        return false;
    int y0 = pts[0].year, y1 = pts[0].year;
    for (size_t i = 1; i < n; i++) {
        if (pts[i].year < y0)
            y0 = pts[i].year;
        if (pts[i].year > y1)
            y1 = pts[i].year;
    }
    if (y0 == y1)
        return false;
    out->year0 = y0;
    /* Ordinary least squares on x = year − y0. */
    double sx = 0, sy = 0, sxx = 0, sxy = 0, sl = 0, sxl = 0;
    bool positive = true;
    for (size_t i = 0; i < n; i++) {
        double x = pts[i].year - y0, y = pts[i].value;
        sx += x;
        sy += y;
        sxx += x * x;
        sxy += x * y;
        if (y > 0) {
            sl += log(y);
            sxl += x * log(y);
        } else {
            positive = false;
        }
    }
    double dn = (double)n, den = dn * sxx - sx * sx;
    double b = (dn * sxy - sx * sy) / den, a = (sy - b * sx) / dn;
    double sse_l = 0;
    for (size_t i = 0; i < n; i++) {
        double e = pts[i].value - (a + b * (pts[i].year - y0));
        sse_l += e * e;
    }
    out->sse_linear = sse_l;
    out->fit = PLAN_FIT_LINEAR;
    out->a = a;
    out->b = b;
    if (!positive)
        return true;
    double bl = (dn * sxl - sx * sl) / den, al = (sl - bl * sx) / dn;
    double ca = exp(al), cb = exp(bl), sse_c = 0;
    for (size_t i = 0; i < n; i++) {
        double e = pts[i].value - ca * pow(cb, pts[i].year - y0);
        sse_c += e * e;
    }
    out->sse_compound = sse_c;
    /* Ties (two points fit both exactly) keep the line: the simpler model. */
    double scale = 1e-9 * (1.0 + sse_l + sse_c);
    if (sse_c + scale < sse_l) {
        out->fit = PLAN_FIT_COMPOUND;
        out->a = ca;
        out->b = cb;
    }
    return true;
}

double plan_trend_at(const struct plan_trend *t, int year)
{
    switch (t->fit) {
    case PLAN_FIT_LINEAR:
        return t->a + t->b * (year - t->year0);
    case PLAN_FIT_COMPOUND:
        return t->a * pow(t->b, year - t->year0);
    default:
        return NAN;
    }
}

enum plan_status plan_status_decide(const struct plan_goal *g, const struct plan_status_in *in)
{
    if (!in->has_value || isnan(in->current) || isnan(g->value))
        return PLAN_NO_DATA;
    if (plan_goal_met(g, in->current))
        return PLAN_ACHIEVED;
    if (in->as_of_year > in->target_year)
        return PLAN_OFF_TRACK;
    enum plan_status s;
    if (in->has_projection && !isnan(in->projection)) {
        double p = plan_progress_pct(g, in->projection);
        if (plan_goal_met(g, in->projection) || p >= 100.0)
            s = PLAN_ON_TRACK;
        else if (p >= PLAN_AT_RISK_PCT)
            s = PLAN_AT_RISK;
        else
            s = PLAN_OFF_TRACK;
    } else {
        /* One point: compare progress with the share of the period elapsed. */
        double p = plan_progress_pct(g, in->current);
        int span = in->target_year - in->start_year;
        double expected =
            span > 0 ? 100.0 * (double)(in->as_of_year - in->start_year) / (double)span : 100.0;
        if (expected > 100.0)
            expected = 100.0;
        if (isnan(p))
            return PLAN_NO_DATA;
        if (p >= expected)
            s = PLAN_ON_TRACK;
        else if (p >= expected - 10.0)
            s = PLAN_AT_RISK;
        else
            s = PLAN_OFF_TRACK;
    }
    if (s == PLAN_ON_TRACK && in->milestone_missed)
        s = PLAN_AT_RISK;
    return s;
}
