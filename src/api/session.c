/* session.c — login, logout, the current user and their preferences. */
#include "api/api.h"
#include "api/handlers.h"
#include "crypto/password.h"
#include "core/timeutil.h"
#include "core/utf8.h"
#include "db/db.h"
#include "store/session.h"

#include <stdio.h>
#include <string.h>

/* Writes {"user":…,"csrf_token":…} and replies 200. */
static void reply_session(struct http_req *r, const struct auth_user *u)
{
    struct buf out = {0};
    struct jw w;
    jw_init(&w, &out);
    jw_obj_open(&w);
    jw_key(&w, "user");
    api_write_user(r, &w, u);
    jw_kstr(&w, "csrf_token", u->csrf);
    jw_obj_close(&w);
    http_reply_json(r, 200, &out);
}

/* POST /api/v1/session */
int api_session_create(struct http_req *r)
{
    static const struct field_spec spec[] = {
        {"username", FT_STR, true, 64}, {"password", FT_STR, true, 256}, {NULL, 0, 0, 0}};
    struct db *db = api_db(r);
    if (!db)
        return 0;
    json_t *b = api_body(r, spec, true);
    if (!b)
        return 0;
    struct auth_user u;
    char token[TOKEN_HEX];
    int rc = session_login(db, api_str(b, "username"), api_str(b, "password"), r->ip, &u, token);
    json_decref(b);
    if (rc == LOGIN_BAD) {
        http_reply_error(r, 401, "bad_credentials", NULL);
        return 0;
    }
    if (rc) {
        api_fail(r, rc, NULL, NULL);
        return 0;
    }
    r->have_user = true;
    r->user = u;
    r->set_cookie = arena_printf(&r->arena, "%s=%s; Path=/; HttpOnly; SameSite=Strict",
                                 SESSION_COOKIE, token);
    reply_session(r, &u);
    return 0;
}

/* GET /api/v1/session */
int api_session_get(struct http_req *r)
{
    reply_session(r, &r->user);
    return 0;
}

/* DELETE /api/v1/session */
int api_session_delete(struct http_req *r)
{
    struct db *db = api_db(r);
    if (!db)
        return 0;
    int rc = session_logout(db, &r->user, r->ip);
    if (rc) {
        api_fail(r, rc, NULL, NULL);
        return 0;
    }
    r->set_cookie = arena_printf(&r->arena, "%s=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0",
                                 SESSION_COOKIE);
    struct buf out = {0};
    buf_puts(&out, "{\"ok\":true}");
    http_reply_json(r, 200, &out);
    return 0;
}

/* PATCH /api/v1/me — language and display name. */
int api_me_patch(struct http_req *r)
{
    static const struct field_spec spec[] = {
        {"lang", FT_STR, false, 8}, {"display_name", FT_STR, false, 64}, {NULL, 0, 0, 0}};
    struct db *db = api_db(r);
    if (!db)
        return 0;
    json_t *b = api_body(r, spec, false);
    if (!b)
        return 0;
    const char *lang = api_str(b, "lang"), *dn = api_str(b, "display_name");
    if (lang && strcmp(lang, "zh-CN") != 0 && strcmp(lang, "en") != 0) {
        json_decref(b);
        http_reply_error(r, 422, "invalid_value", "lang");
        return 0;
    }
    if (dn && utf8_blank(dn)) {
        json_decref(b);
        http_reply_error(r, 422, "required", "display_name");
        return 0;
    }
    int rc = db_begin(db);
    json_t *before = NULL, *after = NULL;
    const char *sql = "SELECT lang, display_name FROM users WHERE id=?";
    struct db_stmt *st = rc ? NULL : db_query(db, sql, "i", r->user.id);
    if (st && db_step(st) == DB_ROW)
        before = db_row_json(st);
    if (st)
        db_done(st);
    if (!rc)
        rc = db_run(db_query(db,
                             "UPDATE users SET lang=coalesce(?,lang), "
                             "display_name=coalesce(?,display_name), updated_at=? WHERE id=?",
                             "ssii", lang, dn, time_now(), r->user.id));
    st = rc ? NULL : db_query(db, sql, "i", r->user.id);
    if (st && db_step(st) == DB_ROW)
        after = db_row_json(st);
    if (st)
        db_done(st);
    if (!rc) {
        struct audit_ctx ctx = api_audit_ctx(r);
        rc = audit_write(db, &ctx, "update", "user", r->user.id, before, after);
    }
    if (!rc)
        rc = db_commit(db);
    else
        db_rollback(db);
    if (lang)
        r->en = strcmp(lang, "en") == 0;
    json_decref(before);
    json_decref(after);
    json_decref(b);
    if (!rc)
        rc = session_reload_user(db, &r->user);
    if (rc) {
        api_fail(r, rc, NULL, NULL);
        return 0;
    }
    struct buf out = {0};
    struct jw w;
    jw_init(&w, &out);
    jw_obj_open(&w);
    jw_key(&w, "user");
    api_write_user(r, &w, &r->user);
    jw_obj_close(&w);
    http_reply_json(r, 200, &out);
    return 0;
}

/* POST /api/v1/me/password */
int api_me_password(struct http_req *r)
{
    static const struct field_spec spec[] = {{"old_password", FT_STR, true, 256},
                                             {"new_password", FT_STR, true, 0},
                                             {NULL, 0, 0, 0}};
    struct db *db = api_db(r);
    if (!db)
        return 0;
    json_t *b = api_body(r, spec, true);
    if (!b)
        return 0;
    char hash[PASSWORD_HASH_MAX] = "";
    struct db_stmt *st =
        db_query(db, "SELECT password_hash FROM users WHERE id=?", "i", r->user.id);
    if (st && db_step(st) == DB_ROW)
        snprintf(hash, sizeof(hash), "%s", db_col_text(st, 0));
    if (st)
        db_done(st);
    int rc = 0;
    if (!password_verify(hash, api_str(b, "old_password"))) {
        http_reply_error(r, 422, "wrong_password", "old_password");
        goto out;
    }
    if (password_policy(api_str(b, "new_password"), r->user.username) != 0) {
        http_reply_error(r, 422, "weak_password", "new_password");
        goto out;
    }
    rc = user_set_password(db, r, r->user.id, api_str(b, "new_password"));
    if (rc) {
        api_fail(r, rc, NULL, NULL);
        goto out;
    }
    struct buf o = {0};
    buf_puts(&o, "{\"ok\":true}");
    http_reply_json(r, 200, &o);
out:
    json_decref(b);
    return 0;
}
