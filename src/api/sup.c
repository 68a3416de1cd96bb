/* sup.c (api) — /api/v1/tickets: supervision tickets (督查): list, export, summary, one
 * ticket with its history, answer, close, escalate, open by hand, sweep on demand. */
#include "api/api.h"
#include "api/handlers_assess.h"
#include "api/handlers_plans.h"
#include "core/timeutil.h"
#include "db/db.h"
#include "core/utf8.h"
#include "store/plan_obs.h"
#include "store/plan_values.h"
#include "store/sup.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Today in Beijing time as YYYY-MM-DD. */
static void today(char out[11])
{
    time_t t = (time_t)(time_now() + 8 * 3600);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 11, "%Y-%m-%d", &tm);
}

/* Reads the list filters; replies 422 and returns false when one is malformed. */
static bool read_filter(struct http_req *r, struct sup_filter *f, char day[11])
{
    memset(f, 0, sizeof(*f));
    today(day);
    f->today = day;
    f->status = api_qparam(r, "status");
    enum sup_status s;
    if (f->status && strcmp(f->status, "active") != 0 && !sup_status_parse(f->status, &s)) {
        http_reply_error(r, 422, "invalid_value", "status");
        return false;
    }
    f->subject_kind = api_qparam(r, "subject_kind");
    if (f->subject_kind && strcmp(f->subject_kind, "target") != 0 &&
        strcmp(f->subject_kind, "task") != 0) {
        http_reply_error(r, 422, "invalid_value", "subject_kind");
        return false;
    }
    static const char *const ids[] = {"plan_id", "subject_id"};
    int64_t *dst[] = {&f->plan_id, &f->subject_id};
    for (int i = 0; i < 2; i++) {
        const char *v = api_qparam(r, ids[i]);
        if (!v)
            continue;
        char *end;
        long long n = strtoll(v, &end, 10);
        if (*end || n <= 0) {
            http_reply_error(r, 422, "invalid_value", ids[i]);
            return false;
        }
        *dst[i] = n;
    }
    f->q = api_qparam(r, "q");
    const char *od = api_qparam(r, "overdue");
    if (od && strcmp(od, "1") != 0 && strcmp(od, "true") != 0 && strcmp(od, "0") != 0 &&
        strcmp(od, "false") != 0) {
        http_reply_error(r, 422, "invalid_value", "overdue");
        return false;
    }
    f->overdue = od && (strcmp(od, "1") == 0 || strcmp(od, "true") == 0);
    return api_region_param(r, &f->region);
}

static const char *const sorts[] = {"id",     "opened_at", "deadline",    "updated_at",
                                    "status", "level",     "region_code", NULL};

/* GET /api/v1/tickets */
int api_tickets_list(struct http_req *r)
{
    struct db *db = api_db(r);
    struct sup_filter f;
    char day[11];
    int64_t page, size, total;
    const char *col;
    bool desc;
    if (!db || !read_filter(r, &f, day) || !api_paging(r, &page, &size) ||
        !api_sort(r, sorts, "-id", &col, &desc))
        return 0;
    int rc = sup_count(db, &r->user.scope, &f, &total);
    api_reply_rows(r,
                   rc ? NULL : sup_list(db, &r->user.scope, &f, col, desc, size, (page - 1) * size),
                   total, page, size);
    return 0;
}

/* GET /api/v1/tickets/export */
int api_tickets_export(struct http_req *r)
{
    static const char *const cols[] = {"id",          "编号",          "ID",
                                       "title",       "督办事项",      "Subject",
                                       "reason",      "原因",          "Reason",
                                       "region_name", "责任地区",      "Region",
                                       "unit_name",   "责任单位",      "Responsible unit",
                                       "plan_title",  "规划",          "Plan",
                                       "status",      "状态",          "Status",
                                       "level",       "督办级别",      "Level",
                                       "deadline",    "答复期限",      "Deadline",
                                       "opened_at",   "发起时间(UTC)", "Opened (UTC)",
                                       "updated_at",  "更新时间(UTC)", "Updated (UTC)",
                                       "detail",      "情况说明",      "Detail",
                                       NULL};
    struct db *db = api_db(r);
    struct sup_filter f;
    char day[11];
    const char *col;
    bool desc;
    if (!db || !read_filter(r, &f, day) || !api_sort(r, sorts, "-id", &col, &desc))
        return 0;
    struct db_stmt *st = sup_list(db, &r->user.scope, &f, col, desc, -1, 0);
    if (!st) {
        api_fail(r, KC_ERR_DB, NULL, NULL);
        return 0;
    }
    api_export_xlsx(r, st, cols, "督查督办", "Supervision tickets", "tickets.xlsx");
    return 0;
}

/* Replies with a JSON object and status (the object is not consumed). */
static void reply_obj(struct http_req *r, int status, json_t *o)
{
    struct buf out = {0};
    char *text = json_dumps(o, JSON_COMPACT);
    buf_puts(&out, text);
    free(text);
    http_reply_json(r, status, &out);
}

/* GET /api/v1/tickets/summary */
int api_tickets_summary(struct http_req *r)
{
    struct db *db = api_db(r);
    if (!db)
        return 0;
    char day[11];
    today(day);
    json_t *o = NULL;
    int rc = sup_summary(db, &r->user.scope, day, &o);
    if (rc) {
        api_fail(r, rc, NULL, NULL);
        return 0;
    }
    reply_obj(r, 200, o);
    json_decref(o);
    return 0;
}

/* GET /api/v1/tickets/{id} */
int api_tickets_get(struct http_req *r)
{
    int64_t id;
    struct db *db = api_db(r);
    if (!db || !api_id_param(r, 0, &id))
        return 0;
    json_t *t = NULL;
    int rc = sup_get(db, &r->user.scope, id, &t);
    if (rc) {
        api_fail(r, rc, NULL, NULL);
        return 0;
    }
    /* What the caller may do next (the UI shows only those buttons). */
    const char *status = json_string_value(json_object_get(t, "status"));
    bool waiting = strcmp(status, "open") == 0 || strcmp(status, "escalated") == 0;
    bool own =
        r->user.role->scope == SCOPE_ALL ||
        strcmp(r->user.region_code, json_string_value(json_object_get(t, "region_code"))) == 0;
    bool verify = auth_can(&r->user, CAP_OBS_VERIFY) && strcmp(status, "closed") != 0;
    json_object_set_new(t, "can_answer",
                        json_boolean(waiting && own && auth_can(&r->user, CAP_OBS_REPORT)));
    json_object_set_new(t, "can_close", json_boolean(verify));
    json_object_set_new(
        t, "can_escalate",
        json_boolean(verify && json_integer_value(json_object_get(t, "level")) < SUP_MAX_LEVEL));
    reply_obj(r, 200, t);
    json_decref(t);
    return 0;
}

/* Runs an action on ticket id in a transaction and replies with the ticket. */
static void act(struct http_req *r, struct db *db, int64_t id, struct sup_act_in *in)
{
    struct audit_ctx ctx = api_audit_ctx(r);
    json_t *t = NULL;
    int rc = db_begin(db);
    if (!rc)
        rc = sup_act(db, &ctx, id, in);
    if (!rc)
        rc = db_commit(db);
    else
        db_rollback(db);
    if (!rc)
        rc = sup_get(db, &r->user.scope, id, &t);
    if (rc == KC_ERR_CONFLICT)
        api_fail(r, rc, "invalid_transition", "status");
    else if (rc == KC_ERR_INVALID)
        api_fail(r, rc, "file_not_uploaded", "file_ids");
    else if (rc)
        api_fail(r, rc, NULL, NULL);
    else
        reply_obj(r, 200, t);
    json_decref(t);
}

/* Loads a visible ticket's region and status for a permission check; replies and
 * returns false when it is not visible. */
static bool ticket_head(struct http_req *r, struct db *db, int64_t id, char region[7])
{
    json_t *t = NULL;
    int rc = sup_get(db, &r->user.scope, id, &t);
    if (rc) {
        api_fail(r, rc, NULL, NULL);
        return false;
    }
    snprintf(region, 7, "%s", json_string_value(json_object_get(t, "region_code")));
    json_decref(t);
    return true;
}

/* POST /api/v1/tickets/{id}/answer {measure, evidence?, file_ids?} — the responsible unit
 * only. */
int api_tickets_answer(struct http_req *r)
{
    static const struct field_spec spec[] = {{"measure", FT_STR, true, 2000},
                                             {"evidence", FT_STR_NULL, false, 4000},
                                             {"file_ids", FT_INT_LIST, false, 0},
                                             {NULL, 0, 0, 0}};
    int64_t id;
    char region[7], day[11];
    struct db *db = api_db(r);
    if (!db || !api_id_param(r, 0, &id) || !ticket_head(r, db, id, region))
        return 0;
    if (r->user.role->scope != SCOPE_ALL && strcmp(r->user.region_code, region) != 0) {
        http_reply_error(r, 403, "not_responsible", NULL);
        return 0;
    }
    json_t *o = api_body(r, spec, true);
    if (!o)
        return 0;
    json_t *ids = json_object_get(o, "file_ids");
    size_t n = json_is_array(ids) ? json_array_size(ids) : 0;
    if (n > SUP_MAX_FILES) {
        http_reply_error(r, 422, "too_many_files", "file_ids");
        json_decref(o);
        return 0;
    }
    int64_t fids[SUP_MAX_FILES];
    for (size_t i = 0; i < n; i++)
        fids[i] = (int64_t)json_integer_value(json_array_get(ids, i));
    today(day);
    struct sup_act_in in = {.action = SUP_ANSWER,
                            .measure = api_str(o, "measure"),
                            .evidence = api_str(o, "evidence"),
                            .file_ids = fids,
                            .n_files = n,
                            .today = day};
    act(r, db, id, &in);
    json_decref(o);
    return 0;
}

/* POST /api/v1/tickets/{id}/files?name= — the responsible unit uploads an evidence file
 * (raw body) for its next answer, while the ticket waits for one. */
int api_tickets_file_upload(struct http_req *r)
{
    int64_t id;
    char region[7];
    struct db *db = api_db(r);
    if (!db || !api_id_param(r, 0, &id))
        return 0;
    json_t *t = NULL;
    int rc = sup_get(db, &r->user.scope, id, &t);
    if (rc) {
        api_fail(r, rc, NULL, NULL);
        return 0;
    }
    snprintf(region, sizeof(region), "%s", json_string_value(json_object_get(t, "region_code")));
    const char *status = json_string_value(json_object_get(t, "status"));
    bool waiting = strcmp(status, "open") == 0 || strcmp(status, "escalated") == 0;
    size_t pending = json_array_size(json_object_get(t, "pending_files"));
    json_decref(t);
    if (r->user.role->scope != SCOPE_ALL && strcmp(r->user.region_code, region) != 0) {
        http_reply_error(r, 403, "not_responsible", NULL);
        return 0;
    }
    if (!waiting) {
        http_reply_error(r, 409, "invalid_transition", "status");
        return 0;
    }
    const char *name;
    const char *mime = api_evidence_check(r, &name);
    if (!mime)
        return 0;
    const unsigned char *data = (const unsigned char *)r->body.data;
    if (pending >= 2 * SUP_MAX_FILES) {
        http_reply_error(r, 422, "too_many_files", "file");
        return 0;
    }
    int64_t fid = 0;
    rc = db_begin(db);
    if (!rc)
        rc = sup_file_add(db, id, name, mime, data, r->body.len, r->user.id, &fid);
    if (!rc) {
        struct audit_ctx ctx = api_audit_ctx(r);
        json_t *diff = json_pack("{s:{s:s},s:{s:I}}", "file", "after", name, "file_id", "after",
                                 (json_int_t)fid);
        rc = audit_write_diff(db, &ctx, "attach", "sup_ticket", id, diff);
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
    json_t *f =
        json_pack("{s:I,s:I,s:s,s:s,s:I}", "id", (json_int_t)fid, "ticket_id", (json_int_t)id,
                  "name", name, "mime", mime, "size_bytes", (json_int_t)r->body.len);
    reply_obj(r, 201, f);
    json_decref(f);
    return 0;
}

/* DELETE /api/v1/tickets/{id}/files/{fid} — the responsible unit removes an uploaded
 * evidence file that no answer uses yet. */
int api_tickets_file_delete(struct http_req *r)
{
    int64_t id, fid;
    char region[7];
    struct db *db = api_db(r);
    if (!db || !api_id_param(r, 0, &id) || !api_id_param(r, 1, &fid) ||
        !ticket_head(r, db, id, region))
        return 0;
    if (r->user.role->scope != SCOPE_ALL && strcmp(r->user.region_code, region) != 0) {
        http_reply_error(r, 403, "not_responsible", NULL);
        return 0;
    }
    char *name = NULL, stored[64] = "";
    int rc = db_begin(db);
    if (!rc)
        rc = sup_file_remove(db, id, fid, &name, stored);
    if (!rc) {
        struct audit_ctx ctx = api_audit_ctx(r);
        json_t *diff = json_pack("{s:{s:s},s:{s:I}}", "file", "before", name, "file_id", "before",
                                 (json_int_t)fid);
        rc = audit_write_diff(db, &ctx, "detach", "sup_ticket", id, diff);
        json_decref(diff);
    }
    if (!rc)
        rc = db_commit(db);
    else
        db_rollback(db);
    free(name);
    if (rc) {
        api_fail(r, rc, NULL, NULL);
        return 0;
    }
    plan_file_unlink(stored);
    json_t *t = NULL;
    rc = sup_get(db, &r->user.scope, id, &t);
    if (rc)
        api_fail(r, rc, NULL, NULL);
    else
        reply_obj(r, 200, t);
    json_decref(t);
    return 0;
}

/* GET /api/v1/ticket-files/{id} — an evidence file of a ticket in scope. */
int api_ticket_file_get(struct http_req *r)
{
    int64_t id;
    struct db *db = api_db(r);
    if (!db || !api_id_param(r, 0, &id))
        return 0;
    char *data = NULL, *name = NULL, *mime = NULL;
    size_t len = 0;
    int rc = sup_file_read(db, &r->user.scope, id, &data, &len, &name, &mime);
    if (rc) {
        api_fail(r, rc, NULL, NULL);
        return 0;
    }
    api_evidence_reply(r, "ticket-evidence", id, data, len, name, mime);
    return 0;
}

/* POST /api/v1/tickets/{id}/close {note} */
int api_tickets_close(struct http_req *r)
{
    static const struct field_spec spec[] = {{"note", FT_STR, true, 2000}, {NULL, 0, 0, 0}};
    int64_t id;
    char region[7], day[11];
    struct db *db = api_db(r);
    if (!db || !api_id_param(r, 0, &id) || !ticket_head(r, db, id, region))
        return 0;
    json_t *o = api_body(r, spec, true);
    if (!o)
        return 0;
    today(day);
    struct sup_act_in in = {.action = SUP_CLOSE, .note = api_str(o, "note"), .today = day};
    act(r, db, id, &in);
    json_decref(o);
    return 0;
}

/* POST /api/v1/tickets/{id}/escalate {note, deadline?} */
int api_tickets_escalate(struct http_req *r)
{
    static const struct field_spec spec[] = {
        {"note", FT_STR, true, 2000}, {"deadline", FT_STR_NULL, false, 10}, {NULL, 0, 0, 0}};
    int64_t id;
    char region[7], day[11];
    struct db *db = api_db(r);
    if (!db || !api_id_param(r, 0, &id) || !ticket_head(r, db, id, region))
        return 0;
    json_t *o = api_body(r, spec, true);
    if (!o)
        return 0;
    today(day);
    const char *deadline = api_str(o, "deadline");
    int64_t d, t0;
    if (deadline) {
        /* A new deadline lies after today and within 90 days. */
        if (strlen(deadline) != 10 || time_parse_date(deadline, &d) != 0) {
            http_reply_error(r, 422, "invalid_date", "deadline");
            goto out;
        }
        if (time_parse_date(day, &t0) != 0 || d <= t0 || d > t0 + 90 * 86400) {
            http_reply_error(r, 422, "deadline_range", "deadline");
            goto out;
        }
    }
    struct sup_act_in in = {
        .action = SUP_ESCALATE, .note = api_str(o, "note"), .deadline = deadline, .today = day};
    act(r, db, id, &in);
out:
    json_decref(o);
    return 0;
}

/* POST /api/v1/tickets {subject_kind, subject_id, note} — the city opens one by hand. */
int api_tickets_create(struct http_req *r)
{
    static const struct field_spec spec[] = {{"subject_kind", FT_STR, true, 8},
                                             {"subject_id", FT_INT, true, 0},
                                             {"note", FT_STR, true, 2000},
                                             {NULL, 0, 0, 0}};
    struct db *db = api_db(r);
    if (!db)
        return 0;
    json_t *o = api_body(r, spec, true);
    if (!o)
        return 0;
    const char *kind = api_str(o, "subject_kind");
    json_t *t = NULL;
    if (strcmp(kind, "target") != 0 && strcmp(kind, "task") != 0) {
        http_reply_error(r, 422, "invalid_value", "subject_kind");
        goto out;
    }
    char day[11];
    today(day);
    struct audit_ctx ctx = api_audit_ctx(r);
    int64_t id = 0;
    int rc = db_begin(db);
    if (!rc)
        rc = sup_open_manual(db, &ctx, &r->user.scope, kind,
                             json_integer_value(json_object_get(o, "subject_id")),
                             api_str(o, "note"), day, &id);
    if (!rc)
        rc = db_commit(db);
    else
        db_rollback(db);
    if (!rc)
        rc = sup_get(db, &r->user.scope, id, &t);
    if (rc == KC_ERR_NOT_FOUND)
        http_reply_error(r, 422, "invalid_value", "subject_id");
    else if (rc == KC_ERR_CONFLICT)
        api_fail(r, rc, "ticket_open", "subject_id");
    else if (rc)
        api_fail(r, rc, NULL, NULL);
    else
        reply_obj(r, 201, t);
out:
    json_decref(t);
    json_decref(o);
    return 0;
}

/* POST /api/v1/tickets/sweep — runs the sweep now over the caller's scope. */
int api_tickets_sweep(struct http_req *r)
{
    struct db *db = api_db(r);
    if (!db)
        return 0;
    char day[11];
    today(day);
    struct audit_ctx ctx = api_audit_ctx(r);
    struct sup_sweep_result res = {0, 0};
    int rc = plan_values_ensure(db);
    if (!rc)
        rc = db_begin(db);
    if (!rc)
        rc = sup_sweep(db, &ctx, &r->user.scope, day, &res);
    if (!rc)
        rc = db_commit(db);
    else
        db_rollback(db);
    if (rc) {
        api_fail(r, rc, NULL, NULL);
        return 0;
    }
    json_t *o = json_pack("{s:i,s:i}", "opened", res.opened, "reminders", res.reminders);
    reply_obj(r, 200, o);
    json_decref(o);
    return 0;
}
