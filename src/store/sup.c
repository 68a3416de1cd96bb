/* sup.c (store) — SQL of supervision tickets, the sweep and reminders (see sup.h). */
#include "store/sup.h"
#include "core/buf.h"
#include "core/log.h"
#include "core/timeutil.h"
#include "db/db.h"
#include "domain/plan_progress.h"
#include "store/plan.h"
#include "store/plan_obs.h"
#include "store/plan_values.h"

#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Day number (days since 1970-01-01) of a YYYY-MM-DD date, or -1. */
static int64_t day_of(const char *date)
{
    int64_t t;
    return date && time_parse_date(date, &t) == 0 ? t / 86400 : -1;
}

/* Formats day number d as YYYY-MM-DD into out[11]. */
static void date_of(int64_t d, char out[11])
{
    time_t t = (time_t)(d * 86400);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 11, "%Y-%m-%d", &tm);
}

#define TICKET_SELECT                                                                              \
    "SELECT t.id, t.subject_kind, t.subject_id, t.plan_id, p.title AS plan_title, "                \
    "t.region_code, r.name AS region_name, t.unit_name, t.reason, t.period, t.title, "             \
    "t.detail, t.status, t.level, t.deadline, t.opened_at, ou.username AS opened_by, "             \
    "t.updated_at, t.closed_at, "                                                                  \
    "(t.status IN ('open', 'escalated') AND t.deadline < ?) AS overdue, "                          \
    "(SELECT count(*) FROM sup_ticket_events e WHERE e.ticket_id = t.id) AS n_events "             \
    "FROM sup_tickets t LEFT JOIN plans p ON p.id = t.plan_id "                                    \
    "LEFT JOIN regions r ON r.code = t.region_code LEFT JOIN users ou ON ou.id = t.opened_by "

/* The WHERE clause of scope and filters. */
static void list_where(struct buf *sql, struct db_args *a, const struct scope *sc,
                       const struct sup_filter *f)
{
    buf_puts(sql, "WHERE t.region_code >= ? AND t.region_code < ? ");
    db_args_text(a, sc->lo);
    db_args_text(a, sc->hi);
    if (sc->org_id)
        buf_puts(sql, "AND 0 ");
    if (f->region.lo[0]) {
        buf_puts(sql, "AND t.region_code >= ? AND t.region_code < ? ");
        db_args_text(a, f->region.lo);
        db_args_text(a, f->region.hi);
    }
    if (f->status && strcmp(f->status, "active") == 0) {
        buf_puts(sql, "AND t.status <> 'closed' ");
    } else if (f->status) {
        buf_puts(sql, "AND t.status = ? ");
        db_args_text(a, f->status);
    }
    if (f->subject_kind) {
        buf_puts(sql, "AND t.subject_kind = ? ");
        db_args_text(a, f->subject_kind);
    }
    if (f->subject_id) {
        buf_puts(sql, "AND t.subject_id = ? ");
        db_args_int(a, f->subject_id);
    }
    if (f->plan_id) {
        buf_puts(sql, "AND t.plan_id = ? ");
        db_args_int(a, f->plan_id);
    }
    if (f->q) {
        buf_puts(sql, "AND (instr(t.title, ?) > 0 OR instr(t.unit_name, ?) > 0) ");
        db_args_text(a, f->q);
        db_args_text(a, f->q);
    }
    if (f->overdue) {
        buf_puts(sql, "AND t.status IN ('open', 'escalated') AND t.deadline < ? ");
        db_args_text(a, f->today);
    }
}

struct db_stmt *sup_list(struct db *db, const struct scope *sc, const struct sup_filter *f,
                         const char *sort_col, bool desc, int64_t limit, int64_t offset)
{
    struct buf sql = {0};
    struct db_args a = {0};
    buf_puts(&sql, TICKET_SELECT);
    db_args_text(&a, f->today);
    list_where(&sql, &a, sc, f);
    return db_page(db, &sql, &a, "t", sort_col, desc, limit, offset);
}

int sup_count(struct db *db, const struct scope *sc, const struct sup_filter *f, int64_t *n)
{
    struct buf sql = {0};
    struct db_args a = {0};
    buf_puts(&sql, "SELECT count(*) FROM sup_tickets t ");
    list_where(&sql, &a, sc, f);
    return db_count(db, &sql, &a, n);
}

/* Collects every row of st into a new JSON array. */
static int rows_json(struct db_stmt *st, json_t **out)
{
    if (!st)
        return KC_ERR_DB;
    json_t *arr = json_array();
    int rc;
    while ((rc = db_step(st)) == DB_ROW)
        json_array_append_new(arr, db_row_json(st));
    db_done(st);
    if (rc < 0) {
        json_decref(arr);
        return rc;
    }
    *out = arr;
    return 0;
}

/* Loads the bare ticket row (for the audit log and the state machine). */
static int ticket_row(struct db *db, int64_t id, json_t **out)
{
    struct db_stmt *st = db_query(db,
                                  "SELECT id, subject_kind, subject_id, plan_id, region_code, "
                                  "unit_name, reason, period, title, detail, status, level, "
                                  "deadline, opened_at, updated_at, closed_at FROM sup_tickets "
                                  "WHERE id = ?",
                                  "i", id);
    if (!st)
        return KC_ERR_DB;
    int rc = db_step(st);
    if (rc == DB_ROW)
        *out = db_row_json(st);
    db_done(st);
    if (rc < 0)
        return rc;
    return rc == DB_ROW ? 0 : KC_ERR_NOT_FOUND;
}

/* The subject of a ticket as shown with it. */
static int subject_json(struct db *db, const char *kind, int64_t sid, json_t **out)
{
    struct db_stmt *st;
    if (strcmp(kind, "target") == 0)
        st = db_query(db,
                      "SELECT 'target' AS kind, t.id, t.plan_id, t.code, t.region_code, "
                      "r.name AS region_name, t.chain, i.code AS indicator_code, i.name AS "
                      "indicator_name, i.unit, t.comparator, t.target_value, t.target_year, "
                      "t.text, k.code AS task_code, k.title AS task_title "
                      "FROM targets t JOIN indicators i ON i.id = t.indicator_id "
                      "JOIN plan_tasks k ON k.id = t.task_id "
                      "LEFT JOIN regions r ON r.code = t.region_code WHERE t.id = ?",
                      "i", sid);
    else
        st = db_query(db,
                      "SELECT 'task' AS kind, k.id, k.plan_id, k.code, p.region_code, "
                      "k.title, k.description AS text, k.deadline, u.name AS lead_unit "
                      "FROM plan_tasks k JOIN plans p ON p.id = k.plan_id "
                      "LEFT JOIN plan_units u ON u.id = k.lead_unit_id WHERE k.id = ?",
                      "i", sid);
    if (!st)
        return KC_ERR_DB;
    int rc = db_step(st);
    *out = rc == DB_ROW ? db_row_json(st) : json_null();
    db_done(st);
    return rc < 0 ? rc : 0;
}

int sup_get(struct db *db, const struct scope *sc, int64_t id, json_t **out)
{
    char today[11];
    date_of(time_now() / 86400 + 0, today);
    struct db_stmt *st =
        db_query(db,
                 TICKET_SELECT "WHERE t.id = ? AND t.region_code >= ? AND t.region_code < ? "
                               "AND ? = 0",
                 "sissi", today, id, sc->lo, sc->hi, sc->org_id);
    if (!st)
        return KC_ERR_DB;
    int rc = db_step(st);
    json_t *t = rc == DB_ROW ? db_row_json(st) : NULL;
    db_done(st);
    if (rc < 0)
        return rc;
    if (!t)
        return KC_ERR_NOT_FOUND;
    json_t *events = NULL, *reminders = NULL, *subject = NULL;
    rc = rows_json(db_query(db,
                            "SELECT id, at, username AS by_user, action, status_after, level, "
                            "deadline, measure, evidence, files_json, note FROM "
                            "sup_ticket_events WHERE ticket_id = ? ORDER BY id",
                            "i", id),
                   &events);
    if (!rc)
        rc = rows_json(db_query(db,
                                "SELECT id, kind, level, deadline, created_at FROM "
                                "sup_reminders WHERE ticket_id = ? ORDER BY id",
                                "i", id),
                       &reminders);
    json_t *pending = NULL;
    if (!rc)
        rc = rows_json(db_query(db,
                                "SELECT f.id, f.name, f.mime, f.size_bytes, f.sha256, "
                                "f.created_at, u.username AS created_by FROM sup_files f LEFT "
                                "JOIN users u ON u.id = f.created_by WHERE f.ticket_id = ? AND "
                                "f.event_id IS NULL ORDER BY f.id",
                                "i", id),
                       &pending);
    if (!rc)
        rc = subject_json(db, json_string_value(json_object_get(t, "subject_kind")),
                          json_integer_value(json_object_get(t, "subject_id")), &subject);
    if (rc) {
        json_decref(t);
        json_decref(events);
        json_decref(reminders);
        json_decref(pending);
        return rc;
    }
    json_object_set_new(t, "events", events);
    json_object_set_new(t, "pending_files", pending);
    json_object_set_new(t, "reminders", reminders);
    json_object_set_new(t, "subject", subject);
    *out = t;
    return 0;
}

/* Appends one event. */
static int add_event(struct db *db, const struct audit_ctx *ctx, int64_t ticket, int64_t at,
                     const char *action, const char *status, int level, const char *deadline,
                     const char *measure, const char *evidence, const char *note)
{
    return db_run(db_query(db,
                           "INSERT INTO sup_ticket_events(ticket_id, at, user_id, username, "
                           "action, status_after, level, deadline, measure, evidence, note) "
                           "VALUES(?,?,nullif(?,0),?,?,?,?,?,?,?,?)",
                           "iiisssissss", ticket, at, ctx->user_id,
                           ctx->username ? ctx->username : "system", action, status, (int64_t)level,
                           deadline, measure, evidence, note));
}

/* Binds the uploaded files ids[0..n) of ticket to its answer event: each must be a file
 * of this ticket not used by an earlier answer, named once (KC_ERR_INVALID otherwise).
 * Writes the event's files_json ([{id, name, mime, size_bytes, sha256}]) and sets
 * *files to a new reference of that array. */
static int attach_files(struct db *db, int64_t ticket, int64_t event, const int64_t *ids, size_t n,
                        json_t **files)
{
    *files = json_array();
    for (size_t i = 0; i < n; i++) {
        struct db_stmt *st = db_query(db,
                                      "SELECT id, name, mime, size_bytes, sha256 FROM sup_files "
                                      "WHERE id = ? AND ticket_id = ? AND event_id IS NULL",
                                      "ii", ids[i], ticket);
        if (!st)
            return KC_ERR_DB;
        int rc = db_step(st);
        json_t *f = rc == DB_ROW ? db_row_json(st) : NULL;
        db_done(st);
        if (rc < 0)
            return rc;
        if (!f)
            return KC_ERR_INVALID;
        json_array_append_new(*files, f);
        rc = db_run(
            db_query(db, "UPDATE sup_files SET event_id = ? WHERE id = ?", "ii", event, ids[i]));
        if (rc)
            return rc;
    }
    char *js = json_dumps(*files, JSON_COMPACT);
    if (!js)
        return KC_ERR_DB;
    int rc = db_run(
        db_query(db, "UPDATE sup_ticket_events SET files_json = ? WHERE id = ?", "si", js, event));
    free(js);
    return rc;
}

int sup_file_add(struct db *db, int64_t ticket_id, const char *name, const char *mime,
                 const unsigned char *data, size_t len, int64_t user_id, int64_t *id)
{
    char stored[64], sha[65];
    int rc = plan_file_write(data, len, stored, sha);
    if (rc)
        return rc;
    rc = db_run(db_query(db,
                         "INSERT INTO sup_files(ticket_id, name, mime, size_bytes, sha256, "
                         "stored_name, created_at, created_by) VALUES(?,?,?,?,?,?,?,nullif(?,0))",
                         "ississii", ticket_id, name, mime, (int64_t)len, sha, stored, time_now(),
                         user_id));
    if (rc) {
        plan_file_unlink(stored);
        return rc;
    }
    *id = db_last_id(db);
    return 0;
}

int sup_file_remove(struct db *db, int64_t ticket_id, int64_t fid, char **name, char stored[64])
{
    *name = NULL;
    stored[0] = '\0';
    struct db_stmt *st = db_query(db,
                                  "SELECT name, stored_name FROM sup_files WHERE id = ? AND "
                                  "ticket_id = ? AND event_id IS NULL",
                                  "ii", fid, ticket_id);
    if (!st)
        return KC_ERR_DB;
    int rc = db_step(st);
    if (rc == DB_ROW) {
        *name = strdup(db_col_text(st, 0));
        snprintf(stored, 64, "%s", db_col_text(st, 1));
    }
    db_done(st);
    if (rc != DB_ROW)
        return rc < 0 ? rc : KC_ERR_NOT_FOUND;
    rc = db_run(db_query(db, "DELETE FROM sup_files WHERE id = ?", "i", fid));
    if (rc) {
        free(*name);
        *name = NULL;
        return rc;
    }
    return 0;
}

int sup_file_read(struct db *db, const struct scope *sc, int64_t id, char **data, size_t *len,
                  char **name, char **mime)
{
    *data = *name = *mime = NULL;
    *len = 0;
    struct db_stmt *st = db_query(db,
                                  "SELECT f.name, f.mime, f.stored_name, f.size_bytes FROM "
                                  "sup_files f JOIN sup_tickets t ON t.id = f.ticket_id "
                                  "WHERE f.id = ? AND t.region_code >= ? AND t.region_code < ? "
                                  "AND ? = 0",
                                  "issi", id, sc->lo, sc->hi, sc->org_id);
    if (!st)
        return KC_ERR_DB;
    int rc = db_step(st);
    char stored[64] = "";
    int64_t size = 0;
    if (rc == DB_ROW) {
        *name = strdup(db_col_text(st, 0));
        *mime = strdup(db_col_text(st, 1));
        snprintf(stored, sizeof(stored), "%s", db_col_text(st, 2));
        size = db_col_int(st, 3);
    }
    db_done(st);
    if (rc != DB_ROW)
        return rc < 0 ? rc : KC_ERR_NOT_FOUND;
    rc = plan_file_load(stored, size, data, len);
    if (rc) {
        free(*name);
        free(*mime);
        *name = *mime = NULL;
    }
    return rc;
}

int sup_act(struct db *db, const struct audit_ctx *ctx, int64_t id, const struct sup_act_in *in)
{
    json_t *before = NULL, *after = NULL;
    int rc = ticket_row(db, id, &before);
    if (rc)
        return rc;
    enum sup_status from, to;
    if (!sup_status_parse(json_string_value(json_object_get(before, "status")), &from)) {
        json_decref(before);
        return KC_ERR_DB;
    }
    int level = (int)json_integer_value(json_object_get(before, "level"));
    rc = sup_transition(from, in->action, &level, &to);
    if (rc) {
        json_decref(before);
        return rc;
    }
    char deadline[11];
    snprintf(deadline, sizeof(deadline), "%s",
             json_string_value(json_object_get(before, "deadline")));
    if (in->action == SUP_ESCALATE) {
        if (in->deadline)
            snprintf(deadline, sizeof(deadline), "%s", in->deadline);
        else
            date_of(day_of(in->today) + sup_deadline_days(level), deadline);
    }
    static const char *const names[] = {"answer", "close", "escalate"};
    int64_t now = time_now();
    rc = db_run(db_query(db,
                         "UPDATE sup_tickets SET status = ?, level = ?, deadline = ?, "
                         "updated_at = ?, closed_at = CASE WHEN ? = 'closed' THEN ? ELSE "
                         "closed_at END WHERE id = ?",
                         "sisisii", sup_status_name(to), (int64_t)level, deadline, now,
                         sup_status_name(to), now, id));
    if (!rc)
        rc = add_event(db, ctx, id, now, names[in->action], sup_status_name(to), level, deadline,
                       in->action == SUP_ANSWER ? in->measure : NULL,
                       in->action == SUP_ANSWER ? in->evidence : NULL,
                       in->action == SUP_ANSWER ? NULL : in->note);
    json_t *files = NULL;
    if (!rc && in->action == SUP_ANSWER && in->n_files > 0)
        rc = attach_files(db, id, db_last_id(db), in->file_ids, in->n_files, &files);
    if (!rc)
        rc = ticket_row(db, id, &after);
    if (!rc) {
        /* The measure and evidence are in the history; the audit keeps the change. */
        json_t *extra = json_pack("{s:s?,s:s?,s:s?,s:O?}", "measure",
                                  in->action == SUP_ANSWER ? in->measure : NULL, "evidence",
                                  in->action == SUP_ANSWER ? in->evidence : NULL, "note",
                                  in->action == SUP_ANSWER ? NULL : in->note, "files", files);
        json_object_update(after, extra);
        json_decref(extra);
        rc = audit_write(db, ctx, names[in->action], "sup_ticket", id, before, after);
    }
    json_decref(files);
    json_decref(before);
    json_decref(after);
    return rc;
}

/* A ticket to open. */
struct new_ticket {
    const char *kind;   /* target | task */
    int64_t subject_id; /* its id */
    int64_t plan_id;    /* its plan */
    const char *region; /* the responsible unit's region */
    const char *unit;   /* the responsible unit */
    const char *reason; /* off_track | overdue_target | overdue_task | manual */
    const char *title;  /* one line */
    const char *detail; /* why */
};

/* Inserts a ticket with its opening event and audit entry. */
static int insert_ticket(struct db *db, const struct audit_ctx *ctx, const struct new_ticket *n,
                         const char *today, int64_t *id)
{
    char deadline[11];
    date_of(day_of(today) + sup_deadline_days(1), deadline);
    int64_t now = time_now();
    int year = atoi(today);
    int rc = db_run(db_query(db,
                             "INSERT INTO sup_tickets(subject_kind, subject_id, plan_id, "
                             "region_code, unit_name, reason, period, title, detail, status, "
                             "level, deadline, opened_at, opened_by, updated_at) "
                             "VALUES(?,?,?,?,?,?,?,?,?,'open',1,?,?,nullif(?,0),?)",
                             "siisssisssiii", n->kind, n->subject_id, n->plan_id, n->region,
                             n->unit, n->reason, (int64_t)year, n->title, n->detail, deadline, now,
                             ctx->user_id, now));
    if (rc)
        return rc;
    *id = db_last_id(db);
    rc = add_event(db, ctx, *id, now, "open", "open", 1, deadline, NULL, NULL, n->detail);
    json_t *after = NULL;
    if (!rc)
        rc = ticket_row(db, *id, &after);
    if (!rc)
        rc = audit_write(db, ctx, "create", "sup_ticket", *id, NULL, after);
    json_decref(after);
    return rc;
}

/* Fills a ticket's subject fields (plan, region, responsible unit, title) from a target
 * or task visible in sc. The strings are copied into buf (≥ 1024 bytes).
 * KC_ERR_NOT_FOUND when the subject does not exist or is out of scope. */
static int subject_fill(struct db *db, const struct scope *sc, const char *kind, int64_t sid,
                        struct new_ticket *n, char *buf, size_t cap)
{
    struct db_stmt *st;
    if (strcmp(kind, "target") == 0)
        st =
            db_query(db,
                     "SELECT t.plan_id, t.region_code, CASE WHEN r.level = 'county' THEN r.name || "
                     "'人民政府' ELSE coalesce(u.name, p.issuer, r.name || '人民政府') END, "
                     "r.name || ' · ' || i.name || ' ' || t.target_year || '年目标' FROM targets t "
                     "JOIN plans p ON p.id = t.plan_id JOIN indicators i ON i.id = t.indicator_id "
                     "JOIN plan_tasks k ON k.id = t.task_id LEFT JOIN plan_units u ON u.id = "
                     "k.lead_unit_id JOIN regions r ON r.code = t.region_code WHERE t.id = ? AND "
                     "t.region_code >= ? AND t.region_code < ? AND ? = 0",
                     "issi", sid, sc->lo, sc->hi, sc->org_id);
    else
        st = db_query(db,
                      "SELECT k.plan_id, p.region_code, coalesce(u.name, p.issuer, r.name || "
                      "'人民政府'), p.title || ' · ' || k.code || ' ' || k.title FROM plan_tasks "
                      "k JOIN plans p ON p.id = k.plan_id LEFT JOIN plan_units u ON u.id = "
                      "k.lead_unit_id JOIN regions r ON r.code = p.region_code WHERE k.id = ? "
                      "AND p.region_code >= ? AND p.region_code < ? AND ? = 0",
                      "issi", sid, sc->lo, sc->hi, sc->org_id);
    if (!st)
        return KC_ERR_DB;
    int rc = db_step(st);
    if (rc == DB_ROW) {
        n->kind = kind;
        n->subject_id = sid;
        n->plan_id = db_col_int(st, 0);
        /* region (7) | unit | title, NUL-separated in buf */
        int a = snprintf(buf, cap, "%s", db_col_text(st, 1)) + 1;
        int b = a + snprintf(buf + a, cap - (size_t)a, "%s", db_col_text(st, 2)) + 1;
        if ((size_t)b < cap)
            snprintf(buf + b, cap - (size_t)b, "%s", db_col_text(st, 3));
        n->region = buf;
        n->unit = buf + a;
        n->title = (size_t)b < cap ? buf + b : "";
    }
    db_done(st);
    if (rc < 0)
        return rc;
    return rc == DB_ROW ? 0 : KC_ERR_NOT_FOUND;
}

int sup_open_manual(struct db *db, const struct audit_ctx *ctx, const struct scope *sc,
                    const char *kind, int64_t subject_id, const char *note, const char *today,
                    int64_t *id)
{
    struct new_ticket n = {0};
    char buf[2048];
    int rc = subject_fill(db, sc, kind, subject_id, &n, buf, sizeof(buf));
    if (rc)
        return rc;
    int64_t open = 0;
    rc = db_scalar(db_query(db,
                            "SELECT count(*) FROM sup_tickets WHERE subject_kind = ? AND "
                            "subject_id = ? AND status <> 'closed'",
                            "si", kind, subject_id),
                   &open);
    if (rc)
        return rc;
    if (open)
        return KC_ERR_CONFLICT;
    n.reason = "manual";
    n.detail = note;
    return insert_ticket(db, ctx, &n, today, id);
}

/* Creates the reminders due on day today for tickets in scope (sc NULL: all). */
static int sweep_reminders(struct db *db, const char *today, const struct scope *sc, int *made)
{
    struct db_stmt *st = db_query(db,
                                  "SELECT id, status, deadline, level, region_code FROM "
                                  "sup_tickets WHERE status IN ('open', 'escalated') AND "
                                  "region_code >= ? AND region_code < ?",
                                  "ss", sc ? sc->lo : "", sc ? sc->hi : "~");
    if (!st)
        return KC_ERR_DB;
    struct due {
        int64_t id;
        enum sup_reminder kind;
        int level;
        char deadline[11];
        char region[7];
    } *dues = NULL;
    size_t n = 0, cap = 0;
    int64_t tday = day_of(today);
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        enum sup_status s;
        if (!sup_status_parse(db_col_text(st, 1), &s))
            continue;
        enum sup_reminder k = sup_reminder_due(s, day_of(db_col_text(st, 2)), tday);
        if (k == SUP_REMIND_NONE)
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 32;
            dues = realloc(dues, cap * sizeof(*dues));
            if (!dues)
                abort();
        }
        dues[n].id = db_col_int(st, 0);
        dues[n].kind = k;
        dues[n].level = (int)db_col_int(st, 3);
        snprintf(dues[n].deadline, sizeof(dues[n].deadline), "%s", db_col_text(st, 2));
        snprintf(dues[n].region, sizeof(dues[n].region), "%s", db_col_text(st, 4));
        n++;
    }
    db_done(st);
    int64_t now = time_now();
    struct audit_ctx sys = {0, "system", "-"};
    for (size_t i = 0; rc >= 0 && i < n; i++) {
        rc = db_run(db_query(db,
                             "INSERT OR IGNORE INTO sup_reminders(ticket_id, region_code, kind, "
                             "level, deadline, created_at) VALUES(?,?,?,?,?,?)",
                             "issisi", dues[i].id, dues[i].region, sup_reminder_name(dues[i].kind),
                             (int64_t)dues[i].level, dues[i].deadline, now));
        if (!rc && db_changes(db) > 0) {
            (*made)++;
            const char *status = NULL;
            json_t *row = NULL;
            rc = ticket_row(db, dues[i].id, &row);
            if (!rc)
                status = json_string_value(json_object_get(row, "status"));
            if (!rc)
                rc = add_event(db, &sys, dues[i].id, now, "remind", status, dues[i].level,
                               dues[i].deadline, NULL, NULL, sup_reminder_name(dues[i].kind));
            json_decref(row);
        }
    }
    free(dues);
    return rc < 0 ? rc : 0;
}

/* What the sweep needs to know of a target's evaluation. */
enum target_verdict {
    TARGET_OTHER,    /* on track, at risk or without data: no ticket */
    TARGET_ACHIEVED, /* achieved (counts towards finishing its task) */
    TARGET_OFF_TRACK /* off track (overdue when its year is over) */
};

/* One evaluated target. */
struct target_state {
    int64_t id;                  /* targets.id */
    int64_t task_id;             /* its task */
    int due_year;                /* the year the evaluation is due */
    enum target_verdict verdict; /* what it means for supervision */
    char detail[320];            /* the numbers, for the ticket */
};

/* Formats a number for a ticket's detail ("—" when unknown). */
static void fmt_value(char out[32], bool has, double v)
{
    if (!has || isnan(v))
        snprintf(out, 32, "—");
    else
        snprintf(out, 32, "%.4g", v);
}

/* Evaluates every target in scope (sc NULL: all) as of today with plans' progress rules
 * (store/plan.h plan_target_eval; the computed-value cache must be fresh). *out is
 * malloc'd. */
static int target_states(struct db *db, const struct scope *sc, const char *today,
                         struct target_state **out, size_t *n_out)
{
    struct plan_scope ps;
    plan_scope_all(&ps);
    if (sc)
        ps.sc = *sc;
    struct target_filter f;
    memset(&f, 0, sizeof(f));
    int64_t *ids = NULL;
    size_t n = 0;
    int rc = plan_target_ids(db, &ps, &f, &ids, &n);
    if (rc)
        return rc;
    struct target_state *st = calloc(n + 1, sizeof(*st));
    if (!st)
        abort();
    for (size_t i = 0; !rc && i < n; i++) {
        struct plan_target_eval ev;
        rc = plan_target_eval(db, ids[i], today, &ev);
        if (rc)
            break;
        st[i].id = ids[i];
        st[i].due_year = ev.due_year;
        st[i].verdict = ev.status == PLAN_ACHIEVED    ? TARGET_ACHIEVED
                        : ev.status == PLAN_OFF_TRACK ? TARGET_OFF_TRACK
                                                      : TARGET_OTHER;
        rc = db_scalar(db_query(db, "SELECT task_id FROM targets WHERE id = ?", "i", ids[i]),
                       &st[i].task_id);
        char cur[32], tgt[32], proj[32], pct[32];
        fmt_value(cur, ev.has_current, ev.current_value);
        fmt_value(tgt, ev.has_target_value, ev.target_value);
        fmt_value(proj, ev.has_projection, ev.projection);
        fmt_value(pct, !isnan(ev.progress), ev.progress);
        static const char *const zh[] = {"无数据", "已实现", "正常推进", "存在风险", "严重滞后"};
        snprintf(st[i].detail, sizeof(st[i].detail),
                 "%d 年目标 %s，当前值 %s（%d 年），完成 %s%%，按趋势预计 %s；状态：%s。",
                 ev.due_year, tgt, cur, ev.current_year, pct, proj,
                 (unsigned)ev.status < 5 ? zh[ev.status] : plan_status_name(ev.status));
    }
    free(ids);
    if (rc) {
        free(st);
        return rc;
    }
    *out = st;
    *n_out = n;
    return 0;
}

/* True when the sweep already opened a ticket for (kind, id, reason) in year. */
static int opened_this_year(struct db *db, const char *kind, int64_t sid, const char *reason,
                            int year, bool *yes)
{
    int64_t n = 0;
    int rc = db_scalar(db_query(db,
                                "SELECT count(*) FROM sup_tickets WHERE subject_kind = ? AND "
                                "subject_id = ? AND (status <> 'closed' OR (reason = ? AND "
                                "period = ?))",
                                "sisi", kind, sid, reason, (int64_t)year),
                       &n);
    *yes = n > 0;
    return rc;
}

/* Opens a ticket for a subject unless it has an open one or the sweep opened one for
 * the same reason this year. */
static int sweep_open(struct db *db, const struct audit_ctx *ctx, const struct scope *sc,
                      const char *kind, int64_t sid, const char *reason, const char *detail,
                      const char *today, int *opened)
{
    bool done = false;
    int rc = opened_this_year(db, kind, sid, reason, atoi(today), &done);
    if (rc || done)
        return rc;
    struct new_ticket n = {0};
    char buf[2048];
    rc = subject_fill(db, sc, kind, sid, &n, buf, sizeof(buf));
    if (rc == KC_ERR_NOT_FOUND)
        return 0;
    if (rc)
        return rc;
    n.reason = reason;
    n.detail = detail;
    int64_t id;
    rc = insert_ticket(db, ctx, &n, today, &id);
    if (!rc)
        (*opened)++;
    return rc;
}

/* Overdue tasks: kind task, deadline before today, in a plan that is not closed, and not
 * finished (a task whose targets are all achieved is finished). */
static int sweep_tasks(struct db *db, const struct audit_ctx *ctx, const struct scope *sc,
                       const char *today, const struct target_state *states, size_t n_states,
                       int *opened)
{
    struct db_stmt *st = db_query(db,
                                  "SELECT k.id, k.deadline FROM plan_tasks k JOIN plans p ON "
                                  "p.id = k.plan_id WHERE k.kind = 'task' AND k.deadline IS NOT "
                                  "NULL AND k.deadline < ? AND p.status <> 'closed' AND "
                                  "p.region_code >= ? AND p.region_code < ? ORDER BY k.id",
                                  "sss", today, sc ? sc->lo : "", sc ? sc->hi : "~");
    if (!st)
        return KC_ERR_DB;
    size_t n = 0, cap = 16;
    int64_t *ids = malloc(cap * sizeof(int64_t));
    char(*deadlines)[11] = malloc(cap * 11);
    if (!ids || !deadlines)
        abort();
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        if (n == cap) {
            cap *= 2;
            ids = realloc(ids, cap * sizeof(int64_t));
            deadlines = realloc(deadlines, cap * 11);
            if (!ids || !deadlines)
                abort();
        }
        ids[n] = db_col_int(st, 0);
        snprintf(deadlines[n], 11, "%s", db_col_text(st, 1));
        n++;
    }
    db_done(st);
    for (size_t i = 0; rc >= 0 && i < n; i++) {
        size_t targets = 0, achieved = 0;
        for (size_t k = 0; k < n_states; k++)
            if (states[k].task_id == ids[i]) {
                targets++;
                achieved += states[k].verdict == TARGET_ACHIEVED;
            }
        if (targets > 0 && achieved == targets)
            continue;
        char detail[256];
        if (targets)
            snprintf(detail, sizeof(detail),
                     "任务期限 %s 已过，尚未完成（%zu 项目标中已实现 %zu 项）。", deadlines[i],
                     targets, achieved);
        else
            snprintf(detail, sizeof(detail), "任务期限 %s 已过，尚无完成情况报告。", deadlines[i]);
        rc = sweep_open(db, ctx, sc, "task", ids[i], "overdue_task", detail, today, opened);
    }
    free(ids);
    free(deadlines);
    return rc < 0 ? rc : 0;
}

int sup_sweep(struct db *db, const struct audit_ctx *ctx, const struct scope *sc, const char *today,
              struct sup_sweep_result *res)
{
    res->opened = 0;
    res->reminders = 0;
    struct scope all = {0};
    if (!sc) {
        auth_scope_prefix(&all, "");
        sc = &all;
    }
    struct target_state *states = NULL;
    size_t n = 0;
    int rc = target_states(db, sc, today, &states, &n);
    for (size_t i = 0; !rc && i < n; i++) {
        if (states[i].verdict != TARGET_OFF_TRACK)
            continue;
        bool overdue = states[i].due_year < atoi(today);
        rc = sweep_open(db, ctx, sc, "target", states[i].id,
                        overdue ? "overdue_target" : "off_track", states[i].detail, today,
                        &res->opened);
    }
    if (!rc)
        rc = sweep_tasks(db, ctx, sc, today, states, n, &res->opened);
    free(states);
    if (!rc)
        rc = sweep_reminders(db, today, sc, &res->reminders);
    return rc;
}

int sup_summary(struct db *db, const struct scope *sc, const char *today, json_t **out)
{
    char soon[11];
    date_of(day_of(today) + SUP_DUE_SOON_DAYS, soon);
    struct db_stmt *st = db_query(
        db,
        "SELECT sum(status = 'open'), sum(status = 'answered'), sum(status = 'escalated'), "
        "sum(status IN ('open', 'escalated') AND deadline >= ? AND deadline <= ?), "
        "sum(status IN ('open', 'escalated') AND deadline < ?) FROM sup_tickets "
        "WHERE region_code >= ? AND region_code < ? AND ? = 0",
        "sssssi", today, soon, today, sc->lo, sc->hi, sc->org_id);
    if (!st)
        return KC_ERR_DB;
    int rc = db_step(st);
    json_t *o = NULL;
    if (rc == DB_ROW)
        o = json_pack("{s:I,s:I,s:I,s:I,s:I}", "open", (json_int_t)db_col_int(st, 0), "answered",
                      (json_int_t)db_col_int(st, 1), "escalated", (json_int_t)db_col_int(st, 2),
                      "due_soon", (json_int_t)db_col_int(st, 3), "overdue",
                      (json_int_t)db_col_int(st, 4));
    db_done(st);
    if (rc < 0 || !o) {
        json_decref(o);
        return rc < 0 ? rc : KC_ERR_DB;
    }
    json_t *rem = NULL;
    rc = rows_json(db_query(db,
                            "SELECT m.id, m.ticket_id, t.title, m.kind, m.deadline, m.created_at, "
                            "r.name AS region_name, t.status FROM sup_reminders m JOIN "
                            "sup_tickets t ON t.id = m.ticket_id LEFT JOIN regions r ON r.code "
                            "= m.region_code WHERE m.region_code >= ? AND m.region_code < ? AND "
                            "? = 0 AND t.status IN ('open', 'escalated') ORDER BY m.id DESC "
                            "LIMIT 10",
                            "ssi", sc->lo, sc->hi, sc->org_id),
                   &rem);
    if (rc) {
        json_decref(o);
        return rc;
    }
    json_object_set_new(o, "reminders", rem);
    *out = o;
    return 0;
}

/* ---- the server's sweeper thread ---- */

static pthread_t sweeper;                                      /* the thread */
static bool sweeper_running;                                   /* started and not stopped */
static bool sweeper_stop;                                      /* asks the thread to end */
static pthread_mutex_t sweeper_mu = PTHREAD_MUTEX_INITIALIZER; /* guards sweeper_stop */
static pthread_cond_t sweeper_cv = PTHREAD_COND_INITIALIZER;   /* wakes the thread to stop */

/* Runs one sweep when the data changed or the last sweep is an hour old. */
static void sweep_if_due(void)
{
    struct db *db = db_thread();
    if (!db)
        return;
    struct db_stmt *st = db_prep(db, "SELECT dirty, last_at FROM sup_sweep_state WHERE id = 1");
    if (!st)
        return;
    int64_t dirty = 0, last = 0;
    if (db_step(st) == DB_ROW) {
        dirty = db_col_int(st, 0);
        last = db_col_int(st, 1);
    }
    db_done(st);
    int64_t now = time_now();
    if (!dirty && now - last < 3600)
        return;
    char today[11];
    date_of((now + 8 * 3600) / 86400, today);
    struct audit_ctx sys = {0, "system", "-"};
    struct sup_sweep_result res = {0, 0};
    int rc = plan_values_ensure(db);
    if (!rc)
        rc = db_begin(db);
    if (!rc)
        rc = sup_sweep(db, &sys, NULL, today, &res);
    if (!rc)
        rc = db_run(db_query(db, "UPDATE sup_sweep_state SET dirty = 0, last_at = ? WHERE id = 1",
                             "i", now));
    if (!rc)
        rc = db_commit(db);
    else
        db_rollback(db);
    char opened[16], reminders[16];
    snprintf(opened, sizeof(opened), "%d", res.opened);
    snprintf(reminders, sizeof(reminders), "%d", res.reminders);
    if (rc)
        log_msg(LOG_WARN, "supervision sweep failed", NULL);
    else if (res.opened || res.reminders)
        log_msg(LOG_INFO, "supervision sweep", "opened", opened, "reminders", reminders, NULL);
}

/* The thread: sweeps when due, every KC_SWEEP_SECONDS (default 30), until stopped. */
static void *sweeper_main(void *arg)
{
    (void)arg;
    const char *env = getenv("KC_SWEEP_SECONDS");
    int every = env ? atoi(env) : 30;
    if (every < 1)
        every = 30;
    pthread_mutex_lock(&sweeper_mu);
    while (!sweeper_stop) {
        pthread_mutex_unlock(&sweeper_mu);
        sweep_if_due();
        pthread_mutex_lock(&sweeper_mu);
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_sec += every;
        while (!sweeper_stop && pthread_cond_timedwait(&sweeper_cv, &sweeper_mu, &until) == 0)
            ;
    }
    pthread_mutex_unlock(&sweeper_mu);
    return NULL;
}

void sup_sweeper_start(void)
{
    if (sweeper_running)
        return;
    sweeper_stop = false;
    /* The thread inherits a mask blocking every signal: SIGTERM goes to the main thread. */
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    if (pthread_create(&sweeper, NULL, sweeper_main, NULL) == 0)
        sweeper_running = true;
    else
        log_msg(LOG_ERROR, "cannot start the supervision sweeper", NULL);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
}

void sup_sweeper_stop(void)
{
    if (!sweeper_running)
        return;
    pthread_mutex_lock(&sweeper_mu);
    sweeper_stop = true;
    pthread_cond_signal(&sweeper_cv);
    pthread_mutex_unlock(&sweeper_mu);
    pthread_join(sweeper, NULL);
    sweeper_running = false;
}
