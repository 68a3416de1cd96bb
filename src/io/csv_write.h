/*
 * csv_write.h — writing RFC 4180 CSV: quoting where needed, CRLF line ends, an optional
 * UTF-8 byte-order mark so Excel opens Chinese text correctly, and a guard against
 * spreadsheet formula injection for text that came from other users.
 */
#ifndef KC_CSV_WRITE_H
#define KC_CSV_WRITE_H

#include "core/err.h"

#include <stdbool.h>
#include <stdio.h>

/* The UTF-8 byte-order mark Excel needs to read a CSV file as UTF-8. */
#define CSV_BOM "\xEF\xBB\xBF"

/* Writes one field (not the separator): quoted when it holds a comma, quote, CR, LF or
 * leading/trailing space; NULL writes nothing (an empty field). When guard is set, text
 * starting with = + - @ TAB or CR gets a leading apostrophe so a spreadsheet shows it
 * as text instead of evaluating it (use for free text, not for numbers). */
void csv_write_field(FILE *f, const char *s, bool guard);
/* Writes n fields separated by commas and ends the record with CRLF. */
void csv_write_row(FILE *f, const char *const *fields, int n, bool guard);

struct db_stmt;

/* Writes every remaining row of st as CSV to path (UTF-8 with BOM, CRLF): cols are
 * (column name, Chinese header, English header) triples ended by NULL, as for
 * xlsx_export_stmt, with the same rules (integer "*_at" columns as "YYYY-MM-DD HH:MM:SS"
 * UTC); text is guarded against formula injection. Returns 0, KC_ERR_IO or KC_ERR_DB. */
int csv_export_stmt(struct db_stmt *st, const char *const *cols, bool en, const char *path);

#endif
