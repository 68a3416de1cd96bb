/*
 * api.h — what every resource handler shares: the request body validator driven by a
 * field table, the one place where kc_err becomes an HTTP status, list paging, and the
 * audit context of the caller.
 */
#ifndef KC_API_H
#define KC_API_H

#include "core/jw.h"
#include "http/http.h"
#include "store/audit.h"

#include <jansson.h>
#include <stdbool.h>

struct db;
struct db_stmt;

/* Types a body field may have. */
enum field_type {
    FT_STR,      /* string */
    FT_STR_NULL, /* string or null */
    FT_INT,      /* integer */
    FT_INT_NULL, /* integer or null */
    FT_BOOL,     /* true/false */
    FT_STR_LIST, /* array of strings */
    FT_NUM_NULL, /* number (integer or real) or null */
    FT_BOOL_NULL, /* true/false or null */
    FT_INT_LIST, /* array of positive integers (ids); max_chars is unused */
    FT_ARRAY     /* array of anything (at most 100 elements); the handler checks them */
};

/* One accepted body field. Tables end with a NULL name. */
struct field_spec {
    const char *name;       /* JSON key */
    enum field_type type;   /* accepted JSON type */
    bool required;          /* must be present (on create) */
    unsigned max_chars;     /* maximum length in characters (strings, list items); 0 = none */
};

/* Returns this thread's database, or replies 500 and returns NULL. */
struct db *api_db(struct http_req *r);
/* Parses the body as a JSON object and checks it against spec: malformed → 400
 * invalid_json; unknown key → 422 unknown_field; wrong type → 422 wrong_type; missing
 * required key (when check_required) → 422 required; too long → 422 too_long; empty
 * required string → 422 required. On failure replies and returns NULL; on success the
 * caller owns the object (json_decref). */
json_t *api_body(struct http_req *r, const struct field_spec *spec, bool check_required);
/* Replies for a kc_err code (the single mapping from errors to statuses); field may be
 * NULL. */
void api_fail(struct http_req *r, int err, const char *code, const char *field);
/* Reads page and page_size (defaults 1 and 20, page_size ≤ 200); replies 422 and
 * returns false when malformed. */
bool api_paging(struct http_req *r, int64_t *page, int64_t *page_size);
/* Parses a path parameter as a positive int64; replies 404 and returns false otherwise. */
bool api_id_param(struct http_req *r, int idx, int64_t *out);
/* The caller as an audit context (valid for the request's lifetime). */
struct audit_ctx api_audit_ctx(struct http_req *r);
/* Starts {"items":[ ... writes nothing else; finish with api_list_end. */
void api_list_begin(struct jw *w, struct buf *out);
/* Closes the items array and writes total, page, page_size, then replies 200. */
void api_list_end(struct http_req *r, struct jw *w, struct buf *out, int64_t total, int64_t page,
                  int64_t page_size);
/* Streams every row of st (db_row_jw) as {"items":[…],"total","page","page_size"} and
 * replies 200; st == NULL or a step error replies 500. Calls db_done. */
void api_reply_rows(struct http_req *r, struct db_stmt *st, int64_t total, int64_t page,
                    int64_t page_size);
/* A query parameter, NULL when absent or empty. */
const char *api_qparam(struct http_req *r, const char *name);
/* Reads ?region_code= (a six-digit code, optional) as a prefix range into *out (all
 * when absent); replies 422 invalid_region and returns false when malformed. */
bool api_region_param(struct http_req *r, struct scope *out);
/* The string value of key in o, or NULL when absent, null or not a string. */
const char *api_str(json_t *o, const char *key);
/* Writes the user object (as returned by session and /me routes). */
void api_write_user(struct http_req *r, struct jw *w, const struct auth_user *u);
/* Writes the capability names of a role as an array. */
void api_write_caps(struct jw *w, const struct role *role);
/* Returns the sort column for ?sort= from a whitelist (NULL-terminated); "-x" sorts
 * descending. Replies 422 and returns false for a value outside it. */
bool api_sort(struct http_req *r, const char *const *allowed, const char *dflt,
              const char **col, bool *desc);
/* Replies 422 for field with code unless region_code is a known region; returns the
 * canonical code (aliases resolved) in out[7]. */
bool api_region(struct http_req *r, struct db *db, const char *field, const char *region_code,
                char out[7]);
/* Checks a complete organisation record o (api/org.c): org_check, the region (canonical
 * code written back, in the caller's scope, a prefecture or county), the industry code
 * and chains. Replies 422 and returns false on the first problem. */
bool api_org_validate(struct http_req *r, struct db *db, json_t *o);
/* Streams rows of st (a prepared, bound statement) as an XLSX download; the columns
 * are (key, Chinese header, English header) triples ended by NULL. Replies. */
void api_export_xlsx(struct http_req *r, struct db_stmt *st, const char *const *cols,
                     const char *sheet_zh, const char *sheet_en, const char *filename);
/* The same as CSV (UTF-8 with a byte-order mark so spreadsheet programs read the Chinese,
 * RFC 4180 quoting, "*_at" integers as "YYYY-MM-DD HH:MM:SS" UTC). Replies. */
void api_export_csv(struct http_req *r, struct db_stmt *st, const char *const *cols,
                    const char *filename);

/* Messages: the text for an error code in the request's language, with the field's
 * label substituted where the template wants one. Allocated from r->arena. */
/* One catalogue entry: an error code ("%s" in a template is the field label) or a field
 * label. */
struct msg {
    const char *code; /* error code or field name */
    const char *zh;   /* Chinese text */
    const char *en;   /* English text */
};
/* Each module's own error messages and field labels (src/api/msg_<module>.c), ended by
 * an entry whose code is NULL. The core table (msg.c) is searched first. */
extern const struct msg msg_ladder_errors[], msg_ladder_fields[];
extern const struct msg msg_market_errors[], msg_market_fields[];
extern const struct msg msg_deals_errors[], msg_deals_fields[];
extern const struct msg msg_plans_errors[], msg_plans_fields[];
extern const struct msg msg_import_errors[], msg_import_fields[];
extern const struct msg msg_assess_errors[], msg_assess_fields[];
extern const struct msg msg_points_errors[], msg_points_fields[];

const char *msg_error(struct http_req *r, const char *code, const char *field);
/* The message of code (field's label substituted) in Chinese or English, into out[n]
 * (for work done outside a request, e.g. background jobs). */
void msg_error_to(bool en, const char *code, const char *field, char *out, size_t n);
/* The label of a field in the request's language. */
const char *msg_field(bool en, const char *field);

#endif
