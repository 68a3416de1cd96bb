/*
 * main.c — `kechuang <subcommand>`: serve, migrate, user, backup, restore, audit.
 * Every subcommand answers --help.
 */
#include "api/handlers_market.h"
#include "cli/demo.h"
#include "cli/import.h"
#include "search/market.h"
#include "cli/market.h"
#include "core/log.h"
#include "core/xalloc.h"
#include "crypto/password.h"
#include "db/db.h"
#include "db/migrate.h"
#include "domain/jobs.h"
#include "domain/auth.h"
#include "http/http.h"
#include "io/xlsx_write.h"
#include "store/audit.h"
#include "store/plan_obs.h"
#include "store/session.h"
#include "store/sup.h"
#include "store/user.h"

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* kechuang assess (src/cli/assess.c). */
int cmd_assess(int argc, char **argv);

/* Options shared by the subcommands. */
struct opts {
    const char *data;     /* data directory */
    const char *listen;   /* HOST:PORT */
    int demo;             /* load the demo data */
    int threads;          /* worker threads, 0 = cores */
    int idle_min;         /* session idle minutes */
    long upload_mb;       /* upload limit in MiB (0 = default) */
    const char *username; /* user subcommands */
    const char *role;
    const char *region;
    const char *display_name;
    long long org_id;
    const char *anchor;   /* audit verify: ID:HASH recorded earlier by `audit head` */
};

/* mkdir -p for one level; 0 or -1. */
static int ensure_dir(const char *path)
{
    if (mkdir(path, 0700) == 0 || errno == EEXIST)
        return 0;
    fprintf(stderr, "kechuang: cannot create %s: %s\n", path, strerror(errno));
    return -1;
}

/* Opens DIR/kechuang.db, creating the directory, and applies migrations. */
static struct db *open_data(const char *dir)
{
    if (ensure_dir(dir) != 0)
        return NULL;
    char path[4096];
    snprintf(path, sizeof(path), "%s/tmp", dir);
    if (ensure_dir(path) != 0)
        return NULL;
    xlsx_set_tmpdir(path);
    snprintf(path, sizeof(path), "%s/files", dir); /* evidence attachments (store/plan_obs.h) */
    if (ensure_dir(path) != 0)
        return NULL;
    plan_files_set_dir(path);
    snprintf(path, sizeof(path), "%s/kechuang.db", dir);
    struct db *db = NULL;
    if (db_open(path, &db) != 0)
        return NULL;
    if (migrate_run(db, NULL) != 0) {
        fprintf(stderr, "kechuang: migration failed (see log)\n");
        db_close(db);
        return NULL;
    }
    db_set_path(path);
    return db;
}

/* Parses the options after a subcommand; returns 0, 1 for --help, -1 on error. */
static int parse(int argc, char **argv, struct opts *o)
{
    static const struct option lo[] = {
        {"data", required_argument, 0, 'd'},     {"listen", required_argument, 0, 'l'},
        {"demo", no_argument, 0, 'D'},           {"threads", required_argument, 0, 't'},
        {"session-idle", required_argument, 0, 'i'},
        {"upload-limit", required_argument, 0, 'U'},
        {"username", required_argument, 0, 'u'}, {"role", required_argument, 0, 'r'},
        {"region", required_argument, 0, 'g'},   {"org", required_argument, 0, 'o'},
        {"name", required_argument, 0, 'n'},     {"help", no_argument, 0, 'h'},
        {"anchor", required_argument, 0, 'A'},
        {0, 0, 0, 0}};
    optind = 1;
    int c;
    while ((c = getopt_long(argc, argv, "h", lo, NULL)) != -1) {
        switch (c) {
        case 'd': o->data = optarg; break;
        case 'l': o->listen = optarg; break;
        case 'D': o->demo = 1; break;
        case 't': o->threads = atoi(optarg); break;
        case 'i': o->idle_min = atoi(optarg); break;
        case 'U': o->upload_mb = atol(optarg); break;
        case 'u': o->username = optarg; break;
        case 'r': o->role = optarg; break;
        case 'g': o->region = optarg; break;
        case 'o': o->org_id = atoll(optarg); break;
        case 'n': o->display_name = optarg; break;
        case 'A': o->anchor = optarg; break;
        case 'h': return 1;
        default: return -1;
        }
    }
    return 0;
}

/* Prints the demo accounts file to stdout. */
static void print_accounts(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return;
    char line[512];
    printf("Demo accounts (from %s):\n", path);
    while (fgets(line, sizeof(line), f))
        fputs(line, stdout);
    fclose(f);
}

static volatile sig_atomic_t stop_flag;
static void on_signal(int sig)
{
    (void)sig;
    stop_flag = 1;
}

static const char serve_help[] =
    "usage: kechuang serve [--data DIR] [--listen HOST:PORT] [--demo] [--threads N]\n"
    "                      [--session-idle MINUTES] [--upload-limit MB]\n"
    "Serves the JSON API and the web UI. Defaults: --data ./var, --listen 127.0.0.1:8080.\n"
    "--demo loads the demo data into an empty data directory and writes the demo accounts\n"
    "to DIR/demo-accounts.txt (random passwords per data directory).\n"
    "--upload-limit caps import uploads (default 256 MB; larger files get 413).\n"
    "KC_LOG=debug|info|warn|error sets the log level (JSON lines on stderr).\n";

/* kechuang serve */
static int cmd_serve(int argc, char **argv)
{
    struct opts o = {.data = "./var", .listen = "127.0.0.1:8080", .idle_min = 30};
    int p = parse(argc, argv, &o);
    if (p) {
        fputs(serve_help, p > 0 ? stdout : stderr);
        return p > 0 ? 0 : 2;
    }
    char host[64];
    unsigned port;
    const char *colon = strrchr(o.listen, ':');
    if (!colon || colon - o.listen >= (long)sizeof(host) ||
        sscanf(colon + 1, "%u", &port) != 1 || port > 65535) {
        fprintf(stderr, "kechuang: --listen wants HOST:PORT, got %s\n", o.listen);
        return 2;
    }
    snprintf(host, sizeof(host), "%.*s", (int)(colon - o.listen), o.listen);
    if (o.idle_min > 0)
        session_idle_s = o.idle_min * 60;
    struct db *db = open_data(o.data);
    if (!db)
        return 1;
    char accounts[4096];
    snprintf(accounts, sizeof(accounts), "%s/demo-accounts.txt", o.data);
    if (o.demo) {
        int loaded = 0;
        if (demo_load(db, accounts, &loaded) != 0) {
            fprintf(stderr, "kechuang: loading the demo data failed (see log)\n");
            db_close(db);
            return 1;
        }
    }
    /* The market's matcher indexes, kept in sync with the store from here on. */
    char db_path[4096];
    snprintf(db_path, sizeof(db_path), "%s/kechuang.db", o.data);
    if (market_index_start(db, db_path) != 0) {
        fprintf(stderr, "kechuang: building the matching index failed (see log)\n");
        db_close(db);
        return 1;
    }
    db_close(db);
    if (jobs_init(o.data) != 0)
        return 1;
    api_achievement_jobs_register();
    char upload_dir[4096];
    snprintf(upload_dir, sizeof(upload_dir), "%s/tmp", o.data);
    struct http_config cfg = {host, port, (unsigned)(o.threads > 0 ? o.threads : 0), 1 << 20, 30,
                              upload_dir, (uint64_t)(o.upload_mb > 0 ? o.upload_mb : 256) << 20};
    unsigned bound = 0;
    if (http_start(&cfg, &bound) != 0) {
        market_index_stop();
        return 1;
    }
    if (jobs_start() != 0) {
        fprintf(stderr, "kechuang: cannot start the job runner (see log)\n");
        http_stop();
        market_index_stop();
        return 1;
    }
    if (o.demo)
        print_accounts(accounts);
    printf("kechuang listening on http://%s:%u\n", host, bound);
    fflush(stdout);
    log_msg(LOG_INFO, "listening", "host", host, NULL);
    sup_sweeper_start(); /* supervision tickets and reminders (store/sup.h) */
    struct sigaction sa = {0};
    sa.sa_handler = on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
    while (!stop_flag)
        pause();
    log_msg(LOG_INFO, "stopping", NULL);
    http_stop();
    jobs_stop();
    market_index_stop();
    sup_sweeper_stop();
    db_thread_close_all();
    return 0;
}

static const char migrate_help[] = "usage: kechuang migrate [--data DIR]\n"
                                   "Applies pending schema migrations and reloads the reference "
                                   "data, then exits.\n";

/* kechuang migrate */
static int cmd_migrate(int argc, char **argv)
{
    struct opts o = {.data = "./var"};
    int p = parse(argc, argv, &o);
    if (p) {
        fputs(migrate_help, p > 0 ? stdout : stderr);
        return p > 0 ? 0 : 2;
    }
    struct db *db = open_data(o.data);
    if (!db)
        return 1;
    db_close(db);
    printf("database at %s/kechuang.db is up to date\n", o.data);
    return 0;
}

static const char user_help[] =
    "usage: kechuang user add --data DIR --username NAME --role ROLE [--region CODE]\n"
    "                         [--org ID] [--name DISPLAY_NAME]   (password on stdin)\n"
    "       kechuang user passwd --data DIR --username NAME       (password on stdin)\n"
    "       kechuang user list --data DIR\n"
    "       kechuang user disable --data DIR --username NAME\n"
    "Roles: admin city_officer county_officer enterprise institution provider broker expert.\n";

/* Reads one line from stdin as the password (no echo handling: use a pipe). */
static int read_password(char *out, size_t cap)
{
    if (!fgets(out, (int)cap, stdin))
        return -1;
    out[strcspn(out, "\r\n")] = '\0';
    return 0;
}

/* kechuang user ... */
static int cmd_user(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        fputs(user_help, argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    const char *sub = argv[1];
    struct opts o = {.data = "./var"};
    int p = parse(argc - 1, argv + 1, &o);
    if (p) {
        fputs(user_help, p > 0 ? stdout : stderr);
        return p > 0 ? 0 : 2;
    }
    struct db *db = open_data(o.data);
    if (!db)
        return 1;
    int rc = 1;
    struct audit_ctx ctx = {0, "cli", "-"};
    if (strcmp(sub, "list") == 0) {
        struct db_stmt *st = db_prep(db, "SELECT id, username, role, region_code, status, "
                                         "coalesce(org_id,'') FROM users ORDER BY id");
        printf("id\tusername\trole\tregion\tstatus\torg\n");
        while (st && db_step(st) == DB_ROW)
            printf("%lld\t%s\t%s\t%s\t%s\t%s\n", (long long)db_col_int(st, 0),
                   db_col_text(st, 1), db_col_text(st, 2), db_col_text(st, 3),
                   db_col_text(st, 4), db_col_text(st, 5));
        if (st)
            db_done(st);
        rc = 0;
    } else if (!o.username) {
        fprintf(stderr, "kechuang user %s: --username is required\n", sub);
        rc = 2;
    } else if (strcmp(sub, "add") == 0) {
        const struct role *ro = auth_role(o.role);
        const char *region = o.region ? o.region : (ro && ro->scope == SCOPE_ALL ? "000000" : "");
        char pw[256], hash[PASSWORD_HASH_MAX];
        int64_t n = 0, id = 0;
        if (!ro) {
            fprintf(stderr, "kechuang user add: unknown or missing --role\n");
            rc = 2;
        } else if (!user_name_ok(o.username)) {
            fprintf(stderr, "kechuang user add: username must be 3-32 of a-z 0-9 _ . -\n");
            rc = 2;
        } else if (db_scalar(db_query(db, "SELECT count(*) FROM regions WHERE code=?", "s",
                                      region),
                             &n) != 0 ||
                   n == 0 || (strcmp(region, "000000") == 0 && ro->scope != SCOPE_ALL)) {
            fprintf(stderr, "kechuang user add: --region must be a known region code (000000 "
                            "only for admin), got '%s'\n", region);
            rc = 2;
        } else if (read_password(pw, sizeof(pw)) != 0 || password_policy(pw, o.username) != 0) {
            fprintf(stderr, "kechuang user add: the password (stdin) needs 10-128 characters, "
                            "two of letters/digits/symbols, and must not contain the "
                            "username\n");
            rc = 2;
        } else if (password_hash(pw, hash) == 0 && db_begin(db) == 0) {
            int r = user_insert(db, &ctx, o.username,
                                o.display_name ? o.display_name : o.username, ro->code, region,
                                o.org_id, hash, &id);
            if (r == 0 && db_commit(db) == 0) {
                printf("user %s created (id %lld)\n", o.username, (long long)id);
                rc = 0;
            } else {
                db_rollback(db);
                fprintf(stderr, "kechuang user add: %s\n",
                        r == KC_ERR_CONFLICT ? "username taken or organisation unknown"
                                             : "database error");
            }
        }
    } else if (strcmp(sub, "passwd") == 0) {
        char pw[256], hash[PASSWORD_HASH_MAX];
        int64_t id = 0;
        if (db_scalar(db_query(db, "SELECT id FROM users WHERE username=?", "s", o.username),
                      &id) != 0 ||
            !id) {
            fprintf(stderr, "kechuang user passwd: no user %s\n", o.username);
        } else if (read_password(pw, sizeof(pw)) != 0 || password_policy(pw, o.username) != 0) {
            fprintf(stderr, "kechuang user passwd: weak password\n");
            rc = 2;
        } else if (password_hash(pw, hash) == 0 &&
                   user_store_password(db, &ctx, id, hash, 0) == 0) {
            printf("password of %s changed\n", o.username);
            rc = 0;
        }
    } else if (strcmp(sub, "disable") == 0) {
        int64_t id = 0;
        if (db_scalar(db_query(db, "SELECT id FROM users WHERE username=?", "s", o.username),
                      &id) != 0 ||
            !id) {
            fprintf(stderr, "kechuang user disable: no user %s\n", o.username);
        } else if (db_begin(db) == 0) {
            json_t *d = json_pack("{s:{s:s,s:s}}", "status", "before", "active", "after",
                                  "disabled");
            int r = db_run(db_query(db, "UPDATE users SET status='disabled' WHERE id=?", "i",
                                    id));
            if (!r)
                r = db_run(db_query(db, "DELETE FROM sessions WHERE user_id=?", "i", id));
            if (!r)
                r = audit_write_diff(db, &ctx, "update", "user", id, d);
            json_decref(d);
            if (!r && db_commit(db) == 0) {
                printf("user %s disabled\n", o.username);
                rc = 0;
            } else {
                db_rollback(db);
            }
        }
    } else {
        fputs(user_help, stderr);
        rc = 2;
    }
    db_close(db);
    return rc;
}

static const char backup_help[] =
    "usage: kechuang backup --data DIR FILE    copy the live database to FILE (online)\n"
    "       kechuang restore --data DIR FILE   replace DIR's database with FILE (server "
    "stopped)\n";

/* kechuang backup / restore */
static int cmd_backup(int argc, char **argv, int restore)
{
    struct opts o = {.data = "./var"};
    int p = parse(argc, argv, &o);
    if (p || optind >= argc) {
        fputs(backup_help, p > 0 ? stdout : stderr);
        return p > 0 ? 0 : 2;
    }
    const char *file = argv[optind];
    if (!restore) {
        struct db *db = open_data(o.data);
        if (!db)
            return 1;
        int rc = db_backup(db, file);
        db_close(db);
        if (rc) {
            fprintf(stderr, "kechuang backup: failed writing %s\n", file);
            return 1;
        }
        printf("backup written to %s\n", file);
        return 0;
    }
    /* Restore: check the file is one of ours, then copy it over the data directory's. */
    if (access(file, R_OK) != 0) {
        fprintf(stderr, "kechuang restore: cannot read %s\n", file);
        return 1;
    }
    struct db *src = NULL;
    int64_t n = 0;
    if (db_open(file, &src) != 0 ||
        db_scalar(db_prep(src, "SELECT count(*) FROM schema_migrations"), &n) != 0 || n == 0) {
        fprintf(stderr, "kechuang restore: %s is not a kechuang database\n", file);
        db_close(src);
        return 1;
    }
    if (ensure_dir(o.data) != 0) {
        db_close(src);
        return 1;
    }
    char path[4096];
    snprintf(path, sizeof(path), "%s/kechuang.db", o.data);
    int rc = db_backup(src, path);
    db_close(src);
    if (rc) {
        fprintf(stderr, "kechuang restore: failed writing %s\n", path);
        return 1;
    }
    struct db *db = open_data(o.data);
    if (!db)
        return 1;
    db_close(db);
    printf("restored %s into %s\n", file, path);
    return 0;
}

static const char audit_help[] =
    "usage: kechuang audit verify --data DIR [--anchor ID:HASH]\n"
    "       kechuang audit head --data DIR\n"
    "verify checks the SM3 hash chain of the audit log: exit 0 when intact, 1 and the id of\n"
    "the first broken entry otherwise. The chain is not keyed, so someone able to write the\n"
    "database could rewrite all of it consistently: `head` prints the newest entry's ID:HASH\n"
    "to record outside the database (daily, say), and `verify --anchor ID:HASH` also checks\n"
    "that this entry still has that hash.\n";

/* kechuang audit head: prints ID:HASH of the newest entry. */
static int audit_head_cmd(struct db *db)
{
    int64_t id;
    char hash[65];
    if (audit_head(db, &id, hash) != 0) {
        fprintf(stderr, "kechuang audit head: database error\n");
        return 1;
    }
    printf("%lld:%s\n", (long long)id, hash);
    return 0;
}

/* Checks --anchor ID:HASH; 0 when it holds (messages on stdout/stderr). */
static int audit_anchor_cmd(struct db *db, const char *anchor)
{
    char *end;
    long long id = strtoll(anchor, &end, 10);
    if (id <= 0 || *end != ':' || strlen(end + 1) != 64) {
        fprintf(stderr, "kechuang audit verify: --anchor must be ID:HASH as printed by "
                        "`kechuang audit head`\n");
        return 2;
    }
    int rc = audit_anchor_ok(db, id, end + 1);
    if (rc == 0) {
        printf("anchor %lld matches\n", id);
        return 0;
    }
    if (rc == KC_ERR_INVALID)
        printf("audit chain REWRITTEN: entry %lld no longer has the anchored hash\n", id);
    else
        fprintf(stderr, "kechuang audit verify: database error\n");
    return 1;
}

/* kechuang audit verify | head */
static int cmd_audit(int argc, char **argv)
{
    if (argc < 2 || (strcmp(argv[1], "verify") != 0 && strcmp(argv[1], "head") != 0)) {
        int help = argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0);
        fputs(audit_help, help ? stdout : stderr);
        return help ? 0 : 2;
    }
    struct opts o = {.data = "./var"};
    int p = parse(argc - 1, argv + 1, &o);
    if (p) {
        fputs(audit_help, p > 0 ? stdout : stderr);
        return p > 0 ? 0 : 2;
    }
    struct db *db = open_data(o.data);
    if (!db)
        return 1;
    if (strcmp(argv[1], "head") == 0) {
        int hr = audit_head_cmd(db);
        db_close(db);
        return hr;
    }
    int64_t checked = 0, broken = 0;
    int rc = audit_verify(db, &checked, &broken);
    if (rc == 0) {
        printf("audit chain intact: %lld entries\n", (long long)checked);
        int ar = o.anchor ? audit_anchor_cmd(db, o.anchor) : 0;
        db_close(db);
        return ar;
    }
    db_close(db);
    if (rc == KC_ERR_INVALID)
        printf("audit chain BROKEN at entry %lld (checked %lld)\n", (long long)broken,
               (long long)checked);
    else
        fprintf(stderr, "kechuang audit verify: database error\n");
    return 1;
}

static const char main_help[] =
    "kechuang — 科创 science and technology innovation platform\n"
    "usage: kechuang <command> [options]   (kechuang <command> --help for each)\n"
    "  serve     serve the API and web UI\n"
    "  migrate   apply database migrations\n"
    "  user      add | passwd | list | disable users\n"
    "  backup    online backup of the database to a file\n"
    "  restore   restore the database from a backup file\n"
    "  audit     verify the audit log's hash chain\n"
    "  assess    batch self-assessment of enterprise records against a rule set\n"
    "  import    import achievements (JSON Lines, CSV) or enterprises (XLSX, CSV)\n"
    "  match     match demands against the achievements library\n"
    "  match-eval  ranking quality of the matcher on the CSL corpus\n";

int main(int argc, char **argv)
{
    const char *lvl = getenv("KC_LOG");
    if (lvl)
        log_set_level(strcmp(lvl, "debug") == 0   ? LOG_DEBUG
                      : strcmp(lvl, "warn") == 0  ? LOG_WARN
                      : strcmp(lvl, "error") == 0 ? LOG_ERROR
                                                  : LOG_INFO);
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
        strcmp(argv[1], "help") == 0) {
        fputs(main_help, argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    if (password_init() != 0) {
        fprintf(stderr, "kechuang: libsodium failed to initialise\n");
        return 1;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "serve") == 0)
        return cmd_serve(argc - 1, argv + 1);
    if (strcmp(cmd, "migrate") == 0)
        return cmd_migrate(argc - 1, argv + 1);
    if (strcmp(cmd, "user") == 0)
        return cmd_user(argc - 1, argv + 1);
    if (strcmp(cmd, "backup") == 0)
        return cmd_backup(argc - 1, argv + 1, 0);
    if (strcmp(cmd, "restore") == 0)
        return cmd_backup(argc - 1, argv + 1, 1);
    if (strcmp(cmd, "audit") == 0)
        return cmd_audit(argc - 1, argv + 1);
    if (strcmp(cmd, "import") == 0 && argc >= 3 && strcmp(argv[2], "enterprises") == 0)
        return import_cmd_enterprises(argc - 1, argv + 1, open_data);
    if (strcmp(cmd, "import") == 0 &&
        (argc < 3 || strcmp(argv[2], "achievements") == 0 || argv[2][0] == '-'))
        return market_cmd_import(argc - 1, argv + 1, open_data);
    if (strcmp(cmd, "match") == 0)
        return market_cmd_match(argc - 1, argv + 1, open_data);
    if (strcmp(cmd, "match-eval") == 0)
        return market_cmd_match_eval(argc - 1, argv + 1);
    if (strcmp(cmd, "assess") == 0)
        return cmd_assess(argc - 1, argv + 1);
    fprintf(stderr, "kechuang: unknown command %s\n\n%s", cmd, main_help);
    return 2;
}
