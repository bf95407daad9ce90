/*
** test_cep_models.c — tflite model slots (quantization, outputs, errors,
** autoencoder error) with a fake inference callback, and the learned
** anomaly baseline on synthetic Gaussian data against a double-precision
** reference and against the chi-square expectation.
*/
#include <math.h>
#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

#include "cep_harness.h"

static int8_t last_in[8];
static int8_t next_out[8];
static int fail_model = -1;

static rt_status fake_infer(void *user, uint16_t model, const int8_t *in, size_t n_in, int8_t *out,
                            size_t n_out)
{
    size_t i;
    (void)user;
    if ((int)model == fail_model)
        return RT_ERR_ARG;
    for (i = 0; i < n_in && i < 8; i++)
        last_in[i] = in[i];
    for (i = 0; i < n_out; i++)
        out[i] = model == 7 ? in[i] : next_out[i];    /* model 7: identity (autoencoder) */
    return RT_OK;
}

/* Classifier: input scale 0.5, zero point -10; q = round(x/0.5) - 10 with
** ties away from zero: 1.25 → 2.5 → 3 → -7; -1.25 → -3 → -13; 0.75 → 1.5 →
** 2 → -8; 1000 → 2000 → saturates 127; -1000 → -128.  Outputs int8
** (-118, 72, -82) with scale 1/256, zero point -128 dequantize to 10/256,
** 200/256, 46/256: class 1, score 0.78125; raw values as given. */
static void tflite_classifier(void **state)
{
    harness h;
    uint16_t in, m, slots[2];
    float x[2];
    (void)state;
    h_new(&h);
    h.infer = fake_infer;
    in = cep_b_input(h.b, "x", CEP_IN_F32, 2, 1, 0);
    slots[0] = cep_b_input_slot(h.b, in, 0);
    slots[1] = cep_b_input_slot(h.b, in, 1);
    m = cep_b_tflite(h.b, 3, slots, 2, 3, 0.5f, -10, 1.0f / 256, -128);
    h_start(&h);
    next_out[0] = -118;
    next_out[1] = 72;
    next_out[2] = -82;
    x[0] = 1.25f;
    x[1] = -1.25f;
    assert_int_equal(cep_push_f32(h.ctx, in, 1, x), RT_OK);
    assert_int_equal(last_in[0], -7);
    assert_int_equal(last_in[1], -13);
    x[0] = 0.75f;
    x[1] = 1000.0f;
    assert_int_equal(cep_push_f32(h.ctx, in, 2, x), RT_OK);
    assert_int_equal(last_in[0], -8);
    assert_int_equal(last_in[1], 127);
    x[1] = -1000.0f;
    assert_int_equal(cep_push_f32(h.ctx, in, 3, x), RT_OK);
    assert_int_equal(last_in[1], -128);
    assert_float_equal(cep_slot_get(h.ctx, cep_b_model_slot(h.b, m, CEP_MS_CLASS)), 1, 0);
    assert_float_equal(cep_slot_get(h.ctx, cep_b_model_slot(h.b, m, CEP_MS_TSCORE)), 0.78125, 0);
    assert_float_equal(cep_slot_get(h.ctx, cep_b_model_slot(h.b, m, CEP_MS_VEC + 0)), 10.0 / 256, 0);
    assert_float_equal(cep_slot_get(h.ctx, cep_b_model_slot(h.b, m, CEP_MS_VEC + 2)), 46.0 / 256, 0);
    assert_float_equal(cep_slot_get(h.ctx, cep_b_model_slot(h.b, m, CEP_MS_VEC + 3 + 1)), 72, 0);
    assert_true(isnan(cep_slot_get(h.ctx, cep_b_model_slot(h.b, m, CEP_MS_ERROR))));
    assert_int_equal(cep_stats_get(h.ctx)->inferences, 3);
    h_free(&h);
}

/* Autoencoder (identity on the quantized vector, scale 0.5, zp 0): x =
** (1.3, -0.7) quantizes to (3, -1) (2.6 → 3, -1.4 → -1), dequantizes to
** (1.5, -0.5): error = (0.2² + 0.2²)/2 = 0.04 (to float rounding of 1.3,
** 0.7).  A failing callback (model 9) leaves NaN outputs and is counted;
** a model whose input is NaN (feature not ready) does not run. */
static void tflite_autoencoder_and_errors(void **state)
{
    harness h;
    uint16_t in, m, bad, slots[2], w, mean;
    float x[2] = { 1.3f, -0.7f };
    (void)state;
    h_new(&h);
    h.infer = fake_infer;
    in = cep_b_input(h.b, "x", CEP_IN_F32, 2, 1, 0);
    slots[0] = cep_b_input_slot(h.b, in, 0);
    slots[1] = cep_b_input_slot(h.b, in, 1);
    m = cep_b_tflite(h.b, 7, slots, 2, 2, 0.5f, 0, 0.5f, 0);
    bad = cep_b_tflite(h.b, 9, slots, 2, 2, 0.5f, 0, 0.5f, 0);
    w = cep_b_window_count(h.b, in, 0, 4, 4);
    mean = cep_b_feature_slot(h.b, cep_b_feature(h.b, CEP_F_MEAN, w, 0), 0);
    cep_b_tflite(h.b, 8, &mean, 1, 2, 0.5f, 0, 0.5f, 0);
    h_start(&h);
    fail_model = 9;
    assert_int_equal(cep_push_f32(h.ctx, in, 0, x), RT_OK);
    fail_model = -1;
    assert_float_equal(cep_slot_get(h.ctx, cep_b_model_slot(h.b, m, CEP_MS_ERROR)), 0.04, 1e-6);
    assert_true(isnan(cep_slot_get(h.ctx, cep_b_model_slot(h.b, bad, CEP_MS_CLASS))));
    assert_int_equal(cep_stats_get(h.ctx)->infer_errors, 1);
    /* the model on the window mean did not run: 2 inferences (m and bad) */
    assert_int_equal(cep_stats_get(h.ctx)->inferences, 2);
    h_free(&h);
}

static double gauss(uint32_t *seed)
{
    double u1 = h_unif(seed), u2 = h_unif(seed);
    return sqrt(-2 * log(1 - u1)) * cos(2 * M_PI * u2);
}

/* x = A z, z ~ N(0, I3), A lower triangular: strongly correlated features. */
static void sample(uint32_t *seed, double *x)
{
    double z0 = gauss(seed), z1 = gauss(seed), z2 = gauss(seed);
    x[0] = 2.0 * z0 + 10;
    x[1] = 1.6 * z0 + 0.6 * z1 - 3;
    x[2] = 0.5 * z0 - 0.3 * z1 + 0.2 * z2;
}

/* Solves S y = d for 3x3 by Gaussian elimination (double). */
static void solve3(double S[3][3], const double *d, double *y)
{
    double a[3][4];
    int i, j, k;
    for (i = 0; i < 3; i++) {
        for (j = 0; j < 3; j++)
            a[i][j] = S[i][j];
        a[i][3] = d[i];
    }
    for (k = 0; k < 3; k++)
        for (i = k + 1; i < 3; i++) {
            double f = a[i][k] / a[k][k];
            for (j = k; j < 4; j++)
                a[i][j] -= f * a[k][j];
        }
    for (i = 2; i >= 0; i--) {
        for (j = i + 1; j < 3; j++)
            a[i][3] -= a[i][j] * a[j][3];
        a[i][3] /= a[i][i];
    }
    for (i = 0; i < 3; i++)
        y[i] = a[i][3];
}

/* dᵀ S⁻¹ d */
static double quad3(double S[3][3], const double *d)
{
    double y[3];
    solve3(S, d, y);
    return d[0] * y[0] + d[1] * y[1] + d[2] * y[2];
}

/* E[T²] for x ~ N(mean, T) scored with covariance S': tr(S'⁻¹ T). */
static double expected_t2(double Sr[3][3], double T[3][3])
{
    double tr = 0, col[3], y[3];
    int j, k;
    for (j = 0; j < 3; j++) {
        for (k = 0; k < 3; k++)
            col[k] = T[k][j];
        solve3(Sr, col, y);
        tr += y[j];
    }
    return tr;
}

/* learn 10 s at 1 kHz (10000 vectors), then score.  (1) learning is 1 and
** the score NaN during learning, 0 after; (2) T² of a test vector matches
** the double-precision reference (sample covariance + ridge 1e-3 * mean
** variance) to 1e-3 relative (float Welford over 10^4 vectors, condition
** number ~100); (3) on 20000 fresh normal vectors the mean T² is within
** 0.1 of tr(S'⁻¹ Σ) for the true covariance Σ = A Aᵀ (χ²₃ has sd √6, so
** the mean of 20000 has sd 0.017; estimating S from 10^4 vectors adds
** ~n²/N), which is n = 3 without ridge and about 2.8 with ridge 1e-3: the smallest
** eigenvalue of Σ is close to the ridge λ — and the same test with ridge
** 1e-6 gives 3 ± 0.1; (4) shifting feature 0 by 5 sd makes
** the mean T² > 20 and zmax ≈ 5. */
static void anomaly_run(float ridge)
{
    harness h;
    uint16_t in, m, slots[3];
    uint32_t seed = 4242, t = 0;
    double mean[3] = { 0 }, S[3][3] = { { 0 } }, x[3], sum = 0, sumz = 0;
    double (*learned)[3] = malloc(sizeof(double[3]) * 10000);
    float xf[3];
    int i, j, k;
    h_new(&h);
    in = cep_b_input(h.b, "f", CEP_IN_F32, 3, 1, 1000);
    for (i = 0; i < 3; i++)
        slots[i] = cep_b_input_slot(h.b, in, (unsigned)i);
    m = cep_b_anomaly(h.b, slots, 3, 10000, ridge);
    h_start(&h);
    for (i = 0; i < 10000; i++, t++) {
        sample(&seed, x);
        for (j = 0; j < 3; j++) {
            xf[j] = (float)x[j];
            learned[i][j] = xf[j];
        }
        assert_int_equal(cep_push_f32(h.ctx, in, t, xf), RT_OK);
        assert_float_equal(cep_slot_get(h.ctx, cep_b_model_slot(h.b, m, CEP_MS_LEARNING)), 1, 0);
        assert_true(isnan(cep_slot_get(h.ctx, cep_b_model_slot(h.b, m, CEP_MS_SCORE))));
    }
    for (i = 0; i < 10000; i++)
        for (j = 0; j < 3; j++)
            mean[j] += learned[i][j] / 10000;
    for (i = 0; i < 10000; i++)
        for (j = 0; j < 3; j++)
            for (k = 0; k < 3; k++)
                S[j][k] += (learned[i][j] - mean[j]) * (learned[i][k] - mean[k]) / 9999;
    {
        double lam = (double)ridge * (S[0][0] + S[1][1] + S[2][2]) / 3, d[3];
        for (j = 0; j < 3; j++)
            S[j][j] += lam;
        xf[0] = 13.0f;
        xf[1] = -1.0f;
        xf[2] = 1.0f;
        assert_int_equal(cep_push_f32(h.ctx, in, t++, xf), RT_OK);
        for (j = 0; j < 3; j++)
            d[j] = xf[j] - mean[j];
        assert_float_equal(cep_slot_get(h.ctx, cep_b_model_slot(h.b, m, CEP_MS_LEARNING)), 0, 0);
        assert_float_equal(cep_slot_get(h.ctx, cep_b_model_slot(h.b, m, CEP_MS_SCORE)), quad3(S, d),
                           1e-3 * quad3(S, d));
        assert_float_equal(cep_slot_get(h.ctx, cep_b_model_slot(h.b, m, CEP_MS_VEC + 0)),
                           d[0] / sqrt(S[0][0]), 1e-3);
    }
    for (i = 0; i < 20000; i++) {
        sample(&seed, x);
        for (j = 0; j < 3; j++)
            xf[j] = (float)x[j];
        assert_int_equal(cep_push_f32(h.ctx, in, t++, xf), RT_OK);
        sum += cep_slot_get(h.ctx, cep_b_model_slot(h.b, m, CEP_MS_SCORE));
    }
    {
        double T[3][3] = { { 4, 3.2, 1 }, { 3.2, 2.92, 0.62 }, { 1, 0.62, 0.38 } };   /* A Aᵀ */
        double Sr[3][3];
        double lam = (double)ridge * (4 + 2.92 + 0.38) / 3;
        memcpy(Sr, T, sizeof Sr);
        for (j = 0; j < 3; j++)
            Sr[j][j] += lam;
        assert_float_equal(sum / 20000, expected_t2(Sr, T), 0.1);
        if (ridge < 1e-5f)
            assert_float_equal(sum / 20000, 3.0, 0.1);
    }
    sum = 0;
    for (i = 0; i < 2000; i++) {
        sample(&seed, x);
        x[0] += 10;     /* 5 standard deviations of feature 0 */
        for (j = 0; j < 3; j++)
            xf[j] = (float)x[j];
        assert_int_equal(cep_push_f32(h.ctx, in, t++, xf), RT_OK);
        sum += cep_slot_get(h.ctx, cep_b_model_slot(h.b, m, CEP_MS_SCORE));
        sumz += cep_slot_get(h.ctx, cep_b_model_slot(h.b, m, CEP_MS_ZMAX));
    }
    assert_true(sum / 2000 > 20);
    assert_float_equal(sumz / 2000, 5.0, 0.5);
    /* reset: learning again */
    cep_reset(h.ctx);
    assert_int_equal(cep_push_f32(h.ctx, in, 0, xf), RT_OK);
    assert_float_equal(cep_slot_get(h.ctx, cep_b_model_slot(h.b, m, CEP_MS_LEARNING)), 1, 0);
    free(learned);
    h_free(&h);
}

static void anomaly_baseline(void **state)
{
    (void)state;
    anomaly_run(1e-3f);
    anomaly_run(1e-6f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(tflite_classifier),
        cmocka_unit_test(tflite_autoencoder_and_errors),
        cmocka_unit_test(anomaly_baseline),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
