/*
 * xlsx_write.h — list exports as XLSX through libxlsxwriter in constant-memory mode.
 */
#ifndef KC_XLSX_WRITE_H
#define KC_XLSX_WRITE_H

#include "core/err.h"

#include <stdbool.h>
#include <stddef.h>

struct db_stmt;

/* Sets the directory for temporary files (the data directory's tmp/). */
void xlsx_set_tmpdir(const char *dir);
/* Writes every remaining row of st into a one-sheet workbook: cols is a list of
 * (column name, Chinese header, English header) triples ended by NULL; headers in
 * English when en. Integer columns named "*_at" are written as "YYYY-MM-DD HH:MM:SS"
 * (UTC). *data (malloc'd, the caller frees) and *len receive the file. */
int xlsx_export_stmt(struct db_stmt *st, const char *const *cols, bool en, const char *sheet,
                     char **data, size_t *len) KC_MUST_CHECK;

/* Like xlsx_export_stmt but writes the workbook to path (constant memory all the way:
 * the caller serves the file). */
int xlsx_export_stmt_file(struct db_stmt *st, const char *const *cols, bool en,
                          const char *sheet, const char *path) KC_MUST_CHECK;
/* The directory for temporary files (xlsx_set_tmpdir, or /tmp). */
const char *xlsx_tmpdir(void);

#endif
