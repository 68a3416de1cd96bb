/* org.c (api) — /api/v1/orgs: list, export, read, create, edit. */
#include "api/api.h"
#include "api/handlers.h"
#include "db/db.h"
#include "domain/org.h"
#include "store/org.h"

#include <string.h>

static const struct field_spec org_fields[] = {
    {"kind", FT_STR, true, 32},
    {"name", FT_STR, true, 100},
    {"uscc", FT_STR, true, 18},
    {"region_code", FT_STR, true, 6},
    {"industry_code", FT_STR_NULL, false, 3},
    {"chains", FT_STR_LIST, false, 32},
    {"address", FT_STR_NULL, false, 200},
    {"contact_name", FT_STR_NULL, false, 50},
    {"contact_phone", FT_STR_NULL, false, 50},
    {"contact_email", FT_STR_NULL, false, 50},
    {NULL, 0, 0, 0},
};

/* Reads the list filters from the query string; replies 422 and returns false when one
 * is malformed. */
static bool read_filter(struct http_req *r, struct org_filter *f)
{
    memset(f, 0, sizeof(*f));
    f->q = api_qparam(r, "q");
    f->kind = api_qparam(r, "kind");
    f->industry = api_qparam(r, "industry_code");
    f->chain = api_qparam(r, "chain");
    return api_region_param(r, &f->region);
}

static const char *const org_sorts[] = {"name", "created_at", "region_code", "uscc", "id", NULL};

/* GET /api/v1/orgs */
int api_orgs_list(struct http_req *r)
{
    struct db *db = api_db(r);
    struct org_filter f;
    int64_t page, size, total;
    const char *col;
    bool desc;
    if (!db || !read_filter(r, &f) || !api_paging(r, &page, &size) ||
        !api_sort(r, org_sorts, "id", &col, &desc))
        return 0;
    int rc = org_count(db, &r->user.scope, &f, &total);
    api_reply_rows(r,
                   rc ? NULL
                      : org_list(db, &r->user.scope, &f, col, desc, size, (page - 1) * size),
                   total, page, size);
    return 0;
}

/* GET /api/v1/orgs/export */
int api_orgs_export(struct http_req *r)
{
    static const char *const cols[] = {
        "id", "编号", "ID",
        "name", "名称", "Name",
        "kind", "机构类型", "Kind",
        "uscc", "统一社会信用代码", "USCC",
        "region_code", "行政区划代码", "Region code",
        "region_name", "行政区划", "Region",
        "industry_code", "行业代码", "Industry code",
        "industry_name", "行业", "Industry",
        "chains_json", "产业链", "Industry chains",
        "address", "地址", "Address",
        "contact_name", "联系人", "Contact",
        "contact_phone", "联系电话", "Phone",
        "contact_email", "电子邮箱", "Email",
        "created_at", "创建时间(UTC)", "Created (UTC)",
        NULL};
    struct db *db = api_db(r);
    struct org_filter f;
    const char *col;
    bool desc;
    if (!db || !read_filter(r, &f) || !api_sort(r, org_sorts, "id", &col, &desc))
        return 0;
    struct db_stmt *st = org_list(db, &r->user.scope, &f, col, desc, -1, 0);
    if (!st) {
        api_fail(r, KC_ERR_DB, NULL, NULL);
        return 0;
    }
    api_export_xlsx(r, st, cols, "组织机构", "Organisations", "orgs.xlsx");
    return 0;
}

/* Writes {"org":…,"warnings":[…]} (and name_history when with_history). */
static void reply_org(struct http_req *r, struct db *db, int status, json_t *org,
                      bool with_history, bool warn)
{
    struct buf out = {0};
    struct jw w;
    jw_init(&w, &out);
    if (with_history) {
        json_t *hist = json_array();
        struct db_stmt *st = db_query(
            db,
            "SELECT h.old_name, h.new_name, h.changed_at, u.username AS changed_by "
            "FROM org_name_history h LEFT JOIN users u ON u.id = h.changed_by "
            "WHERE h.org_id = ? ORDER BY h.id",
            "i", json_integer_value(json_object_get(org, "id")));
        while (st && db_step(st) == DB_ROW) {
            json_t *row = db_row_json(st);
            json_array_append_new(hist, row);
        }
        if (st)
            db_done(st);
        json_object_set_new(org, "name_history", hist);
    }
    char *text = json_dumps(org, JSON_COMPACT);
    if (with_history) {
        /* GET answers the record itself. */
        jw_raw(&w, text, strlen(text));
    } else {
        jw_obj_open(&w);
        jw_key(&w, "org");
        jw_raw(&w, text, strlen(text));
        jw_key(&w, "warnings");
        jw_arr_open(&w);
        if (warn) {
            jw_obj_open(&w);
            jw_kstr(&w, "field", "uscc");
            jw_kstr(&w, "code", "uscc_orgcode");
            jw_kstr(&w, "message", msg_error(r, "uscc_orgcode", "uscc"));
            jw_obj_close(&w);
        }
        jw_arr_close(&w);
        jw_obj_close(&w);
    }
    free(text);
    http_reply_json(r, status, &out);
}

/* GET /api/v1/orgs/{id} */
int api_orgs_get(struct http_req *r)
{
    int64_t id;
    struct db *db = api_db(r);
    if (!db || !api_id_param(r, 0, &id))
        return 0;
    json_t *org = NULL;
    int rc = org_get(db, &r->user.scope, id, &org);
    if (rc) {
        api_fail(r, rc, NULL, NULL);
        return 0;
    }
    reply_org(r, db, 200, org, true, false);
    json_decref(org);
    return 0;
}

/* Checks a complete record: self-contained rules, then references. Replies 422 and
 * returns false on the first problem. Canonicalises region aliases in place. */
bool api_org_validate(struct http_req *r, struct db *db, json_t *o)
{
    struct org_problem p;
    if (!org_check(o, &p)) {
        http_reply_error(r, 422, p.code, p.field);
        return false;
    }
    char region[7];
    if (!api_region(r, db, "region_code", api_str(o, "region_code"), region))
        return false;
    json_object_set_new(o, "region_code", json_string(region));
    if (!auth_region_in_scope(&r->user, region)) {
        http_reply_error(r, 422, "region_out_of_scope", "region_code");
        return false;
    }
    int64_t local = 0; /* organisations sit in a prefecture or a county */
    if (db_scalar(db_query(db,
                           "SELECT count(*) FROM regions WHERE code=? AND level IN "
                           "('prefecture','county')",
                           "s", region),
                  &local) != 0 ||
        !local) {
        http_reply_error(r, 422, "invalid_region", "region_code");
        return false;
    }
    const char *ind = api_str(o, "industry_code");
    if (ind && *ind && !org_industry_exists(db, ind)) {
        http_reply_error(r, 422, "invalid_value", "industry_code");
        return false;
    }
    json_t *chains = json_object_get(o, "chains");
    if (chains && !org_chains_exist(db, chains)) {
        http_reply_error(r, 422, "invalid_value", "chains");
        return false;
    }
    return true;
}

/* Removes the read-only members of a loaded record so it can be re-validated. */
static void strip_readonly(json_t *o)
{
    static const char *ro[] = {"id",         "region_name", "industry_name", "created_at",
                               "updated_at", "name_history", NULL};
    for (const char **k = ro; *k; k++)
        json_object_del(o, *k);
}

/* POST /api/v1/orgs */
int api_orgs_create(struct http_req *r)
{
    struct db *db = api_db(r);
    if (!db)
        return 0;
    if (r->user.role->scope == SCOPE_ORG) {
        /* Organisation-bound roles edit their own record; they do not create others. */
        http_reply_error(r, 403, "forbidden", NULL);
        return 0;
    }
    json_t *o = api_body(r, org_fields, true);
    if (!o)
        return 0;
    json_t *after = NULL;
    int64_t id = 0;
    if (!api_org_validate(r, db, o))
        goto out;
    int rc = db_begin(db);
    if (!rc)
        rc = org_insert(db, o, &id);
    if (!rc)
        rc = org_get(db, &r->user.scope, id, &after);
    if (!rc) {
        struct audit_ctx ctx = api_audit_ctx(r);
        rc = audit_write(db, &ctx, "create", "org", id, NULL, after);
    }
    if (!rc)
        rc = db_commit(db);
    else
        db_rollback(db);
    if (rc) {
        api_fail(r, rc, rc == KC_ERR_CONFLICT ? "conflict" : NULL, "uscc");
        goto out;
    }
    reply_org(r, db, 201, after, false, org_uscc_warning(api_str(after, "uscc")));
out:
    json_decref(after);
    json_decref(o);
    return 0;
}

/* PATCH /api/v1/orgs/{id} */
int api_orgs_patch(struct http_req *r)
{
    int64_t id;
    struct db *db = api_db(r);
    if (!db || !api_id_param(r, 0, &id))
        return 0;
    json_t *patch = api_body(r, org_fields, false);
    if (!patch)
        return 0;
    json_t *before = NULL, *merged = NULL, *after = NULL;
    int rc = db_begin(db);
    if (!rc)
        rc = org_get(db, &r->user.scope, id, &before);
    if (rc) {
        db_rollback(db);
        api_fail(r, rc, NULL, NULL);
        goto out;
    }
    merged = json_deep_copy(before);
    strip_readonly(merged);
    json_object_update(merged, patch);
    if (!api_org_validate(r, db, merged)) {
        db_rollback(db);
        goto out;
    }
    rc = org_update(db, id, merged, api_str(before, "name"), r->user.id);
    if (!rc)
        rc = org_get(db, &r->user.scope, id, &after);
    if (rc == KC_ERR_NOT_FOUND) {
        /* The edit moved the record out of the editor's own scope. */
        rc = KC_ERR_INVALID;
    }
    if (!rc) {
        struct audit_ctx ctx = api_audit_ctx(r);
        rc = audit_write(db, &ctx, "update", "org", id, before, after);
    }
    if (!rc)
        rc = db_commit(db);
    else
        db_rollback(db);
    if (rc) {
        api_fail(r, rc, rc == KC_ERR_CONFLICT ? "conflict" : NULL, "uscc");
        goto out;
    }
    reply_org(r, db, 200, after, false, org_uscc_warning(api_str(after, "uscc")));
out:
    json_decref(before);
    json_decref(merged);
    json_decref(after);
    json_decref(patch);
    return 0;
}
