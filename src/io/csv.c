/* csv.c — CSV record reader (quotes, doubled quotes, CRLF). */
#include "io/csv.h"
#include "core/arena.h"
#include "core/buf.h"

#include <string.h>

void csv_init(struct csv_reader *r, const char *data, size_t n)
{
    r->p = data;
    r->end = data + n;
    if (n >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
        r->p += 3;
}

/* Reads one record. */
int csv_next(struct csv_reader *r, struct arena *a, char **fields, int max)
{
    while (r->p < r->end && (*r->p == '\n' || *r->p == '\r'))
        r->p++;
    if (r->p >= r->end)
        return 0;
    int n = 0;
    struct buf field = {0};
    for (;;) {
        buf_reset(&field);
        if (r->p < r->end && *r->p == '"') {
            r->p++;
            for (;;) {
                if (r->p >= r->end) {
                    buf_free(&field);
                    return -1;
                }
                if (*r->p == '"') {
                    if (r->p + 1 < r->end && r->p[1] == '"') {
                        buf_putc(&field, '"');
                        r->p += 2;
                        continue;
                    }
                    r->p++;
                    break;
                }
                buf_putc(&field, *r->p++);
            }
            /* Anything between the closing quote and the separator is kept verbatim. */
            while (r->p < r->end && *r->p != ',' && *r->p != '\n' && *r->p != '\r')
                buf_putc(&field, *r->p++);
        } else {
            while (r->p < r->end && *r->p != ',' && *r->p != '\n' && *r->p != '\r')
                buf_putc(&field, *r->p++);
        }
        if (n < max)
            fields[n] = arena_strndup(a, buf_str(&field), field.len);
        n++;
        if (r->p < r->end && *r->p == ',') {
            r->p++;
            continue;
        }
        if (r->p < r->end && *r->p == '\r')
            r->p++;
        if (r->p < r->end && *r->p == '\n')
            r->p++;
        break;
    }
    buf_free(&field);
    return n < max ? n : max;
}
