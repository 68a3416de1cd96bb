/* ent_import.c — the enterprise import: columns, exact parsing, validation, batched
 * idempotent writes with audit, the failed-rows file (template: ent_template.c). */
#include "store/ent_import.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/jw.h"
#include "core/timeutil.h"
#include "core/uscc.h"
#include "core/utf8.h"
#include "core/xalloc.h"
#include "db/db.h"
#include "domain/enterprise.h"
#include "rules/rules.h"
#include "io/csv_write.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MONEY_LIMIT 1000000000000000LL /* 10^15 分 = 10^13 元 */
#define COUNT_LIMIT 1000000000LL       /* 10^9 */
#define X100_LIMIT 100000000LL         /* 10^6 years × 100 */
#define NAME_MAX_CHARS 100             /* as the organisation API */
#define MAX_COLS 48                    /* ≥ ent_n_columns */
#define MAX_ERRORS 8                   /* reasons listed per row */

/* Shorthands for the column table. */
#define BOOLC(k, zh, en)                                                                           \
    {                                                                                              \
        k, zh, NULL, en, ECT_BOOL, ECT_ENT, k, false, "填“是”或“否”（也可填 Y/N、1/0）",           \
            "yes/no (是/否, Y/N, 1/0)"                                                           \
    }
#define COUNTC(k, zh, unit, en)                                                                    \
    {                                                                                              \
        k, zh, unit, en, ECT_COUNT, ECT_YEARS, k, false, "不小于 0 的整数", "an integer ≥ 0"     \
    }
#define MONEYC(k, zh, en)                                                                          \
    {                                                                                              \
        k "_fen", zh, "元", en, ECT_MONEY, ECT_YEARS, k "_fen", false,                             \
            "单位：元，不小于 0，最多两位小数", "in yuan, ≥ 0, at most 2 decimals"               \
    }

/* clang-format off */
const struct ent_column ent_columns[] = {
    {"uscc", "统一社会信用代码", NULL, "USCC", ECT_USCC, ECT_KEY, "uscc", true,
     "必填。18 位统一社会信用代码（大写字母与数字）", "required; the 18-character code"},
    {"name", "企业名称", NULL, "name", ECT_NAME, ECT_ORG, "name", true,
     "新企业必填；已有企业填写则更新名称（保留曾用名）",
     "required for a new enterprise; renames an existing one (history kept)"},
    {"region_code", "所在地区代码", NULL, "region code", ECT_REGION, ECT_ORG, "region_code", true,
     "新企业必填。6 位行政区划代码，可从下拉列表选择（如“330402 南湖区”）",
     "required for a new enterprise; 6-digit GB/T 2260 code (pick from the list)"},
    {"industry_code", "国民经济行业代码", NULL, "industry code", ECT_INDUSTRY, ECT_ORG,
     "industry_code", false, "GB/T 4754 门类或大类代码，如 C36", "GB/T 4754 code such as C36"},
    {"registered_on", "注册成立日期", NULL, "registration date", ECT_DATE, ECT_ENT,
     "registered_on", false, "如 2015-06-30", "e.g. 2015-06-30"},
    {"hightech_field", "国家重点支持的高新技术领域", NULL, "high-tech field", ECT_HTFIELD, ECT_ENT,
     "hightech_field", false, "八大领域之一，或填“无”", "one of the 8 fields, or 无 (none)"},
    BOOLC("national_award_top3_5y", "近五年国家级科技奖励(前三名)", "national S&T award in 5 years (top 3)"),
    BOOLC("provincial_award_top3_3y", "近三年省级以上科技奖励(前三名)", "provincial S&T award in 3 years (top 3)"),
    BOOLC("sci_award_3y", "近三年国家级或省级科技奖励", "national or provincial S&T award in 3 years"),
    BOOLC("provincial_rd_institution", "省部级以上研发机构", "provincial or ministerial R&D institution"),
    BOOLC("led_standard_5y", "近五年主导制定国际、国家或行业标准", "led a standard in 5 years"),
    BOOLC("no_major_incident", "未发生重大安全、质量事故或严重环境违法", "no major incident"),
    BOOLC("not_on_abnormal_list", "未列入经营异常名录或严重违法失信名单", "not on the abnormal-operation list"),
    BOOLC("not_restricted_industry", "产品(服务)不属于禁止、限制、淘汰类", "not a restricted industry"),
    BOOLC("strategic_emerging_industry", "主导产品属于战略性新兴产业", "strategic emerging industry"),
    {"niche_years", "从事特定细分市场年限", "年", "years in the niche market", ECT_X100, ECT_ENT,
     "niche_years_x100", false, "不小于 0，最多两位小数", "≥ 0, at most 2 decimals"},
    {"year", "年度", NULL, "year", ECT_YEAR, ECT_KEY, "year", false,
     "填写年度数据时必填，如 2024", "required with yearly figures, e.g. 2024"},
    COUNTC("employees", "职工总数", "人", "total employees"),
    COUNTC("tech_staff", "科技人员数", "人", "technology staff"),
    COUNTC("rd_staff", "研发人员数", "人", "R&D staff"),
    MONEYC("sales_revenue", "销售收入", "sales revenue"),
    MONEYC("main_business_revenue", "主营业务收入", "main business revenue"),
    MONEYC("operating_revenue", "营业收入", "operating revenue"),
    MONEYC("total_income", "总收入", "total income"),
    MONEYC("hightech_revenue", "高新技术产品(服务)收入", "high-tech product (service) revenue"),
    MONEYC("rd_expense", "研发费用总额", "R&D expense"),
    MONEYC("rd_expense_domestic", "境内研发费用", "R&D expense in China"),
    MONEYC("cost_expense_total", "成本费用支出总额", "total costs and expenses"),
    MONEYC("total_assets", "资产总额", "total assets"),
    MONEYC("total_liabilities", "负债总额", "total liabilities"),
    {"net_profit_fen", "净利润", "元", "net profit", ECT_MONEY_SIGNED, ECT_YEARS, "net_profit_fen",
     false, "单位：元，可为负数，最多两位小数", "in yuan, may be negative, at most 2 decimals"},
    COUNTC("ip_class1", "Ⅰ类知识产权", "件", "class I IP rights"),
    COUNTC("ip_class1_self_developed", "其中：自主研发Ⅰ类知识产权", "件", "self-developed class I IP rights"),
    COUNTC("ip_class1_high_value", "其中：高价值Ⅰ类知识产权", "件", "high-value class I IP rights"),
    COUNTC("ip_class2", "Ⅱ类知识产权", "件", "class II IP rights"),
    COUNTC("conversions", "科技成果转化", "项", "technology conversions"),
    MONEYC("equity_financing", "新增股权融资", "new equity financing"),
    {"srdi_quality_score", "专精特新发展(质量)评价得分", "分", "SRDI development quality score",
     ECT_X100, ECT_YEARS, "srdi_quality_score_x100", false, "不小于 0，最多两位小数",
     "≥ 0, at most 2 decimals"},
};
/* clang-format on */
const int ent_n_columns = (int)(sizeof(ent_columns) / sizeof(ent_columns[0]));
_Static_assert(sizeof(ent_columns) / sizeof(ent_columns[0]) <= MAX_COLS, "MAX_COLS too small");

/* ---- row messages (zh / en); "%s" is a parameter ---- */

/* One reason a cell is refused. */
struct reason {
    const char *code; /* internal name */
    const char *zh;   /* Chinese text */
    const char *en;   /* English text */
};

/* clang-format off */
static const struct reason reasons[] = {
    {"required", "必填", "is required"},
    {"required_new", "新企业必填", "is required for a new enterprise"},
    {"year_required", "填写了年度数据，必须填写年度", "is required when yearly figures are given"},
    {"bad_encoding", "含有无效的字符编码", "holds bytes that are not valid text"},
    {"uscc_length", "应为 18 位", "must have 18 characters"},
    {"uscc_char", "含有不允许的字符（不使用 I、O、S、V、Z）", "holds a character outside 0-9 A-Z without I O S V Z"},
    {"uscc_region", "第 3–8 位应为行政区划代码", "positions 3–8 must be digits"},
    {"uscc_check", "校验位错误", "has a wrong check character"},
    {"not_enterprise", "该代码已登记为非企业机构", "belongs to an organisation that is not an enterprise"},
    {"uscc_scope", "该企业不在您的管辖范围内", "belongs to an enterprise outside your region"},
    {"region_unknown", "不是有效的行政区划代码", "is not a known region code"},
    {"region_scope", "不在您的管辖范围内", "is outside your region"},
    {"industry_unknown", "不是有效的国民经济行业代码（如 C36）", "is not a GB/T 4754 industry code (e.g. C36)"},
    {"date", "不是有效日期（如 2015-06-30）", "is not a valid date (e.g. 2015-06-30)"},
    {"date_future", "不能晚于今天", "cannot be in the future"},
    {"htfield", "应为八大高新技术领域之一或“无”", "must be one of the 8 high-tech fields or 无"},
    {"bool", "应为“是”或“否”", "must be yes or no (是/否)"},
    {"x100", "应为不小于 0 的数，最多两位小数", "must be a number ≥ 0 with at most 2 decimals"},
    {"year", "应为 1990 至今年之间的年份", "must be a year from 1990 to this year"},
    {"count", "应为不小于 0 的整数", "must be an integer ≥ 0"},
    {"money", "应为不小于 0 的金额（元），最多两位小数", "must be an amount in yuan ≥ 0 with at most 2 decimals"},
    {"money_signed", "应为金额（元），最多两位小数", "must be an amount in yuan with at most 2 decimals"},
    {"money_fen", "应为不小于 0 的整数（分）", "must be an integer number of fen ≥ 0"},
    {"money_fen_signed", "应为整数（分）", "must be an integer number of fen"},
    {"too_long", "不能超过 100 个字符", "must be at most 100 characters"},
    {"not_greater", "不能大于“%s”", "cannot exceed \"%s\""},
    {"locked", "该年度数据已核验锁定，不能通过导入修改", "this year is verified (locked); an import cannot change it"},
    {"duplicate", "统一社会信用代码与年度在本文件中重复出现", "USCC and year appear twice in this file"},
    {"inconsistent", "与本文件中同一企业前面的行不一致", "differs from an earlier row of the same enterprise"},
};
/* clang-format on */

/* ---- exact parsing ---- */

/* Trims ASCII white space, no-break and ideographic spaces (and a stray byte-order
 * mark at the start) at both ends; returns an arena copy. */
static char *trim(struct arena *a, const char *s)
{
    while (*s) {
        if (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
            s++;
        else if (strncmp(s, "\xC2\xA0", 2) == 0)
            s += 2;
        else if (strncmp(s, "\xE3\x80\x80", 3) == 0 || strncmp(s, "\xEF\xBB\xBF", 3) == 0)
            s += 3; /* ideographic space; a byte-order mark left in a cell */
        else
            break;
    }
    size_t n = strlen(s);
    for (;;) {
        if (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n'))
            n--;
        else if (n >= 2 && strncmp(s + n - 2, "\xC2\xA0", 2) == 0)
            n -= 2;
        else if (n >= 3 && strncmp(s + n - 3, "\xE3\x80\x80", 3) == 0)
            n -= 3;
        else
            break;
    }
    return arena_strndup(a, s, n);
}

bool ent_parse_decimal(const char *s, int scale, int64_t limit, int64_t *out)
{
    bool neg = false;
    if (*s == '+' || *s == '-')
        neg = *s++ == '-';
    if (strncmp(s, "¥", strlen("¥")) == 0)
        s += strlen("¥");
    else if (strncmp(s, "￥", strlen("￥")) == 0)
        s += strlen("￥");
    /* Collect the significant digits and the position of the decimal point. */
    char digits[40];
    int nd = 0, frac = 0, group = -1;
    bool point = false, any = false;
    for (; *s; s++) {
        if (*s >= '0' && *s <= '9') {
            any = true;
            if (point)
                frac++;
            else if (group >= 0)
                group++;
            if (nd == 0 && *s == '0' && !point)
                continue; /* leading zeros */
            if (nd >= (int)sizeof(digits) - 1)
                return false;
            digits[nd++] = *s;
        } else if (*s == ',' && !point && any) {
            if (group >= 0 && group != 3)
                return false;
            group = 0; /* thousands separators: groups of exactly three */
        } else if (*s == '.' && !point) {
            if (group >= 0 && group != 3)
                return false;
            point = true;
            group = -1;
        } else {
            break;
        }
    }
    if (!any || (group >= 0 && group != 3))
        return false;
    int exp10 = 0;
    if (*s == 'e' || *s == 'E') {
        s++;
        char *end;
        errno = 0;
        long e = strtol(s, &end, 10);
        if (end == s || errno || e < -40 || e > 40)
            return false;
        exp10 = (int)e;
        s = end;
    }
    if (*s)
        return false;
    /* value = digits × 10^(exp10 − frac); scaled = value × 10^scale. */
    int shift = exp10 - frac + scale;
    while (shift < 0 && nd > 0 && digits[nd - 1] == '0') {
        nd--;
        shift++;
    }
    if (shift < 0 && nd > 0)
        return false; /* more decimals than the scale allows */
    if (nd == 0) {
        *out = 0;
        return true;
    }
    if (nd + shift > 18)
        return false;
    int64_t v = 0;
    for (int i = 0; i < nd; i++)
        v = v * 10 + (digits[i] - '0');
    for (int i = 0; i < shift; i++)
        v *= 10;
    if (v > limit)
        return false;
    *out = neg ? -v : v;
    return true;
}

/* Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm). */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

/* The civil date of a day count since 1970-01-01. */
static void civil_from_days(int64_t z, int *y, unsigned *m, unsigned *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t yy = (int64_t)yoe + era * 400;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = (int)(yy + (*m <= 2));
}

/* True when y-m-d is a real calendar date. */
static bool valid_date(int y, unsigned m, unsigned d)
{
    static const unsigned mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < 1800 || y > 2200 || m < 1 || m > 12 || d < 1)
        return false;
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return d <= mdays[m - 1] + (m == 2 && leap);
}

/* Parses a date: an Excel serial (numeric XLSX cell), ISO text, 2015/6/30, 2015.6.30,
 * 2015年6月30日 or 20150630. Writes YYYY-MM-DD into out and the day count in *days. */
static bool parse_date(const char *s, unsigned char type, bool date1904, char out[11],
                       int64_t *days)
{
    int y;
    unsigned m, d;
    if (type == XLSX_NUMBER) {
        char *end;
        double v = strtod(s, &end);
        if (*end || v < 1 || v > 200000)
            return false;
        int64_t serial = (int64_t)v;
        /* 1900 system: serial 1 is 1900-01-01 and 60 is Excel's fictitious 1900-02-29. */
        int64_t base = date1904 ? days_from_civil(1904, 1, 1)
                                : days_from_civil(1899, 12, serial < 60 ? 31 : 30);
        if (!date1904 && serial == 60)
            return false;
        civil_from_days(base + serial, &y, &m, &d);
    } else {
        char sep[3][8] = {"", "", ""};
        int n = 0;
        unsigned a = 0, b = 0, c = 0;
        if (strlen(s) == 8 && strspn(s, "0123456789") == 8) {
            n = sscanf(s, "%4u%2u%2u", &a, &b, &c);
        } else if (sscanf(s, "%u年%u月%u日%n", &a, &b, &c, &n) == 3 && s[n] == '\0') {
            n = 3;
        } else {
            int used = 0;
            n = sscanf(s, "%u%1[-/.]%u%1[-/.]%u%n", &a, sep[0], &b, sep[1], &c, &used);
            /* ISO with a time part (t="d" cells): keep the date */
            if (n == 5 && s[used] != '\0' && s[used] != 'T' && s[used] != ' ')
                return false;
            if (n == 5 && strcmp(sep[0], sep[1]) != 0)
                return false;
            n = n == 5 ? 3 : 0;
        }
        if (n != 3 || a > 9999)
            return false;
        y = (int)a;
        m = b;
        d = c;
    }
    if (!valid_date(y, m, d))
        return false;
    char tmp[40];
    snprintf(tmp, sizeof(tmp), "%04d-%02u-%02u", y, m % 100, d % 100);
    memcpy(out, tmp, 11);
    out[10] = '\0';
    *days = days_from_civil(y, m, d);
    return true;
}

/* Parses 是/否 and friends: 1 or 0, -1 when not a yes/no. */
static int parse_bool(const char *s)
{
    static const char *const yes[] = {"是", "1", "y", "yes", "true", "√", "有", "t"};
    static const char *const no[] = {"否", "0", "n", "no", "false", "×", "无", "f"};
    for (size_t i = 0; i < sizeof(yes) / sizeof(*yes); i++) {
        if (strcasecmp(s, yes[i]) == 0)
            return 1;
        if (strcasecmp(s, no[i]) == 0)
            return 0;
    }
    return -1;
}

/* The number in an XLSX numeric cell rounded to 15 significant digits (what Excel
 * shows), so a stored 1234567.8899999999 reads as 1234567.89. Returns s otherwise. */
static const char *excel_number(struct arena *a, const char *s, unsigned char type)
{
    if (type != XLSX_NUMBER)
        return s;
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (*end || errno)
        return s;
    return arena_printf(a, "%.15g", v);
}

/* ---- reference data kept in memory for the whole import ---- */

/* Codes of a small table, sorted, for bsearch. */
struct codes {
    char (*code)[8];  /* the codes */
    char (*alias)[8]; /* region_aliases: the code it maps to ("" = itself) */
    size_t n;         /* count */
};

/* Compares two fixed-size codes. */
static int code_cmp(const void *a, const void *b)
{
    return strcmp(a, b);
}

/* Loads sql's first column (and optionally the second as alias target) into c. */
static int codes_load(struct db *db, const char *sql, bool with_alias, struct codes *c)
{
    struct db_stmt *st = db_prep(db, sql);
    if (!st)
        return KC_ERR_DB;
    size_t cap = 0;
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        if (c->n == cap) {
            cap = cap ? cap * 2 : 256;
            c->code = xrealloc(c->code, cap * sizeof(*c->code));
            c->alias = xrealloc(c->alias, cap * sizeof(*c->alias));
        }
        snprintf(c->code[c->n], 8, "%s", db_col_text(st, 0));
        const char *al = with_alias ? db_col_text(st, 1) : NULL;
        snprintf(c->alias[c->n], 8, "%s", al ? al : "");
        c->n++;
    }
    db_done(st);
    if (rc < 0)
        return rc;
    /* Sort code and alias together: sort indices through a temporary array of pairs. */
    char(*pairs)[16] = xmalloc((c->n ? c->n : 1) * 16);
    for (size_t i = 0; i < c->n; i++) {
        memcpy(pairs[i], c->code[i], 8);
        memcpy(pairs[i] + 8, c->alias[i], 8);
    }
    qsort(pairs, c->n, 16, code_cmp);
    for (size_t i = 0; i < c->n; i++) {
        memcpy(c->code[i], pairs[i], 8);
        memcpy(c->alias[i], pairs[i] + 8, 8);
    }
    free(pairs);
    return 0;
}

/* Finds code; returns its index or -1. */
static long codes_find(const struct codes *c, const char *code)
{
    if (strlen(code) > 7 || !c->n)
        return -1;
    char key[8] = {0};
    memcpy(key, code, strlen(code));
    char(*hit)[8] = bsearch(key, c->code, c->n, 8, code_cmp);
    return hit ? hit - c->code : -1;
}

/* ---- a set of 64-bit keys (enterprises and enterprise-years seen in this file) ---- */

/* Open addressing with linear probing; 0 is the empty slot. */
struct keyset {
    uint64_t *slot; /* the table */
    size_t cap;     /* slots, a power of two */
    size_t n;       /* keys stored */
};

/* Mixes a key into a slot index. */
static size_t ks_hash(uint64_t k, size_t cap)
{
    k ^= k >> 33;
    k *= 0xff51afd7ed558ccdull;
    k ^= k >> 33;
    return (size_t)k & (cap - 1);
}

/* True when k is in the set. */
static bool ks_has(const struct keyset *s, uint64_t k)
{
    if (!s->cap)
        return false;
    for (size_t i = ks_hash(k, s->cap);; i = (i + 1) & (s->cap - 1)) {
        if (s->slot[i] == k)
            return true;
        if (s->slot[i] == 0)
            return false;
    }
}

/* Adds k (non-zero). */
static void ks_add(struct keyset *s, uint64_t k)
{
    if ((s->n + 1) * 10 > s->cap * 7) {
        struct keyset g = {xcalloc(s->cap ? s->cap * 2 : 4096, 8), s->cap ? s->cap * 2 : 4096, 0};
        for (size_t i = 0; i < s->cap; i++)
            if (s->slot[i])
                ks_add(&g, s->slot[i]);
        free(s->slot);
        *s = g;
    }
    size_t i = ks_hash(k, s->cap);
    while (s->slot[i] && s->slot[i] != k)
        i = (i + 1) & (s->cap - 1);
    if (!s->slot[i]) {
        s->slot[i] = k;
        s->n++;
    }
}

/* ---- the importer ---- */

/* Stored values of one record's columns, indexed like ent_columns. */
struct vals {
    bool null[MAX_COLS]; /* SQL NULL */
    int64_t i[MAX_COLS]; /* integer value */
    char *s[MAX_COLS];   /* text value (arena), NULL for integer columns */
};

/* A row's parsed cells. */
struct row {
    bool has[MAX_COLS];               /* a value was given */
    struct vals v;                    /* the values (null = explicit none, e.g. 无) */
    int n_err;                        /* reasons collected */
    int err_col[MAX_ERRORS];          /* ent column (or -1 for the row) */
    const char *err_code[MAX_ERRORS]; /* reason code */
    const char *err_arg[MAX_ERRORS];  /* its parameter */
};

/* The enterprise a run of rows is about (cached while consecutive rows share it). */
struct current {
    bool valid;       /* holds an enterprise */
    char uscc[20];    /* its USCC */
    int64_t org_id;   /* orgs.id */
    bool is_new;      /* created by this import: it has no yearly records but ours */
    bool has_profile; /* an enterprises row exists */
    struct vals org;  /* name, region_code, industry_code */
    struct vals ent;  /* the profile columns */
    struct arena ar;  /* memory of the text values */
};

/* Everything one import needs. */
struct importer {
    struct db *db;                   /* connection */
    const struct ent_import_opts *o; /* options */
    struct ent_import_stats *st;     /* counters */
    struct table_reader *t;          /* the input */
    int64_t now;                     /* time of the import */
    int this_year;                   /* the current year */
    int64_t today;                   /* days since 1970 */
    /* header */
    int n_hdr;                /* header cells */
    char **hdr;               /* their text (malloc'd) */
    int map[TABLE_MAX_COLS];  /* file column → ent column or -1 */
    bool fen[TABLE_MAX_COLS]; /* money column in 分 (named *_fen) */
    int col_of[MAX_COLS];     /* ent column → file column or -1 */
    int col_year;             /* ent index of year */
    int col_uscc;             /* ent index of uscc */
    int rf[MAX_COLS];         /* rule-engine yearly field of ent column c, or -1 */
    signed char wholes[RULES_N_STORED_YEARLY][RULES_N_STORED_YEARLY + 1]; /* containers of f */
    /* reference data */
    struct codes regions;    /* regions and aliases */
    struct codes industries; /* industry codes */
    struct keyset seen;      /* enterprises (id << 8) and years (id << 8 | y−1989) */
    struct current cur;      /* cached enterprise */
    /* SQL text built from the column table */
    struct buf sql_ent_sel, sql_ent_ins, sql_ent_upd, sql_year_sel, sql_year_ins, sql_year_upd;
    /* the batch */
    int in_batch;                   /* rows in the open transaction */
    uint64_t first_line, last_line; /* rows of the batch */
    struct buf a_ins, a_new, a_upd; /* audit pieces: inserted years, new enterprises, updates */
    int n_changes;                  /* records changed in the batch */
    bool triggers_off;              /* the connection's triggers are off (see flush) */
    /* failed rows */
    FILE *failed;    /* the failed-rows CSV, once opened */
    struct arena ar; /* per-row memory */
    struct buf msg;  /* the row's message */
};

/* Index of the ent column named key, or -1. */
static int col_index(const char *key)
{
    for (int c = 0; c < ent_n_columns; c++)
        if (strcmp(ent_columns[c].key, key) == 0)
            return c;
    return -1;
}

/* Adds a reason to the row (the first MAX_ERRORS are kept). */
static void row_err(struct row *r, int col, const char *code, const char *arg)
{
    if (r->n_err < MAX_ERRORS) {
        r->err_col[r->n_err] = col;
        r->err_code[r->n_err] = code;
        r->err_arg[r->n_err] = arg;
    }
    r->n_err++;
}

/* True when the row already has a reason for column c. */
static bool has_err(const struct row *r, int c)
{
    for (int k = 0; k < r->n_err && k < MAX_ERRORS; k++)
        if (r->err_col[k] == c)
            return true;
    return false;
}

/* Parses one non-empty cell of ent column c into the row. */
static void parse_cell(struct importer *im, struct row *r, int c, const char *raw,
                       unsigned char type, bool fen)
{
    const struct ent_column *col = &ent_columns[c];
    struct arena *a = &im->ar;
    char *s = trim(a, raw);
    if (!*s)
        return;
    if (!utf8_valid(s, strlen(s))) {
        row_err(r, c, "bad_encoding", NULL);
        return;
    }
    r->has[c] = true;
    r->v.null[c] = false;
    r->v.s[c] = NULL;
    switch (col->type) {
    case ECT_USCC: {
        for (char *p = s; *p; p++)
            *p = (char)toupper((unsigned char)*p);
        int u = uscc_check(s);
        if (u != USCC_OK) {
            row_err(r, c,
                    u == USCC_BAD_LENGTH   ? "uscc_length"
                    : u == USCC_BAD_CHAR   ? "uscc_char"
                    : u == USCC_BAD_REGION ? "uscc_region"
                                           : "uscc_check",
                    NULL);
            return;
        }
        r->v.s[c] = s;
        return;
    }
    case ECT_NAME:
        if (utf8_len(s) > NAME_MAX_CHARS) {
            row_err(r, c, "too_long", NULL);
            return;
        }
        r->v.s[c] = s;
        return;
    case ECT_REGION: {
        const char *src = excel_number(a, s, type);
        char code[7];
        if (strspn(src, "0123456789") < 6 || (src[6] >= '0' && src[6] <= '9')) {
            row_err(r, c, "region_unknown", NULL);
            return;
        }
        memcpy(code, src, 6);
        code[6] = '\0';
        long k = codes_find(&im->regions, code);
        if (k < 0) {
            row_err(r, c, "region_unknown", NULL);
            return;
        }
        const char *canon = im->regions.alias[k][0] ? im->regions.alias[k] : im->regions.code[k];
        if (strcmp(canon, im->o->scope.lo) < 0 || strcmp(canon, im->o->scope.hi) >= 0) {
            row_err(r, c, "region_scope", NULL);
            return;
        }
        r->v.s[c] = arena_strdup(a, canon);
        return;
    }
    case ECT_INDUSTRY: {
        char code[8];
        size_t n = 0;
        if (s[0] >= 'a' && s[0] <= 'z')
            s[0] = (char)(s[0] - 'a' + 'A');
        if (s[0] >= 'A' && s[0] <= 'Z') {
            code[n++] = s[0];
            while (n < 5 && s[n] >= '0' && s[n] <= '9') {
                code[n] = s[n];
                n++;
            }
        }
        code[n] = '\0';
        if (!n || (s[n] && s[n] != ' ' && !((unsigned char)s[n] & 0x80)) ||
            codes_find(&im->industries, code) < 0) {
            row_err(r, c, "industry_unknown", NULL);
            return;
        }
        r->v.s[c] = arena_strdup(a, code);
        return;
    }
    case ECT_DATE: {
        char d[11];
        int64_t days;
        if (!parse_date(s, type, table_date1904(im->t), d, &days)) {
            row_err(r, c, "date", NULL);
            return;
        }
        if (days > im->today) {
            row_err(r, c, "date_future", NULL);
            return;
        }
        r->v.s[c] = arena_strdup(a, d);
        return;
    }
    case ECT_HTFIELD:
        if (strcmp(s, "无") == 0 || strcasecmp(s, "none") == 0) {
            r->v.null[c] = true;
            return;
        }
        for (const char *const *h = ent_hightech_fields; *h; h++)
            if (strcmp(s, *h) == 0) {
                r->v.s[c] = (char *)*h;
                return;
            }
        row_err(r, c, "htfield", NULL);
        return;
    case ECT_BOOL: {
        int b = parse_bool(s);
        if (b < 0) {
            row_err(r, c, "bool", NULL);
            return;
        }
        r->v.i[c] = b;
        return;
    }
    case ECT_X100:
        if (!ent_parse_decimal(excel_number(a, s, type), 2, X100_LIMIT, &r->v.i[c]) ||
            r->v.i[c] < 0)
            row_err(r, c, "x100", NULL);
        return;
    case ECT_YEAR:
        if (!ent_parse_decimal(excel_number(a, s, type), 0, 9999, &r->v.i[c]) || r->v.i[c] < 1990 ||
            r->v.i[c] > im->this_year)
            row_err(r, c, "year", NULL);
        return;
    case ECT_COUNT:
        if (!ent_parse_decimal(excel_number(a, s, type), 0, COUNT_LIMIT, &r->v.i[c]) ||
            r->v.i[c] < 0)
            row_err(r, c, "count", NULL);
        return;
    case ECT_MONEY:
    case ECT_MONEY_SIGNED: {
        bool sign = col->type == ECT_MONEY_SIGNED;
        bool ok =
            ent_parse_decimal(excel_number(a, s, type), fen ? 0 : 2, MONEY_LIMIT, &r->v.i[c]) &&
            (sign || r->v.i[c] >= 0);
        if (!ok)
            row_err(r, c,
                    fen ? (sign ? "money_fen_signed" : "money_fen")
                        : (sign ? "money_signed" : "money"),
                    NULL);
        return;
    }
    }
}

/* The label of ent column c as the user's file names it (header text), or ours. */
static const char *col_label(struct importer *im, int c)
{
    int f = c >= 0 ? im->col_of[c] : -1;
    if (f >= 0 && im->hdr[f] && *im->hdr[f])
        return im->hdr[f];
    if (c < 0)
        return "";
    return im->o->en ? ent_columns[c].en : ent_columns[c].zh;
}

/* Builds the row's message from its reasons into im->msg. */
static void row_message(struct importer *im, const struct row *r)
{
    buf_reset(&im->msg);
    int n = r->n_err < MAX_ERRORS ? r->n_err : MAX_ERRORS;
    for (int k = 0; k < n; k++) {
        const struct reason *rs = NULL;
        for (size_t j = 0; j < sizeof(reasons) / sizeof(*reasons); j++)
            if (strcmp(reasons[j].code, r->err_code[k]) == 0)
                rs = &reasons[j];
        if (k)
            buf_puts(&im->msg, im->o->en ? "; " : "；");
        if (r->err_col[k] >= 0)
            buf_printf(&im->msg, im->o->en ? "%s: " : "%s：", col_label(im, r->err_col[k]));
        const char *tmpl = rs ? (im->o->en ? rs->en : rs->zh) : r->err_code[k];
        buf_printf(&im->msg, tmpl, r->err_arg[k] ? r->err_arg[k] : "");
    }
    if (r->n_err > MAX_ERRORS)
        buf_puts(&im->msg, im->o->en ? "; …" : "；……");
}

/* Opens the failed-rows file on the first bad row and writes its header. */
static int failed_open(struct importer *im)
{
    if (im->failed || !im->o->failed_path)
        return 0;
    im->failed = fopen(im->o->failed_path, "wb");
    if (!im->failed)
        return KC_ERR_IO;
    fputs(CSV_BOM, im->failed);
    for (int i = 0; i < im->n_hdr; i++) {
        if (i)
            fputc(',', im->failed);
        csv_write_field(im->failed, im->hdr[i], false);
    }
    fputc(',', im->failed);
    csv_write_field(im->failed, im->o->en ? "error" : "错误原因", false);
    fputc(',', im->failed);
    csv_write_field(im->failed, im->o->en ? "source_row" : "原行号", false);
    fputs("\r\n", im->failed);
    return 0;
}

/* Counts a failed row and copies it (all its cells, the message, its number). */
static int row_failed(struct importer *im, const struct table_row *tr, const struct row *r)
{
    im->st->failed++;
    row_message(im, r);
    int rc = failed_open(im);
    if (rc || !im->failed)
        return rc;
    int n = tr->n > im->n_hdr ? tr->n : im->n_hdr;
    for (int i = 0; i < n; i++) {
        if (i)
            fputc(',', im->failed);
        if (i < tr->n)
            csv_write_field(im->failed, tr->cell[i], false);
    }
    fputc(',', im->failed);
    csv_write_field(im->failed, buf_str(&im->msg), false);
    fprintf(im->failed, ",%llu\r\n", (unsigned long long)tr->number);
    return ferror(im->failed) ? KC_ERR_IO : 0;
}

/* ---- reading and comparing stored records ---- */

/* Reads column k of st into v[c] (text columns copied into a). */
static void read_val(struct db_stmt *st, int k, struct vals *v, int c, struct arena *a)
{
    bool text = ent_columns[c].type == ECT_NAME || ent_columns[c].type == ECT_REGION ||
                ent_columns[c].type == ECT_INDUSTRY || ent_columns[c].type == ECT_DATE ||
                ent_columns[c].type == ECT_HTFIELD || ent_columns[c].type == ECT_USCC;
    v->null[c] = db_col_type(st, k) == DB_NULL;
    v->i[c] = 0;
    v->s[c] = NULL;
    if (v->null[c])
        return;
    if (text)
        v->s[c] = arena_strdup(a, db_col_text(st, k));
    else
        v->i[c] = db_col_int(st, k);
}

/* True when the row gives column c a value different from the stored one. */
static bool differs(const struct row *r, const struct vals *old, int c)
{
    if (!r->has[c])
        return false;
    if (r->v.null[c] || old->null[c])
        return r->v.null[c] != old->null[c];
    if (r->v.s[c] || old->s[c])
        return !r->v.s[c] || !old->s[c] || strcmp(r->v.s[c], old->s[c]) != 0;
    return r->v.i[c] != old->i[c];
}

/* Binds value c of v at idx. */
static int bind_val(struct db_stmt *st, int idx, const struct vals *v, int c)
{
    if (v->null[c])
        return db_bind_null(st, idx);
    if (v->s[c])
        return db_bind_text(st, idx, v->s[c]);
    return db_bind_int(st, idx, v->i[c]);
}

/* Writes a JSON value of v[c] for the audit log. */
static void jw_val(struct jw *w, const struct vals *v, int c)
{
    if (v->null[c])
        jw_null(w);
    else if (v->s[c])
        jw_str(w, v->s[c]);
    else
        jw_int(w, v->i[c]);
}

/* Writes {"before":{…},"after":{…}} with the columns of the tables in mask (bits of
 * enum ent_col_table) that the row changes; old[t] holds the stored values of table t. */
static void diff_write(struct jw *w, const struct row *r, const struct vals *const old[4],
                       unsigned mask)
{
    jw_obj_open(w);
    for (int pass = 0; pass < 2; pass++) {
        jw_key(w, pass ? "after" : "before");
        jw_obj_open(w);
        for (int c = 0; c < ent_n_columns; c++) {
            enum ent_col_table t = ent_columns[c].table;
            if (!(mask & (1u << t)) || !differs(r, old[t], c))
                continue;
            jw_key(w, ent_columns[c].db_col);
            jw_val(w, pass ? &r->v : old[t], c);
        }
        jw_obj_close(w);
    }
    jw_obj_close(w);
}

/* Counts the columns of table t the row changes. */
static int n_changed(const struct row *r, const struct vals *old, enum ent_col_table t)
{
    int n = 0;
    for (int c = 0; c < ent_n_columns; c++)
        n += ent_columns[c].table == t && differs(r, old, c);
    return n;
}

/* Merges the row's values of table t into old (text copied into a). */
static void merge(const struct row *r, struct vals *old, enum ent_col_table t, struct arena *a)
{
    for (int c = 0; c < ent_n_columns; c++) {
        if (ent_columns[c].table != t || !differs(r, old, c))
            continue;
        old->null[c] = r->v.null[c];
        old->i[c] = r->v.i[c];
        old->s[c] = r->v.s[c] ? arena_strdup(a, r->v.s[c]) : NULL;
    }
}

/* ---- SQL built from the column table ---- */

/* Builds the profile and yearly SELECT/INSERT/UPDATE statements. */
static void build_sql(struct importer *im)
{
    struct buf cols = {0}, qs = {0}, sets = {0};
    for (int pass = 0; pass < 2; pass++) {
        enum ent_col_table t = pass ? ECT_YEARS : ECT_ENT;
        buf_reset(&cols);
        buf_reset(&qs);
        buf_reset(&sets);
        for (int c = 0; c < ent_n_columns; c++) {
            if (ent_columns[c].table != t)
                continue;
            buf_printf(&cols, ",%s", ent_columns[c].db_col);
            buf_puts(&qs, ",?");
            buf_printf(&sets, "%s=?,", ent_columns[c].db_col);
        }
        if (!pass) {
            buf_printf(&im->sql_ent_sel, "SELECT org_id%s FROM enterprises WHERE org_id=?",
                       buf_str(&cols));
            buf_printf(&im->sql_ent_ins,
                       "INSERT INTO enterprises(org_id%s,created_at,updated_at,updated_by) "
                       "VALUES(?%s,?,?,nullif(?,0))",
                       buf_str(&cols), buf_str(&qs));
            buf_printf(&im->sql_ent_upd,
                       "UPDATE enterprises SET %supdated_at=?,updated_by=nullif(?,0) "
                       "WHERE org_id=?",
                       buf_str(&sets));
        } else {
            buf_printf(&im->sql_year_sel,
                       "SELECT id,status%s FROM enterprise_years WHERE org_id=? AND year=? "
                       "AND is_current=1",
                       buf_str(&cols));
            buf_printf(&im->sql_year_ins,
                       "INSERT INTO enterprise_years(org_id,year,status,source%s,import_job_id,"
                       "submitted_at,submitted_by,created_at,updated_at,updated_by) "
                       "VALUES(?,?,'submitted','import'%s,nullif(?,0),?,nullif(?,0),?,?,"
                       "nullif(?,0))",
                       buf_str(&cols), buf_str(&qs));
            buf_printf(&im->sql_year_upd,
                       "UPDATE enterprise_years SET %sstatus='submitted',source='import',"
                       "import_job_id=nullif(?,0),submitted_at=?,submitted_by=nullif(?,0),"
                       "updated_at=?,updated_by=nullif(?,0) WHERE id=?",
                       buf_str(&sets));
        }
    }
    buf_free(&cols);
    buf_free(&qs);
    buf_free(&sets);
}

/* Binds the columns of table t from v starting at idx; returns the next index or a
 * negative error. */
static int bind_table(struct db_stmt *st, int idx, const struct vals *v, enum ent_col_table t)
{
    for (int c = 0; c < ent_n_columns; c++) {
        if (ent_columns[c].table != t)
            continue;
        int rc = bind_val(st, idx++, v, c);
        if (rc)
            return rc;
    }
    return idx;
}

/* ---- one row ---- */

/* Loads the enterprise of uscc into im->cur (cache hit when it is the current one).
 * *found is false when no organisation has that USCC; *kind_ok false when it is not
 * an enterprise; *in_scope false when it lies outside the importer's scope. */
static int load_current(struct importer *im, const char *uscc, bool *found, bool *kind_ok,
                        bool *in_scope)
{
    struct current *cur = &im->cur;
    if (cur->valid && strcmp(cur->uscc, uscc) == 0) {
        *found = *kind_ok = *in_scope = true;
        return 0;
    }
    cur->valid = false;
    arena_free(&cur->ar);
    struct db_stmt *st = db_query(im->db,
                                  "SELECT id,kind,name,region_code,industry_code FROM orgs "
                                  "WHERE uscc=?",
                                  "s", uscc);
    if (!st)
        return KC_ERR_DB;
    int s = db_step(st);
    if (s < 0) {
        db_done(st);
        return s;
    }
    *found = s == DB_ROW;
    *kind_ok = *in_scope = true;
    if (!*found) {
        db_done(st);
        return 0;
    }
    cur->org_id = db_col_int(st, 0);
    *kind_ok = strcmp(db_col_text(st, 1), "enterprise") == 0;
    int c_name = col_index("name"), c_reg = col_index("region_code"),
        c_ind = col_index("industry_code");
    read_val(st, 2, &cur->org, c_name, &cur->ar);
    read_val(st, 3, &cur->org, c_reg, &cur->ar);
    read_val(st, 4, &cur->org, c_ind, &cur->ar);
    db_done(st);
    const char *reg = cur->org.s[c_reg] ? cur->org.s[c_reg] : "";
    *in_scope = strcmp(reg, im->o->scope.lo) >= 0 && strcmp(reg, im->o->scope.hi) < 0 &&
                (im->o->scope.org_id == 0 || im->o->scope.org_id == cur->org_id);
    if (!*kind_ok || !*in_scope)
        return 0;
    st = db_prep(im->db, buf_str(&im->sql_ent_sel));
    if (!st || db_bind_int(st, 1, cur->org_id) != 0) {
        if (st)
            db_done(st);
        return KC_ERR_DB;
    }
    s = db_step(st);
    cur->has_profile = s == DB_ROW;
    for (int c = 0, k = 1; c < ent_n_columns; c++) {
        if (ent_columns[c].table != ECT_ENT)
            continue;
        if (cur->has_profile)
            read_val(st, k++, &cur->ent, c, &cur->ar);
        else
            cur->ent.null[c] = true, cur->ent.s[c] = NULL;
    }
    db_done(st);
    if (s < 0)
        return s;
    snprintf(cur->uscc, sizeof(cur->uscc), "%s", uscc);
    cur->is_new = false;
    cur->valid = true;
    return 0;
}

/* Appends a JSON string item (with a leading comma after the first) to b. */
static void audit_item(struct buf *b, const char *uscc, int64_t year)
{
    /* By hand: this runs once per imported record (a USCC has no characters to escape). */
    char text[48];
    size_t n = 0;
    if (b->len)
        text[n++] = ',';
    text[n++] = '"';
    size_t u = strlen(uscc);
    memcpy(text + n, uscc, u);
    n += u;
    if (year) {
        text[n++] = '/';
        for (int d = 1000; d; d /= 10)
            text[n++] = (char)('0' + year / d % 10);
    }
    text[n++] = '"';
    buf_append(b, text, n);
}

/* Precomputes, for every stored yearly field f, the fields that contain it in the order
 * ent_year_check tries them (its direct parents, then every other container), so the
 * check below is a loop over a small table instead of a walk of the field tree. */
static void wholes_init(struct importer *im)
{
    for (int f = 0; f < RULES_N_STORED_YEARLY; f++) {
        int n = 0;
        for (int k = 0; k < 2; k++) {
            int g = rules_fields[f].parent[k];
            if (g >= 0 && g < RULES_N_STORED_YEARLY)
                im->wholes[f][n++] = (signed char)g;
        }
        for (int g = 0; g < RULES_N_STORED_YEARLY; g++)
            if (g != f && rules_field_contains(g, f))
                im->wholes[f][n++] = (signed char)g;
        im->wholes[f][n] = -1;
    }
}

/* Checks the containment rules of the yearly record as it will be stored (the stored
 * values old overlaid with the row's) exactly as the enterprise API does
 * (domain/enterprise.h ent_year_check: a part never exceeds its whole, the nearest whole
 * named first); a violation is a reason on the part's column. */
static void year_check(struct importer *im, struct row *r, const struct vals *old)
{
    int64_t v[RULES_N_STORED_YEARLY];
    int col[RULES_N_STORED_YEARLY];
    uint32_t present = 0;
    for (int c = 0; c < ent_n_columns; c++) {
        int f = im->rf[c];
        if (f < 0)
            continue;
        col[f] = c;
        if (r->has[c])
            v[f] = r->v.i[c];
        else if (!old->null[c])
            v[f] = old->i[c];
        else
            continue;
        present |= 1u << f;
    }
    for (int f = 0; f < RULES_N_STORED_YEARLY; f++) {
        if (!(present & (1u << f)))
            continue;
        for (const signed char *g = im->wholes[f]; *g >= 0; g++)
            if ((present & (1u << *g)) && v[f] > v[*g]) {
                row_err(r, col[f], "not_greater", col_label(im, col[*g]));
                return;
            }
    }
}

/* Writes one audit entry per changed record (audit_per_record mode). */
static int audit_record(struct importer *im, const char *action, const char *entity, int64_t id,
                        const char *json)
{
    return audit_write_text(im->db, &im->o->actor, action, entity, id, json);
}

/* Processes one data row inside the open transaction: validates, compares, writes.
 * Returns 0 (the row was counted, good or bad) or a database/IO error. */
static int process_row(struct importer *im, const struct table_row *tr)
{
    struct row r;
    memset(&r, 0, sizeof(r));
    bool any_year_value = false;
    for (int f = 0; f < tr->n && f < im->n_hdr; f++) {
        int c = im->map[f];
        if (c < 0 || !tr->cell[f])
            continue;
        parse_cell(im, &r, c, tr->cell[f], tr->type[f], im->fen[f]);
        if (ent_columns[c].table == ECT_YEARS && (r.has[c] || r.n_err))
            any_year_value = any_year_value || r.has[c];
    }
    int cu = im->col_uscc, cy = im->col_year;
    const char *uscc = r.v.s[cu];
    if (!r.has[cu] && !has_err(&r, cu))
        row_err(&r, cu, "required", NULL);
    if (!r.has[cy] && any_year_value && im->col_of[cy] >= 0)
        row_err(&r, cy, "year_required", NULL);
    else if (!r.has[cy] && any_year_value)
        row_err(&r, -1, "year_required", NULL);
    if (r.has[cy]) { /* the row's own figures first, reported with the other reasons */
        struct vals none;
        memset(&none, 0, sizeof(none));
        for (int c = 0; c < ent_n_columns; c++)
            none.null[c] = true;
        year_check(im, &r, &none);
    }
    if (r.n_err)
        return row_failed(im, tr, &r);

    bool found, kind_ok, in_scope;
    int rc = load_current(im, uscc, &found, &kind_ok, &in_scope);
    if (rc)
        return rc;
    if (found && !kind_ok)
        row_err(&r, cu, "not_enterprise", NULL);
    else if (found && !in_scope)
        row_err(&r, cu, "uscc_scope", NULL);
    if (!found) {
        if (!r.has[col_index("name")])
            row_err(&r, col_index("name"), "required_new", NULL);
        if (!r.has[col_index("region_code")])
            row_err(&r, col_index("region_code"), "required_new", NULL);
        if (im->o->scope.org_id != 0) /* an organisation-scoped user cannot create firms */
            row_err(&r, cu, "uscc_scope", NULL);
    }
    if (r.n_err)
        return row_failed(im, tr, &r);

    struct current *cur = &im->cur;
    uint64_t org_key = found ? (uint64_t)cur->org_id << 8 : 0;
    if (found && ks_has(&im->seen, org_key)) {
        /* Identity and profile must match what an earlier row of this file set. */
        for (int c = 0; c < ent_n_columns; c++) {
            enum ent_col_table t = ent_columns[c].table;
            if ((t == ECT_ORG && differs(&r, &cur->org, c)) ||
                (t == ECT_ENT && differs(&r, &cur->ent, c))) {
                row_err(&r, c, "inconsistent", NULL);
                break;
            }
        }
    }
    int64_t year = r.has[cy] ? r.v.i[cy] : 0;
    int64_t year_id = 0;
    bool year_exists = false, year_locked = false;
    struct vals yold;
    memset(&yold, 0, sizeof(yold));
    uint64_t year_key = 0;
    if (year && found) {
        year_key = (uint64_t)cur->org_id << 8 | (uint64_t)(year - 1989);
        if (ks_has(&im->seen, year_key))
            row_err(&r, cy, "duplicate", NULL);
        if (!cur->is_new) {
            struct db_stmt *st = db_prep(im->db, buf_str(&im->sql_year_sel));
            if (!st || db_bind_int(st, 1, cur->org_id) || db_bind_int(st, 2, year)) {
                if (st)
                    db_done(st);
                return KC_ERR_DB;
            }
            int s = db_step(st);
            if (s == DB_ROW) {
                year_exists = true;
                year_id = db_col_int(st, 0);
                year_locked = strcmp(db_col_text(st, 1), "verified") == 0;
                for (int c = 0, k = 2; c < ent_n_columns; c++)
                    if (ent_columns[c].table == ECT_YEARS)
                        read_val(st, k++, &yold, c, &im->ar);
            }
            db_done(st);
            if (s < 0)
                return s;
        }
        if (!year_exists)
            for (int c = 0; c < ent_n_columns; c++)
                yold.null[c] = true;
        else /* the stored values with the row's (the row alone was checked above) */
            year_check(im, &r, &yold);
        if (year_locked)
            for (int c = 0; c < ent_n_columns; c++)
                if (ent_columns[c].table == ECT_YEARS && differs(&r, &yold, c)) {
                    row_err(&r, cy, "locked", NULL);
                    break;
                }
    }
    if (r.n_err)
        return row_failed(im, tr, &r);

    /* ---- writes ---- */
    int64_t uid = im->o->user_id;
    int c_name = col_index("name"), c_reg = col_index("region_code"),
        c_ind = col_index("industry_code");
    bool inserted = false, changed = false;
    struct vals none;
    memset(&none, 0, sizeof(none));
    for (int c = 0; c < ent_n_columns; c++)
        none.null[c] = true;
    if (!found) {
        rc = db_run(db_query(im->db,
                             "INSERT INTO orgs(kind,name,uscc,region_code,industry_code,chains,"
                             "created_at,updated_at) VALUES('enterprise',?,?,?,?,'[]',?,?)",
                             "ssssii", r.v.s[c_name], uscc, r.v.s[c_reg],
                             r.has[c_ind] ? r.v.s[c_ind] : NULL, im->now, im->now));
        if (rc)
            return rc == KC_ERR_CONFLICT ? KC_ERR_DB : rc;
        arena_free(&cur->ar);
        memset(cur, 0, sizeof(*cur));
        cur->org_id = db_last_id(im->db);
        snprintf(cur->uscc, sizeof(cur->uscc), "%s", uscc);
        cur->is_new = cur->valid = true;
        cur->org = cur->ent = none;
        merge(&r, &cur->org, ECT_ORG, &cur->ar);
        merge(&r, &cur->ent, ECT_ENT, &cur->ar);
        struct db_stmt *st = db_prep(im->db, buf_str(&im->sql_ent_ins));
        int idx = st && db_bind_int(st, 1, cur->org_id) == 0 ? 2 : -1;
        if (idx > 0)
            idx = bind_table(st, idx, &cur->ent, ECT_ENT);
        if (idx < 0 || db_bind_int(st, idx, im->now) || db_bind_int(st, idx + 1, im->now) ||
            db_bind_int(st, idx + 2, uid)) {
            if (st)
                db_done(st);
            return KC_ERR_DB;
        }
        if ((rc = db_run(st)) != 0)
            return rc;
        cur->has_profile = true;
        inserted = year == 0;
        changed = true;
        if (im->o->audit_per_record) {
            struct buf one = {0};
            struct jw w;
            jw_init(&w, &one);
            const struct vals *old[4] = {&none, &none, &none, &none};
            diff_write(&w, &r, old, 1u << ECT_ORG | 1u << ECT_ENT);
            rc = audit_record(im, "create", "org", cur->org_id, buf_str(&one));
            buf_free(&one);
            if (rc)
                return rc;
        } else {
            audit_item(&im->a_new, uscc, 0);
        }
        org_key = (uint64_t)cur->org_id << 8;
    } else {
        int n_org = n_changed(&r, &cur->org, ECT_ORG), n_ent = n_changed(&r, &cur->ent, ECT_ENT);
        if (n_org || n_ent) {
            changed = true;
            /* The audit text first, while the stored values are still the old ones. */
            struct buf one = {0};
            struct buf *out = im->o->audit_per_record ? &one : &im->a_upd;
            if (out == &im->a_upd) {
                if (out->len)
                    buf_putc(out, ',');
                jw_escape(out, uscc, strlen(uscc));
                buf_putc(out, ':');
            }
            struct jw w;
            jw_init(&w, out);
            const struct vals *old[4] = {&none, &cur->org, &cur->ent, &none};
            diff_write(&w, &r, old, 1u << ECT_ORG | 1u << ECT_ENT);
            char *old_name = cur->org.s[c_name] ? arena_strdup(&im->ar, cur->org.s[c_name]) : NULL;
            bool new_profile = !cur->has_profile;
            merge(&r, &cur->org, ECT_ORG, &cur->ar);
            merge(&r, &cur->ent, ECT_ENT, &cur->ar);
            if (n_org) {
                rc = db_run(db_query(im->db,
                                     "UPDATE orgs SET name=?, region_code=?, industry_code=?, "
                                     "updated_at=? WHERE id=?",
                                     "sssii", cur->org.s[c_name], cur->org.s[c_reg],
                                     cur->org.s[c_ind], im->now, cur->org_id));
                if (!rc && old_name && strcmp(old_name, cur->org.s[c_name]) != 0)
                    rc = db_run(db_query(im->db,
                                         "INSERT INTO org_name_history(org_id,old_name,new_name,"
                                         "changed_at,changed_by) VALUES(?,?,?,?,nullif(?,0))",
                                         "issii", cur->org_id, old_name, cur->org.s[c_name],
                                         im->now, uid));
            }
            if (!rc && n_ent) {
                struct db_stmt *st =
                    db_prep(im->db, buf_str(new_profile ? &im->sql_ent_ins : &im->sql_ent_upd));
                int idx = 1;
                if (st && new_profile)
                    idx = db_bind_int(st, 1, cur->org_id) == 0 ? 2 : -1;
                if (st && idx > 0)
                    idx = bind_table(st, idx, &cur->ent, ECT_ENT);
                bool bad = !st || idx < 0;
                if (!bad && new_profile)
                    bad = db_bind_int(st, idx, im->now) || db_bind_int(st, idx + 1, im->now) ||
                          db_bind_int(st, idx + 2, uid);
                else if (!bad)
                    bad = db_bind_int(st, idx, im->now) || db_bind_int(st, idx + 1, uid) ||
                          db_bind_int(st, idx + 2, cur->org_id);
                if (bad) {
                    if (st)
                        db_done(st);
                    rc = KC_ERR_DB;
                } else {
                    rc = db_run(st);
                }
                cur->has_profile = true;
            }
            if (!rc && out == &one)
                rc = audit_record(im, "update", "org", cur->org_id, buf_str(&one));
            buf_free(&one);
            if (rc)
                return rc;
        }
    }
    ks_add(&im->seen, org_key);

    if (year) {
        year_key = org_key | (uint64_t)(year - 1989);
        ks_add(&im->seen, year_key);
        int n_year = year_exists ? n_changed(&r, &yold, ECT_YEARS) : 1;
        if (n_year) {
            struct buf one = {0};
            struct buf *out = im->o->audit_per_record ? &one : &im->a_upd;
            if (year_exists) {
                if (out == &im->a_upd) {
                    char key[40];
                    snprintf(key, sizeof(key), "%s/%lld", uscc, (long long)year);
                    if (out->len)
                        buf_putc(out, ',');
                    jw_escape(out, key, strlen(key));
                    buf_putc(out, ':');
                }
                struct jw w;
                jw_init(&w, out);
                const struct vals *old[4] = {&none, &none, &none, &yold};
                diff_write(&w, &r, old, 1u << ECT_YEARS);
                merge(&r, &yold, ECT_YEARS, &im->ar);
            } else {
                yold = none;
                merge(&r, &yold, ECT_YEARS, &im->ar);
                if (out == &one) {
                    struct jw w;
                    jw_init(&w, out);
                    const struct vals *old[4] = {&none, &none, &none, &none};
                    diff_write(&w, &r, old, 1u << ECT_YEARS);
                } else {
                    audit_item(&im->a_ins, uscc, year);
                }
            }
            struct db_stmt *st =
                db_prep(im->db, buf_str(year_exists ? &im->sql_year_upd : &im->sql_year_ins));
            int idx = 1;
            if (st && !year_exists)
                idx = db_bind_int(st, 1, cur->org_id) || db_bind_int(st, 2, year) ? -1 : 3;
            if (st && idx > 0)
                idx = bind_table(st, idx, &yold, ECT_YEARS);
            bool bad = !st || idx < 0;
            if (!bad && !year_exists)
                bad = db_bind_int(st, idx, im->o->job_id) || db_bind_int(st, idx + 1, im->now) ||
                      db_bind_int(st, idx + 2, uid) || db_bind_int(st, idx + 3, im->now) ||
                      db_bind_int(st, idx + 4, im->now) || db_bind_int(st, idx + 5, uid);
            else if (!bad)
                bad = db_bind_int(st, idx, im->o->job_id) || db_bind_int(st, idx + 1, im->now) ||
                      db_bind_int(st, idx + 2, uid) || db_bind_int(st, idx + 3, im->now) ||
                      db_bind_int(st, idx + 4, uid) || db_bind_int(st, idx + 5, year_id);
            if (bad) {
                if (st)
                    db_done(st);
                buf_free(&one);
                return KC_ERR_DB;
            }
            rc = db_run(st);
            if (!rc && !year_exists)
                year_id = db_last_id(im->db);
            if (!rc && out == &one)
                rc = audit_record(im, year_exists ? "update" : "create", "enterprise_year", year_id,
                                  buf_str(&one));
            buf_free(&one);
            if (rc)
                return rc;
            if (year_exists)
                changed = true;
            else
                inserted = true;
        }
    }
    if (inserted)
        im->st->inserted++;
    else if (changed)
        im->st->updated++;
    else
        im->st->unchanged++;
    if (inserted || changed)
        im->n_changes++;
    return 0;
}

/* ---- the header ---- */

/* Copies cell into out (n bytes) for matching: trimmed, a leading '*' dropped, full-width
 * brackets made ASCII, ASCII lower-cased; *unit_at receives the offset of a trailing
 * "(…)" (the unit) or the length when there is none. */
static void header_norm(const char *cell, char *out, size_t n, size_t *unit_at)
{
    struct arena a = {0};
    const char *s = trim(&a, cell);
    while (*s == '*' || strncmp(s, "＊", strlen("＊")) == 0)
        s += *s == '*' ? 1 : strlen("＊");
    size_t o = 0;
    while (*s && o + 4 < n) {
        if (strncmp(s, "（", strlen("（")) == 0) {
            out[o++] = '(';
            s += strlen("（");
        } else if (strncmp(s, "）", strlen("）")) == 0) {
            out[o++] = ')';
            s += strlen("）");
        } else {
            out[o++] = (char)tolower((unsigned char)*s);
            s++;
        }
    }
    while (o && out[o - 1] == ' ')
        o--;
    out[o] = '\0';
    arena_free(&a);
    *unit_at = o;
    if (o && out[o - 1] == ')') {
        char *open = strrchr(out, '(');
        if (open) {
            size_t k = (size_t)(open - out);
            while (k && out[k - 1] == ' ')
                k--;
            *unit_at = k;
        }
    }
}

/* Normalises a column's Chinese name like header_norm (brackets only). */
static void zh_norm(const char *zh, char *out, size_t n)
{
    size_t u;
    header_norm(zh, out, n, &u);
}

/* The ent column a header cell names, or -1; *fen is set for a money column named by
 * its API name (values in 分). English names only when keys_only. */
static int header_match(const char *cell, bool keys_only, bool *fen)
{
    char norm[256], zh[256];
    size_t unit_at;
    *fen = false;
    header_norm(cell, norm, sizeof(norm), &unit_at);
    if (!norm[0])
        return -1;
    for (int c = 0; c < ent_n_columns; c++) {
        const struct ent_column *col = &ent_columns[c];
        if (!keys_only) {
            zh_norm(col->zh, zh, sizeof(zh));
            if (strcmp(norm, zh) == 0 || (unit_at < strlen(norm) && strlen(zh) == unit_at &&
                                          strncmp(norm, zh, unit_at) == 0))
                return c;
        }
        if (strcmp(norm, col->key) == 0) {
            *fen = col->type == ECT_MONEY || col->type == ECT_MONEY_SIGNED;
            return c;
        }
        if (col->type == ECT_MONEY || col->type == ECT_MONEY_SIGNED) {
            size_t base = strlen(col->key) - 4; /* without "_fen" */
            if ((strlen(norm) == base && strncmp(norm, col->key, base) == 0) ||
                (strlen(norm) == base + 5 && strncmp(norm, col->key, base) == 0 &&
                 strcmp(norm + base, "_yuan") == 0))
                return c;
        }
    }
    return -1;
}

/* True for the extra columns of our own failed-rows files (ignored silently). */
static bool own_extra(const char *cell)
{
    char norm[64];
    size_t u;
    header_norm(cell, norm, sizeof(norm), &u);
    return strcmp(norm, "错误原因") == 0 || strcmp(norm, "error") == 0 ||
           strcmp(norm, "原行号") == 0 || strcmp(norm, "source_row") == 0;
}

/* Fills *err and returns rc. */
static int file_error(struct ent_import_error *err, int rc, const char *code, const char *field,
                      const char *detail)
{
    snprintf(err->code, sizeof(err->code), "%s", code);
    snprintf(err->field, sizeof(err->field), "%s", field ? field : "");
    snprintf(err->detail, sizeof(err->detail), "%s", detail ? detail : "");
    return rc;
}

/* Maps a reader error to a catalogue code. */
static int reader_error(struct ent_import_error *err, int rc, const struct table_error *te)
{
    const char *c = te->code ? te->code : "io";
    const char *code = strcmp(c, "io") == 0                   ? "import_io"
                       : strcmp(c, "encoding") == 0           ? "import_encoding"
                       : strcmp(c, "record_too_large") == 0   ? "import_record_too_large"
                       : strcmp(c, "unterminated_quote") == 0 ? "import_unterminated_quote"
                       : strcmp(c, "not_zip") == 0            ? "import_not_xlsx"
                       : rc == KC_ERR_TOO_LARGE               ? "import_limit"
                                                              : "import_bad_xlsx";
    return file_error(err, rc, code, NULL, te->detail);
}

/* True when a row has no non-blank cell. */
static bool blank_row(const struct table_row *tr)
{
    for (int i = 0; i < tr->n; i++) {
        if (!tr->cell[i])
            continue;
        for (const char *p = tr->cell[i]; *p; p++)
            if (*p != ' ' && *p != '\t' && *p != '\r' && *p != '\n')
                return false;
    }
    return true;
}

/* Reads the header row (the first non-blank one) and maps its cells. Returns 0 or a
 * file error. */
static int read_header(struct importer *im, struct ent_import_error *err)
{
    struct table_row tr;
    int rc;
    do {
        rc = table_next(im->t, &tr);
    } while (rc == 1 && blank_row(&tr));
    if (rc < 0)
        return reader_error(err, rc, table_last_error(im->t));
    if (rc == 0)
        return file_error(err, KC_ERR_INVALID, "import_empty", NULL, "the file has no header row");
    im->n_hdr = tr.n;
    im->hdr = xcalloc((size_t)tr.n + 1, sizeof(char *));
    for (int c = 0; c < MAX_COLS; c++)
        im->col_of[c] = -1;
    struct buf ignored = {0};
    for (int f = 0; f < tr.n; f++) {
        im->hdr[f] = xstrdup(tr.cell[f] ? tr.cell[f] : "");
        im->map[f] = -1;
        if (!tr.cell[f] || !utf8_valid(tr.cell[f], strlen(tr.cell[f])))
            continue;
        bool fen;
        int c = header_match(tr.cell[f], false, &fen);
        if (c < 0) {
            if (!own_extra(tr.cell[f]) && ignored.len + strlen(tr.cell[f]) + 4 < 500) {
                if (ignored.len)
                    buf_puts(&ignored, "、");
                buf_puts(&ignored, tr.cell[f]);
            }
            continue;
        }
        if (im->col_of[c] >= 0) {
            buf_free(&ignored);
            return file_error(err, KC_ERR_INVALID, "import_duplicate_column", ent_columns[c].key,
                              tr.cell[f]);
        }
        im->map[f] = c;
        im->fen[f] = fen;
        im->col_of[c] = f;
    }
    snprintf(im->st->ignored, sizeof(im->st->ignored), "%s", buf_str(&ignored));
    buf_free(&ignored);
    if (im->col_of[im->col_uscc] < 0)
        return file_error(err, KC_ERR_INVALID, "import_missing_column", "uscc",
                          "the header has no USCC column");
    bool yearly = false;
    for (int c = 0; c < ent_n_columns; c++)
        yearly = yearly || (ent_columns[c].table == ECT_YEARS && im->col_of[c] >= 0);
    if (yearly && im->col_of[im->col_year] < 0)
        return file_error(err, KC_ERR_INVALID, "import_missing_column", "year",
                          "yearly columns without a year column");
    return 0;
}

/* True when the row repeats the header as English field names (the template's row 2). */
static bool key_row(const struct importer *im, const struct table_row *tr)
{
    int matched = 0;
    for (int f = 0; f < tr->n; f++) {
        if (!tr->cell[f] || !*tr->cell[f])
            continue;
        bool fen;
        if (f >= im->n_hdr || im->map[f] < 0 || header_match(tr->cell[f], true, &fen) != im->map[f])
            return false;
        matched++;
    }
    return matched > 0;
}

/* Writes the batch's audit entry (when something changed) and commits. */
static int flush(struct importer *im)
{
    int rc = 0;
    /* With the connection's triggers off (ent_import_file), the versions the plans
     * module's per-row triggers would bump are bumped here, once per batch. */
    if (im->n_changes && im->triggers_off)
        rc = db_run(db_prep(im->db, "UPDATE plan_sources SET version = version + 1 "
                                    "WHERE name IN ('orgs','enterprise_years')"));
    if (!rc && im->n_changes && !im->o->audit_per_record) {
        struct buf t = {0};
        buf_printf(&t, "{\"job_id\":%lld,\"rows\":\"%llu-%llu\"", (long long)im->o->job_id,
                   (unsigned long long)im->first_line, (unsigned long long)im->last_line);
        if (im->a_new.len)
            buf_printf(&t, ",\"enterprises_created\":[%s]", buf_str(&im->a_new));
        if (im->a_ins.len)
            buf_printf(&t, ",\"years_inserted\":[%s]", buf_str(&im->a_ins));
        if (im->a_upd.len)
            buf_printf(&t, ",%s", buf_str(&im->a_upd));
        buf_putc(&t, '}');
        rc = audit_write_text(im->db, &im->o->actor, "import_batch", "job", im->o->job_id,
                              buf_str(&t));
        buf_free(&t);
    }
    buf_reset(&im->a_new);
    buf_reset(&im->a_ins);
    buf_reset(&im->a_upd);
    im->n_changes = 0;
    im->in_batch = 0;
    if (!rc)
        rc = db_commit(im->db);
    if (rc)
        db_rollback(im->db);
    im->cur.valid = false; /* other writers may change it between batches */
    return rc;
}

/* Calls the progress callback; false when the import should stop. */
static bool tick(struct importer *im)
{
    if (!im->o->tick)
        return true;
    uint64_t done, total;
    table_progress(im->t, &done, &total);
    snprintf(im->st->encoding, sizeof(im->st->encoding), "%s", table_encoding(im->t));
    return im->o->tick(im->o->tick_arg, done, total, im->st);
}

/* Frees what the importer holds. */
static void importer_free(struct importer *im)
{
    for (int f = 0; im->hdr && f < im->n_hdr; f++)
        free(im->hdr[f]);
    free(im->hdr);
    free(im->regions.code);
    free(im->regions.alias);
    free(im->industries.code);
    free(im->industries.alias);
    free(im->seen.slot);
    arena_free(&im->cur.ar);
    arena_free(&im->ar);
    buf_free(&im->sql_ent_sel);
    buf_free(&im->sql_ent_ins);
    buf_free(&im->sql_ent_upd);
    buf_free(&im->sql_year_sel);
    buf_free(&im->sql_year_ins);
    buf_free(&im->sql_year_upd);
    buf_free(&im->a_ins);
    buf_free(&im->a_new);
    buf_free(&im->a_upd);
    buf_free(&im->msg);
    if (im->failed)
        fclose(im->failed);
    table_close(im->t);
}

/* The job's summary audit entry (only when something changed). */
static int audit_summary(struct importer *im)
{
    if (!im->st->inserted && !im->st->updated)
        return 0;
    struct buf t = {0};
    struct jw w;
    jw_init(&w, &t);
    jw_obj_open(&w);
    jw_kstr(&w, "kind", "import_enterprises");
    jw_kstr(&w, "file", im->o->input_name);
    jw_kint(&w, "rows", im->st->rows);
    jw_kint(&w, "inserted", im->st->inserted);
    jw_kint(&w, "updated", im->st->updated);
    jw_kint(&w, "unchanged", im->st->unchanged);
    jw_kint(&w, "failed", im->st->failed);
    jw_obj_close(&w);
    int rc = db_begin(im->db);
    if (!rc)
        rc = audit_write_text(im->db, &im->o->actor, "import", "job", im->o->job_id, buf_str(&t));
    if (!rc)
        rc = db_commit(im->db);
    if (rc)
        db_rollback(im->db);
    buf_free(&t);
    return rc;
}

int ent_import_file(struct db *db, const char *path, enum table_format fmt,
                    const struct ent_import_opts *o, struct ent_import_stats *st,
                    struct ent_import_error *err)
{
    memset(st, 0, sizeof(*st));
    memset(err, 0, sizeof(*err));
    struct importer *im = xcalloc(1, sizeof(*im));
    im->db = db;
    im->o = o;
    im->st = st;
    im->now = time_now();
    time_t tt = (time_t)im->now;
    struct tm tm;
    localtime_r(&tt, &tm);
    im->this_year = tm.tm_year + 1900;
    im->today = days_from_civil(im->this_year, (unsigned)tm.tm_mon + 1, (unsigned)tm.tm_mday);
    im->col_uscc = col_index("uscc");
    im->col_year = col_index("year");
    for (int c = 0; c < ent_n_columns; c++) {
        int f = ent_columns[c].table == ECT_YEARS ? rules_field_find(ent_columns[c].key) : -1;
        im->rf[c] = f >= 0 && f < RULES_N_STORED_YEARLY ? f : -1;
    }
    wholes_init(im);
    int batch = o->batch_rows > 0 ? o->batch_rows : ENT_IMPORT_BATCH;
    int rc = codes_load(db,
                        "SELECT code, NULL FROM regions UNION ALL "
                        "SELECT old_code, new_code FROM region_aliases",
                        true, &im->regions);
    if (!rc)
        rc = codes_load(db, "SELECT code FROM industries", false, &im->industries);
    if (rc)
        goto out;
    build_sql(im);
    struct table_error te;
    rc = table_open(path, fmt, NULL, &im->t, &te);
    if (rc) {
        rc = reader_error(err, rc, &te);
        goto out;
    }
    rc = read_header(im, err);
    snprintf(st->encoding, sizeof(st->encoding), "%s", table_encoding(im->t));
    if (rc)
        goto out;
    /* Bulk speed: the only triggers on the tables the import writes are the plans
     * module's per-row version bumps (0009, plan_sources), about a fifth of the import's
     * CPU time; they are switched off on this connection and done once per batch in
     * flush() instead. test_ent_import fails when another trigger appears on these
     * tables, so whoever adds one decides how the import keeps it. */
    im->triggers_off = db_triggers(db, false) == 0;
    if (db_exec(db, "PRAGMA cache_size=-32768; PRAGMA wal_autocheckpoint=16384") != 0 ||
        (rc = db_begin(db)) != 0) {
        rc = KC_ERR_DB;
        goto out;
    }
    struct table_row tr;
    bool first_data = true;
    int s;
    while ((s = table_next(im->t, &tr)) == 1) {
        if (blank_row(&tr))
            continue;
        if (first_data) {
            first_data = false;
            if (key_row(im, &tr))
                continue;
        }
        if ((st->rows & 255) == 0) /* row memory, released now and then */
            arena_free(&im->ar);
        st->rows++;
        if (!im->in_batch)
            im->first_line = tr.number;
        im->last_line = tr.number;
        im->in_batch++;
        rc = process_row(im, &tr);
        if (rc) {
            db_rollback(db);
            goto out;
        }
        if (im->in_batch >= batch) {
            if ((rc = flush(im)) != 0)
                goto out;
            if (!tick(im)) {
                rc = ENT_IMPORT_STOPPED;
                goto out;
            }
            if ((rc = db_begin(db)) != 0)
                goto out;
        }
    }
    /* The rows read before a reader error are good: keep them. */
    rc = flush(im);
    if (!rc && s < 0)
        rc = reader_error(err, s, table_last_error(im->t));
    if (!rc)
        rc = audit_summary(im);
    tick(im);
out:
    if (im->t)
        snprintf(st->encoding, sizeof(st->encoding), "%s", table_encoding(im->t));
    if (db_exec(db, "PRAGMA cache_size=-2000; PRAGMA wal_autocheckpoint=1000") != 0 && !rc)
        rc = KC_ERR_DB;
    if (im->triggers_off && db_triggers(db, true) != 0 && !rc)
        rc = KC_ERR_DB;
    importer_free(im);
    free(im);
    return rc;
}

int ent_import_probe(const char *path, enum table_format fmt, struct ent_import_error *err)
{
    memset(err, 0, sizeof(*err));
    struct ent_import_stats st;
    struct ent_import_opts o;
    memset(&o, 0, sizeof(o));
    struct importer im;
    memset(&im, 0, sizeof(im));
    memset(&st, 0, sizeof(st));
    im.o = &o;
    im.st = &st;
    im.col_uscc = col_index("uscc");
    im.col_year = col_index("year");
    struct table_error te;
    int rc = table_open(path, fmt, NULL, &im.t, &te);
    if (rc)
        return reader_error(err, rc, &te);
    rc = read_header(&im, err);
    importer_free(&im);
    return rc;
}
