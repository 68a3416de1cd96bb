/* test_patent.c — unit tests for core/patent (ZC 0006-2003 application numbers). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "core/patent.h"

/* Checks s and asserts that it is valid and normalises to want. */
static void expect_valid(const char *s, const char *want)
{
    char norm[PATENT_APPNO_NORM_CAP];
    assert_int_equal(patent_appno_check(s, norm, sizeof norm), PATENT_OK);
    assert_string_equal(norm, want);
    assert_int_equal(patent_appno_check(s, NULL, 0), PATENT_OK);
}

/* Checks s and asserts the result want and an empty normalised form. */
static void expect_invalid(const char *s, int want)
{
    char norm[PATENT_APPNO_NORM_CAP];
    memset(norm, 'z', sizeof norm);
    assert_int_equal(patent_appno_check(s, norm, sizeof norm), want);
    assert_string_equal(norm, "");
}

/* The worked examples of research/policy-rules.md §8.2: check characters X and 2. */
static void test_check_char_examples(void **state)
{
    (void)state;
    assert_int_equal(patent_check_char("200710308494", 12), 'X');
    assert_int_equal(patent_check_char("201310699744", 12), '2');
    assert_int_equal(patent_check_char("90101673", 8), 'X');
    /* Values computed independently (Python), including a 0 remainder. */
    assert_int_equal(patent_check_char("202110000001", 12), '6');
    assert_int_equal(patent_check_char("202320123456", 12), '1');
    assert_int_equal(patent_check_char("201830000000", 12), '0');
    assert_int_equal(patent_check_char("98123456", 8), '9');
    assert_int_equal(patent_check_char("85100001", 8), '0');
    assert_int_equal(patent_check_char("2007103084a4", 12), 0);
    assert_int_equal(patent_check_char("200710308494", 10), 0);
    assert_int_equal(patent_check_char(NULL, 12), 0);
}

/* The printed forms of the two examples, with and without prefix, space and dot. */
static void test_valid_forms(void **state)
{
    (void)state;
    expect_valid("200710308494.X", "200710308494.X");
    expect_valid("200710308494X", "200710308494.X");
    expect_valid("ZL200710308494.X", "200710308494.X");
    expect_valid("CN 200710308494.X", "200710308494.X");
    expect_valid("zl200710308494.x", "200710308494.X");
    expect_valid("ZL2013106997442", "201310699744.2");
    expect_valid("CN201310699744.2", "201310699744.2");
    expect_valid("ZL 201310699744.2", "201310699744.2");
    expect_valid("ZL\t2013106997442", "201310699744.2");
    expect_valid("201310699744.2", "201310699744.2");
    expect_valid("2013106997442", "201310699744.2");
}

/* The pre-2003 8-digit form. */
static void test_old_form(void **state)
{
    (void)state;
    expect_valid("90101673.X", "90101673.X");
    expect_valid("90101673X", "90101673.X");
    expect_valid("ZL98123456.9", "98123456.9");
    expect_valid("981234569", "98123456.9");
    expect_valid("CN 85100001.0", "85100001.0");
    expect_invalid("90101673.1", PATENT_BAD_CHECK);
    expect_invalid("981234568", PATENT_BAD_CHECK);
}

/* A wrong check character, or any changed digit, is rejected. */
static void test_bad_check(void **state)
{
    (void)state;
    expect_invalid("200710308494.0", PATENT_BAD_CHECK);
    expect_invalid("ZL2013106997443", PATENT_BAD_CHECK);
    expect_invalid("CN201310699744.X", PATENT_BAD_CHECK);
    /* Every single-digit change of the 12 digits changes the check (weights < 11). */
    const char *base = "201310699744.2";
    for (int pos = 0; pos < 12; pos++) {
        for (char d = '0'; d <= '9'; d++) {
            if (d == base[pos])
                continue;
            char s[16];
            strcpy(s, base);
            s[pos] = d;
            assert_int_equal(patent_appno_check(s, NULL, 0), PATENT_BAD_CHECK);
        }
    }
}

/* Shapes that are not application numbers. */
static void test_bad_format(void **state)
{
    (void)state;
    expect_invalid(NULL, PATENT_BAD_FORMAT);
    expect_invalid("", PATENT_BAD_FORMAT);
    expect_invalid("ZL", PATENT_BAD_FORMAT);
    expect_invalid("20071030849.X", PATENT_BAD_FORMAT);   /* 11 digits */
    expect_invalid("2007103084940.X", PATENT_BAD_FORMAT); /* 13 digits */
    expect_invalid("20071030849X", PATENT_BAD_FORMAT);    /* 11 digits + X */
    expect_invalid("200710308494.", PATENT_BAD_FORMAT);   /* no check character */
    expect_invalid("200710308494.XX", PATENT_BAD_FORMAT);
    expect_invalid("200710308494.A", PATENT_BAD_FORMAT);
    expect_invalid("200710308494-X", PATENT_BAD_FORMAT);
    expect_invalid("200710308494.X ", PATENT_BAD_FORMAT);    /* trailing blank */
    expect_invalid(" 200710308494.X", PATENT_BAD_FORMAT);    /* leading blank */
    expect_invalid("ZL  200710308494.X", PATENT_BAD_FORMAT); /* two blanks */
    expect_invalid("US200710308494.X", PATENT_BAD_FORMAT);
    expect_invalid("2007 10308494.X", PATENT_BAD_FORMAT);
    expect_invalid("1234567.8", PATENT_BAD_FORMAT); /* 7 digits */
}

/* The normalised form needs 15 bytes for 12 digits and 11 for 8 digits. */
static void test_capacity(void **state)
{
    (void)state;
    char norm[PATENT_APPNO_NORM_CAP];
    assert_int_equal(patent_appno_check("ZL2013106997442", norm, 14), PATENT_NO_ROOM);
    assert_string_equal(norm, "");
    assert_int_equal(patent_appno_check("ZL2013106997442", norm, 15), PATENT_OK);
    assert_string_equal(norm, "201310699744.2");
    assert_int_equal(patent_appno_check("90101673X", norm, 10), PATENT_NO_ROOM);
    assert_int_equal(patent_appno_check("90101673X", norm, 11), PATENT_OK);
    assert_string_equal(norm, "90101673.X");
}

/* Runs the patent number tests. */
int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_check_char_examples),
        cmocka_unit_test(test_valid_forms),
        cmocka_unit_test(test_old_form),
        cmocka_unit_test(test_bad_check),
        cmocka_unit_test(test_bad_format),
        cmocka_unit_test(test_capacity),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
