/*
 * job.h — the jobs table (schema 0005): queue, claim, progress, finish, and the
 * scoped reads behind /api/v1/jobs. A job keeps the creator's identity and data scope
 * as they were when it was queued, so the runner applies the same scope the creator
 * had in the request.
 */
#ifndef KC_STORE_JOB_H
#define KC_STORE_JOB_H

#include "core/err.h"
#include "domain/auth.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct db;
struct db_stmt;

/* A job as the runner needs it (strings are copies owned by the struct). */
struct job_info {
    int64_t id;            /* jobs.id */
    char kind[32];         /* 'import_enterprises' … */
    int64_t created_by;    /* users.id, 0 for the command line */
    char username[65];     /* for the audit log */
    char ip[64];           /* for the audit log */
    bool en;               /* row messages in English */
    struct scope scope;    /* the creator's data scope */
    char input_path[4096]; /* the input file */
    char input_format[8];  /* 'csv' or 'xlsx' */
    int64_t attempts;      /* times started, including this one */
};

/* What a new job is. */
struct job_new {
    const char *kind;          /* job kind */
    int64_t created_by;        /* users.id or 0 */
    const char *username;      /* creator's username ("system" for the CLI) */
    const char *ip;            /* creator's address or "-" */
    bool en;                   /* English row messages */
    const char *region_code;   /* creator's region (visibility for officers) */
    const struct scope *scope; /* creator's data scope */
    const char *input_name;    /* uploaded file name, may be NULL */
    const char *input_format;  /* 'csv' or 'xlsx' */
};

/* The counters a running job reports. */
struct job_counts {
    int64_t rows;      /* data rows read */
    int64_t inserted;  /* records created */
    int64_t updated;   /* records changed */
    int64_t unchanged; /* records already identical */
    int64_t failed;    /* rows rejected */
};

/* Inserts a queued job; *id receives its id. */
int job_create(struct db *db, const struct job_new *n, int64_t *id) KC_MUST_CHECK;
/* Records the input file and its size (progress total) of a queued job. */
int job_set_input(struct db *db, int64_t id, const char *path, int64_t size) KC_MUST_CHECK;
/* Marks the oldest queued job running (attempts + 1) and fills *out. Returns 0,
 * KC_ERR_NOT_FOUND when none is queued, or KC_ERR_DB. */
int job_claim_next(struct db *db, struct job_info *out) KC_MUST_CHECK;
/* Marks one queued job running (for the command line). KC_ERR_NOT_FOUND when it is
 * not queued. */
int job_claim(struct db *db, int64_t id, struct job_info *out) KC_MUST_CHECK;
/* Stores progress (done/total in bytes) and counters of a running job. */
int job_progress(struct db *db, int64_t id, int64_t done, int64_t total,
                 const struct job_counts *c) KC_MUST_CHECK;
/* Stores the counters of a job (progress unchanged). */
int job_set_counts(struct db *db, int64_t id, const struct job_counts *c) KC_MUST_CHECK;
/* Records extra facts learnt while running: the input encoding and the header cells
 * that matched no column (either may be NULL). */
int job_note(struct db *db, int64_t id, const char *encoding,
             const char *ignored_columns) KC_MUST_CHECK;
/* Ends a job: status done, failed or cancelled; error_code/field/detail for failures
 * (NULL otherwise); result_path (failed rows) may be NULL. A cancelled job keeps its
 * status. */
int job_finish(struct db *db, int64_t id, const char *status, const char *error_code,
               const char *error_field, const char *error_detail,
               const char *result_path) KC_MUST_CHECK;
/* Puts a running job back in the queue (the server is stopping). */
int job_requeue(struct db *db, int64_t id) KC_MUST_CHECK;
/* At start-up: jobs left 'running' by a stopped process are queued again when they
 * were started once, failed with 'interrupted' otherwise. *requeued and *failed
 * receive the counts. */
int job_recover(struct db *db, int64_t *requeued, int64_t *failed) KC_MUST_CHECK;
/* True when job id was cancelled (checked by the runner between batches). */
bool job_cancelled(struct db *db, int64_t id);
/* Cancels a queued or running job visible to u: a running job stops after its current
 * batch; a queued one ends at once, and its input path (to delete) is copied to input
 * ("" otherwise). KC_ERR_NOT_FOUND when not visible, KC_ERR_CONFLICT when it has
 * already ended. */
int job_cancel(struct db *db, const struct auth_user *u, int64_t id, char *input,
               size_t n) KC_MUST_CHECK;

/* The columns of a job as the API shows them (a SELECT list over alias j). */
#define JOB_COLUMNS                                                                                \
    "j.id, j.kind, j.status, j.progress_done, j.progress_total, j.rows_read, j.inserted, "         \
    "j.updated, j.unchanged, j.failed, j.created_by, j.username AS created_by_name, "              \
    "j.region_code, j.input_name, j.input_format, j.encoding, j.ignored_columns, "                 \
    "j.result_path IS NOT NULL AS has_failed_rows, j.error_code, j.error_field, "                  \
    "j.error_detail, "                                                                             \
    "j.created_at, j.started_at, j.finished_at"

/* One job visible to u (own, or created under u's region for region-scoped roles),
 * JOB_COLUMNS plus result_path last; NULL on a database error. */
struct db_stmt *job_get(struct db *db, const struct auth_user *u, int64_t id);
/* Jobs visible to u, newest first, optionally of one kind and status, one page; *total
 * receives the count. NULL on a database error. */
struct db_stmt *job_list(struct db *db, const struct auth_user *u, const char *kind,
                         const char *status, int64_t limit, int64_t offset, int64_t *total);

#endif
