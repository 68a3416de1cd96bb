/*
 * output.c — display formatting (money, percentages) and the `assess` JSON object of
 * API.md for one evaluation. Display strings are for people only: verdicts never read
 * them. Percentages are truncated toward zero (9.999% shows as 9.99%, never as 10%).
 */
#include "rules/rules.h"

#include "core/jw.h"

#include <stdio.h>
#include <string.h>

/* See rules.h. */
void rules_fmt_money(char *out, size_t cap, int64_t fen)
{
    char digits[32], grouped[48];
    uint64_t a = fen < 0 ? (uint64_t)0 - (uint64_t)fen : (uint64_t)fen;
    uint64_t yuan = a / 100, cents = a % 100;
    int n = snprintf(digits, sizeof(digits), "%llu", (unsigned long long)yuan);
    int k = 0;
    for (int i = 0; i < n; i++) {
        if (i && (n - i) % 3 == 0)
            grouped[k++] = ',';
        grouped[k++] = digits[i];
    }
    grouped[k] = '\0';
    if (cents)
        snprintf(out, cap, "%s¥%s.%02llu", fen < 0 ? "-" : "", grouped, (unsigned long long)cents);
    else
        snprintf(out, cap, "%s¥%s", fen < 0 ? "-" : "", grouped);
}

/* Writes v (any sign) as a decimal with at most `decimals` digits after the point,
 * truncated toward zero, trailing zeros trimmed. v = num/den, den > 0. */
static void fmt_decimal(char *out, size_t cap, __int128 num, __int128 den, int decimals)
{
    __int128 scale = 1;
    for (int i = 0; i < decimals; i++)
        scale *= 10;
    int neg = num < 0;
    __int128 a = neg ? -num : num;
    __int128 scaled = a * scale / den;
    unsigned long long ip = (unsigned long long)(scaled / scale);
    unsigned long long fp = (unsigned long long)(scaled % scale);
    char frac[32] = "";
    if (decimals > 0 && decimals <= 8 && fp) {
        snprintf(frac, sizeof(frac), ".%0*llu", decimals & 15, fp % 1000000000ull);
        size_t l = strlen(frac);
        while (l > 1 && frac[l - 1] == '0')
            frac[--l] = '\0';
    }
    snprintf(out, cap, "%s%llu%s", neg && (ip || fp) ? "-" : "", ip, frac);
}

/* See rules.h. */
void rules_fmt_percent(char *out, size_t cap, __int128 num, __int128 den, int decimals)
{
    char d[64];
    fmt_decimal(d, sizeof(d), num * 100, den, decimals);
    snprintf(out, cap, "%s%%", d);
}

/* See rules.h. */
void rules_fmt_q(char *out, size_t cap, enum rules_unit u, struct rules_q q)
{
    switch (u) {
    case RULES_U_RATIO:
        rules_fmt_percent(out, cap, q.num, q.den, 4);
        break;
    case RULES_U_FEN:
        rules_fmt_money(out, cap, q.num / q.den);
        break;
    case RULES_U_X100:
        fmt_decimal(out, cap, q.num, (__int128)q.den * 100, 2);
        break;
    case RULES_U_BOOL:
        snprintf(out, cap, "%s", q.num ? "true" : "false");
        break;
    default:
        fmt_decimal(out, cap, q.num, q.den, 2);
        break;
    }
}

/* See rules.h. */
void rules_fmt_value(char *out, size_t cap, enum rules_unit u, const struct rules_value *v)
{
    if (v->state == RULES_V_MISSING) {
        snprintf(out, cap, "%s", "unknown");
        return;
    }
    if (v->state == RULES_V_INF || v->state == RULES_V_NEG_INF) {
        snprintf(out, cap, "%s", v->state == RULES_V_INF ? "∞" : "-∞");
        return;
    }
    switch (u) {
    case RULES_U_RATIO:
        rules_fmt_percent(out, cap, v->num, v->den, 2);
        break;
    case RULES_U_FEN:
        rules_fmt_money(out, cap, (int64_t)(v->num / v->den));
        break;
    case RULES_U_X100:
        fmt_decimal(out, cap, v->num, v->den * 100, 2);
        break;
    case RULES_U_BOOL:
        snprintf(out, cap, "%s", v->num ? "true" : "false");
        break;
    default:
        fmt_decimal(out, cap, v->num, v->den, 2);
        break;
    }
}

/* See rules.h. */
const char *rules_verdict_name(int status)
{
    static const char *const names[] = {"pass", "fail", "unknown", "uncertain"};
    return status >= 0 && status < 4 ? names[status] : "unknown";
}

/* See rules.h. */
const char *rules_status_name(int status)
{
    static const char *const names[] = {"met", "not_met", "unknown", "uncertain"};
    return status >= 0 && status < 4 ? names[status] : "unknown";
}

static const char *const op_names[] = {">=", ">", "<=", "<", "=="};
static const char *const flag_names[RULES_N_MFLAGS] = {"short_period",     "first_year_zero",
                                                       "second_year_zero", "negative_base",
                                                       "zero_denominator", "one_year"};

/* Writes an int128 as a JSON integer when it fits in 64 bits, else as a decimal string. */
static void jw_i128(struct jw *w, __int128 v)
{
    if (v >= INT64_MIN && v <= INT64_MAX) {
        jw_int(w, (int64_t)v);
        return;
    }
    char buf[48];
    int neg = v < 0;
    unsigned __int128 a = neg ? (unsigned __int128)0 - (unsigned __int128)v : (unsigned __int128)v;
    int i = (int)sizeof(buf) - 1;
    buf[i] = '\0';
    do {
        buf[--i] = (char)('0' + (int)(a % 10));
        a /= 10;
    } while (a);
    if (neg)
        buf[--i] = '-';
    jw_str(w, buf + i);
}

/* Writes measure m's value object: measure id, labels, years, exact parts and display. */
static void write_value(struct jw *w, const struct rules_set *s, const struct rules_result *res,
                        int m)
{
    const struct rules_measure *ms = &s->measures[m];
    const struct rules_value *v = &res->m[m];
    char buf[64];
    jw_kstr(w, "measure", ms->id);
    jw_kstr(w, "label_zh", ms->zh);
    jw_kstr(w, "label_en", ms->en);
    if (ms->field < RULES_N_YEARLY && v->n_years) {
        int last = res->year + ms->offset;
        int first = last - v->n_years + 1;
        jw_key(w, "years");
        jw_arr_open(w);
        for (int y = first; y <= last; y++)
            jw_int(w, y);
        jw_arr_close(w);
    }
    rules_fmt_value(buf, sizeof(buf), ms->unit, v);
    jw_kstr(w, "value", buf);
    if (v->state != RULES_V_MISSING) {
        jw_key(w, "num");
        jw_i128(w, v->num);
        jw_key(w, "den");
        jw_i128(w, v->den);
    }
    if (v->flags) {
        jw_key(w, "flags");
        jw_arr_open(w);
        for (int f = 0; f < RULES_N_MFLAGS; f++)
            if (v->flags & (1 << f))
                jw_str(w, flag_names[f]);
        jw_arr_close(w);
    }
}

/* Writes the "missing" array for the measures in list (deduplicated). */
static void write_missing(struct jw *w, const struct rules_set *s, const struct rules_record *r,
                          const struct rules_result *res, const int *measures, int n_measures)
{
    int fields[32], years[32], n = 0;
    for (int i = 0; i < n_measures; i++) {
        if (res->m[measures[i]].state != RULES_V_MISSING)
            continue;
        int f2[8], y2[8];
        int k = rules_measure_missing(s, measures[i], r, res->year, f2, y2, 8);
        for (int j = 0; j < k; j++) {
            int dup = 0;
            for (int q = 0; q < n; q++)
                dup |= fields[q] == f2[j] && years[q] == y2[j];
            if (!dup && n < 32) {
                fields[n] = f2[j];
                years[n++] = y2[j];
            }
        }
    }
    jw_key(w, "missing");
    jw_arr_open(w);
    for (int i = 0; i < n; i++) {
        jw_obj_open(w);
        jw_kstr(w, "field", rules_fields[fields[i]].name);
        if (years[i])
            jw_kint(w, "year", years[i]);
        else
            jw_knull(w, "year");
        jw_obj_close(w);
    }
    jw_arr_close(w);
}

/* Writes one condition. */
static void write_condition(struct jw *w, const struct rules_set *s, const struct rules_record *r,
                            const struct rules_result *res, int c)
{
    const struct rules_condition *cd = &s->conditions[c];
    char buf[64];
    jw_obj_open(w);
    jw_kstr(w, "id", cd->id);
    jw_kstr(w, "label_zh", cd->zh);
    jw_kstr(w, "label_en", cd->en);
    jw_kstr(w, "status", rules_status_name(res->cond[c]));
    if (cd->kind == RULES_C_TESTS && cd->any)
        jw_kstr(w, "combine", "any");
    jw_key(w, "values");
    jw_arr_open(w);
    int measures[RULES_MAX_TESTS * 2], nm = 0;
    if (cd->kind == RULES_C_TESTS) {
        for (int t = cd->first_test; t < cd->first_test + cd->n_tests; t++) {
            const struct rules_test *tt = &s->tests[t];
            jw_obj_open(w);
            write_value(w, s, res, tt->measure);
            jw_kstr(w, "op", op_names[tt->op]);
            struct rules_q q;
            if (rules_test_threshold(s, res, t, &q) == 0) {
                rules_fmt_q(buf, sizeof(buf), s->measures[tt->measure].unit, q);
                jw_kstr(w, "threshold", buf);
            } else {
                jw_knull(w, "threshold");
            }
            if (tt->band >= 0) {
                const struct rules_band *b = &s->bands[tt->band];
                jw_key(w, "band");
                jw_obj_open(w);
                write_value(w, s, res, b->measure);
                jw_obj_close(w);
                measures[nm++] = b->measure;
            }
            jw_kstr(w, "status", rules_status_name(res->test[t]));
            jw_obj_close(w);
            measures[nm++] = tt->measure;
        }
    } else if (cd->kind == RULES_C_SCORE || cd->kind == RULES_C_ITEM) {
        int lo, hi;
        if (cd->kind == RULES_C_ITEM) {
            lo = res->item[cd->target].lo;
            hi = res->item[cd->target].hi;
        } else if (cd->target >= 0) {
            lo = res->group_lo[cd->target];
            hi = res->group_hi[cd->target];
        } else {
            lo = res->score_lo;
            hi = res->score_hi;
        }
        jw_obj_open(w);
        jw_kstr(w, cd->kind == RULES_C_ITEM ? "item" : "group",
                cd->kind == RULES_C_ITEM ? s->items[cd->target].id
                : cd->target >= 0        ? s->groups[cd->target].id
                                         : "total");
        jw_kint(w, "points_min", lo);
        jw_kint(w, "points_max", hi);
        jw_kstr(w, "op", op_names[cd->op]);
        jw_kint(w, "threshold", cd->points);
        jw_obj_close(w);
        /* the measures of the items in scope whose data is missing */
        for (int i = 0; i < s->n_items; i++) {
            bool in = cd->kind == RULES_C_ITEM ? i == cd->target
                                               : cd->target < 0 || s->items[i].group == cd->target;
            if (!in || res->item[i].status != RULES_I_UNKNOWN)
                continue;
            const struct rules_item *it = &s->items[i];
            if (it->kind == RULES_I_INPUT && nm < RULES_MAX_TESTS * 2) {
                measures[nm++] = it->measure;
                continue;
            }
            for (int a = it->first_alt; a < it->first_alt + it->n_alts; a++)
                for (int b = s->alts[a].first_bracket;
                     b < s->alts[a].first_bracket + s->alts[a].n_brackets; b++)
                    for (int t = s->brackets[b].first_test;
                         t < s->brackets[b].first_test + s->brackets[b].n_tests; t++)
                        if (nm < RULES_MAX_TESTS * 2)
                            measures[nm++] = s->tests[t].measure;
        }
    }
    jw_arr_close(w);
    write_missing(w, s, r, res, measures, nm);
    jw_obj_close(w);
}

/* Writes one item. */
static void write_item(struct jw *w, const struct rules_set *s, const struct rules_record *r,
                       const struct rules_result *res, int i)
{
    static const char *const st[] = {"scored", "expert", "unknown"};
    const struct rules_item *it = &s->items[i];
    const struct rules_item_result *ir = &res->item[i];
    jw_obj_open(w);
    jw_kstr(w, "id", it->id);
    jw_kstr(w, "label_zh", it->zh);
    jw_kstr(w, "label_en", it->en);
    if (it->group >= 0)
        jw_kstr(w, "group", s->groups[it->group].id);
    else
        jw_knull(w, "group");
    jw_kint(w, "max", it->max);
    jw_kstr(w, "status", st[ir->status]);
    if (ir->lo == ir->hi)
        jw_kint(w, "points", ir->lo);
    else
        jw_knull(w, "points");
    jw_kint(w, "points_min", ir->lo);
    jw_kint(w, "points_max", ir->hi);
    if (ir->bracket >= 0) {
        jw_kstr(w, "bracket", s->brackets[ir->bracket].zh);
        jw_kstr(w, "bracket_en", s->brackets[ir->bracket].en);
    } else {
        jw_knull(w, "bracket");
        jw_knull(w, "bracket_en");
    }
    if (it->kind == RULES_I_BRACKETS && it->n_alts > 1) {
        if (ir->alt >= 0)
            jw_kstr(w, "alternative", s->alts[it->first_alt + ir->alt].id);
        else
            jw_knull(w, "alternative");
    }
    /* The measures the item's (chosen or every) alternative reads. */
    int measures[RULES_MAX_MEASURES], nm = 0;
    if (it->kind == RULES_I_INPUT) {
        measures[nm++] = it->measure;
    } else {
        for (int a = 0; a < it->n_alts; a++) {
            if (ir->alt >= 0 && a != ir->alt && it->n_alts > 1 && ir->status != RULES_I_UNKNOWN)
                continue;
            const struct rules_alt *al = &s->alts[it->first_alt + a];
            for (int b = al->first_bracket; b < al->first_bracket + al->n_brackets; b++)
                for (int t = s->brackets[b].first_test;
                     t < s->brackets[b].first_test + s->brackets[b].n_tests; t++) {
                    int m = s->tests[t].measure, dup = 0;
                    for (int k = 0; k < nm; k++)
                        dup |= measures[k] == m;
                    if (!dup && nm < RULES_MAX_MEASURES)
                        measures[nm++] = m;
                }
        }
    }
    jw_key(w, "values");
    jw_arr_open(w);
    for (int k = 0; k < nm; k++) {
        jw_obj_open(w);
        write_value(w, s, res, measures[k]);
        jw_obj_close(w);
    }
    jw_arr_close(w);
    if (it->kind == RULES_I_BRACKETS && it->n_alts > 1) {
        jw_key(w, "alternatives");
        jw_arr_open(w);
        for (int a = 0; a < it->n_alts; a++) {
            const struct rules_alt *al = &s->alts[it->first_alt + a];
            jw_obj_open(w);
            jw_kstr(w, "id", al->id);
            jw_kstr(w, "label_zh", al->zh);
            jw_kstr(w, "label_en", al->en);
            jw_obj_close(w);
        }
        jw_arr_close(w);
    }
    write_missing(w, s, r, res, measures, nm);
    jw_obj_close(w);
}

/* Writes one gap. */
static void write_gap(struct jw *w, const struct rules_set *s, const struct rules_gap *g)
{
    static const char *const kinds[] = {"condition", "item", "combined"};
    static const char *const units[] = {"fen",  "persons", "count", "bool",
                                        "days", "x100",    "ratio", "per_year"};
    char buf[64];
    jw_obj_open(w);
    jw_kstr(w, "type", kinds[g->kind]);
    if (g->kind == RULES_G_CONDITION)
        jw_kstr(w, "condition", s->conditions[g->cond].id);
    if (g->kind == RULES_G_ITEM) {
        jw_kstr(w, "item", s->items[g->item].id);
        jw_kstr(w, "bracket", s->brackets[g->bracket].zh);
        jw_kint(w, "points_gain", g->points_gain);
    }
    jw_kbool(w, "fixable", g->fixable);
    jw_kbool(w, "needs_data", g->needs_data);
    if (g->wait_days)
        jw_kint(w, "wait_days", g->wait_days);
    jw_key(w, "changes");
    jw_arr_open(w);
    for (int i = 0; i < g->n_changes; i++) {
        const struct rules_change *c = &g->changes[i];
        const struct rules_field_info *fi = &rules_fields[c->field];
        jw_obj_open(w);
        jw_kstr(w, "field", fi->name);
        jw_kint(w, "year", c->year);
        jw_kint(w, "delta", c->delta);
        jw_kstr(w, "unit", units[fi->unit]);
        if (fi->unit == RULES_U_FEN) {
            rules_fmt_money(buf, sizeof(buf), c->delta);
            jw_kstr(w, "display", buf);
        }
        jw_obj_close(w);
    }
    jw_arr_close(w);
    jw_kint(w, "money_fen", g->money_fen);
    rules_fmt_money(buf, sizeof(buf), g->money_fen);
    jw_kstr(w, "money", buf);
    jw_kint(w, "persons", g->persons);
    if (g->kind == RULES_G_COMBINED)
        jw_kstr(w, "reaches", rules_verdict_name(g->reaches));
    jw_kstr(w, "zh", g->zh);
    jw_kstr(w, "en", g->en);
    jw_obj_close(w);
}

/* See rules.h. */
void rules_write_result(struct jw *w, const struct rules_set *s, const struct rules_record *r,
                        const struct rules_result *res, const struct rules_gaps *g)
{
    jw_obj_open(w);
    jw_kstr(w, "uscc", r->uscc);
    if (r->name)
        jw_kstr(w, "name", r->name);
    jw_kstr(w, "rule", s->id);
    jw_kstr(w, "rule_title_zh", s->title_zh);
    jw_kstr(w, "rule_title_en", s->title_en);
    jw_kint(w, "year", res->year);
    jw_kstr(w, "verdict", rules_verdict_name(res->verdict));
    jw_kbool(w, "pre_assessment", s->pre_assessment);
    if (s->scored) {
        jw_kint(w, "score_min", res->score_lo);
        jw_kint(w, "score_max", res->score_hi);
    } else {
        jw_knull(w, "score_min");
        jw_knull(w, "score_max");
    }
    jw_key(w, "conditions");
    jw_arr_open(w);
    for (int c = 0; c < s->n_conditions; c++)
        write_condition(w, s, r, res, c);
    jw_arr_close(w);
    jw_key(w, "items");
    jw_arr_open(w);
    for (int i = 0; i < s->n_items; i++)
        write_item(w, s, r, res, i);
    jw_arr_close(w);
    if (s->n_groups) {
        jw_key(w, "groups");
        jw_arr_open(w);
        for (int gi = 0; gi < s->n_groups; gi++) {
            jw_obj_open(w);
            jw_kstr(w, "id", s->groups[gi].id);
            jw_kstr(w, "label_zh", s->groups[gi].zh);
            jw_kstr(w, "label_en", s->groups[gi].en);
            jw_kint(w, "points_min", res->group_lo[gi]);
            jw_kint(w, "points_max", res->group_hi[gi]);
            if (s->groups[gi].cap >= 0)
                jw_kint(w, "cap", s->groups[gi].cap);
            jw_obj_close(w);
        }
        jw_arr_close(w);
    }
    jw_key(w, "gaps");
    jw_arr_open(w);
    for (int i = 0; g && i < g->n; i++)
        write_gap(w, s, &g->g[i]);
    jw_arr_close(w);
    jw_key(w, "provisional");
    jw_arr_open(w);
    for (int n = 0; n < s->n_notes; n++)
        if (res->notes & (1ull << n)) {
            char id[2 * RULES_ID_MAX + 2];
            snprintf(id, sizeof(id), "%s/%s", s->id, s->notes[n].id);
            jw_obj_open(w);
            jw_kstr(w, "id", id);
            jw_kstr(w, "zh", s->notes[n].zh);
            jw_kstr(w, "en", s->notes[n].en);
            jw_obj_close(w);
        }
    jw_arr_close(w);
    jw_obj_close(w);
}
