/*
 * field.c — the fields of the enterprise record (API.md) that rules can use: names,
 * labels, units, which field contains which (for consistent gap changes) and the
 * default unit costs used only to rank gap options.
 */
#include "rules/rules.h"

#include <string.h>

/* Default ranking costs (README "Gap analysis"): they only order alternatives. */
#define COST_PERSON 15000000LL /* ¥150,000: one person for a year */
#define COST_IP1 3000000LL     /* ¥30,000: one Ⅰ类 right (invention patent) */
#define COST_IP2 500000LL      /* ¥5,000: one Ⅱ类 right */
#define COST_CONV 10000000LL   /* ¥100,000: one technology conversion */

/* The table, in enum rules_field order. parent[] lists the fields that contain this one;
 * lever names the field a gap changes for it (-1: not something money or hiring moves). */
/* One field per entry reads better than one value per line. */
/* clang-format off */
const struct rules_field_info rules_fields[RULES_N_FIELDS] = {
    [RULES_F_EMPLOYEES] = {"employees", "职工总数", "total employees", RULES_U_PERSONS, false,
                           false, {-1, -1}, RULES_F_EMPLOYEES, COST_PERSON},
    [RULES_F_TECH_STAFF] = {"tech_staff", "科技人员", "technology staff", RULES_U_PERSONS, false,
                            false, {RULES_F_EMPLOYEES, -1}, RULES_F_TECH_STAFF, COST_PERSON},
    [RULES_F_RD_STAFF] = {"rd_staff", "研发人员", "R&D staff", RULES_U_PERSONS, false, false,
                          {RULES_F_TECH_STAFF, -1}, RULES_F_RD_STAFF, COST_PERSON},
    [RULES_F_SALES_REVENUE] = {"sales_revenue_fen", "销售收入", "sales revenue", RULES_U_FEN,
                               false, false, {RULES_F_TOTAL_INCOME, -1}, RULES_F_SALES_REVENUE,
                               1},
    [RULES_F_MAIN_BUSINESS_REVENUE] = {"main_business_revenue_fen", "主营业务收入",
                                       "main business revenue", RULES_U_FEN, false, false,
                                       {RULES_F_SALES_REVENUE, RULES_F_OPERATING_REVENUE},
                                       RULES_F_MAIN_BUSINESS_REVENUE, 1},
    [RULES_F_OPERATING_REVENUE] = {"operating_revenue_fen", "营业收入", "operating revenue",
                                   RULES_U_FEN, false, false, {-1, -1},
                                   RULES_F_OPERATING_REVENUE, 1},
    [RULES_F_TOTAL_INCOME] = {"total_income_fen", "总收入", "total income", RULES_U_FEN, false,
                              false, {-1, -1}, RULES_F_TOTAL_INCOME, 1},
    [RULES_F_HIGHTECH_REVENUE] = {"hightech_revenue_fen", "高新技术产品(服务)收入",
                                  "high-tech product (service) revenue", RULES_U_FEN, false,
                                  false, {RULES_F_MAIN_BUSINESS_REVENUE, -1},
                                  RULES_F_HIGHTECH_REVENUE, 1},
    [RULES_F_RD_EXPENSE] = {"rd_expense_fen", "研发费用", "R&D expense", RULES_U_FEN, false,
                            false, {RULES_F_COST_EXPENSE_TOTAL, -1}, RULES_F_RD_EXPENSE, 1},
    [RULES_F_RD_EXPENSE_DOMESTIC] = {"rd_expense_domestic_fen", "境内研发费用",
                                     "R&D expense in China", RULES_U_FEN, false, false,
                                     {RULES_F_RD_EXPENSE, -1}, RULES_F_RD_EXPENSE_DOMESTIC, 1},
    [RULES_F_COST_EXPENSE_TOTAL] = {"cost_expense_total_fen", "成本费用支出总额",
                                    "total costs and expenses", RULES_U_FEN, false, false,
                                    {-1, -1}, RULES_F_COST_EXPENSE_TOTAL, 1},
    [RULES_F_TOTAL_ASSETS] = {"total_assets_fen", "资产总额", "total assets", RULES_U_FEN,
                              false, false, {-1, -1}, RULES_F_TOTAL_ASSETS, 1},
    [RULES_F_TOTAL_LIABILITIES] = {"total_liabilities_fen", "负债总额", "total liabilities",
                                   RULES_U_FEN, false, false, {-1, -1}, -1, 0},
    [RULES_F_NET_PROFIT] = {"net_profit_fen", "净利润", "net profit", RULES_U_FEN, true, false,
                            {-1, -1}, RULES_F_NET_PROFIT, 1},
    [RULES_F_IP_CLASS1] = {"ip_class1", "Ⅰ类知识产权", "class I IP rights", RULES_U_COUNT,
                           false, false, {-1, -1}, RULES_F_IP_CLASS1, COST_IP1},
    [RULES_F_IP_CLASS1_SELF] = {"ip_class1_self_developed", "自主研发Ⅰ类知识产权",
                                "self-developed class I IP rights", RULES_U_COUNT, false, false,
                                {RULES_F_IP_CLASS1, -1}, RULES_F_IP_CLASS1_SELF, COST_IP1},
    [RULES_F_IP_CLASS1_HIGH] = {"ip_class1_high_value", "高价值Ⅰ类知识产权",
                                "high-value class I IP rights", RULES_U_COUNT, false, false,
                                {RULES_F_IP_CLASS1, -1}, RULES_F_IP_CLASS1_HIGH, COST_IP1},
    [RULES_F_IP_CLASS2] = {"ip_class2", "Ⅱ类知识产权", "class II IP rights", RULES_U_COUNT,
                           false, false, {-1, -1}, RULES_F_IP_CLASS2, COST_IP2},
    [RULES_F_CONVERSIONS] = {"conversions", "科技成果转化", "technology conversions",
                             RULES_U_COUNT, false, false, {-1, -1}, RULES_F_CONVERSIONS,
                             COST_CONV},
    [RULES_F_EQUITY_FINANCING] = {"equity_financing_fen", "新增股权融资",
                                  "new equity financing", RULES_U_FEN, false, false, {-1, -1},
                                  RULES_F_EQUITY_FINANCING, 1},
    [RULES_F_SRDI_QUALITY_SCORE] = {"srdi_quality_score", "专精特新发展(质量)评价得分",
                                    "SRDI development quality score", RULES_U_X100, false,
                                    true, {-1, -1}, -1, 0},
    [RULES_F_NET_ASSETS] = {"net_assets_fen", "净资产", "net assets", RULES_U_FEN, true, false,
                            {-1, -1}, RULES_F_TOTAL_ASSETS, 1},
    [RULES_F_IP_TOTAL] = {"ip_total", "知识产权(Ⅰ类+Ⅱ类)", "IP rights (class I + II)",
                          RULES_U_COUNT, false, false, {-1, -1}, RULES_F_IP_CLASS2, COST_IP2},
    [RULES_F_HAS_VALID_HNTE] = {"has_valid_hnte", "有效期内高新技术企业",
                                "holds a valid high-tech enterprise certificate", RULES_U_BOOL,
                                false, false, {-1, -1}, -1, 0},
    [RULES_F_NATIONAL_AWARD_TOP3_5Y] = {"national_award_top3_5y", "近五年国家级科技奖励(前三名)",
                                        "national S&T award in 5 years (top 3)", RULES_U_BOOL,
                                        false, false, {-1, -1}, -1, 0},
    [RULES_F_PROVINCIAL_AWARD_TOP3_3Y] = {"provincial_award_top3_3y",
                                          "近三年省级以上科技奖励(前三名)",
                                          "provincial S&T award in 3 years (top 3)",
                                          RULES_U_BOOL, false, false, {-1, -1}, -1, 0},
    [RULES_F_SCI_AWARD_3Y] = {"sci_award_3y", "近三年国家级或省级科技奖励",
                              "national or provincial S&T award in 3 years", RULES_U_BOOL,
                              false, false, {-1, -1}, -1, 0},
    [RULES_F_PROVINCIAL_RD_INSTITUTION] = {"provincial_rd_institution", "省部级以上研发机构",
                                           "provincial or ministerial R&D institution",
                                           RULES_U_BOOL, false, false, {-1, -1}, -1, 0},
    [RULES_F_LED_STANDARD_5Y] = {"led_standard_5y", "近五年主导制定国际、国家或行业标准",
                                 "led an international, national or industry standard in 5 "
                                 "years",
                                 RULES_U_BOOL, false, false, {-1, -1}, -1, 0},
    [RULES_F_NO_MAJOR_INCIDENT] = {"no_major_incident", "未发生重大安全、质量事故或严重环境违法",
                                   "no major safety or quality incident or serious "
                                   "environmental violation",
                                   RULES_U_BOOL, false, false, {-1, -1}, -1, 0},
    [RULES_F_NOT_ON_ABNORMAL_LIST] = {"not_on_abnormal_list", "未列入经营异常名录或严重违法失信名单",
                                      "not on the abnormal-operation or serious-dishonesty list",
                                      RULES_U_BOOL, false, false, {-1, -1}, -1, 0},
    [RULES_F_NOT_RESTRICTED_INDUSTRY] = {"not_restricted_industry",
                                         "产品(服务)不属于禁止、限制、淘汰类",
                                         "products not in a prohibited, restricted or phased-out "
                                         "category",
                                         RULES_U_BOOL, false, false, {-1, -1}, -1, 0},
    [RULES_F_STRATEGIC_EMERGING] = {"strategic_emerging_industry", "主导产品属于战略性新兴产业",
                                    "main product in a strategic emerging industry",
                                    RULES_U_BOOL, false, false, {-1, -1}, -1, 0},
    [RULES_F_NICHE_YEARS] = {"niche_years", "从事特定细分市场年限", "years in the niche market",
                             RULES_U_X100, false, false, {-1, -1}, -1, 0},
    [RULES_F_REGISTERED_ON] = {"registered_on", "注册成立日期", "registration date",
                               RULES_U_DAYS, true, false, {-1, -1}, -1, 0},
    [RULES_F_HIGHTECH_FIELD] = {"hightech_field", "属于国家重点支持的高新技术领域",
                                "in a state-supported high-tech field", RULES_U_BOOL, false,
                                false, {-1, -1}, -1, 0},
    [RULES_F_MAINLAND] = {"region_code", "在中国境内(不含港澳台)注册",
                          "registered in mainland China", RULES_U_BOOL, false, false, {-1, -1},
                          -1, 0},
    [RULES_F_HAS_IP_TITLE] = {"has_ip_title", "国家级技术创新示范企业或知识产权优势/示范企业",
                              "national technology-innovation demonstration or IP "
                              "advantage/demonstration enterprise",
                              RULES_U_BOOL, false, true, {-1, -1}, -1, 0},
    [RULES_F_NATIONAL_AWARD_TOP5_3Y] = {"national_award_top5_3y", "近三年国家级科技奖励(前五名)",
                                        "national S&T award in 3 years (top 5)", RULES_U_BOOL,
                                        false, true, {-1, -1}, -1, 0},
    [RULES_F_MAKER_CHINA_TOP500_3Y] = {"maker_china_top500_3y",
                                       "近三年进入\"创客中国\"全国500强",
                                       "national top 500 of \"Maker China\" in 3 years",
                                       RULES_U_BOOL, false, true, {-1, -1}, -1, 0},
    [RULES_F_CHAIN_ROLE] = {"chain_role", "主导产品所属领域(产业链作用)",
                            "main product's role in industrial chains", RULES_U_COUNT, false,
                            true, {-1, -1}, -1, 0},
    [RULES_F_DIGITAL_LEVEL] = {"digital_level", "数字化水平等级", "digitalisation level",
                               RULES_U_COUNT, false, true, {-1, -1}, -1, 0},
    [RULES_F_QUALITY_ITEMS] = {"quality_items", "质量管理水平项数", "quality-management items",
                               RULES_U_COUNT, false, true, {-1, -1}, -1, 0},
    [RULES_F_RD_INSTITUTION_LEVEL] = {"rd_institution_level", "研发机构级别",
                                      "R&D institution level", RULES_U_COUNT, false, true,
                                      {-1, -1}, -1, 0},
    [RULES_F_SRDI_LOCAL_SCORE] = {"srdi_local_score", "特色化指标得分",
                                  "local characteristic indicators score", RULES_U_X100, false,
                                  true, {-1, -1}, -1, 0},
    [RULES_F_HAS_VALID_TECH_INNOV_SME] = {"has_valid_tech_innov_sme", "有效期内科技和创新型中小企业",
                                          "holds a valid technology and innovation SME title",
                                          RULES_U_BOOL, false, true, {-1, -1}, -1, 0},
};
/* clang-format on */

/* Linear search by JSON name (the table is small and this is not on the hot path). */
int rules_field_find(const char *name)
{
    for (int f = 0; f < RULES_N_FIELDS; f++)
        if (rules_fields[f].name && strcmp(rules_fields[f].name, name) == 0)
            return f;
    return -1;
}

/* Walks the parent links from b upwards looking for a (depth is at most 4). */
int rules_field_contains(int a, int b)
{
    if (a < 0 || b < 0 || a == b)
        return 0;
    for (int i = 0; i < 2; i++) {
        int p = rules_fields[b].parent[i];
        if (p < 0)
            continue;
        if (p == a || rules_field_contains(a, p))
            return 1;
    }
    return 0;
}
