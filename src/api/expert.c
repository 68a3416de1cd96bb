/* expert.c (api) — /api/v1/experts: the expert pool (rules in store/expert.h). */
#include "api/handlers_market.h"
#include "api/market_common.h"
#include "db/db.h"
#include "search/market.h"
#include "store/expert.h"

#include <stdio.h>
#include <string.h>

/* clang-format off */
static const struct field_spec expert_fields[] = {
    {"name", FT_STR, true, 50},
    {"title", FT_STR_NULL, false, 50},
    {"org_id", FT_INT_NULL, false, 0},
    {"affiliation", FT_STR_NULL, false, 100},
    {"region_code", FT_STR_NULL, false, 6},
    {"fields", FT_STR_LIST, false, 50},
    {"keywords", FT_STR_LIST, false, 100},
    {"bio", FT_STR_NULL, false, 5000},
    {"email", FT_STR_NULL, false, 100},
    {"phone", FT_STR_NULL, false, 50},
    {NULL, 0, 0, 0},
};
/* clang-format on */

static const char *const readonly[] = {"id",         "org_name", "region_name", "created_at",
                                       "updated_at", "can_edit", NULL};

static const char *const expert_sorts[] = {"id",         "name",        "created_at",
                                           "updated_at", "region_code", NULL};

/* Reads the list filters; replies 422 and returns false when one is malformed. */
static bool read_filter(struct http_req *r, struct expert_filter *f)
{
    memset(f, 0, sizeof(*f));
    f->q = api_qparam(r, "q");
    f->field = api_qparam(r, "field");
    int64_t org;
    if (!mk_int_param(r, "org_id", 1, INT64_MAX, 0, &org) || !api_region_param(r, &f->region))
        return false;
    f->org_id = org;
    return true;
}

/* GET /api/v1/experts */
int api_experts_list(struct http_req *r)
{
    struct db *db = api_db(r);
    struct expert_filter f;
    int64_t page, size, total;
    const char *col;
    bool desc;
    if (!db || !read_filter(r, &f) || !api_paging(r, &page, &size) ||
        !api_sort(r, expert_sorts, "id", &col, &desc))
        return 0;
    int rc = expert_count(db, &f, &total);
    api_reply_rows(r, rc ? NULL : expert_list(db, &r->user, &f, col, desc, size, (page - 1) * size),
                   total, page, size);
    return 0;
}

/* Replies with an expert and whether the caller may edit it. */
static void reply_expert(struct http_req *r, int status, json_t *e)
{
    json_t *org = json_object_get(e, "org_id");
    json_object_set_new(
        e, "can_edit",
        json_boolean(expert_writable(&r->user, json_is_integer(org) ? json_integer_value(org) : 0,
                                     api_str(e, "region_code"))));
    struct buf out = {0};
    struct jw w;
    jw_init(&w, &out);
    mk_write_json(&w, NULL, e);
    http_reply_json(r, status, &out);
}

/* GET /api/v1/experts/{id} */
int api_experts_get(struct http_req *r)
{
    int64_t id;
    struct db *db = api_db(r);
    if (!db || !api_id_param(r, 0, &id))
        return 0;
    json_t *e = NULL;
    int rc = expert_get(db, &r->user, id, &e);
    if (rc) {
        api_fail(r, rc, NULL, NULL);
        return 0;
    }
    reply_expert(r, 200, e);
    json_decref(e);
    return 0;
}

/* Checks a complete record: rules, the affiliation organisation (its region becomes
 * the expert's when none is given), the region. Replies 422 and returns false. */
static bool validate(struct http_req *r, struct db *db, json_t *e)
{
    struct market_problem p;
    if (!market_expert_check(e, &p)) {
        mk_problem(r, &p);
        return false;
    }
    char org_region[7];
    if (!mk_resolve_org(r, db, e, "org_id", false, org_region))
        return false;
    const char *rc = api_str(e, "region_code");
    char region[7];
    if (!rc && !org_region[0]) {
        http_reply_error(r, 422, "required", "region_code");
        return false;
    }
    if (rc) {
        if (!api_region(r, db, "region_code", rc, region))
            return false;
    } else {
        snprintf(region, sizeof(region), "%s", org_region);
    }
    if (r->user.role->scope == SCOPE_REGION && !auth_region_in_scope(&r->user, region)) {
        http_reply_error(r, 422, "region_out_of_scope", "region_code");
        return false;
    }
    json_object_set_new(e, "region_code", json_string(region));
    return true;
}

/* POST /api/v1/experts */
int api_experts_create(struct http_req *r)
{
    struct db *db = api_db(r);
    if (!db)
        return 0;
    json_t *e = api_body(r, expert_fields, true);
    if (!e)
        return 0;
    json_t *after = NULL;
    int64_t id = 0;
    if (!validate(r, db, e))
        goto out;
    json_t *org = json_object_get(e, "org_id");
    if (!expert_writable(&r->user, json_is_integer(org) ? json_integer_value(org) : 0,
                         api_str(e, "region_code"))) {
        http_reply_error(r, 403, "forbidden", NULL);
        goto out;
    }
    int rc = db_begin(db);
    if (!rc)
        rc = expert_insert(db, e, r->user.id, &id);
    if (!rc)
        rc = expert_get(db, &r->user, id, &after);
    if (!rc) {
        struct audit_ctx ctx = api_audit_ctx(r);
        rc = audit_write(db, &ctx, "create", "expert", id, NULL, after);
    }
    if (!rc)
        rc = db_commit(db);
    else
        db_rollback(db);
    if (rc) {
        api_fail(r, rc, NULL, NULL);
        goto out;
    }
    market_index_touch(MC_EXPERT, db, &id, 1);
    reply_expert(r, 201, after);
out:
    json_decref(after);
    json_decref(e);
    return 0;
}

/* Loads expert id for writing in the open transaction (404 / 403 replied, rolled back). */
static json_t *load_for_write(struct http_req *r, struct db *db, int64_t id)
{
    json_t *before = NULL;
    int rc = expert_get(db, &r->user, id, &before);
    if (rc) {
        db_rollback(db);
        api_fail(r, rc, NULL, NULL);
        return NULL;
    }
    json_t *org = json_object_get(before, "org_id");
    if (!expert_writable(&r->user, json_is_integer(org) ? json_integer_value(org) : 0,
                         api_str(before, "region_code"))) {
        db_rollback(db);
        json_decref(before);
        http_reply_error(r, 403, "forbidden", NULL);
        return NULL;
    }
    return before;
}

/* PATCH /api/v1/experts/{id} */
int api_experts_patch(struct http_req *r)
{
    int64_t id;
    struct db *db = api_db(r);
    if (!db || !api_id_param(r, 0, &id))
        return 0;
    json_t *patch = api_body(r, expert_fields, false);
    if (!patch)
        return 0;
    json_t *before = NULL, *merged = NULL, *after = NULL;
    if (db_begin(db) != 0) {
        api_fail(r, KC_ERR_DB, NULL, NULL);
        goto out;
    }
    before = load_for_write(r, db, id);
    if (!before)
        goto out;
    merged = json_deep_copy(before);
    mk_strip(merged, readonly);
    json_object_update(merged, patch);
    if (!validate(r, db, merged)) {
        db_rollback(db);
        goto out;
    }
    int rc = expert_update(db, id, merged, r->user.id);
    if (!rc)
        rc = expert_get(db, &r->user, id, &after);
    if (!rc) {
        struct audit_ctx ctx = api_audit_ctx(r);
        rc = audit_write(db, &ctx, "update", "expert", id, before, after);
    }
    if (!rc)
        rc = db_commit(db);
    else
        db_rollback(db);
    if (rc) {
        api_fail(r, rc, NULL, NULL);
        goto out;
    }
    market_index_touch(MC_EXPERT, db, &id, 1);
    reply_expert(r, 200, after);
out:
    json_decref(before);
    json_decref(merged);
    json_decref(after);
    json_decref(patch);
    return 0;
}

/* DELETE /api/v1/experts/{id} */
int api_experts_delete(struct http_req *r)
{
    int64_t id;
    struct db *db = api_db(r);
    if (!db || !api_id_param(r, 0, &id))
        return 0;
    if (db_begin(db) != 0) {
        api_fail(r, KC_ERR_DB, NULL, NULL);
        return 0;
    }
    json_t *before = load_for_write(r, db, id);
    if (!before)
        return 0;
    int rc = expert_delete(db, id);
    if (!rc) {
        struct audit_ctx ctx = api_audit_ctx(r);
        rc = audit_write(db, &ctx, "delete", "expert", id, before, NULL);
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
    market_index_touch(MC_EXPERT, db, &id, 1);
    struct buf out = {0};
    buf_puts(&out, "{\"deleted\":true}");
    http_reply_json(r, 200, &out);
    return 0;
}

/* GET /api/v1/public/market/dicts: the market's code lists (for forms and filters). */
int api_pub_market_dicts(struct http_req *r)
{
    static const struct {
        const char *key;         /* member name */
        const char *const *list; /* codes */
    } lists[] = {
        {"achievement_kinds", market_ach_kinds},     {"transfer_modes", market_transfer_modes},
        {"coop_modes", market_coop_modes},           {"fields", market_fields},
        {"confidentiality", market_confidentiality}, {"demand_status", market_demand_status},
        {"achievement_status", market_ach_status},
    };
    struct buf out = {0};
    struct jw w;
    jw_init(&w, &out);
    jw_obj_open(&w);
    for (size_t i = 0; i < sizeof(lists) / sizeof(lists[0]); i++) {
        jw_key(&w, lists[i].key);
        jw_arr_open(&w);
        for (const char *const *c = lists[i].list; *c; c++)
            jw_str(&w, *c);
        jw_arr_close(&w);
    }
    jw_key(&w, "signals");
    jw_arr_open(&w);
    for (int s = 0; s < SIG_N; s++) {
        jw_obj_open(&w);
        jw_kstr(&w, "code", market_signal_names[s]);
        jw_key(&w, "weight");
        jw_double(&w, market_signal_weights[s]);
        jw_obj_close(&w);
    }
    jw_arr_close(&w);
    jw_obj_close(&w);
    http_reply_json(r, 200, &out);
    return 0;
}
