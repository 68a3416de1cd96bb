/* roadshows.c (api) — /api/v1/roadshows: roadshows (成果推介会) with their showcased
 * achievements and attendees. */
#include "api/api.h"
#include "api/deals_util.h"
#include "api/handlers_deals.h"
#include "db/db.h"
#include "store/roadshow.h"

#include <stdlib.h>
#include <string.h>

static const struct field_spec roadshow_fields[] = {
    {"title", FT_STR, true, 200},
    {"held_on", FT_STR, true, 10},
    {"chain", FT_STR_NULL, false, 32},
    {"region_code", FT_STR, true, 6},
    {"venue", FT_STR_NULL, false, 200},
    {"description", FT_STR_NULL, false, 2000},
    {"achievement_ids", FT_INT_LIST, false, 0},
    {"attendee_org_ids", FT_INT_LIST, false, 0},
    {NULL, 0, 0, 0},
};

static const char *const roadshow_sorts[] = {"held_on", "title", "id", "created_at", NULL};

/* GET /api/v1/roadshows */
int api_roadshows_list(struct http_req *r)
{
    struct db *db = api_db(r);
    struct roadshow_filter f = {0};
    int64_t page, size, total;
    const char *col;
    bool desc;
    f.q = api_qparam(r, "q");
    f.chain = api_qparam(r, "chain");
    if (!db || !api_region_param(r, &f.region) || !deals_qdate(r, "from", &f.from) ||
        !deals_qdate(r, "to", &f.to) || !api_paging(r, &page, &size) ||
        !api_sort(r, roadshow_sorts, "-held_on", &col, &desc))
        return 0;
    int rc = roadshow_count(db, &r->user.scope, &f, &total);
    api_reply_rows(r,
                   rc ? NULL
                      : roadshow_list(db, &r->user.scope, &f, col, desc, size, (page - 1) * size),
                   total, page, size);
    return 0;
}

/* Writes o as the reply. */
static void reply_json(struct http_req *r, int status, json_t *o)
{
    char *text = json_dumps(o, JSON_COMPACT);
    struct buf out = {0};
    buf_puts(&out, text);
    free(text);
    http_reply_json(r, status, &out);
}

/* GET /api/v1/roadshows/{id} */
int api_roadshows_get(struct http_req *r)
{
    int64_t id;
    struct db *db = api_db(r);
    if (!db || !api_id_param(r, 0, &id))
        return 0;
    json_t *o = NULL;
    int rc = roadshow_get(db, &r->user.scope, id, &o);
    if (rc) {
        api_fail(r, rc, NULL, NULL);
        return 0;
    }
    reply_json(r, 200, o);
    json_decref(o);
    return 0;
}

/* True when every id of the array member key exists in table; otherwise replies 422
 * naming key (with the index) and returns false. */
static bool ids_exist(struct http_req *r, struct db *db, json_t *o, const char *key,
                      const char *sql)
{
    size_t i;
    json_t *v;
    json_array_foreach(json_object_get(o, key), i, v)
    {
        int64_t n = 0;
        if (db_scalar(db_query(db, sql, "i", json_integer_value(v)), &n) != 0 || n == 0) {
            http_reply_error(r, 422, "not_found_ref",
                             arena_printf(&r->arena, "%s[%zu]", key, i));
            return false;
        }
    }
    return true;
}

/* Checks a complete record (canonicalises the region code). Replies 422 and returns false
 * on the first problem. */
static bool validate(struct http_req *r, struct db *db, json_t *o)
{
    if (!deals_valid_date(api_str(o, "held_on"))) {
        http_reply_error(r, 422, "invalid_date", "held_on");
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
    const char *chain = api_str(o, "chain");
    int64_t n = 0;
    if (chain &&
        (db_scalar(db_query(db, "SELECT count(*) FROM chains WHERE code = ?", "s", chain), &n) !=
             0 ||
         n == 0)) {
        http_reply_error(r, 422, "invalid_value", "chain");
        return false;
    }
    return ids_exist(r, db, o, "achievement_ids",
                     "SELECT count(*) FROM achievements WHERE id = ?") &&
           ids_exist(r, db, o, "attendee_org_ids", "SELECT count(*) FROM orgs WHERE id = ?");
}

/* POST /api/v1/roadshows */
int api_roadshows_create(struct http_req *r)
{
    struct db *db = api_db(r);
    if (!db)
        return 0;
    json_t *o = api_body(r, roadshow_fields, true);
    if (!o)
        return 0;
    json_t *after = NULL;
    int64_t id = 0;
    int rc = db_begin(db);
    if (rc) {
        api_fail(r, rc, NULL, NULL);
        goto out;
    }
    if (!validate(r, db, o)) {
        db_rollback(db);
        goto out;
    }
    rc = roadshow_insert(db, o, r->user.id, &id);
    if (!rc)
        rc = roadshow_get(db, &r->user.scope, id, &after);
    if (!rc) {
        struct audit_ctx ctx = api_audit_ctx(r);
        rc = audit_write(db, &ctx, "create", "roadshow", id, NULL, after);
    }
    if (!rc)
        rc = db_commit(db);
    else
        db_rollback(db);
    if (rc) {
        api_fail(r, rc, NULL, NULL);
        goto out;
    }
    reply_json(r, 201, after);
out:
    json_decref(after);
    json_decref(o);
    return 0;
}

/* The editable form of a loaded roadshow: the API input members, lists as id arrays. */
static json_t *editable(json_t *loaded)
{
    json_t *o = json_object();
    static const char *keys[] = {"title", "held_on", "chain", "region_code", "venue",
                                 "description", NULL};
    for (const char **k = keys; *k; k++)
        json_object_set(o, *k, json_object_get(loaded, *k));
    json_t *ach = json_array(), *att = json_array();
    size_t i;
    json_t *v;
    json_array_foreach(json_object_get(loaded, "achievements"), i, v)
        json_array_append(ach, json_object_get(v, "id"));
    json_array_foreach(json_object_get(loaded, "attendees"), i, v)
        json_array_append(att, json_object_get(v, "id"));
    json_object_set_new(o, "achievement_ids", ach);
    json_object_set_new(o, "attendee_org_ids", att);
    return o;
}

/* PATCH /api/v1/roadshows/{id} (lists given are replaced whole) */
int api_roadshows_patch(struct http_req *r)
{
    int64_t id;
    struct db *db = api_db(r);
    if (!db || !api_id_param(r, 0, &id))
        return 0;
    json_t *patch = api_body(r, roadshow_fields, false);
    if (!patch)
        return 0;
    json_t *before = NULL, *merged = NULL, *after = NULL;
    int rc = db_begin(db);
    if (!rc)
        rc = roadshow_get(db, &r->user.scope, id, &before);
    if (rc) {
        db_rollback(db);
        api_fail(r, rc, NULL, NULL);
        goto out;
    }
    merged = editable(before);
    json_object_update(merged, patch);
    if (!validate(r, db, merged)) {
        db_rollback(db);
        goto out;
    }
    rc = roadshow_update(db, id, merged, r->user.id);
    if (!rc)
        rc = roadshow_get(db, &r->user.scope, id, &after);
    if (!rc) {
        struct audit_ctx ctx = api_audit_ctx(r);
        rc = audit_write(db, &ctx, "update", "roadshow", id, before, after);
    }
    if (!rc)
        rc = db_commit(db);
    else
        db_rollback(db);
    if (rc) {
        api_fail(r, rc, NULL, NULL);
        goto out;
    }
    reply_json(r, 200, after);
out:
    json_decref(before);
    json_decref(merged);
    json_decref(after);
    json_decref(patch);
    return 0;
}

/* DELETE /api/v1/roadshows/{id} */
int api_roadshows_delete(struct http_req *r)
{
    int64_t id;
    struct db *db = api_db(r);
    if (!db || !api_id_param(r, 0, &id))
        return 0;
    json_t *before = NULL;
    int rc = db_begin(db);
    if (!rc)
        rc = roadshow_get(db, &r->user.scope, id, &before);
    if (!rc)
        rc = roadshow_delete(db, id);
    if (!rc) {
        struct audit_ctx ctx = api_audit_ctx(r);
        rc = audit_write(db, &ctx, "delete", "roadshow", id, before, NULL);
    }
    if (!rc)
        rc = db_commit(db);
    else
        db_rollback(db);
    json_decref(before);
    if (rc) {
        api_fail(r, rc, rc == KC_ERR_CONFLICT ? "in_use_roadshow" : NULL, NULL);
        return 0;
    }
    struct buf out = {0};
    buf_puts(&out, "{\"deleted\":true}");
    http_reply_json(r, 200, &out);
    return 0;
}
