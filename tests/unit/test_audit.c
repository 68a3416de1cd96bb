/* test_audit.c — unit tests for store/audit: the field-level diff, the entry hash, and
 * the SM3 hash chain on a real SQLite file (write, verify, detect edits and deletes). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "db/db.h"
#include "db/migrate.h"
#include "store/audit.h"

/* ---------------------------------------------------------------- audit_diff */

/* Parses JSON text for a test (fails the test when invalid); the caller decrefs. */
static json_t *js(const char *text)
{
    json_error_t err;
    json_t *j = json_loads(text, 0, &err);
    if (!j)
        fail_msg("bad test JSON %s: %s", text, err.text);
    return j;
}

/* Asserts that diff equals the JSON text want (compared as values). */
static void assert_diff(json_t *diff, const char *want)
{
    json_t *w = js(want);
    if (!json_equal(diff, w)) {
        char *got = json_dumps(diff, JSON_SORT_KEYS | JSON_COMPACT);
        fail_msg("diff %s, expected %s", got, want);
    }
    json_decref(w);
}

/* A create records every non-null field as null → value; nulls and the skipped
 * fields (password_hash, updated_at, id, created_at) are left out. */
static void test_diff_create(void **state)
{
    (void)state;
    json_t *after = js("{\"id\":5,\"name\":\"台州电池有限公司\",\"kind\":\"enterprise\","
                       "\"contact_email\":null,\"password_hash\":\"$argon2id$secret\","
                       "\"updated_at\":1700000000,\"created_at\":1700000000,\"tags\":[1,2]}");
    json_t *d = audit_diff(NULL, after);
    assert_diff(d, "{\"name\":{\"before\":null,\"after\":\"台州电池有限公司\"},"
                   "\"kind\":{\"before\":null,\"after\":\"enterprise\"},"
                   "\"tags\":{\"before\":null,\"after\":[1,2]}}");
    json_decref(d);
    json_decref(after);
}

/* An update records only the changed fields: changed values, a value becoming null,
 * a field added and a field removed; unchanged and skipped fields are left out. */
static void test_diff_update(void **state)
{
    (void)state;
    json_t *before = js("{\"id\":5,\"name\":\"旧名\",\"phone\":\"0576-1\",\"email\":\"a@b.cn\","
                        "\"level\":1,\"gone\":\"x\",\"password_hash\":\"h1\","
                        "\"updated_at\":1,\"same_null\":null}");
    json_t *after = js("{\"id\":5,\"name\":\"新名\",\"phone\":\"0576-1\",\"email\":null,"
                       "\"level\":1,\"added\":true,\"password_hash\":\"h2\","
                       "\"updated_at\":2,\"same_null\":null}");
    json_t *d = audit_diff(before, after);
    assert_diff(d, "{\"name\":{\"before\":\"旧名\",\"after\":\"新名\"},"
                   "\"email\":{\"before\":\"a@b.cn\",\"after\":null},"
                   "\"added\":{\"before\":null,\"after\":true},"
                   "\"gone\":{\"before\":\"x\",\"after\":null}}");
    json_decref(d);
    /* An update that changes nothing (or only skipped fields) is an empty diff. */
    json_t *after2 = js("{\"id\":5,\"name\":\"旧名\",\"phone\":\"0576-1\",\"email\":\"a@b.cn\","
                        "\"level\":1,\"gone\":\"x\",\"password_hash\":\"CHANGED\","
                        "\"updated_at\":99,\"same_null\":null}");
    d = audit_diff(before, after2);
    assert_int_equal(json_object_size(d), 0);
    json_decref(d);
    /* The string "1" and the integer 1 differ in type, and a type change is a change. */
    json_t *b3 = js("{\"v\":\"1\"}");
    json_t *a3 = js("{\"v\":1}");
    d = audit_diff(b3, a3);
    assert_diff(d, "{\"v\":{\"before\":\"1\",\"after\":1}}");
    json_decref(d);
    json_decref(b3);
    json_decref(a3);
    json_decref(after2);
    json_decref(after);
    json_decref(before);
}

/* A delete records every (non-skipped) field as value → null. */
static void test_diff_delete(void **state)
{
    (void)state;
    json_t *before = js("{\"id\":3,\"name\":\"链\",\"codes\":[\"C38\"],"
                        "\"password_hash\":\"$argon2id$x\",\"updated_at\":5}");
    json_t *d = audit_diff(before, NULL);
    assert_diff(d, "{\"name\":{\"before\":\"链\",\"after\":null},"
                   "\"codes\":{\"before\":[\"C38\"],\"after\":null}}");
    json_decref(d);
    json_decref(before);
    d = audit_diff(NULL, NULL);
    assert_non_null(d);
    assert_int_equal(json_object_size(d), 0);
    json_decref(d);
}

/* password_hash and updated_at never appear, in any kind of diff, not even as keys. */
static void test_diff_never_secrets(void **state)
{
    (void)state;
    json_t *b = js("{\"password_hash\":\"old\",\"updated_at\":1,\"x\":1}");
    json_t *a = js("{\"password_hash\":\"new\",\"updated_at\":2,\"x\":2}");
    json_t *cases[3] = {audit_diff(NULL, a), audit_diff(b, a), audit_diff(b, NULL)};
    for (int i = 0; i < 3; i++) {
        assert_null(json_object_get(cases[i], "password_hash"));
        assert_null(json_object_get(cases[i], "updated_at"));
        assert_non_null(json_object_get(cases[i], "x"));
        char *text = json_dumps(cases[i], JSON_COMPACT);
        assert_null(strstr(text, "password_hash"));
        assert_null(strstr(text, "old"));
        assert_null(strstr(text, "new"));
        free(text);
        json_decref(cases[i]);
    }
    json_decref(a);
    json_decref(b);
}

/* ---------------------------------------------------------- audit_entry_hash */

/* The field values of one entry, for hashing. */
struct entry {
    const char *prev;      /* previous hash */
    int64_t id;            /* entry id */
    int64_t at;            /* Unix seconds */
    int64_t user_id;       /* acting user */
    const char *username;  /* acting username */
    const char *ip;        /* client address */
    const char *action;    /* create / update / delete */
    const char *entity;    /* entity name */
    const char *entity_id; /* entity id text */
    const char *diff;      /* diff JSON text */
};

/* Hashes e into out. */
static void hash_entry(const struct entry *e, char out[65])
{
    audit_entry_hash(e->prev, e->id, e->at, e->user_id, e->username, e->ip, e->action,
                     e->entity, e->entity_id, e->diff, out);
}

/* The baseline entry every sensitivity case changes one field of. */
static const struct entry BASE = {
    "0000000000000000000000000000000000000000000000000000000000000000",
    1, 1700000000, 7, "admin", "127.0.0.1", "create", "org", "12",
    "{\"name\":{\"after\":\"甲\",\"before\":null}}"};

/* The hash is 64 lower-case hex digits and the same for the same input. */
static void test_hash_deterministic(void **state)
{
    (void)state;
    char h1[65], h2[65];
    hash_entry(&BASE, h1);
    hash_entry(&BASE, h2);
    assert_int_equal(strlen(h1), 64);
    assert_int_equal(strspn(h1, "0123456789abcdef"), 64);
    assert_string_equal(h1, h2);
    /* NULL username, ip and entity_id hash like empty strings (as stored NULLs read
     * back by audit_verify). */
    struct entry e = BASE, f = BASE;
    e.username = NULL;
    e.ip = NULL;
    e.entity_id = NULL;
    f.username = "";
    f.ip = "";
    f.entity_id = "";
    hash_entry(&e, h1);
    hash_entry(&f, h2);
    assert_string_equal(h1, h2);
}

/* Changing any single field (or moving a character from one field to the next)
 * changes the hash, and every change gives a distinct hash. */
static void test_hash_sensitive_to_every_field(void **state)
{
    (void)state;
    enum { N = 12 };
    char hashes[N][65];
    struct entry e[N];
    for (int i = 0; i < N; i++)
        e[i] = BASE;
    e[1].prev = "1000000000000000000000000000000000000000000000000000000000000000";
    e[2].id = 2;
    e[3].at = 1700000001;
    e[4].user_id = 8;
    e[5].username = "admin2";
    e[6].ip = "127.0.0.2";
    e[7].action = "update";
    e[8].entity = "user";
    e[9].entity_id = "13";
    e[10].diff = "{\"name\":{\"after\":\"乙\",\"before\":null}}";
    /* Moving a character across a field boundary changes the hash too. */
    e[11].username = "admin1";
    e[11].ip = "27.0.0.1";
    for (int i = 0; i < N; i++)
        hash_entry(&e[i], hashes[i]);
    for (int i = 0; i < N; i++)
        for (int j = i + 1; j < N; j++)
            if (strcmp(hashes[i], hashes[j]) == 0)
                fail_msg("entries %d and %d hash the same", i, j);
}

/* ------------------------------------------------------------ the chain on disk */

/* A temporary directory with a migrated database in it. */
struct fixture {
    char dir[64];  /* mkdtemp directory */
    char path[96]; /* the database file */
    struct db *db; /* open connection */
};

/* Opens a database file in a fresh temporary directory and migrates it. */
static int setup_db(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    if (!f)
        return -1;
    snprintf(f->dir, sizeof f->dir, "/tmp/kc-test-audit-XXXXXX");
    if (!mkdtemp(f->dir))
        return -1;
    snprintf(f->path, sizeof f->path, "%s/kc.db", f->dir);
    if (db_open(f->path, &f->db) != 0)
        return -1;
    if (migrate_run(f->db, NULL) != 0)
        return -1;
    *state = f;
    return 0;
}

/* Closes the database and removes its files and directory. */
static int teardown_db(void **state)
{
    struct fixture *f = *state;
    if (!f)
        return 0;
    db_close(f->db);
    static const char *const suffixes[] = {"", "-wal", "-shm"};
    for (size_t i = 0; i < 3; i++) {
        char p[128];
        snprintf(p, sizeof p, "%s%s", f->path, suffixes[i]);
        unlink(p);
    }
    rmdir(f->dir);
    free(f);
    return 0;
}

/* Returns the number of rows in audit_log. */
static int64_t count_entries(struct db *db)
{
    int64_t n = -1;
    assert_int_equal(db_scalar(db_prep(db, "SELECT count(*) FROM audit_log"), &n), 0);
    return n;
}

/* Writes five entries (create, update, no-op update, delete, create) in one
 * transaction each, starting from whatever the log holds; returns the id of the first
 * one written. */
static int64_t write_entries(struct db *db)
{
    const struct audit_ctx ctx = {7, "admin", "10.0.0.1"};
    int64_t before_max = 0;
    assert_int_equal(db_scalar(db_prep(db, "SELECT coalesce(max(id),0) FROM audit_log"),
                               &before_max),
                     0);
    json_t *v1 = js("{\"id\":1,\"name\":\"甲公司\",\"kind\":\"enterprise\",\"email\":null}");
    json_t *v2 = js("{\"id\":1,\"name\":\"乙公司\",\"kind\":\"enterprise\",\"email\":\"a@b.cn\"}");
    json_t *v3 = js("{\"id\":2,\"name\":\"链\",\"codes\":[\"C38\"]}");

    assert_int_equal(db_begin(db), 0);
    assert_int_equal(audit_write(db, &ctx, "create", "org", 1, NULL, v1), 0);
    assert_int_equal(db_commit(db), 0);
    assert_int_equal(db_begin(db), 0);
    assert_int_equal(audit_write(db, &ctx, "update", "org", 1, v1, v2), 0);
    assert_int_equal(db_commit(db), 0);
    /* An update that changes nothing writes nothing. */
    assert_int_equal(db_begin(db), 0);
    assert_int_equal(audit_write(db, &ctx, "update", "org", 1, v2, v2), 0);
    assert_int_equal(db_commit(db), 0);
    assert_int_equal(db_begin(db), 0);
    assert_int_equal(audit_write(db, NULL, "create", "chain", 2, NULL, v3), 0);
    assert_int_equal(db_commit(db), 0);
    assert_int_equal(db_begin(db), 0);
    assert_int_equal(audit_write(db, &ctx, "delete", "chain", 2, v3, NULL), 0);
    assert_int_equal(db_commit(db), 0);
    /* A ready-made diff for an entity without an id. */
    json_t *d = js("{\"setting\":{\"before\":1,\"after\":2}}");
    assert_int_equal(db_begin(db), 0);
    assert_int_equal(audit_write_diff(db, &ctx, "update", "settings", 0, d), 0);
    assert_int_equal(db_commit(db), 0);
    json_decref(d);
    json_decref(v1);
    json_decref(v2);
    json_decref(v3);
    return before_max + 1;
}

/* The number of entries write_entries adds (the no-op update adds none). */
#define N_WRITTEN 5

/* Entries are stored with the context, the compact diff and a chain of hashes; an
 * intact chain verifies with every entry checked. */
static void test_chain_intact(void **state)
{
    struct fixture *f = *state;
    int64_t checked = -1, broken = -1;
    /* The freshly migrated log is intact, whatever it holds. */
    int64_t n0 = count_entries(f->db);
    assert_int_equal(audit_verify(f->db, &checked, &broken), 0);
    assert_int_equal(checked, n0);
    assert_int_equal(broken, 0);

    int64_t first = write_entries(f->db);
    assert_int_equal(count_entries(f->db), n0 + N_WRITTEN);
    assert_int_equal(audit_verify(f->db, &checked, &broken), 0);
    assert_int_equal(checked, n0 + N_WRITTEN);
    assert_int_equal(broken, 0);

    /* The first entry written carries the context and the diff without nulls. */
    struct db_stmt *st = db_query(f->db,
                                  "SELECT user_id,username,ip,action,entity,entity_id,diff,"
                                  "prev_hash,hash FROM audit_log WHERE id=?",
                                  "i", first);
    assert_non_null(st);
    assert_int_equal(db_step(st), DB_ROW);
    assert_int_equal(db_col_int(st, 0), 7);
    assert_string_equal(db_col_text(st, 1), "admin");
    assert_string_equal(db_col_text(st, 2), "10.0.0.1");
    assert_string_equal(db_col_text(st, 3), "create");
    assert_string_equal(db_col_text(st, 4), "org");
    assert_string_equal(db_col_text(st, 5), "1");
    json_t *diff = js(db_col_text(st, 6));
    assert_diff(diff, "{\"name\":{\"before\":null,\"after\":\"甲公司\"},"
                      "\"kind\":{\"before\":null,\"after\":\"enterprise\"}}");
    json_decref(diff);
    if (n0 == 0)
        assert_string_equal(db_col_text(st, 7),
                            "0000000000000000000000000000000000000000000000000000000000000000");
    assert_int_equal(strlen(db_col_text(st, 8)), 64);
    db_done(st);

    /* Each entry's prev_hash is the previous entry's hash. */
    int64_t links = -1;
    assert_int_equal(db_scalar(db_prep(f->db, "SELECT count(*) FROM audit_log a JOIN audit_log b "
                                              "ON b.id = (SELECT min(id) FROM audit_log "
                                              "WHERE id > a.id) WHERE b.prev_hash = a.hash"),
                               &links),
                     0);
    assert_int_equal(links, n0 + N_WRITTEN - 1);

    /* A NULL context is recorded as the system; id 0 as a NULL entity_id. */
    st = db_query(f->db, "SELECT username,ip FROM audit_log WHERE id=?", "i", first + 2);
    assert_int_equal(db_step(st), DB_ROW);
    assert_string_equal(db_col_text(st, 0), "system");
    assert_string_equal(db_col_text(st, 1), "-");
    db_done(st);
    st = db_query(f->db, "SELECT entity_id FROM audit_log WHERE id=?", "i", first + 4);
    assert_int_equal(db_step(st), DB_ROW);
    assert_null(db_col_text(st, 0));
    db_done(st);
}

/* Editing a middle entry's diff is detected at that entry. */
static void test_chain_edit_detected(void **state)
{
    struct fixture *f = *state;
    int64_t first = write_entries(f->db);
    int64_t mid = first + 2;
    char sql[160];
    snprintf(sql, sizeof sql,
             "UPDATE audit_log SET diff='{\"name\":{\"after\":\"伪造\",\"before\":null}}' "
             "WHERE id=%lld",
             (long long)mid);
    assert_int_equal(db_exec(f->db, sql), 0);
    int64_t checked = -1, broken = -1;
    assert_int_equal(audit_verify(f->db, &checked, &broken), KC_ERR_INVALID);
    assert_int_equal(broken, mid);
    assert_int_equal(checked, mid); /* entries up to and including the broken one */
}

/* Editing any other column of an entry (at, user, ip, hash, prev_hash) is detected at
 * that entry too. */
static void test_chain_other_edits_detected(void **state)
{
    struct fixture *f = *state;
    int64_t first = write_entries(f->db);
    static const char *const sets[] = {
        "at=at+1", "user_id=1", "username='root'", "ip='1.2.3.4'", "action='read'",
        "entity='user'", "entity_id='99'",
        "hash='0000000000000000000000000000000000000000000000000000000000000001'",
        "prev_hash='0000000000000000000000000000000000000000000000000000000000000001'"};
    for (size_t i = 0; i < sizeof sets / sizeof sets[0]; i++) {
        int64_t id = first + 1;
        char sql[256];
        assert_int_equal(db_exec(f->db, "SAVEPOINT t"), 0);
        snprintf(sql, sizeof sql, "UPDATE audit_log SET %s WHERE id=%lld", sets[i],
                 (long long)id);
        assert_int_equal(db_exec(f->db, sql), 0);
        int64_t checked = -1, broken = -1;
        int rc = audit_verify(f->db, &checked, &broken);
        if (rc != KC_ERR_INVALID || broken != id)
            fail_msg("edit %s: rc %d, first_broken %lld", sets[i], rc, (long long)broken);
        assert_int_equal(db_exec(f->db, "ROLLBACK TO t; RELEASE t"), 0);
    }
    int64_t checked = -1, broken = -1;
    assert_int_equal(audit_verify(f->db, &checked, &broken), 0);
}

/* Deleting a middle entry is detected at the next id. */
static void test_chain_delete_middle_detected(void **state)
{
    struct fixture *f = *state;
    int64_t first = write_entries(f->db);
    int64_t mid = first + 2;
    char sql[96];
    snprintf(sql, sizeof sql, "DELETE FROM audit_log WHERE id=%lld", (long long)mid);
    assert_int_equal(db_exec(f->db, sql), 0);
    int64_t checked = -1, broken = -1;
    assert_int_equal(audit_verify(f->db, &checked, &broken), KC_ERR_INVALID);
    assert_int_equal(broken, mid + 1);
}

/* Deleting the first entry is detected at the second. */
static void test_chain_delete_first_detected(void **state)
{
    struct fixture *f = *state;
    int64_t first = write_entries(f->db);
    char sql[96];
    snprintf(sql, sizeof sql, "DELETE FROM audit_log WHERE id<=%lld", (long long)first);
    assert_int_equal(db_exec(f->db, sql), 0);
    int64_t checked = -1, broken = -1;
    assert_int_equal(audit_verify(f->db, &checked, &broken), KC_ERR_INVALID);
    assert_int_equal(broken, first + 1);
}

/* Deleting the newest entry is detected (as that id); deleting every entry too. */
static void test_chain_delete_newest_detected(void **state)
{
    struct fixture *f = *state;
    int64_t first = write_entries(f->db);
    int64_t last = first + N_WRITTEN - 1;
    char sql[96];
    snprintf(sql, sizeof sql, "DELETE FROM audit_log WHERE id=%lld", (long long)last);
    assert_int_equal(db_exec(f->db, sql), 0);
    int64_t checked = -1, broken = -1;
    assert_int_equal(audit_verify(f->db, &checked, &broken), KC_ERR_INVALID);
    assert_int_equal(broken, last);
    assert_int_equal(db_exec(f->db, "DELETE FROM audit_log"), 0);
    assert_int_equal(audit_verify(f->db, &checked, &broken), KC_ERR_INVALID);
    assert_int_equal(checked, 0);
    assert_int_equal(broken, 1);
}

/* After a detected break, new writes do not repair it: the chain stays broken. */
static void test_chain_stays_broken(void **state)
{
    struct fixture *f = *state;
    int64_t first = write_entries(f->db);
    char sql[96];
    snprintf(sql, sizeof sql, "UPDATE audit_log SET ip='x' WHERE id=%lld", (long long)first);
    assert_int_equal(db_exec(f->db, sql), 0);
    (void)write_entries(f->db);
    int64_t checked = -1, broken = -1;
    assert_int_equal(audit_verify(f->db, &checked, &broken), KC_ERR_INVALID);
    assert_int_equal(broken, first);
}

/* Runs the audit tests. */
int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_diff_create),
        cmocka_unit_test(test_diff_update),
        cmocka_unit_test(test_diff_delete),
        cmocka_unit_test(test_diff_never_secrets),
        cmocka_unit_test(test_hash_deterministic),
        cmocka_unit_test(test_hash_sensitive_to_every_field),
        cmocka_unit_test_setup_teardown(test_chain_intact, setup_db, teardown_db),
        cmocka_unit_test_setup_teardown(test_chain_edit_detected, setup_db, teardown_db),
        cmocka_unit_test_setup_teardown(test_chain_other_edits_detected, setup_db, teardown_db),
        cmocka_unit_test_setup_teardown(test_chain_delete_middle_detected, setup_db,
                                        teardown_db),
        cmocka_unit_test_setup_teardown(test_chain_delete_first_detected, setup_db,
                                        teardown_db),
        cmocka_unit_test_setup_teardown(test_chain_delete_newest_detected, setup_db,
                                        teardown_db),
        cmocka_unit_test_setup_teardown(test_chain_stays_broken, setup_db, teardown_db),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
