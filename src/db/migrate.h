/*
 * migrate.h — numbered SQL migrations and reference data.
 */
#ifndef KC_MIGRATE_H
#define KC_MIGRATE_H

#include "core/err.h"

struct db;

/* Applies every embedded schema/NNNN_*.sql not yet applied, each in its own
 * transaction, then (re)loads the reference data shipped in data/ (regions, aliases,
 * industries, strategic emerging industries; chains only when absent, since officers
 * edit them). *applied receives how many migrations ran (may be NULL). */
int migrate_run(struct db *db, int *applied) KC_MUST_CHECK;

#endif
