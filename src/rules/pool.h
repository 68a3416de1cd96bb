/*
 * pool.h — who belongs in a cultivation pool (培育库): an evaluation that fails a rule set
 * by few conditions, or with every failing condition near its threshold. Used by the pool
 * API (src/api/ladder_pools.c) and the benchmark; the margins come from the caller.
 */
#ifndef KC_RULES_POOL_H
#define KC_RULES_POOL_H

#include "rules/rules.h"

#include <stdbool.h>

/* True when value v is within pct % of threshold t (t > 0) on the failing side of op:
 * v ≥ t·(100 − pct)/100 for ≥ and >, v ≤ t·(100 + pct)/100 for ≤ and <; never for ==. */
bool pool_near_threshold(const struct rules_value *v, struct rules_q t, enum rules_op op, int pct);
/* True when the failing condition c is near: every failing test near its threshold (one,
 * for "any"), a failing score or item within score_margin points of its mark. */
bool pool_cond_near(const struct rules_set *s, const struct rules_result *res, int c,
                    int margin_pct, int score_margin);
/* The fewest failing conditions on any route to a pass through the verdict expression
 * ("all": the sum, "any": the smallest child; met and uncertain conditions do not count,
 * unknown ones do). */
int pool_route_failed(const struct rules_set *s, const struct rules_result *res);
/* True when some route to a pass has every failing condition near (unknown ones never are). */
bool pool_route_near(const struct rules_set *s, const struct rules_result *res, int margin_pct,
                     int score_margin);

#endif
