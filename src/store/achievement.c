/* achievement.c (store) — SQL for achievements in the API (visibility in achievement.h). */
#include "store/achievement.h"
#include "core/buf.h"
#include "core/timeutil.h"
#include "core/xalloc.h"
#include "db/db.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

const char ach_select_sql[] =
    "SELECT a.id, a.external_id, a.title, a.abstract, a.keywords AS keywords_json, a.discipline, "
    "a.field, a.kind, a.patent_numbers AS patent_numbers_json, a.trl, "
    "a.transfer_modes AS transfer_modes_json, a.price_min_fen, a.price_max_fen, a.owner_org_id, "
    "o.name AS owner_org_name, o.kind AS owner_org_kind, a.region_code, r.name AS region_name, "
    "a.chain, c.name AS chain_name, a.status, a.deal_count, a.created_at, a.updated_at "
    "FROM achievements a LEFT JOIN orgs o ON o.id = a.owner_org_id "
    "LEFT JOIN regions r ON r.code = a.region_code LEFT JOIN chains c ON c.code = a.chain ";

void ach_visible_where(struct buf *sql, struct db_args *args, const struct auth_user *u)
{
    if (!u) {
        buf_puts(sql, "AND a.status = 'published' ");
        return;
    }
    if (u->role->scope == SCOPE_ALL)
        return;
    buf_puts(sql, "AND (a.status = 'published'");
    if (u->org_id) {
        buf_puts(sql, " OR a.owner_org_id = ?");
        db_args_int(args, u->org_id);
    }
    if (u->role->scope == SCOPE_REGION && auth_can(u, CAP_ACH_WRITE)) {
        buf_puts(sql, " OR (a.region_code >= ? AND a.region_code < ?)");
        db_args_text(args, u->scope.lo);
        db_args_text(args, u->scope.hi);
    }
    buf_puts(sql, ") ");
}

bool ach_writable(const struct auth_user *u, int64_t owner_org_id, const char *region_code)
{
    if (!u || !auth_can(u, CAP_ACH_WRITE))
        return false;
    switch (u->role->scope) {
    case SCOPE_ALL:
        return true;
    case SCOPE_REGION:
        return region_code && auth_region_in_scope(u, region_code);
    case SCOPE_ORG:
        return u->org_id && u->org_id == owner_org_id;
    }
    return false;
}

/* A malloc'd copy of the first n bytes of s. */
static char *dupn(const char *s, size_t n)
{
    char *d = xmalloc(n + 1);
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

/* True for ASCII blanks and the ideographic space at s; *len gets its bytes. */
static bool is_blank(const char *s, size_t *len)
{
    if (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n') {
        *len = 1;
        return true;
    }
    if (strncmp(s, "\xE3\x80\x80", 3) == 0) {
        *len = 3;
        return true;
    }
    return false;
}

char *ach_fts_query(const char *q, char ***terms, int *n_terms)
{
    *terms = NULL;
    *n_terms = 0;
    if (!q)
        return NULL;
    struct buf b = {0};
    int cap = 0;
    const char *p = q;
    while (*p && *n_terms < 16) {
        size_t bl;
        while (*p && is_blank(p, &bl))
            p += bl;
        const char *start = p;
        while (*p && !is_blank(p, &bl))
            p++;
        if (p == start)
            break;
        /* A term must hold a letter, digit or CJK character to be searchable. */
        bool useful = false;
        for (const char *c = start; c < p && !useful; c++)
            useful = (unsigned char)*c >= 0x80 || (*c >= '0' && *c <= '9') ||
                     ((*c | 32) >= 'a' && (*c | 32) <= 'z');
        if (!useful)
            continue;
        if (*n_terms == cap) {
            cap = cap ? cap * 2 : 4;
            *terms = xrealloc(*terms, (size_t)cap * sizeof(**terms));
        }
        (*terms)[(*n_terms)++] = dupn(start, (size_t)(p - start));
        if (b.len)
            buf_puts(&b, " ");
        buf_puts(&b, "\"");
        for (const char *c = start; c < p; c++) {
            if (*c == '"')
                buf_puts(&b, "\"\"");
            else
                buf_append(&b, c, 1);
        }
        buf_puts(&b, "\"");
    }
    if (!b.len) {
        buf_free(&b);
        return NULL;
    }
    char *out = xstrdup(buf_str(&b));
    buf_free(&b);
    return out;
}

/* Appends FROM-level join for full-text filtering and the WHERE conditions. */
static void build_from_where(struct buf *sql, struct db_args *args, const struct auth_user *u,
                             const struct ach_filter *f)
{
    if (f->fts) {
        buf_puts(sql, "JOIN (SELECT rowid AS id, rank FROM achievements_fts WHERE "
                      "achievements_fts MATCH ?) f ON f.id = a.id ");
        db_args_text(args, f->fts);
    }
    buf_puts(sql, "WHERE 1=1 ");
    ach_visible_where(sql, args, u);
    static const struct {
        size_t off;       /* member of struct ach_filter */
        const char *cond; /* condition with one ? */
    } eq[] = {
        {offsetof(struct ach_filter, kind), "AND a.kind = ? "},
        {offsetof(struct ach_filter, field), "AND a.field = ? "},
        {offsetof(struct ach_filter, discipline), "AND a.discipline = ? "},
        {offsetof(struct ach_filter, chain), "AND a.chain = ? "},
        {offsetof(struct ach_filter, status), "AND a.status = ? "},
        {offsetof(struct ach_filter, transfer_mode),
         "AND EXISTS (SELECT 1 FROM json_each(a.transfer_modes) WHERE value = ?) "},
    };
    for (size_t i = 0; i < sizeof(eq) / sizeof(eq[0]); i++) {
        const char *v = *(const char *const *)((const char *)f + eq[i].off);
        if (v) {
            buf_puts(sql, eq[i].cond);
            db_args_text(args, v);
        }
    }
    if (f->trl_min) {
        buf_puts(sql, "AND a.trl >= ? ");
        db_args_int(args, f->trl_min);
    }
    if (f->trl_max) {
        buf_puts(sql, "AND a.trl <= ? ");
        db_args_int(args, f->trl_max);
    }
    if (f->owner_org_id) {
        buf_puts(sql, "AND a.owner_org_id = ? ");
        db_args_int(args, f->owner_org_id);
    }
    if (f->region.lo[0]) {
        buf_puts(sql, "AND a.region_code >= ? AND a.region_code < ? ");
        db_args_text(args, f->region.lo);
        db_args_text(args, f->region.hi);
    }
}

int ach_get(struct db *db, const struct auth_user *u, int64_t id, json_t **out)
{
    struct buf sql = {0};
    struct db_args a = {0};
    buf_puts(&sql, ach_select_sql);
    buf_puts(&sql, "WHERE a.id = ? ");
    db_args_int(&a, id);
    ach_visible_where(&sql, &a, u);
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

struct db_stmt *ach_list(struct db *db, const struct auth_user *u, const struct ach_filter *f,
                         const char *sort_col, bool desc, int64_t limit, int64_t offset)
{
    struct buf sql = {0};
    struct db_args a = {0};
    buf_puts(&sql, ach_select_sql);
    build_from_where(&sql, &a, u, f);
    bool rank = strcmp(sort_col, "rank") == 0 && f->fts;
    return db_page(db, &sql, &a, rank ? "f" : "a",
                   rank                            ? "rank"
                   : strcmp(sort_col, "rank") == 0 ? "id"
                                                   : sort_col,
                   rank ? false : desc, limit, offset);
}

int ach_count(struct db *db, const struct auth_user *u, const struct ach_filter *f, int64_t *n)
{
    struct buf sql = {0};
    struct db_args a = {0};
    buf_puts(&sql, "SELECT count(*) FROM achievements a ");
    build_from_where(&sql, &a, u, f);
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

/* Binds an integer member or null at i. */
static int bind_opt_int(struct db_stmt *st, int i, json_t *o, const char *k)
{
    json_t *v = json_object_get(o, k);
    return json_is_integer(v) ? db_bind_int(st, i, json_integer_value(v)) : db_bind_null(st, i);
}

/* Binds the 17 editable columns in the order of the INSERT/UPDATE lists. */
static int bind_cols(struct db_stmt *st, json_t *a)
{
    char *kw = arr_text(a, "keywords"), *pn = arr_text(a, "patent_numbers"),
         *tm = arr_text(a, "transfer_modes");
    int rc = 0, i = 1;
    rc |= db_bind_text(st, i++, s(a, "external_id"));
    rc |= db_bind_text(st, i++, s(a, "title"));
    rc |= db_bind_text(st, i++, s(a, "abstract") ? s(a, "abstract") : "");
    rc |= db_bind_text(st, i++, kw);
    rc |= db_bind_text(st, i++, s(a, "discipline"));
    rc |= db_bind_text(st, i++, s(a, "field"));
    rc |= db_bind_text(st, i++, s(a, "kind"));
    rc |= db_bind_text(st, i++, pn);
    rc |= bind_opt_int(st, i++, a, "trl");
    rc |= db_bind_text(st, i++, tm);
    rc |= bind_opt_int(st, i++, a, "price_min_fen");
    rc |= bind_opt_int(st, i++, a, "price_max_fen");
    rc |= bind_opt_int(st, i++, a, "owner_org_id");
    rc |= db_bind_text(st, i++, s(a, "region_code"));
    rc |= db_bind_text(st, i++, s(a, "chain"));
    rc |= db_bind_text(st, i++, s(a, "status") ? s(a, "status") : "published");
    json_t *dc = json_object_get(a, "deal_count");
    rc |= db_bind_int(st, i++, json_is_integer(dc) ? json_integer_value(dc) : 0);
    free(kw);
    free(pn);
    free(tm);
    return rc ? KC_ERR_DB : 0;
}

int ach_insert(struct db *db, json_t *a, int64_t user_id, int64_t *id)
{
    int64_t now = time_now();
    struct db_stmt *st = db_prep(
        db, "INSERT INTO achievements(external_id, title, abstract, keywords, discipline, field, "
            "kind, patent_numbers, trl, transfer_modes, price_min_fen, price_max_fen, "
            "owner_org_id, region_code, chain, status, deal_count, created_at, updated_at, "
            "created_by, updated_by) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,nullif(?,0),"
            "nullif(?,0))");
    if (!st)
        return KC_ERR_DB;
    int rc = bind_cols(st, a);
    if (!rc && (db_bind_int(st, 18, now) || db_bind_int(st, 19, now) ||
                db_bind_int(st, 20, user_id) || db_bind_int(st, 21, user_id)))
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

int ach_update(struct db *db, int64_t id, json_t *a, int64_t user_id)
{
    struct db_stmt *st = db_prep(
        db, "UPDATE achievements SET external_id=?, title=?, abstract=?, keywords=?, "
            "discipline=?, field=?, kind=?, patent_numbers=?, trl=?, transfer_modes=?, "
            "price_min_fen=?, price_max_fen=?, owner_org_id=?, region_code=?, chain=?, status=?, "
            "deal_count=?, updated_at=?, updated_by=nullif(?,0) WHERE id=?");
    if (!st)
        return KC_ERR_DB;
    int rc = bind_cols(st, a);
    if (!rc && (db_bind_int(st, 18, time_now()) || db_bind_int(st, 19, user_id) ||
                db_bind_int(st, 20, id)))
        rc = KC_ERR_DB;
    if (rc) {
        db_done(st);
        return rc;
    }
    return db_run(st);
}

int ach_delete(struct db *db, int64_t id)
{
    return db_run(db_query(db, "DELETE FROM achievements WHERE id=?", "i", id));
}

bool market_chain_exists(struct db *db, const char *code)
{
    int64_t n = 0;
    return code &&
           db_scalar(db_query(db, "SELECT count(*) FROM chains WHERE code=?", "s", code), &n) ==
               0 &&
           n > 0;
}
