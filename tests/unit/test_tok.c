/* test_tok.c — unit tests for search/tok: CJK bigrams and co-located unigrams, query
 * mode, ASCII words, width folding, punctuation, 4-byte characters and invalid UTF-8. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

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
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
