/* uscc.c — 统一社会信用代码 (GB 32100-2015) and embedded GB 11714 checks. */
#include "core/uscc.h"

#include <stddef.h>

/* The 31 characters a USCC may use, in value order (A = 10 … Y = 30). */
static const char USCC_CHARSET[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";

/* GB 32100 weights for positions 1-17: 3^(i-1) mod 31. */
static const int USCC_WEIGHTS[17] = {1,  3,  9,  27, 19, 26, 16, 17, 20,
                                     29, 25, 13, 8,  24, 10, 30, 28};

/* GB 11714 weights for the 8 body characters of an organisation code. */
static const int ORGCODE_WEIGHTS[8] = {3, 7, 9, 10, 5, 8, 4, 2};

/* Returns the value (0-30) of c in the USCC character set, or -1 if c is not in it. */
static int uscc_value(char c)
{
    for (int i = 0; USCC_CHARSET[i] != '\0'; i++) {
        if (USCC_CHARSET[i] == c)
            return i;
    }
    return -1;
}

/* Returns the GB 11714 value of c (0-9 for digits, 10-35 for A-Z), or -1 otherwise. */
static int orgcode_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'A' && c <= 'Z')
        return c - 'A' + 10;
    return -1;
}

/* Returns the length of s, stopping once it exceeds limit (returns limit + 1 then). */
static size_t bounded_len(const char *s, size_t limit)
{
    size_t n = 0;
    while (n <= limit && s[n] != '\0')
        n++;
    return n;
}

/* Computes the GB 32100 check character for 17 characters (see uscc.h). */
char uscc_check_char(const char *first17)
{
    if (first17 == NULL)
        return 0;
    int sum = 0;
    for (int i = 0; i < 17; i++) {
        if (first17[i] == '\0')
            return 0;
        int v = uscc_value(first17[i]);
        if (v < 0)
            return 0;
        sum += v * USCC_WEIGHTS[i];
    }
    return USCC_CHARSET[(31 - sum % 31) % 31];
}

/* Computes the GB 11714 check character for 8 characters (see uscc.h). */
char uscc_orgcode_check_char(const char *first8)
{
    if (first8 == NULL)
        return 0;
    int sum = 0;
    for (int i = 0; i < 8; i++) {
        if (first8[i] == '\0')
            return 0;
        int v = orgcode_value(first8[i]);
        if (v < 0)
            return 0;
        sum += v * ORGCODE_WEIGHTS[i];
    }
    int c = 11 - sum % 11;
    if (c == 10)
        return 'X';
    if (c == 11)
        return '0';
    return (char)('0' + c);
}

/* Checks a complete USCC (see uscc.h for the order of the checks). */
int uscc_check(const char *s)
{
    if (s == NULL || bounded_len(s, USCC_LEN) != USCC_LEN)
        return USCC_BAD_LENGTH;
    for (int i = 0; i < USCC_LEN; i++) {
        if (uscc_value(s[i]) < 0)
            return USCC_BAD_CHAR;
    }
    for (int i = 2; i < 8; i++) {
        if (s[i] < '0' || s[i] > '9')
            return USCC_BAD_REGION;
    }
    if (uscc_check_char(s) != s[17])
        return USCC_BAD_CHECK;
    return USCC_OK;
}

/* Applies the GB 11714 sub-check to positions 9-17 (see uscc.h). */
int uscc_orgcode_ok(const char *s)
{
    if (s == NULL || bounded_len(s, 17) < 17)
        return 0;
    char c = uscc_orgcode_check_char(s + 8);
    return c != 0 && c == s[16];
}

/* Copies the region code at positions 3-8 (see uscc.h). */
int uscc_region(const char *s, char out[7])
{
    out[0] = '\0';
    if (s == NULL || bounded_len(s, 8) < 8)
        return KC_ERR_INVALID;
    for (int i = 2; i < 8; i++) {
        if (s[i] < '0' || s[i] > '9')
            return KC_ERR_INVALID;
    }
    for (int i = 0; i < 6; i++)
        out[i] = s[i + 2];
    out[6] = '\0';
    return 0;
}

/* Describes an enum uscc_result value (see uscc.h). */
const char *uscc_strerror(int result)
{
    switch (result) {
    case USCC_OK:
        return "valid";
    case USCC_BAD_LENGTH:
        return "a unified social credit code has exactly 18 characters";
    case USCC_BAD_CHAR:
        return "only digits and the upper-case letters A-H J-N P Q R T U W X Y are allowed";
    case USCC_BAD_REGION:
        return "characters 3-8 must be a six-digit region code";
    case USCC_BAD_CHECK:
        return "the check character (position 18) does not match";
    default:
        return "unknown result";
    }
}
