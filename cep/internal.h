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

typedef struct cep_win_state {
    float    *buf;        /* cap samples, ring */
    uint32_t *tbuf;       /* time windows: sample times, ring */
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
    int8_t   *qin, *qout; /* TFLITE: quantized input and output */
    float    *x;          /* input vector (real units) */
    float    *mean;       /* ANOMALY: n */
    float    *cov;        /* ANOMALY: n*n co-moments, then Cholesky factor */
    float    *tmp;        /* ANOMALY: 2n: solve scratch, then standard deviations */
    uint32_t  count;      /* ANOMALY: vectors learned */
    uint32_t  start;      /* ANOMALY: time of the first vector */
    uint8_t   phase;      /* ANOMALY: 0 not started, 1 learning, 2 scoring */
} cep_model_state;

typedef struct cep_event_state {
    uint32_t hist;        /* k of n: last n raw values, bit 0 newest */
    uint32_t t_true;      /* time the filtered condition became true (for) */
    uint8_t  hist_n;      /* evaluations in hist (saturates at n) */
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
    uint16_t *ev;
    uint32_t *t;
    float    *caps;       /* max_len * max_caps */
} cep_run;

typedef struct cep_rule_state {
    cep_run        *runs;     /* max_runs */
    uint32_t       *lim;      /* limit_n alert times, ring */
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
    const cep_program *prog;
    cep_callbacks      cb;
    cep_stats          stats;
    uint32_t           now;       /* engine clock */
    uint32_t           t0;        /* first clock value (watchdog reference) */
    uint8_t            started;
    uint32_t           step;      /* incremented per accepted sample */
    float             *slots;     /* n_slots */
    uint32_t          *src_step;  /* per source: step of its last update */
    uint32_t          *last_seen; /* per input: time of its last sample */
    uint32_t          *win_step;  /* per window: step of its last emission */
    cep_win_state     *wins;
    cep_feat_state    *feats;
    cep_model_state   *models;
    cep_event_state   *events;
    cep_rule_state    *rules;
    float             *fft;       /* 2 * largest FFT */
    float             *occ_caps;  /* largest event capture count */
    char              *msg;       /* largest msg_cap */
    cep_match_event   *mev;       /* largest max_len */
    size_t             size;      /* storage bytes */
};

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
/* format.c: renders rule r's message for a completed run into ctx->msg. */
size_t cep_message_render(cep_ctx *ctx, uint16_t r, const cep_run *run);

#endif /* CEP_INTERNAL_H */
