/* xlsx_csv.c — CSV → XLSX (libxlsxwriter, constant_memory). */
#include "io/xlsx_csv.h"
#include "io/table_read.h"
#include "io/xlsx_write.h"

#include <xlsxwriter.h>

int xlsx_from_csv(const char *csv_path, const char *xlsx_path, const char *sheet)
{
    struct table_reader *t = NULL;
    struct table_error err;
    int rc = table_open(csv_path, TABLE_CSV, NULL, &t, &err);
    if (rc)
        return rc;
    lxw_workbook_options opt = {.constant_memory = LXW_TRUE, .tmpdir = (char *)xlsx_tmpdir()};
    lxw_workbook *wb = workbook_new_opt(xlsx_path, &opt);
    if (!wb) {
        table_close(t);
        return KC_ERR_IO;
    }
    lxw_worksheet *ws = workbook_add_worksheet(wb, sheet);
    lxw_format *head = workbook_add_format(wb);
    format_set_bold(head);
    format_set_bg_color(head, 0xDDEBF7);
    lxw_row_t row = 0;
    struct table_row tr;
    while ((rc = table_next(t, &tr)) == 1) {
        for (int c = 0; c < tr.n; c++)
            if (tr.cell[c])
                worksheet_write_string(ws, row, (lxw_col_t)c, tr.cell[c], row ? NULL : head);
        if (row == 0)
            worksheet_set_column(ws, 0, (lxw_col_t)(tr.n > 0 ? tr.n - 1 : 0), 18, NULL);
        row++;
    }
    table_close(t);
    if (workbook_close(wb) != LXW_NO_ERROR)
        return KC_ERR_IO;
    return rc < 0 ? rc : 0;
}
