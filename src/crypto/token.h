/*
 * token.h — random tokens for sessions and CSRF, and their stored hashes.
 */
#ifndef KC_TOKEN_H
#define KC_TOKEN_H

#include <stddef.h>

#define TOKEN_HEX 65 /* 32 random bytes as hex + NUL */

/* Fills out with 32 random bytes as lowercase hex. */
void token_new(char out[TOKEN_HEX]);
/* The hash stored for a token (BLAKE2b-256 as hex), so a database leak reveals no
 * usable session. */
void token_hash(const char *token, char out[TOKEN_HEX]);
/* Constant-time string equality. */
int token_equal(const char *a, const char *b);
/* Fills out (cap bytes) with a random password of n characters from an unambiguous
 * alphabet, always containing letters and digits. */
void token_password(char *out, size_t n);

#endif
