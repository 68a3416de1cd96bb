/*
 * pipeline.h — the brokerage pipeline's rules: stages, the legal transitions between them,
 * drop reasons (shown to the supply side as feedback), and their labels.
 *
 *   proposed → contacted → negotiating → signed
 *       └──────────┴─────────────┴──────→ dropped (with a reason)
 *
 * signed and dropped are final. A step may not be skipped: "contacted" is what the first
 * response time of a broker measures.
 */
#ifndef KC_PIPELINE_H
#define KC_PIPELINE_H

#include <stdbool.h>

/* True when code is one of the five stages. */
bool pipeline_stage_valid(const char *code);
/* True when a match may move from stage from to stage to. */
bool pipeline_transition_ok(const char *from, const char *to);
/* The stages a match in stage from may move to, as a NULL-terminated list (empty for
 * final stages and unknown codes). */
const char *const *pipeline_next(const char *from);
/* True for signed and dropped. */
bool pipeline_final(const char *stage);
/* True when code is a drop reason (too_early, price_gap, ip_unclear, benefit_unclear,
 * no_budget, other); "other" needs a note. */
bool pipeline_reason_valid(const char *code);
/* The label of a stage or a reason in Chinese or English; the code itself when unknown. */
const char *pipeline_stage_label(const char *code, bool en);
const char *pipeline_reason_label(const char *code, bool en);
/* Every label as one JSON object {"stage": {code: label}, "reason": {code: label}} for
 * SQL json_extract lookups; a static string. */
const char *pipeline_labels_json(bool en);

#endif
