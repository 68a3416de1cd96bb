/*
 * timeutil.h — clocks and RFC 3339 formatting.
 */
#ifndef KC_TIMEUTIL_H
#define KC_TIMEUTIL_H

#include <stddef.h>
#include <stdint.h>

/* Seconds since the Unix epoch (wall clock). */
int64_t time_now(void);
/* Monotonic time in nanoseconds, for durations. */
int64_t time_mono_ns(void);
/* Formats t (Unix seconds) as "2026-11-24T08:00:00Z" into out (≥ 21 bytes). */
void time_rfc3339(int64_t t, char *out, size_t cap);
/* Formats the current time with milliseconds into out (≥ 25 bytes). */
void time_rfc3339_ms(char *out, size_t cap);
/* Parses "YYYY-MM-DD" into Unix seconds at 00:00 UTC; returns 0 or -1 when invalid. */
int time_parse_date(const char *s, int64_t *out);

#endif
