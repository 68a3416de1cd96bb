/*
 * openapi.c — renders /openapi.json (OpenAPI 3.1) from the route table, so the document
 * lists exactly the routes that exist. Request-body schemas are named by each route and
 * defined once below.
 */
#include "http/http.h"
#include "core/jw.h"
#include "domain/auth.h"

#include <stdio.h>
#include <string.h>

/* A named JSON schema for request bodies. */
struct schema_def {
    const char *name; /* component name */
    const char *json; /* the schema as JSON text */
};

static const struct schema_def schemas[] = {
    {"Error", "{\"type\":\"object\",\"required\":[\"error\"],\"properties\":{\"error\":{"
              "\"type\":\"object\",\"properties\":{\"code\":{\"type\":\"string\"},\"message\":"
              "{\"type\":\"string\"},\"field\":{\"type\":[\"string\",\"null\"]}}}}}"},
    {"Login", "{\"type\":\"object\",\"required\":[\"username\",\"password\"],\"properties\":{"
              "\"username\":{\"type\":\"string\"},\"password\":{\"type\":\"string\"}},"
              "\"additionalProperties\":false}"},
    {"MePatch", "{\"type\":\"object\",\"properties\":{\"lang\":{\"enum\":[\"zh-CN\",\"en\"]},"
                "\"display_name\":{\"type\":\"string\",\"maxLength\":64}},"
                "\"additionalProperties\":false}"},
    {"PasswordChange", "{\"type\":\"object\",\"required\":[\"old_password\",\"new_password\"],"
                       "\"properties\":{\"old_password\":{\"type\":\"string\"},"
                       "\"new_password\":{\"type\":\"string\",\"minLength\":10}},"
                       "\"additionalProperties\":false}"},
    {"PasswordReset", "{\"type\":\"object\",\"required\":[\"password\"],\"properties\":{"
                      "\"password\":{\"type\":\"string\",\"minLength\":10}},"
                      "\"additionalProperties\":false}"},
    {"OrgInput",
     "{\"type\":\"object\",\"properties\":{\"kind\":{\"enum\":[\"enterprise\",\"university\","
     "\"institute\",\"new_rd_institution\",\"service_provider\",\"bureau\",\"carrier_operator\"]},"
     "\"name\":{\"type\":\"string\",\"maxLength\":100},\"uscc\":{\"type\":\"string\","
     "\"pattern\":\"^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$\"},"
     "\"region_code\":{\"type\":\"string\"},\"industry_code\":{\"type\":[\"string\",\"null\"]},"
     "\"chains\":{\"type\":\"array\",\"items\":{\"type\":\"string\"}},\"address\":{\"type\":"
     "[\"string\",\"null\"],\"maxLength\":200},\"contact_name\":{\"type\":[\"string\",\"null\"],"
     "\"maxLength\":50},\"contact_phone\":{\"type\":[\"string\",\"null\"],\"maxLength\":50},"
     "\"contact_email\":{\"type\":[\"string\",\"null\"],\"maxLength\":50}},"
     "\"additionalProperties\":false}"},
    {"UserInput",
     "{\"type\":\"object\",\"properties\":{\"username\":{\"type\":\"string\",\"pattern\":"
     "\"^[a-z0-9_.-]{3,32}$\"},\"display_name\":{\"type\":\"string\",\"maxLength\":64},"
     "\"role\":{\"type\":\"string\"},\"region_code\":{\"type\":\"string\"},\"org_id\":{"
     "\"type\":[\"integer\",\"null\"]},\"status\":{\"enum\":[\"active\",\"disabled\"]},"
     "\"password\":{\"type\":\"string\"}},\"additionalProperties\":false}"},
    {"TokenInput", "{\"type\":\"object\",\"required\":[\"name\"],\"properties\":{"
                   "\"name\":{\"type\":\"string\",\"maxLength\":50},\"days\":{\"type\":"
                   "\"integer\",\"minimum\":1,\"maximum\":366}},\"additionalProperties\":false}"},
    {"ChainInput", "{\"type\":\"object\",\"properties\":{\"region_code\":{\"type\":\"string\"},"
                   "\"code\":{\"type\":\"string\",\"maxLength\":32},\"name\":{\"type\":"
                   "\"string\",\"maxLength\":50},\"group_name\":{\"type\":[\"string\",\"null\"],"
                   "\"maxLength\":50}},\"additionalProperties\":false}"},
    /* module 2 (docs/api-ladder.md) */
    {"EnterpriseInput",
     "{\"type\":\"object\",\"properties\":{\"uscc\":{\"type\":\"string\"},\"name\":{"
     "\"type\":\"string\",\"maxLength\":100},\"region_code\":{\"type\":\"string\"},"
     "\"industry_code\":{\"type\":[\"string\",\"null\"]},\"chains\":{\"type\":\"array\","
     "\"items\":{\"type\":\"string\"}},\"registered_on\":{\"type\":[\"string\",\"null\"],"
     "\"format\":\"date\"},\"hightech_field\":{\"type\":[\"string\",\"null\"]},"
     "\"niche_years\":{\"type\":[\"number\",\"null\"]}},\"additionalProperties\":{"
     "\"type\":[\"boolean\",\"integer\",\"number\",\"string\",\"null\"]}}"},
    {"EnterpriseYearInput",
     "{\"type\":\"object\",\"properties\":{\"year\":{\"type\":\"integer\"},"
     "\"srdi_quality_score\":{\"type\":[\"number\",\"null\"]}},\"additionalProperties\":{"
     "\"type\":[\"integer\",\"null\"]}}"},
    {"CertificationInput",
     "{\"type\":\"object\",\"properties\":{\"uscc\":{\"type\":\"string\"},\"kind\":{"
     "\"type\":\"string\"},\"number\":{\"type\":[\"string\",\"null\"]},\"issued_on\":{"
     "\"type\":\"string\",\"format\":\"date\"},\"valid_to\":{\"type\":[\"string\","
     "\"null\"],\"format\":\"date\"},\"level\":{\"enum\":[\"national\",\"provincial\","
     "\"city\",\"county\",null]},\"issuer\":{\"type\":[\"string\",\"null\"]},\"note\":{"
     "\"type\":[\"string\",\"null\"]}},\"additionalProperties\":false}"},
/* Each product module's request-body schemas. */
#include "api/schemas_assess.inc"
#include "api/schemas_deals.inc"
#include "api/schemas_plans.inc"
#include "api/schemas_points.inc"
};

/* Writes the operation object of one route. */
static void write_op(struct jw *w, const struct route *rt)
{
    jw_obj_open(w);
    jw_kstr(w, "summary", rt->summary);
    jw_key(w, "tags");
    jw_arr_open(w);
    jw_str(w, rt->tag);
    jw_arr_close(w);
    char op_id[160];
    size_t k = 0;
    for (const char *p = rt->method; *p && k < sizeof(op_id) - 1; p++)
        op_id[k++] = (char)(*p | 0x20);
    for (const char *p = rt->pattern; *p && k < sizeof(op_id) - 1; p++)
        op_id[k++] = (*p == '/' || *p == '{' || *p == '}' || *p == '.') ? '_' : *p;
    op_id[k] = '\0';
    jw_kstr(w, "operationId", op_id);
    jw_key(w, "parameters");
    jw_arr_open(w);
    for (const char *p = strchr(rt->pattern, '{'); p; p = strchr(p + 1, '{')) {
        const char *e = strchr(p, '}');
        jw_obj_open(w);
        jw_key(w, "name");
        jw_strn(w, p + 1, (size_t)(e - p - 1));
        jw_kstr(w, "in", "path");
        jw_kbool(w, "required", true);
        jw_key(w, "schema");
        jw_raw(w, "{\"type\":\"string\"}", 17);
        jw_obj_close(w);
    }
    if (rt->query) {
        const char *q = rt->query;
        while (*q) {
            const char *e = strchr(q, ',');
            size_t n = e ? (size_t)(e - q) : strlen(q);
            jw_obj_open(w);
            jw_key(w, "name");
            jw_strn(w, q, n);
            jw_kstr(w, "in", "query");
            jw_kbool(w, "required", false);
            jw_key(w, "schema");
            jw_raw(w, "{\"type\":\"string\"}", 17);
            jw_obj_close(w);
            q += n;
            if (*q == ',')
                q++;
        }
    }
    if (rt->produces && strstr(rt->produces, "spreadsheetml")) {
        /* Every list export also answers CSV (api_export_xlsx). */
        jw_obj_open(w);
        jw_kstr(w, "name", "format");
        jw_kstr(w, "in", "query");
        jw_kbool(w, "required", false);
        jw_key(w, "schema");
        jw_raw(w, "{\"type\":\"string\",\"enum\":[\"xlsx\",\"csv\"]}",
               strlen("{\"type\":\"string\",\"enum\":[\"xlsx\",\"csv\"]}"));
        jw_obj_close(w);
    }
    jw_arr_close(w);
    if (rt->body) {
        jw_key(w, "requestBody");
        jw_obj_open(w);
        jw_kbool(w, "required", true);
        jw_key(w, "content");
        jw_obj_open(w);
        jw_key(w, "application/json");
        jw_obj_open(w);
        jw_key(w, "schema");
        jw_obj_open(w);
        char ref[96];
        snprintf(ref, sizeof(ref), "#/components/schemas/%s", rt->body);
        jw_kstr(w, "$ref", ref);
        jw_obj_close(w);
        jw_obj_close(w);
        jw_obj_close(w);
        jw_obj_close(w);
    }
    if (rt->access == ROUTE_PUBLIC) {
        jw_key(w, "security");
        jw_raw(w, "[]", 2);
    } else if (rt->access == ROUTE_CAP) {
        for (unsigned b = 0; auth_cap_name(b); b++)
            if (rt->cap & (1u << b))
                jw_kstr(w, "x-capability", auth_cap_name(b));
    }
    jw_key(w, "responses");
    jw_obj_open(w);
    jw_key(w, "200");
    jw_obj_open(w);
    jw_kstr(w, "description", "OK");
    jw_key(w, "content");
    jw_obj_open(w);
    jw_key(w, rt->produces ? rt->produces : "application/json");
    jw_raw(w, "{}", 2);
    jw_obj_close(w);
    jw_obj_close(w);
    jw_key(w, "default");
    jw_raw(w,
           "{\"description\":\"Error\",\"content\":{\"application/json\":{\"schema\":{\"$ref\":"
           "\"#/components/schemas/Error\"}}}}",
           strlen("{\"description\":\"Error\",\"content\":{\"application/json\":{\"schema\":{"
                  "\"$ref\":\"#/components/schemas/Error\"}}}}"));
    jw_obj_close(w);
    jw_obj_close(w);
}

void http_openapi(struct buf *out)
{
    struct jw w;
    jw_init(&w, out);
    jw_obj_open(&w);
    jw_kstr(&w, "openapi", "3.1.0");
    jw_key(&w, "info");
    jw_obj_open(&w);
    jw_kstr(&w, "title", "kechuang API");
    jw_kstr(&w, "version", "1");
    jw_kstr(&w, "description",
            "科创 — science and technology innovation platform. Cookie sessions need the "
            "X-CSRF-Token header on unsafe methods. Accept-Language: en for English messages.");
    jw_obj_close(&w);
    jw_key(&w, "paths");
    jw_obj_open(&w);
    /* Group routes by pattern, keeping the table order of first appearance. */
    for (size_t i = 0; i < http_routes_count; i++) {
        bool seen = false;
        for (size_t j = 0; j < i; j++)
            if (strcmp(http_routes[j].pattern, http_routes[i].pattern) == 0)
                seen = true;
        if (seen)
            continue;
        jw_key(&w, http_routes[i].pattern);
        jw_obj_open(&w);
        for (size_t j = i; j < http_routes_count; j++) {
            if (strcmp(http_routes[j].pattern, http_routes[i].pattern) != 0)
                continue;
            char m[8];
            size_t k = 0;
            for (const char *p = http_routes[j].method; *p && k < 7; p++)
                m[k++] = (char)(*p | 0x20);
            m[k] = '\0';
            jw_key(&w, m);
            write_op(&w, &http_routes[j]);
        }
        jw_obj_close(&w);
    }
    jw_obj_close(&w);
    jw_key(&w, "components");
    jw_obj_open(&w);
    jw_key(&w, "securitySchemes");
    static const char schemes[] =
        "{\"session\":{\"type\":\"apiKey\",\"in\":\"cookie\",\"name\":\"kc_session\"},"
        "\"token\":{\"type\":\"http\",\"scheme\":\"bearer\"}}";
    jw_raw(&w, schemes, strlen(schemes));
    jw_key(&w, "schemas");
    jw_obj_open(&w);
    for (size_t i = 0; i < sizeof(schemas) / sizeof(schemas[0]); i++) {
        jw_key(&w, schemas[i].name);
        jw_raw(&w, schemas[i].json, strlen(schemas[i].json));
    }
    for (const struct openapi_schema *m = openapi_market_schemas; m->name; m++) {
        jw_key(&w, m->name);
        jw_raw(&w, m->json, strlen(m->json));
    }
    jw_obj_close(&w);
    jw_obj_close(&w);
    jw_key(&w, "security");
    jw_raw(&w, "[{\"session\":[]},{\"token\":[]}]", strlen("[{\"session\":[]},{\"token\":[]}]"));
    jw_obj_close(&w);
}
