/*
** lower.c — lowering of a checked module (dsl/dsl.h) to a CEP program
** (cep/program.h) through the builder and the pattern compiler
** (cep/compile/builder.h).  docs/program.md §10 is the map followed here.
**
** Order of work: inputs, windows, features, models (importing and compiling
** every .tflite file), the events that exist on their own (events without
** parameters), then each rule: first the events only it creates (instances
** of parameterised events, inline conditions, watchdogs), then the values
** its `where` and message capture at labelled events, then its automaton.
** Instances of a parameterised event are shared by every rule that names the
** same arguments.
**
** Expressions become stack code.  `not` is pushed down to the comparisons
** (`not (x > 5)` → `x <= 5`, De Morgan for and/or), so a condition over a
** value that is not available yet (NaN) stays false however it is negated —
** docs/program.md §3 explains why the engine's `not` cannot do it.
**
** Every limit of the engine that the front end does not already enforce is
** checked here and reported at the construct, Lua style:
** `too many alternatives (limit is 64) in rule 'x'`.
*/
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cep/compile/lower_int.h"
#include "dsl/ast.h"

/* ------------------------------------------------------------ helpers */

static void *xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (p == NULL) {
        fputs("tinycep: out of memory\n", stderr);
        exit(2);
    }
    return p;
}

static char *xstrdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = xcalloc(n, 1);
    memcpy(p, s, n);
    return p;
}

static char *xprintf(const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;
static char *xprintf(const char *fmt, ...)
{
    va_list ap;
    int n;
    char *p;
    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    p = xcalloc((size_t)n + 1, 1);
    va_start(ap, fmt);
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return p;
}

/* ------------------------------------------------------------ context */

/* A value captured at a labelled event for a where/message expression. */
struct lw_cap {
    const struct dsl_expr *node; /* the CAPTURE node */
    uint16_t event;              /* program event */
    uint16_t index;              /* capture index in that event */
};

/* An instance of a parameterised event. */
struct lw_inst {
    const struct dsl_decl *decl;
    double args[8];
    uint16_t event;
};

/* Per program event: its capture keys (to share equal captures). */
struct lw_evcaps {
    char **keys;
    uint16_t n;
};

struct lw {
    struct cep_compiled *c;
    cep_builder *b;
    const struct dsl_module *m;
    struct dsl_diag *diag;
    const struct cep_lower_options *opt;
    bool failed;

    uint16_t *ev_of_decl;        /* [nevents]: program event, CEP_NONE for param events */
    struct lw_inst *inst;
    size_t ninst, capinst;
    struct lw_evcaps *evcaps;    /* [program events] */
    size_t nevcaps;
    bool *fft_window;            /* [nwindows]: needs a count window (FFT) */

    /* current expression: stack depth bookkeeping */
    unsigned depth, maxdepth;
    /* current event instance: values of its parameters */
    const double *params;
    /* current rule */
    const struct dsl_decl *rule;
    uint16_t *leaf_event;        /* [nlabels]: program event of each label */
    struct lw_cap *caps;
    size_t ncaps, capcaps;
    unsigned ncond;
    /* leaves of the current rule: node → program event */
    const struct dsl_expr **leaf_node;
    uint16_t *leaf_ev;
    uint16_t *leaf_base;         /* the event the leaf names (leaf_ev differs
                                    for a clone, see lw_leaves) */
    unsigned nclone;
    size_t nleaf, capleaf;
};

static void lw_objs_add(struct lw *L, enum cep_obj kind, char *name, const struct dsl_decl *d,
                        bool anonymous)
{
    struct cep_compiled *c = L->c;
    uint32_t n = c->nobjs[kind];
    c->objs[kind] = realloc(c->objs[kind], ((size_t)n + 1) * sizeof *c->objs[kind]);
    if (c->objs[kind] == NULL) {
        fputs("tinycep: out of memory\n", stderr);
        exit(2);
    }
    c->objs[kind][n].name = name;
    c->objs[kind][n].decl = d;
    c->objs[kind][n].anonymous = anonymous;
    c->objs[kind][n].line = d ? diag_line(L->diag, d->span.start) : 0;
    c->nobjs[kind] = n + 1;
}

/* An error at span; returns the handle for notes. */
static int lw_error(struct lw *L, struct dsl_span at, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
static int lw_error(struct lw *L, struct dsl_span at, const char *fmt, ...)
{
    va_list ap;
    int h;
    L->failed = true;
    va_start(ap, fmt);
    h = diag_verror(L->diag, DSL_DIAG_ERROR, at, fmt, ap);
    va_end(ap);
    return h;
}

static void lw_warning(struct lw *L, struct dsl_span at, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
static void lw_warning(struct lw *L, struct dsl_span at, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    diag_verror(L->diag, DSL_DIAG_WARNING, at, fmt, ap);
    va_end(ap);
}

static const char *kind_word(enum dsl_decl_kind k)
{
    static const char *const w[] = { "input", "window", "feature", "model", "event", "rule" };
    return (unsigned)k < 6u ? w[k] : "declaration";
}

/* After lowering declaration d: a builder error becomes a diagnostic at d,
** with the pattern compiler's limits in the Lua wording; table counts are
** 16-bit in the program. */
static bool lw_check_builder(struct lw *L, const struct dsl_decl *d)
{
    static const char *const objs[] = { "inputs", "windows", "features", "models", "events", "rules" };
    unsigned k;
    for (k = 0; k <= CEP_OBJ_RULE; k++)
        if (L->c->nobjs[k] > 0xfffeu) {
            lw_error(L, d->span, "too many %s (limit is 65534) at %s '%s'", objs[k], kind_word(d->kind),
                     d->name);
            return false;
        }
    const char *e = cep_b_error(L->b);
    unsigned n = 0, m = 0;
    const char *what = kind_word(d->kind);
    if (e[0] == '\0')
        return true;
    if (sscanf(e, "pattern has more than %u alternatives", &n) == 1)
        lw_error(L, d->span, "too many alternatives (limit is %u) in %s '%s'", n, what, d->name);
    else if (sscanf(e, "pattern longer than %u steps", &n) == 1)
        lw_error(L, d->span, "too many steps (limit is %u) in %s '%s'", n, what, d->name);
    else if (sscanf(e, "more than %u time anchors", &n) == 1)
        lw_error(L, d->span, "too many time anchors (limit is %u) in %s '%s'", n, what, d->name);
    else if (strstr(e, "nested 'within'") != NULL)
        lw_error(L, d->span, "too many nested 'within' on one event (limit is 2) in %s '%s'", what,
                 d->name);
    else if (sscanf(e, "repetition {%u,%u}", &n, &m) == 2)
        lw_error(L, d->span, "too many repetitions {%u,%u} (limit is 32 steps) in %s '%s'", n, m,
                 what, d->name);
    else if (strstr(e, "code too large") != NULL)
        lw_error(L, d->span, "too much expression code (limit is 65535 instructions) at %s '%s'", what,
                 d->name);
    else if (strstr(e, "too many value slots") != NULL)
        lw_error(L, d->span, "too many values (limit is 65520 value slots) at %s '%s'", what, d->name);
    else
        lw_error(L, d->span, "%s '%s' cannot be lowered: %s", what, d->name, e);
    return false;
}

/* ------------------------------------------------------------ expressions */

static void emit(struct lw *L, cep_opcode op, uint8_t a, uint16_t x)
{
    unsigned pops = 0, pushes = 1;
    switch (op) {
#define X_(name, p, q) case name: pops = p; pushes = q; break;
        CEP_OPCODE_LIST(X_)
#undef X_
    default:
        break;
    }
    cep_b_op(L->b, op, a, x);
    L->depth = L->depth - pops + pushes;
    if (L->depth > L->maxdepth)
        L->maxdepth = L->depth;
}

static void emit_const(struct lw *L, double v)
{
    cep_b_const(L->b, (float)v);
    L->depth++;
    if (L->depth > L->maxdepth)
        L->maxdepth = L->depth;
}

static cep_opcode cmp_op(enum dsl_op op, bool neg)
{
    switch (op) {
    case DSL_OP_LT: return neg ? CEP_OP_GE : CEP_OP_LT;
    case DSL_OP_LE: return neg ? CEP_OP_GT : CEP_OP_LE;
    case DSL_OP_GT: return neg ? CEP_OP_LE : CEP_OP_GT;
    case DSL_OP_GE: return neg ? CEP_OP_LT : CEP_OP_GE;
    case DSL_OP_EQ: return neg ? CEP_OP_NE : CEP_OP_EQ;
    case DSL_OP_NE: return neg ? CEP_OP_EQ : CEP_OP_NE;
    default: return CEP_OP_COUNT_;
    }
}

/* Value slot of a model output. */
static uint16_t model_out_slot(struct lw *L, const struct dsl_expr *e)
{
    const struct dsl_model *md = &e->decl->u.model;
    uint16_t mi = (uint16_t)e->decl->index;
    unsigned which = 0;
    if (md->kind == DSL_MODEL_TFLITE) {
        switch (e->out) {
        case DSL_MOUT_CLASS: which = CEP_MS_CLASS; break;
        case DSL_MOUT_SCORE:
            which = md->outputs == DSL_MOUTS_RECONSTRUCTION ? CEP_MS_ERROR : CEP_MS_TSCORE;
            break;
        case DSL_MOUT_PROB: which = CEP_MS_VEC + (unsigned)e->ival; break;
        case DSL_MOUT_VALUE: which = CEP_MS_VEC + (unsigned)(e->ival < 0 ? 0 : e->ival); break;
        default: which = CEP_MS_CLASS; break;
        }
    } else {
        switch (e->out) {
        case DSL_MOUT_READY: which = CEP_MS_LEARNING; break;
        case DSL_MOUT_VALUE: which = CEP_MS_VEC + (unsigned)(e->ival < 0 ? 0 : e->ival); break;
        default: which = CEP_MS_SCORE; break;
        }
    }
    return cep_b_model_slot(L->b, mi, which);
}

static const struct lw_cap *cap_find(const struct lw *L, const struct dsl_expr *node)
{
    size_t i;
    for (i = 0; i < L->ncaps; i++)
        if (L->caps[i].node == node)
            return &L->caps[i];
    return NULL;
}

/* Emits e; neg: emit `not e` with the negation pushed to the leaves. */
static void lw_emit(struct lw *L, const struct dsl_expr *e, bool neg)
{
    cep_opcode op;
    switch (e->kind) {
    case DSL_EXPR_NUMBER:
        emit_const(L, e->num);
        break;
    case DSL_EXPR_BOOL:
        emit_const(L, neg ? !e->ival : (e->ival != 0));
        return;
    case DSL_EXPR_CLASS:
        emit_const(L, e->ival);
        break;
    case DSL_EXPR_INPUT: {
        unsigned comp = e->ival < 0 ? 0u : (unsigned)e->ival;
        emit(L, CEP_OP_LOAD, 0, cep_b_input_slot(L->b, (uint16_t)e->decl->index, comp));
        break;
    }
    case DSL_EXPR_FEATURE:
        emit(L, CEP_OP_LOAD, 0, cep_b_feature_slot(L->b, (uint16_t)e->decl->index, 0));
        break;
    case DSL_EXPR_INDEX:
        if (e->a != NULL && e->a->kind == DSL_EXPR_FEATURE) {
            emit(L, CEP_OP_LOAD, 0,
                 cep_b_feature_slot(L->b, (uint16_t)e->a->decl->index, (unsigned)e->ival));
        } else {
            lw_error(L, e->span, "this index expression cannot be lowered");
            emit_const(L, 0);
        }
        break;
    case DSL_EXPR_MODEL_OUT:
        emit(L, CEP_OP_LOAD, 0, model_out_slot(L, e));
        if (e->out == DSL_MOUT_READY) {
            /* ready = learning is 0; NaN (no vector yet) is not ready */
            emit_const(L, 0);
            emit(L, neg ? CEP_OP_NE : CEP_OP_EQ, 0, 0);
            return;
        }
        break;
    case DSL_EXPR_PARAM:
        if (L->params != NULL && e->ival >= 0 && e->ival < 8)
            emit_const(L, L->params[e->ival]);
        else
            emit(L, CEP_OP_PARAM, 0, 0);
        break;
    case DSL_EXPR_CAPTURE: {
        const struct lw_cap *k = cap_find(L, e);
        if (k == NULL) {
            lw_error(L, e->span, "captured value cannot be lowered here");
            emit_const(L, 0);
        } else {
            emit(L, CEP_OP_CAP, (uint8_t)k->index, k->event);
        }
        break;
    }
    case DSL_EXPR_UNARY:
        if (e->op == DSL_OP_NOT) {
            lw_emit(L, e->a, !neg);
            return;
        }
        lw_emit(L, e->a, false);
        emit(L, CEP_OP_NEG, 0, 0);
        break;
    case DSL_EXPR_BINARY:
        if (e->op == DSL_OP_AND || e->op == DSL_OP_OR) {
            bool is_and = (e->op == DSL_OP_AND) != neg;
            lw_emit(L, e->a, neg);
            lw_emit(L, e->b, neg);
            emit(L, is_and ? CEP_OP_AND : CEP_OP_OR, 0, 0);
            return;
        }
        op = cmp_op(e->op, neg);
        lw_emit(L, e->a, false);
        lw_emit(L, e->b, false);
        if (op != CEP_OP_COUNT_) {
            emit(L, op, 0, 0);
            return;
        }
        switch (e->op) {
        case DSL_OP_ADD: emit(L, CEP_OP_ADD, 0, 0); break;
        case DSL_OP_SUB: emit(L, CEP_OP_SUB, 0, 0); break;
        case DSL_OP_MUL: emit(L, CEP_OP_MUL, 0, 0); break;
        case DSL_OP_DIV: emit(L, CEP_OP_DIV, 0, 0); break;
        default:
            lw_error(L, e->span, "operator '%s' cannot be lowered here", dsl_op_name(e->op));
            break;
        }
        break;
    default:
        lw_error(L, e->span, "a %s expression cannot be lowered here", dsl_expr_kind_name(e->kind));
        emit_const(L, 0);
        break;
    }
    if (neg) {
        /* a bool leaf: `not x` is x == 0, false while x is not available */
        emit_const(L, 0);
        emit(L, CEP_OP_EQ, 0, 0);
    }
}

/* One whole expression; CEP_NONE (and a diagnostic at e) on error. */
static uint16_t lw_expr(struct lw *L, const struct dsl_expr *e, bool neg, const char *what)
{
    uint16_t x;
    L->depth = L->maxdepth = 0;
    cep_b_expr_begin(L->b);
    lw_emit(L, e, neg);
    x = cep_b_expr_end(L->b);
    if (L->maxdepth > CEP_MAX_STACK) {
        lw_error(L, e->span, "expression too complex (limit is %u stack entries) in %s", CEP_MAX_STACK,
                 what);
        return CEP_NONE;
    }
    return x;
}

/* ------------------------------------------------------------ inputs .. features */

static cep_input_type input_type(enum dsl_elem el)
{
    switch (el) {
    case DSL_ELEM_I8: return CEP_IN_I8;
    case DSL_ELEM_I16: return CEP_IN_I16;
    case DSL_ELEM_I32: return CEP_IN_I32;
    case DSL_ELEM_F32: return CEP_IN_F32;
    default: return CEP_IN_BOOL;
    }
}

static void lw_inputs(struct lw *L)
{
    uint32_t i;
    for (i = 0; i < L->m->ninputs && !L->failed; i++) {
        const struct dsl_decl *d = L->m->inputs[i];
        const struct dsl_input *in = &d->u.input;
        uint32_t period_us = 0;
        if (i >= CEP_MAX_INPUTS) {
            lw_error(L, d->span, "too many inputs (limit is %u) at input '%s'", CEP_MAX_INPUTS, d->name);
            return;
        }
        if (in->len > CEP_MAX_DIMS) {
            lw_error(L, in->type_span, "too many components (limit is %u) in input '%s'", CEP_MAX_DIMS,
                     d->name);
            return;
        }
        if (in->rate_hz > 0) {
            double p = floor(1e6 / in->rate_hz + 0.5);
            period_us = p < 1 ? 1u : p > 4e9 ? 4000000000u : (uint32_t)p;
        }
        cep_b_input(L->b, d->name, input_type(in->elem), in->len,
                    in->elem == DSL_ELEM_F32 || in->elem == DSL_ELEM_BOOL ? 1.0f : (float)in->scale,
                    period_us);
        lw_objs_add(L, CEP_OBJ_INPUT, xstrdup(d->name), d, false);
        lw_check_builder(L, d);
    }
}

static void lw_windows(struct lw *L)
{
    uint32_t i, f;
    for (f = 0; f < L->m->nfeatures; f++) {
        const struct dsl_feature *ft = &L->m->features[f]->u.feature;
        if ((ft->func == DSL_FUNC_BAND_ENERGY || ft->func == DSL_FUNC_DOMINANT_FREQ) && ft->window)
            L->fft_window[ft->window->index] = true;
    }
    for (i = 0; i < L->m->nwindows && !L->failed; i++) {
        const struct dsl_decl *d = L->m->windows[i];
        const struct dsl_window *w = &d->u.window;
        uint16_t in = (uint16_t)w->input->index;
        unsigned comp = w->component < 0 ? 0u : (unsigned)w->component;
        double rate = w->input->u.input.rate_hz;
        if (w->capacity > 0xffffu) {
            lw_error(L, w->spec.span, "window too large (limit is 65535 samples) in window '%s'", d->name);
            return;
        }
        if (!w->by_time || L->fft_window[i]) {
            /* a count window; FFT features need one even when the size
            ** was written as a duration (its capacity is then a power of
            ** two and the rate fixed) */
            unsigned hop = w->kind == DSL_WIN_TUMBLING ? w->capacity : (w->hop ? w->hop : 1u);
            cep_b_window_count(L->b, in, comp, w->capacity, hop > w->capacity ? w->capacity : hop);
        } else {
            uint32_t hop_ms = w->hop_ms;
            if (w->kind == DSL_WIN_TUMBLING && hop_ms == 0)
                hop_ms = w->size_ms;
            else if (hop_ms == 0 && w->hop > 1 && rate > 0)
                hop_ms = (uint32_t)floor((double)w->hop * 1000.0 / rate + 0.5);
            cep_b_window_time(L->b, in, comp, w->size_ms, hop_ms, w->capacity);
        }
        lw_objs_add(L, CEP_OBJ_WINDOW, xstrdup(d->name), d, false);
        lw_check_builder(L, d);
    }
}

static const cep_feature_kind feature_kind[DSL_FUNC_COUNT_] = {
    [DSL_FUNC_MEAN] = CEP_F_MEAN,         [DSL_FUNC_RMS] = CEP_F_RMS,
    [DSL_FUNC_STD] = CEP_F_STD,           [DSL_FUNC_MIN] = CEP_F_MIN,
    [DSL_FUNC_MAX] = CEP_F_MAX,           [DSL_FUNC_P2P] = CEP_F_P2P,
    [DSL_FUNC_KURTOSIS] = CEP_F_KURTOSIS, [DSL_FUNC_SKEWNESS] = CEP_F_SKEWNESS,
    [DSL_FUNC_CREST] = CEP_F_CREST,       [DSL_FUNC_ZERO_CROSSINGS] = CEP_F_ZCROSS,
    [DSL_FUNC_SLOPE] = CEP_F_SLOPE,       [DSL_FUNC_BAND_ENERGY] = CEP_F_BANDS,
    [DSL_FUNC_DOMINANT_FREQ] = CEP_F_DOMFREQ, [DSL_FUNC_EWMA] = CEP_F_EWMA,
    [DSL_FUNC_DELTA] = CEP_F_DELTA,       [DSL_FUNC_RATE] = CEP_F_RATE,
};

static void lw_features(struct lw *L)
{
    uint32_t i;
    for (i = 0; i < L->m->nfeatures && !L->failed; i++) {
        const struct dsl_decl *d = L->m->features[i];
        const struct dsl_feature *ft = &d->u.feature;
        cep_feature_kind k = feature_kind[ft->func];
        if (ft->window != NULL) {
            const struct dsl_window *w = &ft->window->u.window;
            uint16_t wi = (uint16_t)ft->window->index;
            double rate = w->input->u.input.rate_hz;
            bool count = !w->by_time || L->fft_window[wi];
            if ((k == CEP_F_BANDS || k == CEP_F_DOMFREQ) && w->capacity > CEP_MAX_FFT) {
                lw_error(L, ft->call ? ft->call->span : d->span,
                         "FFT too large (limit is %u samples) in feature '%s'", CEP_MAX_FFT, d->name);
                return;
            }
            if (k == CEP_F_BANDS)
                cep_b_bands(L->b, wi, (unsigned)ft->arg);
            else if (k == CEP_F_SLOPE)
                cep_b_feature(L->b, k, wi, count && rate > 0 ? (float)(1.0 / rate) : 0.0f);
            else if (k == CEP_F_DOMFREQ)
                cep_b_feature(L->b, k, wi, (float)(rate / (double)w->capacity));
            else
                cep_b_feature(L->b, k, wi, 0.0f);
        } else if (ft->source != NULL && ft->source->kind == DSL_DECL_INPUT) {
            cep_b_stream(L->b, k, (uint16_t)ft->source->index,
                         ft->component < 0 ? 0u : (unsigned)ft->component,
                         k == CEP_F_EWMA ? (float)ft->arg : 0.0f);
        } else if (ft->source != NULL && ft->source->kind == DSL_DECL_FEATURE) {
            /* a stream over an earlier scalar feature: updated in the same
            ** step as its source */
            cep_b_stream_feature(L->b, k, (uint16_t)ft->source->index,
                                 k == CEP_F_EWMA ? (float)ft->arg : 0.0f);
        } else {
            lw_error(L, ft->call ? ft->call->span : d->span, "feature '%s' has no source", d->name);
            return;
        }
        lw_objs_add(L, CEP_OBJ_FEATURE, xstrdup(d->name), d, false);
        lw_check_builder(L, d);
    }
}

/* ------------------------------------------------------------ models */

/* Imports and compiles the .tflite file of model d; fills quantization. */
static bool lw_import(struct lw *L, const struct dsl_decl *d, uint16_t ext, float *in_scale,
                      int32_t *in_zp, float *out_scale, int32_t *out_zp, unsigned n_out)
{
    struct cep_compiled *c = L->c;
    const struct dsl_model *md = &d->u.model;
    ml_import_error err;
    ml_graph *g;
    ml_compiled *mc;
    const ml_model *mm;
    const ml_model_tensor *ti, *to;
    char *path;
    int h;

    memset(&err, 0, sizeof err);
    if (L->opt->base_dir != NULL && md->path[0] != '/')
        path = xprintf("%s/%s", L->opt->base_dir, md->path);
    else
        path = xstrdup(md->file ? md->file : md->path);
    g = ml_graph_load(path, &err);
    mc = g ? ml_graph_compile(g, &err) : NULL;
    if (mc == NULL) {
        h = lw_error(L, md->path_span, "model '%s': %s", d->name, err.msg);
        if (err.offset >= 0)
            diag_note(L->diag, h, md->path_span, "at byte %ld of '%s'", err.offset, path);
        free(path);
        ml_graph_free(g);
        return false;
    }
    c->graphs[ext] = g;
    c->mc[ext] = mc;
    mm = &mc->model;
    if (mm->n_inputs != 1 || mm->n_outputs != 1) {
        lw_error(L, md->path_span, "model '%s' has %u inputs and %u outputs; rules use models with one of each",
                 d->name, (unsigned)mm->n_inputs, (unsigned)mm->n_outputs);
        free(path);
        return false;
    }
    if (mm->inputs[0].scale == 0.0f || mm->outputs[0].scale == 0.0f) {
        lw_error(L, md->path_span, "model '%s' has a float32 %s; rules need int8 model edges "
                 "(quantize the model fully)", d->name, mm->inputs[0].scale == 0.0f ? "input" : "output");
        free(path);
        return false;
    }
    ti = &mm->tensors[mm->inputs[0].tensor];
    to = &mm->tensors[mm->outputs[0].tensor];
    if (ti->size != md->input_size) {
        h = lw_error(L, d->span, "model '%s' takes %u values but its input list gives %u", d->name,
                     (unsigned)ti->size, (unsigned)md->input_size);
        diag_note(L->diag, h, md->path_span, "input tensor of '%s'", path);
        free(path);
        return false;
    }
    if (to->size != n_out) {
        h = lw_error(L, md->outputs_span.end > md->outputs_span.start ? md->outputs_span : d->span,
                     "model '%s' gives %u outputs but %u are declared", d->name, (unsigned)to->size,
                     n_out);
        diag_note(L->diag, h, md->path_span, "output tensor of '%s'", path);
        free(path);
        return false;
    }
    free(path);
    *in_scale = mm->inputs[0].scale;
    *in_zp = mm->inputs[0].zero_point;
    *out_scale = mm->outputs[0].scale;
    *out_zp = mm->outputs[0].zero_point;
    c->arena_sizes[ext] = mm->arena_size;
    /* uint32 storage keeps the arena 4-byte aligned (ML_MODEL_ARENA_ALIGN) */
    c->arenas[ext] = xcalloc(((size_t)mm->arena_size + 3) / 4 + 1, 4);
    c->models[ext] = mm;
    return true;
}

static void lw_models(struct lw *L)
{
    struct cep_compiled *c = L->c;
    uint32_t i, j, n_tfl = 0;
    for (i = 0; i < L->m->nmodels; i++)
        n_tfl += L->m->models[i]->u.model.kind == DSL_MODEL_TFLITE;
    c->graphs = xcalloc(n_tfl, sizeof *c->graphs);
    c->mc = xcalloc(n_tfl, sizeof *c->mc);
    c->tfl_names = xcalloc(n_tfl, sizeof *c->tfl_names);
    c->tfl_decls = xcalloc(n_tfl, sizeof *c->tfl_decls);
    c->arenas = xcalloc(n_tfl, sizeof *c->arenas);
    c->arena_sizes = xcalloc(n_tfl, sizeof *c->arena_sizes);
    c->models = xcalloc(n_tfl, sizeof *c->models);
    c->class_first = xcalloc(L->m->nmodels, sizeof *c->class_first);
    c->class_count = xcalloc(L->m->nmodels, sizeof *c->class_count);
    c->n_tfl = (uint16_t)n_tfl;

    for (i = 0; i < L->m->nmodels && !L->failed; i++) {
        const struct dsl_decl *d = L->m->models[i];
        const struct dsl_model *md = &d->u.model;
        uint16_t *slots;
        unsigned n = 0;
        if (md->input_size > CEP_MAX_MODEL_IO) {
            lw_error(L, d->span, "too many model inputs (limit is %u) in model '%s'", CEP_MAX_MODEL_IO,
                     d->name);
            return;
        }
        slots = xcalloc(md->input_size + 1, sizeof *slots);
        for (j = 0; j < md->ninputs; j++) {
            const struct dsl_binding *bd = &md->inputs[j];
            uint32_t k;
            for (k = 0; k < bd->len && n < md->input_size; k++)
                slots[n++] = bd->decl->kind == DSL_DECL_INPUT
                                 ? cep_b_input_slot(L->b, (uint16_t)bd->decl->index, k)
                                 : cep_b_feature_slot(L->b, (uint16_t)bd->decl->index, k);
        }
        if (md->kind == DSL_MODEL_ANOMALY) {
            if (n > CEP_MAX_ANOMALY_DIM) {
                lw_error(L, d->span, "too many features (limit is %u) in anomaly model '%s'",
                         CEP_MAX_ANOMALY_DIM, d->name);
                free(slots);
                return;
            }
            cep_b_anomaly(L->b, slots, n, md->learn_ms, 1e-3f);
        } else {
            uint16_t ext = 0;
            unsigned n_out = md->outputs == DSL_MOUTS_CLASSES ? md->nclasses
                             : md->outputs == DSL_MOUTS_VALUES ? md->nvalues
                                                               : md->input_size;
            float in_scale = 1.0f, out_scale = 1.0f;
            int32_t in_zp = 0, out_zp = 0;
            for (j = 0; j < i; j++)
                ext = (uint16_t)(ext + (L->m->models[j]->u.model.kind == DSL_MODEL_TFLITE));
            c->tfl_names[ext] = d->name;
            c->tfl_decls[ext] = d;
            if (n_out > CEP_MAX_MODEL_IO) {
                lw_error(L, d->span, "too many model outputs (limit is %u) in model '%s'",
                         CEP_MAX_MODEL_IO, d->name);
                free(slots);
                return;
            }
            if (!L->opt->no_model_files &&
                !lw_import(L, d, ext, &in_scale, &in_zp, &out_scale, &out_zp, n_out)) {
                free(slots);
                return;
            }
            cep_b_tflite(L->b, ext, slots, n, n_out, in_scale, in_zp, out_scale, out_zp);
            if (md->outputs == DSL_MOUTS_CLASSES) {
                c->class_first[i] = (uint16_t)(md->nclasses ? cep_b_name(L->b, md->classes[0].name) : 0);
                for (j = 1; j < md->nclasses; j++)
                    cep_b_name(L->b, md->classes[j].name);
                c->class_count[i] = (uint16_t)md->nclasses;
            }
        }
        free(slots);
        lw_objs_add(L, CEP_OBJ_MODEL, xstrdup(d->name), d, false);
        lw_check_builder(L, d);
    }
    c->table.n = c->n_tfl;
    c->table.models = c->models;
    c->table.arenas = c->arenas;
    c->table.arena_sizes = c->arena_sizes;
}

/* ------------------------------------------------------------ events */

static void evcaps_grow(struct lw *L, uint16_t ev)
{
    if (ev == CEP_NONE)
        return;
    if ((size_t)ev >= L->nevcaps) {
        size_t n = (size_t)ev + 1;
        L->evcaps = realloc(L->evcaps, n * sizeof *L->evcaps);
        if (L->evcaps == NULL) {
            fputs("tinycep: out of memory\n", stderr);
            exit(2);
        }
        memset(L->evcaps + L->nevcaps, 0, (n - L->nevcaps) * sizeof *L->evcaps);
        L->nevcaps = n;
    }
}

static char *arg_text(const struct dsl_expr *a)
{
    if (a->kind == DSL_EXPR_CLASS && a->decl != NULL && a->ival >= 0 &&
        (uint32_t)a->ival < a->decl->u.model.nclasses)
        return xstrdup(a->decl->u.model.classes[a->ival].name);
    if (a->kind == DSL_EXPR_BOOL)
        return xstrdup(a->ival ? "true" : "false");
    return xprintf("%g", a->num);
}

static double arg_value(const struct dsl_expr *a)
{
    if (a->kind == DSL_EXPR_CLASS || a->kind == DSL_EXPR_BOOL)
        return a->ival;
    return a->num;
}

/* Lowers one event declaration (with parameter values params, or NULL). */
static uint16_t lw_event(struct lw *L, const struct dsl_decl *d, const double *params,
                         const char *name)
{
    const struct dsl_event *ev = &d->u.event;
    uint16_t pred, e;
    unsigned flags = 0;
    char what[300];
    snprintf(what, sizeof what, "event '%s'", name);
    L->params = params;
    pred = lw_expr(L, ev->cond, ev->edge == DSL_EDGE_FALL, what);
    if (pred == CEP_NONE) {
        L->params = NULL;
        return CEP_NONE;
    }
    if (ev->edge != DSL_EDGE_NONE)
        flags = CEP_EVF_RISE | CEP_EVF_PRIOR;
    else if (ev->for_ms || ev->clear || ev->n)
        flags = CEP_EVF_RISE;
    e = cep_b_event(L->b, name, pred, flags);
    if (e != CEP_NONE && ev->edge == DSL_EDGE_NONE) {
        if (ev->for_ms)
            cep_b_event_for(L->b, e, ev->for_ms);
        if (ev->n)
            cep_b_event_kofn(L->b, e, ev->k, ev->n);
        if (ev->clear) {
            uint16_t cl = lw_expr(L, ev->clear, false, what);
            if (cl != CEP_NONE)
                cep_b_event_clear(L->b, e, cl);
        }
    }
    if (e != CEP_NONE && params != NULL)
        cep_b_event_param(L->b, e, (float)params[0]);
    L->params = NULL;
    evcaps_grow(L, e);
    return e;
}

static void lw_events(struct lw *L)
{
    uint32_t i;
    for (i = 0; i < L->m->nevents && !L->failed; i++) {
        const struct dsl_decl *d = L->m->events[i];
        L->ev_of_decl[i] = CEP_NONE;
        if (d->u.event.nparams > 0)
            continue;   /* instances are created by the rules that name them */
        L->ev_of_decl[i] = lw_event(L, d, NULL, d->name);
        if (L->ev_of_decl[i] != CEP_NONE)
            lw_objs_add(L, CEP_OBJ_EVENT, xstrdup(d->name), d, false);
        lw_check_builder(L, d);
    }
}

/* The instance of parameterised event `leaf->decl` with leaf's arguments. */
static uint16_t lw_instance(struct lw *L, const struct dsl_expr *leaf)
{
    const struct dsl_decl *d = leaf->decl;
    double args[8];
    uint32_t i, n = leaf->nargs < 8 ? leaf->nargs : 8;
    size_t k;
    char *name, *p;
    uint16_t e;
    if (leaf->nargs > 8) {
        lw_error(L, leaf->span, "too many event parameters (limit is 8) in event '%s'", d->name);
        return CEP_NONE;
    }
    for (i = 0; i < n; i++)
        args[i] = arg_value(leaf->args[i]);
    for (k = 0; k < L->ninst; k++)
        if (L->inst[k].decl == d && memcmp(L->inst[k].args, args, n * sizeof args[0]) == 0)
            return L->inst[k].event;
    name = xprintf("%s(", d->name);
    for (i = 0; i < n; i++) {
        char *a = arg_text(leaf->args[i]);
        p = xprintf("%s%s%s", name, i ? ", " : "", a);
        free(a);
        free(name);
        name = p;
    }
    p = xprintf("%s)", name);
    free(name);
    name = p;
    e = lw_event(L, d, args, name);
    if (e == CEP_NONE) {
        free(name);
        return CEP_NONE;
    }
    lw_objs_add(L, CEP_OBJ_EVENT, name, d, false);
    if (L->ninst == L->capinst) {
        L->capinst = L->capinst ? 2 * L->capinst : 8;
        L->inst = realloc(L->inst, L->capinst * sizeof *L->inst);
        if (L->inst == NULL) {
            fputs("tinycep: out of memory\n", stderr);
            exit(2);
        }
    }
    memset(&L->inst[L->ninst], 0, sizeof L->inst[0]);
    L->inst[L->ninst].decl = d;
    memcpy(L->inst[L->ninst].args, args, n * sizeof args[0]);
    L->inst[L->ninst].event = e;
    L->ninst++;
    return e;
}

/* ------------------------------------------------------------ rules */

static void leaf_add(struct lw *L, const struct dsl_expr *node, uint16_t ev, uint16_t base)
{
    if (L->nleaf == L->capleaf) {
        L->capleaf = L->capleaf ? 2 * L->capleaf : 16;
        L->leaf_node = realloc(L->leaf_node, L->capleaf * sizeof *L->leaf_node);
        L->leaf_ev = realloc(L->leaf_ev, L->capleaf * sizeof *L->leaf_ev);
        L->leaf_base = realloc(L->leaf_base, L->capleaf * sizeof *L->leaf_base);
        if (L->leaf_node == NULL || L->leaf_ev == NULL || L->leaf_base == NULL) {
            fputs("tinycep: out of memory\n", stderr);
            exit(2);
        }
    }
    L->leaf_node[L->nleaf] = node;
    L->leaf_ev[L->nleaf] = ev;
    L->leaf_base[L->nleaf] = base;
    L->nleaf++;
}

static uint16_t leaf_base(const struct lw *L, const struct dsl_expr *node)
{
    size_t i;
    for (i = 0; i < L->nleaf; i++)
        if (L->leaf_node[i] == node)
            return L->leaf_base[i];
    return CEP_NONE;
}

/* A second leaf naming the same event as an earlier one, where a label is
** involved (`a: spike then b: spike`), gets a clone of the event: captures
** read the latest occurrence of an event in the match, so a and b must be
** different events for a.level and b.level to differ.  The clone occurs
** exactly when the event does; its transition is guarded to come strictly
** after the earlier leaf's occurrence (lw_guard). */
static uint16_t lw_clone(struct lw *L, const struct dsl_expr *p, uint16_t base)
{
    size_t i;
    bool labelled = p->label >= 0, shared = false;
    double args[8] = { 0 };
    uint32_t k;
    char *name;
    uint16_t e;
    for (i = 0; i < L->nleaf; i++)
        if (L->leaf_base[i] == base) {
            shared = true;
            labelled = labelled || L->leaf_node[i]->label >= 0;
        }
    if (!shared || !labelled)
        return base;
    for (k = 0; k < p->nargs && k < 8; k++)
        args[k] = arg_value(p->args[k]);
    /* objs[EVENT] is in program event order */
    name = xprintf("%s#%u", base < L->c->nobjs[CEP_OBJ_EVENT] ? L->c->objs[CEP_OBJ_EVENT][base].name : "event",
                   ++L->nclone + 1u);
    e = lw_event(L, p->decl, p->nargs ? args : NULL, name);
    if (e == CEP_NONE) {
        free(name);
        return CEP_NONE;
    }
    lw_objs_add(L, CEP_OBJ_EVENT, name, p->decl, false);
    return e;
}

static uint16_t leaf_event(const struct lw *L, const struct dsl_expr *node)
{
    size_t i;
    for (i = 0; i < L->nleaf; i++)
        if (L->leaf_node[i] == node)
            return L->leaf_ev[i];
    return CEP_NONE;
}

/* Creates the events of the rule's pattern leaves. */
static void lw_leaves(struct lw *L, const struct dsl_expr *p)
{
    const struct dsl_decl *r = L->rule;
    uint16_t e = CEP_NONE, base;
    char *name;
    if (p == NULL || L->failed)
        return;
    switch (p->kind) {
    case DSL_EXPR_EVENT:
        base = p->decl->u.event.nparams ? lw_instance(L, p) : L->ev_of_decl[p->decl->index];
        e = base == CEP_NONE ? CEP_NONE : lw_clone(L, p, base);
        if (e == CEP_NONE)
            break;
        leaf_add(L, p, e, base);
        return;
    case DSL_EXPR_COND: {
        uint16_t pred;
        name = xprintf("%s.cond%u", r->name, ++L->ncond);
        pred = lw_expr(L, p->a, false, name);
        e = pred == CEP_NONE ? CEP_NONE : cep_b_event(L->b, name, pred, 0);
        if (e != CEP_NONE) {
            lw_objs_add(L, CEP_OBJ_EVENT, name, r, true);
            evcaps_grow(L, e);
        } else {
            free(name);
        }
        break;
    }
    case DSL_EXPR_ABSENT:
        name = xprintf("%s.absent.%s", r->name, p->decl->name);
        e = cep_b_watchdog(L->b, name, (uint16_t)p->decl->index, p->ms);
        if (e != CEP_NONE) {
            lw_objs_add(L, CEP_OBJ_EVENT, name, r, true);
            evcaps_grow(L, e);
        } else {
            free(name);
        }
        break;
    default:
        lw_leaves(L, p->a);
        lw_leaves(L, p->b);
        return;
    }
    if (e == CEP_NONE) {
        if (!L->failed)
            lw_check_builder(L, r);
        if (!L->failed)
            lw_error(L, p->span, "this event cannot be lowered in rule '%s'", r->name);
        return;
    }
    leaf_add(L, p, e, e);
}

/* A key that identifies a captured signal (to share equal captures). */
static char *cap_key(const struct dsl_expr *s)
{
    switch (s->kind) {
    case DSL_EXPR_INPUT: return xprintf("I%u.%d", (unsigned)s->decl->index, s->ival);
    case DSL_EXPR_FEATURE: return xprintf("F%u", (unsigned)s->decl->index);
    case DSL_EXPR_INDEX:
        return xprintf("X%u.%d", s->a && s->a->decl ? (unsigned)s->a->decl->index : 0u, s->ival);
    case DSL_EXPR_MODEL_OUT:
        return xprintf("M%u.%d.%d", (unsigned)s->decl->index, (int)s->out, s->ival);
    case DSL_EXPR_PARAM: return xprintf("P%d", s->ival);
    default: return xprintf("?%p", (const void *)s);
    }
}

/* Registers the captures of every CAPTURE node in e (before e is emitted:
** the builder builds one expression at a time). */
static void lw_prepare_caps(struct lw *L, const struct dsl_expr *e)
{
    uint32_t i;
    if (e == NULL || L->failed)
        return;
    if (e->kind == DSL_EXPR_CAPTURE) {
        const struct dsl_rule *ru = &L->rule->u.rule;
        uint16_t ev, x, k;
        struct lw_evcaps *ec;
        char *key;
        double pv[8] = { 0 };
        if (e->ival < 0 || (uint32_t)e->ival >= ru->nlabels) {
            lw_error(L, e->span, "capture of an unknown label");
            return;
        }
        ev = leaf_event(L, ru->labels[e->ival].node);
        if (ev == CEP_NONE || cap_find(L, e) != NULL)
            return;
        evcaps_grow(L, ev);
        ec = &L->evcaps[ev];
        key = cap_key(e->a);
        for (k = 0; k < ec->n; k++)
            if (strcmp(ec->keys[k], key) == 0)
                break;
        if (k == ec->n) {
            /* a parameter captured at an event instance is its value */
            const struct dsl_expr *leaf = ru->labels[e->ival].node;
            if (leaf->kind == DSL_EXPR_EVENT)
                for (i = 0; i < leaf->nargs && i < 8; i++)
                    pv[i] = arg_value(leaf->args[i]);
            L->params = pv;
            x = lw_expr(L, e->a, false, "a captured value");
            L->params = NULL;
            if (x == CEP_NONE) {
                free(key);
                return;
            }
            cep_b_event_capture(L->b, ev, x);
            ec->keys = realloc(ec->keys, ((size_t)ec->n + 1) * sizeof *ec->keys);
            if (ec->keys == NULL) {
                fputs("tinycep: out of memory\n", stderr);
                exit(2);
            }
            ec->keys[ec->n++] = key;
        } else {
            free(key);
        }
        if (L->ncaps == L->capcaps) {
            L->capcaps = L->capcaps ? 2 * L->capcaps : 8;
            L->caps = realloc(L->caps, L->capcaps * sizeof *L->caps);
            if (L->caps == NULL) {
                fputs("tinycep: out of memory\n", stderr);
                exit(2);
            }
        }
        L->caps[L->ncaps].node = e;
        L->caps[L->ncaps].event = ev;
        L->caps[L->ncaps].index = k;
        L->ncaps++;
        return;
    }
    lw_prepare_caps(L, e->a);
    lw_prepare_caps(L, e->b);
    for (i = 0; i < e->nargs; i++)
        lw_prepare_caps(L, e->args[i]);
}

/* Labels that expression e captures from: bit i = label i (up to 64). */
static uint64_t labels_used(const struct dsl_expr *e)
{
    uint64_t m = 0;
    uint32_t i;
    if (e == NULL)
        return 0;
    if (e->kind == DSL_EXPR_CAPTURE && e->ival >= 0 && e->ival < 64)
        m |= (uint64_t)1 << e->ival;
    m |= labels_used(e->a) | labels_used(e->b);
    for (i = 0; i < e->nargs; i++)
        m |= labels_used(e->args[i]);
    return m;
}

/* The guard of a leaf for the rule's `where`: the leaf that binds the last
** of the labels `where` names evaluates it; while another of those labels
** is still unbound (its event's time is NaN), the guard passes.  So the
** check happens once every label is bound, in whichever order. */
static uint16_t lw_guard(struct lw *L, const struct dsl_expr *leaf)
{
    const struct dsl_rule *ru = &L->rule->u.rule;
    uint64_t used = labels_used(ru->where);
    uint16_t self = leaf_event(L, leaf), base = leaf_base(L, leaf), x;
    uint32_t i;
    unsigned terms = 0;
    bool where = ru->where != NULL &&
                 (used == 0 || (leaf->label >= 0 && leaf->label < 64 && (used >> leaf->label & 1u)));
    bool order = base != CEP_NONE && self != base;
    char what[300];
    if (!where && !order)
        return CEP_NONE;
    snprintf(what, sizeof what, "the 'where' of rule '%s'", L->rule->name);
    L->depth = L->maxdepth = 0;
    cep_b_expr_begin(L->b);
    if (where) {
        for (i = 0; i < ru->nlabels && i < 64; i++) {
            uint16_t ev;
            if (!(used >> i & 1u) || (int32_t)i == leaf->label)
                continue;
            ev = leaf_event(L, ru->labels[i].node);
            if (ev == CEP_NONE || ev == self)
                continue;
            /* not (t == t): true while label i's event is not in the match */
            emit(L, CEP_OP_CAPT, 0, ev);
            emit(L, CEP_OP_CAPT, 0, ev);
            emit(L, CEP_OP_EQ, 0, 0);
            emit(L, CEP_OP_NOT, 0, 0);
            if (terms++)
                emit(L, CEP_OP_OR, 0, 0);
        }
        lw_emit(L, ru->where, false);
        if (terms)
            emit(L, CEP_OP_OR, 0, 0);
    }
    if (order) {
        /* a clone's occurrence must come after the earlier leaf's (the
        ** event and its clone occur at the same instants) */
        emit(L, CEP_OP_CAPT, 0, self);
        emit(L, CEP_OP_CAPT, 0, base);
        emit(L, CEP_OP_GT, 0, 0);
        if (where)
            emit(L, CEP_OP_AND, 0, 0);
    }
    x = cep_b_expr_end(L->b);
    if (L->maxdepth > CEP_MAX_STACK) {
        lw_error(L, ru->where ? ru->where->span : leaf->span,
                 "expression too complex (limit is %u stack entries) in %s", CEP_MAX_STACK, what);
        return CEP_NONE;
    }
    return x;
}

static cep_pat *lw_pat(struct lw *L, const struct dsl_expr *p, uint32_t within_ms)
{
    cep_builder *b = L->b;
    if (p == NULL || L->failed)
        return NULL;
    switch (p->kind) {
    case DSL_EXPR_EVENT:
    case DSL_EXPR_COND:
    case DSL_EXPR_ABSENT:
        return cep_bp_event(b, leaf_event(L, p), lw_guard(L, p));
    case DSL_EXPR_SEQ:
        if (p->b != NULL && p->b->kind == DSL_EXPR_NOT) {
            const struct dsl_expr *x = p->b->a;
            cep_pat *a = lw_pat(L, p->a, within_ms);
            if (x == NULL || (x->kind != DSL_EXPR_EVENT && x->kind != DSL_EXPR_COND)) {
                lw_error(L, p->b->span, "'not' of a pattern of several events is not supported; "
                         "name one event or condition");
                return a;
            }
            if (within_ms == 0) {
                lw_error(L, p->b->span, "'not' needs an enclosing 'within'");
                return a;
            }
            return cep_bp_seq(b, a, cep_bp_not(b, leaf_event(L, x), lw_guard(L, x), within_ms));
        }
        return cep_bp_seq(b, lw_pat(L, p->a, within_ms), lw_pat(L, p->b, within_ms));
    case DSL_EXPR_ALL:
        return cep_bp_and(b, lw_pat(L, p->a, within_ms), lw_pat(L, p->b, within_ms));
    case DSL_EXPR_ANY:
        return cep_bp_or(b, lw_pat(L, p->a, within_ms), lw_pat(L, p->b, within_ms));
    case DSL_EXPR_REPEAT:
        return cep_bp_repeat(b, lw_pat(L, p->a, within_ms), (unsigned)p->ival,
                             (unsigned)(p->ival2 < p->ival ? p->ival : p->ival2));
    case DSL_EXPR_WITHIN:
        return cep_bp_within(b, lw_pat(L, p->a, p->ms), p->ms);
    case DSL_EXPR_NOT:
        lw_error(L, p->span, "'not' must follow 'then' ('A then not B within T')");
        return NULL;
    default:
        lw_error(L, p->span, "a %s cannot be lowered as a pattern", dsl_expr_kind_name(p->kind));
        return NULL;
    }
}

static cep_severity severity_of(enum dsl_severity s)
{
    switch (s) {
    case DSL_SEV_INFO: return CEP_SEV_INFO;
    case DSL_SEV_WARNING: return CEP_SEV_WARNING;
    case DSL_SEV_ERROR: return CEP_SEV_ERROR;
    default: return CEP_SEV_CRITICAL;
    }
}

/* A message capture's format ("" / ".1f" / "d" / "+08.3e" / "#x" ..., as
** sema accepted it: flags, width, .precision, conversion) as the runtime's
** precision, width and CEP_FMT_* conversion and flags.  false (with an
** error) if it cannot be shown. */
static bool msg_format(struct lw *L, const struct dsl_msgpart *mp, unsigned *prec,
                       unsigned *width, unsigned *fmt)
{
    const char *f = mp->fmt ? mp->fmt : "";
    unsigned long w = 0, p = 0;
    bool has_prec = false;

    *fmt = 0;
    for (; *f && strchr("-+ 0#", *f); f++)
        *fmt |= *f == '-' ? CEP_FMT_MINUS : *f == '+' ? CEP_FMT_PLUS : *f == ' ' ? CEP_FMT_SPACE
              : *f == '0' ? CEP_FMT_ZERO : CEP_FMT_ALT;
    for (; *f >= '0' && *f <= '9'; f++)
        w = w > 1000 ? w : w * 10 + (unsigned long)(*f - '0');
    if (*f == '.') {
        has_prec = true;
        for (f++; *f >= '0' && *f <= '9'; f++)
            p = p > 1000 ? p : p * 10 + (unsigned long)(*f - '0');
    }
    switch (*f) {
    case 'd': *fmt |= CEP_FMT_D; break;
    case 'e': *fmt |= CEP_FMT_E; break;
    case 'g': *fmt |= CEP_FMT_G; break;
    case 'x': *fmt |= CEP_FMT_X; break;
    default:  *fmt |= CEP_FMT_F; break;   /* 'f', or none: f */
    }
    if (w > CEP_FMT_MAX_WIDTH) {
        lw_error(L, mp->span, "width %lu of format ':%s' is too large (limit is %u)", w, mp->fmt,
                 CEP_FMT_MAX_WIDTH);
        return false;
    }
    if (p > 9) {
        lw_warning(L, mp->span, "precision %lu of format ':%s' is shown as 9 (the runtime's limit)", p,
                   mp->fmt);
        p = 9;
    }
    *width = (unsigned)w;
    if (has_prec)
        *prec = (unsigned)p;
    else if ((*f == '\0' && (*fmt & CEP_FMT_CONV) == CEP_FMT_F) ||
             (*fmt & CEP_FMT_CONV) == CEP_FMT_D || (*fmt & CEP_FMT_CONV) == CEP_FMT_X)
        *prec = CEP_PREC_AUTO;   /* none: f as the value needs; d, x one digit or more */
    else
        *prec = 6u;
    return true;
}

static void lw_message(struct lw *L, uint16_t r)
{
    const struct dsl_rule *ru = &L->rule->u.rule;
    uint32_t i;
    char what[300];
    snprintf(what, sizeof what, "the message of rule '%s'", L->rule->name);
    for (i = 0; i < ru->nparts && !L->failed; i++) {
        const struct dsl_msgpart *mp = &ru->parts[i];
        uint16_t x;
        if (mp->text != NULL) {
            cep_b_msg_text(L->b, r, mp->text);
            continue;
        }
        x = lw_expr(L, mp->expr, false, what);
        if (x == CEP_NONE)
            return;
        if (mp->expr->type.kind == DSL_TYPE_CLASS && mp->expr->type.model != NULL) {
            uint32_t mi = mp->expr->type.model->index;
            cep_b_msg_name(L->b, r, x, L->c->class_first[mi], L->c->class_count[mi]);
        } else if (mp->expr->type.kind == DSL_TYPE_BOOL) {
            uint16_t f = cep_b_name(L->b, "false");
            cep_b_name(L->b, "true");
            cep_b_msg_name(L->b, r, x, f, 2);
        } else {
            unsigned prec, width, fmt;
            if (!msg_format(L, mp, &prec, &width, &fmt))
                return;
            cep_b_msg_num(L->b, r, x, prec, width, fmt);
        }
    }
}

static void lw_rule(struct lw *L, const struct dsl_decl *d)
{
    const struct dsl_rule *ru = &d->u.rule;
    uint16_t r;
    uint32_t i;
    cep_pat *p;

    L->rule = d;
    L->ncond = 0;
    L->nleaf = 0;
    L->ncaps = 0;
    L->nclone = 0;
    lw_leaves(L, ru->pattern);
    if (L->failed)
        return;
    lw_prepare_caps(L, ru->where);
    for (i = 0; i < ru->nparts; i++)
        lw_prepare_caps(L, ru->parts[i].expr);
    if (L->failed || !lw_check_builder(L, d))
        return;

    r = cep_b_rule(L->b, d->name, severity_of(ru->severity));
    lw_objs_add(L, CEP_OBJ_RULE, xstrdup(d->name), d, false);
    p = lw_pat(L, ru->pattern, 0);
    if (L->failed)
        return;
    if (!cep_b_pattern(L->b, r, p)) {
        lw_check_builder(L, d);
        return;
    }
    cep_b_rule_policy(L->b, r,
                      ru->policy == DSL_POLICY_STRICT ? CEP_POL_STRICT
                      : ru->policy == DSL_POLICY_ANY  ? CEP_POL_ANY
                                                      : CEP_POL_NEXT,
                      ru->all_matches);
    if (ru->max_matches > 255) {
        lw_error(L, ru->matches_span, "too many matches (limit is 255) in rule '%s'", d->name);
        return;
    }
    cep_b_rule_pool(L->b, r, ru->max_matches ? ru->max_matches : DSL_DEFAULT_MATCHES);
    if (ru->limit_n) {
        if (ru->limit_n > 0xffffu) {
            lw_error(L, ru->limit_span, "limit too large (limit is 65535) in rule '%s'", d->name);
            return;
        }
        cep_b_rule_limit(L->b, r, ru->limit_n, ru->limit_ms);
    }
    if (ru->cooldown_ms)
        cep_b_rule_cooldown(L->b, r, ru->cooldown_ms);
    lw_message(L, r);
    lw_check_builder(L, d);
}

/* ------------------------------------------------------------ budgets */

static int cmp_ram(const void *a, const void *b)
{
    const struct cep_report_item *x = *(const struct cep_report_item *const *)a;
    const struct cep_report_item *y = *(const struct cep_report_item *const *)b;
    size_t rx = x->ram_state + x->ram_arena, ry = y->ram_state + y->ram_arena;
    return rx < ry ? 1 : rx > ry ? -1 : 0;
}

static int cmp_flash(const void *a, const void *b)
{
    const struct cep_report_item *x = *(const struct cep_report_item *const *)a;
    const struct cep_report_item *y = *(const struct cep_report_item *const *)b;
    size_t rx = x->flash_tables + x->flash_model, ry = y->flash_tables + y->flash_model;
    return rx < ry ? 1 : rx > ry ? -1 : 0;
}

static struct dsl_span decl_span_of(const struct lw *L, const struct cep_report_item *it)
{
    uint32_t i;
    struct dsl_span none = { 0, 0 };
    if (it->kind == CEP_REP_SHARED)
        return none;
    for (i = 0; i < L->m->ndecls; i++)
        if (strcmp(L->m->decls[i]->name, it->name) == 0)
            return L->m->decls[i]->name_span;
    return none;
}

static void budget_check(struct lw *L, bool ram)
{
    const struct cep_report *rep = &L->c->rep;
    uint64_t budget = ram ? rep->budget_ram : rep->budget_flash;
    size_t used = ram ? rep->ram_state + rep->ram_arena
                      : rep->flash_tables + rep->flash_header + rep->flash_model;
    const struct cep_report_item **v;
    size_t i, shown = 0;
    int h;
    if (budget == 0 || used <= budget)
        return;
    h = lw_error(L, ram ? L->m->budget_ram_span : L->m->budget_flash_span,
                 "%s budget exceeded: %zu bytes needed, %llu allowed (%zu over)", ram ? "RAM" : "flash",
                 used, (unsigned long long)budget, used - (size_t)budget);
    v = xcalloc(rep->n_items, sizeof *v);
    for (i = 0; i < rep->n_items; i++)
        v[i] = &rep->items[i];
    qsort(v, rep->n_items, sizeof *v, ram ? cmp_ram : cmp_flash);
    for (i = 0; i < rep->n_items && shown < 3; i++) {
        size_t bytes = ram ? v[i]->ram_state + v[i]->ram_arena : v[i]->flash_tables + v[i]->flash_model;
        struct dsl_span sp = decl_span_of(L, v[i]);
        if (bytes == 0 || v[i]->kind == CEP_REP_SHARED)
            continue;
        diag_note(L->diag, h, sp, "%s '%s' uses %zu bytes", v[i]->kind == CEP_REP_RULE ? "rule"
                  : v[i]->kind == CEP_REP_EVENT ? "event" : v[i]->kind == CEP_REP_MODEL ? "model"
                  : v[i]->kind == CEP_REP_FEATURE ? "feature" : v[i]->kind == CEP_REP_WINDOW ? "window"
                  : "input", v[i]->name, bytes);
        shown++;
    }
    free(v);
}

/* ------------------------------------------------------------ entry points */

struct cep_compiled *cep_lower(const struct dsl_module *m, const struct cep_lower_options *opt,
                               struct dsl_diag *diag)
{
    struct cep_lower_options defaults;
    struct lw L;
    struct cep_compiled *c;
    uint32_t i;
    size_t k;
    bool ok;

    if (m == NULL || diag == NULL)
        return NULL;
    memset(&defaults, 0, sizeof defaults);
    memset(&L, 0, sizeof L);
    c = xcalloc(1, sizeof *c);
    c->b = cep_b_new();
    c->m = m;
    c->name = xstrdup(m->name ? m->name : "rules");
    L.c = c;
    L.b = c->b;
    L.m = m;
    L.diag = diag;
    L.opt = opt ? opt : &defaults;
    L.ev_of_decl = xcalloc(m->nevents, sizeof *L.ev_of_decl);
    L.fft_window = xcalloc(m->nwindows, sizeof *L.fft_window);

    lw_inputs(&L);
    if (!L.failed)
        lw_windows(&L);
    if (!L.failed)
        lw_features(&L);
    if (!L.failed)
        lw_models(&L);
    if (!L.failed)
        lw_events(&L);
    for (i = 0; i < m->nrules && !L.failed; i++)
        lw_rule(&L, m->rules[i]);
    ok = !L.failed && cep_b_finish(c->b, &c->prog);
    if (!L.failed && !ok) {
        const char *e = cep_b_error(c->b);
        lw_error(&L, m->name_span, "module '%s' cannot be lowered: %s", c->name,
                 e[0] ? e : "the program is inconsistent");
    }
    if (!L.failed && cep_state_size(&c->prog) == 0)
        lw_error(&L, m->name_span, "module '%s': the engine rejects the lowered program", c->name);
    if (!L.failed) {
        c->rep.budget_ram = m->budget_ram;
        c->rep.budget_flash = m->budget_flash;
        lw_report_build(c);
        if (!L.opt->no_budget) {
            budget_check(&L, true);
            budget_check(&L, false);
        }
    }

    for (k = 0; k < L.nevcaps; k++) {
        uint16_t j;
        for (j = 0; j < L.evcaps[k].n; j++)
            free(L.evcaps[k].keys[j]);
        free(L.evcaps[k].keys);
    }
    free(L.evcaps);
    free(L.ev_of_decl);
    free(L.fft_window);
    free(L.inst);
    free(L.caps);
    free(L.leaf_node);
    free(L.leaf_ev);
    free(L.leaf_base);
    if (L.failed) {
        cep_compiled_free(c);
        return NULL;
    }
    return c;
}

/* The front end's model resolver: sizes of a .tflite file's input and
** output tensors, so `tinycep check` reports mismatches at the model. */
static int resolve_model(void *ctx, const struct dsl_decl *model, struct dsl_model_info *info,
                         char *err, size_t errlen)
{
    const struct cep_lower_options *opt = ctx;
    const struct dsl_model *md = &model->u.model;
    ml_import_error e;
    ml_graph *g;
    ml_compiled *mc;
    char *path;
    int rc = 0;
    memset(&e, 0, sizeof e);
    if (opt != NULL && opt->base_dir != NULL && md->path[0] != '/')
        path = xprintf("%s/%s", opt->base_dir, md->path);
    else
        path = xstrdup(md->file ? md->file : md->path);
    g = ml_graph_load(path, &e);
    mc = g ? ml_graph_compile(g, &e) : NULL;
    if (mc == NULL) {
        snprintf(err, errlen, "%s", e.msg);
        rc = 1;
    } else if (mc->model.n_inputs != 1 || mc->model.n_outputs != 1) {
        snprintf(err, errlen, "the model has %u inputs and %u outputs; rules use models with one of each",
                 (unsigned)mc->model.n_inputs, (unsigned)mc->model.n_outputs);
        rc = 1;
    } else {
        const ml_model *mm = &mc->model;
        const ml_model_tensor *ti = &mm->tensors[mm->inputs[0].tensor];
        const ml_model_tensor *to = &mm->tensors[mm->outputs[0].tensor];
        /* int8 edges: one byte per element; float edges are reported by cep_lower */
        info->input_size = ti->type == ML_MODEL_FLOAT32 ? ti->size / 4 : ti->size;
        info->output_count = to->type == ML_MODEL_FLOAT32 ? to->size / 4 : to->size;
    }
    ml_compiled_free(mc);
    ml_graph_free(g);
    free(path);
    return rc;
}

static struct cep_compiled *compile_common(const char *path, const char *buf, size_t len,
                                           const struct cep_lower_options *opt,
                                           struct dsl_diag *diag)
{
    struct dsl_options dopt;
    struct dsl_module *m = NULL;
    struct cep_compiled *c;
    enum dsl_status st;
    memset(&dopt, 0, sizeof dopt);
    dopt.no_model_files = opt != NULL && opt->no_model_files;
    if (!dopt.no_model_files) {
        dopt.resolve_model = resolve_model;
        dopt.resolver_ctx = (void *)(uintptr_t)opt;
    }
    st = buf ? dsl_check_buffer(path, buf, len, &dopt, diag, &m) : dsl_check_file(path, &dopt, diag, &m);
    if (st != DSL_OK || m == NULL) {
        dsl_module_free(m);
        return NULL;
    }
    c = cep_lower(m, opt, diag);
    if (c == NULL) {
        dsl_module_free(m);
        return NULL;
    }
    c->owned = m;
    return c;
}

struct cep_compiled *cep_compile_file(const char *path, const struct cep_lower_options *opt,
                                      struct dsl_diag *diag)
{
    if (path == NULL || diag == NULL)
        return NULL;
    return compile_common(path, NULL, 0, opt, diag);
}

struct cep_compiled *cep_compile_buffer(const char *path, const char *buf, size_t len,
                                        const struct cep_lower_options *opt,
                                        struct dsl_diag *diag)
{
    if (path == NULL || buf == NULL || diag == NULL)
        return NULL;
    return compile_common(path, buf, len, opt, diag);
}

void cep_compiled_free(struct cep_compiled *c)
{
    unsigned k;
    uint16_t i;
    if (c == NULL)
        return;
    for (k = 0; k <= CEP_OBJ_RULE; k++) {
        for (i = 0; i < c->nobjs[k]; i++)
            free(c->objs[k][i].name);
        free(c->objs[k]);
    }
    for (i = 0; i < c->n_tfl; i++) {
        ml_compiled_free(c->mc[i]);
        ml_graph_free(c->graphs[i]);
        free(c->arenas[i]);
    }
    free(c->graphs);
    free(c->mc);
    free(c->tfl_names);
    free(c->tfl_decls);
    free(c->arenas);
    free(c->arena_sizes);
    free(c->models);
    free(c->class_first);
    free(c->class_count);
    free(c->items);
    cep_b_free(c->b);
    dsl_module_free(c->owned);
    free(c->name);
    free(c);
}

const cep_program *cep_compiled_program(const struct cep_compiled *c)
{
    return c ? &c->prog : NULL;
}

const char *cep_compiled_name(const struct cep_compiled *c)
{
    return c ? c->name : NULL;
}

const struct dsl_module *cep_compiled_module(const struct cep_compiled *c)
{
    return c ? c->m : NULL;
}

const char *cep_compiled_obj_name(const struct cep_compiled *c, enum cep_obj kind, uint16_t index)
{
    if (c == NULL || (unsigned)kind > CEP_OBJ_RULE || index >= c->nobjs[kind])
        return NULL;
    return c->objs[kind][index].name;
}

const struct dsl_decl *cep_compiled_obj_decl(const struct cep_compiled *c, enum cep_obj kind,
                                             uint16_t index)
{
    if (c == NULL || (unsigned)kind > CEP_OBJ_RULE || index >= c->nobjs[kind] ||
        c->objs[kind][index].anonymous)
        return NULL;
    return c->objs[kind][index].decl;
}

size_t cep_compiled_tflite_count(const struct cep_compiled *c)
{
    return c ? c->n_tfl : 0;
}

const struct ml_compiled *cep_compiled_tflite(const struct cep_compiled *c, uint16_t ext)
{
    return c && ext < c->n_tfl ? c->mc[ext] : NULL;
}

const char *cep_compiled_tflite_name(const struct cep_compiled *c, uint16_t ext)
{
    return c && ext < c->n_tfl ? c->tfl_names[ext] : NULL;
}

const struct ml_model_table *cep_compiled_models(const struct cep_compiled *c)
{
    return c ? &c->table : NULL;
}

rt_status cep_compiled_infer(void *user, uint16_t model, const int8_t *in, size_t n_in,
                             int8_t *out, size_t n_out)
{
    const struct cep_compiled *c = user;
    if (c == NULL)
        return RT_ERR_ARG;
    if (model < c->n_tfl && c->models[model] == NULL)
        return RT_ERR_UNSUPPORTED;   /* lowered with no_model_files */
    return ml_model_table_infer(&c->table, model, in, n_in, out, n_out);
}

const struct cep_report *cep_compiled_report(const struct cep_compiled *c)
{
    return c ? &c->rep : NULL;
}
