/*
** pad.c — PAD / PADV2 int8 (TFLM micro/kernels/pad.cc, reference pad.h):
** the input placed inside an output filled with pad_value, any rank up to
** ML_MAX_DIMS.
**
** The shapes are padded to ML_MAX_DIMS with leading 1s and the output is
** written one innermost row at a time: a row whose outer indices fall in
** the padding is all pad_value (memset); any other row is pad_value before,
** the input row (memcpy), pad_value after.  memset/memcpy come from
** <string.h> (libgcc/newlib provide them in freestanding builds).
*/
#include "ml/ml.h"

#include <string.h>

#include "ml/ml_check.h"

enum { OUTER = ML_MAX_DIMS - 1 }; /* dimensions above the innermost */

rt_status ml_pad_s8(const ml_pad_params *params, const ml_shape *input_shape,
                    const int8_t *input, const ml_shape *output_shape,
                    int8_t *output)
{
    int32_t in[ML_MAX_DIMS], out[ML_MAX_DIMS], before[ML_MAX_DIMS];
    int32_t idx[OUTER] = {0};
    int32_t d, k, rows = 1, in_row = 0;
    int8_t pv = (int8_t)params->pad_value;

    if (ml_shape_count(input_shape) < 0 || ml_shape_count(output_shape) < 0 ||
        input_shape->rank != output_shape->rank || params->pad_value < -128 ||
        params->pad_value > 127)
        return RT_ERR_ARG;
    k = ML_MAX_DIMS - input_shape->rank;
    for (d = 0; d < ML_MAX_DIMS; d++) {
        if (d < k) {
            in[d] = out[d] = 1;
            before[d] = 0;
            continue;
        }
        in[d] = input_shape->dims[d - k];
        out[d] = output_shape->dims[d - k];
        before[d] = params->before[d - k];
        if (before[d] < 0 || params->after[d - k] < 0 ||
            (int64_t)in[d] + before[d] + params->after[d - k] != out[d])
            return RT_ERR_ARG;
    }
    for (d = 0; d < OUTER; d++)
        rows *= out[d];
    if (ml_shape_count(output_shape) == 0)
        return RT_OK;

    /* in_row: index of the current input row when the output row is inside
    ** the input region; input rows advance in row-major order exactly as
    ** the inside output rows do. */
    for (k = 0; k < rows; k++) {
        bool inside = true;
        int8_t *row = output + (size_t)k * (size_t)out[OUTER];
        for (d = 0; d < OUTER; d++)
            if (idx[d] < before[d] || idx[d] >= before[d] + in[d])
                inside = false;
        if (!inside || in[OUTER] == 0) {
            memset(row, pv, (size_t)out[OUTER]);
        } else {
            memset(row, pv, (size_t)before[OUTER]);
            memcpy(row + before[OUTER],
                   input + (size_t)in_row * (size_t)in[OUTER],
                   (size_t)in[OUTER]);
            memset(row + before[OUTER] + in[OUTER], pv,
                   (size_t)(out[OUTER] - before[OUTER] - in[OUTER]));
        }
        if (inside)
            in_row++;
        for (d = OUTER - 1; d >= 0; d--) { /* odometer */
            if (++idx[d] < out[d])
                break;
            idx[d] = 0;
        }
    }
    return RT_OK;
}
