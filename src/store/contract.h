/*
 * contract.h (store) — registered technology contracts, always filtered by the caller's
 * scope: officers and brokers see the contracts whose seller sits in their region,
 * organisation-bound users the contracts their organisation is a party to (seller or
 * buyer). A record outside the scope behaves as if it did not exist.
 */
#ifndef KC_STORE_CONTRACT_H
#define KC_STORE_CONTRACT_H

#include "core/err.h"
#include "domain/auth.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

struct db;
struct db_stmt;

/* List and statistics filters; NULL / 0 members do not filter. Dates are YYYY-MM-DD and
 * apply to registered_on (the date a contract counts), both ends inclusive. */
struct contract_filter {
    const char *q;          /* substring of title, registration number, seller or buyer name */
    const char *type;       /* type code */
    const char *subtype;    /* sub-type code */
    const char *rule_set;   /* contract-2001 | contract-2026 */
    struct scope region;    /* seller-region prefix range (lo "" / hi "~" for all) */
    const char *from, *to;  /* registered_on range */
    const char *month;      /* YYYY-MM of registered_on */
    const char *year;       /* YYYY of registered_on */
    int64_t org_id;         /* either party */
    int64_t seller_org_id;  /* the seller */
    int64_t buyer_org_id;   /* the buyer */
    int64_t achievement_id; /* the achievement it came from */
};

/* What statistics group by. */
enum contract_group { CG_MONTH, CG_YEAR, CG_TYPE, CG_SUBTYPE, CG_REGION };

/* Loads one contract in scope in the API shape (labels in the language of labels_json,
 * see contract_types_labels_json). 0, KC_ERR_NOT_FOUND or KC_ERR_DB. */
int contract_get(struct db *db, const struct scope *sc, const char *labels_json, int64_t id,
                 json_t **out) KC_MUST_CHECK;
/* Prepares the list query (API shape) ordered by sort_col (whitelisted) then id, with
 * limit/offset (limit < 0: every row, for exports). */
struct db_stmt *contract_list(struct db *db, const struct scope *sc, const char *labels_json,
                              const struct contract_filter *f, const char *sort_col, bool desc,
                              int64_t limit, int64_t offset);
/* Counts the rows the same filters select. */
int contract_count(struct db *db, const struct scope *sc, const struct contract_filter *f,
                   int64_t *n) KC_MUST_CHECK;
/* Prepares the statistics query: rows (key, count, contract_amount_fen, tech_amount_fen)
 * ordered by key. For CG_REGION, region_digits (4 or 6) is the length of the region
 * prefix a key keeps (the rest filled with zeros: 3304 → "330400"). */
struct db_stmt *contract_stats(struct db *db, const struct scope *sc,
                               const struct contract_filter *f, enum contract_group g,
                               int region_digits);
/* True in *taken when another contract (id != except_id) has this registration number. */
int contract_regno_taken(struct db *db, const char *regno, int64_t except_id,
                         bool *taken) KC_MUST_CHECK;
/* Inserts a validated record (API keys plus region_code and rule_set) for user_id (0 =
 * system) and returns its id. */
int contract_insert(struct db *db, json_t *o, int64_t user_id, int64_t *id) KC_MUST_CHECK;
/* Replaces every editable column of contract id with the values in o. */
int contract_update(struct db *db, int64_t id, json_t *o, int64_t user_id) KC_MUST_CHECK;
/* Deletes contract id. */
int contract_delete(struct db *db, int64_t id) KC_MUST_CHECK;

#endif
