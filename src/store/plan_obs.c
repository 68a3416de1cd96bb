/* plan_obs.c (store) — reported values: submission, verification, revisions, evidence
 * files (see plan_obs.h). */
#include "store/plan_obs.h"
#include "core/buf.h"
#include "core/timeutil.h"
#include "db/db.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define OBS_SELECT                                                                                 \
    "SELECT o.id, o.indicator_id, i.code AS indicator_code, i.name AS indicator_name, "            \
    "i.unit, o.region_code, r.name AS region_name, o.chain, o.year, o.revision, o.is_current, "    \
    "o.value, o.comparator, o.source, o.note, o.status, o.reject_reason, o.supersedes_id, "        \
    "o.submitted_at, su.username AS submitted_by, o.verified_at, vu.username AS verified_by, "     \
    "(SELECT count(*) FROM observation_files f WHERE f.observation_id = o.id) AS n_files, "        \
    "o.created_at, o.updated_at "                                                                  \
    "FROM observations o JOIN indicators i ON i.id = o.indicator_id "                              \
    "LEFT JOIN regions r ON r.code = o.region_code "                                               \
    "LEFT JOIN users su ON su.id = o.submitted_by LEFT JOIN users vu ON vu.id = o.verified_by "    \
    "WHERE 1=1"

/* Appends scope and filters. */
static void obs_where(struct buf *sql, struct db_args *a, const struct scope *sc,
                      const struct obs_filter *f)
{
    buf_puts(sql, " AND o.region_code >= ? AND o.region_code < ?");
    db_args_text(a, sc->lo);
    db_args_text(a, sc->hi);
    if (!f)
        return;
    if (f->indicator) {
        buf_puts(sql, " AND i.code = ?");
        db_args_text(a, f->indicator);
    }
    if (f->region.lo[0]) {
        buf_puts(sql, " AND o.region_code >= ? AND o.region_code < ?");
        db_args_text(a, f->region.lo);
        db_args_text(a, f->region.hi);
    }
    if (f->chain) {
        buf_puts(sql, " AND o.chain = ?");
        db_args_text(a, f->chain);
    }
    if (f->status) {
        buf_puts(sql, " AND o.status = ?");
        db_args_text(a, f->status);
    }
    if (f->year) {
        buf_puts(sql, " AND o.year = ?");
        db_args_int(a, f->year);
    }
    if (f->open_only)
        buf_puts(sql, " AND o.status IN ('submitted', 'rejected')");
}

struct db_stmt *obs_list(struct db *db, const struct scope *sc, const struct obs_filter *f,
                         const char *sort_col, bool desc, int64_t limit, int64_t offset)
{
    struct buf sql = {0};
    struct db_args a = {0};
    buf_puts(&sql, OBS_SELECT);
    obs_where(&sql, &a, sc, f);
    buf_puts(&sql, " ");
    return db_page(db, &sql, &a, "o", sort_col, desc, limit, offset);
}

int obs_count(struct db *db, const struct scope *sc, const struct obs_filter *f, int64_t *n)
{
    struct buf sql = {0};
    struct db_args a = {0};
    buf_puts(&sql, "SELECT count(*) FROM observations o JOIN indicators i ON i.id = "
                   "o.indicator_id WHERE 1=1");
    obs_where(&sql, &a, sc, f);
    return db_count(db, &sql, &a, n);
}

/* Adds "locked" and booleans to an observation object. */
static void decorate(json_t *o)
{
    const char *st = json_string_value(json_object_get(o, "status"));
    bool locked = st && (strcmp(st, "verified") == 0 || strcmp(st, "superseded") == 0);
    json_object_set_new(o, "locked", json_boolean(locked));
    json_t *cur = json_object_get(o, "is_current");
    json_object_set_new(o, "is_current", json_boolean(json_integer_value(cur) != 0));
}

int obs_get(struct db *db, const struct scope *sc, int64_t id, json_t **out)
{
    struct buf sql = {0};
    struct db_args a = {0};
    buf_puts(&sql, OBS_SELECT " AND o.id = ?");
    db_args_int(&a, id);
    obs_where(&sql, &a, sc, NULL);
    struct db_stmt *st = db_prep_args(db, buf_str(&sql), &a);
    buf_free(&sql);
    if (!st)
        return KC_ERR_DB;
    int rc = db_step(st);
    if (rc == DB_ROW) {
        *out = db_row_json(st);
        decorate(*out);
    }
    db_done(st);
    if (rc < 0)
        return rc;
    return rc == DB_ROW ? 0 : KC_ERR_NOT_FOUND;
}

int obs_history(struct db *db, int64_t id, json_t **revisions, json_t **files)
{
    *revisions = json_array();
    *files = json_array();
    struct db_stmt *st = db_query(
        db,
        OBS_SELECT " AND (o.indicator_id, o.region_code, o.chain, o.year) = "
                   "(SELECT indicator_id, region_code, chain, year FROM observations WHERE id = ?) "
                   "ORDER BY o.revision DESC, o.id DESC",
        "i", id);
    if (!st)
        return KC_ERR_DB;
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        json_t *o = db_row_json(st);
        decorate(o);
        json_array_append_new(*revisions, o);
    }
    db_done(st);
    if (rc < 0)
        return rc;
    st = db_query(db,
                  "SELECT f.id, f.name, f.mime, f.size_bytes, f.sha256, f.created_at, "
                  "u.username AS created_by FROM observation_files f LEFT JOIN users u ON "
                  "u.id = f.created_by WHERE f.observation_id = ? ORDER BY f.id",
                  "i", id);
    if (!st)
        return KC_ERR_DB;
    while ((rc = db_step(st)) == DB_ROW)
        json_array_append_new(*files, db_row_json(st));
    db_done(st);
    return rc < 0 ? rc : 0;
}

int obs_submit(struct db *db, const struct auth_user *u, const struct obs_input *in, int64_t *id)
{
    const char *chain = in->chain ? in->chain : "";
    int64_t open = 0, last_rev = 0, current = 0;
    int rc = db_scalar(db_query(db,
                                "SELECT count(*) FROM observations WHERE indicator_id=? AND "
                                "region_code=? AND chain=? AND year=? AND status IN "
                                "('submitted','rejected')",
                                "issi", in->indicator_id, in->region, chain, (int64_t)in->year),
                       &open);
    if (rc)
        return rc;
    if (open)
        return KC_ERR_CONFLICT;
    rc = db_scalar(db_query(db,
                            "SELECT coalesce(max(revision),0) FROM observations WHERE "
                            "indicator_id=? AND region_code=? AND chain=? AND year=?",
                            "issi", in->indicator_id, in->region, chain, (int64_t)in->year),
                   &last_rev);
    if (!rc)
        rc = db_scalar(db_query(db,
                                "SELECT coalesce(max(id),0) FROM observations WHERE "
                                "indicator_id=? AND region_code=? AND chain=? AND year=? AND "
                                "is_current=1",
                                "issi", in->indicator_id, in->region, chain, (int64_t)in->year),
                       &current);
    if (rc)
        return rc;
    int64_t now = time_now();
    struct db_stmt *st = db_prep(db, "INSERT INTO observations(indicator_id,region_code,chain,"
                                     "year,revision,is_current,value,comparator,source,note,"
                                     "status,supersedes_id,submitted_at,submitted_by,created_at,"
                                     "updated_at) VALUES(?,?,?,?,?,0,?,'=',?,?,'submitted',"
                                     "nullif(?,0),?,?,?,?)");
    if (!st)
        return KC_ERR_DB;
    rc = db_bind_int(st, 1, in->indicator_id);
    rc = rc ? rc : db_bind_text(st, 2, in->region);
    rc = rc ? rc : db_bind_text(st, 3, chain);
    rc = rc ? rc : db_bind_int(st, 4, in->year);
    rc = rc ? rc : db_bind_int(st, 5, last_rev + 1);
    rc = rc ? rc : db_bind_double(st, 6, in->value);
    rc = rc ? rc : db_bind_text(st, 7, in->source);
    rc = rc ? rc : db_bind_text(st, 8, in->note);
    rc = rc ? rc : db_bind_int(st, 9, current);
    rc = rc ? rc : db_bind_int(st, 10, now);
    rc = rc ? rc : (u && u->id ? db_bind_int(st, 11, u->id) : db_bind_null(st, 11));
    rc = rc ? rc : db_bind_int(st, 12, now);
    rc = rc ? rc : db_bind_int(st, 13, now);
    if (rc) {
        db_done(st);
        return rc;
    }
    rc = db_run(st);
    if (!rc)
        *id = db_last_id(db);
    return rc;
}

/* The status and submitter of observation id; KC_ERR_NOT_FOUND when absent. */
static int obs_state(struct db *db, int64_t id, char status[16], int64_t *submitted_by,
                     char region[7])
{
    struct db_stmt *st = db_query(db,
                                  "SELECT status, coalesce(submitted_by,0), region_code FROM "
                                  "observations WHERE id=?",
                                  "i", id);
    if (!st)
        return KC_ERR_DB;
    int rc = db_step(st);
    if (rc == DB_ROW) {
        snprintf(status, 16, "%s", db_col_text(st, 0));
        *submitted_by = db_col_int(st, 1);
        snprintf(region, 7, "%s", db_col_text(st, 2));
    }
    db_done(st);
    if (rc < 0)
        return rc;
    return rc == DB_ROW ? 0 : KC_ERR_NOT_FOUND;
}

int obs_update(struct db *db, const struct auth_user *u, int64_t id, double value,
               const char *source, const char *note)
{
    char status[16], region[7];
    int64_t by = 0;
    int rc = obs_state(db, id, status, &by, region);
    if (rc)
        return rc;
    if (strcmp(status, "submitted") != 0 && strcmp(status, "rejected") != 0)
        return KC_ERR_CONFLICT;
    return db_run(db_query(db,
                           "UPDATE observations SET value=?, source=?, note=?, status='submitted', "
                           "reject_reason=NULL, submitted_at=?, submitted_by=nullif(?,0), "
                           "updated_at=? WHERE id=?",
                           "dssiiii", value, source, note, time_now(), u ? u->id : 0, time_now(),
                           id));
}

/* Checks that u may verify or reject observation id. */
static int may_decide(struct db *db, const struct auth_user *u, int64_t id, enum obs_refusal *why)
{
    char status[16], region[7];
    int64_t by = 0;
    *why = OBS_OK;
    int rc = obs_state(db, id, status, &by, region);
    if (rc)
        return rc;
    if (strcmp(status, "submitted") != 0) {
        *why = OBS_NOT_OPEN;
        return KC_ERR_CONFLICT;
    }
    /* Four eyes, and a county never verifies its own county's value. */
    bool county = strcmp(region + 4, "00") != 0;
    if ((u && u->id && by == u->id) || (u && county && strcmp(u->region_code, region) == 0)) {
        *why = OBS_OWN_VALUE;
        return KC_ERR_FORBIDDEN;
    }
    return 0;
}

int obs_verify(struct db *db, const struct auth_user *u, int64_t id, enum obs_refusal *why)
{
    int rc = may_decide(db, u, id, why);
    if (rc)
        return rc;
    int64_t now = time_now();
    /* The cell's current value (if any) becomes superseded, then this one is current. */
    rc = db_run(db_query(db,
                         "UPDATE observations SET is_current=0, status='superseded', updated_at=? "
                         "WHERE is_current=1 AND (indicator_id, region_code, chain, year) = "
                         "(SELECT indicator_id, region_code, chain, year FROM observations "
                         "WHERE id=?)",
                         "ii", now, id));
    if (!rc)
        rc = db_run(db_query(db,
                             "UPDATE observations SET status='verified', is_current=1, "
                             "verified_at=?, verified_by=nullif(?,0), updated_at=? WHERE id=?",
                             "iiii", now, u ? u->id : 0, now, id));
    return rc;
}

int obs_reject(struct db *db, const struct auth_user *u, int64_t id, const char *reason,
               enum obs_refusal *why)
{
    int rc = may_decide(db, u, id, why);
    if (rc)
        return rc;
    return db_run(db_query(db,
                           "UPDATE observations SET status='rejected', reject_reason=?, "
                           "updated_at=? WHERE id=?",
                           "sii", reason, time_now(), id));
}

/* ---- evidence files ---------------------------------------------------------------- */

static char files_dir[4096];

void plan_files_set_dir(const char *dir)
{
    snprintf(files_dir, sizeof(files_dir), "%s", dir ? dir : "");
}

const char *plan_files_dir(void)
{
    return files_dir;
}

/* True when needle occurs in data[0..len). */
static bool contains(const unsigned char *data, size_t len, const char *needle)
{
    return memmem(data, len, needle, strlen(needle)) != NULL;
}

const char *plan_file_sniff(const unsigned char *data, size_t len, const char *name)
{
    (void)name;
    if (len >= 5 && memcmp(data, "%PDF-", 5) == 0)
        return "application/pdf";
    if (len >= 8 && memcmp(data, "\x89PNG\r\n\x1a\n", 8) == 0)
        return "image/png";
    if (len >= 3 && memcmp(data, "\xff\xd8\xff", 3) == 0)
        return "image/jpeg";
    if (len >= 4 && memcmp(data, "PK\x03\x04", 4) == 0) {
        /* OOXML packages name their parts in the local headers. */
        if (contains(data, len, "xl/"))
            return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
        if (contains(data, len, "word/"))
            return "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
    }
    return NULL;
}

int plan_file_write(const unsigned char *data, size_t len, char stored[64], char sha[65])
{
    if (!files_dir[0])
        return KC_ERR_IO;
    unsigned char rnd[16], hash[crypto_hash_sha256_BYTES];
    char path[4200];
    randombytes_buf(rnd, sizeof(rnd));
    sodium_bin2hex(stored, 33, rnd, sizeof(rnd));
    strcat(stored, ".bin");
    crypto_hash_sha256(hash, data, len);
    sodium_bin2hex(sha, 2 * crypto_hash_sha256_BYTES + 1, hash, sizeof(hash));
    snprintf(path, sizeof(path), "%s/%s", files_dir, stored);
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
    if (fd < 0)
        return KC_ERR_IO;
    size_t off = 0;
    while (off < len) {
        ssize_t w = write(fd, data + off, len - off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            break;
        off += (size_t)w;
    }
    if (off != len || fsync(fd) != 0) {
        close(fd);
        unlink(path);
        return KC_ERR_IO;
    }
    close(fd);
    return 0;
}

void plan_file_unlink(const char *stored)
{
    char path[4200];
    snprintf(path, sizeof(path), "%s/%s", files_dir, stored);
    unlink(path);
}

int plan_file_load(const char *stored, int64_t size, char **data, size_t *len)
{
    char path[4200];
    snprintf(path, sizeof(path), "%s/%s", files_dir, stored);
    *data = NULL;
    *len = 0;
    FILE *f = fopen(path, "rb");
    char *buf = f && size >= 0 && size <= PLAN_FILE_MAX_BYTES ? malloc((size_t)size + 1) : NULL;
    size_t got = buf ? fread(buf, 1, (size_t)size, f) : 0;
    if (f)
        fclose(f);
    if (!buf || got != (size_t)size) {
        free(buf);
        return KC_ERR_IO;
    }
    *data = buf;
    *len = got;
    return 0;
}

int obs_file_add(struct db *db, int64_t obs_id, const char *name, const char *mime,
                 const unsigned char *data, size_t len, int64_t user_id, int64_t *id)
{
    char stored[64], sha[2 * crypto_hash_sha256_BYTES + 1];
    int rc = plan_file_write(data, len, stored, sha);
    if (rc)
        return rc;
    rc = db_run(db_query(db,
                         "INSERT INTO observation_files(observation_id,name,mime,size_bytes,"
                         "sha256,stored_name,created_at,created_by) "
                         "VALUES(?,?,?,?,?,?,?,nullif(?,0))",
                         "ississii", obs_id, name, mime, (int64_t)len, sha, stored, time_now(),
                         user_id));
    if (rc) {
        plan_file_unlink(stored);
        return rc;
    }
    *id = db_last_id(db);
    return 0;
}

int obs_file_read(struct db *db, const struct scope *sc, int64_t id, char **data, size_t *len,
                  char **name, char **mime)
{
    *data = *name = *mime = NULL;
    *len = 0;
    struct db_stmt *st = db_query(db,
                                  "SELECT f.name, f.mime, f.stored_name, f.size_bytes FROM "
                                  "observation_files f JOIN observations o ON o.id = "
                                  "f.observation_id WHERE f.id = ? AND o.region_code >= ? AND "
                                  "o.region_code < ?",
                                  "iss", id, sc->lo, sc->hi);
    if (!st)
        return KC_ERR_DB;
    int rc = db_step(st);
    char stored[64] = "";
    int64_t size = 0;
    if (rc == DB_ROW) {
        *name = strdup(db_col_text(st, 0));
        *mime = strdup(db_col_text(st, 1));
        snprintf(stored, sizeof(stored), "%s", db_col_text(st, 2));
        size = db_col_int(st, 3);
    }
    db_done(st);
    if (rc != DB_ROW)
        return rc < 0 ? rc : KC_ERR_NOT_FOUND;
    rc = plan_file_load(stored, size, data, len);
    if (rc) {
        free(*name);
        free(*mime);
        *name = *mime = NULL;
    }
    return rc;
}
