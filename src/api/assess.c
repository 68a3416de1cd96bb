/* assess.c (api) — /api/v1/assess: schemes (versioned), runs, XLSX export, PDF report. */
#include "api/api.h"
#include "api/handlers_assess.h"
#include "core/timeutil.h"
#include "core/utf8.h"
#include "db/db.h"
#include "domain/assess_score.h"
#include "store/assess.h"
#include "store/plan_values.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_ITEMS 50   /* indicators in a scheme */
#define NAME_CHARS 100 /* scheme name */
#define NOTE_CHARS 500 /* version note */

/* Replies 422 for a member of items[idx]: field "items[idx].key", message prefixed
 * with the item's position ("第 3 项指标：…" / "Item 3: …"). */
static void item_fail(struct http_req *r, size_t idx, const char *key, const char *code)
{
    char *field = arena_printf(&r->arena, "items[%zu].%s", idx, key);
    const char *base = msg_error(r, code, key);
    const char *msg = r->en ? arena_printf(&r->arena, "Item %zu: %s", idx + 1, base)
                            : arena_printf(&r->arena, "第 %zu 项指标：%s", idx + 1, base);
    http_reply_error_msg(r, 422, code, field, msg);
}

/* Reads an optional integer parameter of an item within [lo, hi] (default dflt) into
 * the normalised item; replies and returns false when it is malformed. */
static bool item_pct(struct http_req *r, size_t idx, json_t *src, json_t *dst, const char *key,
                     int lo, int hi, int dflt)
{
    json_t *v = json_object_get(src, key);
    json_int_t n = dflt;
    if (v && !json_is_null(v)) {
        if (!json_is_integer(v)) {
            item_fail(r, idx, key, "wrong_type");
            return false;
        }
        n = json_integer_value(v);
        if (n < lo || n > hi) {
            item_fail(r, idx, key, "out_of_range");
            return false;
        }
    }
    json_object_set_new(dst, key, json_integer(n));
    return true;
}

/* Validates the items array of a scheme body and returns the normalised items
 * ({indicator_code, weight_centi, rule, cap_pct, floor_pct, min_pct}, a new reference),
 * or replies 422 naming the field and returns NULL. */
static json_t *check_items(struct http_req *r, struct db *db, json_t *items)
{
    static const char *const keys[] = {"indicator_code", "weight",  "rule", "cap_pct",
                                       "floor_pct",      "min_pct", NULL};
    if (!json_is_array(items)) {
        http_reply_error(r, 422, "wrong_type", "items");
        return NULL;
    }
    size_t n = json_array_size(items);
    if (n == 0) {
        http_reply_error(r, 422, "required", "items");
        return NULL;
    }
    if (n > MAX_ITEMS) {
        http_reply_error(r, 422, "too_many_items", "items");
        return NULL;
    }
    json_t *out = json_array();
    int64_t sum = 0;
    size_t i;
    json_t *it;
    json_array_foreach(items, i, it)
    {
        if (!json_is_object(it)) {
            http_reply_error_msg(r, 422, "wrong_type", arena_printf(&r->arena, "items[%zu]", i),
                                 msg_error(r, "wrong_type", "items"));
            goto fail;
        }
        const char *key;
        json_t *v;
        json_object_foreach(it, key, v)
        {
            const char *const *k = keys;
            while (*k && strcmp(*k, key) != 0)
                k++;
            if (!*k) {
                char *bounded = arena_strndup(&r->arena, key, strnlen(key, 64));
                item_fail(r, i, utf8_valid(bounded, strlen(bounded)) ? bounded : "?",
                          "unknown_field");
                goto fail;
            }
        }
        json_t *norm = json_object();
        json_array_append_new(out, norm);
        /* indicator_code */
        json_t *code = json_object_get(it, "indicator_code");
        if (!code || json_is_null(code) ||
            (json_is_string(code) && utf8_blank(json_string_value(code)))) {
            item_fail(r, i, "indicator_code", "required");
            goto fail;
        }
        if (!json_is_string(code) || json_string_length(code) > 64) {
            item_fail(r, i, "indicator_code", json_is_string(code) ? "too_long" : "wrong_type");
            goto fail;
        }
        if (!assess_indicator_exists(db, json_string_value(code), NULL)) {
            item_fail(r, i, "indicator_code", "unknown_indicator");
            goto fail;
        }
        for (size_t k = 0; k < i; k++)
            if (strcmp(json_string_value(json_object_get(json_array_get(out, k), "indicator_code")),
                       json_string_value(code)) == 0) {
                item_fail(r, i, "indicator_code", "duplicate_indicator");
                goto fail;
            }
        json_object_set(norm, "indicator_code", code);
        /* weight: points, > 0, ≤ 100, at most two decimals */
        json_t *w = json_object_get(it, "weight");
        if (!w || json_is_null(w)) {
            item_fail(r, i, "weight", "required");
            goto fail;
        }
        if (!json_is_number(w)) {
            item_fail(r, i, "weight", "wrong_type");
            goto fail;
        }
        double wd = json_number_value(w) * 100;
        double wr = round(wd);
        if (!isfinite(wd) || fabs(wd - wr) > 1e-6 || wr < 1 || wr > ASSESS_WEIGHT_TOTAL) {
            item_fail(r, i, "weight", "invalid_weight");
            goto fail;
        }
        json_object_set_new(norm, "weight_centi", json_integer((json_int_t)wr));
        sum += (int64_t)wr;
        /* rule */
        json_t *rule = json_object_get(it, "rule");
        enum assess_rule rk;
        if (!rule || json_is_null(rule)) {
            item_fail(r, i, "rule", "required");
            goto fail;
        }
        if (!json_is_string(rule)) {
            item_fail(r, i, "rule", "wrong_type");
            goto fail;
        }
        if (!assess_rule_parse(json_string_value(rule), &rk)) {
            item_fail(r, i, "rule", "invalid_value");
            goto fail;
        }
        json_object_set(norm, "rule", rule);
        if (!item_pct(r, i, it, norm, "cap_pct", ASSESS_CAP_MIN, ASSESS_CAP_MAX,
                      ASSESS_CAP_DEFAULT) ||
            !item_pct(r, i, it, norm, "floor_pct", 0, ASSESS_FLOOR_MAX, ASSESS_FLOOR_DEFAULT) ||
            !item_pct(r, i, it, norm, "min_pct", 0, 100, ASSESS_MIN_DEFAULT))
            goto fail;
    }
    if (sum != ASSESS_WEIGHT_TOTAL) {
        char now[32];
        snprintf(now, sizeof(now), "%lld.%02lld", (long long)(sum / 100), (long long)(sum % 100));
        const char *msg =
            r->en ? arena_printf(&r->arena, "The weights must sum to 100 (they sum to %s)", now)
                  : arena_printf(&r->arena, "各指标权重之和须为 100（当前为 %s）", now);
        http_reply_error_msg(r, 422, "weights_sum", "items", msg);
        goto fail;
    }
    return out;
fail:
    json_decref(out);
    return NULL;
}

/* Parses a scheme body: name (≤ 100 characters), region_code (create only), note
 * (optional, ≤ 500), items. Replies and returns NULL on the first problem. */
static json_t *scheme_body(struct http_req *r, bool create)
{
    static const struct field_spec spec_create[] = {{"region_code", FT_STR, true, 6},
                                                    {"name", FT_STR, true, NAME_CHARS},
                                                    {"note", FT_STR_NULL, false, NOTE_CHARS},
                                                    {"items", FT_STR_LIST, true, 0},
                                                    {NULL, 0, 0, 0}};
    static const struct field_spec spec_update[] = {{"name", FT_STR, true, NAME_CHARS},
                                                    {"note", FT_STR_NULL, false, NOTE_CHARS},
                                                    {"items", FT_STR_LIST, true, 0},
                                                    {NULL, 0, 0, 0}};
    const struct field_spec *spec = create ? spec_create : spec_update;
    json_error_t err;
    json_t *o =
        json_loadb(r->body.data ? r->body.data : "", r->body.len, JSON_REJECT_DUPLICATES, &err);
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
            char *k = arena_strndup(&r->arena, key, strnlen(key, 64));
            http_reply_error(r, 422, "unknown_field", utf8_valid(k, strlen(k)) ? k : NULL);
            goto fail;
        }
        if (strcmp(key, "items") == 0)
            continue; /* checked by check_items */
        if (json_is_null(v) && f->type == FT_STR_NULL)
            continue;
        if (!json_is_string(v)) {
            http_reply_error(r, 422, "wrong_type", key);
            goto fail;
        }
        if (utf8_len(json_string_value(v)) > f->max_chars) {
            http_reply_error(r, 422, "too_long", key);
            goto fail;
        }
        if (f->required && utf8_blank(json_string_value(v))) {
            http_reply_error(r, 422, "required", key);
            goto fail;
        }
    }
    for (const struct field_spec *f = spec; f->name; f++)
        if (f->required && !json_object_get(o, f->name)) {
            http_reply_error(r, 422, "required", f->name);
            goto fail;
        }
    return o;
fail:
    json_decref(o);
    return NULL;
}

static const char *const scheme_sorts[] = {"id",         "name",       "region_code",
                                           "created_at", "updated_at", NULL};

/* GET /api/v1/assess/schemes */
int api_assess_schemes_list(struct http_req *r)
{
    struct db *db = api_db(r);
    int64_t page, size, total;
    const char *col;
    bool desc;
    if (!db || !api_paging(r, &page, &size) || !api_sort(r, scheme_sorts, "id", &col, &desc))
        return 0;
    struct assess_viewer v;
    assess_viewer_for(&r->user, &v);
    struct assess_scheme_filter f = {api_qparam(r, "region_code"), api_qparam(r, "q")};
    int rc = assess_scheme_count(db, &v, &f, &total);
    api_reply_rows(r,
                   rc ? NULL : assess_scheme_list(db, &v, &f, col, desc, size, (page - 1) * size),
                   total, page, size);
    return 0;
}

/* Replies with a JSON object (consumed) and status. */
static void reply_obj(struct http_req *r, int status, json_t *o)
{
    struct buf out = {0};
    char *text = json_dumps(o, JSON_COMPACT);
    buf_puts(&out, text);
    free(text);
    http_reply_json(r, status, &out);
}

/* Reads ?version= (a positive integer, optional); replies 422 when malformed. */
static bool version_param(struct http_req *r, int *version)
{
    const char *s = api_qparam(r, "version");
    *version = 0;
    if (!s)
        return true;
    char *end;
    long v = strtol(s, &end, 10);
    if (*end || v <= 0 || v > 1000000) {
        http_reply_error(r, 422, "invalid_value", "version");
        return false;
    }
    *version = (int)v;
    return true;
}

/* GET /api/v1/assess/schemes/{id} */
int api_assess_schemes_get(struct http_req *r)
{
    int64_t id;
    int version;
    struct db *db = api_db(r);
    if (!db || !api_id_param(r, 0, &id) || !version_param(r, &version))
        return 0;
    struct assess_viewer v;
    assess_viewer_for(&r->user, &v);
    json_t *s = NULL;
    int rc = assess_scheme_get(db, &v, id, version, &s);
    if (rc) {
        api_fail(r, rc, NULL, NULL);
        return 0;
    }
    reply_obj(r, 200, s);
    json_decref(s);
    return 0;
}

/* The viewer of a writer: only the writer's own scope (no city of a county user). */
static void writer_viewer(struct http_req *r, struct assess_viewer *v)
{
    v->scope = r->user.scope;
    v->city[0] = '\0';
}

/* POST /api/v1/assess/schemes */
int api_assess_schemes_create(struct http_req *r)
{
    struct db *db = api_db(r);
    if (!db)
        return 0;
    json_t *o = scheme_body(r, true), *items = NULL, *after = NULL;
    if (!o)
        return 0;
    char city[7];
    if (!api_region(r, db, "region_code", api_str(o, "region_code"), city))
        goto out;
    int64_t prefecture = 0;
    if (db_scalar(db_query(db,
                           "SELECT count(*) FROM regions WHERE code = ? AND level = "
                           "'prefecture'",
                           "s", city),
                  &prefecture) != 0 ||
        !prefecture) {
        http_reply_error(r, 422, "not_a_city", "region_code");
        goto out;
    }
    if (!assess_city_writable(&r->user.scope, city)) {
        http_reply_error(r, 422, "region_out_of_scope", "region_code");
        goto out;
    }
    items = check_items(r, db, json_object_get(o, "items"));
    if (!items)
        goto out;
    int64_t id = 0;
    int rc = db_begin(db);
    if (!rc)
        rc = assess_scheme_insert(db, city, api_str(o, "name"), api_str(o, "note"), items,
                                  r->user.id, &id);
    struct assess_viewer v;
    writer_viewer(r, &v);
    if (!rc)
        rc = assess_scheme_get(db, &v, id, 0, &after);
    if (!rc) {
        struct audit_ctx ctx = api_audit_ctx(r);
        rc = audit_write(db, &ctx, "create", "assess_scheme", id, NULL, after);
    }
    if (!rc)
        rc = db_commit(db);
    else
        db_rollback(db);
    if (rc) {
        api_fail(r, rc, rc == KC_ERR_CONFLICT ? "conflict" : NULL, "name");
        goto out;
    }
    reply_obj(r, 201, after);
out:
    json_decref(after);
    json_decref(items);
    json_decref(o);
    return 0;
}

/* PUT /api/v1/assess/schemes/{id} — saves a new version. */
int api_assess_schemes_update(struct http_req *r)
{
    int64_t id;
    struct db *db = api_db(r);
    if (!db || !api_id_param(r, 0, &id))
        return 0;
    struct assess_viewer v;
    writer_viewer(r, &v);
    json_t *before = NULL, *after = NULL, *items = NULL, *o = NULL;
    int rc = assess_scheme_get(db, &v, id, 0, &before);
    if (rc) {
        api_fail(r, rc, NULL, NULL);
        return 0;
    }
    o = scheme_body(r, false);
    if (!o)
        goto out;
    items = check_items(r, db, json_object_get(o, "items"));
    if (!items)
        goto out;
    int version = 0;
    rc = db_begin(db);
    if (!rc)
        rc = assess_scheme_new_version(db, id, api_str(o, "name"), api_str(o, "note"), items,
                                       r->user.id, &version);
    if (!rc)
        rc = assess_scheme_get(db, &v, id, 0, &after);
    if (!rc) {
        struct audit_ctx ctx = api_audit_ctx(r);
        rc = audit_write(db, &ctx, "update", "assess_scheme", id, before, after);
    }
    if (!rc)
        rc = db_commit(db);
    else
        db_rollback(db);
    if (rc) {
        api_fail(r, rc, rc == KC_ERR_CONFLICT ? "conflict" : NULL, "name");
        goto out;
    }
    reply_obj(r, 200, after);
out:
    json_decref(before);
    json_decref(after);
    json_decref(items);
    json_decref(o);
    return 0;
}

/* GET /api/v1/assess/indicators?region_code=CITY — indicators a scheme of the city can
 * use: those of the targets in the city, with the number of its counties that have a
 * target on each (ratio and linear rules need one). */
int api_assess_indicators(struct http_req *r)
{
    struct db *db = api_db(r);
    if (!db)
        return 0;
    const char *city = api_qparam(r, "region_code");
    if (!city || strlen(city) != 6 || strspn(city, "0123456789") != 6 ||
        strcmp(city + 4, "00") != 0 || strcmp(city + 2, "0000") == 0) {
        http_reply_error(r, 422, "not_a_city", "region_code");
        return 0;
    }
    struct assess_viewer v;
    assess_viewer_for(&r->user, &v);
    bool visible = (strcmp(city, v.scope.lo) >= 0 && strcmp(city, v.scope.hi) < 0) ||
                   strcmp(city, v.city) == 0;
    if (!visible) {
        http_reply_error(r, 422, "region_out_of_scope", "region_code");
        return 0;
    }
    char lo[7], hi[7];
    snprintf(lo, sizeof(lo), "%.4s", city);
    snprintf(hi, sizeof(hi), "%.4s", city);
    hi[3]++;
    struct db_stmt *st = db_query(
        db,
        "SELECT i.code, i.name, i.unit, i.direction, i.method, "
        "(SELECT count(DISTINCT t.region_code) FROM targets t WHERE t.indicator_id = i.id AND "
        " t.region_code > ? AND t.region_code < ? AND t.region_code <> ?) AS counties_with_targets "
        "FROM indicators i WHERE EXISTS (SELECT 1 FROM targets t WHERE t.indicator_id = i.id AND "
        "t.region_code >= ? AND t.region_code < ?) ORDER BY counties_with_targets DESC, i.code",
        "sssss", lo, hi, city, lo, hi);
    int64_t n = 0;
    if (db_scalar(db_query(db,
                           "SELECT count(*) FROM indicators i WHERE EXISTS (SELECT 1 FROM targets "
                           "t WHERE t.indicator_id = i.id AND t.region_code >= ? AND "
                           "t.region_code < ?)",
                           "ss", lo, hi),
                  &n) != 0) {
        if (st)
            db_done(st);
        api_fail(r, KC_ERR_DB, NULL, NULL);
        return 0;
    }
    api_reply_rows(r, st, n, 1, n);
    return 0;
}

static const char *const run_sorts[] = {"id", "year", "created_at", "cutoff", NULL};

/* GET /api/v1/assess/runs */
int api_assess_runs_list(struct http_req *r)
{
    struct db *db = api_db(r);
    int64_t page, size, total;
    const char *col;
    bool desc;
    if (!db || !api_paging(r, &page, &size) || !api_sort(r, run_sorts, "id", &col, &desc))
        return 0;
    struct assess_run_filter f = {api_qparam(r, "region_code"), 0, 0};
    const char *sid = api_qparam(r, "scheme_id"), *year = api_qparam(r, "year");
    char *end;
    if (sid) {
        f.scheme_id = strtoll(sid, &end, 10);
        if (*end || f.scheme_id <= 0) {
            http_reply_error(r, 422, "invalid_value", "scheme_id");
            return 0;
        }
    }
    if (year) {
        long y = strtol(year, &end, 10);
        if (*end || y < 1949 || y > 2100) {
            http_reply_error(r, 422, "invalid_value", "year");
            return 0;
        }
        f.year = (int)y;
    }
    struct assess_viewer v;
    assess_viewer_for(&r->user, &v);
    int rc = assess_run_count(db, &v, &f, &total);
    api_reply_rows(r, rc ? NULL : assess_run_list(db, &v, &f, col, desc, size, (page - 1) * size),
                   total, page, size);
    return 0;
}

/* The day today in Beijing time as YYYY-MM-DD. */
static void today_beijing(char out[11])
{
    time_t t = (time_t)(time_now() + 8 * 3600);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 11, "%Y-%m-%d", &tm);
}

/* Creates a run in a transaction with its audit entry and replies 201 with it. */
static void create_run(struct http_req *r, struct db *db, int64_t scheme_id, int version, int year,
                       const char *cutoff, int64_t rerun_of)
{
    int64_t run_id = 0;
    json_t *after = NULL;
    struct assess_viewer v;
    writer_viewer(r, &v);
    /* Computed values first brought up to date (plans' cache, its own transaction). */
    int rc = plan_values_ensure(db);
    if (!rc)
        rc = db_begin(db);
    if (!rc)
        rc = assess_run_create(db, scheme_id, version, year, cutoff, rerun_of, r->user.id, &run_id);
    if (!rc)
        rc = assess_run_get(db, &v, run_id, &after);
    if (!rc) {
        json_t *a = json_pack(
            "{s:I,s:O,s:O,s:O,s:O,s:O,s:O}", "scheme_id", (json_int_t)scheme_id, "version",
            json_object_get(after, "version"), "year", json_object_get(after, "year"), "cutoff",
            json_object_get(after, "cutoff"), "n_counties", json_object_get(after, "n_counties"),
            "digest", json_object_get(after, "digest"), "rerun_of",
            json_object_get(after, "rerun_of"));
        struct audit_ctx ctx = api_audit_ctx(r);
        rc = audit_write(db, &ctx, "create", "assess_run", run_id, NULL, a);
        json_decref(a);
    }
    if (!rc)
        rc = db_commit(db);
    else
        db_rollback(db);
    if (rc == KC_ERR_INVALID)
        api_fail(r, rc, "indicator_removed", "scheme_id");
    else if (rc)
        api_fail(r, rc, NULL, NULL);
    else
        reply_obj(r, 201, after);
    json_decref(after);
}

/* POST /api/v1/assess/runs {scheme_id, year, cutoff, version?} */
int api_assess_runs_create(struct http_req *r)
{
    static const struct field_spec spec[] = {{"scheme_id", FT_INT, true, 0},
                                             {"year", FT_INT, true, 0},
                                             {"cutoff", FT_STR, true, 10},
                                             {"version", FT_INT_NULL, false, 0},
                                             {NULL, 0, 0, 0}};
    struct db *db = api_db(r);
    if (!db)
        return 0;
    json_t *o = api_body(r, spec, true);
    if (!o)
        return 0;
    int64_t scheme_id = json_integer_value(json_object_get(o, "scheme_id"));
    json_int_t year = json_integer_value(json_object_get(o, "year"));
    json_int_t version = json_integer_value(json_object_get(o, "version"));
    const char *cutoff = api_str(o, "cutoff");
    int64_t day;
    char today[11], jan1[11];
    struct assess_viewer v;
    writer_viewer(r, &v);
    json_t *scheme = NULL;
    if (scheme_id <= 0 || assess_scheme_get(db, &v, scheme_id, 0, &scheme) != 0) {
        http_reply_error(r, 422, "invalid_value", "scheme_id");
        goto out;
    }
    if (version < 0 || version > json_integer_value(json_object_get(scheme, "version"))) {
        http_reply_error(r, 422, "invalid_value", "version");
        goto out;
    }
    if (year < 2000 || year > 2100) {
        http_reply_error(r, 422, "invalid_year", "year");
        goto out;
    }
    if (strlen(cutoff) != 10 || time_parse_date(cutoff, &day) != 0) {
        http_reply_error(r, 422, "invalid_date", "cutoff");
        goto out;
    }
    today_beijing(today);
    snprintf(jan1, sizeof(jan1), "%04d-01-01", (int)year);
    if (strcmp(cutoff, today) > 0) {
        http_reply_error(r, 422, "cutoff_future", "cutoff");
        goto out;
    }
    if (strcmp(cutoff, jan1) < 0) {
        http_reply_error(r, 422, "cutoff_before_year", "cutoff");
        goto out;
    }
    create_run(r, db, scheme_id, (int)version, (int)year, cutoff, 0);
out:
    json_decref(scheme);
    json_decref(o);
    return 0;
}

/* POST /api/v1/assess/runs/{id}/rerun — the same scheme version, year and cut-off. */
int api_assess_runs_rerun(struct http_req *r)
{
    int64_t id;
    struct db *db = api_db(r);
    if (!db || !api_id_param(r, 0, &id))
        return 0;
    struct assess_viewer v;
    writer_viewer(r, &v);
    json_t *run = NULL;
    int rc = assess_run_get(db, &v, id, &run);
    if (rc) {
        api_fail(r, rc, NULL, NULL);
        return 0;
    }
    create_run(r, db, json_integer_value(json_object_get(run, "scheme_id")),
               (int)json_integer_value(json_object_get(run, "version")),
               (int)json_integer_value(json_object_get(run, "year")),
               json_string_value(json_object_get(run, "cutoff")), id);
    json_decref(run);
    return 0;
}

/* Loads a visible run for a read handler; replies and returns NULL on failure. */
static json_t *load_run(struct http_req *r, struct db **db, int64_t *id)
{
    *db = api_db(r);
    if (!*db || !api_id_param(r, 0, id))
        return NULL;
    struct assess_viewer v;
    assess_viewer_for(&r->user, &v);
    json_t *run = NULL;
    int rc = assess_run_get(*db, &v, *id, &run);
    if (rc) {
        api_fail(r, rc, NULL, NULL);
        return NULL;
    }
    return run;
}

/* GET /api/v1/assess/runs/{id} */
int api_assess_runs_get(struct http_req *r)
{
    struct db *db;
    int64_t id;
    json_t *run = load_run(r, &db, &id);
    if (!run)
        return 0;
    reply_obj(r, 200, run);
    json_decref(run);
    return 0;
}

/* GET /api/v1/assess/runs/{id}/export — the breakdown as XLSX. */
int api_assess_runs_export(struct http_req *r)
{
    /* clang-format off */
    static const char *const cols[] = {
        "rank", "排名", "Rank",
        "county_code", "区划代码", "County code",
        "county_name", "县(市、区)", "County",
        "total", "总分", "Total",
        "seq", "指标序号", "Item",
        "indicator_name", "指标", "Indicator",
        "unit", "单位", "Unit",
        "weight", "权重", "Weight",
        "rule", "计分规则", "Rule",
        "value", "数值", "Value",
        "target", "目标", "Target",
        "achievement_pct", "完成率(%)", "Achieved (%)",
        "item_rank", "单项名次", "Place",
        "score", "得分", "Score",
        "note", "说明", "Remark",
        NULL};
    /* clang-format on */
    struct db *db;
    int64_t id;
    json_t *run = load_run(r, &db, &id);
    if (!run)
        return 0;
    json_decref(run);
    struct db_stmt *st = assess_run_rows(db, id);
    if (!st) {
        api_fail(r, KC_ERR_DB, NULL, NULL);
        return 0;
    }
    api_export_xlsx(r, st, cols, "考核结果", "Assessment",
                    arena_printf(&r->arena, "assessment-%lld.xlsx", (long long)id));
    return 0;
}

/* GET /api/v1/assess/runs/{id}/report — the PDF report. */
int api_assess_runs_report(struct http_req *r)
{
    struct db *db;
    int64_t id;
    json_t *run = load_run(r, &db, &id);
    if (!run)
        return 0;
    char *pdf = NULL;
    size_t len = 0;
    int rc = assess_run_report(db, run, r->en, &pdf, &len);
    json_decref(run);
    if (rc) {
        api_fail(r, rc, NULL, NULL);
        return 0;
    }
    http_reply_bytes(r, 200, "application/pdf", pdf, len,
                     arena_printf(&r->arena, "assessment-%lld.pdf", (long long)id));
    return 0;
}
