/* session.c — database-backed sessions, login with lockout, logout. */
#include "store/session.h"
#include "core/log.h"
#include "core/timeutil.h"
#include "crypto/password.h"
#include "db/db.h"
#include "store/audit.h"

#include <stdio.h>
#include <string.h>

int session_idle_s = 30 * 60;
int session_absolute_s = 12 * 60 * 60;

/* Copies at most cap-1 bytes of s (NULL gives ""). */
static void copy(char *dst, size_t cap, const char *s)
{
    snprintf(dst, cap, "%s", s ? s : "");
}

/* Fills the user fields of u from a row of (id, username, display_name, role,
 * region_code, org_id, lang) starting at column first. Returns false when the role is
 * unknown (a corrupted row: treated as no user). */
static bool fill_user(struct db_stmt *st, int first, struct auth_user *u)
{
    u->id = db_col_int(st, first);
    copy(u->username, sizeof(u->username), db_col_text(st, first + 1));
    copy(u->display_name, sizeof(u->display_name), db_col_text(st, first + 2));
    u->role = auth_role(db_col_text(st, first + 3));
    copy(u->region_code, sizeof(u->region_code), db_col_text(st, first + 4));
    u->org_id = db_col_int(st, first + 5);
    copy(u->lang, sizeof(u->lang), db_col_text(st, first + 6));
    if (!u->role)
        return false;
    auth_scope_for(u);
    return true;
}

int session_load(struct db *db, const char *token, struct auth_user *u)
{
    char th[TOKEN_HEX];
    token_hash(token, th);
    struct db_stmt *st =
        db_query(db,
                 "SELECT s.id, s.csrf_token, s.created_at, s.last_seen_at, u.id, u.username, "
                 "u.display_name, u.role, u.region_code, coalesce(u.org_id,0), u.lang, u.status "
                 "FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = ?",
                 "s", th);
    if (!st)
        return KC_ERR_DB;
    if (db_step(st) != DB_ROW) {
        db_done(st);
        return KC_ERR_AUTH;
    }
    int64_t now = time_now();
    int64_t sid = db_col_int(st, 0);
    int64_t created = db_col_int(st, 2), seen = db_col_int(st, 3);
    bool active = strcmp(db_col_text(st, 11), "active") == 0;
    memset(u, 0, sizeof(*u));
    u->session_id = sid;
    copy(u->csrf, sizeof(u->csrf), db_col_text(st, 1));
    bool ok = fill_user(st, 4, u);
    db_done(st);
    if (!ok || !active || now - seen > session_idle_s || now - created > session_absolute_s) {
        if (db_run(db_query(db, "DELETE FROM sessions WHERE id=?", "i", sid)) != 0)
            return KC_ERR_DB;
        return KC_ERR_AUTH;
    }
    /* Touch at most once a minute so reads do not become writes. */
    if (now - seen >= 60 &&
        db_run(db_query(db, "UPDATE sessions SET last_seen_at=? WHERE id=?", "ii", now, sid)))
        return KC_ERR_DB;
    return 0;
}

int session_load_token(struct db *db, const char *token, struct auth_user *u)
{
    char th[TOKEN_HEX];
    token_hash(token, th);
    int64_t now = time_now();
    struct db_stmt *st = db_query(db,
                                  "SELECT t.id, u.id, u.username, u.display_name, u.role, "
                                  "u.region_code, coalesce(u.org_id,0), u.lang FROM api_tokens t "
                                  "JOIN users u ON u.id = t.user_id WHERE t.token_hash = ? AND "
                                  "t.revoked_at IS NULL AND t.expires_at > ? AND "
                                  "u.status = 'active'",
                                  "si", th, now);
    if (!st)
        return KC_ERR_DB;
    memset(u, 0, sizeof(*u));
    bool ok = db_step(st) == DB_ROW && fill_user(st, 1, u);
    int64_t tid = ok ? db_col_int(st, 0) : 0;
    db_done(st);
    if (!ok)
        return KC_ERR_AUTH;
    /* Record use at most once a minute. */
    return db_run(db_query(db,
                           "UPDATE api_tokens SET last_used_at=? WHERE id=? AND "
                           "coalesce(last_used_at,0) < ?",
                           "iii", now, tid, now - 60));
}

bool session_csrf_ok(const struct auth_user *u, const char *t)
{
    return u->csrf[0] && token_equal(u->csrf, t);
}

/* Records a login attempt row and a log line. */
static int record_attempt(struct db *db, const char *username, const char *ip, bool ok,
                          const char *reason)
{
    log_msg(ok ? LOG_INFO : LOG_WARN, "login attempt", "username", username, "ip", ip, "result",
            reason, NULL);
    return db_run(db_query(db,
                           "INSERT INTO login_attempts(username,ip,at,ok,reason) "
                           "VALUES(?,?,?,?,?)",
                           "ssiis", username, ip, time_now(), (int64_t)ok, reason));
}

int session_login(struct db *db, const char *username, const char *password, const char *ip,
                  struct auth_user *u, char token[TOKEN_HEX])
{
    char hash[PASSWORD_HASH_MAX] = "";
    int64_t failures = 0, locked_until = 0;
    bool found = false, active = false;
    memset(u, 0, sizeof(*u));
    struct db_stmt *st = db_query(db,
                                  "SELECT id, username, display_name, role, region_code, "
                                  "coalesce(org_id,0), lang, status, password_hash, "
                                  "failed_logins, locked_until FROM users WHERE username=?",
                                  "s", username);
    if (!st)
        return KC_ERR_DB;
    if (db_step(st) == DB_ROW) {
        found = fill_user(st, 0, u);
        active = strcmp(db_col_text(st, 7), "active") == 0;
        copy(hash, sizeof(hash), db_col_text(st, 8));
        failures = db_col_int(st, 9);
        locked_until = db_col_int(st, 10);
    }
    db_done(st);
    int64_t now = time_now();

    if (!found) {
        /* Spend the same time as a real check so usernames cannot be probed by timing. */
        password_verify_dummy(password);
        if (db_begin(db) || record_attempt(db, username, ip, false, "unknown_user") ||
            db_commit(db))
            db_rollback(db);
        return LOGIN_BAD;
    }
    if (locked_until > now) {
        if (db_begin(db) || record_attempt(db, username, ip, false, "locked") || db_commit(db))
            db_rollback(db);
        return LOGIN_LOCKED;
    }
    bool good = password_verify(hash, password);
    int rc = db_begin(db);
    if (rc)
        return rc;
    if (!good || !active) {
        const char *reason = !active && good ? "disabled" : "bad_password";
        int64_t f = good ? failures : failures + 1;
        int64_t until = f >= LOGIN_MAX_FAILURES ? now + LOGIN_LOCK_SECONDS : 0;
        if (!good)
            rc = db_run(db_query(db,
                                 "UPDATE users SET failed_logins=?, locked_until=? WHERE id=?",
                                 "iii", until ? (int64_t)0 : f, until, u->id));
        if (!rc)
            rc = record_attempt(db, username, ip, false, reason);
        if (!rc)
            rc = db_commit(db);
        else
            db_rollback(db);
        if (rc)
            return rc;
        return until ? LOGIN_LOCKED : LOGIN_BAD;
    }
    char th[TOKEN_HEX];
    token_new(token);
    token_hash(token, th);
    token_new(u->csrf);
    rc = db_run(db_query(db, "UPDATE users SET failed_logins=0, locked_until=0 WHERE id=?", "i",
                         u->id));
    if (!rc)
        rc = db_run(db_query(db,
                             "INSERT INTO sessions(token_hash,user_id,csrf_token,ip,created_at,"
                             "last_seen_at) VALUES(?,?,?,?,?,?)",
                             "sissii", th, u->id, u->csrf, ip, now, now));
    if (!rc)
        u->session_id = db_last_id(db);
    if (!rc)
        rc = record_attempt(db, username, ip, true, "ok");
    if (!rc) {
        struct audit_ctx ctx = {u->id, u->username, ip};
        json_t *d = json_object();
        rc = audit_write_diff(db, &ctx, "login", "session", u->session_id, d);
        json_decref(d);
    }
    if (!rc)
        rc = db_commit(db);
    else
        db_rollback(db);
    return rc;
}

int session_logout(struct db *db, const struct auth_user *u, const char *ip)
{
    int rc = db_begin(db);
    if (rc)
        return rc;
    rc = db_run(db_query(db, "DELETE FROM sessions WHERE id=?", "i", u->session_id));
    if (!rc) {
        struct audit_ctx ctx = {u->id, u->username, ip};
        json_t *d = json_object();
        rc = audit_write_diff(db, &ctx, "logout", "session", u->session_id, d);
        json_decref(d);
    }
    if (!rc)
        return db_commit(db);
    db_rollback(db);
    return rc;
}

int session_reload_user(struct db *db, struct auth_user *u)
{
    struct db_stmt *st = db_query(db,
                                  "SELECT id, username, display_name, role, region_code, "
                                  "coalesce(org_id,0), lang FROM users WHERE id=?",
                                  "i", u->id);
    if (!st)
        return KC_ERR_DB;
    int rc = db_step(st) == DB_ROW && fill_user(st, 0, u) ? 0 : KC_ERR_NOT_FOUND;
    db_done(st);
    return rc;
}
