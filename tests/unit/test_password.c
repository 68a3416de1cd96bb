/* test_password.c — unit tests for crypto/password (policy, argon2id hash and verify). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "core/err.h"
#include "crypto/password.h"

/* Initialises libsodium and the hash semaphore once for the group. */
static int group_setup(void **state)
{
    (void)state;
    return password_init() == 0 ? 0 : -1;
}

/* Fills out with n copies of c followed by a NUL. */
static void repeat(char *out, char c, size_t n)
{
    memset(out, c, n);
    out[n] = '\0';
}

/* Fewer than 10 characters are rejected; exactly 10 are accepted. */
static void test_policy_length_min(void **state)
{
    (void)state;
    assert_int_equal(password_policy("", "bob"), KC_ERR_INVALID);
    assert_int_equal(password_policy("abc12345", "bob"), KC_ERR_INVALID);
    assert_int_equal(password_policy("abcd12345", "bob"), KC_ERR_INVALID);  /* 9 */
    assert_int_equal(password_policy("abcde12345", "bob"), 0);             /* 10 */
}

/* 128 characters are accepted, 129 rejected. */
static void test_policy_length_max(void **state)
{
    (void)state;
    char pw[200];
    repeat(pw, 'a', 128);
    pw[0] = '1';
    assert_int_equal(password_policy(pw, "bob"), 0);
    repeat(pw, 'a', 129);
    pw[0] = '1';
    assert_int_equal(password_policy(pw, "bob"), KC_ERR_INVALID);
}

/* One class alone (letters, digits or other) is rejected; any two classes pass. */
static void test_policy_classes(void **state)
{
    (void)state;
    assert_int_equal(password_policy("abcdefghijkl", "bob"), KC_ERR_INVALID);
    assert_int_equal(password_policy("ABCDEFGHIJKL", "bob"), KC_ERR_INVALID);
    assert_int_equal(password_policy("123456789012", "bob"), KC_ERR_INVALID);
    assert_int_equal(password_policy("!@#$%^&*()-_", "bob"), KC_ERR_INVALID);
    assert_int_equal(password_policy("abcdef123456", "bob"), 0);
    assert_int_equal(password_policy("abcdef!@#$%^", "bob"), 0);
    assert_int_equal(password_policy("123456!@#$%^", "bob"), 0);
    assert_int_equal(password_policy("correct horse", "bob"), 0); /* the space is "other" */
}

/* A password containing the username, in any letter case, is rejected. */
static void test_policy_username(void **state)
{
    (void)state;
    assert_int_equal(password_policy("alice2026!!", "alice"), KC_ERR_INVALID);
    assert_int_equal(password_policy("xxALICE2026", "alice"), KC_ERR_INVALID);
    assert_int_equal(password_policy("2026aLiCe99", "Alice"), KC_ERR_INVALID);
    assert_int_equal(password_policy("ali2026ce99", "alice"), 0); /* not contiguous */
    /* No username (NULL or empty) skips the check. */
    assert_int_equal(password_policy("alice2026!!", NULL), 0);
    assert_int_equal(password_policy("alice2026!!", ""), 0);
}

/* Length counts characters, not bytes: a Chinese character is one character. */
static void test_policy_chinese_characters(void **state)
{
    (void)state;
    /* 5 Chinese characters + 5 digits = 10 characters (20 bytes): accepted. */
    assert_int_equal(password_policy("科技创新局12345", "bob"), 0);
    /* 4 Chinese + 5 digits = 9 characters though 17 bytes: too short. */
    assert_int_equal(password_policy("科技创新12345", "bob"), KC_ERR_INVALID);
    /* 128 Chinese characters (384 bytes) with a digit fit; 129 do not. */
    char pw[600];
    size_t n = 0;
    pw[n++] = '1';
    for (int i = 0; i < 127; i++) {
        memcpy(pw + n, "科", 3);
        n += 3;
    }
    pw[n] = '\0';
    assert_int_equal(password_policy(pw, "bob"), 0);
    memcpy(pw + n, "科", 3);
    pw[n + 3] = '\0';
    assert_int_equal(password_policy(pw, "bob"), KC_ERR_INVALID);
    /* Chinese characters alone are one class ("other"), so they need another class. */
    assert_int_equal(password_policy("科技创新科技创新科技", "bob"), KC_ERR_INVALID);
    assert_int_equal(password_policy("科技创新科技创新科a", "bob"), 0);
}

/* A Chinese password hashes (argon2id) and verifies; a wrong one does not. */
static void test_hash_verify_roundtrip(void **state)
{
    (void)state;
    const char *pw = "台州科技局密码2026!";
    char h[PASSWORD_HASH_MAX];
    memset(h, 0, sizeof h);
    assert_int_equal(password_hash(pw, h), 0);
    assert_true(strncmp(h, "$argon2id$", 10) == 0);
    assert_true(strlen(h) < PASSWORD_HASH_MAX);
    assert_null(strstr(h, "2026")); /* no plain text in the hash */
    assert_true(password_verify(h, pw));
    assert_false(password_verify(h, "台州科技局密码2026?"));
    assert_false(password_verify(h, "台州科技局密码2026"));
    assert_false(password_verify(h, ""));
    /* The hash is salted: the same password hashes differently, and both verify. */
    char h2[PASSWORD_HASH_MAX];
    assert_int_equal(password_hash(pw, h2), 0);
    assert_string_not_equal(h, h2);
    assert_true(password_verify(h2, pw));
    /* A damaged hash never verifies. */
    assert_false(password_verify("not a hash", pw));
    h[strlen(h) - 1] = h[strlen(h) - 1] == 'A' ? 'B' : 'A';
    assert_false(password_verify(h, pw));
}

/* The dummy verification (for unknown users) runs without effect. */
static void test_verify_dummy(void **state)
{
    (void)state;
    password_verify_dummy("whatever12345");
    password_verify_dummy("whatever12345"); /* the dummy hash is made once */
}

/* Runs the password tests. */
int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_policy_length_min),
        cmocka_unit_test(test_policy_length_max),
        cmocka_unit_test(test_policy_classes),
        cmocka_unit_test(test_policy_username),
        cmocka_unit_test(test_policy_chinese_characters),
        cmocka_unit_test(test_hash_verify_roundtrip),
        cmocka_unit_test(test_verify_dummy),
    };
    return cmocka_run_group_tests(tests, group_setup, NULL);
}
