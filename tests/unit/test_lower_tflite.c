/*
** test_lower_tflite.c — a `tflite` model in a rule, end to end: the test
** writes a tiny int8 model with the project's own .tflite writer
** (ml/import), a rule file next to it, compiles both with cep_compile_file
** (import, size checks, quantization handed to the engine, infer callback)
** and runs samples through the engine.
**
** The model: one FULLY_CONNECTED, input x int8[1,2] (scale 0.5, zp 0),
** weights int8[3,2] (scale 1) rows lo = (2, 0), mid = (0, 2), hi = (-1, -1),
** bias 0 (scale 0.5), output int8[1,3] (scale 0.5, zp 0).  The requantizing
** multiplier is 0.5 * 1 / 0.5 = 1, so q_out = Σ w·q_in exactly, and the real
** output is q_out * 0.5.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "cep/cep.h"
#include "cep/compile/lower.h"
#include "dsl/dsl.h"
#include "ml/import/import.h"

static char dir[256];
static char log_[2048];
static size_t log_len;
static const cep_program *prog;

static void on_alert(void *user, const cep_alert *a)
{
    size_t n = 0;
    const char *name = cep_program_name(prog, prog->rules[a->rule].name, &n);
    int k = snprintf(log_ + log_len, sizeof log_ - log_len, "t=%u %s %.*s: %s\n", (unsigned)a->t_ms,
                     cep_severity_name(a->severity), (int)n, name, a->msg);
    (void)user;
    if (k > 0 && (size_t)k < sizeof log_ - log_len)
        log_len += (size_t)k;
}

static void write_file(const char *name, const void *data, size_t len)
{
    char path[512];
    FILE *f;
    snprintf(path, sizeof path, "%s/%s", dir, name);
    f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    fclose(f);
}

static void write_model(void)
{
    ml_tflite_builder *b = ml_tflite_builder_new();
    int32_t s12[2] = { 1, 2 }, s32[2] = { 3, 2 }, s3[1] = { 3 }, s13[2] = { 1, 3 };
    static const int8_t w[6] = { 2, 0, 0, 2, -1, -1 };
    static const int32_t bias[3] = { 0, 0, 0 };
    float xs = 0.5f, ws = 1.0f, bs = 0.5f, ys = 0.5f;
    int64_t z = 0;
    int x, wt, bt, y;
    uint8_t *buf = NULL;
    size_t len = 0;
    x = ml_tflite_add_tensor(b, "x", ML_TFLITE_INT8, 2, s12, 1, &xs, &z, 0, NULL, 0);
    wt = ml_tflite_add_tensor(b, "w", ML_TFLITE_INT8, 2, s32, 1, &ws, &z, 0, w, sizeof w);
    bt = ml_tflite_add_tensor(b, "b", ML_TFLITE_INT32, 1, s3, 1, &bs, &z, 0, bias, sizeof bias);
    y = ml_tflite_add_tensor(b, "y", ML_TFLITE_INT8, 2, s13, 1, &ys, &z, 0, NULL, 0);
    {
        int32_t ins[3] = { x, wt, bt }, outs[1] = { y };
        ml_tflite_add_op(b, ML_TFLITE_FULLY_CONNECTED, 4, NULL, NULL, 3, ins, 1, outs);
        ml_tflite_set_io(b, 1, ins, 1, outs);
    }
    assert_true(ml_tflite_write(b, 1, &buf, &len));
    write_file("m.tflite", buf, len);
    free(buf);
    ml_tflite_builder_free(b);
}

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/tinycep_lower_XXXXXX");
    if (mkdtemp(dir) == NULL)
        return -1;
    return 0;
}

static int teardown(void **state)
{
    char cmd[600];
    (void)state;
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static struct cep_compiled *compile_rules(const char *src, char *diag, size_t cap)
{
    char path[512];
    struct dsl_diag *d = dsl_diag_new();
    struct cep_compiled *c;
    FILE *f = tmpfile();
    write_file("r.cep", src, strlen(src));
    snprintf(path, sizeof path, "%s/r.cep", dir);
    c = cep_compile_file(path, NULL, d);
    diag[0] = '\0';
    if (f != NULL) {
        size_t n;
        dsl_diag_print(d, f, DSL_DIAG_TEXT);
        rewind(f);
        n = fread(diag, 1, cap - 1, f);
        diag[n] = '\0';
        fclose(f);
    }
    dsl_diag_free(d);
    return c;
}

/* v = (1.5, 2.5) quantizes to (3, 5): q_out = (2*3, 2*5, -3-5) = (6, 10, -8),
** real (3.0, 5.0, -4.0): class mid, score 5.0, prob[lo] 3.0 → fault(mid)
** (mid != lo, 5 >= 4) and the message "mid 5.0 lo 3.0".
** v = (3, 1) → (6, 2): q_out (12, 4, -8), real (6, 2, -4): class lo,
** score 6 → fault(mid) is false; `m.class == lo` alerts with prob[hi] -4.0. */
static void classifier_in_rules(void **state)
{
    char diag[4096];
    struct cep_compiled *c;
    const struct cep_report *rep;
    cep_callbacks cb;
    cep_ctx *ctx;
    void *mem;
    size_t size, i;
    static const float v1[2] = { 1.5f, 2.5f }, v2[2] = { 3.0f, 1.0f };
    (void)state;
    write_model();
    c = compile_rules("input v : vec2<f32> @ 10 Hz;\n"
                      "model m = tflite \"m.tflite\" input [v] classes [lo, mid, hi];\n"
                      "event fault(k) when m.class == k and k != lo and m.score >= 4;\n"
                      "rule f when fault(mid) alert critical \"{m.class} {m.score:.1f} lo {m.prob[lo]:.1f}\";\n"
                      "rule g when m.class == lo alert info \"lo {m.score:.1f} hi {m.prob[hi]:.1f}\";\n",
                      diag, sizeof diag);
    if (c == NULL)
        print_error("%s", diag);
    assert_non_null(c);
    prog = cep_compiled_program(c);
    /* the engine quantizes with the model's own parameters */
    assert_int_equal(prog->n_models, 1);
    assert_true(prog->models[0].in_scale == 0.5f);
    assert_int_equal(prog->models[0].in_zp, 0);
    assert_true(prog->models[0].out_scale == 0.5f);
    assert_int_equal(cep_compiled_tflite_count(c), 1);
    assert_string_equal(cep_compiled_tflite_name(c, 0), "m");
    assert_non_null(cep_compiled_tflite(c, 0));

    size = cep_state_size(prog);
    mem = aligned_alloc(8, (size + 7) / 8 * 8);
    assert_non_null(mem);
    memset(&cb, 0, sizeof cb);
    cb.alert = on_alert;
    cb.infer = cep_compiled_infer;
    cb.user = c;
    assert_int_equal(cep_init(&ctx, prog, mem, size, &cb), RT_OK);
    assert_int_equal(cep_push_f32(ctx, 0, 0, v1), RT_OK);
    assert_int_equal(cep_push_f32(ctx, 0, 100, v2), RT_OK);
    log_[log_len] = '\0';
    assert_string_equal(log_, "t=0 critical f: mid 5.0 lo 3.0\n"
                              "t=100 info g: lo 6.0 hi -4.0\n");
    assert_int_equal(cep_stats_get(ctx)->inferences, 2);

    /* report: 3 x 2 weights = 6 MACs; arena: input (2 bytes) and output
    ** (3 bytes) are live together, each at a multiple of 4: 4 + 4 = 8 */
    rep = cep_compiled_report(c);
    for (i = 0; i < rep->n_items; i++)
        if (rep->items[i].kind == CEP_REP_MODEL)
            break;
    assert_true(i < rep->n_items);
    assert_int_equal(rep->items[i].macs, 6);
    assert_int_equal(rep->items[i].ram_arena, 8);
    assert_int_equal(rep->ram_arena, 8);
    assert_int_equal(rep->items[i].flash_model,
                     cep_compiled_tflite(c, 0)->weight_bytes + cep_compiled_tflite(c, 0)->table_bytes);
    free(mem);
    cep_compiled_free(c);
}

/* The same file read as a regressor (`outputs 3`): value[i] is output i
** dequantized; v = (1.5, 2.5) gives (3, 5, -4) as above, so value[2] < -3
** and the message shows value[0] = 3.0 and value[1] = 5.0. */
static void regressor_in_rules(void **state)
{
    char diag[4096];
    struct cep_compiled *c;
    cep_callbacks cb;
    cep_ctx *ctx;
    void *mem;
    size_t size;
    static const float v1[2] = { 1.5f, 2.5f };
    (void)state;
    write_model();
    log_len = 0;
    c = compile_rules("input v : vec2<f32> @ 10 Hz;\n"
                      "model life = tflite \"m.tflite\" input [v] outputs 3;\n"
                      "event low when life.value[2] < -3;\n"
                      "rule r when low alert warning \"{life.value[0]:.1f} {life.value[1]:.1f}\";\n",
                      diag, sizeof diag);
    if (c == NULL)
        print_error("%s", diag);
    assert_non_null(c);
    prog = cep_compiled_program(c);
    size = cep_state_size(prog);
    mem = aligned_alloc(8, (size + 7) / 8 * 8);
    assert_non_null(mem);
    memset(&cb, 0, sizeof cb);
    cb.alert = on_alert;
    cb.infer = cep_compiled_infer;
    cb.user = c;
    assert_int_equal(cep_init(&ctx, prog, mem, size, &cb), RT_OK);
    assert_int_equal(cep_push_f32(ctx, 0, 0, v1), RT_OK);
    log_[log_len] = '\0';
    assert_string_equal(log_, "t=0 warning r: 3.0 5.0\n");
    free(mem);
    cep_compiled_free(c);
}

/* Declarations that disagree with the file are reported at the model. */
static void mismatches(void **state)
{
    char diag[4096];
    struct cep_compiled *c;
    (void)state;
    write_model();
    c = compile_rules("input v : vec2<f32> @ 10 Hz;\n"
                      "model m = tflite \"m.tflite\" input [v] classes [a, b];\n",
                      diag, sizeof diag);
    assert_null(c);
    if (strstr(diag, "r.cep:2:") == NULL || strstr(diag, "3") == NULL)
        print_error("%s", diag);
    assert_non_null(strstr(diag, "r.cep:2:"));
    c = compile_rules("input v : vec3<f32> @ 10 Hz;\n"
                      "model m = tflite \"m.tflite\" input [v] classes [a, b, c];\n",
                      diag, sizeof diag);
    assert_null(c);
    assert_non_null(strstr(diag, "r.cep:2:"));
    /* not a model at all: the importer's message at the model */
    write_file("m.tflite", "not a model", 11);
    c = compile_rules("input v : vec2<f32> @ 10 Hz;\n"
                      "model m = tflite \"m.tflite\" input [v] classes [a, b, c];\n",
                      diag, sizeof diag);
    assert_null(c);
    assert_non_null(strstr(diag, "r.cep:2:"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(classifier_in_rules),
        cmocka_unit_test(regressor_in_rules),
        cmocka_unit_test(mismatches),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
