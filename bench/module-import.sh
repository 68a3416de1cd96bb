#!/bin/sh
# module-import.sh — the enterprise import benchmark (issue 3): rows/s and peak RSS of
# `kechuang import enterprises` on generated enterprise-year rows, against SQLite's own
# `.import --csv` of the same file into a plain table (the baseline, same run).
#
#   bench/module-import.sh [ROWS]        ROWS defaults to 1,000,000 (IMPORT_BENCH_ROWS)
#
# The CSV is generated deterministically (an awk MINSTD generator, fixed seed): ROWS/4
# enterprises with valid USCCs, in blocks by county (as an export sorted by USCC or region
# is) over the county codes of data/regions.csv, four years
# each (2021–2024), every yearly field of API.md's record with values that satisfy the
# containment rules (parts never exceed their wholes), money in 元 with two decimals.
# Each tool runs 3 times on a fresh data directory; the medians are printed. Peak RSS
# comes from /usr/bin/time -v when installed, else from polling /proc/PID/status VmHWM.
# Goals: ≥ 100,000 rows/s and ≤ 100 MB peak RSS for 1,000,000 rows.
set -eu

ROOT=$(cd "$(dirname "$0")/.." && pwd)
KC_BIN=${KC_BIN:-$ROOT/build/kechuang}
ROWS=${1:-${IMPORT_BENCH_ROWS:-1000000}}
RUNS=3
WORK=$(mktemp -d "${TMPDIR:-/tmp}/kc-import-bench.XXXXXX")
trap 'rm -rf "$WORK"' EXIT INT TERM

[ -x "$KC_BIN" ] || { echo "module-import: $KC_BIN not built" >&2; exit 1; }
command -v sqlite3 >/dev/null || { echo "module-import: sqlite3 shell not installed" >&2; exit 1; }

echo "== import benchmark: $ROWS enterprise-year rows (CSV, UTF-8)"

# --- the data -----------------------------------------------------------------------
awk -F, '$3 == "county" { print $1 }' "$ROOT/data/regions.csv" > "$WORK/counties"
awk -v rows="$ROWS" '
function rnd(n) { seed = (seed * 48271) % 2147483647; return seed % n }
function money(fen) { return sprintf("%d.%02d", int(fen / 100), fen % 100) }
BEGIN { seed = 20240601; nc = 0 }
{ county[nc++] = $1 }
END {
    chars = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    split("1 3 9 27 19 26 16 17 20 29 25 13 8 24 10 30 28", W, " ")
    split("3 7 9 10 5 8 4 2", OW, " ")
    split("C36 C39 I65 M73 C35 C26 I64", IND, " ")
    print "统一社会信用代码,企业名称,所在地区代码,国民经济行业代码,年度,职工总数（人）," \
          "科技人员数（人）,研发人员数（人）,销售收入（元）,主营业务收入（元）,营业收入（元）," \
          "总收入（元）,高新技术产品(服务)收入（元）,研发费用总额（元）,境内研发费用（元）," \
          "成本费用支出总额（元）,资产总额（元）,负债总额（元）,净利润（元）,Ⅰ类知识产权（件）," \
          "其中：自主研发Ⅰ类知识产权（件）,其中：高价值Ⅰ类知识产权（件）,Ⅱ类知识产权（件）," \
          "科技成果转化（项）"
    n_ent = int(rows / 4)
    for (e = 1; e <= n_ent; e++) {
        region = county[int((e - 1) * nc / n_ent)]
        body = sprintf("%08d", e)
        s = 0
        for (i = 1; i <= 8; i++) s += substr(body, i, 1) * OW[i]
        c = 11 - s % 11
        org = c == 10 ? "X" : c == 11 ? "0" : c
        first = "91" region body org
        s = 0
        for (i = 1; i <= 17; i++) s += (index(chars, substr(first, i, 1)) - 1) * W[i]
        uscc = first substr(chars, (31 - s % 31) % 31 + 1, 1)
        name = "基准测试企业" e "有限公司"
        ind = IND[e % 7 + 1]
        base = 20 + rnd(400)
        for (y = 2021; y <= 2024; y++) {
            emp = base + rnd(50); tech = int(emp * (5 + rnd(40)) / 100); rd = int(tech * (30 + rnd(70)) / 100)
            total = 1000000 + rnd(2000000000) * 10 + rnd(100)
            sales = total - rnd(int(total / 10) + 1); mainr = sales - rnd(int(sales / 10) + 1)
            oper = mainr + rnd(1000000); ht = int(mainr * rnd(90) / 100)
            cost = int(total * (50 + rnd(45)) / 100); rde = int(cost * (1 + rnd(12)) / 100)
            rdd = rde - rnd(int(rde / 20) + 1)
            assets = total + rnd(500000000); liab = int(assets * rnd(80) / 100)
            profit = rnd(2) ? rnd(50000000) : -rnd(5000000)
            ip1 = rnd(20); ips = ip1 ? rnd(ip1 + 1) : 0; iph = ip1 ? rnd(ip1 + 1) : 0
            printf "%s,%s,%s,%s,%d,%d,%d,%d,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%d,%d,%d,%d,%d\n", \
                uscc, name, region, ind, y, emp, tech, rd, money(sales), money(mainr), money(oper), \
                money(total), money(ht), money(rde), money(rdd), money(cost), money(assets), \
                money(liab), (profit < 0 ? "-" money(-profit) : money(profit)), ip1, ips, iph, \
                rnd(30), rnd(5)
        }
    }
}' "$WORK/counties" > "$WORK/ent.csv"
lines=$(($(wc -l < "$WORK/ent.csv") - 1))
echo "   generated $lines rows, $(du -m "$WORK/ent.csv" | cut -f1) MB"

# --- measuring ----------------------------------------------------------------------
# Runs "$@", prints "SECONDS PEAK_KB CPU_SECONDS" (wall time, peak resident set, user +
# system CPU time; the CPU time shows what the wall time means on a shared machine).
measure() {
    if [ -x /usr/bin/time ]; then
        /usr/bin/time -f '%e %M %U %S' -o "$WORK/time.out" "$@" > "$WORK/cmd.out" 2> "$WORK/cmd.err" ||
            { cat "$WORK/cmd.err" >&2; return 1; }
        awk '{ print $1, $2, $3 + $4 }' "$WORK/time.out"
        return 0
    fi
    t0=$(date +%s.%N)
    "$@" > "$WORK/cmd.out" 2> "$WORK/cmd.err" &
    pid=$!
    peak=0
    while kill -0 "$pid" 2>/dev/null; do
        v=$(awk '/^VmHWM/ { print $2 }' "/proc/$pid/status" 2>/dev/null || echo 0)
        [ "${v:-0}" -gt "$peak" ] && peak=$v
        sleep 0.2
    done
    wait "$pid" || { cat "$WORK/cmd.err" >&2; return 1; }
    t1=$(date +%s.%N)
    echo "$(echo "$t1 - $t0" | bc) $peak 0"
}

# Prints the median of the numbers on standard input.
median() {
    sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}

: > "$WORK/ours"
: > "$WORK/ours_rss"
: > "$WORK/base"
: > "$WORK/ours_cpu"
: > "$WORK/base_cpu"
for run in $(seq 1 $RUNS); do
    rm -rf "$WORK/data"
    # the data directory is created and migrated first, so the timing is the import only
    "$KC_BIN" migrate --data "$WORK/data" > /dev/null 2>&1
    set -- $(KC_LOG=warn measure "$KC_BIN" import enterprises --data "$WORK/data" "$WORK/ent.csv" ||
        true)
    [ $# -eq 3 ] || { echo "module-import: the import failed" >&2; exit 1; }
    grep -q "\"inserted\":$lines," "$WORK/cmd.out" ||
        { echo "module-import: unexpected result: $(cat "$WORK/cmd.out")" >&2; exit 1; }
    echo "$1" >> "$WORK/ours"
    echo "$2" >> "$WORK/ours_rss"
    echo "$3" >> "$WORK/ours_cpu"
    echo "   run $run: kechuang import ${1}s (CPU ${3}s), peak RSS $(($2 / 1024)) MB"

    rm -f "$WORK/base.db"
    set -- $(measure sqlite3 "$WORK/base.db" ".import --csv $WORK/ent.csv ent")
    echo "$1" >> "$WORK/base"
    echo "$3" >> "$WORK/base_cpu"
    echo "   run $run: sqlite3 .import ${1}s (CPU ${3}s)"
done
# The same file again into the imported data: every row unchanged.
set -- $(KC_LOG=warn measure "$KC_BIN" import enterprises --data "$WORK/data" "$WORK/ent.csv")
grep -q "\"unchanged\":$lines," "$WORK/cmd.out" ||
    { echo "module-import: re-import changed rows: $(cat "$WORK/cmd.out")" >&2; exit 1; }
reimport=$1

ours=$(median < "$WORK/ours")
rss=$(median < "$WORK/ours_rss")
base=$(median < "$WORK/base")
ours_cpu=$(median < "$WORK/ours_cpu")
base_cpu=$(median < "$WORK/base_cpu")
load=$(cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo '?')
awk -v n="$lines" -v o="$ours" -v b="$base" -v r="$rss" -v ri="$reimport" -v oc="$ours_cpu" \
    -v bc="$base_cpu" -v load="$load" -v cores="$(nproc 2>/dev/null || echo '?')" 'BEGIN {
    printf "kechuang import enterprises: %d rows in %.2f s (median of 3) = %.0f rows/s; peak RSS %.1f MB\n", n, o, n / o, r / 1024
    printf "sqlite3 .import --csv (plain table, no validation): %.2f s = %.0f rows/s\n", b, n / b
    printf "ratio: ours / sqlite3 .import = %.2fx the time (%.0f%% of its speed)\n", o / b, 100 * b / o
    if (oc > 0 && bc > 0)
        printf "CPU time (user+sys, medians): ours %.2f s = %.0f rows per CPU-second; sqlite3 .import %.2f s; ratio %.2fx\n", oc, n / oc, bc, oc / bc
    printf "re-import of the same file (all unchanged, nothing written): %.2f s = %.0f rows/s\n", ri, n / ri
    printf "machine: %s cores, load average %s at the end\n", cores, load
    printf "goals: >= 100000 rows/s: %s; <= 100 MB RSS: %s\n", (n / o >= 100000 ? "met" : "NOT met"), (r / 1024 <= 100 ? "met" : "NOT met")
}'
