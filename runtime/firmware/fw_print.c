/*
** fw_print.c — the harness's text output, checks and report lines: the
** portable part of the harness, compiled identically for the host and for
** every Cortex-M target so that the result lines they print can be compared
** byte for byte.
**
** Integer-only on purpose: no printf (the firmware must not link newlib's
** stdio), no floating point (the M0+ has no FPU and the harness must not
** depend on soft-float helpers to print).  Output is collected per line and
** handed to the platform at '\n', because one semihosting call per character
** is slow and interleaves badly with qemu's own messages.
*/
#include "runtime/firmware/fw.h"
#include "runtime/firmware/fw_platform.h"

static char fw_line[FW_LINE_MAX + 1];   /* +1 for the NUL */
static size_t fw_line_len;
static uint32_t fw_checks_run;
static uint32_t fw_checks_failed;

void fw_flush(void)
{
    if (fw_line_len == 0)
        return;
    fw_line[fw_line_len] = '\0';
    fw_platform_write(fw_line);
    fw_line_len = 0;
}

void fw_putc(char c)
{
    fw_line[fw_line_len++] = c;
    if (c == '\n' || fw_line_len == FW_LINE_MAX)
        fw_flush();
}

void fw_write(const char *s)
{
    while (*s != '\0')
        fw_putc(*s++);
}

void fw_puts(const char *s)
{
    fw_write(s);
    fw_putc('\n');
}

void fw_put_u64(uint64_t v)
{
    char digits[20];                    /* 2^64 - 1 has 20 digits */
    size_t n = 0;
    do {
        digits[n++] = (char)('0' + (int)(v % 10u));
        v /= 10u;
    } while (v != 0);
    while (n > 0)
        fw_putc(digits[--n]);
}

void fw_put_i64(int64_t v)
{
    if (v < 0) {
        fw_putc('-');
        /* -(v + 1) + 1 keeps INT64_MIN in range. */
        fw_put_u64((uint64_t)(-(v + 1)) + 1u);
    } else {
        fw_put_u64((uint64_t)v);
    }
}

/*
** 32-bit versions divide in 32 bits: on the M0+ this avoids the 64-bit
** division helper for the common case.
*/
void fw_put_u32(uint32_t v)
{
    char digits[10];                    /* 2^32 - 1 has 10 digits */
    size_t n = 0;
    do {
        digits[n++] = (char)('0' + (int)(v % 10u));
        v /= 10u;
    } while (v != 0);
    while (n > 0)
        fw_putc(digits[--n]);
}

void fw_put_i32(int32_t v)
{
    if (v < 0) {
        fw_putc('-');
        fw_put_u32((uint32_t)(-(v + 1)) + 1u);
    } else {
        fw_put_u32((uint32_t)v);
    }
}

void fw_put_hex32(uint32_t v)
{
    static const char hex[] = "0123456789abcdef";
    int shift;
    fw_write("0x");
    for (shift = 28; shift >= 0; shift -= 4)
        fw_putc(hex[(v >> shift) & 0xfu]);
}

/* s with control bytes as '?', as the simulator's line writer does. */
static void fw_write_plain(const char *s)
{
    if (s == NULL)
        return;
    for (; *s != '\0'; s++) {
        unsigned char c = (unsigned char)*s;
        fw_putc(c < 0x20u || c == 0x7fu ? '?' : *s);
    }
}

void fw_put_alert_line(int64_t t_ms, const char *severity, const char *rule,
                       const char *message)
{
    /* Magnitude as unsigned, so INT64_MIN does not overflow. */
    uint64_t m = t_ms < 0 ? (uint64_t)0 - (uint64_t)t_ms : (uint64_t)t_ms;
    uint32_t frac = (uint32_t)(m % 1000u);
    fw_write("t=");
    if (t_ms < 0)
        fw_putc('-');
    fw_put_u64(m / 1000u);
    fw_putc('.');
    fw_putc((char)('0' + frac / 100u));
    fw_putc((char)('0' + frac / 10u % 10u));
    fw_putc((char)('0' + frac % 10u));
    fw_write("s ");
    fw_write_plain(severity);
    fw_putc(' ');
    fw_write_plain(rule);
    fw_write(": ");
    fw_write_plain(message);
    fw_putc('\n');
}

_Noreturn void fw_exit(int code)
{
    uint32_t used = fw_stack_used();
    fw_flush();
    if (used != 0) {
        fw_write("# stack used=");
        fw_put_u32(used);
        fw_write(" free=");
        fw_put_u32(fw_stack_free());
        fw_putc('\n');
    }
    fw_platform_exit(code);
}

void fw_check(bool ok, const char *what)
{
    fw_checks_run++;
    if (!ok) {
        fw_checks_failed++;
        fw_write("FAIL ");
        fw_puts(what);
    }
}

int fw_check_summary(void)
{
    fw_write("checks: ");
    fw_put_u32(fw_checks_run);
    fw_write(" run, ");
    fw_put_u32(fw_checks_failed);
    fw_puts(" failed");
    return fw_checks_failed == 0 ? FW_EXIT_OK : FW_EXIT_FAIL;
}

uint64_t fw_ticks_to_insns(uint64_t ticks)
{
    uint32_t hz = fw_clock_hz();
    if (hz == 0)
        return 0;
    /*
    ** 1 instruction = 1 ns of virtual time under -icount shift=0.  Whole
    ** seconds and the remainder are converted separately so the product
    ** cannot overflow 64 bits (it would after 18 s of ticks * 1e9 done in
    ** one multiplication; this way only after 584 years).
    */
    return (ticks / hz) * 1000000000u + (ticks % hz) * 1000000000u / hz;
}

void fw_report_insns(const char *label, uint64_t ticks, uint32_t n)
{
    uint32_t hz = fw_clock_hz();
    uint64_t insns;
    if (!fw_clock_available() || hz == 0)
        return;
    if (n == 0)
        n = 1;
    insns = fw_ticks_to_insns(ticks);
    fw_write("# insns ");
    fw_write(label);
    fw_write(" total=");
    fw_put_u64(insns);
    fw_write(" n=");
    fw_put_u32(n);
    fw_write(" per=");
    fw_put_u64(insns / n);
    fw_write(" resolution=");
    fw_put_u32((1000000000u + hz - 1u) / hz);
    fw_putc('\n');
}

void fw_meter_init(fw_meter *m)
{
    m->start = 0;
    m->total = 0;
    m->max = 0;
    m->min = UINT64_MAX;
    m->n = 0;
}

void fw_meter_start(fw_meter *m)
{
    m->start = fw_clock_ticks();
}

void fw_meter_add(fw_meter *m, uint64_t ticks)
{
    m->total += ticks;
    if (ticks > m->max)
        m->max = ticks;
    if (ticks < m->min)
        m->min = ticks;
    m->n++;
}

uint64_t fw_meter_stop(fw_meter *m)
{
    uint64_t ticks = fw_clock_ticks() - m->start;
    fw_meter_add(m, ticks);
    return ticks;
}

void fw_meter_report(const fw_meter *m, const char *label)
{
    uint32_t hz = fw_clock_hz();
    uint64_t insns;
    if (!fw_clock_available() || hz == 0 || m->n == 0)
        return;
    insns = fw_ticks_to_insns(m->total);
    fw_write("# insns ");
    fw_write(label);
    fw_write(" total=");
    fw_put_u64(insns);
    fw_write(" n=");
    fw_put_u32(m->n);
    fw_write(" per=");
    fw_put_u64(insns / m->n);
    fw_write(" max=");
    fw_put_u64(fw_ticks_to_insns(m->max));
    fw_write(" min=");
    fw_put_u64(fw_ticks_to_insns(m->min));
    fw_write(" resolution=");
    fw_put_u32((1000000000u + hz - 1u) / hz);
    fw_putc('\n');
}
