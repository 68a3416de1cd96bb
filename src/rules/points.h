/*
 * points.h — the configurable 创新积分 engine (rule family innovation-points,
 * data/rules/innovation-points-2024.json; RULES.md row `innovation-points-2024`).
 *
 * A configuration names: an indicator dictionary entry (a "measure": an enterprise-year
 * field or a ratio / growth rate / change derived from them) for every indicator, the
 * life-cycle stages chosen by revenue bands (初创/成长/稳定 by default), a weight per
 * indicator and stage, how each indicator is scored (piecewise brackets, or the
 * percentile within the cohort region × stage), local add-on indicators, bonus (加分) and
 * negative (负面) items, and the league-table bands (top 5% / 5–10% / 10–20%).
 *
 * Arithmetic is exact: measure values are rationals of 128-bit integers, brackets compare
 * by cross-multiplication, an indicator scores 0–100 in hundredths (score_x100), points
 * are score_x100 × weight in units of 1/10000 point (weights per stage sum to 100, so the
 * indicators give at most 100 points). Percentiles are the mid-rank
 * (2·below + ties − 1) / (2·(n − 1)), truncated to hundredths of a score.
 *
 * Design notes and the file format: src/rules/README.md ("创新积分").
 */
#ifndef KC_RULES_POINTS_H
#define KC_RULES_POINTS_H

#include "rules/rules.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct jw;

#define PTS_MAX_STAGES 6
#define PTS_MAX_GROUPS 8
#define PTS_MAX_INDICATORS 40
#define PTS_MAX_BRACKETS 12
#define PTS_MAX_ADJUST 16 /* bonus items, and negative items, each */
#define PTS_MAX_BANDS 4
#define PTS_ID_MAX 48
#define PTS_LABEL_MAX 200 /* bytes of a label (UTF-8) */

/* How a dictionary measure is computed from the record. */
enum pts_mkind {
    PTS_M_FIELD,  /* a yearly field of the evaluated year */
    PTS_M_RATIO,  /* field / den of the evaluated year */
    PTS_M_GROWTH, /* (v[Y] − v[Y−1]) / v[Y−1] */
    PTS_M_DELTA,  /* v[Y] − v[Y−1] */
    PTS_M_IDENT   /* an identity field (booleans: 1/0) */
};

/* One entry of the indicator dictionary (fixed in points.c, listed by the API). */
struct pts_measure_def {
    const char *id;       /* e.g. "rd_intensity" */
    const char *zh, *en;  /* labels */
    enum pts_mkind kind;  /* how it is computed */
    int16_t field;        /* enum rules_field: the value or numerator */
    int16_t den;          /* RATIO: the denominator field, else -1 */
    enum rules_unit unit; /* unit of thresholds: FEN, PERSONS, COUNT, BOOL or RATIO */
    bool lower_better;    /* default direction for percentiles (资产负债率) */
};

/* The dictionary and its size. */
extern const struct pts_measure_def pts_measures[];
extern const size_t pts_n_measures;
/* Index of a measure by id, or -1. */
int pts_measure_find(const char *id);

/* State of a computed value. */
enum pts_vstate {
    PTS_V_OK = 0,      /* num/den */
    PTS_V_MISSING = 1, /* an input field is missing */
    PTS_V_INF = 2,     /* positive over zero: above every threshold */
    PTS_V_NEG_INF = 3, /* negative over zero: below every threshold */
    PTS_V_NA = 4       /* not applicable: a growth rate from a negative base */
};

/* A measure value: the exact rational num/den (den > 0 when OK). */
struct pts_value {
    __int128 num;  /* numerator */
    __int128 den;  /* denominator */
    uint8_t state; /* enum pts_vstate */
};

/* One bracket row: when value op threshold holds, the indicator scores score. */
struct pts_bracket {
    enum rules_op op;       /* comparison (>=, >, <=, <, ==) */
    struct rules_q value;   /* threshold in the measure's unit */
    char text[32];          /* the threshold as written ("500万元", "4%", "10") */
    bool is_else;           /* the last row: always matches */
    int16_t score;          /* 0–100 */
};

/* How an indicator is scored. */
enum pts_mode { PTS_BRACKETS = 0, PTS_PERCENTILE = 1 };

/* One indicator of the configuration. */
struct pts_indicator {
    char id[PTS_ID_MAX];                        /* id, unique in the configuration */
    char zh[PTS_LABEL_MAX], en[PTS_LABEL_MAX];  /* labels */
    int8_t group;                               /* group index */
    int16_t measure;                            /* index into pts_measures */
    enum pts_mode mode;                         /* brackets or percentile */
    bool lower_better;                          /* PERCENTILE: a lower value ranks higher */
    bool local;                                 /* a local add-on (地方指标) */
    uint8_t weight[PTS_MAX_STAGES];             /* weight per stage (0–100) */
    uint8_t n_brackets;                         /* BRACKETS: rows, best first, last is else */
    struct pts_bracket brackets[PTS_MAX_BRACKETS]; /* the rows */
};

/* A bonus or negative item: when measure op value holds, points are added / deducted. */
struct pts_adjust {
    char id[PTS_ID_MAX];                       /* id */
    char zh[PTS_LABEL_MAX], en[PTS_LABEL_MAX]; /* labels */
    int16_t measure;                           /* index into pts_measures */
    enum rules_op op;                          /* comparison */
    struct rules_q value;                      /* threshold */
    char text[32];                             /* the threshold as written */
    int16_t points;                            /* 1–100 whole points */
};

/* A life-cycle stage; a firm is in the first stage whose band holds its revenue. */
struct pts_stage {
    char id[PTS_ID_MAX];                       /* e.g. "startup" */
    char zh[PTS_LABEL_MAX], en[PTS_LABEL_MAX]; /* labels */
    bool open;                                 /* the last stage: no upper bound */
    int64_t below_fen;                         /* revenue < this (不满) is in the stage */
    char text[32];                             /* the bound as written ("2000万元") */
};

/* A group of indicators (一级指标). */
struct pts_group {
    char id[PTS_ID_MAX];                       /* id */
    char zh[PTS_LABEL_MAX], en[PTS_LABEL_MAX]; /* labels */
};

/* A league-table band: ranks within the top `percent` % (after the previous band). */
struct pts_band {
    char id[PTS_ID_MAX];                       /* e.g. "lead" */
    char zh[PTS_LABEL_MAX], en[PTS_LABEL_MAX]; /* e.g. 创新领跑榜 */
    int16_t percent;                           /* upper edge, inclusive: rank·100 ≤ percent·n */
};

/* Which region a percentile cohort spans (with the stage). */
enum pts_cohort { PTS_COHORT_PREFECTURE = 0, PTS_COHORT_COUNTY = 1 };

/* A parsed, validated configuration (fixed size, no pointers: copy freely). */
struct pts_config {
    char id[PTS_ID_MAX];                             /* "innovation-points-2024" */
    char title_zh[PTS_LABEL_MAX], title_en[PTS_LABEL_MAX]; /* titles */
    char source[1024];                               /* where the structure comes from */
    bool provisional;                                /* results are flagged provisional */
    char provisional_zh[800], provisional_en[800];   /* the reason */
    int16_t stage_field;                             /* money field choosing the stage */
    enum pts_cohort cohort;                          /* percentile cohort region */
    uint8_t n_stages, n_groups, n_indicators, n_bonus, n_negative, n_bands; /* counts */
    int16_t bonus_cap;                               /* max bonus points, or -1 */
    int16_t negative_cap;                            /* max deducted points, or -1 */
    struct pts_stage stages[PTS_MAX_STAGES];         /* ascending revenue bands */
    struct pts_group groups[PTS_MAX_GROUPS];         /* indicator groups */
    struct pts_indicator ind[PTS_MAX_INDICATORS];    /* indicators */
    struct pts_adjust bonus[PTS_MAX_ADJUST];         /* 加分指标 */
    struct pts_adjust negative[PTS_MAX_ADJUST];      /* 负面指标 */
    struct pts_band bands[PTS_MAX_BANDS];            /* league bands, ascending percent */
};

/* Why a configuration was refused: the JSON path of the field and the reason. */
struct pts_error {
    char code[32];   /* snake_case, e.g. "weights_sum" */
    char field[128]; /* JSON path, e.g. "indicators[2].weights.growth" */
    char zh[400];    /* Chinese explanation */
    char en[400];    /* English explanation */
};

/* Parses and validates a configuration from JSON text. Returns 0, or KC_ERR_INVALID with
 * *err naming the field. Allocates nothing that outlives the call. */
int pts_config_parse(const char *json, size_t len, struct pts_config *out,
                     struct pts_error *err) KC_MUST_CHECK;
struct json_t;
/* The same from a jansson object. */
int pts_config_from_json(const struct json_t *root, struct pts_config *out,
                         struct pts_error *err) KC_MUST_CHECK;
/* The shipped configuration (data/rules/innovation-points-2024.json, embedded) as JSON
 * text (not owned; NULL when missing) and parsed; 0 or KC_ERR_INVALID. */
const char *pts_default_json(size_t *len);
int pts_config_default(struct pts_config *out, struct pts_error *err) KC_MUST_CHECK;

/* ---------------------------------------------------------------- evaluation */

/* The result of one indicator. */
struct pts_ind_result {
    struct pts_value v;   /* the measure value */
    int8_t bracket;       /* BRACKETS: the row hit, -1 when the value is missing */
    int32_t below, ties;  /* PERCENTILE: cohort firms ranked strictly worse; firms tied
                             (including this one) */
    int32_t n;            /* PERCENTILE: cohort firms with a value */
    int32_t score_x100;   /* 0–10000 */
    int64_t points;       /* score_x100 × weight (1/10000 point) */
};

/* Status of a bonus / negative item. */
enum pts_astatus { PTS_A_MISS = 0, PTS_A_HIT = 1, PTS_A_UNKNOWN = 2 };

/* One enterprise-year's points. */
struct pts_firm {
    int64_t org_id;                               /* caller's id (ranking tie-break) */
    int32_t year;                                 /* evaluated year */
    int8_t stage;                                 /* stage index, -1 when revenue is missing */
    struct pts_value stage_value;                 /* the revenue that chose the stage */
    struct pts_ind_result ind[PTS_MAX_INDICATORS];/* each indicator */
    uint8_t bonus[PTS_MAX_ADJUST];                /* enum pts_astatus per bonus item */
    uint8_t negative[PTS_MAX_ADJUST];             /* enum pts_astatus per negative item */
    int64_t indicator_points;                     /* Σ indicator points (1/10000) */
    int64_t bonus_points;                         /* bonus after the cap (1/10000) */
    int64_t negative_points;                      /* deduction after the cap, ≥ 0 (1/10000) */
    int64_t total;                                /* indicators + bonus − negative (1/10000) */
    int32_t rank;                                 /* league rank (ties share), 0 = unranked */
    int32_t ranked_n;                             /* firms in the league the rank is among */
    int8_t band;                                  /* league band index, -1 = none */
};

/* Evaluates everything that does not need the cohort: stage, values, bracket scores,
 * bonus and negative items. Percentile indicators score 0 until pts_score_cohort. */
void pts_eval(const struct pts_config *c, const struct rules_record *r, int year,
              struct pts_firm *out);
/* Scores the percentile indicators of one cohort (firms of one stage in one cohort
 * region, each already through pts_eval) and computes every total. */
void pts_score_cohort(const struct pts_config *c, struct pts_firm *const *firms, size_t n);
/* Computes the totals of one firm from its indicator results (pts_score_cohort calls it). */
void pts_total(const struct pts_config *c, struct pts_firm *f);
/* Sorts firms (one league: region × stage) by total, best first (ties by org_id), and
 * sets rank (competition ranking: ties share the best rank), ranked_n and band. */
void pts_rank(const struct pts_config *c, struct pts_firm **firms, size_t n);
/* The band of rank among n (config c), or -1: the first band whose rank·100 ≤ percent·n. */
int pts_band_of(const struct pts_config *c, int32_t rank, int32_t n);
/* Compares two values (missing/NA sort below everything): <0, 0, >0. */
int pts_value_cmp(const struct pts_value *a, const struct pts_value *b);
/* Computes dictionary measure m for record r in year. */
void pts_measure_value(int m, const struct rules_record *r, int year, struct pts_value *out);

/* ---------------------------------------------------------------- output */

/* Formats points (1/10000) as a decimal with up to 4 decimals ("12.5", "-3", "0.0125"). */
void pts_fmt_points(char *out, size_t cap, int64_t points);
/* Writes points (1/10000) as an exact JSON number. */
void pts_write_points(struct jw *w, int64_t points);
/* Formats a measure value for display (unit-aware: ¥, %, persons). */
void pts_fmt_value(char *out, size_t cap, int m, const struct pts_value *v);
/* Writes the breakdown object of one firm: stage, totals, every indicator (value,
 * bracket or percentile, score, weight, points), bonus and negative items. */
void pts_write_firm(struct jw *w, const struct pts_config *c, const struct pts_firm *f);
/* Writes the configuration as JSON (the file format; re-parses to the same config). */
void pts_write_config(struct jw *w, const struct pts_config *c);

#endif
