/* test_pipeline.c — unit tests for domain/pipeline (stages, transitions, drop reasons). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <string.h>

#include "domain/pipeline.h"

static const char *const STAGES[] = {"proposed", "contacted", "negotiating", "signed", "dropped"};

/* Exactly the forward steps and the drops are legal; nothing leaves a final stage; no
 * stage is skipped and none goes back. */
static void test_transitions(void **state)
{
    (void)state;
    static const char *const legal[][2] = {
        {"proposed", "contacted"}, {"contacted", "negotiating"}, {"negotiating", "signed"},
        {"proposed", "dropped"},   {"contacted", "dropped"},     {"negotiating", "dropped"}};
    for (size_t i = 0; i < 5; i++) {
        for (size_t j = 0; j < 5; j++) {
            bool want = false;
            for (size_t k = 0; k < sizeof(legal) / sizeof(legal[0]); k++)
                if (strcmp(legal[k][0], STAGES[i]) == 0 && strcmp(legal[k][1], STAGES[j]) == 0)
                    want = true;
            if (pipeline_transition_ok(STAGES[i], STAGES[j]) != want)
                fail_msg("%s → %s should be %s", STAGES[i], STAGES[j],
                         want ? "legal" : "illegal");
        }
    }
    assert_false(pipeline_transition_ok("signed", "signed"));
    assert_false(pipeline_transition_ok(NULL, "contacted"));
    assert_false(pipeline_transition_ok("proposed", NULL));
    assert_false(pipeline_transition_ok("proposed", "Contacted"));
    assert_null(pipeline_next("signed")[0]);
    assert_null(pipeline_next("nope")[0]);
    assert_string_equal(pipeline_next("proposed")[0], "contacted");
    assert_true(pipeline_final("signed"));
    assert_true(pipeline_final("dropped"));
    assert_false(pipeline_final("negotiating"));
}

/* The six reason codes and nothing else. */
static void test_reasons(void **state)
{
    (void)state;
    static const char *const codes[] = {"too_early", "price_gap",  "ip_unclear",
                                        "benefit_unclear", "no_budget", "other"};
    for (size_t i = 0; i < 6; i++)
        assert_true(pipeline_reason_valid(codes[i]));
    assert_false(pipeline_reason_valid("bored"));
    assert_false(pipeline_reason_valid(NULL));
    assert_string_equal(pipeline_reason_label("ip_unclear", false), "知识产权归属不清");
    assert_string_equal(pipeline_reason_label("price_gap", true), "Price gap");
    assert_string_equal(pipeline_stage_label("signed", false), "已签约");
    assert_string_equal(pipeline_stage_label("xyz", false), "xyz");
}

/* The labels JSON agrees with the label functions in both languages. */
static void test_labels_json(void **state)
{
    (void)state;
    static const char *const codes[] = {"too_early", "price_gap",  "ip_unclear",
                                        "benefit_unclear", "no_budget", "other"};
    for (int en = 0; en < 2; en++) {
        json_t *o = json_loads(pipeline_labels_json(en), 0, NULL);
        assert_non_null(o);
        json_t *st = json_object_get(o, "stage"), *rs = json_object_get(o, "reason");
        assert_int_equal(json_object_size(st), 5);
        assert_int_equal(json_object_size(rs), 6);
        for (size_t i = 0; i < 5; i++)
            assert_string_equal(json_string_value(json_object_get(st, STAGES[i])),
                                pipeline_stage_label(STAGES[i], en));
        for (size_t i = 0; i < 6; i++)
            assert_string_equal(json_string_value(json_object_get(rs, codes[i])),
                                pipeline_reason_label(codes[i], en));
        json_decref(o);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_transitions),
        cmocka_unit_test(test_reasons),
        cmocka_unit_test(test_labels_json),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
