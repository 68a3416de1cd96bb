/* msg_ladder.c — error messages and field labels of the ladder module (zh / en). */
#include "api/api.h"

#include <stddef.h>

const struct msg msg_ladder_errors[] = {
    {NULL, NULL, NULL},
};

const struct msg msg_ladder_fields[] = {
    {NULL, NULL, NULL},
};
