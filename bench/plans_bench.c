/*
 * plans_bench.c — recompute of every computed indicator at province scale.
 *
 * Generates, deterministically (domain/demo_gen.h, fixed seed), into a temporary SQLite
 * file: 100 counties, 200,000 enterprises with 5 years of yearly data (1,000,000
 * enterprise_years rows), their certificates, 1,000,000 technology contracts, technology
 * demands and roadshows; loads the five seed plans (their indicators). Then, each run:
 *   - ours:     plan_values_compute over every ready computed indicator (one pass per
 *               record table), cells kept in memory;
 *   - refresh:  plan_values_refresh(force) — the same plus writing the cache table, what
 *               POST /api/v1/indicators/recompute does;
 *   - baseline: plain SQL GROUP BY queries computing the same cells (one query per
 *               indicator, and per year for the stock formulas), rolled up to cities and
 *               the province in C.
 * It checks that ours and the baseline give identical numbers (every cell, numerator and
 * denominator) and prints the medians and the ratio baseline / ours.
 *
 * usage: plans_bench [--runs N] [--enterprises N] [--contracts N] [--keep] [--reuse FILE]
 * (--keep leaves the generated file; --reuse FILE times a file kept earlier;
 * --skip-baseline times ours only, for profiling.)
 */
#include "core/buf.h"
#include "core/xalloc.h"
#include "db/db.h"
#include "db/migrate.h"
#include "domain/demo_gen.h"
#include "domain/plan_data.h"
#include "domain/plan_formula.h"
#include "store/audit.h"
#include "store/plan.h"
#include "store/plan_values.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define AS_OF "2025-12-31"
#define YEAR_TO 2025
#define YEAR_FROM (YEAR_TO - PLAN_VALUE_YEARS + 1)
#define N_COUNTIES 100

/* One computed cell. */
struct cell {
    int ind;         /* index into the specs */
    char region[7];  /* region code */
    char chain[33];  /* chain code or "" */
    int year;        /* year */
    int64_t num;     /* count or sum */
    int64_t den;     /* population (shares) */
};

/* A growable list of cells. */
struct cells {
    struct cell *v; /* cells */
    size_t n, cap;  /* count, capacity */
};

/* Appends a cell. */
static void push(struct cells *c, int ind, const char *region, const char *chain, int year,
                 int64_t num, int64_t den)
{
    if (c->n == c->cap) {
        c->cap = c->cap ? c->cap * 2 : 4096;
        c->v = xrealloc(c->v, c->cap * sizeof(*c->v));
    }
    struct cell *x = &c->v[c->n++];
    x->ind = ind;
    snprintf(x->region, sizeof(x->region), "%s", region);
    snprintf(x->chain, sizeof(x->chain), "%s", chain ? chain : "");
    x->year = year;
    x->num = num;
    x->den = den;
}

/* Sink of plan_values_compute: keeps the cell. */
static void sink(void *ctx, size_t ind, const char *region, const char *chain, int year,
                 int64_t num, int64_t den)
{
    push(ctx, (int)ind, region, chain, year, num, den);
}

/* Orders cells by indicator, region, chain, year. */
static int cmp_cell(const void *a, const void *b)
{
    const struct cell *x = a, *y = b;
    if (x->ind != y->ind)
        return x->ind - y->ind;
    int c = strcmp(x->region, y->region);
    if (c)
        return c;
    c = strcmp(x->chain, y->chain);
    if (c)
        return c;
    return x->year - y->year;
}

/* Sorts cells and merges equal keys by summing; drops cells that sum to nothing. */
static void normalise(struct cells *c)
{
    qsort(c->v, c->n, sizeof(*c->v), cmp_cell);
    size_t k = 0;
    for (size_t i = 0; i < c->n; i++) {
        if (k && cmp_cell(&c->v[k - 1], &c->v[i]) == 0) {
            c->v[k - 1].num += c->v[i].num;
            c->v[k - 1].den += c->v[i].den;
        } else {
            c->v[k++] = c->v[i];
        }
    }
    size_t j = 0;
    for (size_t i = 0; i < k; i++)
        if (c->v[i].num || c->v[i].den)
            c->v[j++] = c->v[i];
    c->n = j;
}

/* Monotonic seconds. */
static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* CPU seconds of this process (the machine may be shared: wall time includes waiting). */
static double cpu_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Orders doubles ascending. */
static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}
/* Median of n values (sorts them). */
static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof(double), cmp_d);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* Exits with a message when rc is an error. */
static void check(int rc, const char *what)
{
    if (rc) {
        fprintf(stderr, "plans_bench: %s failed (%d)\n", what, rc);
        exit(1);
    }
}

/* ---- data generation ------------------------------------------------------------------ */

/* The generated world: counties and chains. */
struct world {
    char county[N_COUNTIES][7]; /* county codes */
    char (*chain)[33];          /* chain codes */
    int n_chains;               /* their count */
};

/* YYYY-MM-DD of day d (0-based) of year y, clamped to day 364. */
static void date_of(int y, int d, char out[48])
{
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int m = 0;
    if (d > 364)
        d = 364;
    while (d >= mdays[m]) {
        d -= mdays[m];
        m++;
    }
    snprintf(out, 48, "%04d-%02d-%02d", y, m + 1, d + 1);
}

/* Unix time of noon (China) on day d of year y (no leap days needed for the bench). */
static int64_t ts_of(int y, int d)
{
    char s[48];
    date_of(y, d, s);
    struct tm tm = {0};
    tm.tm_year = y - 1900;
    tm.tm_mon = atoi(s + 5) - 1;
    tm.tm_mday = atoi(s + 8);
    return (int64_t)timegm(&tm) + 4 * 3600;
}

/* Generates everything in one transaction. */
static void generate(struct db *db, struct world *w, int n_ent, int n_contracts)
{
    struct demo_rng rng;
    demo_rng_seed(&rng, 20251231u);
    int n = 0;
    struct db_stmt *st = db_prep(db, "SELECT code FROM regions WHERE level='county' ORDER BY code");
    while (st && n < N_COUNTIES && db_step(st) == DB_ROW)
        snprintf(w->county[n++], 7, "%s", db_col_text(st, 0));
    db_done(st);
    if (n < N_COUNTIES) {
        fprintf(stderr, "plans_bench: only %d county codes\n", n);
        exit(1);
    }
    int64_t nc = 0;
    check(db_scalar(db_prep(db, "SELECT count(*) FROM chains"), &nc), "count chains");
    w->chain = xcalloc((size_t)nc + 1, sizeof(*w->chain));
    st = db_prep(db, "SELECT code FROM chains ORDER BY code");
    while (st && db_step(st) == DB_ROW && w->n_chains < nc)
        snprintf(w->chain[w->n_chains++], 33, "%s", db_col_text(st, 0));
    db_done(st);
    check(db_begin(db), "begin");
    static const char *const mfg[] = {"C36", "C34", "C27", "C39", "C26", "C38", "C35", "C29"};
    static const char *const other[] = {"M73", "I65", "F51", "L72"};
    int64_t base = 0;
    check(db_scalar(db_prep(db, "SELECT coalesce(max(id),0) FROM orgs"), &base), "max org");
    char uscc[32], chains[96], d1[48], d2[48];
    for (int i = 1; i <= n_ent; i++) {
        const char *county = w->county[demo_rng_below(&rng, N_COUNTIES)];
        bool is_mfg = demo_rng_below(&rng, 10) < 6;
        const char *ind = is_mfg ? mfg[demo_rng_below(&rng, 8)] : other[demo_rng_below(&rng, 4)];
        uint32_t nch = demo_rng_below(&rng, 10);
        if (nch < 6)
            snprintf(chains, sizeof(chains), "[]");
        else if (nch < 9)
            snprintf(chains, sizeof(chains), "[\"%s\"]", w->chain[demo_rng_below(&rng, (uint32_t)w->n_chains)]);
        else {
            uint32_t a = demo_rng_below(&rng, (uint32_t)w->n_chains), b = (a + 1) % (uint32_t)w->n_chains;
            snprintf(chains, sizeof(chains), "[\"%s\",\"%s\"]", w->chain[a], w->chain[b]);
        }
        snprintf(uscc, sizeof(uscc), "BENCH%012d", i);
        check(db_run(db_query(db,
                              "INSERT INTO orgs(id,kind,name,uscc,region_code,industry_code,chains,"
                              "created_at,updated_at) VALUES(?,'enterprise','bench',?,?,?,?,0,0)",
                              "issss", base + i, uscc, county, ind, chains)),
              "insert org");
        /* Five years of yearly data; revenue drifting, R&D sometimes zero or unknown. */
        int64_t rev = (int64_t)(200 + demo_rng_below(&rng, 20000)) * 1000000; /* 200万 … 2亿 */
        for (int y = YEAR_TO - 4; y <= YEAR_TO; y++) {
            rev = rev * (90 + (int64_t)demo_rng_below(&rng, 25)) / 100;
            uint32_t r = demo_rng_below(&rng, 10);
            int64_t rd = r < 3 ? 0 : rev / (20 + (int64_t)demo_rng_below(&rng, 60));
            struct db_stmt *ey = db_prep(db, "INSERT INTO enterprise_years(org_id,year,"
                                             "main_business_revenue_fen,operating_revenue_fen,"
                                             "rd_expense_fen,created_at,updated_at) "
                                             "VALUES(?,?,?,?,?,0,0)");
            int rc = db_bind_int(ey, 1, base + i);
            rc = rc ? rc : db_bind_int(ey, 2, y);
            rc = rc ? rc : (r == 9 ? db_bind_null(ey, 3) : db_bind_int(ey, 3, rev));
            rc = rc ? rc : db_bind_int(ey, 4, rev);
            rc = rc ? rc : (r == 8 ? db_bind_null(ey, 5) : db_bind_int(ey, 5, rd));
            check(rc ? rc : db_run(ey), "insert year");
        }
        /* Certificates: tsme yearly registrations, HNTE for three years, some giants. */
        static const char *const kinds[] = {"tsme", "hnte", "zj_tsme", "sci_little_giant",
                                            "sci_leader", "little_giant"};
        uint32_t k = demo_rng_below(&rng, 20);
        int cert = k < 6 ? 0 : k < 11 ? 1 : k < 14 ? 2 : k == 14 ? 3 : k == 15 ? 4 : k == 16 ? 5 : -1;
        if (cert >= 0) {
            int y0 = YEAR_TO - 7 + (int)demo_rng_below(&rng, 8);
            int years = cert == 0 || cert == 2 ? 1 : 3;
            for (int y = y0; y <= YEAR_TO; y += years) {
                int day = (int)demo_rng_below(&rng, 365);
                date_of(y, day, d1);
                date_of(y + years, day > 0 ? day - 1 : 0, d2);
                if (day == 0)
                    date_of(y + years - 1, 364, d2);
                check(db_run(db_query(db,
                                      "INSERT INTO certifications(org_id,kind,issued_on,valid_to,"
                                      "created_at,updated_at) VALUES(?,?,?,?,0,0)",
                                      "isss", base + i, kinds[cert], d1,
                                      cert >= 3 && cert <= 4 ? NULL : d2)),
                      "insert cert");
                if (demo_rng_below(&rng, 3) == 0)
                    break; /* not renewed */
            }
        }
    }
    for (int i = 1; i <= n_contracts; i++) {
        int64_t seller = base + 1 + demo_rng_below(&rng, (uint32_t)n_ent);
        int64_t buyer = base + 1 + demo_rng_below(&rng, (uint32_t)n_ent);
        int y = YEAR_TO - 4 + (int)demo_rng_below(&rng, 5);
        date_of(y, (int)demo_rng_below(&rng, 365), d1);
        int64_t amount = (int64_t)(3 + demo_rng_below(&rng, 5000)) * 1000000;
        char regno[24];
        snprintf(regno, sizeof(regno), "%016d", i);
        check(db_run(db_query(db,
                              "INSERT INTO contracts(title,rule_set,type,seller_org_id,buyer_org_id,"
                              "contract_amount_fen,tech_amount_fen,signed_on,registration_no,"
                              "registered_on,region_code,created_at,updated_at) "
                              "VALUES('bench','contract-2001','development',?1,?2,?3,?3,?4,?5,?4,"
                              "(SELECT region_code FROM orgs WHERE id=?1),0,0)",
                              "iiiss", seller, buyer, amount, d1, regno)),
              "insert contract");
    }
    for (int i = 1; i <= n_ent / 4; i++) {
        int64_t org = base + 1 + demo_rng_below(&rng, (uint32_t)n_ent);
        int y = YEAR_TO - 4 + (int)demo_rng_below(&rng, 5);
        int64_t pub = ts_of(y, (int)demo_rng_below(&rng, 365));
        uint32_t s = demo_rng_below(&rng, 10);
        const char *status = s < 1 ? "draft" : s < 6 ? "published" : s < 8 ? "matched" : "closed";
        int64_t closed = pub + (int64_t)demo_rng_below(&rng, 700) * 86400;
        check(db_run(db_query(db,
                              "INSERT INTO demands(org_id,region_code,title,chain,status,"
                              "published_at,closed_at,created_at,updated_at) "
                              "VALUES(?1,(SELECT region_code FROM orgs WHERE id=?1),'bench',?2,?3,"
                              "?4,?5,0,0)",
                              "issii", org, w->chain[demo_rng_below(&rng, (uint32_t)w->n_chains)],
                              status, pub, strcmp(status, "closed") == 0 ? closed : 0)),
              "insert demand");
    }
    check(db_run(db_prep(db, "UPDATE demands SET closed_at = NULL WHERE closed_at = 0")), "demands");
    check(db_run(db_prep(db, "UPDATE demands SET published_at = NULL WHERE status = 'draft'")),
          "drafts");
    for (int i = 1; i <= n_ent / 40; i++) {
        int y = YEAR_TO - 4 + (int)demo_rng_below(&rng, 5);
        date_of(y, (int)demo_rng_below(&rng, 365), d1);
        check(db_run(db_query(db,
                              "INSERT INTO roadshows(title,held_on,chain,region_code,created_at,"
                              "updated_at) VALUES('bench',?,?,?,0,0)",
                              "sss", d1, w->chain[demo_rng_below(&rng, (uint32_t)w->n_chains)],
                              w->county[demo_rng_below(&rng, N_COUNTIES)])),
              "insert roadshow");
    }
    check(db_commit(db), "commit");
    check(db_exec(db, "ANALYZE"), "analyze");
}

/* ---- the baseline: plain SQL GROUP BY ------------------------------------------------- */

/* The cert kind list "'hnte','tsme'" of a mask. */
static void kinds_sql(unsigned mask, char *out, size_t cap)
{
    size_t len = 0;
    out[0] = '\0';
    for (int k = 0; k < PF_CERT_COUNT; k++)
        if (mask & (1u << k))
            len += (size_t)snprintf(out + len, cap - len, "%s'%s'", len ? "," : "",
                                    pf_cert_code((enum pf_cert)k));
}

/* Runs a GROUP BY query returning (region, chain, year, num, den) rows into c for
 * indicator ind; year_fixed (when > 0) replaces the year column. */
static void run_group(struct db *db, const char *sql, int ind, int year_fixed, struct cells *c)
{
    struct db_stmt *st = db_prep(db, sql);
    if (!st) {
        fprintf(stderr, "plans_bench: baseline query failed: %s\n", sql);
        exit(1);
    }
    while (db_step(st) == DB_ROW)
        push(c, ind, db_col_text(st, 0), db_col_text(st, 1),
             year_fixed ? year_fixed : (int)db_col_int(st, 2), db_col_int(st, 3),
             db_col_int(st, 4));
    db_done(st);
}

/* Computes every formula with GROUP BY queries at the regions of the records, then rolls
 * the cells up to city, province and 000000 (as the engine does). */
static void baseline(struct db *db, const struct pf_spec *specs, int n, struct cells *out)
{
    struct cells c = {0};
    char sql[4096], kinds[256], from[16], to[16];
    snprintf(from, sizeof(from), "%04d-01-01", YEAR_FROM);
    snprintf(to, sizeof(to), "%s", AS_OF);
    for (int i = 0; i < n; i++) {
        const struct pf_spec *s = &specs[i];
        bool ch = s->chain_scope;
        const char *chj = ch ? ", json_each(o.chains) j" : "";
        const char *chc = ch ? "j.value" : "''";
        switch (s->id) {
        case PF_CERT_VALID_COUNT:
            kinds_sql(s->cert_mask, kinds, sizeof(kinds));
            for (int y = YEAR_FROM; y <= YEAR_TO; y++) {
                char d[16];
                snprintf(d, sizeof(d), "%04d-12-31", y);
                snprintf(sql, sizeof(sql),
                         "SELECT o.region_code, %s, 0, count(DISTINCT c.org_id), 0 FROM "
                         "certifications c JOIN orgs o ON o.id = c.org_id%s WHERE c.kind IN (%s) "
                         "AND c.status = 'verified' AND c.issued_on <= '%s' AND (c.valid_to IS NULL OR c.valid_to >= '%s') "
                         "GROUP BY 1, 2",
                         chc, chj, kinds, d, d);
                run_group(db, sql, i, y, &c);
            }
            break;
        case PF_CERT_ISSUED_COUNT:
            kinds_sql(s->cert_mask, kinds, sizeof(kinds));
            if (s->first_grant)
                snprintf(sql, sizeof(sql),
                         "SELECT region_code, ch, CAST(substr(first, 1, 4) AS INTEGER), count(*), 0 "
                         "FROM (SELECT o.region_code, %s AS ch, min(c.issued_on) AS first FROM "
                         "certifications c JOIN orgs o ON o.id = c.org_id%s WHERE c.kind IN (%s) "
                         "AND c.status = 'verified' GROUP BY c.org_id, 2) WHERE first >= '%s' AND first <= '%s' GROUP BY 1, 2, 3",
                         chc, chj, kinds, from, to);
            else
                snprintf(sql, sizeof(sql),
                         "SELECT o.region_code, %s, CAST(substr(c.issued_on, 1, 4) AS INTEGER), "
                         "count(*), 0 FROM certifications c JOIN orgs o ON o.id = c.org_id%s "
                         "WHERE c.kind IN (%s) AND c.status = 'verified' AND c.issued_on >= '%s' "
                         "AND c.issued_on <= '%s' "
                         "GROUP BY 1, 2, 3",
                         chc, chj, kinds, from, to);
            run_group(db, sql, i, 0, &c);
            break;
        case PF_ENTERPRISE_SHARE:
        case PF_ENTERPRISE_COUNT:
        case PF_ENTERPRISE_SUM: {
            char cond[512] = "";
            size_t l = 0;
            if (s->id != PF_ENTERPRISE_SUM && s->population != PF_POP_ANY)
                l += (size_t)snprintf(cond + l, sizeof(cond) - l,
                                      " AND substr(o.industry_code, 1, 1) = 'C'");
            if (s->id != PF_ENTERPRISE_SUM && s->population == PF_POP_ABOVE_SCALE_MANUFACTURING)
                l += (size_t)snprintf(cond + l, sizeof(cond) - l,
                                      " AND coalesce(e.main_business_revenue_fen, "
                                      "e.operating_revenue_fen) >= %lld",
                                      (long long)PF_ABOVE_SCALE_FEN);
            if (s->id == PF_ENTERPRISE_COUNT && s->min_revenue_fen)
                l += (size_t)snprintf(cond + l, sizeof(cond) - l,
                                      " AND coalesce(e.main_business_revenue_fen, "
                                      "e.operating_revenue_fen) >= %lld",
                                      (long long)s->min_revenue_fen);
            if (s->id == PF_ENTERPRISE_SUM || s->condition != PF_COND_NONE)
                l += (size_t)snprintf(cond + l, sizeof(cond) - l,
                                      " AND e.rd_expense_fen IS NOT NULL");
            if (s->id == PF_ENTERPRISE_COUNT && s->condition == PF_COND_RD_EQ_0)
                l += (size_t)snprintf(cond + l, sizeof(cond) - l, " AND e.rd_expense_fen = 0");
            if (s->id == PF_ENTERPRISE_COUNT && s->condition == PF_COND_RD_GT_0)
                l += (size_t)snprintf(cond + l, sizeof(cond) - l, " AND e.rd_expense_fen > 0");
            const char *agg = s->id == PF_ENTERPRISE_SHARE
                                  ? (s->condition == PF_COND_RD_GT_0
                                         ? "sum(e.rd_expense_fen > 0), count(*)"
                                         : "sum(e.rd_expense_fen = 0), count(*)")
                              : s->id == PF_ENTERPRISE_COUNT ? "count(*), 0"
                                                             : "sum(e.rd_expense_fen), 0";
            snprintf(sql, sizeof(sql),
                     "SELECT o.region_code, %s, e.year, %s FROM enterprise_years e JOIN orgs o "
                     "ON o.id = e.org_id%s WHERE e.is_current = 1 AND e.year >= %d AND "
                     "e.year <= %d%s GROUP BY 1, 2, 3",
                     chc, agg, chj, YEAR_FROM, YEAR_TO, cond);
            run_group(db, sql, i, 0, &c);
            break;
        }
        case PF_CONTRACT_VALUE_SUM:
            if (!ch)
                snprintf(sql, sizeof(sql),
                         "SELECT region_code, '', CAST(substr(registered_on, 1, 4) AS INTEGER), "
                         "sum(contract_amount_fen), 0 FROM contracts WHERE registered_on >= '%s' "
                         "AND registered_on <= '%s' GROUP BY 1, 3",
                         from, to);
            else
                snprintf(sql, sizeof(sql),
                         "SELECT region_code, ch, y, sum(amt), 0 FROM ("
                         "SELECT k.id, k.region_code, j.value AS ch, CAST(substr(k.registered_on, "
                         "1, 4) AS INTEGER) AS y, k.contract_amount_fen AS amt FROM contracts k "
                         "JOIN orgs o ON o.id = k.seller_org_id, json_each(o.chains) j WHERE "
                         "k.registered_on >= '%s' AND k.registered_on <= '%s' UNION "
                         "SELECT k.id, k.region_code, j.value, CAST(substr(k.registered_on, 1, 4) "
                         "AS INTEGER), k.contract_amount_fen FROM contracts k JOIN orgs o ON "
                         "o.id = k.buyer_org_id, json_each(o.chains) j WHERE k.registered_on >= "
                         "'%s' AND k.registered_on <= '%s') GROUP BY 1, 2, 3",
                         from, to, from, to);
            run_group(db, sql, i, 0, &c);
            break;
        case PF_DEMAND_COUNT:
            for (int y = YEAR_FROM; y <= YEAR_TO; y++) {
                struct tm tm = {0};
                tm.tm_year = y + 1 - 1900;
                tm.tm_mday = 1;
                long long end = (long long)timegm(&tm) - 28800; /* 1 January, China */
                snprintf(sql, sizeof(sql),
                         "SELECT region_code, %s, 0, count(*), 0 FROM demands WHERE status <> "
                         "'draft' AND published_at IS NOT NULL AND published_at < %lld AND "
                         "(CASE WHEN closed_at IS NULL THEN status <> 'closed' ELSE closed_at >= "
                         "%lld END)%s GROUP BY 1, 2",
                         ch ? "chain" : "''", end, end, ch ? " AND chain IS NOT NULL" : "");
                run_group(db, sql, i, y, &c);
            }
            break;
        case PF_ROADSHOW_COUNT:
            snprintf(sql, sizeof(sql),
                     "SELECT region_code, %s, CAST(substr(held_on, 1, 4) AS INTEGER), count(*), 0 "
                     "FROM roadshows WHERE held_on >= '%s' AND held_on <= '%s'%s GROUP BY 1, 2, 3",
                     ch ? "chain" : "''", from, to, ch ? " AND chain IS NOT NULL" : "");
            run_group(db, sql, i, 0, &c);
            break;
        default:
            break;
        }
    }
    /* Roll up: every cell also counts for its city, province and 000000. */
    size_t n0 = c.n;
    for (size_t k = 0; k < n0; k++) {
        struct cell x = c.v[k];
        char anc[3][7];
        snprintf(anc[0], 7, "%.4s00", x.region);
        snprintf(anc[1], 7, "%.2s0000", x.region);
        snprintf(anc[2], 7, "000000");
        for (int a = 0; a < 3; a++) {
            bool dup = strcmp(anc[a], x.region) == 0;
            for (int b = 0; b < a; b++)
                dup = dup || strcmp(anc[a], anc[b]) == 0;
            if (!dup)
                push(&c, x.ind, anc[a], x.chain, x.year, x.num, x.den);
        }
    }
    normalise(&c);
    *out = c;
}

/* Compares two normalised cell lists; prints the first differences. */
static size_t compare(const struct cells *a, const struct cells *b)
{
    size_t i = 0, j = 0, diff = 0;
    while (i < a->n || j < b->n) {
        int c = i >= a->n ? 1 : j >= b->n ? -1 : cmp_cell(&a->v[i], &b->v[j]);
        if (c == 0 && a->v[i].num == b->v[j].num && a->v[i].den == b->v[j].den) {
            i++;
            j++;
            continue;
        }
        if (diff++ < 5) {
            const struct cell *x = c <= 0 ? &a->v[i] : &b->v[j];
            fprintf(stderr, "  differs: indicator %d %s %s %d: ours %lld/%lld baseline %lld/%lld\n",
                    x->ind, x->region, x->chain, x->year, c <= 0 ? (long long)a->v[i].num : 0LL,
                    c <= 0 ? (long long)a->v[i].den : 0LL,
                    c >= 0 ? (long long)b->v[j].num : 0LL, c >= 0 ? (long long)b->v[j].den : 0LL);
        }
        if (c <= 0)
            i++;
        if (c >= 0)
            j++;
    }
    return diff;
}

/* Generates (or reuses) the data, runs ours, the refresh and the baseline, compares them
 * and prints the figures; exit 1 when the numbers differ. */
int main(int argc, char **argv)
{
    int runs = 5, n_ent = 200000, n_contracts = 1000000;
    bool keep = false;
    const char *reuse = NULL;
    bool skip_baseline = false;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--runs") == 0 && i + 1 < argc)
            runs = atoi(argv[++i]);
        else if (strcmp(argv[i], "--enterprises") == 0 && i + 1 < argc)
            n_ent = atoi(argv[++i]);
        else if (strcmp(argv[i], "--contracts") == 0 && i + 1 < argc)
            n_contracts = atoi(argv[++i]);
        else if (strcmp(argv[i], "--keep") == 0)
            keep = true;
        else if (strcmp(argv[i], "--reuse") == 0 && i + 1 < argc)
            reuse = argv[++i];
        else if (strcmp(argv[i], "--skip-baseline") == 0)
            skip_baseline = true;
        else {
            fprintf(stderr, "usage: plans_bench [--runs N] [--enterprises N] [--contracts N] "
                            "[--keep] [--reuse FILE] [--skip-baseline]\n");
            return 2;
        }
    }
    if (runs < 1 || runs > 50 || n_ent < 100 || n_contracts < 0) {
        fprintf(stderr, "plans_bench: bad arguments\n");
        return 2;
    }
    char dir[] = "/tmp/kc-plans-bench-XXXXXX", path[4096];
    struct db *db = NULL;
    struct world w = {0};
    double t0 = now_s();
    if (reuse) {
        keep = true;
        snprintf(path, sizeof(path), "%s", reuse);
        check(db_open(path, &db), "open");
        check(migrate_run(db, NULL), "migrate");
    } else {
        if (!mkdtemp(dir))
            return 1;
        snprintf(path, sizeof(path), "%s/kc.db", dir);
        check(db_open(path, &db), "open");
        check(migrate_run(db, NULL), "migrate");
        generate(db, &w, n_ent, n_contracts);
        struct plan_set *set = NULL;
        check(plan_data_load_all(&set), "plans");
        struct audit_ctx ctx = {0, "bench", "-"};
        int loaded = 0;
        check(db_begin(db), "begin");
        check(plan_seed_load(db, set, &ctx, &loaded), "seed plans");
        check(plan_sources_install(db), "triggers");
        check(db_commit(db), "commit");
        plan_data_free(set);
    }
    check(db_exec(db, "PRAGMA cache_size = -262144"), "cache");
    int64_t n_ent64 = 0;
    check(db_scalar(db_prep(db, "SELECT count(*) FROM orgs WHERE uscc LIKE 'BENCH%'"), &n_ent64),
          "count");
    n_ent = (int)n_ent64;
    int64_t n_years = 0, n_certs = 0, n_k = 0, n_d = 0;
    check(db_scalar(db_prep(db, "SELECT count(*) FROM enterprise_years"), &n_years), "count");
    check(db_scalar(db_prep(db, "SELECT count(*) FROM certifications"), &n_certs), "count");
    check(db_scalar(db_prep(db, "SELECT count(*) FROM contracts"), &n_k), "count");
    check(db_scalar(db_prep(db, "SELECT count(*) FROM demands"), &n_d), "count");
    printf("generated in %.1f s: %d counties, %d enterprises, %lld yearly records, %lld "
           "certificates, %lld contracts, %lld demands (%s)\n",
           now_s() - t0, N_COUNTIES, n_ent, (long long)n_years, (long long)n_certs,
           (long long)n_k, (long long)n_d, path);

    /* Every computed indicator of the seed plans whose formula can run. */
    struct pf_spec specs[128];
    char names[128][64];
    int n = 0;
    struct db_stmt *st = db_prep(db, "SELECT code, formula, params_json, unit, scope FROM "
                                     "indicators WHERE method='computed' ORDER BY code");
    while (st && db_step(st) == DB_ROW && n < 128) {
        char err[128];
        struct pf_spec s;
        if (pf_parse(db_col_text(st, 1), db_col_text(st, 2), db_col_text(st, 3),
                     strcmp(db_col_text(st, 4), "chain") == 0, &s, err, sizeof(err)) != 0)
            continue;
        if (!pf_def(s.id)->implemented)
            continue;
        snprintf(names[n], sizeof(names[n]), "%s", db_col_text(st, 0));
        specs[n++] = s;
    }
    db_done(st);
    for (int i = 0; i < n; i++)
        if (!plan_formula_ready(db, specs[i].id))
            fprintf(stderr, "plans_bench: %s not ready\n", names[i]);
    printf("computed indicators: %d (years %d-%d, as of %s)\n", n, YEAR_FROM, YEAR_TO, AS_OF);

    double ours[50], refresh[50], base[50], ours_cpu[50], refresh_cpu[50], base_cpu[50];
    struct cells a = {0}, b = {0};
    size_t diffs = 0, cells_ours = 0;
    for (int r = 0; r < runs; r++) {
        a.n = 0;
        double s = now_s(), c = cpu_s();
        check(plan_values_compute(db, specs, (size_t)n, YEAR_FROM, YEAR_TO, AS_OF, sink, &a),
              "compute");
        ours[r] = now_s() - s;
        ours_cpu[r] = cpu_s() - c;
        s = now_s();
        c = cpu_s();
        int done = 0;
        check(db_begin(db), "begin");
        check(plan_values_refresh(db, AS_OF, true, &done), "refresh");
        check(db_commit(db), "commit");
        refresh[r] = now_s() - s;
        refresh_cpu[r] = cpu_s() - c;
        free(b.v);
        b = (struct cells){0};
        s = now_s();
        c = cpu_s();
        if (!skip_baseline)
            baseline(db, specs, n, &b);
        base[r] = now_s() - s;
        base_cpu[r] = cpu_s() - c;
        normalise(&a);
        cells_ours = a.n;
        if (!skip_baseline)
            diffs += compare(&a, &b);
        printf("run %d: ours %.3f s (cpu %.3f), refresh (with cache writes) %.3f s (cpu %.3f), "
               "baseline %.3f s (cpu %.3f)\n",
               r + 1, ours[r], ours_cpu[r], refresh[r], refresh_cpu[r], base[r], base_cpu[r]);
    }
    double mo = median(ours, runs), mr = median(refresh, runs), mb = median(base, runs);
    double co = median(ours_cpu, runs), cr = median(refresh_cpu, runs), cb = median(base_cpu, runs);
    printf("cells: %zu, identical to the baseline: %s\n", cells_ours, diffs ? "NO" : "yes");
    printf("median of %d runs: ours %.3f s, refresh %.3f s, baseline (plain SQL GROUP BY) %.3f s\n",
           runs, mo, mr, mb);
    printf("median CPU time: ours %.3f s, refresh %.3f s, baseline %.3f s\n", co, cr, cb);
    if (!skip_baseline)
        printf("ratio baseline/ours: %.2fx (cpu %.2fx); baseline/refresh: %.2fx (cpu %.2fx)\n",
               mb / mo, cb / co, mb / mr, cb / cr);
    printf("goal refresh <= 1 s: wall %s, cpu %s\n", mr <= 1.0 ? "met" : "missed",
           cr <= 1.0 ? "met" : "missed");
    free(a.v);
    free(b.v);
    free(w.chain);
    db_close(db);
    if (!keep) {
        static const char *const suffixes[] = {"", "-wal", "-shm"};
        for (int i = 0; i < 3; i++) {
            char p[4200];
            snprintf(p, sizeof(p), "%s%s", path, suffixes[i]);
            unlink(p);
        }
        char files[160];
        snprintf(files, sizeof(files), "%s/files", dir);
        rmdir(files);
        rmdir(dir);
    }
    return diffs ? 1 : 0;
}
