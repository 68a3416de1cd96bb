/*
 * ent_import.h — bulk import of enterprises and their yearly records (schema 0004:
 * orgs, enterprises, enterprise_years) from CSV or XLSX, streamed in constant memory.
 *
 * Columns are API.md's enterprise record: identity fields plus the yearly fields, named
 * by the template's Chinese headers (a unit in brackets and a leading '*' are ignored)
 * or by their English field names. Money columns are in 元 with at most two decimals,
 * parsed exactly to 分 — except a column named with the API's own `*_fen` name, which
 * is in 分. An empty cell leaves the stored value as it is.
 *
 * Rules: the key is USCC + year. A row is written completely or not at all; a bad row
 * never stops the import: it is counted and copied to the failed-rows CSV with a reason
 * naming each bad column (in the importer's language). Regions must exist and lie in the
 * importer's scope, and so must an enterprise that already exists. Only real changes are
 * written: re-importing the same file reports every row unchanged and writes nothing,
 * not even an audit entry. A verified (locked) year is never overwritten. Imported years
 * get source 'import' and status 'submitted'. Rows are written in transactions of
 * `batch_rows`, each with one audit entry listing the records it inserted and the field
 * changes of those it updated (docs/api-import.md explains why not one per record;
 * `audit_per_record` restores that), and a job entry at the end when anything changed.
 */
#ifndef KC_STORE_ENT_IMPORT_H
#define KC_STORE_ENT_IMPORT_H

#include "core/err.h"
#include "domain/auth.h"
#include "io/table_read.h"
#include "store/audit.h"

#include <stdbool.h>
#include <stdint.h>

struct db;

/* Value kinds of import columns. */
enum ent_col_type {
    ECT_USCC,        /* 统一社会信用代码 */
    ECT_NAME,        /* organisation name, ≤ 100 characters */
    ECT_REGION,      /* GB/T 2260 code ("330402" or "330402 南湖区") */
    ECT_INDUSTRY,    /* GB/T 4754 code ("C36" or "C36 汽车制造业") */
    ECT_DATE,        /* a date (text, or an Excel serial in XLSX) */
    ECT_HTFIELD,     /* one of the 8 高新技术领域, or 无 */
    ECT_BOOL,        /* 是/否 */
    ECT_X100,        /* a number ≥ 0 with at most 2 decimals, stored × 100 */
    ECT_YEAR,        /* a year */
    ECT_COUNT,       /* an integer ≥ 0 */
    ECT_MONEY,       /* 元 ≥ 0, at most 2 decimals, stored in 分 */
    ECT_MONEY_SIGNED /* 元, may be negative */
};

/* Which record a column belongs to. */
enum ent_col_table {
    ECT_KEY,  /* uscc, year: the key */
    ECT_ORG,  /* orgs */
    ECT_ENT,  /* enterprises (profile) */
    ECT_YEARS /* enterprise_years */
};

/* One import column. */
struct ent_column {
    const char *key;          /* API field name (money: the *_fen name) */
    const char *zh;           /* Chinese header without the unit */
    const char *unit_zh;      /* unit shown in the template header, or NULL */
    const char *en;           /* English label */
    enum ent_col_type type;   /* value kind */
    enum ent_col_table table; /* target record */
    const char *db_col;       /* column in its table */
    bool required;            /* needed on every row (uscc) or for a new record (name, region) */
    const char *note_zh;      /* how to fill it (template instructions) */
    const char *note_en;      /* the same in English */
};

/* The columns in template order, and their count. */
extern const struct ent_column ent_columns[];
extern const int ent_n_columns;

/* What an import did. */
struct ent_import_stats {
    int64_t rows;      /* data rows read (blank rows not counted) */
    int64_t inserted;  /* rows that created a yearly record (or an enterprise) */
    int64_t updated;   /* rows that changed existing records */
    int64_t unchanged; /* rows whose records were already identical */
    int64_t failed;    /* rows rejected (each in the failed-rows file) */
    char encoding[8];  /* utf-8, gb18030 or xlsx */
    char ignored[512]; /* header cells that matched no column, joined by "、" */
};

/* Options of one import. */
struct ent_import_opts {
    struct scope scope;      /* the importer's data scope */
    struct audit_ctx actor;  /* who, for the audit log */
    int64_t user_id;         /* submitted_by / updated_by (0 = none: command line) */
    int64_t job_id;          /* the job (import_job_id, audit entity id); 0 = none */
    const char *input_name;  /* the file's name for the job audit entry, may be NULL */
    bool en;                 /* row messages in English */
    bool audit_per_record;   /* one audit entry per changed record (slower) */
    int batch_rows;          /* rows per transaction; 0 = ENT_IMPORT_BATCH */
    const char *failed_path; /* where the failed-rows CSV goes (created on the first bad
                                row); NULL = not written */
    /* Called after every batch and at the end with bytes done/total; returning false
     * stops the import after the batch (it returns ENT_IMPORT_STOPPED). May be NULL. */
    bool (*tick)(void *arg, uint64_t done, uint64_t total, const struct ent_import_stats *st);
    void *tick_arg; /* passed to tick */
};

/* Rows per transaction by default. */
#define ENT_IMPORT_BATCH 5000
/* ent_import_file's result when tick asked it to stop (not an error). */
#define ENT_IMPORT_STOPPED 1

/* Why a whole file was refused. */
struct ent_import_error {
    char code[40];    /* message catalogue code: import_not_xlsx, import_limit, … */
    char field[64];   /* the column concerned (missing_column …), or "" */
    char detail[256]; /* English detail */
};

/* Imports path (fmt, or TABLE_AUTO to sniff) with o into db (not inside a transaction).
 * Returns 0 when the file was read to its end (row errors are counted), ENT_IMPORT_STOPPED
 * when tick asked to stop, KC_ERR_INVALID / KC_ERR_TOO_LARGE / KC_ERR_IO with *err for a
 * file that cannot be read (batches before the problem stay committed), or KC_ERR_DB.
 * *st is filled in every case. */
int ent_import_file(struct db *db, const char *path, enum table_format fmt,
                    const struct ent_import_opts *o, struct ent_import_stats *st,
                    struct ent_import_error *err) KC_MUST_CHECK;
/* Checks that path can be opened as fmt and that its header row names the key columns,
 * without importing (the upload route answers 422 at once for a hopeless file).
 * Returns 0, or an error with *err as for ent_import_file. */
int ent_import_probe(const char *path, enum table_format fmt,
                     struct ent_import_error *err) KC_MUST_CHECK;
/* Writes the import template to path: an XLSX workbook (data sheet with Chinese headers
 * and the English names in row 2, drop-down lists for coded columns, the 说明 sheet, a
 * code sheet with the regions of scope and the industries) or, when csv, a CSV with
 * the two header rows. */
int ent_import_template(struct db *db, const struct scope *scope, bool csv,
                        const char *path) KC_MUST_CHECK;
/* Parses a decimal text exactly into an integer scaled by 10^scale ("1234.5", "1,234.56",
 * "-3", "1.2E+3"): false when it is not a number, has more than `scale` decimals that
 * are not zero, or exceeds ±limit after scaling. */
bool ent_parse_decimal(const char *s, int scale, int64_t limit, int64_t *out);

#endif
