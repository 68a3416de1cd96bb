/*
 * achievement.h (store) — achievements (科技成果) for the API: read, list with full-text
 * search, write. The bulk import and the matcher's loader are in search/achievement.h.
 *
 * Visibility: a published achievement is open to everyone, anonymous visitors
 * included; drafts and withdrawn ones only to the owner organisation's users, officers
 * whose region covers the achievement (CAP_ACH_WRITE, region scope) and admins.
 * Writing: the owner organisation's users (CAP_ACH_WRITE), officers in region, admins.
 */
#ifndef KC_STORE_ACHIEVEMENT_H
#define KC_STORE_ACHIEVEMENT_H

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
struct ach_filter {
    const char *fts;           /* an FTS5 query (ach_fts_query) over title, keywords, abstract */
    const char *kind;          /* exact kind */
    const char *field;         /* technology field */
    const char *discipline;    /* discipline */
    const char *chain;         /* chain code */
    const char *transfer_mode; /* contained in transfer_modes */
    const char *status;        /* exact status */
    int trl_min, trl_max;      /* TRL range (0: open) */
    int64_t owner_org_id;      /* owner organisation */
    struct scope region;       /* region prefix range */
};

/* Appends "AND (…)" restricting alias a (achievements) to what u may see (NULL: the
 * public). */
void ach_visible_where(struct buf *sql, struct db_args *args, const struct auth_user *u);
/* True when u may edit an achievement owned by owner_org_id (0: none) in region_code. */
bool ach_writable(const struct auth_user *u, int64_t owner_org_id, const char *region_code);
/* Turns what a user typed into an FTS5 query: each blank-separated term becomes a
 * quoted phrase (substring match with kc_cjk), all required. Terms are also returned
 * (at most max, allocated in *terms_text which the caller frees) for highlighting.
 * Returns the query (malloc'd) or NULL when q holds no searchable term. */
char *ach_fts_query(const char *q, char ***terms, int *n_terms);

/* Loads one achievement visible to u (the API shape). */
int ach_get(struct db *db, const struct auth_user *u, int64_t id, json_t **out) KC_MUST_CHECK;
/* Prepares the list query; sort_col "rank" orders by full-text relevance (needs
 * f->fts). limit < 0: all rows. */
struct db_stmt *ach_list(struct db *db, const struct auth_user *u, const struct ach_filter *f,
                         const char *sort_col, bool desc, int64_t limit, int64_t offset);
/* Counts the rows the same filters select. */
int ach_count(struct db *db, const struct auth_user *u, const struct ach_filter *f,
              int64_t *n) KC_MUST_CHECK;
/* Inserts a validated record (API keys) and returns its id. */
int ach_insert(struct db *db, json_t *a, int64_t user_id, int64_t *id) KC_MUST_CHECK;
/* Replaces every editable column of achievement id. */
int ach_update(struct db *db, int64_t id, json_t *a, int64_t user_id) KC_MUST_CHECK;
/* Deletes achievement id. */
int ach_delete(struct db *db, int64_t id) KC_MUST_CHECK;
/* True when chain code exists. */
bool market_chain_exists(struct db *db, const char *code);

/* The SELECT (without WHERE) of the API shape over alias a. */
extern const char ach_select_sql[];

#endif
