/* demo_deals.c — demo data of matches, contracts and roadshows (issue 4).
 * Called by demo_load inside its transaction after demo_market (cli/demo.h).
 *
 * Deterministic (fixed seed, fixed calendar): registered technology contracts of the four
 * seed cities from 2024-01 to 2026-10 with a plausible type mix (技术服务 and 技术开发 most
 * often, 转让/许可 rarer, 技术许可 only under the 2026 rules) and amounts from a few 万元
 * to tens of millions of 元, and roadshows per city. The data is fictitious and scaled
 * down: one demo city registers ~150 contracts a year, far fewer than a real one. */
#include "cli/demo.h"
#include "core/timeutil.h"
#include "db/db.h"
#include "domain/contract_types.h"
#include "domain/demo_gen.h"
#include "store/audit.h"
#include "store/contract.h"
#include "store/roadshow.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#define DEALS_SEED 20260124u
#define CONTRACTS_PER_CITY_MONTH 12 /* at most; the draw keeps ~150 a year */
#define MAX_ORGS 512

/* A seed city with its registration-number prefix (province + city + 登记点 01). */
struct deal_city {
    const char *code;  /* prefecture code */
    const char *name;  /* city name */
    const char *regno; /* digits 5–10 of its registration numbers */
    const char *chain; /* a chain of the city for its roadshows */
};

static const struct deal_city deal_cities[] = {
    {"330400", "嘉兴", "330401", "JX-135N"},
    {"331000", "台州", "331001", "TZ-PUMP-MOTOR"},
    {"331100", "丽水", "331101", "LS-331102-1"},
    {"321000", "扬州", "321001", "YZ-613"},
};

/* Technology subjects for contract titles, typical of the seed cities' chains. */
static const char *const subjects[] = {
    "新能源汽车驱动电机控制",  "高效节能离心泵水力模型", "高压阀门密封结构",
    "原料药连续流合成工艺",    "高性能改性聚丙烯材料",   "智能马桶水路控制",
    "光伏组件封装胶膜",        "工业机器人视觉检测",     "锂电池极片涂布",
    "生物基可降解材料",        "数控机床热误差补偿",     "中药饮片质量追溯",
    "印染废水深度处理",        "5G 介质滤波器",          "功率半导体模块封装",
    "船用低速柴油机焊接",      "汽车轻量化铝合金压铸",   "竹木复合材料改性",
    "茶叶精深加工",            "食用菌工厂化栽培",       "精密轴承热处理",
    "电机能效在线监测",        "农药中间体绿色合成",     "户外家具防腐涂层"};

/* One weighted contract kind: type, sub-type, title suffix and the share of the
 * contract value that is technology (percent range). */
struct kind {
    const char *type, *subtype, *suffix;
    unsigned weight_2001, weight_2026; /* relative frequency under each rule set */
    unsigned tech_min, tech_max;       /* 技术交易额 as % of 合同成交额 */
};

static const struct kind kinds[] = {
    {"development", "entrusted", "关键技术委托开发", 20, 20, 75, 100},
    {"development", "cooperative", "联合攻关合作开发", 10, 10, 70, 100},
    {"transfer", "patent_right", "发明专利权转让", 4, 4, 100, 100},
    {"transfer", "patent_application_right", "专利申请权转让", 1, 1, 100, 100},
    {"transfer", "patent_license", "专利实施许可", 3, 0, 100, 100},
    {"license", "patent_license", "专利实施许可", 0, 3, 100, 100},
    {"transfer", "know_how", "技术秘密转让", 2, 2, 90, 100},
    {"consulting", NULL, "技术可行性论证咨询", 8, 8, 100, 100},
    {"service", "service", "技术服务", 40, 40, 55, 95},
    {"service", "training", "技术培训", 4, 4, 80, 100},
    {"service", "intermediary", "技术中介服务", 3, 3, 100, 100},
};

/* Organisation ids of one city: sellers (institutions, providers and enterprises) and
 * buyers (enterprises). */
struct city_orgs {
    int64_t seller[MAX_ORGS];
    size_t n_seller;
    int64_t buyer[MAX_ORGS];
    size_t n_buyer;
};

/* Collects the organisations under a prefecture (prefix = its first 4 digits). */
static int load_orgs(struct db *db, const char *city, struct city_orgs *o)
{
    memset(o, 0, sizeof(*o));
    char lo[5], hi[5];
    snprintf(lo, sizeof(lo), "%.4s", city);
    snprintf(hi, sizeof(hi), "%.4s", city);
    hi[3]++;
    struct db_stmt *st = db_query(db,
                                  "SELECT id, kind FROM orgs WHERE region_code >= ? AND "
                                  "region_code < ? AND kind <> 'bureau' ORDER BY id",
                                  "ss", lo, hi);
    if (!st)
        return KC_ERR_DB;
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        int64_t id = db_col_int(st, 0);
        const char *kind = db_col_text(st, 1);
        bool ent = strcmp(kind, "enterprise") == 0;
        if (o->n_seller < MAX_ORGS)
            o->seller[o->n_seller++] = id;
        if (ent && o->n_buyer < MAX_ORGS)
            o->buyer[o->n_buyer++] = id;
    }
    db_done(st);
    return rc < 0 ? rc : 0;
}

/* A contract value in 分, from brackets weighted towards small contracts (3万–10万元 most
 * often, 1000万–5000万元 rarely), uniform in 100 元 steps inside a bracket. Integer only, so
 * every platform draws the same values. */
static int64_t draw_amount(struct demo_rng *rng)
{
    static const struct {
        int64_t lo, hi; /* 元 */
        unsigned weight;
    } brackets[] = {{30000, 100000, 30},
                    {100000, 500000, 30},
                    {500000, 2000000, 22},
                    {2000000, 10000000, 13},
                    {10000000, 50000000, 5}};
    unsigned pick = demo_rng_below(rng, 100), b = 0;
    while (b + 1 < sizeof(brackets) / sizeof(brackets[0]) && pick >= brackets[b].weight)
        pick -= brackets[b++].weight;
    uint32_t steps = (uint32_t)((brackets[b].hi - brackets[b].lo) / 100);
    int64_t yuan = brackets[b].lo + (int64_t)demo_rng_below(rng, steps) * 100;
    return yuan * 100;
}

/* Picks a kind by the weights of the rule set in force. */
static const struct kind *draw_kind(struct demo_rng *rng, bool rules_2026)
{
    unsigned total = 0;
    for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
        total += rules_2026 ? kinds[i].weight_2026 : kinds[i].weight_2001;
    unsigned pick = demo_rng_below(rng, total);
    for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
        unsigned w = rules_2026 ? kinds[i].weight_2026 : kinds[i].weight_2001;
        if (pick < w)
            return &kinds[i];
        pick -= w;
    }
    return &kinds[0];
}

/* Inserts one contract through the store and audits it as the demo. */
static int add_contract(struct db *db, json_t *o)
{
    int64_t id = 0;
    int rc = contract_insert(db, o, 0, &id);
    if (rc)
        return rc;
    struct scope all = {"", "~", 0};
    json_t *after = NULL;
    rc = contract_get(db, &all, contract_types_labels_json(false), id, &after);
    struct audit_ctx ctx = {0, "demo", "-"};
    if (!rc)
        rc = audit_write(db, &ctx, "create", "contract", id, NULL, after);
    json_decref(after);
    return rc;
}

/* The region of an organisation into out[7]. */
static int org_region(struct db *db, int64_t id, char out[7])
{
    struct db_stmt *st = db_query(db, "SELECT region_code FROM orgs WHERE id = ?", "i", id);
    if (!st)
        return KC_ERR_DB;
    int rc = db_step(st);
    if (rc == DB_ROW)
        snprintf(out, 7, "%s", db_col_text(st, 0));
    db_done(st);
    return rc == DB_ROW ? 0 : KC_ERR_NOT_FOUND;
}

/* Generates the contracts of one city, month by month from 2024-01 to 2026-10. */
static int gen_city_contracts(struct db *db, struct demo_rng *rng, const struct deal_city *c,
                              const struct city_orgs *o, const struct city_orgs *all_buyers)
{
    if (o->n_seller < 2 || o->n_buyer < 1)
        return 0;
    int rc = 0;
    unsigned seq[3] = {0, 0, 0};
    for (int ym = 2024 * 12; rc == 0 && ym <= 2026 * 12 + 9; ym++) {
        int year = ym / 12, month = ym % 12 + 1;
        /* 8–16 contracts a month, more towards year end (as registrations are). */
        unsigned n = 8 + demo_rng_below(rng, 5) + (month >= 11 ? 4u : 0u);
        if (n > CONTRACTS_PER_CITY_MONTH + 4)
            n = CONTRACTS_PER_CITY_MONTH + 4;
        for (unsigned k = 0; rc == 0 && k < n; k++) {
            unsigned reg_day = 1 + demo_rng_below(rng, 28);
            unsigned lag = demo_rng_below(rng, 40); /* days between signing and registration */
            int64_t reg_t = 0;
            char reg_on[11], signed_on[11];
            snprintf(reg_on, sizeof(reg_on), "%04d-%02d-%02u", year, month, reg_day);
            if (time_parse_date(reg_on, &reg_t) != 0)
                return KC_ERR_INVALID;
            time_t st = (time_t)(reg_t - (int64_t)lag * 86400);
            struct tm tm;
            gmtime_r(&st, &tm);
            strftime(signed_on, sizeof(signed_on), "%Y-%m-%d", &tm);
            const struct contract_ruleset *rs = contract_types_for_date(signed_on);
            if (!rs)
                return KC_ERR_INVALID;
            bool r26 = strcmp(rs->id, "contract-2026") == 0;
            const struct kind *kd = draw_kind(rng, r26);
            int64_t seller = o->seller[demo_rng_below(rng, (uint32_t)o->n_seller)];
            /* Most buyers are local; one in five comes from another seed city. */
            const struct city_orgs *bsrc = demo_rng_below(rng, 5) == 0 ? all_buyers : o;
            int64_t buyer = bsrc->buyer[demo_rng_below(rng, (uint32_t)bsrc->n_buyer)];
            if (buyer == seller)
                buyer = o->buyer[(demo_rng_below(rng, (uint32_t)o->n_buyer))];
            if (buyer == seller)
                continue;
            int64_t amount = draw_amount(rng);
            unsigned pct = kd->tech_min + demo_rng_below(rng, kd->tech_max - kd->tech_min + 1);
            int64_t tech = amount / 100 * pct; /* exact: amount is a multiple of 100 分 */
            char regno[17], title[160], region[7];
            snprintf(regno, sizeof(regno), "%04d%s%06u", year, c->regno,
                     ++seq[year - 2024] % 1000000u);
            snprintf(title, sizeof(title), "%s%s",
                     subjects[demo_rng_below(rng, sizeof(subjects) / sizeof(subjects[0]))],
                     kd->suffix);
            rc = org_region(db, seller, region);
            if (rc)
                break;
            json_t *j = json_pack("{s:s,s:s,s:s,s:I,s:I,s:I,s:I,s:s,s:s,s:s,s:s}", "title",
                                  title, "rule_set", rs->id, "type", kd->type, "seller_org_id",
                                  (json_int_t)seller, "buyer_org_id", (json_int_t)buyer,
                                  "contract_amount_fen", (json_int_t)amount, "tech_amount_fen",
                                  (json_int_t)tech, "signed_on", signed_on, "registration_no",
                                  regno, "registered_on", reg_on, "region_code", region);
            if (kd->subtype)
                json_object_set_new(j, "subtype", json_string(kd->subtype));
            rc = add_contract(db, j);
            json_decref(j);
        }
    }
    return rc;
}

/* Inserts one roadshow through the store and audits it as the demo. */
static int add_roadshow(struct db *db, json_t *o)
{
    int64_t id = 0;
    int rc = roadshow_insert(db, o, 0, &id);
    struct scope all = {"", "~", 0};
    json_t *after = NULL;
    if (!rc)
        rc = roadshow_get(db, &all, id, &after);
    struct audit_ctx ctx = {0, "demo", "-"};
    if (!rc)
        rc = audit_write(db, &ctx, "create", "roadshow", id, NULL, after);
    json_decref(after);
    return rc;
}

/* Up to n achievement ids of the chain (or any, when the chain has none), in id order
 * from a random start. */
static json_t *pick_achievements(struct db *db, struct demo_rng *rng, const char *chain,
                                 unsigned n)
{
    json_t *a = json_array();
    int64_t total = 0;
    if (db_scalar(db_query(db, "SELECT count(*) FROM achievements WHERE chain = ?", "s", chain),
                  &total) != 0)
        return a;
    const char *sql = total > 0 ? "SELECT id FROM achievements WHERE chain = ? ORDER BY id "
                                  "LIMIT ? OFFSET ?"
                                : "SELECT id FROM achievements WHERE ? IS NOT NULL ORDER BY id "
                                  "LIMIT ? OFFSET ?";
    if (total == 0 &&
        db_scalar(db_prep(db, "SELECT count(*) FROM achievements"), &total) != 0)
        return a;
    if (total == 0)
        return a;
    int64_t off = total > n ? demo_rng_below(rng, (uint32_t)(total - n)) : 0;
    struct db_stmt *st = db_query(db, sql, "sii", chain, (int64_t)n, off);
    while (st && db_step(st) == DB_ROW)
        json_array_append_new(a, json_integer(db_col_int(st, 0)));
    if (st)
        db_done(st);
    return a;
}

/* Two roadshows per city: one in spring 2025, one in autumn 2026. */
static int gen_roadshows(struct db *db, struct demo_rng *rng, const struct deal_city *c,
                         const struct city_orgs *o)
{
    static const char *const when[] = {"2025-04-18", "2026-09-23"};
    static const char *const what[] = {"科技成果转化对接会", "产业链技术需求与成果推介会"};
    int rc = 0;
    for (int i = 0; rc == 0 && i < 2; i++) {
        char title[160], venue[160];
        snprintf(title, sizeof(title), "%s%s年%s", c->name, i == 0 ? "2025" : "2026", what[i]);
        snprintf(venue, sizeof(venue), "%s市科技大市场路演厅", c->name);
        json_t *att = json_array();
        for (unsigned k = 0, n = 6 + demo_rng_below(rng, 6); k < n && o->n_buyer; k++) {
            int64_t id = o->buyer[demo_rng_below(rng, (uint32_t)o->n_buyer)];
            json_array_append_new(att, json_integer(id));
        }
        json_t *j = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:o,s:o}", "title", title, "held_on",
                              when[i], "chain", c->chain, "region_code", c->code, "venue", venue,
                              "description",
                              "发布产业链共性技术需求，高校院所路演推介科技成果，现场登记对接意向。",
                              "achievement_ids", pick_achievements(db, rng, c->chain, 8),
                              "attendee_org_ids", att);
        rc = add_roadshow(db, j);
        json_decref(j);
    }
    return rc;
}

int demo_deals(struct db *db)
{
    int rc = contract_types_load();
    if (rc)
        return rc;
    struct demo_rng rng;
    demo_rng_seed(&rng, DEALS_SEED);
    static struct city_orgs orgs[4], everyone;
    memset(&everyone, 0, sizeof(everyone));
    for (size_t i = 0; rc == 0 && i < 4; i++) {
        rc = load_orgs(db, deal_cities[i].code, &orgs[i]);
        for (size_t k = 0; k < orgs[i].n_buyer && everyone.n_buyer < MAX_ORGS; k++)
            everyone.buyer[everyone.n_buyer++] = orgs[i].buyer[k];
    }
    for (size_t i = 0; rc == 0 && i < 4; i++)
        rc = gen_city_contracts(db, &rng, &deal_cities[i], &orgs[i], &everyone);
    for (size_t i = 0; rc == 0 && i < 4; i++)
        rc = gen_roadshows(db, &rng, &deal_cities[i], &orgs[i]);
    return rc;
}
