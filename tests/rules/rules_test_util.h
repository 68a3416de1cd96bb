/*
 * rules_test_util.h — helpers shared by tests/unit/test_rules*.c: the embedded registry,
 * enterprise records built field by field, and one-call evaluation. Header-only (each
 * test is one translation unit); functions are static and may go unused in a file.
 */
#ifndef KC_RULES_TEST_UTIL_H
#define KC_RULES_TEST_UTIL_H

#include "rules/rules.h"

#include <string.h>

/* The registry every test uses (loaded by tu_setup). */
static struct rules_registry tu_reg;
/* The record being built and its years. */
static struct rules_record tu_rec;
static struct rules_year tu_years[RULES_MAX_YEARS];
/* The last evaluation and its gaps. */
static struct rules_result tu_res;
static struct rules_gaps tu_gaps;

/* cmocka group setup: loads the embedded rule sets (0 or -1). */
static __attribute__((unused)) int tu_setup(void **state)
{
    (void)state;
    char err[512];
    return rules_registry_load_embedded(&tu_reg, err, sizeof(err)) == 0 ? 0 : -1;
}

/* cmocka group teardown. */
static __attribute__((unused)) int tu_teardown(void **state)
{
    (void)state;
    rules_registry_free(&tu_reg);
    return 0;
}

/* The set with this id (fails the test when absent). */
static __attribute__((unused)) const struct rules_set *tu_set(const char *id)
{
    const struct rules_set *s = rules_registry_find(&tu_reg, id, 2024);
    assert_non_null(s);
    return s;
}

/* Starts an empty record. */
static __attribute__((unused)) void tu_reset(void)
{
    memset(&tu_rec, 0, sizeof(tu_rec));
    memset(tu_years, 0, sizeof(tu_years));
    tu_rec.years = tu_years;
    tu_rec.uscc = "TEST";
}

/* The year record for y, added (in order) when absent. */
static __attribute__((unused)) struct rules_year *tu_year(int y)
{
    for (int i = 0; i < tu_rec.n_years; i++)
        if (tu_years[i].year == y)
            return &tu_years[i];
    int i = tu_rec.n_years++;
    while (i > 0 && tu_years[i - 1].year > y) {
        tu_years[i] = tu_years[i - 1];
        i--;
    }
    memset(&tu_years[i], 0, sizeof(tu_years[i]));
    tu_years[i].year = y;
    return &tu_years[i];
}

/* Sets yearly field f of year y. */
static __attribute__((unused)) void tu_y(int y, int f, int64_t v)
{
    struct rules_year *yr = tu_year(y);
    yr->v[f] = v;
    yr->present |= 1u << f;
}

/* Clears yearly field f of year y (makes it missing). */
static __attribute__((unused)) void tu_y_clear(int y, int f)
{
    tu_year(y)->present &= ~(1u << f);
}

/* Sets identity field f. */
static __attribute__((unused)) void tu_id(int f, int64_t v)
{
    tu_rec.id[f - RULES_N_YEARLY] = v;
    tu_rec.id_present |= 1ull << (f - RULES_N_YEARLY);
}

/* Clears identity field f. */
static __attribute__((unused)) void tu_id_clear(int f)
{
    tu_rec.id_present &= ~(1ull << (f - RULES_N_YEARLY));
}

/* Sets registered_on from a date string. */
static __attribute__((unused)) void tu_registered(const char *date)
{
    int64_t d;
    assert_int_equal(rules_parse_date(date, &d), 0);
    tu_id(RULES_F_REGISTERED_ON, d);
}

/* Evaluates set id for year y into tu_res (and its gaps into tu_gaps). */
static __attribute__((unused)) const struct rules_result *tu_eval(const char *id, int y)
{
    const struct rules_set *s = tu_set(id);
    rules_evaluate(s, &tu_rec, y, &tu_res);
    rules_gaps(s, &tu_rec, &tu_res, &tu_gaps);
    return &tu_res;
}

/* Index of condition id in set s (fails when absent). */
static __attribute__((unused)) int tu_cond(const struct rules_set *s, const char *id)
{
    for (int i = 0; i < s->n_conditions; i++)
        if (strcmp(s->conditions[i].id, id) == 0)
            return i;
    fail_msg("no condition %s", id);
    return -1;
}

/* Index of item id in set s (fails when absent). */
static __attribute__((unused)) int tu_item(const struct rules_set *s, const char *id)
{
    for (int i = 0; i < s->n_items; i++)
        if (strcmp(s->items[i].id, id) == 0)
            return i;
    fail_msg("no item %s", id);
    return -1;
}

/* Status of condition id in the last evaluation. */
static __attribute__((unused)) int tu_cond_status(const char *id)
{
    return tu_res.cond[tu_cond(tu_res.set, id)];
}

/* The result of item id in the last evaluation. */
static __attribute__((unused)) const struct rules_item_result *tu_item_res(const char *id)
{
    return &tu_res.item[tu_item(tu_res.set, id)];
}

/* Asserts item id scored exactly points (not a range). */
#define tu_assert_points(id, points)                                                               \
    do {                                                                                           \
        const struct rules_item_result *ir_ = tu_item_res(id);                                     \
        assert_int_equal(ir_->status, RULES_I_SCORED);                                             \
        assert_int_equal(ir_->lo, (points));                                                       \
        assert_int_equal(ir_->hi, (points));                                                       \
    } while (0)

/* Asserts item id's range is [lo, hi]. */
#define tu_assert_range(id, l, h)                                                                  \
    do {                                                                                           \
        const struct rules_item_result *ir_ = tu_item_res(id);                                     \
        assert_int_equal(ir_->lo, (l));                                                            \
        assert_int_equal(ir_->hi, (h));                                                            \
    } while (0)

/* 1 when the provisional note id of the last evaluation's set was raised. */
static __attribute__((unused)) int tu_note(const char *id)
{
    const struct rules_set *s = tu_res.set;
    for (int n = 0; n < s->n_notes; n++)
        if (strcmp(s->notes[n].id, id) == 0)
            return (tu_res.notes >> n) & 1;
    fail_msg("no note %s", id);
    return 0;
}

/* The gap of condition id among tu_gaps, or NULL. */
static __attribute__((unused)) const struct rules_gap *tu_gap_for(const char *id)
{
    int c = tu_cond(tu_res.set, id);
    for (int i = 0; i < tu_gaps.n; i++)
        if (tu_gaps.g[i].kind == RULES_G_CONDITION && tu_gaps.g[i].cond == c)
            return &tu_gaps.g[i];
    return NULL;
}

/* The combined gap among tu_gaps, or NULL. */
static __attribute__((unused)) const struct rules_gap *tu_gap_combined(void)
{
    for (int i = 0; i < tu_gaps.n; i++)
        if (tu_gaps.g[i].kind == RULES_G_COMBINED)
            return &tu_gaps.g[i];
    return NULL;
}

/* Money helpers: 万元 and 元 in 分. */
#define WAN(x) ((int64_t)(x)*1000000LL)
#define YUAN(x) ((int64_t)(x)*100LL)

#endif
