/* market.c — technology-market rules: code lists, quality gate, life cycle, patent
 * numbers and matching signals (see market.h). */
#include "domain/market.h"
#include "core/patent.h"
#include "core/timeutil.h"
#include "core/utf8.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

const char *const market_ach_kinds[] = {"发明专利", "实用新型", "软件著作权", "新品种",
                                        "技术秘密", "其他",     NULL};
const char *const market_transfer_modes[] = {"转让",     "许可",     "作价入股",
                                             "先用后转", "合作开发", NULL};
const char *const market_coop_modes[] = {"委托开发", "合作开发", "技术转让", "技术许可",
                                         "技术服务", "揭榜挂帅", NULL};
const char *const market_fields[] = {"电子信息",   "生物与新医药",     "航空航天",
                                     "新材料",     "高技术服务",       "新能源与节能",
                                     "资源与环境", "先进制造与自动化", NULL};
const char *const market_confidentiality[] = {"public", "members", "brokers_only", NULL};
const char *const market_demand_status[] = {"draft", "published", "matched", "closed", NULL};
const char *const market_ach_status[] = {"draft", "published", "withdrawn", NULL};

const char *const market_signal_names[SIG_N] = {"chain", "field",  "trl",
                                                "mode",  "region", "track_record"};
const double market_signal_weights[SIG_N] = {0.15, 0.10, 0.10, 0.10, 0.10, 0.05};

int market_index(const char *const *list, const char *v)
{
    if (!v)
        return -1;
    for (int i = 0; list[i]; i++)
        if (strcmp(list[i], v) == 0)
            return i;
    return -1;
}

unsigned market_mask(const char *const *list, json_t *arr)
{
    unsigned m = 0;
    size_t i;
    json_t *e;
    json_array_foreach(arr, i, e)
    {
        int k = market_index(list, json_string_value(e));
        if (k >= 0)
            m |= 1u << k;
    }
    return m;
}

int market_list_check(const char *const *list, json_t *arr)
{
    unsigned seen = 0;
    size_t i;
    json_t *e;
    json_array_foreach(arr, i, e)
    {
        int k = market_index(list, json_string_value(e));
        if (k < 0 || (seen & (1u << k)))
            return (int)i;
        seen |= 1u << k;
    }
    return -1;
}

/* The type digit of a normalised application number (12-digit form: the 5th
 * character, 8-digit form: the 3rd). */
static char patent_type(const char *norm)
{
    return strlen(norm) >= 14 ? norm[4] : norm[2];
}

bool market_patents_check(const char *kind, json_t *numbers, struct market_problem *p)
{
    bool invention = kind && strcmp(kind, "发明专利") == 0;
    bool utility = kind && strcmp(kind, "实用新型") == 0;
    size_t n = json_array_size(numbers);
    if ((invention || utility) && n == 0) {
        snprintf(p->field, sizeof(p->field), "patent_numbers");
        p->code = "patent_required";
        return false;
    }
    for (size_t i = 0; i < n; i++) {
        char norm[PATENT_APPNO_NORM_CAP];
        const char *s = json_string_value(json_array_get(numbers, i));
        snprintf(p->field, sizeof(p->field), "patent_numbers[%zu]", i);
        if (!s || patent_appno_check(s, norm, sizeof(norm)) != PATENT_OK) {
            p->code = "invalid_patent_number";
            return false;
        }
        char t = patent_type(norm);
        if ((invention && t != '1' && t != '8') || (utility && t != '2' && t != '9')) {
            p->code = "patent_kind_mismatch";
            return false;
        }
        for (size_t j = 0; j < i; j++)
            if (strcmp(json_string_value(json_array_get(numbers, j)), norm) == 0) {
                p->code = "duplicate_value";
                return false;
            }
        json_array_set_new(numbers, i, json_string(norm));
    }
    return true;
}

/* Records a problem; returns false. */
static bool problem(struct market_problem *p, const char *field, const char *code)
{
    snprintf(p->field, sizeof(p->field), "%s", field);
    p->code = code;
    return false;
}

/* String member k of o, or NULL. */
static const char *str(json_t *o, const char *k)
{
    return json_string_value(json_object_get(o, k));
}

/* True when member k of o is absent, null, or a string of list. */
static bool in_list(json_t *o, const char *k, const char *const *list)
{
    const char *v = str(o, k);
    return !v || market_index(list, v) >= 0;
}

/* Checks member k (absent, null or an integer) is ≥ 0 and ≤ max. */
static bool int_range(json_t *o, const char *k, int64_t min, int64_t max)
{
    json_t *v = json_object_get(o, k);
    return !json_is_integer(v) || (json_integer_value(v) >= min && json_integer_value(v) <= max);
}

/* Checks that member hi_k (when an integer) is not below member lo_k (when one). */
static bool ordered(json_t *o, const char *lo_k, const char *hi_k)
{
    json_t *lo = json_object_get(o, lo_k), *hi = json_object_get(o, hi_k);
    return !json_is_integer(lo) || !json_is_integer(hi) ||
           json_integer_value(hi) >= json_integer_value(lo);
}

/* Checks a subset list member k against list; on failure names the element. */
static bool subset(json_t *o, const char *k, const char *const *list, struct market_problem *p)
{
    json_t *arr = json_object_get(o, k);
    int bad = json_is_array(arr) ? market_list_check(list, arr) : -1;
    if (bad < 0)
        return true;
    snprintf(p->field, sizeof(p->field), "%s[%d]", k, bad);
    p->code = "invalid_value";
    return false;
}

/* 1 000 000 000 000 分 = 100 亿元: a bound against typing errors. */
#define MONEY_MAX 1000000000000LL

bool market_ach_check(json_t *a, struct market_problem *p)
{
    if (!in_list(a, "kind", market_ach_kinds))
        return problem(p, "kind", "invalid_value");
    if (!in_list(a, "field", market_fields))
        return problem(p, "field", "invalid_value");
    if (!in_list(a, "status", market_ach_status))
        return problem(p, "status", "invalid_value");
    if (!int_range(a, "trl", 1, 9))
        return problem(p, "trl", "out_of_range");
    if (!subset(a, "transfer_modes", market_transfer_modes, p))
        return false;
    if (!int_range(a, "price_min_fen", 0, MONEY_MAX))
        return problem(p, "price_min_fen", "out_of_range");
    if (!int_range(a, "price_max_fen", 0, MONEY_MAX))
        return problem(p, "price_max_fen", "out_of_range");
    if (!ordered(a, "price_min_fen", "price_max_fen"))
        return problem(p, "price_max_fen", "max_below_min");
    if (!int_range(a, "deal_count", 0, 1000000))
        return problem(p, "deal_count", "out_of_range");
    if (json_array_size(json_object_get(a, "keywords")) > 50)
        return problem(p, "keywords", "too_many");
    json_t *pn = json_object_get(a, "patent_numbers");
    if (!json_is_array(pn)) {
        json_object_set_new(a, "patent_numbers", json_array());
        pn = json_object_get(a, "patent_numbers");
    }
    if (json_array_size(pn) > 50)
        return problem(p, "patent_numbers", "too_many");
    return market_patents_check(str(a, "kind"), pn, p);
}

bool market_demand_check(json_t *d, struct market_problem *p)
{
    if (!subset(d, "coop_modes", market_coop_modes, p))
        return false;
    if (!in_list(d, "field", market_fields))
        return problem(p, "field", "invalid_value");
    if (!in_list(d, "confidentiality", market_confidentiality))
        return problem(p, "confidentiality", "invalid_value");
    if (!int_range(d, "budget_min_fen", 0, MONEY_MAX))
        return problem(p, "budget_min_fen", "out_of_range");
    if (!int_range(d, "budget_max_fen", 0, MONEY_MAX))
        return problem(p, "budget_max_fen", "out_of_range");
    if (!ordered(d, "budget_min_fen", "budget_max_fen"))
        return problem(p, "budget_max_fen", "max_below_min");
    const char *dl = str(d, "deadline");
    int64_t t;
    if (dl && (strlen(dl) != 10 || time_parse_date(dl, &t) != 0))
        return problem(p, "deadline", "invalid_date");
    if (json_array_size(json_object_get(d, "keywords")) > 30)
        return problem(p, "keywords", "too_many");
    json_t *ind = json_object_get(d, "indicators");
    if (json_array_size(ind) > 30)
        return problem(p, "indicators", "too_many");
    size_t i;
    json_t *e;
    json_array_foreach(ind, i, e)
    {
        static const struct {
            const char *k; /* member */
            size_t max;    /* characters */
            bool need;     /* required */
        } parts[] = {{"name", 100, true}, {"target", 100, true}, {"unit", 20, false}};
        char f[48];
        if (!json_is_object(e)) {
            snprintf(f, sizeof(f), "indicators[%zu]", i);
            return problem(p, f, "wrong_type");
        }
        const char *key;
        json_t *v;
        json_object_foreach(e, key, v)
        {
            size_t k = 0;
            while (k < 3 && strcmp(parts[k].k, key) != 0)
                k++;
            snprintf(f, sizeof(f), "indicators[%zu].%s", i, k < 3 ? parts[k].k : "?");
            if (k == 3) {
                snprintf(f, sizeof(f), "indicators[%zu]", i);
                return problem(p, f, "unknown_field");
            }
            if (!json_is_string(v) && !json_is_null(v))
                return problem(p, f, "wrong_type");
            if (json_is_string(v) && utf8_len(json_string_value(v)) > parts[k].max)
                return problem(p, f, "too_long");
        }
        for (size_t k = 0; k < 3; k++) {
            const char *s = str(e, parts[k].k);
            snprintf(f, sizeof(f), "indicators[%zu].%s", i, parts[k].k);
            if (parts[k].need && (!s || utf8_blank(s)))
                return problem(p, f, "required");
        }
    }
    return true;
}

bool market_expert_check(json_t *e, struct market_problem *p)
{
    if (json_array_size(json_object_get(e, "fields")) > 20)
        return problem(p, "fields", "too_many");
    if (json_array_size(json_object_get(e, "keywords")) > 50)
        return problem(p, "keywords", "too_many");
    const char *email = str(e, "email");
    if (email && *email) {
        const char *at = strchr(email, '@');
        if (!at || at == email || !at[1] || strchr(at + 1, '@') || strpbrk(email, " \t<>\""))
            return problem(p, "email", "invalid_value");
    }
    const char *phone = str(e, "phone");
    if (phone && *phone && strspn(phone, "0123456789-+ ()") != strlen(phone))
        return problem(p, "phone", "invalid_value");
    return true;
}

/* Characters of string member k of o (0 when absent or blank). */
static size_t chars(json_t *o, const char *k)
{
    const char *s = json_string_value(json_object_get(o, k));
    return s && !utf8_blank(s) ? utf8_len(s) : 0;
}

/* True when member k of o is a non-empty array. */
static bool has_items(json_t *o, const char *k)
{
    return json_array_size(json_object_get(o, k)) > 0;
}

/* True when at least one indicator has a name and a target, and none has only one of
 * them. */
static bool indicators_ok(json_t *arr)
{
    size_t i, good = 0;
    json_t *e;
    json_array_foreach(arr, i, e)
    {
        if (chars(e, "name") && chars(e, "target"))
            good++;
        else
            return false;
    }
    return good > 0;
}

/* Records a missing field (and a blocking one when gate). */
static void miss(struct demand_quality *q, const char *field, bool gate)
{
    if (q->n_missing < MARKET_MAX_MISSING)
        q->missing[q->n_missing++] = field;
    if (gate && q->n_gate < MARKET_MAX_MISSING)
        q->gate[q->n_gate++] = field;
}

void demand_quality(json_t *d, struct demand_quality *q)
{
    memset(q, 0, sizeof(*q));
    size_t t = chars(d, "title");
    if (t >= 4)
        q->score += 10;
    else
        miss(q, "title", true);
    size_t pr = chars(d, "problem");
    if (pr >= 50)
        q->score += 20;
    else if (pr >= 10)
        q->score += 10; /* publishable, but a fuller description matches better */
    if (pr < 10)
        miss(q, "problem", true);
    else if (pr < 50)
        miss(q, "problem", false);
    if (indicators_ok(json_object_get(d, "indicators")))
        q->score += 20;
    else
        miss(q, "indicators", true);
    json_t *bmin = json_object_get(d, "budget_min_fen"),
           *bmax = json_object_get(d, "budget_max_fen");
    if ((json_is_integer(bmin) && json_integer_value(bmin) > 0) ||
        (json_is_integer(bmax) && json_integer_value(bmax) > 0))
        q->score += 15;
    else
        miss(q, "budget", true);
    if (has_items(d, "coop_modes"))
        q->score += 10;
    else
        miss(q, "coop_modes", true);
    if (chars(d, "existing"))
        q->score += 5;
    else
        miss(q, "existing", false);
    if (chars(d, "deadline"))
        q->score += 5;
    else
        miss(q, "deadline", false);
    if (chars(d, "chain"))
        q->score += 5;
    else
        miss(q, "chain", false);
    if (chars(d, "field"))
        q->score += 5;
    else
        miss(q, "field", false);
    if (has_items(d, "keywords"))
        q->score += 5;
    else
        miss(q, "keywords", false);
}

bool demand_transition_ok(const char *from, const char *to)
{
    static const char *const allowed[][2] = {{"draft", "published"},
                                             {"published", "matched"},
                                             {"published", "closed"},
                                             {"matched", "closed"},
                                             {"matched", "published"}};
    if (!from || !to)
        return false;
    for (size_t i = 0; i < sizeof(allowed) / sizeof(allowed[0]); i++)
        if (strcmp(allowed[i][0], from) == 0 && strcmp(allowed[i][1], to) == 0)
            return true;
    return false;
}

bool demand_is_public(const char *status, const char *conf)
{
    return status && conf && strcmp(conf, "public") == 0 && strcmp(status, "draft") != 0;
}

int market_region_level(const char *a, const char *b)
{
    if (!a || !b || strlen(a) != 6 || strlen(b) != 6 || strcmp(a, "000000") == 0)
        return 0;
    if (strcmp(a, b) == 0 && strcmp(a + 4, "00") != 0)
        return 3;
    if (strncmp(a, b, 4) == 0 && strcmp(a + 2, "0000") != 0)
        return 2;
    if (strncmp(a, b, 2) == 0)
        return 1;
    return 0;
}

/* Wanted TRL range per cooperation mode (order of market_coop_modes). */
static const int trl_want[][2] = {{3, 6}, {3, 7}, {6, 9}, {6, 9}, {5, 9}, {2, 6}};

void market_trl_range(unsigned coop_modes, int *lo, int *hi)
{
    *lo = 9;
    *hi = 1;
    for (int i = 0; market_coop_modes[i]; i++)
        if (coop_modes & (1u << i)) {
            if (trl_want[i][0] < *lo)
                *lo = trl_want[i][0];
            if (trl_want[i][1] > *hi)
                *hi = trl_want[i][1];
        }
    if (*lo > *hi) {
        *lo = 1;
        *hi = 9;
    }
}

/* Transfer modes (bits of market_transfer_modes) that serve each cooperation mode. */
static const unsigned mode_fit[] = {
    1u << 4,                     /* 委托开发: 合作开发 */
    1u << 4,                     /* 合作开发: 合作开发 */
    1u << 0 | 1u << 2 | 1u << 3, /* 技术转让: 转让, 作价入股, 先用后转 */
    1u << 1 | 1u << 3,           /* 技术许可: 许可, 先用后转 */
    1u << 1 | 1u << 4,           /* 技术服务: 许可, 合作开发 */
    1u << 4,                     /* 揭榜挂帅: 合作开发 */
};

/* True when both strings are set, non-empty and equal. */
static bool same(const char *a, const char *b)
{
    return a && b && *a && strcmp(a, b) == 0;
}

void market_signals(const struct market_attrs *d, const struct market_attrs *s,
                    double strength[SIG_N])
{
    for (int i = 0; i < SIG_N; i++)
        strength[i] = 0;
    if (same(d->chain, s->chain) || same(d->chain_name, s->chain_name))
        strength[SIG_CHAIN] = 1;
    if (same(d->field, s->field) || same(d->discipline, s->discipline))
        strength[SIG_FIELD] = 1;
    if (s->trl >= 1 && s->trl <= 9) {
        int lo, hi;
        market_trl_range(d->modes, &lo, &hi);
        int off = s->trl < lo ? lo - s->trl : s->trl > hi ? s->trl - hi : 0;
        strength[SIG_TRL] = off == 0 ? 1 : off == 1 ? 0.5 : 0;
    }
    for (int i = 0; market_coop_modes[i]; i++)
        if ((d->modes & (1u << i)) && (s->modes & mode_fit[i]))
            strength[SIG_MODE] = 1;
    static const double region[] = {0, 0.3, 0.6, 1};
    strength[SIG_REGION] = region[market_region_level(d->region_code, s->region_code)];
    if (s->deals > 0) {
        double t = log2(1.0 + (double)s->deals) / 3.0;
        strength[SIG_TRACK] = t > 1 ? 1 : t;
    }
}
