/*
 * user.h (store) — user accounts, filtered by the caller's region scope.
 */
#ifndef KC_STORE_USER_H
#define KC_STORE_USER_H

#include "core/err.h"
#include "domain/auth.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

struct db;
struct db_stmt;
struct audit_ctx;

/* List filters; NULL members do not filter. */
struct user_filter {
    const char *q;       /* substring of username or display name */
    const char *role;    /* exact role */
    const char *status;  /* active | disabled */
    struct scope region; /* region prefix range */
};

/* One user in scope as a JSON object (API shape, no secrets); *out a new reference. */
int user_get(struct db *db, const struct scope *sc, int64_t id, json_t **out) KC_MUST_CHECK;
/* Prepared list query (limit < 0: all rows). */
struct db_stmt *user_list(struct db *db, const struct scope *sc, const struct user_filter *f,
                          const char *sort_col, bool desc, int64_t limit, int64_t offset);
int user_count(struct db *db, const struct scope *sc, const struct user_filter *f,
               int64_t *n) KC_MUST_CHECK;
/* Creates a user with an already-hashed password inside the caller's transaction and
 * audits it; *id receives the new id. KC_ERR_CONFLICT for a taken username. */
int user_insert(struct db *db, const struct audit_ctx *ctx, const char *username,
                const char *display_name, const char *role, const char *region_code,
                int64_t org_id, const char *password_hash, int64_t *id) KC_MUST_CHECK;
/* Sets the hash, clears the lockout and drops the user's sessions except keep_session
 * (0 = drop all), audited as action "password". Runs in its own transaction. */
int user_store_password(struct db *db, const struct audit_ctx *ctx, int64_t id,
                        const char *password_hash, int64_t keep_session) KC_MUST_CHECK;
/* True when username is 3–32 characters of a-z, 0-9, '_', '.', '-'. */
bool user_name_ok(const char *username);

#endif
