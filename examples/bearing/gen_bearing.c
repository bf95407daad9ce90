/*
** gen_bearing.c — synthetic vibration of a rolling-element bearing in four
** conditions, and the features the rule engine computes from it.
**
** The bearing example (examples/bearing/) needs a classifier that was never
** fetched from anywhere: this tool makes its data, train_bearing.c trains it.
** A bearing in one of four conditions — the classes of bearing.cep's model,
** in its order:
**
**   normal   shaft harmonics (25 Hz and 50 Hz) and broadband noise
**   inner    an inner-race defect: impacts at BPFI = 5.415 x shaft, ringing a
**            520 Hz mode, amplitude-modulated by the shaft rotation (the
**            defect passes through the load zone once per turn)
**   outer    an outer-race defect: impacts at BPFO = 3.585 x shaft, ringing a
**            780 Hz mode, steady (the defect sits in the load zone)
**   ball     a rolling-element defect: impacts at 2 x BSF = 4.714 x shaft,
**            ringing a 330 Hz mode, modulated by the cage (FTF = 0.398 x shaft)
**
** (the same physics as examples/pump/gen_trace.c's outer-race fault; the
** three defects excite different structural modes here because their
** impacts travel different paths — race, rolling elements, cage —, which is
** what makes them separable by band energies).  Impacts have 1 % timing
** jitter (slip) and 10 % amplitude jitter.  Accelerations are in m/s^2,
** written with 4 decimals, and every sample is read back from that text
** exactly as the simulator reads a trace (strtod, then float), so the
** features below are the features a replay of the trace computes.
**
** Features are computed by the rule engine itself: the rule file (normally
** examples/bearing/bearing.cep) is compiled with cep_compile_file() without
** its model file, the samples are pushed with cep_push_f32(), and after each
** window result the model's input slots — the refs of model 0, in the order
** the `input [...]` list gives — are read with cep_slot_get().  So training
** vectors equal run-time model inputs bit for bit.  `--builder` instead
** builds the same window and features with cep/compile/builder.h, an
** independent mirror of bearing.cep; the suite checks that both give the
** same bytes.  The make fragment uses the rule file.
**
** Outputs in OUTDIR:
**   train.csv   label,<the model's input names>: one row per window result,
**               4 conditions x 12 segments x 10 s, random severity (impacts
**               of 1 to 4 m/s^2) and speed (+-6 %) per segment (engine
**               reset between segments)
**   valid.csv   the same from 4 x 4 other segments (another seed): held out
**   vib.csv     t_s,vib,label,condition — the test trace, 230 s:
**                 0-40 normal, 40-80 outer, 80-110 normal, 110-140 inner,
**                 140-170 normal, 170-200 ball, 200-230 normal
**               (label = 1 while faulty; condition = class index; faults
**               with impacts of 2 m/s^2, shaft at exactly 25 Hz)
**   temp.csv    t_s,temp,label — bearing temperature at 1 Hz: 60 degC, rising
**               linearly to 92 between 50 s and 70 s (85.6 at 66 s, the first
**               sample above 85), holding to 80 s, back to 60 at 100 s
**
** Deterministic: fixed-seed xorshift64*, Irwin-Hall noise, sin/exp of the
** sample time, fixed-precision output: same arguments, same bytes.
**
** usage: gen_bearing [--builder] RULES.cep OUTDIR
*/
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cep/cep.h"
#include "cep/compile/builder.h"
#include "cep/compile/lower.h"
#include "dsl/dsl.h"

#define FS        2000      /* samples per second, as bearing.cep declares */
#define SHAFT_HZ  25.0      /* 1500 rpm */
#define N_CLASSES 4
#define MAX_FEAT  64        /* model inputs this tool can record */
#define WIN       512       /* bearing.cep's window (--builder mirror) */
#define HOP       256

static const double PI = 3.14159265358979323846;

/* One condition: the impact train of its defect (ratio 0: none). */
typedef struct condition {
    const char *name;
    double ratio;       /* impact rate / shaft frequency */
    double ring_hz;     /* mode the impacts excite */
    double decay;       /* 1/s, envelope decay of one ring */
    int modulation;     /* 0 none, 1 shaft (inner race), 2 cage (ball) */
} condition;

static const condition conditions[N_CLASSES] = {
    { "normal", 0.0, 0.0, 0.0, 0 },
    { "inner", 5.415, 520.0, 900.0, 1 },
    { "outer", 3.585, 780.0, 700.0, 0 },
    { "ball", 4.714, 330.0, 500.0, 2 },
};

static uint64_t rng_state;

/* xorshift64*: uniform in [0, 1). */
static double uniform(void)
{
    uint64_t x = rng_state;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    rng_state = x;
    return (double)((x * 0x2545f4914f6cdd1dull) >> 11) / 9007199254740992.0;
}

/* Approximately standard normal: the Irwin-Hall sum of 12 uniforms. */
static double gauss(void)
{
    double s = 0.0;
    int i;
    for (i = 0; i < 12; i++)
        s += uniform();
    return s - 6.0;
}

/* The vibration source: one condition at one severity and speed. */
#define RING_KEEP 8
typedef struct source {
    int cond;
    double amp;             /* impact amplitude, m/s^2 */
    double shaft_hz;
    double phase;           /* shaft angle, rad */
    double t;               /* s since the source started */
    double next_impact;     /* s */
    double ring_t[RING_KEEP], ring_a[RING_KEEP];
    int ring_head;
} source;

static void source_set(source *s, int cond, double amp, double speed)
{
    int i;
    s->cond = cond;
    s->amp = amp;
    s->shaft_hz = SHAFT_HZ * speed;
    s->next_impact = s->t + 0.5 * uniform() / (s->shaft_hz * 5.0);
    for (i = 0; i < RING_KEEP; i++)
        s->ring_a[i] = 0.0;
}

/* The next sample, m/s^2. */
static double source_next(source *s)
{
    const condition *c = &conditions[s->cond];
    double x = 0.4 * sin(s->phase) + 0.15 * sin(2.0 * s->phase + 0.7) + 0.2 * gauss();
    int i;
    if (c->ratio > 0.0) {
        while (s->next_impact <= s->t) {
            double m = 1.0;
            if (c->modulation == 1)
                m = 0.55 + 0.45 * cos(s->phase);
            else if (c->modulation == 2)
                m = 0.55 + 0.45 * cos(0.398 * s->phase);
            s->ring_t[s->ring_head] = s->next_impact;
            s->ring_a[s->ring_head] = s->amp * m * (0.9 + 0.2 * uniform());
            s->ring_head = (s->ring_head + 1) % RING_KEEP;
            s->next_impact += (1.0 + 0.02 * (uniform() - 0.5)) / (c->ratio * s->shaft_hz);
        }
        for (i = 0; i < RING_KEEP; i++) {
            double since = s->t - s->ring_t[i];
            if (s->ring_a[i] != 0.0 && since >= 0.0 && since < 12.0 / c->decay)
                x += s->ring_a[i] * exp(-since * c->decay) * sin(2.0 * PI * c->ring_hz * since);
        }
    }
    s->t += 1.0 / FS;
    s->phase = fmod(s->phase + 2.0 * PI * s->shaft_hz / FS, 2.0 * PI * 1000.0);
    return x;
}

/* The value as the trace holds it and the simulator reads it back. */
static float as_read(double x, char *text, size_t cap)
{
    snprintf(text, cap, "%.4f", x);
    return (float)strtod(text, NULL);
}

/* ------------------------------------------------------------ the engine */

/* A program computing the model's inputs, and where to find them. */
typedef struct features {
    cep_builder *b;                 /* --builder */
    struct cep_compiled *compiled;  /* rule file */
    cep_program prog;
    const cep_program *p;
    uint16_t vib;                   /* input index */
    uint16_t n;                     /* model inputs */
    unsigned win, hop;              /* their count window: size, hop */
    uint16_t slot[MAX_FEAT];
    char names[MAX_FEAT][32];
    void *storage;
    cep_ctx *ctx;
} features;

static void die(const char *msg, const char *what)
{
    fprintf(stderr, "gen_bearing: %s%s\n", msg, what);
    exit(1);
}

/* The mirror of bearing.cep's windows and features (--builder). */
static void features_from_builder(features *f)
{
    static const char *const band_names[8] = { "bands[0]", "bands[1]", "bands[2]", "bands[3]",
                                               "bands[4]", "bands[5]", "bands[6]", "bands[7]" };
    cep_builder *b = cep_b_new();
    uint16_t w, rms, kurt, bands;
    unsigned i;
    if (!b)
        die("out of memory", "");
    f->vib = cep_b_input(b, "vib", CEP_IN_F32, 1, 1.0f, 1000000u / FS);
    w = cep_b_window_count(b, f->vib, 0, WIN, HOP);
    rms = cep_b_feature(b, CEP_F_RMS, w, 0.0f);
    kurt = cep_b_feature(b, CEP_F_KURTOSIS, w, 0.0f);
    bands = cep_b_bands(b, w, 8);
    f->slot[0] = cep_b_feature_slot(b, rms, 0);
    f->slot[1] = cep_b_feature_slot(b, kurt, 0);
    strcpy(f->names[0], "vrms");
    strcpy(f->names[1], "kurt");
    for (i = 0; i < 8; i++) {
        f->slot[2 + i] = cep_b_feature_slot(b, bands, i);
        strcpy(f->names[2 + i], band_names[i]);
    }
    f->n = 10;
    f->win = WIN;
    f->hop = HOP;
    if (!cep_b_finish(b, &f->prog))
        die("builder: ", cep_b_error(b));
    f->b = b;
    f->p = &f->prog;
}

/* The features of the rule file itself: model 0's input slots. */
static void features_from_rules(features *f, const char *rules)
{
    struct dsl_diag *d = dsl_diag_new();
    struct cep_lower_options opt;
    const cep_model_desc *m;
    uint16_t i, j;
    memset(&opt, 0, sizeof opt);
    opt.no_model_files = true;      /* the model is what we are about to make */
    if (!d)
        die("out of memory", "");
    f->compiled = cep_compile_file(rules, &opt, d);
    dsl_diag_print(d, stderr, DSL_DIAG_TEXT);
    dsl_diag_free(d);
    if (!f->compiled)
        die("cannot compile ", rules);
    f->p = cep_compiled_program(f->compiled);
    if (f->p->n_models < 1 || f->p->models[0].kind != CEP_M_TFLITE)
        die("the first model is not a tflite model in ", rules);
    m = &f->p->models[0];
    if (m->n_in > MAX_FEAT)
        die("too many model inputs in ", rules);
    f->vib = CEP_NONE;
    for (i = 0; i < f->p->n_inputs; i++) {
        size_t len;
        const char *nm = cep_program_name(f->p, f->p->inputs[i].name, &len);
        if (len == 3 && memcmp(nm, "vib", 3) == 0)
            f->vib = i;
    }
    if (f->vib == CEP_NONE || f->p->inputs[f->vib].type != CEP_IN_F32 ||
        f->p->inputs[f->vib].dims != 1 || f->p->inputs[f->vib].period_us != 1000000u / FS)
        die("expected `input vib : f32 @ 2000 Hz` in ", rules);
    f->n = m->n_in;
    f->win = 0;
    for (i = 0; i < m->n_in; i++) {
        uint16_t s = f->p->refs[m->in_first + i];
        bool found = false;
        f->slot[i] = s;
        snprintf(f->names[i], sizeof f->names[i], "slot%u", (unsigned)s);
        /* name it after the feature that owns the slot */
        for (j = 0; j < f->p->n_features; j++) {
            const cep_feature_desc *fd = &f->p->features[j];
            const char *fn = cep_compiled_obj_name(f->compiled, CEP_OBJ_FEATURE, j);
            if (s >= fd->slot && s < fd->slot + fd->n_out) {
                const cep_window_desc *wd = &f->p->windows[fd->src];
                if (fd->kind >= CEP_F_EWMA || (wd->flags & CEP_WIN_TIME) ||
                    (f->win && (f->win != wd->cap || f->hop != wd->hop)))
                    die("the model inputs must be features of one count window in ", rules);
                f->win = wd->cap;
                f->hop = wd->hop;
                found = true;
            }
            if (fn && s >= fd->slot && s < fd->slot + fd->n_out) {
                if (fd->n_out == 1)
                    snprintf(f->names[i], sizeof f->names[i], "%s", fn);
                else
                    snprintf(f->names[i], sizeof f->names[i], "%s[%u]", fn,
                             (unsigned)(s - fd->slot));
            }
        }
        if (!found)
            die("the model inputs must be window features in ", rules);
    }
}

static void features_start(features *f)
{
    cep_callbacks cb;
    size_t size = cep_state_size(f->p);
    memset(&cb, 0, sizeof cb);
    if (f->compiled) {
        /* a program with a tflite model needs an infer callback; without
           its model file every inference fails (outputs NaN, counted),
           which does not touch the features */
        cb.infer = cep_compiled_infer;
        cb.user = f->compiled;
    }
    if (size == 0)
        die("the program is malformed", "");
    f->storage = malloc(size);
    if (!f->storage)
        die("out of memory", "");
    if (cep_init(&f->ctx, f->p, f->storage, size, &cb) != RT_OK)
        die("cep_init failed", "");
}

static void features_end(features *f)
{
    free(f->storage);
    if (f->b)
        cep_b_free(f->b);
    if (f->compiled)
        cep_compiled_free(f->compiled);
}

/* ------------------------------------------------------------ outputs */

static FILE *open_out(const char *dir, const char *name)
{
    char path[4096];
    FILE *f;
    if (snprintf(path, sizeof path, "%s/%s", dir, name) >= (int)sizeof path)
        die("output path too long: ", dir);
    f = fopen(path, "w");
    if (!f) {
        fprintf(stderr, "gen_bearing: cannot write %s: %s\n", path, strerror(errno));
        exit(2);
    }
    return f;
}

static void close_out(FILE *f, const char *name)
{
    if (ferror(f) || fclose(f) != 0) {
        fprintf(stderr, "gen_bearing: write error on %s\n", name);
        exit(2);
    }
}

/* Segments of every condition with random severity and speed; one feature
** row per window result.  The engine is reset between segments so no window
** mixes two conditions. */
static void write_set(features *f, const char *dir, const char *name, uint64_t seed,
                      int segments, int seconds)
{
    FILE *out = open_out(dir, name);
    source src;
    char text[64];
    int seg, cond;
    uint16_t i;
    long rows = 0;
    rng_state = seed;
    fputs("label", out);
    for (i = 0; i < f->n; i++)
        fprintf(out, ",%s", f->names[i]);
    fputc('\n', out);
    for (seg = 0; seg < segments; seg++) {
        for (cond = 0; cond < N_CLASSES; cond++) {
            long k, n = (long)seconds * FS;
            double amp = cond == 0 ? 0.0 : 1.0 + 3.0 * uniform();
            double speed = 0.94 + 0.12 * uniform();
            memset(&src, 0, sizeof src);
            src.phase = 2.0 * PI * uniform();
            source_set(&src, cond, amp, speed);
            cep_reset(f->ctx);
            for (k = 0; k < n; k++) {
                float v = as_read(source_next(&src), text, sizeof text);
                uint32_t t_ms = (uint32_t)(k * 1000 / FS);
                /* a count window of WIN with hop HOP has a result after
                   sample WIN, WIN + HOP, ...; the slots say so too (not NaN) */
                bool result = k + 1 >= (long)f->win && (k + 1 - (long)f->win) % (long)f->hop == 0;
                if (cep_push_f32(f->ctx, f->vib, t_ms, &v) != RT_OK)
                    die("push failed", "");
                if (!result)
                    continue;
                fprintf(out, "%d", cond);
                for (i = 0; i < f->n; i++) {
                    float x = cep_slot_get(f->ctx, f->slot[i]);
                    if (x != x)
                        die("a model input is not available at a window result", "");
                    fprintf(out, ",%.9g", (double)x);
                }
                fputc('\n', out);
                rows++;
            }
        }
    }
    close_out(out, name);
    fprintf(stderr, "gen_bearing: %s: %ld feature vectors\n", name, rows);
}

/* The test trace: conditions change over time (see the top comment). */
static void write_trace(const char *dir)
{
    static const struct { double until; int cond; double amp; } plan[] = {
        { 40.0, 0, 0.0 }, { 80.0, 2, 2.0 }, { 110.0, 0, 0.0 }, { 140.0, 1, 2.0 },
        { 170.0, 0, 0.0 }, { 200.0, 3, 2.0 }, { 230.0, 0, 0.0 },
    };
    FILE *out = open_out(dir, "vib.csv"), *ft;
    source src;
    char text[64];
    long k, n = (long)(plan[sizeof plan / sizeof plan[0] - 1].until * FS);
    size_t seg = 0;
    rng_state = 0x2545f4914f6cdd1dull;
    memset(&src, 0, sizeof src);
    source_set(&src, plan[0].cond, plan[0].amp, 1.0);
    fputs("t_s,vib,label,condition\n", out);
    for (k = 0; k < n; k++) {
        double t = (double)k / FS;
        if (t >= plan[seg].until) {
            seg++;
            source_set(&src, plan[seg].cond, plan[seg].amp, 1.0);
        }
        as_read(source_next(&src), text, sizeof text);
        fprintf(out, "%ld.%04ld,%s,%d,%d\n", k / FS, (k % FS) * (10000 / FS), text,
                plan[seg].cond != 0, plan[seg].cond);
    }
    close_out(out, "vib.csv");

    ft = open_out(dir, "temp.csv");
    fputs("t_s,temp,label\n", ft);
    for (k = 0; k < 230; k++) {
        double t = (double)k, temp = 60.0;
        int faulty = (t >= 40 && t < 80) || (t >= 110 && t < 140) || (t >= 170 && t < 200);
        if (t >= 50.0 && t < 70.0)
            temp = 60.0 + 32.0 * (t - 50.0) / 20.0;
        else if (t >= 70.0 && t < 80.0)
            temp = 92.0;
        else if (t >= 80.0 && t < 100.0)
            temp = 92.0 - 32.0 * (t - 80.0) / 20.0;
        /* +-0.1 degC: cannot move a sample across 85 (84.0 at 65 s, 85.6 at 66 s) */
        temp += 0.2 * (uniform() - 0.5);
        fprintf(ft, "%ld,%.2f,%d\n", k, temp, faulty);
    }
    close_out(ft, "temp.csv");
}

int main(int argc, char **argv)
{
    features f;
    int a = 1;
    bool builder = false;
    if (argc > 1 && strcmp(argv[1], "--help") == 0) {
        fputs("usage: gen_bearing [--builder] RULES.cep OUTDIR\n"
              "writes OUTDIR/train.csv and valid.csv (the model inputs of RULES.cep,\n"
              "computed by the rule engine over synthetic bearing vibration in four\n"
              "conditions) and the test trace OUTDIR/vib.csv + temp.csv; --builder\n"
              "computes the features with a built-in mirror of bearing.cep instead.\n"
              "See the comment at the top of examples/bearing/gen_bearing.c.\n",
              stdout);
        return 0;
    }
    if (argc > 1 && strcmp(argv[1], "--builder") == 0) {
        builder = true;
        a++;
    }
    if (argc - a != 2) {
        fputs("usage: gen_bearing [--builder] RULES.cep OUTDIR\n", stderr);
        return 2;
    }
    memset(&f, 0, sizeof f);
    if (builder)
        features_from_builder(&f);
    else
        features_from_rules(&f, argv[a]);
    features_start(&f);
    write_set(&f, argv[a + 1], "train.csv", 0x9e3779b97f4a7c15ull, 12, 10);
    write_set(&f, argv[a + 1], "valid.csv", 0xd1b54a32d192ed03ull, 4, 10);
    write_trace(argv[a + 1]);
    features_end(&f);
    return 0;
}
