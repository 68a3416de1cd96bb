/*
 * assess_score.h — the scoring rules of the annual county assessment (考核).
 *
 * A scheme gives each indicator a weight (in hundredths of a point; the weights of a
 * scheme sum to 100 points) and a rule that turns a county's frozen value (and, for
 * two rules, its target) into a share of that weight:
 *
 *   ratio  — 完成率: achievement a = value / target (higher is better) or target / value
 *            (lower is better); share = min(a, cap_pct / 100). Meeting the target earns the
 *            full weight, over-achievement earns up to cap_pct % of it (default 120 %).
 *   linear — 线性: share = (a − f) / (1 − f) clamped to [0, 1], f = floor_pct / 100: an
 *            achievement at or below the floor earns nothing, the target earns the weight.
 *   rank   — 排名: counties with a value are ranked (ties share the better rank); the
 *            first earns the full weight, the last min_pct % of it, linearly in between;
 *            a single ranked county earns the full weight.
 *
 * A county without a value (or, for ratio and linear, without a target) scores 0 on
 * that indicator. Scores are rounded to hundredths of a point per indicator and summed
 * as integers, so a total is exactly the sum of the printed item scores and the same
 * inputs always give the same totals and ranks. Nothing here allocates or does I/O.
 */
#ifndef KC_ASSESS_SCORE_H
#define KC_ASSESS_SCORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The scoring rules. */
enum assess_rule {
    ASSESS_RATIO,  /* achievement ratio, capped */
    ASSESS_LINEAR, /* linear between a floor and the target */
    ASSESS_RANK    /* by rank among the counties */
};

/* One indicator of a scheme as the scorer needs it. */
struct assess_item {
    enum assess_rule rule; /* how the share is computed */
    int64_t weight_centi;  /* weight in hundredths of a point (1–10000) */
    bool lower_better;     /* the indicator's direction */
    int cap_pct;           /* ratio: highest achievement counted, 100–200 */
    int floor_pct;         /* linear: achievement scoring nothing, 0–99 */
    int min_pct;           /* rank: share of the weight the last county earns, 0–100 */
};

/* Limits of the rule parameters (validation and defaults). */
#define ASSESS_CAP_MIN 100
#define ASSESS_CAP_MAX 200
#define ASSESS_CAP_DEFAULT 120
#define ASSESS_FLOOR_MAX 99
#define ASSESS_FLOOR_DEFAULT 60
#define ASSESS_MIN_DEFAULT 0
/* The weights of a scheme sum to this (100 points in hundredths). */
#define ASSESS_WEIGHT_TOTAL 10000

/* Parses a rule name ("ratio", "linear", "rank"); false when unknown. */
bool assess_rule_parse(const char *name, enum assess_rule *out);
/* The name of a rule. */
const char *assess_rule_name(enum assess_rule r);

/* The achievement of value against target, uncapped (≥ 0). Higher is better: value /
 * target (a target ≤ 0 gives 1 when value ≥ target, else 0). Lower is better: target /
 * value; a value ≤ 0 gives 1 when target ≤ 0 and cap when target > 0 (nothing left to
 * reduce); a target ≤ 0 with a positive value gives 0. cap bounds the special cases. */
double assess_achievement(double value, double target, bool lower_better, double cap);

/* The share of the weight (0 … cap) for a ratio or linear item; has_target false or a
 * non-finite value gives 0. */
double assess_share_target(const struct assess_item *it, double value, double target,
                           bool has_target);

/* The share of the weight (0 … 1) for a rank item: rank (1 = best) among n ranked
 * counties; rank 0 (no value) gives 0. */
double assess_share_rank(const struct assess_item *it, int rank, int n);

/* The score in hundredths of a point for a share of an item's weight (rounded half
 * away from zero). */
int64_t assess_score_centi(const struct assess_item *it, double share);

/* Ranks n values (competition ranking: 1, 2, 2, 4): present[i] false gets rank 0 and is
 * not counted; better is larger unless lower_better. Writes ranks[n] and returns the
 * number ranked. */
int assess_rank_values(size_t n, const double *values, const bool *present, bool lower_better,
                       int *ranks);

/* Ranks n totals (hundredths; larger is better) with competition ranking into ranks[n]. */
void assess_rank_totals(size_t n, const int64_t *totals, int *ranks);

#endif
