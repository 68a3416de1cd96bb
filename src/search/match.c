/* match.c — BM25F impact index with windowed MaxScore top-k (design in match.h and
 * src/search/README.md). */
#include "search/match.h"
#include "core/err.h"
#include "core/xalloc.h"
#include "search/tok.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Postings read to seed the MaxScore threshold, and the seeding hash table's size. */
#define SEED_BUDGET 32768
#define SEED_SLOTS 65536
/* Largest quantized impact. */
#define IMPACT_MAX 255

/* ------------------------------------------------------------------ dictionary */

/* Term dictionary: open addressing from a 64-bit term key to a term number. CJK
 * tokens have exact integer keys (kind and code points); words have a hash key and
 * their text in the pool, compared on a key match. */
struct dict {
    uint64_t *key;      /* per term: its key */
    uint32_t *text_off; /* per term: offset of its NUL-terminated text in pool */
    uint32_t n;         /* terms */
    uint32_t cap;       /* capacity of the per-term arrays */
    uint32_t *slot;     /* hash slots: term number + 1, 0 = empty */
    uint32_t mask;      /* number of slots - 1 */
    char *pool;         /* term texts */
    size_t pool_len;    /* bytes used in pool */
    size_t pool_cap;    /* bytes allocated */
};

/* The dictionary key of a token (see struct dict). */
static uint64_t term_key(const struct tok_token *t)
{
    if (t->kind != TOK_WORD)
        return ((uint64_t)t->kind << 62) | ((uint64_t)t->cp[0] << 21) | t->cp[1];
    uint64_t h = 1469598103934665603ULL;
    for (int i = 0; i < t->len; i++)
        h = (h ^ (unsigned char)t->text[i]) * 1099511628211ULL;
    return (3ULL << 62) | (h >> 2);
}

/* Scrambles a key into a slot hash. */
static uint32_t key_hash(uint64_t k)
{
    k ^= k >> 33;
    k *= 0xff51afd7ed558ccdULL;
    k ^= k >> 33;
    return (uint32_t)k;
}

/* True when term number id is the token t with key k. */
static bool dict_same(const struct dict *d, uint32_t id, uint64_t k, const struct tok_token *t)
{
    if (d->key[id] != k)
        return false;
    return t->kind != TOK_WORD || strcmp(d->pool + d->text_off[id], t->text) == 0;
}

/* Returns the term number of t (key k), or UINT32_MAX when absent. */
static uint32_t dict_find(const struct dict *d, const struct tok_token *t, uint64_t k)
{
    if (!d->slot)
        return UINT32_MAX;
    for (uint32_t h = key_hash(k) & d->mask;; h = (h + 1) & d->mask) {
        uint32_t s = d->slot[h];
        if (!s)
            return UINT32_MAX;
        if (dict_same(d, s - 1, k, t))
            return s - 1;
    }
}

/* Returns the term number whose key is k (and, for words, whose text is text), or
 * UINT32_MAX when absent: the lookup of a term of another dictionary. */
static uint32_t dict_find_key(const struct dict *d, uint64_t k, const char *text)
{
    if (!d->slot)
        return UINT32_MAX;
    bool word = (k >> 62) == 3;
    for (uint32_t h = key_hash(k) & d->mask;; h = (h + 1) & d->mask) {
        uint32_t s = d->slot[h];
        if (!s)
            return UINT32_MAX;
        if (d->key[s - 1] == k && (!word || strcmp(d->pool + d->text_off[s - 1], text) == 0))
            return s - 1;
    }
}

/* Doubles the slot table (or creates it) and reinserts every term. */
static void dict_rehash(struct dict *d)
{
    uint32_t n_slots = d->slot ? (d->mask + 1) * 2 : 1024;
    free(d->slot);
    d->slot = xcalloc(n_slots, sizeof(*d->slot));
    d->mask = n_slots - 1;
    for (uint32_t id = 0; id < d->n; id++) {
        uint32_t h = key_hash(d->key[id]) & d->mask;
        while (d->slot[h])
            h = (h + 1) & d->mask;
        d->slot[h] = id + 1;
    }
}

/* Returns the term number of t (key k), adding it when new; *added tells which. */
static uint32_t dict_add(struct dict *d, const struct tok_token *t, uint64_t k, bool *added)
{
    *added = false;
    uint32_t id = dict_find(d, t, k);
    if (id != UINT32_MAX)
        return id;
    if (!d->slot || (uint64_t)(d->n + 1) * 2 > (uint64_t)d->mask + 1)
        dict_rehash(d);
    if (d->n == d->cap) {
        d->cap = d->cap ? d->cap * 2 : 4096;
        d->key = xrealloc(d->key, d->cap * sizeof(*d->key));
        d->text_off = xrealloc(d->text_off, d->cap * sizeof(*d->text_off));
    }
    if (d->pool_len + (size_t)t->len + 1 > d->pool_cap) {
        d->pool_cap = d->pool_cap ? d->pool_cap * 2 : 65536;
        d->pool = xrealloc(d->pool, d->pool_cap);
    }
    id = d->n++;
    d->key[id] = k;
    d->text_off[id] = (uint32_t)d->pool_len;
    memcpy(d->pool + d->pool_len, t->text, (size_t)t->len + 1);
    d->pool_len += (size_t)t->len + 1;
    uint32_t h = key_hash(k) & d->mask;
    while (d->slot[h])
        h = (h + 1) & d->mask;
    d->slot[h] = id + 1;
    *added = true;
    return id;
}

/* Frees a dictionary's memory. */
static void dict_free(struct dict *d)
{
    free(d->key);
    free(d->text_off);
    free(d->slot);
    free(d->pool);
}

/* ------------------------------------------------------------------ index */

/* A (document, term) pair collected while building: term-frequencies per field. */
struct fwd {
    uint32_t tid;               /* term number */
    uint8_t tf[MATCH_N_FIELDS]; /* occurrences per field, saturating at 255 */
};

/* Build state: the dictionary, the forward list of (doc, term) pairs and per-doc data. */
struct match_builder {
    struct match_params p;           /* ranking parameters */
    struct dict d;                   /* terms */
    uint32_t *df;                    /* per term: documents containing it */
    uint32_t *last_doc;              /* per term: last document (number + 1) that had it */
    uint64_t *fwd_slot;              /* per term: its pair in fwd for that document */
    uint32_t term_cap;               /* capacity of the three arrays above */
    struct fwd *fwd;                 /* pairs, document by document */
    uint64_t n_fwd;                  /* pairs used */
    uint64_t cap_fwd;                /* pairs allocated */
    uint32_t n_docs;                 /* documents added */
    uint32_t cap_docs;               /* capacity of the per-document arrays */
    uint64_t *doc_fwd;               /* per document: its first pair (n_docs + 1 entries) */
    int64_t *ids;                    /* per document: caller's id */
    uint32_t (*len)[MATCH_N_FIELDS]; /* per document: field lengths in tokens */
    uint16_t *disc;                  /* per document: discipline number + 1, 0 = none */
    char **disc_names;               /* discipline labels */
    uint32_t n_disc;                 /* labels */
    double sum_len[MATCH_N_FIELDS];  /* total field lengths */
    bool unsorted;                   /* some id was not larger than the one before it */
};

/* The built index (see match.h). Posting lists are slices of post_doc/post_imp. */
struct match_index {
    struct match_params p;           /* ranking parameters */
    struct dict d;                   /* terms */
    uint32_t n_docs;                 /* documents */
    int64_t *ids;                    /* per document: caller's id */
    uint32_t (*len)[MATCH_N_FIELDS]; /* per document: field lengths in tokens */
    uint16_t *disc;                  /* per document: discipline number + 1, 0 = none */
    char **disc_names;               /* discipline labels */
    uint32_t n_disc;                 /* labels */
    double avg_len[MATCH_N_FIELDS];  /* average field lengths */
    float *idf;                      /* per term: BM25 idf */
    uint32_t *df;                    /* per term: posting count */
    uint64_t *post_off;              /* per term: first posting */
    uint64_t *blk_off;               /* per term: first block maximum */
    uint8_t *max_imp;                /* per term: largest impact */
    uint32_t *post_doc;              /* postings: document numbers, ascending per term */
    uint8_t *post_imp;               /* postings: quantized impacts */
    uint8_t *blk_max;                /* per block of MATCH_BLOCK postings: largest impact */
    uint32_t *blk_last;              /* per block: its last document (skips read only this) */
    uint32_t *blk_first;             /* per block: its first document */
    uint64_t n_post;                 /* postings */
    uint64_t n_blk;                  /* blocks */
    double scale;                    /* quantized units per unit of BM25F score */
    bool ids_sorted;                 /* ids ascend with document numbers (match_doc_of) */
};

/* The defaults chosen on the evaluation's dev split (src/search/README.md). */
struct match_params match_params_default(void)
{
    return (struct match_params){
        .k1 = 0.6,
        .b = {1.0, 0.5, 1.0},
        .w = {3.0, 3.0, 1.0},
        .qtf_cap = 2,
        .disc_bonus = 0.1,
        .disc_infer = 0,
        .disc_min_share = 0.5,
        .disc_vote_k = 10,
        .rerank_n = 100,
        .window_log2 = 14,
    };
}

/* Starts a build; an out-of-range window size falls back to the default. */
struct match_builder *match_builder_new(const struct match_params *p)
{
    struct match_builder *b = xcalloc(1, sizeof(*b));
    b->p = *p;
    if (b->p.window_log2 < 8 || b->p.window_log2 > 16)
        b->p.window_log2 = 14;
    return b;
}

/* Grows the per-term build arrays to the dictionary's capacity. */
static void grow_terms(struct match_builder *b)
{
    if (b->term_cap >= b->d.cap)
        return;
    uint32_t old = b->term_cap;
    b->term_cap = b->d.cap;
    b->df = xrealloc(b->df, b->term_cap * sizeof(*b->df));
    b->last_doc = xrealloc(b->last_doc, b->term_cap * sizeof(*b->last_doc));
    b->fwd_slot = xrealloc(b->fwd_slot, b->term_cap * sizeof(*b->fwd_slot));
    memset(b->df + old, 0, (b->term_cap - old) * sizeof(*b->df));
    memset(b->last_doc + old, 0, (b->term_cap - old) * sizeof(*b->last_doc));
}

/* Returns the discipline number + 1 of label (adding it), 0 for NULL or "". */
static uint16_t disc_id(struct match_builder *b, const char *label)
{
    if (!label || !*label)
        return 0;
    for (uint32_t i = 0; i < b->n_disc; i++)
        if (strcmp(b->disc_names[i], label) == 0)
            return (uint16_t)(i + 1);
    if (b->n_disc >= UINT16_MAX - 1)
        return 0;
    b->disc_names = xrealloc(b->disc_names, (b->n_disc + 1) * sizeof(*b->disc_names));
    b->disc_names[b->n_disc++] = xstrdup(label);
    return (uint16_t)b->n_disc;
}

/* Tokenizes a document's fields and records one (term, per-field frequencies) pair
 * per distinct term. */
void match_builder_add(struct match_builder *b, const struct match_doc *d)
{
    if (b->n_docs == UINT32_MAX - 1)
        abort();
    if (b->n_docs + 1 >= b->cap_docs) {
        b->cap_docs = b->cap_docs ? b->cap_docs * 2 : 1024;
        b->doc_fwd = xrealloc(b->doc_fwd, (b->cap_docs + 1) * sizeof(*b->doc_fwd));
        b->ids = xrealloc(b->ids, b->cap_docs * sizeof(*b->ids));
        b->len = xrealloc(b->len, b->cap_docs * sizeof(*b->len));
        b->disc = xrealloc(b->disc, b->cap_docs * sizeof(*b->disc));
    }
    uint32_t doc = b->n_docs++;
    if (doc > 0 && d->id <= b->ids[doc - 1])
        b->unsorted = true;
    b->doc_fwd[doc] = b->n_fwd;
    b->ids[doc] = d->id;
    b->disc[doc] = disc_id(b, d->discipline);
    for (int f = 0; f < MATCH_N_FIELDS; f++) {
        b->len[doc][f] = 0;
        const char *s = d->text[f];
        if (!s || b->p.w[f] <= 0)
            continue;
        struct tok_iter it;
        struct tok_token t;
        tok_init(&it, s, (int)strnlen(s, INT32_MAX), TOK_DOCUMENT);
        uint32_t len = 0;
        while (tok_next(&it, &t)) {
            len += !t.colocated;
            bool added;
            uint32_t tid = dict_add(&b->d, &t, term_key(&t), &added);
            if (added)
                grow_terms(b);
            if (b->last_doc[tid] != doc + 1) {
                b->last_doc[tid] = doc + 1;
                if (b->n_fwd == b->cap_fwd) {
                    b->cap_fwd = b->cap_fwd ? b->cap_fwd + b->cap_fwd / 2 : 65536;
                    b->fwd = xrealloc(b->fwd, b->cap_fwd * sizeof(*b->fwd));
                }
                b->fwd_slot[tid] = b->n_fwd;
                b->fwd[b->n_fwd++] = (struct fwd){.tid = tid};
                b->df[tid]++;
            }
            uint8_t *tf = &b->fwd[b->fwd_slot[tid]].tf[f];
            if (*tf < 255)
                (*tf)++;
        }
        b->len[doc][f] = len;
        b->sum_len[f] += len;
    }
    b->doc_fwd[doc + 1] = b->n_fwd;
}

/* The BM25F score of one (document, term) pair: p the parameters, idf the term's,
 * tf its frequencies, len the document's field lengths, avg the averages. */
static double bm25f(const struct match_params *p, double idf, const uint8_t *tf,
                    const uint32_t *len, const double *avg)
{
    double tfw = 0;
    for (int f = 0; f < MATCH_N_FIELDS; f++) {
        if (!tf[f] || avg[f] <= 0)
            continue;
        double norm = 1 - p->b[f] + p->b[f] * len[f] / avg[f];
        tfw += p->w[f] * tf[f] / norm;
    }
    return idf * (p->k1 + 1) * tfw / (p->k1 + tfw);
}

/* BM25's idf with the +1 inside the logarithm (never negative). */
static double bm25_idf(uint32_t n_docs, uint32_t df)
{
    return log(1.0 + (n_docs - df + 0.5) / (df + 0.5));
}

/* Turns the collected pairs into quantized impact postings (two passes: the
 * largest score sets the scale, then every pair is scattered to its term's list) and
 * computes the block and term maxima. With a reference index, its collection
 * statistics (idf of known terms, average lengths, scale) are used instead of this
 * build's (see match_builder_finish_ref). Frees the build state. */
static struct match_index *finish(struct match_builder *b, const struct match_index *ref)
{
    struct match_index *ix = xcalloc(1, sizeof(*ix));
    ix->p = b->p;
    ix->d = b->d;
    ix->n_docs = b->n_docs;
    ix->ids = b->ids;
    ix->len = b->len;
    ix->disc = b->disc;
    ix->disc_names = b->disc_names;
    ix->n_disc = b->n_disc;
    ix->ids_sorted = !b->unsorted;
    uint32_t nt = b->d.n;
    if (ref && ref->n_docs == 0)
        ref = NULL;
    for (int f = 0; f < MATCH_N_FIELDS; f++)
        ix->avg_len[f] = ref ? ref->avg_len[f] : b->n_docs ? b->sum_len[f] / b->n_docs : 0;
    ix->idf = xmalloc((nt ? nt : 1) * sizeof(*ix->idf));
    for (uint32_t t = 0; t < nt; t++) {
        uint32_t rt = ref ? dict_find_key(&ref->d, b->d.key[t], b->d.pool + b->d.text_off[t])
                          : UINT32_MAX;
        ix->idf[t] = rt != UINT32_MAX ? ref->idf[rt]
                     : ref           ? (float)bm25_idf(ref->n_docs + b->n_docs, b->df[t])
                                     : (float)bm25_idf(b->n_docs, b->df[t]);
    }
    if (ref) {
        ix->scale = ref->scale;
    } else {
        /* Pass 1: the largest score sets the quantization scale. */
        double max_s = 0;
        for (uint32_t doc = 0; doc < b->n_docs; doc++)
            for (uint64_t i = b->doc_fwd[doc]; i < b->doc_fwd[doc + 1]; i++) {
                const struct fwd *e = &b->fwd[i];
                double s = bm25f(&b->p, ix->idf[e->tid], e->tf, b->len[doc], ix->avg_len);
                if (s > max_s)
                    max_s = s;
            }
        ix->scale = max_s > 0 ? IMPACT_MAX / max_s : 1;
    }
    /* Posting offsets from the document frequencies; blocks likewise. */
    ix->df = b->df;
    ix->post_off = xmalloc(((uint64_t)nt + 1) * sizeof(*ix->post_off));
    ix->blk_off = xmalloc(((uint64_t)nt + 1) * sizeof(*ix->blk_off));
    uint64_t off = 0, boff = 0;
    for (uint32_t t = 0; t < nt; t++) {
        ix->post_off[t] = off;
        ix->blk_off[t] = boff;
        off += ix->df[t];
        boff += (ix->df[t] + MATCH_BLOCK - 1) / MATCH_BLOCK;
    }
    ix->post_off[nt] = off;
    ix->blk_off[nt] = boff;
    ix->n_post = off;
    ix->n_blk = boff;
    ix->post_doc = xmalloc((off ? off : 1) * sizeof(*ix->post_doc));
    ix->post_imp = xmalloc(off ? off : 1);
    /* Pass 2: scatter quantized impacts; documents come in order, so every list is
     * sorted by document number. fwd_slot is reused as the per-term fill cursor. */
    uint64_t *cur = b->fwd_slot;
    for (uint32_t t = 0; t < nt; t++)
        cur[t] = ix->post_off[t];
    for (uint32_t doc = 0; doc < b->n_docs; doc++)
        for (uint64_t i = b->doc_fwd[doc]; i < b->doc_fwd[doc + 1]; i++) {
            const struct fwd *e = &b->fwd[i];
            double s = bm25f(&b->p, ix->idf[e->tid], e->tf, b->len[doc], ix->avg_len);
            long q = lround(s * ix->scale);
            uint64_t at = cur[e->tid]++;
            ix->post_doc[at] = doc;
            ix->post_imp[at] = (uint8_t)(q < 1 ? 1 : q > IMPACT_MAX ? IMPACT_MAX : q);
        }
    free(b->fwd);
    free(b->fwd_slot);
    free(b->last_doc);
    free(b->doc_fwd);
    /* Block and term maxima. */
    ix->blk_max = xcalloc(boff ? boff : 1, 1);
    ix->blk_last = xmalloc((boff ? boff : 1) * sizeof(*ix->blk_last));
    ix->blk_first = xmalloc((boff ? boff : 1) * sizeof(*ix->blk_first));
    ix->max_imp = xcalloc(nt ? nt : 1, 1);
    for (uint32_t t = 0; t < nt; t++) {
        const uint8_t *imp = ix->post_imp + ix->post_off[t];
        uint8_t *bm = ix->blk_max + ix->blk_off[t];
        uint32_t *bl = ix->blk_last + ix->blk_off[t];
        uint32_t *bf = ix->blk_first + ix->blk_off[t];
        const uint32_t *doc = ix->post_doc + ix->post_off[t];
        for (uint32_t i = 0; i < ix->df[t]; i++) {
            if (imp[i] > bm[i / MATCH_BLOCK])
                bm[i / MATCH_BLOCK] = imp[i];
            if (imp[i] > ix->max_imp[t])
                ix->max_imp[t] = imp[i];
            bl[i / MATCH_BLOCK] = doc[i];
            if (i % MATCH_BLOCK == 0)
                bf[i / MATCH_BLOCK] = doc[i];
        }
    }
    free(b);
    return ix;
}

/* Finishes a build with its own statistics. */
struct match_index *match_builder_finish(struct match_builder *b)
{
    return finish(b, NULL);
}

/* Finishes a build scored with ref's statistics (a delta comparable with ref). */
struct match_index *match_builder_finish_ref(struct match_builder *b,
                                             const struct match_index *ref)
{
    return finish(b, ref);
}

/* Frees everything the index owns. */
void match_index_free(struct match_index *ix)
{
    if (!ix)
        return;
    dict_free(&ix->d);
    free(ix->ids);
    free(ix->len);
    free(ix->disc);
    for (uint32_t i = 0; i < ix->n_disc; i++)
        free(ix->disc_names[i]);
    free(ix->disc_names);
    free(ix->idf);
    free(ix->df);
    free(ix->post_off);
    free(ix->blk_off);
    free(ix->max_imp);
    free(ix->post_doc);
    free(ix->post_imp);
    free(ix->blk_max);
    free(ix->blk_last);
    free(ix->blk_first);
    free(ix);
}

/* Counts and memory of the index. */
void match_index_stats(const struct match_index *ix, struct match_stats *st)
{
    uint64_t nt = ix->d.n;
    st->n_docs = ix->n_docs;
    st->n_terms = ix->d.n;
    st->n_postings = ix->n_post;
    st->bytes = ix->n_post * 5 + ix->n_blk * 9 + nt * (8 + 4 + 4 + 4 + 8 + 8 + 1) +
                (size_t)(ix->d.mask + 1) * 4 + ix->d.pool_len +
                (size_t)ix->n_docs * (8 + 2 + sizeof(*ix->len));
    for (int f = 0; f < MATCH_N_FIELDS; f++)
        st->avg_len[f] = ix->avg_len[f];
}

/* Caller's id of a document number (0 when out of range). */
int64_t match_doc_id(const struct match_index *ix, uint32_t doc)
{
    return doc < ix->n_docs ? ix->ids[doc] : 0;
}

/* The document number of id (binary search when the ids ascend, else a scan), or
 * UINT32_MAX when absent. */
uint32_t match_doc_of(const struct match_index *ix, int64_t id)
{
    if (!ix->ids_sorted) {
        for (uint32_t d = 0; d < ix->n_docs; d++)
            if (ix->ids[d] == id)
                return d;
        return UINT32_MAX;
    }
    uint32_t lo = 0, hi = ix->n_docs;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (ix->ids[mid] < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < ix->n_docs && ix->ids[lo] == id ? lo : UINT32_MAX;
}

/* Document share of the one term text makes, or -1 (see match.h). */
double match_term_share(const struct match_index *ix, const char *text, int n)
{
    struct tok_iter it;
    struct tok_token t, first;
    int k = 0;
    tok_init(&it, text, n, TOK_QUERY);
    while (tok_next(&it, &t))
        if (k++ == 0)
            first = t;
    if (k != 1 || ix->n_docs == 0)
        return -1;
    uint32_t tid = dict_find(&ix->d, &first, term_key(&first));
    return tid == UINT32_MAX ? 0 : (double)ix->df[tid] / ix->n_docs;
}

/* Discipline label of a document number, or NULL. */
const char *match_doc_discipline(const struct match_index *ix, uint32_t doc)
{
    return doc < ix->n_docs && ix->disc[doc] ? ix->disc_names[ix->disc[doc] - 1] : NULL;
}

/* ------------------------------------------------------------------ search */

/* One distinct query term with its cursor. */
struct qterm {
    uint32_t tid;           /* term number */
    uint32_t qw;            /* query weight (capped repetitions) */
    const uint32_t *doc;    /* its postings */
    const uint8_t *imp;     /* their impacts */
    const uint8_t *bmax;    /* its block maxima */
    const uint32_t *blast;  /* its blocks' last documents */
    const uint32_t *bfirst; /* its blocks' first documents */
    uint32_t bcur;          /* block cursor: first block that may reach the window */
    uint32_t n;             /* postings */
    uint32_t nb;            /* blocks */
    uint32_t pos;           /* cursor */
    uint32_t ub;            /* bound of qw × impact in the current window */
};

/* A candidate in the top-k heap. */
struct cand {
    uint32_t score; /* text score, quantized units */
    uint32_t doc;   /* document number */
};

/* Per-thread search scratch. */
struct match_ctx {
    uint32_t n_docs;                       /* documents of the index it was made for */
    uint32_t window;                       /* documents per MaxScore window (the index's) */
    uint32_t *acc;                         /* window accumulators */
    uint64_t *bits;                        /* window documents touched */
    uint16_t *surv;                        /* window offsets of the candidates still alive */
    uint32_t *full;                        /* exhaustive accumulators (n_docs), made on first use */
    struct qterm q[MATCH_MAX_QTERMS];      /* query terms */
    int nq;                                /* query terms in use */
    uint32_t qslot[2 * MATCH_MAX_QTERMS];  /* hash of term number → query term + 1 */
    int order[MATCH_MAX_QTERMS];           /* active terms by window bound, ascending */
    uint32_t prefix[MATCH_MAX_QTERMS + 1]; /* prefix sums of the bounds in that order */
    struct cand *heap;                     /* top-k heap (worst at the root) */
    int heap_cap;                          /* its capacity */
    struct match_work work;                /* counters of the last search */
    const uint64_t *exclude;               /* documents left out of this search (bitmap) */
    uint32_t seed_doc[SEED_SLOTS];         /* threshold seeding: document + 1 per slot, 0 = empty */
    uint32_t seed_sum[SEED_SLOTS];         /* its partial score */
    uint32_t seed_used[SEED_BUDGET];       /* slots in use (to clear them) */
};

/* Counters of the last search. */
void match_ctx_work(const struct match_ctx *c, struct match_work *w)
{
    *w = c->work;
}

/* Allocates scratch space sized for ix's window. */
struct match_ctx *match_ctx_new(const struct match_index *ix)
{
    struct match_ctx *c = xcalloc(1, sizeof(*c));
    c->n_docs = ix->n_docs;
    c->window = 1u << ix->p.window_log2;
    c->acc = xcalloc(c->window, sizeof(*c->acc));
    c->bits = xcalloc(c->window / 64, sizeof(*c->bits));
    c->surv = xcalloc(c->window, sizeof(*c->surv));
    return c;
}

/* Points a context at another index with the same window size. */
void match_ctx_bind(struct match_ctx *c, const struct match_index *ix)
{
    if (c->n_docs != ix->n_docs) {
        free(c->full);
        c->full = NULL;
    }
    c->n_docs = ix->n_docs;
}

/* True when document d is excluded from the current search. */
static inline bool excluded(const struct match_ctx *c, uint32_t d)
{
    return c->exclude && (c->exclude[d >> 6] >> (d & 63) & 1);
}

/* Frees a context's buffers. */
void match_ctx_free(struct match_ctx *c)
{
    if (!c)
        return;
    free(c->full);
    free(c->heap);
    free(c->acc);
    free(c->bits);
    free(c->surv);
    free(c);
}

/* Collects the distinct known terms of the query into c->q with their weights. */
static void query_terms(const struct match_index *ix, struct match_ctx *c, const char *s, int n)
{
    struct tok_iter it;
    struct tok_token t;
    c->nq = 0;
    memset(c->qslot, 0, sizeof(c->qslot));
    tok_init(&it, s, n, TOK_QUERY);
    while (tok_next(&it, &t)) {
        uint32_t tid = dict_find(&ix->d, &t, term_key(&t));
        if (tid == UINT32_MAX)
            continue;
        uint32_t h = (tid * 2654435761u) & (2 * MATCH_MAX_QTERMS - 1);
        while (c->qslot[h] && c->q[c->qslot[h] - 1].tid != tid)
            h = (h + 1) & (2 * MATCH_MAX_QTERMS - 1);
        if (c->qslot[h]) {
            struct qterm *q = &c->q[c->qslot[h] - 1];
            if (q->qw < (uint32_t)(ix->p.qtf_cap > 0 ? ix->p.qtf_cap : 1))
                q->qw++;
            continue;
        }
        if (c->nq == MATCH_MAX_QTERMS)
            continue;
        struct qterm *q = &c->q[c->nq++];
        c->qslot[h] = (uint32_t)c->nq;
        q->tid = tid;
        q->qw = 1;
        q->doc = ix->post_doc + ix->post_off[tid];
        q->imp = ix->post_imp + ix->post_off[tid];
        q->bmax = ix->blk_max + ix->blk_off[tid];
        q->blast = ix->blk_last + ix->blk_off[tid];
        q->bfirst = ix->blk_first + ix->blk_off[tid];
        q->bcur = 0;
        q->nb = (uint32_t)(ix->blk_off[tid + 1] - ix->blk_off[tid]);
        q->n = ix->df[tid];
        q->pos = 0;
    }
}

/* True when candidate a ranks below b (lower score, or equal and later document). */
static bool worse(struct cand a, struct cand b)
{
    return a.score < b.score || (a.score == b.score && a.doc > b.doc);
}

/* Restores the heap property downwards from i. */
static void sift_down(struct cand *h, int n, int i)
{
    for (;;) {
        int l = 2 * i + 1, r = l + 1, m = i;
        if (l < n && worse(h[l], h[m]))
            m = l;
        if (r < n && worse(h[r], h[m]))
            m = r;
        if (m == i)
            return;
        struct cand t = h[i];
        h[i] = h[m];
        h[m] = t;
        i = m;
    }
}

/* Offers a candidate to the top-k heap (size *n, capacity k). */
static void heap_offer(struct cand *h, int *n, int k, struct cand x)
{
    if (*n < k) {
        int i = (*n)++;
        h[i] = x;
        while (i > 0 && worse(h[i], h[(i - 1) / 2])) {
            struct cand t = h[i];
            h[i] = h[(i - 1) / 2];
            h[(i - 1) / 2] = t;
            i = (i - 1) / 2;
        }
    } else if (worse(h[0], x)) {
        h[0] = x;
        sift_down(h, *n, 0);
    }
}

/* The first position at or after pos whose document is >= target (n when none):
 * galloping then binary search. */
static uint32_t advance(const uint32_t *doc, uint32_t n, uint32_t pos, uint32_t target)
{
    if (pos >= n || doc[pos] >= target)
        return pos;
    uint32_t lo = pos, step = 1;
    uint32_t hi = pos + 1;
    while (hi < n && doc[hi] < target) {
        lo = hi;
        step *= 2;
        hi = n - lo > step ? lo + step : n;
    }
    /* doc[lo] < target; hi == n or doc[hi] >= target. */
    while (hi - lo > 1) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (doc[mid] < target)
            lo = mid;
        else
            hi = mid;
    }
    return hi;
}

/* Moves q's cursor to its first posting whose document is >= target (q->n when
 * none), reading the compact block metadata first: galloping over the blocks' last
 * documents, then a binary search inside one block. */
static void skip_to(struct qterm *q, uint32_t target)
{
    if (q->pos >= q->n || q->doc[q->pos] >= target)
        return;
    uint32_t b = q->pos / MATCH_BLOCK;
    if (q->blast[b] < target) {
        uint32_t lo = b, step = 1, hi = b + 1;
        while (hi < q->nb && q->blast[hi] < target) {
            lo = hi;
            step *= 2;
            hi = q->nb - lo > step ? lo + step : q->nb;
        }
        /* blast[lo] < target; hi == nb or blast[hi] >= target */
        while (hi - lo > 1) {
            uint32_t mid = lo + (hi - lo) / 2;
            if (q->blast[mid] < target)
                lo = mid;
            else
                hi = mid;
        }
        if (hi >= q->nb) {
            q->pos = q->n;
            return;
        }
        b = hi;
        q->pos = b * MATCH_BLOCK;
    }
    uint32_t end = (b + 1) * MATCH_BLOCK < q->n ? (b + 1) * MATCH_BLOCK : q->n;
    q->pos = advance(q->doc, end, q->pos, target);
}

/* Moves q's posting cursor to the first posting >= w0, starting from its block
 * cursor (postings before it are never needed again). */
static void sync_pos(struct qterm *q, uint32_t w0)
{
    if (q->pos < q->bcur * MATCH_BLOCK)
        q->pos = q->bcur * MATCH_BLOCK;
    if (q->bcur < q->nb && q->pos < q->n && q->doc[q->pos] < w0) {
        uint32_t end = (q->bcur + 1) * MATCH_BLOCK;
        q->pos = advance(q->doc, end < q->n ? end : q->n, q->pos, w0);
    }
}

/* Exhaustive term-at-a-time scoring of every posting into the full accumulators,
 * then the top k. Returns the heap size. */
static int search_exhaustive(const struct match_index *ix, struct match_ctx *c, int k)
{
    if (!c->full)
        c->full = xmalloc((c->n_docs ? c->n_docs : 1) * sizeof(*c->full));
    memset(c->full, 0, c->n_docs * sizeof(*c->full));
    for (int i = 0; i < c->nq; i++) {
        const struct qterm *q = &c->q[i];
        for (uint32_t j = 0; j < q->n; j++)
            c->full[q->doc[j]] += q->qw * q->imp[j];
    }
    int n = 0;
    for (uint32_t d = 0; d < ix->n_docs; d++)
        if (c->full[d] && !excluded(c, d))
            heap_offer(c->heap, &n, k, (struct cand){c->full[d], d});
    return n;
}

/* The k-th largest of n values (reorders v): quickselect. */
static uint32_t kth_largest(uint32_t *v, uint32_t n, uint32_t k)
{
    uint32_t lo = 0, hi = n - 1, want = k - 1;
    while (lo < hi) {
        uint32_t pivot = v[lo + (hi - lo) / 2], i = lo, j = hi;
        while (i <= j) {
            while (v[i] > pivot)
                i++;
            while (v[j] < pivot)
                j--;
            if (i <= j) {
                uint32_t t = v[i];
                v[i] = v[j];
                v[j] = t;
                i++;
                if (j == 0)
                    break;
                j--;
            }
        }
        if (want <= j)
            hi = j;
        else if (want >= i)
            lo = i;
        else
            return v[want];
    }
    return v[want];
}

/* A safe starting threshold for MaxScore: the query terms with the shortest lists
 * (at most SEED_BUDGET postings together) are summed per document; the k-th largest
 * of these partial scores is a lower bound of the k-th best full score, so a document
 * scoring below it cannot be in the top k. Returns that bound - 1 (a document must
 * score more than the returned value), or 0 when there is nothing to seed with. */
static uint32_t seed_theta(const struct match_index *ix, struct match_ctx *c, int k)
{
    if (ix->n_docs <= 8 * c->window)
        return 0;
    int idx[MATCH_MAX_QTERMS];
    for (int i = 0; i < c->nq; i++) {
        int j = i;
        while (j > 0 && c->q[idx[j - 1]].n > c->q[i].n) {
            idx[j] = idx[j - 1];
            j--;
        }
        idx[j] = i;
    }
    uint32_t budget = SEED_BUDGET, used = 0;
    for (int t = 0; t < c->nq && c->q[idx[t]].n <= budget; t++) {
        const struct qterm *q = &c->q[idx[t]];
        budget -= q->n;
        for (uint32_t p = 0; p < q->n; p++) {
            uint32_t d = q->doc[p];
            if (excluded(c, d))
                continue; /* an excluded document must not raise the bound */
            uint32_t h = (d * 2654435761u) & (SEED_SLOTS - 1);
            while (c->seed_doc[h] && c->seed_doc[h] != d + 1)
                h = (h + 1) & (SEED_SLOTS - 1);
            if (!c->seed_doc[h]) {
                c->seed_doc[h] = d + 1;
                c->seed_sum[h] = 0;
                c->seed_used[used++] = h;
            }
            c->seed_sum[h] += q->qw * q->imp[p];
        }
    }
    uint32_t theta = 0;
    if (used >= (uint32_t)k) {
        /* Gather the sums in place of the slot list, then select. */
        for (uint32_t i = 0; i < used; i++) {
            uint32_t h = c->seed_used[i];
            c->seed_doc[h] = 0;
            c->seed_used[i] = c->seed_sum[h];
        }
        theta = kth_largest(c->seed_used, used, (uint32_t)k);
        theta = theta ? theta - 1 : 0;
    } else {
        for (uint32_t i = 0; i < used; i++)
            c->seed_doc[c->seed_used[i]] = 0;
    }
    return theta;
}

/* Windowed MaxScore (see match.h). A document enters the top k only when it scores
 * more than theta: first the seeded bound, then the k-th best score found. Returns the
 * heap size. */
static int search_maxscore(const struct match_index *ix, struct match_ctx *c, int k)
{
    int n = 0;
    uint32_t theta = seed_theta(ix, c, k);
    c->work.seeded = theta;
    uint32_t cnt[IMPACT_MAX * 4 + 2];
    int sorted[MATCH_MAX_QTERMS];
    const uint32_t window = c->window;
    for (uint32_t w0 = 0; w0 < ix->n_docs; w0 += window) {
        uint32_t w1 = ix->n_docs - w0 > window ? w0 + window : ix->n_docs;
        /* Window bounds from the block maxima of the blocks that reach into it. */
        uint64_t total = 0;
        uint32_t max_ub = 0;
        int na = 0;
        for (int i = 0; i < c->nq; i++) {
            struct qterm *q = &c->q[i];
            uint32_t b = q->bcur;
            while (b < q->nb && q->blast[b] < w0)
                b++;
            q->bcur = b;
            q->ub = 0;
            if (b >= q->nb || q->bfirst[b] >= w1)
                continue;
            uint32_t m = 0;
            for (uint32_t bl = b; bl < q->nb && q->bfirst[bl] < w1; bl++)
                if (q->bmax[bl] > m)
                    m = q->bmax[bl];
            q->ub = m * q->qw;
            if (q->ub > max_ub)
                max_ub = q->ub;
            total += q->ub;
            c->order[na++] = i;
        }
        c->work.windows++;
        if (na == 0 || total <= theta) {
            c->work.windows_skipped++;
            continue;
        }
        /* Order the active terms by bound (counting sort: bounds are small). */
        if (max_ub > IMPACT_MAX * 4)
            max_ub = IMPACT_MAX * 4;
        memset(cnt, 0, (max_ub + 2) * sizeof(cnt[0]));
        for (int j = 0; j < na; j++) {
            uint32_t u = c->q[c->order[j]].ub;
            cnt[(u > max_ub ? max_ub : u) + 1]++;
        }
        for (uint32_t u = 1; u <= max_ub + 1; u++)
            cnt[u] += cnt[u - 1];
        for (int j = 0; j < na; j++) {
            uint32_t u = c->q[c->order[j]].ub;
            sorted[cnt[u > max_ub ? max_ub : u]++] = c->order[j];
        }
        c->prefix[0] = 0;
        for (int j = 0; j < na; j++)
            c->prefix[j + 1] = c->prefix[j] + c->q[sorted[j]].ub;
        /* Terms sorted[0..ne) are non-essential here: together they cannot lift a
         * document above theta. */
        int ne = 0;
        while (ne < na && c->prefix[ne + 1] <= theta)
            ne++;
        /* Essential terms: accumulate their postings in the window. */
        for (int j = ne; j < na; j++) {
            struct qterm *q = &c->q[sorted[j]];
            sync_pos(q, w0);
            uint32_t p = q->pos;
            uint32_t p0 = p;
            while (p < q->n && q->doc[p] < w1) {
                uint32_t d = q->doc[p] - w0;
                c->acc[d] += q->qw * q->imp[p];
                c->bits[d >> 6] |= 1ULL << (d & 63);
                p++;
            }
            c->work.scored += p - p0;
            q->pos = p;
        }
        /* Candidates: documents that can still beat theta with the non-essential
         * bounds. Each non-essential term (largest bound first) is then added to the
         * survivors, by probing its list at each survivor when they are few, or by
         * scanning its postings in the window when they are many; after each term the
         * survivors that can no longer beat theta are dropped. */
        uint32_t alive = 0;
        for (uint32_t wi = 0; wi < window / 64; wi++) {
            uint64_t word = c->bits[wi];
            while (word) {
                uint32_t off = wi * 64 + (uint32_t)__builtin_ctzll(word);
                word &= word - 1;
                if (c->acc[off] + c->prefix[ne] <= theta) {
                    c->acc[off] = 0;
                    c->bits[wi] &= ~(1ULL << (off & 63));
                } else {
                    c->surv[alive++] = (uint16_t)off;
                }
            }
        }
        c->work.candidates += alive;
        for (int j = ne - 1; j >= 0 && alive; j--) {
            struct qterm *q = &c->q[sorted[j]];
            /* Postings of this term in the window, estimated from its blocks. */
            uint32_t b1 = q->bcur;
            while (b1 < q->nb && q->blast[b1] < w1)
                b1++;
            uint32_t span = (b1 - q->bcur + 1) * MATCH_BLOCK;
            sync_pos(q, w0);
            uint32_t keep = 0;
            if ((uint64_t)alive * 4 < span) {
                /* Probe at each survivor, and drop it at once if it cannot make it. */
                for (uint32_t a = 0; a < alive; a++) {
                    uint32_t off = c->surv[a], d = w0 + off;
                    c->work.probes++;
                    skip_to(q, d);
                    if (q->pos < q->n && q->doc[q->pos] == d)
                        c->acc[off] += q->qw * q->imp[q->pos];
                    if (c->acc[off] + c->prefix[j] <= theta) {
                        c->acc[off] = 0;
                        c->bits[off >> 6] &= ~(1ULL << (off & 63));
                    } else {
                        c->surv[keep++] = (uint16_t)off;
                    }
                }
            } else {
                uint32_t p = q->pos, p0 = p;
                while (p < q->n && q->doc[p] < w1) {
                    uint32_t off = q->doc[p] - w0;
                    if (c->bits[off >> 6] & (1ULL << (off & 63)))
                        c->acc[off] += q->qw * q->imp[p];
                    p++;
                }
                c->work.scored += p - p0;
                q->pos = p;
                /* Drop the survivors the remaining terms cannot lift above theta. */
                for (uint32_t a = 0; a < alive; a++) {
                    uint32_t off = c->surv[a];
                    if (c->acc[off] + c->prefix[j] <= theta) {
                        c->acc[off] = 0;
                        c->bits[off >> 6] &= ~(1ULL << (off & 63));
                    } else {
                        c->surv[keep++] = (uint16_t)off;
                    }
                }
            }
            alive = keep;
        }
        /* The survivors are complete: offer them in document order. */
        for (uint32_t a = 0; a < alive; a++) {
            uint32_t off = c->surv[a];
            uint32_t sc = c->acc[off];
            if (sc > theta && !excluded(c, w0 + off)) {
                heap_offer(c->heap, &n, k, (struct cand){sc, w0 + off});
                if (n == k && c->heap[0].score > theta)
                    theta = c->heap[0].score;
            }
        }
        /* Clear what is left of the window's accumulators and marks. */
        for (uint32_t a = 0; a < alive; a++) {
            c->acc[c->surv[a]] = 0;
            c->bits[c->surv[a] >> 6] = 0;
        }
    }
    return n;
}

/* Sorts candidates best first (score descending, document ascending). */
static int cand_cmp(const void *a, const void *b)
{
    const struct cand *x = a, *y = b;
    if (x->score != y->score)
        return x->score < y->score ? 1 : -1;
    return x->doc < y->doc ? -1 : x->doc > y->doc;
}

/* Sorts hits by score descending, then text score descending, then document. */
static int hit_cmp(const void *a, const void *b)
{
    const struct match_hit *x = a, *y = b;
    if (x->score != y->score)
        return x->score < y->score ? 1 : -1;
    if (x->text_q != y->text_q)
        return x->text_q < y->text_q ? 1 : -1;
    return x->doc < y->doc ? -1 : x->doc > y->doc;
}

/* The discipline number + 1 of label in ix, 0 when unknown. */
static uint16_t find_disc(const struct match_index *ix, const char *label)
{
    for (uint32_t i = 0; i < ix->n_disc; i++)
        if (strcmp(ix->disc_names[i], label) == 0)
            return (uint16_t)(i + 1);
    return 0;
}

/* Text top-k (MaxScore or exhaustive), then, when a discipline is given or inferred,
 * the discipline bonus over the text top-N and a re-rank. */
int match_search(const struct match_index *ix, struct match_ctx *c, const char *query, int n,
                 const struct match_opts *o, struct match_hit *out)
{
    if (!o || o->k < 1 || o->k > 1000 || n < 0 || c->n_docs != ix->n_docs)
        return KC_ERR_INVALID;
    query_terms(ix, c, query, n);
    c->exclude = o->exclude;
    memset(&c->work, 0, sizeof(c->work));
    for (int i = 0; i < c->nq; i++)
        c->work.postings += c->q[i].n;
    if (c->nq == 0 || ix->n_docs == 0)
        return 0;
    bool signals = !o->text_only && ix->n_disc > 0 && ix->p.disc_bonus > 0 &&
                   (o->discipline ? *o->discipline != '\0' : ix->p.disc_infer != 0);
    int k = o->k;
    if (signals) {
        if (ix->p.rerank_n > k)
            k = ix->p.rerank_n;
        if (ix->p.disc_vote_k > k)
            k = ix->p.disc_vote_k;
    }
    if (k > c->heap_cap) {
        c->heap = xrealloc(c->heap, (size_t)k * sizeof(*c->heap));
        c->heap_cap = k;
    }
    int m = o->exhaustive ? search_exhaustive(ix, c, k) : search_maxscore(ix, c, k);
    qsort(c->heap, (size_t)m, sizeof(*c->heap), cand_cmp);
    struct match_hit *hits = signals ? xmalloc((size_t)m * sizeof(*hits)) : out;
    for (int i = 0; i < m && (signals || i < o->k); i++) {
        uint32_t d = c->heap[i].doc;
        double text = c->heap[i].score / ix->scale;
        hits[i] = (struct match_hit){
            .doc = d, .id = ix->ids[d], .text_q = c->heap[i].score, .text = text, .score = text};
    }
    if (!signals)
        return m < o->k ? m : o->k;
    /* Discipline: the demand's own, or the clear winner of the best hits' vote. */
    uint16_t disc = 0;
    if (o->discipline) {
        disc = *o->discipline ? find_disc(ix, o->discipline) : 0;
    } else if (m > 0) {
        double *vote = xcalloc(ix->n_disc + 1, sizeof(*vote));
        double sum = 0;
        int nv = m < ix->p.disc_vote_k ? m : ix->p.disc_vote_k;
        for (int i = 0; i < nv; i++) {
            vote[ix->disc[hits[i].doc]] += hits[i].text;
            sum += hits[i].text;
        }
        uint16_t best = 0;
        for (uint32_t g = 1; g <= ix->n_disc; g++)
            if (vote[g] > vote[best])
                best = (uint16_t)g;
        if (best && sum > 0 && vote[best] / sum >= ix->p.disc_min_share)
            disc = best;
        free(vote);
    }
    int nr = m < ix->p.rerank_n ? m : ix->p.rerank_n;
    if (nr < o->k)
        nr = m < o->k ? m : o->k;
    if (disc) {
        double bonus = ix->p.disc_bonus * hits[0].text;
        for (int i = 0; i < nr; i++)
            if (ix->disc[hits[i].doc] == disc) {
                hits[i].discipline = bonus;
                hits[i].score = hits[i].text + bonus;
            }
        qsort(hits, (size_t)nr, sizeof(*hits), hit_cmp);
    }
    int r = nr < o->k ? nr : o->k;
    memcpy(out, hits, (size_t)r * sizeof(*out));
    free(hits);
    return r;
}

/* ------------------------------------------------------------------ explain */

/* The quantized impact of term tid in document doc (0 when absent). */
static uint8_t impact_of(const struct match_index *ix, uint32_t tid, uint32_t doc)
{
    const uint32_t *d = ix->post_doc + ix->post_off[tid];
    uint32_t n = ix->df[tid];
    uint32_t p = advance(d, n, 0, doc);
    return p < n && d[p] == doc ? ix->post_imp[ix->post_off[tid] + p] : 0;
}

/* One field's tokens for explaining: every key (sorted, for counting) and the keys of
 * the non-colocated tokens in position order (for phrase checks). */
struct ftoks {
    uint64_t *all; /* keys of all tokens, sorted */
    int n_all;     /* their count */
    uint64_t *seq; /* keys by position */
    int n_seq;     /* their count */
};

/* Compares two keys for qsort. */
static int key_cmp(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* Tokenizes s (document mode) into *ft; the caller frees ft->all and ft->seq. */
static void field_tokens(const char *s, struct ftoks *ft)
{
    int n = s ? (int)strnlen(s, INT32_MAX) : 0;
    int cap = 16;
    ft->all = xmalloc((size_t)cap * sizeof(*ft->all));
    ft->seq = xmalloc((size_t)cap * sizeof(*ft->seq));
    ft->n_all = ft->n_seq = 0;
    struct tok_iter it;
    struct tok_token t;
    tok_init(&it, s, n, TOK_DOCUMENT);
    while (tok_next(&it, &t)) {
        if (ft->n_all == cap) {
            cap *= 2;
            ft->all = xrealloc(ft->all, (size_t)cap * sizeof(*ft->all));
            ft->seq = xrealloc(ft->seq, (size_t)cap * sizeof(*ft->seq));
        }
        uint64_t k = term_key(&t);
        ft->all[ft->n_all++] = k;
        if (!t.colocated)
            ft->seq[ft->n_seq++] = k;
    }
    qsort(ft->all, (size_t)ft->n_all, sizeof(*ft->all), key_cmp);
}

/* Occurrences of key k in ft. */
static int count_key(const struct ftoks *ft, uint64_t k)
{
    int lo = 0, hi = ft->n_all;
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        if (ft->all[mid] < k)
            lo = mid + 1;
        else
            hi = mid;
    }
    int c = 0;
    while (lo + c < ft->n_all && ft->all[lo + c] == k)
        c++;
    return c;
}

/* Length of the longest run of q[0..m) found at consecutive positions of ft->seq
 * (0 when q[0] is not there). */
static int longest_phrase(const struct ftoks *ft, const uint64_t *q, int m)
{
    int best = 0;
    for (int p = 0; p < ft->n_seq && best < m; p++) {
        int j = 0;
        while (j < m && p + j < ft->n_seq && ft->seq[p + j] == q[j])
            j++;
        if (j > best)
            best = j;
    }
    return best;
}

/* A query token for explaining. */
struct qtok {
    uint64_t key;       /* dictionary key */
    int start, end;     /* byte span in the query */
    enum tok_kind kind; /* word, unigram or bigram */
    uint32_t tid;       /* term number, UINT32_MAX when not in the index */
};

/* Compares two term numbers for qsort. */
static int tid_cmp(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

/* True when the query text of span a occurs within the text of span b. */
static bool span_in(const char *q, struct match_span a, struct match_span b)
{
    return memmem(q + b.start, (size_t)(b.end - b.start), q + a.start, (size_t)(a.end - a.start)) !=
           NULL;
}

/* Adds span s of query q to list (n entries, at most MATCH_MAX_SPANS) unless the text
 * of a listed span contains its text; removes listed spans whose text it contains.
 * Keeps query order. */
static void add_span(const char *q, struct match_span *list, int *n, struct match_span s)
{
    for (int i = 0; i < *n; i++)
        if (span_in(q, s, list[i]))
            return;
    int w = 0;
    for (int i = 0; i < *n; i++)
        if (!span_in(q, list[i], s))
            list[w++] = list[i];
    *n = w;
    if (*n == MATCH_MAX_SPANS)
        return;
    int at = *n;
    while (at > 0 && list[at - 1].start > s.start) {
        list[at] = list[at - 1];
        at--;
    }
    list[at] = s;
    (*n)++;
}

/* Finds the matched spans of the query tokens q[0..nq) in one field: chains of
 * overlapping bigrams are cut into the longest pieces that occur there verbatim; lone
 * unigrams and words match by presence. */
static void field_spans(const char *query, const struct ftoks *ft, const struct qtok *q, int nq,
                        uint64_t *keys, struct match_span *list, int *n)
{
    *n = 0;
    int i = 0;
    while (i < nq) {
        int e = i + 1; /* chain q[i..e): each bigram overlaps the previous one */
        while (e < nq && q[e].kind == TOK_BIGRAM && q[i].kind == TOK_BIGRAM &&
               q[e].start < q[e - 1].end)
            e++;
        int m = e - i;
        for (int j = 0; j < m; j++)
            keys[j] = q[i + j].key;
        int a = 0;
        while (a < m) {
            if (!count_key(ft, keys[a])) {
                a++;
                continue;
            }
            int len = q[i].kind == TOK_BIGRAM ? longest_phrase(ft, keys + a, m - a) : 1;
            if (len < 1)
                len = 1;
            struct match_span sp = {q[i + a].start, q[i + a + len - 1].end};
            /* The particle 的 at either end is left out of a displayed span (材料的 →
             * 材料); what is left must still be two characters or more. */
            if (q[i].kind == TOK_BIGRAM) {
                while (sp.end - sp.start >= 3 && memcmp(query + sp.start, "\xE7\x9A\x84", 3) == 0)
                    sp.start += 3;
                while (sp.end - sp.start >= 3 && memcmp(query + sp.end - 3, "\xE7\x9A\x84", 3) == 0)
                    sp.end -= 3;
            }
            if (q[i].kind != TOK_BIGRAM || sp.end - sp.start >= 4)
                add_span(query, list, n, sp);
            a = len > 1 ? a + len - 1 : a + 1;
        }
        i = e;
    }
}

/* Per-field contributions and matched spans of one hit (see match.h). */
void match_explain(const struct match_index *ix, const char *query, int n,
                   const struct match_hit *hit, const struct match_doc *d,
                   struct match_explain *out)
{
    memset(out, 0, sizeof(*out));
    struct ftoks ft[MATCH_N_FIELDS];
    for (int f = 0; f < MATCH_N_FIELDS; f++)
        field_tokens(ix->p.w[f] > 0 ? d->text[f] : NULL, &ft[f]);
    /* Query tokens in order (for spans) with their term numbers. */
    int cap = 64, nq = 0;
    struct qtok *q = xmalloc((size_t)cap * sizeof(*q));
    struct tok_iter it;
    struct tok_token t;
    tok_init(&it, query, n, TOK_QUERY);
    while (tok_next(&it, &t)) {
        if (nq == cap) {
            cap *= 2;
            q = xrealloc(q, (size_t)cap * sizeof(*q));
        }
        uint64_t k = term_key(&t);
        q[nq++] = (struct qtok){k, t.start, t.end, t.kind, dict_find(&ix->d, &t, k)};
    }
    /* Each distinct known term once, weighted by its capped repetitions: its impact
     * split over the fields in proportion to their BM25F parts. */
    uint32_t *tids = xmalloc((size_t)(nq ? nq : 1) * sizeof(*tids));
    int nt = 0;
    for (int i = 0; i < nq; i++)
        if (q[i].tid != UINT32_MAX)
            tids[nt++] = q[i].tid;
    qsort(tids, (size_t)nt, sizeof(*tids), tid_cmp);
    int cap_q = ix->p.qtf_cap > 0 ? ix->p.qtf_cap : 1;
    const uint32_t *len = ix->len[hit->doc];
    for (int i = 0; i < nt;) {
        int j = i;
        while (j < nt && tids[j] == tids[i])
            j++;
        int qw = j - i < cap_q ? j - i : cap_q;
        uint32_t tid = tids[i];
        i = j;
        uint8_t imp = impact_of(ix, tid, hit->doc);
        if (!imp)
            continue;
        double part[MATCH_N_FIELDS], sum = 0;
        for (int f = 0; f < MATCH_N_FIELDS; f++) {
            part[f] = 0;
            int tf = count_key(&ft[f], ix->d.key[tid]);
            if (!tf || ix->avg_len[f] <= 0)
                continue;
            double norm = 1 - ix->p.b[f] + ix->p.b[f] * len[f] / ix->avg_len[f];
            part[f] = ix->p.w[f] * tf / norm;
            sum += part[f];
        }
        double score = qw * imp / ix->scale;
        for (int f = 0; f < MATCH_N_FIELDS; f++)
            out->field_score[f] += sum > 0 ? score * part[f] / sum : score / MATCH_N_FIELDS;
    }
    free(tids);
    uint64_t *keys = xmalloc((size_t)(nq ? nq : 1) * sizeof(*keys));
    for (int f = 0; f < MATCH_N_FIELDS; f++) {
        field_spans(query, &ft[f], q, nq, keys, out->spans[f], &out->n_spans[f]);
        for (int i = 0; i < out->n_spans[f]; i++)
            add_span(query, out->all, &out->n_all, out->spans[f][i]);
        free(ft[f].all);
        free(ft[f].seq);
    }
    free(keys);
    free(q);
}
