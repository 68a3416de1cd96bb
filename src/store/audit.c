/* audit.c — the hash-chained audit log. */
#include "store/audit.h"
#include "core/buf.h"
#include "core/timeutil.h"
#include "crypto/gm.h"
#include "db/db.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ZERO_HASH "0000000000000000000000000000000000000000000000000000000000000000"

/* Fields never copied into the log (secrets) or not worth a diff line. */
static int skipped(const char *key)
{
    return strcmp(key, "password_hash") == 0 || strcmp(key, "updated_at") == 0 ||
           strcmp(key, "id") == 0 ||
           strcmp(key, "created_at") == 0 || strcmp(key, "failed_logins") == 0 ||
           strcmp(key, "locked_until") == 0;
}

json_t *audit_diff(json_t *before, json_t *after)
{
    json_t *diff = json_object();
    const char *key;
    json_t *v;
    if (after) {
        json_object_foreach(after, key, v)
        {
            if (skipped(key))
                continue;
            json_t *old = before ? json_object_get(before, key) : NULL;
            if (before && old && json_equal(old, v))
                continue;
            if (!before && json_is_null(v)) /* a new record's empty fields */
                continue;
            json_object_set_new(diff, key,
                                json_pack("{s:O,s:O}", "before", old ? old : json_null(),
                                          "after", v));
        }
    }
    if (before) {
        json_object_foreach(before, key, v)
        {
            if (skipped(key) || (after && json_object_get(after, key)))
                continue;
            json_object_set_new(diff, key, json_pack("{s:O,s:n}", "before", v, "after"));
        }
    }
    return diff;
}

void audit_entry_hash(const char *prev_hash, int64_t id, int64_t at, int64_t user_id,
                      const char *username, const char *ip, const char *action,
                      const char *entity, const char *entity_id, const char *diff,
                      char out[65])
{
    struct buf b = {0};
    buf_printf(&b, "%s\x1f%lld\x1f%lld\x1f%lld\x1f%s\x1f%s\x1f%s\x1f%s\x1f%s\x1f%s",
               prev_hash, (long long)id, (long long)at, (long long)user_id,
               username ? username : "", ip ? ip : "", action, entity,
               entity_id ? entity_id : "", diff);
    gm_sm3_hex(b.data, b.len, out);
    buf_free(&b);
}

int audit_write_diff(struct db *db, const struct audit_ctx *ctx, const char *action,
                     const char *entity, int64_t entity_id, json_t *diff)
{
    char *text = json_dumps(diff, JSON_COMPACT | JSON_SORT_KEYS);
    if (!text)
        return KC_ERR_DB;
    int rc = audit_write_text(db, ctx, action, entity, entity_id, text);
    free(text);
    return rc;
}

int audit_write_text(struct db *db, const struct audit_ctx *ctx, const char *action,
                     const char *entity, int64_t entity_id, const char *text)
{
    int rc = 0;
    char prev[65] = ZERO_HASH;
    struct db_stmt *st = db_prep(db, "SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1");
    if (!st) {
        rc = KC_ERR_DB;
        goto out;
    }
    if (db_step(st) == DB_ROW)
        snprintf(prev, sizeof(prev), "%s", db_col_text(st, 0));
    db_done(st);

    int64_t at = time_now();
    char eid[24] = "";
    if (entity_id)
        snprintf(eid, sizeof(eid), "%lld", (long long)entity_id);
    int64_t uid = ctx ? ctx->user_id : 0;
    const char *uname = ctx && ctx->username ? ctx->username : "system";
    const char *ip = ctx && ctx->ip ? ctx->ip : "-";
    rc = db_run(db_query(db,
                         "INSERT INTO audit_log(at,user_id,username,ip,action,entity,entity_id,"
                         "diff,prev_hash,hash) VALUES(?,?,?,?,?,?,?,?,?,'')",
                         "iisssssss", at, uid, uname, ip, action, entity, eid[0] ? eid : NULL,
                         text, prev));
    if (rc)
        goto out;
    int64_t id = db_last_id(db);
    char hash[65];
    audit_entry_hash(prev, id, at, uid, uname, ip, action, entity, eid, text, hash);
    rc = db_run(db_query(db, "UPDATE audit_log SET hash=? WHERE id=?", "si", hash, id));
out:
    return rc;
}

int audit_write(struct db *db, const struct audit_ctx *ctx, const char *action,
                const char *entity, int64_t entity_id, json_t *before, json_t *after)
{
    json_t *diff = audit_diff(before, after);
    int rc = 0;
    if (json_object_size(diff) > 0 || strcmp(action, "update") != 0)
        rc = audit_write_diff(db, ctx, action, entity, entity_id, diff);
    json_decref(diff);
    return rc;
}

int audit_verify(struct db *db, int64_t *checked, int64_t *first_broken)
{
    *checked = 0;
    *first_broken = 0;
    char prev[65] = ZERO_HASH;
    int64_t last_id = 0;
    struct db_stmt *st = db_prep(db, "SELECT id,at,coalesce(user_id,0),username,ip,action,"
                                     "entity,entity_id,diff,prev_hash,hash FROM audit_log "
                                     "ORDER BY id");
    if (!st)
        return KC_ERR_DB;
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        int64_t id = db_col_int(st, 0);
        const char *stored_prev = db_col_text(st, 9);
        const char *stored_hash = db_col_text(st, 10);
        char h[65];
        audit_entry_hash(prev, id, db_col_int(st, 1), db_col_int(st, 2), db_col_text(st, 3),
                         db_col_text(st, 4), db_col_text(st, 5), db_col_text(st, 6),
                         db_col_text(st, 7), db_col_text(st, 8), h);
        (*checked)++;
        if (!stored_prev || strcmp(stored_prev, prev) != 0 || !stored_hash ||
            strcmp(stored_hash, h) != 0) {
            *first_broken = id;
            db_done(st);
            return KC_ERR_INVALID;
        }
        memcpy(prev, stored_hash, 65);
        last_id = id;
    }
    db_done(st);
    if (rc < 0)
        return rc;
    /* A deleted newest entry leaves the AUTOINCREMENT counter ahead of the last id. */
    int64_t seq = 0;
    rc = db_scalar(db_prep(db, "SELECT coalesce((SELECT seq FROM sqlite_sequence WHERE "
                               "name='audit_log'),0)"),
                   &seq);
    if (rc)
        return rc;
    if (seq > last_id) {
        *first_broken = last_id + 1;
        return KC_ERR_INVALID;
    }
    return 0;
}

int audit_head(struct db *db, int64_t *id, char hash[65])
{
    *id = 0;
    hash[0] = '\0';
    struct db_stmt *st = db_prep(db, "SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1");
    if (!st)
        return KC_ERR_DB;
    int rc = db_step(st);
    if (rc == DB_ROW) {
        *id = db_col_int(st, 0);
        snprintf(hash, 65, "%s", db_col_text(st, 1) ? db_col_text(st, 1) : "");
    }
    db_done(st);
    return rc < 0 ? rc : 0;
}

int audit_anchor_ok(struct db *db, int64_t id, const char *hash)
{
    struct db_stmt *st = db_query(db, "SELECT hash FROM audit_log WHERE id = ?", "i", id);
    if (!st)
        return KC_ERR_DB;
    int rc = db_step(st);
    bool same = rc == DB_ROW && db_col_text(st, 0) && strcmp(db_col_text(st, 0), hash) == 0;
    db_done(st);
    if (rc < 0)
        return rc;
    return same ? 0 : KC_ERR_INVALID;
}
