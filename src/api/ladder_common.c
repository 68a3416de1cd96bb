/* ladder_common.c — helpers shared by the ladder module's handlers. */
#include "api/ladder_common.h"
#include "api/api.h"
#include "core/timeutil.h"
#include "db/db.h"
#include "rules/rules.h"
#include "store/enterprise.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

/* See api/ladder_common.h. */
void ladder_today(char out[11])
{
    time_t t = (time_t)(time_now() + 8 * 3600);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 11, "%Y-%m-%d", &tm);
}

/* See api/ladder_common.h. */
bool ladder_date_ok(const char *s)
{
    int64_t d;
    return s && rules_parse_date(s, &d) == 0;
}

/* See api/ladder_common.h. */
void ladder_reply_json(struct http_req *r, int status, json_t *o)
{
    char *text = json_dumps(o, JSON_COMPACT | JSON_ENCODE_ANY);
    struct buf out = {0};
    if (text)
        buf_puts(&out, text);
    free(text);
    http_reply_json(r, status, &out);
}

/* See api/ladder_common.h. */
bool ladder_find_ent(struct http_req *r, struct db *db, int64_t *org_id)
{
    if (r->n_params < 1 || strlen(r->params[0]) != 18) {
        http_reply_error(r, 404, "not_found", NULL);
        return false;
    }
    int rc = ent_find(db, &r->user.scope, r->params[0], org_id);
    if (rc) {
        api_fail(r, rc, NULL, NULL);
        return false;
    }
    return true;
}

/* See api/ladder_common.h. */
bool ladder_year_param(struct http_req *r, int idx, int *year)
{
    const char *s = idx < r->n_params ? r->params[idx] : NULL;
    if (!s || strlen(s) != 4 || strspn(s, "0123456789") != 4) {
        http_reply_error(r, 404, "not_found", NULL);
        return false;
    }
    *year = atoi(s);
    return true;
}

/* See api/ladder_common.h. */
bool ladder_is_org_user(const struct http_req *r)
{
    return r->user.role->scope == SCOPE_ORG;
}
