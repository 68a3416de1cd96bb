/* assess_report.c (store) — the PDF report of an assessment run (io/pdf). */
#include "core/buf.h"
#include "core/xalloc.h"
#include "db/db.h"
#include "io/pdf.h"
#include "store/assess.h"

#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A label in the report's language. */
#define L(zh, en_) (en ? (en_) : (zh))

/* String member or "". */
static const char *str(json_t *o, const char *k)
{
    const char *s = json_string_value(json_object_get(o, k));
    return s ? s : "";
}

/* Number member (integer or real); NAN when absent or null. */
static double num(json_t *o, const char *k)
{
    json_t *v = json_object_get(o, k);
    return json_is_number(v) ? json_number_value(v) : NAN;
}

/* Formats a number with up to 2 decimals, trailing zeros trimmed, into t. */
static void fmt_num(char t[64], double v)
{
    snprintf(t, 64, "%.2f", v);
    char *dot = strchr(t, '.');
    if (dot) {
        char *e = t + strlen(t) - 1;
        while (e > dot && *e == '0')
            *e-- = '\0';
        if (e == dot)
            *e = '\0';
    }
}

/* String member, or "—" when absent or empty. */
static const char *str_or_dash(json_t *o, const char *k)
{
    const char *s = str(o, k);
    return *s ? s : "—";
}

/* The reading of a score note. */
static const char *note_text(const char *note, bool en)
{
    static const struct {
        const char *code, *zh, *en;
    } notes[] = {
        {"no_value", "截止日无核定数值", "no value at the cut-off"},
        {"no_target", "无当年目标", "no target for the year"},
        {"no_base", "缺少基期数值", "no base-year value"},
    };
    for (size_t i = 0; note && i < sizeof(notes) / sizeof(notes[0]); i++)
        if (strcmp(note, notes[i].code) == 0)
            return en ? notes[i].en : notes[i].zh;
    return "";
}

/* A cell table being filled: texts are pool offsets until resolved. */
struct cells {
    size_t n;         /* cells used */
    size_t cap;       /* cells allocated */
    uintptr_t *off;   /* pool offset + 1 of each cell (0 = literal in lit[]) */
    const char **lit; /* literal strings (static or owned by the JSON) */
};

/* Adds a literal cell. */
static void add_lit(struct cells *c, const char *s)
{
    if (c->n == c->cap) {
        c->cap = c->cap ? c->cap * 2 : 64;
        c->off = xrealloc(c->off, c->cap * sizeof(*c->off));
        c->lit = xrealloc(c->lit, c->cap * sizeof(*c->lit));
    }
    c->off[c->n] = 0;
    c->lit[c->n++] = s;
}

/* Adds printf-formatted text (kept in pool). */
static void add_printf(struct cells *c, struct buf *pool, const char *f, ...)
    __attribute__((format(printf, 3, 4)));
static void add_printf(struct cells *c, struct buf *pool, const char *f, ...)
{
    size_t at = pool->len;
    va_list ap;
    va_start(ap, f);
    buf_vprintf(pool, f, ap);
    va_end(ap);
    buf_putc(pool, '\0');
    add_lit(c, NULL);
    c->off[c->n - 1] = at + 1;
}

/* Adds a number cell ("—" for NAN). */
static void add_num(struct cells *c, struct buf *pool, double v)
{
    if (isnan(v)) {
        add_lit(c, "—");
        return;
    }
    char t[64];
    fmt_num(t, v);
    add_printf(c, pool, "%s", t);
}

/* Resolves the cells into a string array (malloc'd) once the pool stops growing. */
static const char **resolve(struct cells *c, struct buf *pool)
{
    const char **out = xcalloc(c->n + 1, sizeof(char *));
    for (size_t i = 0; i < c->n; i++)
        out[i] = c->off[i] ? pool->data + c->off[i] - 1 : c->lit[i];
    return out;
}

/* Frees a cell table. */
static void cells_free(struct cells *c)
{
    free(c->off);
    free(c->lit);
    memset(c, 0, sizeof(*c));
}

/* Emits the table of cells with headers and resets cells and pool. */
static void emit_table(struct pdf_doc *d, struct cells *c, struct buf *pool, size_t n_cols,
                       const char *const *headers, const double *widths, const char *aligns)
{
    const char **texts = resolve(c, pool);
    struct pdf_table t = {n_cols, headers, widths, aligns, c->n / n_cols, texts};
    pdf_table(d, &t);
    free(texts);
    c->n = 0;
    buf_reset(pool);
}

/* The rule of an item in words. */
static void rule_text(char *out, size_t cap, json_t *it, bool en)
{
    const char *rule = str(it, "rule");
    if (strcmp(rule, "ratio") == 0)
        snprintf(out, cap, en ? "achievement ratio, capped at %lld%%" : "完成率计分，封顶 %lld%%",
                 (long long)num(it, "cap_pct"));
    else if (strcmp(rule, "linear") == 0)
        snprintf(out, cap,
                 en ? "linear from %lld%% of the target (0) to the target (full)"
                    : "线性计分：完成目标 %lld%% 及以下得 0 分，完成目标得满分",
                 (long long)num(it, "floor_pct"));
    else
        snprintf(out, cap,
                 en ? "by rank: first full weight, last %lld%%"
                    : "按排名计分：第一名满分，末位得 %lld%%",
                 (long long)num(it, "min_pct"));
}

/* Draws the line chart of the totals of earlier years assessed with the same scheme
 * (the latest run of each year), when there is at least one earlier year. */
static int history_chart(struct pdf_doc *d, struct db *db, json_t *run, bool en)
{
    int64_t scheme = (int64_t)num(run, "scheme_id");
    int year = (int)num(run, "year");
    struct db_stmt *st = db_query(
        db,
        "SELECT ru.year, c.county_code, c.county_name, c.total_centi / 100.0 FROM assess_runs ru "
        "JOIN assess_run_counties c ON c.run_id = ru.id WHERE ru.scheme_id = ? AND ru.year <= ? "
        "AND ru.id = (SELECT max(x.id) FROM assess_runs x WHERE x.scheme_id = ru.scheme_id AND "
        "x.year = ru.year AND (x.year < ? OR x.id = ?)) ORDER BY c.county_code, ru.year",
        "iiii", scheme, (int64_t)year, (int64_t)year, (int64_t)num(run, "id"));
    if (!st)
        return KC_ERR_DB;
    /* Years first-to-last, counties in code order. */
    int years[64];
    size_t n_years = 0, n_c = 0, cap = 16;
    char(*codes)[8] = xcalloc(cap, sizeof(*codes));
    char **names = xcalloc(cap, sizeof(char *));
    double *vals = xcalloc(cap * 64, sizeof(double));
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        int y = (int)db_col_int(st, 0);
        size_t yi = 0;
        while (yi < n_years && years[yi] != y)
            yi++;
        if (yi == n_years) {
            if (n_years == 64)
                continue;
            /* keep years sorted: insert in place */
            size_t at = 0;
            while (at < n_years && years[at] < y)
                at++;
            for (size_t k = n_years; k > at; k--)
                years[k] = years[k - 1];
            for (size_t c = 0; c < n_c; c++)
                for (size_t k = n_years; k > at; k--)
                    vals[c * 64 + k] = vals[c * 64 + k - 1];
            for (size_t c = 0; c < n_c; c++)
                vals[c * 64 + at] = NAN;
            years[at] = y;
            n_years++;
            yi = at;
        }
        const char *code = db_col_text(st, 1);
        size_t ci = 0;
        while (ci < n_c && strcmp(codes[ci], code) != 0)
            ci++;
        if (ci == n_c) {
            if (n_c == cap) {
                cap *= 2;
                codes = xrealloc(codes, cap * sizeof(*codes));
                names = xrealloc(names, cap * sizeof(char *));
                vals = xrealloc(vals, cap * 64 * sizeof(double));
            }
            snprintf(codes[n_c], sizeof(codes[n_c]), "%s", code);
            names[n_c] = xstrdup(db_col_text(st, 2));
            for (size_t k = 0; k < 64; k++)
                vals[n_c * 64 + k] = NAN;
            n_c++;
        }
        vals[ci * 64 + yi] = db_col_double(st, 3);
    }
    db_done(st);
    if (rc >= 0 && n_years >= 2 && n_c > 0) {
        char labels[64][8];
        const char *lp[64];
        for (size_t k = 0; k < n_years; k++) {
            snprintf(labels[k], sizeof(labels[k]), "%d", years[k]);
            lp[k] = labels[k];
        }
        struct pdf_line_series *series = xcalloc(n_c, sizeof(*series));
        for (size_t c = 0; c < n_c; c++) {
            series[c].name = names[c];
            series[c].values = vals + c * 64;
        }
        struct pdf_line_chart lc = {
            L("历年总分（同一考核方案）", "Total scores by year (same scheme)"), n_years, lp, n_c,
            series};
        pdf_line_chart(d, &lc);
        free(series);
    }
    for (size_t c = 0; c < n_c; c++)
        free(names[c]);
    free(names);
    free(codes);
    free(vals);
    return rc < 0 ? rc : 0;
}

int assess_run_report(struct db *db, json_t *run, bool en, char **pdf, size_t *len)
{
    char title[512];
    snprintf(title, sizeof(title),
             en ? "%s: county science and technology assessment %d"
                : "%s %d 年度县(市、区)科技创新考核报告",
             str(run, "region_name"), (int)num(run, "year"));
    struct pdf_doc *d = pdf_new(title);
    pdf_heading(d, 1, title);
    struct buf para = {0};
    if (en)
        buf_printf(&para,
                   "Scheme: %s (version %d). Values are those known by the end of the cut-off "
                   "day %s (Beijing time): reported values verified by then, computed values "
                   "from the platform's records; later observations are ignored. Run #%lld, "
                   "by %s. Check digest (SM3): %.16s.",
                   str(run, "scheme_name"), (int)num(run, "version"), str(run, "cutoff"),
                   (long long)num(run, "id"), str_or_dash(run, "created_by"), str(run, "digest"));
    else
        buf_printf(
            &para,
            "考核方案：%s（第 %d 版）。考核数值以截止日 %s（北京时间）当日结束前核定的数值为准："
            "上报指标取截止日前已核定的数值，计算指标取平台记录的计算值；截止日之后的观测值不计入。"
            "运行编号 #%lld，执行人 %s，校验码（SM3）%.16s。",
            str(run, "scheme_name"), (int)num(run, "version"), str(run, "cutoff"),
            (long long)num(run, "id"), str_or_dash(run, "created_by"), str(run, "digest"));
    pdf_paragraph(d, buf_str(&para));
    buf_free(&para);

    json_t *items = json_object_get(run, "items");
    json_t *counties = json_object_get(run, "counties");
    struct buf pool = {0};
    struct cells cells = {0};
    size_t i, j;
    json_t *it, *c;

    pdf_heading(d, 2, L("一、考核方案", "1. Scheme"));
    json_array_foreach(items, i, it)
    {
        char rule[256];
        rule_text(rule, sizeof(rule), it, en);
        add_printf(&cells, &pool, "%zu", i + 1);
        add_lit(&cells, str(it, "name"));
        add_lit(&cells, str(it, "unit"));
        add_num(&cells, &pool, num(it, "weight"));
        add_printf(&cells, &pool, "%s", rule);
    }
    static const char *const h_scheme_zh[] = {"序号", "指标", "单位", "权重", "计分规则"};
    static const char *const h_scheme_en[] = {"No.", "Indicator", "Unit", "Weight", "Rule"};
    static const double w_scheme[] = {0.6, 3.2, 1, 0.9, 3.6};
    emit_table(d, &cells, &pool, 5, en ? h_scheme_en : h_scheme_zh, w_scheme, "llrrl");

    pdf_heading(d, 2, L("二、考核排名", "2. Ranking"));
    size_t n_c = json_array_size(counties);
    const char **labels = xcalloc(n_c + 1, sizeof(char *));
    double *totals = xcalloc(n_c + 1, sizeof(double));
    json_array_foreach(counties, i, c)
    {
        add_printf(&cells, &pool, "%d", (int)num(c, "rank"));
        add_lit(&cells, str(c, "county_name"));
        add_lit(&cells, str(c, "county_code"));
        add_printf(&cells, &pool, "%.2f", num(c, "total"));
        labels[i] = str(c, "county_name");
        totals[i] = num(c, "total");
    }
    static const char *const h_rank_zh[] = {"排名", "县(市、区)", "区划代码", "总分"};
    static const char *const h_rank_en[] = {"Rank", "County", "Code", "Total"};
    static const double w_rank[] = {0.8, 3, 1.4, 1.4};
    emit_table(d, &cells, &pool, 4, en ? h_rank_en : h_rank_zh, w_rank, "clcr");
    struct pdf_bar_chart bar = {
        L("各县(市、区)总分", "Total score by county"), n_c, labels, totals, 0, 2};
    pdf_bar_chart(d, &bar);
    free(labels);
    free(totals);
    int rc = history_chart(d, db, run, en);

    pdf_heading(d, 2, L("三、分县得分明细", "3. Scores by county"));
    static const char *const h_det_zh[] = {"指标", "数值", "目标", "完成率(%)",
                                           "名次", "得分", "说明"};
    static const char *const h_det_en[] = {"Indicator", "Value", "Target", "Achieved (%)",
                                           "Place",     "Score", "Remark"};
    static const double w_det[] = {3, 1.2, 1.2, 1.2, 0.7, 1, 1.9};
    json_array_foreach(counties, i, c)
    {
        char head[256];
        snprintf(head, sizeof(head), en ? "%d. %s — total %.2f" : "%d. %s — 总分 %.2f",
                 (int)num(c, "rank"), str(c, "county_name"), num(c, "total"));
        pdf_heading(d, 3, head);
        json_t *scores = json_object_get(c, "scores");
        json_t *s;
        json_array_foreach(scores, j, s)
        {
            json_t *item = json_array_get(items, j);
            add_lit(&cells, str(item, "name"));
            add_num(&cells, &pool, num(s, "value"));
            add_num(&cells, &pool, num(s, "target"));
            add_num(&cells, &pool, num(s, "achievement_pct"));
            double place = num(s, "item_rank");
            if (!isnan(place) && place > 0)
                add_printf(&cells, &pool, "%d", (int)place);
            else
                add_lit(&cells, "—");
            add_printf(&cells, &pool, "%.2f", num(s, "score"));
            add_lit(&cells, note_text(str(s, "note"), en));
        }
        emit_table(d, &cells, &pool, 7, en ? h_det_en : h_det_zh, w_det, "lrrrcrl");
    }
    pdf_note(d, L("说明：完成率 = 数值 ÷ 目标（数值越低越好的指标为目标 ÷ "
                  "数值）；每项得分四舍五入到 0.01 分，"
                  "总分为各项得分之和；并列者名次相同。",
                  "Notes: achievement = value ÷ target (target ÷ value where lower is better); "
                  "each item score is rounded to 0.01 and the total is their sum; ties share a "
                  "place."));
    cells_free(&cells);
    buf_free(&pool);
    if (rc) {
        pdf_free(d);
        return rc;
    }
    return pdf_finish(d, pdf, len);
}
