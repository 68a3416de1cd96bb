/* test_search_live.c — unit tests for search/live (the matcher index kept in sync with
 * the achievements table) on a temporary database with the CSL corpus: inserts, edits
 * and deletes are searchable at once; base + delta scores agree with a full rebuild; the
 * background rebuild folds the delta in; readers on other threads keep working while a
 * writer touches rows. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/timeutil.h"
#include "db/db.h"
#include "db/migrate.h"
#include "search/corpus.h"
#include "search/live.h"
#include "search/match.h"

/* Papers in the table before the index is built, and added afterwards. */
#define N_BASE 2500
#define N_MORE 300

static const struct live_source src = {
    "achievements",
    "SELECT id, title, keywords, abstract, discipline FROM achievements ORDER BY id",
    "SELECT id, title, keywords, abstract, discipline FROM achievements WHERE id = ?"};

static char dir[64];
static char path[128];
static struct db *db;
static struct corpus corp;

/* Inserts paper i of the corpus with id i + 1. */
static void insert_paper(size_t i)
{
    const struct corpus_rec *r = &corp.r[i];
    int64_t now = time_now();
    assert_int_equal(db_run(db_query(db,
                                     "INSERT INTO achievements(id, external_id, title, abstract, "
                                     "keywords, discipline, created_at, updated_at) "
                                     "VALUES(?,?,?,?,?,?,?,?)",
                                     "isssssii", (int64_t)i + 1, r->id, r->title, r->abstract,
                                     r->kw_text, r->discipline, now, now)),
                     0);
}

/* A migrated database with the first N_BASE papers. */
static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof(dir), "/tmp/kc-test-live-XXXXXX");
    if (!mkdtemp(dir))
        return -1;
    snprintf(path, sizeof(path), "%s/kechuang.db", dir);
    if (db_open(path, &db) != 0 || migrate_run(db, NULL) != 0 || corpus_load(NULL, &corp) != 0 ||
        corp.n < N_BASE + N_MORE)
        return -1;
    if (db_begin(db) != 0)
        return -1;
    for (size_t i = 0; i < N_BASE; i++)
        insert_paper(i);
    return db_commit(db);
}

/* Closes and removes everything. */
static int teardown(void **state)
{
    (void)state;
    db_close(db);
    corpus_free(&corp);
    const char *files[] = {"kechuang.db", "kechuang.db-wal", "kechuang.db-shm"};
    char p[160];
    for (int i = 0; i < 3; i++) {
        snprintf(p, sizeof(p), "%s/%s", dir, files[i]);
        unlink(p);
    }
    rmdir(dir);
    return 0;
}

/* The best id for query q in L (0 when none). */
static int64_t best(struct live *L, const char *q)
{
    struct live_snap *s = live_acquire(L);
    struct live_hit h[1];
    int n = live_search(s, q, (int)strlen(q), 1, h);
    live_release(s);
    return n > 0 ? h[0].hit.id : 0;
}

/* True when id is among the top k for q. */
static bool in_top(struct live *L, const char *q, int k, int64_t id)
{
    struct live_snap *s = live_acquire(L);
    struct live_hit h[50];
    int n = live_search(s, q, (int)strlen(q), k, h);
    live_release(s);
    for (int i = 0; i < n; i++)
        if (h[i].hit.id == id)
            return true;
    return false;
}

/* Inserts, edits and deletes are searchable as soon as they are touched. */
static void test_sync(void **state)
{
    (void)state;
    struct match_params p = match_params_default();
    struct live *L = live_new(&src, &p, NULL);
    assert_null(live_acquire(L));
    assert_int_equal(live_build(L, db), 0);
    struct live_stats st;
    live_stats(L, &st);
    assert_int_equal(st.base_docs, N_BASE);
    /* A new paper: not found before the touch, first after it. */
    insert_paper(N_BASE);
    int64_t id = N_BASE + 1;
    const char *title = corp.r[N_BASE].title;
    assert_false(in_top(L, title, 10, id));
    assert_int_equal(live_touch(L, db, &id, 1), 0);
    assert_int_equal(best(L, title), id);
    /* An edited base paper: its new title finds it, its old one no longer does. */
    int64_t old = 7;
    const char *old_title = corp.r[6].title;
    assert_int_equal(best(L, old_title), old);
    assert_int_equal(db_run(db_query(db,
                                     "UPDATE achievements SET title='钒钛磁铁矿冶炼渣综合利用', "
                                     "abstract='', keywords='[]' WHERE id=?",
                                     "i", old)),
                     0);
    assert_int_equal(live_touch(L, db, &old, 1), 0);
    assert_false(in_top(L, old_title, 50, old));
    assert_int_equal(best(L, "钒钛磁铁矿冶炼渣"), old);
    live_stats(L, &st);
    assert_int_equal(st.hidden, 1);
    assert_int_equal(st.delta_docs, 2);
    /* Deleted: gone from both parts. */
    int64_t two[] = {old, id};
    assert_int_equal(
        db_run(db_query(db, "DELETE FROM achievements WHERE id IN (?, ?)", "ii", old, id)), 0);
    assert_int_equal(live_touch(L, db, two, 2), 0);
    assert_false(in_top(L, "钒钛磁铁矿冶炼渣", 50, old));
    assert_false(in_top(L, title, 50, id));
    live_stats(L, &st);
    assert_int_equal(st.delta_docs, 0);
    assert_int_equal(st.hidden, 1);
    struct live_snap *s = live_acquire(L);
    assert_int_equal(live_snap_docs(s), N_BASE - 1);
    live_release(s);
    /* Restore the table for the next tests. */
    insert_paper(6);
    assert_int_equal(db_run(db_query(db, "UPDATE achievements SET title=? WHERE id=?", "si",
                                     corp.r[6].title, old)),
                     0);
    live_free(L);
}

/* Base + delta ranks like a full rebuild: the delta is scored with the base's
 * statistics, so the merged top 10 mostly equals the rebuilt index's. */
static void test_delta_like_full(void **state)
{
    (void)state;
    struct match_params p = match_params_default();
    struct live *L = live_new(&src, &p, NULL);
    live_set_delta_limit(L, 100000);
    assert_int_equal(live_build(L, db), 0);
    int64_t ids[N_MORE];
    for (size_t i = 0; i < N_MORE; i++) {
        insert_paper(N_BASE + i);
        ids[i] = (int64_t)(N_BASE + i + 1);
    }
    assert_int_equal(live_touch(L, db, ids, N_MORE), 0);
    struct live *F = live_new(&src, &p, NULL);
    assert_int_equal(live_build(F, db), 0);
    struct live_snap *a = live_acquire(L), *b = live_acquire(F);
    double overlap = 0;
    int own_first = 0, queries = 0;
    for (size_t i = 0; i < N_BASE + N_MORE; i += 17) {
        /* The keywords of the paper as the query (the evaluation's topic protocol). */
        const char *q = corp.r[i].kw_text;
        if (!q || !*q)
            continue;
        struct live_hit ha[10], hb[10];
        int na = live_search(a, q, (int)strlen(q), 10, ha);
        int nb = live_search(b, q, (int)strlen(q), 10, hb);
        assert_true(na >= 0 && nb >= 0);
        int same = 0;
        for (int x = 0; x < na; x++)
            for (int y = 0; y < nb; y++)
                same += ha[x].hit.id == hb[y].hit.id;
        overlap += nb ? (double)same / nb : 1;
        const char *t = corp.r[i].title;
        own_first += best(L, t) == (int64_t)i + 1;
        queries++;
    }
    live_release(a);
    live_release(b);
    overlap /= queries;
    print_message("top-10 overlap with a full rebuild: %.3f over %d queries\n", overlap, queries);
    /* Measured: about 0.97; the check leaves room, a broken delta scores far lower. */
    if (overlap < 0.9)
        fail_msg("top-10 overlap with a full rebuild %.3f", overlap);
    assert_true(own_first >= queries * 9 / 10);
    live_free(F);
    live_free(L);
}

/* Reader threads search while the main thread touches rows and background rebuilds
 * swap the base in. */
struct reader {
    struct live *L;   /* the index */
    atomic_int *stop; /* set when the writer is done */
    long searches;    /* searches done */
    int bad;          /* results with impossible ids */
};

/* Searches titles in a loop until told to stop. */
static void *reader_main(void *arg)
{
    struct reader *r = arg;
    size_t i = 0;
    while (!atomic_load(r->stop)) {
        struct live_snap *s = live_acquire(r->L);
        const char *q = corp.r[i++ % (N_BASE + N_MORE)].title;
        struct live_hit h[10];
        int n = live_search(s, q, (int)strlen(q), 10, h);
        for (int k = 0; k < n; k++)
            r->bad += h[k].hit.id < 1 || h[k].hit.id > N_BASE + N_MORE;
        live_release(s);
        r->searches++;
    }
    return NULL;
}

static void test_threads_and_rebuild(void **state)
{
    (void)state;
    struct match_params p = match_params_default();
    struct live *L = live_new(&src, &p, path);
    live_set_delta_limit(L, 40);
    assert_int_equal(live_build(L, db), 0);
    atomic_int stop = 0;
    struct reader rd[3];
    pthread_t th[3];
    for (int t = 0; t < 3; t++) {
        rd[t] = (struct reader){L, &stop, 0, 0};
        assert_int_equal(pthread_create(&th[t], NULL, reader_main, &rd[t]), 0);
    }
    /* Edit 150 rows one by one (titles swapped to another paper's): three or more
     * rebuilds run in the background meanwhile. */
    for (int64_t id = 1; id <= 150; id++) {
        const char *t = corp.r[N_BASE + N_MORE + (size_t)id].title;
        assert_int_equal(
            db_run(db_query(db, "UPDATE achievements SET title=? WHERE id=?", "si", t, id)), 0);
        assert_int_equal(live_touch(L, db, &id, 1), 0);
    }
    live_wait(L);
    atomic_store(&stop, 1);
    long total = 0;
    for (int t = 0; t < 3; t++) {
        pthread_join(th[t], NULL);
        assert_int_equal(rd[t].bad, 0);
        total += rd[t].searches;
    }
    assert_true(total > 0);
    struct live_stats st;
    live_stats(L, &st);
    assert_true(st.rebuilds >= 1);
    assert_int_equal(st.seq, 150);
    /* Every edit is visible, whichever part holds it now. */
    for (int64_t id = 1; id <= 150; id += 7)
        assert_true(in_top(L, corp.r[N_BASE + N_MORE + (size_t)id].title, 3, id));
    live_free(L);
}

/* Runs the tests. */
int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sync),
        cmocka_unit_test(test_delta_like_full),
        cmocka_unit_test(test_threads_and_rebuild),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
