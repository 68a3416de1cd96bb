/*
 * log.h — structured logs: one JSON object per line on stderr.
 */
#ifndef KC_LOG_H
#define KC_LOG_H

#include <stdint.h>

/* Severity of a log line. */
enum log_level { LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERROR };

/* Fields of one HTTP access line. */
struct log_access {
    const char *request_id; /* per-request id */
    const char *method;     /* HTTP method */
    const char *path;       /* URL path without query */
    const char *route;      /* route pattern, or "-" */
    int status;             /* HTTP status sent */
    double duration_ms;     /* time from first byte to response queued */
    int64_t user_id;        /* logged-in user, 0 if none */
    const char *ip;         /* client address */
};

/* Sets the minimum level written (default LOG_INFO); KC_LOG=debug lowers it. */
void log_set_level(enum log_level lvl);
/* Writes {"time","level","msg", extra...} where extra is "key", "value" string pairs ended by NULL. */
void log_msg(enum log_level lvl, const char *msg, ...);
/* Writes one access line. */
void log_access(const struct log_access *a);

#endif
