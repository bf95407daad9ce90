/*
** fault.c — an image that faults on purpose, to test the harness's fault
** path: the fault handler must print where it happened and end the run
** with FW_EXIT_FAULT (3) instead of hanging qemu until the time-out.
**
** `udf` (permanently undefined, ARMv6-M and ARMv7-M) faults on every core:
** a UsageFault escalated to HardFault (exception 3) since the harness
** enables no configurable fault handler.
*/
#include "runtime/firmware/fw.h"

int fw_main(void)
{
    fw_puts("fault: executing udf");
    __asm__ volatile("udf #0");
    fw_puts("fault: still running after udf");
    return FW_EXIT_FAIL;
}
