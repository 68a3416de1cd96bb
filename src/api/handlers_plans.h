/* handlers_plans.h — HTTP handlers of module 7/8 — plans, targets, assessment, cockpit (issue 5). */
#ifndef KC_API_HANDLERS_PLANS_H
#define KC_API_HANDLERS_PLANS_H

struct http_req;

#endif
