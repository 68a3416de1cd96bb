/* org.c (store) — SQL for organisations. */
#include "store/org.h"
#include "core/buf.h"
#include "core/timeutil.h"
#include "db/db.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ORG_SELECT                                                                              \
    "SELECT o.id, o.kind, o.name, o.uscc, o.region_code, r.name AS region_name, "              \
    "o.industry_code, i.name AS industry_name, o.chains AS chains_json, o.address, "           \
    "o.contact_name, o.contact_phone, o.contact_email, o.created_at, o.updated_at "            \
    "FROM orgs o LEFT JOIN regions r ON r.code = o.region_code "                               \
    "LEFT JOIN industries i ON i.code = o.industry_code "

/* Appends the WHERE clause for scope and filters to sql and their values to a. Only
 * the conditions in use are written, so the planner can walk the primary key for an
 * unfiltered page and the region index for a region's page. */
static void build_where(struct buf *sql, struct db_args *a, const struct scope *sc,
                        const struct org_filter *f)
{
    buf_puts(sql, "WHERE 1=1 ");
    if (sc->lo[0]) {
        buf_puts(sql, "AND o.region_code >= ? AND o.region_code < ? ");
        db_args_text(a, sc->lo);
        db_args_text(a, sc->hi);
    }
    if (sc->org_id) {
        buf_puts(sql, "AND o.id = ? ");
        db_args_int(a, sc->org_id);
    }
    if (f->region.lo[0]) {
        buf_puts(sql, "AND o.region_code >= ? AND o.region_code < ? ");
        db_args_text(a, f->region.lo);
        db_args_text(a, f->region.hi);
    }
    if (f->q) {
        buf_puts(sql, "AND (instr(o.name, ?) > 0 OR instr(o.uscc, ?) > 0) ");
        db_args_text(a, f->q);
        db_args_text(a, f->q);
    }
    if (f->kind) {
        buf_puts(sql, "AND o.kind = ? ");
        db_args_text(a, f->kind);
    }
    if (f->industry) {
        buf_puts(sql, "AND substr(o.industry_code, 1, length(?)) = ? ");
        db_args_text(a, f->industry);
        db_args_text(a, f->industry);
    }
    if (f->chain) {
        buf_puts(sql, "AND EXISTS (SELECT 1 FROM json_each(o.chains) WHERE value = ?) ");
        db_args_text(a, f->chain);
    }
}

int org_get(struct db *db, const struct scope *sc, int64_t id, json_t **out)
{
    struct db_stmt *st =
        db_query(db, ORG_SELECT "WHERE o.id = ? AND o.region_code >= ? AND o.region_code < ? "
                                "AND (? = 0 OR o.id = ?)",
                 "issii", id, sc->lo, sc->hi, sc->org_id, sc->org_id);
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

struct db_stmt *org_list(struct db *db, const struct scope *sc, const struct org_filter *f,
                         const char *sort_col, bool desc, int64_t limit, int64_t offset)
{
    struct buf sql = {0};
    struct db_args a = {0};
    buf_puts(&sql, ORG_SELECT);
    build_where(&sql, &a, sc, f);
    return db_page(db, &sql, &a, "o", sort_col, desc, limit, offset);
}

int org_count(struct db *db, const struct scope *sc, const struct org_filter *f, int64_t *n)
{
    struct buf sql = {0};
    struct db_args a = {0};
    buf_puts(&sql, "SELECT count(*) FROM orgs o ");
    build_where(&sql, &a, sc, f);
    return db_count(db, &sql, &a, n);
}

/* String member or NULL. */
static const char *s(json_t *o, const char *k)
{
    json_t *v = json_object_get(o, k);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

/* The chains member serialised (always an array). The caller frees. */
static char *chains_text(json_t *o)
{
    json_t *c = json_object_get(o, "chains");
    if (!json_is_array(c))
        return strdup("[]");
    return json_dumps(c, JSON_COMPACT | JSON_ENSURE_ASCII);
}

int org_insert(struct db *db, json_t *o, int64_t *id)
{
    char *chains = chains_text(o);
    int64_t now = time_now();
    int rc = db_run(db_query(db,
                             "INSERT INTO orgs(kind,name,uscc,region_code,industry_code,chains,"
                             "address,contact_name,contact_phone,contact_email,created_at,"
                             "updated_at) VALUES(?,?,?,?,?,?,?,?,?,?,?,?)",
                             "ssssssssssii", s(o, "kind"), s(o, "name"), s(o, "uscc"),
                             s(o, "region_code"), s(o, "industry_code"), chains, s(o, "address"),
                             s(o, "contact_name"), s(o, "contact_phone"), s(o, "contact_email"),
                             now, now));
    free(chains);
    if (!rc)
        *id = db_last_id(db);
    return rc;
}

int org_update(struct db *db, int64_t id, json_t *o, const char *old_name, int64_t changed_by)
{
    char *chains = chains_text(o);
    int64_t now = time_now();
    int rc = db_run(db_query(db,
                             "UPDATE orgs SET kind=?, name=?, uscc=?, region_code=?, "
                             "industry_code=?, chains=?, address=?, contact_name=?, "
                             "contact_phone=?, contact_email=?, updated_at=? WHERE id=?",
                             "ssssssssssii", s(o, "kind"), s(o, "name"), s(o, "uscc"),
                             s(o, "region_code"), s(o, "industry_code"), chains, s(o, "address"),
                             s(o, "contact_name"), s(o, "contact_phone"), s(o, "contact_email"),
                             now, id));
    free(chains);
    if (!rc && old_name && strcmp(old_name, s(o, "name")) != 0)
        rc = db_run(db_query(db,
                             "INSERT INTO org_name_history(org_id,old_name,new_name,changed_at,"
                             "changed_by) VALUES(?,?,?,?,nullif(?,0))",
                             "issii", id, old_name, s(o, "name"), now, changed_by));
    return rc;
}

bool org_industry_exists(struct db *db, const char *code)
{
    int64_t n = 0;
    return db_scalar(db_query(db, "SELECT count(*) FROM industries WHERE code=?", "s", code),
                     &n) == 0 &&
           n > 0;
}

bool org_chains_exist(struct db *db, json_t *chains)
{
    size_t i;
    json_t *c;
    json_array_foreach(chains, i, c)
    {
        int64_t n = 0;
        if (db_scalar(db_query(db, "SELECT count(*) FROM chains WHERE code=?", "s",
                               json_string_value(c)),
                      &n) != 0 ||
            n == 0)
            return false;
    }
    return true;
}
