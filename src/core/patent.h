/*
 * patent.h — Chinese patent application numbers (ZC 0006-2003).
 *
 * From 2003-10-01 an application number is 12 digits (4-digit year, 1-digit type,
 * 7-digit serial), a '.' and a check character; older numbers are 8 digits (2-digit
 * year, type, 5-digit serial) and a check character. The check character is the sum of
 * the digits weighted 2,3,4,5,6,7,8,9,2,3,4,5 (8-digit form: 2..9) modulo 11, with 10
 * written 'X'. No function here allocates.
 *
 * Source: research/policy-rules.md §8.2.
 */
#ifndef KC_PATENT_H
#define KC_PATENT_H

#include <stddef.h>

#include "core/err.h"

/* Bytes needed for a normalised 12-digit number: "200710308494.X" plus the NUL. */
#define PATENT_APPNO_NORM_CAP 15

/*
 * Result of checking an application number. These values are local to this module:
 * the API layer reports any non-zero result as KC_ERR_INVALID.
 */
enum patent_result {
    PATENT_OK = 0,          /* well-formed, and the check character matches */
    PATENT_BAD_FORMAT = -1, /* NULL, or does not match the accepted shapes */
    PATENT_BAD_CHECK = -2,  /* the check character does not match the digits */
    PATENT_NO_ROOM = -3     /* valid, but normalized[cap] cannot hold the result */
};

/*
 * Checks a patent application number and, when normalized is not NULL, writes its
 * normalised form ("200710308494.X" or "90101673.X": digits, '.', check character;
 * no prefix) into normalized (cap bytes, NUL-terminated; "" on any error).
 *
 * Accepted shape: an optional prefix "ZL" or "CN" (followed by at most one space or
 * tab), then 12 or 8 digits, an optional '.', and the check character (a digit or 'X').
 * Letters are accepted in either case ("zl", "x") and upper-cased in the normalised
 * form. Nothing else is accepted (no leading or trailing blanks, no other separators).
 * The year and type digits are not checked against a calendar or the type table.
 *
 * Returns one of enum patent_result: 0 when valid.
 */
int patent_appno_check(const char *s, char *normalized, size_t cap) KC_MUST_CHECK;

/*
 * Returns the check character ('0'-'9' or 'X') for the first n_digits characters of
 * digits (n_digits is 12 or 8; each must be '0'-'9'), or 0 if they are not.
 */
char patent_check_char(const char *digits, size_t n_digits);

#endif
