/*
** builder.c — host-side construction of CEP programs (see builder.h).
** Growable arrays for every table; derived sizes computed in cep_b_finish.
*/
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cep/compile/builder.h"

static const double two_pi = 6.283185307179586476925286766559;

#define VEC(T) struct { T *v; size_t n, cap; }

typedef struct btrans {
    uint16_t   from;
    cep_ptrans t;
} btrans;

struct cep_builder {
    char err[256];
    VEC(cep_input_desc)   inputs;
    VEC(cep_window_desc)  windows;
    VEC(cep_feature_desc) features;
    VEC(cep_model_desc)   models;
    VEC(cep_event_desc)   events;
    VEC(cep_rule_desc)    rules;
    VEC(cep_pstate)       states;
    VEC(btrans)           btr;
    VEC(cep_ptrans)       trans;
    VEC(cep_expr)         exprs;
    VEC(cep_insn)         code;
    VEC(cep_msgpart)      msgparts;
    VEC(cep_name)         names;
    VEC(float)            consts;
    VEC(uint16_t)         refs;
    VEC(char)             strings;
    VEC(uint16_t)         slot_src;   /* producer source of each slot (before renumbering) */
    VEC(uint8_t)          slot_kind;  /* 0 input, 1 feature, 2 model */
    VEC(uint16_t)         caps;       /* per event: capture exprs, flattened at finish */
    VEC(uint16_t)         cap_ev;
    VEC(uint16_t)         rule_parts; /* msgparts per rule, flattened at finish */
    VEC(uint16_t)         part_rule;
    uint32_t              expr_start;
    bool                  in_expr;
};

static void *grow(void *v, size_t *cap, size_t n, size_t sz)
{
    if (n < *cap)
        return v;
    *cap = *cap ? *cap * 2 : 16;
    v = realloc(v, *cap * sz);
    if (!v) {
        fprintf(stderr, "tinycep: out of memory\n");
        exit(2);
    }
    return v;
}
#define PUSH(vec, x)                                                   \
    do {                                                               \
        (vec).v = grow((vec).v, &(vec).cap, (vec).n, sizeof *(vec).v); \
        (vec).v[(vec).n++] = (x);                                      \
    } while (0)

uint16_t cep_b_fail(cep_builder *b, const char *fmt, ...)
{
    if (!b->err[0]) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(b->err, sizeof b->err, fmt, ap);
        va_end(ap);
    }
    return CEP_NONE;
}
#define fail cep_b_fail

cep_builder *cep_b_new(void)
{
    return calloc(1, sizeof(cep_builder));
}

void cep_b_free(cep_builder *b)
{
    if (!b)
        return;
    free(b->inputs.v); free(b->windows.v); free(b->features.v); free(b->models.v);
    free(b->events.v); free(b->rules.v); free(b->states.v); free(b->btr.v); free(b->trans.v);
    free(b->exprs.v); free(b->code.v); free(b->msgparts.v); free(b->names.v); free(b->consts.v);
    free(b->refs.v); free(b->strings.v); free(b->slot_src.v); free(b->slot_kind.v);
    free(b->caps.v); free(b->cap_ev.v); free(b->rule_parts.v); free(b->part_rule.v);
    free(b);
}

const char *cep_b_error(const cep_builder *b)
{
    return b->err;
}

static uint16_t str_add(cep_builder *b, const char *s, size_t n)
{
    size_t off = b->strings.n, i;
    if (off + n > 0xffff)
        return fail(b, "string pool full");
    for (i = 0; i < n; i++)
        PUSH(b->strings, s[i]);
    return (uint16_t)off;
}

uint16_t cep_b_name(cep_builder *b, const char *s)
{
    cep_name nm;
    size_t n = strlen(s);
    nm.off = str_add(b, s, n);
    nm.len = (uint16_t)n;
    PUSH(b->names, nm);
    return (uint16_t)(b->names.n - 1);
}

static uint16_t slots_add(cep_builder *b, unsigned n, uint8_t kind, uint16_t idx)
{
    size_t first = b->slot_src.n;
    unsigned i;
    if (first + n > 0xfff0)
        return fail(b, "too many value slots");
    for (i = 0; i < n; i++) {
        PUSH(b->slot_src, idx);
        PUSH(b->slot_kind, kind);
    }
    return (uint16_t)first;
}

uint16_t cep_b_input(cep_builder *b, const char *name, cep_input_type type, unsigned dims,
                     float scale, uint32_t period_us)
{
    cep_input_desc d;
    memset(&d, 0, sizeof d);
    if (dims == 0 || dims > CEP_MAX_DIMS || b->inputs.n >= CEP_MAX_INPUTS)
        return fail(b, "input '%s': bad dims or too many inputs", name);
    d.type = (uint8_t)type;
    d.dims = (uint8_t)dims;
    d.scale = (type == CEP_IN_F32 || type == CEP_IN_BOOL) ? 1.0f : scale;
    d.period_us = period_us;
    d.name = cep_b_name(b, name);
    d.slot = slots_add(b, dims, 0, (uint16_t)b->inputs.n);
    PUSH(b->inputs, d);
    return (uint16_t)(b->inputs.n - 1);
}

uint16_t cep_b_input_slot(const cep_builder *b, uint16_t input, unsigned comp)
{
    if (input >= b->inputs.n || comp >= b->inputs.v[input].dims)
        return CEP_NONE;
    return (uint16_t)(b->inputs.v[input].slot + comp);
}

uint16_t cep_b_window_count(cep_builder *b, uint16_t input, unsigned comp, unsigned size, unsigned hop)
{
    cep_window_desc w;
    memset(&w, 0, sizeof w);
    if (input >= b->inputs.n || size == 0 || size > 0xffff || hop == 0 || hop > size)
        return fail(b, "count window: bad input, size or hop");
    w.input = input;
    w.comp = (uint8_t)comp;
    w.cap = (uint16_t)size;
    w.hop = (uint16_t)hop;
    PUSH(b->windows, w);
    return (uint16_t)(b->windows.n - 1);
}

uint16_t cep_b_window_time(cep_builder *b, uint16_t input, unsigned comp, uint32_t span_ms,
                           uint32_t hop_ms, unsigned cap)
{
    cep_window_desc w;
    memset(&w, 0, sizeof w);
    if (input >= b->inputs.n || span_ms == 0 || cap == 0 || cap > 0xffff)
        return fail(b, "time window: bad input, span or capacity");
    w.input = input;
    w.comp = (uint8_t)comp;
    w.flags = CEP_WIN_TIME;
    w.cap = (uint16_t)cap;
    w.span_ms = span_ms;
    w.hop_ms = hop_ms;
    PUSH(b->windows, w);
    return (uint16_t)(b->windows.n - 1);
}

/* twiddles for an n-point FFT: n/2 cos then n/2 sin of 2*pi*k/n, shared */
static uint32_t twiddles(cep_builder *b, unsigned n)
{
    size_t first = b->consts.n;
    unsigned k;
    for (k = 0; k < n / 2; k++)
        PUSH(b->consts, (float)cos(two_pi * (double)k / (double)n));
    for (k = 0; k < n / 2; k++)
        PUSH(b->consts, (float)sin(two_pi * (double)k / (double)n));
    return (uint32_t)first;
}

static uint16_t feature_add(cep_builder *b, cep_feature_kind kind, uint16_t src, unsigned comp,
                            unsigned n_out, float p0)
{
    cep_feature_desc f;
    memset(&f, 0, sizeof f);
    f.kind = (uint8_t)kind;
    f.src = src;
    f.comp = (uint8_t)comp;
    f.n_out = (uint16_t)n_out;
    f.p0 = p0;
    if (kind == CEP_F_BANDS || kind == CEP_F_DOMFREQ) {
        unsigned n = b->windows.v[src].cap;
        if ((b->windows.v[src].flags & CEP_WIN_TIME) || n < 2 || (n & (n - 1)) || n > CEP_MAX_FFT)
            return fail(b, "FFT features need a count window of power-of-two size");
        if (kind == CEP_F_BANDS && (n / 2) % n_out)
            return fail(b, "band count %u does not divide %u bins", n_out, n / 2);
        f.twiddle = twiddles(b, n);
    }
    f.slot = slots_add(b, n_out, 1, (uint16_t)b->features.n);
    PUSH(b->features, f);
    return (uint16_t)(b->features.n - 1);
}

uint16_t cep_b_feature(cep_builder *b, cep_feature_kind kind, uint16_t window, float p0)
{
    if (window >= b->windows.n || kind == CEP_F_BANDS || kind >= CEP_F_EWMA)
        return fail(b, "feature: bad window or kind");
    return feature_add(b, kind, window, 0, 1, p0);
}

uint16_t cep_b_bands(cep_builder *b, uint16_t window, unsigned bands)
{
    if (window >= b->windows.n || bands == 0)
        return fail(b, "band_energy: bad window or band count");
    return feature_add(b, CEP_F_BANDS, window, 0, bands, 0.0f);
}

uint16_t cep_b_stream(cep_builder *b, cep_feature_kind kind, uint16_t input, unsigned comp, float p0)
{
    if (input >= b->inputs.n || comp >= b->inputs.v[input].dims || kind < CEP_F_EWMA || kind >= CEP_F_COUNT_)
        return fail(b, "stream feature: bad input or kind");
    return feature_add(b, kind, input, comp, 1, p0);
}

uint16_t cep_b_stream_feature(cep_builder *b, cep_feature_kind kind, uint16_t feature, float p0)
{
    if (feature >= b->features.n || b->features.v[feature].n_out != 1 || kind < CEP_F_EWMA ||
        kind >= CEP_F_COUNT_)
        return fail(b, "stream feature: bad source feature or kind");
    return feature_add(b, kind, feature, CEP_FEAT_OF_FEATURE, 1, p0);
}

uint16_t cep_b_feature_slot(const cep_builder *b, uint16_t feature, unsigned i)
{
    if (feature >= b->features.n || i >= b->features.v[feature].n_out)
        return CEP_NONE;
    return (uint16_t)(b->features.v[feature].slot + i);
}

static uint16_t model_add(cep_builder *b, cep_model_desc *m, const uint16_t *in_slots, unsigned n_in,
                          unsigned n_slots)
{
    unsigned i;
    m->in_first = (uint16_t)b->refs.n;
    m->n_in = (uint16_t)n_in;
    for (i = 0; i < n_in; i++) {
        if (in_slots[i] >= b->slot_src.n)
            return fail(b, "model input slot %u out of range", in_slots[i]);
        PUSH(b->refs, in_slots[i]);
    }
    m->slot = slots_add(b, n_slots, 2, (uint16_t)b->models.n);
    PUSH(b->models, *m);
    return (uint16_t)(b->models.n - 1);
}

uint16_t cep_b_tflite(cep_builder *b, uint16_t ext, const uint16_t *in_slots, unsigned n_in,
                      unsigned n_out, float in_scale, int32_t in_zp, float out_scale, int32_t out_zp)
{
    cep_model_desc m;
    memset(&m, 0, sizeof m);
    if (n_in == 0 || n_out == 0 || n_in > CEP_MAX_MODEL_IO || n_out > CEP_MAX_MODEL_IO)
        return fail(b, "tflite model: bad input/output size");
    m.kind = CEP_M_TFLITE;
    m.ext = ext;
    m.n_out = (uint16_t)n_out;
    m.in_scale = in_scale;
    m.in_zp = in_zp;
    m.out_scale = out_scale;
    m.out_zp = out_zp;
    return model_add(b, &m, in_slots, n_in, CEP_MS_VEC + 2 * n_out);
}

uint16_t cep_b_anomaly(cep_builder *b, const uint16_t *in_slots, unsigned n_in, uint32_t learn_ms, float ridge)
{
    cep_model_desc m;
    memset(&m, 0, sizeof m);
    if (n_in == 0 || n_in > CEP_MAX_ANOMALY_DIM)
        return fail(b, "anomaly model: 1..%u features", CEP_MAX_ANOMALY_DIM);
    m.kind = CEP_M_ANOMALY;
    m.learn_ms = learn_ms;
    m.ridge = ridge;
    return model_add(b, &m, in_slots, n_in, CEP_MS_VEC + n_in);
}

uint16_t cep_b_model_slot(const cep_builder *b, uint16_t model, unsigned which)
{
    const cep_model_desc *m;
    unsigned n;
    if (model >= b->models.n)
        return CEP_NONE;
    m = &b->models.v[model];
    n = m->kind == CEP_M_TFLITE ? CEP_MS_VEC + 2u * m->n_out : CEP_MS_VEC + m->n_in;
    return which < n ? (uint16_t)(m->slot + which) : CEP_NONE;
}

/* ------------------------------------------------------------ expressions */

void cep_b_expr_begin(cep_builder *b)
{
    b->expr_start = (uint32_t)b->code.n;
    b->in_expr = true;
}

void cep_b_op(cep_builder *b, cep_opcode op, uint8_t a, uint16_t x)
{
    cep_insn in;
    in.op = (uint8_t)op;
    in.a = a;
    in.b = x;
    PUSH(b->code, in);
}

void cep_b_const(cep_builder *b, float v)
{
    size_t i;
    for (i = 0; i < b->consts.n; i++)
        if (memcmp(&b->consts.v[i], &v, sizeof v) == 0)
            break;
    if (i == b->consts.n)
        PUSH(b->consts, v);
    cep_b_op(b, CEP_OP_CONST, 0, (uint16_t)i);
}

uint16_t cep_b_expr_end(cep_builder *b)
{
    cep_expr e;
    if (!b->in_expr)
        return fail(b, "cep_b_expr_end without begin");
    b->in_expr = false;
    if (b->code.n - b->expr_start == 0 || b->code.n > 0xffff)
        return fail(b, "empty expression or code too large");
    e.first = (uint16_t)b->expr_start;
    e.len = (uint16_t)(b->code.n - b->expr_start);
    PUSH(b->exprs, e);
    return (uint16_t)(b->exprs.n - 1);
}

static const struct { const char *tok; cep_opcode op; } rpn_ops[] = {
    { "+", CEP_OP_ADD }, { "-", CEP_OP_SUB }, { "*", CEP_OP_MUL }, { "/", CEP_OP_DIV },
    { "neg", CEP_OP_NEG }, { "abs", CEP_OP_ABS }, { "min", CEP_OP_MIN }, { "max", CEP_OP_MAX },
    { "<", CEP_OP_LT }, { "<=", CEP_OP_LE }, { ">", CEP_OP_GT }, { ">=", CEP_OP_GE },
    { "==", CEP_OP_EQ }, { "!=", CEP_OP_NE }, { "and", CEP_OP_AND }, { "or", CEP_OP_OR },
    { "not", CEP_OP_NOT }, { "param", CEP_OP_PARAM },
};

uint16_t cep_b_rpn(cep_builder *b, const char *rpn)
{
    const char *s = rpn;
    cep_b_expr_begin(b);
    while (*s) {
        char tok[64];
        size_t n = 0, i;
        char *end;
        while (*s == ' ')
            s++;
        if (!*s)
            break;
        while (s[n] && s[n] != ' ' && n < sizeof tok - 1)
            n++;
        memcpy(tok, s, n);
        tok[n] = '\0';
        s += n;
        for (i = 0; i < sizeof rpn_ops / sizeof rpn_ops[0]; i++)
            if (strcmp(tok, rpn_ops[i].tok) == 0)
                break;
        if (i < sizeof rpn_ops / sizeof rpn_ops[0]) {
            cep_b_op(b, rpn_ops[i].op, 0, 0);
        } else if (tok[0] == 's' && tok[1] >= '0' && tok[1] <= '9') {
            cep_b_op(b, CEP_OP_LOAD, 0, (uint16_t)strtoul(tok + 1, NULL, 10));
        } else if (strncmp(tok, "capt", 4) == 0) {
            cep_b_op(b, CEP_OP_CAPT, 0, (uint16_t)strtoul(tok + 4, NULL, 10));
        } else if (strncmp(tok, "cap", 3) == 0) {
            unsigned long ev = strtoul(tok + 3, &end, 10), ci = *end == '.' ? strtoul(end + 1, NULL, 10) : 0;
            cep_b_op(b, CEP_OP_CAP, (uint8_t)ci, (uint16_t)ev);
        } else {
            float v = strtof(tok, &end);
            if (*end) {
                b->in_expr = false;
                return fail(b, "rpn '%s': bad token '%s'", rpn, tok);
            }
            cep_b_const(b, v);
        }
    }
    return cep_b_expr_end(b);
}

/* ----------------------------------------------------------------- events */

uint16_t cep_b_event(cep_builder *b, const char *name, uint16_t pred, unsigned flags)
{
    cep_event_desc e;
    memset(&e, 0, sizeof e);
    if (pred >= b->exprs.n)
        return fail(b, "event '%s': bad predicate", name);
    e.kind = CEP_EV_PRED;
    e.flags = (uint8_t)flags;
    e.pred = pred;
    e.clear = CEP_NONE;
    e.input = CEP_NONE;
    e.name = cep_b_name(b, name);
    PUSH(b->events, e);
    return (uint16_t)(b->events.n - 1);
}

static cep_event_desc *ev_get(cep_builder *b, uint16_t e)
{
    if (e >= b->events.n) {
        fail(b, "event index %u out of range", e);
        return NULL;
    }
    return &b->events.v[e];
}

void cep_b_event_for(cep_builder *b, uint16_t e, uint32_t ms)
{
    cep_event_desc *d = ev_get(b, e);
    if (d)
        d->for_ms = ms;
}

void cep_b_event_clear(cep_builder *b, uint16_t e, uint16_t clear_expr)
{
    cep_event_desc *d = ev_get(b, e);
    if (d)
        d->clear = clear_expr;
}

void cep_b_event_kofn(cep_builder *b, uint16_t e, unsigned k, unsigned n)
{
    cep_event_desc *d = ev_get(b, e);
    if (!d)
        return;
    if (n == 0 || n > CEP_MAX_KOFN || k == 0 || k > n) {
        fail(b, "in k of n: need 1 <= k <= n <= %u", CEP_MAX_KOFN);
        return;
    }
    d->k = (uint8_t)k;
    d->n = (uint8_t)n;
}

void cep_b_event_param(cep_builder *b, uint16_t e, float param)
{
    cep_event_desc *d = ev_get(b, e);
    if (d)
        d->param = param;
}

void cep_b_event_capture(cep_builder *b, uint16_t e, uint16_t expr)
{
    if (ev_get(b, e) && expr < b->exprs.n) {
        PUSH(b->caps, expr);
        PUSH(b->cap_ev, e);
    }
}

uint16_t cep_b_watchdog(cep_builder *b, const char *name, uint16_t input, uint32_t ms)
{
    cep_event_desc e;
    memset(&e, 0, sizeof e);
    if (input >= b->inputs.n || ms == 0)
        return fail(b, "watchdog '%s': bad input or timeout", name);
    e.kind = CEP_EV_WATCH;
    e.input = input;
    e.for_ms = ms;
    e.pred = CEP_NONE;
    e.clear = CEP_NONE;
    e.name = cep_b_name(b, name);
    PUSH(b->events, e);
    return (uint16_t)(b->events.n - 1);
}

/* ------------------------------------------------------------------ rules */

uint16_t cep_b_rule(cep_builder *b, const char *name, cep_severity sev)
{
    cep_rule_desc r;
    memset(&r, 0, sizeof r);
    r.severity = (uint8_t)sev;
    r.policy = CEP_POL_NEXT;
    r.max_runs = 4;
    r.name = cep_b_name(b, name);
    r.st_first = (uint16_t)b->states.n;
    r.start = CEP_NONE;
    PUSH(b->rules, r);
    return (uint16_t)(b->rules.n - 1);
}

uint16_t cep_b_state(cep_builder *b, unsigned kind)
{
    cep_pstate s;
    memset(&s, 0, sizeof s);
    if (b->rules.n == 0)
        return fail(b, "state outside a rule");
    s.kind = (uint8_t)kind;
    s.dl_reg = CEP_NOREG;
    s.timeout = CEP_NONE;
    PUSH(b->states, s);
    b->rules.v[b->rules.n - 1].st_count++;
    return (uint16_t)(b->states.n - 1);
}

static cep_rule_desc *rule_get(cep_builder *b, uint16_t r)
{
    if (r >= b->rules.n) {
        fail(b, "rule index %u out of range", r);
        return NULL;
    }
    return &b->rules.v[r];
}

void cep_b_rule_start(cep_builder *b, uint16_t rule, uint16_t state)
{
    cep_rule_desc *r = rule_get(b, rule);
    if (r)
        r->start = state;
}

void cep_b_state_deadline(cep_builder *b, uint16_t state, unsigned reg, uint32_t ms)
{
    if (state >= b->states.n || reg >= CEP_MAX_REGS) {
        fail(b, "state deadline: bad state or register");
        return;
    }
    b->states.v[state].dl_reg = (uint8_t)reg;
    b->states.v[state].dl_ms = ms;
}

void cep_b_state_neg(cep_builder *b, uint16_t state, unsigned reg, uint32_t ms, uint16_t timeout)
{
    cep_b_state_deadline(b, state, reg, ms);
    if (state < b->states.n) {
        b->states.v[state].kind = CEP_PS_NEG;
        b->states.v[state].timeout = timeout;
    }
}

void cep_b_trans(cep_builder *b, uint16_t from, uint16_t event, uint16_t to, uint16_t guard,
                 unsigned set_reg, unsigned chk_reg, uint32_t chk_ms, unsigned flags)
{
    btrans t;
    memset(&t, 0, sizeof t);
    if (from >= b->states.n || to >= b->states.n || event >= b->events.n) {
        fail(b, "transition: bad state or event");
        return;
    }
    t.from = from;
    t.t.event = event;
    t.t.guard = guard;
    t.t.next = to;
    t.t.flags = (uint8_t)flags;
    t.t.set_reg = (uint8_t)set_reg;
    t.t.chk_reg = (uint8_t)chk_reg;
    t.t.chk_ms = chk_ms;
    t.t.chk2_reg = CEP_NOREG;
    PUSH(b->btr, t);
}

void cep_b_trans_check2(cep_builder *b, unsigned chk_reg, uint32_t chk_ms)
{
    if (b->btr.n == 0 || chk_reg >= CEP_MAX_REGS) {
        fail(b, "second check: no transition or bad register");
        return;
    }
    b->btr.v[b->btr.n - 1].t.chk2_reg = (uint8_t)chk_reg;
    b->btr.v[b->btr.n - 1].t.chk2_ms = chk_ms;
}

void cep_b_rule_policy(cep_builder *b, uint16_t rule, cep_policy pol, bool all)
{
    cep_rule_desc *r = rule_get(b, rule);
    if (r)
        r->policy = (uint8_t)((unsigned)pol | (all ? CEP_POL_ALL : 0u));
}

void cep_b_rule_pool(cep_builder *b, uint16_t rule, unsigned max_runs)
{
    cep_rule_desc *r = rule_get(b, rule);
    if (r && (max_runs == 0 || max_runs > 255))
        fail(b, "pool size must be 1..255");
    else if (r)
        r->max_runs = (uint8_t)max_runs;
}

void cep_b_rule_limit(cep_builder *b, uint16_t rule, unsigned n, uint32_t per_ms)
{
    cep_rule_desc *r = rule_get(b, rule);
    if (r) {
        r->limit_n = (uint16_t)n;
        r->limit_ms = per_ms;
    }
}

void cep_b_rule_cooldown(cep_builder *b, uint16_t rule, uint32_t ms)
{
    cep_rule_desc *r = rule_get(b, rule);
    if (r)
        r->cooldown_ms = ms;
}

static void part_add(cep_builder *b, uint16_t rule, cep_msgpart mp)
{
    if (!rule_get(b, rule))
        return;
    PUSH(b->msgparts, mp);
    PUSH(b->part_rule, rule);
}

void cep_b_msg_text(cep_builder *b, uint16_t rule, const char *text)
{
    cep_msgpart mp;
    size_t n = strlen(text);
    memset(&mp, 0, sizeof mp);
    if (n == 0)
        return;
    mp.kind = CEP_MP_TEXT;
    mp.a = str_add(b, text, n);
    mp.len = (uint16_t)n;
    part_add(b, rule, mp);
}

void cep_b_msg_num(cep_builder *b, uint16_t rule, uint16_t expr, unsigned prec, unsigned width,
                   unsigned fmt)
{
    cep_msgpart mp;
    if ((prec > 9 && !(prec == CEP_PREC_AUTO && (fmt & CEP_FMT_CONV) != CEP_FMT_E &&
                       (fmt & CEP_FMT_CONV) != CEP_FMT_G)) ||
        width > CEP_FMT_MAX_WIDTH || (fmt & CEP_FMT_CONV) >= CEP_FMT_COUNT_ ||
        (fmt & ~(CEP_FMT_CONV | CEP_FMT_FLAGS)) != 0) {
        fail(b, "bad number format (precision %u, width %u, format 0x%x)", prec, width, fmt);
        return;
    }
    memset(&mp, 0, sizeof mp);
    mp.kind = CEP_MP_NUM;
    mp.a = expr;
    mp.prec = (uint8_t)prec;
    mp.len = (uint16_t)width;
    mp.n = (uint16_t)fmt;
    part_add(b, rule, mp);
}

void cep_b_msg_name(cep_builder *b, uint16_t rule, uint16_t expr, uint16_t first, unsigned n)
{
    cep_msgpart mp;
    memset(&mp, 0, sizeof mp);
    mp.kind = CEP_MP_NAME;
    mp.a = expr;
    mp.len = first;
    mp.n = (uint16_t)n;
    part_add(b, rule, mp);
}

void cep_b_msg_template(cep_builder *b, uint16_t rule, const char *tmpl)
{
    const char *s = tmpl;
    while (*s) {
        const char *open = strchr(s, '{'), *close, *colon;
        char text[512], expr[256];
        unsigned prec = CEP_PREC_AUTO;
        size_t n;
        if (!open) {
            cep_b_msg_text(b, rule, s);
            return;
        }
        n = (size_t)(open - s) < sizeof text - 1 ? (size_t)(open - s) : sizeof text - 1;
        memcpy(text, s, n);
        text[n] = '\0';
        cep_b_msg_text(b, rule, text);
        close = strchr(open, '}');
        if (!close) {
            fail(b, "template: '}' expected");
            return;
        }
        colon = memchr(open, ':', (size_t)(close - open));
        n = (size_t)((colon ? colon : close) - open - 1);
        if (n >= sizeof expr)
            n = sizeof expr - 1;
        memcpy(expr, open + 1, n);
        expr[n] = '\0';
        if (colon) {
            if (colon[1] == 'd')
                prec = 0;
            else if (colon[1] == '.' && colon[2] >= '0' && colon[2] <= '9' && colon[3] == 'f')
                prec = (unsigned)(colon[2] - '0');
            else
                fail(b, "template: format must be d or .Nf");
        }
        cep_b_msg_num(b, rule, cep_b_rpn(b, expr), prec, 0, CEP_FMT_F);
        s = close + 1;
    }
}

/* ------------------------------------------------------------- shortcuts */

void cep_b_pat_single(cep_builder *b, uint16_t rule, uint16_t e)
{
    uint16_t s0 = cep_b_state(b, CEP_PS_WAIT), acc = cep_b_state(b, CEP_PS_ACCEPT);
    cep_b_rule_start(b, rule, s0);
    cep_b_trans(b, s0, e, acc, CEP_NONE, CEP_NOREG, CEP_NOREG, 0, 0);
}

void cep_b_pat_seq(cep_builder *b, uint16_t rule, const uint16_t *e, unsigned n, uint32_t within_ms)
{
    uint16_t prev = cep_b_state(b, CEP_PS_WAIT);
    unsigned i;
    cep_b_rule_start(b, rule, prev);
    for (i = 0; i < n; i++) {
        uint16_t next = cep_b_state(b, i + 1 == n ? CEP_PS_ACCEPT : CEP_PS_WAIT);
        if (i > 0 && within_ms) {
            cep_b_state_deadline(b, prev, 0, within_ms);
            cep_b_trans(b, prev, e[i], next, CEP_NONE, CEP_NOREG, 0, within_ms, 0);
        } else {
            cep_b_trans(b, prev, e[i], next, CEP_NONE, i == 0 ? 0 : CEP_NOREG, CEP_NOREG, 0, 0);
        }
        prev = next;
    }
}

/* ----------------------------------------------------------------- finish */

/* Longest number of recording transitions from state s (DAG; a cycle is
** reported as an error). */
static int longest(const cep_builder *b, uint16_t s, int depth, uint16_t lo, uint16_t hi)
{
    const cep_pstate *ps = &b->states.v[s];
    int best = 0, d;
    uint32_t i;
    if (depth > hi - lo + 1)
        return -1;
    for (i = ps->tr_first; i < (uint32_t)ps->tr_first + ps->tr_count; i++) {
        const cep_ptrans *t = &b->trans.v[i];
        if (t->flags & CEP_PT_KILL)
            continue;
        d = longest(b, t->next, depth + 1, lo, hi);
        if (d < 0)
            return -1;
        if (d + 1 > best)
            best = d + 1;
    }
    if (ps->kind == CEP_PS_NEG && ps->timeout < b->states.n) {
        d = longest(b, ps->timeout, depth + 1, lo, hi);
        if (d < 0)
            return -1;
        if (d > best)
            best = d;
    }
    return best;
}

static unsigned num_width(unsigned prec, unsigned width)
{
    /* sign + 39 integer digits (FLT_MAX) + '.' + decimals: the longest of
    ** every conversion (e: 16 bytes; x: sign, 0x and 32 digits), or the
    ** width when that is more */
    unsigned w = 1 + 39 + 1 + (prec == CEP_PREC_AUTO ? 3 : prec);
    return width > w ? width : w;
}

/* Dependencies of an expression: the producer sources of the slots it loads. */
static void deps_of(cep_builder *b, uint16_t expr, uint8_t *mark)
{
    const cep_expr *e = &b->exprs.v[expr];
    uint32_t i;
    for (i = e->first; i < (uint32_t)e->first + e->len; i++) {
        const cep_insn *in = &b->code.v[i];
        if (in->op == CEP_OP_LOAD && in->b < b->slot_src.n) {
            size_t src = b->slot_src.v[in->b];
            if (b->slot_kind.v[in->b] >= 1)
                src += b->inputs.n;
            if (b->slot_kind.v[in->b] == 2)
                src += b->features.n;
            mark[src] = 1;
        }
    }
}

static void deps_emit(cep_builder *b, const uint8_t *mark, size_t nsrc, uint16_t *first, uint16_t *count)
{
    size_t i;
    *first = (uint16_t)b->refs.n;
    *count = 0;
    for (i = 0; i < nsrc; i++)
        if (mark[i]) {
            PUSH(b->refs, (uint16_t)i);
            (*count)++;
        }
}

bool cep_b_finish(cep_builder *b, cep_program *out)
{
    size_t nsrc = b->inputs.n + b->features.n + b->models.n, i, j;
    uint8_t *mark = calloc(nsrc + 1, 1);

    if (b->err[0] || !mark) {
        free(mark);
        return false;
    }
    /* transitions grouped by source state, in creation order */
    b->trans.n = 0;
    for (i = 0; i < b->states.n; i++) {
        b->states.v[i].tr_first = (uint16_t)b->trans.n;
        b->states.v[i].tr_count = 0;
        for (j = 0; j < b->btr.n; j++)
            if (b->btr.v[j].from == i) {
                PUSH(b->trans, b->btr.v[j].t);
                b->states.v[i].tr_count++;
            }
    }
    /* model and event dependencies, captures */
    for (i = 0; i < b->models.n; i++) {
        cep_model_desc *m = &b->models.v[i];
        memset(mark, 0, nsrc);
        for (j = 0; j < m->n_in; j++) {
            uint16_t s = b->refs.v[m->in_first + j];
            size_t src = b->slot_src.v[s] + (b->slot_kind.v[s] >= 1 ? b->inputs.n : 0) +
                         (b->slot_kind.v[s] == 2 ? b->features.n : 0);
            mark[src] = 1;
        }
        deps_emit(b, mark, nsrc, &m->dep_first, &m->dep_count);
    }
    for (i = 0; i < b->events.n; i++) {
        cep_event_desc *e = &b->events.v[i];
        if (e->kind == CEP_EV_PRED) {
            memset(mark, 0, nsrc);
            deps_of(b, e->pred, mark);
            if (e->clear != CEP_NONE)
                deps_of(b, e->clear, mark);
            deps_emit(b, mark, nsrc, &e->dep_first, &e->dep_count);
            if (e->dep_count == 0) {
                free(mark);
                fail(b, "event %zu: predicate reads no input, feature or model", i);
                return false;
            }
        }
        e->cap_first = (uint16_t)b->refs.n;
        e->cap_count = 0;
        for (j = 0; j < b->caps.n; j++)
            if (b->cap_ev.v[j] == i) {
                PUSH(b->refs, b->caps.v[j]);
                e->cap_count++;
            }
    }
    free(mark);
    /* message parts grouped by rule; derived rule sizes */
    {
        VEC(cep_msgpart) parts = { NULL, 0, 0 };
        for (i = 0; i < b->rules.n; i++) {
            cep_rule_desc *r = &b->rules.v[i];
            unsigned cap = 1, regs = 0, caps = 0;
            int len;
            r->msg_first = (uint16_t)parts.n;
            r->msg_count = 0;
            for (j = 0; j < b->msgparts.n; j++) {
                cep_msgpart mp = b->msgparts.v[j];
                if (b->part_rule.v[j] != i)
                    continue;
                PUSH(parts, mp);
                r->msg_count++;
                if (mp.kind == CEP_MP_TEXT) {
                    cap += mp.len;
                } else if (mp.kind == CEP_MP_NUM) {
                    cap += num_width(mp.prec, mp.len);
                } else {
                    unsigned w = 1, k;
                    for (k = 0; k < mp.n && mp.len + k < b->names.n; k++)
                        if (b->names.v[mp.len + k].len > w)
                            w = b->names.v[mp.len + k].len;
                    cap += w;
                }
            }
            if (cap > 0xffff) {
                free(parts.v);
                fail(b, "rule %zu: message too long", i);
                return false;
            }
            r->msg_cap = (uint16_t)cap;
            if (r->start == CEP_NONE || r->st_count == 0) {
                free(parts.v);
                fail(b, "rule %zu has no pattern", i);
                return false;
            }
            for (j = r->st_first; j < (size_t)r->st_first + r->st_count; j++) {
                const cep_pstate *ps = &b->states.v[j];
                uint32_t k;
                if (ps->dl_reg != CEP_NOREG && ps->dl_reg + 1u > regs)
                    regs = ps->dl_reg + 1u;
                for (k = ps->tr_first; k < (uint32_t)ps->tr_first + ps->tr_count; k++) {
                    const cep_ptrans *t = &b->trans.v[k];
                    if (t->set_reg != CEP_NOREG && t->set_reg + 1u > regs)
                        regs = t->set_reg + 1u;
                    if (t->chk_reg != CEP_NOREG && t->chk_reg + 1u > regs)
                        regs = t->chk_reg + 1u;
                    if (t->chk2_reg != CEP_NOREG && t->chk2_reg + 1u > regs)
                        regs = t->chk2_reg + 1u;
                    if (b->events.v[t->event].cap_count > caps)
                        caps = b->events.v[t->event].cap_count;
                }
            }
            len = longest(b, r->start, 0, r->st_first, (uint16_t)(r->st_first + r->st_count - 1));
            if (len < 0 || len > 255) {
                free(parts.v);
                fail(b, "rule %zu: automaton has a cycle or more than 255 steps", i);
                return false;
            }
            r->max_len = (uint8_t)(len > 0 ? len : 1);
            r->n_regs = (uint8_t)regs;
            r->max_caps = (uint8_t)caps;
        }
        free(b->msgparts.v);
        b->msgparts.v = parts.v;
        b->msgparts.n = parts.n;
        b->msgparts.cap = parts.cap;
    }
    memset(out, 0, sizeof *out);
    out->version = CEP_PROGRAM_VERSION;
    out->n_slots = (uint16_t)b->slot_src.n;
    out->n_inputs = (uint16_t)b->inputs.n;     out->inputs = b->inputs.v;
    out->n_windows = (uint16_t)b->windows.n;   out->windows = b->windows.v;
    out->n_features = (uint16_t)b->features.n; out->features = b->features.v;
    out->n_models = (uint16_t)b->models.n;     out->models = b->models.v;
    out->n_events = (uint16_t)b->events.n;     out->events = b->events.v;
    out->n_rules = (uint16_t)b->rules.n;       out->rules = b->rules.v;
    out->n_states = (uint16_t)b->states.n;     out->states = b->states.v;
    out->n_trans = (uint16_t)b->trans.n;       out->trans = b->trans.v;
    out->n_exprs = (uint16_t)b->exprs.n;       out->exprs = b->exprs.v;
    out->n_code = (uint32_t)b->code.n;         out->code = b->code.v;
    out->n_msgparts = (uint16_t)b->msgparts.n; out->msgparts = b->msgparts.v;
    out->n_names = (uint16_t)b->names.n;       out->names = b->names.v;
    out->n_consts = (uint32_t)b->consts.n;     out->consts = b->consts.v;
    out->n_refs = (uint32_t)b->refs.n;         out->refs = b->refs.v;
    out->n_strings = (uint32_t)b->strings.n;   out->strings = b->strings.v;
    return true;
}
