/*
 * jw.h — a streaming JSON writer into a struct buf.
 *
 * The only place where output escaping lives. Keys and values are written in order;
 * the writer inserts commas itself. Strings are escaped per RFC 8259 and "<", ">", "&"
 * are written as \u escapes so a JSON reply can never be sniffed as HTML.
 */
#ifndef KC_JW_H
#define KC_JW_H

#include "core/buf.h"

#include <stdbool.h>
#include <stdint.h>

#define JW_MAX_DEPTH 32

/* Writer state; zero-initialise, set out, then call jw_* functions. */
struct jw {
    struct buf *out;                /* where the text goes (not owned) */
    int depth;                      /* current nesting depth */
    bool first[JW_MAX_DEPTH];       /* no element written yet at this depth */
    bool after_key;                 /* a key was just written; next value needs no comma */
};

/* Starts writing into out. */
void jw_init(struct jw *w, struct buf *out);
void jw_obj_open(struct jw *w);
void jw_obj_close(struct jw *w);
void jw_arr_open(struct jw *w);
void jw_arr_close(struct jw *w);
/* Writes an object key; the next call writes its value. */
void jw_key(struct jw *w, const char *key);
/* Values. jw_str(NULL) writes null. */
void jw_str(struct jw *w, const char *s);
void jw_strn(struct jw *w, const char *s, size_t n);
void jw_int(struct jw *w, int64_t v);
void jw_double(struct jw *w, double v);
void jw_bool(struct jw *w, bool v);
void jw_null(struct jw *w);
/* Writes already-serialised JSON text verbatim (the caller guarantees validity). */
void jw_raw(struct jw *w, const char *json, size_t n);
/* Key + value shorthands. */
void jw_kstr(struct jw *w, const char *key, const char *s);
void jw_kint(struct jw *w, const char *key, int64_t v);
void jw_kbool(struct jw *w, const char *key, bool v);
void jw_knull(struct jw *w, const char *key);
/* Appends s to out as a JSON string literal (with quotes). */
void jw_escape(struct buf *out, const char *s, size_t n);

#endif
