/*
 * embed.c — build-time generator: turns the files under one or more directories into
 * a C source file holding a sorted `struct asset` table (see src/core/asset.h).
 *
 * usage: embed OUT.c TABLE [--gzip] PREFIX=DIR...
 *   TABLE   symbol name, e.g. assets_web (also emits TABLE_count)
 *   --gzip  also store a gzip copy of each file (for HTTP Content-Encoding)
 *   PREFIX=DIR  embed every regular file below DIR under the path PREFIX/relative
 *               (an empty PREFIX embeds them under their relative path)
 * The output is rewritten only when its content changes, so rebuilds stay quick.
 */
#define _DEFAULT_SOURCE
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <zlib.h>

/* One file found on disk. */
struct entry {
    char *path; /* embedded path */
    char *file; /* file on disk */
};

static struct entry *entries;
static size_t n_entries, cap_entries;

/* Adds a file to the list. */
static void add(const char *path, const char *file)
{
    if (n_entries == cap_entries) {
        cap_entries = cap_entries ? cap_entries * 2 : 64;
        entries = realloc(entries, cap_entries * sizeof(*entries));
        if (!entries)
            abort();
    }
    entries[n_entries].path = strdup(path);
    entries[n_entries].file = strdup(file);
    n_entries++;
}

/* Walks dir recursively, adding regular files under prefix. */
static void walk(const char *prefix, const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        char file[4096], path[4096];
        snprintf(file, sizeof(file), "%s/%s", dir, e->d_name);
        if (*prefix)
            snprintf(path, sizeof(path), "%s/%s", prefix, e->d_name);
        else
            snprintf(path, sizeof(path), "%s", e->d_name);
        struct stat sb;
        if (stat(file, &sb) != 0)
            continue;
        if (S_ISDIR(sb.st_mode))
            walk(path, file);
        else if (S_ISREG(sb.st_mode))
            add(path, file);
    }
    closedir(d);
}

static int cmp(const void *a, const void *b)
{
    return strcmp(((const struct entry *)a)->path, ((const struct entry *)b)->path);
}

/* Reads a whole file; the caller frees. */
static unsigned char *slurp(const char *file, size_t *len)
{
    FILE *f = fopen(file, "rb");
    if (!f) {
        perror(file);
        exit(1);
    }
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *p = malloc((size_t)n + 1);
    if (!p || fread(p, 1, (size_t)n, f) != (size_t)n) {
        perror(file);
        exit(1);
    }
    fclose(f);
    *len = (size_t)n;
    return p;
}

/* gzip-compresses data at the best level; the caller frees. */
static unsigned char *gzip(const unsigned char *data, size_t len, size_t *out_len)
{
    z_stream z;
    memset(&z, 0, sizeof(z));
    if (deflateInit2(&z, 9, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY) != Z_OK)
        exit(1);
    size_t cap = deflateBound(&z, len) + 64;
    unsigned char *out = malloc(cap);
    z.next_in = (unsigned char *)data;
    z.avail_in = (uInt)len;
    z.next_out = out;
    z.avail_out = (uInt)cap;
    if (deflate(&z, Z_FINISH) != Z_STREAM_END)
        exit(1);
    *out_len = z.total_out;
    deflateEnd(&z);
    return out;
}

/* Content-Type by file extension. */
static const char *mime(const char *path)
{
    static const char *map[][2] = {
        {".html", "text/html; charset=utf-8"},  {".js", "text/javascript; charset=utf-8"},
        {".mjs", "text/javascript; charset=utf-8"}, {".css", "text/css; charset=utf-8"},
        {".json", "application/json"},          {".svg", "image/svg+xml"},
        {".png", "image/png"},                  {".ico", "image/x-icon"},
        {".woff2", "font/woff2"},               {".woff", "font/woff"},
        {".ttf", "font/ttf"},                   {".csv", "text/csv; charset=utf-8"},
        {".sql", "text/plain; charset=utf-8"},  {".txt", "text/plain; charset=utf-8"},
        {".jsonl", "application/jsonl"},        {".md", "text/markdown; charset=utf-8"},
    };
    const char *dot = strrchr(path, '.');
    if (dot)
        for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
            if (strcmp(dot, map[i][0]) == 0)
                return map[i][1];
    return "application/octet-stream";
}

/* Appends bytes as a C array body to f. */
static void emit_bytes(FILE *f, const unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        fprintf(f, "%u,", p[i]);
        if (i % 32 == 31)
            fputc('\n', f);
    }
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: embed OUT.c TABLE [--gzip] PREFIX=DIR...\n");
        return 2;
    }
    const char *out = argv[1], *table = argv[2];
    int use_gzip = 0;
    for (int i = 3; i < argc; i++) {
        if (strcmp(argv[i], "--gzip") == 0) {
            use_gzip = 1;
            continue;
        }
        char *eq = strchr(argv[i], '=');
        if (!eq) {
            fprintf(stderr, "embed: expected PREFIX=DIR, got %s\n", argv[i]);
            return 2;
        }
        *eq = '\0';
        walk(argv[i], eq + 1);
    }
    if (n_entries)
        qsort(entries, n_entries, sizeof(*entries), cmp);

    char tmp[4096];
    snprintf(tmp, sizeof(tmp), "%s.tmp", out);
    FILE *f = fopen(tmp, "w");
    if (!f) {
        perror(tmp);
        return 1;
    }
    fprintf(f, "/* Generated by tools/embed.c — do not edit. */\n#include \"core/asset.h\"\n\n");
    for (size_t i = 0; i < n_entries; i++) {
        size_t len;
        unsigned char *data = slurp(entries[i].file, &len);
        fprintf(f, "static const unsigned char d%zu[] = {", i);
        emit_bytes(f, data, len);
        fprintf(f, "0};\n");
        if (use_gzip) {
            size_t gl;
            unsigned char *gz = gzip(data, len, &gl);
            fprintf(f, "static const unsigned char g%zu[] = {", i);
            emit_bytes(f, gz, gl);
            fprintf(f, "0};\nstatic const size_t gl%zu = %zu;\n", i, gl);
            free(gz);
        }
        uint64_t h = 1469598103934665603ULL;
        for (size_t k = 0; k < len; k++)
            h = (h ^ data[k]) * 1099511628211ULL;
        fprintf(f, "static const size_t l%zu = %zu;\n#define E%zu \"\\\"%016llx\\\"\"\n", i, len,
                i, (unsigned long long)h);
        free(data);
    }
    fprintf(f, "\nconst struct asset %s[] = {\n", table);
    for (size_t i = 0; i < n_entries; i++) {
        if (use_gzip)
            fprintf(f, "    {\"%s\", d%zu, l%zu, g%zu, gl%zu, E%zu, \"%s\"},\n", entries[i].path,
                    i, i, i, i, i, mime(entries[i].path));
        else
            fprintf(f, "    {\"%s\", d%zu, l%zu, 0, 0, E%zu, \"%s\"},\n", entries[i].path, i, i,
                    i, mime(entries[i].path));
    }
    fprintf(f, "    {0, 0, 0, 0, 0, 0, 0}\n};\nconst size_t %s_count = %zu;\n", table, n_entries);
    fclose(f);

    /* Replace the output only when it changed. */
    size_t a_len = 0, b_len = 0;
    unsigned char *a = slurp(tmp, &a_len);
    FILE *old = fopen(out, "rb");
    int same = 0;
    if (old) {
        fclose(old);
        unsigned char *b = slurp(out, &b_len);
        same = a_len == b_len && memcmp(a, b, a_len) == 0;
        free(b);
    }
    free(a);
    if (same)
        remove(tmp);
    else if (rename(tmp, out) != 0) {
        perror(out);
        return 1;
    }
    return 0;
}
