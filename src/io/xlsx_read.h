/*
 * xlsx_read.h — a streaming reader for the rows of one worksheet of an XLSX workbook.
 *
 * The container is opened with libzip and every part is parsed by expat while it is
 * decompressed, so reading a sheet takes constant memory whatever its size: only the
 * current row (bounded by max_row_bytes and max_cols) and the shared-string table
 * (bounded by max_sst_bytes) are held. Zip-bomb defences are checked on the central
 * directory before anything is inflated (entry count, declared sizes, compression ratio)
 * and again on the bytes actually inflated (a part may not grow past its declared size
 * or the limits). XML with a DOCTYPE is refused (no entity expansion at all).
 *
 * Cells come back as text by column index: shared strings and inline strings resolved,
 * numbers as written in the file (e.g. "1234.5", "1E-3"), booleans "1"/"0", error
 * values ("#N/A") and ISO dates (t="d") as written. Formulas give their cached value.
 */
#ifndef KC_XLSX_READ_H
#define KC_XLSX_READ_H

#include "core/err.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Resource limits; a zero member takes the default in brackets. */
struct xlsx_limits {
    uint64_t max_entries;     /* entries in the zip directory [10,000] */
    uint64_t max_entry_bytes; /* inflated bytes of any one part [2 GiB] */
    uint64_t max_total_bytes; /* inflated bytes of all parts, as declared [4 GiB] */
    uint64_t max_ratio;       /* inflated ÷ compressed size of a part over 1 MiB [200] */
    uint64_t max_sst_bytes;   /* memory for the shared-string table [64 MiB] */
    uint32_t max_cols;        /* columns of a row (A = 1) [16,384, Excel's own limit] */
    uint64_t max_row_bytes;   /* text of one row, all cells together [1 MiB] */
};

/* Cell types. */
enum xlsx_type {
    XLSX_EMPTY = 0, /* no cell, or a cell without a value */
    XLSX_NUMBER,    /* a number as written ("12", "0.5", "1.2E+3"), also date serials */
    XLSX_STRING,    /* a shared, inline or formula string */
    XLSX_BOOL,      /* "1" or "0" */
    XLSX_ERROR,     /* an error value such as "#N/A" */
    XLSX_DATE       /* an ISO 8601 date (t="d") */
};

/* One row; every pointer stays valid until the next xlsx_next or xlsx_close. */
struct xlsx_row {
    uint32_t number;           /* 1-based row number in the sheet */
    uint32_t n_cols;           /* columns up to the last one with a value (0 = blank row) */
    const char *const *text;   /* text[i] of column i (0 = A), NUL-terminated; NULL = empty */
    const unsigned char *type; /* enum xlsx_type of column i */
};

/* Why opening or reading failed: a stable code for messages and a detail in English. */
struct xlsx_error {
    const char *code; /* not_zip, too_many_entries, entry_too_large, total_too_large,
                         compression_ratio, no_workbook, no_sheet, sheet_not_found,
                         shared_strings_too_large, too_many_columns, row_too_large,
                         bad_xml, corrupt, io */
    char detail[200]; /* human-readable detail (English) */
};

struct xlsx_reader;

/* Opens path and prepares to stream the worksheet named sheet (NULL = the first in
 * the workbook); loads the shared-string table. lim may be NULL (defaults). On success
 * *out is owned by the caller (xlsx_close) and 0 is returned; otherwise *err says why
 * and KC_ERR_INVALID (not a usable workbook), KC_ERR_TOO_LARGE (a limit) or KC_ERR_IO
 * (cannot read the file) is returned. */
int xlsx_open(const char *path, const char *sheet, const struct xlsx_limits *lim,
              struct xlsx_reader **out, struct xlsx_error *err) KC_MUST_CHECK;
/* Reads the next row that has a <row> element (blank rows in between are skipped by
 * the file itself; check row->number). Returns 1 with *row filled, 0 at the end of the
 * sheet, or KC_ERR_INVALID / KC_ERR_TOO_LARGE / KC_ERR_IO (xlsx_last_error says why;
 * the reader then stays failed). */
int xlsx_next(struct xlsx_reader *x, struct xlsx_row *row) KC_MUST_CHECK;
/* The error of the last failed call (code NULL when none). */
const struct xlsx_error *xlsx_last_error(const struct xlsx_reader *x);
/* Bytes of sheet XML inflated so far and the sheet's declared inflated size. */
void xlsx_progress(const struct xlsx_reader *x, uint64_t *done, uint64_t *total);
/* True when the workbook counts dates from 1904 (workbookPr date1904). */
bool xlsx_date1904(const struct xlsx_reader *x);
/* Closes the file and frees everything; NULL is a no-op. */
void xlsx_close(struct xlsx_reader *x);

/* Converts an Excel column reference ("A", "AB", "XFD") at the start of ref to a
 * 0-based index; returns -1 when ref does not start with 1-3 letters. */
int xlsx_col_index(const char *ref);

#endif
