/* common.c — shared handler plumbing: body validation, error mapping, paging, export. */
#include "api/api.h"
#include "core/timeutil.h"
#include "core/utf8.h"
#include "db/db.h"
#include "io/csv_write.h"
#include "io/xlsx_write.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <time.h>

void http_reply_error_msg(struct http_req *r, int status, const char *code, const char *field,
                          const char *message)
{
    struct buf out = {0};
    struct jw w;
    jw_init(&w, &out);
    jw_obj_open(&w);
    jw_key(&w, "error");
    jw_obj_open(&w);
    jw_kstr(&w, "code", code);
    jw_kstr(&w, "message", message);
    jw_kstr(&w, "field", field);
    jw_obj_close(&w);
    jw_obj_close(&w);
    http_reply_json(r, status, &out);
}

void http_reply_error(struct http_req *r, int status, const char *code, const char *field)
{
    http_reply_error_msg(r, status, code, field, msg_error(r, code, field));
}

struct db *api_db(struct http_req *r)
{
    struct db *db = db_thread();
    if (!db)
        http_reply_error(r, 500, "internal", NULL);
    return db;
}

/* The single mapping from kc_err to status and default code. */
void api_fail(struct http_req *r, int err, const char *code, const char *field)
{
    int status;
    const char *dflt;
    switch (err) {
    case KC_ERR_INVALID: status = 422; dflt = "invalid_value"; break;
    case KC_ERR_NOT_FOUND: status = 404; dflt = "not_found"; break;
    case KC_ERR_CONFLICT: status = 409; dflt = "conflict"; break;
    case KC_ERR_FORBIDDEN: status = 403; dflt = "forbidden"; break;
    case KC_ERR_AUTH: status = 401; dflt = "unauthenticated"; break;
    case KC_ERR_LOCKED: status = 429; dflt = "locked"; break;
    case KC_ERR_TOO_LARGE: status = 413; dflt = "too_large"; break;
    case KC_ERR_BAD_REQUEST: status = 400; dflt = "bad_request"; break;
    default: status = 500; dflt = "internal"; field = NULL; code = NULL; break;
    }
    http_reply_error(r, status, code ? code : dflt, field);
}

/* Checks one value against its spec; returns the error code or NULL. */
static const char *check_value(const struct field_spec *f, json_t *v)
{
    switch (f->type) {
    case FT_STR_NULL:
        if (json_is_null(v))
            return NULL;
        /* fall through */
    case FT_STR:
        if (!json_is_string(v))
            return "wrong_type";
        if (f->max_chars && utf8_len(json_string_value(v)) > f->max_chars)
            return "too_long";
        if (f->required && utf8_blank(json_string_value(v)))
            return "required";
        return NULL;
    case FT_INT_NULL:
        if (json_is_null(v))
            return NULL;
        /* fall through */
    case FT_INT:
        return json_is_integer(v) ? NULL : "wrong_type";
    case FT_BOOL:
        return json_is_boolean(v) ? NULL : "wrong_type";
    case FT_NUM_NULL:
        return json_is_null(v) || json_is_number(v) ? NULL : "wrong_type";
    case FT_BOOL_NULL:
        return json_is_null(v) || json_is_boolean(v) ? NULL : "wrong_type";
    case FT_STR_LIST: {
        if (!json_is_array(v) || json_array_size(v) > 100)
            return "wrong_type";
        size_t i;
        json_t *e;
        json_array_foreach(v, i, e)
        {
            if (!json_is_string(e))
                return "wrong_type";
            if (f->max_chars && utf8_len(json_string_value(e)) > f->max_chars)
                return "too_long";
        }
        return NULL;
    }
    case FT_ARRAY:
        return json_is_array(v) && json_array_size(v) <= 100 ? NULL : "wrong_type";
    case FT_INT_LIST: {
        if (!json_is_array(v) || json_array_size(v) > 500)
            return "wrong_type";
        size_t i;
        json_t *e;
        json_array_foreach(v, i, e)
        {
            if (!json_is_integer(e) || json_integer_value(e) <= 0)
                return "wrong_type";
        }
        return NULL;
    }
    }
    return "wrong_type";
}

json_t *api_body(struct http_req *r, const struct field_spec *spec, bool check_required)
{
    json_error_t err;
    json_t *o = json_loadb(r->body.data ? r->body.data : "", r->body.len, JSON_REJECT_DUPLICATES,
                           &err);
    if (!o || !json_is_object(o)) {
        json_decref(o);
        http_reply_error(r, 400, "invalid_json", NULL);
        return NULL;
    }
    const char *key;
    json_t *v;
    json_object_foreach(o, key, v)
    {
        const struct field_spec *f = spec;
        while (f->name && strcmp(f->name, key) != 0)
            f++;
        if (!f->name) {
            /* The unknown key came from the client: copy it (bounded) for the reply. */
            char *k = arena_strndup(&r->arena, key, strnlen(key, 64));
            http_reply_error(r, 422, "unknown_field", utf8_valid(k, strlen(k)) ? k : NULL);
            json_decref(o);
            return NULL;
        }
        const char *code = check_value(f, v);
        if (code) {
            http_reply_error(r, 422, code, f->name);
            json_decref(o);
            return NULL;
        }
    }
    /* An empty optional string means "no value": store null, never "". */
    for (const struct field_spec *f = spec; f->name; f++) {
        json_t *v = json_object_get(o, f->name);
        if (f->type == FT_STR_NULL && json_is_string(v) && utf8_blank(json_string_value(v)))
            json_object_set_new(o, f->name, json_null());
    }
    if (check_required) {
        for (const struct field_spec *f = spec; f->name; f++) {
            if (f->required && !json_object_get(o, f->name)) {
                http_reply_error(r, 422, "required", f->name);
                json_decref(o);
                return NULL;
            }
        }
    }
    return o;
}

/* Parses a decimal int64 strictly. */
static bool parse_i64(const char *s, int64_t *out)
{
    if (!s || !*s)
        return false;
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno || *end)
        return false;
    *out = v;
    return true;
}

bool api_paging(struct http_req *r, int64_t *page, int64_t *page_size)
{
    *page = 1;
    *page_size = 20;
    const char *p = http_query(r, "page"), *ps = http_query(r, "page_size");
    if (p && (!parse_i64(p, page) || *page < 1 || *page > 1000000)) {
        http_reply_error(r, 422, "invalid_value", "page");
        return false;
    }
    if (ps && (!parse_i64(ps, page_size) || *page_size < 1 || *page_size > 200)) {
        http_reply_error(r, 422, "invalid_value", "page_size");
        return false;
    }
    return true;
}

bool api_id_param(struct http_req *r, int idx, int64_t *out)
{
    if (idx >= r->n_params || !parse_i64(r->params[idx], out) || *out <= 0) {
        http_reply_error(r, 404, "not_found", NULL);
        return false;
    }
    return true;
}

struct audit_ctx api_audit_ctx(struct http_req *r)
{
    struct audit_ctx c = {r->have_user ? r->user.id : 0,
                          r->have_user ? r->user.username : "anonymous", r->ip};
    return c;
}

void api_list_begin(struct jw *w, struct buf *out)
{
    jw_init(w, out);
    jw_obj_open(w);
    jw_key(w, "items");
    jw_arr_open(w);
}

void api_list_end(struct http_req *r, struct jw *w, struct buf *out, int64_t total, int64_t page,
                  int64_t page_size)
{
    jw_arr_close(w);
    jw_kint(w, "total", total);
    jw_kint(w, "page", page);
    jw_kint(w, "page_size", page_size);
    jw_obj_close(w);
    http_reply_json(r, 200, out);
}

const char *api_str(json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

void api_write_user(struct http_req *r, struct jw *w, const struct auth_user *u)
{
    (void)r;
    jw_obj_open(w);
    jw_kint(w, "id", u->id);
    jw_kstr(w, "username", u->username);
    jw_kstr(w, "display_name", u->display_name);
    jw_kstr(w, "role", u->role->code);
    jw_kstr(w, "role_name", r->en ? u->role->name_en : u->role->name_zh);
    jw_kstr(w, "region_code", u->region_code);
    struct db *db = db_thread();
    const char *region_name = NULL, *org_name = NULL;
    int64_t created_at = 0;
    struct db_stmt *st = db ? db_query(db,
                                       "SELECT r.name, o.name, u.created_at FROM users u "
                                       "LEFT JOIN regions r ON r.code = u.region_code "
                                       "LEFT JOIN orgs o ON o.id = u.org_id WHERE u.id = ?",
                                       "i", u->id)
                            : NULL;
    if (st && db_step(st) == DB_ROW) {
        region_name = arena_strdup(&r->arena, db_col_text(st, 0));
        org_name = arena_strdup(&r->arena, db_col_text(st, 1));
        created_at = db_col_int(st, 2);
    }
    if (st)
        db_done(st);
    jw_kstr(w, "region_name", region_name);
    if (u->org_id)
        jw_kint(w, "org_id", u->org_id);
    else
        jw_knull(w, "org_id");
    jw_kstr(w, "org_name", org_name);
    /* Only active users hold a session (session_load refuses the others). */
    jw_kstr(w, "status", "active");
    jw_kstr(w, "lang", u->lang);
    char ts[32];
    time_rfc3339(created_at, ts, sizeof(ts));
    jw_kstr(w, "created_at", ts);
    jw_key(w, "capabilities");
    api_write_caps(w, u->role);
    jw_obj_close(w);
}

void api_write_caps(struct jw *w, const struct role *role)
{
    jw_arr_open(w);
    for (unsigned b = 0; auth_cap_name(b); b++)
        if (role->caps & (1u << b))
            jw_str(w, auth_cap_name(b));
    jw_arr_close(w);
}

bool api_sort(struct http_req *r, const char *const *allowed, const char *dflt, const char **col,
              bool *desc)
{
    const char *s = http_query(r, "sort");
    if (!s || !*s)
        s = dflt;
    *desc = s[0] == '-';
    if (*desc)
        s++;
    for (const char *const *a = allowed; *a; a++) {
        if (strcmp(*a, s) == 0) {
            *col = *a;
            return true;
        }
    }
    http_reply_error(r, 422, "invalid_value", "sort");
    return false;
}

bool api_region(struct http_req *r, struct db *db, const char *field, const char *region_code,
                char out[7])
{
    struct db_stmt *st = db_query(db,
                                  "SELECT code FROM regions WHERE code=? UNION ALL "
                                  "SELECT new_code FROM region_aliases WHERE old_code=?",
                                  "ss", region_code, region_code);
    bool ok = st && db_step(st) == DB_ROW;
    if (ok)
        snprintf(out, 7, "%s", db_col_text(st, 0));
    if (st)
        db_done(st);
    if (!ok)
        http_reply_error(r, 422, "invalid_region", field);
    return ok;
}

/* Writes the rows of st to a temporary file as CSV or XLSX and serves it from disk, so
 * an export takes constant memory whatever its size. filename is used as given. */
static void export_file(struct http_req *r, struct db_stmt *st, const char *const *cols,
                        bool csv, const char *sheet, const char *filename)
{
    char path[4096];
    snprintf(path, sizeof(path), "%s/export-XXXXXX", xlsx_tmpdir());
    int fd = mkstemp(path);
    int rc = fd < 0 ? KC_ERR_IO : 0;
    if (fd >= 0)
        close(fd);
    if (!rc)
        rc = csv ? csv_export_stmt(st, cols, r->en, path)
                 : xlsx_export_stmt_file(st, cols, r->en, sheet, path);
    db_done(st);
    fd = rc ? -1 : open(path, O_RDONLY);
    unlink(path); /* the open descriptor keeps the data until the reply is sent */
    if (rc || fd < 0) {
        api_fail(r, rc ? rc : KC_ERR_IO, NULL, NULL);
        return;
    }
    http_reply_fd(r, 200,
                  csv ? "text/csv; charset=utf-8"
                      : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                  fd, filename);
}

void api_export_xlsx(struct http_req *r, struct db_stmt *st, const char *const *cols,
                     const char *sheet_zh, const char *sheet_en, const char *filename)
{
    /* Every list export answers ?format=csv too (same columns, UTF-8 with BOM). */
    const char *fmt = api_qparam(r, "format");
    bool csv = fmt && strcmp(fmt, "csv") == 0;
    if (fmt && !csv && strcmp(fmt, "xlsx") != 0) {
        db_done(st);
        http_reply_error(r, 422, "invalid_value", "format");
        return;
    }
    char name[128];
    size_t n = strlen(filename);
    if (csv && n > 5 && strcmp(filename + n - 5, ".xlsx") == 0)
        snprintf(name, sizeof(name), "%.*s.csv", (int)(n - 5), filename);
    else
        snprintf(name, sizeof(name), "%s", filename);
    export_file(r, st, cols, csv, r->en ? sheet_en : sheet_zh, name);
}

void api_export_csv(struct http_req *r, struct db_stmt *st, const char *const *cols,
                    const char *filename)
{
    export_file(r, st, cols, true, NULL, filename);
}

void api_reply_rows(struct http_req *r, struct db_stmt *st, int64_t total, int64_t page,
                    int64_t page_size)
{
    if (!st) {
        api_fail(r, KC_ERR_DB, NULL, NULL);
        return;
    }
    struct buf out = {0};
    struct jw w;
    api_list_begin(&w, &out);
    int rc;
    while ((rc = db_step(st)) == DB_ROW)
        db_row_jw(st, &w);
    db_done(st);
    if (rc < 0) {
        buf_free(&out);
        api_fail(r, rc, NULL, NULL);
        return;
    }
    api_list_end(r, &w, &out, total, page, page_size);
}

const char *api_qparam(struct http_req *r, const char *name)
{
    const char *v = http_query(r, name);
    return v && *v ? v : NULL;
}

bool api_region_param(struct http_req *r, struct scope *out)
{
    const char *v = api_qparam(r, "region_code");
    char prefix[7] = "";
    if (v) {
        if (strlen(v) != 6 || strspn(v, "0123456789") != 6) {
            http_reply_error(r, 422, "invalid_region", "region_code");
            return false;
        }
        auth_region_prefix(v, prefix);
    }
    auth_scope_prefix(out, prefix);
    return true;
}
