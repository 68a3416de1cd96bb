/*
 * achievement.h — the achievements library (科技成果) as the matcher sees it: bulk
 * import from JSON Lines or CSV, idempotent by external id, and loading the matcher's
 * index from the table (schema: src/db/schema/0002_market.sql).
 *
 * Import rules (API.md `kechuang import achievements`):
 *   - JSON Lines: one object per line with `id` (string or integer), `title`,
 *     `abstract`, `keywords` (array of strings) and optional `discipline`; other
 *     members are ignored.
 *   - CSV (UTF-8, or GB18030 when the file is not valid UTF-8): a header row naming
 *     the same columns in any order; `keywords` separated by `;`, `；` or `_`.
 *   - The source id is kept as `external_id`: a new id inserts, a known id whose
 *     title/abstract/keywords/discipline differ updates, an identical row changes
 *     nothing. An id repeated within one file is rejected after its first row.
 *   - A bad row is reported as one JSON line {"line","field","error","message"} and
 *     skipped; the import goes on. Rows are written in transactions of
 *     ACHIEVEMENT_BATCH rows.
 * When the achievement module (domain/achievement.c) arrives, the validation table
 * moves there and this file keeps only the import and index glue.
 */
#ifndef KC_SEARCH_ACHIEVEMENT_H
#define KC_SEARCH_ACHIEVEMENT_H

#include "core/err.h"
#include "search/match.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct buf;
struct db;
struct auth_user;

/* achievement_import_ex's answer when after_commit asked it to stop. */
#define ACHIEVEMENT_STOPPED 1

/* Rows per import transaction. */
#define ACHIEVEMENT_BATCH 1000

/* Input formats. */
enum achievement_format {
    ACHIEVEMENT_AUTO = 0,  /* from the file name, else the first non-blank byte */
    ACHIEVEMENT_JSONL = 1, /* JSON Lines */
    ACHIEVEMENT_CSV = 2    /* CSV with a header row */
};

/* Counters of one import. */
struct achievement_import_stats {
    int64_t rows;      /* data rows read */
    int64_t inserted;  /* new achievements */
    int64_t updated;   /* existing ones changed */
    int64_t unchanged; /* existing ones already identical */
    int64_t errors;    /* rows rejected */
};

/* Options of an import through the API (achievement_import_ex). */
struct achievement_import_opts {
    const struct auth_user *user; /* who imports (scope rules below); NULL: no restriction */
    int64_t max_rows;             /* more data rows → KC_ERR_TOO_LARGE, nothing kept; 0: any */
    int64_t batch;                /* rows per transaction; 0: ACHIEVEMENT_BATCH */
    /* Called inside each batch's transaction before it commits, with the ids that batch
     * inserted or updated (for the audit log); a non-zero return rolls the batch back
     * and ends the import with that error. NULL: none. */
    int (*before_commit)(struct db *db, void *arg, const int64_t *ids, size_t n);
    void *arg;    /* passed to before_commit */
    /* Called after each full batch committed with the counters so far; false stops the
     * import there (achievement_import_ex returns ACHIEVEMENT_STOPPED; the committed
     * batches stay). NULL: none. */
    bool (*after_commit)(void *arg, const struct achievement_import_stats *st);
    void *tick_arg; /* passed to after_commit */
    int64_t *ids; /* out: every id inserted or updated (malloc'd; the caller frees) */
    size_t n_ids; /* out: their count */
};

/* Imports len bytes of data in format fmt into db (which must not be inside a
 * transaction). Row errors go to errs as JSON lines (NULL: not printed). Returns 0
 * when the input was read to its end (row errors are counted in st), KC_ERR_INVALID
 * for an unusable file (no header, unknown format), or KC_ERR_DB. */
int achievement_import(struct db *db, const char *data, size_t len, enum achievement_format fmt,
                       FILE *errs, struct achievement_import_stats *st) KC_MUST_CHECK;
/* achievement_import with options. Besides id, title, abstract, keywords and
 * discipline a row may carry the market fields (API keys): kind, field, chain, status,
 * trl, price_min_fen, price_max_fen, deal_count, owner_org_id or owner_uscc (the owner
 * organisation by its credit code), patent_numbers and transfer_modes (arrays in JSON
 * Lines; in CSV separated by ; ； or _). A field absent from a row keeps the stored
 * value; null (JSON) clears it. The row is validated as a record (domain/market.h:
 * codes, TRL, ZC 0006-2003 patent numbers normalised, prices, chain and owner exist);
 * region_code follows the owner. With o->user: organisation-bound users import for
 * their own organisation only (another owner, or an existing external id of another
 * organisation, is a row error `org_out_of_scope` / `not_yours`); region staff for
 * owners in their region; admins anything. */
int achievement_import_ex(struct db *db, const char *data, size_t len,
                          enum achievement_format fmt, FILE *errs,
                          struct achievement_import_opts *o,
                          struct achievement_import_stats *st) KC_MUST_CHECK;
/* Appends the first sheet of the XLSX workbook at path to out as CSV text (one line per
 * sheet row, blank rows kept so line numbers are sheet rows), stopping after max_rows
 * non-blank rows (0: all). Returns 0, or KC_ERR_INVALID / KC_ERR_IO / KC_ERR_TOO_LARGE
 * for a file that is not a readable workbook. */
int achievement_xlsx_csv(const char *path, int64_t max_rows, struct buf *out) KC_MUST_CHECK;
/* Reads path and imports it (format from the extension .jsonl/.json/.ndjson/.csv, or
 * sniffed; .xlsx workbooks through achievement_xlsx_csv). KC_ERR_IO when unreadable. */
int achievement_import_file(struct db *db, const char *path, FILE *errs,
                            struct achievement_import_stats *st) KC_MUST_CHECK;

/* Builds the matcher's index over every achievement (document ids = achievement ids;
 * fields title, keywords as their JSON text, abstract; discipline). *out is owned by
 * the caller (match_index_free). Returns 0 or KC_ERR_DB. */
int achievement_index_build(struct db *db, const struct match_params *p,
                            struct match_index **out) KC_MUST_CHECK;

/* One achievement's texts, as indexed, for match_explain. */
struct achievement_text {
    char *external_id;    /* source id or NULL */
    struct match_doc doc; /* id, field texts and discipline (strings owned here) */
};

/* Loads achievement id's texts into *t (free with achievement_text_free). Returns 0,
 * KC_ERR_NOT_FOUND or KC_ERR_DB. */
int achievement_text_load(struct db *db, int64_t id, struct achievement_text *t) KC_MUST_CHECK;
/* Frees the strings of *t. */
void achievement_text_free(struct achievement_text *t);

#endif
