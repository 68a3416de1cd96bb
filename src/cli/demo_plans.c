/* demo_plans.c — demo data of the five seed plans with their targets and observations (issue 5).
 * Called by demo_load inside its transaction (cli/demo.h). */
#include "cli/demo.h"
#include "core/log.h"
#include "domain/plan_data.h"
#include "store/plan.h"

#include <stddef.h>
#include <stdio.h>

/* Loads the five seed plans of data/plans (embedded) into the plan tables. */
int demo_plans(struct db *db)
{
    struct plan_set *set = NULL;
    int rc = plan_data_load_all(&set);
    if (rc)
        return rc;
    struct audit_ctx ctx = {0, "demo", "-"};
    int n = 0;
    rc = plan_seed_load(db, set, &ctx, &n);
    plan_data_free(set);
    if (!rc) {
        char count[16];
        snprintf(count, sizeof(count), "%d", n);
        log_msg(LOG_INFO, "demo plans loaded", "plans", count, NULL);
    }
    return rc;
}
