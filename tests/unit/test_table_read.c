/* test_table_read.c — unit tests for io/table_read: CSV in UTF-8 (with and without BOM)
 * and GB18030 (detected), records spanning the read window, line numbers, errors, and
 * XLSX through the same interface. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "core/buf.h"
#include "io/table_read.h"

static char tmpdir[256]; /* scratch directory */

/* Makes the scratch directory. */
static int setup(void **state)
{
    (void)state;
    snprintf(tmpdir, sizeof(tmpdir), "/tmp/kc-table-XXXXXX");
    return mkdtemp(tmpdir) ? 0 : -1;
}

/* Removes it. */
static int teardown(void **state)
{
    (void)state;
    char cmd[300];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
    return system(cmd) == 0 ? 0 : -1;
}

/* Writes n bytes to a scratch file and returns its path (static buffer). */
static const char *write_file(const char *name, const char *d, size_t n)
{
    static char path[400];
    snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(d, 1, n, f), n);
    fclose(f);
    return path;
}

/* Converts UTF-8 text to GB18030 (malloc'd, *n bytes). */
static char *to_gb18030(const char *s, size_t len, size_t *n)
{
    iconv_t cd = iconv_open("GB18030", "UTF-8");
    assert_true(cd != (iconv_t)-1);
    size_t cap = len * 2 + 16;
    char *out = malloc(cap), *o = out;
    char *in = (char *)s;
    size_t in_left = len, out_left = cap;
    assert_true(iconv(cd, &in, &in_left, &o, &out_left) != (size_t)-1);
    iconv_close(cd);
    *n = (size_t)(o - out);
    return out;
}

/* Opens path, failing the test on error. */
static struct table_reader *open_ok(const char *path, enum table_format fmt)
{
    struct table_reader *t = NULL;
    struct table_error err;
    int rc = table_open(path, fmt, NULL, &t, &err);
    if (rc)
        fail_msg("table_open %s: %d %s %s", path, rc, err.code, err.detail);
    return t;
}

/* UTF-8 with a BOM, CRLF, quotes with commas, doubled quotes and newlines, blank lines
 * (skipped, but counted in line numbers), empty cells as NULL. */
static void test_utf8_bom(void **state)
{
    (void)state;
    const char csv[] = "\xEF\xBB\xBF"
                       "统一社会信用代码,名称,备注\r\n"
                       "91330402MA2B3C4D5E,\"嘉兴,科技\",\"一行\n二行\"\r\n"
                       "\r\n"
                       "x,,\"say \"\"hi\"\"\"\r\n";
    struct table_reader *t = open_ok(write_file("bom.csv", csv, sizeof(csv) - 1), TABLE_AUTO);
    assert_int_equal(table_format(t), TABLE_CSV);
    struct table_row row;
    assert_int_equal(table_next(t, &row), 1);
    assert_int_equal(row.number, 1);
    assert_int_equal(row.n, 3);
    assert_string_equal(row.cell[0], "统一社会信用代码");
    assert_int_equal(table_next(t, &row), 1);
    assert_int_equal(row.number, 2);
    assert_string_equal(row.cell[1], "嘉兴,科技");
    assert_string_equal(row.cell[2], "一行\n二行");
    assert_int_equal(table_next(t, &row), 1);
    assert_int_equal(row.number, 5);
    assert_string_equal(row.cell[0], "x");
    assert_null(row.cell[1]);
    assert_int_equal(row.type[1], XLSX_EMPTY);
    assert_string_equal(row.cell[2], "say \"hi\"");
    assert_int_equal(table_next(t, &row), 0);
    assert_int_equal(table_next(t, &row), 0);
    assert_string_equal(table_encoding(t), "utf-8");
    uint64_t done, total;
    table_progress(t, &done, &total);
    assert_int_equal(total, sizeof(csv) - 1);
    assert_int_equal(done, total);
    table_close(t);
}

/* GB18030 text (what Excel saves on Chinese Windows) is detected and decoded, also
 * when it starts after 2 MiB of ASCII and sequences straddle the read window. */
static void test_gb18030(void **state)
{
    (void)state;
    const char utf[] = "名称,地区\n嘉兴市南湖区科技有限公司,浙江\n\"引号，中文逗号\",𠀀扩展\n";
    size_t n;
    char *gb = to_gb18030(utf, sizeof(utf) - 1, &n);
    struct table_reader *t = open_ok(write_file("gb.csv", gb, n), TABLE_CSV);
    struct table_row row;
    assert_int_equal(table_next(t, &row), 1);
    assert_string_equal(row.cell[0], "名称");
    assert_string_equal(table_encoding(t), "gb18030");
    assert_int_equal(table_next(t, &row), 1);
    assert_string_equal(row.cell[0], "嘉兴市南湖区科技有限公司");
    assert_int_equal(table_next(t, &row), 1);
    assert_string_equal(row.cell[0], "引号，中文逗号");
    assert_string_equal(row.cell[1], "𠀀扩展");
    assert_int_equal(table_next(t, &row), 0);
    table_close(t);
    free(gb);

    /* 2 MiB of ASCII rows, then 30,000 Chinese rows: the decision waits for the first
     * non-ASCII byte, and every row survives the window edges. */
    struct buf b = {0};
    int ascii_rows = 0;
    while (b.len < (2u << 20)) {
        buf_printf(&b, "ascii%d,row\n", ascii_rows);
        ascii_rows++;
    }
    for (int i = 0; i < 30000; i++)
        buf_printf(&b, "企业%d,\"第%d行\n续\"\n", i, i);
    gb = to_gb18030(b.data, b.len, &n);
    buf_free(&b);
    t = open_ok(write_file("gb-big.csv", gb, n), TABLE_CSV);
    free(gb);
    int rows = 0;
    uint64_t line = 0;
    int rc;
    while ((rc = table_next(t, &row)) == 1) {
        if (rows >= ascii_rows) {
            int k = rows - ascii_rows;
            char want[64];
            snprintf(want, sizeof(want), "企业%d", k);
            if (strcmp(row.cell[0], want) != 0)
                fail_msg("row %d: %s, want %s", rows, row.cell[0], want);
            snprintf(want, sizeof(want), "第%d行\n续", k);
            assert_string_equal(row.cell[1], want);
            assert_int_equal(row.number, line + (rows == ascii_rows ? 1 : 2));
        }
        line = row.number;
        rows++;
    }
    assert_int_equal(rc, 0);
    assert_int_equal(rows, ascii_rows + 30000);
    assert_string_equal(table_encoding(t), "gb18030");
    table_close(t);
}

/* UTF-8 without BOM over several windows stays UTF-8; a bad byte later stays in its
 * cell (the importer rejects that row), it does not switch the decoding. */
static void test_utf8_big(void **state)
{
    (void)state;
    struct buf b = {0};
    for (int i = 0; i < 100000; i++)
        buf_printf(&b, "%d,企业名称%d,\"备注,含逗号\"\n", i, i);
    buf_append(&b, "bad,\xFF\xFE,x\n", 9);
    struct table_reader *t = open_ok(write_file("utf8-big.csv", b.data, b.len), TABLE_CSV);
    buf_free(&b);
    struct table_row row;
    int rows = 0;
    while (table_next(t, &row) == 1) {
        if (rows < 100000) {
            char want[64];
            snprintf(want, sizeof(want), "企业名称%d", rows);
            assert_string_equal(row.cell[1], want);
            assert_string_equal(row.cell[2], "备注,含逗号");
            assert_int_equal(row.number, (uint64_t)rows + 1);
        } else {
            if (memcmp(row.cell[1], "\xFF\xFE", 2) != 0)
                fail_msg("row %d n=%d [%s][%s]", rows, row.n, row.cell[0], row.cell[1]);
        }
        rows++;
    }
    assert_int_equal(rows, 100001);
    assert_string_equal(table_encoding(t), "utf-8");
    table_close(t);
}

/* Unclosed quotes, an overlong record, bytes that are not GB18030 either, a missing
 * file: clear errors, and the reader stays failed. */
static void test_errors(void **state)
{
    (void)state;
    const char bad[] = "a,b\n1,\"never closed\n2,3\n";
    struct table_reader *t = open_ok(write_file("quote.csv", bad, sizeof(bad) - 1), TABLE_CSV);
    struct table_row row;
    assert_int_equal(table_next(t, &row), 1);
    assert_int_equal(table_next(t, &row), KC_ERR_INVALID);
    assert_string_equal(table_last_error(t)->code, "unterminated_quote");
    assert_non_null(strstr(table_last_error(t)->detail, "line 2"));
    assert_int_equal(table_next(t, &row), KC_ERR_INVALID);
    table_close(t);

    size_t n = TABLE_MAX_RECORD + 100;
    char *big = malloc(n);
    memset(big, 'x', n);
    big[0] = '"';
    t = open_ok(write_file("huge.csv", big, n), TABLE_CSV);
    free(big);
    assert_int_equal(table_next(t, &row), KC_ERR_TOO_LARGE);
    assert_string_equal(table_last_error(t)->code, "record_too_large");
    table_close(t);

    const char notgb[] = "a,b\n\x81\x30\xFF\xFF,x\n"; /* invalid UTF-8, invalid GB18030 */
    t = open_ok(write_file("notgb.csv", notgb, sizeof(notgb) - 1), TABLE_CSV);
    int rc;
    while ((rc = table_next(t, &row)) == 1)
        ;
    assert_int_equal(rc, KC_ERR_INVALID);
    assert_string_equal(table_last_error(t)->code, "encoding");
    table_close(t);

    struct table_error err;
    char missing[400];
    snprintf(missing, sizeof(missing), "%s/missing.csv", tmpdir);
    assert_int_equal(table_open(missing, TABLE_AUTO, NULL, &t, &err), KC_ERR_IO);
    assert_string_equal(err.code, "io");

    /* An empty file has no rows. */
    t = open_ok(write_file("empty.csv", "", 0), TABLE_AUTO);
    assert_int_equal(table_next(t, &row), 0);
    table_close(t);
}

/* An XLSX file is sniffed by its zip signature and read through the same interface. */
static void test_xlsx(void **state)
{
    (void)state;
    char path[400];
    snprintf(path, sizeof(path), "%s/book.xlsx", tmpdir);
    lxw_workbook_options opt = {.constant_memory = LXW_TRUE, .tmpdir = tmpdir};
    lxw_workbook *wb = workbook_new_opt(path, &opt);
    lxw_worksheet *ws = workbook_add_worksheet(wb, NULL);
    worksheet_write_string(ws, 0, 0, "名称", NULL);
    worksheet_write_number(ws, 1, 0, 12.5, NULL);
    worksheet_write_string(ws, 1, 2, "丙", NULL);
    assert_int_equal(workbook_close(wb), LXW_NO_ERROR);
    struct table_reader *t = open_ok(path, TABLE_AUTO);
    assert_int_equal(table_format(t), TABLE_XLSX);
    assert_string_equal(table_encoding(t), "xlsx");
    struct table_row row;
    assert_int_equal(table_next(t, &row), 1);
    assert_string_equal(row.cell[0], "名称");
    assert_int_equal(table_next(t, &row), 1);
    assert_int_equal(row.number, 2);
    assert_int_equal(row.n, 3);
    assert_string_equal(row.cell[0], "12.5");
    assert_int_equal(row.type[0], XLSX_NUMBER);
    assert_null(row.cell[1]);
    assert_string_equal(row.cell[2], "丙");
    assert_int_equal(table_next(t, &row), 0);
    table_close(t);

    /* A CSV named as XLSX by the caller fails as a workbook, clearly. */
    struct table_error err;
    const char *p = write_file("fake.xlsx", "a,b\n", 4);
    assert_int_equal(table_open(p, TABLE_XLSX, NULL, &t, &err), KC_ERR_INVALID);
    assert_string_equal(err.code, "not_zip");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_utf8_bom), cmocka_unit_test(test_gb18030),
        cmocka_unit_test(test_utf8_big), cmocka_unit_test(test_errors),
        cmocka_unit_test(test_xlsx),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
