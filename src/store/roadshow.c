/* roadshow.c (store) — SQL for roadshows and their lists. */
#include "store/roadshow.h"
#include "core/buf.h"
#include "core/timeutil.h"
#include "db/db.h"

#include <string.h>

#define ROADSHOW_SELECT                                                                         \
    "SELECT e.id, e.title, e.held_on, e.chain, ch.name AS chain_name, e.region_code, "         \
    "r.name AS region_name, e.venue, e.description, "                                          \
    "(SELECT count(*) FROM roadshow_achievements x WHERE x.roadshow_id = e.id) "               \
    "AS achievement_count, "                                                                   \
    "(SELECT count(*) FROM roadshow_attendees x WHERE x.roadshow_id = e.id) "                  \
    "AS attendee_count, e.created_at, e.updated_at "                                           \
    "FROM roadshows e LEFT JOIN chains ch ON ch.code = e.chain "                               \
    "LEFT JOIN regions r ON r.code = e.region_code "

/* Appends the scope condition: the region, or for organisation-bound users attendance or a
 * showcased achievement of their own. */
static void scope_where(struct buf *sql, struct db_args *a, const struct scope *sc)
{
    if (sc->org_id) {
        buf_puts(sql, "AND (EXISTS (SELECT 1 FROM roadshow_attendees x WHERE "
                      "x.roadshow_id = e.id AND x.org_id = ?) OR EXISTS (SELECT 1 FROM "
                      "roadshow_achievements x JOIN achievements ac ON ac.id = x.achievement_id "
                      "WHERE x.roadshow_id = e.id AND ac.owner_org_id = ?)) ");
        db_args_int(a, sc->org_id);
        db_args_int(a, sc->org_id);
    } else if (sc->lo[0]) {
        buf_puts(sql, "AND e.region_code >= ? AND e.region_code < ? ");
        db_args_text(a, sc->lo);
        db_args_text(a, sc->hi);
    }
}

/* Appends the WHERE clause for scope and filters. */
static void build_where(struct buf *sql, struct db_args *a, const struct scope *sc,
                        const struct roadshow_filter *f)
{
    buf_puts(sql, "WHERE 1=1 ");
    scope_where(sql, a, sc);
    if (f->region.lo[0]) {
        buf_puts(sql, "AND e.region_code >= ? AND e.region_code < ? ");
        db_args_text(a, f->region.lo);
        db_args_text(a, f->region.hi);
    }
    if (f->q) {
        buf_puts(sql, "AND (instr(e.title, ?) > 0 OR instr(coalesce(e.venue, ''), ?) > 0) ");
        db_args_text(a, f->q);
        db_args_text(a, f->q);
    }
    if (f->chain) {
        buf_puts(sql, "AND e.chain = ? ");
        db_args_text(a, f->chain);
    }
    if (f->from) {
        buf_puts(sql, "AND e.held_on >= ? ");
        db_args_text(a, f->from);
    }
    if (f->to) {
        buf_puts(sql, "AND e.held_on <= ? ");
        db_args_text(a, f->to);
    }
}

/* Runs st and collects every row as a JSON array (a new reference), or NULL on error. */
static json_t *rows_array(struct db_stmt *st)
{
    if (!st)
        return NULL;
    json_t *arr = json_array();
    int rc;
    while ((rc = db_step(st)) == DB_ROW)
        json_array_append_new(arr, db_row_json(st));
    db_done(st);
    if (rc < 0) {
        json_decref(arr);
        return NULL;
    }
    return arr;
}

int roadshow_get(struct db *db, const struct scope *sc, int64_t id, json_t **out)
{
    struct buf sql = {0};
    struct db_args a = {0};
    buf_puts(&sql, ROADSHOW_SELECT "WHERE e.id = ? ");
    db_args_int(&a, id);
    scope_where(&sql, &a, sc);
    struct db_stmt *st = db_prep_args(db, sql.data, &a);
    buf_free(&sql);
    if (!st)
        return KC_ERR_DB;
    int rc = db_step(st);
    json_t *o = rc == DB_ROW ? db_row_json(st) : NULL;
    db_done(st);
    if (rc < 0)
        return rc;
    if (!o)
        return KC_ERR_NOT_FOUND;
    json_t *ach = rows_array(db_query(
        db,
        "SELECT ac.id, ac.title, ac.kind, ac.trl, ac.owner_org_id, o.name AS owner_name "
        "FROM roadshow_achievements x JOIN achievements ac ON ac.id = x.achievement_id "
        "LEFT JOIN orgs o ON o.id = ac.owner_org_id WHERE x.roadshow_id = ? ORDER BY ac.id",
        "i", id));
    json_t *att = rows_array(db_query(db,
                                      "SELECT o.id, o.name, o.kind, o.region_code, "
                                      "r.name AS region_name FROM roadshow_attendees x "
                                      "JOIN orgs o ON o.id = x.org_id "
                                      "LEFT JOIN regions r ON r.code = o.region_code "
                                      "WHERE x.roadshow_id = ? ORDER BY o.id",
                                      "i", id));
    if (!ach || !att) {
        json_decref(ach);
        json_decref(att);
        json_decref(o);
        return KC_ERR_DB;
    }
    json_object_set_new(o, "achievements", ach);
    json_object_set_new(o, "attendees", att);
    *out = o;
    return 0;
}

struct db_stmt *roadshow_list(struct db *db, const struct scope *sc,
                              const struct roadshow_filter *f, const char *sort_col, bool desc,
                              int64_t limit, int64_t offset)
{
    struct buf sql = {0};
    struct db_args a = {0};
    buf_puts(&sql, ROADSHOW_SELECT);
    build_where(&sql, &a, sc, f);
    return db_page(db, &sql, &a, "e", sort_col, desc, limit, offset);
}

int roadshow_count(struct db *db, const struct scope *sc, const struct roadshow_filter *f,
                   int64_t *n)
{
    struct buf sql = {0};
    struct db_args a = {0};
    buf_puts(&sql, "SELECT count(*) FROM roadshows e ");
    build_where(&sql, &a, sc, f);
    return db_count(db, &sql, &a, n);
}

/* String member or NULL. */
static const char *s(json_t *o, const char *k)
{
    json_t *v = json_object_get(o, k);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

/* Replaces the rows of one list table (achievements or attendees) of roadshow id with the
 * ids in the array member key of o; repeated ids count once. */
static int replace_list(struct db *db, int64_t id, json_t *o, const char *key, const char *del,
                        const char *ins)
{
    int rc = db_run(db_query(db, del, "i", id));
    size_t i;
    json_t *v;
    json_array_foreach(json_object_get(o, key), i, v)
    {
        if (rc)
            break;
        rc = db_run(db_query(db, ins, "ii", id, json_integer_value(v)));
    }
    return rc;
}

/* Writes both lists of roadshow id from o. */
static int write_lists(struct db *db, int64_t id, json_t *o)
{
    int rc = replace_list(db, id, o, "achievement_ids",
                          "DELETE FROM roadshow_achievements WHERE roadshow_id = ?",
                          "INSERT OR IGNORE INTO roadshow_achievements(roadshow_id, "
                          "achievement_id) VALUES(?, ?)");
    if (!rc)
        rc = replace_list(db, id, o, "attendee_org_ids",
                          "DELETE FROM roadshow_attendees WHERE roadshow_id = ?",
                          "INSERT OR IGNORE INTO roadshow_attendees(roadshow_id, org_id) "
                          "VALUES(?, ?)");
    return rc;
}

int roadshow_insert(struct db *db, json_t *o, int64_t user_id, int64_t *id)
{
    int64_t now = time_now();
    int rc = db_run(db_query(db,
                             "INSERT INTO roadshows(title, held_on, chain, region_code, venue, "
                             "description, created_at, created_by, updated_at, updated_by) "
                             "VALUES(?,?,?,?,?,?,?,nullif(?,0),?,nullif(?,0))",
                             "ssssssiiii", s(o, "title"), s(o, "held_on"), s(o, "chain"),
                             s(o, "region_code"), s(o, "venue"), s(o, "description"), now,
                             user_id, now, user_id));
    if (!rc) {
        *id = db_last_id(db);
        rc = write_lists(db, *id, o);
    }
    return rc;
}

int roadshow_update(struct db *db, int64_t id, json_t *o, int64_t user_id)
{
    int rc = db_run(db_query(db,
                             "UPDATE roadshows SET title=?, held_on=?, chain=?, region_code=?, "
                             "venue=?, description=?, updated_at=?, updated_by=nullif(?,0) "
                             "WHERE id=?",
                             "ssssssiii", s(o, "title"), s(o, "held_on"), s(o, "chain"),
                             s(o, "region_code"), s(o, "venue"), s(o, "description"),
                             time_now(), user_id, id));
    if (!rc)
        rc = write_lists(db, id, o);
    return rc;
}

int roadshow_delete(struct db *db, int64_t id)
{
    int rc = db_run(db_query(db, "DELETE FROM roadshow_achievements WHERE roadshow_id = ?", "i",
                             id));
    if (!rc)
        rc = db_run(db_query(db, "DELETE FROM roadshow_attendees WHERE roadshow_id = ?", "i", id));
    if (!rc)
        rc = db_run(db_query(db, "DELETE FROM roadshows WHERE id = ?", "i", id));
    return rc;
}
