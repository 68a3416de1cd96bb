/*
 * demo.h — the demo data set loaded by `serve --demo` into an empty data directory.
 */
#ifndef KC_DEMO_H
#define KC_DEMO_H

#include "core/err.h"

#include <stdint.h>

struct db;

/* When the database has no users yet: loads one bureau per seed city and county, a few
 * hundred organisations with valid USCCs (deterministic, fixed seed), and one or more
 * demo accounts per role with random passwords, written to accounts_path (mode 0600) as
 * `username<TAB>password<TAB>role<TAB>region_code` lines. Returns 0, or a kc_err.
 * *loaded is set to 1 when it loaded, 0 when the database already had users. */
int demo_load(struct db *db, const char *accounts_path, int *loaded) KC_MUST_CHECK;

/* Module demo data, each called inside demo_load's transaction after the organisations
 * exist and before the accounts are created (src/cli/demo_<module>.c). Each returns 0 or
 * a kc_err; an error rolls the whole demo back. */
int demo_ladder(struct db *db) KC_MUST_CHECK; /* enterprises, years, certificates */
int demo_market(struct db *db) KC_MUST_CHECK; /* demands, achievements, experts */
int demo_deals(struct db *db) KC_MUST_CHECK;  /* matches, contracts, roadshows */
int demo_plans(struct db *db) KC_MUST_CHECK;  /* the five seed plans, observations */
int demo_assess(struct db *db) KC_MUST_CHECK; /* assessment schemes and runs, supervision */

/* The organisation id of a demo account's anchor organisation ("ent_nanhu",
 * "inst_jiaxing", …) once demo_load created it, else 0 (for module demo data that
 * gives the demo accounts their own records). */
int64_t demo_anchor_org(const char *key);

#endif
