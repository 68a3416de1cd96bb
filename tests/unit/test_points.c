/* test_points.c — the 创新积分 engine (src/rules/points.c): the shipped configuration,
 * stage selection at the revenue band edges, bracket edges (exactly at, one 分 or one unit
 * below, one above), percentile ties and directions, bonus and negative items with caps,
 * league ranks and bands at their edges, exact points, and configuration validation
 * naming the field. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "../rules/rules_test_util.h"
#include "core/buf.h"
#include "core/jw.h"
#include "rules/points.h"
#include "rules/pool.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>

#define Y 2024

static struct pts_config cfg;

/* Index of indicator id in cfg. */
static int ind(const char *id)
{
    for (int i = 0; i < cfg.n_indicators; i++)
        if (strcmp(cfg.ind[i].id, id) == 0)
            return i;
    fail_msg("no indicator %s", id);
    return -1;
}

/* Index of stage id in cfg. */
static int stage(const char *id)
{
    for (int i = 0; i < cfg.n_stages; i++)
        if (strcmp(cfg.stages[i].id, id) == 0)
            return i;
    fail_msg("no stage %s", id);
    return -1;
}

/* Loads the shipped configuration into cfg. */
static void load_default(void)
{
    struct pts_error e;
    int rc = pts_config_default(&cfg, &e);
    if (rc)
        fail_msg("default config: %s %s", e.field, e.en);
}

/* A firm with every yearly field of Y and Y−1 given (revenue ¥30,000,000: growth stage). */
static void base_firm(void)
{
    tu_reset();
    for (int y = Y - 1; y <= Y; y++) {
        tu_y(y, RULES_F_EMPLOYEES, 100);
        tu_y(y, RULES_F_TECH_STAFF, 30);
        tu_y(y, RULES_F_RD_STAFF, 20);
        tu_y(y, RULES_F_OPERATING_REVENUE, WAN(3000));
        tu_y(y, RULES_F_TOTAL_INCOME, WAN(3000));
        tu_y(y, RULES_F_HIGHTECH_REVENUE, WAN(1800));
        tu_y(y, RULES_F_RD_EXPENSE, WAN(150));
        tu_y(y, RULES_F_TOTAL_ASSETS, WAN(5000));
        tu_y(y, RULES_F_TOTAL_LIABILITIES, WAN(2000));
        tu_y(y, RULES_F_NET_PROFIT, WAN(300));
        tu_y(y, RULES_F_IP_CLASS1, y == Y ? 4 : 3);
        tu_y(y, RULES_F_IP_CLASS1_HIGH, 1);
        tu_y(y, RULES_F_IP_CLASS2, 6);
        tu_y(y, RULES_F_CONVERSIONS, 2);
        tu_y(y, RULES_F_EQUITY_FINANCING, 0);
    }
    tu_id(RULES_F_HAS_VALID_HNTE, 0);
    tu_id(RULES_F_NATIONAL_AWARD_TOP3_5Y, 0);
    tu_id(RULES_F_SCI_AWARD_3Y, 0);
    tu_id(RULES_F_PROVINCIAL_RD_INSTITUTION, 0);
    tu_id(RULES_F_LED_STANDARD_5Y, 0);
    tu_id(RULES_F_NOT_ON_ABNORMAL_LIST, 1);
    tu_id(RULES_F_NO_MAJOR_INCIDENT, 1);
    tu_id(RULES_F_STRATEGIC_EMERGING, 0);
}

static struct pts_firm firm;

/* Evaluates the record being built (no cohort). */
static void eval(void)
{
    firm.org_id = 1;
    pts_eval(&cfg, &tu_rec, Y, &firm);
}

/* The shipped configuration parses, is provisional, has three stages and 100 weight points
 * per stage, and round-trips through its JSON writer unchanged. */
static void test_default_config(void **state)
{
    (void)state;
    load_default();
    assert_string_equal(cfg.id, "innovation-points-2024");
    assert_true(cfg.provisional);
    assert_int_equal(cfg.n_stages, 3);
    assert_string_equal(cfg.stages[0].zh, "初创期");
    assert_string_equal(cfg.stages[1].zh, "成长期");
    assert_string_equal(cfg.stages[2].zh, "稳定期");
    assert_true(cfg.n_indicators >= 18);
    assert_int_equal(cfg.n_bands, 3);
    int local = 0;
    for (int i = 0; i < cfg.n_indicators; i++)
        local += cfg.ind[i].local;
    assert_true(local >= 1);
    assert_true(cfg.n_bonus >= 1 && cfg.n_negative >= 1);
    /* Write, parse, write again: the same text. */
    struct buf a = {0}, b = {0};
    struct jw w;
    jw_init(&w, &a);
    pts_write_config(&w, &cfg);
    struct pts_config *again = malloc(sizeof(*again));
    struct pts_error e;
    int rc = pts_config_parse(buf_str(&a), a.len, again, &e);
    if (rc)
        fail_msg("re-parse: %s %s", e.field, e.en);
    jw_init(&w, &b);
    pts_write_config(&w, again);
    assert_string_equal(buf_str(&a), buf_str(&b));
    free(again);
    buf_free(&a);
    buf_free(&b);
    /* The rule registry skips the points file. */
    assert_null(rules_registry_find(&tu_reg, "innovation-points-2024", Y));
}

/* Stage bands: revenue below ¥20,000,000 is 初创期, from it (含) below ¥200,000,000 成长期,
 * from ¥200,000,000 稳定期; checked at, one 分 below and one above each edge. */
static void test_stage_edges(void **state)
{
    (void)state;
    load_default();
    base_firm();
    static const struct {
        int64_t revenue;
        const char *stage;
    } cases[] = {
        {WAN(2000) - 1, "startup"}, {WAN(2000), "growth"},  {WAN(2000) + 1, "growth"},
        {WAN(20000) - 1, "growth"}, {WAN(20000), "mature"}, {WAN(20000) + 1, "mature"},
        {0, "startup"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
        tu_y(Y, RULES_F_OPERATING_REVENUE, cases[i].revenue);
        eval();
        assert_int_equal(firm.stage, stage(cases[i].stage));
    }
    tu_y_clear(Y, RULES_F_OPERATING_REVENUE);
    eval();
    assert_int_equal(firm.stage, -1);
    assert_true(firm.total == firm.bonus_points - firm.negative_points);
}

/* Bracket edges of the money indicator rd_expense (≥1000万 100, ≥500万 80, ≥200万 60,
 * ≥100万 40, >0 20, else 0) to the 分, and the points it gives with the stage weight. */
static void test_money_bracket_edges(void **state)
{
    (void)state;
    load_default();
    base_firm();
    static const struct {
        int64_t at;
        int score, below;
    } e[] = {{WAN(1000), 100, 80}, {WAN(500), 80, 60}, {WAN(200), 60, 40}, {WAN(100), 40, 20}};
    int k = ind("rd_expense");
    int w = cfg.ind[k].weight[stage("growth")];
    for (size_t i = 0; i < sizeof(e) / sizeof(*e); i++) {
        tu_y(Y, RULES_F_RD_EXPENSE, e[i].at);
        eval();
        assert_int_equal(firm.ind[k].score_x100, e[i].score * 100);
        assert_int_equal(firm.ind[k].points, (int64_t)e[i].score * 100 * w);
        tu_y(Y, RULES_F_RD_EXPENSE, e[i].at - 1);
        eval();
        assert_int_equal(firm.ind[k].score_x100, e[i].below * 100);
        tu_y(Y, RULES_F_RD_EXPENSE, e[i].at + 1);
        eval();
        assert_int_equal(firm.ind[k].score_x100, e[i].score * 100);
    }
    /* "> 0元": zero is the else bracket, one 分 scores 20. */
    tu_y(Y, RULES_F_RD_EXPENSE, 0);
    eval();
    assert_int_equal(firm.ind[k].score_x100, 0);
    assert_int_equal(firm.ind[k].bracket, cfg.ind[k].n_brackets - 1);
    tu_y(Y, RULES_F_RD_EXPENSE, 1);
    eval();
    assert_int_equal(firm.ind[k].score_x100, 2000);
    /* Missing is not zero: no bracket, no points, value state missing. */
    tu_y_clear(Y, RULES_F_RD_EXPENSE);
    eval();
    assert_int_equal(firm.ind[k].bracket, -1);
    assert_int_equal(firm.ind[k].v.state, PTS_V_MISSING);
    assert_int_equal(firm.ind[k].points, 0);
}

/* Count brackets: ip_class1 (≥10 100, ≥5 80, ≥3 60, ≥1 40) at, one below, one above; and
 * ip_class1_new (this year minus last year) on its edges. */
static void test_count_bracket_edges(void **state)
{
    (void)state;
    load_default();
    base_firm();
    static const struct {
        int at, score, below;
    } e[] = {{10, 100, 80}, {5, 80, 60}, {3, 60, 40}, {1, 40, 0}};
    int k = ind("ip_class1");
    tu_y(Y - 1, RULES_F_IP_CLASS1, 0);
    for (size_t i = 0; i < sizeof(e) / sizeof(*e); i++) {
        tu_y(Y, RULES_F_IP_CLASS1, e[i].at);
        eval();
        assert_int_equal(firm.ind[k].score_x100, e[i].score * 100);
        tu_y(Y, RULES_F_IP_CLASS1, e[i].at - 1);
        eval();
        assert_int_equal(firm.ind[k].score_x100, e[i].below * 100);
        tu_y(Y, RULES_F_IP_CLASS1, e[i].at + 1);
        eval();
        assert_int_equal(firm.ind[k].score_x100, e[i].score * 100);
    }
    int n = ind("ip_class1_new");
    tu_y(Y - 1, RULES_F_IP_CLASS1, 7);
    tu_y(Y, RULES_F_IP_CLASS1, 9); /* +2 → 80 */
    eval();
    assert_int_equal(firm.ind[n].score_x100, 8000);
    tu_y(Y, RULES_F_IP_CLASS1, 10); /* +3 → 100 */
    eval();
    assert_int_equal(firm.ind[n].score_x100, 10000);
    tu_y(Y, RULES_F_IP_CLASS1, 6); /* −1 → 0 */
    eval();
    assert_int_equal(firm.ind[n].score_x100, 0);
    tu_y_clear(Y - 1, RULES_F_IP_CLASS1);
    eval();
    assert_int_equal(firm.ind[n].v.state, PTS_V_MISSING);
}

/* A small configuration for percentile, ratio and band tests. */
static const char *small_cfg =
    "{\"kind\":\"points\",\"schema\":1,\"id\":\"t\",\"title_zh\":\"测试\","
    "\"stages\":[{\"id\":\"a\",\"zh\":\"甲\",\"below\":\"100万元\"},{\"id\":\"b\",\"zh\":\"乙\"}],"
    "\"groups\":[{\"id\":\"g\",\"zh\":\"组\"}],"
    "\"indicators\":["
    "{\"id\":\"ri\",\"group\":\"g\",\"measure\":\"rd_intensity\",\"scoring\":\"brackets\","
    " \"weights\":{\"a\":40,\"b\":40},\"brackets\":[{\"op\":\">=\",\"value\":\"4%\",\"score\":100},"
    " {\"op\":\">=\",\"value\":\"3.5%\",\"score\":50},{\"else\":true,\"score\":0}]},"
    "{\"id\":\"p\",\"group\":\"g\",\"measure\":\"rd_staff\",\"scoring\":\"percentile\","
    " \"weights\":{\"a\":30,\"b\":30}},"
    "{\"id\":\"l\",\"group\":\"g\",\"measure\":\"asset_liability_ratio\",\"scoring\":\"percentile\","
    " \"direction\":\"lower\",\"weights\":{\"a\":30,\"b\":30}}],"
    "\"bonus\":[{\"id\":\"h\",\"measure\":\"has_valid_hnte\",\"op\":\"==\",\"value\":1,\"points\":7},"
    " {\"id\":\"s\",\"measure\":\"sci_award_3y\",\"op\":\"==\",\"value\":1,\"points\":6}],"
    "\"bonus_cap\":10,"
    "\"negative\":[{\"id\":\"x\",\"measure\":\"not_on_abnormal_list\",\"op\":\"==\",\"value\":0,"
    " \"points\":15}],"
    "\"bands\":[{\"id\":\"lead\",\"zh\":\"领跑\",\"top_percent\":5},"
    " {\"id\":\"compete\",\"zh\":\"竞跑\",\"top_percent\":10},"
    " {\"id\":\"progress\",\"zh\":\"进取\",\"top_percent\":20}]}";

/* Parses small_cfg into cfg. */
static void load_small(void)
{
    struct pts_error e;
    int rc = pts_config_parse(small_cfg, strlen(small_cfg), &cfg, &e);
    if (rc)
        fail_msg("small config: %s %s", e.field, e.en);
}

/* Ratio brackets compare exactly: ¥2,000,000 of R&D on ¥50,000,000 is exactly 4%. */
static void test_ratio_exact(void **state)
{
    (void)state;
    load_small();
    base_firm();
    int k = ind("ri");
    tu_y(Y, RULES_F_OPERATING_REVENUE, WAN(5000));
    tu_y(Y, RULES_F_RD_EXPENSE, WAN(200));
    eval();
    assert_int_equal(firm.ind[k].score_x100, 10000);
    tu_y(Y, RULES_F_RD_EXPENSE, WAN(200) - 1);
    eval();
    assert_int_equal(firm.ind[k].score_x100, 5000);
    tu_y(Y, RULES_F_RD_EXPENSE, WAN(175)); /* exactly 3.5% */
    eval();
    assert_int_equal(firm.ind[k].score_x100, 5000);
    tu_y(Y, RULES_F_RD_EXPENSE, WAN(175) - 1);
    eval();
    assert_int_equal(firm.ind[k].score_x100, 0);
    /* Zero revenue with R&D: +∞, the top bracket (the rule engine's convention). */
    tu_y(Y, RULES_F_OPERATING_REVENUE, 0);
    tu_y(Y, RULES_F_RD_EXPENSE, 1);
    eval();
    assert_int_equal(firm.ind[k].v.state, PTS_V_INF);
    assert_int_equal(firm.ind[k].score_x100, 10000);
}

/* Percentiles: mid-rank within the cohort; ties share a score; missing values are outside
 * the cohort; "lower is better" reverses; one firm alone scores 100; all equal score 50. */
static void test_percentile_ties(void **state)
{
    (void)state;
    load_small();
    static const int staff[] = {1, 2, 2, 3, -1};
    static const int want[] = {0, 5000, 5000, 10000, 0};
    struct pts_firm fs[5];
    struct pts_firm *ptr[5];
    int p = ind("p");
    for (int i = 0; i < 5; i++) {
        base_firm();
        if (staff[i] >= 0)
            tu_y(Y, RULES_F_RD_STAFF, staff[i]);
        else
            tu_y_clear(Y, RULES_F_RD_STAFF);
        fs[i].org_id = i + 1;
        pts_eval(&cfg, &tu_rec, Y, &fs[i]);
        ptr[i] = &fs[i];
    }
    pts_score_cohort(&cfg, ptr, 5);
    for (int i = 0; i < 5; i++)
        assert_int_equal(fs[i].ind[p].score_x100, want[i]);
    assert_int_equal(fs[1].ind[p].below, 1);
    assert_int_equal(fs[1].ind[p].ties, 2);
    assert_int_equal(fs[1].ind[p].n, 4);
    assert_int_equal(fs[4].ind[p].n, 0);
    /* points = score × weight; total includes it exactly */
    assert_int_equal(fs[3].ind[p].points, 10000 * 30);
    /* Truncation to hundredths: 1 of 7 below → (2·1 + 1 − 1)/(2·6) = 1/6 → 16.66. */
    struct pts_firm gs[7];
    struct pts_firm *gp[7];
    for (int i = 0; i < 7; i++) {
        base_firm();
        tu_y(Y, RULES_F_RD_STAFF, i);
        gs[i].org_id = i + 1;
        pts_eval(&cfg, &tu_rec, Y, &gs[i]);
        gp[i] = &gs[i];
    }
    pts_score_cohort(&cfg, gp, 7);
    assert_int_equal(gs[1].ind[p].score_x100, 1666);
    assert_int_equal(gs[6].ind[p].score_x100, 10000);
    /* Lower is better: the lowest debt ratio scores 100. */
    int l = ind("l");
    for (int i = 0; i < 3; i++) {
        base_firm();
        tu_y(Y, RULES_F_TOTAL_LIABILITIES, WAN(1000) * (i + 1));
        fs[i].org_id = i + 1;
        pts_eval(&cfg, &tu_rec, Y, &fs[i]);
        ptr[i] = &fs[i];
    }
    pts_score_cohort(&cfg, ptr, 3);
    assert_int_equal(fs[0].ind[l].score_x100, 10000);
    assert_int_equal(fs[1].ind[l].score_x100, 5000);
    assert_int_equal(fs[2].ind[l].score_x100, 0);
    /* One firm alone: 100. All equal: 50. */
    pts_score_cohort(&cfg, ptr, 1);
    assert_int_equal(fs[0].ind[p].score_x100, 10000);
    for (int i = 0; i < 3; i++) {
        base_firm();
        pts_eval(&cfg, &tu_rec, Y, &fs[i]);
    }
    pts_score_cohort(&cfg, ptr, 3);
    for (int i = 0; i < 3; i++)
        assert_int_equal(fs[i].ind[p].score_x100, 5000);
}

/* Bonus items add (capped at bonus_cap), negative items deduct; unknown data applies
 * neither. */
static void test_bonus_negative(void **state)
{
    (void)state;
    load_small();
    base_firm();
    eval();
    int64_t base = firm.total;
    assert_int_equal(firm.bonus_points, 0);
    tu_id(RULES_F_HAS_VALID_HNTE, 1);
    eval();
    assert_int_equal(firm.bonus_points, 70000);
    assert_int_equal(firm.total, base + 70000);
    assert_int_equal(firm.bonus[0], PTS_A_HIT);
    tu_id(RULES_F_SCI_AWARD_3Y, 1); /* 7 + 6 = 13 → capped at 10 */
    eval();
    assert_int_equal(firm.bonus_points, 100000);
    tu_id(RULES_F_NOT_ON_ABNORMAL_LIST, 0);
    eval();
    assert_int_equal(firm.negative_points, 150000);
    assert_int_equal(firm.total, base + 100000 - 150000);
    tu_id_clear(RULES_F_NOT_ON_ABNORMAL_LIST);
    tu_id_clear(RULES_F_HAS_VALID_HNTE);
    eval();
    assert_int_equal(firm.negative[0], PTS_A_UNKNOWN);
    assert_int_equal(firm.bonus[0], PTS_A_UNKNOWN);
    assert_int_equal(firm.negative_points, 0);
    assert_int_equal(firm.bonus_points, 60000);
}

/* League bands at their edges: n = 20 → rank 1 lead (5%), rank 2 compete (10%), ranks 3–4
 * progress (20%), rank 5 none; ties share the better rank. */
static void test_bands_and_ranks(void **state)
{
    (void)state;
    load_small();
    assert_int_equal(pts_band_of(&cfg, 1, 20), 0);
    assert_int_equal(pts_band_of(&cfg, 2, 20), 1);
    assert_int_equal(pts_band_of(&cfg, 3, 20), 2);
    assert_int_equal(pts_band_of(&cfg, 4, 20), 2);
    assert_int_equal(pts_band_of(&cfg, 5, 20), -1);
    assert_int_equal(pts_band_of(&cfg, 1, 19), 1); /* 100 > 95: not in the top 5% of 19 */
    assert_int_equal(pts_band_of(&cfg, 1, 10), 1);
    struct pts_firm fs[4];
    struct pts_firm *ptr[4];
    static const int64_t totals[] = {50, 90, 90, 10};
    for (int i = 0; i < 4; i++) {
        memset(&fs[i], 0, sizeof(fs[i]));
        fs[i].org_id = 10 - i;
        fs[i].total = totals[i];
        ptr[i] = &fs[i];
    }
    pts_rank(&cfg, ptr, 4);
    assert_int_equal(ptr[0]->total, 90);
    assert_int_equal(ptr[0]->org_id, 8); /* tie broken by org_id */
    assert_int_equal(ptr[0]->rank, 1);
    assert_int_equal(ptr[1]->rank, 1);
    assert_int_equal(ptr[2]->rank, 3);
    assert_int_equal(ptr[3]->rank, 4);
    assert_int_equal(ptr[3]->ranked_n, 4);
}

/* Expects parsing text (with one substitution applied to small_cfg) to fail with code at
 * field. */
static void expect_error(const char *from, const char *to, const char *code, const char *field)
{
    const char *at = strstr(small_cfg, from);
    assert_non_null(at);
    char text[8192];
    snprintf(text, sizeof(text), "%.*s%s%s", (int)(at - small_cfg), small_cfg, to,
             at + strlen(from));
    struct pts_config *c = malloc(sizeof(*c));
    struct pts_error e;
    int rc = pts_config_parse(text, strlen(text), c, &e);
    free(c);
    if (rc != KC_ERR_INVALID)
        fail_msg("accepted: %s → %s", from, to);
    if (strcmp(e.code, code) != 0 || strcmp(e.field, field) != 0)
        fail_msg("%s → %s: got %s at %s (%s), want %s at %s", from, to, e.code, e.field, e.en,
                 code, field);
    assert_non_null(strstr(e.zh, field));
}

/* Validation names the field of every kind of mistake. */
static void test_validation(void **state)
{
    (void)state;
    expect_error("\"weights\":{\"a\":40,\"b\":40}", "\"weights\":{\"a\":40,\"b\":39}", "weights_sum",
                 "weights.b");
    expect_error("\"weights\":{\"a\":40,\"b\":40}", "\"weights\":{\"a\":40}", "required",
                 "indicators[0].weights.b");
    expect_error("\"weights\":{\"a\":40,\"b\":40}", "\"weights\":{\"a\":40,\"b\":40,\"c\":1}",
                 "unknown_field", "indicators[0].weights.c");
    expect_error("\"value\":\"3.5%\"", "\"value\":\"4.5%\"", "brackets_order",
                 "indicators[0].brackets[1].value");
    expect_error("{\"else\":true,\"score\":0}", "{\"else\":true,\"score\":60}",
                 "brackets_order", "indicators[0].brackets[2].score");
    expect_error("{\"else\":true,\"score\":0}", "{\"op\":\">=\",\"value\":\"1%\",\"score\":0}",
                 "bracket_else", "indicators[0].brackets[2].else");
    expect_error("\"value\":\"4%\"", "\"value\":\"400万元\"", "unit_mismatch",
                 "indicators[0].brackets[0].value");
    expect_error("\"value\":\"4%\"", "\"value\":\"4x\"", "unit_mismatch",
                 "indicators[0].brackets[0].value");
    expect_error("\"measure\":\"rd_staff\"", "\"measure\":\"nope\"", "unknown_measure",
                 "indicators[1].measure");
    expect_error("\"group\":\"g\",\"measure\":\"rd_staff\"", "\"group\":\"h\",\"measure\":\"rd_staff\"",
                 "unknown_group", "indicators[1].group");
    expect_error("\"id\":\"p\"", "\"id\":\"ri\"", "duplicate_id", "indicators[1].id");
    expect_error("\"scoring\":\"percentile\", \"weights\":{\"a\":30",
                 "\"scoring\":\"ranked\", \"weights\":{\"a\":30", "invalid_value",
                 "indicators[1].scoring");
    expect_error("\"below\":\"100万元\"", "\"below\":\"0元\"", "out_of_range", "stages[0].below");
    expect_error("\"points\":7", "\"points\":0", "out_of_range", "bonus[0].points");
    expect_error("\"points\":15", "\"points\":\"15\"", "wrong_type", "negative[0].points");
    expect_error("\"top_percent\":10", "\"top_percent\":5", "bands_order", "bands[1].top_percent");
    expect_error("\"title_zh\":\"测试\"", "\"title_zh\":\"测试\",\"extra\":1", "unknown_field",
                 "extra");
    expect_error("\"op\":\"==\",\"value\":1,\"points\":7", "\"op\":\"==\",\"value\":2,\"points\":7",
                 "invalid_value", "bonus[0].value");
    expect_error("\"op\":\">=\",\"value\":\"4%\"", "\"op\":\"=>\",\"value\":\"4%\"",
                 "invalid_value", "indicators[0].brackets[0].op");
}

/* The breakdown JSON lists every indicator with value, bracket or percentile, score, weight
 * and points, and totals that add up. */
static void test_output(void **state)
{
    (void)state;
    load_default();
    base_firm();
    eval();
    struct pts_firm *one = &firm;
    pts_score_cohort(&cfg, &one, 1);
    struct buf b = {0};
    struct jw w;
    jw_init(&w, &b);
    pts_write_firm(&w, &cfg, &firm);
    json_error_t je;
    json_t *o = json_loads(buf_str(&b), 0, &je);
    if (!o)
        fail_msg("not JSON: %s in %s", je.text, buf_str(&b));
    json_t *inds = json_object_get(o, "indicators");
    assert_int_equal(json_array_size(inds), cfg.n_indicators);
    double sum = 0;
    size_t i;
    json_t *e;
    json_array_foreach(inds, i, e)
    {
        assert_non_null(json_object_get(e, "weight"));
        assert_non_null(json_object_get(e, "score"));
        sum += json_number_value(json_object_get(e, "points"));
        if (strcmp(json_string_value(json_object_get(e, "scoring")), "brackets") == 0 &&
            json_string_value(json_object_get(e, "value")))
            assert_true(json_is_object(json_object_get(e, "bracket")));
    }
    assert_true(sum - json_number_value(json_object_get(o, "indicator_points")) < 1e-6);
    assert_string_equal(json_string_value(json_object_get(json_object_get(o, "stage"), "id")),
                        "growth");
    assert_true(json_is_true(json_object_get(o, "provisional")));
    json_decref(o);
    buf_free(&b);
    char s[32];
    pts_fmt_points(s, sizeof(s), 123450);
    assert_string_equal(s, "12.345");
    pts_fmt_points(s, sizeof(s), -30000);
    assert_string_equal(s, "-3");
    pts_fmt_points(s, sizeof(s), 1);
    assert_string_equal(s, "0.0001");
}


/* A tsme-2017 firm for the pool tests: declarations met, score 46 (8 + 20 + 18). */
static void tsme_firm(int64_t employees, int64_t tech, int64_t rd_wan, int64_t ip2)
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
    tu_y(Y, RULES_F_EMPLOYEES, employees);
    tu_y(Y, RULES_F_TECH_STAFF, tech);
    tu_y(Y, RULES_F_SALES_REVENUE, WAN(5000));
    tu_y(Y, RULES_F_COST_EXPENSE_TOTAL, WAN(4500));
    tu_y(Y, RULES_F_TOTAL_ASSETS, WAN(5000));
    tu_y(Y, RULES_F_RD_EXPENSE, WAN(rd_wan));
    tu_y(Y, RULES_F_IP_CLASS1, 0);
    tu_y(Y, RULES_F_IP_CLASS2, ip2);
}

/* The margin test at its edges: ≤ 500 within 10 % holds up to 550 and not at 551; ≥ 4 %
 * within 10 % holds from 3.6 % exactly and not one 分 below; == is never near. */
static void test_pool_threshold_edges(void **state)
{
    (void)state;
    struct rules_value v = {550, 1, RULES_V_OK, 0, 1};
    struct rules_q cap = {500, 1};
    assert_true(pool_near_threshold(&v, cap, RULES_OP_LE, 10));
    v.num = 551;
    assert_false(pool_near_threshold(&v, cap, RULES_OP_LE, 10));
    assert_true(pool_near_threshold(&v, cap, RULES_OP_LE, 11));
    v.num = 520;
    assert_false(pool_near_threshold(&v, cap, RULES_OP_LE, 0));
    struct rules_q four = {1, 25}; /* 4 % */
    struct rules_value r = {WAN(180), WAN(5000), RULES_V_OK, 0, 1}; /* exactly 3.6 % */
    assert_true(pool_near_threshold(&r, four, RULES_OP_GE, 10));
    r.num = WAN(180) - 1;
    assert_false(pool_near_threshold(&r, four, RULES_OP_GE, 10));
    assert_false(pool_near_threshold(&r, four, RULES_OP_EQ, 50));
    r.state = RULES_V_MISSING;
    assert_false(pool_near_threshold(&r, four, RULES_OP_GE, 50));
}

/* Routes through tsme-2017's verdict: a score short is one condition (the direct-
 * confirmation branch is one too: the fewer counts); too many staff adds one; a pass has
 * none; nearness of the score and the staff cap follow the margins. */
static void test_pool_routes(void **state)
{
    (void)state;
    const struct rules_set *s = tu_set("tsme-2017");
    tsme_firm(100, 15, 150, 3); /* 46 points */
    tu_eval("tsme-2017", Y);
    assert_int_equal(tu_res.verdict, RULES_NOT_MET);
    assert_int_equal(pool_route_failed(s, &tu_res), 1);
    assert_false(pool_route_near(s, &tu_res, 10, 13)); /* 14 points short */
    assert_true(pool_route_near(s, &tu_res, 10, 14));
    tsme_firm(520, 78, 200, 3); /* 520 staff, 56 points */
    tu_eval("tsme-2017", Y);
    assert_int_equal(pool_route_failed(s, &tu_res), 2);
    assert_true(pool_route_near(s, &tu_res, 10, 4));
    assert_false(pool_route_near(s, &tu_res, 10, 3));
    assert_false(pool_route_near(s, &tu_res, 3, 4)); /* 520 > 515 */
    assert_true(pool_route_near(s, &tu_res, 4, 4));  /* 520 ≤ 520 */
    tsme_firm(600, 90, 150, 3);
    tu_eval("tsme-2017", Y);
    assert_int_equal(pool_route_failed(s, &tu_res), 2);
    assert_false(pool_route_near(s, &tu_res, 10, 30));
    tsme_firm(100, 30, 300, 4);
    tu_id(RULES_F_HAS_VALID_HNTE, 0);
    tu_y(Y, RULES_F_IP_CLASS1, 1);
    tu_eval("tsme-2017", Y);
    assert_int_equal(tu_res.verdict, RULES_MET);
    assert_int_equal(pool_route_failed(s, &tu_res), 0);
    /* Missing data counts as failing and is never near. */
    tsme_firm(100, 15, 150, 3);
    tu_id_clear(RULES_F_NOT_ON_ABNORMAL_LIST);
    tu_eval("tsme-2017", Y);
    assert_int_equal(pool_route_failed(s, &tu_res), 2);
    assert_false(pool_route_near(s, &tu_res, 50, 30));
}

/* Runs the tests (the rule registry is loaded to check it skips the points file). */
int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_default_config),  cmocka_unit_test(test_stage_edges),
        cmocka_unit_test(test_money_bracket_edges), cmocka_unit_test(test_count_bracket_edges),
        cmocka_unit_test(test_ratio_exact),     cmocka_unit_test(test_percentile_ties),
        cmocka_unit_test(test_bonus_negative),  cmocka_unit_test(test_bands_and_ranks),
        cmocka_unit_test(test_validation),      cmocka_unit_test(test_output),
        cmocka_unit_test(test_pool_threshold_edges), cmocka_unit_test(test_pool_routes),
    };
    return cmocka_run_group_tests(tests, tu_setup, tu_teardown);
}
