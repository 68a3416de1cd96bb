/*
 * demo_gen.h — deterministic generators for demo data.
 *
 * A small seeded PRNG (splitmix64) and generators for plausible, fictitious Chinese
 * organisation names and valid unified social credit codes. The same seed always gives
 * the same sequence on every platform, so a demo database can be rebuilt identically.
 * Nothing here allocates or performs I/O; word lists are static and UTF-8.
 *
 * The names are made up from common 字号 and industry words; a generated name may
 * coincide with a real organisation's name, and generated USCCs pass the check
 * algorithms but belong to no one. Demo data must be labelled as such.
 */
#ifndef KC_DEMO_GEN_H
#define KC_DEMO_GEN_H

#include <stddef.h>
#include <stdint.h>

/* State of the demo PRNG (splitmix64); copy it to fork a sequence. */
struct demo_rng {
    uint64_t s; /* the splitmix64 counter; any value, including 0, is a valid state */
};

/* Seeds r; every seed (including 0) gives a full-quality sequence. */
void demo_rng_seed(struct demo_rng *r, uint64_t seed);

/* Returns the next 64 pseudo-random bits (splitmix64) and advances r. */
uint64_t demo_rng_next(struct demo_rng *r);

/*
 * Returns a number uniformly distributed in [0, n) without modulo bias (Lemire's
 * method with rejection); returns 0 when n is 0.
 */
uint32_t demo_rng_below(struct demo_rng *r, uint32_t n);

/*
 * Returns a random industry word for enterprise names from the given GB/T 4754-2017
 * section letter ('A'-'T', upper case), e.g. 'C' → "模具" or "泵业"; a static string.
 * Returns NULL for sections without enterprise words (S, T) or an invalid letter, and
 * then draws nothing from r.
 */
const char *demo_industry_word(struct demo_rng *r, char section);

/*
 * Writes a plausible Chinese organisation name (UTF-8, NUL-terminated) into out[cap],
 * e.g. "台州市黄岩宏达模具有限公司".
 *
 * kind selects the patterns: "enterprise", "university", "institute",
 * "new_rd_institution", "service_provider" or "carrier_operator". city_short is the
 * city without 市 (e.g. "台州", required); county_short the county without 区/县/市
 * (e.g. "黄岩"; NULL or "" leaves it out); industry_word the trade or field word (e.g.
 * "模具", "智能制造"; NULL or "" picks one at random; ignored by "university" and
 * "service_provider", whose patterns carry their own words).
 *
 * A call advances r in the same way whatever the other arguments (even when it fails),
 * so sequences stay aligned. Returns 0, or -1 (out set to "" when cap > 0) if cap is too
 * small, kind is unknown or city_short is NULL.
 */
int demo_org_name(struct demo_rng *r, const char *kind, const char *city_short,
                  const char *county_short, const char *industry_word, char *out, size_t cap);

/*
 * Writes a valid 18-character USCC for an enterprise registered in region6 (six
 * digits, e.g. "331003") into out and NUL-terminates it: "91" + region6 + an 8-character
 * body (either 8 digits or "MA" + 6 characters from the USCC character set) + its
 * GB 11714 check character + the GB 32100 check character. The result passes
 * uscc_check and uscc_orgcode_ok. region6 must be six digits (asserted).
 */
void demo_uscc(struct demo_rng *r, const char *region6, char out[19]);

#endif
