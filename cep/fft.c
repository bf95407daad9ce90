/*
** fft.c — in-place iterative radix-2 decimation-in-time FFT, single
** precision, no trigonometry on the device: the twiddle factors
** cos(2*pi*k/n) and sin(2*pi*k/n), k < n/2, come from the program's
** constants (computed by the compiler on the host).  Only + - * on float,
** in a fixed order, so every platform produces the same bits.
** Work: (n/2) log2(n) butterflies.
*/
#include "cep/internal.h"

void cep_fft(float *z, uint32_t n, const float *cs)
{
    uint32_t i, j, len, k;
    const float *sn = cs + n / 2;

    /* bit-reversal permutation */
    for (i = 1, j = 0; i < n; i++) {
        uint32_t bit = n >> 1;
        for (; j & bit; bit >>= 1)
            j ^= bit;
        j ^= bit;
        if (i < j) {
            float tr = z[2 * i], ti = z[2 * i + 1];
            z[2 * i] = z[2 * j];
            z[2 * i + 1] = z[2 * j + 1];
            z[2 * j] = tr;
            z[2 * j + 1] = ti;
        }
    }
    /* butterflies; twiddle for stage length len is w^(k * n/len),
    ** w = exp(-2*pi*i/n) */
    for (len = 2; len <= n; len <<= 1) {
        uint32_t half = len >> 1, step = n / len;
        for (i = 0; i < n; i += len) {
            for (k = 0; k < half; k++) {
                float wr = cs[k * step], wi = -sn[k * step];
                uint32_t a = i + k, b = i + k + half;
                float xr = z[2 * b] * wr - z[2 * b + 1] * wi;
                float xi = z[2 * b] * wi + z[2 * b + 1] * wr;
                z[2 * b] = z[2 * a] - xr;
                z[2 * b + 1] = z[2 * a + 1] - xi;
                z[2 * a] = z[2 * a] + xr;
                z[2 * a + 1] = z[2 * a + 1] + xi;
            }
        }
    }
}
