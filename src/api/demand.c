/* demand.c (api) — /api/v1/demands and /api/v1/public/demands: technology demands with
 * the quality gate and the life cycle (rules in domain/market.h, visibility in
 * store/demand.h). */
#include "api/handlers_market.h"
#include "api/market_common.h"
#include "db/db.h"
#include "search/market.h"
#include "store/achievement.h"
#include "store/demand.h"

#include <stdlib.h>
#include <string.h>

/* clang-format off */
static const struct field_spec demand_fields[] = {
    {"org_id", FT_INT_NULL, false, 0},
    {"title", FT_STR, true, 200},
    {"problem", FT_STR_NULL, false, 5000},
    {"existing", FT_STR_NULL, false, 2000},
    {"keywords", FT_STR_LIST, false, 50},
    {"indicators", FT_ARRAY, false, 0},
    {"budget_min_fen", FT_INT_NULL, false, 0},
    {"budget_max_fen", FT_INT_NULL, false, 0},
    {"deadline", FT_STR_NULL, false, 10},
    {"coop_modes", FT_STR_LIST, false, 10},
    {"chain", FT_STR_NULL, false, 32},
    {"field", FT_STR_NULL, false, 20},
    {"confidentiality", FT_STR, false, 20},
    {"contact_name", FT_STR_NULL, false, 50},
    {"contact_phone", FT_STR_NULL, false, 50},
    {NULL, 0, 0, 0},
};
/* clang-format on */

/* Members a stored record has that the input does not take. */
static const char *const readonly[] = {"id",         "org_name",   "region_code",  "region_name",
                                       "chain_name", "status",     "completeness", "published_at",
                                       "closed_at",  "created_at", "updated_at",   "quality",
                                       "can_edit",   NULL};

static const char *const demand_sorts[] = {"id",
                                           "created_at",
                                           "updated_at",
                                           "published_at",
                                           "completeness",
                                           "title",
                                           "budget_max_fen",
                                           "deadline",
                                           NULL};

/* True when u sees the contact members of a demand of org_id (its own organisation and
 * region staff; other firms go through the platform). */
static bool contacts_visible(const struct auth_user *u, int64_t org_id)
{
    return u && (u->role->scope != SCOPE_ORG || u->org_id == org_id);
}

/* Removes what the viewer u (NULL: public) may not see from a loaded demand. */
static void redact(json_t *d, const struct auth_user *u)
{
    if (!contacts_visible(u, json_integer_value(json_object_get(d, "org_id")))) {
        json_object_del(d, "contact_name");
        json_object_del(d, "contact_phone");
    }
}

/* Reads the list filters; replies 422 and returns false when one is malformed. */
static bool read_filter(struct http_req *r, struct demand_filter *f, bool pub)
{
    memset(f, 0, sizeof(*f));
    f->q = api_qparam(r, "q");
    f->chain = api_qparam(r, "chain");
    if (!mk_list_param(r, "field", market_fields, &f->field) ||
        !mk_list_param(r, "coop_mode", market_coop_modes, &f->coop_mode) ||
        !mk_list_param(r, "status", market_demand_status, &f->status) ||
        !api_region_param(r, &f->region))
        return false;
    if (pub)
        return true;
    if (!mk_list_param(r, "confidentiality", market_confidentiality, &f->confidentiality))
        return false;
    int64_t org = 0;
    if (!mk_int_param(r, "org_id", 1, INT64_MAX, 0, &org))
        return false;
    f->org_id = org;
    const char *mine = api_qparam(r, "mine");
    if (mine && strcmp(mine, "1") == 0 && r->user.org_id)
        f->org_id = r->user.org_id;
    return true;
}

/* Streams rows as a list, redacting contacts per row. */
static void reply_rows(struct http_req *r, struct db_stmt *st, const struct auth_user *u,
                       int64_t total, int64_t page, int64_t size)
{
    if (!st) {
        api_fail(r, KC_ERR_DB, NULL, NULL);
        return;
    }
    struct buf out = {0};
    struct jw w;
    api_list_begin(&w, &out);
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        json_t *d = db_row_json(st);
        redact(d, u);
        mk_write_json(&w, NULL, d);
        json_decref(d);
    }
    db_done(st);
    if (rc < 0) {
        buf_free(&out);
        api_fail(r, rc, NULL, NULL);
        return;
    }
    api_list_end(r, &w, &out, total, page, size);
}

/* The list for viewer u (NULL: public). */
static int list(struct http_req *r, const struct auth_user *u)
{
    struct db *db = api_db(r);
    struct demand_filter f;
    int64_t page, size, total;
    const char *col;
    bool desc;
    if (!db || !read_filter(r, &f, u == NULL) || !api_paging(r, &page, &size) ||
        !api_sort(r, demand_sorts, "-id", &col, &desc))
        return 0;
    int rc = demand_count(db, u, &f, &total);
    reply_rows(r, rc ? NULL : demand_list(db, u, &f, col, desc, size, (page - 1) * size), u, total,
               page, size);
    return 0;
}

/* GET /api/v1/demands */
int api_demands_list(struct http_req *r)
{
    return list(r, &r->user);
}

/* GET /api/v1/public/demands */
int api_pub_demands_list(struct http_req *r)
{
    return list(r, NULL);
}

/* GET /api/v1/demands/export */
int api_demands_export(struct http_req *r)
{
    /* clang-format off */
    static const char *const cols[] = {
        "id", "编号", "ID",
        "title", "需求名称", "Title",
        "org_name", "需求单位", "Organisation",
        "region_name", "行政区划", "Region",
        "chain_name", "产业链", "Industry chain",
        "field", "技术领域", "Technology field",
        "problem", "技术难题", "Problem",
        "indicators_json", "技术指标", "Indicators",
        "budget_min_fen", "预算下限(分)", "Budget min (fen)",
        "budget_max_fen", "预算上限(分)", "Budget max (fen)",
        "deadline", "期望完成日期", "Deadline",
        "coop_modes_json", "合作方式", "Cooperation modes",
        "confidentiality", "公开范围", "Confidentiality",
        "status", "状态", "Status",
        "completeness", "完整度", "Completeness",
        "created_at", "创建时间(UTC)", "Created (UTC)",
        NULL};
    /* clang-format on */
    struct db *db = api_db(r);
    struct demand_filter f;
    const char *col;
    bool desc;
    if (!db || !read_filter(r, &f, false) || !api_sort(r, demand_sorts, "-id", &col, &desc))
        return 0;
    struct db_stmt *st = demand_list(db, &r->user, &f, col, desc, -1, 0);
    if (!st) {
        api_fail(r, KC_ERR_DB, NULL, NULL);
        return 0;
    }
    api_export_xlsx(r, st, cols, "技术需求", "Demands", "demands.xlsx");
    return 0;
}

/* Writes a demand with its quality and whether u may edit it, and replies. */
static void reply_demand(struct http_req *r, int status, json_t *d, const struct auth_user *u)
{
    struct demand_quality q;
    demand_quality(d, &q);
    redact(d, u);
    if (u)
        json_object_set_new(
            d, "can_edit",
            json_boolean(demand_writable(u, json_integer_value(json_object_get(d, "org_id")),
                                         api_str(d, "region_code"))));
    json_object_set_new(d, "quality", mk_quality_json(r, &q));
    struct buf out = {0};
    struct jw w;
    jw_init(&w, &out);
    mk_write_json(&w, NULL, d);
    http_reply_json(r, status, &out);
}

/* GET /api/v1/demands/{id} and GET /api/v1/public/demands/{id} for viewer u. */
static int get(struct http_req *r, const struct auth_user *u)
{
    int64_t id;
    struct db *db = api_db(r);
    if (!db || !api_id_param(r, 0, &id))
        return 0;
    json_t *d = NULL;
    int rc = demand_get(db, u, id, &d);
    if (rc) {
        api_fail(r, rc, NULL, NULL);
        return 0;
    }
    reply_demand(r, 200, d, u);
    json_decref(d);
    return 0;
}

/* GET /api/v1/demands/{id} */
int api_demands_get(struct http_req *r)
{
    return get(r, &r->user);
}

/* GET /api/v1/public/demands/{id} */
int api_pub_demands_get(struct http_req *r)
{
    return get(r, NULL);
}

/* Checks a complete record (rules, chain, the organisation) and sets region_code to
 * the organisation's. Replies 422 and returns false on a problem. */
static bool validate(struct http_req *r, struct db *db, json_t *d)
{
    struct market_problem p;
    if (!market_demand_check(d, &p)) {
        mk_problem(r, &p);
        return false;
    }
    const char *chain = api_str(d, "chain");
    if (chain && !market_chain_exists(db, chain)) {
        http_reply_error(r, 422, "invalid_value", "chain");
        return false;
    }
    char region[7];
    if (!mk_resolve_org(r, db, d, "org_id", true, region))
        return false;
    json_object_set_new(d, "region_code", json_string(region));
    if (!json_object_get(d, "confidentiality"))
        json_object_set_new(d, "confidentiality", json_string("public"));
    return true;
}

/* Replies 422 incomplete naming every field that blocks publishing. */
static void reply_incomplete(struct http_req *r, const struct demand_quality *q)
{
    struct buf labels = {0};
    for (int i = 0; i < q->n_gate; i++) {
        if (i)
            buf_puts(&labels, r->en ? ", " : "、");
        buf_puts(&labels, msg_field(r->en, q->gate[i]));
    }
    const char *tmpl = r->en ? "The demand is incomplete and cannot be published: %s missing"
                             : "需求信息不完整，不能发布：缺少%s";
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
    const char *msg = arena_printf(&r->arena, tmpl, buf_str(&labels));
#pragma GCC diagnostic pop
    buf_free(&labels);
    http_reply_error_msg(r, 422, "incomplete", q->gate[0], msg);
}

/* POST /api/v1/demands (always a draft) */
int api_demands_create(struct http_req *r)
{
    struct db *db = api_db(r);
    if (!db)
        return 0;
    json_t *d = api_body(r, demand_fields, true);
    if (!d)
        return 0;
    json_t *after = NULL;
    int64_t id = 0;
    if (!validate(r, db, d))
        goto out;
    if (!demand_writable(&r->user, json_integer_value(json_object_get(d, "org_id")),
                         api_str(d, "region_code"))) {
        http_reply_error(r, 403, "forbidden", NULL);
        goto out;
    }
    struct demand_quality q;
    demand_quality(d, &q);
    int rc = db_begin(db);
    if (!rc)
        rc = demand_insert(db, d, q.score, r->user.id, &id);
    if (!rc)
        rc = demand_get(db, &r->user, id, &after);
    if (!rc) {
        struct audit_ctx ctx = api_audit_ctx(r);
        rc = audit_write(db, &ctx, "create", "demand", id, NULL, after);
    }
    if (!rc)
        rc = db_commit(db);
    else
        db_rollback(db);
    if (rc) {
        api_fail(r, rc, NULL, NULL);
        goto out;
    }
    market_index_touch(MC_DEMAND, db, &id, 1);
    reply_demand(r, 201, after, &r->user);
out:
    json_decref(after);
    json_decref(d);
    return 0;
}

/* Loads demand id for writing inside the open transaction: visible (else 404) and
 * writable (else 403). Replies and returns NULL on failure (rolls back). */
static json_t *load_for_write(struct http_req *r, struct db *db, int64_t id)
{
    json_t *before = NULL;
    int rc = demand_get(db, &r->user, id, &before);
    if (rc) {
        db_rollback(db);
        api_fail(r, rc, NULL, NULL);
        return NULL;
    }
    if (!demand_writable(&r->user, json_integer_value(json_object_get(before, "org_id")),
                         api_str(before, "region_code"))) {
        db_rollback(db);
        json_decref(before);
        http_reply_error(r, 403, "forbidden", NULL);
        return NULL;
    }
    return before;
}

/* PATCH /api/v1/demands/{id} */
int api_demands_patch(struct http_req *r)
{
    int64_t id;
    struct db *db = api_db(r);
    if (!db || !api_id_param(r, 0, &id))
        return 0;
    json_t *patch = api_body(r, demand_fields, false);
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
    const char *status = api_str(before, "status");
    if (strcmp(status, "closed") == 0) {
        db_rollback(db);
        http_reply_error(r, 422, "demand_closed", "status");
        goto out;
    }
    merged = json_deep_copy(before);
    mk_strip(merged, readonly);
    json_object_update(merged, patch);
    if (!validate(r, db, merged)) {
        db_rollback(db);
        goto out;
    }
    struct demand_quality q;
    demand_quality(merged, &q);
    if (strcmp(status, "draft") != 0 && q.n_gate) {
        /* A published demand must stay publishable. */
        db_rollback(db);
        reply_incomplete(r, &q);
        goto out;
    }
    int rc = demand_update(db, id, merged, q.score, r->user.id);
    if (!rc)
        rc = demand_get(db, &r->user, id, &after);
    if (rc == KC_ERR_NOT_FOUND)
        rc = KC_ERR_INVALID; /* moved out of the editor's sight */
    if (!rc) {
        struct audit_ctx ctx = api_audit_ctx(r);
        rc = audit_write(db, &ctx, "update", "demand", id, before, after);
    }
    if (!rc)
        rc = db_commit(db);
    else
        db_rollback(db);
    if (rc) {
        api_fail(r, rc, NULL, "org_id");
        goto out;
    }
    market_index_touch(MC_DEMAND, db, &id, 1);
    reply_demand(r, 200, after, &r->user);
out:
    json_decref(before);
    json_decref(merged);
    json_decref(after);
    json_decref(patch);
    return 0;
}

/* clang-format off */
static const struct field_spec status_fields[] = {
    {"status", FT_STR, true, 20},
    {NULL, 0, 0, 0},
};
/* clang-format on */

/* POST /api/v1/demands/{id}/status */
int api_demands_status(struct http_req *r)
{
    int64_t id;
    struct db *db = api_db(r);
    if (!db || !api_id_param(r, 0, &id))
        return 0;
    json_t *body = api_body(r, status_fields, true);
    if (!body)
        return 0;
    json_t *before = NULL, *after = NULL;
    const char *to = api_str(body, "status");
    if (market_index(market_demand_status, to) < 0) {
        http_reply_error(r, 422, "invalid_value", "status");
        goto out;
    }
    if (db_begin(db) != 0) {
        api_fail(r, KC_ERR_DB, NULL, NULL);
        goto out;
    }
    before = load_for_write(r, db, id);
    if (!before)
        goto out;
    const char *from = api_str(before, "status");
    if (!demand_transition_ok(from, to)) {
        db_rollback(db);
        const char *what = arena_printf(&r->arena, "%s → %s", from, to);
        const char *msg =
            r->en ? arena_printf(&r->arena, "This status change is not allowed: %s", what)
                  : arena_printf(&r->arena, "不允许的状态变更：%s", what);
        http_reply_error_msg(r, 422, "illegal_transition", "status", msg);
        goto out;
    }
    if (strcmp(to, "published") == 0) {
        struct demand_quality q;
        demand_quality(before, &q);
        if (q.n_gate) {
            db_rollback(db);
            reply_incomplete(r, &q);
            goto out;
        }
    }
    int rc = demand_set_status(db, id, to, r->user.id);
    if (!rc)
        rc = demand_get(db, &r->user, id, &after);
    if (!rc) {
        struct audit_ctx ctx = api_audit_ctx(r);
        rc = audit_write(db, &ctx, "status", "demand", id, before, after);
    }
    if (!rc)
        rc = db_commit(db);
    else
        db_rollback(db);
    if (rc) {
        api_fail(r, rc, NULL, NULL);
        goto out;
    }
    reply_demand(r, 200, after, &r->user);
out:
    json_decref(before);
    json_decref(after);
    json_decref(body);
    return 0;
}

/* DELETE /api/v1/demands/{id} (drafts only) */
int api_demands_delete(struct http_req *r)
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
    if (strcmp(api_str(before, "status"), "draft") != 0) {
        db_rollback(db);
        json_decref(before);
        http_reply_error(r, 422, "not_draft", "status");
        return 0;
    }
    int rc = demand_delete(db, id);
    if (!rc) {
        struct audit_ctx ctx = api_audit_ctx(r);
        rc = audit_write(db, &ctx, "delete", "demand", id, before, NULL);
    }
    if (!rc)
        rc = db_commit(db);
    else
        db_rollback(db);
    json_decref(before);
    if (rc) {
        api_fail(r, rc, NULL, NULL);
        return 0;
    }
    market_index_touch(MC_DEMAND, db, &id, 1);
    struct buf out = {0};
    buf_puts(&out, "{\"deleted\":true}");
    http_reply_json(r, 200, &out);
    return 0;
}

/* POST /api/v1/demands/quality: the completeness of a demand being edited (no write). */
int api_demands_quality(struct http_req *r)
{
    json_t *d = api_body(r, demand_fields, false);
    if (!d)
        return 0;
    struct market_problem p;
    if (!market_demand_check(d, &p)) {
        mk_problem(r, &p);
        json_decref(d);
        return 0;
    }
    struct demand_quality q;
    demand_quality(d, &q);
    json_t *res = json_pack("{s:o}", "quality", mk_quality_json(r, &q));
    struct buf out = {0};
    struct jw w;
    jw_init(&w, &out);
    mk_write_json(&w, NULL, res);
    json_decref(res);
    json_decref(d);
    http_reply_json(r, 200, &out);
    return 0;
}

/* GET /api/v1/demands/{id}/matches?target=achievements|institutions|experts&limit= */
int api_demands_matches(struct http_req *r)
{
    int64_t id, limit;
    struct db *db = api_db(r);
    if (!db || !api_id_param(r, 0, &id) || !mk_int_param(r, "limit", 1, 100, 20, &limit))
        return 0;
    static const char *const targets[] = {"achievements", "institutions", "experts", NULL};
    const char *t = NULL;
    if (!mk_list_param(r, "target", targets, &t))
        return 0;
    enum market_target mt = t ? (enum market_target)market_index(targets, t) : MT_ACHIEVEMENTS;
    struct buf out = {0};
    struct jw w;
    jw_init(&w, &out);
    int rc = market_match_demand(db, &r->user, id, mt, (int)limit, &w);
    if (rc) {
        buf_free(&out);
        if (rc == KC_ERR_INVALID)
            http_reply_error(r, 503, "index_unavailable", NULL);
        else
            api_fail(r, rc, NULL, NULL);
        return 0;
    }
    http_reply_json(r, 200, &out);
    return 0;
}
