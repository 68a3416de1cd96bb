/*
 * db.h — the backend-neutral database interface.
 *
 * Domain and store code talk to the database only through this header, with SQL that
 * uses `?` placeholders and portable syntax, so a PostgreSQL backend (db_pg.c) can be
 * added without touching them. SQLite (db_sqlite.c) is the default backend: one
 * connection per thread, WAL, `BEGIN IMMEDIATE` for writes.
 *
 * Statements come from a per-connection cache keyed by the SQL text: prepare once, reuse
 * many times. A statement is valid until db_done() is called on it.
 */
#ifndef KC_DB_H
#define KC_DB_H

#include "core/err.h"

#include <stdbool.h>
#include <stdint.h>

struct buf;
struct db;
struct db_stmt;
struct jw;

/* Result of db_step besides errors. */
enum db_step { DB_DONE = 0, DB_ROW = 1 };

/* Column value types. */
enum db_type { DB_NULL, DB_INT, DB_FLOAT, DB_TEXT, DB_BLOB };

/* Opens (creating if needed) the database file at path and sets the connection up
 * (WAL, foreign keys, busy timeout). *out is owned by the caller (db_close). */
int db_open(const char *path, struct db **out) KC_MUST_CHECK;
/* Closes a connection and its statement cache; NULL is a no-op. */
void db_close(struct db *db);

/* Sets the path the per-thread connections open. Call once before serving. */
void db_set_path(const char *path);
/* Returns this thread's connection, opening it on first use; NULL on failure
 * (logged). Owned by the thread; closed by db_thread_close_all. */
struct db *db_thread(void);
/* Closes every per-thread connection; call only after the threads using them have
 * stopped (after http_stop). */
void db_thread_close_all(void);

/* Returns the cached prepared statement for sql (the cache keeps its own copy of the
 * text), or NULL on a preparation error (logged). */
struct db_stmt *db_prep(struct db *db, const char *sql);
/* Prepares sql and binds arguments described by types: 'i' int64_t, 's' const char *
 * (NULL binds null), 'd' double, 'n' nothing (binds null). Returns NULL on error. */
struct db_stmt *db_query(struct db *db, const char *sql, const char *types, ...);
/* Arguments collected while building SQL text with optional conditions: add each
 * value as its "?" is appended, then bind them all at once. */
#define DB_MAX_ARGS 32
struct db_args {
    int n;                            /* values added */
    char type[DB_MAX_ARGS];           /* 'i' or 's' */
    int64_t i[DB_MAX_ARGS];           /* integer values */
    const char *s[DB_MAX_ARGS];       /* text values (borrowed; NULL binds null) */
};
void db_args_int(struct db_args *a, int64_t v);
void db_args_text(struct db_args *a, const char *s);
/* Binds a's values from index 1; returns the next free index or -1 on error. */
int db_bind_args(struct db_stmt *st, const struct db_args *a);
/* db_prep then db_bind_args; NULL on error. */
struct db_stmt *db_prep_args(struct db *db, const char *sql, const struct db_args *a);
/* Finishes a list query whose SELECT … WHERE … text is in sql: appends
 * "ORDER BY alias.sort_col [DESC], alias.id" and, when limit >= 0, LIMIT/OFFSET (added
 * to a), then prepares and binds. sort_col must come from a whitelist. Frees sql's
 * memory. NULL on error. */
struct db_stmt *db_page(struct db *db, struct buf *sql, struct db_args *a, const char *alias,
                        const char *sort_col, bool desc, int64_t limit, int64_t offset);
/* Runs a one-integer query (SELECT count(*) … text in sql) with a; frees sql's memory. */
int db_count(struct db *db, struct buf *sql, const struct db_args *a, int64_t *n) KC_MUST_CHECK;
int db_bind_int(struct db_stmt *st, int idx, int64_t v) KC_MUST_CHECK;
int db_bind_text(struct db_stmt *st, int idx, const char *s) KC_MUST_CHECK;
int db_bind_null(struct db_stmt *st, int idx) KC_MUST_CHECK;
int db_bind_double(struct db_stmt *st, int idx, double v) KC_MUST_CHECK;
/* Steps: DB_ROW, DB_DONE, KC_ERR_CONFLICT (a unique/constraint violation) or KC_ERR_DB. */
int db_step(struct db_stmt *st) KC_MUST_CHECK;
/* Resets the statement and clears bindings so the cache can hand it out again. */
void db_done(struct db_stmt *st);
/* Runs a statement that returns no rows, then db_done; 0, KC_ERR_CONFLICT or KC_ERR_DB. */
int db_run(struct db_stmt *st) KC_MUST_CHECK;
/* For a statement returning one integer: steps once and returns it via *out
 * (0 when there is no row). Calls db_done. */
int db_scalar(struct db_stmt *st, int64_t *out) KC_MUST_CHECK;

int db_col_count(struct db_stmt *st);
const char *db_col_name(struct db_stmt *st, int i);
enum db_type db_col_type(struct db_stmt *st, int i);
int64_t db_col_int(struct db_stmt *st, int i);
double db_col_double(struct db_stmt *st, int i);
/* Text of column i; valid until the next step/done. NULL for SQL NULL. */
const char *db_col_text(struct db_stmt *st, int i);

/* Runs SQL text with no parameters (may hold several statements). */
int db_exec(struct db *db, const char *sql) KC_MUST_CHECK;
/* Transactions. db_begin takes the write lock at once (BEGIN IMMEDIATE). */
int db_begin(struct db *db) KC_MUST_CHECK;
int db_commit(struct db *db) KC_MUST_CHECK;
/* Rolls back if a transaction is open; safe to call anytime. */
void db_rollback(struct db *db);
/* Turns the connection's triggers off or on (SQLite's SQLITE_DBCONFIG_ENABLE_TRIGGER;
 * cached statements are re-prepared by SQLite). Only for a bulk writer that does in one
 * statement per batch what the triggers of the tables it writes would do per row. */
int db_triggers(struct db *db, bool on) KC_MUST_CHECK;
int64_t db_last_id(struct db *db);
int db_changes(struct db *db);
const char *db_errmsg(struct db *db);
/* Copies the whole database to dest_path with the online-backup API. */
int db_backup(struct db *db, const char *dest_path) KC_MUST_CHECK;
/* Number of database errors seen since start (for /metrics). */
uint64_t db_error_count(void);

/* Writes the current row as a JSON object: one key per column (its name); a column
 * whose name ends in "_json" holds JSON text and is written raw under the name
 * without the suffix. */
void db_row_jw(struct db_stmt *st, struct jw *w);
/* The current row as a new jansson object (same key rules as db_row_jw); the caller
 * owns the reference (json_decref). */
struct json_t *db_row_json(struct db_stmt *st);

#endif
