/* pdf.c — A4 reports on cairo's PDF surface with pango text (see pdf.h). */
#include "io/pdf.h"
#include "core/buf.h"
#include "core/xalloc.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <math.h>
#include <pango/pangocairo.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#define PAGE_W 595.276 /* A4 width in points */
#define PAGE_H 841.890 /* A4 height in points */
#define MARGIN 56.0    /* page margin (about 2 cm) */
#define FOOTER 24.0    /* space kept for the page number */
#define TEXT_W (PAGE_W - 2 * MARGIN)
#define BOTTOM (PAGE_H - MARGIN - FOOTER)
#define FONT "Noto Sans CJK SC"
#define BODY_PT 10.5 /* body text size */
#define TABLE_PT 9.0 /* table text size */
#define CELL_PAD 4.0 /* table cell padding */

/* A document being written. */
struct pdf_doc {
    struct buf out;           /* the PDF bytes cairo has written so far */
    cairo_surface_t *surface; /* the PDF surface */
    cairo_t *cr;              /* drawing context on it */
    PangoFontMap *fonts;      /* this document's font map (its caches die with it) */
    PangoContext *pango;      /* text context bound to cr */
    double y;                 /* next free vertical position on the page */
    int page;                 /* current page number, from 1 */
    bool dirty;               /* something was drawn on the current page */
};

/* Colours of chart series and bars (RGB). */
static const double palette[8][3] = {
    {0.16, 0.44, 0.71}, {0.89, 0.47, 0.13}, {0.20, 0.60, 0.33}, {0.80, 0.20, 0.22},
    {0.55, 0.38, 0.70}, {0.55, 0.34, 0.29}, {0.86, 0.42, 0.69}, {0.45, 0.45, 0.45},
};

/* cairo's write callback: appends to the document's buffer. */
static cairo_status_t write_cb(void *closure, const unsigned char *data, unsigned int len)
{
    buf_append(closure, data, len);
    return CAIRO_STATUS_SUCCESS;
}

/* A pango layout of text (invalid UTF-8 repaired) in the report font at size points,
 * wrapped at width points when width > 0. The caller unrefs it. */
static PangoLayout *make_layout(struct pdf_doc *d, const char *text, double size, bool bold,
                                double width)
{
    PangoLayout *l = pango_layout_new(d->pango);
    PangoFontDescription *fd = pango_font_description_from_string(FONT);
    pango_font_description_set_absolute_size(fd, size * PANGO_SCALE);
    if (bold)
        pango_font_description_set_weight(fd, PANGO_WEIGHT_BOLD);
    pango_layout_set_font_description(l, fd);
    pango_font_description_free(fd);
    if (width > 0) {
        pango_layout_set_width(l, (int)(width * PANGO_SCALE));
        pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
    }
    if (!text)
        text = "";
    if (g_utf8_validate(text, -1, NULL)) {
        pango_layout_set_text(l, text, -1);
    } else {
        gchar *valid = g_utf8_make_valid(text, -1);
        pango_layout_set_text(l, valid, -1);
        g_free(valid);
    }
    return l;
}

/* Height of a layout in points. */
static double layout_height(PangoLayout *l)
{
    int w, h;
    pango_layout_get_size(l, &w, &h);
    return (double)h / PANGO_SCALE;
}

/* Width of a layout in points. */
static double layout_width(PangoLayout *l)
{
    int w, h;
    pango_layout_get_size(l, &w, &h);
    return (double)w / PANGO_SCALE;
}

/* Draws a layout with its top-left corner at (x, y) in the given grey level. */
static void show_at(struct pdf_doc *d, PangoLayout *l, double x, double y, double grey)
{
    cairo_set_source_rgb(d->cr, grey, grey, grey);
    cairo_move_to(d->cr, x, y);
    pango_cairo_show_layout(d->cr, l);
}

/* Draws the page number at the foot of the current page. */
static void footer(struct pdf_doc *d)
{
    char text[32];
    snprintf(text, sizeof(text), "- %d -", d->page);
    PangoLayout *l = make_layout(d, text, 8.5, false, 0);
    show_at(d, l, (PAGE_W - layout_width(l)) / 2, PAGE_H - MARGIN, 0.45);
    g_object_unref(l);
}

void pdf_page_break(struct pdf_doc *d)
{
    footer(d);
    cairo_show_page(d->cr);
    d->page++;
    d->y = MARGIN;
    d->dirty = false;
}

/* Starts a new page when h points do not fit below the current position (unless the
 * page is still empty, where nothing more can be gained). */
static void ensure(struct pdf_doc *d, double h)
{
    if (d->dirty && d->y + h > BOTTOM)
        pdf_page_break(d);
}

struct pdf_doc *pdf_new(const char *title)
{
    struct pdf_doc *d = xcalloc(1, sizeof(*d));
    d->surface = cairo_pdf_surface_create_for_stream(write_cb, &d->out, PAGE_W, PAGE_H);
    cairo_pdf_surface_set_metadata(d->surface, CAIRO_PDF_METADATA_CREATOR, "kechuang");
    if (title)
        cairo_pdf_surface_set_metadata(d->surface, CAIRO_PDF_METADATA_TITLE, title);
    d->cr = cairo_create(d->surface);
    /* A font map of our own rather than the thread's default one: its font caches are
     * released with the document instead of living as long as the thread. */
    d->fonts = pango_cairo_font_map_new();
    d->pango = pango_font_map_create_context(d->fonts);
    pango_cairo_update_context(d->cr, d->pango);
    d->page = 1;
    d->y = MARGIN;
    return d;
}

void pdf_heading(struct pdf_doc *d, int level, const char *text)
{
    double size = level <= 1 ? 18 : level == 2 ? 14 : 12;
    PangoLayout *l = make_layout(d, text, size, true, TEXT_W);
    if (level <= 1)
        pango_layout_set_alignment(l, PANGO_ALIGN_CENTER);
    double h = layout_height(l);
    /* Keep a heading with at least a few lines of what follows. */
    ensure(d, h + 60);
    if (d->dirty)
        d->y += level <= 1 ? 6 : 10;
    show_at(d, l, MARGIN, d->y, level <= 2 ? 0.08 : 0.15);
    d->y += h + 2;
    if (level == 2) {
        cairo_set_source_rgb(d->cr, 0.16, 0.44, 0.71);
        cairo_set_line_width(d->cr, 1.0);
        cairo_move_to(d->cr, MARGIN, d->y + 1);
        cairo_line_to(d->cr, MARGIN + TEXT_W, d->y + 1);
        cairo_stroke(d->cr);
        d->y += 4;
    }
    d->y += level <= 1 ? 10 : 4;
    d->dirty = true;
    g_object_unref(l);
}

/* Writes wrapped text at size in grey, line by line so that it can cross pages. */
static void flow_text(struct pdf_doc *d, const char *text, double size, double grey)
{
    PangoLayout *l = make_layout(d, text, size, false, TEXT_W);
    PangoLayoutIter *it = pango_layout_get_iter(l);
    do {
        PangoLayoutLine *line = pango_layout_iter_get_line_readonly(it);
        PangoRectangle logical;
        pango_layout_iter_get_line_extents(it, NULL, &logical);
        double lh = (double)logical.height / PANGO_SCALE;
        int baseline = pango_layout_iter_get_baseline(it);
        ensure(d, lh);
        cairo_set_source_rgb(d->cr, grey, grey, grey);
        cairo_move_to(d->cr, MARGIN + (double)logical.x / PANGO_SCALE,
                      d->y + (double)(baseline - logical.y) / PANGO_SCALE);
        pango_cairo_show_layout_line(d->cr, line);
        d->y += lh;
        d->dirty = true;
    } while (pango_layout_iter_next_line(it));
    pango_layout_iter_free(it);
    g_object_unref(l);
}

void pdf_paragraph(struct pdf_doc *d, const char *text)
{
    flow_text(d, text, BODY_PT, 0.1);
    d->y += 6;
}

void pdf_note(struct pdf_doc *d, const char *text)
{
    flow_text(d, text, 8.5, 0.42);
    d->y += 4;
}

void pdf_space(struct pdf_doc *d, double pt)
{
    d->y += pt;
}

/* Lays out one table row (headers when cells is the header array); fills ls[] and
 * returns the row height. */
static double table_row(struct pdf_doc *d, const struct pdf_table *t, const double *colw,
                        const char *const *cells, bool bold, PangoLayout **ls)
{
    double h = 0;
    for (size_t c = 0; c < t->n_cols; c++) {
        ls[c] = make_layout(d, cells[c], TABLE_PT, bold, colw[c] - 2 * CELL_PAD);
        char a = t->aligns ? t->aligns[c] : 'l';
        pango_layout_set_alignment(ls[c], a == 'r'   ? PANGO_ALIGN_RIGHT
                                          : a == 'c' ? PANGO_ALIGN_CENTER
                                                     : PANGO_ALIGN_LEFT);
        double lh = layout_height(ls[c]);
        if (lh > h)
            h = lh;
    }
    return h + 2 * CELL_PAD;
}

/* Draws a laid-out row at the current position (background shade when shade ≥ 0),
 * frees the layouts and advances. */
static void draw_row(struct pdf_doc *d, const struct pdf_table *t, const double *colw,
                     PangoLayout **ls, double h, double shade)
{
    double x = MARGIN;
    if (shade >= 0) {
        cairo_set_source_rgb(d->cr, shade, shade + 0.02, shade + 0.05 > 1 ? 1 : shade + 0.05);
        cairo_rectangle(d->cr, MARGIN, d->y, TEXT_W, h);
        cairo_fill(d->cr);
    }
    for (size_t c = 0; c < t->n_cols; c++) {
        show_at(d, ls[c], x + CELL_PAD, d->y + CELL_PAD, 0.1);
        g_object_unref(ls[c]);
        x += colw[c];
    }
    cairo_set_source_rgb(d->cr, 0.72, 0.72, 0.72);
    cairo_set_line_width(d->cr, 0.5);
    x = MARGIN;
    for (size_t c = 0; c <= t->n_cols; c++) {
        cairo_move_to(d->cr, x, d->y);
        cairo_line_to(d->cr, x, d->y + h);
        if (c < t->n_cols)
            x += colw[c];
    }
    cairo_move_to(d->cr, MARGIN, d->y);
    cairo_line_to(d->cr, MARGIN + TEXT_W, d->y);
    cairo_move_to(d->cr, MARGIN, d->y + h);
    cairo_line_to(d->cr, MARGIN + TEXT_W, d->y + h);
    cairo_stroke(d->cr);
    d->y += h;
    d->dirty = true;
}

void pdf_table(struct pdf_doc *d, const struct pdf_table *t)
{
    if (t->n_cols == 0)
        return;
    double *colw = xcalloc(t->n_cols, sizeof(double));
    double sum = 0;
    for (size_t c = 0; c < t->n_cols; c++)
        sum += t->widths && t->widths[c] > 0 ? t->widths[c] : 1;
    for (size_t c = 0; c < t->n_cols; c++)
        colw[c] = TEXT_W * (t->widths && t->widths[c] > 0 ? t->widths[c] : 1) / sum;
    PangoLayout **ls = xcalloc(2 * t->n_cols, sizeof(PangoLayout *));
    PangoLayout **hl = ls + t->n_cols;
    double hh = table_row(d, t, colw, t->headers, true, hl);
    for (size_t c = 0; c < t->n_cols; c++)
        g_object_unref(hl[c]);
    /* The header is drawn at the top of the table and of every page it continues on. */
    bool need_header = true;
    for (size_t r = 0; r < t->n_rows || need_header; r++) {
        double h = r < t->n_rows ? table_row(d, t, colw, t->cells + r * t->n_cols, false, ls) : 0;
        if (d->dirty && d->y + (need_header ? hh : 0) + h > BOTTOM) {
            pdf_page_break(d);
            need_header = true;
        }
        if (need_header) {
            hh = table_row(d, t, colw, t->headers, true, hl);
            draw_row(d, t, colw, hl, hh, 0.88);
            need_header = false;
        }
        if (r < t->n_rows)
            draw_row(d, t, colw, ls, h, r % 2 ? 0.965 : -1);
    }
    d->y += 8;
    free(ls);
    free(colw);
}

/* Formats v with the given decimals into out. */
static void fmt_num(char *out, size_t cap, double v, int decimals)
{
    if (decimals < 0)
        decimals = 0;
    if (decimals > 4)
        decimals = 4;
    snprintf(out, cap, "%.*f", decimals, v);
}

/* A "nice" step (1, 2 or 5 × 10^k) of at least span / n. */
static double nice_step(double span, int n)
{
    double raw = span / n;
    double mag = pow(10, floor(log10(raw)));
    double f = raw / mag;
    return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * mag;
}

/* Draws a caption (chart title) and advances. */
static void caption(struct pdf_doc *d, const char *title)
{
    if (!title)
        return;
    PangoLayout *l = make_layout(d, title, 10, true, TEXT_W);
    show_at(d, l, MARGIN, d->y, 0.15);
    d->y += layout_height(l) + 4;
    g_object_unref(l);
    d->dirty = true;
}

void pdf_bar_chart(struct pdf_doc *d, const struct pdf_bar_chart *c)
{
    const double bar_h = 13, gap = 5, axis_h = 16;
    double max = c->max;
    for (size_t i = 0; max <= 0 && i < c->n; i++)
        if (c->values[i] > max)
            max = c->values[i];
    if (max <= 0)
        max = 1;
    double step = nice_step(max, 4);
    double axis_max = ceil(max / step) * step;
    /* The label column fits the longest label, within a third of the width. */
    double label_w = 40;
    for (size_t i = 0; i < c->n; i++) {
        PangoLayout *l = make_layout(d, c->labels[i], TABLE_PT, false, 0);
        double w = layout_width(l) + 8;
        if (w > label_w)
            label_w = w;
        g_object_unref(l);
    }
    if (label_w > TEXT_W / 3)
        label_w = TEXT_W / 3;
    const double value_w = 44;
    double x0 = MARGIN + label_w, plot_w = TEXT_W - label_w - value_w;
    ensure(d, 20 + bar_h + gap + axis_h);
    caption(d, c->title);
    size_t i = 0;
    while (i < c->n) {
        size_t fit = (size_t)floor((BOTTOM - d->y - axis_h) / (bar_h + gap));
        if (fit == 0) {
            pdf_page_break(d);
            continue;
        }
        size_t end = i + fit < c->n ? i + fit : c->n;
        double top = d->y;
        /* Grid lines and ticks under this part of the chart, drawn first. */
        double bottom = top + (double)(end - i) * (bar_h + gap);
        cairo_set_line_width(d->cr, 0.5);
        for (double t = 0; t <= axis_max + step / 2; t += step) {
            double x = x0 + plot_w * t / axis_max;
            cairo_set_source_rgb(d->cr, 0.82, 0.82, 0.82);
            cairo_move_to(d->cr, x, top);
            cairo_line_to(d->cr, x, bottom);
            cairo_stroke(d->cr);
            char num[48];
            fmt_num(num, sizeof(num), t, step < 1 ? 1 : 0);
            PangoLayout *l = make_layout(d, num, 7.5, false, 0);
            show_at(d, l, x - layout_width(l) / 2, bottom + 2, 0.4);
            g_object_unref(l);
        }
        for (size_t k = i; k < end; k++) {
            double v = c->values[k] > 0 ? c->values[k] : 0;
            double w = plot_w * (v > axis_max ? 1 : v / axis_max);
            double y = d->y + gap / 2;
            PangoLayout *l = make_layout(d, c->labels[k], TABLE_PT, false, label_w - 6);
            pango_layout_set_ellipsize(l, PANGO_ELLIPSIZE_END);
            pango_layout_set_alignment(l, PANGO_ALIGN_RIGHT);
            show_at(d, l, MARGIN, y + (bar_h - layout_height(l)) / 2, 0.15);
            g_object_unref(l);
            const double *rgb = palette[0];
            cairo_set_source_rgb(d->cr, rgb[0], rgb[1], rgb[2]);
            cairo_rectangle(d->cr, x0, y, w, bar_h);
            cairo_fill(d->cr);
            char num[48];
            fmt_num(num, sizeof(num), c->values[k], c->decimals);
            l = make_layout(d, num, 8.5, false, 0);
            show_at(d, l, x0 + w + 3, y + (bar_h - layout_height(l)) / 2, 0.2);
            g_object_unref(l);
            d->y += bar_h + gap;
        }
        cairo_set_source_rgb(d->cr, 0.3, 0.3, 0.3);
        cairo_set_line_width(d->cr, 0.5);
        cairo_move_to(d->cr, x0, top);
        cairo_line_to(d->cr, x0, d->y);
        cairo_stroke(d->cr);
        d->y += axis_h;
        d->dirty = true;
        i = end;
        if (i < c->n)
            pdf_page_break(d);
    }
    d->y += 8;
}

void pdf_line_chart(struct pdf_doc *d, const struct pdf_line_chart *c)
{
    const double plot_h = 150, legend_h = 18, axis_w = 46, xlab_h = 16;
    if (c->n_x == 0)
        return;
    ensure(d, 20 + plot_h + xlab_h + legend_h * (1 + (double)c->n_series / 4));
    caption(d, c->title);
    double lo = 0, hi = 0;
    bool any = false;
    for (size_t s = 0; s < c->n_series; s++)
        for (size_t i = 0; i < c->n_x; i++) {
            double v = c->series[s].values[i];
            if (isnan(v))
                continue;
            if (!any || v < lo)
                lo = any ? v : (v < 0 ? v : 0);
            if (!any || v > hi)
                hi = v;
            any = true;
        }
    if (lo > 0)
        lo = 0;
    if (hi <= lo)
        hi = lo + 1;
    double step = nice_step(hi - lo, 4);
    lo = floor(lo / step) * step;
    hi = ceil(hi / step) * step;
    double x0 = MARGIN + axis_w, w = TEXT_W - axis_w - 10, top = d->y + 6;
    double dx = c->n_x > 1 ? w / (double)(c->n_x - 1) : 0;
    cairo_set_line_width(d->cr, 0.5);
    for (double t = lo; t <= hi + step / 2; t += step) {
        double y = top + plot_h * (1 - (t - lo) / (hi - lo));
        cairo_set_source_rgb(d->cr, 0.85, 0.85, 0.85);
        cairo_move_to(d->cr, x0, y);
        cairo_line_to(d->cr, x0 + w, y);
        cairo_stroke(d->cr);
        char num[48];
        fmt_num(num, sizeof(num), t, step < 1 ? 2 : 0);
        PangoLayout *l = make_layout(d, num, 7.5, false, 0);
        show_at(d, l, x0 - 4 - layout_width(l), y - layout_height(l) / 2, 0.4);
        g_object_unref(l);
    }
    for (size_t i = 0; i < c->n_x; i++) {
        double x = c->n_x > 1 ? x0 + dx * (double)i : x0 + w / 2;
        PangoLayout *l = make_layout(d, c->x_labels[i], 7.5, false, 0);
        show_at(d, l, x - layout_width(l) / 2, top + plot_h + 3, 0.3);
        g_object_unref(l);
    }
    for (size_t s = 0; s < c->n_series; s++) {
        const double *rgb = palette[s % 8];
        cairo_set_source_rgb(d->cr, rgb[0], rgb[1], rgb[2]);
        cairo_set_line_width(d->cr, 1.6);
        bool pen = false;
        for (size_t i = 0; i < c->n_x; i++) {
            double v = c->series[s].values[i];
            if (isnan(v)) {
                pen = false;
                continue;
            }
            double x = c->n_x > 1 ? x0 + dx * (double)i : x0 + w / 2;
            double y = top + plot_h * (1 - (v - lo) / (hi - lo));
            if (pen)
                cairo_line_to(d->cr, x, y);
            else
                cairo_move_to(d->cr, x, y);
            pen = true;
        }
        cairo_stroke(d->cr);
        for (size_t i = 0; i < c->n_x; i++) {
            double v = c->series[s].values[i];
            if (isnan(v))
                continue;
            double x = c->n_x > 1 ? x0 + dx * (double)i : x0 + w / 2;
            double y = top + plot_h * (1 - (v - lo) / (hi - lo));
            cairo_arc(d->cr, x, y, 2.4, 0, 2 * M_PI);
            cairo_fill(d->cr);
        }
    }
    cairo_set_source_rgb(d->cr, 0.3, 0.3, 0.3);
    cairo_set_line_width(d->cr, 0.6);
    cairo_move_to(d->cr, x0, top);
    cairo_line_to(d->cr, x0, top + plot_h);
    cairo_line_to(d->cr, x0 + w, top + plot_h);
    cairo_stroke(d->cr);
    d->y = top + plot_h + xlab_h + 4;
    /* Legend: swatches and names, flowing across the width. */
    double lx = x0;
    for (size_t s = 0; s < c->n_series; s++) {
        PangoLayout *l = make_layout(d, c->series[s].name, 8, false, 0);
        double lw = layout_width(l) + 22;
        if (lx + lw > MARGIN + TEXT_W && lx > x0) {
            lx = x0;
            d->y += legend_h - 4;
        }
        const double *rgb = palette[s % 8];
        cairo_set_source_rgb(d->cr, rgb[0], rgb[1], rgb[2]);
        cairo_rectangle(d->cr, lx, d->y + 4, 12, 4);
        cairo_fill(d->cr);
        show_at(d, l, lx + 15, d->y, 0.2);
        g_object_unref(l);
        lx += lw + 6;
    }
    d->y += legend_h + 6;
    d->dirty = true;
}

int pdf_finish(struct pdf_doc *d, char **data, size_t *len)
{
    footer(d);
    cairo_show_page(d->cr);
    g_object_unref(d->pango);
    g_object_unref(d->fonts);
    cairo_destroy(d->cr);
    cairo_surface_finish(d->surface);
    int rc = cairo_surface_status(d->surface) == CAIRO_STATUS_SUCCESS ? 0 : KC_ERR_IO;
    cairo_surface_destroy(d->surface);
    if (!rc)
        *data = buf_take(&d->out, len);
    buf_free(&d->out);
    free(d);
    return rc;
}

void pdf_free(struct pdf_doc *d)
{
    if (!d)
        return;
    g_object_unref(d->pango);
    g_object_unref(d->fonts);
    cairo_destroy(d->cr);
    cairo_surface_finish(d->surface);
    cairo_surface_destroy(d->surface);
    buf_free(&d->out);
    free(d);
}
