/*
 * db_sqlite.c — the SQLite backend of db.h.
 *
 * One connection per thread (thread-local), WAL journal, synchronous=NORMAL, a busy
 * timeout so writers queue instead of failing, foreign keys on, and a small cache of
 * prepared statements per connection keyed by SQL text.
 */
#include "db/db.h"
#include "core/log.h"
#include "core/xalloc.h"
#include "search/fts5.h"

#include <pthread.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#define STMT_CACHE 256
#define RECENT 64 /* pointer-keyed hints in front of the cache */

/* A cached prepared statement. */
struct db_stmt {
    sqlite3_stmt *st;  /* the SQLite statement */
    const char *sql;   /* the SQL text (a private copy) */
    struct db *db;     /* owning connection */
};

/* A connection and its statement cache. */
struct db {
    sqlite3 *h;                           /* SQLite handle */
    struct db_stmt cache[STMT_CACHE];     /* open-addressed by SQL text hash */
    struct db_stmt *recent[RECENT];       /* by the caller's SQL pointer: a hint only */
    int in_tx;                            /* a transaction is open */
};

static char *thread_path;                 /* path for per-thread connections */
static _Thread_local struct db *thread_db; /* this thread's connection */
static atomic_ullong db_errors;           /* errors counted for /metrics */

/* Counts and logs a database error. */
static int fail(struct db *db, const char *what)
{
    atomic_fetch_add(&db_errors, 1);
    log_msg(LOG_ERROR, "database error", "op", what, "error", db ? sqlite3_errmsg(db->h) : "?",
            NULL);
    return KC_ERR_DB;
}

uint64_t db_error_count(void)
{
    return atomic_load(&db_errors);
}

/* Opens the file and configures the connection. */
int db_open(const char *path, struct db **out)
{
    sqlite3 *h = NULL;
    int rc = sqlite3_open_v2(path, &h,
                             SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                             NULL);
    if (rc != SQLITE_OK) {
        log_msg(LOG_ERROR, "cannot open database", "path", path, "error",
                h ? sqlite3_errmsg(h) : "out of memory", NULL);
        sqlite3_close(h);
        return KC_ERR_DB;
    }
    sqlite3_busy_timeout(h, 10000);
    sqlite3_extended_result_codes(h, 1);
    if (search_fts5_register(h) != 0) {
        log_msg(LOG_ERROR, "cannot register the kc_cjk FTS5 tokenizer", "path", path, NULL);
        sqlite3_close(h);
        return KC_ERR_DB;
    }
    struct db *db = xcalloc(1, sizeof(*db));
    db->h = h;
    if (db_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
                    "PRAGMA foreign_keys=ON; PRAGMA temp_store=MEMORY;") != 0) {
        db_close(db);
        return KC_ERR_DB;
    }
    *out = db;
    return 0;
}

/* Finalizes cached statements and closes. */
void db_close(struct db *db)
{
    if (!db)
        return;
    for (int i = 0; i < STMT_CACHE; i++)
        if (db->cache[i].st) {
            sqlite3_finalize(db->cache[i].st);
            free((char *)db->cache[i].sql);
        }
    sqlite3_close(db->h);
    free(db);
}

void db_set_path(const char *path)
{
    free(thread_path);
    thread_path = xstrdup(path);
}

/* Every per-thread connection, so they can be closed once the threads have stopped. */
#define MAX_THREAD_DBS 256
static struct db *thread_dbs[MAX_THREAD_DBS];
static int n_thread_dbs;
static pthread_mutex_t thread_dbs_lock = PTHREAD_MUTEX_INITIALIZER;

/* This thread's connection, opened (and registered) on first use. */
struct db *db_thread(void)
{
    if (!thread_db && thread_path) {
        if (db_open(thread_path, &thread_db) != 0)
            return thread_db = NULL;
        pthread_mutex_lock(&thread_dbs_lock);
        if (n_thread_dbs < MAX_THREAD_DBS)
            thread_dbs[n_thread_dbs++] = thread_db;
        pthread_mutex_unlock(&thread_dbs_lock);
    }
    return thread_db;
}

void db_thread_close_all(void)
{
    pthread_mutex_lock(&thread_dbs_lock);
    for (int i = 0; i < n_thread_dbs; i++)
        db_close(thread_dbs[i]);
    n_thread_dbs = 0;
    pthread_mutex_unlock(&thread_dbs_lock);
    thread_db = NULL;
    free(thread_path);
    thread_path = NULL;
}

static struct db_stmt *prep_slot(struct db *db, const char *sql);

/* FNV-1a over the SQL text: the cache key. */
static unsigned hash_sql(const char *s)
{
    unsigned h = 2166136261u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

/* Returns the cached statement for sql, preparing it on first use. Lookups probe at
 * most CACHE_PROBES slots; when they are all taken by other statements, the home slot's
 * statement is finalized and replaced (entries are never removed otherwise, so no probe
 * chain is ever broken). */
#define CACHE_PROBES 8
struct db_stmt *db_prep(struct db *db, const char *sql)
{
    /* Most SQL is a string literal prepared again and again (bulk imports: several
     * times per row), so the caller's pointer finds the entry without hashing the text;
     * the text comparison keeps this right when a buffer is reused for other SQL. */
    struct db_stmt **hint = &db->recent[((uintptr_t)sql >> 3) % RECENT];
    if (*hint && (*hint)->st && strcmp((*hint)->sql, sql) == 0)
        return *hint;
    struct db_stmt *e = prep_slot(db, sql);
    if (e)
        *hint = e;
    return e;
}

/* db_prep without the hint: the cache lookup by text, preparing on a miss. */
static struct db_stmt *prep_slot(struct db *db, const char *sql)
{
    unsigned h = hash_sql(sql) % STMT_CACHE;
    struct db_stmt *slot = NULL;
    for (unsigned k = 0; k < CACHE_PROBES; k++) {
        struct db_stmt *e = &db->cache[(h + k) % STMT_CACHE];
        if (!e->st) {
            slot = e;
            break;
        }
        if (strcmp(e->sql, sql) == 0)
            return e;
    }
    if (!slot) {
        slot = &db->cache[h];
        sqlite3_finalize(slot->st);
        free((char *)slot->sql);
        slot->st = NULL;
        slot->sql = NULL;
    }
    if (sqlite3_prepare_v3(db->h, sql, -1, SQLITE_PREPARE_PERSISTENT, &slot->st, NULL) !=
        SQLITE_OK) {
        slot->st = NULL;
        fail(db, sql);
        return NULL;
    }
    slot->sql = xstrdup(sql);
    slot->db = db;
    return slot;
}

/* Prepares and binds by a type string. */
struct db_stmt *db_query(struct db *db, const char *sql, const char *types, ...)
{
    struct db_stmt *st = db_prep(db, sql);
    if (!st)
        return NULL;
    va_list ap;
    va_start(ap, types);
    int idx = 1;
    int rc = 0;
    for (const char *t = types; *t && rc == 0; t++, idx++) {
        switch (*t) {
        case 'i':
            rc = db_bind_int(st, idx, va_arg(ap, int64_t));
            break;
        case 's':
            rc = db_bind_text(st, idx, va_arg(ap, const char *));
            break;
        case 'd':
            rc = db_bind_double(st, idx, va_arg(ap, double));
            break;
        default:
            rc = db_bind_null(st, idx);
            break;
        }
    }
    va_end(ap);
    if (rc != 0) {
        db_done(st);
        return NULL;
    }
    return st;
}

int db_bind_int(struct db_stmt *st, int idx, int64_t v)
{
    return sqlite3_bind_int64(st->st, idx, v) == SQLITE_OK ? 0 : fail(st->db, "bind");
}

int db_bind_text(struct db_stmt *st, int idx, const char *s)
{
    int rc = s ? sqlite3_bind_text(st->st, idx, s, -1, SQLITE_TRANSIENT)
               : sqlite3_bind_null(st->st, idx);
    return rc == SQLITE_OK ? 0 : fail(st->db, "bind");
}

int db_bind_double(struct db_stmt *st, int idx, double v)
{
    return sqlite3_bind_double(st->st, idx, v) == SQLITE_OK ? 0 : fail(st->db, "bind");
}

int db_bind_null(struct db_stmt *st, int idx)
{
    return sqlite3_bind_null(st->st, idx) == SQLITE_OK ? 0 : fail(st->db, "bind");
}

/* Steps once; maps constraint violations to KC_ERR_CONFLICT. */
int db_step(struct db_stmt *st)
{
    int rc = sqlite3_step(st->st);
    if (rc == SQLITE_ROW)
        return DB_ROW;
    if (rc == SQLITE_DONE)
        return DB_DONE;
    if ((rc & 0xff) == SQLITE_CONSTRAINT)
        return KC_ERR_CONFLICT;
    return fail(st->db, st->sql);
}

void db_done(struct db_stmt *st)
{
    sqlite3_reset(st->st);
    sqlite3_clear_bindings(st->st);
}

int db_run(struct db_stmt *st)
{
    if (!st)
        return KC_ERR_DB;
    int rc = db_step(st);
    db_done(st);
    return rc < 0 ? rc : 0;
}

int db_scalar(struct db_stmt *st, int64_t *out)
{
    if (!st)
        return KC_ERR_DB;
    int rc = db_step(st);
    *out = rc == DB_ROW ? sqlite3_column_int64(st->st, 0) : 0;
    db_done(st);
    return rc < 0 ? rc : 0;
}

int db_col_count(struct db_stmt *st)
{
    return sqlite3_column_count(st->st);
}

const char *db_col_name(struct db_stmt *st, int i)
{
    return sqlite3_column_name(st->st, i);
}

enum db_type db_col_type(struct db_stmt *st, int i)
{
    switch (sqlite3_column_type(st->st, i)) {
    case SQLITE_INTEGER:
        return DB_INT;
    case SQLITE_FLOAT:
        return DB_FLOAT;
    case SQLITE_TEXT:
        return DB_TEXT;
    case SQLITE_BLOB:
        return DB_BLOB;
    default:
        return DB_NULL;
    }
}

int64_t db_col_int(struct db_stmt *st, int i)
{
    return sqlite3_column_int64(st->st, i);
}

double db_col_double(struct db_stmt *st, int i)
{
    return sqlite3_column_double(st->st, i);
}

const char *db_col_text(struct db_stmt *st, int i)
{
    return (const char *)sqlite3_column_text(st->st, i);
}

int db_exec(struct db *db, const char *sql)
{
    char *err = NULL;
    if (sqlite3_exec(db->h, sql, NULL, NULL, &err) != SQLITE_OK) {
        atomic_fetch_add(&db_errors, 1);
        log_msg(LOG_ERROR, "database error", "op", "exec", "error", err ? err : "?", NULL);
        sqlite3_free(err);
        return KC_ERR_DB;
    }
    return 0;
}

int db_begin(struct db *db)
{
    int rc = db_exec(db, "BEGIN IMMEDIATE");
    if (rc == 0)
        db->in_tx = 1;
    return rc;
}

int db_commit(struct db *db)
{
    int rc = db_exec(db, "COMMIT");
    if (rc == 0)
        db->in_tx = 0;
    else
        db_rollback(db);
    return rc;
}

void db_rollback(struct db *db)
{
    if (!sqlite3_get_autocommit(db->h))
        sqlite3_exec(db->h, "ROLLBACK", NULL, NULL, NULL);
    db->in_tx = 0;
}

int db_triggers(struct db *db, bool on)
{
    int now = -1;
    if (sqlite3_db_config(db->h, SQLITE_DBCONFIG_ENABLE_TRIGGER, on ? 1 : 0, &now) != SQLITE_OK ||
        now != (on ? 1 : 0))
        return fail(db, "enable trigger");
    return 0;
}

int64_t db_last_id(struct db *db)
{
    return sqlite3_last_insert_rowid(db->h);
}

int db_changes(struct db *db)
{
    return sqlite3_changes(db->h);
}

const char *db_errmsg(struct db *db)
{
    return sqlite3_errmsg(db->h);
}

/* Online backup of the main database into dest_path. */
int db_backup(struct db *db, const char *dest_path)
{
    sqlite3 *dest = NULL;
    if (sqlite3_open(dest_path, &dest) != SQLITE_OK) {
        sqlite3_close(dest);
        return KC_ERR_IO;
    }
    sqlite3_backup *b = sqlite3_backup_init(dest, "main", db->h, "main");
    int rc = KC_ERR_DB;
    if (b) {
        int s;
        while ((s = sqlite3_backup_step(b, 256)) == SQLITE_OK || s == SQLITE_BUSY ||
               s == SQLITE_LOCKED)
            sqlite3_sleep(5);
        sqlite3_backup_finish(b);
        if (s == SQLITE_DONE && sqlite3_errcode(dest) == SQLITE_OK)
            rc = 0;
    }
    sqlite3_close(dest);
    return rc;
}
