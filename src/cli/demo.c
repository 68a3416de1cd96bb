/*
 * demo.c — the demo data: deterministic organisations (fixed seed) across the four
 * seed cities (嘉兴, 台州, 丽水, 扬州) and random-password accounts for every role.
 */
#include "cli/demo.h"
#include "core/timeutil.h"
#include "core/uscc.h"
#include "crypto/password.h"
#include "crypto/token.h"
#include "db/db.h"
#include "domain/demo_gen.h"
#include "store/audit.h"
#include "store/org.h"
#include "store/user.h"

#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define DEMO_SEED 20241124u
#define ORGS_PER_COUNTY 12

/* A seed city. */
struct city {
    const char *code;  /* prefecture code */
    const char *short_; /* short name used in organisation names */
};

static const struct city cities[] = {
    {"330400", "嘉兴"}, {"331000", "台州"}, {"331100", "丽水"}, {"321000", "扬州"}};

/* A demo account. org_key names an anchor organisation ("" = none). */
struct account {
    const char *username, *display_name, *role, *region, *org_key;
};

static const struct account accounts[] = {
    {"admin", "平台管理员", "admin", "000000", ""},
    {"city_jiaxing", "嘉兴市科技局", "city_officer", "330400", ""},
    {"city_taizhou", "台州市科技局", "city_officer", "331000", ""},
    {"city_lishui", "丽水市科技局", "city_officer", "331100", ""},
    {"city_yangzhou", "扬州市科技局", "city_officer", "321000", ""},
    {"county_nanhu", "南湖区科技局", "county_officer", "330402", ""},
    {"county_xiuzhou", "秀洲区科技局", "county_officer", "330411", ""},
    {"county_wenling", "温岭市科技局", "county_officer", "331081", ""},
    {"county_yuhuan", "玉环市科技局", "county_officer", "331083", ""},
    {"county_liandu", "莲都区科技局", "county_officer", "331102", ""},
    {"county_hanjiang", "邗江区科技局", "county_officer", "321003", ""},
    {"ent_nanhu", "南湖企业用户", "enterprise", "330402", "ent_nanhu"},
    {"ent_xiuzhou", "秀洲企业用户", "enterprise", "330411", "ent_xiuzhou"},
    {"inst_jiaxing", "嘉兴高校用户", "institution", "330402", "inst_jiaxing"},
    {"provider_taizhou", "台州检测机构用户", "provider", "331002", "provider_taizhou"},
    {"broker_jiaxing", "嘉兴技术经纪人", "broker", "330400", ""},
    {"expert_lishui", "丽水评审专家", "expert", "331102", "expert_lishui"},
};

/* Anchor organisations the bound accounts belong to. */
struct anchor {
    const char *key, *kind, *region, *section;
    int64_t id; /* filled when inserted */
};

static struct anchor anchors[] = {
    {"ent_nanhu", "enterprise", "330402", "C", 0},
    {"ent_xiuzhou", "enterprise", "330411", "C", 0},
    {"inst_jiaxing", "university", "330402", "P", 0},
    {"provider_taizhou", "service_provider", "331002", "M", 0},
    {"expert_lishui", "institute", "331102", "M", 0},
};

int64_t demo_anchor_org(const char *key)
{
    for (size_t a = 0; a < sizeof(anchors) / sizeof(anchors[0]); a++)
        if (strcmp(anchors[a].key, key) == 0)
            return anchors[a].id;
    return 0;
}

/* Kinds of the generated organisations with their weights (of 20) and the GB/T 4754
 * section they usually belong to. */
static const struct {
    const char *kind;
    int weight;
    char section;
} kinds[] = {{"enterprise", 15, 'C'},         {"university", 1, 'P'},
             {"institute", 1, 'M'},           {"new_rd_institution", 1, 'M'},
             {"service_provider", 1, 'M'},    {"carrier_operator", 1, 'M'}};

/* Manufacturing divisions typical of the seed cities (autos, pumps, pharma, plastics,
 * furniture, electrical machinery, electronics, materials). */
static const char *mfg_divisions[] = {"C36", "C34", "C27", "C29", "C21", "C38",
                                      "C39", "C26", "C33", "C35", "C30", "C40"};

/* Turns a generated enterprise USCC into an organ's (机关, "11") with a valid check. */
static void to_bureau_uscc(char uscc[19])
{
    uscc[0] = '1';
    uscc[1] = '1';
    uscc[17] = uscc_check_char(uscc);
}

/* Inserts an organisation and audits it as the system. */
static int add_org(struct db *db, const char *kind, const char *name, const char *uscc,
                   const char *region, const char *industry, json_t *chains, int64_t *id)
{
    json_t *o = json_pack("{s:s,s:s,s:s,s:s}", "kind", kind, "name", name, "uscc", uscc,
                          "region_code", region);
    if (industry)
        json_object_set_new(o, "industry_code", json_string(industry));
    if (chains)
        json_object_set(o, "chains", chains);
    int rc = org_insert(db, o, id);
    json_decref(o);
    if (rc)
        return rc;
    struct audit_ctx ctx = {0, "demo", "-"};
    struct scope all = {"", "~", 0};
    json_t *after = NULL;
    rc = org_get(db, &all, *id, &after);
    if (!rc)
        rc = audit_write(db, &ctx, "create", "org", *id, NULL, after);
    json_decref(after);
    return rc;
}

/* Short name of a county: strips the 区/县/市 suffix when the rest has ≥ 2 characters. */
static void county_short(const char *name, char *out, size_t cap)
{
    snprintf(out, cap, "%s", name);
    size_t n = strlen(out);
    static const char *suffixes[] = {"自治县", "区", "县", "市"};
    for (size_t i = 0; i < 4; i++) {
        size_t sl = strlen(suffixes[i]);
        if (n > sl + 3 && strcmp(out + n - sl, suffixes[i]) == 0) {
            out[n - sl] = '\0';
            return;
        }
    }
}

/* Picks a chain code for an organisation in county region of city: 丽水 has one chain
 * per county, the other cities city-wide chains. Returns a new JSON array. */
static json_t *pick_chains(struct db *db, struct demo_rng *rng, const char *city,
                           const char *county)
{
    json_t *a = json_array();
    const char *code_sql = "SELECT code FROM chains WHERE region_code IN (?, ?) ORDER BY id";
    struct db_stmt *st = db_query(db, code_sql, "ss", city, county);
    char codes[32][33];
    int n = 0;
    while (st && n < 32 && db_step(st) == DB_ROW)
        snprintf(codes[n++], 33, "%s", db_col_text(st, 0));
    if (st)
        db_done(st);
    if (n > 0 && demo_rng_below(rng, 4) != 0)
        json_array_append_new(a, json_string(codes[demo_rng_below(rng, (uint32_t)n)]));
    return a;
}

/* Generates the organisations of one county. */
static int gen_county(struct db *db, struct demo_rng *rng, const struct city *c,
                      const char *county, const char *county_name)
{
    char short_[64], name[256], uscc[19];
    county_short(county_name, short_, sizeof(short_));
    int64_t id;
    /* The county's science and technology bureau. */
    snprintf(name, sizeof(name), "%s市%s科学技术局", c->short_, county_name);
    demo_uscc(rng, county, uscc);
    to_bureau_uscc(uscc);
    int rc = add_org(db, "bureau", name, uscc, county, "S", NULL, &id);
    for (size_t a = 0; rc == 0 && a < sizeof(anchors) / sizeof(anchors[0]); a++) {
        if (strcmp(anchors[a].region, county) != 0)
            continue;
        const char *word = demo_industry_word(rng, anchors[a].section[0]);
        if (demo_org_name(rng, anchors[a].kind, c->short_, short_, word, name, sizeof(name)))
            return KC_ERR_INVALID;
        demo_uscc(rng, county, uscc);
        const char *ind = strcmp(anchors[a].kind, "enterprise") == 0 ? "C36"
                          : strcmp(anchors[a].kind, "university") == 0 ? "P"
                                                                       : "M";
        json_t *ch = pick_chains(db, rng, c->code, county);
        rc = add_org(db, anchors[a].kind, name, uscc, county, ind, ch, &anchors[a].id);
        json_decref(ch);
    }
    for (int i = 0; rc == 0 && i < ORGS_PER_COUNTY; i++) {
        uint32_t pick = demo_rng_below(rng, 20), acc = 0;
        size_t k = 0;
        while (k + 1 < sizeof(kinds) / sizeof(kinds[0]) && pick >= acc + (uint32_t)kinds[k].weight)
            acc += (uint32_t)kinds[k++].weight;
        const char *industry = kinds[k].section == 'C'
                                   ? mfg_divisions[demo_rng_below(rng, 12)]
                                   : (kinds[k].section == 'P' ? "P" : "M");
        const char *word = demo_industry_word(rng, kinds[k].section);
        if (demo_org_name(rng, kinds[k].kind, c->short_, short_, word, name, sizeof(name)))
            return KC_ERR_INVALID;
        demo_uscc(rng, county, uscc);
        json_t *ch = kinds[k].section == 'C' ? pick_chains(db, rng, c->code, county) : NULL;
        rc = add_org(db, kinds[k].kind, name, uscc, county, industry, ch, &id);
        json_decref(ch);
        if (rc == KC_ERR_CONFLICT) /* a repeated name+code draw: skip it */
            rc = 0;
    }
    return rc;
}

/* Generates everything in one transaction. */
static int gen_orgs(struct db *db)
{
    struct demo_rng rng;
    demo_rng_seed(&rng, DEMO_SEED);
    int rc = 0;
    for (size_t ci = 0; rc == 0 && ci < sizeof(cities) / sizeof(cities[0]); ci++) {
        const struct city *c = &cities[ci];
        char name[128], uscc[19];
        int64_t id;
        snprintf(name, sizeof(name), "%s市科学技术局", c->short_);
        demo_uscc(&rng, c->code, uscc);
        to_bureau_uscc(uscc);
        rc = add_org(db, "bureau", name, uscc, c->code, "S", NULL, &id);
        /* Collect the counties first: the statement is reused while generating. */
        char codes[32][7], names[32][64];
        int n = 0;
        struct db_stmt *st = db_query(db,
                                      "SELECT code, name FROM regions WHERE parent_code=? "
                                      "ORDER BY code",
                                      "s", c->code);
        while (st && n < 32 && db_step(st) == DB_ROW) {
            snprintf(codes[n], 7, "%s", db_col_text(st, 0));
            snprintf(names[n], 64, "%s", db_col_text(st, 1));
            n++;
        }
        if (st)
            db_done(st);
        for (int i = 0; rc == 0 && i < n; i++)
            rc = gen_county(db, &rng, c, codes[i], names[i]);
    }
    return rc;
}

int demo_load(struct db *db, const char *accounts_path, int *loaded)
{
    *loaded = 0;
    int64_t users = 0;
    int rc = db_scalar(db_prep(db, "SELECT count(*) FROM users"), &users);
    if (rc || users > 0)
        return rc;
    for (size_t a = 0; a < sizeof(anchors) / sizeof(anchors[0]); a++)
        anchors[a].id = 0;
    rc = db_begin(db);
    if (!rc)
        rc = gen_orgs(db);
    if (!rc)
        rc = demo_ladder(db);
    if (!rc)
        rc = demo_market(db);
    if (!rc)
        rc = demo_deals(db);
    if (!rc)
        rc = demo_plans(db);
    if (!rc)
        rc = demo_assess(db);
    FILE *f = NULL;
    if (!rc) {
        int fd = open(accounts_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        f = fd >= 0 ? fdopen(fd, "w") : NULL;
        if (!f)
            rc = KC_ERR_IO;
    }
    if (f)
        fprintf(f, "# kechuang demo accounts — random passwords for this data directory only.\n"
                   "# username\tpassword\trole\tregion_code\n");
    struct audit_ctx ctx = {0, "demo", "-"};
    for (size_t i = 0; rc == 0 && i < sizeof(accounts) / sizeof(accounts[0]); i++) {
        const struct account *a = &accounts[i];
        int64_t org_id = 0, id = 0;
        for (size_t k = 0; k < sizeof(anchors) / sizeof(anchors[0]); k++)
            if (strcmp(anchors[k].key, a->org_key) == 0)
                org_id = anchors[k].id;
        char pw[17], hash[PASSWORD_HASH_MAX];
        token_password(pw, 16);
        rc = password_hash(pw, hash);
        if (!rc)
            rc = user_insert(db, &ctx, a->username, a->display_name, a->role, a->region, org_id,
                             hash, &id);
        if (!rc)
            fprintf(f, "%s\t%s\t%s\t%s\n", a->username, pw, a->role, a->region);
    }
    if (f && fclose(f) != 0 && !rc)
        rc = KC_ERR_IO;
    if (!rc)
        rc = db_commit(db);
    else
        db_rollback(db);
    if (rc)
        unlink(accounts_path);
    else
        *loaded = 1;
    return rc;
}
