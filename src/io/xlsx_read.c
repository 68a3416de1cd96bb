/* xlsx_read.c — streaming XLSX worksheet reader (libzip + expat) with zip-bomb limits. */
#include "io/xlsx_read.h"
#include "core/buf.h"
#include "core/xalloc.h"

#include <expat.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#define CHUNK 65536                /* bytes inflated per expat buffer */
#define RATIO_MIN_BYTES (1u << 20) /* parts smaller than this may have any ratio */
#define NS_SEP '|'                 /* expat namespace separator */

/* The reader: zip handle, limits, shared strings and the sheet's parse state. */
struct xlsx_reader {
    zip_t *za;              /* the open archive */
    struct xlsx_limits lim; /* limits in force (defaults filled in) */
    struct xlsx_error err;  /* the last error */
    int fail_rc;            /* the error code once failed, else 0 */
    bool date1904;          /* workbookPr date1904 */
    /* shared strings */
    struct buf sst_text; /* every string, NUL-terminated, back to back */
    uint64_t *sst_off;   /* offset of string i in sst_text */
    size_t sst_n;        /* strings stored */
    size_t sst_cap;      /* capacity of sst_off */
    size_t sst_start;    /* offset where the string being read starts */
    /* the sheet stream */
    zip_file_t *zf;       /* the sheet part, open for reading */
    XML_Parser p;         /* the sheet's parser */
    uint64_t sheet_done;  /* bytes inflated */
    uint64_t sheet_total; /* declared inflated size */
    bool fed_final;       /* the last buffer was given to expat */
    bool suspended;       /* expat is suspended at a row end */
    bool finished;        /* the end of the sheet was reached */
    /* parse state inside the sheet */
    int in_c;         /* inside <c> */
    int in_is;        /* inside <is> */
    int in_rph;       /* inside <rPh> (phonetic runs: ignored) */
    bool capture;     /* collecting character data into cell */
    char cell_t[12];  /* the t attribute of the current cell */
    int64_t cell_col; /* 0-based column of the current cell */
    struct buf cell;  /* text of the current cell */
    /* the current row */
    struct buf rowtext;   /* values of the row, NUL-terminated, back to back */
    size_t *off;          /* offset of column i's value in rowtext */
    unsigned char *types; /* enum xlsx_type of column i */
    const char **ptrs;    /* text pointers handed out */
    uint32_t cols_cap;    /* capacity of off/types/ptrs */
    uint32_t n_cols;      /* columns up to the last value */
    int64_t prev_col;     /* column of the previous cell in this row */
    uint32_t row_number;  /* the current row's number */
    bool row_ready;       /* a complete row waits to be returned */
    void *ud_self[3];     /* the sheet parser's user data {x, parser, NULL} */
};

/* Records an error (first one wins) and returns rc. */
static int fail(struct xlsx_reader *x, int rc, const char *code, const char *fmt, ...)
{
    if (!x->fail_rc) {
        x->fail_rc = rc;
        x->err.code = code;
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(x->err.detail, sizeof(x->err.detail), fmt, ap);
        va_end(ap);
    }
    return x->fail_rc;
}

/* The local part of an expat "namespace|name" (or the name itself). */
static const char *local(const char *name)
{
    const char *s = strrchr(name, NS_SEP);
    return s ? s + 1 : name;
}

/* The value of attribute lname (local name; with_ns: must carry a namespace). */
static const char *attr(const char **atts, const char *lname, bool with_ns)
{
    for (int i = 0; atts[i]; i += 2) {
        const char *s = strrchr(atts[i], NS_SEP);
        if (with_ns && !s)
            continue;
        if (strcmp(s ? s + 1 : atts[i], lname) == 0)
            return atts[i + 1];
    }
    return NULL;
}

int xlsx_col_index(const char *ref)
{
    int v = 0, n = 0;
    while (n < 4 && ref[n] >= 'A' && ref[n] <= 'Z') {
        v = v * 26 + (ref[n] - 'A' + 1);
        n++;
    }
    if (n == 0 || n > 3)
        return -1;
    return v - 1;
}

/* Refuses any DOCTYPE: OOXML parts never have one, and it closes the door on entity
 * expansion attacks. */
static void on_doctype(void *ud, const XML_Char *name, const XML_Char *sysid, const XML_Char *pubid,
                       int has_internal)
{
    (void)name;
    (void)sysid;
    (void)pubid;
    (void)has_internal;
    struct xlsx_reader *x = ((void **)ud)[0];
    XML_Parser p = ((void **)ud)[1];
    fail(x, KC_ERR_INVALID, "bad_xml", "a part of the workbook declares a DOCTYPE");
    XML_StopParser(p, XML_FALSE);
}

/* Creates a namespace-aware parser whose user data is {x, parser, state}. */
static XML_Parser new_parser(void **ud)
{
    XML_Parser p = XML_ParserCreateNS(NULL, NS_SEP);
    if (!p)
        abort(); /* out of memory, as xmalloc */
    ud[1] = p;
    XML_SetUserData(p, ud);
    XML_SetStartDoctypeDeclHandler(p, on_doctype);
    return p;
}

/* Opens the part called name (case-insensitive); *declared receives its inflated size.
 * Returns NULL when there is no such part. */
static zip_file_t *open_part(struct xlsx_reader *x, const char *name, uint64_t *declared)
{
    zip_int64_t idx = zip_name_locate(x->za, name, ZIP_FL_NOCASE);
    if (idx < 0)
        return NULL;
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat_index(x->za, (zip_uint64_t)idx, 0, &st) != 0 || !(st.valid & ZIP_STAT_SIZE))
        return NULL;
    *declared = st.size;
    zip_file_t *zf = zip_fopen_index(x->za, (zip_uint64_t)idx, 0);
    if (!zf)
        fail(x, KC_ERR_INVALID, "corrupt", "cannot open %s: %s", name, zip_strerror(x->za));
    return zf;
}

/* Inflates up to n bytes of zf into dst, counting them in *done against the declared
 * size and the limits. Returns the byte count (0 at the end) or a negative error. */
static int64_t read_part(struct xlsx_reader *x, zip_file_t *zf, const char *name, uint64_t declared,
                         uint64_t *done, void *dst, size_t n)
{
    zip_int64_t got = zip_fread(zf, dst, n);
    if (got < 0)
        return fail(x, KC_ERR_INVALID, "corrupt", "%s cannot be inflated: %s", name,
                    zip_file_strerror(zf));
    *done += (uint64_t)got;
    if (*done > declared)
        return fail(x, KC_ERR_TOO_LARGE, "entry_too_large",
                    "%s inflates past its declared size of %llu bytes", name,
                    (unsigned long long)declared);
    if (*done > x->lim.max_entry_bytes)
        return fail(x, KC_ERR_TOO_LARGE, "entry_too_large", "%s is larger than %llu bytes", name,
                    (unsigned long long)x->lim.max_entry_bytes);
    return got;
}

/* Parses a whole part with p (whose handlers are set); part names the part in errors.
 * Returns 0, KC_ERR_NOT_FOUND when the part is missing, or an error. */
static int parse_part(struct xlsx_reader *x, const char *name, XML_Parser p)
{
    uint64_t declared = 0, done = 0;
    zip_file_t *zf = open_part(x, name, &declared);
    if (!zf)
        return x->fail_rc ? x->fail_rc : KC_ERR_NOT_FOUND;
    int rc = 0;
    for (;;) {
        void *b = XML_GetBuffer(p, CHUNK);
        if (!b)
            abort(); /* out of memory, as xmalloc */
        int64_t got = read_part(x, zf, name, declared, &done, b, CHUNK);
        if (got < 0) {
            rc = (int)got;
            break;
        }
        if (XML_ParseBuffer(p, (int)got, got == 0) != XML_STATUS_OK) {
            rc = x->fail_rc ? x->fail_rc
                            : fail(x, KC_ERR_INVALID, "bad_xml", "%s: %s at line %lu", name,
                                   XML_ErrorString(XML_GetErrorCode(p)),
                                   (unsigned long)XML_GetCurrentLineNumber(p));
            break;
        }
        if (got == 0)
            break;
    }
    zip_fclose(zf);
    return rc;
}

/* ---- relationships (_rels/.rels and the workbook's) ---- */

/* What a relationships parse looks for. */
struct rels {
    const char *want_id;   /* Id whose Target is wanted, or NULL */
    const char *want_type; /* Type suffix whose Target is wanted, or NULL */
    char id_target[512];   /* Target of want_id */
    char type_target[512]; /* Target of the first relationship of want_type */
};

/* <Relationship Id Type Target>. */
static void rels_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    struct rels *r = ((void **)ud)[2];
    if (strcmp(local(name), "Relationship") != 0)
        return;
    const char *id = attr(atts, "Id", false), *type = attr(atts, "Type", false),
               *target = attr(atts, "Target", false);
    if (!target)
        return;
    if (r->want_id && id && strcmp(id, r->want_id) == 0)
        snprintf(r->id_target, sizeof(r->id_target), "%s", target);
    if (r->want_type && type && !r->type_target[0]) {
        size_t n = strlen(type), m = strlen(r->want_type);
        if (n >= m && strcmp(type + n - m, r->want_type) == 0)
            snprintf(r->type_target, sizeof(r->type_target), "%s", target);
    }
}

/* Parses the relationships part name into *r. */
static int read_rels(struct xlsx_reader *x, const char *name, struct rels *r)
{
    void *ud[3] = {x, NULL, r};
    XML_Parser p = new_parser(ud);
    XML_SetStartElementHandler(p, rels_start);
    int rc = parse_part(x, name, p);
    XML_ParserFree(p);
    return rc;
}

/* Resolves a relationship target against the directory of the part base ("xl/…"):
 * absolute targets drop their leading '/', "../" climbs one directory. */
static void resolve(const char *base, const char *target, char *out, size_t n)
{
    if (target[0] == '/') {
        snprintf(out, n, "%s", target + 1);
        return;
    }
    char dir[512];
    snprintf(dir, sizeof(dir), "%s", base);
    char *slash = strrchr(dir, '/');
    if (slash)
        slash[1] = '\0';
    else
        dir[0] = '\0';
    while (strncmp(target, "../", 3) == 0) {
        target += 3;
        size_t len = strlen(dir);
        if (len)
            dir[len - 1] = '\0';
        slash = strrchr(dir, '/');
        if (slash)
            slash[1] = '\0';
        else
            dir[0] = '\0';
    }
    snprintf(out, n, "%s%s", dir, target);
}

/* ---- workbook.xml ---- */

/* What the workbook parse looks for. */
struct workbook {
    const char *want_name; /* sheet name wanted, or NULL for the first */
    char rid[128];         /* relationship id of the chosen sheet */
    bool found;            /* a sheet was chosen */
    bool any;              /* the workbook lists at least one sheet */
};

/* <workbookPr date1904> and <sheet name r:id>. */
static void wb_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    struct xlsx_reader *x = ((void **)ud)[0];
    struct workbook *w = ((void **)ud)[2];
    const char *l = local(name);
    if (strcmp(l, "workbookPr") == 0) {
        const char *d = attr(atts, "date1904", false);
        x->date1904 = d && (strcmp(d, "1") == 0 || strcmp(d, "true") == 0);
    } else if (strcmp(l, "sheet") == 0) {
        w->any = true;
        const char *sn = attr(atts, "name", false), *rid = attr(atts, "id", true);
        if (w->found || !rid)
            return;
        if (!w->want_name || (sn && strcmp(sn, w->want_name) == 0)) {
            snprintf(w->rid, sizeof(w->rid), "%s", rid);
            w->found = true;
        }
    }
}

/* ---- sharedStrings.xml ---- */

/* State of the shared-strings parse. */
struct sst_state {
    int in_si;  /* inside <si> */
    int in_t;   /* inside <t> */
    int in_rph; /* inside <rPh> */
};

/* Checks the shared-string memory against the limit after adding extra bytes. */
static bool sst_fits(struct xlsx_reader *x, size_t extra)
{
    uint64_t used = (uint64_t)x->sst_text.len + extra + (uint64_t)(x->sst_n + 1) * 8;
    return used <= x->lim.max_sst_bytes;
}

/* <si>, <t>, <rPh>. */
static void sst_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    (void)atts;
    struct xlsx_reader *x = ((void **)ud)[0];
    struct sst_state *s = ((void **)ud)[2];
    const char *l = local(name);
    if (strcmp(l, "si") == 0) {
        s->in_si++;
        x->sst_start = x->sst_text.len;
    } else if (strcmp(l, "t") == 0 && s->in_si) {
        s->in_t++;
    } else if (strcmp(l, "rPh") == 0) {
        s->in_rph++;
    }
}

/* Ends a string at </si>. */
static void sst_end(void *ud, const XML_Char *name)
{
    struct xlsx_reader *x = ((void **)ud)[0];
    XML_Parser p = ((void **)ud)[1];
    struct sst_state *s = ((void **)ud)[2];
    const char *l = local(name);
    if (strcmp(l, "t") == 0 && s->in_t) {
        s->in_t--;
    } else if (strcmp(l, "rPh") == 0 && s->in_rph) {
        s->in_rph--;
    } else if (strcmp(l, "si") == 0 && s->in_si) {
        s->in_si--;
        if (!sst_fits(x, 1)) {
            fail(x, KC_ERR_TOO_LARGE, "shared_strings_too_large",
                 "the shared strings need more than %llu bytes",
                 (unsigned long long)x->lim.max_sst_bytes);
            XML_StopParser(p, XML_FALSE);
            return;
        }
        buf_putc(&x->sst_text, '\0');
        if (x->sst_n == x->sst_cap) {
            x->sst_cap = x->sst_cap ? x->sst_cap * 2 : 1024;
            x->sst_off = xrealloc(x->sst_off, x->sst_cap * sizeof(*x->sst_off));
        }
        x->sst_off[x->sst_n++] = x->sst_start;
    }
}

/* Text of <t> inside <si> (not in phonetic runs). */
static void sst_text(void *ud, const XML_Char *s, int len)
{
    struct xlsx_reader *x = ((void **)ud)[0];
    XML_Parser p = ((void **)ud)[1];
    struct sst_state *st = ((void **)ud)[2];
    if (!st->in_t || st->in_rph || !st->in_si)
        return;
    if (!sst_fits(x, (size_t)len + 1)) {
        fail(x, KC_ERR_TOO_LARGE, "shared_strings_too_large",
             "the shared strings need more than %llu bytes",
             (unsigned long long)x->lim.max_sst_bytes);
        XML_StopParser(p, XML_FALSE);
        return;
    }
    buf_append(&x->sst_text, s, (size_t)len);
}

/* ---- the worksheet ---- */

/* Makes room for column col in the row arrays. */
static void row_grow(struct xlsx_reader *x, uint32_t col)
{
    if (col < x->cols_cap)
        return;
    uint32_t cap = x->cols_cap ? x->cols_cap : 32;
    while (cap <= col)
        cap *= 2;
    x->off = xrealloc(x->off, cap * sizeof(*x->off));
    x->types = xrealloc(x->types, cap);
    x->ptrs = xrealloc(x->ptrs, cap * sizeof(*x->ptrs));
    memset(x->types + x->cols_cap, 0, cap - x->cols_cap);
    x->cols_cap = cap;
}

/* <row>, <c>, <v>, <is>, <t>, <rPh>. */
static void sheet_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    struct xlsx_reader *x = ((void **)ud)[0];
    XML_Parser p = ((void **)ud)[1];
    const char *l = local(name);
    if (strcmp(l, "row") == 0) {
        for (uint32_t i = 0; i < x->n_cols; i++)
            x->types[i] = XLSX_EMPTY;
        x->n_cols = 0;
        buf_reset(&x->rowtext);
        x->prev_col = -1;
        const char *r = attr(atts, "r", false);
        char *end = NULL;
        unsigned long n = r ? strtoul(r, &end, 10) : 0;
        x->row_number =
            r && end && !*end && n > 0 && n <= 0xFFFFFFFFul ? (uint32_t)n : x->row_number + 1;
    } else if (strcmp(l, "c") == 0) {
        x->in_c = 1;
        x->in_is = 0;
        buf_reset(&x->cell);
        const char *t = attr(atts, "t", false), *r = attr(atts, "r", false);
        snprintf(x->cell_t, sizeof(x->cell_t), "%s", t ? t : "n");
        int col = r ? xlsx_col_index(r) : -1;
        x->cell_col = col >= 0 ? col : x->prev_col + 1;
        if (x->cell_col >= (int64_t)x->lim.max_cols) {
            fail(x, KC_ERR_TOO_LARGE, "too_many_columns", "row %u has a cell beyond column %u",
                 x->row_number, x->lim.max_cols);
            XML_StopParser(p, XML_FALSE);
            return;
        }
        x->prev_col = x->cell_col;
    } else if (x->in_c && strcmp(l, "v") == 0) {
        x->capture = true;
    } else if (x->in_c && strcmp(l, "is") == 0) {
        x->in_is = 1;
    } else if (x->in_is && strcmp(l, "rPh") == 0) {
        x->in_rph++;
    } else if (x->in_is && !x->in_rph && strcmp(l, "t") == 0) {
        x->capture = true;
    }
}

/* Stores the finished cell's value in the row. Returns false on an error. */
static bool cell_store(struct xlsx_reader *x)
{
    const char *t = x->cell_t;
    const char *val = buf_str(&x->cell);
    size_t len = x->cell.len;
    unsigned char type;
    if (strcmp(t, "s") == 0) {
        if (!len)
            return true;
        char *end;
        unsigned long long i = strtoull(val, &end, 10);
        if (*end || i >= x->sst_n) {
            fail(x, KC_ERR_INVALID, "bad_xml", "row %u refers to shared string %s of %zu",
                 x->row_number, val, x->sst_n);
            return false;
        }
        val = x->sst_text.data + x->sst_off[i];
        len = strlen(val);
        type = XLSX_STRING;
    } else if (strcmp(t, "inlineStr") == 0 || strcmp(t, "str") == 0) {
        type = XLSX_STRING;
    } else if (strcmp(t, "b") == 0) {
        type = XLSX_BOOL;
        val = (len == 1 && val[0] == '0') || strcmp(val, "false") == 0 ? "0" : "1";
        if (!len)
            return true;
        len = 1;
    } else if (strcmp(t, "e") == 0) {
        type = XLSX_ERROR;
    } else if (strcmp(t, "d") == 0) {
        type = XLSX_DATE;
    } else {
        type = XLSX_NUMBER;
    }
    if (!len)
        return true;
    if (x->rowtext.len + len + 1 > x->lim.max_row_bytes) {
        fail(x, KC_ERR_TOO_LARGE, "row_too_large", "row %u holds more than %llu bytes of text",
             x->row_number, (unsigned long long)x->lim.max_row_bytes);
        return false;
    }
    uint32_t col = (uint32_t)x->cell_col;
    row_grow(x, col);
    x->off[col] = x->rowtext.len;
    buf_append(&x->rowtext, val, len);
    buf_putc(&x->rowtext, '\0');
    x->types[col] = type;
    if (col + 1 > x->n_cols)
        x->n_cols = col + 1;
    return true;
}

/* Ends cells and rows; suspends the parser after each row. */
static void sheet_end(void *ud, const XML_Char *name)
{
    struct xlsx_reader *x = ((void **)ud)[0];
    XML_Parser p = ((void **)ud)[1];
    const char *l = local(name);
    if (strcmp(l, "v") == 0 || strcmp(l, "t") == 0) {
        x->capture = false;
    } else if (strcmp(l, "rPh") == 0 && x->in_rph) {
        x->in_rph--;
    } else if (strcmp(l, "is") == 0) {
        x->in_is = 0;
    } else if (strcmp(l, "c") == 0 && x->in_c) {
        x->in_c = 0;
        x->capture = false;
        if (!cell_store(x))
            XML_StopParser(p, XML_FALSE);
    } else if (strcmp(l, "row") == 0) {
        for (uint32_t i = 0; i < x->n_cols; i++)
            x->ptrs[i] = x->types[i] ? x->rowtext.data + x->off[i] : NULL;
        x->row_ready = true;
        XML_StopParser(p, XML_TRUE);
    }
}

/* Collects the text of <v> and of <t> inside <is>, within the row limit. */
static void sheet_text(void *ud, const XML_Char *s, int len)
{
    struct xlsx_reader *x = ((void **)ud)[0];
    XML_Parser p = ((void **)ud)[1];
    if (!x->capture)
        return;
    if (x->rowtext.len + x->cell.len + (size_t)len + 1 > x->lim.max_row_bytes) {
        fail(x, KC_ERR_TOO_LARGE, "row_too_large", "row %u holds more than %llu bytes of text",
             x->row_number, (unsigned long long)x->lim.max_row_bytes);
        XML_StopParser(p, XML_FALSE);
        return;
    }
    buf_append(&x->cell, s, (size_t)len);
}

/* ---- opening ---- */

/* Fills in default limits. */
static void set_limits(struct xlsx_limits *l, const struct xlsx_limits *in)
{
    if (in)
        *l = *in;
    else
        memset(l, 0, sizeof(*l));
    if (!l->max_entries)
        l->max_entries = 10000;
    if (!l->max_entry_bytes)
        l->max_entry_bytes = (uint64_t)2 << 30;
    if (!l->max_total_bytes)
        l->max_total_bytes = (uint64_t)4 << 30;
    if (!l->max_ratio)
        l->max_ratio = 200;
    if (!l->max_sst_bytes)
        l->max_sst_bytes = (uint64_t)64 << 20;
    if (!l->max_cols)
        l->max_cols = 16384;
    if (!l->max_row_bytes)
        l->max_row_bytes = 1 << 20;
}

/* Checks the central directory: entry count, declared sizes, compression ratios. */
static int check_directory(struct xlsx_reader *x)
{
    zip_int64_t n = zip_get_num_entries(x->za, 0);
    if (n < 0)
        return fail(x, KC_ERR_INVALID, "not_zip", "the zip directory cannot be read");
    if ((uint64_t)n > x->lim.max_entries)
        return fail(x, KC_ERR_TOO_LARGE, "too_many_entries",
                    "the file has %lld parts, more than %llu", (long long)n,
                    (unsigned long long)x->lim.max_entries);
    uint64_t total = 0;
    for (zip_int64_t i = 0; i < n; i++) {
        zip_stat_t st;
        zip_stat_init(&st);
        if (zip_stat_index(x->za, (zip_uint64_t)i, 0, &st) != 0 || !(st.valid & ZIP_STAT_SIZE) ||
            !(st.valid & ZIP_STAT_COMP_SIZE))
            return fail(x, KC_ERR_INVALID, "corrupt", "part %lld cannot be read", (long long)i);
        const char *nm = st.valid & ZIP_STAT_NAME ? st.name : "?";
        if (st.size > x->lim.max_entry_bytes)
            return fail(x, KC_ERR_TOO_LARGE, "entry_too_large",
                        "%s inflates to %llu bytes, more than %llu", nm,
                        (unsigned long long)st.size, (unsigned long long)x->lim.max_entry_bytes);
        total += st.size;
        if (total > x->lim.max_total_bytes)
            return fail(x, KC_ERR_TOO_LARGE, "total_too_large",
                        "the parts inflate to more than %llu bytes",
                        (unsigned long long)x->lim.max_total_bytes);
        if (st.size > RATIO_MIN_BYTES &&
            st.size / (st.comp_size ? st.comp_size : 1) > x->lim.max_ratio)
            return fail(x, KC_ERR_TOO_LARGE, "compression_ratio",
                        "%s is compressed %llu:1, more than %llu:1", nm,
                        (unsigned long long)(st.size / (st.comp_size ? st.comp_size : 1)),
                        (unsigned long long)x->lim.max_ratio);
    }
    return 0;
}

/* Finds the workbook, the wanted sheet and the shared strings; loads the strings and
 * opens the sheet stream. */
static int locate_and_load(struct xlsx_reader *x, const char *sheet)
{
    struct rels root = {.want_type = "/officeDocument"};
    int rc = read_rels(x, "_rels/.rels", &root);
    if (rc && rc != KC_ERR_NOT_FOUND)
        return rc;
    char wb_path[512];
    resolve("", root.type_target[0] ? root.type_target : "xl/workbook.xml", wb_path,
            sizeof(wb_path));

    struct workbook wb = {.want_name = sheet};
    void *ud[3] = {x, NULL, &wb};
    XML_Parser p = new_parser(ud);
    XML_SetStartElementHandler(p, wb_start);
    rc = parse_part(x, wb_path, p);
    XML_ParserFree(p);
    if (rc == KC_ERR_NOT_FOUND)
        return fail(x, KC_ERR_INVALID, "no_workbook", "the file has no workbook part (%s)",
                    wb_path);
    if (rc)
        return rc;
    if (!wb.any)
        return fail(x, KC_ERR_INVALID, "no_sheet", "the workbook has no worksheet");
    if (!wb.found)
        return fail(x, KC_ERR_INVALID, "sheet_not_found", "the workbook has no sheet named %s",
                    sheet ? sheet : "");

    char rels_path[600];
    const char *slash = strrchr(wb_path, '/');
    if (slash)
        snprintf(rels_path, sizeof(rels_path), "%.*s_rels/%s.rels", (int)(slash - wb_path + 1),
                 wb_path, slash + 1);
    else
        snprintf(rels_path, sizeof(rels_path), "_rels/%s.rels", wb_path);
    struct rels wr = {.want_id = wb.rid, .want_type = "/sharedStrings"};
    rc = read_rels(x, rels_path, &wr);
    if (rc == KC_ERR_NOT_FOUND || (!rc && !wr.id_target[0]))
        return fail(x, KC_ERR_INVALID, "no_sheet", "the workbook's sheet %s has no part", wb.rid);
    if (rc)
        return rc;

    if (wr.type_target[0]) {
        char sst_path[512];
        resolve(wb_path, wr.type_target, sst_path, sizeof(sst_path));
        struct sst_state ss = {0};
        void *ud2[3] = {x, NULL, &ss};
        XML_Parser sp = new_parser(ud2);
        XML_SetElementHandler(sp, sst_start, sst_end);
        XML_SetCharacterDataHandler(sp, sst_text);
        rc = parse_part(x, sst_path, sp);
        XML_ParserFree(sp);
        if (rc && rc != KC_ERR_NOT_FOUND)
            return rc;
    }

    char sheet_path[512];
    resolve(wb_path, wr.id_target, sheet_path, sizeof(sheet_path));
    x->zf = open_part(x, sheet_path, &x->sheet_total);
    if (!x->zf)
        return x->fail_rc ? x->fail_rc
                          : fail(x, KC_ERR_INVALID, "no_sheet", "the sheet part %s is missing",
                                 sheet_path);
    return 0;
}

int xlsx_open(const char *path, const char *sheet, const struct xlsx_limits *lim,
              struct xlsx_reader **out, struct xlsx_error *err)
{
    *out = NULL;
    memset(err, 0, sizeof(*err));
    struct xlsx_reader *x = xcalloc(1, sizeof(*x));
    set_limits(&x->lim, lim);
    int zerr = 0;
    x->za = zip_open(path, ZIP_RDONLY | ZIP_CHECKCONS, &zerr);
    int rc;
    if (!x->za) {
        zip_error_t ze;
        zip_error_init_with_code(&ze, zerr);
        if (zerr == ZIP_ER_OPEN || zerr == ZIP_ER_READ || zerr == ZIP_ER_NOENT)
            rc = fail(x, KC_ERR_IO, "io", "cannot read the file: %s", zip_error_strerror(&ze));
        else
            rc = fail(x, KC_ERR_INVALID, "not_zip", "not an XLSX (zip) file: %s",
                      zip_error_strerror(&ze));
        zip_error_fini(&ze);
        goto bad;
    }
    rc = check_directory(x);
    if (!rc)
        rc = locate_and_load(x, sheet);
    if (rc)
        goto bad;
    x->ud_self[0] = x;
    x->p = new_parser(x->ud_self);
    x->ud_self[2] = NULL;
    XML_SetElementHandler(x->p, sheet_start, sheet_end);
    XML_SetCharacterDataHandler(x->p, sheet_text);
    *out = x;
    return 0;
bad:
    *err = x->err;
    xlsx_close(x);
    return rc;
}

/* Hands the completed row out. */
static void give_row(struct xlsx_reader *x, struct xlsx_row *row)
{
    row->number = x->row_number;
    row->n_cols = x->n_cols;
    row->text = x->ptrs;
    row->type = x->types;
}

int xlsx_next(struct xlsx_reader *x, struct xlsx_row *row)
{
    if (x->fail_rc)
        return x->fail_rc;
    if (x->finished)
        return 0;
    x->row_ready = false;
    for (;;) {
        enum XML_Status st;
        if (x->suspended) {
            x->suspended = false;
            st = XML_ResumeParser(x->p);
        } else if (x->fed_final) {
            x->finished = true;
            return 0;
        } else {
            void *b = XML_GetBuffer(x->p, CHUNK);
            if (!b)
                abort(); /* out of memory, as xmalloc */
            int64_t got =
                read_part(x, x->zf, "the sheet", x->sheet_total, &x->sheet_done, b, CHUNK);
            if (got < 0)
                return (int)got;
            if (got == 0)
                x->fed_final = true;
            st = XML_ParseBuffer(x->p, (int)got, got == 0);
        }
        if (st == XML_STATUS_ERROR) {
            if (x->fail_rc)
                return x->fail_rc;
            return fail(x, KC_ERR_INVALID, "bad_xml", "the sheet: %s at line %lu",
                        XML_ErrorString(XML_GetErrorCode(x->p)),
                        (unsigned long)XML_GetCurrentLineNumber(x->p));
        }
        if (st == XML_STATUS_SUSPENDED)
            x->suspended = true;
        if (x->row_ready) {
            give_row(x, row);
            return 1;
        }
        if (st == XML_STATUS_OK && x->fed_final) {
            x->finished = true;
            return 0;
        }
    }
}

const struct xlsx_error *xlsx_last_error(const struct xlsx_reader *x)
{
    return &x->err;
}

void xlsx_progress(const struct xlsx_reader *x, uint64_t *done, uint64_t *total)
{
    *done = x->sheet_done;
    *total = x->sheet_total;
}

bool xlsx_date1904(const struct xlsx_reader *x)
{
    return x->date1904;
}

void xlsx_close(struct xlsx_reader *x)
{
    if (!x)
        return;
    if (x->p)
        XML_ParserFree(x->p);
    if (x->zf)
        zip_fclose(x->zf);
    if (x->za)
        zip_discard(x->za);
    buf_free(&x->sst_text);
    buf_free(&x->cell);
    buf_free(&x->rowtext);
    free(x->sst_off);
    free(x->off);
    free(x->types);
    free(x->ptrs);
    free(x);
}
