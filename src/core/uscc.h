/*
 * uscc.h — 统一社会信用代码 (unified social credit code, GB 32100-2015) checks.
 *
 * A USCC is 18 characters: registration department (1), organisation category (1),
 * registering authority's GB/T 2260 region code (6 digits), the subject identifier
 * (9 characters: an 8-character GB 11714 organisation-code body and its own check
 * character) and the GB 32100 check character. Characters come from the 31-character
 * set 0-9 A-H J-N P Q R T U W X Y (no I, O, Z, S, V). No function here allocates; none
 * normalises its input (lower case is rejected, not upper-cased).
 *
 * Source: research/policy-rules.md §8.1.
 */
#ifndef KC_USCC_H
#define KC_USCC_H

#include "core/err.h"

/* Number of characters in a USCC (without the NUL terminator). */
#define USCC_LEN 18

/*
 * Result of checking a USCC. These values are local to this module: the API layer
 * reports any non-zero result as KC_ERR_INVALID with uscc_strerror() as the reason.
 */
enum uscc_result {
    USCC_OK = 0,          /* well-formed, and the check character matches */
    USCC_BAD_LENGTH = -1, /* NULL, or not exactly 18 bytes */
    USCC_BAD_CHAR = -2,   /* a byte outside the 31-character set (includes lower case) */
    USCC_BAD_REGION = -3, /* positions 3-8 are not six digits */
    USCC_BAD_CHECK = -4   /* position 18 is not the computed check character */
};

/*
 * Checks a NUL-terminated USCC: exactly 18 characters, each in the 31-character set,
 * positions 3-8 digits, position 18 equal to the GB 32100 check character. Returns
 * one of enum uscc_result (0 when valid). Does not look the region code up (historical
 * codes are allowed: the caller resolves it against data/regions.csv and
 * data/region_aliases.csv) and does not apply the GB 11714 sub-check (see
 * uscc_orgcode_ok, a warning only).
 */
int uscc_check(const char *s) KC_MUST_CHECK;

/*
 * Returns 1 when positions 9-17 of s (an 8-character GB 11714 body and its check
 * character) pass the GB 11714 check, 0 otherwise (including when s is NULL or
 * shorter than 17 characters). Newer entities may carry no legacy organisation code,
 * so a 0 here is a warning, never a reason to reject the USCC.
 */
int uscc_orgcode_ok(const char *s);

/*
 * Returns the GB 32100 check character for the first 17 characters of first17 (which
 * need not be NUL-terminated after them), or 0 if one of them is outside the
 * 31-character set or the string ends early. Does not check that positions 3-8 are
 * digits.
 */
char uscc_check_char(const char *first17);

/*
 * Returns the GB 11714 check character ('0'-'9' or 'X') for the first 8 characters of
 * first8 (each 0-9 or A-Z, upper case), or 0 if one is invalid or the string ends
 * early.
 */
char uscc_orgcode_check_char(const char *first8);

/*
 * Copies positions 3-8 (the registering authority's region code) of s into out and
 * NUL-terminates it. Returns 0, or KC_ERR_INVALID (out set to "") when s is NULL,
 * shorter than 8 characters or those positions are not six digits.
 */
int uscc_region(const char *s, char out[7]) KC_MUST_CHECK;

/*
 * Returns a short English description of an enum uscc_result value (a static string,
 * never NULL), e.g. for the error body of the API.
 */
const char *uscc_strerror(int result);

#endif
