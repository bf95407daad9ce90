/*
** train_bearing.c — trains the bearing example's classifier and writes it
** as an int8 .tflite file with the project's own writer (ml/import).
**
** Input: OUTDIR/train.csv and OUTDIR/valid.csv from gen_bearing (a label
** 0..3 — normal, inner, outer, ball — then the model's input vector, in the
** order of bearing.cep's `input [...]` list).
**
** 1. Input quantization.  The rule engine quantizes the whole input vector
**    with the model's one input scale and zero point, round half away from
**    zero, saturating (cep/model.c, docs/models.md).  All features here are
**    non-negative, so zero point -128 and scale = (99.5th percentile of all
**    training values) / 255: the rare larger values saturate at 127.  The
**    network is trained on exactly what it will see: each value quantized
**    that way, as the integer u = q - zp in 0..255.
** 2. Training, float64: a 2-layer perceptron (10 -> 16 ReLU -> 4, softmax
**    cross-entropy) on standardized u, Adam (lr 0.01) with weight decay
**    1e-3, 150 epochs of mini-batches of 32 in a shuffled order, fixed
**    seeds.
** 3. Quantization as TFLite's converter does it: the standardization folded
**    into layer 1; weights int8 symmetric per output channel (scale =
**    max|w| / 127); biases int32 with scale input_scale x weight_scale;
**    activations asymmetric int8 from the training set's ranges (hidden
**    [0, max], logits [min, max] widened to hold 0); SOFTMAX output scale
**    1/256, zero point -128.
** 4. The graph FULLY_CONNECTED(ReLU) -> FULLY_CONNECTED -> SOFTMAX is
**    written with ml_tflite_*, read back with ml_graph_read, compiled and run
**    on every training and validation vector by the int8 kernels.
**
** Outputs in OUTDIR: bearing.tflite; train_q.bin (the quantized training
** vectors, 10 bytes each, for `tinycep model run`) and train_labels.txt (one
** class per line); train_report.txt (accuracy float vs int8, scales).
** Deterministic: the same CSV files give the same bytes.
**
** usage: train_bearing OUTDIR
*/
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ml/import/import.h"
#include "ml/model.h"

#define N_IN      10
#define N_HID     16
#define N_OUT     4
#define EPOCHS    150
#define BATCH     32
#define LR        0.01
#define L2        1e-3      /* weight decay: keeps the network from
                                    overconfident scores on borderline inputs */

static const char *const class_names[N_OUT] = { "normal", "inner", "outer", "ball" };

typedef struct dataset {
    int n;
    int *label;
    float *x;          /* n x N_IN, as the engine computed them */
    int8_t *q;         /* n x N_IN, quantized as the engine quantizes */
    double *u;         /* n x N_IN, q - zp (what the network sees) */
} dataset;

typedef struct net {
    double w1[N_HID][N_IN], b1[N_HID];
    double w2[N_OUT][N_HID], b2[N_OUT];
} net;

static uint64_t rng_state = 0x853c49e6748fea9bull;

static double uniform(void)
{
    uint64_t x = rng_state;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    rng_state = x;
    return (double)((x * 0x2545f4914f6cdd1dull) >> 11) / 9007199254740992.0;
}

static void die(const char *msg, const char *what)
{
    fprintf(stderr, "train_bearing: %s%s\n", msg, what);
    exit(1);
}

static void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        die("out of memory", "");
    return p;
}

static void path_in(char *buf, size_t cap, const char *dir, const char *name)
{
    if (snprintf(buf, cap, "%s/%s", dir, name) >= (int)cap)
        die("path too long: ", dir);
}

/* Reads gen_bearing's CSV: a header, then label and N_IN numbers per row. */
static void read_set(dataset *d, const char *dir, const char *name)
{
    char path[4096], line[2048];
    FILE *f;
    int cap = 1024, lineno = 1;
    path_in(path, sizeof path, dir, name);
    f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "train_bearing: cannot read %s: %s\n", path, strerror(errno));
        exit(2);
    }
    if (!fgets(line, sizeof line, f))
        die("empty file: ", path);
    d->n = 0;
    d->label = xmalloc((size_t)cap * sizeof *d->label);
    d->x = xmalloc((size_t)cap * N_IN * sizeof *d->x);
    while (fgets(line, sizeof line, f)) {
        char *p = line, *end;
        long lab;
        int i;
        lineno++;
        if (d->n == cap) {
            cap *= 2;
            d->label = realloc(d->label, (size_t)cap * sizeof *d->label);
            d->x = realloc(d->x, (size_t)cap * N_IN * sizeof *d->x);
            if (!d->label || !d->x)
                die("out of memory", "");
        }
        lab = strtol(p, &end, 10);
        if (end == p || lab < 0 || lab >= N_OUT) {
            fprintf(stderr, "train_bearing: %s:%d: bad label\n", path, lineno);
            exit(1);
        }
        d->label[d->n] = (int)lab;
        for (i = 0; i < N_IN; i++) {
            p = end;
            if (*p != ',') {
                fprintf(stderr, "train_bearing: %s:%d: expected %d values\n", path, lineno,
                        N_IN);
                exit(1);
            }
            d->x[(size_t)d->n * N_IN + (size_t)i] = strtof(p + 1, &end);
            if (end == p + 1) {
                fprintf(stderr, "train_bearing: %s:%d: not a number\n", path, lineno);
                exit(1);
            }
        }
        d->n++;
    }
    fclose(f);
    if (d->n == 0)
        die("no data rows in ", path);
}

/* q = round(x / scale) + zp, half away from zero, saturated: what the rule
** engine does to a model input (cep/model.c), in the same float steps. */
static int8_t quantize_input(float x, float scale, int32_t zp)
{
    float v = x / scale, fr;
    int32_t q;
    if (v > 1.0e6f)
        v = 1.0e6f;
    if (v < -1.0e6f)
        v = -1.0e6f;
    q = (int32_t)v;
    fr = v - (float)q;
    if (fr >= 0.5f)
        q++;
    else if (fr <= -0.5f)
        q--;
    q += zp;
    return (int8_t)(q > 127 ? 127 : q < -128 ? -128 : q);
}

static void quantize_set(dataset *d, float scale, int32_t zp)
{
    size_t i, n = (size_t)d->n * N_IN;
    d->q = xmalloc(n);
    d->u = xmalloc(n * sizeof *d->u);
    for (i = 0; i < n; i++) {
        d->q[i] = quantize_input(d->x[i], scale, zp);
        d->u[i] = (double)((int32_t)d->q[i] - zp);
    }
}

static void free_set(dataset *d)
{
    free(d->label);
    free(d->x);
    free(d->q);
    free(d->u);
}

static int cmp_float(const void *a, const void *b)
{
    float x = *(const float *)a, y = *(const float *)b;
    return x < y ? -1 : x > y;
}

/* ------------------------------------------------------------ training */

/* Forward pass on standardized input z; returns the probabilities in p and
** the hidden activations in h. */
static void forward(const net *m, const double *z, double *h, double *logit, double *p)
{
    int j, k, i;
    double mx, sum = 0.0;
    for (j = 0; j < N_HID; j++) {
        double a = m->b1[j];
        for (i = 0; i < N_IN; i++)
            a += m->w1[j][i] * z[i];
        h[j] = a > 0.0 ? a : 0.0;
    }
    for (k = 0; k < N_OUT; k++) {
        double a = m->b2[k];
        for (j = 0; j < N_HID; j++)
            a += m->w2[k][j] * h[j];
        logit[k] = a;
    }
    mx = logit[0];
    for (k = 1; k < N_OUT; k++)
        if (logit[k] > mx)
            mx = logit[k];
    for (k = 0; k < N_OUT; k++) {
        p[k] = exp(logit[k] - mx);
        sum += p[k];
    }
    for (k = 0; k < N_OUT; k++)
        p[k] /= sum;
}

static int argmax(const double *p)
{
    int k, best = 0;
    for (k = 1; k < N_OUT; k++)
        if (p[k] > p[best])
            best = k;
    return best;
}

typedef struct adam {
    net m, v;
    long t;
} adam;

static void adam_step(net *w, const net *g, adam *s)
{
    double *pw = (double *)w, *pm = (double *)&s->m, *pv = (double *)&s->v;
    const double *pg = (const double *)g;
    size_t i, n = sizeof(net) / sizeof(double);
    double b1 = 0.9, b2 = 0.999, c1, c2;
    s->t++;
    c1 = 1.0 - pow(b1, (double)s->t);
    c2 = 1.0 - pow(b2, (double)s->t);
    for (i = 0; i < n; i++) {
        pm[i] = b1 * pm[i] + (1.0 - b1) * pg[i];
        pv[i] = b2 * pv[i] + (1.0 - b2) * pg[i] * pg[i];
        pw[i] -= LR * (pm[i] / c1) / (sqrt(pv[i] / c2) + 1e-8);
    }
}

static void standardize(const double *u, const double *mu, const double *sd, double *z)
{
    int i;
    for (i = 0; i < N_IN; i++)
        z[i] = (u[i] - mu[i]) / sd[i];
}

static void train(net *m, const dataset *d, const double *mu, const double *sd)
{
    adam s;
    int *order = xmalloc((size_t)d->n * sizeof *order);
    int i, j, k, e, b;
    memset(&s, 0, sizeof s);
    for (j = 0; j < N_HID; j++) {
        for (i = 0; i < N_IN; i++)
            m->w1[j][i] = (uniform() - 0.5) * 2.0 * sqrt(6.0 / (N_IN + N_HID));
        m->b1[j] = 0.0;
    }
    for (k = 0; k < N_OUT; k++) {
        for (j = 0; j < N_HID; j++)
            m->w2[k][j] = (uniform() - 0.5) * 2.0 * sqrt(6.0 / (N_HID + N_OUT));
        m->b2[k] = 0.0;
    }
    for (i = 0; i < d->n; i++)
        order[i] = i;
    for (e = 0; e < EPOCHS; e++) {
        for (i = d->n - 1; i > 0; i--) {        /* Fisher-Yates */
            int r = (int)(uniform() * (i + 1)), t = order[i];
            order[i] = order[r];
            order[r] = t;
        }
        for (b = 0; b < d->n; b += BATCH) {
            net g;
            int end = b + BATCH < d->n ? b + BATCH : d->n, n;
            memset(&g, 0, sizeof g);
            for (n = b; n < end; n++) {
                double z[N_IN], h[N_HID], logit[N_OUT], p[N_OUT], dl[N_OUT], dh[N_HID];
                int r = order[n];
                standardize(&d->u[(size_t)r * N_IN], mu, sd, z);
                forward(m, z, h, logit, p);
                for (k = 0; k < N_OUT; k++)
                    dl[k] = (p[k] - (k == d->label[r])) / (end - b);
                for (j = 0; j < N_HID; j++) {
                    double a = 0.0;
                    for (k = 0; k < N_OUT; k++) {
                        g.w2[k][j] += dl[k] * h[j];
                        a += dl[k] * m->w2[k][j];
                    }
                    dh[j] = h[j] > 0.0 ? a : 0.0;
                }
                for (k = 0; k < N_OUT; k++)
                    g.b2[k] += dl[k];
                for (j = 0; j < N_HID; j++) {
                    for (i = 0; i < N_IN; i++)
                        g.w1[j][i] += dh[j] * z[i];
                    g.b1[j] += dh[j];
                }
            }
            for (j = 0; j < N_HID; j++)
                for (i = 0; i < N_IN; i++)
                    g.w1[j][i] += L2 * m->w1[j][i];
            for (k = 0; k < N_OUT; k++)
                for (j = 0; j < N_HID; j++)
                    g.w2[k][j] += L2 * m->w2[k][j];
            adam_step(m, &g, &s);
        }
    }
    free(order);
}

/* Float accuracy on the quantized inputs; also the activation ranges. */
static double float_accuracy(const net *m, const dataset *d, const double *mu, const double *sd,
                             double *hmax, double *lmin, double *lmax)
{
    int r, j, k, ok = 0;
    for (r = 0; r < d->n; r++) {
        double z[N_IN], h[N_HID], logit[N_OUT], p[N_OUT];
        standardize(&d->u[(size_t)r * N_IN], mu, sd, z);
        forward(m, z, h, logit, p);
        ok += argmax(p) == d->label[r];
        for (j = 0; hmax && j < N_HID; j++)
            if (h[j] > *hmax)
                *hmax = h[j];
        for (k = 0; lmin && k < N_OUT; k++) {
            if (logit[k] < *lmin)
                *lmin = logit[k];
            if (logit[k] > *lmax)
                *lmax = logit[k];
        }
    }
    return (double)ok / d->n;
}

/* ------------------------------------------------------------ int8 model */

static int8_t to_i8(double v)
{
    double r = v < 0.0 ? -floor(-v + 0.5) : floor(v + 0.5);
    return (int8_t)(r > 127.0 ? 127 : r < -127.0 ? -127 : r);
}

static int32_t to_i32(double v)
{
    double r = v < 0.0 ? -floor(-v + 0.5) : floor(v + 0.5);
    if (r > 2147483647.0 || r < -2147483647.0)
        die("a bias does not fit int32", "");
    return (int32_t)r;
}

/* One FULLY_CONNECTED layer's constant tensors: weights w (rows x cols, real
** domain, for an input of scale in_scale) quantized per output channel. */
static void add_fc_consts(ml_tflite_builder *b, const char *name, int rows, int cols,
                          const double *w, const double *bias, float in_scale, int *wt, int *bt)
{
    float *ws = xmalloc((size_t)rows * sizeof *ws), *bs = xmalloc((size_t)rows * sizeof *bs);
    int64_t *zp = xmalloc((size_t)rows * sizeof *zp);
    int8_t *wq = xmalloc((size_t)rows * (size_t)cols);
    int32_t *bq = xmalloc((size_t)rows * sizeof *bq);
    int32_t wshape[2] = { rows, cols }, bshape[1] = { rows };
    char nm[64];
    int r, c;
    for (r = 0; r < rows; r++) {
        double mx = 0.0;
        for (c = 0; c < cols; c++)
            if (fabs(w[r * cols + c]) > mx)
                mx = fabs(w[r * cols + c]);
        /* a unit whose weights decayed to ~0 keeps its bias representable */
        if (mx / 127.0 < fabs(bias[r]) / ((double)in_scale * 1073741824.0))
            mx = 127.0 * fabs(bias[r]) / ((double)in_scale * 1073741824.0);
        ws[r] = (float)(mx > 0.0 ? mx / 127.0 : 1.0);
        bs[r] = in_scale * ws[r];
        zp[r] = 0;
        for (c = 0; c < cols; c++)
            wq[r * cols + c] = to_i8(w[r * cols + c] / (double)ws[r]);
        bq[r] = to_i32(bias[r] / (double)bs[r]);
    }
    snprintf(nm, sizeof nm, "%s/weights", name);
    *wt = ml_tflite_add_tensor(b, nm, ML_TFLITE_INT8, 2, wshape, rows, ws, zp, 0, wq,
                               (size_t)rows * (size_t)cols);
    snprintf(nm, sizeof nm, "%s/bias", name);
    *bt = ml_tflite_add_tensor(b, nm, ML_TFLITE_INT32, 1, bshape, rows, bs, zp, 0, bq,
                               (size_t)rows * sizeof *bq);
    free(ws);
    free(bs);
    free(zp);
    free(wq);
    free(bq);
}

/* Asymmetric int8 parameters for the real range [lo, hi] (lo <= 0 <= hi). */
static void act_quant(double lo, double hi, float *scale, int64_t *zp)
{
    double z;
    *scale = (float)((hi - lo) / 255.0);
    z = -128.0 - lo / (double)*scale;
    z = floor(z + 0.5);
    *zp = (int64_t)(z < -128.0 ? -128 : z > 127.0 ? 127 : z);
}

static void write_file(const char *dir, const char *name, const void *data, size_t len)
{
    char path[4096];
    FILE *f;
    path_in(path, sizeof path, dir, name);
    f = fopen(path, "wb");
    if (!f || fwrite(data, 1, len, f) != len || fclose(f) != 0) {
        fprintf(stderr, "train_bearing: cannot write %s\n", path);
        exit(2);
    }
}

/* Runs the compiled model on every vector of d; returns the accuracy and
** counts the confusion matrix. */
static double int8_accuracy(const ml_compiled *c, const dataset *d, long conf[N_OUT][N_OUT])
{
    const ml_model *m = &c->model;
    uint8_t *arena = xmalloc(m->arena_size + 4);
    int r, k, ok = 0;
    for (r = 0; r < d->n; r++) {
        size_t isz, osz;
        int8_t *in = ml_model_input(m, arena, m->arena_size, 0, &isz);
        const int8_t *out;
        int best = 0;
        if (!in || isz != N_IN)
            die("the model's input is not 10 int8 values", "");
        memcpy(in, &d->q[(size_t)r * N_IN], N_IN);
        if (ml_model_run(m, arena, m->arena_size) != RT_OK)
            die("ml_model_run failed", "");
        out = ml_model_output(m, arena, m->arena_size, 0, &osz);
        if (!out || osz != N_OUT)
            die("the model's output is not 4 int8 values", "");
        for (k = 1; k < N_OUT; k++)
            if (out[k] > out[best])
                best = k;
        ok += best == d->label[r];
        if (conf)
            conf[d->label[r]][best]++;
    }
    free(arena);
    return (double)ok / d->n;
}

int main(int argc, char **argv)
{
    dataset tr, va;
    net m;
    double mu[N_IN], sd[N_IN], w1r[N_HID * N_IN], b1r[N_HID], w2r[N_OUT * N_HID];
    double hmax = 0.0, lmin = 0.0, lmax = 0.0, acc_tr, acc_va, acc_tr8, acc_va8;
    float *all, in_scale, h_scale, l_scale, p_scale = 1.0f / 256.0f;
    int32_t in_zp = -128;
    int64_t zp_in = -128, h_zp = -128, l_zp, p_zp = -128;
    size_t n_all, i;
    int j, k, x, w1t, b1t, h, w2t, b2t, lg, pr;
    int32_t s_in[2] = { 1, N_IN }, s_h[2] = { 1, N_HID }, s_o[2] = { 1, N_OUT };
    ml_tflite_builder *b;
    ml_gopts o;
    uint8_t *bytes;
    size_t len;
    ml_import_error err;
    ml_graph *g;
    ml_compiled *c;
    long conf[N_OUT][N_OUT];
    FILE *rep, *lab;
    char path[4096];

    if (argc != 2 || strcmp(argv[1], "--help") == 0) {
        fputs("usage: train_bearing OUTDIR\n"
              "trains the bearing classifier on OUTDIR/train.csv (from gen_bearing), writes\n"
              "OUTDIR/bearing.tflite (int8), train_q.bin, train_labels.txt and\n"
              "train_report.txt; see examples/bearing/train_bearing.c.\n",
              argc == 2 ? stdout : stderr);
        return argc == 2 ? 0 : 2;
    }
    read_set(&tr, argv[1], "train.csv");
    read_set(&va, argv[1], "valid.csv");

    /* 1. input quantization from the training values */
    n_all = (size_t)tr.n * N_IN;
    all = xmalloc(n_all * sizeof *all);
    memcpy(all, tr.x, n_all * sizeof *all);
    qsort(all, n_all, sizeof *all, cmp_float);
    in_scale = all[(n_all * 995) / 1000] / 255.0f;
    free(all);
    if (!(in_scale > 0.0f))
        die("the training features are all zero", "");
    quantize_set(&tr, in_scale, in_zp);
    quantize_set(&va, in_scale, in_zp);

    /* 2. float training on standardized u */
    for (i = 0; i < N_IN; i++) {
        double s = 0.0, s2 = 0.0;
        int r;
        for (r = 0; r < tr.n; r++)
            s += tr.u[(size_t)r * N_IN + i];
        mu[i] = s / tr.n;
        for (r = 0; r < tr.n; r++) {
            double dd = tr.u[(size_t)r * N_IN + i] - mu[i];
            s2 += dd * dd;
        }
        sd[i] = sqrt(s2 / tr.n);
        if (sd[i] < 1e-6)
            sd[i] = 1.0;
    }
    train(&m, &tr, mu, sd);
    acc_tr = float_accuracy(&m, &tr, mu, sd, &hmax, &lmin, &lmax);
    acc_va = float_accuracy(&m, &va, mu, sd, NULL, NULL, NULL);

    /* 3. fold the standardization: layer 1 on the real input x = s * u */
    for (j = 0; j < N_HID; j++) {
        double bb = m.b1[j];
        for (i = 0; i < N_IN; i++) {
            w1r[j * N_IN + (int)i] = m.w1[j][i] / sd[i] / (double)in_scale;
            bb -= m.w1[j][i] * mu[i] / sd[i];
        }
        /* the input zero point is part of the kernel's (q - zp), so u = q - zp */
        b1r[j] = bb;
    }
    for (k = 0; k < N_OUT; k++)
        for (j = 0; j < N_HID; j++)
            w2r[k * N_HID + j] = m.w2[k][j];
    if (lmin > 0.0)
        lmin = 0.0;
    if (lmax < 0.0)
        lmax = 0.0;

    /* 4. the .tflite graph */
    b = ml_tflite_builder_new();
    if (!b)
        die("out of memory", "");
    h_scale = (float)(hmax / 255.0);
    act_quant(lmin, lmax, &l_scale, &l_zp);
    x = ml_tflite_add_tensor(b, "features", ML_TFLITE_INT8, 2, s_in, 1, &in_scale, &zp_in, 0,
                             NULL, 0);
    add_fc_consts(b, "fc1", N_HID, N_IN, w1r, b1r, in_scale, &w1t, &b1t);
    h = ml_tflite_add_tensor(b, "fc1/relu", ML_TFLITE_INT8, 2, s_h, 1, &h_scale, &h_zp, 0,
                             NULL, 0);
    add_fc_consts(b, "fc2", N_OUT, N_HID, w2r, m.b2, h_scale, &w2t, &b2t);
    lg = ml_tflite_add_tensor(b, "logits", ML_TFLITE_INT8, 2, s_o, 1, &l_scale, &l_zp, 0,
                              NULL, 0);
    pr = ml_tflite_add_tensor(b, "probabilities", ML_TFLITE_INT8, 2, s_o, 1, &p_scale, &p_zp,
                              0, NULL, 0);
    {
        int32_t i1[3] = { x, w1t, b1t }, o1[1] = { h };
        int32_t i2[3] = { h, w2t, b2t }, o2[1] = { lg };
        int32_t i3[1] = { lg }, o3[1] = { pr };
        ml_gopts_default(&o);
        o.activation = ML_ACT_RELU;
        ml_tflite_add_op(b, ML_TFLITE_FULLY_CONNECTED, 4, NULL, &o, 3, i1, 1, o1);
        ml_gopts_default(&o);
        ml_tflite_add_op(b, ML_TFLITE_FULLY_CONNECTED, 4, NULL, &o, 3, i2, 1, o2);
        ml_gopts_default(&o);
        o.beta = 1.0f;
        ml_tflite_add_op(b, ML_TFLITE_SOFTMAX, 2, NULL, &o, 1, i3, 1, o3);
        ml_tflite_set_io(b, 1, i1, 1, o3);
    }
    if (!ml_tflite_write(b, 1, &bytes, &len))
        die("out of memory", "");
    ml_tflite_builder_free(b);
    write_file(argv[1], "bearing.tflite", bytes, len);

    /* 5. read it back and run it with the int8 kernels */
    g = ml_graph_read(bytes, len, &err);
    c = g ? ml_graph_compile(g, &err) : NULL;
    if (!c)
        die("the written model does not import: ", err.msg);
    memset(conf, 0, sizeof conf);
    acc_tr8 = int8_accuracy(c, &tr, conf);
    acc_va8 = int8_accuracy(c, &va, NULL);

    write_file(argv[1], "train_q.bin", tr.q, (size_t)tr.n * N_IN);
    path_in(path, sizeof path, argv[1], "train_labels.txt");
    lab = fopen(path, "w");
    if (!lab)
        die("cannot write ", path);
    for (j = 0; j < tr.n; j++)
        fprintf(lab, "%d\n", tr.label[j]);
    if (fclose(lab) != 0)
        die("cannot write ", path);

    path_in(path, sizeof path, argv[1], "train_report.txt");
    rep = fopen(path, "w");
    if (!rep)
        die("cannot write ", path);
    fprintf(rep, "bearing classifier: %d -> %d ReLU -> %d softmax, %d epochs\n", N_IN, N_HID,
            N_OUT, EPOCHS);
    fprintf(rep, "input  scale %.9g zero point %d (saturates above %.4g)\n", (double)in_scale,
            in_zp, (double)in_scale * 255.0);
    fprintf(rep, "hidden scale %.9g zero point %d; logits scale %.9g zero point %d\n",
            (double)h_scale, (int)h_zp, (double)l_scale, (int)l_zp);
    fprintf(rep, "model  %zu bytes, %ld MACs, arena %u bytes\n", len, c->macs,
            (unsigned)c->model.arena_size);
    fprintf(rep, "train vectors %d, validation vectors %d\n", tr.n, va.n);
    fprintf(rep, "accuracy float train %.4f\n", acc_tr);
    fprintf(rep, "accuracy int8  train %.4f\n", acc_tr8);
    fprintf(rep, "accuracy float valid %.4f\n", acc_va);
    fprintf(rep, "accuracy int8  valid %.4f\n", acc_va8);
    fprintf(rep, "int8 confusion on train (rows: true, columns: predicted)\n");
    for (j = 0; j < N_OUT; j++) {
        fprintf(rep, "  %-7s", class_names[j]);
        for (k = 0; k < N_OUT; k++)
            fprintf(rep, " %5ld", conf[j][k]);
        fputc('\n', rep);
    }
    if (fclose(rep) != 0)
        die("cannot write ", path);
    fprintf(stderr, "train_bearing: accuracy float %.4f / int8 %.4f (train), "
            "float %.4f / int8 %.4f (validation)\n", acc_tr, acc_tr8, acc_va, acc_va8);
    ml_compiled_free(c);
    ml_graph_free(g);
    free(bytes);
    free_set(&tr);
    free_set(&va);
    return 0;
}
