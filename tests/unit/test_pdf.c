/* test_pdf.c — unit tests for io/pdf: a rendered report is a PDF whose Chinese text
 * pdftotext (poppler-utils) extracts, with tables continued over pages. */
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

#include "core/buf.h"
#include "io/pdf.h"

/* Writes data to a temporary file, runs `pdftotext -layout FILE -` and returns its
 * output (malloc'd) or NULL when pdftotext is missing. */
static char *pdf_text(const char *data, size_t len)
{
    if (system("command -v pdftotext >/dev/null 2>&1") != 0)
        return NULL;
    char path[] = "/tmp/kc-pdf-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, data, len), (ssize_t)len);
    close(fd);
    char cmd[256];
    snprintf(cmd, sizeof(cmd), "pdftotext -layout %s - 2>/dev/null", path);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    struct buf out = {0};
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof(chunk), p)) > 0)
        buf_append(&out, chunk, n);
    assert_int_equal(pclose(p), 0);
    unlink(path);
    size_t l;
    char *text = buf_take(&out, &l);
    return text ? text : strdup("");
}

/* Counts the pages of a PDF by its "/Type /Page" objects (not "/Pages"). */
static int page_count(const char *data, size_t len)
{
    int n = 0;
    const char *key = "/Type /Page";
    size_t kl = strlen(key);
    for (size_t i = 0; i + kl < len; i++)
        if (memcmp(data + i, key, kl) == 0 && data[i + kl] != 's')
            n++;
    return n;
}

/* A report with every element: headings, paragraph, a long table, both charts. Its
 * Chinese text comes out of pdftotext, and the 90-row table spans several pages. */
static void test_report_text(void **state)
{
    (void)state;
    struct pdf_doc *d = pdf_new("丽水市科技创新考核报告");
    pdf_heading(d, 1, "丽水市 2025 年度县(市、区)科技创新考核报告");
    pdf_paragraph(d, "本报告由科创平台生成。考核数值冻结于截止日 2026-01-31，之后的观测值不计入。");
    pdf_heading(d, 2, "一、考核排名");
    static const char *const headers[] = {"排名", "县(市、区)", "总分"};
    static const char *const counties[] = {"莲都区", "青田县", "缙云县",         "遂昌县", "松阳县",
                                           "云和县", "庆元县", "景宁畲族自治县", "龙泉市"};
    const size_t rows = 90;
    char(*cellbuf)[3][64] = calloc(rows, sizeof(*cellbuf));
    const char **cells = calloc(rows * 3, sizeof(char *));
    for (size_t r = 0; r < rows; r++) {
        snprintf(cellbuf[r][0], 64, "%zu", r + 1);
        snprintf(cellbuf[r][1], 64, "%s第%zu行", counties[r % 9], r + 1);
        snprintf(cellbuf[r][2], 64, "%.2f", 100.0 - (double)r * 0.5);
        for (int c = 0; c < 3; c++)
            cells[r * 3 + c] = cellbuf[r][c];
    }
    static const double widths[] = {1, 3, 2};
    struct pdf_table t = {3, headers, widths, "lcr", rows, cells};
    pdf_table(d, &t);
    double values[9];
    for (int i = 0; i < 9; i++)
        values[i] = 60 + i * 4.25;
    struct pdf_bar_chart bar = {"各县(市、区)总分", 9, counties, values, 0, 2};
    pdf_bar_chart(d, &bar);
    static const char *const years[] = {"2023", "2024", "2025"};
    double a[] = {1, 2.5, NAN}, b[] = {3, 2, 4};
    struct pdf_line_series series[] = {{"莲都区", a}, {"龙泉市", b}};
    struct pdf_line_chart line = {"历年总分", 3, years, 2, series};
    pdf_line_chart(d, &line);
    pdf_note(d, "注：数据来源于平台记录与核定的上报值。");
    char *data = NULL;
    size_t len = 0;
    assert_int_equal(pdf_finish(d, &data, &len), 0);
    assert_true(len > 1000);
    assert_memory_equal(data, "%PDF-", 5);
    assert_true(page_count(data, len) >= 3);
    char *text = pdf_text(data, len);
    free(data);
    free(cells);
    free(cellbuf);
    if (!text)
        skip();
    const char *want[] = {"县(市、区)科技创新考核报告",
                          "考核数值冻结于截止日",
                          "一、考核排名",
                          "景宁畲族自治县",
                          "龙泉市第90行",
                          "各县(市、区)总分",
                          "94.00",
                          "历年总分",
                          "数据来源于平台记录",
                          "县(市、区)"};
    for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
        if (!strstr(text, want[i]))
            fail_msg("\"%s\" not in the extracted text:\n%s", want[i], text);
    }
    /* The header row is repeated on the page the table continues on. */
    const char *first = strstr(text, "总分");
    assert_non_null(first);
    /* Page numbers ("- 1 -"; pdftotext drops the narrow spaces). */
    assert_non_null(strstr(text, "-3-"));
    const char *page2 = strstr(text, "-1-");
    assert_non_null(page2);
    assert_non_null(strstr(page2, "排名"));
    free(text);
}

/* Invalid UTF-8 and empty texts do not break the document; an empty table prints its
 * header; a chart with only zeros and one x position renders. */
static void test_degenerate_inputs(void **state)
{
    (void)state;
    struct pdf_doc *d = pdf_new(NULL);
    pdf_heading(d, 2, "\xff\xfe 坏的编码 \xc3");
    pdf_paragraph(d, "");
    pdf_paragraph(d, NULL);
    static const char *const headers[] = {"只有表头"};
    struct pdf_table t = {1, headers, NULL, NULL, 0, NULL};
    pdf_table(d, &t);
    static const char *const labels[] = {"零"};
    double zero[] = {0};
    struct pdf_bar_chart bar = {NULL, 1, labels, zero, 0, 0};
    pdf_bar_chart(d, &bar);
    static const char *const x[] = {"2025"};
    struct pdf_line_series s = {"唯一", zero};
    struct pdf_line_chart line = {NULL, 1, x, 1, &s};
    pdf_line_chart(d, &line);
    char *data = NULL;
    size_t len = 0;
    assert_int_equal(pdf_finish(d, &data, &len), 0);
    char *text = pdf_text(data, len);
    free(data);
    if (!text)
        skip();
    assert_non_null(strstr(text, "坏的编码"));
    assert_non_null(strstr(text, "只有表头"));
    free(text);
    pdf_free(NULL);
    pdf_free(pdf_new("discarded"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_report_text),
        cmocka_unit_test(test_degenerate_inputs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
