/*
 * eval.h — ranking quality on the CSL corpus: our matcher against plain FTS5 bm25().
 *
 * Protocols (research/datasets.md §5.2; queries and judgments come only from the
 * corpus's own structure, and the field a query is made from is left out of the index):
 *
 *   keyword-as-topic  an author keyword k (≥ 2 characters) listed by min_df..50 papers
 *                     (papers with 20 keywords, machine-made, are left out of the
 *                     derivation) is the query; the papers listing k are relevant;
 *                     index: title + abstract. Run with min_df 3 (the research's P4,
 *                     comparable with its BM25 baseline) and min_df 2.
 *   title→abstract    a dev/test paper's title is the query, the paper is the one
 *                     relevant document; index: abstract only. A smoke test: it
 *                     saturates at this corpus size.
 *
 * Splits: keyword topics go to dev or test by a fixed hash of the keyword (FNV-1a);
 * titles by the paper's CSL split. Parameters are chosen on dev only; test is the
 * held-out figure. Metrics: nDCG@10 (binary gains) and recall@10, plus MRR@10.
 *
 * Systems: `fts5-bm25` — an FTS5 table with tokenize='kc_cjk' over the same fields,
 * queried with the OR of the query's kc_cjk tokens, ORDER BY rank (bm25(), no column
 * weights); `match-bm25` — our index with BM25 settings (one weight, b = 0.75), to
 * show what quantization and the engine alone do; `match` — our ranker with the given
 * parameters (text only); `match+disc` — the same with the inferred-discipline signal.
 */
#ifndef KC_SEARCH_EVAL_H
#define KC_SEARCH_EVAL_H

#include "search/match.h"

#include <stdio.h>

struct corpus;

/* What to run. */
struct eval_opts {
    struct match_params params; /* parameters of the `match` systems */
    const char *only;           /* run only this protocol ("topic3", "topic2", "title"), or NULL */
    const char *split;          /* "dev", "test" or "all" (NULL = dev and test) */
    int max_queries;            /* per protocol and split, 0 = all (a fixed-seed sample) */
};

/* Runs the protocols over corpus c and prints a table to out. Returns 0 or a negative
 * enum kc_err (database failure). */
int eval_run(const struct corpus *c, const struct eval_opts *o, FILE *out)
    __attribute__((warn_unused_result));

#endif
