/* handlers_points.h — HTTP handlers of the 创新积分 engine, the cultivation pools (培育库)
 * and the ladder funnel (module 2, issue 3 part C; docs/api-points.md). */
#ifndef KC_API_HANDLERS_POINTS_H
#define KC_API_HANDLERS_POINTS_H

struct http_req;

/* api/points.c */
int api_points_dictionary(struct http_req *r);
int api_points_config(struct http_req *r);
int api_points_configs_list(struct http_req *r);
int api_points_configs_get(struct http_req *r);
int api_points_configs_create(struct http_req *r);
int api_points_league(struct http_req *r);
int api_points_league_export(struct http_req *r);
int api_points_firm(struct http_req *r);
/* api/ladder_pools.c */
int api_ladder_pools(struct http_req *r);
int api_ladder_pools_export(struct http_req *r);
int api_ladder_margins_get(struct http_req *r);
int api_ladder_margins_put(struct http_req *r);
int api_ladder_margins_delete(struct http_req *r);
/* api/ladder_funnel.c */
int api_ladder_funnel(struct http_req *r);
int api_ladder_funnel_firms(struct http_req *r);
int api_ladder_funnel_firms_export(struct http_req *r);

#endif
