/* test_rules_hnte.c — hnte-2016 (高新技术企业认定 pre-assessment, 国科发火〔2016〕32号 +
 * 195号): R&D band selection at exactly 5000万 and 2亿 (in 分), the 3-year window and
 * short operation, condition edges, every growth-rate edge case, conversion and IP
 * brackets, expert ranges and the "> 70" evaluation. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "../rules/rules_test_util.h"

#define Y 2024

/* Sets a yearly field to the same value in the three years Y-2..Y. */
static void all3(int f, int64_t v)
{
    for (int y = Y - 2; y <= Y; y++)
        tu_y(y, f, v);
}

/* A firm meeting every data condition: 3 years of ¥1亿 sales, 5% R&D, all in China. */
static void hnte_firm(void)
{
    tu_reset();
    tu_registered("2015-01-01");
    tu_id(RULES_F_MAINLAND, 1);
    tu_id(RULES_F_HIGHTECH_FIELD, 1);
    tu_id(RULES_F_NO_MAJOR_INCIDENT, 1);
    tu_id(RULES_F_LED_STANDARD_5Y, 0);
    all3(RULES_F_SALES_REVENUE, WAN(10000));
    all3(RULES_F_RD_EXPENSE, WAN(500));
    all3(RULES_F_RD_EXPENSE_DOMESTIC, WAN(500));
    all3(RULES_F_TOTAL_ASSETS, WAN(8000));
    all3(RULES_F_TOTAL_LIABILITIES, WAN(3000));
    all3(RULES_F_CONVERSIONS, 5);
    tu_y(Y, RULES_F_EMPLOYEES, 100);
    tu_y(Y, RULES_F_TECH_STAFF, 20);
    tu_y(Y, RULES_F_TOTAL_INCOME, WAN(10500));
    tu_y(Y, RULES_F_HIGHTECH_REVENUE, WAN(8000));
    tu_y(Y, RULES_F_IP_CLASS1, 2);
    tu_y(Y, RULES_F_IP_CLASS1_SELF, 1);
    tu_y(Y, RULES_F_IP_CLASS1_HIGH, 0);
    tu_y(Y, RULES_F_IP_CLASS2, 5);
}

/* The threshold the R&D-ratio test uses in the last evaluation. */
static struct rules_q rd_threshold(void)
{
    const struct rules_set *s = tu_res.set;
    int c = tu_cond(s, "c5_rd_ratio");
    struct rules_q q = {0, 1};
    assert_int_equal(rules_test_threshold(s, &tu_res, s->conditions[c].first_test, &q), 0);
    return q;
}

/* Asserts the threshold is pct percent. */
static void assert_pct(struct rules_q q, int pct)
{
    assert_true(q.num * 100 == (int64_t)pct * q.den);
}

/* The band is chosen by the latest year's sales: ≤5000万 5%, ≤2亿 4%, else 3%; both
 * edges are inclusive and tested to the 分. */
static void test_rd_band_edges(void **state)
{
    (void)state;
    hnte_firm();
    static const struct {
        int64_t sales;
        int pct;
    } b[] = {{WAN(5000) - 1, 5},
             {WAN(5000), 5},
             {WAN(5000) + 1, 4},
             {WAN(20000) - 1, 4},
             {WAN(20000), 4},
             {WAN(20000) + 1, 3},
             {0, 5},
             {WAN(1000000), 3}};
    for (size_t i = 0; i < sizeof(b) / sizeof(*b); i++) {
        tu_y(Y, RULES_F_SALES_REVENUE, b[i].sales);
        tu_eval("hnte-2016", Y);
        assert_pct(rd_threshold(), b[i].pct);
    }
    /* Exactly 5% over three years of ¥5000万 passes in the 5% band; one 分 less fails;
     * one 分 more of latest sales moves to the 4% band and passes again. */
    all3(RULES_F_SALES_REVENUE, WAN(5000));
    all3(RULES_F_RD_EXPENSE, WAN(250));
    tu_eval("hnte-2016", Y);
    assert_int_equal(tu_cond_status("c5_rd_ratio"), RULES_MET);
    tu_y(Y - 2, RULES_F_RD_EXPENSE, WAN(250) - 1);
    tu_eval("hnte-2016", Y);
    assert_int_equal(tu_cond_status("c5_rd_ratio"), RULES_NOT_MET);
    tu_y(Y, RULES_F_SALES_REVENUE, WAN(5000) + 1);
    tu_eval("hnte-2016", Y);
    assert_int_equal(tu_cond_status("c5_rd_ratio"), RULES_MET);
    /* 4% at ¥2亿 exactly; one 分 less of R&D fails; one 分 more of sales → 3% band */
    all3(RULES_F_SALES_REVENUE, WAN(20000));
    all3(RULES_F_RD_EXPENSE, WAN(800));
    tu_eval("hnte-2016", Y);
    assert_int_equal(tu_cond_status("c5_rd_ratio"), RULES_MET);
    tu_y(Y, RULES_F_RD_EXPENSE, WAN(800) - 1);
    tu_eval("hnte-2016", Y);
    assert_int_equal(tu_cond_status("c5_rd_ratio"), RULES_NOT_MET);
    tu_y(Y, RULES_F_SALES_REVENUE, WAN(20000) + 1);
    tu_eval("hnte-2016", Y);
    assert_int_equal(tu_cond_status("c5_rd_ratio"), RULES_MET);
    /* missing latest sales: the band, hence the condition, is unknown */
    tu_y_clear(Y, RULES_F_SALES_REVENUE);
    tu_eval("hnte-2016", Y);
    assert_int_equal(tu_cond_status("c5_rd_ratio"), RULES_UNKNOWN);
}

/* The 3-year window: shortened to the years since registration; unknown registration
 * with a missing year is unknown, listing both. */
static void test_rd_window(void **state)
{
    (void)state;
    hnte_firm();
    tu_registered("2023-06-01");
    tu_y_clear(Y - 2, RULES_F_RD_EXPENSE);
    tu_y_clear(Y - 2, RULES_F_SALES_REVENUE);
    tu_eval("hnte-2016", Y);
    assert_int_equal(tu_cond_status("c5_rd_ratio"), RULES_MET);
    int m = -1;
    for (int i = 0; i < tu_res.set->n_measures; i++)
        if (strcmp(tu_res.set->measures[i].id, "rd_ratio_3y") == 0)
            m = i;
    assert_int_equal(tu_res.m[m].n_years, 2);
    assert_true(tu_res.m[m].flags & RULES_MF_SHORT);
    tu_id_clear(RULES_F_REGISTERED_ON);
    tu_eval("hnte-2016", Y);
    assert_int_equal(tu_cond_status("c5_rd_ratio"), RULES_UNKNOWN);
    assert_int_equal(tu_cond_status("c1_registered"), RULES_UNKNOWN);
    int fields[8], years[8];
    int n = rules_measure_missing(tu_res.set, m, &tu_rec, Y, fields, years, 8);
    assert_int_equal(n, 3);
    assert_int_equal(fields[0], RULES_F_REGISTERED_ON);
    assert_int_equal(fields[1], RULES_F_RD_EXPENSE);
    assert_int_equal(years[1], Y - 2);
    assert_int_equal(fields[2], RULES_F_SALES_REVENUE);
}

/* Conditions 第二条 mainland, (一) 365 days, (三), (四) 10%, (五) domestic 60%, (六) 60%, (八). */
static void test_condition_edges(void **state)
{
    (void)state;
    hnte_firm();
    tu_eval("hnte-2016", Y);
    for (int c = 0; c < tu_res.set->n_conditions; c++)
        if (strcmp(tu_res.set->conditions[c].id, "c7_innovation") != 0)
            assert_int_equal(tu_res.cond[c], RULES_MET);
    assert_int_equal(tu_res.verdict, RULES_UNCERTAIN);
    tu_registered("2024-01-01"); /* 365 days to 2024-12-31 */
    tu_eval("hnte-2016", Y);
    assert_int_equal(tu_cond_status("c1_registered"), RULES_MET);
    tu_registered("2024-01-02");
    tu_eval("hnte-2016", Y);
    assert_int_equal(tu_cond_status("c1_registered"), RULES_NOT_MET);
    hnte_firm();
    tu_y(Y, RULES_F_EMPLOYEES, 1000);
    tu_y(Y, RULES_F_TECH_STAFF, 100);
    tu_eval("hnte-2016", Y);
    assert_int_equal(tu_cond_status("c4_tech_staff"), RULES_MET);
    tu_y(Y, RULES_F_TECH_STAFF, 99);
    tu_eval("hnte-2016", Y);
    assert_int_equal(tu_cond_status("c4_tech_staff"), RULES_NOT_MET);
    hnte_firm();
    all3(RULES_F_RD_EXPENSE_DOMESTIC, WAN(300)); /* 60% of 500万 */
    tu_eval("hnte-2016", Y);
    assert_int_equal(tu_cond_status("c5_rd_domestic"), RULES_MET);
    tu_y(Y - 1, RULES_F_RD_EXPENSE_DOMESTIC, WAN(300) - 1);
    tu_eval("hnte-2016", Y);
    assert_int_equal(tu_cond_status("c5_rd_domestic"), RULES_NOT_MET);
    hnte_firm();
    tu_y(Y, RULES_F_HIGHTECH_REVENUE, WAN(6300)); /* 60% of 1.05亿 */
    tu_eval("hnte-2016", Y);
    assert_int_equal(tu_cond_status("c6_hightech_revenue"), RULES_MET);
    assert_true(tu_note("total_income_definition"));
    tu_y(Y, RULES_F_HIGHTECH_REVENUE, WAN(6300) - 1);
    tu_eval("hnte-2016", Y);
    assert_int_equal(tu_cond_status("c6_hightech_revenue"), RULES_NOT_MET);
    assert_int_equal(tu_res.verdict, RULES_NOT_MET);
    hnte_firm();
    tu_id(RULES_F_MAINLAND, 0); /* Art. 2: registered outside the mainland */
    tu_eval("hnte-2016", Y);
    assert_int_equal(tu_cond_status("c0_resident"), RULES_NOT_MET);
    assert_true(tu_note("resident_definition"));
    hnte_firm();
    tu_id(RULES_F_HIGHTECH_FIELD, 0);
    tu_eval("hnte-2016", Y);
    assert_int_equal(tu_cond_status("c3_field"), RULES_NOT_MET);
    hnte_firm();
    tu_id(RULES_F_NO_MAJOR_INCIDENT, 0);
    tu_eval("hnte-2016", Y);
    assert_int_equal(tu_cond_status("c8_no_incident"), RULES_NOT_MET);
    hnte_firm();
    tu_y(Y, RULES_F_IP_CLASS1, 0);
    tu_y(Y, RULES_F_IP_CLASS2, 0);
    tu_eval("hnte-2016", Y);
    assert_int_equal(tu_cond_status("c2_ip"), RULES_NOT_MET);
}

/* Sets sales for Y-2, Y-1, Y. */
static void sales3(int64_t a, int64_t b, int64_t c)
{
    tu_y(Y - 2, RULES_F_SALES_REVENUE, a);
    tu_y(Y - 1, RULES_F_SALES_REVENUE, b);
    tu_y(Y, RULES_F_SALES_REVENUE, c);
}

/* Growth brackets: with v1 = v2 the rate is (v3 − v2)/(2·v2); each edge exactly, one 分
 * below, one above. */
static void test_growth_bracket_edges(void **state)
{
    (void)state;
    static const struct {
        int64_t v3;                    /* third-year value giving the edge (v1 = v2 = 10^8) */
        int lo, hi;                    /* range at the edge */
        int blo, bhi;                  /* one 分 below */
    } e[] = {{170000000, 9, 10, 7, 8}, /* 35% */
             {150000000, 7, 8, 5, 6},  /* 25% */
             {130000000, 5, 6, 3, 4},  /* 15% */
             {110000000, 3, 4, 1, 2},  /* 5% */
             {100000001, 1, 2, 0, 0}}; /* just above 0 / exactly 0 */
    hnte_firm();
    for (size_t i = 0; i < sizeof(e) / sizeof(*e); i++) {
        sales3(100000000, 100000000, e[i].v3);
        tu_eval("hnte-2016", Y);
        tu_assert_range("sales_growth", e[i].lo, e[i].hi);
        assert_int_equal(tu_item_res("sales_growth")->status, RULES_I_EXPERT);
        sales3(100000000, 100000000, e[i].v3 - 1);
        tu_eval("hnte-2016", Y);
        tu_assert_range("sales_growth", e[i].blo, e[i].bhi);
        sales3(100000000, 100000000, e[i].v3 + 1);
        tu_eval("hnte-2016", Y);
        tu_assert_range("sales_growth", e[i].lo, e[i].hi);
    }
    /* the formula itself: ½(150/100 + 200/150) − 1 = 5/12 ≈ 41.67% → A */
    sales3(100, 150, 200);
    tu_eval("hnte-2016", Y);
    tu_assert_range("sales_growth", 9, 10);
}

/* Every official edge case of the growth rates (research §2.4). */
static void test_growth_edge_cases(void **state)
{
    (void)state;
    hnte_firm();
    /* negative growth scores 0 */
    sales3(100000000, 90000000, 80000000);
    tu_eval("hnte-2016", Y);
    tu_assert_points("sales_growth", 0);
    /* first year 0: last two years only, 135/100 − 1 = 35% → A, no provisional note */
    sales3(0, 100000000, 135000000);
    tu_eval("hnte-2016", Y);
    tu_assert_range("sales_growth", 9, 10);
    assert_false(tu_note("growth_short_period"));
    sales3(0, 100000000, 135000000 - 1);
    tu_eval("hnte-2016", Y);
    tu_assert_range("sales_growth", 7, 8);
    /* second year 0: the indicator scores 0, even with the first year missing */
    sales3(100000000, 0, 500000000);
    tu_eval("hnte-2016", Y);
    tu_assert_points("sales_growth", 0);
    tu_y_clear(Y - 2, RULES_F_SALES_REVENUE);
    tu_eval("hnte-2016", Y);
    tu_assert_points("sales_growth", 0);
    /* both zero: 0 */
    sales3(0, 0, 500000000);
    tu_eval("hnte-2016", Y);
    tu_assert_points("sales_growth", 0);
    /* no growth at all: F */
    sales3(100000000, 100000000, 100000000);
    tu_eval("hnte-2016", Y);
    tu_assert_points("sales_growth", 0);
    /* two years of operation: v3/v2 − 1 = 20% → C, provisional (◐) */
    hnte_firm();
    tu_registered("2023-03-01");
    sales3(1, 100000000, 120000000);
    tu_y_clear(Y - 2, RULES_F_SALES_REVENUE);
    tu_eval("hnte-2016", Y);
    tu_assert_range("sales_growth", 5, 6);
    assert_true(tu_note("growth_short_period"));
    tu_y(Y - 1, RULES_F_SALES_REVENUE, 0);
    tu_eval("hnte-2016", Y);
    tu_assert_points("sales_growth", 0);
    /* one year of operation: 0 points, provisional */
    hnte_firm();
    tu_registered("2024-02-01");
    tu_eval("hnte-2016", Y);
    tu_assert_points("sales_growth", 0);
    tu_assert_points("net_asset_growth", 0);
    assert_true(tu_note("growth_short_period"));
    /* registered after the evaluated year: unknown */
    tu_registered("2025-02-01");
    tu_eval("hnte-2016", Y);
    assert_int_equal(tu_item_res("sales_growth")->status, RULES_I_UNKNOWN);
    /* a missing middle year with 3+ years of operation: unknown */
    hnte_firm();
    tu_y_clear(Y - 1, RULES_F_SALES_REVENUE);
    tu_eval("hnte-2016", Y);
    assert_int_equal(tu_item_res("sales_growth")->status, RULES_I_UNKNOWN);
    tu_assert_range("sales_growth", 0, 10);
}

/* Net assets = assets − liabilities, with the same formula; a negative base is flagged. */
static void test_net_asset_growth(void **state)
{
    (void)state;
    hnte_firm();
    /* net assets 5000万 → 5000万 → 8500万: (8500 − 5000)/(2·5000) = 35% */
    tu_y(Y, RULES_F_TOTAL_ASSETS, WAN(11500));
    tu_eval("hnte-2016", Y);
    tu_assert_range("net_asset_growth", 9, 10);
    tu_y(Y, RULES_F_TOTAL_LIABILITIES, WAN(3000) + 1);
    tu_eval("hnte-2016", Y);
    tu_assert_range("net_asset_growth", 7, 8);
    assert_false(tu_note("growth_negative_base"));
    /* negative first-year net assets: computed as written, flagged */
    tu_y(Y - 2, RULES_F_TOTAL_LIABILITIES, WAN(9000));
    tu_eval("hnte-2016", Y);
    assert_true(tu_note("growth_negative_base"));
    /* missing liabilities: unknown, liabilities listed */
    hnte_firm();
    tu_y_clear(Y - 1, RULES_F_TOTAL_LIABILITIES);
    tu_eval("hnte-2016", Y);
    assert_int_equal(tu_item_res("net_asset_growth")->status, RULES_I_UNKNOWN);
}

/* 科技成果转化: the annual average over 3 years, each bracket at and below its edge. */
static void test_conversion_edges(void **state)
{
    (void)state;
    static const struct {
        int sum, lo, hi;
    } e[] = {{15, 25, 30}, {14, 19, 24}, {12, 19, 24}, {11, 13, 18}, {9, 13, 18}, {8, 7, 12},
             {6, 7, 12},   {5, 1, 6},    {3, 1, 6},    {2, 1, 6},    {1, 1, 6},   {0, 0, 0}};
    hnte_firm();
    for (size_t i = 0; i < sizeof(e) / sizeof(*e); i++) {
        tu_y(Y - 2, RULES_F_CONVERSIONS, e[i].sum / 3);
        tu_y(Y - 1, RULES_F_CONVERSIONS, e[i].sum / 3);
        tu_y(Y, RULES_F_CONVERSIONS, e[i].sum - 2 * (e[i].sum / 3));
        tu_eval("hnte-2016", Y);
        tu_assert_range("conversion", e[i].lo, e[i].hi);
        assert_int_equal(tu_note("conversion_below_one"), e[i].sum > 0 && e[i].sum < 3);
    }
    /* two years of operation: divide by 2 (◐, noted) */
    hnte_firm();
    tu_registered("2023-05-01");
    tu_y(Y - 1, RULES_F_CONVERSIONS, 4);
    tu_y(Y, RULES_F_CONVERSIONS, 4);
    tu_y_clear(Y - 2, RULES_F_CONVERSIONS);
    tu_eval("hnte-2016", Y);
    tu_assert_range("conversion", 19, 24);
    assert_true(tu_note("conversion_short_period"));
}

/* 知识产权 items: quantity brackets, acquisition, the standard bonus and the 30 cap. */
static void test_ip_items(void **state)
{
    (void)state;
    hnte_firm();
    tu_eval("hnte-2016", Y);
    tu_assert_range("ip_count", 7, 8);
    tu_assert_range("ip_acquisition", 1, 6);
    tu_assert_range("ip_advanced", 0, 8);
    tu_assert_range("ip_standard", 0, 2);
    /* 8 + 8 + 8 + 6 + 2 = 32 is capped at 30 */
    int g = 0;
    while (strcmp(tu_res.set->groups[g].id, "ip") != 0)
        g++;
    assert_int_equal(tu_res.group_hi[g], 30);
    tu_id(RULES_F_LED_STANDARD_5Y, 1);
    tu_eval("hnte-2016", Y);
    tu_assert_range("ip_standard", 1, 2);
    tu_y(Y, RULES_F_IP_CLASS1, 0);
    tu_y(Y, RULES_F_IP_CLASS1_SELF, 0);
    static const struct {
        int n, lo, hi;
    } e[] = {{6, 5, 6}, {5, 5, 6}, {4, 3, 4}, {3, 3, 4}, {2, 1, 2}, {1, 1, 2}, {0, 0, 0}};
    for (size_t i = 0; i < sizeof(e) / sizeof(*e); i++) {
        tu_y(Y, RULES_F_IP_CLASS2, e[i].n);
        tu_eval("hnte-2016", Y);
        tu_assert_range("ip_count", e[i].lo, e[i].hi);
    }
    tu_assert_points("ip_acquisition", 0);
    tu_assert_points("ip_advanced", 0);
    tu_y(Y, RULES_F_IP_CLASS1, 1); /* only an acquired class I right: B 1–3 */
    tu_eval("hnte-2016", Y);
    tu_assert_range("ip_acquisition", 1, 3);
}

/* Pre-assessment: the best firm is "uncertain" (experts decide), never "pass"; the
 * evaluation must exceed 70: a maximum of exactly 70 fails, 72 is uncertain. */
static void test_innovation_above_70(void **state)
{
    (void)state;
    hnte_firm();
    tu_id(RULES_F_LED_STANDARD_5Y, 1);
    sales3(100000000, 200000000, 400000000);
    tu_eval("hnte-2016", Y);
    assert_int_equal(tu_res.verdict, RULES_UNCERTAIN);
    assert_int_equal(tu_cond_status("c7_innovation"), RULES_UNCERTAIN);
    assert_true(tu_res.score_lo < 71 && tu_res.score_hi > 70);
    /* maximum 70: IP 8+8+2+6+2 = 26, conversions avg 4 → 24, management 20, growth 0 */
    hnte_firm();
    tu_y(Y, RULES_F_IP_CLASS1, 0);
    tu_y(Y, RULES_F_IP_CLASS1_SELF, 0);
    tu_y(Y, RULES_F_IP_CLASS2, 1);
    all3(RULES_F_CONVERSIONS, 4);
    tu_eval("hnte-2016", Y);
    assert_int_equal(tu_res.score_hi, 70);
    assert_int_equal(tu_cond_status("c7_innovation"), RULES_NOT_MET);
    assert_int_equal(tu_res.verdict, RULES_NOT_MET);
    /* growth E (1–2) on sales lifts the maximum to 72: uncertain again */
    tu_y(Y, RULES_F_SALES_REVENUE, WAN(10000) + 1);
    tu_eval("hnte-2016", Y);
    assert_int_equal(tu_res.score_hi, 72);
    assert_int_equal(tu_cond_status("c7_innovation"), RULES_UNCERTAIN);
    assert_int_equal(tu_res.verdict, RULES_UNCERTAIN);
}

/* Runs the tests with the embedded rule sets loaded once. */
int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rd_band_edges),       cmocka_unit_test(test_rd_window),
        cmocka_unit_test(test_condition_edges),     cmocka_unit_test(test_growth_bracket_edges),
        cmocka_unit_test(test_growth_edge_cases),   cmocka_unit_test(test_net_asset_growth),
        cmocka_unit_test(test_conversion_edges),    cmocka_unit_test(test_ip_items),
        cmocka_unit_test(test_innovation_above_70),
    };
    return cmocka_run_group_tests(tests, tu_setup, tu_teardown);
}
