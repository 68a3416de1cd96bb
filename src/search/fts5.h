/*
 * fts5.h — the `kc_cjk` tokenizer for SQLite FTS5 (rules in search/tok.h).
 *
 * Use it in a table definition as `tokenize='kc_cjk'`. It takes no arguments. FTS5's
 * query mode maps to TOK_QUERY, document and auxiliary-function modes to TOK_DOCUMENT,
 * so a bare query term such as 智能制造 becomes the phrase 智能 能制 制造 and a
 * one-character term matches the co-located unigrams.
 */
#ifndef KC_SEARCH_FTS5_H
#define KC_SEARCH_FTS5_H

struct sqlite3;

/* Registers `kc_cjk` on connection h; must run on every new connection before a table
 * using it is read or written. Returns 0 or KC_ERR_DB (FTS5 missing or too old). */
int search_fts5_register(struct sqlite3 *h) __attribute__((warn_unused_result));

#endif
