/* market.c — `kechuang import achievements`, `kechuang match`, `kechuang match-eval`. */
#include "cli/market.h"
#include "core/buf.h"
#include "core/jw.h"
#include "core/xalloc.h"
#include "db/db.h"
#include "search/achievement.h"
#include "search/corpus.h"
#include "search/eval.h"
#include "search/match.h"

#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Options of the market subcommands. */
struct mopts {
    const char *data;           /* data directory */
    const char *demands;        /* demands file (match) */
    const char *corpus;         /* corpus file (match-eval), NULL = embedded */
    const char *only;           /* protocol (match-eval) */
    const char *split;          /* split (match-eval) */
    int limit;                  /* results per demand (match) */
    int max_queries;            /* queries per protocol and split (match-eval) */
    struct match_params params; /* ranking parameters (--param) */
};

/* Sets one ranking parameter from "name=value"; returns 0 or -1 for an unknown name
 * or a bad value. */
static int set_param(struct match_params *p, const char *kv)
{
    const char *eq = strchr(kv, '=');
    if (!eq)
        return -1;
    char *end;
    double v = strtod(eq + 1, &end);
    if (end == eq + 1 || *end)
        return -1;
    size_t n = (size_t)(eq - kv);
    struct {
        const char *name; /* parameter name */
        double *d;        /* where a real value goes, or NULL */
        int *i;           /* where an integer value goes, or NULL */
    } tab[] = {
        {"k1", &p->k1, NULL},
        {"w_title", &p->w[MATCH_TITLE], NULL},
        {"w_keywords", &p->w[MATCH_KEYWORDS], NULL},
        {"w_abstract", &p->w[MATCH_ABSTRACT], NULL},
        {"b_title", &p->b[MATCH_TITLE], NULL},
        {"b_keywords", &p->b[MATCH_KEYWORDS], NULL},
        {"b_abstract", &p->b[MATCH_ABSTRACT], NULL},
        {"qtf_cap", NULL, &p->qtf_cap},
        {"disc_bonus", &p->disc_bonus, NULL},
        {"disc_infer", NULL, &p->disc_infer},
        {"disc_min_share", &p->disc_min_share, NULL},
        {"disc_vote_k", NULL, &p->disc_vote_k},
        {"rerank_n", NULL, &p->rerank_n},
    };
    for (size_t i = 0; i < sizeof(tab) / sizeof(tab[0]); i++)
        if (strlen(tab[i].name) == n && strncmp(tab[i].name, kv, n) == 0) {
            if (v < 0 || v > 1000)
                return -1;
            if (tab[i].d)
                *tab[i].d = v;
            else
                *tab[i].i = (int)v;
            return 0;
        }
    return -1;
}

/* Parses the options after a market subcommand; returns 0, 1 for --help, -1 on error. */
static int mparse(int argc, char **argv, struct mopts *o)
{
    static const struct option lo[] = {{"data", required_argument, 0, 'd'},
                                       {"demands", required_argument, 0, 'm'},
                                       {"limit", required_argument, 0, 'k'},
                                       {"corpus", required_argument, 0, 'c'},
                                       {"only", required_argument, 0, 'o'},
                                       {"split", required_argument, 0, 's'},
                                       {"max-queries", required_argument, 0, 'q'},
                                       {"param", required_argument, 0, 'p'},
                                       {"help", no_argument, 0, 'h'},
                                       {0, 0, 0, 0}};
    optind = 1;
    int c;
    while ((c = getopt_long(argc, argv, "h", lo, NULL)) != -1) {
        char *end = NULL;
        switch (c) {
        case 'd':
            o->data = optarg;
            break;
        case 'm':
            o->demands = optarg;
            break;
        case 'c':
            o->corpus = optarg;
            break;
        case 'o':
            o->only = optarg;
            break;
        case 's':
            o->split = optarg;
            break;
        case 'k':
            o->limit = (int)strtol(optarg, &end, 10);
            if (*end || o->limit < 1 || o->limit > 1000) {
                fprintf(stderr, "kechuang: --limit wants 1..1000\n");
                return -1;
            }
            break;
        case 'q':
            o->max_queries = atoi(optarg);
            break;
        case 'p':
            if (set_param(&o->params, optarg) != 0) {
                fprintf(stderr, "kechuang: bad --param %s\n", optarg);
                return -1;
            }
            break;
        case 'h':
            return 1;
        default:
            return -1;
        }
    }
    return 0;
}

static const char import_help[] =
    "usage: kechuang import achievements --data DIR FILE\n"
    "Imports achievements from FILE: JSON Lines (one object a line with id, title,\n"
    "abstract, keywords (array of strings) and optional discipline), CSV (UTF-8 or\n"
    "GB18030, a header row naming those columns; keywords separated by ; or _) or XLSX\n"
    "(the first sheet, laid out like the CSV). Optional market fields: kind, field,\n"
    "chain, status, trl, price_min_fen, price_max_fen, deal_count, owner_org_id or\n"
    "owner_uscc, patent_numbers, transfer_modes (docs/api-market.md). The\n"
    "source id is kept as external_id: re-importing the same file changes nothing, and\n"
    "changed rows are updated. Each rejected row is printed as a JSON line\n"
    "{\"line\",\"field\",\"error\",\"message\"}, then a summary line\n"
    "{\"rows\",\"inserted\",\"updated\",\"unchanged\",\"errors\"}.\n"
    "Exit status: 0 all rows imported, 1 some rows rejected or the file unusable.\n"
    "The demo corpus is embedded as data/corpus/csl.jsonl in the source tree.\n";

/* `kechuang import achievements`: imports FILE, prints row errors and the summary. */
int market_cmd_import(int argc, char **argv, struct db *(*open_data)(const char *dir))
{
    if (argc < 2 || strcmp(argv[1], "achievements") != 0) {
        int help = argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0);
        fputs(import_help, help ? stdout : stderr);
        return help ? 0 : 2;
    }
    struct mopts o = {.data = "./var"};
    int p = mparse(argc - 1, argv + 1, &o);
    if (p || optind + 2 != argc) {
        fputs(import_help, p > 0 ? stdout : stderr);
        return p > 0 ? 0 : 2;
    }
    const char *file = argv[optind + 1];
    struct db *db = open_data(o.data);
    if (!db)
        return 1;
    struct achievement_import_stats st;
    int rc = achievement_import_file(db, file, stdout, &st);
    db_close(db);
    if (rc == KC_ERR_IO) {
        fprintf(stderr, "kechuang import: cannot read %s\n", file);
        return 1;
    }
    if (rc == KC_ERR_INVALID && st.rows == 0 && st.errors == 0) {
        fprintf(stderr, "kechuang import: %s: not a readable JSON Lines, CSV or XLSX file\n",
                file);
        return 1;
    }
    printf("{\"rows\":%lld,\"inserted\":%lld,\"updated\":%lld,\"unchanged\":%lld,"
           "\"errors\":%lld}\n",
           (long long)st.rows, (long long)st.inserted, (long long)st.updated,
           (long long)st.unchanged, (long long)st.errors);
    if (rc) {
        fprintf(stderr, "kechuang import: %s\n",
                rc == KC_ERR_DB ? "database error (see log); earlier batches are kept"
                                : "the file cannot be imported");
        return 1;
    }
    return st.errors ? 1 : 0;
}

/* Writes a number with four decimals (a JSON number). */
static void jw_num4(struct jw *w, double v)
{
    char s[64];
    int n = snprintf(s, sizeof(s), "%.4f", v);
    if (strcmp(s, "-0.0000") == 0)
        n = snprintf(s, sizeof(s), "0.0000");
    jw_raw(w, s, (size_t)n);
}

/* Writes one result of a demand: ids, score and reasons (per-field text
 * contributions with their matched query spans, then the discipline signal). */
static int write_result(struct jw *w, struct db *db, const struct match_index *ix, const char *text,
                        const struct match_hit *h, bool disc_given)
{
    static const char *fields[MATCH_N_FIELDS] = {"title", "keywords", "abstract"};
    struct achievement_text at;
    int rc = achievement_text_load(db, h->id, &at);
    if (rc)
        return rc;
    struct match_explain ex;
    match_explain(ix, text, (int)strlen(text), h, &at.doc, &ex);
    jw_obj_open(w);
    jw_kint(w, "achievement_id", h->id);
    jw_kstr(w, "external_id", at.external_id);
    jw_key(w, "score");
    jw_num4(w, h->score);
    jw_key(w, "reasons");
    jw_arr_open(w);
    for (int f = 0; f < MATCH_N_FIELDS; f++) {
        if (ex.field_score[f] <= 0 && !ex.n_spans[f])
            continue;
        jw_obj_open(w);
        jw_kstr(w, "signal", "text");
        jw_kstr(w, "field", fields[f]);
        jw_key(w, "contribution");
        jw_num4(w, ex.field_score[f]);
        jw_key(w, "terms");
        jw_arr_open(w);
        for (int i = 0; i < ex.n_spans[f]; i++)
            jw_strn(w, text + ex.spans[f][i].start,
                    (size_t)(ex.spans[f][i].end - ex.spans[f][i].start));
        jw_arr_close(w);
        jw_obj_close(w);
    }
    if (h->discipline > 0) {
        jw_obj_open(w);
        jw_kstr(w, "signal", "discipline");
        jw_key(w, "contribution");
        jw_num4(w, h->discipline);
        jw_kstr(w, "value", match_doc_discipline(ix, h->doc));
        jw_kstr(w, "source", disc_given ? "demand" : "inferred");
        jw_obj_close(w);
    }
    jw_arr_close(w);
    jw_obj_close(w);
    achievement_text_free(&at);
    return 0;
}

static const char match_help[] =
    "usage: kechuang match --data DIR --demands FILE [--limit K]\n"
    "Matches each demand of FILE (JSON Lines of {\"id\": \"...\", \"text\": \"...\"}, a\n"
    "demand's title and description; an optional \"discipline\" names its field) against\n"
    "the achievements library and prints one JSON line per demand:\n"
    "{\"id\": ..., \"results\": [{\"achievement_id\": N, \"external_id\": \"...\", \"score\": X,\n"
    "\"reasons\": [...]}, ...]}, best first. Each reason is {\"signal\": \"text\", \"field\",\n"
    "\"contribution\", \"terms\"} (the demand's substrings found in that field) or\n"
    "{\"signal\": \"discipline\", \"contribution\", \"value\", \"source\"}; the contributions add\n"
    "up to the score. K defaults to 10 (at most 1000). A bad line is reported on stderr\n"
    "as {\"line\", \"error\"} and skipped (exit status 1 at the end).\n";

/* `kechuang match`: builds the index from the store, then answers each demand line. */
int market_cmd_match(int argc, char **argv, struct db *(*open_data)(const char *dir))
{
    struct mopts o = {.data = "./var", .limit = 10, .params = match_params_default()};
    int p = mparse(argc, argv, &o);
    if (p || !o.demands || optind != argc) {
        fputs(match_help, p > 0 ? stdout : stderr);
        return p > 0 ? 0 : 2;
    }
    FILE *f = fopen(o.demands, "rb");
    if (!f) {
        fprintf(stderr, "kechuang match: cannot read %s\n", o.demands);
        return 1;
    }
    struct db *db = open_data(o.data);
    if (!db) {
        fclose(f);
        return 1;
    }
    struct match_index *ix = NULL;
    if (achievement_index_build(db, &o.params, &ix) != 0) {
        fprintf(stderr, "kechuang match: cannot read the achievements (see log)\n");
        db_close(db);
        fclose(f);
        return 1;
    }
    struct match_ctx *ctx = match_ctx_new(ix);
    struct match_hit *hits = xmalloc((size_t)o.limit * sizeof(*hits));
    struct buf out = {0};
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    long long line_no = 0;
    int bad = 0, rc = 0;
    while (!rc && (len = getline(&line, &cap, f)) != -1) {
        line_no++;
        size_t i = 0;
        while (i < (size_t)len && strchr(" \t\r\n", line[i]))
            i++;
        if (i == (size_t)len)
            continue;
        json_error_t err;
        json_t *d = json_loadb(line, (size_t)len, JSON_REJECT_DUPLICATES, &err);
        json_t *id = json_object_get(d, "id");
        json_t *text = json_object_get(d, "text");
        json_t *disc = json_object_get(d, "discipline");
        const char *why = !json_is_object(d)                             ? "not a JSON object"
                          : !(json_is_string(id) || json_is_integer(id)) ? "id must be a string"
                          : !json_is_string(text)                        ? "text must be a string"
                          : disc && !json_is_string(disc) && !json_is_null(disc)
                              ? "discipline must be a string"
                              : NULL;
        if (why) {
            fprintf(stderr, "{\"line\":%lld,\"error\":\"%s\"}\n", line_no, why);
            bad++;
            json_decref(d);
            continue;
        }
        const char *t = json_string_value(text);
        const char *dn = json_is_string(disc) ? json_string_value(disc) : NULL;
        struct match_opts mo = {.k = o.limit, .discipline = dn};
        int n = match_search(ix, ctx, t, (int)strlen(t), &mo, hits);
        buf_reset(&out);
        struct jw w;
        jw_init(&w, &out);
        jw_obj_open(&w);
        jw_key(&w, "id");
        char *idtext = json_dumps(id, JSON_ENCODE_ANY | JSON_COMPACT);
        jw_raw(&w, idtext, strlen(idtext));
        free(idtext);
        jw_key(&w, "results");
        jw_arr_open(&w);
        for (int h = 0; h < n && !rc; h++)
            rc = write_result(&w, db, ix, t, &hits[h], dn != NULL);
        jw_arr_close(&w);
        jw_obj_close(&w);
        if (!rc)
            printf("%s\n", buf_str(&out));
        json_decref(d);
    }
    if (rc)
        fprintf(stderr, "kechuang match: database error (see log)\n");
    free(line);
    fclose(f);
    buf_free(&out);
    free(hits);
    match_ctx_free(ctx);
    match_index_free(ix);
    db_close(db);
    return rc || bad ? 1 : 0;
}

static const char eval_help[] =
    "usage: kechuang match-eval [--corpus FILE] [--only topic3|topic2|title]\n"
    "                           [--split dev|test|all] [--max-queries N] [--param NAME=VALUE]...\n"
    "Measures ranking quality on the CSL corpus (embedded data/corpus/csl.jsonl, or FILE in\n"
    "the same JSON Lines shape): nDCG@10, recall@10 and MRR@10 of the matcher and of plain\n"
    "FTS5 bm25() over the same kc_cjk tokens, side by side, per protocol and split (dev for\n"
    "tuning, test held out), with the paired nDCG difference to FTS5 and its bootstrap 95%\n"
    "interval. Protocols: keyword-as-topic with 3-50 and 2-50 papers per keyword, and\n"
    "title->abstract (smoke test). Parameters: k1, w_title, w_keywords, w_abstract,\n"
    "b_title, b_keywords, b_abstract, qtf_cap, disc_bonus, disc_infer, disc_min_share,\n"
    "disc_vote_k, rerank_n. Needs no data directory (--data is accepted and ignored).\n";

/* `kechuang match-eval`: loads the corpus and prints the evaluation. */
int market_cmd_match_eval(int argc, char **argv)
{
    struct mopts o = {.params = match_params_default()};
    int p = mparse(argc, argv, &o);
    if (p || optind != argc) {
        fputs(eval_help, p > 0 ? stdout : stderr);
        return p > 0 ? 0 : 2;
    }
    struct corpus c = {0};
    if (corpus_load(o.corpus, &c) != 0) {
        fprintf(stderr, "kechuang match-eval: cannot load the corpus %s\n",
                o.corpus ? o.corpus : "(embedded)");
        corpus_free(&c);
        return 1;
    }
    struct eval_opts eo = {
        .params = o.params, .only = o.only, .split = o.split, .max_queries = o.max_queries};
    int rc = eval_run(&c, &eo, stdout);
    corpus_free(&c);
    if (rc) {
        fprintf(stderr, "kechuang match-eval: failed (see log)\n");
        return 1;
    }
    return 0;
}
