/*
 * plan_obs.h (store) — reported indicator values (observations): submission, edits while
 * open, verification (which locks), rejection, revisions of locked values, history and
 * evidence files. Rules in docs/api-plans.md ("Reported values"); every write is audited
 * by the caller in the same transaction.
 */
#ifndef KC_STORE_PLAN_OBS_H
#define KC_STORE_PLAN_OBS_H

#include "core/err.h"
#include "domain/auth.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct db;
struct db_stmt;

/* Largest evidence file accepted (bytes); the HTTP body limit (1 MiB) applies first. */
#define PLAN_FILE_MAX_BYTES (1024 * 1024)

/* Observation list filters; NULL / 0 members do not filter. */
struct obs_filter {
    const char *indicator; /* indicator code */
    struct scope region;   /* region prefix range */
    const char *chain;     /* chain code */
    const char *status;    /* submitted | rejected | verified | superseded */
    int year;              /* the year */
    bool open_only;        /* submitted or rejected (the verification queue) */
};
/* The observation list in scope sc (API shape) ordered by sort_col then id. */
struct db_stmt *obs_list(struct db *db, const struct scope *sc, const struct obs_filter *f,
                         const char *sort_col, bool desc, int64_t limit, int64_t offset);
/* Counts what obs_list selects. */
int obs_count(struct db *db, const struct scope *sc, const struct obs_filter *f,
              int64_t *n) KC_MUST_CHECK;
/* One observation in scope as a new JSON object (with "locked"); KC_ERR_NOT_FOUND when
 * absent or out of scope. */
int obs_get(struct db *db, const struct scope *sc, int64_t id, json_t **out) KC_MUST_CHECK;
/* The revisions of the observation's cell (indicator, region, chain, year), newest first,
 * and its evidence files, as new JSON arrays. */
int obs_history(struct db *db, int64_t id, json_t **revisions, json_t **files) KC_MUST_CHECK;

/* A new value to submit. */
struct obs_input {
    int64_t indicator_id; /* the indicator (reported, or computed without records) */
    const char *region;   /* GB/T 2260 code (canonical) */
    const char *chain;    /* chain code or "" */
    int year;             /* the year */
    double value;         /* in the indicator's unit */
    const char *source;   /* where it comes from */
    const char *note;     /* remark or NULL */
};
/* Inserts a submitted value: a first value, or a new revision of a verified (locked)
 * one. KC_ERR_CONFLICT when the cell already has an open (submitted or rejected)
 * value: edit that one. *id receives the new row. */
int obs_submit(struct db *db, const struct auth_user *u, const struct obs_input *in,
               int64_t *id) KC_MUST_CHECK;
/* Changes value, source and note of an open observation (submitted, or rejected: it goes
 * back to submitted). KC_ERR_CONFLICT (code "locked") once verified or superseded. */
int obs_update(struct db *db, const struct auth_user *u, int64_t id, double value,
               const char *source, const char *note) KC_MUST_CHECK;
/* Why a verification or rejection is refused. */
enum obs_refusal {
    OBS_OK,
    OBS_NOT_OPEN,  /* not submitted: already verified, superseded or rejected (409) */
    OBS_OWN_VALUE, /* the verifier submitted it, or verifies its own county (403) */
};
/* Verifies a submitted observation: it becomes locked and the cell's current value; a
 * verified value it revises becomes superseded. *why explains a refusal (rc
 * KC_ERR_CONFLICT or KC_ERR_FORBIDDEN). */
int obs_verify(struct db *db, const struct auth_user *u, int64_t id,
               enum obs_refusal *why) KC_MUST_CHECK;
/* Sends a submitted observation back with a reason (same refusals as obs_verify). */
int obs_reject(struct db *db, const struct auth_user *u, int64_t id, const char *reason,
               enum obs_refusal *why) KC_MUST_CHECK;

/* Sets the directory evidence files are stored in (DATA_DIR/files; created by the
 * caller). */
void plan_files_set_dir(const char *dir);
/* The directory set by plan_files_set_dir ("" when unset). */
const char *plan_files_dir(void);
/* The media type of an evidence file from its first bytes (PDF, PNG, JPEG, XLSX, DOCX
 * by their signatures; OOXML told apart by their part names), or NULL when the type is
 * not accepted. */
const char *plan_file_sniff(const unsigned char *data, size_t len, const char *name);
/* Writes data as a new file of random name under the files directory: its name (32 hex
 * digits + ".bin") in stored, its SHA-256 in hex in sha. KC_ERR_IO on failure (nothing
 * left behind). Shared by observation and ticket evidence. */
int plan_file_write(const unsigned char *data, size_t len, char stored[64],
                    char sha[65]) KC_MUST_CHECK;
/* Removes a stored file (undo of plan_file_write when the row cannot be inserted). */
void plan_file_unlink(const char *stored);
/* Reads stored file of the given size: malloc'd bytes in *data (the caller frees).
 * KC_ERR_IO when missing, short or over PLAN_FILE_MAX_BYTES. */
int plan_file_load(const char *stored, int64_t size, char **data, size_t *len) KC_MUST_CHECK;
/* Stores data as a new evidence file of observation obs_id (file written under the files
 * directory, then the row inserted); *id receives the row. The caller holds a
 * transaction and removes nothing on failure (the file is unlinked here). */
int obs_file_add(struct db *db, int64_t obs_id, const char *name, const char *mime,
                 const unsigned char *data, size_t len, int64_t user_id, int64_t *id) KC_MUST_CHECK;
/* Reads evidence file id if its observation is in scope: malloc'd bytes in *data (the
 * caller frees), its name and mime as new strings (free them). */
int obs_file_read(struct db *db, const struct scope *sc, int64_t id, char **data, size_t *len,
                  char **name, char **mime) KC_MUST_CHECK;

#endif
