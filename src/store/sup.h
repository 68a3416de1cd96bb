/*
 * sup.h (store) — supervision tickets (督查): the sweep that opens them for off-track or
 * overdue targets and overdue tasks, the answers, closing and escalation with their
 * history, and reminders (schema 0010_assess.sql, rules in docs/api-assess.md and
 * domain/sup_ticket.h).
 *
 * Scope: a ticket is visible when its region (the responsible unit's) is inside the
 * user's scope. Out of scope behaves as absent (KC_ERR_NOT_FOUND).
 */
#ifndef KC_STORE_SUP_H
#define KC_STORE_SUP_H

#include "core/err.h"
#include "domain/auth.h"
#include "domain/sup_ticket.h"
#include "store/audit.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

struct db;
struct db_stmt;

/* List filters; NULL members do not filter. */
struct sup_filter {
    const char *status;       /* a status, or "active" (every status but closed) */
    struct scope region;      /* region prefix range (lo "" / hi "~" for all) */
    const char *subject_kind; /* target | task */
    int64_t plan_id;          /* 0: all */
    int64_t subject_id;       /* 0: all (with subject_kind) */
    const char *q;            /* substring of the title or the unit */
    bool overdue;             /* only tickets waiting for an answer past their deadline */
    const char *today;        /* YYYY-MM-DD, for overdue */
};

/* Prepares the list (id, subject_kind, subject_id, plan_id, plan_title, region_code,
 * region_name, unit_name, reason, title, status, level, deadline, opened_at,
 * updated_at, closed_at, overdue, n_events) ordered by sort_col then id. */
struct db_stmt *sup_list(struct db *db, const struct scope *sc, const struct sup_filter *f,
                         const char *sort_col, bool desc, int64_t limit, int64_t offset);
/* Counts the tickets the same filters select. */
int sup_count(struct db *db, const struct scope *sc, const struct sup_filter *f,
              int64_t *n) KC_MUST_CHECK;
/* Loads a ticket with its events (oldest first), reminders and subject ({kind, id,
 * code, title, indicator, target_value, target_year, deadline, region_code, plan}).
 * *out is a new reference. */
int sup_get(struct db *db, const struct scope *sc, int64_t id, json_t **out) KC_MUST_CHECK;

/* What a user does to a ticket. */
struct sup_act_in {
    enum sup_action action;  /* answer, close or escalate */
    const char *measure;     /* answer: the measure taken (required) */
    const char *evidence;    /* answer: the evidence in words (optional) */
    const int64_t *file_ids; /* answer: uploaded evidence files of this ticket (optional) */
    size_t n_files;          /* number of file_ids */
    const char *note;        /* close / escalate: the reason (required) */
    const char *deadline;    /* escalate: the new deadline (NULL: by level) */
    const char *today;       /* YYYY-MM-DD */
};
/* Applies an action to ticket id (already checked visible and allowed for the user)
 * inside the caller's transaction: the state machine, one event, the ticket's status,
 * level and deadline. KC_ERR_CONFLICT when the state machine refuses; KC_ERR_INVALID
 * when a file id is not an unused evidence file of this ticket (or is repeated). */
int sup_act(struct db *db, const struct audit_ctx *ctx, int64_t id,
            const struct sup_act_in *in) KC_MUST_CHECK;
/* Most evidence files one answer may carry. */
#define SUP_MAX_FILES 10
/* Stores data as an evidence file of ticket_id, not yet used by an answer (the answer
 * names it in file_ids), inside the caller's transaction; *id receives the row. */
int sup_file_add(struct db *db, int64_t ticket_id, const char *name, const char *mime,
                 const unsigned char *data, size_t len, int64_t user_id, int64_t *id) KC_MUST_CHECK;
/* Deletes the row of evidence file fid of ticket_id while no answer uses it, inside the
 * caller's transaction; *name receives its name (free it) and stored its stored file name,
 * which the caller unlinks (plan_file_unlink) after committing. KC_ERR_NOT_FOUND when it
 * is not an unused file of that ticket. */
int sup_file_remove(struct db *db, int64_t ticket_id, int64_t fid, char **name,
                    char stored[64]) KC_MUST_CHECK;
/* Reads evidence file id when its ticket is in scope: malloc'd bytes in *data (the
 * caller frees), its name and mime as new strings (free them). */
int sup_file_read(struct db *db, const struct scope *sc, int64_t id, char **data, size_t *len,
                  char **name, char **mime) KC_MUST_CHECK;
/* Opens a ticket for a subject by hand (the city's decision, reason "manual") inside
 * the caller's transaction; KC_ERR_CONFLICT when the subject has an open ticket,
 * KC_ERR_NOT_FOUND when the subject is not in scope. */
int sup_open_manual(struct db *db, const struct audit_ctx *ctx, const struct scope *sc,
                    const char *kind, int64_t subject_id, const char *note, const char *today,
                    int64_t *id) KC_MUST_CHECK;

/* What a sweep did. */
struct sup_sweep_result {
    int opened;    /* tickets opened */
    int reminders; /* reminders created */
};
/* The sweep, inside the caller's transaction: opens a ticket for every off-track or
 * overdue target and every overdue task in scope (sc NULL: everywhere) that has no
 * ticket for that reason this year (so a subject the city closed is not reopened until
 * next year), then creates the reminders that are due on day today (YYYY-MM-DD).
 * Audited as ctx. */
int sup_sweep(struct db *db, const struct audit_ctx *ctx, const struct scope *sc, const char *today,
              struct sup_sweep_result *res) KC_MUST_CHECK;

/* Counts for the home page in scope: {open, answered, escalated, due_soon, overdue,
 * reminders:[latest 10 {ticket_id, title, kind, deadline, created_at, region_name}]}.
 * *out is a new reference. */
int sup_summary(struct db *db, const struct scope *sc, const char *today,
                json_t **out) KC_MUST_CHECK;

/* Starts the server's sweeper thread: it sweeps (everywhere, as "system") when an
 * observation or target changed (checked every KC_SWEEP_SECONDS, default 30) and at
 * least hourly. */
void sup_sweeper_start(void);
/* Stops the sweeper thread and waits for it (call before db_thread_close_all). */
void sup_sweeper_stop(void);

#endif
