/* log.c — JSON-lines logging to stderr. */
#include "core/log.h"
#include "core/buf.h"
#include "core/jw.h"
#include "core/timeutil.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static enum log_level min_level = LOG_INFO;

static const char *level_names[] = {"debug", "info", "warn", "error"};

/* Sets the minimum level written. */
void log_set_level(enum log_level lvl)
{
    min_level = lvl;
}

/* Writes a finished line with one write(2) so lines from threads never interleave. */
static void emit(struct buf *b)
{
    buf_putc(b, '\n');
    ssize_t n = write(STDERR_FILENO, b->data, b->len);
    (void)n;
    buf_free(b);
}

/* Starts a line with time and level. */
static void begin(struct jw *w, struct buf *b, enum log_level lvl)
{
    char ts[40];
    time_rfc3339_ms(ts, sizeof(ts));
    jw_init(w, b);
    jw_obj_open(w);
    jw_kstr(w, "time", ts);
    jw_kstr(w, "level", level_names[lvl]);
}

/* Writes a message with optional string key/value pairs ended by NULL. */
void log_msg(enum log_level lvl, const char *msg, ...)
{
    if (lvl < min_level)
        return;
    struct buf b = {0};
    struct jw w;
    begin(&w, &b, lvl);
    jw_kstr(&w, "msg", msg);
    va_list ap;
    va_start(ap, msg);
    for (;;) {
        const char *k = va_arg(ap, const char *);
        if (!k)
            break;
        const char *v = va_arg(ap, const char *);
        jw_kstr(&w, k, v);
    }
    va_end(ap);
    jw_obj_close(&w);
    emit(&b);
}

/* Writes one access line. */
void log_access(const struct log_access *a)
{
    if (LOG_INFO < min_level)
        return;
    struct buf b = {0};
    struct jw w;
    begin(&w, &b, LOG_INFO);
    jw_kstr(&w, "msg", "request");
    jw_kstr(&w, "request_id", a->request_id);
    jw_kstr(&w, "method", a->method);
    jw_kstr(&w, "path", a->path);
    jw_kstr(&w, "route", a->route);
    jw_kint(&w, "status", a->status);
    jw_key(&w, "duration_ms");
    char ms[32];
    snprintf(ms, sizeof(ms), "%.3f", a->duration_ms);
    jw_raw(&w, ms, strlen(ms));
    if (a->user_id)
        jw_kint(&w, "user_id", a->user_id);
    else
        jw_knull(&w, "user_id");
    jw_kstr(&w, "ip", a->ip);
    jw_obj_close(&w);
    emit(&b);
}
