/* contract.c (store) — SQL for registered technology contracts. */
#include "store/contract.h"
#include "core/buf.h"
#include "core/timeutil.h"
#include "db/db.h"

#include <stdio.h>
#include <string.h>

/* The API shape. The two leading parameters are the labels JSON of the type sets (the
 * same text twice): type_name and subtype_name are looked up in it. */
#define CONTRACT_SELECT                                                                         \
    "SELECT c.id, c.title, c.rule_set, c.type, "                                               \
    "json_extract(?, '$.' || c.type || '._') AS type_name, c.subtype, "                        \
    "CASE WHEN c.subtype IS NULL THEN NULL "                                                   \
    "ELSE json_extract(?, '$.' || c.type || '.' || c.subtype) END AS subtype_name, "           \
    "c.seller_org_id, s.name AS seller_name, c.buyer_org_id, b.name AS buyer_name, "           \
    "b.region_code AS buyer_region_code, c.contract_amount_fen, c.tech_amount_fen, "           \
    "c.signed_on, c.registration_no, c.registered_on, c.region_code, r.name AS region_name, "  \
    "c.achievement_id, a.title AS achievement_title, c.note, c.created_at, c.updated_at "      \
    "FROM contracts c JOIN orgs s ON s.id = c.seller_org_id "                                  \
    "JOIN orgs b ON b.id = c.buyer_org_id "                                                    \
    "LEFT JOIN regions r ON r.code = c.region_code "                                           \
    "LEFT JOIN achievements a ON a.id = c.achievement_id "

/* Appends the scope condition: a party for organisation-bound users (the seller may sit
 * elsewhere), the seller's region otherwise. */
static void scope_where(struct buf *sql, struct db_args *a, const struct scope *sc)
{
    if (sc->org_id) {
        buf_puts(sql, "AND (c.seller_org_id = ? OR c.buyer_org_id = ?) ");
        db_args_int(a, sc->org_id);
        db_args_int(a, sc->org_id);
    } else if (sc->lo[0]) {
        buf_puts(sql, "AND c.region_code >= ? AND c.region_code < ? ");
        db_args_text(a, sc->lo);
        db_args_text(a, sc->hi);
    }
}

/* Appends "AND <cond>" with one text value when v is set. */
static void add_text(struct buf *sql, struct db_args *a, const char *cond, const char *v)
{
    if (!v)
        return;
    buf_puts(sql, cond);
    db_args_text(a, v);
}

/* Appends "AND <cond>" with one integer value when v is set. */
static void add_int(struct buf *sql, struct db_args *a, const char *cond, int64_t v)
{
    if (!v)
        return;
    buf_puts(sql, cond);
    db_args_int(a, v);
}

/* Appends the WHERE clause for scope and filters. The name search needs the seller and
 * buyer joins (present in CONTRACT_SELECT; the count and statistics queries add them
 * only when q is set). */
static void build_where(struct buf *sql, struct db_args *a, const struct scope *sc,
                        const struct contract_filter *f)
{
    buf_puts(sql, "WHERE 1=1 ");
    scope_where(sql, a, sc);
    if (f->region.lo[0]) {
        buf_puts(sql, "AND c.region_code >= ? AND c.region_code < ? ");
        db_args_text(a, f->region.lo);
        db_args_text(a, f->region.hi);
    }
    if (f->q) {
        buf_puts(sql, "AND (instr(c.title, ?) > 0 OR instr(c.registration_no, ?) > 0 "
                      "OR instr(s.name, ?) > 0 OR instr(b.name, ?) > 0) ");
        for (int i = 0; i < 4; i++)
            db_args_text(a, f->q);
    }
    add_text(sql, a, "AND c.type = ? ", f->type);
    add_text(sql, a, "AND c.subtype = ? ", f->subtype);
    add_text(sql, a, "AND c.rule_set = ? ", f->rule_set);
    add_text(sql, a, "AND c.registered_on >= ? ", f->from);
    add_text(sql, a, "AND c.registered_on <= ? ", f->to);
    add_text(sql, a, "AND substr(c.registered_on, 1, 7) = ? ", f->month);
    add_text(sql, a, "AND substr(c.registered_on, 1, 4) = ? ", f->year);
    if (f->org_id) {
        buf_puts(sql, "AND (c.seller_org_id = ? OR c.buyer_org_id = ?) ");
        db_args_int(a, f->org_id);
        db_args_int(a, f->org_id);
    }
    add_int(sql, a, "AND c.seller_org_id = ? ", f->seller_org_id);
    add_int(sql, a, "AND c.buyer_org_id = ? ", f->buyer_org_id);
    add_int(sql, a, "AND c.achievement_id = ? ", f->achievement_id);
}

/* The FROM clause of count and statistics queries (joins only when the search needs them). */
static void from_clause(struct buf *sql, const struct contract_filter *f)
{
    buf_puts(sql, "FROM contracts c ");
    if (f->q)
        buf_puts(sql, "JOIN orgs s ON s.id = c.seller_org_id "
                      "JOIN orgs b ON b.id = c.buyer_org_id ");
}

int contract_get(struct db *db, const struct scope *sc, const char *labels_json, int64_t id,
                 json_t **out)
{
    struct buf sql = {0};
    struct db_args a = {0};
    buf_puts(&sql, CONTRACT_SELECT);
    db_args_text(&a, labels_json);
    db_args_text(&a, labels_json);
    buf_puts(&sql, "WHERE c.id = ? ");
    db_args_int(&a, id);
    scope_where(&sql, &a, sc);
    struct db_stmt *st = db_prep_args(db, sql.data, &a);
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

struct db_stmt *contract_list(struct db *db, const struct scope *sc, const char *labels_json,
                              const struct contract_filter *f, const char *sort_col, bool desc,
                              int64_t limit, int64_t offset)
{
    struct buf sql = {0};
    struct db_args a = {0};
    buf_puts(&sql, CONTRACT_SELECT);
    db_args_text(&a, labels_json);
    db_args_text(&a, labels_json);
    build_where(&sql, &a, sc, f);
    return db_page(db, &sql, &a, "c", sort_col, desc, limit, offset);
}

int contract_count(struct db *db, const struct scope *sc, const struct contract_filter *f,
                   int64_t *n)
{
    struct buf sql = {0};
    struct db_args a = {0};
    buf_puts(&sql, "SELECT count(*) ");
    from_clause(&sql, f);
    build_where(&sql, &a, sc, f);
    return db_count(db, &sql, &a, n);
}

struct db_stmt *contract_stats(struct db *db, const struct scope *sc,
                               const struct contract_filter *f, enum contract_group g,
                               int region_digits)
{
    const char *key = "substr(c.registered_on, 1, 7)";
    switch (g) {
    case CG_MONTH: break;
    case CG_YEAR: key = "substr(c.registered_on, 1, 4)"; break;
    case CG_TYPE: key = "c.type"; break;
    case CG_SUBTYPE: key = "c.type || '.' || coalesce(c.subtype, '')"; break;
    case CG_REGION:
        key = region_digits >= 6 ? "c.region_code" : "substr(c.region_code, 1, 4) || '00'";
        break;
    }
    struct buf sql = {0};
    struct db_args a = {0};
    buf_printf(&sql,
               "SELECT %s AS key, count(*) AS count, "
               "coalesce(sum(c.contract_amount_fen), 0) AS contract_amount_fen, "
               "coalesce(sum(c.tech_amount_fen), 0) AS tech_amount_fen ",
               key);
    from_clause(&sql, f);
    build_where(&sql, &a, sc, f);
    buf_puts(&sql, "GROUP BY 1 ORDER BY 1");
    struct db_stmt *st = db_prep_args(db, sql.data, &a);
    buf_free(&sql);
    return st;
}

int contract_regno_taken(struct db *db, const char *regno, int64_t except_id, bool *taken)
{
    int64_t n = 0;
    int rc = db_scalar(db_query(db,
                                "SELECT count(*) FROM contracts WHERE registration_no = ? "
                                "AND id <> ?",
                                "si", regno, except_id),
                       &n);
    *taken = n > 0;
    return rc;
}

/* String member or NULL. */
static const char *s(json_t *o, const char *k)
{
    json_t *v = json_object_get(o, k);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

/* Integer member or 0 (absent / null). */
static int64_t i(json_t *o, const char *k)
{
    json_t *v = json_object_get(o, k);
    return json_is_integer(v) ? json_integer_value(v) : 0;
}

int contract_insert(struct db *db, json_t *o, int64_t user_id, int64_t *id)
{
    int64_t now = time_now();
    int rc = db_run(db_query(
        db,
        "INSERT INTO contracts(title, rule_set, type, subtype, seller_org_id, buyer_org_id, "
        "contract_amount_fen, tech_amount_fen, signed_on, registration_no, registered_on, "
        "region_code, achievement_id, note, created_at, created_by, updated_at, updated_by) "
        "VALUES(?,?,?,?,?,?,?,?,?,?,?,?,nullif(?,0),?,?,nullif(?,0),?,nullif(?,0))",
        "ssssiiiissssisiiii", s(o, "title"), s(o, "rule_set"), s(o, "type"), s(o, "subtype"),
        i(o, "seller_org_id"), i(o, "buyer_org_id"), i(o, "contract_amount_fen"),
        i(o, "tech_amount_fen"), s(o, "signed_on"), s(o, "registration_no"),
        s(o, "registered_on"), s(o, "region_code"), i(o, "achievement_id"), s(o, "note"), now,
        user_id, now, user_id));
    if (!rc)
        *id = db_last_id(db);
    return rc;
}

int contract_update(struct db *db, int64_t id, json_t *o, int64_t user_id)
{
    return db_run(db_query(
        db,
        "UPDATE contracts SET title=?, rule_set=?, type=?, subtype=?, seller_org_id=?, "
        "buyer_org_id=?, contract_amount_fen=?, tech_amount_fen=?, signed_on=?, "
        "registration_no=?, registered_on=?, region_code=?, achievement_id=nullif(?,0), "
        "note=?, updated_at=?, updated_by=nullif(?,0) WHERE id=?",
        "ssssiiiissssisiii", s(o, "title"), s(o, "rule_set"), s(o, "type"), s(o, "subtype"),
        i(o, "seller_org_id"), i(o, "buyer_org_id"), i(o, "contract_amount_fen"),
        i(o, "tech_amount_fen"), s(o, "signed_on"), s(o, "registration_no"),
        s(o, "registered_on"), s(o, "region_code"), i(o, "achievement_id"), s(o, "note"),
        time_now(), user_id, id));
}

int contract_delete(struct db *db, int64_t id)
{
    return db_run(db_query(db, "DELETE FROM contracts WHERE id=?", "i", id));
}
