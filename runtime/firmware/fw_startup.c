/*
** fw_startup.c — reset to fw_main on Cortex-M, in C: the vector table, the
** reset handler (.data copy, .bss zero, FPU on, clock on, fw_main, exit)
** and fault handlers that say what went wrong instead of hanging.
**
** The core loads the initial stack pointer and the reset handler's address
** from the first two words of the vector table, which the linker script
** places at address 0 (section .vectors), so the reset handler runs on a
** valid stack and can be ordinary C.  ARMv6-M has no VTOR, and at reset
** VTOR is 0 on ARMv7-M, so no relocation is needed.
**
** Linker-script symbols (mps2.ld, microbit.ld) are declared as arrays so
** that only their addresses are used.
*/
#include <stdint.h>

#include "runtime/firmware/fw.h"
#include "runtime/firmware/fw_board.h"
#include "runtime/firmware/fw_platform.h"

extern uint32_t fw_ld_stack_top[];    /* initial main stack pointer */
extern uint32_t fw_ld_data_load[];    /* .data initial values, in flash */
extern uint32_t fw_ld_data_start[];   /* .data in RAM: start and end */
extern uint32_t fw_ld_data_end[];
extern uint32_t fw_ld_bss_start[];    /* .bss: start and end */
extern uint32_t fw_ld_bss_end[];

typedef void fw_handler(void);

void fw_reset_handler(void);
void fw_fault_handler(void);
void fw_fault_report(const uint32_t *frame);

/*
** The vector table: 16 system entries (ARMv7-M ARM, B1.5.2; on ARMv6-M the
** MemManage, BusFault, UsageFault and DebugMonitor entries are reserved)
** and FW_IRQ_COUNT external interrupts, which the harness never enables;
** should one fire, it is reported like a fault.
*/
#define FW_IRQ_COUNT 32

struct fw_vector_table {
    uint32_t *initial_sp;
    fw_handler *system[15];             /* exceptions 1…15 */
    fw_handler *irq[FW_IRQ_COUNT];      /* exceptions 16… */
};

__attribute__((section(".vectors"), used))
static const struct fw_vector_table fw_vectors = {
    .initial_sp = fw_ld_stack_top,
    .system = {
        fw_reset_handler,               /*  1 reset */
        fw_fault_handler,               /*  2 NMI */
        fw_fault_handler,               /*  3 HardFault */
        fw_fault_handler,               /*  4 MemManage */
        fw_fault_handler,               /*  5 BusFault */
        fw_fault_handler,               /*  6 UsageFault */
        0, 0, 0, 0,                     /*  7…10 reserved */
        fw_fault_handler,               /* 11 SVCall */
        fw_fault_handler,               /* 12 DebugMonitor */
        0,                              /* 13 reserved */
        fw_fault_handler,               /* 14 PendSV */
        fw_systick_handler,             /* 15 SysTick */
    },
    .irq = {
#define FW_IRQ4 fw_fault_handler, fw_fault_handler, fw_fault_handler, fw_fault_handler
        FW_IRQ4, FW_IRQ4, FW_IRQ4, FW_IRQ4, FW_IRQ4, FW_IRQ4, FW_IRQ4, FW_IRQ4,
#undef FW_IRQ4
    },
};

/*
** The stack pattern: the free RAM between .bss and the stack is filled with
** it at reset; fw_stack_used() finds the deepest word that lost it.  (A
** function that stores this very value at its deepest point would be
** under-counted by a word or so: harmless for a high-water mark.)
*/
#define FW_STACK_PAINT 0x57AC57ACu
/*
** Paints up to this function's own stack pointer: nothing lives below it
** (the loop calls nothing and no interrupt is enabled yet), and everything
** above it is in use by the reset path, so it counts as used.
*/
static void fw_stack_paint(void)
{
    uint32_t *p, *end;
    uintptr_t sp;
    __asm__ volatile("mov %0, sp" : "=r"(sp));
    end = (uint32_t *)(sp & ~(uintptr_t)3u);
    for (p = fw_ld_bss_end; p < end; p++)
        *p = FW_STACK_PAINT;
}

uint32_t fw_stack_used(void)
{
    const uint32_t *p = fw_ld_bss_end;
    while (p < fw_ld_stack_top && *p == FW_STACK_PAINT)
        p++;
    return (uint32_t)((uintptr_t)fw_ld_stack_top - (uintptr_t)p);
}

uint32_t fw_stack_depth(void)
{
    uintptr_t sp;
    __asm__ volatile("mov %0, sp" : "=r"(sp));
    return (uint32_t)((uintptr_t)fw_ld_stack_top - sp);
}

uint32_t fw_stack_free(void)
{
    return (uint32_t)((uintptr_t)fw_ld_stack_top - (uintptr_t)fw_ld_bss_end)
           - fw_stack_used();
}

void fw_reset_handler(void)
{
    const uint32_t *src = fw_ld_data_load;
    uint32_t *dst;

    for (dst = fw_ld_data_start; dst < fw_ld_data_end; dst++)
        *dst = *src++;
    for (dst = fw_ld_bss_start; dst < fw_ld_bss_end; dst++)
        *dst = 0;
    fw_stack_paint();
#if defined(__ARM_FP)
    /*
    ** Full access to CP10/CP11 (the FPU) before the first floating-point
    ** instruction, else it faults (NOCP UsageFault).  This function itself
    ** contains none.  The barriers make the new access rights visible to
    ** the instructions that follow.
    */
    FW_SCB_CPACR |= 0xFu << 20;
    __asm__ volatile("dsb\n\tisb" ::: "memory");
#endif
    fw_clock_init(FW_SYST_RELOAD_MAX);
    fw_exit(fw_main());
}

/*
** Every unexpected exception lands here.  The exception frame the core
** pushed (r0-r3, r12, lr, pc, xPSR) is on the main stack — the harness
** never switches to the process stack — so pass its address to C.
** Naked: no prologue may move sp before it is read.  `bx` rather than `b`
** because a Thumb-1 (ARMv6-M) branch reaches only ±2 KB.
*/
__attribute__((naked)) void fw_fault_handler(void)
{
    __asm__ volatile(
        "mrs r0, msp\n\t"
        "ldr r1, =fw_fault_report\n\t"
        "bx r1\n\t"
        ".ltorg");
}

void fw_fault_report(const uint32_t *frame)
{
    uint32_t ipsr;
    __asm__ volatile("mrs %0, ipsr" : "=r"(ipsr));
    fw_flush();
    fw_write("FAULT exception=");
    fw_put_u32(ipsr & 0x1ffu);
    fw_write(" pc=");
    fw_put_hex32(frame[6]);
    fw_write(" lr=");
    fw_put_hex32(frame[5]);
    fw_putc('\n');
    fw_exit(FW_EXIT_FAULT);
}
