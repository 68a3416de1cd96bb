/* points_common.c — helpers shared by the 创新积分, pool and funnel handlers. */
#include "api/points_common.h"
#include "core/log.h"
#include "db/db.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct rules_registry registry;           /* the embedded rule sets */
static int registry_ok;                          /* 1 when they loaded */
static pthread_once_t registry_once = PTHREAD_ONCE_INIT;
static struct pts_config *shipped;               /* the shipped 创新积分 configuration */
static pthread_once_t shipped_once = PTHREAD_ONCE_INIT;

/* Loads the registry (once). */
static void registry_load(void)
{
    char err[512];
    registry_ok = rules_registry_load_embedded(&registry, err, sizeof(err)) == 0;
    if (!registry_ok)
        log_msg(LOG_ERROR, "rule sets invalid", "error", err, NULL);
}

const struct rules_registry *lp_rules(void)
{
    pthread_once(&registry_once, registry_load);
    return registry_ok ? &registry : NULL;
}

/* Parses the shipped configuration (once). */
static void shipped_load(void)
{
    struct pts_config *c = malloc(sizeof(*c));
    struct pts_error e;
    if (c && pts_config_default(c, &e) == 0) {
        shipped = c;
        return;
    }
    log_msg(LOG_ERROR, "innovation-points configuration invalid", "field", c ? e.field : "",
            "error", c ? e.en : "out of memory", NULL);
    free(c);
}

const struct pts_config *lp_points_shipped(void)
{
    pthread_once(&shipped_once, shipped_load);
    return shipped;
}

bool lp_year_param(struct http_req *r, const char *name, int *out)
{
    const char *v = api_qparam(r, name);
    *out = 0;
    if (!v)
        return true;
    char *end;
    errno = 0;
    long y = strtol(v, &end, 10);
    if (errno || *end || y < 1990 || y > 2100) {
        http_reply_error(r, 422, "invalid_year", name);
        return false;
    }
    *out = (int)y;
    return true;
}

bool lp_region_param(struct http_req *r, struct db *db, char code[7], char prefix[7])
{
    const char *v = api_qparam(r, "region_code");
    if (!v) {
        snprintf(code, 7, "%s", r->user.region_code);
    } else if (strlen(v) != 6 || strspn(v, "0123456789") != 6 ||
               !api_region(r, db, "region_code", v, code)) {
        if (!r->replied)
            http_reply_error(r, 422, "invalid_region", "region_code");
        return false;
    }
    auth_region_prefix(code, prefix);
    return true;
}

void lp_range(const struct scope *sc, const char *prefix, char lo[8], char hi[8])
{
    struct scope p;
    auth_scope_prefix(&p, prefix);
    const char *l = strcmp(sc->lo, p.lo) > 0 ? sc->lo : p.lo;
    const char *h = strcmp(sc->hi, p.hi) < 0 ? sc->hi : p.hi;
    if (strcmp(l, h) >= 0) {
        lo[0] = hi[0] = '\0';
        return;
    }
    snprintf(lo, 8, "%s", l);
    snprintf(hi, 8, "%s", h);
}

int lp_region_level(const char *code)
{
    char p[7];
    auth_region_prefix(code, p);
    size_t n = strlen(p);
    return n == 0 ? 0 : n <= 2 ? 1 : n <= 4 ? 2 : 3;
}

json_t *lp_region_names(struct db *db, const char *prefix)
{
    struct scope p;
    auth_scope_prefix(&p, prefix);
    json_t *o = json_object();
    struct db_stmt *st = db_query(db, "SELECT code, name FROM regions WHERE code >= ? AND code < ?",
                                  "ss", p.lo, p.hi);
    while (st && db_step(st) == DB_ROW)
        json_object_set_new(o, db_col_text(st, 0), json_string(db_col_text(st, 1)));
    if (st)
        db_done(st);
    return o;
}

/* Sort keys for lp_sort (qsort has no context pointer). */
static _Thread_local const char *sort_key, *sort_tie;
static _Thread_local bool sort_desc;

/* Compares two JSON values: numbers, then strings; null sorts after everything. */
static int cmp_values(json_t *a, json_t *b)
{
    bool na = !a || json_is_null(a), nb = !b || json_is_null(b);
    if (na || nb)
        return na - nb;
    if (json_is_number(a) && json_is_number(b)) {
        if (json_is_integer(a) && json_is_integer(b)) {
            json_int_t x = json_integer_value(a), y = json_integer_value(b);
            return (x > y) - (x < y);
        }
        double x = json_number_value(a), y = json_number_value(b);
        return (x > y) - (x < y);
    }
    if (json_is_string(a) && json_is_string(b))
        return strcmp(json_string_value(a), json_string_value(b));
    return 0;
}

/* qsort comparator over json_t* rows. */
static int cmp_rows(const void *pa, const void *pb)
{
    json_t *a = *(json_t *const *)pa, *b = *(json_t *const *)pb;
    json_t *va = json_object_get(a, sort_key), *vb = json_object_get(b, sort_key);
    bool na = !va || json_is_null(va), nb = !vb || json_is_null(vb);
    int c;
    if (na || nb)
        c = na - nb; /* nulls last in both directions */
    else
        c = sort_desc ? -cmp_values(va, vb) : cmp_values(va, vb);
    if (!c && sort_tie)
        c = cmp_values(json_object_get(a, sort_tie), json_object_get(b, sort_tie));
    return c;
}

void lp_sort(json_t *rows, const char *key, bool desc, const char *tie_key)
{
    size_t n = json_array_size(rows);
    if (n < 2)
        return;
    json_t **v = malloc(n * sizeof(*v));
    if (!v)
        return;
    for (size_t i = 0; i < n; i++)
        v[i] = json_incref(json_array_get(rows, i));
    sort_key = key;
    sort_desc = desc;
    sort_tie = tie_key;
    qsort(v, n, sizeof(*v), cmp_rows);
    json_array_clear(rows);
    for (size_t i = 0; i < n; i++)
        json_array_append_new(rows, v[i]);
    free(v);
}

void lp_reply_page(struct http_req *r, json_t *rows, int64_t page, int64_t page_size,
                       json_t *extra)
{
    json_t *o = json_object();
    json_t *items = json_array();
    size_t n = json_array_size(rows);
    for (size_t i = (size_t)((page - 1) * page_size); i < n && (int64_t)json_array_size(items) < page_size; i++)
        json_array_append(items, json_array_get(rows, i));
    json_object_set_new(o, "items", items);
    json_object_set_new(o, "total", json_integer((json_int_t)n));
    json_object_set_new(o, "page", json_integer(page));
    json_object_set_new(o, "page_size", json_integer(page_size));
    if (extra)
        json_object_update(o, extra);
    char *text = json_dumps(o, JSON_COMPACT | JSON_REAL_PRECISION(15));
    json_decref(o);
    struct buf out = {0};
    if (text)
        buf_puts(&out, text);
    free(text);
    if (!out.len) {
        api_fail(r, KC_ERR_DB, NULL, NULL);
        return;
    }
    http_reply_json(r, 200, &out);
}

bool lp_format_ok(struct http_req *r)
{
    const char *f = api_qparam(r, "format");
    if (f && strcmp(f, "xlsx") != 0 && strcmp(f, "csv") != 0) {
        http_reply_error(r, 422, "invalid_value", "format");
        return false;
    }
    return true;
}

void lp_export(struct http_req *r, json_t *rows, const char *const *cols,
                   const char *sheet_zh, const char *sheet_en, const char *basename)
{
    const char *f = api_qparam(r, "format");
    bool csv = f && strcmp(f, "csv") == 0;
    struct db *db = api_db(r);
    if (!db)
        return;
    /* SELECT json_extract(value, '$."key"') AS "key", … FROM json_each(?): the rows go in
     * as one bound JSON text; the keys are this program's own column names. */
    struct buf sql = {0};
    buf_puts(&sql, "SELECT ");
    for (size_t c = 0; cols[c * 3]; c++)
        buf_printf(&sql, "%sjson_extract(value, '$.\"%s\"') AS \"%s\"", c ? ", " : "",
                   cols[c * 3], cols[c * 3]);
    buf_puts(&sql, " FROM json_each(?) ORDER BY key");
    char *text = json_dumps(rows, JSON_COMPACT | JSON_REAL_PRECISION(15));
    struct db_stmt *st = text ? db_query(db, buf_str(&sql), "s", text) : NULL;
    buf_free(&sql);
    if (!st) {
        free(text);
        api_fail(r, KC_ERR_DB, NULL, NULL);
        return;
    }
    char name[128];
    snprintf(name, sizeof(name), "%s.%s", basename, csv ? "csv" : "xlsx");
    if (csv)
        api_export_csv(r, st, cols, name);
    else
        api_export_xlsx(r, st, cols, sheet_zh, sheet_en, name);
    free(text);
}

json_t *lp_points_json(int64_t points)
{
    if (points % 10000 == 0)
        return json_integer(points / 10000);
    return json_real((double)points / 10000.0);
}

void lp_reply_json(struct http_req *r, int status, json_t *o)
{
    char *text = o ? json_dumps(o, JSON_COMPACT | JSON_REAL_PRECISION(15)) : NULL;
    json_decref(o);
    if (!text) {
        api_fail(r, KC_ERR_DB, NULL, NULL);
        return;
    }
    struct buf out = {0};
    buf_puts(&out, text);
    free(text);
    http_reply_json(r, status, &out);
}
