/*
** fw_semihost.c — console and exit for the Cortex-M harness, by ARM
** semihosting: the target executes `bkpt 0xab` with an operation number in
** r0 and its argument in r1, and the debugger — here qemu, started with
** `-semihosting-config enable=on,target=native` — performs it on the host.
** (ARM "Semihosting for AArch32 and AArch64", version 2.0.)
**
** Used: SYS_WRITE0 (print a NUL-terminated string), SYS_EXIT with
** ADP_Stopped_ApplicationExit (exit status 0), SYS_EXIT_EXTENDED (the
** same with a status: qemu exits with it).
**
** Without a debugger attached a semihosting bkpt is a fault (HardFault or a
** lockup), so these images are for qemu and debug probes only.
*/
#include <stdint.h>

#include "runtime/firmware/fw_platform.h"

#define FW_SYS_WRITE0        0x04u
#define FW_SYS_EXIT          0x18u
#define FW_SYS_EXIT_EXTENDED 0x20u
#define FW_ADP_STOPPED_APPLICATION_EXIT 0x20026u

static uint32_t fw_semihost_call(uint32_t op, const void *arg)
{
    register uint32_t r0 __asm__("r0") = op;
    register const void *r1 __asm__("r1") = arg;
    __asm__ volatile("bkpt 0xab" : "+r"(r0) : "r"(r1) : "memory");
    return r0;
}

void fw_platform_write(const char *s)
{
    (void)fw_semihost_call(FW_SYS_WRITE0, s);
}

_Noreturn void fw_platform_exit(int code)
{
    /*
    ** On AArch32, SYS_EXIT takes the reason code itself (no status), so a
    ** failing status needs SYS_EXIT_EXTENDED, whose argument block is
    ** {reason, status}.
    */
    static uint32_t block[2];
    block[0] = FW_ADP_STOPPED_APPLICATION_EXIT;
    block[1] = (uint32_t)code & 0xffu;
    if (code == 0)
        (void)fw_semihost_call(FW_SYS_EXIT,
                               (const void *)(uintptr_t)FW_ADP_STOPPED_APPLICATION_EXIT);
    else
        (void)fw_semihost_call(FW_SYS_EXIT_EXTENDED, block);
    for (;;)                            /* no debugger: stop here */
        __asm__ volatile("wfi");
}
