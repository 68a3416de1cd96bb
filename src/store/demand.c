/* demand.c (store) — SQL for technology demands (visibility rules in demand.h). */
#include "store/demand.h"
#include "core/buf.h"
#include "core/timeutil.h"
#include "db/db.h"

#include <stdlib.h>
#include <string.h>

const char demand_select_sql[] =
    "SELECT d.id, d.org_id, o.name AS org_name, d.region_code, r.name AS region_name, d.title, "
    "d.problem, d.existing, d.keywords AS keywords_json, "
    "(SELECT json_group_array(json_object('name', i.name, 'target', i.target, 'unit', i.unit)) "
    " FROM (SELECT name, target, unit FROM demand_indicators WHERE demand_id = d.id "
    " ORDER BY seq) i) AS indicators_json, "
    "d.budget_min_fen, d.budget_max_fen, d.deadline, d.coop_modes AS coop_modes_json, d.chain, "
    "c.name AS chain_name, d.field, d.confidentiality, d.status, d.completeness, "
    "d.contact_name, d.contact_phone, d.published_at, d.closed_at, d.created_at, d.updated_at "
    "FROM demands d JOIN orgs o ON o.id = d.org_id LEFT JOIN regions r ON r.code = d.region_code "
    "LEFT JOIN chains c ON c.code = d.chain ";

void demand_visible_where(struct buf *sql, struct db_args *a, const struct auth_user *u)
{
    if (!u) {
        buf_puts(sql, "AND d.status <> 'draft' AND d.confidentiality = 'public' ");
        return;
    }
    if (u->role->scope == SCOPE_ALL)
        return;
    buf_puts(sql, "AND ((d.status <> 'draft' AND d.confidentiality IN ('public', 'members'))");
    if (u->org_id) {
        buf_puts(sql, " OR d.org_id = ?");
        db_args_int(a, u->org_id);
    }
    if (u->role->scope == SCOPE_REGION) {
        buf_puts(sql,
                 " OR (d.region_code >= ? AND d.region_code < ? AND (? OR d.status <> 'draft'))");
        db_args_text(a, u->scope.lo);
        db_args_text(a, u->scope.hi);
        db_args_int(a, auth_can(u, CAP_DEMAND_WRITE));
    }
    buf_puts(sql, ") ");
}

bool demand_writable(const struct auth_user *u, int64_t org_id, const char *region_code)
{
    if (!u || !auth_can(u, CAP_DEMAND_WRITE))
        return false;
    switch (u->role->scope) {
    case SCOPE_ALL:
        return true;
    case SCOPE_REGION:
        return region_code && auth_region_in_scope(u, region_code);
    case SCOPE_ORG:
        return u->org_id && u->org_id == org_id;
    }
    return false;
}

/* Appends the filters' conditions. */
static void build_where(struct buf *sql, struct db_args *a, const struct auth_user *u,
                        const struct demand_filter *f)
{
    buf_puts(sql, "WHERE 1=1 ");
    demand_visible_where(sql, a, u);
    if (f->q) {
        buf_puts(sql, "AND (instr(d.title, ?) > 0 OR instr(d.problem, ?) > 0 OR "
                      "instr(d.keywords, ?) > 0) ");
        db_args_text(a, f->q);
        db_args_text(a, f->q);
        db_args_text(a, f->q);
    }
    if (f->status) {
        buf_puts(sql, "AND d.status = ? ");
        db_args_text(a, f->status);
    }
    if (f->chain) {
        buf_puts(sql, "AND d.chain = ? ");
        db_args_text(a, f->chain);
    }
    if (f->field) {
        buf_puts(sql, "AND d.field = ? ");
        db_args_text(a, f->field);
    }
    if (f->coop_mode) {
        buf_puts(sql, "AND EXISTS (SELECT 1 FROM json_each(d.coop_modes) WHERE value = ?) ");
        db_args_text(a, f->coop_mode);
    }
    if (f->confidentiality) {
        buf_puts(sql, "AND d.confidentiality = ? ");
        db_args_text(a, f->confidentiality);
    }
    if (f->region.lo[0]) {
        buf_puts(sql, "AND d.region_code >= ? AND d.region_code < ? ");
        db_args_text(a, f->region.lo);
        db_args_text(a, f->region.hi);
    }
    if (f->org_id) {
        buf_puts(sql, "AND d.org_id = ? ");
        db_args_int(a, f->org_id);
    }
    if (f->ids_json) {
        buf_puts(sql, "AND d.id IN (SELECT value FROM json_each(?)) ");
        db_args_text(a, f->ids_json);
    }
}

int demand_get(struct db *db, const struct auth_user *u, int64_t id, json_t **out)
{
    struct buf sql = {0};
    struct db_args a = {0};
    buf_puts(&sql, demand_select_sql);
    buf_puts(&sql, "WHERE d.id = ? ");
    db_args_int(&a, id);
    demand_visible_where(&sql, &a, u);
    struct db_stmt *st = db_prep_args(db, buf_str(&sql), &a);
    buf_free(&sql);
    if (!st)
        return KC_ERR_DB;
    int rc = db_step(st);
    if (rc == DB_ROW)
        *out = db_row_json(st);
    db_done(st);
    if (rc < 0)
        return rc;
    return rc == DB_ROW ? 0 : KC_ERR_NOT_FOUND;
}

struct db_stmt *demand_list(struct db *db, const struct auth_user *u, const struct demand_filter *f,
                            const char *sort_col, bool desc, int64_t limit, int64_t offset)
{
    struct buf sql = {0};
    struct db_args a = {0};
    buf_puts(&sql, demand_select_sql);
    build_where(&sql, &a, u, f);
    return db_page(db, &sql, &a, "d", sort_col, desc, limit, offset);
}

int demand_count(struct db *db, const struct auth_user *u, const struct demand_filter *f,
                 int64_t *n)
{
    struct buf sql = {0};
    struct db_args a = {0};
    buf_puts(&sql, "SELECT count(*) FROM demands d ");
    build_where(&sql, &a, u, f);
    return db_count(db, &sql, &a, n);
}

/* String member or NULL. */
static const char *s(json_t *o, const char *k)
{
    return json_string_value(json_object_get(o, k));
}

/* Integer member, or NULL as an SQL null ('n' binding is chosen by the caller). */
static bool has_int(json_t *o, const char *k)
{
    return json_is_integer(json_object_get(o, k));
}

/* A JSON array member serialised ("[]" when absent). The caller frees. */
static char *arr_text(json_t *o, const char *k)
{
    json_t *v = json_object_get(o, k);
    return json_is_array(v) ? json_dumps(v, JSON_COMPACT) : strdup("[]");
}

/* Binds the editable columns 1..14 in the order of the INSERT/UPDATE column lists. */
static int bind_cols(struct db_stmt *st, json_t *d, const char *kw, const char *modes,
                     int completeness)
{
    int rc = 0;
    int i = 1;
    rc |= db_bind_int(st, i++, json_integer_value(json_object_get(d, "org_id")));
    rc |= db_bind_text(st, i++, s(d, "region_code"));
    rc |= db_bind_text(st, i++, s(d, "title"));
    rc |= db_bind_text(st, i++, s(d, "problem") ? s(d, "problem") : "");
    rc |= db_bind_text(st, i++, s(d, "existing") ? s(d, "existing") : "");
    rc |= db_bind_text(st, i++, kw);
    static const char *money[] = {"budget_min_fen", "budget_max_fen"};
    for (int m = 0; m < 2; m++)
        rc |= has_int(d, money[m])
                  ? db_bind_int(st, i++, json_integer_value(json_object_get(d, money[m])))
                  : db_bind_null(st, i++);
    rc |= db_bind_text(st, i++, s(d, "deadline"));
    rc |= db_bind_text(st, i++, modes);
    rc |= db_bind_text(st, i++, s(d, "chain"));
    rc |= db_bind_text(st, i++, s(d, "field"));
    rc |= db_bind_text(st, i++, s(d, "confidentiality") ? s(d, "confidentiality") : "public");
    rc |= db_bind_int(st, i++, completeness);
    rc |= db_bind_text(st, i++, s(d, "contact_name"));
    rc |= db_bind_text(st, i++, s(d, "contact_phone"));
    return rc ? KC_ERR_DB : 0;
}

/* Replaces the indicators of demand id with d's. */
static int put_indicators(struct db *db, int64_t id, json_t *d)
{
    int rc = db_run(db_query(db, "DELETE FROM demand_indicators WHERE demand_id=?", "i", id));
    size_t i;
    json_t *e;
    json_array_foreach(json_object_get(d, "indicators"), i, e)
    {
        if (rc)
            break;
        const char *unit = s(e, "unit");
        rc = db_run(db_query(db,
                             "INSERT INTO demand_indicators(demand_id, seq, name, target, unit) "
                             "VALUES(?,?,?,?,?)",
                             "iisss", id, (int64_t)i + 1, s(e, "name"), s(e, "target"),
                             unit ? unit : ""));
    }
    return rc;
}

int demand_insert(struct db *db, json_t *d, int completeness, int64_t user_id, int64_t *id)
{
    char *kw = arr_text(d, "keywords"), *modes = arr_text(d, "coop_modes");
    int64_t now = time_now();
    struct db_stmt *st = db_prep(
        db, "INSERT INTO demands(org_id, region_code, title, problem, existing, keywords, "
            "budget_min_fen, budget_max_fen, deadline, coop_modes, chain, field, confidentiality, "
            "completeness, contact_name, contact_phone, status, created_at, updated_at, "
            "created_by, updated_by) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,'draft',?,?,"
            "nullif(?,0),nullif(?,0))");
    int rc = st ? bind_cols(st, d, kw, modes, completeness) : KC_ERR_DB;
    if (!rc)
        rc = db_bind_int(st, 17, now) | db_bind_int(st, 18, now) | db_bind_int(st, 19, user_id) |
                     db_bind_int(st, 20, user_id)
                 ? KC_ERR_DB
                 : 0;
    if (!rc)
        rc = db_run(st);
    else if (st)
        db_done(st);
    free(kw);
    free(modes);
    if (!rc) {
        *id = db_last_id(db);
        rc = put_indicators(db, *id, d);
    }
    return rc;
}

int demand_update(struct db *db, int64_t id, json_t *d, int completeness, int64_t user_id)
{
    char *kw = arr_text(d, "keywords"), *modes = arr_text(d, "coop_modes");
    struct db_stmt *st = db_prep(
        db, "UPDATE demands SET org_id=?, region_code=?, title=?, problem=?, existing=?, "
            "keywords=?, budget_min_fen=?, budget_max_fen=?, deadline=?, coop_modes=?, chain=?, "
            "field=?, confidentiality=?, completeness=?, contact_name=?, contact_phone=?, "
            "updated_at=?, updated_by=nullif(?,0) WHERE id=?");
    int rc = st ? bind_cols(st, d, kw, modes, completeness) : KC_ERR_DB;
    if (!rc)
        rc =
            db_bind_int(st, 17, time_now()) | db_bind_int(st, 18, user_id) | db_bind_int(st, 19, id)
                ? KC_ERR_DB
                : 0;
    if (!rc)
        rc = db_run(st);
    else if (st)
        db_done(st);
    free(kw);
    free(modes);
    if (!rc)
        rc = put_indicators(db, id, d);
    return rc;
}

int demand_set_status(struct db *db, int64_t id, const char *status, int64_t user_id)
{
    int64_t now = time_now();
    return db_run(db_query(db,
                           "UPDATE demands SET status=?, updated_at=?, updated_by=nullif(?,0), "
                           "published_at = CASE WHEN ?='published' THEN coalesce(published_at, ?) "
                           "ELSE published_at END, "
                           "closed_at = CASE WHEN ?='closed' THEN ? ELSE closed_at END WHERE id=?",
                           "siisisii", status, now, user_id, status, now, status, now, id));
}

int demand_delete(struct db *db, int64_t id)
{
    int rc = db_run(db_query(db, "DELETE FROM demand_indicators WHERE demand_id=?", "i", id));
    if (!rc)
        rc = db_run(db_query(db, "DELETE FROM demands WHERE id=?", "i", id));
    return rc;
}
