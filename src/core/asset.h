/*
 * asset.h — files embedded into the binary at build time (tools/embed.c).
 *
 * Two tables exist: the web UI (web/dist, with gzip copies) and the product data
 * (SQL migrations and reference data from data/).
 */
#ifndef KC_ASSET_H
#define KC_ASSET_H

#include <stddef.h>

/* One embedded file. */
struct asset {
    const char *path;         /* path relative to the embedded directory, e.g. "index.html" */
    const unsigned char *data; /* the bytes */
    size_t len;               /* their count */
    const unsigned char *gz;  /* gzip-compressed copy, or NULL */
    size_t gz_len;            /* its length */
    const char *etag;         /* strong ETag, quoted */
    const char *mime;         /* Content-Type */
};

/* The web UI files, sorted by path. */
extern const struct asset assets_web[];
extern const size_t assets_web_count;
/* Migrations (schema/...) and reference data (data/...), sorted by path. */
extern const struct asset assets_data[];
extern const size_t assets_data_count;

/* Finds path in a sorted table; NULL when absent. */
const struct asset *asset_find(const struct asset *tab, size_t n, const char *path);

#endif
