/*
 * eval.c — evaluates a pre-parsed rule set against one enterprise record.
 *
 * The hot path: no allocation, no JSON, no floating point. Every measure is an exact
 * rational num/den in 128 bits; every comparison is a cross-multiplication
 * (R&D/revenue ≥ 4% ⇔ rd·100 ≥ revenue·4). Statuses combine in a four-valued logic:
 * not_met dominates, then unknown (data missing), then uncertain (experts decide), then
 * met — for "any" the same with met dominating.
 */
#include "rules/rules.h"

#include <string.h>

/* Per-evaluation context: the record and where each year of the window is. */
struct ctx {
    const struct rules_set *s;          /* the rule set */
    const struct rules_record *r;       /* the record */
    int year;                           /* evaluated year */
    int32_t as_of;                      /* assessment date, days since 1970 */
    int reg_year;                       /* year of registration, or 0 when unknown */
    int16_t yidx[RULES_MAX_WINDOW + 1]; /* index in r->years of year − k, or -1 */
};

/* Reads yearly field f of year (evaluated year − k); 1 when present. Derived fields are
 * computed from their components (present when all are). */
static inline int yget(const struct ctx *c, int k, int f, int64_t *v)
{
    int i = c->yidx[k];
    if (i < 0)
        return 0;
    const struct rules_year *y = &c->r->years[i];
    if (f < RULES_N_STORED_YEARLY) {
        if (!(y->present & (1u << f)))
            return 0;
        *v = y->v[f];
        return 1;
    }
    int a, b, sign;
    if (f == RULES_F_NET_ASSETS) {
        a = RULES_F_TOTAL_ASSETS, b = RULES_F_TOTAL_LIABILITIES, sign = -1;
    } else {
        a = RULES_F_IP_CLASS1, b = RULES_F_IP_CLASS2, sign = 1;
    }
    uint32_t need = (1u << a) | (1u << b);
    if ((y->present & need) != need)
        return 0;
    *v = y->v[a] + sign * y->v[b];
    return 1;
}

/* Reads identity field f; 1 when present. */
static inline int idget(const struct rules_record *r, int f, int64_t *v)
{
    int i = f - RULES_N_YEARLY;
    if (!(r->id_present & (1ull << i)))
        return 0;
    *v = r->id[i];
    return 1;
}

/* Sets *v to the exact value num/den, normalising the sign of den (den ≠ 0). */
static inline void set_q(struct rules_value *v, __int128 num, __int128 den)
{
    if (den < 0) {
        num = -num;
        den = -den;
    }
    v->num = num;
    v->den = den;
    v->state = RULES_V_OK;
}

/* num/0: +∞ for a positive numerator, −∞ for a negative one, 0 for 0/0 (README). */
static inline void set_over_zero(struct rules_value *v, __int128 num)
{
    v->flags |= RULES_MF_ZERO_DEN;
    if (num == 0) {
        set_q(v, 0, 1);
        return;
    }
    v->num = num;
    v->den = 0;
    v->state = num > 0 ? RULES_V_INF : RULES_V_NEG_INF;
}

/* The window of measure m: how many years (n) ending k0 years before the evaluated year;
 * shortened to the operating period when the measure says so. 0, or -1 when the firm
 * was not yet registered at the end of the window. */
static inline int window(const struct ctx *c, const struct rules_measure *m, int *k0, int *n,
                         uint8_t *flags)
{
    *k0 = -m->offset;
    *n = m->years;
    if (m->operating && c->reg_year) {
        int op_years = c->year - *k0 - c->reg_year + 1;
        if (op_years < 1)
            return -1;
        if (op_years < *n) {
            *n = op_years;
            *flags |= RULES_MF_SHORT;
        }
    }
    return 0;
}

/* Sums yearly field f over n years ending k0 years back; 1 when every year is present. */
static inline int wsum(const struct ctx *c, int f, int k0, int n, __int128 *out)
{
    __int128 sum = 0;
    for (int k = k0; k < k0 + n; k++) {
        int64_t v;
        if (!yget(c, k, f, &v))
            return 0;
        sum += v;
    }
    *out = sum;
    return 1;
}

/* The HNTE growth formula on three values (research §2.4): second year 0 → 0 points;
 * first year 0 → v3/v2 − 1; else ½(v2/v1 + v3/v2) − 1 = (v2² + v1·v3 − 2·v1·v2)/(2·v1·v2). */
static void growth3(struct rules_value *out, int64_t v1, int64_t v2, int64_t v3)
{
    if (v2 == 0) {
        out->flags |= RULES_MF_SECOND_ZERO;
        set_q(out, 0, 1);
        return;
    }
    if (v1 < 0 || v2 < 0)
        out->flags |= RULES_MF_NEGATIVE;
    if (v1 == 0) {
        out->flags |= RULES_MF_FIRST_ZERO;
        set_q(out, (__int128)v3 - v2, v2);
        return;
    }
    __int128 a = v1, b = v2, d = v3;
    set_q(out, b * b + a * d - 2 * a * b, 2 * a * b);
}

/* Evaluates measure m into *out. */
static void measure_eval(const struct ctx *c, const struct rules_measure *m,
                         struct rules_value *out)
{
    out->state = RULES_V_MISSING;
    out->flags = 0;
    out->n_years = 0;
    int64_t v;
    int k0, n;
    switch (m->kind) {
    case RULES_M_FIELD:
        if (m->field < RULES_N_YEARLY) {
            if (yget(c, -m->offset, m->field, &v)) {
                set_q(out, v, 1);
                out->n_years = 1;
            }
        } else if (idget(c->r, m->field, &v)) {
            set_q(out, v, 1);
        }
        return;
    case RULES_M_DAYS_SINCE:
        if (idget(c->r, m->field, &v))
            set_q(out, (__int128)c->as_of - v, 1);
        return;
    case RULES_M_SUM:
    case RULES_M_AVG: {
        __int128 sum;
        if (window(c, m, &k0, &n, &out->flags) != 0 || !wsum(c, m->field, k0, n, &sum))
            return;
        set_q(out, sum, m->kind == RULES_M_AVG ? n : 1);
        out->n_years = (uint8_t)n;
        return;
    }
    case RULES_M_RATIO: {
        __int128 num, den;
        if (window(c, m, &k0, &n, &out->flags) != 0 || !wsum(c, m->field, k0, n, &num) ||
            !wsum(c, m->den, k0, n, &den))
            return;
        out->n_years = (uint8_t)n;
        if (den == 0)
            set_over_zero(out, num);
        else
            set_q(out, num, den);
        return;
    }
    case RULES_M_GROWTH: {
        int64_t prev, cur;
        k0 = -m->offset;
        if (!yget(c, k0, m->field, &cur) || !yget(c, k0 + 1, m->field, &prev))
            return;
        out->n_years = 2;
        if (prev == 0)
            set_over_zero(out, cur);
        else
            set_q(out, (__int128)cur - prev, prev);
        if (prev < 0)
            out->flags |= RULES_MF_NEGATIVE;
        return;
    }
    case RULES_M_GROWTH_AVG: {
        int64_t v1, v2, v3;
        n = 3;
        k0 = -m->offset;
        if (m->operating && c->reg_year) {
            n = c->year - k0 - c->reg_year + 1;
            if (n < 1)
                return;
            if (n > 3)
                n = 3;
        }
        if (!yget(c, k0, m->field, &v3))
            return;
        if (n == 1) { /* one year of operation: no growth to measure, 0 points */
            out->flags |= RULES_MF_SHORT | RULES_MF_ONE_YEAR;
            out->n_years = 1;
            set_q(out, 0, 1);
            return;
        }
        if (!yget(c, k0 + 1, m->field, &v2))
            return;
        if (n == 2) { /* two years of operation: v3/v2 − 1 (research §2.4 ◐) */
            out->flags |= RULES_MF_SHORT;
            out->n_years = 2;
            if (v2 == 0) {
                out->flags |= RULES_MF_SECOND_ZERO;
                set_q(out, 0, 1);
            } else {
                if (v2 < 0)
                    out->flags |= RULES_MF_NEGATIVE;
                set_q(out, (__int128)v3 - v2, v2);
            }
            return;
        }
        out->n_years = 3;
        if (v2 != 0 && !yget(c, k0 + 2, m->field, &v1))
            return;
        if (v2 == 0)
            v1 = 0;
        growth3(out, v1, v2, v3);
        return;
    }
    }
}

/* Compares a value with a threshold: MET, NOT_MET or UNKNOWN (missing). */
static inline int cmp_status(const struct rules_value *v, enum rules_op op, struct rules_q q)
{
    if (v->state == RULES_V_MISSING)
        return RULES_UNKNOWN;
    int sign;
    if (v->state == RULES_V_INF) {
        sign = 1;
    } else if (v->state == RULES_V_NEG_INF) {
        sign = -1;
    } else {
        __int128 l = v->num * q.den, r = (__int128)q.num * v->den;
        sign = (l > r) - (l < r);
    }
    int ok;
    switch (op) {
    case RULES_OP_GE:
        ok = sign >= 0;
        break;
    case RULES_OP_GT:
        ok = sign > 0;
        break;
    case RULES_OP_LE:
        ok = sign <= 0;
        break;
    case RULES_OP_LT:
        ok = sign < 0;
        break;
    default:
        ok = sign == 0;
        break;
    }
    return ok ? RULES_MET : RULES_NOT_MET;
}

/* See rules.h. */
int rules_test_threshold(const struct rules_set *s, const struct rules_result *res, int t,
                         struct rules_q *out)
{
    const struct rules_test *tt = &s->tests[t];
    if (tt->band < 0) {
        *out = tt->value;
        return 0;
    }
    const struct rules_band *b = &s->bands[tt->band];
    const struct rules_value *bv = &res->m[b->measure];
    if (bv->state == RULES_V_MISSING)
        return -1;
    for (int i = 0; i < b->n_rows; i++)
        if (b->rows[i].is_else || cmp_status(bv, b->rows[i].op, b->rows[i].value) == RULES_MET) {
            *out = b->rows[i].threshold;
            return 0;
        }
    return -1; /* unreachable: the last row is else */
}

/* See rules.h. */
int rules_test_status(const struct rules_set *s, const struct rules_result *res, int t)
{
    const struct rules_test *tt = &s->tests[t];
    struct rules_q q;
    if (tt->band < 0)
        return cmp_status(&res->m[tt->measure], tt->op, tt->value);
    if (rules_test_threshold(s, res, t, &q) != 0)
        return RULES_UNKNOWN;
    return cmp_status(&res->m[tt->measure], tt->op, q);
}

/* Four-valued AND of a and b. */
static inline int and4(int a, int b)
{
    if (a == RULES_NOT_MET || b == RULES_NOT_MET)
        return RULES_NOT_MET;
    if (a == RULES_UNKNOWN || b == RULES_UNKNOWN)
        return RULES_UNKNOWN;
    if (a == RULES_UNCERTAIN || b == RULES_UNCERTAIN)
        return RULES_UNCERTAIN;
    return RULES_MET;
}

/* Four-valued OR of a and b. */
static inline int or4(int a, int b)
{
    if (a == RULES_MET || b == RULES_MET)
        return RULES_MET;
    if (a == RULES_UNKNOWN || b == RULES_UNKNOWN)
        return RULES_UNKNOWN;
    if (a == RULES_UNCERTAIN || b == RULES_UNCERTAIN)
        return RULES_UNCERTAIN;
    return RULES_NOT_MET;
}

/* Status of a list of tests (all or any); stores each in st[] when st is not NULL. */
static inline int tests_status(const struct rules_set *s, const struct rules_result *res, int first,
                               int n, bool any, uint8_t *st)
{
    int acc = any ? RULES_NOT_MET : RULES_MET;
    for (int t = first; t < first + n; t++) {
        int x = rules_test_status(s, res, t);
        if (st)
            st[t] = (uint8_t)x;
        acc = any ? or4(acc, x) : and4(acc, x);
    }
    return acc;
}

/* Scores one alternative: walks its brackets best first. A bracket whose tests are
 * unknown widens the range down to the first bracket that surely holds. */
static void alt_eval(const struct rules_set *s, const struct rules_result *res,
                     const struct rules_alt *a, struct rules_item_result *ir)
{
    int lo = 1 << 14, hi = -1, unknown = 0;
    ir->bracket = -1;
    for (int b = a->first_bracket; b < a->first_bracket + a->n_brackets; b++) {
        const struct rules_bracket *br = &s->brackets[b];
        int st = br->is_else ? RULES_MET
                             : tests_status(s, res, br->first_test, br->n_tests, br->any, NULL);
        if (st == RULES_NOT_MET)
            continue;
        if (br->lo < lo)
            lo = br->lo;
        if (br->hi > hi)
            hi = br->hi;
        if (st == RULES_MET) {
            if (!unknown)
                ir->bracket = (int16_t)b;
            break;
        }
        unknown = 1;
    }
    ir->lo = (int16_t)lo;
    ir->hi = (int16_t)hi;
    ir->status = unknown ? RULES_I_UNKNOWN : (lo < hi ? RULES_I_EXPERT : RULES_I_SCORED);
}

/* Scores item i into res->item[i], raising its notes. */
static void item_eval(const struct rules_set *s, struct rules_result *res, int i)
{
    const struct rules_item *it = &s->items[i];
    struct rules_item_result *ir = &res->item[i];
    ir->alt = -1;
    ir->bracket = -1;
    if (it->kind == RULES_I_INPUT) {
        const struct rules_value *v = &res->m[it->measure];
        if (v->state != RULES_V_OK) {
            ir->lo = 0;
            ir->hi = it->max;
            ir->status = RULES_I_UNKNOWN;
        } else {
            /* Points are stored ×100; fractions of a point are dropped (README). */
            __int128 p = v->num / v->den / 100;
            ir->lo = ir->hi = (int16_t)(p < 0 ? 0 : p > it->max ? it->max : p);
            ir->status = RULES_I_SCORED;
        }
    } else {
        struct rules_item_result best = {0, 0, RULES_I_UNKNOWN, -1, -1};
        int best_known = -1, any_unknown_hi = -1;
        int lo_max = 0, hi_max = 0;
        for (int a = 0; a < it->n_alts; a++) {
            struct rules_item_result r;
            alt_eval(s, res, &s->alts[it->first_alt + a], &r);
            r.alt = (int8_t)a;
            if (r.lo > lo_max)
                lo_max = r.lo;
            if (r.hi > hi_max)
                hi_max = r.hi;
            if (r.status == RULES_I_UNKNOWN) {
                if (r.hi > any_unknown_hi)
                    any_unknown_hi = r.hi;
            } else if (best_known < 0 || r.hi > best.hi || (r.hi == best.hi && r.lo > best.lo)) {
                best = r;
                best_known = a;
            }
        }
        if (best_known >= 0 && any_unknown_hi <= best.lo) {
            *ir = best; /* the known alternative wins whatever the unknown ones hold */
            const struct rules_alt *al = &s->alts[it->first_alt + best.alt];
            if (al->note >= 0)
                res->notes |= 1ull << al->note;
            if (s->brackets[best.bracket].note >= 0)
                res->notes |= 1ull << s->brackets[best.bracket].note;
        } else {
            ir->lo = (int16_t)lo_max;
            ir->hi = (int16_t)hi_max;
            ir->status = RULES_I_UNKNOWN;
        }
    }
    if (it->note >= 0)
        res->notes |= 1ull << it->note;
}

/* Status of "lo..hi op points" for a score range. */
static int range_status(int lo, int hi, enum rules_op op, int points, bool missing)
{
    struct rules_value vl = {lo, 1, RULES_V_OK, 0, 0}, vh = {hi, 1, RULES_V_OK, 0, 0};
    struct rules_q q = {points, 1};
    int a = cmp_status(&vl, op, q), b = cmp_status(&vh, op, q);
    if (a == b)
        return a;
    return missing ? RULES_UNKNOWN : RULES_UNCERTAIN;
}

/* Evaluates verdict node n. */
static int node_eval(const struct rules_set *s, const struct rules_result *res, int n)
{
    const struct rules_node *nd = &s->nodes[n];
    if (nd->kind == 0)
        return res->cond[nd->cond];
    int acc = nd->kind == 1 ? RULES_MET : RULES_NOT_MET;
    for (int i = 0; i < nd->n_children; i++) {
        int x = node_eval(s, res, nd->child[i]);
        acc = nd->kind == 1 ? and4(acc, x) : or4(acc, x);
    }
    return acc;
}

/* See rules.h. */
void rules_evaluate(const struct rules_set *s, const struct rules_record *r, int year,
                    struct rules_result *out)
{
    rules_evaluate_at(s, r, year, (int32_t)rules_days_from_civil(year, 12, 31), out);
}

/* See rules.h. */
void rules_evaluate_at(const struct rules_set *s, const struct rules_record *r, int year,
                       int32_t as_of_days, struct rules_result *out)
{
    struct ctx c = {s, r, year, as_of_days, 0, {0}};
    int64_t reg;
    if (idget(r, RULES_F_REGISTERED_ON, &reg))
        c.reg_year = rules_year_of_days(reg);
    /* Locate the window's years: records are sorted, scan down from the newest. */
    int j = r->n_years - 1;
    for (int k = 0; k <= RULES_MAX_WINDOW; k++) {
        while (j >= 0 && r->years[j].year > year - k)
            j--;
        c.yidx[k] = (int16_t)(j >= 0 && r->years[j].year == year - k ? j : -1);
    }
    out->set = s;
    out->year = year;
    out->as_of_days = as_of_days;
    out->notes = s->set_note >= 0 ? 1ull << s->set_note : 0;
    for (int m = 0; m < s->n_measures; m++) {
        const struct rules_measure *ms = &s->measures[m];
        struct rules_value *v = &out->m[m];
        measure_eval(&c, ms, v);
        if (v->flags)
            for (int f = 0; f < RULES_N_MFLAGS; f++)
                if ((v->flags & (1 << f)) && ms->flag_note[f] >= 0)
                    out->notes |= 1ull << ms->flag_note[f];
    }
    int tlo = 0, thi = 0;
    bool tmiss = false;
    for (int g = 0; g < s->n_groups; g++) {
        out->group_lo[g] = out->group_hi[g] = 0;
        out->group_missing[g] = false;
    }
    for (int i = 0; i < s->n_items; i++) {
        item_eval(s, out, i);
        const struct rules_item_result *ir = &out->item[i];
        int g = s->items[i].group;
        if (g >= 0) {
            out->group_lo[g] = (int16_t)(out->group_lo[g] + ir->lo);
            out->group_hi[g] = (int16_t)(out->group_hi[g] + ir->hi);
            out->group_missing[g] |= ir->status == RULES_I_UNKNOWN;
        } else {
            tlo += ir->lo;
            thi += ir->hi;
            tmiss |= ir->status == RULES_I_UNKNOWN;
        }
    }
    for (int g = 0; g < s->n_groups; g++) {
        int cap = s->groups[g].cap;
        if (cap >= 0 && out->group_lo[g] > cap)
            out->group_lo[g] = (int16_t)cap;
        if (cap >= 0 && out->group_hi[g] > cap)
            out->group_hi[g] = (int16_t)cap;
        tlo += out->group_lo[g];
        thi += out->group_hi[g];
        tmiss |= out->group_missing[g];
    }
    out->score_lo = (int16_t)tlo;
    out->score_hi = (int16_t)thi;
    out->score_missing = tmiss;
    for (int i = 0; i < s->n_conditions; i++) {
        const struct rules_condition *cd = &s->conditions[i];
        int st;
        switch (cd->kind) {
        case RULES_C_TESTS:
            st = tests_status(s, out, cd->first_test, cd->n_tests, cd->any, out->test);
            break;
        case RULES_C_SCORE:
            if (cd->target >= 0)
                st = range_status(out->group_lo[cd->target], out->group_hi[cd->target], cd->op,
                                  cd->points, out->group_missing[cd->target]);
            else
                st = range_status(tlo, thi, cd->op, cd->points, tmiss);
            break;
        case RULES_C_ITEM: {
            const struct rules_item_result *ir = &out->item[cd->target];
            st = range_status(ir->lo, ir->hi, cd->op, cd->points, ir->status == RULES_I_UNKNOWN);
            break;
        }
        default:
            st = RULES_UNCERTAIN;
            break;
        }
        out->cond[i] = (uint8_t)st;
        if (cd->note >= 0)
            out->notes |= 1ull << cd->note;
    }
    out->verdict = (uint8_t)node_eval(s, out, 0);
}

/* Adds (f, year) to the missing list unless full or already there. */
static void add_missing(int f, int year, int *fields, int *years, int cap, int *n)
{
    for (int i = 0; i < *n; i++)
        if (fields[i] == f && years[i] == year)
            return;
    if (*n < cap) {
        fields[*n] = f;
        years[*n] = year;
        (*n)++;
    }
}

/* Lists the missing components of yearly field f in year y. */
static void missing_yearly(const struct rules_record *r, int f, int y, int *fields, int *years,
                           int cap, int *n)
{
    const struct rules_year *yr = NULL;
    for (int i = 0; i < r->n_years; i++)
        if (r->years[i].year == y)
            yr = &r->years[i];
    int parts[2] = {f, -1};
    if (f == RULES_F_NET_ASSETS) {
        parts[0] = RULES_F_TOTAL_ASSETS;
        parts[1] = RULES_F_TOTAL_LIABILITIES;
    } else if (f == RULES_F_IP_TOTAL) {
        parts[0] = RULES_F_IP_CLASS1;
        parts[1] = RULES_F_IP_CLASS2;
    }
    for (int i = 0; i < 2; i++)
        if (parts[i] >= 0 && (!yr || !(yr->present & (1u << parts[i]))))
            add_missing(parts[i], y, fields, years, cap, n);
}

/* See rules.h. Mirrors measure_eval's window logic, without values. */
int rules_measure_missing(const struct rules_set *s, int m, const struct rules_record *r, int year,
                          int *fields, int *years, int cap)
{
    const struct rules_measure *ms = &s->measures[m];
    int n = 0;
    if (ms->field >= RULES_N_YEARLY) {
        if (!(r->id_present & (1ull << (ms->field - RULES_N_YEARLY))))
            add_missing(ms->field, 0, fields, years, cap, &n);
        return n;
    }
    int reg_year = 0;
    if (r->id_present & (1ull << (RULES_F_REGISTERED_ON - RULES_N_YEARLY)))
        reg_year = rules_year_of_days(r->id[RULES_F_REGISTERED_ON - RULES_N_YEARLY]);
    int k0 = -ms->offset, len = ms->years;
    if (ms->operating) {
        if (!reg_year) {
            add_missing(RULES_F_REGISTERED_ON, 0, fields, years, cap, &n);
        } else {
            int op = year - k0 - reg_year + 1;
            if (op < 1)
                return n;
            if (op < len)
                len = op;
        }
    }
    for (int k = k0; k < k0 + len; k++) {
        missing_yearly(r, ms->field, year - k, fields, years, cap, &n);
        if (ms->den >= 0)
            missing_yearly(r, ms->den, year - k, fields, years, cap, &n);
    }
    /* When registration is unknown but the full window is there, nothing is missing. */
    if (ms->operating && !reg_year && n == 1)
        n = 0;
    return n;
}
