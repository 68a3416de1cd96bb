/* ent_template.c — the enterprise import template: an XLSX workbook (libxlsxwriter) with
 * Chinese headers, the English field names in row 2, drop-down lists and number checks
 * for coded and numeric columns, an instructions sheet (说明) and a code sheet; or the
 * same two header rows as CSV. */
#include "store/ent_import.h"
#include "core/buf.h"
#include "db/db.h"
#include "domain/enterprise.h"
#include "io/csv_write.h"

#include <stdio.h>
#include <string.h>
#include <time.h>
#include <xlsxwriter.h>

#define DATA_SHEET "企业数据"
#define HELP_SHEET "说明"
#define CODE_SHEET "代码表"
#define LAST_ROW 1048575 /* Excel's last row (0-based) */

/* The header text of column c: Chinese name, unit in brackets, '*' when required. */
static void header_text(int c, char *out, size_t n)
{
    const struct ent_column *col = &ent_columns[c];
    snprintf(out, n, "%s%s%s%s%s", strcmp(col->key, "uscc") == 0 ? "*" : "", col->zh,
             col->unit_zh ? "（" : "", col->unit_zh ? col->unit_zh : "", col->unit_zh ? "）" : "");
}

/* The English name of column c in row 2: the API name, money as *_yuan (the values
 * are in 元). */
static void key_text(int c, char *out, size_t n)
{
    const struct ent_column *col = &ent_columns[c];
    size_t len = strlen(col->key);
    if ((col->type == ECT_MONEY || col->type == ECT_MONEY_SIGNED) && len > 4)
        snprintf(out, n, "%.*s_yuan", (int)(len - 4), col->key);
    else
        snprintf(out, n, "%s", col->key);
}

/* Writes the CSV template (UTF-8 with BOM): the two header rows. */
static int write_csv(const char *path)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return KC_ERR_IO;
    fputs(CSV_BOM, f);
    char text[256];
    for (int row = 0; row < 2; row++) {
        for (int c = 0; c < ent_n_columns; c++) {
            if (c)
                fputc(',', f);
            if (row == 0)
                header_text(c, text, sizeof(text));
            else
                key_text(c, text, sizeof(text));
            csv_write_field(f, text, false);
        }
        fputs("\r\n", f);
    }
    int bad = ferror(f);
    return fclose(f) != 0 || bad ? KC_ERR_IO : 0;
}

/* Adds a list validation (values or a range formula) to column c of the data rows. */
static void list_validation(lxw_worksheet *ws, int c, const char **values, const char *formula,
                            bool strict, const char *title, const char *message)
{
    lxw_data_validation dv;
    memset(&dv, 0, sizeof(dv));
    dv.validate = formula ? LXW_VALIDATION_TYPE_LIST_FORMULA : LXW_VALIDATION_TYPE_LIST;
    dv.value_list = (char **)values;
    dv.value_formula = (char *)formula;
    dv.input_title = (char *)title;
    dv.input_message = (char *)message;
    dv.error_type = strict ? LXW_VALIDATION_ERROR_TYPE_STOP : LXW_VALIDATION_ERROR_TYPE_WARNING;
    dv.error_title = (char *)title;
    dv.error_message = (char *)message;
    worksheet_data_validation_range(ws, 2, (lxw_col_t)c, LAST_ROW, (lxw_col_t)c, &dv);
}

/* Adds a number validation (whole or decimal, min and optionally max) to column c. */
static void number_validation(lxw_worksheet *ws, int c, bool whole, double min, double max,
                              bool has_min, const char *title, const char *message)
{
    lxw_data_validation dv;
    memset(&dv, 0, sizeof(dv));
    dv.validate = whole ? LXW_VALIDATION_TYPE_INTEGER : LXW_VALIDATION_TYPE_DECIMAL;
    if (max > min) {
        dv.criteria = LXW_VALIDATION_CRITERIA_BETWEEN;
        dv.minimum_number = min;
        dv.maximum_number = max;
    } else if (has_min) {
        dv.criteria = LXW_VALIDATION_CRITERIA_GREATER_THAN_OR_EQUAL_TO;
        dv.value_number = min;
    } else {
        dv.criteria = LXW_VALIDATION_CRITERIA_BETWEEN;
        dv.minimum_number = -1e13;
        dv.maximum_number = 1e13;
    }
    dv.input_title = (char *)title;
    dv.input_message = (char *)message;
    dv.error_type = LXW_VALIDATION_ERROR_TYPE_STOP;
    dv.error_title = (char *)title;
    dv.error_message = (char *)message;
    worksheet_data_validation_range(ws, 2, (lxw_col_t)c, LAST_ROW, (lxw_col_t)c, &dv);
}

/* Fills the code sheet: regions of scope (A), industries (B), high-tech fields (C).
 * *n_regions and *n_industries receive the counts. */
static int write_codes(struct db *db, const struct scope *scope, lxw_worksheet *ws,
                       lxw_format *head, int *n_regions, int *n_industries)
{
    worksheet_write_string(ws, 0, 0, "地区（代码 名称）", head);
    worksheet_write_string(ws, 0, 1, "国民经济行业（代码 名称）", head);
    worksheet_write_string(ws, 0, 2, "国家重点支持的高新技术领域", head);
    worksheet_set_column(ws, 0, 0, 28, NULL);
    worksheet_set_column(ws, 1, 1, 48, NULL);
    worksheet_set_column(ws, 2, 2, 24, NULL);
    struct db_stmt *st = db_query(db,
                                  "SELECT code, name FROM regions WHERE code>=? AND code<? "
                                  "AND code<>'000000' ORDER BY code",
                                  "ss", scope->lo, scope->hi);
    if (!st)
        return KC_ERR_DB;
    int n = 0, rc;
    char text[300];
    while ((rc = db_step(st)) == DB_ROW) {
        snprintf(text, sizeof(text), "%s %s", db_col_text(st, 0), db_col_text(st, 1));
        worksheet_write_string(ws, (lxw_row_t)++n, 0, text, NULL);
    }
    db_done(st);
    if (rc < 0)
        return rc;
    *n_regions = n;
    st = db_prep(db, "SELECT code, name FROM industries ORDER BY code");
    if (!st)
        return KC_ERR_DB;
    n = 0;
    while ((rc = db_step(st)) == DB_ROW) {
        snprintf(text, sizeof(text), "%s %s", db_col_text(st, 0), db_col_text(st, 1));
        worksheet_write_string(ws, (lxw_row_t)++n, 1, text, NULL);
    }
    db_done(st);
    if (rc < 0)
        return rc;
    *n_industries = n;
    lxw_row_t k = 1;
    for (const char *const *h = ent_hightech_fields; *h; h++)
        worksheet_write_string(ws, k++, 2, *h, NULL);
    worksheet_write_string(ws, k, 2, "无", NULL);
    return 0;
}

/* General instructions, one paragraph per line (Chinese, then English). */
static const char *const help_lines[][2] = {
    {"企业及年度数据导入模板", "Enterprise and yearly data import template"},
    {"1. 在“企业数据”表第 3 行起每行填写一家企业一个年度的数据；第 1 行为中文列名，第 2 "
     "行为英文字段名，请勿修改这两行（也可删除不需要的列）。",
     "1. Fill one enterprise-year per row from row 3 of the data sheet; row 1 has the Chinese "
     "headers, row 2 the English field names (unused columns may be deleted)."},
    {"2. "
     "统一社会信用代码与年度共同确定一条记录：重复导入同一文件不会产生任何改动；只填写身份信息、不"
     "填年度的行只更新企业信息。",
     "2. USCC + year identify a record: importing the same file again changes nothing; rows "
     "without a year update the enterprise only."},
    {"3. 空白单元格表示“不修改已有数据”；新企业必须填写企业名称和所在地区代码。",
     "3. An empty cell leaves the stored value unchanged; a new enterprise needs its name and "
     "region code."},
    {"4. 金额单位为元，最多两位小数，按精确值换算为分；人数、件数为不小于 0 "
     "的整数；是否类填“是”或“否”。",
     "4. Money in yuan with at most 2 decimals (converted exactly to fen); counts are integers "
     "≥ 0; yes/no columns take 是 or 否."},
    {"5. 地区必须在您的管辖范围内；已核验（锁定）的年度数据不能通过导入修改。",
     "5. Regions must lie in your scope; verified (locked) years cannot be changed by an "
     "import."},
    {"6. "
     "有错误的行不会中断导入：导入完成后可下载“失败行”文件，其中保留原列并增加“错误原因”列，修改后"
     "重新导入即可。",
     "6. Bad rows never stop an import: download the failed-rows file (same columns plus an "
     "error column), fix it and import it again."},
    {"7. 也可导入 CSV 文件（UTF-8 或 GB18030 编码，列名同本模板）；文件大小不超过 256 MB。",
     "7. CSV files (UTF-8 or GB18030, same headers) are accepted too; files up to 256 MB."},
};

/* Writes the instructions sheet. */
static void write_help(lxw_worksheet *ws, lxw_format *head, lxw_format *wrap)
{
    worksheet_set_column(ws, 0, 0, 34, wrap);
    worksheet_set_column(ws, 1, 1, 30, wrap);
    worksheet_set_column(ws, 2, 2, 10, wrap);
    worksheet_set_column(ws, 3, 3, 60, wrap);
    worksheet_set_column(ws, 4, 4, 50, wrap);
    lxw_row_t row = 0;
    for (size_t k = 0; k < sizeof(help_lines) / sizeof(help_lines[0]); k++) {
        worksheet_merge_range(ws, row, 0, row, 4, help_lines[k][0], k ? wrap : head);
        worksheet_set_row(ws, row, k ? 32 : 20, NULL);
        row++;
    }
    row++;
    const char *heads[] = {"列名", "英文字段名", "必填", "填写说明", "Notes"};
    for (int c = 0; c < 5; c++)
        worksheet_write_string(ws, row, (lxw_col_t)c, heads[c], head);
    row++;
    char text[256];
    for (int c = 0; c < ent_n_columns; c++) {
        header_text(c, text, sizeof(text));
        worksheet_write_string(ws, row, 0, text, NULL);
        key_text(c, text, sizeof(text));
        worksheet_write_string(ws, row, 1, text, NULL);
        const struct ent_column *col = &ent_columns[c];
        worksheet_write_string(ws, row, 2,
                               strcmp(col->key, "uscc") == 0   ? "是"
                               : col->required                 ? "新企业必填"
                               : strcmp(col->key, "year") == 0 ? "有年度数据时必填"
                                                               : "",
                               NULL);
        worksheet_write_string(ws, row, 3, col->note_zh, NULL);
        worksheet_write_string(ws, row, 4, col->note_en, NULL);
        row++;
    }
}

int ent_import_template(struct db *db, const struct scope *scope, bool csv, const char *path)
{
    if (csv)
        return write_csv(path);
    lxw_workbook *wb = workbook_new(path);
    if (!wb)
        return KC_ERR_IO;
    lxw_worksheet *data = workbook_add_worksheet(wb, DATA_SHEET);
    lxw_worksheet *help = workbook_add_worksheet(wb, HELP_SHEET);
    lxw_worksheet *codes = workbook_add_worksheet(wb, CODE_SHEET);
    lxw_format *head = workbook_add_format(wb);
    format_set_bold(head);
    format_set_bg_color(head, 0xDDEBF7);
    format_set_text_wrap(head);
    format_set_align(head, LXW_ALIGN_VERTICAL_CENTER);
    lxw_format *required = workbook_add_format(wb);
    format_set_bold(required);
    format_set_bg_color(required, 0xDDEBF7);
    format_set_font_color(required, 0xC00000);
    format_set_text_wrap(required);
    lxw_format *keys = workbook_add_format(wb);
    format_set_italic(keys);
    format_set_font_color(keys, 0x808080);
    lxw_format *text = workbook_add_format(wb);
    format_set_num_format(text, "@");
    lxw_format *wrap = workbook_add_format(wb);
    format_set_text_wrap(wrap);
    format_set_align(wrap, LXW_ALIGN_VERTICAL_TOP);

    int n_regions = 0, n_industries = 0;
    int rc = write_codes(db, scope, codes, head, &n_regions, &n_industries);
    if (rc) {
        workbook_close(wb);
        return rc;
    }
    char region_list[128], industry_list[128], hightech_list[128];
    snprintf(region_list, sizeof(region_list), "='" CODE_SHEET "'!$A$2:$A$%d",
             n_regions > 0 ? n_regions + 1 : 2);
    snprintf(industry_list, sizeof(industry_list), "='" CODE_SHEET "'!$B$2:$B$%d",
             n_industries + 1);
    snprintf(hightech_list, sizeof(hightech_list), "='" CODE_SHEET "'!$C$2:$C$10");
    static const char *yes_no[] = {"是", "否", NULL};
    time_t now = time(NULL);
    struct tm tm;
    localtime_r(&now, &tm);

    char buf[256];
    for (int c = 0; c < ent_n_columns; c++) {
        const struct ent_column *col = &ent_columns[c];
        header_text(c, buf, sizeof(buf));
        worksheet_write_string(data, 0, (lxw_col_t)c, buf, col->required ? required : head);
        key_text(c, buf, sizeof(buf));
        worksheet_write_string(data, 1, (lxw_col_t)c, buf, keys);
        bool is_text = col->type == ECT_USCC || col->type == ECT_NAME || col->type == ECT_REGION ||
                       col->type == ECT_INDUSTRY || col->type == ECT_DATE;
        double width = col->type == ECT_NAME                                  ? 30
                       : col->type == ECT_USCC                                ? 22
                       : col->type == ECT_REGION || col->type == ECT_INDUSTRY ? 24
                                                                              : 16;
        worksheet_set_column(data, (lxw_col_t)c, (lxw_col_t)c, width, is_text ? text : NULL);
        switch (col->type) {
        case ECT_REGION:
            list_validation(data, c, NULL, region_list, false, "所在地区",
                            "请选择或填写 6 位行政区划代码");
            break;
        case ECT_INDUSTRY:
            list_validation(data, c, NULL, industry_list, false, "国民经济行业",
                            "请选择或填写 GB/T 4754 代码，如 C36");
            break;
        case ECT_HTFIELD:
            list_validation(data, c, NULL, hightech_list, true, "高新技术领域",
                            "请从八大领域中选择，或选“无”");
            break;
        case ECT_BOOL:
            list_validation(data, c, yes_no, NULL, true, "是/否", "请选择“是”或“否”");
            break;
        case ECT_YEAR:
            number_validation(data, c, true, 1990, tm.tm_year + 1900, true, "年度",
                              "1990 至今年之间的年份");
            break;
        case ECT_COUNT:
            number_validation(data, c, true, 0, 0, true, col->zh, "不小于 0 的整数");
            break;
        case ECT_MONEY:
        case ECT_X100:
            number_validation(data, c, false, 0, 0, true, col->zh, "不小于 0，最多两位小数");
            break;
        case ECT_MONEY_SIGNED:
            number_validation(data, c, false, 0, 0, false, col->zh, "金额（元），最多两位小数");
            break;
        default:
            break;
        }
    }
    worksheet_set_row(data, 0, 36, NULL);
    worksheet_freeze_panes(data, 2, 1);
    write_help(help, head, wrap);
    return workbook_close(wb) == LXW_NO_ERROR ? 0 : KC_ERR_IO;
}
