/*
 * hl.h — highlight spans: where given terms occur in a text, as character offsets, so
 * a UI can mark them without its own Chinese-aware matching.
 *
 * Matching folds both sides the way the tokenizer does (full-width ASCII to ASCII, the
 * ideographic space to a space, upper to lower case: tok_decode) and is otherwise an
 * exact substring match. Offsets count Unicode code points of the original text
 * (JavaScript: Array.from(text)). Overlapping occurrences merge into one
 * span; spans come sorted.
 */
#ifndef KC_SEARCH_HL_H
#define KC_SEARCH_HL_H

#include "core/jw.h"

/* Most spans reported for one text. */
#define HL_MAX_SPANS 64

/* A span of characters [start, end). */
struct hl_span {
    int start; /* first character */
    int end;   /* one past the last */
};

/* Finds the terms (n, each NUL-terminated UTF-8; empty ones ignored) in text and
 * writes at most max merged spans to out; returns their number. Invalid UTF-8 bytes
 * count as one character each. */
int hl_find(const char *text, const char *const *terms, int n, struct hl_span *out, int max);

/* Writes [[start,end],...] for text and terms (jw array). */
void hl_write(struct jw *w, const char *text, const char *const *terms, int n);

/* Writes {"text": snippet, "spans": [[s,e],...]}: at most max_chars characters of text
 * around the first occurrence of a term (the start of the text when none), with "…"
 * marking a cut, and the spans inside the snippet (offsets into the snippet). */
void hl_write_snippet(struct jw *w, const char *text, const char *const *terms, int n,
                      int max_chars);

#endif
