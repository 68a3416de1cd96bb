/*
 * pdf.h — a small report writer: A4 pages rendered by cairo's PDF surface, text laid out
 * by pango in "Noto Sans CJK SC" (fonts-noto-cjk), so Chinese text is embedded as real
 * text (pdftotext extracts it).
 *
 * The writer flows content down the page: headings, paragraphs, tables (split over
 * pages, header row repeated) and charts drawn with cairo (a horizontal bar chart, a
 * line chart). Every page gets a footer with its number. The whole file is built in
 * memory; nothing touches the file system.
 */
#ifndef KC_PDF_H
#define KC_PDF_H

#include "core/err.h"

#include <stddef.h>

struct pdf_doc;

/* A table. cells is row-major (n_rows × n_cols); a NULL cell prints empty. */
struct pdf_table {
    size_t n_cols;              /* number of columns (≥ 1) */
    const char *const *headers; /* n_cols header texts */
    const double *widths;       /* n_cols relative widths, or NULL for equal widths */
    const char *aligns;         /* one of 'l' 'r' 'c' per column, or NULL for all left */
    size_t n_rows;              /* number of body rows */
    const char *const *cells;   /* the body texts */
};

/* A horizontal bar chart: one bar per label, value printed at the bar's end. */
struct pdf_bar_chart {
    const char *title;         /* caption above the chart, or NULL */
    size_t n;                  /* number of bars */
    const char *const *labels; /* n labels (left of the bars) */
    const double *values;      /* n values (negative values draw as 0) */
    double max;                /* axis maximum; ≤ 0 takes the largest value */
    int decimals;              /* decimals of the printed values (0–4) */
};

/* One line of a line chart: n_x values, NAN for a missing point. */
struct pdf_line_series {
    const char *name;     /* legend text */
    const double *values; /* n_x values */
};

/* A line chart over categorical x positions (years, months). */
struct pdf_line_chart {
    const char *title;                    /* caption above the chart, or NULL */
    size_t n_x;                           /* number of x positions (≥ 1) */
    const char *const *x_labels;          /* n_x labels */
    size_t n_series;                      /* number of lines (≤ 8 get distinct colours) */
    const struct pdf_line_series *series; /* the lines */
};

/* Starts a document whose metadata title is title (may be NULL). Never NULL (aborts on
 * out-of-memory); errors of cairo surface at pdf_finish. The caller ends it with
 * pdf_finish or pdf_free. */
struct pdf_doc *pdf_new(const char *title);
/* A heading: level 1 (document title, centred), 2 (section) or 3 (subsection). */
void pdf_heading(struct pdf_doc *d, int level, const char *text);
/* A paragraph of wrapped body text. */
void pdf_paragraph(struct pdf_doc *d, const char *text);
/* A small grey note line (sources, remarks). */
void pdf_note(struct pdf_doc *d, const char *text);
/* Vertical space in points. */
void pdf_space(struct pdf_doc *d, double pt);
/* A table across the text width; rows that do not fit move to a new page, where the
 * header row is repeated. */
void pdf_table(struct pdf_doc *d, const struct pdf_table *t);
/* A horizontal bar chart; bars that do not fit continue on the next page. */
void pdf_bar_chart(struct pdf_doc *d, const struct pdf_bar_chart *c);
/* A line chart, 220 pt high (moved to a new page when it does not fit). */
void pdf_line_chart(struct pdf_doc *d, const struct pdf_line_chart *c);
/* Starts a new page. */
void pdf_page_break(struct pdf_doc *d);
/* Finishes the document: *data (malloc'd, the caller frees) and *len receive the PDF.
 * Frees d. Returns 0 or KC_ERR_IO when cairo reported an error. */
int pdf_finish(struct pdf_doc *d, char **data, size_t *len) KC_MUST_CHECK;
/* Frees a document without producing output; NULL is a no-op. */
void pdf_free(struct pdf_doc *d);

#endif
