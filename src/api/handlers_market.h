/* handlers_market.h — HTTP handlers of module 3 — technology market (issue 4). */
#ifndef KC_API_HANDLERS_MARKET_H
#define KC_API_HANDLERS_MARKET_H

struct http_req;

#endif
