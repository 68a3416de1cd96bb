/* jobs.c — the background job runner (one worker thread) and the run of one job. */
#include "domain/jobs.h"
#include "core/log.h"
#include "core/xalloc.h"
#include "db/db.h"
#include "store/ent_import.h"

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static char *data_dir;                                 /* DATA_DIR */
static char jobs_root[4096];                           /* DATA_DIR/jobs */
static pthread_t worker_thread;                        /* the runner */
static bool worker_started;                            /* worker_thread is running */
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER; /* guards stopping and woken */
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;   /* signalled by wake and stop */
static bool stopping;                                  /* the server is stopping */
static bool woken; /* a job was queued since the worker last looked */

int jobs_init(const char *dir)
{
    free(data_dir);
    data_dir = xstrdup(dir);
    snprintf(jobs_root, sizeof(jobs_root), "%s/jobs", dir);
    if (mkdir(jobs_root, 0700) != 0 && errno != EEXIST) {
        log_msg(LOG_ERROR, "cannot create the jobs directory", "path", jobs_root, NULL);
        return KC_ERR_IO;
    }
    return 0;
}

const char *jobs_data_dir(void)
{
    return data_dir ? data_dir : ".";
}

int jobs_dir_for(int64_t id, char *out, size_t n)
{
    snprintf(out, n, "%s/%lld", jobs_root, (long long)id);
    if (mkdir(out, 0700) != 0 && errno != EEXIST)
        return KC_ERR_IO;
    return 0;
}

/* True once jobs_stop was called. */
static bool stop_requested(void)
{
    pthread_mutex_lock(&mu);
    bool s = stopping;
    pthread_mutex_unlock(&mu);
    return s;
}

/* What the import's progress callback needs. */
struct tick_ctx {
    struct db *db;            /* the runner's connection */
    const struct job_info *j; /* the job */
    bool cancelled;           /* the job was cancelled */
};

/* Copies import counters into job counters. */
static void counts_from(struct job_counts *c, const struct ent_import_stats *st)
{
    c->rows = st->rows;
    c->inserted = st->inserted;
    c->updated = st->updated;
    c->unchanged = st->unchanged;
    c->failed = st->failed;
}

/* Progress callback: records progress; stops on cancel or server stop. */
static bool on_tick(void *arg, uint64_t done, uint64_t total, const struct ent_import_stats *st)
{
    struct tick_ctx *t = arg;
    struct job_counts c;
    counts_from(&c, st);
    if (job_progress(t->db, t->j->id, (int64_t)done, (int64_t)total, &c) != 0)
        log_msg(LOG_WARN, "cannot record job progress", NULL);
    if (job_cancelled(t->db, t->j->id)) {
        t->cancelled = true;
        return false;
    }
    return !stop_requested();
}

/* Runners of the kinds other layers registered. */
static struct {
    const char *kind; /* job kind */
    jobs_kind_fn fn;  /* its runner */
} kinds[8];
static int n_kinds; /* registered kinds */

void jobs_register_kind(const char *kind, jobs_kind_fn fn)
{
    for (int i = 0; i < n_kinds; i++)
        if (strcmp(kinds[i].kind, kind) == 0) {
            kinds[i].fn = fn;
            return;
        }
    if (n_kinds < (int)(sizeof(kinds) / sizeof(kinds[0]))) {
        kinds[n_kinds].kind = kind;
        kinds[n_kinds++].fn = fn;
    }
}

bool jobs_tick(struct db *db, const struct job_info *j, int64_t done, int64_t total,
               const struct job_counts *c, bool *cancelled)
{
    if (job_progress(db, j->id, done, total, c) != 0)
        log_msg(LOG_WARN, "cannot record job progress", NULL);
    if (job_cancelled(db, j->id)) {
        *cancelled = true;
        return false;
    }
    return !stop_requested();
}

/* Set by the command line: one audit entry per changed record. */
static bool audit_per_record;

/* Sets the per-record audit mode for imports run in this process. */
void jobs_set_audit_per_record(bool on)
{
    audit_per_record = on;
}

/* Runs an enterprise import job. */
static void run_import(struct db *db, const struct job_info *j, struct job_outcome *out)
{
    char dir[3800], failed[3900];
    if (jobs_dir_for(j->id, dir, sizeof(dir)) != 0) {
        snprintf(out->status, sizeof(out->status), "failed");
        snprintf(out->error_code, sizeof(out->error_code), "import_io");
        snprintf(out->error_detail, sizeof(out->error_detail), "cannot create the job directory");
        return;
    }
    snprintf(failed, sizeof(failed), "%s/failed.csv", dir);
    unlink(failed); /* a rerun starts afresh */
    struct tick_ctx t = {db, j, false};
    struct ent_import_opts o;
    memset(&o, 0, sizeof(o));
    o.scope = j->scope;
    o.actor = (struct audit_ctx){j->created_by, j->username, j->ip};
    o.user_id = j->created_by;
    o.job_id = j->id;
    const char *slash = strrchr(j->input_path, '/');
    o.input_name = slash ? slash + 1 : j->input_path;
    o.en = j->en;
    o.audit_per_record = audit_per_record;
    o.failed_path = failed;
    o.tick = on_tick;
    o.tick_arg = &t;
    enum table_format fmt = strcmp(j->input_format, "xlsx") == 0  ? TABLE_XLSX
                            : strcmp(j->input_format, "csv") == 0 ? TABLE_CSV
                                                                  : TABLE_AUTO;
    struct ent_import_stats st;
    struct ent_import_error err;
    int rc = ent_import_file(db, j->input_path, fmt, &o, &st, &err);
    counts_from(&out->counts, &st);
    snprintf(out->encoding, sizeof(out->encoding), "%s", st.encoding);
    snprintf(out->ignored, sizeof(out->ignored), "%s", st.ignored);
    if (st.failed && access(failed, R_OK) == 0)
        snprintf(out->result_path, sizeof(out->result_path), "%s", failed);
    if (rc == 0) {
        snprintf(out->status, sizeof(out->status), "done");
    } else if (rc == ENT_IMPORT_STOPPED) {
        snprintf(out->status, sizeof(out->status), "%s", t.cancelled ? "cancelled" : "queued");
    } else {
        snprintf(out->status, sizeof(out->status), "failed");
        if (err.code[0]) {
            snprintf(out->error_code, sizeof(out->error_code), "%s", err.code);
            snprintf(out->error_field, sizeof(out->error_field), "%s", err.field);
            snprintf(out->error_detail, sizeof(out->error_detail), "%s", err.detail);
        } else {
            snprintf(out->error_code, sizeof(out->error_code), "import_internal");
            snprintf(out->error_detail, sizeof(out->error_detail), "error %d", rc);
        }
    }
}

/* True when path lies under DATA_DIR/jobs/ (an uploaded copy we may delete). */
static bool owned_input(const char *path)
{
    size_t n = strlen(jobs_root);
    return n && strncmp(path, jobs_root, n) == 0 && path[n] == '/';
}

int jobs_run(struct db *db, const struct job_info *j, struct job_outcome *out)
{
    struct job_outcome o;
    memset(&o, 0, sizeof(o));
    log_msg(LOG_INFO, "job started", "kind", j->kind, NULL);
    jobs_kind_fn fn = NULL;
    for (int i = 0; i < n_kinds; i++)
        if (strcmp(kinds[i].kind, j->kind) == 0)
            fn = kinds[i].fn;
    if (strcmp(j->kind, JOB_IMPORT_ENTERPRISES) == 0) {
        run_import(db, j, &o);
    } else if (fn) {
        fn(db, j, &o);
    } else {
        snprintf(o.status, sizeof(o.status), "failed");
        snprintf(o.error_code, sizeof(o.error_code), "job_unknown_kind");
        snprintf(o.error_detail, sizeof(o.error_detail), "%s", j->kind);
    }
    int rc =
        job_note(db, j->id, o.encoding[0] ? o.encoding : NULL, o.ignored[0] ? o.ignored : NULL);
    if (!rc)
        rc = job_set_counts(db, j->id, &o.counts);
    if (!rc) {
        if (strcmp(o.status, "queued") == 0) {
            rc = job_requeue(db, j->id);
        } else {
            rc = job_finish(db, j->id, o.status, o.error_code[0] ? o.error_code : NULL,
                            o.error_field[0] ? o.error_field : NULL,
                            o.error_detail[0] ? o.error_detail : NULL,
                            o.result_path[0] ? o.result_path : NULL);
            if (owned_input(j->input_path))
                unlink(j->input_path);
        }
    }
    /* Progress of a finished job shows 100 %. */
    if (!rc && strcmp(o.status, "queued") != 0)
        rc = db_run(db_query(db,
                             "UPDATE jobs SET progress_done=progress_total WHERE id=? "
                             "AND status='done'",
                             "i", j->id));
    log_msg(LOG_INFO, "job finished", "kind", j->kind, "status", o.status, NULL);
    if (out)
        *out = o;
    return rc;
}

/* The worker: claims and runs queued jobs until stopped. */
static void *worker(void *arg)
{
    (void)arg;
    while (!stop_requested()) {
        struct db *db = db_thread();
        struct job_info j;
        int rc = db ? job_claim_next(db, &j) : KC_ERR_DB;
        if (rc == 0) {
            if (jobs_run(db, &j, NULL) != 0)
                log_msg(LOG_ERROR, "cannot record a job's outcome", "kind", j.kind, NULL);
            continue;
        }
        if (rc != KC_ERR_NOT_FOUND)
            log_msg(LOG_ERROR, "job runner: database error", NULL);
        pthread_mutex_lock(&mu);
        if (!stopping && !woken) {
            struct timespec until;
            clock_gettime(CLOCK_REALTIME, &until);
            until.tv_sec += 5; /* poll now and then as well */
            pthread_cond_timedwait(&cv, &mu, &until);
        }
        woken = false;
        pthread_mutex_unlock(&mu);
    }
    return NULL;
}

int jobs_start(void)
{
    struct db *db = db_thread();
    if (!db)
        return KC_ERR_DB;
    int64_t requeued = 0, failed = 0;
    int rc = job_recover(db, &requeued, &failed);
    if (rc)
        return rc;
    if (requeued || failed) {
        char a[24], b[24];
        snprintf(a, sizeof(a), "%lld", (long long)requeued);
        snprintf(b, sizeof(b), "%lld", (long long)failed);
        log_msg(LOG_WARN, "interrupted jobs recovered", "requeued", a, "failed", b, NULL);
    }
    pthread_mutex_lock(&mu);
    stopping = false;
    pthread_mutex_unlock(&mu);
    if (pthread_create(&worker_thread, NULL, worker, NULL) != 0)
        return KC_ERR_IO;
    worker_started = true;
    return 0;
}

void jobs_stop(void)
{
    pthread_mutex_lock(&mu);
    stopping = true;
    pthread_cond_broadcast(&cv);
    pthread_mutex_unlock(&mu);
    if (worker_started)
        pthread_join(worker_thread, NULL);
    worker_started = false;
}

void jobs_wake(void)
{
    pthread_mutex_lock(&mu);
    woken = true;
    pthread_cond_broadcast(&cv);
    pthread_mutex_unlock(&mu);
}
