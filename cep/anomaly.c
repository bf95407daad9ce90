/*
** anomaly.c — learned anomaly baselines (`model NAME = anomaly [f…] learn D`).
**
** Learning: from the first complete input vector (all features available)
** for learn_ms, the mean and co-moment matrix are accumulated with Welford's
** update (count += 1; d = x - mean; mean += d / count;
** C[i][j] += d[i] * (x[j] - mean[j]) for j <= i), which stays accurate over
** long runs in single precision.  The first vector at or after start +
** learn_ms (and at least 2 learned vectors) freezes the model:
**   S = C / (count - 1)                    (sample covariance)
**   λ = ridge * trace(S) / n, or ridge if the trace is 0
**   S' = S + λ I, factored once as S' = L Lᵀ (Cholesky, in place; a pivot
**        that is not positive in floating point is replaced by sqrt(λ))
**   sd[i] = sqrt(S'[i][i])
** Scoring (every later vector): d = x - mean, z[i] = d[i] / sd[i],
** zmax = max |z[i]|, score = T² = dᵀ S'⁻¹ d = |y|² with L y = d.
** Outputs are NaN while learning; `learning` is 1 then, 0 after.
** Memory: n² + 4n floats.  Work: O(n²) per vector, O(n³) once.
*/
#include "cep/internal.h"

void cep_anomaly_reset(cep_ctx *ctx, uint16_t mi)
{
    const cep_model_desc *m = &ctx->prog->models[mi];
    cep_model_state *s = &ctx->models[mi];
    float *out = &ctx->slots[m->slot];
    uint32_t n = m->n_in, i;
    for (i = 0; i < n * n; i++)
        s->cov[i] = 0.0f;
    for (i = 0; i < n; i++)
        s->mean[i] = 0.0f;
    s->count = 0;
    s->phase = 0;
    for (i = 0; i < CEP_MS_VEC + n; i++)
        out[i] = cep_nan();
    out[CEP_MS_LEARNING] = 1.0f;
}

static void freeze(const cep_model_desc *m, cep_model_state *s)
{
    uint32_t n = m->n_in, i, j, k;
    float *a = s->cov, tr = 0.0f, lam, *sd = s->tmp + n;
    float inv = 1.0f / (float)(s->count - 1u);
    for (i = 0; i < n; i++)
        for (j = 0; j <= i; j++)
            a[i * n + j] = a[i * n + j] * inv;
    for (i = 0; i < n; i++)
        tr = tr + a[i * n + i];
    lam = tr > 0.0f ? m->ridge * (tr / (float)n) : m->ridge;
    for (i = 0; i < n; i++) {
        a[i * n + i] = a[i * n + i] + lam;
        sd[i] = cep_sqrtf(a[i * n + i]);
    }
    /* Cholesky–Banachiewicz on the lower triangle */
    for (i = 0; i < n; i++) {
        for (j = 0; j <= i; j++) {
            float sum = a[i * n + j];
            for (k = 0; k < j; k++)
                sum = sum - a[i * n + k] * a[j * n + k];
            if (i == j)
                a[i * n + i] = sum > 0.0f ? cep_sqrtf(sum) : cep_sqrtf(lam);
            else
                a[i * n + j] = sum / a[j * n + j];
        }
    }
}

void cep_anomaly_run(cep_ctx *ctx, uint16_t mi)
{
    const cep_program *p = ctx->prog;
    const cep_model_desc *m = &p->models[mi];
    cep_model_state *s = &ctx->models[mi];
    float *out = &ctx->slots[m->slot];
    uint32_t n = m->n_in, i, j;
    float *x = s->x, *y = s->tmp, *sd = s->tmp + n, t2 = 0.0f, zmax = 0.0f;

    for (i = 0; i < n; i++) {
        x[i] = ctx->slots[p->refs[m->in_first + i]];
        if (cep_isnan(x[i]))
            return;
    }
    if (s->phase == 0) {
        s->phase = 1;
        s->start = ctx->now;
    }
    if (s->phase == 1) {
        if (cep_tdiff(ctx->now, s->start) < (int32_t)m->learn_ms || s->count < 2) {
            s->count++;
            for (i = 0; i < n; i++) {
                y[i] = x[i] - s->mean[i];
                s->mean[i] = s->mean[i] + y[i] / (float)s->count;
            }
            for (i = 0; i < n; i++)
                for (j = 0; j <= i; j++)
                    s->cov[i * n + j] = s->cov[i * n + j] + y[i] * (x[j] - s->mean[j]);
            return;
        }
        freeze(m, s);
        s->phase = 2;
        out[CEP_MS_LEARNING] = 0.0f;
    }
    for (i = 0; i < n; i++) {
        float d = x[i] - s->mean[i], z = d / sd[i], az = z < 0.0f ? -z : z, acc = d;
        out[CEP_MS_VEC + i] = z;
        if (az > zmax)
            zmax = az;
        for (j = 0; j < i; j++)
            acc = acc - s->cov[i * n + j] * y[j];
        y[i] = acc / s->cov[i * n + i];
        t2 = t2 + y[i] * y[i];
    }
    out[CEP_MS_SCORE] = t2;
    out[CEP_MS_ZMAX] = zmax;
}
