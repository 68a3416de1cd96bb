/*
 * assets.c — serves the embedded web UI: gzip when the client accepts it, strong ETags
 * with 304 answers, long caching for Vite's hashed files and none for index.html.
 * Any other extension-less path falls back to index.html (client-side routes).
 */
#include "http/internal.h"
#include "core/asset.h"
#include "core/err.h"

#include <microhttpd.h>
#include <string.h>

/* True when the Accept-Encoding header allows gzip. */
static bool accepts_gzip(struct http_req *r)
{
    const char *ae = http_header(r, "Accept-Encoding");
    return ae && strstr(ae, "gzip");
}

int assets_serve(struct http_req *r)
{
    const char *p = r->path;
    while (*p == '/')
        p++;
    const struct asset *a = NULL;
    if (*p)
        a = asset_find(assets_web, assets_web_count, p);
    if (!a) {
        const char *slash = strrchr(r->path, '/');
        if (slash && strchr(slash, '.'))
            return KC_ERR_NOT_FOUND; /* a missing file, not a client route */
        a = asset_find(assets_web, assets_web_count, "index.html");
        if (!a)
            return KC_ERR_NOT_FOUND;
    }
    bool immutable = strncmp(a->path, "assets/", 7) == 0;
    const char *inm = http_header(r, "If-None-Match");
    struct MHD_Response *resp;
    int status = 200;
    if (inm && strcmp(inm, a->etag) == 0) {
        resp = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
        status = 304;
    } else if (a->gz && accepts_gzip(r)) {
        resp = MHD_create_response_from_buffer(a->gz_len, (void *)a->gz, MHD_RESPMEM_PERSISTENT);
        MHD_add_response_header(resp, "Content-Encoding", "gzip");
    } else {
        resp = MHD_create_response_from_buffer(a->len, (void *)a->data, MHD_RESPMEM_PERSISTENT);
    }
    MHD_add_response_header(resp, "Content-Type", a->mime);
    MHD_add_response_header(resp, "ETag", a->etag);
    MHD_add_response_header(resp, "Vary", "Accept-Encoding");
    MHD_add_response_header(resp, "Cache-Control",
                            immutable ? "public, max-age=31536000, immutable" : "no-cache");
    http_set_response(r, status, resp);
    return 0;
}
