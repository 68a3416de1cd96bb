/* deals_util.c — helpers shared by the deals handlers (see deals_util.h). */
#include "api/deals_util.h"
#include "api/api.h"
#include "core/timeutil.h"

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
