/* xlsx_write.c — XLSX exports (libxlsxwriter, constant_memory). */
#include "io/xlsx_write.h"
#include "core/log.h"
#include "core/xalloc.h"
#include "db/db.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <xlsxwriter.h>

static char *tmpdir; /* where temporary files go; NULL = /tmp */

void xlsx_set_tmpdir(const char *dir)
{
    free(tmpdir);
    tmpdir = xstrdup(dir);
}

/* Reads a whole file into malloc'd memory. */
static int slurp(const char *path, char **data, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return KC_ERR_IO;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *p = xmalloc((size_t)(n > 0 ? n : 1));
    if (n < 0 || fread(p, 1, (size_t)n, f) != (size_t)n) {
        fclose(f);
        free(p);
        return KC_ERR_IO;
    }
    fclose(f);
    *data = p;
    *len = (size_t)n;
    return 0;
}

const char *xlsx_tmpdir(void)
{
    return tmpdir ? tmpdir : "/tmp";
}

int xlsx_export_stmt(struct db_stmt *st, const char *const *cols, bool en, const char *sheet,
                     char **data, size_t *len)
{
    const char *dir = tmpdir ? tmpdir : "/tmp";
    char path[4096];
    snprintf(path, sizeof(path), "%s/export-XXXXXX", dir);
    int fd = mkstemp(path);
    if (fd < 0) {
        log_msg(LOG_ERROR, "cannot create export file", "dir", dir, NULL);
        return KC_ERR_IO;
    }
    close(fd);
    int rc = xlsx_export_stmt_file(st, cols, en, sheet, path);
    if (!rc)
        rc = slurp(path, data, len);
    unlink(path);
    return rc;
}

int xlsx_export_stmt_file(struct db_stmt *st, const char *const *cols, bool en,
                          const char *sheet, const char *path)
{
    const char *dir = tmpdir ? tmpdir : "/tmp";
    lxw_workbook_options opt = {.constant_memory = LXW_TRUE, .tmpdir = (char *)dir};
    lxw_workbook *wb = workbook_new_opt(path, &opt);
    int rc = KC_ERR_IO;
    if (!wb)
        return rc;
    lxw_worksheet *ws = workbook_add_worksheet(wb, sheet);
    lxw_format *head = workbook_add_format(wb);
    format_set_bold(head);
    format_set_bg_color(head, 0xDDEBF7);
    size_t n_cols = 0;
    while (cols[n_cols * 3])
        n_cols++;
    int idx[64];
    for (size_t c = 0; c < n_cols && c < 64; c++) {
        idx[c] = -1;
        for (int k = 0; k < db_col_count(st); k++)
            if (strcmp(db_col_name(st, k), cols[c * 3]) == 0)
                idx[c] = k;
        worksheet_write_string(ws, 0, (lxw_col_t)c, cols[c * 3 + (en ? 2 : 1)], head);
        worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, 18, NULL);
    }
    lxw_row_t row = 1;
    int s;
    while ((s = db_step(st)) == DB_ROW) {
        for (size_t c = 0; c < n_cols && c < 64; c++) {
            int k = idx[c];
            if (k < 0)
                continue;
            const char *name = db_col_name(st, k);
            size_t nl = strlen(name);
            switch (db_col_type(st, k)) {
            case DB_INT:
                if (nl > 3 && strcmp(name + nl - 3, "_at") == 0) {
                    time_t t = (time_t)db_col_int(st, k);
                    struct tm tm;
                    char ts[32];
                    gmtime_r(&t, &tm);
                    strftime(ts, sizeof(ts), "%Y-%m-%d %H:%M:%S", &tm);
                    worksheet_write_string(ws, row, (lxw_col_t)c, ts, NULL);
                } else {
                    worksheet_write_number(ws, row, (lxw_col_t)c, (double)db_col_int(st, k),
                                           NULL);
                }
                break;
            case DB_FLOAT:
                worksheet_write_number(ws, row, (lxw_col_t)c, db_col_double(st, k), NULL);
                break;
            case DB_TEXT:
                worksheet_write_string(ws, row, (lxw_col_t)c, db_col_text(st, k), NULL);
                break;
            default:
                break;
            }
        }
        row++;
    }
    if (workbook_close(wb) != LXW_NO_ERROR || s < 0)
        return rc;
    return 0;
}
