-- 0005_jobs.sql — background jobs (imports now; exports and recomputes later).
--
-- A job is queued by an API call or the command line and run by the server's single
-- job runner (domain/jobs.c). Its files live under DATA_DIR/jobs/<id>/. A job that was
-- running when the server stopped is requeued once at the next start (the enterprise
-- import is idempotent, so running it again gives the same data); a second interruption
-- marks it failed with error_code 'interrupted'.

CREATE TABLE jobs (
    id              INTEGER PRIMARY KEY,
    kind            TEXT NOT NULL,            -- 'import_enterprises', …
    status          TEXT NOT NULL DEFAULT 'queued'
                    CHECK (status IN ('queued', 'running', 'done', 'failed', 'cancelled')),
    progress_done   INTEGER NOT NULL DEFAULT 0, -- units done (bytes of input read)
    progress_total  INTEGER NOT NULL DEFAULT 0, -- units in all (input size), 0 = unknown
    rows_read       INTEGER NOT NULL DEFAULT 0, -- data rows read so far
    inserted        INTEGER NOT NULL DEFAULT 0, -- records created
    updated         INTEGER NOT NULL DEFAULT 0, -- records changed
    unchanged       INTEGER NOT NULL DEFAULT 0, -- records already identical
    failed          INTEGER NOT NULL DEFAULT 0, -- rows rejected (in the failed-rows file)
    created_by      INTEGER REFERENCES users(id), -- NULL for the command line
    username        TEXT NOT NULL,            -- creator's username ('system' for the CLI)
    ip              TEXT NOT NULL DEFAULT '-', -- creator's address
    lang            TEXT NOT NULL DEFAULT 'zh-CN', -- language of row error messages
    region_code     TEXT NOT NULL,            -- creator's region: officers see jobs under theirs
    scope_lo        TEXT NOT NULL,            -- creator's data scope (auth.h struct scope) …
    scope_hi        TEXT NOT NULL,            -- … frozen when the job was queued
    scope_org_id    INTEGER NOT NULL DEFAULT 0,
    input_name      TEXT,                     -- file name as uploaded
    input_format    TEXT,                     -- 'csv' or 'xlsx'
    input_path      TEXT,                     -- DATA_DIR/jobs/<id>/input.<ext>, removed when done
    result_path     TEXT,                     -- failed-rows CSV, NULL when no row failed
    encoding        TEXT,                     -- utf-8 | gb18030 | xlsx, once known
    ignored_columns TEXT,                     -- header cells that matched no column, '、'-separated
    attempts        INTEGER NOT NULL DEFAULT 0, -- times the runner started it
    error_code      TEXT,                     -- why a failed job failed (message catalogue code)
    error_field     TEXT,                     -- the column or field the error is about
    error_detail    TEXT,                     -- details (English, e.g. the reader's)
    created_at      INTEGER NOT NULL,
    started_at      INTEGER,
    finished_at     INTEGER,
    updated_at      INTEGER NOT NULL
);
CREATE INDEX jobs_status ON jobs(status, id);
CREATE INDEX jobs_creator ON jobs(created_by, id);
CREATE INDEX jobs_region ON jobs(region_code, id);
