/* market.c — the market's live indexes and the four matching directions (market.h). */
#include "search/market.h"
#include "core/buf.h"
#include "core/log.h"
#include "core/xalloc.h"
#include "db/db.h"
#include "domain/market.h"
#include "search/hl.h"
#include "search/live.h"
#include "search/match.h"
#include "store/demand.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Text candidates taken from an index before the structured signals re-rank them. */
#define POOL_MIN 200
/* Achievement candidates grouped into institutions. */
#define POOL_INST 400
/* Matched terms found in more than this share of the documents (采用, 研究, 提高 …)
 * count in the score but are not listed as reasons: they explain nothing. */
#define COMMON_SHARE 0.05
#define COMMON_MIN_DOCS 200
/* Characters of the snippet of a long text field. */
#define SNIPPET_CHARS 160

/* Where each corpus reads its documents (columns: id, title, keywords, abstract,
 * discipline in the matcher's sense). */
static const struct live_source sources[MC_N] = {
    {"achievements",
     "SELECT id, title, keywords, abstract, discipline FROM achievements ORDER BY id",
     "SELECT id, title, keywords, abstract, discipline FROM achievements WHERE id = ?"},
    {"demands",
     "SELECT d.id, d.title, d.keywords || ' ' || coalesce((SELECT group_concat(i.name || ' ' || "
     "i.unit, '；') FROM demand_indicators i WHERE i.demand_id = d.id), ''), d.problem, d.field "
     "FROM demands d ORDER BY d.id",
     "SELECT d.id, d.title, d.keywords || ' ' || coalesce((SELECT group_concat(i.name || ' ' || "
     "i.unit, '；') FROM demand_indicators i WHERE i.demand_id = d.id), ''), d.problem, d.field "
     "FROM demands d WHERE d.id = ?"},
    {"experts",
     "SELECT id, fields, keywords, bio || ' ' || coalesce(title, ''), NULL FROM experts ORDER BY "
     "id",
     "SELECT id, fields, keywords, bio || ' ' || coalesce(title, ''), NULL FROM experts WHERE id = "
     "?"},
};

/* The names of the three indexed fields per corpus, as the reasons call them. */
static const char *const field_names[MC_N][MATCH_N_FIELDS] = {
    {"title", "keywords", "abstract"},
    {"title", "keywords", "problem"},
    {"fields", "keywords", "bio"},
};

static struct live *indexes[MC_N];

int market_index_start(struct db *db, const char *db_path)
{
    struct match_params p = match_params_default();
    for (int c = 0; c < MC_N; c++) {
        indexes[c] = live_new(&sources[c], &p, db_path);
        int rc = live_build(indexes[c], db);
        if (rc) {
            market_index_stop();
            return rc;
        }
    }
    return 0;
}

void market_index_stop(void)
{
    for (int c = 0; c < MC_N; c++) {
        live_free(indexes[c]);
        indexes[c] = NULL;
    }
}

struct live *market_live(enum market_corpus c)
{
    return c >= 0 && c < MC_N ? indexes[c] : NULL;
}

void market_index_touch(enum market_corpus c, struct db *db, const int64_t *ids, size_t n)
{
    struct live *L = market_live(c);
    if (L && n && live_touch(L, db, ids, n) != 0)
        log_msg(LOG_ERROR, "live index update failed", "index", sources[c].name, NULL);
}

/* ------------------------------------------------------------------ helpers */

/* Writes a number with four decimals. */
static void num4(struct jw *w, double v)
{
    char s[64];
    int n = snprintf(s, sizeof(s), "%.4f", v);
    if (strcmp(s, "-0.0000") == 0)
        n = snprintf(s, sizeof(s), "0.0000");
    jw_raw(w, s, (size_t)n);
}

/* String member or NULL. */
static const char *js(json_t *o, const char *k)
{
    return json_string_value(json_object_get(o, k));
}

/* Integer member or 0. */
static int64_t ji(json_t *o, const char *k)
{
    return json_integer_value(json_object_get(o, k));
}

/* Appends the strings of array member k of o to b, separated by spaces. */
static void put_list(struct buf *b, json_t *o, const char *k)
{
    size_t i;
    json_t *e;
    json_array_foreach(json_object_get(o, k), i, e)
    {
        buf_puts(b, json_string_value(e) ? json_string_value(e) : "");
        buf_puts(b, " ");
    }
}

/* True when array member k of o holds string v. */
static bool list_has(json_t *o, const char *k, const char *v)
{
    size_t i;
    json_t *e;
    if (!v)
        return false;
    json_array_foreach(json_object_get(o, k), i,
                       e) if (json_string_value(e) &&
                              strcmp(json_string_value(e), v) == 0) return true;
    return false;
}

/* A demand's query text: title, keywords, indicator names, problem. */
static void demand_text(json_t *d, struct buf *b)
{
    buf_puts(b, js(d, "title") ? js(d, "title") : "");
    buf_puts(b, "\n");
    put_list(b, d, "keywords");
    size_t i;
    json_t *e;
    json_array_foreach(json_object_get(d, "indicators"), i, e)
    {
        buf_puts(b, js(e, "name") ? js(e, "name") : "");
        buf_puts(b, "；");
    }
    buf_puts(b, "\n");
    buf_puts(b, js(d, "problem") ? js(d, "problem") : "");
}

/* A demand's side of the signals. */
static void demand_attrs(json_t *d, struct market_attrs *a)
{
    memset(a, 0, sizeof(*a));
    a->chain = js(d, "chain");
    a->chain_name = js(d, "chain_name");
    a->field = js(d, "field");
    a->region_code = js(d, "region_code");
    a->modes = market_mask(market_coop_modes, json_object_get(d, "coop_modes"));
    a->org_id = ji(d, "org_id");
}

/* An achievement's side of the signals (deals: its owner's track record); q unused. */
static void ach_attrs(json_t *r, const struct market_attrs *q, struct market_attrs *a)
{
    (void)q;
    memset(a, 0, sizeof(*a));
    a->chain = js(r, "chain");
    a->chain_name = js(r, "chain_name");
    a->field = js(r, "field");
    a->discipline = js(r, "discipline");
    a->region_code = js(r, "region_code");
    a->modes = market_mask(market_transfer_modes, json_object_get(r, "transfer_modes"));
    a->trl = (int)ji(r, "trl");
    a->deals = ji(r, "owner_deals");
    a->org_id = ji(r, "owner_org_id");
}

/* One candidate. */
struct cand {
    struct live_hit h;      /* its text hit */
    json_t *rec;            /* its record (NULL: filtered out) */
    double sig[SIG_N];      /* signal contributions */
    double strength[SIG_N]; /* signal strengths */
    double score;           /* text + contributions */
};

/* Orders candidates by id (for attaching records). */
static int cand_id_cmp(const void *a, const void *b)
{
    const struct cand *x = a, *y = b;
    return (x->h.hit.id > y->h.hit.id) - (x->h.hit.id < y->h.hit.id);
}

/* Orders candidates best first: score, text score, id. */
static int cand_score_cmp(const void *a, const void *b)
{
    const struct cand *x = a, *y = b;
    if (x->score != y->score)
        return x->score < y->score ? 1 : -1;
    if (x->h.hit.text != y->h.hit.text)
        return x->h.hit.text < y->h.hit.text ? 1 : -1;
    return (x->h.hit.id > y->h.hit.id) - (x->h.hit.id < y->h.hit.id);
}

/* Text search in corpus c: fills *out (malloc'd, caller frees) with up to n
 * candidates and returns their count (0 on none, negative kc_err). *snap is held. */
static int text_pool(enum market_corpus c, const char *text, int n, struct live_snap **snap,
                     struct cand **out)
{
    *out = NULL;
    *snap = live_acquire(indexes[c]);
    if (!*snap)
        return KC_ERR_INVALID;
    struct live_hit *h = xmalloc((size_t)n * sizeof(*h));
    int m = live_search(*snap, text, (int)strlen(text), n, h);
    if (m > 0) {
        *out = xcalloc((size_t)m, sizeof(**out));
        for (int i = 0; i < m; i++)
            (*out)[i].h = h[i];
    }
    free(h);
    return m;
}

/* Runs sql (its first ? is the JSON array of the candidates' ids, then args) and
 * attaches each row (db_row_json) to its candidate; drops the candidates without a
 * row. Returns the number kept or KC_ERR_DB. */
static int attach(struct db *db, const char *sql, const struct db_args *extra, struct cand *c,
                  int n)
{
    qsort(c, (size_t)n, sizeof(*c), cand_id_cmp);
    json_t *ids = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(ids, json_integer(c[i].h.hit.id));
    char *idtext = json_dumps(ids, JSON_COMPACT);
    json_decref(ids);
    struct db_args a = {0};
    db_args_text(&a, idtext);
    for (int i = 0; extra && i < extra->n; i++) {
        if (extra->type[i] == 'i')
            db_args_int(&a, extra->i[i]);
        else
            db_args_text(&a, extra->s[i]);
    }
    struct db_stmt *st = db_prep_args(db, sql, &a);
    int s = st ? DB_ROW : KC_ERR_DB;
    while (st && (s = db_step(st)) == DB_ROW) {
        struct cand key = {.h.hit.id = db_col_int(st, 0)};
        struct cand *hit = bsearch(&key, c, (size_t)n, sizeof(*c), cand_id_cmp);
        if (hit && !hit->rec)
            hit->rec = db_row_json(st);
    }
    if (st)
        db_done(st);
    free(idtext);
    if (s < 0) {
        for (int i = 0; i < n; i++) {
            json_decref(c[i].rec);
            c[i].rec = NULL;
        }
        return KC_ERR_DB;
    }
    int w = 0;
    for (int i = 0; i < n; i++)
        if (c[i].rec)
            c[w++] = c[i];
    return w;
}

/* Frees the records of n candidates and the array. */
static void cands_free(struct cand *c, int n)
{
    for (int i = 0; i < n; i++)
        json_decref(c[i].rec);
    free(c);
}

/* Applies the signals (strengths from each candidate's attributes, computed by
 * attrs_of against the query side q) and sorts best first. demand_side tells whether
 * q is the demand. */
static void rank(struct cand *c, int n, const struct market_attrs *q, bool demand_side,
                 void (*attrs_of)(json_t *, const struct market_attrs *, struct market_attrs *))
{
    double best = 0;
    for (int i = 0; i < n; i++)
        if (c[i].h.hit.text > best)
            best = c[i].h.hit.text;
    for (int i = 0; i < n; i++) {
        struct market_attrs s;
        attrs_of(c[i].rec, q, &s);
        if (demand_side)
            market_signals(q, &s, c[i].strength);
        else
            market_signals(&s, q, c[i].strength);
        c[i].score = c[i].h.hit.text;
        for (int k = 0; k < SIG_N; k++) {
            c[i].sig[k] =
                market_signal_weights[k] * c[i].strength[k] * (c[i].h.hit.text + best) / 2;
            c[i].score += c[i].sig[k];
        }
    }
    qsort(c, (size_t)n, sizeof(*c), cand_score_cmp);
}

/* The text explanation of one hit: per field share and spans, and the matched terms
 * (query substrings, malloc'd; free with terms_free). */
struct why {
    struct match_explain ex; /* per-field scores and spans */
    char **terms;            /* distinct matched terms */
    int n_terms;             /* their count */
};

/* True when the query substring [s, e) of text is a word too common to list. */
static bool common_term(const struct match_index *base, const char *text, int s, int e)
{
    struct match_stats st;
    match_index_stats(base, &st);
    /* A small library says little about what is common. */
    return st.n_docs >= COMMON_MIN_DOCS && match_term_share(base, text + s, e - s) > COMMON_SHARE;
}

/* Explains candidate c of corpus k for the query text (base: the library's index for
 * telling common words). */
static void explain(struct db *db, enum market_corpus k, const struct match_index *base,
                    const char *text, const struct cand *c, struct why *y)
{
    memset(y, 0, sizeof(*y));
    struct live_doc d;
    if (live_doc_load(indexes[k], db, c->h.hit.id, &d) != 0)
        return;
    match_explain(c->h.ix, text, (int)strlen(text), &c->h.hit, &d.doc, &y->ex);
    live_doc_free(&d);
    /* Drop the common words from the listed spans (the scores keep them). */
    for (int f = 0; f < MATCH_N_FIELDS; f++) {
        int w = 0;
        for (int i = 0; i < y->ex.n_spans[f]; i++)
            if (!common_term(base, text, y->ex.spans[f][i].start, y->ex.spans[f][i].end))
                y->ex.spans[f][w++] = y->ex.spans[f][i];
        y->ex.n_spans[f] = w;
    }
    int w = 0;
    for (int i = 0; i < y->ex.n_all; i++)
        if (!common_term(base, text, y->ex.all[i].start, y->ex.all[i].end))
            y->ex.all[w++] = y->ex.all[i];
    y->ex.n_all = w;
    y->terms = xcalloc(MATCH_MAX_SPANS, sizeof(*y->terms));
    for (int i = 0; i < y->ex.n_all; i++) {
        const struct match_span *s = &y->ex.all[i];
        char *t = xmalloc((size_t)(s->end - s->start) + 1);
        memcpy(t, text + s->start, (size_t)(s->end - s->start));
        t[s->end - s->start] = '\0';
        bool dup = false;
        for (int j = 0; j < y->n_terms && !dup; j++)
            dup = strcmp(y->terms[j], t) == 0;
        if (dup)
            free(t);
        else
            y->terms[y->n_terms++] = t;
    }
}

/* Frees an explanation's terms. */
static void why_free(struct why *y)
{
    for (int i = 0; i < y->n_terms; i++)
        free(y->terms[i]);
    free(y->terms);
}

/* Writes the text reasons (one per field with a share) of y for corpus k. */
static void write_text_reasons(struct jw *w, enum market_corpus k, const char *text,
                               const struct why *y)
{
    for (int f = 0; f < MATCH_N_FIELDS; f++) {
        if (y->ex.field_score[f] <= 0 && !y->ex.n_spans[f])
            continue;
        jw_obj_open(w);
        jw_kstr(w, "signal", "text");
        jw_kstr(w, "field", field_names[k][f]);
        jw_key(w, "contribution");
        num4(w, y->ex.field_score[f]);
        jw_key(w, "terms");
        jw_arr_open(w);
        for (int i = 0; i < y->ex.n_spans[f]; i++)
            jw_strn(w, text + y->ex.spans[f][i].start,
                    (size_t)(y->ex.spans[f][i].end - y->ex.spans[f][i].start));
        jw_arr_close(w);
        jw_obj_close(w);
    }
}

/* Writes the reason of signal s of candidate c (when it fired), with its value. */
static void write_signal(struct jw *w, int s, const struct cand *c, const struct market_attrs *d,
                         const struct market_attrs *sup)
{
    if (c->sig[s] <= 0)
        return;
    jw_obj_open(w);
    jw_kstr(w, "signal", market_signal_names[s]);
    jw_key(w, "contribution");
    num4(w, c->sig[s]);
    jw_key(w, "strength");
    num4(w, c->strength[s]);
    switch (s) {
    case SIG_CHAIN:
        jw_kstr(w, "value",
                sup->chain_name && d->chain_name && strcmp(sup->chain_name, d->chain_name) == 0
                    ? sup->chain_name
                    : sup->chain);
        break;
    case SIG_FIELD:
        jw_kstr(w, "value",
                sup->field && d->field && strcmp(sup->field, d->field) == 0 ? sup->field
                                                                            : sup->discipline);
        break;
    case SIG_TRL: {
        int lo, hi;
        market_trl_range(d->modes, &lo, &hi);
        jw_kint(w, "value", sup->trl);
        jw_key(w, "want");
        jw_arr_open(w);
        jw_int(w, lo);
        jw_int(w, hi);
        jw_arr_close(w);
        break;
    }
    case SIG_MODE:
        jw_key(w, "value");
        jw_arr_open(w);
        for (int i = 0; market_transfer_modes[i]; i++)
            if (sup->modes & (1u << i))
                jw_str(w, market_transfer_modes[i]);
        jw_arr_close(w);
        break;
    case SIG_REGION: {
        static const char *lv[] = {"", "province", "prefecture", "county"};
        jw_kstr(w, "value", lv[market_region_level(d->region_code, sup->region_code)]);
        break;
    }
    case SIG_TRACK:
        jw_kint(w, "value", sup->deals);
        break;
    }
    jw_obj_close(w);
}

/* Writes the terms array. */
static void write_terms(struct jw *w, const struct why *y)
{
    jw_key(w, "terms");
    jw_arr_open(w);
    for (int i = 0; i < y->n_terms; i++)
        jw_str(w, y->terms[i]);
    jw_arr_close(w);
}

/* Writes the raw JSON of rec under "record". */
static void write_record(struct jw *w, json_t *rec)
{
    char *t = json_dumps(rec, JSON_COMPACT);
    jw_key(w, "record");
    jw_raw(w, t, strlen(t));
    free(t);
}

/* Writes "keywords_matched": the keywords of rec (array member k) holding a term. */
static void write_matched_list(struct jw *w, const char *key, json_t *rec, const char *k,
                               const struct why *y)
{
    jw_key(w, key);
    jw_arr_open(w);
    size_t i;
    json_t *e;
    json_array_foreach(json_object_get(rec, k), i, e)
    {
        struct hl_span sp;
        if (json_string_value(e) &&
            hl_find(json_string_value(e), (const char *const *)y->terms, y->n_terms, &sp, 1) > 0)
            jw_str(w, json_string_value(e));
    }
    jw_arr_close(w);
}

/* ------------------------------------------------------------------ directions */

/* Achievement columns for candidates: the API shape plus the owner's track record. */
static const char ach_cand_sql[] =
    "SELECT a.id, a.title, a.abstract, a.keywords AS keywords_json, a.discipline, a.field, a.kind, "
    "a.patent_numbers AS patent_numbers_json, a.trl, a.transfer_modes AS transfer_modes_json, "
    "a.price_min_fen, a.price_max_fen, a.owner_org_id, o.name AS owner_org_name, "
    "o.kind AS owner_org_kind, o.chains AS owner_chains_json, a.region_code, "
    "r.name AS region_name, a.chain, c.name AS chain_name, a.status, a.deal_count, "
    "(SELECT count(*) FROM contracts k WHERE k.seller_org_id = a.owner_org_id) AS "
    "owner_contracts, (SELECT count(*) FROM contracts k WHERE k.seller_org_id = "
    "a.owner_org_id) + a.deal_count AS owner_deals "
    "FROM achievements a LEFT JOIN orgs o ON o.id = a.owner_org_id "
    "LEFT JOIN regions r ON r.code = a.region_code LEFT JOIN chains c ON c.code = a.chain "
    "WHERE a.id IN (SELECT value FROM json_each(?)) AND a.status = 'published' "
    "AND (a.owner_org_id IS NULL OR a.owner_org_id <> ?)";

/* Writes the source object of a match answer. */
static void write_source(struct jw *w, const char *kind, json_t *rec)
{
    jw_key(w, "source");
    jw_obj_open(w);
    jw_kstr(w, "kind", kind);
    jw_kint(w, "id", ji(rec, "id"));
    jw_kstr(w, "title", js(rec, "title"));
    jw_obj_close(w);
}

/* Writes the common head of an item: id, title, scores. */
static void item_head(struct jw *w, int64_t id, const char *title, double score, double text)
{
    jw_kint(w, "id", id);
    jw_kstr(w, "title", title);
    jw_key(w, "score");
    num4(w, score);
    jw_key(w, "text_score");
    num4(w, text);
}

/* demand → achievements, the list written under key. */
static int to_achievements(struct db *db, json_t *dem, const char *text, int k, const char *key,
                           struct jw *w)
{
    struct market_attrs q;
    demand_attrs(dem, &q);
    struct live_snap *snap;
    struct cand *c;
    int n = text_pool(MC_ACH, text, k * 4 > POOL_MIN ? k * 4 : POOL_MIN, &snap, &c);
    if (n > 0) {
        struct db_args a = {0};
        db_args_int(&a, q.org_id);
        n = attach(db, ach_cand_sql, &a, c, n);
    }
    if (n < 0) {
        cands_free(c, 0);
        live_release(snap);
        return n;
    }
    rank(c, n, &q, true, ach_attrs);
    jw_key(w, key);
    jw_arr_open(w);
    for (int i = 0; i < n && i < k; i++) {
        struct why y;
        explain(db, MC_ACH, live_snap_base(snap), text, &c[i], &y);
        struct market_attrs s;
        ach_attrs(c[i].rec, &q, &s);
        jw_obj_open(w);
        item_head(w, c[i].h.hit.id, js(c[i].rec, "title"), c[i].score, c[i].h.hit.text);
        jw_key(w, "reasons");
        jw_arr_open(w);
        write_text_reasons(w, MC_ACH, text, &y);
        for (int sgn = 0; sgn < SIG_N; sgn++)
            write_signal(w, sgn, &c[i], &q, &s);
        jw_arr_close(w);
        write_terms(w, &y);
        jw_key(w, "highlights");
        jw_obj_open(w);
        jw_key(w, "title");
        hl_write(w, js(c[i].rec, "title"), (const char *const *)y.terms, y.n_terms);
        jw_obj_close(w);
        write_matched_list(w, "keywords_matched", c[i].rec, "keywords", &y);
        jw_key(w, "snippet");
        hl_write_snippet(w, js(c[i].rec, "abstract"), (const char *const *)y.terms, y.n_terms,
                         SNIPPET_CHARS);
        json_object_del(c[i].rec, "abstract");
        json_object_del(c[i].rec, "owner_chains");
        json_object_del(c[i].rec, "owner_contracts");
        write_record(w, c[i].rec);
        jw_obj_close(w);
        why_free(&y);
    }
    jw_arr_close(w);
    cands_free(c, n);
    live_release(snap);
    return 0;
}

/* An institution: an owner organisation with its best achievement candidates. */
struct inst {
    int64_t org_id;         /* organisation */
    int first;              /* index of its best candidate */
    int n;                  /* candidates (≤ 3 used) */
    int idx[3];             /* its three best candidates */
    double text;            /* best + ½ second + ¼ third */
    double sig[SIG_N];      /* signal contributions */
    double strength[SIG_N]; /* signal strengths */
    double score;           /* text + signals */
    struct market_attrs at; /* its side of the signals */
};

/* Orders institutions best first. */
static int inst_cmp(const void *a, const void *b)
{
    const struct inst *x = a, *y = b;
    if (x->score != y->score)
        return x->score < y->score ? 1 : -1;
    return (x->org_id > y->org_id) - (x->org_id < y->org_id);
}

/* demand → institutions (owner organisations of the matching achievements). */
static int to_institutions(struct db *db, json_t *dem, const char *text, int k, struct jw *w)
{
    struct market_attrs q;
    demand_attrs(dem, &q);
    struct live_snap *snap;
    struct cand *c;
    int n = text_pool(MC_ACH, text, POOL_INST, &snap, &c);
    if (n > 0) {
        struct db_args a = {0};
        db_args_int(&a, q.org_id);
        n = attach(db, ach_cand_sql, &a, c, n);
    }
    if (n < 0) {
        cands_free(c, 0);
        live_release(snap);
        return n;
    }
    /* Best text first, then group by owner. */
    for (int i = 0; i < n; i++)
        c[i].score = c[i].h.hit.text;
    qsort(c, (size_t)n, sizeof(*c), cand_score_cmp);
    struct inst *in = xcalloc((size_t)(n ? n : 1), sizeof(*in));
    int ni = 0;
    static const double decay[3] = {1, 0.5, 0.25};
    for (int i = 0; i < n; i++) {
        int64_t org = ji(c[i].rec, "owner_org_id");
        if (!org)
            continue;
        int j = 0;
        while (j < ni && in[j].org_id != org)
            j++;
        if (j == ni) {
            in[ni].org_id = org;
            in[ni].first = i;
            ni++;
        }
        if (in[j].n < 3) {
            in[j].idx[in[j].n] = i;
            in[j].text += decay[in[j].n] * c[i].h.hit.text;
        }
        in[j].n++;
        if (c[i].rec && js(c[i].rec, "field") && q.field &&
            strcmp(js(c[i].rec, "field"), q.field) == 0)
            in[j].at.field = q.field;
    }
    double best = 0;
    for (int j = 0; j < ni; j++)
        if (in[j].text > best)
            best = in[j].text;
    for (int j = 0; j < ni; j++) {
        json_t *r = c[in[j].first].rec;
        struct inst *t = &in[j];
        t->at.region_code = js(r, "region_code");
        t->at.deals = ji(r, "owner_contracts");
        t->at.org_id = t->org_id;
        if (list_has(r, "owner_chains", q.chain)) {
            t->at.chain = q.chain;
            t->at.chain_name = q.chain_name;
        }
        market_signals(&q, &t->at, t->strength);
        t->strength[SIG_TRL] = t->strength[SIG_MODE] = 0; /* per achievement, not per owner */
        t->score = t->text;
        for (int s = 0; s < SIG_N; s++) {
            t->sig[s] = market_signal_weights[s] * t->strength[s] * (t->text + best) / 2;
            t->score += t->sig[s];
        }
    }
    qsort(in, (size_t)ni, sizeof(*in), inst_cmp);
    jw_key(w, "items");
    jw_arr_open(w);
    for (int j = 0; j < ni && j < k; j++) {
        json_t *r = c[in[j].first].rec;
        jw_obj_open(w);
        item_head(w, in[j].org_id, js(r, "owner_org_name"), in[j].score, in[j].text);
        jw_key(w, "reasons");
        jw_arr_open(w);
        jw_obj_open(w);
        jw_kstr(w, "signal", "achievements");
        jw_key(w, "contribution");
        num4(w, in[j].text);
        jw_key(w, "items");
        jw_arr_open(w);
        struct why all = {.terms = xcalloc(MATCH_MAX_SPANS, sizeof(char *))};
        for (int a = 0; a < in[j].n && a < 3; a++) {
            const struct cand *ca = &c[in[j].idx[a]];
            struct why y;
            explain(db, MC_ACH, live_snap_base(snap), text, ca, &y);
            jw_obj_open(w);
            jw_kint(w, "id", ca->h.hit.id);
            jw_kstr(w, "title", js(ca->rec, "title"));
            jw_key(w, "text_score");
            num4(w, ca->h.hit.text);
            jw_key(w, "weight");
            num4(w, decay[a]);
            write_terms(w, &y);
            jw_key(w, "highlights");
            jw_obj_open(w);
            jw_key(w, "title");
            hl_write(w, js(ca->rec, "title"), (const char *const *)y.terms, y.n_terms);
            jw_obj_close(w);
            jw_obj_close(w);
            for (int t = 0; t < y.n_terms && all.n_terms < MATCH_MAX_SPANS; t++) {
                bool dup = false;
                for (int u = 0; u < all.n_terms && !dup; u++)
                    dup = strcmp(all.terms[u], y.terms[t]) == 0;
                if (!dup)
                    all.terms[all.n_terms++] = xstrdup(y.terms[t]);
            }
            why_free(&y);
        }
        jw_arr_close(w);
        jw_obj_close(w);
        struct cand pseudo = {0};
        memcpy(pseudo.sig, in[j].sig, sizeof(pseudo.sig));
        memcpy(pseudo.strength, in[j].strength, sizeof(pseudo.strength));
        for (int s = 0; s < SIG_N; s++)
            write_signal(w, s, &pseudo, &q, &in[j].at);
        jw_arr_close(w);
        write_terms(w, &all);
        why_free(&all);
        jw_key(w, "record");
        jw_obj_open(w);
        jw_kint(w, "id", in[j].org_id);
        jw_kstr(w, "name", js(r, "owner_org_name"));
        jw_kstr(w, "kind", js(r, "owner_org_kind"));
        jw_kint(w, "matching_achievements", in[j].n);
        jw_kint(w, "deals", in[j].at.deals);
        jw_obj_close(w);
        jw_obj_close(w);
    }
    jw_arr_close(w);
    free(in);
    cands_free(c, n);
    live_release(snap);
    return 0;
}

/* An expert's side of the signals: the demand's (q's) field when the expert lists it. */
static void expert_attrs(json_t *r, const struct market_attrs *q, struct market_attrs *a)
{
    memset(a, 0, sizeof(*a));
    if (list_has(r, "fields", q->field))
        a->field = q->field;
    a->region_code = js(r, "region_code");
    a->org_id = ji(r, "org_id");
}

/* demand → experts. */
static int to_experts(struct db *db, const struct auth_user *u, json_t *dem, const char *text,
                      int k, struct jw *w)
{
    struct market_attrs q;
    demand_attrs(dem, &q);
    struct live_snap *snap;
    struct cand *c;
    int n = text_pool(MC_EXPERT, text, k * 4 > POOL_MIN ? k * 4 : POOL_MIN, &snap, &c);
    if (n > 0) {
        bool staff = u && u->role->scope != SCOPE_ORG;
        struct db_args a = {0};
        db_args_int(&a, staff);
        db_args_int(&a, u && u->org_id ? u->org_id : -1);
        db_args_int(&a, staff);
        db_args_int(&a, u && u->org_id ? u->org_id : -1);
        db_args_int(&a, q.org_id);
        n = attach(
            db,
            "SELECT e.id, e.name, e.title, e.org_id, o.name AS org_name, e.affiliation, "
            "e.region_code, r.name AS region_name, e.fields AS fields_json, "
            "e.keywords AS keywords_json, e.bio, "
            "CASE WHEN ?2 OR (e.org_id IS NOT NULL AND e.org_id = ?3) THEN e.email END AS email, "
            "CASE WHEN ?4 OR (e.org_id IS NOT NULL AND e.org_id = ?5) THEN e.phone END AS phone "
            "FROM experts e LEFT JOIN orgs o ON o.id = e.org_id "
            "LEFT JOIN regions r ON r.code = e.region_code "
            "WHERE e.id IN (SELECT value FROM json_each(?1)) AND "
            "(e.org_id IS NULL OR e.org_id <> ?6)",
            &a, c, n);
    }
    if (n < 0) {
        cands_free(c, 0);
        live_release(snap);
        return n;
    }
    rank(c, n, &q, true, expert_attrs);
    jw_key(w, "items");
    jw_arr_open(w);
    for (int i = 0; i < n && i < k; i++) {
        struct why y;
        explain(db, MC_EXPERT, live_snap_base(snap), text, &c[i], &y);
        struct market_attrs s;
        expert_attrs(c[i].rec, &q, &s);
        jw_obj_open(w);
        item_head(w, c[i].h.hit.id, js(c[i].rec, "name"), c[i].score, c[i].h.hit.text);
        jw_key(w, "reasons");
        jw_arr_open(w);
        write_text_reasons(w, MC_EXPERT, text, &y);
        for (int sgn = 0; sgn < SIG_N; sgn++)
            write_signal(w, sgn, &c[i], &q, &s);
        jw_arr_close(w);
        write_terms(w, &y);
        write_matched_list(w, "fields_matched", c[i].rec, "fields", &y);
        write_matched_list(w, "keywords_matched", c[i].rec, "keywords", &y);
        jw_key(w, "snippet");
        hl_write_snippet(w, js(c[i].rec, "bio"), (const char *const *)y.terms, y.n_terms,
                         SNIPPET_CHARS);
        write_record(w, c[i].rec);
        jw_obj_close(w);
        why_free(&y);
    }
    jw_arr_close(w);
    cands_free(c, n);
    live_release(snap);
    return 0;
}

int market_match_demand(struct db *db, const struct auth_user *u, int64_t id,
                        enum market_target target, int k, struct jw *w)
{
    if (!indexes[MC_ACH] || k < 1 || k > 100)
        return KC_ERR_INVALID;
    json_t *dem = NULL;
    int rc = demand_get(db, u, id, &dem);
    if (rc)
        return rc;
    struct buf text = {0};
    demand_text(dem, &text);
    jw_obj_open(w);
    write_source(w, "demand", dem);
    static const char *names[] = {"achievements", "institutions", "experts"};
    jw_kstr(w, "target", names[target]);
    if (target == MT_ACHIEVEMENTS)
        rc = to_achievements(db, dem, buf_str(&text), k, "items", w);
    else if (target == MT_INSTITUTIONS)
        rc = to_institutions(db, dem, buf_str(&text), k, w);
    else
        rc = to_experts(db, u, dem, buf_str(&text), k, w);
    jw_obj_close(w);
    buf_free(&text);
    json_decref(dem);
    return rc;
}

int market_match_demand_rec(struct db *db, json_t *dem, int k, const char *key, struct jw *w)
{
    if (!indexes[MC_ACH] || k < 1 || k > 100)
        return KC_ERR_INVALID;
    struct buf text = {0};
    demand_text(dem, &text);
    int rc = to_achievements(db, dem, buf_str(&text), k, key, w);
    buf_free(&text);
    return rc;
}

/* A demand candidate's side of the signals; q unused. */
static void dem_cand_attrs(json_t *r, const struct market_attrs *q, struct market_attrs *a)
{
    (void)q;
    demand_attrs(r, a);
}

int market_match_achievement(struct db *db, const struct auth_user *u, int64_t id, int k,
                             struct jw *w)
{
    if (!indexes[MC_DEMAND] || k < 1 || k > 100)
        return KC_ERR_INVALID;
    /* The achievement as the viewer may see it, with its owner's track record. */
    struct buf sql = {0};
    struct db_args a = {0};
    buf_puts(&sql, "SELECT a.id, a.title, a.abstract, a.keywords AS keywords_json, a.discipline, "
                   "a.field, a.trl, a.transfer_modes AS transfer_modes_json, a.owner_org_id, "
                   "a.region_code, a.chain, c.name AS chain_name, "
                   "(SELECT count(*) FROM contracts k WHERE k.seller_org_id = "
                   "a.owner_org_id) + a.deal_count AS owner_deals "
                   "FROM achievements a LEFT JOIN chains c ON c.code = a.chain WHERE a.id = ? ");
    db_args_int(&a, id);
    if (u && u->role->scope != SCOPE_ALL) {
        buf_puts(&sql, "AND (a.status = 'published' OR a.owner_org_id = ? OR (? AND "
                       "a.region_code >= ? AND a.region_code < ?)) ");
        db_args_int(&a, u->org_id ? u->org_id : -1);
        db_args_int(&a, u->role->scope == SCOPE_REGION && auth_can(u, CAP_ACH_WRITE));
        db_args_text(&a, u->scope.lo);
        db_args_text(&a, u->scope.hi);
    }
    struct db_stmt *st = db_prep_args(db, buf_str(&sql), &a);
    buf_free(&sql);
    if (!st)
        return KC_ERR_DB;
    int s = db_step(st);
    json_t *ach = s == DB_ROW ? db_row_json(st) : NULL;
    db_done(st);
    if (s < 0)
        return KC_ERR_DB;
    if (!ach)
        return KC_ERR_NOT_FOUND;
    struct buf text = {0};
    buf_puts(&text, js(ach, "title") ? js(ach, "title") : "");
    buf_puts(&text, "\n");
    put_list(&text, ach, "keywords");
    buf_puts(&text, "\n");
    buf_puts(&text, js(ach, "abstract") ? js(ach, "abstract") : "");
    struct market_attrs q;
    ach_attrs(ach, NULL, &q);
    struct live_snap *snap;
    struct cand *c;
    int n = text_pool(MC_DEMAND, buf_str(&text), k * 4 > POOL_MIN ? k * 4 : POOL_MIN, &snap, &c);
    if (n > 0) {
        struct buf q2 = {0};
        struct db_args a2 = {0};
        buf_puts(&q2, demand_select_sql);
        buf_puts(&q2, "WHERE d.id IN (SELECT value FROM json_each(?)) AND d.status = 'published' "
                      "AND d.org_id <> ? ");
        db_args_int(&a2, q.org_id ? q.org_id : -1);
        demand_visible_where(&q2, &a2, u);
        n = attach(db, buf_str(&q2), &a2, c, n);
        buf_free(&q2);
    }
    int rc = n < 0 ? n : 0;
    if (!rc) {
        rank(c, n, &q, false, dem_cand_attrs);
        jw_obj_open(w);
        write_source(w, "achievement", ach);
        jw_kstr(w, "target", "demands");
        jw_key(w, "items");
        jw_arr_open(w);
        for (int i = 0; i < n && i < k; i++) {
            struct why y;
            explain(db, MC_DEMAND, live_snap_base(snap), buf_str(&text), &c[i], &y);
            struct market_attrs d;
            demand_attrs(c[i].rec, &d);
            jw_obj_open(w);
            item_head(w, c[i].h.hit.id, js(c[i].rec, "title"), c[i].score, c[i].h.hit.text);
            jw_key(w, "reasons");
            jw_arr_open(w);
            write_text_reasons(w, MC_DEMAND, buf_str(&text), &y);
            for (int sgn = 0; sgn < SIG_N; sgn++)
                write_signal(w, sgn, &c[i], &d, &q);
            jw_arr_close(w);
            write_terms(w, &y);
            jw_key(w, "highlights");
            jw_obj_open(w);
            jw_key(w, "title");
            hl_write(w, js(c[i].rec, "title"), (const char *const *)y.terms, y.n_terms);
            jw_obj_close(w);
            write_matched_list(w, "keywords_matched", c[i].rec, "keywords", &y);
            jw_key(w, "snippet");
            hl_write_snippet(w, js(c[i].rec, "problem"), (const char *const *)y.terms, y.n_terms,
                             SNIPPET_CHARS);
            if (!u || (u->role->scope == SCOPE_ORG && u->org_id != ji(c[i].rec, "org_id"))) {
                /* Contacts go through the platform (brokers) for other firms. */
                json_object_del(c[i].rec, "contact_name");
                json_object_del(c[i].rec, "contact_phone");
            }
            write_record(w, c[i].rec);
            jw_obj_close(w);
            why_free(&y);
        }
        jw_arr_close(w);
        jw_obj_close(w);
    }
    cands_free(c, n > 0 ? n : 0);
    live_release(snap);
    buf_free(&text);
    json_decref(ach);
    return rc;
}
