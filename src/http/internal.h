/*
 * internal.h — what the HTTP modules share among themselves (not for handlers).
 */
#ifndef KC_HTTP_INTERNAL_H
#define KC_HTTP_INTERNAL_H

#include "http/http.h"

struct MHD_Response;

/* Finds the route, authenticates, checks CSRF and capability, runs the handler or
 * serves an embedded asset. Always leaves a reply on r. */
void router_dispatch(struct http_req *r, size_t body_limit);
/* Finds r's route by method and path (fills r->route_idx and the path parameters);
 * returns its index or -1. Does not reply. */
int router_find(struct http_req *r);
/* Checks query UTF-8, session, CSRF and capability for r's route before its body is
 * read; on failure replies and returns false. Sets r->admitted. */
bool router_admit(struct http_req *r);
/* Stores resp as r's reply with the common security headers. */
void http_set_response(struct http_req *r, int status, struct MHD_Response *resp);
/* Serves an embedded web asset for a GET outside /api (SPA fallback to index.html).
 * Returns 0 when it replied, KC_ERR_NOT_FOUND otherwise. */
int assets_serve(struct http_req *r);
/* Counts one finished request (route index -1 for none). */
void metrics_request(int route_idx, int status, double seconds);
/* Adjusts the open-connection gauge. */
void metrics_connection(int delta);

#endif
