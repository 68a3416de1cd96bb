/* msg_plans.c — error messages and field labels of the plans module (zh / en). */
#include "api/api.h"

#include <stddef.h>

const struct msg msg_plans_errors[] = {
    {NULL, NULL, NULL},
};

const struct msg msg_plans_fields[] = {
    {NULL, NULL, NULL},
};
