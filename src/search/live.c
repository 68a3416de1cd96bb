/* live.c — a base + delta matcher index kept in sync with a table (design in live.h). */
#include "search/live.h"
#include "core/log.h"
#include "core/xalloc.h"
#include "db/db.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A base index shared by the snapshots built on it. */
struct base {
    atomic_int refs;        /* snapshots (and the live index) holding it */
    struct match_index *ix; /* the index */
};

/* A published, immutable view: base + delta + tombstones. */
struct live_snap {
    atomic_int refs;           /* holders */
    struct base *base;         /* shared base */
    struct match_index *delta; /* current versions of touched rows (NULL: none) */
    uint64_t *hide;            /* tombstones over the base's document numbers (NULL: none) */
    uint32_t hidden;           /* bits set in hide */
};

/* A touched row: its latest version (or a deletion) and when it was touched. */
struct entry {
    int64_t id;        /* row id */
    uint64_t seq;      /* touch sequence number */
    bool deleted;      /* the row is gone */
    struct live_doc d; /* its texts when not deleted */
};

struct live {
    const struct live_source *src; /* SQL */
    struct match_params p;         /* ranking parameters */
    char *db_path;                 /* database for background rebuilds, NULL: synchronous */
    pthread_mutex_t mu;            /* guards everything below */
    struct live_snap *cur;         /* published snapshot */
    struct base *base;             /* base of the published snapshot */
    struct entry *e;               /* touched rows, ascending id */
    size_t n_e, cap_e;             /* used, allocated */
    uint64_t seq;                  /* touches so far */
    uint32_t delta_limit;          /* delta size that triggers a rebuild (0: automatic) */
    bool rebuilding;               /* a background rebuild runs */
    bool thread_started;           /* thread holds a thread to join */
    pthread_t thread;              /* the rebuild thread */
    uint64_t rebuilds;             /* finished rebuilds */
};

/* ------------------------------------------------------------------ documents */

/* Copies the current row of st (id, three texts, discipline) into d. */
static void doc_from_row(struct db_stmt *st, struct live_doc *d)
{
    memset(d, 0, sizeof(*d));
    d->doc.id = db_col_int(st, 0);
    for (int f = 0; f < MATCH_N_FIELDS; f++) {
        const char *t = db_col_text(st, 1 + f);
        d->doc.text[f] = xstrdup(t ? t : "");
    }
    const char *disc = db_col_text(st, 4);
    d->doc.discipline = disc ? xstrdup(disc) : NULL;
}

void live_doc_free(struct live_doc *d)
{
    for (int f = 0; f < MATCH_N_FIELDS; f++)
        free((char *)d->doc.text[f]);
    free((char *)d->doc.discipline);
    memset(d, 0, sizeof(*d));
}

int live_doc_load(struct live *L, struct db *db, int64_t id, struct live_doc *d)
{
    struct db_stmt *st = db_query(db, L->src->one, "i", id);
    if (!st)
        return KC_ERR_DB;
    int s = db_step(st);
    if (s == DB_ROW)
        doc_from_row(st, d);
    db_done(st);
    return s == DB_ROW ? 0 : s < 0 ? KC_ERR_DB : KC_ERR_NOT_FOUND;
}

/* ------------------------------------------------------------------ snapshots */

/* Drops a reference to a base. */
static void base_release(struct base *b)
{
    if (b && atomic_fetch_sub(&b->refs, 1) == 1) {
        match_index_free(b->ix);
        free(b);
    }
}

void live_release(struct live_snap *s)
{
    if (s && atomic_fetch_sub(&s->refs, 1) == 1) {
        base_release(s->base);
        match_index_free(s->delta);
        free(s->hide);
        free(s);
    }
}

struct live_snap *live_acquire(struct live *L)
{
    pthread_mutex_lock(&L->mu);
    struct live_snap *s = L->cur;
    if (s)
        atomic_fetch_add(&s->refs, 1);
    pthread_mutex_unlock(&L->mu);
    return s;
}

const struct match_index *live_snap_base(const struct live_snap *s)
{
    return s->base->ix;
}

uint32_t live_snap_docs(const struct live_snap *s)
{
    struct match_stats b = {0}, d = {0};
    match_index_stats(s->base->ix, &b);
    if (s->delta)
        match_index_stats(s->delta, &d);
    return b.n_docs - s->hidden + d.n_docs;
}

/* Builds a snapshot on base b from the touched rows (called with L->mu held, or by
 * the only thread that knows L) and publishes it. */
static void publish(struct live *L, struct base *b)
{
    struct live_snap *s = xcalloc(1, sizeof(*s));
    atomic_init(&s->refs, 1);
    atomic_fetch_add(&b->refs, 1);
    s->base = b;
    uint32_t nb = 0;
    {
        struct match_stats st;
        match_index_stats(b->ix, &st);
        nb = st.n_docs;
    }
    struct match_builder *mb = NULL;
    for (size_t i = 0; i < L->n_e; i++) {
        const struct entry *e = &L->e[i];
        uint32_t doc = match_doc_of(b->ix, e->id);
        if (doc != UINT32_MAX) {
            if (!s->hide)
                s->hide = xcalloc((nb + 63) / 64, sizeof(*s->hide));
            s->hide[doc >> 6] |= 1ULL << (doc & 63);
            s->hidden++;
        }
        if (!e->deleted) {
            if (!mb)
                mb = match_builder_new(&L->p);
            match_builder_add(mb, &e->d.doc);
        }
    }
    if (mb)
        s->delta = match_builder_finish_ref(mb, b->ix);
    struct live_snap *old = L->cur;
    L->cur = s;
    if (L->base != b) {
        atomic_fetch_add(&b->refs, 1);
        base_release(L->base);
        L->base = b;
    }
    live_release(old);
}

/* Reads every row through db into a new base (refs 0). */
static int build_base(struct live *L, struct db *db, struct base **out)
{
    struct db_stmt *st = db_prep(db, L->src->all);
    if (!st)
        return KC_ERR_DB;
    struct match_builder *b = match_builder_new(&L->p);
    int s;
    while ((s = db_step(st)) == DB_ROW) {
        struct match_doc d = {.id = db_col_int(st, 0),
                              .text = {db_col_text(st, 1), db_col_text(st, 2), db_col_text(st, 3)},
                              .discipline = db_col_text(st, 4)};
        match_builder_add(b, &d);
    }
    db_done(st);
    struct match_index *ix = match_builder_finish(b);
    if (s < 0) {
        match_index_free(ix);
        return KC_ERR_DB;
    }
    struct base *bs = xcalloc(1, sizeof(*bs));
    atomic_init(&bs->refs, 0);
    bs->ix = ix;
    *out = bs;
    return 0;
}

/* ------------------------------------------------------------------ life cycle */

struct live *live_new(const struct live_source *src, const struct match_params *p,
                      const char *db_path)
{
    struct live *L = xcalloc(1, sizeof(*L));
    L->src = src;
    L->p = *p;
    L->db_path = db_path ? xstrdup(db_path) : NULL;
    pthread_mutex_init(&L->mu, NULL);
    return L;
}

void live_set_delta_limit(struct live *L, uint32_t n)
{
    pthread_mutex_lock(&L->mu);
    L->delta_limit = n;
    pthread_mutex_unlock(&L->mu);
}

/* Forgets the touched rows with seq <= upto. */
static void drop_entries(struct live *L, uint64_t upto)
{
    size_t w = 0;
    for (size_t i = 0; i < L->n_e; i++) {
        if (L->e[i].seq <= upto)
            live_doc_free(&L->e[i].d);
        else
            L->e[w++] = L->e[i];
    }
    L->n_e = w;
}

int live_build(struct live *L, struct db *db)
{
    pthread_mutex_lock(&L->mu);
    uint64_t upto = L->seq;
    struct base *b = NULL;
    int rc = build_base(L, db, &b);
    if (!rc) {
        drop_entries(L, upto);
        publish(L, b);
    }
    pthread_mutex_unlock(&L->mu);
    return rc;
}

/* The background rebuild: a new base from the table, then the rows touched since it
 * started on top. */
static void *rebuild_main(void *arg)
{
    struct live *L = arg;
    pthread_mutex_lock(&L->mu);
    uint64_t upto = L->seq;
    pthread_mutex_unlock(&L->mu);
    struct db *db = NULL;
    struct base *b = NULL;
    int rc = db_open(L->db_path, &db);
    if (!rc)
        rc = build_base(L, db, &b);
    db_close(db);
    pthread_mutex_lock(&L->mu);
    if (!rc) {
        drop_entries(L, upto);
        publish(L, b);
        L->rebuilds++;
    } else {
        log_msg(LOG_ERROR, "live index rebuild failed", "index", L->src->name, NULL);
    }
    L->rebuilding = false;
    pthread_mutex_unlock(&L->mu);
    return NULL;
}

/* Current versions in the delta (deleted rows not counted). */
static uint32_t delta_size(const struct live *L)
{
    uint32_t n = 0;
    for (size_t i = 0; i < L->n_e; i++)
        n += !L->e[i].deleted;
    return n;
}

/* Starts a base rebuild when the touched rows outgrew the limit (L->mu held). */
static void maybe_rebuild(struct live *L, struct db *db)
{
    uint32_t limit = L->delta_limit;
    if (!limit) {
        struct match_stats st;
        match_index_stats(L->base->ix, &st);
        limit = st.n_docs / 16 > LIVE_DELTA_MIN ? st.n_docs / 16 : LIVE_DELTA_MIN;
    }
    if (L->n_e <= limit || L->rebuilding)
        return;
    if (!L->db_path) {
        struct base *b = NULL;
        if (build_base(L, db, &b) == 0) {
            drop_entries(L, L->seq);
            publish(L, b);
            L->rebuilds++;
        }
        return;
    }
    if (L->thread_started) {
        /* The previous rebuild cleared `rebuilding` and takes the lock no more. */
        pthread_join(L->thread, NULL);
        L->thread_started = false;
    }
    L->rebuilding = true;
    if (pthread_create(&L->thread, NULL, rebuild_main, L) != 0) {
        L->rebuilding = false;
        log_msg(LOG_ERROR, "cannot start the live index rebuild", "index", L->src->name, NULL);
        return;
    }
    L->thread_started = true;
}

/* Index of id in the touched rows, or the insertion point (*found tells). */
static size_t find_entry(const struct live *L, int64_t id, bool *found)
{
    size_t lo = 0, hi = L->n_e;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (L->e[mid].id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    *found = lo < L->n_e && L->e[lo].id == id;
    return lo;
}

int live_touch(struct live *L, struct db *db, const int64_t *ids, size_t n)
{
    pthread_mutex_lock(&L->mu);
    if (!L->cur) {
        pthread_mutex_unlock(&L->mu);
        return 0; /* not built yet: live_build will read everything */
    }
    int rc = 0;
    for (size_t i = 0; i < n && !rc; i++) {
        struct live_doc d;
        int s = live_doc_load(L, db, ids[i], &d);
        if (s && s != KC_ERR_NOT_FOUND) {
            rc = s;
            break;
        }
        bool found;
        size_t at = find_entry(L, ids[i], &found);
        if (!found) {
            if (L->n_e == L->cap_e) {
                L->cap_e = L->cap_e ? L->cap_e * 2 : 64;
                L->e = xrealloc(L->e, L->cap_e * sizeof(*L->e));
            }
            memmove(L->e + at + 1, L->e + at, (L->n_e - at) * sizeof(*L->e));
            L->n_e++;
            memset(&L->e[at], 0, sizeof(L->e[at]));
            L->e[at].id = ids[i];
        } else {
            live_doc_free(&L->e[at].d);
        }
        struct entry *e = &L->e[at];
        e->seq = ++L->seq;
        e->deleted = s == KC_ERR_NOT_FOUND;
        if (!e->deleted)
            e->d = d;
    }
    publish(L, L->base);
    maybe_rebuild(L, db);
    pthread_mutex_unlock(&L->mu);
    return rc;
}

void live_wait(struct live *L)
{
    pthread_mutex_lock(&L->mu);
    bool join = L->thread_started;
    L->thread_started = false;
    pthread_mutex_unlock(&L->mu);
    if (join)
        pthread_join(L->thread, NULL);
}

void live_free(struct live *L)
{
    if (!L)
        return;
    live_wait(L);
    live_release(L->cur);
    base_release(L->base);
    drop_entries(L, UINT64_MAX);
    free(L->e);
    free(L->db_path);
    pthread_mutex_destroy(&L->mu);
    free(L);
}

void live_stats(struct live *L, struct live_stats *st)
{
    memset(st, 0, sizeof(*st));
    pthread_mutex_lock(&L->mu);
    if (L->cur) {
        struct match_stats b;
        match_index_stats(L->cur->base->ix, &b);
        st->base_docs = b.n_docs;
        st->hidden = L->cur->hidden;
    }
    st->delta_docs = delta_size(L);
    st->rebuilds = L->rebuilds;
    st->seq = L->seq;
    pthread_mutex_unlock(&L->mu);
}

/* ------------------------------------------------------------------ search */

/* Best first: text score, then id. */
static int hit_cmp(const void *a, const void *b)
{
    const struct live_hit *x = a, *y = b;
    if (x->hit.text_q != y->hit.text_q)
        return x->hit.text_q < y->hit.text_q ? 1 : -1;
    return x->hit.id < y->hit.id ? -1 : x->hit.id > y->hit.id;
}

/* Text top-k of one index into out (after the n already there); returns the count
 * added or a negative kc_err. */
static int search_one(const struct match_index *ix, const uint64_t *hide, const char *q, int n,
                      int k, struct live_hit *out)
{
    struct match_stats st;
    match_index_stats(ix, &st);
    if (st.n_docs == 0)
        return 0;
    struct match_hit *h = xmalloc((size_t)k * sizeof(*h));
    struct match_ctx *c = match_ctx_new(ix);
    struct match_opts o = {.k = k, .text_only = true, .exclude = hide};
    int m = match_search(ix, c, q, n, &o, h);
    for (int i = 0; i < m; i++)
        out[i] = (struct live_hit){h[i], ix};
    match_ctx_free(c);
    free(h);
    return m;
}

int live_search(struct live_snap *s, const char *query, int n, int k, struct live_hit *out)
{
    if (k < 1 || k > 1000 || n < 0)
        return KC_ERR_INVALID;
    struct live_hit *all = xmalloc((size_t)k * 2 * sizeof(*all));
    int m = search_one(s->base->ix, s->hide, query, n, k, all);
    if (m >= 0 && s->delta) {
        int d = search_one(s->delta, NULL, query, n, k, all + m);
        m = d < 0 ? d : m + d;
    }
    if (m > 0) {
        qsort(all, (size_t)m, sizeof(*all), hit_cmp);
        if (m > k)
            m = k;
        memcpy(out, all, (size_t)m * sizeof(*out));
    }
    free(all);
    return m;
}
