/* msg_points.c — error messages and field labels of the 创新积分 engine, the cultivation
 * pools and the ladder funnel (zh / en). Configuration errors carry their own text naming
 * the JSON path (src/rules/points.c); the codes are listed here too. */
#include "api/api.h"

#include <stddef.h>

const struct msg msg_points_errors[] = {
    {"invalid_year", "%s须为 1990–2100 之间的年份", "%s must be a year between 1990 and 2100"},
    {"invalid_date", "%s须为 YYYY-MM-DD 格式的日期", "%s must be a date as YYYY-MM-DD"},
    {"invalid_stage", "%s不存在", "%s: no such stage"},
    {"league_region", "积分榜须选择一个地市或区县",
     "A league table needs a city (prefecture) or a county"},
    {"unknown_family", "%s：没有这个规则族（如 hnte、tsme、innov-sme、srdi）",
     "%s: unknown rule family (hnte, tsme, innov-sme, srdi …)"},
    {"no_rule_for_stage", "该梯度层级没有可计算的认定规则，只能按证书统计",
     "This ladder stage has no computable rule set; count it by certificates"},
    {"no_year_data", "该企业没有所选年度的数据", "The enterprise has no data for that year"},
    {"out_of_range", "%s超出允许范围", "%s is out of range"},
    {"weights_sum", "%s：各阶段指标权重之和须为 100", "%s: the weights of a stage must sum to 100"},
    {"brackets_order", "%s：档位须从最好的一档开始排列", "%s: brackets must run from the best down"},
    {"bracket_else", "%s：最后一档须为“其他”", "%s: the last bracket must be else"},
    {"unit_mismatch", "%s：单位与指标不符", "%s: the unit does not fit the measure"},
    {"unknown_measure", "%s：指标库中没有该度量", "%s: no such measure in the dictionary"},
    {"unknown_group", "%s：没有这个指标分组", "%s: no such indicator group"},
    {"duplicate_id", "%s：编号重复", "%s: duplicate id"},
    {"stages_order", "%s：阶段的营业收入上限须逐级递增", "%s: stage revenue bounds must increase"},
    {"bands_order", "%s：榜单区间须逐级递增", "%s: band percentages must increase"},
    {NULL, NULL, NULL},
};

const struct msg msg_points_fields[] = {
    {"year", "年度", "Year"},
    {"date", "日期", "Date"},
    {"stage", "阶段", "Stage"},
    {"family", "规则族", "Rule family"},
    {"basis", "统计口径", "Basis"},
    {"band", "榜单", "Band"},
    {"reason", "入库原因", "Reason"},
    {"format", "导出格式", "Format"},
    {"config", "积分配置", "Points configuration"},
    {"note", "修订说明", "Note"},
    {"max_failed", "允许未满足的条件数", "Conditions allowed to fail"},
    {"margin_pct", "阈值差距（%）", "Threshold margin (%)"},
    {"score_margin", "分数差距", "Score margin"},
    {NULL, NULL, NULL},
};
