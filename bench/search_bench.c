/*
 * search_bench.c — speed of the matcher against SQLite FTS5 on a synthetic corpus.
 *
 * SPEED ONLY. The corpus is generated from the 4,758 real CSL abstracts (embedded
 * data/corpus/csl.jsonl): each document takes a random real title, 3–6 random real
 * keywords, and an abstract of random real sentences, shuffled, as long as a random
 * real abstract (fixed seed). The vocabulary and term statistics are those of 4.8k
 * papers scaled up, so posting-list shapes are not those of a real 1M corpus; never use
 * this corpus for quality figures.
 *
 * Reports: our index build time, memory (index bytes, RSS), top-10 latency p50/p99 of
 * the pruned (MaxScore) and exhaustive searches; the same queries against FTS5 with the
 * kc_cjk tokenizer (OR of the query's tokens) and with the built-in trigram tokenizer
 * (OR of the query's trigrams), ORDER BY rank LIMIT 10; build times, sizes and the
 * latency ratios. Queries: the hand-written demands of tests/search/demands.jsonl and
 * demand-length texts (50–300 characters) built from random real sentences.
 *
 * usage: search_bench [--docs N] [--queries N] [--fts-docs N] [--fts-queries N] [--no-fts]
 *                     [--no-trigram] [--seed S] [--tmp DIR] [--demands FILE] [--keep]
 */
#include "core/buf.h"
#include "core/xalloc.h"
#include "db/db.h"
#include "search/corpus.h"
#include "search/match.h"
#include "search/tok.h"

#include <getopt.h>
#include <jansson.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* Material the synthetic documents are drawn from. */
struct pool {
    const struct corpus *c; /* the real corpus */
    char **sent;            /* sentences of the real abstracts (malloc'd copies) */
    size_t n_sent;          /* their count */
    const char **kw;        /* every real keyword (borrowed) */
    size_t n_kw;            /* their count */
};

/* One generated document; the text buffers are reused between documents. */
struct gdoc {
    const char *title;      /* a real title (borrowed) */
    const char *discipline; /* that paper's discipline (borrowed) */
    struct buf kw;          /* keywords joined by "；" */
    struct buf abstract;    /* sentences */
};

/* splitmix64: the per-document and per-query generator. */
static uint64_t mix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

/* Milliseconds on the monotonic clock. */
static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* A /proc/self/status value in MiB ("VmRSS", "VmHWM"). */
static double proc_mib(const char *key)
{
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    double v = 0;
    size_t n = strlen(key);
    while (f && fgets(line, sizeof(line), f))
        if (strncmp(line, key, n) == 0 && line[n] == ':')
            v = atof(line + n + 1) / 1024.0;
    if (f)
        fclose(f);
    return v;
}

/* True when the bytes at p end a sentence (Chinese or ASCII terminator; an ASCII
 * full stop only when no digit follows, so decimals stay whole). Sets *len. */
static int sentence_end(const char *p, int *len)
{
    static const char *cjk[] = {"。", "；", "！", "？"};
    for (int i = 0; i < 4; i++)
        if (strncmp(p, cjk[i], 3) == 0) {
            *len = 3;
            return 1;
        }
    if ((*p == '.' || *p == ';' || *p == '!' || *p == '?') && !(p[1] >= '0' && p[1] <= '9')) {
        *len = 1;
        return 1;
    }
    return 0;
}

/* Splits every abstract into sentences and collects the keywords. */
static void pool_build(const struct corpus *c, struct pool *p)
{
    size_t cap = 0, kcap = 0;
    p->c = c;
    for (size_t i = 0; i < c->n; i++) {
        const char *s = c->r[i].abstract, *start = s;
        for (const char *q = s; *q;) {
            int len = 0;
            if (sentence_end(q, &len) || !q[1]) {
                const char *end = q + (len ? len : 1);
                if (end - start >= 12) {
                    if (p->n_sent == cap) {
                        cap = cap ? cap * 2 : 8192;
                        p->sent = xrealloc(p->sent, cap * sizeof(*p->sent));
                    }
                    p->sent[p->n_sent] = xmalloc((size_t)(end - start) + 1);
                    memcpy(p->sent[p->n_sent], start, (size_t)(end - start));
                    p->sent[p->n_sent++][end - start] = '\0';
                }
                start = q = end;
                continue;
            }
            q++;
        }
        for (int k = 0; k < c->r[i].n_kw; k++) {
            if (p->n_kw == kcap) {
                kcap = kcap ? kcap * 2 : 8192;
                p->kw = xrealloc(p->kw, kcap * sizeof(*p->kw));
            }
            p->kw[p->n_kw++] = c->r[i].kw[k];
        }
    }
}

/* Generates document i of the corpus with seed. */
static void gen_doc(const struct pool *p, uint64_t seed, uint32_t i, struct gdoc *d)
{
    uint64_t x = seed ^ ((uint64_t)i * 0xD1B54A32D192ED03ULL);
    const struct corpus_rec *r = &p->c->r[mix64(&x) % p->c->n];
    d->title = r->title;
    d->discipline = r->discipline;
    buf_reset(&d->kw);
    int nk = 3 + (int)(mix64(&x) % 4);
    for (int k = 0; k < nk; k++) {
        if (k)
            buf_puts(&d->kw, "；");
        buf_puts(&d->kw, p->kw[mix64(&x) % p->n_kw]);
    }
    size_t target = strlen(p->c->r[mix64(&x) % p->c->n].abstract);
    buf_reset(&d->abstract);
    while (d->abstract.len < target)
        buf_puts(&d->abstract, p->sent[mix64(&x) % p->n_sent]);
}

/* A query set. */
struct qset {
    const char *name; /* label */
    char **q;         /* texts (malloc'd) */
    int n;            /* count */
    double *ms;       /* our pruned latency of each query (malloc'd), for the ratios */
};

/* Demand-length queries: random real sentences up to a length of 50–300 characters. */
static void gen_queries(const struct pool *p, uint64_t seed, int n, struct qset *out)
{
    out->name = "generated 50-300 chars";
    out->q = xmalloc((size_t)n * sizeof(*out->q));
    out->n = n;
    uint64_t x = seed ^ 0xA5A5A5A5ULL;
    for (int i = 0; i < n; i++) {
        size_t chars = 50 + mix64(&x) % 251;
        struct buf b = {0};
        while (1) {
            buf_puts(&b, p->sent[mix64(&x) % p->n_sent]);
            /* Cut at the wanted number of characters. */
            size_t k = 0, at = 0;
            for (; at < b.len && k < chars; k++)
                do
                    at++;
                while (at < b.len && (b.data[at] & 0xC0) == 0x80);
            if (k == chars) {
                b.data[at] = '\0';
                b.len = at;
                break;
            }
        }
        out->q[i] = buf_take(&b, NULL);
    }
}

/* Reads the "text" of each JSON line of path; returns 0 or -1 when unreadable. */
static int load_demands(const char *path, struct qset *out)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    out->name = "hand-written demands";
    char *line = NULL;
    size_t cap = 0;
    while (getline(&line, &cap, f) != -1) {
        json_t *o = json_loads(line, 0, NULL);
        const char *t = json_string_value(json_object_get(o, "text"));
        if (t) {
            out->q = xrealloc(out->q, (size_t)(out->n + 1) * sizeof(*out->q));
            out->q[out->n++] = xstrdup(t);
        }
        json_decref(o);
    }
    free(line);
    fclose(f);
    return out->n ? 0 : -1;
}

/* Sorts doubles for percentiles. */
static int dbl_cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Latency summary of n samples (sorted in place). */
struct lat {
    double p50, p99, mean, max; /* milliseconds */
    int n;                      /* samples */
};

/* Summarises n latency samples. */
static struct lat summarise(double *ms, int n)
{
    struct lat l = {0};
    if (!n)
        return l;
    qsort(ms, (size_t)n, sizeof(*ms), dbl_cmp);
    double s = 0;
    for (int i = 0; i < n; i++)
        s += ms[i];
    l.n = n;
    l.mean = s / n;
    l.p50 = ms[(n - 1) / 2];
    l.p99 = ms[(int)((n - 1) * 0.99 + 0.5)];
    l.max = ms[n - 1];
    return l;
}

/* Prints one latency row. */
static void print_lat(const char *engine, const char *set, struct lat l)
{
    printf("  %-26s %-24s n=%-4d p50 %9.3f ms  p99 %9.3f ms  mean %9.3f ms  max %9.3f ms\n", engine,
           set, l.n, l.p50, l.p99, l.mean, l.max);
}

/* Times our matcher over a query set (one warm-up pass, then the measured one). */
static struct lat time_match(const struct match_index *ix, struct qset *qs, bool exhaustive,
                             double *avg_terms)
{
    struct match_ctx *c = match_ctx_new(ix);
    struct match_hit hits[10];
    struct match_opts o = {.k = 10, .exhaustive = exhaustive, .text_only = true};
    double *ms = xmalloc((size_t)qs->n * sizeof(*ms));
    long terms = 0;
    struct match_work sum = {0};
    for (int pass = 0; pass < 2; pass++)
        for (int i = 0; i < qs->n; i++) {
            double t0 = now_ms();
            int n = match_search(ix, c, qs->q[i], (int)strlen(qs->q[i]), &o, hits);
            ms[i] = now_ms() - t0;
            if (n < 0)
                abort();
            if (pass == 1) {
                struct match_work w;
                match_ctx_work(c, &w);
                sum.postings += w.postings;
                sum.scored += w.scored;
                sum.candidates += w.candidates;
                sum.probes += w.probes;
                sum.windows += w.windows;
                sum.windows_skipped += w.windows_skipped;
                struct tok_iter it;
                struct tok_token t;
                tok_init(&it, qs->q[i], (int)strlen(qs->q[i]), TOK_QUERY);
                while (tok_next(&it, &t))
                    terms++;
            }
        }
    *avg_terms = (double)terms / qs->n;
    if (!exhaustive) {
        free(qs->ms);
        qs->ms = xmalloc((size_t)qs->n * sizeof(*qs->ms));
        memcpy(qs->ms, ms, (size_t)qs->n * sizeof(*ms));
    }
    if (!exhaustive)
        printf("  work per query (%s): postings %.0f, accumulated %.0f (%.1f%%), candidates %.0f, "
               "probes %.0f, windows skipped %.0f of %.0f\n",
               qs->name, (double)sum.postings / qs->n, (double)sum.scored / qs->n,
               sum.postings ? 100.0 * sum.scored / sum.postings : 0, (double)sum.candidates / qs->n,
               (double)sum.probes / qs->n, (double)sum.windows_skipped / qs->n,
               (double)sum.windows / qs->n);
    struct lat l = summarise(ms, qs->n);
    free(ms);
    match_ctx_free(c);
    return l;
}

/* The FTS5 query for text: OR of its distinct kc_cjk tokens (trigram = 0) or of its
 * distinct 3-character substrings within runs of letters, digits and CJK (trigram =
 * 1; shorter runs cannot be searched with trigram). Returns the number of terms. */
static int fts_query(const char *text, int trigram, struct buf *b)
{
    buf_reset(b);
    int n = 0;
    char quoted[TOK_MAX_BYTES + 16];
    if (!trigram) {
        struct tok_iter it;
        struct tok_token t;
        tok_init(&it, text, (int)strlen(text), TOK_QUERY);
        while (tok_next(&it, &t)) {
            snprintf(quoted, sizeof(quoted), "\"%s\"", t.text);
            if (strstr(buf_str(b), quoted))
                continue;
            buf_printf(b, "%s%s", n++ ? " OR " : "", quoted);
        }
        return n;
    }
    /* Character offsets of the current run of word/CJK code points. */
    int len = (int)strlen(text), starts[1024], k = 0;
    for (int off = 0; off <= len;) {
        uint32_t cp = 0;
        int l = off < len ? tok_decode(text + off, len - off, &cp) : 0;
        bool in = l > 0 && (tok_is_cjk(cp) || tok_is_word(cp));
        if (in && k < 1023) {
            starts[k++] = off;
            off += l;
            continue;
        }
        if (k >= 3) {
            starts[k] = off;
            for (int i = 0; i + 3 <= k; i++) {
                snprintf(quoted, sizeof(quoted), "\"%.*s\"", starts[i + 3] - starts[i],
                         text + starts[i]);
                if (strstr(buf_str(b), quoted))
                    continue;
                buf_printf(b, "%s%s", n++ ? " OR " : "", quoted);
            }
        }
        k = 0;
        off += l > 0 ? l : 1;
    }
    return n;
}

/* Builds an FTS5 table with tokenizer tk over n_docs generated documents in a new
 * database file path; reports build and optimize times and the file size. */
static struct db *build_fts(const struct pool *p, uint64_t seed, uint32_t n_docs, const char *tk,
                            const char *path)
{
    unlink(path);
    struct db *db = NULL;
    if (db_open(path, &db) != 0)
        return NULL;
    char sql[256];
    snprintf(sql, sizeof(sql),
             "PRAGMA cache_size=-1000000; CREATE VIRTUAL TABLE d USING "
             "fts5(title, keywords, abstract, tokenize='%s')",
             tk);
    if (db_exec(db, sql) != 0) {
        db_close(db);
        return NULL;
    }
    struct gdoc g = {0};
    double t0 = now_ms();
    int rc = db_begin(db);
    for (uint32_t i = 0; i < n_docs && !rc; i++) {
        gen_doc(p, seed, i, &g);
        rc =
            db_run(db_query(db, "INSERT INTO d(rowid, title, keywords, abstract) VALUES(?,?,?,?)",
                            "isss", (int64_t)i + 1, g.title, buf_str(&g.kw), buf_str(&g.abstract)));
        if (!rc && (i + 1) % 20000 == 0) {
            rc = db_commit(db);
            if (!rc)
                rc = db_begin(db);
        }
    }
    if (!rc)
        rc = db_commit(db);
    double t1 = now_ms();
    if (!rc)
        rc = db_exec(db, "INSERT INTO d(d) VALUES('optimize')");
    double t2 = now_ms();
    buf_free(&g.kw);
    buf_free(&g.abstract);
    if (rc) {
        db_close(db);
        return NULL;
    }
    struct stat st;
    stat(path, &st);
    printf("FTS5 %-8s build %u docs: insert %.1f s, optimize %.1f s, file %.0f MiB\n", tk, n_docs,
           (t1 - t0) / 1e3, (t2 - t1) / 1e3, st.st_size / 1048576.0);
    return db;
}

/* Times an FTS5 table over the first max_q queries of a set (one warm-up query). */
static struct lat time_fts(struct db *db, const struct qset *qs, int trigram, int max_q,
                           double *avg_terms)
{
    int n = qs->n < max_q ? qs->n : max_q;
    double *ms = xmalloc((size_t)(n ? n : 1) * sizeof(*ms));
    struct buf q = {0};
    long terms = 0;
    int done = 0;
    for (int i = -1; i < n; i++) {
        const char *text = qs->q[i < 0 ? 0 : i];
        int nt = fts_query(text, trigram, &q);
        if (i >= 0)
            terms += nt;
        double t0 = now_ms();
        if (nt > 0) {
            struct db_stmt *st = db_query(
                db, "SELECT rowid FROM d WHERE d MATCH ? ORDER BY rank LIMIT 10", "s", buf_str(&q));
            while (st && db_step(st) == DB_ROW)
                ;
            if (st)
                db_done(st);
        }
        if (i >= 0)
            ms[done++] = now_ms() - t0;
    }
    buf_free(&q);
    *avg_terms = n ? (double)terms / n : 0;
    struct lat l = summarise(ms, done);
    free(ms);
    return l;
}

/* Parses the options, builds our index and the FTS5 tables, and prints the report. */
int main(int argc, char **argv)
{
    uint32_t n_docs = 1000000, fts_docs = 0;
    int n_queries = 200, fts_queries = 30, no_fts = 0, no_tri = 0, keep = 0;
    uint64_t seed = 20240601;
    const char *tmp = "/tmp", *demands = "tests/search/demands.jsonl";
    static const struct option lo[] = {
        {"docs", required_argument, 0, 'n'},     {"queries", required_argument, 0, 'q'},
        {"fts-docs", required_argument, 0, 'f'}, {"fts-queries", required_argument, 0, 'F'},
        {"no-fts", no_argument, 0, 'x'},         {"no-trigram", no_argument, 0, 'T'},
        {"seed", required_argument, 0, 's'},     {"tmp", required_argument, 0, 't'},
        {"demands", required_argument, 0, 'd'},  {"keep", no_argument, 0, 'k'},
        {"help", no_argument, 0, 'h'},           {0, 0, 0, 0}};
    int c;
    while ((c = getopt_long(argc, argv, "h", lo, NULL)) != -1) {
        switch (c) {
        case 'n':
            n_docs = (uint32_t)strtoul(optarg, NULL, 10);
            break;
        case 'q':
            n_queries = atoi(optarg);
            break;
        case 'f':
            fts_docs = (uint32_t)strtoul(optarg, NULL, 10);
            break;
        case 'F':
            fts_queries = atoi(optarg);
            break;
        case 'x':
            no_fts = 1;
            break;
        case 'T':
            no_tri = 1;
            break;
        case 's':
            seed = strtoull(optarg, NULL, 10);
            break;
        case 't':
            tmp = optarg;
            break;
        case 'd':
            demands = optarg;
            break;
        case 'k':
            keep = 1;
            break;
        default:
            fprintf(stderr, "usage: search_bench [--docs N] [--queries N] [--fts-docs N] "
                            "[--fts-queries N] [--no-fts] [--no-trigram] [--seed S] [--tmp DIR] "
                            "[--demands FILE] [--keep]\n");
            return c == 'h' ? 0 : 2;
        }
    }
    if (!fts_docs)
        fts_docs = n_docs;
    if (n_docs < 1 || n_queries < 1) {
        fprintf(stderr, "search_bench: --docs and --queries must be positive\n");
        return 2;
    }
    cpu_set_t one;
    CPU_ZERO(&one);
    CPU_SET(0, &one);
    int pinned = sched_setaffinity(0, sizeof(one), &one) == 0;
    printf("# search_bench — SPEED ONLY: a synthetic corpus of shuffled real CSL sentences "
           "(seed %llu); never use it for quality figures.\n",
           (unsigned long long)seed);
    printf("# one core%s; top-10, OR semantics over each query's tokens.\n",
           pinned ? " (pinned to CPU 0)" : "");

    struct corpus corp = {0};
    if (corpus_load(NULL, &corp) != 0) {
        fprintf(stderr, "search_bench: no embedded corpus\n");
        return 1;
    }
    struct pool pool = {0};
    pool_build(&corp, &pool);
    struct qset sets[2] = {{0}};
    int n_sets = 0;
    if (load_demands(demands, &sets[0]) == 0)
        n_sets++;
    else
        fprintf(stderr, "search_bench: %s not readable; generated queries only\n", demands);
    gen_queries(&pool, seed, n_queries, &sets[n_sets++]);
    printf("# material: %zu papers, %zu sentences, %zu keywords; query sets:", corp.n, pool.n_sent,
           pool.n_kw);
    for (int s = 0; s < n_sets; s++)
        printf(" %s (%d)", sets[s].name, sets[s].n);
    printf("\n\n");

    /* Our index. */
    double rss0 = proc_mib("VmRSS");
    struct match_params mp = match_params_default();
    struct match_builder *b = match_builder_new(&mp);
    struct gdoc g = {0};
    double t0 = now_ms();
    for (uint32_t i = 0; i < n_docs; i++) {
        gen_doc(&pool, seed, i, &g);
        struct match_doc d = {.id = (int64_t)i + 1,
                              .text = {g.title, buf_str(&g.kw), buf_str(&g.abstract)},
                              .discipline = g.discipline};
        match_builder_add(b, &d);
    }
    double t_add = now_ms() - t0;
    struct match_index *ix = match_builder_finish(b);
    double t_build = now_ms() - t0;
    struct match_stats st;
    match_index_stats(ix, &st);
    printf("match index: %u docs, %u terms, %llu postings; build %.1f s (tokenize+collect "
           "%.1f s, finish %.1f s)\n",
           st.n_docs, st.n_terms, (unsigned long long)st.n_postings, t_build / 1e3, t_add / 1e3,
           (t_build - t_add) / 1e3);
    printf("match memory: index %.0f MiB; process RSS %.0f MiB (+%.0f MiB), peak RSS %.0f MiB\n\n",
           st.bytes / 1048576.0, proc_mib("VmRSS"), proc_mib("VmRSS") - rss0, proc_mib("VmHWM"));

    struct lat ours[2], all[2], full[2], fk[2] = {{0}}, ft[2] = {{0}};
    double terms[2], tk[2] = {0}, tt[2] = {0};
    printf("latency (warm; ours: 2nd pass of every query):\n");
    for (int s = 0; s < n_sets; s++) {
        ours[s] = time_match(ix, &sets[s], false, &terms[s]);
        all[s] = ours[s];
        full[s] = time_match(ix, &sets[s], true, &terms[s]);
        print_lat("match (MaxScore)", sets[s].name, ours[s]);
        print_lat("match (exhaustive)", sets[s].name, full[s]);
    }
    printf("  query tokens per query:");
    for (int s = 0; s < n_sets; s++)
        printf(" %s %.0f", sets[s].name, terms[s]);
    printf("\n\n");
    match_index_free(ix);

    if (!no_fts) {
        char path[512];
        for (int tri = 0; tri < 2; tri++) {
            if (tri && no_tri)
                continue;
            const char *tkn = tri ? "trigram" : "kc_cjk";
            snprintf(path, sizeof(path), "%s/kc-search-bench-%s.db", tmp, tkn);
            struct db *db = build_fts(&pool, seed, fts_docs, tkn, path);
            if (!db) {
                fprintf(stderr, "search_bench: FTS5 %s build failed\n", tkn);
                continue;
            }
            for (int s = 0; s < n_sets; s++) {
                struct lat l = time_fts(db, &sets[s], tri, fts_queries, tri ? &tt[s] : &tk[s]);
                char name[64];
                snprintf(name, sizeof(name), "FTS5 %s (%u docs)", tkn, fts_docs);
                print_lat(name, sets[s].name, l);
                if (tri)
                    ft[s] = l;
                else
                    fk[s] = l;
            }
            db_close(db);
            if (!keep) {
                char side[600];
                unlink(path);
                snprintf(side, sizeof(side), "%s-wal", path);
                unlink(side);
                snprintf(side, sizeof(side), "%s-shm", path);
                unlink(side);
            }
        }
        printf("\nratios (FTS5 / ours, on the same %d queries of each set%s):\n", fts_queries,
               fts_docs == n_docs ? "" : "; FTS5 on fewer documents");
        for (int s = 0; s < n_sets; s++) {
            /* Ours on exactly the queries FTS5 ran. */
            int m = sets[s].n < fts_queries ? sets[s].n : fts_queries;
            double *sub = xmalloc((size_t)m * sizeof(*sub));
            memcpy(sub, sets[s].ms, (size_t)m * sizeof(*sub));
            ours[s] = summarise(sub, m);
            free(sub);
            printf("  ours    %-24s p50 %8.3f ms  p99 %8.3f ms (those %d queries)\n", sets[s].name,
                   ours[s].p50, ours[s].p99, m);
            if (fk[s].n)
                printf("  kc_cjk  %-24s p50 %8.1fx  p99 %8.1fx  (FTS5 terms/query %.0f)\n",
                       sets[s].name, fk[s].p50 / ours[s].p50, fk[s].p99 / ours[s].p99, tk[s]);
            if (ft[s].n)
                printf("  trigram %-24s p50 %8.1fx  p99 %8.1fx  (FTS5 terms/query %.0f)\n",
                       sets[s].name, ft[s].p50 / ours[s].p50, ft[s].p99 / ours[s].p99, tt[s]);
        }
    }
    printf("\ngoal at 1,000,000 docs: p50 <= 5 ms, p99 <= 20 ms (ours, %u docs, all queries:",
           n_docs);
    for (int s = 0; s < n_sets; s++)
        printf(" %s p50 %.2f / p99 %.2f ms%s", sets[s].name, all[s].p50, all[s].p99,
               s + 1 < n_sets ? ";" : ")\n");
    buf_free(&g.kw);
    buf_free(&g.abstract);
    for (int s = 0; s < n_sets; s++) {
        for (int i = 0; i < sets[s].n; i++)
            free(sets[s].q[i]);
        free(sets[s].q);
        free(sets[s].ms);
    }
    for (size_t i = 0; i < pool.n_sent; i++)
        free(pool.sent[i]);
    free(pool.sent);
    free(pool.kw);
    corpus_free(&corp);
    return 0;
}
