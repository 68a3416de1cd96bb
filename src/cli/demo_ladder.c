/* demo_ladder.c — demo data of enterprises with yearly data and certificates (issue 3).
 * Called by demo_load inside its transaction (cli/demo.h). */
#include "cli/demo.h"

#include <stddef.h>

int demo_ladder(struct db *db)
{
    (void)db;
    return 0;
}
