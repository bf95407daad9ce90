/*
** ml_kernels_driver.c — calls each int8 kernel once on a layer shaped like
** those of the bundled models (MobileNet-v1 person detection, micro speech,
** hello world), with pseudo-random data, for tests/bench/bench_ml_kernels.sh
** to measure under callgrind.  With an argument it runs only that case
** (one callgrind run per case keeps the kernels' costs apart).  Prints each
** case's label, its work (MACs, or elements for element-wise kernels) and a
** checksum of its output, so a run also shows that the data went through.
*/
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "ml/ml.h"

static uint32_t seed = 1;
static int8_t rnd(void)
{
    seed = seed * 1664525u + 1013904223u;
    return (int8_t)(seed >> 24);
}
static void fill(int8_t *p, int32_t n)
{
    int32_t i;
    for (i = 0; i < n; i++)
        p[i] = rnd();
}
static uint32_t checksum(const int8_t *p, int32_t n)
{
    uint32_t s = 0;
    int32_t i;
    for (i = 0; i < n; i++)
        s = s * 31u + (uint8_t)p[i];
    return s;
}

static int8_t in[96 * 96 * 8], in2[96 * 96 * 8], out[96 * 96 * 8], wts[256 * 256];
static int32_t bias[256], mult[256], shift[256];

static void setq(int32_t n)
{
    int32_t i;
    for (i = 0; i < n; i++) {
        bias[i] = (int32_t)(seed % 20000u) - 10000;
        rnd();
        mult[i] = 1300000000 + (int32_t)(seed % 500000000u);
        rnd();
        shift[i] = -7 - (int32_t)(seed % 3u);
    }
}

static void report(const char *label, int64_t work, const int8_t *y, int32_t n)
{
    printf("%-24s %10" PRId64 " %08" PRIx32 "\n", label, work, checksum(y, n));
}

/* Each bench_* function is what callgrind measures (inclusive cost). */
static void bench_pointwise(int32_t h, int32_t w, int32_t ci, int32_t co)
{
    ml_conv_params p = {1, -128, 1, 1, 1, 1, 0, 0, {-128, 127}};
    ml_per_channel_quant q = {mult, shift};
    ml_dims id = {1, h, w, ci}, fd = {co, 1, 1, ci}, od = {1, h, w, co};
    fill(in, h * w * ci);
    fill(wts, co * ci);
    setq(co);
    ml_conv_s8(&p, &q, &id, in, &fd, wts, bias, &od, out);
    report("conv_1x1", (int64_t)h * w * ci * co, out, h * w * co);
}

static void bench_conv3x3(int32_t h, int32_t w, int32_t ci, int32_t co)
{
    ml_conv_params p = {1, -128, 1, 1, 1, 1, 1, 1, {-128, 127}};
    ml_per_channel_quant q = {mult, shift};
    ml_dims id = {1, h, w, ci}, fd = {co, 3, 3, ci}, od = {1, h, w, co};
    fill(in, h * w * ci);
    fill(wts, co * 9 * ci);
    setq(co);
    ml_conv_s8(&p, &q, &id, in, &fd, wts, bias, &od, out);
    report("conv_3x3", (int64_t)h * w * 9 * ci * co, out, h * w * co);
}

static void bench_depthwise(int32_t h, int32_t w, int32_t c)
{
    ml_dw_conv_params p = {1, -128, 1, 1, 1, 1, 1, 1, 1, {-128, 127}};
    ml_per_channel_quant q = {mult, shift};
    ml_dims id = {1, h, w, c}, fd = {1, 3, 3, c}, od = {1, h, w, c};
    fill(in, h * w * c);
    fill(wts, 9 * c);
    setq(c);
    ml_depthwise_conv_s8(&p, &q, &id, in, &fd, wts, bias, &od, out);
    report("depthwise_3x3", (int64_t)h * w * 9 * c, out, h * w * c);
}

static void bench_fc(int32_t depth, int32_t co)
{
    ml_fc_params p = {1, 0, -5, {-128, 127}};
    ml_per_tensor_quant q = {1500000000, -8};
    fill(in, depth);
    fill(wts, depth * co);
    setq(co);
    ml_fully_connected_s8(&p, &q, 1, depth, co, in, wts, bias, out);
    report("fully_connected", (int64_t)depth * co, out, co);
}

static void bench_avg_pool(int32_t h, int32_t w, int32_t c)
{
    ml_pool_params p = {1, 1, 3, 3, 1, 1, {-128, 127}};
    ml_dims id = {1, h, w, c}, od = {1, h, w, c};
    fill(in, h * w * c);
    ml_avg_pool_s8(&p, &id, in, &od, out);
    report("avg_pool_3x3", (int64_t)h * w * c, out, h * w * c);
}

static void bench_softmax(int32_t rows, int32_t size)
{
    ml_softmax_params p = {1077952640, 19, -3968};
    fill(in, rows * size);
    ml_softmax_s8(&p, rows, size, in, out);
    report("softmax", (int64_t)rows * size, out, rows * size);
}

static void bench_add(int32_t n)
{
    ml_add_params p = {128, 128, -128, 20, 1 << 30, 0, 1 << 30, 0, 1 << 30, -19,
                       {-128, 127}};
    fill(in, n);
    fill(in2, n);
    ml_add_s8(&p, n, in, in2, out);
    report("add", n, out, n);
}

static void bench_logistic(int32_t n)
{
    ml_logistic_params p = {0, 120, 1 << 30, 24};
    int8_t lut[ML_LUT_SIZE];
    fill(in, n);
    ml_logistic_s8(&p, n, in, out);
    report("logistic", n, out, n);
    ml_logistic_lut_fill_s8(&p, lut);
    ml_lut_s8(lut, n, in, in2);
    report("logistic_lut", n, in2, n);
}

static void run_logistic(void) { bench_logistic(4096); }
static void run_pointwise(void) { bench_pointwise(24, 24, 32, 32); }
static void run_conv3x3(void) { bench_conv3x3(16, 16, 8, 8); }
static void run_depthwise(void) { bench_depthwise(24, 24, 32); }
static void run_fc(void) { bench_fc(256, 64); }
static void run_avg_pool(void) { bench_avg_pool(24, 24, 32); }
static void run_softmax(void) { bench_softmax(1, 12); }
static void run_add(void) { bench_add(4096); }

static const struct {
    const char *name;
    void (*run)(void);
} cases[] = {
    {"conv_1x1", run_pointwise},     {"conv_3x3", run_conv3x3},
    {"depthwise_3x3", run_depthwise}, {"fully_connected", run_fc},
    {"avg_pool_3x3", run_avg_pool},   {"softmax", run_softmax},
    {"add", run_add},                 {"logistic", run_logistic},
};

int main(int argc, char **argv)
{
    size_t i;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++)
        if (argc < 2 || strcmp(argv[1], cases[i].name) == 0)
            cases[i].run();
    return 0;
}
