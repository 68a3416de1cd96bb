/* msg_import.c — error messages and field labels of imports, jobs and exports (zh / en).
 * Row-level reasons live with the import itself (store/ent_import.c), since the job
 * writes them without a request. */
#include "api/api.h"

#include <stddef.h>

const struct msg msg_import_errors[] = {
    {"upload_too_large", "上传的文件过大（超过上传大小限制）",
     "The uploaded file is larger than the upload limit"},
    {"empty_file", "上传的文件是空的", "The uploaded file is empty"},
    {"unsupported_format", "不支持的文件格式：请上传 XLSX 或 CSV 文件",
     "Unsupported file format: upload an XLSX or CSV file"},
    {"import_not_xlsx", "文件不是有效的 XLSX 工作簿（可能已损坏，或是旧版 .xls 格式）",
     "The file is not a valid XLSX workbook (damaged, or an old .xls file)"},
    {"import_bad_xlsx", "XLSX 文件内容损坏或格式不正确，无法读取",
     "The XLSX file is damaged or malformed and cannot be read"},
    {"import_limit", "XLSX 文件解压后过大或压缩比异常（疑似压缩炸弹），已拒绝",
     "The XLSX file inflates beyond the limits (a possible zip bomb) and was refused"},
    {"import_encoding", "CSV 文件编码无法识别：请保存为 UTF-8 或 GB18030（GBK）编码",
     "The CSV encoding is not recognised: save it as UTF-8 or GB18030 (GBK)"},
    {"import_record_too_large", "CSV 文件中有一行超过 1 MB，无法读取",
     "A CSV record is longer than 1 MB and cannot be read"},
    {"import_unterminated_quote", "CSV 文件中有未闭合的引号，无法读取后续内容",
     "A quoted CSV field is never closed; the rest of the file cannot be read"},
    {"import_empty", "文件中没有表头行", "The file has no header row"},
    {"import_missing_column", "缺少必需的列：%s", "A required column is missing: %s"},
    {"import_duplicate_column", "列重复：%s", "A column appears twice: %s"},
    {"import_io", "读取导入文件失败", "The import file cannot be read"},
    {"import_internal", "导入时发生数据库错误，已停止；已提交的批次保留，可重新导入",
     "A database error stopped the import; committed batches stay, import again to finish"},
    {"interrupted", "任务在服务器重启时被中断", "The job was interrupted by a server restart"},
    {"job_unknown_kind", "未知的任务类型", "Unknown job kind"},
    {"job_finished", "任务已结束，不能取消", "The job has already ended and cannot be cancelled"},
    {"no_failed_rows", "该任务没有失败行", "This job has no failed rows"},
    {NULL, NULL, NULL},
};

const struct msg msg_import_fields[] = {
    {"file", "文件", "File"},     {"format", "格式", "Format"}, {"year", "年度", "Year"},
    {"status", "状态", "Status"}, {NULL, NULL, NULL},
};
