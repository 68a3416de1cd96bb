/*
 * plan_data.h — the seed plans shipped as data (the JSON files of data/plans/, schema
 * in data/plans/README.md): loading, validation and lookups. No database.
 *
 * A loaded plan keeps its parsed JSON document alive and every string below points into
 * it, so a plan's strings live exactly as long as the plan. Arrays are allocated once at
 * their final size: pointers between records (target → task, target → indicator) stay
 * valid until plan_data_free.
 */
#ifndef KC_DOMAIN_PLAN_DATA_H
#define KC_DOMAIN_PLAN_DATA_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "core/asset.h"
#include "core/err.h"

/* Where the plan files live inside the embedded data table. */
#define PLAN_DATA_PREFIX "data/plans/"

/* Lifecycle of a plan as shipped. */
enum plan_data_status {
    PLAN_DATA_STATUS_DRAFT,  /* "draft": a draft for comment, tracked provisionally */
    PLAN_DATA_STATUS_ACTIVE, /* "active": in force and tracked */
    PLAN_DATA_STATUS_CLOSED  /* "closed": period over, kept for history */
};

/* What kind of text the seed is. */
enum plan_data_doc_kind {
    PLAN_DATA_DOC_OFFICIAL, /* "official_document": an issued government document */
    PLAN_DATA_DOC_DRAFT,    /* "draft_for_comment": 意见征求稿 */
    PLAN_DATA_DOC_ARTICLE,  /* "signed_article": an article signed by an official */
    PLAN_DATA_DOC_NEWS      /* "news_report": a press report of a meeting */
};

/* Which section of the document a task comes from. */
enum plan_data_task_kind {
    PLAN_DATA_TASK_GOAL,     /* "goal": 工作目标 / 发展目标 / 主要目标 */
    PLAN_DATA_TASK_TASK,     /* "task": 重点任务 / 建设重点 */
    PLAN_DATA_TASK_SAFEGUARD /* "safeguard": 保障措施 */
};

/* Which way is better for an indicator. */
enum plan_data_direction {
    PLAN_DATA_HIGHER, /* "higher" */
    PLAN_DATA_LOWER   /* "lower" */
};

/* How an indicator's value is obtained. */
enum plan_data_ind_kind {
    PLAN_DATA_COMPUTED, /* "computed": from platform records by a named formula */
    PLAN_DATA_REPORTED  /* "reported": submitted with evidence, then verified */
};

/* What an indicator's yearly value measures. */
enum plan_data_measure {
    PLAN_DATA_STOCK, /* "stock": a level on a date (count of valid certificates) */
    PLAN_DATA_FLOW,  /* "flow": a total over the year (contracts registered) */
    PLAN_DATA_RATE   /* "rate": a ratio or per-capita figure */
};

/* Over what an indicator is computed. */
enum plan_data_scope {
    PLAN_DATA_SCOPE_REGION, /* "region": the target's region */
    PLAN_DATA_SCOPE_CHAIN   /* "chain": the target's industry chain within its region */
};

/* Shape of a target. */
enum plan_data_target_kind {
    PLAN_DATA_TARGET_VALUE,   /* "value": the indicator compared with target_value */
    PLAN_DATA_TARGET_GROWTH,  /* "growth": the indicator's growth rate compared with rate_pct */
    PLAN_DATA_TARGET_RELATIVE /* "relative": the indicator compared with another one */
};

/* What value a "value" target looks at. */
enum plan_data_basis {
    PLAN_DATA_BASIS_NONE,      /* growth and relative targets */
    PLAN_DATA_BASIS_LEVEL,     /* "level": the value in (or at the end of) the year */
    PLAN_DATA_BASIS_ANNUAL,    /* "annual": the flow within the year */
    PLAN_DATA_BASIS_CUMULATIVE /* "cumulative": the flow summed from cumulative_from */
};

/* How a value is compared with the target. */
enum plan_data_cmp {
    PLAN_DATA_CMP_GE,      /* ">=": 以上, 达到, 不少于, a bare count */
    PLAN_DATA_CMP_GT,      /* ">": 超过, 超, 突破, 快于 */
    PLAN_DATA_CMP_LE,      /* "<=": 清零 (<= 0), 前N位 */
    PLAN_DATA_CMP_LT,      /* "<" */
    PLAN_DATA_CMP_EQ,      /* "=": a stated value (observations) */
    PLAN_DATA_CMP_BETWEEN, /* "between": target_value ≤ v ≤ target_value_max */
    PLAN_DATA_CMP_ABOUT    /* "about": 左右, approximately target_value */
};

/* How a growth rate is measured. */
enum plan_data_growth_mode {
    PLAN_DATA_GROWTH_YOY,  /* "yoy": target_year over base_year = target_year - 1 */
    PLAN_DATA_GROWTH_CAGR, /* "cagr": average yearly growth (年均) from base_year */
    PLAN_DATA_GROWTH_TOTAL /* "total": growth from base_year to target_year (倍增 = 100) */
};

/* A responsible unit (责任单位) the plan names. */
struct plan_data_unit {
    const char *code; /* ASCII key, unique in the plan */
    const char *name; /* the document's name for it, e.g. 市科技局 */
    const char *kind; /* department, government, zone, committee, … (free text) */
    bool collective;  /* stands for every county-level unit (各县(市、区)政府) */
    const char *note; /* remark, or NULL */
};

/* A task (重点任务), goal section or safeguard measure. */
struct plan_data_task {
    const char *code;                    /* "T1", "T2.3", "G", "S1"; unique in the plan */
    enum plan_data_task_kind kind;       /* goal, task or safeguard */
    const struct plan_data_task *parent; /* enclosing task, or NULL */
    const char *title;                   /* heading */
    const char *description;             /* the document's wording, verbatim */
    const struct plan_data_unit *lead;   /* lead unit, or NULL when none is named */
    const struct plan_data_unit **units; /* responsible units (lead first) */
    size_t n_units;                      /* their count */
    const char *deadline;                /* "YYYY-MM-DD", or NULL when none is stated */
    const char *note;                    /* remark, or NULL */
};

/* An indicator the plan's targets use. */
struct plan_data_indicator {
    const char *code;                   /* stable ASCII key, same meaning in every plan */
    const char *name;                   /* Chinese name */
    const char *unit;                   /* 家, 亿元, %, 项, 件/万人, … */
    enum plan_data_direction direction; /* which way is better */
    enum plan_data_measure measure;     /* stock, flow or rate */
    enum plan_data_scope scope;         /* region or chain */
    enum plan_data_ind_kind kind;       /* computed or reported */
    const char *formula;                /* computed: formula id (README), else NULL */
    const json_t *params;               /* computed: formula parameters (object), else NULL */
    const char *source;                 /* reported: who reports it, else NULL */
    const char *definition;             /* one-line definition */
    const char *note;                   /* remark, or NULL */
};

/* A dated value quoted from the document (baseline, milestone, observation). */
struct plan_data_point {
    int year;               /* the year */
    enum plan_data_cmp cmp; /* "=" for a plain value; ">" for 突破 …; a milestone's test */
    double value;           /* in the indicator's unit */
    const char *text;       /* the sentence it comes from, verbatim, or NULL */
};

/* One numeric target. */
struct plan_data_target {
    const char *code;                              /* unique in the plan */
    const struct plan_data_task *task;             /* the task it belongs to */
    const struct plan_data_indicator *indicator;   /* what is measured */
    const char *region;                            /* GB/T 2260 code */
    const char *chain;                             /* chain code (data/chains.csv) or NULL */
    enum plan_data_target_kind kind;               /* value, growth or relative */
    enum plan_data_basis basis;                    /* value targets only */
    int cumulative_from;                           /* first year summed (cumulative), else 0 */
    int each_year_from;                            /* repeats yearly from this year on, or 0 */
    enum plan_data_cmp cmp;                        /* comparator */
    double target_value;                           /* value targets */
    double target_value_max;                       /* "between" only */
    bool has_stretch;                              /* a stretch value (力争 …) is stated */
    double stretch_value;                          /* that value */
    enum plan_data_growth_mode growth_mode;        /* growth targets */
    double rate_pct;                               /* growth targets: rate in % */
    int base_year;                                 /* growth targets: base year */
    const struct plan_data_indicator *relative_to; /* relative targets: the other indicator */
    int target_year;                               /* the year it is due */
    const char *target_date;                       /* "YYYY-MM-DD" when finer than the year */
    bool has_baseline;                             /* a baseline is stated */
    struct plan_data_point baseline;               /* that baseline */
    struct plan_data_point *milestones;            /* yearly milestones, ascending */
    size_t n_milestones;                           /* their count */
    const char *qualifier;                         /* 力争, 冲刺, 争取, 确保, or NULL */
    const char *text;                              /* the sentence it comes from, verbatim */
    const char *note;                              /* reading of an ambiguity, or NULL */
};

/* A value the document states for a past year with no target attached. */
struct plan_data_observation {
    const struct plan_data_indicator *indicator; /* what */
    const char *region;                          /* where (GB/T 2260) */
    struct plan_data_point point;                /* when, how much, quoted from */
    const char *note;                            /* remark, or NULL */
};

/* A per-record rule (a floor area per carrier level, a threshold for a policy). */
struct plan_data_requirement {
    const char *code;                  /* unique in the plan */
    const struct plan_data_task *task; /* the task it belongs to */
    const char *subject;               /* what it applies to, e.g. 产业创新服务综合体 */
    const char *level;                 /* county, city, province, or NULL */
    const char *attribute;             /* ASCII name of the attribute, e.g. floor_area */
    enum plan_data_cmp cmp;            /* comparator */
    double value;                      /* threshold */
    const char *unit;                  /* 平方米, %, … */
    const char *effect;                /* what meeting it brings, or NULL */
    const char *text;                  /* the sentence, verbatim */
    const char *note;                  /* remark, or NULL */
};

/* One plan file. */
struct plan_data_plan {
    const char *file;                       /* asset path, e.g. data/plans/001-yangzhou-2024.json */
    const char *code;                       /* unique across plans */
    const char *title;                      /* title */
    const char *issuing_region;             /* GB/T 2260 code of the issuing city */
    const char *issuer;                     /* issuing body, or NULL when the text names none */
    const char **co_issuers;                /* joint issuers */
    size_t n_co_issuers;                    /* their count */
    const char *doc_no;                     /* document number, or NULL */
    enum plan_data_doc_kind doc_kind;       /* what kind of text */
    const char *issued_on;                  /* "YYYY-MM-DD" or NULL */
    const char *period_start;               /* "YYYY-MM-DD" or NULL when not stated */
    const char *period_end;                 /* "YYYY-MM-DD" */
    enum plan_data_status status;           /* lifecycle */
    const char *source;                     /* seed file name */
    bool source_traditional;                /* the seed is in traditional characters */
    const char *source_text;                /* short verbatim excerpt (heading) */
    const char *note;                       /* remark, or NULL */
    struct plan_data_unit *units;           /* responsible units */
    size_t n_units;                         /* their count */
    struct plan_data_task *tasks;           /* tasks, parents before children */
    size_t n_tasks;                         /* their count */
    struct plan_data_indicator *indicators; /* indicators */
    size_t n_indicators;                    /* their count */
    struct plan_data_target *targets;       /* targets */
    size_t n_targets;                       /* their count */
    struct plan_data_observation *observations; /* stated past values */
    size_t n_observations;                      /* their count */
    struct plan_data_requirement *requirements; /* per-record rules */
    size_t n_requirements;                      /* their count */
    json_t *root;                               /* the parsed document; owns every string above */
    char *file_owned;                           /* copy of file; owned */
};

/* Every plan file. */
struct plan_set {
    struct plan_data_plan **plans; /* in asset-path order; owned */
    size_t n_plans;                /* their count */
};

/* Parses and validates one plan document text[0..len) named file (used in messages).
 * Region and chain codes are checked against the embedded data/regions.csv and
 * data/chains.csv. On success stores a new plan in *out (free with
 * plan_data_plan_free) and returns 0; otherwise writes the errors, one per line as
 * "file: $.json.path: message", into err (truncated to errlen) and returns
 * KC_ERR_INVALID. */
KC_MUST_CHECK int plan_data_parse(const char *file, const char *text, size_t len,
                                  struct plan_data_plan **out, char *err, size_t errlen);
/* Frees a plan from plan_data_parse; NULL is allowed. */
void plan_data_plan_free(struct plan_data_plan *p);

/* Loads every PLAN_DATA_PREFIX*.json of the table tab[0..n) and validates each plan and
 * the set (plan codes unique; an indicator code means the same in every plan). On
 * success stores a new set in *out (free with plan_data_free) and returns 0; otherwise
 * writes the errors into err as plan_data_parse does and returns KC_ERR_INVALID. */
KC_MUST_CHECK int plan_data_load_assets(const struct asset *tab, size_t n, struct plan_set **out,
                                        char *err, size_t errlen);
/* plan_data_load_assets on the embedded data table; errors are also logged. */
KC_MUST_CHECK int plan_data_load_all(struct plan_set **out);
/* Frees a set and its plans; NULL is allowed. */
void plan_data_free(struct plan_set *set);

/* The plan with this code, or NULL. */
const struct plan_data_plan *plan_data_find_plan(const struct plan_set *set, const char *code);
/* The first plan's definition of an indicator code, or NULL. */
const struct plan_data_indicator *plan_data_find_indicator_any(const struct plan_set *set,
                                                               const char *code);
/* Lookups by code inside one plan; NULL when absent. */
const struct plan_data_unit *plan_data_find_unit(const struct plan_data_plan *p, const char *code);
/* The task with this code, or NULL. */
const struct plan_data_task *plan_data_find_task(const struct plan_data_plan *p, const char *code);
/* The indicator with this code, or NULL. */
const struct plan_data_indicator *plan_data_find_indicator(const struct plan_data_plan *p,
                                                           const char *code);
/* The target with this code, or NULL. */
const struct plan_data_target *plan_data_find_target(const struct plan_data_plan *p,
                                                     const char *code);
/* The requirement with this code, or NULL. */
const struct plan_data_requirement *plan_data_find_requirement(const struct plan_data_plan *p,
                                                               const char *code);
/* The first target of plan p on indicator code in region (NULL: any region) after
 * *from (NULL: from the start); NULL when there is none. Iterate by passing the last
 * result back. */
const struct plan_data_target *plan_data_next_target(const struct plan_data_plan *p,
                                                     const char *indicator, const char *region,
                                                     const struct plan_data_target *from);
/* The JSON spelling of a comparator (">=", "between", …). */
const char *plan_data_cmp_name(enum plan_data_cmp c);
/* True when the formula id is one of the documented computed formulas. */
bool plan_data_formula_known(const char *formula);

#endif
