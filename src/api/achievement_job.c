/* achievement_job.c (api) — large achievement imports as background jobs: an upload of
 * more than the synchronous limit is queued (kind import_achievements) and run by the
 * job runner (domain/jobs.h) with the importer's identity and scope frozen at upload,
 * 1,000 rows per transaction with one audit entry per batch, progress in rows, cancel
 * between batches, and a failed-rows CSV (line, id, field, code, message in the
 * importer's language). Idempotent by external id as the synchronous import. */
#include "api/api.h"
#include "api/handlers_import.h"
#include "api/handlers_market.h"
#include "core/buf.h"
#include "core/log.h"
#include "db/db.h"
#include "domain/jobs.h"
#include "io/csv_write.h"
#include "search/achievement.h"
#include "search/market.h"
#include "store/audit.h"
#include "store/job.h"
#include "store/session.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* What the batch hooks of one job need. */
struct ajob {
    struct db *db;            /* the runner's connection */
    const struct job_info *j; /* the job */
    struct audit_ctx actor;   /* the importer, for the audit log */
    int64_t total;            /* rows expected (lines of the input) */
    bool cancelled;           /* the job was cancelled */
};

/* before_commit hook: one audit entry per batch listing the ids it wrote. */
static int job_audit(struct db *db, void *arg, const int64_t *ids, size_t n)
{
    struct ajob *a = arg;
    if (!n)
        return 0;
    json_t *list = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(list, json_integer(ids[i]));
    json_t *diff = json_pack("{s:I,s:{s:n,s:o}}", "job_id", (json_int_t)a->j->id, "ids", "before",
                             "after", list);
    int rc = audit_write_diff(db, &a->actor, "import_batch", "achievement", 0, diff);
    json_decref(diff);
    return rc;
}

/* Copies import counters into job counters. */
static void counts_of(struct job_counts *c, const struct achievement_import_stats *st)
{
    c->rows = st->rows;
    c->inserted = st->inserted;
    c->updated = st->updated;
    c->unchanged = st->unchanged;
    c->failed = st->errors;
}

/* after_commit hook: records progress; false stops the import. */
static bool job_tick(void *arg, const struct achievement_import_stats *st)
{
    struct ajob *a = arg;
    struct job_counts c;
    counts_of(&c, st);
    int64_t done = st->rows < a->total ? st->rows : a->total;
    return jobs_tick(a->db, a->j, done, a->total, &c, &a->cancelled);
}

/* Reads the whole input file into out (an XLSX workbook as CSV text). */
static int read_input(const struct job_info *j, struct buf *out, enum achievement_format *fmt)
{
    if (strcmp(j->input_format, "xlsx") == 0) {
        *fmt = ACHIEVEMENT_CSV;
        return achievement_xlsx_csv(j->input_path, 0, out);
    }
    *fmt = strcmp(j->input_format, "jsonl") == 0 ? ACHIEVEMENT_JSONL : ACHIEVEMENT_CSV;
    FILE *f = fopen(j->input_path, "rb");
    if (!f)
        return KC_ERR_IO;
    char chunk[65536];
    size_t got;
    while ((got = fread(chunk, 1, sizeof(chunk), f)) > 0)
        buf_append(out, chunk, got);
    fclose(f);
    return 0;
}

/* Writes the row errors (JSON lines in errtext) as the failed-rows CSV at path with
 * messages in the importer's language; the first error is copied to *first (a new
 * reference, NULL when none). Returns 0 or KC_ERR_IO. */
static int write_failed(const char *errtext, bool en, const char *path, json_t **first)
{
    *first = NULL;
    FILE *f = fopen(path, "wb");
    if (!f)
        return KC_ERR_IO;
    fputs(CSV_BOM, f);
    static const char *const zh_head[] = {"原行号", "字段", "错误代码", "错误原因"};
    static const char *const en_head[] = {"source_row", "field", "code", "error"};
    csv_write_row(f, en ? en_head : zh_head, 4, false);
    const char *p = errtext ? errtext : "";
    while (*p) {
        const char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) : strlen(p);
        json_t *e = json_loadb(p, n, 0, NULL);
        p += n + (nl ? 1 : 0);
        if (!e)
            continue;
        const char *code = api_str(e, "error") ? api_str(e, "error") : "invalid_value";
        const char *field = api_str(e, "field");
        char base[48] = "", line[24], msg[512];
        if (field)
            snprintf(base, sizeof(base), "%.*s", (int)strcspn(field, "[."), field);
        snprintf(line, sizeof(line), "%lld",
                 (long long)json_integer_value(json_object_get(e, "line")));
        msg_error_to(en, code, field ? base : NULL, msg, sizeof(msg));
        const char *cells[4] = {line, field ? field : "", code, msg};
        csv_write_row(f, cells, 4, true);
        if (!*first)
            *first = json_incref(e);
        json_decref(e);
    }
    return fclose(f) == 0 ? 0 : KC_ERR_IO;
}

/* Counts the lines of data (the progress total: rows plus the CSV header). */
static int64_t count_lines(const char *data, size_t len)
{
    int64_t n = 0;
    for (const char *p = data; (p = memchr(p, '\n', len - (size_t)(p - data))) != NULL; p++)
        n++;
    return len && data[len - 1] != '\n' ? n + 1 : n;
}

/* Sets a failed outcome. */
static void failed(struct job_outcome *out, const char *code, const char *field, const char *detail)
{
    snprintf(out->status, sizeof(out->status), "failed");
    snprintf(out->error_code, sizeof(out->error_code), "%s", code);
    snprintf(out->error_field, sizeof(out->error_field), "%s", field ? field : "");
    snprintf(out->error_detail, sizeof(out->error_detail), "%s", detail ? detail : "");
}

/* Runs one achievement import job (jobs_kind_fn). */
static void run(struct db *db, const struct job_info *j, struct job_outcome *out)
{
    char dir[3800], failed_path[3900];
    if (jobs_dir_for(j->id, dir, sizeof(dir)) != 0) {
        failed(out, "import_io", NULL, "cannot create the job directory");
        return;
    }
    snprintf(failed_path, sizeof(failed_path), "%s/failed.csv", dir);
    unlink(failed_path); /* a rerun starts afresh */
    /* The importer as they were: their role and organisation, the scope frozen at upload. */
    struct auth_user u;
    memset(&u, 0, sizeof(u));
    u.id = j->created_by;
    bool as_user = j->created_by > 0;
    if (as_user) {
        if (session_reload_user(db, &u) != 0) {
            failed(out, "import_io", NULL, "the importing user no longer exists");
            return;
        }
        u.scope = j->scope;
    }
    struct buf data = {0};
    enum achievement_format fmt;
    if (read_input(j, &data, &fmt) != 0) {
        buf_free(&data);
        failed(out, "import_format", "format", "the input file cannot be read");
        return;
    }
    snprintf(out->encoding, sizeof(out->encoding), "%s",
             strcmp(j->input_format, "xlsx") == 0 ? "xlsx" : "utf-8");
    struct ajob a = {db, j, {j->created_by, j->username, j->ip}, 0, false};
    a.total = count_lines(buf_str(&data), data.len);
    char *errtext = NULL;
    size_t errlen = 0;
    FILE *errs = open_memstream(&errtext, &errlen);
    if (!errs) {
        buf_free(&data);
        failed(out, "import_io", NULL, "out of memory");
        return;
    }
    struct achievement_import_opts o = {.user = as_user ? &u : NULL,
                                        .before_commit = job_audit,
                                        .arg = &a,
                                        .after_commit = job_tick,
                                        .tick_arg = &a};
    struct achievement_import_stats st;
    int rc = achievement_import_ex(db, buf_str(&data), data.len, fmt, errs, &o, &st);
    fclose(errs);
    buf_free(&data);
    /* The matcher follows every committed batch, also of a stopped import. */
    if (o.n_ids)
        market_index_touch(MC_ACH, db, o.ids, o.n_ids);
    free(o.ids);
    counts_of(&out->counts, &st);
    json_t *first = NULL;
    int wrc = write_failed(errtext, j->en, failed_path, &first);
    free(errtext);
    if (wrc == 0 && st.errors && rc != KC_ERR_INVALID)
        snprintf(out->result_path, sizeof(out->result_path), "%s", failed_path);
    else
        unlink(failed_path);
    if (rc == 0) {
        snprintf(out->status, sizeof(out->status), "done");
    } else if (rc == ACHIEVEMENT_STOPPED) {
        snprintf(out->status, sizeof(out->status), "%s", a.cancelled ? "cancelled" : "queued");
    } else if (rc == KC_ERR_INVALID) {
        /* An unusable file (no id/title column …): its first error says why. */
        failed(out, first && api_str(first, "error") ? api_str(first, "error") : "import_format",
               first ? api_str(first, "field") : "format",
               first ? api_str(first, "message") : NULL);
    } else {
        failed(out, "import_internal", NULL, "database error");
    }
    json_decref(first);
}

void api_achievement_jobs_register(void)
{
    jobs_register_kind(JOB_IMPORT_ACHIEVEMENTS, run);
}

void api_achievement_import_job(struct http_req *r, struct db *db, const char *format)
{
    const char *name = http_query(r, "filename");
    struct job_new jn = {JOB_IMPORT_ACHIEVEMENTS,
                         r->user.id,
                         r->user.username,
                         r->ip,
                         r->en,
                         r->user.region_code,
                         &r->user.scope,
                         name && *name ? name : NULL,
                         format};
    int64_t id = 0;
    int rc = job_create(db, &jn, &id);
    char dir[3800], path[4000];
    if (!rc)
        rc = jobs_dir_for(id, dir, sizeof(dir));
    if (!rc) {
        snprintf(path, sizeof(path), "%s/input.%s", dir, format);
        rc = rename(r->upload_path, path) == 0 ? 0 : KC_ERR_IO;
    }
    if (!rc) {
        free(r->upload_path); /* the job owns the file now */
        r->upload_path = NULL;
        rc = job_set_input(db, id, path, 0);
    }
    if (rc) {
        if (id &&
            job_finish(db, id, "failed", "import_io", NULL, "cannot store the upload", NULL) != 0)
            rc = KC_ERR_DB;
        api_fail(r, rc, NULL, NULL);
        return;
    }
    jobs_wake();
    api_job_reply(r, db, id, 202);
}
