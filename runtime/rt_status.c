/*
** rt_status.c — messages for rt_status codes (see rt_status.h).
*/
#include "runtime/rt_config.h"
#include "runtime/rt_status.h"

const char *rt_status_str(rt_status s)
{
#ifdef RT_NO_ERRSTR
    (void)s;
    return "";
#else
    switch (s) {
#define RT_STATUS_CASE(name, value, msg) case name: return msg;
    RT_STATUS_LIST(RT_STATUS_CASE)
#undef RT_STATUS_CASE
    }
    return "unknown status";
#endif
}
