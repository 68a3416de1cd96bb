/*
 * arena.h — a per-request memory pool.
 *
 * Everything request-scoped is allocated here and freed at once by arena_free when
 * the request completes. Allocation never fails (aborts on out-of-memory).
 */
#ifndef KC_ARENA_H
#define KC_ARENA_H

#include <stddef.h>

struct arena_chunk;

/* A chain of chunks; zero-initialise before use. */
struct arena {
    struct arena_chunk *head; /* newest chunk, or NULL */
};

/* Returns n bytes (aligned for any type) owned by the arena. */
void *arena_alloc(struct arena *a, size_t n);
/* Copies s (or its first n bytes with arena_strndup) into the arena; NULL gives NULL. */
char *arena_strdup(struct arena *a, const char *s);
char *arena_strndup(struct arena *a, const char *s, size_t n);
/* printf into the arena. */
char *arena_printf(struct arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Frees every chunk. The arena can be reused afterwards. */
void arena_free(struct arena *a);

#endif
