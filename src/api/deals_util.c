/* deals_util.c — helpers shared by the deals handlers (see deals_util.h). */
#include "api/deals_util.h"
#include "api/api.h"
#include "core/buf.h"
#include "core/timeutil.h"
#include "db/db.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

void deals_today(char out[11])
{
    time_t t = (time_t)(time_now() + 8 * 3600);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 11, "%Y-%m-%d", &tm);
}

bool deals_valid_date(const char *s)
{
    int64_t t;
    return s && time_parse_date(s, &t) == 0;
}

bool deals_qint(struct http_req *r, const char *name, int64_t *out)
{
    *out = 0;
    const char *v = api_qparam(r, name);
    if (!v)
        return true;
    char *end;
    errno = 0;
    long long n = strtoll(v, &end, 10);
    if (errno || *end || n <= 0) {
        http_reply_error(r, 422, "invalid_value", name);
        return false;
    }
    *out = n;
    return true;
}

bool deals_qdate(struct http_req *r, const char *name, const char **out)
{
    *out = api_qparam(r, name);
    if (*out && !deals_valid_date(*out)) {
        http_reply_error(r, 422, "invalid_date", name);
        return false;
    }
    return true;
}

bool deals_qenum(struct http_req *r, const char *name, const char *const *allowed,
                 const char **out)
{
    *out = api_qparam(r, name);
    if (!*out)
        return true;
    for (const char *const *a = allowed; *a; a++)
        if (strcmp(*a, *out) == 0)
            return true;
    http_reply_error(r, 422, "invalid_value", name);
    return false;
}

/* Appends one CSV cell (RFC 4180 quoting; a leading = + - @ is neutralised with '). */
static void csv_cell(struct buf *b, const char *s)
{
    if (!s)
        return;
    bool formula = strchr("=+-@", s[0]) && s[0] && !(s[0] == '-' && s[1] >= '0' && s[1] <= '9');
    bool quote = formula || strpbrk(s, ",\"\r\n") != NULL;
    if (quote)
        buf_putc(b, '"');
    if (formula)
        buf_putc(b, '\'');
    for (const char *p = s; *p; p++) {
        if (*p == '"')
            buf_putc(b, '"');
        buf_putc(b, *p);
    }
    if (quote)
        buf_putc(b, '"');
}

void deals_export_csv(struct http_req *r, struct db_stmt *st, const char *const *cols,
                      const char *filename)
{
    struct buf out = {0};
    buf_puts(&out, "\xEF\xBB\xBF");
    for (size_t c = 0; cols[c]; c += 3) {
        if (c)
            buf_putc(&out, ',');
        csv_cell(&out, r->en ? cols[c + 2] : cols[c + 1]);
    }
    buf_puts(&out, "\r\n");
    int n = db_col_count(st), rc;
    while ((rc = db_step(st)) == DB_ROW) {
        for (size_t c = 0; cols[c]; c += 3) {
            if (c)
                buf_putc(&out, ',');
            for (int k = 0; k < n; k++) {
                if (strcmp(db_col_name(st, k), cols[c]) != 0)
                    continue;
                const char *name = cols[c];
                size_t len = strlen(name);
                if (db_col_type(st, k) == DB_INT && len > 3 &&
                    strcmp(name + len - 3, "_at") == 0) {
                    char ts[32];
                    time_rfc3339(db_col_int(st, k), ts, sizeof(ts));
                    csv_cell(&out, ts);
                } else {
                    csv_cell(&out, db_col_text(st, k));
                }
                break;
            }
        }
        buf_puts(&out, "\r\n");
    }
    db_done(st);
    if (rc < 0) {
        buf_free(&out);
        api_fail(r, rc, NULL, NULL);
        return;
    }
    size_t len = 0;
    char *data = buf_take(&out, &len);
    http_reply_bytes(r, 200, "text/csv; charset=utf-8", data, len, filename);
}
