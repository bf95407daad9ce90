/*
** fuzz_ml_model.c — libFuzzer target for the executor on corrupted tables.
**
** A compiled model can arrive as an image (untrusted).  This target builds
** one small model at start-up with the project's writer (CONV_2D,
** DEPTHWISE_CONV_2D, AVERAGE_POOL_2D, RESHAPE, FULLY_CONNECTED, SOFTMAX,
** ADD), then XORs the fuzz input over a copy of its op, tensor and
** op-input tables and of its const blob, and runs it on an arena of the
** planned size.  Invariant: whatever the tables say, ml_model_run returns a
** status and never reads or writes outside the arena, the const blob or
** the tables (ASan + UBSan).
*/
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ml/import/import.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static ml_compiled *g_model;

static ml_compiled *make_model(void)
{
    ml_tflite_builder *b = ml_tflite_builder_new();
    int32_t si[4] = { 1, 4, 4, 2 }, sw[4] = { 3, 3, 3, 2 }, sdw[4] = { 1, 3, 3, 4 };
    int32_t sb3[1] = { 3 }, sb4[1] = { 4 }, so[4] = { 1, 2, 2, 3 }, sdo[4] = { 1, 4, 4, 4 };
    int32_t sb5[1] = { 5 }, sp[4] = { 1, 2, 2, 4 }, sf[2] = { 1, 16 }, sfw[2] = { 5, 16 }, sfo[2] = { 1, 5 };
    float s1 = 0.5f, s2 = 0.25f, ws[4] = { 0.01f, 0.02f, 0.03f, 0.04f }, sm = 1.0f / 256;
    int64_t z = 0, zi = 3, zs = -128, wz[4] = { 0, 0, 0, 0 };
    int8_t w[54], wd[36], fw[80];
    int32_t bias[5] = { 1, -2, 3, -4, 5 };
    int x, cw, cb, c, dw, db, d, p, r, fwt, fb, f, sx, ad, i;
    ml_gopts o;
    uint8_t *buf;
    size_t len;
    ml_import_error err;
    ml_graph *g;
    ml_compiled *cm;
    for (i = 0; i < 80; i++) {
        if (i < 54) w[i] = (int8_t)(i * 7 % 19 - 9);
        if (i < 36) wd[i] = (int8_t)(i * 5 % 13 - 6);
        fw[i] = (int8_t)(i * 3 % 17 - 8);
    }
    x = ml_tflite_add_tensor(b, "x", 9, 4, si, 1, &s1, &zi, 0, NULL, 0);
    cw = ml_tflite_add_tensor(b, "cw", 9, 4, sw, 3, ws, wz, 0, w, 54);
    cb = ml_tflite_add_tensor(b, "cb", 2, 1, sb3, 0, NULL, NULL, 0, bias, 12);
    c = ml_tflite_add_tensor(b, "c", 9, 4, so, 1, &s2, &z, 0, NULL, 0);
    dw = ml_tflite_add_tensor(b, "dw", 9, 4, sdw, 4, ws, wz, 3, wd, 36);
    db = ml_tflite_add_tensor(b, "db", 2, 1, sb4, 0, NULL, NULL, 0, bias, 16);
    d = ml_tflite_add_tensor(b, "d", 9, 4, sdo, 1, &s2, &z, 0, NULL, 0);
    p = ml_tflite_add_tensor(b, "p", 9, 4, sp, 1, &s2, &z, 0, NULL, 0);
    r = ml_tflite_add_tensor(b, "r", 9, 2, sf, 1, &s2, &z, 0, NULL, 0);
    fwt = ml_tflite_add_tensor(b, "fw", 9, 2, sfw, 1, &ws[0], &z, 0, fw, 80);
    fb = ml_tflite_add_tensor(b, "fb", 2, 1, sb5, 0, NULL, NULL, 0, bias, 20);
    f = ml_tflite_add_tensor(b, "f", 9, 2, sfo, 1, &s1, &z, 0, NULL, 0);
    sx = ml_tflite_add_tensor(b, "sm", 9, 2, sfo, 1, &sm, &zs, 0, NULL, 0);
    ad = ml_tflite_add_tensor(b, "ad", 9, 2, sfo, 1, &s1, &z, 0, NULL, 0);
    ml_gopts_default(&o);
    o.padding = ML_PAD_VALID;
    o.activation = ML_ACT_RELU;
    { int32_t in[3] = { x, cw, cb }, out[1] = { c };
      ml_tflite_add_op(b, ML_TFLITE_CONV_2D, 3, NULL, &o, 3, in, 1, out); }
    o.padding = ML_PAD_SAME;
    o.activation = ML_ACT_RELU6;
    { int32_t in[3] = { x, dw, db }, out[1] = { d };
      ml_tflite_add_op(b, ML_TFLITE_DEPTHWISE_CONV_2D, 3, NULL, &o, 3, in, 1, out); }
    ml_gopts_default(&o);
    o.filter_w = o.filter_h = o.stride_w = o.stride_h = 2;
    { int32_t in[1] = { d }, out[1] = { p };
      ml_tflite_add_op(b, ML_TFLITE_AVERAGE_POOL_2D, 2, NULL, &o, 1, in, 1, out); }
    ml_gopts_default(&o);
    { int32_t in[1] = { p }, out[1] = { r };
      ml_tflite_add_op(b, ML_TFLITE_RESHAPE, 1, NULL, &o, 1, in, 1, out); }
    { int32_t in[3] = { r, fwt, fb }, out[1] = { f };
      ml_tflite_add_op(b, ML_TFLITE_FULLY_CONNECTED, 4, NULL, &o, 3, in, 1, out); }
    { int32_t in[2] = { f, f }, out[1] = { ad };
      ml_tflite_add_op(b, ML_TFLITE_ADD, 2, NULL, &o, 2, in, 1, out); }
    { int32_t in[1] = { ad }, out[1] = { sx };
      ml_tflite_add_op(b, ML_TFLITE_SOFTMAX, 2, NULL, &o, 1, in, 1, out); }
    { int32_t in[1] = { x }, out[2] = { c, sx };
      ml_tflite_set_io(b, 1, in, 2, out); }
    if (!ml_tflite_write(b, 1, &buf, &len))
        abort();
    ml_tflite_builder_free(b);
    g = ml_graph_read(buf, len, &err);
    free(buf);
    if (g == NULL)
        abort();
    cm = ml_graph_compile(g, &err);
    ml_graph_free(g);
    if (cm == NULL)
        abort();
    return cm;
}

static void xor_into(uint8_t *dst, size_t n, const uint8_t **data, size_t *size)
{
    size_t k = n < *size ? n : *size, i;
    for (i = 0; i < k; i++)
        dst[i] ^= (*data)[i];
    *data += k;
    *size -= k;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const ml_model *src;
    ml_model m;
    ml_model_op *ops;
    ml_model_tensor *tensors;
    uint16_t *op_inputs;
    uint32_t *consts;
    uint8_t *arena;
    if (g_model == NULL)
        g_model = make_model();
    src = &g_model->model;
    ops = malloc(src->n_ops * sizeof *ops);
    tensors = malloc(src->n_tensors * sizeof *tensors);
    op_inputs = malloc(src->n_op_inputs * sizeof *op_inputs);
    consts = malloc(src->consts_size + 4);
    arena = malloc(src->arena_size);
    if (ops && tensors && op_inputs && consts && arena) {
        memcpy(ops, src->ops, src->n_ops * sizeof *ops);
        memcpy(tensors, src->tensors, src->n_tensors * sizeof *tensors);
        memcpy(op_inputs, src->op_inputs, src->n_op_inputs * sizeof *op_inputs);
        memcpy(consts, src->consts, src->consts_size);
        memset(arena, 0, src->arena_size);
        xor_into((uint8_t *)ops, src->n_ops * sizeof *ops, &data, &size);
        xor_into((uint8_t *)tensors, src->n_tensors * sizeof *tensors, &data, &size);
        xor_into((uint8_t *)op_inputs, src->n_op_inputs * sizeof *op_inputs, &data, &size);
        xor_into((uint8_t *)consts, src->consts_size, &data, &size);
        m = *src;
        m.ops = ops;
        m.tensors = tensors;
        m.op_inputs = op_inputs;
        m.consts = consts;
        (void)ml_model_run(&m, arena, src->arena_size);
    }
    free(ops);
    free(tensors);
    free(op_inputs);
    free(consts);
    free(arena);
    return 0;
}
