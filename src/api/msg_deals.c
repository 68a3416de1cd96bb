/* msg_deals.c — error messages and field labels of the deals module (zh / en). */
#include "api/api.h"

#include <stddef.h>

const struct msg msg_deals_errors[] = {
    {NULL, NULL, NULL},
};

const struct msg msg_deals_fields[] = {
    {NULL, NULL, NULL},
};
