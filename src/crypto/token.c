/* token.c — random tokens (libsodium). */
#include "crypto/token.h"

#include <sodium.h>
#include <string.h>

void token_new(char out[TOKEN_HEX])
{
    unsigned char raw[32];
    randombytes_buf(raw, sizeof(raw));
    sodium_bin2hex(out, TOKEN_HEX, raw, sizeof(raw));
}

void token_hash(const char *token, char out[TOKEN_HEX])
{
    unsigned char h[32];
    crypto_generichash(h, sizeof(h), (const unsigned char *)token, strlen(token), NULL, 0);
    sodium_bin2hex(out, TOKEN_HEX, h, sizeof(h));
}

int token_equal(const char *a, const char *b)
{
    size_t n = strlen(a);
    if (n != strlen(b))
        return 0;
    return sodium_memcmp(a, b, n) == 0;
}

void token_password(char *out, size_t n)
{
    static const char letters[] = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ";
    static const char digits[] = "23456789";
    for (size_t i = 0; i < n; i++) {
        if (i % 4 == 3)
            out[i] = digits[randombytes_uniform(sizeof(digits) - 1)];
        else
            out[i] = letters[randombytes_uniform(sizeof(letters) - 1)];
    }
    out[n] = '\0';
}
