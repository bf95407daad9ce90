/*
** copy.c — RESHAPE / SQUEEZE / EXPAND_DIMS when the memory planner cannot
** alias the output to the input: a plain byte copy (memmove, so the
** regions may overlap; from <string.h>, provided by libgcc/newlib in
** freestanding builds).
*/
#include "ml/ml.h"

#include <string.h>

rt_status ml_copy_s8(int32_t size, const int8_t *input, int8_t *output)
{
    if (size < 0)
        return RT_ERR_ARG;
    if (size > 0 && input != output)
        memmove(output, input, (size_t)size);
    return RT_OK;
}
