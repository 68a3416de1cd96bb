/* plans_obs.c (api) — /api/v1/observations: reported values, their verification and
 * evidence files (docs/api-plans.md "Reported values"). */
#include "api/api.h"
#include "api/handlers_plans.h"
#include "core/timeutil.h"
#include "core/utf8.h"
#include "db/db.h"
#include "store/plan_obs.h"
#include "store/plan_values.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Replies with a JSON value (stolen). */
static void reply_json(struct http_req *r, int status, json_t *v)
{
    char *text = json_dumps(v, JSON_COMPACT | JSON_REAL_PRECISION(12));
    json_decref(v);
    struct buf out = {0};
    buf_puts(&out, text ? text : "null");
    free(text);
    http_reply_json(r, status, &out);
}

static const char *const obs_sorts[] = {"id",           "year",       "region_code", "status",
                                        "submitted_at", "updated_at", NULL};

/* GET /api/v1/observations */
int api_obs_list(struct http_req *r)
{
    struct db *db = api_db(r);
    struct obs_filter f = {0};
    int64_t page, size, total = 0;
    const char *col;
    bool desc;
    if (!db || !api_region_param(r, &f.region) || !api_paging(r, &page, &size) ||
        !api_sort(r, obs_sorts, "-id", &col, &desc))
        return 0;
    f.indicator = api_qparam(r, "indicator");
    f.chain = api_qparam(r, "chain");
    f.status = api_qparam(r, "status");
    if (f.status && strcmp(f.status, "submitted") && strcmp(f.status, "rejected") &&
        strcmp(f.status, "verified") && strcmp(f.status, "superseded") &&
        strcmp(f.status, "open")) {
        http_reply_error(r, 422, "invalid_value", "status");
        return 0;
    }
    if (f.status && strcmp(f.status, "open") == 0) {
        f.status = NULL;
        f.open_only = true;
    }
    const char *y = api_qparam(r, "year");
    if (y) {
        char *end;
        long v = strtol(y, &end, 10);
        if (*end || v < 1949 || v > 2100) {
            http_reply_error(r, 422, "invalid_value", "year");
            return 0;
        }
        f.year = (int)v;
    }
    int rc = obs_count(db, &r->user.scope, &f, &total);
    struct db_stmt *st =
        rc ? NULL : obs_list(db, &r->user.scope, &f, col, desc, size, (page - 1) * size);
    if (!st) {
        api_fail(r, KC_ERR_DB, NULL, NULL);
        return 0;
    }
    json_t *items = json_array();
    while (db_step(st) == DB_ROW) {
        json_t *o = db_row_json(st);
        const char *s = json_string_value(json_object_get(o, "status"));
        json_object_set_new(
            o, "locked",
            json_boolean(s && (strcmp(s, "verified") == 0 || strcmp(s, "superseded") == 0)));
        json_object_set_new(o, "is_current",
                            json_boolean(json_integer_value(json_object_get(o, "is_current"))));
        json_array_append_new(items, o);
    }
    db_done(st);
    reply_json(r, 200,
               json_pack("{s:o,s:I,s:I,s:I}", "items", items, "total", (json_int_t)total, "page",
                         (json_int_t)page, "page_size", (json_int_t)size));
    return 0;
}

/* Replies with observation id (in scope) with its revisions and files. */
static void reply_obs(struct http_req *r, struct db *db, int64_t id, int status)
{
    json_t *o = NULL, *revs = NULL, *files = NULL;
    int rc = obs_get(db, &r->user.scope, id, &o);
    if (!rc)
        rc = obs_history(db, id, &revs, &files);
    if (rc) {
        json_decref(o);
        json_decref(revs);
        json_decref(files);
        api_fail(r, rc, NULL, NULL);
        return;
    }
    json_object_set_new(o, "revisions", revs);
    json_object_set_new(o, "files", files);
    reply_json(r, status, o);
}

/* GET /api/v1/observations/{id} */
int api_obs_get(struct http_req *r)
{
    int64_t id;
    struct db *db = api_db(r);
    if (!db || !api_id_param(r, 0, &id))
        return 0;
    reply_obs(r, db, id, 200);
    return 0;
}

static const struct field_spec obs_fields[] = {
    {"indicator_code", FT_STR, true, 64}, {"region_code", FT_STR, true, 6},
    {"chain", FT_STR_NULL, false, 32},    {"year", FT_INT, true, 0},
    {"value", FT_NUM_NULL, true, 0},      {"source", FT_STR, true, 200},
    {"note", FT_STR_NULL, false, 2000},   {NULL, 0, 0, 0},
};

/* Checks the value member: a finite number. */
static bool check_value(struct http_req *r, json_t *o, double *v)
{
    json_t *j = json_object_get(o, "value");
    if (!json_is_number(j) || !isfinite(json_number_value(j))) {
        http_reply_error(r, 422, json_is_null(j) ? "required" : "invalid_value", "value");
        return false;
    }
    *v = json_number_value(j);
    if (fabs(*v) > 1e15) {
        http_reply_error(r, 422, "invalid_value", "value");
        return false;
    }
    return true;
}

/* Audits the observation's new state after a write and commits; replies. */
static void finish(struct http_req *r, struct db *db, const char *action, int64_t id,
                   json_t *before, int status)
{
    json_t *after = NULL;
    struct scope all = {"", "~", 0};
    int rc = obs_get(db, &all, id, &after);
    if (!rc) {
        struct audit_ctx ctx = api_audit_ctx(r);
        rc = audit_write(db, &ctx, action, "observation", id, before, after);
    }
    json_decref(after);
    if (!rc)
        rc = db_commit(db);
    else
        db_rollback(db);
    if (rc) {
        api_fail(r, rc, NULL, NULL);
        return;
    }
    reply_obs(r, db, id, status);
}

/* POST /api/v1/observations */
int api_obs_create(struct http_req *r)
{
    struct db *db = api_db(r);
    if (!db)
        return 0;
    json_t *o = api_body(r, obs_fields, true);
    if (!o)
        return 0;
    struct obs_input in = {0};
    char region[7], today[11];
    plan_today(today);
    int64_t ind_id = 0;
    struct plan_indicator ind;
    if (!check_value(r, o, &in.value))
        goto out;
    if (db_scalar(db_query(db, "SELECT id FROM indicators WHERE code=?", "s",
                           api_str(o, "indicator_code")),
                  &ind_id) != 0 ||
        !ind_id || plan_indicator_load(db, ind_id, &ind) != 0) {
        http_reply_error(r, 422, "invalid_value", "indicator_code");
        goto out;
    }
    if (ind.ready) {
        /* Computed from the platform's records: nothing to report. */
        http_reply_error(r, 422, "computed_indicator", "indicator_code");
        goto out;
    }
    if (!api_region(r, db, "region_code", api_str(o, "region_code"), region))
        goto out;
    if (!auth_region_in_scope(&r->user, region)) {
        http_reply_error(r, 422, "region_out_of_scope", "region_code");
        goto out;
    }
    const char *chain = api_str(o, "chain");
    if (ind.chain_scope != (chain != NULL)) {
        http_reply_error(r, 422, ind.chain_scope ? "required" : "invalid_value", "chain");
        goto out;
    }
    if (chain) {
        int64_t n = 0;
        if (db_scalar(db_query(db, "SELECT count(*) FROM chains WHERE code=?", "s", chain), &n) ||
            !n) {
            http_reply_error(r, 422, "invalid_value", "chain");
            goto out;
        }
    }
    int64_t year = json_integer_value(json_object_get(o, "year"));
    if (year < 1949 || year > plan_date_year(today)) {
        http_reply_error(r, 422, "invalid_year", "year");
        goto out;
    }
    in.indicator_id = ind_id;
    in.region = region;
    in.chain = chain ? chain : "";
    in.year = (int)year;
    in.source = api_str(o, "source");
    in.note = api_str(o, "note");
    int64_t id = 0;
    int rc = db_begin(db);
    if (!rc)
        rc = obs_submit(db, &r->user, &in, &id);
    if (rc) {
        db_rollback(db);
        if (rc == KC_ERR_CONFLICT)
            http_reply_error(r, 409, "open_value_exists", "year");
        else
            api_fail(r, rc, NULL, NULL);
        goto out;
    }
    finish(r, db, "create", id, NULL, 201);
out:
    json_decref(o);
    return 0;
}

static const struct field_spec obs_patch_fields[] = {
    {"value", FT_NUM_NULL, false, 0},
    {"source", FT_STR, false, 200},
    {"note", FT_STR_NULL, false, 2000},
    {NULL, 0, 0, 0},
};

/* PATCH /api/v1/observations/{id} */
int api_obs_patch(struct http_req *r)
{
    int64_t id;
    struct db *db = api_db(r);
    if (!db || !api_id_param(r, 0, &id))
        return 0;
    json_t *patch = api_body(r, obs_patch_fields, false);
    if (!patch)
        return 0;
    json_t *before = NULL;
    int rc = db_begin(db);
    if (!rc)
        rc = obs_get(db, &r->user.scope, id, &before);
    if (rc) {
        db_rollback(db);
        api_fail(r, rc, NULL, NULL);
        goto out;
    }
    if (json_is_true(json_object_get(before, "locked"))) {
        db_rollback(db);
        http_reply_error(r, 409, "locked", NULL);
        goto out;
    }
    double v = json_number_value(json_object_get(before, "value"));
    if (json_object_get(patch, "value") && !check_value(r, patch, &v)) {
        db_rollback(db);
        goto out;
    }
    const char *source =
        json_object_get(patch, "source") ? api_str(patch, "source") : api_str(before, "source");
    const char *note =
        json_object_get(patch, "note") ? api_str(patch, "note") : api_str(before, "note");
    if (!source || utf8_blank(source)) {
        db_rollback(db);
        http_reply_error(r, 422, "required", "source");
        goto out;
    }
    rc = obs_update(db, &r->user, id, v, source, note);
    if (rc) {
        db_rollback(db);
        if (rc == KC_ERR_CONFLICT)
            http_reply_error(r, 409, "locked", NULL);
        else
            api_fail(r, rc, NULL, NULL);
        goto out;
    }
    finish(r, db, "update", id, before, 200);
out:
    json_decref(before);
    json_decref(patch);
    return 0;
}

/* Verifies (verify) or rejects with reason; replies. */
static int decide(struct http_req *r, bool verify)
{
    static const struct field_spec reject_fields[] = {{"reason", FT_STR, true, 500},
                                                      {NULL, 0, 0, 0}};
    int64_t id;
    struct db *db = api_db(r);
    if (!db || !api_id_param(r, 0, &id))
        return 0;
    json_t *body = NULL;
    if (!verify && !(body = api_body(r, reject_fields, true)))
        return 0;
    json_t *before = NULL;
    enum obs_refusal why = OBS_OK;
    int rc = db_begin(db);
    if (!rc)
        rc = obs_get(db, &r->user.scope, id, &before);
    if (!rc)
        rc = verify ? obs_verify(db, &r->user, id, &why)
                    : obs_reject(db, &r->user, id, api_str(body, "reason"), &why);
    if (rc) {
        db_rollback(db);
        if (why == OBS_OWN_VALUE)
            http_reply_error(r, 403, "own_value", NULL);
        else if (why == OBS_NOT_OPEN)
            http_reply_error(r, 409, "not_submitted", NULL);
        else
            api_fail(r, rc, NULL, NULL);
    } else {
        finish(r, db, verify ? "verify" : "reject", id, before, 200);
    }
    json_decref(before);
    json_decref(body);
    return 0;
}

/* POST /api/v1/observations/{id}/verify */
int api_obs_verify(struct http_req *r)
{
    return decide(r, true);
}

/* POST /api/v1/observations/{id}/reject */
int api_obs_reject(struct http_req *r)
{
    return decide(r, false);
}

/* POST /api/v1/observations/{id}/files */
int api_obs_file_upload(struct http_req *r)
{
    int64_t id;
    struct db *db = api_db(r);
    if (!db || !api_id_param(r, 0, &id))
        return 0;
    const char *name;
    const char *mime = api_evidence_check(r, &name);
    if (!mime)
        return 0;
    const unsigned char *data = (const unsigned char *)r->body.data;
    json_t *before = NULL;
    int64_t fid = 0;
    int rc = db_begin(db);
    if (!rc)
        rc = obs_get(db, &r->user.scope, id, &before);
    if (!rc && json_is_true(json_object_get(before, "locked")))
        rc = KC_ERR_CONFLICT;
    if (!rc)
        rc = obs_file_add(db, id, name, mime, data, r->body.len, r->user.id, &fid);
    if (!rc) {
        struct audit_ctx ctx = api_audit_ctx(r);
        json_t *diff = json_pack("{s:{s:s},s:{s:I}}", "file", "after", name, "file_id", "after",
                                 (json_int_t)fid);
        rc = audit_write_diff(db, &ctx, "attach", "observation", id, diff);
        json_decref(diff);
    }
    if (!rc)
        rc = db_commit(db);
    else
        db_rollback(db);
    json_decref(before);
    if (rc == KC_ERR_CONFLICT) {
        http_reply_error(r, 409, "locked", NULL);
        return 0;
    }
    if (rc) {
        api_fail(r, rc, NULL, NULL);
        return 0;
    }
    reply_obs(r, db, id, 201);
    return 0;
}

/* GET /api/v1/observation-files/{id} */
int api_obs_file_get(struct http_req *r)
{
    int64_t id;
    struct db *db = api_db(r);
    if (!db || !api_id_param(r, 0, &id))
        return 0;
    char *data = NULL, *name = NULL, *mime = NULL;
    size_t len = 0;
    int rc = obs_file_read(db, &r->user.scope, id, &data, &len, &name, &mime);
    if (rc) {
        api_fail(r, rc, NULL, NULL);
        return 0;
    }
    api_evidence_reply(r, "evidence", id, data, len, name, mime);
    return 0;
}

/* See api/handlers_plans.h. */
const char *api_evidence_check(struct http_req *r, const char **name_out)
{
    const char *name = api_qparam(r, "name");
    *name_out = name;
    if (!name || utf8_len(name) > 200 || !utf8_valid(name, strlen(name)) ||
        strpbrk(name, "/\\\"\r\n\t") != NULL) {
        http_reply_error(r, 422, name ? "invalid_value" : "required", "name");
        return NULL;
    }
    if (r->body.len == 0) {
        http_reply_error(r, 422, "required", "file");
        return NULL;
    }
    if (r->body.len > PLAN_FILE_MAX_BYTES) {
        http_reply_error(r, 413, "too_large", "file");
        return NULL;
    }
    const char *mime =
        plan_file_sniff((const unsigned char *)r->body.data, r->body.len, name);
    if (!mime)
        http_reply_error(r, 422, "file_type", "file");
    return mime;
}

/* See api/handlers_plans.h. */
void api_evidence_reply(struct http_req *r, const char *prefix, int64_t id, char *data,
                        size_t len, char *name, char *mime)
{
    /* The download is named by id and type (an ASCII header); the JSON keeps the name. */
    const char *ext = strstr(mime, "pdf")     ? ".pdf"
                      : strstr(mime, "png")   ? ".png"
                      : strstr(mime, "jpeg")  ? ".jpg"
                      : strstr(mime, "sheet") ? ".xlsx"
                                              : ".docx";
    char fname[64];
    snprintf(fname, sizeof(fname), "%s-%lld%s", prefix, (long long)id, ext);
    const char *m = arena_strdup(&r->arena, mime), *n = arena_strdup(&r->arena, fname);
    free(mime);
    free(name);
    http_reply_bytes(r, 200, m, data, len, n);
}
