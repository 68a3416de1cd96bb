/* test_market.c — unit tests for domain/market (the demand quality gate and life cycle,
 * record checks, patent numbers by kind, matching signals) and search/hl (highlight
 * spans and snippets in characters). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/jw.h"
#include "core/patent.h"
#include "domain/market.h"
#include "search/hl.h"

/* Parses a JSON literal of the test (aborts the test when malformed). */
static json_t *J(const char *text)
{
    json_error_t e;
    json_t *o = json_loads(text, 0, &e);
    if (!o)
        fail_msg("bad test JSON: %s", e.text);
    return o;
}

/* True when field f is in the list (n entries). */
static bool has(const char *const *list, int n, const char *f)
{
    for (int i = 0; i < n; i++)
        if (strcmp(list[i], f) == 0)
            return true;
    return false;
}

/* The gate: indicators, budget, cooperation mode and the problem block publishing;
 * the score follows the documented weights. */
static void test_quality_gate(void **state)
{
    (void)state;
    struct demand_quality q;
    json_t *d = J("{\"title\":\"高强度铝合金压铸\"}");
    demand_quality(d, &q);
    assert_int_equal(q.score, 10);
    assert_int_equal(q.n_gate, 4);
    assert_true(has(q.gate, q.n_gate, "indicators") && has(q.gate, q.n_gate, "budget") &&
                has(q.gate, q.n_gate, "coop_modes") && has(q.gate, q.n_gate, "problem"));
    json_decref(d);

    d = J("{\"title\":\"高强度铝合金压铸\",\"problem\":\"现有压铸件强度不足，需要开发新合金。\","
          "\"indicators\":[{\"name\":\"抗拉强度\",\"target\":\">= 260\",\"unit\":\"MPa\"}],"
          "\"budget_max_fen\":100000000,\"coop_modes\":[\"合作开发\"]}");
    demand_quality(d, &q);
    assert_int_equal(q.n_gate, 0);
    /* title 10 + problem (short: 10) + indicators 20 + budget 15 + mode 10 */
    assert_int_equal(q.score, 65);
    assert_true(has(q.missing, q.n_missing, "problem")); /* short: recommended, not blocking */
    assert_false(has(q.gate, q.n_gate, "problem"));
    json_decref(d);

    /* An indicator without a target does not count; a budget of 0 is no budget. */
    d = J("{\"title\":\"某需求名称\",\"indicators\":[{\"name\":\"精度\"}],\"budget_min_fen\":0}");
    demand_quality(d, &q);
    assert_true(has(q.gate, q.n_gate, "indicators"));
    assert_true(has(q.gate, q.n_gate, "budget"));
    json_decref(d);

    d = J("{\"title\":\"全部填写的需求\",\"problem\":\""
          "这是一个足够长的技术难题描述，用来说明应用场景、"
          "现有方案的不足以及希望达到的目标，长度超过五十个字符。\","
          "\"existing\":\"有设备\",\"keywords\":[\"铝合金\"],\"indicators\":[{\"name\":\"a\","
          "\"target\":\"b\"}],\"budget_min_fen\":1,\"deadline\":\"2027-01-01\",\"coop_modes\":"
          "[\"技术转让\"],\"chain\":\"TZ-AUTO\",\"field\":\"新材料\"}");
    demand_quality(d, &q);
    assert_int_equal(q.score, 100);
    assert_int_equal(q.n_missing, 0);
    json_decref(d);
}

/* The life cycle: draft → published → matched → closed, with reopen; nothing else. */
static void test_transitions(void **state)
{
    (void)state;
    static const char *const st[] = {"draft", "published", "matched", "closed"};
    /* allowed[from][to] */
    static const int allowed[4][4] = {{0, 1, 0, 0}, {0, 0, 1, 1}, {0, 1, 0, 1}, {0, 0, 0, 0}};
    for (int f = 0; f < 4; f++)
        for (int t = 0; t < 4; t++)
            if (demand_transition_ok(st[f], st[t]) != allowed[f][t])
                fail_msg("%s → %s", st[f], st[t]);
    assert_false(demand_transition_ok("draft", "nonsense"));
    assert_false(demand_transition_ok(NULL, "draft"));
    assert_true(demand_is_public("published", "public"));
    assert_true(demand_is_public("closed", "public"));
    assert_false(demand_is_public("draft", "public"));
    assert_false(demand_is_public("published", "members"));
}

/* Patent numbers: check digit, normalisation, type digit against the kind, repeats. */
static void test_patents(void **state)
{
    (void)state;
    struct market_problem p;
    char digits[] = "200710308494";
    char good[32];
    snprintf(good, sizeof(good), "%s.%c", digits, patent_check_char(digits, 12));
    char lower[40];
    snprintf(lower, sizeof(lower), "zl%s%c", digits, patent_check_char(digits, 12));
    for (char *c = lower; *c; c++)
        if (*c == 'X')
            *c = 'x';
    json_t *pn = json_pack("[s]", lower);
    assert_true(market_patents_check("发明专利", pn, &p));
    assert_string_equal(json_string_value(json_array_get(pn, 0)), good);
    json_decref(pn);
    /* A wrong check digit names the element. */
    char bad[32];
    snprintf(bad, sizeof(bad), "%s.%c", digits, patent_check_char(digits, 12) == '1' ? '2' : '1');
    pn = json_pack("[s,s]", good, bad);
    assert_false(market_patents_check("发明专利", pn, &p));
    assert_string_equal(p.field, "patent_numbers[1]");
    assert_string_equal(p.code, "invalid_patent_number");
    json_decref(pn);
    /* Type 1 (invention) under a utility-model kind. */
    pn = json_pack("[s]", good);
    assert_false(market_patents_check("实用新型", pn, &p));
    assert_string_equal(p.code, "patent_kind_mismatch");
    json_decref(pn);
    /* Patent kinds need a number; other kinds do not. */
    pn = json_array();
    assert_false(market_patents_check("发明专利", pn, &p));
    assert_string_equal(p.code, "patent_required");
    assert_true(market_patents_check("技术秘密", pn, &p));
    json_decref(pn);
    /* The same number twice (in different spellings). */
    pn = json_pack("[s,s]", good, lower);
    assert_false(market_patents_check("发明专利", pn, &p));
    assert_string_equal(p.code, "duplicate_value");
    json_decref(pn);
}

/* Record checks name the field and the rule. */
static void test_record_checks(void **state)
{
    (void)state;
    static const struct {
        const char *json, *field, *code; /* achievement, expected problem */
    } ach[] = {
        {"{\"kind\":\"论文\"}", "kind", "invalid_value"},
        {"{\"kind\":\"其他\",\"trl\":0}", "trl", "out_of_range"},
        {"{\"kind\":\"其他\",\"transfer_modes\":[\"许可\",\"出售\"]}", "transfer_modes[1]",
         "invalid_value"},
        {"{\"kind\":\"其他\",\"price_min_fen\":5,\"price_max_fen\":4}", "price_max_fen",
         "max_below_min"},
        {"{\"kind\":\"其他\",\"field\":\"互联网\"}", "field", "invalid_value"},
        {"{\"kind\":\"其他\",\"status\":\"gone\"}", "status", "invalid_value"},
        {"{\"kind\":\"其他\",\"deal_count\":-1}", "deal_count", "out_of_range"},
    };
    struct market_problem p;
    for (size_t i = 0; i < sizeof(ach) / sizeof(ach[0]); i++) {
        json_t *a = J(ach[i].json);
        assert_false(market_ach_check(a, &p));
        assert_string_equal(p.field, ach[i].field);
        assert_string_equal(p.code, ach[i].code);
        json_decref(a);
    }
    json_t *a = J("{\"kind\":\"技术秘密\",\"trl\":9,\"transfer_modes\":[\"许可\",\"转让\"],"
                  "\"price_min_fen\":1,\"price_max_fen\":1}");
    assert_true(market_ach_check(a, &p));
    json_decref(a);

    static const struct {
        const char *json, *field, *code; /* demand, expected problem */
    } dem[] = {
        {"{\"coop_modes\":[\"技术转让\",\"技术转让\"]}", "coop_modes[1]", "invalid_value"},
        {"{\"deadline\":\"2026-02-29\"}", "deadline", "invalid_date"},
        {"{\"deadline\":\"2026-1-1\"}", "deadline", "invalid_date"},
        {"{\"confidentiality\":\"secret\"}", "confidentiality", "invalid_value"},
        {"{\"budget_min_fen\":-1}", "budget_min_fen", "out_of_range"},
        {"{\"indicators\":[1]}", "indicators[0]", "wrong_type"},
        {"{\"indicators\":[{\"name\":\"x\",\"target\":\"\"}]}", "indicators[0].target", "required"},
        {"{\"indicators\":[{\"name\":\"x\",\"target\":\"y\",\"why\":1}]}", "indicators[0]",
         "unknown_field"},
        {"{\"indicators\":[{\"name\":\"x\",\"target\":\"y\",\"unit\":5}]}", "indicators[0].unit",
         "wrong_type"},
    };
    for (size_t i = 0; i < sizeof(dem) / sizeof(dem[0]); i++) {
        json_t *d = J(dem[i].json);
        assert_false(market_demand_check(d, &p));
        assert_string_equal(p.field, dem[i].field);
        assert_string_equal(p.code, dem[i].code);
        json_decref(d);
    }
    json_t *e = J("{\"email\":\"a@b\"}");
    assert_true(market_expert_check(e, &p));
    json_decref(e);
    e = J("{\"email\":\"a b@c\"}");
    assert_false(market_expert_check(e, &p));
    assert_string_equal(p.field, "email");
    json_decref(e);
}

/* Signals: chain by code or name, field or discipline, TRL window per cooperation
 * mode, transfer-mode fit, region proximity, track record. */
static void test_signals(void **state)
{
    (void)state;
    double s[SIG_N];
    unsigned transfer = 1u << market_index(market_coop_modes, "技术转让");
    unsigned develop = 1u << market_index(market_coop_modes, "合作开发");
    struct market_attrs d = {.chain = "TZ-AUTO",
                             .chain_name = "汽车制造",
                             .field = "新材料",
                             .region_code = "331081",
                             .modes = transfer};
    struct market_attrs a = {.chain = "JX-AUTO",
                             .chain_name = "汽车制造",
                             .discipline = "x",
                             .region_code = "331082",
                             .trl = 7,
                             .modes = 1u << market_index(market_transfer_modes, "转让"),
                             .deals = 7};
    market_signals(&d, &a, s);
    assert_true(s[SIG_CHAIN] == 1);                          /* same chain name in another city */
    assert_true(s[SIG_FIELD] == 0);                          /* no field on the supply side */
    assert_true(s[SIG_TRL] == 1);                            /* 7 in 6..9 */
    assert_true(s[SIG_MODE] == 1);                           /* 转让 serves 技术转让 */
    assert_true(s[SIG_REGION] > 0.5 && s[SIG_REGION] < 0.7); /* same city */
    assert_true(s[SIG_TRACK] > 0.99);                        /* log2(8)/3 = 1 */
    /* Cooperative development wants TRL 3..7: 9 is two levels off. */
    d.modes = develop;
    a.trl = 9;
    market_signals(&d, &a, s);
    assert_true(s[SIG_TRL] == 0);
    assert_true(s[SIG_MODE] == 0); /* 转让 does not serve 合作开发 */
    a.trl = 8;
    market_signals(&d, &a, s);
    assert_true(s[SIG_TRL] == 0.5);
    /* Unknown TRL and no deals: no signal. */
    a.trl = 0;
    a.deals = 0;
    market_signals(&d, &a, s);
    assert_true(s[SIG_TRL] == 0 && s[SIG_TRACK] == 0);
    int lo, hi;
    market_trl_range(0, &lo, &hi);
    assert_int_equal(lo, 1);
    assert_int_equal(hi, 9);
    market_trl_range(transfer | develop, &lo, &hi);
    assert_int_equal(lo, 3);
    assert_int_equal(hi, 9);
    assert_int_equal(market_region_level("331081", "331081"), 3);
    assert_int_equal(market_region_level("331081", "331000"), 2);
    assert_int_equal(market_region_level("331081", "330402"), 1);
    assert_int_equal(market_region_level("331081", "321003"), 0);
    assert_int_equal(market_region_level("330400", "330400"), 2); /* a city is not a county */
    assert_int_equal(market_region_level(NULL, "330400"), 0);
}

/* Writes hl_write's JSON for text and terms into a static buffer. */
static const char *spans_json(const char *text, const char *const *terms, int n, bool snippet,
                              int max)
{
    static char out[1024];
    struct buf b = {0};
    struct jw w;
    jw_init(&w, &b);
    if (snippet)
        hl_write_snippet(&w, text, terms, n, max);
    else
        hl_write(&w, text, terms, n);
    snprintf(out, sizeof(out), "%s", buf_str(&b));
    buf_free(&b);
    return out;
}

/* Highlights: character offsets, folding, overlaps merged, adjacent kept apart,
 * snippets around the first hit. */
static void test_highlight(void **state)
{
    (void)state;
    const char *t1[] = {"电池"};
    assert_string_equal(spans_json("锂电池隔膜与电池壳", t1, 1, false, 0), "[[1,3],[6,8]]");
    const char *t2[] = {"锂电池", "电池隔膜"};
    assert_string_equal(spans_json("锂电池隔膜", t2, 2, false, 0), "[[0,5]]");
    const char *t3[] = {"电池", "汽车"};
    assert_string_equal(spans_json("电池汽车", t3, 2, false, 0), "[[0,2],[2,4]]");
    const char *t4[] = {"plc", "5g"};
    assert_string_equal(spans_json("基于ＰＬＣ的５Ｇ基站", t4, 2, false, 0), "[[2,5],[6,8]]");
    const char *t5[] = {"", "无"};
    assert_string_equal(spans_json("", t5, 2, false, 0), "[]");
    assert_string_equal(spans_json(NULL, t1, 1, false, 0), "[]");
    /* A snippet of 10 characters around the first hit, with ellipses. */
    const char *t6[] = {"叶轮"};
    const char *long_text =
        "本发明涉及一种离心泵，其特征在于采用三元流设计的叶轮，效率高，噪声低，寿命长。";
    assert_string_equal(spans_json(long_text, t6, 1, true, 10),
                        "{\"text\":\"…计的叶轮，效率高，噪…\",\"spans\":[[3,5]]}");
    assert_string_equal(spans_json("短文本叶轮", t6, 1, true, 10),
                        "{\"text\":\"短文本叶轮\",\"spans\":[[3,5]]}");
}

/* Runs the tests. */
int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_quality_gate), cmocka_unit_test(test_transitions),
        cmocka_unit_test(test_patents),      cmocka_unit_test(test_record_checks),
        cmocka_unit_test(test_signals),      cmocka_unit_test(test_highlight),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
