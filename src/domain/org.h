/*
 * org.h — organisations: kinds and the rules a record must satisfy (no I/O).
 */
#ifndef KC_DOMAIN_ORG_H
#define KC_DOMAIN_ORG_H

#include <jansson.h>
#include <stdbool.h>

/* One organisation kind. */
struct org_kind {
    const char *code;    /* "enterprise", ... */
    const char *name_zh; /* Chinese label */
    const char *name_en; /* English label */
};

/* The kinds, ended by a NULL code. */
extern const struct org_kind org_kinds[];

/* A rule violation: which field and which error code (api/msg.c). */
struct org_problem {
    const char *field; /* JSON key */
    const char *code;  /* error code */
};

/* Checks the self-contained rules of a complete record o (kind, name, USCC check
 * character, email and phone shapes). Returns true when valid; otherwise fills *p with
 * the first problem. References to other tables (region, industry, chains) are checked
 * by the caller against the store. */
bool org_check(json_t *o, struct org_problem *p);
/* True when the embedded GB 11714 organisation-code check of a valid USCC fails (a
 * warning, never an error). */
bool org_uscc_warning(const char *uscc);

#endif
