/*
 * audit.h — the audit log: every write records who, when, from where, what, and a
 * field-level before/after diff. Entries form an SM3 hash chain, so editing or deleting
 * any entry is detected by audit_verify.
 */
#ifndef KC_STORE_AUDIT_H
#define KC_STORE_AUDIT_H

#include "core/err.h"

#include <jansson.h>
#include <stdint.h>

struct db;

/* Who performs a write. */
struct audit_ctx {
    int64_t user_id;      /* acting user, 0 for the command line / system */
    const char *username; /* their username, or "system" */
    const char *ip;       /* client address, or "-" */
};

/* Appends an entry inside the caller's open transaction. before/after are the record
 * as JSON objects (NULL when absent: create / delete); the diff keeps changed fields
 * only and never records secrets (fields named password_hash). An "update" that
 * changes nothing writes nothing. Returns 0 or KC_ERR_DB. */
int audit_write(struct db *db, const struct audit_ctx *ctx, const char *action,
                const char *entity, int64_t entity_id, json_t *before,
                json_t *after) KC_MUST_CHECK;
/* Like audit_write with a ready-made diff object (borrowed). */
int audit_write_diff(struct db *db, const struct audit_ctx *ctx, const char *action,
                     const char *entity, int64_t entity_id, json_t *diff) KC_MUST_CHECK;
/* Like audit_write_diff with the diff as JSON text (an object, written verbatim; bulk
 * writers such as the enterprise import build it with the JSON writer). */
int audit_write_text(struct db *db, const struct audit_ctx *ctx, const char *action,
                     const char *entity, int64_t entity_id, const char *text) KC_MUST_CHECK;
/* Walks the chain. *checked receives the number of entries read; *first_broken the id
 * of the first edited entry, the entry after a deleted one, or the id of a deleted
 * newest entry (0 when intact). Returns 0 (intact), KC_ERR_INVALID (broken) or
 * KC_ERR_DB. */
int audit_verify(struct db *db, int64_t *checked, int64_t *first_broken) KC_MUST_CHECK;
/* The newest entry: its id and hash (id 0 and "" when the log is empty). Recorded
 * outside the database (a ticket, a printout, another system), it anchors the chain:
 * rewriting history changes the hash of that entry, which audit_anchor_ok detects. */
int audit_head(struct db *db, int64_t *id, char hash[65]) KC_MUST_CHECK;
/* Whether entry id still carries hash: 0 yes, KC_ERR_INVALID no (changed or gone),
 * KC_ERR_DB on a database error. */
int audit_anchor_ok(struct db *db, int64_t id, const char *hash) KC_MUST_CHECK;
/* The field-level diff of two records (either may be NULL); a new reference. */
json_t *audit_diff(json_t *before, json_t *after);
/* SM3 hex of one entry's canonical text (prev_hash and fields joined by 0x1F). */
void audit_entry_hash(const char *prev_hash, int64_t id, int64_t at, int64_t user_id,
                      const char *username, const char *ip, const char *action,
                      const char *entity, const char *entity_id, const char *diff,
                      char out[65]);

#endif
