/* ladder_ent.c (api) — /api/v1/enterprises: list, export, create, read, edit the profile. */
#include "api/api.h"
#include "api/handlers_ladder.h"
#include "api/ladder_common.h"
#include "db/db.h"
#include "domain/enterprise.h"
#include "store/enterprise.h"
#include "store/org.h"

#include <stdlib.h>
#include <string.h>

/* Field tables as macros, one entry per line. */
/* clang-format off */
/* Organisation members editable through the enterprise routes. */
#define ORG_FIELDS                                                                            \
    {"name", FT_STR, true, 100}, {"region_code", FT_STR, true, 6},                            \
        {"industry_code", FT_STR_NULL, false, 3}, {"chains", FT_STR_LIST, false, 32},         \
        {"address", FT_STR_NULL, false, 200}, {"contact_name", FT_STR_NULL, false, 50},       \
        {"contact_phone", FT_STR_NULL, false, 50}, {"contact_email", FT_STR_NULL, false, 50}

/* Profile members (enterprises table and its extra_json). */
#define PROFILE_FIELDS                                                                        \
    {"registered_on", FT_STR_NULL, false, 10}, {"hightech_field", FT_STR_NULL, false, 20},    \
        {"national_award_top3_5y", FT_BOOL_NULL, false, 0},                                   \
        {"provincial_award_top3_3y", FT_BOOL_NULL, false, 0},                                 \
        {"sci_award_3y", FT_BOOL_NULL, false, 0},                                             \
        {"provincial_rd_institution", FT_BOOL_NULL, false, 0},                                \
        {"led_standard_5y", FT_BOOL_NULL, false, 0},                                          \
        {"no_major_incident", FT_BOOL_NULL, false, 0},                                        \
        {"not_on_abnormal_list", FT_BOOL_NULL, false, 0},                                     \
        {"not_restricted_industry", FT_BOOL_NULL, false, 0},                                  \
        {"strategic_emerging_industry", FT_BOOL_NULL, false, 0},                              \
        {"niche_years", FT_NUM_NULL, false, 0}, {"has_ip_title", FT_BOOL_NULL, false, 0},     \
        {"national_award_top5_3y", FT_BOOL_NULL, false, 0},                                   \
        {"maker_china_top500_3y", FT_BOOL_NULL, false, 0},                                    \
        {"has_valid_tech_innov_sme", FT_BOOL_NULL, false, 0},                                 \
        {"chain_role", FT_INT_NULL, false, 0}, {"digital_level", FT_INT_NULL, false, 0},      \
        {"quality_items", FT_INT_NULL, false, 0},                                             \
        {"rd_institution_level", FT_INT_NULL, false, 0},                                      \
        {"srdi_local_score", FT_NUM_NULL, false, 0}
/* clang-format on */

static const struct field_spec create_fields[] = {
    {"uscc", FT_STR, true, 18}, ORG_FIELDS, PROFILE_FIELDS, {NULL, 0, 0, 0}};
static const struct field_spec patch_fields[] = {ORG_FIELDS, PROFILE_FIELDS, {NULL, 0, 0, 0}};

/* Organisation member names (copied from the body into the orgs record). */
static const char *const org_keys[] = {"name",          "region_code",   "industry_code",
                                       "chains",        "address",       "contact_name",
                                       "contact_phone", "contact_email", NULL};

/* Reads the list filters; replies 422 and returns false when one is malformed. */
static bool read_filter(struct http_req *r, struct ent_filter *f, char today[11])
{
    memset(f, 0, sizeof(*f));
    ladder_today(today);
    f->q = api_qparam(r, "q");
    f->industry = api_qparam(r, "industry_code");
    f->chain = api_qparam(r, "chain");
    f->cert = api_qparam(r, "cert");
    f->cert_on = api_qparam(r, "cert_on");
    if (f->cert_on && !ladder_date_ok(f->cert_on)) {
        http_reply_error(r, 422, "invalid_date", "cert_on");
        return false;
    }
    if (!f->cert_on)
        f->cert_on = today;
    f->year_status = api_qparam(r, "year_status");
    if (f->year_status && strcmp(f->year_status, "draft") != 0 &&
        strcmp(f->year_status, "submitted") != 0 && strcmp(f->year_status, "verified") != 0) {
        http_reply_error(r, 422, "invalid_value", "year_status");
        return false;
    }
    return api_region_param(r, &f->region);
}

/* GET /api/v1/enterprises */
int api_ent_list(struct http_req *r)
{
    struct db *db = api_db(r);
    struct ent_filter f;
    char today[11];
    int64_t page, size, total;
    const char *col;
    bool desc;
    if (!db || !read_filter(r, &f, today) || !api_paging(r, &page, &size) ||
        !api_sort(r, ent_sorts, "name", &col, &desc))
        return 0;
    int rc = ent_count(db, &r->user.scope, &f, &total);
    api_reply_rows(
        r, rc ? NULL : ent_list(db, &r->user.scope, &f, today, col, desc, size, (page - 1) * size),
        total, page, size);
    return 0;
}

/* GET /api/v1/enterprises/export */
int api_ent_export(struct http_req *r)
{
    /* One (key, 中文, English) triple per line reads better than clang-format's packing. */
    /* clang-format off */
    static const char *const cols[] = {
        "uscc", "统一社会信用代码", "USCC",
        "name", "企业名称", "Name",
        "region_code", "行政区划代码", "Region code",
        "region_name", "行政区划", "Region",
        "industry_code", "行业代码", "Industry code",
        "industry_name", "行业", "Industry",
        "chains_json", "产业链", "Industry chains",
        "registered_on", "注册成立日期", "Registered on",
        "hightech_field", "高新技术领域", "High-tech field",
        "latest_year", "最新年度", "Latest year",
        "employees", "职工总数", "Employees",
        "tech_staff", "科技人员数", "Technology staff",
        "sales_revenue_fen", "销售收入(分)", "Sales revenue (fen)",
        "rd_expense_fen", "研发费用(分)", "R&D expense (fen)",
        "status", "年度数据状态", "Data status",
        "certs_json", "有效资质", "Valid certificates",
        NULL};
    /* clang-format on */
    struct db *db = api_db(r);
    struct ent_filter f;
    char today[11];
    const char *col;
    bool desc;
    if (!db || !read_filter(r, &f, today) || !api_sort(r, ent_sorts, "name", &col, &desc))
        return 0;
    struct db_stmt *st = ent_list(db, &r->user.scope, &f, today, col, desc, -1, 0);
    if (!st) {
        api_fail(r, KC_ERR_DB, NULL, NULL);
        return 0;
    }
    api_export_xlsx(r, st, cols, "企业", "Enterprises", "enterprises.xlsx");
    return 0;
}

/* Checks the profile members present in o; replies 422 and returns false on the first
 * problem. */
static bool check_profile(struct http_req *r, json_t *o)
{
    const char *reg = api_str(o, "registered_on");
    char today[11];
    ladder_today(today);
    if (reg && !ladder_date_ok(reg)) {
        http_reply_error(r, 422, "invalid_date", "registered_on");
        return false;
    }
    if (reg && strcmp(reg, today) > 0) {
        http_reply_error(r, 422, "future_date", "registered_on");
        return false;
    }
    const char *htf = api_str(o, "hightech_field");
    if (htf && !ent_hightech_field_ok(htf)) {
        http_reply_error(r, 422, "invalid_hightech_field", "hightech_field");
        return false;
    }
    json_t *ny = json_object_get(o, "niche_years");
    if (json_is_number(ny) && (json_number_value(ny) < 0 || json_number_value(ny) > 200)) {
        http_reply_error(r, 422, "out_of_range", "niche_years");
        return false;
    }
    for (int f = RULES_N_YEARLY; f < RULES_N_FIELDS; f++) {
        json_t *v = rules_fields[f].extension ? json_object_get(o, rules_fields[f].name) : NULL;
        struct ent_problem p = {0};
        if (v && !ent_extension_ok(f, v, &p)) {
            http_reply_error(r, 422, p.code, p.field);
            return false;
        }
    }
    return true;
}

/* Replies status with the enterprise profile of org_id. */
static void reply_profile(struct http_req *r, struct db *db, int status, int64_t org_id)
{
    json_t *o = NULL;
    int rc = ent_get(db, org_id, NULL, &o);
    if (rc) {
        api_fail(r, rc, NULL, NULL);
        return;
    }
    ladder_reply_json(r, status, o);
    json_decref(o);
}

/* POST /api/v1/enterprises */
int api_ent_create(struct http_req *r)
{
    struct db *db = api_db(r);
    if (!db)
        return 0;
    if (r->user.role->scope == SCOPE_ORG) {
        /* An enterprise account edits its own record; it does not create others. */
        http_reply_error(r, 403, "forbidden", NULL);
        return 0;
    }
    json_t *body = api_body(r, create_fields, true);
    if (!body)
        return 0;
    json_t *org = json_object(), *after = NULL;
    json_object_set_new(org, "kind", json_string("enterprise"));
    json_object_set(org, "uscc", json_object_get(body, "uscc"));
    for (const char *const *k = org_keys; *k; k++)
        if (json_object_get(body, *k))
            json_object_set(org, *k, json_object_get(body, *k));
    int64_t id = 0;
    if (!api_org_validate(r, db, org) || !check_profile(r, body))
        goto out;
    int rc = db_begin(db);
    if (!rc)
        rc = org_insert(db, org, &id);
    if (!rc)
        rc = ent_profile_save(db, id, body, r->user.id);
    if (!rc)
        rc = ent_get(db, id, NULL, &after);
    if (!rc) {
        struct audit_ctx ctx = api_audit_ctx(r);
        rc = audit_write(db, &ctx, "create", "enterprise", id, NULL, after);
    }
    if (!rc)
        rc = db_commit(db);
    else
        db_rollback(db);
    if (rc) {
        api_fail(r, rc, rc == KC_ERR_CONFLICT ? "conflict" : NULL, "uscc");
        goto out;
    }
    ladder_reply_json(r, 201, after);
out:
    json_decref(after);
    json_decref(org);
    json_decref(body);
    return 0;
}

/* GET /api/v1/enterprises/{uscc} */
int api_ent_get(struct http_req *r)
{
    struct db *db = api_db(r);
    int64_t org_id;
    if (!db || !ladder_find_ent(r, db, &org_id))
        return 0;
    reply_profile(r, db, 200, org_id);
    return 0;
}

/* PATCH /api/v1/enterprises/{uscc} */
int api_ent_patch(struct http_req *r)
{
    struct db *db = api_db(r);
    int64_t org_id;
    if (!db)
        return 0;
    json_t *body = api_body(r, patch_fields, false);
    if (!body)
        return 0;
    json_t *before = NULL, *org = NULL, *after = NULL;
    if (!check_profile(r, body))
        goto out;
    if (db_begin(db)) {
        api_fail(r, KC_ERR_DB, NULL, NULL);
        goto out;
    }
    if (!ladder_find_ent(r, db, &org_id)) {
        db_rollback(db);
        goto out;
    }
    int rc = ent_get(db, org_id, NULL, &before);
    bool org_changed = false;
    for (const char *const *k = org_keys; *k; k++)
        org_changed |= json_object_get(body, *k) != NULL;
    if (!rc && org_changed) {
        static const char *const ro[] = {"id",         "region_name", "industry_name",
                                         "created_at", "updated_at",  NULL};
        rc = org_get(db, &r->user.scope, org_id, &org);
        if (!rc) {
            for (const char *const *k = ro; *k; k++)
                json_object_del(org, *k);
            for (const char *const *k = org_keys; *k; k++)
                if (json_object_get(body, *k))
                    json_object_set(org, *k, json_object_get(body, *k));
            if (!api_org_validate(r, db, org)) {
                db_rollback(db);
                goto out;
            }
            rc = org_update(db, org_id, org, api_str(before, "name"), r->user.id);
        }
    }
    if (!rc)
        rc = ent_profile_save(db, org_id, body, r->user.id);
    if (!rc)
        rc = ent_get(db, org_id, NULL, &after);
    if (!rc) {
        struct audit_ctx ctx = api_audit_ctx(r);
        rc = audit_write(db, &ctx, "update", "enterprise", org_id, before, after);
    }
    if (!rc)
        rc = db_commit(db);
    else
        db_rollback(db);
    if (rc) {
        api_fail(r, rc, NULL, NULL);
        goto out;
    }
    ladder_reply_json(r, 200, after);
out:
    json_decref(before);
    json_decref(org);
    json_decref(after);
    json_decref(body);
    return 0;
}
