/* test_arena.c — unit tests for core/arena (the per-request memory pool). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdalign.h>
#include <string.h>

#include "core/arena.h"

/* The alignment arena_alloc promises: enough for any type. */
#define MAX_ALIGN alignof(max_align_t)

/* Returns 1 when p is aligned for any type. */
static int aligned(const void *p)
{
    return ((uintptr_t)p % MAX_ALIGN) == 0;
}

/* Every allocation, whatever its odd size, is aligned for any type, and consecutive
 * allocations never overlap. */
static void test_alignment(void **state)
{
    (void)state;
    struct arena a = {0};
    unsigned char *prev = NULL;
    size_t prev_n = 0;
    for (size_t n = 1; n <= 100; n++) {
        unsigned char *p = arena_alloc(&a, n);
        assert_non_null(p);
        assert_true(aligned(p));
        memset(p, (int)n, n);
        if (prev) {
            /* Either a later address in the same chunk or a new chunk: never inside
             * the previous block. */
            assert_true(p >= prev + prev_n || p + n <= prev);
            /* The previous block still holds its own bytes. */
            for (size_t k = 0; k < prev_n; k++)
                assert_int_equal(prev[k], (unsigned char)prev_n);
        }
        prev = p;
        prev_n = n;
    }
    /* A double and an int64 can be stored through the returned pointer. */
    double *d = arena_alloc(&a, sizeof(double));
    *d = 3.25;
    int64_t *i = arena_alloc(&a, sizeof(int64_t));
    *i = INT64_MIN;
    assert_true(*d == 3.25);
    assert_true(*i == INT64_MIN);
    arena_free(&a);
    assert_null(a.head);
}

/* Thousands of small allocations cross the chunk size many times; every block keeps
 * its contents until arena_free. */
static void test_many_allocations_cross_chunks(void **state)
{
    (void)state;
    struct arena a = {0};
    enum { N = 5000, SZ = 40 }; /* 5000 × 48 bytes ≈ 29 chunks of 8 KiB */
    static unsigned char *blocks[N];
    for (int i = 0; i < N; i++) {
        blocks[i] = arena_alloc(&a, SZ);
        assert_true(aligned(blocks[i]));
        memset(blocks[i], i & 0xFF, SZ);
    }
    for (int i = 0; i < N; i++)
        for (int k = 0; k < SZ; k++)
            assert_int_equal(blocks[i][k], (unsigned char)(i & 0xFF));
    arena_free(&a);
    assert_null(a.head);
}

/* Allocations larger than a chunk are fully usable, and small allocations after them
 * still work and do not overlap them. */
static void test_large_allocations(void **state)
{
    (void)state;
    struct arena a = {0};
    char *small1 = arena_alloc(&a, 10);
    memset(small1, 'a', 10);
    const size_t big_n = 1u << 20; /* 1 MiB, far above the chunk size */
    unsigned char *big = arena_alloc(&a, big_n);
    assert_true(aligned(big));
    for (size_t k = 0; k < big_n; k++)
        big[k] = (unsigned char)(k * 7);
    char *small2 = arena_alloc(&a, 10);
    memset(small2, 'b', 10);
    unsigned char *big2 = arena_alloc(&a, 8193); /* just above the chunk size */
    memset(big2, 0xCC, 8193);
    for (size_t k = 0; k < big_n; k++)
        assert_int_equal(big[k], (unsigned char)(k * 7));
    for (int k = 0; k < 10; k++) {
        assert_int_equal(small1[k], 'a');
        assert_int_equal(small2[k], 'b');
    }
    assert_int_equal(big2[0], 0xCC);
    assert_int_equal(big2[8192], 0xCC);
    arena_free(&a);
}

/* A zero-byte allocation returns a pointer and does not disturb neighbours. */
static void test_zero_size(void **state)
{
    (void)state;
    struct arena a = {0};
    char *x = arena_alloc(&a, 4);
    memcpy(x, "abc", 4);
    void *z = arena_alloc(&a, 0);
    assert_non_null(z);
    char *y = arena_alloc(&a, 4);
    memcpy(y, "xyz", 4);
    assert_string_equal(x, "abc");
    assert_string_equal(y, "xyz");
    arena_free(&a);
}

/* arena_strdup copies (not aliases) the string; NULL gives NULL. */
static void test_strdup(void **state)
{
    (void)state;
    struct arena a = {0};
    char src[] = "科创 kechuang";
    char *c = arena_strdup(&a, src);
    assert_string_equal(c, "科创 kechuang");
    assert_ptr_not_equal(c, src);
    src[0] = 'X';
    assert_string_equal(c, "科创 kechuang");
    assert_null(arena_strdup(&a, NULL));
    char *e = arena_strdup(&a, "");
    assert_non_null(e);
    assert_string_equal(e, "");
    arena_free(&a);
}

/* arena_strndup copies exactly the first n bytes and NUL-terminates them. */
static void test_strndup(void **state)
{
    (void)state;
    struct arena a = {0};
    const char *src = "hello, world";
    char *c = arena_strndup(&a, src, 5);
    assert_string_equal(c, "hello");
    assert_int_equal(c[5], '\0');
    char *all = arena_strndup(&a, src, strlen(src));
    assert_string_equal(all, src);
    char *none = arena_strndup(&a, src, 0);
    assert_string_equal(none, "");
    assert_null(arena_strndup(&a, NULL, 3));
    /* Not NUL-terminated input: only the first n bytes are read. */
    char raw[4] = {'a', 'b', 'c', 'd'};
    char *r = arena_strndup(&a, raw, 4);
    assert_string_equal(r, "abcd");
    arena_free(&a);
}

/* arena_printf formats like printf, including outputs bigger than a chunk. */
static void test_printf(void **state)
{
    (void)state;
    struct arena a = {0};
    char *s = arena_printf(&a, "%s-%d-%lld-%.2f", "区域", 42, (long long)INT64_MIN, 1.5);
    assert_string_equal(s, "区域-42--9223372036854775808-1.50");
    char *e = arena_printf(&a, "%s", "");
    assert_string_equal(e, "");
    /* 20,000 characters: more than two chunks' worth. */
    static char longs[20001];
    memset(longs, 'q', 20000);
    longs[20000] = '\0';
    char *l = arena_printf(&a, "<%s>", longs);
    assert_int_equal(strlen(l), 20002);
    assert_int_equal(l[0], '<');
    assert_int_equal(l[20001], '>');
    assert_int_equal(l[10000], 'q');
    /* The earlier strings are intact. */
    assert_string_equal(s, "区域-42--9223372036854775808-1.50");
    arena_free(&a);
}

/* After arena_free the arena is empty and can be used again, repeatedly. */
static void test_free_and_reuse(void **state)
{
    (void)state;
    struct arena a = {0};
    arena_free(&a); /* freeing an empty arena is harmless */
    assert_null(a.head);
    for (int round = 0; round < 3; round++) {
        for (int i = 0; i < 500; i++) {
            char *s = arena_printf(&a, "round %d item %d", round, i);
            assert_non_null(s);
        }
        char *last = arena_strdup(&a, "still works");
        assert_string_equal(last, "still works");
        assert_non_null(a.head);
        arena_free(&a);
        assert_null(a.head);
    }
}

/* Runs the arena tests. */
int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_alignment),
        cmocka_unit_test(test_many_allocations_cross_chunks),
        cmocka_unit_test(test_large_allocations),
        cmocka_unit_test(test_zero_size),
        cmocka_unit_test(test_strdup),
        cmocka_unit_test(test_strndup),
        cmocka_unit_test(test_printf),
        cmocka_unit_test(test_free_and_reuse),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
