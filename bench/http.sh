#!/usr/bin/env bash
# bench/http.sh — HTTP throughput of kechuang against an nginx static-file baseline.
#
#   KC_BIN=build/kechuang bench/http.sh        (make bench does this after the build)
#
# Starts `kechuang serve --demo` on a fresh temporary data dir and a free loopback port,
# logs in as the demo admin with curl, starts nginx (Debian package, as the current
# user, 2 workers, access_log off) serving a static 2 KB JSON file on another loopback
# port, then for each target runs `wrk -t2 -c64` for BENCH_SECONDS (default 5) seconds
# BENCH_RUNS (default 3) times after a 2 s warm-up and prints the median requests/s,
# the runs and the ratio to the nginx baseline. Every process it starts is stopped on
# exit. Environment: KC_BIN, BENCH_SECONDS, BENCH_RUNS, BENCH_THREADS (2),
# BENCH_CONNECTIONS (64), BENCH_WARMUP (2).
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/.." && pwd)"
KC_BIN="${KC_BIN:-$repo/build/kechuang}"
BENCH_SECONDS="${BENCH_SECONDS:-5}"
BENCH_RUNS="${BENCH_RUNS:-3}"
BENCH_THREADS="${BENCH_THREADS:-2}"
BENCH_CONNECTIONS="${BENCH_CONNECTIONS:-64}"
BENCH_WARMUP="${BENCH_WARMUP:-2}"

die() {
    echo "bench/http.sh: $*" >&2
    exit 1
}

# ---- prerequisites ---------------------------------------------------------------
missing=()
for tool in wrk nginx curl; do
    command -v "$tool" >/dev/null 2>&1 || [ -x "/usr/sbin/$tool" ] || missing+=("$tool")
done
if [ ${#missing[@]} -gt 0 ]; then
    die "missing: ${missing[*]}. Install them with 'scripts/bootstrap --bench' (or: sudo apt-get install -y nginx wrk curl)."
fi
NGINX="$(command -v nginx 2>/dev/null || echo /usr/sbin/nginx)"
[ -x "$KC_BIN" ] || die "server binary not found or not executable: $KC_BIN (run 'make build' or set KC_BIN)"
case "$BENCH_SECONDS$BENCH_RUNS$BENCH_THREADS$BENCH_CONNECTIONS$BENCH_WARMUP" in
*[!0-9]*) die "BENCH_SECONDS, BENCH_RUNS, BENCH_THREADS, BENCH_CONNECTIONS and BENCH_WARMUP must be whole numbers" ;;
esac
[ "$BENCH_RUNS" -ge 1 ] || die "BENCH_RUNS must be at least 1"
[ "$BENCH_SECONDS" -ge 1 ] || die "BENCH_SECONDS must be at least 1"

# ---- clean-up of everything we start ----------------------------------------------
tmp="$(mktemp -d "${TMPDIR:-/tmp}/kc-bench.XXXXXX")"
kc_pid=""
nginx_pid=""
cleanup() {
    local rc=$?
    for pid in $nginx_pid $kc_pid; do
        if kill -0 "$pid" 2>/dev/null; then
            kill -TERM "$pid" 2>/dev/null || true
        fi
    done
    for pid in $nginx_pid $kc_pid; do
        for _ in $(seq 1 50); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
        kill -KILL "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    rm -rf "$tmp"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# A loopback TCP port nobody is listening on (nginx start is retried if we lose a race).
free_port() {
    local p
    for _ in $(seq 1 100); do
        p=$(((RANDOM % 25000) + 20000))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
            echo "$p"
            return 0
        fi
    done
    return 1
}

# ---- kechuang ----------------------------------------------------------------------
# nginx workers may run as another user when we are root: let them reach www/.
chmod 0755 "$tmp"
mkdir -m 0700 "$tmp/data"
line_buf=()
command -v stdbuf >/dev/null 2>&1 && line_buf=(stdbuf -oL -eL)
"${line_buf[@]}" "$KC_BIN" serve --demo --data "$tmp/data" --listen 127.0.0.1:0 \
    >"$tmp/kc.out" 2>"$tmp/kc.log" &
kc_pid=$!
kc_port=""
for _ in $(seq 1 600); do
    kc_port="$(sed -n 's|.*listening on http://127\.0\.0\.1:\([0-9][0-9]*\).*|\1|p' "$tmp/kc.out" | head -n1)"
    [ -n "$kc_port" ] && break
    kill -0 "$kc_pid" 2>/dev/null || {
        tail -n 20 "$tmp/kc.out" "$tmp/kc.log" >&2
        die "kechuang exited before listening"
    }
    sleep 0.1
done
[ -n "$kc_port" ] || {
    tail -n 20 "$tmp/kc.out" "$tmp/kc.log" >&2
    die "kechuang did not print 'listening on http://127.0.0.1:PORT' within 60 s"
}
kc="http://127.0.0.1:$kc_port"

# Log in as the demo admin; keep the session cookie.
admin_pw="$(awk -F'\t' '!/^#/ && $1 == "admin" { print $2; exit }' "$tmp/data/demo-accounts.txt" 2>/dev/null || true)"
[ -n "$admin_pw" ] || die "no admin account in $tmp/data/demo-accounts.txt"
pw_json="$(printf '%s' "$admin_pw" | sed -e 's/\\/\\\\/g' -e 's/"/\\"/g')"
login_status="$(curl -sS -o "$tmp/login.json" -D "$tmp/login.headers" -w '%{http_code}' \
    -H 'Content-Type: application/json' \
    --data-binary "{\"username\":\"admin\",\"password\":\"$pw_json\"}" "$kc/api/v1/session")" ||
    die "login request failed"
[ "$login_status" = 200 ] || die "login as admin answered $login_status: $(head -c 300 "$tmp/login.json")"
session="$(tr -d '\r' <"$tmp/login.headers" |
    sed -n 's/^[Ss]et-[Cc]ookie:[[:space:]]*kc_session=\([^;]*\).*/\1/p' | head -n1)"
[ -n "$session" ] || die "no kc_session cookie in the login answer"
probe="$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: kc_session=$session" "$kc/api/v1/orgs?page_size=20")"
[ "$probe" = 200 ] || die "GET /api/v1/orgs?page_size=20 with the session answered $probe"

# ---- nginx baseline ----------------------------------------------------------------
mkdir -p "$tmp/nginx/www" "$tmp/nginx/logs"
chmod 0755 "$tmp/nginx" "$tmp/nginx/www"
# A 2 KB (2048-byte) JSON document shaped like a list answer.
{
    printf '{"items":['
    for i in $(seq 1 20); do
        [ "$i" -gt 1 ] && printf ','
        printf '{"id":%d,"name":"benchmark organisation %02d","region_code":"330402"}' "$i" "$i"
    done
    printf '],"total":20,"page":1,"page_size":20,"pad":"'
} >"$tmp/nginx/www/static.json"
size=$(wc -c <"$tmp/nginx/www/static.json")
pad=$((2048 - size - 2))
[ "$pad" -ge 0 ] || die "static JSON template longer than 2 KB"
{
    head -c "$pad" /dev/zero | tr '\0' 'x'
    printf '"}'
} >>"$tmp/nginx/www/static.json"
chmod 0644 "$tmp/nginx/www/static.json"

nginx_port=""
for attempt in 1 2 3 4 5; do
    port="$(free_port)" || die "no free loopback port for nginx"
    user_line=""
    [ "$(id -u)" = 0 ] && user_line="user root;"
    cat >"$tmp/nginx/nginx.conf" <<EOF
$user_line
daemon off;
worker_processes 2;
pid $tmp/nginx/nginx.pid;
error_log $tmp/nginx/error.log;
events { worker_connections 1024; }
http {
    access_log off;
    sendfile on;
    tcp_nopush on;
    keepalive_requests 1000000;
    client_body_temp_path $tmp/nginx/client_body;
    proxy_temp_path $tmp/nginx/proxy;
    fastcgi_temp_path $tmp/nginx/fastcgi;
    uwsgi_temp_path $tmp/nginx/uwsgi;
    scgi_temp_path $tmp/nginx/scgi;
    types { application/json json; }
    default_type application/octet-stream;
    server {
        listen 127.0.0.1:$port;
        root $tmp/nginx/www;
    }
}
EOF
    "$NGINX" -e "$tmp/nginx/error.log" -p "$tmp/nginx" -c "$tmp/nginx/nginx.conf" \
        >"$tmp/nginx/stdout" 2>&1 &
    nginx_pid=$!
    for _ in $(seq 1 50); do
        if [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/static.json" || true)" = 200 ]; then
            nginx_port="$port"
            break
        fi
        kill -0 "$nginx_pid" 2>/dev/null || break
        sleep 0.1
    done
    [ -n "$nginx_port" ] && break
    kill -TERM "$nginx_pid" 2>/dev/null || true
    wait "$nginx_pid" 2>/dev/null || true
    nginx_pid=""
    echo "bench/http.sh: nginx did not start on port $port (attempt $attempt): $(tail -n 3 "$tmp/nginx/error.log" 2>/dev/null)" >&2
done
[ -n "$nginx_port" ] || die "nginx would not start; see the messages above"

# ---- measuring ---------------------------------------------------------------------
# wrk_rps URL [header] — one wrk run; prints requests/s. Warns on stderr when some
# answers were not 2xx/3xx or sockets failed (the figure would then mean little).
wrk_rps() {
    local url=$1 hdr=${2:-} out secs=${3:-$BENCH_SECONDS}
    local args=(-t"$BENCH_THREADS" -c"$BENCH_CONNECTIONS" -d"${secs}s")
    [ -n "$hdr" ] && args+=(-H "$hdr")
    out="$(wrk "${args[@]}" "$url" 2>&1)" || {
        echo "$out" >&2
        die "wrk failed on $url"
    }
    if grep -q 'Non-2xx or 3xx responses' <<<"$out"; then
        echo "bench/http.sh: warning: $url: $(grep 'Non-2xx or 3xx responses' <<<"$out" | tr -s ' ')" >&2
    fi
    if grep -q 'Socket errors' <<<"$out"; then
        echo "bench/http.sh: warning: $url: $(grep 'Socket errors' <<<"$out" | tr -s ' ')" >&2
    fi
    awk '/^Requests\/sec:/ { printf "%.0f\n", $2; found = 1 } END { if (!found) print "0" }' <<<"$out"
}

# median of the arguments (mean of the two middle values for an even count)
median() {
    printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END {
        if (NR % 2) printf "%.0f\n", v[(NR + 1) / 2]; else printf "%.0f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

names=("nginx static 2 KB JSON (baseline)" "kechuang GET /healthz" "kechuang GET /api/v1/orgs?page_size=20 (auth)")
urls=("http://127.0.0.1:$nginx_port/static.json" "$kc/healthz" "$kc/api/v1/orgs?page_size=20")
hdrs=("" "" "Cookie: kc_session=$session")

nginx_version="$("$NGINX" -v 2>&1 | sed 's|.*nginx/||')"
echo "# kechuang HTTP benchmark — baseline: nginx ${nginx_version} serving a static 2 KB JSON file (2 workers, access_log off)"
echo "# wrk -t$BENCH_THREADS -c$BENCH_CONNECTIONS -d${BENCH_SECONDS}s, $BENCH_RUNS runs after a ${BENCH_WARMUP} s warm-up, median requests/s;" \
    "$(nproc) CPUs shared by wrk and the servers; $(basename "$KC_BIN") at $kc"
printf '%-46s %12s  %-32s %9s\n' "target" "median req/s" "runs" "vs nginx"

baseline=""
for i in "${!names[@]}"; do
    [ "$BENCH_WARMUP" -gt 0 ] && wrk_rps "${urls[$i]}" "${hdrs[$i]}" "$BENCH_WARMUP" >/dev/null
    runs=()
    for _ in $(seq 1 "$BENCH_RUNS"); do
        runs+=("$(wrk_rps "${urls[$i]}" "${hdrs[$i]}")")
    done
    med="$(median "${runs[@]}")"
    [ -z "$baseline" ] && baseline="$med"
    if [ "$baseline" -gt 0 ]; then
        ratio="$(awk -v m="$med" -v b="$baseline" 'BEGIN { printf "%.2f", m / b }')"
    else
        ratio="n/a"
    fi
    printf '%-46s %12s  %-32s %9s\n' "${names[$i]}" "$med" "$(
        IFS=' '
        echo "${runs[*]}"
    )" "$ratio"
done
# Still alive after the load?
if ! kill -0 "$kc_pid" 2>/dev/null; then
    tail -n 20 "$tmp/kc.out" "$tmp/kc.log" >&2
    die "kechuang died during the benchmark (its last output is above)"
fi
