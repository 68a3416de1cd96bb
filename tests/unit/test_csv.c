/* test_csv.c — unit tests for io/csv (the RFC 4180 record reader). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "core/arena.h"
#include "io/csv.h"

/* Starts r over the NUL-terminated text s (without its NUL). */
static void init(struct csv_reader *r, const char *s)
{
    csv_init(r, s, strlen(s));
}

/* Plain records separated by LF, then the end of input (0, repeatedly). */
static void test_simple_records(void **state)
{
    (void)state;
    struct arena a = {0};
    struct csv_reader r;
    char *f[8];
    init(&r, "code,name,level\n330000,浙江省,province\n");
    assert_int_equal(csv_next(&r, &a, f, 8), 3);
    assert_string_equal(f[0], "code");
    assert_string_equal(f[1], "name");
    assert_string_equal(f[2], "level");
    assert_int_equal(csv_next(&r, &a, f, 8), 3);
    assert_string_equal(f[0], "330000");
    assert_string_equal(f[1], "浙江省");
    assert_string_equal(f[2], "province");
    assert_int_equal(csv_next(&r, &a, f, 8), 0);
    assert_int_equal(csv_next(&r, &a, f, 8), 0);
    arena_free(&a);
}

/* The last record need not end with a newline; empty input has no records. */
static void test_no_trailing_newline_and_empty(void **state)
{
    (void)state;
    struct arena a = {0};
    struct csv_reader r;
    char *f[4];
    init(&r, "a,b");
    assert_int_equal(csv_next(&r, &a, f, 4), 2);
    assert_string_equal(f[1], "b");
    assert_int_equal(csv_next(&r, &a, f, 4), 0);
    csv_init(&r, "", 0);
    assert_int_equal(csv_next(&r, &a, f, 4), 0);
    arena_free(&a);
}

/* Quoted fields: the quotes are removed, doubled quotes become one. */
static void test_quotes_and_doubled_quotes(void **state)
{
    (void)state;
    struct arena a = {0};
    struct csv_reader r;
    char *f[4];
    init(&r, "\"plain\",\"say \"\"hi\"\"\",\"\"\"\"\n");
    assert_int_equal(csv_next(&r, &a, f, 4), 3);
    assert_string_equal(f[0], "plain");
    assert_string_equal(f[1], "say \"hi\"");
    assert_string_equal(f[2], "\"");
    arena_free(&a);
}

/* Commas, LF and CRLF inside quotes are part of the field. */
static void test_embedded_commas_and_newlines(void **state)
{
    (void)state;
    struct arena a = {0};
    struct csv_reader r;
    char *f[4];
    init(&r, "\"a,b\",\"line1\nline2\",\"x\r\ny\"\nnext\n");
    assert_int_equal(csv_next(&r, &a, f, 4), 3);
    assert_string_equal(f[0], "a,b");
    assert_string_equal(f[1], "line1\nline2");
    assert_string_equal(f[2], "x\r\ny");
    assert_int_equal(csv_next(&r, &a, f, 4), 1);
    assert_string_equal(f[0], "next");
    assert_int_equal(csv_next(&r, &a, f, 4), 0);
    arena_free(&a);
}

/* CRLF (and a lone CR) end a record; no CR leaks into the last field. */
static void test_crlf(void **state)
{
    (void)state;
    struct arena a = {0};
    struct csv_reader r;
    char *f[4];
    init(&r, "a,b\r\nc,d\r\n\"e\",f\rg\r\n");
    assert_int_equal(csv_next(&r, &a, f, 4), 2);
    assert_string_equal(f[0], "a");
    assert_string_equal(f[1], "b");
    assert_int_equal(csv_next(&r, &a, f, 4), 2);
    assert_string_equal(f[1], "d");
    assert_int_equal(csv_next(&r, &a, f, 4), 2);
    assert_string_equal(f[0], "e");
    assert_string_equal(f[1], "f");
    assert_int_equal(csv_next(&r, &a, f, 4), 1);
    assert_string_equal(f[0], "g");
    assert_int_equal(csv_next(&r, &a, f, 4), 0);
    arena_free(&a);
}

/* A UTF-8 byte-order mark at the start is skipped; one elsewhere is data. */
static void test_bom_skipped(void **state)
{
    (void)state;
    struct arena a = {0};
    struct csv_reader r;
    char *f[4];
    init(&r, "\xEF\xBB\xBF" "code,名称\n\xEF\xBB\xBFx\n");
    assert_int_equal(csv_next(&r, &a, f, 4), 2);
    assert_string_equal(f[0], "code");
    assert_string_equal(f[1], "名称");
    assert_int_equal(csv_next(&r, &a, f, 4), 1);
    assert_string_equal(f[0], "\xEF\xBB\xBFx");
    /* A BOM alone is an empty file. */
    init(&r, "\xEF\xBB\xBF");
    assert_int_equal(csv_next(&r, &a, f, 4), 0);
    /* Two bytes of a BOM are not skipped. */
    init(&r, "\xEF\xBB");
    assert_int_equal(csv_next(&r, &a, f, 4), 1);
    assert_string_equal(f[0], "\xEF\xBB");
    arena_free(&a);
}

/* Empty fields (unquoted and quoted, leading, middle and trailing) are "" — never NULL. */
static void test_empty_fields(void **state)
{
    (void)state;
    struct arena a = {0};
    struct csv_reader r;
    char *f[8];
    init(&r, ",x,,\"\",\n");
    assert_int_equal(csv_next(&r, &a, f, 8), 5);
    assert_string_equal(f[0], "");
    assert_string_equal(f[1], "x");
    assert_string_equal(f[2], "");
    assert_string_equal(f[3], "");
    assert_string_equal(f[4], "");
    /* A record ending in a comma at the end of input has a trailing empty field. */
    init(&r, "a,");
    assert_int_equal(csv_next(&r, &a, f, 8), 2);
    assert_string_equal(f[0], "a");
    assert_string_equal(f[1], "");
    arena_free(&a);
}

/* Blank lines (LF, CRLF) between and before records are skipped. */
static void test_blank_lines_skipped(void **state)
{
    (void)state;
    struct arena a = {0};
    struct csv_reader r;
    char *f[4];
    init(&r, "\n\r\na\n\n\r\nb\n\n");
    assert_int_equal(csv_next(&r, &a, f, 4), 1);
    assert_string_equal(f[0], "a");
    assert_int_equal(csv_next(&r, &a, f, 4), 1);
    assert_string_equal(f[0], "b");
    assert_int_equal(csv_next(&r, &a, f, 4), 0);
    arena_free(&a);
}

/* An unterminated quote is an error (-1), whatever precedes it on the record. */
static void test_unterminated_quote(void **state)
{
    (void)state;
    struct arena a = {0};
    struct csv_reader r;
    char *f[4];
    init(&r, "ok,fine\n\"never closed,x\ny\n");
    assert_int_equal(csv_next(&r, &a, f, 4), 2);
    assert_int_equal(csv_next(&r, &a, f, 4), -1);
    init(&r, "a,\"b");
    assert_int_equal(csv_next(&r, &a, f, 4), -1);
    init(&r, "\"");
    assert_int_equal(csv_next(&r, &a, f, 4), -1);
    /* A doubled quote at the very end is an escaped quote, not a close. */
    init(&r, "\"abc\"\"");
    assert_int_equal(csv_next(&r, &a, f, 4), -1);
    arena_free(&a);
}

/* At most max fields are stored; the rest of the record is consumed, not carried over
 * to the next call; fields past max are never written. */
static void test_max_fields_truncation(void **state)
{
    (void)state;
    struct arena a = {0};
    struct csv_reader r;
    char *f[4] = {NULL, NULL, NULL, NULL};
    char sentinel[] = "untouched";
    f[2] = sentinel;
    f[3] = sentinel;
    init(&r, "1,2,3,4,5\nnext,row\n");
    assert_int_equal(csv_next(&r, &a, f, 2), 2);
    assert_string_equal(f[0], "1");
    assert_string_equal(f[1], "2");
    assert_ptr_equal(f[2], sentinel);
    assert_ptr_equal(f[3], sentinel);
    assert_int_equal(csv_next(&r, &a, f, 2), 2);
    assert_string_equal(f[0], "next");
    assert_string_equal(f[1], "row");
    assert_int_equal(csv_next(&r, &a, f, 2), 0);
    arena_free(&a);
}

/* Text after a closing quote is kept verbatim (lenient, as documented in csv.c). */
static void test_text_after_closing_quote(void **state)
{
    (void)state;
    struct arena a = {0};
    struct csv_reader r;
    char *f[4];
    init(&r, "\"ab\"cd,e\n");
    assert_int_equal(csv_next(&r, &a, f, 4), 2);
    assert_string_equal(f[0], "abcd");
    assert_string_equal(f[1], "e");
    arena_free(&a);
}

/* Fields are copies in the arena: they survive changes to the input buffer. */
static void test_fields_are_copies(void **state)
{
    (void)state;
    struct arena a = {0};
    struct csv_reader r;
    char *f[2];
    char data[] = "abc,def\n";
    csv_init(&r, data, strlen(data));
    assert_int_equal(csv_next(&r, &a, f, 2), 2);
    memset(data, 'Z', strlen(data));
    assert_string_equal(f[0], "abc");
    assert_string_equal(f[1], "def");
    arena_free(&a);
}

/* Input that is not NUL-terminated is read only up to its length. */
static void test_length_bounds_input(void **state)
{
    (void)state;
    struct arena a = {0};
    struct csv_reader r;
    char *f[4];
    const char *data = "a,b\nc,d";
    csv_init(&r, data, 5); /* "a,b\nc" */
    assert_int_equal(csv_next(&r, &a, f, 4), 2);
    assert_int_equal(csv_next(&r, &a, f, 4), 1);
    assert_string_equal(f[0], "c");
    assert_int_equal(csv_next(&r, &a, f, 4), 0);
    arena_free(&a);
}

/* Runs the CSV reader tests. */
int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_simple_records),
        cmocka_unit_test(test_no_trailing_newline_and_empty),
        cmocka_unit_test(test_quotes_and_doubled_quotes),
        cmocka_unit_test(test_embedded_commas_and_newlines),
        cmocka_unit_test(test_crlf),
        cmocka_unit_test(test_bom_skipped),
        cmocka_unit_test(test_empty_fields),
        cmocka_unit_test(test_blank_lines_skipped),
        cmocka_unit_test(test_unterminated_quote),
        cmocka_unit_test(test_max_fields_truncation),
        cmocka_unit_test(test_text_after_closing_quote),
        cmocka_unit_test(test_fields_are_copies),
        cmocka_unit_test(test_length_bounds_input),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
