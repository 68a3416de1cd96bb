/*
 * assess.c — `kechuang assess --rule RULESET [--year Y] FILE` (API.md): batch
 * self-assessment. FILE (or "-" for standard input) is JSON Lines of enterprise records;
 * one JSON line per enterprise goes to standard output, a summary to standard error.
 * Needs no data directory: the rule sets are embedded in the binary.
 *
 * A bad line yields {"line": N, "uscc": …, "error": {"code", "message", "field"}} and the
 * run goes on; the exit status is non-zero only when the file cannot be read (1) or the
 * rule set is unknown / the arguments are wrong (2).
 */
#include "core/buf.h"
#include "core/jw.h"
#include "rules/rules.h"

#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cmd_assess(int argc, char **argv);

static const char assess_help[] =
    "usage: kechuang assess --rule RULESET [--year Y] FILE\n"
    "Evaluates every enterprise record of FILE (JSON Lines; \"-\" reads standard input)\n"
    "against RULESET and prints one JSON line per enterprise: verdict, score range,\n"
    "conditions, scored items, gaps and provisional notes.\n"
    "RULESET is a rule-set id (tsme-2017) or a family (tsme), which picks the set in\n"
    "force on 31 December of the evaluated year. --year defaults to each record's latest\n"
    "year. Rule sets:\n";

/* Prints the help with the list of embedded rule sets. */
static void print_help(FILE *f, const struct rules_registry *reg)
{
    fputs(assess_help, f);
    for (size_t i = 0; i < reg->n; i++) {
        const struct rules_set *s = reg->sets[i];
        fprintf(f, "  %-20s %s (%s)\n", s->id, s->title_zh, s->title_en);
    }
}

/* Writes an error line for line number ln. */
static void error_line(struct buf *out, long ln, const char *uscc, const char *code,
                       const char *message, const char *field)
{
    struct jw w = {0};
    jw_init(&w, out);
    jw_obj_open(&w);
    jw_kint(&w, "line", ln);
    jw_kstr(&w, "uscc", uscc);
    jw_key(&w, "error");
    jw_obj_open(&w);
    jw_kstr(&w, "code", code);
    jw_kstr(&w, "message", message);
    jw_kstr(&w, "field", field && *field ? field : NULL);
    jw_obj_close(&w);
    jw_obj_close(&w);
    buf_putc(out, '\n');
}

/* Assesses one line into out; counts[verdict] or counts[4] (errors) is incremented. */
static void assess_line(const struct rules_registry *reg, const char *rule, int year_opt,
                        const char *line, size_t len, long ln, struct buf *out, long *counts)
{
    static struct rules_year years[RULES_MAX_YEARS];
    static struct rules_result res;
    static struct rules_gaps gaps;
    json_error_t jerr;
    json_t *o = json_loadb(line, len, JSON_REJECT_DUPLICATES, &jerr);
    if (!o) {
        char msg[256];
        snprintf(msg, sizeof(msg), "not valid JSON: %s (column %d)", jerr.text, jerr.column);
        error_line(out, ln, NULL, "invalid_json", msg, NULL);
        counts[4]++;
        return;
    }
    struct rules_record rec;
    struct rules_parse_error perr;
    if (rules_record_parse(o, &rec, years, RULES_MAX_YEARS, &perr) != 0) {
        const char *uscc = json_string_value(json_object_get(o, "uscc"));
        error_line(out, ln, uscc, perr.code, perr.message, perr.field);
        counts[4]++;
        json_decref(o);
        return;
    }
    int year = year_opt ? year_opt : rules_record_latest_year(&rec);
    const struct rules_set *s = year ? rules_registry_find(reg, rule, year) : NULL;
    if (!year) {
        error_line(out, ln, rec.uscc, "no_year",
                   "the record has no yearly data and no --year was given", "years");
        counts[4]++;
    } else if (!s) {
        char msg[160];
        snprintf(msg, sizeof(msg), "no rule set of family %s is in force for the year %d", rule,
                 year);
        error_line(out, ln, rec.uscc, "no_rule_in_force", msg, NULL);
        counts[4]++;
    } else {
        rules_evaluate(s, &rec, year, &res);
        rules_gaps(s, &rec, &res, &gaps);
        struct jw w = {0};
        jw_init(&w, out);
        rules_write_result(&w, s, &rec, &res, &gaps);
        buf_putc(out, '\n');
        counts[res.verdict]++;
    }
    json_decref(o);
}

/* kechuang assess */
int cmd_assess(int argc, char **argv)
{
    static const struct option lo[] = {{"rule", required_argument, 0, 'r'},
                                       {"year", required_argument, 0, 'y'},
                                       {"help", no_argument, 0, 'h'},
                                       {0, 0, 0, 0}};
    struct rules_registry reg;
    char err[512];
    if (rules_registry_load_embedded(&reg, err, sizeof(err)) != 0) {
        fprintf(stderr, "kechuang assess: invalid rule set: %s\n", err);
        return 1;
    }
    const char *rule = NULL;
    int year = 0, help = 0, bad = 0, c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", lo, NULL)) != -1) {
        switch (c) {
        case 'r':
            rule = optarg;
            break;
        case 'y': {
            char *end;
            long y = strtol(optarg, &end, 10);
            if (*end || y < 1900 || y > 2199) {
                fprintf(stderr, "kechuang assess: --year wants a year, got %s\n", optarg);
                bad = 1;
            }
            year = (int)y;
            break;
        }
        case 'h':
            help = 1;
            break;
        default:
            bad = 1;
            break;
        }
    }
    if (help || bad || !rule || optind != argc - 1) {
        if (!help && !bad)
            fprintf(stderr, "kechuang assess: --rule and one FILE are required\n");
        print_help(help ? stdout : stderr, &reg);
        rules_registry_free(&reg);
        return help ? 0 : 2;
    }
    if (!rules_registry_knows(&reg, rule)) {
        fprintf(stderr, "kechuang assess: unknown rule set %s; known:", rule);
        for (size_t i = 0; i < reg.n; i++)
            fprintf(stderr, " %s", reg.sets[i]->id);
        fputc('\n', stderr);
        rules_registry_free(&reg);
        return 2;
    }
    const char *path = argv[optind];
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
    if (!f) {
        fprintf(stderr, "kechuang assess: cannot read %s: %s\n", path, strerror(errno));
        rules_registry_free(&reg);
        return 1;
    }
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    long ln = 0, counts[5] = {0};
    struct buf out = {0};
    int rc = 0;
    while ((n = getline(&line, &cap, f)) != -1) {
        ln++;
        size_t len = (size_t)n;
        while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            len--;
        if (strspn(line, " \t") >= len)
            continue; /* blank line */
        assess_line(&reg, rule, year, line, len, ln, &out, counts);
        if (out.len >= 1 << 16) {
            fwrite(out.data, 1, out.len, stdout);
            buf_reset(&out);
        }
    }
    if (ferror(f)) {
        fprintf(stderr, "kechuang assess: error reading %s: %s\n", path, strerror(errno));
        rc = 1;
    }
    if (out.len)
        fwrite(out.data, 1, out.len, stdout);
    fflush(stdout);
    fprintf(stderr,
            "kechuang assess: %ld lines: %ld pass, %ld fail, %ld uncertain, %ld unknown, "
            "%ld errors\n",
            ln, counts[RULES_MET], counts[RULES_NOT_MET], counts[RULES_UNCERTAIN],
            counts[RULES_UNKNOWN], counts[4]);
    buf_free(&out);
    free(line);
    if (f != stdin)
        fclose(f);
    rules_registry_free(&reg);
    return rc;
}
