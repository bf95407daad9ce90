/*
** feature.c — features: statistics of a window, recomputed from the window
** contents at every emission (O(window) per emission; exact in the sense
** that the result depends only on the samples in the window, never on the
** history of running sums), and stream features updated per sample.
**
** Definitions (x_i the window in time order, n samples, m the mean):
**   mean  Σx/n             rms  sqrt(Σx²/n)        std  sqrt(Σ(x-m)²/n)
**   min, max, p2p = max - min
**   skewness  m3 / m2^1.5, kurtosis m4 / m2² (Pearson: 3 for a normal
**             distribution), with mk = Σ(x-m)^k / n; 0 when m2 = 0
**   crest     max|x| / rms (0 when rms = 0)
**   zero_crossings  number of i with x_{i-1}-m and x_i-m on different sides
**             of zero (a value equal to the mean counts as positive)
**   slope     least-squares slope of x against u_i, u_i = i * p0 for count
**             windows (p0 = sample period in s; 0 means u_i = i) and
**             (t_i - t_0) / 1000 s for time windows; 0 when n < 2
**   band_energy(N, B)  X = FFT of the window (N samples, no taper);
**             band b = Σ |X_k|² / N over bins k = 1 + b*N/(2B) ..
**             (b+1)*N/(2B), i.e. bins 1..N/2 split in B equal bands
**   dominant_freq  k* * p0 where k* = the bin in 1..N/2 of largest |X_k|²
**             (the lowest on ties), p0 = bin width in Hz
**   ewma      y = y + p0 * (x - y), y = x on the first sample
**   delta     x - x_prev (NaN until a second sample)
**   rate      (x - x_prev) / ((t - t_prev) / 1000 s); unchanged when
**             t == t_prev; NaN until a second sample
** Sums run in time order in single precision, + - * / and sqrt only.
*/
#include "cep/internal.h"

static float at(const cep_win_state *s, uint16_t cap, uint32_t i)
{
    return s->buf[(s->head + i) % cap];
}

static void fft_features(cep_ctx *ctx, const cep_feature_desc *f, const cep_win_state *s,
                         uint16_t cap, float *out)
{
    uint32_t n = s->count, i, half = n / 2;
    float *z = ctx->fft;
    for (i = 0; i < n; i++) {
        z[2 * i] = at(s, cap, i);
        z[2 * i + 1] = 0.0f;
    }
    cep_fft(z, n, &ctx->prog->consts[f->twiddle]);
    if (f->kind == CEP_F_BANDS) {
        uint32_t per = half / f->n_out, b, k;
        for (b = 0; b < f->n_out; b++) {
            float e = 0.0f;
            for (k = 1 + b * per; k <= (b + 1) * per; k++)
                e = e + (z[2 * k] * z[2 * k] + z[2 * k + 1] * z[2 * k + 1]);
            out[b] = e / (float)n;
        }
    } else {
        uint32_t k, best = 1;
        float bp = -1.0f;
        for (k = 1; k <= half; k++) {
            float pw = z[2 * k] * z[2 * k] + z[2 * k + 1] * z[2 * k + 1];
            if (pw > bp) {
                bp = pw;
                best = k;
            }
        }
        out[0] = (float)best * f->p0;
    }
}

void cep_feature_window(cep_ctx *ctx, uint16_t fi)
{
    const cep_feature_desc *f = &ctx->prog->features[fi];
    const cep_window_desc *wd = &ctx->prog->windows[f->src];
    const cep_win_state *s = &ctx->wins[f->src];
    float *out = &ctx->slots[f->slot];
    uint16_t cap = wd->cap;
    uint32_t n = s->count, i;
    float sum = 0.0f, mean, r = 0.0f;

    if (n == 0)
        return;
    if (f->kind == CEP_F_BANDS || f->kind == CEP_F_DOMFREQ) {
        fft_features(ctx, f, s, cap, out);
        return;
    }
    for (i = 0; i < n; i++)
        sum = sum + at(s, cap, i);
    mean = sum / (float)n;

    switch ((cep_feature_kind)f->kind) {
    case CEP_F_MEAN:
        r = mean;
        break;
    case CEP_F_RMS:
    case CEP_F_CREST: {
        float sq = 0.0f, pk = 0.0f, rms;
        for (i = 0; i < n; i++) {
            float x = at(s, cap, i), ax = x < 0.0f ? -x : x;
            sq = sq + x * x;
            if (ax > pk)
                pk = ax;
        }
        rms = cep_sqrtf(sq / (float)n);
        r = f->kind == CEP_F_RMS ? rms : (rms > 0.0f ? pk / rms : 0.0f);
        break;
    }
    case CEP_F_STD:
    case CEP_F_SKEWNESS:
    case CEP_F_KURTOSIS: {
        float m2 = 0.0f, m3 = 0.0f, m4 = 0.0f;
        for (i = 0; i < n; i++) {
            float d = at(s, cap, i) - mean, d2 = d * d;
            m2 = m2 + d2;
            m3 = m3 + d2 * d;
            m4 = m4 + d2 * d2;
        }
        m2 = m2 / (float)n;
        m3 = m3 / (float)n;
        m4 = m4 / (float)n;
        if (f->kind == CEP_F_STD)
            r = cep_sqrtf(m2);
        else if (m2 <= 0.0f)
            r = 0.0f;
        else if (f->kind == CEP_F_SKEWNESS)
            r = m3 / (m2 * cep_sqrtf(m2));
        else
            r = m4 / (m2 * m2);
        break;
    }
    case CEP_F_MIN:
    case CEP_F_MAX:
    case CEP_F_P2P: {
        float lo = at(s, cap, 0), hi = lo;
        for (i = 1; i < n; i++) {
            float x = at(s, cap, i);
            if (x < lo) lo = x;
            if (x > hi) hi = x;
        }
        r = f->kind == CEP_F_MIN ? lo : f->kind == CEP_F_MAX ? hi : hi - lo;
        break;
    }
    case CEP_F_ZCROSS: {
        uint32_t c = 0;
        bool prev = at(s, cap, 0) - mean >= 0.0f;
        for (i = 1; i < n; i++) {
            bool pos = at(s, cap, i) - mean >= 0.0f;
            c += pos != prev;
            prev = pos;
        }
        r = (float)c;
        break;
    }
    case CEP_F_SLOPE: {
        float su = 0.0f, mu, num = 0.0f, den = 0.0f;
        bool timed = (wd->flags & CEP_WIN_TIME) != 0;
        float dt = f->p0 > 0.0f ? f->p0 : 1.0f;
        if (n < 2) {
            r = 0.0f;
            break;
        }
        for (i = 0; i < n; i++)
            su = su + (timed ? (float)cep_tdiff(s->tbuf[(s->head + i) % cap], s->tbuf[s->head]) / 1000.0f
                             : (float)i * dt);
        mu = su / (float)n;
        for (i = 0; i < n; i++) {
            float u = timed ? (float)cep_tdiff(s->tbuf[(s->head + i) % cap], s->tbuf[s->head]) / 1000.0f
                            : (float)i * dt;
            float du = u - mu;
            num = num + du * (at(s, cap, i) - mean);
            den = den + du * du;
        }
        r = den > 0.0f ? num / den : 0.0f;
        break;
    }
    default:
        return;
    }
    out[0] = r;
}

void cep_feature_stream(cep_ctx *ctx, uint16_t fi, uint32_t t, float v)
{
    const cep_feature_desc *f = &ctx->prog->features[fi];
    cep_feat_state *s = &ctx->feats[fi];
    float *out = &ctx->slots[f->slot];

    switch ((cep_feature_kind)f->kind) {
    case CEP_F_EWMA:
        s->y = s->have ? s->y + f->p0 * (v - s->y) : v;
        out[0] = s->y;
        break;
    case CEP_F_DELTA:
        if (s->have)
            out[0] = v - s->y;
        s->y = v;
        break;
    case CEP_F_RATE:
        if (s->have) {
            int32_t dt = cep_tdiff(t, s->prev_t);
            if (dt > 0)
                out[0] = (v - s->y) / ((float)dt / 1000.0f);
        }
        s->y = v;
        break;
    default:
        return;
    }
    s->prev_t = t;
    s->have = 1;
}
