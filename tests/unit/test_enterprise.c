/* test_enterprise.c — unit tests for domain/enterprise (GR numbers, validity dates, yearly
 * field rules) and store/enterprise on a real SQLite file (the rule-record loader,
 * yearly rows, certificates counting through valid_to). */
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

/* Parses JSON text for a test; the caller decrefs. */
static json_t *js(const char *text)
{
    json_error_t err;
    json_t *j = json_loads(text, 0, &err);
    if (!j)
        fail_msg("bad test JSON %s: %s", text, err.text);
    return j;
}

/* ---------------------------------------------------------------- pure rules */

/* GR + 4-digit year (≥ 2008) + a real province code + 6 digits, nothing else. */
static void test_hnte_number(void **state)
{
    (void)state;
    assert_true(ent_hnte_number_ok("GR202333001234"));
    assert_true(ent_hnte_number_ok("GR200811000001"));
    assert_true(ent_hnte_number_ok("GR202432999999"));
    assert_false(ent_hnte_number_ok(NULL));
    assert_false(ent_hnte_number_ok(""));
    assert_false(ent_hnte_number_ok("gr202333001234"));  /* lower case */
    assert_false(ent_hnte_number_ok("GR20233300123"));   /* 13 characters */
    assert_false(ent_hnte_number_ok("GR2023330012345")); /* 15 characters */
    assert_false(ent_hnte_number_ok("GR200733001234"));  /* before the 2008 rules */
    assert_false(ent_hnte_number_ok("GR202399001234"));  /* 99 is no province */
    assert_false(ent_hnte_number_ok("GR202310001234"));  /* 10 is no province */
    assert_false(ent_hnte_number_ok("GR20233300123A"));  /* a letter */
    assert_false(ent_hnte_number_ok("GF202333001234"));  /* not GR */
    assert_false(ent_hnte_number_ok("GR2023-3001234"));  /* punctuation */
}

/* valid_to = issued + N years − 1 day, including month ends and 29 February. */
static void test_valid_to(void **state)
{
    (void)state;
    char out[11];
    assert_int_equal(ent_valid_to("2023-12-08", 3, out), 0);
    assert_string_equal(out, "2026-12-07");
    assert_int_equal(ent_valid_to("2023-01-01", 1, out), 0);
    assert_string_equal(out, "2023-12-31");
    assert_int_equal(ent_valid_to("2024-03-01", 1, out), 0);
    assert_string_equal(out, "2025-02-28");
    assert_int_equal(ent_valid_to("2024-02-29", 1, out), 0);
    assert_string_equal(out, "2025-02-28");
    assert_int_equal(ent_valid_to("2024-02-29", 4, out), 0);
    assert_string_equal(out, "2028-02-28");
    assert_int_equal(ent_valid_to("2021-03-01", 3, out), 0);
    assert_string_equal(out, "2024-02-29");
    assert_int_equal(ent_valid_to("2023-02-30", 3, out), -1);
    assert_int_equal(ent_valid_to("2023-1-01", 3, out), -1);
    assert_int_equal(ent_valid_to(NULL, 3, out), -1);
    assert_int_equal(ent_valid_to("2023-01-01", 0, out), -1);
}

/* Reads JSON into a fresh yearly record; returns the outcome with *p. */
static bool year_of(const char *text, struct rules_year *y, struct ent_problem *p)
{
    memset(y, 0, sizeof(*y));
    memset(p, 0, sizeof(*p));
    json_t *o = js(text);
    bool ok = ent_year_from_json(o, y, p) && ent_year_check(y, p);
    json_decref(o);
    return ok;
}

/* Types, ranges and the part ≤ whole rules, each naming the field. */
static void test_year_rules(void **state)
{
    (void)state;
    struct rules_year y;
    struct ent_problem p;
    assert_true(year_of("{\"employees\":90,\"tech_staff\":8,\"rd_staff\":5,"
                        "\"net_profit_fen\":-300,\"srdi_quality_score\":85.5}",
                        &y, &p));
    assert_int_equal(y.v[RULES_F_NET_PROFIT], -300);
    assert_int_equal(y.v[RULES_F_SRDI_QUALITY_SCORE], 8550);
    assert_true(y.present & (1u << RULES_F_EMPLOYEES));
    assert_false(y.present & (1u << RULES_F_SALES_REVENUE));

    assert_false(year_of("{\"employees\":-1}", &y, &p));
    assert_string_equal(p.field, "employees");
    assert_string_equal(p.code, "negative");
    assert_false(year_of("{\"rd_expense_fen\":-5}", &y, &p));
    assert_string_equal(p.field, "rd_expense_fen");
    assert_string_equal(p.code, "negative");
    assert_false(year_of("{\"sales_revenue_fen\":12.5}", &y, &p));
    assert_string_equal(p.field, "sales_revenue_fen");
    assert_string_equal(p.code, "wrong_type");
    assert_false(year_of("{\"sales_revenue_fen\":\"100\"}", &y, &p));
    assert_string_equal(p.code, "wrong_type");
    assert_false(year_of("{\"total_assets_fen\":1000000000000001}", &y, &p));
    assert_string_equal(p.code, "out_of_range");
    assert_false(year_of("{\"srdi_quality_score\":85.555}", &y, &p));
    assert_string_equal(p.field, "srdi_quality_score");

    assert_false(year_of("{\"employees\":10,\"tech_staff\":11}", &y, &p));
    assert_string_equal(p.field, "tech_staff");
    assert_string_equal(p.code, "exceeds_field");
    assert_string_equal(p.other, "employees");
    /* Through a missing middle field: R&D staff ⊂ tech staff ⊂ employees. */
    assert_false(year_of("{\"employees\":10,\"rd_staff\":11}", &y, &p));
    assert_string_equal(p.field, "rd_staff");
    assert_string_equal(p.other, "employees");
    assert_false(year_of("{\"rd_expense_fen\":100,\"rd_expense_domestic_fen\":101}", &y, &p));
    assert_string_equal(p.field, "rd_expense_domestic_fen");
    assert_string_equal(p.other, "rd_expense_fen");
    assert_false(year_of("{\"ip_class1\":2,\"ip_class1_high_value\":3}", &y, &p));
    assert_string_equal(p.field, "ip_class1_high_value");
    /* Equal is fine. */
    assert_true(year_of("{\"employees\":10,\"tech_staff\":10,\"rd_staff\":10,"
                        "\"rd_expense_fen\":100,\"rd_expense_domestic_fen\":100}",
                        &y, &p));
    /* A null clears a field a PATCH merged onto. */
    json_t *o = js("{\"employees\":null}");
    assert_true(ent_year_from_json(o, &y, &p));
    assert_false(y.present & (1u << RULES_F_EMPLOYEES));
    json_decref(o);
}

/* Extension identity fields: types and level ranges. */
static void test_extension_rules(void **state)
{
    (void)state;
    struct ent_problem p = {0};
    json_t *t = json_true(), *two = json_integer(2), *three = json_integer(3);
    json_t *s = json_string("x"), *r = json_real(12.25), *n = json_null();
    assert_true(ent_extension_ok(RULES_F_HAS_IP_TITLE, t, &p));
    assert_false(ent_extension_ok(RULES_F_HAS_IP_TITLE, s, &p));
    assert_string_equal(p.code, "wrong_type");
    assert_true(ent_extension_ok(RULES_F_CHAIN_ROLE, two, &p));
    assert_false(ent_extension_ok(RULES_F_CHAIN_ROLE, three, &p));
    assert_string_equal(p.field, "chain_role");
    assert_string_equal(p.code, "out_of_range");
    assert_true(ent_extension_ok(RULES_F_DIGITAL_LEVEL, three, &p));
    assert_true(ent_extension_ok(RULES_F_SRDI_LOCAL_SCORE, r, &p));
    assert_true(ent_extension_ok(RULES_F_SRDI_LOCAL_SCORE, n, &p));
    assert_true(ent_hightech_field_ok("先进制造与自动化"));
    assert_false(ent_hightech_field_ok("制造"));
    json_decref(t);
    json_decref(two);
    json_decref(three);
    json_decref(s);
    json_decref(r);
    json_decref(n);
}

/* ---------------------------------------------------------------- the store */

/* A temporary migrated database with one enterprise. */
struct fixture {
    char dir[64];
    char path[128];
    struct db *db;
    int64_t org_id;
};

/* Inserts a yearly row from JSON; returns its id. */
static int64_t add_year(struct db *db, int64_t org_id, int year, const char *fields)
{
    struct rules_year y = {0};
    struct ent_problem p = {0};
    y.year = year;
    json_t *o = js(fields);
    assert_true(ent_year_from_json(o, &y, &p));
    json_decref(o);
    int64_t id = 0;
    assert_int_equal(ent_year_insert(db, org_id, &y, 1, "submitted", "self", 0, &id), 0);
    return id;
}

/* Adds a certificate of kind with the given dates. */
static void add_cert(struct db *db, int64_t org_id, const char *kind, const char *number,
                     const char *issued, const char *valid_to)
{
    json_t *c = json_pack("{s:s,s:s}", "kind", kind, "issued_on", issued);
    if (number)
        json_object_set_new(c, "number", json_string(number));
    if (valid_to)
        json_object_set_new(c, "valid_to", json_string(valid_to));
    int64_t id;
    assert_int_equal(cert_insert(db, org_id, c, 0, &id), 0);
    json_decref(c);
}

/* Opens a database file in a fresh temporary directory, migrates it, adds the firm. */
static int setup_db(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    if (!f)
        return -1;
    snprintf(f->dir, sizeof f->dir, "/tmp/kc-test-ent-XXXXXX");
    if (!mkdtemp(f->dir))
        return -1;
    snprintf(f->path, sizeof f->path, "%s/kc.db", f->dir);
    if (db_open(f->path, &f->db) != 0 || migrate_run(f->db, NULL) != 0)
        return -1;
    json_t *o =
        json_pack("{s:s,s:s,s:s,s:s,s:s}", "kind", "enterprise", "name", "嘉兴示例科技有限公司",
                  "uscc", "91330100704313080Y", "region_code", "330402", "industry_code", "C36");
    int rc = org_insert(f->db, o, &f->org_id);
    json_decref(o);
    if (rc)
        return -1;
    *state = f;
    return 0;
}

/* Closes the database and removes its files and directory. */
static int teardown_db(void **state)
{
    struct fixture *f = *state;
    if (!f)
        return 0;
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

/* Identity bit of field fd in r. */
static bool has_id(const struct rules_record *r, int fd)
{
    return (r->id_present >> (fd - RULES_N_YEARLY)) & 1;
}

/* Value of identity field fd in r. */
static int64_t id_val(const struct rules_record *r, int fd)
{
    return r->id[fd - RULES_N_YEARLY];
}

/* The loader: identity from orgs + enterprises + extra_json, the current yearly rows up
 * to the year, NULL → missing, has_valid_hnte from certificates on 31 December. */
static void test_record_load(void **state)
{
    struct fixture *f = *state;
    struct db *db = f->db;
    struct rules_record r;
    /* No profile row and no years yet: still a record, everything unknown. */
    assert_int_equal(ent_record_load(db, f->org_id, 2024, &r), 0);
    assert_int_equal(r.n_years, 0);
    assert_string_equal(r.uscc, "91330100704313080Y");
    assert_true(has_id(&r, RULES_F_MAINLAND));
    assert_int_equal(id_val(&r, RULES_F_MAINLAND), 1);
    assert_false(has_id(&r, RULES_F_REGISTERED_ON));
    assert_false(has_id(&r, RULES_F_NO_MAJOR_INCIDENT));
    assert_int_equal(id_val(&r, RULES_F_HAS_VALID_HNTE), 0);
    assert_int_equal(ent_record_load(db, 999999, 2024, &r), KC_ERR_NOT_FOUND);

    json_t *p = js("{\"registered_on\":\"2015-06-01\",\"hightech_field\":\"新材料\","
                   "\"no_major_incident\":true,\"not_on_abnormal_list\":true,"
                   "\"not_restricted_industry\":true,\"led_standard_5y\":false,"
                   "\"niche_years\":3.5,\"has_ip_title\":true,\"chain_role\":2}");
    assert_int_equal(ent_profile_save(db, f->org_id, p, 0), 0);
    json_decref(p);
    add_year(db, f->org_id, 2021, "{\"employees\":80,\"sales_revenue_fen\":3000000000}");
    add_year(db, f->org_id, 2022, "{\"employees\":85,\"sales_revenue_fen\":3500000000}");
    add_year(db, f->org_id, 2023,
             "{\"employees\":90,\"tech_staff\":20,\"sales_revenue_fen\":4000000000,"
             "\"total_assets_fen\":5000000000,\"rd_expense_fen\":200000000,"
             "\"net_profit_fen\":-100}");
    add_year(db, f->org_id, 2024, "{\"employees\":95,\"rd_expense_fen\":null}");
    add_year(db, f->org_id, 2025, "{\"employees\":99}");
    /* A retired revision of 2023 is not read. */
    struct ent_year_row row;
    assert_int_equal(ent_year_load(db, f->org_id, 2023, &row), 0);
    assert_int_equal(ent_year_retire(db, row.id), 0);
    struct rules_year y = row.data;
    y.v[RULES_F_EMPLOYEES] = 91;
    int64_t rid;
    assert_int_equal(ent_year_insert(db, f->org_id, &y, 2, "verified", "officer", 0, &rid), 0);

    assert_int_equal(ent_record_load(db, f->org_id, 2024, &r), 0);
    assert_int_equal(r.n_years, 4); /* 2021–2024; 2025 is after the evaluated year */
    assert_int_equal(r.years[0].year, 2021);
    assert_int_equal(r.years[3].year, 2024);
    assert_int_equal(r.years[2].v[RULES_F_EMPLOYEES], 91);
    assert_int_equal(r.years[2].v[RULES_F_NET_PROFIT], -100);
    assert_false(r.years[3].present & (1u << RULES_F_RD_EXPENSE)); /* NULL → missing */
    assert_false(r.years[3].present & (1u << RULES_F_SALES_REVENUE));
    assert_true(r.years[3].present & (1u << RULES_F_EMPLOYEES));
    assert_int_equal(id_val(&r, RULES_F_REGISTERED_ON), rules_days_from_civil(2015, 6, 1));
    assert_int_equal(id_val(&r, RULES_F_HIGHTECH_FIELD), 1);
    assert_int_equal(id_val(&r, RULES_F_NO_MAJOR_INCIDENT), 1);
    assert_true(has_id(&r, RULES_F_LED_STANDARD_5Y));
    assert_int_equal(id_val(&r, RULES_F_LED_STANDARD_5Y), 0);
    assert_false(has_id(&r, RULES_F_NATIONAL_AWARD_TOP3_5Y));
    assert_int_equal(id_val(&r, RULES_F_NICHE_YEARS), 350);
    assert_int_equal(id_val(&r, RULES_F_HAS_IP_TITLE), 1);
    assert_int_equal(id_val(&r, RULES_F_CHAIN_ROLE), 2);
    assert_false(has_id(&r, RULES_F_DIGITAL_LEVEL));
    assert_int_equal(ent_record_load(db, f->org_id, 0, &r), 0);
    assert_int_equal(r.n_years, 5);

    /* has_valid_hnte counts through valid_to and stops the day after. */
    add_cert(db, f->org_id, "hnte", "GR202033000001", "2020-12-01", "2023-12-31");
    add_cert(db, f->org_id, "tsme", "2024330402A0001", "2024-05-01", NULL);
    assert_int_equal(ent_record_load(db, f->org_id, 2023, &r), 0);
    assert_int_equal(id_val(&r, RULES_F_HAS_VALID_HNTE), 1);
    assert_int_equal(r.n_years, 3);
    assert_int_equal(ent_record_load(db, f->org_id, 2024, &r), 0);
    assert_int_equal(id_val(&r, RULES_F_HAS_VALID_HNTE), 0);
    assert_int_equal(ent_record_load(db, f->org_id, 2020, &r), 0);
    assert_int_equal(id_val(&r, RULES_F_HAS_VALID_HNTE), 1);
    assert_int_equal(ent_record_load(db, f->org_id, 2019, &r), 0);
    assert_int_equal(id_val(&r, RULES_F_HAS_VALID_HNTE), 0);

    /* The record evaluates: with a valid HNTE certificate tsme-2017 passes directly. */
    struct rules_registry reg;
    char err[256];
    assert_int_equal(rules_registry_load_embedded(&reg, err, sizeof(err)), 0);
    struct ent_record buf;
    assert_int_equal(ent_record_load_into(db, f->org_id, 2023, &buf), 0);
    const struct rules_set *s = rules_registry_find(&reg, "tsme", 2023);
    assert_non_null(s);
    static struct rules_result res;
    rules_evaluate(s, &buf.rec, 2023, &res);
    assert_int_equal(res.verdict, RULES_MET);
    /* Without it (2024), the size condition still reads 2024's missing sales as unknown. */
    assert_int_equal(ent_record_load_into(db, f->org_id, 2024, &buf), 0);
    rules_evaluate(s, &buf.rec, 2024, &res);
    assert_int_not_equal(res.verdict, RULES_MET);
    rules_registry_free(&reg);
}

/* Every yearly field round-trips through the row columns under its own API name. */
static void test_year_columns(void **state)
{
    struct fixture *f = *state;
    struct rules_year y = {0};
    y.year = 2030;
    for (int k = 0; k < RULES_N_STORED_YEARLY; k++) {
        y.v[k] = 100 * (k + 1);
        y.present |= 1u << k;
    }
    int64_t id;
    assert_int_equal(ent_year_insert(f->db, f->org_id, &y, 1, "draft", "self", 0, &id), 0);
    json_t *o = NULL;
    assert_int_equal(ent_year_json(f->db, id, &o), 0);
    for (int k = 0; k < RULES_N_STORED_YEARLY; k++) {
        json_t *v = json_object_get(o, rules_fields[k].name);
        assert_non_null(v);
        int64_t want = rules_fields[k].unit == RULES_U_X100 ? k + 1 : 100 * (k + 1);
        if ((int64_t)json_number_value(v) != want)
            fail_msg("%s: got %g, want %lld", rules_fields[k].name, json_number_value(v),
                     (long long)want);
    }
    assert_true(json_is_true(json_object_get(o, "is_current")));
    assert_string_equal(json_string_value(json_object_get(o, "status")), "draft");
    json_decref(o);
    /* A second current row for the same year is refused. */
    assert_int_equal(ent_year_insert(f->db, f->org_id, &y, 1, "draft", "self", 0, &id),
                     KC_ERR_CONFLICT);
    /* Update and load agree with what was written. */
    struct ent_year_row row;
    assert_int_equal(ent_year_load(f->db, f->org_id, 2030, &row), 0);
    row.data.present &= ~(1u << RULES_F_CONVERSIONS);
    row.data.v[RULES_F_EMPLOYEES] = 7;
    assert_int_equal(ent_year_update(f->db, row.id, &row.data, "officer", 0), 0);
    struct ent_year_row again;
    assert_int_equal(ent_year_load(f->db, f->org_id, 2030, &again), 0);
    assert_int_equal(again.data.v[RULES_F_EMPLOYEES], 7);
    assert_false(again.data.present & (1u << RULES_F_CONVERSIONS));
    assert_string_equal(again.source, "officer");
    assert_int_equal(ent_year_set_status(f->db, row.id, "verified", 0), 0);
    assert_int_equal(ent_year_load(f->db, f->org_id, 2030, &again), 0);
    assert_string_equal(again.status, "verified");
}

/* Runs the tests. */
int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hnte_number),
        cmocka_unit_test(test_valid_to),
        cmocka_unit_test(test_year_rules),
        cmocka_unit_test(test_extension_rules),
        cmocka_unit_test_setup_teardown(test_record_load, setup_db, teardown_db),
        cmocka_unit_test_setup_teardown(test_year_columns, setup_db, teardown_db),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
