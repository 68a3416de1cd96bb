/* test_org.c — unit tests for domain/org (organisation kinds and record rules). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <string.h>

#include "core/uscc.h"
#include "domain/org.h"

/* The worked example of research/policy-rules.md §8.1 (a real 杭州 company code). */
static const char EXAMPLE[] = "91330100704313080Y";

/* A complete, valid record; the caller decrefs. */
static json_t *valid_org(void)
{
    json_t *o = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s}", "kind", "enterprise", "name",
                          "杭州示例科技有限公司", "uscc", EXAMPLE, "region_code", "330100",
                          "contact_email", "info@example.cn", "contact_phone",
                          "+86 (0571) 8888-1234");
    assert_non_null(o);
    return o;
}

/* Runs org_check on o and asserts it fails on field with code; decrefs o. */
static void expect_problem(json_t *o, const char *field, const char *code)
{
    struct org_problem p = {NULL, NULL};
    assert_false(org_check(o, &p));
    assert_non_null(p.field);
    assert_non_null(p.code);
    assert_string_equal(p.field, field);
    assert_string_equal(p.code, code);
    json_decref(o);
}

/* A valid record with the given string member replaced by value; caller decrefs. */
static json_t *with(const char *key, const char *value)
{
    json_t *o = valid_org();
    json_object_set_new(o, key, json_string(value));
    return o;
}

/* A valid record without the given member; caller decrefs. */
static json_t *without(const char *key)
{
    json_t *o = valid_org();
    json_object_del(o, key);
    return o;
}

/* A complete valid record passes; so does one without the optional contacts, and one
 * of every kind. */
static void test_valid_record(void **state)
{
    (void)state;
    struct org_problem p = {NULL, NULL};
    json_t *o = valid_org();
    assert_true(org_check(o, &p));
    assert_null(p.field);
    json_decref(o);
    o = without("contact_email");
    json_object_del(o, "contact_phone");
    assert_true(org_check(o, &p));
    json_decref(o);
    /* Empty optional contacts count as absent. */
    o = with("contact_email", "");
    json_object_set_new(o, "contact_phone", json_string(""));
    assert_true(org_check(o, &p));
    json_decref(o);
    int n_kinds = 0;
    for (const struct org_kind *k = org_kinds; k->code; k++, n_kinds++) {
        assert_non_null(k->name_zh);
        assert_non_null(k->name_en);
        o = with("kind", k->code);
        assert_true(org_check(o, &p));
        json_decref(o);
    }
    assert_int_equal(n_kinds, 7);
}

/* Each missing required field is named, with code "required". */
static void test_missing_required(void **state)
{
    (void)state;
    static const char *const required[] = {"kind", "name", "uscc", "region_code"};
    for (size_t i = 0; i < sizeof required / sizeof required[0]; i++) {
        expect_problem(without(required[i]), required[i], "required");
        expect_problem(with(required[i], ""), required[i], "required");
        /* A non-string value is as good as missing. */
        json_t *o = valid_org();
        json_object_set_new(o, required[i], json_integer(330100));
        expect_problem(o, required[i], "required");
        o = valid_org();
        json_object_set_new(o, required[i], json_null());
        expect_problem(o, required[i], "required");
    }
}

/* Problems are reported in field order: kind first, then name, uscc, region_code. */
static void test_first_problem_reported(void **state)
{
    (void)state;
    json_t *o = json_object();
    expect_problem(o, "kind", "required");
    o = without("name");
    json_object_del(o, "uscc");
    expect_problem(o, "name", "required");
    o = with("uscc", "bad");
    json_object_del(o, "region_code");
    expect_problem(o, "uscc", "invalid_uscc");
}

/* An unknown kind (including a wrong letter case) is invalid_value. */
static void test_bad_kind(void **state)
{
    (void)state;
    expect_problem(with("kind", "company"), "kind", "invalid_value");
    expect_problem(with("kind", "Enterprise"), "kind", "invalid_value");
    expect_problem(with("kind", "enterprise "), "kind", "invalid_value");
}

/* A whitespace-only name (spaces, tabs, newlines) is required. */
static void test_whitespace_name(void **state)
{
    (void)state;
    expect_problem(with("name", " "), "name", "required");
    expect_problem(with("name", " \t\r\n "), "name", "required");
    struct org_problem p = {NULL, NULL};
    json_t *o = with("name", "  甲  ");
    assert_true(org_check(o, &p));
    json_decref(o);
}

/* A name of only ideographic spaces (U+3000, what Chinese input methods type as a
 * full-width space) or no-break spaces is as empty as one of ASCII spaces.
 * (Regression test: the check once knew ASCII blanks only.) */
static void test_fullwidth_space_name(void **state)
{
    (void)state;
    expect_problem(with("name", "\u3000\u3000"), "name", "required");
    expect_problem(with("name", " \u3000 "), "name", "required");
    expect_problem(with("name", "\u00a0"), "name", "required");
}

/* A USCC failing any of its checks is invalid_uscc. */
static void test_bad_uscc(void **state)
{
    (void)state;
    expect_problem(with("uscc", "91330100704313080X"), "uscc", "invalid_uscc"); /* check */
    expect_problem(with("uscc", "91330100704313080y"), "uscc", "invalid_uscc"); /* case */
    expect_problem(with("uscc", "91330100704313080"), "uscc", "invalid_uscc");  /* short */
    expect_problem(with("uscc", "91330100704313080YY"), "uscc", "invalid_uscc");
    expect_problem(with("uscc", "9133010070431308OY"), "uscc", "invalid_uscc"); /* O */
}

/* An email needs exactly one "@" with text on both sides, and no spaces or quotes. */
static void test_bad_email(void **state)
{
    (void)state;
    expect_problem(with("contact_email", "info.example.cn"), "contact_email", "invalid_value");
    expect_problem(with("contact_email", "a@b@example.cn"), "contact_email", "invalid_value");
    expect_problem(with("contact_email", "@example.cn"), "contact_email", "invalid_value");
    expect_problem(with("contact_email", "info@"), "contact_email", "invalid_value");
    expect_problem(with("contact_email", "in fo@example.cn"), "contact_email", "invalid_value");
    expect_problem(with("contact_email", "<x>@example.cn"), "contact_email", "invalid_value");
    struct org_problem p = {NULL, NULL};
    json_t *o = with("contact_email", "科创@例子.中国");
    assert_true(org_check(o, &p));
    json_decref(o);
}

/* A phone may hold digits, "-", "+", spaces and parentheses only. */
static void test_bad_phone(void **state)
{
    (void)state;
    expect_problem(with("contact_phone", "0576-8888abc"), "contact_phone", "invalid_value");
    expect_problem(with("contact_phone", "call me"), "contact_phone", "invalid_value");
    expect_problem(with("contact_phone", "0576.8888"), "contact_phone", "invalid_value");
    expect_problem(with("contact_phone", "０５７６"), "contact_phone", "invalid_value");
    struct org_problem p = {NULL, NULL};
    json_t *o = with("contact_phone", "13800138000");
    assert_true(org_check(o, &p));
    json_decref(o);
}

/* The GB 11714 warning: false for the worked example, true for a code whose embedded
 * organisation-code check fails while its GB 32100 check passes, false for an
 * invalid code. */
static void test_uscc_warning(void **state)
{
    (void)state;
    assert_false(org_uscc_warning(EXAMPLE));
    /* Change the organisation-code check character (position 17) and recompute the
     * GB 32100 check character so the code as a whole stays valid. */
    char s[USCC_LEN + 1];
    memcpy(s, EXAMPLE, sizeof s);
    s[16] = s[16] == '1' ? '2' : '1';
    s[17] = uscc_check_char(s);
    assert_true(s[17] != 0);
    assert_int_equal(uscc_check(s), USCC_OK);
    assert_int_equal(uscc_orgcode_ok(s), 0);
    assert_true(org_uscc_warning(s));
    /* Such a code is still accepted by org_check: the warning is never an error. */
    struct org_problem p = {NULL, NULL};
    json_t *o = with("uscc", s);
    assert_true(org_check(o, &p));
    json_decref(o);
    /* An invalid code gives no warning (it is an error instead). */
    assert_false(org_uscc_warning("91330100704313080X"));
    assert_false(org_uscc_warning(""));
}

/* Runs the organisation rule tests. */
int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid_record),
        cmocka_unit_test(test_missing_required),
        cmocka_unit_test(test_first_problem_reported),
        cmocka_unit_test(test_bad_kind),
        cmocka_unit_test(test_whitespace_name),
        cmocka_unit_test(test_fullwidth_space_name),
        cmocka_unit_test(test_bad_uscc),
        cmocka_unit_test(test_bad_email),
        cmocka_unit_test(test_bad_phone),
        cmocka_unit_test(test_uscc_warning),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
