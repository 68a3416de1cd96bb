/* fuzz_utf8.c — libFuzzer harness for core/utf8: differential test of utf8_valid and
 * utf8_len against an independent decoder written from the Unicode standard's table of
 * well-formed byte sequences (Unicode 15, table 3-7), with NUL rejected as utf8.h says. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/utf8.h"

/* Returns the length (1-4) of the well-formed sequence at p (n bytes left), or 0 when
 * the bytes there are ill-formed; table 3-7 row by row. NUL counts as ill-formed. */
static size_t ref_seq(const unsigned char *p, size_t n)
{
    unsigned char b0 = p[0];
    if (b0 == 0x00)
        return 0;
    if (b0 <= 0x7F)
        return 1;
    unsigned char lo = 0x80, hi = 0xBF;
    size_t len;
    if (b0 >= 0xC2 && b0 <= 0xDF) {
        len = 2;
    } else if (b0 == 0xE0) {
        len = 3;
        lo = 0xA0;
    } else if ((b0 >= 0xE1 && b0 <= 0xEC) || b0 == 0xEE || b0 == 0xEF) {
        len = 3;
    } else if (b0 == 0xED) {
        len = 3;
        hi = 0x9F;
    } else if (b0 == 0xF0) {
        len = 4;
        lo = 0x90;
    } else if (b0 >= 0xF1 && b0 <= 0xF3) {
        len = 4;
    } else if (b0 == 0xF4) {
        len = 4;
        hi = 0x8F;
    } else {
        return 0;
    }
    if (n < len)
        return 0;
    if (p[1] < lo || p[1] > hi)
        return 0;
    for (size_t k = 2; k < len; k++)
        if (p[k] < 0x80 || p[k] > 0xBF)
            return 0;
    return len;
}

/* Checks utf8_valid (and, for valid input, utf8_len) against the reference. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t count = 0;
    bool ok = true;
    for (size_t i = 0; i < size;) {
        size_t len = ref_seq(data + i, size - i);
        if (len == 0) {
            ok = false;
            break;
        }
        i += len;
        count++;
    }
    /* An exact-size copy so reads past size hit ASan's redzone. */
    char *copy = malloc(size + 1);
    if (!copy)
        return 0;
    memcpy(copy, data, size);
    if (utf8_valid(copy, size) != ok)
        abort();
    if (ok) {
        copy[size] = '\0';
        if (utf8_len(copy) != count)
            abort();
    }
    free(copy);
    return 0;
}
