/* test_plan_data.c — unit tests for domain/plan_data (the seed plans shipped as data). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/asset.h"
#include "domain/plan_data.h"

/* The five plan files. */
#define F_TZ "data/plans/000-taizhou-liangxin.json"
#define F_YZ "data/plans/001-yangzhou-2024.json"
#define F_LS "data/plans/002-lishui-2024.json"
#define F_ZHT "data/plans/003-taizhou-complex-2018.json"
#define F_JX "data/plans/004-jiaxing-315.json"

/* The 9 county-level divisions of 丽水 (data/regions.csv). */
static const char *const LS_COUNTIES[] = {"331102", "331121", "331122", "331123", "331124",
                                          "331125", "331126", "331127", "331181"};

/* Loads the embedded set; the test owns it through *state. */
static int setup(void **state)
{
    struct plan_set *set = NULL;
    char err[4096];
    int rc = plan_data_load_assets(assets_data, assets_data_count, &set, err, sizeof(err));
    if (rc != 0)
        fprintf(stderr, "%s\n", err);
    *state = set;
    return rc == 0 ? 0 : -1;
}

/* Frees the set of setup. */
static int teardown(void **state)
{
    plan_data_free(*state);
    return 0;
}

/* The plan with code from the set; fails the test when absent. */
static const struct plan_data_plan *plan(void **state, const char *code)
{
    const struct plan_data_plan *p = plan_data_find_plan(*state, code);
    assert_non_null(p);
    return p;
}

/* The only target of p on indicator in region; fails unless there is exactly one. */
static const struct plan_data_target *only_target(const struct plan_data_plan *p,
                                                  const char *indicator, const char *region)
{
    const struct plan_data_target *t = plan_data_next_target(p, indicator, region, NULL);
    assert_non_null(t);
    assert_null(plan_data_next_target(p, indicator, region, t));
    return t;
}

/* Asserts a value target: comparator, value, year. */
static void check_target(const struct plan_data_target *t, enum plan_data_cmp cmp, double value,
                         int year)
{
    assert_int_equal(t->kind, PLAN_DATA_TARGET_VALUE);
    assert_int_equal(t->cmp, cmp);
    assert_true(t->target_value == value);
    assert_int_equal(t->target_year, year);
}

/* All five plans load and validate; every target resolves its task and indicator. */
static void test_load_all(void **state)
{
    struct plan_set *set = *state;
    assert_int_equal(set->n_plans, 5);
    const char *codes[] = {"TZ-LXRH", "YZ-2024-WDGC", "LS-2024-KJFN", "TZ-2018-ZHT", "JX-2023-315"};
    for (size_t i = 0; i < 5; i++) {
        const struct plan_data_plan *p = plan(state, codes[i]);
        assert_true(p->n_tasks > 0);
        assert_true(p->n_targets > 0);
        for (size_t j = 0; j < p->n_targets; j++) {
            assert_non_null(p->targets[j].task);
            assert_non_null(p->targets[j].indicator);
            assert_non_null(p->targets[j].text);
        }
    }
    /* The public entry point agrees. */
    struct plan_set *again = NULL;
    assert_int_equal(plan_data_load_all(&again), 0);
    assert_int_equal(again->n_plans, 5);
    plan_data_free(again);
}

/* 台州 两新融合: 3000 national HNTEs by 2027, computed. */
static void test_taizhou_liangxin(void **state)
{
    const struct plan_data_plan *p = plan(state, "TZ-LXRH");
    assert_string_equal(p->issuing_region, "331000");
    assert_string_equal(p->period_end, "2027-12-31");
    const struct plan_data_target *t = only_target(p, "hnte_count", "331000");
    check_target(t, PLAN_DATA_CMP_GE, 3000, 2027);
    assert_int_equal(t->indicator->kind, PLAN_DATA_COMPUTED);
    assert_string_equal(t->indicator->formula, "cert_valid_count");
    check_target(only_target(p, "platform_project_concentration", "331000"), PLAN_DATA_CMP_GE, 90,
                 2027);
    check_target(only_target(p, "prov_leading_young_talent_count", "331000"), PLAN_DATA_CMP_GE, 160,
                 2027);
    check_target(only_target(p, "regional_brand_count", "331000"), PLAN_DATA_CMP_GE, 10, 2027);
}

/* 扬州 2024: the 2024 targets and the 2023 baselines. */
static void test_yangzhou(void **state)
{
    const struct plan_data_plan *p = plan(state, "YZ-2024-WDGC");
    assert_true(p->source_traditional);
    assert_int_equal(p->n_tasks, 5);
    const struct plan_data_target *t = only_target(p, "tech_contract_value", "321000");
    check_target(t, PLAN_DATA_CMP_GE, 260, 2024);
    assert_int_equal(t->basis, PLAN_DATA_BASIS_ANNUAL);
    assert_string_equal(t->indicator->unit, "亿元");
    assert_int_equal(t->indicator->kind, PLAN_DATA_COMPUTED);
    check_target(only_target(p, "tsme_registered", "321000"), PLAN_DATA_CMP_GE, 3500, 2024);
    t = only_target(p, "hnte_count", "321000");
    check_target(t, PLAN_DATA_CMP_GE, 2500, 2024);
    assert_true(t->has_baseline);
    assert_int_equal(t->baseline.year, 2023);
    assert_int_equal(t->baseline.cmp, PLAN_DATA_CMP_GT);
    assert_true(t->baseline.value == 2000);
    t = only_target(p, "tech_firm_recruited", "321000");
    check_target(t, PLAN_DATA_CMP_GE, 700, 2024);
    assert_true(t->has_stretch);
    assert_true(t->stretch_value == 800);
    check_target(only_target(p, "key_tech_project_count", "321000"), PLAN_DATA_CMP_GT, 100, 2024);
    check_target(only_target(p, "hitech_output_share", "321000"), PLAN_DATA_CMP_GE, 52, 2024);
    t = only_target(p, "rd_expenditure", "321000");
    assert_int_equal(t->kind, PLAN_DATA_TARGET_GROWTH);
    assert_int_equal(t->growth_mode, PLAN_DATA_GROWTH_YOY);
    assert_true(t->rate_pct == 10);
    assert_int_equal(t->base_year, 2023);
    int seen = 0;
    for (size_t i = 0; i < p->n_observations; i++) {
        const struct plan_data_observation *o = &p->observations[i];
        assert_int_equal(o->point.year, 2023);
        if (strcmp(o->indicator->code, "rd_gdp_ratio") == 0) {
            assert_true(o->point.value == 2.48);
            assert_int_equal(o->indicator->kind, PLAN_DATA_REPORTED);
            seen |= 1;
        } else if (strcmp(o->indicator->code, "hnte_approved") == 0) {
            assert_true(o->point.value == 799);
            seen |= 2;
        }
    }
    assert_int_equal(seen, 3);
}

/* 嘉兴 "315": R&D/GDP > 3.65% and the 2027 ladder counts. */
static void test_jiaxing(void **state)
{
    const struct plan_data_plan *p = plan(state, "JX-2023-315");
    check_target(only_target(p, "rd_gdp_ratio", "330400"), PLAN_DATA_CMP_GT, 3.65, 2027);
    check_target(only_target(p, "tsme_count", "330400"), PLAN_DATA_CMP_GT, 15000, 2027);
    check_target(only_target(p, "hnte_count", "330400"), PLAN_DATA_CMP_GT, 6000, 2027);
    check_target(only_target(p, "sci_giant_count", "330400"), PLAN_DATA_CMP_GT, 60, 2027);
    check_target(only_target(p, "sci_leader_count", "330400"), PLAN_DATA_CMP_GT, 20, 2027);
    check_target(only_target(p, "ind_rd_revenue_ratio", "330400"), PLAN_DATA_CMP_GE, 3.4, 2027);
    check_target(only_target(p, "hitech_va_share", "330400"), PLAN_DATA_CMP_GE, 73, 2027);
    check_target(only_target(p, "hv_invention_patents_per_10k", "330400"), PLAN_DATA_CMP_GE, 20,
                 2027);
    check_target(only_target(p, "rd_personnel_per_10k", "330400"), PLAN_DATA_CMP_GE, 230, 2027);
    check_target(only_target(p, "new_rd_inst_city_count", "330400"), PLAN_DATA_CMP_GE, 30, 2027);
    check_target(only_target(p, "new_rd_inst_prov_count", "330400"), PLAN_DATA_CMP_GE, 20, 2027);
    const struct plan_data_target *t = only_target(p, "hardcore_results", "330400");
    assert_int_equal(t->cmp, PLAN_DATA_CMP_BETWEEN);
    assert_true(t->target_value == 5 && t->target_value_max == 10);
    t = only_target(p, "tech_contract_value", "330400");
    check_target(t, PLAN_DATA_CMP_GT, 1000, 2027);
    assert_int_equal(t->basis, PLAN_DATA_BASIS_CUMULATIVE);
    assert_int_equal(t->cumulative_from, 2023);
    t = only_target(p, "hitech_investment_growth", "330400");
    assert_int_equal(t->kind, PLAN_DATA_TARGET_RELATIVE);
    assert_string_equal(t->relative_to->code, "fai_growth");
    assert_int_equal(t->each_year_from, 2023);
    t = only_target(p, "fiscal_sci_spending", "330400");
    assert_int_equal(t->growth_mode, PLAN_DATA_GROWTH_CAGR);
    assert_true(t->rate_pct == 18);
    const struct plan_data_task *task = plan_data_find_task(p, "T1.4");
    assert_non_null(task);
    assert_string_equal(task->lead->name, "市发展改革委");
    assert_int_equal(task->n_units, 4);
}

/* 丽水: nine tasks with deadlines and units; per county-chain targets; city targets. */
static void test_lishui(void **state)
{
    const struct plan_data_plan *p = plan(state, "LS-2024-KJFN");
    assert_int_equal(p->status, PLAN_DATA_STATUS_DRAFT);
    const char *deadlines[9] = {"2024-03-31", "2024-06-30", "2026-12-31",
                                "2026-12-31", "2026-12-31", NULL,
                                "2026-12-31", "2026-12-31", "2026-12-31"};
    const char *leads[9] = {"市科技局",     "市科技局", "市科技局", "市科技局",    "市经信局",
                            "市市场监管局", "市经信局", "市科技局", "市双招双引力"};
    for (int i = 0; i < 9; i++) {
        char code[8];
        snprintf(code, sizeof(code), "T%d", i + 1);
        const struct plan_data_task *t = plan_data_find_task(p, code);
        assert_non_null(t);
        assert_int_equal(t->kind, PLAN_DATA_TASK_TASK);
        if (deadlines[i])
            assert_string_equal(t->deadline, deadlines[i]);
        else
            assert_null(t->deadline);
        assert_string_equal(t->lead->name, leads[i]);
        /* Every task names the counties and 丽水开发区. */
        assert_true(t->n_units >= 3);
        assert_string_equal(t->units[t->n_units - 1]->name, "丽水开发区管委会");
        assert_true(t->units[t->n_units - 2]->collective);
    }
    for (size_t i = 0; i < 9; i++) {
        const char *rc = LS_COUNTIES[i];
        char chain[32];
        snprintf(chain, sizeof(chain), "LS-%s-1", rc);
        const struct plan_data_target *t = only_target(p, "chain_demand_count", rc);
        check_target(t, PLAN_DATA_CMP_GE, 10, 2024);
        assert_string_equal(t->target_date, "2024-06-30");
        assert_string_equal(t->chain, chain);
        assert_int_equal(t->indicator->kind, PLAN_DATA_COMPUTED);
        t = only_target(p, "chain_project_count", rc);
        check_target(t, PLAN_DATA_CMP_GE, 15, 2026);
        assert_int_equal(t->basis, PLAN_DATA_BASIS_CUMULATIVE);
        assert_int_equal(t->n_milestones, 1);
        assert_int_equal(t->milestones[0].year, 2024);
        assert_true(t->milestones[0].value == 6);
        check_target(only_target(p, "chain_landmark_results", rc), PLAN_DATA_CMP_GE, 2, 2026);
        check_target(only_target(p, "chain_achievement_library", rc), PLAN_DATA_CMP_GE, 1, 2024);
        check_target(only_target(p, "chain_commissioner_team", rc), PLAN_DATA_CMP_GE, 1, 2024);
        t = only_target(p, "chain_roadshow_count", rc);
        check_target(t, PLAN_DATA_CMP_GE, 1, 2026);
        assert_int_equal(t->each_year_from, 2024);
        t = only_target(p, "chain_output", rc);
        assert_int_equal(t->kind, PLAN_DATA_TARGET_GROWTH);
        assert_true(t->rate_pct == 8);
        t = only_target(p, "chain_tech_contract_value", rc);
        assert_int_equal(t->growth_mode, PLAN_DATA_GROWTH_TOTAL);
        assert_true(t->rate_pct == 100);
        assert_int_equal(t->target_year, 2028);
    }
    check_target(only_target(p, "sci_leader_count", "331100"), PLAN_DATA_CMP_GE, 3, 2026);
    check_target(only_target(p, "sci_giant_count", "331100"), PLAN_DATA_CMP_GE, 10, 2026);
    const struct plan_data_target *t = only_target(p, "tech_renovation_coverage", "331100");
    check_target(t, PLAN_DATA_CMP_GT, 90, 2026);
    assert_true(t->milestones[0].value == 85);
    assert_int_equal(t->milestones[0].cmp, PLAN_DATA_CMP_GE);
    t = only_target(p, "rd_activity_share", "331100");
    check_target(t, PLAN_DATA_CMP_GE, 80, 2026);
    assert_true(t->milestones[0].value == 70);
}

/* 台州 综合体 2018–2020: ≥30 with ≥10 provincial; floor areas by level; one a year per
 * county. */
static void test_taizhou_complex(void **state)
{
    const struct plan_data_plan *p = plan(state, "TZ-2018-ZHT");
    assert_string_equal(p->doc_no, "台科〔2018〕85号");
    assert_int_equal(p->status, PLAN_DATA_STATUS_CLOSED);
    check_target(only_target(p, "complex_count", "331000"), PLAN_DATA_CMP_GE, 30, 2020);
    check_target(only_target(p, "complex_prov_count", "331000"), PLAN_DATA_CMP_GE, 10, 2020);
    int n = 0;
    for (const struct plan_data_target *t = plan_data_next_target(p, "complex_new", NULL, NULL); t;
         t = plan_data_next_target(p, "complex_new", NULL, t)) {
        check_target(t, PLAN_DATA_CMP_GE, 1, 2020);
        assert_int_equal(t->each_year_from, 2018);
        assert_int_equal(strncmp(t->region, "3310", 4), 0);
        n++;
    }
    assert_int_equal(n, 9);
    const char *levels[3] = {"county", "city", "province"};
    const double areas[3] = {2000, 5000, 10000};
    assert_int_equal(p->n_requirements, 3);
    for (int i = 0; i < 3; i++) {
        const struct plan_data_requirement *r = &p->requirements[i];
        assert_string_equal(r->level, levels[i]);
        assert_string_equal(r->attribute, "floor_area");
        assert_int_equal(r->cmp, PLAN_DATA_CMP_GE);
        assert_true(r->value == areas[i]);
        assert_string_equal(r->unit, "平方米");
    }
}

/* ---- verbatim check against the seed texts ---- */

/* Traditional → simplified pairs for the characters of seed 001 (same length in
 * characters; every character is 3 bytes). */
static const char T2S_FROM[] =
    "個備億優兩創動務區協員國圍園團場壇壯奮學實將專對導層帥強從態戰掛揚換撐撥數斷會條業構機權沖"
    "準營爭獎獲現產發確競籌籠級紹組結統綜總績織繞續聯臺與興舉藥術視訊記設認論證議讓負責資賦質賽"
    "軍載轉辦進運達醫鍛鍵鏈長開關陽隊際雙響項領頭頻題類駐騰驗體鳥龍";
/* The simplified characters, in the same order. */
static const char T2S_TO[] =
    "个备亿优两创动务区协员国围园团场坛壮奋学实将专对导层帅强从态战挂扬换撑拨数断会条业构机权冲"
    "准营争奖获现产发确竞筹笼级绍组结统综总绩织绕续联台与兴举药术视讯记设认论证议让负责资赋质赛"
    "军载转办进运达医锻键链长开关阳队际双响项领头频题类驻腾验体鸟龙";

/* Length of a UTF-8 sequence starting with byte c. */
static size_t u8len(unsigned char c)
{
    return c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
}

/* True when the bytes at s are blank: ASCII white space, U+00A0 or U+3000; *n gets the
 * length. */
static int blank_at(const unsigned char *s, size_t *n)
{
    if (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n') {
        *n = 1;
        return 1;
    }
    if (s[0] == 0xC2 && s[1] == 0xA0) {
        *n = 2;
        return 1;
    }
    if (s[0] == 0xE3 && s[1] == 0x80 && s[2] == 0x80) {
        *n = 3;
        return 1;
    }
    return 0;
}

/* Length of a pinyin annotation "(yáng)" at s (letters a-z and accented Latin), or 0. */
static size_t pinyin_at(const unsigned char *s)
{
    if (*s != '(')
        return 0;
    size_t i = 1;
    while ((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 0xC3 && s[i] <= 0xC7 && s[i + 1] >= 0x80))
        i += s[i] < 0x80 ? 1 : 2;
    return i > 1 && s[i] == ')' ? i + 1 : 0;
}

/* Returns the seed text normalised as data/plans/README.md says: page markers "N、" at
 * line starts dropped, blanks removed and, for a traditional seed, pinyin annotations
 * removed and characters mapped to simplified. The caller frees. */
static char *normalise_seed(const char *raw, int traditional)
{
    size_t n = strlen(raw);
    char *out = malloc(n + 1);
    assert_non_null(out);
    const unsigned char *s = (const unsigned char *)raw;
    size_t o = 0, i = 0;
    int line_start = 1;
    while (i < n) {
        if (line_start) {
            size_t j = i;
            while (s[j] >= '0' && s[j] <= '9')
                j++;
            if (j > i && s[j] == 0xE3 && s[j + 1] == 0x80 && s[j + 2] == 0x81)
                i = j + 3;
            line_start = 0;
            continue;
        }
        size_t k;
        if (s[i] == '\n') {
            line_start = 1;
            i++;
            continue;
        }
        if (blank_at(s + i, &k)) {
            i += k;
            continue;
        }
        if (traditional && (k = pinyin_at(s + i)) > 0) {
            i += k;
            continue;
        }
        k = u8len(s[i]);
        const char *rep = NULL;
        if (traditional && k == 3)
            for (size_t t = 0; T2S_FROM[t]; t += 3)
                if (memcmp(T2S_FROM + t, s + i, 3) == 0)
                    rep = T2S_TO + t;
        memcpy(out + o, rep ? (const unsigned char *)rep : s + i, k);
        o += k;
        i += k;
    }
    out[o] = '\0';
    return out;
}

/* True when text (blanks removed) occurs in seed, where "…" separates fragments that
 * must occur in this order. */
static int occurs(const char *seed, const char *text)
{
    size_t n = strlen(text);
    char *t = malloc(n + 1);
    assert_non_null(t);
    size_t o = 0, k;
    for (size_t i = 0; i < n;) {
        if (blank_at((const unsigned char *)text + i, &k)) {
            i += k;
            continue;
        }
        t[o++] = text[i++];
    }
    t[o] = '\0';
    const char *pos = seed;
    int ok = 1;
    for (char *frag = t; ok && frag;) {
        char *gap = strstr(frag, "…");
        if (gap)
            *gap = '\0';
        const char *hit = *frag ? strstr(pos, frag) : pos;
        if (!hit)
            ok = 0;
        else
            pos = hit + strlen(frag);
        frag = gap ? gap + strlen("…") : NULL;
    }
    free(t);
    return ok;
}

/* Reads a whole file; NULL when it cannot. The caller frees. */
static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *s = malloc((size_t)n + 1);
    assert_non_null(s);
    assert_int_equal(fread(s, 1, (size_t)n, f), (size_t)n);
    s[n] = '\0';
    fclose(f);
    return s;
}

/* Asserts that text occurs verbatim in the normalised seed, printing it otherwise. */
static void check_verbatim(const char *seed, const struct plan_data_plan *p, const char *what,
                           const char *text)
{
    if (!text)
        return;
    if (!occurs(seed, text))
        fail_msg("%s: %s not in %s: %s", p->file, what, p->source, text);
}

/* Every quoted text (excerpt, task descriptions, target, baseline, milestone,
 * observation and requirement texts) occurs verbatim in its seed. Skipped when
 * KC_SEEDS_DIR is not set or not there. */
static void test_texts_verbatim(void **state)
{
    const char *dir = getenv("KC_SEEDS_DIR");
    if (!dir || !*dir)
        skip();
    struct plan_set *set = *state;
    int checked = 0;
    for (size_t i = 0; i < set->n_plans; i++) {
        const struct plan_data_plan *p = set->plans[i];
        char path[1024];
        snprintf(path, sizeof(path), "%s/%s", dir, p->source);
        char *raw = slurp(path);
        if (!raw) {
            if (i == 0)
                skip();
            fail_msg("%s: seed %s missing", p->file, path);
        }
        char *seed = normalise_seed(raw, p->source_traditional);
        free(raw);
        check_verbatim(seed, p, "source_text", p->source_text);
        for (size_t j = 0; j < p->n_tasks; j++)
            check_verbatim(seed, p, p->tasks[j].code, p->tasks[j].description);
        for (size_t j = 0; j < p->n_targets; j++) {
            const struct plan_data_target *t = &p->targets[j];
            check_verbatim(seed, p, t->code, t->text);
            if (t->has_baseline)
                check_verbatim(seed, p, t->code, t->baseline.text);
            for (size_t m = 0; m < t->n_milestones; m++)
                check_verbatim(seed, p, t->code, t->milestones[m].text);
            checked++;
        }
        for (size_t j = 0; j < p->n_observations; j++)
            check_verbatim(seed, p, "observation", p->observations[j].point.text);
        for (size_t j = 0; j < p->n_requirements; j++)
            check_verbatim(seed, p, p->requirements[j].code, p->requirements[j].text);
        free(seed);
    }
    assert_true(checked > 200);
}

/* True when the number v, written as %g, occurs in text as a whole number (not as part
 * of a longer one: 0 is not in 2024). */
static int number_in(const char *text, double v)
{
    char buf[32];
    snprintf(buf, sizeof(buf), "%g", v);
    size_t n = strlen(buf);
    for (const char *h = text ? strstr(text, buf) : NULL; h; h = strstr(h + 1, buf)) {
        int before = h > text && ((h[-1] >= '0' && h[-1] <= '9') || h[-1] == '.');
        int after =
            (h[n] >= '0' && h[n] <= '9') || (h[n] == '.' && h[n + 1] >= '0' && h[n + 1] <= '9');
        if (!before && !after)
            return 1;
    }
    return 0;
}

/* Every number of a target (value, range end, stretch, growth rate, baseline,
 * milestones) is written in the sentence it quotes, unless a note explains the reading
 * (1.5万 = 15000, 全覆盖 = 100%, 清零 = 0, …). */
static void test_numbers_in_text(void **state)
{
    struct plan_set *set = *state;
    int explained = 0;
    for (size_t i = 0; i < set->n_plans; i++) {
        const struct plan_data_plan *p = set->plans[i];
        for (size_t j = 0; j < p->n_targets; j++) {
            const struct plan_data_target *t = &p->targets[j];
            int ok = 1;
            if (t->kind == PLAN_DATA_TARGET_VALUE) {
                ok = number_in(t->text, t->target_value);
                if (t->cmp == PLAN_DATA_CMP_BETWEEN)
                    ok = ok && number_in(t->text, t->target_value_max);
                if (t->has_stretch)
                    ok = ok && number_in(t->text, t->stretch_value);
            } else if (t->kind == PLAN_DATA_TARGET_GROWTH) {
                ok = number_in(t->text, t->rate_pct);
            }
            if (!ok) {
                if (!t->note)
                    fail_msg("%s: %s: a number is not in its text", p->file, t->code);
                explained++;
            }
            if (t->has_baseline)
                assert_true(number_in(t->baseline.text, t->baseline.value));
            for (size_t m = 0; m < t->n_milestones; m++)
                assert_true(number_in(t->milestones[m].text, t->milestones[m].value));
        }
        for (size_t j = 0; j < p->n_observations; j++)
            assert_true(number_in(p->observations[j].point.text, p->observations[j].point.value));
        for (size_t j = 0; j < p->n_requirements; j++)
            assert_true(number_in(p->requirements[j].text, p->requirements[j].value));
    }
    /* 1.5万, 全覆盖, 创成, 1/3, "510项左右" (5—10), and per 丽水 county 3 清零 and 5 倍增. */
    assert_int_equal(explained, 1 + 1 + 1 + 1 + 1 + 9 * 3 + 9 * 5);
}

/* The normaliser itself: markers, blanks, pinyin and traditional characters. */
static void test_normaliser(void **state)
{
    (void)state;
    char *s = normalise_seed("1、到2024年,各县\n2、完成 清单\n揚(yáng)州技術", 1);
    assert_string_equal(s, "到2024年,各县完成清单扬州技术");
    assert_true(occurs(s, "各县 完成"));
    assert_true(occurs(s, "2024年…扬州"));
    assert_false(occurs(s, "扬州…2024年"));
    free(s);
}

/* ---- the validator rejects broken variants ---- */

/* Returns the embedded text of a plan file as a new JSON object; the caller decrefs. */
static json_t *load_json(const char *file)
{
    const struct asset *a = asset_find(assets_data, assets_data_count, file);
    assert_non_null(a);
    json_error_t je;
    json_t *root = json_loadb((const char *)a->data, a->len, 0, &je);
    assert_non_null(root);
    return root;
}

/* The object at array member key, index i of root (borrowed). */
static json_t *item(json_t *root, const char *key, size_t i)
{
    json_t *v = json_array_get(json_object_get(root, key), i);
    assert_non_null(v);
    return v;
}

/* Parses root (decref'd here) as file and asserts it fails with an error that contains
 * the file name and needle. */
static void expect_reject(json_t *root, const char *file, const char *needle)
{
    char *text = json_dumps(root, 0);
    json_decref(root);
    assert_non_null(text);
    struct plan_data_plan *p = NULL;
    char err[4096];
    int rc = plan_data_parse(file, text, strlen(text), &p, err, sizeof(err));
    free(text);
    assert_int_equal(rc, KC_ERR_INVALID);
    assert_null(p);
    if (!strstr(err, needle) || !strstr(err, file))
        fail_msg("expected \"%s\" in: %s", needle, err);
}

/* An unchanged file parses on its own. */
static void test_parse_one(void **state)
{
    (void)state;
    json_t *root = load_json(F_YZ);
    char *text = json_dumps(root, 0);
    json_decref(root);
    struct plan_data_plan *p = NULL;
    char err[1024];
    assert_int_equal(plan_data_parse(F_YZ, text, strlen(text), &p, err, sizeof(err)), 0);
    free(text);
    assert_non_null(p);
    assert_non_null(plan_data_find_indicator(p, "hnte_count"));
    assert_non_null(plan_data_find_unit(p, "sci"));
    assert_non_null(plan_data_find_target(p, "T2.4"));
    assert_null(plan_data_find_target(p, "T9.9"));
    plan_data_plan_free(p);
}

/* A missing required field is named by its path. */
static void test_reject_missing_field(void **state)
{
    (void)state;
    json_t *root = load_json(F_YZ);
    json_object_del(item(root, "targets", 0), "text");
    expect_reject(root, F_YZ, "$.targets[0].text: required");
    root = load_json(F_LS);
    json_object_del(root, "period_end");
    expect_reject(root, F_LS, "$.period_end: required");
    root = load_json(F_JX);
    json_object_del(item(root, "indicators", 0), "unit");
    expect_reject(root, F_JX, "$.indicators[0].unit: required");
}

/* A target naming an indicator, task or unit the plan does not define is rejected. */
static void test_reject_dangling(void **state)
{
    (void)state;
    json_t *root = load_json(F_YZ);
    json_object_set_new(item(root, "targets", 3), "indicator", json_string("no_such_indicator"));
    expect_reject(root, F_YZ, "$.targets[3].indicator: unknown indicator \"no_such_indicator\"");
    root = load_json(F_YZ);
    json_object_set_new(item(root, "targets", 0), "task", json_string("T99"));
    expect_reject(root, F_YZ, "$.targets[0].task: unknown task \"T99\"");
    root = load_json(F_LS);
    json_object_set_new(item(root, "tasks", 1), "lead_unit", json_string("nobody"));
    expect_reject(root, F_LS, "$.tasks[1].lead_unit: unknown unit \"nobody\"");
    root = load_json(F_JX);
    json_array_append_new(json_object_get(item(root, "tasks", 2), "units"), json_string("x"));
    expect_reject(root, F_JX, "$.tasks[2].units[5]: unknown unit \"x\"");
}

/* Impossible or malformed dates are rejected. */
static void test_reject_bad_date(void **state)
{
    (void)state;
    json_t *root = load_json(F_LS);
    json_object_set_new(item(root, "tasks", 1), "deadline", json_string("2024-02-30"));
    expect_reject(root, F_LS, "$.tasks[1].deadline: \"2024-02-30\" is not a date YYYY-MM-DD");
    root = load_json(F_LS);
    json_object_set_new(root, "period_start", json_string("2024/01/01"));
    expect_reject(root, F_LS, "$.period_start: \"2024/01/01\" is not a date");
    root = load_json(F_LS);
    json_object_set_new(item(root, "targets", 8), "target_date", json_string("2025-06-30"));
    expect_reject(root, F_LS, "$.targets[8].target_date: is not in target_year 2024");
}

/* Comparators, numbers, regions, chains, codes and members are checked. */
static void test_reject_other(void **state)
{
    (void)state;
    json_t *root = load_json(F_YZ);
    json_object_set_new(item(root, "targets", 0), "comparator", json_string("≥"));
    expect_reject(root, F_YZ, "$.targets[0].comparator: \"≥\" is not one of");
    root = load_json(F_YZ);
    json_object_set_new(item(root, "targets", 0), "target_value", json_string("100"));
    expect_reject(root, F_YZ, "$.targets[0].target_value: must be a finite number");
    root = load_json(F_YZ);
    json_object_set_new(item(root, "targets", 0), "region", json_string("32100"));
    expect_reject(root, F_YZ, "$.targets[0].region: \"32100\" is not a six-digit");
    root = load_json(F_YZ);
    json_object_set_new(item(root, "targets", 0), "region", json_string("331000"));
    expect_reject(root, F_YZ, "$.targets[0].region: \"331000\" is not within the issuing region");
    root = load_json(F_YZ);
    json_object_set_new(item(root, "targets", 0), "region", json_string("321099"));
    expect_reject(root, F_YZ, "$.targets[0].region: \"321099\" is not in data/regions.csv");
    root = load_json(F_YZ);
    json_object_set_new(item(root, "targets", 1), "code", json_string("T1.1"));
    expect_reject(root, F_YZ, "$.targets[1].code: duplicate code \"T1.1\"");
    root = load_json(F_YZ);
    json_object_set_new(item(root, "targets", 0), "comparater", json_string(">"));
    expect_reject(root, F_YZ, "$.targets[0].comparater: unknown member");
    root = load_json(F_YZ);
    json_object_set_new(item(root, "targets", 0), "comparator", json_string("<="));
    expect_reject(root, F_YZ, "contradicts the direction of indicator \"key_tech_project_count\"");
    root = load_json(F_LS);
    json_object_set_new(item(root, "targets", 0), "chain", json_string("LS-331121-1"));
    expect_reject(root, F_LS, "$.targets[0].chain: \"LS-331121-1\" belongs to 331121, not 331102");
    root = load_json(F_LS);
    json_object_del(item(root, "targets", 0), "chain");
    expect_reject(root, F_LS, "$.targets[0].chain: required");
    root = load_json(F_LS);
    json_object_set_new(item(root, "targets", 0), "chain", json_null());
    expect_reject(root, F_LS, "$.targets[0].chain: required");
    root = load_json(F_YZ);
    json_object_set_new(item(root, "indicators", 0), "formula", json_null());
    expect_reject(root, F_YZ, "$.indicators[0].formula: required for a computed indicator");
    root = load_json(F_YZ);
    json_object_set_new(item(root, "targets", 2), "target_value", json_integer(10));
    expect_reject(root, F_YZ, "$.targets[2].target_value: not allowed in a \"growth\" target");
    root = load_json(F_YZ);
    json_object_set_new(item(root, "indicators", 0), "formula", json_string("guess"));
    expect_reject(root, F_YZ, "$.indicators[0].formula: unknown formula \"guess\"");
    root = load_json(F_JX);
    json_object_set_new(item(root, "targets", 6), "target_value_max", json_integer(4));
    expect_reject(root, F_JX, "$.targets[6].target_value_max: must be greater than target_value");
    /* Not JSON at all. */
    struct plan_data_plan *p = NULL;
    char err[512];
    assert_int_equal(plan_data_parse("x.json", "{\"code\":", 8, &p, err, sizeof(err)),
                     KC_ERR_INVALID);
    assert_non_null(strstr(err, "x.json: line 1"));
}

/* The set-level checks: unique plan codes and one meaning per indicator code. */
static void test_reject_set(void **state)
{
    (void)state;
    const struct asset *regions = asset_find(assets_data, assets_data_count, "data/regions.csv");
    const struct asset *chains = asset_find(assets_data, assets_data_count, "data/chains.csv");
    const struct asset *yz = asset_find(assets_data, assets_data_count, F_YZ);
    assert_non_null(regions);
    assert_non_null(chains);
    assert_non_null(yz);
    /* The same file twice under two names: duplicate plan code. */
    struct asset tab[4] = {*chains, *yz, *yz, *regions};
    tab[1].path = "data/plans/001-a.json";
    tab[2].path = "data/plans/001-b.json";
    struct plan_set *set = NULL;
    char err[2048];
    assert_int_equal(plan_data_load_assets(tab, 4, &set, err, sizeof(err)), KC_ERR_INVALID);
    assert_null(set);
    assert_non_null(strstr(err, "data/plans/001-b.json: $.code: plan code \"YZ-2024-WDGC\" is "
                                "also used by data/plans/001-a.json"));
    /* A second plan whose hnte_count has another unit. */
    json_t *root = load_json(F_YZ);
    json_object_set_new(root, "code", json_string("YZ-OTHER"));
    json_t *inds = json_object_get(root, "indicators");
    for (size_t i = 0; i < json_array_size(inds); i++)
        if (strcmp(json_string_value(json_object_get(json_array_get(inds, i), "code")),
                   "hnte_count") == 0)
            json_object_set_new(json_array_get(inds, i), "unit", json_string("个"));
    char *text = json_dumps(root, 0);
    json_decref(root);
    tab[2].data = (const unsigned char *)text;
    tab[2].len = strlen(text);
    assert_int_equal(plan_data_load_assets(tab, 4, &set, err, sizeof(err)), KC_ERR_INVALID);
    free(text);
    if (!strstr(err, "data/plans/001-b.json: $.indicators[") ||
        !strstr(err, "indicator \"hnte_count\" differs in unit from its definition in "
                     "data/plans/001-a.json"))
        fail_msg("%s", err);
    /* A file named after another seed. */
    tab[2] = *yz;
    tab[1].path = "data/plans/009-a.json";
    tab[2].path = "data/plans/x.json";
    assert_int_equal(plan_data_load_assets(tab, 3, &set, err, sizeof(err)), KC_ERR_INVALID);
    assert_non_null(strstr(err, "data/plans/009-a.json: $.source: \"001_"));
}

/* Runs the tests. */
int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_load_all),
        cmocka_unit_test(test_taizhou_liangxin),
        cmocka_unit_test(test_yangzhou),
        cmocka_unit_test(test_jiaxing),
        cmocka_unit_test(test_lishui),
        cmocka_unit_test(test_taizhou_complex),
        cmocka_unit_test(test_numbers_in_text),
        cmocka_unit_test(test_normaliser),
        cmocka_unit_test(test_texts_verbatim),
        cmocka_unit_test(test_parse_one),
        cmocka_unit_test(test_reject_missing_field),
        cmocka_unit_test(test_reject_dangling),
        cmocka_unit_test(test_reject_bad_date),
        cmocka_unit_test(test_reject_other),
        cmocka_unit_test(test_reject_set),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
