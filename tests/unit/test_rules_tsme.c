/* test_rules_tsme.c — tsme-2017 (科技型中小企业评价, 国科发政〔2017〕115号): every bracket
 * edge of every scored item (exactly at, one unit or 分 below, one above), the better of
 * the two R&D ratios, the pass rule, condition edges and the direct-confirmation paths. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "../rules/rules_test_util.h"

#define Y 2024

/* A firm meeting conditions 一–四 with A = 20, B = 50, C = 30 (score 100). */
static void good_firm(void)
{
    tu_reset();
    tu_id(RULES_F_MAINLAND, 1);
    tu_id(RULES_F_NOT_RESTRICTED_INDUSTRY, 1);
    tu_id(RULES_F_NO_MAJOR_INCIDENT, 1);
    tu_id(RULES_F_NOT_ON_ABNORMAL_LIST, 1);
    tu_id(RULES_F_HAS_VALID_HNTE, 0);
    tu_id(RULES_F_NATIONAL_AWARD_TOP3_5Y, 0);
    tu_id(RULES_F_PROVINCIAL_RD_INSTITUTION, 0);
    tu_id(RULES_F_LED_STANDARD_5Y, 0);
    tu_y(Y, RULES_F_EMPLOYEES, 400);
    tu_y(Y, RULES_F_TECH_STAFF, 200);
    tu_y(Y, RULES_F_SALES_REVENUE, WAN(10000));
    tu_y(Y, RULES_F_TOTAL_ASSETS, WAN(10000));
    tu_y(Y, RULES_F_RD_EXPENSE, WAN(800));
    tu_y(Y, RULES_F_COST_EXPENSE_TOTAL, WAN(9000));
    tu_y(Y, RULES_F_IP_CLASS1, 1);
    tu_y(Y, RULES_F_IP_CLASS2, 0);
}

/* 科技人员指标: edges 30/25/20/15/10% on 1000 employees; at and above an edge score the
 * higher bracket, one person below the lower. */
static void test_tech_staff_edges(void **state)
{
    (void)state;
    static const struct {
        int at;         /* tech staff per 1000 at the edge */
        int pts, below; /* points at the edge, one person below */
    } e[] = {{300, 20, 16}, {250, 16, 12}, {200, 12, 8}, {150, 8, 4}, {100, 4, 0}};
    good_firm();
    tu_y(Y, RULES_F_EMPLOYEES, 1000);
    for (size_t i = 0; i < sizeof(e) / sizeof(*e); i++) {
        tu_y(Y, RULES_F_TECH_STAFF, e[i].at);
        tu_eval("tsme-2017", Y);
        tu_assert_points("tech_staff", e[i].pts);
        tu_y(Y, RULES_F_TECH_STAFF, e[i].at - 1);
        tu_eval("tsme-2017", Y);
        tu_assert_points("tech_staff", e[i].below);
        tu_y(Y, RULES_F_TECH_STAFF, e[i].at + 1);
        tu_eval("tsme-2017", Y);
        tu_assert_points("tech_staff", e[i].pts);
    }
    tu_y(Y, RULES_F_TECH_STAFF, 0);
    tu_eval("tsme-2017", Y);
    tu_assert_points("tech_staff", 0);
    assert_int_equal(tu_cond_status("c5_tech_nonzero"), RULES_NOT_MET);
    assert_int_equal(tu_res.verdict, RULES_NOT_MET);
}

/* 研发投入 (1) R&D / sales: edges 6/5/4/3/2% on ¥100,000,000, to the 分. The other ratio
 * is kept at 0 points so this one decides. */
static void test_rd_sales_edges(void **state)
{
    (void)state;
    static const struct {
        int64_t at;
        int pts, below;
    } e[] = {{WAN(600), 50, 40},
             {WAN(500), 40, 30},
             {WAN(400), 30, 20},
             {WAN(300), 20, 10},
             {WAN(200), 10, 0}};
    good_firm();
    tu_y(Y, RULES_F_COST_EXPENSE_TOTAL, WAN(1000000)); /* ratio (2) below 10%: 0 points */
    for (size_t i = 0; i < sizeof(e) / sizeof(*e); i++) {
        tu_y(Y, RULES_F_RD_EXPENSE, e[i].at);
        tu_eval("tsme-2017", Y);
        tu_assert_points("rd_input", e[i].pts);
        assert_int_equal(tu_item_res("rd_input")->alt, 0);
        tu_y(Y, RULES_F_RD_EXPENSE, e[i].at - 1);
        tu_eval("tsme-2017", Y);
        tu_assert_points("rd_input", e[i].below);
        tu_y(Y, RULES_F_RD_EXPENSE, e[i].at + 1);
        tu_eval("tsme-2017", Y);
        tu_assert_points("rd_input", e[i].pts);
    }
}

/* 研发投入 (2) R&D / total costs: edges 30/25/20/15/10% on ¥100,000,000 of costs. Sales
 * are huge (the size condition fails, the item is still scored) so ratio (1) scores 0;
 * the set records that ratio (2) was used and raises the note on its definition. */
static void test_rd_cost_edges(void **state)
{
    (void)state;
    static const struct {
        int64_t at;
        int pts, below;
    } e[] = {{WAN(3000), 50, 40},
             {WAN(2500), 40, 30},
             {WAN(2000), 30, 20},
             {WAN(1500), 20, 10},
             {WAN(1000), 10, 0}};
    good_firm();
    tu_y(Y, RULES_F_COST_EXPENSE_TOTAL, WAN(10000));
    tu_y(Y, RULES_F_SALES_REVENUE, WAN(10000000)); /* 3000万 / 1000亿 = 0.03%: 0 points */
    for (size_t i = 0; i < sizeof(e) / sizeof(*e); i++) {
        tu_y(Y, RULES_F_RD_EXPENSE, e[i].at);
        tu_eval("tsme-2017", Y);
        tu_assert_points("rd_input", e[i].pts);
        assert_int_equal(tu_item_res("rd_input")->alt, 1);
        assert_true(tu_note("cost_expense_definition"));
        tu_y(Y, RULES_F_RD_EXPENSE, e[i].at - 1);
        tu_eval("tsme-2017", Y);
        tu_assert_points("rd_input", e[i].below);
        tu_y(Y, RULES_F_RD_EXPENSE, e[i].at + 1);
        tu_eval("tsme-2017", Y);
        tu_assert_points("rd_input", e[i].pts);
    }
}

/* The better of the two ratios counts and is recorded; a tie keeps ratio (1); with one
 * ratio unknown the known one decides only when the other cannot beat it. */
static void test_rd_better_of_two(void **state)
{
    (void)state;
    good_firm();
    tu_y(Y, RULES_F_SALES_REVENUE, WAN(10000));
    tu_y(Y, RULES_F_RD_EXPENSE, WAN(300));          /* (1) 3%: 20 */
    tu_y(Y, RULES_F_COST_EXPENSE_TOTAL, WAN(1200)); /* (2) 25%: 40 */
    tu_eval("tsme-2017", Y);
    tu_assert_points("rd_input", 40);
    assert_int_equal(tu_item_res("rd_input")->alt, 1);
    tu_y(Y, RULES_F_COST_EXPENSE_TOTAL, WAN(2000)); /* (2) 15%: 20, a tie */
    tu_eval("tsme-2017", Y);
    tu_assert_points("rd_input", 20);
    assert_int_equal(tu_item_res("rd_input")->alt, 0);
    assert_false(tu_note("cost_expense_definition"));
    tu_y_clear(Y, RULES_F_COST_EXPENSE_TOTAL);
    tu_eval("tsme-2017", Y);
    assert_int_equal(tu_item_res("rd_input")->status, RULES_I_UNKNOWN);
    tu_assert_range("rd_input", 20, 50);
    tu_y(Y, RULES_F_RD_EXPENSE, WAN(600)); /* (1) 6%: 50, nothing can beat it */
    tu_eval("tsme-2017", Y);
    tu_assert_points("rd_input", 50);
    assert_int_equal(tu_item_res("rd_input")->alt, 0);
}

/* 科技成果: ≥1 Ⅰ类 30; Ⅱ类 ≥4 24, 3 18, 2 12, 1 6, none 0. */
static void test_ip_edges(void **state)
{
    (void)state;
    good_firm();
    tu_y(Y, RULES_F_IP_CLASS1, 1);
    tu_y(Y, RULES_F_IP_CLASS2, 0);
    tu_eval("tsme-2017", Y);
    tu_assert_points("ip", 30);
    tu_y(Y, RULES_F_IP_CLASS1, 0);
    static const int pts[] = {0, 6, 12, 18, 24, 24, 24};
    for (int n = 0; n <= 6; n++) {
        tu_y(Y, RULES_F_IP_CLASS2, n);
        tu_eval("tsme-2017", Y);
        tu_assert_points("ip", pts[n]);
    }
    tu_y(Y, RULES_F_IP_CLASS1, 2);
    tu_y(Y, RULES_F_IP_CLASS2, 1);
    tu_eval("tsme-2017", Y);
    tu_assert_points("ip", 30);
    /* Ⅰ类 unknown: 30 still possible, 6 for sure */
    tu_y_clear(Y, RULES_F_IP_CLASS1);
    tu_eval("tsme-2017", Y);
    assert_int_equal(tu_item_res("ip")->status, RULES_I_UNKNOWN);
    tu_assert_range("ip", 6, 30);
}

/* Pass = total ≥ 60 and 科技人员 > 0: exactly 60 passes, 58 fails, A = 0 fails even at 80. */
static void test_pass_rule(void **state)
{
    (void)state;
    good_firm();
    tu_y(Y, RULES_F_EMPLOYEES, 500);
    tu_y(Y, RULES_F_TECH_STAFF, 150);                 /* A 20 */
    tu_y(Y, RULES_F_RD_EXPENSE, WAN(500));            /* (1) 5%: 40 */
    tu_y(Y, RULES_F_COST_EXPENSE_TOTAL, WAN(100000)); /* (2) 0 */
    tu_y(Y, RULES_F_IP_CLASS1, 0);                    /* C 0 */
    tu_eval("tsme-2017", Y);
    assert_int_equal(tu_res.score_lo, 60);
    assert_int_equal(tu_res.verdict, RULES_MET);
    tu_y(Y, RULES_F_TECH_STAFF, 149); /* A 16 + IP 2 Ⅱ类 12 + 30 = 58 */
    tu_y(Y, RULES_F_RD_EXPENSE, WAN(400));
    tu_y(Y, RULES_F_IP_CLASS2, 2);
    tu_eval("tsme-2017", Y);
    assert_int_equal(tu_res.score_lo, 58);
    assert_int_equal(tu_cond_status("c5_score"), RULES_NOT_MET);
    assert_int_equal(tu_res.verdict, RULES_NOT_MET);
    tu_y(Y, RULES_F_TECH_STAFF, 49); /* A 0, B 50, C 30 = 80 */
    tu_y(Y, RULES_F_RD_EXPENSE, WAN(600));
    tu_y(Y, RULES_F_IP_CLASS1, 1);
    tu_eval("tsme-2017", Y);
    assert_int_equal(tu_res.score_lo, 80);
    assert_int_equal(tu_cond_status("c5_score"), RULES_MET);
    assert_int_equal(tu_cond_status("c5_tech_nonzero"), RULES_NOT_MET);
    assert_int_equal(tu_res.verdict, RULES_NOT_MET);
}

/* 第八条: each qualifier alone confirms a firm meeting 一–四, even with score 0; none
 * confirms one failing 二. */
static void test_direct_confirmation(void **state)
{
    (void)state;
    static const int quals[] = {RULES_F_HAS_VALID_HNTE, RULES_F_NATIONAL_AWARD_TOP3_5Y,
                                RULES_F_PROVINCIAL_RD_INSTITUTION, RULES_F_LED_STANDARD_5Y};
    for (size_t i = 0; i < 4; i++) {
        good_firm();
        tu_y(Y, RULES_F_TECH_STAFF, 0);
        tu_y(Y, RULES_F_RD_EXPENSE, 0);
        tu_y(Y, RULES_F_IP_CLASS1, 0);
        tu_eval("tsme-2017", Y);
        assert_int_equal(tu_res.score_lo, 0);
        assert_int_equal(tu_res.verdict, RULES_NOT_MET);
        tu_id(quals[i], 1);
        tu_eval("tsme-2017", Y);
        assert_int_equal(tu_cond_status("direct"), RULES_MET);
        assert_int_equal(tu_res.verdict, RULES_MET);
        tu_y(Y, RULES_F_EMPLOYEES, 501);
        tu_eval("tsme-2017", Y);
        assert_int_equal(tu_res.verdict, RULES_NOT_MET);
    }
    /* unknown qualifiers do not block a pass by score */
    good_firm();
    tu_id_clear(RULES_F_HAS_VALID_HNTE);
    tu_eval("tsme-2017", Y);
    assert_int_equal(tu_cond_status("direct"), RULES_UNKNOWN);
    assert_int_equal(tu_res.verdict, RULES_MET);
}

/* 条件（一）–（四）: 500 persons, 2亿 revenue and assets (inclusive), mainland, declarations. */
static void test_condition_edges(void **state)
{
    (void)state;
    good_firm();
    tu_y(Y, RULES_F_EMPLOYEES, 500);
    tu_eval("tsme-2017", Y);
    assert_int_equal(tu_cond_status("c2_size"), RULES_MET);
    tu_y(Y, RULES_F_EMPLOYEES, 501);
    tu_eval("tsme-2017", Y);
    assert_int_equal(tu_cond_status("c2_size"), RULES_NOT_MET);
    static const int money[] = {RULES_F_SALES_REVENUE, RULES_F_TOTAL_ASSETS};
    for (int i = 0; i < 2; i++) {
        good_firm();
        tu_y(Y, money[i], WAN(20000));
        tu_eval("tsme-2017", Y);
        assert_int_equal(tu_cond_status("c2_size"), RULES_MET);
        tu_y(Y, money[i], WAN(20000) + 1);
        tu_eval("tsme-2017", Y);
        assert_int_equal(tu_cond_status("c2_size"), RULES_NOT_MET);
        tu_y(Y, money[i], WAN(20000) - 1);
        tu_eval("tsme-2017", Y);
        assert_int_equal(tu_cond_status("c2_size"), RULES_MET);
    }
    good_firm();
    tu_id(RULES_F_MAINLAND, 0);
    tu_eval("tsme-2017", Y);
    assert_int_equal(tu_cond_status("c1_resident"), RULES_NOT_MET);
    good_firm();
    tu_id(RULES_F_NOT_RESTRICTED_INDUSTRY, 0);
    tu_eval("tsme-2017", Y);
    assert_int_equal(tu_cond_status("c3_industry"), RULES_NOT_MET);
    good_firm();
    tu_id(RULES_F_NO_MAJOR_INCIDENT, 0);
    tu_eval("tsme-2017", Y);
    assert_int_equal(tu_cond_status("c4_record"), RULES_NOT_MET);
    assert_int_equal(tu_res.verdict, RULES_NOT_MET);
    good_firm();
    tu_eval("tsme-2017", Y);
    assert_int_equal(tu_res.verdict, RULES_MET);
    assert_int_equal(tu_res.score_lo, 100);
    assert_int_equal(tu_res.notes, 0); /* ratio (1) scored 50: nothing provisional */
}

/* The data year is the evaluated year: other years are ignored. */
static void test_uses_evaluated_year(void **state)
{
    (void)state;
    good_firm();
    tu_y(Y - 1, RULES_F_EMPLOYEES, 9000);
    tu_y(Y + 1, RULES_F_EMPLOYEES, 9000);
    tu_eval("tsme-2017", Y);
    assert_int_equal(tu_res.verdict, RULES_MET);
    tu_eval("tsme-2017", Y - 1);
    assert_int_equal(tu_cond_status("c2_size"), RULES_NOT_MET);
}

/* Runs the tests with the embedded rule sets loaded once. */
int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tech_staff_edges),
        cmocka_unit_test(test_rd_sales_edges),
        cmocka_unit_test(test_rd_cost_edges),
        cmocka_unit_test(test_rd_better_of_two),
        cmocka_unit_test(test_ip_edges),
        cmocka_unit_test(test_pass_rule),
        cmocka_unit_test(test_direct_confirmation),
        cmocka_unit_test(test_condition_edges),
        cmocka_unit_test(test_uses_evaluated_year),
    };
    return cmocka_run_group_tests(tests, tu_setup, tu_teardown);
}
