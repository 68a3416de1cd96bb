/* test_timeutil.c — unit tests for core/timeutil (RFC 3339 formatting, date parsing). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "core/timeutil.h"

/* Parses s and returns the result code; *out receives the value on success. */
static int parse(const char *s, int64_t *out)
{
    *out = -12345;
    return time_parse_date(s, out);
}

/* The epoch and known timestamps format as RFC 3339 UTC. */
static void test_rfc3339(void **state)
{
    (void)state;
    char out[32];
    time_rfc3339(0, out, sizeof out);
    assert_string_equal(out, "1970-01-01T00:00:00Z");
    time_rfc3339(1700000000, out, sizeof out);
    assert_string_equal(out, "2023-11-14T22:13:20Z");
    time_rfc3339(951782400, out, sizeof out); /* 2000-02-29, a leap day */
    assert_string_equal(out, "2000-02-29T00:00:00Z");
    time_rfc3339(2147483648LL, out, sizeof out); /* past the 32-bit limit */
    assert_string_equal(out, "2038-01-19T03:14:08Z");
    /* The documented minimum buffer (21 bytes) is enough. */
    char exact[21];
    time_rfc3339(1700000000, exact, sizeof exact);
    assert_string_equal(exact, "2023-11-14T22:13:20Z");
}

/* Out-of-range times must still leave a NUL-terminated string inside the documented
 * 21-byte buffer (never unterminated bytes a caller would read past).
 * (Regression test: year 10000 and INT64_MAX/MIN once left the buffer unterminated.) */
static void test_rfc3339_out_of_range(void **state)
{
    (void)state;
    static const int64_t ts[] = {253402300800LL, INT64_MAX, INT64_MIN};
    for (size_t i = 0; i < sizeof ts / sizeof ts[0]; i++) {
        char out[21];
        memset(out, '#', sizeof out);
        time_rfc3339(ts[i], out, sizeof out);
        if (!memchr(out, '\0', sizeof out))
            fail_msg("time_rfc3339(%lld) left the buffer unterminated", (long long)ts[i]);
    }
}

/* The millisecond form has the documented shape. */
static void test_rfc3339_ms(void **state)
{
    (void)state;
    char out[32];
    time_rfc3339_ms(out, sizeof out);
    assert_int_equal(strlen(out), 24);
    assert_int_equal(out[10], 'T');
    assert_int_equal(out[19], '.');
    assert_int_equal(out[23], 'Z');
}

/* The clocks move forward and the wall clock is after 2024. */
static void test_clocks(void **state)
{
    (void)state;
    assert_true(time_now() > 1704067200); /* 2024-01-01 */
    int64_t a = time_mono_ns();
    int64_t b = time_mono_ns();
    assert_true(b >= a);
}

/* Valid dates parse to Unix seconds at 00:00 UTC. */
static void test_parse_valid(void **state)
{
    (void)state;
    int64_t t;
    assert_int_equal(parse("1970-01-01", &t), 0);
    assert_true(t == 0);
    assert_int_equal(parse("2023-11-14", &t), 0);
    assert_true(t == 1699920000);
    assert_int_equal(parse("2026-12-31", &t), 0);
    assert_true(t == 1798675200);
    assert_int_equal(parse("1900-01-01", &t), 0);
    assert_true(t == -2208988800LL);
    assert_int_equal(parse("2026-01-31", &t), 0);
    assert_int_equal(parse("2026-04-30", &t), 0);
    /* Formatting the parsed value gives the date back. */
    char out[32];
    assert_int_equal(parse("2026-11-24", &t), 0);
    time_rfc3339(t, out, sizeof out);
    assert_string_equal(out, "2026-11-24T00:00:00Z");
}

/* Leap days exist only in leap years (every 4th, not every 100th, every 400th). */
static void test_parse_leap_days(void **state)
{
    (void)state;
    int64_t t, t28;
    assert_int_equal(parse("2024-02-29", &t), 0);
    assert_int_equal(parse("2024-02-28", &t28), 0);
    assert_true(t - t28 == 86400);
    assert_int_equal(parse("2000-02-29", &t), 0);
    assert_true(t == 951782400);
    assert_int_equal(parse("2023-02-29", &t), -1);
    assert_int_equal(parse("1900-02-29", &t), -1);
    assert_int_equal(parse("2100-02-29", &t), -1);
    assert_int_equal(parse("2024-02-30", &t), -1);
}

/* Impossible months and days are rejected, and *out is left alone. */
static void test_parse_out_of_range(void **state)
{
    (void)state;
    int64_t t;
    assert_int_equal(parse("2026-13-01", &t), -1);
    assert_true(t == -12345);
    assert_int_equal(parse("2026-00-10", &t), -1);
    assert_int_equal(parse("2026-01-00", &t), -1);
    assert_int_equal(parse("2026-01-32", &t), -1);
    assert_int_equal(parse("2026-04-31", &t), -1);
    assert_int_equal(parse("2026-06-31", &t), -1);
    assert_int_equal(parse("1899-12-31", &t), -1);
    assert_int_equal(parse("0000-01-01", &t), -1);
}

/* Anything not exactly YYYY-MM-DD is rejected. */
static void test_parse_bad_shapes(void **state)
{
    (void)state;
    int64_t t;
    static const char *const bad[] = {
        "",           "2026",        "2026-1-01",   "2026-01-1",  "26-01-01",
        "2026/01/01", "2026-01-01T", "2026-01-01 ", " 2026-01-01", "20260101",
        "2026-0a-01", "2026-01-0x",  "+026-01-01",  "2026--1-01", "2026-01-01Z",
        "二〇二六-01-01", "2026_01_01", "2026-01-01\n"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (parse(bad[i], &t) != -1)
            fail_msg("accepted \"%s\"", bad[i]);
    assert_int_equal(time_parse_date(NULL, &t), -1);
}

/* Runs the time utility tests. */
int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rfc3339),
        cmocka_unit_test(test_rfc3339_out_of_range),
        cmocka_unit_test(test_rfc3339_ms),
        cmocka_unit_test(test_clocks),
        cmocka_unit_test(test_parse_valid),
        cmocka_unit_test(test_parse_leap_days),
        cmocka_unit_test(test_parse_out_of_range),
        cmocka_unit_test(test_parse_bad_shapes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
