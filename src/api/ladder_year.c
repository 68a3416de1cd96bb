/*
 * ladder_year.c (api) — /api/v1/enterprises/{uscc}/years: the yearly records and their
 * life cycle draft → submitted → verified. A verified row is locked: only an officer
 * changes it, by a new verified revision (the old row stays with is_current = false).
 * Every write is audited in its transaction (entity "enterprise_year", the row id).
 */
#include "api/api.h"
#include "api/handlers_ladder.h"
#include "api/ladder_common.h"
#include "core/timeutil.h"
#include "db/db.h"
#include "domain/enterprise.h"
#include "store/enterprise.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* clang-format off */
/* The yearly fields (types are checked by ent_year_from_json: integers, one number). */
#define YEAR_FIELDS                                                                           \
    {"employees", FT_INT_NULL, false, 0}, {"tech_staff", FT_INT_NULL, false, 0},              \
        {"rd_staff", FT_INT_NULL, false, 0}, {"sales_revenue_fen", FT_INT_NULL, false, 0},    \
        {"main_business_revenue_fen", FT_INT_NULL, false, 0},                                 \
        {"operating_revenue_fen", FT_INT_NULL, false, 0},                                     \
        {"total_income_fen", FT_INT_NULL, false, 0},                                          \
        {"hightech_revenue_fen", FT_INT_NULL, false, 0},                                      \
        {"rd_expense_fen", FT_INT_NULL, false, 0},                                            \
        {"rd_expense_domestic_fen", FT_INT_NULL, false, 0},                                   \
        {"cost_expense_total_fen", FT_INT_NULL, false, 0},                                    \
        {"total_assets_fen", FT_INT_NULL, false, 0},                                          \
        {"total_liabilities_fen", FT_INT_NULL, false, 0},                                     \
        {"net_profit_fen", FT_INT_NULL, false, 0}, {"ip_class1", FT_INT_NULL, false, 0},      \
        {"ip_class1_self_developed", FT_INT_NULL, false, 0},                                  \
        {"ip_class1_high_value", FT_INT_NULL, false, 0}, {"ip_class2", FT_INT_NULL, false, 0}, \
        {"conversions", FT_INT_NULL, false, 0},                                               \
        {"equity_financing_fen", FT_INT_NULL, false, 0},                                      \
        {"srdi_quality_score", FT_NUM_NULL, false, 0}
/* clang-format on */

static const struct field_spec create_fields[] = {
    {"year", FT_INT, true, 0}, YEAR_FIELDS, {NULL, 0, 0, 0}};
static const struct field_spec patch_fields[] = {YEAR_FIELDS, {NULL, 0, 0, 0}};

/* The source a write by this caller records: the firm itself, or an officer. */
static const char *caller_source(const struct http_req *r)
{
    return ladder_is_org_user(r) ? "self" : "officer";
}

/* Reads o's yearly fields onto y and checks the whole record; replies 422 naming the
 * field (and, for a part exceeding its whole, both fields) and returns false. */
static bool read_year(struct http_req *r, json_t *o, struct rules_year *y)
{
    struct ent_problem p = {0};
    if (ent_year_from_json(o, y, &p) && ent_year_check(y, &p))
        return true;
    if (strcmp(p.code, "exceeds_field") == 0) {
        const char *a = msg_field(r->en, p.field), *b = msg_field(r->en, p.other);
        const char *m = r->en ? arena_printf(&r->arena, "%s cannot exceed %s", a, b)
                              : arena_printf(&r->arena, "%s不能大于%s", a, b);
        http_reply_error_msg(r, 422, p.code, p.field, m);
    } else {
        http_reply_error(r, 422, p.code, p.field);
    }
    return false;
}

/* Replies 409 "locked" naming why: the row was verified, when and by whom. */
static void reply_locked(struct http_req *r, struct db *db, const struct ent_year_row *row)
{
    json_t *o = NULL;
    const char *by = NULL, *at = NULL;
    if (ent_year_json(db, row->id, &o) == 0) {
        by = api_str(o, "verified_by");
        at = api_str(o, "verified_at");
    }
    char day[11] = "";
    if (at)
        snprintf(day, sizeof(day), "%.10s", at);
    const char *when_zh = *day ? arena_printf(&r->arena, "于 %s ", day) : "";
    const char *who_zh = by ? arena_printf(&r->arena, "由 %s ", by) : "";
    const char *when_en = *day ? arena_printf(&r->arena, " on %s", day) : "";
    const char *who_en = by ? arena_printf(&r->arena, " by %s", by) : "";
    const char *m =
        r->en ? arena_printf(&r->arena,
                             "The %d data was verified%s%s and is locked: only an officer can "
                             "change it, with a new verified revision",
                             row->data.year, when_en, who_en)
              : arena_printf(&r->arena,
                             "%d 年度数据已%s%s核验锁定，只能由科技部门新建核验修订版进行修改",
                             row->data.year, when_zh, who_zh);
    http_reply_error_msg(r, 409, "locked", NULL, m);
    json_decref(o);
}

/* Replies status with yearly row id. */
static void reply_year(struct http_req *r, struct db *db, int status, int64_t id)
{
    json_t *o = NULL;
    int rc = ent_year_json(db, id, &o);
    if (rc) {
        api_fail(r, rc, NULL, NULL);
        return;
    }
    ladder_reply_json(r, status, o);
    json_decref(o);
}

/* The current year of this request as a calendar year (China). */
static int this_year(void)
{
    char today[11];
    ladder_today(today);
    return atoi(today);
}

/* Writes the JSON of row id into *out (audit snapshots); 0 or a kc_err. */
static int snapshot(struct db *db, int64_t id, json_t **out)
{
    return ent_year_json(db, id, out);
}

/* GET /api/v1/enterprises/{uscc}/years */
int api_ent_years_list(struct http_req *r)
{
    struct db *db = api_db(r);
    int64_t org_id;
    if (!db || !ladder_find_ent(r, db, &org_id))
        return 0;
    struct db_stmt *st = ent_year_list(db, org_id, 0, false);
    int64_t n = 0;
    int rc = db_scalar(db_query(db,
                                "SELECT count(*) FROM enterprise_years WHERE org_id = ? AND "
                                "is_current = 1",
                                "i", org_id),
                       &n);
    if (rc && st) {
        db_done(st);
        st = NULL;
    }
    api_reply_rows(r, st, n, 1, n);
    return 0;
}

/* POST /api/v1/enterprises/{uscc}/years — a new year, as a draft. */
int api_ent_years_create(struct http_req *r)
{
    struct db *db = api_db(r);
    if (!db)
        return 0;
    json_t *body = api_body(r, create_fields, true);
    if (!body)
        return 0;
    json_t *after = NULL;
    int64_t year = json_integer_value(json_object_get(body, "year"));
    struct rules_year y = {0};
    if (year < 1990 || year > this_year()) {
        http_reply_error(r, 422, "invalid_year", "year");
        goto out;
    }
    y.year = (int32_t)year;
    if (!read_year(r, body, &y))
        goto out;
    if (db_begin(db)) {
        api_fail(r, KC_ERR_DB, NULL, NULL);
        goto out;
    }
    int64_t org_id, id = 0;
    if (!ladder_find_ent(r, db, &org_id)) {
        db_rollback(db);
        goto out;
    }
    int rc = ent_year_insert(db, org_id, &y, 1, "draft", caller_source(r), r->user.id, &id);
    if (!rc)
        rc = snapshot(db, id, &after);
    if (!rc) {
        struct audit_ctx ctx = api_audit_ctx(r);
        rc = audit_write(db, &ctx, "create", "enterprise_year", id, NULL, after);
    }
    if (!rc)
        rc = db_commit(db);
    else
        db_rollback(db);
    if (rc == KC_ERR_CONFLICT)
        http_reply_error(r, 409, "year_exists", "year");
    else if (rc)
        api_fail(r, rc, NULL, NULL);
    else
        ladder_reply_json(r, 201, after);
out:
    json_decref(after);
    json_decref(body);
    return 0;
}

/* Resolves {uscc} and {year} to the current row inside the open transaction (when
 * in_tx) or outside; replies 404 and returns false when either is missing. */
static bool find_row(struct http_req *r, struct db *db, int64_t *org_id, struct ent_year_row *row)
{
    int year;
    if (!ladder_find_ent(r, db, org_id) || !ladder_year_param(r, 1, &year))
        return false;
    int rc = ent_year_load(db, *org_id, year, row);
    if (rc) {
        api_fail(r, rc, NULL, NULL);
        return false;
    }
    return true;
}

/* GET /api/v1/enterprises/{uscc}/years/{year} */
int api_ent_year_get(struct http_req *r)
{
    struct db *db = api_db(r);
    int64_t org_id;
    struct ent_year_row row;
    if (!db || !find_row(r, db, &org_id, &row))
        return 0;
    reply_year(r, db, 200, row.id);
    return 0;
}

/* PATCH /api/v1/enterprises/{uscc}/years/{year} — draft or submitted rows only. An
 * enterprise's edit of a submitted row returns it to draft (it must submit again). */
int api_ent_year_patch(struct http_req *r)
{
    struct db *db = api_db(r);
    if (!db)
        return 0;
    json_t *body = api_body(r, patch_fields, false);
    if (!body)
        return 0;
    json_t *before = NULL, *after = NULL;
    int64_t org_id;
    struct ent_year_row row;
    if (db_begin(db)) {
        api_fail(r, KC_ERR_DB, NULL, NULL);
        goto out;
    }
    if (!find_row(r, db, &org_id, &row)) {
        db_rollback(db);
        goto out;
    }
    if (strcmp(row.status, "verified") == 0) {
        db_rollback(db);
        reply_locked(r, db, &row);
        goto out;
    }
    struct rules_year y = row.data;
    if (!read_year(r, body, &y)) {
        db_rollback(db);
        goto out;
    }
    int rc = snapshot(db, row.id, &before);
    if (!rc)
        rc = ent_year_update(db, row.id, &y, caller_source(r), r->user.id);
    if (!rc && ladder_is_org_user(r) && strcmp(row.status, "submitted") == 0)
        rc = ent_year_set_status(db, row.id, "draft", r->user.id);
    if (!rc)
        rc = snapshot(db, row.id, &after);
    if (!rc) {
        struct audit_ctx ctx = api_audit_ctx(r);
        rc = audit_write(db, &ctx, "update", "enterprise_year", row.id, before, after);
    }
    if (!rc)
        rc = db_commit(db);
    else
        db_rollback(db);
    if (rc)
        api_fail(r, rc, NULL, NULL);
    else
        ladder_reply_json(r, 200, after);
out:
    json_decref(before);
    json_decref(after);
    json_decref(body);
    return 0;
}

/* Moves the current row to status (submit / verify), audited as action. from_ok lists
 * the statuses it may come from. */
static void transition(struct http_req *r, const char *status, const char *action)
{
    struct db *db = api_db(r);
    if (!db)
        return;
    /* The action takes no body; an empty one or {} is fine. */
    if (r->body.len && !(r->body.len == 2 && memcmp(r->body.data, "{}", 2) == 0)) {
        static const struct field_spec none[] = {{NULL, 0, 0, 0}};
        json_t *b = api_body(r, none, false);
        if (!b)
            return;
        json_decref(b);
    }
    json_t *before = NULL, *after = NULL;
    int64_t org_id;
    struct ent_year_row row;
    if (db_begin(db)) {
        api_fail(r, KC_ERR_DB, NULL, NULL);
        return;
    }
    if (!find_row(r, db, &org_id, &row)) {
        db_rollback(db);
        return;
    }
    if (strcmp(row.status, "verified") == 0) {
        db_rollback(db);
        if (strcmp(status, "verified") == 0)
            http_reply_error(r, 409, "already_verified", NULL);
        else
            reply_locked(r, db, &row);
        return;
    }
    if (strcmp(status, "submitted") == 0 && strcmp(row.status, "submitted") == 0) {
        db_rollback(db);
        http_reply_error(r, 409, "already_submitted", NULL);
        return;
    }
    int rc = snapshot(db, row.id, &before);
    if (!rc)
        rc = ent_year_set_status(db, row.id, status, r->user.id);
    if (!rc)
        rc = snapshot(db, row.id, &after);
    if (!rc) {
        struct audit_ctx ctx = api_audit_ctx(r);
        rc = audit_write(db, &ctx, action, "enterprise_year", row.id, before, after);
    }
    if (!rc)
        rc = db_commit(db);
    else
        db_rollback(db);
    if (rc)
        api_fail(r, rc, NULL, NULL);
    else
        ladder_reply_json(r, 200, after);
    json_decref(before);
    json_decref(after);
}

/* POST /api/v1/enterprises/{uscc}/years/{year}/submit (the enterprise or an officer) */
int api_ent_year_submit(struct http_req *r)
{
    transition(r, "submitted", "submit");
    return 0;
}

/* POST /api/v1/enterprises/{uscc}/years/{year}/verify (an officer in scope; never the
 * enterprise itself: the route needs ent.verify and organisation-bound roles are refused
 * here as well) */
int api_ent_year_verify(struct http_req *r)
{
    if (ladder_is_org_user(r)) {
        http_reply_error(r, 403, "forbidden", NULL);
        return 0;
    }
    transition(r, "verified", "verify");
    return 0;
}

/* POST /api/v1/enterprises/{uscc}/years/{year}/revisions — an officer's new verified
 * revision of a verified year: the body's fields are merged onto the current row, the
 * result becomes revision n + 1 (verified, source officer) and the old row is kept with
 * is_current = false. */
int api_ent_year_revise(struct http_req *r)
{
    if (ladder_is_org_user(r)) {
        http_reply_error(r, 403, "forbidden", NULL);
        return 0;
    }
    struct db *db = api_db(r);
    if (!db)
        return 0;
    json_t *body = api_body(r, patch_fields, false);
    if (!body)
        return 0;
    json_t *before = NULL, *after = NULL;
    int64_t org_id, id = 0;
    struct ent_year_row row;
    if (db_begin(db)) {
        api_fail(r, KC_ERR_DB, NULL, NULL);
        goto out;
    }
    if (!find_row(r, db, &org_id, &row)) {
        db_rollback(db);
        goto out;
    }
    if (strcmp(row.status, "verified") != 0) {
        db_rollback(db);
        http_reply_error(r, 409, "not_locked", NULL);
        goto out;
    }
    struct rules_year y = row.data;
    if (!read_year(r, body, &y)) {
        db_rollback(db);
        goto out;
    }
    int rc = snapshot(db, row.id, &before);
    if (!rc)
        rc = ent_year_retire(db, row.id);
    if (!rc)
        rc = ent_year_insert(db, org_id, &y, row.revision + 1, "verified", "officer", r->user.id,
                             &id);
    if (!rc)
        rc = snapshot(db, id, &after);
    if (!rc) {
        /* One entry on the new row: the old values as before, the new as after. */
        json_t *old = json_deep_copy(before);
        json_object_set_new(old, "is_current", json_false());
        struct audit_ctx ctx = api_audit_ctx(r);
        rc = audit_write(db, &ctx, "revise", "enterprise_year", id, old, after);
        json_decref(old);
    }
    if (!rc)
        rc = db_commit(db);
    else
        db_rollback(db);
    if (rc)
        api_fail(r, rc, NULL, NULL);
    else
        ladder_reply_json(r, 201, after);
out:
    json_decref(before);
    json_decref(after);
    json_decref(body);
    return 0;
}

/* GET /api/v1/enterprises/{uscc}/years/{year}/history — every revision, newest first. */
int api_ent_year_history(struct http_req *r)
{
    struct db *db = api_db(r);
    int64_t org_id;
    int year;
    if (!db || !ladder_find_ent(r, db, &org_id) || !ladder_year_param(r, 1, &year))
        return 0;
    int64_t n = 0;
    int rc = db_scalar(db_query(db,
                                "SELECT count(*) FROM enterprise_years WHERE org_id = ? AND "
                                "year = ?",
                                "ii", org_id, (int64_t)year),
                       &n);
    if (!rc && n == 0) {
        http_reply_error(r, 404, "not_found", NULL);
        return 0;
    }
    api_reply_rows(r, rc ? NULL : ent_year_list(db, org_id, year, true), n, 1, n);
    return 0;
}
