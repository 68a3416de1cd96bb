/* pipeline.c — stages, transitions and drop reasons of the brokerage pipeline (see the
 * header). */
#include "domain/pipeline.h"

#include <string.h>

/* One stage with the stages it may move to. */
struct stage {
    const char *code;        /* stage code */
    const char *zh, *en;     /* labels */
    const char *next[3];     /* legal next stages, NULL-terminated */
};

static const struct stage stages[] = {
    {"proposed", "已推荐", "Proposed", {"contacted", "dropped", NULL}},
    {"contacted", "已联系", "Contacted", {"negotiating", "dropped", NULL}},
    {"negotiating", "洽谈中", "Negotiating", {"signed", "dropped", NULL}},
    {"signed", "已签约", "Signed", {NULL}},
    {"dropped", "已终止", "Dropped", {NULL}},
};

/* One drop reason. */
struct reason {
    const char *code;    /* reason code */
    const char *zh, *en; /* labels */
};

static const struct reason reasons[] = {
    {"too_early", "技术成熟度不够（太早）", "Too early (technology not mature enough)"},
    {"price_gap", "价格差距", "Price gap"},
    {"ip_unclear", "知识产权归属不清", "IP ownership unclear"},
    {"benefit_unclear", "效益不明", "Benefit unclear"},
    {"no_budget", "无预算", "No budget"},
    {"other", "其他", "Other"},
};

#define N_STAGES (sizeof(stages) / sizeof(stages[0]))
#define N_REASONS (sizeof(reasons) / sizeof(reasons[0]))

/* The stage with this code, or NULL. */
static const struct stage *find_stage(const char *code)
{
    for (size_t i = 0; code && i < N_STAGES; i++)
        if (strcmp(stages[i].code, code) == 0)
            return &stages[i];
    return NULL;
}

/* The reason with this code, or NULL. */
static const struct reason *find_reason(const char *code)
{
    for (size_t i = 0; code && i < N_REASONS; i++)
        if (strcmp(reasons[i].code, code) == 0)
            return &reasons[i];
    return NULL;
}

bool pipeline_stage_valid(const char *code)
{
    return find_stage(code) != NULL;
}

bool pipeline_transition_ok(const char *from, const char *to)
{
    const struct stage *s = find_stage(from);
    for (size_t i = 0; s && s->next[i]; i++)
        if (to && strcmp(s->next[i], to) == 0)
            return true;
    return false;
}

const char *const *pipeline_next(const char *from)
{
    static const char *const none[] = {NULL};
    const struct stage *s = find_stage(from);
    return s ? s->next : none;
}

bool pipeline_final(const char *stage)
{
    return stage && (strcmp(stage, "signed") == 0 || strcmp(stage, "dropped") == 0);
}

bool pipeline_reason_valid(const char *code)
{
    return find_reason(code) != NULL;
}

const char *pipeline_stage_label(const char *code, bool en)
{
    const struct stage *s = find_stage(code);
    return s ? (en ? s->en : s->zh) : code;
}

const char *pipeline_reason_label(const char *code, bool en)
{
    const struct reason *r = find_reason(code);
    return r ? (en ? r->en : r->zh) : code;
}

const char *pipeline_labels_json(bool en)
{
    /* Written by hand from the tables above; test_pipeline checks they agree. */
    static const char zh[] =
        "{\"stage\":{\"proposed\":\"已推荐\",\"contacted\":\"已联系\",\"negotiating\":\"洽谈中\","
        "\"signed\":\"已签约\",\"dropped\":\"已终止\"},\"reason\":{\"too_early\":"
        "\"技术成熟度不够（太早）\",\"price_gap\":\"价格差距\",\"ip_unclear\":\"知识产权归属不清\","
        "\"benefit_unclear\":\"效益不明\",\"no_budget\":\"无预算\",\"other\":\"其他\"}}";
    static const char english[] =
        "{\"stage\":{\"proposed\":\"Proposed\",\"contacted\":\"Contacted\",\"negotiating\":"
        "\"Negotiating\",\"signed\":\"Signed\",\"dropped\":\"Dropped\"},\"reason\":{"
        "\"too_early\":\"Too early (technology not mature enough)\",\"price_gap\":\"Price gap\","
        "\"ip_unclear\":\"IP ownership unclear\",\"benefit_unclear\":\"Benefit unclear\","
        "\"no_budget\":\"No budget\",\"other\":\"Other\"}}";
    return en ? english : zh;
}
