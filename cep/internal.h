/*
** internal.h — the CEP engine's private state and the interfaces between
** its modules (window/feature, fft, anomaly, expr, event, pattern, format,
** engine).  Not part of the public API: only the engine sources in cep/ include it.
**
** The whole state lives in the caller's storage, laid out once by
** cep_init() (engine.c); pointers in the state point into that storage.
*/
#ifndef CEP_INTERNAL_H
#define CEP_INTERNAL_H

#include "cep/cep.h"

/* ------------------------------------------------------------ float utils */

static inline float cep_nan(void)
{
    union { uint32_t u; float f; } x = { 0x7fc00000u };
    return x.f;
}
static inline bool cep_isnan(float v) { return v != v; }
static inline bool cep_isfinite(float v) { return (v - v) == 0.0f; }
static inline bool cep_truth(float v) { return v != 0.0f && !cep_isnan(v); }

/* Correctly rounded IEEE square root (sqrtss / vsqrt.f32, or newlib's
** correctly rounded sqrtf on cores without an FPU).  Callers pass x >= 0. */
static inline float cep_sqrtf(float x) { return __builtin_sqrtf(x); }

/* Signed difference a - b of two wrap-around times, in ms. */
static inline int32_t cep_tdiff(uint32_t a, uint32_t b)
{
    uint32_t d = a - b;
    return d <= 0x7fffffffu ? (int32_t)d : -(int32_t)(~d) - 1;
}

/* ------------------------------------------------------------------ state */

/* The state must have the same size on the host (64-bit pointers) and on
** Cortex-M (32-bit), so that the RAM the compiler reports is the RAM the
** firmware uses.  Every pointer in the state therefore occupies 8 bytes
** (a C11 anonymous union with a uint64_t); the sizes are pinned by the
** static assertions at the end of this section, checked on every target. */
#define CEP_PTR(type, name) union { type *name; uint64_t name##_pad_; }

/* Bytes reserved per cep_match_event in the scratch area (16 on 64-bit). */
#define CEP_MEV_SIZE 16u

typedef struct cep_win_state {
    CEP_PTR(float, buf);          /* cap samples, ring */
    CEP_PTR(uint32_t, tbuf);      /* time windows: sample times, ring */
    uint16_t  head;       /* index of the oldest sample */
    uint16_t  count;      /* samples held */
    uint16_t  since;      /* count windows: samples since the last emission */
    uint8_t   emitted;    /* time windows: last_emit valid */
    uint8_t   pad_;
    uint32_t  last_emit;  /* time windows: time of the last emission */
} cep_win_state;

typedef struct cep_feat_state {
    float    y;           /* EWMA value / previous sample */
    uint32_t prev_t;      /* previous sample time (RATE) */
    uint8_t  have;        /* a previous sample exists */
} cep_feat_state;

typedef struct cep_model_state {
    CEP_PTR(int8_t, qin);         /* TFLITE: quantized input */
    CEP_PTR(int8_t, qout);        /* TFLITE: quantized output */
    CEP_PTR(float, x);            /* input vector (real units) */
    CEP_PTR(float, mean);         /* ANOMALY: n */
    CEP_PTR(float, cov);          /* ANOMALY: n*n co-moments, then Cholesky factor */
    CEP_PTR(float, tmp);          /* ANOMALY: 2n: solve scratch, then standard deviations */
    uint32_t  count;      /* ANOMALY: vectors learned */
    uint32_t  start;      /* ANOMALY: time of the first vector */
    uint8_t   phase;      /* ANOMALY: 0 not started, 1 learning, 2 scoring */
} cep_model_state;

typedef struct cep_event_state {
    uint32_t hist;        /* k of n: last n raw values, bit 0 newest */
    uint32_t t_true;      /* time the filtered condition became true (for) */
    uint32_t count;       /* occurrences so far */
    uint8_t  cond;        /* filtered condition (after k of n) is true */
    uint8_t  active;      /* event level */
    uint8_t  known;       /* PRIOR: a level has been observed */
    uint8_t  armed;       /* WATCH: not fired since the last sample */
    uint8_t  timing;      /* for: condition true since t_true, not yet active */
} cep_event_state;

/* A partial match.  Entries are stored in parallel arrays of max_len. */
typedef struct cep_run {
    uint32_t  seq;        /* creation order (oldest = smallest) */
    uint32_t  regs[CEP_MAX_REGS];
    uint16_t  state;
    uint8_t   used;
    uint8_t   len;
    CEP_PTR(uint16_t, ev);
    CEP_PTR(uint32_t, t);
    CEP_PTR(float, caps);         /* max_len * max_caps */
} cep_run;

typedef struct cep_rule_state {
    CEP_PTR(cep_run, runs);       /* max_runs */
    CEP_PTR(uint32_t, lim);       /* limit_n alert times, ring */
    uint32_t        seq;
    uint16_t        lim_head, lim_count;
    uint32_t        last_alert;
    uint8_t         alerted;
    cep_rule_stats  st;
} cep_rule_state;

/* One event occurrence being delivered to the rules. */
typedef struct cep_occ {
    uint16_t     event;
    uint16_t     n_caps;
    uint32_t     t;
    const float *caps;
} cep_occ;

struct cep_ctx {
    CEP_PTR(const cep_program, prog);
    union { cep_callbacks cb; uint64_t cb_pad_[3]; };
    cep_stats          stats;
    uint32_t           now;       /* engine clock */
    uint32_t           t0;        /* first clock value (watchdog reference) */
    uint8_t            started;
    uint8_t            due_any;   /* `due` holds a pending time-driven deadline */
    uint32_t           due;       /* lower bound of every pending deadline/expiry */
    uint32_t           step;      /* incremented per accepted sample */
    CEP_PTR(float, slots);            /* n_slots */
    CEP_PTR(uint32_t, src_step);      /* per source: step of its last update */
    CEP_PTR(uint32_t, last_seen);     /* per input: time of its last sample */
    CEP_PTR(uint32_t, win_step);      /* per window: step of its last emission */
    CEP_PTR(cep_win_state, wins);
    CEP_PTR(cep_feat_state, feats);
    CEP_PTR(cep_model_state, models);
    CEP_PTR(cep_event_state, events);
    CEP_PTR(cep_rule_state, rules);
    CEP_PTR(float, fft);              /* 2 * largest FFT */
    CEP_PTR(float, occ_caps);         /* largest event capture count */
    CEP_PTR(char, msg);               /* largest msg_cap */
    CEP_PTR(cep_match_event, mev);    /* largest max_len, CEP_MEV_SIZE bytes each */
    uint64_t           size;          /* storage bytes */
};

_Static_assert(sizeof(cep_win_state) == 32, "window state size differs by platform");
_Static_assert(sizeof(cep_feat_state) == 12, "feature state size differs by platform");
_Static_assert(sizeof(cep_model_state) == 64, "model state size differs by platform");
_Static_assert(sizeof(cep_event_state) == 20, "event state size differs by platform");
_Static_assert(sizeof(cep_run) == 48, "run size differs by platform");
_Static_assert(sizeof(cep_rule_state) == 56, "rule state size differs by platform");
_Static_assert(sizeof(cep_ctx) == 192, "context size differs by platform");
_Static_assert(sizeof(cep_match_event) <= CEP_MEV_SIZE, "match event larger than reserved");

/* Records a time at which advance() has work (a `for` timer, a watchdog, a
** negation window closing, a run expiring): advance() skips its scans while
** the clock is before the earliest such time. */
static inline void cep_due(cep_ctx *ctx, uint32_t when)
{
    if (!ctx->due_any || cep_tdiff(when, ctx->due) < 0) {
        ctx->due = when;
        ctx->due_any = 1;
    }
}

/* ------------------------------------------------------------ expressions */

/* What an expression may read besides the value slots: the parameter of
** the event being evaluated and the current (partial) match. */
typedef struct cep_env {
    const float    *slots;
    float           param;
    const cep_run  *run;          /* NULL outside patterns */
    uint16_t        stride;       /* captures per run entry */
    const cep_occ  *cand;         /* candidate occurrence, or NULL */
} cep_env;

float cep_expr_eval(const cep_program *p, uint16_t expr, const cep_env *env);

/* ------------------------------------------------------------ modules */

/* window.c: pushes v into window w; returns true if the window emits. */
bool cep_window_push(cep_ctx *ctx, uint16_t w, uint32_t t, float v);
/* feature.c: recompute window feature f / update stream feature f with v. */
void cep_feature_window(cep_ctx *ctx, uint16_t f);
void cep_feature_stream(cep_ctx *ctx, uint16_t f, uint32_t t, float v);
/* fft.c: in-place radix-2 FFT of n complex values (re/im interleaved),
** cs = n/2 cosines then n/2 sines of 2*pi*k/n. */
void cep_fft(float *z, uint32_t n, const float *cs);
/* anomaly.c */
void cep_anomaly_reset(cep_ctx *ctx, uint16_t m);
void cep_anomaly_run(cep_ctx *ctx, uint16_t m);
/* model.c */
void cep_model_run(cep_ctx *ctx, uint16_t m);
/* event.c */
void cep_event_eval(cep_ctx *ctx, uint16_t e);
bool cep_event_deadline(const cep_ctx *ctx, uint16_t e, uint32_t *when);
void cep_event_timeout(cep_ctx *ctx, uint16_t e, uint32_t when);
/* pattern.c */
void cep_pattern_feed(cep_ctx *ctx, const cep_occ *o);
bool cep_pattern_deadline(const cep_ctx *ctx, uint16_t r, uint32_t *when);
void cep_pattern_timeout(cep_ctx *ctx, uint16_t r, uint32_t when);
void cep_pattern_expire(cep_ctx *ctx, uint16_t r);
/* Earliest time at which a run of rule r expires or its negation closes. */
bool cep_pattern_due(const cep_ctx *ctx, uint16_t r, uint32_t *when);
/* format.c: renders rule r's message for a completed run into ctx->msg. */
size_t cep_message_render(cep_ctx *ctx, uint16_t r, const cep_run *run);

#endif /* CEP_INTERNAL_H */
