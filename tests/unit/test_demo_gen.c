/* test_demo_gen.c — unit tests for domain/demo_gen (demo PRNG, names and USCCs). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "core/uscc.h"
#include "domain/demo_gen.h"

/* The kinds demo_org_name accepts. */
static const char *const KINDS[] = {
    "enterprise",         "university",       "institute",
    "new_rd_institution", "service_provider", "carrier_operator",
};

/* Returns 1 when s is well-formed UTF-8 (no overlongs, surrogates or code points above
 * U+10FFFF) containing at least one character outside ASCII, 0 otherwise. */
static int utf8_ok_and_cjk(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    int saw_multibyte = 0;
    while (*p != '\0') {
        unsigned c = *p;
        int n;
        unsigned cp;
        if (c < 0x80) {
            p++;
            continue;
        } else if (c >= 0xC2 && c <= 0xDF) {
            n = 1;
            cp = c & 0x1F;
        } else if (c >= 0xE0 && c <= 0xEF) {
            n = 2;
            cp = c & 0x0F;
        } else if (c >= 0xF0 && c <= 0xF4) {
            n = 3;
            cp = c & 0x07;
        } else {
            return 0;
        }
        for (int i = 1; i <= n; i++) {
            if ((p[i] & 0xC0) != 0x80)
                return 0;
            cp = (cp << 6) | (p[i] & 0x3F);
        }
        if ((n == 2 && cp < 0x800) || (n == 3 && (cp < 0x10000 || cp > 0x10FFFF)) ||
            (cp >= 0xD800 && cp <= 0xDFFF))
            return 0;
        saw_multibyte = 1;
        p += n + 1;
    }
    return saw_multibyte;
}

/* splitmix64 matches its reference outputs (computed independently in Python). */
static void test_rng_reference(void **state)
{
    (void)state;
    struct demo_rng r;
    demo_rng_seed(&r, 0);
    assert_true(demo_rng_next(&r) == UINT64_C(0xe220a8397b1dcdaf));
    assert_true(demo_rng_next(&r) == UINT64_C(0x6e789e6aa1b965f4));
    assert_true(demo_rng_next(&r) == UINT64_C(0x06c45d188009454f));
    demo_rng_seed(&r, 12345);
    assert_true(demo_rng_next(&r) == UINT64_C(0x22118258a9d111a0));
    assert_true(demo_rng_next(&r) == UINT64_C(0x346edce5f713f8ed));
}

/* The same seed gives the same sequence; different seeds differ. */
static void test_rng_deterministic(void **state)
{
    (void)state;
    struct demo_rng a, b, c;
    demo_rng_seed(&a, 42);
    demo_rng_seed(&b, 42);
    demo_rng_seed(&c, 43);
    int n_diff = 0;
    for (int i = 0; i < 1000; i++) {
        uint64_t x = demo_rng_next(&a);
        assert_true(x == demo_rng_next(&b));
        n_diff += x != demo_rng_next(&c);
    }
    assert_true(n_diff > 990);
}

/* demo_rng_below stays in range, hits every value, and is roughly uniform. */
static void test_rng_below(void **state)
{
    (void)state;
    struct demo_rng r;
    demo_rng_seed(&r, 7);
    assert_int_equal(demo_rng_below(&r, 0), 0);
    assert_int_equal(demo_rng_below(&r, 1), 0);
    unsigned counts[10] = {0};
    for (int i = 0; i < 100000; i++) {
        uint32_t v = demo_rng_below(&r, 10);
        assert_true(v < 10);
        counts[v]++;
    }
    for (int i = 0; i < 10; i++)
        assert_true(counts[i] > 9500 && counts[i] < 10500);
    for (int i = 0; i < 1000; i++)
        assert_true(demo_rng_below(&r, 3000000000u) < 3000000000u);
    for (int i = 0; i < 1000; i++)
        assert_true(demo_rng_below(&r, UINT32_MAX) < UINT32_MAX);
}

/* Same seed → same names, for every kind, with and without county and industry. */
static void test_names_deterministic(void **state)
{
    (void)state;
    struct demo_rng a, b;
    demo_rng_seed(&a, 2024);
    demo_rng_seed(&b, 2024);
    for (int i = 0; i < 600; i++) {
        const char *kind = KINDS[i % 6];
        const char *county = (i / 6) % 2 ? "黄岩" : NULL;
        const char *industry = (i / 12) % 2 ? "模具" : NULL;
        char x[256], y[256];
        assert_int_equal(demo_org_name(&a, kind, "台州", county, industry, x, sizeof x), 0);
        assert_int_equal(demo_org_name(&b, kind, "台州", county, industry, y, sizeof y), 0);
        assert_string_equal(x, y);
    }
}

/* Names are non-empty valid UTF-8, start with the city and contain the county when the
 * pattern uses it; enterprise names end in 公司 and carry the industry word. */
static void test_names_valid(void **state)
{
    (void)state;
    struct demo_rng r;
    demo_rng_seed(&r, 1);
    int n_with_county = 0;
    for (int i = 0; i < 6000; i++) {
        const char *kind = KINDS[i % 6];
        char name[256];
        int rc = demo_org_name(&r, kind, "丽水", "景宁", NULL, name, sizeof name);
        assert_int_equal(rc, 0);
        assert_true(strlen(name) > 0);
        assert_true(utf8_ok_and_cjk(name));
        assert_non_null(strstr(name, "丽水"));
        assert_null(strchr(name, '{'));
        assert_null(strchr(name, '}'));
        n_with_county += strstr(name, "景宁") != NULL;
        if (strcmp(kind, "enterprise") == 0) {
            size_t n = strlen(name);
            assert_true(n > strlen("公司"));
            assert_string_equal(name + n - strlen("公司"), "公司");
        }
    }
    assert_true(n_with_county > 0);

    /* The documented example shape and a caller-chosen industry word. */
    demo_rng_seed(&r, 9);
    int n_example_shape = 0;
    for (int i = 0; i < 200; i++) {
        char name[256];
        assert_int_equal(demo_org_name(&r, "enterprise", "台州", "黄岩", "模具", name, sizeof name),
                         0);
        assert_non_null(strstr(name, "模具"));
        if (strncmp(name, "台州市黄岩", strlen("台州市黄岩")) == 0 &&
            strstr(name, "模具有限公司") != NULL)
            n_example_shape++;
    }
    assert_true(n_example_shape > 0);
}

/* Without a county, no name contains a doubled 市 or a stray placeholder. */
static void test_names_without_county(void **state)
{
    (void)state;
    struct demo_rng r;
    demo_rng_seed(&r, 5);
    for (int i = 0; i < 600; i++) {
        char name[256];
        assert_int_equal(demo_org_name(&r, KINDS[i % 6], "扬州", "", NULL, name, sizeof name), 0);
        assert_true(utf8_ok_and_cjk(name));
        assert_null(strstr(name, "市市"));
    }
}

/* A buffer too small, an unknown kind or a missing city give -1 and an empty string,
 * and still draw the same values, keeping sequences aligned. */
static void test_names_errors(void **state)
{
    (void)state;
    struct demo_rng a, b;
    demo_rng_seed(&a, 77);
    demo_rng_seed(&b, 77);
    char small[8];
    memset(small, 'x', sizeof small);
    assert_int_equal(demo_org_name(&a, "enterprise", "台州", "黄岩", NULL, small, sizeof small),
                     -1);
    assert_string_equal(small, "");
    char big[256];
    assert_int_equal(demo_org_name(&a, "no_such_kind", "台州", NULL, NULL, big, sizeof big), -1);
    assert_string_equal(big, "");
    assert_int_equal(demo_org_name(&a, "enterprise", NULL, NULL, NULL, big, sizeof big), -1);
    assert_int_equal(demo_org_name(&a, "enterprise", "台州", NULL, NULL, big, 0), -1);

    for (int i = 0; i < 4; i++)
        assert_int_equal(demo_org_name(&b, "university", "台州", NULL, NULL, big, sizeof big), 0);
    assert_true(demo_rng_next(&a) == demo_rng_next(&b));

    /* Exactly enough room succeeds; one byte less fails. */
    struct demo_rng c, d;
    demo_rng_seed(&c, 3);
    demo_rng_seed(&d, 3);
    assert_int_equal(demo_org_name(&c, "institute", "嘉兴", "海盐", NULL, big, sizeof big), 0);
    size_t need = strlen(big) + 1;
    char exact[256];
    struct demo_rng e = d;
    assert_int_equal(demo_org_name(&d, "institute", "嘉兴", "海盐", NULL, exact, need), 0);
    assert_string_equal(exact, big);
    assert_int_equal(demo_org_name(&e, "institute", "嘉兴", "海盐", NULL, exact, need - 1), -1);
}

/* Industry words by section: C has words, S and T have none. */
static void test_industry_words(void **state)
{
    (void)state;
    struct demo_rng r;
    demo_rng_seed(&r, 11);
    for (char s = 'A'; s <= 'R'; s++) {
        const char *w = demo_industry_word(&r, s);
        assert_non_null(w);
        assert_true(utf8_ok_and_cjk(w));
    }
    struct demo_rng before = r;
    assert_null(demo_industry_word(&r, 'S'));
    assert_null(demo_industry_word(&r, 'T'));
    assert_null(demo_industry_word(&r, 'c'));
    assert_true(r.s == before.s);
}

/* Generated USCCs pass both checks and carry the region; 10,000 of them, all valid. */
static void test_uscc_valid(void **state)
{
    (void)state;
    static const char *const regions[] = {"331003", "331083", "321000", "330402", "331127"};
    struct demo_rng r;
    demo_rng_seed(&r, 20240601);
    int n_ma = 0;
    for (int i = 0; i < 10000; i++) {
        char code[19];
        memset(code, 'z', sizeof code);
        demo_uscc(&r, regions[i % 5], code);
        assert_int_equal(strlen(code), 18);
        assert_int_equal(uscc_check(code), USCC_OK);
        assert_int_equal(uscc_orgcode_ok(code), 1);
        assert_memory_equal(code, "91", 2);
        char region[7];
        assert_int_equal(uscc_region(code, region), 0);
        assert_string_equal(region, regions[i % 5]);
        n_ma += code[8] == 'M' && code[9] == 'A';
    }
    /* Both body shapes occur. */
    assert_true(n_ma > 4000 && n_ma < 6000);

    /* Same seed, same codes. */
    struct demo_rng a, b;
    demo_rng_seed(&a, 5);
    demo_rng_seed(&b, 5);
    for (int i = 0; i < 100; i++) {
        char x[19], y[19];
        demo_uscc(&a, "331002", x);
        demo_uscc(&b, "331002", y);
        assert_string_equal(x, y);
    }
}

/* Runs the demo generator tests. */
int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rng_reference), cmocka_unit_test(test_rng_deterministic),
        cmocka_unit_test(test_rng_below),     cmocka_unit_test(test_names_deterministic),
        cmocka_unit_test(test_names_valid),   cmocka_unit_test(test_names_without_county),
        cmocka_unit_test(test_names_errors),  cmocka_unit_test(test_industry_words),
        cmocka_unit_test(test_uscc_valid),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
