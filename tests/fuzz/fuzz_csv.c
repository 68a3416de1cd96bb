/* fuzz_csv.c — libFuzzer harness for io/csv: csv_next over arbitrary bytes.
 *
 * Reads every record of the input with a small field limit and checks the reader's
 * contract: each call returns -1, 0 or 1..max; every stored field is a NUL-terminated
 * arena copy no longer than the input; each successful call consumes input (no endless
 * loop); after 0 or -1 the reader reports the end again. ASan/UBSan catch the rest. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "io/csv.h"

#define MAX_FIELDS 8

/* Aborts (a crash libFuzzer records) when cond is false. */
static void check(int cond)
{
    if (!cond)
        abort();
}

/* Reads data as CSV to the end; returns 0 (libFuzzer's "keep going"). */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* A private copy with no slack after it, so any over-read past the end hits ASan's
     * redzone. */
    char *copy = malloc(size ? size : 1);
    if (!copy)
        return 0;
    if (size)
        memcpy(copy, data, size);
    struct arena a = {0};
    struct csv_reader r;
    csv_init(&r, copy, size);
    check(r.p >= copy && r.p <= copy + size && r.end == copy + size);
    char *fields[MAX_FIELDS + 1];
    for (size_t calls = 0;; calls++) {
        check(calls <= size + 1); /* every record consumes at least one byte */
        const char *before = r.p;
        fields[MAX_FIELDS] = (char *)&check; /* sentinel: must never be written */
        int n = csv_next(&r, &a, fields, MAX_FIELDS);
        check(fields[MAX_FIELDS] == (char *)&check);
        check(n >= -1 && n <= MAX_FIELDS);
        check(r.p >= before && r.p <= r.end);
        if (n <= 0) {
            /* The end (or an error, which consumed the rest) stays the end. */
            check(r.p == r.end);
            check(csv_next(&r, &a, fields, MAX_FIELDS) == 0);
            break;
        }
        check(r.p > before);
        for (int i = 0; i < n; i++) {
            check(fields[i] != NULL);
            check(strlen(fields[i]) <= size);
        }
    }
    arena_free(&a);
    free(copy);
    return 0;
}
