/* test_jw.c — unit tests for core/jw (the streaming JSON writer). Every output is
 * parsed back with jansson and compared with the values written. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/jw.h"

/* Parses text with jansson (rejecting duplicates, allowing a non-object top level and
 * \u0000 inside strings);
 * fails the test with jansson's message when it is not valid JSON. Caller decrefs. */
static json_t *parse(const char *text)
{
    json_error_t err;
    json_t *j = json_loads(text, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY | JSON_ALLOW_NUL, &err);
    if (!j)
        fail_msg("jansson rejects %s: %s (col %d)", text, err.text, err.column);
    return j;
}

/* Escapes n bytes of s, checks the literal parses back to the same bytes, and returns
 * the literal (malloc'd; the caller frees). */
static char *escape_roundtrip(const char *s, size_t n)
{
    struct buf b = {0};
    jw_escape(&b, s, n);
    json_t *j = parse(buf_str(&b));
    assert_true(json_is_string(j));
    assert_int_equal(json_string_length(j), n);
    assert_memory_equal(json_string_value(j), s, n);
    json_decref(j);
    return buf_take(&b, NULL);
}

/* An empty object and an empty array. */
static void test_empty_containers(void **state)
{
    (void)state;
    struct buf b = {0};
    struct jw w;
    jw_init(&w, &b);
    jw_obj_open(&w);
    jw_obj_close(&w);
    assert_string_equal(buf_str(&b), "{}");
    buf_reset(&b);
    jw_init(&w, &b);
    jw_arr_open(&w);
    jw_arr_close(&w);
    assert_string_equal(buf_str(&b), "[]");
    buf_free(&b);
}

/* Nested objects and arrays get commas exactly between siblings, and the result
 * equals the same structure built with jansson. */
static void test_nesting_and_commas(void **state)
{
    (void)state;
    struct buf b = {0};
    struct jw w;
    jw_init(&w, &b);
    jw_obj_open(&w);
    jw_kint(&w, "a", 1);
    jw_key(&w, "list");
    jw_arr_open(&w);
    jw_int(&w, 1);
    jw_arr_open(&w);
    jw_arr_close(&w);
    jw_obj_open(&w);
    jw_kstr(&w, "x", "y");
    jw_knull(&w, "n");
    jw_obj_close(&w);
    jw_str(&w, NULL);
    jw_bool(&w, false);
    jw_arr_close(&w);
    jw_key(&w, "obj");
    jw_obj_open(&w);
    jw_key(&w, "inner");
    jw_obj_open(&w);
    jw_obj_close(&w);
    jw_kbool(&w, "t", true);
    jw_obj_close(&w);
    jw_key(&w, "raw");
    jw_raw(&w, "[1,2]", 5);
    jw_kstr(&w, "last", "z");
    jw_obj_close(&w);
    assert_string_equal(buf_str(&b), "{\"a\":1,\"list\":[1,[],{\"x\":\"y\",\"n\":null},null,false],"
                                     "\"obj\":{\"inner\":{},\"t\":true},\"raw\":[1,2],"
                                     "\"last\":\"z\"}");
    json_t *got = parse(buf_str(&b));
    /* "n" takes no argument; "b" takes an int. */
    json_t *want = json_pack("{s:i,s:[i,[],{s:s,s:n},n,b],s:{s:{},s:b},s:[i,i],s:s}", /* */
                             "a", 1, "list", 1, "x", "y", "n", /* null, null, */ 0, /* false */
                             "obj", "inner", "t", 1, "raw", 1, 2, "last", "z");
    assert_non_null(want);
    assert_true(json_equal(got, want));
    json_decref(got);
    json_decref(want);
    buf_free(&b);
}

/* Top-level values written one after another into an array are comma-separated, and
 * deep nesting up to the documented limit still produces valid JSON. */
static void test_deep_nesting(void **state)
{
    (void)state;
    struct buf b = {0};
    struct jw w;
    jw_init(&w, &b);
    const int depth = JW_MAX_DEPTH - 1; /* the deepest the writer allows */
    for (int i = 0; i < depth; i++) {
        jw_arr_open(&w);
        jw_int(&w, i);
    }
    for (int i = 0; i < depth; i++)
        jw_arr_close(&w);
    json_t *j = parse(buf_str(&b));
    json_t *cur = j;
    for (int i = 0; i < depth; i++) {
        assert_true(json_is_array(cur));
        assert_int_equal(json_integer_value(json_array_get(cur, 0)), i);
        cur = json_array_get(cur, 1);
    }
    assert_null(cur);
    json_decref(j);
    buf_free(&b);
}

/* Quotes, backslashes and the short escapes. */
static void test_escape_quotes_backslash(void **state)
{
    (void)state;
    const char *q = "say \"hi\" \\ back\\slash";
    char *lit = escape_roundtrip(q, strlen(q));
    assert_string_equal(lit, "\"say \\\"hi\\\" \\\\ back\\\\slash\"");
    free(lit);
    lit = escape_roundtrip("\n\r\t\b\f", 5);
    assert_string_equal(lit, "\"\\n\\r\\t\\b\\f\"");
    free(lit);
    lit = escape_roundtrip("", 0);
    assert_string_equal(lit, "\"\"");
    free(lit);
}

/* Every control character below 0x20 is escaped (none appears raw) and round-trips;
 * those without a short escape use \u00XX. */
static void test_escape_control_chars(void **state)
{
    (void)state;
    char *lit = escape_roundtrip("a\001b", 3);
    assert_string_equal(lit, "\"a\\u0001b\"");
    free(lit);
    lit = escape_roundtrip("\x1f", 1);
    assert_string_equal(lit, "\"\\u001f\"");
    free(lit);
    /* An embedded NUL is escaped too, so jw_strn can carry it. */
    lit = escape_roundtrip("x\0y", 3);
    assert_string_equal(lit, "\"x\\u0000y\"");
    free(lit);
    char all[32];
    for (int c = 0; c < 32; c++)
        all[c] = (char)c;
    lit = escape_roundtrip(all, sizeof all);
    for (const char *p = lit; *p; p++)
        assert_true((unsigned char)*p >= 0x20);
    free(lit);
}

/* "<", ">" and "&" are written as \u escapes, so no reply can be sniffed as HTML. */
static void test_escape_html_chars(void **state)
{
    (void)state;
    const char *s = "</script><b>&amp;";
    char *lit = escape_roundtrip(s, strlen(s));
    assert_string_equal(lit, "\"\\u003c/script\\u003e\\u003cb\\u003e\\u0026amp;\"");
    assert_null(strchr(lit, '<'));
    assert_null(strchr(lit, '>'));
    assert_null(strchr(lit, '&'));
    free(lit);
}

/* UTF-8 Chinese (and a 4-byte character) passes through unescaped, byte for byte. */
static void test_utf8_passes_through(void **state)
{
    (void)state;
    const char *s = "科技创新 台州 \xF0\x9F\x98\x80"; /* ends with U+1F600 */
    char *lit = escape_roundtrip(s, strlen(s));
    assert_int_equal(strlen(lit), strlen(s) + 2);
    assert_memory_equal(lit + 1, s, strlen(s));
    free(lit);
}

/* Object keys are escaped the same way as values. */
static void test_keys_escaped(void **state)
{
    (void)state;
    struct buf b = {0};
    struct jw w;
    jw_init(&w, &b);
    jw_obj_open(&w);
    jw_kstr(&w, "k\"<&>\n名", "v");
    jw_obj_close(&w);
    assert_null(strchr(buf_str(&b), '<'));
    json_t *j = parse(buf_str(&b));
    assert_string_equal(json_string_value(json_object_get(j, "k\"<&>\n名")), "v");
    json_decref(j);
    buf_free(&b);
}

/* int64 extremes are written exactly. */
static void test_int64_extremes(void **state)
{
    (void)state;
    const int64_t vals[] = {0, -1, 1, INT32_MAX, (int64_t)INT32_MIN - 1, INT64_MAX, INT64_MIN};
    const size_t n_vals = sizeof vals / sizeof vals[0];
    struct buf b = {0};
    struct jw w;
    jw_init(&w, &b);
    jw_arr_open(&w);
    for (size_t i = 0; i < n_vals; i++)
        jw_int(&w, vals[i]);
    jw_arr_close(&w);
    assert_non_null(strstr(buf_str(&b), "9223372036854775807"));
    assert_non_null(strstr(buf_str(&b), "-9223372036854775808"));
    json_t *j = parse(buf_str(&b));
    assert_int_equal(json_array_size(j), n_vals);
    for (size_t i = 0; i < n_vals; i++) {
        json_t *v = json_array_get(j, i);
        assert_true(json_is_integer(v));
        assert_true(json_integer_value(v) == vals[i]);
    }
    json_decref(j);
    buf_free(&b);
}

/* Doubles round-trip exactly (17 significant digits); NaN and infinities, which JSON
 * cannot express, become null. */
static void test_doubles(void **state)
{
    (void)state;
    const double vals[] = {0.1, -2.5, 1e300, -1e-300, 3.141592653589793, 1.0 / 3.0, 123456.0};
    const size_t n_vals = sizeof vals / sizeof vals[0];
    struct buf b = {0};
    struct jw w;
    jw_init(&w, &b);
    jw_arr_open(&w);
    for (size_t i = 0; i < n_vals; i++)
        jw_double(&w, vals[i]);
    jw_double(&w, NAN);
    jw_double(&w, INFINITY);
    jw_double(&w, -INFINITY);
    jw_arr_close(&w);
    json_t *j = parse(buf_str(&b));
    assert_int_equal(json_array_size(j), n_vals + 3);
    for (size_t i = 0; i < n_vals; i++) {
        json_t *v = json_array_get(j, i);
        assert_true(json_is_number(v));
        /* Integral doubles are printed without a fraction ("123456"), which jansson
         * reads as an integer: compare the numeric value. */
        assert_true(json_number_value(v) == vals[i]);
    }
    for (size_t i = n_vals; i < n_vals + 3; i++)
        assert_true(json_is_null(json_array_get(j, i)));
    json_decref(j);
    buf_free(&b);
}

/* null, booleans, jw_str(NULL) and jw_strn with an explicit length. */
static void test_null_bool_strn(void **state)
{
    (void)state;
    struct buf b = {0};
    struct jw w;
    jw_init(&w, &b);
    jw_obj_open(&w);
    jw_knull(&w, "a");
    jw_kstr(&w, "b", NULL);
    jw_kbool(&w, "t", true);
    jw_kbool(&w, "f", false);
    jw_key(&w, "part");
    jw_strn(&w, "abcdef", 3);
    jw_obj_close(&w);
    assert_string_equal(buf_str(&b),
                        "{\"a\":null,\"b\":null,\"t\":true,\"f\":false,\"part\":\"abc\"}");
    json_t *j = parse(buf_str(&b));
    assert_true(json_is_null(json_object_get(j, "a")));
    assert_true(json_is_null(json_object_get(j, "b")));
    assert_true(json_is_true(json_object_get(j, "t")));
    assert_true(json_is_false(json_object_get(j, "f")));
    assert_string_equal(json_string_value(json_object_get(j, "part")), "abc");
    json_decref(j);
    buf_free(&b);
}

/* jw_init resets a writer so it can be reused on a fresh buffer. */
static void test_reinit(void **state)
{
    (void)state;
    struct buf b1 = {0}, b2 = {0};
    struct jw w;
    jw_init(&w, &b1);
    jw_arr_open(&w);
    jw_int(&w, 1);
    jw_arr_close(&w);
    jw_init(&w, &b2);
    jw_arr_open(&w);
    jw_int(&w, 2);
    jw_arr_close(&w);
    assert_string_equal(buf_str(&b1), "[1]");
    assert_string_equal(buf_str(&b2), "[2]");
    buf_free(&b1);
    buf_free(&b2);
}

/* Runs the JSON writer tests. */
int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_empty_containers),
        cmocka_unit_test(test_nesting_and_commas),
        cmocka_unit_test(test_deep_nesting),
        cmocka_unit_test(test_escape_quotes_backslash),
        cmocka_unit_test(test_escape_control_chars),
        cmocka_unit_test(test_escape_html_chars),
        cmocka_unit_test(test_utf8_passes_through),
        cmocka_unit_test(test_keys_escaped),
        cmocka_unit_test(test_int64_extremes),
        cmocka_unit_test(test_doubles),
        cmocka_unit_test(test_null_bool_strn),
        cmocka_unit_test(test_reinit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
