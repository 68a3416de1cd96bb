/*
 * gm.h — 国密 (Chinese commercial cryptography) primitives through OpenSSL 3 EVP.
 *
 * SM3 (GB/T 32905-2016), the 256-bit hash behind the audit hash chain. The SM3
 * implementation is fetched from OpenSSL's default provider once per process (thread
 * safe) and kept until exit; if OpenSSL cannot provide SM3 the process aborts with a
 * message, because the platform cannot run without it.
 */
#ifndef KC_GM_H
#define KC_GM_H

#include <stddef.h>

#include "core/err.h"

/* Bytes in an SM3 digest. */
#define GM_SM3_LEN 32

/* OpenSSL's EVP_MD_CTX, declared here so that callers need not include OpenSSL. */
struct evp_md_ctx_st;

/*
 * An incremental SM3 computation. Zero-initialise it or call gm_sm3_init; it owns an
 * OpenSSL context from gm_sm3_init until gm_sm3_final or gm_sm3_free.
 */
struct gm_sm3_ctx {
    struct evp_md_ctx_st *md_ctx; /* the OpenSSL digest context, or NULL when idle */
};

/*
 * Writes the SM3 digest of len bytes at data (data may be NULL when len is 0) into out.
 * Allocates nothing that outlives the call; aborts if OpenSSL fails.
 */
void gm_sm3(const void *data, size_t len, unsigned char out[GM_SM3_LEN]);

/*
 * Writes the SM3 digest of len bytes at data as 64 lower-case hex digits and a NUL
 * into out.
 */
void gm_sm3_hex(const void *data, size_t len, char out[2 * GM_SM3_LEN + 1]);

/*
 * Starts an incremental SM3 computation. Allocates an OpenSSL context (aborts on
 * out-of-memory) that gm_sm3_final or gm_sm3_free releases; a context left over from
 * an earlier computation is released first. Returns 0, or KC_ERR_IO if OpenSSL refuses
 * (ctx is then idle).
 */
int gm_sm3_init(struct gm_sm3_ctx *ctx) KC_MUST_CHECK;

/*
 * Feeds len bytes at data (may be NULL when len is 0) into the computation. Returns 0,
 * KC_ERR_INVALID if ctx was not started or data is NULL with len > 0, or KC_ERR_IO if
 * OpenSSL fails (the caller then calls gm_sm3_free).
 */
int gm_sm3_update(struct gm_sm3_ctx *ctx, const void *data, size_t len) KC_MUST_CHECK;

/*
 * Writes the digest of everything fed since gm_sm3_init into out and releases the
 * context (ctx becomes idle, whatever the result). Returns 0, KC_ERR_INVALID if ctx was
 * not started, or KC_ERR_IO if OpenSSL fails.
 */
int gm_sm3_final(struct gm_sm3_ctx *ctx, unsigned char out[GM_SM3_LEN]) KC_MUST_CHECK;

/* Abandons a computation and releases its context; harmless on an idle ctx. */
void gm_sm3_free(struct gm_sm3_ctx *ctx);

#endif
