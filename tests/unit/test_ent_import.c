/* test_ent_import.c — unit tests for store/ent_import: exact money parsing, header
 * matching (Chinese with units, English names, 元 and 分), row validation with reasons
 * naming the column, the failed-rows file, idempotent re-import without new audit
 * entries, updates with field-level audit, the verification lock, region scope,
 * duplicates and inconsistent rows within a file, per-record audit, batches. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/uscc.h"
#include "db/db.h"
#include "db/migrate.h"
#include "store/ent_import.h"

static char dir[256]; /* scratch directory */
static struct db *db; /* a fresh database */

/* Creates the scratch directory and a migrated database. */
static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof(dir), "/tmp/kc-entimp-XXXXXX");
    if (!mkdtemp(dir))
        return -1;
    char path[400];
    snprintf(path, sizeof(path), "%s/t.db", dir);
    if (db_open(path, &db) != 0 || migrate_run(db, NULL) != 0)
        return -1;
    return 0;
}

/* Closes the database and removes the directory. */
static int teardown(void **state)
{
    (void)state;
    db_close(db);
    char cmd[300];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

/* A valid USCC for an enterprise registered in region with a serial number. */
static const char *uscc(const char *region, int serial)
{
    static char out[8][20];
    static int k;
    k = (k + 1) % 8;
    char body[9];
    snprintf(body, sizeof(body), "%08d", serial);
    char first17[18];
    snprintf(first17, sizeof(first17), "91%s%s%c", region, body, uscc_orgcode_check_char(body));
    snprintf(out[k], sizeof(out[k]), "%s%c", first17, uscc_check_char(first17));
    return out[k];
}

/* Writes text to a scratch file; returns its path (static). */
static const char *put(const char *name, const char *text)
{
    static char path[400];
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    return path;
}

/* Reads a whole file (malloc'd), or NULL when it does not exist. */
static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    struct buf b = {0};
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
        buf_append(&b, chunk, n);
    fclose(f);
    size_t len;
    return b.data ? buf_take(&b, &len) : calloc(1, 1);
}

/* An integer from a one-value query. */
static int64_t q(const char *sql)
{
    int64_t v = -1;
    assert_int_equal(db_scalar(db_prep(db, sql), &v), 0);
    return v;
}

/* Default options: everything in scope, as the command line. */
static struct ent_import_opts opts(const char *failed)
{
    struct ent_import_opts o;
    memset(&o, 0, sizeof(o));
    auth_scope_prefix(&o.scope, "");
    o.actor = (struct audit_ctx){0, "tester", "-"};
    o.job_id = 7;
    o.input_name = "test.csv";
    o.failed_path = failed;
    return o;
}

/* Runs an import of path; returns its stats. */
static struct ent_import_stats run(const char *path, const struct ent_import_opts *o, int want_rc)
{
    struct ent_import_stats st;
    struct ent_import_error err;
    int rc = ent_import_file(db, path, TABLE_AUTO, o, &st, &err);
    if (rc != want_rc)
        fail_msg("import %s: rc %d (%s %s %s)", path, rc, err.code, err.field, err.detail);
    return st;
}

/* Exact decimal parsing to 分 and integers. */
static void test_parse_decimal(void **state)
{
    (void)state;
    int64_t v;
    const int64_t L = 1000000000000000LL;
    assert_true(ent_parse_decimal("1234.56", 2, L, &v) && v == 123456);
    assert_true(ent_parse_decimal("1,234.5", 2, L, &v) && v == 123450);
    assert_true(ent_parse_decimal("12,345,678.90", 2, L, &v) && v == 1234567890);
    assert_true(ent_parse_decimal("1.230", 2, L, &v) && v == 123);
    assert_true(ent_parse_decimal("-5", 2, L, &v) && v == -500);
    assert_true(ent_parse_decimal("+3", 2, L, &v) && v == 300);
    assert_true(ent_parse_decimal("00012", 2, L, &v) && v == 1200);
    assert_true(ent_parse_decimal("1.", 2, L, &v) && v == 100);
    assert_true(ent_parse_decimal(".5", 2, L, &v) && v == 50);
    assert_true(ent_parse_decimal("1E+3", 2, L, &v) && v == 100000);
    assert_true(ent_parse_decimal("1.2E-1", 2, L, &v) && v == 12);
    assert_true(ent_parse_decimal("¥100", 2, L, &v) && v == 10000);
    assert_true(ent_parse_decimal("0", 2, L, &v) && v == 0);
    assert_true(ent_parse_decimal("0.00", 2, L, &v) && v == 0);
    assert_true(ent_parse_decimal("9999999999999.99", 2, L, &v) && v == 999999999999999LL);
    assert_true(ent_parse_decimal("10000000000000", 2, L, &v) && v == L);
    assert_false(ent_parse_decimal("10000000000000.01", 2, L, &v));
    assert_false(ent_parse_decimal("0.001", 2, L, &v));
    assert_false(ent_parse_decimal("1.005", 2, L, &v));
    assert_false(ent_parse_decimal("abc", 2, L, &v));
    assert_false(ent_parse_decimal("", 2, L, &v));
    assert_false(ent_parse_decimal(".", 2, L, &v));
    assert_false(ent_parse_decimal("1,23", 2, L, &v));
    assert_false(ent_parse_decimal("1,2345", 2, L, &v));
    assert_false(ent_parse_decimal("1.2.3", 2, L, &v));
    assert_false(ent_parse_decimal("12元", 2, L, &v));
    assert_false(ent_parse_decimal("1e999", 2, L, &v));
    assert_false(ent_parse_decimal("99999999999999999999", 0, L, &v));
    /* integers: trailing zero decimals are fine, others are not */
    assert_true(ent_parse_decimal("12.0", 0, 1000, &v) && v == 12);
    assert_false(ent_parse_decimal("12.5", 0, 1000, &v));
    assert_false(ent_parse_decimal("1001", 0, 1000, &v));
}

/* The failed-rows file's data lines (without the header), joined. */
static char *failed_lines(const char *path)
{
    char *all = slurp(path);
    assert_non_null(all);
    assert_memory_equal(all, "\xEF\xBB\xBF", 3);
    char *nl = strstr(all, "\r\n");
    assert_non_null(nl);
    char *rest = strdup(nl + 2);
    free(all);
    return rest;
}

/* New enterprises with years; bad rows named by column; the failed-rows file; counts;
 * stored values in 分; source/status. */
static void test_import_and_failures(void **state)
{
    (void)state;
    char failed[400];
    snprintf(failed, sizeof(failed), "%s/failed1.csv", dir);
    struct buf csv = {0};
    buf_printf(&csv, "\xEF\xBB\xBF*统一社会信用代码,企业名称,所在地区代码,国民经济行业代码,"
                     "年度,职工总数（人）,科技人员数,销售收入（元）,研发费用总额(元),净利润（元）,"
                     "近五年国家级科技奖励(前三名),备注\r\n");
    buf_printf(
        &csv,
        "%s,甲科技有限公司,330402 南湖区,C36,2023,100,20,\"1,234,567.89\",100000,-5.5,是,x\r\n",
        uscc("330402", 1));
    buf_printf(&csv, "%s,甲科技有限公司,330402,C36,2024,110,25,2000000,120000.1,0,是,\r\n",
               uscc("330402", 1));
    /* bad: check character */
    const char *bad = uscc("330402", 2);
    char badu[20];
    snprintf(badu, sizeof(badu), "%.17s%c", bad, bad[17] == '0' ? '1' : '0');
    buf_printf(&csv, "%s,乙公司,330402,C36,2024,10,1,100,1,1,否,\r\n", badu);
    /* bad: 3 decimals, unknown region, staff > employees (three reasons) */
    buf_printf(&csv, "%s,丙公司,999999,C36,2024,10,11,1.005,1,1,否,\r\n", uscc("330402", 3));
    /* bad: year out of range and a yes/no that is neither */
    buf_printf(&csv, "%s,丁公司,330402,C36,1980,10,1,1,1,1,也许,\r\n", uscc("330402", 4));
    /* bad: a new enterprise without a name */
    buf_printf(&csv, "%s,,330402,,2024,,,,,,,\r\n", uscc("330402", 5));
    /* a blank line is skipped, not counted */
    buf_puts(&csv, ",,,,,,,,,,,\r\n");
    const char *p = put("a.csv", csv.data);
    buf_free(&csv);
    struct ent_import_opts o = opts(failed);
    int64_t audit0 = q("SELECT count(*) FROM audit_log");
    struct ent_import_stats st = run(p, &o, 0);
    assert_int_equal(st.rows, 6);
    assert_int_equal(st.inserted, 2);
    assert_int_equal(st.updated, 0);
    assert_int_equal(st.failed, 4);
    assert_string_equal(st.ignored, "备注");
    assert_string_equal(st.encoding, "utf-8");
    /* one batch entry and one job entry */
    assert_int_equal(q("SELECT count(*) FROM audit_log") - audit0, 2);
    assert_int_equal(q("SELECT count(*) FROM audit_log WHERE entity='job' AND entity_id='7' "
                       "AND action='import_batch' AND diff LIKE '%years_inserted%'"),
                     1);
    assert_int_equal(q("SELECT sales_revenue_fen FROM enterprise_years WHERE year=2023"),
                     123456789);
    assert_int_equal(q("SELECT net_profit_fen FROM enterprise_years WHERE year=2023"), -550);
    assert_int_equal(q("SELECT rd_expense_fen FROM enterprise_years WHERE year=2024"), 12000010);
    assert_int_equal(q("SELECT count(*) FROM enterprise_years WHERE source='import' AND "
                       "status='submitted' AND import_job_id=7"),
                     2);
    assert_int_equal(q("SELECT national_award_top3_5y FROM enterprises"), 1);
    assert_int_equal(q("SELECT count(*) FROM orgs WHERE kind='enterprise' AND "
                       "industry_code='C36' AND region_code='330402'"),
                     1);

    char *lines = failed_lines(failed);
    /* four rows, in order, each with the reason naming the column as in the file */
    char *l1 = lines, *l2 = strstr(l1, "\r\n") + 2, *l3 = strstr(l2, "\r\n") + 2,
         *l4 = strstr(l3, "\r\n") + 2;
    assert_true(strncmp(l1, badu, 18) == 0);
    assert_non_null(strstr(l1, "*统一社会信用代码：校验位错误"));
    assert_non_null(strstr(l1, ",4\r\n")); /* source row: line 4 of the file */
    assert_non_null(strstr(l2, "所在地区代码：不是有效的行政区划代码"));
    assert_non_null(strstr(l2, "销售收入（元）：应为不小于 0 的金额（元），最多两位小数"));
    assert_non_null(strstr(l2, "科技人员数：不能大于“职工总数（人）”"));
    assert_non_null(strstr(l3, "年度：应为 1990 至今年之间的年份"));
    assert_non_null(strstr(l3, "近五年国家级科技奖励(前三名)：应为“是”或“否”"));
    assert_non_null(strstr(l4, "企业名称：新企业必填"));
    assert_null(strstr(l4 + 2, "\r\n"
                               "9")); /* nothing after the fourth row */
    free(lines);

    /* Re-import: every good row unchanged, bad rows fail again, no audit entry. */
    int64_t audit1 = q("SELECT count(*) FROM audit_log");
    int64_t changes = q("SELECT total_changes()");
    st = run(p, &o, 0);
    assert_int_equal(st.inserted, 0);
    assert_int_equal(st.updated, 0);
    assert_int_equal(st.unchanged, 2);
    assert_int_equal(st.failed, 4);
    assert_int_equal(q("SELECT count(*) FROM audit_log"), audit1);
    /* nothing written at all: total_changes counts rows changed by this connection */
    assert_int_equal(q("SELECT total_changes()"), changes);
}

/* English names (元 and 分), an update with a field-level audit diff, a renamed firm
 * with its name history, the verification lock, a year for an identity-only row. */
static void test_update_lock_english(void **state)
{
    (void)state;
    const char *u = uscc("330402", 11);
    char text[2048];
    snprintf(text, sizeof(text),
             "uscc,name,region_code,year,employees,sales_revenue_yuan,rd_expense_fen\n"
             "%s,戊公司,330402,2022,50,100.5,12345\n"
             "%s,戊公司,330402,2023,60,200,500\n",
             u, u);
    struct ent_import_opts o = opts(NULL);
    struct ent_import_stats st = run(put("en.csv", text), &o, 0);
    assert_int_equal(st.inserted, 2);
    char sql[300];
    snprintf(sql, sizeof(sql),
             "SELECT sales_revenue_fen FROM enterprise_years y JOIN orgs o ON o.id=y.org_id "
             "WHERE o.uscc='%s' AND year=2022",
             u);
    assert_int_equal(q(sql), 10050);
    snprintf(sql, sizeof(sql),
             "SELECT rd_expense_fen FROM enterprise_years y JOIN orgs o ON o.id=y.org_id "
             "WHERE o.uscc='%s' AND year=2022",
             u);
    assert_int_equal(q(sql), 12345);

    /* Verify 2022; change 2022 and 2023 and rename: 2022 is refused, the rest applies. */
    snprintf(sql, sizeof(sql),
             "UPDATE enterprise_years SET status='verified' WHERE year=2022 AND org_id=(SELECT "
             "id FROM orgs WHERE uscc='%s')",
             u);
    assert_int_equal(db_exec(db, sql), 0);
    char failed[400];
    snprintf(failed, sizeof(failed), "%s/failed2.csv", dir);
    snprintf(text, sizeof(text),
             "uscc,name,region_code,year,employees,sales_revenue_yuan,rd_expense_fen\n"
             "%s,戊科技公司,330402,2022,51,100.5,12345\n"
             "%s,戊科技公司,330402,2023,61,200,500\n",
             u, u);
    o = opts(failed);
    o.job_id = 8;
    int64_t audit0 = q("SELECT count(*) FROM audit_log");
    st = run(put("en2.csv", text), &o, 0);
    assert_int_equal(st.failed, 1);
    assert_int_equal(st.updated, 1);
    char *lines = failed_lines(failed);
    assert_non_null(strstr(lines, "year：该年度数据已核验锁定，不能通过导入修改"));
    free(lines);
    assert_int_equal(q("SELECT count(*) FROM audit_log") - audit0, 2);
    assert_int_equal(q("SELECT count(*) FROM audit_log WHERE entity_id='8' AND diff LIKE "
                       "'%\"before\":{\"employees\":60}%\"after\":{\"employees\":61}%'"),
                     1);
    assert_int_equal(q("SELECT count(*) FROM audit_log WHERE entity_id='8' AND diff LIKE "
                       "'%\"before\":{\"name\":\"戊公司\"}%'"),
                     1);
    assert_int_equal(q("SELECT count(*) FROM org_name_history WHERE old_name='戊公司' AND "
                       "new_name='戊科技公司'"),
                     1);
    /* The verified year kept its value; identical values on a verified year are fine. */
    snprintf(sql, sizeof(sql),
             "SELECT employees FROM enterprise_years y JOIN orgs o ON o.id=y.org_id "
             "WHERE o.uscc='%s' AND year=2022",
             u);
    assert_int_equal(q(sql), 50);
    snprintf(text, sizeof(text), "uscc,year,employees\n%s,2022,50\n", u);
    st = run(put("en3.csv", text), &o, 0);
    assert_int_equal(st.unchanged, 1);
    assert_int_equal(st.failed, 0);

    /* English messages. */
    snprintf(text, sizeof(text), "uscc,year,employees\n%s,2022,-1\n", u);
    o.en = true;
    st = run(put("en4.csv", text), &o, 0);
    lines = failed_lines(failed);
    assert_non_null(strstr(lines, "employees: must be an integer ≥ 0"));
    free(lines);
}

/* Region scope: a county importer cannot create or touch firms of another county. */
static void test_scope(void **state)
{
    (void)state;
    const char *other = uscc("330411", 21);
    char text[1024];
    snprintf(text, sizeof(text),
             "统一社会信用代码,企业名称,所在地区代码,年度,职工总数\n"
             "%s,秀洲公司,330411,2024,5\n",
             other);
    struct ent_import_opts o = opts(NULL);
    struct ent_import_stats st = run(put("s1.csv", text), &o, 0); /* admin: fine */
    assert_int_equal(st.inserted, 1);

    char failed[400];
    snprintf(failed, sizeof(failed), "%s/failed3.csv", dir);
    o = opts(failed);
    auth_scope_prefix(&o.scope, "330402");
    snprintf(text, sizeof(text),
             "统一社会信用代码,企业名称,所在地区代码,年度,职工总数\n"
             "%s,秀洲公司,330411,2024,6\n"
             "%s,另一家,330411,2024,6\n"
             "%s,南湖公司,330402,2024,6\n",
             other, uscc("330411", 22), uscc("330402", 23));
    st = run(put("s2.csv", text), &o, 0);
    assert_int_equal(st.failed, 2);
    assert_int_equal(st.inserted, 1);
    char *lines = failed_lines(failed);
    assert_non_null(strstr(lines, "所在地区代码：不在您的管辖范围内"));
    free(lines);
    /* The existing firm of the other county: named by its USCC. */
    snprintf(text, sizeof(text), "统一社会信用代码,年度,职工总数\n%s,2024,7\n", other);
    st = run(put("s3.csv", text), &o, 0);
    assert_int_equal(st.failed, 1);
    lines = failed_lines(failed);
    assert_non_null(strstr(lines, "统一社会信用代码：该企业不在您的管辖范围内"));
    free(lines);
    char sql[200];
    snprintf(sql, sizeof(sql),
             "SELECT employees FROM enterprise_years y JOIN orgs o ON o.id=y.org_id WHERE "
             "o.uscc='%s'",
             other);
    assert_int_equal(q(sql), 5);
}

/* Duplicates and contradictions inside one file; identity-only rows; the key row of the
 * template is skipped; missing key column; per-record audit; small batches. */
static void test_file_rules(void **state)
{
    (void)state;
    const char *u = uscc("330402", 31);
    char failed[400];
    snprintf(failed, sizeof(failed), "%s/failed4.csv", dir);
    char text[2048];
    snprintf(text, sizeof(text),
             "统一社会信用代码,企业名称,所在地区代码,年度,职工总数\n"
             "uscc,name,region_code,year,employees\n"
             "%s,己公司,330402,2024,5\n"
             "%s,己公司,330402,2024,6\n"
             "%s,己有限公司,330402,2023,6\n"
             "%s,庚公司,330402,,\n",
             u, u, u, uscc("330402", 32));
    struct ent_import_opts o = opts(failed);
    o.batch_rows = 1;
    o.audit_per_record = true;
    o.job_id = 9;
    int64_t audit0 = q("SELECT count(*) FROM audit_log");
    struct ent_import_stats st = run(put("f1.csv", text), &o, 0);
    assert_int_equal(st.rows, 4);
    assert_int_equal(st.inserted, 2); /* a year, and the identity-only firm */
    assert_int_equal(st.failed, 2);
    char *lines = failed_lines(failed);
    assert_non_null(strstr(lines, "年度：统一社会信用代码与年度在本文件中重复出现"));
    assert_non_null(strstr(lines, "企业名称：与本文件中同一企业前面的行不一致"));
    free(lines);
    /* per record: create org ×2, create year ×1, plus the job entry */
    assert_int_equal(q("SELECT count(*) FROM audit_log") - audit0, 4);
    assert_int_equal(q("SELECT count(*) FROM audit_log WHERE entity='enterprise_year' AND "
                       "action='create'"),
                     1);

    struct ent_import_error err;
    snprintf(text, sizeof(text), "企业名称,年度\n甲,2024\n");
    assert_int_equal(ent_import_probe(put("f2.csv", text), TABLE_AUTO, &err), KC_ERR_INVALID);
    assert_string_equal(err.code, "import_missing_column");
    assert_string_equal(err.field, "uscc");
    snprintf(text, sizeof(text), "统一社会信用代码,职工总数\n%s,5\n", u);
    assert_int_equal(ent_import_probe(put("f3.csv", text), TABLE_AUTO, &err), KC_ERR_INVALID);
    assert_string_equal(err.field, "year");
    snprintf(text, sizeof(text), "统一社会信用代码,uscc\n");
    assert_int_equal(ent_import_probe(put("f4.csv", text), TABLE_AUTO, &err), KC_ERR_INVALID);
    assert_string_equal(err.code, "import_duplicate_column");
    assert_int_equal(ent_import_probe(put("f5.csv", ""), TABLE_AUTO, &err), KC_ERR_INVALID);
    assert_string_equal(err.code, "import_empty");
    assert_int_equal(ent_import_probe(put("f6.xlsx", "PK\x03\x04garbage"), TABLE_AUTO, &err),
                     KC_ERR_INVALID);
    assert_string_equal(err.code, "import_not_xlsx");
}

/* The template: an XLSX that our own reader opens, whose header row imports cleanly. */
static void test_template(void **state)
{
    (void)state;
    char path[400];
    snprintf(path, sizeof(path), "%s/template.xlsx", dir);
    struct scope sc;
    auth_scope_prefix(&sc, "3304");
    assert_int_equal(ent_import_template(db, &sc, false, path), 0);
    struct ent_import_error err;
    assert_int_equal(ent_import_probe(path, TABLE_XLSX, &err), 0);
    struct ent_import_opts o = opts(NULL);
    struct ent_import_stats st = run(path, &o, 0);
    assert_int_equal(st.rows, 0); /* the key row is skipped */
    assert_string_equal(st.ignored, "");
    snprintf(path, sizeof(path), "%s/template.csv", dir);
    assert_int_equal(ent_import_template(db, &sc, true, path), 0);
    assert_int_equal(ent_import_probe(path, TABLE_CSV, &err), 0);
    char *t = slurp(path);
    assert_non_null(strstr(t, "uscc"));
    free(t);
}

/* The import switches the connection's triggers off and bumps the plans module's source
 * versions once per batch instead; any other trigger on the tables it writes would be
 * skipped silently, so this test lists them. */
static void test_source_versions(void **state)
{
    (void)state;
    int64_t others = q("SELECT count(*) FROM sqlite_master WHERE type='trigger' AND tbl_name IN "
                       "('orgs','enterprises','enterprise_years','org_name_history','audit_log') "
                       "AND name NOT LIKE 'plan_src_orgs_%' AND name NOT LIKE 'plan_src_ey_%'");
    if (others != 0)
        fail_msg("a new trigger on a table the enterprise import writes: decide in "
                 "ent_import.c (flush) how the import keeps what it does");
    assert_int_equal(q("SELECT count(*) FROM sqlite_master WHERE type='trigger' AND "
                       "name LIKE 'plan_src_%' AND tbl_name IN ('orgs','enterprise_years')"),
                     6);
    const char *v_org = "SELECT version FROM plan_sources WHERE name='orgs'";
    const char *v_ey = "SELECT version FROM plan_sources WHERE name='enterprise_years'";
    int64_t org0 = q(v_org), ey0 = q(v_ey);
    char text[1024];
    snprintf(text, sizeof(text),
             "统一社会信用代码,企业名称,所在地区代码,年度,职工总数\n"
             "%s,辛公司,330402,2023,5\n%s,辛公司,330402,2024,6\n",
             uscc("330402", 41), uscc("330402", 41));
    struct ent_import_opts o = opts(NULL);
    struct ent_import_stats st = run(put("v1.csv", text), &o, 0);
    assert_int_equal(st.inserted, 2);
    /* one batch: one bump of each, not one per row */
    assert_int_equal(q(v_org), org0 + 1);
    assert_int_equal(q(v_ey), ey0 + 1);
    st = run(put("v2.csv", text), &o, 0);
    assert_int_equal(st.unchanged, 2);
    assert_int_equal(q(v_org), org0 + 1);
    assert_int_equal(q(v_ey), ey0 + 1);
    /* the triggers are on again for every other writer */
    char sql[256];
    snprintf(sql, sizeof(sql),
             "UPDATE enterprise_years SET employees = 7 WHERE year = 2024 AND org_id = "
             "(SELECT id FROM orgs WHERE uscc = '%s')",
             uscc("330402", 41));
    assert_int_equal(db_exec(db, sql), 0);
    assert_int_equal(q(v_ey), ey0 + 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_decimal),       cmocka_unit_test(test_import_and_failures),
        cmocka_unit_test(test_update_lock_english), cmocka_unit_test(test_scope),
        cmocka_unit_test(test_file_rules),          cmocka_unit_test(test_template),
        cmocka_unit_test(test_source_versions),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
