/*
 * ladder_pools.c (api) — cultivation pools (培育库): the enterprises of a region whose
 * latest year fails a rule set by at most N conditions (on the cheapest route to a pass,
 * as the gap analysis finds it) or whose every failing condition is within a margin of
 * its threshold, sorted by the size of the gap (the smallest change in money and people
 * that qualifies them, rules_gaps); export; and the margin settings per region.
 */
#include "api/handlers_points.h"
#include "api/points_common.h"
#include "db/db.h"
#include "rules/pool.h"
#include "rules/rules.h"
#include "store/points.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Cost in 分 used to rank a day of waiting (src/rules/README.md: ¥1,000). */
#define WAIT_DAY_COST_FEN 100000LL

/* The pool query. */
struct pool_q {
    char code[7], prefix[7]; /* the region */
    int year;                /* evaluate the latest year ≤ this (0: the latest) */
    const char *family;      /* rule family or set id */
    const char *q;           /* substring of name or USCC */
    const char *reason;      /* "one_condition" | "margin" | NULL */
};

/* Reads the pool parameters; replies and returns false on a problem. */
static bool pool_params(struct http_req *r, struct db *db, struct pool_q *q)
{
    memset(q, 0, sizeof(*q));
    if (!lp_region_param(r, db, q->code, q->prefix) || !lp_year_param(r, "year", &q->year))
        return false;
    const struct rules_registry *reg = lp_rules();
    if (!reg) {
        api_fail(r, KC_ERR_DB, NULL, NULL);
        return false;
    }
    q->family = api_qparam(r, "family");
    if (!q->family)
        q->family = "hnte";
    if (!rules_registry_knows(reg, q->family)) {
        http_reply_error(r, 422, "unknown_family", "family");
        return false;
    }
    q->q = api_qparam(r, "q");
    q->reason = api_qparam(r, "reason");
    if (q->reason && strcmp(q->reason, "one_condition") != 0 && strcmp(q->reason, "margin") != 0) {
        http_reply_error(r, 422, "invalid_value", "reason");
        return false;
    }
    return true;
}

/* Builds the pool rows visible to the caller; *extra receives the summary. Replies and
 * returns NULL on a problem. */
static json_t *pool_rows(struct http_req *r, struct db *db, const struct pool_q *q, json_t **extra)
{
    const struct rules_registry *reg = lp_rules();
    char lo[8], hi[8];
    lp_range(&r->user.scope, q->prefix, lo, hi);
    struct ladder_scan scan = {0};
    json_t *margins = NULL;
    int rc = 0;
    if (lo[0] || hi[0])
        rc = ladder_scan_load(db, lo, hi, r->user.scope.org_id, q->year, &scan);
    if (!rc)
        rc = pool_margin_rows(db, &margins);
    struct rules_result *res = malloc(sizeof(*res));
    struct rules_gaps *gaps = malloc(sizeof(*gaps));
    if (rc || !res || !gaps) {
        ladder_scan_free(&scan);
        json_decref(margins);
        free(res);
        free(gaps);
        api_fail(r, rc ? rc : KC_ERR_DB, NULL, NULL);
        return NULL;
    }
    json_t *names = lp_region_names(db, q->prefix);
    json_t *rows = json_array();
    int evaluated = 0, failing = 0;
    const char *rule_used = NULL;
    for (size_t i = 0; i < scan.n; i++) {
        const struct scan_firm *f = &scan.firms[i];
        int year = scan_latest_year(f, q->year);
        if (!year)
            continue;
        const struct rules_set *s = rules_registry_find(reg, q->family, year);
        if (!s)
            continue;
        struct rules_record rec;
        scan_record(f, year, &rec);
        rules_evaluate(s, &rec, year, res);
        evaluated++;
        if (res->verdict != RULES_NOT_MET)
            continue;
        failing++;
        if (q->q && !strstr(f->name, q->q) && !strstr(f->uscc, q->q))
            continue;
        /* Membership from the verdict tree (cheap); the gap analysis only for members. */
        struct pool_margin m;
        pool_margin_lookup(margins, f->region_code, s->family, &m);
        int n_failed = pool_route_failed(s, res);
        const char *reason = n_failed <= m.max_failed       ? "one_condition"
                             : pool_route_near(s, res, m.margin_pct, m.score_margin) ? "margin"
                                                            : NULL;
        if (!reason || (q->reason && strcmp(q->reason, reason) != 0))
            continue;
        rules_gaps(s, &rec, res, gaps);
        const struct rules_gap *combined = NULL;
        char failed[1024] = "";
        size_t fl = 0;
        for (int g = 0; g < gaps->n; g++) {
            const struct rules_gap *gp = &gaps->g[g];
            if (gp->kind == RULES_G_COMBINED)
                combined = gp;
            if (gp->kind != RULES_G_CONDITION)
                continue;
            const struct rules_condition *cd = &s->conditions[gp->cond];
            int w = snprintf(failed + fl, sizeof(failed) - fl, "%s%s", fl ? "；" : "",
                             r->en ? cd->en : cd->zh);
            if (w > 0 && (size_t)w < sizeof(failed) - fl)
                fl += (size_t)w;
        }
        if (!combined && gaps->n)
            combined = &gaps->g[0];
        json_t *o = json_object();
        json_object_set_new(o, "org_id", json_integer(f->org_id));
        json_object_set_new(o, "uscc", json_string(f->uscc));
        json_object_set_new(o, "name", json_string(f->name));
        json_object_set_new(o, "region_code", json_string(f->region_code));
        json_object_set(o, "region_name", json_object_get(names, f->region_code)
                                              ? json_object_get(names, f->region_code)
                                              : json_null());
        json_object_set_new(o, "year", json_integer(year));
        json_object_set_new(o, "rule", json_string(s->id));
        json_object_set_new(o, "verdict", json_string(rules_verdict_name(res->verdict)));
        json_object_set_new(o, "score_min", s->scored ? json_integer(res->score_lo) : json_null());
        json_object_set_new(o, "score_max", s->scored ? json_integer(res->score_hi) : json_null());
        json_object_set_new(o, "failed", json_integer(n_failed));
        json_object_set_new(o, "failed_conditions", json_string(failed));
        json_object_set_new(o, "reason", json_string(reason));
        bool fixable = combined && combined->fixable && !combined->needs_data;
        int64_t cost = 0;
        if (combined) {
            for (int c = 0; c < combined->n_changes; c++)
                cost += combined->changes[c].delta * s->unit_cost_fen[combined->changes[c].field];
            cost += (int64_t)combined->wait_days * WAIT_DAY_COST_FEN;
        }
        json_object_set_new(o, "fixable", json_boolean(fixable));
        json_object_set_new(o, "needs_data", json_boolean(combined && combined->needs_data));
        json_object_set_new(o, "gap_cost_fen", fixable ? json_integer(cost) : json_null());
        json_object_set_new(o, "money_fen", json_integer(combined ? combined->money_fen : 0));
        json_object_set_new(o, "persons", json_integer(combined ? combined->persons : 0));
        json_object_set_new(o, "wait_days", json_integer(combined ? combined->wait_days : 0));
        json_object_set_new(o, "gap", combined ? json_string(r->en ? combined->en : combined->zh)
                                               : json_null());
        json_array_append_new(rows, o);
        rule_used = s->id;
    }
    struct pool_margin m;
    pool_margin_lookup(margins, q->code, q->family, &m);
    *extra = json_object();
    json_object_set_new(*extra, "region_code", json_string(q->code));
    json_object_set_new(*extra, "family", json_string(q->family));
    json_object_set_new(*extra, "year", q->year ? json_integer(q->year) : json_null());
    json_object_set_new(*extra, "rule", rule_used ? json_string(rule_used) : json_null());
    json_object_set_new(*extra, "evaluated", json_integer(evaluated));
    json_object_set_new(*extra, "failing", json_integer(failing));
    json_t *mo = json_object();
    json_object_set_new(mo, "max_failed", json_integer(m.max_failed));
    json_object_set_new(mo, "margin_pct", json_integer(m.margin_pct));
    json_object_set_new(mo, "score_margin", json_integer(m.score_margin));
    json_object_set_new(mo, "from_region", m.from_region[0] ? json_string(m.from_region)
                                                            : json_null());
    json_object_set_new(mo, "from_family", json_string(m.from_family));
    json_object_set_new(*extra, "margin", mo);
    json_decref(names);
    json_decref(margins);
    ladder_scan_free(&scan);
    free(res);
    free(gaps);
    return rows;
}

static const char *const pool_sorts[] = {"gap_cost_fen", "money_fen", "persons",  "name",
                                         "uscc",         "region_code", "failed", "score_max",
                                         "year",         NULL};

/* GET /api/v1/ladder/pools */
int api_ladder_pools(struct http_req *r)
{
    struct db *db = api_db(r);
    struct pool_q q;
    int64_t page, size;
    const char *col;
    bool desc;
    if (!db || !api_paging(r, &page, &size) ||
        !api_sort(r, pool_sorts, "gap_cost_fen", &col, &desc) || !pool_params(r, db, &q))
        return 0;
    json_t *extra = NULL;
    json_t *rows = pool_rows(r, db, &q, &extra);
    if (!rows)
        return 0;
    lp_sort(rows, col, desc, "org_id");
    lp_reply_page(r, rows, page, size, extra);
    json_decref(rows);
    json_decref(extra);
    return 0;
}

/* GET /api/v1/ladder/pools/export — the same rows as XLSX or CSV. */
int api_ladder_pools_export(struct http_req *r)
{
    static const char *const cols[] = {
        "name", "企业名称", "Enterprise",
        "uscc", "统一社会信用代码", "USCC",
        "region_name", "所在区县", "Region",
        "year", "数据年度", "Year",
        "rule", "规则", "Rule set",
        "score_max", "得分(上限)", "Score (max)",
        "failed", "未满足条件数", "Failing conditions",
        "failed_conditions", "未满足条件", "Conditions not met",
        "reason", "入库原因", "Reason",
        "money_fen", "需增加资金(分)", "Money needed (fen)",
        "persons", "需增加人员", "Persons needed",
        "wait_days", "需等待天数", "Days to wait",
        "gap", "差距与最小改进", "Gap and smallest change",
        NULL};
    struct db *db = api_db(r);
    struct pool_q q;
    const char *col;
    bool desc;
    if (!db || !lp_format_ok(r) || !api_sort(r, pool_sorts, "gap_cost_fen", &col, &desc) ||
        !pool_params(r, db, &q))
        return 0;
    json_t *extra = NULL;
    json_t *rows = pool_rows(r, db, &q, &extra);
    if (!rows)
        return 0;
    lp_sort(rows, col, desc, "org_id");
    char base[64];
    snprintf(base, sizeof(base), "pool-%s-%s", q.family, q.code);
    lp_export(r, rows, cols, "培育库", "Cultivation pool", base);
    json_decref(rows);
    json_decref(extra);
    return 0;
}

/* ---------------------------------------------------------------- margins */

/* GET /api/v1/ladder/pool-margins?region_code= — the rows of a region and those it
 * inherits, and the margin in force for each known family. */
int api_ladder_margins_get(struct http_req *r)
{
    struct db *db = api_db(r);
    char code[7], prefix[7];
    if (!db || !lp_region_param(r, db, code, prefix))
        return 0;
    const struct rules_registry *reg = lp_rules();
    json_t *rows = NULL;
    int rc = reg ? pool_margin_rows(db, &rows) : KC_ERR_DB;
    if (rc) {
        api_fail(r, rc, NULL, NULL);
        return 0;
    }
    /* Rows of the region itself, its ancestors and (in scope) its descendants. */
    json_t *list = json_array();
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row)
    {
        const char *rc_ = json_string_value(json_object_get(row, "region_code"));
        char p[7];
        auth_region_prefix(rc_, p);
        bool ancestor = strncmp(code, p, strlen(p)) == 0;
        bool below = strncmp(rc_, prefix, strlen(prefix)) == 0 &&
                     auth_region_in_scope(&r->user, rc_);
        if (ancestor || below)
            json_array_append(list, row);
    }
    lp_sort(list, "family", false, NULL);
    lp_sort(list, "region_code", false, "family");
    json_t *eff = json_array();
    char seen[16][RULES_ID_MAX];
    int n_seen = 0;
    for (size_t s = 0; s < reg->n; s++) {
        const char *fam = reg->sets[s]->family;
        bool dup = false;
        for (int k = 0; k < n_seen; k++)
            dup |= strcmp(seen[k], fam) == 0;
        if (dup || n_seen == 16)
            continue;
        snprintf(seen[n_seen++], RULES_ID_MAX, "%s", fam);
        struct pool_margin m;
        pool_margin_lookup(rows, code, fam, &m);
        json_t *o = json_object();
        json_object_set_new(o, "family", json_string(fam));
        json_object_set_new(o, "max_failed", json_integer(m.max_failed));
        json_object_set_new(o, "margin_pct", json_integer(m.margin_pct));
        json_object_set_new(o, "score_margin", json_integer(m.score_margin));
        json_object_set_new(o, "from_region", m.from_region[0] ? json_string(m.from_region)
                                                                : json_null());
        json_object_set_new(o, "from_family", json_string(m.from_family));
        json_array_append_new(eff, o);
    }
    json_decref(rows);
    json_t *o = json_object();
    json_object_set_new(o, "region_code", json_string(code));
    json_object_set_new(o, "rows", list);
    json_object_set_new(o, "effective", eff);
    json_t *d = json_object();
    json_object_set_new(d, "max_failed", json_integer(POOL_DEFAULT_MAX_FAILED));
    json_object_set_new(d, "margin_pct", json_integer(POOL_DEFAULT_MARGIN_PCT));
    json_object_set_new(d, "score_margin", json_integer(POOL_DEFAULT_SCORE_MARGIN));
    json_object_set_new(o, "defaults", d);
    lp_reply_json(r, 200, o);
    return 0;
}

static const struct field_spec margin_fields[] = {
    {"region_code", FT_STR, true, 6},
    {"family", FT_STR, true, 40},
    {"max_failed", FT_INT, true, 0},
    {"margin_pct", FT_INT, true, 0},
    {"score_margin", FT_INT, true, 0},
    {NULL, 0, 0, 0},
};

/* Checks region (known, in scope) and family ("*" or a known family) of a margin row;
 * replies and returns false on a problem. */
static bool margin_key(struct http_req *r, struct db *db, const char *region, const char *family,
                       char code[7])
{
    if (!region || strlen(region) != 6 || strspn(region, "0123456789") != 6 ||
        !api_region(r, db, "region_code", region, code)) {
        if (!r->replied)
            http_reply_error(r, 422, "invalid_region", "region_code");
        return false;
    }
    if (!auth_region_in_scope(&r->user, code)) {
        http_reply_error(r, 422, "region_out_of_scope", "region_code");
        return false;
    }
    const struct rules_registry *reg = lp_rules();
    bool known = family && strcmp(family, "*") == 0;
    for (size_t s = 0; reg && family && s < reg->n && !known; s++)
        known = strcmp(reg->sets[s]->family, family) == 0;
    if (!known) {
        http_reply_error(r, 422, "unknown_family", "family");
        return false;
    }
    return true;
}

/* PUT /api/v1/ladder/pool-margins {region_code, family, max_failed, margin_pct,
 * score_margin} — sets a region's margin (audited). */
int api_ladder_margins_put(struct http_req *r)
{
    struct db *db = api_db(r);
    if (!db)
        return 0;
    json_t *o = api_body(r, margin_fields, true);
    if (!o)
        return 0;
    char code[7];
    const char *family = api_str(o, "family");
    static const struct {
        const char *name;
        int max;
    } lim[] = {{"max_failed", 5}, {"margin_pct", 50}, {"score_margin", 30}};
    int v[3];
    for (int k = 0; k < 3; k++) {
        json_int_t n = json_integer_value(json_object_get(o, lim[k].name));
        if (n < 0 || n > lim[k].max) {
            http_reply_error(r, 422, "out_of_range", lim[k].name);
            json_decref(o);
            return 0;
        }
        v[k] = (int)n;
    }
    if (!margin_key(r, db, api_str(o, "region_code"), family, code)) {
        json_decref(o);
        return 0;
    }
    json_t *before = NULL, *after = NULL;
    int rc = db_begin(db);
    if (!rc)
        rc = pool_margin_get(db, code, family, &before);
    if (!rc)
        rc = pool_margin_save(db, code, family, v[0], v[1], v[2], r->user.id);
    if (!rc)
        rc = pool_margin_get(db, code, family, &after);
    if (!rc) {
        char key[64];
        snprintf(key, sizeof(key), "%s/%s", code, family);
        json_t *diff = audit_diff(before, after);
        json_object_set_new(diff, "key", json_string(key));
        struct audit_ctx ctx = api_audit_ctx(r);
        rc = audit_write_diff(db, &ctx, before ? "update" : "create", "pool_margin", 0, diff);
        json_decref(diff);
    }
    if (!rc)
        rc = db_commit(db);
    else
        db_rollback(db);
    json_decref(before);
    json_decref(o);
    if (rc) {
        json_decref(after);
        api_fail(r, rc, NULL, NULL);
        return 0;
    }
    lp_reply_json(r, 200, after);
    return 0;
}

/* DELETE /api/v1/ladder/pool-margins?region_code=&family= — removes a region's row (the
 * region then inherits). */
int api_ladder_margins_delete(struct http_req *r)
{
    struct db *db = api_db(r);
    if (!db)
        return 0;
    char code[7];
    const char *family = api_qparam(r, "family");
    if (!margin_key(r, db, api_qparam(r, "region_code"), family, code))
        return 0;
    json_t *before = NULL;
    int rc = db_begin(db);
    if (!rc)
        rc = pool_margin_get(db, code, family, &before);
    if (!rc && !before)
        rc = KC_ERR_NOT_FOUND;
    if (!rc)
        rc = pool_margin_delete(db, code, family);
    if (!rc) {
        char key[64];
        snprintf(key, sizeof(key), "%s/%s", code, family);
        json_t *diff = audit_diff(before, NULL);
        json_object_set_new(diff, "key", json_string(key));
        struct audit_ctx ctx = api_audit_ctx(r);
        rc = audit_write_diff(db, &ctx, "delete", "pool_margin", 0, diff);
        json_decref(diff);
    }
    if (!rc)
        rc = db_commit(db);
    else
        db_rollback(db);
    json_decref(before);
    if (rc) {
        api_fail(r, rc, NULL, NULL);
        return 0;
    }
    json_t *o = json_object();
    json_object_set_new(o, "deleted", json_true());
    lp_reply_json(r, 200, o);
    return 0;
}
