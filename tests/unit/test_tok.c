/* test_tok.c — unit tests for search/tok: CJK bigrams and co-located unigrams, query
 * mode, ASCII words, width folding, punctuation, 4-byte characters and invalid UTF-8. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "search/tok.h"

/* Tokenizes s in mode and writes the tokens space-separated into out: each as its
 * text, with "^" appended when colocated. Returns out. */
static const char *toks(const char *s, enum tok_mode mode, char *out, size_t cap)
{
    struct tok_iter it;
    struct tok_token t;
    size_t n = 0;
    out[0] = '\0';
    tok_init(&it, s, (int)strlen(s), mode);
    while (tok_next(&it, &t)) {
        int w = snprintf(out + n, cap - n, "%s%s%s", n ? " " : "", t.text, t.colocated ? "^" : "");
        assert_true(w > 0 && (size_t)w < cap - n);
        n += (size_t)w;
    }
    return out;
}

/* Shorthands for the two modes. */
static char buf_[4096];
#define DOC(s) toks((s), TOK_DOCUMENT, buf_, sizeof(buf_))
#define QRY(s) toks((s), TOK_QUERY, buf_, sizeof(buf_))

/* One-, two-, three- and four-character Chinese terms in both modes. */
static void test_cjk_lengths(void **state)
{
    (void)state;
    assert_string_equal(DOC("泵"), "泵");
    assert_string_equal(QRY("泵"), "泵");
    assert_string_equal(DOC("电池"), "电池 电^ 池");
    assert_string_equal(QRY("电池"), "电池");
    assert_string_equal(DOC("锂电池"), "锂电 锂^ 电池 电^ 池");
    assert_string_equal(QRY("锂电池"), "锂电 电池");
    assert_string_equal(DOC("智能制造"), "智能 智^ 能制 能^ 制造 制^ 造");
    assert_string_equal(QRY("智能制造"), "智能 能制 制造");
}

/* Positions: a bigram per character, colocated unigrams share it, the last character
 * has its own; byte spans cover the characters. */
static void test_positions_and_spans(void **state)
{
    (void)state;
    const char *s = "锂电池";
    struct tok_iter it;
    struct tok_token t;
    int want_pos[] = {0, 0, 1, 1, 2};
    int want_start[] = {0, 0, 3, 3, 6};
    int want_end[] = {6, 3, 9, 6, 9};
    int i = 0;
    tok_init(&it, s, (int)strlen(s), TOK_DOCUMENT);
    while (tok_next(&it, &t)) {
        assert_true(i < 5);
        assert_int_equal(t.pos, want_pos[i]);
        assert_int_equal(t.start, want_start[i]);
        assert_int_equal(t.end, want_end[i]);
        assert_int_equal(t.kind, i % 2 == 0 && i < 4 ? TOK_BIGRAM : TOK_UNIGRAM);
        i++;
    }
    assert_int_equal(i, 5);
    /* Query mode: consecutive positions across runs, so FTS5 sees one phrase. */
    tok_init(&it, "电池 隔膜", (int)strlen("电池 隔膜"), TOK_QUERY);
    assert_true(tok_next(&it, &t));
    assert_int_equal(t.pos, 0);
    assert_true(tok_next(&it, &t));
    assert_int_equal(t.pos, 1);
    assert_string_equal(t.text, "隔膜");
    assert_int_equal(t.start, 7);
    assert_int_equal(t.cp[0], 0x9694);
    assert_int_equal(t.cp[1], 0x819C);
    assert_false(tok_next(&it, &t));
}

/* True when the query tokens of term occur as a phrase in the document tokens of doc:
 * at consecutive positions p, p+1, … (colocated tokens share a position), as FTS5 and
 * the matcher's explanations test it. */
static bool phrase_in(const char *doc, const char *term)
{
    struct tok_iter it;
    struct tok_token t;
    static char dtext[256][TOK_MAX_BYTES + 1];
    static int dpos[256];
    int nd = 0;
    tok_init(&it, doc, (int)strlen(doc), TOK_DOCUMENT);
    while (tok_next(&it, &t) && nd < 256) {
        snprintf(dtext[nd], sizeof(dtext[nd]), "%s", t.text);
        dpos[nd++] = t.pos;
    }
    char q[32][TOK_MAX_BYTES + 1];
    int nq = 0;
    tok_init(&it, term, (int)strlen(term), TOK_QUERY);
    while (tok_next(&it, &t) && nq < 32)
        snprintf(q[nq++], sizeof(q[0]), "%s", t.text);
    if (nq == 0)
        return false;
    for (int p = 0; p <= dpos[nd - 1]; p++) {
        int ok = 1;
        for (int i = 0; i < nq && ok; i++) {
            int found = 0;
            for (int k = 0; k < nd && !found; k++)
                found = dpos[k] == p + i && strcmp(dtext[k], q[i]) == 0;
            ok = found;
        }
        if (ok)
            return true;
    }
    return false;
}

/* Searching: a 1-, 2-, 3- or 4-character term, a mixed Chinese–ASCII term and a
 * full-width one are found exactly where the text contains them, and not where its
 * characters are only scattered. */
static void test_terms_in_text(void **state)
{
    (void)state;
    const char *doc = "面向5G基站的高效离心泵叶轮与锂电池隔膜，采用PLC控制和智能制造工艺";
    static const char *const found[] = {
        "泵",   "电",       "池",     "电池",     "隔膜",     "锂电池",  "离心泵", "高效离心",
        "智能制造", "5G基站", "５Ｇ基站", "ＰＬＣ控制", "plc控制", "PLC", "基站的高效"};
    for (size_t i = 0; i < sizeof(found) / sizeof(found[0]); i++)
        if (!phrase_in(doc, found[i]))
            fail_msg("%s not found in the text", found[i]);
    static const char *const absent[] = {"电离", "泵叶片", "智能控制", "4G基站", "锂隔", "PLD",
                                         "制造业",  "池隔膜片"};
    for (size_t i = 0; i < sizeof(absent) / sizeof(absent[0]); i++)
        if (phrase_in(doc, absent[i]))
            fail_msg("%s found, but the text does not contain it", absent[i]);
    /* Scattered characters: 电 and 池 both occur, but not as 电池. */
    assert_false(phrase_in("电的池", "电池"));
    assert_true(phrase_in("电的池", "电"));
    /* Full-width text is found by an ASCII query and the other way round. */
    assert_true(phrase_in("ＡＢＳ塑料改性", "abs塑料"));
    assert_true(phrase_in("ABS塑料改性", "ＡＢＳ塑料"));
    /* A 4-byte character inside a term. */
    assert_true(phrase_in("含𠀀元素的合金", "𠀀元素"));
}

/* ASCII words are lower-cased runs of letters and digits, separated from CJK runs. */
static void test_mixed_ascii(void **state)
{
    (void)state;
    assert_string_equal(QRY("基于PLC的5G基站Li4Ti5O12"), "基于 plc 的 5g 基站 li4ti5o12");
    assert_string_equal(DOC("CT机"), "ct 机");
    assert_string_equal(QRY("Lyapunov函数 MRP"), "lyapunov 函数 mrp");
    assert_string_equal(QRY("PM2.5 RS-232"), "pm2 5 rs 232");
    assert_string_equal(QRY("Ωmega Électricité"), "ωmega électricité");
}

/* Full-width letters and digits fold to ASCII; the ideographic space separates. */
static void test_full_width(void **state)
{
    (void)state;
    assert_string_equal(QRY("ＡＢＣ１２３"), "abc123");
    assert_string_equal(QRY("５Ｇ通信"), "5g 通信");
    assert_string_equal(QRY("电池　隔膜"), "电池 隔膜");
    assert_string_equal(QRY("（电池）"), "电池");
    assert_string_equal(QRY("１０µm ＭＨｚ"), "10μm mhz");
}

/* Chinese and ASCII punctuation separate runs. */
static void test_punctuation(void **state)
{
    (void)state;
    assert_string_equal(QRY("电池，隔膜。泵、阀；“芯片”"), "电池 隔膜 泵 阀 芯片");
    assert_string_equal(DOC("泵、阀"), "泵 阀");
    assert_string_equal(QRY("a,b;c"), "a b c");
    assert_string_equal(QRY("《中国制造2025》"), "中国 国制 制造 2025");
    assert_string_equal(QRY(""), "");
    assert_string_equal(QRY(" ，。 "), "");
}

/* 4-byte Han characters (extension B) are CJK; emoji separate. */
static void test_four_byte(void **state)
{
    (void)state;
    /* U+20000 𠀀 and U+2A6D6 𪛖 */
    assert_string_equal(QRY("𠀀𪛖"), "𠀀𪛖");
    assert_string_equal(DOC("𠀀电"), "𠀀电 𠀀^ 电");
    assert_string_equal(QRY("电池😀隔膜"), "电池 隔膜");
    assert_string_equal(QRY("😀"), "");
    assert_string_equal(QRY("ab😀cd"), "ab cd");
}

/* Invalid UTF-8 bytes are skipped as separators, never read past the end. */
static void test_invalid_utf8(void **state)
{
    (void)state;
    assert_string_equal(QRY("电\xff池"), "电 池");
    assert_string_equal(QRY("ab\x80\x80"
                            "cd"),
                        "ab cd");
    assert_string_equal(QRY("\xC0\xAF"), ""); /* overlong '/' */
    assert_string_equal(QRY("\xED\xA0\x80"
                            "x"),
                        "x");                         /* surrogate */
    assert_string_equal(QRY("电池\xE7\x94"), "电池"); /* truncated 3-byte sequence */
    assert_string_equal(QRY("\xF4\x90\x80\x80"), ""); /* above U+10FFFF */
    /* Every prefix of a mixed string tokenizes without reading past its end. */
    const char *s = "锂电池PLC，𠀀😀ＡＢ\xff";
    char copy[64];
    for (size_t n = 0; n <= strlen(s); n++) {
        memcpy(copy, s, n);
        struct tok_iter it;
        struct tok_token t;
        tok_init(&it, copy, (int)n, TOK_DOCUMENT);
        int k = 0;
        while (tok_next(&it, &t)) {
            assert_true(t.start >= 0 && t.end <= (int)n && t.start < t.end);
            k++;
        }
        assert_true(k <= 20);
    }
}

/* A word longer than TOK_MAX_BYTES is cut to a prefix; its span covers it all. */
static void test_long_word(void **state)
{
    (void)state;
    char s[200];
    memset(s, 'x', 150);
    s[150] = '\0';
    struct tok_iter it;
    struct tok_token t;
    tok_init(&it, s, 150, TOK_QUERY);
    assert_true(tok_next(&it, &t));
    assert_int_equal(t.len, TOK_MAX_BYTES);
    assert_int_equal(t.end, 150);
    assert_false(tok_next(&it, &t));
    /* Two-byte letters: the cut never splits a character. */
    char g[200] = "";
    for (int i = 0; i < 40; i++)
        strcat(g, "é");
    tok_init(&it, g, (int)strlen(g), TOK_QUERY);
    assert_true(tok_next(&it, &t));
    assert_int_equal(t.len, TOK_MAX_BYTES);
    assert_int_equal(t.end, 80);
}

/* Random bytes (biased towards UTF-8 lead and continuation bytes, CJK and ASCII):
 * every token lies inside the input, has text, positions never go back, a colocated
 * token never comes first and repeats the previous position. */
static void test_random_bytes(void **state)
{
    (void)state;
    uint64_t x = 0x2545F4914F6CDD1DULL;
    static const unsigned char pick[] = {0xE4, 0xB8, 0x80, 0xE7, 0x94, 0xB5, 'a',  'Z',  '5',
                                         ' ',  0xEF, 0xBC, 0xA1, 0xF0, 0x9F, 0x98, 0x80, 0xC3,
                                         0xA9, 0xFF, 0x80, ',',  0xE3, 0x80, 0x80};
    unsigned char buf[256];
    for (int round = 0; round < 20000; round++) {
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        int n = (int)((x * 2685821657736338717ULL) >> 56);
        for (int i = 0; i < n; i++) {
            x ^= x >> 12;
            x ^= x << 25;
            x ^= x >> 27;
            uint64_t r = x * 2685821657736338717ULL;
            buf[i] = (r >> 60) < 12 ? pick[(r >> 32) % sizeof(pick)] : (unsigned char)(r >> 24);
        }
        for (int mode = 0; mode < 2; mode++) {
            struct tok_iter it;
            struct tok_token t;
            int last_pos = -1, count = 0;
            tok_init(&it, (const char *)buf, n, (enum tok_mode)mode);
            while (tok_next(&it, &t)) {
                assert_true(t.start >= 0 && t.start < t.end && t.end <= n);
                assert_true(t.len > 0 && t.len <= TOK_MAX_BYTES && (int)strlen(t.text) == t.len);
                if (t.colocated) {
                    assert_true(count > 0);
                    assert_int_equal(t.pos, last_pos);
                } else {
                    assert_int_equal(t.pos, last_pos + 1);
                }
                last_pos = t.pos;
                count++;
                assert_true(count <= 2 * n);
            }
        }
    }
}

/* A NULL text gives no tokens. */
static void test_null(void **state)
{
    (void)state;
    struct tok_iter it;
    struct tok_token t;
    tok_init(&it, NULL, 5, TOK_DOCUMENT);
    assert_false(tok_next(&it, &t));
}

/* Runs the tests. */
int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cjk_lengths),  cmocka_unit_test(test_positions_and_spans),
        cmocka_unit_test(test_mixed_ascii),  cmocka_unit_test(test_full_width),
        cmocka_unit_test(test_punctuation),  cmocka_unit_test(test_four_byte),
        cmocka_unit_test(test_invalid_utf8), cmocka_unit_test(test_long_word),
        cmocka_unit_test(test_random_bytes), cmocka_unit_test(test_null),
        cmocka_unit_test(test_terms_in_text),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
