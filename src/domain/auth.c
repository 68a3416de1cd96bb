/* auth.c — the role table, capability names and region scope. */
#include "domain/auth.h"

#include <string.h>

#define ALL_CAPS 0x7FFFFFu

/* Shorthands for the role table. */
#define BASE (CAP_ORG_READ | CAP_REGION_READ | CAP_MARKET_READ)
#define OFFICER (BASE | CAP_ORG_WRITE | CAP_ENT_READ | CAP_ENT_WRITE | CAP_ENT_VERIFY | \
                 CAP_ENT_IMPORT | CAP_DEMAND_WRITE | CAP_ACH_WRITE | CAP_DEAL_WRITE | \
                 CAP_CONTRACT_WRITE | CAP_EVENT_WRITE | CAP_PLAN_READ | CAP_OBS_REPORT)

/* The role table: capabilities and scope per role (PRODUCT.md "Users and roles"). */
const struct role auth_roles[] = {
    {"admin", "系统管理员", "Administrator", ALL_CAPS, SCOPE_ALL},
    {"city_officer", "市科技局", "City officer",
     OFFICER | CAP_USER_READ | CAP_DICT_WRITE | CAP_RULE_WRITE | CAP_PLAN_WRITE |
         CAP_OBS_VERIFY | CAP_ASSESS_RUN,
     SCOPE_REGION},
    {"county_officer", "县科技局", "County officer", OFFICER, SCOPE_REGION},
    {"enterprise", "企业", "Enterprise",
     BASE | CAP_ORG_WRITE | CAP_ENT_READ | CAP_ENT_WRITE | CAP_DEMAND_WRITE | CAP_ACH_WRITE,
     SCOPE_ORG},
    {"institution", "高校院所", "Institution", BASE | CAP_ORG_WRITE | CAP_ACH_WRITE, SCOPE_ORG},
    {"provider", "服务机构", "Service provider", BASE | CAP_ORG_WRITE, SCOPE_ORG},
    {"broker", "技术经纪人", "Technology broker",
     BASE | CAP_DEAL_WRITE | CAP_CONTRACT_WRITE | CAP_EVENT_WRITE, SCOPE_REGION},
    {"expert", "评审专家", "Expert", BASE, SCOPE_ORG},
    {NULL, NULL, NULL, 0, SCOPE_ALL},
};

static const char *cap_names[] = {
    "org.read",      "org.write",      "user.read",     "user.write",   "audit.read",
    "dict.write",    "region.read",    "ent.read",      "ent.write",    "ent.verify",
    "ent.import",    "rule.write",     "market.read",   "demand.write", "achievement.write",
    "deal.write",    "contract.write", "event.write",   "plan.read",    "plan.write",
    "obs.report",    "obs.verify",     "assess.run"};

const struct role *auth_role(const char *code)
{
    if (!code)
        return NULL;
    for (const struct role *r = auth_roles; r->code; r++)
        if (strcmp(r->code, code) == 0)
            return r;
    return NULL;
}

const char *auth_cap_name(unsigned i)
{
    return i < sizeof(cap_names) / sizeof(cap_names[0]) ? cap_names[i] : NULL;
}

/* Strips trailing "00" pairs: the administrative prefix of a code. */
void auth_region_prefix(const char *code, char out[7])
{
    size_t n = strnlen(code, 6);
    memcpy(out, code, n);
    out[n] = '\0';
    while (n >= 2 && out[n - 1] == '0' && out[n - 2] == '0') {
        n -= 2;
        out[n] = '\0';
    }
}

/* Sets lo/hi for a prefix: lo = prefix, hi = prefix with its last byte + 1. */
void auth_scope_prefix(struct scope *s, const char *prefix)
{
    size_t n = strnlen(prefix, 6);
    memcpy(s->lo, prefix, n);
    s->lo[n] = '\0';
    if (n == 0) {
        strcpy(s->hi, "~");
    } else {
        memcpy(s->hi, prefix, n);
        s->hi[n - 1]++;
        s->hi[n] = '\0';
    }
}

void auth_scope_for(struct auth_user *u)
{
    memset(&u->scope, 0, sizeof(u->scope));
    if (u->role->scope == SCOPE_ALL) {
        auth_scope_prefix(&u->scope, "");
        return;
    }
    char prefix[7];
    auth_region_prefix(u->region_code, prefix);
    auth_scope_prefix(&u->scope, prefix);
    if (u->role->scope == SCOPE_ORG)
        u->scope.org_id = u->org_id ? u->org_id : -1;
}

bool auth_region_in_scope(const struct auth_user *u, const char *region_code)
{
    return strcmp(region_code, u->scope.lo) >= 0 && strcmp(region_code, u->scope.hi) < 0;
}

bool auth_can(const struct auth_user *u, unsigned caps)
{
    return (u->role->caps & caps) == caps;
}
