/* handlers_deals.h — HTTP handlers of module 3 — the deal pipeline, contracts, roadshows and broker metrics (issue 4). */
#ifndef KC_API_HANDLERS_DEALS_H
#define KC_API_HANDLERS_DEALS_H

struct http_req;

/* api/contracts.c — the technology-contract registry. */
int api_contract_types(struct http_req *r);
int api_contracts_list(struct http_req *r);
int api_contracts_export(struct http_req *r);
int api_contracts_stats(struct http_req *r);
int api_contracts_get(struct http_req *r);
int api_contracts_create(struct http_req *r);
int api_contracts_patch(struct http_req *r);
int api_contracts_delete(struct http_req *r);

/* api/roadshows.c — roadshows (成果推介会). */
int api_roadshows_list(struct http_req *r);
int api_roadshows_get(struct http_req *r);
int api_roadshows_create(struct http_req *r);
int api_roadshows_patch(struct http_req *r);
int api_roadshows_delete(struct http_req *r);

#endif
