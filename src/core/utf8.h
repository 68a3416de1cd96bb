/*
 * utf8.h — UTF-8 helpers.
 */
#ifndef KC_UTF8_H
#define KC_UTF8_H

#include <stdbool.h>
#include <stddef.h>

/* True when s (n bytes) is well-formed UTF-8 (no overlongs, surrogates or NUL). */
bool utf8_valid(const char *s, size_t n);
/* True when valid UTF-8 s holds only white space (ASCII blanks, no-break and
 * ideographic spaces, the U+2000 block, line/paragraph separators, BOM), or is empty. */
bool utf8_blank(const char *s);
/* Number of code points in a valid UTF-8 string. */
size_t utf8_len(const char *s);

#endif
