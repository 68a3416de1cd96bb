/* plans.c (api) — /api/v1/plans, /targets, /indicators, /formulas, /plan-units, the
 * cockpit and the public plan view (docs/api-plans.md). */
#include "api/api.h"
#include "api/handlers_plans.h"
#include "core/timeutil.h"
#include "db/db.h"
#include "domain/plan_formula.h"
#include "store/plan.h"
#include "store/plan_values.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Replies 200 (or status) with a JSON value (stolen). */
static void reply_json(struct http_req *r, int status, json_t *v)
{
    char *text = json_dumps(v, JSON_COMPACT | JSON_REAL_PRECISION(12));
    json_decref(v);
    struct buf out = {0};
    buf_puts(&out, text ? text : "null");
    free(text);
    http_reply_json(r, status, &out);
}

/* Refreshes stale computed values; replies 500 and returns false on failure. */
static bool ensure_values(struct http_req *r, struct db *db)
{
    if (plan_values_ensure(db) == 0)
        return true;
    api_fail(r, KC_ERR_DB, NULL, NULL);
    return false;
}

/* Parses an optional positive integer query parameter; replies 422 when malformed. */
static bool q_int(struct http_req *r, const char *name, int64_t lo, int64_t hi, int64_t *out)
{
    const char *v = api_qparam(r, name);
    *out = 0;
    if (!v)
        return true;
    char *end;
    errno = 0;
    long long x = strtoll(v, &end, 10);
    if (errno || *end || x < lo || x > hi) {
        http_reply_error(r, 422, "invalid_value", name);
        return false;
    }
    *out = x;
    return true;
}

/* ---- plans --------------------------------------------------------------------------- */

static const char *const plan_sorts[] = {"id",          "code",       "title", "period_end",
                                         "region_code", "created_at", NULL};

/* Reads the plan list filters. */
static bool plan_filters(struct http_req *r, struct plan_filter *f)
{
    memset(f, 0, sizeof(*f));
    f->q = api_qparam(r, "q");
    f->status = api_qparam(r, "status");
    if (f->status && strcmp(f->status, "draft") && strcmp(f->status, "active") &&
        strcmp(f->status, "closed")) {
        http_reply_error(r, 422, "invalid_value", "status");
        return false;
    }
    return api_region_param(r, &f->region);
}

/* Lists plans with scope ps (shared by the logged-in and the public list). */
static int list_plans(struct http_req *r, const struct plan_scope *ps, bool public_only)
{
    struct db *db = api_db(r);
    struct plan_filter f;
    int64_t page, size, total = 0;
    const char *col;
    bool desc;
    if (!db || !plan_filters(r, &f) || !api_paging(r, &page, &size) ||
        !api_sort(r, plan_sorts, "id", &col, &desc))
        return 0;
    f.public_only = public_only;
    int rc = plan_count(db, ps, &f, &total);
    struct db_stmt *st = rc ? NULL : plan_list(db, ps, &f, col, desc, size, (page - 1) * size);
    if (!st) {
        api_fail(r, KC_ERR_DB, NULL, NULL);
        return 0;
    }
    json_t *items = json_array();
    while (db_step(st) == DB_ROW) {
        json_t *o = db_row_json(st);
        json_object_set_new(o, "is_public", json_boolean(db_col_int(st, 13) != 0));
        json_array_append_new(items, o);
    }
    db_done(st);
    reply_json(r, 200,
               json_pack("{s:o,s:I,s:I,s:I}", "items", items, "total", (json_int_t)total, "page",
                         (json_int_t)page, "page_size", (json_int_t)size));
    return 0;
}

/* GET /api/v1/plans */
int api_plans_list(struct http_req *r)
{
    struct plan_scope ps;
    plan_scope_of(&r->user, &ps);
    return list_plans(r, &ps, false);
}

/* Counts the evaluated targets of ids by status into an object. */
static json_t *status_counts(const int *counts)
{
    json_t *o = json_object();
    for (int s = 0; s < 5; s++)
        json_object_set_new(o, plan_status_name((enum plan_status)s), json_integer(counts[s]));
    return o;
}

/* Writes plan id (visible in ps) with its tasks, units and target status counts. */
static int reply_plan(struct http_req *r, const struct plan_scope *ps, int64_t id)
{
    struct db *db = api_db(r);
    if (!db || !ensure_values(r, db))
        return 0;
    json_t *plan = NULL, *tasks = NULL, *reqs = NULL;
    int rc = plan_get(db, ps, id, &plan);
    if (!rc)
        rc = plan_tasks_json(db, id, &tasks);
    if (!rc)
        rc = plan_requirements_json(db, id, &reqs);
    if (rc) {
        json_decref(plan);
        json_decref(tasks);
        json_decref(reqs);
        api_fail(r, rc, NULL, NULL);
        return 0;
    }
    struct target_filter tf = {.plan_id = id};
    int64_t *ids = NULL;
    size_t n = 0;
    int counts[5] = {0};
    if (plan_target_ids(db, ps, &tf, &ids, &n) == 0) {
        for (size_t i = 0; i < n; i++) {
            struct plan_target_eval ev;
            if (plan_target_eval(db, ids[i], NULL, &ev) == 0)
                counts[ev.status]++;
        }
    }
    free(ids);
    json_object_set_new(plan, "tasks", tasks);
    json_object_set_new(plan, "requirements", reqs);
    json_object_set_new(plan, "status_counts", status_counts(counts));
    reply_json(r, 200, plan);
    return 0;
}

/* GET /api/v1/plans/{id} */
int api_plans_get(struct http_req *r)
{
    int64_t id;
    if (!api_id_param(r, 0, &id))
        return 0;
    struct plan_scope ps;
    plan_scope_of(&r->user, &ps);
    return reply_plan(r, &ps, id);
}

static const struct field_spec plan_patch_fields[] = {
    {"title", FT_STR, true, 200},        {"status", FT_STR, true, 16},
    {"is_public", FT_BOOL, false, 0},    {"doc_no", FT_STR_NULL, false, 100},
    {"note", FT_STR_NULL, false, 2000},  {"period_end", FT_STR, true, 10},
    {"issuer", FT_STR_NULL, false, 200}, {NULL, 0, 0, 0},
};

/* PATCH /api/v1/plans/{id} */
int api_plans_patch(struct http_req *r)
{
    int64_t id;
    struct db *db = api_db(r);
    if (!db || !api_id_param(r, 0, &id))
        return 0;
    json_t *patch = api_body(r, plan_patch_fields, false);
    if (!patch)
        return 0;
    json_t *before = NULL, *after = NULL;
    struct plan_scope ps;
    plan_scope_of(&r->user, &ps);
    /* Only plans issued inside the editor's own region are editable. */
    ps.anc[0][0] = ps.anc[1][0] = ps.anc[2][0] = ps.anc[3][0] = '\0';
    const char *status = api_str(patch, "status");
    if (status && strcmp(status, "draft") && strcmp(status, "active") && strcmp(status, "closed")) {
        http_reply_error(r, 422, "invalid_value", "status");
        goto out;
    }
    const char *pe = api_str(patch, "period_end");
    int64_t t;
    if (pe && (strlen(pe) != 10 || time_parse_date(pe, &t) != 0)) {
        http_reply_error(r, 422, "invalid_date", "period_end");
        goto out;
    }
    int rc = db_begin(db);
    if (!rc)
        rc = plan_get(db, &ps, id, &before);
    if (rc) {
        db_rollback(db);
        api_fail(r, rc, NULL, NULL);
        goto out;
    }
    json_t *v;
    const char *key;
    json_object_foreach(patch, key, v)
    {
        if (rc)
            break;
        char sql[128];
        snprintf(sql, sizeof(sql),
                 "UPDATE plans SET %s = ?, updated_at = ?, updated_by = ? "
                 "WHERE id = ?",
                 key); /* key is one of plan_patch_fields (api_body checked it) */
        if (json_is_boolean(v))
            rc = db_run(
                db_query(db, sql, "iiii", (int64_t)json_is_true(v), time_now(), r->user.id, id));
        else
            rc =
                db_run(db_query(db, sql, "siii", json_string_value(v), time_now(), r->user.id, id));
    }
    if (!rc)
        rc = plan_get(db, &ps, id, &after);
    if (!rc) {
        struct audit_ctx ctx = api_audit_ctx(r);
        rc = audit_write(db, &ctx, "update", "plan", id, before, after);
    }
    if (!rc)
        rc = db_commit(db);
    else
        db_rollback(db);
    if (rc) {
        api_fail(r, rc, NULL, NULL);
        goto out;
    }
    reply_json(r, 200, json_incref(after));
out:
    json_decref(before);
    json_decref(after);
    json_decref(patch);
    return 0;
}

/* ---- targets --------------------------------------------------------------------------- */

/* Reads the target filters; replies 422 when malformed. */
static bool target_filters(struct http_req *r, struct target_filter *f, const char **status)
{
    memset(f, 0, sizeof(*f));
    f->indicator = api_qparam(r, "indicator");
    *status = api_qparam(r, "status");
    if (*status) {
        bool ok = false;
        for (int s = 0; s < 5; s++)
            ok = ok || strcmp(*status, plan_status_name((enum plan_status)s)) == 0;
        if (!ok) {
            http_reply_error(r, 422, "invalid_value", "status");
            return false;
        }
    }
    if (!q_int(r, "plan_id", 1, INT64_MAX, &f->plan_id) ||
        !q_int(r, "task_id", 1, INT64_MAX, &f->task_id) ||
        !q_int(r, "parent_id", 1, INT64_MAX, &f->parent_id))
        return false;
    return api_region_param(r, &f->region);
}

/* Lists the targets of filter f (paged after evaluation), full or in the contract form. */
static int list_targets(struct http_req *r, const struct plan_scope *ps, struct target_filter *f,
                        const char *status, bool full)
{
    struct db *db = api_db(r);
    int64_t page, size;
    if (!db || !api_paging(r, &page, &size) || !ensure_values(r, db))
        return 0;
    int64_t *ids = NULL;
    size_t n = 0;
    int rc = plan_target_ids(db, ps, f, &ids, &n);
    if (rc) {
        api_fail(r, rc, NULL, NULL);
        return 0;
    }
    json_t *items = json_array();
    int counts[5] = {0};
    int64_t total = 0, first = (page - 1) * size;
    for (size_t i = 0; rc == 0 && i < n; i++) {
        struct plan_target_eval ev;
        rc = plan_target_eval(db, ids[i], NULL, &ev);
        if (rc)
            break;
        counts[ev.status]++;
        if (status && strcmp(status, plan_status_name(ev.status)) != 0)
            continue;
        if (total >= first && total < first + size) {
            json_t *o = NULL;
            rc = plan_target_json(db, ids[i], &ev, full, &o);
            if (!rc)
                json_array_append_new(items, o);
        }
        total++;
    }
    free(ids);
    if (rc) {
        json_decref(items);
        api_fail(r, rc, NULL, NULL);
        return 0;
    }
    json_t *res = json_pack("{s:o,s:I,s:I,s:I}", "items", items, "total", (json_int_t)total, "page",
                            (json_int_t)page, "page_size", (json_int_t)size);
    if (full)
        json_object_set_new(res, "status_counts", status_counts(counts));
    reply_json(r, 200, res);
    return 0;
}

/* GET /api/v1/plans/{id}/targets */
int api_plan_targets(struct http_req *r)
{
    int64_t id;
    struct db *db = api_db(r);
    if (!db || !api_id_param(r, 0, &id))
        return 0;
    struct plan_scope ps;
    plan_scope_of(&r->user, &ps);
    json_t *plan = NULL;
    int rc = plan_get(db, &ps, id, &plan);
    json_decref(plan);
    if (rc) {
        api_fail(r, rc, NULL, NULL);
        return 0;
    }
    struct target_filter f;
    const char *status;
    if (!target_filters(r, &f, &status))
        return 0;
    f.plan_id = id;
    return list_targets(r, &ps, &f, status, false);
}

/* GET /api/v1/targets */
int api_targets_list(struct http_req *r)
{
    struct plan_scope ps;
    plan_scope_of(&r->user, &ps);
    struct target_filter f;
    const char *status;
    if (!target_filters(r, &f, &status))
        return 0;
    return list_targets(r, &ps, &f, status, true);
}

/* The indicator's formula as JSON (id, names, doc, ready), or null. */
static json_t *formula_json(struct http_req *r, struct db *db, const char *formula)
{
    enum pf_id id;
    if (!formula || !pf_lookup(formula, &id))
        return json_null();
    const struct pf_def *d = pf_def(id);
    return json_pack("{s:s,s:s,s:s,s:b}", "id", d->id, "name", r->en ? d->name_en : d->name_zh,
                     "definition", r->en ? d->doc_en : d->doc_zh, "ready",
                     plan_formula_ready(db, id));
}

/* The yearly series and trend of a target for the chart. */
static json_t *target_series(struct db *db, int64_t target_id, const struct plan_target_eval *ev)
{
    json_t *o = json_object();
    struct db_stmt *st = db_query(db,
                                  "SELECT indicator_id, region_code, coalesce(chain,'') FROM "
                                  "targets WHERE id = ?",
                                  "i", target_id);
    int64_t ind_id = 0;
    char region[7] = "", chain[40] = "";
    if (st && db_step(st) == DB_ROW) {
        ind_id = db_col_int(st, 0);
        snprintf(region, sizeof(region), "%s", db_col_text(st, 1));
        snprintf(chain, sizeof(chain), "%s", db_col_text(st, 2));
    }
    if (st)
        db_done(st);
    struct plan_indicator ind;
    json_t *pts = json_array(), *trend = json_array();
    int E = ev->as_of_year < ev->due_year ? ev->as_of_year : ev->due_year;
    struct plan_value s[PLAN_VALUE_YEARS];
    if (ind_id && plan_indicator_load(db, ind_id, &ind) == 0 &&
        plan_values_series(db, &ind, region, chain, E - PLAN_VALUE_YEARS + 1, E, s) == 0) {
        for (int i = 0; i < PLAN_VALUE_YEARS; i++) {
            if (!s[i].present || !isfinite(s[i].value))
                continue;
            json_t *p = json_pack("{s:i,s:f,s:s}", "year", s[i].year, "value", s[i].value, "source",
                                  ind.ready ? "computed" : "reported");
            if (s[i].observation_id)
                json_object_set_new(p, "observation_id", json_integer(s[i].observation_id));
            if (ind.ready && ind.spec.id == PF_ENTERPRISE_SHARE)
                json_object_set_new(p, "denominator", json_integer(s[i].denominator));
            json_array_append_new(pts, p);
        }
        json_object_set_new(o, "computed", json_boolean(ind.ready));
    }
    if (ev->trend.fit != PLAN_FIT_NONE)
        for (int y = ev->trend.year0; y <= ev->due_year; y++)
            json_array_append_new(
                trend, json_pack("{s:i,s:f}", "year", y, "value", plan_trend_at(&ev->trend, y)));
    json_object_set_new(o, "points", pts);
    json_object_set_new(o, "trend", trend);
    json_object_set_new(o, "fit",
                        json_string(ev->trend.fit == PLAN_FIT_LINEAR     ? "linear"
                                    : ev->trend.fit == PLAN_FIT_COMPOUND ? "compound"
                                                                         : "none"));
    return o;
}

/* GET /api/v1/targets/{id} */
int api_targets_get(struct http_req *r)
{
    int64_t id;
    struct db *db = api_db(r);
    if (!db || !api_id_param(r, 0, &id) || !ensure_values(r, db))
        return 0;
    struct plan_scope ps;
    plan_scope_of(&r->user, &ps);
    int rc = plan_target_visible(db, &ps, id, NULL);
    struct plan_target_eval ev;
    json_t *o = NULL, *split = NULL;
    if (!rc)
        rc = plan_target_eval(db, id, NULL, &ev);
    if (!rc)
        rc = plan_target_json(db, id, &ev, true, &o);
    if (!rc)
        rc = plan_split_check(db, id, &split);
    if (rc) {
        json_decref(o);
        api_fail(r, rc, NULL, NULL);
        return 0;
    }
    json_object_set_new(o, "series", target_series(db, id, &ev));
    json_object_set_new(o, "split_check", split ? split : json_null());
    /* The indicator's formula and the task's responsible units. */
    struct db_stmt *st = db_query(
        db,
        "SELECT i.formula, i.reporter, i.definition, "
        "(SELECT json_group_array(u.name) FROM (SELECT u.name FROM targets t "
        "JOIN plan_task_units tu ON tu.task_id = t.task_id JOIN plan_units u ON u.id = "
        "tu.unit_id WHERE t.id = ? ORDER BY tu.seq) u), k.deadline "
        "FROM targets t JOIN indicators i ON i.id = t.indicator_id JOIN plan_tasks k ON k.id = "
        "t.task_id WHERE t.id = ?",
        "ii", id, id);
    if (st && db_step(st) == DB_ROW) {
        json_t *ind = json_object_get(o, "indicator");
        json_object_set_new(ind, "formula", formula_json(r, db, db_col_text(st, 0)));
        json_object_set_new(ind, "reporter", json_string(db_col_text(st, 1)));
        json_object_set_new(ind, "definition", json_string(db_col_text(st, 2)));
        json_error_t je;
        json_t *units = db_col_text(st, 3) ? json_loads(db_col_text(st, 3), 0, &je) : NULL;
        json_object_set_new(o, "units", units ? units : json_array());
        json_object_set_new(o, "task_deadline", json_string(db_col_text(st, 4)));
    }
    if (st)
        db_done(st);
    /* Children of a split. */
    struct target_filter cf = {.parent_id = id};
    int64_t *ids = NULL;
    size_t n = 0;
    json_t *children = json_array();
    if (plan_target_ids(db, &ps, &cf, &ids, &n) == 0) {
        for (size_t i = 0; i < n; i++) {
            struct plan_target_eval ce;
            json_t *c = NULL;
            if (plan_target_eval(db, ids[i], NULL, &ce) == 0 &&
                plan_target_json(db, ids[i], &ce, false, &c) == 0)
                json_array_append_new(children, c);
        }
    }
    free(ids);
    json_object_set_new(o, "children", children);
    reply_json(r, 200, o);
    return 0;
}

/* Body of POST /targets and PATCH /targets/{id}. */
static const struct field_spec target_fields[] = {
    {"plan_id", FT_INT, true, 0},
    {"task_code", FT_STR, true, 32},
    {"indicator_code", FT_STR, true, 64},
    {"code", FT_STR, true, 64},
    {"region_code", FT_STR, true, 6},
    {"chain", FT_STR_NULL, false, 32},
    {"basis", FT_STR_NULL, false, 12},
    {"comparator", FT_STR, true, 8},
    {"target_value", FT_NUM_NULL, true, 0},
    {"target_value_max", FT_NUM_NULL, false, 0},
    {"target_year", FT_INT, true, 0},
    {"baseline_year", FT_INT_NULL, false, 0},
    {"baseline_value", FT_NUM_NULL, false, 0},
    {"parent_id", FT_INT_NULL, false, 0},
    {"split_rule", FT_STR_NULL, false, 10},
    {"split_weight", FT_NUM_NULL, false, 0},
    {"text", FT_STR_NULL, false, 2000},
    {"note", FT_STR_NULL, false, 2000},
    {"milestones", FT_ARRAY, false, 0},
    {NULL, 0, 0, 0},
};

/* Checks the optional "milestones" member: [{year, value, comparator?, text?}], years
 * distinct and not after target_year. Replies 422 naming `milestones` and returns false. */
static bool milestones_ok(struct http_req *r, json_t *o)
{
    json_t *ms = json_object_get(o, "milestones");
    if (!ms)
        return true;
    int64_t ty = json_integer_value(json_object_get(o, "target_year"));
    size_t i, j;
    json_t *m, *m2;
    json_array_foreach(ms, i, m) {
        json_t *y = json_object_get(m, "year"), *v = json_object_get(m, "value");
        json_t *c = json_object_get(m, "comparator"), *t = json_object_get(m, "text");
        bool ok = json_is_object(m) && json_is_integer(y) && json_integer_value(y) >= 1949 &&
                  (!ty || json_integer_value(y) <= ty) && json_is_number(v) &&
                  (!c || json_is_null(c) || (json_is_string(c) && plan_cmp_parse(json_string_value(c), &(enum plan_cmp){0}))) &&
                  (!t || json_is_null(t) || (json_is_string(t) && json_string_length(t) <= 500));
        json_array_foreach(ms, j, m2) if (ok && j < i && json_equal(json_object_get(m2, "year"), y)) ok = false;
        if (!ok) {
            http_reply_error(r, 422, "invalid_milestones", "milestones");
            return false;
        }
    }
    return true;
}

/* Replaces the milestones of target id with the "milestones" member when it is present. */
static int milestones_write(struct db *db, int64_t id, json_t *o)
{
    json_t *ms = json_object_get(o, "milestones");
    if (!ms)
        return 0;
    int rc = db_run(db_query(db, "DELETE FROM target_milestones WHERE target_id = ?", "i", id));
    size_t i;
    json_t *m;
    json_array_foreach(ms, i, m) {
        if (rc)
            break;
        json_t *c = json_object_get(m, "comparator"), *t = json_object_get(m, "text");
        rc = db_run(db_query(db,
                             "INSERT INTO target_milestones(target_id, year, comparator, value, "
                             "text) VALUES(?, ?, ?, ?, ?)",
                             "iisds", id, (int64_t)json_integer_value(json_object_get(m, "year")),
                             json_is_string(c) ? json_string_value(c) : NULL,
                             json_number_value(json_object_get(m, "value")),
                             json_is_string(t) ? json_string_value(t) : NULL));
    }
    return rc;
}

/* A number member or NAN. */
static double num(json_t *o, const char *k)
{
    json_t *v = json_object_get(o, k);
    return json_is_number(v) ? json_number_value(v) : NAN;
}

/* The references of a target resolved by target_validate. */
struct target_refs {
    int64_t task_id, indicator_id; /* resolved */
    char region[7];                /* canonical region */
    bool lower;                    /* indicator direction lower */
};
/* Validates a complete target record o (create, or the merged record of an edit) and
 * resolves its references into res. Replies 422 and returns false on a problem. */
static bool target_validate(struct http_req *r, struct db *db, json_t *o, int64_t self_id,
                            struct target_refs *res)
{
    int64_t plan_id = json_integer_value(json_object_get(o, "plan_id"));
    struct plan_scope ps;
    plan_scope_of(&r->user, &ps);
    json_t *plan = NULL;
    if (plan_get(db, &ps, plan_id, &plan) != 0) {
        http_reply_error(r, 422, "invalid_value", "plan_id");
        return false;
    }
    char plan_region[7];
    snprintf(plan_region, sizeof(plan_region), "%s", api_str(plan, "region_code"));
    int plan_start = plan_date_year(api_str(plan, "period_start"));
    json_decref(plan);
    if (db_scalar(db_query(db, "SELECT id FROM plan_tasks WHERE plan_id=? AND code=?", "is",
                           plan_id, api_str(o, "task_code")),
                  &res->task_id) != 0 ||
        !res->task_id) {
        http_reply_error(r, 422, "invalid_value", "task_code");
        return false;
    }
    struct db_stmt *st = db_query(db, "SELECT id, direction, scope FROM indicators WHERE code=?",
                                  "s", api_str(o, "indicator_code"));
    bool chain_scope = false;
    res->indicator_id = 0;
    if (st && db_step(st) == DB_ROW) {
        res->indicator_id = db_col_int(st, 0);
        res->lower = strcmp(db_col_text(st, 1), "lower") == 0;
        chain_scope = strcmp(db_col_text(st, 2), "chain") == 0;
    }
    if (st)
        db_done(st);
    if (!res->indicator_id) {
        http_reply_error(r, 422, "invalid_value", "indicator_code");
        return false;
    }
    if (!api_region(r, db, "region_code", api_str(o, "region_code"), res->region))
        return false;
    char pp[7];
    auth_region_prefix(plan_region, pp);
    if (strncmp(res->region, pp, strlen(pp)) != 0) {
        http_reply_error(r, 422, "region_outside_plan", "region_code");
        return false;
    }
    if (!auth_region_in_scope(&r->user, res->region)) {
        http_reply_error(r, 422, "region_out_of_scope", "region_code");
        return false;
    }
    const char *chain = api_str(o, "chain");
    if (chain_scope != (chain != NULL)) {
        http_reply_error(r, 422, chain_scope ? "required" : "invalid_value", "chain");
        return false;
    }
    if (chain) {
        int64_t n = 0;
        if (db_scalar(db_query(db, "SELECT count(*) FROM chains WHERE code=?", "s", chain), &n) ||
            !n) {
            http_reply_error(r, 422, "invalid_value", "chain");
            return false;
        }
    }
    enum plan_cmp cmp;
    const char *cs = api_str(o, "comparator");
    if (!plan_cmp_parse(cs, &cmp)) {
        http_reply_error(r, 422, "invalid_value", "comparator");
        return false;
    }
    if (((cmp == PLAN_CMP_GE || cmp == PLAN_CMP_GT) && res->lower) ||
        ((cmp == PLAN_CMP_LE || cmp == PLAN_CMP_LT) && !res->lower)) {
        http_reply_error(r, 422, "comparator_direction", "comparator");
        return false;
    }
    double tv = num(o, "target_value"), tmax = num(o, "target_value_max");
    if (isnan(tv) || !isfinite(tv)) {
        http_reply_error(r, 422, "required", "target_value");
        return false;
    }
    if (cmp == PLAN_CMP_BETWEEN && (isnan(tmax) || tmax <= tv)) {
        http_reply_error(r, 422, "invalid_value", "target_value_max");
        return false;
    }
    int64_t ty = json_integer_value(json_object_get(o, "target_year"));
    if (ty < 1949 || ty > 2100 || (plan_start && ty < plan_start)) {
        http_reply_error(r, 422, "invalid_value", "target_year");
        return false;
    }
    json_t *by = json_object_get(o, "baseline_year");
    if (json_is_integer(by) && (json_integer_value(by) < 1949 || json_integer_value(by) >= ty)) {
        http_reply_error(r, 422, "invalid_value", "baseline_year");
        return false;
    }
    if (json_is_integer(by) != !isnan(num(o, "baseline_value"))) {
        http_reply_error(r, 422, "required",
                         json_is_integer(by) ? "baseline_value" : "baseline_year");
        return false;
    }
    const char *basis = api_str(o, "basis");
    if (basis && strcmp(basis, "level") && strcmp(basis, "annual")) {
        http_reply_error(r, 422, "invalid_value", "basis");
        return false;
    }
    const char *rule = api_str(o, "split_rule");
    if (rule && strcmp(rule, "sum") && strcmp(rule, "weighted")) {
        http_reply_error(r, 422, "invalid_value", "split_rule");
        return false;
    }
    double w = num(o, "split_weight");
    if (!isnan(w) && (w <= 0 || w > 1)) {
        http_reply_error(r, 422, "invalid_value", "split_weight");
        return false;
    }
    json_t *parent = json_object_get(o, "parent_id");
    if (json_is_integer(parent)) {
        /* A split: same plan and indicator, a region strictly below the parent's. */
        int64_t pid = json_integer_value(parent), pplan = 0, pind = 0;
        char preg[7] = "";
        st = db_query(db, "SELECT plan_id, indicator_id, region_code FROM targets WHERE id=?", "i",
                      pid);
        if (st && db_step(st) == DB_ROW) {
            pplan = db_col_int(st, 0);
            pind = db_col_int(st, 1);
            snprintf(preg, sizeof(preg), "%s", db_col_text(st, 2));
        }
        if (st)
            db_done(st);
        char pfx[7];
        auth_region_prefix(preg, pfx);
        if (pid == self_id || pplan != plan_id || pind != res->indicator_id || !preg[0] ||
            strcmp(preg, res->region) == 0 || strncmp(res->region, pfx, strlen(pfx)) != 0) {
            http_reply_error(r, 422, "invalid_parent", "parent_id");
            return false;
        }
    }
    return true;
}

/* Writes the columns of a validated target record o into target id (0: inserts). */
static int target_write(struct http_req *r, struct db *db, json_t *o, const struct target_refs *t,
                        int64_t *id)
{
    int64_t now = time_now();
    const char *sql =
        *id ? "UPDATE targets SET plan_id=?1, task_id=?2, indicator_id=?3, code=?4, "
              "region_code=?5, chain=?6, basis=?7, comparator=?8, target_value=?9, "
              "target_value_max=?10, target_year=?11, baseline_year=?12, baseline_value=?13, "
              "parent_id=?14, split_rule=?15, split_weight=?16, text=coalesce(?17,''), note=?18, "
              "updated_at=?19, updated_by=?20 WHERE id=?21"
            : "INSERT INTO targets(plan_id,task_id,indicator_id,code,region_code,chain,kind,"
              "basis,comparator,target_value,target_value_max,target_year,baseline_year,"
              "baseline_value,parent_id,split_rule,split_weight,text,note,created_at,"
              "updated_at,created_by,updated_by) VALUES(?1,?2,?3,?4,?5,?6,'value',?7,?8,?9,?10,"
              "?11,?12,?13,?14,?15,?16,coalesce(?17,''),?18,?19,?19,?20,?20)";
    struct db_stmt *st = db_prep(db, sql);
    if (!st)
        return KC_ERR_DB;
    const char *basis = api_str(o, "basis");
    json_t *by = json_object_get(o, "baseline_year"), *par = json_object_get(o, "parent_id");
    double tmax = num(o, "target_value_max"), bv = num(o, "baseline_value"),
           w = num(o, "split_weight");
    int rc = db_bind_int(st, 1, json_integer_value(json_object_get(o, "plan_id")));
    rc = rc ? rc : db_bind_int(st, 2, t->task_id);
    rc = rc ? rc : db_bind_int(st, 3, t->indicator_id);
    rc = rc ? rc : db_bind_text(st, 4, api_str(o, "code"));
    rc = rc ? rc : db_bind_text(st, 5, t->region);
    rc = rc ? rc : db_bind_text(st, 6, api_str(o, "chain"));
    rc = rc ? rc : db_bind_text(st, 7, basis ? basis : "level");
    rc = rc ? rc : db_bind_text(st, 8, api_str(o, "comparator"));
    rc = rc ? rc : db_bind_double(st, 9, num(o, "target_value"));
    rc = rc ? rc : (isnan(tmax) ? db_bind_null(st, 10) : db_bind_double(st, 10, tmax));
    rc = rc ? rc : db_bind_int(st, 11, json_integer_value(json_object_get(o, "target_year")));
    rc = rc ? rc
            : (json_is_integer(by) ? db_bind_int(st, 12, json_integer_value(by))
                                   : db_bind_null(st, 12));
    rc = rc ? rc : (isnan(bv) ? db_bind_null(st, 13) : db_bind_double(st, 13, bv));
    rc = rc ? rc
            : (json_is_integer(par) ? db_bind_int(st, 14, json_integer_value(par))
                                    : db_bind_null(st, 14));
    rc = rc ? rc : db_bind_text(st, 15, api_str(o, "split_rule"));
    rc = rc ? rc : (isnan(w) ? db_bind_null(st, 16) : db_bind_double(st, 16, w));
    rc = rc ? rc : db_bind_text(st, 17, api_str(o, "text"));
    rc = rc ? rc : db_bind_text(st, 18, api_str(o, "note"));
    rc = rc ? rc : db_bind_int(st, 19, now);
    rc = rc ? rc : db_bind_int(st, 20, r->user.id);
    if (*id)
        rc = rc ? rc : db_bind_int(st, 21, *id);
    if (rc) {
        db_done(st);
        return rc;
    }
    rc = db_run(st);
    if (!rc && !*id)
        *id = db_last_id(db);
    return rc;
}

/* The editable record of target id as a body-shaped object (for PATCH merges). */
static json_t *target_record(struct db *db, int64_t id)
{
    struct db_stmt *st = db_query(
        db,
        "SELECT t.plan_id, k.code AS task_code, i.code AS indicator_code, t.code, t.region_code, "
        "t.chain, t.basis, t.comparator, t.target_value, t.target_value_max, t.target_year, "
        "t.baseline_year, t.baseline_value, t.parent_id, t.split_rule, t.split_weight, t.text, "
        "t.note, t.kind, (SELECT json_group_array(json_object('year', m.year, 'value', m.value, "
        "'comparator', m.comparator, 'text', m.text)) FROM (SELECT * FROM target_milestones "
        "WHERE target_id = t.id ORDER BY year) m) AS milestones_json "
        "FROM targets t JOIN plan_tasks k ON k.id = t.task_id "
        "JOIN indicators i ON i.id = t.indicator_id WHERE t.id = ?",
        "i", id);
    json_t *o = NULL;
    if (st && db_step(st) == DB_ROW)
        o = db_row_json(st);
    if (st)
        db_done(st);
    return o;
}

/* Inserts or updates a target from the request body; replies. */
static int save_target(struct http_req *r, int64_t id)
{
    struct db *db = api_db(r);
    if (!db)
        return 0;
    json_t *body = api_body(r, target_fields, id == 0);
    if (!body)
        return 0;
    json_t *before = NULL, *rec = NULL, *after = NULL;
    int rc = db_begin(db);
    if (rc) {
        api_fail(r, rc, NULL, NULL);
        goto out;
    }
    if (id) {
        struct plan_scope ps;
        plan_scope_of(&r->user, &ps);
        rc = plan_target_visible(db, &ps, id, NULL);
        before = rc ? NULL : target_record(db, id);
        if (!rc && !before)
            rc = KC_ERR_DB;
        if (rc) {
            db_rollback(db);
            api_fail(r, rc, NULL, NULL);
            goto out;
        }
        const char *kind = api_str(before, "kind");
        if (kind && strcmp(kind, "value") != 0 &&
            (json_object_get(body, "target_value") || json_object_get(body, "comparator"))) {
            db_rollback(db);
            http_reply_error(r, 422, "not_value_target", "target_value");
            goto out;
        }
        rec = json_deep_copy(before);
        json_object_del(rec, "kind");
        json_object_update(rec, body);
        if (kind && strcmp(kind, "value") != 0) {
            /* Growth and relative targets keep their stated shape; only the texts and the
             * split change. Validation needs a value, so it checks a stand-in. */
            json_object_set_new(rec, "target_value", json_real(0));
        }
    } else {
        rec = json_incref(body);
    }
    struct target_refs refs;
    if (!milestones_ok(r, rec) || !target_validate(r, db, rec, id, &refs)) {
        db_rollback(db);
        goto out;
    }
    if (id && json_object_get(before, "kind") && strcmp(api_str(before, "kind"), "value") != 0)
        json_object_set(rec, "target_value", json_object_get(before, "target_value"));
    int64_t tid = id;
    rc = target_write(r, db, rec, &refs, &tid);
    if (!rc)
        rc = milestones_write(db, tid, body);
    if (!rc)
        after = target_record(db, tid);
    if (!rc) {
        struct audit_ctx ctx = api_audit_ctx(r);
        rc = audit_write(db, &ctx, id ? "update" : "create", "target", tid, before, after);
    }
    if (!rc)
        rc = db_commit(db);
    else
        db_rollback(db);
    if (rc) {
        api_fail(r, rc, rc == KC_ERR_CONFLICT ? "conflict" : NULL, "code");
        goto out;
    }
    struct plan_target_eval ev;
    json_t *o = NULL;
    if (plan_values_ensure(db) == 0 && plan_target_eval(db, tid, NULL, &ev) == 0 &&
        plan_target_json(db, tid, &ev, true, &o) == 0)
        reply_json(r, id ? 200 : 201, o);
    else
        api_fail(r, KC_ERR_DB, NULL, NULL);
out:
    json_decref(body);
    json_decref(before);
    json_decref(rec);
    json_decref(after);
    return 0;
}

/* POST /api/v1/targets */
int api_targets_create(struct http_req *r)
{
    return save_target(r, 0);
}

/* PATCH /api/v1/targets/{id} */
int api_targets_patch(struct http_req *r)
{
    int64_t id;
    if (!api_id_param(r, 0, &id))
        return 0;
    return save_target(r, id);
}

/* DELETE /api/v1/targets/{id} — removes a target added by mistake, with its milestones.
 * Refused (409) while county targets are split from it or a supervision ticket names it
 * (their history must keep its subject); frozen assessment values keep their numbers. */
int api_targets_delete(struct http_req *r)
{
    int64_t id;
    struct db *db = api_db(r);
    if (!db || !api_id_param(r, 0, &id))
        return 0;
    int rc = db_begin(db);
    if (rc) {
        api_fail(r, rc, NULL, NULL);
        return 0;
    }
    struct plan_scope ps;
    plan_scope_of(&r->user, &ps);
    json_t *before = NULL;
    rc = plan_target_visible(db, &ps, id, NULL);
    if (!rc && !(before = target_record(db, id)))
        rc = KC_ERR_DB;
    int64_t children = 0, tickets = 0;
    if (!rc)
        rc = db_scalar(db_query(db, "SELECT count(*) FROM targets WHERE parent_id = ?", "i", id),
                       &children);
    if (!rc)
        rc = db_scalar(db_query(db,
                                "SELECT count(*) FROM sup_tickets WHERE subject_kind = 'target' "
                                "AND subject_id = ?",
                                "i", id),
                       &tickets);
    if (!rc && (children || tickets)) {
        db_rollback(db);
        http_reply_error(r, 409, children ? "target_has_splits" : "target_has_tickets", NULL);
        json_decref(before);
        return 0;
    }
    if (!rc)
        rc = db_run(db_query(db, "DELETE FROM target_milestones WHERE target_id = ?", "i", id));
    if (!rc)
        rc = db_run(db_query(db, "DELETE FROM targets WHERE id = ?", "i", id));
    if (!rc) {
        struct audit_ctx ctx = api_audit_ctx(r);
        rc = audit_write(db, &ctx, "delete", "target", id, before, NULL);
    }
    json_decref(before);
    if (!rc)
        rc = db_commit(db);
    if (rc) {
        db_rollback(db);
        api_fail(r, rc, NULL, NULL);
        return 0;
    }
    reply_json(r, 200, json_pack("{s:b}", "ok", 1));
    return 0;
}

/* ---- indicators, formulas, units ------------------------------------------------------- */

#define IND_SELECT                                                                                 \
    "SELECT i.id, i.code, i.name, i.unit, i.direction, i.measure, i.scope, i.method, "             \
    "i.formula, i.params_json, i.reporter, i.definition, i.note, "                                 \
    "(SELECT count(*) FROM targets t WHERE t.indicator_id = i.id) AS n_targets "                   \
    "FROM indicators i WHERE 1=1"

/* Adds the formula description to an indicator row object. */
static void decorate_indicator(struct http_req *r, struct db *db, json_t *o)
{
    json_object_set_new(o, "formula_info", formula_json(r, db, api_str(o, "formula")));
}

/* GET /api/v1/indicators */
int api_indicators_list(struct http_req *r)
{
    struct db *db = api_db(r);
    int64_t page, size, total = 0;
    const char *col;
    bool desc;
    static const char *const sorts[] = {"code", "name", "id", "method", NULL};
    if (!db || !api_paging(r, &page, &size) || !api_sort(r, sorts, "code", &col, &desc))
        return 0;
    const char *q = api_qparam(r, "q"), *method = api_qparam(r, "method");
    if (method && strcmp(method, "computed") && strcmp(method, "reported")) {
        http_reply_error(r, 422, "invalid_value", "method");
        return 0;
    }
    struct buf sql = {0}, cnt = {0};
    struct db_args a = {0}, b = {0};
    buf_puts(&sql, IND_SELECT);
    buf_puts(&cnt, "SELECT count(*) FROM indicators i WHERE 1=1");
    if (q) {
        const char *cond = " AND (instr(i.name, ?) > 0 OR instr(i.code, ?) > 0)";
        buf_puts(&sql, cond);
        buf_puts(&cnt, cond);
        db_args_text(&a, q);
        db_args_text(&a, q);
        db_args_text(&b, q);
        db_args_text(&b, q);
    }
    if (method) {
        buf_puts(&sql, " AND i.method = ?");
        buf_puts(&cnt, " AND i.method = ?");
        db_args_text(&a, method);
        db_args_text(&b, method);
    }
    buf_puts(&sql, " ");
    int rc = db_count(db, &cnt, &b, &total);
    struct db_stmt *st = rc ? NULL : db_page(db, &sql, &a, "i", col, desc, size, (page - 1) * size);
    if (rc)
        buf_free(&sql);
    if (!st) {
        api_fail(r, KC_ERR_DB, NULL, NULL);
        return 0;
    }
    json_t *items = json_array();
    while (db_step(st) == DB_ROW)
        json_array_append_new(items, db_row_json(st));
    db_done(st);
    size_t i;
    json_t *o;
    json_array_foreach(items, i, o) decorate_indicator(r, db, o);
    reply_json(r, 200,
               json_pack("{s:o,s:I,s:I,s:I}", "items", items, "total", (json_int_t)total, "page",
                         (json_int_t)page, "page_size", (json_int_t)size));
    return 0;
}

/* GET /api/v1/indicators/{id} */
int api_indicators_get(struct http_req *r)
{
    int64_t id;
    struct db *db = api_db(r);
    if (!db || !api_id_param(r, 0, &id))
        return 0;
    struct db_stmt *st = db_query(db, IND_SELECT " AND i.id = ?", "i", id);
    json_t *o = NULL;
    if (st && db_step(st) == DB_ROW)
        o = db_row_json(st);
    if (st)
        db_done(st);
    if (!o) {
        api_fail(r, st ? KC_ERR_NOT_FOUND : KC_ERR_DB, NULL, NULL);
        return 0;
    }
    decorate_indicator(r, db, o);
    reply_json(r, 200, o);
    return 0;
}

/* Reads ?region_code (default: the user's region) and ?chain for one indicator cell;
 * replies 404 for a region outside the caller's scope. */
static bool cell_params(struct http_req *r, struct db *db, const struct plan_indicator *ind,
                        char region[7], const char **chain)
{
    const char *rc = api_qparam(r, "region_code");
    if (rc) {
        if (!api_region(r, db, "region_code", rc, region))
            return false;
    } else {
        snprintf(region, 7, "%s", r->user.region_code);
    }
    if (!auth_region_in_scope(&r->user, region)) {
        http_reply_error(r, 404, "not_found", NULL);
        return false;
    }
    *chain = api_qparam(r, "chain");
    if (ind->chain_scope && !*chain) {
        http_reply_error(r, 422, "required", "chain");
        return false;
    }
    if (!ind->chain_scope)
        *chain = "";
    return true;
}

/* GET /api/v1/indicators/{id}/values */
int api_indicator_values(struct http_req *r)
{
    int64_t id, from, to;
    struct db *db = api_db(r);
    if (!db || !api_id_param(r, 0, &id))
        return 0;
    struct plan_indicator ind;
    int rc = plan_indicator_load(db, id, &ind);
    if (rc) {
        api_fail(r, rc, NULL, NULL);
        return 0;
    }
    char region[7], today[11];
    const char *chain;
    plan_today(today);
    int A = plan_date_year(today);
    if (!cell_params(r, db, &ind, region, &chain) || !q_int(r, "from", 1949, 2100, &from) ||
        !q_int(r, "to", 1949, 2100, &to) || !ensure_values(r, db))
        return 0;
    if (!to || to > A)
        to = A;
    if (!from || from < to - PLAN_VALUE_YEARS + 1)
        from = to - PLAN_VALUE_YEARS + 1;
    if (from > to) {
        http_reply_error(r, 422, "invalid_value", "from");
        return 0;
    }
    struct plan_value s[PLAN_VALUE_YEARS];
    rc = plan_values_series(db, &ind, region, chain, (int)from, (int)to, s);
    if (rc) {
        api_fail(r, rc, NULL, NULL);
        return 0;
    }
    json_t *items = json_array();
    for (int y = (int)from; y <= to; y++) {
        struct plan_value *v = &s[y - from];
        json_t *p = json_pack("{s:i,s:o}", "year", y, "value",
                              v->present && !isnan(v->value) ? json_real(v->value) : json_null());
        if (ind.ready) {
            json_object_set_new(p, "numerator", json_integer(v->numerator));
            json_object_set_new(p, "denominator", json_integer(v->denominator));
        } else if (v->observation_id) {
            json_object_set_new(p, "observation_id", json_integer(v->observation_id));
        }
        json_array_append_new(items, p);
    }
    reply_json(r, 200,
               json_pack("{s:s,s:s,s:s,s:s,s:o}", "indicator", ind.code, "region_code", region,
                         "chain", chain, "source", ind.ready ? "computed" : "reported", "items",
                         items));
    return 0;
}

/* Writes the current drill-down row, leaving out the helper columns (__num, __den). */
static json_t *drill_row(struct db_stmt *st)
{
    json_t *o = db_row_json(st);
    json_object_del(o, "__num");
    json_object_del(o, "__den");
    return o;
}

/* GET /api/v1/indicators/{id}/records */
int api_indicator_records(struct http_req *r)
{
    int64_t id, year, page, size;
    struct db *db = api_db(r);
    if (!db || !api_id_param(r, 0, &id))
        return 0;
    struct plan_indicator ind;
    int rc = plan_indicator_load(db, id, &ind);
    if (rc) {
        api_fail(r, rc, NULL, NULL);
        return 0;
    }
    char region[7], today[11];
    const char *chain;
    plan_today(today);
    if (!cell_params(r, db, &ind, region, &chain) || !q_int(r, "year", 1949, 2100, &year) ||
        !api_paging(r, &page, &size))
        return 0;
    if (!year)
        year = plan_date_year(today);
    if (!ind.ready) {
        http_reply_error(r, 422, "not_computed", "indicator");
        return 0;
    }
    int64_t total = 0, n = 0, d = 0;
    struct db_stmt *st = plan_values_drill(db, &ind, region, chain, (int)year, NULL, size,
                                           (page - 1) * size, &total, &n, &d);
    if (!st) {
        api_fail(r, KC_ERR_DB, NULL, NULL);
        return 0;
    }
    json_t *items = json_array();
    while (db_step(st) == DB_ROW)
        json_array_append_new(items, drill_row(st));
    db_done(st);
    double v = plan_value_of(&ind.spec, n, d);
    enum pf_id fid = ind.spec.id;
    reply_json(r, 200,
               json_pack("{s:s,s:s,s:s,s:s,s:I,s:o,s:I,s:I,s:o,s:I,s:I,s:I}", "indicator", ind.code,
                         "formula", pf_def(fid)->id, "region_code", region, "chain", chain, "year",
                         (json_int_t)year, "value", isnan(v) ? json_null() : json_real(v),
                         "numerator", (json_int_t)n, "denominator", (json_int_t)d, "items", items,
                         "total", (json_int_t)total, "page", (json_int_t)page, "page_size",
                         (json_int_t)size));
    return 0;
}

/* POST /api/v1/indicators/recompute */
int api_indicators_recompute(struct http_req *r)
{
    struct db *db = api_db(r);
    if (!db)
        return 0;
    int64_t t0 = time_mono_ns();
    int n = 0;
    int rc = db_begin(db);
    if (!rc)
        rc = plan_values_refresh(db, NULL, true, &n);
    if (!rc) {
        struct audit_ctx ctx = api_audit_ctx(r);
        json_t *diff = json_pack("{s:{s:i}}", "indicators", "after", n);
        rc = audit_write_diff(db, &ctx, "recompute", "indicator_values", 0, diff);
        json_decref(diff);
    }
    if (!rc)
        rc = db_commit(db);
    else
        db_rollback(db);
    if (rc) {
        api_fail(r, rc, NULL, NULL);
        return 0;
    }
    reply_json(r, 200,
               json_pack("{s:i,s:I}", "recomputed", n, "ms",
                         (json_int_t)((time_mono_ns() - t0) / 1000000)));
    return 0;
}

/* GET /api/v1/formulas */
int api_formulas_list(struct http_req *r)
{
    struct db *db = api_db(r);
    if (!db)
        return 0;
    json_t *items = json_array();
    for (int i = 0; i < PF_COUNT; i++) {
        const struct pf_def *d = pf_def((enum pf_id)i);
        json_t *tables = json_array();
        for (int k = 0; k < 3 && d->tables[k]; k++)
            json_array_append_new(tables, json_string(d->tables[k]));
        json_array_append_new(items, json_pack("{s:s,s:s,s:s,s:o,s:b,s:b}", "id", d->id, "name",
                                               r->en ? d->name_en : d->name_zh, "definition",
                                               r->en ? d->doc_en : d->doc_zh, "tables", tables,
                                               "implemented", d->implemented, "ready",
                                               plan_formula_ready(db, (enum pf_id)i)));
    }
    reply_json(r, 200, json_pack("{s:o}", "items", items));
    return 0;
}

/* GET /api/v1/plan-units */
int api_plan_units_list(struct http_req *r)
{
    struct db *db = api_db(r);
    if (!db)
        return 0;
    struct plan_scope ps;
    plan_scope_of(&r->user, &ps);
    json_t *items = NULL;
    int rc = plan_units_json(db, &ps, &items);
    if (rc) {
        json_decref(items);
        api_fail(r, rc, NULL, NULL);
        return 0;
    }
    reply_json(r, 200, json_pack("{s:o}", "items", items));
    return 0;
}

/* ---- cockpit ----------------------------------------------------------------------------- */

int api_cockpit(struct http_req *r)
{
    struct db *db = api_db(r);
    int64_t plan_id;
    if (!db || !q_int(r, "plan_id", 1, INT64_MAX, &plan_id) || !ensure_values(r, db))
        return 0;
    struct plan_scope ps;
    plan_scope_of(&r->user, &ps);
    /* The plans with targets in scope; the first with county targets is the default. */
    json_t *plans = json_array();
    struct plan_filter pf = {0};
    auth_scope_prefix(&pf.region, "");
    struct db_stmt *st = plan_list(db, &ps, &pf, "id", false, -1, 0);
    while (st && db_step(st) == DB_ROW) {
        if (db_col_int(st, 18) == 0)
            continue; /* no target in the caller's scope */
        json_array_append_new(
            plans, json_pack("{s:I,s:s,s:s,s:s,s:s}", "id", (json_int_t)db_col_int(st, 0), "code",
                             db_col_text(st, 1), "title", db_col_text(st, 2), "region_code",
                             db_col_text(st, 3), "status", db_col_text(st, 12)));
    }
    if (st)
        db_done(st);
    if (!plan_id) {
        int64_t best = 0, best_n = -1;
        size_t i;
        json_t *p;
        json_array_foreach(plans, i, p)
        {
            int64_t pid = json_integer_value(json_object_get(p, "id")), n = 0;
            if (db_scalar(db_query(db,
                                   "SELECT count(DISTINCT region_code) FROM targets WHERE "
                                   "plan_id=? AND region_code >= ? AND region_code < ?",
                                   "iss", pid, ps.sc.lo, ps.sc.hi),
                          &n) == 0 &&
                n > best_n) {
                best = pid;
                best_n = n;
            }
        }
        plan_id = best;
    }
    json_t *regions = json_array(), *inds = json_array(), *cells = json_array();
    int counts[5] = {0};
    struct target_filter tf = {.plan_id = plan_id};
    int64_t *ids = NULL;
    size_t n = 0;
    int rc = plan_id ? plan_target_ids(db, &ps, &tf, &ids, &n) : 0;
    for (size_t i = 0; rc == 0 && i < n; i++) {
        struct plan_target_eval ev;
        json_t *t = NULL;
        rc = plan_target_eval(db, ids[i], NULL, &ev);
        if (!rc)
            rc = plan_target_json(db, ids[i], &ev, true, &t);
        if (rc)
            break;
        counts[ev.status]++;
        const char *reg = api_str(t, "region_code");
        json_t *ind = json_object_get(t, "indicator");
        const char *code = api_str(ind, "code");
        bool seen = false;
        size_t k;
        json_t *x;
        json_array_foreach(regions, k, x) seen = seen || strcmp(api_str(x, "code"), reg) == 0;
        if (!seen)
            json_array_append_new(
                regions, json_pack("{s:s,s:s?}", "code", reg, "name", api_str(t, "region_name")));
        seen = false;
        json_array_foreach(inds, k, x) seen = seen || strcmp(api_str(x, "code"), code) == 0;
        if (!seen)
            json_array_append_new(inds,
                                  json_pack("{s:s,s:s,s:s}", "code", code, "name",
                                            api_str(ind, "name"), "unit", api_str(ind, "unit")));
        json_t *c = json_pack(
            "{s:s,s:s,s:I,s:s,s:s,s:O,s:O,s:O,s:O,s:O,s:I}", "region_code", reg, "indicator", code,
            "target_id", (json_int_t)ids[i], "code", api_str(t, "code"), "status",
            api_str(t, "status"), "progress", json_object_get(t, "progress"), "current_value",
            json_object_get(t, "current_value"), "target_value", json_object_get(t, "target_value"),
            "projection", json_object_get(t, "projection"), "chain", json_object_get(t, "chain"),
            "target_year", json_integer_value(json_object_get(t, "target_year")));
        json_array_append_new(cells, c);
        json_decref(t);
    }
    free(ids);
    if (rc) {
        json_decref(plans);
        json_decref(regions);
        json_decref(inds);
        json_decref(cells);
        api_fail(r, rc, NULL, NULL);
        return 0;
    }
    reply_json(r, 200,
               json_pack("{s:o,s:I,s:o,s:o,s:o,s:o}", "plans", plans, "plan_id",
                         (json_int_t)plan_id, "regions", regions, "indicators", inds, "cells",
                         cells, "status_counts", status_counts(counts)));
    return 0;
}

/* ---- the public view --------------------------------------------------------------------- */

int api_public_plans_list(struct http_req *r)
{
    struct plan_scope ps;
    plan_scope_all(&ps);
    return list_plans(r, &ps, true);
}

/* GET /api/v1/public/plans/{id} */
int api_public_plan_get(struct http_req *r)
{
    int64_t id;
    struct db *db = api_db(r);
    if (!db || !api_id_param(r, 0, &id) || !ensure_values(r, db))
        return 0;
    struct plan_scope ps;
    plan_scope_all(&ps);
    json_t *plan = NULL, *tasks = NULL, *reqs = NULL;
    int rc = plan_get(db, &ps, id, &plan);
    if (!rc && !json_is_true(json_object_get(plan, "is_public")))
        rc = KC_ERR_NOT_FOUND; /* not public: as if it did not exist */
    if (!rc)
        rc = plan_tasks_json(db, id, &tasks);
    if (!rc)
        rc = plan_requirements_json(db, id, &reqs);
    struct target_filter tf = {.plan_id = id};
    int64_t *ids = NULL;
    size_t n = 0;
    if (!rc)
        rc = plan_target_ids(db, &ps, &tf, &ids, &n);
    json_t *targets = json_array();
    int counts[5] = {0};
    for (size_t i = 0; rc == 0 && i < n; i++) {
        struct plan_target_eval ev;
        json_t *t = NULL;
        rc = plan_target_eval(db, ids[i], NULL, &ev);
        if (!rc)
            rc = plan_target_json(db, ids[i], &ev, true, &t);
        if (!rc) {
            counts[ev.status]++;
            json_array_append_new(targets, t);
        }
    }
    free(ids);
    if (rc) {
        json_decref(plan);
        json_decref(tasks);
        json_decref(reqs);
        json_decref(targets);
        api_fail(r, rc, NULL, NULL);
        return 0;
    }
    json_object_set_new(plan, "tasks", tasks);
    json_object_set_new(plan, "requirements", reqs);
    json_object_set_new(plan, "targets", targets);
    json_object_set_new(plan, "status_counts", status_counts(counts));
    reply_json(r, 200, plan);
    return 0;
}
