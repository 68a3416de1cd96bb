/* test_utf8.c — unit tests for core/utf8 (validation and code-point counting). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "core/utf8.h"

/* True when the NUL-terminated literal s is valid (its bytes, without the NUL). */
static bool valid(const char *s)
{
    return utf8_valid(s, strlen(s));
}

/* ASCII, Chinese, mixed text and the empty string are valid. */
static void test_valid_text(void **state)
{
    (void)state;
    assert_true(valid(""));
    assert_true(utf8_valid(NULL, 0));
    assert_true(valid("hello, world"));
    assert_true(valid("科技创新"));
    assert_true(valid("台州市 330400 高新技术企业 ¥1,240,000"));
    assert_true(valid("\xF0\x9F\x98\x80")); /* U+1F600, 4 bytes */
}

/* The edges of each sequence length are accepted. */
static void test_boundaries_valid(void **state)
{
    (void)state;
    assert_true(valid("\x7F"));             /* U+007F, last 1-byte */
    assert_true(valid("\xC2\x80"));         /* U+0080, first 2-byte */
    assert_true(valid("\xDF\xBF"));         /* U+07FF, last 2-byte */
    assert_true(valid("\xE0\xA0\x80"));     /* U+0800, first 3-byte */
    assert_true(valid("\xED\x9F\xBF"));     /* U+D7FF, just below the surrogates */
    assert_true(valid("\xEE\x80\x80"));     /* U+E000, just above the surrogates */
    assert_true(valid("\xEF\xBF\xBF"));     /* U+FFFF */
    assert_true(valid("\xF0\x90\x80\x80")); /* U+10000, first 4-byte */
    assert_true(valid("\xF4\x8F\xBF\xBF")); /* U+10FFFF, the last code point */
}

/* Overlong encodings of every length are rejected. */
static void test_overlongs_rejected(void **state)
{
    (void)state;
    assert_false(valid("\xC0\x80"));         /* NUL in 2 bytes */
    assert_false(valid("\xC0\xAF"));         /* "/" in 2 bytes */
    assert_false(valid("\xC1\xBF"));         /* U+007F in 2 bytes */
    assert_false(valid("\xE0\x80\xAF"));     /* "/" in 3 bytes */
    assert_false(valid("\xE0\x9F\xBF"));     /* U+07FF in 3 bytes */
    assert_false(valid("\xF0\x80\x80\xAF")); /* "/" in 4 bytes */
    assert_false(valid("\xF0\x8F\xBF\xBF")); /* U+FFFF in 4 bytes */
}

/* UTF-16 surrogates (U+D800–U+DFFF), alone or as a CESU-8 pair, are rejected. */
static void test_surrogates_rejected(void **state)
{
    (void)state;
    assert_false(valid("\xED\xA0\x80"));             /* U+D800 */
    assert_false(valid("\xED\xAD\xBF"));             /* U+DB7F */
    assert_false(valid("\xED\xB0\x80"));             /* U+DC00 */
    assert_false(valid("\xED\xBF\xBF"));             /* U+DFFF */
    assert_false(valid("\xED\xA0\xBD\xED\xB8\x80")); /* CESU-8 of U+1F600 */
}

/* A sequence cut short, by the end of input or by a non-continuation byte, is
 * rejected; so are stray continuation bytes. */
static void test_truncated_rejected(void **state)
{
    (void)state;
    const char *zhong = "中"; /* E4 B8 AD */
    assert_true(utf8_valid(zhong, 3));
    assert_false(utf8_valid(zhong, 2));
    assert_false(utf8_valid(zhong, 1));
    assert_false(valid("\xF0\x9F\x98"));    /* 4-byte lead, 3 bytes */
    assert_false(valid("\xC3"));            /* 2-byte lead alone */
    assert_false(valid("\xE4\xB8" "a"));    /* continuation replaced by ASCII */
    assert_false(valid("\xC3\xC3\xA9"));    /* lead followed by a lead */
    assert_false(valid("\x80"));            /* lone continuation */
    assert_false(valid("ab\xBF" "cd"));     /* continuation mid-text */
    /* The length limits what is read: a valid string cut inside its last character. */
    const char *s = "科技";
    assert_true(utf8_valid(s, 6));
    assert_false(utf8_valid(s, 5));
    assert_true(utf8_valid(s, 3));
}

/* Code points above U+10FFFF and bytes that can never appear are rejected. */
static void test_beyond_range_rejected(void **state)
{
    (void)state;
    assert_false(valid("\xF4\x90\x80\x80"));         /* U+110000 */
    assert_false(valid("\xF5\x80\x80\x80"));         /* lead F5 */
    assert_false(valid("\xF7\xBF\xBF\xBF"));         /* U+1FFFFF */
    assert_false(valid("\xF8\x88\x80\x80\x80"));     /* old 5-byte form */
    assert_false(valid("\xFC\x84\x80\x80\x80\x80")); /* old 6-byte form */
    assert_false(valid("\xFE"));
    assert_false(valid("\xFF"));
}

/* A NUL byte anywhere within the given length is rejected. */
static void test_nul_rejected(void **state)
{
    (void)state;
    assert_false(utf8_valid("\0", 1));
    assert_false(utf8_valid("ab\0cd", 5));
    assert_false(utf8_valid("科\0", 4));
    assert_true(utf8_valid("ab\0cd", 2)); /* the NUL lies beyond n */
}

/* utf8_len counts code points, not bytes. */
static void test_len_counts_code_points(void **state)
{
    (void)state;
    assert_int_equal(utf8_len(""), 0);
    assert_int_equal(utf8_len("abc"), 3);
    assert_int_equal(utf8_len("科技创新"), 4);
    assert_int_equal(strlen("科技创新"), 12);
    assert_int_equal(utf8_len("中文abc"), 5);
    assert_int_equal(utf8_len("\xC2\xA9" "2026"), 5); /* © is 2 bytes */
    assert_int_equal(utf8_len("\xF0\x9F\x98\x80" "x"), 2);
}

/* Runs the UTF-8 tests. */
int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid_text),
        cmocka_unit_test(test_boundaries_valid),
        cmocka_unit_test(test_overlongs_rejected),
        cmocka_unit_test(test_surrogates_rejected),
        cmocka_unit_test(test_truncated_rejected),
        cmocka_unit_test(test_beyond_range_rejected),
        cmocka_unit_test(test_nul_rejected),
        cmocka_unit_test(test_len_counts_code_points),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
