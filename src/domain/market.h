/*
 * market.h — rules of the technology market (no I/O): the code lists of demands,
 * achievements and experts, the demand quality gate and life cycle, patent numbers of
 * an achievement, and the structured matching signals with their weights.
 *
 * Demand life cycle: draft → published → matched → closed; published → closed and
 * matched → published (a deal fell through) are allowed; nothing leaves closed.
 * Publishing passes the quality gate: the problem (≥ 10 characters), at least one
 * complete indicator (name and target), a budget (min or max) and a cooperation mode.
 *
 * Matching signals (supply side = achievement, institution or expert; demand side = the
 * demand): each fires with a strength in 0..1 and contributes
 * weight × strength × (candidate's text score + best text score) / 2, so signals reorder
 * close text matches but cannot lift a text-unrelated record (text score 0 gets no
 * candidate slot in the first place). Weights are judgments (no labelled data for
 * them, src/search/README.md).
 */
#ifndef KC_DOMAIN_MARKET_H
#define KC_DOMAIN_MARKET_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

/* Code lists, each ended by NULL. */
extern const char *const market_ach_kinds[]; /* 发明专利 实用新型 软件著作权 新品种 技术秘密 其他 */
extern const char *const market_transfer_modes[]; /* 转让 许可 作价入股 先用后转 合作开发 */
extern const char
    *const market_coop_modes[]; /* 委托开发 合作开发 技术转让 技术许可 技术服务 揭榜挂帅 */
extern const char *const market_fields[]; /* the 8 国家重点支持的高新技术领域 */
extern const char *const market_confidentiality[]; /* public members brokers_only */
extern const char *const market_demand_status[];   /* draft published matched closed */
extern const char *const market_ach_status[];      /* draft published withdrawn */

/* Index of v in list, or -1 (also for NULL). */
int market_index(const char *const *list, const char *v);
/* Bit i set for each element of the JSON array arr that is list[i]; unknown values
 * are ignored. */
unsigned market_mask(const char *const *list, json_t *arr);
/* Checks that every element of arr is a string of list without repeats; returns the
 * index of the first bad element, or -1 when all are good. */
int market_list_check(const char *const *list, json_t *arr);

/* A problem with a record: the field (JSON key, "patent_numbers[2]" for an element)
 * and the error code (api/msg_market.c). */
struct market_problem {
    char field[48];   /* JSON key or key[index] */
    const char *code; /* error code */
};

/* Checks an achievement's patent numbers (JSON array of strings) for its kind: each
 * must pass the ZC 0006-2003 check (invalid_patent_number), its type digit must fit an
 * invention (1, 8) or utility-model (2, 9) kind (patent_kind_mismatch), and a patent
 * kind needs at least one number (required). Replaces the elements by their normalised
 * forms in place. Returns true when valid; else fills *p. */
bool market_patents_check(const char *kind, json_t *numbers, struct market_problem *p);

/* Self-contained checks of a complete record (API keys; the JSON types were checked by
 * the caller). References to other tables (organisations, chains) are the caller's.
 * Each returns true when valid, else fills *p with the first problem.
 *   achievement: kind, field, status in their lists; trl 1..9; transfer_modes a subset
 *     without repeats; prices ≥ 0 and max ≥ min; deal_count ≥ 0; ≤ 50 keywords; patent
 *     numbers (market_patents_check, normalised in place).
 *   demand: coop_modes a subset; field and confidentiality in their lists; budgets ≥ 0
 *     and max ≥ min; deadline a valid YYYY-MM-DD date; ≤ 30 indicators, each an object
 *     with string name (≤ 100), target (≤ 100) and optional unit (≤ 20) and nothing
 *     else; ≤ 30 keywords.
 *   expert: ≤ 20 fields, ≤ 50 keywords, email and phone shapes. */
bool market_ach_check(json_t *a, struct market_problem *p);
bool market_demand_check(json_t *d, struct market_problem *p);
bool market_expert_check(json_t *e, struct market_problem *p);

/* The demand quality gate: completeness score 0..100 (weights: title 10, problem 20,
 * indicators 20, budget 15, cooperation mode 10, existing 5, deadline 5, chain 5,
 * field 5, keywords 5) and what is missing, in that order. */
#define MARKET_MAX_MISSING 10
struct demand_quality {
    int score;                               /* 0..100 */
    int n_missing;                           /* fields missing or too thin */
    const char *missing[MARKET_MAX_MISSING]; /* their JSON keys */
    int n_gate;                              /* of those, the ones that block publishing */
    const char *gate[MARKET_MAX_MISSING];    /* their JSON keys */
};
/* Computes the quality of demand d (API keys; indicators an array of objects). */
void demand_quality(json_t *d, struct demand_quality *q);
/* True when a demand may go from status `from` to `to`. */
bool demand_transition_ok(const char *from, const char *to);
/* True when a demand with confidentiality conf and status may be shown to anonymous
 * visitors. */
bool demand_is_public(const char *status, const char *conf);

/* The matching signals. */
enum market_signal {
    SIG_CHAIN = 0, /* same industry chain (code or name) */
    SIG_FIELD,     /* same technology field, or same discipline */
    SIG_TRL,       /* the achievement's TRL suits the demand's cooperation modes */
    SIG_MODE,      /* a transfer mode fits a cooperation mode */
    SIG_REGION,    /* same county (1), city (0.6) or province (0.3) */
    SIG_TRACK,     /* track record: log2(1 + deals) / 3, at most 1; deals = the owner's
                      registered technology contracts as seller (contracts table), plus
                      the transactions declared on the achievement (deal_count) */
    SIG_N
};
/* The signals' names in the API ("chain", "field", "trl", "mode", "region",
 * "track_record") and weights. */
extern const char *const market_signal_names[SIG_N];
extern const double market_signal_weights[SIG_N];

/* What a record brings to matching. Strings may be NULL (unknown). */
struct market_attrs {
    const char *chain;       /* chain code */
    const char *chain_name;  /* chain name (chains of different cities share names) */
    const char *field;       /* technology field */
    const char *discipline;  /* academic discipline */
    const char *region_code; /* six digits */
    unsigned modes;          /* demand: coop mode bits; supply: transfer mode bits */
    int trl;                 /* achievement TRL 1..9, 0 unknown */
    int64_t deals;           /* supply side: track record (see SIG_TRACK) */
    int64_t org_id;          /* owner / demanding organisation */
};

/* Strength 0..1 of each signal between demand d and supply s (the trl and mode
 * signals need supply-side TRL and modes; pass trl 0 and modes 0 to skip them). */
void market_signals(const struct market_attrs *d, const struct market_attrs *s,
                    double strength[SIG_N]);
/* Region proximity: 3 same county, 2 same prefecture, 1 same province, 0 none. */
int market_region_level(const char *a, const char *b);
/* The TRL range [lo, hi] wanted by a demand's cooperation modes (the widest over its
 * modes); 1..9 when no mode is given. */
void market_trl_range(unsigned coop_modes, int *lo, int *hi);

#endif
