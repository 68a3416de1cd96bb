/* test_contract_types.c — unit tests for domain/contract_types (the technology-contract type
 * sets contract-2001 and contract-2026 as data). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <string.h>

#include "domain/contract_types.h"

/* Both embedded sets load, sorted by date, and do not overlap. */
static void test_embedded_sets(void **state)
{
    (void)state;
    assert_int_equal(contract_types_load(), 0);
    assert_int_equal(contract_types_count(), 2);
    const struct contract_ruleset *a = contract_types_at(0), *b = contract_types_at(1);
    assert_string_equal(a->id, "contract-2001");
    assert_string_equal(b->id, "contract-2026");
    assert_string_equal(a->from, "2001-07-18");
    assert_string_equal(a->to, "2026-01-22");
    assert_false(a->open_ended);
    assert_true(b->open_ended);
    assert_null(a->prov_zh);
    assert_non_null(b->prov_zh); /* the 2026 annex was not retrieved (research §5.2 ❌) */
    assert_null(contract_types_at(2));
}

/* The set is chosen by the signing date: the last day of 2001's rules and the first of
 * 2026's; nothing before 2001-07-18. */
static void test_for_date(void **state)
{
    (void)state;
    assert_null(contract_types_for_date("2001-07-17"));
    assert_string_equal(contract_types_for_date("2001-07-18")->id, "contract-2001");
    assert_string_equal(contract_types_for_date("2026-01-22")->id, "contract-2001");
    assert_string_equal(contract_types_for_date("2026-01-23")->id, "contract-2026");
    assert_string_equal(contract_types_for_date("2031-05-01")->id, "contract-2026");
    assert_string_equal(contract_types_find("contract-2001")->id, "contract-2001");
    assert_null(contract_types_find("contract-1999"));
    assert_null(contract_types_find(NULL));
}

/* Types and sub-types of 第四条 (2001), and 技术许可 split from 技术转让 in 2026. */
static void test_check(void **state)
{
    (void)state;
    const struct contract_ruleset *r01 = contract_types_find("contract-2001");
    const struct contract_ruleset *r26 = contract_types_find("contract-2026");
    const char *field = NULL;
    assert_null(contract_types_check(r01, "development", "entrusted", &field));
    assert_null(contract_types_check(r01, "development", "cooperative", &field));
    assert_null(contract_types_check(r01, "transfer", "patent_license", &field));
    assert_null(contract_types_check(r01, "transfer", "patent_application_right", &field));
    assert_null(contract_types_check(r01, "consulting", NULL, &field));
    assert_null(contract_types_check(r01, "service", "training", &field));
    assert_null(contract_types_check(r01, "service", "intermediary", &field));
    /* 2001 has no 技术许可 type. */
    assert_string_equal(contract_types_check(r01, "license", "patent_license", &field),
                        "invalid_contract_type");
    assert_string_equal(field, "type");
    /* 2026: the licence is its own type, no longer a transfer sub-type. */
    assert_null(contract_types_check(r26, "license", "patent_license", &field));
    assert_string_equal(contract_types_check(r26, "transfer", "patent_license", &field),
                        "invalid_contract_subtype");
    assert_string_equal(field, "subtype");
    /* A type with sub-types needs one; a type without refuses one. */
    assert_string_equal(contract_types_check(r01, "development", NULL, &field), "required");
    assert_string_equal(field, "subtype");
    assert_string_equal(contract_types_check(r01, "consulting", "service", &field),
                        "invalid_contract_subtype");
    assert_string_equal(contract_types_check(r01, NULL, NULL, &field), "invalid_contract_type");
    /* A sub-type of another type does not count. */
    assert_string_equal(contract_types_check(r01, "development", "training", &field),
                        "invalid_contract_subtype");
}

/* The labels object serves SQL json_extract lookups in both languages, covering the sub-types
 * of both sets ("other" differs between transfer and licence). */
static void test_labels(void **state)
{
    (void)state;
    json_t *zh = json_loads(contract_types_labels_json(false), 0, NULL);
    json_t *en = json_loads(contract_types_labels_json(true), 0, NULL);
    assert_non_null(zh);
    assert_non_null(en);
    const char *v = json_string_value(json_object_get(json_object_get(zh, "development"), "_"));
    assert_string_equal(v, "技术开发合同");
    v = json_string_value(json_object_get(json_object_get(zh, "license"), "other"));
    assert_string_equal(v, "其他技术许可");
    v = json_string_value(json_object_get(json_object_get(zh, "transfer"), "other"));
    assert_string_equal(v, "其他技术转让");
    v = json_string_value(json_object_get(json_object_get(zh, "transfer"), "patent_license"));
    assert_string_equal(v, "专利实施许可");
    v = json_string_value(json_object_get(json_object_get(en, "service"), "training"));
    assert_string_equal(v, "Technical training");
    json_decref(zh);
    json_decref(en);
}

/* Parses text expecting a failure whose reason contains want. */
static void expect_reject(const char *text, const char *want)
{
    struct contract_ruleset *rs = NULL;
    char err[300] = "";
    assert_int_not_equal(contract_ruleset_parse(text, strlen(text), &rs, err, sizeof(err)), 0);
    assert_null(rs);
    if (!strstr(err, want))
        fail_msg("reason \"%s\" does not mention \"%s\"", err, want);
}

/* Malformed sets are refused with a reason that names the place. */
static void test_parse_rejects(void **state)
{
    (void)state;
    const char *head = "{\"kind\":\"contract-types\",\"schema\":1,\"id\":\"contract-x\","
                       "\"title_zh\":\"t\",\"title_en\":\"t\",\"source\":\"s\","
                       "\"effective_from\":\"2001-01-01\",\"effective_to\":null,";
    char buf[1024];
    snprintf(buf, sizeof(buf), "%s\"types\":[]}", head);
    expect_reject(buf, "types");
    snprintf(buf, sizeof(buf),
             "%s\"types\":[{\"code\":\"a\",\"zh\":\"甲\",\"en\":\"A\",\"subtypes\":[]},"
             "{\"code\":\"a\",\"zh\":\"乙\",\"en\":\"B\",\"subtypes\":[]}]}",
             head);
    expect_reject(buf, "types[1].code");
    snprintf(buf, sizeof(buf),
             "%s\"types\":[{\"code\":\"A b\",\"zh\":\"甲\",\"en\":\"A\",\"subtypes\":[]}]}", head);
    expect_reject(buf, "types[0].code");
    snprintf(buf, sizeof(buf),
             "%s\"types\":[{\"code\":\"a\",\"zh\":\"甲\",\"en\":\"A\",\"subtypes\":[{\"code\":"
             "\"s\",\"zh\":\"子\"}]}]}",
             head);
    expect_reject(buf, "types[0].subtypes[0]");
    snprintf(buf, sizeof(buf),
             "%s\"extra\":1,\"types\":[{\"code\":\"a\",\"zh\":\"甲\",\"en\":\"A\","
             "\"subtypes\":[]}]}",
             head);
    expect_reject(buf, "extra");
    expect_reject("{\"kind\":\"other\"}", "kind");
    expect_reject("[1", "line");
    /* The minimal valid set parses and frees cleanly. */
    snprintf(buf, sizeof(buf),
             "%s\"provisional\":null,\"types\":[{\"code\":\"a\",\"zh\":\"甲\",\"en\":\"A\","
             "\"subtypes\":[{\"code\":\"s\",\"zh\":\"子\",\"en\":\"S\"}]}]}",
             head);
    struct contract_ruleset *rs = NULL;
    char err[300] = "";
    assert_int_equal(contract_ruleset_parse(buf, strlen(buf), &rs, err, sizeof(err)), 0);
    assert_int_equal(rs->n_types, 1);
    assert_int_equal(rs->types[0].n_subs, 1);
    assert_string_equal(rs->to, "9999-12-31");
    contract_ruleset_free(rs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_embedded_sets), cmocka_unit_test(test_for_date),
        cmocka_unit_test(test_check),         cmocka_unit_test(test_labels),
        cmocka_unit_test(test_parse_rejects),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
