/* gm.c — SM3 through OpenSSL 3 EVP, with the algorithm fetched once per process. */
#include "crypto/gm.h"

#include <openssl/err.h>
#include <openssl/evp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

/* Guards the one-time fetch of the SM3 implementation. */
static pthread_once_t sm3_once = PTHREAD_ONCE_INIT;

/* The SM3 implementation, fetched once and kept for the life of the process. */
static EVP_MD *sm3_md;

/* Prints a message with OpenSSL's error queue and aborts; never returns. */
static void gm_die(const char *what)
{
    fprintf(stderr, "kechuang: %s\n", what);
    ERR_print_errors_fp(stderr);
    abort();
}

/* Fetches SM3 from the default provider (run once through pthread_once). */
static void sm3_fetch(void)
{
    sm3_md = EVP_MD_fetch(NULL, "SM3", NULL);
    if (sm3_md == NULL)
        gm_die("OpenSSL provides no SM3 digest; the platform cannot run without it");
}

/* Returns the cached SM3 implementation, fetching it on first use (aborts on failure). */
static const EVP_MD *sm3(void)
{
    if (pthread_once(&sm3_once, sm3_fetch) != 0)
        gm_die("pthread_once failed while fetching SM3");
    return sm3_md;
}

/* Computes a one-shot SM3 digest (see gm.h). */
void gm_sm3(const void *data, size_t len, unsigned char out[GM_SM3_LEN])
{
    unsigned int n_out = 0;
    if (data == NULL)
        data = "";
    if (EVP_Digest(data, len, out, &n_out, sm3(), NULL) != 1 || n_out != GM_SM3_LEN)
        gm_die("SM3 digest failed");
}

/* Computes a one-shot SM3 digest as lower-case hex (see gm.h). */
void gm_sm3_hex(const void *data, size_t len, char out[2 * GM_SM3_LEN + 1])
{
    static const char hex[] = "0123456789abcdef";
    unsigned char md[GM_SM3_LEN];
    gm_sm3(data, len, md);
    for (int i = 0; i < GM_SM3_LEN; i++) {
        out[2 * i] = hex[md[i] >> 4];
        out[2 * i + 1] = hex[md[i] & 0x0f];
    }
    out[2 * GM_SM3_LEN] = '\0';
}

/* Releases the OpenSSL context of ctx, if any (see gm.h). */
void gm_sm3_free(struct gm_sm3_ctx *ctx)
{
    if (ctx == NULL)
        return;
    EVP_MD_CTX_free(ctx->md_ctx);
    ctx->md_ctx = NULL;
}

/* Starts an incremental SM3 computation (see gm.h). */
int gm_sm3_init(struct gm_sm3_ctx *ctx)
{
    const EVP_MD *md = sm3();
    gm_sm3_free(ctx);
    ctx->md_ctx = EVP_MD_CTX_new();
    if (ctx->md_ctx == NULL)
        gm_die("out of memory allocating an SM3 context");
    if (EVP_DigestInit_ex2(ctx->md_ctx, md, NULL) != 1) {
        ERR_clear_error();
        gm_sm3_free(ctx);
        return KC_ERR_IO;
    }
    return 0;
}

/* Feeds bytes into an incremental SM3 computation (see gm.h). */
int gm_sm3_update(struct gm_sm3_ctx *ctx, const void *data, size_t len)
{
    if (ctx == NULL || ctx->md_ctx == NULL)
        return KC_ERR_INVALID;
    if (len == 0)
        return 0;
    if (data == NULL)
        return KC_ERR_INVALID;
    if (EVP_DigestUpdate(ctx->md_ctx, data, len) != 1) {
        ERR_clear_error();
        return KC_ERR_IO;
    }
    return 0;
}

/* Finishes an incremental SM3 computation and releases its context (see gm.h). */
int gm_sm3_final(struct gm_sm3_ctx *ctx, unsigned char out[GM_SM3_LEN])
{
    if (ctx == NULL || ctx->md_ctx == NULL)
        return KC_ERR_INVALID;
    unsigned int n_out = 0;
    int ok = EVP_DigestFinal_ex(ctx->md_ctx, out, &n_out) == 1 && n_out == GM_SM3_LEN;
    if (!ok)
        ERR_clear_error();
    gm_sm3_free(ctx);
    return ok ? 0 : KC_ERR_IO;
}
