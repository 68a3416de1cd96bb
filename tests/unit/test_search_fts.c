/* test_search_fts.c — the kc_cjk FTS5 tokenizer against a brute-force oracle: for
 * 1- to 5-character Chinese terms, the number of papers an FTS5 phrase query finds
 * equals the number whose title or abstract contains the term (on the first 1,500 CSL
 * papers); AND queries, column filters, ASCII words and full-width folding; and the
 * built-in trigram tokenizer's failure on 2-character terms, for the record. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "db/db.h"
#include "search/corpus.h"

/* Papers in the fixture. */
#define N_DOCS 1500

static struct corpus corp;
static struct db *db;

/* Loads the corpus and indexes the fixture twice: kc_cjk and trigram. */
static int setup(void **state)
{
    (void)state;
    if (corpus_load(NULL, &corp) != 0 || corp.n < N_DOCS)
        return -1;
    if (db_open(":memory:", &db) != 0)
        return -1;
    if (db_exec(db, "CREATE VIRTUAL TABLE t USING fts5(title, abstract, tokenize='kc_cjk');"
                    "CREATE VIRTUAL TABLE g USING fts5(title, abstract, tokenize='trigram');") != 0)
        return -1;
    if (db_begin(db) != 0)
        return -1;
    for (size_t i = 0; i < N_DOCS; i++) {
        const struct corpus_rec *r = &corp.r[i];
        if (db_run(db_query(db, "INSERT INTO t(rowid, title, abstract) VALUES(?,?,?)", "iss",
                            (int64_t)i + 1, r->title, r->abstract)) != 0 ||
            db_run(db_query(db, "INSERT INTO g(rowid, title, abstract) VALUES(?,?,?)", "iss",
                            (int64_t)i + 1, r->title, r->abstract)) != 0)
            return -1;
    }
    return db_commit(db);
}

/* Frees the database and the corpus. */
static int teardown(void **state)
{
    (void)state;
    db_close(db);
    corpus_free(&corp);
    return 0;
}

/* Rows of table matching the FTS5 query q. */
static int64_t fts_count(const char *table, const char *q)
{
    char sql[128];
    snprintf(sql, sizeof(sql), "SELECT count(*) FROM %s WHERE %s MATCH ?", table, table);
    int64_t n = -1;
    assert_int_equal(db_scalar(db_query(db, sql, "s", q), &n), 0);
    return n;
}

/* Papers of the fixture whose title or abstract contains every one of the n terms. */
static int64_t brute_count(const char **terms, int n)
{
    int64_t c = 0;
    for (size_t i = 0; i < N_DOCS; i++) {
        int ok = 1;
        for (int k = 0; k < n && ok; k++)
            ok = strstr(corp.r[i].title, terms[k]) || strstr(corp.r[i].abstract, terms[k]);
        c += ok;
    }
    return c;
}

/* Phrase queries of 1 to 5 characters find exactly the papers containing them. */
static void test_terms_match_substring_counts(void **state)
{
    (void)state;
    const char *terms[] = {
        "泵",         "钢",         "铜",       "锂",       "池", /* 1 char */
        "电池",       "芯片",       "控制",     "系统",     "模型",
        "水稻",       "土壤",       "中试", /* 2 chars */
        "温度",       "专利",       "许可",     "算法",     "材料",
        "混凝土",     "传感器",     "有限元",   "锂电池",   "数据库",   /* 3 chars */
        "神经网络",   "遗传算法",   "数值模拟", "智能制造", "图像处理", /* 4 chars */
        "支持向量机", "有限元分析",                                     /* 5 chars */
    };
    int nonzero = 0;
    for (size_t i = 0; i < sizeof(terms) / sizeof(terms[0]); i++) {
        char q[64];
        snprintf(q, sizeof(q), "\"%s\"", terms[i]);
        int64_t want = brute_count(&terms[i], 1);
        int64_t got = fts_count("t", q);
        if (got != want)
            fail_msg("%s: FTS5 kc_cjk %lld, substring count %lld", terms[i], (long long)got,
                     (long long)want);
        /* A bare term (no quotes) is the same phrase. */
        assert_int_equal(fts_count("t", terms[i]), want);
        nonzero += want > 0;
    }
    assert_true(nonzero >= 25); /* the oracle is not trivially zero */
}

/* Implicit AND and OR of terms, and a column filter. */
static void test_and_or_column(void **state)
{
    (void)state;
    const char *a[] = {"电池", "材料"};
    assert_int_equal(fts_count("t", "电池 材料"), brute_count(a, 2));
    const char *b[] = {"控制", "系统", "模型"};
    assert_int_equal(fts_count("t", "控制 系统 模型"), brute_count(b, 3));
    int64_t either = 0;
    for (size_t i = 0; i < N_DOCS; i++)
        either += strstr(corp.r[i].title, "水稻") || strstr(corp.r[i].abstract, "水稻") ||
                  strstr(corp.r[i].title, "土壤") || strstr(corp.r[i].abstract, "土壤");
    assert_int_equal(fts_count("t", "\"水稻\" OR \"土壤\""), either);
    int64_t in_title = 0;
    for (size_t i = 0; i < N_DOCS; i++)
        in_title += strstr(corp.r[i].title, "系统") != NULL;
    assert_int_equal(fts_count("t", "title:\"系统\""), in_title);
}

/* ASCII words are case-insensitive whole words; full-width forms fold to ASCII. */
static void test_ascii_and_width(void **state)
{
    (void)state;
    assert_int_equal(db_exec(db, "CREATE VIRTUAL TABLE w USING fts5(x, tokenize='kc_cjk');"
                                 "INSERT INTO w VALUES('基于PLC的离心泵控制');"
                                 "INSERT INTO w VALUES('ＰＬＣ控制柜，５Ｇ基站');"
                                 "INSERT INTO w VALUES('plcopen 标准');"
                                 "INSERT INTO w VALUES('锂电池😀隔膜');"),
                     0);
    assert_int_equal(fts_count("w", "plc"), 2);
    assert_int_equal(fts_count("w", "PLC"), 2);
    assert_int_equal(fts_count("w", "\"5g\""), 1);
    assert_int_equal(fts_count("w", "\"５Ｇ基站\""), 1);
    assert_int_equal(fts_count("w", "\"电池隔膜\""), 0); /* the emoji separates */
    assert_int_equal(fts_count("w", "\"隔膜\""), 1);
    assert_int_equal(fts_count("w", "\"泵\""), 1);
}

/* The trigram tokenizer finds nothing for 2-character terms (why kc_cjk exists),
 * while it does agree for 3-character ones. */
static void test_trigram_failure_mode(void **state)
{
    (void)state;
    const char *two = "电池";
    assert_true(brute_count(&two, 1) > 0);
    assert_int_equal(fts_count("g", "\"电池\""), 0);
    const char *three = "锂电池";
    assert_int_equal(fts_count("g", "\"锂电池\""), brute_count(&three, 1));
}

/* Runs the tests. */
int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_terms_match_substring_counts),
        cmocka_unit_test(test_and_or_column),
        cmocka_unit_test(test_ascii_and_width),
        cmocka_unit_test(test_trigram_failure_mode),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
