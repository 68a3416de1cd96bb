/*
 * plan.h (store) — plans, tasks, responsible units, indicators, targets and their
 * observations in the database (schema 0009_plans.sql, rules in docs/api-plans.md).
 *
 * Scope: a plan is visible to a user when its issuing region is inside the user's scope
 * or is an ancestor of the user's region (a county sees its city's plans); a target, an
 * observation or a computed value is visible when its region is inside the scope. Out of
 * scope behaves as absent (KC_ERR_NOT_FOUND).
 */
#ifndef KC_STORE_PLAN_H
#define KC_STORE_PLAN_H

#include "core/err.h"
#include "domain/auth.h"
#include "domain/plan_progress.h"
#include "store/audit.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

struct db;
struct plan_set;

/* Loads every plan of set not in the database yet (by code): its units (into the
 * issuing region's dictionary, reusing a unit of the same name), tasks with their
 * responsible units, indicators (shared by code), targets with milestones,
 * requirements, and the values the document states (plain baselines and observations)
 * as verified observations whose source is the document. Runs inside the caller's
 * transaction; audits each plan as ctx. *n_loaded counts the plans inserted. */
int plan_seed_load(struct db *db, const struct plan_set *set, const struct audit_ctx *ctx,
                   int *n_loaded) KC_MUST_CHECK;

/* The scope of plan reads for one user: records of regions in sc, and plans issued by
 * an ancestor of the user's region (anc, "" padded). */
struct plan_scope {
    struct scope sc; /* the user's region (or organisation) scope */
    char anc[4][7];  /* the user's region and its ancestors (city, province, 000000) */
};
/* The plan scope of user u (from its scope and region). */
void plan_scope_of(const struct auth_user *u, struct plan_scope *out);
/* A scope that sees everything (the command line, the public view of a public plan). */
void plan_scope_all(struct plan_scope *out);

/* Plan list filters; NULL / empty members do not filter. */
struct plan_filter {
    const char *q;       /* substring of title or code */
    const char *status;  /* draft | active | closed */
    struct scope region; /* issuing region prefix range (lo "" for all) */
    bool public_only;    /* only plans marked public */
};
/* The plan list (API shape: id, code, title, region_code, region_name, doc_no,
 * period_start, period_end, status, is_public, n_tasks, n_targets in scope, …) ordered by
 * sort_col (whitelisted) then id, limit < 0 for all. NULL on error. */
struct db_stmt *plan_list(struct db *db, const struct plan_scope *ps, const struct plan_filter *f,
                          const char *sort_col, bool desc, int64_t limit, int64_t offset);
/* Counts the plans the same filters select. */
int plan_count(struct db *db, const struct plan_scope *ps, const struct plan_filter *f,
               int64_t *n) KC_MUST_CHECK;
/* One visible plan as a new JSON object; 0, KC_ERR_NOT_FOUND or KC_ERR_DB. */
int plan_get(struct db *db, const struct plan_scope *ps, int64_t id, json_t **out) KC_MUST_CHECK;
/* The tasks of a plan in document order, each with its responsible units, as a new
 * JSON array. */
int plan_tasks_json(struct db *db, int64_t plan_id, json_t **out) KC_MUST_CHECK;
/* The per-record rules of plan plan_id (plan_requirements: 综合体 floor areas by level …),
 * each with its task's code and title, in task order, as a new array in *out. */
int plan_requirements_json(struct db *db, int64_t plan_id, json_t **out) KC_MUST_CHECK;
/* The responsible-unit dictionaries visible to ps (the user's region, its ancestors and
 * descendants) as a new JSON array. */
int plan_units_json(struct db *db, const struct plan_scope *ps, json_t **out) KC_MUST_CHECK;

/* Target filters; zero / NULL members do not filter. */
struct target_filter {
    int64_t plan_id;          /* one plan */
    int64_t task_id;          /* one task */
    const char *indicator;    /* indicator code */
    struct scope region;      /* region prefix range */
    const char *exact_region; /* exactly this region */
    int64_t parent_id;        /* split from this target */
};
/* The ids of the targets in scope (their region inside ps.sc, their plan visible)
 * matching f, by plan then id; *ids is malloc'd (free it). */
int plan_target_ids(struct db *db, const struct plan_scope *ps, const struct target_filter *f,
                    int64_t **ids, size_t *n) KC_MUST_CHECK;
/* 0 when target_id is in scope (its plan id in *plan_id, may be NULL), else
 * KC_ERR_NOT_FOUND. */
int plan_target_visible(struct db *db, const struct plan_scope *ps, int64_t target_id,
                        int64_t *plan_id) KC_MUST_CHECK;

/* The evaluation of one target as of a date (docs/api-plans.md "Progress"). Values are
 * NAN when unknown (has_* false). */
struct plan_target_eval {
    int64_t id;              /* targets.id */
    int as_of_year;          /* the year of the as-of date */
    int due_year;            /* the year this evaluation is due (the running year for
                                targets that repeat every year) */
    bool has_target_value;   /* target_value is known */
    double target_value;     /* in the indicator's unit: stated, or for growth targets the
                                base-year value grown at the rate, for relative targets the
                                other indicator's value */
    bool has_baseline;       /* baseline_* are known */
    int baseline_year;       /* stated baseline year, or the growth base year */
    double baseline_value;   /* its value */
    bool has_current;        /* current_value is known */
    double current_value;    /* the value compared: the level, the year's flow, or the sum
                                since cumulative_from */
    int current_year;        /* the year it is for */
    double progress;         /* % achieved, direction-aware (NAN without value) */
    bool has_projection;     /* projection is known */
    double projection;       /* projected value at the due year (NAN: insufficient data) */
    enum plan_fit fit;       /* curve of the projection */
    struct plan_trend trend; /* the fitted trend (fit NONE with fewer than two points) */
    int n_points;            /* yearly values the trend used */
    bool milestone_missed;   /* a milestone whose year is over was not met */
    enum plan_status status; /* achieved | on_track | at_risk | off_track | no_data */
};
/* Evaluates target id as of as_of (YYYY-MM-DD, NULL = today) without a scope check
 * (callers check it: plan_target_visible). Computed values are read from the cache:
 * call plan_values_ensure first. 0, KC_ERR_NOT_FOUND or KC_ERR_DB. */
int plan_target_eval(struct db *db, int64_t target_id, const char *as_of,
                     struct plan_target_eval *out) KC_MUST_CHECK;
/* The JSON of a target with its evaluation: exactly API.md's contract keys ({"id",
 * "task_code", "indicator": {"code","name","unit"}, "region_code", "baseline_year",
 * "baseline_value", "target_value", "target_year", "current_value", "progress",
 * "projection", "status"}) and, when full, the rest of the record (plan, code, chain,
 * kind, comparator, growth, text, milestones, projection_fit, …). A new object. */
int plan_target_json(struct db *db, int64_t id, const struct plan_target_eval *ev, bool full,
                     json_t **out) KC_MUST_CHECK;
/* For a target split into children (parent_id): {"rule","children","combined",
 * "parent_value","ok"[, "weight_sum"]} — whether the children's targets add up (sum, or
 * weighted by split_weight with weights summing to 1) to at least the parent's (at most
 * for lower-is-better). *out is NULL when it has no children. */
int plan_split_check(struct db *db, int64_t parent_id, json_t **out) KC_MUST_CHECK;

#endif
