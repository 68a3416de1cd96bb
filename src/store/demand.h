/*
 * demand.h (store) — technology demands and their indicators in the database.
 *
 * Visibility (who sees a demand; everything else answers "not found"):
 *   anonymous (u == NULL)  published, matched or closed demands marked public
 *   any logged-in user     non-draft demands marked public or members, and every
 *                          demand of the user's own organisation
 *   region staff           officers (CAP_DEMAND_WRITE, region scope): every demand in
 *                          their region, drafts included; brokers (region scope): every
 *                          non-draft demand in their region, brokers_only included
 *   admin                  everything
 * Writing is for the owner organisation's users, officers in region and admins
 * (demand_writable).
 */
#ifndef KC_STORE_DEMAND_H
#define KC_STORE_DEMAND_H

#include "core/err.h"
#include "domain/auth.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

struct buf;
struct db;
struct db_args;
struct db_stmt;

/* List filters; NULL / 0 members do not filter. */
struct demand_filter {
    const char *q;               /* substring of title, problem or keywords */
    const char *status;          /* exact status */
    const char *chain;           /* chain code */
    const char *field;           /* technology field */
    const char *coop_mode;       /* one cooperation mode contained in coop_modes */
    const char *confidentiality; /* exact */
    struct scope region;         /* region prefix range */
    int64_t org_id;              /* owner organisation */
    const char *ids_json;        /* JSON array of demand ids to keep (batch matching) */
};

/* Appends "AND (…)" restricting alias d (demands) to what u may see (u NULL: the
 * public) to sql, with its values in a. */
void demand_visible_where(struct buf *sql, struct db_args *a, const struct auth_user *u);
/* True when u may edit a demand of org_id in region_code. */
bool demand_writable(const struct auth_user *u, int64_t org_id, const char *region_code);

/* Loads one demand visible to u (the API shape: indicators, keywords and modes as
 * arrays, names of organisation, region and chain). 0, KC_ERR_NOT_FOUND or KC_ERR_DB. */
int demand_get(struct db *db, const struct auth_user *u, int64_t id, json_t **out) KC_MUST_CHECK;
/* Prepares the list query (rows in the API shape) ordered by sort_col (whitelisted)
 * then id; limit < 0: all rows. */
struct db_stmt *demand_list(struct db *db, const struct auth_user *u, const struct demand_filter *f,
                            const char *sort_col, bool desc, int64_t limit, int64_t offset);
/* Counts the rows the same filters select. */
int demand_count(struct db *db, const struct auth_user *u, const struct demand_filter *f,
                 int64_t *n) KC_MUST_CHECK;
/* Inserts a validated record (API keys, status draft) with its indicators; returns
 * its id. region_code is the organisation's. */
int demand_insert(struct db *db, json_t *d, int completeness, int64_t user_id,
                  int64_t *id) KC_MUST_CHECK;
/* Replaces every editable column and the indicators of demand id. */
int demand_update(struct db *db, int64_t id, json_t *d, int completeness,
                  int64_t user_id) KC_MUST_CHECK;
/* Sets the status (published_at / closed_at on the first publication / closing). */
int demand_set_status(struct db *db, int64_t id, const char *status, int64_t user_id) KC_MUST_CHECK;
/* Deletes a demand and its indicators. */
int demand_delete(struct db *db, int64_t id) KC_MUST_CHECK;

/* The SELECT (without WHERE) of the API shape over alias d. */
extern const char demand_select_sql[];

#endif
