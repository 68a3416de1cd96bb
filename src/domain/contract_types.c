/* contract_types.c — parses and serves the technology-contract type sets (see the header). */
#include "domain/contract_types.h"
#include "core/asset.h"
#include "core/buf.h"
#include "core/log.h"
#include "core/timeutil.h"
#include "core/xalloc.h"

#include <jansson.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Formats a parse error into err and returns KC_ERR_INVALID. */
__attribute__((format(printf, 3, 4))) static int fail(char *err, size_t errlen, const char *fmt,
                                                      ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
    return KC_ERR_INVALID;
}

/* A required non-empty string member copied with xstrdup, or NULL. */
static char *dup_text(json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s && *s ? xstrdup(s) : NULL;
}

/* True when s is a non-empty ASCII code of [a-z0-9_] (used in JSON paths and SQL). */
static bool valid_code(const char *s)
{
    if (!s || !*s || strlen(s) > 40)
        return false;
    return strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789_") == strlen(s);
}

/* True when every key of o is in allowed (NULL-terminated); "comment" is always allowed. */
static bool only_keys(json_t *o, const char *const *allowed, const char **bad)
{
    const char *k;
    json_t *v;
    json_object_foreach(o, k, v)
    {
        (void)v;
        const char *const *a = allowed;
        while (*a && strcmp(*a, k) != 0)
            a++;
        if (!*a && strcmp(k, "comment") != 0) {
            *bad = k;
            return false;
        }
    }
    return true;
}

/* Parses a {"code","zh","en"} entry into code/zh/en; path names it in errors. */
static int parse_label(json_t *o, const char *path, char **code, char **zh, char **en, char *err,
                       size_t errlen)
{
    *code = dup_text(o, "code");
    *zh = dup_text(o, "zh");
    *en = dup_text(o, "en");
    if (!valid_code(*code))
        return fail(err, errlen, "%s.code: a code of a-z, 0-9 and _ is required", path);
    if (!*zh || !*en)
        return fail(err, errlen, "%s: zh and en labels are required", path);
    return 0;
}

/* Parses the types array into rs. */
static int parse_types(json_t *types, struct contract_ruleset *rs, char *err, size_t errlen)
{
    static const char *const type_keys[] = {"code", "zh", "en", "subtypes", NULL};
    static const char *const sub_keys[] = {"code", "zh", "en", NULL};
    if (!json_is_array(types) || json_array_size(types) == 0)
        return fail(err, errlen, "types: a non-empty array is required");
    rs->types = xcalloc(json_array_size(types), sizeof(*rs->types));
    size_t i;
    json_t *t;
    json_array_foreach(types, i, t)
    {
        char path[64];
        snprintf(path, sizeof(path), "types[%zu]", i);
        const char *bad = NULL;
        if (!json_is_object(t))
            return fail(err, errlen, "%s: an object is required", path);
        if (!only_keys(t, type_keys, &bad))
            return fail(err, errlen, "%s: unknown member \"%s\"", path, bad);
        struct contract_type *ty = &rs->types[rs->n_types++];
        int rc = parse_label(t, path, &ty->code, &ty->zh, &ty->en, err, errlen);
        if (rc)
            return rc;
        for (size_t j = 0; j + 1 < rs->n_types; j++)
            if (strcmp(rs->types[j].code, ty->code) == 0)
                return fail(err, errlen, "%s.code: \"%s\" is repeated", path, ty->code);
        json_t *subs = json_object_get(t, "subtypes");
        if (!json_is_array(subs))
            return fail(err, errlen, "%s.subtypes: an array is required (empty for none)", path);
        ty->subs = json_array_size(subs) ? xcalloc(json_array_size(subs), sizeof(*ty->subs))
                                         : NULL;
        size_t k;
        json_t *s;
        json_array_foreach(subs, k, s)
        {
            char sp[96];
            snprintf(sp, sizeof(sp), "%s.subtypes[%zu]", path, k);
            if (!json_is_object(s))
                return fail(err, errlen, "%s: an object is required", sp);
            if (!only_keys(s, sub_keys, &bad))
                return fail(err, errlen, "%s: unknown member \"%s\"", sp, bad);
            struct contract_subtype *st = &ty->subs[ty->n_subs++];
            rc = parse_label(s, sp, &st->code, &st->zh, &st->en, err, errlen);
            if (rc)
                return rc;
            if (strcmp(st->code, "_") == 0)
                return fail(err, errlen, "%s.code: \"_\" is reserved", sp);
            for (size_t j = 0; j + 1 < ty->n_subs; j++)
                if (strcmp(ty->subs[j].code, st->code) == 0)
                    return fail(err, errlen, "%s.code: \"%s\" is repeated", sp, st->code);
        }
    }
    return 0;
}

/* Copies a YYYY-MM-DD member into out; null allowed when may_be_null (then *was_null). */
static int parse_date(json_t *root, const char *key, bool may_be_null, char out[11],
                      bool *was_null, char *err, size_t errlen)
{
    json_t *v = json_object_get(root, key);
    int64_t t;
    if (may_be_null && json_is_null(v)) {
        snprintf(out, 11, "9999-12-31");
        *was_null = true;
        return 0;
    }
    if (!json_is_string(v) || time_parse_date(json_string_value(v), &t) != 0)
        return fail(err, errlen, "%s: a date YYYY-MM-DD is required", key);
    snprintf(out, 11, "%s", json_string_value(v));
    return 0;
}

/* Parses the root object. */
static int parse_root(json_t *root, struct contract_ruleset *rs, char *err, size_t errlen)
{
    static const char *const keys[] = {"kind",     "schema",         "id",           "family",
                                       "title_zh", "title_en",       "source",       "research",
                                       "effective_from", "effective_to", "provisional", "types",
                                       NULL};
    const char *bad = NULL;
    if (!json_is_object(root))
        return fail(err, errlen, "$: an object is required");
    if (!only_keys(root, keys, &bad))
        return fail(err, errlen, "$: unknown member \"%s\"", bad);
    const char *kind = json_string_value(json_object_get(root, "kind"));
    if (!kind || strcmp(kind, "contract-types") != 0)
        return fail(err, errlen, "kind: must be \"contract-types\"");
    if (json_integer_value(json_object_get(root, "schema")) != 1)
        return fail(err, errlen, "schema: must be 1");
    rs->id = dup_text(root, "id");
    if (!rs->id || strncmp(rs->id, "contract-", 9) != 0)
        return fail(err, errlen, "id: must start with \"contract-\"");
    rs->title_zh = dup_text(root, "title_zh");
    rs->title_en = dup_text(root, "title_en");
    rs->source = dup_text(root, "source");
    if (!rs->title_zh || !rs->title_en || !rs->source)
        return fail(err, errlen, "$: title_zh, title_en and source are required");
    bool ignored = false;
    int rc = parse_date(root, "effective_from", false, rs->from, &ignored, err, errlen);
    if (!rc)
        rc = parse_date(root, "effective_to", true, rs->to, &rs->open_ended, err, errlen);
    if (rc)
        return rc;
    if (strcmp(rs->from, rs->to) > 0)
        return fail(err, errlen, "effective_to: before effective_from");
    json_t *prov = json_object_get(root, "provisional");
    if (prov && !json_is_null(prov)) {
        rs->prov_zh = dup_text(prov, "zh");
        rs->prov_en = dup_text(prov, "en");
        if (!json_is_object(prov) || !rs->prov_zh || !rs->prov_en || json_object_size(prov) != 2)
            return fail(err, errlen, "provisional: null or {\"zh\",\"en\"}");
    }
    return parse_types(json_object_get(root, "types"), rs, err, errlen);
}

int contract_ruleset_parse(const char *json, size_t len, struct contract_ruleset **out, char *err,
                           size_t errlen)
{
    *out = NULL;
    json_error_t jerr;
    json_t *root = json_loadb(json, len, JSON_REJECT_DUPLICATES, &jerr);
    if (!root)
        return fail(err, errlen, "line %d: %s", jerr.line, jerr.text);
    struct contract_ruleset *rs = xcalloc(1, sizeof(*rs));
    int rc = parse_root(root, rs, err, errlen);
    json_decref(root);
    if (rc) {
        contract_ruleset_free(rs);
        return rc;
    }
    *out = rs;
    return 0;
}

void contract_ruleset_free(struct contract_ruleset *rs)
{
    if (!rs)
        return;
    for (size_t i = 0; i < rs->n_types; i++) {
        struct contract_type *t = &rs->types[i];
        for (size_t j = 0; j < t->n_subs; j++) {
            free(t->subs[j].code);
            free(t->subs[j].zh);
            free(t->subs[j].en);
        }
        free(t->subs);
        free(t->code);
        free(t->zh);
        free(t->en);
    }
    free(rs->types);
    free(rs->id);
    free(rs->title_zh);
    free(rs->title_en);
    free(rs->source);
    free(rs->prov_zh);
    free(rs->prov_en);
    free(rs);
}

/* The process-wide registry, filled once by load_once. */
static struct {
    struct contract_ruleset **sets; /* sorted by effective_from */
    size_t n;                       /* their count */
    char *labels[2];                /* labels JSON: [0] Chinese, [1] English */
    int rc;                         /* result of the load */
} reg;
static pthread_once_t reg_once = PTHREAD_ONCE_INIT;

/* Adds the labels of rs to the objects zh / en (type "_" and sub-type codes). */
static void add_labels(json_t *zh, json_t *en, const struct contract_ruleset *rs)
{
    for (size_t i = 0; i < rs->n_types; i++) {
        const struct contract_type *t = &rs->types[i];
        json_t *tz = json_object_get(zh, t->code), *te = json_object_get(en, t->code);
        if (!tz) {
            tz = json_object();
            te = json_object();
            json_object_set_new(zh, t->code, tz);
            json_object_set_new(en, t->code, te);
        }
        json_object_set_new(tz, "_", json_string(t->zh));
        json_object_set_new(te, "_", json_string(t->en));
        for (size_t j = 0; j < t->n_subs; j++) {
            json_object_set_new(tz, t->subs[j].code, json_string(t->subs[j].zh));
            json_object_set_new(te, t->subs[j].code, json_string(t->subs[j].en));
        }
    }
}

/* Orders sets by their first day in force. */
static int by_from(const void *a, const void *b)
{
    const struct contract_ruleset *x = *(const struct contract_ruleset *const *)a;
    const struct contract_ruleset *y = *(const struct contract_ruleset *const *)b;
    return strcmp(x->from, y->from);
}

/* Parses every embedded contract-types file; sets reg.rc. */
static void load_once(void)
{
    static const char prefix[] = "data/rules/";
    for (size_t i = 0; i < assets_data_count && reg.rc == 0; i++) {
        const struct asset *a = &assets_data[i];
        if (strncmp(a->path, prefix, sizeof(prefix) - 1) != 0)
            continue;
        json_t *root = json_loadb((const char *)a->data, a->len, 0, NULL);
        const char *kind = json_string_value(json_object_get(root, "kind"));
        bool mine = kind && strcmp(kind, "contract-types") == 0;
        json_decref(root);
        if (!mine)
            continue;
        char err[300];
        struct contract_ruleset *rs = NULL;
        if (contract_ruleset_parse((const char *)a->data, a->len, &rs, err, sizeof(err)) != 0) {
            log_msg(LOG_ERROR, "contract type set rejected", "path", a->path, "reason", err,
                    NULL);
            reg.rc = KC_ERR_INVALID;
            break;
        }
        reg.sets = xrealloc(reg.sets, (reg.n + 1) * sizeof(*reg.sets));
        reg.sets[reg.n++] = rs;
    }
    if (reg.rc == 0 && reg.n == 0) {
        log_msg(LOG_ERROR, "no contract type sets embedded", NULL);
        reg.rc = KC_ERR_INVALID;
    }
    if (reg.rc)
        return;
    qsort(reg.sets, reg.n, sizeof(*reg.sets), by_from);
    for (size_t i = 0; i + 1 < reg.n; i++) {
        if (strcmp(reg.sets[i]->to, reg.sets[i + 1]->from) >= 0) {
            log_msg(LOG_ERROR, "contract type sets overlap", "set", reg.sets[i]->id, "next",
                    reg.sets[i + 1]->id, NULL);
            reg.rc = KC_ERR_INVALID;
            return;
        }
    }
    json_t *zh = json_object(), *en = json_object();
    for (size_t i = 0; i < reg.n; i++)
        add_labels(zh, en, reg.sets[i]);
    reg.labels[0] = json_dumps(zh, JSON_COMPACT);
    reg.labels[1] = json_dumps(en, JSON_COMPACT);
    json_decref(zh);
    json_decref(en);
}

int contract_types_load(void)
{
    pthread_once(&reg_once, load_once);
    return reg.rc;
}

size_t contract_types_count(void)
{
    return contract_types_load() ? 0 : reg.n;
}

const struct contract_ruleset *contract_types_at(size_t i)
{
    return i < contract_types_count() ? reg.sets[i] : NULL;
}

const struct contract_ruleset *contract_types_find(const char *id)
{
    for (size_t i = 0; id && i < contract_types_count(); i++)
        if (strcmp(reg.sets[i]->id, id) == 0)
            return reg.sets[i];
    return NULL;
}

const struct contract_ruleset *contract_types_for_date(const char *date)
{
    for (size_t i = 0; date && i < contract_types_count(); i++)
        if (strcmp(reg.sets[i]->from, date) <= 0 && strcmp(date, reg.sets[i]->to) <= 0)
            return reg.sets[i];
    return NULL;
}

const char *contract_types_check(const struct contract_ruleset *rs, const char *type,
                                 const char *subtype, const char **field)
{
    *field = "type";
    const struct contract_type *t = NULL;
    for (size_t i = 0; type && i < rs->n_types; i++)
        if (strcmp(rs->types[i].code, type) == 0)
            t = &rs->types[i];
    if (!t)
        return "invalid_contract_type";
    *field = "subtype";
    if (t->n_subs == 0)
        return subtype ? "invalid_contract_subtype" : NULL;
    if (!subtype)
        return "required";
    for (size_t j = 0; j < t->n_subs; j++)
        if (strcmp(t->subs[j].code, subtype) == 0)
            return NULL;
    return "invalid_contract_subtype";
}

const char *contract_types_labels_json(bool en)
{
    if (contract_types_load())
        return "{}";
    return reg.labels[en ? 1 : 0];
}
