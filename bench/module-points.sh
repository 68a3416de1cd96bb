#!/usr/bin/env bash
# bench/module-points.sh — speed of the ladder analytics (创新积分, pools, funnel) on the
# demo database, against the per-firm rule-record loader as the baseline.
#
#   KC_BIN=build/kechuang bench/module-points.sh     (make bench runs every module-*.sh)
#
# Makes a fresh data directory with `kechuang serve --demo` (stopped once it listens),
# then runs build/points_bench on it: the median of BENCH_RUNS (default 5) runs of the
# region scan versus ent_record_load one firm at a time (the ratio is printed), the
# 创新积分 of every firm with its cohorts and ranks, the 高新技术企业 pool with gap analysis,
# and the funnel verdicts. Everything it starts is stopped on exit.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/.." && pwd)"
KC_BIN="${KC_BIN:-$repo/build/kechuang}"
BENCH="$(dirname "$KC_BIN")/points_bench"
BENCH_RUNS="${BENCH_RUNS:-5}"
[ -x "$KC_BIN" ] || { echo "module-points.sh: $KC_BIN not built" >&2; exit 1; }
[ -x "$BENCH" ] || { echo "module-points.sh: $BENCH not built" >&2; exit 1; }

tmp="$(mktemp -d "${TMPDIR:-/tmp}/kc-bench-points.XXXXXX")"
pid=""
cleanup() {
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
        kill -TERM "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    fi
    rm -rf "$tmp"
}
trap cleanup EXIT

"$KC_BIN" serve --demo --data "$tmp" --listen 127.0.0.1:0 >"$tmp/out.log" 2>"$tmp/err.log" &
pid=$!
for _ in $(seq 1 600); do
    grep -q "listening on" "$tmp/out.log" 2>/dev/null && break
    kill -0 "$pid" 2>/dev/null || { cat "$tmp/err.log" >&2; exit 1; }
    sleep 0.1
done
grep -q "listening on" "$tmp/out.log" || { echo "module-points.sh: the server did not start" >&2; exit 1; }
kill -TERM "$pid"
wait "$pid" 2>/dev/null || true
pid=""

"$BENCH" --data "$tmp" --runs "$BENCH_RUNS"
