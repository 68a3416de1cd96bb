/* demo_market.c — demo data of demands, achievements, experts, deals, contracts, roadshows (issue 4).
 * Called by demo_load inside its transaction (cli/demo.h). */
#include "cli/demo.h"

#include <stddef.h>

int demo_market(struct db *db)
{
    (void)db;
    return 0;
}
