/*
 * xlsx_csv.h — converts a CSV file into a one-sheet XLSX workbook in constant memory
 * (every cell as text, so codes keep their leading zeros; the first row bold).
 */
#ifndef KC_XLSX_CSV_H
#define KC_XLSX_CSV_H

#include "core/err.h"

/* Reads csv_path (UTF-8 or GB18030, io/table_read) and writes xlsx_path with one sheet
 * named sheet. Returns 0, KC_ERR_IO or the reader's error. */
int xlsx_from_csv(const char *csv_path, const char *xlsx_path, const char *sheet) KC_MUST_CHECK;

#endif
