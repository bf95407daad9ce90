/*
** program.h — the compiled rule program executed by the CEP engine.
**
** A program is plain data: flat tables of fixed-size records that refer to
** each other by index (never by pointer), so that the compiler can emit it as
** `static const` C tables and serialise it into an image unchanged.  The only
** pointers are in cep_program itself, one per table; an image loader fills
** them with the addresses of the image's sections.
**
** Value slots.  Everything an expression can read lives in one array of
** float "value slots": each input component, each feature output, each model
** output.  Input, feature and model records name their first slot; the
** compiler allocates slots contiguously.  A slot holds NaN until its producer
** has run for the first time ("not available yet").
**
** Sources.  Inputs, features and models are "sources" numbered in one space:
** input i is source i, feature f is source n_inputs + f, model m is source
** n_inputs + n_features + m.  Models and events list the sources they depend
** on (in `refs`); they are evaluated in a step only when one of them was
** updated in that step.
**
** Lists.  Every variable-length list (dependencies, model input slots,
** capture expressions) is a range [first, first + count) of the one uint16
** table `refs`.
**
** The runtime semantics are documented in docs/program.md; cep_init()
** validates every index and range below before the program is used.
*/
#ifndef CEP_PROGRAM_H
#define CEP_PROGRAM_H

#include <stdint.h>
#include <stddef.h>
#include <stdbool.h>

/* Bumped on every incompatible change of the records below. */
#define CEP_PROGRAM_VERSION 2u

/* "No index" in any uint16 index field; CEP_NOREG in 8-bit register fields. */
#define CEP_NONE  0xFFFFu
#define CEP_NOREG 0xFFu

/* Capacity limits checked by cep_init() (and by the compiler first). */
#define CEP_MAX_INPUTS      64u   /* inputs per program */
#define CEP_MAX_DIMS        16u   /* components per input sample */
#define CEP_MAX_STACK       16u   /* expression evaluation stack depth */
#define CEP_MAX_REGS         4u   /* time registers per pattern run */
#define CEP_MAX_KOFN        32u   /* n of "in k of n" */
#define CEP_MAX_ANOMALY_DIM 32u   /* features of one anomaly model */
#define CEP_MAX_FFT       4096u   /* FFT length */
#define CEP_MAX_MODEL_IO  1024u   /* inputs or outputs of one tflite model */

/* ------------------------------------------------------------------ inputs */

/* X(name, bytes per component in the raw sample) */
#define CEP_INPUT_TYPE_LIST(X) \
    X(CEP_IN_I8,   1)          \
    X(CEP_IN_I16,  2)          \
    X(CEP_IN_I32,  4)          \
    X(CEP_IN_F32,  4)          \
    X(CEP_IN_BOOL, 1)

typedef enum cep_input_type {
#define CEP_X(name, bytes) name,
    CEP_INPUT_TYPE_LIST(CEP_X)
#undef CEP_X
    CEP_IN_COUNT_
} cep_input_type;

typedef struct cep_input_desc {
    uint8_t  type;        /* cep_input_type */
    uint8_t  dims;        /* components per sample, 1..CEP_MAX_DIMS */
    uint16_t slot;        /* first of `dims` value slots */
    float    scale;       /* real value = raw * scale (integer types; 1 for f32/bool) */
    uint32_t period_us;   /* nominal sample period, 0 = event-driven (informative only) */
    uint16_t name;        /* index into names[] */
    uint16_t pad_;
} cep_input_desc;

/* ----------------------------------------------------------------- windows */

/* A window buffers one component of one input.  Count windows hold the last
** `size` samples and emit every `hop` samples once full (tumbling: hop ==
** size).  Time windows hold the samples with t > now - span_ms (at most `cap`
** of them; more are dropped oldest-first and counted) and emit when
** hop_ms has passed since the previous emission (0: on every sample). */
#define CEP_WIN_TIME 0x01u   /* flags: time window (else count window) */

typedef struct cep_window_desc {
    uint16_t input;       /* input index */
    uint8_t  comp;        /* component of that input */
    uint8_t  flags;       /* CEP_WIN_* */
    uint16_t cap;         /* ring capacity in samples (count windows: == size) */
    uint16_t hop;         /* count windows: samples between emissions, 1..size */
    uint32_t span_ms;     /* time windows: length */
    uint32_t hop_ms;      /* time windows: emission period (0 = every sample) */
} cep_window_desc;

/* ---------------------------------------------------------------- features */

/* X(name, source, outputs) — source W: over a window, S: per sample of an
** input component (stream feature).  outputs 1, or B: n_out (band count).
** Parameters (p0): EWMA alpha in (0,1]; SLOPE count windows: sample period
** in s (0: per sample); DOMFREQ: width of one FFT bin in Hz. */
#define CEP_FEATURE_LIST(X)          \
    X(CEP_F_MEAN,     "mean",     W) \
    X(CEP_F_RMS,      "rms",      W) \
    X(CEP_F_STD,      "std",      W) \
    X(CEP_F_MIN,      "min",      W) \
    X(CEP_F_MAX,      "max",      W) \
    X(CEP_F_P2P,      "p2p",      W) \
    X(CEP_F_KURTOSIS, "kurtosis", W) \
    X(CEP_F_SKEWNESS, "skewness", W) \
    X(CEP_F_CREST,    "crest",    W) \
    X(CEP_F_ZCROSS,   "zero_crossings", W) \
    X(CEP_F_SLOPE,    "slope",    W) \
    X(CEP_F_BANDS,    "band_energy", W) \
    X(CEP_F_DOMFREQ,  "dominant_freq", W) \
    X(CEP_F_EWMA,     "ewma",     S) \
    X(CEP_F_DELTA,    "delta",    S) \
    X(CEP_F_RATE,     "rate",     S)

typedef enum cep_feature_kind {
#define CEP_X(name, str, src) name,
    CEP_FEATURE_LIST(CEP_X)
#undef CEP_X
    CEP_F_COUNT_
} cep_feature_kind;

/* A stream feature (S) whose comp is this reads an earlier scalar feature
** (features[src], src < its own index) instead of an input component: it
** updates whenever that feature does, e.g. `rate(ewma(temp))`. */
#define CEP_FEAT_OF_FEATURE 0xFFu

typedef struct cep_feature_desc {
    uint8_t  kind;        /* cep_feature_kind */
    uint8_t  comp;        /* stream features: input component, or CEP_FEAT_OF_FEATURE */
    uint16_t src;         /* window index (W); input index (S), or with comp ==
                             CEP_FEAT_OF_FEATURE an earlier scalar feature */
    uint16_t slot;        /* first output slot */
    uint16_t n_out;       /* outputs: 1, or the band count for CEP_F_BANDS */
    uint32_t twiddle;     /* BANDS/DOMFREQ: index into consts[] of N/2 cos then N/2 sin */
    float    p0;          /* parameter, see CEP_FEATURE_LIST */
} cep_feature_desc;

/* ------------------------------------------------------------------ models */

#define CEP_MODEL_KIND_LIST(X) \
    X(CEP_M_TFLITE)            \
    X(CEP_M_ANOMALY)

typedef enum cep_model_kind {
#define CEP_X(name) name,
    CEP_MODEL_KIND_LIST(CEP_X)
#undef CEP_X
    CEP_M_COUNT_
} cep_model_kind;

/* Output slots, relative to cep_model_desc.slot:
**   TFLITE : +0 class, +1 score, +2 error, +3.. prob[n_out], then raw[n_out]
**   ANOMALY: +0 score (T^2), +1 zmax, +2 learning (0/1), +3.. z[n_in]        */
#define CEP_MS_CLASS    0u
#define CEP_MS_SCORE    0u
#define CEP_MS_TSCORE   1u
#define CEP_MS_ZMAX     1u
#define CEP_MS_ERROR    2u
#define CEP_MS_LEARNING 2u
#define CEP_MS_VEC      3u

typedef struct cep_model_desc {
    uint8_t  kind;        /* cep_model_kind */
    uint8_t  pad_;
    uint16_t ext;         /* TFLITE: model id passed to the infer callback */
    uint16_t in_first;    /* refs[]: input vector as value-slot indices */
    uint16_t n_in;
    uint16_t n_out;       /* TFLITE: output length */
    uint16_t slot;        /* first output slot (layout above) */
    uint16_t dep_first;   /* refs[]: sources that trigger a run */
    uint16_t dep_count;
    float    in_scale;    /* TFLITE: input quantization (q = round(x/scale) + zp) */
    int32_t  in_zp;
    float    out_scale;   /* TFLITE: output dequantization ((q - zp) * scale) */
    int32_t  out_zp;
    uint32_t learn_ms;    /* ANOMALY: learning period */
    float    ridge;       /* ANOMALY: ridge factor, see docs/program.md */
} cep_model_desc;

/* ------------------------------------------------------------- expressions */

/* X(name, stack effect: pops, pushes).  Operands: a (8 bit), b (16 bit).
**  CONST  b: consts[b]          LOAD   b: value slot b
**  CAP    a: capture index, b: event — capture a of the latest occurrence of
**         event b in the current match (candidate first); NaN if none
**  CAPT   b: event — time of that occurrence in s relative to the first
**         event of the match; NaN if none
**  PARAM  the parameter of the event being evaluated
**  Truth: a value is true iff it is non-zero and not NaN.  Comparisons are
**  IEEE (false if either side is NaN) and push 1 or 0. */
#define CEP_OPCODE_LIST(X) \
    X(CEP_OP_CONST, 0, 1)  \
    X(CEP_OP_LOAD,  0, 1)  \
    X(CEP_OP_CAP,   0, 1)  \
    X(CEP_OP_CAPT,  0, 1)  \
    X(CEP_OP_PARAM, 0, 1)  \
    X(CEP_OP_ADD,   2, 1)  \
    X(CEP_OP_SUB,   2, 1)  \
    X(CEP_OP_MUL,   2, 1)  \
    X(CEP_OP_DIV,   2, 1)  \
    X(CEP_OP_NEG,   1, 1)  \
    X(CEP_OP_ABS,   1, 1)  \
    X(CEP_OP_MIN,   2, 1)  \
    X(CEP_OP_MAX,   2, 1)  \
    X(CEP_OP_LT,    2, 1)  \
    X(CEP_OP_LE,    2, 1)  \
    X(CEP_OP_GT,    2, 1)  \
    X(CEP_OP_GE,    2, 1)  \
    X(CEP_OP_EQ,    2, 1)  \
    X(CEP_OP_NE,    2, 1)  \
    X(CEP_OP_AND,   2, 1)  \
    X(CEP_OP_OR,    2, 1)  \
    X(CEP_OP_NOT,   1, 1)

typedef enum cep_opcode {
#define CEP_X(name, pops, pushes) name,
    CEP_OPCODE_LIST(CEP_X)
#undef CEP_X
    CEP_OP_COUNT_
} cep_opcode;

typedef struct cep_insn {
    uint8_t  op;          /* cep_opcode */
    uint8_t  a;
    uint16_t b;
} cep_insn;

/* An expression is code[first .. first+len); its value is the single value
** left on the stack. */
typedef struct cep_expr {
    uint16_t first;
    uint16_t len;
} cep_expr;

/* ------------------------------------------------------------------ events */

/* Event kinds: PRED is a predicate pipeline
**     raw = pred  →  [k of n]  →  [for for_ms]  →  [clear when]  →  active
** WATCH fires when `input` has been silent for for_ms (watchdog). */
#define CEP_EV_PRED  0u
#define CEP_EV_WATCH 1u

/* Flags. RISE: an occurrence when `active` turns true (else on every
** evaluation while active).  PRIOR: the first evaluation only sets the
** level ("becomes" needs a previous value of the other polarity). */
#define CEP_EVF_RISE  0x01u
#define CEP_EVF_PRIOR 0x02u

typedef struct cep_event_desc {
    uint8_t  kind;        /* CEP_EV_* */
    uint8_t  flags;       /* CEP_EVF_* */
    uint8_t  k, n;        /* in k of n (n = 0: no debounce); 1 <= k <= n <= 32 */
    uint16_t pred;        /* expression index (PRED) */
    uint16_t clear;       /* expression index, or CEP_NONE: clear when !pred */
    uint16_t dep_first;   /* refs[]: sources that trigger an evaluation */
    uint16_t dep_count;
    uint16_t cap_first;   /* refs[]: expressions captured at each occurrence */
    uint16_t cap_count;
    uint16_t input;       /* WATCH: the watched input */
    uint16_t name;        /* names[] index */
    uint32_t for_ms;      /* PRED: `for` duration (0: none); WATCH: timeout */
    float    param;       /* value of CEP_OP_PARAM (parameterised event family) */
} cep_event_desc;

/* ---------------------------------------------------------------- patterns */

/* Pattern automaton states.  A run sits in one state.
**  WAIT  : waits for one of its transitions; if dl_reg is set, the run is
**          dropped once now - reg[dl_reg] > dl_ms (nothing can match any more)
**  NEG   : like WAIT, and when now - reg[dl_reg] >= dl_ms the run moves to
**          `timeout` at time reg[dl_reg] + dl_ms (negation window closes)
**  ACCEPT: the match is complete. */
#define CEP_PS_WAIT   0u
#define CEP_PS_NEG    1u
#define CEP_PS_ACCEPT 2u

typedef struct cep_pstate {
    uint8_t  kind;        /* CEP_PS_* */
    uint8_t  dl_reg;      /* register of the deadline, or CEP_NOREG */
    uint16_t tr_first;    /* transitions [tr_first, tr_first + tr_count) */
    uint16_t tr_count;
    uint16_t timeout;     /* NEG: state entered when the window closes */
    uint32_t dl_ms;
} cep_pstate;

/* KILL: the occurrence ends the run (negated event seen). */
#define CEP_PT_KILL 0x01u

typedef struct cep_ptrans {
    uint16_t event;       /* event index */
    uint16_t guard;       /* expression index, or CEP_NONE */
    uint16_t next;        /* target state */
    uint8_t  flags;       /* CEP_PT_* */
    uint8_t  set_reg;     /* register set to the occurrence time, or CEP_NOREG */
    uint8_t  chk_reg;     /* require t - reg[chk_reg] <= chk_ms, or CEP_NOREG */
    uint8_t  chk2_reg;    /* a second check (nested `within`), or CEP_NOREG */
    uint8_t  pad_[2];
    uint32_t chk_ms;
    uint32_t chk2_ms;
} cep_ptrans;

/* ------------------------------------------------------------------- rules */

#define CEP_SEVERITY_LIST(X)     \
    X(CEP_SEV_INFO,     "info")     \
    X(CEP_SEV_WARNING,  "warning")  \
    X(CEP_SEV_ERROR,    "error")    \
    X(CEP_SEV_CRITICAL, "critical")

typedef enum cep_severity {
#define CEP_X(name, str) name,
    CEP_SEVERITY_LIST(CEP_X)
#undef CEP_X
    CEP_SEV_COUNT_
} cep_severity;

/* Selection policies (docs/program.md §patterns), in the low bits of
** cep_rule_desc.policy; CEP_POL_ALL is a flag on top: report every
** completed match (overlapping matches allowed), not only the first. */
#define CEP_POLICY_LIST(X)   \
    X(CEP_POL_NEXT,   "skip_till_next_match") \
    X(CEP_POL_STRICT, "strict_contiguity")    \
    X(CEP_POL_ANY,    "skip_till_any_match")

typedef enum cep_policy {
#define CEP_X(name, str) name,
    CEP_POLICY_LIST(CEP_X)
#undef CEP_X
    CEP_POL_COUNT_
} cep_policy;

#define CEP_POL_ALL  0x80u   /* flag: every completed match is reported */
#define CEP_POL_MASK 0x7fu   /* the cep_policy part */

/* Message parts: literal text, a number, or a name looked up by value. */
#define CEP_MP_TEXT 0u    /* strings[a .. a+len) */
#define CEP_MP_NUM  1u    /* expression a, `prec` decimals (CEP_PREC_AUTO: see docs) */
#define CEP_MP_NAME 2u    /* expression a rounded to an index into names[len .. len+n) */
#define CEP_PREC_AUTO 0xFFu

/* How a CEP_MP_NUM part is shown: the conversion (`{x:e}`) in the low bits
** of cep_msgpart.n, printf's flags above it, the width in cep_msgpart.len
** (at most CEP_FMT_MAX_WIDTH) and the precision in prec: decimals for f, e
** and g (significant digits for g), the minimum number of digits for d and
** x; CEP_PREC_AUTO for none (f: as the value needs; d, x: at least one
** digit, and the '0' flag pads, which a precision turns off, as in printf).  A value is rounded half away from zero from its exact decimal
** expansion; x shows the rounded value in hexadecimal, '-' before it when
** negative (docs/program.md §8). */
#define CEP_FMT_LIST(X) \
    X(CEP_FMT_F, 'f')   \
    X(CEP_FMT_D, 'd')   \
    X(CEP_FMT_E, 'e')   \
    X(CEP_FMT_G, 'g')   \
    X(CEP_FMT_X, 'x')

typedef enum cep_fmt_conv {
#define CEP_X(name, c) name,
    CEP_FMT_LIST(CEP_X)
#undef CEP_X
    CEP_FMT_COUNT_
} cep_fmt_conv;

#define CEP_FMT_CONV   0x000fu   /* cep_fmt_conv */
#define CEP_FMT_MINUS  0x0010u   /* '-': pad on the right */
#define CEP_FMT_PLUS   0x0020u   /* '+': a sign on positive values too */
#define CEP_FMT_SPACE  0x0040u   /* ' ': a space where the sign would be */
#define CEP_FMT_ZERO   0x0080u   /* '0': pad with zeros after the sign */
#define CEP_FMT_ALT    0x0100u   /* '#': keep '.' and g's zeros; 0x for x */
#define CEP_FMT_FLAGS  0x01f0u
#define CEP_FMT_MAX_WIDTH 64u

typedef struct cep_msgpart {
    uint8_t  kind;        /* CEP_MP_* */
    uint8_t  prec;        /* CEP_MP_NUM: 0..9 or CEP_PREC_AUTO (not with e, g) */
    uint16_t a;           /* TEXT: strings[] offset; NUM, NAME: expression */
    uint16_t len;         /* TEXT: bytes; NUM: width; NAME: first names[] index */
    uint16_t n;           /* NUM: CEP_FMT_* conversion and flags; NAME: count */
} cep_msgpart;

typedef struct cep_rule_desc {
    uint16_t start;       /* pattern start state (its transitions start runs) */
    uint8_t  policy;      /* cep_policy, | CEP_POL_ALL */
    uint8_t  severity;    /* cep_severity */
    uint8_t  max_runs;    /* partial-match pool size, >= 1 */
    uint8_t  max_len;     /* events recorded per match, >= 1 */
    uint8_t  n_regs;      /* time registers per run, <= CEP_MAX_REGS */
    uint8_t  max_caps;    /* >= cap_count of every event the pattern names */
    uint16_t msg_first;   /* msgparts[] range */
    uint16_t msg_count;
    uint16_t msg_cap;     /* rendered message buffer size, bytes (incl. NUL) */
    uint16_t name;        /* names[] index */
    uint16_t st_first;    /* the rule's automaton: states [st_first, st_first+st_count) */
    uint16_t st_count;
    uint16_t limit_n;     /* at most limit_n alerts per limit_ms (0: no limit) */
    uint32_t limit_ms;
    uint32_t cooldown_ms; /* no alert within cooldown_ms after an alert */
} cep_rule_desc;

/* A name: strings[off .. off+len). */
typedef struct cep_name {
    uint16_t off;
    uint16_t len;
} cep_name;

/* ----------------------------------------------------------------- program */

typedef struct cep_program {
    uint32_t version;                 /* CEP_PROGRAM_VERSION */
    uint16_t n_slots;                 /* value slots */
    uint16_t n_inputs, n_windows, n_features, n_models, n_events, n_rules;
    uint16_t n_states, n_trans, n_exprs, n_msgparts, n_names;
    uint32_t n_code, n_consts, n_refs, n_strings;
    const cep_input_desc   *inputs;
    const cep_window_desc  *windows;
    const cep_feature_desc *features;
    const cep_model_desc   *models;
    const cep_event_desc   *events;
    const cep_rule_desc    *rules;
    const cep_pstate       *states;
    const cep_ptrans       *trans;
    const cep_expr         *exprs;
    const cep_insn         *code;
    const cep_msgpart      *msgparts;
    const cep_name         *names;
    const float            *consts;
    const uint16_t         *refs;
    const char             *strings;
} cep_program;

#endif /* CEP_PROGRAM_H */
