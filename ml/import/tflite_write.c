/*
** tflite_write.c — writes small single-subgraph .tflite files.
**
** For tests and examples that must run on a fresh clone, without fetched
** models: build a graph with ml_tflite_add_tensor()/ml_tflite_add_op(), then
** ml_tflite_write() serialises it in the FlatBuffers layout the importer
** reads (int8-spec.md §3).
**
** Layout strategy: FlatBuffers references are unsigned offsets, so a child
** must lie after the field that points to it.  We write front to back: a
** parent table is written with placeholder reference fields, its children
** are appended afterwards and the placeholders patched.  Each vtable is
** written right before its table (positive soffset).  All table fields are
** 4-byte slots except bools/bytes; no 8-byte fields are written inline, and
** 64-bit vectors (zero points) are 8-byte aligned; buffer data is 16-byte
** aligned as the schema's force_align asks.
*/
#include <stdlib.h>
#include <string.h>

#include "ml/import/import.h"

typedef struct wtensor {
    char *name;
    int type, rank, n_quant, quant_dim;
    int32_t shape[ML_GRAPH_MAX_DIMS];
    float *scale;
    int64_t *zero_point;
    uint8_t *data;
    size_t data_size;
} wtensor;

typedef struct wop {
    int code, version;
    char *custom;
    ml_gopts opt;
    int n_in, n_out;
    int32_t *in, *out;
} wop;

struct ml_tflite_builder {
    wtensor *t;
    int n_t, cap_t;
    wop *op;
    int n_op, cap_op;
    int32_t *in, *out;
    int n_in, n_out;
    bool oom;
};

/* ------------------------------------------------------------ builder */

ml_tflite_builder *ml_tflite_builder_new(void)
{
    return calloc(1, sizeof(ml_tflite_builder));
}

void ml_tflite_builder_free(ml_tflite_builder *b)
{
    int i;
    if (b == NULL)
        return;
    for (i = 0; i < b->n_t; i++) {
        free(b->t[i].name);
        free(b->t[i].scale);
        free(b->t[i].zero_point);
        free(b->t[i].data);
    }
    for (i = 0; i < b->n_op; i++) {
        free(b->op[i].custom);
        free(b->op[i].in);
        free(b->op[i].out);
    }
    free(b->t);
    free(b->op);
    free(b->in);
    free(b->out);
    free(b);
}

static void *dup_mem(ml_tflite_builder *b, const void *p, size_t n)
{
    void *q;
    if (p == NULL || n == 0)
        return NULL;
    q = malloc(n);
    if (q == NULL) {
        b->oom = true;
        return NULL;
    }
    memcpy(q, p, n);
    return q;
}

int ml_tflite_add_tensor(ml_tflite_builder *b, const char *name, int type,
                         int rank, const int32_t *shape,
                         int n_quant, const float *scale,
                         const int64_t *zero_point, int quant_dim,
                         const void *data, size_t data_size)
{
    wtensor *t;
    if (rank < 0 || rank > ML_GRAPH_MAX_DIMS || n_quant < 0 ||
        (n_quant > 0 && (scale == NULL || zero_point == NULL)))
        return -1;
    if (b->n_t == b->cap_t) {
        int cap = b->cap_t ? b->cap_t * 2 : 16;
        wtensor *nt = realloc(b->t, (size_t)cap * sizeof *nt);
        if (nt == NULL) {
            b->oom = true;
            return -1;
        }
        b->t = nt;
        b->cap_t = cap;
    }
    t = &b->t[b->n_t];
    memset(t, 0, sizeof *t);
    t->name = dup_mem(b, name ? name : "", strlen(name ? name : "") + 1);
    t->type = type;
    t->rank = rank;
    if (rank > 0)
        memcpy(t->shape, shape, (size_t)rank * sizeof *shape);
    t->n_quant = n_quant;
    t->quant_dim = quant_dim;
    t->scale = dup_mem(b, scale, (size_t)n_quant * sizeof *scale);
    t->zero_point = dup_mem(b, zero_point, (size_t)n_quant * sizeof *zero_point);
    t->data = dup_mem(b, data, data_size);
    t->data_size = data ? data_size : 0;
    return b->n_t++;
}

int ml_tflite_add_op(ml_tflite_builder *b, int code, int version,
                     const char *custom_name, const ml_gopts *opt,
                     int n_inputs, const int32_t *inputs,
                     int n_outputs, const int32_t *outputs)
{
    wop *o;
    if (b->n_op == b->cap_op) {
        int cap = b->cap_op ? b->cap_op * 2 : 16;
        wop *no = realloc(b->op, (size_t)cap * sizeof *no);
        if (no == NULL) {
            b->oom = true;
            return -1;
        }
        b->op = no;
        b->cap_op = cap;
    }
    o = &b->op[b->n_op];
    memset(o, 0, sizeof *o);
    o->code = code;
    o->version = version < 1 ? 1 : version;
    o->custom = custom_name ? dup_mem(b, custom_name, strlen(custom_name) + 1) : NULL;
    if (opt)
        o->opt = *opt;
    else
        ml_gopts_default(&o->opt);
    o->n_in = n_inputs;
    o->n_out = n_outputs;
    o->in = dup_mem(b, inputs, (size_t)n_inputs * sizeof *inputs);
    o->out = dup_mem(b, outputs, (size_t)n_outputs * sizeof *outputs);
    return b->n_op++;
}

void ml_tflite_set_io(ml_tflite_builder *b, int n_inputs, const int32_t *inputs,
                      int n_outputs, const int32_t *outputs)
{
    free(b->in);
    free(b->out);
    b->n_in = n_inputs;
    b->n_out = n_outputs;
    b->in = dup_mem(b, inputs, (size_t)n_inputs * sizeof *inputs);
    b->out = dup_mem(b, outputs, (size_t)n_outputs * sizeof *outputs);
}

/* ------------------------------------------------------------ byte buffer */

typedef struct wbuf {
    uint8_t *p;
    size_t len, cap;
    bool oom;
} wbuf;

static void wb_grow(wbuf *w, size_t n)
{
    if (w->oom || w->len + n <= w->cap)
        return;
    {
        size_t cap = w->cap ? w->cap : 1024;
        uint8_t *np;
        while (cap < w->len + n)
            cap *= 2;
        np = realloc(w->p, cap);
        if (np == NULL) {
            w->oom = true;
            return;
        }
        w->p = np;
        w->cap = cap;
    }
}

static size_t wb_put(wbuf *w, const void *src, size_t n)
{
    size_t at = w->len;
    wb_grow(w, n);
    if (w->oom)
        return at;
    if (src)
        memcpy(w->p + w->len, src, n);
    else
        memset(w->p + w->len, 0, n);
    w->len += n;
    return at;
}

/* Pads with zeros until (len + bias) is a multiple of align. */
static void wb_pad(wbuf *w, size_t align, size_t bias)
{
    while ((w->len + bias) % align != 0)
        wb_put(w, NULL, 1);
}

static void wb_set32(wbuf *w, size_t at, uint32_t v)
{
    if (w->oom)
        return;
    w->p[at] = (uint8_t)v;
    w->p[at + 1] = (uint8_t)(v >> 8);
    w->p[at + 2] = (uint8_t)(v >> 16);
    w->p[at + 3] = (uint8_t)(v >> 24);
}

static size_t wb_u32(wbuf *w, uint32_t v)
{
    size_t at = wb_put(w, NULL, 4);
    wb_set32(w, at, v);
    return at;
}

/* Points the reference field at `at` to `target` (which lies after it). */
static void wb_ref(wbuf *w, size_t at, size_t target)
{
    wb_set32(w, at, (uint32_t)(target - at));
}

/* A table field to write. */
typedef struct tfield {
    int id;
    int size;           /* 1 or 4 */
    uint32_t val;       /* value; for references a placeholder */
} tfield;

/* Writes vtable + table; pos[i] receives each field's position.  Returns
   the table position. */
static size_t wb_table(wbuf *w, const tfield *f, int n, size_t *pos)
{
    int i, max_id = -1, pass;
    size_t vt, tbl, inline_bytes = 4, off;
    uint16_t vtsz, *slots;
    for (i = 0; i < n; i++)
        if (f[i].id > max_id)
            max_id = f[i].id;
    vtsz = (uint16_t)(4 + 2 * (max_id + 1));
    /* vtable, then padding so the table starts 4-aligned */
    wb_pad(w, 2, 0);
    wb_pad(w, 4, vtsz);
    vt = wb_put(w, NULL, vtsz);
    tbl = w->len;
    wb_u32(w, (uint32_t)(tbl - vt));
    slots = calloc((size_t)max_id + 2, sizeof *slots);
    if (slots == NULL) {
        w->oom = true;
        return tbl;
    }
    /* 4-byte fields first, then bytes: keeps every field naturally aligned */
    for (pass = 4; pass >= 1; pass -= 3)
        for (i = 0; i < n; i++) {
            if (f[i].size != pass)
                continue;
            off = w->len - tbl;
            pos[i] = w->len;
            if (pass == 4)
                wb_u32(w, f[i].val);
            else {
                uint8_t b = (uint8_t)f[i].val;
                wb_put(w, &b, 1);
            }
            slots[f[i].id] = (uint16_t)off;
            inline_bytes = off + (size_t)pass;
        }
    wb_pad(w, 4, 0);
    if (!w->oom) {
        uint16_t hdr[2];
        hdr[0] = vtsz;
        hdr[1] = (uint16_t)inline_bytes;
        for (i = 0; i < 2; i++) {
            w->p[vt + 2 * (size_t)i] = (uint8_t)hdr[i];
            w->p[vt + 2 * (size_t)i + 1] = (uint8_t)(hdr[i] >> 8);
        }
        for (i = 0; i <= max_id; i++) {
            w->p[vt + 4 + 2 * (size_t)i] = (uint8_t)slots[i];
            w->p[vt + 5 + 2 * (size_t)i] = (uint8_t)(slots[i] >> 8);
        }
    }
    free(slots);
    return tbl;
}

/* A vector of count elements of esz bytes, elements aligned to align;
   returns the position of the count. */
static size_t wb_vec(wbuf *w, const void *elems, size_t count, size_t esz, size_t align)
{
    size_t at;
    wb_pad(w, align < 4 ? 4 : align, 4);
    at = wb_u32(w, (uint32_t)count);
    wb_put(w, elems, count * esz);
    wb_pad(w, 4, 0);
    return at;
}

static size_t wb_vec_i32(wbuf *w, const int32_t *v, int n)
{
    size_t at = wb_vec(w, NULL, (size_t)n, 4, 4);
    int i;
    for (i = 0; i < n; i++)
        wb_set32(w, at + 4 + 4 * (size_t)i, (uint32_t)v[i]);
    return at;
}

static size_t wb_str(wbuf *w, const char *s)
{
    size_t n = strlen(s), at;
    wb_pad(w, 4, 0);
    at = wb_u32(w, (uint32_t)n);
    wb_put(w, s, n);
    wb_put(w, NULL, 1);
    wb_pad(w, 4, 0);
    return at;
}

/* A vector of n table references (placeholders); returns the count position. */
static size_t wb_vec_refs(wbuf *w, int n)
{
    return wb_vec(w, NULL, (size_t)n, 4, 4);
}

/* ------------------------------------------------------------ model parts */

typedef struct wcode {
    int code, version;
    const char *custom;
} wcode;

static int code_index(wcode *codes, int *n, const wop *o)
{
    int i;
    for (i = 0; i < *n; i++)
        if (codes[i].code == o->code && codes[i].version == o->version &&
            ((codes[i].custom == NULL && o->custom == NULL) ||
             (codes[i].custom && o->custom && strcmp(codes[i].custom, o->custom) == 0)))
            return i;
    codes[*n].code = o->code;
    codes[*n].version = o->version;
    codes[*n].custom = o->custom;
    return (*n)++;
}

static uint32_t f32_bits(float f)
{
    uint32_t u;
    memcpy(&u, &f, sizeof u);
    return u;
}

/* Writes the options table for op (if its code has one); returns the union
   type, and the table position in *pos (0 = none). */
static int write_options(wbuf *w, const wop *o, size_t *pos)
{
    const ml_gopts *p = &o->opt;
    tfield f[8];
    size_t fp[8];
    int n = 0, type = 0;
    bool shape_ref = false;
#define F(ident, sz, v) (f[n].id = (ident), f[n].size = (sz), f[n].val = (uint32_t)(v), n++)
    switch (o->code) {
    case ML_TFLITE_CONV_2D:
        type = 1;
        F(0, 1, p->padding); F(1, 4, p->stride_w); F(2, 4, p->stride_h);
        F(3, 1, p->activation); F(4, 4, p->dilation_w); F(5, 4, p->dilation_h);
        break;
    case ML_TFLITE_DEPTHWISE_CONV_2D:
        type = 2;
        F(0, 1, p->padding); F(1, 4, p->stride_w); F(2, 4, p->stride_h);
        F(3, 4, p->depth_multiplier); F(4, 1, p->activation);
        F(5, 4, p->dilation_w); F(6, 4, p->dilation_h);
        break;
    case ML_TFLITE_AVERAGE_POOL_2D:
    case ML_TFLITE_MAX_POOL_2D:
        type = 5;
        F(0, 1, p->padding); F(1, 4, p->stride_w); F(2, 4, p->stride_h);
        F(3, 4, p->filter_w); F(4, 4, p->filter_h); F(5, 1, p->activation);
        break;
    case ML_TFLITE_FULLY_CONNECTED:
        type = 8;
        F(0, 1, p->activation); F(1, 1, p->weights_format); F(2, 1, p->keep_num_dims);
        break;
    case ML_TFLITE_SOFTMAX:
        type = 9;
        F(0, 4, f32_bits(p->beta));
        break;
    case ML_TFLITE_CONCATENATION:
        type = 10;
        F(0, 4, p->axis); F(1, 1, p->activation);
        break;
    case ML_TFLITE_ADD:
        type = 11;
        F(0, 1, p->activation);
        break;
    case ML_TFLITE_MUL:
        type = 21;
        F(0, 1, p->activation);
        break;
    case ML_TFLITE_SUB:
        type = 28;
        F(0, 1, p->activation);
        break;
    case ML_TFLITE_RESHAPE:
        if (p->n_new_shape < 0)
            break;
        type = 17;
        F(0, 4, 0);
        shape_ref = true;
        break;
    case ML_TFLITE_MEAN:
    case ML_TFLITE_SUM:
        type = 27;
        F(0, 1, p->keep_dims);
        break;
    default:
        break;
    }
#undef F
    *pos = 0;
    if (type == 0)
        return 0;
    *pos = wb_table(w, f, n, fp);
    if (shape_ref) {
        wb_ref(w, fp[0], wb_vec_i32(w, p->new_shape, p->n_new_shape));
    }
    return type;
}

static size_t write_tensor(wbuf *w, const wtensor *t, uint32_t buffer)
{
    tfield f[4];
    size_t fp[4], q, qp[3], tpos;
    f[0] = (tfield){ 0, 4, 0 };                 /* shape */
    f[1] = (tfield){ 1, 1, (uint32_t)t->type };
    f[2] = (tfield){ 2, 4, buffer };
    f[3] = (tfield){ 3, 4, 0 };                 /* name */
    if (t->n_quant > 0) {
        tfield qf[3];
        tfield all[5];
        memcpy(all, f, sizeof f);
        all[4] = (tfield){ 4, 4, 0 };           /* quantization */
        {
            size_t ap[5];
            tpos = wb_table(w, all, 5, ap);
            wb_ref(w, ap[0], wb_vec_i32(w, t->shape, t->rank));
            wb_ref(w, ap[3], wb_str(w, t->name));
            qf[0] = (tfield){ 2, 4, 0 };
            qf[1] = (tfield){ 3, 4, 0 };
            qf[2] = (tfield){ 6, 4, (uint32_t)t->quant_dim };
            q = wb_table(w, qf, 3, qp);
            wb_ref(w, ap[4], q);
        }
        {
            size_t at = wb_vec(w, NULL, (size_t)t->n_quant, 4, 4);
            int i;
            for (i = 0; i < t->n_quant; i++)
                wb_set32(w, at + 4 + 4 * (size_t)i, f32_bits(t->scale[i]));
            wb_ref(w, qp[0], at);
            at = wb_vec(w, NULL, (size_t)t->n_quant, 8, 8);
            for (i = 0; i < t->n_quant; i++) {
                uint64_t z = (uint64_t)t->zero_point[i];
                wb_set32(w, at + 4 + 8 * (size_t)i, (uint32_t)z);
                wb_set32(w, at + 8 + 8 * (size_t)i, (uint32_t)(z >> 32));
            }
            wb_ref(w, qp[1], at);
        }
        return tpos;
    }
    q = wb_table(w, f, 4, fp);
    wb_ref(w, fp[0], wb_vec_i32(w, t->shape, t->rank));
    wb_ref(w, fp[3], wb_str(w, t->name));
    return q;
}

static size_t write_subgraph(wbuf *w, const ml_tflite_builder *b, const int *code_of)
{
    tfield f[4] = { { 0, 4, 0 }, { 1, 4, 0 }, { 2, 4, 0 }, { 3, 4, 0 } };
    size_t fp[4], tv, ov, sg;
    int i, next_buffer = 1;
    sg = wb_table(w, f, 4, fp);
    wb_ref(w, fp[1], wb_vec_i32(w, b->in, b->n_in));
    wb_ref(w, fp[2], wb_vec_i32(w, b->out, b->n_out));
    tv = wb_vec_refs(w, b->n_t);
    wb_ref(w, fp[0], tv);
    for (i = 0; i < b->n_t; i++) {
        size_t slot = tv + 4 + 4 * (size_t)i;
        wb_ref(w, slot, write_tensor(w, &b->t[i],
                                     b->t[i].data ? (uint32_t)next_buffer : 0));
        if (b->t[i].data)
            next_buffer++;
    }
    ov = wb_vec_refs(w, b->n_op);
    wb_ref(w, fp[3], ov);
    for (i = 0; i < b->n_op; i++) {
        const wop *o = &b->op[i];
        tfield of[5];
        size_t op[5], opt_pos;
        int nf = 3, type;
        of[0] = (tfield){ 0, 4, (uint32_t)code_of[i] };
        of[1] = (tfield){ 1, 4, 0 };
        of[2] = (tfield){ 2, 4, 0 };
        of[3] = (tfield){ 3, 1, 0 };
        of[4] = (tfield){ 4, 4, 0 };
        /* the options type/value are fixed by the code; write the table
           first only to learn the type, then the operator */
        switch (o->code) {
        case ML_TFLITE_CONV_2D: case ML_TFLITE_DEPTHWISE_CONV_2D:
        case ML_TFLITE_AVERAGE_POOL_2D: case ML_TFLITE_MAX_POOL_2D:
        case ML_TFLITE_FULLY_CONNECTED: case ML_TFLITE_SOFTMAX:
        case ML_TFLITE_CONCATENATION: case ML_TFLITE_ADD: case ML_TFLITE_MUL:
        case ML_TFLITE_SUB: case ML_TFLITE_MEAN: case ML_TFLITE_SUM:
            nf = 5;
            break;
        case ML_TFLITE_RESHAPE:
            nf = o->opt.n_new_shape >= 0 ? 5 : 3;
            break;
        default:
            break;
        }
        {
            size_t tbl = wb_table(w, of, nf, op);
            wb_set32(w, ov + 4 + 4 * (size_t)i, (uint32_t)(tbl - (ov + 4 + 4 * (size_t)i)));
        }
        wb_ref(w, op[1], wb_vec_i32(w, o->in, o->n_in));
        wb_ref(w, op[2], wb_vec_i32(w, o->out, o->n_out));
        if (nf == 5) {
            type = write_options(w, o, &opt_pos);
            if (!w->oom)
                w->p[op[3]] = (uint8_t)type;
            wb_ref(w, op[4], opt_pos);
        }
    }
    return sg;
}

bool ml_tflite_write(const ml_tflite_builder *b, int n_subgraphs,
                     uint8_t **out, size_t *out_len)
{
    wbuf w = { NULL, 0, 0, false };
    wcode *codes;
    int *code_of, n_codes = 0, i, s, n_buffers = 1;
    tfield mf[4] = { { 0, 4, 3 }, { 1, 4, 0 }, { 2, 4, 0 }, { 4, 4, 0 } };
    size_t mp[4], cv, sv, bv;

    *out = NULL;
    *out_len = 0;
    if (b->oom || n_subgraphs < 1)
        return false;
    codes = calloc((size_t)b->n_op + 1, sizeof *codes);
    code_of = calloc((size_t)b->n_op + 1, sizeof *code_of);
    if (codes == NULL || code_of == NULL) {
        free(codes);
        free(code_of);
        return false;
    }
    for (i = 0; i < b->n_op; i++)
        code_of[i] = code_index(codes, &n_codes, &b->op[i]);
    for (i = 0; i < b->n_t; i++)
        if (b->t[i].data)
            n_buffers++;

    wb_u32(&w, 0);                          /* root offset, patched below */
    wb_put(&w, "TFL3", 4);
    wb_ref(&w, 0, wb_table(&w, mf, 4, mp));

    /* operator codes */
    cv = wb_vec_refs(&w, n_codes);
    wb_ref(&w, mp[1], cv);
    for (i = 0; i < n_codes; i++) {
        tfield cf[4];
        size_t cp[4], tbl;
        int n = 3;
        cf[0] = (tfield){ 0, 1, (uint32_t)(codes[i].code < 127 ? codes[i].code : 127) };
        cf[1] = (tfield){ 2, 4, (uint32_t)codes[i].version };
        cf[2] = (tfield){ 3, 4, (uint32_t)codes[i].code };
        if (codes[i].custom) {
            cf[3] = (tfield){ 1, 4, 0 };
            n = 4;
        }
        tbl = wb_table(&w, cf, n, cp);
        wb_ref(&w, cv + 4 + 4 * (size_t)i, tbl);
        if (codes[i].custom)
            wb_ref(&w, cp[3], wb_str(&w, codes[i].custom));
    }

    /* subgraphs (repeats only exist to exercise the importer's rejection) */
    sv = wb_vec_refs(&w, n_subgraphs);
    wb_ref(&w, mp[2], sv);
    for (s = 0; s < n_subgraphs; s++)
        wb_ref(&w, sv + 4 + 4 * (size_t)s, write_subgraph(&w, b, code_of));

    /* buffers: 0 is the empty sentinel, then one per constant tensor */
    bv = wb_vec_refs(&w, n_buffers);
    wb_ref(&w, mp[3], bv);
    for (i = 0; i < n_buffers; i++) {
        tfield bf[1] = { { 0, 4, 0 } };
        size_t bp[1], tbl;
        int k = 0, j;
        const wtensor *t = NULL;
        tbl = wb_table(&w, bf, i == 0 ? 0 : 1, bp);
        wb_ref(&w, bv + 4 + 4 * (size_t)i, tbl);
        if (i == 0)
            continue;
        for (j = 0; j < b->n_t; j++)
            if (b->t[j].data && ++k == i) {
                t = &b->t[j];
                break;
            }
        if (t != NULL)
            wb_ref(&w, bp[0], wb_vec(&w, t->data, t->data_size, 1, 16));
    }
    free(codes);
    free(code_of);
    if (w.oom) {
        free(w.p);
        return false;
    }
    *out = w.p;
    *out_len = w.len;
    return true;
}
