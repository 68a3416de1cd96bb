/*
 * match.h (store) — pipeline matches (对接记录), their history, and broker metrics. Scope:
 * officers and brokers see the matches of demands in their region; organisation-bound
 * users the matches their organisation is the demand side or the supply side of. A record
 * outside the scope behaves as if it did not exist.
 */
#ifndef KC_STORE_MATCH_H
#define KC_STORE_MATCH_H

#include "core/err.h"
#include "domain/auth.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

struct db;
struct db_stmt;

/* List filters; NULL / 0 members do not filter. */
struct match_filter {
    const char *q;          /* substring of the demand title or the target's title / name */
    const char *stage;      /* one stage */
    const char *source;     /* matching | manual | roadshow */
    struct scope region;    /* demand-region prefix range */
    int64_t broker_id;      /* assigned broker */
    bool unassigned;        /* no broker */
    int64_t demand_id;      /* one demand */
    int64_t achievement_id; /* one achievement */
    int64_t org_id;         /* either side */
    int64_t roadshow_id;    /* intents of one roadshow */
    const char *from, *to;  /* creation date range (China time), inclusive */
};

/* A new match, validated by the caller. */
struct match_new {
    int64_t demand_id, demand_org_id;
    const char *region_code;  /* the demand's region */
    const char *target_kind;  /* achievement | institution | expert */
    int64_t achievement_id;   /* or 0 */
    int64_t expert_id;        /* or 0 */
    int64_t supply_org_id;    /* or 0 (an achievement without owner, an expert off-platform) */
    int64_t broker_id;        /* or 0 */
    const char *source;       /* matching | manual | roadshow */
    int64_t roadshow_id;      /* or 0 */
    bool has_score;           /* score is set */
    double score;             /* the matcher's score */
    const char *reasons_json; /* JSON array text, or NULL for [] */
    const char *note;         /* or NULL */
};

/* Who performs a pipeline write (for the history). */
struct match_actor {
    int64_t user_id;      /* 0 for the demo */
    const char *username; /* "demo" for the demo */
    int64_t at;           /* Unix seconds */
};

/* Loads one match in scope (API shape, labels from labels_json = pipeline_labels_json).
 * 0, KC_ERR_NOT_FOUND or KC_ERR_DB. */
int match_get(struct db *db, const struct scope *sc, const char *labels_json, int64_t id,
              json_t **out) KC_MUST_CHECK;
/* Prepares the list query ordered by sort_col (whitelisted) then id. */
struct db_stmt *match_list(struct db *db, const struct scope *sc, const char *labels_json,
                           const struct match_filter *f, const char *sort_col, bool desc,
                           int64_t limit, int64_t offset);
/* Counts the rows the same filters select. */
int match_count(struct db *db, const struct scope *sc, const struct match_filter *f,
                int64_t *n) KC_MUST_CHECK;
/* Counts matches per stage for the board: rows (stage, count). */
struct db_stmt *match_stage_counts(struct db *db, const struct scope *sc,
                                   const struct match_filter *f);
/* The history of match id, oldest first (rows of match_events with usernames, stage and
 * reason labels and the broker's name). */
struct db_stmt *match_history(struct db *db, const char *labels_json, int64_t id);
/* True in *open when an open (not dropped) match of the demand with the same target
 * exists. */
int match_open_exists(struct db *db, const struct match_new *m, bool *open) KC_MUST_CHECK;
/* Inserts a match in stage proposed with its "created" event; returns its id. */
int match_insert(struct db *db, const struct match_new *m, const struct match_actor *who,
                 int64_t *id) KC_MUST_CHECK;
/* Moves match id from stage from to stage to (the caller checked the transition),
 * stamping the stage's first-entry time; reason / note for drops (else NULL). Writes the
 * "stage" event. KC_ERR_CONFLICT when the stored stage is no longer from. */
int match_set_stage(struct db *db, int64_t id, const char *from, const char *to,
                    const char *reason, const char *note, const struct match_actor *who)
    KC_MUST_CHECK;
/* Assigns broker_id (0 = none) to match id and writes the "broker" event. */
int match_set_broker(struct db *db, int64_t id, int64_t broker_id,
                     const struct match_actor *who) KC_MUST_CHECK;
/* Replaces the note of match id and writes the "note" event. */
int match_set_note(struct db *db, int64_t id, const char *note,
                   const struct match_actor *who) KC_MUST_CHECK;
/* Broker metrics over the matches created in [from, to] (dates, China time; NULL = open):
 * one row per broker user in scope and region filter with matches, open, responded,
 * signed, dropped, first_response_avg_s, contracts, contract_amount_fen,
 * tech_amount_fen. */
struct db_stmt *match_broker_metrics(struct db *db, const struct scope *sc,
                                     const struct scope *region, const char *from,
                                     const char *to);
/* First-response times (seconds, contacted − proposed) of one broker's matches in the
 * same period, ascending. */
struct db_stmt *match_response_times(struct db *db, int64_t broker_id, const char *from,
                                     const char *to);

#endif
