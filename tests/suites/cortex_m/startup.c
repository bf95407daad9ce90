/*
** startup.c — minimal Cortex-M start for the cep_cortex_m suite under
** qemu-system-arm -M mps2-an386: a vector table at 0, enable the FPU when
** the build has one, then newlib's semihosting crt0 (_start) runs main.
*/
#include <stdint.h>

extern void _start(void);
extern uint32_t __stack_top;

void Reset_Handler(void);
void Fault_Handler(void);
void _init(void);
void _fini(void);

void _init(void) {}
void _fini(void) {}

void Reset_Handler(void)
{
#if defined(__ARM_FP)
    *(volatile uint32_t *)0xE000ED88u |= 0xFu << 20;   /* CPACR: CP10, CP11 full access */
    __asm volatile("dsb\n isb");
#endif
    _start();
    for (;;) {
    }
}

void Fault_Handler(void)
{
    for (;;) {
    }
}

__attribute__((section(".vectors"), used)) static const void *const vectors[16] = {
    &__stack_top, (const void *)Reset_Handler, (const void *)Fault_Handler, (const void *)Fault_Handler,
    (const void *)Fault_Handler, (const void *)Fault_Handler, (const void *)Fault_Handler, 0, 0, 0, 0,
    (const void *)Fault_Handler, (const void *)Fault_Handler, 0, (const void *)Fault_Handler,
    (const void *)Fault_Handler,
};
