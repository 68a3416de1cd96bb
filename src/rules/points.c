/*
 * points.c — the 创新积分 engine: the indicator dictionary, the configuration parser and
 * validator, evaluation (stage, values, brackets, percentiles within a cohort, bonus and
 * negative items), league ranks and bands, and the JSON output. See points.h.
 */
#include "rules/points.h"

#include "core/asset.h"
#include "core/jw.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------- dictionary */

/* The indicator dictionary: every measure a configuration may score. Built on API.md's
 * enterprise-year fields (research §3.4 lists the indicators the 指引 is recalled to use). */
/* clang-format off */
const struct pts_measure_def pts_measures[] = {
    {"rd_expense", "研发费用", "R&D expense", PTS_M_FIELD, RULES_F_RD_EXPENSE, -1, RULES_U_FEN, false},
    {"rd_expense_growth", "研发费用增长率", "R&D expense growth", PTS_M_GROWTH, RULES_F_RD_EXPENSE, -1, RULES_U_RATIO, false},
    {"rd_intensity", "研发投入强度（研发费用/营业收入）", "R&D intensity (R&D / operating revenue)", PTS_M_RATIO, RULES_F_RD_EXPENSE, RULES_F_OPERATING_REVENUE, RULES_U_RATIO, false},
    {"rd_staff", "研发人员数", "R&D staff", PTS_M_FIELD, RULES_F_RD_STAFF, -1, RULES_U_PERSONS, false},
    {"rd_staff_share", "研发人员占比", "R&D staff share", PTS_M_RATIO, RULES_F_RD_STAFF, RULES_F_EMPLOYEES, RULES_U_RATIO, false},
    {"tech_staff_share", "科技人员占比", "Technology staff share", PTS_M_RATIO, RULES_F_TECH_STAFF, RULES_F_EMPLOYEES, RULES_U_RATIO, false},
    {"ip_class1", "Ⅰ类知识产权数", "Class I IP rights", PTS_M_FIELD, RULES_F_IP_CLASS1, -1, RULES_U_COUNT, false},
    {"ip_class1_high_value", "高价值Ⅰ类知识产权数", "High-value class I IP rights", PTS_M_FIELD, RULES_F_IP_CLASS1_HIGH, -1, RULES_U_COUNT, false},
    {"ip_class1_new", "Ⅰ类知识产权新增数", "New class I IP rights", PTS_M_DELTA, RULES_F_IP_CLASS1, -1, RULES_U_COUNT, false},
    {"ip_class2", "Ⅱ类知识产权数", "Class II IP rights", PTS_M_FIELD, RULES_F_IP_CLASS2, -1, RULES_U_COUNT, false},
    {"ip_total", "知识产权总数（Ⅰ类+Ⅱ类）", "IP rights (class I + II)", PTS_M_FIELD, RULES_F_IP_TOTAL, -1, RULES_U_COUNT, false},
    {"conversions", "科技成果转化数", "Technology conversions", PTS_M_FIELD, RULES_F_CONVERSIONS, -1, RULES_U_COUNT, false},
    {"operating_revenue", "营业收入", "Operating revenue", PTS_M_FIELD, RULES_F_OPERATING_REVENUE, -1, RULES_U_FEN, false},
    {"operating_revenue_growth", "营业收入增长率", "Operating revenue growth", PTS_M_GROWTH, RULES_F_OPERATING_REVENUE, -1, RULES_U_RATIO, false},
    {"hightech_revenue_share", "高新技术产品(服务)收入占比", "High-tech revenue share of total income", PTS_M_RATIO, RULES_F_HIGHTECH_REVENUE, RULES_F_TOTAL_INCOME, RULES_U_RATIO, false},
    {"net_profit", "净利润", "Net profit", PTS_M_FIELD, RULES_F_NET_PROFIT, -1, RULES_U_FEN, false},
    {"net_margin", "净利润率", "Net profit margin", PTS_M_RATIO, RULES_F_NET_PROFIT, RULES_F_OPERATING_REVENUE, RULES_U_RATIO, false},
    {"employees", "职工总数", "Employees", PTS_M_FIELD, RULES_F_EMPLOYEES, -1, RULES_U_PERSONS, false},
    {"employees_growth", "职工人数增长率", "Employee growth", PTS_M_GROWTH, RULES_F_EMPLOYEES, -1, RULES_U_RATIO, false},
    {"equity_financing", "新增股权融资", "New equity financing", PTS_M_FIELD, RULES_F_EQUITY_FINANCING, -1, RULES_U_FEN, false},
    {"asset_liability_ratio", "资产负债率", "Debt-to-asset ratio", PTS_M_RATIO, RULES_F_TOTAL_LIABILITIES, RULES_F_TOTAL_ASSETS, RULES_U_RATIO, true},
    {"has_valid_hnte", "有效期内高新技术企业", "Valid high-tech enterprise", PTS_M_IDENT, RULES_F_HAS_VALID_HNTE, -1, RULES_U_BOOL, false},
    {"sci_award_3y", "近三年获科技奖励", "Science award in the last 3 years", PTS_M_IDENT, RULES_F_SCI_AWARD_3Y, -1, RULES_U_BOOL, false},
    {"national_award_top3_5y", "近五年国家级科技奖励（前三）", "National award (top 3) in 5 years", PTS_M_IDENT, RULES_F_NATIONAL_AWARD_TOP3_5Y, -1, RULES_U_BOOL, false},
    {"provincial_rd_institution", "省部级以上研发机构", "Provincial R&D institution", PTS_M_IDENT, RULES_F_PROVINCIAL_RD_INSTITUTION, -1, RULES_U_BOOL, false},
    {"led_standard_5y", "近五年主导制定标准", "Led a standard in 5 years", PTS_M_IDENT, RULES_F_LED_STANDARD_5Y, -1, RULES_U_BOOL, false},
    {"strategic_emerging_industry", "属于战略性新兴产业", "Strategic emerging industry", PTS_M_IDENT, RULES_F_STRATEGIC_EMERGING, -1, RULES_U_BOOL, false},
    {"not_on_abnormal_list", "未列入经营异常名录", "Not on the abnormal-operation list", PTS_M_IDENT, RULES_F_NOT_ON_ABNORMAL_LIST, -1, RULES_U_BOOL, false},
    {"no_major_incident", "近一年无重大安全、质量事故或严重环境违法", "No major incident in the last year", PTS_M_IDENT, RULES_F_NO_MAJOR_INCIDENT, -1, RULES_U_BOOL, false},
};
/* clang-format on */
const size_t pts_n_measures = sizeof(pts_measures) / sizeof(pts_measures[0]);

/* See points.h. */
int pts_measure_find(const char *id)
{
    for (size_t i = 0; i < pts_n_measures; i++)
        if (strcmp(pts_measures[i].id, id) == 0)
            return (int)i;
    return -1;
}

/* ---------------------------------------------------------------- values */

/* The year record for year, or NULL. */
static const struct rules_year *year_rec(const struct rules_record *r, int year)
{
    for (int i = 0; i < r->n_years; i++)
        if (r->years[i].year == year)
            return &r->years[i];
    return NULL;
}

/* Reads yearly field f (stored or derived) of year; 0 when present, -1 when missing. */
static int yearly(const struct rules_record *r, int year, int f, int64_t *v)
{
    const struct rules_year *y = year_rec(r, year);
    if (!y)
        return -1;
    if (f == RULES_F_IP_TOTAL) {
        uint32_t need = (1u << RULES_F_IP_CLASS1) | (1u << RULES_F_IP_CLASS2);
        if ((y->present & need) != need)
            return -1;
        *v = y->v[RULES_F_IP_CLASS1] + y->v[RULES_F_IP_CLASS2];
        return 0;
    }
    if (f == RULES_F_NET_ASSETS) {
        uint32_t need = (1u << RULES_F_TOTAL_ASSETS) | (1u << RULES_F_TOTAL_LIABILITIES);
        if ((y->present & need) != need)
            return -1;
        *v = y->v[RULES_F_TOTAL_ASSETS] - y->v[RULES_F_TOTAL_LIABILITIES];
        return 0;
    }
    if (f < 0 || f >= RULES_N_STORED_YEARLY || !(y->present & (1u << f)))
        return -1;
    *v = y->v[f];
    return 0;
}

/* Sets *out to num/den with the zero-denominator convention of the rule engine. */
static void set_ratio(struct pts_value *out, __int128 num, __int128 den)
{
    if (den < 0) {
        num = -num;
        den = -den;
    }
    out->num = num;
    out->den = den;
    out->state = PTS_V_OK;
    if (den == 0) {
        out->state = num > 0 ? PTS_V_INF : num < 0 ? PTS_V_NEG_INF : PTS_V_OK;
        if (num == 0)
            out->den = 1;
    }
}

/* See points.h. */
void pts_measure_value(int m, const struct rules_record *r, int year, struct pts_value *out)
{
    const struct pts_measure_def *d = &pts_measures[m];
    int64_t a, b;
    memset(out, 0, sizeof(*out));
    out->state = PTS_V_MISSING;
    out->den = 1;
    switch (d->kind) {
    case PTS_M_FIELD:
        if (yearly(r, year, d->field, &a) == 0)
            set_ratio(out, a, 1);
        break;
    case PTS_M_RATIO:
        if (yearly(r, year, d->field, &a) == 0 && yearly(r, year, d->den, &b) == 0)
            set_ratio(out, a, b);
        break;
    case PTS_M_GROWTH:
        if (yearly(r, year, d->field, &a) == 0 && yearly(r, year - 1, d->field, &b) == 0) {
            if (b < 0)
                out->state = PTS_V_NA; /* growth from a negative base means nothing */
            else
                set_ratio(out, (__int128)a - b, b);
        }
        break;
    case PTS_M_DELTA:
        if (yearly(r, year, d->field, &a) == 0 && yearly(r, year - 1, d->field, &b) == 0)
            set_ratio(out, (__int128)a - b, 1);
        break;
    case PTS_M_IDENT: {
        int k = d->field - RULES_N_YEARLY;
        if (k >= 0 && (r->id_present & (1ull << k)))
            set_ratio(out, r->id[k], 1);
        break;
    }
    }
}

/* Rank of a state for ordering: missing/NA lowest, −∞, finite, +∞. */
static int state_rank(uint8_t s)
{
    switch (s) {
    case PTS_V_NEG_INF: return 1;
    case PTS_V_OK: return 2;
    case PTS_V_INF: return 3;
    default: return 0;
    }
}

/* See points.h. Denominators are positive and below 2^64, numerators below 2^64 in
 * magnitude (record values ≤ 10^15), so the cross products fit in 128 bits. */
int pts_value_cmp(const struct pts_value *a, const struct pts_value *b)
{
    int ra = state_rank(a->state), rb = state_rank(b->state);
    if (ra != rb || ra != 2)
        return (ra > rb) - (ra < rb);
    __int128 l = a->num * b->den, r = b->num * a->den;
    return (l > r) - (l < r);
}

/* Compares a known value with threshold q: <0, 0, >0. */
static int cmp_q(const struct pts_value *v, struct rules_q q)
{
    if (v->state == PTS_V_INF)
        return 1;
    if (v->state == PTS_V_NEG_INF)
        return -1;
    __int128 l = v->num * (__int128)q.den, r = (__int128)q.num * v->den;
    return (l > r) - (l < r);
}

/* Whether v op q holds (v known). */
static bool test_q(const struct pts_value *v, enum rules_op op, struct rules_q q)
{
    int c = cmp_q(v, q);
    switch (op) {
    case RULES_OP_GE: return c >= 0;
    case RULES_OP_GT: return c > 0;
    case RULES_OP_LE: return c <= 0;
    case RULES_OP_LT: return c < 0;
    case RULES_OP_EQ: return c == 0;
    }
    return false;
}

/* True when the value can be compared (not missing, not NA). */
static bool known(const struct pts_value *v)
{
    return v->state != PTS_V_MISSING && v->state != PTS_V_NA;
}

/* ---------------------------------------------------------------- parsing */

/* Parser state. */
struct pparser {
    struct pts_config *c;  /* being filled */
    struct pts_error *err; /* where the error goes */
};

/* Fills the error with ready texts (code, path, both languages); returns KC_ERR_INVALID. */
static int fail_text(struct pparser *p, const char *code, const char *path, const char *zh,
                     const char *en)
{
    snprintf(p->err->code, sizeof(p->err->code), "%s", code);
    snprintf(p->err->field, sizeof(p->err->field), "%s", path);
    snprintf(p->err->zh, sizeof(p->err->zh), "%s：%s", path, zh);
    snprintf(p->err->en, sizeof(p->err->en), "%s: %s", path, en);
    return KC_ERR_INVALID;
}

/* Fills the error (code, path, both languages; both formats take the same arguments)
 * and returns KC_ERR_INVALID. */
static int fail(struct pparser *p, const char *code, const char *path, const char *zh,
                const char *en, ...)
{
    va_list ap;
    snprintf(p->err->code, sizeof(p->err->code), "%s", code);
    snprintf(p->err->field, sizeof(p->err->field), "%s", path);
    char zbuf[300], ebuf[300];
    va_start(ap, en);
    va_list ap2;
    va_copy(ap2, ap);
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
    vsnprintf(zbuf, sizeof(zbuf), zh, ap);
    vsnprintf(ebuf, sizeof(ebuf), en, ap2);
#pragma GCC diagnostic pop
    va_end(ap2);
    va_end(ap);
    snprintf(p->err->zh, sizeof(p->err->zh), "%s：%s", path, zbuf);
    snprintf(p->err->en, sizeof(p->err->en), "%s: %s", path, ebuf);
    return KC_ERR_INVALID;
}

/* Joins a path and a member name ("a.b") or an index ("a[2]") into out. */
static const char *sub(char *out, size_t cap, const char *path, const char *member, int index)
{
    char idx[16];
    snprintf(idx, sizeof(idx), "[%d]", index);
    const char *parts[3] = {path, member && *path ? "." : "", member ? member : idx};
    size_t n = 0; /* paths are short; a truncated one still names the field's start */
    for (int i = 0; i < 3; i++)
        for (const char *c = parts[i]; *c && n + 1 < cap; c++)
            out[n++] = *c;
    out[n] = '\0';
    return out;
}

/* Rejects members of o outside allowed ("comment" always allowed). */
static int only(struct pparser *p, const char *path, const json_t *o, const char *const *allowed)
{
    const char *key;
    json_t *v;
    json_object_foreach((json_t *)o, key, v)
    {
        bool ok = strcmp(key, "comment") == 0;
        for (const char *const *a = allowed; *a && !ok; a++)
            ok = strcmp(*a, key) == 0;
        if (!ok) {
            char k[64], fp[160];
            snprintf(k, sizeof(k), "%.60s", key);
            return fail(p, "unknown_field", sub(fp, sizeof(fp), path, k, 0), "不认识的字段",
                        "unknown member");
        }
    }
    return 0;
}

/* Reads an id member (1–47 characters of a-z 0-9 _ -) into out. */
static int get_id(struct pparser *p, const char *path, const json_t *o, const char *key, char *out)
{
    char fp[160];
    sub(fp, sizeof(fp), path, key, 0);
    const json_t *v = json_object_get(o, key);
    if (!v)
        return fail(p, "required", fp, "必填", "required");
    const char *s = json_string_value(v);
    if (!s)
        return fail(p, "wrong_type", fp, "须为字符串", "must be a string");
    size_t n = strlen(s);
    if (n == 0 || n >= PTS_ID_MAX)
        return fail(p, "invalid_value", fp, "须为 1–%d 个字符", "must be 1-%d characters",
                    PTS_ID_MAX - 1);
    for (const char *c = s; *c; c++)
        if (!((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '_' || *c == '-'))
            return fail(p, "invalid_value", fp, "只能使用小写字母、数字、_ 和 -",
                        "may use only a-z 0-9 _ -");
    memcpy(out, s, n + 1);
    return 0;
}

/* Reads a label (non-empty string of at most cap−1 bytes); absent → dflt (or required when
 * dflt is NULL). */
static int get_label(struct pparser *p, const char *path, const json_t *o, const char *key,
                     char *out, size_t cap, const char *dflt)
{
    char fp[160];
    sub(fp, sizeof(fp), path, key, 0);
    const json_t *v = json_object_get(o, key);
    if (!v || json_is_null(v)) {
        if (!dflt)
            return fail(p, "required", fp, "必填", "required");
        snprintf(out, cap, "%s", dflt);
        return 0;
    }
    const char *s = json_string_value(v);
    if (!s)
        return fail(p, "wrong_type", fp, "须为字符串", "must be a string");
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' '))
        n--;
    if (n == 0) {
        if (!dflt)
            return fail(p, "required", fp, "不能为空", "must not be empty");
        snprintf(out, cap, "%s", dflt);
        return 0;
    }
    if (n >= cap)
        return fail(p, "too_long", fp, "过长（最多 %zu 字节）", "too long (at most %zu bytes)",
                    cap - 1);
    memcpy(out, s, n);
    out[n] = '\0';
    return 0;
}

/* Reads an integer member in [lo, hi]; absent → dflt when optional. */
static int get_int(struct pparser *p, const char *path, const json_t *o, const char *key, int lo,
                   int hi, bool optional, int dflt, int *out)
{
    char fp[160];
    sub(fp, sizeof(fp), path, key, 0);
    const json_t *v = json_object_get(o, key);
    if (!v || json_is_null(v)) {
        if (!optional)
            return fail(p, "required", fp, "必填", "required");
        *out = dflt;
        return 0;
    }
    if (!json_is_integer(v))
        return fail(p, "wrong_type", fp, "须为整数", "must be an integer");
    json_int_t n = json_integer_value(v);
    if (n < lo || n > hi)
        return fail(p, "out_of_range", fp, "须在 %d 到 %d 之间", "must be between %d and %d", lo,
                    hi);
    *out = (int)n;
    return 0;
}

/* Greatest common divisor. */
static int64_t gcd(int64_t a, int64_t b)
{
    while (b) {
        int64_t t = a % b;
        a = b;
        b = t;
    }
    return a;
}

/* Parses a threshold of unit u: a JSON integer (persons, counts, booleans) or a string
 * "12.5%" (ratios), "100万元" / "2亿元" / "1.5元" / "3分" (money), "10" (plain). The text as
 * written goes to text. */
static int get_q(struct pparser *p, const char *fp, const json_t *v, enum rules_unit u,
                 struct rules_q *out, char *text, size_t tcap)
{
    int64_t num = 0, den = 1;
    const char *suffix = "";
    if (!v || json_is_null(v))
        return fail(p, "required", fp, "必填", "required");
    if (json_is_integer(v)) {
        json_int_t n = json_integer_value(v);
        if (n > 10000000000000000LL || n < -10000000000000000LL)
            return fail(p, "out_of_range", fp, "数值超出范围", "value out of range");
        num = n;
        snprintf(text, tcap, "%lld", (long long)n);
    } else if (json_is_string(v)) {
        const char *s0 = json_string_value(v), *s = s0;
        if (strlen(s0) >= tcap)
            return fail(p, "invalid_value", fp, "不是合法的数值：%.40s", "not a number: %.40s",
                        s0, s0);
        bool neg = *s == '-';
        if (neg)
            s++;
        int digits = 0, decimals = -1;
        for (; *s; s++) {
            if (*s >= '0' && *s <= '9') {
                if (digits++ > 16)
                    return fail(p, "out_of_range", fp, "数值超出范围", "value out of range");
                num = num * 10 + (*s - '0');
                if (decimals >= 0) {
                    if (++decimals > 6)
                        return fail(p, "invalid_value", fp, "最多 6 位小数", "at most 6 decimals");
                    den *= 10;
                }
            } else if (*s == '.' && decimals < 0 && digits) {
                decimals = 0;
            } else {
                break;
            }
        }
        if (!digits || decimals == 0)
            return fail(p, "invalid_value", fp, "不是合法的数值：%s", "not a number: %s", s0, s0);
        if (neg)
            num = -num;
        suffix = s;
        snprintf(text, tcap, "%s", s0);
    } else {
        return fail(p, "wrong_type", fp, "须为整数或带单位的字符串（如 \"4%%\"、\"500万元\"）",
                    "must be an integer or a string with a unit (\"4%%\", \"500万元\")");
    }
    int64_t mul = 1, div = 1;
    if (u == RULES_U_RATIO && strcmp(suffix, "%") == 0)
        div = 100;
    else if (u == RULES_U_FEN && strcmp(suffix, "分") == 0)
        mul = 1;
    else if (u == RULES_U_FEN && strcmp(suffix, "元") == 0)
        mul = 100;
    else if (u == RULES_U_FEN && strcmp(suffix, "万元") == 0)
        mul = 1000000;
    else if (u == RULES_U_FEN && strcmp(suffix, "亿元") == 0)
        mul = 10000000000LL;
    else if (!*suffix && u != RULES_U_FEN && u != RULES_U_RATIO)
        mul = 1;
    else if (u == RULES_U_FEN)
        return fail_text(p, "unit_mismatch", fp, "单位与指标不符：金额须写作元、万元、亿元或分",
                         "the unit does not fit: money takes 元, 万元, 亿元 or 分");
    else if (u == RULES_U_RATIO)
        return fail_text(p, "unit_mismatch", fp, "单位与指标不符：比例须写作百分数，如 \"4%\"",
                         "the unit does not fit: a percentage such as \"4%\" is expected");
    else
        return fail_text(p, "unit_mismatch", fp, "单位与指标不符：须为纯数字",
                         "the unit does not fit: a plain number is expected");
    if (num > INT64_MAX / mul || num < -(INT64_MAX / mul))
        return fail(p, "out_of_range", fp, "数值超出范围", "value out of range");
    num *= mul;
    den *= div;
    int64_t g = gcd(num < 0 ? -num : num, den);
    if (g > 1) {
        num /= g;
        den /= g;
    }
    if ((u == RULES_U_FEN || u == RULES_U_PERSONS || u == RULES_U_COUNT || u == RULES_U_BOOL) &&
        den != 1)
        return fail(p, "invalid_value", fp, "须为整数（金额精确到分）",
                    "must be whole (money to the fen)");
    if (u == RULES_U_BOOL && num != 0 && num != 1)
        return fail(p, "invalid_value", fp, "是否类指标只能取 0 或 1", "a yes/no measure is 0 or 1");
    if (den > 100000000 || num > 10000000000000000LL || num < -10000000000000000LL ||
        (u == RULES_U_RATIO && (num > 100000000000LL || num < -100000000000LL)))
        return fail(p, "out_of_range", fp, "数值超出范围", "value out of range");
    out->num = num;
    out->den = den;
    return 0;
}

/* Parses "op" (>=, >, <=, <, ==) or "edge" (以上, 超过, 以下, 以内, 不满). */
static int get_op(struct pparser *p, const char *path, const json_t *o, enum rules_op *out)
{
    static const struct {
        const char *name;
        enum rules_op op;
    } ops[] = {{">=", RULES_OP_GE},   {">", RULES_OP_GT},    {"<=", RULES_OP_LE},
               {"<", RULES_OP_LT},    {"==", RULES_OP_EQ},   {"以上", RULES_OP_GE},
               {"超过", RULES_OP_GT}, {"以下", RULES_OP_LE}, {"以内", RULES_OP_LE},
               {"不满", RULES_OP_LT}};
    const char *op = json_string_value(json_object_get(o, "op"));
    const char *edge = json_string_value(json_object_get(o, "edge"));
    char fp[160];
    sub(fp, sizeof(fp), path, "op", 0);
    if (!op && !edge)
        return fail(p, "required", fp, "必填（>=、>、<=、<、==）", "required (>=, >, <=, <, ==)");
    const char *name = op ? op : edge;
    for (size_t i = 0; i < sizeof(ops) / sizeof(*ops); i++)
        if (strcmp(ops[i].name, name) == 0) {
            *out = ops[i].op;
            return 0;
        }
    return fail(p, "invalid_value", fp, "比较符无效（>=、>、<=、<、==）",
                "invalid comparison (>=, >, <=, <, ==)");
}

/* Reads the "measure" member: a dictionary id. */
static int get_measure(struct pparser *p, const char *path, const json_t *o, int16_t *out)
{
    char fp[160];
    sub(fp, sizeof(fp), path, "measure", 0);
    const char *s = json_string_value(json_object_get(o, "measure"));
    if (!json_object_get(o, "measure"))
        return fail(p, "required", fp, "必填", "required");
    if (!s)
        return fail(p, "wrong_type", fp, "须为字符串", "must be a string");
    int m = pts_measure_find(s);
    if (m < 0)
        return fail(p, "unknown_measure", fp, "指标库中没有该度量：%.40s",
                    "no such measure in the dictionary: %.40s", s, s);
    *out = (int16_t)m;
    return 0;
}

/* The array member key of o (required unless optional: then absent = empty). */
static int get_array(struct pparser *p, const char *path, const json_t *o, const char *key,
                     size_t min, size_t max, const json_t **out)
{
    char fp[160];
    sub(fp, sizeof(fp), path, key, 0);
    const json_t *v = json_object_get(o, key);
    if (!v && min == 0) {
        *out = NULL;
        return 0;
    }
    if (!v)
        return fail(p, "required", fp, "必填", "required");
    if (!json_is_array(v))
        return fail(p, "wrong_type", fp, "须为数组", "must be an array");
    size_t n = json_array_size(v);
    if (n < min || n > max)
        return fail(p, "out_of_range", fp, "须有 %zu 到 %zu 项", "must have %zu to %zu entries",
                    min, max);
    *out = v;
    return 0;
}

/* Checks that every element of arr is an object; returns the failing index or -1. */
static int check_objects(struct pparser *p, const char *path, const char *key, const json_t *arr)
{
    size_t i;
    json_t *e;
    json_array_foreach((json_t *)arr, i, e)
    {
        if (!json_is_object(e)) {
            char a[160], fp[180];
            sub(a, sizeof(a), path, key, 0);
            sub(fp, sizeof(fp), a, NULL, (int)i);
            return fail(p, "wrong_type", fp, "须为对象", "must be an object");
        }
    }
    return 0;
}

/* Parses the stages: ascending revenue bands, the last one open. */
static int parse_stages(struct pparser *p, const json_t *root)
{
    static const char *const allowed[] = {"id", "zh", "en", "below", NULL};
    const json_t *arr;
    int rc = get_array(p, "", root, "stages", 1, PTS_MAX_STAGES, &arr);
    if (!rc)
        rc = check_objects(p, "", "stages", arr);
    if (rc)
        return rc;
    struct pts_config *c = p->c;
    c->n_stages = (uint8_t)json_array_size(arr);
    for (int i = 0; i < c->n_stages; i++) {
        const json_t *o = json_array_get(arr, i);
        struct pts_stage *st = &c->stages[i];
        char path[64], fp[96];
        sub(path, sizeof(path), "stages", NULL, i);
        if ((rc = only(p, path, o, allowed)) || (rc = get_id(p, path, o, "id", st->id)) ||
            (rc = get_label(p, path, o, "zh", st->zh, sizeof(st->zh), NULL)) ||
            (rc = get_label(p, path, o, "en", st->en, sizeof(st->en), st->zh)))
            return rc;
        for (int j = 0; j < i; j++)
            if (strcmp(c->stages[j].id, st->id) == 0)
                return fail(p, "duplicate_id", sub(fp, sizeof(fp), path, "id", 0), "阶段重复：%s",
                            "duplicate stage: %s", st->id, st->id);
        const json_t *below = json_object_get(o, "below");
        sub(fp, sizeof(fp), path, "below", 0);
        bool last = i == c->n_stages - 1;
        if (last) {
            if (below && !json_is_null(below))
                return fail(p, "invalid_value", fp, "最后一个阶段不设上限",
                            "the last stage has no upper bound");
            st->open = true;
            continue;
        }
        struct rules_q q;
        if ((rc = get_q(p, fp, below, RULES_U_FEN, &q, st->text, sizeof(st->text))))
            return rc;
        if (q.num <= 0)
            return fail(p, "out_of_range", fp, "须大于 0", "must be above 0");
        if (i > 0 && q.num <= c->stages[i - 1].below_fen)
            return fail(p, "stages_order", fp, "阶段的营业收入上限须逐级递增",
                        "stage revenue bounds must increase");
        st->below_fen = q.num;
    }
    return 0;
}

/* Parses the groups. */
static int parse_groups(struct pparser *p, const json_t *root)
{
    static const char *const allowed[] = {"id", "zh", "en", NULL};
    const json_t *arr;
    int rc = get_array(p, "", root, "groups", 1, PTS_MAX_GROUPS, &arr);
    if (!rc)
        rc = check_objects(p, "", "groups", arr);
    if (rc)
        return rc;
    struct pts_config *c = p->c;
    c->n_groups = (uint8_t)json_array_size(arr);
    for (int i = 0; i < c->n_groups; i++) {
        const json_t *o = json_array_get(arr, i);
        struct pts_group *g = &c->groups[i];
        char path[64], fp[96];
        sub(path, sizeof(path), "groups", NULL, i);
        if ((rc = only(p, path, o, allowed)) || (rc = get_id(p, path, o, "id", g->id)) ||
            (rc = get_label(p, path, o, "zh", g->zh, sizeof(g->zh), NULL)) ||
            (rc = get_label(p, path, o, "en", g->en, sizeof(g->en), g->zh)))
            return rc;
        for (int j = 0; j < i; j++)
            if (strcmp(c->groups[j].id, g->id) == 0)
                return fail(p, "duplicate_id", sub(fp, sizeof(fp), path, "id", 0), "分组重复：%s",
                            "duplicate group: %s", g->id, g->id);
    }
    return 0;
}

/* Parses the bracket rows of indicator ind: best first (scores never rise, thresholds move
 * one way), every row but the last compares, the last is {"else": true}. */
static int parse_brackets(struct pparser *p, const char *path, const json_t *o,
                          struct pts_indicator *ind)
{
    static const char *const allowed[] = {"op", "edge", "value", "score", "else", NULL};
    const json_t *arr;
    int rc = get_array(p, path, o, "brackets", 2, PTS_MAX_BRACKETS, &arr);
    if (!rc)
        rc = check_objects(p, path, "brackets", arr);
    if (rc)
        return rc;
    enum rules_unit u = pts_measures[ind->measure].unit;
    ind->n_brackets = (uint8_t)json_array_size(arr);
    int dir = 0; /* +1: thresholds fall (higher is better), −1: they rise */
    for (int i = 0; i < ind->n_brackets; i++) {
        const json_t *b = json_array_get(arr, i);
        struct pts_bracket *br = &ind->brackets[i];
        char bp[160], fp[180];
        sub(bp, sizeof(bp), path, "brackets", 0);
        sub(bp + strlen(bp), sizeof(bp) - strlen(bp), "", NULL, i);
        if ((rc = only(p, bp, b, allowed)))
            return rc;
        int score;
        if ((rc = get_int(p, bp, b, "score", 0, 100, false, 0, &score)))
            return rc;
        br->score = (int16_t)score;
        if (i > 0 && br->score > ind->brackets[i - 1].score)
            return fail(p, "brackets_order", sub(fp, sizeof(fp), bp, "score", 0),
                        "档位须从高分到低分排列", "brackets must run from the best score down");
        bool last = i == ind->n_brackets - 1;
        const json_t *el = json_object_get(b, "else");
        if (last) {
            if (!json_is_true(el))
                return fail(p, "bracket_else", sub(fp, sizeof(fp), bp, "else", 0),
                            "最后一档须为“其他”（else）", "the last bracket must be {\"else\": true}");
            if (json_object_get(b, "value") || json_object_get(b, "op"))
                return fail(p, "bracket_else", sub(fp, sizeof(fp), bp, "value", 0),
                            "“其他”档不设阈值", "the else bracket has no threshold");
            br->is_else = true;
            continue;
        }
        if (el && !json_is_false(el))
            return fail(p, "bracket_else", sub(fp, sizeof(fp), bp, "else", 0),
                        "只有最后一档可以是“其他”", "only the last bracket may be else");
        if ((rc = get_op(p, bp, b, &br->op)) ||
            (rc = get_q(p, sub(fp, sizeof(fp), bp, "value", 0), json_object_get(b, "value"), u,
                        &br->value, br->text, sizeof(br->text))))
            return rc;
        int d = br->op == RULES_OP_GE || br->op == RULES_OP_GT   ? 1
                : br->op == RULES_OP_LE || br->op == RULES_OP_LT ? -1
                                                                 : 0;
        if (d && dir && d != dir)
            return fail(p, "brackets_order", sub(fp, sizeof(fp), bp, "op", 0),
                        "同一指标的档位须同向比较（都用 >= 或都用 <=）",
                        "brackets of one indicator must compare the same way");
        if (d)
            dir = d;
        for (int j = i - 1; j >= 0 && d; j--) {
            const struct pts_bracket *pr = &ind->brackets[j];
            if (pr->op == RULES_OP_EQ)
                continue;
            __int128 l = (__int128)br->value.num * pr->value.den,
                     r = (__int128)pr->value.num * br->value.den;
            if ((d > 0 && l >= r) || (d < 0 && l <= r))
                return fail_text(p, "brackets_order", sub(fp, sizeof(fp), bp, "value", 0),
                                 d > 0 ? "档位阈值须从最好的一档开始逐档递减"
                                       : "档位阈值须从最好的一档开始逐档递增",
                                 d > 0 ? "thresholds must fall from the best bracket down"
                                       : "thresholds must rise from the best bracket down");
            break;
        }
    }
    return 0;
}

/* Parses the weights object of an indicator: one integer 0–100 per stage id. */
static int parse_weights(struct pparser *p, const char *path, const json_t *o,
                         struct pts_indicator *ind)
{
    char wp[160], fp[200];
    sub(wp, sizeof(wp), path, "weights", 0);
    const json_t *w = json_object_get(o, "weights");
    if (!w)
        return fail(p, "required", wp, "必填", "required");
    if (!json_is_object(w))
        return fail(p, "wrong_type", wp, "须为对象（阶段 → 权重）",
                    "must be an object (stage → weight)");
    const char *key;
    json_t *v;
    json_object_foreach((json_t *)w, key, v)
    {
        bool ok = false;
        for (int s = 0; s < p->c->n_stages && !ok; s++)
            ok = strcmp(p->c->stages[s].id, key) == 0;
        if (!ok) {
            char k[48];
            snprintf(k, sizeof(k), "%.40s", key);
            return fail(p, "unknown_field", sub(fp, sizeof(fp), wp, k, 0), "没有这个阶段",
                        "no such stage");
        }
    }
    for (int s = 0; s < p->c->n_stages; s++) {
        int n;
        int rc = get_int(p, wp, w, p->c->stages[s].id, 0, 100, false, 0, &n);
        if (rc)
            return rc;
        ind->weight[s] = (uint8_t)n;
    }
    return 0;
}

/* Parses one indicator. */
static int parse_indicator(struct pparser *p, int i, const json_t *o)
{
    static const char *const allowed[] = {"id",       "zh",      "en",        "group",
                                          "measure",  "scoring", "direction", "weights",
                                          "brackets", "local",   NULL};
    struct pts_config *c = p->c;
    struct pts_indicator *ind = &c->ind[i];
    char path[64], fp[96];
    sub(path, sizeof(path), "indicators", NULL, i);
    int rc;
    if ((rc = only(p, path, o, allowed)) || (rc = get_id(p, path, o, "id", ind->id)) ||
        (rc = get_measure(p, path, o, &ind->measure)))
        return rc;
    for (int j = 0; j < i; j++)
        if (strcmp(c->ind[j].id, ind->id) == 0)
            return fail(p, "duplicate_id", sub(fp, sizeof(fp), path, "id", 0), "指标重复：%s",
                        "duplicate indicator: %s", ind->id, ind->id);
    const struct pts_measure_def *md = &pts_measures[ind->measure];
    if ((rc = get_label(p, path, o, "zh", ind->zh, sizeof(ind->zh), md->zh)) ||
        (rc = get_label(p, path, o, "en", ind->en, sizeof(ind->en), md->en)))
        return rc;
    char gid[PTS_ID_MAX];
    if ((rc = get_id(p, path, o, "group", gid)))
        return rc;
    ind->group = -1;
    for (int g = 0; g < c->n_groups; g++)
        if (strcmp(c->groups[g].id, gid) == 0)
            ind->group = (int8_t)g;
    if (ind->group < 0)
        return fail(p, "unknown_group", sub(fp, sizeof(fp), path, "group", 0), "没有这个分组：%s",
                    "no such group: %s", gid, gid);
    const json_t *local = json_object_get(o, "local");
    if (local && !json_is_boolean(local))
        return fail(p, "wrong_type", sub(fp, sizeof(fp), path, "local", 0), "须为 true 或 false",
                    "must be true or false");
    ind->local = json_is_true(local);
    const char *mode = json_string_value(json_object_get(o, "scoring"));
    sub(fp, sizeof(fp), path, "scoring", 0);
    if (!json_object_get(o, "scoring"))
        return fail(p, "required", fp, "必填（brackets 或 percentile）",
                    "required (brackets or percentile)");
    if (mode && strcmp(mode, "brackets") == 0)
        ind->mode = PTS_BRACKETS;
    else if (mode && strcmp(mode, "percentile") == 0)
        ind->mode = PTS_PERCENTILE;
    else
        return fail(p, "invalid_value", fp, "须为 brackets（分档）或 percentile（百分位）",
                    "must be brackets or percentile");
    const json_t *dir = json_object_get(o, "direction");
    sub(fp, sizeof(fp), path, "direction", 0);
    ind->lower_better = md->lower_better;
    if (dir && !json_is_null(dir)) {
        const char *d = json_string_value(dir);
        if (ind->mode != PTS_PERCENTILE)
            return fail(p, "invalid_value", fp, "只有百分位计分的指标才设方向",
                        "only percentile indicators take a direction");
        if (d && strcmp(d, "higher") == 0)
            ind->lower_better = false;
        else if (d && strcmp(d, "lower") == 0)
            ind->lower_better = true;
        else
            return fail(p, "invalid_value", fp, "须为 higher（越高越好）或 lower（越低越好）",
                        "must be higher or lower");
    }
    if ((rc = parse_weights(p, path, o, ind)))
        return rc;
    if (ind->mode == PTS_BRACKETS)
        return parse_brackets(p, path, o, ind);
    if (json_object_get(o, "brackets"))
        return fail(p, "invalid_value", sub(fp, sizeof(fp), path, "brackets", 0),
                    "百分位计分的指标不设档位", "percentile indicators have no brackets");
    return 0;
}

/* Parses the bonus or negative items (key "bonus" / "negative"). */
static int parse_adjust(struct pparser *p, const json_t *root, const char *key,
                        struct pts_adjust *items, uint8_t *n)
{
    static const char *const allowed[] = {"id", "zh", "en", "measure", "op", "edge",
                                          "value", "points", NULL};
    const json_t *arr;
    int rc = get_array(p, "", root, key, 0, PTS_MAX_ADJUST, &arr);
    if (!rc && arr)
        rc = check_objects(p, "", key, arr);
    if (rc)
        return rc;
    *n = arr ? (uint8_t)json_array_size(arr) : 0;
    for (int i = 0; i < *n; i++) {
        const json_t *o = json_array_get(arr, i);
        struct pts_adjust *a = &items[i];
        char path[64], fp[96];
        sub(path, sizeof(path), key, NULL, i);
        int pts;
        if ((rc = only(p, path, o, allowed)) || (rc = get_id(p, path, o, "id", a->id)) ||
            (rc = get_measure(p, path, o, &a->measure)))
            return rc;
        for (int j = 0; j < i; j++)
            if (strcmp(items[j].id, a->id) == 0)
                return fail(p, "duplicate_id", sub(fp, sizeof(fp), path, "id", 0), "项目重复：%s",
                            "duplicate item: %s", a->id, a->id);
        const struct pts_measure_def *md = &pts_measures[a->measure];
        if ((rc = get_label(p, path, o, "zh", a->zh, sizeof(a->zh), md->zh)) ||
            (rc = get_label(p, path, o, "en", a->en, sizeof(a->en), md->en)) ||
            (rc = get_op(p, path, o, &a->op)) ||
            (rc = get_q(p, sub(fp, sizeof(fp), path, "value", 0), json_object_get(o, "value"),
                        md->unit, &a->value, a->text, sizeof(a->text))) ||
            (rc = get_int(p, path, o, "points", 1, 100, false, 0, &pts)))
            return rc;
        a->points = (int16_t)pts;
    }
    return 0;
}

/* Parses the league bands: ascending percentages. */
static int parse_bands(struct pparser *p, const json_t *root)
{
    static const char *const allowed[] = {"id", "zh", "en", "top_percent", NULL};
    const json_t *arr;
    int rc = get_array(p, "", root, "bands", 1, PTS_MAX_BANDS, &arr);
    if (!rc)
        rc = check_objects(p, "", "bands", arr);
    if (rc)
        return rc;
    struct pts_config *c = p->c;
    c->n_bands = (uint8_t)json_array_size(arr);
    for (int i = 0; i < c->n_bands; i++) {
        const json_t *o = json_array_get(arr, i);
        struct pts_band *b = &c->bands[i];
        char path[64], fp[96];
        sub(path, sizeof(path), "bands", NULL, i);
        int pct;
        if ((rc = only(p, path, o, allowed)) || (rc = get_id(p, path, o, "id", b->id)) ||
            (rc = get_label(p, path, o, "zh", b->zh, sizeof(b->zh), NULL)) ||
            (rc = get_label(p, path, o, "en", b->en, sizeof(b->en), b->zh)) ||
            (rc = get_int(p, path, o, "top_percent", 1, 100, false, 0, &pct)))
            return rc;
        b->percent = (int16_t)pct;
        if (i > 0 && b->percent <= c->bands[i - 1].percent)
            return fail(p, "bands_order", sub(fp, sizeof(fp), path, "top_percent", 0),
                        "榜单区间须逐级递增", "band percentages must increase");
    }
    return 0;
}

/* Parses the whole configuration (members in a fixed order, so errors are stable). */
static int parse_root(struct pparser *p, const json_t *root)
{
    static const char *const allowed[] = {
        "kind",       "schema",       "id",        "title_zh",  "title_en", "source",
        "provisional", "stage_field", "cohort",    "stages",    "groups",   "indicators",
        "bonus",      "bonus_cap",    "negative",  "negative_cap", "bands", NULL};
    struct pts_config *c = p->c;
    if (!json_is_object(root))
        return fail(p, "invalid_json", "", "配置须为 JSON 对象", "the configuration must be an object");
    int rc, schema;
    if ((rc = only(p, "", root, allowed)))
        return rc;
    const char *kind = json_string_value(json_object_get(root, "kind"));
    if (!kind || strcmp(kind, "points") != 0)
        return fail(p, "invalid_value", "kind", "须为 \"points\"", "must be \"points\"");
    if ((rc = get_int(p, "", root, "schema", 1, 1, false, 0, &schema)) ||
        (rc = get_id(p, "", root, "id", c->id)) ||
        (rc = get_label(p, "", root, "title_zh", c->title_zh, sizeof(c->title_zh), NULL)) ||
        (rc = get_label(p, "", root, "title_en", c->title_en, sizeof(c->title_en), c->title_zh)) ||
        (rc = get_label(p, "", root, "source", c->source, sizeof(c->source), "")))
        return rc;
    const json_t *prov = json_object_get(root, "provisional");
    if (prov && !json_is_null(prov)) {
        static const char *const pallowed[] = {"zh", "en", NULL};
        if (!json_is_object(prov))
            return fail(p, "wrong_type", "provisional", "须为对象 {zh, en} 或 null",
                        "must be an object {zh, en} or null");
        if ((rc = only(p, "provisional", prov, pallowed)) ||
            (rc = get_label(p, "provisional", prov, "zh", c->provisional_zh,
                            sizeof(c->provisional_zh), NULL)) ||
            (rc = get_label(p, "provisional", prov, "en", c->provisional_en,
                            sizeof(c->provisional_en), c->provisional_zh)))
            return rc;
        c->provisional = true;
    }
    const char *sf = json_string_value(json_object_get(root, "stage_field"));
    c->stage_field = RULES_F_OPERATING_REVENUE;
    if (json_object_get(root, "stage_field")) {
        int f = sf ? rules_field_find(sf) : -1;
        if (f < 0 || f >= RULES_N_STORED_YEARLY || rules_fields[f].unit != RULES_U_FEN)
            return fail(p, "invalid_value", "stage_field", "须为年度金额字段（如 operating_revenue_fen）",
                        "must be a yearly money field (operating_revenue_fen)");
        c->stage_field = (int16_t)f;
    }
    const char *co = json_string_value(json_object_get(root, "cohort"));
    c->cohort = PTS_COHORT_PREFECTURE;
    if (json_object_get(root, "cohort")) {
        if (co && strcmp(co, "prefecture") == 0)
            c->cohort = PTS_COHORT_PREFECTURE;
        else if (co && strcmp(co, "county") == 0)
            c->cohort = PTS_COHORT_COUNTY;
        else
            return fail(p, "invalid_value", "cohort", "须为 prefecture（地市）或 county（区县）",
                        "must be prefecture or county");
    }
    if ((rc = parse_stages(p, root)) || (rc = parse_groups(p, root)))
        return rc;
    const json_t *arr;
    if ((rc = get_array(p, "", root, "indicators", 1, PTS_MAX_INDICATORS, &arr)) ||
        (rc = check_objects(p, "", "indicators", arr)))
        return rc;
    c->n_indicators = (uint8_t)json_array_size(arr);
    for (int i = 0; i < c->n_indicators; i++)
        if ((rc = parse_indicator(p, i, json_array_get(arr, i))))
            return rc;
    for (int s = 0; s < c->n_stages; s++) {
        int sum = 0;
        for (int i = 0; i < c->n_indicators; i++)
            sum += c->ind[i].weight[s];
        if (sum != 100) {
            char fp[96];
            snprintf(fp, sizeof(fp), "weights.%s", c->stages[s].id);
            char zh[300], en[300];
            snprintf(zh, sizeof(zh), "%s各指标权重之和须为 100（现为 %d）", c->stages[s].zh, sum);
            snprintf(en, sizeof(en), "the weights of stage %s must sum to 100 (now %d)",
                     c->stages[s].en, sum);
            return fail_text(p, "weights_sum", fp, zh, en);
        }
    }
    int cap;
    if ((rc = parse_adjust(p, root, "bonus", c->bonus, &c->n_bonus)) ||
        (rc = get_int(p, "", root, "bonus_cap", 0, 100, true, -1, &cap)))
        return rc;
    c->bonus_cap = (int16_t)cap;
    if ((rc = parse_adjust(p, root, "negative", c->negative, &c->n_negative)) ||
        (rc = get_int(p, "", root, "negative_cap", 0, 100, true, -1, &cap)))
        return rc;
    c->negative_cap = (int16_t)cap;
    return parse_bands(p, root);
}

/* See points.h. */
int pts_config_from_json(const json_t *root, struct pts_config *out, struct pts_error *err)
{
    struct pparser p = {out, err};
    memset(out, 0, sizeof(*out));
    memset(err, 0, sizeof(*err));
    return parse_root(&p, root);
}

/* See points.h. */
int pts_config_parse(const char *json, size_t len, struct pts_config *out, struct pts_error *err)
{
    json_error_t je;
    json_t *root = json_loadb(json, len, JSON_REJECT_DUPLICATES, &je);
    if (!root) {
        memset(err, 0, sizeof(*err));
        snprintf(err->code, sizeof(err->code), "invalid_json");
        snprintf(err->zh, sizeof(err->zh), "配置不是合法的 JSON（第 %d 行）：%s", je.line, je.text);
        snprintf(err->en, sizeof(err->en), "the configuration is not valid JSON (line %d): %s",
                 je.line, je.text);
        return KC_ERR_INVALID;
    }
    int rc = pts_config_from_json(root, out, err);
    json_decref(root);
    return rc;
}

/* See points.h. */
const char *pts_default_json(size_t *len)
{
    const struct asset *a = asset_find(assets_data, assets_data_count,
                                       "data/rules/innovation-points-2024.json");
    if (!a)
        return NULL;
    *len = a->len;
    return (const char *)a->data;
}

/* See points.h. */
int pts_config_default(struct pts_config *out, struct pts_error *err)
{
    size_t len = 0;
    const char *json = pts_default_json(&len);
    if (!json) {
        memset(err, 0, sizeof(*err));
        snprintf(err->code, sizeof(err->code), "missing");
        snprintf(err->en, sizeof(err->en), "data/rules/innovation-points-2024.json is not embedded");
        snprintf(err->zh, sizeof(err->zh), "缺少 data/rules/innovation-points-2024.json");
        return KC_ERR_INVALID;
    }
    return pts_config_parse(json, len, out, err);
}

/* ---------------------------------------------------------------- evaluation */

/* The stage of revenue v (known), by the bands. */
static int stage_of(const struct pts_config *c, const struct pts_value *v)
{
    for (int s = 0; s < c->n_stages; s++) {
        if (c->stages[s].open)
            return s;
        struct rules_q q = {c->stages[s].below_fen, 1};
        if (test_q(v, RULES_OP_LT, q))
            return s;
    }
    return c->n_stages - 1;
}

/* Evaluates one bonus / negative item. */
static uint8_t adjust_status(const struct pts_adjust *a, const struct rules_record *r, int year)
{
    struct pts_value v;
    pts_measure_value(a->measure, r, year, &v);
    if (!known(&v))
        return PTS_A_UNKNOWN;
    return test_q(&v, a->op, a->value) ? PTS_A_HIT : PTS_A_MISS;
}

/* See points.h. */
void pts_eval(const struct pts_config *c, const struct rules_record *r, int year,
              struct pts_firm *out)
{
    int64_t org_id = out->org_id;
    memset(out, 0, sizeof(*out));
    out->org_id = org_id;
    out->year = year;
    out->band = -1;
    out->stage = -1;
    int64_t rev;
    out->stage_value.state = PTS_V_MISSING;
    out->stage_value.den = 1;
    if (yearly(r, year, c->stage_field, &rev) == 0) {
        set_ratio(&out->stage_value, rev, 1);
        out->stage = (int8_t)stage_of(c, &out->stage_value);
    }
    for (int i = 0; i < c->n_indicators; i++) {
        const struct pts_indicator *ind = &c->ind[i];
        struct pts_ind_result *ir = &out->ind[i];
        pts_measure_value(ind->measure, r, year, &ir->v);
        ir->bracket = -1;
        if (ind->mode != PTS_BRACKETS || !known(&ir->v))
            continue;
        for (int b = 0; b < ind->n_brackets; b++) {
            const struct pts_bracket *br = &ind->brackets[b];
            if (br->is_else || test_q(&ir->v, br->op, br->value)) {
                ir->bracket = (int8_t)b;
                ir->score_x100 = br->score * 100;
                break;
            }
        }
    }
    for (int i = 0; i < c->n_bonus; i++)
        out->bonus[i] = adjust_status(&c->bonus[i], r, year);
    for (int i = 0; i < c->n_negative; i++)
        out->negative[i] = adjust_status(&c->negative[i], r, year);
    pts_total(c, out);
}

/* See points.h. */
void pts_total(const struct pts_config *c, struct pts_firm *f)
{
    f->indicator_points = 0;
    for (int i = 0; i < c->n_indicators; i++) {
        struct pts_ind_result *ir = &f->ind[i];
        ir->points = f->stage >= 0 ? (int64_t)ir->score_x100 * c->ind[i].weight[f->stage] : 0;
        f->indicator_points += ir->points;
    }
    int64_t bonus = 0, neg = 0;
    for (int i = 0; i < c->n_bonus; i++)
        if (f->bonus[i] == PTS_A_HIT)
            bonus += (int64_t)c->bonus[i].points * 10000;
    for (int i = 0; i < c->n_negative; i++)
        if (f->negative[i] == PTS_A_HIT)
            neg += (int64_t)c->negative[i].points * 10000;
    if (c->bonus_cap >= 0 && bonus > (int64_t)c->bonus_cap * 10000)
        bonus = (int64_t)c->bonus_cap * 10000;
    if (c->negative_cap >= 0 && neg > (int64_t)c->negative_cap * 10000)
        neg = (int64_t)c->negative_cap * 10000;
    f->bonus_points = bonus;
    f->negative_points = neg;
    f->total = f->indicator_points + bonus - neg;
}

/* Sort context for one percentile indicator (qsort has no user pointer). */
static _Thread_local int sort_ind;

/* Orders firms by the value of indicator sort_ind, ascending. */
static int cmp_by_value(const void *a, const void *b)
{
    const struct pts_firm *fa = *(struct pts_firm *const *)a, *fb = *(struct pts_firm *const *)b;
    return pts_value_cmp(&fa->ind[sort_ind].v, &fb->ind[sort_ind].v);
}

/* See points.h. */
void pts_score_cohort(const struct pts_config *c, struct pts_firm *const *firms, size_t n)
{
    struct pts_firm **v = n ? malloc(n * sizeof(*v)) : NULL;
    for (int i = 0; i < c->n_indicators && v; i++) {
        const struct pts_indicator *ind = &c->ind[i];
        if (ind->mode != PTS_PERCENTILE)
            continue;
        size_t k = 0;
        for (size_t j = 0; j < n; j++) {
            struct pts_ind_result *ir = &firms[j]->ind[i];
            ir->below = ir->ties = ir->n = 0;
            ir->score_x100 = 0;
            if (known(&ir->v))
                v[k++] = firms[j];
        }
        sort_ind = i;
        qsort(v, k, sizeof(*v), cmp_by_value);
        for (size_t a = 0; a < k;) {
            size_t b = a + 1;
            while (b < k && pts_value_cmp(&v[a]->ind[i].v, &v[b]->ind[i].v) == 0)
                b++;
            /* v[a..b) tie; `a` firms are below, k − b above. */
            int64_t below = ind->lower_better ? (int64_t)(k - b) : (int64_t)a;
            int64_t ties = (int64_t)(b - a);
            int32_t score;
            if (k == 1)
                score = 10000;
            else /* 100 × (2·below + ties − 1) / (2·(k − 1)), in hundredths, truncated */
                score = (int32_t)(10000 * (2 * below + ties - 1) / (2 * ((int64_t)k - 1)));
            for (size_t j = a; j < b; j++) {
                struct pts_ind_result *ir = &v[j]->ind[i];
                ir->below = (int32_t)below;
                ir->ties = (int32_t)ties;
                ir->n = (int32_t)k;
                ir->score_x100 = score;
            }
            a = b;
        }
    }
    free(v);
    for (size_t j = 0; j < n; j++)
        pts_total(c, firms[j]);
}

/* Orders firms by total descending, then org_id ascending. */
static int cmp_total(const void *a, const void *b)
{
    const struct pts_firm *fa = *(struct pts_firm *const *)a, *fb = *(struct pts_firm *const *)b;
    if (fa->total != fb->total)
        return fa->total > fb->total ? -1 : 1;
    return (fa->org_id > fb->org_id) - (fa->org_id < fb->org_id);
}

/* See points.h. */
int pts_band_of(const struct pts_config *c, int32_t rank, int32_t n)
{
    for (int b = 0; b < c->n_bands; b++)
        if ((int64_t)rank * 100 <= (int64_t)c->bands[b].percent * n)
            return b;
    return -1;
}

/* See points.h. */
void pts_rank(const struct pts_config *c, struct pts_firm **firms, size_t n)
{
    qsort(firms, n, sizeof(*firms), cmp_total);
    for (size_t i = 0; i < n; i++) {
        struct pts_firm *f = firms[i];
        f->rank = (i > 0 && firms[i - 1]->total == f->total) ? firms[i - 1]->rank : (int32_t)i + 1;
        f->ranked_n = (int32_t)n;
        f->band = (int8_t)pts_band_of(c, f->rank, (int32_t)n);
    }
}

/* ---------------------------------------------------------------- output */

/* See points.h. */
void pts_fmt_points(char *out, size_t cap, int64_t points)
{
    bool neg = points < 0;
    uint64_t a = neg ? (uint64_t)(-(points + 1)) + 1 : (uint64_t)points;
    uint64_t whole = a / 10000, frac = a % 10000;
    if (!frac) {
        snprintf(out, cap, "%s%llu", neg ? "-" : "", (unsigned long long)whole);
        return;
    }
    char f[8];
    snprintf(f, sizeof(f), "%04llu", (unsigned long long)frac);
    for (int i = 3; i > 0 && f[i] == '0'; i--)
        f[i] = '\0';
    snprintf(out, cap, "%s%llu.%s", neg ? "-" : "", (unsigned long long)whole, f);
}

/* See points.h. */
void pts_write_points(struct jw *w, int64_t points)
{
    char b[32];
    pts_fmt_points(b, sizeof(b), points);
    jw_raw(w, b, strlen(b));
}

/* See points.h. */
void pts_fmt_value(char *out, size_t cap, int m, const struct pts_value *v)
{
    if (v->state == PTS_V_MISSING || v->state == PTS_V_NA) {
        snprintf(out, cap, "%s", "");
        return;
    }
    if (v->state == PTS_V_INF || v->state == PTS_V_NEG_INF) {
        snprintf(out, cap, "%s∞", v->state == PTS_V_NEG_INF ? "-" : "");
        return;
    }
    switch (pts_measures[m].unit) {
    case RULES_U_RATIO: rules_fmt_percent(out, cap, v->num, v->den, 2); break;
    case RULES_U_FEN: rules_fmt_money(out, cap, (int64_t)(v->num / v->den)); break;
    default: snprintf(out, cap, "%lld", (long long)(v->num / v->den)); break;
    }
}

/* Operator symbols by enum rules_op. */
static const char *const op_sym[] = {">=", ">", "<=", "<", "=="};

/* Writes a value as {num, den} integers (exact) or null. */
static void write_exact(struct jw *w, const struct pts_value *v)
{
    if (v->state != PTS_V_OK) {
        jw_knull(w, "value_num");
        jw_knull(w, "value_den");
        return;
    }
    char b[48];
    /* Values fit in int64: fields are ≤ 10^15 and ratios keep their raw parts. */
    jw_key(w, "value_num");
    snprintf(b, sizeof(b), "%lld", (long long)v->num);
    jw_raw(w, b, strlen(b));
    jw_key(w, "value_den");
    snprintf(b, sizeof(b), "%lld", (long long)v->den);
    jw_raw(w, b, strlen(b));
}

/* Value state names by enum pts_vstate. */
static const char *const vstate_name[] = {"ok", "missing", "infinite", "negative_infinite",
                                          "not_applicable"};

/* Writes the adjust items (bonus or negative) of a firm. */
static void write_adjust(struct jw *w, const struct pts_adjust *items, int n,
                         const uint8_t *status)
{
    static const char *const st[] = {"miss", "hit", "unknown"};
    jw_arr_open(w);
    for (int i = 0; i < n; i++) {
        const struct pts_adjust *a = &items[i];
        jw_obj_open(w);
        jw_kstr(w, "id", a->id);
        jw_kstr(w, "label_zh", a->zh);
        jw_kstr(w, "label_en", a->en);
        jw_kstr(w, "measure", pts_measures[a->measure].id);
        jw_kstr(w, "op", op_sym[a->op]);
        jw_kstr(w, "value", a->text);
        jw_kstr(w, "status", st[status[i]]);
        jw_kint(w, "points", status[i] == PTS_A_HIT ? a->points : 0);
        jw_obj_close(w);
    }
    jw_arr_close(w);
}

/* See points.h. */
void pts_write_firm(struct jw *w, const struct pts_config *c, const struct pts_firm *f)
{
    char b[96];
    jw_obj_open(w);
    jw_kstr(w, "config_id", c->id);
    jw_kint(w, "year", f->year);
    jw_kbool(w, "provisional", c->provisional);
    if (c->provisional) {
        jw_kstr(w, "provisional_zh", c->provisional_zh);
        jw_kstr(w, "provisional_en", c->provisional_en);
    }
    if (f->stage >= 0) {
        const struct pts_stage *s = &c->stages[f->stage];
        jw_key(w, "stage");
        jw_obj_open(w);
        jw_kstr(w, "id", s->id);
        jw_kstr(w, "label_zh", s->zh);
        jw_kstr(w, "label_en", s->en);
        jw_obj_close(w);
    } else {
        jw_knull(w, "stage");
    }
    jw_kstr(w, "stage_field", rules_fields[c->stage_field].name);
    if (f->stage_value.state == PTS_V_OK) {
        rules_fmt_money(b, sizeof(b), (int64_t)f->stage_value.num);
        jw_kstr(w, "stage_value", b);
    } else {
        jw_knull(w, "stage_value");
    }
    jw_key(w, "total");
    pts_write_points(w, f->total);
    jw_key(w, "indicator_points");
    pts_write_points(w, f->indicator_points);
    jw_key(w, "bonus_points");
    pts_write_points(w, f->bonus_points);
    jw_key(w, "negative_points");
    pts_write_points(w, f->negative_points);
    if (f->rank) {
        jw_kint(w, "rank", f->rank);
        jw_kint(w, "ranked_n", f->ranked_n);
        jw_kstr(w, "band", f->band >= 0 ? c->bands[f->band].id : NULL);
    }
    jw_key(w, "indicators");
    jw_arr_open(w);
    for (int i = 0; i < c->n_indicators; i++) {
        const struct pts_indicator *ind = &c->ind[i];
        const struct pts_ind_result *ir = &f->ind[i];
        jw_obj_open(w);
        jw_kstr(w, "id", ind->id);
        jw_kstr(w, "label_zh", ind->zh);
        jw_kstr(w, "label_en", ind->en);
        jw_kstr(w, "group", c->groups[ind->group].id);
        jw_kbool(w, "local", ind->local);
        jw_kstr(w, "measure", pts_measures[ind->measure].id);
        jw_kstr(w, "scoring", ind->mode == PTS_BRACKETS ? "brackets" : "percentile");
        jw_kstr(w, "value_state", vstate_name[ir->v.state]);
        pts_fmt_value(b, sizeof(b), ind->measure, &ir->v);
        if (known(&ir->v))
            jw_kstr(w, "value", b);
        else
            jw_knull(w, "value");
        write_exact(w, &ir->v);
        if (ind->mode == PTS_BRACKETS && ir->bracket >= 0) {
            const struct pts_bracket *br = &ind->brackets[ir->bracket];
            jw_key(w, "bracket");
            jw_obj_open(w);
            jw_kint(w, "index", ir->bracket);
            if (br->is_else) {
                jw_kbool(w, "else", true);
            } else {
                jw_kstr(w, "op", op_sym[br->op]);
                jw_kstr(w, "value", br->text);
            }
            jw_kint(w, "score", br->score);
            jw_obj_close(w);
        } else {
            jw_knull(w, "bracket");
        }
        if (ind->mode == PTS_PERCENTILE && ir->n > 0) {
            jw_key(w, "percentile");
            jw_obj_open(w);
            jw_kint(w, "below", ir->below);
            jw_kint(w, "ties", ir->ties);
            jw_kint(w, "cohort", ir->n);
            jw_kstr(w, "direction", ind->lower_better ? "lower" : "higher");
            jw_obj_close(w);
        } else {
            jw_knull(w, "percentile");
        }
        jw_key(w, "score");
        pts_write_points(w, (int64_t)ir->score_x100 * 100);
        if (f->stage >= 0)
            jw_kint(w, "weight", ind->weight[f->stage]);
        else
            jw_knull(w, "weight");
        jw_key(w, "points");
        pts_write_points(w, ir->points);
        jw_obj_close(w);
    }
    jw_arr_close(w);
    jw_key(w, "bonus");
    write_adjust(w, c->bonus, c->n_bonus, f->bonus);
    jw_key(w, "negative");
    write_adjust(w, c->negative, c->n_negative, f->negative);
    jw_obj_close(w);
}

/* Writes a threshold as written: an integer when the text is one, else the string. */
static void write_text_value(struct jw *w, const char *text, enum rules_unit u)
{
    bool plain = *text && strspn(text + (*text == '-'), "0123456789") == strlen(text + (*text == '-'));
    if (plain && u != RULES_U_FEN && u != RULES_U_RATIO)
        jw_raw(w, text, strlen(text));
    else
        jw_str(w, text);
}

/* Writes labelled id objects {id, zh, en}. */
static void write_labels(struct jw *w, const char *id, const char *zh, const char *en)
{
    jw_kstr(w, "id", id);
    jw_kstr(w, "zh", zh);
    jw_kstr(w, "en", en);
}

/* Writes bonus or negative items in the file format. */
static void write_adjust_cfg(struct jw *w, const struct pts_adjust *items, int n)
{
    jw_arr_open(w);
    for (int i = 0; i < n; i++) {
        const struct pts_adjust *a = &items[i];
        jw_obj_open(w);
        write_labels(w, a->id, a->zh, a->en);
        jw_kstr(w, "measure", pts_measures[a->measure].id);
        jw_kstr(w, "op", op_sym[a->op]);
        jw_key(w, "value");
        write_text_value(w, a->text, pts_measures[a->measure].unit);
        jw_kint(w, "points", a->points);
        jw_obj_close(w);
    }
    jw_arr_close(w);
}

/* See points.h. */
void pts_write_config(struct jw *w, const struct pts_config *c)
{
    jw_obj_open(w);
    jw_kstr(w, "kind", "points");
    jw_kint(w, "schema", 1);
    jw_kstr(w, "id", c->id);
    jw_kstr(w, "title_zh", c->title_zh);
    jw_kstr(w, "title_en", c->title_en);
    jw_kstr(w, "source", c->source);
    if (c->provisional) {
        jw_key(w, "provisional");
        jw_obj_open(w);
        jw_kstr(w, "zh", c->provisional_zh);
        jw_kstr(w, "en", c->provisional_en);
        jw_obj_close(w);
    } else {
        jw_knull(w, "provisional");
    }
    jw_kstr(w, "stage_field", rules_fields[c->stage_field].name);
    jw_kstr(w, "cohort", c->cohort == PTS_COHORT_COUNTY ? "county" : "prefecture");
    jw_key(w, "stages");
    jw_arr_open(w);
    for (int s = 0; s < c->n_stages; s++) {
        jw_obj_open(w);
        write_labels(w, c->stages[s].id, c->stages[s].zh, c->stages[s].en);
        if (!c->stages[s].open)
            jw_kstr(w, "below", c->stages[s].text);
        jw_obj_close(w);
    }
    jw_arr_close(w);
    jw_key(w, "groups");
    jw_arr_open(w);
    for (int g = 0; g < c->n_groups; g++) {
        jw_obj_open(w);
        write_labels(w, c->groups[g].id, c->groups[g].zh, c->groups[g].en);
        jw_obj_close(w);
    }
    jw_arr_close(w);
    jw_key(w, "indicators");
    jw_arr_open(w);
    for (int i = 0; i < c->n_indicators; i++) {
        const struct pts_indicator *ind = &c->ind[i];
        enum rules_unit u = pts_measures[ind->measure].unit;
        jw_obj_open(w);
        write_labels(w, ind->id, ind->zh, ind->en);
        jw_kstr(w, "group", c->groups[ind->group].id);
        jw_kstr(w, "measure", pts_measures[ind->measure].id);
        jw_kbool(w, "local", ind->local);
        jw_kstr(w, "scoring", ind->mode == PTS_BRACKETS ? "brackets" : "percentile");
        if (ind->mode == PTS_PERCENTILE)
            jw_kstr(w, "direction", ind->lower_better ? "lower" : "higher");
        jw_key(w, "weights");
        jw_obj_open(w);
        for (int s = 0; s < c->n_stages; s++)
            jw_kint(w, c->stages[s].id, ind->weight[s]);
        jw_obj_close(w);
        if (ind->mode == PTS_BRACKETS) {
            jw_key(w, "brackets");
            jw_arr_open(w);
            for (int b = 0; b < ind->n_brackets; b++) {
                const struct pts_bracket *br = &ind->brackets[b];
                jw_obj_open(w);
                if (br->is_else) {
                    jw_kbool(w, "else", true);
                } else {
                    jw_kstr(w, "op", op_sym[br->op]);
                    jw_key(w, "value");
                    write_text_value(w, br->text, u);
                }
                jw_kint(w, "score", br->score);
                jw_obj_close(w);
            }
            jw_arr_close(w);
        }
        jw_obj_close(w);
    }
    jw_arr_close(w);
    jw_key(w, "bonus");
    write_adjust_cfg(w, c->bonus, c->n_bonus);
    if (c->bonus_cap >= 0)
        jw_kint(w, "bonus_cap", c->bonus_cap);
    else
        jw_knull(w, "bonus_cap");
    jw_key(w, "negative");
    write_adjust_cfg(w, c->negative, c->n_negative);
    if (c->negative_cap >= 0)
        jw_kint(w, "negative_cap", c->negative_cap);
    else
        jw_knull(w, "negative_cap");
    jw_key(w, "bands");
    jw_arr_open(w);
    for (int b = 0; b < c->n_bands; b++) {
        jw_obj_open(w);
        write_labels(w, c->bands[b].id, c->bands[b].zh, c->bands[b].en);
        jw_kint(w, "top_percent", c->bands[b].percent);
        jw_obj_close(w);
    }
    jw_arr_close(w);
    jw_obj_close(w);
}
