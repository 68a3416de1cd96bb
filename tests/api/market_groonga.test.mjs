// market_groonga.test.mjs — an independent oracle for the achievement search: the same
// CSL texts loaded into groonga (Debian groonga-bin: TokenBigram + NormalizerAuto, an
// index over title, keywords and abstract) must give the same hit counts as
// GET /api/v1/achievements?q= (SQLite FTS5 with our kc_cjk tokenizer) for Chinese terms
// of 1 to 5 characters, several terms at once, ASCII words in any case and full-width
// forms.
//
// Where the two engines must differ, the terms are kept out of the equality check and
// the difference is asserted instead, so a change of behaviour shows up:
//   - letters and digits together ("co2", "Matlab6.5"): groonga's TokenBigram splits a
//     run of letters from a run of digits, so "CO2" also matches "CO 2" and "MATLAB"
//     matches "Matlab6.5"; kc_cjk keeps "co2" and "matlab6" one word each (a formula or a
//     model number is one word). Groonga therefore finds at least as many documents.
// Words match whole words in both engines ("PID" does not match "rapid"); Chinese terms
// match as substrings in both (a phrase of bigrams), including single characters.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { assertOk, loginAs, REPO, runProgram, startServer, tempDir, which } from './harness.mjs';

const GROONGA = which('groonga');
const SKIP = GROONGA ? false : 'groonga-bin is not installed (scripts/bootstrap --test installs it)';

/* Terms whose counts must be equal. */
const SAME = [
    '泵', '钢', '铜', '锂', '池', '膜', '酶', '桥', '茶', // 1 character
    '电池', '芯片', '控制', '模型', '水稻', '土壤', '中试', '专利', '算法', '材料', // 2
    '锂电池', '传感器', '混凝土', '有限元', '数据库', '抗拉强度', // 3, 4
    '神经网络', '遗传算法', '数值模拟', '智能制造', '图像处理', // 4
    '支持向量机', '有限元分析', // 5
    '锂电池 正极', '水稻 产量', '神经网络 预测', '混凝土 强度 试验', // several terms (all required)
    'GPS', 'gps', 'ＧＰＳ', 'PID', 'DNA', 'GIS', 'BP神经网络', '电池　隔膜', // ASCII, case, full width
];
/* Letters followed by digits: groonga splits them, kc_cjk does not ("Matlab6.5" holds
 * the word "matlab6" for us, "matlab" and "6" for groonga). */
const SPLIT = ['CO2', 'SO2', 'PM2', 'MATLAB'];

let srv;
let admin;
let work;

before(async () => {
    if (SKIP) return;
    srv = await startServer();
    admin = await loginAs(srv, 'admin');
    work = tempDir('kc-groonga-');
});

after(async () => {
    if (srv) await srv.stop();
    if (work) fs.rmSync(work, { recursive: true, force: true });
});

/* Builds a groonga database over the corpus texts (as the demo stores them) and runs
 * one select per query; returns {query: count}. */
async function groongaCounts(queries) {
    const lines = fs.readFileSync(path.join(REPO, 'data/corpus/csl.jsonl'), 'utf8').split('\n').filter((l) => l.trim());
    const docs = lines.map((l) => JSON.parse(l)).map((d) => ({
        title: d.title,
        keywords: JSON.stringify(d.keywords || []),
        abstract: d.abstract || '',
    }));
    const cmds = [
        'table_create Docs TABLE_NO_KEY',
        'column_create Docs title COLUMN_SCALAR Text',
        'column_create Docs keywords COLUMN_SCALAR Text',
        'column_create Docs abstract COLUMN_SCALAR Text',
        'table_create Terms TABLE_PAT_KEY ShortText --default_tokenizer TokenBigram --normalizer NormalizerAuto',
        'column_create Terms idx COLUMN_INDEX|WITH_POSITION|WITH_SECTION Docs title,keywords,abstract',
        'load --table Docs',
        JSON.stringify(docs),
    ];
    for (const q of queries) {
        // Each blank-separated term a quoted phrase, all required (as the API does).
        const terms = q.split(/[ \u3000]+/).filter(Boolean).map((t) => `"${t}"`).join(' ');
        cmds.push(`select Docs --match_columns 'title||keywords||abstract' --query '${terms}' --limit 0 --output_columns _id`);
    }
    const db = path.join(work, 'db');
    const r = await runProgram(GROONGA, ['-n', db], { input: cmds.join('\n') + '\n' });
    assert.equal(r.code, 0, `groonga failed: ${r.stderr.slice(0, 500)}`);
    const out = r.stdout.trim().split('\n').slice(-queries.length);
    const counts = {};
    queries.forEach((q, i) => {
        const res = JSON.parse(out[i]);
        assert.equal(res[0][0], 0, `groonga error for ${q}: ${out[i].slice(0, 200)}`);
        counts[q] = res[1][0][0][0];
    });
    return counts;
}

/* Our count: the total of the search as the administrator (every achievement). */
async function ourCount(q) {
    const r = assertOk(await admin.get(`/api/v1/achievements?q=${encodeURIComponent(q)}&page_size=1`));
    return r.total;
}

describe('search hit counts against groonga', { skip: SKIP }, () => {
    let g;

    before(async () => {
        g = await groongaCounts([...SAME, ...SPLIT]);
    });

    test('the demo library holds exactly the corpus', async () => {
        const all = assertOk(await admin.get('/api/v1/achievements?page_size=1'));
        const lines = fs.readFileSync(path.join(REPO, 'data/corpus/csl.jsonl'), 'utf8').split('\n').filter((l) => l.trim());
        assert.equal(all.total, lines.length);
    });

    test('Chinese terms of 1–5 characters, several terms, ASCII words, case and full width: equal counts', async () => {
        const diff = [];
        let nonzero = 0;
        for (const q of SAME) {
            const ours = await ourCount(q);
            if (ours !== g[q]) diff.push(`${q}: ours ${ours}, groonga ${g[q]}`);
            nonzero += ours > 0;
        }
        assert.deepEqual(diff, []);
        assert.ok(nonzero >= SAME.length - 2, 'the oracle is not trivially zero');
    });

    test('letters followed by digits: groonga splits them and finds at least as many', async () => {
        for (const q of SPLIT) {
            const ours = await ourCount(q);
            assert.ok(g[q] >= ours, `${q}: groonga ${g[q]} < ours ${ours}`);
        }
    });
});
