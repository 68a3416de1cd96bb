/* test_rules_sample.c — the fixture tests/rules/sample.jsonl: a few firms, each with the
 * verdicts expected under named rule sets ("_expect", reasoned by hand in "_why"),
 * parsed through the same record parser as `kechuang assess`; the output of every
 * evaluation (with gaps) must be valid JSON. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "../rules/rules_test_util.h"
#include "core/buf.h"
#include "core/jw.h"

/* Finds the fixture next to this source file: __FILE__ is absolute, or relative to the
 * build directory, which holds this executable. */
static void fixture_path(char *out, size_t cap)
{
    char src[PATH_MAX];
    if (__FILE__[0] == '/') {
        snprintf(src, sizeof(src), "%s", __FILE__);
    } else {
        char exe[PATH_MAX];
        ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
        assert_true(n > 0);
        exe[n] = '\0';
        snprintf(src, sizeof(src), "%s/%s", dirname(exe), __FILE__);
    }
    snprintf(out, cap, "%s/../rules/sample.jsonl", dirname(src));
}

/* Every firm gets the expected verdict under every rule set it names. */
static void test_sample_verdicts(void **state)
{
    (void)state;
    char path[PATH_MAX];
    fixture_path(path, sizeof(path));
    FILE *f = fopen(path, "r");
    if (!f)
        fail_msg("cannot open %s", path);
    char line[65536];
    int n_checks = 0, n_lines = 0;
    while (fgets(line, sizeof(line), f)) {
        json_error_t jerr;
        json_t *o = json_loads(line, JSON_REJECT_DUPLICATES, &jerr);
        if (!o)
            fail_msg("line %d: %s", n_lines + 1, jerr.text);
        n_lines++;
        struct rules_parse_error perr;
        tu_reset();
        assert_int_equal(rules_record_parse(o, &tu_rec, tu_years, RULES_MAX_YEARS, &perr), 0);
        const json_t *expect = json_object_get(o, "_expect");
        assert_non_null(expect);
        const char *id;
        json_t *want;
        json_object_foreach((json_t *)expect, id, want)
        {
            if (id[0] == '_')
                continue;
            const struct rules_set *s = rules_registry_find(&tu_reg, id, 0);
            assert_non_null(s);
            int year = rules_record_latest_year(&tu_rec);
            rules_evaluate(s, &tu_rec, year, &tu_res);
            rules_gaps(s, &tu_rec, &tu_res, &tu_gaps);
            if (strcmp(rules_verdict_name(tu_res.verdict), json_string_value(want)) != 0)
                fail_msg("%s under %s: %s, expected %s (%s)",
                         json_string_value(json_object_get(o, "uscc")), id,
                         rules_verdict_name(tu_res.verdict), json_string_value(want),
                         json_string_value(json_object_get(expect, "_why")));
            struct buf b = {0};
            struct jw w = {0};
            jw_init(&w, &b);
            rules_write_result(&w, s, &tu_rec, &tu_res, &tu_gaps);
            json_t *back = json_loads(buf_str(&b), JSON_REJECT_DUPLICATES, &jerr);
            if (!back)
                fail_msg("output is not JSON: %s", jerr.text);
            assert_string_equal(json_string_value(json_object_get(back, "verdict")),
                                json_string_value(want));
            json_decref(back);
            buf_free(&b);
            n_checks++;
        }
        json_decref(o);
    }
    fclose(f);
    assert_int_equal(n_lines, 7);
    assert_int_equal(n_checks, 13);
}

/* Runs the tests with the embedded rule sets loaded once. */
int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sample_verdicts),
    };
    return cmocka_run_group_tests(tests, tu_setup, tu_teardown);
}
