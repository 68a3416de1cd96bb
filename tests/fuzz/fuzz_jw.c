/* fuzz_jw.c — libFuzzer harness for core/jw, the only place output escaping lives.
 *
 * Mode 0 (first byte even): the rest of the input is one string. jw_escape must never
 * crash, whatever the bytes; when they are valid UTF-8 the literal must parse back
 * with jansson to exactly the same bytes and contain no raw control character, "<",
 * ">" or "&".
 * Mode 1 (first byte odd): the rest of the input is a little program of writer calls
 * (open/close object or array, key, string, int, double, bool, null) that keeps the
 * nesting legal; the whole document must parse with jansson. */
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/jw.h"
#include "core/utf8.h"

/* Aborts (a crash libFuzzer records) when cond is false. */
static void check(int cond)
{
    if (!cond)
        abort();
}

/* Escapes s (n bytes) and, for valid UTF-8, checks the literal parses back to s. */
static void fuzz_escape(const char *s, size_t n)
{
    struct buf b = {0};
    jw_escape(&b, s, n);
    const char *lit = buf_str(&b);
    check(b.len >= n + 2 && lit[0] == '"' && lit[b.len - 1] == '"');
    if (utf8_valid(s, n)) {
        for (size_t i = 0; i < b.len; i++) {
            unsigned char c = (unsigned char)lit[i];
            check(c >= 0x20 && c != '<' && c != '>' && c != '&');
        }
        json_error_t err;
        json_t *j = json_loadb(lit, b.len, JSON_DECODE_ANY, &err);
        check(j != NULL);
        check(json_is_string(j));
        check(json_string_length(j) == n);
        check(memcmp(json_string_value(j), s, n) == 0);
        json_decref(j);
    }
    buf_free(&b);
}

/* Reads up to want bytes of the program into out (zero-filled when short). */
static void take(const uint8_t **p, const uint8_t *end, void *out, size_t want)
{
    size_t n = (size_t)(end - *p) < want ? (size_t)(end - *p) : want;
    memset(out, 0, want);
    memcpy(out, *p, n);
    *p += n;
}

/* Runs the writer program in [p, end) and checks the document parses. */
static void fuzz_writer(const uint8_t *p, const uint8_t *end)
{
    struct buf b = {0};
    struct jw w;
    jw_init(&w, &b);
    bool in_obj[JW_MAX_DEPTH] = {false}; /* container kind per depth */
    jw_arr_open(&w); /* a top-level array holds whatever the program writes */
    int depth = 1;
    while (p < end) {
        uint8_t op = *p++;
        /* Inside an object, every value needs a key first. */
        bool need_key = in_obj[depth];
        switch (op % 8) {
        case 0: /* open object */
        case 1: /* open array */
            if (depth + 1 >= JW_MAX_DEPTH)
                break;
            if (need_key)
                jw_key(&w, "k");
            if (op % 8 == 0)
                jw_obj_open(&w);
            else
                jw_arr_open(&w);
            depth++;
            in_obj[depth] = op % 8 == 0;
            break;
        case 2: /* close */
            if (depth <= 1)
                break;
            if (in_obj[depth])
                jw_obj_close(&w);
            else
                jw_arr_close(&w);
            depth--;
            break;
        case 3: { /* string: a length byte, then that many bytes (valid UTF-8 only) */
            uint8_t len = 0;
            take(&p, end, &len, 1);
            len %= 32;
            char s[32];
            take(&p, end, s, len);
            if (!utf8_valid(s, len))
                break;
            if (need_key) {
                char key[33];
                memcpy(key, s, len);
                key[len] = '\0';
                jw_key(&w, key);
            }
            jw_strn(&w, s, len);
            break;
        }
        case 4: { /* int64 */
            int64_t v;
            take(&p, end, &v, sizeof v);
            if (need_key)
                jw_key(&w, "i");
            jw_int(&w, v);
            break;
        }
        case 5: { /* double (NaN and infinities become null) */
            double v;
            take(&p, end, &v, sizeof v);
            if (need_key)
                jw_key(&w, "d");
            jw_double(&w, v);
            break;
        }
        case 6:
            if (need_key)
                jw_kbool(&w, "b", op & 8);
            else
                jw_bool(&w, op & 8);
            break;
        default:
            if (need_key)
                jw_knull(&w, "n");
            else
                jw_str(&w, NULL);
            break;
        }
    }
    while (depth > 0) {
        if (in_obj[depth])
            jw_obj_close(&w);
        else
            jw_arr_close(&w);
        depth--;
    }
    json_error_t err;
    /* Duplicate keys are allowed here: the program may write "k" twice. */
    json_t *j = json_loadb(buf_str(&b), b.len, 0, &err);
    check(j != NULL && json_is_array(j));
    json_decref(j);
    buf_free(&b);
}

/* Dispatches on the first byte. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    if ((data[0] & 1) == 0) {
        char *copy = malloc(size - 1 ? size - 1 : 1);
        if (!copy)
            return 0;
        memcpy(copy, data + 1, size - 1);
        fuzz_escape(copy, size - 1);
        free(copy);
    } else {
        fuzz_writer(data + 1, data + size);
    }
    return 0;
}
