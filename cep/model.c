/*
** model.c — tflite model slots: assemble the input vector from value slots,
** quantize it with the model's own scale and zero point (round half away
** from zero, saturate to int8), run the inference callback the runtime
** integration provides, and expose the outputs: class (first argmax),
** score (dequantized top value), prob[i] (dequantized), raw[i] (the int8
** values) and, when output and input have the same length (autoencoder),
** error = mean squared difference between dequantized output and the real
** input vector.  A model does not run while one of its inputs is NaN (not
** available yet); its outputs keep their previous values.
*/
#include "cep/internal.h"

/* round(x / scale) + zp, half away from zero, saturated to int8. */
static int8_t quantize(float x, float scale, int32_t zp)
{
    float v = x / scale;
    int32_t q;
    float fr;
    if (v > 1.0e6f)
        v = 1.0e6f;
    if (v < -1.0e6f)
        v = -1.0e6f;
    q = (int32_t)v;                 /* toward zero; exact below 2^23 */
    fr = v - (float)q;
    if (fr >= 0.5f)
        q++;
    else if (fr <= -0.5f)
        q--;
    q += zp;
    return (int8_t)(q > 127 ? 127 : q < -128 ? -128 : q);
}

void cep_model_run(cep_ctx *ctx, uint16_t mi)
{
    const cep_program *p = ctx->prog;
    const cep_model_desc *m = &p->models[mi];
    cep_model_state *s = &ctx->models[mi];
    float *out = &ctx->slots[m->slot];
    uint32_t i, best = 0;
    rt_status st;

    if (m->kind == CEP_M_ANOMALY) {
        cep_anomaly_run(ctx, mi);
        return;
    }
    for (i = 0; i < m->n_in; i++) {
        float x = ctx->slots[p->refs[m->in_first + i]];
        if (cep_isnan(x))
            return;
        s->x[i] = x;
        s->qin[i] = quantize(x, m->in_scale, m->in_zp);
    }
    ctx->stats.inferences++;
    st = ctx->cb.infer ? ctx->cb.infer(ctx->cb.user, m->ext, s->qin, m->n_in, s->qout, m->n_out)
                       : RT_ERR_STATE;
    if (st != RT_OK) {
        ctx->stats.infer_errors++;
        for (i = 0; i < CEP_MS_VEC + 2u * m->n_out; i++)
            out[i] = cep_nan();
        return;
    }
    for (i = 0; i < m->n_out; i++) {
        out[CEP_MS_VEC + i] = (float)((int32_t)s->qout[i] - m->out_zp) * m->out_scale;
        out[CEP_MS_VEC + m->n_out + i] = (float)s->qout[i];
        if (s->qout[i] > s->qout[best])
            best = i;
    }
    out[CEP_MS_CLASS] = (float)best;
    out[CEP_MS_TSCORE] = out[CEP_MS_VEC + best];
    if (m->n_out == m->n_in) {
        float e = 0.0f;
        for (i = 0; i < m->n_in; i++) {
            float d = out[CEP_MS_VEC + i] - s->x[i];
            e = e + d * d;
        }
        out[CEP_MS_ERROR] = e / (float)m->n_in;
    }
}
