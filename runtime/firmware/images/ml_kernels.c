/*
** ml_kernels.c — the int8 kernels of ml/ on every target against the host:
** fully connected and 2-D convolution (the kernels built on ml/dot.c, whose
** __ARM_FEATURE_DSP path — SMLAD — exists only on M4F/M7) over a grid of
** shapes, offsets and requantization parameters, inputs from a fixed-seed
** PRNG.  Each case prints one result line with an FNV-1a hash of its
** output; the host build prints the same lines from the portable C path,
** so tests/suites/firmware_diff.sh compares the DSP path (M4F, M7) and the
** soft-float ARMv6-M build (M0+) with the host byte for byte.  A kernel that
** rejects a case is a failed check here (the grid is valid by
** construction), so the comparison is never between two error lines.
**
** Built only when the tree has ml/ml.h (mk/firmware.mk).  The expected
** values are the host's; bit-exactness with TFLM itself is ml's own
** golden-vector suite.
*/
#include <stdint.h>

#include "ml/ml.h"
#include "runtime/firmware/fw.h"

static uint32_t mlk_rng = 0x2545F491u;

/* xorshift32: deterministic and identical on every platform. */
static uint32_t mlk_next(void)
{
    mlk_rng ^= mlk_rng << 13;
    mlk_rng ^= mlk_rng >> 17;
    mlk_rng ^= mlk_rng << 5;
    return mlk_rng;
}

static void mlk_fill(int8_t *p, int32_t n)
{
    int32_t i;
    for (i = 0; i < n; i++)
        p[i] = (int8_t)(uint8_t)mlk_next();
}

static uint32_t mlk_hash(const int8_t *p, int32_t n)
{
    uint32_t h = 2166136261u;
    int32_t i;
    for (i = 0; i < n; i++) {
        h ^= (uint8_t)p[i];
        h *= 16777619u;
    }
    return h;
}

/* A multiplier in [2^30, 2^31 - 1] and a right shift in [0, 11]. */
static void mlk_quant(int32_t *multiplier, int32_t *shift)
{
    *multiplier = (int32_t)(0x40000000u + mlk_next() % 0x3FFFFFFFu);
    *shift = -(int32_t)(mlk_next() % 12u);
}

static void mlk_result(const char *kernel, const int32_t *shape, int n_shape,
                       rt_status s, const int8_t *out, int32_t n_out)
{
    int i;
    fw_write(kernel);
    for (i = 0; i < n_shape; i++) {
        fw_putc(' ');
        fw_put_i32(shape[i]);
    }
    fw_write(" hash=");
    fw_put_hex32(mlk_hash(out, n_out));
    fw_putc('\n');
    fw_check(s == RT_OK, kernel);
}

#define MLK_FC_MAX_DEPTH 200
#define MLK_FC_MAX_OUT   8

static int8_t mlk_in[2 * MLK_FC_MAX_DEPTH];
static int8_t mlk_filter[MLK_FC_MAX_OUT * MLK_FC_MAX_DEPTH];
static int8_t mlk_out[2 * 5 * 5 * 8];
static int32_t mlk_bias[MLK_FC_MAX_OUT];
static int32_t mlk_mult[MLK_FC_MAX_OUT], mlk_shift[MLK_FC_MAX_OUT];

static void mlk_fc(void)
{
    static const int32_t depths[] = { 1, 2, 3, 4, 5, 7, 8, 15, 16, 17, 33, 64, 127, 200 };
    static const int32_t offsets[] = { 128, 0, -127, 5 };
    size_t d, o;
    int32_t batches, i;

    for (d = 0; d < sizeof depths / sizeof depths[0]; d++)
        for (o = 0; o < sizeof offsets / sizeof offsets[0]; o++)
            for (batches = 1; batches <= 2; batches++) {
                int32_t depth = depths[d], out_ch = 1 + (int32_t)(mlk_next() % 8u);
                int32_t shape[4];
                ml_fc_params p;
                ml_per_tensor_quant q;
                rt_status s;
                p.input_offset = offsets[o];
                p.filter_offset = 0;
                p.output_offset = (int32_t)(mlk_next() % 256u) - 128;
                p.activation.min = -128;
                p.activation.max = 127;
                mlk_quant(&q.multiplier, &q.shift);
                mlk_fill(mlk_in, batches * depth);
                mlk_fill(mlk_filter, out_ch * depth);
                for (i = 0; i < out_ch; i++)
                    mlk_bias[i] = (int32_t)(mlk_next() % 20001u) - 10000;
                s = ml_fully_connected_s8(&p, &q, batches, depth, out_ch, mlk_in,
                                          mlk_filter, mlk_bias, mlk_out);
                shape[0] = batches;
                shape[1] = depth;
                shape[2] = out_ch;
                shape[3] = offsets[o];
                mlk_result("fc", shape, 4, s, mlk_out, batches * out_ch);
            }
}

static void mlk_conv(void)
{
    static const int32_t sizes[] = { 3, 5 };
    static const int32_t in_chs[] = { 1, 3, 4, 8 };
    static const int32_t kernels[] = { 1, 3 };
    size_t si, ci, ki;
    int32_t out_ch, stride, i;

    for (si = 0; si < sizeof sizes / sizeof sizes[0]; si++)
        for (ci = 0; ci < sizeof in_chs / sizeof in_chs[0]; ci++)
            for (ki = 0; ki < sizeof kernels / sizeof kernels[0]; ki++)
                for (out_ch = 1; out_ch <= 4; out_ch += 3)
                    for (stride = 1; stride <= 2; stride++) {
                        int32_t hw = sizes[si], k = kernels[ki], pad = (k - 1) / 2;
                        int32_t ohw = (hw + 2 * pad - k) / stride + 1;
                        ml_dims in_dims = { 1, hw, hw, in_chs[ci] };
                        ml_dims f_dims = { out_ch, k, k, in_chs[ci] };
                        ml_dims out_dims = { 1, ohw, ohw, out_ch };
                        ml_conv_params p;
                        ml_per_channel_quant q;
                        int32_t shape[5];
                        rt_status s;
                        p.input_offset = (int32_t)(mlk_next() % 256u) - 127;
                        p.output_offset = (int32_t)(mlk_next() % 256u) - 128;
                        p.stride_h = p.stride_w = stride;
                        p.dilation_h = p.dilation_w = 1;
                        p.pad_h = p.pad_w = pad;
                        p.activation.min = -128;
                        p.activation.max = 127;
                        for (i = 0; i < out_ch; i++) {
                            mlk_quant(&mlk_mult[i], &mlk_shift[i]);
                            mlk_bias[i] = (int32_t)(mlk_next() % 20001u) - 10000;
                        }
                        q.multiplier = mlk_mult;
                        q.shift = mlk_shift;
                        mlk_fill(mlk_in, hw * hw * in_chs[ci]);
                        mlk_fill(mlk_filter, out_ch * k * k * in_chs[ci]);
                        s = ml_conv_s8(&p, &q, &in_dims, mlk_in, &f_dims, mlk_filter,
                                       mlk_bias, &out_dims, mlk_out);
                        shape[0] = hw;
                        shape[1] = in_chs[ci];
                        shape[2] = k;
                        shape[3] = out_ch;
                        shape[4] = stride;
                        mlk_result("conv", shape, 5, s, mlk_out, ohw * ohw * out_ch);
                    }
}

/* Instructions for one 200-deep, 8-output FC layer (1,600 MACs). */
static void mlk_measure(void)
{
    ml_fc_params p = { 3, 0, -2, { -128, 127 } };
    ml_per_tensor_quant q = { 0x50000000, -8 };
    uint64_t t0 = fw_clock_ticks();
    int r;
    for (r = 0; r < 100; r++)
        (void)ml_fully_connected_s8(&p, &q, 1, MLK_FC_MAX_DEPTH, MLK_FC_MAX_OUT, mlk_in,
                                    mlk_filter, mlk_bias, mlk_out);
    fw_report_insns("ml_fully_connected_s8-1x200x8", fw_clock_ticks() - t0, 100);
}

int fw_main(void)
{
    mlk_fc();
    mlk_conv();
    mlk_measure();
    return fw_check_summary();
}
