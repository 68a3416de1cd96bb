/*
 * http.h — requests, replies and the route table.
 *
 * The server (server.c) adapts libmicrohttpd: it collects the request body (with a size
 * limit), finds the route, loads the session, checks CSRF and the route's capability —
 * default deny — and only then calls the handler. Handlers produce exactly one reply
 * through the http_reply_* functions. Everything request-scoped lives in r->arena.
 */
#ifndef KC_HTTP_H
#define KC_HTTP_H

#include "core/arena.h"
#include "core/buf.h"
#include "domain/auth.h"

#include <stdbool.h>
#include <stdint.h>

struct MHD_Connection;
struct MHD_Response;
struct http_req;

/* What a route requires before its handler runs. */
enum route_access {
    ROUTE_PUBLIC,  /* anyone, no session needed */
    ROUTE_SESSION, /* any logged-in user */
    ROUTE_CAP      /* a logged-in user holding the route's capability */
};

/* A handler: reads r, replies through http_reply_*; returns 0 (errors are replies). */
typedef int (*route_fn)(struct http_req *r);

/* One entry of the static route table. */
struct route {
    const char *method;     /* "GET", "POST", ... */
    const char *pattern;    /* "/api/v1/orgs/{id}": {name} matches one segment */
    enum route_access access; /* who may call it */
    unsigned cap;           /* capability bit (enum cap) when access == ROUTE_CAP */
    route_fn fn;            /* the handler */
    const char *summary;    /* one line for /openapi.json */
    const char *tag;        /* OpenAPI tag */
    const char *body;       /* name of the request-body schema, or NULL */
    const char *query;      /* comma-separated query parameters, or NULL */
    const char *produces;   /* response media type; NULL means application/json */
    unsigned flags;         /* ROUTE_UPLOAD …; 0 for ordinary routes */
};

/* Route flags. ROUTE_UPLOAD: the raw request body is streamed to a temporary file under
 * the upload directory (limit: http_config.upload_limit, 413 beyond) instead of memory;
 * access is checked before the first byte is stored, and the handler finds the file in
 * r->upload_path (removed after the request unless the handler takes it). */
#define ROUTE_UPLOAD 1u

/* The application's routes (api/routes.c) and their count. */
extern const struct route http_routes[];
extern const size_t http_routes_count;

#define HTTP_MAX_PARAMS 4

/* One request in flight. */
struct http_req {
    struct MHD_Connection *conn;   /* libmicrohttpd connection */
    struct arena arena;            /* request-scoped memory */
    const char *method;            /* HTTP method */
    const char *path;              /* URL path (no query string) */
    struct buf body;               /* request body */
    bool too_large;                /* body exceeded the limit */
    bool replied;                  /* a reply was queued */
    int64_t t0_ns;                 /* monotonic start time */
    char request_id[17];           /* hex id for logs */
    char ip[64];                   /* client address */
    int route_idx;                 /* index in http_routes, or -1 */
    const char *params[HTTP_MAX_PARAMS]; /* path parameters in pattern order */
    int n_params;                  /* their count */
    bool en;                       /* reply in English (Accept-Language: en...) */
    bool have_user;                /* a valid session or API token was presented */
    bool bearer;                   /* authenticated by an API token, not a cookie */
    struct auth_user user;         /* the logged-in user when have_user */
    int status;                    /* status of the queued reply */
    struct MHD_Response *resp;     /* the reply, queued by the server */
    const char *set_cookie;        /* Set-Cookie header to add, or NULL */
    bool upload;                   /* the route streams its body to a file (ROUTE_UPLOAD) */
    bool admitted;                 /* access was checked before the body arrived */
    bool upload_error;             /* the body could not be stored */
    int upload_fd;                 /* the open temporary file, or -1 */
    char *upload_path;             /* its path (malloc'd); set to NULL to keep the file */
    uint64_t upload_len;           /* bytes stored */
};

/* Replies with a JSON body (takes the text of out, which is emptied). */
void http_reply_json(struct http_req *r, int status, struct buf *out);
/* Replies {"error":{"code","message","field"}} with the message for code in the request's
 * language (api/msg.c). field may be NULL. */
void http_reply_error(struct http_req *r, int status, const char *code, const char *field);
/* Replies with an error whose message is given (already localised). */
void http_reply_error_msg(struct http_req *r, int status, const char *code, const char *field,
                          const char *message);
/* Replies with bytes the server takes ownership of (malloc'd), as a download when
 * filename is not NULL. */
void http_reply_bytes(struct http_req *r, int status, const char *mime, char *data, size_t len,
                      const char *filename);
/* Replies with the contents of the open file fd (the server takes ownership and closes
 * it when the reply is sent: the file may already be unlinked), as a download when
 * filename is not NULL. Constant memory whatever the file's size. */
void http_reply_fd(struct http_req *r, int status, const char *mime, int fd,
                   const char *filename);
/* Value of a query parameter, or NULL. */
const char *http_query(struct http_req *r, const char *name);
/* Value of a request header, or NULL. */
const char *http_header(struct http_req *r, const char *name);

/* Server settings. */
struct http_config {
    const char *listen_host;   /* e.g. "127.0.0.1" */
    unsigned port;             /* 0 picks a free port */
    unsigned threads;          /* worker threads (0 = number of cores) */
    size_t body_limit;         /* bytes; larger bodies get 413 */
    unsigned conn_timeout_s;   /* idle connection timeout */
    const char *upload_dir;    /* where ROUTE_UPLOAD bodies go (NULL = /tmp) */
    uint64_t upload_limit;     /* bytes; larger uploads get 413 (0 = 256 MiB) */
};

/* Starts serving; *port_out receives the bound port. Returns 0 or KC_ERR_IO. */
int http_start(const struct http_config *cfg, unsigned *port_out);
/* Stops the server and waits for workers. */
void http_stop(void);

/* A named request-body schema (JSON text) a module adds to /openapi.json; each module
 * table ends with a NULL name. */
struct openapi_schema {
    const char *name; /* component name, as routes name it */
    const char *json; /* the schema */
};
extern const struct openapi_schema openapi_market_schemas[];

/* Renders /openapi.json for the route table into out. */
void http_openapi(struct buf *out);
/* Renders Prometheus metrics into out. */
void http_metrics(struct buf *out);

#endif
