/*
 * msg.c — the message catalogue: error texts and field labels in Chinese and English.
 * The API answers in English when the request says Accept-Language: en, otherwise in
 * Chinese (API.md).
 */
#include "api/api.h"

#include <stdio.h>
#include <string.h>

/* struct msg and the module tables (msg_<module>.c) are declared in api/api.h. */

static const struct msg messages[] = {
    {"invalid_json", "请求体不是合法的 JSON（须为 UTF-8 编码的对象）",
     "The request body is not valid JSON (a UTF-8 encoded object is expected)"},
    {"bad_request", "请求格式不正确", "The request is malformed"},
    {"unauthenticated", "请先登录", "Please log in first"},
    {"bad_credentials", "用户名或密码错误", "Wrong username or password"},
    {"forbidden", "没有执行此操作的权限", "You are not allowed to do this"},
    {"csrf_failed", "缺少或错误的 CSRF 令牌，请刷新页面后重试",
     "Missing or wrong CSRF token; reload the page and try again"},
    {"not_found", "记录不存在", "No such record"},
    {"route_not_found", "接口不存在", "No such API route"},
    {"method_not_allowed", "该接口不支持此请求方法", "This route does not support the method"},
    {"conflict", "%s已存在", "%s already exists"},
    {"in_use", "该产业链仍被组织机构使用，不能删除",
     "Organisations still use this industry chain, so it cannot be deleted"},
    {"too_large", "请求体过大", "The request body is too large"},
    {"unknown_field", "不认识的字段：%s", "Unknown field: %s"},
    {"wrong_type", "字段类型错误：%s", "Wrong type for field: %s"},
    {"required", "%s为必填项", "%s is required"},
    {"too_long", "%s过长", "%s is too long"},
    {"invalid_value", "%s的值无效", "Invalid value for %s"},
    {"invalid_uscc", "统一社会信用代码无效：须为 18 位且校验码正确",
     "Invalid unified social credit code: 18 characters with a correct check character"},
    {"uscc_orgcode", "统一社会信用代码中的组织机构代码校验位不符（仅提示）",
     "The organisation-code check inside the USCC does not match (warning only)"},
    {"invalid_region", "%s：行政区划代码不存在或不可用于此处",
     "%s: unknown region code, or not usable here"},
    {"region_out_of_scope", "%s超出您的管辖范围", "%s is outside your region"},
    {"weak_password", "密码须为 10–128 个字符，至少包含字母、数字、符号中的两类，且不能包含用户名",
     "The password needs 10–128 characters, at least two of letters, digits and symbols, and "
     "must not contain the username"},
    {"wrong_password", "原密码错误", "The current password is wrong"},
    {"locked", "密码错误次数过多，账号已锁定 15 分钟",
     "Too many wrong passwords: the account is locked for 15 minutes"},
    {"disabled", "账号已停用", "The account is disabled"},
    {"internal", "服务器内部错误，请稍后重试", "Internal server error; please try again later"},
};

/* Field labels. */
static const struct msg fields[] = {
    {"name", "名称", "Name"},
    {"kind", "机构类型", "Kind"},
    {"uscc", "统一社会信用代码", "Unified social credit code"},
    {"region_code", "行政区划", "Region"},
    {"industry_code", "行业代码", "Industry code"},
    {"chains", "产业链", "Industry chains"},
    {"address", "地址", "Address"},
    {"contact_name", "联系人", "Contact name"},
    {"contact_phone", "联系电话", "Contact phone"},
    {"contact_email", "电子邮箱", "Contact email"},
    {"username", "用户名", "Username"},
    {"display_name", "姓名", "Display name"},
    {"role", "角色", "Role"},
    {"org_id", "所属机构", "Organisation"},
    {"status", "状态", "Status"},
    {"password", "密码", "Password"},
    {"new_password", "新密码", "New password"},
    {"old_password", "原密码", "Current password"},
    {"lang", "语言", "Language"},
    {"code", "编码", "Code"},
    {"group_name", "分组", "Group"},
    {"days", "有效天数", "Validity (days)"},
    {"page", "页码", "Page"},
    {"page_size", "每页条数", "Page size"},
    {"sort", "排序", "Sort"},
    {"from", "开始日期", "From"},
    {"to", "结束日期", "To"},
    {"entity_id", "对象编号", "Entity id"},
};

/* The core tables first, then each module's (ended by a NULL code). */
static const struct msg *const message_tables[] = {msg_ladder_errors, msg_market_errors,
                                                   msg_deals_errors, msg_plans_errors,
                                                   msg_assess_errors, msg_points_errors,
                                                   msg_import_errors};
static const struct msg *const field_tables[] = {msg_ladder_fields, msg_market_fields,
                                                 msg_deals_fields, msg_plans_fields,
                                                 msg_assess_fields, msg_points_fields,
                                                 msg_import_fields};
#define N_MODULE_TABLES (sizeof(message_tables) / sizeof(message_tables[0]))

/* Finds code in the core table (n entries) or the module tables; NULL when unknown. */
static const struct msg *find(const struct msg *core, size_t n, const struct msg *const *modules,
                              const char *code)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(core[i].code, code) == 0)
            return &core[i];
    for (size_t t = 0; t < N_MODULE_TABLES; t++)
        for (const struct msg *m = modules[t]; m->code; m++)
            if (strcmp(m->code, code) == 0)
                return m;
    return NULL;
}

const char *msg_field(bool en, const char *field)
{
    const struct msg *m = find(fields, sizeof(fields) / sizeof(fields[0]), field_tables, field);
    return m ? (en ? m->en : m->zh) : field;
}

void msg_error_to(bool en, const char *code, const char *field, char *out, size_t n)
{
    const struct msg *m =
        find(messages, sizeof(messages) / sizeof(messages[0]), message_tables, code);
    if (!m) {
        snprintf(out, n, "%s", code);
        return;
    }
    const char *t = en ? m->en : m->zh;
    const char *label = field ? msg_field(en, field) : (en ? "The value" : "该值");
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
    if (strstr(t, "%s"))
        snprintf(out, n, t, label);
    else
        snprintf(out, n, "%s", t);
#pragma GCC diagnostic pop
}

const char *msg_error(struct http_req *r, const char *code, const char *field)
{
    const struct msg *m =
        find(messages, sizeof(messages) / sizeof(messages[0]), message_tables, code);
    if (m) {
        const char *t = r->en ? m->en : m->zh;
        if (!strstr(t, "%s"))
            return t;
        const char *label = field ? msg_field(r->en, field) : (r->en ? "The value" : "该值");
        /* Templates are ours and hold exactly one %s. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
        return arena_printf(&r->arena, t, label);
#pragma GCC diagnostic pop
    }
    return code;
}
