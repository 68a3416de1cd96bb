/* assess_score.c — scoring rules of the county assessment (see assess_score.h). */
#include "domain/assess_score.h"

#include <math.h>
#include <string.h>

/* Rule names, indexed by enum assess_rule. */
static const char *const rule_names[] = {"ratio", "linear", "rank"};

bool assess_rule_parse(const char *name, enum assess_rule *out)
{
    for (size_t i = 0; name && i < sizeof(rule_names) / sizeof(rule_names[0]); i++)
        if (strcmp(name, rule_names[i]) == 0) {
            *out = (enum assess_rule)i;
            return true;
        }
    return false;
}

const char *assess_rule_name(enum assess_rule r)
{
    return (unsigned)r < sizeof(rule_names) / sizeof(rule_names[0]) ? rule_names[r] : "?";
}

double assess_achievement(double value, double target, bool lower_better, double cap)
{
    if (!lower_better) {
        if (target <= 0)
            return value >= target ? 1 : 0;
        return value <= 0 ? 0 : value / target;
    }
    if (value <= 0)
        return target <= 0 ? 1 : cap;
    if (target <= 0)
        return 0;
    return target / value;
}

double assess_share_target(const struct assess_item *it, double value, double target,
                           bool has_target)
{
    if (!has_target || !isfinite(value) || !isfinite(target))
        return 0;
    double cap = it->cap_pct / 100.0;
    if (it->rule == ASSESS_RATIO) {
        double a = assess_achievement(value, target, it->lower_better, cap);
        return a > cap ? cap : a;
    }
    if (it->rule == ASSESS_LINEAR) {
        double a = assess_achievement(value, target, it->lower_better, 1);
        double f = it->floor_pct / 100.0;
        double s = (a - f) / (1 - f);
        return s < 0 ? 0 : s > 1 ? 1 : s;
    }
    return 0;
}

double assess_share_rank(const struct assess_item *it, int rank, int n)
{
    if (rank <= 0 || n <= 0 || rank > n)
        return 0;
    if (n == 1)
        return 1;
    double low = it->min_pct / 100.0;
    return 1 - (double)(rank - 1) / (double)(n - 1) * (1 - low);
}

int64_t assess_score_centi(const struct assess_item *it, double share)
{
    if (!isfinite(share) || share <= 0)
        return 0;
    /* Round the product computed in hundredths; llround rounds half away from zero. A
     * tiny epsilon keeps 0.1 × 3 style products from rounding down below a half. */
    return llround((double)it->weight_centi * share + 1e-9);
}

int assess_rank_values(size_t n, const double *values, const bool *present, bool lower_better,
                       int *ranks)
{
    int counted = 0;
    for (size_t i = 0; i < n; i++) {
        if (!present[i]) {
            ranks[i] = 0;
            continue;
        }
        counted++;
        int better = 0;
        for (size_t j = 0; j < n; j++)
            if (present[j] && (lower_better ? values[j] < values[i] : values[j] > values[i]))
                better++;
        ranks[i] = better + 1;
    }
    return counted;
}

void assess_rank_totals(size_t n, const int64_t *totals, int *ranks)
{
    for (size_t i = 0; i < n; i++) {
        int better = 0;
        for (size_t j = 0; j < n; j++)
            if (totals[j] > totals[i])
                better++;
        ranks[i] = better + 1;
    }
}
