/*
** fw_host.c — the harness's platform layer on the host: console on stdout,
** exit by exit(), no clock.  Linking an image file (which defines fw_main)
** with this, fw_print.c and the host library gives a host program that
** prints the same result lines as the firmware under qemu; the firmware
** tests compare the two.
*/
#include <stdio.h>
#include <stdlib.h>

#include "runtime/firmware/fw.h"
#include "runtime/firmware/fw_platform.h"

void fw_platform_write(const char *s)
{
    fputs(s, stdout);
}

_Noreturn void fw_platform_exit(int code)
{
    if (fflush(stdout) != 0) {
        perror("fw: stdout");
        exit(FW_EXIT_FAIL);
    }
    exit(code);
}

bool fw_clock_available(void)
{
    return false;
}

uint32_t fw_clock_hz(void)
{
    return 0;
}

uint64_t fw_clock_ticks(void)
{
    return 0;
}

uint32_t fw_stack_used(void)
{
    return 0;
}

uint32_t fw_stack_free(void)
{
    return 0;
}

uint32_t fw_stack_depth(void)
{
    return 0;
}

const char *fw_board_name(void)
{
    return "host";
}

int main(void)
{
    fw_exit(fw_main());
}
