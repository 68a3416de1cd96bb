/* pool.c — who is near a qualification (src/rules/pool.h): the fewest failing conditions
 * on any route to a pass through the verdict expression, and whether every failing
 * condition of some route is within a margin of its threshold. */
#include "rules/pool.h"

#include <stdbool.h>

/* True when value v is within pct % of threshold t on the failing side of op (t > 0). */
bool pool_near_threshold(const struct rules_value *v, struct rules_q t, enum rules_op op, int pct)
{
    if (v->state != RULES_V_OK || t.num <= 0 || t.den <= 0)
        return false;
    /* v ≥ t·(100 − pct)/100 for ≥ / >; v ≤ t·(100 + pct)/100 for ≤ / <. */
    bool ge = op == RULES_OP_GE || op == RULES_OP_GT;
    if (!ge && op != RULES_OP_LE && op != RULES_OP_LT)
        return false;
    int f = ge ? 100 - pct : 100 + pct;
    /* Exact when |v.num| and v.den < 2^60 (every field, sum and ratio of the record: values
     * ≤ 10^15, window sums ≤ 5·10^15): with t.den ≤ 10^6 < 2^20 and t.num ≤ 10^16 < 2^54
     * (rule-set bounds) the products stay below 2^87 and 2^122. Larger values occur only in
     * growth rates, far from any threshold; long double decides those. */
    const __int128 lim = (__int128)1 << 60;
    if (v->num > lim || v->num < -lim || v->den > lim) {
        long double x = (long double)v->num / (long double)v->den,
                    y = (long double)t.num / (long double)t.den * f / 100.0L;
        return ge ? x >= y : x <= y;
    }
    __int128 l = v->num * t.den * 100, rr = (__int128)t.num * f * v->den;
    return ge ? l >= rr : l <= rr;
}

/* True when the failing condition c is within the margin: every failing test near its
 * threshold (any: one of them), a score or item within score_margin points. */
bool pool_cond_near(const struct rules_set *s, const struct rules_result *res, int c,
                    int margin_pct, int score_margin)
{
    const struct rules_condition *cd = &s->conditions[c];
    if (res->cond[c] != RULES_NOT_MET)
        return false;
    if (cd->kind == RULES_C_SCORE || cd->kind == RULES_C_ITEM) {
        int got = cd->kind == RULES_C_ITEM ? res->item[cd->target].hi
                  : cd->target >= 0        ? res->group_hi[cd->target]
                                           : res->score_hi;
        int need = cd->points + (cd->op == RULES_OP_GT ? 1 : 0);
        if (cd->op != RULES_OP_GE && cd->op != RULES_OP_GT)
            return false;
        return need - got <= score_margin;
    }
    if (cd->kind != RULES_C_TESTS)
        return false;
    bool any_near = false, all_near = true;
    for (int t = cd->first_test; t < cd->first_test + cd->n_tests; t++) {
        int st = rules_test_status(s, res, t);
        if (st == RULES_MET)
            continue;
        struct rules_q q;
        bool near = st == RULES_NOT_MET && rules_test_threshold(s, res, t, &q) == 0 &&
                    pool_near_threshold(&res->m[s->tests[t].measure], q, s->tests[t].op, margin_pct);
        any_near |= near;
        all_near &= near;
    }
    return cd->any ? any_near : all_near;
}

/* The fewest failing conditions on any route to a pass below verdict node n ("all": the
 * sum, "any": the smallest child; a condition counts unless met or uncertain). */
static int route_failed(const struct rules_set *s, const struct rules_result *res, int n)
{
    const struct rules_node *nd = &s->nodes[n];
    if (nd->kind == 0)
        return res->cond[nd->cond] == RULES_MET || res->cond[nd->cond] == RULES_UNCERTAIN ? 0 : 1;
    int acc = nd->kind == 1 ? 0 : 1000;
    for (int i = 0; i < nd->n_children; i++) {
        int c = route_failed(s, res, nd->child[i]);
        acc = nd->kind == 1 ? acc + c : (c < acc ? c : acc);
    }
    return acc;
}

/* True when some route to a pass below node n has every failing condition within the
 * margin (unknown conditions are never near). */
static bool route_near(const struct rules_set *s, const struct rules_result *res, int n,
                       int margin_pct, int score_margin)
{
    const struct rules_node *nd = &s->nodes[n];
    if (nd->kind == 0) {
        int st = res->cond[nd->cond];
        return st == RULES_MET || st == RULES_UNCERTAIN ||
               pool_cond_near(s, res, nd->cond, margin_pct, score_margin);
    }
    bool all = true, any = false;
    for (int i = 0; i < nd->n_children; i++) {
        bool c = route_near(s, res, nd->child[i], margin_pct, score_margin);
        all &= c;
        any |= c;
    }
    return nd->kind == 1 ? all : any;
}

int pool_route_failed(const struct rules_set *s, const struct rules_result *res)
{
    return route_failed(s, res, 0);
}

bool pool_route_near(const struct rules_set *s, const struct rules_result *res, int margin_pct,
                     int score_margin)
{
    return route_near(s, res, 0, margin_pct, score_margin);
}
