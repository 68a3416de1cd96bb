/* jw.c — streaming JSON writer. */
#include "core/jw.h"

#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

/* Starts writing into out. */
void jw_init(struct jw *w, struct buf *out)
{
    memset(w, 0, sizeof(*w));
    w->out = out;
    w->first[0] = true;
}

/* Writes the comma before a value or key when needed. */
static void sep(struct jw *w)
{
    if (w->after_key) {
        w->after_key = false;
        return;
    }
    if (!w->first[w->depth])
        buf_putc(w->out, ',');
    w->first[w->depth] = false;
}

/* Opens an object or array. */
static void open_(struct jw *w, char c)
{
    sep(w);
    buf_putc(w->out, c);
    assert(w->depth + 1 < JW_MAX_DEPTH);
    w->depth++;
    w->first[w->depth] = true;
}

/* Closes an object or array. */
static void close_(struct jw *w, char c)
{
    assert(w->depth > 0);
    w->depth--;
    buf_putc(w->out, c);
}

void jw_obj_open(struct jw *w)
{
    open_(w, '{');
}

void jw_obj_close(struct jw *w)
{
    close_(w, '}');
}

void jw_arr_open(struct jw *w)
{
    open_(w, '[');
}

void jw_arr_close(struct jw *w)
{
    close_(w, ']');
}

/* Appends s (n bytes) as a JSON string literal. Invalid UTF-8 is not checked here:
 * every string we store was validated on the way in (jansson rejects it). */
void jw_escape(struct buf *out, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    buf_putc(out, '"');
    size_t start = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        const char *rep = NULL;
        char tmp[7];
        switch (c) {
        case '"': rep = "\\\""; break;
        case '\\': rep = "\\\\"; break;
        case '\n': rep = "\\n"; break;
        case '\r': rep = "\\r"; break;
        case '\t': rep = "\\t"; break;
        case '\b': rep = "\\b"; break;
        case '\f': rep = "\\f"; break;
        default:
            if (c < 0x20 || c == '<' || c == '>' || c == '&') {
                tmp[0] = '\\';
                tmp[1] = 'u';
                tmp[2] = '0';
                tmp[3] = '0';
                tmp[4] = hex[c >> 4];
                tmp[5] = hex[c & 15];
                tmp[6] = '\0';
                rep = tmp;
            }
        }
        if (rep) {
            buf_append(out, s + start, i - start);
            buf_puts(out, rep);
            start = i + 1;
        }
    }
    buf_append(out, s + start, n - start);
    buf_putc(out, '"');
}

/* Writes an object key. */
void jw_key(struct jw *w, const char *key)
{
    sep(w);
    jw_escape(w->out, key, strlen(key));
    buf_putc(w->out, ':');
    w->after_key = true;
}

void jw_strn(struct jw *w, const char *s, size_t n)
{
    sep(w);
    jw_escape(w->out, s, n);
}

void jw_str(struct jw *w, const char *s)
{
    if (!s) {
        jw_null(w);
        return;
    }
    jw_strn(w, s, strlen(s));
}

void jw_int(struct jw *w, int64_t v)
{
    sep(w);
    buf_printf(w->out, "%lld", (long long)v);
}

void jw_double(struct jw *w, double v)
{
    sep(w);
    if (!isfinite(v))
        buf_puts(w->out, "null");
    else
        buf_printf(w->out, "%.17g", v);
}

void jw_bool(struct jw *w, bool v)
{
    sep(w);
    buf_puts(w->out, v ? "true" : "false");
}

void jw_null(struct jw *w)
{
    sep(w);
    buf_puts(w->out, "null");
}

void jw_raw(struct jw *w, const char *json, size_t n)
{
    sep(w);
    buf_append(w->out, json, n);
}

void jw_kstr(struct jw *w, const char *key, const char *s)
{
    jw_key(w, key);
    jw_str(w, s);
}

void jw_kint(struct jw *w, const char *key, int64_t v)
{
    jw_key(w, key);
    jw_int(w, v);
}

void jw_kbool(struct jw *w, const char *key, bool v)
{
    jw_key(w, key);
    jw_bool(w, v);
}

void jw_knull(struct jw *w, const char *key)
{
    jw_key(w, key);
    jw_null(w);
}
