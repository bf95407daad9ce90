/*
** concat.c — CONCATENATION int8 (TFLM micro/kernels/concatenation.cc):
** inputs and output share quantization, so concatenation along an axis is
** a sequence of block copies: for each of outer_size steps, input i
** contributes axis_sizes[i] * inner_size contiguous bytes.  memcpy comes
** from <string.h> (libgcc/newlib provide it in freestanding builds).
*/
#include "ml/ml.h"

#include <string.h>

rt_status ml_concat_s8(const ml_concat_params *params,
                       const int8_t *const *inputs, int8_t *output)
{
    int64_t row = 0; /* output bytes per outer step */
    int32_t i, o;
    if (params->num_inputs < 1 || params->outer_size < 0 ||
        params->inner_size < 0)
        return RT_ERR_ARG;
    for (i = 0; i < params->num_inputs; i++) {
        if (params->axis_sizes[i] < 0)
            return RT_ERR_ARG;
        row += (int64_t)params->axis_sizes[i] * params->inner_size;
        if (row > INT32_MAX)
            return RT_ERR_ARG;
    }
    if (row * params->outer_size > INT32_MAX)
        return RT_ERR_ARG;
    for (o = 0; o < params->outer_size; o++) {
        for (i = 0; i < params->num_inputs; i++) {
            size_t n = (size_t)params->axis_sizes[i] *
                       (size_t)params->inner_size;
            memcpy(output, inputs[i] + (size_t)o * n, n);
            output += n;
        }
    }
    return RT_OK;
}
