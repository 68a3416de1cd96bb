/* fuzz_xlsx.c — libFuzzer harness for io/xlsx_read: arbitrary bytes as an XLSX file.
 *
 * The input is written to an anonymous memory file and opened by path (/proc/self/fd/N),
 * with small limits so a hostile input cannot make the run slow; every row is read to the
 * end. The contract checked: xlsx_open either succeeds or fails with an error code and
 * no reader; xlsx_next returns 1, 0 or a negative code with an error code set; row cells
 * are NUL-terminated, within the row-size limit, and a failed reader stays failed.
 * ASan/UBSan catch the rest. Seeds: tests/fuzz/corpus/xlsx (small stored workbooks). */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "io/xlsx_read.h"

/* Aborts (a crash libFuzzer records) when cond is false. */
static void check(int cond)
{
    if (!cond)
        abort();
}

/* Reads data as a workbook to the end; returns 0 (libFuzzer's "keep going"). */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    int fd = memfd_create("xlsx", 0);
    if (fd < 0)
        return 0;
    if (size && write(fd, data, size) != (ssize_t)size) {
        close(fd);
        return 0;
    }
    char path[64];
    snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
    struct xlsx_limits lim = {.max_entries = 64,
                              .max_entry_bytes = 1 << 20,
                              .max_total_bytes = 4 << 20,
                              .max_sst_bytes = 1 << 20,
                              .max_cols = 256,
                              .max_row_bytes = 1 << 16};
    struct xlsx_reader *x = NULL;
    struct xlsx_error err;
    int rc = xlsx_open(path, NULL, &lim, &x, &err);
    if (rc != 0) {
        check(x == NULL && err.code != NULL && rc < 0);
        close(fd);
        return 0;
    }
    struct xlsx_row row;
    int n = 0;
    while ((rc = xlsx_next(x, &row)) == 1) {
        check(row.n_cols <= lim.max_cols);
        size_t total = 0;
        for (uint32_t c = 0; c < row.n_cols; c++)
            if (row.text[c])
                total += strlen(row.text[c]) + 1;
        check(total <= lim.max_row_bytes);
        check(++n < 1000000);
    }
    check(rc == 0 || (rc < 0 && xlsx_last_error(x)->code != NULL));
    if (rc < 0)
        check(xlsx_next(x, &row) == rc);
    xlsx_close(x);
    close(fd);
    return 0;
}
