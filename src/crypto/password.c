/* password.c — argon2id password hashing with a process-wide concurrency cap. */
#include "crypto/password.h"
#include "core/utf8.h"

#include <ctype.h>
#include <pthread.h>
#include <semaphore.h>
#include <sodium.h>
#include <string.h>

static sem_t hash_slots; /* at most 2 concurrent hashes */

int password_init(void)
{
    if (sodium_init() < 0)
        return KC_ERR_IO;
    if (sem_init(&hash_slots, 0, 2) != 0)
        return KC_ERR_IO;
    return 0;
}

int password_hash(const char *password, char out[PASSWORD_HASH_MAX])
{
    sem_wait(&hash_slots);
    int rc = crypto_pwhash_str(out, password, strlen(password),
                               crypto_pwhash_OPSLIMIT_INTERACTIVE,
                               crypto_pwhash_MEMLIMIT_INTERACTIVE);
    sem_post(&hash_slots);
    return rc == 0 ? 0 : KC_ERR_IO;
}

/* A real hash of a random password, made once, so checking an unknown user costs the
 * same time as checking a known one. */
static char dummy_hash[PASSWORD_HASH_MAX];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;

/* Creates dummy_hash. */
static void make_dummy(void)
{
    unsigned char raw[16];
    char pw[33];
    randombytes_buf(raw, sizeof(raw));
    sodium_bin2hex(pw, sizeof(pw), raw, sizeof(raw));
    if (crypto_pwhash_str(dummy_hash, pw, strlen(pw), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
        dummy_hash[0] = '\0';
}

void password_verify_dummy(const char *password)
{
    pthread_once(&dummy_once, make_dummy);
    if (dummy_hash[0])
        (void)password_verify(dummy_hash, password);
}

bool password_verify(const char *hash, const char *password)
{
    sem_wait(&hash_slots);
    int rc = crypto_pwhash_str_verify(hash, password, strlen(password));
    sem_post(&hash_slots);
    return rc == 0;
}

int password_policy(const char *password, const char *username)
{
    size_t n = utf8_len(password);
    if (n < 10 || n > 128)
        return KC_ERR_INVALID;
    int letters = 0, digits = 0, other = 0;
    for (const unsigned char *p = (const unsigned char *)password; *p; p++) {
        if (isalpha(*p))
            letters = 1;
        else if (isdigit(*p))
            digits = 1;
        else
            other = 1;
    }
    if (letters + digits + other < 2)
        return KC_ERR_INVALID;
    if (username && *username && strcasestr(password, username))
        return KC_ERR_INVALID;
    return 0;
}
