/*
 * routes.c — the static route table. Every route names who may call it; the router
 * checks that before the handler runs (default deny). /openapi.json is generated from
 * this table.
 */
#include "api/handlers.h"
#include "api/handlers_ladder.h"
#include "api/handlers_market.h"
#include "api/handlers_deals.h"
#include "api/handlers_plans.h"
#include "api/handlers_import.h"
#include "api/handlers_assess.h"
#include "api/handlers_points.h"
#include "http/http.h"

#define PUB ROUTE_PUBLIC, 0
#define SES ROUTE_SESSION, 0
#define CAP(c) ROUTE_CAP, (c)
#define LIST_Q "page,page_size,sort"
#define XLSX "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

const struct route http_routes[] = {
    {"GET", "/healthz", PUB, api_healthz, "Health check", "ops", NULL, NULL, NULL},
    {"GET", "/metrics", PUB, api_metrics, "Prometheus metrics", "ops", NULL, NULL, "text/plain"},
    {"GET", "/openapi.json", PUB, api_openapi, "This document", "ops", NULL, NULL, NULL},

    {"POST", "/api/v1/session", PUB, api_session_create, "Log in (sets the session cookie)",
     "session", "Login", NULL, NULL},
    {"GET", "/api/v1/session", SES, api_session_get, "The current session and CSRF token",
     "session", NULL, NULL, NULL},
    {"DELETE", "/api/v1/session", SES, api_session_delete, "Log out", "session", NULL, NULL,
     NULL},
    {"PATCH", "/api/v1/me", SES, api_me_patch, "Change own language or display name", "session",
     "MePatch", NULL, NULL},
    {"POST", "/api/v1/me/password", SES, api_me_password, "Change own password", "session",
     "PasswordChange", NULL, NULL},
    {"GET", "/api/v1/me/summary", SES, api_me_summary, "Counts for the home page", "session",
     NULL, NULL, NULL},

    {"GET", "/api/v1/me/tokens", SES, api_tokens_list, "Own API tokens (never the secret)",
     "session", NULL, NULL, NULL},
    {"POST", "/api/v1/me/tokens", SES, api_tokens_create,
     "Create an API token for integrations (shown once)", "session", "TokenInput", NULL, NULL},
    {"DELETE", "/api/v1/me/tokens/{id}", SES, api_tokens_delete, "Revoke an API token",
     "session", NULL, NULL, NULL},

    {"GET", "/api/v1/regions", CAP(CAP_REGION_READ), api_regions_tree, "The region tree",
     "regions", NULL, NULL, NULL},
    {"GET", "/api/v1/regions/{code}", CAP(CAP_REGION_READ), api_regions_get,
     "One region with children and historical aliases", "regions", NULL, NULL, NULL},
    {"GET", "/api/v1/dicts/{name}", CAP(CAP_REGION_READ), api_dicts_get,
     "A dictionary: industries, sei, org_kinds, roles", "dicts", NULL, NULL, NULL},
    {"GET", "/api/v1/chains", CAP(CAP_REGION_READ), api_chains_list,
     "Industry chains of a region, its ancestors and descendants", "dicts", NULL, "region_code",
     NULL},
    {"GET", "/api/v1/chains/export", CAP(CAP_REGION_READ), api_chains_export,
     "Export the industry chains of a region as XLSX", "dicts", NULL, "region_code", XLSX},
    {"POST", "/api/v1/chains", CAP(CAP_DICT_WRITE), api_chains_create, "Add an industry chain",
     "dicts", "ChainInput", NULL, NULL},
    {"PATCH", "/api/v1/chains/{id}", CAP(CAP_DICT_WRITE), api_chains_patch,
     "Rename or regroup an industry chain", "dicts", "ChainInput", NULL, NULL},
    {"DELETE", "/api/v1/chains/{id}", CAP(CAP_DICT_WRITE), api_chains_delete,
     "Delete an unused industry chain", "dicts", NULL, NULL, NULL},

    {"GET", "/api/v1/orgs", CAP(CAP_ORG_READ), api_orgs_list, "List organisations in scope",
     "orgs", NULL, LIST_Q ",q,kind,region_code,industry_code,chain", NULL},
    {"GET", "/api/v1/orgs/export", CAP(CAP_ORG_READ), api_orgs_export,
     "Export organisations in scope as XLSX", "orgs", NULL,
     "sort,q,kind,region_code,industry_code,chain", XLSX},
    {"GET", "/api/v1/orgs/{id}", CAP(CAP_ORG_READ), api_orgs_get,
     "One organisation with its name history", "orgs", NULL, NULL, NULL},
    {"POST", "/api/v1/orgs", CAP(CAP_ORG_WRITE), api_orgs_create, "Create an organisation",
     "orgs", "OrgInput", NULL, NULL},
    {"PATCH", "/api/v1/orgs/{id}", CAP(CAP_ORG_WRITE), api_orgs_patch, "Edit an organisation",
     "orgs", "OrgInput", NULL, NULL},

    {"GET", "/api/v1/users", CAP(CAP_USER_READ), api_users_list, "List users in scope", "users",
     NULL, LIST_Q ",q,role,region_code,status", NULL},
    {"GET", "/api/v1/users/export", CAP(CAP_USER_READ), api_users_export,
     "Export users in scope as XLSX", "users", NULL, "sort,q,role,region_code,status", XLSX},
    {"GET", "/api/v1/users/{id}", CAP(CAP_USER_READ), api_users_get, "One user", "users", NULL,
     NULL, NULL},
    {"POST", "/api/v1/users", CAP(CAP_USER_WRITE), api_users_create, "Create a user", "users",
     "UserInput", NULL, NULL},
    {"PATCH", "/api/v1/users/{id}", CAP(CAP_USER_WRITE), api_users_patch,
     "Edit a user (role, region, organisation, status)", "users", "UserInput", NULL, NULL},
    {"POST", "/api/v1/users/{id}/password", CAP(CAP_USER_WRITE), api_users_password,
     "Set a user's password", "users", "PasswordReset", NULL, NULL},

    {"GET", "/api/v1/audit", CAP(CAP_AUDIT_READ), api_audit_list, "The audit log, newest first",
     "audit", NULL, "page,page_size,entity,entity_id,user,action,from,to", NULL},
    {"GET", "/api/v1/audit/export", CAP(CAP_AUDIT_READ), api_audit_export,
     "Export the audit log as XLSX", "audit", NULL, "entity,entity_id,user,action,from,to",
     XLSX},
    {"GET", "/api/v1/audit/verify", CAP(CAP_AUDIT_READ), api_audit_verify,
     "Verify the SM3 hash chain", "audit", NULL, NULL, NULL},

/* Each product module keeps its routes in its own file (no merge hotspot here). */
#include "api/routes_ladder.inc"
#include "api/routes_market.inc"
#include "api/routes_deals.inc"
#include "api/routes_plans.inc"
#include "api/routes_import.inc"
#include "api/routes_assess.inc"
#include "api/routes_points.inc"
};

const size_t http_routes_count = sizeof(http_routes) / sizeof(http_routes[0]);
