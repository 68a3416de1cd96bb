/* hl.c — highlight spans of terms in a text (rules in hl.h). */
#include "search/hl.h"
#include "core/xalloc.h"
#include "search/tok.h"

#include <stdlib.h>
#include <string.h>

/* A text decoded into folded code points with each one's byte offset. */
struct folded {
    uint32_t *cp; /* folded code points */
    int *off;     /* byte offset of each in the source (n + 1 entries) */
    int n;        /* code points */
};

/* Decodes and folds s (len bytes); an invalid byte becomes U+FFFD. */
static void fold_text(const char *s, int len, struct folded *f)
{
    f->cp = xmalloc(((size_t)len + 1) * sizeof(*f->cp));
    f->off = xmalloc(((size_t)len + 2) * sizeof(*f->off));
    f->n = 0;
    int i = 0;
    while (i < len) {
        uint32_t c;
        int k = tok_decode(s + i, len - i, &c);
        if (k < 0) {
            c = 0xFFFD;
            k = 1;
        }
        f->off[f->n] = i;
        f->cp[f->n++] = c;
        i += k;
    }
    f->off[f->n] = len;
}

/* Frees a folded text. */
static void fold_free(struct folded *f)
{
    free(f->cp);
    free(f->off);
}

/* Orders spans by start, then end. */
static int span_cmp(const void *a, const void *b)
{
    const struct hl_span *x = a, *y = b;
    if (x->start != y->start)
        return x->start < y->start ? -1 : 1;
    return (x->end > y->end) - (x->end < y->end);
}

/* Finds the terms in the folded text t; writes up to max merged spans. */
static int find_folded(const struct folded *t, const char *const *terms, int n, struct hl_span *out,
                       int max)
{
    int cap = 64, m = 0;
    struct hl_span *all = xmalloc((size_t)cap * sizeof(*all));
    for (int k = 0; k < n; k++) {
        if (!terms[k] || !*terms[k])
            continue;
        struct folded q;
        fold_text(terms[k], (int)strlen(terms[k]), &q);
        for (int i = 0; q.n > 0 && i + q.n <= t->n; i++) {
            if (t->cp[i] != q.cp[0] || memcmp(t->cp + i, q.cp, (size_t)q.n * sizeof(*q.cp)) != 0)
                continue;
            if (m == cap) {
                cap *= 2;
                all = xrealloc(all, (size_t)cap * sizeof(*all));
            }
            all[m++] = (struct hl_span){i, i + q.n};
        }
        fold_free(&q);
    }
    qsort(all, (size_t)m, sizeof(*all), span_cmp);
    int w = 0;
    for (int i = 0; i < m; i++) {
        if (w > 0 && all[i].start < out[w - 1].end) {
            if (all[i].end > out[w - 1].end)
                out[w - 1].end = all[i].end;
            continue;
        }
        if (w == max)
            break;
        out[w++] = all[i];
    }
    free(all);
    return w;
}

int hl_find(const char *text, const char *const *terms, int n, struct hl_span *out, int max)
{
    struct folded t;
    fold_text(text ? text : "", text ? (int)strlen(text) : 0, &t);
    int m = find_folded(&t, terms, n, out, max);
    fold_free(&t);
    return m;
}

/* Writes spans as [[s,e],...]. */
static void write_spans(struct jw *w, const struct hl_span *s, int n, int shift)
{
    jw_arr_open(w);
    for (int i = 0; i < n; i++) {
        jw_arr_open(w);
        jw_int(w, s[i].start - shift);
        jw_int(w, s[i].end - shift);
        jw_arr_close(w);
    }
    jw_arr_close(w);
}

void hl_write(struct jw *w, const char *text, const char *const *terms, int n)
{
    struct hl_span s[HL_MAX_SPANS];
    int m = hl_find(text, terms, n, s, HL_MAX_SPANS);
    write_spans(w, s, m, 0);
}

void hl_write_snippet(struct jw *w, const char *text, const char *const *terms, int n,
                      int max_chars)
{
    if (!text)
        text = "";
    struct folded t;
    fold_text(text, (int)strlen(text), &t);
    struct hl_span s[HL_MAX_SPANS];
    int m = find_folded(&t, terms, n, s, HL_MAX_SPANS);
    int from = 0, to = t.n;
    if (t.n > max_chars) {
        /* Start a little before the first hit, so it reads in context. */
        from = m > 0 && s[0].start > max_chars / 4 ? s[0].start - max_chars / 4 : 0;
        if (from + max_chars > t.n)
            from = t.n - max_chars;
        to = from + max_chars;
    }
    const char *ell = "\xE2\x80\xA6"; /* … */
    struct buf b = {0};
    if (from > 0)
        buf_puts(&b, ell);
    buf_append(&b, text + t.off[from], (size_t)(t.off[to] - t.off[from]));
    if (to < t.n)
        buf_puts(&b, ell);
    int shift = from > 0 ? from - 1 : 0; /* the leading … is one character */
    struct hl_span in[HL_MAX_SPANS];
    int k = 0;
    for (int i = 0; i < m; i++) {
        if (s[i].end <= from || s[i].start >= to)
            continue;
        in[k].start = s[i].start < from ? from : s[i].start;
        in[k].end = s[i].end > to ? to : s[i].end;
        k++;
    }
    jw_obj_open(w);
    jw_kstr(w, "text", buf_str(&b));
    jw_key(w, "spans");
    write_spans(w, in, k, shift);
    jw_obj_close(w);
    buf_free(&b);
    fold_free(&t);
}
