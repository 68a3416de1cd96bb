/* user.c (store) — SQL for user accounts. */
#include "store/user.h"
#include "core/buf.h"
#include "core/timeutil.h"
#include "db/db.h"
#include "store/audit.h"

#include <stdio.h>
#include <string.h>

#define USER_SELECT                                                                             \
    "SELECT u.id, u.username, u.display_name, u.role, u.region_code, r.name AS region_name, "  \
    "u.org_id, o.name AS org_name, u.status, u.lang, u.created_at, u.updated_at "              \
    "FROM users u LEFT JOIN regions r ON r.code = u.region_code "                              \
    "LEFT JOIN orgs o ON o.id = u.org_id "

/* Appends the WHERE clause (only the conditions in use) and its values. */
static void build_where(struct buf *sql, struct db_args *a, const struct scope *sc,
                        const struct user_filter *f)
{
    buf_puts(sql, "WHERE 1=1 ");
    const struct scope *ranges[] = {sc, &f->region};
    for (int k = 0; k < 2; k++) {
        if (!ranges[k]->lo[0])
            continue;
        buf_puts(sql, "AND u.region_code >= ? AND u.region_code < ? ");
        db_args_text(a, ranges[k]->lo);
        db_args_text(a, ranges[k]->hi);
    }
    if (f->q) {
        buf_puts(sql, "AND (instr(u.username, ?) > 0 OR instr(u.display_name, ?) > 0) ");
        db_args_text(a, f->q);
        db_args_text(a, f->q);
    }
    if (f->role) {
        buf_puts(sql, "AND u.role = ? ");
        db_args_text(a, f->role);
    }
    if (f->status) {
        buf_puts(sql, "AND u.status = ? ");
        db_args_text(a, f->status);
    }
}

int user_get(struct db *db, const struct scope *sc, int64_t id, json_t **out)
{
    struct db_stmt *st = db_query(
        db, USER_SELECT "WHERE u.id = ? AND u.region_code >= ? AND u.region_code < ?", "iss",
        id, sc->lo, sc->hi);
    if (!st)
        return KC_ERR_DB;
    int rc = db_step(st);
    if (rc == DB_ROW)
        *out = db_row_json(st);
    db_done(st);
    if (rc < 0)
        return rc;
    return rc == DB_ROW ? 0 : KC_ERR_NOT_FOUND;
}

struct db_stmt *user_list(struct db *db, const struct scope *sc, const struct user_filter *f,
                         const char *sort_col, bool desc, int64_t limit, int64_t offset)
{
    struct buf sql = {0};
    struct db_args a = {0};
    buf_puts(&sql, USER_SELECT);
    build_where(&sql, &a, sc, f);
    return db_page(db, &sql, &a, "u", sort_col, desc, limit, offset);
}

int user_count(struct db *db, const struct scope *sc, const struct user_filter *f, int64_t *n)
{
    struct buf sql = {0};
    struct db_args a = {0};
    buf_puts(&sql, "SELECT count(*) FROM users u ");
    build_where(&sql, &a, sc, f);
    return db_count(db, &sql, &a, n);
}

int user_insert(struct db *db, const struct audit_ctx *ctx, const char *username,
                const char *display_name, const char *role, const char *region_code,
                int64_t org_id, const char *password_hash, int64_t *id)
{
    int64_t now = time_now();
    int rc = db_run(db_query(db,
                             "INSERT INTO users(username,display_name,role,region_code,org_id,"
                             "password_hash,created_at,updated_at) "
                             "VALUES(?,?,?,?,nullif(?,0),?,?,?)",
                             "ssssisii", username, display_name, role, region_code, org_id,
                             password_hash, now, now));
    if (rc)
        return rc;
    *id = db_last_id(db);
    struct scope all = {"", "~", 0};
    json_t *after = NULL;
    rc = user_get(db, &all, *id, &after);
    if (!rc)
        rc = audit_write(db, ctx, "create", "user", *id, NULL, after);
    json_decref(after);
    return rc;
}

int user_store_password(struct db *db, const struct audit_ctx *ctx, int64_t id,
                        const char *password_hash, int64_t keep_session)
{
    int rc = db_begin(db);
    if (rc)
        return rc;
    rc = db_run(db_query(db,
                         "UPDATE users SET password_hash=?, failed_logins=0, locked_until=0, "
                         "updated_at=? WHERE id=?",
                         "sii", password_hash, time_now(), id));
    if (!rc && db_changes(db) == 0)
        rc = KC_ERR_NOT_FOUND;
    if (!rc)
        rc = db_run(db_query(db, "DELETE FROM sessions WHERE user_id=? AND id<>?", "ii", id,
                             keep_session));
    /* A new password also ends the user's API tokens: one made with a stolen password
     * must not outlive the change. The caller's own session is kept. */
    int revoked = 0;
    if (!rc)
        rc = db_run(db_query(db,
                             "UPDATE api_tokens SET revoked_at=? WHERE user_id=? AND "
                             "revoked_at IS NULL",
                             "ii", time_now(), id));
    if (!rc)
        revoked = db_changes(db);
    if (!rc) {
        json_t *d = json_pack("{s:{s:s,s:s}}", "password", "before", "***", "after", "***");
        if (revoked)
            json_object_set_new(d, "api_tokens_revoked",
                                json_pack("{s:i,s:i}", "before", 0, "after", revoked));
        rc = audit_write_diff(db, ctx, "password", "user", id, d);
        json_decref(d);
    }
    if (!rc)
        return db_commit(db);
    db_rollback(db);
    return rc;
}

bool user_name_ok(const char *u)
{
    size_t n = strlen(u);
    return n >= 3 && n <= 32 && strspn(u, "abcdefghijklmnopqrstuvwxyz0123456789_.-") == n;
}
