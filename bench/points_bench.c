/*
 * points_bench.c — speed of the ladder analytics over a real database (one thread).
 *
 * Reads a kechuang data directory (bench/module-points.sh makes one with `serve --demo`)
 * and times, as the median of R runs:
 *   scan      ladder_scan_load of every enterprise (3 queries) + a rule record per firm
 *             for the latest year;
 *   baseline  the same records with ent_record_load, one firm at a time (3 queries per
 *             firm) — the ratio scan / baseline is printed;
 *   points    the 创新积分 of every firm with data in the latest year: evaluation and the
 *             cohort percentiles per prefecture × stage, then the league ranks;
 *   pool      the 高新技术企业 cultivation pool of every firm: evaluation, membership from
 *             the verdict tree (default margins), the gap analysis for every member;
 *   funnel    tsme-2017 and hnte-2016 verdicts of every firm with data in the latest year.
 *
 * usage: build/points_bench --data DIR [--runs R]
 */
#include "core/timeutil.h"
#include "db/db.h"
#include "rules/points.h"
#include "rules/pool.h"
#include "rules/rules.h"
#include "store/enterprise.h"
#include "store/points.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Median of n doubles (sorts them). */
static double median(double *v, int n)
{
    for (int i = 1; i < n; i++)
        for (int j = i; j > 0 && v[j - 1] > v[j]; j--) {
            double t = v[j];
            v[j] = v[j - 1];
            v[j - 1] = t;
        }
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* Milliseconds since t0 (monotonic ns). */
static double ms_since(int64_t t0)
{
    return (double)(time_mono_ns() - t0) / 1e6;
}

/* Orders scored firms by stage (qsort). */
static int cmp_stage(const void *a, const void *b)
{
    const struct pts_firm *x = *(struct pts_firm *const *)a, *y = *(struct pts_firm *const *)b;
    return x->stage - y->stage;
}

/* Runs the benchmark. */
int main(int argc, char **argv)
{
    const char *dir = NULL;
    int runs = 5;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--data") == 0 && i + 1 < argc)
            dir = argv[++i];
        else if (strcmp(argv[i], "--runs") == 0 && i + 1 < argc)
            runs = atoi(argv[++i]);
        else {
            fprintf(stderr, "usage: %s --data DIR [--runs R]\n", argv[0]);
            return 2;
        }
    }
    if (!dir || runs < 1 || runs > 50) {
        fprintf(stderr, "usage: %s --data DIR [--runs R]\n", argv[0]);
        return 2;
    }
    char path[4096];
    snprintf(path, sizeof(path), "%s/kechuang.db", dir);
    struct db *db = NULL;
    if (db_open(path, &db) != 0) {
        fprintf(stderr, "points_bench: cannot open %s\n", path);
        return 1;
    }
    struct rules_registry reg;
    char err[512];
    struct pts_config *cfg = malloc(sizeof(*cfg));
    struct pts_error pe;
    if (rules_registry_load_embedded(&reg, err, sizeof(err)) != 0 || !cfg ||
        pts_config_default(cfg, &pe) != 0) {
        fprintf(stderr, "points_bench: rules: %s\n", err);
        return 1;
    }
    int year = 0;
    if (scan_max_year(db, "", "~", &year) != 0 || !year) {
        fprintf(stderr, "points_bench: no enterprise data in %s\n", path);
        return 1;
    }
    double t_scan[50], t_base[50], t_pts[50], t_pool[50], t_fun[50];
    size_t n_firms = 0, n_scored = 0, n_failing = 0, n_pool = 0, n_funnel = 0;
    struct rules_result *res = malloc(sizeof(*res));
    struct rules_gaps *gaps = malloc(sizeof(*gaps));
    for (int r = 0; r < runs; r++) {
        /* scan */
        int64_t t0 = time_mono_ns();
        struct ladder_scan s;
        if (ladder_scan_load(db, "", "~", 0, 0, &s) != 0) {
            fprintf(stderr, "points_bench: scan failed\n");
            return 1;
        }
        uint64_t check = 0;
        for (size_t i = 0; i < s.n; i++) {
            struct rules_record rec;
            scan_record(&s.firms[i], year, &rec);
            check += (uint64_t)rec.n_years;
        }
        t_scan[r] = ms_since(t0);
        n_firms = s.n;
        /* baseline: one firm at a time */
        t0 = time_mono_ns();
        uint64_t check2 = 0;
        for (size_t i = 0; i < s.n; i++) {
            struct rules_record rec;
            if (ent_record_load(db, s.firms[i].org_id, year, &rec) != 0) {
                fprintf(stderr, "points_bench: ent_record_load failed\n");
                return 1;
            }
            check2 += (uint64_t)rec.n_years;
        }
        t_base[r] = ms_since(t0);
        if (check != check2) {
            fprintf(stderr, "points_bench: scan and loader disagree (%llu vs %llu years)\n",
                    (unsigned long long)check, (unsigned long long)check2);
            return 1;
        }
        /* points: every firm of the year, cohorts per prefecture × stage */
        t0 = time_mono_ns();
        struct pts_firm *pf = calloc(s.n ? s.n : 1, sizeof(*pf));
        struct pts_firm **grp = malloc((s.n ? s.n : 1) * sizeof(*grp));
        n_scored = 0;
        char seen[64][5]; /* the prefectures (first 4 digits), in order of appearance */
        int n_seen = 0;
        for (size_t i = 0; i < s.n; i++) {
            bool dup = false;
            for (int k = 0; k < n_seen; k++)
                dup |= strncmp(seen[k], s.firms[i].region_code, 4) == 0;
            if (!dup && n_seen < 64)
                memcpy(seen[n_seen++], s.firms[i].region_code, 4);
        }
        for (int k = 0; k < n_seen; k++) {
            size_t m = 0;
            for (size_t i = 0; i < s.n; i++) {
                if (strncmp(s.firms[i].region_code, seen[k], 4) != 0 ||
                    !scan_has_year(&s.firms[i], year))
                    continue;
                struct rules_record rec;
                scan_record(&s.firms[i], year, &rec);
                pf[i].org_id = s.firms[i].org_id;
                pts_eval(cfg, &rec, year, &pf[i]);
                if (pf[i].stage >= 0)
                    grp[m++] = &pf[i];
                n_scored++;
            }
            qsort(grp, m, sizeof(*grp), cmp_stage);
            for (size_t a = 0; a < m;) {
                size_t b = a;
                while (b < m && grp[b]->stage == grp[a]->stage)
                    b++;
                pts_score_cohort(cfg, grp + a, b - a);
                pts_rank(cfg, grp + a, b - a);
                a = b;
            }
        }
        t_pts[r] = ms_since(t0);
        free(pf);
        free(grp);
        /* pool (hnte) */
        t0 = time_mono_ns();
        n_failing = n_pool = 0;
        for (size_t i = 0; i < s.n; i++) {
            int y = scan_latest_year(&s.firms[i], 0);
            const struct rules_set *set = y ? rules_registry_find(&reg, "hnte", y) : NULL;
            if (!set)
                continue;
            struct rules_record rec;
            scan_record(&s.firms[i], y, &rec);
            rules_evaluate(set, &rec, y, res);
            if (res->verdict != RULES_NOT_MET)
                continue;
            n_failing++;
            /* the API's rule with the default margins: 1 condition, or all within 10 % / 5 */
            if (pool_route_failed(set, res) > 1 && !pool_route_near(set, res, 10, 5))
                continue;
            rules_gaps(set, &rec, res, gaps);
            n_pool++;
        }
        t_pool[r] = ms_since(t0);
        /* funnel verdicts */
        t0 = time_mono_ns();
        const struct rules_set *tsme = rules_registry_find(&reg, "tsme", year);
        const struct rules_set *hnte = rules_registry_find(&reg, "hnte", year);
        n_funnel = 0;
        for (size_t i = 0; i < s.n; i++) {
            if (!scan_has_year(&s.firms[i], year))
                continue;
            struct rules_record rec;
            scan_record(&s.firms[i], year, &rec);
            if (tsme)
                rules_evaluate(tsme, &rec, year, res);
            if (hnte)
                rules_evaluate(hnte, &rec, year, res);
            n_funnel++;
        }
        t_fun[r] = ms_since(t0);
        ladder_scan_free(&s);
    }
    double scan = median(t_scan, runs), base = median(t_base, runs);
    printf("points_bench: %zu enterprises, latest year %d, median of %d runs (one thread)\n",
           n_firms, year, runs);
    printf("  region scan + records      %8.1f ms  (%.0f firms/s)\n", scan,
           n_firms / (scan / 1000.0));
    printf("  baseline ent_record_load   %8.1f ms  (%.0f firms/s)  scan is %.1fx faster\n", base,
           n_firms / (base / 1000.0), base / scan);
    double p = median(t_pts, runs);
    printf("  创新积分 (eval+cohorts+rank) %8.1f ms  for %zu firms (%.0f firms/s)\n", p, n_scored,
           n_scored / (p / 1000.0));
    double pl = median(t_pool, runs);
    printf("  hnte pool (eval+gaps)      %8.1f ms  %zu failing, %zu in the pool (%.0f firms/s)\n",
           pl, n_failing, n_pool, n_firms / (pl / 1000.0));
    double fu = median(t_fun, runs);
    printf("  funnel verdicts (2 sets)   %8.1f ms  for %zu firms\n", fu, n_funnel);
    free(res);
    free(gaps);
    free(cfg);
    rules_registry_free(&reg);
    db_close(db);
    return 0;
}
