/*
 * market.h — technology-market subcommands: `import achievements`, `match` and
 * `match-eval` (contracts in API.md; the search design in src/search/README.md).
 *
 * Each takes the subcommand's argv (argv[0] is the subcommand name) and returns the
 * process exit status. open_data opens (creating and migrating) DIR/kechuang.db, as
 * main.c does for every subcommand; it returns NULL after printing why.
 */
#ifndef KC_CLI_MARKET_H
#define KC_CLI_MARKET_H

struct db;

/* kechuang import achievements --data DIR FILE */
int market_cmd_import(int argc, char **argv, struct db *(*open_data)(const char *dir));
/* kechuang match --data DIR --demands FILE [--limit K] */
int market_cmd_match(int argc, char **argv, struct db *(*open_data)(const char *dir));
/* kechuang match-eval [--corpus FILE] [--only P] [--split S] [--max-queries N] [--param K=V] */
int market_cmd_match_eval(int argc, char **argv);

#endif
