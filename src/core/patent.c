/* patent.c — Chinese patent application number check (ZC 0006-2003). */
#include "core/patent.h"

#include <string.h>

/* Weights for the digits of a 12-digit number; the 8-digit form uses the first 8. */
static const int PATENT_WEIGHTS[12] = {2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5};

/* Returns the check character for n_digits digits (see patent.h). */
char patent_check_char(const char *digits, size_t n_digits)
{
    if (digits == NULL || (n_digits != 12 && n_digits != 8))
        return 0;
    int sum = 0;
    for (size_t i = 0; i < n_digits; i++) {
        if (digits[i] < '0' || digits[i] > '9')
            return 0;
        sum += (digits[i] - '0') * PATENT_WEIGHTS[i];
    }
    int c = sum % 11;
    return c == 10 ? 'X' : (char)('0' + c);
}

/* Returns 1 when the two bytes at p are the prefix a (upper case), in either case. */
static int has_prefix(const char *p, const char *a)
{
    for (int i = 0; i < 2; i++) {
        char c = p[i];
        if (c >= 'a' && c <= 'z')
            c = (char)(c - 'a' + 'A');
        if (c != a[i])
            return 0;
    }
    return 1;
}

/* Checks and normalises an application number (see patent.h). */
int patent_appno_check(const char *s, char *normalized, size_t cap)
{
    if (normalized != NULL && cap > 0)
        normalized[0] = '\0';
    if (s == NULL)
        return PATENT_BAD_FORMAT;

    const char *p = s;
    if (has_prefix(p, "ZL") || has_prefix(p, "CN")) {
        p += 2;
        if (*p == ' ' || *p == '\t')
            p++;
    }

    size_t n_digits = 0;
    while (p[n_digits] >= '0' && p[n_digits] <= '9')
        n_digits++;
    /* The check character may itself be a digit: with no '.', the last digit is it. */
    const char *tail = p + n_digits;
    char check;
    if (*tail == '.') {
        check = tail[1];
        if (check == '\0' || tail[2] != '\0')
            return PATENT_BAD_FORMAT;
    } else if (*tail == 'X' || *tail == 'x') {
        check = *tail;
        if (tail[1] != '\0')
            return PATENT_BAD_FORMAT;
    } else if (*tail == '\0' && n_digits > 0) {
        n_digits--;
        check = p[n_digits];
    } else {
        return PATENT_BAD_FORMAT;
    }
    if (n_digits != 12 && n_digits != 8)
        return PATENT_BAD_FORMAT;
    if (check == 'x')
        check = 'X';
    if (check != 'X' && (check < '0' || check > '9'))
        return PATENT_BAD_FORMAT;

    if (patent_check_char(p, n_digits) != check)
        return PATENT_BAD_CHECK;

    if (normalized != NULL) {
        if (cap < n_digits + 3)
            return PATENT_NO_ROOM;
        memcpy(normalized, p, n_digits);
        normalized[n_digits] = '.';
        normalized[n_digits + 1] = check;
        normalized[n_digits + 2] = '\0';
    }
    return PATENT_OK;
}
