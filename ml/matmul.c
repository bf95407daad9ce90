/*
** matmul.c — int8 matrix product with offset and per-column requantization,
** the hot loop of FULLY_CONNECTED and 1x1 CONV_2D (see matmul.h).
**
** Two regroupings of the reference sum Σ (x + x_offset) * w make it cheap:
**   - blocking: two rows by two columns at a time, so each loaded value
**     feeds two multiply-accumulates;
**   - offset folding, when there are at least two rows: Σ (x + o) w =
**     Σ x w + o Σ w, with Σ w computed once per column and reused for
**     every row, so the inner loop multiplies raw bytes.
** Both are exact in int32 (see matmul.h).  With a single row (an FC layer
** with batch 1) folding would cost as much as it saves, so that case adds
** the offset to x instead, once per x element for two columns.
** On __ARM_FEATURE_DSP targets the inner loops are the SMLAD forms in
** dot_dsp.h; elsewhere the portable loops below.
*/
#include "ml/matmul.h"

#include "ml/dot.h"
#include "ml/ml_check.h"

#if ML_HAVE_DSP
#include "ml/dot_dsp.h"
#define dot_2x2 ml_dsp_dot_2x2
#define dot_1x2 ml_dsp_dot_1x2
#else
/* rows x, x + stride against rows w, w + stride (see dot_dsp.h) */
static void dot_2x2(const int8_t *x, const int8_t *w, int32_t stride,
                    int32_t n, int32_t acc[4])
{
    int32_t a00 = 0, a01 = 0, a10 = 0, a11 = 0, d;
    for (d = 0; d < n; d++) {
        int32_t xa = x[d], xb = x[stride + d], wa = w[d], wb = w[stride + d];
        a00 += xa * wa;
        a01 += xa * wb;
        a10 += xb * wa;
        a11 += xb * wb;
    }
    acc[0] = a00;
    acc[1] = a01;
    acc[2] = a10;
    acc[3] = a11;
}

#define dot_1x2 ml_dot2_offset_s8
#endif

static int32_t sum_s8(const int8_t *w, int32_t n)
{
    int32_t s = 0, d;
    for (d = 0; d < n; d++)
        s += w[d];
    return s;
}

/* One column's requantization, prepared once per column: the constant
** added to every accumulator (bias, plus x_offset * Σw when the offset is
** folded) and the multiplier with its shift split as ml_mbqm splits it.
** Adding bias and x_offset * Σw first and the accumulator after gives the
** same bits as TFLM's order: int32 addition wraps, so it is associative. */
typedef struct colq {
    uint32_t add;       /* bias (+ folded offset), added modulo 2^32 */
    int32_t mult;
    int32_t left;       /* max(shift, 0) */
    int32_t right;      /* max(-shift, 0) */
} colq;

static colq colq_make(const ml_matmul *m, int32_t c, int32_t folded)
{
    colq q;
    int32_t i = m->per_channel ? c : 0;
    int32_t shift = m->shift[i];
    q.add = (uint32_t)(m->bias != NULL ? m->bias[c] : 0) + (uint32_t)folded;
    q.mult = m->multiplier[i];
    q.left = shift > 0 ? shift : 0;
    q.right = shift > 0 ? 0 : -shift;
    return q;
}

/* The output side of the requantization, copied into locals by the
** callers: int8 stores may alias anything, so fields read through a
** pointer would be reloaded after every store. */
typedef struct outq {
    int32_t offset, min, max;
} outq;

static inline int8_t requant(outq o, const colq *q, int32_t acc)
{
    int32_t x = ml_wrap_s32(((uint32_t)acc + q->add) << q->left);
    int32_t y = ml_rdbpot(ml_srdhm_nonneg(x, q->mult), q->right);
    y = ml_wrap_s32((uint32_t)y + (uint32_t)o.offset);
    return ml_clamp_to_s8(y, o.min, o.max);
}

/* One column c against rows [0, rows): the odd last column. */
static void last_column(const ml_matmul *m, int32_t c)
{
    const int8_t *w = m->w + (size_t)c * (size_t)m->depth;
    const colq q = colq_make(m, c, 0);
    const outq o = {m->output_offset, m->activation.min, m->activation.max};
    int32_t r;
    for (r = 0; r < m->rows; r++) {
        const int8_t *x = m->x + (size_t)r * (size_t)m->depth;
        int32_t acc = ml_dot_offset_s8(x, m->x_offset, w, 0, m->depth);
        m->out[(size_t)r * (size_t)m->cols + (size_t)c] = requant(o, &q, acc);
    }
}

/* One row (an FC layer with batch 1): two columns per pass sharing the
** row's reads, the offset added to x; the requantization parameters of a
** per-tensor layer are prepared once. */
static void vector_matmul(const ml_matmul *m, outq o)
{
    const int32_t depth = m->depth, cols = m->cols;
    const int32_t *bias = m->bias;
    colq q0 = colq_make(m, 0, 0), q1 = q0;
    int32_t c, acc[2];
    for (c = 0; c + 2 <= cols; c += 2) {
        const int8_t *w0 = m->w + (size_t)c * (size_t)depth;
        if (m->per_channel) {
            q0 = colq_make(m, c, 0);
            q1 = colq_make(m, c + 1, 0);
        } else {
            q0.add = bias != NULL ? (uint32_t)bias[c] : 0u;
            q1.add = bias != NULL ? (uint32_t)bias[c + 1] : 0u;
        }
        dot_1x2(m->x, m->x_offset, w0, w0 + depth, depth, acc);
        m->out[c] = requant(o, &q0, acc[0]);
        m->out[c + 1] = requant(o, &q1, acc[1]);
    }
    if (c < cols)
        last_column(m, c);
}

void ml_matmul_s8(const ml_matmul *m)
{
    const int32_t depth = m->depth, cols = m->cols;
    const outq o = {m->output_offset, m->activation.min, m->activation.max};
    int32_t c, r, acc[4];
    if (m->rows == 1) {
        vector_matmul(m, o);
        return;
    }
    for (c = 0; c + 2 <= cols; c += 2) {
        const int8_t *w0 = m->w + (size_t)c * (size_t)depth;
        const int8_t *w1 = w0 + depth;
        int8_t *out = m->out + c;
        {
            /* o * Σw: |.| <= 128 * 128 * depth; added to Σ x w it gives
            ** the reference sum itself */
            const colq q0 = colq_make(m, c, m->x_offset * sum_s8(w0, depth));
            const colq q1 = colq_make(m, c + 1, m->x_offset * sum_s8(w1, depth));
            const int8_t *x = m->x;
            for (r = 0; r + 2 <= m->rows; r += 2) {
                dot_2x2(x, w0, depth, depth, acc);
                out[0] = requant(o, &q0, acc[0]);
                out[1] = requant(o, &q1, acc[1]);
                out[cols] = requant(o, &q0, acc[2]);
                out[cols + 1] = requant(o, &q1, acc[3]);
                x += 2 * depth;
                out += 2 * cols;
            }
            if (r < m->rows) { /* the odd last row: raw product, folded */
                dot_1x2(x, 0, w0, w1, depth, acc);
                out[0] = requant(o, &q0, acc[0]);
                out[1] = requant(o, &q1, acc[1]);
            }
        }
    }
    if (c < cols)
        last_column(m, c);
}
