/* expert.c (store) — SQL for experts (rules in expert.h). */
#include "store/expert.h"
#include "core/buf.h"
#include "core/timeutil.h"
#include "db/db.h"

#include <stdlib.h>
#include <string.h>

/* The select with the contact columns computed from a visibility flag bound first
 * (1: show), then the viewer's organisation for "own organisation". */
#define EXPERT_SELECT                                                                              \
    "SELECT e.id, e.name, e.title, e.org_id, o.name AS org_name, e.affiliation, e.region_code, "   \
    "r.name AS region_name, e.fields AS fields_json, e.keywords AS keywords_json, e.bio, "         \
    "CASE WHEN ? OR (e.org_id IS NOT NULL AND e.org_id = ?) THEN e.email END AS email, "           \
    "CASE WHEN ? OR (e.org_id IS NOT NULL AND e.org_id = ?) THEN e.phone END AS phone, "           \
    "e.created_at, e.updated_at FROM experts e LEFT JOIN orgs o ON o.id = e.org_id "               \
    "LEFT JOIN regions r ON r.code = e.region_code "

/* True when u sees every expert's contacts (admins and region staff). */
static bool staff(const struct auth_user *u)
{
    return u && u->role->scope != SCOPE_ORG;
}

bool expert_contacts_visible(const struct auth_user *u, int64_t org_id)
{
    return staff(u) || (u && u->org_id && u->org_id == org_id);
}

bool expert_writable(const struct auth_user *u, int64_t org_id, const char *region_code)
{
    if (!u || !auth_can(u, CAP_ACH_WRITE))
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

/* Binds the contact-visibility values of EXPERT_SELECT. */
static void contact_args(struct db_args *a, const struct auth_user *u)
{
    for (int i = 0; i < 2; i++) {
        db_args_int(a, staff(u));
        db_args_int(a, u && u->org_id ? u->org_id : -1);
    }
}

/* Appends the filters' conditions. */
static void build_where(struct buf *sql, struct db_args *a, const struct expert_filter *f)
{
    buf_puts(sql, "WHERE 1=1 ");
    if (f->q) {
        buf_puts(sql, "AND (instr(e.name, ?) > 0 OR instr(coalesce(e.affiliation, ''), ?) > 0 OR "
                      "instr(e.fields, ?) > 0 OR instr(e.keywords, ?) > 0) ");
        for (int i = 0; i < 4; i++)
            db_args_text(a, f->q);
    }
    if (f->field) {
        buf_puts(sql, "AND EXISTS (SELECT 1 FROM json_each(e.fields) WHERE value = ?) ");
        db_args_text(a, f->field);
    }
    if (f->org_id) {
        buf_puts(sql, "AND e.org_id = ? ");
        db_args_int(a, f->org_id);
    }
    if (f->region.lo[0]) {
        buf_puts(sql, "AND e.region_code >= ? AND e.region_code < ? ");
        db_args_text(a, f->region.lo);
        db_args_text(a, f->region.hi);
    }
}

int expert_get(struct db *db, const struct auth_user *u, int64_t id, json_t **out)
{
    struct db_args a = {0};
    contact_args(&a, u);
    db_args_int(&a, id);
    struct db_stmt *st = db_prep_args(db, EXPERT_SELECT "WHERE e.id = ?", &a);
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

struct db_stmt *expert_list(struct db *db, const struct auth_user *u, const struct expert_filter *f,
                            const char *sort_col, bool desc, int64_t limit, int64_t offset)
{
    struct buf sql = {0};
    struct db_args a = {0};
    contact_args(&a, u);
    buf_puts(&sql, EXPERT_SELECT);
    build_where(&sql, &a, f);
    return db_page(db, &sql, &a, "e", sort_col, desc, limit, offset);
}

int expert_count(struct db *db, const struct expert_filter *f, int64_t *n)
{
    struct buf sql = {0};
    struct db_args a = {0};
    buf_puts(&sql, "SELECT count(*) FROM experts e ");
    build_where(&sql, &a, f);
    return db_count(db, &sql, &a, n);
}

/* String member or NULL. */
static const char *s(json_t *o, const char *k)
{
    return json_string_value(json_object_get(o, k));
}

/* A JSON array member serialised ("[]" when absent). The caller frees. */
static char *arr_text(json_t *o, const char *k)
{
    json_t *v = json_object_get(o, k);
    return json_is_array(v) ? json_dumps(v, JSON_COMPACT) : strdup("[]");
}

/* Binds the 11 editable columns in the order of the INSERT/UPDATE lists. */
static int bind_cols(struct db_stmt *st, json_t *e)
{
    char *fields = arr_text(e, "fields"), *kw = arr_text(e, "keywords");
    json_t *org = json_object_get(e, "org_id");
    int rc = 0, i = 1;
    rc |= db_bind_text(st, i++, s(e, "name"));
    rc |= db_bind_text(st, i++, s(e, "title"));
    rc |= json_is_integer(org) ? db_bind_int(st, i++, json_integer_value(org))
                               : db_bind_null(st, i++);
    rc |= db_bind_text(st, i++, s(e, "affiliation"));
    rc |= db_bind_text(st, i++, s(e, "region_code"));
    rc |= db_bind_text(st, i++, fields);
    rc |= db_bind_text(st, i++, kw);
    rc |= db_bind_text(st, i++, s(e, "bio") ? s(e, "bio") : "");
    rc |= db_bind_text(st, i++, s(e, "email"));
    rc |= db_bind_text(st, i++, s(e, "phone"));
    free(fields);
    free(kw);
    return rc ? KC_ERR_DB : 0;
}

int expert_insert(struct db *db, json_t *e, int64_t user_id, int64_t *id)
{
    int64_t now = time_now();
    struct db_stmt *st =
        db_prep(db, "INSERT INTO experts(name, title, org_id, affiliation, region_code, fields, "
                    "keywords, bio, email, phone, created_at, updated_at, created_by, updated_by) "
                    "VALUES(?,?,?,?,?,?,?,?,?,?,?,?,nullif(?,0),nullif(?,0))");
    if (!st)
        return KC_ERR_DB;
    int rc = bind_cols(st, e);
    if (!rc && (db_bind_int(st, 11, now) || db_bind_int(st, 12, now) ||
                db_bind_int(st, 13, user_id) || db_bind_int(st, 14, user_id)))
        rc = KC_ERR_DB;
    if (rc) {
        db_done(st);
        return rc;
    }
    rc = db_run(st);
    if (!rc)
        *id = db_last_id(db);
    return rc;
}

int expert_update(struct db *db, int64_t id, json_t *e, int64_t user_id)
{
    struct db_stmt *st =
        db_prep(db, "UPDATE experts SET name=?, title=?, org_id=?, affiliation=?, "
                    "region_code=?, fields=?, keywords=?, bio=?, email=?, phone=?, "
                    "updated_at=?, updated_by=nullif(?,0) WHERE id=?");
    if (!st)
        return KC_ERR_DB;
    int rc = bind_cols(st, e);
    if (!rc && (db_bind_int(st, 11, time_now()) || db_bind_int(st, 12, user_id) ||
                db_bind_int(st, 13, id)))
        rc = KC_ERR_DB;
    if (rc) {
        db_done(st);
        return rc;
    }
    return db_run(st);
}

int expert_delete(struct db *db, int64_t id)
{
    return db_run(db_query(db, "DELETE FROM experts WHERE id=?", "i", id));
}
