/*
 * metrics.c — Prometheus counters: requests by route and status, a latency histogram,
 * open connections and database errors. Lock-free (atomics).
 */
#include "http/internal.h"
#include "db/db.h"

#include <stdatomic.h>
#include <stdio.h>

#define MAX_ROUTES 512
static const int statuses[] = {200, 201, 204, 304, 400, 401, 403, 404,
                               405, 409, 413, 422, 429, 499, 500, 503};
#define N_STATUS (sizeof(statuses) / sizeof(statuses[0]))
static const double buckets[] = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                 0.05,   0.1,   0.25,   0.5,   1.0,  2.5};
#define N_BUCKETS (sizeof(buckets) / sizeof(buckets[0]))

/* Row MAX_ROUTES counts requests that matched no route (assets, 404s). */
static atomic_ullong counts[MAX_ROUTES + 1][N_STATUS + 1];
static atomic_ullong hist[N_BUCKETS + 1];
static atomic_ullong hist_sum_us;
static atomic_llong open_conns;

void metrics_request(int route_idx, int status, double seconds)
{
    int row = route_idx >= 0 && route_idx < MAX_ROUTES ? route_idx : MAX_ROUTES;
    size_t col = N_STATUS; /* "other" */
    for (size_t i = 0; i < N_STATUS; i++)
        if (statuses[i] == status)
            col = i;
    atomic_fetch_add(&counts[row][col], 1);
    size_t b = 0;
    while (b < N_BUCKETS && seconds > buckets[b])
        b++;
    atomic_fetch_add(&hist[b], 1);
    atomic_fetch_add(&hist_sum_us, (unsigned long long)(seconds * 1e6));
}

void metrics_connection(int delta)
{
    atomic_fetch_add(&open_conns, delta);
}

/* Writes the Prometheus text exposition. */
void http_metrics(struct buf *out)
{
    buf_puts(out, "# HELP kechuang_http_requests_total HTTP requests by route and status.\n"
                  "# TYPE kechuang_http_requests_total counter\n");
    for (size_t r = 0; r <= MAX_ROUTES; r++) {
        if (r < MAX_ROUTES && r >= http_routes_count)
            continue;
        for (size_t s = 0; s <= N_STATUS; s++) {
            unsigned long long v = atomic_load(&counts[r][s]);
            if (!v)
                continue;
            const char *method = r < MAX_ROUTES ? http_routes[r].method : "-";
            const char *route = r < MAX_ROUTES ? http_routes[r].pattern : "none";
            if (s < N_STATUS)
                buf_printf(out,
                           "kechuang_http_requests_total{method=\"%s\",route=\"%s\","
                           "status=\"%d\"} %llu\n",
                           method, route, statuses[s], v);
            else
                buf_printf(out,
                           "kechuang_http_requests_total{method=\"%s\",route=\"%s\","
                           "status=\"other\"} %llu\n",
                           method, route, v);
        }
    }
    buf_puts(out, "# HELP kechuang_http_request_duration_seconds Request latency.\n"
                  "# TYPE kechuang_http_request_duration_seconds histogram\n");
    unsigned long long cum = 0;
    for (size_t b = 0; b < N_BUCKETS; b++) {
        cum += atomic_load(&hist[b]);
        buf_printf(out, "kechuang_http_request_duration_seconds_bucket{le=\"%g\"} %llu\n",
                   buckets[b], cum);
    }
    cum += atomic_load(&hist[N_BUCKETS]);
    buf_printf(out, "kechuang_http_request_duration_seconds_bucket{le=\"+Inf\"} %llu\n", cum);
    buf_printf(out, "kechuang_http_request_duration_seconds_sum %.6f\n",
               (double)atomic_load(&hist_sum_us) / 1e6);
    buf_printf(out, "kechuang_http_request_duration_seconds_count %llu\n", cum);
    buf_printf(out,
               "# HELP kechuang_http_open_connections Open HTTP connections.\n"
               "# TYPE kechuang_http_open_connections gauge\n"
               "kechuang_http_open_connections %lld\n",
               (long long)atomic_load(&open_conns));
    buf_printf(out,
               "# HELP kechuang_db_errors_total Database errors.\n"
               "# TYPE kechuang_db_errors_total counter\n"
               "kechuang_db_errors_total %llu\n",
               (unsigned long long)db_error_count());
}
