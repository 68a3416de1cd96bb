/* import.c (cli) — `kechuang import enterprises`: queue a job and run it here. */
#include "cli/import.h"
#include "core/jw.h"
#include "db/db.h"
#include "domain/jobs.h"
#include "store/job.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char help[] =
    "usage: kechuang import enterprises --data DIR [--lang en] [--audit-per-record] FILE\n"
    "Imports enterprises and their yearly records from FILE (XLSX, or CSV in UTF-8 or\n"
    "GB18030) as a job, with the same rules as POST /api/v1/imports/enterprises and\n"
    "administrator scope (docs/api-import.md): idempotent by USCC + year, verified years\n"
    "locked, bad rows reported without stopping. Prints one JSON line {\"job_id\",\n"
    "\"status\",\"rows\",\"inserted\",\"updated\",\"unchanged\",\"failed\",\"failed_rows\"}\n"
    "(failed_rows: a CSV of the rejected rows with an error column, or null).\n"
    "--lang en writes the row errors in English; --audit-per-record writes one audit\n"
    "entry per changed record instead of one per batch (slower).\n"
    "Exit status: 0 every row imported, 1 some rows rejected or the file unusable.\n";

int import_cmd_enterprises(int argc, char **argv, struct db *(*open_data)(const char *dir))
{
    static const struct option lo[] = {{"data", required_argument, 0, 'd'},
                                       {"lang", required_argument, 0, 'l'},
                                       {"audit-per-record", no_argument, 0, 'a'},
                                       {"help", no_argument, 0, 'h'},
                                       {0, 0, 0, 0}};
    const char *data = "./var";
    bool en = false, per_record = false;
    /* argv: import enterprises [options] FILE */
    optind = 2;
    int c;
    while ((c = getopt_long(argc, argv, "h", lo, NULL)) != -1) {
        switch (c) {
        case 'd':
            data = optarg;
            break;
        case 'l':
            en = strcmp(optarg, "en") == 0;
            break;
        case 'a':
            per_record = true;
            break;
        case 'h':
            fputs(help, stdout);
            return 0;
        default:
            fputs(help, stderr);
            return 2;
        }
    }
    if (optind + 1 != argc) {
        fputs(help, stderr);
        return 2;
    }
    const char *file = argv[optind];
    struct stat st;
    if (stat(file, &st) != 0 || !S_ISREG(st.st_mode)) {
        fprintf(stderr, "kechuang import: cannot read %s\n", file);
        return 1;
    }
    char abs[4096];
    if (!realpath(file, abs)) {
        fprintf(stderr, "kechuang import: cannot read %s\n", file);
        return 1;
    }
    struct db *db = open_data(data);
    if (!db)
        return 1;
    if (jobs_init(data) != 0) {
        db_close(db);
        return 1;
    }
    jobs_set_audit_per_record(per_record);
    struct scope all;
    auth_scope_prefix(&all, "");
    const char *slash = strrchr(abs, '/');
    size_t n = strlen(abs);
    const char *fmt = n > 5 && strcmp(abs + n - 5, ".xlsx") == 0  ? "xlsx"
                      : n > 4 && strcmp(abs + n - 4, ".csv") == 0 ? "csv"
                                                                  : "";
    struct job_new jn = {JOB_IMPORT_ENTERPRISES,  0,  "system", "-", en, "000000", &all,
                         slash ? slash + 1 : abs, fmt};
    int64_t id = 0;
    struct job_info j;
    struct job_outcome out;
    int rc = job_create(db, &jn, &id);
    if (!rc)
        rc = job_set_input(db, id, abs, (int64_t)st.st_size);
    if (!rc)
        rc = job_claim(db, id, &j);
    if (!rc)
        rc = jobs_run(db, &j, &out);
    db_close(db);
    if (rc) {
        fprintf(stderr, "kechuang import: database error (see log)\n");
        return 1;
    }
    struct buf b = {0};
    struct jw w;
    jw_init(&w, &b);
    jw_obj_open(&w);
    jw_kint(&w, "job_id", id);
    jw_kstr(&w, "status", out.status);
    jw_kint(&w, "rows", out.counts.rows);
    jw_kint(&w, "inserted", out.counts.inserted);
    jw_kint(&w, "updated", out.counts.updated);
    jw_kint(&w, "unchanged", out.counts.unchanged);
    jw_kint(&w, "failed", out.counts.failed);
    jw_kstr(&w, "failed_rows", out.result_path[0] ? out.result_path : NULL);
    if (out.error_code[0]) {
        jw_kstr(&w, "error", out.error_code);
        jw_kstr(&w, "detail", out.error_detail);
    }
    jw_obj_close(&w);
    puts(buf_str(&b));
    buf_free(&b);
    if (out.error_code[0])
        fprintf(stderr, "kechuang import: %s: %s\n", out.error_code, out.error_detail);
    return strcmp(out.status, "done") == 0 && out.counts.failed == 0 ? 0 : 1;
}
