/* assess.c (store) — SQL of assessment schemes, frozen values and runs. */
#include "store/assess.h"
#include "core/buf.h"
#include "core/timeutil.h"
#include "core/xalloc.h"
#include "crypto/gm.h"
#include "db/db.h"
#include "domain/assess_score.h"
#include "store/plan_values.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Beijing time is UTC+8: the cut-off day ends at 16:00 UTC. */
#define BEIJING_OFFSET_S (8 * 3600)

void assess_viewer_for(const struct auth_user *u, struct assess_viewer *v)
{
    v->scope = u->scope;
    v->city[0] = '\0';
    /* The prefecture containing a county: its first four digits and "00". */
    if (strlen(u->region_code) == 6 && strcmp(u->region_code + 4, "00") != 0)
        snprintf(v->city, sizeof(v->city), "%.4s00", u->region_code);
}

/* Appends "(alias.region_code in scope OR = the viewer's city)" to sql. */
static void viewer_where(struct buf *sql, struct db_args *a, const char *alias,
                         const struct assess_viewer *v)
{
    buf_printf(sql, "((%s.region_code >= ? AND %s.region_code < ?) OR %s.region_code = ?) ", alias,
               alias, alias);
    db_args_text(a, v->scope.lo);
    db_args_text(a, v->scope.hi);
    db_args_text(a, v->city);
}

bool assess_city_writable(const struct scope *sc, const char *city)
{
    return strcmp(city, sc->lo) >= 0 && strcmp(city, sc->hi) < 0 && sc->org_id == 0;
}

/* Appends the scheme filters. */
static void scheme_where(struct buf *sql, struct db_args *a, const struct assess_viewer *v,
                         const struct assess_scheme_filter *f)
{
    buf_puts(sql, "WHERE ");
    viewer_where(sql, a, "s", v);
    if (f->region_code && *f->region_code) {
        buf_puts(sql, "AND s.region_code = ? ");
        db_args_text(a, f->region_code);
    }
    if (f->q && *f->q) {
        buf_puts(sql, "AND instr(s.name, ?) > 0 ");
        db_args_text(a, f->q);
    }
}

struct db_stmt *assess_scheme_list(struct db *db, const struct assess_viewer *v,
                                   const struct assess_scheme_filter *f, const char *sort_col,
                                   bool desc, int64_t limit, int64_t offset)
{
    struct buf sql = {0};
    struct db_args a = {0};
    buf_puts(&sql, "SELECT s.id, s.region_code, r.name AS region_name, s.name, s.version, "
                   "(SELECT count(*) FROM assess_scheme_items i JOIN assess_scheme_versions sv "
                   " ON sv.id = i.version_id WHERE sv.scheme_id = s.id AND sv.version = s.version) "
                   "AS n_items, "
                   "(SELECT count(*) FROM assess_runs ru WHERE ru.scheme_id = s.id) AS n_runs, "
                   "s.created_at, s.updated_at "
                   "FROM assess_schemes s LEFT JOIN regions r ON r.code = s.region_code ");
    scheme_where(&sql, &a, v, f);
    return db_page(db, &sql, &a, "s", sort_col, desc, limit, offset);
}

int assess_scheme_count(struct db *db, const struct assess_viewer *v,
                        const struct assess_scheme_filter *f, int64_t *n)
{
    struct buf sql = {0};
    struct db_args a = {0};
    buf_puts(&sql, "SELECT count(*) FROM assess_schemes s ");
    scheme_where(&sql, &a, v, f);
    return db_count(db, &sql, &a, n);
}

/* Runs a query and collects every row as a JSON array (a new reference) in *out. */
static int rows_json(struct db_stmt *st, json_t **out)
{
    if (!st)
        return KC_ERR_DB;
    json_t *arr = json_array();
    int rc;
    while ((rc = db_step(st)) == DB_ROW)
        json_array_append_new(arr, db_row_json(st));
    db_done(st);
    if (rc < 0) {
        json_decref(arr);
        return rc;
    }
    *out = arr;
    return 0;
}

/* Runs a query expected to return one row into *out (a new object); KC_ERR_NOT_FOUND
 * when there is none. */
static int row_json(struct db_stmt *st, json_t **out)
{
    if (!st)
        return KC_ERR_DB;
    int rc = db_step(st);
    if (rc == DB_ROW)
        *out = db_row_json(st);
    db_done(st);
    if (rc < 0)
        return rc;
    return rc == DB_ROW ? 0 : KC_ERR_NOT_FOUND;
}

int assess_scheme_get(struct db *db, const struct assess_viewer *v, int64_t id, int version,
                      json_t **out)
{
    json_t *s = NULL, *items = NULL, *versions = NULL, *ver = NULL;
    int rc = row_json(db_query(db,
                               "SELECT s.id, s.region_code, r.name AS region_name, s.name, "
                               "s.version, s.created_at, s.updated_at "
                               "FROM assess_schemes s LEFT JOIN regions r ON r.code = "
                               "s.region_code WHERE s.id = ? AND ((s.region_code >= ? AND "
                               "s.region_code < ?) OR s.region_code = ?)",
                               "isss", id, v->scope.lo, v->scope.hi, v->city),
                      &s);
    if (rc)
        return rc;
    int shown = version > 0 ? version : (int)json_integer_value(json_object_get(s, "version"));
    rc = row_json(db_query(db,
                           "SELECT id AS version_id, version AS shown_version, "
                           "name AS version_name, note FROM assess_scheme_versions "
                           "WHERE scheme_id = ? AND version = ?",
                           "ii", id, (int64_t)shown),
                  &ver);
    if (!rc)
        rc = rows_json(
            db_query(db,
                     "SELECT i.seq, i.indicator_code, ind.name AS indicator_name, ind.unit, "
                     "ind.direction, ind.method, i.weight_centi / 100.0 AS weight, i.rule, "
                     "i.cap_pct, i.floor_pct, i.min_pct FROM assess_scheme_items i "
                     "LEFT JOIN indicators ind ON ind.code = i.indicator_code "
                     "WHERE i.version_id = ? ORDER BY i.seq",
                     "i", json_integer_value(json_object_get(ver, "version_id"))),
            &items);
    if (!rc)
        rc = rows_json(db_query(db,
                                "SELECT v.version, v.name, v.note, v.created_at, u.username "
                                "AS created_by FROM assess_scheme_versions v LEFT JOIN users "
                                "u ON u.id = v.created_by WHERE v.scheme_id = ? "
                                "ORDER BY v.version DESC",
                                "i", id),
                       &versions);
    if (rc) {
        json_decref(s);
        json_decref(ver);
        json_decref(items);
        return rc;
    }
    json_object_update(s, ver);
    json_object_del(s, "version_id");
    json_decref(ver);
    json_object_set_new(s, "items", items);
    json_object_set_new(s, "versions", versions);
    *out = s;
    return 0;
}

bool assess_indicator_exists(struct db *db, const char *code, bool *lower)
{
    struct db_stmt *st = db_query(db, "SELECT direction FROM indicators WHERE code = ?", "s", code);
    if (!st)
        return false;
    bool found = db_step(st) == DB_ROW;
    if (found && lower)
        *lower = strcmp(db_col_text(st, 0), "lower") == 0;
    db_done(st);
    return found;
}

/* Inserts version `version` of scheme id with its items. */
static int insert_version(struct db *db, int64_t id, int version, const char *name,
                          const char *note, json_t *items, int64_t user_id)
{
    int64_t now = time_now();
    int rc = db_run(db_query(db,
                             "INSERT INTO assess_scheme_versions(scheme_id, version, name, note, "
                             "created_at, created_by) VALUES(?,?,?,?,?,nullif(?,0))",
                             "iissii", id, (int64_t)version, name, note, now, user_id));
    if (rc)
        return rc;
    int64_t vid = db_last_id(db);
    size_t i;
    json_t *it;
    json_array_foreach(items, i, it)
    {
        rc = db_run(db_query(
            db,
            "INSERT INTO assess_scheme_items(version_id, seq, indicator_code, weight_centi, rule, "
            "cap_pct, floor_pct, min_pct) VALUES(?,?,?,?,?,?,?,?)",
            "iisisiii", vid, (int64_t)(i + 1),
            json_string_value(json_object_get(it, "indicator_code")),
            json_integer_value(json_object_get(it, "weight_centi")),
            json_string_value(json_object_get(it, "rule")),
            json_integer_value(json_object_get(it, "cap_pct")),
            json_integer_value(json_object_get(it, "floor_pct")),
            json_integer_value(json_object_get(it, "min_pct"))));
        if (rc)
            return rc;
    }
    return 0;
}

int assess_scheme_insert(struct db *db, const char *city, const char *name, const char *note,
                         json_t *items, int64_t user_id, int64_t *id)
{
    int64_t now = time_now();
    int rc = db_run(db_query(db,
                             "INSERT INTO assess_schemes(region_code, name, version, created_at, "
                             "updated_at) VALUES(?,?,1,?,?)",
                             "ssii", city, name, now, now));
    if (rc)
        return rc;
    *id = db_last_id(db);
    return insert_version(db, *id, 1, name, note, items, user_id);
}

int assess_scheme_new_version(struct db *db, int64_t id, const char *name, const char *note,
                              json_t *items, int64_t user_id, int *version)
{
    int64_t cur = 0;
    int rc =
        db_scalar(db_query(db, "SELECT version FROM assess_schemes WHERE id = ?", "i", id), &cur);
    if (rc)
        return rc;
    if (cur == 0)
        return KC_ERR_NOT_FOUND;
    *version = (int)cur + 1;
    rc = db_run(db_query(db,
                         "UPDATE assess_schemes SET name = ?, version = ?, updated_at = ? "
                         "WHERE id = ?",
                         "siii", name, (int64_t)*version, time_now(), id));
    if (!rc)
        rc = insert_version(db, id, *version, name, note, items, user_id);
    return rc;
}

/* ---- freezing ---- */

/* What the run needs to know of an indicator: plans' description of it. */
struct ind_info {
    int64_t id;               /* indicators.id */
    bool chain_scope;         /* scope = 'chain' */
    struct plan_indicator pi; /* plans' view (computed and ready, or read from observations) */
};

/* Loads the indicator by code; KC_ERR_NOT_FOUND when it no longer exists. */
static int load_indicator(struct db *db, const char *code, struct ind_info *ind)
{
    int64_t id = 0;
    int rc = db_scalar(db_query(db, "SELECT id FROM indicators WHERE code = ?", "s", code), &id);
    if (rc)
        return rc;
    if (!id)
        return KC_ERR_NOT_FOUND;
    rc = plan_indicator_load(db, id, &ind->pi);
    ind->id = id;
    ind->chain_scope = ind->pi.chain_scope;
    return rc;
}

/* A value read for a county, indicator, chain and year as known at the cut-off. */
struct cell_value {
    bool has;           /* a value exists */
    double value;       /* the value */
    int64_t obs_id;     /* the observation revision used, 0 for computed values */
    const char *source; /* "observation", "computed" or "none" */
};

/* Reads the value of record: indicators computed from the platform's records (formula
 * ready) from plans' computed values (plans' rules: a count or sum without records is 0
 * from the first year the indicator has any record, a share without population has no
 * value); others from the latest revision verified before the end of the cut-off day. */
static int read_value(struct db *db, const struct ind_info *ind, const char *county,
                      const char *chain, int year, int64_t cutoff_end, struct cell_value *out)
{
    memset(out, 0, sizeof(*out));
    out->source = "none";
    if (ind->pi.computed && ind->pi.ready) {
        struct plan_value pv;
        int rc = plan_values_series(db, &ind->pi, county, chain, year, year, &pv);
        if (rc)
            return rc;
        if (pv.present && isfinite(pv.value)) {
            out->has = true;
            out->value = pv.value;
            out->source = "computed";
        }
        return 0;
    }
    struct db_stmt *st = db_query(db,
                                  "SELECT value, id FROM observations WHERE indicator_id = ? AND "
                                  "region_code = ? AND chain = ? AND year = ? AND status IN "
                                  "('verified', 'superseded') AND verified_at IS NOT NULL AND "
                                  "verified_at < ? ORDER BY verified_at DESC, revision DESC "
                                  "LIMIT 1",
                                  "issii", ind->id, county, chain, (int64_t)year, cutoff_end);
    if (!st)
        return KC_ERR_DB;
    int rc = db_step(st);
    if (rc == DB_ROW) {
        out->has = true;
        out->value = db_col_double(st, 0);
        out->obs_id = db_col_int(st, 1);
        out->source = "observation";
    }
    db_done(st);
    return rc < 0 ? rc : 0;
}

/* The chain a chain-scoped indicator is assessed on in a county: the chain of the
 * county's target on it nearest to the year ("" when none). */
static int county_chain(struct db *db, const struct ind_info *ind, const char *county, int year,
                        char *chain, size_t cap)
{
    chain[0] = '\0';
    if (!ind->chain_scope)
        return 0;
    struct db_stmt *st = db_query(db,
                                  "SELECT chain FROM targets WHERE indicator_id = ? AND "
                                  "region_code = ? AND chain IS NOT NULL "
                                  "ORDER BY abs(target_year - ?), id LIMIT 1",
                                  "isi", ind->id, county, (int64_t)year);
    if (!st)
        return KC_ERR_DB;
    int rc = db_step(st);
    if (rc == DB_ROW)
        snprintf(chain, cap, "%s", db_col_text(st, 0));
    db_done(st);
    return rc < 0 ? rc : 0;
}

/* A county's target for the year. */
struct cell_target {
    bool has;          /* a target applies */
    double value;      /* the target value */
    int64_t target_id; /* targets.id */
    const char *note;  /* how it was read (docs/api-assess.md) */
};

/* Steps a one-row query of (value, target id); true when it found a row. */
static int first_target(struct db_stmt *st, struct cell_target *t, const char *note)
{
    if (!st)
        return KC_ERR_DB;
    int rc = db_step(st);
    if (rc == DB_ROW && db_col_type(st, 0) != DB_NULL) {
        t->has = true;
        t->value = db_col_double(st, 0);
        t->target_id = db_col_int(st, 1);
        t->note = note;
    }
    db_done(st);
    return rc < 0 ? rc : 0;
}

#define TARGET_OF "t.indicator_id = ? AND t.region_code = ? AND coalesce(t.chain, '') = ? "

/* Resolves the county's target for the year: a milestone of that year, a value target
 * due that year, a value target set for every year, or a growth target applied to the
 * value of its base year (docs/api-assess.md, "Targets"). */
static int resolve_target(struct db *db, const struct ind_info *ind, const char *county,
                          const char *chain, int year, int64_t cutoff_end, struct cell_target *t)
{
    memset(t, 0, sizeof(*t));
    t->note = "no_target";
    int64_t y = year;
    int rc = first_target(
        db_query(db,
                 "SELECT m.value, t.id FROM target_milestones m JOIN targets t ON t.id = "
                 "m.target_id WHERE " TARGET_OF "AND m.year = ? AND t.kind = 'value' AND "
                 "(t.basis IS NOT 'cumulative' OR t.cumulative_from = m.year) "
                 "ORDER BY t.id LIMIT 1",
                 "issi", ind->id, county, chain, y),
        t, "milestone");
    if (!rc && !t->has)
        rc = first_target(db_query(db,
                                   "SELECT t.target_value, t.id FROM targets t WHERE " TARGET_OF
                                   "AND t.kind = 'value' AND t.target_year = ? AND "
                                   "(t.basis IS NOT 'cumulative' OR t.cumulative_from = ?) "
                                   "ORDER BY t.id LIMIT 1",
                                   "issii", ind->id, county, chain, y, y),
                          t, "target");
    if (!rc && !t->has)
        rc = first_target(db_query(db,
                                   "SELECT t.target_value, t.id FROM targets t WHERE " TARGET_OF
                                   "AND t.kind = 'value' AND t.each_year_from IS NOT NULL AND "
                                   "t.each_year_from <= ? AND t.target_year >= ? AND "
                                   "t.basis IS NOT 'cumulative' ORDER BY t.id LIMIT 1",
                                   "issii", ind->id, county, chain, y, y),
                          t, "each_year");
    if (rc || t->has)
        return rc;
    /* Growth targets: the target is the base year's value grown by the rate. */
    struct db_stmt *st = db_query(
        db,
        "SELECT t.id, t.growth_mode, t.growth_rate_pct, coalesce(t.growth_base_year, 0), "
        "t.target_year "
        "FROM targets t WHERE " TARGET_OF "AND t.kind = 'growth' AND t.growth_rate_pct IS NOT "
        "NULL AND ((t.growth_mode = 'yoy' AND (t.target_year = ? OR (t.each_year_from <= ? AND "
        "t.target_year >= ?))) OR (t.growth_mode = 'cagr' AND t.growth_base_year < ? AND "
        "t.target_year >= ?) OR (t.growth_mode = 'total' AND t.growth_base_year < ? AND "
        "t.target_year >= ?)) "
        "ORDER BY t.id LIMIT 1",
        "issiiiiiii", ind->id, county, chain, y, y, y, y, y, y, y);
    if (!st)
        return KC_ERR_DB;
    rc = db_step(st);
    if (rc != DB_ROW) {
        db_done(st);
        return rc < 0 ? rc : 0;
    }
    int64_t tid = db_col_int(st, 0);
    char mode[8];
    snprintf(mode, sizeof(mode), "%s", db_col_text(st, 1));
    double rate = db_col_double(st, 2) / 100.0;
    int base_year = (int)db_col_int(st, 3);
    int due = (int)db_col_int(st, 4);
    db_done(st);
    if (strcmp(mode, "yoy") == 0)
        base_year = year - 1;
    struct cell_value base;
    rc = read_value(db, ind, county, chain, base_year, cutoff_end, &base);
    if (rc)
        return rc;
    t->target_id = tid;
    if (!base.has) {
        t->note = "no_base";
        return 0;
    }
    t->has = true;
    if (strcmp(mode, "cagr") == 0) {
        t->value = base.value * pow(1 + rate, year - base_year);
        t->note = "growth_cagr";
    } else if (strcmp(mode, "total") == 0 && year < due) {
        /* On the way to a total growth: the year's share of it, compounded evenly. */
        t->value = base.value * pow(1 + rate, (double)(year - base_year) / (due - base_year));
        t->note = "growth_path";
    } else {
        t->value = base.value * (1 + rate);
        t->note = strcmp(mode, "yoy") == 0 ? "growth_yoy" : "growth_total";
    }
    return 0;
}

/* The frozen value and target of one county and indicator. */
struct frozen {
    struct cell_value v;  /* the value at the cut-off */
    struct cell_target t; /* the target for the year */
};

/* Reads the frozen row of (city, year, cutoff, indicator, county), freezing it first
 * when the city's assessment of that year and cut-off has none yet. */
static int freeze_cell(struct db *db, const char *city, int year, const char *cutoff,
                       int64_t cutoff_end, const char *code, const struct ind_info *ind,
                       const char *county, struct frozen *f)
{
    struct db_stmt *st = db_query(db,
                                  "SELECT value, source, coalesce(observation_id, 0), target, "
                                  "coalesce(target_id, 0), target_note FROM assess_frozen_values "
                                  "WHERE region_code = ? AND year = ? AND cutoff = ? AND "
                                  "indicator_code = ? AND county_code = ?",
                                  "sisss", city, (int64_t)year, cutoff, code, county);
    if (!st)
        return KC_ERR_DB;
    int rc = db_step(st);
    memset(f, 0, sizeof(*f));
    if (rc == DB_ROW) {
        f->v.has = db_col_type(st, 0) != DB_NULL;
        f->v.value = db_col_double(st, 0);
        static const char *const sources[] = {"observation", "computed", "none"};
        f->v.source = "none";
        for (size_t i = 0; i < 3; i++)
            if (strcmp(db_col_text(st, 1), sources[i]) == 0)
                f->v.source = sources[i];
        f->v.obs_id = db_col_int(st, 2);
        f->t.has = db_col_type(st, 3) != DB_NULL;
        f->t.value = db_col_double(st, 3);
        f->t.target_id = db_col_int(st, 4);
        static const char *const notes[] = {"milestone",   "target",      "each_year",
                                            "growth_yoy",  "growth_cagr", "growth_total",
                                            "growth_path", "no_base",     "no_target"};
        f->t.note = "no_target";
        const char *n = db_col_text(st, 5);
        for (size_t i = 0; n && i < sizeof(notes) / sizeof(notes[0]); i++)
            if (strcmp(n, notes[i]) == 0)
                f->t.note = notes[i];
        db_done(st);
        return 0;
    }
    db_done(st);
    if (rc < 0)
        return rc;
    char chain[64];
    rc = county_chain(db, ind, county, year, chain, sizeof(chain));
    if (!rc)
        rc = read_value(db, ind, county, chain, year, cutoff_end, &f->v);
    if (!rc)
        rc = resolve_target(db, ind, county, chain, year, cutoff_end, &f->t);
    if (rc)
        return rc;
    st = db_query(db,
                  "INSERT INTO assess_frozen_values(region_code, year, cutoff, indicator_code, "
                  "county_code, value, source, observation_id, target, target_id, target_note, "
                  "frozen_at) VALUES(?,?,?,?,?,?,?,nullif(?,0),?,nullif(?,0),?,?)",
                  "sisss", city, (int64_t)year, cutoff, code, county);
    if (!st)
        return KC_ERR_DB;
    rc = f->v.has ? db_bind_double(st, 6, f->v.value) : db_bind_null(st, 6);
    if (!rc)
        rc = db_bind_text(st, 7, f->v.source);
    if (!rc)
        rc = db_bind_int(st, 8, f->v.obs_id);
    if (!rc)
        rc = f->t.has ? db_bind_double(st, 9, f->t.value) : db_bind_null(st, 9);
    if (!rc)
        rc = db_bind_int(st, 10, f->t.target_id);
    if (!rc)
        rc = db_bind_text(st, 11, f->t.note);
    if (!rc)
        rc = db_bind_int(st, 12, time_now());
    if (rc) {
        db_done(st);
        return rc;
    }
    return db_run(st);
}

/* ---- runs ---- */

/* One scheme item as a run uses it. */
struct run_item {
    char code[96];         /* indicator code */
    struct assess_item it; /* weight, rule, parameters, direction */
    struct ind_info ind;   /* the indicator */
};

/* One county of the city. */
struct run_county {
    char code[7];  /* region code */
    char name[96]; /* its name */
    int64_t total; /* total score, hundredths */
    int rank;      /* place among the counties */
};

/* Loads the items of a scheme version. *items is malloc'd (the caller frees). */
static int load_items(struct db *db, int64_t version_id, struct run_item **items, size_t *n)
{
    struct db_stmt *st = db_query(db,
                                  "SELECT i.indicator_code, i.weight_centi, i.rule, i.cap_pct, "
                                  "i.floor_pct, i.min_pct, coalesce(ind.direction = 'lower', 0) "
                                  "FROM assess_scheme_items i LEFT JOIN indicators ind ON "
                                  "ind.code = i.indicator_code WHERE i.version_id = ? "
                                  "ORDER BY i.seq",
                                  "i", version_id);
    if (!st)
        return KC_ERR_DB;
    size_t cap = 8, k = 0;
    struct run_item *a = xcalloc(cap, sizeof(*a));
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        if (k == cap) {
            cap *= 2;
            a = xrealloc(a, cap * sizeof(*a));
        }
        memset(&a[k], 0, sizeof(a[k]));
        snprintf(a[k].code, sizeof(a[k].code), "%s", db_col_text(st, 0));
        a[k].it.weight_centi = db_col_int(st, 1);
        if (!assess_rule_parse(db_col_text(st, 2), &a[k].it.rule))
            a[k].it.rule = ASSESS_RATIO;
        a[k].it.cap_pct = (int)db_col_int(st, 3);
        a[k].it.floor_pct = (int)db_col_int(st, 4);
        a[k].it.min_pct = (int)db_col_int(st, 5);
        a[k].it.lower_better = db_col_int(st, 6) != 0;
        k++;
    }
    db_done(st);
    if (rc < 0) {
        free(a);
        return rc;
    }
    *items = a;
    *n = k;
    return 0;
}

/* Loads the county-level regions of a city in code order (*out malloc'd). */
static int load_counties(struct db *db, const char *city, struct run_county **out, size_t *n)
{
    struct db_stmt *st = db_query(db,
                                  "SELECT code, name FROM regions WHERE parent_code = ? AND "
                                  "level = 'county' ORDER BY code",
                                  "s", city);
    if (!st)
        return KC_ERR_DB;
    size_t cap = 16, k = 0;
    struct run_county *a = xcalloc(cap, sizeof(*a));
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        if (k == cap) {
            cap *= 2;
            a = xrealloc(a, cap * sizeof(*a));
        }
        memset(&a[k], 0, sizeof(a[k]));
        snprintf(a[k].code, sizeof(a[k].code), "%s", db_col_text(st, 0));
        snprintf(a[k].name, sizeof(a[k].name), "%s", db_col_text(st, 1));
        k++;
    }
    db_done(st);
    if (rc < 0) {
        free(a);
        return rc;
    }
    *out = a;
    *n = k;
    return 0;
}

/* Binds a double or NULL. */
static int bind_opt(struct db_stmt *st, int idx, bool has, double v)
{
    return has ? db_bind_double(st, idx, v) : db_bind_null(st, idx);
}

/* Inserts one score row. */
static int insert_score(struct db *db, int64_t run_id, const char *county, size_t seq,
                        const struct frozen *f, bool has_ach, double ach, int item_rank,
                        int64_t score, const char *note)
{
    struct db_stmt *st = db_query(db,
                                  "INSERT INTO assess_run_scores(run_id, county_code, seq, value, "
                                  "target, achievement, item_rank, score_centi, note) "
                                  "VALUES(?,?,?,?,?,?,?,?,?)",
                                  "isi", run_id, county, (int64_t)seq);
    if (!st)
        return KC_ERR_DB;
    int rc = bind_opt(st, 4, f->v.has, f->v.value);
    if (!rc)
        rc = bind_opt(st, 5, f->t.has, f->t.value);
    if (!rc)
        rc = bind_opt(st, 6, has_ach, ach);
    if (!rc)
        rc = db_bind_int(st, 7, item_rank);
    if (!rc)
        rc = db_bind_int(st, 8, score);
    if (!rc)
        rc = db_bind_text(st, 9, note);
    if (rc) {
        db_done(st);
        return rc;
    }
    return db_run(st);
}

/* Appends a value to the digest text ("-" for none; %.17g otherwise). */
static void digest_num(struct buf *b, bool has, double v)
{
    if (has)
        buf_printf(b, "%.17g|", v);
    else
        buf_puts(b, "-|");
}

int assess_run_create(struct db *db, int64_t scheme_id, int version, int year, const char *cutoff,
                      int64_t rerun_of, int64_t user_id, int64_t *run_id)
{
    int64_t cutoff_day;
    if (time_parse_date(cutoff, &cutoff_day) != 0)
        return KC_ERR_INVALID;
    int64_t cutoff_end = cutoff_day + 86400 - BEIJING_OFFSET_S;
    /* The scheme, its city and the version's id. */
    struct db_stmt *st = db_query(db,
                                  "SELECT s.region_code, v.id, v.version FROM assess_schemes s "
                                  "JOIN assess_scheme_versions v ON v.scheme_id = s.id AND "
                                  "v.version = CASE WHEN ? > 0 THEN ? ELSE s.version END "
                                  "WHERE s.id = ?",
                                  "iii", (int64_t)version, (int64_t)version, scheme_id);
    if (!st)
        return KC_ERR_DB;
    int rc = db_step(st);
    char city[7] = "";
    int64_t version_id = 0, vnum = 0;
    if (rc == DB_ROW) {
        snprintf(city, sizeof(city), "%s", db_col_text(st, 0));
        version_id = db_col_int(st, 1);
        vnum = db_col_int(st, 2);
    }
    db_done(st);
    if (rc < 0)
        return rc;
    if (rc != DB_ROW)
        return KC_ERR_NOT_FOUND;
    struct run_item *items = NULL;
    struct run_county *counties = NULL;
    struct frozen *cells = NULL;
    size_t n_items = 0, n_c = 0;
    rc = load_items(db, version_id, &items, &n_items);
    if (!rc)
        rc = load_counties(db, city, &counties, &n_c);
    if (rc)
        goto out;
    for (size_t i = 0; !rc && i < n_items; i++) {
        rc = load_indicator(db, items[i].code, &items[i].ind);
        if (rc == KC_ERR_NOT_FOUND)
            rc = KC_ERR_INVALID; /* the indicator was removed since the scheme was saved */
    }
    if (rc)
        goto out;
    cells = xcalloc(n_items * n_c + 1, sizeof(*cells));
    for (size_t i = 0; !rc && i < n_items; i++)
        for (size_t c = 0; !rc && c < n_c; c++)
            rc = freeze_cell(db, city, year, cutoff, cutoff_end, items[i].code, &items[i].ind,
                             counties[c].code, &cells[i * n_c + c]);
    if (rc)
        goto out;
    int64_t now = time_now();
    rc = db_run(db_query(db,
                         "INSERT INTO assess_runs(scheme_id, version_id, version, region_code, "
                         "year, cutoff, rerun_of, n_counties, digest, created_at, created_by) "
                         "VALUES(?,?,?,?,?,?,nullif(?,0),?,'',?,nullif(?,0))",
                         "iiisisiiii", scheme_id, version_id, vnum, city, (int64_t)year, cutoff,
                         rerun_of, (int64_t)n_c, now, user_id));
    if (rc)
        goto out;
    int64_t id = db_last_id(db);
    rc = db_run(db_query(db,
                         "INSERT INTO assess_run_items(run_id, seq, indicator_code, name, unit, "
                         "direction, weight_centi, rule, cap_pct, floor_pct, min_pct) "
                         "SELECT ?, i.seq, i.indicator_code, ind.name, ind.unit, ind.direction, "
                         "i.weight_centi, i.rule, i.cap_pct, i.floor_pct, i.min_pct "
                         "FROM assess_scheme_items i JOIN indicators ind ON ind.code = "
                         "i.indicator_code WHERE i.version_id = ?",
                         "ii", id, version_id));
    struct buf digest = {0};
    buf_printf(&digest, "%s|%d|%s|%lld\n", city, year, cutoff, (long long)vnum);
    double *vals = xcalloc(n_c + 1, sizeof(double));
    bool *present = xcalloc(n_c + 1, sizeof(bool));
    int *ranks = xcalloc(n_c + 1, sizeof(int));
    for (size_t i = 0; !rc && i < n_items; i++) {
        const struct assess_item *it = &items[i].it;
        struct frozen *row = &cells[i * n_c];
        int n_ranked = 0;
        if (it->rule == ASSESS_RANK) {
            for (size_t c = 0; c < n_c; c++) {
                vals[c] = row[c].v.value;
                present[c] = row[c].v.has;
            }
            n_ranked = assess_rank_values(n_c, vals, present, it->lower_better, ranks);
        }
        for (size_t c = 0; !rc && c < n_c; c++) {
            const struct frozen *f = &row[c];
            double share = 0, ach = 0;
            bool has_ach = false;
            int item_rank = 0;
            const char *note = NULL;
            if (!f->v.has) {
                note = "no_value";
            } else if (it->rule == ASSESS_RANK) {
                item_rank = ranks[c];
                share = assess_share_rank(it, item_rank, n_ranked);
            } else if (!f->t.has) {
                note = f->t.note;
            } else {
                ach = assess_achievement(f->v.value, f->t.value, it->lower_better,
                                         it->cap_pct / 100.0);
                has_ach = true;
                share = assess_share_target(it, f->v.value, f->t.value, true);
            }
            int64_t score = assess_score_centi(it, share);
            counties[c].total += score;
            rc = insert_score(db, id, counties[c].code, i + 1, f, has_ach, ach, item_rank, score,
                              note);
            buf_printf(&digest, "%s|%zu|%s|%lld|", counties[c].code, i + 1, items[i].code,
                       (long long)it->weight_centi);
            digest_num(&digest, f->v.has, f->v.value);
            digest_num(&digest, f->t.has, f->t.value);
            buf_printf(&digest, "%lld\n", (long long)score);
        }
    }
    int64_t *totals = xcalloc(n_c + 1, sizeof(int64_t));
    for (size_t c = 0; c < n_c; c++)
        totals[c] = counties[c].total;
    assess_rank_totals(n_c, totals, ranks);
    for (size_t c = 0; !rc && c < n_c; c++) {
        counties[c].rank = ranks[c];
        rc = db_run(db_query(db,
                             "INSERT INTO assess_run_counties(run_id, county_code, county_name, "
                             "total_centi, rank) VALUES(?,?,?,?,?)",
                             "issii", id, counties[c].code, counties[c].name, counties[c].total,
                             (int64_t)ranks[c]));
        buf_printf(&digest, "%s|%lld|%d\n", counties[c].code, (long long)counties[c].total,
                   ranks[c]);
    }
    char hex[2 * GM_SM3_LEN + 1];
    gm_sm3_hex(buf_str(&digest), digest.len, hex);
    if (!rc)
        rc = db_run(db_query(db, "UPDATE assess_runs SET digest = ? WHERE id = ?", "si", hex, id));
    if (!rc)
        *run_id = id;
    buf_free(&digest);
    free(totals);
    free(vals);
    free(present);
    free(ranks);
out:
    free(cells);
    free(items);
    free(counties);
    return rc;
}

/* Appends the run filters. */
static void run_where(struct buf *sql, struct db_args *a, const struct assess_viewer *v,
                      const struct assess_run_filter *f)
{
    buf_puts(sql, "WHERE ");
    viewer_where(sql, a, "ru", v);
    if (f->region_code && *f->region_code) {
        buf_puts(sql, "AND ru.region_code = ? ");
        db_args_text(a, f->region_code);
    }
    if (f->scheme_id) {
        buf_puts(sql, "AND ru.scheme_id = ? ");
        db_args_int(a, f->scheme_id);
    }
    if (f->year) {
        buf_puts(sql, "AND ru.year = ? ");
        db_args_int(a, f->year);
    }
}

#define RUN_SELECT                                                                                 \
    "SELECT ru.id, ru.scheme_id, s.name AS scheme_name, ru.version, ru.region_code, "              \
    "r.name AS region_name, ru.year, ru.cutoff, ru.rerun_of, ru.n_counties, ru.digest, "           \
    "ru.created_at, u.username AS created_by, "                                                    \
    "(SELECT c.county_name FROM assess_run_counties c WHERE c.run_id = ru.id ORDER BY "            \
    " c.rank, c.county_code LIMIT 1) AS top_county, "                                              \
    "(SELECT max(c.total_centi) / 100.0 FROM assess_run_counties c WHERE c.run_id = ru.id) "       \
    "AS top_total "                                                                                \
    "FROM assess_runs ru JOIN assess_schemes s ON s.id = ru.scheme_id "                            \
    "LEFT JOIN regions r ON r.code = ru.region_code LEFT JOIN users u ON u.id = "                  \
    "ru.created_by "

struct db_stmt *assess_run_list(struct db *db, const struct assess_viewer *v,
                                const struct assess_run_filter *f, const char *sort_col, bool desc,
                                int64_t limit, int64_t offset)
{
    struct buf sql = {0};
    struct db_args a = {0};
    buf_puts(&sql, RUN_SELECT);
    run_where(&sql, &a, v, f);
    return db_page(db, &sql, &a, "ru", sort_col, desc, limit, offset);
}

int assess_run_count(struct db *db, const struct assess_viewer *v,
                     const struct assess_run_filter *f, int64_t *n)
{
    struct buf sql = {0};
    struct db_args a = {0};
    buf_puts(&sql, "SELECT count(*) FROM assess_runs ru ");
    run_where(&sql, &a, v, f);
    return db_count(db, &sql, &a, n);
}

int assess_run_get(struct db *db, const struct assess_viewer *v, int64_t id, json_t **out)
{
    json_t *run = NULL, *items = NULL, *counties = NULL, *scores = NULL;
    int rc = row_json(db_query(db,
                               RUN_SELECT "WHERE ru.id = ? AND ((ru.region_code >= ? AND "
                                          "ru.region_code < ?) OR ru.region_code = ?)",
                               "isss", id, v->scope.lo, v->scope.hi, v->city),
                      &run);
    if (rc)
        return rc;
    rc = rows_json(db_query(db,
                            "SELECT seq, indicator_code, name, unit, direction, "
                            "weight_centi / 100.0 AS weight, rule, cap_pct, floor_pct, min_pct "
                            "FROM assess_run_items WHERE run_id = ? ORDER BY seq",
                            "i", id),
                   &items);
    if (!rc)
        rc = rows_json(db_query(db,
                                "SELECT county_code, county_name, total_centi / 100.0 AS total, "
                                "rank FROM assess_run_counties WHERE run_id = ? "
                                "ORDER BY rank, county_code",
                                "i", id),
                       &counties);
    if (!rc)
        rc = rows_json(db_query(db,
                                "SELECT county_code, seq, value, target, "
                                "round(achievement * 100, 2) AS achievement_pct, item_rank, "
                                "score_centi / 100.0 AS score, note FROM assess_run_scores "
                                "WHERE run_id = ? ORDER BY county_code, seq",
                                "i", id),
                       &scores);
    if (rc) {
        json_decref(run);
        json_decref(items);
        json_decref(counties);
        json_decref(scores);
        return rc;
    }
    /* Attach each county's scores (both lists are in county order within a rank tie). */
    size_t i, j;
    json_t *c, *s;
    json_array_foreach(counties, i, c)
    {
        json_t *mine = json_array();
        const char *code = json_string_value(json_object_get(c, "county_code"));
        json_array_foreach(scores, j, s)
        {
            if (strcmp(json_string_value(json_object_get(s, "county_code")), code) == 0) {
                json_t *cp = json_copy(s);
                json_object_del(cp, "county_code");
                json_array_append_new(mine, cp);
            }
        }
        json_object_set_new(c, "scores", mine);
    }
    json_decref(scores);
    /* A re-run says whether it reproduced the run it repeats (equal digests). */
    int64_t of = json_integer_value(json_object_get(run, "rerun_of"));
    if (of) {
        int64_t same = 0;
        rc = db_scalar(db_query(db,
                                "SELECT count(*) FROM assess_runs a, assess_runs b WHERE a.id = ? "
                                "AND b.id = ? AND a.digest = b.digest",
                                "ii", id, of),
                       &same);
        json_object_set_new(run, "identical", rc ? json_null() : json_boolean(same > 0));
    }
    json_object_set_new(run, "items", items);
    json_object_set_new(run, "counties", counties);
    *out = run;
    return 0;
}

struct db_stmt *assess_run_rows(struct db *db, int64_t id)
{
    return db_query(db,
                    "SELECT c.rank, c.county_code, c.county_name, c.total_centi / 100.0 AS total, "
                    "i.seq, i.name AS indicator_name, i.unit, i.weight_centi / 100.0 AS weight, "
                    "i.rule, s.value, s.target, round(s.achievement * 100, 2) AS achievement_pct, "
                    "s.item_rank, s.score_centi / 100.0 AS score, s.note "
                    "FROM assess_run_counties c JOIN assess_run_scores s ON s.run_id = c.run_id "
                    "AND s.county_code = c.county_code JOIN assess_run_items i ON i.run_id = "
                    "c.run_id AND i.seq = s.seq WHERE c.run_id = ? "
                    "ORDER BY c.rank, c.county_code, i.seq",
                    "i", id);
}
