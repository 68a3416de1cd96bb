/* points.c (store) — the region scan, 创新积分 configuration versions and pool margins. */
#include "store/points.h"
#include "core/buf.h"
#include "core/timeutil.h"
#include "core/xalloc.h"
#include "db/db.h"
#include "domain/enterprise.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The stored yearly columns in enum rules_field order (as store/enterprise.c reads them). */
#define YEAR_COLS                                                                             \
    "y.employees, y.tech_staff, y.rd_staff, y.sales_revenue_fen, "                           \
    "y.main_business_revenue_fen, y.operating_revenue_fen, y.total_income_fen, "             \
    "y.hightech_revenue_fen, y.rd_expense_fen, y.rd_expense_domestic_fen, "                  \
    "y.cost_expense_total_fen, y.total_assets_fen, y.total_liabilities_fen, "                \
    "y.net_profit_fen, y.ip_class1, y.ip_class1_self_developed, y.ip_class1_high_value, "    \
    "y.ip_class2, y.conversions, y.equity_financing_fen, y.srdi_quality_score_x100"

/* ---------------------------------------------------------------- the region scan */

/* Sets identity field f of r to v. */
static void id_set(struct rules_record *r, int f, int64_t v)
{
    r->id[f - RULES_N_YEARLY] = v;
    r->id_present |= 1ull << (f - RULES_N_YEARLY);
}

/* Reads an integer column into identity field f when it is not NULL. */
static void id_col(struct rules_record *r, struct db_stmt *st, int col, int f)
{
    if (db_col_type(st, col) != DB_NULL)
        id_set(r, f, db_col_int(st, col));
}

/* Reads the extension identity fields of extra_json (the same decoding as
 * store/enterprise.c: booleans 1/0, integers, ×100 numbers; absent or null stays missing). */
static void read_extra(struct rules_record *r, const char *text)
{
    if (!text || !*text || strcmp(text, "{}") == 0)
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

/* Days since 1970 of "YYYY-MM-DD", or fallback when NULL or malformed. */
static int32_t day_of(const char *s, int32_t fallback)
{
    int64_t d;
    return s && rules_parse_date(s, &d) == 0 ? (int32_t)d : fallback;
}

/* Finds the firm with org_id in s (firms sorted by id), or NULL. */
static struct scan_firm *find_firm(struct ladder_scan *s, int64_t org_id)
{
    size_t lo = 0, hi = s->n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (s->firms[mid].org_id < org_id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < s->n && s->firms[lo].org_id == org_id ? &s->firms[lo] : NULL;
}

int ladder_scan_load(struct db *db, const char *lo, const char *hi, int64_t org_id, int max_year,
                     struct ladder_scan *out)
{
    memset(out, 0, sizeof(*out));
    /* 1. Identity: orgs + enterprises. */
    struct db_stmt *st = db_query(
        db,
        "SELECT o.id, o.uscc, o.name, o.region_code, e.registered_on, e.hightech_field, "
        "e.national_award_top3_5y, e.provincial_award_top3_3y, e.sci_award_3y, "
        "e.provincial_rd_institution, e.led_standard_5y, e.no_major_incident, "
        "e.not_on_abnormal_list, e.not_restricted_industry, e.strategic_emerging_industry, "
        "e.niche_years_x100, e.extra_json "
        "FROM orgs o LEFT JOIN enterprises e ON e.org_id = o.id "
        "WHERE o.kind = 'enterprise' AND o.region_code >= ? AND o.region_code < ? "
        "AND (? = 0 OR o.id = ?) ORDER BY o.id",
        "ssii", lo, hi, org_id, org_id);
    if (!st)
        return KC_ERR_DB;
    size_t cap = 0;
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        if (out->n == cap) {
            cap = cap ? cap * 2 : 256;
            out->firms = xrealloc(out->firms, cap * sizeof(*out->firms));
        }
        struct scan_firm *f = &out->firms[out->n++];
        memset(f, 0, sizeof(*f));
        f->org_id = db_col_int(st, 0);
        snprintf(f->uscc, sizeof(f->uscc), "%s", db_col_text(st, 1));
        f->name = xstrdup(db_col_text(st, 2) ? db_col_text(st, 2) : "");
        snprintf(f->region_code, sizeof(f->region_code), "%s", db_col_text(st, 3));
        struct rules_record *r = &f->id;
        const char *rc_ = f->region_code;
        id_set(r, RULES_F_MAINLAND,
               !(strncmp(rc_, "71", 2) == 0 || strncmp(rc_, "81", 2) == 0 ||
                 strncmp(rc_, "82", 2) == 0));
        int64_t days;
        const char *reg = db_col_text(st, 4);
        if (reg && rules_parse_date(reg, &days) == 0)
            id_set(r, RULES_F_REGISTERED_ON, days);
        const char *htf = db_col_text(st, 5);
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
    }
    db_done(st);
    if (rc < 0)
        goto fail;

    /* 2. The current yearly rows, one scan ordered by firm and year. */
    st = db_query(db,
                  "SELECT y.org_id, y.year, " YEAR_COLS " FROM enterprise_years y "
                  "JOIN orgs o ON o.id = y.org_id WHERE o.kind = 'enterprise' "
                  "AND o.region_code >= ? AND o.region_code < ? AND (? = 0 OR o.id = ?) "
                  "AND y.is_current = 1 AND y.year <= ? ORDER BY y.org_id, y.year",
                  "ssiii", lo, hi, org_id, org_id, (int64_t)(max_year > 0 ? max_year : 9999));
    if (!st) {
        rc = KC_ERR_DB;
        goto fail;
    }
    size_t ny = 0, ycap = 0;
    int64_t *owner = NULL;
    while ((rc = db_step(st)) == DB_ROW) {
        if (ny == ycap) {
            ycap = ycap ? ycap * 2 : 1024;
            out->years = xrealloc(out->years, ycap * sizeof(*out->years));
            owner = xrealloc(owner, ycap * sizeof(*owner));
        }
        struct rules_year *y = &out->years[ny];
        memset(y, 0, sizeof(*y));
        owner[ny++] = db_col_int(st, 0);
        y->year = (int32_t)db_col_int(st, 1);
        for (int f = 0; f < RULES_N_STORED_YEARLY; f++) {
            if (db_col_type(st, 2 + f) == DB_NULL)
                continue;
            y->v[f] = db_col_int(st, 2 + f);
            y->present |= 1u << f;
        }
    }
    db_done(st);
    if (rc >= 0) {
        for (size_t i = 0; i < ny;) {
            size_t j = i;
            while (j < ny && owner[j] == owner[i])
                j++;
            struct scan_firm *f = find_firm(out, owner[i]);
            if (f) {
                f->years = &out->years[i];
                f->n_years = (int)(j - i);
            }
            i = j;
        }
    }
    free(owner);
    if (rc < 0)
        goto fail;

    /* 3. 高新技术企业 certificate periods (for has_valid_hnte on any date). */
    st = db_query(db,
                  "SELECT c.org_id, c.issued_on, c.valid_to FROM certifications c "
                  "JOIN orgs o ON o.id = c.org_id WHERE c.kind = 'hnte' AND c.status = 'verified' AND "
                  "o.kind = 'enterprise' AND o.region_code >= ? AND o.region_code < ? "
                  "AND (? = 0 OR o.id = ?) ORDER BY c.org_id",
                  "ssii", lo, hi, org_id, org_id);
    if (!st) {
        rc = KC_ERR_DB;
        goto fail;
    }
    size_t nc = 0, ccap = 0;
    owner = NULL;
    while ((rc = db_step(st)) == DB_ROW) {
        if (nc == ccap) {
            ccap = ccap ? ccap * 2 : 256;
            out->certs = xrealloc(out->certs, ccap * sizeof(*out->certs));
            owner = xrealloc(owner, ccap * sizeof(*owner));
        }
        owner[nc] = db_col_int(st, 0);
        out->certs[nc].from = day_of(db_col_text(st, 1), INT32_MAX);
        out->certs[nc].to = day_of(db_col_text(st, 2), INT32_MAX);
        nc++;
    }
    db_done(st);
    if (rc >= 0) {
        for (size_t i = 0; i < nc;) {
            size_t j = i;
            while (j < nc && owner[j] == owner[i])
                j++;
            struct scan_firm *f = find_firm(out, owner[i]);
            if (f) {
                f->hnte = &out->certs[i];
                f->n_hnte = (int)(j - i);
            }
            i = j;
        }
    }
    free(owner);
    if (rc < 0)
        goto fail;
    return 0;
fail:
    ladder_scan_free(out);
    return rc < 0 ? rc : KC_ERR_DB;
}

void ladder_scan_free(struct ladder_scan *s)
{
    for (size_t i = 0; i < s->n; i++)
        free(s->firms[i].name);
    free(s->firms);
    free(s->years);
    free(s->certs);
    memset(s, 0, sizeof(*s));
}

/* Today in China (UTC+8) as days since 1970. */
static int32_t today_days(void)
{
    return (int32_t)((time_now() + 8 * 3600) / 86400);
}

void scan_record(const struct scan_firm *f, int year, struct rules_record *out)
{
    *out = f->id;
    out->uscc = f->uscc;
    out->name = f->name;
    int n = 0;
    while (n < f->n_years && (year <= 0 || f->years[n].year <= year))
        n++;
    int first = n > RULES_MAX_YEARS ? n - RULES_MAX_YEARS : 0;
    out->years = f->years + first;
    out->n_years = n - first;
    /* has_valid_hnte on 31 December of the evaluated year (year ≤ 0: of the latest year
     * loaded, or today when there is none), as ent_record_load. */
    int as_of = year > 0 ? year : (out->n_years ? out->years[out->n_years - 1].year : 0);
    int32_t day = as_of > 0 ? (int32_t)rules_days_from_civil(as_of, 12, 31) : today_days();
    bool held = false;
    for (int i = 0; i < f->n_hnte && !held; i++)
        held = f->hnte[i].from <= day && day <= f->hnte[i].to;
    id_set(out, RULES_F_HAS_VALID_HNTE, held);
}

int scan_latest_year(const struct scan_firm *f, int max_year)
{
    int best = 0;
    for (int i = 0; i < f->n_years; i++)
        if (max_year <= 0 || f->years[i].year <= max_year)
            best = f->years[i].year;
    return best;
}

bool scan_has_year(const struct scan_firm *f, int year)
{
    for (int i = 0; i < f->n_years; i++)
        if (f->years[i].year == year)
            return true;
    return false;
}

int scan_max_year(struct db *db, const char *lo, const char *hi, int *out)
{
    int64_t y = 0;
    int rc = db_scalar(db_query(db,
                                "SELECT coalesce(max(y.year), 0) FROM enterprise_years y "
                                "JOIN orgs o ON o.id = y.org_id WHERE y.is_current = 1 AND "
                                "o.kind = 'enterprise' AND o.region_code >= ? AND "
                                "o.region_code < ?",
                                "ss", lo, hi),
                       &y);
    *out = (int)y;
    return rc;
}

/* ---------------------------------------------------------------- configurations */

int points_config_effective(struct db *db, const char *region_code, bool *found,
                            struct points_version *v, json_t **json)
{
    char pref[7], prov[7];
    snprintf(pref, sizeof(pref), "%.4s00", region_code);
    snprintf(prov, sizeof(prov), "%.2s0000", region_code);
    *found = false;
    *json = NULL;
    memset(v, 0, sizeof(*v));
    struct db_stmt *st = db_query(
        db,
        "SELECT id, version, region_code, config_json FROM points_configs "
        "WHERE region_code IN (?, ?, '000000') ORDER BY CASE region_code WHEN ? THEN 0 "
        "WHEN ? THEN 1 ELSE 2 END, version DESC LIMIT 1",
        "ssss", pref, prov, pref, prov);
    if (!st)
        return KC_ERR_DB;
    int rc = db_step(st);
    if (rc == DB_ROW) {
        v->id = db_col_int(st, 0);
        v->version = (int)db_col_int(st, 1);
        snprintf(v->region_code, sizeof(v->region_code), "%s", db_col_text(st, 2));
        *json = json_loads(db_col_text(st, 3), 0, NULL);
        *found = *json != NULL;
    }
    db_done(st);
    return rc < 0 ? rc : 0;
}

int points_config_get(struct db *db, int64_t id, json_t **out)
{
    struct db_stmt *st = db_query(
        db,
        "SELECT p.id, p.region_code, r.name AS region_name, p.version, p.note, "
        "p.created_at, u.username AS created_by, p.config_json AS config_json "
        "FROM points_configs p LEFT JOIN regions r ON r.code = p.region_code "
        "LEFT JOIN users u ON u.id = p.created_by WHERE p.id = ?",
        "i", id);
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

int points_config_insert(struct db *db, const char *region_code, const char *config_text,
                         const char *note, int64_t user_id, int64_t *id, int *version)
{
    int64_t next = 0;
    int rc = db_scalar(db_query(db,
                                "SELECT coalesce(max(version), 0) + 1 FROM points_configs "
                                "WHERE region_code = ?",
                                "s", region_code),
                       &next);
    if (rc)
        return rc;
    rc = db_run(db_query(db,
                         "INSERT INTO points_configs(region_code, version, config_json, note, "
                         "created_at, created_by) VALUES(?,?,?,?,?,nullif(?,0))",
                         "sissii", region_code, next, config_text, note, time_now(), user_id));
    if (rc)
        return rc;
    *id = db_last_id(db);
    *version = (int)next;
    return 0;
}

/* ---------------------------------------------------------------- pool margins */

int pool_margin_rows(struct db *db, json_t **rows)
{
    struct db_stmt *st = db_prep(db, "SELECT region_code, family, max_failed, margin_pct, "
                                     "score_margin FROM pool_margins");
    if (!st)
        return KC_ERR_DB;
    json_t *a = json_array();
    int rc;
    while ((rc = db_step(st)) == DB_ROW)
        json_array_append_new(a, db_row_json(st));
    db_done(st);
    if (rc < 0) {
        json_decref(a);
        return rc;
    }
    *rows = a;
    return 0;
}

void pool_margin_lookup(json_t *rows, const char *region_code, const char *family,
                        struct pool_margin *out)
{
    memset(out, 0, sizeof(*out));
    out->max_failed = POOL_DEFAULT_MAX_FAILED;
    out->margin_pct = POOL_DEFAULT_MARGIN_PCT;
    out->score_margin = POOL_DEFAULT_SCORE_MARGIN;
    snprintf(out->from_family, sizeof(out->from_family), "*");
    char levels[4][7];
    snprintf(levels[0], 7, "%.6s", region_code);
    snprintf(levels[1], 7, "%.4s00", region_code);
    snprintf(levels[2], 7, "%.2s0000", region_code);
    snprintf(levels[3], 7, "000000");
    for (int l = 0; l < 4; l++) {
        if (l > 0 && strcmp(levels[l], levels[l - 1]) == 0)
            continue;
        for (int pass = 0; pass < 2; pass++) {
            const char *fam = pass == 0 ? family : "*";
            size_t i;
            json_t *r;
            json_array_foreach(rows, i, r)
            {
                if (strcmp(json_string_value(json_object_get(r, "region_code")), levels[l]) ||
                    strcmp(json_string_value(json_object_get(r, "family")), fam))
                    continue;
                out->max_failed = (int)json_integer_value(json_object_get(r, "max_failed"));
                out->margin_pct = (int)json_integer_value(json_object_get(r, "margin_pct"));
                out->score_margin = (int)json_integer_value(json_object_get(r, "score_margin"));
                memcpy(out->from_region, levels[l], sizeof(out->from_region));
                snprintf(out->from_family, sizeof(out->from_family), "%s", fam);
                return;
            }
        }
    }
}

int pool_margin_for(struct db *db, const char *region_code, const char *family,
                    struct pool_margin *out)
{
    json_t *rows = NULL;
    int rc = pool_margin_rows(db, &rows);
    if (rc)
        return rc;
    pool_margin_lookup(rows, region_code, family, out);
    json_decref(rows);
    return 0;
}

int pool_margin_save(struct db *db, const char *region_code, const char *family, int max_failed,
                     int margin_pct, int score_margin, int64_t user_id)
{
    return db_run(db_query(db,
                           "INSERT INTO pool_margins(region_code, family, max_failed, margin_pct, "
                           "score_margin, updated_at, updated_by) VALUES(?,?,?,?,?,?,nullif(?,0)) "
                           "ON CONFLICT(region_code, family) DO UPDATE SET "
                           "max_failed = excluded.max_failed, margin_pct = excluded.margin_pct, "
                           "score_margin = excluded.score_margin, "
                           "updated_at = excluded.updated_at, updated_by = excluded.updated_by",
                           "ssiiiii", region_code, family, (int64_t)max_failed,
                           (int64_t)margin_pct, (int64_t)score_margin, time_now(), user_id));
}

int pool_margin_delete(struct db *db, const char *region_code, const char *family)
{
    int rc = db_run(db_query(db, "DELETE FROM pool_margins WHERE region_code = ? AND family = ?",
                             "ss", region_code, family));
    if (rc)
        return rc;
    return db_changes(db) ? 0 : KC_ERR_NOT_FOUND;
}

int pool_margin_get(struct db *db, const char *region_code, const char *family, json_t **out)
{
    *out = NULL;
    struct db_stmt *st = db_query(db,
                                  "SELECT region_code, family, max_failed, margin_pct, "
                                  "score_margin FROM pool_margins WHERE region_code = ? AND "
                                  "family = ?",
                                  "ss", region_code, family);
    if (!st)
        return KC_ERR_DB;
    int rc = db_step(st);
    if (rc == DB_ROW)
        *out = db_row_json(st);
    db_done(st);
    return rc < 0 ? rc : 0;
}
