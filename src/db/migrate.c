/*
 * migrate.c — applies the embedded numbered migrations and loads reference data.
 */
#include "db/migrate.h"
#include "core/arena.h"
#include "core/asset.h"
#include "core/log.h"
#include "core/timeutil.h"
#include "db/db.h"
#include "io/csv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Copies an embedded text asset into a NUL-terminated malloc'd string. */
static char *asset_text(const struct asset *a)
{
    char *s = malloc(a->len + 1);
    if (!s)
        abort();
    memcpy(s, a->data, a->len);
    s[a->len] = '\0';
    return s;
}

/* Loads one reference CSV: for every record after the header binds its first n_cols
 * fields (empty fields as NULL), then, when bind_now, the current time, and runs sql. */
static int load_csv(struct db *db, const char *path, const char *sql, int n_cols, int bind_now)
{
    const struct asset *a = asset_find(assets_data, assets_data_count, path);
    if (!a) {
        log_msg(LOG_ERROR, "missing reference data", "path", path, NULL);
        return KC_ERR_IO;
    }
    struct arena ar = {0};
    struct csv_reader r;
    csv_init(&r, (const char *)a->data, a->len);
    char *f[16];
    int rc = 0, line = 0;
    int64_t now = time_now();
    while (rc == 0) {
        int n = csv_next(&r, &ar, f, 16);
        if (n <= 0)
            break;
        if (line++ == 0)
            continue; /* header */
        struct db_stmt *st = db_prep(db, sql);
        if (!st) {
            rc = KC_ERR_DB;
            break;
        }
        for (int i = 0; i < n_cols && rc == 0; i++)
            rc = db_bind_text(st, i + 1, i < n && f[i][0] ? f[i] : NULL);
        if (rc == 0 && bind_now)
            rc = db_bind_int(st, n_cols + 1, now);
        if (rc == 0)
            rc = db_run(st);
        else
            db_done(st);
    }
    arena_free(&ar);
    return rc;
}

/* Reference data from data/: replaced on every start except chains (editable). */
static int load_reference(struct db *db)
{
    int rc = db_begin(db);
    if (rc)
        return rc;
    rc = load_csv(db, "data/regions.csv",
                  "INSERT INTO regions(code,name,level,parent_code) VALUES(?,?,?,?) "
                  "ON CONFLICT(code) DO UPDATE SET name=excluded.name, level=excluded.level, "
                  "parent_code=excluded.parent_code",
                  4, 0);
    if (!rc)
        rc = load_csv(db, "data/region_aliases.csv",
                      "INSERT INTO region_aliases(old_code,old_name,new_code,note) "
                      "VALUES(?,?,?,?) ON CONFLICT(old_code) DO UPDATE SET "
                      "old_name=excluded.old_name, new_code=excluded.new_code, note=excluded.note",
                      4, 0);
    if (!rc)
        rc = load_csv(db, "data/industries.csv",
                      "INSERT INTO industries(code,name,parent) VALUES(?,?,?) "
                      "ON CONFLICT(code) DO UPDATE SET name=excluded.name, parent=excluded.parent",
                      3, 0);
    if (!rc)
        rc = load_csv(db, "data/sei.csv",
                      "INSERT INTO sei(code,name,name_en) VALUES(?,?,?) "
                      "ON CONFLICT(code) DO UPDATE SET name=excluded.name, name_en=excluded.name_en",
                      3, 0);
    if (!rc) {
        int64_t n_chains = 0;
        rc = db_scalar(db_prep(db, "SELECT count(*) FROM chains"), &n_chains);
        if (!rc && n_chains == 0)
            rc = load_csv(db, "data/chains.csv",
                          "INSERT INTO chains(region_code,code,name,group_name,sort,created_at,"
                          "updated_at) VALUES(?,?,?,?,coalesce(?,0),?6,?6)",
                          5, 1);
    }
    if (rc) {
        db_rollback(db);
        return rc;
    }
    return db_commit(db);
}

/* Applies pending migrations in file-name order, then the reference data. */
int migrate_run(struct db *db, int *applied)
{
    int count = 0;
    int rc = db_exec(db, "CREATE TABLE IF NOT EXISTS schema_migrations("
                         "version TEXT PRIMARY KEY, applied_at INTEGER NOT NULL)");
    for (size_t i = 0; rc == 0 && i < assets_data_count; i++) {
        const struct asset *a = &assets_data[i];
        if (strncmp(a->path, "schema/", 7) != 0)
            continue;
        const char *version = a->path + 7;
        int64_t done = 0;
        rc = db_scalar(db_query(db, "SELECT count(*) FROM schema_migrations WHERE version=?",
                                "s", version),
                       &done);
        if (rc || done)
            continue;
        char *sql = asset_text(a);
        rc = db_begin(db);
        if (!rc)
            rc = db_exec(db, sql);
        if (!rc)
            rc = db_run(db_query(db, "INSERT INTO schema_migrations(version,applied_at) "
                                     "VALUES(?,?)",
                                 "si", version, time_now()));
        if (!rc)
            rc = db_commit(db);
        else
            db_rollback(db);
        free(sql);
        if (!rc) {
            log_msg(LOG_INFO, "migration applied", "version", version, NULL);
            count++;
        }
    }
    if (!rc)
        rc = load_reference(db);
    if (applied)
        *applied = count;
    return rc;
}
