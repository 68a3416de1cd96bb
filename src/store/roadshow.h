/*
 * roadshow.h (store) — roadshows (成果推介会) with their showcased achievements and
 * attendees. Scope: officers and brokers see the roadshows of their region;
 * organisation-bound users the roadshows their organisation attended or showcased an
 * achievement at. A record outside the scope behaves as if it did not exist.
 */
#ifndef KC_STORE_ROADSHOW_H
#define KC_STORE_ROADSHOW_H

#include "core/err.h"
#include "domain/auth.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

struct db;
struct db_stmt;

/* List filters; NULL members do not filter. */
struct roadshow_filter {
    const char *q;         /* substring of title or venue */
    const char *chain;     /* chain code */
    struct scope region;   /* region prefix range */
    const char *from, *to; /* held_on range, inclusive */
};

/* Loads one roadshow in scope with its achievements and attendees arrays (the API shape).
 * 0, KC_ERR_NOT_FOUND or KC_ERR_DB. */
int roadshow_get(struct db *db, const struct scope *sc, int64_t id, json_t **out) KC_MUST_CHECK;
/* Prepares the list query ordered by sort_col (whitelisted) then id. */
struct db_stmt *roadshow_list(struct db *db, const struct scope *sc,
                              const struct roadshow_filter *f, const char *sort_col, bool desc,
                              int64_t limit, int64_t offset);
/* Counts the rows the same filters select. */
int roadshow_count(struct db *db, const struct scope *sc, const struct roadshow_filter *f,
                   int64_t *n) KC_MUST_CHECK;
/* Inserts a validated record (API keys; achievement_ids and attendee_org_ids arrays) and
 * returns its id. */
int roadshow_insert(struct db *db, json_t *o, int64_t user_id, int64_t *id) KC_MUST_CHECK;
/* Replaces the columns and the showcased / attendee lists of roadshow id. */
int roadshow_update(struct db *db, int64_t id, json_t *o, int64_t user_id) KC_MUST_CHECK;
/* Deletes roadshow id with its lists. */
int roadshow_delete(struct db *db, int64_t id) KC_MUST_CHECK;

#endif
