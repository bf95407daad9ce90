/*
** ml_dw_diff.c — ml_depthwise_conv_s8 on every target against the host:
** a fixed-seed grid of depthwise convolutions (depth multipliers 1, 2, 4
** and 8, channel counts that are and are not multiples of 4, 3x3 and
** other filters, strides 1-2, dilations 1-2, VALID and SAME-like padding,
** with and without bias, full-int8 and narrower activation ranges, left
** and right requantization shifts).  Each case prints one line with the
** kernel's status and an FNV-1a hash of its output; the host build runs
** the portable C path and the M4F/M7 builds the DSP path (dot_dsp.h:
** the 3x3 whole-image loop with folded input offset and split
** requantization, the pair and four-channel paths), so
** tests/suites/firmware_diff.sh compares them byte for byte, and the M0+
** build checks the portable path on ARMv6-M.  Built from the device
** library as shipped (-Os).  Bit-exactness with TFLM itself is the golden
** suites' business (ml_golden.sh, ml_firmware.sh).
*/
#include <stdint.h>

#include "ml/ml.h"
#include "runtime/firmware/fw.h"

/* Largest case: 8x8 input, 32 output channels; buffers fit the
   micro:bit's 16 KB of RAM with its stack. */
#define DWD_MAX_HW 8
#define DWD_MAX_C 32
#define DWD_CASES 96

static int8_t dwd_in[DWD_MAX_HW * DWD_MAX_HW * DWD_MAX_C];
static int8_t dwd_filter[3 * 5 * DWD_MAX_C];
static int8_t dwd_out[DWD_MAX_HW * DWD_MAX_HW * DWD_MAX_C];
static int32_t dwd_bias[DWD_MAX_C], dwd_mult[DWD_MAX_C], dwd_shift[DWD_MAX_C];

static uint32_t dwd_rng = 0x9E3779B9u;

/* xorshift32: deterministic and identical on every platform. */
static uint32_t dwd_next(void)
{
    dwd_rng ^= dwd_rng << 13;
    dwd_rng ^= dwd_rng >> 17;
    dwd_rng ^= dwd_rng << 5;
    return dwd_rng;
}

/* A value in [lo, hi] (lo <= hi). */
static int32_t dwd_range(int32_t lo, int32_t hi)
{
    return lo + (int32_t)(dwd_next() % (uint32_t)(hi - lo + 1));
}

static void dwd_fill(int8_t *p, int32_t n)
{
    int32_t i;
    for (i = 0; i < n; i++)
        p[i] = (int8_t)(uint8_t)dwd_next();
}

static uint32_t dwd_hash(const int8_t *p, int32_t n)
{
    uint32_t h = 2166136261u;
    int32_t i;
    for (i = 0; i < n; i++) {
        h ^= (uint8_t)p[i];
        h *= 16777619u;
    }
    return h;
}

/* One random case; prints "dw <i> <shape> status=<s> hash=<h>". */
static void dwd_case(uint32_t index)
{
    static const int32_t mults[] = { 1, 1, 1, 2, 4, 8 };
    ml_dw_conv_params p;
    ml_per_channel_quant q;
    ml_dims in_d, f_d, out_d;
    int32_t m = mults[dwd_next() % 6u], in_c, out_c, kh, kw, eff_h, eff_w, i;
    bool with_bias;
    rt_status s;

    in_c = dwd_range(1, DWD_MAX_C / m);
    if (dwd_next() % 2u == 0u && in_c >= 4) /* often whole blocks of 4 */
        in_c &= ~3;
    out_c = in_c * m;
    kh = dwd_next() % 4u == 0u ? dwd_range(1, 3) : 3;
    kw = dwd_next() % 4u == 0u ? dwd_range(1, 5) : 3;
    p.depth_multiplier = m;
    p.stride_h = dwd_range(1, 2);
    p.stride_w = dwd_range(1, 2);
    p.dilation_h = dwd_range(1, 2);
    p.dilation_w = kw > 3 ? 1 : dwd_range(1, 2); /* window <= DWD_MAX_HW */
    eff_h = p.dilation_h * (kh - 1) + 1;
    eff_w = p.dilation_w * (kw - 1) + 1;
    in_d.n = 1;
    in_d.h = dwd_range(eff_h > 3 ? eff_h : 3, DWD_MAX_HW);
    in_d.w = dwd_range(eff_w > 3 ? eff_w : 3, DWD_MAX_HW);
    in_d.c = in_c;
    /* VALID, or SAME-like: half the window on each side */
    p.pad_h = dwd_next() % 3u == 0u ? 0 : (eff_h - 1) / 2;
    p.pad_w = dwd_next() % 3u == 0u ? 0 : (eff_w - 1) / 2;
    out_d.n = 1;
    out_d.h = (in_d.h + 2 * p.pad_h - eff_h) / p.stride_h + 1;
    out_d.w = (in_d.w + 2 * p.pad_w - eff_w) / p.stride_w + 1;
    out_d.c = out_c;
    f_d.n = 1;
    f_d.h = kh;
    f_d.w = kw;
    f_d.c = out_c;
    p.input_offset = dwd_range(-127, 128);
    p.output_offset = dwd_range(-128, 127);
    if (dwd_next() % 2u == 0u) {
        p.activation.min = -128;
        p.activation.max = 127;
    } else {
        p.activation.min = dwd_range(-128, 0);
        p.activation.max = dwd_range(p.activation.min, 127);
    }
    with_bias = dwd_next() % 4u != 0u;
    for (i = 0; i < out_c; i++) {
        dwd_bias[i] = dwd_range(-65536, 65536);
        dwd_mult[i] = (int32_t)(0x40000000u + dwd_next() % 0x3FFFFFFFu);
        dwd_shift[i] = dwd_range(-12, 2);
    }
    q.multiplier = dwd_mult;
    q.shift = dwd_shift;
    dwd_fill(dwd_in, in_d.h * in_d.w * in_c);
    dwd_fill(dwd_filter, kh * kw * out_c);
    s = ml_depthwise_conv_s8(&p, &q, &in_d, dwd_in, &f_d, dwd_filter,
                             with_bias ? dwd_bias : NULL, &out_d, dwd_out);
    fw_write("dw ");
    fw_put_u32(index);
    fw_write(" m=");
    fw_put_i32(m);
    fw_write(" in=");
    fw_put_i32(in_d.h);
    fw_putc('x');
    fw_put_i32(in_d.w);
    fw_putc('x');
    fw_put_i32(in_c);
    fw_write(" k=");
    fw_put_i32(kh);
    fw_putc('x');
    fw_put_i32(kw);
    fw_write(" status=");
    fw_put_i32((int32_t)s);
    fw_write(" hash=");
    fw_put_hex32(dwd_hash(dwd_out, out_d.h * out_d.w * out_c));
    fw_putc('\n');
    fw_check(s == RT_OK, "depthwise case accepted (valid by construction)");
}

int fw_main(void)
{
    uint32_t i;
    for (i = 0; i < DWD_CASES; i++)
        dwd_case(i);
    return fw_check_summary();
}
