/* csv_write.c — CSV output (quoting, CRLF, formula-injection guard). */
#include "io/csv_write.h"

#include <string.h>

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
