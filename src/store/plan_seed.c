/* plan_seed.c (store) — writes the seed plans of data/plans (domain/plan_data) into the
 * plan tables: units, plans, tasks, indicators, targets, milestones, requirements and the
 * values the documents state, as verified observations whose source is the document. */
#include "store/plan.h"
#include "core/timeutil.h"
#include "db/db.h"
#include "domain/plan_data.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* The spelling of the enums in the tables (as in the plan files). */
static const char *const TASK_KINDS[] = {"goal", "task", "safeguard"};
static const char *const DIRECTIONS[] = {"higher", "lower"};
static const char *const MEASURES[] = {"stock", "flow", "rate"};
static const char *const SCOPES[] = {"region", "chain"};
static const char *const TARGET_KINDS[] = {"value", "growth", "relative"};
static const char *const BASES[] = {NULL, "level", "annual", "cumulative"};
static const char *const GROWTH_MODES[] = {"yoy", "cagr", "total"};
static const char *const STATUSES[] = {"draft", "active", "closed"};
static const char *const DOC_KINDS[] = {"official_document", "draft_for_comment", "signed_article",
                                        "news_report"};

/* Binds a double or NULL (when isnan) at idx. */
static int bind_num(struct db_stmt *st, int idx, double v)
{
    if (isnan(v))
        return db_bind_null(st, idx);
    return db_bind_double(st, idx, v);
}

/* Binds an int or NULL (when 0) at idx. */
static int bind_year(struct db_stmt *st, int idx, int y)
{
    return y ? db_bind_int(st, idx, y) : db_bind_null(st, idx);
}

/* Finds or inserts the unit u of a plan issued by region; stores its id. A unit with the
 * same name in the region is reused; a code taken by another name gets the plan's code
 * as a suffix. */
static int seed_unit(struct db *db, const char *region, const char *plan_code,
                     const struct plan_data_unit *u, int64_t *id)
{
    int64_t found = 0;
    int rc = db_scalar(db_query(db, "SELECT id FROM plan_units WHERE region_code=? AND name=?",
                                "ss", region, u->name),
                       &found);
    if (rc || found) {
        *id = found;
        return rc;
    }
    char code[96];
    snprintf(code, sizeof(code), "%s", u->code);
    int64_t taken = 0;
    rc = db_scalar(db_query(db, "SELECT count(*) FROM plan_units WHERE region_code=? AND code=?",
                            "ss", region, code),
                   &taken);
    if (!rc && taken)
        snprintf(code, sizeof(code), "%s_%s", u->code, plan_code);
    int64_t now = time_now();
    if (!rc)
        rc = db_run(db_query(db,
                             "INSERT INTO plan_units(region_code,code,name,kind,collective,note,"
                             "created_at,updated_at) VALUES(?,?,?,?,?,?,?,?)",
                             "ssssisii", region, code, u->name, u->kind, (int64_t)u->collective,
                             u->note, now, now));
    if (!rc)
        *id = db_last_id(db);
    return rc;
}

/* Finds or inserts an indicator by code; stores its id. */
static int seed_indicator(struct db *db, const struct plan_data_indicator *ind, int64_t *id)
{
    int64_t found = 0;
    int rc =
        db_scalar(db_query(db, "SELECT id FROM indicators WHERE code=?", "s", ind->code), &found);
    if (rc || found) {
        *id = found;
        return rc;
    }
    char *params = ind->params ? json_dumps(ind->params, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
    int64_t now = time_now();
    rc = db_run(
        db_query(db,
                 "INSERT INTO indicators(code,name,unit,direction,measure,scope,method,formula,"
                 "params_json,reporter,definition,note,created_at,updated_at) "
                 "VALUES(?,?,?,?,?,?,?,?,coalesce(?,'{}'),?,?,?,?,?)",
                 "ssssssssssssii", ind->code, ind->name, ind->unit, DIRECTIONS[ind->direction],
                 MEASURES[ind->measure], SCOPES[ind->scope],
                 ind->kind == PLAN_DATA_COMPUTED ? "computed" : "reported", ind->formula, params,
                 ind->source, ind->definition, ind->note, now, now));
    free(params);
    if (!rc)
        *id = db_last_id(db);
    return rc;
}

/* The id of indicator code (inserted before); 0 when absent. */
static int64_t indicator_id(struct db *db, const char *code)
{
    int64_t id = 0;
    if (db_scalar(db_query(db, "SELECT id FROM indicators WHERE code=?", "s", code), &id))
        return 0;
    return id;
}

/* The id of the task code of plan plan_id; 0 when absent. */
static int64_t task_id(struct db *db, int64_t plan_id, const char *code)
{
    int64_t id = 0;
    if (db_scalar(db_query(db, "SELECT id FROM plan_tasks WHERE plan_id=? AND code=?", "is",
                           plan_id, code),
                  &id))
        return 0;
    return id;
}

/* Inserts the tasks of p with their responsible units (unit ids in unit_ids, parallel to
 * p->units). */
static int seed_tasks(struct db *db, const struct plan_data_plan *p, int64_t plan_id,
                      const int64_t *unit_ids)
{
    int64_t now = time_now();
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < p->n_tasks; i++) {
        const struct plan_data_task *t = &p->tasks[i];
        int64_t parent = t->parent ? task_id(db, plan_id, t->parent->code) : 0;
        int64_t lead = 0;
        for (size_t u = 0; t->lead && u < p->n_units; u++)
            if (&p->units[u] == t->lead)
                lead = unit_ids[u];
        rc =
            db_run(db_query(db,
                            "INSERT INTO plan_tasks(plan_id,code,kind,parent_id,title,"
                            "description,lead_unit_id,deadline,note,sort,created_at,updated_at) "
                            "VALUES(?,?,?,nullif(?,0),?,?,nullif(?,0),?,?,?,?,?)",
                            "issississiii", plan_id, t->code, TASK_KINDS[t->kind], parent, t->title,
                            t->description, lead, t->deadline, t->note, (int64_t)i, now, now));
        int64_t tid = db_last_id(db);
        for (size_t k = 0; rc == 0 && k < t->n_units; k++) {
            int64_t uid = 0;
            for (size_t u = 0; u < p->n_units; u++)
                if (&p->units[u] == t->units[k])
                    uid = unit_ids[u];
            rc = db_run(db_query(db,
                                 "INSERT OR IGNORE INTO plan_task_units(task_id,unit_id,seq) "
                                 "VALUES(?,?,?)",
                                 "iii", tid, uid, (int64_t)k));
        }
    }
    return rc;
}

/* Inserts one target of p and its milestones. */
static int seed_target(struct db *db, const struct plan_data_plan *p, int64_t plan_id,
                       const struct plan_data_target *t)
{
    static const char sql[] =
        "INSERT INTO targets(plan_id,task_id,indicator_id,code,region_code,chain,kind,basis,"
        "cumulative_from,each_year_from,comparator,target_value,target_value_max,stretch_value,"
        "growth_mode,growth_rate_pct,growth_base_year,relative_to_id,target_year,target_date,"
        "baseline_year,baseline_value,baseline_comparator,baseline_text,qualifier,text,note,"
        "created_at,updated_at) "
        "VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)";
    (void)p;
    struct db_stmt *st = db_prep(db, sql);
    if (!st)
        return KC_ERR_DB;
    bool value = t->kind == PLAN_DATA_TARGET_VALUE;
    bool growth = t->kind == PLAN_DATA_TARGET_GROWTH;
    int64_t now = time_now();
    int rc = db_bind_int(st, 1, plan_id);
    rc = rc ? rc : db_bind_int(st, 2, task_id(db, plan_id, t->task->code));
    rc = rc ? rc : db_bind_int(st, 3, indicator_id(db, t->indicator->code));
    rc = rc ? rc : db_bind_text(st, 4, t->code);
    rc = rc ? rc : db_bind_text(st, 5, t->region);
    rc = rc ? rc : db_bind_text(st, 6, t->chain);
    rc = rc ? rc : db_bind_text(st, 7, TARGET_KINDS[t->kind]);
    rc = rc ? rc : db_bind_text(st, 8, BASES[t->basis]);
    rc = rc ? rc : bind_year(st, 9, t->cumulative_from);
    rc = rc ? rc : bind_year(st, 10, t->each_year_from);
    rc = rc ? rc : db_bind_text(st, 11, plan_data_cmp_name(t->cmp));
    rc = rc ? rc : bind_num(st, 12, value ? t->target_value : NAN);
    rc = rc ? rc : bind_num(st, 13, t->cmp == PLAN_DATA_CMP_BETWEEN ? t->target_value_max : NAN);
    rc = rc ? rc : bind_num(st, 14, t->has_stretch ? t->stretch_value : NAN);
    rc = rc ? rc : db_bind_text(st, 15, growth ? GROWTH_MODES[t->growth_mode] : NULL);
    rc = rc ? rc : bind_num(st, 16, growth ? t->rate_pct : NAN);
    rc = rc ? rc : bind_year(st, 17, growth ? t->base_year : 0);
    if (t->relative_to)
        rc = rc ? rc : db_bind_int(st, 18, indicator_id(db, t->relative_to->code));
    else
        rc = rc ? rc : db_bind_null(st, 18);
    rc = rc ? rc : db_bind_int(st, 19, t->target_year);
    rc = rc ? rc : db_bind_text(st, 20, t->target_date);
    rc = rc ? rc : bind_year(st, 21, t->has_baseline ? t->baseline.year : 0);
    rc = rc ? rc : bind_num(st, 22, t->has_baseline ? t->baseline.value : NAN);
    rc = rc ? rc
            : db_bind_text(st, 23, t->has_baseline ? plan_data_cmp_name(t->baseline.cmp) : NULL);
    rc = rc ? rc : db_bind_text(st, 24, t->has_baseline ? t->baseline.text : NULL);
    rc = rc ? rc : db_bind_text(st, 25, t->qualifier);
    rc = rc ? rc : db_bind_text(st, 26, t->text);
    rc = rc ? rc : db_bind_text(st, 27, t->note);
    rc = rc ? rc : db_bind_int(st, 28, now);
    rc = rc ? rc : db_bind_int(st, 29, now);
    if (rc) {
        db_done(st);
        return rc;
    }
    rc = db_run(st);
    int64_t tid = db_last_id(db);
    for (size_t m = 0; rc == 0 && m < t->n_milestones; m++) {
        const struct plan_data_point *pt = &t->milestones[m];
        struct db_stmt *ms = db_prep(db, "INSERT INTO target_milestones(target_id,year,"
                                         "comparator,value,text) VALUES(?,?,?,?,?)");
        if (!ms)
            return KC_ERR_DB;
        rc = db_bind_int(ms, 1, tid);
        rc = rc ? rc : db_bind_int(ms, 2, pt->year);
        rc = rc ? rc : db_bind_text(ms, 3, plan_data_cmp_name(pt->cmp));
        rc = rc ? rc : db_bind_double(ms, 4, pt->value);
        rc = rc ? rc : db_bind_text(ms, 5, pt->text);
        if (rc)
            db_done(ms);
        else
            rc = db_run(ms);
    }
    return rc;
}

/* Inserts a value the document states as a verified observation. */
static int seed_observation(struct db *db, const char *plan_code, int64_t ind_id,
                            const char *region, const char *chain, const struct plan_data_point *pt)
{
    char source[160];
    snprintf(source, sizeof(source), "规划文件 %s", plan_code);
    int64_t now = time_now();
    int64_t exists = 0;
    int rc = db_scalar(db_query(db,
                                "SELECT count(*) FROM observations WHERE indicator_id=? AND "
                                "region_code=? AND chain=? AND year=? AND is_current=1",
                                "issi", ind_id, region, chain ? chain : "", (int64_t)pt->year),
                       &exists);
    if (rc || exists)
        return rc;
    struct db_stmt *st = db_prep(db, "INSERT INTO observations(indicator_id,region_code,chain,"
                                     "year,revision,is_current,value,comparator,source,note,"
                                     "status,submitted_at,verified_at,created_at,updated_at) "
                                     "VALUES(?,?,?,?,1,1,?,?,?,?,'verified',?,?,?,?)");
    if (!st)
        return KC_ERR_DB;
    rc = db_bind_int(st, 1, ind_id);
    rc = rc ? rc : db_bind_text(st, 2, region);
    rc = rc ? rc : db_bind_text(st, 3, chain ? chain : "");
    rc = rc ? rc : db_bind_int(st, 4, pt->year);
    rc = rc ? rc : db_bind_double(st, 5, pt->value);
    rc = rc ? rc : db_bind_text(st, 6, plan_data_cmp_name(pt->cmp));
    rc = rc ? rc : db_bind_text(st, 7, source);
    rc = rc ? rc : db_bind_text(st, 8, pt->text);
    for (int k = 9; rc == 0 && k <= 12; k++)
        rc = db_bind_int(st, k, now);
    if (rc) {
        db_done(st);
        return rc;
    }
    return db_run(st);
}

/* Loads one plan; returns its id in *id. */
static int seed_plan(struct db *db, const struct plan_data_plan *p, const struct audit_ctx *ctx,
                     int64_t *id)
{
    int64_t now = time_now();
    json_t *co = json_array();
    for (size_t i = 0; i < p->n_co_issuers; i++)
        json_array_append_new(co, json_string(p->co_issuers[i]));
    char *co_text = json_dumps(co, JSON_COMPACT);
    json_decref(co);
    int rc = db_run(db_query(
        db,
        "INSERT INTO plans(code,title,region_code,issuer,co_issuers,doc_no,doc_kind,issued_on,"
        "period_start,period_end,status,is_public,source,source_text,note,created_at,updated_at) "
        "VALUES(?,?,?,?,?,?,?,?,?,?,?,0,?,?,?,?,?)",
        "ssssssssssssssii", p->code, p->title, p->issuing_region, p->issuer, co_text, p->doc_no,
        DOC_KINDS[p->doc_kind], p->issued_on, p->period_start, p->period_end, STATUSES[p->status],
        p->source, p->source_text, p->note, now, now));
    free(co_text);
    if (rc)
        return rc;
    *id = db_last_id(db);
    int64_t unit_ids[64] = {0};
    if (p->n_units > 64)
        return KC_ERR_INVALID;
    for (size_t u = 0; rc == 0 && u < p->n_units; u++)
        rc = seed_unit(db, p->issuing_region, p->code, &p->units[u], &unit_ids[u]);
    for (size_t i = 0; rc == 0 && i < p->n_indicators; i++) {
        int64_t iid;
        rc = seed_indicator(db, &p->indicators[i], &iid);
    }
    if (!rc)
        rc = seed_tasks(db, p, *id, unit_ids);
    for (size_t i = 0; rc == 0 && i < p->n_targets; i++)
        rc = seed_target(db, p, *id, &p->targets[i]);
    for (size_t i = 0; rc == 0 && i < p->n_targets; i++) {
        const struct plan_data_target *t = &p->targets[i];
        /* A baseline stated as a plain value is an observation of that year too. */
        if (t->has_baseline && t->baseline.cmp == PLAN_DATA_CMP_EQ)
            rc = seed_observation(db, p->code, indicator_id(db, t->indicator->code), t->region,
                                  t->chain, &t->baseline);
    }
    for (size_t i = 0; rc == 0 && i < p->n_observations; i++) {
        const struct plan_data_observation *o = &p->observations[i];
        rc = seed_observation(db, p->code, indicator_id(db, o->indicator->code), o->region, NULL,
                              &o->point);
    }
    for (size_t i = 0; rc == 0 && i < p->n_requirements; i++) {
        const struct plan_data_requirement *q = &p->requirements[i];
        struct db_stmt *st = db_prep(db, "INSERT INTO plan_requirements(plan_id,task_id,code,"
                                         "subject,level,attribute,comparator,value,unit,effect,"
                                         "text,note) VALUES(?,?,?,?,?,?,?,?,?,?,?,?)");
        if (!st)
            return KC_ERR_DB;
        rc = db_bind_int(st, 1, *id);
        rc = rc ? rc : db_bind_int(st, 2, task_id(db, *id, q->task->code));
        rc = rc ? rc : db_bind_text(st, 3, q->code);
        rc = rc ? rc : db_bind_text(st, 4, q->subject);
        rc = rc ? rc : db_bind_text(st, 5, q->level);
        rc = rc ? rc : db_bind_text(st, 6, q->attribute);
        rc = rc ? rc : db_bind_text(st, 7, plan_data_cmp_name(q->cmp));
        rc = rc ? rc : db_bind_double(st, 8, q->value);
        rc = rc ? rc : db_bind_text(st, 9, q->unit);
        rc = rc ? rc : db_bind_text(st, 10, q->effect);
        rc = rc ? rc : db_bind_text(st, 11, q->text);
        rc = rc ? rc : db_bind_text(st, 12, q->note);
        if (rc)
            db_done(st);
        else
            rc = db_run(st);
    }
    if (!rc) {
        json_t *after =
            json_pack("{s:s,s:s,s:s,s:i,s:i}", "code", p->code, "title", p->title, "region_code",
                      p->issuing_region, "tasks", (int)p->n_tasks, "targets", (int)p->n_targets);
        rc = audit_write(db, ctx, "create", "plan", *id, NULL, after);
        json_decref(after);
    }
    return rc;
}

int plan_seed_load(struct db *db, const struct plan_set *set, const struct audit_ctx *ctx,
                   int *n_loaded)
{
    int rc = 0;
    *n_loaded = 0;
    for (size_t i = 0; rc == 0 && i < set->n_plans; i++) {
        int64_t exists = 0;
        rc = db_scalar(
            db_query(db, "SELECT count(*) FROM plans WHERE code=?", "s", set->plans[i]->code),
            &exists);
        if (rc || exists)
            continue;
        int64_t id;
        rc = seed_plan(db, set->plans[i], ctx, &id);
        if (!rc)
            (*n_loaded)++;
    }
    return rc;
}
