/* test_auth.c — unit tests for domain/auth (roles, capabilities, region scope). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "domain/auth.h"

/* Every capability bit, in index order (as auth_cap_name numbers them). */
static const unsigned ALL_CAPS[] = {
    CAP_ORG_READ,     CAP_ORG_WRITE,    CAP_USER_READ,    CAP_USER_WRITE,     CAP_AUDIT_READ,
    CAP_DICT_WRITE,   CAP_REGION_READ,  CAP_ENT_READ,     CAP_ENT_WRITE,      CAP_ENT_VERIFY,
    CAP_ENT_IMPORT,   CAP_RULE_WRITE,   CAP_MARKET_READ,  CAP_DEMAND_WRITE,   CAP_ACH_WRITE,
    CAP_DEAL_WRITE,   CAP_CONTRACT_WRITE, CAP_EVENT_WRITE, CAP_PLAN_READ,     CAP_PLAN_WRITE,
    CAP_OBS_REPORT,   CAP_OBS_VERIFY,   CAP_ASSESS_RUN};
#define N_CAPS (sizeof ALL_CAPS / sizeof ALL_CAPS[0])

/* What every logged-in role has, and what both officer roles have. */
#define T_BASE (CAP_ORG_READ | CAP_REGION_READ | CAP_MARKET_READ)
#define T_OFFICER                                                                              \
    (T_BASE | CAP_ORG_WRITE | CAP_ENT_READ | CAP_ENT_WRITE | CAP_ENT_VERIFY | CAP_ENT_IMPORT | \
     CAP_DEMAND_WRITE | CAP_ACH_WRITE | CAP_DEAL_WRITE | CAP_CONTRACT_WRITE | CAP_EVENT_WRITE | \
     CAP_PLAN_READ | CAP_OBS_REPORT)

/* The expected grants per role (PRODUCT.md "Users and roles", as tabled in auth.c),
 * written out independently so a changed grant fails here. */
static const struct {
    const char *code;       /* role code */
    unsigned caps;          /* expected capability set */
    enum scope_kind scope;  /* expected scope kind */
} EXPECTED[] = {
    {"admin", (1u << 23) - 1, SCOPE_ALL},
    {"city_officer",
     T_OFFICER | CAP_USER_READ | CAP_DICT_WRITE | CAP_RULE_WRITE | CAP_PLAN_WRITE |
         CAP_OBS_VERIFY | CAP_ASSESS_RUN,
     SCOPE_REGION},
    {"county_officer", T_OFFICER, SCOPE_REGION},
    {"enterprise",
     T_BASE | CAP_ORG_WRITE | CAP_ENT_READ | CAP_ENT_WRITE | CAP_DEMAND_WRITE | CAP_ACH_WRITE,
     SCOPE_ORG},
    {"institution", T_BASE | CAP_ORG_WRITE | CAP_ACH_WRITE, SCOPE_ORG},
    {"provider", T_BASE | CAP_ORG_WRITE, SCOPE_ORG},
    {"broker", T_BASE | CAP_DEAL_WRITE | CAP_CONTRACT_WRITE | CAP_EVENT_WRITE, SCOPE_REGION},
    {"expert", T_BASE, SCOPE_ORG},
};
#define N_ROLES (sizeof EXPECTED / sizeof EXPECTED[0])

/* Builds a user with role code, region and organisation, and computes its scope. */
static struct auth_user make_user(const char *role, const char *region, int64_t org_id)
{
    struct auth_user u;
    memset(&u, 0, sizeof u);
    u.id = 1;
    u.role = auth_role(role);
    assert_non_null(u.role);
    snprintf(u.region_code, sizeof u.region_code, "%s", region);
    u.org_id = org_id;
    auth_scope_for(&u);
    return u;
}

/* Prefixes strip trailing "00" pairs only. */
static void test_region_prefix(void **state)
{
    (void)state;
    char out[7];
    auth_region_prefix("330000", out);
    assert_string_equal(out, "33");
    auth_region_prefix("330400", out);
    assert_string_equal(out, "3304");
    auth_region_prefix("330402", out);
    assert_string_equal(out, "330402");
    auth_region_prefix("000000", out);
    assert_string_equal(out, "");
    auth_region_prefix("110000", out);
    assert_string_equal(out, "11");
    /* A "00" in the middle is kept: only trailing pairs go. */
    auth_region_prefix("330012", out);
    assert_string_equal(out, "330012");
    auth_region_prefix("330100", out);
    assert_string_equal(out, "3301");
    /* Only the first six characters count. */
    auth_region_prefix("3304001234", out);
    assert_string_equal(out, "3304");
}

/* lo is the prefix, hi the prefix with its last character incremented ("~" for all). */
static void test_scope_prefix(void **state)
{
    (void)state;
    struct scope s;
    memset(&s, 0x55, sizeof s);
    auth_scope_prefix(&s, "");
    assert_string_equal(s.lo, "");
    assert_string_equal(s.hi, "~");
    auth_scope_prefix(&s, "33");
    assert_string_equal(s.lo, "33");
    assert_string_equal(s.hi, "34");
    auth_scope_prefix(&s, "3304");
    assert_string_equal(s.lo, "3304");
    assert_string_equal(s.hi, "3305");
    auth_scope_prefix(&s, "330402");
    assert_string_equal(s.lo, "330402");
    assert_string_equal(s.hi, "330403");
    /* A prefix ending in 9 gets ':' (the byte after '9'), still above every digit. */
    auth_scope_prefix(&s, "3309");
    assert_string_equal(s.lo, "3309");
    assert_string_equal(s.hi, "330:");
    assert_true(strcmp("330999", s.hi) < 0);
}

/* The role table has exactly the eight roles of API.md, each with the expected
 * capabilities and scope kind, and labels in both languages. */
static void test_role_table(void **state)
{
    (void)state;
    size_t n = 0;
    for (const struct role *r = auth_roles; r->code; r++)
        n++;
    assert_int_equal(n, N_ROLES);
    for (size_t i = 0; i < N_ROLES; i++) {
        const struct role *r = auth_role(EXPECTED[i].code);
        assert_non_null(r);
        assert_string_equal(r->code, EXPECTED[i].code);
        assert_int_equal(r->caps, EXPECTED[i].caps);
        assert_int_equal(r->scope, EXPECTED[i].scope);
        assert_non_null(r->name_zh);
        assert_non_null(r->name_en);
        assert_true(strlen(r->name_zh) > 0 && strlen(r->name_en) > 0);
    }
    assert_null(auth_role("root"));
    assert_null(auth_role("Admin")); /* codes are case-sensitive */
    assert_null(auth_role(""));
    assert_null(auth_role(NULL));
}

/* Capability names by bit index, NULL past the last. */
static void test_cap_names(void **state)
{
    (void)state;
    static const char *const names[] = {
        "org.read",    "org.write",      "user.read",       "user.write",        "audit.read",
        "dict.write",  "region.read",    "ent.read",        "ent.write",         "ent.verify",
        "ent.import",  "rule.write",     "market.read",     "demand.write",      "achievement.write",
        "deal.write",  "contract.write", "event.write",     "plan.read",         "plan.write",
        "obs.report",  "obs.verify",     "assess.run"};
    for (unsigned i = 0; i < N_CAPS; i++) {
        assert_int_equal(ALL_CAPS[i], 1u << i);
        assert_string_equal(auth_cap_name(i), names[i]);
    }
    assert_null(auth_cap_name((unsigned)N_CAPS));
    assert_null(auth_cap_name(1000));
}

/* auth_can per role per capability, single bits and combinations. */
static void test_can_per_role(void **state)
{
    (void)state;
    for (size_t i = 0; i < N_ROLES; i++) {
        struct auth_user u = make_user(EXPECTED[i].code, "330402", 7);
        for (size_t c = 0; c < N_CAPS; c++) {
            bool want = (EXPECTED[i].caps & ALL_CAPS[c]) != 0;
            if (auth_can(&u, ALL_CAPS[c]) != want)
                fail_msg("role %s, capability %s: expected %d", EXPECTED[i].code,
                         auth_cap_name((unsigned)c), want);
        }
        /* Asking for nothing always succeeds; asking for everything only for admin. */
        assert_true(auth_can(&u, 0));
        assert_int_equal(auth_can(&u, EXPECTED[0].caps), strcmp(EXPECTED[i].code, "admin") == 0);
    }
    /* A combination needs every bit: the city officer reads users but cannot write
     * them. */
    struct auth_user city = make_user("city_officer", "330400", 0);
    assert_true(auth_can(&city, CAP_ORG_READ | CAP_USER_READ));
    assert_false(auth_can(&city, CAP_USER_READ | CAP_USER_WRITE));
    assert_false(auth_can(&city, CAP_AUDIT_READ));
    struct auth_user broker = make_user("broker", "330400", 0);
    assert_false(auth_can(&broker, CAP_ORG_READ | CAP_ORG_WRITE));
}

/* Admin sees everything, whatever its region. */
static void test_scope_admin(void **state)
{
    (void)state;
    struct auth_user u = make_user("admin", "330402", 0);
    assert_string_equal(u.scope.lo, "");
    assert_string_equal(u.scope.hi, "~");
    assert_int_equal(u.scope.org_id, 0);
    assert_true(auth_region_in_scope(&u, "000000"));
    assert_true(auth_region_in_scope(&u, "330402"));
    assert_true(auth_region_in_scope(&u, "110101"));
    assert_true(auth_region_in_scope(&u, "659001"));
}

/* A county officer of 330402 sees 330402 only. */
static void test_scope_county(void **state)
{
    (void)state;
    struct auth_user u = make_user("county_officer", "330402", 0);
    assert_string_equal(u.scope.lo, "330402");
    assert_string_equal(u.scope.hi, "330403");
    assert_int_equal(u.scope.org_id, 0);
    assert_true(auth_region_in_scope(&u, "330402"));
    assert_false(auth_region_in_scope(&u, "330411"));
    assert_false(auth_region_in_scope(&u, "330401"));
    assert_false(auth_region_in_scope(&u, "330403"));
    assert_false(auth_region_in_scope(&u, "330400")); /* not even its own city */
    assert_false(auth_region_in_scope(&u, "331002"));
}

/* A city officer of 330400 sees every county of the city, not another city's. */
static void test_scope_city(void **state)
{
    (void)state;
    struct auth_user u = make_user("city_officer", "330400", 0);
    assert_string_equal(u.scope.lo, "3304");
    assert_string_equal(u.scope.hi, "3305");
    assert_int_equal(u.scope.org_id, 0);
    assert_true(auth_region_in_scope(&u, "330400"));
    assert_true(auth_region_in_scope(&u, "330402"));
    assert_true(auth_region_in_scope(&u, "330411"));
    assert_true(auth_region_in_scope(&u, "330499"));
    assert_false(auth_region_in_scope(&u, "331002"));
    assert_false(auth_region_in_scope(&u, "330302"));
    assert_false(auth_region_in_scope(&u, "330500"));
    assert_false(auth_region_in_scope(&u, "330000")); /* the province is above it */
    /* The broker has a region scope too. */
    struct auth_user b = make_user("broker", "331000", 0);
    assert_true(auth_region_in_scope(&b, "331002"));
    assert_false(auth_region_in_scope(&b, "330411"));
    assert_int_equal(b.scope.org_id, 0);
}

/* A provincial scope (330000) covers the whole province and nothing else. */
static void test_scope_province(void **state)
{
    (void)state;
    struct auth_user u = make_user("city_officer", "330000", 0);
    assert_string_equal(u.scope.lo, "33");
    assert_string_equal(u.scope.hi, "34");
    assert_true(auth_region_in_scope(&u, "331002"));
    assert_true(auth_region_in_scope(&u, "330411"));
    assert_false(auth_region_in_scope(&u, "320100"));
    assert_false(auth_region_in_scope(&u, "340100"));
}

/* Organisation-bound roles are restricted to their own organisation; without one they
 * see nothing at all (org_id -1). */
static void test_scope_org_bound(void **state)
{
    (void)state;
    static const char *const org_roles[] = {"enterprise", "institution", "provider", "expert"};
    for (size_t i = 0; i < sizeof org_roles / sizeof org_roles[0]; i++) {
        struct auth_user u = make_user(org_roles[i], "330402", 42);
        assert_int_equal(u.scope.org_id, 42);
        assert_string_equal(u.scope.lo, "330402");
        struct auth_user none = make_user(org_roles[i], "330402", 0);
        assert_int_equal(none.scope.org_id, -1);
    }
    /* Region-scoped roles never get an organisation restriction, even with an org. */
    struct auth_user county = make_user("county_officer", "330402", 42);
    assert_int_equal(county.scope.org_id, 0);
    struct auth_user admin = make_user("admin", "000000", 42);
    assert_int_equal(admin.scope.org_id, 0);
}

/* auth_scope_for overwrites a previous scope completely (a role change). */
static void test_scope_recomputed(void **state)
{
    (void)state;
    struct auth_user u = make_user("enterprise", "330402", 9);
    assert_int_equal(u.scope.org_id, 9);
    u.role = auth_role("city_officer");
    snprintf(u.region_code, sizeof u.region_code, "%s", "331000");
    auth_scope_for(&u);
    assert_int_equal(u.scope.org_id, 0);
    assert_string_equal(u.scope.lo, "3310");
    assert_string_equal(u.scope.hi, "3311");
}

/* Runs the auth tests. */
int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_region_prefix),
        cmocka_unit_test(test_scope_prefix),
        cmocka_unit_test(test_role_table),
        cmocka_unit_test(test_cap_names),
        cmocka_unit_test(test_can_per_role),
        cmocka_unit_test(test_scope_admin),
        cmocka_unit_test(test_scope_county),
        cmocka_unit_test(test_scope_city),
        cmocka_unit_test(test_scope_province),
        cmocka_unit_test(test_scope_org_bound),
        cmocka_unit_test(test_scope_recomputed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
