/*
 * corpus.h — the CSL evaluation corpus (data/corpus/csl.jsonl) as records in memory.
 *
 * Used by the evaluation (search/eval.c), the speed benchmark and the tests. It trusts
 * its input: a line that is not an object with a string `id` and `title` is skipped.
 */
#ifndef KC_SEARCH_CORPUS_H
#define KC_SEARCH_CORPUS_H

#include <stddef.h>

/* One paper. All strings are owned by the corpus. */
struct corpus_rec {
    char *id;         /* source id, e.g. "cslb-dev-0000" */
    char *title;      /* title */
    char *abstract;   /* abstract ("" when absent) */
    char *discipline; /* 学科 label or NULL */
    char *split;      /* "dev", "test", "extra" or NULL */
    char **kw;        /* keywords */
    int n_kw;         /* their count */
    char *kw_text;    /* keywords joined by "；" (for indexing) */
};

/* A loaded corpus; zero-initialise, fill with corpus_load_*, free with corpus_free. */
struct corpus {
    struct corpus_rec *r; /* records in file order */
    size_t n;             /* their count */
};

/* Parses JSON Lines (len bytes) into c. Returns 0, or KC_ERR_INVALID when no line
 * held a record. */
int corpus_load_buf(const char *data, size_t len, struct corpus *c)
    __attribute__((warn_unused_result));
/* Loads FILE, or the embedded data/corpus/csl.jsonl when path is NULL. Returns 0,
 * KC_ERR_IO (unreadable or missing) or KC_ERR_INVALID. */
int corpus_load(const char *path, struct corpus *c) __attribute__((warn_unused_result));
/* Frees every record. */
void corpus_free(struct corpus *c);

#endif
