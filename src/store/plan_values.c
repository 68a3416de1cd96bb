/* plan_values.c (store) — the formula engine, the computed-value cache, drill-down and
 * yearly series (see plan_values.h). */
#include "store/plan_values.h"
#include "core/buf.h"
#include "core/log.h"
#include "core/timeutil.h"
#include "core/xalloc.h"
#include "db/db.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Seconds between UTC and China time. */
#define CN_OFFSET_S 28800

void plan_today(char out[11])
{
    int64_t t = time_now() + CN_OFFSET_S;
    time_t tt = (time_t)t;
    struct tm tm;
    gmtime_r(&tt, &tm);
    char tmp[32];
    snprintf(tmp, sizeof(tmp), "%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
    memcpy(out, tmp, 10);
    out[10] = '\0';
}

int plan_date_year(const char *date)
{
    if (!date || strlen(date) != 10)
        return 0;
    int64_t t;
    if (time_parse_date(date, &t) != 0)
        return 0;
    return atoi(date);
}

/* YYYY-MM-DD as the integer YYYYMMDD; 0 for NULL or malformed text. */
static int ymd(const char *s)
{
    if (!s || strlen(s) < 10 || s[4] != '-' || s[7] != '-')
        return 0;
    int v = 0;
    for (int i = 0; i < 10; i++) {
        if (i == 4 || i == 7)
            continue;
        if (s[i] < '0' || s[i] > '9')
            return 0;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

/* Unix time of the end of date D (YYYYMMDD) in China: the first second of D + 1 day. */
static int64_t day_end_ts(int d)
{
    char s[32];
    snprintf(s, sizeof(s), "%04d-%02d-%02d", d / 10000, d / 100 % 100, d % 100);
    int64_t t = 0;
    if (time_parse_date(s, &t) != 0)
        return 0;
    return t + 86400 - CN_OFFSET_S;
}

/* True when table name exists. */
static bool table_exists(struct db *db, const char *name)
{
    int64_t n = 0;
    return db_scalar(db_query(db,
                              "SELECT count(*) FROM sqlite_master WHERE type='table' AND "
                              "name=?",
                              "s", name),
                     &n) == 0 &&
           n > 0;
}

bool plan_formula_ready(struct db *db, enum pf_id id)
{
    const struct pf_def *d = pf_def(id);
    if (!d || !d->implemented)
        return false;
    for (int i = 0; i < 3 && d->tables[i]; i++)
        if (!table_exists(db, d->tables[i]))
            return false;
    return true;
}

/* The record tables whose writes are tracked at run time (the others in 0009). */
static const char *const runtime_sources[] = {"demands", "contracts", "roadshows"};

/* True when a source table exists but its insert trigger does not. */
static bool trigger_missing(struct db *db, const char *table)
{
    char name[64];
    snprintf(name, sizeof(name), "plan_src_%s_i", table);
    int64_t n = 0;
    if (!table_exists(db, table))
        return false;
    if (db_scalar(db_query(db, "SELECT count(*) FROM sqlite_master WHERE type='trigger' AND name=?",
                           "s", name),
                  &n) != 0)
        return false;
    return n == 0;
}

int plan_sources_install(struct db *db)
{
    static const char *const ops[] = {"INSERT", "UPDATE", "DELETE"};
    static const char *const suffix[] = {"i", "u", "d"};
    int rc = 0;
    for (size_t t = 0; rc == 0 && t < sizeof(runtime_sources) / sizeof(*runtime_sources); t++) {
        const char *table = runtime_sources[t];
        if (!trigger_missing(db, table))
            continue;
        for (int k = 0; rc == 0 && k < 3; k++) {
            char sql[512];
            snprintf(sql, sizeof(sql),
                     "CREATE TRIGGER IF NOT EXISTS plan_src_%s_%s AFTER %s ON %s BEGIN "
                     "UPDATE plan_sources SET version = version + 1 WHERE name = '%s'; END;",
                     table, suffix[k], ops[k], table, table);
            rc = db_exec(db, sql);
        }
        if (!rc)
            rc = db_run(
                db_query(db, "INSERT OR IGNORE INTO plan_sources(name) VALUES(?)", "s", table));
    }
    return rc;
}

/* ---- the engine ------------------------------------------------------------------ */

/* Region lookup: open addressing on the numeric code. */
struct pv_regions {
    int n;           /* regions */
    char (*code)[7]; /* codes */
    int (*anc)[4];   /* ancestor indexes (self first), -1 padded */
    int *slot;       /* hash slots: index + 1, 0 empty */
    unsigned mask;   /* slots - 1 */
};

/* Index of a region code, or -1. */
static int reg_find(const struct pv_regions *r, const char *code)
{
    if (!code || strlen(code) != 6)
        return -1;
    unsigned key = (unsigned)atoi(code);
    for (unsigned h = (key * 2654435761u) & r->mask;; h = (h + 1) & r->mask) {
        int s = r->slot[h];
        if (s == 0)
            return -1;
        if (strcmp(r->code[s - 1], code) == 0)
            return s - 1;
    }
}

/* Loads every region and its ancestors (by code: county → city → province → 000000). */
static int reg_load(struct db *db, struct pv_regions *r)
{
    memset(r, 0, sizeof(*r));
    int64_t n = 0;
    int rc = db_scalar(db_prep(db, "SELECT count(*) FROM regions"), &n);
    if (rc)
        return rc;
    r->code = xcalloc((size_t)n + 1, sizeof(*r->code));
    r->anc = xcalloc((size_t)n + 1, sizeof(*r->anc));
    unsigned slots = 16;
    while (slots < 2 * (unsigned)n + 2)
        slots <<= 1;
    r->slot = xcalloc(slots, sizeof(int));
    r->mask = slots - 1;
    struct db_stmt *st = db_prep(db, "SELECT code FROM regions");
    if (!st)
        return KC_ERR_DB;
    while ((rc = db_step(st)) == DB_ROW && r->n < n) {
        const char *c = db_col_text(st, 0);
        if (!c || strlen(c) != 6)
            continue;
        snprintf(r->code[r->n], 7, "%s", c);
        unsigned key = (unsigned)atoi(c);
        unsigned h = (key * 2654435761u) & r->mask;
        while (r->slot[h])
            h = (h + 1) & r->mask;
        r->slot[h] = r->n + 1;
        r->n++;
    }
    db_done(st);
    if (rc < 0)
        return rc;
    for (int i = 0; i < r->n; i++) {
        char a[4][7];
        snprintf(a[0], 7, "%s", r->code[i]);
        snprintf(a[1], 7, "%.4s00", r->code[i]);
        snprintf(a[2], 7, "%.2s0000", r->code[i]);
        snprintf(a[3], 7, "000000");
        int k = 0;
        for (int j = 0; j < 4; j++) {
            int idx = j == 0 ? i : reg_find(r, a[j]);
            bool dup = false;
            for (int m = 0; m < k; m++)
                dup = dup || r->anc[i][m] == idx;
            if (idx >= 0 && !dup)
                r->anc[i][k++] = idx;
        }
        for (; k < 4; k++)
            r->anc[i][k] = -1;
    }
    return 0;
}

/* Frees a region lookup. */
static void reg_free(struct pv_regions *r)
{
    free(r->code);
    free(r->anc);
    free(r->slot);
}

/* Everything one evaluation needs. */
struct pv {
    struct db *db;
    const struct pf_spec *specs;           /* the formulas */
    size_t n;                              /* their count */
    int y0, ny;                            /* first year and number of years */
    int day[PLAN_VALUE_YEARS + 2];         /* per year: the as-of date YYYYMMDD */
    int64_t day_end[PLAN_VALUE_YEARS + 2]; /* per year: the end of that date (Unix time) */
    int as_of;                             /* the as-of date YYYYMMDD */
    struct pv_regions reg;                 /* regions */
    char (*chain)[33];                     /* chain codes, sorted */
    int n_chains;                          /* their count */
    int64_t max_org;                       /* largest org id */
    int *org_region;                       /* per org id: region index or -1 */
    unsigned char *org_mfg;                /* per org id: industry in section C */
    int *org_chain_start; /* per org id: first index into org_chains (n + 1 entries) */
    uint64_t *org_has_chain; /* per org id: a bit set when it is on any chain (small and
                                cache-resident: most organisations are on none) */
    int *org_chains;      /* chain indexes of every org, grouped by org */
    int64_t **num, **den; /* per formula: cells [(region·cc + chain)·ny + year] */
    int *cc;              /* per formula: chain dimension (1 for region scope) */
};

/* Index of a chain code, or -1. */
static int chain_find(const struct pv *p, const char *code)
{
    int lo = 0, hi = p->n_chains - 1;
    while (code && lo <= hi) {
        int mid = (lo + hi) / 2, c = strcmp(p->chain[mid], code);
        if (c == 0)
            return mid;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid - 1;
    }
    return -1;
}

/* Adds dn/dd to formula i's cell (region and its ancestors, chain, year index). */
static void cell_add(struct pv *p, size_t i, int region, int chain, int yi, int64_t dn, int64_t dd)
{
    if (region < 0 || chain < 0)
        return;
    for (int k = 0; k < 4 && p->reg.anc[region][k] >= 0; k++) {
        size_t at =
            ((size_t)p->reg.anc[region][k] * (size_t)p->cc[i] + (size_t)chain) * (size_t)p->ny +
            (size_t)yi;
        p->num[i][at] += dn;
        if (p->den[i])
            p->den[i][at] += dd;
    }
}

/* Adds to formula i for a record of org (its region, and its chains for chain scope). */
static void org_add(struct pv *p, size_t i, int64_t org, int yi, int64_t dn, int64_t dd)
{
    if (org <= 0 || org > p->max_org)
        return;
    int region = p->org_region[org];
    if (!p->specs[i].chain_scope) {
        cell_add(p, i, region, 0, yi, dn, dd);
        return;
    }
    if (!(p->org_has_chain[org / 64] & (UINT64_C(1) << (org % 64))))
        return;
    for (int k = p->org_chain_start[org]; k < p->org_chain_start[org + 1]; k++)
        cell_add(p, i, region, p->org_chains[k], yi, dn, dd);
}

/* True when any formula is one of ids[0..n). */
static bool uses(const struct pv *p, const enum pf_id *ids, size_t n)
{
    for (size_t i = 0; i < p->n; i++)
        for (size_t k = 0; k < n; k++)
            if (p->specs[i].id == ids[k])
                return true;
    return false;
}

/* Loads chains, organisations (region, section C) and, when a formula is chain-scoped,
 * every organisation's chains (parsed by SQLite's json_each). */
static int load_orgs(struct pv *p)
{
    int rc = 0;
    int64_t n = 0;
    rc = db_scalar(db_prep(p->db, "SELECT count(*) FROM chains"), &n);
    if (rc)
        return rc;
    p->chain = xcalloc((size_t)n + 1, sizeof(*p->chain));
    struct db_stmt *st = db_prep(p->db, "SELECT code FROM chains ORDER BY code");
    while (st && (rc = db_step(st)) == DB_ROW && p->n_chains < n)
        snprintf(p->chain[p->n_chains++], 33, "%s", db_col_text(st, 0));
    if (!st)
        return KC_ERR_DB;
    db_done(st);
    if (rc < 0)
        return rc;
    rc = db_scalar(db_prep(p->db, "SELECT coalesce(max(id),0) FROM orgs"), &p->max_org);
    if (rc)
        return rc;
    size_t m = (size_t)p->max_org + 2;
    p->org_region = xmalloc(m * sizeof(int));
    for (size_t k = 0; k < m; k++)
        p->org_region[k] = -1;
    p->org_mfg = xcalloc(m, 1);
    p->org_chain_start = xcalloc(m + 1, sizeof(int));
    p->org_has_chain = xcalloc(m / 64 + 1, sizeof(uint64_t));
    st = db_prep(p->db, "SELECT id, region_code, industry_code FROM orgs");
    if (!st)
        return KC_ERR_DB;
    while ((rc = db_step(st)) == DB_ROW) {
        int64_t id = db_col_int(st, 0);
        if (id <= 0 || id > p->max_org)
            continue;
        p->org_region[id] = reg_find(&p->reg, db_col_text(st, 1));
        const char *ind = db_col_text(st, 2);
        p->org_mfg[id] = ind && ind[0] == 'C';
    }
    db_done(st);
    if (rc < 0)
        return rc;
    bool chains = false;
    for (size_t i = 0; i < p->n; i++)
        chains = chains || p->specs[i].chain_scope;
    if (!chains)
        return 0;
    /* Pairs (org, chain) in org order, then a prefix sum over the counts. */
    size_t cap = 1024, len = 0;
    int64_t *po = xmalloc(cap * sizeof(int64_t));
    int *pc = xmalloc(cap * sizeof(int));
    st = db_prep(p->db, "SELECT o.id, j.value FROM orgs o, json_each(o.chains) j "
                        "WHERE o.chains <> '[]' AND json_valid(o.chains)");
    if (!st) {
        free(po);
        free(pc);
        return KC_ERR_DB;
    }
    while ((rc = db_step(st)) == DB_ROW) {
        int64_t id = db_col_int(st, 0);
        int c = chain_find(p, db_col_text(st, 1));
        if (id <= 0 || id > p->max_org || c < 0)
            continue;
        if (len == cap) {
            cap *= 2;
            po = xrealloc(po, cap * sizeof(int64_t));
            pc = xrealloc(pc, cap * sizeof(int));
        }
        po[len] = id;
        pc[len] = c;
        len++;
        p->org_has_chain[id / 64] |= UINT64_C(1) << (id % 64);
    }
    db_done(st);
    if (rc >= 0) {
        rc = 0;
        for (size_t k = 0; k < len; k++)
            p->org_chain_start[po[k] + 1]++;
        for (size_t k = 1; k <= m; k++)
            p->org_chain_start[k] += p->org_chain_start[k - 1];
        p->org_chains = xmalloc((len + 1) * sizeof(int));
        int *fill = xmalloc((m + 1) * sizeof(int));
        memcpy(fill, p->org_chain_start, (m + 1) * sizeof(int));
        for (size_t k = 0; k < len; k++) {
            int at = fill[po[k]]++;
            /* A chain listed twice on one organisation counts once. */
            bool dup = false;
            for (int q = p->org_chain_start[po[k]]; q < at; q++)
                dup = dup || p->org_chains[q] == pc[k];
            p->org_chains[at] = dup ? -1 : pc[k];
        }
        free(fill);
    }
    free(po);
    free(pc);
    return rc;
}

/* Certificates: valid counts (each enterprise once per formula and year), issued counts
 * and first grants. */
static int scan_certs(struct pv *p)
{
    static const enum pf_id ids[] = {PF_CERT_VALID_COUNT, PF_CERT_ISSUED_COUNT};
    if (!uses(p, ids, 2))
        return 0;
    size_t m = (size_t)p->max_org + 1, words = m / 64 + 1;
    uint64_t **seen = xcalloc(p->n, sizeof(uint64_t *)); /* valid: [year][org] bits */
    int **first = xcalloc(p->n, sizeof(int *));          /* first grants: earliest date */
    for (size_t i = 0; i < p->n; i++) {
        if (p->specs[i].id == PF_CERT_VALID_COUNT)
            seen[i] = xcalloc(words * (size_t)p->ny, sizeof(uint64_t));
        if (p->specs[i].id == PF_CERT_ISSUED_COUNT && p->specs[i].first_grant)
            first[i] = xcalloc(m, sizeof(int));
    }
    struct db_stmt *st =
        db_prep(p->db, "SELECT org_id, kind, issued_on, valid_to FROM certifications "
                          "WHERE status = 'verified'");
    int rc = st ? 0 : KC_ERR_DB;
    char last_kind[32] = "";
    int last_bit = -1;
    while (st && (rc = db_step(st)) == DB_ROW) {
        int64_t org = db_col_int(st, 0);
        const char *kind = db_col_text(st, 1);
        if (org <= 0 || org > p->max_org || !kind)
            continue;
        if (strcmp(kind, last_kind) != 0) {
            enum pf_cert c;
            last_bit = pf_cert_from_code(kind, &c) ? (int)c : -1;
            snprintf(last_kind, sizeof(last_kind), "%s", kind);
        }
        if (last_bit < 0)
            continue;
        int issued = ymd(db_col_text(st, 2)), valid_to = ymd(db_col_text(st, 3));
        if (!issued)
            continue;
        for (size_t i = 0; i < p->n; i++) {
            const struct pf_spec *s = &p->specs[i];
            if (!(s->cert_mask & (1u << last_bit)))
                continue;
            if (s->id == PF_CERT_VALID_COUNT) {
                for (int yi = 0; yi < p->ny; yi++) {
                    int d = p->day[yi];
                    if (issued > d || (valid_to && valid_to < d))
                        continue;
                    uint64_t *w = &seen[i][(size_t)yi * words + (size_t)org / 64];
                    uint64_t bit = UINT64_C(1) << (org % 64);
                    if (*w & bit)
                        continue;
                    *w |= bit;
                    org_add(p, i, org, yi, 1, 0);
                }
            } else if (s->first_grant) {
                if (!first[i][org] || issued < first[i][org])
                    first[i][org] = issued;
            } else {
                int yi = issued / 10000 - p->y0;
                if (yi >= 0 && yi < p->ny && issued <= p->day[yi])
                    org_add(p, i, org, yi, 1, 0);
            }
        }
    }
    if (st)
        db_done(st);
    if (rc > 0)
        rc = 0;
    for (size_t i = 0; rc == 0 && i < p->n; i++) {
        for (size_t org = 1; first[i] && org < m; org++) {
            int d = first[i][org], yi = d / 10000 - p->y0;
            if (d && yi >= 0 && yi < p->ny && d <= p->day[yi])
                org_add(p, i, (int64_t)org, yi, 1, 0);
        }
    }
    for (size_t i = 0; i < p->n; i++) {
        free(seen[i]);
        free(first[i]);
    }
    free(seen);
    free(first);
    return rc;
}

/* Yearly enterprise records: shares, counts and sums over populations. */
static int scan_years(struct pv *p)
{
    static const enum pf_id ids[] = {PF_ENTERPRISE_SHARE, PF_ENTERPRISE_COUNT, PF_ENTERPRISE_SUM};
    if (!uses(p, ids, 3))
        return 0;
    /* A full scan (filtered here) beats an index walk when most rows are read. */
    struct db_stmt *st = db_prep(p->db, "SELECT org_id, year, coalesce(main_business_revenue_fen, "
                                        "operating_revenue_fen), rd_expense_fen, is_current "
                                        "FROM enterprise_years");
    if (!st)
        return KC_ERR_DB;
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        int64_t org = db_col_int(st, 0);
        int yi = (int)db_col_int(st, 1) - p->y0;
        if (org <= 0 || org > p->max_org || yi < 0 || yi >= p->ny || db_col_int(st, 4) != 1)
            continue;
        bool rev_known = db_col_type(st, 2) != DB_NULL, rd_known = db_col_type(st, 3) != DB_NULL;
        int64_t rev = db_col_int(st, 2), rd = db_col_int(st, 3);
        bool mfg = p->org_mfg[org];
        for (size_t i = 0; i < p->n; i++) {
            const struct pf_spec *s = &p->specs[i];
            if (s->id == PF_ENTERPRISE_SUM) {
                if (rd_known)
                    org_add(p, i, org, yi, rd, 0);
                continue;
            }
            if (s->id != PF_ENTERPRISE_SHARE && s->id != PF_ENTERPRISE_COUNT)
                continue;
            if (s->population != PF_POP_ANY && !mfg)
                continue;
            if (s->population == PF_POP_ABOVE_SCALE_MANUFACTURING &&
                !(rev_known && rev >= PF_ABOVE_SCALE_FEN))
                continue;
            if (s->min_revenue_fen && !(rev_known && rev >= s->min_revenue_fen))
                continue;
            bool known = s->condition == PF_COND_NONE || rd_known;
            bool meets = s->condition == PF_COND_NONE ||
                         (s->condition == PF_COND_RD_GT_0 ? rd > 0 : rd == 0);
            if (!known)
                continue;
            if (s->id == PF_ENTERPRISE_SHARE)
                org_add(p, i, org, yi, meets ? 1 : 0, 1);
            else if (meets)
                org_add(p, i, org, yi, 1, 0);
        }
    }
    db_done(st);
    return rc < 0 ? rc : 0;
}

/* Technology demands published on each year's as-of date. */
static int scan_demands(struct pv *p)
{
    static const enum pf_id ids[] = {PF_DEMAND_COUNT};
    if (!uses(p, ids, 1) || !table_exists(p->db, "demands"))
        return 0;
    struct db_stmt *st = db_prep(p->db, "SELECT region_code, chain, status, published_at, "
                                        "closed_at FROM demands WHERE status <> 'draft' AND "
                                        "published_at IS NOT NULL");
    if (!st)
        return KC_ERR_DB;
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        int region = reg_find(&p->reg, db_col_text(st, 0));
        const char *chain = db_col_text(st, 1);
        bool closed = db_col_text(st, 2) && strcmp(db_col_text(st, 2), "closed") == 0;
        int64_t pub = db_col_int(st, 3);
        bool has_close = db_col_type(st, 4) != DB_NULL;
        int64_t close = db_col_int(st, 4);
        int c = chain ? chain_find(p, chain) : -1;
        for (int yi = 0; yi < p->ny; yi++) {
            int64_t end = p->day_end[yi];
            if (pub >= end || (has_close ? close < end : closed))
                continue;
            for (size_t i = 0; i < p->n; i++) {
                if (p->specs[i].id != PF_DEMAND_COUNT)
                    continue;
                if (p->specs[i].chain_scope)
                    cell_add(p, i, region, c, yi, 1, 0);
                else
                    cell_add(p, i, region, 0, yi, 1, 0);
            }
        }
    }
    db_done(st);
    return rc < 0 ? rc : 0;
}

/* Technology contracts registered in each year (成交额 in 分). */
static int scan_contracts(struct pv *p)
{
    static const enum pf_id ids[] = {PF_CONTRACT_VALUE_SUM};
    if (!uses(p, ids, 1) || !table_exists(p->db, "contracts"))
        return 0;
    /* A full scan (filtered here) beats an index walk when most rows are read. */
    struct db_stmt *st = db_prep(p->db, "SELECT seller_org_id, buyer_org_id, contract_amount_fen, "
                                        "registered_on, region_code FROM contracts");
    if (!st)
        return KC_ERR_DB;
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        int64_t seller = db_col_int(st, 0), buyer = db_col_int(st, 1), fen = db_col_int(st, 2);
        int day = ymd(db_col_text(st, 3)), yi = day / 10000 - p->y0;
        int region = reg_find(&p->reg, db_col_text(st, 4));
        if (yi < 0 || yi >= p->ny || day > p->day[yi])
            continue;
        for (size_t i = 0; i < p->n; i++) {
            if (p->specs[i].id != PF_CONTRACT_VALUE_SUM)
                continue;
            if (!p->specs[i].chain_scope) {
                cell_add(p, i, region, 0, yi, fen, 0);
                continue;
            }
            /* Each chain of the seller or the buyer once. */
            int64_t party[2] = {seller, buyer};
            for (int q = 0; q < 2; q++) {
                int64_t o = party[q];
                if (o <= 0 || o > p->max_org ||
                    !(p->org_has_chain[o / 64] & (UINT64_C(1) << (o % 64))))
                    continue;
                for (int k = p->org_chain_start[o]; k < p->org_chain_start[o + 1]; k++) {
                    int c = p->org_chains[k];
                    bool dup = false;
                    if (q == 1 && seller > 0 && seller <= p->max_org)
                        for (int j = p->org_chain_start[seller]; j < p->org_chain_start[seller + 1];
                             j++)
                            dup = dup || p->org_chains[j] == c;
                    if (!dup)
                        cell_add(p, i, region, c, yi, fen, 0);
                }
            }
        }
    }
    db_done(st);
    return rc < 0 ? rc : 0;
}

/* Roadshows held in each year. */
static int scan_roadshows(struct pv *p)
{
    static const enum pf_id ids[] = {PF_ROADSHOW_COUNT};
    if (!uses(p, ids, 1) || !table_exists(p->db, "roadshows"))
        return 0;
    struct db_stmt *st = db_prep(p->db, "SELECT region_code, chain, held_on FROM roadshows");
    if (!st)
        return KC_ERR_DB;
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        int region = reg_find(&p->reg, db_col_text(st, 0));
        const char *chain = db_col_text(st, 1);
        int day = ymd(db_col_text(st, 2)), yi = day / 10000 - p->y0;
        if (yi < 0 || yi >= p->ny || day > p->day[yi])
            continue;
        int c = chain ? chain_find(p, chain) : -1;
        for (size_t i = 0; i < p->n; i++) {
            if (p->specs[i].id != PF_ROADSHOW_COUNT)
                continue;
            cell_add(p, i, region, p->specs[i].chain_scope ? c : 0, yi, 1, 0);
        }
    }
    db_done(st);
    return rc < 0 ? rc : 0;
}

/* Frees everything of an evaluation. */
static void pv_free(struct pv *p)
{
    reg_free(&p->reg);
    free(p->chain);
    free(p->org_region);
    free(p->org_mfg);
    free(p->org_chain_start);
    free(p->org_has_chain);
    free(p->org_chains);
    for (size_t i = 0; p->num && i < p->n; i++) {
        free(p->num[i]);
        free(p->den[i]);
    }
    free(p->num);
    free(p->den);
    free(p->cc);
}

int plan_values_compute(struct db *db, const struct pf_spec *specs, size_t n, int year_from,
                        int year_to, const char *as_of, plan_value_sink sink, void *ctx)
{
    struct pv p = {0};
    p.db = db;
    p.specs = specs;
    p.n = n;
    p.as_of = ymd(as_of);
    if (!p.as_of || year_to > p.as_of / 10000)
        year_to = p.as_of / 10000;
    if (year_from < year_to - PLAN_VALUE_YEARS - 1)
        year_from = year_to - PLAN_VALUE_YEARS - 1;
    if (n == 0 || year_from > year_to || !p.as_of)
        return 0;
    p.y0 = year_from;
    p.ny = year_to - year_from + 1;
    for (int yi = 0; yi < p.ny; yi++) {
        int y = p.y0 + yi;
        p.day[yi] = y == p.as_of / 10000 ? p.as_of : y * 10000 + 1231;
        p.day_end[yi] = day_end_ts(p.day[yi]);
    }
    int rc = reg_load(db, &p.reg);
    if (!rc)
        rc = load_orgs(&p);
    if (!rc) {
        p.num = xcalloc(n, sizeof(int64_t *));
        p.den = xcalloc(n, sizeof(int64_t *));
        p.cc = xcalloc(n, sizeof(int));
        for (size_t i = 0; i < n; i++) {
            p.cc[i] = specs[i].chain_scope ? (p.n_chains > 0 ? p.n_chains : 1) : 1;
            size_t cells = (size_t)p.reg.n * (size_t)p.cc[i] * (size_t)p.ny + 1;
            p.num[i] = xcalloc(cells, sizeof(int64_t));
            if (specs[i].id == PF_ENTERPRISE_SHARE)
                p.den[i] = xcalloc(cells, sizeof(int64_t));
        }
        rc = scan_certs(&p);
    }
    if (!rc)
        rc = scan_years(&p);
    if (!rc)
        rc = scan_demands(&p);
    if (!rc)
        rc = scan_contracts(&p);
    if (!rc)
        rc = scan_roadshows(&p);
    for (size_t i = 0; rc == 0 && i < n; i++) {
        for (int r = 0; r < p.reg.n; r++) {
            for (int c = 0; c < p.cc[i]; c++) {
                for (int yi = 0; yi < p.ny; yi++) {
                    size_t at =
                        ((size_t)r * (size_t)p.cc[i] + (size_t)c) * (size_t)p.ny + (size_t)yi;
                    int64_t nv = p.num[i][at], dv = p.den[i] ? p.den[i][at] : 0;
                    if (nv == 0 && dv == 0)
                        continue;
                    sink(ctx, i, p.reg.code[r], specs[i].chain_scope ? p.chain[c] : "", p.y0 + yi,
                         nv, dv);
                }
            }
        }
    }
    pv_free(&p);
    return rc;
}

double plan_value_of(const struct pf_spec *s, int64_t num, int64_t den)
{
    switch (s->id) {
    case PF_ENTERPRISE_SHARE:
        return den > 0 ? 100.0 * (double)num / (double)den : NAN;
    case PF_ENTERPRISE_SUM:
    case PF_CONTRACT_VALUE_SUM:
        return s->fen_per_unit > 0 ? (double)num / s->fen_per_unit : NAN;
    default:
        return (double)num;
    }
}

/* ---- the cache --------------------------------------------------------------------- */

/* The version stamp of a formula's tables: "name:version,…" ("-" for a missing one). */
static void source_stamp(struct db *db, enum pf_id id, char *out, size_t cap)
{
    const struct pf_def *d = pf_def(id);
    size_t len = 0;
    out[0] = '\0';
    for (int i = 0; d && i < 3 && d->tables[i]; i++) {
        int64_t v = -1;
        struct db_stmt *st =
            db_query(db, "SELECT version FROM plan_sources WHERE name=?", "s", d->tables[i]);
        if (st && db_step(st) == DB_ROW)
            v = db_col_int(st, 0);
        if (st)
            db_done(st);
        len += (size_t)snprintf(out + len, len < cap ? cap - len : 0, "%s%s:%lld", i ? "," : "",
                                d->tables[i], (long long)v);
    }
}

/* One computed indicator as the refresh sees it. */
struct stale_ind {
    int64_t id;          /* indicators.id */
    struct pf_spec spec; /* its formula */
    char stamp[160];     /* the current source stamp */
    int first_year;      /* first year with a non-empty cell (set by the sink) */
    int last_year;       /* last year with a non-empty cell (set by the sink) */
};

/* What the refresh sink writes with. */
struct refresh_ctx {
    struct db *db;          /* connection */
    struct stale_ind *inds; /* the indicators recomputed */
    int rc;                 /* first error */
};

/* Stores one cell of the engine. */
static void refresh_sink(void *vctx, size_t i, const char *region, const char *chain, int year,
                         int64_t num, int64_t den)
{
    struct refresh_ctx *c = vctx;
    if (c->rc)
        return;
    struct stale_ind *s = &c->inds[i];
    if (!s->first_year || year < s->first_year)
        s->first_year = year;
    if (year > s->last_year)
        s->last_year = year;
    double v = plan_value_of(&s->spec, num, den);
    struct db_stmt *st = db_prep(c->db, "INSERT INTO indicator_values(indicator_id,region_code,"
                                        "chain,year,value,numerator,denominator) "
                                        "VALUES(?,?,?,?,?,?,?)");
    if (!st) {
        c->rc = KC_ERR_DB;
        return;
    }
    int rc = db_bind_int(st, 1, s->id);
    rc = rc ? rc : db_bind_text(st, 2, region);
    rc = rc ? rc : db_bind_text(st, 3, chain);
    rc = rc ? rc : db_bind_int(st, 4, year);
    rc = rc ? rc : (isnan(v) ? db_bind_double(st, 5, 0) : db_bind_double(st, 5, v));
    rc = rc ? rc : db_bind_int(st, 6, num);
    rc = rc ? rc : db_bind_int(st, 7, den);
    if (rc) {
        db_done(st);
        c->rc = rc;
        return;
    }
    c->rc = db_run(st);
}

/* Collects the computed, ready indicators; with stale_only only those whose stamp or
 * as-of day moved. *out is malloc'd (free it); *n its count. */
static int collect(struct db *db, const char *as_of, bool stale_only, struct stale_ind **out,
                   size_t *n)
{
    *out = NULL;
    *n = 0;
    struct db_stmt *st = db_prep(db, "SELECT i.id, i.formula, i.params_json, i.unit, i.scope, "
                                     "s.stamp, s.as_of FROM indicators i "
                                     "LEFT JOIN indicator_value_state s ON s.indicator_id = i.id "
                                     "WHERE i.method = 'computed' ORDER BY i.id");
    if (!st)
        return KC_ERR_DB;
    /* Read the rows first: the stamp queries below reuse the connection. */
    struct row {
        int64_t id;
        struct pf_spec spec;
        char old_stamp[160], old_as_of[11];
        bool has_state;
    } *rows = NULL;
    size_t nr = 0, cap = 0;
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        struct pf_spec spec;
        char err[128];
        const char *scope = db_col_text(st, 4);
        if (pf_parse(db_col_text(st, 1), db_col_text(st, 2), db_col_text(st, 3),
                     scope && strcmp(scope, "chain") == 0, &spec, err, sizeof(err)) != 0)
            continue;
        if (nr == cap) {
            cap = cap ? cap * 2 : 32;
            rows = xrealloc(rows, cap * sizeof(*rows));
        }
        struct row *r = &rows[nr++];
        r->id = db_col_int(st, 0);
        r->spec = spec;
        r->has_state = db_col_type(st, 5) != DB_NULL;
        snprintf(r->old_stamp, sizeof(r->old_stamp), "%s", r->has_state ? db_col_text(st, 5) : "");
        snprintf(r->old_as_of, sizeof(r->old_as_of), "%s", r->has_state ? db_col_text(st, 6) : "");
    }
    db_done(st);
    if (rc < 0) {
        free(rows);
        return rc;
    }
    struct stale_ind *res = xcalloc(nr + 1, sizeof(*res));
    size_t k = 0;
    for (size_t i = 0; i < nr; i++) {
        if (!plan_formula_ready(db, rows[i].spec.id))
            continue;
        char stamp[160];
        source_stamp(db, rows[i].spec.id, stamp, sizeof(stamp));
        if (stale_only && rows[i].has_state && strcmp(stamp, rows[i].old_stamp) == 0 &&
            strcmp(as_of, rows[i].old_as_of) == 0)
            continue;
        res[k].id = rows[i].id;
        res[k].spec = rows[i].spec;
        snprintf(res[k].stamp, sizeof(res[k].stamp), "%s", stamp);
        k++;
    }
    free(rows);
    *out = res;
    *n = k;
    return 0;
}

int plan_values_refresh(struct db *db, const char *as_of, bool force, int *n_done)
{
    char today[11];
    if (!as_of) {
        plan_today(today);
        as_of = today;
    }
    if (n_done)
        *n_done = 0;
    int rc = plan_sources_install(db);
    struct stale_ind *inds = NULL;
    size_t n = 0;
    if (!rc)
        rc = collect(db, as_of, !force, &inds, &n);
    if (rc || n == 0) {
        free(inds);
        return rc;
    }
    struct pf_spec *specs = xcalloc(n, sizeof(*specs));
    for (size_t i = 0; rc == 0 && i < n; i++) {
        specs[i] = inds[i].spec;
        rc = db_run(
            db_query(db, "DELETE FROM indicator_values WHERE indicator_id=?", "i", inds[i].id));
    }
    int year_to = plan_date_year(as_of);
    struct refresh_ctx ctx = {db, inds, 0};
    if (!rc)
        rc = plan_values_compute(db, specs, n, year_to - PLAN_VALUE_YEARS + 1, year_to, as_of,
                                 refresh_sink, &ctx);
    if (!rc)
        rc = ctx.rc;
    int64_t now = time_now();
    for (size_t i = 0; rc == 0 && i < n; i++) {
        /* Yearly enterprise data arrive after the year ends: a year nobody has reported
         * yet has no value (not 0), so the current value is the latest reported year. */
        enum pf_id f = inds[i].spec.id;
        int to = year_to;
        if ((f == PF_ENTERPRISE_SHARE || f == PF_ENTERPRISE_COUNT || f == PF_ENTERPRISE_SUM) &&
            inds[i].last_year && inds[i].last_year < year_to)
            to = inds[i].last_year;
        rc = db_run(db_query(db,
                             "INSERT INTO indicator_value_state(indicator_id,stamp,as_of,"
                             "year_from,year_to,computed_at) VALUES(?,?,?,?,?,?) "
                             "ON CONFLICT(indicator_id) DO UPDATE SET stamp=excluded.stamp, "
                             "as_of=excluded.as_of, year_from=excluded.year_from, "
                             "year_to=excluded.year_to, computed_at=excluded.computed_at",
                             "issiii", inds[i].id, inds[i].stamp, as_of,
                             (int64_t)(inds[i].first_year ? inds[i].first_year : to + 1),
                             (int64_t)to, now));
    }
    if (!rc && n_done)
        *n_done = (int)n;
    free(specs);
    free(inds);
    return rc;
}

int plan_values_ensure(struct db *db)
{
    char today[11];
    plan_today(today);
    bool missing = false;
    for (size_t t = 0; t < sizeof(runtime_sources) / sizeof(*runtime_sources); t++)
        missing = missing || trigger_missing(db, runtime_sources[t]);
    struct stale_ind *inds = NULL;
    size_t n = 0;
    int rc = collect(db, today, true, &inds, &n);
    free(inds);
    if (rc || (n == 0 && !missing))
        return rc;
    rc = db_begin(db);
    if (!rc)
        rc = plan_values_refresh(db, today, false, NULL);
    if (!rc)
        rc = db_commit(db);
    else
        db_rollback(db);
    return rc;
}

/* ---- indicators, series ------------------------------------------------------------ */

int plan_indicator_load(struct db *db, int64_t id, struct plan_indicator *out)
{
    memset(out, 0, sizeof(*out));
    struct db_stmt *st = db_query(db,
                                  "SELECT id, code, unit, direction, measure, scope, method, "
                                  "formula, params_json FROM indicators WHERE id=?",
                                  "i", id);
    if (!st)
        return KC_ERR_DB;
    int rc = db_step(st);
    if (rc == DB_ROW) {
        out->id = db_col_int(st, 0);
        snprintf(out->code, sizeof(out->code), "%s", db_col_text(st, 1));
        snprintf(out->unit, sizeof(out->unit), "%s", db_col_text(st, 2));
        out->lower_better = strcmp(db_col_text(st, 3), "lower") == 0;
        snprintf(out->measure, sizeof(out->measure), "%s", db_col_text(st, 4));
        out->chain_scope = strcmp(db_col_text(st, 5), "chain") == 0;
        out->computed = strcmp(db_col_text(st, 6), "computed") == 0;
        char err[128];
        if (out->computed && pf_parse(db_col_text(st, 7), db_col_text(st, 8), out->unit,
                                      out->chain_scope, &out->spec, err, sizeof(err)) == 0)
            out->ready = true;
    }
    db_done(st);
    if (rc < 0)
        return rc;
    if (rc != DB_ROW)
        return KC_ERR_NOT_FOUND;
    if (out->ready)
        out->ready = plan_formula_ready(db, out->spec.id);
    return 0;
}

int plan_values_series(struct db *db, const struct plan_indicator *ind, const char *region,
                       const char *chain, int y0, int y1, struct plan_value *out)
{
    if (!chain)
        chain = "";
    for (int y = y0; y <= y1; y++) {
        memset(&out[y - y0], 0, sizeof(*out));
        out[y - y0].year = y;
        snprintf(out[y - y0].comparator, sizeof(out->comparator), "=");
    }
    struct db_stmt *st;
    int rc;
    if (ind->ready) {
        int64_t first = 0, last = 0;
        st = db_query(db,
                      "SELECT year_from, year_to FROM indicator_value_state WHERE "
                      "indicator_id=?",
                      "i", ind->id);
        if (!st)
            return KC_ERR_DB;
        if ((rc = db_step(st)) == DB_ROW) {
            first = db_col_int(st, 0);
            last = db_col_int(st, 1);
        }
        db_done(st);
        if (rc < 0)
            return rc;
        /* A count or a sum with no record is 0 once the indicator has data at all. */
        if (ind->spec.id != PF_ENTERPRISE_SHARE)
            for (int y = y0; y <= y1; y++)
                if (first && y >= first && y <= last)
                    out[y - y0].present = true;
        st = db_query(db,
                      "SELECT year, value, numerator, denominator FROM indicator_values "
                      "WHERE indicator_id=? AND region_code=? AND chain=? AND year >= ? AND "
                      "year <= ?",
                      "issii", ind->id, region, chain, (int64_t)y0, (int64_t)y1);
        if (!st)
            return KC_ERR_DB;
        while ((rc = db_step(st)) == DB_ROW) {
            struct plan_value *v = &out[db_col_int(st, 0) - y0];
            v->present = true;
            v->value = db_col_double(st, 1);
            v->numerator = db_col_int(st, 2);
            v->denominator = db_col_int(st, 3);
        }
        db_done(st);
        return rc < 0 ? rc : 0;
    }
    st = db_query(db,
                  "SELECT year, value, id, comparator FROM observations WHERE indicator_id=? "
                  "AND region_code=? AND chain=? AND is_current=1 AND year >= ? AND year <= ?",
                  "issii", ind->id, region, chain, (int64_t)y0, (int64_t)y1);
    if (!st)
        return KC_ERR_DB;
    while ((rc = db_step(st)) == DB_ROW) {
        struct plan_value *v = &out[db_col_int(st, 0) - y0];
        v->present = true;
        v->value = db_col_double(st, 1);
        v->observation_id = db_col_int(st, 2);
        snprintf(v->comparator, sizeof(v->comparator), "%s", db_col_text(st, 3));
    }
    db_done(st);
    return rc < 0 ? rc : 0;
}

/* ---- drill-down -------------------------------------------------------------------- */

/* Appends " AND <col> IN (?,…)" with the certificate codes of mask. */
static void cert_in(struct buf *sql, struct db_args *a, const char *col, unsigned mask)
{
    buf_printf(sql, " AND %s IN (", col);
    bool first = true;
    for (int k = 0; k < PF_CERT_COUNT; k++) {
        if (!(mask & (1u << k)))
            continue;
        buf_puts(sql, first ? "?" : ",?");
        db_args_text(a, pf_cert_code((enum pf_cert)k));
        first = false;
    }
    buf_puts(sql, ")");
}

/* Appends the chain condition on organisation alias o. */
static void org_chain(struct buf *sql, struct db_args *a, const char *alias, const char *chain)
{
    buf_printf(sql, " AND EXISTS (SELECT 1 FROM json_each(%s.chains) WHERE value = ?)", alias);
    db_args_text(a, chain);
}

/* Builds the record query of a cell; the SELECT lists the records, and the columns
 * __num and __den carry what each adds to the numerator and denominator. */
/* Text the record query binds; it must outlive the statement's preparation (db_args
 * borrows its strings). */
struct drill_args {
    char from[32];   /* YYYY-01-01 of the year */
    char ts_end[24]; /* the end of the as-of day as Unix time, in decimal */
};

static void drill_sql(const struct plan_indicator *ind, const struct scope *rs, const char *chain,
                      int year, const char *day, struct drill_args *d, struct buf *sql,
                      struct db_args *a)
{
    const struct pf_spec *s = &ind->spec;
    bool ch = s->chain_scope && chain && *chain;
    const char *from = d->from, *day_end_ts_s = d->ts_end;
    snprintf(d->from, sizeof(d->from), "%04d-01-01", year);
    snprintf(d->ts_end, sizeof(d->ts_end), "%lld", (long long)day_end_ts(ymd(day)));
    switch (s->id) {
    case PF_CERT_VALID_COUNT:
        buf_puts(sql, "SELECT o.id AS org_id, o.name AS org_name, o.uscc, o.region_code, "
                      "group_concat(DISTINCT c.kind) AS cert_kinds, min(c.number) AS cert_number, "
                      "min(c.issued_on) AS issued_on, CASE WHEN max(c.valid_to IS NULL) THEN NULL "
                      "ELSE max(c.valid_to) END AS valid_to, 1 AS __num, 0 AS __den "
                      "FROM certifications c JOIN orgs o ON o.id = c.org_id WHERE c.status = 'verified' "
                      "AND c.issued_on <= ? "
                      "AND (c.valid_to IS NULL OR c.valid_to >= ?)");
        db_args_text(a, day);
        db_args_text(a, day);
        cert_in(sql, a, "c.kind", s->cert_mask);
        buf_puts(sql, " AND o.region_code >= ? AND o.region_code < ?");
        db_args_text(a, rs->lo);
        db_args_text(a, rs->hi);
        if (ch)
            org_chain(sql, a, "o", chain);
        buf_puts(sql, " GROUP BY o.id");
        break;
    case PF_CERT_ISSUED_COUNT:
        if (s->first_grant) {
            buf_puts(sql, "SELECT o.id AS org_id, o.name AS org_name, o.uscc, o.region_code, "
                          "min(c.kind) AS cert_kind, min(c.number) AS cert_number, "
                          "min(c.issued_on) AS issued_on, 1 AS __num, 0 AS __den "
                          "FROM certifications c JOIN orgs o ON o.id = c.org_id "
                          "WHERE c.status = 'verified'");
            cert_in(sql, a, "c.kind", s->cert_mask);
            buf_puts(sql, " AND o.region_code >= ? AND o.region_code < ?");
            db_args_text(a, rs->lo);
            db_args_text(a, rs->hi);
            if (ch)
                org_chain(sql, a, "o", chain);
            buf_puts(sql, " GROUP BY o.id HAVING min(c.issued_on) >= ? AND min(c.issued_on) <= ?");
            db_args_text(a, from);
            db_args_text(a, day);
        } else {
            buf_puts(sql, "SELECT c.id AS certification_id, o.id AS org_id, o.name AS org_name, "
                          "o.uscc, o.region_code, c.kind AS cert_kind, c.number AS cert_number, "
                          "c.issued_on, c.valid_to, 1 AS __num, 0 AS __den "
                          "FROM certifications c JOIN orgs o ON o.id = c.org_id "
                          "WHERE c.status = 'verified' AND c.issued_on >= ? AND "
                          "c.issued_on <= ?");
            db_args_text(a, from);
            db_args_text(a, day);
            cert_in(sql, a, "c.kind", s->cert_mask);
            buf_puts(sql, " AND o.region_code >= ? AND o.region_code < ?");
            db_args_text(a, rs->lo);
            db_args_text(a, rs->hi);
            if (ch)
                org_chain(sql, a, "o", chain);
        }
        break;
    case PF_DEMAND_COUNT:
        buf_puts(sql, "SELECT d.id AS demand_id, d.title, d.org_id, o.name AS org_name, "
                      "d.region_code, d.chain, d.status, d.published_at, d.closed_at, "
                      "1 AS __num, 0 AS __den FROM demands d LEFT JOIN orgs o ON o.id = d.org_id "
                      "WHERE d.status <> 'draft' AND d.published_at IS NOT NULL AND "
                      "d.published_at < CAST(? AS INTEGER) AND (CASE WHEN d.closed_at IS NULL "
                      "THEN d.status <> 'closed' ELSE d.closed_at >= CAST(? AS INTEGER) END) "
                      "AND d.region_code >= ? AND d.region_code < ?");
        db_args_text(a, day_end_ts_s);
        db_args_text(a, day_end_ts_s);
        db_args_text(a, rs->lo);
        db_args_text(a, rs->hi);
        if (s->chain_scope) {
            buf_puts(sql, " AND d.chain = ?");
            db_args_text(a, chain ? chain : "");
        }
        break;
    case PF_ENTERPRISE_SHARE:
    case PF_ENTERPRISE_COUNT:
    case PF_ENTERPRISE_SUM:
        buf_puts(sql, "SELECT e.org_id, o.name AS org_name, o.uscc, o.region_code, "
                      "o.industry_code, e.year, coalesce(e.main_business_revenue_fen, "
                      "e.operating_revenue_fen) AS revenue_fen, e.rd_expense_fen, ");
        if (s->id == PF_ENTERPRISE_SHARE)
            buf_puts(sql, s->condition == PF_COND_RD_GT_0
                              ? "(e.rd_expense_fen > 0) AS meets, (e.rd_expense_fen > 0) AS __num, "
                                "1 AS __den "
                              : "(e.rd_expense_fen = 0) AS meets, (e.rd_expense_fen = 0) AS __num, "
                                "1 AS __den ");
        else if (s->id == PF_ENTERPRISE_COUNT)
            buf_puts(sql, "1 AS __num, 0 AS __den ");
        else
            buf_puts(sql, "e.rd_expense_fen AS __num, 0 AS __den ");
        buf_puts(sql, "FROM enterprise_years e JOIN orgs o ON o.id = e.org_id "
                      "WHERE e.is_current = 1 AND e.year = ? AND o.region_code >= ? AND "
                      "o.region_code < ?");
        db_args_int(a, year);
        db_args_text(a, rs->lo);
        db_args_text(a, rs->hi);
        if (ch)
            org_chain(sql, a, "o", chain);
        if (s->id == PF_ENTERPRISE_SUM) {
            buf_puts(sql, " AND e.rd_expense_fen IS NOT NULL");
            break;
        }
        if (s->population != PF_POP_ANY)
            buf_puts(sql, " AND substr(o.industry_code, 1, 1) = 'C'");
        if (s->population == PF_POP_ABOVE_SCALE_MANUFACTURING) {
            buf_puts(sql,
                     " AND coalesce(e.main_business_revenue_fen, e.operating_revenue_fen) >= ?");
            db_args_int(a, PF_ABOVE_SCALE_FEN);
        }
        if (s->min_revenue_fen) {
            buf_puts(sql,
                     " AND coalesce(e.main_business_revenue_fen, e.operating_revenue_fen) >= ?");
            db_args_int(a, s->min_revenue_fen);
        }
        if (s->condition != PF_COND_NONE)
            buf_puts(sql, " AND e.rd_expense_fen IS NOT NULL");
        if (s->id == PF_ENTERPRISE_COUNT && s->condition == PF_COND_RD_GT_0)
            buf_puts(sql, " AND e.rd_expense_fen > 0");
        if (s->id == PF_ENTERPRISE_COUNT && s->condition == PF_COND_RD_EQ_0)
            buf_puts(sql, " AND e.rd_expense_fen = 0");
        break;
    case PF_CONTRACT_VALUE_SUM:
        buf_puts(sql, "SELECT k.id AS contract_id, k.registration_no, k.title, k.type, "
                      "k.contract_amount_fen, k.registered_on, k.region_code, k.seller_org_id, "
                      "so.name AS seller_name, k.buyer_org_id, bo.name AS buyer_name, "
                      "k.contract_amount_fen AS __num, 0 AS __den FROM contracts k "
                      "LEFT JOIN orgs so ON so.id = k.seller_org_id "
                      "LEFT JOIN orgs bo ON bo.id = k.buyer_org_id "
                      "WHERE k.registered_on >= ? AND k.registered_on <= ? "
                      "AND k.region_code >= ? AND k.region_code < ?");
        db_args_text(a, from);
        db_args_text(a, day);
        db_args_text(a, rs->lo);
        db_args_text(a, rs->hi);
        if (ch) {
            buf_puts(sql, " AND (EXISTS (SELECT 1 FROM json_each(so.chains) WHERE value = ?) OR "
                          "EXISTS (SELECT 1 FROM json_each(bo.chains) WHERE value = ?))");
            db_args_text(a, chain);
            db_args_text(a, chain);
        }
        break;
    case PF_ROADSHOW_COUNT:
        buf_puts(sql, "SELECT r.id AS roadshow_id, r.title, r.held_on, r.chain, r.region_code, "
                      "1 AS __num, 0 AS __den FROM roadshows r WHERE r.held_on >= ? AND "
                      "r.held_on <= ? AND r.region_code >= ? AND r.region_code < ?");
        db_args_text(a, from);
        db_args_text(a, day);
        db_args_text(a, rs->lo);
        db_args_text(a, rs->hi);
        if (s->chain_scope) {
            buf_puts(sql, " AND r.chain = ?");
            db_args_text(a, chain ? chain : "");
        }
        break;
    default:
        buf_puts(sql, "SELECT 1 AS __num, 0 AS __den WHERE 0");
        break;
    }
}

struct db_stmt *plan_values_drill(struct db *db, const struct plan_indicator *ind,
                                  const char *region, const char *chain, int year,
                                  const char *as_of, int64_t limit, int64_t offset, int64_t *total,
                                  int64_t *num, int64_t *den)
{
    if (!ind->ready)
        return NULL;
    char today[11], day[32];
    if (!as_of) {
        plan_today(today);
        as_of = today;
    }
    int as_of_year = plan_date_year(as_of);
    if (year > as_of_year || year < 1949) {
        *total = *num = *den = 0;
        return db_prep(db, "SELECT 1 WHERE 0");
    }
    if (year == as_of_year)
        snprintf(day, sizeof(day), "%s", as_of);
    else
        snprintf(day, sizeof(day), "%04d-12-31", year);
    char prefix[7];
    struct scope rs;
    auth_region_prefix(region, prefix);
    auth_scope_prefix(&rs, prefix);
    struct buf inner = {0}, sql = {0};
    struct db_args a = {0}, b = {0};
    struct drill_args da, db_;
    drill_sql(ind, &rs, chain, year, day, &da, &inner, &a);
    buf_printf(&sql, "SELECT count(*), coalesce(sum(__num),0), coalesce(sum(__den),0) FROM (%s)",
               buf_str(&inner));
    struct db_stmt *st = db_prep_args(db, buf_str(&sql), &a);
    buf_free(&sql);
    int rc = st ? db_step(st) : KC_ERR_DB;
    if (rc == DB_ROW) {
        *total = db_col_int(st, 0);
        *num = db_col_int(st, 1);
        *den = db_col_int(st, 2);
    }
    if (st)
        db_done(st);
    if (rc != DB_ROW) {
        buf_free(&inner);
        return NULL;
    }
    /* The listing: the same query again, ordered, without the helper columns. */
    drill_sql(ind, &rs, chain, year, day, &db_, &sql, &b);
    buf_free(&inner);
    struct buf outer = {0};
    buf_printf(&outer, "SELECT * FROM (%s) ORDER BY 1", buf_str(&sql));
    buf_free(&sql);
    if (limit >= 0) {
        buf_puts(&outer, " LIMIT ? OFFSET ?");
        db_args_int(&b, limit);
        db_args_int(&b, offset);
    }
    st = db_prep_args(db, buf_str(&outer), &b);
    buf_free(&outer);
    return st;
}
