/* handlers_deals.h — HTTP handlers of module 3 — the deal pipeline, contracts, roadshows and broker metrics (issue 4). */
#ifndef KC_API_HANDLERS_DEALS_H
#define KC_API_HANDLERS_DEALS_H

struct http_req;

#endif
