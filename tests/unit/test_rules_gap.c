/* test_rules_gap.c — gap analysis (src/rules/gap.c): the worked examples of the issue
 * (R&D ratio in ¥, technology staff in persons), ratio levers in both directions,
 * waiting, blocked and missing-data gaps, the combined minimum, and a randomised
 * property test over every rule set: applying a suggested change makes its target hold,
 * one unit less of any change does not. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "../rules/rules_test_util.h"
#include "core/utf8.h"

#define Y 2024

/* A copy of tu_rec to try changes on. */
static struct rules_record try_rec;
static struct rules_year try_years[RULES_MAX_YEARS];
static struct rules_result try_res;

/* Copies tu_rec into try_rec. */
static void try_reset(void)
{
    try_rec = tu_rec;
    memcpy(try_years, tu_years, sizeof(try_years));
    try_rec.years = try_years;
}

/* Applies the changes of g to try_rec, with change `less` (if ≥ 0) reduced by one unit,
 * and evaluates set s (moving the assessment date by the gap's waiting time). */
static void try_gap(const struct rules_set *s, const struct rules_gap *g, int less)
{
    try_reset();
    for (int i = 0; i < g->n_changes; i++) {
        struct rules_change c = g->changes[i];
        if (i == less)
            c.delta -= 1;
        if (c.delta)
            assert_int_equal(rules_apply_change(&try_rec, try_years, &c), 0);
    }
    int k = RULES_F_NICHE_YEARS - RULES_N_YEARLY;
    if (g->wait_days && (try_rec.id_present & (1ull << k)))
        try_rec.id[k] += ((int64_t)g->wait_days * 100 + 364) / 365;
    rules_evaluate_at(s, &try_rec, Y, tu_res.as_of_days + g->wait_days, &try_res);
}

/* The example: "近三年研发费用占比 3.2%，需 ≥4%：研发费用再增加 ¥1,240,000". */
static void test_rd_ratio_example(void **state)
{
    (void)state;
    tu_reset();
    tu_registered("2010-01-01");
    static const int64_t sales[] = {WAN(4500), WAN(5000), WAN(6000)}; /* 1.55亿; 4% band */
    static const int64_t rd[] = {YUAN(1500000), YUAN(1600000), YUAN(1860000)}; /* 496万 */
    for (int i = 0; i < 3; i++) {
        tu_y(Y - 2 + i, RULES_F_SALES_REVENUE, sales[i]);
        tu_y(Y - 2 + i, RULES_F_RD_EXPENSE, rd[i]);
        tu_y(Y - 2 + i, RULES_F_RD_EXPENSE_DOMESTIC, rd[i]);
    }
    tu_eval("hnte-2016", Y);
    assert_int_equal(tu_cond_status("c5_rd_ratio"), RULES_NOT_MET);
    const struct rules_gap *g = tu_gap_for("c5_rd_ratio");
    assert_non_null(g);
    assert_true(g->fixable);
    assert_int_equal(g->n_changes, 1);
    assert_int_equal(g->changes[0].field, RULES_F_RD_EXPENSE);
    assert_int_equal(g->changes[0].year, Y);
    assert_int_equal(g->changes[0].delta, YUAN(1240000));
    assert_int_equal(g->money_fen, YUAN(1240000));
    if (!strstr(g->zh, "近三年研发费用占比 3.2%，需 ≥4%：研发费用再增加 ¥1,240,000"))
        fail_msg("text: %s", g->zh);
    assert_non_null(strstr(g->en, "add ¥1,240,000 of R&D expense"));
    const struct rules_set *s = tu_res.set;
    int c = tu_cond(s, "c5_rd_ratio");
    try_gap(s, g, -1);
    assert_int_equal(try_res.cond[c], RULES_MET);
    try_gap(s, g, 0);
    assert_int_equal(try_res.cond[c], RULES_NOT_MET);
}

/* "科技人员 8 人 / 职工 90 人": a new hire counts in both, so 2 are needed (9/91 < 10%). */
static void test_tech_staff_example(void **state)
{
    (void)state;
    tu_reset();
    tu_registered("2010-01-01");
    tu_y(Y, RULES_F_EMPLOYEES, 90);
    tu_y(Y, RULES_F_TECH_STAFF, 8);
    tu_eval("hnte-2016", Y);
    const struct rules_gap *g = tu_gap_for("c4_tech_staff");
    assert_non_null(g);
    assert_int_equal(g->n_changes, 1);
    assert_int_equal(g->changes[0].field, RULES_F_TECH_STAFF);
    assert_int_equal(g->changes[0].delta, 2);
    assert_int_equal(g->persons, 2);
    if (!strstr(g->zh, "科技人员 8 人 / 职工总数 90 人（8.88%），需 ≥10%：需再增加 2 名科技人员"
                       "（同时计入职工总数）"))
        fail_msg("text: %s", g->zh);
    assert_non_null(strstr(g->en, "add 2 more technology staff (also counted in total employees)"));
    const struct rules_set *s = tu_res.set;
    int c = tu_cond(s, "c4_tech_staff");
    try_gap(s, g, -1);
    assert_int_equal(try_res.cond[c], RULES_MET);
    assert_int_equal(try_years[0].v[RULES_F_EMPLOYEES], 92);
    try_gap(s, g, 0);
    assert_int_equal(try_res.cond[c], RULES_NOT_MET);
}

/* A "≤" ratio moves the denominator: 资产负债率 85% → ≤ 80% needs ¥625万 more assets. */
static void test_debt_ratio_lever(void **state)
{
    (void)state;
    tu_reset();
    tu_y(Y, RULES_F_TOTAL_ASSETS, WAN(10000));
    tu_y(Y, RULES_F_TOTAL_LIABILITIES, WAN(8500));
    tu_eval("srdi-2026", Y);
    assert_int_equal(tu_cond_status("c2_debt"), RULES_NOT_MET);
    const struct rules_gap *g = tu_gap_for("c2_debt");
    assert_non_null(g);
    assert_int_equal(g->n_changes, 1);
    assert_int_equal(g->changes[0].field, RULES_F_TOTAL_ASSETS);
    assert_int_equal(g->changes[0].delta, WAN(625));
    int c = tu_cond(tu_res.set, "c2_debt");
    try_gap(tu_res.set, g, -1);
    assert_int_equal(try_res.cond[c], RULES_MET);
    try_gap(tu_res.set, g, 0);
    assert_int_equal(try_res.cond[c], RULES_NOT_MET);
}

/* Time: registration age and years in the niche market become days to wait. */
static void test_wait_gaps(void **state)
{
    (void)state;
    tu_reset();
    tu_registered("2024-06-01"); /* 213 days to 2024-12-31 */
    tu_eval("hnte-2016", Y);
    const struct rules_gap *g = tu_gap_for("c1_registered");
    assert_non_null(g);
    assert_int_equal(g->wait_days, 152);
    assert_int_equal(g->n_changes, 0);
    assert_non_null(strstr(g->zh, "需再等待 152 天"));
    assert_non_null(strstr(g->zh, "2025-06-01"));
    tu_reset();
    tu_id(RULES_F_NICHE_YEARS, 150);
    tu_eval("srdi-2022", Y);
    g = tu_gap_for("c1_niche");
    assert_non_null(g);
    assert_int_equal(g->wait_days, 183); /* ⌈0.5 × 365⌉ */
}

/* What money and people cannot fix is said so; missing data is asked for. */
static void test_blocked_and_missing(void **state)
{
    (void)state;
    tu_reset();
    tu_id(RULES_F_MAINLAND, 1);
    tu_id(RULES_F_NOT_RESTRICTED_INDUSTRY, 1);
    tu_id(RULES_F_NO_MAJOR_INCIDENT, 1);
    tu_id(RULES_F_NOT_ON_ABNORMAL_LIST, 1);
    tu_id(RULES_F_HAS_VALID_HNTE, 1);
    tu_y(Y, RULES_F_EMPLOYEES, 600);
    tu_y(Y, RULES_F_SALES_REVENUE, WAN(100));
    tu_y(Y, RULES_F_TOTAL_ASSETS, WAN(100));
    tu_eval("tsme-2017", Y);
    assert_int_equal(tu_res.verdict, RULES_NOT_MET);
    const struct rules_gap *g = tu_gap_for("c2_size");
    assert_non_null(g);
    assert_false(g->fixable);
    assert_non_null(strstr(g->zh, "无法通过增加投入或人员满足"));
    const struct rules_gap *all = tu_gap_combined();
    assert_non_null(all);
    assert_false(all->fixable);
    assert_int_equal(all->reaches, RULES_NOT_MET);
    assert_non_null(strstr(all->zh, "另需满足"));
    /* a boolean: a requirement */
    tu_y(Y, RULES_F_EMPLOYEES, 100);
    tu_id(RULES_F_NOT_RESTRICTED_INDUSTRY, 0);
    tu_eval("tsme-2017", Y);
    g = tu_gap_for("c3_industry");
    assert_non_null(g);
    assert_false(g->fixable);
    assert_non_null(strstr(g->zh, "需满足"));
    /* missing data in a failing record */
    tu_reset();
    tu_registered("2010-01-01");
    tu_id(RULES_F_HIGHTECH_FIELD, 0);
    tu_eval("hnte-2016", Y);
    assert_int_equal(tu_res.verdict, RULES_NOT_MET);
    g = tu_gap_for("c4_tech_staff");
    assert_non_null(g);
    assert_true(g->needs_data);
    assert_non_null(strstr(g->zh, "缺少数据"));
    assert_non_null(strstr(g->zh, "职工总数(2024)"));
}

/* No gaps unless the verdict is fail. */
static void test_no_gaps_unless_fail(void **state)
{
    (void)state;
    tu_reset();
    tu_id(RULES_F_MAINLAND, 1);
    tu_id(RULES_F_NOT_RESTRICTED_INDUSTRY, 1);
    tu_id(RULES_F_NO_MAJOR_INCIDENT, 1);
    tu_id(RULES_F_NOT_ON_ABNORMAL_LIST, 1);
    tu_id(RULES_F_HAS_VALID_HNTE, 1);
    tu_y(Y, RULES_F_EMPLOYEES, 100);
    tu_y(Y, RULES_F_SALES_REVENUE, WAN(100));
    tu_y(Y, RULES_F_TOTAL_ASSETS, WAN(100));
    tu_eval("tsme-2017", Y);
    assert_int_equal(tu_res.verdict, RULES_MET);
    assert_int_equal(tu_gaps.n, 0);
    tu_y_clear(Y, RULES_F_EMPLOYEES);
    tu_eval("tsme-2017", Y);
    assert_int_equal(tu_res.verdict, RULES_UNKNOWN);
    assert_int_equal(tu_gaps.n, 0);
}

/* The combined minimum for tsme: staff hired for "科技人员 > 0" also count toward the
 * score; the combination passes when applied. */
static void test_combined_tsme(void **state)
{
    (void)state;
    tu_reset();
    tu_id(RULES_F_MAINLAND, 1);
    tu_id(RULES_F_NOT_RESTRICTED_INDUSTRY, 1);
    tu_id(RULES_F_NO_MAJOR_INCIDENT, 1);
    tu_id(RULES_F_NOT_ON_ABNORMAL_LIST, 1);
    tu_id(RULES_F_HAS_VALID_HNTE, 0);
    tu_id(RULES_F_NATIONAL_AWARD_TOP3_5Y, 0);
    tu_id(RULES_F_PROVINCIAL_RD_INSTITUTION, 0);
    tu_id(RULES_F_LED_STANDARD_5Y, 0);
    tu_y(Y, RULES_F_EMPLOYEES, 90);
    tu_y(Y, RULES_F_TECH_STAFF, 8);
    tu_y(Y, RULES_F_SALES_REVENUE, WAN(5000));
    tu_y(Y, RULES_F_TOTAL_ASSETS, WAN(3000));
    tu_y(Y, RULES_F_RD_EXPENSE, WAN(160));
    tu_y(Y, RULES_F_COST_EXPENSE_TOTAL, WAN(4000));
    tu_y(Y, RULES_F_IP_CLASS1, 0);
    tu_y(Y, RULES_F_IP_CLASS2, 2);
    tu_eval("tsme-2017", Y);
    assert_int_equal(tu_res.score_lo, 32);
    const struct rules_gap *all = tu_gap_combined();
    assert_non_null(all);
    assert_true(all->fixable);
    assert_int_equal(all->reaches, RULES_MET);
    try_gap(tu_res.set, all, -1);
    assert_int_equal(try_res.verdict, RULES_MET);
    assert_int_equal(all->persons, 2);
    assert_int_equal(all->money_fen, WAN(40)); /* R&D 3.2% → 4% of ¥5000万 */
    assert_non_null(strstr(all->zh, "共计资金 ¥400,000，人员 2 名"));
    /* each item gap reaches its bracket */
    int items = 0;
    for (int i = 0; i < tu_gaps.n; i++) {
        const struct rules_gap *g = &tu_gaps.g[i];
        if (g->kind != RULES_G_ITEM)
            continue;
        items++;
        try_gap(tu_res.set, g, -1);
        assert_true(try_res.item[g->item].hi >= tu_res.set->brackets[g->bracket].hi);
    }
    assert_int_equal(items, 3);
}

/* Domestic R&D counts as R&D: when both the domestic share and the R&D ratio fail, the
 * combined plan adds domestic R&D first and R&D only for the rest. */
static void test_combined_containment(void **state)
{
    (void)state;
    tu_reset();
    tu_registered("2010-01-01");
    tu_id(RULES_F_HIGHTECH_FIELD, 1);
    tu_id(RULES_F_NO_MAJOR_INCIDENT, 1);
    for (int y = Y - 2; y <= Y; y++) {
        tu_y(y, RULES_F_SALES_REVENUE, WAN(10000));
        tu_y(y, RULES_F_RD_EXPENSE, WAN(300));          /* 3% < 4% */
        tu_y(y, RULES_F_RD_EXPENSE_DOMESTIC, WAN(150)); /* 50% < 60% */
    }
    tu_y(Y, RULES_F_EMPLOYEES, 100);
    tu_y(Y, RULES_F_TECH_STAFF, 20);
    tu_y(Y, RULES_F_TOTAL_INCOME, WAN(10000));
    tu_y(Y, RULES_F_HIGHTECH_REVENUE, WAN(8000));
    tu_y(Y, RULES_F_IP_CLASS1, 1);
    tu_eval("hnte-2016", Y);
    const struct rules_gap *rd = tu_gap_for("c5_rd_ratio");
    const struct rules_gap *dom = tu_gap_for("c5_rd_domestic");
    assert_non_null(rd);
    assert_non_null(dom);
    assert_int_equal(rd->changes[0].delta, WAN(300)); /* 900万 → 1200万 of 3亿 */
    /* domestic 450 + d ≥ 60% of 900 + d → d ≥ 225万 (it counts in R&D too) */
    assert_int_equal(dom->changes[0].field, RULES_F_RD_EXPENSE_DOMESTIC);
    assert_int_equal(dom->changes[0].delta, WAN(225));
    const struct rules_gap *all = tu_gap_combined();
    assert_non_null(all);
    int64_t eff_rd = 0;
    for (int i = 0; i < all->n_changes; i++)
        if (all->changes[i].field == RULES_F_RD_EXPENSE ||
            all->changes[i].field == RULES_F_RD_EXPENSE_DOMESTIC)
            eff_rd += all->changes[i].delta;
    assert_int_equal(eff_rd, WAN(300)); /* not 300 + 225 */
    try_gap(tu_res.set, all, -1);
    assert_int_equal(try_res.cond[tu_cond(tu_res.set, "c5_rd_ratio")], RULES_MET);
    assert_int_equal(try_res.cond[tu_cond(tu_res.set, "c5_rd_domestic")], RULES_MET);
}

/* A small deterministic generator (xorshift64*). */
static uint64_t rng = 88172645463325252ull;
/* The next pseudo-random number. */
static uint64_t next(void)
{
    rng ^= rng >> 12;
    rng ^= rng << 25;
    rng ^= rng >> 27;
    return rng * 2685821657736338717ull;
}
/* A number in [lo, hi]. */
static int64_t between(int64_t lo, int64_t hi)
{
    return lo + (int64_t)(next() % (uint64_t)(hi - lo + 1));
}

/* A random, internally consistent firm with every field present. */
static void random_firm(void)
{
    tu_reset();
    char date[16];
    snprintf(date, sizeof(date), "%04d-%02d-15", (int)between(2005, 2024), (int)between(1, 12));
    tu_registered(date);
    static const int bools[] = {
        RULES_F_HAS_VALID_HNTE, RULES_F_NATIONAL_AWARD_TOP3_5Y,    RULES_F_PROVINCIAL_AWARD_TOP3_3Y,
        RULES_F_SCI_AWARD_3Y,   RULES_F_PROVINCIAL_RD_INSTITUTION, RULES_F_LED_STANDARD_5Y,
        RULES_F_HAS_IP_TITLE,   RULES_F_NATIONAL_AWARD_TOP5_3Y,    RULES_F_MAKER_CHINA_TOP500_3Y};
    for (size_t i = 0; i < sizeof(bools) / sizeof(*bools); i++)
        tu_id(bools[i], between(0, 9) == 0);
    static const int good[] = {RULES_F_NO_MAJOR_INCIDENT,       RULES_F_NOT_ON_ABNORMAL_LIST,
                               RULES_F_NOT_RESTRICTED_INDUSTRY, RULES_F_MAINLAND,
                               RULES_F_HIGHTECH_FIELD,          RULES_F_STRATEGIC_EMERGING,
                               RULES_F_HAS_VALID_TECH_INNOV_SME};
    for (size_t i = 0; i < sizeof(good) / sizeof(*good); i++)
        tu_id(good[i], between(0, 9) != 0);
    tu_id(RULES_F_NICHE_YEARS, between(0, 1200));
    tu_id(RULES_F_CHAIN_ROLE, between(0, 2));
    tu_id(RULES_F_DIGITAL_LEVEL, between(1, 3));
    tu_id(RULES_F_QUALITY_ITEMS, between(0, 4));
    tu_id(RULES_F_RD_INSTITUTION_LEVEL, between(0, 4));
    tu_id(RULES_F_SRDI_LOCAL_SCORE, between(0, 1500));
    int64_t sales = between(WAN(300), WAN(40000));
    int64_t assets = between(WAN(500), WAN(30000));
    for (int y = Y - 3; y <= Y; y++) {
        sales = sales * between(80, 140) / 100 + 1;
        assets = assets * between(85, 130) / 100 + 1;
        int64_t emp = between(5, 700);
        int64_t tech = emp * between(0, 40) / 100;
        int64_t rd = sales * between(0, 80) / 1000;
        int64_t op = sales * between(95, 105) / 100;
        tu_y(y, RULES_F_EMPLOYEES, emp);
        tu_y(y, RULES_F_TECH_STAFF, tech);
        tu_y(y, RULES_F_RD_STAFF, tech * between(20, 100) / 100);
        tu_y(y, RULES_F_SALES_REVENUE, sales);
        tu_y(y, RULES_F_OPERATING_REVENUE, op);
        tu_y(y, RULES_F_MAIN_BUSINESS_REVENUE, op * between(40, 100) / 100);
        tu_y(y, RULES_F_TOTAL_INCOME, sales * between(100, 110) / 100);
        tu_y(y, RULES_F_HIGHTECH_REVENUE, sales * between(30, 95) / 100);
        tu_y(y, RULES_F_RD_EXPENSE, rd);
        tu_y(y, RULES_F_RD_EXPENSE_DOMESTIC, rd * between(40, 100) / 100);
        tu_y(y, RULES_F_COST_EXPENSE_TOTAL, rd + sales * between(50, 100) / 100);
        tu_y(y, RULES_F_TOTAL_ASSETS, assets);
        tu_y(y, RULES_F_TOTAL_LIABILITIES, assets * between(10, 95) / 100);
        tu_y(y, RULES_F_NET_PROFIT, op * between(-10, 15) / 100);
        int64_t ip1 = between(0, 3) == 0 ? between(1, 6) : 0;
        tu_y(y, RULES_F_IP_CLASS1, ip1);
        tu_y(y, RULES_F_IP_CLASS1_SELF, ip1 ? between(0, ip1) : 0);
        tu_y(y, RULES_F_IP_CLASS1_HIGH, ip1 ? between(0, 1) : 0);
        tu_y(y, RULES_F_IP_CLASS2, between(0, 6));
        tu_y(y, RULES_F_CONVERSIONS, between(0, 6));
        tu_y(y, RULES_F_EQUITY_FINANCING, between(0, 3) ? 0 : between(0, WAN(5000)));
        tu_y(y, RULES_F_SRDI_QUALITY_SCORE, between(3000, 9000));
    }
}

/* Property: over many random firms and every rule set, each fixable condition gap's
 * changes make the condition hold, and one unit less of any change does not; fixable
 * score gaps reach their mark; item gaps reach their bracket; a combined gap that says
 * "pass" passes. */
static void test_gap_property(void **state)
{
    (void)state;
    int n_cond = 0, n_score = 0, n_item = 0, n_comb = 0;
    for (int firm = 0; firm < 500; firm++) {
        random_firm();
        for (size_t si = 0; si < tu_reg.n; si++) {
            const struct rules_set *s = tu_reg.sets[si];
            rules_evaluate(s, &tu_rec, Y, &tu_res);
            rules_gaps(s, &tu_rec, &tu_res, &tu_gaps);
            for (int i = 0; i < tu_gaps.n; i++) {
                const struct rules_gap *g = &tu_gaps.g[i];
                /* texts are valid UTF-8 even when cut at RULES_TEXT_MAX */
                assert_true(utf8_valid(g->zh, strlen(g->zh)));
                assert_true(utf8_valid(g->en, strlen(g->en)));
                if (!g->fixable)
                    continue;
                if (g->kind == RULES_G_COMBINED) {
                    try_gap(s, g, -1);
                    assert_int_equal(try_res.verdict, g->reaches);
                    n_comb += g->reaches == RULES_MET;
                    continue;
                }
                if (g->kind == RULES_G_ITEM) {
                    try_gap(s, g, -1);
                    assert_true(try_res.item[g->item].hi >= s->brackets[g->bracket].hi);
                    n_item++;
                    continue;
                }
                const struct rules_condition *cd = &s->conditions[g->cond];
                try_gap(s, g, -1);
                /* a score with expert ranges becomes possible (uncertain), not certain */
                int ok = try_res.cond[g->cond] == RULES_MET ||
                         (cd->kind != RULES_C_TESTS && try_res.cond[g->cond] == RULES_UNCERTAIN);
                if (!ok)
                    fail_msg("firm %d %s/%s: the gap does not fix it: %s", firm, s->id, cd->id,
                             g->zh);
                if (cd->kind != RULES_C_TESTS) {
                    n_score++;
                    continue;
                }
                n_cond++;
                for (int k = 0; k < g->n_changes; k++) {
                    try_gap(s, g, k);
                    if (try_res.cond[g->cond] == RULES_MET)
                        fail_msg("firm %d %s/%s: change %d is not minimal: %s", firm, s->id, cd->id,
                                 k, g->zh);
                }
            }
        }
    }
    printf("# checked %d condition gaps, %d score gaps, %d item gaps, %d passing combinations\n",
           n_cond, n_score, n_item, n_comb);
    assert_true(n_cond > 100 && n_score > 20 && n_item > 50 && n_comb > 20);
}

/* The fuzzer's find: a long combined text is cut on a character boundary. */
static void test_text_truncation_utf8(void **state)
{
    (void)state;
    /* srdi-2026 with no R&D and nothing else known: the combined text lists the long
     * labels of every condition that needs data */
    tu_reset();
    tu_y(Y - 1, RULES_F_RD_EXPENSE, 0);
    tu_y(Y, RULES_F_RD_EXPENSE, 0);
    tu_eval("srdi-2026", Y);
    assert_int_equal(tu_res.verdict, RULES_NOT_MET);
    const struct rules_gap *all = tu_gap_combined();
    assert_non_null(all);
    printf("# combined text: %zu bytes\n", strlen(all->zh));
    assert_true(strlen(all->zh) >= RULES_TEXT_MAX - 4); /* it was cut */
    for (int i = 0; i < tu_gaps.n; i++) {
        assert_true(strlen(tu_gaps.g[i].zh) < RULES_TEXT_MAX);
        assert_true(utf8_valid(tu_gaps.g[i].zh, strlen(tu_gaps.g[i].zh)));
        assert_true(utf8_valid(tu_gaps.g[i].en, strlen(tu_gaps.g[i].en)));
    }
}

/* Runs the tests with the embedded rule sets loaded once. */
int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rd_ratio_example),    cmocka_unit_test(test_tech_staff_example),
        cmocka_unit_test(test_debt_ratio_lever),    cmocka_unit_test(test_wait_gaps),
        cmocka_unit_test(test_blocked_and_missing), cmocka_unit_test(test_no_gaps_unless_fail),
        cmocka_unit_test(test_combined_tsme),       cmocka_unit_test(test_combined_containment),
        cmocka_unit_test(test_gap_property),        cmocka_unit_test(test_text_truncation_utf8),
    };
    return cmocka_run_group_tests(tests, tu_setup, tu_teardown);
}
