/*
 * live.h — a matcher index kept in sync with a table while the server runs.
 *
 * A live index is a base index (built from every row, immutable) plus a small delta
 * index holding the current version of the rows written since the base was built,
 * and a bitmap hiding the base's stale versions of those rows (tombstones). The delta
 * is scored with the base's collection statistics (match_builder_finish_ref), so
 * scores from both are comparable and a search merges the two top-k lists.
 *
 * Writers call live_touch after their transaction commits, with the ids they wrote:
 * each row is re-read (so the last toucher always installs the latest committed
 * version, whatever the order of concurrent commits), the delta is rebuilt (it is
 * small) and a new snapshot is published. When the delta outgrows its limit
 * (max(LIVE_DELTA_MIN, base documents / 16)) a background thread rebuilds the base
 * from the table; rows touched after the rebuild started stay in the new delta (a
 * sequence number per touch decides).
 *
 * Readers take a snapshot (live_acquire), search it as often as they like, and
 * release it (live_release); snapshots are reference-counted, so a reader never sees
 * a half-built index and writers never wait for readers. Thread-safe throughout.
 *
 * A source names the SQL that reads the documents: `all` selects every row ordered by
 * id, `one` the row with id = ?1; both return the columns id, title text, keywords
 * text, abstract text, discipline (search/match.h fields).
 */
#ifndef KC_SEARCH_LIVE_H
#define KC_SEARCH_LIVE_H

#include "core/err.h"
#include "search/match.h"

#include <stddef.h>
#include <stdint.h>

struct db;
struct live;
struct live_snap;

/* Least delta size that triggers a base rebuild. */
#define LIVE_DELTA_MIN 256

/* Where a live index reads its documents. */
struct live_source {
    const char *name; /* for logs: "achievements" */
    const char *all;  /* SELECT id, t0, t1, t2, discipline FROM … ORDER BY id */
    const char *one;  /* the same columns for the row whose id = ? */
};

/* One merged hit. */
struct live_hit {
    struct match_hit hit;         /* the hit in its own index (doc, id, scores) */
    const struct match_index *ix; /* that index (the base or the delta): for explain */
};

/* Counters of a live index. */
struct live_stats {
    uint32_t base_docs;  /* documents in the base */
    uint32_t delta_docs; /* current versions in the delta (deleted rows not counted) */
    uint32_t hidden;     /* base documents hidden by tombstones */
    uint64_t rebuilds;   /* base rebuilds finished */
    uint64_t seq;        /* touches so far */
};

/* Creates a live index over src (copied by reference: src must outlive it) with the
 * ranking parameters p. db_path names the database a background rebuild opens; NULL
 * rebuilds synchronously inside live_touch (tests, command line). Empty until
 * live_build. */
struct live *live_new(const struct live_source *src, const struct match_params *p,
                      const char *db_path);
/* Overrides the delta size that triggers a rebuild (tests). */
void live_set_delta_limit(struct live *L, uint32_t n);
/* Builds the base from every row now (through db) and publishes it. 0 or KC_ERR_DB. */
int live_build(struct live *L, struct db *db) KC_MUST_CHECK;
/* Re-reads the rows ids[0..n) through db (deleted rows become tombstones), rebuilds
 * the delta and publishes a new snapshot. 0 or KC_ERR_DB (the snapshot is unchanged
 * then). */
int live_touch(struct live *L, struct db *db, const int64_t *ids, size_t n) KC_MUST_CHECK;
/* Waits for a background rebuild in progress (tests, shutdown). */
void live_wait(struct live *L);
/* Frees the index after waiting for a background rebuild; NULL is a no-op. Snapshots
 * still held stay valid until released. */
void live_free(struct live *L);
/* Current counters. */
void live_stats(struct live *L, struct live_stats *st);

/* Takes the current snapshot (never NULL after live_build; NULL before). */
struct live_snap *live_acquire(struct live *L);
/* Releases a snapshot; NULL is a no-op. */
void live_release(struct live_snap *s);
/* Text top-k over the snapshot (base minus tombstones, plus delta), best first (text
 * score, then id). Returns the number of hits (≤ k ≤ 1000) or a negative kc_err. */
int live_search(struct live_snap *s, const char *query, int n, int k, struct live_hit *out);
/* The snapshot's base index (its collection statistics describe the library). */
const struct match_index *live_snap_base(const struct live_snap *s);
/* Documents in the snapshot (base visible + delta). */
uint32_t live_snap_docs(const struct live_snap *s);

/* One document's texts as indexed (strings owned; free with live_doc_free). */
struct live_doc {
    struct match_doc doc; /* id, field texts, discipline */
};
/* Reads document id through L's `one` query. 0, KC_ERR_NOT_FOUND or KC_ERR_DB. */
int live_doc_load(struct live *L, struct db *db, int64_t id, struct live_doc *d) KC_MUST_CHECK;
/* Frees the strings of *d. */
void live_doc_free(struct live_doc *d);

#endif
