/*
** fw_board.h — the boards the harness runs on, all emulated by
** qemu-system-arm.  The build defines exactly one FW_BOARD_* (mk/firmware.mk
** picks it per target):
**
**   FW_BOARD_MPS2      ARM MPS2 FPGA images: AN385 (Cortex-M3), AN386
**                      (Cortex-M4), AN500 (Cortex-M7).  Code in ZBT SSRAM1
**                      at 0x00000000, data in SSRAM2/3 at 0x20000000
**                      (linker script mps2.ld).  SysTick's processor clock
**                      and the CMSDK APB timers run at 25 MHz.
**   FW_BOARD_MICROBIT  BBC micro:bit, nRF51822 (Cortex-M0, ARMv6-M): 256 KB
**                      flash at 0x00000000, 16 KB RAM at 0x20000000
**                      (microbit.ld; microbit64.ld for the m0plus64 target,
**                      qemu's nRF51 given 64 KB of SRAM).  SysTick's
**                      processor clock is 16 MHz.
*/
#ifndef RUNTIME_FIRMWARE_FW_BOARD_H
#define RUNTIME_FIRMWARE_FW_BOARD_H

#include <stdint.h>

#if defined(FW_BOARD_MPS2)
#define FW_BOARD_NAME      "mps2"
#define FW_BOARD_CLOCK_HZ  25000000u
/* CMSDK APB timer 0 (a 32-bit down counter on the 25 MHz peripheral clock). */
#define FW_BOARD_HAS_CMSDK_TIMER 1
#define FW_CMSDK_TIMER0_BASE 0x40000000u
#elif defined(FW_BOARD_MICROBIT)
#define FW_BOARD_NAME      "microbit"
#define FW_BOARD_CLOCK_HZ  16000000u
#define FW_BOARD_HAS_CMSDK_TIMER 0
#else
#error "define one FW_BOARD_* (see runtime/firmware/fw_board.h)"
#endif

/* System control registers common to ARMv6-M and ARMv7-M (ARMv7-M ARM, B3.2). */
#define FW_REG(addr) (*(volatile uint32_t *)(uintptr_t)(addr))
#define FW_SYST_CSR   FW_REG(0xE000E010u)   /* SysTick control and status */
#define FW_SYST_RVR   FW_REG(0xE000E014u)   /* SysTick reload value */
#define FW_SYST_CVR   FW_REG(0xE000E018u)   /* SysTick current value */
#define FW_SCB_CPUID  FW_REG(0xE000ED00u)
#define FW_SCB_ICSR   FW_REG(0xE000ED04u)   /* interrupt control and state */
#define FW_SCB_CPACR  FW_REG(0xE000ED88u)   /* coprocessor access (v7-M only) */

#define FW_SYST_CSR_ENABLE     (1u << 0)
#define FW_SYST_CSR_TICKINT    (1u << 1)
#define FW_SYST_CSR_CLKSOURCE  (1u << 2)    /* 1: processor clock */
#define FW_SCB_ICSR_PENDSTSET  (1u << 26)
#define FW_SYST_RELOAD_MAX     0x00FFFFFFu  /* 24-bit counter */

#endif /* RUNTIME_FIRMWARE_FW_BOARD_H */
