/* test_uscc.c — unit tests for core/uscc (GB 32100-2015 and GB 11714 checks). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "core/uscc.h"

/* The worked example of research/policy-rules.md §8.1 (a real 杭州 company code). */
static const char EXAMPLE[] = "91330100704313080Y";

/* The 31 characters a USCC may use. */
static const char CHARSET[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";

/* The worked example is valid, its GB 11714 part passes and its region is 330100. */
static void test_example_valid(void **state)
{
    (void)state;
    assert_int_equal(uscc_check(EXAMPLE), USCC_OK);
    assert_int_equal(uscc_check_char("91330100704313080"), 'Y');
    assert_int_equal(uscc_orgcode_ok(EXAMPLE), 1);
    char region[7];
    assert_int_equal(uscc_region(EXAMPLE, region), 0);
    assert_string_equal(region, "330100");
}

/* Every single-character change of the example, to any other byte, is rejected. */
static void test_every_single_change_invalid(void **state)
{
    (void)state;
    int n_tried = 0;
    for (int pos = 0; pos < 18; pos++) {
        for (int c = 1; c < 256; c++) {
            if ((char)c == EXAMPLE[pos])
                continue;
            char s[19];
            memcpy(s, EXAMPLE, sizeof s);
            s[pos] = (char)c;
            int r = uscc_check(s);
            assert_true(r < 0);
            /* A substitution inside the character set must be caught by the check
             * character (or, at positions 3-8, by the digits-only rule). */
            if (strchr(CHARSET, c) != NULL) {
                if (pos >= 2 && pos < 8 && (c < '0' || c > '9'))
                    assert_int_equal(r, USCC_BAD_REGION);
                else
                    assert_int_equal(r, USCC_BAD_CHECK);
            }
            n_tried++;
        }
    }
    assert_int_equal(n_tried, 18 * 254);
}

/* Lower-case letters are rejected, never normalised. */
static void test_lowercase_rejected(void **state)
{
    (void)state;
    assert_int_equal(uscc_check("91330100704313080y"), USCC_BAD_CHAR);
    assert_int_equal(uscc_check("9133100300158380xR"), USCC_BAD_CHAR);
    assert_int_equal(uscc_check_char("9133100300158380x"), 0);
}

/* I, O, Z, S and V are not in the character set, wherever they appear. */
static void test_forbidden_letters_rejected(void **state)
{
    (void)state;
    const char *bad = "IOZSV";
    for (const char *b = bad; *b != '\0'; b++) {
        char s[19];
        memcpy(s, EXAMPLE, sizeof s);
        s[17] = *b;
        assert_int_equal(uscc_check(s), USCC_BAD_CHAR);
        memcpy(s, EXAMPLE, sizeof s);
        s[10] = *b;
        assert_int_equal(uscc_check(s), USCC_BAD_CHAR);
        memcpy(s, EXAMPLE, sizeof s);
        s[0] = *b;
        assert_int_equal(uscc_check(s), USCC_BAD_CHAR);
        assert_int_equal(uscc_check_char(s), 0);
    }
}

/* Lengths other than 18, NULL and the empty string are rejected. */
static void test_bad_lengths(void **state)
{
    (void)state;
    assert_int_equal(uscc_check("91330100704313080"), USCC_BAD_LENGTH);
    assert_int_equal(uscc_check("91330100704313080Y0"), USCC_BAD_LENGTH);
    assert_int_equal(uscc_check("91330100704313080YYYYYYYYYYYYYYYYYYY"), USCC_BAD_LENGTH);
    assert_int_equal(uscc_check(""), USCC_BAD_LENGTH);
    assert_int_equal(uscc_check(NULL), USCC_BAD_LENGTH);
    assert_int_equal(uscc_check(" 91330100704313080Y"), USCC_BAD_LENGTH);
    assert_int_equal(uscc_check_char("9133010070431308"), 0);
    assert_int_equal(uscc_check_char(NULL), 0);
}

/* A letter at positions 3-8 is a region error, even when in the character set. */
static void test_region_digits_only(void **state)
{
    (void)state;
    /* Check character recomputed so that only the region rule can fail. */
    char s[19] = "913301A0704313080";
    s[17] = uscc_check_char(s);
    s[18] = '\0';
    assert_true(s[17] != 0);
    assert_int_equal(uscc_check(s), USCC_BAD_REGION);
    char region[7];
    assert_int_equal(uscc_region(s, region), KC_ERR_INVALID);
    assert_string_equal(region, "");
    assert_int_equal(uscc_region("9133", region), KC_ERR_INVALID);
    assert_int_equal(uscc_region(NULL, region), KC_ERR_INVALID);
}

/* Check characters of codes generated and checked independently (Python). */
static void test_generated_check_chars(void **state)
{
    (void)state;
    static const char *const valid[] = {
        "914403001922038216", /* printed code of 华为技术有限公司 */
        "91331003AY4CL12T2H", "91321000H3BJ1XG69C", "9133040212DD272H2C",
        "91331181D1TJ3Y7L4X", "9133100300158380XR", "913310022000001600",
    };
    for (size_t i = 0; i < sizeof valid / sizeof valid[0]; i++) {
        assert_int_equal(uscc_check(valid[i]), USCC_OK);
        assert_int_equal(uscc_check_char(valid[i]), valid[i][17]);
        assert_int_equal(uscc_orgcode_ok(valid[i]), 1);
    }
    /* Check character '0': the weighted sum is a multiple of 31. */
    assert_int_equal(uscc_check_char("91331002200000160"), '0');
    /* Check character that is a letter (X) and one that is the last letter (Y). */
    assert_int_equal(uscc_check_char("91331181D1TJ3Y7L4"), 'X');
    assert_int_equal(uscc_check_char("91330100704313080"), 'Y');
}

/* The embedded GB 11714 check, including its X (10) and 0 (11) cases. */
static void test_orgcode(void **state)
{
    (void)state;
    assert_int_equal(uscc_orgcode_check_char("70431308"), '0');
    assert_int_equal(uscc_orgcode_check_char("00158380"), 'X');
    assert_int_equal(uscc_orgcode_check_char("00000000"), '0');
    assert_int_equal(uscc_orgcode_check_char("12345678"), '8');
    assert_int_equal(uscc_orgcode_check_char("MA2AK6NP"), '6');
    assert_int_equal(uscc_orgcode_check_char("19220382"), '1');
    /* GB 11714 itself allows all 26 letters; lower case and punctuation do not pass. */
    assert_int_equal(uscc_orgcode_check_char("A1B2C3D4"), '8');
    assert_int_equal(uscc_orgcode_check_char("ma2ak6np"), 0);
    assert_int_equal(uscc_orgcode_check_char("7043130-"), 0);
    assert_int_equal(uscc_orgcode_check_char("7043130"), 0);
    assert_int_equal(uscc_orgcode_check_char(NULL), 0);

    /* A USCC whose legacy part fails GB 11714 is still a valid USCC (warning only). */
    char s[19] = "91330100704313090";
    s[17] = uscc_check_char(s);
    s[18] = '\0';
    assert_int_equal(uscc_check(s), USCC_OK);
    assert_int_equal(uscc_orgcode_ok(s), 0);
    assert_int_equal(uscc_orgcode_ok("9133010070431"), 0);
    assert_int_equal(uscc_orgcode_ok(NULL), 0);
}

/* Every result value has a description. */
static void test_strerror(void **state)
{
    (void)state;
    for (int r = USCC_BAD_CHECK; r <= USCC_OK; r++)
        assert_true(strlen(uscc_strerror(r)) > 0);
    assert_string_equal(uscc_strerror(42), "unknown result");
}

/* Runs the USCC tests. */
int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_example_valid),
        cmocka_unit_test(test_every_single_change_invalid),
        cmocka_unit_test(test_lowercase_rejected),
        cmocka_unit_test(test_forbidden_letters_rejected),
        cmocka_unit_test(test_bad_lengths),
        cmocka_unit_test(test_region_digits_only),
        cmocka_unit_test(test_generated_check_chars),
        cmocka_unit_test(test_orgcode),
        cmocka_unit_test(test_strerror),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
