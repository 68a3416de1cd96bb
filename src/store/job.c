/* job.c — SQL of the jobs table: queue, claim, progress, finish, scoped reads. */
#include "store/job.h"
#include "core/buf.h"
#include "core/timeutil.h"
#include "db/db.h"

#include <stdio.h>
#include <string.h>

int job_create(struct db *db, const struct job_new *n, int64_t *id)
{
    int64_t now = time_now();
    int rc = db_run(db_query(db,
                             "INSERT INTO jobs(kind,created_by,username,ip,lang,region_code,"
                             "scope_lo,scope_hi,scope_org_id,input_name,input_format,created_at,"
                             "updated_at) VALUES(?,nullif(?,0),?,?,?,?,?,?,?,?,?,?,?)",
                             "sissssssissii", n->kind, n->created_by, n->username, n->ip,
                             n->en ? "en" : "zh-CN", n->region_code, n->scope->lo, n->scope->hi,
                             n->scope->org_id, n->input_name, n->input_format, now, now));
    if (!rc)
        *id = db_last_id(db);
    return rc;
}

int job_set_input(struct db *db, int64_t id, const char *path, int64_t size)
{
    return db_run(db_query(db,
                           "UPDATE jobs SET input_path=?, progress_total=?, updated_at=? "
                           "WHERE id=?",
                           "siii", path, size, time_now(), id));
}

/* Fills *out from a SELECT of the runner's columns. */
static void fill_info(struct db_stmt *st, struct job_info *out)
{
    memset(out, 0, sizeof(*out));
    out->id = db_col_int(st, 0);
    snprintf(out->kind, sizeof(out->kind), "%s", db_col_text(st, 1));
    out->created_by = db_col_int(st, 2);
    snprintf(out->username, sizeof(out->username), "%s", db_col_text(st, 3));
    snprintf(out->ip, sizeof(out->ip), "%s", db_col_text(st, 4));
    out->en = strcmp(db_col_text(st, 5), "en") == 0;
    snprintf(out->scope.lo, sizeof(out->scope.lo), "%s", db_col_text(st, 6));
    snprintf(out->scope.hi, sizeof(out->scope.hi), "%s", db_col_text(st, 7));
    out->scope.org_id = db_col_int(st, 8);
    const char *p = db_col_text(st, 9);
    snprintf(out->input_path, sizeof(out->input_path), "%s", p ? p : "");
    p = db_col_text(st, 10);
    snprintf(out->input_format, sizeof(out->input_format), "%s", p ? p : "");
    out->attempts = db_col_int(st, 11);
}

/* Claims job id (or the oldest queued when id is 0) inside one transaction. */
static int claim(struct db *db, int64_t id, struct job_info *out)
{
    int rc = db_begin(db);
    if (rc)
        return rc;
    struct db_stmt *st =
        id ? db_query(db, "SELECT id FROM jobs WHERE id=? AND status='queued'", "i", id)
           : db_prep(db, "SELECT id FROM jobs WHERE status='queued' ORDER BY id LIMIT 1");
    int64_t found = 0;
    rc = st ? db_scalar(st, &found) : KC_ERR_DB;
    if (!rc && !found)
        rc = KC_ERR_NOT_FOUND;
    if (!rc)
        rc = db_run(db_query(db,
                             "UPDATE jobs SET status='running', attempts=attempts+1, "
                             "started_at=?, updated_at=? WHERE id=?",
                             "iii", time_now(), time_now(), found));
    if (!rc) {
        st = db_query(db,
                      "SELECT id,kind,coalesce(created_by,0),username,ip,lang,scope_lo,"
                      "scope_hi,scope_org_id,input_path,input_format,attempts FROM jobs "
                      "WHERE id=?",
                      "i", found);
        rc = st && db_step(st) == DB_ROW ? 0 : KC_ERR_DB;
        if (!rc)
            fill_info(st, out);
        if (st)
            db_done(st);
    }
    if (!rc)
        rc = db_commit(db);
    if (rc)
        db_rollback(db);
    return rc;
}

int job_claim_next(struct db *db, struct job_info *out)
{
    return claim(db, 0, out);
}

int job_claim(struct db *db, int64_t id, struct job_info *out)
{
    return claim(db, id, out);
}

int job_progress(struct db *db, int64_t id, int64_t done, int64_t total, const struct job_counts *c)
{
    return db_run(db_query(db,
                           "UPDATE jobs SET progress_done=?, progress_total=?, rows_read=?, "
                           "inserted=?, updated=?, unchanged=?, failed=?, updated_at=? "
                           "WHERE id=?",
                           "iiiiiiiii", done, total, c->rows, c->inserted, c->updated, c->unchanged,
                           c->failed, time_now(), id));
}

int job_set_counts(struct db *db, int64_t id, const struct job_counts *c)
{
    return db_run(db_query(db,
                           "UPDATE jobs SET rows_read=?, inserted=?, updated=?, unchanged=?, "
                           "failed=?, updated_at=? WHERE id=?",
                           "iiiiiii", c->rows, c->inserted, c->updated, c->unchanged, c->failed,
                           time_now(), id));
}

int job_note(struct db *db, int64_t id, const char *encoding, const char *ignored_columns)
{
    return db_run(db_query(db,
                           "UPDATE jobs SET encoding=coalesce(?,encoding), "
                           "ignored_columns=coalesce(?,ignored_columns), updated_at=? WHERE id=?",
                           "ssii", encoding, ignored_columns, time_now(), id));
}

int job_finish(struct db *db, int64_t id, const char *status, const char *error_code,
               const char *error_field, const char *error_detail, const char *result_path)
{
    int64_t now = time_now();
    return db_run(db_query(db,
                           "UPDATE jobs SET status=CASE WHEN status='cancelled' THEN status "
                           "ELSE ? END, error_code=?, error_field=?, error_detail=?, "
                           "result_path=?, input_path=NULL, finished_at=?, updated_at=? "
                           "WHERE id=?",
                           "sssssiii", status, error_code, error_field, error_detail, result_path,
                           now, now, id));
}

int job_requeue(struct db *db, int64_t id)
{
    return db_run(db_query(db,
                           "UPDATE jobs SET status='queued', updated_at=? "
                           "WHERE id=? AND status='running'",
                           "ii", time_now(), id));
}

int job_recover(struct db *db, int64_t *requeued, int64_t *failed)
{
    *requeued = *failed = 0;
    int rc = db_begin(db);
    if (rc)
        return rc;
    int64_t now = time_now();
    rc = db_run(db_query(db,
                         "UPDATE jobs SET status='failed', error_code='interrupted', "
                         "finished_at=?, updated_at=? WHERE status='running' AND attempts>=2",
                         "ii", now, now));
    if (!rc)
        *failed = db_changes(db);
    if (!rc)
        rc = db_run(db_query(db,
                             "UPDATE jobs SET status='queued', updated_at=? "
                             "WHERE status='running'",
                             "i", now));
    if (!rc)
        *requeued = db_changes(db);
    if (!rc)
        rc = db_commit(db);
    if (rc)
        db_rollback(db);
    return rc;
}

bool job_cancelled(struct db *db, int64_t id)
{
    int64_t n = 0;
    return db_scalar(
               db_query(db, "SELECT count(*) FROM jobs WHERE id=? AND status='cancelled'", "i", id),
               &n) == 0 &&
           n > 0;
}

/* Appends the visibility condition for u to sql/a: own jobs, plus for region-scoped
 * and global roles the jobs created under their region. */
static void visible(struct buf *sql, struct db_args *a, const struct auth_user *u)
{
    if (u->scope.org_id != 0) {
        buf_puts(sql, " AND j.created_by=?");
        db_args_int(a, u->id);
        return;
    }
    buf_puts(sql, " AND (j.created_by=? OR (j.region_code>=? AND j.region_code<?))");
    db_args_int(a, u->id);
    db_args_text(a, u->scope.lo);
    db_args_text(a, u->scope.hi);
}

int job_cancel(struct db *db, const struct auth_user *u, int64_t id, char *input, size_t n)
{
    input[0] = '\0';
    int rc = db_begin(db);
    if (rc)
        return rc;
    struct buf sql = {0};
    struct db_args a = {0};
    buf_puts(&sql, "SELECT j.status, j.input_path FROM jobs j WHERE j.id=?");
    db_args_int(&a, id);
    visible(&sql, &a, u);
    struct db_stmt *st = db_prep_args(db, buf_str(&sql), &a);
    buf_free(&sql);
    char status[16] = "";
    if (!st) {
        rc = KC_ERR_DB;
    } else {
        int s = db_step(st);
        if (s == DB_ROW) {
            snprintf(status, sizeof(status), "%s", db_col_text(st, 0));
            const char *p = db_col_text(st, 1);
            if (strcmp(status, "queued") == 0 && p)
                snprintf(input, n, "%s", p);
        }
        db_done(st);
        rc = s < 0 ? s : s == DB_DONE ? KC_ERR_NOT_FOUND : 0;
    }
    if (!rc && strcmp(status, "queued") != 0 && strcmp(status, "running") != 0)
        rc = KC_ERR_CONFLICT;
    int64_t now = time_now();
    if (!rc && strcmp(status, "queued") == 0)
        rc = db_run(db_query(db,
                             "UPDATE jobs SET status='cancelled', input_path=NULL, finished_at=?, "
                             "updated_at=? WHERE id=?",
                             "iii", now, now, id));
    else if (!rc)
        rc = db_run(db_query(db, "UPDATE jobs SET status='cancelled', updated_at=? WHERE id=?",
                             "ii", now, id));
    if (!rc)
        rc = db_commit(db);
    if (rc) {
        db_rollback(db);
        input[0] = '\0';
    }
    return rc;
}

struct db_stmt *job_get(struct db *db, const struct auth_user *u, int64_t id)
{
    struct buf sql = {0};
    struct db_args a = {0};
    buf_puts(&sql, "SELECT " JOB_COLUMNS ", j.result_path FROM jobs j WHERE j.id=?");
    db_args_int(&a, id);
    visible(&sql, &a, u);
    struct db_stmt *st = db_prep_args(db, buf_str(&sql), &a);
    buf_free(&sql);
    return st;
}

struct db_stmt *job_list(struct db *db, const struct auth_user *u, const char *kind,
                         const char *status, int64_t limit, int64_t offset, int64_t *total)
{
    struct buf where = {0};
    struct db_args a = {0};
    buf_puts(&where, " FROM jobs j WHERE 1=1");
    visible(&where, &a, u);
    if (kind) {
        buf_puts(&where, " AND j.kind=?");
        db_args_text(&a, kind);
    }
    if (status) {
        buf_puts(&where, " AND j.status=?");
        db_args_text(&a, status);
    }
    struct buf count = {0};
    buf_printf(&count, "SELECT count(*)%s", buf_str(&where));
    if (db_count(db, &count, &a, total) != 0) {
        buf_free(&where);
        return NULL;
    }
    struct buf sql = {0};
    buf_printf(&sql, "SELECT " JOB_COLUMNS ", j.result_path%s", buf_str(&where));
    buf_free(&where);
    return db_page(db, &sql, &a, "j", "id", true, limit, offset);
}
