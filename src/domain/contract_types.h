/*
 * contract_types.h — the technology-contract type sets (技术合同类型) as versioned data.
 *
 * data/rules/contract-2001.json (《技术合同认定规则》国科发政字〔2001〕253号) and
 * data/rules/contract-2026.json (MIIT 2026 rules: 技术许可 split from 技术转让) list the
 * types and sub-types a registered contract may have. A contract uses the set in force on
 * its signing date unless the caller names one (RULES.md). The sets are embedded in the
 * binary, parsed once and kept for the life of the process (read-only afterwards, so
 * threads share them without locks).
 */
#ifndef KC_CONTRACT_TYPES_H
#define KC_CONTRACT_TYPES_H

#include "core/err.h"

#include <stdbool.h>
#include <stddef.h>

/* One sub-type (e.g. 委托开发). */
struct contract_subtype {
    char *code; /* ASCII code, e.g. "entrusted" */
    char *zh;   /* Chinese label */
    char *en;   /* English label */
};

/* One type (e.g. 技术开发合同) with its sub-types (none for 技术咨询). */
struct contract_type {
    char *code;                     /* ASCII code, e.g. "development" */
    char *zh;                       /* Chinese label */
    char *en;                       /* English label */
    struct contract_subtype *subs;  /* sub-types; a contract of this type must name one */
    size_t n_subs;                  /* their count (0: the contract has no sub-type) */
};

/* One rule set (contract-2001, contract-2026). */
struct contract_ruleset {
    char *id;                    /* "contract-2001" */
    char *title_zh, *title_en;   /* titles */
    char *source;                /* the official documents */
    char from[11];               /* first day in force, YYYY-MM-DD */
    char to[11];                 /* last day in force, YYYY-MM-DD ("9999-12-31" = open) */
    bool open_ended;             /* effective_to was null */
    char *prov_zh, *prov_en;     /* why the set is provisional, or NULL */
    struct contract_type *types; /* the types, in file order */
    size_t n_types;              /* their count */
};

/* Parses one set from JSON text (the file format of data/rules/contract-*.json). On
 * failure returns KC_ERR_INVALID with the reason (JSON path first) in err. *out is owned
 * by the caller (contract_ruleset_free). */
int contract_ruleset_parse(const char *json, size_t len, struct contract_ruleset **out, char *err,
                           size_t errlen) KC_MUST_CHECK;
/* Frees a set from contract_ruleset_parse; NULL is a no-op. */
void contract_ruleset_free(struct contract_ruleset *rs);

/* Loads every embedded data/rules/ file of kind "contract-types" once (thread-safe).
 * Returns 0 or KC_ERR_INVALID (logged once); afterwards the accessors below are valid. */
int contract_types_load(void) KC_MUST_CHECK;
/* The number of loaded sets and the i-th (sorted by effective date). */
size_t contract_types_count(void);
const struct contract_ruleset *contract_types_at(size_t i);
/* The set with this id, or NULL. */
const struct contract_ruleset *contract_types_find(const char *id);
/* The set in force on date (YYYY-MM-DD), or NULL when none is. */
const struct contract_ruleset *contract_types_for_date(const char *date);
/* Checks type/subtype against rs. Returns NULL when valid, else an error code
 * ("invalid_contract_type", "invalid_contract_subtype", "required") with *field set to
 * "type" or "subtype". subtype may be NULL. */
const char *contract_types_check(const struct contract_ruleset *rs, const char *type,
                                 const char *subtype, const char **field);
/* The labels of every type and sub-type of every set as one JSON object
 * {"development": {"_": "技术开发合同", "entrusted": "委托开发"}, …} in Chinese or English;
 * SQL reads it with json_extract(?, '$.' || type || '._'). A static string. */
const char *contract_types_labels_json(bool en);

#endif
