/*
** import.h — host-side model import: .tflite reader, graph, writer, compiler.
**
** The one public header of ml/import/.  A .tflite file goes through three
** steps, all on the host:
**
**   ml_graph_read()     bytes → ml_graph: a bounds-checked, library-free
**                       flatbuffer reader (tflite_read.c).  Trusts nothing in
**                       the file; every rejection is an ml_import_error with
**                       a message and the byte offset it concerns.
**   ml_graph_compile()  ml_graph → ml_compiled: checks every operator and
**                       tensor against what the int8 kernels support, computes
**                       the quantization parameters exactly as TFLM's Prepare
**                       does, plans the arena (compile.c, plan.c) and fills
**                       the device-side ml_model (ml/model.h) that
**                       ml_model_run() executes.
**   ml_compiled_emit_c() ml_compiled → C source defining `const ml_model
**                       NAME` for a firmware build (emit.c).
**   ml_tflite_*()       a tiny builder that writes .tflite files
**                       (tflite_write.c), for tests and examples that must not
**                       depend on fetched models.
**
** Use from the rule compiler (`model m = tflite "file"`):
**     ml_import_error err;
**     ml_graph *g = ml_graph_load("m.tflite", &err);      // or ml_graph_read
**     ml_compiled *c = g ? ml_graph_compile(g, &err) : NULL;
**     // on failure: err.msg (one line), err.offset (file byte or -1)
**     const ml_model *m = &c->model;
**     m->inputs[i].tensor -> m->tensors[t].shape / .size / .type,
**     m->inputs[i].scale, .zero_point     // scale 0: a float32 edge
**     m->arena_size                       // exact RAM for one inference
**     c->weight_bytes + c->table_bytes    // flash; c->macs
**     ml_model_input() / ml_model_run() / ml_model_output()  // ml/model.h
**     char *src = ml_compiled_emit_c(c, "m");   // for the generated module
**     ml_compiled_free(c); ml_graph_free(g);
*/
#ifndef ML_IMPORT_IMPORT_H
#define ML_IMPORT_IMPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ml/model.h"

/* An import or compile error: what is wrong, and where in the file. */
typedef struct ml_import_error {
    char msg[320];      /* one line, no trailing newline */
    long offset;        /* byte offset in the file it concerns; -1 if none */
} ml_import_error;

/* The BuiltinOperator codes (ml/import/tflite_ops.h) as an enum. */
typedef enum ml_tflite_op {
#define ML_TFLITE_OP_ENUM(name, code) ML_TFLITE_##name = code,
#include "ml/import/tflite_ops.h"
    ML_TFLITE_OP_LIST(ML_TFLITE_OP_ENUM)
#undef ML_TFLITE_OP_ENUM
    ML_TFLITE_OP_END_
} ml_tflite_op;

/* TFLite TensorType values (schema.fbs). */
typedef enum ml_tflite_type {
    ML_TFLITE_FLOAT32 = 0, ML_TFLITE_FLOAT16 = 1, ML_TFLITE_INT32 = 2,
    ML_TFLITE_UINT8 = 3, ML_TFLITE_INT64 = 4, ML_TFLITE_STRING = 5,
    ML_TFLITE_BOOL = 6, ML_TFLITE_INT16 = 7, ML_TFLITE_COMPLEX64 = 8,
    ML_TFLITE_INT8 = 9, ML_TFLITE_FLOAT64 = 10, ML_TFLITE_COMPLEX128 = 11,
    ML_TFLITE_UINT64 = 12, ML_TFLITE_RESOURCE = 13, ML_TFLITE_VARIANT = 14,
    ML_TFLITE_UINT32 = 15, ML_TFLITE_UINT16 = 16, ML_TFLITE_INT4 = 17
} ml_tflite_type;

/* Fused activation (ActivationFunctionType) and padding values. */
enum {
    ML_ACT_NONE = 0, ML_ACT_RELU = 1, ML_ACT_RELU_N1_TO_1 = 2, ML_ACT_RELU6 = 3,
    ML_ACT_TANH = 4, ML_ACT_SIGN_BIT = 5
};
enum { ML_PAD_SAME = 0, ML_PAD_VALID = 1 };

#define ML_GRAPH_MAX_DIMS 6     /* deeper tensors are rejected on import */

/* One tensor of the graph. */
typedef struct ml_gtensor {
    char *name;                 /* NUL-terminated copy; "" if the file has none */
    int type;                   /* ml_tflite_type */
    int rank;                   /* 0..ML_GRAPH_MAX_DIMS */
    int32_t shape[ML_GRAPH_MAX_DIMS];
    bool has_quant;             /* scale and zero point present */
    int n_quant;                /* number of scales (1 = per-tensor) */
    float *scale;               /* n_quant scales, as float32 in the file */
    int64_t *zero_point;        /* n_quant zero points */
    int quant_dim;              /* quantized_dimension (per-channel axis) */
    const uint8_t *data;        /* constant data (inside the graph's own copy of
                                   the file), NULL for arena tensors */
    size_t data_size;           /* bytes of data */
    long offset;                /* file offset of the Tensor table */
} ml_gtensor;

/* Builtin options, flattened: only the fields of the op's options table are
   meaningful; the others keep the schema defaults. */
typedef struct ml_gopts {
    int padding;                /* ML_PAD_* */
    int stride_w, stride_h;
    int dilation_w, dilation_h;
    int filter_w, filter_h;     /* pooling window */
    int depth_multiplier;
    int activation;             /* ML_ACT_* */
    float beta;                 /* softmax */
    int axis;                   /* concatenation */
    bool keep_dims;             /* mean / sum */
    bool keep_num_dims;         /* fully connected */
    int weights_format;         /* fully connected; 0 = DEFAULT */
    int n_new_shape;            /* reshape; -1 when absent */
    int32_t new_shape[ML_GRAPH_MAX_DIMS];
    int n_squeeze_dims;         /* squeeze */
    int32_t squeeze_dims[ML_GRAPH_MAX_DIMS];
    float alpha;                /* leaky relu */
} ml_gopts;

/* One operator, in execution order. */
typedef struct ml_gop {
    int code;                   /* builtin code (ml_tflite_op), or 32 = CUSTOM */
    int version;                /* operator version from the OperatorCode */
    char *custom_name;          /* custom_code for CUSTOM ops, else NULL */
    int options_type;           /* BuiltinOptions union type, 0 = none */
    ml_gopts opt;
    int n_inputs, n_outputs;
    int32_t *inputs;            /* tensor indices; -1 = optional input absent */
    int32_t *outputs;
    long offset;                /* file offset of the Operator table */
} ml_gop;

/* A whole single-subgraph model. */
typedef struct ml_graph {
    int n_tensors, n_ops, n_inputs, n_outputs;
    ml_gtensor *tensors;
    ml_gop *ops;
    int32_t *inputs;            /* graph input tensor indices */
    int32_t *outputs;           /* graph output tensor indices */
    char *description;          /* model description string or "" */
    uint8_t *file_copy;         /* the file's bytes; tensor data points here,
                                   so shared buffers are stored once */
    size_t file_size;           /* bytes of the .tflite file */
} ml_graph;

/* Parses a .tflite flatbuffer.  buf/len need not be aligned or outlive the
   graph (everything is copied).  Returns NULL and fills *err on a malformed
   file.  Structural problems (bad offsets, truncation) are errors here;
   unsupported operators/types are accepted and reported by
   ml_graph_compile(), so `model inspect` can show a whole unsupported model. */
ml_graph *ml_graph_read(const uint8_t *buf, size_t len, ml_import_error *err);

/* Reads a file and calls ml_graph_read(); a read failure names the file. */
ml_graph *ml_graph_load(const char *path, ml_import_error *err);

void ml_graph_free(ml_graph *g);

/* The operator name for a builtin code ("ADD"), or NULL if unknown. */
const char *ml_tflite_op_name(int code);
/* The tensor type name ("INT8"), or "type N". */
const char *ml_tflite_type_name(int type);
/* A human name for an operator: "ADD", "CUSTOM(SignalRfft)" (static buffer
   for unknown codes is avoided: the result is written into out). */
const char *ml_gop_name(const ml_gop *op, char *out, size_t out_size);

/* The product of a tensor's dimensions (1 for a scalar); -1 if a dimension is
   negative or the product exceeds 2^31-1. */
long ml_gtensor_elems(const ml_gtensor *t);

/* ---------------------------------------------------------- compilation */

/* A compiled model: the device-side ml_model plus the host storage its const
   tables point into.  Everything is owned by this object. */
typedef struct ml_compiled {
    ml_model model;             /* what ml_model_run() executes */
    long macs;                  /* multiply-accumulates per inference (FC, conv,
                                   depthwise, MUL; pooling/softmax/add excluded) */
    size_t weight_bytes;        /* const blob: weights, biases, per-channel
                                   multipliers, lookup tables (flash) */
    size_t table_bytes;         /* op/tensor/io tables (flash) */
    size_t tflm_like_arena;     /* arena of a plain greedy-by-size first-fit plan */
    const int32_t *tensor_of;   /* [graph tensors]: model tensor index, -1 if
                                   unused (aliases map to their own entry) */
    void *storage_;             /* private: the allocations behind model */
} ml_compiled;

/* Compiles an imported graph for the int8 kernels.  Returns NULL and fills
   *err with the first unsupported thing (operator name and version, tensor
   type, quantization, …) and its file offset. */
ml_compiled *ml_graph_compile(const ml_graph *g, ml_import_error *err);
void ml_compiled_free(ml_compiled *c);

/* The compiled model as C source: `const ml_model NAME` plus the static
   const tables it points to and `#define NAME_ARENA_SIZE`; deterministic,
   compiles with the device flags.  name must be a C identifier.  Returns
   malloc'd NUL-terminated text (caller frees), NULL on a bad name or
   out-of-memory. */
char *ml_compiled_emit_c(const ml_compiled *c, const char *name);

/* Checks operator i alone (as ml_graph_compile would, without the rest of
   the graph): true if supported, else false with the reason in *err.  For
   listing every unsupported operator of a model. */
bool ml_graph_check_op(const ml_graph *g, int i, ml_import_error *err);

/* ------------------------------------------------------ arena planning */

/* One buffer to place: size in bytes, live over operator steps
   [first, last] inclusive; offset is the result. */
typedef struct ml_plan_buf {
    size_t size;
    int first, last;
    size_t offset;
} ml_plan_buf;

/* Assigns offsets (multiples of align) so that no two buffers with
   intersecting lifetimes overlap; returns the arena size in bytes, never more
   than TFLM's greedy-by-size first-fit plan, whose size goes to
   *greedy_size if not NULL.  (size_t)-1 on out-of-memory. */
size_t ml_plan_arena(ml_plan_buf *bufs, int n, size_t align, size_t *greedy_size);

/* ----------------------------------------------------- .tflite writer */

/* Builds a single-subgraph .tflite file in memory. Indices returned by the
   add functions are tensor indices for ml_tflite_add_op(). */
typedef struct ml_tflite_builder ml_tflite_builder;

ml_tflite_builder *ml_tflite_builder_new(void);
void ml_tflite_builder_free(ml_tflite_builder *b);

/* Adds a tensor; data (data_size bytes, copied) makes it constant, NULL makes
   it an arena tensor.  n_quant scales/zero points (0 = no quantization,
   1 = per-tensor, >1 = per-channel along quant_dim).  Returns its index. */
int ml_tflite_add_tensor(ml_tflite_builder *b, const char *name, int type,
                         int rank, const int32_t *shape,
                         int n_quant, const float *scale,
                         const int64_t *zero_point, int quant_dim,
                         const void *data, size_t data_size);

/* Adds an operator.  opt may be NULL (defaults); only the fields of the op's
   options table are written.  custom_name names a CUSTOM op.  version ≥ 1. */
int ml_tflite_add_op(ml_tflite_builder *b, int code, int version,
                     const char *custom_name, const ml_gopts *opt,
                     int n_inputs, const int32_t *inputs,
                     int n_outputs, const int32_t *outputs);

void ml_tflite_set_io(ml_tflite_builder *b, int n_inputs, const int32_t *inputs,
                      int n_outputs, const int32_t *outputs);

/* Options with the schema defaults (strides/dilations 1, beta 1, …). */
void ml_gopts_default(ml_gopts *opt);

/* Serialises the model.  *out is malloc'd (caller frees).  n_subgraphs > 1
   repeats the subgraph (only to test the importer's rejection); normally 1.
   Returns false on out-of-memory. */
bool ml_tflite_write(const ml_tflite_builder *b, int n_subgraphs,
                     uint8_t **out, size_t *out_len);

#endif /* ML_IMPORT_IMPORT_H */
