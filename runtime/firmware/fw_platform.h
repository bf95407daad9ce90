/*
** fw_platform.h — what the harness's portable part (fw_print.c) needs from
** the platform it runs on: a console and a way to stop.  Implemented by
** fw_semihost.c on Cortex-M (under qemu) and by fw_host.c on the host.
** Not for image code: images use fw.h.
*/
#ifndef RUNTIME_FIRMWARE_FW_PLATFORM_H
#define RUNTIME_FIRMWARE_FW_PLATFORM_H

#include <stdint.h>

/* Writes the NUL-terminated string s to the console, unchanged. */
void fw_platform_write(const char *s);

/* Stops the program with exit status code (0…255); output is flushed. */
_Noreturn void fw_platform_exit(int code);

/*
** Cortex-M only (fw_clock.c): (re)starts SysTick with period reload + 1
** ticks (reload 1 … 0xFFFFFF) and resets fw_clock_ticks() to 0; the SysTick
** exception handler.  The start-up code calls fw_clock_init(0xFFFFFF).
*/
void fw_clock_init(uint32_t reload);
void fw_systick_handler(void);

#endif /* RUNTIME_FIRMWARE_FW_PLATFORM_H */
