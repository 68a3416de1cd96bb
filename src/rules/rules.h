/*
 * rules.h — the rule engine: versioned rule sets (data/rules/<id>.json) evaluated against
 * one enterprise record with exact integer arithmetic, and the gap analysis.
 *
 * Life cycle: rules_registry_load_embedded() parses and validates every embedded rule
 * set once at start (a malformed one is an error, never skipped). rules_evaluate() then
 * evaluates a pre-parsed set against a pre-parsed record with no allocation, no JSON and
 * no floating point (the hot path: ≥ 1,000,000 evaluations a second per core).
 * rules_gaps() (not on the hot path) says what a failing enterprise-year lacks, and
 * rules_write_result() writes the `assess` JSON object of API.md.
 *
 * Design notes and the rule-set file format: src/rules/README.md.
 */
#ifndef KC_RULES_H
#define KC_RULES_H

#include "core/err.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct jw;

/* ---------------------------------------------------------------- fields */

/* Every input the rules can use. Yearly fields (in `years[]`) come first, then the
 * derived yearly fields, then the identity fields of the enterprise record (API.md),
 * then the extension fields this engine accepts beyond API.md (README.md lists them). */
enum rules_field {
    RULES_F_EMPLOYEES,             /* 职工总数, persons */
    RULES_F_TECH_STAFF,            /* 科技人员数, persons */
    RULES_F_RD_STAFF,              /* 研发人员数, persons */
    RULES_F_SALES_REVENUE,         /* 销售收入, 分 */
    RULES_F_MAIN_BUSINESS_REVENUE, /* 主营业务收入, 分 */
    RULES_F_OPERATING_REVENUE,     /* 营业收入, 分 */
    RULES_F_TOTAL_INCOME,          /* 总收入, 分 */
    RULES_F_HIGHTECH_REVENUE,      /* 高新技术产品(服务)收入, 分 */
    RULES_F_RD_EXPENSE,            /* 研发费用总额, 分 */
    RULES_F_RD_EXPENSE_DOMESTIC,   /* 境内研发费用, 分 */
    RULES_F_COST_EXPENSE_TOTAL,    /* 成本费用支出总额, 分 */
    RULES_F_TOTAL_ASSETS,          /* 资产总额, 分 */
    RULES_F_TOTAL_LIABILITIES,     /* 负债总额, 分 */
    RULES_F_NET_PROFIT,            /* 净利润, 分 (may be negative) */
    RULES_F_IP_CLASS1,             /* Ⅰ类知识产权, count */
    RULES_F_IP_CLASS1_SELF,        /* of which 自主研发, count */
    RULES_F_IP_CLASS1_HIGH,        /* of which 高价值, count */
    RULES_F_IP_CLASS2,             /* Ⅱ类知识产权, count */
    RULES_F_CONVERSIONS,           /* 科技成果转化 in the year, count */
    RULES_F_EQUITY_FINANCING,      /* 新增股权融资, 分 */
    RULES_F_SRDI_QUALITY_SCORE, /* extension: 专精特新发展(质量)评价得分, points ×100 */
    RULES_N_STORED_YEARLY,      /* count of yearly fields stored in a year record */
    RULES_F_NET_ASSETS = RULES_N_STORED_YEARLY, /* derived: 资产总额 − 负债总额, 分 */
    RULES_F_IP_TOTAL,                           /* derived: Ⅰ类 + Ⅱ类, count */
    RULES_N_YEARLY,                             /* end of the yearly fields */
    RULES_F_HAS_VALID_HNTE = RULES_N_YEARLY,    /* identity booleans (1/0) … */
    RULES_F_NATIONAL_AWARD_TOP3_5Y,
    RULES_F_PROVINCIAL_AWARD_TOP3_3Y,
    RULES_F_SCI_AWARD_3Y,
    RULES_F_PROVINCIAL_RD_INSTITUTION,
    RULES_F_LED_STANDARD_5Y,
    RULES_F_NO_MAJOR_INCIDENT,
    RULES_F_NOT_ON_ABNORMAL_LIST,
    RULES_F_NOT_RESTRICTED_INDUSTRY,
    RULES_F_STRATEGIC_EMERGING,
    RULES_F_NICHE_YEARS,    /* 从事特定细分市场年限, years ×100 */
    RULES_F_REGISTERED_ON,  /* registration date, days since 1970-01-01 */
    RULES_F_HIGHTECH_FIELD, /* 1 = one of the 8 领域, 0 = null */
    RULES_F_MAINLAND,       /* derived from region_code: 1 = mainland (not 71/81/82) */
    RULES_F_HAS_IP_TITLE, /* extension: 技术创新示范/知识产权优势或示范企业 title */
    RULES_F_NATIONAL_AWARD_TOP5_3Y, /* extension: 近三年国家级科技奖励前五名 */
    RULES_F_MAKER_CHINA_TOP500_3Y,  /* extension: 近三年"创客中国"全国500强 */
    RULES_F_CHAIN_ROLE, /* extension: 2 补短板/锻长板/填空白, 1 六基/老字号/龙头, 0 other */
    RULES_F_DIGITAL_LEVEL,        /* extension: 数字化水平 level 0..3 */
    RULES_F_QUALITY_ITEMS,        /* extension: 质量管理 items held, 0..4 */
    RULES_F_RD_INSTITUTION_LEVEL, /* extension: 4 国家级 3 省级 2 市级 1 市级以下 0 none */
    RULES_F_SRDI_LOCAL_SCORE,     /* extension: 特色化指标得分, points ×100 */
    RULES_F_HAS_VALID_TECH_INNOV_SME, /* extension: valid 科技和创新型中小企业 title */
    RULES_N_FIELDS
};

/* Measurement unit of a field or measure; thresholds are written in it. */
enum rules_unit {
    RULES_U_FEN,     /* money in 分 (thresholds as "100万元", "2亿元", "1.5元") */
    RULES_U_PERSONS, /* persons */
    RULES_U_COUNT,   /* items (IP rights, conversions, levels) */
    RULES_U_BOOL,    /* 1 or 0 */
    RULES_U_DAYS,    /* calendar days */
    RULES_U_X100,    /* a number stored ×100 (years, points) */
    RULES_U_RATIO,   /* a ratio (thresholds as "4%") */
    RULES_U_PER_YEAR /* an annual average of a count */
};

/* What is known about one field. */
struct rules_field_info {
    const char *name;      /* JSON member name */
    const char *zh;        /* Chinese label */
    const char *en;        /* English label */
    enum rules_unit unit;  /* unit of the stored integer */
    bool negative_ok;      /* may be below zero */
    bool extension;        /* accepted beyond API.md's table */
    int parent[2];         /* fields that contain this one (a rise here rises there), or -1 */
    int lever;             /* the field gap analysis moves for this one (itself, a component
                              of a derived field, or -1: not a lever) */
    int64_t unit_cost_fen; /* default cost of one unit for ranking gap options */
};

/* The field table, indexed by enum rules_field. */
extern const struct rules_field_info rules_fields[RULES_N_FIELDS];
/* Finds a field by JSON name; -1 when unknown. */
int rules_field_find(const char *name);
/* 1 when field a contains field b (directly or through parents), e.g. employees ⊇ tech_staff. */
int rules_field_contains(int a, int b);

/* ---------------------------------------------------------------- records */

#define RULES_MAX_YEARS 32 /* yearly records one enterprise may carry */

/* One yearly record (API.md's table). */
struct rules_year {
    int32_t year;                     /* calendar / fiscal year */
    uint32_t present;                 /* bit f set when field f was given */
    int64_t v[RULES_N_STORED_YEARLY]; /* values; meaningful only where present */
};

/* One enterprise record. Strings and the years array belong to the caller. */
struct rules_record {
    const char *uscc;    /* 统一社会信用代码 as given (may be NULL) */
    const char *name;    /* enterprise name as given (may be NULL) */
    uint64_t id_present; /* bit (f − RULES_N_YEARLY) set when identity field f was given */
    int64_t id[RULES_N_FIELDS - RULES_N_YEARLY]; /* identity values by (f − RULES_N_YEARLY) */
    int n_years;                                 /* number of yearly records */
    const struct rules_year *years;              /* sorted by year ascending, no duplicates */
};

/* Where a record failed to parse. */
struct rules_parse_error {
    char code[32];     /* snake_case code, e.g. "invalid_field" */
    char field[64];    /* the member, e.g. "years[2].employees", or "" */
    char message[200]; /* English explanation */
};

struct json_t;
/* Parses one enterprise record from a jansson object into *out, storing the yearly
 * records in years[0..cap) (sorted by year). Unknown members are ignored; a null or
 * absent member is "not given" (missing, never zero). Returns 0, or KC_ERR_INVALID with
 * *err filled. Pointers in *out point into obj (keep it alive). Allocates nothing. */
int rules_record_parse(const struct json_t *obj, struct rules_record *out, struct rules_year *years,
                       int cap, struct rules_parse_error *err) KC_MUST_CHECK;
/* The latest year in the record, or 0 when it has none. */
int rules_record_latest_year(const struct rules_record *r);
/* Days since 1970-01-01 of a proleptic Gregorian date (m 1-12, d 1-31). */
int64_t rules_days_from_civil(int64_t y, unsigned m, unsigned d);
/* The calendar year a day number (days since 1970-01-01) falls in. */
int rules_year_of_days(int64_t days);
/* Parses a strict "YYYY-MM-DD" (a real calendar date, years 1900–2199) into days since
 * 1970-01-01; 0 or -1. */
int rules_parse_date(const char *s, int64_t *out);

/* ---------------------------------------------------------------- rule sets */

#define RULES_ID_MAX 48
#define RULES_MAX_MEASURES 64
#define RULES_MAX_TESTS 192
#define RULES_MAX_CONDITIONS 32
#define RULES_MAX_ITEMS 32
#define RULES_MAX_ALTS 48
#define RULES_MAX_BRACKETS 256
#define RULES_MAX_GROUPS 8
#define RULES_MAX_NOTES 64
#define RULES_MAX_NODES 64
#define RULES_MAX_BANDS 8
#define RULES_MAX_BAND_ROWS 8
#define RULES_MAX_WINDOW 5 /* longest year window a measure may use */

/* Comparison of a measure with a threshold. */
enum rules_op { RULES_OP_GE, RULES_OP_GT, RULES_OP_LE, RULES_OP_LT, RULES_OP_EQ };

/* An exact rational threshold num/den (den > 0). */
struct rules_q {
    int64_t num; /* numerator */
    int64_t den; /* denominator, > 0 */
};

/* How a measure is computed. */
enum rules_mkind {
    RULES_M_FIELD,      /* a field of the year (offset) or an identity field */
    RULES_M_SUM,        /* sum of a yearly field over a window of years */
    RULES_M_AVG,        /* that sum divided by the number of years used */
    RULES_M_RATIO,      /* sum(num) / sum(den) over a window */
    RULES_M_GROWTH,     /* one-year growth: (v[t] − v[t−1]) / v[t−1] */
    RULES_M_GROWTH_AVG, /* ½(v2/v1 + v3/v2) − 1 over three years */
    RULES_M_DAYS_SINCE  /* days from a date field to the assessment date */
};

/* Flags a measure evaluation can raise (each may map to a provisional note). */
enum rules_mflag {
    RULES_MF_SHORT = 1,       /* the window was shortened to the operating period */
    RULES_MF_FIRST_ZERO = 2,  /* growth: first year 0, last two years used */
    RULES_MF_SECOND_ZERO = 4, /* growth: second year 0, indicator scores 0 */
    RULES_MF_NEGATIVE = 8,    /* growth: a negative base value, formula applied as written */
    RULES_MF_ZERO_DEN = 16,   /* a ratio or growth with a zero denominator (see README) */
    RULES_MF_ONE_YEAR = 32,   /* growth: only one year of operation, indicator scores 0 */
    RULES_N_MFLAGS = 6
};

/* A quantity computed from the record. */
struct rules_measure {
    char id[RULES_ID_MAX]; /* id used by tests in the file */
    char *zh, *en;         /* labels (owned) */
    enum rules_mkind kind; /* how it is computed */
    int16_t field;         /* the field (RATIO: the numerator) */
    int16_t den;           /* RATIO: the denominator field, else -1 */
    int8_t offset;         /* last year of the window relative to the evaluated year (≤ 0) */
    uint8_t years;         /* window length in years (≥ 1) */
    bool operating;        /* shorten the window to the years since registration */
    bool no_lever;         /* gap analysis must not move this measure */
    enum rules_unit unit;  /* unit of the value and of its thresholds */
    int8_t flag_note[RULES_N_MFLAGS]; /* provisional note raised by each flag, or -1 */
};

/* One comparison "measure op threshold"; the threshold may come from a band table. */
struct rules_test {
    uint8_t measure;      /* index into measures */
    enum rules_op op;     /* comparison */
    struct rules_q value; /* threshold (unused when band ≥ 0) */
    int8_t band;          /* band table choosing the threshold, or -1 */
};

/* One row of a band table: when the band measure satisfies (op, value), use threshold. */
struct rules_band_row {
    enum rules_op op;         /* comparison of the band measure */
    struct rules_q value;     /* bound */
    bool is_else;             /* the last row: always matches */
    struct rules_q threshold; /* the threshold this row selects */
};

/* A threshold chosen by another measure (HNTE: R&D ratio by latest sales revenue). */
struct rules_band {
    uint8_t measure;                                 /* the measure that chooses */
    uint8_t n_rows;                                  /* rows in order; first match wins */
    struct rules_band_row rows[RULES_MAX_BAND_ROWS]; /* the rows */
};

/* A bracket of a scored item: the first bracket whose tests hold gives the points. */
struct rules_bracket {
    uint16_t first_test, n_tests; /* tests (indices into tests) */
    bool any;                     /* any test suffices (else all must hold) */
    bool is_else;                 /* no tests: always matches */
    int16_t lo, hi;               /* points; lo < hi means an expert range */
    char *zh, *en;                /* label (owned) */
    int8_t note;                  /* provisional note raised when this bracket is hit, or -1 */
};

/* One way to score an item (tsme 研发投入 has two; the better one counts). */
struct rules_alt {
    char id[RULES_ID_MAX];              /* id, reported as "alternative" */
    char *zh, *en;                      /* label (owned) */
    uint16_t first_bracket, n_brackets; /* brackets, best first */
    int8_t note;                        /* provisional note raised when this one is used, or -1 */
};

/* How an item is scored. */
enum rules_ikind {
    RULES_I_BRACKETS, /* bracket tables (one or more alternatives) */
    RULES_I_INPUT     /* points given as an input field (×100), clamped to [0, max] */
};

/* A scored item. */
struct rules_item {
    char id[RULES_ID_MAX];     /* id */
    char *zh, *en;             /* label (owned) */
    enum rules_ikind kind;     /* how it is scored */
    int8_t group;              /* group index, or -1 */
    int16_t max;               /* the item's maximum points */
    uint8_t first_alt, n_alts; /* alternatives (BRACKETS) */
    uint8_t measure;           /* INPUT: the measure giving the points */
    int8_t note;               /* provisional note always raised, or -1 */
};

/* A group of items (a 一级指标) with an optional cap. */
struct rules_group {
    char id[RULES_ID_MAX]; /* id */
    char *zh, *en;         /* label (owned) */
    int16_t cap;           /* the group total is capped at this, or −1 */
};

/* How a condition is decided. */
enum rules_ckind {
    RULES_C_TESTS, /* all (or any) of its tests */
    RULES_C_SCORE, /* the total (or a group's) score against a threshold */
    RULES_C_ITEM,  /* one item's points against a threshold */
    RULES_C_MANUAL /* needs a manual review: always uncertain */
};

/* A condition of the rule set. */
struct rules_condition {
    char id[RULES_ID_MAX];        /* id */
    char *zh, *en;                /* label (owned) */
    enum rules_ckind kind;        /* how it is decided */
    uint16_t first_test, n_tests; /* TESTS: the tests */
    bool any;                     /* TESTS: any suffices */
    int8_t target;                /* SCORE: group index or −1 for the total; ITEM: item index */
    enum rules_op op;             /* SCORE/ITEM: comparison */
    int16_t points;               /* SCORE/ITEM: threshold in points */
    int8_t note;                  /* provisional note always raised, or -1 */
};

/* A node of the verdict expression: all/any of children, or one condition. */
struct rules_node {
    uint8_t kind;       /* 0 condition, 1 all, 2 any */
    uint8_t cond;       /* kind 0: the condition */
    uint8_t n_children; /* kinds 1, 2: number of children */
    uint8_t child[16];  /* kinds 1, 2: node indices */
};

/* A provisional note: why part of a rule set is not verified. */
struct rules_note {
    char id[RULES_ID_MAX]; /* id, reported as "<set>/<id>" */
    char *zh, *en;         /* reason (owned) */
};

/* A parsed, validated rule set. Owned by its registry (or by whoever parsed it). */
struct rules_set {
    char id[RULES_ID_MAX];              /* e.g. "tsme-2017" */
    char family[RULES_ID_MAX];          /* e.g. "tsme" */
    char *title_zh, *title_en, *source; /* descriptive texts (owned) */
    int32_t from_days;                  /* effective from (days since 1970) */
    int32_t to_days;                    /* effective to, inclusive, or INT32_MAX */
    bool pre_assessment;                /* verdicts are a pre-assessment (HNTE) */
    bool scored;                        /* has scored items (score_min/max are not null) */
    int8_t set_note;                    /* provisional note for the whole set, or -1 */
    uint8_t n_measures;                 /* measures used */
    uint8_t n_conditions;               /* conditions used */
    uint8_t n_items;                    /* scored items used */
    uint8_t n_alts;                     /* alternatives used (all items together) */
    uint8_t n_groups;                   /* groups used */
    uint8_t n_notes;                    /* notes used */
    uint8_t n_nodes;                    /* verdict-expression nodes used */
    uint8_t n_bands;                    /* band tables used */
    uint16_t n_tests;                   /* tests used (conditions and brackets together) */
    uint16_t n_brackets;                /* brackets used (all alternatives together) */
    struct rules_measure measures[RULES_MAX_MEASURES];       /* the measures, in file order */
    struct rules_test tests[RULES_MAX_TESTS];                /* every test */
    struct rules_band bands[RULES_MAX_BANDS];                /* band tables of tests */
    struct rules_condition conditions[RULES_MAX_CONDITIONS]; /* the conditions, in file order */
    struct rules_item items[RULES_MAX_ITEMS];                /* the scored items */
    struct rules_alt alts[RULES_MAX_ALTS];                   /* the items' alternatives */
    struct rules_bracket brackets[RULES_MAX_BRACKETS];       /* the alternatives' brackets */
    struct rules_group groups[RULES_MAX_GROUPS];             /* the item groups */
    struct rules_note notes[RULES_MAX_NOTES];                /* the provisional notes */
    struct rules_node nodes[RULES_MAX_NODES];                /* nodes[0] is the root */
    int64_t unit_cost_fen[RULES_N_FIELDS]; /* gap ranking cost of one unit of each field */
};

/* Parses and validates one rule-set file. On success *out is a new set the caller frees
 * with rules_set_free; on failure returns KC_ERR_INVALID and writes the reason (with the
 * JSON path) into err. */
int rules_set_parse(const char *json, size_t len, struct rules_set **out, char *err,
                    size_t errlen) KC_MUST_CHECK;
/* Frees a set and its strings. NULL is fine. */
void rules_set_free(struct rules_set *s);

/* All loaded rule sets. */
struct rules_registry {
    struct rules_set **sets; /* owned */
    size_t n;                /* count */
};

/* Loads and validates every data/rules/<id>.json embedded in the binary. Returns 0, or
 * KC_ERR_INVALID naming the file and the problem in err (nothing is kept then). */
int rules_registry_load_embedded(struct rules_registry *reg, char *err,
                                 size_t errlen) KC_MUST_CHECK;
/* Frees every set. */
void rules_registry_free(struct rules_registry *reg);
/* Finds a set by exact id ("tsme-2017"), or by family ("tsme") as the set of that family
 * in force on 31 December of year (README: "Choosing a rule set"). NULL when none. */
const struct rules_set *rules_registry_find(const struct rules_registry *reg, const char *name,
                                            int year);
/* 1 when name is a set id or a family in the registry. */
int rules_registry_knows(const struct rules_registry *reg, const char *name);

/* ---------------------------------------------------------------- evaluation */

/* Status of a condition, a test or the verdict. */
enum rules_status {
    RULES_MET = 0,      /* holds (verdict: pass) */
    RULES_NOT_MET = 1,  /* does not hold (verdict: fail) */
    RULES_UNKNOWN = 2,  /* data missing */
    RULES_UNCERTAIN = 3 /* depends on expert-scored items or a manual review */
};

/* Status of a measure value. */
enum rules_vstate {
    RULES_V_OK = 0,      /* num/den is the value */
    RULES_V_MISSING = 1, /* an input is missing */
    RULES_V_INF = 2,     /* a positive number over zero: above every threshold */
    RULES_V_NEG_INF = 3  /* a negative number over zero: below every threshold */
};

/* A computed measure: the exact rational num/den. A ratio keeps its raw sums (not
 * reduced); over a zero denominator den is 0 and state says ±∞, or the value is 0 for
 * 0/0 (flag RULES_MF_ZERO_DEN). */
struct rules_value {
    __int128 num;    /* numerator */
    __int128 den;    /* denominator, > 0 when state is RULES_V_OK */
    uint8_t state;   /* enum rules_vstate */
    uint8_t flags;   /* enum rules_mflag bits */
    uint8_t n_years; /* years actually used by a window */
};

/* Status of a scored item. */
enum rules_istatus {
    RULES_I_SCORED = 0, /* exact points */
    RULES_I_EXPERT = 1, /* a range that experts decide */
    RULES_I_UNKNOWN = 2 /* a range because data is missing */
};

/* The result for one item. */
struct rules_item_result {
    int16_t lo, hi;  /* points range (lo == hi when exact) */
    uint8_t status;  /* enum rules_istatus */
    int8_t alt;      /* the alternative that counted, or -1 */
    int16_t bracket; /* the bracket hit (index into brackets), or -1 when unknown */
};

/* The result of one evaluation. Fixed size; filled by rules_evaluate. */
struct rules_result {
    const struct rules_set *set;        /* the rule set used */
    int32_t year;                       /* the evaluated year */
    int32_t as_of_days;                 /* assessment date (normally 31 December of year) */
    uint8_t verdict;                    /* enum rules_status: MET = pass, NOT_MET = fail */
    int16_t score_lo, score_hi;         /* total score range (when set->scored) */
    bool score_missing;                 /* the score range is wide because data is missing */
    uint8_t cond[RULES_MAX_CONDITIONS]; /* status of each condition */
    uint8_t test[RULES_MAX_TESTS];      /* status of each condition test evaluated */
    struct rules_item_result item[RULES_MAX_ITEMS];                 /* each item */
    int16_t group_lo[RULES_MAX_GROUPS], group_hi[RULES_MAX_GROUPS]; /* group totals */
    bool group_missing[RULES_MAX_GROUPS];     /* a group range includes missing data */
    struct rules_value m[RULES_MAX_MEASURES]; /* every measure */
    uint64_t notes;                           /* provisional notes raised (bit per note) */
};

/* Evaluates set s for record r in year (the data year), as of 31 December of that year.
 * No allocation, no I/O. */
void rules_evaluate(const struct rules_set *s, const struct rules_record *r, int year,
                    struct rules_result *out);
/* The same with an explicit assessment date (days since 1970) for "days since" measures. */
void rules_evaluate_at(const struct rules_set *s, const struct rules_record *r, int year,
                       int32_t as_of_days, struct rules_result *out);
/* The threshold test t compares against (resolving a band with the values in res);
 * 0, or -1 when the band measure is missing. */
int rules_test_threshold(const struct rules_set *s, const struct rules_result *res, int t,
                         struct rules_q *out);
/* Evaluates test t against the values in res (enum rules_status). */
int rules_test_status(const struct rules_set *s, const struct rules_result *res, int t);
/* Lists the (field, year) pairs measure m needed but r lacks, at most cap; returns the
 * count. year is 0 for identity fields. */
int rules_measure_missing(const struct rules_set *s, int m, const struct rules_record *r, int year,
                          int *fields, int *years, int cap);

/* ---------------------------------------------------------------- gap analysis */

#define RULES_MAX_CHANGES 12
#define RULES_MAX_GAPS 40
#define RULES_TEXT_MAX 1024

/* One change to the record: add delta to field in year (the field's unit). */
struct rules_change {
    int16_t field; /* the lever field (yearly) */
    int32_t year;  /* the year changed */
    int64_t delta; /* how much to add (> 0) */
};

/* What one gap is about. */
enum rules_gkind {
    RULES_G_CONDITION = 0, /* a failing condition */
    RULES_G_ITEM = 1,      /* the next bracket of one scored item */
    RULES_G_COMBINED = 2   /* the combined minimum for the whole verdict */
};

/* One gap: the smallest change that fixes a condition / reaches a bracket / passes. */
struct rules_gap {
    uint8_t kind;        /* enum rules_gkind */
    int8_t cond;         /* RULES_G_CONDITION: the condition */
    int8_t item;         /* RULES_G_ITEM: the item */
    int16_t bracket;     /* RULES_G_ITEM: the bracket reached */
    int16_t points_gain; /* RULES_G_ITEM: points gained */
    bool fixable;        /* money/people changes fix it (else see text) */
    bool needs_data;     /* missing data must be supplied first */
    int32_t wait_days;   /* a time requirement (registration age, niche years), or 0 */
    uint8_t n_changes;   /* changes */
    struct rules_change changes[RULES_MAX_CHANGES]; /* the changes (levers only) */
    int64_t money_fen;                              /* total money added by the changes */
    int64_t persons;                                /* total persons added by the changes */
    uint8_t reaches;         /* RULES_G_COMBINED: verdict after applying (enum rules_status) */
    char zh[RULES_TEXT_MAX]; /* Chinese text */
    char en[RULES_TEXT_MAX]; /* English text */
};

/* All gaps of one evaluation. */
struct rules_gaps {
    int n;                              /* number of gaps */
    struct rules_gap g[RULES_MAX_GAPS]; /* condition gaps, item gaps, then the combined one */
};

/* Computes the gaps of a failing evaluation (res->verdict == RULES_NOT_MET; otherwise
 * out->n = 0). Exact: every change is the smallest integer that makes its target hold,
 * verified by re-evaluation. Allocates nothing. */
void rules_gaps(const struct rules_set *s, const struct rules_record *r,
                const struct rules_result *res, struct rules_gaps *out);
/* Applies a change to rec (whose years array is years, writable): adds delta to the field
 * and to every present field that contains it. Returns 0, or -1 when the year or field
 * is absent. */
int rules_apply_change(struct rules_record *rec, struct rules_year *years,
                       const struct rules_change *c);

/* ---------------------------------------------------------------- output */

/* Formats fen as "¥1,240,000" (or "¥1,240,000.50", "-¥3.00") into out. */
void rules_fmt_money(char *out, size_t cap, int64_t fen);
/* Formats num/den as a percentage with at most decimals digits ("3.2%"), rounded half
 * away from zero (display only, never used for a verdict). */
void rules_fmt_percent(char *out, size_t cap, __int128 num, __int128 den, int decimals);
/* Formats a value of measure unit u for display. */
void rules_fmt_value(char *out, size_t cap, enum rules_unit u, const struct rules_value *v);
/* Formats a threshold of unit u for display ("4%", "¥50,000,000", "365"). */
void rules_fmt_q(char *out, size_t cap, enum rules_unit u, struct rules_q q);
/* Writes the API.md `assess` object for one evaluation (gaps may be NULL). */
void rules_write_result(struct jw *w, const struct rules_set *s, const struct rules_record *r,
                        const struct rules_result *res, const struct rules_gaps *g);
/* Verdict / status names: "pass", "fail", "unknown", "uncertain" / "met", "not_met", … */
const char *rules_verdict_name(int status);
const char *rules_status_name(int status);

#endif
