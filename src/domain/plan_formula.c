/* plan_formula.c — the registry of computed-indicator formulas (see plan_formula.h). */
#include "domain/plan_formula.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

/* The registry, indexed by enum pf_id. */
static const struct pf_def defs[PF_COUNT] = {
    [PF_CERT_VALID_COUNT] =
        {"cert_valid_count",
         "有效证书企业数",
         "Enterprises with a valid certificate",
         "行政区内（产业链范围内）在统计日（当年12月31日；本年为当日）持有所列类型有效证书（发证日≤"
         "统计日≤有效期止）的企业数，同一企业只计一次",
         "Enterprises registered in the region (on the chain) holding a certificate of one of the "
         "kinds valid on the as-of date (31 December; today for the current year): issued_on <= "
         "date <= valid_to; each enterprise counts once",
         {"certifications", "orgs", NULL},
         true},
    [PF_CERT_ISSUED_COUNT] =
        {"cert_issued_count",
         "当年发证数",
         "Certificates issued in the year",
         "当年发给行政区内企业的所列类型证书张数；专精特新“小巨人”只计首次认定的企业",
         "Certificates of the kinds issued in the year to enterprises of the region; for SRDI "
         "little giants only an enterprise's first grant counts",
         {"certifications", "orgs", NULL},
         true},
    [PF_CONTRACT_VALUE_SUM] =
        {"contract_value_sum",
         "技术合同成交额",
         "Technology-contract turnover",
         "当年认定登记、卖方在行政区内的技术合同成交额之和（按指标单位换算）；产业链口径：买方或卖"
         "方在该产业链上",
         "Sum of the 成交额 of technology contracts registered in the year whose seller is in the "
         "region, in the indicator's unit; chain scope: the buyer or the seller is on the chain",
         {"contracts", "orgs", NULL},
         true},
    [PF_DEMAND_COUNT] = {"demand_count",
                         "已发布技术需求数",
                         "Published technology demands",
                         "统计日（当年12月31日；本年为当日）处于发布状态（已发布、已对接，或统计日"
                         "后才关闭）且标注该产业链、发布单位在行政区内的技术需求数",
                         "Technology demands tagged with the chain, posted in the region and "
                         "published on the as-of date (published or matched, or closed after it)",
                         {"demands", NULL, NULL},
                         true},
    [PF_ENTERPRISE_SHARE] =
        {"enterprise_share",
         "企业占比",
         "Share of enterprises",
         "行政区内当年年报数据满足条件的企业占总体的百分比；规上制造业 = "
         "行业门类C且主营业务收入（缺失时营业收入）≥2000万元；研发费用未填报的企业不计入分子分母",
         "% of a population of enterprises (above-scale manufacturers: section C with "
         "main-business revenue, else operating revenue, >= 20 million yuan) whose yearly record "
         "meets the condition; records with unknown R&D expense are left out of both",
         {"enterprise_years", "orgs", NULL},
         true},
    [PF_ENTERPRISE_COUNT] =
        {"enterprise_count",
         "企业数",
         "Enterprises",
         "行政区内（产业链上）当年收入达到门槛且年报满足条件的企业数（研发费用为0须为填报的0）",
         "Enterprises of the region (on the chain) with revenue at or above the threshold whose "
         "yearly record meets the condition (an R&D expense of 0 must be reported as 0)",
         {"enterprise_years", "orgs", NULL},
         true},
    [PF_ENTERPRISE_SUM] =
        {"enterprise_sum",
         "企业年报数据合计",
         "Sum of yearly data",
         "行政区内（产业链上）企业当年研发费用总额之和（按指标单位换算），未填报的不计",
         "Sum of the R&D expense of the enterprises of the region (on the chain) in the year, in "
         "the indicator's unit; unknown values are left out",
         {"enterprise_years", "orgs", NULL},
         true},
    [PF_ROADSHOW_COUNT] = {"roadshow_count",
                           "成果推介活动数",
                           "Roadshow events",
                           "当年行政区举办、面向该产业链的成果推介专场活动数",
                           "Roadshow events held in the year by the region for the chain",
                           {"roadshows", NULL, NULL},
                           true},
    [PF_PROJECT_COUNT] =
        {"project_count",
         "立项项目数",
         "Projects approved",
         "当年立项、牵头单位在行政区内的科技项目数（平台尚无项目库：按上报值）",
         "Science and technology projects approved in the year led by an organisation of the "
         "region (the platform holds no project records yet: reported values are used)",
         {"projects", NULL, NULL},
         false},
    [PF_CARRIER_COUNT] =
        {"carrier_count",
         "创新载体数",
         "Innovation carriers",
         "统计日行政区内已认定的所列类型和级别的创新载体数（平台尚无载体库：按上报值）",
         "Carriers of the kind and levels recognised in the region on the as-of date (the platform "
         "holds no carrier records yet: reported values are used)",
         {"carriers", NULL, NULL},
         false},
    [PF_CARRIER_NEW_COUNT] =
        {"carrier_new_count",
         "新认定创新载体数",
         "New innovation carriers",
         "当年首次认定的所列类型和级别的创新载体数（平台尚无载体库：按上报值）",
         "Carriers of the kind and levels first recognised in the year (the platform holds no "
         "carrier records yet: reported values are used)",
         {"carriers", NULL, NULL},
         false},
    [PF_CHAIN_CARRIER_COVERAGE] =
        {"chain_carrier_coverage",
         "产业链载体覆盖率",
         "Chain coverage by carriers",
         "行政区产业链中至少有一家该类载体服务的比例（平台尚无载体库：按上报值）",
         "% of the region's chains served by at least one recognised carrier of the kind (the "
         "platform holds no carrier records yet: reported values are used)",
         {"carriers", NULL, NULL},
         false},
};

/* Plan-file parameter names and database codes of the certificate kinds. */
static const char *const cert_param[PF_CERT_COUNT] = {
    "hnte", "tsme", "zj_tsme", "sci_giant", "sci_leader", "srdi_giant", "innov_sme", "srdi"};
static const char *const cert_db[PF_CERT_COUNT] = {
    "hnte",       "tsme",         "zj_tsme",   "sci_little_giant",
    "sci_leader", "little_giant", "innov_sme", "srdi"};

const struct pf_def *pf_def(enum pf_id id)
{
    return (unsigned)id < PF_COUNT ? &defs[id] : NULL;
}

bool pf_lookup(const char *formula, enum pf_id *out)
{
    for (int i = 0; formula && i < PF_COUNT; i++) {
        if (strcmp(defs[i].id, formula) == 0) {
            *out = (enum pf_id)i;
            return true;
        }
    }
    return false;
}

const char *pf_cert_code(enum pf_cert c)
{
    return (unsigned)c < PF_CERT_COUNT ? cert_db[c] : NULL;
}

bool pf_cert_from_code(const char *code, enum pf_cert *out)
{
    for (int i = 0; code && i < PF_CERT_COUNT; i++) {
        if (strcmp(cert_db[i], code) == 0) {
            *out = (enum pf_cert)i;
            return true;
        }
    }
    return false;
}

/* 分 per unit for money indicators; 0 for units that are not money. */
static double fen_per_unit(const char *unit)
{
    if (!unit)
        return 0;
    if (strcmp(unit, "亿元") == 0)
        return 1e10;
    if (strcmp(unit, "万元") == 0)
        return 1e6;
    if (strcmp(unit, "元") == 0)
        return 100;
    return 0;
}

/* Writes a reason into err and returns -1. */
static int bad(char *err, size_t errlen, const char *what)
{
    snprintf(err, errlen, "%s", what);
    return -1;
}

int pf_parse(const char *formula, const char *params_json, const char *unit, bool chain_scope,
             struct pf_spec *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof(*out));
    if (!pf_lookup(formula, &out->id))
        return bad(err, errlen, "formula: unknown formula");
    out->chain_scope = chain_scope;
    json_error_t je;
    json_t *p = params_json && *params_json ? json_loads(params_json, 0, &je) : json_object();
    if (!json_is_object(p)) {
        json_decref(p);
        return bad(err, errlen, "params: not a JSON object");
    }
    int rc = 0;
    const char *key;
    json_t *v;
    json_object_foreach(p, key, v)
    {
        if (strcmp(key, "cert") == 0 &&
            (out->id == PF_CERT_VALID_COUNT || out->id == PF_CERT_ISSUED_COUNT)) {
            size_t i;
            json_t *e;
            if (!json_is_array(v) || json_array_size(v) == 0)
                rc = bad(err, errlen, "params.cert: a non-empty array of certificate kinds");
            json_array_foreach(v, i, e)
            {
                int k = 0;
                while (k < PF_CERT_COUNT &&
                       !(json_is_string(e) && strcmp(json_string_value(e), cert_param[k]) == 0))
                    k++;
                if (k == PF_CERT_COUNT) {
                    rc = bad(err, errlen, "params.cert: unknown certificate kind");
                    break;
                }
                out->cert_mask |= 1u << k;
                if (k == PF_CERT_SRDI_GIANT)
                    out->first_grant = true;
            }
        } else if (strcmp(key, "population") == 0 &&
                   (out->id == PF_ENTERPRISE_SHARE || out->id == PF_ENTERPRISE_COUNT)) {
            const char *s = json_string_value(v);
            if (s && strcmp(s, "manufacturing") == 0)
                out->population = PF_POP_MANUFACTURING;
            else if (s && strcmp(s, "above_scale_manufacturing") == 0)
                out->population = PF_POP_ABOVE_SCALE_MANUFACTURING;
            else if (s && strcmp(s, "any") == 0)
                out->population = PF_POP_ANY;
            else
                rc = bad(err, errlen, "params.population: unknown population");
        } else if (strcmp(key, "condition") == 0 &&
                   (out->id == PF_ENTERPRISE_SHARE || out->id == PF_ENTERPRISE_COUNT)) {
            const char *s = json_string_value(v);
            if (s && strcmp(s, "rd_expense_gt_0") == 0)
                out->condition = PF_COND_RD_GT_0;
            else if (s && strcmp(s, "rd_expense_eq_0") == 0)
                out->condition = PF_COND_RD_EQ_0;
            else
                rc = bad(err, errlen, "params.condition: unknown condition");
        } else if (strcmp(key, "min_revenue_wan") == 0 && out->id == PF_ENTERPRISE_COUNT) {
            if (!json_is_integer(v) || json_integer_value(v) < 0 ||
                json_integer_value(v) > INT64_C(100000000))
                rc = bad(err, errlen, "params.min_revenue_wan: a non-negative integer");
            else
                out->min_revenue_fen = json_integer_value(v) * INT64_C(1000000);
        } else if (strcmp(key, "field") == 0 && out->id == PF_ENTERPRISE_SUM) {
            if (!json_is_string(v) || strcmp(json_string_value(v), "rd_expense") != 0)
                rc = bad(err, errlen, "params.field: only rd_expense is summed");
        } else if (strcmp(key, "party_on_chain") == 0 && out->id == PF_CONTRACT_VALUE_SUM) {
            if (!json_is_boolean(v))
                rc = bad(err, errlen, "params.party_on_chain: true or false");
        } else if ((strcmp(key, "program") == 0 || strcmp(key, "levels") == 0) &&
                   out->id == PF_PROJECT_COUNT) {
            /* kept for when project records exist */
        } else if ((strcmp(key, "carrier") == 0 || strcmp(key, "levels") == 0) &&
                   (out->id == PF_CARRIER_COUNT || out->id == PF_CARRIER_NEW_COUNT ||
                    out->id == PF_CHAIN_CARRIER_COVERAGE)) {
            /* kept for when carrier records exist */
        } else {
            rc = bad(err, errlen, "params: unknown parameter for this formula");
        }
        if (rc)
            break;
    }
    json_decref(p);
    if (rc)
        return rc;
    if ((out->id == PF_CERT_VALID_COUNT || out->id == PF_CERT_ISSUED_COUNT) && !out->cert_mask)
        return bad(err, errlen, "params.cert: required");
    if (out->id == PF_ENTERPRISE_SUM || out->id == PF_CONTRACT_VALUE_SUM) {
        out->fen_per_unit = fen_per_unit(unit);
        if (out->fen_per_unit == 0)
            return bad(err, errlen, "unit: a money unit (亿元, 万元, 元) is needed");
    }
    if (out->id == PF_ENTERPRISE_SHARE && strcmp(unit ? unit : "", "%") != 0)
        return bad(err, errlen, "unit: a share is in %");
    if (out->id == PF_ENTERPRISE_SHARE && out->condition == PF_COND_NONE)
        return bad(err, errlen, "params.condition: required");
    return 0;
}
