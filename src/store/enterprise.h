/*
 * enterprise.h (store) — enterprise profiles, yearly records and certificates in the
 * database (schema 0004_enterprise.sql), always filtered by the caller's scope: an
 * enterprise outside it behaves as if it did not exist.
 *
 * An enterprise is an organisation with kind = 'enterprise' (keyed by its USCC); its
 * profile row in `enterprises` is optional (a missing row reads as an empty profile and
 * is created on the first edit). NULL always means "not known" and is never read as 0.
 *
 * For the rule engine, ent_record_load() turns the stored data of one enterprise into a
 * struct rules_record (rules.h) ready for rules_evaluate / rules_gaps.
 */
#ifndef KC_STORE_ENTERPRISE_H
#define KC_STORE_ENTERPRISE_H

#include "core/err.h"
#include "domain/auth.h"
#include "rules/rules.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

struct db;
struct db_stmt;

/* ---------------------------------------------------------------- rule records */

/* A loaded rule record with the storage its pointers refer to. */
struct ent_record {
    struct rules_record rec;                  /* the record (years → this->years) */
    struct rules_year years[RULES_MAX_YEARS]; /* yearly records, ascending */
    char uscc[19];                            /* 统一社会信用代码 */
    char name[512];                           /* enterprise name */
    char region_code[7];                      /* orgs.region_code */
    char industry_code[8];                    /* orgs.industry_code (GB/T 4754), "" if none */
};

/*
 * Loads the rule record of enterprise org_id (an orgs.id; the caller has checked scope)
 * for evaluating year Y:
 *   - identity: uscc and name from orgs; region_code (→ the engine's "registered in
 *     mainland China"); registered_on, hightech_field (NULL = in none of the 8 fields,
 *     so known "no"), the nine declaration booleans and niche_years from `enterprises`;
 *     the extension identity fields (has_ip_title, chain_role, …) from extra_json;
 *   - has_valid_hnte: 1 when a 'hnte' certificate counts on 31 December of Y
 *     (issued_on ≤ that day ≤ valid_to, or no valid_to), else 0 (the certificates are
 *     known, so no certificate is a known "no");
 *   - years: every current yearly row (is_current = 1, any status: draft and submitted
 *     data are assessed too) with year ≤ Y, the latest RULES_MAX_YEARS of them
 *     (rules need Y−4..Y at most), ascending.
 * Every NULL column stays missing (the engine reports it as unknown), never 0.
 * year ≤ 0 means "no upper bound" (and has_valid_hnte as of the latest year loaded, or
 * today when there is none).
 * The record's strings and years point into thread-local storage that stays valid until
 * the next ent_record_load call on the same thread; use ent_record_load_into to keep
 * several. Returns 0, KC_ERR_NOT_FOUND (no such organisation) or KC_ERR_DB.
 */
int ent_record_load(struct db *db, int64_t org_id, int year,
                    struct rules_record *out) KC_MUST_CHECK;
/* The same into caller-owned storage (buf->rec is the record). */
int ent_record_load_into(struct db *db, int64_t org_id, int year,
                         struct ent_record *buf) KC_MUST_CHECK;

/* ---------------------------------------------------------------- enterprises */

/* List filters; NULL / zero members do not filter. */
struct ent_filter {
    const char *q;        /* substring of name or USCC */
    struct scope region;  /* region prefix range (lo "" / hi "~" for all) */
    const char *industry; /* industry code prefix ("C" matches "C36") */
    const char *chain;    /* chain code contained in chains */
    const char *cert;     /* holds a certificate of this kind valid on cert_on */
    const char *cert_on;  /* YYYY-MM-DD for cert (the caller passes today) */
    const char *year_status; /* has a current yearly record in this status (submitted:
                              * the officers' verification queue) */
};

/* Finds the enterprise (orgs.kind = 'enterprise') with this USCC inside scope sc.
 * Returns 0 with *org_id, KC_ERR_NOT_FOUND (unknown, not an enterprise or outside the
 * scope) or KC_ERR_DB. */
int ent_find(struct db *db, const struct scope *sc, const char *uscc,
             int64_t *org_id) KC_MUST_CHECK;
/* Loads the profile of enterprise org_id (no scope check: call ent_find first) in the
 * API shape: org_id, uscc, name, region_code, region_name, industry_code, industry_name,
 * chains, address, contacts, registered_on, hightech_field, the declaration booleans
 * (true/false/null), niche_years (a number or null), the extension identity fields
 * (from extra_json, null when absent), latest_year, certifications (kinds valid on
 * today, [{kind, name, number, valid_to}]), created_at, updated_at. *out is new. */
int ent_get(struct db *db, int64_t org_id, const char *today, json_t **out) KC_MUST_CHECK;
/* Prepares the list query: one row per enterprise in scope with id (org id), uscc, name,
 * region_code, region_name, industry_code, industry_name, chains, registered_on,
 * hightech_field, latest_year and that year's employees, tech_staff,
 * sales_revenue_fen, rd_expense_fen, status, and certs (kinds valid on f->cert_on or
 * today), ordered by sort_col (whitelisted by the caller: ENT_SORTS) then id, with
 * limit/offset (limit < 0: all rows, for exports). */
struct db_stmt *ent_list(struct db *db, const struct scope *sc, const struct ent_filter *f,
                         const char *today, const char *sort_col, bool desc, int64_t limit,
                         int64_t offset);
/* The sort columns ent_list accepts, ended by NULL. */
extern const char *const ent_sorts[];
/* Counts the rows the same filters select. */
int ent_count(struct db *db, const struct scope *sc, const struct ent_filter *f,
              int64_t *n) KC_MUST_CHECK;
/* Writes the profile columns from p (API shape, already validated): registered_on,
 * hightech_field, the booleans, niche_years, the extension fields (into extra_json);
 * members absent from p keep their stored value. Creates the profile row when missing.
 * user_id 0 = the command line / an import. Returns 0 or KC_ERR_DB. */
int ent_profile_save(struct db *db, int64_t org_id, json_t *p, int64_t user_id) KC_MUST_CHECK;

/* ---------------------------------------------------------------- yearly records */

/* One stored yearly row (enterprise_years). */
struct ent_year_row {
    int64_t id;             /* row id */
    int32_t revision;       /* 1, 2, … */
    bool is_current;        /* the current revision of its year */
    char status[12];        /* draft | submitted | verified */
    char source[8];         /* self | import | officer */
    struct rules_year data; /* year and the yearly fields */
};

/* Loads the current row of (org_id, year). 0, KC_ERR_NOT_FOUND or KC_ERR_DB. */
int ent_year_load(struct db *db, int64_t org_id, int year, struct ent_year_row *out) KC_MUST_CHECK;
/* The API object of yearly row id (every column: year, revision, is_current, status,
 * source, the fields, submitted/verified at and by username, created/updated at). */
int ent_year_json(struct db *db, int64_t id, json_t **out) KC_MUST_CHECK;
/* Prepares the list of the current rows of org_id, newest year first (same columns as
 * ent_year_json); all_revisions lists every revision of year instead (newest first). */
struct db_stmt *ent_year_list(struct db *db, int64_t org_id, int year, bool all_revisions);
/* Inserts a yearly row (revision, status, source as given, is_current = 1) with the
 * fields of y; *id receives the row id. KC_ERR_CONFLICT when the year already has a
 * current row. */
int ent_year_insert(struct db *db, int64_t org_id, const struct rules_year *y, int revision,
                    const char *status, const char *source, int64_t user_id,
                    int64_t *id) KC_MUST_CHECK;
/* Replaces the fields of row id with y (source as given, status unchanged). */
int ent_year_update(struct db *db, int64_t id, const struct rules_year *y, const char *source,
                    int64_t user_id) KC_MUST_CHECK;
/* Sets the status of row id to submitted or verified (stamping *_at / *_by). */
int ent_year_set_status(struct db *db, int64_t id, const char *status,
                        int64_t user_id) KC_MUST_CHECK;
/* Marks row id as no longer current (before a new revision is inserted). */
int ent_year_retire(struct db *db, int64_t id) KC_MUST_CHECK;

/* ---------------------------------------------------------------- certificates */

/* Certificate list filters; NULL / zero members do not filter. */
struct cert_filter {
    struct scope region;  /* region prefix range of the holder */
    const char *kind;     /* cert_kinds.code */
    int64_t org_id;       /* holder */
    const char *valid_on; /* YYYY-MM-DD: counts on that day */
    const char *q;        /* substring of number or holder name / USCC */
    const char *status;   /* pending / verified / rejected */
};

/* The sort columns cert_list accepts, ended by NULL. */
extern const char *const cert_sorts[];
/* Prepares the certificate list in scope: id, org_id, uscc, org_name, region_code,
 * region_name, kind, kind_name, kind_name_en, number, issued_on, valid_to, level, issuer,
 * note, source, status, reviewed_at, review_note, valid (true when it counts today: verified
 * and in its period), created_at, updated_at. */
struct db_stmt *cert_list(struct db *db, const struct scope *sc, const struct cert_filter *f,
                          const char *today, const char *sort_col, bool desc, int64_t limit,
                          int64_t offset);
/* Counts the rows the same filters select. */
int cert_count(struct db *db, const struct scope *sc, const struct cert_filter *f,
               int64_t *n) KC_MUST_CHECK;
/* Loads one certificate in scope (same columns as cert_list). 0, KC_ERR_NOT_FOUND or
 * KC_ERR_DB. */
int cert_get(struct db *db, const struct scope *sc, int64_t id, const char *today,
             json_t **out) KC_MUST_CHECK;
/* Reads a certificate kind: *found, *validity_years (0 = none) and *stage (0 = none). */
int cert_kind_get(struct db *db, const char *code, bool *found, int *validity_years) KC_MUST_CHECK;
/* Prepares the list of certificate kinds in their sort order. */
struct db_stmt *cert_kinds_list(struct db *db);
/* Inserts a validated certificate (API keys kind, number, issued_on, valid_to, level,
 * issuer, note) for org_id. KC_ERR_CONFLICT when (kind, number) already exists. */
int cert_insert(struct db *db, int64_t org_id, json_t *c, int64_t user_id,
                int64_t *id) KC_MUST_CHECK;
/* Replaces the editable columns of certificate id with the values in c. */
int cert_update(struct db *db, int64_t id, json_t *c, int64_t user_id) KC_MUST_CHECK;
/* Deletes certificate id. */
int cert_delete(struct db *db, int64_t id) KC_MUST_CHECK;
/* An officer's decision on a pending certificate: status "verified" or "rejected" (with
 * note, the reason). KC_ERR_CONFLICT when it is not pending any more. */
int cert_review(struct db *db, int64_t id, const char *status, const char *note,
                int64_t user_id) KC_MUST_CHECK;

#endif
