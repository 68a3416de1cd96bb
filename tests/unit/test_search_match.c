/* test_search_match.c — unit tests for search/match: a title query finds its own
 * paper first, MaxScore pruning returns exactly the exhaustive top-k on random
 * demand-like queries, matched-term spans and per-field scores, the discipline signal. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "search/corpus.h"
#include "search/match.h"

/* The embedded CSL corpus and an index over title, keywords and abstract. */
static struct corpus corp;
static struct match_index *ix;

/* The matcher's view of corpus record i (id = i + 1). */
static struct match_doc doc_of(size_t i)
{
    const struct corpus_rec *r = &corp.r[i];
    return (struct match_doc){.id = (int64_t)i + 1,
                              .text = {r->title, r->kw_text, r->abstract},
                              .discipline = r->discipline};
}

/* Loads the corpus and builds the index once for the group. */
static int setup(void **state)
{
    (void)state;
    if (corpus_load(NULL, &corp) != 0)
        return -1;
    struct match_params p = match_params_default();
    struct match_builder *b = match_builder_new(&p);
    for (size_t i = 0; i < corp.n; i++) {
        struct match_doc d = doc_of(i);
        match_builder_add(b, &d);
    }
    ix = match_builder_finish(b);
    return 0;
}

/* Frees the index and the corpus. */
static int teardown(void **state)
{
    (void)state;
    match_index_free(ix);
    corpus_free(&corp);
    return 0;
}

/* A small deterministic generator (xorshift64*). */
static uint64_t rng_state = 0x9E3779B97F4A7C15ULL;

/* The next pseudo-random number. */
static uint64_t rnd(void)
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 2685821657736338717ULL;
}

/* Copies about chars characters of s starting near character from into out (cut at
 * UTF-8 character boundaries). */
static void snippet(const char *s, size_t from, size_t chars, char *out, size_t cap)
{
    const char *p = s;
    for (size_t i = 0; i < from && *p; i++)
        do
            p++;
        while ((*p & 0xC0) == 0x80);
    size_t n = 0;
    const char *q = p;
    for (size_t i = 0; i < chars && *q; i++)
        do
            q++;
        while ((*q & 0xC0) == 0x80);
    n = (size_t)(q - p);
    if (n >= cap)
        n = cap - 1;
    memcpy(out, p, n);
    out[n] = '\0';
}

/* Every title of a sample finds its own paper first (or a paper with the same title). */
static void test_title_finds_itself(void **state)
{
    (void)state;
    struct match_ctx *c = match_ctx_new(ix);
    struct match_hit hits[10];
    struct match_opts o = {.k = 10};
    int own_first = 0, tried = 0;
    for (size_t i = 0; i < corp.n; i += 23) {
        const char *t = corp.r[i].title;
        int n = match_search(ix, c, t, (int)strlen(t), &o, hits);
        assert_true(n > 0);
        tried++;
        size_t top = (size_t)(hits[0].id - 1);
        if (top == i || strcmp(corp.r[top].title, t) == 0)
            own_first++;
        else
            print_message("title %s: first is %s\n", t, corp.r[top].title);
    }
    assert_int_equal(own_first, tried);
    match_ctx_free(c);
}

/* Searches that started from a seeded threshold, and windows skipped, so far. */
static int seeded, skipped;

/* Compares pruned and exhaustive results on index x for one query and k. */
static void same_topk(const struct match_index *x, struct match_ctx *c, const char *q, int k,
                      bool text_only)
{
    struct match_hit a[50], b[50];
    struct match_opts o = {.k = k, .text_only = text_only};
    int na = match_search(x, c, q, (int)strlen(q), &o, a);
    struct match_work w;
    match_ctx_work(c, &w);
    seeded += w.seeded > 0;
    skipped += w.windows_skipped;
    o.exhaustive = true;
    int nb = match_search(x, c, q, (int)strlen(q), &o, b);
    assert_int_equal(na, nb);
    for (int i = 0; i < na; i++) {
        if (a[i].doc != b[i].doc || a[i].text_q != b[i].text_q)
            fail_msg("query %s k=%d rank %d: pruned doc %u (%u) vs exhaustive doc %u (%u)", q, k, i,
                     a[i].doc, a[i].text_q, b[i].doc, b[i].text_q);
        assert_true(i == 0 || a[i - 1].text_q >= a[i].text_q || !text_only);
    }
}

/* MaxScore gives exactly the exhaustive top-k on random queries: demand-length
 * snippets of abstracts, keywords, titles, and k of 1, 10 and 50; on the corpus and
 * on four copies of it with small windows (many windows, the seeded threshold, and
 * every score tied four ways). */
static void test_pruning_is_exact(void **state)
{
    (void)state;
    struct match_params p = match_params_default();
    p.window_log2 = 10;
    struct match_builder *bld = match_builder_new(&p);
    for (int copy = 0; copy < 4; copy++)
        for (size_t i = 0; i < corp.n; i++) {
            struct match_doc d = doc_of(i);
            d.id += (int64_t)copy * 100000;
            match_builder_add(bld, &d);
        }
    struct match_index *big = match_builder_finish(bld);
    struct match_ctx *cb = match_ctx_new(big);
    struct match_ctx *c = match_ctx_new(ix);
    char q[4096];
    for (int i = 0; i < 300; i++) {
        const struct corpus_rec *r = &corp.r[rnd() % corp.n];
        switch (i % 3) {
        case 0:
            snippet(r->abstract, rnd() % 40, 50 + rnd() % 251, q, sizeof(q));
            break;
        case 1:
            snprintf(q, sizeof(q), "%s", r->n_kw ? r->kw[rnd() % (unsigned)r->n_kw] : r->title);
            break;
        default:
            snprintf(q, sizeof(q), "%s", r->title);
            break;
        }
        int ks[] = {1, 10, 50};
        for (int j = 0; j < 3; j++) {
            same_topk(ix, c, q, ks[j], true);
            same_topk(big, cb, q, ks[j], true);
        }
        same_topk(ix, c, q, 10, false);
    }
    match_ctx_free(cb);
    match_index_free(big);
    /* The pruning paths were taken: seeded thresholds and skipped windows. */
    print_message("seeded searches %d, windows skipped %d\n", seeded, skipped);
    assert_true(seeded > 100);
    assert_true(skipped > 100);
    /* Queries with no known term, and an empty one. */
    struct match_hit h[10];
    struct match_opts o = {.k = 10};
    assert_int_equal(match_search(ix, c, "zzqqxx 𪛖", (int)strlen("zzqqxx 𪛖"), &o, h), 0);
    assert_int_equal(match_search(ix, c, "", 0, &o, h), 0);
    o.k = 0;
    assert_true(match_search(ix, c, "电池", 6, &o, h) < 0);
    match_ctx_free(c);
}

/* Spans: chains of bigrams are cut into the longest pieces found verbatim in each
 * field; words and lone characters match by presence; field scores sum to the text
 * score. */
static void test_spans(void **state)
{
    (void)state;
    struct match_params p = match_params_default();
    struct match_builder *b = match_builder_new(&p);
    struct match_doc docs[] = {
        {1, {"锂离子电池隔膜的制备", "锂电池；隔膜", "研究了聚乙烯隔膜"}, "材料科学"},
        {2, {"离心泵的PLC控制", "泵；PLC", "用PLC控制离心泵"}, "机械工程"},
        {3, {"水稻育种", "水稻", "杂交水稻品种选育"}, "作物学"},
    };
    for (int i = 0; i < 3; i++)
        match_builder_add(b, &docs[i]);
    struct match_index *small = match_builder_finish(b);
    struct match_ctx *c = match_ctx_new(small);
    const char *q = "高性能锂离子电池隔膜，PLC控制，泵";
    struct match_hit hits[3];
    struct match_opts o = {.k = 3, .text_only = true};
    int n = match_search(small, c, q, (int)strlen(q), &o, hits);
    assert_int_equal(n, 2);
    char s[256];
    for (int h = 0; h < n; h++) {
        struct match_explain ex;
        const struct match_doc *d = &docs[hits[h].id - 1];
        match_explain(small, q, (int)strlen(q), &hits[h], d, &ex);
        double sum = ex.field_score[0] + ex.field_score[1] + ex.field_score[2];
        assert_true(fabs(sum - hits[h].text) < 1e-9);
        if (hits[h].id == 1) {
            assert_int_equal(ex.n_spans[MATCH_TITLE], 1);
            snprintf(s, sizeof(s), "%.*s", ex.spans[0][0].end - ex.spans[0][0].start,
                     q + ex.spans[0][0].start);
            assert_string_equal(s, "锂离子电池隔膜");
            assert_int_equal(ex.n_spans[MATCH_KEYWORDS], 2);
            snprintf(s, sizeof(s), "%.*s|%.*s", ex.spans[1][0].end - ex.spans[1][0].start,
                     q + ex.spans[1][0].start, ex.spans[1][1].end - ex.spans[1][1].start,
                     q + ex.spans[1][1].start);
            assert_string_equal(s, "电池|隔膜");
            assert_int_equal(ex.n_spans[MATCH_ABSTRACT], 1);
            assert_int_equal(ex.n_all, 1);
            assert_true(ex.field_score[MATCH_TITLE] > ex.field_score[MATCH_ABSTRACT]);
        } else {
            assert_int_equal(hits[h].id, 2);
            /* title 离心泵的PLC控制: "plc", "控制" and the lone 泵 (a unigram) */
            assert_int_equal(ex.n_spans[MATCH_TITLE], 3);
            snprintf(s, sizeof(s), "%.*s|%.*s|%.*s", ex.spans[0][0].end - ex.spans[0][0].start,
                     q + ex.spans[0][0].start, ex.spans[0][1].end - ex.spans[0][1].start,
                     q + ex.spans[0][1].start, ex.spans[0][2].end - ex.spans[0][2].start,
                     q + ex.spans[0][2].start);
            assert_string_equal(s, "PLC|控制|泵");
        }
    }
    /* An explicit discipline lifts its documents (when the bonus is on). */
    match_ctx_free(c);
    match_index_free(small);
    p.disc_bonus = 0.5;
    b = match_builder_new(&p);
    for (int i = 0; i < 3; i++)
        match_builder_add(b, &docs[i]);
    small = match_builder_finish(b);
    c = match_ctx_new(small);
    o.text_only = false;
    o.discipline = "机械工程";
    const char *q2 = "锂离子电池隔膜 泵";
    n = match_search(small, c, q2, (int)strlen(q2), &o, hits);
    assert_int_equal(n, 2);
    assert_int_equal(hits[0].id, 1); /* text score far ahead */
    assert_true(hits[1].discipline > 0);
    assert_true(fabs(hits[1].score - hits[1].text - hits[1].discipline) < 1e-9);
    o.discipline = "";
    n = match_search(small, c, q2, (int)strlen(q2), &o, hits);
    assert_true(hits[1].discipline == 0);
    match_ctx_free(c);
    match_index_free(small);
}

/* Runs the tests. */
int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_title_finds_itself),
        cmocka_unit_test(test_pruning_is_exact),
        cmocka_unit_test(test_spans),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
