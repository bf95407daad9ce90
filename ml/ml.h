/*
** ml.h — tinycep's int8 inference kernels (device code), the one public
** header of the ml module.
**
** Every kernel is bit-exact with the TensorFlow Lite for Microcontrollers
** (TFLM) reference kernels in their default double-rounding build; the
** rules are written down in shared/int8-spec.md (cited below as "spec §x").
** The kernels do integer arithmetic only: every real-valued quantity
** (multipliers, shifts, clamping ranges, softmax/logistic/tanh scaling) is
** computed AHEAD OF TIME on the host by the importer (ml/import/) exactly as
** TFLM computes it in its Prepare step, and is passed in the parameter
** structs below.  Each struct says what the host must put in each field and
** how TFLM computes it.  Exceptions: ml_quantize_f32_s8 and
** ml_dequantize_s8_f32 convert from/to float32 and are exact in float32
** (documented at each).
**
** Conventions (CMSIS-NN's, so the two can be compared line by line):
**   - Tensors are dense, row-major; 4-D activations are NHWC.
**   - `*_offset` fields are ADDED to the raw int8 value:
**         input_offset  = -input_zero_point    (range [-127, 128])
**         filter_offset = -filter_zero_point   (0 for TFLite int8 weights)
**         output_offset = +output_zero_point   (range [-128, 127])
**   - A (multiplier, shift) pair is the output of TFLM QuantizeMultiplier
**     (spec §2.1): multiplier in [2^30, 2^31-1] or 0, shift in [-31, 30],
**     positive shift = left shift.  The kernels apply it with
**     ml_mbqm (MultiplyByQuantizedMultiplier, double rounding, spec §2.2).
**   - Fused activations are an [act_min, act_max] clamp in the output's
**     quantized domain, computed on the host per spec §2.6:
**         Q(f) = output_zp + (int32)roundf(f / output_scale)   (float32)
**         NONE: [-128,127]  RELU: [max(-128,Q(0)), 127]
**         RELU6: [max(-128,Q(0)), min(127,Q(6))]
**         RELU_N1_TO_1: [max(-128,Q(-1)), min(127,Q(1))]
**     -128 <= act_min <= act_max <= 127 is required.
**   - Every kernel returns RT_OK, or RT_ERR_ARG when its parameters are
**     inconsistent (sizes not positive, ranges violated).  These checks are
**     O(1) or O(rank) and exist because model images may come over the air:
**     a bad image must not make a kernel read or write out of bounds
**     given buffers of the sizes the dims describe.
**   - No kernel needs scratch memory: there is no *_get_buffer_size().
**     Outputs must not overlap inputs unless a kernel says otherwise.
**
** Memory functions: only ml_copy_s8 (memmove), ml_pad_s8 (memset, memcpy)
** and ml_concat_s8 (memcpy) call <string.h> functions (newlib/libgcc
** provide them in freestanding builds).  No kernel uses malloc, stdio, libm
** or double.
**
** Speed: each kernel is a portable C reference written for speed (in-image
** tap ranges computed once per output position, 2x2-blocked matrix product
** for FULLY_CONNECTED and 1x1 CONV_2D, 4-channel blocks for depthwise).  On
** targets with the DSP extension (__ARM_FEATURE_DSP: Cortex-M4/M7) the
** inner products use SMLAD/SMLABB/SMLATT (ml/dot_dsp.h) and give the same
** bits — every partial sum provably fits int32, so the summation order is
** free; ML_NO_DSP forces the portable loops.  The kernels reach their best
** code at -O2 (TFLM builds its kernels at -O2 too): on Cortex-M4, -Os makes
** person_detect take about 35 % more instructions.
**
** Besides rt_status (runtime/rt_status.h, the project's one status enum)
** this header includes only <stdint.h>, <stddef.h> and <stdbool.h>.
*/
#ifndef ML_ML_H
#define ML_ML_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "runtime/rt_status.h"

/* ------------------------------------------------------------------ shapes */

/* The highest tensor rank the broadcasting and generic-shape kernels take
** (TFLM's BroadcastAdd6DSlow and its reduce/pad kernels handle up to 6). */
#define ML_MAX_DIMS 6

/* A 4-D NHWC activation shape or an OHWI/1HWC filter shape. */
typedef struct ml_dims {
    int32_t n;      /* batches (filters: output channels, or 1 for depthwise) */
    int32_t h;      /* height, >= 1 */
    int32_t w;      /* width, >= 1 */
    int32_t c;      /* channels, >= 1 */
} ml_dims;

/* A shape of any rank up to ML_MAX_DIMS, outermost dimension first. */
typedef struct ml_shape {
    int32_t rank;                   /* 0..ML_MAX_DIMS; 0 = scalar */
    int32_t dims[ML_MAX_DIMS];      /* dims[0..rank-1], each >= 0 */
} ml_shape;

/* Fused-activation clamp, in the output's quantized domain (spec §2.6). */
typedef struct ml_activation {
    int32_t min;    /* [-128, 127] */
    int32_t max;    /* [min, 127] */
} ml_activation;

/* One requantization multiplier for a whole tensor (spec §2.1). */
typedef struct ml_per_tensor_quant {
    int32_t multiplier;     /* [2^30, 2^31-1], or 0 */
    int32_t shift;          /* [-31, 30], > 0 = left */
} ml_per_tensor_quant;

/* One multiplier per output channel (arrays of output-channel length). */
typedef struct ml_per_channel_quant {
    const int32_t *multiplier;  /* [out_ch], each as ml_per_tensor_quant */
    const int32_t *shift;       /* [out_ch] */
} ml_per_channel_quant;

/* ------------------------------------------------- integer primitives
** gemmlowp/TFLM fixed-point primitives (spec §2.2), exact re-statements.
** Signed overflow cannot happen in them: where TFLM's C++ would wrap (it is
** undefined behaviour there, two's-complement wrap on every target TFLM is
** built for) these use the same wrap explicitly through uint32_t.  */

/* Two's-complement wrap of a 32-bit pattern into int32 (gcc/clang define
** the conversion as modulo 2^32; written once here). */
static inline int32_t ml_wrap_s32(uint32_t u)
{
    return (int32_t)u;
}

/* gemmlowp SaturatingRoundingDoublingHighMul: a*b / 2^31 rounded to
** nearest, saturating the single overflow case a == b == INT32_MIN.  Ties
** round toward +infinity: the nudge is +2^30 for a non-negative product and
** 1 - 2^30 for a negative one, then C division truncates toward zero, so
** -8.5 gives -8 and 10.5 gives 11. */
static inline int32_t ml_srdhm(int32_t a, int32_t b)
{
    if (a == INT32_MIN && b == INT32_MIN)
        return INT32_MAX;
    /* gemmlowp computes trunc((ab + nudge) / 2^31).  For ab >= 0 that is
    ** floor((ab + 2^30) / 2^31); for ab < 0, trunc(n / D) = floor((n + D -
    ** 1) / D) with n = ab + 1 - 2^30, D = 2^31, which is again
    ** floor((ab + 2^30) / 2^31).  So one add and an arithmetic shift (the
    ** implementation-defined >> of a negative value is arithmetic on every
    ** compiler we support) give the same bits with no branch and no
    ** 64-bit division; test_ml_quant checks it against the gemmlowp form. */
    return (int32_t)(((int64_t)a * (int64_t)b + ((int64_t)1 << 30)) >> 31);
}

/* gemmlowp RoundingDivideByPOT: x / 2^exponent rounded half away from zero.
** exponent in [0, 31]. */
static inline int32_t ml_rdbpot(int32_t x, int32_t exponent)
{
    /* 32-bit arithmetic only (a 64-bit shift costs several instructions
    ** on Cortex-M): for exponent 31 the mask is 0x7FFFFFFF */
    int32_t mask = (int32_t)((1u << exponent) - 1u);
    int32_t remainder = x & mask;
    int32_t threshold = (mask >> 1) + (x < 0 ? 1 : 0);
    /* >> of a negative int32 is an arithmetic shift on gcc/clang (the
    ** implementation-defined behaviour every supported compiler documents). */
    return (x >> exponent) + (remainder > threshold ? 1 : 0);
}

/* TFLM MultiplyByQuantizedMultiplier, double-rounding build (spec §2.2):
**     RDBPOT(SRDHM(x * 2^left, multiplier), right)
** with left = max(shift, 0), right = max(-shift, 0).  shift in [-31, 30].
** The x * 2^left product wraps as TFLM's int32 product does. */
static inline int32_t ml_mbqm(int32_t x, int32_t multiplier, int32_t shift)
{
    int32_t left = shift > 0 ? shift : 0;
    int32_t right = shift > 0 ? 0 : -shift;
    int32_t shifted = ml_wrap_s32((uint32_t)x << left);
    return ml_rdbpot(ml_srdhm(shifted, multiplier), right);
}

/* Clamp an int32 to [lo, hi] and narrow to int8 (lo/hi within int8). */
static inline int8_t ml_clamp_to_s8(int32_t v, int32_t lo, int32_t hi)
{
    if (v < lo)
        v = lo;
    if (v > hi)
        v = hi;
    return (int8_t)v;
}

/* --------------------------------------------------------- FULLY_CONNECTED
** spec §2.3 (TFLM reference/integer_ops/fully_connected.h).
**   input  int8 [batches, accum_depth]   (batches = flat size / last dim)
**   filter int8 [out_ch, accum_depth]    row-major, weights in [-127,127]
**   bias   int32 [out_ch] or NULL        (scale in_s*w_s, zero point 0)
**   output int8 [batches, out_ch]
**   out = clamp(MBQM(Σ_d (w+filter_offset)*(x+input_offset) + bias,
**                    mult, shift) + output_offset, act)
** The int32 accumulator must not overflow in any summation order: the
** kernel requires accum_depth * max|x+input_offset| * max|w+filter_offset|
** <= INT32_MAX over all int8 x, w; with filter_offset 0 that allows
** accum_depth up to 65793 for any input zero point. */
typedef struct ml_fc_params {
    int32_t input_offset;       /* -input_zp, [-127, 128] */
    int32_t filter_offset;      /* -filter_zp; TFLM requires filter_zp == 0 */
    int32_t output_offset;      /* output_zp, [-128, 127] */
    ml_activation activation;   /* fused activation, spec §2.6 */
} ml_fc_params;

/* Per-tensor FC.  Host computes (spec §2.1, "Per-tensor FC"):
**     m = (double)((float)input_scale * (float)filter_scale) / (double)output_scale
** — the product taken in FLOAT, then widened — then
**     (quant->multiplier, quant->shift) = QuantizeMultiplier(m).
** batches >= 1, accum_depth >= 1 (bounded as above), out_ch >= 1;
** input_offset in [-127, 128] (as for every kernel below). */
rt_status ml_fully_connected_s8(const ml_fc_params *params,
                                const ml_per_tensor_quant *quant,
                                int32_t batches, int32_t accum_depth,
                                int32_t out_ch, const int8_t *input,
                                const int8_t *filter, const int32_t *bias,
                                int8_t *output);

/* Per-channel FC (filter with one scale per output row).  Host computes for
** each output channel c, in double:
**     m[c] = (double)input_scale * (double)filter_scale[c] / (double)output_scale
**     (quant->multiplier[c], quant->shift[c]) = QuantizeMultiplier(m[c]).
** params->filter_offset must be 0 (TFLM's per-channel FC has none). */
rt_status ml_fully_connected_per_channel_s8(const ml_fc_params *params,
                                            const ml_per_channel_quant *quant,
                                            int32_t batches,
                                            int32_t accum_depth,
                                            int32_t out_ch,
                                            const int8_t *input,
                                            const int8_t *filter,
                                            const int32_t *bias,
                                            int8_t *output);

/* ------------------------------------------------------------------ CONV_2D
** spec §2.4 (TFLM reference/integer_ops/conv.h ConvPerChannel).
**   input_dims  {N, H, W, C_in}      input  int8 NHWC
**   filter_dims {C_out, KH, KW, C_in/groups}   filter int8 OHWI
**   bias        int32 [C_out] or NULL
**   output_dims {N, OH, OW, C_out}   output int8 NHWC
** groups = C_in / filter_dims.c (must divide exactly, and C_out must be a
** multiple of groups).  For each output pixel and channel oc:
**   acc = Σ_{ky,kx,ic; tap inside image} w[oc,ky,kx,ic] * (x[n,iy,ix,ic+g*Cg] + input_offset)
**   iy = oy*stride_h - pad_h + dilation_h*ky  (same for x)
**   out = clamp(MBQM(acc + bias[oc], mult[oc], shift[oc]) + output_offset, act)
** Taps outside the image are skipped (= padding with the input zero point).
** KH*KW*C_in/groups is bounded as FC's accum_depth (<= 65793).
** The output size is NOT recomputed: the host gives OH/OW, which must not
** make any tap origin exceed what the dims allow (kernel checks only that
** positions it reads are inside the input, so any OH/OW is memory-safe). */
typedef struct ml_conv_params {
    int32_t input_offset;       /* -input_zp, [-127, 128] */
    int32_t output_offset;      /* output_zp, [-128, 127] */
    int32_t stride_h;           /* >= 1 */
    int32_t stride_w;           /* >= 1 */
    int32_t dilation_h;         /* >= 1 */
    int32_t dilation_w;         /* >= 1 */
    int32_t pad_h;              /* rows of implicit padding on top, >= 0 */
    int32_t pad_w;              /* columns of implicit padding on the left, >= 0 */
    ml_activation activation;   /* fused activation, spec §2.6 */
} ml_conv_params;

/* Host computes:
**   - pad_h/pad_w from the padding enum per spec §2.4 "Padding values":
**       eff = (k-1)*dil + 1
**       out = SAME ? ceil(in/stride) : (in + stride - eff)/stride
**       total = max(0, (out-1)*stride + eff - in);  pad = total/2 (floor)
**   - per output channel c (quantized_dimension 0), in double:
**       m[c] = (double)input_scale * (double)filter_scale[c] / (double)output_scale
**       (mult[c], shift[c]) = QuantizeMultiplier(m[c])
**     (a per-tensor filter scale is used for every c). */
rt_status ml_conv_s8(const ml_conv_params *params,
                     const ml_per_channel_quant *quant,
                     const ml_dims *input_dims, const int8_t *input,
                     const ml_dims *filter_dims, const int8_t *filter,
                     const int32_t *bias,
                     const ml_dims *output_dims, int8_t *output);

/* -------------------------------------------------------- DEPTHWISE_CONV_2D
** spec §2.5 (TFLM reference/integer_ops/depthwise_conv.h).
**   input_dims  {N, H, W, C_in}            input int8 NHWC
**   filter_dims {1, KH, KW, C_in*M}        filter int8 1HWC
**   bias        int32 [C_in*M] or NULL
**   output_dims {N, OH, OW, C_in*M}        output int8 NHWC
** Output channel oc = ic*M + m reads input channel ic only:
**   acc = Σ_{ky,kx inside image} w[ky,kx,oc] * (x[n,iy,ix,ic] + input_offset)
**   out = clamp(MBQM(acc + bias[oc], mult[oc], shift[oc]) + output_offset, act)
** M = depth_multiplier must equal filter_dims.c / input_dims.c (TFLM
** derives it from the shapes; the option field is ignored).  KH*KW is
** bounded as FC's accum_depth.  Host computes pads and (mult, shift) per output
** channel exactly as for ml_conv_s8 (quantized_dimension 3). */
typedef struct ml_dw_conv_params {
    int32_t input_offset;       /* -input_zp, [-127, 128] */
    int32_t output_offset;      /* output_zp, [-128, 127] */
    int32_t depth_multiplier;   /* M >= 1 */
    int32_t stride_h;           /* >= 1 */
    int32_t stride_w;           /* >= 1 */
    int32_t dilation_h;         /* >= 1 */
    int32_t dilation_w;         /* >= 1 */
    int32_t pad_h;              /* >= 0, as ml_conv_params */
    int32_t pad_w;              /* >= 0 */
    ml_activation activation;   /* fused activation, spec §2.6 */
} ml_dw_conv_params;

rt_status ml_depthwise_conv_s8(const ml_dw_conv_params *params,
                               const ml_per_channel_quant *quant,
                               const ml_dims *input_dims, const int8_t *input,
                               const ml_dims *filter_dims,
                               const int8_t *filter, const int32_t *bias,
                               const ml_dims *output_dims, int8_t *output);

/* ------------------------------------------------------------------ POOLING
** spec §2.9 (TFLM reference/integer_ops/pooling.h).  Input and output share
** scale and zero point (the host checks |s_in - s_out| <= 1e-6 and equal
** zero points); there is no requantization and no offset.
**   input_dims  {N, H, W, C}, output_dims {N, OH, OW, C}, NHWC, C equal.
** The window of output (oy, ox) starts at (oy*stride_h - pad_h,
** ox*stride_w - pad_w) and is clipped to the image.
** AVERAGE: sum of the raw int8 values of the in-image taps, count = number
**   of in-image taps; avg = acc > 0 ? (acc + count/2)/count
**                                   : (acc - count/2)/count  (C division)
**   then clamp to act.  A window with no in-image tap (only possible with
**   pad >= filter size): that output is 0 and the call returns RT_ERR_ARG
**   after writing every other output (TFLM fails the op).
** MAX: max over the clipped window (-128 if it is empty), then clamp.
** Host computes pads as for ml_conv_s8 with dilation 1. */
typedef struct ml_pool_params {
    int32_t stride_h;           /* >= 1 */
    int32_t stride_w;           /* >= 1 */
    int32_t filter_h;           /* >= 1 */
    int32_t filter_w;           /* >= 1 */
    int32_t pad_h;              /* >= 0 */
    int32_t pad_w;              /* >= 0 */
    ml_activation activation;   /* fused activation, spec §2.6 */
} ml_pool_params;

rt_status ml_avg_pool_s8(const ml_pool_params *params,
                         const ml_dims *input_dims, const int8_t *input,
                         const ml_dims *output_dims, int8_t *output);

rt_status ml_max_pool_s8(const ml_pool_params *params,
                         const ml_dims *input_dims, const int8_t *input,
                         const ml_dims *output_dims, int8_t *output);

/* ------------------------------------------------------------------ SOFTMAX
** spec §2.11 (TFLM reference/softmax.h with gemmlowp fixed point).
**   input int8 [rows, row_size], output int8 [rows, row_size]; softmax over
**   each row.  Output quantization is fixed: scale 1/256, zero point -128.
** Host computes (TFLM PreprocessSoftmaxScaling, CalculateInputRadius with
** 5 integer bits), in double:
**   real = min((double)beta * (double)input_scale * 2^26, 2^31 - 1)
**   (input_multiplier, input_left_shift) = QuantizeMultiplier(real)
**       (QuantizeMultiplierGreaterThanOne: left shift must come out >= 0)
**   diff_min = -(int32)floor((2^5 - 1) * 2^26 / 2^input_left_shift)
** Example (CMSIS-NN vector): 1077952640, 19, -3968. */
typedef struct ml_softmax_params {
    int32_t input_multiplier;   /* [2^30, 2^31-1] */
    int32_t input_left_shift;   /* [0, 31] */
    int32_t diff_min;           /* <= 0; diffs below it give -128 */
} ml_softmax_params;

rt_status ml_softmax_s8(const ml_softmax_params *params, int32_t rows,
                        int32_t row_size, const int8_t *input,
                        int8_t *output);

/* ---------------------------------------------------------- ADD, MUL
** ADD: spec §2.7 (TFLM reference/integer_ops/add.h AddFunc).  Per element:
**   a = MBQM((x1 + input1_offset) << left_shift, input1_multiplier, input1_shift)
**   b = MBQM((x2 + input2_offset) << left_shift, input2_multiplier, input2_shift)
**   y = clamp(MBQM(a + b, output_multiplier, output_shift) + output_offset, act)
** Host computes (TFLM add_common.cc), in double from the float scales:
**   left_shift = 20
**   twice_max = 2 * max(s1, s2)
**   (input1_multiplier, input1_shift)  = QuantizeMultiplier(s1 / twice_max)
**   (input2_multiplier, input2_shift)  = QuantizeMultiplier(s2 / twice_max)
**   (output_multiplier, output_shift)  = QuantizeMultiplier(twice_max / ((1 << 20) * so))
** All three shifts must be <= 0 (TFLM QuantizeMultiplierSmallerThanOneExp;
** the kernel rejects > 0).  Example (CMSIS-NN vector, s1 == s2 == so/2):
** 2^30/0, 2^30/0, 2^30/-19. */
typedef struct ml_add_params {
    int32_t input1_offset;      /* -input1_zp, [-127, 128] */
    int32_t input2_offset;      /* -input2_zp, [-127, 128] */
    int32_t output_offset;      /* output_zp, [-128, 127] */
    int32_t left_shift;         /* 20 for int8, [0, 23] */
    int32_t input1_multiplier;
    int32_t input1_shift;       /* [-31, 0] */
    int32_t input2_multiplier;
    int32_t input2_shift;       /* [-31, 0] */
    int32_t output_multiplier;
    int32_t output_shift;       /* [-31, 0] */
    ml_activation activation;   /* fused activation, spec §2.6 */
} ml_add_params;

/* MUL: spec §2.8 (TFLM reference/integer_ops/mul.h).  Per element:
**   y = clamp(MBQM((x1 + input1_offset) * (x2 + input2_offset),
**                  output_multiplier, output_shift) + output_offset, act)
** Host computes (output_multiplier, output_shift) =
**   QuantizeMultiplier((double)s1 * (double)s2 / (double)so). */
typedef struct ml_mul_params {
    int32_t input1_offset;      /* -input1_zp, [-127, 128] */
    int32_t input2_offset;      /* -input2_zp, [-127, 128] */
    int32_t output_offset;      /* output_zp, [-128, 127] */
    int32_t output_multiplier;
    int32_t output_shift;       /* [-31, 30] */
    ml_activation activation;   /* fused activation, spec §2.6 */
} ml_mul_params;

/* Same-shape element-wise forms: size elements of each, size >= 0. */
rt_status ml_add_s8(const ml_add_params *params, int32_t size,
                    const int8_t *input1, const int8_t *input2,
                    int8_t *output);
rt_status ml_mul_s8(const ml_mul_params *params, int32_t size,
                    const int8_t *input1, const int8_t *input2,
                    int8_t *output);

/* Broadcasting forms (numpy rules, as TFLM BroadcastAdd6DSlow /
** BroadcastMul6DSlow).  Shapes are aligned at their innermost dimension;
** missing outer dimensions count as 1; each input dimension is 1 or equal
** to the output's; output_shape is the broadcast shape (host-computed).
** Ranks <= ML_MAX_DIMS.  Results equal the element-wise form wherever both
** apply, so the executor may use either. */
rt_status ml_add_broadcast_s8(const ml_add_params *params,
                              const ml_shape *input1_shape,
                              const int8_t *input1,
                              const ml_shape *input2_shape,
                              const int8_t *input2,
                              const ml_shape *output_shape, int8_t *output);
rt_status ml_mul_broadcast_s8(const ml_mul_params *params,
                              const ml_shape *input1_shape,
                              const int8_t *input1,
                              const ml_shape *input2_shape,
                              const int8_t *input2,
                              const ml_shape *output_shape, int8_t *output);

/* ------------------------------------------- LOGISTIC, TANH, RELU, RELU6
** LOGISTIC: spec §2.12 (TFLM reference/integer_ops/logistic.h).
**   output scale 1/256, zero point -128 (the host checks zp == -128).
** TANH: spec §2.13 (TFLM reference/integer_ops/tanh.h).
**   output scale 1/128, zero point 0.
** Both: v = x - input_zero_point;
**   v <= -input_range_radius -> -128;  v >= input_range_radius -> 127;
**   else the gemmlowp fixed-point function on MBQM(v, input_multiplier,
**   input_left_shift) read as Q4.27.
** Host computes, for both (TFLM logistic_common.cc / tanh.cc), in double:
**   real = (double)input_scale * 2^27
**   q = frexp(real, &input_left_shift)        (raw frexp: q in [0.5, 1))
**   input_multiplier = (int32)round(q * 2^31) (std::round; NO fix-up when
**                                              this rounds to 2^31 — then
**                                              the int32 cast wraps; the
**                                              host must reject that case)
**   input_range_radius = (int32)floor((2^4 - 1) * 2^27 / 2^input_left_shift)
**      (CalculateInputRadius(4, input_left_shift, 31), computed in double;
**      for input scales below 2^-27 this exceeds INT32_MAX, where TFLM's int
**      cast overflows: store INT32_MAX — every int8 input is inside then)
** input_left_shift may be negative for input scales below 2^-28; it is
** applied with MBQM (left if > 0, right otherwise), as TFLM does. */
typedef struct ml_logistic_params {
    int32_t input_zero_point;   /* input_zp itself (subtracted), [-128, 127] */
    int32_t input_range_radius; /* >= 0 */
    int32_t input_multiplier;   /* [2^30, 2^31-1] */
    int32_t input_left_shift;   /* [-31, 30] */
} ml_logistic_params;

/* TANH takes exactly the same parameters. */
typedef ml_logistic_params ml_tanh_params;

rt_status ml_logistic_s8(const ml_logistic_params *params, int32_t size,
                         const int8_t *input, int8_t *output);
rt_status ml_tanh_s8(const ml_tanh_params *params, int32_t size,
                     const int8_t *input, int8_t *output);

/* The 256-entry table of an int8 -> int8 function: lut[x + 128] is the
** output for input x.  The fill functions evaluate the exact kernel above on
** all 256 inputs, so ml_lut_s8 with a filled table gives the same bits as
** ml_logistic_s8/ml_tanh_s8 at one load per element.  The table may live in
** the arena or be precomputed on the host (the kernels are plain C). */
#define ML_LUT_SIZE 256
rt_status ml_logistic_lut_fill_s8(const ml_logistic_params *params,
                                  int8_t lut[ML_LUT_SIZE]);
rt_status ml_tanh_lut_fill_s8(const ml_tanh_params *params,
                              int8_t lut[ML_LUT_SIZE]);
rt_status ml_lut_s8(const int8_t lut[ML_LUT_SIZE], int32_t size,
                    const int8_t *input, int8_t *output);

/* RELU (standalone, TFLM activations_common.cc ReluQuantized):
**   y = clamp(output_zero_point + MBQM(x - input_zero_point,
**             multiplier, shift), act)
** Host computes:
**   (multiplier, shift) = QuantizeMultiplier((double)s_in / (double)s_out)
**   act.min = max(-128, output_zp + (int32)roundf(0.0f / s_out))  (= max(-128, output_zp))
**   act.max = 127
** Other clamps with requantization (RELU_N1_TO_1 with act from spec §2.6)
** use the same kernel. */
typedef struct ml_relu_params {
    int32_t input_zero_point;   /* input_zp itself (subtracted) */
    int32_t output_zero_point;  /* output_zp (added) */
    int32_t multiplier;
    int32_t shift;              /* [-31, 30] */
    ml_activation activation;
} ml_relu_params;

rt_status ml_relu_s8(const ml_relu_params *params, int32_t size,
                     const int8_t *input, int8_t *output);

/* RELU6 (standalone, TFLM Relu6Quantized) and any pure clamp: input and
** output share quantization; y = min(max(x, act.min), act.max) with
**   act.min = input_zp,  act.max = input_zp + (int32)roundf(6.0f / s_in)
** (TFLM does not clamp these to int8 first; the host must, to [-128,127],
** which gives identical outputs).  In-place (output == input) allowed. */
rt_status ml_clamp_s8(const ml_activation *act, int32_t size,
                      const int8_t *input, int8_t *output);

/* ---------------------------------------------- QUANTIZE, DEQUANTIZE
** QUANTIZE int8 -> int8 (TFLM quantize_common.cc, reference Requantize):
**   y = clamp(MBQM(x - input_zero_point, multiplier, shift)
**             + output_zero_point, -128, 127)
** Host computes (multiplier, shift) = QuantizeMultiplier((double)s_in / (double)s_out). */
typedef struct ml_requantize_params {
    int32_t input_zero_point;   /* subtracted, [-128, 127] */
    int32_t output_zero_point;  /* added, [-128, 127] */
    int32_t multiplier;
    int32_t shift;              /* [-31, 30] */
} ml_requantize_params;

rt_status ml_requantize_s8(const ml_requantize_params *params, int32_t size,
                           const int8_t *input, int8_t *output);

/* QUANTIZE float32 -> int8 (TFLM reference AffineQuantize) and DEQUANTIZE
** int8 -> float32 (reference Dequantize).  float32 is the only float use in
** the ml module; both are exact IEEE-754 single-precision computations:
**   quantize:   y = clamp((int32)roundf(x / scale) + zero_point, -128, 127)
**               x / scale is ONE float32 division (TFLM divides by
**               (float)scale); roundf = half away from zero, done without
**               libm.  NaN gives zero_point; |x/scale| >= 2^31 saturates
**               (TFLM's int32 cast is undefined there).
**   dequantize: y = (float)(x - zero_point) * scale, one float32 multiply;
**               TFLM computes (float)((double)scale * (x - zp)) and the
**               double product of a float and a 9-bit integer is exact, so
**               the single rounding to float gives the same bits. */
typedef struct ml_quantize_params {
    float scale;                /* the tensor's float32 scale, > 0 */
    int32_t zero_point;         /* [-128, 127] */
} ml_quantize_params;

rt_status ml_quantize_f32_s8(const ml_quantize_params *params, int32_t size,
                             const float *input, int8_t *output);
rt_status ml_dequantize_s8_f32(const ml_quantize_params *params, int32_t size,
                               const int8_t *input, float *output);

/* --------------------------------------------------------------------- MEAN
** spec §2.10 (TFLM reference/reduce.h QuantizedMeanOrSum).
**   input of input_shape; axis_mask bit i set = dimension i is reduced;
**   output holds the non-reduced dimensions in order (keep_dims does not
**   change the memory layout).  For each output element:
**     n   = product of the reduced dimensions (>= 1)
**     sum = Σ x  (int32)
**     s = min(63 - clz64(n), 32, 31 + shift)
**     mult' = (int32)(((int64)multiplier << s) / n);  shift' = shift - s
**     y = clamp(MBQM(sum - input_zero_point*n, mult', shift')
**               + output_zero_point, -128, 127)
** Host computes (multiplier, shift) = QuantizeMultiplier((double)s_in / (double)s_out),
** and axis_mask from the axis tensor (negative axes + rank, duplicates
** merged).  When a reduced dimension is 0 (n == 0) every output element is
** 0 — TFLM resets the output to T() and returns before requantizing. */
typedef struct ml_mean_params {
    int32_t input_zero_point;   /* subtracted, [-128, 127] */
    int32_t output_zero_point;  /* added, [-128, 127] */
    int32_t multiplier;         /* [0, 2^31-1] */
    int32_t shift;              /* [-31, 30] */
    uint32_t axis_mask;         /* bit i: reduce dimension i (< rank) */
} ml_mean_params;

rt_status ml_mean_s8(const ml_mean_params *params,
                     const ml_shape *input_shape, const int8_t *input,
                     int8_t *output);

/* ---------------------------------------------------------------------- PAD
** TFLM pad.cc: output = input surrounded by pad_value.  Input and output
** share quantization; pad_value = output_zp for PAD (or the quantized
** constant for PADV2).  output_shape[i] = input_shape[i] + before[i] + after[i]
** (checked).  Rank <= ML_MAX_DIMS. */
typedef struct ml_pad_params {
    int32_t pad_value;              /* [-128, 127] */
    int32_t before[ML_MAX_DIMS];    /* >= 0, per dimension of the input */
    int32_t after[ML_MAX_DIMS];     /* >= 0 */
} ml_pad_params;

rt_status ml_pad_s8(const ml_pad_params *params, const ml_shape *input_shape,
                    const int8_t *input, const ml_shape *output_shape,
                    int8_t *output);

/* ------------------------------------------------------------ CONCATENATION
** TFLM concatenation.cc for int8: inputs and output share scale and zero
** point (host-checked), so the op is a copy.  With axis a of rank r:
**   outer_size = product of dims before a, inner_size = product after a,
**   input i contributes axis_sizes[i] * inner_size contiguous bytes per
**   outer step.  A negative axis is normalised by the host (a + r). */
typedef struct ml_concat_params {
    int32_t num_inputs;             /* >= 1 */
    int32_t outer_size;             /* >= 0 */
    int32_t inner_size;             /* >= 0 */
    const int32_t *axis_sizes;      /* [num_inputs], each >= 0 */
} ml_concat_params;

rt_status ml_concat_s8(const ml_concat_params *params,
                       const int8_t *const *inputs, int8_t *output);

/* ---------------------------------------------------- RESHAPE and friends
** RESHAPE, SQUEEZE, EXPAND_DIMS change no bytes; the planner aliases them.
** When it cannot, ml_copy_s8 copies size bytes (regions may overlap). */
rt_status ml_copy_s8(int32_t size, const int8_t *input, int8_t *output);

#endif /* ML_ML_H */
