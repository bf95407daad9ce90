/*
** fw.h — the bare-metal test harness of tinycep's firmware builds.
**
** A firmware image is: the device library (cep/, ml/, top-level runtime/ sources, built for
** one Cortex-M target), this harness, and one image file that defines
** fw_main().  The harness owns everything a board needs before and after
** fw_main: the vector table, .data/.bss set-up, the FPU, the cycle clock,
** text output and the exit code.  It runs under qemu-system-arm (MPS2
** AN385/AN386/AN500, BBC micro:bit) with semihosting, and the same image
** file also builds for the host (fw_host.c), so a differential test can
** compare the two outputs byte for byte.
**
** Output conventions (docs/firmware.md): a line that starts with "# " is
** metadata (board, measured instructions) and is excluded from host/target
** comparisons; every other line is a result and must be identical on the
** host and on every target.
**
** The harness never uses floating point or the C library's stdio, so it
** behaves the same on soft-float Cortex-M0+ and on M4F/M7.  None of this is
** compiled into the host library (only top-level runtime/ sources are).
*/
#ifndef RUNTIME_FIRMWARE_FW_H
#define RUNTIME_FIRMWARE_FW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
** Exit codes, seen as qemu's exit status (semihosting SYS_EXIT_EXTENDED)
** or the host process status.
*/
#define FW_EXIT_OK      0   /* every check passed */
#define FW_EXIT_FAIL    1   /* a check in fw_main failed */
#define FW_EXIT_FAULT   3   /* a CPU fault (HardFault, …); details printed */

/*
** The image's entry point, written by each image (runtime/firmware/images/,
** or fw_replay.c for per-example firmware).  Runs in thread mode on the
** main stack, with .data initialised, .bss zeroed, the FPU enabled
** (hard-float targets) and the clock running.  Returns an exit code
** (FW_EXIT_OK, FW_EXIT_FAIL, …).
*/
int fw_main(void);

/* ----------------------------------------------------------- output */

/*
** Text output, line buffered: a line is handed to the console (semihosting
** SYS_WRITE0 on the target, stdout on the host) when '\n' is written, when
** the buffer (FW_LINE_MAX bytes) is full, and on fw_flush/fw_exit.
*/
#define FW_LINE_MAX 128

void fw_putc(char c);
void fw_write(const char *s);            /* s, NUL-terminated, as is */
void fw_puts(const char *s);             /* s then '\n' */
void fw_put_u32(uint32_t v);             /* decimal */
void fw_put_i32(int32_t v);              /* decimal, '-' if negative */
void fw_put_u64(uint64_t v);             /* decimal */
void fw_put_i64(int64_t v);              /* decimal, '-' if negative */
void fw_put_hex32(uint32_t v);           /* "0x" and exactly 8 lower-case digits */
void fw_flush(void);

/* Ends the run: flushes output and exits with code (0…255). */
_Noreturn void fw_exit(int code);

/*
** One alert in the host simulator's `--format lines` format (sim/, docs/
** traces.md), which the firmware must reproduce byte for byte:
**   "t=<seconds>s <severity> <rule>: <message>\n"
** seconds = t_ms / 1000 with exactly three decimals, '-' if negative,
** integer arithmetic only; control bytes (< 0x20, 0x7f) in severity, rule
** and message print as '?'.  NULL strings print as empty.
*/
void fw_put_alert_line(int64_t t_ms, const char *severity, const char *rule,
                       const char *message);

/* ----------------------------------------------------------- checks */

/*
** fw_check: one self-check.  Prints "FAIL <what>" (a result line, so a
** host/target difference shows in the comparison too) when ok is false and
** counts it; fw_check_summary prints "checks: N run, N failed" and returns
** FW_EXIT_OK or FW_EXIT_FAIL for fw_main to return.
*/
void fw_check(bool ok, const char *what);
int fw_check_summary(void);

/* ----------------------------------------------------------- measurement */

/*
** A free-running 64-bit tick counter: SysTick on the processor clock,
** extended past its 24 bits by counting reloads in the SysTick handler.
** Under `qemu-system-arm -icount shift=0` virtual time advances exactly
** 1 ns per executed instruction, so ticks convert to instructions:
**   instructions = ticks * 1e9 / fw_clock_hz()
** (40 per tick on MPS2 boards at 25 MHz, 62.5 on the micro:bit at 16 MHz).
** The resolution is one tick; measure many samples or inferences at once.
** Without icount the figures are meaningless.  On the host the clock is
** not available: fw_clock_ticks() returns 0.
*/
bool fw_clock_available(void);
uint32_t fw_clock_hz(void);              /* tick rate, Hz; 0 on the host */
uint64_t fw_clock_ticks(void);           /* ticks since reset */
uint64_t fw_ticks_to_insns(uint64_t ticks);

/*
** Prints the metadata line
**   "# insns <label> total=<I> n=<n> per=<I/n> resolution=<R>"
** for `ticks` spent on n repetitions (n >= 1) of what is named by label
** (no spaces), where I is fw_ticks_to_insns(ticks) and R the instructions
** per tick rounded up.  Prints nothing on the host.
*/
void fw_report_insns(const char *label, uint64_t ticks, uint32_t n);

/*
** A meter: instructions per call of something measured call by call, with
** the worst case — what "worst-case work per input sample" (DESIGN §3)
** needs.  Each fw_meter_start/fw_meter_stop pair is one measurement, in
** whole ticks (so each is off by less than a tick), and includes the
** instructions of the clock reads and the bookkeeping: 34 per measurement
** on M4F/M7, 100 on the M0+ (calibrated by images/calib.c).  Per-call
** figures are only meaningful for calls much longer than a tick.  Caller storage,
** zero it or call fw_meter_init first.
*/
typedef struct fw_meter {
    uint64_t start;         /* ticks at the pending fw_meter_start */
    uint64_t total;         /* ticks over all measurements */
    uint64_t max;           /* ticks of the longest measurement */
    uint64_t min;           /* ticks of the shortest (UINT64_MAX: none yet) */
    uint32_t n;             /* measurements */
} fw_meter;

void fw_meter_init(fw_meter *m);
void fw_meter_start(fw_meter *m);
/* Ends the measurement started last; returns its ticks. */
uint64_t fw_meter_stop(fw_meter *m);
/* Adds a measurement taken elsewhere (e.g. by another meter's stop). */
void fw_meter_add(fw_meter *m, uint64_t ticks);
/*
** Prints "# insns <label> total=<I> n=<n> per=<I/n> max=<I> min=<I>
** resolution=<R>" (instructions); nothing on the host or when n is 0.
*/
void fw_meter_report(const fw_meter *m, const char *label);

/*
** Stack high-water mark: the start-up code fills the free RAM between .bss
** and the stack pointer with a pattern, and this finds the deepest word
** that no longer holds it, so it is the most stack used so far (by fw_main,
** the device code it calls and the SysTick handler), in bytes; 0 on the
** host.  fw_exit prints it as "# stack used=<bytes> free=<bytes>".
*/
uint32_t fw_stack_used(void);
uint32_t fw_stack_free(void);
/* The stack in use right now (top of RAM minus sp), bytes; 0 on the host. */
uint32_t fw_stack_depth(void);

/* The board the image was linked for ("mps2", "microbit", "host"). */
const char *fw_board_name(void);

#endif /* RUNTIME_FIRMWARE_FW_H */
