/*
 * rules_bench.c — speed of the rule engine (one thread, so "per core").
 *
 * Generates deterministic firms with six years of data each (all fields present, values
 * spread so that every verdict occurs) and evaluates every firm in each of its last four
 * years: 250,000 firms × 4 = 1,000,000 enterprise-year evaluations per run, per rule set.
 * Prints the median of 5 runs.
 *
 * Baseline, in the same process: the same evaluations the way a naive batch tool would do
 * them — the firm's JSON line parsed with jansson and converted into a record for every
 * evaluation, then evaluated (the per-line work of `kechuang assess` minus output). It
 * runs on a 2% sample (rates are per second), and the ratio engine / baseline is printed.
 * Most of the baseline's time is jansson building the parsed tree: the ratio shows what
 * pre-parsed records and rule sets buy, not a slow evaluator.
 * Gap analysis (only for failing firms, not on the hot path) is timed on a sample too.
 *
 * usage: build/rules_bench [--firms N] [--runs R]
 */
#include "core/buf.h"
#include "core/jw.h"
#include "core/xalloc.h"
#include "rules/rules.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define YEARS 6      /* years of data per firm */
#define FIRST 2019   /* first year */
#define EVAL_YEARS 4 /* evaluated years per firm: the last four */

/* The generator state (xorshift64*), fixed seed. */
static uint64_t rng = 0x9E3779B97F4A7C15ull;

/* A pseudo-random 64-bit number. */
static uint64_t next(void)
{
    rng ^= rng >> 12;
    rng ^= rng << 25;
    rng ^= rng >> 27;
    return rng * 2685821657736338717ull;
}

/* A number in [lo, hi]. */
static int64_t between(int64_t lo, int64_t hi)
{
    return lo + (int64_t)(next() % (uint64_t)(hi - lo + 1));
}

/* Sets a yearly field. */
static void put(struct rules_year *y, int f, int64_t v)
{
    y->v[f] = v;
    y->present |= 1u << f;
}

/* Sets an identity field. */
static void put_id(struct rules_record *r, int f, int64_t v)
{
    r->id[f - RULES_N_YEARLY] = v;
    r->id_present |= 1ull << (f - RULES_N_YEARLY);
}

/* Fills one firm (its years array is years[0..YEARS)). */
static void gen_firm(struct rules_record *r, struct rules_year *years)
{
    memset(r, 0, sizeof(*r));
    r->uscc = "BENCH";
    put_id(r, RULES_F_REGISTERED_ON, rules_days_from_civil(between(2000, 2021), 3, 1));
    for (int f = RULES_F_HAS_VALID_HNTE; f <= RULES_F_STRATEGIC_EMERGING; f++)
        put_id(r, f, between(0, 9) < (f >= RULES_F_NO_MAJOR_INCIDENT ? 9 : 1));
    put_id(r, RULES_F_MAINLAND, 1);
    put_id(r, RULES_F_HAS_IP_TITLE, between(0, 19) == 0);
    put_id(r, RULES_F_NATIONAL_AWARD_TOP5_3Y, between(0, 19) == 0);
    put_id(r, RULES_F_MAKER_CHINA_TOP500_3Y, between(0, 19) == 0);
    put_id(r, RULES_F_HAS_VALID_TECH_INNOV_SME, between(0, 3) != 0);
    put_id(r, RULES_F_HIGHTECH_FIELD, between(0, 4) != 0);
    put_id(r, RULES_F_NICHE_YEARS, between(0, 1200));
    put_id(r, RULES_F_CHAIN_ROLE, between(0, 2));
    put_id(r, RULES_F_DIGITAL_LEVEL, between(1, 3));
    put_id(r, RULES_F_QUALITY_ITEMS, between(0, 4));
    put_id(r, RULES_F_RD_INSTITUTION_LEVEL, between(0, 4));
    put_id(r, RULES_F_SRDI_LOCAL_SCORE, between(0, 1500));
    int64_t sales = between(300, 40000) * 1000000LL, assets = between(500, 30000) * 1000000LL;
    int64_t emp = between(5, 600);
    for (int i = 0; i < YEARS; i++) {
        struct rules_year *y = &years[i];
        memset(y, 0, sizeof(*y));
        y->year = FIRST + i;
        sales = sales * between(85, 135) / 100 + 1;
        assets = assets * between(90, 125) / 100 + 1;
        emp = emp * between(90, 115) / 100 + 1;
        int64_t tech = emp * between(3, 40) / 100, rd = sales * between(5, 80) / 1000;
        int64_t op = sales * between(97, 103) / 100;
        put(y, RULES_F_EMPLOYEES, emp);
        put(y, RULES_F_TECH_STAFF, tech);
        put(y, RULES_F_RD_STAFF, tech * between(30, 100) / 100);
        put(y, RULES_F_SALES_REVENUE, sales);
        put(y, RULES_F_OPERATING_REVENUE, op);
        put(y, RULES_F_MAIN_BUSINESS_REVENUE, op * between(50, 100) / 100);
        put(y, RULES_F_TOTAL_INCOME, sales * between(100, 108) / 100);
        put(y, RULES_F_HIGHTECH_REVENUE, sales * between(30, 95) / 100);
        put(y, RULES_F_RD_EXPENSE, rd);
        put(y, RULES_F_RD_EXPENSE_DOMESTIC, rd * between(50, 100) / 100);
        put(y, RULES_F_COST_EXPENSE_TOTAL, rd + sales * between(60, 100) / 100);
        put(y, RULES_F_TOTAL_ASSETS, assets);
        put(y, RULES_F_TOTAL_LIABILITIES, assets * between(10, 90) / 100);
        put(y, RULES_F_NET_PROFIT, op * between(-8, 15) / 100);
        int64_t ip1 = between(0, 2) == 0 ? between(1, 6) : 0;
        put(y, RULES_F_IP_CLASS1, ip1);
        put(y, RULES_F_IP_CLASS1_SELF, ip1 ? between(0, ip1) : 0);
        put(y, RULES_F_IP_CLASS1_HIGH, ip1 ? between(0, 1) : 0);
        put(y, RULES_F_IP_CLASS2, between(0, 8));
        put(y, RULES_F_CONVERSIONS, between(0, 7));
        put(y, RULES_F_EQUITY_FINANCING, between(0, 4) ? 0 : between(0, 5000) * 1000000LL);
        put(y, RULES_F_SRDI_QUALITY_SCORE, between(3000, 9000));
    }
    r->n_years = YEARS;
    r->years = years;
}

/* Writes a record as an API.md JSON line (what a batch file would hold). */
static void to_json(const struct rules_record *r, struct buf *out)
{
    struct jw w = {0};
    jw_init(&w, out);
    jw_obj_open(&w);
    jw_kstr(&w, "uscc", r->uscc);
    jw_kstr(&w, "region_code", "330402");
    for (int f = RULES_N_YEARLY; f < RULES_N_FIELDS; f++) {
        int i = f - RULES_N_YEARLY;
        if (!(r->id_present & (1ull << i)) || f == RULES_F_MAINLAND)
            continue;
        const struct rules_field_info *fi = &rules_fields[f];
        if (f == RULES_F_REGISTERED_ON) {
            char d[16];
            /* generated registration dates are all 1 March */
            snprintf(d, sizeof(d), "%04d-03-01", rules_year_of_days(r->id[i]));
            jw_kstr(&w, fi->name, d);
        } else if (f == RULES_F_HIGHTECH_FIELD) {
            jw_kstr(&w, fi->name, r->id[i] ? "电子信息" : NULL);
        } else if (fi->unit == RULES_U_BOOL) {
            jw_kbool(&w, fi->name, r->id[i] != 0);
        } else if (fi->unit == RULES_U_X100) {
            jw_key(&w, fi->name);
            jw_double(&w, (double)r->id[i] / 100.0);
        } else {
            jw_kint(&w, fi->name, r->id[i]);
        }
    }
    jw_key(&w, "years");
    jw_arr_open(&w);
    for (int k = 0; k < r->n_years; k++) {
        const struct rules_year *y = &r->years[k];
        jw_obj_open(&w);
        jw_kint(&w, "year", y->year);
        for (int f = 0; f < RULES_N_STORED_YEARLY; f++) {
            if (!(y->present & (1u << f)))
                continue;
            if (rules_fields[f].unit == RULES_U_X100) {
                jw_key(&w, rules_fields[f].name);
                jw_double(&w, (double)y->v[f] / 100.0);
            } else {
                jw_kint(&w, rules_fields[f].name, y->v[f]);
            }
        }
        jw_obj_close(&w);
    }
    jw_arr_close(&w);
    jw_obj_close(&w);
}

/* Monotonic seconds. */
static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Orders doubles. */
static int dcmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The median of n values (sorted in place). */
static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof(*v), dcmp);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* Generates the firms, times the engine and the baseline per rule set, prints the table. */
int main(int argc, char **argv)
{
    int firms = 250000, runs = 5;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--firms") == 0)
            firms = atoi(argv[i + 1]);
        else if (strcmp(argv[i], "--runs") == 0)
            runs = atoi(argv[i + 1]);
    }
    if (firms < 10 || runs < 1 || runs > 99) {
        fprintf(stderr, "usage: rules_bench [--firms N≥10] [--runs 1-99]\n");
        return 2;
    }
    struct rules_registry reg;
    char err[512];
    if (rules_registry_load_embedded(&reg, err, sizeof(err)) != 0) {
        fprintf(stderr, "rules_bench: %s\n", err);
        return 1;
    }
    struct rules_record *recs = xcalloc((size_t)firms, sizeof(*recs));
    struct rules_year *years = xcalloc((size_t)firms * YEARS, sizeof(*years));
    for (int i = 0; i < firms; i++)
        gen_firm(&recs[i], &years[(size_t)i * YEARS]);
    int sample = firms / 50;
    char **lines = xcalloc((size_t)sample, sizeof(*lines));
    size_t *lens = xcalloc((size_t)sample, sizeof(*lens));
    for (int i = 0; i < sample; i++) {
        struct buf b = {0};
        to_json(&recs[i], &b);
        lines[i] = buf_take(&b, &lens[i]);
    }
    long long evals = (long long)firms * EVAL_YEARS;
    printf("rules_bench: %d firms × %d years = %lld enterprise-year evaluations per run, "
           "median of %d runs, one thread\n",
           firms, EVAL_YEARS, evals, runs);
    printf("%-16s %14s %18s %8s %16s   verdicts pass/fail/unknown/uncertain\n", "rule set",
           "engine eval/s", "JSON+eval eval/s", "ratio", "gaps (fail)/s");
    static const char *const ids[] = {"tsme-2017", "hnte-2016", "innov-sme-2022", "srdi-2022",
                                      "srdi-2026"};
    static struct rules_result res;
    static struct rules_gaps gaps;
    static struct rules_year pyears[RULES_MAX_YEARS];
    double worst = 1e30;
    for (size_t si = 0; si < sizeof(ids) / sizeof(*ids); si++) {
        const struct rules_set *s = rules_registry_find(&reg, ids[si], 0);
        double t[99], tb[99];
        long long count[4] = {0};
        for (int run = 0; run < runs; run++) {
            long long c[4] = {0};
            double t0 = now();
            for (int i = 0; i < firms; i++)
                for (int k = 0; k < EVAL_YEARS; k++) {
                    rules_evaluate(s, &recs[i], FIRST + YEARS - EVAL_YEARS + k, &res);
                    c[res.verdict]++;
                }
            t[run] = now() - t0;
            memcpy(count, c, sizeof(c));
            /* baseline on the sample: parse the line for every evaluation */
            t0 = now();
            for (int i = 0; i < sample; i++)
                for (int k = 0; k < EVAL_YEARS; k++) {
                    json_t *o = json_loadb(lines[i], lens[i], JSON_REJECT_DUPLICATES, NULL);
                    struct rules_record rec;
                    struct rules_parse_error pe;
                    if (!o || rules_record_parse(o, &rec, pyears, RULES_MAX_YEARS, &pe) != 0) {
                        fprintf(stderr, "rules_bench: baseline parse failed: %s\n", pe.message);
                        return 1;
                    }
                    rules_evaluate(s, &rec, FIRST + YEARS - EVAL_YEARS + k, &res);
                    json_decref(o);
                }
            tb[run] = (now() - t0) * ((double)firms / sample);
        }
        double rate = (double)evals / median(t, runs);
        double brate = (double)evals / median(tb, runs);
        /* gap analysis for failing firms, on the sample, once */
        long long n_gaps = 0;
        double t0 = now();
        for (int i = 0; i < sample; i++) {
            rules_evaluate(s, &recs[i], FIRST + YEARS - 1, &res);
            if (res.verdict == RULES_NOT_MET) {
                rules_gaps(s, &recs[i], &res, &gaps);
                n_gaps++;
            }
        }
        double gt = now() - t0;
        printf("%-16s %14.0f %18.0f %7.1fx %16.0f   %lld/%lld/%lld/%lld\n", ids[si], rate, brate,
               rate / brate, n_gaps ? (double)n_gaps / gt : 0.0, count[RULES_MET],
               count[RULES_NOT_MET], count[RULES_UNKNOWN], count[RULES_UNCERTAIN]);
        if (rate < worst)
            worst = rate;
    }
    printf("slowest rule set: %.0f enterprise-year evaluations/s (goal ≥ 1,000,000): %s\n", worst,
           worst >= 1e6 ? "met" : "NOT met");
    for (int i = 0; i < sample; i++)
        free(lines[i]);
    free(lines);
    free(lens);
    free(years);
    free(recs);
    rules_registry_free(&reg);
    return 0;
}
