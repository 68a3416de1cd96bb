/*
 * enterprise.h — enterprise profiles, yearly records and certificates: the rules a record
 * must satisfy, with no I/O (the store and the API call these).
 *
 * The yearly fields are exactly the stored yearly fields of the rule engine
 * (rules.h RULES_F_EMPLOYEES … RULES_F_SRDI_QUALITY_SCORE, API.md's table plus the
 * extension srdi_quality_score), so a record validated here is a record the engine reads.
 */
#ifndef KC_DOMAIN_ENTERPRISE_H
#define KC_DOMAIN_ENTERPRISE_H

#include "rules/rules.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

/* A rule violation: the field (JSON key), the error code (api/msg_ladder.c) and, for
 * "exceeds_field", the field it may not exceed. */
struct ent_problem {
    const char *field; /* JSON key */
    const char *code;  /* error code */
    const char *other; /* the containing field (exceeds_field), else NULL */
};

/* Column of enterprise_years that stores yearly field f (0 ≤ f < RULES_N_STORED_YEARLY):
 * the JSON name, except srdi_quality_score → srdi_quality_score_x100. */
const char *ent_year_column(int f);

/* Reads the yearly fields present in o (API shape: integers, srdi_quality_score a number
 * with at most two decimals; null = not given) into y->v / y->present, on top of what y
 * already holds (a PATCH merges onto the stored row: a null clears the field). Checks
 * each value's type and range (money non-negative except net_profit_fen, |money| ≤ 10^15
 * 分, counts in [0, 10^9]). Unknown keys are ignored (api_body rejects them first).
 * Returns true, or false with *p naming the field. */
bool ent_year_from_json(json_t *o, struct rules_year *y, struct ent_problem *p);
/* Checks the containment rules of a complete yearly record (a part never exceeds its
 * whole: tech_staff ≤ employees, rd_staff ≤ tech_staff, rd_expense_domestic_fen ≤
 * rd_expense_fen ≤ cost_expense_total_fen, ip_class1_* ≤ ip_class1, … — the table of
 * rules/field.c, checked where both fields are given). Returns true, or false with *p:
 * code "exceeds_field", field the part, other the whole. */
bool ent_year_check(const struct rules_year *y, struct ent_problem *p);
/* Writes the yearly fields of y into o as API values (absent fields as null). */
void ent_year_to_json(const struct rules_year *y, json_t *o);

/* The profile booleans of API.md stored as enterprises columns (same names), ended by
 * NULL. */
extern const char *const ent_profile_bools[];
/* True when s is one of the 8 国家重点支持的高新技术领域 (its Chinese name, as API.md's
 * record and `kechuang assess` spell it). */
bool ent_hightech_field_ok(const char *s);
/* The 8 fields, ended by NULL. */
extern const char *const ent_hightech_fields[];
/* Checks one extension identity field (rules.h: fields with extension = true, stored in
 * enterprises.extra_json) given as JSON: booleans, levels with their ranges (chain_role
 * 0–2, digital_level 0–3, quality_items 0–4, rd_institution_level 0–4), srdi_local_score
 * a non-negative number with two decimals; null clears it. Returns true, or false with
 * *p. */
bool ent_extension_ok(int f, json_t *v, struct ent_problem *p);

/* Checks a 高新技术企业 certificate number: "GR" + a 4-digit year (2008 or later) + a
 * 2-digit province code (a real GB/T 2260 province) + 6 digits, e.g. GR202333001234. */
bool ent_hnte_number_ok(const char *number);
/* The last day a certificate issued on issued (YYYY-MM-DD) counts when it is valid for
 * years years: issued + years − 1 day (a 29 February start runs to 28 February).
 * Writes YYYY-MM-DD into out[11]; returns 0, or -1 when issued is not a date. */
int ent_valid_to(const char *issued, int years, char out[11]);
/* Writes the date of a day number (days since 1970-01-01) as YYYY-MM-DD into out[11]. */
void ent_format_days(int64_t days, char out[11]);

#endif
