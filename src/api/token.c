/* token.c (api) — /api/v1/me/tokens: personal API tokens for integrations. A token acts
 * as its owner (same role and scope); it is shown once, stored only as a hash, expires,
 * and can be revoked. Tokens are managed from a browser session only: a token cannot
 * mint or revoke tokens. */
#include "api/api.h"
#include "api/handlers.h"
#include "core/timeutil.h"
#include "crypto/token.h"
#include "db/db.h"

#include <stdio.h>
#include <string.h>

#define TOKEN_SELECT                                                                            \
    "SELECT id, name, created_at, expires_at, last_used_at, revoked_at FROM api_tokens "

/* Refuses token management through a token; returns true when it replied. */
static bool refuse_bearer(struct http_req *r)
{
    if (!r->bearer)
        return false;
    http_reply_error(r, 403, "forbidden", NULL);
    return true;
}

/* GET /api/v1/me/tokens */
int api_tokens_list(struct http_req *r)
{
    struct db *db = api_db(r);
    if (!db || refuse_bearer(r))
        return 0;
    int64_t n = 0;
    int rc = db_scalar(db_query(db, "SELECT count(*) FROM api_tokens WHERE user_id=?", "i",
                                r->user.id),
                       &n);
    api_reply_rows(r, rc ? NULL : db_query(db, TOKEN_SELECT "WHERE user_id=? ORDER BY id DESC",
                                           "i", r->user.id),
                   n, 1, n);
    return 0;
}

/* Loads one of the caller's tokens as JSON, or NULL. */
static json_t *token_get(struct db *db, int64_t user_id, int64_t id)
{
    json_t *o = NULL;
    struct db_stmt *st = db_query(db, TOKEN_SELECT "WHERE id=? AND user_id=?", "ii", id, user_id);
    if (st && db_step(st) == DB_ROW)
        o = db_row_json(st);
    if (st)
        db_done(st);
    return o;
}

/* POST /api/v1/me/tokens {"name","days"} → 201 {"token":"kct_…","item":{…}} */
int api_tokens_create(struct http_req *r)
{
    static const struct field_spec spec[] = {
        {"name", FT_STR, true, 50}, {"days", FT_INT, false, 0}, {NULL, 0, 0, 0}};
    struct db *db = api_db(r);
    if (!db || refuse_bearer(r))
        return 0;
    json_t *in = api_body(r, spec, true);
    if (!in)
        return 0;
    json_t *d = json_object_get(in, "days");
    int64_t days = json_is_integer(d) ? json_integer_value(d) : 90;
    json_t *after = NULL;
    if (days < 1 || days > 366) {
        http_reply_error(r, 422, "invalid_value", "days");
        goto out;
    }
    char raw[TOKEN_HEX], token[TOKEN_HEX + 4], th[TOKEN_HEX];
    token_new(raw);
    snprintf(token, sizeof(token), "kct_%s", raw);
    token_hash(token, th);
    int64_t now = time_now();
    int rc = db_begin(db);
    if (!rc)
        rc = db_run(db_query(db,
                             "INSERT INTO api_tokens(user_id,name,token_hash,created_at,"
                             "expires_at) VALUES(?,?,?,?,?)",
                             "issii", r->user.id, api_str(in, "name"), th, now,
                             now + days * 86400));
    int64_t id = rc ? 0 : db_last_id(db);
    if (!rc && !(after = token_get(db, r->user.id, id)))
        rc = KC_ERR_DB;
    if (!rc) {
        struct audit_ctx ctx = api_audit_ctx(r);
        rc = audit_write(db, &ctx, "create", "api_token", id, NULL, after);
    }
    if (!rc)
        rc = db_commit(db);
    else
        db_rollback(db);
    if (rc) {
        api_fail(r, rc, NULL, NULL);
        goto out;
    }
    struct buf outb = {0};
    struct jw w;
    jw_init(&w, &outb);
    jw_obj_open(&w);
    jw_kstr(&w, "token", token);
    jw_key(&w, "item");
    char *t = json_dumps(after, JSON_COMPACT);
    jw_raw(&w, t, strlen(t));
    free(t);
    jw_obj_close(&w);
    http_reply_json(r, 201, &outb);
out:
    json_decref(after);
    json_decref(in);
    return 0;
}

/* DELETE /api/v1/me/tokens/{id} — revokes the token at once. */
int api_tokens_delete(struct http_req *r)
{
    int64_t id;
    struct db *db = api_db(r);
    if (!db || refuse_bearer(r) || !api_id_param(r, 0, &id))
        return 0;
    json_t *before = token_get(db, r->user.id, id), *after = NULL;
    if (!before) {
        http_reply_error(r, 404, "not_found", NULL);
        return 0;
    }
    int rc = db_begin(db);
    if (!rc)
        rc = db_run(db_query(db,
                             "UPDATE api_tokens SET revoked_at=coalesce(revoked_at, ?) WHERE id=?",
                             "ii", time_now(), id));
    if (!rc && !(after = token_get(db, r->user.id, id)))
        rc = KC_ERR_DB;
    if (!rc) {
        struct audit_ctx ctx = api_audit_ctx(r);
        rc = audit_write(db, &ctx, "update", "api_token", id, before, after);
    }
    if (!rc)
        rc = db_commit(db);
    else
        db_rollback(db);
    json_decref(before);
    json_decref(after);
    if (rc) {
        api_fail(r, rc, NULL, NULL);
        return 0;
    }
    struct buf out = {0};
    buf_puts(&out, "{\"ok\":true}");
    http_reply_json(r, 200, &out);
    return 0;
}
