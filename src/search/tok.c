/* tok.c — CJK bigram + unigram and lower-cased word tokenizer (rules in tok.h). */
#include "search/tok.h"

/* Folds width and case of one code point: full-width ASCII to ASCII, the ideographic
 * space to a space, MICRO SIGN to Greek mu, and upper-case ASCII, Latin-1, Greek and
 * basic Cyrillic letters to lower case. Other code points are returned unchanged. */
static uint32_t fold(uint32_t cp)
{
    if (cp < 0x80)
        return cp >= 'A' && cp <= 'Z' ? cp + 32 : cp;
    if (cp >= 0xFF01 && cp <= 0xFF5E) {
        cp -= 0xFEE0;
        return cp >= 'A' && cp <= 'Z' ? cp + 32 : cp;
    }
    if (cp == 0x3000)
        return ' ';
    if (cp == 0xB5)
        return 0x3BC;
    if (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7)
        return cp + 32;
    if (cp >= 0x391 && cp <= 0x3A9 && cp != 0x3A2)
        return cp + 32;
    if (cp >= 0x410 && cp <= 0x42F)
        return cp + 32;
    if (cp >= 0x400 && cp <= 0x40F)
        return cp + 80;
    return cp;
}

/* Decodes and folds one code point; -1 for a byte that starts no valid sequence. */
int tok_decode(const char *s, int n, uint32_t *cp)
{
    const unsigned char *p = (const unsigned char *)s;
    unsigned c = p[0];
    if (c < 0x80) {
        *cp = fold(c);
        return 1;
    }
    int len;
    uint32_t min, v;
    if ((c & 0xE0) == 0xC0) {
        len = 2;
        min = 0x80;
        v = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
        len = 3;
        min = 0x800;
        v = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
        len = 4;
        min = 0x10000;
        v = c & 0x07;
    } else {
        return -1;
    }
    if (len > n)
        return -1;
    for (int k = 1; k < len; k++) {
        if ((p[k] & 0xC0) != 0x80)
            return -1;
        v = (v << 6) | (p[k] & 0x3F);
    }
    if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
        return -1;
    *cp = fold(v);
    return len;
}

/* The CJK ranges that form bigram runs. */
bool tok_is_cjk(uint32_t cp)
{
    return (cp >= 0x4E00 && cp <= 0x9FFF) ||   /* CJK Unified Ideographs */
           (cp >= 0x3400 && cp <= 0x4DBF) ||   /* Extension A */
           (cp >= 0x20000 && cp <= 0x2FA1F) || /* Extensions B–F, compatibility supplement */
           (cp >= 0x30000 && cp <= 0x323AF) || /* Extensions G–H */
           (cp >= 0xF900 && cp <= 0xFAFF) ||   /* compatibility ideographs */
           cp == 0x3007 ||                     /* 〇 */
           (cp >= 0x3041 && cp <= 0x30FF && cp != 0x30FB) || /* kana, not the middle dot */
           (cp >= 0xAC00 && cp <= 0xD7A3);                   /* Hangul syllables */
}

/* The letters and digits that form words. */
bool tok_is_word(uint32_t cp)
{
    if (cp < 0x80)
        return (cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z');
    return (cp >= 0xC0 && cp <= 0x24F && cp != 0xD7 && cp != 0xF7) ||    /* Latin letters */
           (cp >= 0x386 && cp <= 0x3CE && cp != 0x387) ||                /* Greek letters */
           (cp >= 0x400 && cp <= 0x481) || (cp >= 0x48A && cp <= 0x4FF); /* Cyrillic */
}

/* Writes cp as UTF-8 into out (room for 4 bytes); returns the byte count. */
static int put_utf8(char *out, uint32_t cp)
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/* Starts an iterator over s (NULL gives no tokens). */
void tok_init(struct tok_iter *it, const char *s, int n, enum tok_mode mode)
{
    *it = (struct tok_iter){.s = s, .n = s ? n : 0, .mode = mode};
}

/* Fills t as a CJK token of one or two characters spanning [start, end). */
static void emit_cjk(struct tok_iter *it, struct tok_token *t, uint32_t a, uint32_t b, int start,
                     int end, bool colocated)
{
    t->kind = b ? TOK_BIGRAM : TOK_UNIGRAM;
    t->len = put_utf8(t->text, a);
    if (b)
        t->len += put_utf8(t->text + t->len, b);
    t->text[t->len] = '\0';
    t->start = start;
    t->end = end;
    t->colocated = colocated;
    t->cp[0] = a;
    t->cp[1] = b;
    t->pos = colocated ? it->next_pos - 1 : it->next_pos++;
}

/* Returns the next token: a pending colocated unigram first, then bigrams while a
 * CJK run continues, the run's last character (document mode or a lone character), or
 * the next word; other code points and invalid bytes are skipped. */
bool tok_next(struct tok_iter *it, struct tok_token *t)
{
    if (it->pending) {
        it->pending = false;
        emit_cjk(it, t, it->pend_cp, 0, it->pend_start, it->pend_end, true);
        return true;
    }
    while (it->off < it->n || it->in_run) {
        uint32_t cp = 0;
        int len = it->off < it->n ? tok_decode(it->s + it->off, it->n - it->off, &cp) : 0;
        if (it->in_run) {
            if (len > 0 && tok_is_cjk(cp)) {
                /* The held character and this one make a bigram; in document mode the
                 * held character's unigram follows, colocated. */
                int start = it->run_start;
                uint32_t held = it->run_cp;
                if (it->mode == TOK_DOCUMENT) {
                    it->pending = true;
                    it->pend_cp = held;
                    it->pend_start = it->run_start;
                    it->pend_end = it->run_end;
                }
                it->run_cp = cp;
                it->run_start = it->off;
                it->run_end = it->off + len;
                it->run_len++;
                it->off += len;
                emit_cjk(it, t, held, cp, start, it->run_end, false);
                return true;
            }
            /* The run ends before this code point (which is decoded again below). */
            it->in_run = false;
            if (it->run_len == 1 || it->mode == TOK_DOCUMENT) {
                emit_cjk(it, t, it->run_cp, 0, it->run_start, it->run_end, false);
                return true;
            }
            continue;
        }
        if (len < 0) {
            it->off++; /* not UTF-8: skip the byte, it separates tokens */
            continue;
        }
        if (tok_is_cjk(cp)) {
            it->in_run = true;
            it->run_len = 1;
            it->run_cp = cp;
            it->run_start = it->off;
            it->run_end = it->off + len;
            it->off += len;
            continue;
        }
        if (!tok_is_word(cp)) {
            it->off += len;
            continue;
        }
        /* A word: letters and digits up to the next other code point. */
        t->kind = TOK_WORD;
        t->start = it->off;
        t->len = 0;
        bool full = false;
        while (it->off < it->n) {
            len = tok_decode(it->s + it->off, it->n - it->off, &cp);
            if (len < 0 || !tok_is_word(cp))
                break;
            char u[4];
            int ul = put_utf8(u, cp);
            if (!full && t->len + ul <= TOK_MAX_BYTES) {
                for (int k = 0; k < ul; k++)
                    t->text[t->len++] = u[k];
            } else {
                full = true; /* keep a prefix: nothing after the first character cut */
            }
            it->off += len;
        }
        t->text[t->len] = '\0';
        t->end = it->off;
        t->colocated = false;
        t->cp[0] = t->cp[1] = 0;
        t->pos = it->next_pos++;
        return true;
    }
    return false;
}
