/* test_points_store.c — store/points on a real SQLite file: the region scan gives every
 * firm exactly the rule record ent_record_load gives (identity, extension fields, the
 * current yearly rows up to the year, has_valid_hnte through valid_to), for several firms
 * and years; the scan honours the region range and one-organisation scope; 创新积分
 * configuration versions resolve prefecture → province → 000000; pool margins resolve
 * county → prefecture → … with the family row before "*". */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "db/db.h"
#include "db/migrate.h"
#include "domain/enterprise.h"
#include "rules/rules.h"
#include "store/enterprise.h"
#include "store/org.h"
#include "store/points.h"

/* A temporary migrated database. */
struct fixture {
    char dir[64];
    char path[128];
    struct db *db;
    int64_t org[4];
};

/* Parses JSON text for a test; the caller decrefs. */
static json_t *js(const char *text)
{
    json_error_t err;
    json_t *j = json_loads(text, 0, &err);
    if (!j)
        fail_msg("bad test JSON %s: %s", text, err.text);
    return j;
}

/* Inserts an enterprise organisation; returns its id. */
static int64_t add_org(struct db *db, const char *uscc, const char *region)
{
    json_t *o = json_pack("{s:s,s:s,s:s,s:s}", "kind", "enterprise", "name", uscc, "uscc", uscc,
                          "region_code", region);
    int64_t id = 0;
    assert_int_equal(org_insert(db, o, &id), 0);
    json_decref(o);
    return id;
}

/* Inserts a yearly row from JSON. */
static void add_year(struct db *db, int64_t org_id, int year, const char *fields)
{
    struct rules_year y = {0};
    struct ent_problem p = {0};
    y.year = year;
    json_t *o = js(fields);
    assert_true(ent_year_from_json(o, &y, &p));
    json_decref(o);
    int64_t id = 0;
    assert_int_equal(ent_year_insert(db, org_id, &y, 1, "submitted", "self", 0, &id), 0);
}

/* Adds a certificate. */
static void add_cert(struct db *db, int64_t org_id, const char *kind, const char *number,
                     const char *issued, const char *valid_to)
{
    json_t *c = json_pack("{s:s,s:s,s:s}", "kind", kind, "issued_on", issued, "number", number);
    if (valid_to)
        json_object_set_new(c, "valid_to", json_string(valid_to));
    int64_t id;
    assert_int_equal(cert_insert(db, org_id, c, 0, &id), 0);
    json_decref(c);
}

/* Opens and migrates a database with four enterprises in two counties and a city. */
static int setup_db(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    if (!f)
        return -1;
    snprintf(f->dir, sizeof f->dir, "/tmp/kc-test-points-XXXXXX");
    if (!mkdtemp(f->dir))
        return -1;
    snprintf(f->path, sizeof f->path, "%s/kc.db", f->dir);
    if (db_open(f->path, &f->db) != 0 || migrate_run(f->db, NULL) != 0)
        return -1;
    *state = f;
    return 0;
}

/* Closes the database and removes its files. */
static int teardown_db(void **state)
{
    struct fixture *f = *state;
    db_close(f->db);
    static const char *const suffixes[] = {"", "-wal", "-shm"};
    for (size_t i = 0; i < 3; i++) {
        char p[160];
        snprintf(p, sizeof p, "%s%s", f->path, suffixes[i]);
        unlink(p);
    }
    rmdir(f->dir);
    free(f);
    return 0;
}

/* Asserts that two rule records are the same. */
static void same_record(const struct rules_record *a, const struct rules_record *b)
{
    assert_string_equal(a->uscc, b->uscc);
    assert_string_equal(a->name, b->name);
    assert_int_equal(a->id_present, b->id_present);
    for (int k = 0; k < RULES_N_FIELDS - RULES_N_YEARLY; k++)
        if (a->id_present & (1ull << k))
            assert_int_equal(a->id[k], b->id[k]);
    assert_int_equal(a->n_years, b->n_years);
    for (int i = 0; i < a->n_years; i++) {
        assert_int_equal(a->years[i].year, b->years[i].year);
        assert_int_equal(a->years[i].present, b->years[i].present);
        for (int fd = 0; fd < RULES_N_STORED_YEARLY; fd++)
            if (a->years[i].present & (1u << fd))
                assert_int_equal(a->years[i].v[fd], b->years[i].v[fd]);
    }
}

/* The scan equals ent_record_load for every firm and year 2019–2026 and year 0. */
static void test_scan_equals_loader(void **state)
{
    struct fixture *f = *state;
    struct db *db = f->db;
    f->org[0] = add_org(db, "91330100704313080Y", "330402");
    f->org[1] = add_org(db, "91330402MA2B3C4D5E", "330402");
    f->org[2] = add_org(db, "91330411MA2B3C4D6F", "330411");
    f->org[3] = add_org(db, "91331000MA2B3C4D7G", "331002");
    json_t *p = js("{\"registered_on\":\"2015-06-01\",\"hightech_field\":\"新材料\","
                   "\"no_major_incident\":true,\"not_on_abnormal_list\":false,"
                   "\"led_standard_5y\":false,\"niche_years\":3.5,\"has_ip_title\":true,"
                   "\"chain_role\":2,\"srdi_local_score\":7.25}");
    assert_int_equal(ent_profile_save(db, f->org[0], p, 0), 0);
    json_decref(p);
    p = js("{\"hightech_field\":null,\"sci_award_3y\":true}");
    assert_int_equal(ent_profile_save(db, f->org[1], p, 0), 0);
    json_decref(p);
    add_year(db, f->org[0], 2021, "{\"employees\":80,\"sales_revenue_fen\":3000000000}");
    add_year(db, f->org[0], 2023, "{\"employees\":90,\"tech_staff\":20,\"net_profit_fen\":-5}");
    add_year(db, f->org[0], 2024, "{\"employees\":95,\"rd_expense_fen\":null,\"ip_class1\":3}");
    add_year(db, f->org[1], 2024, "{\"employees\":10,\"operating_revenue_fen\":123}");
    add_year(db, f->org[2], 2022, "{\"employees\":7}");
    add_year(db, f->org[3], 2024, "{\"employees\":70}");
    /* A retired revision must not be read. */
    struct ent_year_row row;
    assert_int_equal(ent_year_load(db, f->org[0], 2023, &row), 0);
    assert_int_equal(ent_year_retire(db, row.id), 0);
    struct rules_year y = row.data;
    y.v[RULES_F_EMPLOYEES] = 91;
    int64_t rid;
    assert_int_equal(ent_year_insert(db, f->org[0], &y, 2, "verified", "officer", 0, &rid), 0);
    add_cert(db, f->org[0], "hnte", "GR202033000001", "2020-12-01", "2023-12-31");
    add_cert(db, f->org[1], "hnte", "GR202433000002", "2024-12-31", NULL);
    add_cert(db, f->org[2], "tsme", "2024330411A0001", "2022-01-01", NULL);

    struct ladder_scan s;
    assert_int_equal(ladder_scan_load(db, "", "~", 0, 0, &s), 0);
    assert_int_equal(s.n, 4);
    for (size_t i = 0; i < s.n; i++) {
        for (int year = 2019; year <= 2026; year++) {
            struct rules_record a, b;
            scan_record(&s.firms[i], year, &a);
            assert_int_equal(ent_record_load(db, s.firms[i].org_id, year, &b), 0);
            same_record(&a, &b);
        }
        struct rules_record a, b;
        scan_record(&s.firms[i], 0, &a);
        assert_int_equal(ent_record_load(db, s.firms[i].org_id, 0, &b), 0);
        same_record(&a, &b);
    }
    /* has_valid_hnte counts through valid_to and stops the day after. */
    struct rules_record r;
    scan_record(&s.firms[0], 2023, &r);
    assert_int_equal(r.id[RULES_F_HAS_VALID_HNTE - RULES_N_YEARLY], 1);
    scan_record(&s.firms[0], 2024, &r);
    assert_int_equal(r.id[RULES_F_HAS_VALID_HNTE - RULES_N_YEARLY], 0);
    assert_int_equal(scan_latest_year(&s.firms[0], 0), 2024);
    assert_int_equal(scan_latest_year(&s.firms[0], 2022), 2021);
    assert_true(scan_has_year(&s.firms[0], 2023));
    assert_false(scan_has_year(&s.firms[0], 2022));
    ladder_scan_free(&s);

    /* Region range and one-organisation scope. */
    assert_int_equal(ladder_scan_load(db, "3304", "3305", 0, 2023, &s), 0);
    assert_int_equal(s.n, 3);
    assert_int_equal(s.firms[0].n_years, 2); /* 2021, 2023 (≤ max_year) */
    assert_int_equal(s.firms[1].n_years, 0);
    ladder_scan_free(&s);
    assert_int_equal(ladder_scan_load(db, "3304", "3305", f->org[2], 0, &s), 0);
    assert_int_equal(s.n, 1);
    assert_int_equal(s.firms[0].org_id, f->org[2]);
    ladder_scan_free(&s);
    int maxy = 0;
    assert_int_equal(scan_max_year(db, "330411", "330412", &maxy), 0);
    assert_int_equal(maxy, 2022);
}

/* Configuration versions: numbered per region, the prefecture's newest wins over the
 * province and 000000. */
static void test_config_versions(void **state)
{
    struct fixture *f = *state;
    struct db *db = f->db;
    bool found;
    struct points_version v;
    json_t *j = NULL;
    assert_int_equal(points_config_effective(db, "330402", &found, &v, &j), 0);
    assert_false(found);
    int64_t id;
    int ver;
    assert_int_equal(points_config_insert(db, "000000", "{\"n\":0}", NULL, 0, &id, &ver), 0);
    assert_int_equal(ver, 1);
    assert_int_equal(points_config_insert(db, "330400", "{\"n\":1}", "first", 0, &id, &ver), 0);
    assert_int_equal(points_config_insert(db, "330400", "{\"n\":2}", "second", 0, &id, &ver), 0);
    assert_int_equal(ver, 2);
    assert_int_equal(points_config_effective(db, "330402", &found, &v, &j), 0);
    assert_true(found);
    assert_int_equal(v.version, 2);
    assert_string_equal(v.region_code, "330400");
    assert_int_equal(json_integer_value(json_object_get(j, "n")), 2);
    json_decref(j);
    assert_int_equal(points_config_effective(db, "331002", &found, &v, &j), 0);
    assert_true(found);
    assert_string_equal(v.region_code, "000000");
    json_decref(j);
    json_t *row;
    assert_int_equal(points_config_get(db, id, &row), 0);
    assert_string_equal(json_string_value(json_object_get(row, "note")), "second");
    assert_int_equal(json_integer_value(json_object_get(json_object_get(row, "config"), "n")), 2);
    json_decref(row);
    assert_int_equal(points_config_get(db, 999, &row), KC_ERR_NOT_FOUND);
}

/* Pool margins: defaults, then county over prefecture, family row over "*". */
static void test_margins(void **state)
{
    struct fixture *f = *state;
    struct db *db = f->db;
    struct pool_margin m;
    assert_int_equal(pool_margin_for(db, "330402", "hnte", &m), 0);
    assert_int_equal(m.max_failed, POOL_DEFAULT_MAX_FAILED);
    assert_string_equal(m.from_region, "");
    assert_int_equal(pool_margin_save(db, "330400", "*", 2, 15, 8, 0), 0);
    assert_int_equal(pool_margin_for(db, "330402", "hnte", &m), 0);
    assert_int_equal(m.max_failed, 2);
    assert_string_equal(m.from_region, "330400");
    assert_int_equal(pool_margin_save(db, "330400", "hnte", 0, 5, 3, 0), 0);
    assert_int_equal(pool_margin_for(db, "330402", "hnte", &m), 0);
    assert_int_equal(m.margin_pct, 5);
    assert_string_equal(m.from_family, "hnte");
    assert_int_equal(pool_margin_for(db, "330402", "tsme", &m), 0);
    assert_int_equal(m.margin_pct, 15);
    assert_int_equal(pool_margin_save(db, "330402", "*", 1, 20, 1, 0), 0);
    assert_int_equal(pool_margin_for(db, "330402", "hnte", &m), 0);
    assert_int_equal(m.margin_pct, 20);
    assert_string_equal(m.from_region, "330402");
    assert_int_equal(pool_margin_save(db, "330402", "*", 1, 25, 1, 0), 0); /* replace */
    assert_int_equal(pool_margin_for(db, "330402", "hnte", &m), 0);
    assert_int_equal(m.margin_pct, 25);
    assert_int_equal(pool_margin_delete(db, "330402", "*"), 0);
    assert_int_equal(pool_margin_delete(db, "330402", "*"), KC_ERR_NOT_FOUND);
    assert_int_equal(pool_margin_for(db, "330402", "hnte", &m), 0);
    assert_int_equal(m.margin_pct, 5);
    /* The CHECK constraints refuse out-of-range values. */
    assert_int_not_equal(pool_margin_save(db, "330402", "*", 9, 10, 1, 0), 0);
}

/* Runs the tests on one database. */
int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_scan_equals_loader),
        cmocka_unit_test(test_config_versions),
        cmocka_unit_test(test_margins),
    };
    return cmocka_run_group_tests(tests, setup_db, teardown_db);
}
