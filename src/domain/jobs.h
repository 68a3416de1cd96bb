/*
 * jobs.h — the background job runner: one worker thread started by `serve` runs queued
 * jobs (store/job.h) one at a time, oldest first; the command line runs a job in its own
 * thread through the same code. Each job's files live in DATA_DIR/jobs/<id>/.
 *
 * Restart rules: stopping the server (SIGTERM) lets the running job finish its current
 * batch and puts it back in the queue; a job left running by a crash is requeued once
 * at the next start and failed with error 'interrupted' the second time. Requeueing is
 * safe because the imports are idempotent.
 */
#ifndef KC_DOMAIN_JOBS_H
#define KC_DOMAIN_JOBS_H

#include "core/err.h"
#include "store/job.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct db;

/* Job kinds. */
#define JOB_IMPORT_ENTERPRISES "import_enterprises"
#define JOB_IMPORT_ACHIEVEMENTS "import_achievements"

/* Sets DATA_DIR (creates DATA_DIR/jobs). Call once before anything else here. */
int jobs_init(const char *data_dir) KC_MUST_CHECK;
/* The data directory given to jobs_init. */
const char *jobs_data_dir(void);
/* Writes DATA_DIR/jobs/<id> into out, creating the directory. */
int jobs_dir_for(int64_t id, char *out, size_t n) KC_MUST_CHECK;
/* Recovers interrupted jobs and starts the worker thread. */
int jobs_start(void) KC_MUST_CHECK;
/* Asks the worker to stop after its current batch and waits for it. */
void jobs_stop(void);
/* Wakes the worker: a job was queued. */
void jobs_wake(void);

/* How a job run ended. */
struct job_outcome {
    char status[12];          /* done, failed, cancelled, or queued (stopped, requeued) */
    struct job_counts counts; /* final counters */
    char error_code[40];      /* failed: catalogue code */
    char error_field[64];     /* failed: the column concerned, if any */
    char error_detail[256];   /* failed: English detail */
    char result_path[4096];   /* failed-rows file, "" when none */
    char encoding[8];         /* input encoding */
    char ignored[512];        /* header cells that matched no column */
};

/* Runs one job of a kind another layer registered (jobs_register_kind) to its end,
 * filling *out (status done, failed, cancelled, or queued when the server stops). */
typedef void (*jobs_kind_fn)(struct db *db, const struct job_info *j, struct job_outcome *out);
/* Registers the runner of a job kind (at start-up, before jobs_start; at most 8). */
void jobs_register_kind(const char *kind, jobs_kind_fn fn);
/* For registered runners: records progress (done of total units) and counters of job
 * j; returns false when the job must stop now — cancelled (then *cancelled is set) or
 * the server is stopping. */
bool jobs_tick(struct db *db, const struct job_info *j, int64_t done, int64_t total,
               const struct job_counts *c, bool *cancelled);

/* One audit entry per changed record for imports run by this process (the command
 * line's --audit-per-record); the default is one entry per batch. */
void jobs_set_audit_per_record(bool on);
/* Runs the claimed job j to its end in this thread with db, recording progress and the
 * outcome in the jobs table; *out (may be NULL) receives the outcome. Returns 0 or
 * KC_ERR_DB when the outcome could not be recorded. */
int jobs_run(struct db *db, const struct job_info *j, struct job_outcome *out) KC_MUST_CHECK;

#endif
