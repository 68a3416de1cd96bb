/*
 * sup_ticket.h — the supervision ticket (督查) state machine, deadlines and reminders.
 *
 * A ticket opens (status open, level 1) for the unit responsible for an off-track or
 * overdue target or an overdue task. The unit answers with a measure and evidence
 * (→ answered). The city closes it (→ closed, final) or escalates it (→ escalated, level
 * + 1, a new deadline), after which the unit answers again. Escalation stops at level 3.
 * While a ticket waits for the unit's answer (open or escalated), a reminder is due
 * when its deadline is at most SUP_DUE_SOON_DAYS away, and another once it has passed.
 * Nothing here allocates or does I/O.
 */
#ifndef KC_SUP_TICKET_H
#define KC_SUP_TICKET_H

#include <stdbool.h>
#include <stdint.h>

/* Ticket statuses. */
enum sup_status {
    SUP_OPEN,      /* waiting for the responsible unit's first answer */
    SUP_ANSWERED,  /* answered; waiting for the city */
    SUP_ESCALATED, /* escalated by the city; waiting for a new answer */
    SUP_CLOSED     /* closed by the city (final) */
};

/* What a user does to a ticket. */
enum sup_action {
    SUP_ANSWER,  /* the responsible unit answers with a measure and evidence */
    SUP_CLOSE,   /* the city closes */
    SUP_ESCALATE /* the city escalates */
};

/* Reminder kinds. */
enum sup_reminder {
    SUP_REMIND_NONE,     /* nothing due */
    SUP_REMIND_DUE_SOON, /* the deadline is near */
    SUP_REMIND_OVERDUE   /* the deadline has passed */
};

#define SUP_MAX_LEVEL 3     /* highest escalation level */
#define SUP_DUE_SOON_DAYS 3 /* a reminder this many days before the deadline */

/* Parses a status name ("open", …); false when unknown. */
bool sup_status_parse(const char *name, enum sup_status *out);
/* The name of a status. */
const char *sup_status_name(enum sup_status s);
/* The name of a reminder kind ("due_soon", "overdue"; "" for none). */
const char *sup_reminder_name(enum sup_reminder r);

/* Applies action to a ticket in status from at escalation level *level. Returns 0 and
 * sets *to (and raises *level on escalation), or KC_ERR_CONFLICT when the action is not
 * allowed in that status (anything on a closed ticket, answering an answered one,
 * escalating past SUP_MAX_LEVEL). */
int sup_transition(enum sup_status from, enum sup_action action, int *level, enum sup_status *to);
/* Days the responsible unit has to answer at an escalation level (15, 10, 5). */
int sup_deadline_days(int level);
/* The reminder due for a ticket in status with deadline day (days since the epoch) on
 * day today. */
enum sup_reminder sup_reminder_due(enum sup_status status, int64_t deadline_day, int64_t today_day);

#endif
