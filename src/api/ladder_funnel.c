/*
 * ladder_funnel.c (api) — the cultivation-ladder funnel per region and year: at each
 * stage (cert_kinds.stage: 科技型中小企业 → 高新技术企业 → 科技小巨人 → 科技领军企业) the
 * enterprises holding a certificate that counts on the chosen date (31 December of the
 * year unless given), and — where the stage has a rule set (cert_kinds.rule_family) — the
 * enterprises whose data of that year pass it (高新技术企业: a pre-assessment, so
 * "uncertain" with every hard condition met is counted as possible), side by side, per
 * child region too; and the drill-down list of the firms behind every number.
 */
#include "api/handlers_points.h"
#include "api/points_common.h"
#include "core/timeutil.h"
#include "db/db.h"
#include "rules/rules.h"
#include "store/points.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_STAGES 8

/* One ladder stage. */
struct stage {
    int stage;               /* cert_kinds.stage */
    char kinds[128];         /* its certificate kinds, comma-separated */
    char name[128];          /* Chinese name (of the first kind) */
    char name_en[128];       /* English name */
    char family[RULES_ID_MAX]; /* the rule family computing a verdict, or "" */
};

/* The funnel query. */
struct funnel_q {
    char code[7], prefix[7]; /* the region */
    char lo[8], hi[8];       /* the region within the caller's scope */
    int year;                /* the data year */
    char date[11];           /* certificates counting on this day */
    struct stage st[MAX_STAGES]; /* stages in order */
    int n_st;                /* their count */
};

/* Loads the ladder stages from cert_kinds. */
static int load_stages(struct db *db, struct funnel_q *q)
{
    struct db_stmt *st = db_prep(db, "SELECT code, name, name_en, stage, rule_family FROM "
                                     "cert_kinds WHERE stage IS NOT NULL ORDER BY stage, sort");
    if (!st)
        return KC_ERR_DB;
    int rc;
    q->n_st = 0;
    while ((rc = db_step(st)) == DB_ROW) {
        int s = (int)db_col_int(st, 3);
        struct stage *cur = q->n_st ? &q->st[q->n_st - 1] : NULL;
        if (!cur || cur->stage != s) {
            if (q->n_st == MAX_STAGES)
                continue;
            cur = &q->st[q->n_st++];
            memset(cur, 0, sizeof(*cur));
            cur->stage = s;
            snprintf(cur->name, sizeof(cur->name), "%s", db_col_text(st, 1));
            snprintf(cur->name_en, sizeof(cur->name_en), "%s", db_col_text(st, 2));
        }
        size_t n = strlen(cur->kinds);
        snprintf(cur->kinds + n, sizeof(cur->kinds) - n, "%s%s", n ? "," : "", db_col_text(st, 0));
        const char *fam = db_col_text(st, 4);
        if (fam && !cur->family[0])
            snprintf(cur->family, sizeof(cur->family), "%s", fam);
    }
    db_done(st);
    return rc < 0 ? rc : 0;
}

/* Reads the funnel parameters; replies and returns false on a problem. */
static bool funnel_params(struct http_req *r, struct db *db, struct funnel_q *q)
{
    memset(q, 0, sizeof(*q));
    if (!lp_region_param(r, db, q->code, q->prefix) || !lp_year_param(r, "year", &q->year))
        return false;
    lp_range(&r->user.scope, q->prefix, q->lo, q->hi);
    if (!q->year) {
        struct scope p;
        auth_scope_prefix(&p, q->prefix);
        if (scan_max_year(db, p.lo, p.hi, &q->year) != 0) {
            api_fail(r, KC_ERR_DB, NULL, NULL);
            return false;
        }
        if (!q->year) { /* no yearly data at all: the year before this one */
            int64_t days = (time_now() + 8 * 3600) / 86400;
            q->year = rules_year_of_days(days) - 1;
        }
    }
    const char *d = api_qparam(r, "date");
    int64_t days;
    if (d && (strlen(d) != 10 || rules_parse_date(d, &days) != 0)) {
        http_reply_error(r, 422, "invalid_date", "date");
        return false;
    }
    if (d)
        snprintf(q->date, sizeof(q->date), "%s", d);
    else
        snprintf(q->date, sizeof(q->date), "%04u-12-31", (unsigned)q->year % 10000u);
    if (load_stages(db, q) != 0) {
        api_fail(r, KC_ERR_DB, NULL, NULL);
        return false;
    }
    return true;
}

/* Index of stage number s in q, or -1. */
static int stage_index(const struct funnel_q *q, int s)
{
    for (int i = 0; i < q->n_st; i++)
        if (q->st[i].stage == s)
            return i;
    return -1;
}

/* The child-region bucket of an organisation's region code under the funnel's region. */
static void child_of(const struct funnel_q *q, const char *rc, char out[7])
{
    int level = lp_region_level(q->code);
    if (level == 0)
        snprintf(out, 7, "%.2s0000", rc);
    else if (level == 1)
        snprintf(out, 7, "%.4s00", rc);
    else
        snprintf(out, 7, "%.6s", rc);
}

/* Prepares the valid certificates of ladder stages in the region: org, stage, the org's
 * identity and the certificate, one row per certificate, by org then latest valid_to. */
static struct db_stmt *cert_rows(struct db *db, const struct funnel_q *q, int64_t org_id,
                                 int stage)
{
    return db_query(db,
                    "SELECT o.id, k.stage, o.uscc, o.name, o.region_code, c.kind, k.name, "
                    "k.name_en, c.number, c.issued_on, c.valid_to FROM certifications c "
                    "JOIN cert_kinds k ON k.code = c.kind JOIN orgs o ON o.id = c.org_id "
                    "WHERE k.stage IS NOT NULL AND (? = 0 OR k.stage = ?) AND "
                    "o.kind = 'enterprise' AND o.region_code >= ? AND o.region_code < ? AND "
                    "(? = 0 OR o.id = ?) AND c.status = 'verified' AND c.issued_on <= ? AND "
                    "(c.valid_to IS NULL OR "
                    "c.valid_to >= ?) ORDER BY o.id, k.stage, c.valid_to IS NULL DESC, "
                    "c.valid_to DESC",
                    "iissiiss", (int64_t)stage, (int64_t)stage, q->lo, q->hi, org_id, org_id,
                    q->date, q->date);
}

/* Per-region counts: cert and verdict (pass, possible) per stage index. */
struct counts {
    char code[7];
    int cert[MAX_STAGES], pass[MAX_STAGES], possible[MAX_STAGES], evaluated[MAX_STAGES];
};

/* The counts slot of code in list (added when absent). */
static struct counts *slot(struct counts **list, size_t *n, const char *code)
{
    for (size_t i = 0; i < *n; i++)
        if (strcmp((*list)[i].code, code) == 0)
            return &(*list)[i];
    struct counts *nl = realloc(*list, (*n + 1) * sizeof(**list));
    if (!nl)
        return NULL;
    *list = nl;
    struct counts *c = &nl[(*n)++];
    memset(c, 0, sizeof(*c));
    snprintf(c->code, sizeof(c->code), "%s", code);
    return c;
}

/* Evaluates the verdict of stage index si for every firm of scan with year data; calls
 * back per firm with the result. */
typedef void (*verdict_fn)(void *ctx, const struct scan_firm *f, const struct rules_set *s,
                           const struct rules_result *res);
static int each_verdict(const struct funnel_q *q, const struct ladder_scan *scan, int si,
                        verdict_fn fn, void *ctx)
{
    const struct rules_registry *reg = lp_rules();
    if (!reg)
        return KC_ERR_DB;
    const struct rules_set *s = q->st[si].family[0]
                                    ? rules_registry_find(reg, q->st[si].family, q->year)
                                    : NULL;
    if (!s)
        return 0;
    struct rules_result *res = malloc(sizeof(*res));
    if (!res)
        return KC_ERR_DB;
    for (size_t i = 0; i < scan->n; i++) {
        const struct scan_firm *f = &scan->firms[i];
        if (!scan_has_year(f, q->year))
            continue;
        struct rules_record rec;
        scan_record(f, q->year, &rec);
        rules_evaluate(s, &rec, q->year, res);
        fn(ctx, f, s, res);
    }
    free(res);
    return 0;
}

/* Context of the counting callback. */
struct count_ctx {
    const struct funnel_q *q;
    struct counts **list;
    size_t *n;
    struct counts *total;
    int si;
};

/* Counts one verdict into the firm's child region and the total. */
static void count_verdict(void *vctx, const struct scan_firm *f, const struct rules_set *s,
                          const struct rules_result *res)
{
    (void)s;
    struct count_ctx *c = vctx;
    char child[7];
    child_of(c->q, f->region_code, child);
    struct counts *k = slot(c->list, c->n, child);
    struct counts *both[2] = {c->total, k};
    for (int j = 0; j < 2; j++) {
        if (!both[j])
            continue;
        both[j]->evaluated[c->si]++;
        if (res->verdict == RULES_MET)
            both[j]->pass[c->si]++;
        else if (res->verdict == RULES_UNCERTAIN)
            both[j]->possible[c->si]++;
    }
}

/* Writes the stage array of one counts slot. */
static json_t *stage_json(const struct http_req *r, const struct funnel_q *q,
                          const struct counts *c, bool full)
{
    const struct rules_registry *reg = lp_rules();
    json_t *arr = json_array();
    for (int i = 0; i < q->n_st; i++) {
        const struct stage *s = &q->st[i];
        const struct rules_set *set =
            reg && s->family[0] ? rules_registry_find(reg, s->family, q->year) : NULL;
        json_t *o = json_object();
        json_object_set_new(o, "stage", json_integer(s->stage));
        if (full) {
            json_object_set_new(o, "kinds", json_string(s->kinds));
            json_object_set_new(o, "name", json_string(s->name));
            json_object_set_new(o, "name_en", json_string(s->name_en));
            json_object_set_new(o, "label", json_string(r->en ? s->name_en : s->name));
            json_object_set_new(o, "rule", set ? json_string(set->id) : json_null());
            json_object_set_new(o, "pre_assessment",
                                json_boolean(set && set->pre_assessment));
        }
        json_object_set_new(o, "cert", json_integer(c->cert[i]));
        if (set) {
            json_object_set_new(o, "verdict", json_integer(c->pass[i] + c->possible[i]));
            json_object_set_new(o, "verdict_pass", json_integer(c->pass[i]));
            json_object_set_new(o, "verdict_possible", json_integer(c->possible[i]));
            json_object_set_new(o, "evaluated", json_integer(c->evaluated[i]));
        } else {
            json_object_set_new(o, "verdict", json_null());
            json_object_set_new(o, "verdict_pass", json_null());
            json_object_set_new(o, "verdict_possible", json_null());
            json_object_set_new(o, "evaluated", json_null());
        }
        json_array_append_new(arr, o);
    }
    return arr;
}

/* GET /api/v1/ladder/funnel?region_code=&year=&date= */
int api_ladder_funnel(struct http_req *r)
{
    struct db *db = api_db(r);
    struct funnel_q q;
    if (!db || !funnel_params(r, db, &q))
        return 0;
    struct counts total;
    memset(&total, 0, sizeof(total));
    struct counts *list = NULL;
    size_t n = 0;
    int rc = 0;
    struct ladder_scan scan = {0};
    if (q.lo[0] || q.hi[0]) {
        struct db_stmt *st = cert_rows(db, &q, r->user.scope.org_id, 0);
        if (!st)
            rc = KC_ERR_DB;
        int64_t last_org = 0;
        int last_stage = -1;
        while (st && (rc = db_step(st)) == DB_ROW) {
            int64_t org = db_col_int(st, 0);
            int s = (int)db_col_int(st, 1);
            if (org == last_org && s == last_stage)
                continue; /* one count per firm and stage */
            last_org = org;
            last_stage = s;
            int si = stage_index(&q, s);
            char child[7];
            child_of(&q, db_col_text(st, 4), child);
            struct counts *k = slot(&list, &n, child);
            if (si < 0 || !k)
                continue;
            total.cert[si]++;
            k->cert[si]++;
        }
        if (st)
            db_done(st);
        if (rc > 0)
            rc = 0;
        if (!rc)
            rc = ladder_scan_load(db, q.lo, q.hi, r->user.scope.org_id, q.year, &scan);
        for (int si = 0; !rc && si < q.n_st; si++) {
            struct count_ctx ctx = {&q, &list, &n, &total, si};
            rc = each_verdict(&q, &scan, si, count_verdict, &ctx);
        }
    }
    ladder_scan_free(&scan);
    if (rc) {
        free(list);
        api_fail(r, rc, NULL, NULL);
        return 0;
    }
    json_t *names = lp_region_names(db, q.prefix);
    json_t *o = json_object();
    json_object_set_new(o, "region_code", json_string(q.code));
    json_object_set(o, "region_name", json_object_get(names, q.code) ? json_object_get(names, q.code)
                                                                     : json_null());
    json_object_set_new(o, "year", json_integer(q.year));
    json_object_set_new(o, "date", json_string(q.date));
    json_object_set_new(o, "stages", stage_json(r, &q, &total, true));
    /* Child regions: every child of the region in the tree (zero counts included), then
     * buckets for firms registered at the region's own level. */
    json_t *children = json_array();
    if (lp_region_level(q.code) < 3) {
        struct db_stmt *st = db_query(db, "SELECT code, name FROM regions WHERE parent_code = ? "
                                          "ORDER BY code",
                                      "s", q.code);
        while (st && db_step(st) == DB_ROW) {
            const char *cc = db_col_text(st, 0);
            if (!auth_region_in_scope(&r->user, cc) && r->user.role->scope != SCOPE_ORG)
                continue;
            struct counts *k = slot(&list, &n, cc);
            if (!k)
                continue;
            json_t *c = json_object();
            json_object_set_new(c, "region_code", json_string(cc));
            json_object_set_new(c, "region_name", json_string(db_col_text(st, 1)));
            json_object_set_new(c, "stages", stage_json(r, &q, k, false));
            json_array_append_new(children, c);
            k->code[0] = '\0'; /* written */
        }
        if (st)
            db_done(st);
        for (size_t i = 0; i < n; i++) {
            if (!list[i].code[0])
                continue;
            json_t *c = json_object();
            json_object_set_new(c, "region_code", json_string(list[i].code));
            json_object_set(c, "region_name", json_object_get(names, list[i].code)
                                                  ? json_object_get(names, list[i].code)
                                                  : json_null());
            json_object_set_new(c, "stages", stage_json(r, &q, &list[i], false));
            json_array_append_new(children, c);
        }
    }
    json_object_set_new(o, "children", children);
    json_decref(names);
    free(list);
    lp_reply_json(r, 200, o);
    return 0;
}

/* ---------------------------------------------------------------- drill-down */

/* Context of the listing callback. */
struct list_ctx {
    json_t *rows;       /* output */
    json_t *names;      /* region names */
    json_t *certified;  /* {org_id: true} firms holding the stage's certificate */
    const char *q;      /* name / USCC filter */
};

/* Adds a firm whose verdict passes (or may pass) to the list. */
static void list_verdict(void *vctx, const struct scan_firm *f, const struct rules_set *s,
                         const struct rules_result *res)
{
    struct list_ctx *c = vctx;
    if (res->verdict != RULES_MET && res->verdict != RULES_UNCERTAIN)
        return;
    if (c->q && !strstr(f->name, c->q) && !strstr(f->uscc, c->q))
        return;
    char key[24];
    snprintf(key, sizeof(key), "%lld", (long long)f->org_id);
    json_t *o = json_object();
    json_object_set_new(o, "org_id", json_integer(f->org_id));
    json_object_set_new(o, "uscc", json_string(f->uscc));
    json_object_set_new(o, "name", json_string(f->name));
    json_object_set_new(o, "region_code", json_string(f->region_code));
    json_t *nm = json_object_get(c->names, f->region_code);
    json_object_set(o, "region_name", nm ? nm : json_null());
    json_object_set_new(o, "rule", json_string(s->id));
    json_object_set_new(o, "verdict", json_string(rules_verdict_name(res->verdict)));
    json_object_set_new(o, "score_min", s->scored ? json_integer(res->score_lo) : json_null());
    json_object_set_new(o, "score_max", s->scored ? json_integer(res->score_hi) : json_null());
    json_object_set_new(o, "has_cert", json_boolean(json_object_get(c->certified, key) != NULL));
    json_array_append_new(c->rows, o);
}

/* Builds the firm list of one stage and basis; replies and returns NULL on a problem. */
static json_t *firm_rows(struct http_req *r, struct db *db, const struct funnel_q *q,
                         json_t **extra)
{
    const char *sv = api_qparam(r, "stage"), *basis = api_qparam(r, "basis");
    char *end = NULL;
    long stage = sv ? strtol(sv, &end, 10) : 0;
    int si = sv && *end == '\0' ? stage_index(q, (int)stage) : -1;
    if (!sv) {
        http_reply_error(r, 422, "required", "stage");
        return NULL;
    }
    if (si < 0) {
        http_reply_error(r, 422, "invalid_stage", "stage");
        return NULL;
    }
    if (!basis)
        basis = "cert";
    bool verdict = strcmp(basis, "verdict") == 0;
    if (!verdict && strcmp(basis, "cert") != 0) {
        http_reply_error(r, 422, "invalid_value", "basis");
        return NULL;
    }
    const struct rules_registry *reg = lp_rules();
    const struct rules_set *set = reg && q->st[si].family[0]
                                      ? rules_registry_find(reg, q->st[si].family, q->year)
                                      : NULL;
    if (verdict && !set) {
        http_reply_error(r, 422, "no_rule_for_stage", "stage");
        return NULL;
    }
    const char *filter = api_qparam(r, "q");
    json_t *names = lp_region_names(db, q->prefix);
    json_t *rows = json_array();
    json_t *certified = json_object();
    int rc = 0;
    if (q->lo[0] || q->hi[0]) {
        struct db_stmt *st = cert_rows(db, q, r->user.scope.org_id, (int)stage);
        if (!st)
            rc = KC_ERR_DB;
        int64_t last = 0;
        while (st && (rc = db_step(st)) == DB_ROW) {
            int64_t org = db_col_int(st, 0);
            if (org == last)
                continue; /* the certificate valid longest */
            last = org;
            char key[24];
            snprintf(key, sizeof(key), "%lld", (long long)org);
            json_object_set_new(certified, key, json_true());
            if (verdict)
                continue;
            const char *uscc = db_col_text(st, 2), *nm = db_col_text(st, 3);
            if (filter && !strstr(nm, filter) && !strstr(uscc, filter))
                continue;
            json_t *o = json_object();
            json_object_set_new(o, "org_id", json_integer(org));
            json_object_set_new(o, "uscc", json_string(uscc));
            json_object_set_new(o, "name", json_string(nm));
            json_object_set_new(o, "region_code", json_string(db_col_text(st, 4)));
            json_t *rn = json_object_get(names, db_col_text(st, 4));
            json_object_set(o, "region_name", rn ? rn : json_null());
            json_object_set_new(o, "kind", json_string(db_col_text(st, 5)));
            json_object_set_new(o, "kind_name",
                                json_string(db_col_text(st, r->en ? 7 : 6)));
            json_object_set_new(o, "number", db_col_text(st, 8) ? json_string(db_col_text(st, 8))
                                                                : json_null());
            json_object_set_new(o, "issued_on", json_string(db_col_text(st, 9)));
            json_object_set_new(o, "valid_to", db_col_text(st, 10)
                                                   ? json_string(db_col_text(st, 10))
                                                   : json_null());
            json_array_append_new(rows, o);
        }
        if (st)
            db_done(st);
        if (rc > 0)
            rc = 0;
        if (!rc && verdict) {
            struct ladder_scan scan;
            rc = ladder_scan_load(db, q->lo, q->hi, r->user.scope.org_id, q->year, &scan);
            struct list_ctx ctx = {rows, names, certified, filter};
            if (!rc) {
                rc = each_verdict(q, &scan, si, list_verdict, &ctx);
                ladder_scan_free(&scan);
            }
        }
    }
    json_decref(certified);
    json_decref(names);
    if (rc) {
        json_decref(rows);
        api_fail(r, rc, NULL, NULL);
        return NULL;
    }
    *extra = json_object();
    json_object_set_new(*extra, "region_code", json_string(q->code));
    json_object_set_new(*extra, "year", json_integer(q->year));
    json_object_set_new(*extra, "date", json_string(q->date));
    json_object_set_new(*extra, "stage", json_integer(stage));
    json_object_set_new(*extra, "stage_label",
                        json_string(r->en ? q->st[si].name_en : q->st[si].name));
    json_object_set_new(*extra, "basis", json_string(verdict ? "verdict" : "cert"));
    json_object_set_new(*extra, "rule", set ? json_string(set->id) : json_null());
    return rows;
}

static const char *const firm_sorts[] = {"name", "uscc", "region_code", "valid_to", "issued_on",
                                         "score_max", "org_id", NULL};

/* GET /api/v1/ladder/funnel/firms */
int api_ladder_funnel_firms(struct http_req *r)
{
    struct db *db = api_db(r);
    struct funnel_q q;
    int64_t page, size;
    const char *col;
    bool desc;
    if (!db || !api_paging(r, &page, &size) || !api_sort(r, firm_sorts, "name", &col, &desc) ||
        !funnel_params(r, db, &q))
        return 0;
    json_t *extra = NULL;
    json_t *rows = firm_rows(r, db, &q, &extra);
    if (!rows)
        return 0;
    lp_sort(rows, col, desc, "org_id");
    lp_reply_page(r, rows, page, size, extra);
    json_decref(rows);
    json_decref(extra);
    return 0;
}

/* GET /api/v1/ladder/funnel/firms/export — the same list as XLSX or CSV. */
int api_ladder_funnel_firms_export(struct http_req *r)
{
    static const char *const cols[] = {
        "name", "企业名称", "Enterprise",
        "uscc", "统一社会信用代码", "USCC",
        "region_name", "所在区县", "Region",
        "kind_name", "证书类别", "Certificate",
        "number", "证书编号", "Number",
        "issued_on", "发证日期", "Issued on",
        "valid_to", "有效期至", "Valid to",
        "rule", "规则", "Rule set",
        "verdict", "测评结论", "Verdict",
        "score_max", "得分(上限)", "Score (max)",
        NULL};
    struct db *db = api_db(r);
    struct funnel_q q;
    const char *col;
    bool desc;
    if (!db || !lp_format_ok(r) || !api_sort(r, firm_sorts, "name", &col, &desc) ||
        !funnel_params(r, db, &q))
        return 0;
    json_t *extra = NULL;
    json_t *rows = firm_rows(r, db, &q, &extra);
    if (!rows)
        return 0;
    lp_sort(rows, col, desc, "org_id");
    char base[64];
    snprintf(base, sizeof(base), "funnel-%s-%d", q.code, q.year);
    lp_export(r, rows, cols, "梯度培育企业", "Ladder firms", base);
    json_decref(rows);
    json_decref(extra);
    return 0;
}
