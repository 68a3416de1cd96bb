/* test_gm.c — unit tests for crypto/gm (SM3, GB/T 32905-2016). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <string.h>

#include "crypto/gm.h"

/* GB/T 32905-2016 example 1: SM3("abc"). */
static const char ABC_HEX[] = "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0";

/* GB/T 32905-2016 example 2: SM3 of "abcd" repeated 16 times (64 bytes). */
static const char ABCD16_HEX[] = "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732";

/* SM3 of the empty message (cross-checked with `openssl dgst -sm3`). */
static const char EMPTY_HEX[] = "1ab21d8355cfa17f8e61194831e81a8f22bec8c728fefb747ed035eb5082aa2b";

/* SM3 of one million 'a' bytes (cross-checked with `openssl dgst -sm3`). */
static const char MILLION_A_HEX[] =
    "c8aaf89429554029e231941a2acc0ad61ff2a5acd8fadd25847a3a732b3b02c3";

/* Fills out (64 bytes) with "abcd" repeated 16 times. */
static void abcd16(char out[64])
{
    for (int i = 0; i < 16; i++)
        memcpy(out + 4 * i, "abcd", 4);
}

/* Formats a binary digest as lower-case hex for comparison. */
static void to_hex(const unsigned char md[GM_SM3_LEN], char out[2 * GM_SM3_LEN + 1])
{
    static const char hex[] = "0123456789abcdef";
    for (int i = 0; i < GM_SM3_LEN; i++) {
        out[2 * i] = hex[md[i] >> 4];
        out[2 * i + 1] = hex[md[i] & 0x0f];
    }
    out[2 * GM_SM3_LEN] = '\0';
}

/* The two standard vectors and the empty message, one-shot, binary and hex. */
static void test_vectors(void **state)
{
    (void)state;
    char hex[65];
    unsigned char md[GM_SM3_LEN];

    gm_sm3_hex("abc", 3, hex);
    assert_string_equal(hex, ABC_HEX);
    gm_sm3("abc", 3, md);
    to_hex(md, hex);
    assert_string_equal(hex, ABC_HEX);

    char msg[64];
    abcd16(msg);
    gm_sm3_hex(msg, sizeof msg, hex);
    assert_string_equal(hex, ABCD16_HEX);

    gm_sm3_hex("", 0, hex);
    assert_string_equal(hex, EMPTY_HEX);
    gm_sm3_hex(NULL, 0, hex);
    assert_string_equal(hex, EMPTY_HEX);
}

/* Incremental hashing equals one-shot hashing for every split of the 64-byte vector. */
static void test_incremental_equals_oneshot(void **state)
{
    (void)state;
    char msg[64];
    abcd16(msg);
    unsigned char want[GM_SM3_LEN];
    gm_sm3(msg, sizeof msg, want);

    for (size_t split = 0; split <= sizeof msg; split++) {
        struct gm_sm3_ctx ctx = {0};
        unsigned char got[GM_SM3_LEN];
        assert_int_equal(gm_sm3_init(&ctx), 0);
        assert_int_equal(gm_sm3_update(&ctx, msg, split), 0);
        assert_int_equal(gm_sm3_update(&ctx, NULL, 0), 0);
        assert_int_equal(gm_sm3_update(&ctx, msg + split, sizeof msg - split), 0);
        assert_int_equal(gm_sm3_final(&ctx, got), 0);
        assert_null(ctx.md_ctx);
        assert_memory_equal(got, want, GM_SM3_LEN);
    }

    /* Byte by byte, for "abc". */
    struct gm_sm3_ctx ctx = {0};
    unsigned char got[GM_SM3_LEN];
    char hex[65];
    assert_int_equal(gm_sm3_init(&ctx), 0);
    for (const char *p = "abc"; *p != '\0'; p++)
        assert_int_equal(gm_sm3_update(&ctx, p, 1), 0);
    assert_int_equal(gm_sm3_final(&ctx, got), 0);
    to_hex(got, hex);
    assert_string_equal(hex, ABC_HEX);
}

/* A long message across many blocks, fed in uneven chunks. */
static void test_million_a(void **state)
{
    (void)state;
    static char chunk[4099];
    memset(chunk, 'a', sizeof chunk);
    struct gm_sm3_ctx ctx = {0};
    assert_int_equal(gm_sm3_init(&ctx), 0);
    size_t left = 1000000;
    while (left > 0) {
        size_t n = left < sizeof chunk ? left : sizeof chunk;
        assert_int_equal(gm_sm3_update(&ctx, chunk, n), 0);
        left -= n;
    }
    unsigned char md[GM_SM3_LEN];
    char hex[65];
    assert_int_equal(gm_sm3_final(&ctx, md), 0);
    to_hex(md, hex);
    assert_string_equal(hex, MILLION_A_HEX);
}

/* Misuse of the incremental API is reported, not crashed on, and leaks nothing. */
static void test_misuse(void **state)
{
    (void)state;
    struct gm_sm3_ctx ctx = {0};
    unsigned char md[GM_SM3_LEN];
    assert_int_equal(gm_sm3_update(&ctx, "abc", 3), KC_ERR_INVALID);
    assert_int_equal(gm_sm3_final(&ctx, md), KC_ERR_INVALID);
    gm_sm3_free(&ctx);
    gm_sm3_free(NULL);

    /* Re-initialising discards the earlier computation. */
    assert_int_equal(gm_sm3_init(&ctx), 0);
    assert_int_equal(gm_sm3_update(&ctx, "garbage", 7), 0);
    assert_int_equal(gm_sm3_update(&ctx, NULL, 5), KC_ERR_INVALID);
    assert_int_equal(gm_sm3_init(&ctx), 0);
    assert_int_equal(gm_sm3_update(&ctx, "abc", 3), 0);
    assert_int_equal(gm_sm3_final(&ctx, md), 0);
    char hex[65];
    to_hex(md, hex);
    assert_string_equal(hex, ABC_HEX);
    /* Final released the context: a second final is an error. */
    assert_int_equal(gm_sm3_final(&ctx, md), KC_ERR_INVALID);

    /* Abandoning a started computation. */
    assert_int_equal(gm_sm3_init(&ctx), 0);
    assert_int_equal(gm_sm3_update(&ctx, "abc", 3), 0);
    gm_sm3_free(&ctx);
    assert_null(ctx.md_ctx);
}

/* Hashes "abc" 200 times on one thread; returns non-NULL on a wrong digest. */
static void *hash_worker(void *arg)
{
    (void)arg;
    for (int i = 0; i < 200; i++) {
        char hex[65];
        gm_sm3_hex("abc", 3, hex);
        if (strcmp(hex, ABC_HEX) != 0)
            return (void *)1;
    }
    return NULL;
}

/* Several threads hash at once (the first use may race on the one-time fetch). */
static void test_threads(void **state)
{
    (void)state;
    pthread_t threads[8];
    for (int i = 0; i < 8; i++)
        assert_int_equal(pthread_create(&threads[i], NULL, hash_worker, NULL), 0);
    for (int i = 0; i < 8; i++) {
        void *res = (void *)1;
        assert_int_equal(pthread_join(threads[i], &res), 0);
        assert_null(res);
    }
}

/* Runs the SM3 tests; the thread test runs first so that it exercises the fetch race. */
int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_threads),
        cmocka_unit_test(test_vectors),
        cmocka_unit_test(test_incremental_equals_oneshot),
        cmocka_unit_test(test_million_a),
        cmocka_unit_test(test_misuse),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
