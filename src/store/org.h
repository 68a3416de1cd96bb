/*
 * org.h (store) — organisation records in the database, always filtered by the
 * caller's scope: a record outside it behaves as if it did not exist.
 */
#ifndef KC_STORE_ORG_H
#define KC_STORE_ORG_H

#include "core/err.h"
#include "domain/auth.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

struct db;
struct db_stmt;
struct arena;

/* List filters; NULL members do not filter. */
struct org_filter {
    const char *q;        /* substring of name or USCC */
    const char *kind;     /* exact kind */
    struct scope region;  /* region prefix range (lo "" / hi "~" for all) */
    const char *industry; /* industry code prefix ("C" matches "C36") */
    const char *chain;    /* chain code contained in chains */
};

/* Loads one organisation in scope as a JSON object (the API shape, without history).
 * Returns 0, KC_ERR_NOT_FOUND or KC_ERR_DB; *out is a new reference. */
int org_get(struct db *db, const struct scope *sc, int64_t id, json_t **out) KC_MUST_CHECK;
/* Prepares the list query: rows in the API shape ordered by sort_col (a whitelisted
 * column name) then id, with limit/offset (limit < 0: all rows, for exports). */
struct db_stmt *org_list(struct db *db, const struct scope *sc, const struct org_filter *f,
                         const char *sort_col, bool desc, int64_t limit, int64_t offset);
/* Counts the rows the same filters select. */
int org_count(struct db *db, const struct scope *sc, const struct org_filter *f,
              int64_t *n) KC_MUST_CHECK;
/* Inserts a validated record (API keys) and returns its id; KC_ERR_CONFLICT for a
 * duplicate USCC. */
int org_insert(struct db *db, json_t *o, int64_t *id) KC_MUST_CHECK;
/* Replaces every editable column of organisation id with the values in o; records a
 * name-history row when the name changes (changed_by = user id or 0). */
int org_update(struct db *db, int64_t id, json_t *o, const char *old_name,
               int64_t changed_by) KC_MUST_CHECK;
/* True when code is a known industry code; true when every chain code in the JSON array
 * exists. */
bool org_industry_exists(struct db *db, const char *code);
bool org_chains_exist(struct db *db, json_t *chains);

#endif
