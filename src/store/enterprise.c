/* enterprise.c (store) — SQL for enterprise profiles, yearly records and certificates. */
#include "store/enterprise.h"
#include "core/buf.h"
#include "core/timeutil.h"
#include "db/db.h"
#include "domain/enterprise.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The stored yearly columns in enum rules_field order (test_enterprise checks the order
 * against ent_year_column). */
#define YEAR_COLS                                                                                  \
    "employees, tech_staff, rd_staff, sales_revenue_fen, main_business_revenue_fen, "              \
    "operating_revenue_fen, total_income_fen, hightech_revenue_fen, rd_expense_fen, "              \
    "rd_expense_domestic_fen, cost_expense_total_fen, total_assets_fen, "                          \
    "total_liabilities_fen, net_profit_fen, ip_class1, ip_class1_self_developed, "                 \
    "ip_class1_high_value, ip_class2, conversions, equity_financing_fen, "                         \
    "srdi_quality_score_x100"

/* A 0/1/NULL column as a JSON boolean or null (written raw through a *_json name). */
#define JBOOL(col, name)                                                                           \
    "CASE " col " WHEN 1 THEN 'true' WHEN 0 THEN 'false' ELSE 'null' END AS " name "_json"

/* A ×100 integer column as a number: an integer when whole. */
#define X100(col, name)                                                                            \
    "CASE WHEN " col " % 100 = 0 THEN " col " / 100 ELSE " col " / 100.0 END AS " name

/* Today as YYYY-MM-DD (UTC+8: the platform's users are in China). */
static void today_cn(char out[11])
{
    time_t t = (time_t)(time_now() + 8 * 3600);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 11, "%Y-%m-%d", &tm);
}

/* ---------------------------------------------------------------- rule records */

/* Reads an integer column into the identity slot of field f when it is not NULL. */
static void id_col(struct rules_record *r, struct db_stmt *st, int col, int f)
{
    if (db_col_type(st, col) == DB_NULL)
        return;
    r->id[f - RULES_N_YEARLY] = db_col_int(st, col);
    r->id_present |= 1ull << (f - RULES_N_YEARLY);
}

/* Sets identity field f to v. */
static void id_set(struct rules_record *r, int f, int64_t v)
{
    r->id[f - RULES_N_YEARLY] = v;
    r->id_present |= 1ull << (f - RULES_N_YEARLY);
}

/* Reads the extension identity fields of extra_json text into r (absent or null members
 * stay missing; malformed members are ignored: the API validated them on the way in). */
static void read_extra(struct rules_record *r, const char *text)
{
    if (!text || !*text)
        return;
    json_t *o = json_loads(text, 0, NULL);
    if (!json_is_object(o)) {
        json_decref(o);
        return;
    }
    for (int f = RULES_N_YEARLY; f < RULES_N_FIELDS; f++) {
        if (!rules_fields[f].extension)
            continue;
        json_t *v = json_object_get(o, rules_fields[f].name);
        if (json_is_boolean(v))
            id_set(r, f, json_is_true(v));
        else if (json_is_integer(v) && rules_fields[f].unit == RULES_U_X100)
            id_set(r, f, (int64_t)json_integer_value(v) * 100);
        else if (json_is_integer(v))
            id_set(r, f, (int64_t)json_integer_value(v));
        else if (json_is_real(v) && rules_fields[f].unit == RULES_U_X100)
            id_set(r, f, (int64_t)(json_real_value(v) * 100.0 + 0.5));
    }
    json_decref(o);
}

/* See store/enterprise.h. */
int ent_record_load_into(struct db *db, int64_t org_id, int year, struct ent_record *b)
{
    memset(b, 0, sizeof(*b));
    struct rules_record *r = &b->rec;
    r->years = b->years;
    struct db_stmt *st =
        db_query(db,
                 "SELECT o.uscc, o.name, o.region_code, o.industry_code, e.registered_on, "
                 "e.hightech_field, e.national_award_top3_5y, e.provincial_award_top3_3y, "
                 "e.sci_award_3y, e.provincial_rd_institution, e.led_standard_5y, "
                 "e.no_major_incident, e.not_on_abnormal_list, e.not_restricted_industry, "
                 "e.strategic_emerging_industry, e.niche_years_x100, e.extra_json "
                 "FROM orgs o LEFT JOIN enterprises e ON e.org_id = o.id WHERE o.id = ?",
                 "i", org_id);
    if (!st)
        return KC_ERR_DB;
    int rc = db_step(st);
    if (rc != DB_ROW) {
        db_done(st);
        return rc < 0 ? rc : KC_ERR_NOT_FOUND;
    }
    snprintf(b->uscc, sizeof(b->uscc), "%s", db_col_text(st, 0));
    snprintf(b->name, sizeof(b->name), "%s", db_col_text(st, 1));
    snprintf(b->region_code, sizeof(b->region_code), "%s", db_col_text(st, 2));
    const char *ind = db_col_text(st, 3);
    snprintf(b->industry_code, sizeof(b->industry_code), "%s", ind ? ind : "");
    r->uscc = b->uscc;
    r->name = b->name;
    const char *rc_ = b->region_code;
    id_set(
        r, RULES_F_MAINLAND,
        !(strncmp(rc_, "71", 2) == 0 || strncmp(rc_, "81", 2) == 0 || strncmp(rc_, "82", 2) == 0));
    int64_t days;
    const char *reg = db_col_text(st, 4);
    if (reg && rules_parse_date(reg, &days) == 0)
        id_set(r, RULES_F_REGISTERED_ON, days);
    const char *htf = db_col_text(st, 5);
    /* NULL hightech_field is "in none of the 8 fields" (API.md), a known no. */
    id_set(r, RULES_F_HIGHTECH_FIELD, htf && ent_hightech_field_ok(htf));
    static const int bool_fields[] = {
        RULES_F_NATIONAL_AWARD_TOP3_5Y, RULES_F_PROVINCIAL_AWARD_TOP3_3Y,
        RULES_F_SCI_AWARD_3Y,           RULES_F_PROVINCIAL_RD_INSTITUTION,
        RULES_F_LED_STANDARD_5Y,        RULES_F_NO_MAJOR_INCIDENT,
        RULES_F_NOT_ON_ABNORMAL_LIST,   RULES_F_NOT_RESTRICTED_INDUSTRY,
        RULES_F_STRATEGIC_EMERGING};
    for (int i = 0; i < 9; i++)
        id_col(r, st, 6 + i, bool_fields[i]);
    id_col(r, st, 15, RULES_F_NICHE_YEARS);
    read_extra(r, db_col_text(st, 16));
    db_done(st);

    /* The current yearly rows up to year, newest first, then reversed. */
    st = db_query(db,
                  "SELECT year, " YEAR_COLS " FROM enterprise_years WHERE org_id = ? AND "
                  "is_current = 1 AND year <= ? ORDER BY year DESC LIMIT ?",
                  "iii", org_id, (int64_t)(year > 0 ? year : 9999), (int64_t)RULES_MAX_YEARS);
    if (!st)
        return KC_ERR_DB;
    int n = 0;
    while ((rc = db_step(st)) == DB_ROW && n < RULES_MAX_YEARS) {
        struct rules_year *y = &b->years[n++];
        y->year = (int32_t)db_col_int(st, 0);
        for (int f = 0; f < RULES_N_STORED_YEARLY; f++) {
            if (db_col_type(st, 1 + f) == DB_NULL)
                continue;
            y->v[f] = db_col_int(st, 1 + f);
            y->present |= 1u << f;
        }
    }
    db_done(st);
    if (rc < 0)
        return rc;
    for (int i = 0; i < n / 2; i++) {
        struct rules_year t = b->years[i];
        b->years[i] = b->years[n - 1 - i];
        b->years[n - 1 - i] = t;
    }
    r->n_years = n;

    /* has_valid_hnte on 31 December of the evaluated year. */
    char day[11];
    int as_of = year > 0 ? year : (n ? b->years[n - 1].year : 0);
    if (as_of > 0)
        snprintf(day, sizeof(day), "%04u-12-31", (unsigned)as_of % 10000);
    else
        today_cn(day);
    int64_t held = 0;
    rc = db_scalar(db_query(db,
                            "SELECT count(*) FROM certifications WHERE org_id = ? AND "
                            "kind = 'hnte' AND status = 'verified' AND issued_on <= ? AND "
                            "(valid_to IS NULL OR valid_to >= ?)",
                            "iss", org_id, day, day),
                   &held);
    if (rc)
        return rc;
    id_set(r, RULES_F_HAS_VALID_HNTE, held > 0);
    return 0;
}

/* See store/enterprise.h. */
int ent_record_load(struct db *db, int64_t org_id, int year, struct rules_record *out)
{
    static _Thread_local struct ent_record buf;
    int rc = ent_record_load_into(db, org_id, year, &buf);
    if (!rc)
        *out = buf.rec;
    return rc;
}

/* ---------------------------------------------------------------- enterprises */

/* See store/enterprise.h. */
int ent_find(struct db *db, const struct scope *sc, const char *uscc, int64_t *org_id)
{
    int64_t id = 0;
    int rc = db_scalar(db_query(db,
                                "SELECT id FROM orgs WHERE uscc = ? AND kind = 'enterprise' "
                                "AND region_code >= ? AND region_code < ? AND "
                                "(? = 0 OR id = ?)",
                                "sssii", uscc, sc->lo, sc->hi, sc->org_id, sc->org_id),
                       &id);
    if (rc)
        return rc;
    if (!id)
        return KC_ERR_NOT_FOUND;
    *org_id = id;
    return 0;
}

/* The profile query of ent_get (the two ? are today, the third the org id). */
/* clang-format off */
static const char ent_get_sql[] =
        "SELECT o.id AS org_id, o.uscc, o.name, o.region_code, r.name AS region_name, "
        "o.industry_code, i.name AS industry_name, o.chains AS chains_json, o.address, "
        "o.contact_name, o.contact_phone, o.contact_email, e.registered_on, "
        "e.hightech_field, " JBOOL("e.national_award_top3_5y", "national_award_top3_5y") ", "
        JBOOL("e.provincial_award_top3_3y", "provincial_award_top3_3y") ", "
        JBOOL("e.sci_award_3y", "sci_award_3y") ", "
        JBOOL("e.provincial_rd_institution", "provincial_rd_institution") ", "
        JBOOL("e.led_standard_5y", "led_standard_5y") ", "
        JBOOL("e.no_major_incident", "no_major_incident") ", "
        JBOOL("e.not_on_abnormal_list", "not_on_abnormal_list") ", "
        JBOOL("e.not_restricted_industry", "not_restricted_industry") ", "
        JBOOL("e.strategic_emerging_industry", "strategic_emerging_industry") ", "
        X100("e.niche_years_x100", "niche_years") ", "
        "coalesce(e.extra_json, '{}') AS extra_json, "
        "(SELECT max(year) FROM enterprise_years y WHERE y.org_id = o.id AND "
        "y.is_current = 1) AS latest_year, "
        "(SELECT json_group_array(json_object('id', c.id, 'kind', c.kind, 'name', k.name, "
        "'name_en', k.name_en, 'number', c.number, 'issued_on', c.issued_on, 'valid_to', "
        "c.valid_to)) FROM certifications c JOIN cert_kinds k ON k.code = c.kind "
        "WHERE c.org_id = o.id AND c.status = 'verified' AND c.issued_on <= ? AND "
        "(c.valid_to IS NULL OR "
        "c.valid_to >= ?)) AS certifications_json, "
        "o.created_at, coalesce(e.updated_at, o.updated_at) AS updated_at "
        "FROM orgs o LEFT JOIN enterprises e ON e.org_id = o.id "
        "LEFT JOIN regions r ON r.code = o.region_code "
        "LEFT JOIN industries i ON i.code = o.industry_code WHERE o.id = ?";
/* clang-format on */

/* See store/enterprise.h. */
int ent_get(struct db *db, int64_t org_id, const char *today, json_t **out)
{
    char day[11];
    if (!today) {
        today_cn(day);
        today = day;
    }
    struct db_stmt *st = db_query(db, ent_get_sql, "ssi", today, today, org_id);
    if (!st)
        return KC_ERR_DB;
    int rc = db_step(st);
    json_t *o = rc == DB_ROW ? db_row_json(st) : NULL;
    db_done(st);
    if (rc < 0)
        return rc;
    if (!o)
        return KC_ERR_NOT_FOUND;
    /* Flatten the extension fields (null when absent). */
    json_t *extra = json_object_get(o, "extra");
    for (int f = RULES_N_YEARLY; f < RULES_N_FIELDS; f++) {
        if (!rules_fields[f].extension)
            continue;
        json_t *v = json_is_object(extra) ? json_object_get(extra, rules_fields[f].name) : NULL;
        json_object_set(o, rules_fields[f].name, v ? v : json_null());
    }
    json_object_del(o, "extra");
    *out = o;
    return 0;
}

const char *const ent_sorts[] = {"id",
                                 "name",
                                 "uscc",
                                 "region_code",
                                 "industry_code",
                                 "registered_on",
                                 "latest_year",
                                 "employees",
                                 "tech_staff",
                                 "sales_revenue_fen",
                                 "rd_expense_fen",
                                 NULL};

/* Appends the WHERE conditions on orgs o for scope and filters. */
static void ent_where(struct buf *sql, struct db_args *a, const struct scope *sc,
                      const struct ent_filter *f)
{
    buf_puts(sql, "WHERE o.kind = 'enterprise' ");
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
    if (f->industry) {
        buf_puts(sql, "AND substr(o.industry_code, 1, length(?)) = ? ");
        db_args_text(a, f->industry);
        db_args_text(a, f->industry);
    }
    if (f->chain) {
        buf_puts(sql, "AND EXISTS (SELECT 1 FROM json_each(o.chains) WHERE value = ?) ");
        db_args_text(a, f->chain);
    }
    if (f->year_status) {
        buf_puts(sql, "AND EXISTS (SELECT 1 FROM enterprise_years ys WHERE ys.org_id = o.id "
                      "AND ys.is_current = 1 AND ys.status = ?) ");
        db_args_text(a, f->year_status);
    }
    if (f->cert) {
        buf_puts(sql, "AND EXISTS (SELECT 1 FROM certifications c WHERE c.org_id = o.id AND "
                      "c.kind = ? AND c.status = 'verified' AND c.issued_on <= ? AND "
                      "(c.valid_to IS NULL OR c.valid_to >= ?)) ");
        db_args_text(a, f->cert);
        db_args_text(a, f->cert_on);
        db_args_text(a, f->cert_on);
    }
}

/* See store/enterprise.h. */
struct db_stmt *ent_list(struct db *db, const struct scope *sc, const struct ent_filter *f,
                         const char *today, const char *sort_col, bool desc, int64_t limit,
                         int64_t offset)
{
    char day[11];
    if (!today) {
        today_cn(day);
        today = day;
    }
    struct buf sql = {0};
    struct db_args a = {0};
    buf_puts(&sql, "SELECT * FROM (SELECT o.id, o.uscc, o.name, o.region_code, "
                   "r.name AS region_name, o.industry_code, i.name AS industry_name, "
                   "o.chains AS chains_json, e.registered_on, e.hightech_field, "
                   "y.year AS latest_year, y.employees, y.tech_staff, y.sales_revenue_fen, "
                   "y.rd_expense_fen, y.status, "
                   "(SELECT json_group_array(kind) FROM (SELECT DISTINCT c.kind, k.sort FROM "
                   "certifications c JOIN cert_kinds k ON k.code = c.kind WHERE c.org_id = o.id "
                   "AND c.status = 'verified' AND c.issued_on <= ? AND (c.valid_to IS NULL OR c.valid_to >= ?) "
                   "ORDER BY k.sort)) AS certs_json "
                   "FROM orgs o LEFT JOIN enterprises e ON e.org_id = o.id "
                   "LEFT JOIN regions r ON r.code = o.region_code "
                   "LEFT JOIN industries i ON i.code = o.industry_code "
                   "LEFT JOIN enterprise_years y ON y.org_id = o.id AND y.is_current = 1 AND "
                   "y.year = (SELECT max(y2.year) FROM enterprise_years y2 WHERE "
                   "y2.org_id = o.id AND y2.is_current = 1) ");
    db_args_text(&a, f->cert_on ? f->cert_on : today);
    db_args_text(&a, f->cert_on ? f->cert_on : today);
    ent_where(&sql, &a, sc, f);
    buf_puts(&sql, ") e ");
    return db_page(db, &sql, &a, "e", sort_col, desc, limit, offset);
}

/* See store/enterprise.h. */
int ent_count(struct db *db, const struct scope *sc, const struct ent_filter *f, int64_t *n)
{
    struct buf sql = {0};
    struct db_args a = {0};
    buf_puts(&sql, "SELECT count(*) FROM orgs o ");
    ent_where(&sql, &a, sc, f);
    return db_count(db, &sql, &a, n);
}

/* A member of p as an optional 0/1: -1 absent, 0/1, or 2 for null. */
static int bool_member(json_t *p, const char *k)
{
    json_t *v = json_object_get(p, k);
    if (!v)
        return -1;
    return json_is_null(v) ? 2 : json_is_true(v);
}

/* See store/enterprise.h. */
int ent_profile_save(struct db *db, int64_t org_id, json_t *p, int64_t user_id)
{
    int64_t now = time_now();
    int rc = db_run(db_query(db,
                             "INSERT INTO enterprises(org_id, created_at, updated_at, "
                             "updated_by) VALUES(?, ?, ?, nullif(?, 0)) "
                             "ON CONFLICT(org_id) DO NOTHING",
                             "iiii", org_id, now, now, user_id));
    /* Plain columns, one UPDATE each: only the members present change. */
    static const char *const text_cols[] = {"registered_on", "hightech_field", NULL};
    for (int i = 0; !rc && text_cols[i]; i++) {
        json_t *v = json_object_get(p, text_cols[i]);
        if (!v)
            continue;
        char sql[128];
        snprintf(sql, sizeof(sql), "UPDATE enterprises SET %s = ? WHERE org_id = ?", text_cols[i]);
        rc = db_run(db_query(db, sql, "si", json_string_value(v), org_id));
    }
    for (int i = 0; !rc && ent_profile_bools[i]; i++) {
        int b = bool_member(p, ent_profile_bools[i]);
        if (b < 0)
            continue;
        char sql[128];
        snprintf(sql, sizeof(sql), "UPDATE enterprises SET %s = nullif(?, 2) WHERE org_id = ?",
                 ent_profile_bools[i]);
        rc = db_run(db_query(db, sql, "ii", (int64_t)b, org_id));
    }
    json_t *ny = json_object_get(p, "niche_years");
    if (!rc && ny) {
        if (json_is_number(ny)) {
            double d = json_number_value(ny) * 100.0;
            int64_t x = (int64_t)(d < 0 ? d - 0.5 : d + 0.5);
            rc = db_run(db_query(db, "UPDATE enterprises SET niche_years_x100 = ? WHERE org_id = ?",
                                 "ii", x, org_id));
        } else {
            rc = db_run(db_query(db,
                                 "UPDATE enterprises SET niche_years_x100 = NULL WHERE org_id = ?",
                                 "i", org_id));
        }
    }
    /* Extension fields: merged into extra_json (null removes). */
    for (int f = RULES_N_YEARLY; !rc && f < RULES_N_FIELDS; f++) {
        if (!rules_fields[f].extension)
            continue;
        json_t *v = json_object_get(p, rules_fields[f].name);
        if (!v)
            continue;
        char path[64];
        snprintf(path, sizeof(path), "$.%s", rules_fields[f].name);
        if (json_is_null(v)) {
            rc = db_run(db_query(db,
                                 "UPDATE enterprises SET extra_json = json_remove(extra_json, ?) "
                                 "WHERE org_id = ?",
                                 "si", path, org_id));
        } else {
            char *t = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
            rc = db_run(db_query(db,
                                 "UPDATE enterprises SET extra_json = json_set(extra_json, ?, "
                                 "json(?)) WHERE org_id = ?",
                                 "ssi", path, t, org_id));
            free(t);
        }
    }
    if (!rc)
        rc = db_run(db_query(db,
                             "UPDATE enterprises SET updated_at = ?, updated_by = nullif(?, 0) "
                             "WHERE org_id = ?",
                             "iii", now, user_id, org_id));
    return rc;
}

/* ---------------------------------------------------------------- yearly records */

/* Columns of a yearly row in the API shape (y = enterprise_years). */
/* clang-format off */
#define YEAR_JSON_SELECT                                                                      \
    "SELECT y.id, y.org_id, y.year, y.revision, "                                             \
    "CASE y.is_current WHEN 1 THEN 'true' ELSE 'false' END AS is_current_json, y.status, "   \
    "y.source, y.employees, y.tech_staff, y.rd_staff, y.sales_revenue_fen, "                 \
    "y.main_business_revenue_fen, y.operating_revenue_fen, y.total_income_fen, "             \
    "y.hightech_revenue_fen, y.rd_expense_fen, y.rd_expense_domestic_fen, "                  \
    "y.cost_expense_total_fen, y.total_assets_fen, y.total_liabilities_fen, "                \
    "y.net_profit_fen, y.ip_class1, y.ip_class1_self_developed, y.ip_class1_high_value, "    \
    "y.ip_class2, y.conversions, y.equity_financing_fen, "                                   \
    X100("y.srdi_quality_score_x100", "srdi_quality_score") ", y.import_job_id, "           \
    "y.submitted_at, su.username AS submitted_by, y.verified_at, "                           \
    "vu.username AS verified_by, y.created_at, y.updated_at, uu.username AS updated_by "     \
    "FROM enterprise_years y LEFT JOIN users su ON su.id = y.submitted_by "                  \
    "LEFT JOIN users vu ON vu.id = y.verified_by LEFT JOIN users uu ON uu.id = y.updated_by "
/* clang-format on */

/* See store/enterprise.h. */
int ent_year_load(struct db *db, int64_t org_id, int year, struct ent_year_row *out)
{
    struct db_stmt *st =
        db_query(db,
                 "SELECT id, revision, is_current, status, source, year, " YEAR_COLS
                 " FROM enterprise_years WHERE org_id = ? AND year = ? AND "
                 "is_current = 1",
                 "ii", org_id, (int64_t)year);
    if (!st)
        return KC_ERR_DB;
    int rc = db_step(st);
    if (rc == DB_ROW) {
        memset(out, 0, sizeof(*out));
        out->id = db_col_int(st, 0);
        out->revision = (int32_t)db_col_int(st, 1);
        out->is_current = db_col_int(st, 2) != 0;
        snprintf(out->status, sizeof(out->status), "%s", db_col_text(st, 3));
        snprintf(out->source, sizeof(out->source), "%s", db_col_text(st, 4));
        out->data.year = (int32_t)db_col_int(st, 5);
        for (int f = 0; f < RULES_N_STORED_YEARLY; f++) {
            if (db_col_type(st, 6 + f) == DB_NULL)
                continue;
            out->data.v[f] = db_col_int(st, 6 + f);
            out->data.present |= 1u << f;
        }
    }
    db_done(st);
    if (rc < 0)
        return rc;
    return rc == DB_ROW ? 0 : KC_ERR_NOT_FOUND;
}

/* See store/enterprise.h. */
int ent_year_json(struct db *db, int64_t id, json_t **out)
{
    struct db_stmt *st = db_query(db, YEAR_JSON_SELECT "WHERE y.id = ?", "i", id);
    if (!st)
        return KC_ERR_DB;
    int rc = db_step(st);
    json_t *o = rc == DB_ROW ? db_row_json(st) : NULL;
    db_done(st);
    if (rc < 0)
        return rc;
    if (!o)
        return KC_ERR_NOT_FOUND;
    *out = o;
    return 0;
}

/* See store/enterprise.h. */
struct db_stmt *ent_year_list(struct db *db, int64_t org_id, int year, bool all_revisions)
{
    if (all_revisions)
        return db_query(db,
                        YEAR_JSON_SELECT "WHERE y.org_id = ? AND y.year = ? ORDER BY "
                                         "y.revision DESC",
                        "ii", org_id, (int64_t)year);
    return db_query(db,
                    YEAR_JSON_SELECT "WHERE y.org_id = ? AND y.is_current = 1 ORDER BY y.year DESC",
                    "i", org_id);
}

/* Binds the yearly fields of y from parameter index first; 0 or KC_ERR_DB. */
static int bind_year(struct db_stmt *st, int first, const struct rules_year *y)
{
    for (int f = 0; f < RULES_N_STORED_YEARLY; f++) {
        int rc = (y->present & (1u << f)) ? db_bind_int(st, first + f, y->v[f])
                                          : db_bind_null(st, first + f);
        if (rc)
            return rc;
    }
    return 0;
}

/* See store/enterprise.h. */
int ent_year_insert(struct db *db, int64_t org_id, const struct rules_year *y, int revision,
                    const char *status, const char *source, int64_t user_id, int64_t *id)
{
    int64_t now = time_now();
    bool verified = strcmp(status, "verified") == 0;
    struct db_stmt *st =
        db_query(db,
                 "INSERT INTO enterprise_years(org_id, year, revision, is_current, status, source, "
                 "verified_at, verified_by, created_at, updated_at, updated_by, " YEAR_COLS ") "
                 "VALUES(?, ?, ?, 1, ?, ?, ?, nullif(?, 0), ?, ?, nullif(?, 0), "
                 "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                 "iiissniiii", org_id, (int64_t)y->year, (int64_t)revision, status, source,
                 verified ? user_id : 0, now, now, user_id);
    if (!st)
        return KC_ERR_DB;
    int rc = verified ? db_bind_int(st, 6, now) : 0;
    if (!rc)
        rc = bind_year(st, 11, y);
    if (rc) {
        db_done(st);
        return rc;
    }
    rc = db_run(st);
    if (!rc)
        *id = db_last_id(db);
    return rc;
}

/* See store/enterprise.h. */
int ent_year_update(struct db *db, int64_t id, const struct rules_year *y, const char *source,
                    int64_t user_id)
{
    struct buf sql = {0};
    buf_puts(&sql, "UPDATE enterprise_years SET ");
    for (int f = 0; f < RULES_N_STORED_YEARLY; f++)
        buf_printf(&sql, "%s = ?, ", ent_year_column(f));
    buf_puts(&sql, "source = ?, updated_at = ?, updated_by = nullif(?, 0) WHERE id = ?");
    struct db_stmt *st = db_prep(db, buf_str(&sql));
    buf_free(&sql);
    if (!st)
        return KC_ERR_DB;
    int n = RULES_N_STORED_YEARLY;
    int rc = bind_year(st, 1, y);
    if (!rc)
        rc = db_bind_text(st, n + 1, source);
    if (!rc)
        rc = db_bind_int(st, n + 2, time_now());
    if (!rc)
        rc = db_bind_int(st, n + 3, user_id);
    if (!rc)
        rc = db_bind_int(st, n + 4, id);
    if (rc) {
        db_done(st);
        return rc;
    }
    return db_run(st);
}

/* See store/enterprise.h. */
int ent_year_set_status(struct db *db, int64_t id, const char *status, int64_t user_id)
{
    int64_t now = time_now();
    if (strcmp(status, "verified") == 0)
        return db_run(db_query(db,
                               "UPDATE enterprise_years SET status = 'verified', verified_at = ?, "
                               "verified_by = nullif(?, 0), updated_at = ? WHERE id = ?",
                               "iiii", now, user_id, now, id));
    if (strcmp(status, "submitted") == 0)
        return db_run(db_query(db,
                               "UPDATE enterprise_years SET status = 'submitted', "
                               "submitted_at = ?, submitted_by = nullif(?, 0), updated_at = ? "
                               "WHERE id = ?",
                               "iiii", now, user_id, now, id));
    return db_run(db_query(db,
                           "UPDATE enterprise_years SET status = ?, updated_at = ? WHERE id = ?",
                           "sii", status, now, id));
}

/* See store/enterprise.h. */
int ent_year_retire(struct db *db, int64_t id)
{
    return db_run(db_query(db, "UPDATE enterprise_years SET is_current = 0 WHERE id = ?", "i", id));
}

/* ---------------------------------------------------------------- certificates */

const char *const cert_sorts[] = {"id",       "kind",        "number", "issued_on", "valid_to",
                                  "org_name", "region_code", "uscc",   NULL};

/* The certificate row in the API shape; the two ? are today. */
#define CERT_SELECT                                                                                \
    "SELECT c.id, c.org_id, o.uscc, o.name AS org_name, o.region_code, r.name AS "                 \
    "region_name, c.kind, k.name AS kind_name, k.name_en AS kind_name_en, c.number, "              \
    "c.issued_on, c.valid_to, c.level, c.issuer, c.note, c.source, c.status, c.reviewed_at, "      \
    "c.review_note, CASE WHEN c.status = 'verified' AND c.issued_on <= ? AND "                     \
    "(c.valid_to IS NULL OR c.valid_to >= ?) THEN 'true' ELSE 'false' END AS valid_json, "         \
    "c.created_at, c.updated_at "                                                                  \
    "FROM certifications c JOIN orgs o ON o.id = c.org_id "                                        \
    "JOIN cert_kinds k ON k.code = c.kind LEFT JOIN regions r ON r.code = o.region_code "

/* Appends the WHERE conditions of a certificate query. */
static void cert_where(struct buf *sql, struct db_args *a, const struct scope *sc,
                       const struct cert_filter *f)
{
    buf_puts(sql, "WHERE 1=1 ");
    if (sc->lo[0]) {
        buf_puts(sql, "AND o.region_code >= ? AND o.region_code < ? ");
        db_args_text(a, sc->lo);
        db_args_text(a, sc->hi);
    }
    if (sc->org_id) {
        buf_puts(sql, "AND c.org_id = ? ");
        db_args_int(a, sc->org_id);
    }
    if (f->region.lo[0]) {
        buf_puts(sql, "AND o.region_code >= ? AND o.region_code < ? ");
        db_args_text(a, f->region.lo);
        db_args_text(a, f->region.hi);
    }
    if (f->kind) {
        buf_puts(sql, "AND c.kind = ? ");
        db_args_text(a, f->kind);
    }
    if (f->status) {
        buf_puts(sql, "AND c.status = ? ");
        db_args_text(a, f->status);
    }
    if (f->org_id) {
        buf_puts(sql, "AND c.org_id = ? ");
        db_args_int(a, f->org_id);
    }
    if (f->valid_on) {
        buf_puts(sql, "AND c.status = 'verified' AND c.issued_on <= ? AND "
                      "(c.valid_to IS NULL OR c.valid_to >= ?) ");
        db_args_text(a, f->valid_on);
        db_args_text(a, f->valid_on);
    }
    if (f->q) {
        buf_puts(sql, "AND (instr(c.number, ?) > 0 OR instr(o.name, ?) > 0 OR "
                      "instr(o.uscc, ?) > 0) ");
        db_args_text(a, f->q);
        db_args_text(a, f->q);
        db_args_text(a, f->q);
    }
}

/* See store/enterprise.h. */
struct db_stmt *cert_list(struct db *db, const struct scope *sc, const struct cert_filter *f,
                          const char *today, const char *sort_col, bool desc, int64_t limit,
                          int64_t offset)
{
    char day[11];
    if (!today) {
        today_cn(day);
        today = day;
    }
    struct buf sql = {0};
    struct db_args a = {0};
    buf_puts(&sql, "SELECT * FROM (" CERT_SELECT);
    db_args_text(&a, today);
    db_args_text(&a, today);
    cert_where(&sql, &a, sc, f);
    buf_puts(&sql, ") c ");
    return db_page(db, &sql, &a, "c", sort_col, desc, limit, offset);
}

/* See store/enterprise.h. */
int cert_count(struct db *db, const struct scope *sc, const struct cert_filter *f, int64_t *n)
{
    struct buf sql = {0};
    struct db_args a = {0};
    buf_puts(&sql, "SELECT count(*) FROM certifications c JOIN orgs o ON o.id = c.org_id ");
    cert_where(&sql, &a, sc, f);
    return db_count(db, &sql, &a, n);
}

/* See store/enterprise.h. */
int cert_get(struct db *db, const struct scope *sc, int64_t id, const char *today, json_t **out)
{
    char day[11];
    if (!today) {
        today_cn(day);
        today = day;
    }
    struct db_stmt *st =
        db_query(db,
                 CERT_SELECT "WHERE c.id = ? AND o.region_code >= ? AND o.region_code < ? AND "
                             "(? = 0 OR c.org_id = ?)",
                 "ssissii", today, today, id, sc->lo, sc->hi, sc->org_id, sc->org_id);
    if (!st)
        return KC_ERR_DB;
    int rc = db_step(st);
    json_t *o = rc == DB_ROW ? db_row_json(st) : NULL;
    db_done(st);
    if (rc < 0)
        return rc;
    if (!o)
        return KC_ERR_NOT_FOUND;
    *out = o;
    return 0;
}

/* See store/enterprise.h. */
int cert_kind_get(struct db *db, const char *code, bool *found, int *validity_years)
{
    struct db_stmt *st =
        db_query(db, "SELECT validity_years FROM cert_kinds WHERE code = ?", "s", code);
    if (!st)
        return KC_ERR_DB;
    int rc = db_step(st);
    *found = rc == DB_ROW;
    *validity_years = rc == DB_ROW ? (int)db_col_int(st, 0) : 0;
    db_done(st);
    return rc < 0 ? rc : 0;
}

/* See store/enterprise.h. */
struct db_stmt *cert_kinds_list(struct db *db)
{
    return db_prep(db, "SELECT code, name, name_en, stage, validity_years, number_label, "
                       "rule_family, sort FROM cert_kinds ORDER BY sort, code");
}

/* String member or NULL. */
static const char *s_(json_t *o, const char *k)
{
    json_t *v = json_object_get(o, k);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

/* See store/enterprise.h. */
int cert_insert(struct db *db, int64_t org_id, json_t *c, int64_t user_id, int64_t *id)
{
    int64_t now = time_now();
    const char *status = s_(c, "status") ? s_(c, "status") : "verified";
    int rc =
        db_run(db_query(db,
                        "INSERT INTO certifications(org_id, kind, number, issued_on, "
                        "valid_to, level, issuer, note, source, status, reviewed_at, "
                        "reviewed_by, created_at, updated_at, updated_by) VALUES(?, ?, ?, ?, ?, "
                        "?, ?, ?, ?, ?, CASE WHEN ? = 'verified' THEN ? END, CASE WHEN ? = "
                        "'verified' THEN nullif(?, 0) END, ?, ?, nullif(?, 0))",
                        "issssssssssisiiii", org_id, s_(c, "kind"), s_(c, "number"),
                        s_(c, "issued_on"), s_(c, "valid_to"), s_(c, "level"), s_(c, "issuer"),
                        s_(c, "note"), s_(c, "source") ? s_(c, "source") : "officer", status,
                        status, now, status, user_id, now, now, user_id));
    if (!rc)
        *id = db_last_id(db);
    return rc;
}

/* See store/enterprise.h. */
int cert_update(struct db *db, int64_t id, json_t *c, int64_t user_id)
{
    int64_t now = time_now();
    const char *status = s_(c, "status") ? s_(c, "status") : "verified";
    /* An officer's edit verifies; an enterprise's edit asks for a new review. */
    return db_run(db_query(db,
                           "UPDATE certifications SET kind = ?, number = ?, issued_on = ?, "
                           "valid_to = ?, level = ?, issuer = ?, note = ?, source = ?, "
                           "status = ?, reviewed_at = CASE WHEN ? = 'verified' THEN ? END, "
                           "reviewed_by = CASE WHEN ? = 'verified' THEN nullif(?, 0) END, "
                           "review_note = NULL, updated_at = ?, updated_by = nullif(?, 0) "
                           "WHERE id = ?",
                           "ssssssssssisiiii", s_(c, "kind"), s_(c, "number"),
                           s_(c, "issued_on"), s_(c, "valid_to"), s_(c, "level"),
                           s_(c, "issuer"), s_(c, "note"),
                           s_(c, "source") ? s_(c, "source") : "officer", status, status, now,
                           status, user_id, now, user_id, id));
}

/* See store/enterprise.h. */
int cert_review(struct db *db, int64_t id, const char *status, const char *note,
                int64_t user_id)
{
    int rc = db_run(db_query(db,
                             "UPDATE certifications SET status = ?, reviewed_at = ?, "
                             "reviewed_by = nullif(?, 0), review_note = ?, updated_at = ?, "
                             "updated_by = nullif(?, 0) WHERE id = ? AND status = 'pending'",
                             "siisiii", status, time_now(), user_id, note, time_now(), user_id,
                             id));
    if (!rc && db_changes(db) == 0)
        rc = KC_ERR_CONFLICT;
    return rc;
}

/* See store/enterprise.h. */
int cert_delete(struct db *db, int64_t id)
{
    return db_run(db_query(db, "DELETE FROM certifications WHERE id = ?", "i", id));
}
