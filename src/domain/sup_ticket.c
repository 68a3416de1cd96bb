/* sup_ticket.c — the supervision ticket state machine (see sup_ticket.h). */
#include "domain/sup_ticket.h"
#include "core/err.h"

#include <stddef.h>
#include <string.h>

/* Status names, indexed by enum sup_status. */
static const char *const status_names[] = {"open", "answered", "escalated", "closed"};

bool sup_status_parse(const char *name, enum sup_status *out)
{
    for (size_t i = 0; name && i < sizeof(status_names) / sizeof(status_names[0]); i++)
        if (strcmp(name, status_names[i]) == 0) {
            *out = (enum sup_status)i;
            return true;
        }
    return false;
}

const char *sup_status_name(enum sup_status s)
{
    return (unsigned)s < sizeof(status_names) / sizeof(status_names[0]) ? status_names[s] : "?";
}

const char *sup_reminder_name(enum sup_reminder r)
{
    return r == SUP_REMIND_DUE_SOON ? "due_soon" : r == SUP_REMIND_OVERDUE ? "overdue" : "";
}

int sup_transition(enum sup_status from, enum sup_action action, int *level, enum sup_status *to)
{
    if (from == SUP_CLOSED)
        return KC_ERR_CONFLICT;
    switch (action) {
    case SUP_ANSWER:
        if (from == SUP_ANSWERED)
            return KC_ERR_CONFLICT;
        *to = SUP_ANSWERED;
        return 0;
    case SUP_CLOSE:
        *to = SUP_CLOSED;
        return 0;
    case SUP_ESCALATE:
        if (*level >= SUP_MAX_LEVEL)
            return KC_ERR_CONFLICT;
        (*level)++;
        *to = SUP_ESCALATED;
        return 0;
    }
    return KC_ERR_CONFLICT;
}

int sup_deadline_days(int level)
{
    return level <= 1 ? 15 : level == 2 ? 10 : 5;
}

enum sup_reminder sup_reminder_due(enum sup_status status, int64_t deadline_day, int64_t today_day)
{
    if (status != SUP_OPEN && status != SUP_ESCALATED)
        return SUP_REMIND_NONE;
    if (today_day > deadline_day)
        return SUP_REMIND_OVERDUE;
    if (deadline_day - today_day <= SUP_DUE_SOON_DAYS)
        return SUP_REMIND_DUE_SOON;
    return SUP_REMIND_NONE;
}
