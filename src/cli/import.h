/*
 * import.h — `kechuang import enterprises`: the enterprise import from the command line,
 * through the same job code path as the API (a job row, the same runner function, the
 * same failed-rows file under DATA_DIR/jobs/<id>/).
 */
#ifndef KC_CLI_IMPORT_H
#define KC_CLI_IMPORT_H

struct db;

/* kechuang import enterprises --data DIR [--lang en] [--audit-per-record] FILE
 * (argv[0] is "import"); returns the exit status. */
int import_cmd_enterprises(int argc, char **argv, struct db *(*open_data)(const char *dir));

#endif
