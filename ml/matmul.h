/*
** matmul.h — the int8 matrix product under FULLY_CONNECTED and 1x1
** CONV_2D (internal to ml/).
**
** out[r][c] = requant_c(Σ_d (x[r][d] + x_offset) * w[c][d] + bias[c])
** for r < rows, c < cols: rows are input vectors (FC batches, or the pixels
** of a 1x1 convolution), cols are output channels.  The computation is the
** same sum as the kernels' reference definition, regrouped; every regrouping
** is exact integer arithmetic that never leaves int32 (ml_dot_fits holds
** for (depth, x_offset, 0) — the caller checks it), so results are
** bit-identical.
*/
#ifndef ML_MATMUL_H
#define ML_MATMUL_H

#include "ml/ml.h"

typedef struct ml_matmul {
    const int8_t *x;            /* [rows][depth] */
    const int8_t *w;            /* [cols][depth] */
    const int32_t *bias;        /* [cols] or NULL */
    const int32_t *multiplier;  /* [cols] if per_channel, else [1] */
    const int32_t *shift;       /* likewise */
    bool per_channel;
    int32_t rows, cols, depth;  /* each >= 1 */
    int32_t x_offset;           /* [-127, 128] */
    int32_t output_offset;
    ml_activation activation;
    int8_t *out;                /* [rows][cols] */
} ml_matmul;

void ml_matmul_s8(const ml_matmul *m);

#endif /* ML_MATMUL_H */
