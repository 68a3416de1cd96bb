/* org.c — organisation kinds and record rules. */
#include "domain/org.h"
#include "core/uscc.h"
#include "core/utf8.h"

#include <string.h>

const struct org_kind org_kinds[] = {
    {"enterprise", "企业", "Enterprise"},
    {"university", "高等院校", "University"},
    {"institute", "科研院所", "Research institute"},
    {"new_rd_institution", "新型研发机构", "New R&D institution"},
    {"service_provider", "科技服务机构", "Service provider"},
    {"bureau", "政府部门", "Government bureau"},
    {"carrier_operator", "创新载体运营机构", "Carrier operator"},
    {NULL, NULL, NULL},
};

/* Value of a string member or NULL. */
static const char *str(json_t *o, const char *k)
{
    json_t *v = json_object_get(o, k);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

/* Sets the problem and returns false. */
static bool problem(struct org_problem *p, const char *field, const char *code)
{
    p->field = field;
    p->code = code;
    return false;
}

bool org_check(json_t *o, struct org_problem *p)
{
    const char *kind = str(o, "kind");
    if (!kind || !*kind)
        return problem(p, "kind", "required");
    bool known = false;
    for (const struct org_kind *k = org_kinds; k->code; k++)
        if (strcmp(k->code, kind) == 0)
            known = true;
    if (!known)
        return problem(p, "kind", "invalid_value");
    const char *name = str(o, "name");
    if (!name || utf8_blank(name))
        return problem(p, "name", "required");
    const char *uscc = str(o, "uscc");
    if (!uscc || !*uscc)
        return problem(p, "uscc", "required");
    if (uscc_check(uscc) != USCC_OK)
        return problem(p, "uscc", "invalid_uscc");
    const char *region = str(o, "region_code");
    if (!region || !*region)
        return problem(p, "region_code", "required");
    const char *email = str(o, "contact_email");
    if (email && *email) {
        const char *at = strchr(email, '@');
        if (!at || at == email || !at[1] || strchr(at + 1, '@') || strpbrk(email, " \t<>\""))
            return problem(p, "contact_email", "invalid_value");
    }
    const char *phone = str(o, "contact_phone");
    if (phone && *phone && strspn(phone, "0123456789-+ ()") != strlen(phone))
        return problem(p, "contact_phone", "invalid_value");
    return true;
}

bool org_uscc_warning(const char *uscc)
{
    return uscc_check(uscc) == USCC_OK && !uscc_orgcode_ok(uscc);
}
