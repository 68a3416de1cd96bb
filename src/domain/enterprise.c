/* enterprise.c — validation rules of enterprise records (no I/O). */
#include "domain/enterprise.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MONEY_LIMIT 1000000000000000LL /* 10^15 分, the rule engine's bound */
#define COUNT_LIMIT 1000000000LL       /* 10^9 */

const char *const ent_profile_bools[] = {"national_award_top3_5y",
                                         "provincial_award_top3_3y",
                                         "sci_award_3y",
                                         "provincial_rd_institution",
                                         "led_standard_5y",
                                         "no_major_incident",
                                         "not_on_abnormal_list",
                                         "not_restricted_industry",
                                         "strategic_emerging_industry",
                                         NULL};

const char *const ent_hightech_fields[] = {"电子信息",   "生物与新医药",     "航空航天",
                                           "新材料",     "高技术服务",       "新能源与节能",
                                           "资源与环境", "先进制造与自动化", NULL};

/* Sets *p and returns false. */
static bool problem(struct ent_problem *p, const char *field, const char *code, const char *other)
{
    p->field = field;
    p->code = code;
    p->other = other;
    return false;
}

/* See domain/enterprise.h. */
const char *ent_year_column(int f)
{
    return f == RULES_F_SRDI_QUALITY_SCORE ? "srdi_quality_score_x100" : rules_fields[f].name;
}

/* Converts a JSON number with at most two decimals to an integer ×100; false when it is
 * not one or out of [lo, hi] (×100 units). */
static bool x100_of(json_t *v, int64_t lo, int64_t hi, int64_t *out)
{
    if (!json_is_number(v))
        return false;
    double d = json_number_value(v) * 100.0;
    double r = nearbyint(d);
    if (!(fabs(d - r) < 1e-6) || r < (double)lo || r > (double)hi)
        return false;
    *out = (int64_t)r;
    return true;
}

/* See domain/enterprise.h. */
bool ent_year_from_json(json_t *o, struct rules_year *y, struct ent_problem *p)
{
    for (int f = 0; f < RULES_N_STORED_YEARLY; f++) {
        const struct rules_field_info *fi = &rules_fields[f];
        json_t *v = json_object_get(o, fi->name);
        if (!v)
            continue;
        if (json_is_null(v)) {
            y->present &= ~(1u << f);
            y->v[f] = 0;
            continue;
        }
        int64_t x = 0;
        if (fi->unit == RULES_U_X100) {
            if (!x100_of(v, 0, 100000, &x))
                return problem(p, fi->name, json_is_number(v) ? "out_of_range" : "wrong_type",
                               NULL);
        } else {
            if (!json_is_integer(v))
                return problem(p, fi->name, "wrong_type", NULL);
            x = (int64_t)json_integer_value(v);
            int64_t lim = fi->unit == RULES_U_FEN ? MONEY_LIMIT : COUNT_LIMIT;
            if (x < 0 && !fi->negative_ok)
                return problem(p, fi->name, "negative", NULL);
            if (x > lim || x < -lim)
                return problem(p, fi->name, "out_of_range", NULL);
        }
        y->v[f] = x;
        y->present |= 1u << f;
    }
    return true;
}

/* See domain/enterprise.h. */
bool ent_year_check(const struct rules_year *y, struct ent_problem *p)
{
    /* Every (part, whole) pair, direct or through a missing middle field (rd_staff ≤
     * employees when tech_staff is not given); the nearest whole is named first. */
    for (int f = 0; f < RULES_N_STORED_YEARLY; f++) {
        if (!(y->present & (1u << f)))
            continue;
        for (int k = 0; k < 2; k++) {
            int g = rules_fields[f].parent[k];
            if (g >= 0 && g < RULES_N_STORED_YEARLY && (y->present & (1u << g)) &&
                y->v[f] > y->v[g])
                return problem(p, rules_fields[f].name, "exceeds_field", rules_fields[g].name);
        }
        for (int g = 0; g < RULES_N_STORED_YEARLY; g++)
            if (g != f && (y->present & (1u << g)) && rules_field_contains(g, f) &&
                y->v[f] > y->v[g])
                return problem(p, rules_fields[f].name, "exceeds_field", rules_fields[g].name);
    }
    return true;
}

/* See domain/enterprise.h. */
void ent_year_to_json(const struct rules_year *y, json_t *o)
{
    for (int f = 0; f < RULES_N_STORED_YEARLY; f++) {
        const char *k = rules_fields[f].name;
        if (!(y->present & (1u << f)))
            json_object_set_new(o, k, json_null());
        else if (rules_fields[f].unit == RULES_U_X100)
            json_object_set_new(o, k,
                                y->v[f] % 100 ? json_real((double)y->v[f] / 100.0)
                                              : json_integer(y->v[f] / 100));
        else
            json_object_set_new(o, k, json_integer(y->v[f]));
    }
}

/* See domain/enterprise.h. */
bool ent_hightech_field_ok(const char *s)
{
    for (const char *const *h = ent_hightech_fields; *h; h++)
        if (strcmp(*h, s) == 0)
            return true;
    return false;
}

/* See domain/enterprise.h. */
bool ent_extension_ok(int f, json_t *v, struct ent_problem *p)
{
    const struct rules_field_info *fi = &rules_fields[f];
    if (json_is_null(v))
        return true;
    int64_t x;
    switch (f) {
    case RULES_F_CHAIN_ROLE:
    case RULES_F_DIGITAL_LEVEL:
    case RULES_F_QUALITY_ITEMS:
    case RULES_F_RD_INSTITUTION_LEVEL: {
        int64_t hi = f == RULES_F_CHAIN_ROLE ? 2 : f == RULES_F_DIGITAL_LEVEL ? 3 : 4;
        if (!json_is_integer(v))
            return problem(p, fi->name, "wrong_type", NULL);
        x = (int64_t)json_integer_value(v);
        if (x < 0 || x > hi)
            return problem(p, fi->name, "out_of_range", NULL);
        return true;
    }
    case RULES_F_SRDI_LOCAL_SCORE:
        if (!x100_of(v, 0, 100000, &x))
            return problem(p, fi->name, json_is_number(v) ? "out_of_range" : "wrong_type", NULL);
        return true;
    default:
        if (!json_is_boolean(v))
            return problem(p, fi->name, "wrong_type", NULL);
        return true;
    }
}

/* See domain/enterprise.h. */
bool ent_hnte_number_ok(const char *n)
{
    /* GB/T 2260 province-level codes. */
    static const int provinces[] = {11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41,
                                    42, 43, 44, 45, 46, 50, 51, 52, 53, 54, 61, 62, 63, 64, 65};
    if (!n || strlen(n) != 14 || n[0] != 'G' || n[1] != 'R')
        return false;
    for (int i = 2; i < 14; i++)
        if (n[i] < '0' || n[i] > '9')
            return false;
    int year = (n[2] - '0') * 1000 + (n[3] - '0') * 100 + (n[4] - '0') * 10 + (n[5] - '0');
    int prov = (n[6] - '0') * 10 + (n[7] - '0');
    if (year < 2008 || year > 2100)
        return false;
    for (size_t i = 0; i < sizeof(provinces) / sizeof(provinces[0]); i++)
        if (provinces[i] == prov)
            return true;
    return false;
}

/* See domain/enterprise.h. */
void ent_format_days(int64_t z, char out[11])
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t y = (int64_t)yoe + era * 400;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    unsigned d = doy - (153 * mp + 2) / 5 + 1;
    unsigned m = mp < 10 ? mp + 3 : mp - 9;
    y += m <= 2;
    snprintf(out, 11, "%04u-%02u-%02u", (unsigned)(y % 10000), m % 100, d % 100);
}

/* See domain/enterprise.h. */
int ent_valid_to(const char *issued, int years, char out[11])
{
    int64_t days;
    if (!issued || years < 1 || years > 100 || rules_parse_date(issued, &days) != 0)
        return -1;
    int y = atoi(issued) + years, m = atoi(issued + 5), d = atoi(issued + 8);
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    int64_t end;
    if (m == 2 && d == 29 && !leap) /* 29 February + N years is 1 March */
        end = rules_days_from_civil(y, 3, 1);
    else
        end = rules_days_from_civil(y, (unsigned)m, (unsigned)d);
    ent_format_days(end - 1, out);
    return 0;
}
