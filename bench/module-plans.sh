#!/bin/sh
# module-plans.sh — recompute of every computed indicator at province scale (issue 5):
# 100 counties, 200,000 enterprises × 5 years, 1,000,000 technology contracts, their
# certificates, demands and roadshows, generated deterministically into a temporary SQLite
# file by build/plans_bench, which then times (median of PLANS_BENCH_RUNS runs, default 5)
#   - ours: the formula engine (one pass per record table for all indicators),
#   - refresh: the engine plus writing the computed-value cache (POST
#     /api/v1/indicators/recompute),
#   - baseline: the same cells computed by plain SQL GROUP BY queries in the same run,
# checks that ours and the baseline give identical numbers (exit 1 otherwise) and prints
# the ratio. Goal: refresh ≤ 1 s. PLANS_BENCH_ARGS adds arguments (e.g.
# "--enterprises 20000 --contracts 100000" for a quick run). The temporary file is removed.
set -eu

ROOT=$(cd "$(dirname "$0")/.." && pwd)
KC_BIN=${KC_BIN:-$ROOT/build/kechuang}
BENCH="$(dirname "$KC_BIN")/plans_bench"
[ -x "$BENCH" ] || { echo "module-plans.sh: $BENCH not built" >&2; exit 1; }

echo "== plans: recompute of every computed indicator (province scale)"
# shellcheck disable=SC2086
exec "$BENCH" --runs "${PLANS_BENCH_RUNS:-5}" ${PLANS_BENCH_ARGS:-}
