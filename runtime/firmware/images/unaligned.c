/*
** unaligned.c — shows why the M0+ build runs on the micro:bit: a 32-bit
** load from an address that is not a multiple of 4 is fine on ARMv7-M
** (Cortex-M3/M4/M7 with CCR.UNALIGN_TRP clear, the reset state) but faults
** on ARMv6-M (Cortex-M0/M0+, where unaligned LDR always traps).  Device
** code that reads a multi-byte value through a cast pointer into a byte
** buffer works on the M4 and crashes an M0+; this image is the proof that
** the firmware tests would catch it.
**
** Expected (tests/suites/firmware_qemu.sh): on mps2-an386/an500 the line
** "unaligned load = 0x05040302" (bytes 2, 3, 4, 5, little-endian) and exit
** 0; on the micro:bit a FAULT line and exit 3.
*/
#include <stdint.h>

#include "runtime/firmware/fw.h"

static uint8_t unaligned_bytes[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };

int fw_main(void)
{
    /* Through uintptr_t so the compiler neither warns nor splits the load. */
    volatile const uint32_t *p =
        (volatile const uint32_t *)((uintptr_t)unaligned_bytes + 1u);
    uint32_t v;
    fw_puts("unaligned: loading a word from an odd address");
    v = *p;
    fw_write("unaligned load = ");
    fw_put_hex32(v);
    fw_putc('\n');
    return v == 0x05040302u ? FW_EXIT_OK : FW_EXIT_FAIL;
}
