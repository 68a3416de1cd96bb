/* eval.c — nDCG@10 / recall@10 of the matcher and of FTS5 bm25() on CSL (eval.h). */
#include "search/eval.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/utf8.h"
#include "core/xalloc.h"
#include "db/db.h"
#include "search/corpus.h"
#include "search/tok.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Results per query that are scored. */
#define EVAL_K 10

/* One evaluation query. */
struct equery {
    const char *text; /* query text (borrowed from the corpus) */
    uint32_t *rel;    /* relevant corpus indices, ascending */
    int n_rel;        /* their count */
    int split;        /* 0 dev, 1 test */
};

/* A protocol's queries. */
struct eset {
    struct equery *q; /* queries */
    int n;            /* their count */
    int cap;          /* allocated */
};

/* Appends a query (takes rel). */
static void eset_add(struct eset *s, const char *text, uint32_t *rel, int n_rel, int split)
{
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 256;
        s->q = xrealloc(s->q, (size_t)s->cap * sizeof(*s->q));
    }
    s->q[s->n++] = (struct equery){text, rel, n_rel, split};
}

/* Frees the queries' relevance lists and the array. */
static void eset_free(struct eset *s)
{
    for (int i = 0; i < s->n; i++)
        free(s->q[i].rel);
    free(s->q);
}

/* FNV-1a of s: the fixed split hash of keyword topics. */
static uint32_t fnv1a(const char *s)
{
    uint32_t h = 2166136261u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

/* A (keyword, paper) pair for grouping. */
struct kwpair {
    const char *kw; /* the keyword (borrowed) */
    uint32_t doc;   /* the paper's corpus index */
};

/* Orders pairs by keyword, then paper. */
static int kwpair_cmp(const void *a, const void *b)
{
    const struct kwpair *x = a, *y = b;
    int c = strcmp(x->kw, y->kw);
    return c ? c : (x->doc > y->doc) - (x->doc < y->doc);
}

/* Keyword-as-topic queries: keywords of ≥ 2 characters listed by min_df..50 papers
 * that have fewer than 20 keywords. */
static void topic_queries(const struct corpus *c, int min_df, struct eset *out)
{
    size_t n = 0, cap = 0;
    struct kwpair *p = NULL;
    for (size_t i = 0; i < c->n; i++) {
        if (c->r[i].n_kw >= 20)
            continue;
        for (int k = 0; k < c->r[i].n_kw; k++) {
            if (utf8_len(c->r[i].kw[k]) < 2)
                continue;
            if (n == cap) {
                cap = cap ? cap * 2 : 4096;
                p = xrealloc(p, cap * sizeof(*p));
            }
            p[n++] = (struct kwpair){c->r[i].kw[k], (uint32_t)i};
        }
    }
    qsort(p, n, sizeof(*p), kwpair_cmp);
    for (size_t i = 0; i < n;) {
        size_t j = i;
        int df = 0;
        while (j < n && strcmp(p[j].kw, p[i].kw) == 0) {
            if (j == i || p[j].doc != p[j - 1].doc)
                df++;
            j++;
        }
        if (df >= min_df && df <= 50) {
            uint32_t *rel = xmalloc((size_t)df * sizeof(*rel));
            int r = 0;
            for (size_t k = i; k < j; k++)
                if (k == i || p[k].doc != p[k - 1].doc)
                    rel[r++] = p[k].doc;
            eset_add(out, p[i].kw, rel, r, (int)(fnv1a(p[i].kw) & 1));
        }
        i = j;
    }
    free(p);
}

/* Title → own-abstract queries: every dev and test paper. */
static void title_queries(const struct corpus *c, struct eset *out)
{
    for (size_t i = 0; i < c->n; i++) {
        const char *sp = c->r[i].split;
        if (!sp || (strcmp(sp, "dev") != 0 && strcmp(sp, "test") != 0))
            continue;
        uint32_t *rel = xmalloc(sizeof(*rel));
        rel[0] = (uint32_t)i;
        eset_add(out, c->r[i].title, rel, 1, strcmp(sp, "test") == 0);
    }
}

/* Builds our index over the fields in use (title, keywords, abstract flags). */
static struct match_index *build_match(const struct corpus *c, const struct match_params *p,
                                       const bool use[MATCH_N_FIELDS])
{
    struct match_params q = *p;
    for (int f = 0; f < MATCH_N_FIELDS; f++)
        if (!use[f])
            q.w[f] = 0;
    struct match_builder *b = match_builder_new(&q);
    for (size_t i = 0; i < c->n; i++) {
        const struct corpus_rec *r = &c->r[i];
        struct match_doc d = {.id = (int64_t)i,
                              .text = {r->title, r->kw_text, r->abstract},
                              .discipline = r->discipline};
        match_builder_add(b, &d);
    }
    return match_builder_finish(b);
}

/* Builds an in-memory FTS5 table `ev` with tokenize='kc_cjk' over the fields in use;
 * rowid = corpus index + 1. */
static int build_fts(const struct corpus *c, const bool use[MATCH_N_FIELDS], struct db **out)
{
    static const char *names[MATCH_N_FIELDS] = {"title", "keywords", "abstract"};
    struct buf cols = {0}, sql = {0};
    int n_cols = 0;
    for (int f = 0; f < MATCH_N_FIELDS; f++)
        if (use[f]) {
            buf_printf(&cols, "%s%s", n_cols ? ", " : "", names[f]);
            n_cols++;
        }
    struct db *db = NULL;
    int rc = db_open(":memory:", &db);
    if (!rc) {
        buf_printf(&sql, "CREATE VIRTUAL TABLE ev USING fts5(%s, tokenize='kc_cjk')",
                   buf_str(&cols));
        rc = db_exec(db, buf_str(&sql));
    }
    buf_reset(&sql);
    buf_printf(&sql, "INSERT INTO ev(rowid, %s) VALUES(?", buf_str(&cols));
    for (int i = 0; i < n_cols; i++)
        buf_puts(&sql, ",?");
    buf_puts(&sql, ")");
    if (!rc)
        rc = db_begin(db);
    for (size_t i = 0; !rc && i < c->n; i++) {
        const struct corpus_rec *r = &c->r[i];
        const char *text[MATCH_N_FIELDS] = {r->title, r->kw_text, r->abstract};
        struct db_stmt *st = db_prep(db, buf_str(&sql));
        if (!st) {
            rc = KC_ERR_DB;
            break;
        }
        int idx = 1;
        rc = db_bind_int(st, idx++, (int64_t)i + 1);
        for (int f = 0; !rc && f < MATCH_N_FIELDS; f++)
            if (use[f])
                rc = db_bind_text(st, idx++, text[f]);
        if (!rc)
            rc = db_run(st);
        else
            db_done(st);
    }
    if (!rc)
        rc = db_commit(db);
    buf_free(&cols);
    buf_free(&sql);
    if (rc) {
        db_close(db);
        return rc;
    }
    *out = db;
    return 0;
}

/* The FTS5 query for text: the OR of its distinct kc_cjk query tokens, each quoted.
 * Appends to b; returns the number of tokens. */
static int fts_query(const char *text, struct buf *b)
{
    struct tok_iter it;
    struct tok_token t;
    int n = 0;
    buf_reset(b);
    tok_init(&it, text, (int)strlen(text), TOK_QUERY);
    while (tok_next(&it, &t)) {
        /* Skip repeats (a linear check: queries are short). */
        char quoted[TOK_MAX_BYTES + 3];
        snprintf(quoted, sizeof(quoted), "\"%s\"", t.text);
        if (strstr(buf_str(b), quoted))
            continue;
        buf_printf(b, "%s%s", n ? " OR " : "", quoted);
        n++;
    }
    return n;
}

/* Metric sums for one system and split. */
struct msum {
    double *per_query; /* nDCG@10 of each query in order (malloc'd) */
    double ndcg;       /* sum of nDCG@10 */
    double recall;     /* sum of recall@10 */
    double mrr;        /* sum of reciprocal ranks (0 beyond 10) */
    double ms;         /* total query time, milliseconds */
    int n;             /* queries */
};

/* Compares two doubles for qsort. */
static int dbl_cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Compares two uint32_t for bsearch. */
static int u32_cmp(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

/* Adds one ranked list (corpus indices, n of them) judged against q to s. */
static void judge(const struct equery *q, const uint32_t *ranked, int n, struct msum *s)
{
    double dcg = 0, idcg = 0;
    int hits = 0, first = 0;
    for (int i = 0; i < n && i < EVAL_K; i++) {
        bool rel = bsearch(&ranked[i], q->rel, (size_t)q->n_rel, sizeof(uint32_t), u32_cmp);
        if (rel) {
            dcg += 1.0 / log2(i + 2.0);
            hits++;
            if (!first)
                first = i + 1;
        }
    }
    for (int i = 0; i < q->n_rel && i < EVAL_K; i++)
        idcg += 1.0 / log2(i + 2.0);
    double v = idcg > 0 ? dcg / idcg : 0;
    s->per_query = xrealloc(s->per_query, (size_t)(s->n + 1) * sizeof(double));
    s->per_query[s->n] = v;
    s->ndcg += v;
    s->recall += (double)hits / q->n_rel;
    s->mrr += first ? 1.0 / first : 0;
    s->n++;
}

/* Milliseconds on the monotonic clock. */
static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* The systems compared. */
enum esys { SYS_FTS, SYS_BM25, SYS_MATCH, SYS_DISC, N_SYS };
static const char *sys_names[N_SYS] = {"fts5-bm25", "match-bm25", "match", "match+disc"};

/* Runs every query of set (only those whose split is in splits) on one system and
 * adds to sums[split]. */
static int run_system(enum esys sys, const struct eset *set, const bool splits[2], int max_queries,
                      struct db *fts, const struct match_index *ix, struct msum sums[2])
{
    struct match_ctx *c = ix ? match_ctx_new(ix) : NULL;
    struct match_hit hits[EVAL_K];
    uint32_t ranked[EVAL_K];
    struct buf qb = {0};
    int rc = 0, taken[2] = {0, 0};
    for (int i = 0; i < set->n && !rc; i++) {
        const struct equery *q = &set->q[i];
        if (!splits[q->split] || (max_queries && taken[q->split] >= max_queries))
            continue;
        taken[q->split]++;
        int n = 0;
        double t0 = now_ms();
        if (sys == SYS_FTS) {
            if (fts_query(q->text, &qb) > 0) {
                struct db_stmt *st =
                    db_query(fts, "SELECT rowid FROM ev WHERE ev MATCH ? ORDER BY rank LIMIT 10",
                             "s", buf_str(&qb));
                if (!st) {
                    rc = KC_ERR_DB;
                    break;
                }
                int s;
                while (n < EVAL_K && (s = db_step(st)) == DB_ROW)
                    ranked[n++] = (uint32_t)(db_col_int(st, 0) - 1);
                db_done(st);
            }
        } else {
            struct match_opts mo = {.k = EVAL_K, .text_only = sys != SYS_DISC};
            n = match_search(ix, c, q->text, (int)strlen(q->text), &mo, hits);
            for (int j = 0; j < n; j++)
                ranked[j] = (uint32_t)hits[j].id;
        }
        sums[q->split].ms += now_ms() - t0;
        judge(q, ranked, n < 0 ? 0 : n, &sums[q->split]);
    }
    buf_free(&qb);
    match_ctx_free(c);
    return rc;
}

/* The mean of b[i] - a[i] over n paired values and its 95% bootstrap interval
 * (2,000 resamples, fixed seed). */
static void paired_diff(const double *a, const double *b, int n, double *mean, double *lo,
                        double *hi)
{
    enum { R = 2000 };
    static double m[R];
    double sum = 0;
    for (int i = 0; i < n; i++)
        sum += b[i] - a[i];
    *mean = n ? sum / n : 0;
    uint64_t x = 0x9E3779B97F4A7C15ULL;
    for (int r = 0; r < R; r++) {
        double s = 0;
        for (int i = 0; i < n; i++) {
            x ^= x >> 12;
            x ^= x << 25;
            x ^= x >> 27;
            int j = (int)((x * 2685821657736338717ULL) % (uint64_t)n);
            s += b[j] - a[j];
        }
        m[r] = n ? s / n : 0;
    }
    qsort(m, R, sizeof(m[0]), dbl_cmp);
    *lo = m[R / 40];
    *hi = m[R - 1 - R / 40];
}

/* Order of evaluation queries for sampling: a fixed-seed shuffle. */
static void shuffle(struct eset *s)
{
    uint64_t x = 0x2545F4914F6CDD1DULL;
    for (int i = s->n - 1; i > 0; i--) {
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        int j = (int)((x * 2685821657736338717ULL) % (uint64_t)(i + 1));
        struct equery t = s->q[i];
        s->q[i] = s->q[j];
        s->q[j] = t;
    }
}

/* Runs one protocol and prints its rows. */
static int run_protocol(const struct corpus *c, const struct eval_opts *o, const char *name,
                        struct eset *set, const bool use[MATCH_N_FIELDS], FILE *out)
{
    bool splits[2] = {true, true};
    if (o->split && strcmp(o->split, "dev") == 0)
        splits[1] = false;
    if (o->split && strcmp(o->split, "test") == 0)
        splits[0] = false;
    bool merge = o->split && strcmp(o->split, "all") == 0;
    if (o->max_queries)
        shuffle(set);
    struct db *fts = NULL;
    int rc = build_fts(c, use, &fts);
    if (rc)
        return rc;
    struct match_params bm25 = match_params_default();
    for (int f = 0; f < MATCH_N_FIELDS; f++) {
        bm25.w[f] = 1;
        bm25.b[f] = 0.75;
    }
    bm25.k1 = 1.2;
    bm25.qtf_cap = 1;
    bm25.disc_bonus = 0;
    struct match_index *ix_bm25 = build_match(c, &bm25, use);
    struct match_index *ix = build_match(c, &o->params, use);
    struct match_params pd = o->params;
    pd.disc_infer = 1;
    struct match_index *ix_disc = build_match(c, &pd, use);
    struct msum base[2] = {{0}};
    for (int sys = 0; sys < N_SYS && !rc; sys++) {
        if (sys == SYS_DISC && o->params.disc_bonus <= 0)
            continue;
        const struct match_index *x = sys == SYS_FTS    ? NULL
                                      : sys == SYS_BM25 ? ix_bm25
                                      : sys == SYS_DISC ? ix_disc
                                                        : ix;
        struct msum sums[2] = {{0}};
        rc = run_system((enum esys)sys, set, splits, o->max_queries, fts, x, sums);
        if (merge) {
            sums[0].per_query =
                xrealloc(sums[0].per_query, (size_t)(sums[0].n + sums[1].n + 1) * sizeof(double));
            memcpy(sums[0].per_query + sums[0].n, sums[1].per_query,
                   (size_t)sums[1].n * sizeof(double));
            sums[0].ndcg += sums[1].ndcg;
            sums[0].recall += sums[1].recall;
            sums[0].mrr += sums[1].mrr;
            sums[0].ms += sums[1].ms;
            sums[0].n += sums[1].n;
            sums[1].n = 0;
        }
        for (int sp = 0; sp < 2 && !rc; sp++) {
            if (!sums[sp].n)
                continue;
            double n = sums[sp].n;
            fprintf(out, "%-22s %-5s %7d  %-11s %8.4f %8.4f %8.4f %9.3f", name,
                    merge ? "all"
                    : sp  ? "test"
                          : "dev",
                    sums[sp].n, sys_names[sys], sums[sp].ndcg / n, sums[sp].recall / n,
                    sums[sp].mrr / n, sums[sp].ms / n);
            if (sys != SYS_FTS && base[sp].n == sums[sp].n) {
                double d, lo, hi;
                paired_diff(base[sp].per_query, sums[sp].per_query, sums[sp].n, &d, &lo, &hi);
                fprintf(out, "  %+.4f [%+.4f, %+.4f]", d, lo, hi);
            }
            fputc('\n', out);
        }
        for (int sp = 0; sp < 2; sp++) {
            if (sys == SYS_FTS) {
                base[sp] = sums[sp];
            } else {
                free(sums[sp].per_query);
            }
        }
    }
    free(base[0].per_query);
    free(base[1].per_query);
    match_index_free(ix);
    match_index_free(ix_disc);
    match_index_free(ix_bm25);
    db_close(fts);
    return rc;
}

/* Runs the selected protocols and prints the table. */
int eval_run(const struct corpus *c, const struct eval_opts *o, FILE *out)
{
    const struct match_params *p = &o->params;
    fprintf(out,
            "# corpus: %zu papers; match params: k1=%.2f w(title,keywords,abstract)=%.2f,%.2f,%.2f "
            "b=%.2f,%.2f,%.2f qtf_cap=%d disc_bonus=%.2f (match+disc: inferred, min share %.2f of "
            "the top %d)\n",
            c->n, p->k1, p->w[0], p->w[1], p->w[2], p->b[0], p->b[1], p->b[2], p->qtf_cap,
            p->disc_bonus, p->disc_min_share, p->disc_vote_k);
    fprintf(out, "%-22s %-5s %7s  %-11s %8s %8s %8s %9s  %s\n", "protocol", "split", "queries",
            "system", "nDCG@10", "R@10", "MRR@10", "ms/query", "nDCG-fts5 [95% CI]");
    int rc = 0;
    const bool title_abs[MATCH_N_FIELDS] = {true, false, true};
    const bool abs_only[MATCH_N_FIELDS] = {false, false, true};
    if (!o->only || strcmp(o->only, "topic3") == 0) {
        struct eset s = {0};
        topic_queries(c, 3, &s);
        rc = run_protocol(c, o, "keyword-as-topic(3-50)", &s, title_abs, out);
        eset_free(&s);
    }
    if (!rc && (!o->only || strcmp(o->only, "topic2") == 0)) {
        struct eset s = {0};
        topic_queries(c, 2, &s);
        rc = run_protocol(c, o, "keyword-as-topic(2-50)", &s, title_abs, out);
        eset_free(&s);
    }
    if (!rc && (!o->only || strcmp(o->only, "title") == 0)) {
        struct eset s = {0};
        title_queries(c, &s);
        rc = run_protocol(c, o, "title->abstract", &s, abs_only, out);
        eset_free(&s);
    }
    return rc;
}
