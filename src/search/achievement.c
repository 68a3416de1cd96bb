/* achievement.c — achievements import (JSON Lines, CSV) and the matcher's index
 * loader (rules in achievement.h). */
#include "search/achievement.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/jw.h"
#include "core/timeutil.h"
#include "core/utf8.h"
#include "core/xalloc.h"
#include "db/db.h"
#include "domain/auth.h"
#include "domain/market.h"
#include "io/csv.h"
#include "io/table_read.h"
#include "store/achievement.h"

#include <iconv.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Limits of one row, in characters. */
#define ID_MAX_BYTES 128
#define TITLE_MAX 500
#define ABSTRACT_MAX 20000
#define KEYWORD_MAX 200
#define KEYWORDS_MAX 50
#define DISCIPLINE_MAX 100

/* One validated row. Strings live in the import's arena. */
struct row {
    int64_t line;           /* source line (1-based) */
    const char *ext_id;     /* source id */
    const char *title;      /* title */
    const char *abstract;   /* abstract ("" when absent) */
    const char *keywords;   /* keywords as a compact JSON array */
    const char *discipline; /* discipline or NULL */
    json_t *x;              /* the market fields present in the row (API keys), or NULL */
};

/* The market fields a row may carry: key and type ('s' string, 'i' integer, 'l' list
 * of strings). */
static const struct {
    const char *key; /* API key and column name */
    char type;       /* s, i or l */
} ext_fields[] = {
    {"kind", 's'},          {"field", 's'},         {"chain", 's'},         {"status", 's'},
    {"owner_uscc", 's'},    {"trl", 'i'},           {"price_min_fen", 'i'}, {"price_max_fen", 'i'},
    {"deal_count", 'i'},    {"owner_org_id", 'i'},  {"patent_numbers", 'l'}, {"transfer_modes", 'l'},
};
#define N_EXT (sizeof(ext_fields) / sizeof(ext_fields[0]))

/* Import state shared by both formats. */
struct imp {
    struct db *db;                       /* target */
    FILE *errs;                          /* where row errors go, or NULL */
    struct achievement_import_stats *st; /* counters */
    struct arena ar;                     /* per-row strings (freed per batch) */
    int64_t now;                         /* timestamp for created_at/updated_at */
    int in_batch;                        /* rows written in the open transaction */
    char **seen;                         /* ids seen in this file: open-addressing set */
    size_t seen_cap;                     /* its slots (a power of two) */
    size_t seen_n;                       /* ids in it */
    struct achievement_import_opts *o;   /* options (never NULL) */
    size_t batch_first;                  /* first of o->ids written in the open batch */
    size_t cap_ids;                      /* capacity of o->ids */
};

/* Prints one row error as a JSON line and counts it. field may be NULL. */
static void row_error(struct imp *im, int64_t line, const char *field, const char *code,
                      const char *msg)
{
    im->st->errors++;
    if (!im->errs)
        return;
    struct buf b = {0};
    struct jw w;
    jw_init(&w, &b);
    jw_obj_open(&w);
    jw_kint(&w, "line", line);
    jw_kstr(&w, "field", field);
    jw_kstr(&w, "error", code);
    jw_kstr(&w, "message", msg);
    jw_obj_close(&w);
    fprintf(im->errs, "%s\n", buf_str(&b));
    buf_free(&b);
}

/* FNV-1a of s. */
static size_t str_hash(const char *s)
{
    size_t h = 2166136261u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

/* Adds id to the set of ids seen; returns false when it was already there. */
static bool seen_add(struct imp *im, const char *id)
{
    if ((im->seen_n + 1) * 2 > im->seen_cap) {
        size_t cap = im->seen_cap ? im->seen_cap * 2 : 1024;
        char **t = xcalloc(cap, sizeof(*t));
        for (size_t i = 0; i < im->seen_cap; i++)
            if (im->seen[i]) {
                size_t h = str_hash(im->seen[i]) & (cap - 1);
                while (t[h])
                    h = (h + 1) & (cap - 1);
                t[h] = im->seen[i];
            }
        free(im->seen);
        im->seen = t;
        im->seen_cap = cap;
    }
    size_t h = str_hash(id) & (im->seen_cap - 1);
    for (; im->seen[h]; h = (h + 1) & (im->seen_cap - 1))
        if (strcmp(im->seen[h], id) == 0)
            return false;
    im->seen[h] = xstrdup(id);
    im->seen_n++;
    return true;
}

/* Returns s without surrounding ASCII white space and U+3000 (a copy in the arena). */
static char *trim(struct arena *a, const char *s)
{
    if (!s)
        return NULL;
    const char *e = s + strlen(s);
    for (;;) {
        if (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
            s++;
        else if (strncmp(s, "\xE3\x80\x80", 3) == 0)
            s += 3;
        else
            break;
    }
    for (;;) {
        if (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r' || e[-1] == '\n'))
            e--;
        else if (e - s >= 3 && strncmp(e - 3, "\xE3\x80\x80", 3) == 0)
            e -= 3;
        else
            break;
    }
    return arena_strndup(a, s, (size_t)(e - s));
}

/* Checks a text field: required when need, valid UTF-8, at most max characters.
 * Reports and returns false when it fails. */
static bool check_text(struct imp *im, int64_t line, const char *field, const char *s, bool need,
                       size_t max)
{
    if (!s || !*s) {
        if (need)
            row_error(im, line, field, "required", "the field is required and empty");
        return !need;
    }
    if (!utf8_valid(s, strlen(s))) {
        row_error(im, line, field, "invalid_utf8", "the text is not valid UTF-8");
        return false;
    }
    if (utf8_len(s) > max) {
        char msg[96];
        snprintf(msg, sizeof(msg), "longer than %zu characters", max);
        row_error(im, line, field, "too_long", msg);
        return false;
    }
    return true;
}

/* Validates the keyword list kw (n items, trimmed; empties and repeats dropped) and
 * stores it as a compact JSON array in *out. Reports and returns false on failure. */
static bool keywords_json(struct imp *im, int64_t line, char **kw, int n, const char **out)
{
    json_t *arr = json_array();
    bool ok = true;
    for (int i = 0; i < n && ok; i++) {
        if (!kw[i] || !*kw[i])
            continue;
        if (!check_text(im, line, "keywords", kw[i], false, KEYWORD_MAX)) {
            ok = false;
            break;
        }
        bool dup = false;
        for (size_t j = 0; j < json_array_size(arr); j++)
            dup |= strcmp(json_string_value(json_array_get(arr, j)), kw[i]) == 0;
        if (!dup)
            json_array_append_new(arr, json_string(kw[i]));
    }
    if (ok && json_array_size(arr) > KEYWORDS_MAX) {
        row_error(im, line, "keywords", "too_many", "more than 50 keywords");
        ok = false;
    }
    if (ok) {
        char *s = json_dumps(arr, JSON_COMPACT);
        *out = arena_strdup(&im->ar, s);
        free(s);
    }
    json_decref(arr);
    return ok;
}

/* Opens the next transaction when none is open. */
static int batch_open(struct imp *im)
{
    if (im->in_batch)
        return 0;
    int rc = db_begin(im->db);
    if (!rc)
        im->in_batch = 1;
    return rc;
}

/* Commits the open transaction (if any) after the before_commit hook, and frees the
 * batch's strings. */
static int batch_close(struct imp *im)
{
    arena_free(&im->ar);
    if (!im->in_batch)
        return 0;
    im->in_batch = 0;
    int rc = 0;
    if (im->o->before_commit)
        rc = im->o->before_commit(im->db, im->o->arg, im->o->ids + im->batch_first,
                                  im->o->n_ids - im->batch_first);
    if (rc) {
        db_rollback(im->db);
        im->o->n_ids = im->batch_first;
        return rc;
    }
    im->batch_first = im->o->n_ids;
    return db_commit(im->db);
}

/* Records an id written in the open batch. */
static void note_id(struct imp *im, int64_t id)
{
    if (im->o->n_ids == im->cap_ids) {
        im->cap_ids = im->cap_ids ? im->cap_ids * 2 : 256;
        im->o->ids = xrealloc(im->o->ids, im->cap_ids * sizeof(*im->o->ids));
    }
    im->o->ids[im->o->n_ids++] = id;
}

/* The stored columns compared and written, as API keys. */
static const char *const cmp_keys[] = {
    "title",      "abstract",      "keywords",      "discipline",    "field",
    "kind",       "patent_numbers", "trl",          "transfer_modes", "price_min_fen",
    "price_max_fen", "owner_org_id", "region_code", "chain",          "status",
    "deal_count", NULL};

/* True when a and b agree on every compared key (absent = null). */
static bool same_record(json_t *a, json_t *b)
{
    for (const char *const *k = cmp_keys; *k; k++) {
        json_t *x = json_object_get(a, *k), *y = json_object_get(b, *k);
        if (!x)
            x = json_null();
        if (!y)
            y = json_null();
        if (!json_equal(x, y))
            return false;
    }
    return true;
}

/* Resolves the owner of rec (owner_uscc → owner_org_id), checks it against the
 * importer's scope and sets region_code to the owner's. cur is the stored record (or
 * NULL). Reports and returns false on a problem; KC_ERR_DB through *rc. */
static bool owner_check(struct imp *im, int64_t line, json_t *rec, json_t *cur, int *rc)
{
    const struct auth_user *u = im->o->user;
    const char *uscc = json_string_value(json_object_get(rec, "owner_uscc"));
    if (uscc) {
        int64_t org = 0;
        *rc = db_scalar(db_query(im->db, "SELECT id FROM orgs WHERE uscc=?", "s", uscc), &org);
        if (*rc)
            return false;
        if (!org) {
            row_error(im, line, "owner_uscc", "org_out_of_scope", "no organisation has this USCC");
            return false;
        }
        json_object_set_new(rec, "owner_org_id", json_integer(org));
    }
    json_object_del(rec, "owner_uscc");
    if (cur && u && !ach_writable(u, json_integer_value(json_object_get(cur, "owner_org_id")),
                                  json_string_value(json_object_get(cur, "region_code")))) {
        row_error(im, line, "id", "not_yours",
                  "the achievement with this id belongs to another organisation");
        return false;
    }
    json_t *ov = json_object_get(rec, "owner_org_id");
    int64_t owner = json_is_integer(ov) ? json_integer_value(ov) : 0;
    if (u && u->role->scope == SCOPE_ORG) {
        if (owner && owner != u->org_id) {
            row_error(im, line, "owner_org_id", "org_out_of_scope",
                      "you can import achievements of your own organisation only");
            return false;
        }
        owner = u->org_id;
        json_object_set_new(rec, "owner_org_id", json_integer(owner));
    }
    if (!owner) {
        if (u && u->role->scope == SCOPE_REGION) {
            row_error(im, line, "owner_org_id", "required",
                      "name the owner organisation (owner_org_id or owner_uscc)");
            return false;
        }
        json_object_set_new(rec, "owner_org_id", json_null());
        json_object_set_new(rec, "region_code", json_null());
        return true;
    }
    struct db_stmt *st = db_query(im->db, "SELECT region_code FROM orgs WHERE id=?", "i", owner);
    if (!st) {
        *rc = KC_ERR_DB;
        return false;
    }
    int s = db_step(st);
    char region[8] = "";
    if (s == DB_ROW)
        snprintf(region, sizeof(region), "%s", db_col_text(st, 0));
    db_done(st);
    if (s < 0) {
        *rc = KC_ERR_DB;
        return false;
    }
    if (s != DB_ROW || (u && u->role->scope == SCOPE_REGION && !auth_region_in_scope(u, region))) {
        row_error(im, line, "owner_org_id", "org_out_of_scope",
                  "the owner organisation does not exist or is outside your scope");
        return false;
    }
    json_object_set_new(rec, "region_code", json_string(region));
    return true;
}

/* Writes a validated row: insert, update or nothing. Returns 0 (row errors are
 * counted) or KC_ERR_DB. */
static int store_row(struct imp *im, const struct row *r)
{
    if (!seen_add(im, r->ext_id)) {
        row_error(im, r->line, "id", "duplicate", "the id appears earlier in this file");
        return 0;
    }
    int rc = batch_open(im);
    if (rc)
        return rc;
    struct db_stmt *st = db_query(
        im->db,
        "SELECT id, title, abstract, keywords AS keywords_json, discipline, field, kind, "
        "patent_numbers AS patent_numbers_json, trl, transfer_modes AS transfer_modes_json, "
        "price_min_fen, price_max_fen, owner_org_id, region_code, chain, status, deal_count "
        "FROM achievements WHERE external_id=?",
        "s", r->ext_id);
    if (!st)
        return KC_ERR_DB;
    int s = db_step(st);
    json_t *cur = s == DB_ROW ? db_row_json(st) : NULL;
    db_done(st);
    if (s < 0)
        return s;
    int64_t id = cur ? json_integer_value(json_object_get(cur, "id")) : 0;
    json_t *rec = cur ? json_deep_copy(cur) : json_object();
    json_object_set_new(rec, "external_id", json_string(r->ext_id));
    json_object_set_new(rec, "title", json_string(r->title));
    json_object_set_new(rec, "abstract", json_string(r->abstract));
    json_object_set_new(rec, "keywords", json_loads(r->keywords, 0, NULL));
    json_object_set_new(rec, "discipline", r->discipline ? json_string(r->discipline) : json_null());
    if (r->x)
        json_object_update(rec, r->x);
    if (!cur && !json_is_string(json_object_get(rec, "status")))
        json_object_set_new(rec, "status", json_string("published"));
    struct market_problem p;
    const char *chain = json_string_value(json_object_get(rec, "chain"));
    if (!owner_check(im, r->line, rec, cur, &rc)) {
        /* reported (or rc set) */
    } else if (!market_ach_check(rec, &p)) {
        row_error(im, r->line, p.field, p.code, "the value is not valid here");
    } else if (chain && !market_chain_exists(im->db, chain)) {
        row_error(im, r->line, "chain", "invalid_value", "unknown industry chain code");
    } else if (cur && same_record(cur, rec)) {
        im->st->unchanged++;
    } else {
        int64_t uid = im->o->user ? im->o->user->id : 0;
        if (cur) {
            rc = ach_update(im->db, id, rec, uid);
            if (!rc)
                im->st->updated++;
        } else {
            rc = ach_insert(im->db, rec, uid, &id);
            if (!rc)
                im->st->inserted++;
        }
        if (rc == KC_ERR_CONFLICT) {
            row_error(im, r->line, NULL, "conflict", "the database refused the row");
            rc = 0;
        } else if (!rc) {
            note_id(im, id);
        }
    }
    json_decref(cur);
    json_decref(rec);
    if (rc)
        return rc;
    if (im->o->max_rows && im->st->rows > im->o->max_rows)
        return KC_ERR_TOO_LARGE;
    int64_t batch = im->o->batch ? im->o->batch : ACHIEVEMENT_BATCH;
    if (++im->in_batch > batch) {
        int rc2 = batch_close(im);
        if (!rc2 && im->o->after_commit && !im->o->after_commit(im->o->tick_arg, im->st))
            rc2 = ACHIEVEMENT_STOPPED;
        return rc2;
    }
    return 0;
}

/* Validates the common fields of a row (already trimmed) and stores it. */
static int finish_row(struct imp *im, struct row *r)
{
    if (!check_text(im, r->line, "id", r->ext_id, true, ID_MAX_BYTES))
        return 0;
    if (strlen(r->ext_id) > ID_MAX_BYTES) {
        row_error(im, r->line, "id", "too_long", "longer than 128 bytes");
        return 0;
    }
    if (!check_text(im, r->line, "title", r->title, true, TITLE_MAX) ||
        !check_text(im, r->line, "abstract", r->abstract, false, ABSTRACT_MAX) ||
        !check_text(im, r->line, "discipline", r->discipline, false, DISCIPLINE_MAX))
        return 0;
    if (!r->abstract)
        r->abstract = "";
    if (r->discipline && !*r->discipline)
        r->discipline = NULL;
    return store_row(im, r);
}

/* Splits a list cell on ";", "；" and "_" into a JSON array of trimmed, non-empty
 * strings. */
static json_t *split_list(struct arena *a, const char *s);

/* Collects the market fields of a JSON Lines object into *out (NULL when none).
 * Reports a wrongly typed member and returns false. */
static bool ext_from_json(struct imp *im, int64_t line, json_t *o, json_t **out)
{
    *out = NULL;
    for (size_t i = 0; i < N_EXT; i++) {
        json_t *v = json_object_get(o, ext_fields[i].key);
        if (!v)
            continue;
        json_t *val = NULL;
        const char *bad = NULL;
        if (json_is_null(v)) {
            val = json_null();
        } else if (ext_fields[i].type == 's') {
            if (json_is_string(v))
                val = json_string(trim(&im->ar, json_string_value(v)));
            else
                bad = "not_a_string";
        } else if (ext_fields[i].type == 'i') {
            if (json_is_integer(v))
                val = json_incref(v);
            else
                bad = "not_an_integer";
        } else if (json_is_string(v)) {
            val = split_list(&im->ar, json_string_value(v));
        } else if (json_is_array(v)) {
            val = json_array();
            size_t k;
            json_t *e;
            json_array_foreach(v, k, e)
            {
                if (!json_is_string(e)) {
                    bad = "not_a_string";
                    break;
                }
                json_array_append_new(val, json_string(trim(&im->ar, json_string_value(e))));
            }
        } else {
            bad = "not_an_array";
        }
        if (bad) {
            json_decref(val);
            json_decref(*out);
            *out = NULL;
            row_error(im, line, ext_fields[i].key, bad, "the field has the wrong type");
            return false;
        }
        if (!*out)
            *out = json_object();
        json_object_set_new(*out, ext_fields[i].key, val);
    }
    return true;
}

/* Imports one JSON Lines line (len bytes, no newline). */
static int jsonl_line(struct imp *im, int64_t line, const char *s, size_t len)
{
    size_t i = 0;
    while (i < len && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r'))
        i++;
    if (i == len)
        return 0; /* blank lines are not rows */
    im->st->rows++;
    json_error_t err;
    json_t *o = json_loadb(s, len, JSON_REJECT_DUPLICATES, &err);
    if (!json_is_object(o)) {
        row_error(im, line, NULL, "invalid_json", o ? "the line is not a JSON object" : err.text);
        json_decref(o);
        return 0;
    }
    struct row r = {.line = line};
    int rc = 0;
    const char *bad = NULL;
    json_t *v = json_object_get(o, "id");
    if (json_is_integer(v))
        r.ext_id = arena_printf(&im->ar, "%lld", (long long)json_integer_value(v));
    else if (json_is_string(v))
        r.ext_id = trim(&im->ar, json_string_value(v));
    else if (v && !json_is_null(v))
        bad = "id";
    static const char *names[] = {"title", "abstract", "discipline"};
    const char **dst[] = {&r.title, &r.abstract, &r.discipline};
    for (int f = 0; f < 3 && !bad; f++) {
        v = json_object_get(o, names[f]);
        if (json_is_string(v))
            *dst[f] = trim(&im->ar, json_string_value(v));
        else if (v && !json_is_null(v))
            bad = names[f];
    }
    if (bad) {
        row_error(im, line, bad, "not_a_string", "the field must be a string");
        goto out;
    }
    v = json_object_get(o, "keywords");
    if (v && !json_is_null(v) && !json_is_array(v)) {
        row_error(im, line, "keywords", "not_an_array", "keywords must be an array of strings");
        goto out;
    }
    size_t n_kw = json_array_size(v);
    char **kw = arena_alloc(&im->ar, (n_kw + 1) * sizeof(*kw));
    for (size_t k = 0; k < n_kw; k++) {
        json_t *e = json_array_get(v, k);
        if (!json_is_string(e)) {
            row_error(im, line, "keywords", "not_a_string", "every keyword must be a string");
            goto out;
        }
        kw[k] = trim(&im->ar, json_string_value(e));
    }
    if (!r.ext_id || !*r.ext_id) {
        row_error(im, line, "id", "required", "the field is required and empty");
        goto out;
    }
    if (!ext_from_json(im, line, o, &r.x))
        goto out;
    if (keywords_json(im, line, kw, (int)n_kw, &r.keywords))
        rc = finish_row(im, &r);
out:
    json_decref(r.x);
    json_decref(o);
    return rc;
}

/* Imports JSON Lines. */
static int import_jsonl(struct imp *im, const char *data, size_t len)
{
    const char *p = data, *end = data + len;
    if (len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
        p += 3;
    int64_t line = 0;
    int rc = 0;
    while (p < end && !rc) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *le = nl ? nl : end;
        rc = jsonl_line(im, ++line, p, (size_t)(le - p));
        p = nl ? nl + 1 : end;
    }
    return rc;
}

/* Splits a CSV keywords cell on ";", "；" and "_" into trimmed pieces. */
static int split_keywords(struct arena *a, const char *s, char ***out)
{
    int cap = 8, n = 0;
    char **kw = arena_alloc(a, (size_t)cap * sizeof(*kw));
    const char *p = s ? s : "";
    while (*p) {
        const char *e = p;
        size_t sep = 0;
        while (*e) {
            if (*e == ';' || *e == '_') {
                sep = 1;
                break;
            }
            if (strncmp(e, "\xEF\xBC\x9B", 3) == 0) { /* ； */
                sep = 3;
                break;
            }
            e++;
        }
        if (n == cap) {
            char **t = arena_alloc(a, (size_t)cap * 2 * sizeof(*t));
            memcpy(t, kw, (size_t)cap * sizeof(*t));
            kw = t;
            cap *= 2;
        }
        kw[n++] = trim(a, arena_strndup(a, p, (size_t)(e - p)));
        p = *e ? e + sep : e;
    }
    *out = kw;
    return n;
}

static json_t *split_list(struct arena *a, const char *s)
{
    char **parts;
    int n = split_keywords(a, s, &parts);
    json_t *arr = json_array();
    for (int i = 0; i < n; i++)
        if (parts[i] && *parts[i])
            json_array_append_new(arr, json_string(parts[i]));
    return arr;
}

/* Converts GB18030 text to UTF-8 (malloc'd, *out_len bytes); NULL when it is not
 * GB18030 either. */
static char *from_gb18030(const char *data, size_t len, size_t *out_len)
{
    iconv_t cd = iconv_open("UTF-8", "GB18030");
    if (cd == (iconv_t)-1)
        return NULL;
    size_t cap = len * 2 + 16, left = cap;
    char *out = xmalloc(cap), *o = out;
    char *in = (char *)data;
    size_t in_left = len;
    size_t r = iconv(cd, &in, &in_left, &o, &left);
    iconv_close(cd);
    if (r == (size_t)-1 || in_left) {
        free(out);
        return NULL;
    }
    *out_len = cap - left;
    return out;
}

/* Imports CSV with a header row. */
static int import_csv(struct imp *im, const char *data, size_t len)
{
    char *converted = NULL;
    if (!utf8_valid(data, len)) {
        size_t n = 0;
        converted = from_gb18030(data, len, &n);
        if (!converted || !utf8_valid(converted, n)) {
            free(converted);
            row_error(im, 1, NULL, "encoding", "the file is neither UTF-8 nor GB18030");
            return KC_ERR_INVALID;
        }
        data = converted;
        len = n;
    }
    struct csv_reader r;
    csv_init(&r, data, len);
    enum { C_ID, C_TITLE, C_ABSTRACT, C_KEYWORDS, C_DISCIPLINE, N_COLS };
    static const char *names[N_COLS] = {"id", "title", "abstract", "keywords", "discipline"};
    int col[N_COLS] = {-1, -1, -1, -1, -1};
    int xcol[N_EXT];
    for (size_t c = 0; c < N_EXT; c++)
        xcol[c] = -1;
    struct arena hdr = {0};
    char *f[64];
    int64_t line = 1;
    int rc = 0;
    bool header = true;
    while (!rc) {
        while (r.p < r.end && (*r.p == '\n' || *r.p == '\r'))
            line += *r.p++ == '\n';
        int64_t rec_line = line;
        const char *before = r.p;
        int n = csv_next(&r, header ? &hdr : &im->ar, f, 64);
        for (const char *q = before; q < r.p; q++)
            line += *q == '\n';
        if (n == 0)
            break;
        if (n < 0) {
            im->st->rows++;
            row_error(im, rec_line, NULL, "invalid_csv", "unterminated quoted field");
            break;
        }
        if (header) {
            header = false;
            for (int i = 0; i < n; i++) {
                char *h = trim(&hdr, f[i]);
                for (int c = 0; c < N_COLS; c++)
                    if (strcasecmp(h, names[c]) == 0 && col[c] < 0)
                        col[c] = i;
                for (size_t c = 0; c < N_EXT; c++)
                    if (strcasecmp(h, ext_fields[c].key) == 0 && xcol[c] < 0)
                        xcol[c] = i;
            }
            if (col[C_ID] < 0 || col[C_TITLE] < 0) {
                row_error(im, rec_line, col[C_ID] < 0 ? "id" : "title", "missing_column",
                          "the header row must name the columns id and title");
                rc = KC_ERR_INVALID;
            }
            continue;
        }
        im->st->rows++;
        const char *v[N_COLS];
        for (int c = 0; c < N_COLS; c++)
            v[c] = col[c] >= 0 && col[c] < n ? trim(&im->ar, f[col[c]]) : NULL;
        struct row row = {.line = rec_line,
                          .ext_id = v[C_ID],
                          .title = v[C_TITLE],
                          .abstract = v[C_ABSTRACT],
                          .discipline = v[C_DISCIPLINE]};
        bool ok = true;
        for (size_t c = 0; c < N_EXT && ok; c++) {
            const char *cell = xcol[c] >= 0 && xcol[c] < n ? trim(&im->ar, f[xcol[c]]) : NULL;
            if (!cell || !*cell)
                continue; /* an empty cell keeps the stored value */
            json_t *val = NULL;
            if (ext_fields[c].type == 's') {
                val = json_string(cell);
            } else if (ext_fields[c].type == 'l') {
                val = split_list(&im->ar, cell);
            } else {
                char *end;
                long long x = strtoll(cell, &end, 10);
                if (*end) {
                    row_error(im, rec_line, ext_fields[c].key, "not_an_integer",
                              "the field must be an integer");
                    ok = false;
                    break;
                }
                val = json_integer(x);
            }
            if (!val) {
                row_error(im, rec_line, ext_fields[c].key, "invalid_utf8",
                          "the text is not valid UTF-8");
                ok = false;
                break;
            }
            if (!row.x)
                row.x = json_object();
            json_object_set_new(row.x, ext_fields[c].key, val);
        }
        char **kw;
        int n_kw = split_keywords(&im->ar, v[C_KEYWORDS], &kw);
        if (ok && keywords_json(im, rec_line, kw, n_kw, &row.keywords))
            rc = finish_row(im, &row);
        json_decref(row.x);
    }
    arena_free(&hdr);
    free(converted);
    return rc;
}

/* Imports a buffer: detects the format, runs the row loop, commits the last batch
 * (or rolls the open one back on a database error). */
int achievement_import(struct db *db, const char *data, size_t len, enum achievement_format fmt,
                       FILE *errs, struct achievement_import_stats *st)
{
    struct achievement_import_opts o = {0};
    int rc = achievement_import_ex(db, data, len, fmt, errs, &o, st);
    free(o.ids);
    return rc;
}

int achievement_import_ex(struct db *db, const char *data, size_t len,
                          enum achievement_format fmt, FILE *errs,
                          struct achievement_import_opts *o, struct achievement_import_stats *st)
{
    memset(st, 0, sizeof(*st));
    o->ids = NULL;
    o->n_ids = 0;
    if (fmt == ACHIEVEMENT_AUTO) {
        size_t i = len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
        while (i < len && (data[i] == ' ' || data[i] == '\t' || data[i] == '\r' || data[i] == '\n'))
            i++;
        fmt = i < len && data[i] == '{' ? ACHIEVEMENT_JSONL : ACHIEVEMENT_CSV;
    }
    struct imp im = {.db = db, .errs = errs, .st = st, .now = time_now(), .o = o};
    int rc = fmt == ACHIEVEMENT_JSONL ? import_jsonl(&im, data, len) : import_csv(&im, data, len);
    if (rc) {
        arena_free(&im.ar);
        if (im.in_batch) {
            db_rollback(db);
            o->n_ids = im.batch_first;
        }
    } else {
        rc = batch_close(&im);
    }
    for (size_t i = 0; i < im.seen_cap; i++)
        free(im.seen[i]);
    free(im.seen);
    return rc;
}

/* True when path ends with suffix (ASCII case-insensitive). */
static bool ends_with(const char *path, const char *suffix)
{
    size_t n = strlen(path), m = strlen(suffix);
    return n >= m && strcasecmp(path + n - m, suffix) == 0;
}

/* Appends one CSV field (quoted when needed) to b. */
static void csv_field(struct buf *b, const char *s)
{
    if (!s)
        return;
    if (!strpbrk(s, ",\"\r\n")) {
        buf_puts(b, s);
        return;
    }
    buf_puts(b, "\"");
    for (; *s; s++) {
        if (*s == '"')
            buf_puts(b, "\"\"");
        else
            buf_append(b, s, 1);
    }
    buf_puts(b, "\"");
}

int achievement_xlsx_csv(const char *path, int64_t max_rows, struct buf *out)
{
    struct table_reader *t = NULL;
    struct table_error err;
    int rc = table_open(path, TABLE_XLSX, NULL, &t, &err);
    if (rc)
        return rc;
    struct table_row row;
    int64_t rows = 0;
    uint64_t line = 1;
    while ((rc = table_next(t, &row)) == 1 && (!max_rows || rows < max_rows)) {
        if (row.n == 0)
            continue;
        for (; line < row.number; line++)
            buf_puts(out, "\n");
        for (int i = 0; i < row.n; i++) {
            if (i)
                buf_puts(out, ",");
            csv_field(out, row.cell[i]);
        }
        buf_puts(out, "\n");
        line++;
        rows++;
    }
    table_close(t);
    return rc < 0 ? rc : 0;
}

/* Reads a whole file and imports it; the format comes from its extension. */
int achievement_import_file(struct db *db, const char *path, FILE *errs,
                            struct achievement_import_stats *st)
{
    memset(st, 0, sizeof(*st));
    enum achievement_format fmt = ACHIEVEMENT_AUTO;
    if (ends_with(path, ".xls"))
        return KC_ERR_INVALID;
    if (ends_with(path, ".xlsx")) {
        struct buf b = {0};
        int rc = achievement_xlsx_csv(path, 0, &b);
        if (!rc)
            rc = achievement_import(db, buf_str(&b), b.len, ACHIEVEMENT_CSV, errs, st);
        buf_free(&b);
        return rc == KC_ERR_IO ? KC_ERR_IO : rc;
    }
    if (ends_with(path, ".jsonl") || ends_with(path, ".json") || ends_with(path, ".ndjson"))
        fmt = ACHIEVEMENT_JSONL;
    else if (ends_with(path, ".csv"))
        fmt = ACHIEVEMENT_CSV;
    FILE *f = fopen(path, "rb");
    if (!f)
        return KC_ERR_IO;
    struct buf b = {0};
    char chunk[65536];
    size_t got;
    while ((got = fread(chunk, 1, sizeof(chunk), f)) > 0)
        buf_append(&b, chunk, got);
    int bad = ferror(f);
    fclose(f);
    int rc = bad ? KC_ERR_IO : achievement_import(db, buf_str(&b), b.len, fmt, errs, st);
    buf_free(&b);
    return rc;
}

/* Streams the achievements table into a matcher build. */
int achievement_index_build(struct db *db, const struct match_params *p, struct match_index **out)
{
    struct db_stmt *st = db_prep(db, "SELECT id, title, keywords, abstract, discipline "
                                     "FROM achievements ORDER BY id");
    if (!st)
        return KC_ERR_DB;
    struct match_builder *b = match_builder_new(p);
    int s;
    while ((s = db_step(st)) == DB_ROW) {
        struct match_doc d = {.id = db_col_int(st, 0),
                              .text = {db_col_text(st, 1), db_col_text(st, 2), db_col_text(st, 3)},
                              .discipline = db_col_text(st, 4)};
        match_builder_add(b, &d);
    }
    db_done(st);
    struct match_index *ix = match_builder_finish(b);
    if (s < 0) {
        match_index_free(ix);
        return KC_ERR_DB;
    }
    *out = ix;
    return 0;
}

/* Loads one achievement's indexed texts (malloc'd copies) for explaining a match. */
int achievement_text_load(struct db *db, int64_t id, struct achievement_text *t)
{
    memset(t, 0, sizeof(*t));
    struct db_stmt *st = db_query(db,
                                  "SELECT external_id, title, keywords, abstract, discipline "
                                  "FROM achievements WHERE id=?",
                                  "i", id);
    if (!st)
        return KC_ERR_DB;
    int s = db_step(st);
    if (s == DB_ROW) {
        t->external_id = xstrdup(db_col_text(st, 0));
        t->doc.id = id;
        for (int f = 0; f < MATCH_N_FIELDS; f++)
            t->doc.text[f] = xstrdup(db_col_text(st, 1 + f));
        t->doc.discipline = xstrdup(db_col_text(st, 4));
    }
    db_done(st);
    return s == DB_ROW ? 0 : s < 0 ? s : KC_ERR_NOT_FOUND;
}

/* Frees the copies made by achievement_text_load. */
void achievement_text_free(struct achievement_text *t)
{
    free(t->external_id);
    for (int f = 0; f < MATCH_N_FIELDS; f++)
        free((char *)t->doc.text[f]);
    free((char *)t->doc.discipline);
    memset(t, 0, sizeof(*t));
}
