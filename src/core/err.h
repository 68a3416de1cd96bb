/*
 * err.h — the platform's error codes.
 *
 * Fallible functions return 0 on success or one of these negative values. The API
 * layer maps each to an HTTP status in exactly one place (api/api.c).
 */
#ifndef KC_ERR_H
#define KC_ERR_H

/* Error codes: every fallible function returns 0 or one of these. */
enum kc_err {
    KC_OK = 0,
    KC_ERR_INVALID = -1,    /* input fails validation (422) */
    KC_ERR_NOT_FOUND = -2,  /* no such record, or outside the caller's scope (404) */
    KC_ERR_CONFLICT = -3,   /* unique constraint or state conflict (409) */
    KC_ERR_FORBIDDEN = -4,  /* the caller lacks the capability (403) */
    KC_ERR_AUTH = -5,       /* not logged in / bad credentials (401) */
    KC_ERR_LOCKED = -6,     /* too many attempts (429) */
    KC_ERR_DB = -7,         /* database failure (500) */
    KC_ERR_IO = -8,         /* file or system failure (500) */
    KC_ERR_TOO_LARGE = -9,  /* input larger than allowed (413) */
    KC_ERR_BAD_REQUEST = -10 /* malformed request (400) */
};

/* Marks a function whose result must be checked. */
#define KC_MUST_CHECK __attribute__((warn_unused_result))

#endif
