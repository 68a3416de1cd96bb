/*
 * table_read.h — rows of a CSV or XLSX file, streamed in constant memory.
 *
 * CSV: UTF-8 with or without a byte-order mark, or GB18030 (what Excel saves as "CSV"
 * on a Chinese Windows). The encoding is decided on the first bytes that are not ASCII:
 * valid UTF-8 stays UTF-8, anything else is decoded as GB18030 through iconv. Records are
 * parsed by io/csv.c over a sliding window that always ends on a record boundary (quotes
 * may hold newlines). XLSX: the first worksheet through io/xlsx_read.c.
 *
 * Either way the caller sees rows of text cells by column index, with the line (CSV) or
 * row (XLSX) number where the row starts, and the bytes consumed for progress.
 */
#ifndef KC_TABLE_READ_H
#define KC_TABLE_READ_H

#include "core/err.h"
#include "io/xlsx_read.h"

#include <stdbool.h>
#include <stdint.h>

/* File formats. */
enum table_format {
    TABLE_AUTO = 0, /* XLSX when the file starts with a zip signature, else CSV */
    TABLE_CSV,      /* comma-separated text */
    TABLE_XLSX      /* Office Open XML workbook */
};

/* Longest CSV record accepted (bytes after decoding). */
#define TABLE_MAX_RECORD (1u << 20)
/* Columns kept per row; further columns are ignored. */
#define TABLE_MAX_COLS 512

/* One row; valid until the next table_next or table_close. */
struct table_row {
    uint64_t number;           /* 1-based line (CSV, where the record starts) or sheet row */
    int n;                     /* cells up to the last one present (0 = blank row) */
    const char *const *cell;   /* cell[i]: text of column i, NULL when empty */
    const unsigned char *type; /* enum xlsx_type of column i (CSV: XLSX_STRING or EMPTY) */
};

/* Why a file cannot be read: a stable code and an English detail. */
struct table_error {
    const char *code; /* io, encoding, record_too_large, unterminated_quote, or an
                         xlsx_error code */
    char detail[200]; /* human-readable detail */
};

struct table_reader;

/* Opens path as fmt (TABLE_AUTO sniffs). lim applies to XLSX (NULL = defaults). Returns
 * 0 with *out owned by the caller (table_close), or KC_ERR_INVALID / KC_ERR_TOO_LARGE /
 * KC_ERR_IO with *err filled. */
int table_open(const char *path, enum table_format fmt, const struct xlsx_limits *lim,
               struct table_reader **out, struct table_error *err) KC_MUST_CHECK;
/* Reads the next row: 1 with *row filled, 0 at the end, or a negative kc_err after which
 * table_last_error says why (the file cannot be read further). */
int table_next(struct table_reader *t, struct table_row *row) KC_MUST_CHECK;
/* The error of the last failed call. */
const struct table_error *table_last_error(const struct table_reader *t);
/* The format being read (never TABLE_AUTO). */
enum table_format table_format(const struct table_reader *t);
/* "utf-8", "gb18030" (CSV, once decided; "utf-8" while only ASCII was seen) or "xlsx". */
const char *table_encoding(const struct table_reader *t);
/* True for XLSX workbooks counting dates from 1904. */
bool table_date1904(const struct table_reader *t);
/* Input consumed so far and its total, in bytes (XLSX: inflated sheet bytes). */
void table_progress(const struct table_reader *t, uint64_t *done, uint64_t *total);
/* Closes the file and frees everything; NULL is a no-op. */
void table_close(struct table_reader *t);

#endif
