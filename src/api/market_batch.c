/* market_batch.c (api) — batch matching: every open demand of a chain (or a list of
 * demands) against the achievement library, the roadshow preparation `kechuang match`
 * does on the command line. Visibility is that of GET /demands/{id}/matches: only the
 * demands the caller sees (store/demand.h) and, per demand, published achievements not
 * of the demand's own organisation (search/market.h). docs/api-market.md. */
#include "api/handlers_market.h"
#include "api/market_common.h"
#include "core/buf.h"
#include "core/jw.h"
#include "core/xalloc.h"
#include "db/db.h"
#include "search/market.h"
#include "store/achievement.h"
#include "store/demand.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* At most this many demand ids in ?demand_ids=. */
#define BATCH_MAX_IDS 200
/* At most this many demands in one export (narrow the filters beyond it). */
#define BATCH_MAX_EXPORT 500

/* The demand members a batch row shows (no contacts, no long texts). */
static const char *const demand_keep[] = {"id",
                                          "title",
                                          "org_id",
                                          "org_name",
                                          "region_code",
                                          "region_name",
                                          "chain",
                                          "chain_name",
                                          "field",
                                          "coop_modes",
                                          "keywords",
                                          "budget_min_fen",
                                          "budget_max_fen",
                                          "deadline",
                                          "status",
                                          "confidentiality",
                                          "completeness",
                                          NULL};

/* The parsed request. */
struct batch_q {
    struct demand_filter f; /* demands to match */
    int64_t limit;          /* achievements per demand */
    char *ids_json;         /* malloc'd JSON array of ?demand_ids= (or NULL) */
};

/* Parses ?demand_ids=1,2,3 into a JSON array text; replies 422 and returns false when
 * malformed or too long. */
static bool read_ids(struct http_req *r, char **out)
{
    *out = NULL;
    const char *v = api_qparam(r, "demand_ids");
    if (!v)
        return true;
    struct buf b = {0};
    buf_puts(&b, "[");
    int n = 0;
    const char *p = v;
    while (*p) {
        char *end;
        if (*p < '0' || *p > '9') {
            buf_free(&b);
            http_reply_error(r, 422, "invalid_value", "demand_ids");
            return false;
        }
        long long id = strtoll(p, &end, 10);
        if (id <= 0 || (*end && *end != ',') || end - p > 18) {
            buf_free(&b);
            http_reply_error(r, 422, "invalid_value", "demand_ids");
            return false;
        }
        if (++n > BATCH_MAX_IDS) {
            buf_free(&b);
            http_reply_error(r, 422, "too_many", "demand_ids");
            return false;
        }
        char num[32];
        snprintf(num, sizeof(num), "%s%lld", n > 1 ? "," : "", id);
        buf_puts(&b, num);
        p = *end ? end + 1 : end;
        if (*end && !*p) { /* trailing comma */
            buf_free(&b);
            http_reply_error(r, 422, "invalid_value", "demand_ids");
            return false;
        }
    }
    buf_puts(&b, "]");
    *out = xstrdup(buf_str(&b));
    buf_free(&b);
    return true;
}

/* Reads the request's filters; replies 422 and returns false on bad input. */
static bool read_q(struct http_req *r, struct db *db, struct batch_q *q)
{
    memset(q, 0, sizeof(*q));
    static const char *const statuses[] = {"published", "matched", NULL};
    q->f.chain = api_qparam(r, "chain");
    if (!mk_list_param(r, "status", statuses, &q->f.status) ||
        !mk_list_param(r, "field", market_fields, &q->f.field) ||
        !api_region_param(r, &q->f.region) || !mk_int_param(r, "limit", 1, 20, 5, &q->limit) ||
        !read_ids(r, &q->ids_json))
        return false;
    if (!q->f.status)
        q->f.status = "published";
    q->f.ids_json = q->ids_json;
    if (!q->f.chain && !q->ids_json) {
        http_reply_error(r, 422, "required", "chain");
        return false;
    }
    if (q->f.chain && !market_chain_exists(db, q->f.chain)) {
        free(q->ids_json);
        q->ids_json = NULL;
        http_reply_error(r, 422, "invalid_value", "chain");
        return false;
    }
    return true;
}

/* Writes the batch rows of the demands st selects: {"demand":{…},"matches":[…]} each.
 * Returns 0 or a kc_err (KC_ERR_INVALID: the indexes are not ready). */
static int write_rows(struct db *db, struct db_stmt *st, int k, struct jw *w)
{
    int s, rc = 0;
    while (!rc && (s = db_step(st)) == DB_ROW) {
        json_t *d = db_row_json(st);
        json_t *shown = json_object();
        for (int i = 0; demand_keep[i]; i++) {
            json_t *v = json_object_get(d, demand_keep[i]);
            if (v)
                json_object_set(shown, demand_keep[i], v);
        }
        jw_obj_open(w);
        mk_write_json(w, "demand", shown);
        rc = market_match_demand_rec(db, d, k, "matches", w);
        jw_obj_close(w);
        json_decref(shown);
        json_decref(d);
    }
    if (!rc && s < 0)
        rc = s;
    return rc;
}

/* Replies for a failure of the matching. */
static void fail(struct http_req *r, int rc)
{
    if (rc == KC_ERR_INVALID)
        http_reply_error(r, 503, "index_unavailable", NULL);
    else
        api_fail(r, rc, NULL, NULL);
}

/* GET /api/v1/demands/batch-matches?chain=&region_code=&demand_ids=&field=&status=&limit=
 * &page=&page_size= */
int api_demands_batch_matches(struct http_req *r)
{
    struct db *db = api_db(r);
    struct batch_q q;
    int64_t page, size;
    if (!db || !read_q(r, db, &q))
        return 0;
    if (!mk_int_param(r, "page", 1, 1000000, 1, &page) ||
        !mk_int_param(r, "page_size", 1, 50, 20, &size)) {
        free(q.ids_json);
        return 0;
    }
    int64_t total = 0;
    int rc = demand_count(db, &r->user, &q.f, &total);
    struct db_stmt *st =
        rc ? NULL : demand_list(db, &r->user, &q.f, "id", false, size, (page - 1) * size);
    if (!st) {
        free(q.ids_json);
        api_fail(r, rc ? rc : KC_ERR_DB, NULL, NULL);
        return 0;
    }
    struct buf out = {0};
    struct jw w;
    jw_init(&w, &out);
    jw_obj_open(&w);
    jw_kstr(&w, "chain", q.f.chain);
    jw_kint(&w, "limit", q.limit);
    jw_key(&w, "items");
    jw_arr_open(&w);
    rc = write_rows(db, st, (int)q.limit, &w);
    db_done(st);
    free(q.ids_json);
    if (rc) {
        buf_free(&out);
        fail(r, rc);
        return 0;
    }
    jw_arr_close(&w);
    jw_kint(&w, "total", total);
    jw_kint(&w, "page", page);
    jw_kint(&w, "page_size", size);
    jw_obj_close(&w);
    http_reply_json(r, 200, &out);
    return 0;
}

/* Appends "a; b; c" of the string array member k of o to b. */
static void join_list(struct buf *b, json_t *o, const char *k, const char *sep)
{
    size_t i;
    json_t *e;
    json_array_foreach(json_object_get(o, k), i, e)
    {
        if (i)
            buf_puts(b, sep);
        buf_puts(b, json_string_value(e) ? json_string_value(e) : "");
    }
}

/* The reasons of a match as one line: "text/title 13.98 (铝合金); trl 4.43; …". */
static char *reasons_line(json_t *m)
{
    struct buf b = {0};
    size_t i;
    json_t *e;
    json_array_foreach(json_object_get(m, "reasons"), i, e)
    {
        char num[48];
        snprintf(num, sizeof(num), " %.2f", json_number_value(json_object_get(e, "contribution")));
        if (i)
            buf_puts(&b, "; ");
        buf_puts(&b, api_str(e, "signal") ? api_str(e, "signal") : "");
        if (api_str(e, "field")) {
            buf_puts(&b, "/");
            buf_puts(&b, api_str(e, "field"));
        }
        buf_puts(&b, num);
        if (json_array_size(json_object_get(e, "terms"))) {
            buf_puts(&b, " (");
            join_list(&b, e, "terms", "、");
            buf_puts(&b, ")");
        }
    }
    char *s = xstrdup(buf_str(&b));
    buf_free(&b);
    return s;
}

/* Adds the export rows of one batch row (one per match, or one without a match). */
static void add_export_rows(json_t *rows, json_t *item)
{
    json_t *d = json_object_get(item, "demand");
    json_t *ms = json_object_get(item, "matches");
    struct buf modes = {0};
    join_list(&modes, d, "coop_modes", "、");
    size_t n = json_array_size(ms);
    for (size_t i = 0; i < (n ? n : 1); i++) {
        json_t *row = json_object();
        json_object_set(row, "demand_id", json_object_get(d, "id"));
        json_object_set(row, "demand_title", json_object_get(d, "title"));
        json_object_set(row, "org_name", json_object_get(d, "org_name"));
        json_object_set(row, "region_name", json_object_get(d, "region_name"));
        json_object_set(row, "chain_name", json_object_get(d, "chain_name"));
        json_object_set_new(row, "coop_modes", json_string(buf_str(&modes)));
        if (n) {
            json_t *m = json_array_get(ms, i);
            json_t *rec = json_object_get(m, "record");
            json_object_set_new(row, "rank", json_integer((json_int_t)i + 1));
            json_object_set(row, "achievement_id", json_object_get(m, "id"));
            json_object_set(row, "achievement_title", json_object_get(m, "title"));
            json_object_set(row, "kind", json_object_get(rec, "kind"));
            json_object_set(row, "trl", json_object_get(rec, "trl"));
            json_object_set(row, "owner_org_name", json_object_get(rec, "owner_org_name"));
            json_object_set(row, "owner_region_name", json_object_get(rec, "region_name"));
            json_object_set(row, "score", json_object_get(m, "score"));
            json_object_set(row, "text_score", json_object_get(m, "text_score"));
            struct buf t = {0};
            join_list(&t, m, "terms", "、");
            json_object_set_new(row, "terms", json_string(buf_str(&t)));
            buf_free(&t);
            char *why = reasons_line(m);
            json_object_set_new(row, "reasons", json_string(why));
            free(why);
        }
        json_array_append_new(rows, row);
    }
    buf_free(&modes);
}

/* GET /api/v1/demands/batch-matches/export — the same, every demand, one row per match,
 * as XLSX (or ?format=csv). */
int api_demands_batch_matches_export(struct http_req *r)
{
    /* clang-format off */
    static const char *const cols[] = {
        "demand_id", "需求编号", "Demand ID",
        "demand_title", "需求名称", "Demand",
        "org_name", "需求单位", "Organisation",
        "region_name", "行政区划", "Region",
        "chain_name", "产业链", "Industry chain",
        "coop_modes", "合作方式", "Cooperation modes",
        "rank", "排名", "Rank",
        "achievement_id", "成果编号", "Achievement ID",
        "achievement_title", "成果名称", "Achievement",
        "kind", "成果类型", "Kind",
        "trl", "技术成熟度", "TRL",
        "owner_org_name", "成果单位", "Owner",
        "owner_region_name", "成果所在地", "Owner region",
        "score", "匹配得分", "Score",
        "text_score", "文本得分", "Text score",
        "terms", "匹配词", "Matched terms",
        "reasons", "匹配理由", "Reasons",
        NULL};
    /* clang-format on */
    struct db *db = api_db(r);
    struct batch_q q;
    if (!db || !read_q(r, db, &q))
        return 0;
    const char *fmt = api_qparam(r, "format");
    if (fmt && strcmp(fmt, "csv") != 0 && strcmp(fmt, "xlsx") != 0) {
        free(q.ids_json);
        http_reply_error(r, 422, "invalid_value", "format");
        return 0;
    }
    int64_t total = 0;
    int rc = demand_count(db, &r->user, &q.f, &total);
    if (!rc && total > BATCH_MAX_EXPORT) {
        free(q.ids_json);
        http_reply_error(r, 422, "too_many_demands", q.f.chain ? "chain" : "demand_ids");
        return 0;
    }
    struct db_stmt *st = rc ? NULL : demand_list(db, &r->user, &q.f, "id", false, -1, 0);
    if (!st) {
        free(q.ids_json);
        api_fail(r, rc ? rc : KC_ERR_DB, NULL, NULL);
        return 0;
    }
    struct buf out = {0};
    struct jw w;
    jw_init(&w, &out);
    jw_arr_open(&w);
    rc = write_rows(db, st, (int)q.limit, &w);
    jw_arr_close(&w);
    db_done(st);
    free(q.ids_json);
    if (rc) {
        buf_free(&out);
        fail(r, rc);
        return 0;
    }
    json_t *items = json_loadb(out.data, out.len, 0, NULL);
    buf_free(&out);
    if (!items) {
        api_fail(r, KC_ERR_IO, NULL, NULL);
        return 0;
    }
    json_t *rows = json_array();
    size_t i;
    json_t *it;
    json_array_foreach(items, i, it) add_export_rows(rows, it);
    json_decref(items);
    char *text = json_dumps(rows, JSON_COMPACT);
    json_decref(rows);
    /* The rows go to the exporter as a statement over the JSON (one column per key). */
    struct buf sql = {0};
    buf_puts(&sql, "SELECT ");
    for (int c = 0; cols[c]; c += 3) {
        char part[160];
        snprintf(part, sizeof(part), "%sjson_extract(value, '$.%s') AS %s", c ? ", " : "", cols[c],
                 cols[c]);
        buf_puts(&sql, part);
    }
    buf_puts(&sql, " FROM json_each(?) ORDER BY key");
    st = db_query(db, buf_str(&sql), "s", text);
    buf_free(&sql);
    free(text);
    if (!st) {
        api_fail(r, KC_ERR_DB, NULL, NULL);
        return 0;
    }
    api_export_xlsx(r, st, cols, "需求批量匹配", "Batch matching", "batch-matches.xlsx");
    return 0;
}
