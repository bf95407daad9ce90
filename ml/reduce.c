/*
** reduce.c — MEAN int8 over any set of axes (spec §2.10; TFLM
** reference/reduce.h QuantizedMeanOrSum, the path TFLM takes for int8 MEAN).
**
** For each output element the kernel sums the input elements of its
** reduced sub-box directly (two nested odometer walks), so it needs no
** int32 scratch array as TFLM's temp_sum is; integer sums are the same in
** any order (they wrap identically too).  The 1/n of the mean is folded
** into the multiplier exactly as TFLM folds it: one int64 division per
** call, none per element.
*/
#include "ml/ml.h"

#include "ml/ml_check.h"

/* An odometer over a subset of dimensions of the input. */
typedef struct walk {
    int32_t rank;                   /* dimensions walked */
    int32_t extent[ML_MAX_DIMS];
    int32_t stride[ML_MAX_DIMS];    /* input elements per step */
    int32_t idx[ML_MAX_DIMS];
    int32_t offset;                 /* current input offset */
} walk;

static void walk_reset(walk *w)
{
    int32_t d;
    for (d = 0; d < w->rank; d++)
        w->idx[d] = 0;
    w->offset = 0;
}

/* Advance to the next position in row-major order; false after the last. */
static bool walk_next(walk *w)
{
    int32_t d;
    for (d = w->rank - 1; d >= 0; d--) {
        w->idx[d]++;
        w->offset += w->stride[d];
        if (w->idx[d] < w->extent[d])
            return true;
        w->offset -= w->stride[d] * w->idx[d];
        w->idx[d] = 0;
    }
    return false;
}

static int32_t clz64(uint64_t x)
{
    int32_t n = 0;
    while (!(x & ((uint64_t)1 << 63))) {
        x <<= 1;
        n++;
    }
    return n;
}

rt_status ml_mean_s8(const ml_mean_params *params,
                     const ml_shape *input_shape, const int8_t *input,
                     int8_t *output)
{
    walk kept, reduced;
    int32_t d, stride = 1, out_count = 1, n = 1, s, mult, shift;
    int32_t count = ml_shape_count(input_shape);

    if (count < 0 || !ml_quant_ok(params->multiplier, params->shift) ||
        (params->axis_mask >> input_shape->rank) != 0 ||
        params->input_zero_point < -128 || params->input_zero_point > 127 ||
        params->output_zero_point < -128 || params->output_zero_point > 127)
        return RT_ERR_ARG;
    kept.rank = reduced.rank = 0;
    for (d = input_shape->rank - 1; d >= 0; d--) {
        walk *w = (params->axis_mask >> d) & 1u ? &reduced : &kept;
        /* filled innermost first; reversed below */
        w->extent[w->rank] = input_shape->dims[d];
        w->stride[w->rank] = stride;
        w->rank++;
        stride *= input_shape->dims[d];
        if ((params->axis_mask >> d) & 1u)
            n *= input_shape->dims[d];
        else
            out_count *= input_shape->dims[d];
    }
    for (d = 0; d < kept.rank / 2; d++) {
        int32_t e = kept.extent[d], st = kept.stride[d];
        kept.extent[d] = kept.extent[kept.rank - 1 - d];
        kept.stride[d] = kept.stride[kept.rank - 1 - d];
        kept.extent[kept.rank - 1 - d] = e;
        kept.stride[kept.rank - 1 - d] = st;
    }
    /* The reduced walk's order does not change the sum: leave it reversed. */
    if (out_count == 0)
        return RT_OK;
    if (n == 0) { /* TFLM returns with the output reset to 0 */
        for (d = 0; d < out_count; d++)
            output[d] = 0;
        return RT_OK;
    }

    /* Fold 1/n into the multiplier (TFLM QuantizedMeanOrSum). */
    s = 63 - clz64((uint64_t)n);
    if (s > 32)
        s = 32;
    if (s > 31 + params->shift)
        s = 31 + params->shift;
    mult = (int32_t)(((int64_t)params->multiplier << s) / n);
    shift = params->shift - s;

    walk_reset(&kept);
    for (d = 0; d < out_count; d++) {
        int32_t sum = 0, y;
        walk_reset(&reduced);
        do { /* int32 sum, wrapping as TFLM's temp_sum does */
            int32_t x = input[kept.offset + reduced.offset];
            sum = ml_wrap_s32((uint32_t)sum + (uint32_t)x);
        } while (walk_next(&reduced));
        /* TFLM: (int32)(temp_sum - input_zp * (int64)n) */
        y = ml_wrap_s32((uint32_t)((int64_t)sum -
                                   (int64_t)params->input_zero_point * n));
        y = ml_wrap_s32((uint32_t)ml_mbqm(y, mult, shift) +
                        (uint32_t)params->output_zero_point);
        output[d] = ml_clamp_to_s8(y, -128, 127);
        walk_next(&kept);
    }
    return RT_OK;
}
