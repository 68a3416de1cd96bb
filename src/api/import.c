/* import.c (api) — /api/v1/imports (upload → job, template) and /api/v1/jobs (status,
 * list, failed rows, cancel). */
#include "api/api.h"
#include "api/handlers_import.h"
#include "core/timeutil.h"
#include "core/utf8.h"
#include "db/db.h"
#include "domain/jobs.h"
#include "io/xlsx_csv.h"
#include "io/xlsx_write.h"
#include "store/ent_import.h"
#include "store/job.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#define XLSX_MIME "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

/* Writes a job row (JOB_COLUMNS + result_path) as the API's job object. */
static void write_job(struct http_req *r, struct jw *w, struct db_stmt *st)
{
    int64_t id = db_col_int(st, 0);
    const char *status = db_col_text(st, 2);
    int64_t done = db_col_int(st, 3), total = db_col_int(st, 4);
    char ts[32];
    jw_obj_open(w);
    jw_kint(w, "id", id);
    jw_kstr(w, "kind", db_col_text(st, 1));
    jw_kstr(w, "status", status);
    jw_key(w, "progress");
    jw_obj_open(w);
    jw_kint(w, "done", done);
    jw_kint(w, "total", total);
    jw_kstr(w, "unit", strcmp(db_col_text(st, 1), JOB_IMPORT_ACHIEVEMENTS) == 0 ? "rows" : "bytes");
    int64_t pct = strcmp(status, "done") == 0 ? 100 : total > 0 ? done * 100 / total : 0;
    jw_kint(w, "percent", pct > 100 ? 100 : pct);
    jw_obj_close(w);
    jw_kint(w, "rows", db_col_int(st, 5));
    jw_kint(w, "inserted", db_col_int(st, 6));
    jw_kint(w, "updated", db_col_int(st, 7));
    jw_kint(w, "unchanged", db_col_int(st, 8));
    jw_kint(w, "failed", db_col_int(st, 9));
    if (db_col_type(st, 10) == DB_NULL)
        jw_knull(w, "created_by");
    else
        jw_kint(w, "created_by", db_col_int(st, 10));
    jw_kstr(w, "created_by_name", db_col_text(st, 11));
    jw_kstr(w, "region_code", db_col_text(st, 12));
    jw_kstr(w, "input_name", db_col_text(st, 13));
    jw_kstr(w, "input_format", db_col_text(st, 14));
    jw_kstr(w, "encoding", db_col_text(st, 15));
    jw_key(w, "ignored_columns");
    jw_arr_open(w);
    const char *ign = db_col_text(st, 16);
    const char *sep = "、";
    while (ign && *ign) {
        const char *e = strstr(ign, sep);
        size_t n = e ? (size_t)(e - ign) : strlen(ign);
        jw_strn(w, ign, n);
        ign += n;
        if (e)
            ign += strlen(sep);
    }
    jw_arr_close(w);
    bool has_failed = db_col_int(st, 17) != 0;
    jw_kbool(w, "has_failed_rows", has_failed);
    if (has_failed) {
        char url[64];
        snprintf(url, sizeof(url), "/api/v1/jobs/%lld/failed-rows", (long long)id);
        jw_kstr(w, "failed_rows_url", url);
    } else {
        jw_knull(w, "failed_rows_url");
    }
    const char *code = db_col_text(st, 18);
    if (code) {
        const char *field = db_col_text(st, 19);
        char *fcopy = field ? arena_strdup(&r->arena, field) : NULL;
        jw_key(w, "error");
        jw_obj_open(w);
        jw_kstr(w, "code", code);
        jw_kstr(w, "message", msg_error(r, code, fcopy));
        jw_kstr(w, "field", fcopy);
        jw_kstr(w, "detail", db_col_text(st, 20));
        jw_obj_close(w);
    } else {
        jw_knull(w, "error");
    }
    const char *times[] = {"created_at", "started_at", "finished_at"};
    for (int k = 0; k < 3; k++) {
        if (db_col_type(st, 21 + k) == DB_NULL) {
            jw_knull(w, times[k]);
        } else {
            time_rfc3339(db_col_int(st, 21 + k), ts, sizeof(ts));
            jw_kstr(w, times[k], ts);
        }
    }
    jw_obj_close(w);
}

/* Replies with job id as the caller sees it (status 200 or 202); 404 when not visible. */
static void reply_job(struct http_req *r, struct db *db, int64_t id, int status)
{
    struct db_stmt *st = job_get(db, &r->user, id);
    if (!st) {
        api_fail(r, KC_ERR_DB, NULL, NULL);
        return;
    }
    int s = db_step(st);
    if (s != DB_ROW) {
        db_done(st);
        api_fail(r, s < 0 ? s : KC_ERR_NOT_FOUND, NULL, NULL);
        return;
    }
    struct buf out = {0};
    struct jw w;
    jw_init(&w, &out);
    write_job(r, &w, st);
    db_done(st);
    http_reply_json(r, status, &out);
}

void api_job_reply(struct http_req *r, struct db *db, int64_t id, int status)
{
    reply_job(r, db, id, status);
}

/* The upload's format from ?format, the Content-Type or the file name: "csv", "xlsx",
 * "" (sniff), or NULL when it is not a spreadsheet at all. */
static const char *upload_format(struct http_req *r, const char *filename)
{
    const char *f = api_qparam(r, "format");
    if (f)
        return strcasecmp(f, "csv") == 0 ? "csv" : strcasecmp(f, "xlsx") == 0 ? "xlsx" : NULL;
    const char *ct = http_header(r, "Content-Type");
    if (ct && strncasecmp(ct, XLSX_MIME, strlen(XLSX_MIME)) == 0)
        return "xlsx";
    if (ct && (strncasecmp(ct, "text/csv", 8) == 0 || strncasecmp(ct, "application/csv", 15) == 0 ||
               strncasecmp(ct, "text/comma-separated-values", 27) == 0))
        return "csv";
    if (ct && strncasecmp(ct, "application/octet-stream", 24) != 0 &&
        strncasecmp(ct, "application/vnd.ms-excel", 24) != 0 &&
        strncasecmp(ct, "text/plain", 10) != 0)
        return NULL;
    size_t n = filename ? strlen(filename) : 0;
    if (n > 5 && strcasecmp(filename + n - 5, ".xlsx") == 0)
        return "xlsx";
    if (n > 4 && strcasecmp(filename + n - 4, ".csv") == 0)
        return "csv";
    return "";
}

/* The file name from ?filename, reduced to its last path segment (NULL when absent or
 * not usable). */
static const char *upload_name(struct http_req *r)
{
    const char *f = api_qparam(r, "filename");
    if (!f)
        return NULL;
    const char *s = strrchr(f, '/');
    if (s)
        f = s + 1;
    s = strrchr(f, '\\');
    if (s)
        f = s + 1;
    if (!*f || !utf8_valid(f, strlen(f)) || utf8_len(f) > 120)
        return NULL;
    return f;
}

int api_import_enterprises(struct http_req *r)
{
    struct db *db = api_db(r);
    if (!db)
        return 0;
    if (!r->upload_path) {
        api_fail(r, KC_ERR_IO, NULL, NULL);
        return 0;
    }
    if (r->upload_len == 0) {
        http_reply_error(r, 422, "empty_file", "file");
        return 0;
    }
    const char *name = upload_name(r);
    const char *fmt = upload_format(r, name);
    if (!fmt) {
        http_reply_error(r, 422, "unsupported_format", "format");
        return 0;
    }
    enum table_format tf = strcmp(fmt, "csv") == 0    ? TABLE_CSV
                           : strcmp(fmt, "xlsx") == 0 ? TABLE_XLSX
                                                      : TABLE_AUTO;
    if (tf == TABLE_AUTO) { /* sniff: a zip is a workbook */
        char sig[4] = {0};
        int fd = open(r->upload_path, O_RDONLY);
        if (fd >= 0) {
            tf =
                read(fd, sig, 4) == 4 && memcmp(sig, "PK\x03\x04", 4) == 0 ? TABLE_XLSX : TABLE_CSV;
            close(fd);
        }
        fmt = tf == TABLE_XLSX ? "xlsx" : "csv";
    }
    /* A hopeless file (not a workbook, no key column …) is refused at once. */
    struct ent_import_error err;
    int rc = ent_import_probe(r->upload_path, tf, &err);
    if (rc) {
        if (rc == KC_ERR_IO && strcmp(err.code, "import_io") == 0) {
            api_fail(r, rc, NULL, NULL);
            return 0;
        }
        http_reply_error(r, rc == KC_ERR_TOO_LARGE ? 413 : 422, err.code,
                         err.field[0] ? arena_strdup(&r->arena, err.field) : "file");
        return 0;
    }
    struct job_new jn = {JOB_IMPORT_ENTERPRISES,
                         r->user.id,
                         r->user.username,
                         r->ip,
                         r->en,
                         r->user.region_code,
                         &r->user.scope,
                         name,
                         fmt};
    int64_t id = 0;
    rc = job_create(db, &jn, &id);
    char dir[3800], path[4000];
    if (!rc)
        rc = jobs_dir_for(id, dir, sizeof(dir));
    if (!rc) {
        snprintf(path, sizeof(path), "%s/input.%s", dir, fmt);
        rc = rename(r->upload_path, path) == 0 ? 0 : KC_ERR_IO;
    }
    if (!rc) {
        free(r->upload_path); /* the job owns the file now */
        r->upload_path = NULL;
        rc = job_set_input(db, id, path, (int64_t)r->upload_len);
    }
    if (rc) {
        if (id &&
            job_finish(db, id, "failed", "import_io", NULL, "cannot store the upload", NULL) != 0)
            rc = KC_ERR_DB;
        api_fail(r, rc, NULL, NULL);
        return 0;
    }
    jobs_wake();
    reply_job(r, db, id, 202);
    return 0;
}

/* Creates an empty temporary file under DATA_DIR/tmp; returns its path in out. */
static int temp_file(char *out, size_t n, const char *prefix)
{
    snprintf(out, n, "%s/%s-XXXXXX", xlsx_tmpdir(), prefix);
    int fd = mkstemp(out);
    if (fd < 0)
        return KC_ERR_IO;
    close(fd);
    return 0;
}

/* Serves the file at path (then removes it) or replies with rc. */
static void serve_file(struct http_req *r, int rc, const char *path, bool csv, const char *filename)
{
    int fd = rc ? -1 : open(path, O_RDONLY);
    unlink(path);
    if (fd < 0) {
        api_fail(r, rc ? rc : KC_ERR_IO, NULL, NULL);
        return;
    }
    http_reply_fd(r, 200, csv ? "text/csv; charset=utf-8" : XLSX_MIME, fd, filename);
}

/* Reads ?format=xlsx|csv (default xlsx); replies 422 and returns false otherwise. */
static bool format_param(struct http_req *r, bool *csv)
{
    const char *f = api_qparam(r, "format");
    *csv = f && strcmp(f, "csv") == 0;
    if (f && !*csv && strcmp(f, "xlsx") != 0) {
        http_reply_error(r, 422, "invalid_value", "format");
        return false;
    }
    return true;
}

int api_import_template(struct http_req *r)
{
    struct db *db = api_db(r);
    bool csv;
    if (!db || !format_param(r, &csv))
        return 0;
    char path[4096];
    int rc = temp_file(path, sizeof(path), "template");
    if (!rc)
        rc = ent_import_template(db, &r->user.scope, csv, path);
    serve_file(r, rc, path, csv,
               csv ? "enterprise-import-template.csv" : "enterprise-import-template.xlsx");
    return 0;
}

int api_jobs_list(struct http_req *r)
{
    struct db *db = api_db(r);
    int64_t page, page_size;
    if (!db || !api_paging(r, &page, &page_size))
        return 0;
    const char *status = api_qparam(r, "status");
    if (status && strcmp(status, "queued") != 0 && strcmp(status, "running") != 0 &&
        strcmp(status, "done") != 0 && strcmp(status, "failed") != 0 &&
        strcmp(status, "cancelled") != 0) {
        http_reply_error(r, 422, "invalid_value", "status");
        return 0;
    }
    int64_t total = 0;
    struct db_stmt *st = job_list(db, &r->user, api_qparam(r, "kind"), status, page_size,
                                  (page - 1) * page_size, &total);
    if (!st) {
        api_fail(r, KC_ERR_DB, NULL, NULL);
        return 0;
    }
    struct buf out = {0};
    struct jw w;
    api_list_begin(&w, &out);
    int s;
    while ((s = db_step(st)) == DB_ROW)
        write_job(r, &w, st);
    db_done(st);
    if (s < 0) {
        buf_free(&out);
        api_fail(r, s, NULL, NULL);
        return 0;
    }
    api_list_end(r, &w, &out, total, page, page_size);
    return 0;
}

int api_jobs_get(struct http_req *r)
{
    struct db *db = api_db(r);
    int64_t id;
    if (!db || !api_id_param(r, 0, &id))
        return 0;
    reply_job(r, db, id, 200);
    return 0;
}

int api_jobs_failed_rows(struct http_req *r)
{
    struct db *db = api_db(r);
    int64_t id;
    bool csv;
    if (!db || !api_id_param(r, 0, &id) || !format_param(r, &csv))
        return 0;
    struct db_stmt *st = job_get(db, &r->user, id);
    if (!st) {
        api_fail(r, KC_ERR_DB, NULL, NULL);
        return 0;
    }
    int s = db_step(st);
    const char *p = s == DB_ROW ? db_col_text(st, db_col_count(st) - 1) : NULL;
    char *result = p ? arena_strdup(&r->arena, p) : NULL;
    db_done(st);
    if (s != DB_ROW) {
        api_fail(r, s < 0 ? s : KC_ERR_NOT_FOUND, NULL, NULL);
        return 0;
    }
    if (!result || access(result, R_OK) != 0) {
        http_reply_error(r, 404, "no_failed_rows", NULL);
        return 0;
    }
    char name[64];
    snprintf(name, sizeof(name), "failed-rows-%lld.%s", (long long)id, csv ? "csv" : "xlsx");
    if (csv) {
        int fd = open(result, O_RDONLY);
        if (fd < 0) {
            api_fail(r, KC_ERR_IO, NULL, NULL);
            return 0;
        }
        http_reply_fd(r, 200, "text/csv; charset=utf-8", fd, name);
        return 0;
    }
    char path[4096];
    int rc = temp_file(path, sizeof(path), "failed");
    if (!rc)
        rc = xlsx_from_csv(result, path, r->en ? "Failed rows" : "失败行");
    serve_file(r, rc, path, false, name);
    return 0;
}

int api_jobs_cancel(struct http_req *r)
{
    struct db *db = api_db(r);
    int64_t id;
    if (!db || !api_id_param(r, 0, &id))
        return 0;
    char input[4096] = "";
    int rc = job_cancel(db, &r->user, id, input, sizeof(input));
    if (rc) {
        api_fail(r, rc, rc == KC_ERR_CONFLICT ? "job_finished" : NULL, NULL);
        return 0;
    }
    if (input[0]) /* a queued job never starts: its upload goes now */
        unlink(input);
    reply_job(r, db, id, 200);
    return 0;
}
