/* csv_write.c — CSV output (quoting, CRLF, formula-injection guard). */
#include "io/csv_write.h"

#include "db/db.h"

#include <inttypes.h>
#include <string.h>
#include <time.h>

void csv_write_field(FILE *f, const char *s, bool guard)
{
    if (!s || !*s)
        return;
    size_t n = strlen(s);
    bool quote = strpbrk(s, ",\"\r\n") != NULL || s[0] == ' ' || s[n - 1] == ' ';
    bool risky = guard && strchr("=+-@\t\r", s[0]) != NULL;
    if (quote)
        fputc('"', f);
    if (risky)
        fputc('\'', f);
    if (!quote) {
        fwrite(s, 1, n, f);
        return;
    }
    for (const char *p = s; *p; p++) {
        if (*p == '"')
            fputc('"', f);
        fputc(*p, f);
    }
    fputc('"', f);
}

void csv_write_row(FILE *f, const char *const *fields, int n, bool guard)
{
    for (int i = 0; i < n; i++) {
        if (i)
            fputc(',', f);
        csv_write_field(f, fields[i], guard);
    }
    fputs("\r\n", f);
}

int csv_export_stmt(struct db_stmt *st, const char *const *cols, bool en, const char *path)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return KC_ERR_IO;
    fputs(CSV_BOM, f);
    size_t n_cols = 0;
    while (cols[n_cols * 3])
        n_cols++;
    int idx[64];
    for (size_t c = 0; c < n_cols && c < 64; c++) {
        idx[c] = -1;
        for (int k = 0; k < db_col_count(st); k++)
            if (strcmp(db_col_name(st, k), cols[c * 3]) == 0)
                idx[c] = k;
        if (c)
            fputc(',', f);
        csv_write_field(f, cols[c * 3 + (en ? 2 : 1)], false);
    }
    fputs("\r\n", f);
    int s;
    while ((s = db_step(st)) == DB_ROW) {
        for (size_t c = 0; c < n_cols && c < 64; c++) {
            if (c)
                fputc(',', f);
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
                    fputs(ts, f);
                } else {
                    fprintf(f, "%" PRId64, db_col_int(st, k));
                }
                break;
            case DB_FLOAT:
                fprintf(f, "%.15g", db_col_double(st, k));
                break;
            case DB_TEXT:
                csv_write_field(f, db_col_text(st, k), true);
                break;
            default:
                break;
            }
        }
        fputs("\r\n", f);
    }
    int bad = ferror(f);
    if (fclose(f) != 0 || bad)
        return KC_ERR_IO;
    return s < 0 ? KC_ERR_DB : 0;
}
