/*
 * gap.c — what a failing enterprise-year lacks, computed from the rule set.
 *
 * Nothing here knows a particular rule. Every test "measure op threshold" is solved for
 * the smallest change of the measure's lever field (README "Gap analysis"):
 *   - a field or window sum: Δ = ⌈(threshold − value)⌉ in the field's unit;
 *   - an average over n years: Δ = ⌈threshold·n − sum⌉;
 *   - a ratio N/D ≥ a/b: raise N by Δ; when D contains N (tech staff ⊂ employees,
 *     R&D ⊂ costs, high-tech revenue ⊂ total income) D rises by Δ too, so
 *     (N+Δ)·b ≥ a·(D+β·Δ) ⇔ Δ ≥ (a·D − N·b)/(b − β·a), solved with integer ceiling
 *     division; a ratio ≤ a/b raises D instead (资产负债率: assets, liabilities held);
 *   - growth rates: binary search on the latest year's value (they are monotone in it);
 *   - registration age and niche years: the days to wait; booleans: a requirement.
 * Every candidate is then checked by re-evaluating the record with the change applied:
 * it must meet the test, and one unit less must not (else a binary search finds the
 * exact minimum). Score gaps choose, per item, a better bracket, and a small knapsack
 * (dynamic programming over points) picks the cheapest set of brackets that reaches the
 * pass mark, costs ranked by the rule set's unit costs. The combined minimum walks the
 * verdict expression (all: every failing part; any: the cheapest branch), merges the
 * changes per field (maximum, and a change of a contained field counts toward its
 * container), applies them, re-evaluates and repeats until the verdict passes or
 * nothing more can be done.
 */
#include "rules/rules.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define COST_INF ((__int128)1 << 120)
#define WAIT_COST_PER_DAY 100000      /* ¥1,000 a day of waiting, only to rank alternatives */
#define SEARCH_MAX ((int64_t)1 << 50) /* largest change searched (> 10^15 input bound) */
#define DP_MAX 200                    /* most points a score gap may need */
#define MAX_OPTS 24                   /* bracket options per item considered */

/* A candidate fix: lever changes plus what money and hiring cannot do. */
struct fix {
    bool blocked;                              /* some part cannot be met by changes or waiting */
    bool needs_data;                           /* some part depends on missing data */
    int32_t wait_days;                         /* time to wait (registration age, niche years) */
    uint8_t n;                                 /* changes */
    struct rules_change ch[RULES_MAX_CHANGES]; /* the changes */
};

/* A text being built into a fixed buffer (truncated safely). */
struct tb {
    char *p;    /* buffer */
    size_t cap; /* its size */
    size_t len; /* used */
};

/* Appends printf text to a tb. */
static void tb_printf(struct tb *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void tb_printf(struct tb *t, const char *fmt, ...)
{
    if (t->len + 1 >= t->cap)
        return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(t->p + t->len, t->cap - t->len, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    t->len += (size_t)n;
    if (t->len >= t->cap) { /* truncated: never leave half a UTF-8 character */
        size_t end = t->cap - 1, k = end;
        while (k > 0 && ((unsigned char)t->p[k - 1] & 0xC0) == 0x80)
            k--; /* k − 1: the lead byte of the last character kept */
        if (k > 0) {
            unsigned char lead = (unsigned char)t->p[k - 1];
            size_t need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
            if (end - (k - 1) < need)
                end = k - 1;
        }
        t->len = end;
        t->p[end] = '\0';
    }
}

/* Evaluation workspace for "what if": a copy of the record with its own years. */
struct whatif {
    struct rules_record rec;                  /* the copy */
    int32_t wait_days;                        /* days waited after the assessment date */
    struct rules_year years[RULES_MAX_YEARS]; /* its years */
    struct rules_result res;                  /* the evaluation of the copy */
};

/* Copies r into w. */
static void whatif_init(struct whatif *w, const struct rules_record *r)
{
    w->rec = *r;
    int n = r->n_years < RULES_MAX_YEARS ? r->n_years : RULES_MAX_YEARS;
    memcpy(w->years, r->years, (size_t)n * sizeof(*w->years));
    w->rec.n_years = n;
    w->rec.years = w->years;
    w->wait_days = 0;
}

/* Evaluates w's record, as of the original assessment date plus the days waited. */
static void whatif_eval(const struct rules_set *s, struct whatif *w, int year, int32_t as_of)
{
    rules_evaluate_at(s, &w->rec, year, as_of + w->wait_days, &w->res);
}

/* See rules.h. */
int rules_apply_change(struct rules_record *rec, struct rules_year *years,
                       const struct rules_change *c)
{
    struct rules_year *y = NULL;
    for (int i = 0; i < rec->n_years; i++)
        if (years[i].year == c->year)
            y = &years[i];
    if (!y || c->field < 0 || c->field >= RULES_N_STORED_YEARLY || !(y->present & (1u << c->field)))
        return -1;
    for (int f = 0; f < RULES_N_STORED_YEARLY; f++)
        if ((f == c->field || rules_field_contains(f, c->field)) && (y->present & (1u << f)))
            y->v[f] += c->delta;
    return 0;
}

/* Applies every change of fix to w's record (changes on absent data are skipped); a wait
 * moves the assessment date and adds the time to the years in the niche market. */
static void whatif_apply(struct whatif *w, const struct fix *f)
{
    for (int i = 0; i < f->n; i++)
        (void)rules_apply_change(&w->rec, w->years, &f->ch[i]);
    if (f->wait_days > 0) {
        w->wait_days += f->wait_days;
        int k = RULES_F_NICHE_YEARS - RULES_N_YEARLY;
        if (w->rec.id_present & (1ull << k))
            w->rec.id[k] += ((int64_t)f->wait_days * 100 + 364) / 365;
    }
}

/* Status of test t on r with one change (field += delta in year) applied. */
static int test_with(const struct rules_set *s, const struct rules_record *r,
                     const struct rules_result *res, int t, int field, int lever_year,
                     int64_t delta, struct whatif *w)
{
    whatif_init(w, r);
    struct rules_change c = {(int16_t)field, lever_year, delta};
    if (rules_apply_change(&w->rec, w->years, &c) != 0)
        return RULES_UNKNOWN;
    rules_evaluate_at(s, &w->rec, res->year, res->as_of_days, &w->res);
    return rules_test_status(s, &w->res, t);
}

/* Smallest delta in [1, SEARCH_MAX] that makes test t met, or -1 (binary search; the
 * measures are monotone in their lever). */
static int64_t search_delta(const struct rules_set *s, const struct rules_record *r,
                            const struct rules_result *res, int t, int field, int lever_year,
                            struct whatif *w)
{
    if (test_with(s, r, res, t, field, lever_year, SEARCH_MAX, w) != RULES_MET)
        return -1;
    int64_t lo = 1, hi = SEARCH_MAX;
    while (lo < hi) {
        int64_t mid = lo + (hi - lo) / 2;
        if (test_with(s, r, res, t, field, lever_year, mid, w) == RULES_MET)
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo;
}

/* ⌈a / b⌉ for b > 0. */
static __int128 ceil_div(__int128 a, __int128 b)
{
    return a >= 0 ? (a + b - 1) / b : -((-a) / b);
}

/* ⌊a / b⌋ for b > 0. */
static __int128 floor_div(__int128 a, __int128 b)
{
    return a >= 0 ? a / b : -((-a + b - 1) / b);
}

/* Smallest Δ ≥ 1 with c0 + c1·Δ op 0, or -1 when no Δ works (op GE/GT need c1 > 0,
 * LE/LT need c1 < 0). */
static __int128 linear_delta(__int128 c0, __int128 c1, enum rules_op op)
{
    __int128 d;
    switch (op) {
    case RULES_OP_GE:
        if (c1 <= 0)
            return -1;
        d = ceil_div(-c0, c1);
        break;
    case RULES_OP_GT:
        if (c1 <= 0)
            return -1;
        d = floor_div(-c0, c1) + 1;
        break;
    case RULES_OP_LE:
        if (c1 >= 0)
            return -1;
        d = ceil_div(c0, -c1);
        break;
    case RULES_OP_LT:
        if (c1 >= 0)
            return -1;
        d = floor_div(c0, -c1) + 1;
        break;
    default:
        return -1;
    }
    return d < 1 ? 1 : d;
}

/* Cost of a fix for ranking (COST_INF when blocked or needing data). */
static __int128 fix_cost(const struct rules_set *s, const struct fix *f)
{
    if (f->blocked || f->needs_data)
        return COST_INF;
    __int128 c = (__int128)f->wait_days * WAIT_COST_PER_DAY;
    for (int i = 0; i < f->n; i++)
        c += (__int128)f->ch[i].delta * s->unit_cost_fen[f->ch[i].field];
    return c;
}

/* Adds a change to a fix, keeping the larger delta for the same field and year. */
static void fix_add(struct fix *f, struct rules_change c)
{
    for (int i = 0; i < f->n; i++)
        if (f->ch[i].field == c.field && f->ch[i].year == c.year) {
            if (c.delta > f->ch[i].delta)
                f->ch[i].delta = c.delta;
            return;
        }
    if (f->n < RULES_MAX_CHANGES)
        f->ch[f->n++] = c;
    else
        f->blocked = true; /* more levers than we can carry: say so rather than guess */
}

/* The effective increase of field in year under fix: its own change plus the changes of
 * every field it contains (rules_apply_change raises containers too). */
static int64_t fix_eff(const struct fix *f, int field, int year)
{
    int64_t e = 0;
    for (int i = 0; i < f->n; i++)
        if (f->ch[i].year == year &&
            (f->ch[i].field == field || rules_field_contains(field, f->ch[i].field)))
            e += f->ch[i].delta;
    return e;
}

/* Number of fields f contains: contained fields sort before their containers. */
static int contained_count(int f)
{
    int n = 0;
    for (int g = 0; g < RULES_N_STORED_YEARLY; g++)
        n += rules_field_contains(f, g);
    return n;
}

/* Merges b into a where both must hold and both were computed on the same record: every
 * field must rise by the larger of the two effective increases; own changes are then
 * derived from the most contained field upwards (a new domestic R&D expense also counts
 * as R&D expense, so R&D only needs what the domestic change does not give). */
static void fix_merge(struct fix *a, const struct fix *b)
{
    struct fix out = {a->blocked || b->blocked,
                      a->needs_data || b->needs_data,
                      a->wait_days > b->wait_days ? a->wait_days : b->wait_days,
                      0,
                      {{0}}};
    struct rules_change req[2 * RULES_MAX_CHANGES];
    int n = 0;
    for (int k = 0; k < a->n + b->n; k++) {
        const struct rules_change *c = k < a->n ? &a->ch[k] : &b->ch[k - a->n];
        int dup = 0;
        for (int j = 0; j < n; j++)
            dup |= req[j].field == c->field && req[j].year == c->year;
        if (dup)
            continue;
        int64_t ea = fix_eff(a, c->field, c->year), eb = fix_eff(b, c->field, c->year);
        req[n++] = (struct rules_change){c->field, c->year, ea > eb ? ea : eb};
    }
    /* A container's requirement is best met through its deepest required contained field
     * (extra R&D made domestic also lifts the domestic share; more of a contained field
     * never hurts a "≥" test), so push it down; containers first. */
    for (int i = 0; i < n; i++) {
        int ci = -1;
        for (int j = 0; j < n; j++) /* the outermost container not yet pushed */
            if (req[j].delta > 0 &&
                (ci < 0 || contained_count(req[j].field) > contained_count(req[ci].field)))
                ci = j;
        if (ci < 0)
            break;
        int d = -1;
        for (int j = 0; j < n; j++)
            if (j != ci && req[j].year == req[ci].year &&
                rules_field_contains(req[ci].field, req[j].field) &&
                (d < 0 || contained_count(req[j].field) > contained_count(req[d].field)))
                d = j;
        if (d >= 0 && req[d].delta < req[ci].delta)
            req[d].delta = req[ci].delta;
        req[ci].delta = -req[ci].delta - 1; /* mark done (restored below) */
    }
    for (int i = 0; i < n; i++)
        if (req[i].delta < 0)
            req[i].delta = -(req[i].delta + 1);
    /* Most contained first (insertion sort by contained count). */
    for (int i = 1; i < n; i++)
        for (int j = i; j > 0 && contained_count(req[j].field) < contained_count(req[j - 1].field);
             j--) {
            struct rules_change t = req[j];
            req[j] = req[j - 1];
            req[j - 1] = t;
        }
    for (int i = 0; i < n; i++) {
        int64_t own = req[i].delta - fix_eff(&out, req[i].field, req[i].year);
        if (own > 0)
            fix_add(&out, (struct rules_change){req[i].field, req[i].year, own});
    }
    *a = out;
}

/* Merges b into a where b was computed after a's changes were applied: deltas add. */
static void fix_merge_sum(struct fix *a, const struct fix *b)
{
    a->blocked |= b->blocked;
    a->needs_data |= b->needs_data;
    a->wait_days += b->wait_days;
    for (int i = 0; i < b->n; i++) {
        int k = 0;
        for (; k < a->n; k++)
            if (a->ch[k].field == b->ch[i].field && a->ch[k].year == b->ch[i].year)
                break;
        if (k < a->n)
            a->ch[k].delta += b->ch[i].delta;
        else
            fix_add(a, b->ch[i]);
    }
}

/* What one test needs, with the current values in res. Writes the lever change (if any)
 * into *f; returns 0. */
static void test_fix(const struct rules_set *s, const struct rules_record *r,
                     const struct rules_result *res, int t, struct fix *f, struct whatif *w)
{
    memset(f, 0, sizeof(*f));
    const struct rules_test *tt = &s->tests[t];
    const struct rules_measure *m = &s->measures[tt->measure];
    const struct rules_value *v = &res->m[tt->measure];
    struct rules_q q;
    if (rules_test_status(s, res, t) == RULES_MET)
        return;
    if (v->state == RULES_V_MISSING || rules_test_threshold(s, res, t, &q) != 0) {
        f->needs_data = true;
        return;
    }
    int year = res->year;
    int lever_year = year + m->offset;
    if (m->kind == RULES_M_DAYS_SINCE) {
        if (tt->op != RULES_OP_GE && tt->op != RULES_OP_GT) {
            f->blocked = true;
            return;
        }
        __int128 need = ceil_div((__int128)q.num, q.den) + (tt->op == RULES_OP_GT) - v->num;
        f->wait_days = (int32_t)(need < 1 ? 1 : need);
        return;
    }
    if (m->field == RULES_F_NICHE_YEARS && (tt->op == RULES_OP_GE || tt->op == RULES_OP_GT)) {
        /* years ×100 to days: ⌈Δ·365/100⌉ (plus a day for ">") */
        __int128 d = ceil_div((__int128)q.num - v->num * q.den, q.den);
        f->wait_days = (int32_t)(ceil_div(d * 365, 100) + (tt->op == RULES_OP_GT));
        return;
    }
    int lever = m->field >= 0 ? rules_fields[m->field].lever : -1;
    if (m->kind == RULES_M_RATIO && (tt->op == RULES_OP_LE || tt->op == RULES_OP_LT))
        lever = rules_fields[m->den].lever;
    if (m->no_lever || lever < 0 || m->field >= RULES_N_YEARLY || tt->op == RULES_OP_EQ) {
        f->blocked = true;
        return;
    }
    __int128 d = -1;
    __int128 a = q.num, b = q.den;
    switch (m->kind) {
    case RULES_M_FIELD:
    case RULES_M_SUM:
        if (tt->op == RULES_OP_GE || tt->op == RULES_OP_GT)
            d = linear_delta(v->num * b - a, b, tt->op);
        break;
    case RULES_M_AVG:
        if (tt->op == RULES_OP_GE || tt->op == RULES_OP_GT)
            d = linear_delta(v->num * b - a * v->den, b, tt->op);
        break;
    case RULES_M_RATIO: {
        __int128 N = v->num,
                 D = v->state == RULES_V_OK && !(v->flags & RULES_MF_ZERO_DEN) ? v->den : 0;
        int up = tt->op == RULES_OP_GE || tt->op == RULES_OP_GT;
        int alpha = up ? 1 : rules_field_contains(m->field, lever);
        int beta = up ? rules_field_contains(m->den, lever) : 1;
        d = linear_delta(N * b - a * D, alpha * b - a * beta, tt->op);
        break;
    }
    default:
        break; /* growth: searched below */
    }
    int64_t delta = -1;
    if (d > 0 && d <= SEARCH_MAX) {
        delta = (int64_t)d;
        /* Check the closed form by re-evaluation: met at Δ, not met at Δ − 1. */
        if (test_with(s, r, res, t, lever, lever_year, delta, w) != RULES_MET ||
            (delta > 1 && test_with(s, r, res, t, lever, lever_year, delta - 1, w) == RULES_MET))
            delta = -1;
    }
    if (delta < 0 && (tt->op == RULES_OP_GE || tt->op == RULES_OP_GT || m->kind == RULES_M_RATIO))
        delta = search_delta(s, r, res, t, lever, lever_year, w);
    if (delta < 0) {
        f->blocked = true;
        return;
    }
    f->n = 1;
    f->ch[0] = (struct rules_change){(int16_t)lever, lever_year, delta};
}

/* What a list of tests (all or any) needs; *chosen is the test picked for "any". */
static void tests_fix(const struct rules_set *s, const struct rules_record *r,
                      const struct rules_result *res, int first, int n, bool any, struct fix *f,
                      int *chosen, struct whatif *w)
{
    memset(f, 0, sizeof(*f));
    *chosen = -1;
    __int128 best = COST_INF + 1;
    struct fix one;
    for (int t = first; t < first + n; t++) {
        int st = rules_test_status(s, res, t);
        if (st == RULES_MET) {
            if (any) {
                memset(f, 0, sizeof(*f));
                *chosen = t;
                return;
            }
            continue;
        }
        test_fix(s, r, res, t, &one, w);
        if (any) {
            __int128 c = fix_cost(s, &one);
            if (c < best || (c == best && one.needs_data && !f->needs_data)) {
                best = c;
                *f = one;
                *chosen = t;
            }
        } else {
            fix_merge(f, &one);
        }
    }
}

/* An option for the score knapsack: reach bracket `bracket` of item `item`. */
struct option {
    int8_t item;     /* item index */
    int16_t bracket; /* bracket reached */
    int16_t gain;    /* points gained (upper bound of the range) */
    __int128 cost;   /* ranking cost */
};

/* Lists the options of item i (better brackets of every alternative); returns the count. */
static int item_options(const struct rules_set *s, const struct rules_record *r,
                        const struct rules_result *res, int i, struct option *opt, int cap,
                        struct whatif *w)
{
    const struct rules_item *it = &s->items[i];
    const struct rules_item_result *ir = &res->item[i];
    int n = 0;
    if (it->kind != RULES_I_BRACKETS || ir->status == RULES_I_UNKNOWN)
        return 0;
    for (int a = 0; a < it->n_alts; a++) {
        const struct rules_alt *al = &s->alts[it->first_alt + a];
        for (int b = al->first_bracket; b < al->first_bracket + al->n_brackets; b++) {
            const struct rules_bracket *br = &s->brackets[b];
            if (br->hi <= ir->hi || br->is_else || n >= cap)
                continue;
            struct fix f;
            int chosen;
            tests_fix(s, r, res, br->first_test, br->n_tests, br->any, &f, &chosen, w);
            __int128 c = fix_cost(s, &f);
            if (c >= COST_INF)
                continue;
            opt[n++] = (struct option){(int8_t)i, (int16_t)b, (int16_t)(br->hi - ir->hi), c};
        }
    }
    return n;
}

/* The fix for one option (recomputed: options keep only their cost). */
static void option_fix(const struct rules_set *s, const struct rules_record *r,
                       const struct rules_result *res, const struct option *o, struct fix *f,
                       struct whatif *w)
{
    const struct rules_bracket *br = &s->brackets[o->bracket];
    int chosen;
    tests_fix(s, r, res, br->first_test, br->n_tests, br->any, f, &chosen, w);
}

/* Solves a score condition: the cheapest set of item options (one per item) whose gains
 * reach need points. items_in_scope selects the items (a group, one item, or all).
 * Writes the chosen options into chosen[] (count in *n_chosen); returns 0, or -1 when no
 * combination reaches the mark. */
static int score_plan(const struct rules_set *s, const struct rules_record *r,
                      const struct rules_result *res, const bool *in_scope, int need,
                      struct option *chosen, int *n_chosen, struct whatif *w)
{
    static const int NONE = -1;
    *n_chosen = 0;
    if (need <= 0)
        return 0;
    if (need > DP_MAX)
        return -1;
    struct option opts[RULES_MAX_ITEMS][MAX_OPTS];
    int n_opts[RULES_MAX_ITEMS] = {0};
    __int128 dp[DP_MAX + 1], nd[DP_MAX + 1];
    int8_t pick[RULES_MAX_ITEMS][DP_MAX + 1];  /* option taken at item i reaching g */
    int16_t from[RULES_MAX_ITEMS][DP_MAX + 1]; /* state before item i */
    for (int g = 0; g <= need; g++)
        dp[g] = g ? COST_INF : 0;
    for (int i = 0; i < s->n_items; i++) {
        for (int g = 0; g <= need; g++) {
            nd[g] = dp[g];
            pick[i][g] = (int8_t)NONE;
            from[i][g] = (int16_t)g;
        }
        if (in_scope[i])
            n_opts[i] = item_options(s, r, res, i, opts[i], MAX_OPTS, w);
        for (int o = 0; o < n_opts[i]; o++)
            for (int g = 0; g <= need; g++) {
                if (dp[g] >= COST_INF)
                    continue;
                int g2 = g + opts[i][o].gain > need ? need : g + opts[i][o].gain;
                __int128 c = dp[g] + opts[i][o].cost;
                if (c < nd[g2]) {
                    nd[g2] = c;
                    pick[i][g2] = (int8_t)o;
                    from[i][g2] = (int16_t)g;
                }
            }
        memcpy(dp, nd, sizeof(dp));
    }
    if (dp[need] >= COST_INF)
        return -1;
    int g = need;
    for (int i = s->n_items - 1; i >= 0; i--) {
        int o = pick[i][g];
        if (o != NONE)
            chosen[(*n_chosen)++] = opts[i][o];
        g = from[i][g];
    }
    return 0;
}

/* Points needed for "value op points" from the current upper bound hi, or -1 when raising
 * points cannot help (≤ / <). */
static int points_needed(enum rules_op op, int points, int hi)
{
    if (op == RULES_OP_GE)
        return points - hi;
    if (op == RULES_OP_GT)
        return points + 1 - hi;
    return -1;
}

/* Points range of score/item condition cd in res. */
static void cond_range(const struct rules_set *s, const struct rules_result *res,
                       const struct rules_condition *cd, int *lo, int *hi)
{
    (void)s;
    if (cd->kind == RULES_C_ITEM) {
        *lo = res->item[cd->target].lo;
        *hi = res->item[cd->target].hi;
    } else if (cd->target < 0) {
        *lo = res->score_lo;
        *hi = res->score_hi;
    } else {
        *lo = res->group_lo[cd->target];
        *hi = res->group_hi[cd->target];
    }
}

/* What a failing condition needs; for score conditions also returns the options chosen
 * first and, in *later, what re-evaluation showed was still needed (items interact: more
 * main-business revenue is also more operating revenue, which lowers other ratios). */
static void cond_fix(const struct rules_set *s, const struct rules_record *r,
                     const struct rules_result *res, int c, struct fix *f, struct option *chosen,
                     int *n_chosen, int *chosen_test, struct fix *later, struct whatif *w)
{
    const struct rules_condition *cd = &s->conditions[c];
    memset(f, 0, sizeof(*f));
    memset(later, 0, sizeof(*later));
    *n_chosen = 0;
    *chosen_test = -1;
    if (res->cond[c] == RULES_MET || res->cond[c] == RULES_UNCERTAIN)
        return;
    if (res->cond[c] == RULES_UNKNOWN) {
        f->needs_data = true;
        return;
    }
    if (cd->kind == RULES_C_TESTS) {
        tests_fix(s, r, res, cd->first_test, cd->n_tests, cd->any, f, chosen_test, w);
        return;
    }
    if (cd->kind == RULES_C_MANUAL) {
        f->blocked = true;
        return;
    }
    bool scope[RULES_MAX_ITEMS] = {0};
    for (int i = 0; i < s->n_items; i++)
        scope[i] = cd->kind == RULES_C_ITEM ? i == cd->target
                                            : cd->target < 0 || s->items[i].group == cd->target;
    struct whatif cur;
    whatif_init(&cur, r);
    const struct rules_result *now = res;
    for (int round = 0; round < 4; round++) {
        int lo, hi;
        cond_range(s, now, cd, &lo, &hi);
        if (cd->op != RULES_OP_GE && cd->op != RULES_OP_GT) {
            f->blocked = true; /* raising points cannot meet a "≤" */
            return;
        }
        int need = points_needed(cd->op, cd->points, hi);
        if (need <= 0)
            break;
        struct option opts[RULES_MAX_ITEMS];
        int n_opts;
        if (score_plan(s, &cur.rec, now, scope, need, opts, &n_opts, w) != 0 || n_opts == 0) {
            f->blocked = true;
            return;
        }
        struct fix step = {0};
        for (int i = 0; i < n_opts; i++) {
            struct fix one;
            option_fix(s, &cur.rec, now, &opts[i], &one, w);
            fix_merge(&step, &one);
        }
        if (step.blocked || step.needs_data || (!step.n && !step.wait_days)) {
            f->blocked = true;
            return;
        }
        if (round == 0) {
            memcpy(chosen, opts, sizeof(*opts) * (size_t)n_opts);
            *n_chosen = n_opts;
        } else {
            fix_merge_sum(later, &step);
        }
        fix_merge_sum(f, &step);
        whatif_apply(&cur, &step);
        whatif_eval(s, &cur, res->year, res->as_of_days);
        now = &cur.res;
    }
    int lo, hi;
    cond_range(s, now, cd, &lo, &hi);
    if (points_needed(cd->op, cd->points, hi) > 0)
        f->blocked = true; /* four rounds did not get there: do not pretend */
}

/* The combined plan for verdict node n: all → every failing child, any → the cheapest.
 * Marks the conditions the plan relies on in used[]. */
static void node_fix(const struct rules_set *s, const struct rules_record *r,
                     const struct rules_result *res, int n, struct fix *f, bool *used,
                     struct whatif *w)
{
    const struct rules_node *nd = &s->nodes[n];
    memset(f, 0, sizeof(*f));
    if (nd->kind == 0) {
        struct option chosen[RULES_MAX_ITEMS];
        struct fix later;
        int n_chosen, ct;
        cond_fix(s, r, res, nd->cond, f, chosen, &n_chosen, &ct, &later, w);
        if (res->cond[nd->cond] == RULES_NOT_MET || res->cond[nd->cond] == RULES_UNKNOWN)
            used[nd->cond] = true;
        return;
    }
    if (nd->kind == 1) {
        /* First the plain conditions; then score conditions and sub-expressions are
         * planned on the record with those changes applied, so that e.g. the staff
         * hired for one condition also count toward the score. */
        for (int i = 0; i < nd->n_children; i++) {
            const struct rules_node *ch = &s->nodes[nd->child[i]];
            if (ch->kind != 0 || s->conditions[ch->cond].kind == RULES_C_SCORE)
                continue;
            struct fix one;
            node_fix(s, r, res, nd->child[i], &one, used, w);
            fix_merge(f, &one);
        }
        struct whatif *mod = NULL;
        struct whatif local;
        if (f->n || f->wait_days) {
            mod = &local;
            whatif_init(mod, r);
            whatif_apply(mod, f);
            whatif_eval(s, mod, res->year, res->as_of_days);
        }
        for (int i = 0; i < nd->n_children; i++) {
            const struct rules_node *ch = &s->nodes[nd->child[i]];
            if (ch->kind == 0 && s->conditions[ch->cond].kind != RULES_C_SCORE)
                continue;
            struct fix one;
            node_fix(s, mod ? &mod->rec : r, mod ? &mod->res : res, nd->child[i], &one, used, w);
            fix_merge_sum(f, &one); /* relative to the modified record: add */
        }
        return;
    }
    /* any: the cheapest child; its conditions alone are marked */
    __int128 best = COST_INF + 1;
    bool best_used[RULES_MAX_CONDITIONS] = {0};
    for (int i = 0; i < nd->n_children; i++) {
        struct fix one;
        bool u[RULES_MAX_CONDITIONS] = {0};
        node_fix(s, r, res, nd->child[i], &one, u, w);
        __int128 c = fix_cost(s, &one);
        if (c < best || (c == best && !one.blocked && f->blocked)) {
            best = c;
            *f = one;
            memcpy(best_used, u, sizeof(u));
        }
        if (c == 0 && !one.blocked && !one.needs_data)
            break; /* this branch already holds */
    }
    for (int i = 0; i < RULES_MAX_CONDITIONS; i++)
        used[i] |= best_used[i];
}

/* ---------------------------------------------------------------- texts */

/* Writes a change's amount: "¥1,240,000", "2 名" / "2 more". */
static void amount_text(const struct rules_change *c, struct tb *zh, struct tb *en)
{
    const struct rules_field_info *fi = &rules_fields[c->field];
    if (fi->unit == RULES_U_FEN) {
        char m[48];
        rules_fmt_money(m, sizeof(m), c->delta);
        tb_printf(zh, "%s再增加 %s", fi->zh, m);
        tb_printf(en, "add %s of %s", m, fi->en);
    } else if (fi->unit == RULES_U_PERSONS) {
        tb_printf(zh, "需再增加 %lld 名%s", (long long)c->delta, fi->zh);
        tb_printf(en, "add %lld more %s", (long long)c->delta, fi->en);
    } else {
        tb_printf(zh, "%s再增加 %lld 项", fi->zh, (long long)c->delta);
        tb_printf(en, "add %lld more %s", (long long)c->delta, fi->en);
    }
    /* Containers that rise with it (the decision documented in README). */
    int first = 1;
    for (int f = 0; f < RULES_N_STORED_YEARLY; f++)
        if (rules_field_contains(f, c->field)) {
            tb_printf(zh, "%s%s", first ? "（同时计入" : "、", rules_fields[f].zh);
            tb_printf(en, "%s%s", first ? " (also counted in " : ", ", rules_fields[f].en);
            first = 0;
        }
    if (!first) {
        tb_printf(zh, "）");
        tb_printf(en, ")");
    }
}

/* Writes the current value of test t's measure: "3.2%", "科技人员 8 人 / 职工总数 90 人（8.88%）".
 */
static void current_text(const struct rules_set *s, const struct rules_result *res, int t,
                         struct tb *zh, struct tb *en)
{
    const struct rules_measure *m = &s->measures[s->tests[t].measure];
    const struct rules_value *v = &res->m[s->tests[t].measure];
    char val[64];
    rules_fmt_value(val, sizeof(val), m->unit, v);
    if (m->kind == RULES_M_RATIO && rules_fields[m->field].unit == RULES_U_PERSONS) {
        long long num = (long long)v->num;
        long long den =
            v->state == RULES_V_OK && !(v->flags & RULES_MF_ZERO_DEN) ? (long long)v->den : 0;
        tb_printf(zh, "%s %lld 人 / %s %lld 人（%s）", rules_fields[m->field].zh, num,
                  rules_fields[m->den].zh, den, val);
        tb_printf(en, "%s %lld / %s %lld (%s)", rules_fields[m->field].en, num,
                  rules_fields[m->den].en, den, val);
    } else if (m->unit == RULES_U_BOOL) {
        tb_printf(zh, "%s：%s", m->zh, v->num ? "是" : "否");
        tb_printf(en, "%s: %s", m->en, v->num ? "yes" : "no");
    } else {
        tb_printf(zh, "%s %s", m->zh, val);
        tb_printf(en, "%s %s", m->en, val);
    }
}

static const char *const op_text[] = {"≥", ">", "≤", "<", "="};

/* Writes the text of one test's fix. */
static void test_text(const struct rules_set *s, const struct rules_record *r,
                      const struct rules_result *res, int t, const struct fix *f, struct tb *zh,
                      struct tb *en)
{
    const struct rules_test *tt = &s->tests[t];
    const struct rules_measure *m = &s->measures[tt->measure];
    if (f->needs_data) {
        int fields[8], years[8];
        int n = rules_measure_missing(s, tt->measure, r, res->year, fields, years, 8);
        tb_printf(zh, "%s：缺少数据", m->zh);
        tb_printf(en, "%s: data missing", m->en);
        for (int i = 0; i < n; i++) {
            if (years[i]) {
                tb_printf(zh, "%s%s(%d)", i ? "、" : " ", rules_fields[fields[i]].zh, years[i]);
                tb_printf(en, "%s%s (%d)", i ? ", " : " ", rules_fields[fields[i]].en, years[i]);
            } else {
                tb_printf(zh, "%s%s", i ? "、" : " ", rules_fields[fields[i]].zh);
                tb_printf(en, "%s%s", i ? ", " : " ", rules_fields[fields[i]].en);
            }
        }
        return;
    }
    struct rules_q q;
    char thr[64] = "";
    if (rules_test_threshold(s, res, t, &q) == 0)
        rules_fmt_q(thr, sizeof(thr), m->unit, q);
    if (m->unit == RULES_U_BOOL) {
        tb_printf(zh, "需满足：%s", m->zh);
        tb_printf(en, "requires: %s", m->en);
        return;
    }
    current_text(s, res, t, zh, en);
    tb_printf(zh, "，需 %s%s：", op_text[tt->op], thr);
    tb_printf(en, ", needs %s%s: ", op_text[tt->op], thr);
    if (f->wait_days) {
        char date[32];
        int64_t day = res->as_of_days + f->wait_days;
        /* civil date of day for the text */
        int64_t z = day + 719468, era = (z >= 0 ? z : z - 146096) / 146097;
        unsigned doe = (unsigned)(z - era * 146097);
        unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
        unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100), mp = (5 * doy + 2) / 153;
        unsigned d = doy - (153 * mp + 2) / 5 + 1, mo = mp < 10 ? mp + 3 : mp - 9;
        snprintf(date, sizeof(date), "%04d-%02u-%02u", (int)(yoe + era * 400 + (mo <= 2)), mo, d);
        tb_printf(zh, "需再等待 %d 天（自评价基准日 %s 起算，%s 满足）", (int)f->wait_days, "12-31",
                  date);
        tb_printf(en, "wait %d more days (from 31 December; met on %s)", (int)f->wait_days, date);
        return;
    }
    if (f->blocked || f->n == 0) {
        tb_printf(zh, "无法通过增加投入或人员满足");
        tb_printf(en, "cannot be met by adding spending or staff");
        return;
    }
    if (f->ch[0].year != res->year) { /* e.g. "each of the last two years": the year before */
        tb_printf(zh, "%d年", f->ch[0].year);
        tb_printf(en, "in %d, ", f->ch[0].year);
    }
    amount_text(&f->ch[0], zh, en);
}

/* Writes the text of a score option: "研发投入指标 20→30 分（研发费用再增加 ¥X）". */
static void option_text(const struct rules_set *s, const struct rules_record *r,
                        const struct rules_result *res, const struct option *o, struct tb *zh,
                        struct tb *en, struct whatif *w)
{
    const struct rules_item *it = &s->items[o->item];
    const struct rules_bracket *br = &s->brackets[o->bracket];
    int cur = res->item[o->item].hi;
    tb_printf(zh, "%s %d→%d 分（%s）：", it->zh, cur, br->hi, br->zh);
    tb_printf(en, "%s %d→%d points (%s): ", it->en, cur, br->hi, br->en);
    struct fix f;
    int chosen;
    tests_fix(s, r, res, br->first_test, br->n_tests, br->any, &f, &chosen, w);
    int first = 1;
    for (int t = br->first_test; t < br->first_test + br->n_tests; t++) {
        if (br->any && t != chosen)
            continue;
        if (rules_test_status(s, res, t) == RULES_MET)
            continue;
        struct fix one;
        test_fix(s, r, res, t, &one, w);
        if (!first) {
            tb_printf(zh, "；");
            tb_printf(en, "; ");
        }
        test_text(s, r, res, t, &one, zh, en);
        first = 0;
    }
}

/* Fills the money and persons totals of a gap from its changes. */
static void gap_totals(struct rules_gap *g)
{
    g->money_fen = g->persons = 0;
    for (int i = 0; i < g->n_changes; i++) {
        enum rules_unit u = rules_fields[g->changes[i].field].unit;
        if (u == RULES_U_FEN)
            g->money_fen += g->changes[i].delta;
        else if (u == RULES_U_PERSONS)
            g->persons += g->changes[i].delta;
    }
}

/* Copies a fix into a gap. */
static void gap_from_fix(struct rules_gap *g, const struct fix *f)
{
    g->fixable = !f->blocked && !f->needs_data;
    g->needs_data = f->needs_data;
    g->wait_days = f->wait_days;
    g->n_changes = f->n;
    memcpy(g->changes, f->ch, sizeof(f->ch[0]) * f->n);
    gap_totals(g);
}

/* The gap of one failing condition. */
static void cond_gap(const struct rules_set *s, const struct rules_record *r,
                     const struct rules_result *res, int c, struct rules_gap *g, struct whatif *w)
{
    const struct rules_condition *cd = &s->conditions[c];
    struct fix f, later;
    struct option chosen[RULES_MAX_ITEMS];
    int n_chosen, ct;
    memset(g, 0, sizeof(*g));
    g->kind = RULES_G_CONDITION;
    g->cond = (int8_t)c;
    g->item = -1;
    g->bracket = -1;
    cond_fix(s, r, res, c, &f, chosen, &n_chosen, &ct, &later, w);
    gap_from_fix(g, &f);
    struct tb zh = {g->zh, sizeof(g->zh), 0}, en = {g->en, sizeof(g->en), 0};
    tb_printf(&zh, "【%s】", cd->zh);
    tb_printf(&en, "[%s] ", cd->en);
    if (cd->kind == RULES_C_TESTS) {
        int first = 1;
        for (int t = cd->first_test; t < cd->first_test + cd->n_tests; t++) {
            if (res->test[t] == RULES_MET || (cd->any && t != ct))
                continue;
            struct fix one;
            test_fix(s, r, res, t, &one, w);
            if (!first) {
                tb_printf(&zh, "；");
                tb_printf(&en, "; ");
            }
            test_text(s, r, res, t, &one, &zh, &en);
            first = 0;
        }
        if (cd->any) {
            tb_printf(&zh, "（满足其中一项即可）");
            tb_printf(&en, " (any one suffices)");
        }
        return;
    }
    if (cd->kind == RULES_C_MANUAL) {
        tb_printf(&zh, "需人工审核");
        tb_printf(&en, "needs a manual review");
        return;
    }
    int lo, hi;
    cond_range(s, res, cd, &lo, &hi);
    if (lo == hi) {
        tb_printf(&zh, "当前 %d 分，需 %s%d 分", hi, op_text[cd->op], cd->points);
        tb_printf(&en, "now %d points, needs %s%d", hi, op_text[cd->op], cd->points);
    } else { /* expert ranges: the gap makes a pass possible; the experts decide */
        tb_printf(&zh,
                  "当前 %d–%d 分（含专家评价区间），需 %s%d 分；以下调整使最高可能得分达到要求，"
                  "最终由专家评价",
                  lo, hi, op_text[cd->op], cd->points);
        tb_printf(&en,
                  "now %d–%d points (expert ranges included), needs %s%d; the changes below "
                  "make a pass possible, the experts decide",
                  lo, hi, op_text[cd->op], cd->points);
    }
    if (f.needs_data) {
        tb_printf(&zh, "：缺少数据");
        tb_printf(&en, ": data missing");
        return;
    }
    if (f.blocked) {
        tb_printf(&zh, "：无法通过增加投入或人员达到");
        tb_printf(&en, ": cannot be reached by adding spending or staff");
        return;
    }
    tb_printf(&zh, "。最省的组合：");
    tb_printf(&en, ". Cheapest combination: ");
    for (int i = 0; i < n_chosen; i++) {
        if (i) {
            tb_printf(&zh, "；");
            tb_printf(&en, "; ");
        }
        option_text(s, r, res, &chosen[i], &zh, &en, w);
    }
    if (later.n) { /* what re-evaluation showed the interactions still need */
        tb_printf(&zh, "。各项相互影响，另需：");
        tb_printf(&en, ". The items interact; also: ");
        for (int i = 0; i < later.n; i++) {
            if (i) {
                tb_printf(&zh, "；");
                tb_printf(&en, "; ");
            }
            amount_text(&later.ch[i], &zh, &en);
        }
    }
}

/* Writes the combined text. */
static void combined_text(const struct rules_set *s, const struct rules_gaps *out,
                          struct rules_gap *g)
{
    struct tb zh = {g->zh, sizeof(g->zh), 0}, en = {g->en, sizeof(g->en), 0};
    tb_printf(&zh, "合计最少需要：");
    tb_printf(&en, "Combined minimum: ");
    for (int i = 0; i < g->n_changes; i++) {
        if (i) {
            tb_printf(&zh, "；");
            tb_printf(&en, "; ");
        }
        amount_text(&g->changes[i], &zh, &en);
        tb_printf(&zh, "（%d年）", g->changes[i].year);
        tb_printf(&en, " (%d)", g->changes[i].year);
    }
    if (g->n_changes) {
        char m[48];
        rules_fmt_money(m, sizeof(m), g->money_fen);
        tb_printf(&zh, "。共计资金 %s，人员 %lld 名", m, (long long)g->persons);
        tb_printf(&en, ". In all %s and %lld persons", m, (long long)g->persons);
    }
    if (g->wait_days) {
        tb_printf(&zh, "%s再等待 %d 天", g->n_changes ? "；" : "", (int)g->wait_days);
        tb_printf(&en, "%swait %d more days", g->n_changes ? "; " : "", (int)g->wait_days);
    }
    /* Conditions no change can fix, and those waiting for data, are named. */
    for (int pass = 0; pass < 2; pass++) {
        int first = 1;
        for (int i = 0; i < out->n; i++) {
            const struct rules_gap *cg = &out->g[i];
            if (cg->kind != RULES_G_CONDITION || cg->fixable || cg->needs_data != (pass == 1))
                continue;
            const struct rules_condition *cd = &s->conditions[cg->cond];
            tb_printf(&zh, "%s%s", first ? (pass ? "。需补充数据：" : "。另需满足：") : "、",
                      cd->zh);
            tb_printf(&en, "%s%s",
                      first ? (pass ? ". Data needed for: " : ". Also required: ") : ", ", cd->en);
            first = 0;
        }
    }
    static const char *const zh_after[] = {"达标", "仍不达标", "结果未知（缺少数据）",
                                           "取决于专家评价或人工审核"};
    static const char *const en_after[] = {"passes", "still fails", "unknown (data missing)",
                                           "depends on expert scoring or a manual review"};
    tb_printf(&zh, "。按上述调整后重新评价：%s", zh_after[g->reaches]);
    tb_printf(&en, ". Re-evaluated with these changes: %s", en_after[g->reaches]);
}

/* Orders item gaps by ranking cost (insertion sort; few entries). */
static void sort_item_gaps(const struct rules_set *s, struct rules_gap *g, int n)
{
    for (int i = 1; i < n; i++)
        for (int j = i; j > 0; j--) {
            struct fix a = {0}, b = {0};
            a.n = g[j - 1].n_changes;
            memcpy(a.ch, g[j - 1].changes, sizeof(a.ch[0]) * a.n);
            b.n = g[j].n_changes;
            memcpy(b.ch, g[j].changes, sizeof(b.ch[0]) * b.n);
            if (fix_cost(s, &b) >= fix_cost(s, &a))
                break;
            struct rules_gap t = g[j];
            g[j] = g[j - 1];
            g[j - 1] = t;
        }
}

/* See rules.h. */
void rules_gaps(const struct rules_set *s, const struct rules_record *r,
                const struct rules_result *res, struct rules_gaps *out)
{
    out->n = 0;
    if (res->verdict != RULES_NOT_MET)
        return;
    static _Thread_local struct whatif w; /* large; one per thread, not on the stack */
    bool used[RULES_MAX_CONDITIONS] = {0};
    struct fix plan;
    node_fix(s, r, res, 0, &plan, used, &w);
    /* One gap per failing condition the plan relies on, then the next bracket of each
     * item those score conditions can raise. */
    bool item_done[RULES_MAX_ITEMS] = {0};
    for (int c = 0; c < s->n_conditions && out->n < RULES_MAX_GAPS - 1; c++) {
        if (!used[c] || (res->cond[c] != RULES_NOT_MET && res->cond[c] != RULES_UNKNOWN))
            continue;
        cond_gap(s, r, res, c, &out->g[out->n++], &w);
        const struct rules_condition *cd = &s->conditions[c];
        if (cd->kind != RULES_C_SCORE && cd->kind != RULES_C_ITEM)
            continue;
        int first_item_gap = out->n;
        for (int i = 0; i < s->n_items && out->n < RULES_MAX_GAPS - 1; i++) {
            bool in = cd->kind == RULES_C_ITEM ? i == cd->target
                                               : cd->target < 0 || s->items[i].group == cd->target;
            if (!in || item_done[i])
                continue;
            struct option opts[MAX_OPTS];
            int n = item_options(s, r, res, i, opts, MAX_OPTS, &w);
            if (!n)
                continue;
            /* the next bracket: the smallest gain, the cheapest among equal gains */
            int best = 0;
            for (int o = 1; o < n; o++)
                if (opts[o].gain < opts[best].gain ||
                    (opts[o].gain == opts[best].gain && opts[o].cost < opts[best].cost))
                    best = o;
            struct rules_gap *g = &out->g[out->n++];
            memset(g, 0, sizeof(*g));
            g->kind = RULES_G_ITEM;
            g->cond = -1;
            g->item = (int8_t)i;
            g->bracket = opts[best].bracket;
            g->points_gain = opts[best].gain;
            struct fix f;
            option_fix(s, r, res, &opts[best], &f, &w);
            gap_from_fix(g, &f);
            struct tb zh = {g->zh, sizeof(g->zh), 0}, en = {g->en, sizeof(g->en), 0};
            option_text(s, r, res, &opts[best], &zh, &en, &w);
            item_done[i] = true;
        }
        sort_item_gaps(s, &out->g[first_item_gap], out->n - first_item_gap);
    }
    /* The combined minimum: apply the plan, re-evaluate, plan again on what is left. */
    struct rules_gap *g = &out->g[out->n++];
    memset(g, 0, sizeof(*g));
    g->kind = RULES_G_COMBINED;
    g->cond = g->item = -1;
    g->bracket = -1;
    struct fix total = plan;
    static _Thread_local struct whatif cur;
    whatif_init(&cur, r);
    whatif_apply(&cur, &plan);
    whatif_eval(s, &cur, res->year, res->as_of_days);
    for (int round = 0; round < 4 && cur.res.verdict == RULES_NOT_MET && !plan.blocked &&
                        !plan.needs_data && (plan.n || plan.wait_days);
         round++) {
        bool u2[RULES_MAX_CONDITIONS] = {0};
        struct rules_record snap = cur.rec;
        node_fix(s, &snap, &cur.res, 0, &plan, u2, &w);
        if (plan.blocked || plan.needs_data || (!plan.n && !plan.wait_days))
            break;
        for (int i = 0; i < plan.n; i++) { /* add to the running total */
            int k = 0;
            for (; k < total.n; k++)
                if (total.ch[k].field == plan.ch[i].field && total.ch[k].year == plan.ch[i].year)
                    break;
            if (k == total.n && total.n < RULES_MAX_CHANGES)
                total.ch[total.n++] = (struct rules_change){plan.ch[i].field, plan.ch[i].year, 0};
            if (k < total.n)
                total.ch[k].delta += plan.ch[i].delta;
        }
        total.wait_days += plan.wait_days;
        whatif_apply(&cur, &plan);
        whatif_eval(s, &cur, res->year, res->as_of_days);
    }
    gap_from_fix(g, &total);
    g->reaches = cur.res.verdict;
    if (g->reaches == RULES_NOT_MET)
        g->fixable = false;
    combined_text(s, out, g);
}
