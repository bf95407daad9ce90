/*
** model.h — a compiled int8 model and its executor (device code).
**
** The host (ml/import/, ml_graph_compile) turns a .tflite graph into the
** const tables below; ml_model_run() walks the op table and calls the
** kernels of ml/ml.h in order.  Nothing is computed on the device except
** the kernels themselves: every multiplier, shift, padding, clamp range and
** arena offset comes precomputed from the host.
**
** Representation.  Everything is reached through indices and byte offsets:
** ops name tensors by index into `tensors`, tensors locate their bytes by an
** offset into the caller's arena or into the model's const blob, per-channel
** multipliers/shifts, concat sizes and lookup tables are byte offsets into
** the const blob.  The only pointers are the six table pointers of ml_model
** itself, each to a const array, so the same tables can later be serialised
** into a program image (base + offsets) or emitted as `static const` C
** arrays.
**
** Arena: the caller's bytes, at least `arena_size` long and 4-byte aligned
** (ML_MODEL_ARENA_ALIGN): every arena tensor starts at a multiple of 4.
** The planner (ml/import/plan.c) has already decided which tensors share
** bytes; inputs must be written through ml_model_input() before each run,
** outputs read through ml_model_output() after it.  The kernels need no
** scratch memory (ml.h), so arena_size is the whole RAM cost of an
** inference.  The const blob is an array of uint32_t words so int32 data
** (biases, multipliers) is naturally aligned.
*/
#ifndef ML_MODEL_H
#define ML_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ml/ml.h"

/* Bumped whenever the tables below change layout. */
#define ML_MODEL_ABI_VERSION 1u

/* Arena and arena-tensor alignment in bytes. */
#define ML_MODEL_ARENA_ALIGN 4u

/* Most inputs of one CONCATENATION the executor takes. */
#define ML_MODEL_MAX_CONCAT 16

/* Size of ml_model_op.u in int32 words (the largest member, ml_pad_params:
   1 + 2 * ML_MAX_DIMS). */
#define ML_MODEL_OP_WORDS (1 + 2 * ML_MAX_DIMS)

/* Index value meaning "no tensor" (an absent optional input, e.g. a bias). */
#define ML_MODEL_NO_TENSOR 0xFFFFu

/* The executor's operations: X(kind, name).  A .tflite operator maps to one
   of these (RESHAPE/SQUEEZE/EXPAND_DIMS normally to nothing, when the
   planner aliases them; to COPY otherwise). */
#define ML_MODEL_OP_LIST(X)                                                    \
    X(COPY, "copy")                                                            \
    X(FC, "fully_connected")                                                   \
    X(FC_PER_CHANNEL, "fully_connected_per_channel")                           \
    X(CONV, "conv_2d")                                                         \
    X(DEPTHWISE_CONV, "depthwise_conv_2d")                                     \
    X(AVG_POOL, "average_pool_2d")                                             \
    X(MAX_POOL, "max_pool_2d")                                                 \
    X(SOFTMAX, "softmax")                                                      \
    X(ADD, "add")                                                              \
    X(ADD_BROADCAST, "add_broadcast")                                          \
    X(MUL, "mul")                                                              \
    X(MUL_BROADCAST, "mul_broadcast")                                          \
    X(LUT, "lookup_table")                                                     \
    X(RELU, "relu")                                                            \
    X(CLAMP, "clamp")                                                          \
    X(REQUANTIZE, "requantize")                                                \
    X(MEAN, "mean")                                                            \
    X(PAD, "pad")                                                              \
    X(CONCAT, "concatenation")                                                 \
    X(QUANTIZE_F32, "quantize_f32")                                            \
    X(DEQUANTIZE, "dequantize")

typedef enum ml_model_op_kind {
#define ML_MODEL_OP_ENUM(kind, name) ML_MODEL_OP_##kind,
    ML_MODEL_OP_LIST(ML_MODEL_OP_ENUM)
#undef ML_MODEL_OP_ENUM
    ML_MODEL_OP_COUNT_
} ml_model_op_kind;

/* Element types of model tensors.  FLOAT32 only at a model's edges: the
   input of QUANTIZE_F32 and the output of DEQUANTIZE. */
enum { ML_MODEL_INT8 = 0, ML_MODEL_INT32 = 1, ML_MODEL_FLOAT32 = 2 };

/* One tensor. */
typedef struct ml_model_tensor {
    uint32_t offset;    /* bytes into the arena, or into consts if is_const */
    uint32_t size;      /* bytes */
    uint8_t type;       /* ML_MODEL_INT8 / ML_MODEL_INT32 / ML_MODEL_FLOAT32 */
    uint8_t is_const;   /* 1 = in the const blob (weights, biases) */
    ml_shape shape;     /* dims, outermost first */
} ml_model_tensor;

/* Parameters of CONCATENATION; axis sizes live in the const blob. */
typedef struct ml_model_concat {
    int32_t outer_size;
    int32_t inner_size;
    uint32_t axis_sizes_off;    /* byte offset of int32[n_in] in consts */
} ml_model_concat;

/* One operation.  `u` holds the kernel's parameter struct for `kind`. */
typedef struct ml_model_op {
    uint8_t kind;           /* ml_model_op_kind */
    uint8_t n_in;           /* inputs, at op_inputs[in_first ..] */
    uint16_t in_first;      /* index into ml_model.op_inputs */
    uint16_t output;        /* tensor index */
    uint16_t source_op;     /* operator index in the .tflite subgraph */
    ml_per_tensor_quant q;  /* FC: the per-tensor multiplier */
    uint32_t aux_off;       /* byte offset in consts: per-channel multipliers
                               (int32[C]) followed by shifts (int32[C]) for
                               FC_PER_CHANNEL/CONV/DEPTHWISE_CONV; the 256-byte
                               table for LUT */
    union {
        ml_fc_params fc;
        ml_conv_params conv;
        ml_dw_conv_params dw;
        ml_pool_params pool;
        ml_softmax_params softmax;
        ml_add_params add;
        ml_mul_params mul;
        ml_relu_params relu;
        ml_activation clamp;
        ml_requantize_params requant;
        ml_mean_params mean;
        ml_pad_params pad;
        ml_model_concat concat;
        ml_quantize_params quant;       /* QUANTIZE_F32, DEQUANTIZE */
        int32_t words[ML_MODEL_OP_WORDS];  /* the same bytes as int32 words:
                                              how generated C initialises u */
    } u;
} ml_model_op;

/* Every member of ml_model_op.u consists of 32-bit fields only (int32_t,
   uint32_t, and the IEEE-754 float32 scale of `quant`), so the union is
   exactly ML_MODEL_OP_WORDS 32-bit words on every target and `words` can
   initialise any member portably (ml/import/emit.c). */
#ifdef __cplusplus /* the generated modules also compile as C++ (Arduino) */
static_assert(sizeof(((ml_model_op *)0)->u) == ML_MODEL_OP_WORDS * sizeof(int32_t),
              "ml_model_op.u must be made of int32 words only");
#else
_Static_assert(sizeof(((ml_model_op *)0)->u) == ML_MODEL_OP_WORDS * sizeof(int32_t),
               "ml_model_op.u must be made of int32 words only");
#endif

/* A model input or output. */
typedef struct ml_model_io {
    uint16_t tensor;        /* tensor index */
    float scale;            /* real = (q - zero_point) * scale; 0 for a
                               float32 input or output */
    int32_t zero_point;
} ml_model_io;

/* A compiled model: const tables only; run state lives in the arena. */
typedef struct ml_model {
    uint32_t abi_version;       /* ML_MODEL_ABI_VERSION */
    uint32_t n_ops, n_tensors, n_op_inputs, n_inputs, n_outputs;
    const ml_model_op *ops;         /* [n_ops], execution order */
    const ml_model_tensor *tensors; /* [n_tensors] */
    const uint16_t *op_inputs;      /* [n_op_inputs] tensor indices */
    const ml_model_io *inputs;      /* [n_inputs] */
    const ml_model_io *outputs;     /* [n_outputs] */
    const uint32_t *consts;         /* const blob, consts_size bytes */
    uint32_t consts_size;           /* bytes, a multiple of 4 */
    uint32_t arena_size;            /* bytes of arena one run needs */
} ml_model;

/* Runs one inference: every op in order.  arena: arena_size ≥
   m->arena_size bytes, 4-byte aligned, inputs already written.  Returns
   RT_OK, RT_ERR_NOMEM if the arena is too small, RT_ERR_FORMAT if a table
   entry points outside the arena/const blob, or a kernel's status. */
rt_status ml_model_run(const ml_model *m, uint8_t *arena, size_t arena_size);

/* Runs op i only (0 ≤ i < n_ops), for layer-by-layer inspection: after
   ops 0..i have run in order, ml_model_tensor_data() of ops[i].output holds
   that op's output (later ops may reuse its bytes). */
rt_status ml_model_run_op(const ml_model *m, uint8_t *arena, size_t arena_size,
                          uint32_t i);

/* The bytes of tensor t (arena or const), or NULL if t is out of range or
   its bytes lie outside arena_size / the const blob. */
const int8_t *ml_model_tensor_data(const ml_model *m, const uint8_t *arena,
                                   size_t arena_size, uint32_t t);

/* Input i's bytes in the arena (write them before ml_model_run): int8
   values, or float32 values when inputs[i].scale is 0 (a model with a
   QUANTIZE at its edge); its size in bytes in *size; NULL if i is out of
   range. */
int8_t *ml_model_input(const ml_model *m, uint8_t *arena, size_t arena_size,
                       uint32_t i, size_t *size);

/* Output i's bytes after ml_model_run (float32 when outputs[i].scale is 0);
   NULL if i is out of range. */
const int8_t *ml_model_output(const ml_model *m, const uint8_t *arena,
                              size_t arena_size, uint32_t i, size_t *size);

/* The name of an op kind ("conv_2d"), "?" if out of range. */
const char *ml_model_op_kind_name(uint32_t kind);

#endif /* ML_MODEL_H */
