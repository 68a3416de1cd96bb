/* table_read.c — CSV (UTF-8 or GB18030, detected) and XLSX rows in constant memory. */
#include "io/table_read.h"
#include "core/arena.h"
#include "core/utf8.h"
#include "core/xalloc.h"
#include "io/csv.h"

#include <errno.h>
#include <iconv.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define READ_CHUNK (1u << 20) /* raw bytes read at a time */

/* CSV encodings. */
enum csv_enc {
    ENC_UNDECIDED, /* only ASCII seen so far */
    ENC_UTF8,      /* UTF-8 (a BOM, or valid UTF-8 at the first non-ASCII bytes) */
    ENC_GB18030    /* decoded through iconv */
};

/* States of the record-boundary scanner (mirrors csv_next's quoting rules). */
enum scan_state {
    SC_FIELD_START, /* at the start of a field */
    SC_UNQUOTED,    /* inside an unquoted field (or after a closing quote) */
    SC_QUOTED,      /* inside a quoted field */
    SC_QUOTE_SEEN   /* a quote inside a quoted field: doubled or closing */
};

/* The reader. */
struct table_reader {
    enum table_format fmt;  /* TABLE_CSV or TABLE_XLSX */
    struct table_error err; /* the last error */
    int fail_rc;            /* its code, 0 while healthy */
    struct xlsx_reader *x;  /* XLSX: the sheet reader */
    /* CSV */
    FILE *f;                             /* the file */
    uint64_t file_size;                  /* its size */
    uint64_t raw_read;                   /* bytes read from it */
    bool eof;                            /* everything was read */
    enum csv_enc enc;                    /* encoding */
    iconv_t cd;                          /* GB18030 → UTF-8, once decided */
    char *raw;                           /* read buffer */
    size_t carry;                        /* undecoded bytes at the start of raw (split sequence) */
    char *tx;                            /* decoded text window */
    size_t tx_len;                       /* bytes in tx */
    size_t tx_cap;                       /* capacity of tx */
    size_t pos;                          /* start of the unparsed text */
    size_t scan;                         /* how far the boundary scanner got */
    enum scan_state state;               /* scanner state at scan */
    size_t boundary;                     /* end of the last complete record */
    uint64_t line;                       /* line number at pos */
    struct arena ar;                     /* fields of the current CSV row */
    char *fields[TABLE_MAX_COLS];        /* the current CSV row */
    unsigned char types[TABLE_MAX_COLS]; /* XLSX_STRING or XLSX_EMPTY per field */
    int n_prev;                          /* fields of the previous CSV row */
    uint64_t n_rows;                     /* CSV records read */
};

/* Records an error (first one wins) and returns rc. */
static int fail(struct table_reader *t, int rc, const char *code, const char *fmt, ...)
{
    if (!t->fail_rc) {
        t->fail_rc = rc;
        t->err.code = code;
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(t->err.detail, sizeof(t->err.detail), fmt, ap);
        va_end(ap);
    }
    return t->fail_rc;
}

/* Makes room for n more bytes in the text window. */
static void tx_reserve(struct table_reader *t, size_t n)
{
    if (t->tx_len + n + 1 <= t->tx_cap)
        return;
    size_t cap = t->tx_cap ? t->tx_cap : READ_CHUNK;
    while (cap < t->tx_len + n + 1)
        cap *= 2;
    t->tx = xrealloc(t->tx, cap);
    t->tx_cap = cap;
}

/* Appends decoded bytes to the window. */
static void tx_append(struct table_reader *t, const char *s, size_t n)
{
    tx_reserve(t, n);
    memcpy(t->tx + t->tx_len, s, n);
    t->tx_len += n;
}

/* Length of the longest prefix of s[0..n) that does not end inside a UTF-8 sequence
 * (the bytes after it may be completed by the next read). */
static size_t utf8_whole(const char *s, size_t n)
{
    size_t i = n, back = 0;
    while (i > 0 && back < 4) {
        unsigned char c = (unsigned char)s[i - 1];
        if ((c & 0xC0) != 0x80) {
            size_t need = c < 0x80             ? 1
                          : (c & 0xE0) == 0xC0 ? 2
                          : (c & 0xF0) == 0xE0 ? 3
                          : (c & 0xF8) == 0xF0 ? 4
                                               : 1;
            return back + 1 >= need ? n : i - 1;
        }
        i--;
        back++;
    }
    return n;
}

/* Decides the encoding from raw[0..n) (not all ASCII): valid UTF-8 or GB18030. */
static int decide(struct table_reader *t, const char *s, size_t n)
{
    size_t whole = t->eof ? n : utf8_whole(s, n);
    if (utf8_valid(s, whole)) {
        t->enc = ENC_UTF8;
        return 0;
    }
    t->cd = iconv_open("UTF-8", "GB18030");
    if (t->cd == (iconv_t)-1)
        return fail(t, KC_ERR_IO, "encoding", "iconv cannot decode GB18030 on this system");
    t->enc = ENC_GB18030;
    return 0;
}

/* Decodes raw[0..n) into the window; keeps an incomplete trailing sequence in carry. */
static int decode(struct table_reader *t, size_t n)
{
    char *s = t->raw;
    t->carry = 0;
    if (t->enc == ENC_UNDECIDED) {
        size_t i = 0;
        while (i < n && !((unsigned char)s[i] & 0x80))
            i++;
        if (i < n && !t->eof && utf8_whole(s + i, n - i) == 0) {
            /* Only the start of a sequence so far: decide on the next read. */
            tx_append(t, s, i);
            memmove(t->raw, s + i, n - i);
            t->carry = n - i;
            return 0;
        }
        if (i < n) {
            int rc = decide(t, s + i, n - i);
            if (rc)
                return rc;
        }
    }
    if (t->enc != ENC_GB18030) {
        tx_append(t, s, n);
        return 0;
    }
    char *in = s;
    size_t in_left = n;
    while (in_left) {
        tx_reserve(t, in_left * 2 + 16);
        char *out = t->tx + t->tx_len;
        size_t out_left = t->tx_cap - t->tx_len - 1;
        size_t r = iconv(t->cd, &in, &in_left, &out, &out_left);
        t->tx_len = (size_t)(out - t->tx);
        if (r != (size_t)-1)
            break;
        if (errno == E2BIG)
            continue;
        if (errno == EINVAL && !t->eof) { /* a sequence split by the read: keep it */
            memmove(t->raw, in, in_left);
            t->carry = in_left;
            break;
        }
        return fail(t, KC_ERR_INVALID, "encoding",
                    "byte 0x%02X near offset %llu is neither UTF-8 nor GB18030",
                    (unsigned)(unsigned char)*in, (unsigned long long)(t->raw_read - in_left));
    }
    return 0;
}

/* Advances the boundary scanner over the new text. */
static void scan(struct table_reader *t)
{
    enum scan_state st = t->state;
    for (size_t i = t->scan; i < t->tx_len; i++) {
        char c = t->tx[i];
        switch (st) {
        case SC_FIELD_START:
        case SC_UNQUOTED:
            if (c == '"' && st == SC_FIELD_START)
                st = SC_QUOTED;
            else if (c == ',')
                st = SC_FIELD_START;
            else if (c == '\n' || c == '\r') {
                st = SC_FIELD_START;
                t->boundary = i + 1;
            } else
                st = SC_UNQUOTED;
            break;
        case SC_QUOTED:
            if (c == '"')
                st = SC_QUOTE_SEEN;
            break;
        case SC_QUOTE_SEEN:
            if (c == '"')
                st = SC_QUOTED;
            else if (c == ',')
                st = SC_FIELD_START;
            else if (c == '\n' || c == '\r') {
                st = SC_FIELD_START;
                t->boundary = i + 1;
            } else
                st = SC_UNQUOTED;
            break;
        }
    }
    t->scan = t->tx_len;
    t->state = st;
}

/* Reads and decodes the next chunk of the file into the window. */
static int fill(struct table_reader *t)
{
    if (t->pos > 0) { /* drop parsed text */
        memmove(t->tx, t->tx + t->pos, t->tx_len - t->pos);
        t->tx_len -= t->pos;
        t->scan -= t->pos;
        t->boundary = t->boundary > t->pos ? t->boundary - t->pos : 0;
        t->pos = 0;
    }
    size_t got = fread(t->raw + t->carry, 1, READ_CHUNK, t->f);
    if (ferror(t->f))
        return fail(t, KC_ERR_IO, "io", "the file cannot be read");
    size_t n = t->carry + got;
    bool first = t->raw_read == 0;
    t->raw_read += got;
    if (got == 0)
        t->eof = true;
    char *s = t->raw;
    if (first && n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0) {
        t->enc = ENC_UTF8;
        memmove(s, s + 3, n - 3);
        n -= 3;
    }
    int rc = decode(t, n);
    if (rc)
        return rc;
    scan(t);
    if (t->eof)
        t->boundary = t->tx_len;
    return 0;
}

/* Reads the next CSV record from the window. */
static int csv_row(struct table_reader *t, struct table_row *row)
{
    for (;;) {
        while (t->pos < t->boundary && (t->tx[t->pos] == '\n' || t->tx[t->pos] == '\r')) {
            if (t->tx[t->pos] == '\n')
                t->line++;
            t->pos++;
        }
        if (t->pos < t->boundary)
            break;
        if (t->eof)
            return 0;
        if (t->tx_len - t->pos > TABLE_MAX_RECORD)
            return fail(t, KC_ERR_TOO_LARGE, "record_too_large",
                        "the record at line %llu is longer than %u bytes",
                        (unsigned long long)t->line, TABLE_MAX_RECORD);
        int rc = fill(t);
        if (rc)
            return rc;
    }
    if ((++t->n_rows & 255) == 0) /* field memory of old rows, released now and then */
        arena_free(&t->ar);
    struct csv_reader r = {t->tx + t->pos, t->tx + t->boundary};
    int n = csv_next(&r, &t->ar, t->fields, TABLE_MAX_COLS);
    if (n < 0)
        return fail(t, KC_ERR_INVALID, "unterminated_quote",
                    "the quoted field starting at line %llu is not closed",
                    (unsigned long long)t->line);
    size_t used = (size_t)(r.p - (t->tx + t->pos));
    row->number = t->line;
    for (size_t i = t->pos; i < t->pos + used; i++)
        if (t->tx[i] == '\n')
            t->line++;
    t->pos += used;
    for (int i = n; i < t->n_prev; i++) { /* no stale pointers past this row */
        t->fields[i] = NULL;
        t->types[i] = XLSX_EMPTY;
    }
    t->n_prev = n;
    int last = 0;
    for (int i = 0; i < n; i++) {
        if (t->fields[i][0] == '\0') {
            t->fields[i] = NULL;
            t->types[i] = XLSX_EMPTY;
        } else {
            t->types[i] = XLSX_STRING;
            last = i + 1;
        }
    }
    row->n = last;
    row->cell = (const char *const *)t->fields;
    row->type = t->types;
    return 1;
}

int table_open(const char *path, enum table_format fmt, const struct xlsx_limits *lim,
               struct table_reader **out, struct table_error *err)
{
    *out = NULL;
    memset(err, 0, sizeof(*err));
    struct table_reader *t = xcalloc(1, sizeof(*t));
    t->line = 1;
    int rc = 0;
    FILE *f = fopen(path, "rb");
    if (!f) {
        rc = fail(t, KC_ERR_IO, "io", "cannot open the file: %s", strerror(errno));
        goto bad;
    }
    if (fmt == TABLE_AUTO) {
        unsigned char sig[4] = {0};
        size_t n = fread(sig, 1, 4, f);
        fmt = n == 4 && memcmp(sig, "PK\x03\x04", 4) == 0 ? TABLE_XLSX : TABLE_CSV;
        rewind(f);
    }
    t->fmt = fmt;
    if (fmt == TABLE_XLSX) {
        fclose(f);
        struct xlsx_error xe;
        rc = xlsx_open(path, NULL, lim, &t->x, &xe);
        if (rc) {
            rc = fail(t, rc, xe.code, "%s", xe.detail);
            goto bad;
        }
        *out = t;
        return 0;
    }
    t->f = f;
    struct stat stt;
    t->file_size = fstat(fileno(f), &stt) == 0 ? (uint64_t)stt.st_size : 0;
    t->raw = xmalloc(READ_CHUNK + 8);
    t->cd = (iconv_t)-1;
    *out = t;
    return 0;
bad:
    *err = t->err;
    if (f && fmt != TABLE_XLSX)
        fclose(f);
    free(t);
    return rc;
}

int table_next(struct table_reader *t, struct table_row *row)
{
    if (t->fail_rc)
        return t->fail_rc;
    if (t->fmt == TABLE_CSV)
        return csv_row(t, row);
    struct xlsx_row xr;
    int rc = xlsx_next(t->x, &xr);
    if (rc < 0) {
        const struct xlsx_error *e = xlsx_last_error(t->x);
        return fail(t, rc, e->code, "%s", e->detail);
    }
    if (rc == 0)
        return 0;
    row->number = xr.number;
    row->n = (int)(xr.n_cols > TABLE_MAX_COLS ? TABLE_MAX_COLS : xr.n_cols);
    row->cell = xr.text;
    row->type = xr.type;
    return 1;
}

const struct table_error *table_last_error(const struct table_reader *t)
{
    return &t->err;
}

enum table_format table_format(const struct table_reader *t)
{
    return t->fmt;
}

const char *table_encoding(const struct table_reader *t)
{
    if (t->fmt == TABLE_XLSX)
        return "xlsx";
    return t->enc == ENC_GB18030 ? "gb18030" : "utf-8";
}

bool table_date1904(const struct table_reader *t)
{
    return t->x && xlsx_date1904(t->x);
}

void table_progress(const struct table_reader *t, uint64_t *done, uint64_t *total)
{
    if (t->fmt == TABLE_XLSX) {
        xlsx_progress(t->x, done, total);
        return;
    }
    *total = t->file_size;
    *done = t->raw_read > t->file_size ? t->file_size : t->raw_read;
}

void table_close(struct table_reader *t)
{
    if (!t)
        return;
    xlsx_close(t->x);
    if (t->f)
        fclose(t->f);
    if (t->cd != (iconv_t)-1 && t->cd != (iconv_t)0)
        iconv_close(t->cd);
    arena_free(&t->ar);
    free(t->raw);
    free(t->tx);
    free(t);
}
