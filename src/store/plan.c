/* plan.c (store) — plans, tasks, units, indicators and targets: reads with the region
 * scope, the target JSON, and the edits officers make (see plan.h). */
#include "store/plan.h"
#include "core/buf.h"
#include "core/timeutil.h"
#include "db/db.h"
#include "store/plan_values.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void plan_scope_of(const struct auth_user *u, struct plan_scope *out)
{
    memset(out, 0, sizeof(*out));
    out->sc = u->scope;
    snprintf(out->anc[0], 7, "%s", u->region_code);
    snprintf(out->anc[1], 7, "%.4s00", u->region_code);
    snprintf(out->anc[2], 7, "%.2s0000", u->region_code);
    snprintf(out->anc[3], 7, "000000");
}

void plan_scope_all(struct plan_scope *out)
{
    memset(out, 0, sizeof(*out));
    snprintf(out->sc.hi, sizeof(out->sc.hi), "~");
}

/* Appends the plan visibility condition on alias a. */
static void plan_where(struct buf *sql, struct db_args *a, const struct plan_scope *ps,
                       const char *alias)
{
    buf_printf(sql,
               " AND ((%s.region_code >= ? AND %s.region_code < ?) OR %s.region_code IN "
               "(?,?,?,?))",
               alias, alias, alias);
    db_args_text(a, ps->sc.lo);
    db_args_text(a, ps->sc.hi);
    for (int i = 0; i < 4; i++)
        db_args_text(a, ps->anc[i]);
}

#define PLAN_SELECT                                                                                \
    "SELECT p.id, p.code, p.title, p.region_code, r.name AS region_name, p.issuer, "               \
    "p.co_issuers AS co_issuers_json, p.doc_no, p.doc_kind, p.issued_on, p.period_start, "         \
    "p.period_end, p.status, p.is_public, p.source, p.source_text, p.note, "                       \
    "(SELECT count(*) FROM plan_tasks k WHERE k.plan_id = p.id) AS n_tasks, "                      \
    "(SELECT count(*) FROM targets t WHERE t.plan_id = p.id AND t.region_code >= ? AND "           \
    "t.region_code < ?) AS n_targets, p.created_at, p.updated_at "                                 \
    "FROM plans p LEFT JOIN regions r ON r.code = p.region_code WHERE 1=1"

/* Appends the list filters. */
static void list_where(struct buf *sql, struct db_args *a, const struct plan_scope *ps,
                       const struct plan_filter *f)
{
    plan_where(sql, a, ps, "p");
    if (f->q) {
        buf_puts(sql, " AND (instr(p.title, ?) > 0 OR instr(p.code, ?) > 0)");
        db_args_text(a, f->q);
        db_args_text(a, f->q);
    }
    if (f->status) {
        buf_puts(sql, " AND p.status = ?");
        db_args_text(a, f->status);
    }
    if (f->region.lo[0]) {
        buf_puts(sql, " AND p.region_code >= ? AND p.region_code < ?");
        db_args_text(a, f->region.lo);
        db_args_text(a, f->region.hi);
    }
    if (f->public_only)
        buf_puts(sql, " AND p.is_public = 1");
}

struct db_stmt *plan_list(struct db *db, const struct plan_scope *ps, const struct plan_filter *f,
                          const char *sort_col, bool desc, int64_t limit, int64_t offset)
{
    struct buf sql = {0};
    struct db_args a = {0};
    buf_puts(&sql, PLAN_SELECT);
    db_args_text(&a, ps->sc.lo);
    db_args_text(&a, ps->sc.hi);
    list_where(&sql, &a, ps, f);
    buf_puts(&sql, " ");
    return db_page(db, &sql, &a, "p", sort_col, desc, limit, offset);
}

int plan_count(struct db *db, const struct plan_scope *ps, const struct plan_filter *f, int64_t *n)
{
    struct buf sql = {0};
    struct db_args a = {0};
    buf_puts(&sql, "SELECT count(*) FROM plans p WHERE 1=1");
    list_where(&sql, &a, ps, f);
    return db_count(db, &sql, &a, n);
}

int plan_get(struct db *db, const struct plan_scope *ps, int64_t id, json_t **out)
{
    struct buf sql = {0};
    struct db_args a = {0};
    buf_puts(&sql, PLAN_SELECT);
    db_args_text(&a, ps->sc.lo);
    db_args_text(&a, ps->sc.hi);
    buf_puts(&sql, " AND p.id = ?");
    db_args_int(&a, id);
    plan_where(&sql, &a, ps, "p");
    struct db_stmt *st = db_prep_args(db, buf_str(&sql), &a);
    buf_free(&sql);
    if (!st)
        return KC_ERR_DB;
    int rc = db_step(st);
    if (rc == DB_ROW) {
        *out = db_row_json(st);
        json_object_set_new(*out, "is_public", json_boolean(db_col_int(st, 13) != 0));
    }
    db_done(st);
    if (rc < 0)
        return rc;
    return rc == DB_ROW ? 0 : KC_ERR_NOT_FOUND;
}

int plan_tasks_json(struct db *db, int64_t plan_id, json_t **out)
{
    *out = json_array();
    struct db_stmt *st = db_query(
        db,
        "SELECT k.id, k.code, k.kind, pk.code AS parent_code, k.title, k.description, "
        "lu.name AS lead_unit, k.deadline, k.note, "
        "(SELECT json_group_array(json_object('id', u.id, 'code', u.code, 'name', u.name, "
        "'kind', u.kind, 'collective', json(CASE WHEN u.collective THEN 'true' ELSE 'false' "
        "END))) FROM (SELECT u.* FROM plan_task_units tu JOIN plan_units u ON u.id = tu.unit_id "
        "WHERE tu.task_id = k.id ORDER BY tu.seq) u) AS units_json, "
        "(SELECT count(*) FROM targets t WHERE t.task_id = k.id) AS n_targets "
        "FROM plan_tasks k LEFT JOIN plan_tasks pk ON pk.id = k.parent_id "
        "LEFT JOIN plan_units lu ON lu.id = k.lead_unit_id WHERE k.plan_id = ? ORDER BY k.sort, "
        "k.id",
        "i", plan_id);
    if (!st)
        return KC_ERR_DB;
    int rc;
    while ((rc = db_step(st)) == DB_ROW)
        json_array_append_new(*out, db_row_json(st));
    db_done(st);
    return rc < 0 ? rc : 0;
}

int plan_requirements_json(struct db *db, int64_t plan_id, json_t **out)
{
    *out = json_array();
    struct db_stmt *st =
        db_query(db,
                 "SELECT r.id, r.code, k.code AS task_code, k.title AS task_title, "
                 "r.subject, r.level, r.attribute, r.comparator, r.value, r.unit, "
                 "r.effect, r.text, r.note FROM plan_requirements r JOIN "
                 "plan_tasks k ON k.id = r.task_id WHERE r.plan_id = ? ORDER BY "
                 "k.sort, k.id, r.code",
                 "i", plan_id);
    if (!st)
        return KC_ERR_DB;
    int rc;
    while ((rc = db_step(st)) == DB_ROW)
        json_array_append_new(*out, db_row_json(st));
    db_done(st);
    return rc < 0 ? rc : 0;
}

int plan_units_json(struct db *db, const struct plan_scope *ps, json_t **out)
{
    *out = json_array();
    struct buf sql = {0};
    struct db_args a = {0};
    buf_puts(&sql, "SELECT u.id, u.region_code, u.code, u.name, u.kind, u.collective, u.note, "
                   "(SELECT count(*) FROM plan_task_units tu WHERE tu.unit_id = u.id) AS n_tasks "
                   "FROM plan_units u WHERE 1=1");
    plan_where(&sql, &a, ps, "u");
    buf_puts(&sql, " ORDER BY u.region_code, u.id");
    struct db_stmt *st = db_prep_args(db, buf_str(&sql), &a);
    buf_free(&sql);
    if (!st)
        return KC_ERR_DB;
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        json_t *o = db_row_json(st);
        json_object_set_new(o, "collective", json_boolean(db_col_int(st, 5) != 0));
        json_array_append_new(*out, o);
    }
    db_done(st);
    return rc < 0 ? rc : 0;
}

int plan_target_visible(struct db *db, const struct plan_scope *ps, int64_t target_id,
                        int64_t *plan_id)
{
    struct db_stmt *st = db_query(db,
                                  "SELECT plan_id FROM targets WHERE id = ? AND region_code >= ? "
                                  "AND region_code < ?",
                                  "iss", target_id, ps->sc.lo, ps->sc.hi);
    if (!st)
        return KC_ERR_DB;
    int rc = db_step(st);
    if (rc == DB_ROW && plan_id)
        *plan_id = db_col_int(st, 0);
    db_done(st);
    if (rc < 0)
        return rc;
    return rc == DB_ROW ? 0 : KC_ERR_NOT_FOUND;
}

/* Appends the target filters. */
static void target_where(struct buf *sql, struct db_args *a, const struct plan_scope *ps,
                         const struct target_filter *f)
{
    buf_puts(sql, " AND t.region_code >= ? AND t.region_code < ?");
    db_args_text(a, ps->sc.lo);
    db_args_text(a, ps->sc.hi);
    buf_puts(sql, " AND EXISTS (SELECT 1 FROM plans p WHERE p.id = t.plan_id");
    plan_where(sql, a, ps, "p");
    buf_puts(sql, ")");
    if (f->plan_id) {
        buf_puts(sql, " AND t.plan_id = ?");
        db_args_int(a, f->plan_id);
    }
    if (f->task_id) {
        buf_puts(sql, " AND t.task_id = ?");
        db_args_int(a, f->task_id);
    }
    if (f->indicator) {
        buf_puts(sql, " AND t.indicator_id IN (SELECT id FROM indicators WHERE code = ?)");
        db_args_text(a, f->indicator);
    }
    if (f->region.lo[0]) {
        buf_puts(sql, " AND t.region_code >= ? AND t.region_code < ?");
        db_args_text(a, f->region.lo);
        db_args_text(a, f->region.hi);
    }
    if (f->exact_region) {
        buf_puts(sql, " AND t.region_code = ?");
        db_args_text(a, f->exact_region);
    }
    if (f->parent_id) {
        buf_puts(sql, " AND t.parent_id = ?");
        db_args_int(a, f->parent_id);
    }
}

int plan_target_ids(struct db *db, const struct plan_scope *ps, const struct target_filter *f,
                    int64_t **ids, size_t *n)
{
    struct buf sql = {0};
    struct db_args a = {0};
    buf_puts(&sql, "SELECT t.id FROM targets t WHERE 1=1");
    target_where(&sql, &a, ps, f);
    buf_puts(&sql, " ORDER BY t.plan_id, t.id");
    struct db_stmt *st = db_prep_args(db, buf_str(&sql), &a);
    buf_free(&sql);
    *ids = NULL;
    *n = 0;
    if (!st)
        return KC_ERR_DB;
    size_t cap = 0;
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 64;
            int64_t *grown = realloc(*ids, cap * sizeof(int64_t));
            if (!grown)
                abort();
            *ids = grown;
        }
        (*ids)[(*n)++] = db_col_int(st, 0);
    }
    db_done(st);
    return rc < 0 ? rc : 0;
}

/* A string or null. */
static json_t *str_or_null(const char *v)
{
    return v ? json_string(v) : json_null();
}

/* A number or null. */
static json_t *num_or_null(bool has, double v)
{
    return has && !isnan(v) && isfinite(v) ? json_real(round(v * 1e6) / 1e6) : json_null();
}

/* The milestones of a target as a JSON array. */
static json_t *milestones(struct db *db, int64_t id)
{
    json_t *arr = json_array();
    struct db_stmt *st = db_query(db,
                                  "SELECT year, comparator, value, text FROM target_milestones "
                                  "WHERE target_id = ? ORDER BY year",
                                  "i", id);
    while (st && db_step(st) == DB_ROW)
        json_array_append_new(arr, db_row_json(st));
    if (st)
        db_done(st);
    return arr;
}

int plan_target_json(struct db *db, int64_t id, const struct plan_target_eval *ev, bool full,
                     json_t **out)
{
    struct db_stmt *st = db_query(
        db,
        "SELECT t.id, t.plan_id, t.code, k.code AS task_code, k.title AS task_title, i.id, "
        "i.code, i.name, i.unit, i.direction, i.method, t.region_code, r.name AS region_name, "
        "t.chain, c.name AS chain_name, t.kind, t.basis, t.comparator, t.target_value, "
        "t.target_value_max, t.stretch_value, t.growth_mode, t.growth_rate_pct, "
        "t.growth_base_year, ri.code, ri.name, t.target_year, t.target_date, "
        "t.cumulative_from, t.each_year_from, t.baseline_comparator, t.baseline_text, "
        "t.qualifier, t.text, t.note, t.parent_id, t.split_rule, t.split_weight, i.measure, "
        "p.code AS plan_code, p.title AS plan_title "
        "FROM targets t JOIN plan_tasks k ON k.id = t.task_id "
        "JOIN indicators i ON i.id = t.indicator_id JOIN plans p ON p.id = t.plan_id "
        "LEFT JOIN indicators ri ON ri.id = t.relative_to_id "
        "LEFT JOIN regions r ON r.code = t.region_code LEFT JOIN chains c ON c.code = t.chain "
        "WHERE t.id = ?",
        "i", id);
    if (!st)
        return KC_ERR_DB;
    int rc = db_step(st);
    if (rc != DB_ROW) {
        db_done(st);
        return rc < 0 ? rc : KC_ERR_NOT_FOUND;
    }
    json_t *o = json_object();
    json_object_set_new(o, "id", json_integer(db_col_int(st, 0)));
    json_object_set_new(o, "task_code", str_or_null(db_col_text(st, 3)));
    json_t *ind = json_pack("{s:s,s:s,s:s}", "code", db_col_text(st, 6), "name", db_col_text(st, 7),
                            "unit", db_col_text(st, 8));
    if (full) {
        json_object_set_new(ind, "id", json_integer(db_col_int(st, 5)));
        json_object_set_new(ind, "direction", str_or_null(db_col_text(st, 9)));
        json_object_set_new(ind, "method", str_or_null(db_col_text(st, 10)));
        json_object_set_new(ind, "measure", str_or_null(db_col_text(st, 38)));
    }
    json_object_set_new(o, "indicator", ind);
    json_object_set_new(o, "region_code", str_or_null(db_col_text(st, 11)));
    json_object_set_new(o, "baseline_year",
                        ev->has_baseline ? json_integer(ev->baseline_year) : json_null());
    json_object_set_new(o, "baseline_value", num_or_null(ev->has_baseline, ev->baseline_value));
    json_object_set_new(o, "target_value", num_or_null(ev->has_target_value, ev->target_value));
    json_object_set_new(o, "target_year", json_integer(db_col_int(st, 26)));
    json_object_set_new(o, "current_value", num_or_null(ev->has_current, ev->current_value));
    json_object_set_new(o, "progress", num_or_null(true, ev->progress));
    json_object_set_new(o, "projection", num_or_null(ev->has_projection, ev->projection));
    json_object_set_new(o, "status", json_string(plan_status_name(ev->status)));
    if (full) {
        json_t *x = o;
        json_object_set_new(x, "plan_id", json_integer(db_col_int(st, 1)));
        json_object_set_new(x, "plan_code", str_or_null(db_col_text(st, 39)));
        json_object_set_new(x, "plan_title", str_or_null(db_col_text(st, 40)));
        json_object_set_new(x, "code", str_or_null(db_col_text(st, 2)));
        json_object_set_new(x, "task_title", str_or_null(db_col_text(st, 4)));
        json_object_set_new(x, "region_name", str_or_null(db_col_text(st, 12)));
        json_object_set_new(x, "chain", str_or_null(db_col_text(st, 13)));
        json_object_set_new(x, "chain_name", str_or_null(db_col_text(st, 14)));
        json_object_set_new(x, "kind", str_or_null(db_col_text(st, 15)));
        json_object_set_new(x, "basis", str_or_null(db_col_text(st, 16)));
        json_object_set_new(x, "comparator", str_or_null(db_col_text(st, 17)));
        json_object_set_new(x, "stated_target_value",
                            num_or_null(db_col_type(st, 18) != DB_NULL, db_col_double(st, 18)));
        json_object_set_new(x, "target_value_max",
                            num_or_null(db_col_type(st, 19) != DB_NULL, db_col_double(st, 19)));
        json_object_set_new(x, "stretch_value",
                            num_or_null(db_col_type(st, 20) != DB_NULL, db_col_double(st, 20)));
        if (db_col_type(st, 21) != DB_NULL)
            json_object_set_new(x, "growth",
                                json_pack("{s:s,s:f,s:I}", "mode", db_col_text(st, 21), "rate_pct",
                                          db_col_double(st, 22), "base_year",
                                          (json_int_t)db_col_int(st, 23)));
        else
            json_object_set_new(x, "growth", json_null());
        if (db_col_type(st, 24) != DB_NULL)
            json_object_set_new(
                x, "relative_to",
                json_pack("{s:s,s:s}", "code", db_col_text(st, 24), "name", db_col_text(st, 25)));
        else
            json_object_set_new(x, "relative_to", json_null());
        json_object_set_new(x, "target_date", str_or_null(db_col_text(st, 27)));
        json_object_set_new(x, "cumulative_from",
                            db_col_type(st, 28) == DB_NULL ? json_null()
                                                           : json_integer(db_col_int(st, 28)));
        json_object_set_new(x, "each_year_from",
                            db_col_type(st, 29) == DB_NULL ? json_null()
                                                           : json_integer(db_col_int(st, 29)));
        json_object_set_new(x, "baseline_comparator", str_or_null(db_col_text(st, 30)));
        json_object_set_new(x, "baseline_text", str_or_null(db_col_text(st, 31)));
        json_object_set_new(x, "qualifier", str_or_null(db_col_text(st, 32)));
        json_object_set_new(x, "text", str_or_null(db_col_text(st, 33)));
        json_object_set_new(x, "note", str_or_null(db_col_text(st, 34)));
        json_object_set_new(x, "parent_id",
                            db_col_type(st, 35) == DB_NULL ? json_null()
                                                           : json_integer(db_col_int(st, 35)));
        json_object_set_new(x, "split_rule", str_or_null(db_col_text(st, 36)));
        json_object_set_new(x, "split_weight",
                            num_or_null(db_col_type(st, 37) != DB_NULL, db_col_double(st, 37)));
        json_object_set_new(x, "current_year",
                            ev->has_current ? json_integer(ev->current_year) : json_null());
        json_object_set_new(x, "due_year", json_integer(ev->due_year));
        json_object_set_new(x, "projection_fit",
                            ev->fit == PLAN_FIT_LINEAR     ? json_string("linear")
                            : ev->fit == PLAN_FIT_COMPOUND ? json_string("compound")
                            : ev->has_projection           ? json_string("actual")
                                                           : json_null());
        json_object_set_new(x, "projection_note",
                            ev->has_projection || !ev->has_current
                                ? json_null()
                                : json_string("insufficient_data"));
        json_object_set_new(x, "milestone_missed", json_boolean(ev->milestone_missed));
    }
    db_done(st);
    if (full)
        json_object_set_new(o, "milestones", milestones(db, id));
    *out = o;
    return 0;
}

int plan_split_check(struct db *db, int64_t parent_id, json_t **out)
{
    *out = NULL;
    struct db_stmt *st =
        db_query(db,
                 "SELECT p.split_rule, p.target_value, i.direction, "
                 "(SELECT count(*) FROM targets c WHERE c.parent_id = p.id), "
                 "(SELECT sum(c.target_value) FROM targets c WHERE c.parent_id = p.id), "
                 "(SELECT sum(c.target_value * coalesce(c.split_weight, 0)) "
                 "FROM targets c WHERE c.parent_id = p.id), "
                 "(SELECT sum(coalesce(c.split_weight, 0)) FROM targets c "
                 "WHERE c.parent_id = p.id) "
                 "FROM targets p JOIN indicators i ON i.id = p.indicator_id "
                 "WHERE p.id = ?",
                 "i", parent_id);
    if (!st)
        return KC_ERR_DB;
    int rc = db_step(st);
    if (rc == DB_ROW && db_col_int(st, 3) > 0) {
        const char *rule = db_col_text(st, 0) ? db_col_text(st, 0) : "sum";
        bool weighted = strcmp(rule, "weighted") == 0;
        double parent = db_col_double(st, 1);
        bool lower = strcmp(db_col_text(st, 2), "lower") == 0;
        double combined = weighted ? db_col_double(st, 5) : db_col_double(st, 4);
        double wsum = db_col_double(st, 6);
        bool ok = db_col_type(st, 1) != DB_NULL &&
                  (lower ? combined <= parent + 1e-9 : combined >= parent - 1e-9);
        if (weighted && fabs(wsum - 1.0) > 1e-6)
            ok = false;
        *out = json_pack("{s:s,s:I,s:f,s:o,s:b}", "rule", rule, "children",
                         (json_int_t)db_col_int(st, 3), "combined", combined, "parent_value",
                         db_col_type(st, 1) != DB_NULL ? json_real(parent) : json_null(), "ok", ok);
        if (weighted)
            json_object_set_new(*out, "weight_sum", json_real(wsum));
    }
    db_done(st);
    return rc < 0 ? rc : 0;
}
