/*
 * password.h — password hashing (argon2id via libsodium) and the password policy.
 */
#ifndef KC_PASSWORD_H
#define KC_PASSWORD_H

#include "core/err.h"

#include <stdbool.h>

#define PASSWORD_HASH_MAX 128

/* Initialises libsodium; call once at start. Returns 0 or KC_ERR_IO. */
int password_init(void) KC_MUST_CHECK;
/* Hashes password (argon2id, INTERACTIVE limits) into out[PASSWORD_HASH_MAX]. At most two
 * hashes run at once in the process so logins cannot exhaust CPU or memory. */
int password_hash(const char *password, char out[PASSWORD_HASH_MAX]) KC_MUST_CHECK;
/* True when password matches the stored hash (same concurrency cap). */
bool password_verify(const char *hash, const char *password);
/* Verifies password against a throw-away hash: same cost, result ignored. */
void password_verify_dummy(const char *password);
/* Checks the policy: 10–128 characters, at least two of {letters, digits, other},
 * not containing the username (case-insensitive). Returns 0 or KC_ERR_INVALID. */
int password_policy(const char *password, const char *username) KC_MUST_CHECK;

#endif
