/* test_sup_ticket.c — unit tests for domain/sup_ticket: every transition of the
 * supervision ticket state machine, escalation limits, deadlines and reminders. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/err.h"
#include "domain/sup_ticket.h"

/* Names round-trip; unknown names are refused. */
static void test_names(void **state)
{
    (void)state;
    enum sup_status s;
    for (int i = SUP_OPEN; i <= SUP_CLOSED; i++) {
        assert_true(sup_status_parse(sup_status_name((enum sup_status)i), &s));
        assert_int_equal(s, i);
    }
    assert_false(sup_status_parse("Open", &s));
    assert_false(sup_status_parse(NULL, &s));
    assert_string_equal(sup_reminder_name(SUP_REMIND_OVERDUE), "overdue");
    assert_string_equal(sup_reminder_name(SUP_REMIND_DUE_SOON), "due_soon");
    assert_string_equal(sup_reminder_name(SUP_REMIND_NONE), "");
}

/* open → answered → escalated → answered → closed; nothing after closed. */
static void test_lifecycle(void **state)
{
    (void)state;
    int level = 1;
    enum sup_status to;
    assert_int_equal(sup_transition(SUP_OPEN, SUP_ANSWER, &level, &to), 0);
    assert_int_equal(to, SUP_ANSWERED);
    assert_int_equal(sup_transition(SUP_ANSWERED, SUP_ANSWER, &level, &to), KC_ERR_CONFLICT);
    assert_int_equal(sup_transition(SUP_ANSWERED, SUP_ESCALATE, &level, &to), 0);
    assert_int_equal(to, SUP_ESCALATED);
    assert_int_equal(level, 2);
    assert_int_equal(sup_transition(SUP_ESCALATED, SUP_ANSWER, &level, &to), 0);
    assert_int_equal(to, SUP_ANSWERED);
    assert_int_equal(sup_transition(SUP_ANSWERED, SUP_CLOSE, &level, &to), 0);
    assert_int_equal(to, SUP_CLOSED);
    for (int a = SUP_ANSWER; a <= SUP_ESCALATE; a++)
        assert_int_equal(sup_transition(SUP_CLOSED, (enum sup_action)a, &level, &to),
                         KC_ERR_CONFLICT);
    assert_int_equal(level, 2);
    /* The city may close or escalate a ticket the unit has not answered yet. */
    level = 1;
    assert_int_equal(sup_transition(SUP_OPEN, SUP_CLOSE, &level, &to), 0);
    assert_int_equal(to, SUP_CLOSED);
    assert_int_equal(sup_transition(SUP_OPEN, SUP_ESCALATE, &level, &to), 0);
    assert_int_equal(to, SUP_ESCALATED);
}

/* Escalation stops at SUP_MAX_LEVEL; the level is untouched by a refused action. */
static void test_escalation_limit(void **state)
{
    (void)state;
    int level = 1;
    enum sup_status to = SUP_OPEN;
    assert_int_equal(sup_transition(SUP_OPEN, SUP_ESCALATE, &level, &to), 0);
    assert_int_equal(sup_transition(SUP_ESCALATED, SUP_ESCALATE, &level, &to), 0);
    assert_int_equal(level, SUP_MAX_LEVEL);
    assert_int_equal(sup_transition(SUP_ESCALATED, SUP_ESCALATE, &level, &to), KC_ERR_CONFLICT);
    assert_int_equal(level, SUP_MAX_LEVEL);
    assert_int_equal(sup_deadline_days(1), 15);
    assert_int_equal(sup_deadline_days(2), 10);
    assert_int_equal(sup_deadline_days(3), 5);
}

/* Reminders: due soon within 3 days of the deadline (inclusive), overdue after it, and
 * none while the city holds the ticket or after it closed. */
static void test_reminders(void **state)
{
    (void)state;
    const int64_t deadline = 20000;
    assert_int_equal(sup_reminder_due(SUP_OPEN, deadline, deadline - 4), SUP_REMIND_NONE);
    assert_int_equal(sup_reminder_due(SUP_OPEN, deadline, deadline - 3), SUP_REMIND_DUE_SOON);
    assert_int_equal(sup_reminder_due(SUP_OPEN, deadline, deadline), SUP_REMIND_DUE_SOON);
    assert_int_equal(sup_reminder_due(SUP_OPEN, deadline, deadline + 1), SUP_REMIND_OVERDUE);
    assert_int_equal(sup_reminder_due(SUP_ESCALATED, deadline, deadline + 30), SUP_REMIND_OVERDUE);
    assert_int_equal(sup_reminder_due(SUP_ANSWERED, deadline, deadline + 1), SUP_REMIND_NONE);
    assert_int_equal(sup_reminder_due(SUP_CLOSED, deadline, deadline), SUP_REMIND_NONE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_lifecycle),
        cmocka_unit_test(test_escalation_limit),
        cmocka_unit_test(test_reminders),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
