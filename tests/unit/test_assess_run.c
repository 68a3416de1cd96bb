/* test_assess_run.c — unit tests for store/assess on a real SQLite file: values frozen
 * at the cut-off (a revision verified later changes neither a re-run nor a new scheme
 * version's run, only a run with a later cut-off), scores and ranks of a small scheme,
 * and how a county's target for the year is read (milestone, every-year, growth, the
 * path of a total growth). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/timeutil.h"
#include "db/db.h"
#include "db/migrate.h"
#include "store/assess.h"

/* A migrated database in a temporary directory. */
struct fixture {
    char dir[64];  /* mkdtemp directory */
    char path[96]; /* the database file */
    struct db *db; /* open connection */
    int64_t task;  /* a task of the test plan */
};

/* 2026-01-31 ends at 16:00 UTC (Beijing midnight). */
static int64_t cutoff_end(void)
{
    int64_t t;
    assert_int_equal(time_parse_date("2026-01-31", &t), 0);
    return t + 86400 - 8 * 3600;
}

/* Runs one SQL statement with bound text/int arguments, asserting success. */
static void exec(struct db *db, const char *sql, const char *types, ...)
{
    va_list ap;
    va_start(ap, types);
    struct db_stmt *st = db_prep(db, sql);
    assert_non_null(st);
    for (int i = 0; types[i]; i++) {
        int rc = types[i] == 'i' ? db_bind_int(st, i + 1, va_arg(ap, int64_t))
                                 : db_bind_text(st, i + 1, va_arg(ap, const char *));
        assert_int_equal(rc, 0);
    }
    va_end(ap);
    assert_int_equal(db_run(st), 0);
}

/* Inserts an indicator and returns its id. */
static int64_t indicator(struct db *db, const char *code, const char *direction)
{
    exec(db,
         "INSERT INTO indicators(code, name, unit, direction, method, reporter, created_at, "
         "updated_at) VALUES(?, ?, '家', ?, 'reported', '测试', 0, 0)",
         "sss", code, code, direction);
    return db_last_id(db);
}

/* Inserts a value target of a county due in year. */
static int64_t target(struct fixture *f, int64_t ind, const char *code, const char *region,
                      double value, int64_t year)
{
    struct db_stmt *st = db_query(
        f->db,
        "INSERT INTO targets(plan_id, task_id, indicator_id, code, region_code, kind, basis, "
        "comparator, target_value, target_year, created_at, updated_at) VALUES(1, ?, ?, ?, ?, "
        "'value', 'level', '>=', ?, ?, 0, 0)",
        "iiss", f->task, ind, code, region);
    assert_non_null(st);
    assert_int_equal(db_bind_double(st, 5, value), 0);
    assert_int_equal(db_bind_int(st, 6, year), 0);
    assert_int_equal(db_run(st), 0);
    return db_last_id(f->db);
}

/* Inserts a verified observation revision (verified at verified_at). */
static void observe(struct db *db, int64_t ind, const char *region, int64_t year, int64_t rev,
                    double value, int64_t verified_at)
{
    exec(db,
         "UPDATE observations SET is_current = 0, status = 'superseded' WHERE indicator_id = ? "
         "AND region_code = ? AND year = ? AND is_current = 1",
         "isi", ind, region, year);
    struct db_stmt *st = db_query(db,
                                  "INSERT INTO observations(indicator_id, region_code, year, "
                                  "revision, is_current, value, source, status, submitted_at, "
                                  "verified_at, created_at, updated_at) VALUES(?, ?, ?, ?, 1, ?, "
                                  "'测试', 'verified', ?, ?, ?, ?)",
                                  "isii", ind, region, year, rev);
    assert_non_null(st);
    assert_int_equal(db_bind_double(st, 5, value), 0);
    for (int i = 6; i <= 9; i++)
        assert_int_equal(db_bind_int(st, i, verified_at), 0);
    assert_int_equal(db_run(st), 0);
}

/* Creates the database, a plan of 丽水 (331100) with one task. */
static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    if (!f)
        return -1;
    snprintf(f->dir, sizeof f->dir, "/tmp/kc-test-assess-XXXXXX");
    if (!mkdtemp(f->dir))
        return -1;
    snprintf(f->path, sizeof f->path, "%s/kc.db", f->dir);
    if (db_open(f->path, &f->db) != 0 || migrate_run(f->db, NULL) != 0)
        return -1;
    exec(f->db,
         "INSERT INTO plans(id, code, title, region_code, period_end, created_at, updated_at) "
         "VALUES(1, 'T-1', '测试规划', '331100', '2026-12-31', 0, 0)",
         "");
    exec(f->db,
         "INSERT INTO plan_tasks(plan_id, code, title, created_at, updated_at) "
         "VALUES(1, 'T1', '测试任务', 0, 0)",
         "");
    f->task = db_last_id(f->db);
    *state = f;
    return 0;
}

/* Closes and removes the database. */
static int teardown(void **state)
{
    struct fixture *f = *state;
    db_close(f->db);
    static const char *const suffixes[] = {"", "-wal", "-shm"};
    for (size_t i = 0; i < 3; i++) {
        char p[128];
        snprintf(p, sizeof p, "%s%s", f->path, suffixes[i]);
        unlink(p);
    }
    rmdir(f->dir);
    free(f);
    return 0;
}

/* Scheme items as the API validates them. */
static json_t *items2(int64_t w_a, int64_t w_b)
{
    return json_pack("[{s:s,s:I,s:s,s:i,s:i,s:i},{s:s,s:I,s:s,s:i,s:i,s:i}]", "indicator_code",
                     "ind_a", "weight_centi", (json_int_t)w_a, "rule", "ratio", "cap_pct", 120,
                     "floor_pct", 60, "min_pct", 0, "indicator_code", "ind_b", "weight_centi",
                     (json_int_t)w_b, "rule", "rank", "cap_pct", 120, "floor_pct", 60, "min_pct",
                     0);
}

/* Total of a county in a run (hundredths) and its rank. */
static void county(struct db *db, int64_t run, const char *code, int64_t *total, int64_t *rank)
{
    struct db_stmt *st = db_query(db,
                                  "SELECT total_centi, rank FROM assess_run_counties WHERE "
                                  "run_id = ? AND county_code = ?",
                                  "is", run, code);
    assert_non_null(st);
    assert_int_equal(db_step(st), DB_ROW);
    *total = db_col_int(st, 0);
    *rank = db_col_int(st, 1);
    db_done(st);
}

/* The digest of a run. */
static void digest(struct db *db, int64_t run, char out[65])
{
    struct db_stmt *st = db_query(db, "SELECT digest FROM assess_runs WHERE id = ?", "i", run);
    assert_non_null(st);
    assert_int_equal(db_step(st), DB_ROW);
    snprintf(out, 65, "%s", db_col_text(st, 0));
    db_done(st);
}

/* Scores, ranks and freezing: a revision verified after the cut-off changes neither a
 * re-run nor a run of a new scheme version with the same cut-off; a later cut-off sees
 * it. */
static void test_freeze_and_rerun(void **state)
{
    struct fixture *f = *state;
    int64_t a = indicator(f->db, "ind_a", "higher");
    int64_t b = indicator(f->db, "ind_b", "lower");
    const int64_t before = cutoff_end() - 86400, after = cutoff_end() + 10;
    target(f, a, "A-331102", "331102", 10, 2025);
    target(f, a, "A-331121", "331121", 10, 2025);
    target(f, a, "A-331122", "331122", 10, 2025);
    observe(f->db, a, "331102", 2025, 1, 8, before);
    observe(f->db, a, "331121", 2025, 1, 12, before);
    observe(f->db, a, "331122", 2025, 1, 15, before);
    observe(f->db, b, "331102", 2025, 1, 3, before);
    observe(f->db, b, "331121", 2025, 1, 5, before);
    /* Verified exactly at the end of the cut-off day: too late. */
    observe(f->db, b, "331122", 2025, 1, 1, cutoff_end());

    json_t *items = items2(6000, 4000);
    int64_t scheme = 0, run1 = 0, run2 = 0, run3 = 0, run4 = 0;
    assert_int_equal(assess_scheme_insert(f->db, "331100", "测试方案", NULL, items, 0, &scheme), 0);
    json_decref(items);
    assert_int_equal(assess_run_create(f->db, scheme, 0, 2025, "2026-01-31", 0, 0, &run1), 0);
    int64_t total, rank;
    county(f->db, run1, "331102", &total, &rank); /* 60 × 0.8 + 40 (best of 2) */
    assert_int_equal(total, 8800);
    assert_int_equal(rank, 1);
    county(f->db, run1, "331121", &total, &rank); /* 60 × 1.2 + 0 (last of 2) */
    assert_int_equal(total, 7200);
    assert_int_equal(rank, 2);
    county(f->db, run1, "331122", &total, &rank); /* 60 × min(1.5, 1.2), no value for b */
    assert_int_equal(total, 7200);
    assert_int_equal(rank, 2);
    county(f->db, run1, "331181", &total, &rank); /* no values at all */
    assert_int_equal(total, 0);
    assert_int_equal(rank, 4);

    /* A revision verified after the cut-off. */
    observe(f->db, a, "331102", 2025, 2, 10, after);
    assert_int_equal(assess_run_create(f->db, scheme, 0, 2025, "2026-01-31", run1, 0, &run2), 0);
    char d1[65], d2[65], d3[65], d4[65];
    digest(f->db, run1, d1);
    digest(f->db, run2, d2);
    assert_string_equal(d1, d2);
    county(f->db, run2, "331102", &total, &rank);
    assert_int_equal(total, 8800);

    /* A new version of the scheme, same cut-off: other weights, the same frozen values. */
    items = items2(5000, 5000);
    int version = 0;
    assert_int_equal(
        assess_scheme_new_version(f->db, scheme, "测试方案", "权重调整", items, 0, &version), 0);
    json_decref(items);
    assert_int_equal(version, 2);
    assert_int_equal(assess_run_create(f->db, scheme, 0, 2025, "2026-01-31", 0, 0, &run3), 0);
    county(f->db, run3, "331102", &total, &rank); /* 50 × 0.8 + 50 */
    assert_int_equal(total, 9000);
    digest(f->db, run3, d3);
    assert_string_not_equal(d1, d3);

    /* Version 1 again reproduces the first run exactly. */
    int64_t run1b = 0;
    assert_int_equal(assess_run_create(f->db, scheme, 1, 2025, "2026-01-31", 0, 0, &run1b), 0);
    char d1b[65];
    digest(f->db, run1b, d1b);
    assert_string_equal(d1, d1b);

    /* A later cut-off sees the revision (and 缙云's late value of b). */
    assert_int_equal(assess_run_create(f->db, scheme, 1, 2025, "2026-03-31", 0, 0, &run4), 0);
    county(f->db, run4, "331102", &total, &rank); /* 60 × 1.0 + rank 2 of 3 → 20 */
    assert_int_equal(total, 8000);
    county(f->db, run4, "331122", &total, &rank); /* 72 + rank 1 of 3 → 40 */
    assert_int_equal(total, 11200);
    assert_int_equal(rank, 1);
    digest(f->db, run4, d4);
    assert_string_not_equal(d1, d4);

    /* An unknown scheme or version is not found. */
    int64_t none = 0;
    assert_int_equal(assess_run_create(f->db, scheme + 100, 0, 2025, "2026-01-31", 0, 0, &none),
                     KC_ERR_NOT_FOUND);
    assert_int_equal(assess_run_create(f->db, scheme, 7, 2025, "2026-01-31", 0, 0, &none),
                     KC_ERR_NOT_FOUND);
}

/* The target stored with a score for county code and item 1 of a run. */
static double run_target(struct db *db, int64_t run, const char *code)
{
    struct db_stmt *st = db_query(db,
                                  "SELECT target FROM assess_run_scores WHERE run_id = ? AND "
                                  "county_code = ? AND seq = 1",
                                  "is", run, code);
    assert_non_null(st);
    assert_int_equal(db_step(st), DB_ROW);
    double v = db_col_type(st, 0) == DB_NULL ? NAN : db_col_double(st, 0);
    db_done(st);
    return v;
}

/* A county's target for the year: a milestone of that year, a target set for every year,
 * a year-on-year growth target on the previous year's value; none otherwise. */
static void test_targets_for_the_year(void **state)
{
    struct fixture *f = *state;
    int64_t c = indicator(f->db, "ind_c", "higher");
    int64_t before = cutoff_end() - 86400;
    int64_t t1 = target(f, c, "C-331102", "331102", 30, 2026);
    exec(f->db, "INSERT INTO target_milestones(target_id, year, value) VALUES(?, 2025, 20)", "i",
         t1);
    int64_t t2 = target(f, c, "C-331121", "331121", 7, 2026);
    exec(f->db, "UPDATE targets SET each_year_from = 2024 WHERE id = ?", "i", t2);
    exec(f->db,
         "INSERT INTO targets(plan_id, task_id, indicator_id, code, region_code, kind, "
         "comparator, growth_mode, growth_rate_pct, growth_base_year, target_year, created_at, "
         "updated_at) VALUES(1, ?, ?, 'C-331122', '331122', 'growth', '>=', 'yoy', 10, 2024, "
         "2025, 0, 0)",
         "ii", f->task, c);
    observe(f->db, c, "331122", 2024, 1, 50, before);
    exec(f->db,
         "INSERT INTO targets(plan_id, task_id, indicator_id, code, region_code, kind, "
         "comparator, growth_mode, growth_rate_pct, growth_base_year, target_year, created_at, "
         "updated_at) VALUES(1, ?, ?, 'C-331123', '331123', 'growth', '>=', 'total', 100, 2023, "
         "2028, 0, 0)",
         "ii", f->task, c);
    observe(f->db, c, "331123", 2023, 1, 100, before);
    target(f, c, "C-331181", "331181", 99, 2027); /* due later, no milestone: no target */
    json_t *items = json_pack("[{s:s,s:I,s:s,s:i,s:i,s:i}]", "indicator_code", "ind_c",
                              "weight_centi", (json_int_t)10000, "rule", "linear", "cap_pct", 120,
                              "floor_pct", 60, "min_pct", 0);
    int64_t scheme = 0, run = 0;
    assert_int_equal(assess_scheme_insert(f->db, "331100", "目标测试", NULL, items, 0, &scheme), 0);
    json_decref(items);
    assert_int_equal(assess_run_create(f->db, scheme, 0, 2025, "2026-01-31", 0, 0, &run), 0);
    assert_true(fabs(run_target(f->db, run, "331102") - 20) < 1e-9);
    assert_true(fabs(run_target(f->db, run, "331121") - 7) < 1e-9);
    assert_true(fabs(run_target(f->db, run, "331122") - 55) < 1e-9);
    assert_true(isnan(run_target(f->db, run, "331181")));
    /* Doubling from 2023 to 2028: 2025 is two fifths of the way, compounded. */
    assert_true(fabs(run_target(f->db, run, "331123") - 100 * pow(2, 0.4)) < 1e-9);
    /* The frozen rows say how each target was read. */
    struct db_stmt *st = db_query(f->db,
                                  "SELECT group_concat(target_note, ',') FROM (SELECT "
                                  "target_note FROM assess_frozen_values WHERE indicator_code = "
                                  "'ind_c' AND county_code IN ('331102', '331121', '331122', "
                                  "'331123', '331181') ORDER BY county_code)",
                                  "");
    assert_non_null(st);
    assert_int_equal(db_step(st), DB_ROW);
    assert_string_equal(db_col_text(st, 0), "milestone,each_year,growth_yoy,growth_path,no_target");
    db_done(st);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_freeze_and_rerun, setup, teardown),
        cmocka_unit_test_setup_teardown(test_targets_for_the_year, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
