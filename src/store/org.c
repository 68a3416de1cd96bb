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

/* Scope and filter conditions; parameters bound by bind_where in this order. */
#define ORG_WHERE                                                                               \
    "WHERE o.region_code >= ? AND o.region_code < ? AND (? = 0 OR o.id = ?) "                  \
    "AND o.region_code >= ? AND o.region_code < ? "                                            \
    "AND (? IS NULL OR instr(o.name, ?) > 0 OR instr(o.uscc, ?) > 0) "                         \
    "AND (? IS NULL OR o.kind = ?) "                                                           \
    "AND (? IS NULL OR substr(o.industry_code, 1, length(?)) = ?) "                            \
    "AND (? IS NULL OR EXISTS (SELECT 1 FROM json_each(o.chains) WHERE value = ?)) "

/* Binds the ORG_WHERE parameters starting at index 1; returns the next index or -1. */
static int bind_where(struct db_stmt *st, const struct scope *sc, const struct org_filter *f)
{
    int i = 1, rc = 0;
    rc |= db_bind_text(st, i++, sc->lo);
    rc |= db_bind_text(st, i++, sc->hi);
    rc |= db_bind_int(st, i++, sc->org_id);
    rc |= db_bind_int(st, i++, sc->org_id);
    rc |= db_bind_text(st, i++, f->region.lo);
    rc |= db_bind_text(st, i++, f->region.hi);
    for (int k = 0; k < 3; k++)
        rc |= db_bind_text(st, i++, f->q);
    rc |= db_bind_text(st, i++, f->kind);
    rc |= db_bind_text(st, i++, f->kind);
    for (int k = 0; k < 3; k++)
        rc |= db_bind_text(st, i++, f->industry);
    rc |= db_bind_text(st, i++, f->chain);
    rc |= db_bind_text(st, i++, f->chain);
    return rc ? -1 : i;
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
    char sql[2048];
    snprintf(sql, sizeof(sql), "%s%sORDER BY o.%s %s, o.id %s%s", ORG_SELECT, ORG_WHERE,
             sort_col, desc ? "DESC" : "ASC", desc ? "DESC" : "ASC",
             limit >= 0 ? " LIMIT ? OFFSET ?" : "");
    struct db_stmt *st = db_prep(db, sql);
    if (!st)
        return NULL;
    int i = bind_where(st, sc, f);
    if (i > 0 && limit >= 0)
        if (db_bind_int(st, i, limit) || db_bind_int(st, i + 1, offset))
            i = -1;
    if (i < 0) {
        db_done(st);
        return NULL;
    }
    return st;
}

int org_count(struct db *db, const struct scope *sc, const struct org_filter *f, int64_t *n)
{
    struct db_stmt *st = db_prep(db, "SELECT count(*) FROM orgs o " ORG_WHERE);
    if (!st)
        return KC_ERR_DB;
    if (bind_where(st, sc, f) < 0) {
        db_done(st);
        return KC_ERR_DB;
    }
    return db_scalar(st, n);
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
