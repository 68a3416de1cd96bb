/*
 * plan_formula.h — the registry of named formulas that compute an indicator from the
 * platform's records (docs/api-plans.md lists each with its exact definition). This
 * file holds what a formula is (id, documentation, parameters, the tables it reads);
 * store/plan_values.c evaluates them. No database here.
 */
#ifndef KC_DOMAIN_PLAN_FORMULA_H
#define KC_DOMAIN_PLAN_FORMULA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The formulas (data/plans/README.md "Computed formulas"). */
enum pf_id {
    PF_CERT_VALID_COUNT,       /* enterprises holding a valid certificate of the kinds */
    PF_CERT_ISSUED_COUNT,      /* certificates of the kinds issued in the year (first grants) */
    PF_CONTRACT_VALUE_SUM,     /* 成交额 of technology contracts registered in the year */
    PF_DEMAND_COUNT,           /* published technology demands of the chain */
    PF_ENTERPRISE_SHARE,       /* % of a population of enterprises meeting a condition */
    PF_ENTERPRISE_COUNT,       /* enterprises of a population meeting a condition */
    PF_ENTERPRISE_SUM,         /* sum of an annual-data field */
    PF_ROADSHOW_COUNT,         /* roadshow events held in the year */
    PF_PROJECT_COUNT,          /* projects approved in the year (no project records yet) */
    PF_CARRIER_COUNT,          /* carriers recognised (no carrier records yet) */
    PF_CARRIER_NEW_COUNT,      /* carriers first recognised in the year (no carrier records yet) */
    PF_CHAIN_CARRIER_COVERAGE, /* % of chains served by a carrier (no carrier records yet) */
    PF_COUNT
};

/* Certificate kinds a formula can count (bits of pf_spec.cert_mask), with the plan
 * files' parameter names and the cert_kinds codes of the database. */
enum pf_cert {
    PF_CERT_HNTE,       /* "hnte" → hnte 高新技术企业 */
    PF_CERT_TSME,       /* "tsme" → tsme 科技型中小企业 */
    PF_CERT_ZJ_TSME,    /* "zj_tsme" → zj_tsme 浙江省科技型中小企业 */
    PF_CERT_SCI_GIANT,  /* "sci_giant" → sci_little_giant 科技小巨人 */
    PF_CERT_SCI_LEADER, /* "sci_leader" → sci_leader 科技领军 */
    PF_CERT_SRDI_GIANT, /* "srdi_giant" → little_giant 专精特新“小巨人” (first grants) */
    PF_CERT_INNOV_SME, /* "innov_sme" → innov_sme 创新型中小企业 */
    PF_CERT_SRDI,      /* "srdi" → srdi 专精特新中小企业 */
    PF_CERT_COUNT
};

/* Enterprise populations (enterprise_share / enterprise_count). */
enum pf_population {
    PF_POP_ANY,                      /* every enterprise with a yearly record */
    PF_POP_MANUFACTURING,            /* industry code in GB/T 4754 section C */
    PF_POP_ABOVE_SCALE_MANUFACTURING /* section C with revenue ≥ 2000 万元 (规模以上) */
};

/* Conditions on a yearly record. */
enum pf_condition {
    PF_COND_NONE,    /* every record of the population */
    PF_COND_RD_GT_0, /* rd_expense_fen > 0 (有研发活动) */
    PF_COND_RD_EQ_0  /* rd_expense_fen = 0 (无研发活动; unknown is not 0) */
};

/* Revenue threshold of 规模以上工业 (2000 万元) in 分. */
#define PF_ABOVE_SCALE_FEN INT64_C(2000000000)

/* A formula with its parameters read (pf_parse). */
struct pf_spec {
    enum pf_id id;                 /* which formula */
    unsigned cert_mask;            /* certificate kinds (1u << enum pf_cert) */
    bool first_grant;              /* cert_issued_count: count an enterprise's first grant only */
    bool chain_scope;              /* computed per chain (the indicator's scope) */
    enum pf_population population; /* enterprise formulas */
    enum pf_condition condition;   /* enterprise formulas */
    int64_t min_revenue_fen;       /* enterprise_count: revenue floor (0 = none) */
    double fen_per_unit;           /* money formulas: 分 per unit of the indicator (亿元 1e10) */
};

/* What the registry says about a formula. */
struct pf_def {
    const char *id;        /* "cert_valid_count" … */
    const char *name_zh;   /* short Chinese name */
    const char *name_en;   /* short English name */
    const char *doc_zh;    /* what exactly is counted */
    const char *doc_en;    /* the same in English */
    const char *tables[3]; /* record tables it reads (NULL-ended) */
    bool implemented;      /* false: the platform holds no such records yet */
};

/* The registry entry of id. */
const struct pf_def *pf_def(enum pf_id id);
/* The formula with this id string; false when unknown. */
bool pf_lookup(const char *formula, enum pf_id *out);
/* The cert_kinds code of a certificate kind ("little_giant" for PF_CERT_SRDI_GIANT). */
const char *pf_cert_code(enum pf_cert c);
/* The certificate kind of a cert_kinds code; false when the formulas do not count it. */
bool pf_cert_from_code(const char *code, enum pf_cert *out);

/* Reads formula and its params (JSON object text, may be NULL or "{}") for an indicator
 * in unit with chain scope or not. Returns 0, or -1 with a one-line reason in err (the
 * parameter that is wrong). */
int pf_parse(const char *formula, const char *params_json, const char *unit, bool chain_scope,
             struct pf_spec *out, char *err, size_t errlen);

#endif
