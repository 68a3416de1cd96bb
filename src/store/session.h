/*
 * session.h — login sessions kept in the database, and the login lockout.
 */
#ifndef KC_STORE_SESSION_H
#define KC_STORE_SESSION_H

#include "core/err.h"
#include "crypto/token.h"
#include "domain/auth.h"

#include <stdbool.h>

struct db;

#define SESSION_COOKIE "kc_session"
#define LOGIN_MAX_FAILURES 5          /* wrong passwords before the account locks */
#define LOGIN_LOCK_SECONDS (15 * 60)  /* lock duration */

/* Session lifetimes in seconds (set from the command line at start). */
extern int session_idle_s;     /* idle expiry */
extern int session_absolute_s; /* absolute expiry */

/* Loads the session for a cookie token into u (with its scope). Expired sessions are
 * deleted. Returns 0 or KC_ERR_AUTH (unknown, expired, or user disabled). */
int session_load(struct db *db, const char *token, struct auth_user *u) KC_MUST_CHECK;
/* Loads the user of a bearer API token (prefix "kct_") into u. Revoked or expired
 * tokens and disabled users answer KC_ERR_AUTH. u->session_id is 0 and u->csrf empty:
 * bearer requests carry no cookie, so they need no CSRF token. */
int session_load_token(struct db *db, const char *token, struct auth_user *u) KC_MUST_CHECK;
/* True when t is the session's CSRF token (constant time). */
bool session_csrf_ok(const struct auth_user *u, const char *t);

/* Result of a login attempt. */
enum login_result {
    LOGIN_OK = 0,
    LOGIN_BAD = KC_ERR_AUTH,     /* unknown user, wrong password or disabled */
    LOGIN_LOCKED = KC_ERR_LOCKED /* too many failures: try again later */
};

/* Checks credentials, applies the lockout, records the attempt (login_attempts and the
 * audit log on success) and creates a session. On LOGIN_OK fills u, token and csrf. */
int session_login(struct db *db, const char *username, const char *password, const char *ip,
                  struct auth_user *u, char token[TOKEN_HEX]);
/* Deletes the session (logout) and audits it. */
int session_logout(struct db *db, const struct auth_user *u, const char *ip) KC_MUST_CHECK;
/* Reloads u's user fields after a change (lang, display name). */
int session_reload_user(struct db *db, struct auth_user *u) KC_MUST_CHECK;

#endif
