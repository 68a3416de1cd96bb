/*
 * server.c — the libmicrohttpd adapter.
 *
 * Thread pool (one per core) with epoll. The access handler returns MHD_YES on the first
 * call (headers only) and queues the reply on a later call: queueing on the first call
 * makes 0.9.75 close the connection after every response (6x slower, see
 * research/engineering.md). The body is collected up to a limit (413 beyond it), then
 * the router (router.c) dispatches.
 */
#include "http/http.h"
#include "http/internal.h"
#include "core/log.h"
#include "core/timeutil.h"
#include "core/xalloc.h"
#include "db/db.h"

#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static struct MHD_Daemon *daemon_;
static size_t body_limit = 1 << 20;
static uint64_t upload_limit = (uint64_t)256 << 20; /* ROUTE_UPLOAD bodies */
static char upload_dir[4096] = "/tmp";             /* where they are stored */

/* Security headers on every reply. */
static void add_common_headers(struct MHD_Response *resp)
{
    MHD_add_response_header(resp, "Content-Security-Policy",
                            "default-src 'self'; script-src 'self'; style-src 'self' "
                            "'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; "
                            "connect-src 'self'; object-src 'none'; base-uri 'self'; "
                            "form-action 'self'; frame-ancestors 'none'");
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, "X-Frame-Options", "DENY");
    MHD_add_response_header(resp, "Referrer-Policy", "same-origin");
}

/* Stores a reply on the request; the access handler queues it. */
void http_set_response(struct http_req *r, int status, struct MHD_Response *resp)
{
    if (r->resp) /* a handler replied twice: keep the first */
    {
        MHD_destroy_response(resp);
        return;
    }
    add_common_headers(resp);
    if (r->set_cookie)
        MHD_add_response_header(resp, "Set-Cookie", r->set_cookie);
    r->resp = resp;
    r->status = status;
    r->replied = true;
}

void http_reply_json(struct http_req *r, int status, struct buf *out)
{
    size_t len;
    char *data = buf_take(out, &len);
    struct MHD_Response *resp =
        MHD_create_response_from_buffer(len, data, MHD_RESPMEM_MUST_FREE);
    MHD_add_response_header(resp, "Content-Type", "application/json; charset=utf-8");
    MHD_add_response_header(resp, "Cache-Control", "no-store");
    http_set_response(r, status, resp);
}

void http_reply_bytes(struct http_req *r, int status, const char *mime, char *data, size_t len,
                      const char *filename)
{
    struct MHD_Response *resp =
        MHD_create_response_from_buffer(len, data, MHD_RESPMEM_MUST_FREE);
    MHD_add_response_header(resp, "Content-Type", mime);
    MHD_add_response_header(resp, "Cache-Control", "no-store");
    if (filename) {
        char cd[256];
        snprintf(cd, sizeof(cd), "attachment; filename=\"%s\"", filename);
        MHD_add_response_header(resp, "Content-Disposition", cd);
    }
    http_set_response(r, status, resp);
}

void http_reply_fd(struct http_req *r, int status, const char *mime, int fd,
                   const char *filename)
{
    struct stat stt;
    if (fstat(fd, &stt) != 0) {
        close(fd);
        http_reply_error(r, 500, "internal", NULL);
        return;
    }
    struct MHD_Response *resp = MHD_create_response_from_fd64((uint64_t)stt.st_size, fd);
    if (!resp) {
        close(fd);
        http_reply_error(r, 500, "internal", NULL);
        return;
    }
    MHD_add_response_header(resp, "Content-Type", mime);
    MHD_add_response_header(resp, "Cache-Control", "no-store");
    if (filename) {
        char cd[256];
        snprintf(cd, sizeof(cd), "attachment; filename=\"%s\"", filename);
        MHD_add_response_header(resp, "Content-Disposition", cd);
    }
    http_set_response(r, status, resp);
}

const char *http_query(struct http_req *r, const char *name)
{
    return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, name);
}

const char *http_header(struct http_req *r, const char *name)
{
    return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
}

/* Creates the per-request state on the first callback. */
static struct http_req *req_new(struct MHD_Connection *conn, const char *method, const char *url)
{
    struct http_req *r = xcalloc(1, sizeof(*r));
    r->conn = conn;
    r->t0_ns = time_mono_ns();
    r->method = arena_strdup(&r->arena, method);
    r->path = arena_strdup(&r->arena, url);
    r->route_idx = -1;
    r->upload_fd = -1;
    unsigned char id[8];
    randombytes_buf(id, sizeof(id));
    sodium_bin2hex(r->request_id, sizeof(r->request_id), id, sizeof(id));
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    strcpy(r->ip, "-");
    if (ci && ci->client_addr) {
        const struct sockaddr *sa = ci->client_addr;
        if (sa->sa_family == AF_INET)
            inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, r->ip, sizeof(r->ip));
        else if (sa->sa_family == AF_INET6)
            inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, r->ip,
                      sizeof(r->ip));
    }
    const char *al = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Accept-Language");
    r->en = al && (al[0] == 'e' || al[0] == 'E') && (al[1] == 'n' || al[1] == 'N');
    return r;
}

/* Closes and removes an upload's temporary file. */
static void upload_discard(struct http_req *r)
{
    if (r->upload_fd >= 0)
        close(r->upload_fd);
    r->upload_fd = -1;
    if (r->upload_path)
        unlink(r->upload_path);
    free(r->upload_path);
    r->upload_path = NULL;
}

/* First call of an upload route: a declared size over the limit is refused (the body
 * is then read and dropped, so the client sees the 413 instead of a reset connection);
 * access is checked before any byte is stored; the temporary file is opened. A refusal
 * is stored on r and queued once the body has been read. */
static void upload_begin(struct http_req *r, const char *content_length)
{
    r->upload = true;
    if (content_length && strtoull(content_length, NULL, 10) > upload_limit) {
        r->too_large = true;
        return;
    }
    if (!router_admit(r))
        return;
    char path[4200];
    snprintf(path, sizeof(path), "%s/upload-XXXXXX", upload_dir);
    r->upload_fd = mkstemp(path);
    if (r->upload_fd < 0) {
        log_msg(LOG_ERROR, "cannot create an upload file", "dir", upload_dir, NULL);
        r->upload_error = true;
        return;
    }
    r->upload_path = xstrdup(path);
}

/* Appends a chunk of an upload to its file, within the limit. */
static void upload_chunk(struct http_req *r, const char *data, size_t n)
{
    if (r->replied || r->too_large || r->upload_error || r->upload_fd < 0)
        return; /* refused or failed: the rest of the body is discarded */
    if (r->upload_len + n > upload_limit) {
        r->too_large = true;
        upload_discard(r);
        return;
    }
    while (n) {
        ssize_t w = write(r->upload_fd, data, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            log_msg(LOG_ERROR, "cannot write an upload file", "dir", upload_dir, NULL);
            r->upload_error = true;
            upload_discard(r);
            return;
        }
        data += w;
        n -= (size_t)w;
        r->upload_len += (uint64_t)w;
    }
}

/* libmicrohttpd access handler. */
static enum MHD_Result on_access(void *cls, struct MHD_Connection *conn, const char *url,
                                 const char *method, const char *version,
                                 const char *upload_data, size_t *upload_size, void **con_cls)
{
    (void)cls;
    (void)version;
    struct http_req *r = *con_cls;
    if (!r) {
        r = req_new(conn, method, url);
        *con_cls = r;
        const char *cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Length");
        int ri = router_find(r);
        if (ri >= 0 && (http_routes[ri].flags & ROUTE_UPLOAD)) {
            upload_begin(r, cl);
            return MHD_YES;
        }
        if (cl && strtoull(cl, NULL, 10) > body_limit)
            r->too_large = true;
        return MHD_YES;
    }
    if (*upload_size && r->upload) {
        upload_chunk(r, upload_data, *upload_size);
        *upload_size = 0;
        return MHD_YES;
    }
    if (*upload_size) {
        if (!r->too_large) {
            if (r->body.len + *upload_size > body_limit) {
                r->too_large = true;
                buf_free(&r->body);
            } else {
                buf_append(&r->body, upload_data, *upload_size);
            }
        }
        *upload_size = 0;
        return MHD_YES;
    }
    if (r->upload && r->upload_fd >= 0) {
        close(r->upload_fd); /* complete: the handler reads it by path */
        r->upload_fd = -1;
    }
    if (!r->replied)
        router_dispatch(r, body_limit);
    if (!r->resp)
        http_reply_error(r, 500, "internal", NULL);
    enum MHD_Result ok = MHD_queue_response(conn, (unsigned)r->status, r->resp);
    MHD_destroy_response(r->resp);
    r->resp = NULL;
    return ok;
}

/* Called when a request ends: logs it, counts it, frees its memory. */
static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    (void)cls;
    (void)conn;
    (void)toe;
    struct http_req *r = *con_cls;
    if (!r)
        return;
    double ms = (double)(time_mono_ns() - r->t0_ns) / 1e6;
    int status = r->status ? r->status : 499;
    const char *route = r->route_idx >= 0 ? http_routes[r->route_idx].pattern : "-";
    metrics_request(r->route_idx, status, ms / 1000.0);
    struct log_access a = {r->request_id, r->method,   r->path, route, status, ms,
                           r->have_user ? r->user.id : 0, r->ip};
    log_access(&a);
    if (r->resp)
        MHD_destroy_response(r->resp);
    upload_discard(r);
    buf_free(&r->body);
    arena_free(&r->arena);
    free(r);
    *con_cls = NULL;
}

/* Tracks open connections for /metrics. */
static void on_connection(void *cls, struct MHD_Connection *conn, void **socket_context,
                          enum MHD_ConnectionNotificationCode toe)
{
    (void)cls;
    (void)conn;
    (void)socket_context;
    metrics_connection(toe == MHD_CONNECTION_NOTIFY_STARTED ? 1 : -1);
}

/* MHD's own error messages go to our structured log. */
static void on_mhd_log(void *cls, const char *fmt, va_list ap)
{
    (void)cls;
    char msg[512];
    vsnprintf(msg, sizeof(msg), fmt, ap);
    size_t n = strlen(msg);
    while (n && (msg[n - 1] == '\n' || msg[n - 1] == '\r'))
        msg[--n] = '\0';
    log_msg(LOG_WARN, "http", "detail", msg, NULL);
}

int http_start(const struct http_config *cfg, unsigned *port_out)
{
    body_limit = cfg->body_limit;
    if (cfg->upload_limit)
        upload_limit = cfg->upload_limit;
    if (cfg->upload_dir)
        snprintf(upload_dir, sizeof(upload_dir), "%s", cfg->upload_dir);
    struct sockaddr_in sa;
    memset(&sa, 0, sizeof(sa));
    sa.sin_family = AF_INET;
    sa.sin_port = htons((uint16_t)cfg->port);
    if (inet_pton(AF_INET, cfg->listen_host, &sa.sin_addr) != 1) {
        log_msg(LOG_ERROR, "bad listen address", "host", cfg->listen_host, NULL);
        return KC_ERR_IO;
    }
    unsigned threads = cfg->threads;
    if (!threads) {
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        threads = n > 0 ? (unsigned)n : 2;
    }
    daemon_ = MHD_start_daemon(
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ERROR_LOG, 0, NULL, NULL,
        on_access, NULL, MHD_OPTION_EXTERNAL_LOGGER, on_mhd_log, NULL, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
        MHD_OPTION_THREAD_POOL_SIZE, threads, MHD_OPTION_CONNECTION_LIMIT, 4096u,
        MHD_OPTION_CONNECTION_TIMEOUT, cfg->conn_timeout_s, MHD_OPTION_CONNECTION_MEMORY_LIMIT,
        (size_t)64 * 1024, MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL,
        MHD_OPTION_NOTIFY_CONNECTION, on_connection, NULL, MHD_OPTION_END);
    if (!daemon_) {
        log_msg(LOG_ERROR, "cannot start the HTTP server", "host", cfg->listen_host, NULL);
        return KC_ERR_IO;
    }
    const union MHD_DaemonInfo *di = MHD_get_daemon_info(daemon_, MHD_DAEMON_INFO_BIND_PORT);
    *port_out = di ? di->port : cfg->port;
    return 0;
}

void http_stop(void)
{
    if (daemon_)
        MHD_stop_daemon(daemon_);
    daemon_ = NULL;
}
