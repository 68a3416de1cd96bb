/* asset.c — lookup in the embedded file tables. */
#include "core/asset.h"

#include <string.h>

/* Binary search by path. */
const struct asset *asset_find(const struct asset *tab, size_t n, const char *path)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(tab[mid].path, path);
        if (c == 0)
            return &tab[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}
