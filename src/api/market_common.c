/* market_common.c — helpers shared by the market handlers (market_common.h). */
#include "api/market_common.h"
#include "core/buf.h"
#include "db/db.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void mk_problem(struct http_req *r, const struct market_problem *p)
{
    char base[48];
    snprintf(base, sizeof(base), "%s", p->field);
    char *br = strchr(base, '[');
    if (!br) {
        http_reply_error(r, 422, p->code, p->field);
        return;
    }
    *br = '\0';
    int idx = atoi(br + 1) + 1;
    const char *dot = strchr(p->field, '.');
    const char *sub = dot ? msg_field(r->en, dot + 1) : NULL;
    const char *msg = msg_error(r, p->code, base);
    const char *full = r->en ? arena_printf(&r->arena, "%s (item %d%s%s)", msg, idx,
                                            sub ? ": " : "", sub ? sub : "")
                             : arena_printf(&r->arena, "%s（第 %d 项%s%s）", msg, idx,
                                            sub ? "：" : "", sub ? sub : "");
    http_reply_error_msg(r, 422, p->code, base, full);
}

bool mk_resolve_org(struct http_req *r, struct db *db, json_t *o, const char *key, bool required,
                    char region[7])
{
    region[0] = '\0';
    json_t *v = json_object_get(o, key);
    int64_t org = json_is_integer(v) ? json_integer_value(v) : 0;
    if (r->user.role->scope == SCOPE_ORG) {
        if (org && org != r->user.org_id) {
            http_reply_error(r, 422, "org_out_of_scope", key);
            return false;
        }
        org = r->user.org_id;
        if (!org) {
            http_reply_error(r, 422, "org_out_of_scope", key);
            return false;
        }
    }
    if (!org) {
        if (required) {
            http_reply_error(r, 422, "required", key);
            return false;
        }
        json_object_set_new(o, key, json_null());
        return true;
    }
    struct db_stmt *st = db_query(db, "SELECT region_code FROM orgs WHERE id=?", "i", org);
    bool found = st && db_step(st) == DB_ROW;
    if (found)
        snprintf(region, 7, "%s", db_col_text(st, 0));
    if (st)
        db_done(st);
    if (!found ||
        (r->user.role->scope == SCOPE_REGION && !auth_region_in_scope(&r->user, region))) {
        region[0] = '\0';
        http_reply_error(r, 422, "org_out_of_scope", key);
        return false;
    }
    json_object_set_new(o, key, json_integer(org));
    return true;
}

bool mk_int_param(struct http_req *r, const char *name, int64_t min, int64_t max, int64_t dflt,
                  int64_t *out)
{
    const char *v = api_qparam(r, name);
    *out = dflt;
    if (!v)
        return true;
    char *end;
    long long x = strtoll(v, &end, 10);
    if (*end || end == v || x < min || x > max) {
        http_reply_error(r, 422, "invalid_value", name);
        return false;
    }
    *out = x;
    return true;
}

bool mk_list_param(struct http_req *r, const char *name, const char *const *list, const char **out)
{
    *out = api_qparam(r, name);
    if (*out && market_index(list, *out) < 0) {
        http_reply_error(r, 422, "invalid_value", name);
        return false;
    }
    return true;
}

json_t *mk_quality_json(struct http_req *r, const struct demand_quality *q)
{
    json_t *missing = json_array();
    for (int i = 0; i < q->n_missing; i++) {
        bool gate = false;
        for (int g = 0; g < q->n_gate; g++)
            gate |= q->gate[g] == q->missing[i];
        json_array_append_new(missing, json_pack("{s:s,s:s,s:b}", "field", q->missing[i], "label",
                                                 msg_field(r->en, q->missing[i]),
                                                 "blocks_publishing", gate));
    }
    return json_pack("{s:i,s:b,s:o}", "score", q->score, "publishable", q->n_gate == 0, "missing",
                     missing);
}

void mk_strip(json_t *o, const char *const *keys)
{
    for (; *keys; keys++)
        json_object_del(o, *keys);
}

void mk_write_json(struct jw *w, const char *key, json_t *o)
{
    char *t = json_dumps(o, JSON_COMPACT | JSON_ENCODE_ANY);
    if (key)
        jw_key(w, key);
    jw_raw(w, t, strlen(t));
    free(t);
}
