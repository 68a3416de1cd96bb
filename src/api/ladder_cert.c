/*
 * ladder_cert.c (api) — /api/v1/certifications: certificates held by enterprises
 * (科技型中小企业 入库登记编号, 高新技术企业 GR numbers, 创新型/专精特新/小巨人, local titles).
 *
 * A certificate counts from issued_on through valid_to inclusive and stops the day
 * after; valid_to is computed from the kind's validity (issued_on + N years − 1 day)
 * when not given. Enterprises record their own certificates (source "self"); such a
 * certificate is `pending` and counts nowhere until an officer verifies it (or rejects it
 * with a reason, after which the enterprise may correct it and it is pending again). An
 * enterprise changes only its own certificates that are not verified. Officers record
 * any in scope (source "officer", verified at once) and some kinds (科技小巨人, 科技领军)
 * only officers record.
 */
#include "api/api.h"
#include "api/handlers_ladder.h"
#include "api/ladder_common.h"
#include "db/db.h"
#include "domain/enterprise.h"
#include "store/enterprise.h"

#include <stdlib.h>
#include <string.h>

static const struct field_spec create_fields[] = {{"uscc", FT_STR, false, 18},
                                                  {"kind", FT_STR, true, 32},
                                                  {"number", FT_STR_NULL, false, 64},
                                                  {"issued_on", FT_STR, true, 10},
                                                  {"valid_to", FT_STR_NULL, false, 10},
                                                  {"level", FT_STR_NULL, false, 16},
                                                  {"issuer", FT_STR_NULL, false, 100},
                                                  {"note", FT_STR_NULL, false, 500},
                                                  {NULL, 0, 0, 0}};
static const struct field_spec patch_fields[] = {
    {"kind", FT_STR, true, 32},        {"number", FT_STR_NULL, false, 64},
    {"issued_on", FT_STR, true, 10},   {"valid_to", FT_STR_NULL, false, 10},
    {"level", FT_STR_NULL, false, 16}, {"issuer", FT_STR_NULL, false, 100},
    {"note", FT_STR_NULL, false, 500}, {NULL, 0, 0, 0}};

/* Kinds only an officer records (local titles the bureau confers). */
static bool officer_only(const char *kind)
{
    return strcmp(kind, "sci_little_giant") == 0 || strcmp(kind, "sci_leader") == 0;
}

/* Reads the list filters; replies 422 and returns false when one is malformed. */
static bool read_filter(struct http_req *r, struct db *db, struct cert_filter *f)
{
    memset(f, 0, sizeof(*f));
    f->kind = api_qparam(r, "kind");
    f->q = api_qparam(r, "q");
    f->valid_on = api_qparam(r, "valid_on");
    f->status = api_qparam(r, "status");
    if (f->status && strcmp(f->status, "pending") != 0 && strcmp(f->status, "verified") != 0 &&
        strcmp(f->status, "rejected") != 0) {
        http_reply_error(r, 422, "invalid_value", "status");
        return false;
    }
    if (f->valid_on && !ladder_date_ok(f->valid_on)) {
        http_reply_error(r, 422, "invalid_date", "valid_on");
        return false;
    }
    const char *org = api_qparam(r, "org");
    if (org) {
        char *end;
        long long v = strtoll(org, &end, 10);
        if (*end || v <= 0) {
            http_reply_error(r, 422, "invalid_value", "org");
            return false;
        }
        f->org_id = v;
    }
    const char *uscc = api_qparam(r, "uscc");
    if (uscc) {
        int64_t id = 0;
        /* An unknown or out-of-scope USCC selects nothing (never an error that tells). */
        if (ent_find(db, &r->user.scope, uscc, &id) != 0)
            id = -1;
        if (f->org_id && f->org_id != id)
            id = -1;
        f->org_id = id;
    }
    return api_region_param(r, &f->region);
}

/* GET /api/v1/certifications */
int api_cert_list(struct http_req *r)
{
    struct db *db = api_db(r);
    struct cert_filter f;
    int64_t page, size, total;
    const char *col;
    bool desc;
    if (!db || !read_filter(r, db, &f) || !api_paging(r, &page, &size) ||
        !api_sort(r, cert_sorts, "-issued_on", &col, &desc))
        return 0;
    int rc = cert_count(db, &r->user.scope, &f, &total);
    api_reply_rows(
        r, rc ? NULL : cert_list(db, &r->user.scope, &f, NULL, col, desc, size, (page - 1) * size),
        total, page, size);
    return 0;
}

/* GET /api/v1/certifications/export */
int api_cert_export(struct http_req *r)
{
    /* One (key, 中文, English) triple per line reads better than clang-format's packing. */
    /* clang-format off */
    static const char *const cols[] = {
        "uscc", "统一社会信用代码", "USCC",
        "org_name", "企业名称", "Enterprise",
        "region_code", "行政区划代码", "Region code",
        "region_name", "行政区划", "Region",
        "kind", "证书类型代码", "Kind code",
        "kind_name", "证书类型", "Kind",
        "number", "证书编号", "Number",
        "issued_on", "发证日期", "Issued on",
        "valid_to", "有效期至", "Valid to",
        "level", "级别", "Level",
        "issuer", "发证机关", "Issuer",
        "source", "来源", "Source",
        "valid_json", "当前有效", "Valid today",
        NULL};
    /* clang-format on */
    struct db *db = api_db(r);
    struct cert_filter f;
    const char *col;
    bool desc;
    if (!db || !read_filter(r, db, &f) || !api_sort(r, cert_sorts, "-issued_on", &col, &desc))
        return 0;
    struct db_stmt *st = cert_list(db, &r->user.scope, &f, NULL, col, desc, -1, 0);
    if (!st) {
        api_fail(r, KC_ERR_DB, NULL, NULL);
        return 0;
    }
    api_export_xlsx(r, st, cols, "资质证书", "Certificates", "certifications.xlsx");
    return 0;
}

/* GET /api/v1/certifications/kinds */
int api_cert_kinds(struct http_req *r)
{
    struct db *db = api_db(r);
    if (!db)
        return 0;
    int64_t n = 0;
    int rc = db_scalar(db_prep(db, "SELECT count(*) FROM cert_kinds"), &n);
    api_reply_rows(r, rc ? NULL : cert_kinds_list(db), n, 1, n);
    return 0;
}

/* GET /api/v1/certifications/{id} */
int api_cert_get(struct http_req *r)
{
    struct db *db = api_db(r);
    int64_t id;
    if (!db || !api_id_param(r, 0, &id))
        return 0;
    json_t *o = NULL;
    int rc = cert_get(db, &r->user.scope, id, NULL, &o);
    if (rc) {
        api_fail(r, rc, NULL, NULL);
        return 0;
    }
    ladder_reply_json(r, 200, o);
    json_decref(o);
    return 0;
}

/* Checks a complete certificate c (kind, dates, number, level) and fills valid_to from
 * the kind's validity when it is absent. Replies 422 and returns false on a problem. */
static bool validate(struct http_req *r, struct db *db, json_t *c)
{
    const char *kind = api_str(c, "kind");
    bool found = false;
    int years = 0;
    if (cert_kind_get(db, kind, &found, &years)) {
        api_fail(r, KC_ERR_DB, NULL, NULL);
        return false;
    }
    if (!found) {
        http_reply_error(r, 422, "invalid_cert_kind", "kind");
        return false;
    }
    if (ladder_is_org_user(r) && officer_only(kind)) {
        http_reply_error(r, 422, "officer_only_kind", "kind");
        return false;
    }
    const char *issued = api_str(c, "issued_on");
    char today[11];
    ladder_today(today);
    if (!ladder_date_ok(issued)) {
        http_reply_error(r, 422, "invalid_date", "issued_on");
        return false;
    }
    if (strcmp(issued, today) > 0) {
        http_reply_error(r, 422, "future_date", "issued_on");
        return false;
    }
    const char *to = api_str(c, "valid_to");
    if (to && !ladder_date_ok(to)) {
        http_reply_error(r, 422, "invalid_date", "valid_to");
        return false;
    }
    if (to && strcmp(to, issued) < 0) {
        http_reply_error(r, 422, "before_issued", "valid_to");
        return false;
    }
    if (!to && years > 0) {
        char out[11];
        if (ent_valid_to(issued, years, out) == 0)
            json_object_set_new(c, "valid_to", json_string(out));
    }
    const char *number = api_str(c, "number");
    if (number && strcmp(kind, "hnte") == 0 && !ent_hnte_number_ok(number)) {
        http_reply_error(r, 422, "invalid_gr_number", "number");
        return false;
    }
    const char *level = api_str(c, "level");
    if (level && strcmp(level, "national") != 0 && strcmp(level, "provincial") != 0 &&
        strcmp(level, "city") != 0 && strcmp(level, "county") != 0) {
        http_reply_error(r, 422, "invalid_value", "level");
        return false;
    }
    json_object_set_new(c, "source", json_string(ladder_is_org_user(r) ? "self" : "officer"));
    json_object_set_new(c, "status", json_string(ladder_is_org_user(r) ? "pending" : "verified"));
    return true;
}

/* Replies for a failed write: a duplicate number is a 409 on number. */
static void fail_write(struct http_req *r, int rc)
{
    if (rc == KC_ERR_CONFLICT)
        http_reply_error(r, 409, "conflict", "number");
    else
        api_fail(r, rc, NULL, NULL);
}

/* POST /api/v1/certifications */
int api_cert_create(struct http_req *r)
{
    struct db *db = api_db(r);
    if (!db)
        return 0;
    json_t *c = api_body(r, create_fields, true);
    if (!c)
        return 0;
    json_t *after = NULL;
    const char *uscc = api_str(c, "uscc");
    if (!uscc && !ladder_is_org_user(r)) {
        http_reply_error(r, 422, "required", "uscc");
        goto out;
    }
    if (!validate(r, db, c))
        goto out;
    if (db_begin(db)) {
        api_fail(r, KC_ERR_DB, NULL, NULL);
        goto out;
    }
    int64_t org_id = r->user.scope.org_id, id = 0;
    int rc = 0;
    if (uscc) {
        rc = ent_find(db, &r->user.scope, uscc, &org_id);
        if (rc == KC_ERR_NOT_FOUND) {
            /* Naming a holder the caller cannot see is a field error, not a leak. */
            db_rollback(db);
            http_reply_error(r, 422, "invalid_value", "uscc");
            goto out;
        }
    } else if (org_id <= 0) {
        rc = KC_ERR_FORBIDDEN;
    }
    if (!rc)
        rc = cert_insert(db, org_id, c, r->user.id, &id);
    if (!rc)
        rc = cert_get(db, &r->user.scope, id, NULL, &after);
    if (!rc) {
        struct audit_ctx ctx = api_audit_ctx(r);
        rc = audit_write(db, &ctx, "create", "certification", id, NULL, after);
    }
    if (!rc)
        rc = db_commit(db);
    else
        db_rollback(db);
    if (rc)
        fail_write(r, rc);
    else
        ladder_reply_json(r, 201, after);
out:
    json_decref(after);
    json_decref(c);
    return 0;
}

/* Loads certificate {id} in scope inside the open transaction for a change; replies and
 * returns false when it is missing or the caller may not change it. */
static bool load_for_change(struct http_req *r, struct db *db, int64_t id, json_t **before)
{
    int rc = cert_get(db, &r->user.scope, id, NULL, before);
    if (rc) {
        api_fail(r, rc, NULL, NULL);
        return false;
    }
    const char *src = api_str(*before, "source"), *status = api_str(*before, "status");
    if (ladder_is_org_user(r) && (!src || strcmp(src, "self") != 0)) {
        http_reply_error(r, 409, "cert_locked", NULL);
        return false;
    }
    if (ladder_is_org_user(r) && status && strcmp(status, "verified") == 0) {
        http_reply_error(r, 409, "cert_verified", NULL);
        return false;
    }
    return true;
}

/* PATCH /api/v1/certifications/{id} */
int api_cert_patch(struct http_req *r)
{
    struct db *db = api_db(r);
    int64_t id;
    if (!db || !api_id_param(r, 0, &id))
        return 0;
    json_t *patch = api_body(r, patch_fields, false);
    if (!patch)
        return 0;
    json_t *before = NULL, *merged = NULL, *after = NULL;
    if (db_begin(db)) {
        api_fail(r, KC_ERR_DB, NULL, NULL);
        goto out;
    }
    if (!load_for_change(r, db, id, &before)) {
        db_rollback(db);
        goto out;
    }
    merged = json_object();
    static const char *const keys[] = {"kind",  "number", "issued_on", "valid_to",
                                       "level", "issuer", "note",      NULL};
    for (const char *const *k = keys; *k; k++) {
        json_t *v = json_object_get(patch, *k);
        if (!v)
            v = json_object_get(before, *k);
        if (v)
            json_object_set(merged, *k, v);
    }
    /* A new issue date without a new valid_to recomputes it from the kind. */
    if (json_object_get(patch, "issued_on") && !json_object_get(patch, "valid_to"))
        json_object_del(merged, "valid_to");
    if (!validate(r, db, merged)) {
        db_rollback(db);
        goto out;
    }
    int rc = cert_update(db, id, merged, r->user.id);
    if (!rc)
        rc = cert_get(db, &r->user.scope, id, NULL, &after);
    if (!rc) {
        struct audit_ctx ctx = api_audit_ctx(r);
        rc = audit_write(db, &ctx, "update", "certification", id, before, after);
    }
    if (!rc)
        rc = db_commit(db);
    else
        db_rollback(db);
    if (rc)
        fail_write(r, rc);
    else
        ladder_reply_json(r, 200, after);
out:
    json_decref(before);
    json_decref(merged);
    json_decref(after);
    json_decref(patch);
    return 0;
}

/* DELETE /api/v1/certifications/{id} */
int api_cert_delete(struct http_req *r)
{
    struct db *db = api_db(r);
    int64_t id;
    if (!db || !api_id_param(r, 0, &id))
        return 0;
    json_t *before = NULL;
    if (db_begin(db)) {
        api_fail(r, KC_ERR_DB, NULL, NULL);
        return 0;
    }
    if (!load_for_change(r, db, id, &before)) {
        db_rollback(db);
        return 0;
    }
    int rc = cert_delete(db, id);
    if (!rc) {
        struct audit_ctx ctx = api_audit_ctx(r);
        rc = audit_write(db, &ctx, "delete", "certification", id, before, NULL);
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
    struct buf out = {0};
    buf_puts(&out, "{\"ok\":true}");
    http_reply_json(r, 200, &out);
    return 0;
}

/* The officer's decision on a pending certificate: verify (body optional) or reject
 * (body {"reason"} required). 409 cert_not_pending when it was decided already. */
static int review(struct http_req *r, const char *status)
{
    static const struct field_spec verify_spec[] = {{"note", FT_STR_NULL, false, 500},
                                                    {NULL, 0, 0, 0}};
    static const struct field_spec reject_spec[] = {{"reason", FT_STR, true, 500},
                                                    {NULL, 0, 0, 0}};
    bool reject = strcmp(status, "rejected") == 0;
    struct db *db = api_db(r);
    int64_t id;
    if (!db || !api_id_param(r, 0, &id))
        return 0;
    json_t *b = api_body(r, reject ? reject_spec : verify_spec, reject);
    if (!b)
        return 0;
    const char *note = api_str(b, reject ? "reason" : "note");
    json_t *before = NULL, *after = NULL;
    if (reject && (!note || !*note)) {
        http_reply_error(r, 422, "required", "reason");
        goto out;
    }
    if (db_begin(db)) {
        api_fail(r, KC_ERR_DB, NULL, NULL);
        goto out;
    }
    int rc = cert_get(db, &r->user.scope, id, NULL, &before);
    if (!rc)
        rc = cert_review(db, id, status, note, r->user.id);
    if (!rc)
        rc = cert_get(db, &r->user.scope, id, NULL, &after);
    if (!rc) {
        struct audit_ctx ctx = api_audit_ctx(r);
        rc = audit_write(db, &ctx, reject ? "reject" : "verify", "certification", id, before,
                         after);
    }
    if (!rc)
        rc = db_commit(db);
    else
        db_rollback(db);
    if (rc == KC_ERR_CONFLICT)
        http_reply_error(r, 409, "cert_not_pending", NULL);
    else if (rc)
        api_fail(r, rc, NULL, NULL);
    else
        ladder_reply_json(r, 200, after);
out:
    json_decref(before);
    json_decref(after);
    json_decref(b);
    return 0;
}

/* POST /api/v1/certifications/{id}/verify */
int api_cert_verify(struct http_req *r)
{
    return review(r, "verified");
}

/* POST /api/v1/certifications/{id}/reject */
int api_cert_reject(struct http_req *r)
{
    return review(r, "rejected");
}
