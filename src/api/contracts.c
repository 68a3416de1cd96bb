/* contracts.c (api) — /api/v1/contracts: the technology-contract registry (技术合同认定登记),
 * its export and statistics, and /api/v1/contract-types (the versioned type sets). */
#include "api/api.h"
#include "api/deals_util.h"
#include "api/handlers_deals.h"
#include "db/db.h"
#include "domain/contract_types.h"
#include "store/contract.h"
#include "store/org.h"

#include <stdio.h>
#include <string.h>

/* The largest amount one contract may carry: 1万亿元 in 分 (sums of millions of contracts
 * stay far inside int64). */
#define MAX_AMOUNT_FEN 100000000000000LL

static const struct field_spec contract_fields[] = {
    {"title", FT_STR, true, 200},
    {"rule_set", FT_STR_NULL, false, 32},
    {"type", FT_STR, true, 40},
    {"subtype", FT_STR_NULL, false, 40},
    {"seller_org_id", FT_INT, true, 0},
    {"buyer_org_id", FT_INT, true, 0},
    {"contract_amount_fen", FT_INT, true, 0},
    {"tech_amount_fen", FT_INT, true, 0},
    {"signed_on", FT_STR, true, 10},
    {"registration_no", FT_STR, true, 32},
    {"registered_on", FT_STR, true, 10},
    {"achievement_id", FT_INT_NULL, false, 0},
    {"note", FT_STR_NULL, false, 500},
    {NULL, 0, 0, 0},
};

static const char *const contract_sorts[] = {
    "registered_on", "signed_on",       "contract_amount_fen", "tech_amount_fen",
    "id",            "registration_no", "title",               "created_at",
    NULL};

/* The labels of the type sets in the request's language. */
static const char *labels(struct http_req *r)
{
    return contract_types_labels_json(r->en);
}

/* Reads the list / statistics filters; replies 422 and returns false when one is
 * malformed. */
static bool read_filter(struct http_req *r, struct contract_filter *f)
{
    memset(f, 0, sizeof(*f));
    f->q = api_qparam(r, "q");
    f->type = api_qparam(r, "type");
    f->subtype = api_qparam(r, "subtype");
    f->rule_set = api_qparam(r, "rule_set");
    f->month = api_qparam(r, "month");
    f->year = api_qparam(r, "year");
    if (f->month && (strlen(f->month) != 7 || !deals_valid_date(
                                                  arena_printf(&r->arena, "%s-01", f->month)))) {
        http_reply_error(r, 422, "invalid_value", "month");
        return false;
    }
    if (f->year && (strlen(f->year) != 4 || strspn(f->year, "0123456789") != 4)) {
        http_reply_error(r, 422, "invalid_value", "year");
        return false;
    }
    return api_region_param(r, &f->region) && deals_qdate(r, "from", &f->from) &&
           deals_qdate(r, "to", &f->to) && deals_qint(r, "org_id", &f->org_id) &&
           deals_qint(r, "seller_org_id", &f->seller_org_id) &&
           deals_qint(r, "buyer_org_id", &f->buyer_org_id) &&
           deals_qint(r, "achievement_id", &f->achievement_id);
}

/* GET /api/v1/contracts */
int api_contracts_list(struct http_req *r)
{
    struct db *db = api_db(r);
    struct contract_filter f;
    int64_t page, size, total;
    const char *col;
    bool desc;
    if (!db || !read_filter(r, &f) || !api_paging(r, &page, &size) ||
        !api_sort(r, contract_sorts, "-registered_on", &col, &desc))
        return 0;
    int rc = contract_count(db, &r->user.scope, &f, &total);
    api_reply_rows(r,
                   rc ? NULL
                      : contract_list(db, &r->user.scope, labels(r), &f, col, desc, size,
                                      (page - 1) * size),
                   total, page, size);
    return 0;
}

/* GET /api/v1/contracts/export?format=xlsx|csv */
int api_contracts_export(struct http_req *r)
{
    static const char *const cols[] = {
        "id", "编号", "ID",
        "registration_no", "合同登记编号", "Registration number",
        "title", "项目名称", "Project",
        "rule_set", "类型规则", "Type rules",
        "type_name", "合同类型", "Type",
        "subtype_name", "合同子类", "Sub-type",
        "seller_name", "卖方", "Seller",
        "buyer_name", "买方", "Buyer",
        "region_code", "卖方行政区划代码", "Seller region code",
        "region_name", "卖方所在地", "Seller region",
        "contract_amount_fen", "合同成交额(分)", "Contract value (fen)",
        "tech_amount_fen", "技术交易额(分)", "Technology value (fen)",
        "signed_on", "签订日期", "Signed on",
        "registered_on", "登记日期", "Registered on",
        "achievement_title", "来源成果", "Achievement",
        "note", "备注", "Note",
        NULL};
    static const char *const formats[] = {"xlsx", "csv", NULL};
    struct db *db = api_db(r);
    struct contract_filter f;
    const char *col, *format;
    bool desc;
    if (!db || !read_filter(r, &f) || !deals_qenum(r, "format", formats, &format) ||
        !api_sort(r, contract_sorts, "-registered_on", &col, &desc))
        return 0;
    struct db_stmt *st = contract_list(db, &r->user.scope, labels(r), &f, col, desc, -1, 0);
    if (!st) {
        api_fail(r, KC_ERR_DB, NULL, NULL);
        return 0;
    }
    if (format && strcmp(format, "csv") == 0)
        deals_export_csv(r, st, cols, "contracts.csv");
    else
        api_export_xlsx(r, st, cols, "技术合同", "Technology contracts", "contracts.xlsx");
    return 0;
}

/* The number of leading digits a region key keeps when grouping under scope and filter:
 * the level below the narrower of the two, at least prefectures (4), at most counties. */
static int region_digits(const struct scope *sc, const struct contract_filter *f)
{
    size_t n = strlen(sc->org_id ? "" : sc->lo);
    if (strlen(f->region.lo) > n)
        n = strlen(f->region.lo);
    size_t d = n + 2 < 4 ? 4 : n + 2;
    return d > 6 ? 6 : (int)d;
}

/* Writes a statistics row's key, label and drill-down filter. */
static void write_key(struct http_req *r, struct db *db, struct jw *w, enum contract_group g,
                      const char *key)
{
    jw_kstr(w, "key", key);
    const char *label = key;
    char type[48] = "", sub[48] = "";
    if (g == CG_TYPE || g == CG_SUBTYPE) {
        snprintf(type, sizeof(type), "%s", key);
        char *dot = strchr(type, '.');
        if (dot) {
            *dot = '\0';
            snprintf(sub, sizeof(sub), "%s", dot + 1);
        }
        struct db_stmt *st = db_query(
            db, "SELECT json_extract(?, '$.' || ? || '._'), json_extract(?, '$.' || ? || '.' || ?)",
            "sssss", labels(r), type, labels(r), type, sub[0] ? sub : NULL);
        if (st && db_step(st) == DB_ROW) {
            const char *tn = db_col_text(st, 0), *sn = db_col_text(st, 1);
            if (g == CG_TYPE || !sub[0])
                label = arena_strdup(&r->arena, tn ? tn : type);
            else
                label = arena_printf(&r->arena, "%s · %s", tn ? tn : type, sn ? sn : sub);
        }
        if (st)
            db_done(st);
    } else if (g == CG_REGION) {
        struct db_stmt *st = db_query(db, "SELECT name FROM regions WHERE code = ?", "s", key);
        if (st && db_step(st) == DB_ROW && db_col_text(st, 0))
            label = arena_strdup(&r->arena, db_col_text(st, 0));
        if (st)
            db_done(st);
    }
    jw_kstr(w, "label", label);
    jw_key(w, "filter");
    jw_obj_open(w);
    switch (g) {
    case CG_MONTH: jw_kstr(w, "month", key); break;
    case CG_YEAR: jw_kstr(w, "year", key); break;
    case CG_TYPE: jw_kstr(w, "type", key); break;
    case CG_SUBTYPE:
        jw_kstr(w, "type", type);
        if (sub[0])
            jw_kstr(w, "subtype", sub);
        break;
    case CG_REGION: jw_kstr(w, "region_code", key); break;
    }
    jw_obj_close(w);
}

/* Writes one zero row for a month with no contracts (keeps the time axis continuous). */
static void write_empty_month(struct http_req *r, struct db *db, struct jw *w, const char *month)
{
    jw_obj_open(w);
    write_key(r, db, w, CG_MONTH, month);
    jw_kint(w, "count", 0);
    jw_kint(w, "contract_amount_fen", 0);
    jw_kint(w, "tech_amount_fen", 0);
    jw_obj_close(w);
}

/* The month after ym (YYYY-MM) into out[8]. */
static void next_month(const char *ym, char out[8])
{
    unsigned y = 0, m = 0;
    if (sscanf(ym, "%4u-%2u", &y, &m) != 2 || m < 1 || m > 12)
        m = 12;
    if (++m > 12) {
        m = 1;
        y++;
    }
    snprintf(out, 8, "%04u-%02u", y % 10000u, m % 100u);
}

/* GET /api/v1/contracts/stats?group=month|year|type|subtype|region */
int api_contracts_stats(struct http_req *r)
{
    static const char *const groups[] = {"month", "year", "type", "subtype", "region", NULL};
    static const enum contract_group gv[] = {CG_MONTH, CG_YEAR, CG_TYPE, CG_SUBTYPE, CG_REGION};
    struct db *db = api_db(r);
    struct contract_filter f;
    const char *group;
    if (!db || !read_filter(r, &f) || !deals_qenum(r, "group", groups, &group))
        return 0;
    if (!group)
        group = "month";
    enum contract_group g = CG_MONTH;
    for (size_t i = 0; groups[i]; i++)
        if (strcmp(groups[i], group) == 0)
            g = gv[i];
    int digits = region_digits(&r->user.scope, &f);
    struct db_stmt *st = contract_stats(db, &r->user.scope, &f, g, digits);
    if (!st) {
        api_fail(r, KC_ERR_DB, NULL, NULL);
        return 0;
    }
    /* Rows are read first: labels are looked up with further statements. */
    struct row {
        char key[64];
        int64_t count, amount, tech;
    } *rows = NULL;
    size_t n = 0, cap = 0;
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        if (n == cap) {
            cap = cap ? cap * 2 : 64;
            struct row *grown = arena_alloc(&r->arena, cap * sizeof(*rows));
            if (n)
                memcpy(grown, rows, n * sizeof(*rows));
            rows = grown;
        }
        snprintf(rows[n].key, sizeof(rows[n].key), "%s",
                 db_col_text(st, 0) ? db_col_text(st, 0) : "");
        rows[n].count = db_col_int(st, 1);
        rows[n].amount = db_col_int(st, 2);
        rows[n].tech = db_col_int(st, 3);
        n++;
    }
    db_done(st);
    if (rc < 0) {
        api_fail(r, rc, NULL, NULL);
        return 0;
    }
    struct buf out = {0};
    struct jw w;
    jw_init(&w, &out);
    jw_obj_open(&w);
    jw_kstr(&w, "group", group);
    jw_kstr(&w, "date_basis", "registered_on");
    jw_key(&w, "items");
    jw_arr_open(&w);
    int64_t tc = 0, ta = 0, tt = 0;
    char expect[8] = "";
    for (size_t i = 0; i < n; i++) {
        /* Months without contracts between two that have some. */
        for (int guard = 0; g == CG_MONTH && expect[0] && strcmp(expect, rows[i].key) < 0 &&
                            guard < 1200;
             guard++) {
            write_empty_month(r, db, &w, expect);
            char nx[8];
            next_month(expect, nx);
            memcpy(expect, nx, sizeof(nx));
        }
        jw_obj_open(&w);
        write_key(r, db, &w, g, rows[i].key);
        jw_kint(&w, "count", rows[i].count);
        jw_kint(&w, "contract_amount_fen", rows[i].amount);
        jw_kint(&w, "tech_amount_fen", rows[i].tech);
        jw_obj_close(&w);
        if (g == CG_MONTH)
            next_month(rows[i].key, expect);
        tc += rows[i].count;
        ta += rows[i].amount;
        tt += rows[i].tech;
    }
    jw_arr_close(&w);
    jw_key(&w, "total");
    jw_obj_open(&w);
    jw_kint(&w, "count", tc);
    jw_kint(&w, "contract_amount_fen", ta);
    jw_kint(&w, "tech_amount_fen", tt);
    jw_obj_close(&w);
    jw_obj_close(&w);
    http_reply_json(r, 200, &out);
    return 0;
}

/* Writes one type set for GET /api/v1/contract-types. */
static void write_ruleset(struct http_req *r, struct jw *w, const struct contract_ruleset *rs)
{
    jw_obj_open(w);
    jw_kstr(w, "id", rs->id);
    jw_kstr(w, "title", r->en ? rs->title_en : rs->title_zh);
    jw_kstr(w, "source", rs->source);
    jw_kstr(w, "effective_from", rs->from);
    jw_kstr(w, "effective_to", rs->open_ended ? NULL : rs->to);
    jw_kstr(w, "provisional", rs->prov_zh ? (r->en ? rs->prov_en : rs->prov_zh) : NULL);
    jw_key(w, "types");
    jw_arr_open(w);
    for (size_t i = 0; i < rs->n_types; i++) {
        const struct contract_type *t = &rs->types[i];
        jw_obj_open(w);
        jw_kstr(w, "code", t->code);
        jw_kstr(w, "name", r->en ? t->en : t->zh);
        jw_key(w, "subtypes");
        jw_arr_open(w);
        for (size_t j = 0; j < t->n_subs; j++) {
            jw_obj_open(w);
            jw_kstr(w, "code", t->subs[j].code);
            jw_kstr(w, "name", r->en ? t->subs[j].en : t->subs[j].zh);
            jw_obj_close(w);
        }
        jw_arr_close(w);
        jw_obj_close(w);
    }
    jw_arr_close(w);
    jw_obj_close(w);
}

/* GET /api/v1/contract-types[?date=YYYY-MM-DD] */
int api_contract_types(struct http_req *r)
{
    const char *date;
    if (!deals_qdate(r, "date", &date))
        return 0;
    char today[11];
    deals_today(today);
    if (contract_types_load()) {
        api_fail(r, KC_ERR_DB, NULL, NULL);
        return 0;
    }
    const struct contract_ruleset *in_force = contract_types_for_date(date ? date : today);
    struct buf out = {0};
    struct jw w;
    jw_init(&w, &out);
    jw_obj_open(&w);
    jw_kstr(&w, "date", date ? date : today);
    jw_kstr(&w, "in_force", in_force ? in_force->id : NULL);
    jw_key(&w, "items");
    jw_arr_open(&w);
    for (size_t i = 0; i < contract_types_count(); i++)
        write_ruleset(r, &w, contract_types_at(i));
    jw_arr_close(&w);
    jw_obj_close(&w);
    http_reply_json(r, 200, &out);
    return 0;
}

/* GET /api/v1/contracts/{id} */
int api_contracts_get(struct http_req *r)
{
    int64_t id;
    struct db *db = api_db(r);
    if (!db || !api_id_param(r, 0, &id))
        return 0;
    json_t *c = NULL;
    int rc = contract_get(db, &r->user.scope, labels(r), id, &c);
    if (rc) {
        api_fail(r, rc, NULL, NULL);
        return 0;
    }
    char *text = json_dumps(c, JSON_COMPACT);
    struct buf out = {0};
    buf_puts(&out, text);
    free(text);
    json_decref(c);
    http_reply_json(r, 200, &out);
    return 0;
}

/* Replies 422 with code on field and returns false (for validate's chains). */
static bool reject(struct http_req *r, const char *code, const char *field)
{
    http_reply_error(r, 422, code, field);
    return false;
}

/* An integer member, 0 when absent or null. */
static int64_t ival(json_t *o, const char *k)
{
    json_t *v = json_object_get(o, k);
    return json_is_integer(v) ? json_integer_value(v) : 0;
}

/* Checks a complete record and completes it with the derived members: rule_set (the set
 * in force on signed_on unless named) and region_code (the seller's). Replies 422 naming
 * the field and returns false on the first problem. */
static bool validate(struct http_req *r, struct db *db, json_t *o)
{
    const char *signed_on = api_str(o, "signed_on"), *registered_on = api_str(o, "registered_on");
    char today[11];
    deals_today(today);
    if (!deals_valid_date(signed_on))
        return reject(r, "invalid_date", "signed_on");
    if (!deals_valid_date(registered_on))
        return reject(r, "invalid_date", "registered_on");
    if (strcmp(signed_on, today) > 0)
        return reject(r, "date_in_future", "signed_on");
    if (strcmp(registered_on, today) > 0)
        return reject(r, "date_in_future", "registered_on");
    if (strcmp(registered_on, signed_on) < 0)
        return reject(r, "registered_before_signed", "registered_on");
    if (contract_types_load())
        return reject(r, "no_contract_rules", "rule_set");
    const char *named = api_str(o, "rule_set");
    const struct contract_ruleset *rs =
        named ? contract_types_find(named) : contract_types_for_date(signed_on);
    if (!rs)
        return reject(r, named ? "invalid_value" : "no_contract_rules",
                      named ? "rule_set" : "signed_on");
    json_object_set_new(o, "rule_set", json_string(rs->id));
    const char *field = NULL;
    const char *code = contract_types_check(rs, api_str(o, "type"), api_str(o, "subtype"), &field);
    if (code)
        return reject(r, code, field);
    int64_t amount = ival(o, "contract_amount_fen"), tech = ival(o, "tech_amount_fen");
    if (amount <= 0 || amount > MAX_AMOUNT_FEN)
        return reject(r, "invalid_amount", "contract_amount_fen");
    if (tech < 0 || tech > MAX_AMOUNT_FEN)
        return reject(r, "invalid_amount", "tech_amount_fen");
    if (tech > amount)
        return reject(r, "tech_exceeds_contract", "tech_amount_fen");
    const char *regno = api_str(o, "registration_no");
    if (!regno || strlen(regno) != 16 || strspn(regno, "0123456789") != 16)
        return reject(r, "invalid_registration_no", "registration_no");
    /* The seller registers, at its own location: it must be in the registrar's region. */
    json_t *seller = NULL;
    int rc = org_get(db, &r->user.scope, ival(o, "seller_org_id"), &seller);
    if (rc) {
        if (rc != KC_ERR_NOT_FOUND) {
            api_fail(r, rc, NULL, NULL);
            return false;
        }
        return reject(r, "org_not_found", "seller_org_id");
    }
    json_object_set(o, "region_code", json_object_get(seller, "region_code"));
    json_decref(seller);
    /* The buyer may be anywhere. */
    int64_t n = 0;
    if (db_scalar(db_query(db, "SELECT count(*) FROM orgs WHERE id = ?", "i",
                           ival(o, "buyer_org_id")),
                  &n) != 0 ||
        n == 0)
        return reject(r, "org_not_found", "buyer_org_id");
    if (ival(o, "buyer_org_id") == ival(o, "seller_org_id"))
        return reject(r, "same_party", "buyer_org_id");
    int64_t ach = ival(o, "achievement_id");
    if (ach && (db_scalar(db_query(db, "SELECT count(*) FROM achievements WHERE id = ?", "i",
                                   ach),
                          &n) != 0 ||
                n == 0))
        return reject(r, "not_found_ref", "achievement_id");
    return true;
}

/* Writes the contract as the reply (status 200 or 201). */
static void reply_contract(struct http_req *r, int status, json_t *c)
{
    char *text = json_dumps(c, JSON_COMPACT);
    struct buf out = {0};
    buf_puts(&out, text);
    free(text);
    http_reply_json(r, status, &out);
}

/* Inside the open transaction: 409 when the registration number is taken (by another
 * contract than except_id). Returns 0, KC_ERR_CONFLICT (replied) or a db error. */
static int check_unique(struct http_req *r, struct db *db, json_t *o, int64_t except_id)
{
    bool taken = false;
    int rc = contract_regno_taken(db, api_str(o, "registration_no"), except_id, &taken);
    if (!rc && taken) {
        http_reply_error(r, 409, "duplicate_registration_no", "registration_no");
        return KC_ERR_CONFLICT;
    }
    return rc;
}

/* POST /api/v1/contracts */
int api_contracts_create(struct http_req *r)
{
    struct db *db = api_db(r);
    if (!db)
        return 0;
    json_t *o = api_body(r, contract_fields, true);
    if (!o)
        return 0;
    json_t *after = NULL;
    int64_t id = 0;
    int rc = db_begin(db);
    if (rc) {
        api_fail(r, rc, NULL, NULL);
        goto out;
    }
    if (!validate(r, db, o)) {
        db_rollback(db);
        goto out;
    }
    rc = check_unique(r, db, o, 0);
    if (!rc)
        rc = contract_insert(db, o, r->user.id, &id);
    if (!rc)
        rc = contract_get(db, &r->user.scope, labels(r), id, &after);
    if (!rc) {
        struct audit_ctx ctx = api_audit_ctx(r);
        rc = audit_write(db, &ctx, "create", "contract", id, NULL, after);
    }
    if (!rc)
        rc = db_commit(db);
    else
        db_rollback(db);
    if (rc) {
        if (!r->replied)
            api_fail(r, rc, NULL, NULL);
        goto out;
    }
    reply_contract(r, 201, after);
out:
    json_decref(after);
    json_decref(o);
    return 0;
}

/* Removes the read-only members of a loaded record so it can be merged and re-validated. */
static void strip_readonly(json_t *o)
{
    static const char *ro[] = {"id",           "type_name",         "subtype_name",
                               "seller_name",  "buyer_name",        "buyer_region_code",
                               "region_code",  "region_name",       "achievement_title",
                               "created_at",   "updated_at",        NULL};
    for (const char **k = ro; *k; k++)
        json_object_del(o, *k);
}

/* PATCH /api/v1/contracts/{id} */
int api_contracts_patch(struct http_req *r)
{
    int64_t id;
    struct db *db = api_db(r);
    if (!db || !api_id_param(r, 0, &id))
        return 0;
    json_t *patch = api_body(r, contract_fields, false);
    if (!patch)
        return 0;
    json_t *before = NULL, *merged = NULL, *after = NULL;
    int rc = db_begin(db);
    if (!rc)
        rc = contract_get(db, &r->user.scope, labels(r), id, &before);
    if (rc) {
        db_rollback(db);
        api_fail(r, rc, NULL, NULL);
        goto out;
    }
    merged = json_deep_copy(before);
    strip_readonly(merged);
    /* A new signing date picks the set in force on it again, unless one is named. */
    if (json_object_get(patch, "signed_on") && !json_object_get(patch, "rule_set"))
        json_object_del(merged, "rule_set");
    json_object_update(merged, patch);
    if (!validate(r, db, merged)) {
        db_rollback(db);
        goto out;
    }
    rc = check_unique(r, db, merged, id);
    if (!rc)
        rc = contract_update(db, id, merged, r->user.id);
    if (!rc)
        rc = contract_get(db, &r->user.scope, labels(r), id, &after);
    if (rc == KC_ERR_NOT_FOUND)
        rc = KC_ERR_INVALID; /* cannot happen: the seller is checked in scope */
    if (!rc) {
        struct audit_ctx ctx = api_audit_ctx(r);
        rc = audit_write(db, &ctx, "update", "contract", id, before, after);
    }
    if (!rc)
        rc = db_commit(db);
    else
        db_rollback(db);
    if (rc) {
        if (!r->replied)
            api_fail(r, rc, NULL, NULL);
        goto out;
    }
    reply_contract(r, 200, after);
out:
    json_decref(before);
    json_decref(merged);
    json_decref(after);
    json_decref(patch);
    return 0;
}

/* DELETE /api/v1/contracts/{id} */
int api_contracts_delete(struct http_req *r)
{
    int64_t id;
    struct db *db = api_db(r);
    if (!db || !api_id_param(r, 0, &id))
        return 0;
    json_t *before = NULL;
    int rc = db_begin(db);
    if (!rc)
        rc = contract_get(db, &r->user.scope, labels(r), id, &before);
    if (!rc)
        rc = contract_delete(db, id);
    if (!rc) {
        struct audit_ctx ctx = api_audit_ctx(r);
        rc = audit_write(db, &ctx, "delete", "contract", id, before, NULL);
    }
    if (!rc)
        rc = db_commit(db);
    else
        db_rollback(db);
    json_decref(before);
    if (rc) {
        api_fail(r, rc, NULL, NULL);
        return 0;
    }
    struct buf out = {0};
    buf_puts(&out, "{\"deleted\":true}");
    http_reply_json(r, 200, &out);
    return 0;
}
