/* ops.c (api) — health, metrics, the OpenAPI document and the home-page summary. */
#include "api/api.h"
#include "api/handlers.h"
#include "db/db.h"
#include "store/org.h"
#include "store/user.h"

#include <string.h>

/* GET /healthz — also proves this worker can reach the database. */
int api_healthz(struct http_req *r)
{
    struct db *db = db_thread();
    int64_t one = 0;
    struct buf out = {0};
    if (!db || db_scalar(db_prep(db, "SELECT 1"), &one) != 0 || one != 1) {
        buf_puts(&out, "{\"status\":\"unavailable\"}");
        http_reply_json(r, 503, &out);
        return 0;
    }
    buf_puts(&out, "{\"status\":\"ok\"}");
    http_reply_json(r, 200, &out);
    return 0;
}

/* GET /metrics */
int api_metrics(struct http_req *r)
{
    struct buf out = {0};
    http_metrics(&out);
    size_t len;
    char *data = buf_take(&out, &len);
    http_reply_bytes(r, 200, "text/plain; version=0.0.4; charset=utf-8", data, len, NULL);
    return 0;
}

/* GET /openapi.json */
int api_openapi(struct http_req *r)
{
    struct buf out = {0};
    http_openapi(&out);
    http_reply_json(r, 200, &out);
    return 0;
}

/* GET /api/v1/me/summary — counts of what the caller can see (null = not visible). */
int api_me_summary(struct http_req *r)
{
    struct db *db = api_db(r);
    if (!db)
        return 0;
    struct org_filter of;
    memset(&of, 0, sizeof(of));
    auth_scope_prefix(&of.region, "");
    int64_t orgs = 0, users = 0, audit = 0, regions = 0, enterprises = 0;
    int rc = org_count(db, &r->user.scope, &of, &orgs);
    of.kind = "enterprise";
    if (!rc)
        rc = org_count(db, &r->user.scope, &of, &enterprises);
    bool see_users = auth_can(&r->user, CAP_USER_READ);
    bool see_audit = auth_can(&r->user, CAP_AUDIT_READ);
    if (!rc && see_users) {
        struct user_filter uf;
        memset(&uf, 0, sizeof(uf));
        auth_scope_prefix(&uf.region, "");
        rc = user_count(db, &r->user.scope, &uf, &users);
    }
    if (!rc && see_audit)
        rc = db_scalar(db_prep(db, "SELECT count(*) FROM audit_log"), &audit);
    if (!rc)
        rc = db_scalar(db_query(db,
                                "SELECT count(*) FROM regions WHERE code >= ? AND code < ? "
                                "AND level <> 'country'",
                                "ss", r->user.scope.lo, r->user.scope.hi),
                       &regions);
    if (rc) {
        api_fail(r, rc, NULL, NULL);
        return 0;
    }
    struct buf out = {0};
    struct jw w;
    jw_init(&w, &out);
    jw_obj_open(&w);
    jw_key(&w, "counts");
    jw_obj_open(&w);
    jw_kint(&w, "orgs", orgs);
    jw_kint(&w, "enterprises", enterprises);
    if (see_users)
        jw_kint(&w, "users", users);
    else
        jw_knull(&w, "users");
    if (see_audit)
        jw_kint(&w, "audit", audit);
    else
        jw_knull(&w, "audit");
    jw_kint(&w, "regions", regions);
    jw_obj_close(&w);
    jw_obj_close(&w);
    http_reply_json(r, 200, &out);
    return 0;
}
