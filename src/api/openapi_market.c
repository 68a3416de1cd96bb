/* openapi_market.c — request-body schemas of the market routes for /openapi.json. */
#include "http/http.h"

#include <stddef.h>

#define STR "{\"type\":\"string\"}"
#define STR_NULL "{\"type\":[\"string\",\"null\"]}"
#define INT_NULL "{\"type\":[\"integer\",\"null\"]}"
#define STR_LIST "{\"type\":\"array\",\"items\":{\"type\":\"string\"}}"

const struct openapi_schema openapi_market_schemas[] = {
    {"DemandInput",
     "{\"type\":\"object\",\"properties\":{\"org_id\":" INT_NULL ",\"title\":{\"type\":\"string\","
     "\"maxLength\":200},\"problem\":" STR_NULL ",\"existing\":" STR_NULL ",\"keywords\":" STR_LIST
     ",\"indicators\":{\"type\":\"array\",\"maxItems\":30,\"items\":{\"type\":\"object\","
     "\"required\":[\"name\",\"target\"],\"properties\":{\"name\":" STR ",\"target\":" STR
     ",\"unit\":" STR_NULL "},\"additionalProperties\":false}},\"budget_min_fen\":" INT_NULL
     ",\"budget_max_fen\":" INT_NULL ",\"deadline\":{\"type\":[\"string\",\"null\"],\"format\":"
     "\"date\"},\"coop_modes\":{\"type\":\"array\",\"items\":{\"enum\":[\"委托开发\",\"合作开发\","
     "\"技术转让\",\"技术许可\",\"技术服务\",\"揭榜挂帅\"]}},\"chain\":" STR_NULL
     ",\"field\":" STR_NULL ",\"confidentiality\":{\"enum\":[\"public\",\"members\",\"brokers_"
                            "only\"]},\"contact_name\":" STR_NULL ",\"contact_phone\":" STR_NULL
     "},\"additionalProperties\":false}"},
    {"DemandStatus",
     "{\"type\":\"object\",\"required\":[\"status\"],\"properties\":{\"status\":{\"enum\":"
     "[\"draft\",\"published\",\"matched\",\"closed\"]}},\"additionalProperties\":false}"},
    {"AchievementInput",
     "{\"type\":\"object\",\"properties\":{\"external_id\":" STR_NULL ",\"title\":{\"type\":"
     "\"string\",\"maxLength\":500},\"abstract\":" STR_NULL ",\"keywords\":" STR_LIST
     ",\"discipline\":" STR_NULL ",\"field\":" STR_NULL ",\"kind\":{\"enum\":[\"发明专利\","
     "\"实用新型\",\"软件著作权\",\"新品种\",\"技术秘密\",\"其他\"]},\"patent_numbers\":" STR_LIST
     ",\"trl\":{\"type\":[\"integer\",\"null\"],\"minimum\":1,\"maximum\":9},\"transfer_modes\":"
     "{\"type\":\"array\",\"items\":{\"enum\":[\"转让\",\"许可\",\"作价入股\",\"先用后转\","
     "\"合作开发\"]}},\"price_min_fen\":" INT_NULL ",\"price_max_fen\":" INT_NULL
     ",\"owner_org_id\":" INT_NULL ",\"chain\":" STR_NULL ",\"status\":{\"enum\":[\"draft\","
     "\"published\",\"withdrawn\"]},\"deal_count\":{\"type\":\"integer\",\"minimum\":0}},"
     "\"additionalProperties\":false}"},
    {"ExpertInput",
     "{\"type\":\"object\",\"properties\":{\"name\":{\"type\":\"string\",\"maxLength\":50},"
     "\"title\":" STR_NULL ",\"org_id\":" INT_NULL ",\"affiliation\":" STR_NULL
     ",\"region_code\":" STR_NULL ",\"fields\":" STR_LIST ",\"keywords\":" STR_LIST
     ",\"bio\":" STR_NULL ",\"email\":" STR_NULL ",\"phone\":" STR_NULL "},"
     "\"additionalProperties\":false}"},
    {NULL, NULL},
};
