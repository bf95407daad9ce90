/*
** format.c — cep_format_number (cep/format.c), the formatter of alert
** messages, on every target against the host: the exact decimal expansion
** and its rounding are 384-bit integer arithmetic, whose 64-bit divisions
** are libgcc calls on the M0+, so the same bytes everywhere is a claim to
** test, not to assume.  Hand-picked edge values (ties, carries into the
** exponent, subnormals, FLT_MAX, zeros, NaN and infinities) in every
** conversion print one line each; then 20,000 random floats (raw bit
** patterns and sensor-like magnitudes) in random formats print one FNV-1a
** hash per conversion.  The expected values are the host's, compared by
** tests/suites/firmware_diff.sh; the host's own correctness against printf
** is tests/unit/test_cep_format.c.
*/
#include <stdint.h>

#include "cep/cep.h"
#include "runtime/firmware/fw.h"

static uint32_t fmt_rng = 0x9E3779B9u;

/* xorshift32: deterministic and identical on every platform. */
static uint32_t fmt_next(void)
{
    fmt_rng ^= fmt_rng << 13;
    fmt_rng ^= fmt_rng >> 17;
    fmt_rng ^= fmt_rng << 5;
    return fmt_rng;
}

static float fmt_bits(uint32_t u)
{
    union { uint32_t u; float f; } x;
    x.u = u;
    return x.f;
}

static const char fmt_conv_char[CEP_FMT_COUNT_] = {
#define FMT_X(name, c) c,
    CEP_FMT_LIST(FMT_X)
#undef FMT_X
};

/* "<bits> <conv> p<prec> w<width> f<flags> [<text>]" */
static void fmt_line(uint32_t bits, unsigned prec, unsigned width, unsigned fmt)
{
    char buf[160];
    cep_format_number(buf, sizeof buf, fmt_bits(bits), prec, width, fmt);
    fw_put_hex32(bits);
    fw_putc(' ');
    fw_putc(fmt_conv_char[fmt & CEP_FMT_CONV]);
    fw_write(" p");
    fw_put_u32(prec);
    fw_write(" w");
    fw_put_u32(width);
    fw_write(" f");
    fw_put_u32(fmt & CEP_FMT_FLAGS);
    fw_write(" [");
    fw_write(buf);
    fw_puts("]");
}

int fw_main(void)
{
    static const uint32_t edge[] = {
        0x00000000u, 0x80000000u,   /* +0, -0 */
        0x3f900000u, 0xbf900000u,   /* 1.125, -1.125: ties at 2 decimals */
        0x411f8000u,                /* 9.96875: carries into the exponent */
        0x3e000000u,                /* 0.125 */
        0x437f8000u,                /* 255.5 */
        0x00000001u, 0x00800000u,   /* the smallest subnormal and normal */
        0x7f7fffffu, 0xff7fffffu,   /* +-FLT_MAX */
        0x7f800000u, 0xff800000u,   /* +-inf */
        0x7fc00000u,                /* NaN */
        0x3dcccccdu,                /* 0.1 */
        0x4e6e6b28u,                /* 1e9 */
    };
    static const struct { unsigned prec, width, fmt; } forms[] = {
        { CEP_PREC_AUTO, 0, CEP_FMT_F }, { 9, 0, CEP_FMT_F }, { 2, 12, CEP_FMT_F | CEP_FMT_ZERO },
        { CEP_PREC_AUTO, 8, CEP_FMT_D | CEP_FMT_PLUS }, { 4, 0, CEP_FMT_D },
        { 6, 0, CEP_FMT_E }, { 2, 14, CEP_FMT_E | CEP_FMT_MINUS | CEP_FMT_SPACE },
        { 6, 0, CEP_FMT_G }, { 3, 0, CEP_FMT_G | CEP_FMT_ALT },
        { CEP_PREC_AUTO, 0, CEP_FMT_X | CEP_FMT_ALT }, { 6, 10, CEP_FMT_X },
    };
    uint32_t i, j, hash[CEP_FMT_COUNT_];

    for (i = 0; i < sizeof edge / sizeof edge[0]; i++)
        for (j = 0; j < sizeof forms / sizeof forms[0]; j++)
            fmt_line(edge[i], forms[j].prec, forms[j].width, forms[j].fmt);

    /* random values and formats: one FNV-1a hash per conversion */
    for (j = 0; j < CEP_FMT_COUNT_; j++)
        hash[j] = 2166136261u;
    for (i = 0; i < 20000u; i++) {
        uint32_t bits = fmt_next(), conv = fmt_next() % CEP_FMT_COUNT_, r = fmt_next();
        unsigned prec = r % 10u, width = (r >> 4) % 20u, fmt = conv | ((r >> 9) & CEP_FMT_FLAGS);
        char buf[160];
        size_t n, k;
        if (i % 2u)   /* sensor-like magnitudes: 1e-6 .. 1e7 */
            bits = (bits & 0x807fffffu) | ((107u + (bits >> 23) % 47u) << 23);
        n = cep_format_number(buf, sizeof buf, fmt_bits(bits), prec, width, fmt);
        for (k = 0; k < n; k++)
            hash[conv] = (hash[conv] ^ (uint8_t)buf[k]) * 16777619u;
        hash[conv] = (hash[conv] ^ 0x0au) * 16777619u;
    }
    for (j = 0; j < CEP_FMT_COUNT_; j++) {
        fw_write("random ");
        fw_putc(fmt_conv_char[j]);
        fw_write(" fnv1a ");
        fw_put_hex32(hash[j]);
        fw_puts("");
    }
    return fw_check_summary();
}
