/* test_plan_values.c — unit tests for store/plan_values: every implemented formula on a
 * small real SQLite file (certificates valid on a date, first grants, shares of
 * above-scale manufacturers, counts with revenue floors, sums in 万元, contracts in 亿元
 * with chain parties, demands published on a date, roadshows), roll-up to the city, and
 * the drill-down listing exactly the records behind every value. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/timeutil.h"
#include "db/db.h"
#include "db/migrate.h"
#include "domain/plan_formula.h"
#include "store/plan_values.h"

#define AS_OF "2025-06-30"
#define CH_LD "LS-331102-1" /* 莲都区特色产业链 */
#define CH_QT "LS-331121-1" /* 青田县特色产业链 */

/* The formulas under test: id, params, unit, chain scope. */
static const struct {
    const char *name, *formula, *params, *unit;
    bool chain;
} F[] = {
    {"hnte_count", "cert_valid_count", "{\"cert\":[\"hnte\"]}", "家", false},
    {"hnte_approved", "cert_issued_count", "{\"cert\":[\"hnte\"]}", "家", false},
    {"srdi_giant_new", "cert_issued_count", "{\"cert\":[\"srdi_giant\"]}", "家", false},
    {"chain_tech_ent_count", "cert_valid_count", "{\"cert\":[\"tsme\",\"zj_tsme\",\"hnte\"]}", "家",
     true},
    {"rd_activity_share", "enterprise_share",
     "{\"population\":\"above_scale_manufacturing\",\"condition\":\"rd_expense_gt_0\"}", "%",
     false},
    {"chain_mfg_50m_no_rd_activity", "enterprise_count",
     "{\"population\":\"manufacturing\",\"min_revenue_wan\":5000,\"condition\":\"rd_expense_eq_"
     "0\"}",
     "家", true},
    {"chain_rd_expense", "enterprise_sum", "{\"field\":\"rd_expense\"}", "万元", true},
    {"tech_contract_value", "contract_value_sum", NULL, "亿元", false},
    {"chain_tech_contract_value", "contract_value_sum", "{\"party_on_chain\":true}", "万元", true},
    {"chain_demand_count", "demand_count", NULL, "项", true},
    {"chain_roadshow_count", "roadshow_count", NULL, "场", true},
};
#define NF (sizeof(F) / sizeof(F[0]))

/* One cell the engine produced. */
struct cell {
    size_t ind;
    char region[7], chain[33];
    int year;
    int64_t num, den;
};

/* The fixture: a database and the cells of one evaluation. */
struct fixture {
    char dir[64], path[96];
    struct db *db;
    struct pf_spec specs[NF];
    struct cell cells[2048];
    size_t n;
};

/* Collects a cell. */
static void sink(void *ctx, size_t ind, const char *region, const char *chain, int year,
                 int64_t num, int64_t den)
{
    struct fixture *f = ctx;
    assert_true(f->n < 2048);
    struct cell *c = &f->cells[f->n++];
    c->ind = ind;
    snprintf(c->region, sizeof(c->region), "%s", region);
    snprintf(c->chain, sizeof(c->chain), "%s", chain);
    c->year = year;
    c->num = num;
    c->den = den;
}

/* Unix time of noon (China) on a date. */
static int64_t ts(const char *date)
{
    int64_t t = 0;
    assert_int_equal(time_parse_date(date, &t), 0);
    return t + 4 * 3600;
}

/* Runs SQL with no parameters, failing the test on error. */
static void exec(struct db *db, const char *sql)
{
    assert_int_equal(db_exec(db, sql), 0);
}

/* Builds the records (see the expectations in each test). */
static void seed(struct db *db)
{
    exec(db, "INSERT INTO "
             "orgs(id,kind,name,uscc,region_code,industry_code,chains,created_at,updated_at) VALUES"
             "(1,'enterprise','甲','U1','331102','C36','[\"" CH_LD "\"]',0,0),"
             "(2,'enterprise','乙','U2','331102','C36','[]',0,0),"
             "(3,'enterprise','丙','U3','331121','M73','[]',0,0),"
             "(4,'enterprise','丁','U4','331121','C26','[\"" CH_QT "\"]',0,0),"
             "(5,'enterprise','戊','U5','331102','C38','[]',0,0)");
    exec(db, "INSERT INTO "
             "certifications(org_id,kind,number,issued_on,valid_to,created_at,updated_at) VALUES"
             "(1,'hnte','GR202233000001','2022-12-01','2025-11-30',0,0),"
             "(1,'tsme','T1','2024-05-01','2024-12-31',0,0),"
             "(2,'hnte','GR202133000002','2021-01-01','2023-12-30',0,0),"
             "(3,'hnte','GR202433000003','2024-03-01','2027-02-28',0,0),"
             "(3,'hnte','GR202533000004','2025-07-01','2028-06-30',0,0),"
             "(4,'little_giant','L1','2023-05-05','2026-05-04',0,0),"
             "(4,'little_giant','L2','2025-03-03','2028-03-02',0,0),"
             "(1,'little_giant','L3','2025-02-02','2028-02-01',0,0)");
    exec(db,
         "INSERT INTO enterprise_years(org_id,year,main_business_revenue_fen,operating_revenue_fen,"
         "rd_expense_fen,created_at,updated_at) VALUES"
         "(1,2024,3000000000,NULL,100000000,0,0),"
         "(2,2024,NULL,2500000000,0,0,0),"
         "(4,2024,1000000000,NULL,5,0,0),"
         "(5,2024,5000000000,NULL,NULL,0,0),"
         "(1,2025,6000000000,NULL,0,0,0)");
    char sql[1024];
    snprintf(sql, sizeof(sql),
             "INSERT INTO demands(org_id,region_code,title,chain,status,published_at,closed_at,"
             "created_at,updated_at) VALUES"
             "(1,'331102','d1','" CH_LD "','published',%lld,NULL,0,0),"
             "(1,'331102','d2','" CH_LD "','closed',%lld,%lld,0,0),"
             "(1,'331102','d3','" CH_LD "','draft',NULL,NULL,0,0),"
             "(1,'331102','d4','" CH_LD "','published',%lld,NULL,0,0)",
             (long long)ts("2024-05-01"), (long long)ts("2024-02-01"), (long long)ts("2025-01-15"),
             (long long)ts("2025-07-02"));
    exec(db, sql);
    exec(db,
         "INSERT INTO contracts(title,rule_set,type,seller_org_id,buyer_org_id,contract_amount_fen,"
         "tech_amount_fen,signed_on,registration_no,registered_on,region_code,created_at,updated_"
         "at) VALUES"
         "('k1','contract-2001','development',1,3,10000000000,1,'2024-02-01','2024331102000001','"
         "2024-03-01','331102',0,0),"
         "('k2','contract-2001','development',3,1,5000000000,1,'2025-06-01','2025331121000002','"
         "2025-06-30','331121',0,0),"
         "('k3','contract-2001','development',1,3,2000000000,1,'2025-06-01','2025331102000003','"
         "2025-07-01','331102',0,0)");
    exec(db, "INSERT INTO roadshows(title,held_on,chain,region_code,created_at,updated_at) VALUES"
             "('r1','2024-09-09','" CH_LD "','331102',0,0)");
}

/* Opens a fresh database, seeds it and evaluates every formula as of AS_OF. */
static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof(*f));
    snprintf(f->dir, sizeof(f->dir), "/tmp/kc-test-pv-XXXXXX");
    if (!mkdtemp(f->dir))
        return -1;
    snprintf(f->path, sizeof(f->path), "%s/kc.db", f->dir);
    if (db_open(f->path, &f->db) != 0 || migrate_run(f->db, NULL) != 0)
        return -1;
    seed(f->db);
    for (size_t i = 0; i < NF; i++) {
        char err[128];
        if (pf_parse(F[i].formula, F[i].params, F[i].unit, F[i].chain, &f->specs[i], err,
                     sizeof(err)) != 0) {
            fprintf(stderr, "%s: %s\n", F[i].name, err);
            return -1;
        }
    }
    if (plan_values_compute(f->db, f->specs, NF, 2020, 2025, AS_OF, sink, f) != 0)
        return -1;
    *state = f;
    return 0;
}

/* Removes the database. */
static int teardown(void **state)
{
    struct fixture *f = *state;
    db_close(f->db);
    static const char *const suffixes[] = {"", "-wal", "-shm"};
    for (size_t i = 0; i < 3; i++) {
        char p[128];
        snprintf(p, sizeof(p), "%s%s", f->path, suffixes[i]);
        unlink(p);
    }
    rmdir(f->dir);
    free(f);
    return 0;
}

/* The index of formula name. */
static size_t ind_of(const char *name)
{
    for (size_t i = 0; i < NF; i++)
        if (strcmp(F[i].name, name) == 0)
            return i;
    fail_msg("no formula %s", name);
    return 0;
}

/* The value of a cell (0 for an absent count, NAN for an absent share). */
static double val(const struct fixture *f, const char *name, const char *region, const char *chain,
                  int year)
{
    size_t i = ind_of(name);
    for (size_t k = 0; k < f->n; k++) {
        const struct cell *c = &f->cells[k];
        if (c->ind == i && c->year == year && strcmp(c->region, region) == 0 &&
            strcmp(c->chain, chain) == 0)
            return plan_value_of(&f->specs[i], c->num, c->den);
    }
    return plan_value_of(&f->specs[i], 0, 0);
}

/* Valid certificates on 31 December (on the as-of date in its year), each enterprise
 * once, rolled up to the city and the province. */
static void test_cert_valid(void **state)
{
    struct fixture *f = *state;
    assert_float_equal(val(f, "hnte_count", "331102", "", 2021), 1, 0);
    assert_float_equal(val(f, "hnte_count", "331102", "", 2022), 2, 0);
    assert_float_equal(val(f, "hnte_count", "331102", "", 2023), 1, 0); /* 乙 ended 12-30 */
    assert_float_equal(val(f, "hnte_count", "331102", "", 2025), 1, 0);
    assert_float_equal(val(f, "hnte_count", "331121", "", 2024), 1, 0);
    assert_float_equal(val(f, "hnte_count", "331121", "", 2025), 1, 0); /* not the 07-01 one */
    assert_float_equal(val(f, "hnte_count", "331100", "", 2024), 2, 0);
    assert_float_equal(val(f, "hnte_count", "330000", "", 2024), 2, 0);
    assert_float_equal(val(f, "hnte_count", "331102", "", 2020), 0, 0);
    /* tsme + hnte on the chain: 甲 counts once. */
    assert_float_equal(val(f, "chain_tech_ent_count", "331102", CH_LD, 2024), 1, 0);
    assert_float_equal(val(f, "chain_tech_ent_count", "331102", "", 2024), 0, 0);
}

/* Certificates issued in the year; SRDI little giants count first grants only. */
static void test_cert_issued(void **state)
{
    struct fixture *f = *state;
    assert_float_equal(val(f, "hnte_approved", "331102", "", 2021), 1, 0);
    assert_float_equal(val(f, "hnte_approved", "331102", "", 2022), 1, 0);
    assert_float_equal(val(f, "hnte_approved", "331121", "", 2024), 1, 0);
    assert_float_equal(val(f, "hnte_approved", "331121", "", 2025), 0,
                       0); /* after the as-of date */
    assert_float_equal(val(f, "srdi_giant_new", "331121", "", 2023), 1, 0);
    assert_float_equal(val(f, "srdi_giant_new", "331121", "", 2025), 0, 0); /* a renewal */
    assert_float_equal(val(f, "srdi_giant_new", "331102", "", 2025), 1, 0);
    assert_float_equal(val(f, "srdi_giant_new", "331100", "", 2025), 1, 0);
}

/* Shares, counts and sums over yearly records; unknown R&D is left out. */
static void test_enterprise(void **state)
{
    struct fixture *f = *state;
    /* Above-scale manufacturers 2024 in 莲都: 甲 (R&D) and 乙 (none, operating revenue);
     * 戊 has no R&D figure; 丁 is below the scale. */
    assert_float_equal(val(f, "rd_activity_share", "331102", "", 2024), 50.0, 1e-9);
    assert_float_equal(val(f, "rd_activity_share", "331100", "", 2024), 50.0, 1e-9);
    assert_true(isnan(val(f, "rd_activity_share", "331121", "", 2024)));
    assert_float_equal(val(f, "chain_mfg_50m_no_rd_activity", "331102", CH_LD, 2025), 1, 0);
    assert_float_equal(val(f, "chain_mfg_50m_no_rd_activity", "331102", CH_LD, 2024), 0, 0);
    assert_float_equal(val(f, "chain_rd_expense", "331102", CH_LD, 2024), 100.0, 1e-9); /* 万元 */
}

/* Contracts by registration date and seller region; chain scope by either party. */
static void test_contracts(void **state)
{
    struct fixture *f = *state;
    assert_float_equal(val(f, "tech_contract_value", "331102", "", 2024), 1.0, 1e-12);
    assert_float_equal(val(f, "tech_contract_value", "331121", "", 2025), 0.5, 1e-12);
    assert_float_equal(val(f, "tech_contract_value", "331102", "", 2025), 0, 0); /* after as-of */
    assert_float_equal(val(f, "tech_contract_value", "331100", "", 2024), 1.0, 1e-12);
    assert_float_equal(val(f, "chain_tech_contract_value", "331102", CH_LD, 2024), 10000, 1e-9);
    assert_float_equal(val(f, "chain_tech_contract_value", "331121", CH_LD, 2025), 5000, 1e-9);
}

/* Demands published on the as-of date; roadshows held in the year. */
static void test_demands_roadshows(void **state)
{
    struct fixture *f = *state;
    assert_float_equal(val(f, "chain_demand_count", "331102", CH_LD, 2024), 2, 0);
    assert_float_equal(val(f, "chain_demand_count", "331102", CH_LD, 2025), 1, 0);
    assert_float_equal(val(f, "chain_demand_count", "331102", CH_QT, 2024), 0, 0);
    assert_float_equal(val(f, "chain_roadshow_count", "331102", CH_LD, 2024), 1, 0);
    assert_float_equal(val(f, "chain_roadshow_count", "331102", CH_LD, 2025), 0, 0);
}

/* Every value the engine produced equals what its drill-down records add up to, and the
 * record count is the count for the count formulas. */
static void test_drill_matches(void **state)
{
    struct fixture *f = *state;
    assert_true(f->n > 20);
    for (size_t k = 0; k < f->n; k++) {
        const struct cell *c = &f->cells[k];
        struct plan_indicator ind = {0};
        ind.ready = true;
        ind.spec = f->specs[c->ind];
        ind.chain_scope = F[c->ind].chain;
        int64_t total = -1, num = -1, den = -1;
        struct db_stmt *st = plan_values_drill(f->db, &ind, c->region, c->chain, c->year, AS_OF, -1,
                                               0, &total, &num, &den);
        assert_non_null(st);
        int64_t rows = 0;
        while (db_step(st) == DB_ROW)
            rows++;
        db_done(st);
        if (num != c->num || den != c->den)
            fail_msg("%s %s %s %d: engine %lld/%lld, records %lld/%lld", F[c->ind].name, c->region,
                     c->chain, c->year, (long long)c->num, (long long)c->den, (long long)num,
                     (long long)den);
        assert_int_equal(rows, total);
    }
    /* A cell the engine left empty has no records either. */
    struct plan_indicator ind = {0};
    ind.ready = true;
    ind.spec = f->specs[ind_of("hnte_count")];
    int64_t total, num, den;
    struct db_stmt *st =
        plan_values_drill(f->db, &ind, "331121", "", 2022, AS_OF, -1, 0, &total, &num, &den);
    assert_non_null(st);
    db_done(st);
    assert_int_equal(total, 0);
}

/* Parameters are checked; unknown formulas and kinds are refused with the reason. */
static void test_parse(void **state)
{
    (void)state;
    struct pf_spec s;
    char err[128];
    assert_int_not_equal(pf_parse("nope", NULL, "家", false, &s, err, sizeof(err)), 0);
    assert_int_not_equal(
        pf_parse("cert_valid_count", "{\"cert\":[\"gold\"]}", "家", false, &s, err, sizeof(err)),
        0);
    assert_non_null(strstr(err, "params.cert"));
    assert_int_not_equal(pf_parse("contract_value_sum", NULL, "家", false, &s, err, sizeof(err)),
                         0);
    assert_non_null(strstr(err, "unit"));
    assert_int_equal(pf_parse("contract_value_sum", NULL, "亿元", false, &s, err, sizeof(err)), 0);
    assert_float_equal(s.fen_per_unit, 1e10, 0);
    assert_int_equal(pf_parse("cert_issued_count", "{\"cert\":[\"srdi_giant\"]}", "家", false, &s,
                              err, sizeof(err)),
                     0);
    assert_true(s.first_grant);
    assert_false(pf_def(PF_CARRIER_COUNT)->implemented);
    assert_true(pf_def(PF_CONTRACT_VALUE_SUM)->implemented);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cert_valid),
        cmocka_unit_test(test_cert_issued),
        cmocka_unit_test(test_enterprise),
        cmocka_unit_test(test_contracts),
        cmocka_unit_test(test_demands_roadshows),
        cmocka_unit_test(test_drill_matches),
        cmocka_unit_test(test_parse),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
