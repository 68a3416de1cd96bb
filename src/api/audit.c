/* audit.c (api) — /api/v1/audit: list, export and chain verification. */
#include "api/api.h"
#include "api/handlers.h"
#include "core/timeutil.h"
#include "db/db.h"

#include <string.h>

/* Filters of the audit list. */
struct audit_filter {
    const char *entity, *entity_id, *user, *action; /* exact matches or NULL */
    int64_t from, to;                               /* [from, to) in Unix seconds */
};

#define AUDIT_SELECT                                                                            \
    "SELECT id, at, user_id, username, ip, action, entity, CAST(entity_id AS INTEGER) AS "     \
    "entity_id, diff AS diff_json, hash "                                                      \
    "FROM audit_log "
#define AUDIT_WHERE                                                                             \
    "WHERE (? IS NULL OR entity = ?) AND (? IS NULL OR entity_id = ?) "                        \
    "AND (? IS NULL OR username = ?) AND (? IS NULL OR action = ?) AND at >= ? AND at < ? "

/* Reads filters; replies 422 and returns false when a date is malformed. */
static bool read_filter(struct http_req *r, struct audit_filter *f)
{
    memset(f, 0, sizeof(*f));
    f->entity = api_qparam(r, "entity");
    f->entity_id = api_qparam(r, "entity_id");
    f->user = api_qparam(r, "user");
    f->action = api_qparam(r, "action");
    f->from = 0;
    f->to = INT64_MAX;
    const char *v;
    if ((v = api_qparam(r, "from")) && time_parse_date(v, &f->from) != 0) {
        http_reply_error(r, 422, "invalid_value", "from");
        return false;
    }
    if ((v = api_qparam(r, "to"))) {
        if (time_parse_date(v, &f->to) != 0) {
            http_reply_error(r, 422, "invalid_value", "to");
            return false;
        }
        f->to += 86400; /* inclusive end date */
    }
    return true;
}

/* Binds AUDIT_WHERE; returns the next index or -1. */
static int bind_where(struct db_stmt *st, const struct audit_filter *f)
{
    int i = 1, rc = 0;
    const char *v[] = {f->entity, f->entity_id, f->user, f->action};
    for (int k = 0; k < 4; k++) {
        rc |= db_bind_text(st, i++, v[k]);
        rc |= db_bind_text(st, i++, v[k]);
    }
    rc |= db_bind_int(st, i++, f->from);
    rc |= db_bind_int(st, i++, f->to);
    return rc ? -1 : i;
}

/* GET /api/v1/audit — newest first. */
int api_audit_list(struct http_req *r)
{
    struct db *db = api_db(r);
    struct audit_filter f;
    int64_t page, size, total = 0;
    if (!db || !read_filter(r, &f) || !api_paging(r, &page, &size))
        return 0;
    struct db_stmt *c = db_prep(db, "SELECT count(*) FROM audit_log " AUDIT_WHERE);
    int rc = !c || bind_where(c, &f) < 0 ? KC_ERR_DB : db_scalar(c, &total);
    struct db_stmt *st =
        rc ? NULL : db_prep(db, AUDIT_SELECT AUDIT_WHERE "ORDER BY id DESC LIMIT ? OFFSET ?");
    int i = st ? bind_where(st, &f) : -1;
    if (i < 0 || db_bind_int(st, i, size) || db_bind_int(st, i + 1, (page - 1) * size)) {
        if (st)
            db_done(st);
        api_fail(r, KC_ERR_DB, NULL, NULL);
        return 0;
    }
    api_reply_rows(r, st, total, page, size);
    return 0;
}

/* GET /api/v1/audit/export */
int api_audit_export(struct http_req *r)
{
    static const char *const cols[] = {
        "id", "编号", "ID",          "at", "时间(UTC)", "Time (UTC)",
        "username", "用户", "User",  "ip", "IP 地址", "IP address",
        "action", "操作", "Action",  "entity", "对象类型", "Entity",
        "entity_id", "对象编号", "Entity id", "diff_json", "变更内容", "Changes",
        "hash", "SM3 链哈希", "SM3 chain hash", NULL};
    struct db *db = api_db(r);
    struct audit_filter f;
    if (!db || !read_filter(r, &f))
        return 0;
    struct db_stmt *st = db_prep(db, AUDIT_SELECT AUDIT_WHERE "ORDER BY id DESC");
    if (!st || bind_where(st, &f) < 0) {
        if (st)
            db_done(st);
        api_fail(r, KC_ERR_DB, NULL, NULL);
        return 0;
    }
    api_export_xlsx(r, st, cols, "审计日志", "Audit log", "audit.xlsx");
    return 0;
}

/* GET /api/v1/audit/verify */
int api_audit_verify(struct http_req *r)
{
    struct db *db = api_db(r);
    if (!db)
        return 0;
    int64_t checked = 0, broken = 0;
    int rc = audit_verify(db, &checked, &broken);
    if (rc && rc != KC_ERR_INVALID) {
        api_fail(r, rc, NULL, NULL);
        return 0;
    }
    struct buf out = {0};
    struct jw w;
    jw_init(&w, &out);
    jw_obj_open(&w);
    jw_kbool(&w, "ok", rc == 0);
    jw_kint(&w, "checked", checked);
    if (rc)
        jw_kint(&w, "first_broken_id", broken);
    /* the newest entry, to record outside the database (see `kechuang audit head`) */
    int64_t head_id = 0;
    char head_hash[65] = "";
    if (audit_head(db, &head_id, head_hash) == 0 && head_id) {
        jw_key(&w, "head");
        jw_obj_open(&w);
        jw_kint(&w, "id", head_id);
        jw_kstr(&w, "hash", head_hash);
        jw_obj_close(&w);
    }
    jw_obj_close(&w);
    http_reply_json(r, 200, &out);
    return 0;
}
