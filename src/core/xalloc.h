/*
 * xalloc.h — allocation that never returns NULL.
 *
 * Out-of-memory aborts the process (as in Fossil, Redis and h2o): an untested NULL path
 * is worse than a crash and a supervised restart.
 */
#ifndef KC_XALLOC_H
#define KC_XALLOC_H

#include <stddef.h>

/* malloc(n) or abort. The caller owns and frees the result. */
void *xmalloc(size_t n);
/* calloc(n, size) or abort. The caller owns and frees the result. */
void *xcalloc(size_t n, size_t size);
/* realloc(p, n) or abort. */
void *xrealloc(void *p, size_t n);
/* strdup(s) or abort; NULL gives NULL. The caller frees the result. */
char *xstrdup(const char *s);

#endif
