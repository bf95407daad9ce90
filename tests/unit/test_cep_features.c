/*
** test_cep_features.c — windows and features against hand-derived values
** and against a straightforward double-precision computation, and the FFT
** against a naive DFT in double.
**
** Tolerances: features are computed in single precision with sums in time
** order; for n samples of magnitude ~1 the accumulated rounding error of a
** sum is below n * 2^-24 relative (n = 64: 4e-6), so first/second moments
** are checked to 1e-5 relative; third/fourth moment ratios (skewness,
** kurtosis) amplify it by roughly their order, so 1e-4.  The FFT error
** grows like log2(N) * 2^-24 * ||x||; we allow 1e-5 * ||x|| per bin.
*/
#include <math.h>
#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

#include "cep_harness.h"
#include "cep/internal.h"

static uint16_t feat(harness *h, cep_feature_kind k, uint16_t w, float p0)
{
    uint16_t f = cep_b_feature(h->b, k, w, p0);
    assert_int_not_equal(f, CEP_NONE);
    return cep_b_feature_slot(h->b, f, 0);
}

/* Window [1,2,3,4] (count window 4, hop 4, period 10 ms).  By hand:
** mean 2.5; rms sqrt(30/4) = sqrt(7.5); deviations -1.5 -0.5 0.5 1.5:
** m2 = (2.25+0.25+0.25+2.25)/4 = 1.25, std sqrt(1.25), m3 = 0 so skewness 0,
** m4 = (5.0625*2 + 0.0625*2)/4 = 2.5625, kurtosis 2.5625/1.5625 = 1.64;
** min 1, max 4, p2p 3, crest 4/sqrt(7.5); one sign change of x - mean;
** slope 1 per sample = 100 per second. */
static void hand_window(void **state)
{
    harness h;
    uint16_t in, w, s[11];
    unsigned i;
    (void)state;
    h_new(&h);
    in = cep_b_input(h.b, "x", CEP_IN_F32, 1, 1.0f, 10000);
    w = cep_b_window_count(h.b, in, 0, 4, 4);
    s[0] = feat(&h, CEP_F_MEAN, w, 0);
    s[1] = feat(&h, CEP_F_RMS, w, 0);
    s[2] = feat(&h, CEP_F_STD, w, 0);
    s[3] = feat(&h, CEP_F_MIN, w, 0);
    s[4] = feat(&h, CEP_F_MAX, w, 0);
    s[5] = feat(&h, CEP_F_P2P, w, 0);
    s[6] = feat(&h, CEP_F_SKEWNESS, w, 0);
    s[7] = feat(&h, CEP_F_KURTOSIS, w, 0);
    s[8] = feat(&h, CEP_F_CREST, w, 0);
    s[9] = feat(&h, CEP_F_ZCROSS, w, 0);
    s[10] = feat(&h, CEP_F_SLOPE, w, 0.01f);
    h_start(&h);
    for (i = 0; i < 3; i++) {
        h_f32(&h, in, i * 10, (float)(i + 1));
        assert_true(isnan(cep_slot_get(h.ctx, s[0])));    /* not full yet */
    }
    h_f32(&h, in, 30, 4.0f);
    assert_float_equal(cep_slot_get(h.ctx, s[0]), 2.5, 1e-7);
    assert_float_equal(cep_slot_get(h.ctx, s[1]), sqrt(7.5), 1e-6);
    assert_float_equal(cep_slot_get(h.ctx, s[2]), sqrt(1.25), 1e-6);
    assert_float_equal(cep_slot_get(h.ctx, s[3]), 1.0, 0);
    assert_float_equal(cep_slot_get(h.ctx, s[4]), 4.0, 0);
    assert_float_equal(cep_slot_get(h.ctx, s[5]), 3.0, 0);
    assert_float_equal(cep_slot_get(h.ctx, s[6]), 0.0, 1e-6);
    assert_float_equal(cep_slot_get(h.ctx, s[7]), 1.64, 1e-6);
    assert_float_equal(cep_slot_get(h.ctx, s[8]), 4.0 / sqrt(7.5), 1e-6);
    assert_float_equal(cep_slot_get(h.ctx, s[9]), 1.0, 0);
    assert_float_equal(cep_slot_get(h.ctx, s[10]), 100.0, 1e-4);
    h_free(&h);
}

/* Random window of 64 samples: every window feature against the same
** definition computed in double. */
static void random_window_vs_double(void **state)
{
    harness h;
    uint16_t in, w, s[11];
    double x[64], m = 0, m2 = 0, m3 = 0, m4 = 0, sq = 0, lo = 1e9, hi = -1e9, pk = 0;
    double su = 0, num = 0, den = 0, zc = 0, rms;
    uint32_t seed = 12345;
    unsigned i;
    (void)state;
    h_new(&h);
    in = cep_b_input(h.b, "x", CEP_IN_F32, 1, 1.0f, 1000);
    w = cep_b_window_count(h.b, in, 0, 64, 64);
    s[0] = feat(&h, CEP_F_MEAN, w, 0);
    s[1] = feat(&h, CEP_F_RMS, w, 0);
    s[2] = feat(&h, CEP_F_STD, w, 0);
    s[3] = feat(&h, CEP_F_MIN, w, 0);
    s[4] = feat(&h, CEP_F_MAX, w, 0);
    s[5] = feat(&h, CEP_F_P2P, w, 0);
    s[6] = feat(&h, CEP_F_SKEWNESS, w, 0);
    s[7] = feat(&h, CEP_F_KURTOSIS, w, 0);
    s[8] = feat(&h, CEP_F_CREST, w, 0);
    s[9] = feat(&h, CEP_F_ZCROSS, w, 0);
    s[10] = feat(&h, CEP_F_SLOPE, w, 0.001f);
    h_start(&h);
    for (i = 0; i < 64; i++) {
        /* skewed data: exponential-ish plus a trend */
        float v = (float)(-log(1.0 - h_unif(&seed)) + 0.01 * i);
        x[i] = v;
        h_f32(&h, in, i, v);
    }
    for (i = 0; i < 64; i++) {
        m += x[i] / 64;
        sq += x[i] * x[i];
        lo = fmin(lo, x[i]);
        hi = fmax(hi, x[i]);
        pk = fmax(pk, fabs(x[i]));
    }
    for (i = 0; i < 64; i++) {
        double d = x[i] - m;
        m2 += d * d / 64;
        m3 += d * d * d / 64;
        m4 += d * d * d * d / 64;
        if (i > 0 && ((x[i - 1] - m >= 0) != (d >= 0)))
            zc++;
        su += i * 0.001 / 64;
    }
    for (i = 0; i < 64; i++) {
        num += (i * 0.001 - su) * (x[i] - m);
        den += (i * 0.001 - su) * (i * 0.001 - su);
    }
    rms = sqrt(sq / 64);
    assert_float_equal(cep_slot_get(h.ctx, s[0]), m, 1e-5 * fabs(m));
    assert_float_equal(cep_slot_get(h.ctx, s[1]), rms, 1e-5 * rms);
    assert_float_equal(cep_slot_get(h.ctx, s[2]), sqrt(m2), 1e-5 * sqrt(m2));
    assert_float_equal(cep_slot_get(h.ctx, s[3]), lo, 0);
    assert_float_equal(cep_slot_get(h.ctx, s[4]), hi, 0);
    assert_float_equal(cep_slot_get(h.ctx, s[5]), hi - lo, 1e-6 * hi);
    assert_float_equal(cep_slot_get(h.ctx, s[6]), m3 / pow(m2, 1.5), 1e-4 * fabs(m3 / pow(m2, 1.5)));
    assert_float_equal(cep_slot_get(h.ctx, s[7]), m4 / (m2 * m2), 1e-4 * m4 / (m2 * m2));
    assert_float_equal(cep_slot_get(h.ctx, s[8]), pk / rms, 1e-5 * pk / rms);
    assert_float_equal(cep_slot_get(h.ctx, s[9]), zc, 0);
    assert_float_equal(cep_slot_get(h.ctx, s[10]), num / den, 1e-4 * fabs(num / den));
    h_free(&h);
}

/* Count window 4 hop 2 over 1..8: emits after samples 4, 6, 8 with windows
** 1..4, 3..6, 5..8 (means 2.5, 4.5, 6.5); tumbling 3 over 1..6 emits after
** 3 and 6 (means 2, 5). */
static void sliding_and_tumbling(void **state)
{
    harness h;
    uint16_t in, ms, mt;
    const double want_s[8] = { NAN, NAN, NAN, 2.5, 2.5, 4.5, 4.5, 6.5 };
    const double want_t[8] = { NAN, NAN, 2, 2, 2, 5, 5, 5 };
    unsigned i;
    (void)state;
    h_new(&h);
    in = cep_b_input(h.b, "x", CEP_IN_F32, 1, 1.0f, 0);
    ms = feat(&h, CEP_F_MEAN, cep_b_window_count(h.b, in, 0, 4, 2), 0);
    mt = feat(&h, CEP_F_MEAN, cep_b_window_count(h.b, in, 0, 3, 3), 0);
    h_start(&h);
    for (i = 0; i < 8; i++) {
        h_f32(&h, in, i, (float)(i + 1));
        if (isnan(want_s[i]))
            assert_true(isnan(cep_slot_get(h.ctx, ms)));
        else
            assert_float_equal(cep_slot_get(h.ctx, ms), want_s[i], 0);
        if (isnan(want_t[i]))
            assert_true(isnan(cep_slot_get(h.ctx, mt)));
        else
            assert_float_equal(cep_slot_get(h.ctx, mt), want_t[i], 0);
    }
    h_free(&h);
}

/* Time window span 100 ms, emits on every sample; a second one with room
** for only 2 samples.  Samples (t, v): (0,1) (50,3) (100,5) (149,7).
** Window keeps t > now - 100: at t=100 {3,5} mean 4; at 149 {3,5,7} mean 5.
** The 2-sample window at 149 holds {5,7} (mean 6) and counts one overflow.
** A third window with hop 100 ms emits at t=0 and t=100 only. */
static void time_window(void **state)
{
    harness h;
    uint16_t in, m1, m2, m3, sl;
    (void)state;
    h_new(&h);
    in = cep_b_input(h.b, "x", CEP_IN_F32, 1, 1.0f, 0);
    m1 = feat(&h, CEP_F_MEAN, cep_b_window_time(h.b, in, 0, 100, 0, 8), 0);
    sl = feat(&h, CEP_F_SLOPE, 0 /* the first window */, 0);
    m2 = feat(&h, CEP_F_MEAN, cep_b_window_time(h.b, in, 0, 100, 0, 2), 0);
    m3 = feat(&h, CEP_F_MEAN, cep_b_window_time(h.b, in, 0, 100, 100, 8), 0);
    h_start(&h);
    h_f32(&h, in, 0, 1);
    assert_float_equal(cep_slot_get(h.ctx, m1), 1, 0);
    assert_float_equal(cep_slot_get(h.ctx, m3), 1, 0);
    h_f32(&h, in, 50, 3);
    assert_float_equal(cep_slot_get(h.ctx, m1), 2, 0);
    assert_float_equal(cep_slot_get(h.ctx, m3), 1, 0);    /* no emission */
    h_f32(&h, in, 100, 5);
    assert_float_equal(cep_slot_get(h.ctx, m1), 4, 0);
    assert_float_equal(cep_slot_get(h.ctx, m3), 4, 0);
    h_f32(&h, in, 149, 7);
    assert_float_equal(cep_slot_get(h.ctx, m1), 5, 0);
    assert_float_equal(cep_slot_get(h.ctx, m2), 6, 0);
    assert_float_equal(cep_slot_get(h.ctx, m3), 4, 0);
    /* slope over times 0.05, 0.1, 0.149 s of 3, 5, 7: by least squares in
    ** double: u = 0, .05, .099 rel. to the first */
    {
        double u[3] = { 0, 0.05, 0.099 }, v[3] = { 3, 5, 7 }, mu = 0.049666666666666665, mv = 5, nu = 0, de = 0;
        int i;
        for (i = 0; i < 3; i++) {
            nu += (u[i] - mu) * (v[i] - mv);
            de += (u[i] - mu) * (u[i] - mu);
        }
        assert_float_equal(cep_slot_get(h.ctx, sl), nu / de, 1e-3);
    }
    assert_int_equal(cep_stats_get(h.ctx)->window_overflow, 1);
    h_free(&h);
}

/* EWMA alpha 0.5 over 2, 4, 8: 2, 3, 5.5.  delta: NaN, 2, 4.  rate at t =
** 0, 500, 1500 ms: NaN, 2/0.5 = 4, 4/1 = 4; a repeated timestamp leaves the
** rate unchanged (4) while delta becomes 10 - 8 = 2. */
static void stream_features(void **state)
{
    harness h;
    uint16_t in, e, d, r;
    (void)state;
    h_new(&h);
    in = cep_b_input(h.b, "x", CEP_IN_F32, 1, 1.0f, 0);
    e = cep_b_feature_slot(h.b, cep_b_stream(h.b, CEP_F_EWMA, in, 0, 0.5f), 0);
    d = cep_b_feature_slot(h.b, cep_b_stream(h.b, CEP_F_DELTA, in, 0, 0), 0);
    r = cep_b_feature_slot(h.b, cep_b_stream(h.b, CEP_F_RATE, in, 0, 0), 0);
    h_start(&h);
    h_f32(&h, in, 0, 2);
    assert_float_equal(cep_slot_get(h.ctx, e), 2, 0);
    assert_true(isnan(cep_slot_get(h.ctx, d)));
    assert_true(isnan(cep_slot_get(h.ctx, r)));
    h_f32(&h, in, 500, 4);
    assert_float_equal(cep_slot_get(h.ctx, e), 3, 0);
    assert_float_equal(cep_slot_get(h.ctx, d), 2, 0);
    assert_float_equal(cep_slot_get(h.ctx, r), 4, 0);
    h_f32(&h, in, 1500, 8);
    assert_float_equal(cep_slot_get(h.ctx, e), 5.5, 0);
    assert_float_equal(cep_slot_get(h.ctx, d), 4, 0);
    assert_float_equal(cep_slot_get(h.ctx, r), 4, 0);
    h_f32(&h, in, 1500, 10);
    assert_float_equal(cep_slot_get(h.ctx, d), 2, 0);
    assert_float_equal(cep_slot_get(h.ctx, r), 4, 0);
    h_free(&h);
}

/* Stream features over a feature.  EWMA alpha 0.5 of x = 2, 4, 8 at t = 0,
** 500, 1500 ms is 2, 3, 5.5 (as above); delta of that EWMA: NaN, 1, 2.5;
** rate of it: NaN, 1/0.5 = 2, 2.5/1 = 2.5 per second.  A second input y
** pushed in between must not update them (their source did not change). */
static void stream_of_feature(void **state)
{
    harness h;
    uint16_t in, y, ef, e, d, r;
    (void)state;
    h_new(&h);
    in = cep_b_input(h.b, "x", CEP_IN_F32, 1, 1.0f, 0);
    y = cep_b_input(h.b, "y", CEP_IN_F32, 1, 1.0f, 0);
    ef = cep_b_stream(h.b, CEP_F_EWMA, in, 0, 0.5f);
    e = cep_b_feature_slot(h.b, ef, 0);
    d = cep_b_feature_slot(h.b, cep_b_stream_feature(h.b, CEP_F_DELTA, ef, 0), 0);
    r = cep_b_feature_slot(h.b, cep_b_stream_feature(h.b, CEP_F_RATE, ef, 0), 0);
    h_start(&h);
    h_f32(&h, in, 0, 2);
    assert_float_equal(cep_slot_get(h.ctx, e), 2, 0);
    assert_true(isnan(cep_slot_get(h.ctx, d)));
    assert_true(isnan(cep_slot_get(h.ctx, r)));
    h_f32(&h, in, 500, 4);
    assert_float_equal(cep_slot_get(h.ctx, d), 1, 0);
    assert_float_equal(cep_slot_get(h.ctx, r), 2, 0);
    h_f32(&h, y, 1000, 100);
    assert_float_equal(cep_slot_get(h.ctx, d), 1, 0);
    assert_float_equal(cep_slot_get(h.ctx, r), 2, 0);
    h_f32(&h, in, 1500, 8);
    assert_float_equal(cep_slot_get(h.ctx, e), 5.5, 0);
    assert_float_equal(cep_slot_get(h.ctx, d), 2.5, 0);
    assert_float_equal(cep_slot_get(h.ctx, r), 2.5, 0);
    h_free(&h);
}

static void naive_dft(const double *re, const double *im, unsigned n, double *ore, double *oim)
{
    unsigned k, j;
    for (k = 0; k < n; k++) {
        double sr = 0, si = 0;
        for (j = 0; j < n; j++) {
            double a = -2 * M_PI * (double)((k * j) % n) / n;
            sr += re[j] * cos(a) - im[j] * sin(a);
            si += re[j] * sin(a) + im[j] * cos(a);
        }
        ore[k] = sr;
        oim[k] = si;
    }
}

static void fft_vs_dft(void **state)
{
    enum { N = 256 };
    float z[2 * N], cs[N];
    double re[N], im[N], ore[N], oim[N], norm = 0;
    uint32_t seed = 777;
    unsigned i, n;
    (void)state;
    for (n = 2; n <= N; n *= 2) {
        norm = 0;
        for (i = 0; i < n / 2; i++) {
            cs[i] = (float)cos(2 * M_PI * i / n);
            cs[n / 2 + i] = (float)sin(2 * M_PI * i / n);
        }
        for (i = 0; i < n; i++) {
            z[2 * i] = (float)(h_unif(&seed) * 2 - 1);
            z[2 * i + 1] = (float)(h_unif(&seed) * 2 - 1);
            re[i] = z[2 * i];
            im[i] = z[2 * i + 1];
            norm += re[i] * re[i] + im[i] * im[i];
        }
        norm = sqrt(norm);
        naive_dft(re, im, n, ore, oim);
        cep_fft(z, n, cs);
        for (i = 0; i < n; i++) {
            assert_float_equal(z[2 * i], ore[i], 1e-5 * norm);
            assert_float_equal(z[2 * i + 1], oim[i], 1e-5 * norm);
        }
    }
}

/* band_energy(w, 4) over 64 samples: bins 1..32, 8 per band, energy
** Σ|X_k|²/64 from a double DFT; dominant frequency of a sinusoid in bin 5
** at 640 Hz sampling (bin width 10 Hz) plus noise is 50 Hz. */
static void bands_and_dominant(void **state)
{
    harness h;
    uint16_t in, w, bands, dom;
    double re[64], im[64] = { 0 }, ore[64], oim[64], total = 0;
    uint32_t seed = 99;
    unsigned i, b, k;
    (void)state;
    h_new(&h);
    in = cep_b_input(h.b, "x", CEP_IN_F32, 1, 1.0f, 1563);
    w = cep_b_window_count(h.b, in, 0, 64, 64);
    bands = cep_b_bands(h.b, w, 4);
    dom = cep_b_feature_slot(h.b, cep_b_feature(h.b, CEP_F_DOMFREQ, w, 10.0f), 0);
    h_start(&h);
    for (i = 0; i < 64; i++) {
        float v = (float)(sin(2 * M_PI * 5 * i / 64) + 0.3 * (h_unif(&seed) - 0.5));
        re[i] = v;
        h_f32(&h, in, i, v);
    }
    naive_dft(re, im, 64, ore, oim);
    for (k = 1; k <= 32; k++)
        total += (ore[k] * ore[k] + oim[k] * oim[k]) / 64;
    for (b = 0; b < 4; b++) {
        double e = 0;
        for (k = 1 + b * 8; k <= (b + 1) * 8; k++)
            e += (ore[k] * ore[k] + oim[k] * oim[k]) / 64;
        assert_float_equal(cep_slot_get(h.ctx, cep_b_feature_slot(h.b, bands, b)), e, 1e-5 * total);
    }
    assert_float_equal(cep_slot_get(h.ctx, dom), 50.0, 0);
    h_free(&h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(hand_window),
        cmocka_unit_test(random_window_vs_double),
        cmocka_unit_test(sliding_and_tumbling),
        cmocka_unit_test(time_window),
        cmocka_unit_test(stream_features),
        cmocka_unit_test(stream_of_feature),
        cmocka_unit_test(fft_vs_dft),
        cmocka_unit_test(bands_and_dominant),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
