/*
 * auth.h — roles, capabilities and region scope.
 *
 * A role grants a set of capabilities (checked by the router before any handler) and
 * determines the data scope applied by the store on every query: everything (admin),
 * the records whose region code starts with the user's region prefix (officers,
 * brokers), or the user's own organisation only (enterprise, institution, provider,
 * expert).
 */
#ifndef KC_AUTH_H
#define KC_AUTH_H

#include <stdbool.h>
#include <stdint.h>

/* Capabilities, one bit each. */
enum cap {
    CAP_ORG_READ = 1u << 0,    /* read organisations in scope */
    CAP_ORG_WRITE = 1u << 1,   /* create / edit organisations in scope */
    CAP_USER_READ = 1u << 2,   /* read users in scope */
    CAP_USER_WRITE = 1u << 3,  /* manage users */
    CAP_AUDIT_READ = 1u << 4,  /* read and export the audit log */
    CAP_DICT_WRITE = 1u << 5,  /* edit dictionaries (industry chains) in scope */
    CAP_REGION_READ = 1u << 6, /* read the region tree and dictionaries */
    /* module 2: enterprises and the cultivation ladder */
    CAP_ENT_READ = 1u << 7,    /* read enterprise profiles, years, certificates in scope */
    CAP_ENT_WRITE = 1u << 8,   /* edit profiles, yearly data, certificates in scope */
    CAP_ENT_VERIFY = 1u << 9,  /* verify yearly data (locks it), record certificates */
    CAP_ENT_IMPORT = 1u << 10, /* bulk import enterprises and yearly data */
    CAP_RULE_WRITE = 1u << 11, /* edit configurable rule sets (创新积分) and pool margins */
    /* module 3: technology market */
    CAP_MARKET_READ = 1u << 12,  /* read demands, achievements, experts in scope */
    CAP_DEMAND_WRITE = 1u << 13, /* post and edit technology demands */
    CAP_ACH_WRITE = 1u << 14,    /* post and edit achievements and experts */
    CAP_DEAL_WRITE = 1u << 15,   /* the brokerage pipeline: matches and their stages */
    CAP_CONTRACT_WRITE = 1u << 16, /* register technology contracts */
    CAP_EVENT_WRITE = 1u << 17,    /* organise roadshows */
    /* module 7: plans, targets and assessment */
    CAP_PLAN_READ = 1u << 18,    /* read plans, targets, observations, tickets in scope */
    CAP_PLAN_WRITE = 1u << 19,   /* define plans, tasks, indicators, targets */
    CAP_OBS_REPORT = 1u << 20,   /* submit reported indicator values, answer tickets */
    CAP_OBS_VERIFY = 1u << 21,   /* verify reported values, close or escalate tickets */
    CAP_ASSESS_RUN = 1u << 22    /* define assessment schemes and run assessments */
};

/* How a role's data scope is computed. */
enum scope_kind {
    SCOPE_ALL,    /* every record */
    SCOPE_REGION, /* records under the user's region */
    SCOPE_ORG     /* the user's own organisation only */
};

/* One role. */
struct role {
    const char *code;        /* "admin", "city_officer", ... */
    const char *name_zh;     /* Chinese label */
    const char *name_en;     /* English label */
    unsigned caps;           /* granted capabilities */
    enum scope_kind scope;   /* data scope */
};

/* The roles, ended by an entry with code NULL. */
extern const struct role auth_roles[];

/* Finds a role by code; NULL when unknown. */
const struct role *auth_role(const char *code);
/* Capability names ("org.read", ...) by bit index; NULL past the last. */
const char *auth_cap_name(unsigned bit_index);

/* The data scope: records with lo <= region_code < hi, and, when org_id != 0, only the
 * organisation with that id (-1 = none at all). */
struct scope {
    char lo[8];     /* region prefix, "" for all */
    char hi[8];     /* the prefix with its last character incremented, "~" for all */
    int64_t org_id; /* 0 = not restricted to one organisation */
};

/* A logged-in user as the request sees it. */
struct auth_user {
    int64_t id;                 /* users.id */
    char username[65];          /* login name */
    char display_name[257];     /* shown name (≤ 64 characters of UTF-8) */
    const struct role *role;    /* role (never NULL for a loaded user) */
    char region_code[7];        /* GB/T 2260 code */
    int64_t org_id;             /* own organisation, 0 if none */
    char lang[8];               /* "zh-CN" or "en" */
    int64_t session_id;         /* sessions.id */
    char csrf[65];              /* the session's CSRF token */
    struct scope scope;         /* computed data scope */
};

/* Region prefix of a code: 330000 → "33", 330400 → "3304", 330402 → "330402",
 * 000000 → "" (everything). out must hold 7 bytes. */
void auth_region_prefix(const char *code, char out[7]);
/* Computes the scope for a user from role, region and organisation. */
void auth_scope_for(struct auth_user *u);
/* A scope that sees a region prefix only (used by filters). */
void auth_scope_prefix(struct scope *s, const char *prefix);
/* True when region code is inside the user's region scope. */
bool auth_region_in_scope(const struct auth_user *u, const char *region_code);
/* True when u holds every bit of caps. */
bool auth_can(const struct auth_user *u, unsigned caps);

#endif
