/*
 * ladder_assess.c (api) — /api/v1/enterprises/{uscc}/assessments: the stored data of one
 * enterprise evaluated by the rule engine (the same `assess` objects as `kechuang assess`,
 * API.md), and /api/v1/rule-sets: the rule sets the engine knows.
 *
 * Each assess object keeps both languages (label_zh / label_en, zh / en) and adds the
 * caller's language as label / text / rule_title, plus the label of every missing field.
 */
#include "api/api.h"
#include "api/handlers_ladder.h"
#include "api/ladder_common.h"
#include "core/buf.h"
#include "db/db.h"
#include "domain/enterprise.h"
#include "core/log.h"
#include "rules/rules.h"
#include "store/enterprise.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

static struct rules_registry registry;
static int registry_ok;
static pthread_once_t registry_once = PTHREAD_ONCE_INIT;

/* Loads the embedded rule sets once per process. */
static void registry_load(void)
{
    char err[512];
    registry_ok = rules_registry_load_embedded(&registry, err, sizeof(err)) == 0;
    if (!registry_ok)
        log_msg(LOG_ERROR, "invalid rule set", "error", err, (char *)NULL);
}

/* The process-wide rule registry, or NULL (logged) when a rule set is invalid. */
static const struct rules_registry *rules(void)
{
    pthread_once(&registry_once, registry_load);
    return registry_ok ? &registry : NULL;
}

/* Sets o[key] to o[key_zh] or o[key_en] by language, when present. */
static void pick(json_t *o, bool en, const char *key, const char *key_zh, const char *key_en)
{
    json_t *v = json_object_get(o, en ? key_en : key_zh);
    if (v)
        json_object_set(o, key, v);
}

/* Adds label to every element of array a (label_zh / label_en). */
static void label_all(json_t *a, bool en)
{
    size_t i;
    json_t *e;
    json_array_foreach(a, i, e) pick(e, en, "label", "label_zh", "label_en");
}

/* Adds the caller's language to one assess object. */
static void localise(json_t *o, bool en)
{
    pick(o, en, "rule_title", "rule_title_zh", "rule_title_en");
    size_t i, j;
    json_t *c, *m;
    json_array_foreach(json_object_get(o, "conditions"), i, c)
    {
        pick(c, en, "label", "label_zh", "label_en");
        label_all(json_object_get(c, "values"), en);
        json_array_foreach(json_object_get(c, "missing"), j, m)
        {
            int f = rules_field_find(json_string_value(json_object_get(m, "field")));
            if (f >= 0)
                json_object_set_new(m, "label",
                                    json_string(en ? rules_fields[f].en : rules_fields[f].zh));
        }
    }
    json_array_foreach(json_object_get(o, "items"), i, c)
    {
        pick(c, en, "label", "label_zh", "label_en");
        pick(c, en, "bracket_label", "bracket", "bracket_en");
        label_all(json_object_get(c, "values"), en);
        json_array_foreach(json_object_get(c, "missing"), j, m)
        {
            int f = rules_field_find(json_string_value(json_object_get(m, "field")));
            if (f >= 0)
                json_object_set_new(m, "label",
                                    json_string(en ? rules_fields[f].en : rules_fields[f].zh));
        }
    }
    label_all(json_object_get(o, "groups"), en);
    json_array_foreach(json_object_get(o, "gaps"), i, c) pick(c, en, "text", "zh", "en");
    json_array_foreach(json_object_get(o, "provisional"), i, c) pick(c, en, "text", "zh", "en");
}

/* Work space of one evaluation (too large for a worker's stack). */
struct assess_ws {
    struct ent_record rec;
    struct rules_result res;
    struct rules_gaps gaps;
};

/* Evaluates set s on the loaded record and appends the localised object to items. */
static int assess_one(struct assess_ws *ws, const struct rules_set *s, int year, bool en,
                      json_t *items)
{
    rules_evaluate(s, &ws->rec.rec, year, &ws->res);
    rules_gaps(s, &ws->rec.rec, &ws->res, &ws->gaps);
    struct buf out = {0};
    struct jw w;
    jw_init(&w, &out);
    rules_write_result(&w, s, &ws->rec.rec, &ws->res, &ws->gaps);
    json_t *o = json_loadb(out.data, out.len, 0, NULL);
    buf_free(&out);
    if (!o)
        return KC_ERR_DB;
    localise(o, en);
    json_array_append_new(items, o);
    return 0;
}

/* GET /api/v1/enterprises/{uscc}/assessments?rule=ID_or_family&year=Y */
int api_ent_assessments(struct http_req *r)
{
    struct db *db = api_db(r);
    const struct rules_registry *reg = rules();
    int64_t org_id;
    if (!db)
        return 0;
    if (!reg) {
        api_fail(r, KC_ERR_DB, NULL, NULL);
        return 0;
    }
    const char *rule = api_qparam(r, "rule"), *ys = api_qparam(r, "year");
    int year = 0;
    if (ys) {
        char *end;
        long v = strtol(ys, &end, 10);
        if (*end || v < 1990 || v > 2100) {
            http_reply_error(r, 422, "invalid_year", "year");
            return 0;
        }
        year = (int)v;
    }
    if (rule && !rules_registry_knows(reg, rule)) {
        http_reply_error(r, 422, "unknown_rule", "rule");
        return 0;
    }
    if (!ladder_find_ent(r, db, &org_id))
        return 0;
    json_t *years = json_array();
    struct db_stmt *st = db_query(db,
                                  "SELECT year FROM enterprise_years WHERE org_id = ? AND "
                                  "is_current = 1 ORDER BY year DESC",
                                  "i", org_id);
    while (st && db_step(st) == DB_ROW)
        json_array_append_new(years, json_integer(db_col_int(st, 0)));
    if (st)
        db_done(st);
    if (!year && json_array_size(years))
        year = (int)json_integer_value(json_array_get(years, 0));
    if (!year) {
        json_decref(years);
        http_reply_error(r, 422, "no_year_data", "year");
        return 0;
    }
    struct assess_ws *ws = calloc(1, sizeof(*ws));
    json_t *items = json_array();
    int rc = ws ? ent_record_load_into(db, org_id, year, &ws->rec) : KC_ERR_IO;
    if (!rc && rule) {
        const struct rules_set *s = rules_registry_find(reg, rule, year);
        if (!s) {
            http_reply_error(r, 422, "no_rule_in_force", "rule");
            goto out;
        }
        rc = assess_one(ws, s, year, r->en, items);
    } else if (!rc) {
        /* Every family, with the set in force for the year, in registry order. */
        for (size_t i = 0; !rc && i < reg->n; i++) {
            const struct rules_set *si = reg->sets[i];
            bool seen = false;
            for (size_t k = 0; k < i; k++)
                seen |= strcmp(reg->sets[k]->family, si->family) == 0;
            const struct rules_set *s = seen ? NULL : rules_registry_find(reg, si->family, year);
            if (s)
                rc = assess_one(ws, s, year, r->en, items);
        }
    }
    if (rc) {
        api_fail(r, rc, NULL, NULL);
        goto out;
    }
    json_t *o = json_object();
    json_object_set_new(o, "uscc", json_string(ws->rec.uscc));
    json_object_set_new(o, "name", json_string(ws->rec.name));
    json_object_set_new(o, "year", json_integer(year));
    json_object_set(o, "years_available", years);
    json_object_set(o, "items", items);
    ladder_reply_json(r, 200, o);
    json_decref(o);
out:
    json_decref(items);
    json_decref(years);
    free(ws);
    return 0;
}

/* GET /api/v1/rule-sets */
int api_rule_sets_list(struct http_req *r)
{
    const struct rules_registry *reg = rules();
    if (!reg) {
        api_fail(r, KC_ERR_DB, NULL, NULL);
        return 0;
    }
    struct buf out = {0};
    struct jw w;
    api_list_begin(&w, &out);
    for (size_t i = 0; i < reg->n; i++) {
        const struct rules_set *s = reg->sets[i];
        char from[11], to[11];
        ent_format_days(s->from_days, from);
        jw_obj_open(&w);
        jw_kstr(&w, "id", s->id);
        jw_kstr(&w, "family", s->family);
        jw_kstr(&w, "title", r->en ? s->title_en : s->title_zh);
        jw_kstr(&w, "title_zh", s->title_zh);
        jw_kstr(&w, "title_en", s->title_en);
        jw_kstr(&w, "effective_from", from);
        if (s->to_days == INT32_MAX) {
            jw_knull(&w, "effective_to");
        } else {
            ent_format_days(s->to_days, to);
            jw_kstr(&w, "effective_to", to);
        }
        jw_kbool(&w, "pre_assessment", s->pre_assessment);
        jw_kbool(&w, "scored", s->scored);
        jw_obj_close(&w);
    }
    api_list_end(r, &w, &out, (int64_t)reg->n, 1, (int64_t)reg->n);
    return 0;
}
