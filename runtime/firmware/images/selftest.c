/*
** selftest.c — the first firmware image: proves the chain (cross build,
** start-up, device library, semihosting output, exit code) end to end, and
** checks the arithmetic the device code's "one semantics" rests on.
**
** It prints deterministic result lines; the same file built for the host
** (with fw_host.c) must print the same lines byte for byte, which
** tests/suites/firmware_qemu.sh checks on every target.  Each line is also
** checked here against a value derived independently of any compiler (the
** derivations are in the comments), so an image that computes something
** wrong fails by itself too.
**
** What it covers:
**   - start-up: initialised .data, zeroed .bss, constant tables in flash;
**   - runtime/rt_status: every code, its name and its message, from the
**     X-macro list (the device library linked into the image);
**   - IEEE-754 single precision as the device code uses it: correctly
**     rounded + - * / and sqrtf, ties-to-even, subnormals not flushed to
**     zero, infinities, NaN (classified, not printed bit by bit: x86 makes
**     0/0 a negative NaN, ARM a positive one — device code must never print
**     raw NaN bits), conversions.  On the M0+ these run through libgcc's
**     soft-float and newlib's sqrtf, on M4F/M7 through the FPU;
**   - integer behaviour the kernels rely on: 64-bit products and division
**     (libgcc helpers on Cortex-M), arithmetic right shift of negative
**     values, truncating division;
**   - the alert line format (fw_put_alert_line) on its edge cases.
*/
#include <math.h>
#include <stdint.h>

#include "runtime/firmware/fw.h"
#include "runtime/rt_status.h"

/* ------------------------------------------------------------ start-up */

static uint32_t selftest_data_probe = 0xC0FFEE01u;   /* lands in .data */
static uint32_t selftest_bss_probe[8];              /* lands in .bss */
static const uint32_t selftest_rodata_probe[2] = { 0x01234567u, 0x89abcdefu };

static void selftest_startup(void)
{
    uint32_t zero = 0;
    size_t i;
    for (i = 0; i < sizeof selftest_bss_probe / sizeof selftest_bss_probe[0]; i++)
        zero |= selftest_bss_probe[i];
    fw_check(selftest_data_probe == 0xC0FFEE01u, "startup: .data initialised");
    fw_check(zero == 0, "startup: .bss zeroed");
    fw_check(selftest_rodata_probe[1] == 0x89abcdefu, "startup: .rodata readable");
    fw_puts("startup ok");
}

/* ------------------------------------------------------------ rt_status */

static void selftest_status(void)
{
    static const struct { int value; const char *name; } codes[] = {
#define SELFTEST_STATUS(name, value, msg) { value, #name },
        RT_STATUS_LIST(SELFTEST_STATUS)
#undef SELFTEST_STATUS
    };
    size_t n = sizeof codes / sizeof codes[0], i, j;
    bool distinct = true;

    for (i = 0; i < n; i++) {
        for (j = i + 1; j < n; j++)
            distinct = distinct && codes[i].value != codes[j].value;
        fw_write("status ");
        fw_put_i32(codes[i].value);
        fw_putc(' ');
        fw_write(codes[i].name);
        fw_putc(' ');
        fw_puts(rt_status_str((rt_status)codes[i].value));
    }
    fw_check(codes[0].value == 0 && RT_OK == 0, "status: RT_OK is 0");
    fw_check(distinct, "status: codes distinct");
    fw_check(rt_status_str(RT_ERR_ARG)[0] == 'i', "status: message of RT_ERR_ARG");
}

/* ------------------------------------------------------------ float */

/*
** Operands come from volatile objects so that the compiler cannot fold the
** operations at compile time (on the host, with the host's arithmetic):
** each operation runs on the target's FPU or soft-float code.
*/
static volatile float selftest_f1 = 1.0f, selftest_f2 = 2.0f, selftest_f3 = 3.0f;
static volatile float selftest_f01 = 0.1f, selftest_f02 = 0.2f, selftest_fhalf = 0.5f;
static volatile float selftest_f2p24 = 16777216.0f, selftest_fzero = 0.0f;
static volatile float selftest_fmin = 1.17549435e-38f;   /* FLT_MIN, 0x00800000 */
static volatile float selftest_fm25 = -2.5f, selftest_f2999 = 2.999f;
static volatile int32_t selftest_i2p24p1 = 16777217;

static uint32_t selftest_bits(float f)
{
    union { float f; uint32_t u; } pun;
    pun.f = f;
    return pun.u;
}

static void selftest_f32_line(const char *what, float got, uint32_t want)
{
    uint32_t bits = selftest_bits(got);
    fw_write("f32 ");
    fw_write(what);
    fw_write(" = ");
    fw_put_hex32(bits);
    fw_putc('\n');
    fw_check(bits == want, what);
}

static void selftest_float(void)
{
    float nan;
    /*
    ** Expected bits derived with exact rational arithmetic rounded to
    ** nearest-even binary32 (not with a C compiler):
    **   1/3 = 1.0101…b x 2^-2: mantissa 0x2AAAAA, rest 0.1010…b > 1/2,
    **         rounds up: 0x3EAAAAAB.
    **   0.1f = 0x3DCCCCCD, 0.2f = 0x3E4CCCCD; their exact sum rounds to
    **         0x3E99999A (which is also 0.3f).
    **   FLT_MIN * 0.5 = 2^-127, the subnormal 0x00400000 (0 if flushed).
    **   2^24 + 3 = 16777219 lies halfway between 16777218 (odd mantissa)
    **         and 16777220 (even): 0x4B800002.
    **   (float)16777217: halfway between 2^24 and 2^24 + 2, even: 0x4B800000.
    **   sqrt(2) = 1.41421356237…, nearest binary32 0x3FB504F3.
    **   1/0 = +inf 0x7F800000; -0 * 1 = -0 0x80000000.
    */
    selftest_f32_line("1/3", selftest_f1 / selftest_f3, 0x3EAAAAABu);
    selftest_f32_line("0.1+0.2", selftest_f01 + selftest_f02, 0x3E99999Au);
    selftest_f32_line("FLT_MIN*0.5", selftest_fmin * selftest_fhalf, 0x00400000u);
    selftest_f32_line("2^24+3", selftest_f2p24 + selftest_f3, 0x4B800002u);
    selftest_f32_line("(float)(2^24+1)", (float)selftest_i2p24p1, 0x4B800000u);
    selftest_f32_line("sqrtf(2)", sqrtf(selftest_f2), 0x3FB504F3u);
    selftest_f32_line("1/0", selftest_f1 / selftest_fzero, 0x7F800000u);
    selftest_f32_line("-0*1", -selftest_fzero * selftest_f1, 0x80000000u);

    nan = selftest_fzero / selftest_fzero;
    fw_write("f32 0/0 is ");
    fw_puts(nan != nan ? "nan" : "not nan");
    fw_check(nan != nan, "0/0 is nan");

    fw_write("i32 (int32)-2.5f = ");
    fw_put_i32((int32_t)selftest_fm25);
    fw_write(", (int32)2.999f = ");
    fw_put_i32((int32_t)selftest_f2999);
    fw_putc('\n');
    fw_check((int32_t)selftest_fm25 == -2 && (int32_t)selftest_f2999 == 2,
             "float to int truncates");
}

/* ------------------------------------------------------------ integers */

static volatile int32_t selftest_imax = INT32_MAX, selftest_m7 = -7, selftest_m5 = -5;
static volatile uint64_t selftest_umax64 = UINT64_MAX;

static void selftest_integers(void)
{
    int64_t sq = (int64_t)selftest_imax * selftest_imax;
    uint64_t q = selftest_umax64 / 10u;
    int32_t sh = selftest_m5 >> 1;

    /* (2^31 - 1)^2 = 2^62 - 2^32 + 1 = 0x3FFFFFFF00000001 = 4611686014132420609 */
    fw_write("i64 INT32_MAX^2 = ");
    fw_put_i64(sq);
    fw_putc('\n');
    fw_check(sq == INT64_C(4611686014132420609), "INT32_MAX squared");

    /* (2^64 - 1) / 10 = 1844674407370955161 rem 5 */
    fw_write("u64 UINT64_MAX/10 = ");
    fw_put_u64(q);
    fw_putc('\n');
    fw_check(q == UINT64_C(1844674407370955161), "UINT64_MAX / 10");

    /* C11 6.5.5: division truncates toward zero; -7 = 2 * -3 + -1 */
    fw_write("i32 -7/2 = ");
    fw_put_i32(selftest_m7 / 2);
    fw_write(", -7%2 = ");
    fw_put_i32(selftest_m7 % 2);
    fw_putc('\n');
    fw_check(selftest_m7 / 2 == -3 && selftest_m7 % 2 == -1, "truncating division");

    /* implementation-defined (C11 6.5.7); gcc: arithmetic, floor(-5/2) = -3 */
    fw_write("i32 -5>>1 = ");
    fw_put_i32(sh);
    fw_putc('\n');
    fw_check(sh == -3, "arithmetic right shift");

    fw_write("i32 INT32_MIN = ");
    fw_put_i32(INT32_MIN);
    fw_write(", i64 INT64_MIN = ");
    fw_put_i64(INT64_MIN);
    fw_putc('\n');
}

/* ------------------------------------------------------------ alert lines */

/*
** The simulator's `--format lines` alert line (sim/alert_json.c,
** docs/traces.md), which per-example firmware must reproduce byte for byte.
** Expected, by the format's definition:
**   -1500 ms        -> "t=-1.500s"
**   5 ms            -> "t=0.005s"; tab, BEL and DEL print as '?'
**   INT64_MIN ms    -> 9223372036854775808 = 9223372036854775 s + 808 ms
**   NULL message    -> empty after ": "
*/
static void selftest_alert_lines(void)
{
    fw_put_alert_line(-1500, "warning", "neg", "time before start");
    fw_put_alert_line(5, "info", "tab\there", "bell\a and del\x7f");
    fw_put_alert_line(INT64_MIN, "critical", "min", "far past");
    fw_put_alert_line(60000, "warning", "empty", 0);
}

int fw_main(void)
{
    fw_puts("tinycep firmware self-test");
    fw_write("# board ");
    fw_puts(fw_board_name());
    selftest_startup();
    selftest_status();
    selftest_float();
    selftest_integers();
    selftest_alert_lines();
    return fw_check_summary();
}
