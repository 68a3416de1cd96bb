/*
 * deals_util.h — helpers shared by the deals handlers (contracts, matches, roadshows,
 * broker metrics): query-parameter parsing that replies 422 naming the parameter,
 * China-local dates, and CSV export of a prepared statement.
 */
#ifndef KC_API_DEALS_UTIL_H
#define KC_API_DEALS_UTIL_H

#include <stdbool.h>
#include <stdint.h>

struct http_req;
struct db_stmt;

/* Today's date in China (UTC+8) as YYYY-MM-DD into out[11]. */
void deals_today(char out[11]);
/* True when s is a valid calendar date YYYY-MM-DD. */
bool deals_valid_date(const char *s);
/* Reads an optional positive integer query parameter into *out (0 when absent); replies
 * 422 invalid_value naming it and returns false when malformed. */
bool deals_qint(struct http_req *r, const char *name, int64_t *out);
/* Reads an optional YYYY-MM-DD query parameter (NULL when absent); replies 422
 * invalid_date and returns false when malformed. */
bool deals_qdate(struct http_req *r, const char *name, const char **out);
/* Reads an optional query parameter that must be one of allowed (NULL-terminated);
 * replies 422 invalid_value and returns false otherwise. */
bool deals_qenum(struct http_req *r, const char *name, const char *const *allowed,
                 const char **out);
/* Streams every row of st as CSV (UTF-8 with a byte-order mark, so spreadsheet programs
 * read the Chinese text; cells that would start a formula are prefixed with '), using
 * the (column, Chinese header, English header) triples of cols; replies and calls
 * db_done. */
void deals_export_csv(struct http_req *r, struct db_stmt *st, const char *const *cols,
                      const char *filename);

#endif
