/* test_xlsx_read.c — unit tests for io/xlsx_read: files written by libxlsxwriter (shared
 * and inline strings), a workbook saved by LibreOffice (tests/import/libreoffice.xlsx),
 * zip bombs and every limit, lying sizes, truncated and garbage files, and a
 * deterministic mutation loop over the bytes of a valid file. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>
#include <zip.h>

#include "io/xlsx_read.h"

static char tmpdir[256]; /* this test's scratch directory */

/* Makes the scratch directory. */
static int setup(void **state)
{
    (void)state;
    snprintf(tmpdir, sizeof(tmpdir), "/tmp/kc-xlsx-XXXXXX");
    return mkdtemp(tmpdir) ? 0 : -1;
}

/* Removes the scratch directory. */
static int teardown(void **state)
{
    (void)state;
    char cmd[300];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
    return system(cmd) == 0 ? 0 : -1;
}

/* A path in the scratch directory. */
static const char *tmp(const char *name)
{
    static char path[4][400];
    static int k;
    k = (k + 1) % 4;
    snprintf(path[k], sizeof(path[k]), "%s/%s", tmpdir, name);
    return path[k];
}

/* The path of a fixture under tests/import (found from this source file's path). */
static const char *fixture(const char *name)
{
    static char out[4096];
    char src[4096];
    if (__FILE__[0] == '/') {
        snprintf(src, sizeof(src), "%s", __FILE__);
    } else {
        char exe[4096];
        ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
        exe[n > 0 ? n : 0] = '\0';
        snprintf(src, sizeof(src), "%s/%s", dirname(exe), __FILE__);
    }
    snprintf(out, sizeof(out), "%s/../import/%s", dirname(src), name);
    return out;
}

/* Writes a small workbook with libxlsxwriter; constant_memory selects inline strings. */
static void write_book(const char *path, bool constant_memory)
{
    lxw_workbook_options opt = {.constant_memory = constant_memory, .tmpdir = tmpdir};
    lxw_workbook *wb = workbook_new_opt(path, &opt);
    assert_non_null(wb);
    lxw_worksheet *ws = workbook_add_worksheet(wb, "数据");
    worksheet_write_string(ws, 0, 0, "统一社会信用代码", NULL);
    worksheet_write_string(ws, 0, 1, "名称", NULL);
    worksheet_write_string(ws, 0, 27, "AB列", NULL);
    worksheet_write_string(ws, 1, 0, "91330402MA2B3C4D5E", NULL);
    worksheet_write_number(ws, 1, 1, 1234567.89, NULL);
    worksheet_write_boolean(ws, 1, 2, 1, NULL);
    worksheet_write_boolean(ws, 1, 3, 0, NULL);
    worksheet_write_formula_num(ws, 1, 4, "=1+1", NULL, 2);
    worksheet_write_string(ws, 1, 5, "a & <b> \"c\"", NULL);
    /* row 3 (index 2) left empty; row 4 has a gap at column B */
    worksheet_write_number(ws, 3, 0, 42, NULL);
    worksheet_write_number(ws, 3, 2, -0.5, NULL);
    lxw_worksheet *ws2 = workbook_add_worksheet(wb, "说明");
    worksheet_write_string(ws2, 0, 0, "第二张", NULL);
    assert_int_equal(workbook_close(wb), LXW_NO_ERROR);
}

/* Opens path (sheet may be NULL), failing the test when it does not open. */
static struct xlsx_reader *open_ok(const char *path, const char *sheet,
                                   const struct xlsx_limits *lim)
{
    struct xlsx_reader *x = NULL;
    struct xlsx_error err;
    int rc = xlsx_open(path, sheet, lim, &x, &err);
    if (rc != 0)
        fail_msg("xlsx_open(%s): %d %s %s", path, rc, err.code, err.detail);
    return x;
}

/* Opens path expecting failure with code; returns the kc_err. */
static int open_fails(const char *path, const struct xlsx_limits *lim, const char *code)
{
    struct xlsx_reader *x = NULL;
    struct xlsx_error err;
    int rc = xlsx_open(path, NULL, lim, &x, &err);
    if (rc == 0) {
        xlsx_close(x);
        fail_msg("%s opened, expected %s", path, code);
    }
    assert_null(x);
    assert_non_null(err.code);
    assert_true(err.detail[0] != '\0');
    if (strcmp(err.code, code) != 0)
        fail_msg("%s: code %s (%s), expected %s", path, err.code, err.detail, code);
    return rc;
}

/* Reads the whole sheet of path, expecting an error code at some point; returns it. */
static int read_fails(const char *path, const struct xlsx_limits *lim, const char *code)
{
    struct xlsx_reader *x = open_ok(path, NULL, lim);
    struct xlsx_row row;
    int rc;
    while ((rc = xlsx_next(x, &row)) == 1)
        ;
    assert_true(rc < 0);
    const struct xlsx_error *e = xlsx_last_error(x);
    if (strcmp(e->code, code) != 0)
        fail_msg("%s: code %s (%s), expected %s", path, e->code, e->detail, code);
    /* A failed reader stays failed. */
    assert_int_equal(xlsx_next(x, &row), rc);
    xlsx_close(x);
    return rc;
}

/* Checks the rows of write_book's first sheet. */
static void check_book(const char *path)
{
    struct xlsx_reader *x = open_ok(path, NULL, NULL);
    struct xlsx_row row;
    assert_int_equal(xlsx_next(x, &row), 1);
    assert_int_equal(row.number, 1);
    assert_int_equal(row.n_cols, 28);
    assert_string_equal(row.text[0], "统一社会信用代码");
    assert_string_equal(row.text[1], "名称");
    assert_null(row.text[2]);
    assert_int_equal(row.type[2], XLSX_EMPTY);
    assert_string_equal(row.text[27], "AB列");
    assert_int_equal(row.type[27], XLSX_STRING);

    assert_int_equal(xlsx_next(x, &row), 1);
    assert_int_equal(row.number, 2);
    assert_string_equal(row.text[0], "91330402MA2B3C4D5E");
    assert_int_equal(row.type[1], XLSX_NUMBER);
    assert_string_equal(row.text[1], "1234567.89");
    assert_int_equal(row.type[2], XLSX_BOOL);
    assert_string_equal(row.text[2], "1");
    assert_string_equal(row.text[3], "0");
    assert_int_equal(row.type[4], XLSX_NUMBER);
    assert_string_equal(row.text[4], "2");
    assert_string_equal(row.text[5], "a & <b> \"c\"");

    /* Row 3 has no cells; libxlsxwriter writes no <row> for it. */
    int rc = xlsx_next(x, &row);
    assert_int_equal(rc, 1);
    if (row.number == 3) {
        assert_int_equal(row.n_cols, 0);
        assert_int_equal(xlsx_next(x, &row), 1);
    }
    assert_int_equal(row.number, 4);
    assert_int_equal(row.n_cols, 3);
    assert_string_equal(row.text[0], "42");
    assert_null(row.text[1]);
    assert_string_equal(row.text[2], "-0.5");
    assert_int_equal(xlsx_next(x, &row), 0);
    assert_int_equal(xlsx_next(x, &row), 0);
    uint64_t done, total;
    xlsx_progress(x, &done, &total);
    assert_true(total > 0);
    assert_int_equal(done, total);
    assert_false(xlsx_date1904(x));
    xlsx_close(x);

    x = open_ok(path, "说明", NULL);
    assert_int_equal(xlsx_next(x, &row), 1);
    assert_string_equal(row.text[0], "第二张");
    assert_int_equal(xlsx_next(x, &row), 0);
    xlsx_close(x);

    struct xlsx_reader *none = NULL;
    struct xlsx_error err;
    assert_int_equal(xlsx_open(path, "没有这张表", NULL, &none, &err), KC_ERR_INVALID);
    assert_string_equal(err.code, "sheet_not_found");
    assert_null(none);
}

/* libxlsxwriter's default mode: a shared-string table. */
static void test_libxlsxwriter_shared(void **state)
{
    (void)state;
    const char *p = tmp("shared.xlsx");
    write_book(p, false);
    check_book(p);
}

/* libxlsxwriter's constant_memory mode: inline strings. */
static void test_libxlsxwriter_inline(void **state)
{
    (void)state;
    const char *p = tmp("inline.xlsx");
    write_book(p, true);
    check_book(p);
}

/* A workbook saved by LibreOffice Calc: rich-text shared strings, formulas with cached
 * values, a skipped blank row, booleans as numbers, a date serial, a second sheet. */
static void test_libreoffice_fixture(void **state)
{
    (void)state;
    struct xlsx_reader *x = open_ok(fixture("libreoffice.xlsx"), NULL, NULL);
    struct xlsx_row row;
    assert_int_equal(xlsx_next(x, &row), 1);
    assert_int_equal(row.number, 1);
    assert_int_equal(row.n_cols, 5);
    assert_string_equal(row.text[0], "统一社会信用代码");
    assert_string_equal(row.text[3], "销售收入（元）");
    assert_int_equal(xlsx_next(x, &row), 1);
    assert_int_equal(row.number, 2);
    assert_string_equal(row.text[0], "91330402MA2B3C4D5E");
    assert_string_equal(row.text[1], "嘉兴测试科技有限公司");
    assert_string_equal(row.text[2], "2024");
    assert_string_equal(row.text[3], "1234567.89");
    assert_string_equal(row.text[4], "1");
    assert_int_equal(xlsx_next(x, &row), 1);
    assert_int_equal(row.number, 3);
    assert_null(row.text[1]);
    assert_string_equal(row.text[2], "1024"); /* =1000+24, cached */
    assert_string_equal(row.text[3], "0.1");
    assert_string_equal(row.text[4], "0");
    assert_int_equal(xlsx_next(x, &row), 1);
    assert_int_equal(row.number, 5); /* the blank row 4 is not in the file */
    assert_string_equal(row.text[0], "\"引号\", 逗号 & <尖括号>"); /* rich text runs */
    assert_int_equal(row.type[1], XLSX_NUMBER);
    assert_string_equal(row.text[1], "43890"); /* 2020-02-29 as a serial */
    assert_int_equal(row.type[2], XLSX_STRING);
    assert_string_equal(row.text[2], "公式文本");
    assert_null(row.text[3]);
    assert_string_equal(row.text[4], "-42");
    assert_int_equal(xlsx_next(x, &row), 0);
    xlsx_close(x);

    x = open_ok(fixture("libreoffice.xlsx"), "说明", NULL);
    assert_int_equal(xlsx_next(x, &row), 1);
    assert_string_equal(row.text[0], "第二张工作表");
    xlsx_close(x);
}

/* Writes a zip at path whose parts are given as (name, data, len) with method. */
static void write_zip(const char *path, int n, const char *const *names, const char *const *data,
                      const size_t *lens, int method)
{
    int err = 0;
    zip_t *z = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &err);
    assert_non_null(z);
    for (int i = 0; i < n; i++) {
        zip_source_t *s = zip_source_buffer(z, data[i], lens[i], 0);
        assert_non_null(s);
        zip_int64_t idx = zip_file_add(z, names[i], s, ZIP_FL_ENC_UTF_8);
        assert_true(idx >= 0);
        assert_int_equal(zip_set_file_compression(z, (zip_uint64_t)idx, method, 9), 0);
    }
    assert_int_equal(zip_close(z), 0);
}

static const char WB[] =
    "<?xml version=\"1.0\"?><workbook "
    "xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
    "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
    "<sheets><sheet name=\"S\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>";
static const char WB_RELS[] =
    "<?xml version=\"1.0\"?><Relationships "
    "xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
    "<Relationship Id=\"rId1\" "
    "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" "
    "Target=\"worksheets/sheet1.xml\"/>"
    "<Relationship Id=\"rId2\" "
    "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings\" "
    "Target=\"sharedStrings.xml\"/></Relationships>";
static const char SHEET_HEAD[] =
    "<?xml version=\"1.0\"?><worksheet "
    "xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>";
static const char SHEET_TAIL[] = "</sheetData></worksheet>";

/* A minimal workbook whose sheet is SHEET_HEAD + rows + SHEET_TAIL and whose shared
 * strings part is sst (NULL: none). */
static void write_minimal(const char *path, const char *rows, const char *sst, int method)
{
    size_t n = strlen(SHEET_HEAD) + strlen(rows) + strlen(SHEET_TAIL) + 1;
    char *sheet = malloc(n);
    snprintf(sheet, n, "%s%s%s", SHEET_HEAD, rows, SHEET_TAIL);
    const char *names[] = {"xl/workbook.xml", "xl/_rels/workbook.xml.rels",
                           "xl/worksheets/sheet1.xml", "xl/sharedStrings.xml"};
    const char *data[] = {WB, WB_RELS, sheet, sst};
    size_t lens[] = {strlen(WB), strlen(WB_RELS), strlen(sheet), sst ? strlen(sst) : 0};
    write_zip(path, sst ? 4 : 3, names, data, lens, method);
    free(sheet);
}

/* Cells without r attributes follow one another; rows without r count up; t="inlineStr"
 * with runs; t="e" errors; a phonetic run is not part of the text. */
static void test_minimal_variants(void **state)
{
    (void)state;
    const char *p = tmp("minimal.xlsx");
    write_minimal(p,
                  "<row><c t=\"s\"><v>1</v></c><c><v>7</v></c><c t=\"e\"><v>#N/A</v></c></row>"
                  "<row><c t=\"inlineStr\"><is><r><t>甲</t></r><r><t>乙</t></r></is></c>"
                  "<c r=\"D2\" t=\"b\"><v>1</v></c><c r=\"C2\" t=\"d\"><v>2024-01-31</v></c></row>"
                  "<row r=\"9\"><c r=\"A9\" t=\"s\"><v>0</v></c></row>",
                  "<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
                  "<si><t>零</t><rPh><t>ling</t></rPh></si><si><t>一</t></si></sst>",
                  ZIP_CM_DEFLATE);
    struct xlsx_reader *x = open_ok(p, NULL, NULL);
    struct xlsx_row row;
    assert_int_equal(xlsx_next(x, &row), 1);
    assert_int_equal(row.number, 1);
    assert_int_equal(row.n_cols, 3);
    assert_string_equal(row.text[0], "一");
    assert_string_equal(row.text[1], "7");
    assert_int_equal(row.type[2], XLSX_ERROR);
    assert_string_equal(row.text[2], "#N/A");
    assert_int_equal(xlsx_next(x, &row), 1);
    assert_int_equal(row.number, 2);
    assert_string_equal(row.text[0], "甲乙");
    assert_null(row.text[1]);
    assert_int_equal(row.type[2], XLSX_DATE);
    assert_string_equal(row.text[2], "2024-01-31");
    assert_int_equal(row.type[3], XLSX_BOOL);
    assert_int_equal(xlsx_next(x, &row), 1);
    assert_int_equal(row.number, 9);
    assert_string_equal(row.text[0], "零");
    assert_int_equal(xlsx_next(x, &row), 0);
    xlsx_close(x);

    /* A shared-string index past the table is an error, not an out-of-bounds read. */
    write_minimal(p, "<row><c t=\"s\"><v>5</v></c></row>", NULL, ZIP_CM_DEFLATE);
    read_fails(p, NULL, "bad_xml");
}

/* A 16 MiB sheet of zeros compresses ~1000:1: refused before inflating it. */
static void test_zip_bomb_ratio(void **state)
{
    (void)state;
    size_t n = (size_t)16 << 20;
    char *zeros = calloc(1, n);
    assert_non_null(zeros);
    const char *names[] = {"xl/workbook.xml", "xl/_rels/workbook.xml.rels",
                           "xl/worksheets/sheet1.xml"};
    const char *data[] = {WB, WB_RELS, zeros};
    size_t lens[] = {strlen(WB), strlen(WB_RELS), n};
    const char *p = tmp("bomb.xlsx");
    write_zip(p, 3, names, data, lens, ZIP_CM_DEFLATE);
    free(zeros);
    assert_int_equal(open_fails(p, NULL, "compression_ratio"), KC_ERR_TOO_LARGE);
    /* The same file with the per-part limit below its size. */
    struct xlsx_limits lim = {.max_entry_bytes = 1 << 20, .max_ratio = 100000};
    assert_int_equal(open_fails(p, &lim, "entry_too_large"), KC_ERR_TOO_LARGE);
    struct xlsx_limits tot = {.max_total_bytes = 8 << 20, .max_ratio = 100000};
    assert_int_equal(open_fails(p, &tot, "total_too_large"), KC_ERR_TOO_LARGE);
}

/* Too many parts; too many shared-string bytes; a cell past the column limit; a row
 * with too much text. */
static void test_limits(void **state)
{
    (void)state;
    enum { N = 40 };
    const char *names[N];
    const char *data[N];
    size_t lens[N];
    char name_buf[N][32];
    names[0] = "xl/workbook.xml", data[0] = WB, lens[0] = strlen(WB);
    names[1] = "xl/_rels/workbook.xml.rels", data[1] = WB_RELS, lens[1] = strlen(WB_RELS);
    for (int i = 2; i < N; i++) {
        snprintf(name_buf[i], sizeof(name_buf[i]), "junk/%d.txt", i);
        names[i] = name_buf[i];
        data[i] = "x";
        lens[i] = 1;
    }
    const char *p = tmp("many.xlsx");
    write_zip(p, N, names, data, lens, ZIP_CM_STORE);
    struct xlsx_limits few = {.max_entries = 10};
    open_fails(p, &few, "too_many_entries");

    const char *q = tmp("limits.xlsx");
    write_minimal(q, "<row><c r=\"XFD1\"><v>1</v></c></row>",
                  "<sst><si><t>0123456789012345678901234567890123456789</t></si></sst>",
                  ZIP_CM_DEFLATE);
    struct xlsx_limits sst = {.max_sst_bytes = 32};
    open_fails(q, &sst, "shared_strings_too_large");
    struct xlsx_limits cols = {.max_cols = 100};
    read_fails(q, &cols, "too_many_columns");
    /* Without a limit the same cell is column 16,384. */
    struct xlsx_reader *x = open_ok(q, NULL, NULL);
    struct xlsx_row row;
    assert_int_equal(xlsx_next(x, &row), 1);
    assert_int_equal(row.n_cols, 16384);
    assert_string_equal(row.text[16383], "1");
    xlsx_close(x);

    write_minimal(q, "<row><c><v>1234567890</v></c><c><v>1234567890</v></c></row>", NULL,
                  ZIP_CM_DEFLATE);
    struct xlsx_limits rowb = {.max_row_bytes = 16};
    read_fails(q, &rowb, "row_too_large");
}

/* Reads a whole file into memory. */
static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *d = malloc((size_t)n + 1);
    assert_int_equal(fread(d, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    *len = (size_t)n;
    return d;
}

/* Writes len bytes to path. */
static void spit(const char *path, const char *d, size_t len)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(d, 1, len, f), len);
    fclose(f);
}

/* Little-endian helpers for patching zip headers. */
static uint32_t le32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}
static void put_le32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)v;
    p[1] = (unsigned char)(v >> 8);
    p[2] = (unsigned char)(v >> 16);
    p[3] = (unsigned char)(v >> 24);
}

/* A part whose headers declare fewer bytes than it inflates to: the reader stops at
 * the declared size instead of trusting it. */
static void test_lying_size(void **state)
{
    (void)state;
    const char *p = tmp("liar.xlsx");
    struct {
        char rows[8192];
    } big;
    size_t o = 0;
    for (int i = 1; i <= 100; i++)
        o += (size_t)snprintf(big.rows + o, sizeof(big.rows) - o,
                              "<row r=\"%d\"><c><v>%d</v></c></row>", i, i);
    write_minimal(p, big.rows, NULL, ZIP_CM_DEFLATE);
    size_t len;
    unsigned char *d = (unsigned char *)slurp(p, &len);
    const char *target = "xl/worksheets/sheet1.xml";
    size_t tl = strlen(target);
    int patched = 0;
    for (size_t i = 0; i + 46 + tl <= len; i++) {
        if (le32(d + i) == 0x04034b50 && memcmp(d + i + 30, target, tl) == 0) {
            put_le32(d + i + 22, le32(d + i + 22) / 4); /* local header: uncompressed size */
            patched++;
        } else if (le32(d + i) == 0x02014b50 && memcmp(d + i + 46, target, tl) == 0) {
            put_le32(d + i + 24, le32(d + i + 24) / 4); /* central directory */
            patched++;
        }
    }
    assert_int_equal(patched, 2);
    spit(p, (char *)d, len);
    free(d);
    struct xlsx_reader *x = NULL;
    struct xlsx_error err;
    int rc = xlsx_open(p, NULL, NULL, &x, &err);
    if (rc == 0) {
        struct xlsx_row row;
        int n = 0;
        while ((rc = xlsx_next(x, &row)) == 1)
            n++;
        assert_true(rc < 0);
        assert_true(n < 100);
        const struct xlsx_error *e = xlsx_last_error(x);
        assert_true(strcmp(e->code, "entry_too_large") == 0 || strcmp(e->code, "corrupt") == 0 ||
                    strcmp(e->code, "bad_xml") == 0);
        xlsx_close(x);
    } else {
        assert_non_null(err.code);
    }
}

/* Not a zip, an empty file, a truncated workbook, a missing file, a zip without a
 * workbook, a DOCTYPE with entities. */
static void test_garbage(void **state)
{
    (void)state;
    const char *p = tmp("garbage.xlsx");
    spit(p, "uscc,name\n91330402MA2B3C4D5E,x\n", 32);
    assert_int_equal(open_fails(p, NULL, "not_zip"), KC_ERR_INVALID);
    spit(p, "", 0);
    open_fails(p, NULL, "not_zip");
    assert_int_equal(open_fails(tmp("no-such-file.xlsx"), NULL, "io"), KC_ERR_IO);

    const char *good = tmp("good.xlsx");
    write_book(good, false);
    size_t len;
    char *d = slurp(good, &len);
    for (size_t cut = 10; cut < len; cut += len / 7) {
        spit(p, d, cut);
        struct xlsx_reader *x = NULL;
        struct xlsx_error err;
        int rc = xlsx_open(p, NULL, NULL, &x, &err);
        assert_true(rc < 0);
        assert_null(x);
        assert_non_null(err.code);
    }
    free(d);

    const char *names[] = {"hello.txt"};
    const char *data[] = {"hi"};
    size_t lens[] = {2};
    write_zip(p, 1, names, data, lens, ZIP_CM_DEFLATE);
    open_fails(p, NULL, "no_workbook");

    const char *names2[] = {"xl/workbook.xml"};
    const char *wb_dtd = "<?xml version=\"1.0\"?><!DOCTYPE lol [<!ENTITY a \"aaaaaaaa\">"
                         "<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;\">]><workbook>&b;</workbook>";
    const char *data2[] = {wb_dtd};
    size_t lens2[] = {strlen(wb_dtd)};
    write_zip(p, 1, names2, data2, lens2, ZIP_CM_DEFLATE);
    open_fails(p, NULL, "bad_xml");

    write_minimal(p, "<row><c><v>1</v></c>", NULL, ZIP_CM_DEFLATE); /* unclosed <row> */
    read_fails(p, NULL, "bad_xml");
}

/* xlsx_col_index on references. */
static void test_col_index(void **state)
{
    (void)state;
    assert_int_equal(xlsx_col_index("A1"), 0);
    assert_int_equal(xlsx_col_index("Z9"), 25);
    assert_int_equal(xlsx_col_index("AA1"), 26);
    assert_int_equal(xlsx_col_index("XFD1048576"), 16383);
    assert_int_equal(xlsx_col_index("1"), -1);
    assert_int_equal(xlsx_col_index("ABCD1"), -1);
    assert_int_equal(xlsx_col_index(""), -1);
}

/* A tiny deterministic generator (xorshift64*) for the mutation loop. */
static uint64_t rng_state = 0x9E3779B97F4A7C15ull;
static uint64_t rng(void)
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 0x2545F4914F6CDD1Dull;
}

/* Fuzz-style: 2,000 copies of a valid workbook (parts stored, so the XML itself is
 * mutated, and deflated) with 1–8 bytes overwritten, cut short or spliced; every copy
 * must open and read to an end or fail with a code — never crash, hang or overrun
 * (run under ASan by `make test-asan`). */
static void test_mutations(void **state)
{
    (void)state;
    const char *src = tmp("mut-src.xlsx");
    write_minimal(src,
                  "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\" t=\"s\"><v>1</v></c>"
                  "</row><row r=\"2\"><c r=\"A2\"><v>12.5</v></c><c r=\"B2\" t=\"inlineStr\">"
                  "<is><t>内联</t></is></c><c r=\"C2\" t=\"b\"><v>1</v></c></row>",
                  "<sst><si><t>统一社会信用代码</t></si><si><r><t>名</t></r><r><t>称</t></r>"
                  "</si></sst>",
                  ZIP_CM_STORE);
    size_t len_stored;
    char *stored = slurp(src, &len_stored);
    const char *src2 = tmp("mut-src2.xlsx");
    write_book(src2, false);
    size_t len_deflated;
    char *deflated = slurp(src2, &len_deflated);
    const char *p = tmp("mut.xlsx");
    int opened = 0, read_rows = 0;
    for (int iter = 0; iter < 2000; iter++) {
        const char *orig = iter % 4 == 3 ? deflated : stored;
        size_t len = iter % 4 == 3 ? len_deflated : len_stored;
        char *d = malloc(len);
        memcpy(d, orig, len);
        int kind = (int)(rng() % 10);
        if (kind < 8) {
            int k = 1 + (int)(rng() % 8);
            for (int j = 0; j < k; j++)
                d[rng() % len] = (char)(rng() & 0xFF);
        } else if (kind == 8) {
            len = 1 + rng() % len; /* truncated */
        } else {
            size_t a = rng() % len, b = rng() % len, n = rng() % 64;
            if (a + n <= len && b + n <= len)
                memmove(d + a, d + b, n); /* a block copied elsewhere */
        }
        spit(p, d, len);
        free(d);
        struct xlsx_reader *x = NULL;
        struct xlsx_error err;
        int rc = xlsx_open(p, NULL, NULL, &x, &err);
        if (rc != 0) {
            assert_null(x);
            assert_non_null(err.code);
            continue;
        }
        opened++;
        struct xlsx_row row;
        int guard = 0;
        while ((rc = xlsx_next(x, &row)) == 1) {
            assert_true(++guard < 100000);
            for (uint32_t c = 0; c < row.n_cols; c++)
                if (row.text[c])
                    assert_true(strlen(row.text[c]) < (1u << 20));
            read_rows++;
        }
        assert_true(rc == 0 || xlsx_last_error(x)->code != NULL);
        xlsx_close(x);
    }
    free(stored);
    free(deflated);
    /* The loop must have exercised the sheet parser, not only the zip directory. */
    assert_true(opened > 100);
    assert_true(read_rows > 100);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_libxlsxwriter_shared),
        cmocka_unit_test(test_libxlsxwriter_inline),
        cmocka_unit_test(test_libreoffice_fixture),
        cmocka_unit_test(test_minimal_variants),
        cmocka_unit_test(test_zip_bomb_ratio),
        cmocka_unit_test(test_limits),
        cmocka_unit_test(test_lying_size),
        cmocka_unit_test(test_garbage),
        cmocka_unit_test(test_col_index),
        cmocka_unit_test(test_mutations),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
