/*
 * csv.h — an RFC 4180 CSV record reader over a memory buffer.
 */
#ifndef KC_CSV_H
#define KC_CSV_H

#include <stddef.h>

struct arena;

/* A cursor over CSV text. */
struct csv_reader {
    const char *p;   /* next unread byte */
    const char *end; /* one past the last byte */
};

/* Starts reading data (n bytes); skips a UTF-8 byte-order mark. */
void csv_init(struct csv_reader *r, const char *data, size_t n);
/* Reads the next record into fields (at most max; extra fields are dropped), each a
 * NUL-terminated copy in arena a. Returns the number of fields, 0 at the end of input,
 * -1 on an unterminated quote. Empty lines are skipped. */
int csv_next(struct csv_reader *r, struct arena *a, char **fields, int max);

#endif
