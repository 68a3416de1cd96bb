/* test_search_import.c — unit tests for search/achievement on a temporary data
 * directory: JSON Lines and CSV import, idempotency by external id, updates, per-row
 * errors naming line and field, GB18030 CSV, batches, the FTS5 triggers and the
 * matcher's index built from the table. */
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
#include "db/db.h"
#include "db/migrate.h"
#include "search/achievement.h"
#include "io/xlsx_csv.h"
#include "search/match.h"

/* The temporary data directory and its database. */
static char dir[64];
static struct db *db;

/* Creates a fresh data directory with a migrated database. */
static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof(dir), "/tmp/kc-test-import-XXXXXX");
    if (!mkdtemp(dir))
        return -1;
    char path[128];
    snprintf(path, sizeof(path), "%s/kechuang.db", dir);
    if (db_open(path, &db) != 0 || migrate_run(db, NULL) != 0)
        return -1;
    return 0;
}

/* Closes the database and removes the directory. */
static int teardown(void **state)
{
    (void)state;
    db_close(db);
    char path[128];
    const char *files[] = {"kechuang.db", "kechuang.db-wal", "kechuang.db-shm", "in.csv",
                           "in.xlsx"};
    for (int i = 0; i < 5; i++) {
        snprintf(path, sizeof(path), "%s/%s", dir, files[i]);
        unlink(path);
    }
    rmdir(dir);
    return 0;
}

/* Imports text (format fmt) and returns the row errors printed, in out (caller frees). */
static int import(const char *text, enum achievement_format fmt,
                  struct achievement_import_stats *st, char **out)
{
    size_t len = 0;
    char *errs = NULL;
    FILE *f = open_memstream(&errs, &len);
    int rc = achievement_import(db, text, strlen(text), fmt, f, st);
    fclose(f);
    *out = errs;
    return rc;
}

/* One integer from SQL with one text parameter (or none when arg is NULL). */
static int64_t scalar(const char *sql, const char *arg)
{
    int64_t v = -1;
    struct db_stmt *st = arg ? db_query(db, sql, "s", arg) : db_prep(db, sql);
    assert_int_equal(db_scalar(st, &v), 0);
    return v;
}

/* One text value from SQL with one text parameter, copied into out. */
static const char *text_of(const char *sql, const char *arg, char *out, size_t cap)
{
    struct db_stmt *st = db_query(db, sql, "s", arg);
    assert_non_null(st);
    out[0] = '\0';
    if (db_step(st) == DB_ROW && db_col_text(st, 0))
        snprintf(out, cap, "%s", db_col_text(st, 0));
    db_done(st);
    return out;
}

static const char jsonl_v1[] =
    "{\"id\":\"a1\",\"title\":\"锂离子电池隔膜的制备\",\"abstract\":\"研究了聚乙烯隔膜\","
    "\"keywords\":[\"锂电池\",\" 隔膜 \",\"\"],\"discipline\":\"材料科学\",\"split\":\"x\"}\n"
    "{\"id\":\"a2\",\"title\":\"离心泵的PLC控制\",\"abstract\":\"用PLC控制离心泵\","
    "\"keywords\":[\"泵\"]}\n"
    "\n"
    "{not json}\n"
    "{\"id\":\"a3\",\"title\":\"\",\"abstract\":\"x\",\"keywords\":[]}\n"
    "{\"id\":\"a4\",\"title\":\"水稻育种\",\"keywords\":\"水稻\"}\n"
    "{\"id\":\"a1\",\"title\":\"重复\",\"keywords\":[]}\n"
    "{\"id\":77,\"title\":\"整数编号的成果\",\"abstract\":null,\"discipline\":null}\n"
    "{\"id\":\"a5\",\"title\":\"杂交水稻\",\"abstract\":\"杂交水稻品种选育\",\"keywords\":["
    "\"水稻\",3]}\n";

/* JSON Lines: valid rows are inserted, bad ones reported with line and field and
 * skipped; re-importing changes nothing; a changed row is updated. */
static void test_jsonl_idempotent(void **state)
{
    (void)state;
    struct achievement_import_stats st;
    char *errs;
    assert_int_equal(import(jsonl_v1, ACHIEVEMENT_AUTO, &st, &errs), 0);
    assert_int_equal(st.rows, 8);
    assert_int_equal(st.inserted, 3);
    assert_int_equal(st.errors, 5);
    assert_non_null(strstr(errs, "{\"line\":4,\"field\":null,\"error\":\"invalid_json\""));
    assert_non_null(strstr(errs, "{\"line\":5,\"field\":\"title\",\"error\":\"required\""));
    assert_non_null(strstr(errs, "{\"line\":6,\"field\":\"keywords\",\"error\":\"not_an_array\""));
    assert_non_null(strstr(errs, "{\"line\":7,\"field\":\"id\",\"error\":\"duplicate\""));
    assert_non_null(strstr(errs, "{\"line\":9,\"field\":\"keywords\",\"error\":\"not_a_string\""));
    free(errs);
    char s[256];
    assert_string_equal(
        text_of("SELECT keywords FROM achievements WHERE external_id=?", "a1", s, sizeof(s)),
        "[\"锂电池\",\"隔膜\"]");
    assert_string_equal(
        text_of("SELECT abstract FROM achievements WHERE external_id=?", "77", s, sizeof(s)), "");
    assert_int_equal(scalar("SELECT count(*) FROM achievements WHERE discipline IS NULL", NULL), 2);
    int64_t updated_at = scalar("SELECT updated_at FROM achievements WHERE external_id=?", "a1");

    /* Same file again: nothing changes. */
    assert_int_equal(import(jsonl_v1, ACHIEVEMENT_JSONL, &st, &errs), 0);
    free(errs);
    assert_int_equal(st.inserted, 0);
    assert_int_equal(st.updated, 0);
    assert_int_equal(st.unchanged, 3);
    assert_int_equal(st.errors, 5);
    assert_int_equal(scalar("SELECT count(*) FROM achievements", NULL), 3);
    assert_int_equal(scalar("SELECT updated_at FROM achievements WHERE external_id=?", "a1"),
                     updated_at);

    /* A changed title updates that row only, and the full-text index follows. */
    assert_int_equal(scalar("SELECT count(*) FROM achievements_fts WHERE achievements_fts "
                            "MATCH ?",
                            "\"离心泵\""),
                     1);
    const char *v2 =
        "{\"id\":\"a2\",\"title\":\"轴流风机的PLC控制\",\"abstract\":\"用PLC控制离心泵\","
        "\"keywords\":[\"泵\"]}\n"
        "{\"id\":\"77\",\"title\":\"整数编号的成果\"}\n";
    assert_int_equal(import(v2, ACHIEVEMENT_AUTO, &st, &errs), 0);
    free(errs);
    assert_int_equal(st.updated, 1);
    assert_int_equal(st.unchanged, 1);
    assert_int_equal(st.errors, 0);
    assert_int_equal(scalar("SELECT count(*) FROM achievements_fts WHERE achievements_fts "
                            "MATCH ?",
                            "title:\"风机\""),
                     1);
    assert_int_equal(scalar("SELECT count(*) FROM achievements_fts WHERE achievements_fts "
                            "MATCH ?",
                            "title:\"离心泵\""),
                     0);
    assert_int_equal(scalar("SELECT count(*) FROM achievements_fts WHERE achievements_fts "
                            "MATCH ?",
                            "\"离心泵\""),
                     1); /* still in the abstract */
}

/* CSV: header names in any order and case, quoted fields with commas and line
 * breaks, keyword separators ; ； _, errors naming the record's first line. */
static void test_csv(void **state)
{
    (void)state;
    const char *csv =
        "\xEF\xBB\xBF"
        "Title,ID,keywords,abstract,discipline,extra\r\n"
        "智能制造系统,c1,智能制造;工业互联网_数字孪生；MES,\"多行,\n摘要\",机械工程,x\r\n"
        "\r\n"
        ",c2,a,b,c,d\r\n"
        "芯片封装,c3,,,,\r\n";
    struct achievement_import_stats st;
    char *errs;
    assert_int_equal(import(csv, ACHIEVEMENT_CSV, &st, &errs), 0);
    assert_int_equal(st.rows, 3);
    assert_int_equal(st.inserted, 2);
    assert_int_equal(st.errors, 1);
    assert_non_null(strstr(errs, "{\"line\":5,\"field\":\"title\",\"error\":\"required\""));
    free(errs);
    char s[256];
    assert_string_equal(
        text_of("SELECT keywords FROM achievements WHERE external_id=?", "c1", s, sizeof(s)),
        "[\"智能制造\",\"工业互联网\",\"数字孪生\",\"MES\"]");
    assert_string_equal(
        text_of("SELECT abstract FROM achievements WHERE external_id=?", "c1", s, sizeof(s)),
        "多行,\n摘要");
    assert_string_equal(
        text_of("SELECT keywords FROM achievements WHERE external_id=?", "c3", s, sizeof(s)), "[]");
    /* A header without id and title is refused as a whole. */
    assert_int_equal(import("name,text\nx,y\n", ACHIEVEMENT_CSV, &st, &errs), KC_ERR_INVALID);
    assert_non_null(strstr(errs, "\"error\":\"missing_column\""));
    free(errs);
    /* GB18030: 电池 is B5E7 B3D8. */
    assert_int_equal(import("id,title\ng1,\xB5\xE7\xB3\xD8\n", ACHIEVEMENT_CSV, &st, &errs), 0);
    free(errs);
    assert_int_equal(st.inserted, 1);
    assert_string_equal(
        text_of("SELECT title FROM achievements WHERE external_id=?", "g1", s, sizeof(s)), "电池");
}

/* More rows than one batch import in several transactions, and again unchanged; the
 * matcher's index built from the table holds every row. */
static void test_batches_and_index(void **state)
{
    (void)state;
    struct buf b = {0};
    int n = ACHIEVEMENT_BATCH * 2 + 345;
    for (int i = 0; i < n; i++)
        buf_printf(
            &b, "{\"id\":\"b%d\",\"title\":\"第%d号样品的热处理工艺\",\"keywords\":[\"热处理\"]}\n",
            i, i);
    struct achievement_import_stats st;
    char *errs;
    assert_int_equal(import(buf_str(&b), ACHIEVEMENT_JSONL, &st, &errs), 0);
    free(errs);
    assert_int_equal(st.inserted, n);
    assert_int_equal(import(buf_str(&b), ACHIEVEMENT_JSONL, &st, &errs), 0);
    free(errs);
    assert_int_equal(st.unchanged, n);
    buf_free(&b);
    int64_t total = scalar("SELECT count(*) FROM achievements", NULL);
    struct match_params p = match_params_default();
    struct match_index *ix = NULL;
    assert_int_equal(achievement_index_build(db, &p, &ix), 0);
    struct match_stats ms;
    match_index_stats(ix, &ms);
    assert_int_equal(ms.n_docs, total);
    struct match_ctx *c = match_ctx_new(ix);
    struct match_hit h[5];
    struct match_opts o = {.k = 5};
    const char *q = "离心泵控制";
    assert_true(match_search(ix, c, q, (int)strlen(q), &o, h) >= 1);
    assert_int_equal(h[0].id, scalar("SELECT id FROM achievements WHERE external_id=?", "a2"));
    struct achievement_text t;
    assert_int_equal(achievement_text_load(db, h[0].id, &t), 0);
    assert_string_equal(t.external_id, "a2");
    achievement_text_free(&t);
    assert_int_equal(achievement_text_load(db, 999999, &t), KC_ERR_NOT_FOUND);
    match_ctx_free(c);
    match_index_free(ix);
}

/* A file that cannot be read, and the old binary XLS, are refused. */
static void test_files(void **state)
{
    (void)state;
    struct achievement_import_stats st;
    assert_int_equal(achievement_import_file(db, "/nonexistent/x.jsonl", NULL, &st), KC_ERR_IO);
    assert_int_equal(achievement_import_file(db, "/tmp/whatever.xls", NULL, &st), KC_ERR_INVALID);
    assert_int_equal(achievement_import_file(db, "/nonexistent/x.xlsx", NULL, &st), KC_ERR_IO);
}

/* An XLSX workbook (made from CSV by io/xlsx_csv) imports like the CSV, with the market
 * fields, row errors naming sheet rows, and is idempotent. */
static void test_xlsx(void **state)
{
    (void)state;
    char csv[128], xlsx[128];
    snprintf(csv, sizeof(csv), "%s/in.csv", dir);
    snprintf(xlsx, sizeof(xlsx), "%s/in.xlsx", dir);
    FILE *f = fopen(csv, "w");
    assert_non_null(f);
    fputs("id,title,keywords,kind,trl,transfer_modes,patent_numbers\n"
          "x1,高效节能离心泵叶轮,离心泵;叶轮,发明专利,7,许可;转让,200710308494.X\n"
          "x2,阀门硬密封,阀门,其他,12,,\n"
          "x3,智能阀门定位器,阀门,实用新型,5,合作开发,200710308494.X\n",
          f);
    assert_int_equal(fclose(f), 0);
    assert_int_equal(xlsx_from_csv(csv, xlsx, "成果"), 0);
    struct achievement_import_stats st;
    char *errs = NULL;
    size_t n = 0;
    FILE *e = open_memstream(&errs, &n);
    assert_int_equal(achievement_import_file(db, xlsx, e, &st), 0);
    fclose(e);
    assert_int_equal(st.rows, 3);
    assert_int_equal(st.inserted, 1);
    assert_int_equal(st.errors, 2);
    assert_non_null(strstr(errs, "{\"line\":3,\"field\":\"trl\",\"error\":\"out_of_range\""));
    assert_non_null(strstr(errs, "{\"line\":4,\"field\":\"patent_numbers[0]\",\"error\":\"patent_kind_mismatch\""));
    free(errs);
    assert_int_equal(scalar("SELECT trl FROM achievements WHERE external_id=?", "x1"), 7);
    assert_int_equal(scalar("SELECT count(*) FROM achievements, json_each(transfer_modes) "
                            "WHERE external_id=?", "x1"),
                     2);
    assert_int_equal(achievement_import_file(db, xlsx, NULL, &st), 0);
    assert_int_equal(st.unchanged, 1);
    assert_int_equal(st.inserted, 0);
}

/* Runs the tests. */
int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_jsonl_idempotent),
        cmocka_unit_test(test_csv),
        cmocka_unit_test(test_batches_and_index),
        cmocka_unit_test(test_files),
        cmocka_unit_test(test_xlsx),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
