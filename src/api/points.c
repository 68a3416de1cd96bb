/*
 * points.c (api) — /api/v1/points: the 创新积分 indicator dictionary, configuration
 * versions (read by officers, written by CAP_RULE_WRITE as a new audited version), league
 * tables per region × year × stage with the bands, their export, and one firm's
 * breakdown.
 *
 * Scores need the whole cohort (percentiles within prefecture or county × stage), so a
 * request scores every enterprise of the prefecture with one region scan
 * (store/points.h) and the configuration in force there, then shows the rows the caller
 * may see. Ranks are among every scored firm of the league's region and stage.
 */
#include "api/handlers_points.h"
#include "api/points_common.h"
#include "core/jw.h"
#include "core/utf8.h"
#include "db/db.h"
#include "rules/points.h"
#include "store/enterprise.h"
#include "store/points.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------- scoring a prefecture */

/* Every enterprise of one prefecture scored for one year. */
struct prun {
    struct ladder_scan scan;      /* the firms */
    const struct pts_config *cfg; /* the configuration used */
    struct pts_config *owned;     /* cfg when it came from the database */
    struct points_version ver;    /* its version (id 0 = the shipped file) */
    struct pts_firm *res;         /* per scan firm */
    bool *scored;                 /* the firm has a yearly row for the year */
    int year;                     /* the evaluated year */
};

/* Frees a run. */
static void prun_free(struct prun *p)
{
    ladder_scan_free(&p->scan);
    free(p->owned);
    free(p->res);
    free(p->scored);
    memset(p, 0, sizeof(*p));
}

/* Loads the configuration in force for region_code into p (stored version or shipped). */
static int prun_config(struct db *db, const char *region_code, struct prun *p)
{
    bool found;
    json_t *j = NULL;
    int rc = points_config_effective(db, region_code, &found, &p->ver, &j);
    if (rc)
        return rc;
    if (found) {
        struct pts_error e;
        p->owned = malloc(sizeof(*p->owned));
        rc = p->owned ? pts_config_from_json(j, p->owned, &e) : KC_ERR_DB;
        json_decref(j);
        if (rc)
            return KC_ERR_DB; /* stored versions were validated when saved */
        p->cfg = p->owned;
        return 0;
    }
    p->cfg = lp_points_shipped();
    return p->cfg ? 0 : KC_ERR_DB;
}

/* Cohort grouping context for qsort. */
static _Thread_local const struct prun *group_run;

/* The cohort region of firm i: its county or its prefecture, per the configuration. */
static void cohort_of(const struct prun *p, size_t i, char out[7])
{
    const char *rc = p->scan.firms[i].region_code;
    if (p->cfg->cohort == PTS_COHORT_COUNTY)
        snprintf(out, 7, "%.6s", rc);
    else
        snprintf(out, 7, "%.4s00", rc);
}

/* Orders firm indices by cohort region, then stage. */
static int cmp_cohort(const void *a, const void *b)
{
    size_t i = *(const size_t *)a, j = *(const size_t *)b;
    char ci[7], cj[7];
    cohort_of(group_run, i, ci);
    cohort_of(group_run, j, cj);
    int c = strcmp(ci, cj);
    if (c)
        return c;
    return group_run->res[i].stage - group_run->res[j].stage;
}

/* Scores every enterprise of the prefecture of region_code for year. */
static int prun_compute(struct db *db, const char *region_code, int year, struct prun *p)
{
    memset(p, 0, sizeof(*p));
    p->year = year;
    char lo[8], hi[8];
    snprintf(lo, sizeof(lo), "%.4s", region_code);
    snprintf(hi, sizeof(hi), "%s", lo);
    hi[strlen(hi) - 1]++;
    char pref[7];
    snprintf(pref, sizeof(pref), "%.4s00", region_code);
    int rc = prun_config(db, pref, p);
    if (!rc)
        rc = ladder_scan_load(db, lo, hi, 0, year, &p->scan);
    if (rc)
        return rc;
    size_t n = p->scan.n;
    p->res = calloc(n ? n : 1, sizeof(*p->res));
    p->scored = calloc(n ? n : 1, sizeof(*p->scored));
    size_t *idx = malloc((n ? n : 1) * sizeof(*idx));
    struct pts_firm **grp = malloc((n ? n : 1) * sizeof(*grp));
    if (!p->res || !p->scored || !idx || !grp) {
        free(idx);
        free(grp);
        return KC_ERR_DB;
    }
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        const struct scan_firm *f = &p->scan.firms[i];
        if (!scan_has_year(f, year))
            continue;
        struct rules_record rec;
        scan_record(f, year, &rec);
        p->res[i].org_id = f->org_id;
        pts_eval(p->cfg, &rec, year, &p->res[i]);
        p->scored[i] = true;
        if (p->res[i].stage >= 0)
            idx[k++] = i;
    }
    group_run = p;
    qsort(idx, k, sizeof(*idx), cmp_cohort);
    for (size_t a = 0; a < k;) {
        size_t b = a;
        while (b < k && cmp_cohort(&idx[a], &idx[b]) == 0)
            b++;
        for (size_t j = a; j < b; j++)
            grp[j - a] = &p->res[idx[j]];
        pts_score_cohort(p->cfg, grp, b - a);
        a = b;
    }
    free(idx);
    free(grp);
    return 0;
}

/* True when firm i's region is inside prefix. */
static bool in_prefix(const struct prun *p, size_t i, const char *prefix)
{
    return strncmp(p->scan.firms[i].region_code, prefix, strlen(prefix)) == 0;
}

/* True when the caller's scope covers firm i. */
static bool visible(const struct http_req *r, const struct prun *p, size_t i)
{
    const struct scope *sc = &r->user.scope;
    const struct scan_firm *f = &p->scan.firms[i];
    if (sc->org_id && sc->org_id != f->org_id)
        return false;
    return strcmp(f->region_code, sc->lo) >= 0 && strcmp(f->region_code, sc->hi) < 0;
}

/* Ranks the scored firms of stage s inside prefix (all of them, visible or not). */
static void rank_league(struct prun *p, const char *prefix, int s)
{
    size_t n = p->scan.n, k = 0;
    struct pts_firm **v = malloc((n ? n : 1) * sizeof(*v));
    if (!v)
        return;
    for (size_t i = 0; i < n; i++)
        if (p->scored[i] && p->res[i].stage == s && in_prefix(p, i, prefix))
            v[k++] = &p->res[i];
    pts_rank(p->cfg, v, k);
    free(v);
}

/* Writes {id, version, region_code, title, provisional, provisional_text} of the
 * configuration used. */
static json_t *config_summary(const struct http_req *r, const struct prun *p)
{
    const struct pts_config *c = p->cfg;
    json_t *o = json_object();
    json_object_set_new(o, "id", p->ver.id ? json_integer(p->ver.id) : json_null());
    json_object_set_new(o, "version", json_integer(p->ver.version));
    json_object_set_new(o, "region_code",
                        p->ver.id ? json_string(p->ver.region_code) : json_null());
    json_object_set_new(o, "config_id", json_string(c->id));
    json_object_set_new(o, "title", json_string(r->en ? c->title_en : c->title_zh));
    json_object_set_new(o, "provisional", json_boolean(c->provisional));
    json_object_set_new(o, "provisional_text",
                        c->provisional ? json_string(r->en ? c->provisional_en : c->provisional_zh)
                                       : json_null());
    json_object_set_new(o, "cohort",
                        json_string(c->cohort == PTS_COHORT_COUNTY ? "county" : "prefecture"));
    return o;
}

/* ---------------------------------------------------------------- dictionary */

/* Unit names by enum rules_unit. */
static const char *const unit_names[] = {"fen",   "persons", "count",   "bool",
                                         "days",  "x100",    "ratio",   "per_year"};

/* GET /api/v1/points/dictionary — the measures a configuration may score. */
int api_points_dictionary(struct http_req *r)
{
    static const char *const kinds[] = {"field", "ratio", "growth", "delta", "identity"};
    struct buf out = {0};
    struct jw w;
    jw_init(&w, &out);
    jw_obj_open(&w);
    jw_key(&w, "measures");
    jw_arr_open(&w);
    for (size_t i = 0; i < pts_n_measures; i++) {
        const struct pts_measure_def *m = &pts_measures[i];
        jw_obj_open(&w);
        jw_kstr(&w, "id", m->id);
        jw_kstr(&w, "label_zh", m->zh);
        jw_kstr(&w, "label_en", m->en);
        jw_kstr(&w, "kind", kinds[m->kind]);
        jw_kstr(&w, "unit", unit_names[m->unit]);
        jw_kstr(&w, "field", rules_fields[m->field].name);
        jw_kstr(&w, "den", m->den >= 0 ? rules_fields[m->den].name : NULL);
        jw_kbool(&w, "lower_better", m->lower_better);
        jw_obj_close(&w);
    }
    jw_arr_close(&w);
    jw_key(&w, "stage_fields");
    jw_arr_open(&w);
    for (int f = 0; f < RULES_N_STORED_YEARLY; f++) {
        if (rules_fields[f].unit != RULES_U_FEN)
            continue;
        jw_obj_open(&w);
        jw_kstr(&w, "id", rules_fields[f].name);
        jw_kstr(&w, "label_zh", rules_fields[f].zh);
        jw_kstr(&w, "label_en", rules_fields[f].en);
        jw_obj_close(&w);
    }
    jw_arr_close(&w);
    jw_obj_close(&w);
    http_reply_json(r, 200, &out);
    return 0;
}

/* ---------------------------------------------------------------- configurations */

/* True when the caller may read configurations of region code: it is in the caller's
 * scope or is an ancestor of the caller's region (a county reads its city's scheme). */
static bool config_visible(const struct http_req *r, const char *code)
{
    if (auth_region_in_scope(&r->user, code))
        return true;
    char p[7];
    auth_region_prefix(code, p);
    return strncmp(r->user.region_code, p, strlen(p)) == 0;
}

/* Writes the canonical JSON of a configuration into a new jansson object. */
static json_t *config_json(const struct pts_config *c)
{
    struct buf b = {0};
    struct jw w;
    jw_init(&w, &b);
    pts_write_config(&w, c);
    json_t *o = json_loads(buf_str(&b), 0, NULL);
    buf_free(&b);
    return o;
}

/* GET /api/v1/points/config?region_code= — the configuration in force for a region. */
int api_points_config(struct http_req *r)
{
    struct db *db = api_db(r);
    char code[7], prefix[7];
    if (!db || !lp_region_param(r, db, code, prefix))
        return 0;
    struct prun p = {0};
    int rc = prun_config(db, code, &p);
    if (rc) {
        api_fail(r, rc, NULL, NULL);
        return 0;
    }
    json_t *o = json_object();
    json_object_set_new(o, "region_code", json_string(code));
    json_t *src = config_summary(r, &p);
    if (p.ver.id) {
        json_t *row = NULL;
        if (points_config_get(db, p.ver.id, &row) == 0) {
            json_object_set(src, "region_name", json_object_get(row, "region_name"));
            json_object_set(src, "note", json_object_get(row, "note"));
            json_object_set(src, "created_at", json_object_get(row, "created_at"));
            json_object_set(src, "created_by", json_object_get(row, "created_by"));
        }
        json_decref(row);
    }
    json_object_set_new(o, "source", src);
    json_object_set_new(o, "config", config_json(p.cfg));
    /* The region a city officer's save would apply to: the prefecture of the region. */
    char pref[7];
    snprintf(pref, sizeof(pref), "%.4s00", code);
    int level = lp_region_level(code);
    json_object_set_new(o, "edit_region_code", json_string(level >= 2 ? pref : code));
    prun_free(&p);
    lp_reply_json(r, 200, o);
    return 0;
}

/* GET /api/v1/points/configs?region_code= — the stored versions of one region, newest
 * first (default: the prefecture of the caller's region). */
int api_points_configs_list(struct http_req *r)
{
    struct db *db = api_db(r);
    int64_t page, size;
    if (!db || !api_paging(r, &page, &size))
        return 0;
    char code[7];
    const char *v = api_qparam(r, "region_code");
    if (v) {
        if (strlen(v) != 6 || strspn(v, "0123456789") != 6 || !api_region(r, db, "region_code", v, code)) {
            if (!r->replied)
                http_reply_error(r, 422, "invalid_region", "region_code");
            return 0;
        }
    } else if (lp_region_level(r->user.region_code) >= 2) {
        snprintf(code, sizeof(code), "%.4s00", r->user.region_code);
    } else {
        snprintf(code, sizeof(code), "%s", r->user.region_code);
    }
    if (!config_visible(r, code)) {
        http_reply_error(r, 422, "region_out_of_scope", "region_code");
        return 0;
    }
    int64_t total = 0;
    int rc = db_scalar(db_query(db, "SELECT count(*) FROM points_configs WHERE region_code = ?",
                                "s", code),
                       &total);
    struct db_stmt *st =
        rc ? NULL
           : db_query(db,
                      "SELECT p.id, p.region_code, r.name AS region_name, p.version, p.note, "
                      "p.created_at, u.username AS created_by FROM points_configs p "
                      "LEFT JOIN regions r ON r.code = p.region_code "
                      "LEFT JOIN users u ON u.id = p.created_by WHERE p.region_code = ? "
                      "ORDER BY p.version DESC LIMIT ? OFFSET ?",
                      "sii", code, size, (page - 1) * size);
    api_reply_rows(r, st, total, page, size);
    return 0;
}

/* GET /api/v1/points/configs/{id} — one stored version with its configuration. */
int api_points_configs_get(struct http_req *r)
{
    int64_t id;
    struct db *db = api_db(r);
    if (!db || !api_id_param(r, 0, &id))
        return 0;
    json_t *row = NULL;
    int rc = points_config_get(db, id, &row);
    if (!rc && !config_visible(r, json_string_value(json_object_get(row, "region_code"))))
        rc = KC_ERR_NOT_FOUND;
    if (rc) {
        json_decref(row);
        api_fail(r, rc, NULL, NULL);
        return 0;
    }
    lp_reply_json(r, 200, row);
    return 0;
}

/* POST /api/v1/points/configs {region_code, note, config} — saves a new version. */
int api_points_configs_create(struct http_req *r)
{
    struct db *db = api_db(r);
    if (!db)
        return 0;
    json_error_t je;
    json_t *o = json_loadb(r->body.data ? r->body.data : "", r->body.len, JSON_REJECT_DUPLICATES,
                           &je);
    if (!json_is_object(o)) {
        json_decref(o);
        http_reply_error(r, 400, "invalid_json", NULL);
        return 0;
    }
    struct pts_config *cfg = NULL;
    const char *key;
    json_t *val;
    json_object_foreach(o, key, val)
    {
        if (strcmp(key, "region_code") && strcmp(key, "note") && strcmp(key, "config")) {
            char *k = arena_strndup(&r->arena, key, strnlen(key, 64));
            http_reply_error(r, 422, "unknown_field", utf8_valid(k, strlen(k)) ? k : NULL);
            goto out;
        }
    }
    json_t *rcv = json_object_get(o, "region_code"), *note = json_object_get(o, "note"),
           *conf = json_object_get(o, "config");
    if (!rcv) {
        http_reply_error(r, 422, "required", "region_code");
        goto out;
    }
    if (!json_is_string(rcv)) {
        http_reply_error(r, 422, "wrong_type", "region_code");
        goto out;
    }
    if (note && !json_is_null(note) &&
        (!json_is_string(note) || utf8_len(json_string_value(note)) > 200)) {
        http_reply_error(r, 422, json_is_string(note) ? "too_long" : "wrong_type", "note");
        goto out;
    }
    if (!conf) {
        http_reply_error(r, 422, "required", "config");
        goto out;
    }
    if (!json_is_object(conf)) {
        http_reply_error(r, 422, "wrong_type", "config");
        goto out;
    }
    char code[7];
    const char *rs = json_string_value(rcv);
    if (strlen(rs) != 6 || strspn(rs, "0123456789") != 6 ||
        !api_region(r, db, "region_code", rs, code))
        goto bad_region;
    if (lp_region_level(code) == 3)
        goto bad_region; /* cohorts span a prefecture: schemes are set per city or above */
    if (!auth_region_in_scope(&r->user, code)) {
        http_reply_error(r, 422, "region_out_of_scope", "region_code");
        goto out;
    }
    cfg = malloc(sizeof(*cfg));
    struct pts_error e;
    if (!cfg || pts_config_from_json(conf, cfg, &e) != 0) {
        char field[160];
        snprintf(field, sizeof(field), "config%s%s", e.field[0] ? "." : "", e.field);
        http_reply_error_msg(r, 422, e.code, field, r->en ? e.en : e.zh);
        goto out;
    }
    struct buf canon = {0};
    struct jw w;
    jw_init(&w, &canon);
    pts_write_config(&w, cfg);
    const char *nt = json_is_string(note) && !utf8_blank(json_string_value(note))
                         ? json_string_value(note)
                         : NULL;
    int64_t id = 0;
    int version = 0;
    json_t *after = NULL;
    int rc = db_begin(db);
    if (!rc)
        rc = points_config_insert(db, code, buf_str(&canon), nt, r->user.id, &id, &version);
    if (!rc)
        rc = points_config_get(db, id, &after);
    if (!rc) {
        struct audit_ctx ctx = api_audit_ctx(r);
        rc = audit_write(db, &ctx, "create", "points_config", id, NULL, after);
    }
    if (!rc)
        rc = db_commit(db);
    else
        db_rollback(db);
    buf_free(&canon);
    if (rc) {
        json_decref(after);
        api_fail(r, rc, NULL, NULL);
        goto out;
    }
    lp_reply_json(r, 201, after);
    goto out;
bad_region:
    if (!r->replied)
        http_reply_error(r, 422, "invalid_region", "region_code");
out:
    free(cfg);
    json_decref(o);
    return 0;
}

/* ---------------------------------------------------------------- league tables */

/* The league query: region, year, stage and filters. */
struct league_q {
    char code[7], prefix[7]; /* the league's region */
    int year;                /* the evaluated year */
    const char *stage;       /* a stage id, or NULL for every stage */
    const char *band;        /* a band id, "any" (any band), or NULL */
    const char *q;           /* substring of name or USCC */
};

/* Reads and checks the league parameters; replies and returns false on a problem. */
static bool league_params(struct http_req *r, struct db *db, struct league_q *q)
{
    memset(q, 0, sizeof(*q));
    if (!lp_region_param(r, db, q->code, q->prefix) || !lp_year_param(r, "year", &q->year))
        return false;
    if (lp_region_level(q->code) < 2) {
        http_reply_error(r, 422, "league_region", "region_code");
        return false;
    }
    if (!q->year) {
        char lo[8], hi[8];
        struct scope p;
        auth_scope_prefix(&p, q->prefix);
        snprintf(lo, sizeof(lo), "%s", p.lo);
        snprintf(hi, sizeof(hi), "%s", p.hi);
        if (scan_max_year(db, lo, hi, &q->year) != 0) {
            api_fail(r, KC_ERR_DB, NULL, NULL);
            return false;
        }
    }
    q->stage = api_qparam(r, "stage");
    q->band = api_qparam(r, "band");
    q->q = api_qparam(r, "q");
    return true;
}

/* Builds the visible league rows (every stage or one), ranked within the league's
 * region × stage; *extra receives the summary (config, year, stages, bands). Replies
 * and returns NULL on a problem. */
static json_t *league_rows(struct http_req *r, struct db *db, const struct league_q *q,
                           json_t **extra)
{
    struct prun p;
    int rc = q->year ? prun_compute(db, q->code, q->year, &p) : 0;
    if (!q->year) { /* no data at all in the region */
        memset(&p, 0, sizeof(p));
        rc = prun_config(db, q->code, &p);
    }
    if (rc) {
        prun_free(&p);
        api_fail(r, rc, NULL, NULL);
        return NULL;
    }
    const struct pts_config *c = p.cfg;
    int want_stage = -1;
    if (q->stage) {
        for (int s = 0; s < c->n_stages; s++)
            if (strcmp(c->stages[s].id, q->stage) == 0)
                want_stage = s;
        if (want_stage < 0) {
            prun_free(&p);
            http_reply_error(r, 422, "invalid_stage", "stage");
            return NULL;
        }
    }
    int want_band = -2; /* -2 all, -1 any band */
    if (q->band && strcmp(q->band, "any") != 0) {
        for (int b = 0; b < c->n_bands; b++)
            if (strcmp(c->bands[b].id, q->band) == 0)
                want_band = b;
        if (want_band < 0) {
            prun_free(&p);
            http_reply_error(r, 422, "invalid_value", "band");
            return NULL;
        }
    } else if (q->band) {
        want_band = -1;
    }
    json_t *names = lp_region_names(db, q->prefix);
    json_t *rows = json_array();
    json_t *stages = json_array();
    int band_n[PTS_MAX_STAGES][PTS_MAX_BANDS] = {{0}};
    for (int s = 0; s < c->n_stages; s++) {
        rank_league(&p, q->prefix, s);
        int ranked = 0;
        for (size_t i = 0; i < p.scan.n; i++) {
            if (!p.scored[i] || p.res[i].stage != s || !in_prefix(&p, i, q->prefix))
                continue;
            const struct pts_firm *f = &p.res[i];
            ranked++;
            if (f->band >= 0)
                band_n[s][f->band]++;
            if ((want_stage >= 0 && s != want_stage) || !visible(r, &p, i))
                continue;
            if (want_band == -1 && f->band < 0)
                continue;
            if (want_band >= 0 && f->band != want_band)
                continue;
            const struct scan_firm *sf = &p.scan.firms[i];
            if (q->q && !strstr(sf->name, q->q) && !strstr(sf->uscc, q->q))
                continue;
            json_t *o = json_object();
            json_object_set_new(o, "rank", json_integer(f->rank));
            json_object_set_new(o, "ranked_n", json_integer(f->ranked_n));
            json_object_set_new(o, "band", f->band >= 0 ? json_string(c->bands[f->band].id)
                                                       : json_null());
            json_object_set_new(o, "band_label",
                                f->band >= 0 ? json_string(r->en ? c->bands[f->band].en
                                                                 : c->bands[f->band].zh)
                                             : json_null());
            json_object_set_new(o, "stage", json_string(c->stages[s].id));
            json_object_set_new(o, "stage_order", json_integer(s));
            json_object_set_new(o, "stage_label",
                                json_string(r->en ? c->stages[s].en : c->stages[s].zh));
            json_object_set_new(o, "org_id", json_integer(sf->org_id));
            json_object_set_new(o, "uscc", json_string(sf->uscc));
            json_object_set_new(o, "name", json_string(sf->name));
            json_object_set_new(o, "region_code", json_string(sf->region_code));
            json_object_set(o, "region_name", json_object_get(names, sf->region_code)
                                                  ? json_object_get(names, sf->region_code)
                                                  : json_null());
            json_object_set_new(o, "year", json_integer(p.year));
            json_object_set_new(o, "total", lp_points_json(f->total));
            json_object_set_new(o, "indicator_points", lp_points_json(f->indicator_points));
            json_object_set_new(o, "bonus_points", lp_points_json(f->bonus_points));
            json_object_set_new(o, "negative_points", lp_points_json(f->negative_points));
            json_array_append_new(rows, o);
        }
        json_t *so = json_object();
        json_object_set_new(so, "id", json_string(c->stages[s].id));
        json_object_set_new(so, "label", json_string(r->en ? c->stages[s].en : c->stages[s].zh));
        json_object_set_new(so, "ranked", json_integer(ranked));
        json_t *bands = json_object();
        for (int b = 0; b < c->n_bands; b++)
            json_object_set_new(bands, c->bands[b].id, json_integer(band_n[s][b]));
        json_object_set_new(so, "bands", bands);
        json_array_append_new(stages, so);
    }
    int unstaged = 0;
    for (size_t i = 0; i < p.scan.n; i++)
        if (p.scored[i] && p.res[i].stage < 0 && in_prefix(&p, i, q->prefix))
            unstaged++;
    json_t *bands = json_array();
    for (int b = 0; b < c->n_bands; b++) {
        json_t *bo = json_object();
        json_object_set_new(bo, "id", json_string(c->bands[b].id));
        json_object_set_new(bo, "label", json_string(r->en ? c->bands[b].en : c->bands[b].zh));
        json_object_set_new(bo, "top_percent", json_integer(c->bands[b].percent));
        json_array_append_new(bands, bo);
    }
    *extra = json_object();
    json_object_set_new(*extra, "region_code", json_string(q->code));
    json_object_set_new(*extra, "year", q->year ? json_integer(q->year) : json_null());
    json_object_set_new(*extra, "config", config_summary(r, &p));
    json_object_set_new(*extra, "stages", stages);
    json_object_set_new(*extra, "bands", bands);
    json_object_set_new(*extra, "unstaged", json_integer(unstaged));
    json_decref(names);
    prun_free(&p);
    return rows;
}

static const char *const league_sorts[] = {"rank", "total", "name", "uscc", "region_code", NULL};

/* Sorts league rows: "rank" is stage, then rank, then org id; others as named. */
static void league_sort(json_t *rows, const char *col, bool desc)
{
    if (strcmp(col, "rank") != 0) {
        lp_sort(rows, col, desc, "org_id");
        return;
    }
    size_t i;
    json_t *o;
    json_array_foreach(rows, i, o)
    {
        json_int_t key = json_integer_value(json_object_get(o, "stage_order")) * 100000000 +
                         json_integer_value(json_object_get(o, "rank"));
        json_object_set_new(o, "_k", json_integer(desc ? -key : key));
    }
    lp_sort(rows, "_k", false, "org_id");
    json_array_foreach(rows, i, o) json_object_del(o, "_k");
}

/* GET /api/v1/points/league */
int api_points_league(struct http_req *r)
{
    struct db *db = api_db(r);
    struct league_q q;
    int64_t page, size;
    const char *col;
    bool desc;
    if (!db || !api_paging(r, &page, &size) || !api_sort(r, league_sorts, "rank", &col, &desc) ||
        !league_params(r, db, &q))
        return 0;
    json_t *extra = NULL;
    json_t *rows = league_rows(r, db, &q, &extra);
    if (!rows)
        return 0;
    league_sort(rows, col, desc);
    lp_reply_page(r, rows, page, size, extra);
    json_decref(rows);
    json_decref(extra);
    return 0;
}

/* GET /api/v1/points/league/export — the same rows as XLSX or CSV. */
int api_points_league_export(struct http_req *r)
{
    static const char *const cols[] = {
        "stage_label", "发展阶段", "Stage",
        "rank", "排名", "Rank",
        "ranked_n", "参与排名企业数", "Firms ranked",
        "band_label", "榜单", "Band",
        "name", "企业名称", "Enterprise",
        "uscc", "统一社会信用代码", "USCC",
        "region_name", "所在区县", "Region",
        "total", "创新积分", "Points",
        "indicator_points", "指标得分", "Indicator points",
        "bonus_points", "加分", "Bonus",
        "negative_points", "扣分", "Deductions",
        "year", "数据年度", "Year",
        NULL};
    struct db *db = api_db(r);
    struct league_q q;
    const char *col;
    bool desc;
    if (!db || !lp_format_ok(r) || !api_sort(r, league_sorts, "rank", &col, &desc) ||
        !league_params(r, db, &q))
        return 0;
    json_t *extra = NULL;
    json_t *rows = league_rows(r, db, &q, &extra);
    if (!rows)
        return 0;
    league_sort(rows, col, desc);
    char base[64];
    snprintf(base, sizeof(base), "points-league-%s-%d", q.code, q.year);
    lp_export(r, rows, cols, "创新积分榜", "Innovation points", base);
    json_decref(rows);
    json_decref(extra);
    return 0;
}

/* ---------------------------------------------------------------- one firm */

/* Writes {region_code, rank, ranked_n, band, band_label} of firm i's league within prefix. */
static void write_league(struct jw *w, bool en, const char *key, struct prun *p, size_t i,
                         const char *prefix, const char *code)
{
    rank_league(p, prefix, p->res[i].stage);
    const struct pts_firm *f = &p->res[i];
    jw_key(w, key);
    jw_obj_open(w);
    jw_kstr(w, "region_code", code);
    jw_kint(w, "rank", f->rank);
    jw_kint(w, "ranked_n", f->ranked_n);
    jw_kstr(w, "band", f->band >= 0 ? p->cfg->bands[f->band].id : NULL);
    jw_kstr(w, "band_label",
            f->band >= 0 ? (en ? p->cfg->bands[f->band].en : p->cfg->bands[f->band].zh) : NULL);
    jw_obj_close(w);
}

/* GET /api/v1/points/firms/{uscc}?year= — one firm's points with every indicator. */
int api_points_firm(struct http_req *r)
{
    struct db *db = api_db(r);
    if (!db)
        return 0;
    int year;
    if (!lp_year_param(r, "year", &year))
        return 0;
    int64_t org_id;
    int rc = ent_find(db, &r->user.scope, r->params[0], &org_id);
    if (rc) {
        api_fail(r, rc, NULL, NULL);
        return 0;
    }
    char region[7] = "";
    struct db_stmt *st = db_query(db, "SELECT region_code FROM orgs WHERE id = ?", "i", org_id);
    if (st && db_step(st) == DB_ROW)
        snprintf(region, sizeof(region), "%s", db_col_text(st, 0));
    if (st)
        db_done(st);
    if (!year) {
        int64_t y = 0;
        rc = db_scalar(db_query(db,
                                "SELECT coalesce(max(year), 0) FROM enterprise_years WHERE "
                                "org_id = ? AND is_current = 1",
                                "i", org_id),
                       &y);
        if (rc) {
            api_fail(r, rc, NULL, NULL);
            return 0;
        }
        year = (int)y;
    }
    if (!year || !region[0]) {
        http_reply_error(r, 422, "no_year_data", "year");
        return 0;
    }
    struct prun p;
    rc = prun_compute(db, region, year, &p);
    size_t at = p.scan.n;
    for (size_t i = 0; !rc && i < p.scan.n; i++)
        if (p.scan.firms[i].org_id == org_id)
            at = i;
    if (rc || at == p.scan.n || !p.scored[at]) {
        prun_free(&p);
        if (rc)
            api_fail(r, rc, NULL, NULL);
        else
            http_reply_error(r, 422, "no_year_data", "year");
        return 0;
    }
    struct buf out = {0};
    struct jw w;
    jw_init(&w, &out);
    jw_obj_open(&w);
    jw_kstr(&w, "uscc", p.scan.firms[at].uscc);
    jw_kstr(&w, "name", p.scan.firms[at].name);
    jw_kstr(&w, "region_code", region);
    jw_key(&w, "config");
    {
        json_t *cs = config_summary(r, &p);
        char *t = json_dumps(cs, JSON_COMPACT);
        jw_raw(&w, t, strlen(t));
        free(t);
        json_decref(cs);
    }
    if (p.res[at].stage >= 0) {
        char county[7], pref[7], cpre[7], ppre[7];
        snprintf(county, sizeof(county), "%s", region);
        snprintf(pref, sizeof(pref), "%.4s00", region);
        auth_region_prefix(county, cpre);
        auth_region_prefix(pref, ppre);
        write_league(&w, r->en, "city_league", &p, at, ppre, pref);
        if (strcmp(county, pref) != 0)
            write_league(&w, r->en, "county_league", &p, at, cpre, county);
        else
            jw_knull(&w, "county_league");
    } else {
        jw_knull(&w, "city_league");
        jw_knull(&w, "county_league");
    }
    jw_key(&w, "points");
    p.res[at].rank = 0; /* the leagues above carry the ranks */
    pts_write_firm(&w, p.cfg, &p.res[at]);
    jw_obj_close(&w);
    prun_free(&p);
    http_reply_json(r, 200, &out);
    return 0;
}
