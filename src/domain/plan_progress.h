/*
 * plan_progress.h — progress, projection and status of a target (pure arithmetic: no
 * database, no allocation). The rules and thresholds are documented in docs/api-plans.md
 * ("Progress, projection, status"); tests/unit/test_plan_progress.c checks their edges.
 */
#ifndef KC_DOMAIN_PLAN_PROGRESS_H
#define KC_DOMAIN_PLAN_PROGRESS_H

#include <stdbool.h>
#include <stddef.h>

/* Status of a target, in the API's spelling (plan_status_name). */
enum plan_status {
    PLAN_NO_DATA,  /* "no_data": no value yet, or the target value is unknown */
    PLAN_ACHIEVED, /* "achieved": the value meets the target */
    PLAN_ON_TRACK, /* "on_track": projected to meet it by the target year */
    PLAN_AT_RISK,  /* "at_risk": projected to reach 90–100 % of it, or a milestone missed */
    PLAN_OFF_TRACK /* "off_track": projected below 90 %, or the target year is over */
};

/* How a value is compared with a target (the plan files' comparators). */
enum plan_cmp {
    PLAN_CMP_GE,      /* ">=" */
    PLAN_CMP_GT,      /* ">" */
    PLAN_CMP_LE,      /* "<=" */
    PLAN_CMP_LT,      /* "<" */
    PLAN_CMP_EQ,      /* "=": treated as "about" */
    PLAN_CMP_BETWEEN, /* "between": value ≤ v ≤ value_max */
    PLAN_CMP_ABOUT    /* "about" (左右): treated as ">=" (higher) or "<=" (lower) */
};

/* The percentage of the target value within which "about" counts as met (左右). */
#define PLAN_ABOUT_TOLERANCE_PCT 5.0
/* Projected progress at or above this (and below 100 %) is at risk; below it off track. */
#define PLAN_AT_RISK_PCT 90.0

/* A goal: what the value must satisfy. */
struct plan_goal {
    enum plan_cmp cmp; /* comparator */
    double value;      /* target value (the lower end for between) */
    double value_max;  /* between: the upper end */
    bool lower_better; /* the indicator's direction is "lower" */
    bool has_baseline; /* a baseline value is known (used by 清零 targets) */
    double baseline;   /* that value */
};

/* One observed yearly value. */
struct plan_point {
    int year;     /* calendar year */
    double value; /* value in the indicator's unit */
};

/* Which curve a projection follows. */
enum plan_fit {
    PLAN_FIT_NONE,    /* fewer than two points: insufficient data */
    PLAN_FIT_LINEAR,  /* least squares line value = a + b·(year − first year) */
    PLAN_FIT_COMPOUND /* least squares on ln(value): value = a·(1 + g)^(year − first year) */
};

/* A fitted trend. */
struct plan_trend {
    enum plan_fit fit;   /* the curve chosen (the smaller squared error; linear on ties) */
    double a;            /* linear: intercept; compound: value at the first year */
    double b;            /* linear: slope per year; compound: growth factor 1 + g */
    int year0;           /* the first year of the points */
    double sse_linear;   /* squared error of the line over the points */
    double sse_compound; /* squared error of the compound curve (in value space), or -1 when
                            a value is ≤ 0 and the curve cannot be fitted */
};

/* The API spelling of a status ("on_track" …). */
const char *plan_status_name(enum plan_status s);
/* Parses a comparator spelling (">=", "between", …); false when unknown. */
bool plan_cmp_parse(const char *s, enum plan_cmp *out);

/* True when v meets the goal. */
bool plan_goal_met(const struct plan_goal *g, double v);
/* Direction-aware achievement of v against the goal in percent (≥ 0, may exceed 100):
 * higher-is-better v / target; lower-is-better target / v, or for a target of 0 (清零)
 * the share of the baseline removed; between: 100 inside the range. Returns NAN when it
 * cannot be computed (no usable target). Documented in docs/api-plans.md. */
double plan_progress_pct(const struct plan_goal *g, double v);

/* Fits the points (distinct years, any order) with a line and, when every value is > 0,
 * a compound-growth curve, and keeps the better fit. Returns false (fit NONE) with fewer
 * than two distinct years. */
bool plan_trend_fit(const struct plan_point *pts, size_t n, struct plan_trend *out);
/* The trend's value in year. */
double plan_trend_at(const struct plan_trend *t, int year);

/* What the status decision needs. */
struct plan_status_in {
    bool has_value;        /* a current value exists */
    double current;        /* the value compared with the goal (level, year's flow, sum) */
    bool has_projection;   /* a projection to the target year exists */
    double projection;     /* the projected value at the target year */
    int as_of_year;        /* the evaluation year */
    int target_year;       /* the year the target is due */
    bool milestone_missed; /* a milestone whose year is over was not met */
    int start_year;        /* the year progress is counted from (baseline or plan start) */
};
/* The status of a target: no_data without a value (or with a NAN goal value); achieved
 * when the current value meets the goal; off_track when the target year is over;
 * otherwise from the projected progress (≥ 100 % on track, ≥ 90 % at risk, else off
 * track) or, without a projection, from the current progress against the share of the
 * period elapsed (at risk within 10 points below it). A missed milestone turns on track
 * into at risk. */
enum plan_status plan_status_decide(const struct plan_goal *g, const struct plan_status_in *in);

#endif
