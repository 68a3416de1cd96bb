/* user.c (api) — /api/v1/users: list, export, read, create, edit, password reset. */
#include "api/api.h"
#include "api/handlers.h"
#include "core/timeutil.h"
#include "crypto/password.h"
#include "db/db.h"
#include "store/user.h"

#include <string.h>

static const char *const user_sorts[] = {"username", "created_at", "role", "id", NULL};

/* Reads list filters; replies and returns false when malformed. */
static bool read_filter(struct http_req *r, struct user_filter *f)
{
    memset(f, 0, sizeof(*f));
    f->q = api_qparam(r, "q");
    f->role = api_qparam(r, "role");
    f->status = api_qparam(r, "status");
    return api_region_param(r, &f->region);
}

/* GET /api/v1/users */
int api_users_list(struct http_req *r)
{
    struct db *db = api_db(r);
    struct user_filter f;
    int64_t page, size, total;
    const char *col;
    bool desc;
    if (!db || !read_filter(r, &f) || !api_paging(r, &page, &size) ||
        !api_sort(r, user_sorts, "id", &col, &desc))
        return 0;
    int rc = user_count(db, &r->user.scope, &f, &total);
    api_reply_rows(r,
                   rc ? NULL
                      : user_list(db, &r->user.scope, &f, col, desc, size, (page - 1) * size),
                   total, page, size);
    return 0;
}

/* GET /api/v1/users/export */
int api_users_export(struct http_req *r)
{
    static const char *const cols[] = {"id",          "编号",     "ID",
                                       "username",    "用户名",   "Username",
                                       "display_name", "姓名",    "Display name",
                                       "role",        "角色",     "Role",
                                       "region_code", "行政区划代码", "Region code",
                                       "region_name", "行政区划", "Region",
                                       "org_name",    "所属机构", "Organisation",
                                       "status",      "状态",     "Status",
                                       "created_at",  "创建时间(UTC)", "Created (UTC)",
                                       NULL};
    struct db *db = api_db(r);
    struct user_filter f;
    const char *col;
    bool desc;
    if (!db || !read_filter(r, &f) || !api_sort(r, user_sorts, "id", &col, &desc))
        return 0;
    struct db_stmt *st = user_list(db, &r->user.scope, &f, col, desc, -1, 0);
    if (!st) {
        api_fail(r, KC_ERR_DB, NULL, NULL);
        return 0;
    }
    api_export_xlsx(r, st, cols, "用户", "Users", "users.xlsx");
    return 0;
}

/* Replies with the user record plus its role's capabilities, wrapped as {"user":…}
 * when wrap. */
static void reply_user(struct http_req *r, int status, json_t *u, bool wrap)
{
    char *text = json_dumps(u, JSON_COMPACT);
    struct buf out = {0};
    struct jw w;
    jw_init(&w, &out);
    if (wrap) {
        jw_obj_open(&w);
        jw_key(&w, "user");
    }
    /* Splice "capabilities" into the record's closing brace. */
    size_t n = strlen(text);
    jw_raw(&w, text, n - 1);
    buf_puts(&out, n > 2 ? ",\"capabilities\":" : "\"capabilities\":");
    const struct role *ro = auth_role(api_str(u, "role"));
    w.after_key = true;
    if (ro)
        api_write_caps(&w, ro);
    else
        jw_raw(&w, "[]", 2);
    buf_putc(&out, '}');
    if (wrap)
        jw_obj_close(&w);
    free(text);
    http_reply_json(r, status, &out);
}

/* GET /api/v1/users/{id} */
int api_users_get(struct http_req *r)
{
    int64_t id;
    struct db *db = api_db(r);
    if (!db || !api_id_param(r, 0, &id))
        return 0;
    json_t *u = NULL;
    int rc = user_get(db, &r->user.scope, id, &u);
    if (rc) {
        api_fail(r, rc, NULL, NULL);
        return 0;
    }
    reply_user(r, 200, u, false);
    json_decref(u);
    return 0;
}

/* Checks role, region and organisation of a (merged) user record; replies 422 and
 * returns false on the first problem. Resolves region aliases in place. */
static bool validate(struct http_req *r, struct db *db, json_t *o)
{
    const char *role = api_str(o, "role");
    const struct role *ro = auth_role(role);
    if (!ro) {
        http_reply_error(r, 422, role ? "invalid_value" : "required", "role");
        return false;
    }
    const char *dn = api_str(o, "display_name");
    if (!dn || !*dn) {
        http_reply_error(r, 422, "required", "display_name");
        return false;
    }
    char region[7];
    const char *rc = api_str(o, "region_code");
    if (!rc) {
        http_reply_error(r, 422, "required", "region_code");
        return false;
    }
    if (!api_region(r, db, "region_code", rc, region))
        return false;
    json_object_set_new(o, "region_code", json_string(region));
    /* The country root would give a region-scoped role everything: administrators only. */
    if (strcmp(region, "000000") == 0 && ro->scope != SCOPE_ALL) {
        http_reply_error(r, 422, "invalid_region", "region_code");
        return false;
    }
    json_t *org = json_object_get(o, "org_id");
    int64_t org_id = json_is_integer(org) ? json_integer_value(org) : 0;
    if (org_id) {
        /* The organisation must exist and lie inside the user's own region. */
        char prefix[7];
        struct scope s;
        auth_region_prefix(region, prefix);
        auth_scope_prefix(&s, prefix);
        int64_t n = 0;
        if (db_scalar(db_query(db,
                               "SELECT count(*) FROM orgs WHERE id=? AND region_code >= ? "
                               "AND region_code < ?",
                               "iss", org_id, s.lo, s.hi),
                      &n) ||
            !n) {
            http_reply_error(r, 422, "invalid_value", "org_id");
            return false;
        }
    } else if (ro->scope == SCOPE_ORG && strcmp(ro->code, "expert") != 0) {
        http_reply_error(r, 422, "required", "org_id");
        return false;
    }
    const char *status = api_str(o, "status");
    if (status && strcmp(status, "active") != 0 && strcmp(status, "disabled") != 0) {
        http_reply_error(r, 422, "invalid_value", "status");
        return false;
    }
    return true;
}

/* POST /api/v1/users */
int api_users_create(struct http_req *r)
{
    static const struct field_spec spec[] = {
        {"username", FT_STR, true, 32},     {"display_name", FT_STR, true, 64},
        {"role", FT_STR, true, 32},         {"region_code", FT_STR, true, 6},
        {"org_id", FT_INT_NULL, false, 0},  {"password", FT_STR, true, 0},
        {NULL, 0, 0, 0}};
    struct db *db = api_db(r);
    if (!db)
        return 0;
    json_t *o = api_body(r, spec, true);
    if (!o)
        return 0;
    const char *username = api_str(o, "username");
    json_t *after = NULL;
    if (!user_name_ok(username)) {
        http_reply_error(r, 422, "invalid_value", "username");
        goto out;
    }
    if (!validate(r, db, o))
        goto out;
    if (password_policy(api_str(o, "password"), username) != 0) {
        http_reply_error(r, 422, "weak_password", "password");
        goto out;
    }
    char hash[PASSWORD_HASH_MAX];
    int rc = password_hash(api_str(o, "password"), hash);
    int64_t id = 0;
    json_t *org = json_object_get(o, "org_id");
    if (!rc)
        rc = db_begin(db);
    if (!rc) {
        struct audit_ctx ctx = api_audit_ctx(r);
        rc = user_insert(db, &ctx, username, api_str(o, "display_name"), api_str(o, "role"),
                         api_str(o, "region_code"),
                         json_is_integer(org) ? json_integer_value(org) : 0, hash, &id);
        if (!rc)
            rc = db_commit(db);
        else
            db_rollback(db);
    }
    if (!rc)
        rc = user_get(db, &r->user.scope, id, &after);
    if (rc) {
        api_fail(r, rc, rc == KC_ERR_CONFLICT ? "conflict" : NULL, "username");
        goto out;
    }
    reply_user(r, 201, after, true);
out:
    json_decref(after);
    json_decref(o);
    return 0;
}

/* PATCH /api/v1/users/{id} */
int api_users_patch(struct http_req *r)
{
    static const struct field_spec spec[] = {
        {"display_name", FT_STR, true, 64}, {"role", FT_STR, true, 32},
        {"region_code", FT_STR, true, 6},   {"org_id", FT_INT_NULL, false, 0},
        {"status", FT_STR, true, 16},       {NULL, 0, 0, 0}};
    int64_t id;
    struct db *db = api_db(r);
    if (!db || !api_id_param(r, 0, &id))
        return 0;
    json_t *patch = api_body(r, spec, false);
    if (!patch)
        return 0;
    json_t *before = NULL, *merged = NULL, *after = NULL;
    int rc = db_begin(db);
    if (!rc)
        rc = user_get(db, &r->user.scope, id, &before);
    if (rc) {
        db_rollback(db);
        api_fail(r, rc, NULL, NULL);
        goto out;
    }
    merged = json_deep_copy(before);
    json_object_update(merged, patch);
    if (!validate(r, db, merged)) {
        db_rollback(db);
        goto out;
    }
    json_t *org = json_object_get(merged, "org_id");
    rc = db_run(db_query(db,
                         "UPDATE users SET display_name=?, role=?, region_code=?, "
                         "org_id=nullif(?,0), status=?, updated_at=? WHERE id=?",
                         "sssisii", api_str(merged, "display_name"), api_str(merged, "role"),
                         api_str(merged, "region_code"),
                         json_is_integer(org) ? json_integer_value(org) : 0,
                         api_str(merged, "status"), time_now(), id));
    /* A disabled account loses its sessions at once. */
    if (!rc && strcmp(api_str(merged, "status"), "disabled") == 0)
        rc = db_run(db_query(db, "DELETE FROM sessions WHERE user_id=?", "i", id));
    struct scope all = {"", "~", 0};
    if (!rc)
        rc = user_get(db, &all, id, &after);
    if (!rc) {
        struct audit_ctx ctx = api_audit_ctx(r);
        rc = audit_write(db, &ctx, "update", "user", id, before, after);
    }
    if (!rc)
        rc = db_commit(db);
    else
        db_rollback(db);
    if (rc) {
        api_fail(r, rc, NULL, NULL);
        goto out;
    }
    reply_user(r, 200, after, true);
out:
    json_decref(before);
    json_decref(merged);
    json_decref(after);
    json_decref(patch);
    return 0;
}

int user_set_password(struct db *db, struct http_req *r, int64_t id, const char *password)
{
    char hash[PASSWORD_HASH_MAX];
    int rc = password_hash(password, hash);
    if (rc)
        return rc;
    struct audit_ctx ctx = api_audit_ctx(r);
    return user_store_password(db, &ctx, id, hash, r->user.id == id ? r->user.session_id : 0);
}

/* POST /api/v1/users/{id}/password — an administrator sets a new password. */
int api_users_password(struct http_req *r)
{
    static const struct field_spec spec[] = {{"password", FT_STR, true, 0}, {NULL, 0, 0, 0}};
    int64_t id;
    struct db *db = api_db(r);
    if (!db || !api_id_param(r, 0, &id))
        return 0;
    json_t *o = api_body(r, spec, true);
    if (!o)
        return 0;
    json_t *u = NULL;
    int rc = user_get(db, &r->user.scope, id, &u);
    if (rc) {
        api_fail(r, rc, NULL, NULL);
        goto out;
    }
    if (password_policy(api_str(o, "password"), api_str(u, "username")) != 0) {
        http_reply_error(r, 422, "weak_password", "password");
        goto out;
    }
    rc = user_set_password(db, r, id, api_str(o, "password"));
    if (rc) {
        api_fail(r, rc, NULL, NULL);
        goto out;
    }
    struct buf out = {0};
    buf_puts(&out, "{\"ok\":true}");
    http_reply_json(r, 200, &out);
out:
    json_decref(u);
    json_decref(o);
    return 0;
}
