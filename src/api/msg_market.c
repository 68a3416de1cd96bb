/* msg_market.c — error messages and field labels of the market module (zh / en). */
#include "api/api.h"

#include <stddef.h>

const struct msg msg_market_errors[] = {
    {NULL, NULL, NULL},
};

const struct msg msg_market_fields[] = {
    {NULL, NULL, NULL},
};
