/*
** calib.c — calibration of the harness's instruction measurement.
**
** Runs a loop of exactly known length — `subs; bne`, 2 instructions per
** iteration, written in assembly so no compiler can change it — and
** measures it with fw_clock_ticks() (SysTick) and, on MPS2 boards, with the
** CMSDK APB timer 0 as an independent second clock.  Run under
** `qemu-system-arm -icount shift=0` (1 ns of virtual time per instruction),
** both must give 2 * CALIB_ITERATIONS instructions, give or take one tick
** (the resolution: 40 instructions at 25 MHz, 62.5 at 16 MHz) and the few
** instructions of the measurement itself.
**
** It then restarts SysTick with a 2^16-tick period and measures the same
** loop across ~8 reloads (the 64-bit extension in fw_clock.c must not lose
** or double-count one), and samples the clock back to back across reloads
** to check it never goes backwards or jumps.  Then the call-by-call meter
** (fw_meter) on loops of known length, and the stack high-water mark
** (fw_stack_used) against a function with a known frame.
**
** Target-only (the host has no clock).  Exit 0 when every figure is in its
** band; the numbers are printed as result lines for the bench and the docs.
*/
#include <stdint.h>

#include "runtime/firmware/fw.h"
#include "runtime/firmware/fw_board.h"
#include "runtime/firmware/fw_platform.h"

#define CALIB_ITERATIONS 10000000u     /* 20 M instructions, as BASELINES.md */
#define CALIB_SHORT_RELOAD 0xFFFFu      /* 65,536-tick SysTick period */

/*
** Exactly 2 * n instructions for n >= 1 (the subs and the bne of each
** turn).  GCC hands Thumb-1 inline assembly to the assembler in the old
** "divided" syntax, where this `subs` does not exist: switch to unified
** syntax for the loop and back.
*/
#if defined(__thumb2__)
#define CALIB_ASM_UNIFIED ""
#define CALIB_ASM_RESTORE ""
#else
#define CALIB_ASM_UNIFIED ".syntax unified\n\t"
#define CALIB_ASM_RESTORE "\n\t.syntax divided"
#endif

static void calib_loop(uint32_t n)
{
    __asm__ volatile(
        CALIB_ASM_UNIFIED
        "1: subs %0, %0, #1\n\t"
        "bne 1b"
        CALIB_ASM_RESTORE
        : "+l"(n) : : "cc");
}

/*
** Instructions the measurement adds on top of the loop: the tail of the
** first fw_clock_ticks() call, the call of calib_loop with its set-up and
** return, the head of the second fw_clock_ticks() call.  A few dozen;
** allow 100.
*/
#define CALIB_OVERHEAD_MAX 100u

static uint32_t calib_resolution(void)
{
    return (1000000000u + fw_clock_hz() - 1u) / fw_clock_hz();
}

/* Prints "calib <what> ticks=<T> insns=<I>" and checks I's band. */
static void calib_report(const char *what, uint64_t ticks)
{
    uint64_t insns = fw_ticks_to_insns(ticks);
    uint64_t want = 2u * (uint64_t)CALIB_ITERATIONS;
    uint32_t res = calib_resolution();
    fw_write("calib ");
    fw_write(what);
    fw_write(" ticks=");
    fw_put_u64(ticks);
    fw_write(" insns=");
    fw_put_u64(insns);
    fw_write(" expected=");
    fw_put_u64(want);
    fw_write("..");
    fw_put_u64(want + CALIB_OVERHEAD_MAX + res);
    fw_putc('\n');
    /* A tick boundary can fall anywhere: the count is floor-ed by < 1 tick. */
    fw_check(insns + res >= want && insns <= want + CALIB_OVERHEAD_MAX + res, what);
}

#if FW_BOARD_HAS_CMSDK_TIMER
#define CALIB_TIMER0_CTRL   FW_REG(FW_CMSDK_TIMER0_BASE + 0x0u)
#define CALIB_TIMER0_VALUE  FW_REG(FW_CMSDK_TIMER0_BASE + 0x4u)
#define CALIB_TIMER0_RELOAD FW_REG(FW_CMSDK_TIMER0_BASE + 0x8u)

static void calib_cmsdk_timer(void)
{
    uint32_t before, after;
    CALIB_TIMER0_CTRL = 0;
    CALIB_TIMER0_RELOAD = 0xFFFFFFFFu;
    CALIB_TIMER0_VALUE = 0xFFFFFFFFu;
    CALIB_TIMER0_CTRL = 1u;             /* enable, clocked by PCLK (25 MHz) */
    before = CALIB_TIMER0_VALUE;
    calib_loop(CALIB_ITERATIONS);
    after = CALIB_TIMER0_VALUE;         /* counts down; 171 s to wrap */
    calib_report("cmsdk-timer0", before - after);
}
#endif

/*
** Samples the clock back to back over `reloads` SysTick periods: every
** step must be forward and small (one fw_clock_ticks() call is a few dozen
** instructions, so at most a couple of ticks).
*/
static void calib_monotonic(uint32_t reloads)
{
    uint64_t end = (uint64_t)reloads * (CALIB_SHORT_RELOAD + 1u);
    uint64_t prev = fw_clock_ticks(), now, max_step = 0;
    uint32_t samples = 0;
    bool backwards = false;
    do {
        now = fw_clock_ticks();
        if (now < prev)
            backwards = true;
        else if (now - prev > max_step)
            max_step = now - prev;
        prev = now;
        samples++;
    } while (now < end && !backwards);
    fw_write("calib monotonic samples=");
    fw_put_u32(samples);
    fw_write(" max-step-ticks=");
    fw_put_u64(max_step);
    fw_puts(backwards ? " backwards" : "");
    fw_check(!backwards, "clock never goes backwards");
    fw_check(max_step <= 4u, "clock never jumps");
}

/*
** The stack high-water mark: a function whose frame holds a 2048-byte
** array that it writes completely, called at stack depth d, must raise
** fw_stack_used() to at least d + 2048 bytes, and to not much more (its
** frame's bookkeeping: saved registers, alignment).
*/
#define CALIB_STACK_BYTES 2048u
#define CALIB_STACK_SLACK 64u

static __attribute__((noinline)) uint32_t calib_stack_user(void)
{
    volatile uint8_t buf[CALIB_STACK_BYTES];
    uint32_t i;
    for (i = 0; i < CALIB_STACK_BYTES; i++)
        buf[i] = (uint8_t)(i + 1u);     /* never the paint pattern's bytes in a row */
    return buf[0];
}

static void calib_stack(void)
{
    uint32_t depth = fw_stack_depth(), used;
    bool ran = calib_stack_user() == 1u;
    used = fw_stack_used();
    fw_write("calib stack depth=");
    fw_put_u32(depth);
    fw_write(" used=");
    fw_put_u32(used);
    fw_write(" expected=");
    fw_put_u32(depth + CALIB_STACK_BYTES);
    fw_write("..");
    fw_put_u32(depth + CALIB_STACK_BYTES + CALIB_STACK_SLACK);
    fw_putc('\n');
    fw_check(ran && used >= depth + CALIB_STACK_BYTES
             && used <= depth + CALIB_STACK_BYTES + CALIB_STACK_SLACK,
             "stack high-water mark");
}

/*
** The meter, call by call: 100 calls of a 20,000-instruction loop (the
** first 10 of them made 40,000 long, so max and min differ by a known
** 20,000).  Each call is measured in whole ticks, so per-call figures are
** within a tick (plus the measurement's own instructions) of the truth.
*/
static void calib_meter(void)
{
    fw_meter m;
    uint32_t i, res = calib_resolution();
    fw_meter_init(&m);
    for (i = 0; i < 100u; i++) {
        fw_meter_start(&m);
        calib_loop(i < 10u ? 20000u : 10000u);
        fw_meter_stop(&m);
    }
    fw_meter_report(&m, "calib-meter");
    fw_write("calib meter n=");
    fw_put_u32(m.n);
    fw_write(" max=");
    fw_put_u64(fw_ticks_to_insns(m.max));
    fw_write(" min=");
    fw_put_u64(fw_ticks_to_insns(m.min));
    fw_write(" total=");
    fw_put_u64(fw_ticks_to_insns(m.total));
    fw_putc('\n');
    /* 10 x 40,000 + 90 x 20,000 = 2,200,000 instructions in all. */
    fw_check(m.n == 100u, "meter count");
    fw_check(fw_ticks_to_insns(m.max) + res >= 40000u
             && fw_ticks_to_insns(m.max) <= 40000u + CALIB_OVERHEAD_MAX + res, "meter max");
    fw_check(fw_ticks_to_insns(m.min) + res >= 20000u
             && fw_ticks_to_insns(m.min) <= 20000u + CALIB_OVERHEAD_MAX + res, "meter min");
    fw_check(fw_ticks_to_insns(m.total) + 100u * res >= 2200000u
             && fw_ticks_to_insns(m.total) <= 2200000u + 100u * (CALIB_OVERHEAD_MAX + res),
             "meter total");
}

int fw_main(void)
{
    uint64_t t0, t1;

    fw_write("# board ");
    fw_puts(fw_board_name());
    fw_write("calib iterations=");
    fw_put_u32(CALIB_ITERATIONS);
    fw_write(" clock-hz=");
    fw_put_u32(fw_clock_hz());
    fw_write(" resolution=");
    fw_put_u32(calib_resolution());
    fw_putc('\n');

    t0 = fw_clock_ticks();
    calib_loop(CALIB_ITERATIONS);
    t1 = fw_clock_ticks();
    calib_report("systick", t1 - t0);
    fw_report_insns("calib-loop-iteration", t1 - t0, CALIB_ITERATIONS);

#if FW_BOARD_HAS_CMSDK_TIMER
    calib_cmsdk_timer();
#endif

    fw_clock_init(CALIB_SHORT_RELOAD);
    t0 = fw_clock_ticks();
    calib_loop(CALIB_ITERATIONS);
    t1 = fw_clock_ticks();
    calib_report("systick-short-period", t1 - t0);

    fw_clock_init(CALIB_SHORT_RELOAD);
    calib_monotonic(8);
    calib_meter();
    calib_stack();
    return fw_check_summary();
}
