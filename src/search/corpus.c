/* corpus.c — loads CSL-style JSON Lines into memory. */
#include "search/corpus.h"
#include "core/asset.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/xalloc.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A copy of the string member key of o, or NULL when absent or not a string. */
static char *str_member(json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    return json_is_string(v) ? xstrdup(json_string_value(v)) : NULL;
}

/* Parses JSON Lines into c (see corpus.h); skips lines that are not records. */
int corpus_load_buf(const char *data, size_t len, struct corpus *c)
{
    size_t cap = 0;
    const char *p = data, *end = data + len;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *le = nl ? nl : end;
        json_t *o = json_loadb(p, (size_t)(le - p), 0, NULL);
        p = nl ? nl + 1 : end;
        if (!json_is_object(o) || !json_is_string(json_object_get(o, "id")) ||
            !json_is_string(json_object_get(o, "title"))) {
            json_decref(o);
            continue;
        }
        if (c->n == cap) {
            cap = cap ? cap * 2 : 1024;
            c->r = xrealloc(c->r, cap * sizeof(*c->r));
        }
        struct corpus_rec *r = &c->r[c->n++];
        memset(r, 0, sizeof(*r));
        r->id = str_member(o, "id");
        r->title = str_member(o, "title");
        r->abstract = str_member(o, "abstract");
        if (!r->abstract)
            r->abstract = xstrdup("");
        r->discipline = str_member(o, "discipline");
        r->split = str_member(o, "split");
        json_t *kw = json_object_get(o, "keywords");
        struct buf b = {0};
        if (json_is_array(kw)) {
            r->kw = xmalloc((json_array_size(kw) + 1) * sizeof(*r->kw));
            size_t i;
            json_t *v;
            json_array_foreach(kw, i, v)
            {
                if (!json_is_string(v))
                    continue;
                r->kw[r->n_kw++] = xstrdup(json_string_value(v));
                if (b.len)
                    buf_puts(&b, "；");
                buf_puts(&b, json_string_value(v));
            }
        }
        r->kw_text = xstrdup(buf_str(&b));
        buf_free(&b);
        json_decref(o);
    }
    return c->n ? 0 : KC_ERR_INVALID;
}

/* Reads a corpus file, or the embedded one, and parses it. */
int corpus_load(const char *path, struct corpus *c)
{
    if (!path) {
        const struct asset *a = asset_find(assets_data, assets_data_count, "data/corpus/csl.jsonl");
        if (!a)
            return KC_ERR_IO;
        return corpus_load_buf((const char *)a->data, a->len, c);
    }
    FILE *f = fopen(path, "rb");
    if (!f)
        return KC_ERR_IO;
    struct buf b = {0};
    char chunk[65536];
    size_t got;
    while ((got = fread(chunk, 1, sizeof(chunk), f)) > 0)
        buf_append(&b, chunk, got);
    int bad = ferror(f);
    fclose(f);
    int rc = bad ? KC_ERR_IO : corpus_load_buf(buf_str(&b), b.len, c);
    buf_free(&b);
    return rc;
}

/* Frees every record's strings and the array. */
void corpus_free(struct corpus *c)
{
    for (size_t i = 0; i < c->n; i++) {
        struct corpus_rec *r = &c->r[i];
        free(r->id);
        free(r->title);
        free(r->abstract);
        free(r->discipline);
        free(r->split);
        for (int k = 0; k < r->n_kw; k++)
            free(r->kw[k]);
        free(r->kw);
        free(r->kw_text);
    }
    free(c->r);
    c->r = NULL;
    c->n = 0;
}
