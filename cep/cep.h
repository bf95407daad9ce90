/*
** cep.h — the CEP engine: executes a compiled rule program (cep/program.h)
** over timestamped sensor samples and reports alerts.
**
** The engine owns no memory.  cep_state_size() gives the exact number of
** bytes a program needs (every window buffer, feature state, event state,
** partial-match pool and alert scratch); the caller provides that storage,
** 8-byte aligned, to cep_init().  All work per call is bounded by the
** program's sizes (docs/program.md gives the worst case).
**
** Time is event time in milliseconds, uint32, compared by signed difference,
** so it may wrap around; durations must be below 2^31 ms (24.8 days).
** Samples must be pushed in non-decreasing time order across all inputs;
** older samples are rejected (RT_ERR_TIME) and counted, samples with a NaN
** or infinite component are rejected (RT_ERR_VALUE) and counted.
**
** Device code: freestanding C11, no heap, no stdio, no libm.
*/
#ifndef CEP_CEP_H
#define CEP_CEP_H

#include <stdint.h>
#include <stddef.h>
#include <stdbool.h>

#include "cep/program.h"
#include "runtime/rt_status.h"

/* One matched event of an alert: which event, when, and the values it
** captured (cep_event_desc.cap_first/cap_count). */
typedef struct cep_match_event {
    uint16_t     event;
    uint16_t     n_caps;
    uint32_t     t_ms;
    const float *caps;
} cep_match_event;

/* An alert; every pointer is valid only during the callback. */
typedef struct cep_alert {
    uint16_t               rule;
    uint8_t                severity;   /* cep_severity */
    uint32_t               t_ms;       /* time of the event that completed the match */
    const char            *msg;        /* rendered message, NUL-terminated */
    size_t                 msg_len;
    uint16_t               n_events;
    const cep_match_event *events;     /* in match order */
} cep_alert;

typedef struct cep_callbacks {
    /* Called for every alert (after rate limit and cooldown). May be NULL. */
    void (*alert)(void *user, const cep_alert *a);
    /* Runs tflite model `model` (cep_model_desc.ext) on n_in int8 values,
    ** writing n_out int8 values.  Required when the program has tflite
    ** models; a non-RT_OK return leaves the model's outputs NaN and counts
    ** an inference error. */
    rt_status (*infer)(void *user, uint16_t model, const int8_t *in, size_t n_in,
                       int8_t *out, size_t n_out);
    void *user;
} cep_callbacks;

/* Per-rule counters. */
typedef struct cep_rule_stats {
    uint32_t matches;      /* completed matches */
    uint32_t alerts;       /* alerts delivered */
    uint32_t suppressed;   /* matches suppressed by limit or cooldown */
    uint32_t overflow;     /* runs dropped because the pool was full, or too long */
    uint32_t expired;      /* runs dropped because their `within` ran out */
} cep_rule_stats;

typedef struct cep_stats {
    uint32_t samples;          /* accepted samples */
    uint32_t rejected_time;    /* samples older than the engine clock */
    uint32_t rejected_value;   /* samples with a NaN/Inf component */
    uint32_t window_overflow;  /* time-window samples dropped for capacity */
    uint32_t inferences;       /* model runs */
    uint32_t infer_errors;     /* infer callback failures */
    uint32_t alerts;           /* alerts delivered, all rules */
} cep_stats;

typedef struct cep_ctx cep_ctx;

/* Bytes of storage `prog` needs (context included); 0 if the program is
** malformed (cep_init would reject it). */
size_t cep_state_size(const cep_program *prog);

/* Parts of the static memory plan (for reports: tinycep check --report). */
#define CEP_RAM_LIST(X)                   \
    X(CEP_RAM_CONTEXT, "context")         \
    X(CEP_RAM_VALUES,  "values")          \
    X(CEP_RAM_WINDOW,  "window")          \
    X(CEP_RAM_FEATURE, "feature")         \
    X(CEP_RAM_MODEL,   "model")           \
    X(CEP_RAM_EVENT,   "event")           \
    X(CEP_RAM_RULE,    "rule")            \
    X(CEP_RAM_SCRATCH, "scratch")

typedef enum cep_ram_kind {
#define CEP_X(name, str) name,
    CEP_RAM_LIST(CEP_X)
#undef CEP_X
    CEP_RAM_COUNT_
} cep_ram_kind;

/* Bytes of the state that belong to one object (window, feature, model,
** event or rule `index`), or to the shared blocks (context; values = value
** slots and per-source bookkeeping; scratch), alignment padding included.
** The parts add up to cep_state_size(); the same on host and Cortex-M.
** 0 if the program is malformed or index out of range. */
size_t cep_state_size_of(const cep_program *prog, cep_ram_kind kind, uint16_t index);

/* Every object's cep_state_size_of() in one layout pass (a report over N
** objects would otherwise lay the state out N times).  parts[] is ordered as
** CEP_RAM_LIST: context, values, then each window, feature, model, event and
** rule by index, then scratch.  Returns the number of parts; fills parts only
** when n_parts is at least that (call with NULL, 0 to size it).  0 if the
** program is malformed. */
size_t cep_state_size_parts(const cep_program *prog, size_t *parts, size_t n_parts);

/* Validates `prog` (every index, range and count) and lays out the engine
** state in `storage` (size bytes, 8-byte aligned).  *ctx_out points into
** storage.  Errors: RT_ERR_ARG, RT_ERR_VERSION, RT_ERR_FORMAT, RT_ERR_NOMEM. */
rt_status cep_init(cep_ctx **ctx_out, const cep_program *prog, void *storage, size_t size,
                   const cep_callbacks *cb);

/* Back to the state right after cep_init (windows empty, anomaly models
** learning again, counters zero). */
void cep_reset(cep_ctx *ctx);

/* Pushes one sample of `input` at time t_ms.  `raw` holds dims components of
** the input's type (int8/int16/int32/float/bool as uint8 0/1).
** RT_ERR_RANGE: no such input; RT_ERR_TIME: t_ms before the clock;
** RT_ERR_VALUE: a component is NaN/Inf.  Rejected samples change nothing
** but a counter. */
rt_status cep_push(cep_ctx *ctx, uint16_t input, uint32_t t_ms, const void *raw);

/* Typed helpers: check the input's type and call cep_push (RT_ERR_ARG on a
** type mismatch). */
rt_status cep_push_f32(cep_ctx *ctx, uint16_t input, uint32_t t_ms, const float *v);
rt_status cep_push_i8(cep_ctx *ctx, uint16_t input, uint32_t t_ms, const int8_t *v);
rt_status cep_push_i16(cep_ctx *ctx, uint16_t input, uint32_t t_ms, const int16_t *v);
rt_status cep_push_i32(cep_ctx *ctx, uint16_t input, uint32_t t_ms, const int32_t *v);
rt_status cep_push_bool(cep_ctx *ctx, uint16_t input, uint32_t t_ms, bool v);

/* Advances the clock to t_ms without a sample: fires `for` durations,
** watchdogs, negation windows and drops expired runs.  RT_ERR_TIME if t_ms
** is before the clock. */
rt_status cep_tick(cep_ctx *ctx, uint32_t t_ms);

/* Counters, and the per-rule counters of rule `r` (NULL if out of range). */
const cep_stats *cep_stats_get(const cep_ctx *ctx);
const cep_rule_stats *cep_rule_stats_get(const cep_ctx *ctx, uint16_t r);

/* A partial match, for explanations (`--explain`). */
typedef struct cep_partial {
    uint16_t state;        /* automaton state it waits in */
    uint16_t n_events;     /* occurrences matched so far */
    uint16_t last_event;   /* the latest of them */
    uint16_t pad_;
    uint32_t t_first;      /* time of the first and of the latest */
    uint32_t t_last;
} cep_partial;

/* Copies up to max partial matches of rule r, oldest first; returns how
** many rule r has (which may exceed max). */
size_t cep_rule_partials(const cep_ctx *ctx, uint16_t r, cep_partial *out, size_t max);

/* The text of name `name` of the program (names[] index: rule, event and
** input names, class names); *len gets its length.  "" if out of range. */
const char *cep_program_name(const cep_program *prog, uint16_t name, size_t *len);

/* Occurrences of event e so far (0 if out of range). */
uint32_t cep_event_count(const cep_ctx *ctx, uint16_t e);

/* Current value of a value slot (NaN if out of range or not available). */
float cep_slot_get(const cep_ctx *ctx, uint16_t slot);

/* Formats v with `prec` decimals (0..9; CEP_PREC_AUTO: as an integer when
** integral and |v| < 1e9, else 3 decimals), correctly rounded
** (half away from zero), "nan", "inf", "-inf".  Writes at most cap-1 bytes
** plus NUL; returns the length written.  Same bytes on every platform. */
size_t cep_format_float(char *buf, size_t cap, float v, unsigned prec);

/* The same with a conversion and flags (fmt: CEP_FMT_* of cep/program.h),
** a width (at most CEP_FMT_MAX_WIDTH) and a precision (0..9, or
** CEP_PREC_AUTO: none, see cep_msgpart): what an alert message's `{x:+08.3e}`
** shows.  Results are printf's for the same format, except that ties are
** rounded away from zero, no "-0" is shown, and x takes the rounded value
** (with '-' when negative). */
size_t cep_format_number(char *buf, size_t cap, float v, unsigned prec, unsigned width,
                         unsigned fmt);

/* Names of severities, feature kinds (for tools and messages). */
const char *cep_severity_name(unsigned sev);

/* Checks that an expression is well formed: every operand in range, the
** stack never under- or overflows, exactly one value left. */
rt_status cep_expr_check(const cep_program *prog, uint16_t expr);

#endif /* CEP_CEP_H */
