/* region.c (api) — the region tree and the dictionaries (industries, strategic emerging
 * industries, organisation kinds, roles, industry chains). */
#include "api/api.h"
#include "api/handlers.h"
#include "core/timeutil.h"
#include "db/db.h"
#include "domain/org.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Writes the children of parent (recursively) as an array. */
static void write_children(struct db *db, struct jw *w, const char *parent, int depth)
{
    jw_arr_open(w);
    /* Collect first: the cached statement is reused by the recursion. */
    struct row {
        char code[8], name[64], level[16];
    } rows[128];
    int n = 0;
    struct db_stmt *st = db_query(db,
                                  "SELECT code, name, level FROM regions WHERE parent_code=? "
                                  "ORDER BY code",
                                  "s", parent);
    while (st && n < 128 && db_step(st) == DB_ROW) {
        snprintf(rows[n].code, sizeof(rows[n].code), "%s", db_col_text(st, 0));
        snprintf(rows[n].name, sizeof(rows[n].name), "%s", db_col_text(st, 1));
        snprintf(rows[n].level, sizeof(rows[n].level), "%s", db_col_text(st, 2));
        n++;
    }
    if (st)
        db_done(st);
    for (int i = 0; i < n; i++) {
        jw_obj_open(w);
        jw_kstr(w, "code", rows[i].code);
        jw_kstr(w, "name", rows[i].name);
        jw_kstr(w, "level", rows[i].level);
        jw_kstr(w, "parent_code", parent);
        if (depth > 0) {
            jw_key(w, "children");
            write_children(db, w, rows[i].code, depth - 1);
        }
        jw_obj_close(w);
    }
    jw_arr_close(w);
}

/* GET /api/v1/regions — the whole tree below the country root. */
int api_regions_tree(struct http_req *r)
{
    struct db *db = api_db(r);
    if (!db)
        return 0;
    struct buf out = {0};
    struct jw w;
    jw_init(&w, &out);
    jw_obj_open(&w);
    jw_key(&w, "items");
    write_children(db, &w, "000000", 3);
    jw_obj_close(&w);
    http_reply_json(r, 200, &out);
    return 0;
}

/* GET /api/v1/regions/{code} — one region, its children and aliases; an old code
 * answers its successor. */
int api_regions_get(struct http_req *r)
{
    struct db *db = api_db(r);
    if (!db)
        return 0;
    const char *code = r->params[0];
    struct db_stmt *st = db_query(db,
                                  "SELECT code, name, level, parent_code FROM regions WHERE "
                                  "code = coalesce((SELECT new_code FROM region_aliases WHERE "
                                  "old_code=?), ?)",
                                  "ss", code, code);
    if (!st || db_step(st) != DB_ROW) {
        if (st)
            db_done(st);
        http_reply_error(r, 404, "not_found", NULL);
        return 0;
    }
    char canon[8], name[64], level[16], parent[8];
    snprintf(canon, sizeof(canon), "%s", db_col_text(st, 0));
    snprintf(name, sizeof(name), "%s", db_col_text(st, 1));
    snprintf(level, sizeof(level), "%s", db_col_text(st, 2));
    const char *p = db_col_text(st, 3);
    snprintf(parent, sizeof(parent), "%s", p ? p : "");
    db_done(st);
    struct buf out = {0};
    struct jw w;
    jw_init(&w, &out);
    jw_obj_open(&w);
    jw_kstr(&w, "code", canon);
    jw_kstr(&w, "name", name);
    jw_kstr(&w, "level", level);
    jw_kstr(&w, "parent_code", parent[0] ? parent : NULL);
    jw_key(&w, "children");
    write_children(db, &w, canon, 0);
    jw_key(&w, "aliases");
    jw_arr_open(&w);
    st = db_query(db, "SELECT old_code, old_name FROM region_aliases WHERE new_code=?", "s",
                  canon);
    while (st && db_step(st) == DB_ROW)
        jw_str(&w, db_col_text(st, 0));
    if (st)
        db_done(st);
    jw_arr_close(&w);
    jw_obj_close(&w);
    http_reply_json(r, 200, &out);
    return 0;
}

/* GET /api/v1/dicts/{name} */
int api_dicts_get(struct http_req *r)
{
    struct db *db = api_db(r);
    if (!db)
        return 0;
    const char *name = r->params[0];
    struct buf out = {0};
    struct jw w;
    jw_init(&w, &out);
    jw_obj_open(&w);
    jw_key(&w, "items");
    jw_arr_open(&w);
    if (strcmp(name, "industries") == 0) {
        json_t *sections = json_array();
        struct db_stmt *st = db_prep(db, "SELECT code, name, parent FROM industries "
                                         "ORDER BY coalesce(parent, code), parent IS NOT NULL, "
                                         "code");
        json_t *cur = NULL;
        while (st && db_step(st) == DB_ROW) {
            const char *parent = db_col_text(st, 2);
            json_t *e = json_pack("{s:s,s:s}", "code", db_col_text(st, 0), "name",
                                  db_col_text(st, 1));
            if (!parent) {
                json_object_set_new(e, "divisions", json_array());
                json_array_append_new(sections, e);
                cur = e;
            } else if (cur) {
                json_array_append_new(json_object_get(cur, "divisions"), e);
            } else {
                json_decref(e);
            }
        }
        if (st)
            db_done(st);
        size_t i;
        json_t *e;
        json_array_foreach(sections, i, e)
        {
            char *t = json_dumps(e, JSON_COMPACT);
            jw_raw(&w, t, strlen(t));
            free(t);
        }
        json_decref(sections);
    } else if (strcmp(name, "sei") == 0) {
        struct db_stmt *st =
            db_prep(db, "SELECT code, name, name_en FROM sei ORDER BY CAST(code AS INTEGER)");
        while (st && db_step(st) == DB_ROW)
            db_row_jw(st, &w);
        if (st)
            db_done(st);
    } else if (strcmp(name, "org_kinds") == 0) {
        for (const struct org_kind *k = org_kinds; k->code; k++) {
            jw_obj_open(&w);
            jw_kstr(&w, "code", k->code);
            jw_kstr(&w, "name", k->name_zh);
            jw_kstr(&w, "name_en", k->name_en);
            jw_obj_close(&w);
        }
    } else if (strcmp(name, "roles") == 0) {
        for (const struct role *ro = auth_roles; ro->code; ro++) {
            jw_obj_open(&w);
            jw_kstr(&w, "code", ro->code);
            jw_kstr(&w, "name", ro->name_zh);
            jw_kstr(&w, "name_en", ro->name_en);
            jw_obj_close(&w);
        }
    } else {
        buf_free(&out);
        http_reply_error(r, 404, "not_found", NULL);
        return 0;
    }
    jw_arr_close(&w);
    jw_obj_close(&w);
    http_reply_json(r, 200, &out);
    return 0;
}

#define CHAIN_SELECT                                                                            \
    "SELECT c.id, c.region_code, r.name AS region_name, c.code, c.name, c.group_name, c.sort "  \
    "FROM chains c LEFT JOIN regions r ON r.code = c.region_code "

/* Prepares the chain list of ?region_code= (that region, its descendants and its
 * ancestors: a county sees its city's chains and its own). Replies 422 and returns NULL
 * for a malformed code; *failed tells the two NULL cases apart. */
static struct db_stmt *chains_query(struct http_req *r, struct db *db, bool *failed)
{
    struct scope s;
    *failed = !api_region_param(r, &s);
    if (*failed)
        return NULL;
    const char *region = api_qparam(r, "region_code");
    char city[7] = "", prov[7] = "";
    if (region) {
        snprintf(city, sizeof(city), "%.4s00", region);
        snprintf(prov, sizeof(prov), "%.2s0000", region);
    }
    return db_query(db,
                    CHAIN_SELECT "WHERE (c.region_code >= ? AND c.region_code < ?) "
                                 "OR c.region_code IN (?, ?) ORDER BY c.region_code, c.sort, c.id",
                    "ssss", s.lo, s.hi, city, prov);
}

/* GET /api/v1/chains?region_code= */
int api_chains_list(struct http_req *r)
{
    struct db *db = api_db(r);
    bool failed;
    struct db_stmt *st = db ? chains_query(r, db, &failed) : NULL;
    if (!db || failed)
        return 0;
    int64_t n = 0;
    if (!st) {
        api_fail(r, KC_ERR_DB, NULL, NULL);
        return 0;
    }
    /* The whole list fits one page: count while streaming. */
    struct buf out = {0};
    struct jw w;
    api_list_begin(&w, &out);
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        db_row_jw(st, &w);
        n++;
    }
    db_done(st);
    if (rc < 0) {
        buf_free(&out);
        api_fail(r, rc, NULL, NULL);
        return 0;
    }
    api_list_end(r, &w, &out, n, 1, n);
    return 0;
}

/* GET /api/v1/chains/export */
int api_chains_export(struct http_req *r)
{
    static const char *const cols[] = {"region_code", "行政区划代码", "Region code",
                                       "region_name", "行政区划",     "Region",
                                       "code",        "产业链编码",   "Chain code",
                                       "name",        "产业链名称",   "Chain name",
                                       "group_name",  "分组",         "Group",
                                       "sort",        "排序",         "Order",
                                       NULL};
    struct db *db = api_db(r);
    bool failed;
    struct db_stmt *st = db ? chains_query(r, db, &failed) : NULL;
    if (!db || failed)
        return 0;
    if (!st) {
        api_fail(r, KC_ERR_DB, NULL, NULL);
        return 0;
    }
    api_export_xlsx(r, st, cols, "产业链", "Industry chains", "chains.xlsx");
    return 0;
}

static const struct field_spec chain_fields[] = {
    {"region_code", FT_STR, true, 6},     {"code", FT_STR, true, 32},
    {"name", FT_STR, true, 50},           {"group_name", FT_STR_NULL, false, 50},
    {"sort", FT_INT, false, 0},           {NULL, 0, 0, 0}};

/* Loads one chain as JSON (NULL when absent or outside the caller's region). */
static json_t *chain_get(struct http_req *r, struct db *db, int64_t id)
{
    json_t *o = NULL;
    struct db_stmt *st = db_query(db, CHAIN_SELECT "WHERE c.id=? AND c.region_code >= ? AND "
                                                   "c.region_code < ?",
                                  "iss", id, r->user.scope.lo, r->user.scope.hi);
    if (st && db_step(st) == DB_ROW)
        o = db_row_json(st);
    if (st)
        db_done(st);
    return o;
}

/* Runs a chain write (sql bound by types) with its audit entry, then replies. */
static void chain_write(struct http_req *r, struct db *db, int status, const char *action,
                        int64_t id, json_t *before, const char *sql, json_t *in)
{
    int64_t now = time_now();
    json_t *sort = json_object_get(in, "sort");
    int64_t sortv = json_is_integer(sort) ? json_integer_value(sort) : 0;
    int rc = db_begin(db);
    if (!rc) {
        if (!id)
            rc = db_run(db_query(db, sql, "ssssiii", api_str(in, "region_code"),
                                 api_str(in, "code"), api_str(in, "name"),
                                 api_str(in, "group_name"), sortv, now, now));
        else
            rc = db_run(db_query(db, sql, "ssiii", api_str(in, "name"),
                                 api_str(in, "group_name"), sortv, now, id));
    }
    if (!rc && !id)
        id = db_last_id(db);
    json_t *after = rc ? NULL : chain_get(r, db, id);
    if (!rc) {
        struct audit_ctx ctx = api_audit_ctx(r);
        rc = audit_write(db, &ctx, action, "chain", id, before, after);
    }
    if (!rc)
        rc = db_commit(db);
    else
        db_rollback(db);
    if (rc) {
        api_fail(r, rc, rc == KC_ERR_CONFLICT ? "conflict" : NULL, "code");
    } else {
        char *t = json_dumps(after, JSON_COMPACT);
        struct buf out = {0};
        buf_puts(&out, t);
        free(t);
        http_reply_json(r, status, &out);
    }
    json_decref(after);
}

/* POST /api/v1/chains */
int api_chains_create(struct http_req *r)
{
    struct db *db = api_db(r);
    if (!db)
        return 0;
    json_t *in = api_body(r, chain_fields, true);
    if (!in)
        return 0;
    char region[7];
    if (api_region(r, db, "region_code", api_str(in, "region_code"), region)) {
        json_object_set_new(in, "region_code", json_string(region));
        if (!auth_region_in_scope(&r->user, region))
            http_reply_error(r, 422, "region_out_of_scope", "region_code");
        else
            chain_write(r, db, 201, "create", 0, NULL,
                        "INSERT INTO chains(region_code,code,name,group_name,sort,created_at,"
                        "updated_at) VALUES(?,?,?,?,?,?,?)",
                        in);
    }
    json_decref(in);
    return 0;
}

/* PATCH /api/v1/chains/{id} — name, group and order; the code and region stay. */
int api_chains_patch(struct http_req *r)
{
    static const struct field_spec spec[] = {{"name", FT_STR, true, 50},
                                             {"group_name", FT_STR_NULL, false, 50},
                                             {"sort", FT_INT, false, 0},
                                             {NULL, 0, 0, 0}};
    int64_t id;
    struct db *db = api_db(r);
    if (!db || !api_id_param(r, 0, &id))
        return 0;
    json_t *in = api_body(r, spec, false);
    if (!in)
        return 0;
    json_t *before = chain_get(r, db, id);
    if (!before) {
        http_reply_error(r, 404, "not_found", NULL);
    } else {
        json_t *merged = json_deep_copy(before);
        json_object_update(merged, in);
        chain_write(r, db, 200, "update", id, before,
                    "UPDATE chains SET name=?, group_name=?, sort=?, updated_at=? WHERE id=?",
                    merged);
        json_decref(merged);
    }
    json_decref(before);
    json_decref(in);
    return 0;
}

/* DELETE /api/v1/chains/{id} — refused (409) while an organisation still uses it. */
int api_chains_delete(struct http_req *r)
{
    int64_t id;
    struct db *db = api_db(r);
    if (!db || !api_id_param(r, 0, &id))
        return 0;
    json_t *before = chain_get(r, db, id);
    if (!before) {
        http_reply_error(r, 404, "not_found", NULL);
        return 0;
    }
    int64_t used = 0;
    int rc = db_begin(db);
    if (!rc)
        rc = db_scalar(db_query(db,
                                "SELECT count(*) FROM orgs WHERE EXISTS (SELECT 1 FROM "
                                "json_each(orgs.chains) WHERE value = ?)",
                                "s", api_str(before, "code")),
                       &used);
    if (!rc && used)
        rc = KC_ERR_CONFLICT;
    if (!rc)
        rc = db_run(db_query(db, "DELETE FROM chains WHERE id=?", "i", id));
    if (!rc) {
        struct audit_ctx ctx = api_audit_ctx(r);
        rc = audit_write(db, &ctx, "delete", "chain", id, before, NULL);
    }
    if (!rc)
        rc = db_commit(db);
    else
        db_rollback(db);
    json_decref(before);
    if (rc) {
        api_fail(r, rc, rc == KC_ERR_CONFLICT ? "in_use" : NULL, NULL);
        return 0;
    }
    struct buf out = {0};
    buf_puts(&out, "{\"ok\":true}");
    http_reply_json(r, 200, &out);
    return 0;
}
