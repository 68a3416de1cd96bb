/* handlers_import.h — HTTP handlers of imports, background jobs and their files. */
#ifndef KC_API_HANDLERS_IMPORT_H
#define KC_API_HANDLERS_IMPORT_H

struct db;
struct http_req;

#include <stdint.h>

/* POST /api/v1/imports/enterprises — upload (raw XLSX/CSV body) → 202 with the job. */
int api_import_enterprises(struct http_req *r);
/* GET /api/v1/imports/enterprises/template — the import template (XLSX or CSV). */
int api_import_template(struct http_req *r);
/* GET /api/v1/jobs — own jobs, and for officers the jobs created in their region. */
int api_jobs_list(struct http_req *r);
/* GET /api/v1/jobs/{id} — one job with progress and counts. */
int api_jobs_get(struct http_req *r);
/* GET /api/v1/jobs/{id}/failed-rows — the failed rows with an error column. */
int api_jobs_failed_rows(struct http_req *r);
/* POST /api/v1/jobs/{id}/cancel — stops a queued or running job after its batch. */
int api_jobs_cancel(struct http_req *r);

/* Replies status with job id as GET /jobs/{id} shows it (for routes that queue jobs). */
void api_job_reply(struct http_req *r, struct db *db, int64_t id, int status);

#endif
