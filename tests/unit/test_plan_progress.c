/* test_plan_progress.c — unit tests for domain/plan_progress: goals, direction-aware
 * progress, the choice between a linear and a compound-growth projection, and the status
 * thresholds at their edges. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>

#include "domain/plan_progress.h"

/* A higher-is-better ">=" goal of value v. */
static struct plan_goal ge(double v)
{
    struct plan_goal g = {PLAN_CMP_GE, v, NAN, false, false, 0};
    return g;
}

/* Comparators, "about" within 5 %, between, and unknown values. */
static void test_goal_met(void **state)
{
    (void)state;
    struct plan_goal g = ge(100);
    assert_true(plan_goal_met(&g, 100));
    assert_false(plan_goal_met(&g, 99.999));
    g.cmp = PLAN_CMP_GT;
    assert_false(plan_goal_met(&g, 100));
    assert_true(plan_goal_met(&g, 100.001));
    g.cmp = PLAN_CMP_ABOUT;
    assert_true(plan_goal_met(&g, 95));
    assert_false(plan_goal_met(&g, 94.99));
    struct plan_goal low = {PLAN_CMP_LE, 0, NAN, true, false, 0}; /* 清零 */
    assert_true(plan_goal_met(&low, 0));
    assert_false(plan_goal_met(&low, 1));
    struct plan_goal btw = {PLAN_CMP_BETWEEN, 5, 10, false, false, 0};
    assert_true(plan_goal_met(&btw, 5));
    assert_true(plan_goal_met(&btw, 10));
    assert_false(plan_goal_met(&btw, 10.5));
    assert_false(plan_goal_met(&g, NAN));
    struct plan_goal unknown = ge(NAN);
    assert_false(plan_goal_met(&unknown, 5));
}

/* Progress is v/target for higher, target/v for lower, the share removed for 清零. */
static void test_progress(void **state)
{
    (void)state;
    struct plan_goal g = ge(3000);
    assert_float_equal(plan_progress_pct(&g, 1500), 50.0, 1e-9);
    assert_float_equal(plan_progress_pct(&g, 3600), 120.0, 1e-9);
    assert_float_equal(plan_progress_pct(&g, -5), 0.0, 1e-9);
    struct plan_goal rank = {PLAN_CMP_LE, 40, NAN, true, false, 0}; /* 前40位 */
    assert_float_equal(plan_progress_pct(&rank, 50), 80.0, 1e-9);
    assert_float_equal(plan_progress_pct(&rank, 20), 200.0, 1e-9);
    struct plan_goal zero = {PLAN_CMP_LE, 0, NAN, true, true, 8}; /* 清零 from 8 */
    assert_float_equal(plan_progress_pct(&zero, 2), 75.0, 1e-9);
    assert_float_equal(plan_progress_pct(&zero, 0), 100.0, 1e-9);
    struct plan_goal zero_nb = {PLAN_CMP_LE, 0, NAN, true, false, 0};
    assert_float_equal(plan_progress_pct(&zero_nb, 3), 0.0, 1e-9);
    struct plan_goal btw = {PLAN_CMP_BETWEEN, 5, 10, false, false, 0};
    assert_float_equal(plan_progress_pct(&btw, 4), 80.0, 1e-9);
    assert_float_equal(plan_progress_pct(&btw, 7), 100.0, 1e-9);
    assert_true(isnan(plan_progress_pct(&g, NAN)));
}

/* A straight line chooses linear; a constant growth rate chooses compound; two points
 * fit both exactly and keep the line; fewer than two distinct years fit nothing. */
static void test_fit_choice(void **state)
{
    (void)state;
    struct plan_trend t;
    struct plan_point line[] = {{2021, 100}, {2022, 120}, {2023, 140}, {2024, 160}};
    assert_true(plan_trend_fit(line, 4, &t));
    assert_int_equal(t.fit, PLAN_FIT_LINEAR);
    assert_float_equal(plan_trend_at(&t, 2027), 220.0, 1e-6);
    struct plan_point growth[] = {{2021, 100}, {2022, 115}, {2023, 132.25}, {2024, 152.0875}};
    assert_true(plan_trend_fit(growth, 4, &t));
    assert_int_equal(t.fit, PLAN_FIT_COMPOUND);
    assert_float_equal(t.b, 1.15, 1e-9);
    assert_float_equal(plan_trend_at(&t, 2026), 100 * pow(1.15, 5), 1e-6);
    assert_true(t.sse_compound < t.sse_linear);
    struct plan_point two[] = {{2023, 10}, {2025, 30}};
    assert_true(plan_trend_fit(two, 2, &t));
    assert_int_equal(t.fit, PLAN_FIT_LINEAR);
    assert_float_equal(plan_trend_at(&t, 2026), 40.0, 1e-9);
    /* A zero value rules the compound curve out. */
    struct plan_point zero[] = {{2021, 0}, {2022, 5}, {2023, 20}};
    assert_true(plan_trend_fit(zero, 3, &t));
    assert_int_equal(t.fit, PLAN_FIT_LINEAR);
    assert_true(t.sse_compound < 0);
    struct plan_point one[] = {{2024, 7}};
    assert_false(plan_trend_fit(one, 1, &t));
    assert_int_equal(t.fit, PLAN_FIT_NONE);
    assert_true(isnan(plan_trend_at(&t, 2025)));
    struct plan_point same[] = {{2024, 7}, {2024, 9}};
    assert_false(plan_trend_fit(same, 2, &t));
}

/* The status of a value against goal g with a projection p (NAN: none). */
static enum plan_status status(const struct plan_goal *g, double cur, double p, int as_of, int due,
                               bool missed)
{
    struct plan_status_in in = {!isnan(cur), cur, !isnan(p), p, as_of, due, missed, 2023};
    return plan_status_decide(g, &in);
}

/* The thresholds at their edges: 100 % on track, 90 % at risk, below off track. */
static void test_status_edges(void **state)
{
    (void)state;
    struct plan_goal g = ge(1000);
    assert_int_equal(status(&g, NAN, 2000, 2025, 2027, false), PLAN_NO_DATA);
    assert_int_equal(status(&g, 1000, NAN, 2025, 2027, false), PLAN_ACHIEVED);
    assert_int_equal(status(&g, 800, 1000, 2025, 2027, false), PLAN_ON_TRACK);
    assert_int_equal(status(&g, 800, 999.99, 2025, 2027, false), PLAN_AT_RISK);
    assert_int_equal(status(&g, 800, 900, 2025, 2027, false), PLAN_AT_RISK);
    assert_int_equal(status(&g, 800, 899.99, 2025, 2027, false), PLAN_OFF_TRACK);
    /* The target year is over and the value falls short. */
    assert_int_equal(status(&g, 999, 1500, 2028, 2027, false), PLAN_OFF_TRACK);
    /* A missed milestone turns on track into at risk, not off track into anything. */
    assert_int_equal(status(&g, 800, 1200, 2025, 2027, true), PLAN_AT_RISK);
    assert_int_equal(status(&g, 800, 500, 2025, 2027, true), PLAN_OFF_TRACK);
    /* Lower is better: a ranking to reach the top 40. */
    struct plan_goal rank = {PLAN_CMP_LE, 40, NAN, true, false, 0};
    assert_int_equal(status(&rank, 50, 40, 2025, 2027, false), PLAN_ON_TRACK);
    assert_int_equal(status(&rank, 50, 44, 2025, 2027, false), PLAN_AT_RISK);   /* 90.9 % */
    assert_int_equal(status(&rank, 50, 45, 2025, 2027, false), PLAN_OFF_TRACK); /* 88.9 % */
    /* Without a projection: progress against the share of the period elapsed (2023 →
     * 2027, as of 2025: 50 % expected; at risk down to 40 %). */
    assert_int_equal(status(&g, 500, NAN, 2025, 2027, false), PLAN_ON_TRACK);
    assert_int_equal(status(&g, 400, NAN, 2025, 2027, false), PLAN_AT_RISK);
    assert_int_equal(status(&g, 399, NAN, 2025, 2027, false), PLAN_OFF_TRACK);
    /* An unknown target value (a growth target without its base year) is no data. */
    struct plan_goal unknown = ge(NAN);
    assert_int_equal(status(&unknown, 500, 900, 2025, 2027, false), PLAN_NO_DATA);
    assert_string_equal(plan_status_name(PLAN_AT_RISK), "at_risk");
    enum plan_cmp c;
    assert_true(plan_cmp_parse("between", &c));
    assert_int_equal(c, PLAN_CMP_BETWEEN);
    assert_false(plan_cmp_parse("=>", &c));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_goal_met),
        cmocka_unit_test(test_progress),
        cmocka_unit_test(test_fit_choice),
        cmocka_unit_test(test_status_edges),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
