/* handlers_ladder.h — HTTP handlers of module 2 — enterprises and the cultivation ladder (issue 3). */
#ifndef KC_API_HANDLERS_LADDER_H
#define KC_API_HANDLERS_LADDER_H

struct http_req;

#endif
