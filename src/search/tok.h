/*
 * tok.h — the platform's one tokenizer for Chinese and mixed text.
 *
 * The same token stream feeds the SQLite FTS5 tokenizer `kc_cjk` (search/fts5.c), the
 * in-memory matcher (search/match.c) and, later, a PostgreSQL tsvector. Rules:
 *
 *   - Text is decoded as UTF-8; a byte that does not start a well-formed sequence is
 *     skipped and separates tokens (no crash, no token from it).
 *   - Width folding (the NFKC subset that matters here): full-width ASCII U+FF01–U+FF5E
 *     becomes ASCII, U+3000 becomes a space, U+00B5 MICRO SIGN becomes U+03BC.
 *   - A run of letters and digits (ASCII, Latin-1/Extended letters, Greek, Cyrillic)
 *     is one TOK_WORD, lower-cased, at most TOK_MAX_BYTES bytes of token text (the
 *     source span still covers the whole run).
 *   - A run of CJK characters c1…cn (Han ideographs including the 4-byte extensions,
 *     〇, kana, Hangul syllables) gives the bigrams (ci, ci+1), one position each.
 *     Document mode also gives every ci as a unigram: colocated with the bigram that
 *     starts at ci, and the last character at its own position. Query mode gives
 *     only the bigrams of a 2+ character run, and the unigram of a 1-character run.
 *   - Everything else (punctuation, spaces, symbols, emoji) separates tokens.
 *
 * So every substring of two or more CJK characters of a document is a phrase of
 * consecutive bigrams in its token stream, and every single character is a unigram.
 * No allocation: the iterator works over the caller's text.
 */
#ifndef KC_TOK_H
#define KC_TOK_H

#include <stdbool.h>
#include <stdint.h>

/* Longest token text in bytes (longer words are cut at a character boundary). */
#define TOK_MAX_BYTES 64

/* What a token is. */
enum tok_kind {
    TOK_WORD = 0,    /* a lower-cased run of letters and digits */
    TOK_UNIGRAM = 1, /* one CJK character */
    TOK_BIGRAM = 2   /* two adjacent CJK characters */
};

/* Document mode (indexing) or query mode (what a search typed). */
enum tok_mode {
    TOK_DOCUMENT = 0, /* bigrams plus co-located unigrams */
    TOK_QUERY = 1     /* bigrams only, unigram for a lone character */
};

/* One token. */
struct tok_token {
    enum tok_kind kind;           /* word, unigram or bigram */
    char text[TOK_MAX_BYTES + 1]; /* folded token text, NUL-terminated */
    int len;                      /* bytes in text */
    int start;                    /* byte offset of the source span in the input */
    int end;                      /* one past its last byte */
    int pos;                      /* position (colocated tokens repeat the previous one) */
    bool colocated;               /* shares the previous token's position */
    uint32_t cp[2];               /* folded code points of a CJK token (cp[1] 0 for unigrams) */
};

/* Iterator state; set up with tok_init. */
struct tok_iter {
    const char *s;      /* the text (not owned) */
    int n;              /* its length in bytes */
    int off;            /* next byte to decode */
    enum tok_mode mode; /* document or query */
    int next_pos;       /* position the next non-colocated token gets */
    bool in_run;        /* a CJK character is held in run_cp */
    int run_len;        /* characters of the current CJK run seen so far */
    uint32_t run_cp;    /* the held CJK character */
    int run_start;      /* its first byte */
    int run_end;        /* one past its last byte */
    bool pending;       /* a colocated unigram of pend_cp waits to be returned */
    uint32_t pend_cp;   /* that unigram's character */
    int pend_start;     /* its first byte */
    int pend_end;       /* one past its last byte */
};

/* Starts tokenizing n bytes of s in mode. The text must outlive the iterator. */
void tok_init(struct tok_iter *it, const char *s, int n, enum tok_mode mode);
/* Fills *t with the next token; returns true, or false at the end of the text. */
bool tok_next(struct tok_iter *it, struct tok_token *t);

/* Decodes one code point of s (n bytes available, n > 0) and folds its width as
 * above; returns the bytes consumed (1–4) and stores the folded code point in *cp,
 * or returns -1 for a byte that does not start a well-formed sequence. */
int tok_decode(const char *s, int n, uint32_t *cp);
/* True when cp (folded) is a CJK character in the tokenizer's sense. */
bool tok_is_cjk(uint32_t cp);
/* True when cp (folded) is part of a word. */
bool tok_is_word(uint32_t cp);

#endif
