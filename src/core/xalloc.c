/* xalloc.c — allocation wrappers that abort on out-of-memory. */
#include "core/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Prints a message and aborts; never returns. */
static void oom(size_t n)
{
    fprintf(stderr, "kechuang: out of memory allocating %zu bytes\n", n);
    abort();
}

/* malloc(n) or abort. */
void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        oom(n);
    return p;
}

/* calloc(n, size) or abort. */
void *xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p)
        oom(n * size);
    return p;
}

/* realloc(p, n) or abort. */
void *xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q)
        oom(n);
    return q;
}

/* strdup(s) or abort; NULL gives NULL. */
char *xstrdup(const char *s)
{
    if (!s)
        return NULL;
    size_t n = strlen(s) + 1;
    char *p = xmalloc(n);
    memcpy(p, s, n);
    return p;
}
