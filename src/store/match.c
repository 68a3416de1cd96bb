/* match.c (store) — SQL for pipeline matches, their history and broker metrics. */
#include "store/match.h"
#include "core/buf.h"
#include "db/db.h"

#include <string.h>

/* The API shape; the two leading parameters are the pipeline labels JSON (twice). */
#define MATCH_SELECT                                                                            \
    "SELECT m.id, m.demand_id, d.title AS demand_title, d.status AS demand_status, "           \
    "m.demand_org_id, dorg.name AS demand_org_name, m.target_kind, m.achievement_id, "         \
    "a.title AS achievement_title, m.expert_id, e.name AS expert_name, m.supply_org_id, "      \
    "sorg.name AS supply_org_name, "                                                           \
    "CASE m.target_kind WHEN 'achievement' THEN a.title WHEN 'expert' THEN e.name "            \
    "ELSE sorg.name END AS target_title, m.region_code, r.name AS region_name, m.stage, "      \
    "json_extract(?, '$.stage.' || m.stage) AS stage_name, m.broker_id, "                      \
    "bu.display_name AS broker_name, m.source, m.roadshow_id, rs.title AS roadshow_title, "    \
    "m.score, m.reasons AS reasons_json, m.note, m.drop_reason, "                              \
    "json_extract(?, '$.reason.' || m.drop_reason) AS drop_reason_name, m.drop_note, "         \
    "m.contacted_at, m.negotiating_at, m.signed_at, m.dropped_at, m.stage_at, "                \
    "(SELECT c.id FROM contracts c WHERE c.match_id = m.id) AS contract_id, "                  \
    "m.created_at, m.updated_at "                                                              \
    "FROM matches m JOIN demands d ON d.id = m.demand_id "                                     \
    "JOIN orgs dorg ON dorg.id = m.demand_org_id "                                             \
    "LEFT JOIN achievements a ON a.id = m.achievement_id "                                     \
    "LEFT JOIN experts e ON e.id = m.expert_id "                                               \
    "LEFT JOIN orgs sorg ON sorg.id = m.supply_org_id "                                        \
    "LEFT JOIN users bu ON bu.id = m.broker_id "                                               \
    "LEFT JOIN regions r ON r.code = m.region_code "                                           \
    "LEFT JOIN roadshows rs ON rs.id = m.roadshow_id "

/* The joins the search needs in count queries. */
#define MATCH_SEARCH_JOINS                                                                      \
    "JOIN demands d ON d.id = m.demand_id LEFT JOIN achievements a ON a.id = m.achievement_id " \
    "LEFT JOIN experts e ON e.id = m.expert_id LEFT JOIN orgs sorg ON sorg.id = m.supply_org_id "

/* Appends the scope condition. */
static void scope_where(struct buf *sql, struct db_args *a, const struct scope *sc)
{
    if (sc->org_id) {
        buf_puts(sql, "AND (m.demand_org_id = ? OR m.supply_org_id = ?) ");
        db_args_int(a, sc->org_id);
        db_args_int(a, sc->org_id);
    } else if (sc->lo[0]) {
        buf_puts(sql, "AND m.region_code >= ? AND m.region_code < ? ");
        db_args_text(a, sc->lo);
        db_args_text(a, sc->hi);
    }
}

/* Appends "<cond>" with one integer when v is set. */
static void add_int(struct buf *sql, struct db_args *a, const char *cond, int64_t v)
{
    if (!v)
        return;
    buf_puts(sql, cond);
    db_args_int(a, v);
}

/* Appends "<cond>" with one text when v is set. */
static void add_text(struct buf *sql, struct db_args *a, const char *cond, const char *v)
{
    if (!v)
        return;
    buf_puts(sql, cond);
    db_args_text(a, v);
}

/* Appends the WHERE clause for scope and filters (the search needs MATCH_SEARCH_JOINS). */
static void build_where(struct buf *sql, struct db_args *a, const struct scope *sc,
                        const struct match_filter *f)
{
    buf_puts(sql, "WHERE 1=1 ");
    scope_where(sql, a, sc);
    if (f->region.lo[0]) {
        buf_puts(sql, "AND m.region_code >= ? AND m.region_code < ? ");
        db_args_text(a, f->region.lo);
        db_args_text(a, f->region.hi);
    }
    if (f->q) {
        buf_puts(sql, "AND (instr(d.title, ?) > 0 OR instr(coalesce(a.title, e.name, "
                      "sorg.name, ''), ?) > 0) ");
        db_args_text(a, f->q);
        db_args_text(a, f->q);
    }
    add_text(sql, a, "AND m.stage = ? ", f->stage);
    add_text(sql, a, "AND m.source = ? ", f->source);
    add_int(sql, a, "AND m.broker_id = ? ", f->broker_id);
    if (f->unassigned)
        buf_puts(sql, "AND m.broker_id IS NULL ");
    add_int(sql, a, "AND m.demand_id = ? ", f->demand_id);
    add_int(sql, a, "AND m.achievement_id = ? ", f->achievement_id);
    if (f->org_id) {
        buf_puts(sql, "AND (m.demand_org_id = ? OR m.supply_org_id = ?) ");
        db_args_int(a, f->org_id);
        db_args_int(a, f->org_id);
    }
    add_int(sql, a, "AND m.roadshow_id = ? ", f->roadshow_id);
    add_text(sql, a, "AND date(m.created_at + 28800, 'unixepoch') >= ? ", f->from);
    add_text(sql, a, "AND date(m.created_at + 28800, 'unixepoch') <= ? ", f->to);
}

int match_get(struct db *db, const struct scope *sc, const char *labels_json, int64_t id,
              json_t **out)
{
    struct buf sql = {0};
    struct db_args a = {0};
    buf_puts(&sql, MATCH_SELECT "WHERE m.id = ? ");
    db_args_text(&a, labels_json);
    db_args_text(&a, labels_json);
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

struct db_stmt *match_list(struct db *db, const struct scope *sc, const char *labels_json,
                           const struct match_filter *f, const char *sort_col, bool desc,
                           int64_t limit, int64_t offset)
{
    struct buf sql = {0};
    struct db_args a = {0};
    buf_puts(&sql, MATCH_SELECT);
    db_args_text(&a, labels_json);
    db_args_text(&a, labels_json);
    build_where(&sql, &a, sc, f);
    return db_page(db, &sql, &a, "m", sort_col, desc, limit, offset);
}

int match_count(struct db *db, const struct scope *sc, const struct match_filter *f, int64_t *n)
{
    struct buf sql = {0};
    struct db_args a = {0};
    buf_puts(&sql, "SELECT count(*) FROM matches m ");
    if (f->q)
        buf_puts(&sql, MATCH_SEARCH_JOINS);
    build_where(&sql, &a, sc, f);
    return db_count(db, &sql, &a, n);
}

struct db_stmt *match_stage_counts(struct db *db, const struct scope *sc,
                                   const struct match_filter *f)
{
    struct buf sql = {0};
    struct db_args a = {0};
    buf_puts(&sql, "SELECT m.stage, count(*) FROM matches m ");
    if (f->q)
        buf_puts(&sql, MATCH_SEARCH_JOINS);
    build_where(&sql, &a, sc, f);
    buf_puts(&sql, "GROUP BY m.stage");
    struct db_stmt *st = db_prep_args(db, sql.data, &a);
    buf_free(&sql);
    return st;
}

struct db_stmt *match_history(struct db *db, const char *labels_json, int64_t id)
{
    return db_query(db,
                    "SELECT ev.id, ev.at, ev.username, ev.kind, ev.from_stage, "
                    "json_extract(?1, '$.stage.' || ev.from_stage) AS from_stage_name, "
                    "ev.to_stage, json_extract(?1, '$.stage.' || ev.to_stage) AS to_stage_name, "
                    "ev.broker_id, u.display_name AS broker_name, ev.reason, "
                    "json_extract(?1, '$.reason.' || ev.reason) AS reason_name, ev.note "
                    "FROM match_events ev LEFT JOIN users u ON u.id = ev.broker_id "
                    "WHERE ev.match_id = ?2 ORDER BY ev.id",
                    "si", labels_json, id);
}

int match_open_exists(struct db *db, const struct match_new *m, bool *open)
{
    int64_t n = 0;
    int rc;
    if (strcmp(m->target_kind, "achievement") == 0)
        rc = db_scalar(db_query(db,
                                "SELECT count(*) FROM matches WHERE demand_id = ? AND "
                                "target_kind = 'achievement' AND achievement_id = ? AND "
                                "stage <> 'dropped'",
                                "ii", m->demand_id, m->achievement_id),
                       &n);
    else if (strcmp(m->target_kind, "expert") == 0)
        rc = db_scalar(db_query(db,
                                "SELECT count(*) FROM matches WHERE demand_id = ? AND "
                                "target_kind = 'expert' AND expert_id = ? AND stage <> 'dropped'",
                                "ii", m->demand_id, m->expert_id),
                       &n);
    else
        rc = db_scalar(db_query(db,
                                "SELECT count(*) FROM matches WHERE demand_id = ? AND "
                                "target_kind = 'institution' AND supply_org_id = ? AND "
                                "stage <> 'dropped'",
                                "ii", m->demand_id, m->supply_org_id),
                       &n);
    *open = n > 0;
    return rc;
}

/* Appends one history event. */
static int add_event(struct db *db, int64_t match_id, const struct match_actor *who,
                     const char *kind, const char *from, const char *to, int64_t broker_id,
                     const char *reason, const char *note)
{
    return db_run(db_query(db,
                           "INSERT INTO match_events(match_id, at, user_id, username, kind, "
                           "from_stage, to_stage, broker_id, reason, note) "
                           "VALUES(?,?,nullif(?,0),?,?,?,?,nullif(?,0),?,?)",
                           "iiissssiss", match_id, who->at,
                           who->user_id, who->username, kind, from, to, broker_id, reason, note));
}

int match_insert(struct db *db, const struct match_new *m, const struct match_actor *who,
                 int64_t *id)
{
    struct db_stmt *st = db_prep(
        db, "INSERT INTO matches(demand_id, target_kind, achievement_id, expert_id, "
            "supply_org_id, demand_org_id, region_code, stage, broker_id, source, roadshow_id, "
            "score, reasons, note, stage_at, created_at, created_by, updated_at, updated_by) "
            "VALUES(?,?,nullif(?,0),nullif(?,0),nullif(?,0),?,?,'proposed',nullif(?,0),?,"
            "nullif(?,0),?,coalesce(?,'[]'),?,?,?,nullif(?,0),?,nullif(?,0))");
    if (!st)
        return KC_ERR_DB;
    struct db_args a = {0};
    db_args_int(&a, m->demand_id);
    db_args_text(&a, m->target_kind);
    db_args_int(&a, m->achievement_id);
    db_args_int(&a, m->expert_id);
    db_args_int(&a, m->supply_org_id);
    db_args_int(&a, m->demand_org_id);
    db_args_text(&a, m->region_code);
    db_args_int(&a, m->broker_id);
    db_args_text(&a, m->source);
    db_args_int(&a, m->roadshow_id);
    int idx = db_bind_args(st, &a);
    int rc = idx < 0 ? KC_ERR_DB : 0;
    /* The score is the only real-valued column: bound by hand after the first ten. */
    if (!rc)
        rc = m->has_score ? db_bind_double(st, idx, m->score) : db_bind_null(st, idx);
    struct db_args b = {0};
    db_args_text(&b, m->reasons_json);
    db_args_text(&b, m->note);
    db_args_int(&b, who->at);
    db_args_int(&b, who->at);
    db_args_int(&b, who->user_id);
    db_args_int(&b, who->at);
    db_args_int(&b, who->user_id);
    for (int i = 0; !rc && i < b.n; i++)
        rc = b.type[i] == 'i' ? db_bind_int(st, idx + 1 + i, b.i[i])
                              : db_bind_text(st, idx + 1 + i, b.s[i]);
    if (rc) {
        db_done(st);
        return rc;
    }
    rc = db_run(st);
    if (rc)
        return rc;
    *id = db_last_id(db);
    rc = add_event(db, *id, who, "created", NULL, "proposed", m->broker_id, NULL, m->note);
    return rc;
}

int match_set_stage(struct db *db, int64_t id, const char *from, const char *to,
                    const char *reason, const char *note, const struct match_actor *who)
{
    /* The first-entry column of the new stage (fixed names, never user text). */
    const char *col = strcmp(to, "contacted") == 0     ? "contacted_at"
                      : strcmp(to, "negotiating") == 0 ? "negotiating_at"
                      : strcmp(to, "signed") == 0      ? "signed_at"
                                                       : "dropped_at";
    struct buf sql = {0};
    buf_printf(&sql,
               "UPDATE matches SET stage = ?, %s = coalesce(%s, ?), stage_at = ?, "
               "drop_reason = ?, drop_note = ?, updated_at = ?, updated_by = nullif(?, 0) "
               "WHERE id = ? AND stage = ?",
               col, col);
    int rc = db_run(db_query(db, sql.data, "siissiiis", to,
                             who->at, who->at, reason, note, who->at, who->user_id, id, from));
    buf_free(&sql);
    if (rc)
        return rc;
    if (db_changes(db) != 1)
        return KC_ERR_CONFLICT;
    return add_event(db, id, who, "stage", from, to, 0, reason, note);
}

int match_set_broker(struct db *db, int64_t id, int64_t broker_id, const struct match_actor *who)
{
    int rc = db_run(db_query(db,
                             "UPDATE matches SET broker_id = nullif(?, 0), updated_at = ?, "
                             "updated_by = nullif(?, 0) WHERE id = ?",
                             "iiii", broker_id, who->at, who->user_id, id));
    if (!rc)
        rc = add_event(db, id, who, "broker", NULL, NULL, broker_id, NULL, NULL);
    return rc;
}

int match_set_note(struct db *db, int64_t id, const char *note, const struct match_actor *who)
{
    int rc = db_run(db_query(db,
                             "UPDATE matches SET note = ?, updated_at = ?, "
                             "updated_by = nullif(?, 0) WHERE id = ?",
                             "siii", note, who->at, who->user_id, id));
    if (!rc)
        rc = add_event(db, id, who, "note", NULL, NULL, 0, NULL, note);
    return rc;
}

/* Appends the period condition on m.created_at (dates in China time). */
static void period(struct buf *sql, struct db_args *a, const char *from, const char *to)
{
    add_text(sql, a, "AND date(m.created_at + 28800, 'unixepoch') >= ? ", from);
    add_text(sql, a, "AND date(m.created_at + 28800, 'unixepoch') <= ? ", to);
}

struct db_stmt *match_broker_metrics(struct db *db, const struct scope *sc,
                                     const struct scope *region, const char *from,
                                     const char *to)
{
    struct buf sql = {0};
    struct db_args a = {0};
    buf_puts(&sql,
             "SELECT u.id AS broker_id, u.username, u.display_name, u.region_code, "
             "r.name AS region_name, count(m.id) AS matches, "
             "coalesce(sum(m.stage IN ('proposed', 'contacted', 'negotiating')), 0) AS open, "
             "coalesce(sum(m.contacted_at IS NOT NULL), 0) AS responded, "
             "coalesce(sum(m.stage = 'signed'), 0) AS signed, "
             "coalesce(sum(m.stage = 'dropped'), 0) AS dropped, "
             "avg(m.contacted_at - m.created_at) AS first_response_avg_s, "
             "coalesce(sum(c.id IS NOT NULL), 0) AS contracts, "
             "coalesce(sum(c.contract_amount_fen), 0) AS contract_amount_fen, "
             "coalesce(sum(c.tech_amount_fen), 0) AS tech_amount_fen "
             "FROM users u LEFT JOIN regions r ON r.code = u.region_code "
             "LEFT JOIN matches m ON m.broker_id = u.id ");
    period(&sql, &a, from, to);
    buf_puts(&sql, "LEFT JOIN contracts c ON c.match_id = m.id "
                   "WHERE u.role = 'broker' ");
    if (sc->org_id) {
        buf_puts(&sql, "AND 0 ");
    } else if (sc->lo[0]) {
        buf_puts(&sql, "AND u.region_code >= ? AND u.region_code < ? ");
        db_args_text(&a, sc->lo);
        db_args_text(&a, sc->hi);
    }
    if (region->lo[0]) {
        buf_puts(&sql, "AND u.region_code >= ? AND u.region_code < ? ");
        db_args_text(&a, region->lo);
        db_args_text(&a, region->hi);
    }
    buf_puts(&sql, "GROUP BY u.id ORDER BY signed DESC, contract_amount_fen DESC, u.id");
    struct db_stmt *st = db_prep_args(db, sql.data, &a);
    buf_free(&sql);
    return st;
}

struct db_stmt *match_response_times(struct db *db, int64_t broker_id, const char *from,
                                     const char *to)
{
    struct buf sql = {0};
    struct db_args a = {0};
    buf_puts(&sql, "SELECT m.contacted_at - m.created_at FROM matches m WHERE m.broker_id = ? "
                   "AND m.contacted_at IS NOT NULL ");
    db_args_int(&a, broker_id);
    period(&sql, &a, from, to);
    buf_puts(&sql, "ORDER BY 1");
    struct db_stmt *st = db_prep_args(db, sql.data, &a);
    buf_free(&sql);
    return st;
}
