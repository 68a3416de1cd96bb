/* test_rules_innov.c — innov-sme-2022 (创新型中小企业, 工信部企业〔2022〕63号): every bracket
 * edge of the six indicators (at, one 分 below, one above), the group minimums, the
 * direct conditions, and srdi-2022's verified and provisional brackets. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "../rules/rules_test_util.h"

#define Y 2024

/* A firm scoring 100: every indicator in its top bracket. */
static void innov_firm(void)
{
    tu_reset();
    tu_id(RULES_F_NOT_ON_ABNORMAL_LIST, 1);
    tu_id(RULES_F_NOT_RESTRICTED_INDUSTRY, 1);
    tu_id(RULES_F_NO_MAJOR_INCIDENT, 1);
    tu_id(RULES_F_STRATEGIC_EMERGING, 1);
    tu_id(RULES_F_SCI_AWARD_3Y, 0);
    tu_id(RULES_F_HAS_VALID_HNTE, 0);
    tu_id(RULES_F_HAS_IP_TITLE, 0);
    tu_id(RULES_F_PROVINCIAL_RD_INSTITUTION, 0);
    for (int y = Y - 2; y <= Y; y++)
        tu_y(y, RULES_F_EQUITY_FINANCING, 0);
    tu_y(Y - 1, RULES_F_MAIN_BUSINESS_REVENUE, WAN(8000));
    tu_y(Y, RULES_F_MAIN_BUSINESS_REVENUE, WAN(9200)); /* +15% */
    tu_y(Y, RULES_F_OPERATING_REVENUE, WAN(10000));    /* 92% main business */
    tu_y(Y, RULES_F_RD_EXPENSE, WAN(500));             /* 5% */
    tu_y(Y, RULES_F_TOTAL_ASSETS, WAN(10000));
    tu_y(Y, RULES_F_TOTAL_LIABILITIES, WAN(4000)); /* 40% */
    tu_y(Y, RULES_F_IP_CLASS1, 1);
    tu_y(Y, RULES_F_IP_CLASS1_SELF, 1);
    tu_y(Y, RULES_F_IP_CLASS1_HIGH, 1);
    tu_y(Y, RULES_F_IP_CLASS2, 0);
}

/* Checks item id at field = at (points pts), at − 1 (below) and at + 1 (pts). */
static void edge3(const char *id, int year, int field, int64_t at, int pts, int below)
{
    tu_y(year, field, at);
    tu_eval("innov-sme-2022", Y);
    tu_assert_points(id, pts);
    tu_y(year, field, at - 1);
    tu_eval("innov-sme-2022", Y);
    tu_assert_points(id, below);
    tu_y(year, field, at + 1);
    tu_eval("innov-sme-2022", Y);
    tu_assert_points(id, pts);
}

/* 1. 知识产权: high-value 20, self-developed 15, class I 10, class II 5, none 0. */
static void test_ip(void **state)
{
    (void)state;
    innov_firm();
    tu_eval("innov-sme-2022", Y);
    tu_assert_points("ip", 20);
    assert_int_equal(tu_res.score_lo, 100);
    assert_int_equal(tu_res.verdict, RULES_MET);
    tu_y(Y, RULES_F_IP_CLASS1_HIGH, 0);
    tu_eval("innov-sme-2022", Y);
    tu_assert_points("ip", 15);
    tu_y(Y, RULES_F_IP_CLASS1_SELF, 0);
    tu_eval("innov-sme-2022", Y);
    tu_assert_points("ip", 10);
    tu_y(Y, RULES_F_IP_CLASS1, 0);
    tu_y(Y, RULES_F_IP_CLASS2, 1);
    tu_eval("innov-sme-2022", Y);
    tu_assert_points("ip", 5);
    tu_y(Y, RULES_F_IP_CLASS2, 0);
    tu_eval("innov-sme-2022", Y);
    tu_assert_points("ip", 0);
}

/* 2. R&D / operating revenue: 5% 20, 3% 15, 2% 10, 1% 5, below 0 (to the 分). */
static void test_rd_ratio(void **state)
{
    (void)state;
    innov_firm();
    edge3("rd_ratio", Y, RULES_F_RD_EXPENSE, WAN(500), 20, 15);
    edge3("rd_ratio", Y, RULES_F_RD_EXPENSE, WAN(300), 15, 10);
    edge3("rd_ratio", Y, RULES_F_RD_EXPENSE, WAN(200), 10, 5);
    edge3("rd_ratio", Y, RULES_F_RD_EXPENSE, WAN(100), 5, 0);
}

/* 3. Main business growth: 15% 20, 10% 15, 5% 10, 0% 5, negative 0. */
static void test_growth(void **state)
{
    (void)state;
    innov_firm();
    edge3("mbr_growth", Y, RULES_F_MAIN_BUSINESS_REVENUE, WAN(9200), 20, 15);
    edge3("mbr_growth", Y, RULES_F_MAIN_BUSINESS_REVENUE, WAN(8800), 15, 10);
    edge3("mbr_growth", Y, RULES_F_MAIN_BUSINESS_REVENUE, WAN(8400), 10, 5);
    edge3("mbr_growth", Y, RULES_F_MAIN_BUSINESS_REVENUE, WAN(8000), 5, 0);
    /* previous year 0: growth undefined; positive revenue counts as above every band */
    tu_y(Y - 1, RULES_F_MAIN_BUSINESS_REVENUE, 0);
    tu_y(Y, RULES_F_MAIN_BUSINESS_REVENUE, 1);
    tu_eval("innov-sme-2022", Y);
    tu_assert_points("mbr_growth", 20);
    assert_true(tu_note("growth_zero_base"));
    tu_y(Y, RULES_F_MAIN_BUSINESS_REVENUE, 0);
    tu_eval("innov-sme-2022", Y);
    tu_assert_points("mbr_growth", 5);
    /* previous year missing: unknown */
    tu_y_clear(Y - 1, RULES_F_MAIN_BUSINESS_REVENUE);
    tu_eval("innov-sme-2022", Y);
    assert_int_equal(tu_item_res("mbr_growth")->status, RULES_I_UNKNOWN);
}

/* 4. 资产负债率: ≤55% 10, <75% 5, ≥75% 0 — liabilities to the 分 on ¥1亿 of assets. */
static void test_debt_ratio(void **state)
{
    (void)state;
    innov_firm();
    tu_y(Y, RULES_F_TOTAL_LIABILITIES, WAN(5500));
    tu_eval("innov-sme-2022", Y);
    tu_assert_points("debt_ratio", 10);
    tu_y(Y, RULES_F_TOTAL_LIABILITIES, WAN(5500) - 1);
    tu_eval("innov-sme-2022", Y);
    tu_assert_points("debt_ratio", 10);
    tu_y(Y, RULES_F_TOTAL_LIABILITIES, WAN(5500) + 1);
    tu_eval("innov-sme-2022", Y);
    tu_assert_points("debt_ratio", 5);
    tu_y(Y, RULES_F_TOTAL_LIABILITIES, WAN(7500) - 1);
    tu_eval("innov-sme-2022", Y);
    tu_assert_points("debt_ratio", 5);
    tu_y(Y, RULES_F_TOTAL_LIABILITIES, WAN(7500));
    tu_eval("innov-sme-2022", Y);
    tu_assert_points("debt_ratio", 0);
    tu_y(Y, RULES_F_TOTAL_LIABILITIES, WAN(7500) + 1);
    tu_eval("innov-sme-2022", Y);
    tu_assert_points("debt_ratio", 0);
}

/* 5. 主导产品领域: strategic 10, other 5, unknown 5–10. 6. main business share:
 * 70% 20, 60% 15, 55% 10, 50% 5, below 0. */
static void test_specialization(void **state)
{
    (void)state;
    innov_firm();
    tu_id(RULES_F_STRATEGIC_EMERGING, 0);
    tu_eval("innov-sme-2022", Y);
    tu_assert_points("field", 5);
    tu_id_clear(RULES_F_STRATEGIC_EMERGING);
    tu_eval("innov-sme-2022", Y);
    tu_assert_range("field", 5, 10);
    assert_int_equal(tu_item_res("field")->status, RULES_I_UNKNOWN);
    innov_firm();
    tu_y(Y - 1, RULES_F_MAIN_BUSINESS_REVENUE, WAN(1)); /* growth stays top */
    edge3("mbr_share", Y, RULES_F_MAIN_BUSINESS_REVENUE, WAN(7000), 20, 15);
    edge3("mbr_share", Y, RULES_F_MAIN_BUSINESS_REVENUE, WAN(6000), 15, 10);
    edge3("mbr_share", Y, RULES_F_MAIN_BUSINESS_REVENUE, WAN(5500), 10, 5);
    edge3("mbr_share", Y, RULES_F_MAIN_BUSINESS_REVENUE, WAN(5000), 5, 0);
}

/* Score ≥ 60 with group minimums: 创新能力 ≥ 20, 成长性 ≥ 15, 专业化 ≥ 15. */
static void test_group_minimums(void **state)
{
    (void)state;
    /* innovation 15 (IP 15, R&D 0) < 20 although the total is 75 */
    innov_firm();
    tu_y(Y, RULES_F_IP_CLASS1_HIGH, 0);
    tu_y(Y, RULES_F_RD_EXPENSE, 0);
    tu_eval("innov-sme-2022", Y);
    assert_int_equal(tu_res.score_lo, 75);
    assert_int_equal(tu_cond_status("score_60"), RULES_MET);
    assert_int_equal(tu_cond_status("innovation_20"), RULES_NOT_MET);
    assert_int_equal(tu_res.verdict, RULES_NOT_MET);
    tu_y(Y, RULES_F_RD_EXPENSE, WAN(100)); /* R&D 1%: innovation 20 exactly */
    tu_eval("innov-sme-2022", Y);
    assert_int_equal(tu_cond_status("innovation_20"), RULES_MET);
    assert_int_equal(tu_res.verdict, RULES_MET);
    /* growth exactly 15 (growth 15% → 20? no: 10% → 15, debt ≥ 75% → 0) */
    innov_firm();
    tu_y(Y, RULES_F_MAIN_BUSINESS_REVENUE, WAN(8800));
    tu_y(Y, RULES_F_TOTAL_LIABILITIES, WAN(8000));
    tu_eval("innov-sme-2022", Y);
    assert_int_equal(tu_cond_status("growth_15"), RULES_MET);
    tu_y(Y, RULES_F_MAIN_BUSINESS_REVENUE, WAN(8800) - 1);
    tu_eval("innov-sme-2022", Y);
    assert_int_equal(tu_cond_status("growth_15"), RULES_NOT_MET);
    assert_int_equal(tu_res.verdict, RULES_NOT_MET);
}

/* Direct conditions: each alone passes a firm that fails the score; 500万 of equity over
 * three years exactly (one 分 less does not). */
static void test_direct(void **state)
{
    (void)state;
    static const int quals[] = {RULES_F_SCI_AWARD_3Y, RULES_F_HAS_VALID_HNTE, RULES_F_HAS_IP_TITLE,
                                RULES_F_PROVINCIAL_RD_INSTITUTION};
    for (size_t i = 0; i < 4; i++) {
        innov_firm();
        tu_y(Y, RULES_F_RD_EXPENSE, 0);
        tu_y(Y, RULES_F_IP_CLASS1_HIGH, 0);
        tu_y(Y, RULES_F_IP_CLASS1_SELF, 0);
        tu_y(Y, RULES_F_IP_CLASS1, 0);
        tu_eval("innov-sme-2022", Y);
        assert_int_equal(tu_res.verdict, RULES_NOT_MET);
        tu_id(quals[i], 1);
        tu_eval("innov-sme-2022", Y);
        assert_int_equal(tu_res.verdict, RULES_MET);
    }
    innov_firm();
    tu_y(Y, RULES_F_RD_EXPENSE, 0);
    tu_y(Y, RULES_F_IP_CLASS1, 0);
    tu_y(Y, RULES_F_IP_CLASS1_HIGH, 0);
    tu_y(Y, RULES_F_IP_CLASS1_SELF, 0);
    tu_y(Y - 2, RULES_F_EQUITY_FINANCING, WAN(200));
    tu_y(Y, RULES_F_EQUITY_FINANCING, WAN(300));
    tu_eval("innov-sme-2022", Y);
    assert_int_equal(tu_cond_status("direct"), RULES_MET);
    tu_y(Y, RULES_F_EQUITY_FINANCING, WAN(300) - 1);
    tu_eval("innov-sme-2022", Y);
    assert_int_equal(tu_cond_status("direct"), RULES_NOT_MET);
    /* general eligibility is provisional and always flagged */
    assert_true(tu_note("general_eligibility"));
    tu_id(RULES_F_NOT_ON_ABNORMAL_LIST, 0);
    tu_id(RULES_F_HAS_VALID_HNTE, 1);
    tu_eval("innov-sme-2022", Y);
    assert_int_equal(tu_res.verdict, RULES_NOT_MET);
}

/* srdi-2022: a verified item edge (⑧ 资产负债率 ties go to the higher bracket), the
 * provisional R&D lower bands (flagged only when hit), an input item, and the
 * conditions' 100万/3% edges. */
static void test_srdi_2022(void **state)
{
    (void)state;
    innov_firm();
    tu_id(RULES_F_NICHE_YEARS, 200);
    tu_y(Y, RULES_F_TOTAL_LIABILITIES, WAN(5000)); /* 50%: 5 */
    tu_eval("srdi-2022", Y);
    tu_assert_points("r8_debt", 5);
    tu_y(Y, RULES_F_TOTAL_LIABILITIES, WAN(6000)); /* 60%: on "50–60" and "60–70": 3 */
    tu_eval("srdi-2022", Y);
    tu_assert_points("r8_debt", 3);
    tu_y(Y, RULES_F_TOTAL_LIABILITIES, WAN(7000));
    tu_eval("srdi-2022", Y);
    tu_assert_points("r8_debt", 1);
    tu_y(Y, RULES_F_TOTAL_LIABILITIES, WAN(7000) + 1);
    tu_eval("srdi-2022", Y);
    tu_assert_points("r8_debt", 0);
    /* ⑪ R&D: 500万 or 10% → 10 (verified, no note); 400万 → 8 (provisional) */
    tu_y(Y, RULES_F_RD_EXPENSE, WAN(500));
    tu_eval("srdi-2022", Y);
    tu_assert_points("i11_rd", 10);
    assert_false(tu_note("rd_lower_bands"));
    tu_y(Y, RULES_F_RD_EXPENSE, WAN(500) - 1);
    tu_eval("srdi-2022", Y);
    tu_assert_points("i11_rd", 8);
    assert_true(tu_note("rd_lower_bands"));
    tu_y(Y, RULES_F_OPERATING_REVENUE, WAN(4999)); /* 499.99万 / 4999万 > 10% */
    tu_eval("srdi-2022", Y);
    tu_assert_points("i11_rd", 10);
    /* ⑨ is an input; missing → 0–15 unknown and always provisional */
    tu_eval("srdi-2022", Y);
    assert_int_equal(tu_item_res("c9_local")->status, RULES_I_UNKNOWN);
    tu_assert_range("c9_local", 0, 15);
    assert_true(tu_note("local_indicators"));
    tu_id(RULES_F_SRDI_LOCAL_SCORE, 1250); /* 12.5 points: fractions dropped */
    tu_eval("srdi-2022", Y);
    tu_assert_points("c9_local", 12);
    /* ③ niche years: 1 point per full 2 years */
    tu_id(RULES_F_NICHE_YEARS, 399);
    tu_eval("srdi-2022", Y);
    tu_assert_points("s3_niche_years", 1);
    tu_id(RULES_F_NICHE_YEARS, 400);
    tu_eval("srdi-2022", Y);
    tu_assert_points("s3_niche_years", 2);
    /* condition (二): 100万 and 3% */
    innov_firm();
    tu_y(Y, RULES_F_RD_EXPENSE, WAN(300)); /* exactly 3% of ¥1亿 */
    tu_eval("srdi-2022", Y);
    assert_int_equal(tu_cond_status("c2_rd"), RULES_MET);
    tu_y(Y, RULES_F_OPERATING_REVENUE, WAN(10000) + 1);
    tu_eval("srdi-2022", Y);
    assert_int_equal(tu_cond_status("c2_rd"), RULES_NOT_MET);
    tu_y(Y, RULES_F_OPERATING_REVENUE, WAN(1000)); /* 100万 is 10% of 1000万 */
    tu_y(Y, RULES_F_RD_EXPENSE, WAN(100));
    tu_eval("srdi-2022", Y);
    assert_int_equal(tu_cond_status("c2_rd"), RULES_MET);
    tu_y(Y, RULES_F_RD_EXPENSE, WAN(100) - 1);
    tu_eval("srdi-2022", Y);
    assert_int_equal(tu_cond_status("c2_rd"), RULES_NOT_MET);
}

/* Runs the tests with the embedded rule sets loaded once. */
int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ip),
        cmocka_unit_test(test_rd_ratio),
        cmocka_unit_test(test_growth),
        cmocka_unit_test(test_debt_ratio),
        cmocka_unit_test(test_specialization),
        cmocka_unit_test(test_group_minimums),
        cmocka_unit_test(test_direct),
        cmocka_unit_test(test_srdi_2022),
    };
    return cmocka_run_group_tests(tests, tu_setup, tu_teardown);
}
