/* achievement.c (api) — /api/v1/achievements and /api/v1/public/achievements: the
 * achievement library with full-text search and highlights, editing, bulk import and
 * matching to demands (visibility in store/achievement.h). */
#include "api/handlers_market.h"
#include "api/market_common.h"
#include "db/db.h"
#include "search/achievement.h"
#include "search/hl.h"
#include "search/market.h"
#include "store/achievement.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Rows of a synchronous API import (larger files run as a background job). */
#define IMPORT_MAX_ROWS 5000
/* Bytes of a synchronous import file (5000 long abstracts fit); larger: a job. */
#define IMPORT_MAX_BYTES (64u << 20)
/* Row errors listed in an import answer (all are counted). */
#define IMPORT_MAX_ERRORS 200
/* Characters of an abstract snippet in a list. */
#define LIST_SNIPPET 120

/* clang-format off */
static const struct field_spec ach_fields[] = {
    {"external_id", FT_STR_NULL, false, 128},
    {"title", FT_STR, true, 500},
    {"abstract", FT_STR_NULL, false, 20000},
    {"keywords", FT_STR_LIST, false, 200},
    {"discipline", FT_STR_NULL, false, 100},
    {"field", FT_STR_NULL, false, 20},
    {"kind", FT_STR, true, 10},
    {"patent_numbers", FT_STR_LIST, false, 40},
    {"trl", FT_INT_NULL, false, 0},
    {"transfer_modes", FT_STR_LIST, false, 10},
    {"price_min_fen", FT_INT_NULL, false, 0},
    {"price_max_fen", FT_INT_NULL, false, 0},
    {"owner_org_id", FT_INT_NULL, false, 0},
    {"chain", FT_STR_NULL, false, 32},
    {"status", FT_STR, false, 20},
    {"deal_count", FT_INT, false, 0},
    {NULL, 0, 0, 0},
};
/* clang-format on */

static const char *const readonly[] = {
    "id",         "owner_org_name", "owner_org_kind", "region_code", "region_name",
    "chain_name", "created_at",     "updated_at",     "can_edit",    NULL};

static const char *const ach_sorts[] = {
    "rank", "id", "created_at", "updated_at", "title", "trl", "price_min_fen", "deal_count", NULL};

/* Reads the list filters (and the full-text query with its terms, freed by the
 * caller); replies 422 and returns false when one is malformed. */
static bool read_filter(struct http_req *r, struct ach_filter *f, char ***terms, int *n_terms,
                        bool pub)
{
    memset(f, 0, sizeof(*f));
    *terms = NULL;
    *n_terms = 0;
    int64_t tmin, tmax, owner;
    f->discipline = api_qparam(r, "discipline");
    f->chain = api_qparam(r, "chain");
    if (!mk_list_param(r, "kind", market_ach_kinds, &f->kind) ||
        !mk_list_param(r, "field", market_fields, &f->field) ||
        !mk_list_param(r, "transfer_mode", market_transfer_modes, &f->transfer_mode) ||
        !mk_int_param(r, "trl_min", 1, 9, 0, &tmin) ||
        !mk_int_param(r, "trl_max", 1, 9, 0, &tmax) ||
        !mk_int_param(r, "owner_org_id", 1, INT64_MAX, 0, &owner) ||
        !api_region_param(r, &f->region))
        return false;
    if (!pub && !mk_list_param(r, "status", market_ach_status, &f->status))
        return false;
    f->trl_min = (int)tmin;
    f->trl_max = (int)tmax;
    f->owner_org_id = owner;
    const char *mine = pub ? NULL : api_qparam(r, "mine");
    if (mine && strcmp(mine, "1") == 0 && r->user.org_id)
        f->owner_org_id = r->user.org_id;
    f->fts = ach_fts_query(api_qparam(r, "q"), terms, n_terms);
    return true;
}

/* Frees the full-text query and terms of read_filter. */
static void free_filter(struct ach_filter *f, char **terms, int n_terms)
{
    free((char *)f->fts);
    for (int i = 0; i < n_terms; i++)
        free(terms[i]);
    free(terms);
}

/* The list for viewer u (NULL: public): rows with title highlights and an abstract
 * snippet in place of the abstract. */
static int list(struct http_req *r, const struct auth_user *u)
{
    struct db *db = api_db(r);
    struct ach_filter f;
    char **terms;
    int n_terms;
    int64_t page, size, total;
    const char *col;
    bool desc;
    if (!db || !api_paging(r, &page, &size) ||
        !api_sort(r, ach_sorts, api_qparam(r, "q") ? "rank" : "-id", &col, &desc) ||
        !read_filter(r, &f, &terms, &n_terms, u == NULL))
        return 0;
    int rc = ach_count(db, u, &f, &total);
    struct db_stmt *st = rc ? NULL : ach_list(db, u, &f, col, desc, size, (page - 1) * size);
    if (!st) {
        free_filter(&f, terms, n_terms);
        api_fail(r, KC_ERR_DB, NULL, NULL);
        return 0;
    }
    struct buf out = {0};
    struct jw w;
    jw_init(&w, &out);
    jw_obj_open(&w);
    jw_key(&w, "items");
    jw_arr_open(&w);
    while ((rc = db_step(st)) == DB_ROW) {
        json_t *a = db_row_json(st);
        jw_obj_open(&w);
        const char *key;
        json_t *v;
        json_object_foreach(a, key, v)
        {
            if (strcmp(key, "abstract") != 0)
                mk_write_json(&w, key, v);
        }
        jw_key(&w, "highlights");
        jw_obj_open(&w);
        jw_key(&w, "title");
        hl_write(&w, api_str(a, "title"), (const char *const *)terms, n_terms);
        jw_obj_close(&w);
        jw_key(&w, "snippet");
        hl_write_snippet(&w, api_str(a, "abstract"), (const char *const *)terms, n_terms,
                         LIST_SNIPPET);
        jw_obj_close(&w);
        json_decref(a);
    }
    db_done(st);
    jw_arr_close(&w);
    jw_key(&w, "terms");
    jw_arr_open(&w);
    for (int i = 0; i < n_terms; i++)
        jw_str(&w, terms[i]);
    jw_arr_close(&w);
    jw_kint(&w, "total", total);
    jw_kint(&w, "page", page);
    jw_kint(&w, "page_size", size);
    jw_obj_close(&w);
    free_filter(&f, terms, n_terms);
    if (rc < 0) {
        buf_free(&out);
        api_fail(r, rc, NULL, NULL);
        return 0;
    }
    http_reply_json(r, 200, &out);
    return 0;
}

/* GET /api/v1/achievements */
int api_achievements_list(struct http_req *r)
{
    return list(r, &r->user);
}

/* GET /api/v1/public/achievements */
int api_pub_achievements_list(struct http_req *r)
{
    return list(r, NULL);
}

/* GET /api/v1/achievements/export */
int api_achievements_export(struct http_req *r)
{
    /* clang-format off */
    static const char *const cols[] = {
        "id", "编号", "ID",
        "external_id", "外部编号", "External id",
        "title", "成果名称", "Title",
        "kind", "成果类型", "Kind",
        "patent_numbers_json", "专利申请号", "Patent numbers",
        "field", "技术领域", "Technology field",
        "discipline", "学科", "Discipline",
        "keywords_json", "关键词", "Keywords",
        "trl", "技术成熟度", "TRL",
        "transfer_modes_json", "转化方式", "Transfer modes",
        "price_min_fen", "价格下限(分)", "Price min (fen)",
        "price_max_fen", "价格上限(分)", "Price max (fen)",
        "owner_org_name", "所属机构", "Owner",
        "region_name", "行政区划", "Region",
        "chain_name", "产业链", "Industry chain",
        "status", "状态", "Status",
        "deal_count", "成交次数", "Deals",
        "abstract", "成果简介", "Abstract",
        "created_at", "创建时间(UTC)", "Created (UTC)",
        NULL};
    /* clang-format on */
    struct db *db = api_db(r);
    struct ach_filter f;
    char **terms;
    int n_terms;
    const char *col;
    bool desc;
    if (!db || !api_sort(r, ach_sorts, api_qparam(r, "q") ? "rank" : "-id", &col, &desc) ||
        !read_filter(r, &f, &terms, &n_terms, false))
        return 0;
    struct db_stmt *st = ach_list(db, &r->user, &f, col, desc, -1, 0);
    if (!st) {
        free_filter(&f, terms, n_terms);
        api_fail(r, KC_ERR_DB, NULL, NULL);
        return 0;
    }
    api_export_xlsx(r, st, cols, "科技成果", "Achievements", "achievements.xlsx");
    free_filter(&f, terms, n_terms);
    return 0;
}

/* Replies with an achievement (and whether u may edit it). */
static void reply_ach(struct http_req *r, int status, json_t *a, const struct auth_user *u)
{
    if (u)
        json_object_set_new(
            a, "can_edit",
            json_boolean(ach_writable(u, json_integer_value(json_object_get(a, "owner_org_id")),
                                      api_str(a, "region_code"))));
    else
        json_object_del(a, "external_id");
    struct buf out = {0};
    struct jw w;
    jw_init(&w, &out);
    mk_write_json(&w, NULL, a);
    http_reply_json(r, status, &out);
}

/* GET /api/v1/achievements/{id} and its public twin for viewer u. */
static int get(struct http_req *r, const struct auth_user *u)
{
    int64_t id;
    struct db *db = api_db(r);
    if (!db || !api_id_param(r, 0, &id))
        return 0;
    json_t *a = NULL;
    int rc = ach_get(db, u, id, &a);
    if (rc) {
        api_fail(r, rc, NULL, NULL);
        return 0;
    }
    reply_ach(r, 200, a, u);
    json_decref(a);
    return 0;
}

/* GET /api/v1/achievements/{id} */
int api_achievements_get(struct http_req *r)
{
    return get(r, &r->user);
}

/* GET /api/v1/public/achievements/{id} */
int api_pub_achievements_get(struct http_req *r)
{
    return get(r, NULL);
}

/* Checks a complete record and sets region_code to the owner's. Replies 422 and
 * returns false on a problem. */
static bool validate(struct http_req *r, struct db *db, json_t *a)
{
    struct market_problem p;
    if (!market_ach_check(a, &p)) {
        mk_problem(r, &p);
        return false;
    }
    const char *chain = api_str(a, "chain");
    if (chain && !market_chain_exists(db, chain)) {
        http_reply_error(r, 422, "invalid_value", "chain");
        return false;
    }
    char region[7];
    if (!mk_resolve_org(r, db, a, "owner_org_id", r->user.role->scope == SCOPE_REGION, region))
        return false;
    json_object_set_new(a, "region_code", region[0] ? json_string(region) : json_null());
    if (!json_is_string(json_object_get(a, "status")))
        json_object_set_new(a, "status", json_string("published"));
    return true;
}

/* POST /api/v1/achievements */
int api_achievements_create(struct http_req *r)
{
    struct db *db = api_db(r);
    if (!db)
        return 0;
    json_t *a = api_body(r, ach_fields, true);
    if (!a)
        return 0;
    json_t *after = NULL;
    int64_t id = 0;
    if (!validate(r, db, a))
        goto out;
    if (!ach_writable(&r->user, json_integer_value(json_object_get(a, "owner_org_id")),
                      api_str(a, "region_code"))) {
        http_reply_error(r, 403, "forbidden", NULL);
        goto out;
    }
    int rc = db_begin(db);
    if (!rc)
        rc = ach_insert(db, a, r->user.id, &id);
    if (!rc)
        rc = ach_get(db, &r->user, id, &after);
    if (!rc) {
        struct audit_ctx ctx = api_audit_ctx(r);
        rc = audit_write(db, &ctx, "create", "achievement", id, NULL, after);
    }
    if (!rc)
        rc = db_commit(db);
    else
        db_rollback(db);
    if (rc) {
        api_fail(r, rc, rc == KC_ERR_CONFLICT ? "conflict" : NULL, "external_id");
        goto out;
    }
    market_index_touch(MC_ACH, db, &id, 1);
    reply_ach(r, 201, after, &r->user);
out:
    json_decref(after);
    json_decref(a);
    return 0;
}

/* Loads achievement id for writing in the open transaction: visible (else 404) and
 * writable (else 403). Replies, rolls back and returns NULL on failure. */
static json_t *load_for_write(struct http_req *r, struct db *db, int64_t id)
{
    json_t *before = NULL;
    int rc = ach_get(db, &r->user, id, &before);
    if (rc) {
        db_rollback(db);
        api_fail(r, rc, NULL, NULL);
        return NULL;
    }
    if (!ach_writable(&r->user, json_integer_value(json_object_get(before, "owner_org_id")),
                      api_str(before, "region_code"))) {
        db_rollback(db);
        json_decref(before);
        http_reply_error(r, 403, "forbidden", NULL);
        return NULL;
    }
    return before;
}

/* PATCH /api/v1/achievements/{id} */
int api_achievements_patch(struct http_req *r)
{
    int64_t id;
    struct db *db = api_db(r);
    if (!db || !api_id_param(r, 0, &id))
        return 0;
    json_t *patch = api_body(r, ach_fields, false);
    if (!patch)
        return 0;
    json_t *before = NULL, *merged = NULL, *after = NULL;
    if (db_begin(db) != 0) {
        api_fail(r, KC_ERR_DB, NULL, NULL);
        goto out;
    }
    before = load_for_write(r, db, id);
    if (!before)
        goto out;
    merged = json_deep_copy(before);
    mk_strip(merged, readonly);
    json_object_update(merged, patch);
    if (!validate(r, db, merged)) {
        db_rollback(db);
        goto out;
    }
    int rc = ach_update(db, id, merged, r->user.id);
    if (!rc)
        rc = ach_get(db, &r->user, id, &after);
    if (rc == KC_ERR_NOT_FOUND)
        rc = KC_ERR_INVALID;
    if (!rc) {
        struct audit_ctx ctx = api_audit_ctx(r);
        rc = audit_write(db, &ctx, "update", "achievement", id, before, after);
    }
    if (!rc)
        rc = db_commit(db);
    else
        db_rollback(db);
    if (rc) {
        api_fail(r, rc, rc == KC_ERR_CONFLICT ? "conflict" : NULL,
                 rc == KC_ERR_CONFLICT ? "external_id" : "owner_org_id");
        goto out;
    }
    market_index_touch(MC_ACH, db, &id, 1);
    reply_ach(r, 200, after, &r->user);
out:
    json_decref(before);
    json_decref(merged);
    json_decref(after);
    json_decref(patch);
    return 0;
}

/* DELETE /api/v1/achievements/{id} */
int api_achievements_delete(struct http_req *r)
{
    int64_t id;
    struct db *db = api_db(r);
    if (!db || !api_id_param(r, 0, &id))
        return 0;
    if (db_begin(db) != 0) {
        api_fail(r, KC_ERR_DB, NULL, NULL);
        return 0;
    }
    json_t *before = load_for_write(r, db, id);
    if (!before)
        return 0;
    int rc = ach_delete(db, id);
    if (!rc) {
        struct audit_ctx ctx = api_audit_ctx(r);
        rc = audit_write(db, &ctx, "delete", "achievement", id, before, NULL);
    }
    if (!rc)
        rc = db_commit(db);
    else
        db_rollback(db);
    json_decref(before);
    if (rc) {
        /* Referenced by deals or contracts: withdraw it instead. */
        api_fail(r, rc, rc == KC_ERR_CONFLICT ? "in_use" : NULL, NULL);
        return 0;
    }
    market_index_touch(MC_ACH, db, &id, 1);
    struct buf out = {0};
    buf_puts(&out, "{\"deleted\":true}");
    http_reply_json(r, 200, &out);
    return 0;
}

/* The audit entry of one import batch (before_commit hook). */
struct import_audit {
    struct http_req *r; /* the request */
};

/* Writes one audit entry listing the ids a batch wrote. */
static int import_audit(struct db *db, void *arg, const int64_t *ids, size_t n)
{
    struct import_audit *ia = arg;
    if (!n)
        return 0;
    json_t *list = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(list, json_integer(ids[i]));
    json_t *diff = json_pack("{s:{s:n,s:o}}", "ids", "before", "after", list);
    struct audit_ctx ctx = api_audit_ctx(ia->r);
    int rc = audit_write_diff(db, &ctx, "import", "achievement", 0, diff);
    json_decref(diff);
    return rc;
}

/* Reads the uploaded file into out (JSON Lines or CSV as is, XLSX as CSV) and tells
 * its format. Replies and returns -1 on failure. */
static int read_upload(struct http_req *r, const char *fmt_s, struct buf *out,
                       enum achievement_format *fmt)
{
    if (!r->upload_path) {
        api_fail(r, KC_ERR_IO, NULL, NULL);
        return -1;
    }
    FILE *f = fopen(r->upload_path, "rb");
    if (!f) {
        api_fail(r, KC_ERR_IO, NULL, NULL);
        return -1;
    }
    char sig[4] = {0};
    bool zip = fread(sig, 1, 4, f) == 4 && memcmp(sig, "PK\x03\x04", 4) == 0;
    if ((fmt_s && strcmp(fmt_s, "xlsx") == 0) || zip) {
        fclose(f);
        *fmt = ACHIEVEMENT_CSV;
        if (achievement_xlsx_csv(r->upload_path, IMPORT_MAX_ROWS + 1, out) != 0) {
            http_reply_error(r, 422, "import_format", "format");
            return -1;
        }
        return 0;
    }
    rewind(f);
    char chunk[65536];
    size_t got;
    while ((got = fread(chunk, 1, sizeof(chunk), f)) > 0)
        buf_append(out, chunk, got);
    fclose(f);
    *fmt = !fmt_s                        ? ACHIEVEMENT_AUTO
           : strcmp(fmt_s, "jsonl") == 0 ? ACHIEVEMENT_JSONL
                                         : ACHIEVEMENT_CSV;
    return 0;
}

/* The format of the upload for a job: ?format=, else xlsx for a zip, jsonl when the
 * first non-blank byte opens an object, csv otherwise. */
static const char *upload_kind(struct http_req *r, const char *fmt_s)
{
    if (fmt_s)
        return fmt_s;
    FILE *f = r->upload_path ? fopen(r->upload_path, "rb") : NULL;
    if (!f)
        return "csv";
    unsigned char head[512];
    size_t n = fread(head, 1, sizeof(head), f);
    fclose(f);
    if (n >= 4 && memcmp(head, "PK\x03\x04", 4) == 0)
        return "xlsx";
    size_t i = n >= 3 && memcmp(head, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    while (i < n && strchr(" \t\r\n", head[i]))
        i++;
    return i < n && head[i] == '{' ? "jsonl" : "csv";
}

/* POST /api/v1/achievements/import?format=jsonl|csv|xlsx — the body is the file. */
int api_achievements_import(struct http_req *r)
{
    struct db *db = api_db(r);
    if (!db)
        return 0;
    static const char *const formats[] = {"jsonl", "csv", "xlsx", NULL};
    const char *fmt_s;
    if (!mk_list_param(r, "format", formats, &fmt_s))
        return 0;
    if (r->upload_path && r->upload_len > IMPORT_MAX_BYTES) {
        /* Too big to hold for a synchronous import: straight to a background job. */
        api_achievement_import_job(r, db, upload_kind(r, fmt_s));
        return 0;
    }
    struct buf file = {0};
    enum achievement_format fmt;
    if (read_upload(r, fmt_s, &file, &fmt) != 0) {
        buf_free(&file);
        return 0;
    }
    const char *data = buf_str(&file);
    size_t len = file.len;
    size_t i = len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    while (i < len && strchr(" \t\r\n", data[i]))
        i++;
    if (i == len) {
        buf_free(&file);
        http_reply_error(r, 422, "import_format", "format");
        return 0;
    }
    char *errtext = NULL;
    size_t errlen = 0;
    FILE *errs = open_memstream(&errtext, &errlen);
    if (!errs) {
        buf_free(&file);
        api_fail(r, KC_ERR_IO, NULL, NULL);
        return 0;
    }
    struct import_audit ia = {r};
    struct achievement_import_opts o = {.user = &r->user,
                                        .max_rows = IMPORT_MAX_ROWS,
                                        .batch = IMPORT_MAX_ROWS + 1,
                                        .before_commit = import_audit,
                                        .arg = &ia};
    struct achievement_import_stats st;
    int rc = achievement_import_ex(db, data, len, fmt, errs, &o, &st);
    fclose(errs);
    buf_free(&file);
    if (o.n_ids && !rc)
        market_index_touch(MC_ACH, db, o.ids, o.n_ids);
    free(o.ids);
    if (rc == KC_ERR_TOO_LARGE) {
        /* Over the synchronous limit (nothing was kept): the file becomes a job. */
        free(errtext);
        api_achievement_import_job(r, db, upload_kind(r, fmt_s));
        return 0;
    }
    if (rc && rc != KC_ERR_INVALID) {
        free(errtext);
        api_fail(r, rc, NULL, NULL);
        return 0;
    }
    /* Row errors, re-worded in the request's language. */
    json_t *rows = json_array();
    char *save = NULL;
    for (char *line = strtok_r(errtext, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        json_t *e = json_loads(line, 0, NULL);
        if (!e)
            continue;
        if (json_array_size(rows) < IMPORT_MAX_ERRORS) {
            const char *code = api_str(e, "error"), *field = api_str(e, "field");
            char base[48] = "";
            if (field)
                snprintf(base, sizeof(base), "%.*s", (int)strcspn(field, "[."), field);
            const char *msg = msg_error(r, code ? code : "invalid_value", field ? base : NULL);
            json_array_append_new(rows,
                                  json_pack("{s:O,s:O,s:s,s:s}", "line", json_object_get(e, "line"),
                                            "field", json_object_get(e, "field"), "code",
                                            code ? code : "invalid_value", "message", msg));
        }
        json_decref(e);
    }
    free(errtext);
    if (rc == KC_ERR_INVALID) {
        /* The file is unusable (no header, encoding): its first error says why. */
        json_t *first = json_array_get(rows, 0);
        const char *code = first ? api_str(first, "code") : "import_format";
        const char *field = first ? api_str(first, "field") : NULL;
        http_reply_error_msg(r, 422, code, field,
                             first ? api_str(first, "message")
                                   : msg_error(r, "import_format", NULL));
        json_decref(rows);
        return 0;
    }
    json_t *res =
        json_pack("{s:I,s:I,s:I,s:I,s:I,s:o}", "rows", (json_int_t)st.rows, "inserted",
                  (json_int_t)st.inserted, "updated", (json_int_t)st.updated, "unchanged",
                  (json_int_t)st.unchanged, "errors", (json_int_t)st.errors, "row_errors", rows);
    struct buf out = {0};
    struct jw w;
    jw_init(&w, &out);
    mk_write_json(&w, NULL, res);
    json_decref(res);
    http_reply_json(r, 200, &out);
    return 0;
}

/* GET /api/v1/achievements/{id}/matches?limit= — the demands it could answer. */
int api_achievements_matches(struct http_req *r)
{
    int64_t id, limit;
    struct db *db = api_db(r);
    if (!db || !api_id_param(r, 0, &id) || !mk_int_param(r, "limit", 1, 100, 20, &limit))
        return 0;
    struct buf out = {0};
    struct jw w;
    jw_init(&w, &out);
    int rc = market_match_achievement(db, &r->user, id, (int)limit, &w);
    if (rc) {
        buf_free(&out);
        if (rc == KC_ERR_INVALID)
            http_reply_error(r, 503, "index_unavailable", NULL);
        else
            api_fail(r, rc, NULL, NULL);
        return 0;
    }
    http_reply_json(r, 200, &out);
    return 0;
}
