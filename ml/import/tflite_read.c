/*
** tflite_read.c — a bounds-checked .tflite (FlatBuffers) reader, no library.
**
** The .tflite file is untrusted input.  Every offset, count, vtable size,
** string length, shape, index and enum value is checked against the buffer
** end and against the schema before use; no pointer is ever formed outside
** [buf, buf+len).  The schema has a fixed depth (Model → SubGraph → Tensor →
** QuantizationParameters, Model → OperatorCode, Operator → options), so the
** reader is a fixed set of functions with no recursion and no way for a
** file to make it loop: every loop is bounded by a count that was checked
** against the bytes actually present.
**
** Wire format (int8-spec.md §3): little-endian; byte 0 holds the u32 offset
** of the root table, bytes 4..7 the identifier "TFL3".  A table starts with
** an i32 soffset to its vtable (at table - soffset); the vtable is
** u16 vtable_bytes, u16 table_bytes, u16 field offsets.  References are u32
** offsets relative to the field that holds them.
*/
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ml/import/import.h"
#include "host/host.h"

/* Caps that keep hostile counts from exhausting memory: far above any
   model that fits a microcontroller, far below what a 32-bit count allows. */
enum { MAX_TENSORS = 65536, MAX_OPS = 65536, MAX_OP_IO = 64, MAX_CODES = 4096 };

typedef struct reader {
    const uint8_t *buf;
    size_t len;
    const uint8_t *copy;        /* the graph's copy of buf (same offsets) */
    ml_import_error *err;
    bool failed;
} reader;

/* A table: position and its vtable. */
typedef struct fbtable {
    size_t pos;         /* table start */
    size_t vt;          /* vtable start */
    size_t vt_bytes;    /* vtable size in bytes (≥ 4, even) */
    size_t tbl_bytes;   /* inline table size in bytes */
    const char *what;   /* for messages: "Tensor", "Operator", … */
} fbtable;

/* A vector: position of the first element and its count. */
typedef struct fbvec {
    size_t pos;
    size_t count;
} fbvec;

static void fail(reader *r, size_t off, const char *fmt, ...)
{
    va_list ap;
    if (r->failed)
        return;         /* keep the first, most specific error */
    r->failed = true;
    va_start(ap, fmt);
    vsnprintf(r->err->msg, sizeof r->err->msg, fmt, ap);
    va_end(ap);
    r->err->offset = (long)off;
}

static uint16_t rd16(const reader *r, size_t p)
{
    return (uint16_t)(r->buf[p] | (r->buf[p + 1] << 8));
}

static uint32_t rd32(const reader *r, size_t p)
{
    return (uint32_t)r->buf[p] | (uint32_t)r->buf[p + 1] << 8 |
           (uint32_t)r->buf[p + 2] << 16 | (uint32_t)r->buf[p + 3] << 24;
}

static uint64_t rd64(const reader *r, size_t p)
{
    return (uint64_t)rd32(r, p) | (uint64_t)rd32(r, p + 4) << 32;
}

/* True when [p, p+n) lies inside the buffer. */
static bool in_buf(const reader *r, size_t p, size_t n)
{
    return p <= r->len && n <= r->len - p;
}

/* Opens the table at pos, referenced from byte `from`: checks alignment,
   the soffset, the vtable.  Errors about pos itself are reported at `from`
   (the reference that is wrong), the others at the table. */
static bool table_open(reader *r, size_t pos, size_t from, const char *what, fbtable *t)
{
    int64_t vt;
    memset(t, 0, sizeof *t);
    t->what = what;
    if (pos % 4 != 0 || !in_buf(r, pos, 4)) {
        fail(r, from, "corrupt file: %s table at byte %zu is %s", what, pos,
             pos % 4 != 0 ? "misaligned" : "past the end of the file");
        return false;
    }
    vt = (int64_t)pos - (int64_t)(int32_t)rd32(r, pos);
    if (vt < 0 || vt % 2 != 0 || !in_buf(r, (size_t)vt, 4)) {
        fail(r, pos, "corrupt file: %s table at byte %zu has its vtable at "
             "invalid byte %lld", what, pos, (long long)vt);
        return false;
    }
    t->pos = pos;
    t->vt = (size_t)vt;
    t->vt_bytes = rd16(r, t->vt);
    t->tbl_bytes = rd16(r, t->vt + 2);
    if (t->vt_bytes < 4 || t->vt_bytes % 2 != 0 || !in_buf(r, t->vt, t->vt_bytes)) {
        fail(r, t->vt, "corrupt file: vtable of %s table at byte %zu has invalid "
             "size %zu", what, pos, t->vt_bytes);
        return false;
    }
    if (t->tbl_bytes < 4 || !in_buf(r, pos, t->tbl_bytes)) {
        fail(r, pos, "corrupt file: %s table at byte %zu claims %zu bytes, "
             "past the end of the file", what, pos, t->tbl_bytes);
        return false;
    }
    return true;
}

/* The absolute position of field id with the given inline size, or 0 when the
   field is absent (0 is never a valid field position: byte 0 is the root). */
static size_t field(reader *r, const fbtable *t, int id, size_t size, const char *name)
{
    size_t slot = 4 + 2 * (size_t)id, off;
    if (slot + 2 > t->vt_bytes)
        return 0;
    off = rd16(r, t->vt + slot);
    if (off == 0)
        return 0;
    if (off < 4 || off + size > t->tbl_bytes) {
        fail(r, t->vt + slot, "corrupt file: %s.%s at byte %zu lies outside its "
             "table (field offset %zu, table size %zu)", t->what, name, t->pos,
             off, t->tbl_bytes);
        return 0;
    }
    return t->pos + off;
}

static int64_t field_int(reader *r, const fbtable *t, int id, size_t size,
                         bool is_signed, int64_t def, const char *name)
{
    size_t p = field(r, t, id, size, name);
    if (p == 0)
        return def;
    switch (size) {
    case 1: return is_signed ? (int8_t)r->buf[p] : r->buf[p];
    case 2: return is_signed ? (int16_t)rd16(r, p) : rd16(r, p);
    case 4: return is_signed ? (int64_t)(int32_t)rd32(r, p) : (int64_t)rd32(r, p);
    default: return (int64_t)rd64(r, p);
    }
}

static float field_f32(reader *r, const fbtable *t, int id, float def, const char *name)
{
    size_t p = field(r, t, id, 4, name);
    uint32_t u;
    float f;
    if (p == 0)
        return def;
    u = rd32(r, p);
    memcpy(&f, &u, sizeof f);
    return f;
}

/* Follows the u32 reference at field id; 0 when absent. */
static size_t field_ref(reader *r, const fbtable *t, int id, const char *name)
{
    size_t p = field(r, t, id, 4, name), target;
    if (p == 0)
        return 0;
    target = p + rd32(r, p);
    if (target < p || !in_buf(r, target, 4) || target % 4 != 0) {
        fail(r, p, "corrupt file: %s.%s at byte %zu points to %s byte %zu",
             t->what, name, p, target % 4 != 0 ? "misaligned" : "out-of-file",
             target);
        return 0;
    }
    return target;
}

/* A vector field of elements of elem bytes; absent → count 0.  Returns false
   only on a corrupt vector. */
static bool field_vec(reader *r, const fbtable *t, int id, size_t elem,
                      const char *name, fbvec *v)
{
    size_t p = field_ref(r, t, id, name);
    v->pos = 0;
    v->count = 0;
    if (r->failed)
        return false;
    if (p == 0)
        return true;
    v->count = rd32(r, p);
    v->pos = p + 4;
    if (v->count > (r->len - v->pos) / (elem ? elem : 1)) {
        fail(r, p, "truncated or corrupt file: %s.%s vector at byte %zu has %zu "
             "elements of %zu bytes, past the end of the file (%zu bytes)",
             t->what, name, p, v->count, elem, r->len);
        return false;
    }
    if (elem == 8 && v->pos % 8 != 0) {
        fail(r, p, "corrupt file: %s.%s vector of 64-bit values at byte %zu is "
             "misaligned", t->what, name, p);
        return false;
    }
    return true;
}

/* Element i of a vector of tables. */
static bool vec_table(reader *r, const fbvec *v, size_t i, const char *what, fbtable *t)
{
    size_t slot = v->pos + 4 * i, target;
    target = slot + rd32(r, slot);
    if (target < slot) {
        fail(r, slot, "corrupt file: %s reference at byte %zu overflows", what, slot);
        return false;
    }
    return table_open(r, target, slot, what, t);
}

/* A string field, copied and NUL-terminated; "" when absent. NULL on error. */
static char *field_str(reader *r, const fbtable *t, int id, const char *name)
{
    fbvec v;
    char *s;
    if (!field_vec(r, t, id, 1, name, &v))
        return NULL;
    if (v.count > 0 && !in_buf(r, v.pos, v.count + 1)) {
        fail(r, v.pos, "truncated file: %s.%s string at byte %zu has no "
             "terminating NUL", t->what, name, v.pos - 4);
        return NULL;
    }
    s = malloc(v.count + 1);
    if (s == NULL) {
        fail(r, v.pos, "out of memory");
        return NULL;
    }
    if (v.count > 0)
        memcpy(s, r->buf + v.pos, v.count);
    s[v.count] = '\0';
    return s;
}

/* An i32 vector into a fresh array (at least one element allocated). */
static int32_t *vec_i32(reader *r, const fbtable *t, int id, const char *name,
                        size_t max, int *count)
{
    fbvec v;
    int32_t *a;
    size_t i;
    *count = 0;
    if (!field_vec(r, t, id, 4, name, &v))
        return NULL;
    if (v.count > max) {
        fail(r, v.pos - 4, "unsupported: %s.%s has %zu entries (limit is %zu)",
             t->what, name, v.count, max);
        return NULL;
    }
    a = calloc(v.count + 1, sizeof *a);
    if (a == NULL) {
        fail(r, v.pos, "out of memory");
        return NULL;
    }
    for (i = 0; i < v.count; i++)
        a[i] = (int32_t)rd32(r, v.pos + 4 * i);
    *count = (int)v.count;
    return a;
}

/* ------------------------------------------------------------ names */

const char *ml_tflite_op_name(int code)
{
    switch (code) {
#define ML_TFLITE_OP_CASE(name, c) case c: return #name;
#include "ml/import/tflite_ops.h"
    ML_TFLITE_OP_LIST(ML_TFLITE_OP_CASE)
#undef ML_TFLITE_OP_CASE
    default: return NULL;
    }
}

const char *ml_tflite_type_name(int type)
{
    static const char *const names[] = {
        "FLOAT32", "FLOAT16", "INT32", "UINT8", "INT64", "STRING", "BOOL",
        "INT16", "COMPLEX64", "INT8", "FLOAT64", "COMPLEX128", "UINT64",
        "RESOURCE", "VARIANT", "UINT32", "UINT16", "INT4"
    };
    if (type >= 0 && (size_t)type < sizeof names / sizeof names[0])
        return names[type];
    return "unknown type";
}

const char *ml_gop_name(const ml_gop *op, char *out, size_t out_size)
{
    const char *n = ml_tflite_op_name(op->code);
    if (op->code == ML_TFLITE_CUSTOM)
        snprintf(out, out_size, "CUSTOM(%s)", op->custom_name ? op->custom_name : "");
    else if (n != NULL)
        snprintf(out, out_size, "%s", n);
    else
        snprintf(out, out_size, "unknown builtin operator code %d", op->code);
    return out;
}

long ml_gtensor_elems(const ml_gtensor *t)
{
    long n = 1;
    int i;
    for (i = 0; i < t->rank; i++) {
        if (t->shape[i] < 0 || (t->shape[i] > 0 && n > INT32_MAX / t->shape[i]))
            return -1;
        n *= t->shape[i];
    }
    return n;
}

void ml_gopts_default(ml_gopts *o)
{
    memset(o, 0, sizeof *o);
    o->stride_w = o->stride_h = 1;
    o->dilation_w = o->dilation_h = 1;
    o->filter_w = o->filter_h = 1;
    o->depth_multiplier = 1;
    o->beta = 1.0f;
    o->n_new_shape = -1;
}

/* ------------------------------------------------------------ model parts */

typedef struct opcode {
    int code, version;
    char *custom;
} opcode;

static bool read_opcodes(reader *r, const fbvec *v, opcode *codes)
{
    size_t i;
    for (i = 0; i < v->count; i++) {
        fbtable t;
        int64_t dep, code;
        if (!vec_table(r, v, i, "OperatorCode", &t))
            return false;
        dep = field_int(r, &t, 0, 1, true, 0, "deprecated_builtin_code");
        code = field_int(r, &t, 3, 4, true, 0, "builtin_code");
        codes[i].code = (int)(dep > code ? dep : code);
        codes[i].version = (int)field_int(r, &t, 2, 4, true, 1, "version");
        if (codes[i].code < 0) {
            fail(r, t.pos, "corrupt file: OperatorCode %zu has negative builtin "
                 "code %d", i, codes[i].code);
            return false;
        }
        if (codes[i].code == ML_TFLITE_CUSTOM) {
            codes[i].custom = field_str(r, &t, 1, "custom_code");
            if (codes[i].custom == NULL)
                return false;
        }
        if (r->failed)
            return false;
    }
    return true;
}

static bool read_quant(reader *r, size_t pos, ml_gtensor *gt, int ti)
{
    fbtable q;
    fbvec vs, vz;
    size_t i;
    if (!table_open(r, pos, pos, "QuantizationParameters", &q))
        return false;
    if (!field_vec(r, &q, 2, 4, "scale", &vs) || !field_vec(r, &q, 3, 8, "zero_point", &vz))
        return false;
    gt->quant_dim = (int)field_int(r, &q, 6, 4, true, 0, "quantized_dimension");
    if (field_int(r, &q, 4, 1, false, 0, "details_type") != 0) {
        fail(r, q.pos, "unsupported: tensor %d ('%s') uses custom quantization "
             "details", ti, gt->name);
        return false;
    }
    if (vs.count == 0 && vz.count == 0)
        return !r->failed;      /* min/max only: treated as not quantized */
    if (vs.count != vz.count) {
        fail(r, q.pos, "corrupt file: tensor %d ('%s') has %zu scales but %zu "
             "zero points", ti, gt->name, vs.count, vz.count);
        return false;
    }
    if (vs.count > 65536) {
        fail(r, q.pos, "unsupported: tensor %d ('%s') has %zu quantization "
             "channels (limit is 65536)", ti, gt->name, vs.count);
        return false;
    }
    gt->scale = malloc(vs.count * sizeof *gt->scale);
    gt->zero_point = malloc(vs.count * sizeof *gt->zero_point);
    if (gt->scale == NULL || gt->zero_point == NULL) {
        fail(r, q.pos, "out of memory");
        return false;
    }
    for (i = 0; i < vs.count; i++) {
        uint32_t u = rd32(r, vs.pos + 4 * i);
        memcpy(&gt->scale[i], &u, sizeof u);
        gt->zero_point[i] = (int64_t)rd64(r, vz.pos + 8 * i);
    }
    gt->n_quant = (int)vs.count;
    gt->has_quant = true;
    return !r->failed;
}

static bool read_tensor(reader *r, const fbtable *t, int ti, const fbvec *buffers,
                        ml_gtensor *gt)
{
    fbvec shape;
    size_t i, qpos;
    uint32_t bufi;
    gt->offset = (long)t->pos;
    gt->name = field_str(r, t, 3, "name");
    if (gt->name == NULL)
        return false;
    if (!field_vec(r, t, 0, 4, "shape", &shape))
        return false;
    if (shape.count > ML_GRAPH_MAX_DIMS) {
        fail(r, shape.pos - 4, "unsupported: tensor %d ('%s') has rank %zu "
             "(limit is %d)", ti, gt->name, shape.count, ML_GRAPH_MAX_DIMS);
        return false;
    }
    gt->rank = (int)shape.count;
    for (i = 0; i < shape.count; i++) {
        gt->shape[i] = (int32_t)rd32(r, shape.pos + 4 * i);
        if (gt->shape[i] < 0) {
            fail(r, shape.pos + 4 * i, "unsupported: tensor %d ('%s') has a "
                 "dynamic or negative dimension %d", ti, gt->name, (int)gt->shape[i]);
            return false;
        }
    }
    if (ml_gtensor_elems(gt) < 0) {
        fail(r, shape.pos, "unsupported: tensor %d ('%s') has more than 2^31 "
             "elements", ti, gt->name);
        return false;
    }
    gt->type = (int)field_int(r, t, 1, 1, true, 0, "type");
    bufi = (uint32_t)field_int(r, t, 2, 4, false, 0, "buffer");
    if (field_int(r, t, 5, 1, false, 0, "is_variable") != 0) {
        fail(r, t->pos, "unsupported: tensor %d ('%s') is a variable (stateful) "
             "tensor", ti, gt->name);
        return false;
    }
    if (field(r, t, 6, 4, "sparsity") != 0) {
        fail(r, t->pos, "unsupported: tensor %d ('%s') is sparse", ti, gt->name);
        return false;
    }
    qpos = field_ref(r, t, 4, "quantization");
    if (r->failed)
        return false;
    if (qpos != 0 && !read_quant(r, qpos, gt, ti))
        return false;
    if (bufi >= buffers->count) {
        fail(r, t->pos, "corrupt file: tensor %d ('%s') refers to buffer %u but "
             "the model has %zu buffers", ti, gt->name, bufi, buffers->count);
        return false;
    }
    if (bufi != 0) {
        fbtable b;
        fbvec data;
        if (!vec_table(r, buffers, bufi, "Buffer", &b) ||
            !field_vec(r, &b, 0, 1, "data", &data))
            return false;
        if (data.count == 0 && field_int(r, &b, 1, 8, false, 0, "offset") > 1) {
            fail(r, b.pos, "unsupported: tensor %d ('%s') keeps its data outside "
                 "the flatbuffer (models over 2 GB)", ti, gt->name);
            return false;
        }
        if (data.count > 0) {
            /* points into the graph's single copy of the file: many tensors
               may share one buffer without multiplying memory */
            gt->data = r->copy + data.pos;
            gt->data_size = data.count;
        }
    }
    return !r->failed;
}

/* Reads the builtin options table of op into o, per its union type. */
static bool read_options(reader *r, size_t pos, int type, ml_gopts *o)
{
    fbtable t;
    fbvec v;
    size_t i;
    if (pos == 0)
        return true;
    if (!table_open(r, pos, pos, "BuiltinOptions", &t))
        return false;
    switch (type) {
    case 1: /* Conv2DOptions */
        t.what = "Conv2DOptions";
        o->padding = (int)field_int(r, &t, 0, 1, true, 0, "padding");
        o->stride_w = (int)field_int(r, &t, 1, 4, true, 0, "stride_w");
        o->stride_h = (int)field_int(r, &t, 2, 4, true, 0, "stride_h");
        o->activation = (int)field_int(r, &t, 3, 1, true, 0, "fused_activation_function");
        o->dilation_w = (int)field_int(r, &t, 4, 4, true, 1, "dilation_w_factor");
        o->dilation_h = (int)field_int(r, &t, 5, 4, true, 1, "dilation_h_factor");
        break;
    case 2: /* DepthwiseConv2DOptions */
        t.what = "DepthwiseConv2DOptions";
        o->padding = (int)field_int(r, &t, 0, 1, true, 0, "padding");
        o->stride_w = (int)field_int(r, &t, 1, 4, true, 0, "stride_w");
        o->stride_h = (int)field_int(r, &t, 2, 4, true, 0, "stride_h");
        o->depth_multiplier = (int)field_int(r, &t, 3, 4, true, 0, "depth_multiplier");
        o->activation = (int)field_int(r, &t, 4, 1, true, 0, "fused_activation_function");
        o->dilation_w = (int)field_int(r, &t, 5, 4, true, 1, "dilation_w_factor");
        o->dilation_h = (int)field_int(r, &t, 6, 4, true, 1, "dilation_h_factor");
        break;
    case 5: /* Pool2DOptions */
        t.what = "Pool2DOptions";
        o->padding = (int)field_int(r, &t, 0, 1, true, 0, "padding");
        o->stride_w = (int)field_int(r, &t, 1, 4, true, 0, "stride_w");
        o->stride_h = (int)field_int(r, &t, 2, 4, true, 0, "stride_h");
        o->filter_w = (int)field_int(r, &t, 3, 4, true, 0, "filter_width");
        o->filter_h = (int)field_int(r, &t, 4, 4, true, 0, "filter_height");
        o->activation = (int)field_int(r, &t, 5, 1, true, 0, "fused_activation_function");
        break;
    case 8: /* FullyConnectedOptions */
        t.what = "FullyConnectedOptions";
        o->activation = (int)field_int(r, &t, 0, 1, true, 0, "fused_activation_function");
        o->weights_format = (int)field_int(r, &t, 1, 1, true, 0, "weights_format");
        o->keep_num_dims = field_int(r, &t, 2, 1, false, 0, "keep_num_dims") != 0;
        break;
    case 9: /* SoftmaxOptions */
        t.what = "SoftmaxOptions";
        o->beta = field_f32(r, &t, 0, 0.0f, "beta");
        break;
    case 10: /* ConcatenationOptions */
        t.what = "ConcatenationOptions";
        o->axis = (int)field_int(r, &t, 0, 4, true, 0, "axis");
        o->activation = (int)field_int(r, &t, 1, 1, true, 0, "fused_activation_function");
        break;
    case 11: /* AddOptions */
    case 21: /* MulOptions */
    case 28: /* SubOptions */
        t.what = "AddOptions/MulOptions/SubOptions";
        o->activation = (int)field_int(r, &t, 0, 1, true, 0, "fused_activation_function");
        break;
    case 17: /* ReshapeOptions */
        t.what = "ReshapeOptions";
        if (!field_vec(r, &t, 0, 4, "new_shape", &v))
            return false;
        if (v.pos != 0) {
            if (v.count > ML_GRAPH_MAX_DIMS) {
                fail(r, v.pos - 4, "unsupported: ReshapeOptions.new_shape has %zu "
                     "dimensions (limit is %d)", v.count, ML_GRAPH_MAX_DIMS);
                return false;
            }
            o->n_new_shape = (int)v.count;
            for (i = 0; i < v.count; i++)
                o->new_shape[i] = (int32_t)rd32(r, v.pos + 4 * i);
        }
        break;
    case 27: /* ReducerOptions */
        t.what = "ReducerOptions";
        o->keep_dims = field_int(r, &t, 0, 1, false, 0, "keep_dims") != 0;
        break;
    case 30: /* SqueezeOptions */
        t.what = "SqueezeOptions";
        if (!field_vec(r, &t, 0, 4, "squeeze_dims", &v))
            return false;
        if (v.count > ML_GRAPH_MAX_DIMS) {
            fail(r, v.pos - 4, "unsupported: SqueezeOptions.squeeze_dims has %zu "
                 "entries (limit is %d)", v.count, ML_GRAPH_MAX_DIMS);
            return false;
        }
        o->n_squeeze_dims = (int)v.count;
        for (i = 0; i < v.count; i++)
            o->squeeze_dims[i] = (int32_t)rd32(r, v.pos + 4 * i);
        break;
    case 75: /* LeakyReluOptions */
        t.what = "LeakyReluOptions";
        o->alpha = field_f32(r, &t, 0, 0.0f, "alpha");
        break;
    default:
        break;  /* options of ops we do not compile: not needed */
    }
    return !r->failed;
}

static bool read_operator(reader *r, const fbtable *t, int oi, const opcode *codes,
                          size_t n_codes, int n_tensors, ml_gop *op)
{
    uint32_t ci;
    size_t opos;
    int i;
    op->offset = (long)t->pos;
    ci = (uint32_t)field_int(r, t, 0, 4, false, 0, "opcode_index");
    if (ci >= n_codes) {
        fail(r, t->pos, "corrupt file: operator %d uses opcode_index %u but the "
             "model has %zu operator codes", oi, ci, n_codes);
        return false;
    }
    op->code = codes[ci].code;
    op->version = codes[ci].version;
    if (codes[ci].custom != NULL) {
        op->custom_name = strdup(codes[ci].custom);
        if (op->custom_name == NULL) {
            fail(r, t->pos, "out of memory");
            return false;
        }
    }
    op->inputs = vec_i32(r, t, 1, "inputs", MAX_OP_IO, &op->n_inputs);
    if (op->inputs == NULL)
        return false;
    op->outputs = vec_i32(r, t, 2, "outputs", MAX_OP_IO, &op->n_outputs);
    if (op->outputs == NULL)
        return false;
    for (i = 0; i < op->n_inputs + op->n_outputs; i++) {
        int32_t x = i < op->n_inputs ? op->inputs[i] : op->outputs[i - op->n_inputs];
        bool is_in = i < op->n_inputs;
        if (x < (is_in ? -1 : 0) || x >= n_tensors) {
            fail(r, t->pos, "corrupt file: operator %d %s %d refers to tensor %d "
                 "but the subgraph has %d tensors", oi, is_in ? "input" : "output",
                 is_in ? i : i - op->n_inputs, (int)x, n_tensors);
            return false;
        }
    }
    ml_gopts_default(&op->opt);
    op->options_type = (int)field_int(r, t, 3, 1, false, 0, "builtin_options_type");
    opos = field_ref(r, t, 4, "builtin_options");
    if (r->failed)
        return false;
    if (opos != 0 && op->options_type == 0) {
        fail(r, t->pos, "corrupt file: operator %d has builtin options without "
             "a type", oi);
        return false;
    }
    return read_options(r, opos, op->options_type, &op->opt);
}

void ml_graph_free(ml_graph *g)
{
    int i;
    if (g == NULL)
        return;
    for (i = 0; i < g->n_tensors; i++) {
        free(g->tensors[i].name);
        free(g->tensors[i].scale);
        free(g->tensors[i].zero_point);
    }
    for (i = 0; i < g->n_ops; i++) {
        free(g->ops[i].custom_name);
        free(g->ops[i].inputs);
        free(g->ops[i].outputs);
    }
    free(g->tensors);
    free(g->ops);
    free(g->inputs);
    free(g->outputs);
    free(g->description);
    free(g->file_copy);
    free(g);
}

/* Checks that every index in list is a valid tensor index. */
static bool check_io(reader *r, const int32_t *list, int n, int n_tensors,
                     const char *what, size_t pos)
{
    int i;
    for (i = 0; i < n; i++)
        if (list[i] < 0 || list[i] >= n_tensors) {
            fail(r, pos, "corrupt file: subgraph %s %d refers to tensor %d but "
                 "the subgraph has %d tensors", what, i, (int)list[i], n_tensors);
            return false;
        }
    return true;
}

ml_graph *ml_graph_read(const uint8_t *buf, size_t len, ml_import_error *err)
{
    reader r = { buf, len, NULL, err, false };
    fbtable model, sg;
    fbvec codes_v, subgraphs, buffers, tensors, ops;
    opcode *codes = NULL;
    ml_graph *g = NULL;
    size_t i, root;
    uint32_t version;

    err->msg[0] = '\0';
    err->offset = -1;
    if (len < 8) {
        fail(&r, 0, "truncated file: %zu bytes is too short for a .tflite "
             "header (8 bytes)", len);
        return NULL;
    }
    if (memcmp(buf + 4, "TFL3", 4) != 0) {
        fail(&r, 4, "not a .tflite file: identifier at byte 4 is not \"TFL3\"");
        return NULL;
    }
    root = rd32(&r, 0);
    if (!table_open(&r, root, 0, "Model", &model))
        return NULL;
    version = (uint32_t)field_int(&r, &model, 0, 4, false, 0, "version");
    if (!r.failed && version != 3) {
        fail(&r, model.pos, "unsupported: schema version %u (only version 3 is "
             "supported)", version);
        return NULL;
    }
    if (!field_vec(&r, &model, 1, 4, "operator_codes", &codes_v) ||
        !field_vec(&r, &model, 2, 4, "subgraphs", &subgraphs) ||
        !field_vec(&r, &model, 4, 4, "buffers", &buffers))
        return NULL;
    if (subgraphs.count != 1) {
        fail(&r, subgraphs.pos ? subgraphs.pos - 4 : model.pos,
             "unsupported: the model has %zu subgraphs (only single-subgraph "
             "models are supported; control flow is not)", subgraphs.count);
        return NULL;
    }
    if (codes_v.count > MAX_CODES) {
        fail(&r, codes_v.pos - 4, "unsupported: %zu operator codes (limit is %d)",
             codes_v.count, MAX_CODES);
        return NULL;
    }
    codes = calloc(codes_v.count + 1, sizeof *codes);
    g = calloc(1, sizeof *g);
    if (codes == NULL || g == NULL) {
        fail(&r, 0, "out of memory");
        goto out;
    }
    g->file_size = len;
    g->file_copy = malloc(len);
    if (g->file_copy == NULL) {
        fail(&r, 0, "out of memory");
        goto out;
    }
    memcpy(g->file_copy, buf, len);
    r.copy = g->file_copy;
    if (!read_opcodes(&r, &codes_v, codes))
        goto out;
    g->description = field_str(&r, &model, 3, "description");
    if (g->description == NULL)
        goto out;
    if (!vec_table(&r, &subgraphs, 0, "SubGraph", &sg) ||
        !field_vec(&r, &sg, 0, 4, "tensors", &tensors) ||
        !field_vec(&r, &sg, 3, 4, "operators", &ops))
        goto out;
    if (tensors.count > MAX_TENSORS || ops.count > MAX_OPS) {
        fail(&r, sg.pos, "unsupported: %zu tensors and %zu operators (limits are "
             "%d and %d)", tensors.count, ops.count, MAX_TENSORS, MAX_OPS);
        goto out;
    }
    g->tensors = calloc(tensors.count + 1, sizeof *g->tensors);
    g->ops = calloc(ops.count + 1, sizeof *g->ops);
    if (g->tensors == NULL || g->ops == NULL) {
        fail(&r, 0, "out of memory");
        goto out;
    }
    for (i = 0; i < tensors.count; i++) {
        fbtable t;
        g->n_tensors = (int)i + 1;      /* so ml_graph_free frees what we made */
        if (!vec_table(&r, &tensors, i, "Tensor", &t) ||
            !read_tensor(&r, &t, (int)i, &buffers, &g->tensors[i]))
            goto out;
    }
    g->inputs = vec_i32(&r, &sg, 1, "inputs", MAX_TENSORS, &g->n_inputs);
    if (g->inputs == NULL ||
        !check_io(&r, g->inputs, g->n_inputs, g->n_tensors, "input", sg.pos))
        goto out;
    g->outputs = vec_i32(&r, &sg, 2, "outputs", MAX_TENSORS, &g->n_outputs);
    if (g->outputs == NULL ||
        !check_io(&r, g->outputs, g->n_outputs, g->n_tensors, "output", sg.pos))
        goto out;
    for (i = 0; i < ops.count; i++) {
        fbtable t;
        g->n_ops = (int)i + 1;
        if (!vec_table(&r, &ops, i, "Operator", &t) ||
            !read_operator(&r, &t, (int)i, codes, codes_v.count, g->n_tensors,
                           &g->ops[i]))
            goto out;
    }
out:
    if (codes != NULL)
        for (i = 0; i < codes_v.count; i++)
            free(codes[i].custom);
    free(codes);
    if (r.failed) {
        ml_graph_free(g);
        return NULL;
    }
    return g;
}

ml_graph *ml_graph_load(const char *path, ml_import_error *err)
{
    size_t len;
    host_file_status fs;
    int eno;
    char *buf = host_file_read(path, 0, &len, &fs, &eno);
    ml_graph *g;

    err->msg[0] = '\0';
    err->offset = -1;
    if (buf == NULL) {
        if (fs == HOST_FILE_OPEN)
            snprintf(err->msg, sizeof err->msg, "%s: cannot open: %s", path, strerror(eno));
        else if (fs == HOST_FILE_READ)
            snprintf(err->msg, sizeof err->msg, "%s: read error", path);
        else
            snprintf(err->msg, sizeof err->msg, "%s: out of memory", path);
        return NULL;
    }
    g = ml_graph_read((const uint8_t *)buf, len, err);
    free(buf);
    return g;
}
