/* demo_deals.c — demo data of matches, contracts and roadshows (issue 4).
 * Called by demo_load inside its transaction after demo_market (cli/demo.h). */
#include "cli/demo.h"

#include <stddef.h>

int demo_deals(struct db *db)
{
    (void)db;
    return 0;
}
