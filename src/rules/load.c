/*
 * load.c — parses and validates rule-set files (data/rules/<id>.json, format in README.md)
 * into struct rules_set, and keeps the registry of loaded sets.
 *
 * Validation is strict and loud: unknown members, dangling references, a unit suffix that
 * does not fit the measure ("4%" on a money measure), a bracket table that is not ordered
 * best first or lacks its final "else", an item whose "max" disagrees with its brackets,
 * a condition the verdict never uses — each is an error naming the JSON path.
 *
 * Magnitudes (why 128-bit products never overflow): record values are bounded by
 * 10^15 (record.c), window sums by 5·10^15, growth numerators and denominators by
 * ~4·10^30; thresholds here are bounded so that every cross product stays below 10^38:
 * ratio thresholds have den ≤ 10^6 and |num| ≤ 10^8, other thresholds |num| ≤ 10^16 and
 * den ≤ 10^6 on measures whose den is ≤ 5.
 */
#include "rules/rules.h"

#include "core/asset.h"
#include "core/xalloc.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Parser state: the set being filled and where to write an error. */
struct parser {
    struct rules_set *s; /* the set being built */
    char *err;           /* error text */
    size_t errlen;       /* its capacity */
};

/* Writes "path: message" into the error buffer; returns KC_ERR_INVALID. */
static int perr(struct parser *p, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int perr(struct parser *p, const char *path, const char *fmt, ...)
{
    char msg[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    snprintf(p->err, p->errlen, "%s: %s", path, msg);
    return KC_ERR_INVALID;
}

/* Rejects members of o not in the NULL-terminated list allowed ("comment" is always
 * allowed: rule files explain themselves). */
static int only_members(struct parser *p, const char *path, const json_t *o,
                        const char *const *allowed)
{
    const char *key;
    json_t *v;
    json_object_foreach((json_t *)o, key, v)
    {
        int ok = strcmp(key, "comment") == 0;
        for (const char *const *a = allowed; *a; a++)
            if (strcmp(*a, key) == 0)
                ok = 1;
        if (!ok)
            return perr(p, path, "unknown member \"%s\"", key);
    }
    return 0;
}

/* Copies a required (or, with optional, possibly absent) string member into a fixed
 * buffer; ids must be 1–47 characters of [a-z0-9_.-]. */
static int get_id(struct parser *p, const char *path, const json_t *o, const char *key, char *out)
{
    const char *s = json_string_value(json_object_get(o, key));
    if (!s || !*s || strlen(s) >= RULES_ID_MAX)
        return perr(p, path, "\"%s\" must be a string of 1-%d characters", key, RULES_ID_MAX - 1);
    for (const char *c = s; *c; c++)
        if (!((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '_' || *c == '-' ||
              *c == '.'))
            return perr(p, path, "\"%s\" may use only a-z 0-9 _ - . (got \"%s\")", key, s);
    strcpy(out, s);
    return 0;
}

/* Duplicates a string member (required unless optional); *out is NULL when absent. */
static int get_text(struct parser *p, const char *path, const json_t *o, const char *key,
                    int optional, char **out)
{
    const json_t *v = json_object_get(o, key);
    *out = NULL;
    if (!v && optional)
        return 0;
    if (!json_is_string(v) || !*json_string_value(v))
        return perr(p, path, "\"%s\" must be a non-empty string", key);
    *out = xstrdup(json_string_value(v));
    return 0;
}

/* Greatest common divisor of two non-negative numbers. */
static int64_t gcd64(int64_t a, int64_t b)
{
    while (b) {
        int64_t t = a % b;
        a = b;
        b = t;
    }
    return a;
}

/* Parses a threshold for a measure of unit u: a JSON integer in the measure's unit
 * (not for money or ratios), or a string "12.5%", "100万元", "2亿元", "1.5元", "3分",
 * "2.5" (decimal, at most 6 decimals). ×100 units scale by 100. */
static int parse_q(struct parser *p, const char *path, const json_t *v, enum rules_unit u,
                   struct rules_q *out)
{
    int64_t num, den = 1;
    const char *suffix = "";
    if (json_is_integer(v)) {
        num = (int64_t)json_integer_value(v);
        if (num > 10000000000000000LL || num < -10000000000000000LL)
            return perr(p, path, "value out of range");
    } else if (json_is_string(v)) {
        const char *s = json_string_value(v);
        int neg = *s == '-';
        if (neg)
            s++;
        num = 0;
        int digits = 0, decimals = -1;
        for (; *s; s++) {
            if (*s >= '0' && *s <= '9') {
                if (digits++ > 16)
                    return perr(p, path, "too many digits");
                num = num * 10 + (*s - '0');
                if (decimals >= 0) {
                    if (++decimals > 6)
                        return perr(p, path, "at most 6 decimals");
                    den *= 10;
                }
            } else if (*s == '.' && decimals < 0 && digits) {
                decimals = 0;
            } else {
                break;
            }
        }
        if (!digits || decimals == 0)
            return perr(p, path, "not a number: \"%s\"", json_string_value(v));
        if (neg)
            num = -num;
        suffix = s;
    } else {
        return perr(p, path, "a threshold must be an integer or a string such as \"4%%\"");
    }
    int64_t mul = 1, div = 1;
    if (strcmp(suffix, "%") == 0 && u == RULES_U_RATIO) {
        div = 100;
    } else if (u == RULES_U_FEN && strcmp(suffix, "分") == 0) {
        mul = 1;
    } else if (u == RULES_U_FEN && strcmp(suffix, "元") == 0) {
        mul = 100;
    } else if (u == RULES_U_FEN && strcmp(suffix, "万元") == 0) {
        mul = 1000000;
    } else if (u == RULES_U_FEN && strcmp(suffix, "亿元") == 0) {
        mul = 10000000000LL;
    } else if (!*suffix && u != RULES_U_FEN && u != RULES_U_RATIO) {
        mul = u == RULES_U_X100 ? 100 : 1;
    } else {
        return perr(p, path, "the value \"%s\" does not fit the measure's unit (%s)",
                    json_is_string(v) ? json_string_value(v) : "integer",
                    u == RULES_U_FEN     ? "money: 元, 万元, 亿元 or 分"
                    : u == RULES_U_RATIO ? "ratio: a percentage such as \"4%\""
                                         : "a plain number");
    }
    if (num > INT64_MAX / mul || num < -(INT64_MAX / mul))
        return perr(p, path, "value out of range");
    num *= mul;
    den *= div;
    int64_t g = gcd64(num < 0 ? -num : num, den);
    if (g > 1) {
        num /= g;
        den /= g;
    }
    if (u == RULES_U_FEN && den != 1)
        return perr(p, path, "money thresholds must be whole fen");
    if (den > 1000000 || num > 10000000000000000LL || num < -10000000000000000LL ||
        (u == RULES_U_RATIO && (num > 100000000 || num < -100000000)))
        return perr(p, path, "value out of range");
    out->num = num;
    out->den = den;
    return 0;
}

/* Parses "op" (">=", ">", "<=", "<", "==") or "edge" (以上 ≥, 超过 >, 以下/以内 ≤, 不满 <:
 * RULES.md "Bracket edges") of o. */
static int parse_op(struct parser *p, const char *path, const json_t *o, enum rules_op *out)
{
    const char *op = json_string_value(json_object_get(o, "op"));
    const char *edge = json_string_value(json_object_get(o, "edge"));
    if ((op != NULL) == (edge != NULL))
        return perr(p, path, "give exactly one of \"op\" and \"edge\"");
    static const struct {
        const char *name;
        enum rules_op op;
    } ops[] = {{">=", RULES_OP_GE},   {">", RULES_OP_GT},    {"<=", RULES_OP_LE},
               {"<", RULES_OP_LT},    {"==", RULES_OP_EQ},   {"以上", RULES_OP_GE},
               {"超过", RULES_OP_GT}, {"以下", RULES_OP_LE}, {"以内", RULES_OP_LE},
               {"不满", RULES_OP_LT}};
    const char *name = op ? op : edge;
    for (size_t i = 0; i < sizeof(ops) / sizeof(*ops); i++)
        if (strcmp(ops[i].name, name) == 0 && (op ? i < 5 : i >= 5)) {
            *out = ops[i].op;
            return 0;
        }
    return perr(p, path, "unknown %s \"%s\"", op ? "op" : "edge", name);
}

/* Index of the measure with id, or -1. */
static int find_measure(const struct rules_set *s, const char *id)
{
    for (int i = 0; i < s->n_measures; i++)
        if (strcmp(s->measures[i].id, id) == 0)
            return i;
    return -1;
}

/* Index of the note with id, or -1. */
static int find_note(const struct rules_set *s, const char *id)
{
    for (int i = 0; i < s->n_notes; i++)
        if (strcmp(s->notes[i].id, id) == 0)
            return i;
    return -1;
}

/* Reads an optional "note" member naming a note; *out = -1 when absent. */
static int get_note_ref(struct parser *p, const char *path, const json_t *o, int8_t *out)
{
    const json_t *v = json_object_get(o, "note");
    *out = -1;
    if (!v || json_is_null(v))
        return 0;
    int n = json_is_string(v) ? find_note(p->s, json_string_value(v)) : -1;
    if (n < 0)
        return perr(p, path, "\"note\" must name a note in \"notes\"");
    *out = (int8_t)n;
    return 0;
}

/* Parses the "notes" array. */
static int parse_notes(struct parser *p, const json_t *arr)
{
    static const char *const allowed[] = {"id", "zh", "en", NULL};
    if (!arr)
        return 0;
    if (!json_is_array(arr) || json_array_size(arr) > RULES_MAX_NOTES)
        return perr(p, "notes", "must be an array of at most %d notes", RULES_MAX_NOTES);
    for (size_t i = 0; i < json_array_size(arr); i++) {
        char path[64];
        snprintf(path, sizeof(path), "notes[%zu]", i);
        const json_t *o = json_array_get(arr, i);
        struct rules_note *n = &p->s->notes[p->s->n_notes];
        if (!json_is_object(o))
            return perr(p, path, "must be an object");
        int rc = only_members(p, path, o, allowed);
        if (!rc)
            rc = get_id(p, path, o, "id", n->id);
        if (!rc)
            rc = get_text(p, path, o, "zh", 0, &n->zh);
        if (!rc)
            rc = get_text(p, path, o, "en", 0, &n->en);
        if (rc)
            return rc;
        p->s->n_notes++;
        if (find_note(p->s, n->id) != p->s->n_notes - 1)
            return perr(p, path, "duplicate note id \"%s\"", n->id);
    }
    return 0;
}

/* Resolves a yearly or identity field name; derived and stored fields both count. */
static int field_ref(struct parser *p, const char *path, const json_t *o, const char *key,
                     int16_t *out)
{
    const char *name = json_string_value(json_object_get(o, key));
    int f = name ? rules_field_find(name) : -1;
    if (f < 0)
        return perr(p, path, "\"%s\" must name a field of the enterprise record", key);
    *out = (int16_t)f;
    return 0;
}

/* Parses one measure. */
static int parse_measure(struct parser *p, const char *path, const json_t *o)
{
    static const char *const allowed[] = {"id",    "label_zh",   "label_en", "kind",   "field",
                                          "num",   "den",        "years",    "offset", "window",
                                          "lever", "flag_notes", NULL};
    struct rules_set *s = p->s;
    struct rules_measure *m = &s->measures[s->n_measures];
    memset(m, 0, sizeof(*m));
    m->den = -1;
    memset(m->flag_note, -1, sizeof(m->flag_note));
    if (!json_is_object(o))
        return perr(p, path, "must be an object");
    int rc = only_members(p, path, o, allowed);
    if (!rc)
        rc = get_id(p, path, o, "id", m->id);
    if (rc)
        return rc;
    if (find_measure(s, m->id) >= 0)
        return perr(p, path, "duplicate measure id \"%s\"", m->id);
    const char *kind = json_string_value(json_object_get(o, "kind"));
    static const char *const kinds[] = {"field",  "sum",        "avg",       "ratio",
                                        "growth", "growth_avg", "days_since"};
    int k = -1;
    if (!kind)
        k = json_object_get(o, "num") ? RULES_M_RATIO : RULES_M_FIELD;
    for (int i = 0; kind && i < 7; i++)
        if (strcmp(kinds[i], kind) == 0)
            k = i;
    if (k < 0)
        return perr(p, path, "unknown kind \"%s\"", kind);
    m->kind = (enum rules_mkind)k;
    if (m->kind == RULES_M_RATIO) {
        rc = field_ref(p, path, o, "num", &m->field);
        if (!rc)
            rc = field_ref(p, path, o, "den", &m->den);
        if (rc)
            return rc;
        if (m->field >= RULES_N_YEARLY || m->den >= RULES_N_YEARLY)
            return perr(p, path, "a ratio needs yearly fields");
        if (rules_fields[m->den].negative_ok)
            return perr(p, path, "a ratio's denominator must be a non-negative field");
        if (json_object_get(o, "field"))
            return perr(p, path, "a ratio takes \"num\" and \"den\", not \"field\"");
    } else {
        if (json_object_get(o, "num") || json_object_get(o, "den"))
            return perr(p, path, "only a ratio takes \"num\" and \"den\"");
        rc = field_ref(p, path, o, "field", &m->field);
        if (rc)
            return rc;
        int yearly = m->field < RULES_N_YEARLY;
        if (m->kind == RULES_M_DAYS_SINCE && m->field != RULES_F_REGISTERED_ON)
            return perr(p, path, "days_since needs the field registered_on");
        if (m->kind != RULES_M_DAYS_SINCE && m->kind != RULES_M_FIELD && !yearly)
            return perr(p, path, "kind \"%s\" needs a yearly field", kind);
        if (m->kind == RULES_M_FIELD && !yearly &&
            (json_object_get(o, "years") || json_object_get(o, "offset")))
            return perr(p, path, "an identity field has no years or offset");
    }
    const json_t *y = json_object_get(o, "years");
    const json_t *off = json_object_get(o, "offset");
    m->years = 1;
    if (m->kind == RULES_M_GROWTH)
        m->years = 2;
    if (m->kind == RULES_M_GROWTH_AVG)
        m->years = 3;
    if (y) {
        if (!json_is_integer(y) || json_integer_value(y) < 1 ||
            json_integer_value(y) > RULES_MAX_WINDOW)
            return perr(p, path, "\"years\" must be 1-%d", RULES_MAX_WINDOW);
        if (m->kind != RULES_M_SUM && m->kind != RULES_M_AVG && m->kind != RULES_M_RATIO)
            return perr(p, path, "\"years\" applies to sum, avg and ratio only");
        m->years = (uint8_t)json_integer_value(y);
    }
    if (off) {
        if (!json_is_integer(off) || json_integer_value(off) > 0 ||
            json_integer_value(off) < -(RULES_MAX_WINDOW - 1))
            return perr(p, path, "\"offset\" must be 0 to -%d", RULES_MAX_WINDOW - 1);
        m->offset = (int8_t)json_integer_value(off);
    }
    if (-m->offset + m->years > RULES_MAX_WINDOW + 1)
        return perr(p, path, "the window reaches back more than %d years", RULES_MAX_WINDOW);
    const char *win = json_string_value(json_object_get(o, "window"));
    if (json_object_get(o, "window")) {
        if (!win || (strcmp(win, "operating") != 0 && strcmp(win, "strict") != 0))
            return perr(p, path, "\"window\" must be \"operating\" or \"strict\"");
        if (m->kind == RULES_M_FIELD || m->kind == RULES_M_DAYS_SINCE || m->kind == RULES_M_GROWTH)
            return perr(p, path, "\"window\" applies to sum, avg, ratio and growth_avg");
        m->operating = strcmp(win, "operating") == 0;
    }
    const json_t *lev = json_object_get(o, "lever");
    if (lev && !json_is_boolean(lev))
        return perr(p, path, "\"lever\" must be true or false");
    m->no_lever = lev && json_is_false(lev);
    const json_t *fn = json_object_get(o, "flag_notes");
    if (fn) {
        static const char *const flags[RULES_N_MFLAGS] = {"short",    "first_zero", "second_zero",
                                                          "negative", "zero_den",   "one_year"};
        if (!json_is_object(fn))
            return perr(p, path, "\"flag_notes\" must be an object");
        const char *key;
        json_t *v;
        json_object_foreach((json_t *)fn, key, v)
        {
            int fi = -1;
            for (int i = 0; i < RULES_N_MFLAGS; i++)
                if (strcmp(flags[i], key) == 0)
                    fi = i;
            int n = json_is_string(v) ? find_note(s, json_string_value(v)) : -1;
            if (fi < 0 || n < 0)
                return perr(p, path,
                            "flag_notes: \"%s\" must be a flag (short, first_zero, "
                            "second_zero, negative, zero_den, one_year) naming a note",
                            key);
            m->flag_note[fi] = (int8_t)n;
        }
    }
    switch (m->kind) {
    case RULES_M_FIELD:
    case RULES_M_SUM:
        m->unit = rules_fields[m->field].unit;
        break;
    case RULES_M_AVG: /* an average of money is money a year; of counts, a count a year */
        m->unit = rules_fields[m->field].unit == RULES_U_FEN ? RULES_U_FEN : RULES_U_PER_YEAR;
        break;
    case RULES_M_DAYS_SINCE:
        m->unit = RULES_U_DAYS;
        break;
    default:
        m->unit = RULES_U_RATIO;
        break;
    }
    if (m->kind == RULES_M_SUM && rules_fields[m->field].unit == RULES_U_BOOL)
        return perr(p, path, "cannot sum a boolean");
    rc = get_text(p, path, o, "label_zh", 1, &m->zh);
    if (!rc)
        rc = get_text(p, path, o, "label_en", 1, &m->en);
    if (rc)
        return rc;
    char zh[256], en[256];
    if (!m->zh && m->kind == RULES_M_RATIO) {
        snprintf(zh, sizeof(zh), "%s / %s", rules_fields[m->field].zh, rules_fields[m->den].zh);
        m->zh = xstrdup(zh);
    }
    if (!m->en && m->kind == RULES_M_RATIO) {
        snprintf(en, sizeof(en), "%s / %s", rules_fields[m->field].en, rules_fields[m->den].en);
        m->en = xstrdup(en);
    }
    if (!m->zh)
        m->zh = xstrdup(rules_fields[m->field].zh);
    if (!m->en)
        m->en = xstrdup(rules_fields[m->field].en);
    s->n_measures++;
    return 0;
}

/* Parses a test {measure, op|edge, value|band} into s->tests. in_bracket: o is a bracket
 * whose other members (points, labels, note) the caller checks. */
static int parse_test(struct parser *p, const char *path, const json_t *o, int default_measure,
                      int in_bracket)
{
    static const char *const allowed[] = {"measure", "op", "edge", "value", "band", NULL};
    struct rules_set *s = p->s;
    if (s->n_tests >= RULES_MAX_TESTS)
        return perr(p, path, "too many tests (max %d)", RULES_MAX_TESTS);
    struct rules_test *t = &s->tests[s->n_tests];
    memset(t, 0, sizeof(*t));
    t->band = -1;
    if (!json_is_object(o))
        return perr(p, path, "a test must be an object");
    int rc = in_bracket ? 0 : only_members(p, path, o, allowed);
    if (rc)
        return rc;
    const json_t *mv = json_object_get(o, "measure");
    int m =
        mv ? (json_is_string(mv) ? find_measure(s, json_string_value(mv)) : -1) : default_measure;
    if (m < 0)
        return perr(p, path, "\"measure\" must name a measure declared before");
    t->measure = (uint8_t)m;
    enum rules_unit u = s->measures[m].unit;
    rc = parse_op(p, path, o, &t->op);
    if (rc)
        return rc;
    if (t->op == RULES_OP_EQ && u != RULES_U_BOOL && u != RULES_U_COUNT)
        return perr(p, path, "\"==\" is only for booleans and counts");
    const json_t *band = json_object_get(o, "band");
    const json_t *value = json_object_get(o, "value");
    if ((band != NULL) == (value != NULL))
        return perr(p, path, "give exactly one of \"value\" and \"band\"");
    if (value) {
        if (u == RULES_U_BOOL && json_is_boolean(value)) {
            t->value.num = json_is_true(value);
            t->value.den = 1;
        } else {
            rc = parse_q(p, path, value, u, &t->value);
            if (rc)
                return rc;
        }
        s->n_tests++;
        return 0;
    }
    static const char *const band_allowed[] = {"by", "rows", NULL};
    static const char *const row_allowed[] = {"op", "edge", "value", "else", "threshold", NULL};
    if (!json_is_object(band) || only_members(p, path, band, band_allowed))
        return perr(p, path, "\"band\" must be {\"by\": measure, \"rows\": [...]}");
    if (s->n_bands >= RULES_MAX_BANDS)
        return perr(p, path, "too many bands (max %d)", RULES_MAX_BANDS);
    struct rules_band *b = &s->bands[s->n_bands];
    memset(b, 0, sizeof(*b));
    const char *by = json_string_value(json_object_get(band, "by"));
    int bm = by ? find_measure(s, by) : -1;
    if (bm < 0)
        return perr(p, path, "band \"by\" must name a measure declared before");
    b->measure = (uint8_t)bm;
    const json_t *rows = json_object_get(band, "rows");
    if (!json_is_array(rows) || json_array_size(rows) < 1 ||
        json_array_size(rows) > RULES_MAX_BAND_ROWS)
        return perr(p, path, "band \"rows\" must be an array of 1-%d rows", RULES_MAX_BAND_ROWS);
    for (size_t i = 0; i < json_array_size(rows); i++) {
        char rpath[96];
        snprintf(rpath, sizeof(rpath), "%s.band.rows[%zu]", path, i);
        const json_t *r = json_array_get(rows, i);
        struct rules_band_row *row = &b->rows[i];
        if (!json_is_object(r))
            return perr(p, rpath, "must be an object");
        rc = only_members(p, rpath, r, row_allowed);
        if (rc)
            return rc;
        row->is_else = json_is_true(json_object_get(r, "else"));
        if (row->is_else != (i + 1 == json_array_size(rows)))
            return perr(p, rpath, "the last row, and only it, must be {\"else\": true, ...}");
        if (!row->is_else) {
            rc = parse_op(p, rpath, r, &row->op);
            if (!rc)
                rc = parse_q(p, rpath, json_object_get(r, "value"), s->measures[bm].unit,
                             &row->value);
            if (rc)
                return rc;
        }
        rc = parse_q(p, rpath, json_object_get(r, "threshold"), u, &row->threshold);
        if (rc)
            return rc;
    }
    b->n_rows = (uint8_t)json_array_size(rows);
    t->band = (int8_t)s->n_bands++;
    s->n_tests++;
    return 0;
}

/* Parses {"all": [...]} or {"any": [...]} test lists of o into first/n/any; 0 tests when
 * neither is present and allow_none. */
static int parse_test_list(struct parser *p, const char *path, const json_t *o, int default_measure,
                           uint16_t *first, uint16_t *n, bool *any, int allow_none)
{
    const json_t *all = json_object_get(o, "all");
    const json_t *an = json_object_get(o, "any");
    *first = p->s->n_tests;
    *n = 0;
    *any = false;
    if (all && an)
        return perr(p, path, "give only one of \"all\" and \"any\"");
    const json_t *arr = all ? all : an;
    if (!arr) {
        if (allow_none)
            return 0;
        return perr(p, path, "needs \"all\" or \"any\" with a list of tests");
    }
    if (!json_is_array(arr) || json_array_size(arr) < 1)
        return perr(p, path, "\"%s\" must be a non-empty array of tests", all ? "all" : "any");
    *any = an != NULL;
    for (size_t i = 0; i < json_array_size(arr); i++) {
        char tpath[96];
        snprintf(tpath, sizeof(tpath), "%s.%s[%zu]", path, all ? "all" : "any", i);
        int rc = parse_test(p, tpath, json_array_get(arr, i), default_measure, 0);
        if (rc)
            return rc;
    }
    *n = (uint16_t)json_array_size(arr);
    return 0;
}

/* Points as n or [lo, hi]. */
static int parse_points(struct parser *p, const char *path, const json_t *v, int16_t *lo,
                        int16_t *hi)
{
    if (json_is_integer(v)) {
        *lo = *hi = (int16_t)json_integer_value(v);
    } else if (json_is_array(v) && json_array_size(v) == 2 &&
               json_is_integer(json_array_get(v, 0)) && json_is_integer(json_array_get(v, 1))) {
        *lo = (int16_t)json_integer_value(json_array_get(v, 0));
        *hi = (int16_t)json_integer_value(json_array_get(v, 1));
    } else {
        return perr(p, path, "\"points\" must be an integer or [min, max]");
    }
    if (*lo < 0 || *hi < *lo || *hi > 1000)
        return perr(p, path, "\"points\" must satisfy 0 <= min <= max <= 1000");
    return 0;
}

static const char *const op_sym[] = {"≥", ">", "≤", "<", "="};

/* A label for bracket b (a single comparison on the alternative's measure) given the
 * bracket before it: "≥30%", "25%≤r<30%", "<10%"; zh and en are the same symbols. */
static void auto_label(const struct rules_set *s, const struct rules_bracket *prev,
                       const struct rules_bracket *b, char *out, size_t cap)
{
    const struct rules_test *tp = prev && prev->n_tests == 1 ? &s->tests[prev->first_test] : NULL;
    const struct rules_test *tb = b->n_tests == 1 ? &s->tests[b->first_test] : NULL;
    char vb[64] = "", vp[64] = "";
    enum rules_unit u =
        tb ? s->measures[tb->measure].unit : (tp ? s->measures[tp->measure].unit : RULES_U_COUNT);
    if (tb)
        rules_fmt_q(vb, sizeof(vb), u, tb->value);
    if (tp)
        rules_fmt_q(vp, sizeof(vp), u, tp->value);
    /* The previous bracket's bound read from this side: ≥ x there means < x here. */
    static const char *const mirror[] = {"<", "≤", ">", "≥", "≠"};
    if (b->is_else) {
        if (tp && tp->band < 0)
            snprintf(out, cap, "%s%s", mirror[tp->op], vp);
        else
            snprintf(out, cap, "%s", "其他 / other");
    } else if (tb && tb->band < 0 && tp && tp->band < 0 && tp->measure == tb->measure &&
               tb->op <= RULES_OP_GT && tp->op <= RULES_OP_GT) {
        snprintf(out, cap, "%s%sr%s%s", vb, tb->op == RULES_OP_GE ? "≤" : "<", mirror[tp->op], vp);
    } else if (tb && tb->band < 0 && tp && tp->band < 0 && tp->measure == tb->measure &&
               tb->op >= RULES_OP_LE && tb->op <= RULES_OP_LT && tp->op >= RULES_OP_LE &&
               tp->op <= RULES_OP_LT) {
        snprintf(out, cap, "%s%sr%s%s", vp, mirror[tp->op], tb->op == RULES_OP_LE ? "≤" : "<", vb);
    } else if (tb && tb->band < 0) {
        snprintf(out, cap, "%s%s", op_sym[tb->op], vb);
    } else {
        snprintf(out, cap, "%s", "—");
    }
}

/* Parses the brackets of one alternative (best first, last is else). */
static int parse_brackets(struct parser *p, const char *path, const json_t *arr, int measure,
                          struct rules_alt *alt, int16_t *max_hi)
{
    static const char *const allowed[] = {"op",     "edge",     "value",    "all",  "any", "else",
                                          "points", "label_zh", "label_en", "note", NULL};
    struct rules_set *s = p->s;
    if (!json_is_array(arr) || json_array_size(arr) < 1)
        return perr(p, path, "\"brackets\" must be a non-empty array");
    alt->first_bracket = s->n_brackets;
    *max_hi = 0;
    for (size_t i = 0; i < json_array_size(arr); i++) {
        char bpath[96];
        snprintf(bpath, sizeof(bpath), "%s.brackets[%zu]", path, i);
        const json_t *o = json_array_get(arr, i);
        if (s->n_brackets >= RULES_MAX_BRACKETS)
            return perr(p, bpath, "too many brackets (max %d)", RULES_MAX_BRACKETS);
        struct rules_bracket *b = &s->brackets[s->n_brackets];
        memset(b, 0, sizeof(*b));
        if (!json_is_object(o))
            return perr(p, bpath, "must be an object");
        int rc = only_members(p, bpath, o, allowed);
        if (rc)
            return rc;
        b->is_else = json_is_true(json_object_get(o, "else"));
        if (b->is_else != (i + 1 == json_array_size(arr)))
            return perr(p, bpath, "the last bracket, and only it, must be {\"else\": true}");
        int has_cmp = json_object_get(o, "op") || json_object_get(o, "edge");
        if (b->is_else) {
            b->first_test = s->n_tests;
            if (has_cmp || json_object_get(o, "all") || json_object_get(o, "any"))
                return perr(p, bpath, "an else bracket has no tests");
        } else if (has_cmp) {
            if (measure < 0)
                return perr(p, bpath, "a bare comparison needs the item's \"measure\"");
            if (json_object_get(o, "all") || json_object_get(o, "any"))
                return perr(p, bpath, "give a comparison or a test list, not both");
            b->first_test = s->n_tests;
            b->n_tests = 1;
            rc = parse_test(p, bpath, o, measure, 1);
            if (!rc && s->tests[b->first_test].band >= 0)
                rc = perr(p, bpath, "brackets take fixed values");
        } else {
            rc = parse_test_list(p, bpath, o, measure, &b->first_test, &b->n_tests, &b->any, 0);
        }
        if (!rc)
            rc = parse_points(p, bpath, json_object_get(o, "points"), &b->lo, &b->hi);
        if (!rc)
            rc = get_note_ref(p, bpath, o, &b->note);
        if (!rc)
            rc = get_text(p, bpath, o, "label_zh", 1, &b->zh);
        if (!rc)
            rc = get_text(p, bpath, o, "label_en", 1, &b->en);
        if (rc)
            return rc;
        const struct rules_bracket *prev = i ? &s->brackets[s->n_brackets - 1] : NULL;
        if (prev && (b->hi > prev->hi || b->lo > prev->lo))
            return perr(p, bpath, "brackets must be ordered best first (points must not rise)");
        /* Same-measure single comparisons must move monotonically away from the best. */
        if (prev && prev->n_tests == 1 && b->n_tests == 1) {
            const struct rules_test *tp = &s->tests[prev->first_test];
            const struct rules_test *tb = &s->tests[b->first_test];
            if (tp->measure == tb->measure && tp->op != RULES_OP_EQ && tb->op != RULES_OP_EQ) {
                __int128 lhs = (__int128)tb->value.num * tp->value.den;
                __int128 rhs = (__int128)tp->value.num * tb->value.den;
                int up = tp->op <= RULES_OP_GT;
                if ((up != (tb->op <= RULES_OP_GT)) || (up ? lhs > rhs : lhs < rhs))
                    return perr(p, bpath, "thresholds must be ordered best first");
            }
        }
        if (!b->zh || !b->en) {
            if (!b->is_else && b->n_tests != 1)
                return perr(p, bpath, "a bracket with a test list needs label_zh and label_en");
            char lab[160];
            auto_label(s, prev, b, lab, sizeof(lab));
            if (!b->zh)
                b->zh = xstrdup(lab);
            if (!b->en)
                b->en = xstrdup(lab);
        }
        if (b->hi > *max_hi)
            *max_hi = b->hi;
        s->n_brackets++;
    }
    alt->n_brackets = (uint16_t)(s->n_brackets - alt->first_bracket);
    return 0;
}

/* Index of the group with id, or -1. */
static int find_group(const struct rules_set *s, const char *id)
{
    for (int i = 0; i < s->n_groups; i++)
        if (strcmp(s->groups[i].id, id) == 0)
            return i;
    return -1;
}

/* Parses the "groups" array. */
static int parse_groups(struct parser *p, const json_t *arr)
{
    static const char *const allowed[] = {"id", "label_zh", "label_en", "cap", NULL};
    if (!arr)
        return 0;
    if (!json_is_array(arr) || json_array_size(arr) > RULES_MAX_GROUPS)
        return perr(p, "groups", "must be an array of at most %d groups", RULES_MAX_GROUPS);
    for (size_t i = 0; i < json_array_size(arr); i++) {
        char path[64];
        snprintf(path, sizeof(path), "groups[%zu]", i);
        const json_t *o = json_array_get(arr, i);
        struct rules_group *g = &p->s->groups[p->s->n_groups];
        if (!json_is_object(o))
            return perr(p, path, "must be an object");
        int rc = only_members(p, path, o, allowed);
        if (!rc)
            rc = get_id(p, path, o, "id", g->id);
        if (!rc)
            rc = get_text(p, path, o, "label_zh", 0, &g->zh);
        if (!rc)
            rc = get_text(p, path, o, "label_en", 0, &g->en);
        if (rc)
            return rc;
        const json_t *cap = json_object_get(o, "cap");
        g->cap = -1;
        if (cap) {
            if (!json_is_integer(cap) || json_integer_value(cap) < 0 ||
                json_integer_value(cap) > 1000)
                return perr(p, path, "\"cap\" must be an integer 0-1000");
            g->cap = (int16_t)json_integer_value(cap);
        }
        if (find_group(p->s, g->id) >= 0)
            return perr(p, path, "duplicate group id \"%s\"", g->id);
        p->s->n_groups++;
    }
    return 0;
}

/* Index of the item with id, or -1. */
static int find_item(const struct rules_set *s, const char *id)
{
    for (int i = 0; i < s->n_items; i++)
        if (strcmp(s->items[i].id, id) == 0)
            return i;
    return -1;
}

/* Parses one scored item. */
static int parse_item(struct parser *p, const char *path, const json_t *o)
{
    static const char *const allowed[] = {"id",    "label_zh", "label_en", "group",
                                          "max",   "measure",  "brackets", "alternatives",
                                          "input", "note",     NULL};
    static const char *const alt_allowed[] = {"id",       "label_zh", "label_en", "measure",
                                              "brackets", "note",     NULL};
    struct rules_set *s = p->s;
    struct rules_item *it = &s->items[s->n_items];
    memset(it, 0, sizeof(*it));
    if (!json_is_object(o))
        return perr(p, path, "must be an object");
    int rc = only_members(p, path, o, allowed);
    if (!rc)
        rc = get_id(p, path, o, "id", it->id);
    if (!rc)
        rc = get_text(p, path, o, "label_zh", 0, &it->zh);
    if (!rc)
        rc = get_text(p, path, o, "label_en", 0, &it->en);
    if (!rc)
        rc = get_note_ref(p, path, o, &it->note);
    if (rc)
        return rc;
    if (find_item(s, it->id) >= 0)
        return perr(p, path, "duplicate item id \"%s\"", it->id);
    const json_t *g = json_object_get(o, "group");
    it->group = -1;
    if (g) {
        int gi = json_is_string(g) ? find_group(s, json_string_value(g)) : -1;
        if (gi < 0)
            return perr(p, path, "\"group\" must name a group");
        it->group = (int8_t)gi;
    }
    const json_t *max = json_object_get(o, "max");
    if (!json_is_integer(max) || json_integer_value(max) < 0 || json_integer_value(max) > 1000)
        return perr(p, path, "\"max\" must be an integer 0-1000");
    it->max = (int16_t)json_integer_value(max);
    const json_t *mv = json_object_get(o, "measure");
    int measure = -1;
    if (mv) {
        measure = json_is_string(mv) ? find_measure(s, json_string_value(mv)) : -1;
        if (measure < 0)
            return perr(p, path, "\"measure\" must name a measure");
    }
    const json_t *br = json_object_get(o, "brackets");
    const json_t *alts = json_object_get(o, "alternatives");
    const json_t *input = json_object_get(o, "input");
    if (!!br + !!alts + !!input != 1)
        return perr(p, path, "give exactly one of \"brackets\", \"alternatives\", \"input\"");
    if (input) {
        int m = json_is_string(input) ? find_measure(s, json_string_value(input)) : -1;
        if (m < 0 || s->measures[m].unit != RULES_U_X100 || s->measures[m].kind != RULES_M_FIELD)
            return perr(p, path, "\"input\" must name a field measure of points (×100 unit)");
        it->kind = RULES_I_INPUT;
        it->measure = (uint8_t)m;
        s->n_items++;
        return 0;
    }
    it->kind = RULES_I_BRACKETS;
    it->first_alt = s->n_alts;
    size_t n = br ? 1 : (json_is_array(alts) ? json_array_size(alts) : 0);
    if (n < 1 || s->n_alts + n > RULES_MAX_ALTS)
        return perr(p, path, "\"alternatives\" must be a non-empty array (at most %d in all)",
                    RULES_MAX_ALTS);
    for (size_t i = 0; i < n; i++) {
        struct rules_alt *a = &s->alts[s->n_alts];
        memset(a, 0, sizeof(*a));
        a->note = -1;
        int16_t hi = 0;
        char apath[96];
        if (br) {
            memcpy(a->id, it->id, sizeof(a->id));
            rc = parse_brackets(p, path, br, measure, a, &hi);
        } else {
            const json_t *ao = json_array_get(alts, i);
            snprintf(apath, sizeof(apath), "%s.alternatives[%zu]", path, i);
            if (!json_is_object(ao))
                return perr(p, apath, "must be an object");
            rc = only_members(p, apath, ao, alt_allowed);
            if (!rc)
                rc = get_id(p, apath, ao, "id", a->id);
            if (!rc)
                rc = get_text(p, apath, ao, "label_zh", 0, &a->zh);
            if (!rc)
                rc = get_text(p, apath, ao, "label_en", 0, &a->en);
            if (!rc)
                rc = get_note_ref(p, apath, ao, &a->note);
            int am = measure;
            const json_t *amv = json_object_get(ao, "measure");
            if (!rc && amv) {
                am = json_is_string(amv) ? find_measure(s, json_string_value(amv)) : -1;
                if (am < 0)
                    rc = perr(p, apath, "\"measure\" must name a measure");
            }
            if (!rc)
                rc = parse_brackets(p, apath, json_object_get(ao, "brackets"), am, a, &hi);
        }
        if (rc)
            return rc;
        if (hi != it->max)
            return perr(p, path, "\"max\" is %d but the best bracket gives %d", it->max, hi);
        s->n_alts++;
    }
    it->n_alts = (uint8_t)n;
    s->n_items++;
    return 0;
}

/* Index of the condition with id, or -1. */
static int find_condition(const struct rules_set *s, const char *id)
{
    for (int i = 0; i < s->n_conditions; i++)
        if (strcmp(s->conditions[i].id, id) == 0)
            return i;
    return -1;
}

/* Parses one condition. */
static int parse_condition(struct parser *p, const char *path, const json_t *o)
{
    static const char *const allowed[] = {"id",    "label_zh", "label_en", "all",  "any",
                                          "score", "item",     "manual",   "note", NULL};
    static const char *const score_allowed[] = {"op", "edge", "value", "group", NULL};
    static const char *const item_allowed[] = {"id", "op", "edge", "value", NULL};
    struct rules_set *s = p->s;
    struct rules_condition *c = &s->conditions[s->n_conditions];
    memset(c, 0, sizeof(*c));
    c->target = -1;
    if (!json_is_object(o))
        return perr(p, path, "must be an object");
    int rc = only_members(p, path, o, allowed);
    if (!rc)
        rc = get_id(p, path, o, "id", c->id);
    if (!rc)
        rc = get_text(p, path, o, "label_zh", 0, &c->zh);
    if (!rc)
        rc = get_text(p, path, o, "label_en", 0, &c->en);
    if (!rc)
        rc = get_note_ref(p, path, o, &c->note);
    if (rc)
        return rc;
    if (find_condition(s, c->id) >= 0)
        return perr(p, path, "duplicate condition id \"%s\"", c->id);
    const json_t *score = json_object_get(o, "score");
    const json_t *item = json_object_get(o, "item");
    const json_t *manual = json_object_get(o, "manual");
    int tests = json_object_get(o, "all") || json_object_get(o, "any");
    if (!!score + !!item + !!manual + tests != 1)
        return perr(p, path, "give exactly one of all/any, \"score\", \"item\", \"manual\"");
    if (tests) {
        c->kind = RULES_C_TESTS;
        rc = parse_test_list(p, path, o, -1, &c->first_test, &c->n_tests, &c->any, 0);
    } else if (manual) {
        if (!json_is_true(manual))
            return perr(p, path, "\"manual\" must be true");
        c->kind = RULES_C_MANUAL;
    } else {
        const json_t *spec = score ? score : item;
        char spath[96];
        snprintf(spath, sizeof(spath), "%s.%s", path, score ? "score" : "item");
        if (!json_is_object(spec))
            return perr(p, spath, "must be an object");
        rc = only_members(p, spath, spec, score ? score_allowed : item_allowed);
        if (!rc)
            rc = parse_op(p, spath, spec, &c->op);
        if (rc)
            return rc;
        const json_t *v = json_object_get(spec, "value");
        if (!json_is_integer(v) || json_integer_value(v) < 0 || json_integer_value(v) > 1000)
            return perr(p, spath, "\"value\" must be integer points 0-1000");
        c->points = (int16_t)json_integer_value(v);
        if (c->op == RULES_OP_EQ)
            return perr(p, spath, "use >=, >, <= or <");
        if (score) {
            c->kind = RULES_C_SCORE;
            const json_t *g = json_object_get(spec, "group");
            if (g) {
                int gi = json_is_string(g) ? find_group(s, json_string_value(g)) : -1;
                if (gi < 0)
                    return perr(p, spath, "\"group\" must name a group");
                c->target = (int8_t)gi;
            }
        } else {
            c->kind = RULES_C_ITEM;
            const char *id = json_string_value(json_object_get(spec, "id"));
            int ii = id ? find_item(s, id) : -1;
            if (ii < 0)
                return perr(p, spath, "\"id\" must name an item");
            c->target = (int8_t)ii;
        }
    }
    if (rc)
        return rc;
    s->n_conditions++;
    return 0;
}

/* Parses a verdict expression: a condition id, {"all": [...]} or {"any": [...]};
 * *out is the node index; used[] counts condition references. */
static int parse_node(struct parser *p, const char *path, const json_t *v, int depth, int *out,
                      int *used)
{
    struct rules_set *s = p->s;
    if (depth > 8)
        return perr(p, path, "the verdict expression is nested too deeply");
    if (s->n_nodes >= RULES_MAX_NODES)
        return perr(p, path, "the verdict expression is too large");
    int idx = s->n_nodes++;
    struct rules_node *n = &s->nodes[idx];
    memset(n, 0, sizeof(*n));
    if (json_is_string(v)) {
        int c = find_condition(s, json_string_value(v));
        if (c < 0)
            return perr(p, path, "unknown condition \"%s\"", json_string_value(v));
        n->kind = 0;
        n->cond = (uint8_t)c;
        used[c]++;
        *out = idx;
        return 0;
    }
    const json_t *all = json_object_get(v, "all");
    const json_t *any = json_object_get(v, "any");
    if (!json_is_object(v) || json_object_size(v) != 1 || !(all || any))
        return perr(p, path, "expected a condition id, {\"all\": [...]} or {\"any\": [...]}");
    const json_t *arr = all ? all : any;
    if (!json_is_array(arr) || json_array_size(arr) < 1 || json_array_size(arr) > 16)
        return perr(p, path, "\"%s\" must list 1-16 entries", all ? "all" : "any");
    n->kind = all ? 1 : 2;
    n->n_children = (uint8_t)json_array_size(arr);
    for (size_t i = 0; i < json_array_size(arr); i++) {
        char cpath[128];
        snprintf(cpath, sizeof(cpath), "%s.%s[%zu]", path, all ? "all" : "any", i);
        int child;
        int rc = parse_node(p, cpath, json_array_get(arr, i), depth + 1, &child, used);
        if (rc)
            return rc;
        s->nodes[idx].child[i] = (uint8_t)child;
    }
    *out = idx;
    return 0;
}

/* Parses a "YYYY-MM-DD" member into days since 1970 (INT32_MAX for an optional null). */
static int get_date(struct parser *p, const json_t *o, const char *key, int optional, int32_t *out)
{
    const json_t *v = json_object_get(o, key);
    if (optional && (!v || json_is_null(v))) {
        *out = INT32_MAX;
        return 0;
    }
    int64_t d;
    const char *s = json_string_value(v);
    if (!s || rules_parse_date(s, &d) != 0)
        return perr(p, key, "must be a date YYYY-MM-DD%s", optional ? " or null" : "");
    *out = (int32_t)d;
    return 0;
}

/* See rules.h. Every slot is freed, not only the counted ones: a parse that fails leaves
 * the strings of its half-parsed entry in the next slot (the set starts zeroed). */
void rules_set_free(struct rules_set *s)
{
    if (!s)
        return;
    free(s->title_zh);
    free(s->title_en);
    free(s->source);
    for (int i = 0; i < RULES_MAX_MEASURES; i++) {
        free(s->measures[i].zh);
        free(s->measures[i].en);
    }
    for (int i = 0; i < RULES_MAX_CONDITIONS; i++) {
        free(s->conditions[i].zh);
        free(s->conditions[i].en);
    }
    for (int i = 0; i < RULES_MAX_ITEMS; i++) {
        free(s->items[i].zh);
        free(s->items[i].en);
    }
    for (int i = 0; i < RULES_MAX_ALTS; i++) {
        free(s->alts[i].zh);
        free(s->alts[i].en);
    }
    for (int i = 0; i < RULES_MAX_BRACKETS; i++) {
        free(s->brackets[i].zh);
        free(s->brackets[i].en);
    }
    for (int i = 0; i < RULES_MAX_GROUPS; i++) {
        free(s->groups[i].zh);
        free(s->groups[i].en);
    }
    for (int i = 0; i < RULES_MAX_NOTES; i++) {
        free(s->notes[i].zh);
        free(s->notes[i].en);
    }
    free(s);
}

/* Parses an array member with a per-element parser and a limit. */
static int parse_array(struct parser *p, const json_t *root, const char *key, size_t limit,
                       int (*one)(struct parser *, const char *, const json_t *))
{
    const json_t *arr = json_object_get(root, key);
    if (!arr && strcmp(key, "items") == 0)
        return 0;
    if (!json_is_array(arr) || json_array_size(arr) > limit)
        return perr(p, key, "must be an array of at most %zu entries", limit);
    for (size_t i = 0; i < json_array_size(arr); i++) {
        char path[64];
        snprintf(path, sizeof(path), "%s[%zu]", key, i);
        int rc = one(p, path, json_array_get(arr, i));
        if (rc)
            return rc;
    }
    return 0;
}

/* The body of rules_set_parse once the JSON is loaded. */
static int parse_root(struct parser *p, const json_t *root)
{
    static const char *const allowed[] = {"schema",
                                          "id",
                                          "family",
                                          "title_zh",
                                          "title_en",
                                          "source",
                                          "research",
                                          "effective_from",
                                          "effective_to",
                                          "pre_assessment",
                                          "provisional",
                                          "notes",
                                          "unit_costs",
                                          "measures",
                                          "groups",
                                          "items",
                                          "conditions",
                                          "verdict",
                                          NULL};
    struct rules_set *s = p->s;
    if (!json_is_object(root))
        return perr(p, "$", "a rule set must be a JSON object");
    int rc = only_members(p, "$", root, allowed);
    if (rc)
        return rc;
    if (json_integer_value(json_object_get(root, "schema")) != 1)
        return perr(p, "schema", "must be 1");
    rc = get_id(p, "$", root, "id", s->id);
    if (!rc)
        rc = get_id(p, "$", root, "family", s->family);
    if (!rc)
        rc = get_text(p, "$", root, "title_zh", 0, &s->title_zh);
    if (!rc)
        rc = get_text(p, "$", root, "title_en", 0, &s->title_en);
    if (!rc)
        rc = get_text(p, "$", root, "source", 0, &s->source);
    if (!rc)
        rc = get_date(p, root, "effective_from", 0, &s->from_days);
    if (!rc)
        rc = get_date(p, root, "effective_to", 1, &s->to_days);
    if (rc)
        return rc;
    if (s->to_days < s->from_days)
        return perr(p, "effective_to", "is before effective_from");
    if (strncmp(s->id, s->family, strlen(s->family)) != 0 || s->id[strlen(s->family)] != '-')
        return perr(p, "family", "the id must be the family followed by \"-\"");
    const json_t *pre = json_object_get(root, "pre_assessment");
    if (pre && !json_is_boolean(pre))
        return perr(p, "pre_assessment", "must be true or false");
    s->pre_assessment = pre && json_is_true(pre);
    rc = parse_notes(p, json_object_get(root, "notes"));
    if (rc)
        return rc;
    s->set_note = -1;
    const json_t *prov = json_object_get(root, "provisional");
    if (prov && !json_is_null(prov)) {
        int n = json_is_string(prov) ? find_note(s, json_string_value(prov)) : -1;
        if (n < 0)
            return perr(p, "provisional", "must name a note (or be null)");
        s->set_note = (int8_t)n;
    }
    for (int f = 0; f < RULES_N_FIELDS; f++)
        s->unit_cost_fen[f] = rules_fields[f].unit_cost_fen;
    const json_t *costs = json_object_get(root, "unit_costs");
    if (costs) {
        const char *key;
        json_t *v;
        if (!json_is_object(costs))
            return perr(p, "unit_costs", "must be an object of field: money");
        json_object_foreach((json_t *)costs, key, v)
        {
            int f = rules_field_find(key);
            struct rules_q q;
            if (f < 0 || rules_fields[f].lever != f)
                return perr(p, "unit_costs", "\"%s\" is not a lever field", key);
            rc = parse_q(p, "unit_costs", v, RULES_U_FEN, &q);
            if (rc)
                return rc;
            if (q.num <= 0)
                return perr(p, "unit_costs", "\"%s\" must cost more than 0", key);
            s->unit_cost_fen[f] = q.num;
        }
    }
    rc = parse_array(p, root, "measures", RULES_MAX_MEASURES, parse_measure);
    if (!rc)
        rc = parse_groups(p, json_object_get(root, "groups"));
    if (!rc)
        rc = parse_array(p, root, "items", RULES_MAX_ITEMS, parse_item);
    if (!rc)
        rc = parse_array(p, root, "conditions", RULES_MAX_CONDITIONS, parse_condition);
    if (rc)
        return rc;
    s->scored = s->n_items > 0;
    for (int i = 0; i < s->n_conditions; i++)
        if (s->conditions[i].kind == RULES_C_SCORE && !s->scored)
            return perr(p, "conditions", "\"%s\" tests a score but the set has no items",
                        s->conditions[i].id);
    int used[RULES_MAX_CONDITIONS] = {0};
    int root_node;
    rc = parse_node(p, "verdict", json_object_get(root, "verdict"), 0, &root_node, used);
    if (rc)
        return rc;
    for (int i = 0; i < s->n_conditions; i++)
        if (!used[i])
            return perr(p, "verdict", "condition \"%s\" is never used", s->conditions[i].id);
    return 0;
}

/* See rules.h. */
int rules_set_parse(const char *json, size_t len, struct rules_set **out, char *err, size_t errlen)
{
    json_error_t jerr;
    *out = NULL;
    json_t *root = json_loadb(json, len, JSON_REJECT_DUPLICATES, &jerr);
    if (!root) {
        snprintf(err, errlen, "line %d: %s", jerr.line, jerr.text);
        return KC_ERR_INVALID;
    }
    struct parser p = {xcalloc(1, sizeof(struct rules_set)), err, errlen};
    int rc = parse_root(&p, root);
    json_decref(root);
    if (rc) {
        rules_set_free(p.s);
        return rc;
    }
    *out = p.s;
    return 0;
}

/* See rules.h. */
void rules_registry_free(struct rules_registry *reg)
{
    for (size_t i = 0; i < reg->n; i++)
        rules_set_free(reg->sets[i]);
    free(reg->sets);
    reg->sets = NULL;
    reg->n = 0;
}

/* True when an embedded file under data/rules/ declares a "kind" (e.g. "contract-types"):
 * data of another engine kept beside the enterprise rule sets, not a set of this one. */
static bool other_engine(const struct asset *a)
{
    json_t *root = json_loadb((const char *)a->data, a->len, 0, NULL);
    bool other = json_is_string(json_object_get(root, "kind"));
    json_decref(root);
    return other;
}

/* See rules.h. */
int rules_registry_load_embedded(struct rules_registry *reg, char *err, size_t errlen)
{
    static const char prefix[] = "data/rules/";
    reg->sets = NULL;
    reg->n = 0;
    for (size_t i = 0; i < assets_data_count; i++) {
        const struct asset *a = &assets_data[i];
        size_t plen = strlen(a->path);
        if (strncmp(a->path, prefix, sizeof(prefix) - 1) != 0 || plen < 5 ||
            strcmp(a->path + plen - 5, ".json") != 0 || other_engine(a))
            continue;
        struct rules_set *s = NULL;
        char why[400];
        if (rules_set_parse((const char *)a->data, a->len, &s, why, sizeof(why)) != 0) {
            snprintf(err, errlen, "%s: %s", a->path, why);
            rules_registry_free(reg);
            return KC_ERR_INVALID;
        }
        const char *base = a->path + sizeof(prefix) - 1;
        if (strlen(base) != strlen(s->id) + 5 || strncmp(base, s->id, strlen(s->id)) != 0) {
            snprintf(err, errlen, "%s: the id \"%s\" must match the file name", a->path, s->id);
            rules_set_free(s);
            rules_registry_free(reg);
            return KC_ERR_INVALID;
        }
        for (size_t j = 0; j < reg->n; j++) {
            const struct rules_set *o = reg->sets[j];
            if (strcmp(o->family, s->family) == 0 && s->from_days <= o->to_days &&
                o->from_days <= s->to_days) {
                snprintf(err, errlen, "%s: in force at the same time as %s (same family)", a->path,
                         o->id);
                rules_set_free(s);
                rules_registry_free(reg);
                return KC_ERR_INVALID;
            }
        }
        reg->sets = xrealloc(reg->sets, (reg->n + 1) * sizeof(*reg->sets));
        reg->sets[reg->n++] = s;
    }
    return 0;
}

/* See rules.h. The set in force on 31 December of year is the one whose period contains
 * that day; periods of one family never overlap (checked at load). */
const struct rules_set *rules_registry_find(const struct rules_registry *reg, const char *name,
                                            int year)
{
    for (size_t i = 0; i < reg->n; i++)
        if (strcmp(reg->sets[i]->id, name) == 0)
            return reg->sets[i];
    int64_t dec31 = rules_days_from_civil(year, 12, 31);
    for (size_t i = 0; i < reg->n; i++) {
        const struct rules_set *s = reg->sets[i];
        if (strcmp(s->family, name) == 0 && s->from_days <= dec31 && dec31 <= s->to_days)
            return s;
    }
    return NULL;
}

/* See rules.h. */
int rules_registry_knows(const struct rules_registry *reg, const char *name)
{
    for (size_t i = 0; i < reg->n; i++)
        if (strcmp(reg->sets[i]->id, name) == 0 || strcmp(reg->sets[i]->family, name) == 0)
            return 1;
    return 0;
}
