/* fts5.c — registers the kc_cjk tokenizer with SQLite FTS5 on one connection. */
#include "search/fts5.h"
#include "core/err.h"
#include "search/tok.h"

#include <sqlite3.h>
#include <stddef.h>

/* The tokenizer has no per-instance state: every instance is this object. */
static int kc_instance;

/* xCreate: accepts no arguments; hands out the shared instance. */
static int kc_create(void *ctx, const char **args, int n_args, Fts5Tokenizer **out)
{
    (void)ctx;
    (void)args;
    if (n_args > 0)
        return SQLITE_ERROR;
    *out = (Fts5Tokenizer *)&kc_instance;
    return SQLITE_OK;
}

/* xDelete: nothing to free. */
static void kc_delete(Fts5Tokenizer *t)
{
    (void)t;
}

/* xTokenize: runs tok over the text and hands each token to FTS5; stops at the first
 * error xToken returns and passes it on. */
static int kc_tokenize(Fts5Tokenizer *tk, void *pctx, int flags, const char *text, int n,
                       int (*xtoken)(void *, int, const char *, int, int, int))
{
    (void)tk;
    struct tok_iter it;
    struct tok_token t;
    tok_init(&it, text, n, (flags & FTS5_TOKENIZE_QUERY) ? TOK_QUERY : TOK_DOCUMENT);
    while (tok_next(&it, &t)) {
        int rc =
            xtoken(pctx, t.colocated ? FTS5_TOKEN_COLOCATED : 0, t.text, t.len, t.start, t.end);
        if (rc != SQLITE_OK)
            return rc;
    }
    return SQLITE_OK;
}

/* Obtains the fts5_api with `SELECT fts5(?1)` and a bound pointer, then creates the
 * tokenizer. */
int search_fts5_register(struct sqlite3 *h)
{
    fts5_api *api = NULL;
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(h, "SELECT fts5(?1)", -1, &st, NULL) != SQLITE_OK)
        return KC_ERR_DB;
    sqlite3_bind_pointer(st, 1, (void *)&api, "fts5_api_ptr", NULL);
    sqlite3_step(st);
    sqlite3_finalize(st);
    if (!api || api->iVersion < 2)
        return KC_ERR_DB;
    fts5_tokenizer tok = {kc_create, kc_delete, kc_tokenize};
    return api->xCreateTokenizer(api, "kc_cjk", NULL, &tok, NULL) == SQLITE_OK ? 0 : KC_ERR_DB;
}
