/*
** run.c — how a trace value becomes the raw sample the runtime takes.
**
** Traces hold real values (g, degC, 0/1); cep_push takes the input's raw
** type.  This is the one conversion used by `tinycep sim` and by the
** firmware slice generator (`tinycep build --slice`), so that the host
** simulator and the firmware push exactly the same bytes:
**
**   f32      (float)value — NaN/Inf are passed on; the runtime rejects them
**            (RT_ERR_VALUE) and counts them.
**   i8/i16/i32 (scale k)
**            raw = round_half_away_from_zero(value / k), computed in double,
**            then saturated to the type's range (each saturated component is
**            counted).  NaN/Inf cannot be represented: the sample is not
**            pushed (SIM_RAW_NOT_FINITE).
**   bool     0 -> 0, 1 -> 1; anything else (0.5, 2, NaN) is not pushed
**            (SIM_RAW_NOT_BOOL).
**
** Host code (libm's round is exact: it rounds halfway cases away from zero).
*/
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "cep/program.h"
#include "sim/sim.h"

static double saturate(double x, double lo, double hi, unsigned *sat)
{
    if (x < lo) {
        ++*sat;
        return lo;
    }
    if (x > hi) {
        ++*sat;
        return hi;
    }
    return x;
}

sim_raw_status sim_sample_raw(const struct cep_input_desc *in, const double *values,
                              size_t n, void *raw, unsigned *saturated)
{
    unsigned sat = 0;
    size_t i;
    double k;

    if (saturated != NULL)
        *saturated = 0;
    if (in == NULL || values == NULL || raw == NULL || n != in->dims)
        return SIM_RAW_BAD_ARG;
    k = (double)in->scale;
    if (in->type == CEP_IN_F32) {
        float *o = raw;
        for (i = 0; i < n; i++)
            o[i] = (float)values[i];
        return SIM_RAW_OK;
    }
    if (in->type == CEP_IN_BOOL) {
        uint8_t *o = raw;
        for (i = 0; i < n; i++) {
            if (values[i] == 0.0)
                o[i] = 0;
            else if (values[i] == 1.0)
                o[i] = 1;
            else
                return SIM_RAW_NOT_BOOL;
        }
        return SIM_RAW_OK;
    }
    if (!(k > 0.0) || !isfinite(k))
        return SIM_RAW_BAD_ARG;
    for (i = 0; i < n; i++)
        if (!isfinite(values[i]))
            return SIM_RAW_NOT_FINITE;
    for (i = 0; i < n; i++) {
        double q = round(values[i] / k);
        switch (in->type) {
        case CEP_IN_I8: {
            int8_t v = (int8_t)saturate(q, INT8_MIN, INT8_MAX, &sat);
            memcpy((int8_t *)raw + i, &v, sizeof v);
            break;
        }
        case CEP_IN_I16: {
            int16_t v = (int16_t)saturate(q, INT16_MIN, INT16_MAX, &sat);
            memcpy((char *)raw + i * sizeof v, &v, sizeof v);
            break;
        }
        case CEP_IN_I32: {
            int32_t v = (int32_t)saturate(q, INT32_MIN, INT32_MAX, &sat);
            memcpy((char *)raw + i * sizeof v, &v, sizeof v);
            break;
        }
        default:
            return SIM_RAW_BAD_ARG;
        }
    }
    if (saturated != NULL)
        *saturated = sat;
    return SIM_RAW_OK;
}

const char *sim_raw_status_text(sim_raw_status st)
{
    switch (st) {
#define SIM_RAW_TEXT(name, text) case name: return text;
    SIM_RAW_LIST(SIM_RAW_TEXT)
#undef SIM_RAW_TEXT
    default:
        return "?";
    }
}
