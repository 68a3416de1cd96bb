/* demo_market.c — demo data of the technology market (issue 4): industry chains of the
 * seed cities the demands need, the CSL corpus (data/corpus/csl.jsonl, 4,758 real
 * Chinese abstracts) as achievements spread over the demo institutions, a few hundred
 * demands built from hand-written problem statements per chain
 * (data/market/demands.json), and about a hundred experts whose research keywords come
 * from the corpus. Called by demo_load inside its transaction (cli/demo.h).
 *
 * Deterministic: a fixed seed drives every choice, timestamps come from a fixed
 * calendar. The organisations, the owners' attributes (kind, TRL, transfer modes,
 * prices, patent numbers) and the demands are fictitious; the abstracts are real. */
#include "cli/demo.h"
#include "core/asset.h"
#include "core/buf.h"
#include "core/patent.h"
#include "core/xalloc.h"
#include "db/db.h"
#include "domain/demo_gen.h"
#include "domain/market.h"
#include "search/corpus.h"
#include "store/achievement.h"
#include "store/audit.h"
#include "store/demand.h"
#include "store/expert.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MARKET_SEED 20261124u
/* 2025-01-01T00:00:00Z and the span of the demo calendar (to 2026-10-31). */
#define CAL_START 1735689600LL
#define CAL_SPAN (669LL * 86400)
#define N_EXPERTS 100
/* 1 万元 in 分. */
#define WAN 1000000LL

/* Chain families of data/market/demands.json. */
enum family { F_AUTO, F_PUMP, F_PHARMA, F_MATERIAL, F_EQUIP, F_ELEC, F_ENERGY, F_HOME, F_N };
static const char *const family_keys[F_N] = {"auto_parts",   "pump_valve",  "pharma",
                                             "new_material", "smart_equip", "electronic",
                                             "new_energy",   "home"};

/* A chain of a seed city and the demand family it draws from. add: the demo inserts it
 * (the reference data has only one umbrella chain for 嘉兴 and 扬州). */
struct chain_def {
    const char *region; /* the chain's region: a city, or a 丽水 county */
    const char *code;   /* chains.code */
    const char *name;   /* chains.name (for added chains) */
    const char *group;  /* group_name (for added chains) */
    enum family fam;    /* demand family */
    int add;            /* inserted by the demo */
};

static const struct chain_def chain_defs[] = {
    {"330400", "JX-AUTO-PARTS", "汽车零部件", "135N先进制造业集群", F_AUTO, 1},
    {"330400", "JX-NEW-MATERIAL", "新材料", "135N先进制造业集群", F_MATERIAL, 1},
    {"330400", "JX-ELECTRONIC", "电子信息", "135N先进制造业集群", F_ELEC, 1},
    {"330400", "JX-SMART-EQUIP", "智能装备", "135N先进制造业集群", F_EQUIP, 1},
    {"330400", "JX-NEW-ENERGY", "光伏新能源", "135N先进制造业集群", F_ENERGY, 1},
    {"321000", "YZ-AUTO-PARTS", "汽车及零部件", "613产业体系", F_AUTO, 1},
    {"321000", "YZ-HIGH-EQUIP", "高端装备", "613产业体系", F_EQUIP, 1},
    {"321000", "YZ-ELECTRONIC", "微电子", "613产业体系", F_ELEC, 1},
    {"321000", "YZ-PHARMA", "生物医药", "613产业体系", F_PHARMA, 1},
    {"321000", "YZ-NEW-ENERGY", "新型电力装备", "613产业体系", F_ENERGY, 1},
    {"331000", "TZ-AUTO", NULL, NULL, F_AUTO, 0},
    {"331000", "TZ-PUMP-MOTOR", NULL, NULL, F_PUMP, 0},
    {"331000", "TZ-PHARMA", NULL, NULL, F_PHARMA, 0},
    {"331000", "TZ-NEW-MATERIAL", NULL, NULL, F_MATERIAL, 0},
    {"331000", "TZ-RUBBER-PLASTIC", NULL, NULL, F_MATERIAL, 0},
    {"331000", "TZ-HIGH-EQUIP", NULL, NULL, F_EQUIP, 0},
    {"331000", "TZ-HOME", NULL, NULL, F_HOME, 0},
    {"331000", "TZ-NEV", NULL, NULL, F_ENERGY, 0},
    {"331000", "TZ-SEMI", NULL, NULL, F_ELEC, 0},
    {"331102", "LS-331102-1", NULL, NULL, F_ELEC, 0},     /* 莲都: 半导体 */
    {"331121", "LS-331121-1", NULL, NULL, F_MATERIAL, 0}, /* 青田: 不锈钢 */
    {"331122", "LS-331122-1", NULL, NULL, F_EQUIP, 0},    /* 缙云: 机械装备 */
    {"331123", "LS-331123-1", NULL, NULL, F_MATERIAL, 0}, /* 遂昌: 金属制品 */
    {"331124", "LS-331124-1", NULL, NULL, F_MATERIAL, 0}, /* 松阳: 不锈钢管 */
    {"331125", "LS-331125-1", NULL, NULL, F_HOME, 0},     /* 云和: 木制玩具 */
    {"331126", "LS-331126-1", NULL, NULL, F_HOME, 0},     /* 庆元: 竹木制品 */
    {"331127", "LS-331127-1", NULL, NULL, F_HOME, 0},     /* 景宁 */
    {"331181", "LS-331181-1", NULL, NULL, F_AUTO, 0},     /* 龙泉: 汽车空调零部件 */
};
#define N_CHAINS (sizeof(chain_defs) / sizeof(chain_defs[0]))

/* CSL disciplines of technical achievements and their 高新技术领域 (NULL: the
 * achievement is a basic-science or social-science result: kind 其他, no TRL). */
static const struct {
    const char *discipline; /* CSL label */
    const char *field;      /* technology field */
} disc_fields[] = {
    {"信息与通信工程", "电子信息"},
    {"计算机科学与技术", "电子信息"},
    {"电子科学与技术", "电子信息"},
    {"控制科学与工程", "电子信息"},
    {"光学工程", "电子信息"},
    {"药学", "生物与新医药"},
    {"中医学/中药学", "生物与新医药"},
    {"基础医学/临床医学", "生物与新医药"},
    {"生物学/生物科学与工程", "生物与新医药"},
    {"口腔医学", "生物与新医药"},
    {"公共卫生与预防医学", "生物与新医药"},
    {"畜牧学/兽医学", "生物与新医药"},
    {"食品科学与工程", "生物与新医药"},
    {"园艺学", "生物与新医药"},
    {"作物学", "生物与新医药"},
    {"植物保护", "生物与新医药"},
    {"水产", "生物与新医药"},
    {"航空宇航科学与技术", "航空航天"},
    {"兵器科学与技术", "航空航天"},
    {"材料科学与工程", "新材料"},
    {"化学/化学工程与技术", "新材料"},
    {"冶金工程", "新材料"},
    {"纺织科学与工程", "新材料"},
    {"测绘科学与技术", "高技术服务"},
    {"交通运输工程", "高技术服务"},
    {"动力工程及工程热物理", "新能源与节能"},
    {"电气工程", "新能源与节能"},
    {"核科学与技术", "新能源与节能"},
    {"石油与天然气工程", "新能源与节能"},
    {"环境科学与工程", "资源与环境"},
    {"水利工程", "资源与环境"},
    {"矿业工程", "资源与环境"},
    {"地质学/地质资源与地质工程", "资源与环境"},
    {"农业资源利用", "资源与环境"},
    {"林学/林业工程", "资源与环境"},
    {"土木工程", "资源与环境"},
    {"海洋科学", "资源与环境"},
    {"机械工程", "先进制造与自动化"},
    {"船舶与海洋工程", "先进制造与自动化"},
    {"农业工程", "先进制造与自动化"},
    {"力学", "先进制造与自动化"},
};

/* The demand family an achievement's field belongs to (F_N: none). */
static enum family field_family(const char *field)
{
    static const struct {
        const char *field; /* technology field */
        enum family fam;   /* family */
    } m[] = {{"新材料", F_MATERIAL},
             {"先进制造与自动化", F_EQUIP},
             {"电子信息", F_ELEC},
             {"生物与新医药", F_PHARMA},
             {"新能源与节能", F_ENERGY}};
    for (size_t i = 0; field && i < sizeof(m) / sizeof(m[0]); i++)
        if (strcmp(m[i].field, field) == 0)
            return m[i].fam;
    return F_N;
}

/* The technology field of a CSL discipline, or NULL. */
static const char *disc_field(const char *d)
{
    for (size_t i = 0; d && i < sizeof(disc_fields) / sizeof(disc_fields[0]); i++)
        if (strcmp(disc_fields[i].discipline, d) == 0)
            return disc_fields[i].field;
    return NULL;
}

/* True when a discipline breeds plant or animal varieties (新品种). */
static bool breeds(const char *d)
{
    return d && (strcmp(d, "园艺学") == 0 || strcmp(d, "作物学") == 0 || strcmp(d, "水产") == 0 ||
                 strcmp(d, "畜牧学/兽医学") == 0 || strcmp(d, "林学/林业工程") == 0);
}

/* One organisation of the demo with what the market demo needs. */
struct dorg {
    int64_t id;     /* orgs.id */
    char region[7]; /* county code */
};

/* Organisations of one kind set, in id order. */
struct dorgs {
    struct dorg *v; /* organisations */
    size_t n;       /* their count */
};

/* Loads the organisations whose kind is in the SQL list kinds (e.g.
 * "'university','institute'"). */
static int load_orgs(struct db *db, const char *sql, struct dorgs *out)
{
    out->v = NULL;
    out->n = 0;
    struct db_stmt *st = db_prep(db, sql);
    if (!st)
        return KC_ERR_DB;
    size_t cap = 0;
    int s;
    while ((s = db_step(st)) == DB_ROW) {
        if (out->n == cap) {
            cap = cap ? cap * 2 : 64;
            out->v = xrealloc(out->v, cap * sizeof(*out->v));
        }
        out->v[out->n].id = db_col_int(st, 0);
        snprintf(out->v[out->n].region, 7, "%s", db_col_text(st, 1));
        out->n++;
    }
    db_done(st);
    return s < 0 ? KC_ERR_DB : 0;
}

/* The chain of family fam for an organisation in county: the county's own chain (丽水),
 * else its city's; NULL when there is none. */
static const char *chain_for(const char *county, enum family fam)
{
    for (size_t i = 0; i < N_CHAINS; i++)
        if (chain_defs[i].fam == fam && strcmp(chain_defs[i].region, county) == 0)
            return chain_defs[i].code;
    for (size_t i = 0; i < N_CHAINS; i++)
        if (chain_defs[i].fam == fam && strncmp(chain_defs[i].region, county, 4) == 0 &&
            strcmp(chain_defs[i].region + 4, "00") == 0)
            return chain_defs[i].code;
    return NULL;
}

/* Adds the demo chains (kept when an earlier load or an officer added them). */
static int add_chains(struct db *db)
{
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < N_CHAINS; i++) {
        if (!chain_defs[i].add)
            continue;
        rc =
            db_run(db_query(db,
                            "INSERT OR IGNORE INTO chains(region_code, code, name, group_name, "
                            "sort, created_at, updated_at) VALUES(?,?,?,?,?,?,?)",
                            "ssssiii", chain_defs[i].region, chain_defs[i].code, chain_defs[i].name,
                            chain_defs[i].group, (int64_t)(10 + i), CAL_START, CAL_START));
    }
    return rc;
}

/* Picks k distinct elements of list (n of them, k ≤ n) into a JSON array. */
static json_t *pick_list(struct demo_rng *rng, const char *const *list, size_t n, size_t k)
{
    unsigned used = 0;
    json_t *a = json_array();
    while (json_array_size(a) < k) {
        uint32_t i = demo_rng_below(rng, (uint32_t)n);
        if (used & (1u << i))
            continue;
        used |= 1u << i;
        json_array_append_new(a, json_string(list[i]));
    }
    return a;
}

/* A valid ZC 0006-2003 application number of type digit t filed in year. */
static void patent_number(struct demo_rng *rng, int year, char t, char out[32])
{
    char digits[32];
    snprintf(digits, sizeof(digits), "%04d%c%07u", year % 10000, t,
             (demo_rng_below(rng, 9000000) + 1000000) % 10000000);
    snprintf(out, 32, "%.12s.%c", digits, patent_check_char(digits, 12));
}

/* Weighted choice: returns i with probability w[i] / Σw. */
static int weighted(struct demo_rng *rng, const int *w, int n)
{
    int sum = 0;
    for (int i = 0; i < n; i++)
        sum += w[i];
    int r = (int)demo_rng_below(rng, (uint32_t)sum);
    for (int i = 0; i < n; i++) {
        if (r < w[i])
            return i;
        r -= w[i];
    }
    return n - 1;
}

/* The market attributes of one corpus paper as an achievement of owner. */
static json_t *achievement_of(struct demo_rng *rng, const struct corpus_rec *p,
                              const struct dorg *owner)
{
    const char *field = disc_field(p->discipline);
    json_t *kw = json_array();
    for (int k = 0; k < p->n_kw && k < 50; k++)
        json_array_append_new(kw, json_string(p->kw[k]));
    json_t *a =
        json_pack("{s:s,s:s,s:s,s:o,s:I}", "external_id", p->id, "title", p->title, "abstract",
                  p->abstract, "keywords", kw, "owner_org_id", (json_int_t)owner->id);
    json_object_set_new(a, "discipline", p->discipline ? json_string(p->discipline) : json_null());
    json_object_set_new(a, "region_code", json_string(owner->region));
    json_object_set_new(a, "field", field ? json_string(field) : json_null());
    json_object_set_new(a, "status",
                        json_string(demo_rng_below(rng, 100) < 3 ? "draft" : "published"));
    json_t *patents = json_array();
    const char *kind = "其他";
    if (field) {
        /* 发明专利, 实用新型, 技术秘密, 软件著作权 / 新品种, 其他 */
        static const int w[] = {55, 15, 12, 12, 6};
        int k = weighted(rng, w, 5);
        bool soft = strcmp(field, "电子信息") == 0;
        kind = k == 0   ? "发明专利"
               : k == 1 ? "实用新型"
               : k == 2 ? "技术秘密"
               : k == 3 ? (soft                    ? "软件著作权"
                           : breeds(p->discipline) ? "新品种"
                                                   : "发明专利")
                        : "其他";
        int n_pat = strcmp(kind, "发明专利") == 0   ? 1 + (int)demo_rng_below(rng, 3)
                    : strcmp(kind, "实用新型") == 0 ? 1 + (int)demo_rng_below(rng, 2)
                                                    : 0;
        for (int i = 0; i < n_pat; i++) {
            char num[32];
            patent_number(rng, 2015 + (int)demo_rng_below(rng, 10),
                          strcmp(kind, "发明专利") == 0 ? '1' : '2', num);
            json_array_append_new(patents, json_string(num));
        }
        static const int trl_w[] = {5, 15, 20, 20, 18, 15, 7}; /* TRL 2..8 */
        json_object_set_new(a, "trl", json_integer(2 + weighted(rng, trl_w, 7)));
        json_object_set_new(a, "transfer_modes",
                            pick_list(rng, market_transfer_modes, 5, 1 + demo_rng_below(rng, 3)));
        int64_t base = (5 + (int64_t)demo_rng_below(rng, 60)) * 5 * WAN; /* 25–320 万元 */
        json_object_set_new(a, "price_min_fen", json_integer(base));
        if (demo_rng_below(rng, 2))
            json_object_set_new(a, "price_max_fen",
                                json_integer(base * (15 + (int64_t)demo_rng_below(rng, 16)) / 10));
        static const int deals_w[] = {70, 18, 8, 4};
        json_object_set_new(a, "deal_count", json_integer(weighted(rng, deals_w, 4)));
        const char *chain = chain_for(owner->region, field_family(field));
        if (chain)
            json_object_set_new(a, "chain", json_string(chain));
    } else {
        json_object_set_new(a, "transfer_modes", json_array());
    }
    json_object_set_new(a, "kind", json_string(kind));
    json_object_set_new(a, "patent_numbers", patents);
    return a;
}

/* Inserts the corpus as achievements of the institutions; one audit entry. */
static int gen_achievements(struct db *db, struct demo_rng *rng, const struct corpus *c,
                            const struct dorgs *inst)
{
    if (!inst->n)
        return 0;
    int rc = 0;
    int64_t first = 0, last = 0;
    for (size_t i = 0; rc == 0 && i < c->n; i++) {
        const struct dorg *owner = &inst->v[demo_rng_below(rng, (uint32_t)inst->n)];
        json_t *a = achievement_of(rng, &c->r[i], owner);
        struct market_problem p;
        int64_t id = 0;
        if (!market_ach_check(a, &p))
            rc = KC_ERR_INVALID; /* the generator is wrong: stop loudly */
        else
            rc = ach_insert(db, a, 0, &id);
        json_decref(a);
        if (!first)
            first = id;
        last = id;
    }
    if (!rc) {
        struct audit_ctx ctx = {0, "demo", "-"};
        json_t *diff = json_pack("{s:{s:n,s:{s:I,s:I,s:I,s:s}}}", "import", "before", "after",
                                 "count", (json_int_t)c->n, "first_id", (json_int_t)first,
                                 "last_id", (json_int_t)last, "source", "data/corpus/csl.jsonl");
        rc = audit_write_diff(db, &ctx, "import", "achievement", 0, diff);
        json_decref(diff);
    }
    return rc;
}

/* The problems of family fam in the demand templates. */
static json_t *family_problems(json_t *tmpl, enum family fam)
{
    size_t i;
    json_t *f;
    json_array_foreach(json_object_get(tmpl, "families"), i, f)
    {
        if (strcmp(json_string_value(json_object_get(f, "family")), family_keys[fam]) == 0)
            return f;
    }
    return NULL;
}

static const char *const surnames[] = {
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡",
    "郭", "何", "林", "罗", "高", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹",
    "彭", "曾", "萧", "田", "董", "潘", "袁", "蔡", "蒋", "余", "叶", "杜", "沈", "程", "魏"};
static const char *const given[] = {"伟", "芳", "娜", "敏", "静", "强", "磊", "军", "洋", "勇",
                                    "艳", "杰", "涛", "明", "超", "秀", "霞", "平", "刚", "桂",
                                    "华", "建", "国", "文", "斌", "辉", "宇", "浩", "凯", "鹏",
                                    "晨", "琳", "颖", "婷", "雪", "峰", "亮", "俊", "海", "波",
                                    "志", "晓", "红", "丽", "新", "春", "永", "立", "忠", "振"};
#define N_SURNAMES (sizeof(surnames) / sizeof(surnames[0]))
#define N_GIVEN (sizeof(given) / sizeof(given[0]))

/* A fictitious person's name (surname + one or two characters). */
static void person_name(struct demo_rng *rng, char *out, size_t cap)
{
    const char *s = surnames[demo_rng_below(rng, N_SURNAMES)];
    const char *g1 = given[demo_rng_below(rng, N_GIVEN)];
    if (demo_rng_below(rng, 10) < 7)
        snprintf(out, cap, "%s%s%s", s, g1, given[demo_rng_below(rng, N_GIVEN)]);
    else
        snprintf(out, cap, "%s%s", s, g1);
}

/* Inserts one demand built from template problem p for enterprise org. */
static int add_demand(struct db *db, struct demo_rng *rng, json_t *p, const char *field,
                      const char *chain, const struct dorg *org, const char *status,
                      const char *conf, bool thin)
{
    json_t *d = json_pack(
        "{s:I,s:s,s:s,s:O,s:O,s:O,s:s,s:s,s:s}", "org_id", (json_int_t)org->id, "region_code",
        org->region, "title", json_string_value(json_object_get(p, "title")), "problem",
        json_object_get(p, "problem"), "keywords", json_object_get(p, "keywords"), "coop_modes",
        json_object_get(p, "coop_modes"), "chain", chain, "field", field, "confidentiality", conf);
    if (demo_rng_below(rng, 10) < 8)
        json_object_set(d, "existing", json_object_get(p, "existing"));
    /* Indicators: all, or all but the last one. */
    json_t *ind = json_deep_copy(json_object_get(p, "indicators"));
    if (json_array_size(ind) > 2 && demo_rng_below(rng, 3) == 0)
        json_array_remove(ind, json_array_size(ind) - 1);
    json_t *b = json_object_get(p, "budget_wan");
    int64_t lo = json_integer_value(json_array_get(b, 0)),
            hi = json_integer_value(json_array_get(b, 1));
    int64_t max = (lo + (int64_t)demo_rng_below(rng, (uint32_t)(hi - lo + 1))) / 5 * 5;
    if (max < 5)
        max = 5;
    if (thin) {
        /* A draft still missing what blocks publishing (the gate shows it). */
        json_array_clear(ind);
        if (demo_rng_below(rng, 2))
            max = 0;
    }
    json_object_set_new(d, "indicators", ind);
    if (max) {
        json_object_set_new(d, "budget_max_fen", json_integer(max * WAN));
        if (demo_rng_below(rng, 3))
            json_object_set_new(d, "budget_min_fen", json_integer(max * WAN * 6 / 10));
    }
    int64_t created = CAL_START + (int64_t)demo_rng_below(rng, (uint32_t)(CAL_SPAN / 60)) * 60;
    char deadline[11];
    int64_t dl = created + (180 + (int64_t)demo_rng_below(rng, 540)) * 86400;
    time_t t = (time_t)dl;
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(deadline, sizeof(deadline), "%Y-%m-%d", &tm);
    json_object_set_new(d, "deadline", json_string(deadline));
    char contact[32];
    person_name(rng, contact, sizeof(contact));
    json_object_set_new(d, "contact_name", json_string(contact));
    char phone[16];
    snprintf(phone, sizeof(phone), "1%u%08u", 3 + demo_rng_below(rng, 7),
             demo_rng_below(rng, 100000000));
    json_object_set_new(d, "contact_phone", json_string(phone));
    struct demand_quality q;
    demand_quality(d, &q);
    if (strcmp(status, "draft") != 0 && q.n_gate)
        status = "draft";
    int64_t id = 0;
    int rc = demand_insert(db, d, q.score, 0, &id);
    if (!rc)
        rc = db_run(db_query(db,
                             "UPDATE demands SET status=?, created_at=?, updated_at=?, "
                             "published_at = CASE WHEN ? <> 'draft' THEN ? END, "
                             "closed_at = CASE WHEN ? = 'closed' THEN ? END WHERE id=?",
                             "siisisii", status, created, created + 3600, status, created + 3600,
                             status, created + 90 * 86400, id));
    if (!rc) {
        struct audit_ctx ctx = {0, "demo", "-"};
        json_t *after = NULL;
        rc = demand_get(db, NULL, id, &after);
        if (rc == KC_ERR_NOT_FOUND) {
            /* not public: read it as an administrator would */
            struct auth_user admin = {.role = auth_role("admin")};
            auth_scope_for(&admin);
            rc = demand_get(db, &admin, id, &after);
        }
        if (!rc)
            rc = audit_write(db, &ctx, "create", "demand", id, NULL, after);
        json_decref(after);
    }
    json_decref(d);
    return rc;
}

/* Generates ~11 demands per chain from its family's problems, by enterprises of its
 * region, plus the demo accounts' own demands. */
static int gen_demands(struct db *db, struct demo_rng *rng, const struct dorgs *ent)
{
    const struct asset *a = asset_find(assets_data, assets_data_count, "data/market/demands.json");
    if (!a)
        return KC_ERR_IO;
    json_t *tmpl = json_loadb((const char *)a->data, a->len, 0, NULL);
    if (!tmpl)
        return KC_ERR_INVALID;
    int rc = 0;
    static const char *const conf[] = {"public", "members", "brokers_only"};
    static const int conf_w[] = {70, 20, 10};
    static const char *const status[] = {"draft", "published", "matched", "closed"};
    static const int status_w[] = {8, 72, 12, 8};
    struct dorg *pool = xmalloc((ent->n ? ent->n : 1) * sizeof(*pool));
    for (size_t c = 0; rc == 0 && c < N_CHAINS; c++) {
        const struct chain_def *cd = &chain_defs[c];
        json_t *fam = family_problems(tmpl, cd->fam);
        json_t *probs = json_object_get(fam, "problems");
        size_t np = json_array_size(probs);
        /* Enterprises of the chain's region (a city's counties, or one county). */
        size_t n = 0;
        bool city = strcmp(cd->region + 4, "00") == 0;
        for (size_t i = 0; i < ent->n; i++)
            if (city ? strncmp(ent->v[i].region, cd->region, 4) == 0
                     : strcmp(ent->v[i].region, cd->region) == 0)
                pool[n++] = ent->v[i];
        if (!np || !n)
            continue;
        int count = 10 + (int)demo_rng_below(rng, 4);
        uint32_t start = demo_rng_below(rng, (uint32_t)np);
        for (int k = 0; rc == 0 && k < count; k++) {
            json_t *p = json_array_get(probs, (start + (uint32_t)k) % np);
            const char *st = status[weighted(rng, status_w, 4)];
            bool thin = strcmp(st, "draft") == 0 && demo_rng_below(rng, 2);
            rc = add_demand(db, rng, p, json_string_value(json_object_get(fam, "field")), cd->code,
                            &pool[demo_rng_below(rng, (uint32_t)n)], st,
                            conf[weighted(rng, conf_w, 3)], thin);
        }
    }
    /* The demo enterprises' own: published public, members-only, an incomplete draft;
     * and a brokers-only one for the second firm. */
    static const struct {
        const char *key, *chain, *status,
            *conf;       /* account anchor, chain, status, confidentiality */
        enum family fam; /* problem family */
        int problem;     /* index in the family */
        bool thin;       /* leave the gate fields out */
    } own[] = {
        {"ent_nanhu", "JX-AUTO-PARTS", "published", "public", F_AUTO, 0, false},
        {"ent_nanhu", "JX-SMART-EQUIP", "published", "members", F_EQUIP, 3, false},
        {"ent_nanhu", "JX-NEW-MATERIAL", "draft", "public", F_MATERIAL, 0, true},
        {"ent_xiuzhou", "JX-ELECTRONIC", "published", "brokers_only", F_ELEC, 3, false},
        {"ent_xiuzhou", "JX-NEW-ENERGY", "published", "public", F_ENERGY, 0, false},
    };
    for (size_t i = 0; rc == 0 && i < sizeof(own) / sizeof(own[0]); i++) {
        int64_t org = demo_anchor_org(own[i].key);
        if (!org)
            continue;
        struct dorg o = {.id = org};
        snprintf(o.region, sizeof(o.region), "%s",
                 strcmp(own[i].key, "ent_nanhu") == 0 ? "330402" : "330411");
        json_t *fam = family_problems(tmpl, own[i].fam);
        json_t *p = json_array_get(json_object_get(fam, "problems"), (size_t)own[i].problem);
        rc = add_demand(db, rng, p, json_string_value(json_object_get(fam, "field")), own[i].chain,
                        &o, own[i].status, own[i].conf, own[i].thin);
    }
    free(pool);
    json_decref(tmpl);
    return rc;
}

/* Inserts about a hundred experts: institutions' researchers and firms' engineers,
 * each with a discipline, its technology field and keywords from the corpus papers
 * of that discipline. */
static int gen_experts(struct db *db, struct demo_rng *rng, const struct corpus *c,
                       const struct dorgs *inst, const struct dorgs *ent)
{
    static const char *const titles_inst[] = {"教授", "研究员", "副教授", "副研究员", "高级工程师"};
    static const char *const titles_ent[] = {"正高级工程师", "高级工程师", "技术总监", "总工程师"};
    size_t nd = sizeof(disc_fields) / sizeof(disc_fields[0]);
    /* Papers per technical discipline, to draw keywords from. */
    size_t *idx = xmalloc((c->n ? c->n : 1) * sizeof(*idx));
    int rc = 0;
    for (int e = 0; rc == 0 && e < N_EXPERTS; e++) {
        bool from_inst = inst->n && (demo_rng_below(rng, 4) < 3 || !ent->n);
        /* Engineers of firms work in the industrial fields; researchers in any. */
        size_t di;
        do
            di = demo_rng_below(rng, (uint32_t)nd);
        while (!from_inst && field_family(disc_fields[di].field) == F_N);
        const char *disc = disc_fields[di].discipline, *field = disc_fields[di].field;
        size_t n = 0;
        for (size_t i = 0; i < c->n; i++)
            if (c->r[i].discipline && strcmp(c->r[i].discipline, disc) == 0 && c->r[i].n_kw > 0)
                idx[n++] = i;
        const struct dorg *org = from_inst ? &inst->v[demo_rng_below(rng, (uint32_t)inst->n)]
                                           : &ent->v[demo_rng_below(rng, (uint32_t)ent->n)];
        char name[32];
        person_name(rng, name, sizeof(name));
        json_t *kw = json_array();
        struct buf bio = {0};
        for (int k = 0; n && k < 6 && json_array_size(kw) < 5; k++) {
            const struct corpus_rec *p = &c->r[idx[demo_rng_below(rng, (uint32_t)n)]];
            const char *w = p->kw[demo_rng_below(rng, (uint32_t)p->n_kw)];
            bool dup = strlen(w) > 60;
            for (size_t j = 0; j < json_array_size(kw) && !dup; j++)
                dup = strcmp(json_string_value(json_array_get(kw, j)), w) == 0;
            if (!dup)
                json_array_append_new(kw, json_string(w));
        }
        buf_printf(&bio, "长期从事%s领域研究与工程应用，研究方向包括", disc);
        for (size_t j = 0; j < json_array_size(kw); j++)
            buf_printf(&bio, "%s%s", j ? "、" : "", json_string_value(json_array_get(kw, j)));
        buf_printf(&bio,
                   "。主持或参与国家及省部级科研项目 %u 项，授权发明专利 %u 件，"
                   "为企业提供技术咨询与攻关服务。",
                   2 + demo_rng_below(rng, 12), 1 + demo_rng_below(rng, 20));
        const char *title =
            from_inst ? titles_inst[demo_rng_below(rng, 5)] : titles_ent[demo_rng_below(rng, 4)];
        json_t *x = json_pack("{s:s,s:s,s:I,s:s,s:[s,s],s:o,s:s}", "name", name, "title", title,
                              "org_id", (json_int_t)org->id, "region_code", org->region, "fields",
                              field, disc, "keywords", kw, "bio", buf_str(&bio));
        char email[64];
        snprintf(email, sizeof(email), "expert%03d@example.org", e + 1);
        json_object_set_new(x, "email", json_string(email));
        int64_t id = 0;
        rc = expert_insert(db, x, 0, &id);
        if (!rc) {
            struct audit_ctx ctx = {0, "demo", "-"};
            rc = audit_write(db, &ctx, "create", "expert", id, NULL, x);
        }
        json_decref(x);
        buf_free(&bio);
    }
    free(idx);
    return rc;
}

int demo_market(struct db *db)
{
    struct demo_rng rng;
    demo_rng_seed(&rng, MARKET_SEED);
    struct corpus c = {0};
    struct dorgs inst = {0}, ent = {0};
    int rc = add_chains(db);
    if (!rc)
        rc = corpus_load(NULL, &c);
    if (!rc)
        rc = load_orgs(db,
                       "SELECT id, region_code FROM orgs WHERE kind IN ('university', 'institute', "
                       "'new_rd_institution') ORDER BY id",
                       &inst);
    if (!rc)
        rc = load_orgs(db, "SELECT id, region_code FROM orgs WHERE kind = 'enterprise' ORDER BY id",
                       &ent);
    if (!rc)
        rc = gen_achievements(db, &rng, &c, &inst);
    if (!rc)
        rc = gen_demands(db, &rng, &ent);
    if (!rc)
        rc = gen_experts(db, &rng, &c, &inst, &ent);
    free(inst.v);
    free(ent.v);
    corpus_free(&c);
    return rc;
}
