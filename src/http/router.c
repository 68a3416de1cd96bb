/*
 * router.c — matches a request against the static route table and enforces access:
 * session, CSRF on unsafe methods, then the route's capability. Default deny: a route
 * without an explicit ROUTE_PUBLIC needs a session, and ROUTE_CAP routes need the bit.
 */
#include "http/internal.h"
#include "core/utf8.h"
#include "db/db.h"
#include "store/session.h"

#include <microhttpd.h>
#include <string.h>

/* Matches path against pattern; on success fills r->params and returns true. */
static bool match(struct http_req *r, const char *pattern, const char *path)
{
    int n = 0;
    const char *params[HTTP_MAX_PARAMS];
    size_t plen[HTTP_MAX_PARAMS];
    while (*pattern && *path) {
        if (*pattern == '{') {
            const char *end = strchr(pattern, '}');
            const char *seg_end = strchr(path, '/');
            if (!seg_end)
                seg_end = path + strlen(path);
            if (seg_end == path || n == HTTP_MAX_PARAMS)
                return false;
            params[n] = path;
            plen[n] = (size_t)(seg_end - path);
            n++;
            pattern = end + 1;
            path = seg_end;
            continue;
        }
        if (*pattern != *path)
            return false;
        pattern++;
        path++;
    }
    if (*pattern || *path)
        return false;
    r->n_params = n;
    for (int i = 0; i < n; i++)
        r->params[i] = arena_strndup(&r->arena, params[i], plen[i]);
    return true;
}

/* True for methods that change state. */
static bool unsafe_method(const char *m)
{
    return strcmp(m, "GET") != 0 && strcmp(m, "HEAD") != 0 && strcmp(m, "OPTIONS") != 0;
}

/* Iterator callback: flags a query argument that is not valid UTF-8. */
static enum MHD_Result check_arg(void *cls, enum MHD_ValueKind kind, const char *key,
                                 const char *value)
{
    (void)kind;
    bool *bad = cls;
    if (!utf8_valid(key, strlen(key)) || (value && !utf8_valid(value, strlen(value)))) {
        *bad = true;
        return MHD_NO;
    }
    return MHD_YES;
}

/* Loads the user from an "Authorization: Bearer" API token, or else from the session
 * cookie; fills r->user and r->bearer. */
static void authenticate(struct http_req *r, struct db *db)
{
    const char *auth = http_header(r, "Authorization");
    if (auth && strncmp(auth, "Bearer ", 7) == 0) {
        if (session_load_token(db, auth + 7, &r->user) == 0) {
            r->have_user = true;
            r->bearer = true;
        }
        return;
    }
    const char *token = MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, SESSION_COOKIE);
    if (!token || !*token)
        return;
    if (session_load(db, token, &r->user) == 0)
        r->have_user = true;
}

/* Matches r against the route table; *path_seen is set when the path exists for
 * another method. */
static const struct route *find(struct http_req *r, bool *path_seen)
{
    *path_seen = false;
    for (size_t i = 0; i < http_routes_count; i++) {
        const struct route *c = &http_routes[i];
        if (!match(r, c->pattern, r->path))
            continue;
        *path_seen = true;
        if (strcmp(c->method, r->method) == 0 ||
            (strcmp(r->method, "HEAD") == 0 && strcmp(c->method, "GET") == 0)) {
            r->route_idx = (int)i;
            return c;
        }
    }
    return NULL;
}

int router_find(struct http_req *r)
{
    bool seen;
    return find(r, &seen) ? r->route_idx : -1;
}

bool router_admit(struct http_req *r)
{
    const struct route *rt = &http_routes[r->route_idx];
    bool bad_arg = false;
    MHD_get_connection_values(r->conn, MHD_GET_ARGUMENT_KIND, check_arg, &bad_arg);
    if (bad_arg || !utf8_valid(r->path, strlen(r->path))) {
        http_reply_error(r, 400, "bad_request", NULL);
        return false;
    }
    if (rt->access != ROUTE_PUBLIC) {
        struct db *db = db_thread();
        if (!db) {
            http_reply_error(r, 500, "internal", NULL);
            return false;
        }
        authenticate(r, db);
        if (!r->have_user) {
            http_reply_error(r, 401, "unauthenticated", NULL);
            return false;
        }
        /* A cookie rides along with any request the browser sends; a bearer token does
         * not, so only cookie sessions need the CSRF token. */
        if (unsafe_method(r->method) && !r->bearer) {
            const char *t = http_header(r, "X-CSRF-Token");
            if (!t || !session_csrf_ok(&r->user, t)) {
                http_reply_error(r, 403, "csrf_failed", NULL);
                return false;
            }
        }
        if (rt->access == ROUTE_CAP && !auth_can(&r->user, rt->cap)) {
            http_reply_error(r, 403, "forbidden", NULL);
            return false;
        }
        /* The user's stored language wins over the browser's header. */
        if (!http_header(r, "Accept-Language"))
            r->en = strcmp(r->user.lang, "en") == 0;
    }
    r->admitted = true;
    return true;
}

void router_dispatch(struct http_req *r, size_t body_limit)
{
    (void)body_limit;
    if (r->too_large) {
        http_reply_error(r, 413, r->upload ? "upload_too_large" : "too_large", NULL);
        return;
    }
    if (r->upload_error) {
        http_reply_error(r, 500, "internal", NULL);
        return;
    }
    if (!r->admitted) {
        bool path_seen;
        const struct route *rt = find(r, &path_seen);
        if (!rt) {
            bool api = strncmp(r->path, "/api/", 5) == 0 || strcmp(r->path, "/api") == 0;
            if (path_seen) {
                http_reply_error(r, 405, "method_not_allowed", NULL);
                return;
            }
            if (!api && (strcmp(r->method, "GET") == 0 || strcmp(r->method, "HEAD") == 0) &&
                assets_serve(r) == 0)
                return;
            http_reply_error(r, 404, "route_not_found", NULL);
            return;
        }
        if (!router_admit(r))
            return;
    }
    http_routes[r->route_idx].fn(r);
}
