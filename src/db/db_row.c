/* db_row.c — backend-neutral helpers: row serialisation (JSON writer and jansson) and
 * argument lists for SQL built with optional conditions. */
#include "db/db.h"
#include "core/buf.h"
#include "core/jw.h"
#include "core/timeutil.h"

#include <assert.h>
#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

/* Length of name without a trailing "_json", or 0 when it has no such suffix. */
static size_t json_suffix(const char *name)
{
    size_t n = strlen(name);
    return n > 5 && strcmp(name + n - 5, "_json") == 0 ? n - 5 : 0;
}

/* True when a column holds a Unix timestamp by naming convention ("..._at"). */
static bool is_time(const char *name)
{
    size_t n = strlen(name);
    return strcmp(name, "at") == 0 || (n > 3 && strcmp(name + n - 3, "_at") == 0);
}

/* Writes the current row as an object. Integer columns named "*_at" are timestamps and
 * are written as RFC 3339 strings. */
void db_row_jw(struct db_stmt *st, struct jw *w)
{
    jw_obj_open(w);
    int n = db_col_count(st);
    for (int i = 0; i < n; i++) {
        const char *name = db_col_name(st, i);
        size_t raw = json_suffix(name);
        if (raw) {
            char key[64];
            snprintf(key, sizeof(key), "%.*s", (int)raw, name);
            jw_key(w, key);
            const char *t = db_col_text(st, i);
            if (t)
                jw_raw(w, t, strlen(t));
            else
                jw_null(w);
            continue;
        }
        jw_key(w, name);
        switch (db_col_type(st, i)) {
        case DB_INT:
            if (is_time(name)) {
                char ts[32];
                time_rfc3339(db_col_int(st, i), ts, sizeof(ts));
                jw_str(w, ts);
            } else {
                jw_int(w, db_col_int(st, i));
            }
            break;
        case DB_FLOAT:
            jw_double(w, db_col_double(st, i));
            break;
        case DB_TEXT:
        case DB_BLOB:
            jw_str(w, db_col_text(st, i));
            break;
        default:
            jw_null(w);
        }
    }
    jw_obj_close(w);
}

/* The current row as a jansson object (same conventions as db_row_jw). */
json_t *db_row_json(struct db_stmt *st)
{
    json_t *o = json_object();
    int n = db_col_count(st);
    for (int i = 0; i < n; i++) {
        const char *name = db_col_name(st, i);
        size_t raw = json_suffix(name);
        json_t *v;
        if (raw) {
            const char *t = db_col_text(st, i);
            v = t ? json_loads(t, JSON_DECODE_ANY, NULL) : NULL;
            if (!v)
                v = json_null();
            char key[64];
            snprintf(key, sizeof(key), "%.*s", (int)raw, name);
            json_object_set_new(o, key, v);
            continue;
        }
        switch (db_col_type(st, i)) {
        case DB_INT:
            if (is_time(name)) {
                char ts[32];
                time_rfc3339(db_col_int(st, i), ts, sizeof(ts));
                v = json_string(ts);
            } else {
                v = json_integer(db_col_int(st, i));
            }
            break;
        case DB_FLOAT:
            v = json_real(db_col_double(st, i));
            break;
        case DB_TEXT:
        case DB_BLOB:
            v = json_string(db_col_text(st, i));
            if (!v)
                v = json_null();
            break;
        default:
            v = json_null();
        }
        json_object_set_new(o, name, v);
    }
    return o;
}

void db_args_int(struct db_args *a, int64_t v)
{
    assert(a->n < DB_MAX_ARGS);
    a->type[a->n] = 'i';
    a->i[a->n++] = v;
}

void db_args_text(struct db_args *a, const char *s)
{
    assert(a->n < DB_MAX_ARGS);
    a->type[a->n] = 's';
    a->s[a->n++] = s;
}

int db_bind_args(struct db_stmt *st, const struct db_args *a)
{
    for (int k = 0; k < a->n; k++) {
        int rc = a->type[k] == 'i' ? db_bind_int(st, k + 1, a->i[k])
                                   : db_bind_text(st, k + 1, a->s[k]);
        if (rc)
            return -1;
    }
    return a->n + 1;
}

struct db_stmt *db_prep_args(struct db *db, const char *sql, const struct db_args *a)
{
    struct db_stmt *st = db_prep(db, sql);
    if (st && db_bind_args(st, a) < 0) {
        db_done(st);
        st = NULL;
    }
    return st;
}

struct db_stmt *db_page(struct db *db, struct buf *sql, struct db_args *a, const char *alias,
                        const char *sort_col, bool desc, int64_t limit, int64_t offset)
{
    const char *dir = desc ? "DESC" : "ASC";
    buf_printf(sql, "ORDER BY %s.%s %s, %s.id %s", alias, sort_col, dir, alias, dir);
    if (limit >= 0) {
        buf_puts(sql, " LIMIT ? OFFSET ?");
        db_args_int(a, limit);
        db_args_int(a, offset);
    }
    struct db_stmt *st = db_prep_args(db, buf_str(sql), a);
    buf_free(sql);
    return st;
}

int db_count(struct db *db, struct buf *sql, const struct db_args *a, int64_t *n)
{
    struct db_stmt *st = db_prep_args(db, buf_str(sql), a);
    buf_free(sql);
    return st ? db_scalar(st, n) : KC_ERR_DB;
}
