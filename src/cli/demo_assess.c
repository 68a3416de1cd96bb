/* demo_assess.c — demo data of the county assessment (issue 5): the schemes of
 * data/assess/schemes.json, one run of each for the previous year with today as the
 * cut-off, and one supervision sweep. Called by demo_load inside its transaction after
 * demo_plans (cli/demo.h). */
#include "cli/demo.h"
#include "core/asset.h"
#include "core/log.h"
#include "core/timeutil.h"
#include "db/db.h"
#include "domain/assess_score.h"
#include "store/assess.h"
#include "store/audit.h"
#include "store/plan_values.h"
#include "store/sup.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

/* Logs a problem of the data file and returns KC_ERR_INVALID. */
static int bad(const char *what, const char *where)
{
    log_msg(LOG_ERROR, "data/assess/schemes.json is invalid", "problem", what, "at", where, NULL);
    return KC_ERR_INVALID;
}

/* Validates one scheme's items and returns them normalised ({indicator_code,
 * weight_centi, rule, cap_pct, floor_pct, min_pct}) in *out (a new reference). */
static int items_of(struct db *db, json_t *scheme, json_t **out)
{
    const char *name = json_string_value(json_object_get(scheme, "name"));
    json_t *items = json_object_get(scheme, "items");
    if (!json_is_array(items) || json_array_size(items) == 0)
        return bad("items missing", name ? name : "?");
    json_t *norm = json_array();
    int64_t sum = 0;
    size_t i;
    json_t *it;
    json_array_foreach(items, i, it)
    {
        const char *code = json_string_value(json_object_get(it, "indicator_code"));
        const char *rule = json_string_value(json_object_get(it, "rule"));
        json_t *w = json_object_get(it, "weight");
        enum assess_rule r;
        if (!code || !assess_indicator_exists(db, code, NULL)) {
            json_decref(norm);
            return bad("unknown indicator", code ? code : "?");
        }
        if (!assess_rule_parse(rule, &r) || !json_is_number(w)) {
            json_decref(norm);
            return bad("rule or weight", code);
        }
        double cw = json_number_value(w) * 100;
        int64_t centi = (int64_t)llround(cw);
        json_int_t cap = json_integer_value(json_object_get(it, "cap_pct"));
        json_int_t floor_pct = json_integer_value(json_object_get(it, "floor_pct"));
        json_int_t min_pct = json_integer_value(json_object_get(it, "min_pct"));
        if (!json_object_get(it, "cap_pct"))
            cap = ASSESS_CAP_DEFAULT;
        if (!json_object_get(it, "floor_pct"))
            floor_pct = ASSESS_FLOOR_DEFAULT;
        if (fabs(cw - (double)centi) > 1e-6 || centi < 1 || centi > ASSESS_WEIGHT_TOTAL ||
            cap < ASSESS_CAP_MIN || cap > ASSESS_CAP_MAX || floor_pct < 0 ||
            floor_pct > ASSESS_FLOOR_MAX || min_pct < 0 || min_pct > 100) {
            json_decref(norm);
            return bad("weight or parameter out of range", code);
        }
        sum += centi;
        json_array_append_new(norm,
                              json_pack("{s:s,s:I,s:s,s:I,s:I,s:I}", "indicator_code", code,
                                        "weight_centi", (json_int_t)centi, "rule", rule, "cap_pct",
                                        cap, "floor_pct", floor_pct, "min_pct", min_pct));
    }
    if (sum != ASSESS_WEIGHT_TOTAL) {
        json_decref(norm);
        return bad("weights do not sum to 100", name ? name : "?");
    }
    *out = norm;
    return 0;
}

int demo_assess(struct db *db)
{
    const struct asset *a = asset_find(assets_data, assets_data_count, "data/assess/schemes.json");
    if (!a)
        return bad("file missing", "data/assess/schemes.json");
    json_error_t err;
    json_t *root = json_loadb((const char *)a->data, a->len, JSON_REJECT_DUPLICATES, &err);
    json_t *schemes = json_object_get(root, "schemes");
    if (!json_is_array(schemes)) {
        json_decref(root);
        return bad("not a scheme file", err.text);
    }
    /* The previous year, with today (Beijing) as the cut-off day. */
    time_t now = (time_t)(time_now() + 8 * 3600);
    struct tm tm;
    gmtime_r(&now, &tm);
    char cutoff[11];
    strftime(cutoff, sizeof(cutoff), "%Y-%m-%d", &tm);
    int year = tm.tm_year + 1900 - 1;
    struct audit_ctx ctx = {0, "demo", "-"};
    struct scope all = {0};
    auth_scope_prefix(&all, "");
    struct assess_viewer v = {all, ""};
    int n_runs = 0;
    /* The computed values of the module demos' records, for the runs and the sweep. */
    int rc = plan_values_refresh(db, NULL, false, NULL);
    size_t i;
    json_t *s;
    json_array_foreach(schemes, i, s)
    {
        if (rc)
            break;
        json_t *items = NULL, *after = NULL;
        const char *city = json_string_value(json_object_get(s, "region_code"));
        const char *name = json_string_value(json_object_get(s, "name"));
        if (!city || !name) {
            rc = bad("region_code or name missing", "schemes");
            break;
        }
        rc = items_of(db, s, &items);
        int64_t id = 0, run = 0;
        if (!rc)
            rc = assess_scheme_insert(db, city, name, json_string_value(json_object_get(s, "note")),
                                      items, 0, &id);
        if (!rc)
            rc = assess_scheme_get(db, &v, id, 0, &after);
        if (!rc)
            rc = audit_write(db, &ctx, "create", "assess_scheme", id, NULL, after);
        json_decref(after);
        json_decref(items);
        if (!rc)
            rc = assess_run_create(db, id, 0, year, cutoff, 0, 0, &run);
        if (!rc) {
            json_t *log = json_pack("{s:I,s:i,s:s}", "scheme_id", (json_int_t)id, "year", year,
                                    "cutoff", cutoff);
            rc = audit_write(db, &ctx, "create", "assess_run", run, NULL, log);
            json_decref(log);
            n_runs++;
        }
        if (rc)
            break;
    }
    json_decref(root);
    /* The supervision sweep once, so the demo starts with its tickets. */
    struct sup_sweep_result res = {0, 0};
    if (!rc)
        rc = sup_sweep(db, &ctx, NULL, cutoff, &res);
    if (!rc) {
        char n[16], t[16];
        snprintf(n, sizeof(n), "%d", n_runs);
        snprintf(t, sizeof(t), "%d", res.opened);
        log_msg(LOG_INFO, "demo assessments run", "runs", n, "tickets", t, NULL);
    }
    return rc;
}
