/*
 * expert.h (store) — experts (专家) a demand can be matched to.
 *
 * Every logged-in user may read the expert pool (never the public pages); the contact
 * details (email, phone) are shown only to admins, region staff (officers, brokers)
 * and the users of the expert's own organisation. Writing: admins, officers whose
 * region covers the expert, and the users of the affiliation organisation holding
 * CAP_ACH_WRITE.
 */
#ifndef KC_STORE_EXPERT_H
#define KC_STORE_EXPERT_H

#include "core/err.h"
#include "domain/auth.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

struct db;
struct db_stmt;

/* List filters; NULL / 0 do not filter. */
struct expert_filter {
    const char *q;       /* substring of name, affiliation, fields or keywords */
    const char *field;   /* contained in fields */
    int64_t org_id;      /* affiliation organisation */
    struct scope region; /* region prefix range */
};

/* True when u may see the contact details of an expert of org_id. */
bool expert_contacts_visible(const struct auth_user *u, int64_t org_id);
/* True when u may edit an expert of org_id (0: none) in region_code. */
bool expert_writable(const struct auth_user *u, int64_t org_id, const char *region_code);

/* Loads one expert (the API shape; contacts removed when u may not see them). */
int expert_get(struct db *db, const struct auth_user *u, int64_t id, json_t **out) KC_MUST_CHECK;
/* Prepares the list query (contacts as for expert_get: the select hides them). */
struct db_stmt *expert_list(struct db *db, const struct auth_user *u, const struct expert_filter *f,
                            const char *sort_col, bool desc, int64_t limit, int64_t offset);
/* Counts the rows the same filters select. */
int expert_count(struct db *db, const struct expert_filter *f, int64_t *n) KC_MUST_CHECK;
/* Inserts a validated record (API keys); returns its id. */
int expert_insert(struct db *db, json_t *e, int64_t user_id, int64_t *id) KC_MUST_CHECK;
/* Replaces every editable column of expert id. */
int expert_update(struct db *db, int64_t id, json_t *e, int64_t user_id) KC_MUST_CHECK;
/* Deletes expert id. */
int expert_delete(struct db *db, int64_t id) KC_MUST_CHECK;

#endif
