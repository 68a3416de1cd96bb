/* matches.c (api) — /api/v1/matches: the brokerage pipeline (对接记录) — create a match of a
 * demand with an achievement, institution or expert; move it through the stages with legal
 * transitions only; assign a broker; the history; the kanban board; a prefilled contract
 * for a signed match; roadshow intents; /api/v1/brokers and their metrics. */
#include "api/api.h"
#include "api/deals_util.h"
#include "api/handlers_deals.h"
#include "core/timeutil.h"
#include "db/db.h"
#include "domain/contract_types.h"
#include "domain/pipeline.h"
#include "store/match.h"

#include <stdlib.h>
#include <string.h>

static const struct field_spec match_fields[] = {
    {"demand_id", FT_INT, true, 0},
    {"achievement_id", FT_INT_NULL, false, 0},
    {"org_id", FT_INT_NULL, false, 0},
    {"expert_id", FT_INT_NULL, false, 0},
    {"broker_id", FT_INT_NULL, false, 0},
    {"source", FT_STR_NULL, false, 16},
    {"score", FT_NUM_NULL, false, 0},
    {"reasons", FT_STR_LIST, false, 300},
    {"note", FT_STR_NULL, false, 1000},
    {NULL, 0, 0, 0},
};

static const struct field_spec patch_fields[] = {
    {"broker_id", FT_INT_NULL, false, 0},
    {"note", FT_STR_NULL, false, 1000},
    {NULL, 0, 0, 0},
};

static const struct field_spec stage_fields[] = {
    {"stage", FT_STR, true, 16},
    {"reason", FT_STR_NULL, false, 32},
    {"note", FT_STR_NULL, false, 1000},
    {NULL, 0, 0, 0},
};

static const char *const match_sorts[] = {"created_at", "stage_at", "updated_at", "score", "id",
                                          NULL};

/* The pipeline labels in the request's language. */
static const char *labels(struct http_req *r)
{
    return pipeline_labels_json(r->en);
}

/* Writes o (a new JSON text) as the reply. */
static void reply_json(struct http_req *r, int status, json_t *o)
{
    char *text = json_dumps(o, JSON_COMPACT);
    struct buf out = {0};
    buf_puts(&out, text);
    free(text);
    http_reply_json(r, status, &out);
}

/* The actor of a write: the logged-in user, now. */
static struct match_actor actor(struct http_req *r)
{
    struct match_actor a = {r->user.id, r->user.username, time_now()};
    return a;
}

/* An integer member, 0 when absent or null. */
static int64_t ival(json_t *o, const char *k)
{
    json_t *v = json_object_get(o, k);
    return json_is_integer(v) ? json_integer_value(v) : 0;
}

/* Reads the list filters; replies 422 and returns false when one is malformed. */
static bool read_filter(struct http_req *r, struct match_filter *f)
{
    static const char *const stages[] = {"proposed", "contacted", "negotiating", "signed",
                                         "dropped",  NULL};
    static const char *const sources[] = {"matching", "manual", "roadshow", NULL};
    memset(f, 0, sizeof(*f));
    f->q = api_qparam(r, "q");
    const char *mine = api_qparam(r, "mine"), *unassigned = api_qparam(r, "unassigned");
    if (!deals_qenum(r, "stage", stages, &f->stage) ||
        !deals_qenum(r, "source", sources, &f->source) || !api_region_param(r, &f->region) ||
        !deals_qint(r, "broker_id", &f->broker_id) ||
        !deals_qint(r, "demand_id", &f->demand_id) ||
        !deals_qint(r, "achievement_id", &f->achievement_id) ||
        !deals_qint(r, "org_id", &f->org_id) || !deals_qint(r, "roadshow_id", &f->roadshow_id) ||
        !deals_qdate(r, "from", &f->from) || !deals_qdate(r, "to", &f->to))
        return false;
    if (mine && strcmp(mine, "1") == 0)
        f->broker_id = r->user.id;
    f->unassigned = unassigned && strcmp(unassigned, "1") == 0;
    return true;
}

/* GET /api/v1/matches */
int api_matches_list(struct http_req *r)
{
    struct db *db = api_db(r);
    struct match_filter f;
    int64_t page, size, total;
    const char *col;
    bool desc;
    if (!db || !read_filter(r, &f) || !api_paging(r, &page, &size) ||
        !api_sort(r, match_sorts, "-stage_at", &col, &desc))
        return 0;
    int rc = match_count(db, &r->user.scope, &f, &total);
    api_reply_rows(r,
                   rc ? NULL
                      : match_list(db, &r->user.scope, labels(r), &f, col, desc, size,
                                   (page - 1) * size),
                   total, page, size);
    return 0;
}

/* GET /api/v1/matches/board — one column per stage with its count and its most recently
 * moved matches (limit per column, default 50, at most 200). */
int api_matches_board(struct http_req *r)
{
    static const char *const stages[] = {"proposed", "contacted", "negotiating", "signed",
                                         "dropped"};
    struct db *db = api_db(r);
    struct match_filter f;
    int64_t limit = 0;
    if (!db || !read_filter(r, &f) || !deals_qint(r, "limit", &limit))
        return 0;
    if (f.stage) {
        http_reply_error(r, 422, "invalid_value", "stage");
        return 0;
    }
    if (limit == 0 || limit > 200)
        limit = limit ? 200 : 50;
    int64_t counts[5] = {0};
    struct db_stmt *st = match_stage_counts(db, &r->user.scope, &f);
    int rc = st ? 0 : KC_ERR_DB;
    while (!rc && (rc = db_step(st)) == DB_ROW) {
        for (int i = 0; i < 5; i++)
            if (strcmp(db_col_text(st, 0), stages[i]) == 0)
                counts[i] = db_col_int(st, 1);
        rc = 0;
    }
    if (st)
        db_done(st);
    if (rc < 0) {
        api_fail(r, rc, NULL, NULL);
        return 0;
    }
    struct buf out = {0};
    struct jw w;
    jw_init(&w, &out);
    jw_obj_open(&w);
    jw_key(&w, "columns");
    jw_arr_open(&w);
    for (int i = 0; i < 5 && rc == 0; i++) {
        jw_obj_open(&w);
        jw_kstr(&w, "stage", stages[i]);
        jw_kstr(&w, "name", pipeline_stage_label(stages[i], r->en));
        jw_kint(&w, "count", counts[i]);
        jw_key(&w, "items");
        jw_arr_open(&w);
        f.stage = stages[i];
        st = match_list(db, &r->user.scope, labels(r), &f, "stage_at", true, limit, 0);
        if (!st)
            rc = KC_ERR_DB;
        while (st && (rc = db_step(st)) == DB_ROW)
            db_row_jw(st, &w);
        if (st)
            db_done(st);
        jw_arr_close(&w);
        jw_obj_close(&w);
    }
    jw_arr_close(&w);
    jw_obj_close(&w);
    if (rc < 0) {
        buf_free(&out);
        api_fail(r, rc, NULL, NULL);
        return 0;
    }
    http_reply_json(r, 200, &out);
    return 0;
}

/* Adds history (oldest first) and the stages the match may move to, to a loaded match. */
static int add_details(struct http_req *r, struct db *db, json_t *m)
{
    json_t *hist = json_array();
    struct db_stmt *st = match_history(db, labels(r), ival(m, "id"));
    int rc = st ? 0 : KC_ERR_DB;
    while (st && (rc = db_step(st)) == DB_ROW)
        json_array_append_new(hist, db_row_json(st));
    if (st)
        db_done(st);
    json_object_set_new(m, "history", hist);
    json_t *next = json_array();
    for (const char *const *n = pipeline_next(api_str(m, "stage")); *n; n++)
        json_array_append_new(next, json_pack("{s:s,s:s}", "stage", *n, "name",
                                              pipeline_stage_label(*n, r->en)));
    json_object_set_new(m, "next_stages", next);
    return rc < 0 ? rc : 0;
}

/* Loads a match with its details; 0 or a kc_err. */
static int load_full(struct http_req *r, struct db *db, int64_t id, json_t **out)
{
    int rc = match_get(db, &r->user.scope, labels(r), id, out);
    if (!rc)
        rc = add_details(r, db, *out);
    if (rc) {
        json_decref(*out);
        *out = NULL;
    }
    return rc;
}

/* GET /api/v1/matches/{id} */
int api_matches_get(struct http_req *r)
{
    int64_t id;
    struct db *db = api_db(r);
    if (!db || !api_id_param(r, 0, &id))
        return 0;
    json_t *m = NULL;
    int rc = load_full(r, db, id, &m);
    if (rc) {
        api_fail(r, rc, NULL, NULL);
        return 0;
    }
    reply_json(r, 200, m);
    json_decref(m);
    return 0;
}

/* Replies 422 with code on field and returns false. */
static bool reject(struct http_req *r, const char *code, const char *field)
{
    http_reply_error(r, 422, code, field);
    return false;
}

/* True when broker_id is an active broker whose region covers region_code; otherwise
 * replies 422 naming broker_id. */
static bool broker_ok(struct http_req *r, struct db *db, int64_t broker_id,
                      const char *region_code)
{
    struct db_stmt *st = db_query(db,
                                  "SELECT region_code FROM users WHERE id = ? AND "
                                  "role = 'broker' AND status = 'active'",
                                  "i", broker_id);
    bool ok = false;
    if (st && db_step(st) == DB_ROW) {
        char prefix[7];
        auth_region_prefix(db_col_text(st, 0), prefix);
        ok = strncmp(region_code, prefix, strlen(prefix)) == 0;
    }
    if (st)
        db_done(st);
    return ok || reject(r, "invalid_broker", "broker_id");
}

/* Looks up one row of two text columns and one integer; false when absent. */
static bool lookup(struct db *db, const char *sql, int64_t id, char *a, size_t an, char *b,
                   size_t bn, int64_t *c)
{
    struct db_stmt *st = db_query(db, sql, "i", id);
    bool found = st && db_step(st) == DB_ROW;
    if (found) {
        snprintf(a, an, "%s", db_col_text(st, 0) ? db_col_text(st, 0) : "");
        snprintf(b, bn, "%s", db_col_text(st, 1) ? db_col_text(st, 1) : "");
        *c = db_col_int(st, 2);
    }
    if (st)
        db_done(st);
    return found;
}

/* Validates a create body into m (strings in r->arena). The demand must be open
 * (published or matched) and in the writer's region; exactly one target. Replies and
 * returns false on the first problem. */
static bool read_new(struct http_req *r, struct db *db, json_t *o, struct match_new *m)
{
    memset(m, 0, sizeof(*m));
    m->demand_id = ival(o, "demand_id");
    char region[8], status[16];
    if (!lookup(db, "SELECT region_code, status, org_id FROM demands WHERE id = ?",
                m->demand_id, region, sizeof(region), status, sizeof(status),
                &m->demand_org_id) ||
        !auth_region_in_scope(&r->user, region) || (r->user.scope.org_id != 0))
        return reject(r, "not_found_ref", "demand_id");
    if (strcmp(status, "published") != 0 && strcmp(status, "matched") != 0)
        return reject(r, "demand_not_open", "demand_id");
    m->region_code = arena_strdup(&r->arena, region);
    int targets = (ival(o, "achievement_id") != 0) + (ival(o, "org_id") != 0) +
                  (ival(o, "expert_id") != 0);
    if (targets != 1)
        return reject(r, "one_target", "achievement_id");
    char kind[32], extra[32];
    if (ival(o, "achievement_id")) {
        m->target_kind = "achievement";
        m->achievement_id = ival(o, "achievement_id");
        if (!lookup(db, "SELECT status, '', coalesce(owner_org_id, 0) FROM achievements "
                        "WHERE id = ?",
                    m->achievement_id, kind, sizeof(kind), extra, sizeof(extra),
                    &m->supply_org_id))
            return reject(r, "not_found_ref", "achievement_id");
        if (strcmp(kind, "published") != 0)
            return reject(r, "achievement_not_published", "achievement_id");
    } else if (ival(o, "org_id")) {
        m->target_kind = "institution";
        m->supply_org_id = ival(o, "org_id");
        int64_t unused = 0;
        if (!lookup(db, "SELECT kind, '', 0 FROM orgs WHERE id = ?", m->supply_org_id, kind,
                    sizeof(kind), extra, sizeof(extra), &unused) ||
            strcmp(kind, "bureau") == 0)
            return reject(r, "not_found_ref", "org_id");
    } else {
        m->target_kind = "expert";
        m->expert_id = ival(o, "expert_id");
        if (!lookup(db, "SELECT name, '', coalesce(org_id, 0) FROM experts WHERE id = ?",
                    m->expert_id, kind, sizeof(kind), extra, sizeof(extra), &m->supply_org_id))
            return reject(r, "not_found_ref", "expert_id");
    }
    if (m->supply_org_id && m->supply_org_id == m->demand_org_id)
        return reject(r, "same_party", strcmp(m->target_kind, "achievement") == 0
                                           ? "achievement_id"
                                           : strcmp(m->target_kind, "expert") == 0 ? "expert_id"
                                                                                   : "org_id");
    /* A broker creating a match takes it; others may name one. */
    m->broker_id = ival(o, "broker_id");
    if (!m->broker_id && strcmp(r->user.role->code, "broker") == 0)
        m->broker_id = r->user.id;
    if (m->broker_id && !broker_ok(r, db, m->broker_id, m->region_code))
        return false;
    const char *source = api_str(o, "source");
    if (source && strcmp(source, "matching") != 0 && strcmp(source, "manual") != 0)
        return reject(r, "invalid_value", "source");
    m->source = source ? source : "manual";
    json_t *score = json_object_get(o, "score");
    if (json_is_number(score)) {
        m->has_score = true;
        m->score = json_number_value(score);
    }
    json_t *reasons = json_object_get(o, "reasons");
    if (reasons) {
        char *t = json_dumps(reasons, JSON_COMPACT);
        m->reasons_json = arena_strdup(&r->arena, t);
        free(t);
    }
    m->note = api_str(o, "note") ? arena_strdup(&r->arena, api_str(o, "note")) : NULL;
    return true;
}

/* Creates a match from a validated body (roadshow_id 0 unless an intent) and replies 201
 * with it. */
static void create_match(struct http_req *r, struct db *db, json_t *o, int64_t roadshow_id)
{
    struct match_new m;
    json_t *after = NULL;
    int64_t id = 0;
    int rc = db_begin(db);
    if (rc) {
        api_fail(r, rc, NULL, NULL);
        return;
    }
    if (!read_new(r, db, o, &m)) {
        db_rollback(db);
        return;
    }
    if (roadshow_id) {
        m.source = "roadshow";
        m.roadshow_id = roadshow_id;
    }
    bool open = false;
    rc = match_open_exists(db, &m, &open);
    if (!rc && open) {
        db_rollback(db);
        http_reply_error(r, 409, "duplicate_match", "demand_id");
        return;
    }
    struct match_actor who = actor(r);
    if (!rc)
        rc = match_insert(db, &m, &who, &id);
    if (!rc)
        rc = match_get(db, &r->user.scope, labels(r), id, &after);
    if (!rc) {
        struct audit_ctx ctx = api_audit_ctx(r);
        rc = audit_write(db, &ctx, "create", "match", id, NULL, after);
    }
    if (!rc)
        rc = add_details(r, db, after);
    if (!rc)
        rc = db_commit(db);
    else
        db_rollback(db);
    if (rc)
        api_fail(r, rc, rc == KC_ERR_CONFLICT ? "duplicate_match" : NULL, "demand_id");
    else
        reply_json(r, 201, after);
    json_decref(after);
}

/* POST /api/v1/matches */
int api_matches_create(struct http_req *r)
{
    struct db *db = api_db(r);
    if (!db)
        return 0;
    json_t *o = api_body(r, match_fields, true);
    if (!o)
        return 0;
    create_match(r, db, o, 0);
    json_decref(o);
    return 0;
}

/* POST /api/v1/roadshows/{id}/intents — an intent recorded at a roadshow becomes a
 * proposed match (source roadshow). */
int api_roadshows_intent(struct http_req *r)
{
    int64_t id;
    struct db *db = api_db(r);
    if (!db || !api_id_param(r, 0, &id))
        return 0;
    int64_t n = 0;
    char lo[8], hi[8];
    snprintf(lo, sizeof(lo), "%s", r->user.scope.lo);
    snprintf(hi, sizeof(hi), "%s", r->user.scope.hi);
    if (db_scalar(db_query(db,
                           "SELECT count(*) FROM roadshows WHERE id = ? AND region_code >= ? "
                           "AND region_code < ?",
                           "iss", id, lo, hi),
                  &n) != 0 ||
        n == 0) {
        http_reply_error(r, 404, "not_found", NULL);
        return 0;
    }
    json_t *o = api_body(r, match_fields, true);
    if (!o)
        return 0;
    if (json_object_get(o, "source")) {
        json_decref(o);
        http_reply_error(r, 422, "unknown_field", "source");
        return 0;
    }
    create_match(r, db, o, id);
    json_decref(o);
    return 0;
}

/* 403 unless the caller may work this match: officers and admins any in scope, a broker
 * its own or an unassigned one. */
static bool may_work(struct http_req *r, json_t *m)
{
    if (strcmp(r->user.role->code, "broker") != 0)
        return true;
    int64_t b = ival(m, "broker_id");
    if (b == 0 || b == r->user.id)
        return true;
    http_reply_error(r, 403, "not_assigned_broker", "broker_id");
    return false;
}

/* Finishes a write on match id: reloads it, audits before → after, commits, replies 200.
 * On rc != 0 rolls back and replies for rc (unless a reply was made). */
static void finish_write(struct http_req *r, struct db *db, int64_t id, json_t *before, int rc)
{
    json_t *after = NULL;
    if (!rc)
        rc = match_get(db, &r->user.scope, labels(r), id, &after);
    if (!rc) {
        struct audit_ctx ctx = api_audit_ctx(r);
        rc = audit_write(db, &ctx, "update", "match", id, before, after);
    }
    if (!rc)
        rc = add_details(r, db, after);
    if (!rc)
        rc = db_commit(db);
    else
        db_rollback(db);
    if (rc) {
        if (!r->replied)
            api_fail(r, rc, NULL, NULL);
    } else {
        reply_json(r, 200, after);
    }
    json_decref(after);
}

/* PATCH /api/v1/matches/{id} — assign the broker (null = none), edit the note. */
int api_matches_patch(struct http_req *r)
{
    int64_t id;
    struct db *db = api_db(r);
    if (!db || !api_id_param(r, 0, &id))
        return 0;
    json_t *o = api_body(r, patch_fields, false);
    if (!o)
        return 0;
    json_t *before = NULL;
    int rc = db_begin(db);
    if (!rc)
        rc = match_get(db, &r->user.scope, labels(r), id, &before);
    if (rc) {
        db_rollback(db);
        api_fail(r, rc, NULL, NULL);
        goto out;
    }
    if (!may_work(r, before)) {
        db_rollback(db);
        goto out;
    }
    struct match_actor who = actor(r);
    json_t *b = json_object_get(o, "broker_id");
    if (b) {
        int64_t broker = json_is_integer(b) ? json_integer_value(b) : 0;
        bool is_broker = strcmp(r->user.role->code, "broker") == 0;
        if (is_broker && broker != r->user.id) {
            /* A broker takes matches; officers hand them out. */
            db_rollback(db);
            http_reply_error(r, 403, "not_assigned_broker", "broker_id");
            goto out;
        }
        if (broker && !broker_ok(r, db, broker, api_str(before, "region_code"))) {
            db_rollback(db);
            goto out;
        }
        if (broker != ival(before, "broker_id"))
            rc = match_set_broker(db, id, broker, &who);
    }
    json_t *note = json_object_get(o, "note");
    if (!rc && note) {
        const char *n = json_string_value(note);
        const char *old = api_str(before, "note");
        if (!(n && old && strcmp(n, old) == 0) && !(!n && !old))
            rc = match_set_note(db, id, n, &who);
    }
    finish_write(r, db, id, before, rc);
out:
    json_decref(before);
    json_decref(o);
    return 0;
}

/* Replies 409 illegal_transition with a message naming the stages and what is possible. */
static void reply_illegal(struct http_req *r, const char *from, const char *to)
{
    struct buf next = {0};
    for (const char *const *n = pipeline_next(from); *n; n++) {
        if (next.len)
            buf_puts(&next, r->en ? ", " : "、");
        buf_puts(&next, pipeline_stage_label(*n, r->en));
    }
    const char *msg;
    if (pipeline_final(from))
        msg = arena_printf(&r->arena,
                           r->en ? "A match that is %s is final; its stage cannot change"
                                 : "“%s”的对接记录已结束，不能再变更阶段",
                           pipeline_stage_label(from, r->en));
    else
        msg = arena_printf(&r->arena,
                           r->en ? "A match cannot move from %s to %s; next can be: %s"
                                 : "对接记录不能从“%s”转到“%s”，下一步只能是：%s",
                           pipeline_stage_label(from, r->en), pipeline_stage_label(to, r->en),
                           buf_str(&next));
    buf_free(&next);
    http_reply_error_msg(r, 409, "illegal_transition", "stage", msg);
}

/* POST /api/v1/matches/{id}/stage {stage, reason, note} */
int api_matches_stage(struct http_req *r)
{
    int64_t id;
    struct db *db = api_db(r);
    if (!db || !api_id_param(r, 0, &id))
        return 0;
    json_t *o = api_body(r, stage_fields, true);
    if (!o)
        return 0;
    const char *to = api_str(o, "stage"), *reason = api_str(o, "reason"),
               *note = api_str(o, "note");
    json_t *before = NULL;
    int rc;
    if (!pipeline_stage_valid(to)) {
        http_reply_error(r, 422, "invalid_value", "stage");
        goto out;
    }
    if (strcmp(to, "dropped") == 0) {
        if (!reason) {
            http_reply_error(r, 422, "drop_reason_required", "reason");
            goto out;
        }
        if (!pipeline_reason_valid(reason)) {
            http_reply_error(r, 422, "invalid_value", "reason");
            goto out;
        }
        if (strcmp(reason, "other") == 0 && !note) {
            http_reply_error(r, 422, "drop_note_required", "note");
            goto out;
        }
    } else if (reason) {
        http_reply_error(r, 422, "reason_only_for_drop", "reason");
        goto out;
    }
    rc = db_begin(db);
    if (!rc)
        rc = match_get(db, &r->user.scope, labels(r), id, &before);
    if (rc) {
        db_rollback(db);
        api_fail(r, rc, NULL, NULL);
        goto out;
    }
    if (!may_work(r, before)) {
        db_rollback(db);
        goto out;
    }
    const char *from = api_str(before, "stage");
    if (!pipeline_transition_ok(from, to)) {
        db_rollback(db);
        reply_illegal(r, from, to);
        goto out;
    }
    struct match_actor who = actor(r);
    /* A broker moving an unassigned match takes it. */
    if (ival(before, "broker_id") == 0 && strcmp(r->user.role->code, "broker") == 0)
        rc = match_set_broker(db, id, r->user.id, &who);
    if (!rc)
        rc = match_set_stage(db, id, from, to, reason, note, &who);
    finish_write(r, db, id, before, rc);
out:
    json_decref(before);
    json_decref(o);
    return 0;
}

/* The contract type a demand's first cooperation mode suggests, under rule set rs. */
static void suggest_type(const char *mode, const struct contract_ruleset *rs, const char **type,
                         const char **subtype)
{
    bool r26 = rs && strcmp(rs->id, "contract-2026") == 0;
    *type = "development";
    *subtype = "entrusted";
    if (!mode)
        return;
    if (strcmp(mode, "合作开发") == 0) {
        *subtype = "cooperative";
    } else if (strcmp(mode, "技术转让") == 0) {
        *type = "transfer";
        *subtype = "patent_right";
    } else if (strcmp(mode, "技术许可") == 0) {
        *type = r26 ? "license" : "transfer";
        *subtype = "patent_license";
    } else if (strcmp(mode, "技术服务") == 0) {
        *type = "service";
        *subtype = "service";
    }
}

/* GET /api/v1/matches/{id}/contract-draft — the contract a signed match registers,
 * prefilled (parties, achievement, signing date, a suggested type); the registrar
 * completes the amounts and the registration number. */
int api_matches_contract_draft(struct http_req *r)
{
    int64_t id;
    struct db *db = api_db(r);
    if (!db || !api_id_param(r, 0, &id))
        return 0;
    json_t *m = NULL;
    int rc = match_get(db, &r->user.scope, labels(r), id, &m);
    if (rc) {
        api_fail(r, rc, NULL, NULL);
        return 0;
    }
    if (strcmp(api_str(m, "stage"), "signed") != 0) {
        http_reply_error(r, 409, "match_not_signed", "match_id");
        json_decref(m);
        return 0;
    }
    if (ival(m, "contract_id")) {
        http_reply_error(r, 409, "match_has_contract", "match_id");
        json_decref(m);
        return 0;
    }
    char signed_on[11] = "", today[11];
    deals_today(today);
    /* The signing date in China (signed_at is a UTC instant). */
    struct db_stmt *st = db_query(db, "SELECT date(signed_at + 28800, 'unixepoch') FROM "
                                      "matches WHERE id = ?",
                                  "i", id);
    if (st && db_step(st) == DB_ROW && db_col_text(st, 0))
        snprintf(signed_on, sizeof(signed_on), "%s", db_col_text(st, 0));
    if (st)
        db_done(st);
    char mode[32] = "";
    st = db_query(db, "SELECT json_extract(coop_modes, '$[0]') FROM demands WHERE id = ?", "i",
                  ival(m, "demand_id"));
    if (st && db_step(st) == DB_ROW && db_col_text(st, 0))
        snprintf(mode, sizeof(mode), "%s", db_col_text(st, 0));
    if (st)
        db_done(st);
    const struct contract_ruleset *rs =
        contract_types_load() == 0 ? contract_types_for_date(signed_on) : NULL;
    const char *type, *subtype;
    suggest_type(mode[0] ? mode : NULL, rs, &type, &subtype);
    if (strcmp(api_str(m, "target_kind"), "expert") == 0) {
        type = "consulting";
        subtype = NULL;
    }
    json_t *d = json_object();
    const char *target = api_str(m, "target_title");
    json_object_set_new(d, "title",
                        json_string(arena_printf(&r->arena, "%s%s%s", api_str(m, "demand_title"),
                                                 target ? " — " : "", target ? target : "")));
    json_object_set_new(d, "rule_set", rs ? json_string(rs->id) : json_null());
    json_object_set_new(d, "type", json_string(type));
    json_object_set_new(d, "subtype", subtype ? json_string(subtype) : json_null());
    json_object_set(d, "seller_org_id", json_object_get(m, "supply_org_id"));
    json_object_set(d, "seller_name", json_object_get(m, "supply_org_name"));
    json_object_set(d, "buyer_org_id", json_object_get(m, "demand_org_id"));
    json_object_set(d, "buyer_name", json_object_get(m, "demand_org_name"));
    json_object_set(d, "achievement_id", json_object_get(m, "achievement_id"));
    json_object_set_new(d, "match_id", json_integer(id));
    json_object_set_new(d, "signed_on", json_string(signed_on));
    json_object_set_new(d, "registered_on", json_string(today));
    reply_json(r, 200, d);
    json_decref(d);
    json_decref(m);
    return 0;
}

/* GET /api/v1/brokers — the active brokers in scope (for assignment). */
int api_brokers_list(struct http_req *r)
{
    struct db *db = api_db(r);
    struct scope region;
    if (!db || !api_region_param(r, &region))
        return 0;
    const struct scope *sc = &r->user.scope;
    struct db_stmt *st = db_query(
        db,
        "SELECT u.id, u.username, u.display_name, u.region_code, rg.name AS region_name "
        "FROM users u LEFT JOIN regions rg ON rg.code = u.region_code "
        "WHERE u.role = 'broker' AND u.status = 'active' AND u.region_code >= ? AND "
        "u.region_code < ? AND u.region_code >= ? AND u.region_code < ? AND ? = 0 "
        "ORDER BY u.region_code, u.id",
        "ssssi", sc->lo, sc->hi, region.lo, region.hi, sc->org_id);
    if (!st) {
        api_fail(r, KC_ERR_DB, NULL, NULL);
        return 0;
    }
    json_t *items = json_array();
    int rc;
    while ((rc = db_step(st)) == DB_ROW)
        json_array_append_new(items, db_row_json(st));
    db_done(st);
    if (rc < 0) {
        json_decref(items);
        api_fail(r, rc, NULL, NULL);
        return 0;
    }
    json_t *out = json_pack("{s:o,s:I}", "items", items, "total",
                            (json_int_t)json_array_size(items));
    reply_json(r, 200, out);
    json_decref(out);
    return 0;
}

/* GET /api/v1/brokers/metrics?from&to&region_code — per broker over the matches created
 * in the period: matches, open, responded, signed, dropped, conversion and win rates,
 * first-response time (average and median, hours), contracts and their value. */
int api_brokers_metrics(struct http_req *r)
{
    struct db *db = api_db(r);
    struct scope region;
    const char *from, *to;
    if (!db || !api_region_param(r, &region) || !deals_qdate(r, "from", &from) ||
        !deals_qdate(r, "to", &to))
        return 0;
    struct db_stmt *st = match_broker_metrics(db, &r->user.scope, &region, from, to);
    if (!st) {
        api_fail(r, KC_ERR_DB, NULL, NULL);
        return 0;
    }
    json_t *items = json_array();
    int rc;
    while ((rc = db_step(st)) == DB_ROW)
        json_array_append_new(items, db_row_json(st));
    db_done(st);
    if (rc < 0) {
        json_decref(items);
        api_fail(r, rc, NULL, NULL);
        return 0;
    }
    int64_t tm = 0, ts = 0, tdrop = 0, tc = 0, ta = 0, tt = 0, tresp = 0;
    size_t i;
    json_t *it;
    json_array_foreach(items, i, it)
    {
        int64_t matches = ival(it, "matches"), signed_ = ival(it, "signed"),
                dropped = ival(it, "dropped");
        json_object_set_new(it, "conversion_rate",
                            matches ? json_real((double)signed_ / (double)matches) : json_null());
        json_object_set_new(it, "win_rate",
                            signed_ + dropped
                                ? json_real((double)signed_ / (double)(signed_ + dropped))
                                : json_null());
        json_t *avg = json_object_get(it, "first_response_avg_s");
        json_object_set_new(it, "first_response_avg_hours",
                            json_is_number(avg) ? json_real(json_number_value(avg) / 3600.0)
                                                : json_null());
        json_object_del(it, "first_response_avg_s");
        /* The median from the sorted response times. */
        json_t *times = json_array();
        struct db_stmt *ts_st = match_response_times(db, ival(it, "broker_id"), from, to);
        while (ts_st && db_step(ts_st) == DB_ROW)
            json_array_append_new(times, json_integer(db_col_int(ts_st, 0)));
        if (ts_st)
            db_done(ts_st);
        size_t n = json_array_size(times);
        double median = 0;
        if (n) {
            double a = (double)json_integer_value(json_array_get(times, (n - 1) / 2));
            double b = (double)json_integer_value(json_array_get(times, n / 2));
            median = (a + b) / 2.0;
        }
        json_object_set_new(it, "first_response_median_hours",
                            n ? json_real(median / 3600.0) : json_null());
        json_decref(times);
        tm += matches;
        ts += signed_;
        tdrop += dropped;
        tresp += ival(it, "responded");
        tc += ival(it, "contracts");
        ta += ival(it, "contract_amount_fen");
        tt += ival(it, "tech_amount_fen");
    }
    json_t *total = json_pack("{s:I,s:I,s:I,s:I,s:I,s:I,s:I}", "matches", (json_int_t)tm,
                              "responded", (json_int_t)tresp, "signed", (json_int_t)ts,
                              "dropped", (json_int_t)tdrop, "contracts", (json_int_t)tc,
                              "contract_amount_fen", (json_int_t)ta, "tech_amount_fen",
                              (json_int_t)tt);
    json_object_set_new(total, "conversion_rate",
                        tm ? json_real((double)ts / (double)tm) : json_null());
    json_t *out = json_pack("{s:o,s:o,s:s?,s:s?}", "items", items, "total", total, "from", from,
                            "to", to);
    reply_json(r, 200, out);
    json_decref(out);
    return 0;
}
