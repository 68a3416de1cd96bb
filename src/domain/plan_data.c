/* plan_data.c — loads and validates the seed plans of data/plans/ (see plan_data.h and
 * data/plans/README.md for the schema). */
#include "domain/plan_data.h"
#include "core/log.h"
#include "core/xalloc.h"

#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Largest number of errors written for one load; the rest are counted only. */
#define PLAN_DATA_MAX_ERRORS 50

/* ---- reference data: regions and chains ---- */

/* One row of data/regions.csv. */
struct pd_region {
    char code[7];   /* GB/T 2260 code */
    char parent[7]; /* parent code, "" for the root */
};

/* One row of data/chains.csv. */
struct pd_chain {
    char region[7]; /* region the chain belongs to */
    char code[48];  /* chain code */
};

/* The reference tables a plan is checked against. */
struct pd_refs {
    struct pd_region *regions; /* rows; NULL when the table is not embedded */
    size_t n_regions;          /* their count */
    struct pd_chain *chains;   /* rows; NULL when the table is not embedded */
    size_t n_chains;           /* their count */
};

/* Copies the CSV field starting at *p (up to ',' or end of line) into dst of size n,
 * truncating; advances *p past the comma. */
static void csv_field(const char **p, const char *end, char *dst, size_t n)
{
    size_t k = 0;
    while (*p < end && **p != ',' && **p != '\n' && **p != '\r') {
        if (k + 1 < n)
            dst[k++] = **p;
        (*p)++;
    }
    dst[k] = '\0';
    if (*p < end && **p == ',')
        (*p)++;
}

/* Calls row(ctx, line, end) for every line after the header of an embedded CSV. */
static void csv_rows(const struct asset *a, void (*row)(void *, const char *, const char *),
                     void *ctx)
{
    const char *p = (const char *)a->data, *end = p + a->len;
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    p = nl ? nl + 1 : end;
    while (p < end) {
        nl = memchr(p, '\n', (size_t)(end - p));
        const char *le = nl ? nl : end;
        if (le > p)
            row(ctx, p, le);
        p = nl ? nl + 1 : end;
    }
}

/* Appends one regions.csv row (code,name,level,parent_code) to the refs. */
static void region_row(void *ctx, const char *p, const char *end)
{
    struct pd_refs *r = ctx;
    struct pd_region g;
    char skip[8];
    csv_field(&p, end, g.code, sizeof(g.code));
    csv_field(&p, end, skip, sizeof(skip));
    csv_field(&p, end, skip, sizeof(skip));
    csv_field(&p, end, g.parent, sizeof(g.parent));
    r->regions = xrealloc(r->regions, (r->n_regions + 1) * sizeof(*r->regions));
    r->regions[r->n_regions++] = g;
}

/* Appends one chains.csv row (region_code,code,…) to the refs. */
static void chain_row(void *ctx, const char *p, const char *end)
{
    struct pd_refs *r = ctx;
    struct pd_chain c;
    csv_field(&p, end, c.region, sizeof(c.region));
    csv_field(&p, end, c.code, sizeof(c.code));
    r->chains = xrealloc(r->chains, (r->n_chains + 1) * sizeof(*r->chains));
    r->chains[r->n_chains++] = c;
}

/* Fills refs from data/regions.csv and data/chains.csv of the table; a missing table
 * leaves its array NULL (its checks are then skipped). Free with refs_free. */
static void refs_load(struct pd_refs *r, const struct asset *tab, size_t n)
{
    memset(r, 0, sizeof(*r));
    const struct asset *a = asset_find(tab, n, "data/regions.csv");
    if (a)
        csv_rows(a, region_row, r);
    a = asset_find(tab, n, "data/chains.csv");
    if (a)
        csv_rows(a, chain_row, r);
}

/* Frees the tables of refs_load. */
static void refs_free(struct pd_refs *r)
{
    free(r->regions);
    free(r->chains);
    memset(r, 0, sizeof(*r));
}

/* The regions.csv row of code, or NULL. */
static const struct pd_region *region_get(const struct pd_refs *r, const char *code)
{
    for (size_t i = 0; i < r->n_regions; i++)
        if (strcmp(r->regions[i].code, code) == 0)
            return &r->regions[i];
    return NULL;
}

/* True when code is anc or lies below it in the region tree. */
static bool region_within(const struct pd_refs *r, const char *code, const char *anc)
{
    for (int depth = 0; depth < 8 && code && *code; depth++) {
        if (strcmp(code, anc) == 0)
            return true;
        const struct pd_region *g = region_get(r, code);
        code = g ? g->parent : NULL;
    }
    return false;
}

/* ---- error collection ---- */

/* State of one parse: where errors go and what references are checked against. */
struct pd_ctx {
    const char *file;           /* file name for messages */
    char *err;                  /* error buffer, or NULL */
    size_t errlen;              /* its size */
    size_t used;                /* bytes written so far */
    int n_errors;               /* errors found */
    const struct pd_refs *refs; /* regions and chains */
    int start_year;             /* year of the plan's period_start, 0 when unknown */
};

/* Records one error "file: path: message" and returns KC_ERR_INVALID. */
__attribute__((format(printf, 3, 4))) static int perr(struct pd_ctx *c, const char *path,
                                                      const char *fmt, ...)
{
    c->n_errors++;
    if (c->n_errors > PLAN_DATA_MAX_ERRORS || !c->err || c->used + 1 >= c->errlen)
        return KC_ERR_INVALID;
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    int w = snprintf(c->err + c->used, c->errlen - c->used, "%s%s: %s: %s", c->used ? "\n" : "",
                     c->file, path, msg);
    if (w > 0)
        c->used = c->used + (size_t)w < c->errlen ? c->used + (size_t)w : c->errlen - 1;
    return KC_ERR_INVALID;
}

/* Writes path + "." + key into buf (truncated to n bytes) and returns buf. */
static const char *mpath(char *buf, size_t n, const char *path, const char *key)
{
    if (snprintf(buf, n, "%s.%s", path, key) >= (int)n)
        buf[n - 1] = '\0'; /* truncated: still a usable message */
    return buf;
}

/* Writes path + "[i]" into buf (truncated to n bytes) and returns buf. */
static const char *ipath(char *buf, size_t n, const char *path, size_t i)
{
    if (snprintf(buf, n, "%s[%zu]", path, i) >= (int)n)
        buf[n - 1] = '\0'; /* truncated: still a usable message */
    return buf;
}

/* ---- field readers: each reports its own errors and returns 0 or KC_ERR_INVALID ---- */

/* Reports every member of o whose name is not in the NULL-ended list allowed. */
static int only_members(struct pd_ctx *c, const char *path, const json_t *o,
                        const char *const *allowed)
{
    int rc = 0;
    const char *k;
    json_t *v;
    json_object_foreach((json_t *)o, k, v)
    {
        (void)v;
        bool ok = false;
        for (const char *const *a = allowed; *a && !ok; a++)
            ok = strcmp(*a, k) == 0;
        if (!ok) {
            char b[256];
            rc = perr(c, mpath(b, sizeof(b), path, k), "unknown member");
        }
    }
    return rc;
}

/* True when s contains something other than ASCII blanks, U+00A0 and U+3000. */
static bool nonblank(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r') {
            p++;
        } else if (p[0] == 0xC2 && p[1] == 0xA0) {
            p += 2;
        } else if (p[0] == 0xE3 && p[1] == 0x80 && p[2] == 0x80) {
            p += 3;
        } else {
            return true;
        }
    }
    return false;
}

/* Reads string member key of o into *out: required (must be a non-blank string) or
 * optional (absent or null gives NULL). */
static int get_str(struct pd_ctx *c, const char *path, const json_t *o, const char *key,
                   bool required, const char **out)
{
    char b[256];
    json_t *v = json_object_get(o, key);
    *out = NULL;
    if (!v || json_is_null(v)) {
        if (required)
            return perr(c, mpath(b, sizeof(b), path, key), "required");
        return 0;
    }
    if (!json_is_string(v))
        return perr(c, mpath(b, sizeof(b), path, key), "must be a string");
    if (!nonblank(json_string_value(v)))
        return perr(c, mpath(b, sizeof(b), path, key), "must not be blank");
    *out = json_string_value(v);
    return 0;
}

/* True when s is an ASCII code: 1–64 of [A-Za-z0-9_.-]. */
static bool code_ok(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > 64)
        return false;
    for (const char *p = s; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
              *p == '_' || *p == '.' || *p == '-'))
            return false;
    return true;
}

/* Reads a required ASCII code member. */
static int get_code(struct pd_ctx *c, const char *path, const json_t *o, const char *key,
                    const char **out)
{
    int rc = get_str(c, path, o, key, true, out);
    if (rc == 0 && !code_ok(*out)) {
        char b[256];
        rc = perr(c, mpath(b, sizeof(b), path, key),
                  "must be 1-64 ASCII letters, digits, '_', '.' or '-'");
        *out = NULL;
    }
    return rc;
}

/* Reads a boolean member; absent gives dflt. */
static int get_bool(struct pd_ctx *c, const char *path, const json_t *o, const char *key, bool dflt,
                    bool *out)
{
    json_t *v = json_object_get(o, key);
    *out = dflt;
    if (!v)
        return 0;
    if (!json_is_boolean(v)) {
        char b[256];
        return perr(c, mpath(b, sizeof(b), path, key), "must be true or false");
    }
    *out = json_is_true(v);
    return 0;
}

/* Reads a year member (integer 1949–2100); absent or null gives 0, an error when
 * required. */
static int get_year(struct pd_ctx *c, const char *path, const json_t *o, const char *key,
                    bool required, int *out)
{
    char b[256];
    json_t *v = json_object_get(o, key);
    *out = 0;
    if (!v || json_is_null(v))
        return required ? perr(c, mpath(b, sizeof(b), path, key), "required") : 0;
    if (!json_is_integer(v) || json_integer_value(v) < 1949 || json_integer_value(v) > 2100)
        return perr(c, mpath(b, sizeof(b), path, key), "must be a year (1949-2100)");
    *out = (int)json_integer_value(v);
    return 0;
}

/* Reads a finite number member; *present says whether it was there. */
static int get_num(struct pd_ctx *c, const char *path, const json_t *o, const char *key,
                   bool required, double *out, bool *present)
{
    char b[256];
    json_t *v = json_object_get(o, key);
    *out = 0;
    *present = false;
    if (!v || json_is_null(v))
        return required ? perr(c, mpath(b, sizeof(b), path, key), "required") : 0;
    if (!json_is_number(v) || !isfinite(json_number_value(v)))
        return perr(c, mpath(b, sizeof(b), path, key), "must be a finite number");
    *out = json_number_value(v);
    *present = true;
    return 0;
}

/* Reads a string member that must be one of the NULL-ended names; *out is its index.
 * An absent optional member leaves *out as dflt. */
static int get_enum(struct pd_ctx *c, const char *path, const json_t *o, const char *key,
                    const char *const *names, bool required, int dflt, int *out)
{
    const char *s;
    *out = dflt;
    int rc = get_str(c, path, o, key, required, &s);
    if (rc || !s)
        return rc;
    for (int i = 0; names[i]; i++)
        if (strcmp(names[i], s) == 0) {
            *out = i;
            return 0;
        }
    char b[256], list[256];
    size_t u = 0;
    list[0] = '\0';
    for (int i = 0; names[i] && u < sizeof(list); i++)
        u += (size_t)snprintf(list + u, sizeof(list) - u, "%s\"%s\"", i ? ", " : "", names[i]);
    return perr(c, mpath(b, sizeof(b), path, key), "\"%s\" is not one of %s", s, list);
}

/* True when s is a real calendar date YYYY-MM-DD in 1949–2100. */
static bool date_ok(const char *s)
{
    if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return false;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
            return false;
    int y = atoi(s), m = atoi(s + 5), d = atoi(s + 8);
    static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < 1949 || y > 2100 || m < 1 || m > 12 || d < 1)
        return false;
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return d <= mdays[m - 1] + (m == 2 && leap);
}

/* Reads a date member "YYYY-MM-DD"; absent or null gives NULL (an error if required). */
static int get_date(struct pd_ctx *c, const char *path, const json_t *o, const char *key,
                    bool required, const char **out)
{
    int rc = get_str(c, path, o, key, required, out);
    if (rc == 0 && *out && !date_ok(*out)) {
        char b[256];
        rc = perr(c, mpath(b, sizeof(b), path, key), "\"%s\" is not a date YYYY-MM-DD", *out);
        *out = NULL;
    }
    return rc;
}

/* Reads array member key of o (required or optional); *n is its size (0 if absent). */
static int get_array(struct pd_ctx *c, const char *path, const json_t *o, const char *key,
                     bool required, json_t **out, size_t *n)
{
    char b[256];
    json_t *v = json_object_get(o, key);
    *out = NULL;
    *n = 0;
    if (!v || json_is_null(v))
        return required ? perr(c, mpath(b, sizeof(b), path, key), "required") : 0;
    if (!json_is_array(v))
        return perr(c, mpath(b, sizeof(b), path, key), "must be an array");
    *out = v;
    *n = json_array_size(v);
    return 0;
}

/* True when member key of o is absent or null (a present member of the wrong type has
 * already been reported by its reader). */
static bool absent(const json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    return !v || json_is_null(v);
}

/* True when element i of an array is an object; reports it otherwise. */
static bool elem_object(struct pd_ctx *c, const char *path, const json_t *v)
{
    if (json_is_object(v))
        return true;
    perr(c, path, "must be an object");
    return false;
}

/* ---- vocabularies ---- */

static const char *const STATUS_NAMES[] = {"draft", "active", "closed", NULL};
static const char *const DOC_NAMES[] = {"official_document", "draft_for_comment", "signed_article",
                                        "news_report", NULL};
static const char *const TASK_KIND_NAMES[] = {"goal", "task", "safeguard", NULL};
static const char *const DIRECTION_NAMES[] = {"higher", "lower", NULL};
static const char *const IND_KIND_NAMES[] = {"computed", "reported", NULL};
static const char *const MEASURE_NAMES[] = {"stock", "flow", "rate", NULL};
static const char *const SCOPE_NAMES[] = {"region", "chain", NULL};
static const char *const TARGET_KIND_NAMES[] = {"value", "growth", "relative", NULL};
/* Index + 1 = enum plan_data_basis. */
static const char *const BASIS_NAMES[] = {"level", "annual", "cumulative", NULL};
static const char *const CMP_NAMES[] = {">=", ">", "<=", "<", "=", "between", "about", NULL};
static const char *const GROWTH_NAMES[] = {"yoy", "cagr", "total", NULL};
static const char *const SCRIPT_NAMES[] = {"zh-Hans", "zh-Hant", NULL};

/* The computed formulas data/plans/README.md documents. */
static const char *const FORMULAS[] = {
    "cert_valid_count",
    "cert_issued_count",
    "contract_value_sum",
    "project_count",
    "roadshow_count",
    "demand_count",
    "carrier_count",
    "carrier_new_count",
    "chain_carrier_coverage",
    "enterprise_share",
    "enterprise_count",
    "enterprise_sum",
    NULL,
};

/* See plan_data.h. */
bool plan_data_formula_known(const char *formula)
{
    for (const char *const *f = FORMULAS; *f; f++)
        if (strcmp(*f, formula) == 0)
            return true;
    return false;
}

/* See plan_data.h. */
const char *plan_data_cmp_name(enum plan_data_cmp cmp)
{
    return (unsigned)cmp < sizeof(CMP_NAMES) / sizeof(CMP_NAMES[0]) - 1 ? CMP_NAMES[cmp] : "?";
}

/* ---- lookups ---- */

/* See plan_data.h. */
const struct plan_data_unit *plan_data_find_unit(const struct plan_data_plan *p, const char *code)
{
    for (size_t i = 0; code && i < p->n_units; i++)
        if (p->units[i].code && strcmp(p->units[i].code, code) == 0)
            return &p->units[i];
    return NULL;
}

/* See plan_data.h. */
const struct plan_data_task *plan_data_find_task(const struct plan_data_plan *p, const char *code)
{
    for (size_t i = 0; code && i < p->n_tasks; i++)
        if (p->tasks[i].code && strcmp(p->tasks[i].code, code) == 0)
            return &p->tasks[i];
    return NULL;
}

/* See plan_data.h. */
const struct plan_data_indicator *plan_data_find_indicator(const struct plan_data_plan *p,
                                                           const char *code)
{
    for (size_t i = 0; code && i < p->n_indicators; i++)
        if (p->indicators[i].code && strcmp(p->indicators[i].code, code) == 0)
            return &p->indicators[i];
    return NULL;
}

/* See plan_data.h. */
const struct plan_data_target *plan_data_find_target(const struct plan_data_plan *p,
                                                     const char *code)
{
    for (size_t i = 0; code && i < p->n_targets; i++)
        if (p->targets[i].code && strcmp(p->targets[i].code, code) == 0)
            return &p->targets[i];
    return NULL;
}

/* See plan_data.h. */
const struct plan_data_requirement *plan_data_find_requirement(const struct plan_data_plan *p,
                                                               const char *code)
{
    for (size_t i = 0; code && i < p->n_requirements; i++)
        if (p->requirements[i].code && strcmp(p->requirements[i].code, code) == 0)
            return &p->requirements[i];
    return NULL;
}

/* See plan_data.h. */
const struct plan_data_target *plan_data_next_target(const struct plan_data_plan *p,
                                                     const char *indicator, const char *region,
                                                     const struct plan_data_target *from)
{
    size_t i = from ? (size_t)(from - p->targets) + 1 : 0;
    for (; i < p->n_targets; i++) {
        const struct plan_data_target *t = &p->targets[i];
        if (strcmp(t->indicator->code, indicator) == 0 &&
            (!region || strcmp(t->region, region) == 0))
            return t;
    }
    return NULL;
}

/* See plan_data.h. */
const struct plan_data_plan *plan_data_find_plan(const struct plan_set *set, const char *code)
{
    for (size_t i = 0; code && i < set->n_plans; i++)
        if (strcmp(set->plans[i]->code, code) == 0)
            return set->plans[i];
    return NULL;
}

/* See plan_data.h. */
const struct plan_data_indicator *plan_data_find_indicator_any(const struct plan_set *set,
                                                               const char *code)
{
    for (size_t i = 0; i < set->n_plans; i++) {
        const struct plan_data_indicator *ind = plan_data_find_indicator(set->plans[i], code);
        if (ind)
            return ind;
    }
    return NULL;
}

/* ---- record parsers ---- */

/* Checks a region member value: six digits, a row of regions.csv, within the plan's
 * issuing region. */
static int check_region(struct pd_ctx *c, const char *path, const char *code, const char *issuing)
{
    if (!code)
        return 0;
    bool six = strlen(code) == 6;
    for (const char *q = code; six && *q; q++)
        six = *q >= '0' && *q <= '9';
    if (!six)
        return perr(c, path, "\"%s\" is not a six-digit GB/T 2260 code", code);
    if (!c->refs->regions)
        return 0;
    if (!region_get(c->refs, code))
        return perr(c, path, "\"%s\" is not in data/regions.csv", code);
    if (issuing && !region_within(c->refs, code, issuing))
        return perr(c, path, "\"%s\" is not within the issuing region %s", code, issuing);
    return 0;
}

/* check_unique reads the code as the first member of these records. */
_Static_assert(offsetof(struct plan_data_unit, code) == 0, "code first");
_Static_assert(offsetof(struct plan_data_task, code) == 0, "code first");
_Static_assert(offsetof(struct plan_data_indicator, code) == 0, "code first");
_Static_assert(offsetof(struct plan_data_target, code) == 0, "code first");
_Static_assert(offsetof(struct plan_data_requirement, code) == 0, "code first");

/* Checks that a code is not among the first n codes of an array of records of
 * stride size whose first member is the code. */
static int check_unique(struct pd_ctx *c, const char *path, const char *code, const void *arr,
                        size_t n, size_t stride)
{
    for (size_t i = 0; code && i < n; i++) {
        const char *other = *(const char *const *)((const char *)arr + i * stride);
        if (other && strcmp(other, code) == 0)
            return perr(c, path, "duplicate code \"%s\"", code);
    }
    return 0;
}

/* Parses $.units[i]. */
static void parse_unit(struct pd_ctx *c, struct plan_data_plan *p, size_t i, const json_t *o,
                       const char *path)
{
    static const char *const M[] = {"code", "name", "kind", "collective", "note", NULL};
    struct plan_data_unit *u = &p->units[i];
    char b[256];
    only_members(c, path, o, M);
    get_code(c, path, o, "code", &u->code);
    check_unique(c, mpath(b, sizeof(b), path, "code"), u->code, p->units, i, sizeof(*u));
    get_str(c, path, o, "name", true, &u->name);
    get_str(c, path, o, "kind", true, &u->kind);
    get_bool(c, path, o, "collective", false, &u->collective);
    get_str(c, path, o, "note", false, &u->note);
}

/* Parses $.tasks[i]; a parent must come earlier. */
static void parse_task(struct pd_ctx *c, struct plan_data_plan *p, size_t i, const json_t *o,
                       const char *path)
{
    static const char *const M[] = {"code",      "kind",  "parent",   "title", "description",
                                    "lead_unit", "units", "deadline", "note",  NULL};
    struct plan_data_task *t = &p->tasks[i];
    char b[256], b2[256];
    int k;
    only_members(c, path, o, M);
    get_code(c, path, o, "code", &t->code);
    check_unique(c, mpath(b, sizeof(b), path, "code"), t->code, p->tasks, i, sizeof(*t));
    get_enum(c, path, o, "kind", TASK_KIND_NAMES, true, 1, &k);
    t->kind = (enum plan_data_task_kind)k;
    const char *s;
    get_str(c, path, o, "parent", false, &s);
    if (s) {
        for (size_t j = 0; j < i && !t->parent; j++)
            if (p->tasks[j].code && strcmp(p->tasks[j].code, s) == 0)
                t->parent = &p->tasks[j];
        if (!t->parent)
            perr(c, mpath(b, sizeof(b), path, "parent"), "no earlier task \"%s\"", s);
    }
    get_str(c, path, o, "title", true, &t->title);
    get_str(c, path, o, "description", true, &t->description);
    get_str(c, path, o, "lead_unit", false, &s);
    if (s && !(t->lead = plan_data_find_unit(p, s)))
        perr(c, mpath(b, sizeof(b), path, "lead_unit"), "unknown unit \"%s\"", s);
    json_t *arr;
    size_t n;
    if (get_array(c, path, o, "units", true, &arr, &n) == 0 && arr) {
        t->units = xcalloc(n ? n : 1, sizeof(*t->units));
        for (size_t j = 0; j < n; j++) {
            json_t *v = json_array_get(arr, j);
            ipath(b2, sizeof(b2), mpath(b, sizeof(b), path, "units"), j);
            const struct plan_data_unit *u =
                json_is_string(v) ? plan_data_find_unit(p, json_string_value(v)) : NULL;
            if (!json_is_string(v)) {
                perr(c, b2, "must be a unit code");
                continue;
            }
            if (!u) {
                perr(c, b2, "unknown unit \"%s\"", json_string_value(v));
                continue;
            }
            for (size_t q = 0; q < t->n_units; q++)
                if (t->units[q] == u)
                    perr(c, b2, "unit \"%s\" listed twice", u->code);
            t->units[t->n_units++] = u;
        }
        bool has_lead = !t->lead;
        for (size_t q = 0; q < t->n_units; q++)
            has_lead = has_lead || t->units[q] == t->lead;
        if (!has_lead)
            perr(c, mpath(b, sizeof(b), path, "units"), "must include the lead unit \"%s\"",
                 t->lead->code);
    }
    get_date(c, path, o, "deadline", false, &t->deadline);
    get_str(c, path, o, "note", false, &t->note);
}

/* Parses $.indicators[i]. */
static void parse_indicator(struct pd_ctx *c, struct plan_data_plan *p, size_t i, const json_t *o,
                            const char *path)
{
    static const char *const M[] = {"code",       "name", "unit",    "direction", "measure",
                                    "scope",      "kind", "formula", "params",    "source",
                                    "definition", "note", NULL};
    struct plan_data_indicator *d = &p->indicators[i];
    char b[256];
    int k;
    only_members(c, path, o, M);
    get_code(c, path, o, "code", &d->code);
    check_unique(c, mpath(b, sizeof(b), path, "code"), d->code, p->indicators, i, sizeof(*d));
    get_str(c, path, o, "name", true, &d->name);
    get_str(c, path, o, "unit", true, &d->unit);
    get_enum(c, path, o, "direction", DIRECTION_NAMES, true, 0, &k);
    d->direction = (enum plan_data_direction)k;
    get_enum(c, path, o, "measure", MEASURE_NAMES, true, 0, &k);
    d->measure = (enum plan_data_measure)k;
    get_enum(c, path, o, "scope", SCOPE_NAMES, false, 0, &k);
    d->scope = (enum plan_data_scope)k;
    get_enum(c, path, o, "kind", IND_KIND_NAMES, true, 1, &k);
    d->kind = (enum plan_data_ind_kind)k;
    get_str(c, path, o, "definition", true, &d->definition);
    get_str(c, path, o, "note", false, &d->note);
    get_str(c, path, o, "formula", false, &d->formula);
    get_str(c, path, o, "source", false, &d->source);
    json_t *params = json_object_get(o, "params");
    if (params && !json_is_null(params) && !json_is_object(params))
        perr(c, mpath(b, sizeof(b), path, "params"), "must be an object");
    else if (params && json_is_object(params))
        d->params = params;
    if (d->kind == PLAN_DATA_COMPUTED) {
        if (!d->formula && absent(o, "formula"))
            perr(c, mpath(b, sizeof(b), path, "formula"), "required for a computed indicator");
        else if (d->formula && !plan_data_formula_known(d->formula))
            perr(c, mpath(b, sizeof(b), path, "formula"), "unknown formula \"%s\"", d->formula);
        if (d->source)
            perr(c, mpath(b, sizeof(b), path, "source"), "only for a reported indicator");
    } else {
        if (!d->source && absent(o, "source"))
            perr(c, mpath(b, sizeof(b), path, "source"), "required for a reported indicator");
        if (d->formula)
            perr(c, mpath(b, sizeof(b), path, "formula"), "only for a computed indicator");
        if (d->params)
            perr(c, mpath(b, sizeof(b), path, "params"), "only for a computed indicator");
    }
}

/* Looks up an indicator member; reports an unknown code. */
static const struct plan_data_indicator *ref_indicator(struct pd_ctx *c,
                                                       const struct plan_data_plan *p,
                                                       const char *path, const json_t *o,
                                                       const char *key, bool required)
{
    char b[256];
    const char *s;
    if (get_str(c, path, o, key, required, &s) || !s)
        return NULL;
    const struct plan_data_indicator *d = plan_data_find_indicator(p, s);
    if (!d)
        perr(c, mpath(b, sizeof(b), path, key), "unknown indicator \"%s\"", s);
    return d;
}

/* Looks up a task member; reports an unknown code. */
static const struct plan_data_task *ref_task(struct pd_ctx *c, const struct plan_data_plan *p,
                                             const char *path, const json_t *o)
{
    char b[256];
    const char *s;
    if (get_str(c, path, o, "task", true, &s) || !s)
        return NULL;
    const struct plan_data_task *t = plan_data_find_task(p, s);
    if (!t)
        perr(c, mpath(b, sizeof(b), path, "task"), "unknown task \"%s\"", s);
    return t;
}

/* Parses a {year, value, comparator, text} object at path into *pt; dflt is the
 * comparator when none is given; text_required says whether text must be there. */
static void parse_point(struct pd_ctx *c, const char *path, const json_t *o,
                        enum plan_data_cmp dflt, bool text_required, struct plan_data_point *pt)
{
    static const char *const M[] = {"year", "value", "comparator", "text", NULL};
    bool present;
    int k;
    only_members(c, path, o, M);
    get_year(c, path, o, "year", true, &pt->year);
    get_num(c, path, o, "value", true, &pt->value, &present);
    get_enum(c, path, o, "comparator", CMP_NAMES, false, (int)dflt, &k);
    pt->cmp = (enum plan_data_cmp)k;
    if (pt->cmp == PLAN_DATA_CMP_BETWEEN) {
        char b[256];
        perr(c, mpath(b, sizeof(b), path, "comparator"), "\"between\" needs a range");
    }
    get_str(c, path, o, "text", text_required, &pt->text);
}

/* Checks that comparator cmp suits an indicator's direction (">=" needs higher, "<="
 * lower). */
static void check_direction(struct pd_ctx *c, const char *path, enum plan_data_cmp cmp,
                            const struct plan_data_indicator *d)
{
    if (!d)
        return;
    bool up = cmp == PLAN_DATA_CMP_GE || cmp == PLAN_DATA_CMP_GT;
    bool down = cmp == PLAN_DATA_CMP_LE || cmp == PLAN_DATA_CMP_LT;
    if ((up && d->direction != PLAN_DATA_HIGHER) || (down && d->direction != PLAN_DATA_LOWER))
        perr(c, path, "\"%s\" contradicts the direction of indicator \"%s\"",
             plan_data_cmp_name(cmp), d->code);
}

/* Parses $.targets[i]. */
static void parse_target(struct pd_ctx *c, struct plan_data_plan *p, size_t i, const json_t *o,
                         const char *path)
{
    static const char *const M[] = {"code",
                                    "task",
                                    "indicator",
                                    "region",
                                    "chain",
                                    "kind",
                                    "basis",
                                    "cumulative_from",
                                    "each_year_from",
                                    "comparator",
                                    "target_value",
                                    "target_value_max",
                                    "stretch_value",
                                    "growth",
                                    "relative_to",
                                    "target_year",
                                    "target_date",
                                    "baseline",
                                    "milestones",
                                    "qualifier",
                                    "text",
                                    "note",
                                    NULL};
    struct plan_data_target *t = &p->targets[i];
    char b[256], b2[256], b4[256];
    int k;
    bool present;
    only_members(c, path, o, M);
    get_code(c, path, o, "code", &t->code);
    check_unique(c, mpath(b, sizeof(b), path, "code"), t->code, p->targets, i, sizeof(*t));
    t->task = ref_task(c, p, path, o);
    t->indicator = ref_indicator(c, p, path, o, "indicator", true);
    const struct plan_data_indicator *d = t->indicator;
    get_str(c, path, o, "region", true, &t->region);
    check_region(c, mpath(b, sizeof(b), path, "region"), t->region, p->issuing_region);
    get_str(c, path, o, "chain", false, &t->chain);
    if (d && d->scope == PLAN_DATA_SCOPE_CHAIN && !t->chain && absent(o, "chain"))
        perr(c, mpath(b, sizeof(b), path, "chain"), "required: indicator \"%s\" is per chain",
             d->code);
    if (d && d->scope == PLAN_DATA_SCOPE_REGION && t->chain)
        perr(c, mpath(b, sizeof(b), path, "chain"), "indicator \"%s\" is not per chain", d->code);
    if (t->chain && c->refs->chains && t->region) {
        const struct pd_chain *ch = NULL;
        for (size_t j = 0; j < c->refs->n_chains && !ch; j++)
            if (strcmp(c->refs->chains[j].code, t->chain) == 0)
                ch = &c->refs->chains[j];
        if (!ch)
            perr(c, mpath(b, sizeof(b), path, "chain"), "\"%s\" is not in data/chains.csv",
                 t->chain);
        else if (strcmp(ch->region, t->region) != 0)
            perr(c, mpath(b, sizeof(b), path, "chain"), "\"%s\" belongs to %s, not %s", t->chain,
                 ch->region, t->region);
    }
    get_enum(c, path, o, "kind", TARGET_KIND_NAMES, true, 0, &k);
    t->kind = (enum plan_data_target_kind)k;
    get_enum(c, path, o, "comparator", CMP_NAMES, true, 0, &k);
    t->cmp = (enum plan_data_cmp)k;
    const char *cmp_path = mpath(b4, sizeof(b4), path, "comparator");
    get_year(c, path, o, "target_year", true, &t->target_year);
    if (t->target_year && c->start_year && t->target_year < c->start_year)
        perr(c, mpath(b, sizeof(b), path, "target_year"), "%d is before the plan starts",
             t->target_year);
    get_date(c, path, o, "target_date", false, &t->target_date);
    if (t->target_date && t->target_year && atoi(t->target_date) != t->target_year)
        perr(c, mpath(b, sizeof(b), path, "target_date"), "is not in target_year %d",
             t->target_year);
    get_str(c, path, o, "qualifier", false, &t->qualifier);
    get_str(c, path, o, "text", true, &t->text);
    get_str(c, path, o, "note", false, &t->note);

    /* Members that belong to one kind only. */
    static const char *const VALUE_ONLY[] = {"basis",
                                             "cumulative_from",
                                             "target_value",
                                             "target_value_max",
                                             "stretch_value",
                                             "milestones",
                                             NULL};
    static const char *const GROWTH_ONLY[] = {"growth", NULL};
    static const char *const RELATIVE_ONLY[] = {"relative_to", NULL};
    const char *const *forbid[3][2] = {
        {GROWTH_ONLY, RELATIVE_ONLY}, {VALUE_ONLY, RELATIVE_ONLY}, {VALUE_ONLY, GROWTH_ONLY}};
    for (int g = 0; g < 2; g++)
        for (const char *const *m = forbid[t->kind][g]; *m; m++)
            if (json_object_get(o, *m))
                perr(c, mpath(b, sizeof(b), path, *m), "not allowed in a \"%s\" target",
                     TARGET_KIND_NAMES[t->kind]);

    /* Any kind may repeat every year ("每年"). */
    get_year(c, path, o, "each_year_from", false, &t->each_year_from);
    if (t->each_year_from && t->target_year && t->each_year_from > t->target_year)
        perr(c, mpath(b, sizeof(b), path, "each_year_from"), "is after target_year");

    if (t->kind == PLAN_DATA_TARGET_VALUE) {
        get_enum(c, path, o, "basis", BASIS_NAMES, true, -1, &k);
        t->basis = (enum plan_data_basis)(k + 1);
        get_num(c, path, o, "target_value", true, &t->target_value, &present);
        get_year(c, path, o, "cumulative_from", false, &t->cumulative_from);
        if (d && t->basis == PLAN_DATA_BASIS_LEVEL && d->measure == PLAN_DATA_FLOW)
            perr(c, mpath(b, sizeof(b), path, "basis"),
                 "\"level\" needs a stock or rate indicator; \"%s\" is a flow", d->code);
        if (d && (t->basis == PLAN_DATA_BASIS_ANNUAL || t->basis == PLAN_DATA_BASIS_CUMULATIVE) &&
            d->measure != PLAN_DATA_FLOW)
            perr(c, mpath(b, sizeof(b), path, "basis"), "\"%s\" needs a flow indicator",
                 BASIS_NAMES[t->basis - 1]);
        if (t->basis == PLAN_DATA_BASIS_CUMULATIVE) {
            if (!t->cumulative_from)
                perr(c, mpath(b, sizeof(b), path, "cumulative_from"),
                     "required for a cumulative target");
            else if (t->target_year && t->cumulative_from > t->target_year)
                perr(c, mpath(b, sizeof(b), path, "cumulative_from"), "is after target_year");
            if (t->each_year_from)
                perr(c, mpath(b, sizeof(b), path, "each_year_from"),
                     "not allowed in a cumulative target");
        } else if (t->cumulative_from) {
            perr(c, mpath(b, sizeof(b), path, "cumulative_from"), "only for a cumulative target");
        }
        get_num(c, path, o, "target_value_max", false, &t->target_value_max, &present);
        if (t->cmp == PLAN_DATA_CMP_BETWEEN && !present)
            perr(c, mpath(b, sizeof(b), path, "target_value_max"), "required with \"between\"");
        else if (t->cmp == PLAN_DATA_CMP_BETWEEN && t->target_value_max <= t->target_value)
            perr(c, mpath(b, sizeof(b), path, "target_value_max"),
                 "must be greater than target_value");
        else if (t->cmp != PLAN_DATA_CMP_BETWEEN && present)
            perr(c, mpath(b, sizeof(b), path, "target_value_max"), "only with \"between\"");
        get_num(c, path, o, "stretch_value", false, &t->stretch_value, &t->has_stretch);
        if (t->has_stretch && d &&
            (d->direction == PLAN_DATA_HIGHER ? t->stretch_value <= t->target_value
                                              : t->stretch_value >= t->target_value))
            perr(c, mpath(b, sizeof(b), path, "stretch_value"), "must go beyond target_value");
        check_direction(c, cmp_path, t->cmp, d);
    } else if (t->kind == PLAN_DATA_TARGET_GROWTH) {
        static const char *const G[] = {"mode", "rate_pct", "base_year", NULL};
        const char *gp = mpath(b, sizeof(b), path, "growth");
        json_t *g = json_object_get(o, "growth");
        if (!json_is_object(g)) {
            perr(c, gp, "%s", g ? "must be an object" : "required for a growth target");
        } else {
            only_members(c, gp, g, G);
            get_enum(c, gp, g, "mode", GROWTH_NAMES, true, 0, &k);
            t->growth_mode = (enum plan_data_growth_mode)k;
            get_num(c, gp, g, "rate_pct", true, &t->rate_pct, &present);
            get_year(c, gp, g, "base_year", true, &t->base_year);
            char b3[256];
            if (t->base_year && t->target_year && t->base_year >= t->target_year)
                perr(c, mpath(b3, sizeof(b3), gp, "base_year"), "must be before target_year");
            if (t->growth_mode == PLAN_DATA_GROWTH_YOY && t->base_year && t->target_year &&
                t->base_year != t->target_year - 1)
                perr(c, mpath(b3, sizeof(b3), gp, "base_year"),
                     "must be target_year - 1 for \"yoy\"");
        }
        if (t->cmp == PLAN_DATA_CMP_BETWEEN)
            perr(c, cmp_path, "\"between\" is not allowed in a growth target");
        check_direction(c, cmp_path, t->cmp, d);
    } else {
        t->relative_to = ref_indicator(c, p, path, o, "relative_to", true);
        if (t->relative_to && t->relative_to == d)
            perr(c, mpath(b, sizeof(b), path, "relative_to"), "must differ from indicator");
        if (t->relative_to && d && strcmp(t->relative_to->unit, d->unit) != 0)
            perr(c, mpath(b, sizeof(b), path, "relative_to"), "unit \"%s\" differs from \"%s\"",
                 t->relative_to->unit, d->unit);
        if (t->cmp != PLAN_DATA_CMP_GT && t->cmp != PLAN_DATA_CMP_GE &&
            t->cmp != PLAN_DATA_CMP_LT && t->cmp != PLAN_DATA_CMP_LE)
            perr(c, cmp_path, "a relative target compares with >, >=, < or <=");
        check_direction(c, cmp_path, t->cmp, d);
    }

    json_t *bl = json_object_get(o, "baseline");
    if (bl && !json_is_null(bl)) {
        const char *bp = mpath(b, sizeof(b), path, "baseline");
        if (elem_object(c, bp, bl)) {
            parse_point(c, bp, bl, PLAN_DATA_CMP_EQ, false, &t->baseline);
            t->has_baseline = true;
            if (t->baseline.year && t->target_year && t->baseline.year >= t->target_year)
                perr(c, bp, "baseline year must be before target_year");
        }
    }
    json_t *arr;
    size_t n;
    const char *mp = mpath(b, sizeof(b), path, "milestones");
    if (get_array(c, path, o, "milestones", false, &arr, &n) == 0 && arr) {
        t->milestones = xcalloc(n ? n : 1, sizeof(*t->milestones));
        for (size_t j = 0; j < n; j++) {
            json_t *v = json_array_get(arr, j);
            const char *ep = ipath(b2, sizeof(b2), mp, j);
            if (!elem_object(c, ep, v))
                continue;
            struct plan_data_point *m = &t->milestones[t->n_milestones++];
            parse_point(c, ep, v, t->cmp, true, m);
            if (m->year && t->target_year && m->year >= t->target_year)
                perr(c, ep, "milestone year must be before target_year");
            if (t->n_milestones > 1 && m->year <= t->milestones[t->n_milestones - 2].year)
                perr(c, ep, "milestone years must increase");
            if (t->cumulative_from && m->year && m->year < t->cumulative_from)
                perr(c, ep, "milestone year is before cumulative_from");
            check_direction(c, ep, m->cmp, d);
        }
    }
}

/* Parses $.observations[i]. */
static void parse_observation(struct pd_ctx *c, struct plan_data_plan *p, size_t i, const json_t *o,
                              const char *path)
{
    static const char *const M[] = {"indicator", "region", "year", "comparator",
                                    "value",     "text",   "note", NULL};
    struct plan_data_observation *ob = &p->observations[i];
    char b[256];
    only_members(c, path, o, M);
    ob->indicator = ref_indicator(c, p, path, o, "indicator", true);
    get_str(c, path, o, "region", true, &ob->region);
    check_region(c, mpath(b, sizeof(b), path, "region"), ob->region, p->issuing_region);
    get_str(c, path, o, "note", false, &ob->note);
    bool present;
    int k;
    get_year(c, path, o, "year", true, &ob->point.year);
    get_num(c, path, o, "value", true, &ob->point.value, &present);
    get_enum(c, path, o, "comparator", CMP_NAMES, false, PLAN_DATA_CMP_EQ, &k);
    ob->point.cmp = (enum plan_data_cmp)k;
    if (ob->point.cmp == PLAN_DATA_CMP_BETWEEN)
        perr(c, mpath(b, sizeof(b), path, "comparator"), "\"between\" needs a range");
    get_str(c, path, o, "text", true, &ob->point.text);
}

/* Parses $.requirements[i]. */
static void parse_requirement(struct pd_ctx *c, struct plan_data_plan *p, size_t i, const json_t *o,
                              const char *path)
{
    static const char *const M[] = {"code",  "task", "subject", "level", "attribute", "comparator",
                                    "value", "unit", "effect",  "text",  "note",      NULL};
    struct plan_data_requirement *r = &p->requirements[i];
    char b[256];
    int k;
    bool present;
    only_members(c, path, o, M);
    get_code(c, path, o, "code", &r->code);
    check_unique(c, mpath(b, sizeof(b), path, "code"), r->code, p->requirements, i, sizeof(*r));
    r->task = ref_task(c, p, path, o);
    get_str(c, path, o, "subject", true, &r->subject);
    get_str(c, path, o, "level", false, &r->level);
    get_code(c, path, o, "attribute", &r->attribute);
    get_enum(c, path, o, "comparator", CMP_NAMES, true, 0, &k);
    r->cmp = (enum plan_data_cmp)k;
    if (r->cmp == PLAN_DATA_CMP_BETWEEN)
        perr(c, mpath(b, sizeof(b), path, "comparator"), "\"between\" needs a range");
    get_num(c, path, o, "value", true, &r->value, &present);
    get_str(c, path, o, "unit", true, &r->unit);
    get_str(c, path, o, "effect", false, &r->effect);
    get_str(c, path, o, "text", true, &r->text);
    get_str(c, path, o, "note", false, &r->note);
}

/* Reads top-level array member key of root, allocates *field with room for every
 * element (elem bytes each; NULL when the member is absent), sets *count and calls fn
 * on every element that is an object with (ctx, plan, index, element, its JSON path).
 * The caller owns *field. */
static void parse_array(struct pd_ctx *c, struct plan_data_plan *p, const json_t *root,
                        const char *key, bool required, void *field, size_t elem, size_t *count,
                        void (*fn)(struct pd_ctx *, struct plan_data_plan *, size_t, const json_t *,
                                   const char *))
{
    json_t *arr;
    size_t n;
    *count = 0;
    if (get_array(c, "$", root, key, required, &arr, &n) != 0 || !arr)
        return;
    char *items = xcalloc(n ? n : 1, elem);
    memcpy(field, &items, sizeof(items));
    *count = n;
    for (size_t i = 0; i < n; i++) {
        char ep[64];
        json_t *v = json_array_get(arr, i);
        snprintf(ep, sizeof(ep), "$.%s[%zu]", key, i);
        if (elem_object(c, ep, v))
            fn(c, p, i, v, ep);
    }
}

/* Marks every indicator some target or observation uses; reports the others. */
static void check_indicators_used(struct pd_ctx *c, const struct plan_data_plan *p)
{
    for (size_t i = 0; i < p->n_indicators; i++) {
        const struct plan_data_indicator *d = &p->indicators[i];
        bool used = false;
        for (size_t j = 0; j < p->n_targets && !used; j++)
            used = p->targets[j].indicator == d || p->targets[j].relative_to == d;
        for (size_t j = 0; j < p->n_observations && !used; j++)
            used = p->observations[j].indicator == d;
        if (!used) {
            char b[64];
            snprintf(b, sizeof(b), "$.indicators[%zu]", i);
            perr(c, b, "indicator \"%s\" is used by no target or observation",
                 d->code ? d->code : "?");
        }
    }
}

/* Parses the whole document into p. */
static void parse_root(struct pd_ctx *c, struct plan_data_plan *p, const json_t *root)
{
    static const char *const M[] = {
        "schema_version", "code",          "title",       "issuing_region",
        "issuer",         "co_issuers",    "doc_no",      "document_kind",
        "issued_on",      "period_start",  "period_end",  "status",
        "source",         "source_script", "source_text", "note",
        "units",          "tasks",         "indicators",  "targets",
        "observations",   "requirements",  NULL};
    int k;
    only_members(c, "$", root, M);
    json_t *ver = json_object_get(root, "schema_version");
    if (!json_is_integer(ver) || json_integer_value(ver) != 1)
        perr(c, "$.schema_version", "must be 1");
    get_code(c, "$", root, "code", &p->code);
    get_str(c, "$", root, "title", true, &p->title);
    get_str(c, "$", root, "issuing_region", true, &p->issuing_region);
    check_region(c, "$.issuing_region", p->issuing_region, NULL);
    get_str(c, "$", root, "issuer", false, &p->issuer);
    json_t *arr;
    size_t n;
    if (get_array(c, "$", root, "co_issuers", false, &arr, &n) == 0 && arr) {
        p->co_issuers = xcalloc(n ? n : 1, sizeof(*p->co_issuers));
        for (size_t i = 0; i < n; i++) {
            json_t *v = json_array_get(arr, i);
            if (json_is_string(v) && nonblank(json_string_value(v))) {
                p->co_issuers[p->n_co_issuers++] = json_string_value(v);
            } else {
                char b[64];
                snprintf(b, sizeof(b), "$.co_issuers[%zu]", i);
                perr(c, b, "must be a non-blank string");
            }
        }
    }
    get_str(c, "$", root, "doc_no", false, &p->doc_no);
    get_enum(c, "$", root, "document_kind", DOC_NAMES, true, 0, &k);
    p->doc_kind = (enum plan_data_doc_kind)k;
    get_date(c, "$", root, "issued_on", false, &p->issued_on);
    get_date(c, "$", root, "period_start", false, &p->period_start);
    get_date(c, "$", root, "period_end", true, &p->period_end);
    if (p->period_start && p->period_end && strcmp(p->period_start, p->period_end) > 0)
        perr(c, "$.period_end", "is before period_start");
    get_enum(c, "$", root, "status", STATUS_NAMES, true, 1, &k);
    p->status = (enum plan_data_status)k;
    get_str(c, "$", root, "source", true, &p->source);
    get_enum(c, "$", root, "source_script", SCRIPT_NAMES, false, 0, &k);
    p->source_traditional = k == 1;
    get_str(c, "$", root, "source_text", true, &p->source_text);
    get_str(c, "$", root, "note", false, &p->note);

    c->start_year = p->period_start ? atoi(p->period_start) : 0;
    parse_array(c, p, root, "units", true, &p->units, sizeof(*p->units), &p->n_units, parse_unit);
    parse_array(c, p, root, "tasks", true, &p->tasks, sizeof(*p->tasks), &p->n_tasks, parse_task);
    parse_array(c, p, root, "indicators", true, &p->indicators, sizeof(*p->indicators),
                &p->n_indicators, parse_indicator);
    parse_array(c, p, root, "targets", true, &p->targets, sizeof(*p->targets), &p->n_targets,
                parse_target);
    parse_array(c, p, root, "observations", false, &p->observations, sizeof(*p->observations),
                &p->n_observations, parse_observation);
    parse_array(c, p, root, "requirements", false, &p->requirements, sizeof(*p->requirements),
                &p->n_requirements, parse_requirement);
    if (c->n_errors == 0)
        check_indicators_used(c, p);
}

/* Parses one document against refs; see plan_data_parse. */
static int parse_with(const char *file, const char *text, size_t len, const struct pd_refs *refs,
                      struct plan_data_plan **out, char *err, size_t errlen)
{
    struct pd_ctx c = {.file = file, .err = err, .errlen = errlen, .refs = refs};
    if (err && errlen)
        err[0] = '\0';
    *out = NULL;
    json_error_t je;
    json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
    if (!root) {
        char where[64];
        snprintf(where, sizeof(where), "line %d column %d", je.line, je.column);
        return perr(&c, where, "%s", je.text);
    }
    if (!json_is_object(root)) {
        json_decref(root);
        return perr(&c, "$", "must be an object");
    }
    struct plan_data_plan *p = xcalloc(1, sizeof(*p));
    p->root = root;
    p->file_owned = xstrdup(file);
    p->file = p->file_owned;
    parse_root(&c, p, root);
    if (c.n_errors) {
        if (c.n_errors > PLAN_DATA_MAX_ERRORS && err && c.used + 40 < errlen)
            snprintf(err + c.used, errlen - c.used, "\n… %d errors in all", c.n_errors);
        plan_data_plan_free(p);
        return KC_ERR_INVALID;
    }
    *out = p;
    return 0;
}

/* See plan_data.h. */
int plan_data_parse(const char *file, const char *text, size_t len, struct plan_data_plan **out,
                    char *err, size_t errlen)
{
    struct pd_refs refs;
    refs_load(&refs, assets_data, assets_data_count);
    int rc = parse_with(file, text, len, &refs, out, err, errlen);
    refs_free(&refs);
    return rc;
}

/* See plan_data.h. */
void plan_data_plan_free(struct plan_data_plan *p)
{
    if (!p)
        return;
    for (size_t i = 0; p->tasks && i < p->n_tasks; i++)
        free(p->tasks[i].units);
    for (size_t i = 0; p->targets && i < p->n_targets; i++)
        free(p->targets[i].milestones);
    free(p->co_issuers);
    free(p->units);
    free(p->tasks);
    free(p->indicators);
    free(p->targets);
    free(p->observations);
    free(p->requirements);
    json_decref(p->root);
    free(p->file_owned);
    free(p);
}

/* See plan_data.h. */
void plan_data_free(struct plan_set *set)
{
    if (!set)
        return;
    for (size_t i = 0; i < set->n_plans; i++)
        plan_data_plan_free(set->plans[i]);
    free(set->plans);
    free(set);
}

/* Null-safe string equality. */
static bool same_str(const char *a, const char *b)
{
    return a == b || (a && b && strcmp(a, b) == 0);
}

/* Reports the first property in which two definitions of one indicator code differ. */
static void check_same_indicator(struct pd_ctx *c, const char *path,
                                 const struct plan_data_indicator *a,
                                 const struct plan_data_indicator *b, const char *other_file)
{
    const char *what = NULL;
    if (!same_str(a->name, b->name))
        what = "name";
    else if (!same_str(a->unit, b->unit))
        what = "unit";
    else if (a->direction != b->direction)
        what = "direction";
    else if (a->measure != b->measure)
        what = "measure";
    else if (a->scope != b->scope)
        what = "scope";
    else if (a->kind != b->kind)
        what = "kind";
    else if (!same_str(a->formula, b->formula))
        what = "formula";
    else if (!same_str(a->source, b->source))
        what = "source";
    else if (!((!a->params && !b->params) ||
               (a->params && b->params && json_equal((json_t *)a->params, (json_t *)b->params))))
        what = "params";
    if (what)
        perr(c, path, "indicator \"%s\" differs in %s from its definition in %s", a->code, what,
             other_file);
}

/* Checks that a plan's file name starts with the three digits of its seed file. */
static void check_file_name(struct pd_ctx *c, const struct plan_data_plan *p)
{
    const char *base = p->file + strlen(PLAN_DATA_PREFIX);
    if (strlen(base) < 5 || !(base[0] >= '0' && base[0] <= '9') ||
        !(base[1] >= '0' && base[1] <= '9') || !(base[2] >= '0' && base[2] <= '9') ||
        base[3] != '-')
        perr(c, "$", "the file name must be NNN-<slug>.json");
    else if (strncmp(base, p->source, 3) != 0)
        perr(c, "$.source", "\"%s\" does not start with the file's number %.3s", p->source, base);
}

/* See plan_data.h. */
int plan_data_load_assets(const struct asset *tab, size_t n, struct plan_set **out, char *err,
                          size_t errlen)
{
    static const char prefix[] = PLAN_DATA_PREFIX;
    struct pd_refs refs;
    refs_load(&refs, tab, n);
    struct plan_set *set = xcalloc(1, sizeof(*set));
    size_t used = 0;
    int n_bad = 0;
    char *tmp = errlen ? xmalloc(errlen) : NULL;
    if (err && errlen)
        err[0] = '\0';
    *out = NULL;
    for (size_t i = 0; i < n; i++) {
        const struct asset *a = &tab[i];
        size_t plen = strlen(a->path);
        if (strncmp(a->path, prefix, sizeof(prefix) - 1) != 0 || plen < 5 ||
            strcmp(a->path + plen - 5, ".json") != 0 || strchr(a->path + sizeof(prefix) - 1, '/'))
            continue;
        struct plan_data_plan *p = NULL;
        if (parse_with(a->path, (const char *)a->data, a->len, &refs, &p, err ? tmp : NULL,
                       err ? errlen : 0) != 0) {
            n_bad++;
            if (err && used + 1 < errlen) {
                int w = snprintf(err + used, errlen - used, "%s%s", used ? "\n" : "", tmp);
                if (w > 0)
                    used = used + (size_t)w < errlen ? used + (size_t)w : errlen - 1;
            }
            continue;
        }
        set->plans = xrealloc(set->plans, (set->n_plans + 1) * sizeof(*set->plans));
        set->plans[set->n_plans++] = p;
    }
    free(tmp);

    /* Checks across plans. */
    struct pd_ctx c = {.err = err, .errlen = errlen, .used = used, .refs = &refs};
    if (n_bad == 0 && set->n_plans == 0) {
        c.file = PLAN_DATA_PREFIX;
        perr(&c, "$", "no plan files");
    }
    for (size_t i = 0; i < set->n_plans; i++) {
        const struct plan_data_plan *p = set->plans[i];
        c.file = p->file;
        check_file_name(&c, p);
        for (size_t j = 0; j < i; j++)
            if (strcmp(set->plans[j]->code, p->code) == 0)
                perr(&c, "$.code", "plan code \"%s\" is also used by %s", p->code,
                     set->plans[j]->file);
        for (size_t k = 0; k < p->n_indicators; k++) {
            const struct plan_data_indicator *d = &p->indicators[k];
            for (size_t j = 0; j < i; j++) {
                const struct plan_data_indicator *o =
                    plan_data_find_indicator(set->plans[j], d->code);
                if (o) {
                    char b[64];
                    snprintf(b, sizeof(b), "$.indicators[%zu]", k);
                    check_same_indicator(&c, b, d, o, set->plans[j]->file);
                    break;
                }
            }
        }
    }
    refs_free(&refs);
    if (n_bad || c.n_errors) {
        plan_data_free(set);
        return KC_ERR_INVALID;
    }
    *out = set;
    return 0;
}

/* See plan_data.h. */
int plan_data_load_all(struct plan_set **out)
{
    char err[4096];
    int rc = plan_data_load_assets(assets_data, assets_data_count, out, err, sizeof(err));
    if (rc != 0)
        log_msg(LOG_ERROR, "plan data invalid", "errors", err, NULL);
    return rc;
}
