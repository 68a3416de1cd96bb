/*
 * buf.h — a growable byte buffer, always NUL-terminated.
 *
 * Memory comes from malloc; the owner calls buf_free (or takes the data with buf_take).
 */
#ifndef KC_BUF_H
#define KC_BUF_H

#include <stdarg.h>
#include <stddef.h>

/* A growable, NUL-terminated byte buffer. */
struct buf {
    char *data;   /* the bytes (NULL until the first append) */
    size_t len;   /* bytes used, excluding the terminating NUL */
    size_t cap;   /* bytes allocated */
};

/* Appends n bytes. */
void buf_append(struct buf *b, const void *p, size_t n);
/* Appends a NUL-terminated string. */
void buf_puts(struct buf *b, const char *s);
/* Appends one byte. */
void buf_putc(struct buf *b, char c);
/* Appends printf-formatted text. */
void buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Appends vprintf-formatted text. */
void buf_vprintf(struct buf *b, const char *fmt, va_list ap);
/* Empties the buffer, keeping its memory. */
void buf_reset(struct buf *b);
/* Returns the data (never NULL: "" when empty); the buffer keeps ownership. */
const char *buf_str(const struct buf *b);
/* Hands the malloc'd data to the caller (who frees it) and empties the buffer. */
char *buf_take(struct buf *b, size_t *len);
/* Frees the memory. */
void buf_free(struct buf *b);

#endif
