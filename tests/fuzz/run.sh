#!/bin/sh
# run.sh — builds the libFuzzer harnesses with clang and runs each for a while.
#
#   tests/fuzz/run.sh [SECONDS] [HARNESS...]     e.g. tests/fuzz/run.sh 60 csv jw
#
# SECONDS defaults to 20 per harness; HARNESS defaults to every tests/fuzz/fuzz_*.c
# (csv, utf8, jw, xlsx). Each harness is compiled straight from the source files it needs
# with -fsanitize=fuzzer,address,undefined (no Meson; not part of `make test`). Work
# files go to $FUZZ_OUT (default /tmp/kc-fuzz): the binaries, a working corpus per
# harness (seeded from tests/fuzz/corpus/NAME and, for csv, data/*.csv) and crash
# artifacts. Exits non-zero when a harness fails to build or finds a crash.
set -eu

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
OUT=${FUZZ_OUT:-/tmp/kc-fuzz}
CC=${CC:-clang}
SECONDS_EACH=20
case "${1:-}" in
    '' | *[!0-9]*) ;;
    *) SECONDS_EACH=$1; shift ;;
esac
if [ $# -eq 0 ]; then
    set -- csv utf8 jw xlsx
fi

CFLAGS="-g -O1 -std=c17 -D_GNU_SOURCE -fno-omit-frame-pointer \
  -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined -I$ROOT/src"

# Prints the source files (besides the harness) and libraries harness $1 needs.
deps() {
    case "$1" in
    csv) echo "src/io/csv.c src/core/arena.c src/core/buf.c src/core/xalloc.c" ;;
    utf8) echo "src/core/utf8.c" ;;
    jw) echo "src/core/jw.c src/core/buf.c src/core/xalloc.c src/core/utf8.c $(pkg-config --cflags --libs jansson)" ;;
    xlsx) echo "src/io/xlsx_read.c src/core/buf.c src/core/xalloc.c $(pkg-config --cflags --libs libzip expat)" ;;
    *) echo "unknown harness: $1" >&2; return 1 ;;
    esac
}

mkdir -p "$OUT"
status=0
for h in "$@"; do
    d=$(deps "$h") || { status=1; continue; }
    bin="$OUT/fuzz_$h"
    echo "== fuzz_$h: building"
    # shellcheck disable=SC2086 # the dependency list is meant to split
    (cd "$ROOT" && $CC $CFLAGS -o "$bin" "tests/fuzz/fuzz_$h.c" $d) || { status=1; continue; }
    corpus="$OUT/corpus_$h"
    mkdir -p "$corpus" "$OUT/artifacts_$h"
    if [ -d "$ROOT/tests/fuzz/corpus/$h" ]; then
        cp -n "$ROOT/tests/fuzz/corpus/$h"/* "$corpus"/ 2>/dev/null || true
    fi
    if [ "$h" = csv ]; then
        for f in "$ROOT"/data/*.csv; do
            [ -f "$f" ] && head -c 4096 "$f" > "$corpus/seed_$(basename "$f")"
        done
    fi
    echo "== fuzz_$h: running ${SECONDS_EACH}s"
    if ! "$bin" -max_total_time="$SECONDS_EACH" -max_len=4096 -timeout=10 \
        -print_final_stats=1 -artifact_prefix="$OUT/artifacts_$h/" "$corpus" \
        > "$OUT/fuzz_$h.log" 2>&1; then
        echo "!! fuzz_$h FAILED — see $OUT/fuzz_$h.log and $OUT/artifacts_$h/"
        grep -m 5 -E 'ERROR|SUMMARY|runtime error|deadly signal' "$OUT/fuzz_$h.log" || true
        status=1
    else
        grep -E '^stat::number_of_executed_units|^stat::peak_rss_mb' "$OUT/fuzz_$h.log" |
            sed "s/^/   /"
        echo "   ok: $(grep -c '' "$OUT/fuzz_$h.log") log lines, no crash"
    fi
done
exit $status
