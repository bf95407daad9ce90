/*
** fw_clock.c — the harness's tick counter on Cortex-M: SysTick on the
** processor clock, reloading every 2^24 ticks, extended to 64 bits by
** counting reloads in its interrupt.  SysTick exists on every board we run
** on (it is optional on ARMv6-M, but qemu's micro:bit has it), so one
** implementation serves M0+, M4F and M7; the MPS2 CMSDK timer is used only
** by the calibration image, as an independent second clock.
**
** Under qemu -icount shift=0 ticks are instructions in disguise (fw.h);
** the reload interrupt itself executes a handful of instructions every
** 2^24 ticks (0.0001 % of the count), which the figures include.
*/
#include "runtime/firmware/fw.h"
#include "runtime/firmware/fw_board.h"
#include "runtime/firmware/fw_platform.h"

static volatile uint32_t fw_clock_reloads;   /* SysTick reloads since init */
static uint32_t fw_clock_reload = FW_SYST_RELOAD_MAX;

/*
** The start-up code uses FW_SYST_RELOAD_MAX; the calibration image restarts
** the clock with a short period to exercise the 64-bit extension across
** many reloads.
*/
void fw_clock_init(uint32_t reload)
{
    FW_SYST_CSR = 0;
    fw_clock_reloads = 0;
    fw_clock_reload = reload & FW_SYST_RELOAD_MAX;
    FW_SYST_RVR = fw_clock_reload;
    FW_SYST_CVR = 0;                    /* any write clears it and COUNTFLAG */
    FW_SYST_CSR = FW_SYST_CSR_ENABLE | FW_SYST_CSR_TICKINT | FW_SYST_CSR_CLKSOURCE;
}

void fw_systick_handler(void)
{
    fw_clock_reloads = fw_clock_reloads + 1u;
}

bool fw_clock_available(void)
{
    return true;
}

uint32_t fw_clock_hz(void)
{
    return FW_BOARD_CLOCK_HZ;
}

uint64_t fw_clock_ticks(void)
{
    uint32_t reloads, value, period = fw_clock_reload + 1u;
    /*
    ** The counter runs reload, reload-1, …, 1, 0 and interrupts on reaching
    ** 0, so a period is "0 (reload count just incremented), reload, …, 1":
    ** the position in the period is 0 for value 0, period - value otherwise.
    **
    ** Read the reload count and the counter consistently: retry if the
    ** interrupt ran in between.  If the counter reached 0 but its interrupt
    ** is still pending (we run with interrupts enabled, so only for the few
    ** instructions until it is taken), count the pending reload; a value in
    ** the upper half then belongs to the new period, one in the lower half
    ** was read before the counter reached 0.
    **
    ** Kept short and free of 64-bit division: the instructions after the
    ** read of the counter in one call and before it in the next are
    ** counted in every measurement.
    */
    do {
        reloads = fw_clock_reloads;
        value = FW_SYST_CVR;
    } while (reloads != fw_clock_reloads);
    if ((FW_SCB_ICSR & FW_SCB_ICSR_PENDSTSET) != 0
        && (value == 0 || value > fw_clock_reload / 2u))
        reloads++;
    return (uint64_t)reloads * period + (value == 0 ? 0u : period - value);
}

const char *fw_board_name(void)
{
    return FW_BOARD_NAME;
}
