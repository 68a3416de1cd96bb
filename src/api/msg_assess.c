/* msg_assess.c — error messages and field labels of supervision tickets and the county
 * assessment (zh / en). */
#include "api/api.h"

#include <stddef.h>

const struct msg msg_assess_errors[] = {
    {"unknown_indicator", "%s：指标不存在", "%s: no such indicator"},
    {"duplicate_indicator", "%s：同一指标在方案中出现了两次",
     "%s: the indicator appears twice in the scheme"},
    {"invalid_weight", "%s须大于 0、不超过 100，最多两位小数",
     "%s must be above 0 and at most 100, with at most two decimals"},
    {"out_of_range", "%s超出允许范围", "%s is out of range"},
    {"weights_sum", "各指标权重之和须为 100", "The weights must sum to 100"},
    {"too_many_items", "考核指标最多 50 项", "A scheme has at most 50 indicators"},
    {"not_a_city", "%s须为设区市（地级）的行政区划代码", "%s must be a prefecture-level city"},
    {"invalid_year", "%s须在 2000–2100 之间", "%s must be between 2000 and 2100"},
    {"invalid_date", "%s须为 YYYY-MM-DD 格式的有效日期", "%s must be a valid YYYY-MM-DD date"},
    {"cutoff_future", "%s不能晚于今天（数值只能冻结到已经过去的日期）",
     "%s cannot be later than today (values can only be frozen up to a past day)"},
    {"cutoff_before_year", "%s不能早于考核年度的 1 月 1 日",
     "%s cannot be before 1 January of the assessed year"},
    {"indicator_removed", "方案中的某个指标已不存在，请先修改方案",
     "An indicator of the scheme no longer exists; edit the scheme first"},
    {"not_responsible", "只有责任单位可以答复该督办单",
     "Only the responsible unit can answer this ticket"},
    {"invalid_transition", "督办单当前状态不允许此操作",
     "The ticket's status does not allow this action"},
    {"ticket_open", "该事项已有未办结的督办单", "This subject already has an open ticket"},
    {"deadline_range", "%s须晚于今天且不超过 90 天",
     "%s must be after today and at most 90 days ahead"},
    {NULL, NULL, NULL},
};

const struct msg msg_assess_fields[] = {
    {"items", "考核指标", "Indicators"},
    {"indicator_code", "指标", "Indicator"},
    {"weight", "权重", "Weight"},
    {"rule", "计分规则", "Scoring rule"},
    {"cap_pct", "封顶比例(%)", "Cap (%)"},
    {"floor_pct", "下限(%)", "Floor (%)"},
    {"min_pct", "末位得分比例(%)", "Last place share (%)"},
    {"note", "说明", "Note"},
    {"scheme_id", "考核方案", "Scheme"},
    {"version", "方案版本", "Scheme version"},
    {"year", "考核年度", "Year"},
    {"cutoff", "数据截止日", "Cut-off day"},
    {"measure", "整改措施", "Measure"},
    {"evidence", "佐证材料", "Evidence"},
    {"subject_kind", "督办对象类型", "Subject kind"},
    {"subject_id", "督办对象", "Subject"},
    {"deadline", "答复期限", "Deadline"},
    {"overdue", "是否逾期", "Overdue"},
    {"plan_id", "规划", "Plan"},
    {NULL, NULL, NULL},
};
