/*
 * match.h — the in-memory matcher: demand text → best achievements, with reasons.
 *
 * Ranking: BM25F over three fields (title, keywords, abstract) with per-field weights
 * and length normalisation, on the kc_cjk token stream (search/tok.h). The per-term,
 * per-document score ("impact") is computed once at build time and quantized to 8
 * bits, so a query's text score is an integer sum of impacts — exact, reproducible and
 * the same with or without pruning. A query is OR over its distinct tokens.
 *
 * Index: one posting list per term, document-ordered (uint32 doc numbers) with a
 * parallel uint8 impact array and a maximum impact per block of MATCH_BLOCK postings.
 * Top-k: windowed MaxScore (document-at-a-time over windows of doc numbers): per
 * window each term's bound is its block maxima there, the terms whose summed bounds
 * cannot beat the current k-th score are "non-essential" and only probed for
 * candidates found in the essential lists; a candidate is dropped as soon as its
 * partial score plus the remaining bounds cannot beat the k-th score. The result is
 * identical to exhaustive scoring (ties broken by the lower doc number).
 *
 * Structured signal: discipline. A demand may name its discipline; optionally
 * (disc_infer) the matcher infers it from the disciplines of the best text hits (a
 * score-weighted vote, used when clear enough). The candidates of that discipline
 * among the text top-N get a bonus proportional to the best text score, and the
 * top-N is re-ranked.
 *
 * Ownership: an index is immutable once built and may be shared by threads; each
 * thread searches with its own struct match_ctx. Both are freed by their *_free.
 */
#ifndef KC_SEARCH_MATCH_H
#define KC_SEARCH_MATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Postings per block-maximum entry. */
#define MATCH_BLOCK 64
/* Most distinct query terms used (the rest of a very long text is ignored). */
#define MATCH_MAX_QTERMS 1024
/* Most matched-term spans reported per field. */
#define MATCH_MAX_SPANS 32

/* The indexed text fields. */
enum match_field { MATCH_TITLE = 0, MATCH_KEYWORDS = 1, MATCH_ABSTRACT = 2, MATCH_N_FIELDS = 3 };

/* Ranking parameters (match_params_default gives the evaluated defaults). */
struct match_params {
    double k1;                /* BM25 term-frequency saturation */
    double b[MATCH_N_FIELDS]; /* length normalisation per field, 0..1 */
    double w[MATCH_N_FIELDS]; /* field weights (0 leaves a field out of the index) */
    int qtf_cap;              /* a query term repeated n times counts min(n, cap) times */
    double disc_bonus;        /* discipline bonus as a fraction of the best text score */
    int disc_infer;           /* infer a demand's discipline when it names none (0/1) */
    double disc_min_share;    /* least vote share of an inferred discipline */
    int disc_vote_k;          /* text hits that vote for the inferred discipline */
    int rerank_n;             /* text candidates re-ranked with the structured signals */
    int window_log2;          /* MaxScore window: 2^window_log2 documents (8..16) */
};

/* One document handed to the builder; the builder copies what it keeps. */
struct match_doc {
    int64_t id;                       /* caller's id (achievement id), returned in hits */
    const char *text[MATCH_N_FIELDS]; /* field texts (NULL = empty); keywords joined by any
                                         separator, e.g. their JSON array text */
    const char *discipline;           /* discipline label or NULL */
};

struct match_builder;
struct match_index;
struct match_ctx;

/* Statistics of a built index. */
struct match_stats {
    uint32_t n_docs;                /* documents */
    uint32_t n_terms;               /* distinct terms */
    uint64_t n_postings;            /* postings */
    size_t bytes;                   /* memory held by the index */
    double avg_len[MATCH_N_FIELDS]; /* average field lengths in tokens */
};

/* One result. */
struct match_hit {
    uint32_t doc;      /* internal document number (build order) */
    int64_t id;        /* the document's id */
    uint32_t text_q;   /* text score in quantized units (the exact ranking key) */
    double text;       /* text score */
    double discipline; /* discipline bonus (0 when none) */
    double score;      /* text + discipline: the ranking */
};

/* Work done by the last search of a context (for benchmarks and tests). */
struct match_work {
    uint64_t postings;        /* postings of the query's terms (what exhaustive scoring reads) */
    uint64_t scored;          /* postings accumulated from essential lists */
    uint64_t candidates;      /* documents taken from the essential lists */
    uint64_t probes;          /* lookups in non-essential lists */
    uint32_t windows;         /* document windows */
    uint32_t windows_skipped; /* windows whose bound could not beat the k-th score */
    uint32_t seeded;          /* the starting threshold from the shortest lists (0: none) */
};

/* Options of one search. */
struct match_opts {
    int k;                  /* results wanted (1..1000) */
    const char *discipline; /* the demand's discipline; NULL: none (inferred when the
                               index's params say disc_infer); "" none at all */
    bool exhaustive;        /* score every posting (reference for tests and benchmarks) */
    bool text_only;         /* no structured signals: plain BM25F top-k */
    const uint64_t *exclude; /* bitmap over document numbers left out (bit d of word
                                d / 64), e.g. superseded versions; NULL: none */
};

/* A byte span [start, end) of the query. */
struct match_span {
    int start; /* first byte */
    int end;   /* one past the last byte */
};

/* Why a document matched: per field, its share of the text score and the longest
 * query substrings that occur in it verbatim (after folding); `all` merges the fields. */
struct match_explain {
    double field_score[MATCH_N_FIELDS];                       /* text score by field */
    int n_spans[MATCH_N_FIELDS];                              /* spans per field */
    struct match_span spans[MATCH_N_FIELDS][MATCH_MAX_SPANS]; /* in query order */
    int n_all;                                                /* spans over all fields */
    struct match_span all[MATCH_MAX_SPANS];                   /* in query order */
};

/* The defaults used by `kechuang match` (chosen on the evaluation's dev split). */
struct match_params match_params_default(void);

/* Starts a build with params p (copied). Never fails (aborts on out-of-memory). */
struct match_builder *match_builder_new(const struct match_params *p);
/* Adds a document; documents get numbers 0, 1, … in the order added. */
void match_builder_add(struct match_builder *b, const struct match_doc *d);
/* Finishes the build, frees the builder and returns the index (owned by the caller). */
struct match_index *match_builder_finish(struct match_builder *b);
/* Finishes a build whose scores are comparable with ref's: the idf of a term ref knows,
 * the average field lengths and the quantization scale come from ref (a new term's idf
 * counts ref's documents plus this build's). For a small delta index searched next to
 * ref (search/live.h). ref == NULL or empty: as match_builder_finish. */
struct match_index *match_builder_finish_ref(struct match_builder *b,
                                             const struct match_index *ref);
/* Frees an index; NULL is a no-op. */
void match_index_free(struct match_index *ix);
/* Fills *st with the index's statistics. */
void match_index_stats(const struct match_index *ix, struct match_stats *st);
/* The id of document number doc. */
int64_t match_doc_id(const struct match_index *ix, uint32_t doc);
/* The document number of id, or UINT32_MAX when the index does not hold it (binary
 * search when documents were added in ascending id order). */
uint32_t match_doc_of(const struct match_index *ix, int64_t id);
/* The share of documents (0..1) holding the single term that text (n bytes) makes in
 * query mode; -1 when text makes no term or several (for hiding very common words from
 * explanations). */
double match_term_share(const struct match_index *ix, const char *text, int n);
/* The discipline label of document number doc, or NULL. */
const char *match_doc_discipline(const struct match_index *ix, uint32_t doc);

/* Scratch space for searching ix from one thread (owned by the caller). */
struct match_ctx *match_ctx_new(const struct match_index *ix);
/* Re-targets a context to index ix (made with the same window size), so one context
 * serves successive snapshots of a live index. */
void match_ctx_bind(struct match_ctx *c, const struct match_index *ix);
/* Frees a context; NULL is a no-op. */
void match_ctx_free(struct match_ctx *c);

/* Copies the work counters of c's last search into *w. */
void match_ctx_work(const struct match_ctx *c, struct match_work *w);

/* Searches ix for the query text (n bytes) and writes at most o->k hits, best first,
 * to out (room for o->k). Returns the number of hits (0 when no term matches), or a
 * negative enum kc_err for bad options. */
int match_search(const struct match_index *ix, struct match_ctx *c, const char *query, int n,
                 const struct match_opts *o, struct match_hit *out);

/* Explains a hit: splits its text score by field and finds the matched query spans,
 * from the document's field texts as indexed (d, the same texts given to the builder).
 * Allocates only temporary memory (freed before returning). */
void match_explain(const struct match_index *ix, const char *query, int n,
                   const struct match_hit *hit, const struct match_doc *d,
                   struct match_explain *out);

#endif
