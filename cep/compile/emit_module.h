/*
** emit_module.h — the firmware C module generator behind `tinycep build`:
** a compiled rule program (and its int8 models) becomes exactly two files,
** <module>.h (the typed API, size macros, input and rule indices) and
** <module>.c (the program as `static const` tables, the model weights, the
** static state buffer and arenas, the API's definitions).  docs/firmware.md
** describes the generated API; tests/golden/build/ holds reviewed examples.
**
** Output is byte-identical for the same input (no timestamps, no paths
** beyond the source file's base name, fixed section order), compiles clean
** under the device warning set and as C++, and includes no <stdio.h>.
**
** Host code.
*/
#ifndef CEP_COMPILE_EMIT_MODULE_H
#define CEP_COMPILE_EMIT_MODULE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "cep/program.h"

struct ml_compiled;

/* One tflite model of the program: ext (cep_model_desc.ext) is its index in
** cep_module_spec.models. */
typedef struct cep_module_model {
    const char *name;                    /* declaration name, a C identifier */
    const struct ml_compiled *compiled;  /* NULL: not available (an error) */
} cep_module_model;

typedef struct cep_module_spec {
    const char *name;          /* module name, a C identifier ("pump") */
    const char *source;        /* source file base name for the banner ("pump.cep") */
    const cep_program *prog;
    const cep_module_model *models;  /* [n_models], indexed by ext */
    size_t n_models;
} cep_module_spec;

/* Sizes the module's header states (what the linker must find). */
typedef struct cep_module_sizes {
    size_t state;        /* engine state buffer, bytes (cep_state_size) */
    size_t arenas;       /* sum of the tflite model arenas, bytes */
    size_t tables;       /* program tables as emitted (empty tables are one
                            element: C has no zero-length arrays) */
    size_t models;       /* model weights and op tables (ml_compiled) */
} cep_module_sizes;

/* Writes the header to h and the source to c.  On failure returns false
** with a one-line reason in err (errcap bytes); nothing is guaranteed about
** what was written.  sizes may be NULL. */
bool cep_module_emit(const cep_module_spec *s, FILE *h, FILE *c, cep_module_sizes *sizes,
                     char *err, size_t errcap);

#endif /* CEP_COMPILE_EMIT_MODULE_H */
