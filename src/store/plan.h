/*
 * plan.h (store) — plans, tasks, responsible units, indicators, targets and their
 * observations in the database (schema 0009_plans.sql, rules in docs/api-plans.md).
 *
 * Scope: a plan is visible to a user when its issuing region is inside the user's scope
 * or is an ancestor of the user's region (a county sees its city's plans); a target, an
 * observation or a computed value is visible when its region is inside the scope. Out of
 * scope behaves as absent (KC_ERR_NOT_FOUND).
 */
#ifndef KC_STORE_PLAN_H
#define KC_STORE_PLAN_H

#include "core/err.h"
#include "domain/auth.h"
#include "store/audit.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

struct db;
struct plan_set;

/* Loads every plan of set not in the database yet (by code): its units (into the
 * issuing region's dictionary, reusing a unit of the same name), tasks with their
 * responsible units, indicators (shared by code), targets with milestones,
 * requirements, and the values the document states (plain baselines and observations)
 * as verified observations whose source is the document. Runs inside the caller's
 * transaction; audits each plan as ctx. *n_loaded counts the plans inserted. */
int plan_seed_load(struct db *db, const struct plan_set *set, const struct audit_ctx *ctx,
                   int *n_loaded) KC_MUST_CHECK;

#endif
