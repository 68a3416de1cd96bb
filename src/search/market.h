/*
 * market.h — matching in the technology market, as the server runs it: three live
 * indexes (achievements, demands, experts; search/live.h) kept in sync with the store,
 * and the four directions of matching with their reasons.
 *
 *   demand → achievements   text (demand title, keywords, indicators, problem) against
 *                           title/keywords/abstract, then the structured signals of
 *                           domain/market.h over the text top-N
 *   demand → institutions   the same achievement candidates grouped by owner
 *                           organisation: best + ½ second + ¼ third achievement, then
 *                           region, chain and track-record signals of the organisation
 *   demand → experts        text against an expert's fields, keywords and bio, then
 *                           field and region signals
 *   achievement → demands   the achievement's title, keywords and abstract against
 *                           demand title, keywords + indicators and problem, then the
 *                           signals with the roles reversed
 * Only records the viewer may see are returned (published achievements; published
 * demands visible under store/demand.h's rules), never the query record's own
 * organisation's. Each result carries its reasons: one entry per text field with the
 * matched terms (the query's own substrings) and its share of the text score, and one
 * entry per structured signal that fired with its contribution; contributions add up
 * to the score. Highlight spans locate the terms in the result's own texts (hl.h).
 */
#ifndef KC_SEARCH_MARKET_H
#define KC_SEARCH_MARKET_H

#include "core/err.h"
#include "core/jw.h"
#include "domain/auth.h"

#include <jansson.h>

#include <stddef.h>
#include <stdint.h>

struct db;
struct live;

/* The indexed record kinds. */
enum market_corpus { MC_ACH = 0, MC_DEMAND = 1, MC_EXPERT = 2, MC_N };

/* What a demand is matched to. */
enum market_target { MT_ACHIEVEMENTS = 0, MT_INSTITUTIONS = 1, MT_EXPERTS = 2 };

/* Builds the three live indexes from db; background rebuilds open db_path. Call once
 * before serving. 0 or KC_ERR_DB. */
int market_index_start(struct db *db, const char *db_path) KC_MUST_CHECK;
/* Frees the indexes (after the HTTP workers stopped). */
void market_index_stop(void);
/* The live index of a corpus, NULL when not started. */
struct live *market_live(enum market_corpus c);
/* Re-reads the rows ids[0..n) of corpus c after their transaction committed (no-op
 * when not started; failures are logged: the next touch or rebuild repairs them). */
void market_index_touch(enum market_corpus c, struct db *db, const int64_t *ids, size_t n);

/* Writes {"source":{…},"target":…,"items":[…]} for demand id (visible to u, else
 * KC_ERR_NOT_FOUND) against target, at most k (1..100) items. KC_ERR_INVALID when the
 * indexes are not started. */
int market_match_demand(struct db *db, const struct auth_user *u, int64_t id,
                        enum market_target target, int k, struct jw *w) KC_MUST_CHECK;
/* Writes member key = the achievements matching the loaded demand dem (the API shape of
 * demand_get; the caller checked that the viewer sees it), at most k (1..100) items as
 * market_match_demand writes them: batch matching. KC_ERR_INVALID when the indexes are
 * not started. */
int market_match_demand_rec(struct db *db, json_t *dem, int k, const char *key,
                            struct jw *w) KC_MUST_CHECK;
/* The same for achievement id against the demands. */
int market_match_achievement(struct db *db, const struct auth_user *u, int64_t id, int k,
                             struct jw *w) KC_MUST_CHECK;

#endif
