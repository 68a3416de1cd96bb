/*
 * record.c — parses API.md's enterprise record (a jansson object) into the fixed-size
 * struct rules_record used by the engine.
 *
 * Decisions (README "Enterprise record"): unknown members are ignored; null and absent
 * members are "not given" (conditions needing them are unknown, never zero), except
 * hightech_field whose null means "in none of the 8 fields"; money must be an integer
 * number of 分 with |v| ≤ 10^15 (¥10 trillion, which keeps every product in the engine
 * inside 128 bits); counts and persons are integers in [0, 10^9].
 */
#include "rules/rules.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MONEY_LIMIT 1000000000000000LL /* 10^15 分 */
#define COUNT_LIMIT 1000000000LL       /* 10^9 */

/* The 8 国家重点支持的高新技术领域 (research §2.5). */
static const char *const hightech_fields[] = {"电子信息",   "生物与新医药",    "航空航天",
                                              "新材料",     "高技术服务",      "新能源与节能",
                                              "资源与环境", "先进制造与自动化"};

/* Fills err and returns KC_ERR_INVALID. */
static int fail(struct rules_parse_error *err, const char *code, const char *field, const char *fmt,
                const char *arg)
{
    snprintf(err->code, sizeof(err->code), "%s", code);
    snprintf(err->field, sizeof(err->field), "%s", field);
    snprintf(err->message, sizeof(err->message), fmt, field, arg ? arg : "");
    return KC_ERR_INVALID;
}

/* See rules.h (Howard Hinnant's days_from_civil). */
int64_t rules_days_from_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

/* See rules.h (Howard Hinnant's civil_from_days, year only). */
int rules_year_of_days(int64_t days)
{
    int64_t z = days + 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    unsigned m = mp < 10 ? mp + 3 : mp - 9;
    return (int)((int64_t)yoe + era * 400 + (m <= 2));
}

/* See rules.h. */
int rules_parse_date(const char *s, int64_t *out)
{
    if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return -1;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
            return -1;
    int y = atoi(s), m = atoi(s + 5), d = atoi(s + 8);
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < 1900 || y > 2199 || m < 1 || m > 12 || d < 1)
        return -1;
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (d > mdays[m - 1] + (m == 2 && leap))
        return -1;
    *out = rules_days_from_civil(y, (unsigned)m, (unsigned)d);
    return 0;
}

/* Converts a JSON number of field f into its stored integer (×100 for RULES_U_X100);
 * 0, or -1 with a reason in *why. */
static int number_of(const json_t *v, int f, int64_t *out, const char **why)
{
    const struct rules_field_info *fi = &rules_fields[f];
    if (fi->unit == RULES_U_X100) {
        if (!json_is_number(v)) {
            *why = "a number";
            return -1;
        }
        double d = json_number_value(v) * 100.0;
        double r = nearbyint(d);
        if (!(fabs(d - r) < 1e-6) || fabs(r) > 1e12 || (r < 0 && !fi->negative_ok)) {
            *why = "a non-negative number with at most two decimals";
            return -1;
        }
        *out = (int64_t)r;
        return 0;
    }
    if (!json_is_integer(v)) {
        *why = fi->unit == RULES_U_FEN ? "an integer number of fen (分)" : "an integer";
        return -1;
    }
    int64_t x = (int64_t)json_integer_value(v);
    int64_t lim = fi->unit == RULES_U_FEN ? MONEY_LIMIT : COUNT_LIMIT;
    if (x > lim || x < -lim || (x < 0 && !fi->negative_ok)) {
        *why = fi->negative_ok ? "within ±10^15" : "non-negative and within range";
        return -1;
    }
    *out = x;
    return 0;
}

/* Parses identity field f from its member value v into r; 0 or KC_ERR_INVALID. */
static int parse_identity(struct rules_record *r, int f, const json_t *v,
                          struct rules_parse_error *err)
{
    const char *key = rules_fields[f].name;
    int i = f - RULES_N_YEARLY;
    int64_t x = 0;
    if (json_is_null(v)) {
        if (f == RULES_F_HIGHTECH_FIELD) { /* null: in none of the 8 fields (API.md) */
            r->id[i] = 0;
            r->id_present |= 1ull << i;
        }
        return 0; /* any other null: not given */
    }
    const struct rules_field_info *fi = &rules_fields[f];
    if (f == RULES_F_MAINLAND) {
        const char *s = json_string_value(v);
        if (!s || strlen(s) != 6 || strspn(s, "0123456789") != 6)
            return fail(err, "invalid_field", key, "%s: expected a 6-digit GB/T 2260 code%s", NULL);
        x = !(strncmp(s, "71", 2) == 0 || strncmp(s, "81", 2) == 0 || strncmp(s, "82", 2) == 0);
    } else if (f == RULES_F_REGISTERED_ON) {
        const char *s = json_string_value(v);
        if (!s || rules_parse_date(s, &x) != 0)
            return fail(err, "invalid_field", key, "%s: expected a date YYYY-MM-DD%s", NULL);
    } else if (f == RULES_F_HIGHTECH_FIELD) {
        const char *s = json_string_value(v);
        if (!s)
            return fail(err, "invalid_field", key, "%s: expected one of the 8 fields or null%s",
                        NULL);
        size_t k = 0;
        for (; k < sizeof(hightech_fields) / sizeof(*hightech_fields); k++)
            if (strcmp(s, hightech_fields[k]) == 0)
                break;
        if (k == sizeof(hightech_fields) / sizeof(*hightech_fields))
            return fail(err, "invalid_field", key,
                        "%s: expected one of 电子信息, 生物与新医药, 航空航天, 新材料, "
                        "高技术服务, 新能源与节能, 资源与环境, 先进制造与自动化 or null%s",
                        NULL);
        x = 1;
    } else if (fi->unit == RULES_U_BOOL) {
        if (!json_is_boolean(v))
            return fail(err, "invalid_field", key, "%s: expected true or false%s", NULL);
        x = json_is_true(v);
    } else {
        const char *why = NULL;
        if (number_of(v, f, &x, &why) != 0)
            return fail(err, "invalid_field", key, "%s: expected %s", why);
    }
    r->id[i] = x;
    r->id_present |= 1ull << i;
    return 0;
}

/* Parses years[idx] into *y; 0 or KC_ERR_INVALID. */
static int parse_year(const json_t *o, size_t idx, struct rules_year *y,
                      struct rules_parse_error *err)
{
    char path[64];
    if (!json_is_object(o)) {
        snprintf(path, sizeof(path), "years[%zu]", idx);
        return fail(err, "invalid_field", path, "%s: expected an object%s", NULL);
    }
    memset(y, 0, sizeof(*y));
    const json_t *yr = json_object_get(o, "year");
    if (!json_is_integer(yr) || json_integer_value(yr) < 1900 || json_integer_value(yr) > 2199) {
        snprintf(path, sizeof(path), "years[%zu].year", idx);
        return fail(err, "invalid_field", path, "%s: expected a year between 1900 and 2199%s",
                    NULL);
    }
    y->year = (int32_t)json_integer_value(yr);
    for (int f = 0; f < RULES_N_STORED_YEARLY; f++) { /* one hash lookup per field */
        const json_t *v = json_object_get(o, rules_fields[f].name);
        if (!v || json_is_null(v))
            continue;
        const char *why = NULL;
        if (number_of(v, f, &y->v[f], &why) != 0) {
            snprintf(path, sizeof(path), "years[%zu].%s", idx, rules_fields[f].name);
            return fail(err, "invalid_field", path, "%s: expected %s", why);
        }
        y->present |= 1u << f;
    }
    return 0;
}

/* Orders yearly records by year. */
static int year_cmp(const void *a, const void *b)
{
    const struct rules_year *x = a, *y = b;
    return (x->year > y->year) - (x->year < y->year);
}

/* See rules.h. */
int rules_record_parse(const struct json_t *obj, struct rules_record *out, struct rules_year *years,
                       int cap, struct rules_parse_error *err)
{
    const json_t *o = (const json_t *)obj;
    memset(out, 0, sizeof(*out));
    memset(err, 0, sizeof(*err));
    if (!json_is_object(o))
        return fail(err, "invalid_record", "", "%sthe line is not a JSON object%s", NULL);
    const json_t *u = json_object_get(o, "uscc");
    if (u && !json_is_null(u) && !json_is_string(u))
        return fail(err, "invalid_field", "uscc", "%s: expected a string%s", NULL);
    out->uscc = json_string_value(u);
    out->name = json_string_value(json_object_get(o, "name"));
    for (int f = RULES_N_YEARLY; f < RULES_N_FIELDS; f++) {
        const json_t *v = json_object_get(o, rules_fields[f].name);
        int rc = v ? parse_identity(out, f, v, err) : 0;
        if (rc)
            return rc;
    }
    const json_t *ys = json_object_get(o, "years");
    if (ys && !json_is_null(ys)) {
        if (!json_is_array(ys))
            return fail(err, "invalid_field", "years", "%s: expected an array%s", NULL);
        if (json_array_size(ys) > (size_t)cap)
            return fail(err, "too_many_years", "years", "%s: more yearly records than allowed%s",
                        NULL);
        for (size_t i = 0; i < json_array_size(ys); i++) {
            int rc = parse_year(json_array_get(ys, i), i, &years[i], err);
            if (rc)
                return rc;
        }
        out->n_years = (int)json_array_size(ys);
        qsort(years, (size_t)out->n_years, sizeof(*years), year_cmp);
        for (int i = 1; i < out->n_years; i++)
            if (years[i].year == years[i - 1].year) {
                char yb[16];
                snprintf(yb, sizeof(yb), "%d", years[i].year);
                return fail(err, "duplicate_year", "years", "%s: the year %s appears twice", yb);
            }
    }
    out->years = years;
    return 0;
}

/* See rules.h. */
int rules_record_latest_year(const struct rules_record *r)
{
    return r->n_years ? r->years[r->n_years - 1].year : 0;
}
