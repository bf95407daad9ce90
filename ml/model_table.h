/*
** model_table.h — glue between the CEP engine and the int8 model executor:
** a table of compiled models (ml/model.h) with one arena each, and the
** `infer` callback of cep_callbacks (cep/cep.h) that runs model i of the
** table.  The generated firmware module defines such a table for the
** `tflite` models of its rules; the host compiler (cep/compile/lower.h)
** builds the same table for the simulator, so both run the same code.
**
** Contract of one inference: the engine hands n_in int8 values already
** quantized with the model's input scale/zero point; they are copied into
** the model's input tensor, the model runs in its arena, and its n_out int8
** output values are copied out.  Sizes must match the model's tensors
** exactly (the compiler checked them against the rule declaration).
**
** Device code: no heap, no stdio; the arenas are caller storage.
*/
#ifndef ML_MODEL_TABLE_H
#define ML_MODEL_TABLE_H

#include <stddef.h>
#include <stdint.h>

#include "runtime/rt_status.h"

struct ml_model;

typedef struct ml_model_table {
    uint16_t n;                              /* models in the table */
    const struct ml_model *const *models;    /* [n], indexed by cep_model_desc.ext */
    uint8_t *const *arenas;                  /* [n], 4-byte aligned, arena_sizes[i] bytes */
    const uint32_t *arena_sizes;             /* [n] */
} ml_model_table;

/* Runs model `model` of t on in[0..n_in) (int8, quantized), writing
** out[0..n_out).  RT_ERR_RANGE: no such model; RT_ERR_ARG: sizes differ
** from the model's input/output tensors, or a float32 model edge;
** otherwise ml_model_run()'s status. */
rt_status ml_model_table_infer(const ml_model_table *t, uint16_t model, const int8_t *in,
                               size_t n_in, int8_t *out, size_t n_out);

/* The same with the signature of cep_callbacks.infer; user is a
** const ml_model_table *. */
rt_status ml_model_table_infer_cb(void *user, uint16_t model, const int8_t *in, size_t n_in,
                                  int8_t *out, size_t n_out);

#endif /* ML_MODEL_TABLE_H */
