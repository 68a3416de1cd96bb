/* test_rules.c — unit tests for the rule engine core (src/rules): loading and validating
 * rule sets, choosing a set by date, parsing enterprise records, exact arithmetic,
 * unknown-on-missing, bracket edge words and display formatting. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "../rules/rules_test_util.h"
#include "core/buf.h"
#include "core/jw.h"

/* The JSON object the record parsed last points into (released by its test). */
static json_t *parsed_json;

/* Every embedded rule set loads and validates; the six expected ids are there. */
static void test_embedded_sets_load(void **state)
{
    (void)state;
    static const char *const ids[] = {"tsme-2017", "hnte-2016", "innov-sme-2022",
                                      "srdi-2022", "srdi-2026", "little-giant-2026"};
    assert_int_equal(tu_reg.n, 6);
    for (size_t i = 0; i < 6; i++) {
        const struct rules_set *s = rules_registry_find(&tu_reg, ids[i], 1990);
        assert_non_null(s);
        assert_string_equal(s->id, ids[i]);
    }
    assert_true(tu_set("hnte-2016")->pre_assessment);
    assert_false(tu_set("tsme-2017")->pre_assessment);
    assert_false(tu_set("srdi-2026")->scored);
    assert_true(tu_set("srdi-2022")->scored);
}

/* A family picks the set in force on 31 December of the year; an id ignores the year. */
static void test_select_by_date(void **state)
{
    (void)state;
    assert_null(rules_registry_find(&tu_reg, "tsme", 2016));
    assert_string_equal(rules_registry_find(&tu_reg, "tsme", 2017)->id, "tsme-2017");
    assert_string_equal(rules_registry_find(&tu_reg, "tsme", 2030)->id, "tsme-2017");
    assert_null(rules_registry_find(&tu_reg, "srdi", 2021));
    assert_string_equal(rules_registry_find(&tu_reg, "srdi", 2022)->id, "srdi-2022");
    assert_string_equal(rules_registry_find(&tu_reg, "srdi", 2025)->id, "srdi-2022");
    /* 2026: srdi-2022 ends 2026-03-31, srdi-2026 is in force on 2026-12-31 */
    assert_string_equal(rules_registry_find(&tu_reg, "srdi", 2026)->id, "srdi-2026");
    assert_null(rules_registry_find(&tu_reg, "little-giant", 2025));
    assert_string_equal(rules_registry_find(&tu_reg, "little-giant", 2026)->id,
                        "little-giant-2026");
    assert_string_equal(rules_registry_find(&tu_reg, "hnte", 2016)->id, "hnte-2016");
    assert_null(rules_registry_find(&tu_reg, "hnte", 2015));
    assert_string_equal(rules_registry_find(&tu_reg, "srdi-2022", 2030)->id, "srdi-2022");
    assert_null(rules_registry_find(&tu_reg, "nope", 2024));
    assert_true(rules_registry_knows(&tu_reg, "srdi"));
    assert_true(rules_registry_knows(&tu_reg, "innov-sme-2022"));
    assert_false(rules_registry_knows(&tu_reg, "innov"));
}

/* A minimal valid rule set, with the text "%s" replaced by extra members of the root and
 * "%t" by the test of its one condition. */
static const char MINI[] =
    "{\"schema\":1,\"id\":\"x-1\",\"family\":\"x\",\"title_zh\":\"测\",\"title_en\":\"t\","
    "\"source\":\"s\",\"effective_from\":\"2020-01-01\",\"effective_to\":null,"
    "\"measures\":[{\"id\":\"rd\",\"field\":\"rd_expense_fen\"},"
    "{\"id\":\"r\",\"kind\":\"ratio\",\"num\":\"rd_expense_fen\",\"den\":\"sales_revenue_fen\"},"
    "{\"id\":\"e\",\"field\":\"employees\"}],"
    "\"conditions\":[{\"id\":\"c\",\"label_zh\":\"c\",\"label_en\":\"c\",\"all\":[%t]}],"
    "\"verdict\":\"c\"%s}";

/* Builds MINI with a test and extra root members into out. */
static void mini(char *out, size_t cap, const char *test, const char *extra)
{
    char tmp[4096];
    const char *p = strstr(MINI, "%t");
    snprintf(tmp, sizeof(tmp), "%.*s%s%s", (int)(p - MINI), MINI, test, p + 2);
    p = strstr(tmp, "%s");
    snprintf(out, cap, "%.*s%s%s", (int)(p - tmp), tmp, extra, p + 2);
}

/* Parses text as a rule set; returns the rc and leaves the error in err. */
static int parse_set(const char *text, struct rules_set **s, char *err, size_t errlen)
{
    err[0] = '\0';
    return rules_set_parse(text, strlen(text), s, err, errlen);
}

/* Asserts text is rejected with an error containing needle. */
static void assert_rejected(const char *text, const char *needle)
{
    struct rules_set *s = NULL;
    char err[512];
    int rc = parse_set(text, &s, err, sizeof(err));
    if (rc == 0) {
        rules_set_free(s);
        fail_msg("accepted, expected an error with \"%s\"", needle);
    }
    assert_int_equal(rc, KC_ERR_INVALID);
    assert_null(s);
    if (!strstr(err, needle))
        fail_msg("error \"%s\" lacks \"%s\"", err, needle);
}

/* A malformed rule set fails loudly, naming the problem. */
static void test_malformed_sets_rejected(void **state)
{
    (void)state;
    char t[4096];
    struct rules_set *s = NULL;
    char err[512];
    mini(t, sizeof(t), "{\"measure\":\"rd\",\"edge\":\"以上\",\"value\":\"100万元\"}", "");
    assert_int_equal(parse_set(t, &s, err, sizeof(err)), 0);
    rules_set_free(s);
    assert_rejected("{not json", "line 1");
    mini(t, sizeof(t), "{\"measure\":\"rd\",\"edge\":\"以上\",\"value\":\"100万元\"}",
         ",\"extra\":1");
    assert_rejected(t, "unknown member \"extra\"");
    mini(t, sizeof(t), "{\"measure\":\"rd\",\"edge\":\"以上\",\"value\":\"4%\"}", "");
    assert_rejected(t, "does not fit the measure's unit");
    mini(t, sizeof(t), "{\"measure\":\"r\",\"edge\":\"以上\",\"value\":\"100万元\"}", "");
    assert_rejected(t, "does not fit the measure's unit");
    mini(t, sizeof(t), "{\"measure\":\"r\",\"edge\":\"以上\",\"value\":4}", "");
    assert_rejected(t, "does not fit the measure's unit");
    mini(t, sizeof(t), "{\"measure\":\"nope\",\"edge\":\"以上\",\"value\":1}", "");
    assert_rejected(t, "\"measure\" must name a measure");
    mini(t, sizeof(t), "{\"measure\":\"e\",\"edge\":\"大约\",\"value\":1}", "");
    assert_rejected(t, "unknown edge");
    mini(t, sizeof(t), "{\"measure\":\"e\",\"op\":\">=\",\"edge\":\"以上\",\"value\":1}", "");
    assert_rejected(t, "exactly one of \"op\" and \"edge\"");
    mini(t, sizeof(t), "{\"measure\":\"rd\",\"edge\":\"以上\",\"value\":\"0.5分\"}", "");
    assert_rejected(t, "whole fen");
    mini(t, sizeof(t), "{\"measure\":\"r\",\"edge\":\"以上\",\"value\":\"4.1234567%\"}", "");
    assert_rejected(t, "at most 6 decimals");
    /* unordered brackets, a missing else, max disagreeing with the brackets */
    static const char *const items[][2] = {
        {"[{\"id\":\"i\",\"label_zh\":\"i\",\"label_en\":\"i\",\"max\":5,\"measure\":\"r\","
         "\"brackets\":[{\"edge\":\"以上\",\"value\":\"1%\",\"points\":3},"
         "{\"edge\":\"以上\",\"value\":\"2%\",\"points\":1},{\"else\":true,\"points\":0}]}]",
         "ordered best first"},
        {"[{\"id\":\"i\",\"label_zh\":\"i\",\"label_en\":\"i\",\"max\":5,\"measure\":\"r\","
         "\"brackets\":[{\"edge\":\"以上\",\"value\":\"2%\",\"points\":3},"
         "{\"edge\":\"以上\",\"value\":\"1%\",\"points\":5},{\"else\":true,\"points\":0}]}]",
         "points must not rise"},
        {"[{\"id\":\"i\",\"label_zh\":\"i\",\"label_en\":\"i\",\"max\":5,\"measure\":\"r\","
         "\"brackets\":[{\"edge\":\"以上\",\"value\":\"2%\",\"points\":5}]}]",
         "must be {\"else\": true}"},
        {"[{\"id\":\"i\",\"label_zh\":\"i\",\"label_en\":\"i\",\"max\":6,\"measure\":\"r\","
         "\"brackets\":[{\"edge\":\"以上\",\"value\":\"2%\",\"points\":5},"
         "{\"else\":true,\"points\":0}]}]",
         "\"max\" is 6 but the best bracket gives 5"},
    };
    for (size_t i = 0; i < sizeof(items) / sizeof(*items); i++) {
        char extra[1024];
        snprintf(extra, sizeof(extra), ",\"items\":%s", items[i][0]);
        mini(t, sizeof(t), "{\"measure\":\"e\",\"edge\":\"以上\",\"value\":1}", extra);
        assert_rejected(t, items[i][1]);
    }
    /* a condition the verdict never uses; an unknown condition in the verdict */
    mini(t, sizeof(t), "{\"measure\":\"e\",\"edge\":\"以上\",\"value\":1}", "");
    char *v = strstr(t, "\"verdict\":\"c\"");
    assert_non_null(v);
    char t2[4096];
    snprintf(t2, sizeof(t2), "%.*s\"verdict\":\"d\"%s", (int)(v - t), t, v + 13);
    assert_rejected(t2, "unknown condition \"d\"");
    char *cl = strstr(t, "]}],");
    snprintf(t2, sizeof(t2),
             "%.*s]},{\"id\":\"d\",\"label_zh\":\"d\",\"label_en\":\"d\","
             "\"manual\":true}],%s",
             (int)(cl - t), t, cl + 4);
    assert_rejected(t2, "condition \"d\" is never used");
    /* family/id mismatch, bad dates */
    char t3[4096];
    snprintf(t3, sizeof(t3), "%s", t);
    memcpy(strstr(t3, "\"family\":\"x\""), "\"family\":\"y\"", 12);
    assert_rejected(t3, "the id must be the family");
    snprintf(t3, sizeof(t3), "%s", t);
    memcpy(strstr(t3, "2020-01-01"), "2020-02-30", 10);
    assert_rejected(t3, "effective_from");
}

/* Evaluates the mini set with one test on a record with rd and sales in 2024. */
static int mini_status(const char *test, int64_t rd, int64_t sales)
{
    char t[4096], err[512];
    struct rules_set *s = NULL;
    mini(t, sizeof(t), test, "");
    if (parse_set(t, &s, err, sizeof(err)) != 0)
        fail_msg("%s", err);
    tu_reset();
    tu_y(2024, RULES_F_RD_EXPENSE, rd);
    tu_y(2024, RULES_F_SALES_REVENUE, sales);
    rules_evaluate(s, &tu_rec, 2024, &tu_res);
    int st = tu_res.verdict;
    rules_set_free(s);
    return st;
}

/* RULES.md "Bracket edges": 以上/以下/以内 include the number, 超过/不满 exclude it. */
static void test_edge_words(void **state)
{
    (void)state;
    static const struct {
        const char *edge;
        int below, at, above; /* status at value − 1 分, at, + 1 分 */
    } cases[] = {{"以上", RULES_NOT_MET, RULES_MET, RULES_MET},
                 {"超过", RULES_NOT_MET, RULES_NOT_MET, RULES_MET},
                 {"以下", RULES_MET, RULES_MET, RULES_NOT_MET},
                 {"以内", RULES_MET, RULES_MET, RULES_NOT_MET},
                 {"不满", RULES_MET, RULES_NOT_MET, RULES_NOT_MET}};
    for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
        char test[128];
        snprintf(test, sizeof(test), "{\"measure\":\"rd\",\"edge\":\"%s\",\"value\":\"100万元\"}",
                 cases[i].edge);
        assert_int_equal(mini_status(test, WAN(100) - 1, 1), cases[i].below);
        assert_int_equal(mini_status(test, WAN(100), 1), cases[i].at);
        assert_int_equal(mini_status(test, WAN(100) + 1, 1), cases[i].above);
        /* the same words on a ratio: 4% of ¥50,000,000 */
        snprintf(test, sizeof(test), "{\"measure\":\"r\",\"edge\":\"%s\",\"value\":\"4%%\"}",
                 cases[i].edge);
        assert_int_equal(mini_status(test, WAN(200) - 1, WAN(5000)), cases[i].below);
        assert_int_equal(mini_status(test, WAN(200), WAN(5000)), cases[i].at);
        assert_int_equal(mini_status(test, WAN(200) + 1, WAN(5000)), cases[i].above);
    }
}

/* 4% of ¥50,000,000 is exactly 4%: ¥2,000,000 of R&D meets "≥ 4%", one 分 less does
 * not — in tsme (30-point bracket) and in the HNTE 5000万 band (where it is 4% < 5%). */
static void test_four_percent_of_fifty_million(void **state)
{
    (void)state;
    tu_reset();
    tu_y(2024, RULES_F_SALES_REVENUE, WAN(5000));
    tu_y(2024, RULES_F_RD_EXPENSE, WAN(200));
    tu_eval("tsme-2017", 2024);
    /* without 成本费用支出总额 the other ratio might still score 50: a range */
    assert_int_equal(tu_item_res("rd_input")->status, RULES_I_UNKNOWN);
    tu_assert_range("rd_input", 30, 50);
    tu_y(2024, RULES_F_COST_EXPENSE_TOTAL, WAN(100000));
    tu_eval("tsme-2017", 2024);
    tu_assert_points("rd_input", 30);
    tu_y(2024, RULES_F_RD_EXPENSE, WAN(200) - 1);
    tu_eval("tsme-2017", 2024);
    tu_assert_points("rd_input", 20);
    /* the value is kept exact: 2,000,000.00 / 50,000,000.00 */
    tu_y(2024, RULES_F_RD_EXPENSE, WAN(200));
    tu_eval("tsme-2017", 2024);
    const struct rules_value *v = &tu_res.m[0];
    for (int m = 0; m < tu_res.set->n_measures; m++)
        if (strcmp(tu_res.set->measures[m].id, "rd_sales") == 0)
            v = &tu_res.m[m];
    assert_true(v->num == WAN(200) && v->den == WAN(5000));
    char buf[32];
    rules_fmt_value(buf, sizeof(buf), RULES_U_RATIO, v);
    assert_string_equal(buf, "4%");
}

/* A missing field makes the conditions needing it unknown (never zero) and is listed. */
static void test_unknown_on_missing(void **state)
{
    (void)state;
    tu_reset();
    tu_id(RULES_F_MAINLAND, 1);
    tu_id(RULES_F_NOT_RESTRICTED_INDUSTRY, 1);
    tu_id(RULES_F_NO_MAJOR_INCIDENT, 1);
    tu_id(RULES_F_NOT_ON_ABNORMAL_LIST, 1);
    tu_y(2024, RULES_F_SALES_REVENUE, WAN(3000));
    tu_y(2024, RULES_F_TOTAL_ASSETS, WAN(3000));
    tu_y(2024, RULES_F_TECH_STAFF, 10);
    tu_eval("tsme-2017", 2024);
    assert_int_equal(tu_cond_status("c2_size"), RULES_UNKNOWN);
    assert_int_equal(tu_cond_status("c1_resident"), RULES_MET);
    assert_int_equal(tu_item_res("tech_staff")->status, RULES_I_UNKNOWN);
    assert_int_equal(tu_res.verdict, RULES_UNKNOWN);
    int m = -1;
    for (int i = 0; i < tu_res.set->n_measures; i++)
        if (strcmp(tu_res.set->measures[i].id, "employees") == 0)
            m = i;
    int fields[8], years[8];
    assert_int_equal(rules_measure_missing(tu_res.set, m, &tu_rec, 2024, fields, years, 8), 1);
    assert_int_equal(fields[0], RULES_F_EMPLOYEES);
    assert_int_equal(years[0], 2024);
    /* zero is a value: with employees 0 the size condition is met, the ratio is 10/0 = ∞ */
    tu_y(2024, RULES_F_EMPLOYEES, 0);
    tu_eval("tsme-2017", 2024);
    assert_int_equal(tu_cond_status("c2_size"), RULES_MET);
    tu_assert_points("tech_staff", 20);
    /* a missing identity boolean: unknown, listed with no year */
    tu_id_clear(RULES_F_NO_MAJOR_INCIDENT);
    tu_eval("tsme-2017", 2024);
    assert_int_equal(tu_cond_status("c4_record"), RULES_UNKNOWN);
    /* but a known failure decides: not_met beats unknown in "all" */
    tu_id(RULES_F_NOT_ON_ABNORMAL_LIST, 0);
    tu_eval("tsme-2017", 2024);
    assert_int_equal(tu_cond_status("c4_record"), RULES_NOT_MET);
    assert_int_equal(tu_res.verdict, RULES_NOT_MET);
}

/* Parses one JSON line into tu_rec; returns the rc and the error. */
static int parse_line(const char *line, struct rules_parse_error *err)
{
    json_error_t jerr;
    json_t *o = json_loads(line, 0, &jerr);
    if (!o)
        fail_msg("bad test JSON %s", line);
    if (parsed_json)
        json_decref(parsed_json);
    parsed_json = o; /* the record points into it: keep it alive */
    tu_reset();
    return rules_record_parse(o, &tu_rec, tu_years, RULES_MAX_YEARS, err);
}

/* Record parsing: types, ranges, dates, null = missing, sorting, duplicates. */
static void test_record_parse(void **state)
{
    (void)state;
    struct rules_parse_error e;
    assert_int_equal(
        parse_line("{\"uscc\":\"U\",\"name\":\"N\",\"region_code\":\"330402\",\"registered_on\":"
                   "\"2020-02-29\",\"hightech_field\":\"新材料\",\"has_valid_hnte\":true,"
                   "\"niche_years\":2.5,\"something_else\":[1,2],\"years\":[{\"year\":2024,"
                   "\"employees\":10,\"net_profit_fen\":-5,\"tech_staff\":null},{\"year\":2023,"
                   "\"sales_revenue_fen\":1000000000000000}]}",
                   &e),
        0);
    assert_string_equal(tu_rec.uscc, "U");
    assert_int_equal(tu_rec.n_years, 2);
    assert_int_equal(tu_rec.years[0].year, 2023);
    assert_int_equal(tu_rec.years[1].v[RULES_F_NET_PROFIT], -5);
    assert_false(tu_rec.years[1].present & (1u << RULES_F_TECH_STAFF));
    assert_int_equal(tu_rec.id[RULES_F_NICHE_YEARS - RULES_N_YEARLY], 250);
    assert_int_equal(tu_rec.id[RULES_F_MAINLAND - RULES_N_YEARLY], 1);
    assert_int_equal(tu_rec.id[RULES_F_HIGHTECH_FIELD - RULES_N_YEARLY], 1);
    assert_int_equal(rules_record_latest_year(&tu_rec), 2024);
    int64_t d;
    assert_int_equal(rules_parse_date("2020-02-29", &d), 0);
    assert_int_equal(tu_rec.id[RULES_F_REGISTERED_ON - RULES_N_YEARLY], d);
    assert_int_equal(rules_year_of_days(d), 2020);
    /* Hong Kong is not mainland; hightech_field null means "in no field" (given, 0) */
    assert_int_equal(parse_line("{\"region_code\":\"810000\",\"hightech_field\":null}", &e), 0);
    assert_int_equal(tu_rec.id[RULES_F_MAINLAND - RULES_N_YEARLY], 0);
    assert_true(tu_rec.id_present & (1ull << (RULES_F_HIGHTECH_FIELD - RULES_N_YEARLY)));
    assert_int_equal(tu_rec.id[RULES_F_HIGHTECH_FIELD - RULES_N_YEARLY], 0);
    static const struct {
        const char *line, *field;
    } bad[] = {
        {"{\"years\":[{\"year\":2024,\"employees\":-1}]}", "years[0].employees"},
        {"{\"years\":[{\"year\":2024,\"rd_expense_fen\":1.5}]}", "years[0].rd_expense_fen"},
        {"{\"years\":[{\"year\":2024,\"rd_expense_fen\":1000000000000001}]}",
         "years[0].rd_expense_fen"},
        {"{\"years\":[{\"year\":2024,\"employees\":\"10\"}]}", "years[0].employees"},
        {"{\"years\":[{\"employees\":10}]}", "years[0].year"},
        {"{\"years\":[{\"year\":2024},{\"year\":2024}]}", "years"},
        {"{\"years\":{}}", "years"},
        {"{\"registered_on\":\"2021-02-29\"}", "registered_on"},
        {"{\"registered_on\":\"20210101\"}", "registered_on"},
        {"{\"hightech_field\":\"互联网\"}", "hightech_field"},
        {"{\"region_code\":\"3304\"}", "region_code"},
        {"{\"has_valid_hnte\":1}", "has_valid_hnte"},
        {"{\"niche_years\":2.555}", "niche_years"},
        {"{\"uscc\":5}", "uscc"},
        {"[1]", ""},
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
        assert_int_equal(parse_line(bad[i].line, &e), KC_ERR_INVALID);
        assert_string_equal(e.field, bad[i].field);
        assert_true(e.message[0] != '\0');
    }
    json_decref(parsed_json);
    parsed_json = NULL;
}

/* Display formatting: ¥ with thousands separators, truncated percentages. */
static void test_formatting(void **state)
{
    (void)state;
    char b[64];
    rules_fmt_money(b, sizeof(b), 124000000);
    assert_string_equal(b, "¥1,240,000");
    rules_fmt_money(b, sizeof(b), 0);
    assert_string_equal(b, "¥0");
    rules_fmt_money(b, sizeof(b), 1);
    assert_string_equal(b, "¥0.01");
    rules_fmt_money(b, sizeof(b), 123456789);
    assert_string_equal(b, "¥1,234,567.89");
    rules_fmt_money(b, sizeof(b), -100000);
    assert_string_equal(b, "-¥1,000");
    rules_fmt_money(b, sizeof(b), INT64_MIN);
    assert_string_equal(b, "-¥92,233,720,368,547,758.08");
    rules_fmt_percent(b, sizeof(b), 32, 1000, 2);
    assert_string_equal(b, "3.2%");
    rules_fmt_percent(b, sizeof(b), 9999, 100000, 2);
    assert_string_equal(b, "9.99%"); /* never rounded up to the 10% threshold */
    rules_fmt_percent(b, sizeof(b), 1, 3, 2);
    assert_string_equal(b, "33.33%");
    rules_fmt_percent(b, sizeof(b), -1, 8, 2);
    assert_string_equal(b, "-12.5%");
    rules_fmt_q(b, sizeof(b), RULES_U_RATIO, (struct rules_q){1, 40});
    assert_string_equal(b, "2.5%");
    rules_fmt_q(b, sizeof(b), RULES_U_FEN, (struct rules_q){WAN(5000), 1});
    assert_string_equal(b, "¥50,000,000");
    rules_fmt_q(b, sizeof(b), RULES_U_X100, (struct rules_q){250, 1});
    assert_string_equal(b, "2.5");
    assert_string_equal(rules_verdict_name(RULES_UNCERTAIN), "uncertain");
    assert_string_equal(rules_status_name(RULES_NOT_MET), "not_met");
}

/* Containment: a change to a contained field also raises its containers (when given). */
static void test_apply_change_containment(void **state)
{
    (void)state;
    assert_true(rules_field_contains(RULES_F_EMPLOYEES, RULES_F_TECH_STAFF));
    assert_true(rules_field_contains(RULES_F_EMPLOYEES, RULES_F_RD_STAFF));
    assert_true(rules_field_contains(RULES_F_COST_EXPENSE_TOTAL, RULES_F_RD_EXPENSE_DOMESTIC));
    assert_true(rules_field_contains(RULES_F_TOTAL_INCOME, RULES_F_HIGHTECH_REVENUE));
    assert_false(rules_field_contains(RULES_F_SALES_REVENUE, RULES_F_RD_EXPENSE));
    assert_false(rules_field_contains(RULES_F_TECH_STAFF, RULES_F_EMPLOYEES));
    tu_reset();
    tu_y(2024, RULES_F_RD_EXPENSE_DOMESTIC, 10);
    tu_y(2024, RULES_F_RD_EXPENSE, 20);
    tu_y(2024, RULES_F_SALES_REVENUE, 100);
    struct rules_change c = {RULES_F_RD_EXPENSE_DOMESTIC, 2024, 5};
    assert_int_equal(rules_apply_change(&tu_rec, tu_years, &c), 0);
    assert_int_equal(tu_years[0].v[RULES_F_RD_EXPENSE_DOMESTIC], 15);
    assert_int_equal(tu_years[0].v[RULES_F_RD_EXPENSE], 25);
    assert_int_equal(tu_years[0].v[RULES_F_SALES_REVENUE], 100);
    assert_false(tu_years[0].present & (1u << RULES_F_COST_EXPENSE_TOTAL));
    c.year = 2023;
    assert_int_equal(rules_apply_change(&tu_rec, tu_years, &c), -1);
}

/* The output object parses as JSON and carries the API.md members. */
static void test_output_shape(void **state)
{
    (void)state;
    tu_reset();
    tu_id(RULES_F_MAINLAND, 1);
    tu_y(2024, RULES_F_EMPLOYEES, 90);
    tu_y(2024, RULES_F_TECH_STAFF, 8);
    tu_eval("hnte-2016", 2024);
    struct buf b = {0};
    struct jw w = {0};
    jw_init(&w, &b);
    rules_write_result(&w, tu_res.set, &tu_rec, &tu_res, &tu_gaps);
    json_error_t jerr;
    json_t *o = json_loads(buf_str(&b), JSON_REJECT_DUPLICATES, &jerr);
    if (!o)
        fail_msg("output is not JSON: %s\n%s", jerr.text, buf_str(&b));
    static const char *const members[] = {"uscc",      "rule",       "year",       "verdict",
                                          "score_min", "score_max",  "conditions", "items",
                                          "gaps",      "provisional"};
    for (size_t i = 0; i < sizeof(members) / sizeof(*members); i++)
        assert_non_null(json_object_get(o, members[i]));
    assert_string_equal(json_string_value(json_object_get(o, "rule")), "hnte-2016");
    assert_string_equal(json_string_value(json_object_get(o, "verdict")), "fail");
    assert_true(json_is_true(json_object_get(o, "pre_assessment")));
    json_decref(o);
    buf_free(&b);
}

/* Runs the tests with the embedded rule sets loaded once. */
int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_embedded_sets_load),
        cmocka_unit_test(test_select_by_date),
        cmocka_unit_test(test_malformed_sets_rejected),
        cmocka_unit_test(test_edge_words),
        cmocka_unit_test(test_four_percent_of_fifty_million),
        cmocka_unit_test(test_unknown_on_missing),
        cmocka_unit_test(test_record_parse),
        cmocka_unit_test(test_formatting),
        cmocka_unit_test(test_apply_change_containment),
        cmocka_unit_test(test_output_shape),
    };
    return cmocka_run_group_tests(tests, tu_setup, tu_teardown);
}
