/* test_assess_score.c — unit tests for domain/assess_score: the scoring rules at their
 * edges, capping, weights that sum exactly, and rankings with ties. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>

#include "domain/assess_score.h"

/* An item with the default parameters of its rule and weight in points. */
static struct assess_item item(enum assess_rule rule, double weight_points, bool lower)
{
    struct assess_item it = {rule,
                             (int64_t)llround(weight_points * 100),
                             lower,
                             ASSESS_CAP_DEFAULT,
                             ASSESS_FLOOR_DEFAULT,
                             ASSESS_MIN_DEFAULT};
    return it;
}

/* Score in hundredths for a target rule. */
static int64_t score_t(const struct assess_item *it, double value, double target)
{
    return assess_score_centi(it, assess_share_target(it, value, target, true));
}

/* Rule names round-trip; unknown names are refused. */
static void test_rule_names(void **state)
{
    (void)state;
    enum assess_rule r;
    assert_true(assess_rule_parse("ratio", &r) && r == ASSESS_RATIO);
    assert_true(assess_rule_parse("linear", &r) && r == ASSESS_LINEAR);
    assert_true(assess_rule_parse("rank", &r) && r == ASSESS_RANK);
    assert_false(assess_rule_parse("Ratio", &r));
    assert_false(assess_rule_parse("", &r));
    assert_false(assess_rule_parse(NULL, &r));
    assert_string_equal(assess_rule_name(ASSESS_LINEAR), "linear");
}

/* Ratio: proportional below the target, full weight at it, capped at 120 % above it. */
static void test_ratio_capping(void **state)
{
    (void)state;
    struct assess_item it = item(ASSESS_RATIO, 20, false);
    assert_int_equal(score_t(&it, 0, 100), 0);
    assert_int_equal(score_t(&it, -5, 100), 0);
    assert_int_equal(score_t(&it, 80, 100), 1600);
    assert_int_equal(score_t(&it, 100, 100), 2000);
    assert_int_equal(score_t(&it, 119.99, 100), 2400); /* 23.998 rounds to 24.00 */
    assert_int_equal(score_t(&it, 119.9, 100), 2398);
    assert_int_equal(score_t(&it, 120, 100), 2400);
    assert_int_equal(score_t(&it, 250, 100), 2400); /* capped */
    it.cap_pct = 100;
    assert_int_equal(score_t(&it, 250, 100), 2000);
    it.cap_pct = 200;
    assert_int_equal(score_t(&it, 150, 100), 3000);
    assert_int_equal(score_t(&it, 1e9, 100), 4000);
    /* No target or a non-finite value scores nothing. */
    assert_int_equal(assess_score_centi(&it, assess_share_target(&it, 100, 100, false)), 0);
    assert_int_equal(score_t(&it, NAN, 100), 0);
    assert_int_equal(score_t(&it, INFINITY, 100), 0);
}

/* Ratio, lower is better: target / value; reaching zero on a zero target is 100 %. */
static void test_ratio_lower_better(void **state)
{
    (void)state;
    struct assess_item it = item(ASSESS_RATIO, 10, true);
    assert_int_equal(score_t(&it, 20, 10), 500); /* twice the allowed count: half */
    assert_int_equal(score_t(&it, 10, 10), 1000);
    assert_int_equal(score_t(&it, 5, 10), 1200); /* half of it: 200 %, capped at 120 % */
    assert_int_equal(score_t(&it, 0, 10), 1200); /* nothing left: the cap */
    assert_int_equal(score_t(&it, 0, 0), 1000);  /* 清零 reached */
    assert_int_equal(score_t(&it, 3, 0), 0);     /* 清零 missed */
    /* Higher is better with a zero target: met or not. */
    struct assess_item up = item(ASSESS_RATIO, 10, false);
    assert_int_equal(score_t(&up, 0, 0), 1000);
    assert_int_equal(score_t(&up, -1, 0), 0);
}

/* Linear: nothing at or below the floor, the weight at the target, never more. */
static void test_linear_edges(void **state)
{
    (void)state;
    struct assess_item it = item(ASSESS_LINEAR, 10, false); /* floor 60 % */
    assert_int_equal(score_t(&it, 50, 100), 0);
    assert_int_equal(score_t(&it, 60, 100), 0);
    assert_int_equal(score_t(&it, 61, 100), 25); /* 1/40 of 10 points */
    assert_int_equal(score_t(&it, 80, 100), 500);
    assert_int_equal(score_t(&it, 100, 100), 1000);
    assert_int_equal(score_t(&it, 130, 100), 1000);
    it.floor_pct = 0;
    assert_int_equal(score_t(&it, 33, 100), 330);
    it.floor_pct = 99;
    assert_int_equal(score_t(&it, 99.5, 100), 500);
    struct assess_item low = item(ASSESS_LINEAR, 10, true);
    assert_int_equal(score_t(&low, 12.5, 10), 500); /* 80 % achievement */
}

/* Rank: first full weight, last min_pct of it, linear between; one county gets all. */
static void test_rank_shares(void **state)
{
    (void)state;
    struct assess_item it = item(ASSESS_RANK, 10, false);
    assert_int_equal(assess_score_centi(&it, assess_share_rank(&it, 1, 3)), 1000);
    assert_int_equal(assess_score_centi(&it, assess_share_rank(&it, 2, 3)), 500);
    assert_int_equal(assess_score_centi(&it, assess_share_rank(&it, 3, 3)), 0);
    assert_int_equal(assess_score_centi(&it, assess_share_rank(&it, 1, 1)), 1000);
    assert_int_equal(assess_score_centi(&it, assess_share_rank(&it, 0, 3)), 0);
    assert_int_equal(assess_score_centi(&it, assess_share_rank(&it, 4, 3)), 0);
    it.min_pct = 60;
    assert_int_equal(assess_score_centi(&it, assess_share_rank(&it, 2, 3)), 800);
    assert_int_equal(assess_score_centi(&it, assess_share_rank(&it, 3, 3)), 600);
    it.min_pct = 100;
    assert_int_equal(assess_score_centi(&it, assess_share_rank(&it, 9, 9)), 1000);
}

/* Ranking values: ties share the better rank, missing values are not ranked, the
 * direction decides what is better. */
static void test_rank_values(void **state)
{
    (void)state;
    double v[] = {5, 9, 5, 1, 7};
    bool present[] = {true, true, true, false, true};
    int ranks[5];
    assert_int_equal(assess_rank_values(5, v, present, false, ranks), 4);
    assert_int_equal(ranks[0], 3);
    assert_int_equal(ranks[1], 1);
    assert_int_equal(ranks[2], 3);
    assert_int_equal(ranks[3], 0);
    assert_int_equal(ranks[4], 2);
    assert_int_equal(assess_rank_values(5, v, present, true, ranks), 4);
    assert_int_equal(ranks[0], 1);
    assert_int_equal(ranks[1], 4);
    assert_int_equal(ranks[2], 1);
    assert_int_equal(ranks[4], 3);
    int64_t totals[] = {9000, 9500, 9000, 10200};
    int tr[4];
    assess_rank_totals(4, totals, tr);
    assert_int_equal(tr[0], 3);
    assert_int_equal(tr[1], 2);
    assert_int_equal(tr[2], 3);
    assert_int_equal(tr[3], 1);
}

/* Weights that sum to 100 points give exactly 100.00 when every target is met, and the
 * total is the integer sum of the rounded item scores. */
static void test_weights_sum(void **state)
{
    (void)state;
    struct assess_item a = item(ASSESS_RATIO, 33.33, false);
    struct assess_item b = item(ASSESS_LINEAR, 33.33, false);
    struct assess_item c = item(ASSESS_RANK, 33.34, false);
    assert_int_equal(a.weight_centi + b.weight_centi + c.weight_centi, ASSESS_WEIGHT_TOTAL);
    int64_t total = score_t(&a, 7, 7) + score_t(&b, 3.5, 3.5) +
                    assess_score_centi(&c, assess_share_rank(&c, 1, 9));
    assert_int_equal(total, ASSESS_WEIGHT_TOTAL);
    /* A third of a point share rounds per item: 33.33 × 1/3 = 11.11. */
    assert_int_equal(assess_score_centi(&a, 1.0 / 3.0), 1111);
    /* Over-achievement on the ratio item can lift the total above 100. */
    total = score_t(&a, 9, 7) + score_t(&b, 9, 7) + assess_score_centi(&c, 1);
    assert_int_equal(total, 4000 + 3333 + 3334); /* 33.33 × 1.2 = 39.996 → 40.00 */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rule_names),         cmocka_unit_test(test_ratio_capping),
        cmocka_unit_test(test_ratio_lower_better), cmocka_unit_test(test_linear_edges),
        cmocka_unit_test(test_rank_shares),        cmocka_unit_test(test_rank_values),
        cmocka_unit_test(test_weights_sum),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
