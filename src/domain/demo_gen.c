/* demo_gen.c — deterministic PRNG, demo organisation names and demo USCCs. */
#include "domain/demo_gen.h"

#include <assert.h>
#include <string.h>

#include "core/uscc.h"

/* Number of elements of a static array. */
#define DEMO_COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* 字号 (trade names): common, generic two-character words; no well-known brands. */
static const char *const ZIHAO[] = {
    "宏达", "永盛", "华科", "精工", "恒通", "天成", "鑫源", "瑞丰", "金达", "联创", "博远", "中杰",
    "海德", "利民", "新光", "明辉", "立信", "嘉信", "华宇", "盛达", "众诚", "力源", "万通", "通达",
    "荣昌", "宝丰", "泰和", "安达", "康健", "富源", "德鑫", "鼎盛", "凯达", "锦程", "恒信", "日升",
    "双环", "蓝海", "伟业", "源泰", "华昌", "振华", "广顺", "天马", "金马", "飞龙", "鸿运", "泰丰",
    "昌盛", "锐达", "科宇", "创达", "启航", "卓越", "信诚", "中天", "华通", "环宇", "正和", "大成",
    "同创", "东升", "新锐", "恒远", "永固", "佳禾", "三和", "合力", "友联", "精诚", "巨丰", "润达",
    "华晟", "瀚海", "弘毅", "汇通", "迅捷", "奥博", "瑞华", "宇丰",
};

/* One enterprise industry word and the GB/T 4754-2017 section it belongs to. */
struct demo_industry {
    char section;     /* section letter 'A'-'R' */
    const char *word; /* the word as used in a company name, e.g. "模具" */
};

/* Industry words for enterprise names, grouped by GB/T 4754-2017 section. */
static const struct demo_industry INDUSTRY_WORDS[] = {
    {'A', "生态农业"},     {'A', "茶业"},     {'A', "果蔬"},       {'A', "水产养殖"},
    {'A', "种业"},         {'A', "林业开发"}, {'B', "矿业"},       {'B', "石材"},
    {'C', "汽车零部件"},   {'C', "泵业"},     {'C', "阀门"},       {'C', "医药"},
    {'C', "新材料"},       {'C', "塑业"},     {'C', "家居"},       {'C', "电机"},
    {'C', "模具"},         {'C', "机械"},     {'C', "精密机械"},   {'C', "缝制设备"},
    {'C', "智能装备"},     {'C', "电器"},     {'C', "眼镜"},       {'C', "服饰"},
    {'C', "食品"},         {'C', "化工"},     {'C', "橡胶制品"},   {'C', "五金"},
    {'C', "工艺品"},       {'C', "卫浴"},     {'C', "光电"},       {'C', "新能源科技"},
    {'C', "电子"},         {'C', "数控机床"}, {'C', "工具"},       {'C', "铸造"},
    {'C', "包装"},         {'C', "制药"},     {'C', "生物科技"},   {'C', "医疗器械"},
    {'C', "轴承"},         {'C', "齿轮"},     {'C', "电气"},       {'C', "线缆"},
    {'C', "照明"},         {'C', "家具"},     {'C', "纺织"},       {'C', "鞋业"},
    {'C', "机电"},         {'C', "汽配"},     {'C', "新型建材"},   {'C', "环保设备"},
    {'C', "船舶"},         {'D', "能源"},     {'D', "热电"},       {'D', "燃气"},
    {'D', "水务"},         {'E', "建设"},     {'E', "建筑工程"},   {'E', "装饰工程"},
    {'E', "安装工程"},     {'F', "贸易"},     {'F', "商贸"},       {'F', "供应链管理"},
    {'F', "进出口"},       {'G', "物流"},     {'G', "运输"},       {'G', "仓储"},
    {'H', "酒店管理"},     {'H', "餐饮管理"}, {'I', "电子科技"},   {'I', "信息技术"},
    {'I', "软件"},         {'I', "网络科技"}, {'I', "数据科技"},   {'I', "智能科技"},
    {'J', "投资"},         {'J', "融资担保"}, {'K', "房地产开发"}, {'K', "物业管理"},
    {'L', "企业管理咨询"}, {'L', "人力资源"}, {'L', "会展服务"},   {'L', "设备租赁"},
    {'M', "检测技术"},     {'M', "工业设计"}, {'M', "技术服务"},   {'M', "工程技术"},
    {'N', "环保科技"},     {'N', "环境工程"}, {'N', "园林绿化"},   {'O', "家政服务"},
    {'O', "汽车维修"},     {'P', "教育科技"}, {'P', "职业培训"},   {'Q', "健康管理"},
    {'Q', "医疗管理"},     {'R', "文化传媒"}, {'R', "体育发展"},   {'R', "影视"},
};

/* Technology fields for institutes, new R&D institutions and carriers. */
static const char *const FIELDS[] = {
    "智能制造", "新材料",   "生物医药", "汽车零部件", "模具",     "泵阀",
    "电机",     "数字经济", "工业设计", "海洋经济",   "绿色化工", "光电技术",
    "农业科学", "林业科学", "质量技术", "机器人",     "新能源",   "集成电路",
    "先进制造", "节能环保", "食品安全", "橡塑材料",   "现代家居", "低空经济",
    "人工智能", "合成生物", "医疗器械", "缝制装备",   "新型储能",
};

/* Endings of university names ("台州" + ending). */
static const char *const UNIVERSITY_ENDINGS[] = {
    "学院",     "职业技术学院", "科技职业学院", "理工学院", "工贸职业技术学院",
    "技师学院", "城市职业学院", "职业大学",     "开放大学", "医学高等专科学校",
};

/* Trade words for vocational colleges ("台州" + word + "职业学院"). */
static const char *const COLLEGE_TRADES[] = {
    "汽车", "医药", "机电", "建设", "信息", "工商", "艺术", "海洋", "经贸", "农林",
};

/* Services of technology service providers (the company's business words). */
static const char *const SERVICES[] = {
    "检测技术",           "知识产权代理", "科技咨询",     "技术转移服务",
    "工业设计",           "认证服务",     "计量检测",     "标准化技术服务",
    "科技企业孵化器管理", "科技信息咨询", "质量技术服务", "信息技术咨询",
};

/* Name templates of one kind: {C} city, {X} county, {Z} 字号, {F} field, {U} ending. */
struct demo_kind {
    const char *name;             /* the kind as passed to demo_org_name */
    const char *const *templates; /* the templates, picked uniformly */
    size_t n_templates;           /* number of templates */
    const char *const *endings;   /* values of {U} */
    size_t n_endings;             /* number of endings */
};

/* Templates for enterprises. */
static const char *const T_ENTERPRISE[] = {
    "{C}市{X}{Z}{F}有限公司", "{C}市{X}{Z}{F}有限公司", "{C}{Z}{F}有限公司",
    "{C}{Z}{F}股份有限公司",  "{C}市{Z}{F}有限公司",    "{Z}{F}（{C}）有限公司",
};

/* Templates for universities and colleges. */
static const char *const T_UNIVERSITY[] = {
    "{C}{U}",
    "{C}{U}",
    "{C}{W}职业学院",
    "{C}{W}职业技术学院",
};

/* Templates for (public) research institutes. */
static const char *const T_INSTITUTE[] = {
    "{C}市{F}研究院",
    "{C}市{X}{F}研究所",
    "{C}{F}技术研究院",
    "{C}市{F}科学研究所",
};

/* Templates for new-type R&D institutions (新型研发机构). */
static const char *const T_NEW_RD[] = {
    "{C}{F}产业技术研究院", "{C}市{X}{F}创新研究院", "{C}{Z}{F}研究院有限公司",
    "{C}{F}创新中心",       "{C}{F}协同创新研究院",
};

/* Templates for technology service providers. */
static const char *const T_PROVIDER[] = {
    "{C}{Z}{S}有限公司",
    "{C}市{X}{Z}{S}有限公司",
    "{C}市{Z}{S}有限公司",
    "{C}{Z}专利代理事务所（普通合伙）",
};

/* Templates for carrier operators (综合体, incubators, science parks). */
static const char *const T_CARRIER[] = {
    "{C}{Z}科创园运营管理有限公司", "{C}市{X}{F}产业创新服务中心有限公司",
    "{C}{Z}孵化器管理有限公司",     "{C}{Z}众创空间管理有限公司",
    "{C}{X}{Z}产业园管理有限公司",
};

/* The kinds demo_org_name knows. */
static const struct demo_kind KINDS[] = {
    {"enterprise", T_ENTERPRISE, DEMO_COUNT(T_ENTERPRISE), NULL, 0},
    {"university", T_UNIVERSITY, DEMO_COUNT(T_UNIVERSITY), UNIVERSITY_ENDINGS,
     DEMO_COUNT(UNIVERSITY_ENDINGS)},
    {"institute", T_INSTITUTE, DEMO_COUNT(T_INSTITUTE), NULL, 0},
    {"new_rd_institution", T_NEW_RD, DEMO_COUNT(T_NEW_RD), NULL, 0},
    {"service_provider", T_PROVIDER, DEMO_COUNT(T_PROVIDER), NULL, 0},
    {"carrier_operator", T_CARRIER, DEMO_COUNT(T_CARRIER), NULL, 0},
};

/* The 31 characters a USCC may use. */
static const char USCC_CHARS[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";

/* Seeds r (see demo_gen.h). */
void demo_rng_seed(struct demo_rng *r, uint64_t seed)
{
    r->s = seed;
}

/* Returns the next splitmix64 output (see demo_gen.h). */
uint64_t demo_rng_next(struct demo_rng *r)
{
    uint64_t z = (r->s += UINT64_C(0x9E3779B97F4A7C15));
    z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
    return z ^ (z >> 31);
}

/* Returns a uniform number in [0, n) (see demo_gen.h). */
uint32_t demo_rng_below(struct demo_rng *r, uint32_t n)
{
    if (n == 0)
        return 0;
    uint64_t m = (demo_rng_next(r) >> 32) * (uint64_t)n;
    uint32_t low = (uint32_t)m;
    if (low < n) {
        uint32_t threshold = (uint32_t)(-n) % n;
        while (low < threshold) {
            m = (demo_rng_next(r) >> 32) * (uint64_t)n;
            low = (uint32_t)m;
        }
    }
    return (uint32_t)(m >> 32);
}

/* Returns a random enterprise industry word of a section (see demo_gen.h). */
const char *demo_industry_word(struct demo_rng *r, char section)
{
    size_t n = 0;
    for (size_t i = 0; i < DEMO_COUNT(INDUSTRY_WORDS); i++)
        n += INDUSTRY_WORDS[i].section == section;
    if (n == 0)
        return NULL;
    uint32_t k = demo_rng_below(r, (uint32_t)n);
    for (size_t i = 0; i < DEMO_COUNT(INDUSTRY_WORDS); i++) {
        if (INDUSTRY_WORDS[i].section != section)
            continue;
        if (k == 0)
            return INDUSTRY_WORDS[i].word;
        k--;
    }
    return NULL; /* not reached */
}

/* A bounded output string that remembers whether anything was cut off. */
struct demo_out {
    char *p;      /* the caller's buffer */
    size_t cap;   /* its size in bytes */
    size_t len;   /* bytes written so far, excluding the NUL */
    int overflow; /* 1 once an append did not fit */
};

/* Appends n bytes of s to o, or marks o as overflowed if they do not fit with a NUL. */
static void out_append(struct demo_out *o, const char *s, size_t n)
{
    if (o->overflow || o->len + n + 1 > o->cap) {
        o->overflow = 1;
        return;
    }
    memcpy(o->p + o->len, s, n);
    o->len += n;
    o->p[o->len] = '\0';
}

/* Writes a demo organisation name (see demo_gen.h). */
int demo_org_name(struct demo_rng *r, const char *kind, const char *city_short,
                  const char *county_short, const char *industry_word, char *out, size_t cap)
{
    if (out != NULL && cap > 0)
        out[0] = '\0';

    /* Always draw five values, in this order, so that sequences stay aligned. */
    uint32_t t_pick = demo_rng_below(r, 1u << 30);
    const char *zihao = ZIHAO[demo_rng_below(r, DEMO_COUNT(ZIHAO))];
    const char *field = FIELDS[demo_rng_below(r, DEMO_COUNT(FIELDS))];
    uint32_t u_pick = demo_rng_below(r, 1u << 30);
    const char *industry = INDUSTRY_WORDS[demo_rng_below(r, DEMO_COUNT(INDUSTRY_WORDS))].word;

    if (out == NULL || cap == 0 || kind == NULL || city_short == NULL)
        return -1;
    const struct demo_kind *k = NULL;
    for (size_t i = 0; i < DEMO_COUNT(KINDS); i++) {
        if (strcmp(KINDS[i].name, kind) == 0)
            k = &KINDS[i];
    }
    if (k == NULL)
        return -1;

    if (industry_word != NULL && industry_word[0] != '\0') {
        industry = industry_word;
        field = industry_word;
    }
    if (county_short == NULL)
        county_short = "";
    const char *tmpl = k->templates[t_pick % k->n_templates];
    const char *ending = k->n_endings ? k->endings[u_pick % k->n_endings] : "";
    const char *trade = COLLEGE_TRADES[u_pick % DEMO_COUNT(COLLEGE_TRADES)];
    const char *service = SERVICES[u_pick % DEMO_COUNT(SERVICES)];

    struct demo_out o = {out, cap, 0, 0};
    for (const char *p = tmpl; *p != '\0';) {
        if (p[0] == '{' && p[1] != '\0' && p[2] == '}') {
            const char *v = "";
            switch (p[1]) {
            case 'C':
                v = city_short;
                break;
            case 'X':
                v = county_short;
                break;
            case 'Z':
                v = zihao;
                break;
            case 'F':
                v = strcmp(k->name, "enterprise") == 0 ? industry : field;
                break;
            case 'U':
                v = ending;
                break;
            case 'W':
                v = trade;
                break;
            case 'S':
                v = service;
                break;
            default:
                assert(!"unknown placeholder in a name template");
                break;
            }
            out_append(&o, v, strlen(v));
            p += 3;
        } else {
            /* Copy literal text up to the next placeholder. */
            const char *q = strchr(p + 1, '{');
            size_t n = q ? (size_t)(q - p) : strlen(p);
            out_append(&o, p, n);
            p += n;
        }
    }
    if (o.overflow) {
        out[0] = '\0';
        return -1;
    }
    return 0;
}

/* Writes a valid demo USCC for region6 (see demo_gen.h). */
void demo_uscc(struct demo_rng *r, const char *region6, char out[19])
{
    assert(region6 != NULL && strlen(region6) == 6);
    out[0] = '9';
    out[1] = '1';
    for (int i = 0; i < 6; i++) {
        assert(region6[i] >= '0' && region6[i] <= '9');
        out[2 + i] = region6[i];
    }
    if (demo_rng_below(r, 2) == 0) {
        /* A legacy 组织机构代码 body: 8 digits. */
        for (int i = 8; i < 16; i++)
            out[i] = (char)('0' + demo_rng_below(r, 10));
    } else {
        /* A post-2015 body: "MA" and 6 characters of the USCC set. */
        out[8] = 'M';
        out[9] = 'A';
        for (int i = 10; i < 16; i++)
            out[i] = USCC_CHARS[demo_rng_below(r, DEMO_COUNT(USCC_CHARS) - 1)];
    }
    out[16] = uscc_orgcode_check_char(out + 8);
    out[17] = uscc_check_char(out);
    out[18] = '\0';
    assert(out[16] != 0 && out[17] != 0);
}
