/*
** dsl.h — the public interface of the rule language front end.
**
** The front end reads a `.cep` file, parses it (dsl/lexer.l, dsl/parser.y
** into the AST built by dsl/ast.c), checks it (dsl/sema.c) and reports every
** problem through one diagnostics sink (dsl/diag.c).  What it hands on is a
** *checked module*: the AST below, with every name resolved to its
** declaration, every expression typed, every duration in integer
** milliseconds, every rate in Hz, every window capacity in samples and every
** feature output size known.  The lowering stage (windows, features, models,
** events and pattern automata → runtime program) reads only this header.
**
** Reading a checked module
** ------------------------
** `struct dsl_module` lists the declarations in source order (`decls`) and,
** per kind, in arrays (`inputs`, `windows`, …) whose order is also source
** order; `decl->index` is the position in its kind's array, so lowering can
** number runtime objects by it.  Windows written inline inside a feature
** (`rms(current over 1 s)`) appear in `windows` as anonymous windows named
** "<feature>.window", just before the feature that owns them.
**
** Expressions (`struct dsl_expr`) are trees whose kinds come from
** DSL_EXPR_LIST below; the comment on each kind says which fields it uses.
** A checked module contains only the kinds marked "checked"; the "parse"
** kinds exist between parsing and checking.  Every tree is at most
** DSL_MAX_NESTING deep, so recursive walks are safe.
**
** Values are either *signals* (typed values that exist at every instant:
** inputs, features, model outputs, and arithmetic/comparisons over them) or
** *patterns* (type DSL_TYPE_PATTERN: things that occur at instants: events,
** sequences, repetitions …).  Event conditions are signal expressions of type
** bool; rule patterns are pattern trees whose leaves are DSL_EXPR_EVENT,
** DSL_EXPR_COND (an inline condition acting as an anonymous event) and
** DSL_EXPR_ABSENT (a watchdog).
**
** All memory of a module (nodes, strings, arrays) lives in one arena that
** dsl_module_free() releases.
*/
#ifndef DSL_DSL_H
#define DSL_DSL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ------------------------------------------------------------ limits */

/* Deepest expression/pattern tree (and bracket nesting) accepted.  Deeper
** input gets "nested too deeply (limit is 200)"; every recursive walk over
** the AST is bounded by this. */
#define DSL_MAX_NESTING 200
/* Largest window, in samples. */
#define DSL_MAX_WINDOW 65536u
/* Largest number of in-flight partial matches per rule (`matches N`). */
#define DSL_MAX_MATCHES 64u
/* In-flight partial matches per rule when `matches` is not given. */
#define DSL_DEFAULT_MATCHES 8u
/* Longest duration: time is a wrap-safe 32-bit millisecond counter, so two
** instants may be compared only when less than 2^31 ms apart (~24.8 days). */
#define DSL_MAX_DURATION_MS 2147483647u
/* Errors stored per run; the front end stops after this many. */
#define DSL_MAX_ERRORS 50u
/* Most elements in a vector input, classes in a model, bands in an FFT. */
#define DSL_MAX_VECTOR 4096u

/* A byte range [start, end) in the source buffer.  Turned into line:column
** only when printing (diag.c). */
struct dsl_span {
    uint32_t start, end;
};

/* ------------------------------------------------------------ types */

enum dsl_type_kind {
    DSL_TYPE_ERROR = 0, /* not yet known, or an error was reported */
    DSL_TYPE_BOOL,
    DSL_TYPE_NUMBER,    /* a scalar (computed in float) */
    DSL_TYPE_VECTOR,    /* `len` numbers */
    DSL_TYPE_CLASS,     /* one of the classes of `model` */
    DSL_TYPE_PATTERN    /* something that occurs: events and patterns */
};

struct dsl_type {
    enum dsl_type_kind kind;
    uint32_t len;                 /* DSL_TYPE_VECTOR: element count (>= 1) */
    const struct dsl_decl *model; /* DSL_TYPE_CLASS: the model whose classes */
    const char *unit;             /* declared unit ("degC", "g", "degC/s"), or NULL
                                     for dimensionless / unknown */
};

/* ------------------------------------------------------------ enumerations */

/* Input element types: X(ID, "spelling", bytes per element). */
#define DSL_ELEM_LIST(X) \
    X(I8, "i8", 1)       \
    X(I16, "i16", 2)     \
    X(I32, "i32", 4)     \
    X(F32, "f32", 4)     \
    X(BOOL, "bool", 1)

enum dsl_elem {
#define DSL_X_(id, s, b) DSL_ELEM_##id,
    DSL_ELEM_LIST(DSL_X_)
#undef DSL_X_
    DSL_ELEM_COUNT_
};

/* What a feature function reads. */
enum dsl_fsrc {
    DSL_FSRC_WINDOW, /* a window (named, or inline `x over 1 s`) */
    DSL_FSRC_STREAM  /* a scalar stream: an input (component) or a feature */
};
/* The extra argument a feature function takes. */
enum dsl_farg {
    DSL_FARG_NONE,
    DSL_FARG_BANDS, /* whole number of FFT bands, 1..capacity/2 */
    DSL_FARG_ALPHA  /* smoothing factor, 0 < alpha <= 1 */
};
/* The unit of a feature's value given the unit u of its source. */
enum dsl_funit {
    DSL_FUNIT_SAME,    /* u */
    DSL_FUNIT_NONE,    /* dimensionless */
    DSL_FUNIT_PER_S,   /* u/s */
    DSL_FUNIT_SQUARED, /* u^2 */
    DSL_FUNIT_HZ       /* Hz */
};

/* Feature functions: X(ID, "name", source, extra argument, unit, state)
** where state is "O(1)" or "O(n)" in the window capacity — documentation for
** the lowering; the feature's output is a number except band_energy, a
** vector of `bands` numbers. */
#define DSL_FEATURE_LIST(X)                                                    \
    X(MEAN, "mean", WINDOW, NONE, SAME, "O(1)")                                \
    X(RMS, "rms", WINDOW, NONE, SAME, "O(1)")                                  \
    X(STD, "std", WINDOW, NONE, SAME, "O(1)")                                  \
    X(MIN, "min", WINDOW, NONE, SAME, "O(n)")                                  \
    X(MAX, "max", WINDOW, NONE, SAME, "O(n)")                                  \
    X(P2P, "p2p", WINDOW, NONE, SAME, "O(n)")                                  \
    X(KURTOSIS, "kurtosis", WINDOW, NONE, NONE, "O(1)")                        \
    X(SKEWNESS, "skewness", WINDOW, NONE, NONE, "O(1)")                        \
    X(CREST, "crest", WINDOW, NONE, NONE, "O(n)")                              \
    X(ZERO_CROSSINGS, "zero_crossings", WINDOW, NONE, NONE, "O(1)")            \
    X(SLOPE, "slope", WINDOW, NONE, PER_S, "O(1)")                             \
    X(BAND_ENERGY, "band_energy", WINDOW, BANDS, SQUARED, "O(n)")              \
    X(DOMINANT_FREQ, "dominant_freq", WINDOW, NONE, HZ, "O(n)")                \
    X(EWMA, "ewma", STREAM, ALPHA, SAME, "O(1)")                               \
    X(DELTA, "delta", STREAM, NONE, SAME, "O(1)")                              \
    X(RATE, "rate", STREAM, NONE, PER_S, "O(1)")

enum dsl_func {
#define DSL_X_(id, name, src, arg, unit, state) DSL_FUNC_##id,
    DSL_FEATURE_LIST(DSL_X_)
#undef DSL_X_
    DSL_FUNC_COUNT_
};

/* Operators of DSL_EXPR_UNARY / DSL_EXPR_BINARY: X(ID, "spelling"). */
#define DSL_OP_LIST(X) \
    X(NEG, "-")        \
    X(NOT, "not")      \
    X(ADD, "+")        \
    X(SUB, "-")        \
    X(MUL, "*")        \
    X(DIV, "/")        \
    X(EQ, "==")        \
    X(NE, "!=")        \
    X(LT, "<")         \
    X(LE, "<=")        \
    X(GT, ">")         \
    X(GE, ">=")        \
    X(AND, "and")      \
    X(OR, "or")        \
    X(THEN, "then")

enum dsl_op {
#define DSL_X_(id, s) DSL_OP_##id,
    DSL_OP_LIST(DSL_X_)
#undef DSL_X_
    DSL_OP_COUNT_
};

/* Model outputs (DSL_EXPR_MODEL_OUT.out), written `m.class`, `m.score`,
** `m.prob[c]`, `m.value`, `m.value[i]`, `m.ready`. */
enum dsl_mout {
    DSL_MOUT_CLASS, /* class enum: the arg-max class (tflite with classes) */
    DSL_MOUT_SCORE, /* number: probability of that class; for `reconstruction`
                       models the reconstruction error; for anomaly models the
                       anomaly score (0 while learning) */
    DSL_MOUT_PROB,  /* number: probability of class `ival` (always >= 0 in a
                       checked module: `m.prob` must be indexed by a class) */
    DSL_MOUT_VALUE, /* raw dequantized output: element `ival` (a checked
                       condition or message never uses the whole vector) */
    DSL_MOUT_READY  /* bool: anomaly model has finished learning */
};

/* Alert severities: X(ID, "spelling"). */
#define DSL_SEVERITY_LIST(X) \
    X(INFO, "info")          \
    X(WARNING, "warning")    \
    X(ERROR, "error")        \
    X(CRITICAL, "critical")

enum dsl_severity {
#define DSL_X_(id, s) DSL_SEV_##id,
    DSL_SEVERITY_LIST(DSL_X_)
#undef DSL_X_
    DSL_SEV_COUNT_
};

/* Event selection policies (`select POLICY`): X(ID, "spelling"). */
#define DSL_POLICY_LIST(X) \
    X(NEXT, "next")        \
    X(ANY, "any")          \
    X(STRICT, "strict")

enum dsl_policy {
#define DSL_X_(id, s) DSL_POLICY_##id,
    DSL_POLICY_LIST(DSL_X_)
#undef DSL_X_
    DSL_POLICY_COUNT_
};

/* ------------------------------------------------------------ expressions */

/* Expression and pattern node kinds.  X(ID) — fields used, and whether the
** kind survives checking.  "a", "b" are children; see struct dsl_expr. */
#define DSL_EXPR_LIST(X)                                                       \
    X(ERROR)     /* parse: a node replaced after an error */                   \
    X(NUMBER)    /* checked: num; unit = literal unit ("85 degC") or NULL */   \
    X(BOOL)      /* checked: ival 0 or 1 */                                    \
    X(NAME)      /* parse: name */                                             \
    X(MEMBER)    /* parse: a . name */                                         \
    X(CALL)      /* parse: name ( args ) */                                    \
    X(WINDOW)    /* parse: inline window, a + win (only as a call argument) */ \
    X(LABEL)     /* parse: name : a */                                         \
    X(INDEX)     /* checked: a [ b ]; a is a vector FEATURE (band_energy), \
                    b a constant NUMBER; ival = the index (0-based, < len).   \
                    Indexes of inputs and model outputs are folded into      \
                    their ival instead */                                      \
    X(UNARY)     /* checked: op (NEG, NOT) a — signals only */                 \
    X(BINARY)    /* checked: a op b — arithmetic, comparison, and/or on       \
                    signals (never THEN) */                                    \
    X(INPUT)     /* checked: decl = input; ival = component or -1 = whole */   \
    X(FEATURE)   /* checked: decl = feature */                                 \
    X(MODEL_OUT) /* checked: decl = model; out; ival (see enum dsl_mout) */    \
    X(CLASS)     /* checked: constant class ival of model decl */              \
    X(PARAM)     /* checked: parameter ival of event decl (in its condition) */\
    X(CAPTURE)   /* checked: in `where` and messages: value of signal a       \
                    (INPUT, FEATURE, MODEL_OUT or, for an event parameter,    \
                    PARAM) at the occurrence bound to label ival */           \
    X(EVENT)     /* checked pattern leaf: decl = event; args[] = constant     \
                    CLASS/NUMBER/BOOL per parameter; label or -1 */           \
    X(COND)      /* checked pattern leaf: inline condition a (bool signal),   \
                    an anonymous event occurring when a becomes true; label */\
    X(ABSENT)    /* checked pattern leaf: watchdog, occurs when input decl    \
                    has received no sample for ms */                          \
    X(SEQ)       /* checked pattern: a then b */                               \
    X(ALL)       /* checked pattern: a and b, in any order */                  \
    X(ANY)       /* checked pattern: a or b */                                 \
    X(REPEAT)    /* checked pattern: a occurs ival..ival2 times (a{n}, a{n,m}) */\
    X(NOT)       /* checked pattern: a does not occur (and is not active)      \
                    before the enclosing `within` bound expires */            \
    X(WITHIN)    /* checked pattern: a completes within ms of its first event */

enum dsl_expr_kind {
#define DSL_X_(id) DSL_EXPR_##id,
    DSL_EXPR_LIST(DSL_X_)
#undef DSL_X_
    DSL_EXPR_COUNT_
};

/* A number with an optional unit as written: `10 s`, `1600 Hz`, `16 KB`. */
struct dsl_quantity {
    double value;
    const char *unit;     /* NULL when no unit was written */
    struct dsl_span span; /* the number and its unit */
};

enum dsl_win_kind { DSL_WIN_SLIDING, DSL_WIN_TUMBLING };

/* A window specification as written (declaration or inline). */
struct dsl_winspec {
    enum dsl_win_kind kind;
    bool over;                   /* written `over D` (sliding, hop 1 sample) */
    struct dsl_quantity size;    /* count (no unit) or duration */
    struct dsl_quantity hop;     /* sliding only; value 0 = not written */
    struct dsl_quantity maxcount;/* `max N`; value 0 = not written */
    struct dsl_span span;
};

struct dsl_expr {
    enum dsl_expr_kind kind;
    enum dsl_op op;          /* UNARY, BINARY */
    struct dsl_span span;    /* the whole expression in the source */
    struct dsl_type type;    /* set by sema on every checked node */
    struct dsl_expr *a, *b;  /* children */
    struct dsl_expr **args;  /* CALL, EVENT: arguments */
    uint32_t nargs;
    const char *name;        /* NAME, MEMBER, CALL, LABEL */
    struct dsl_span name_span;
    double num;              /* NUMBER */
    const char *unit;        /* NUMBER: literal unit or NULL */
    int32_t ival, ival2;     /* see the kinds */
    uint32_t ms;             /* WITHIN, ABSENT: duration in ms */
    enum dsl_mout out;       /* MODEL_OUT */
    int32_t label;           /* EVENT, COND: index in rule's labels, or -1 */
    struct dsl_decl *decl;   /* resolved declaration (see the kinds) */
    struct dsl_quantity qty; /* WITHIN, ABSENT as written */
    struct dsl_winspec *win; /* WINDOW */
    uint16_t depth;          /* tree depth, <= DSL_MAX_NESTING + 1 */
};

/* ------------------------------------------------------------ declarations */

enum dsl_decl_kind {
    DSL_DECL_INPUT,
    DSL_DECL_WINDOW,
    DSL_DECL_FEATURE,
    DSL_DECL_MODEL,
    DSL_DECL_EVENT,
    DSL_DECL_RULE
};

/* `input NAME : TYPE [@ RATE] [scale K] [unit U];` */
struct dsl_input {
    enum dsl_elem elem;
    uint32_t len;           /* 1 for scalars, N for vecN<T> */
    double rate_hz;         /* nominal sample rate; 0 = event-driven */
    double scale;           /* value = raw * scale (integer types); 1 otherwise */
    const char *unit;       /* NULL if none */
    /* as written */
    const char *type_name, *elem_name;
    struct dsl_span type_span;
    struct dsl_quantity rate; /* value 0 when not written */
    bool has_rate, has_scale;
    struct dsl_span scale_span, unit_span;
};

/* `window NAME = SOURCE sliding N [hop M] | tumbling N | over D [max K];` */
struct dsl_window {
    struct dsl_decl *input;   /* the input it samples */
    int32_t component;        /* element of a vector input, or -1 (scalar input) */
    enum dsl_win_kind kind;
    bool by_time;             /* size given as a duration */
    uint32_t size_ms, hop_ms; /* by_time: as written, in ms (hop_ms 0 = 1 sample) */
    uint32_t capacity;        /* samples held: count, ceil(ms * rate / 1000), or
                                 `max` for event-driven inputs */
    uint32_t hop;             /* samples between two results (>= 1); tumbling:
                                 == capacity.  Time windows over event-driven
                                 inputs: 1, and hop_ms says when results come
                                 (== size_ms for tumbling, 0 = every sample) */
    bool anonymous;           /* written inline in a feature */
    struct dsl_decl *owner;   /* anonymous: the feature it belongs to */
    /* as written */
    struct dsl_expr *source;
    struct dsl_winspec spec;
};

/* `feature NAME = FUNC(SOURCE [, ARG]);` */
struct dsl_feature {
    enum dsl_func func;
    struct dsl_decl *window;  /* DSL_FSRC_WINDOW: its window */
    struct dsl_decl *source;  /* DSL_FSRC_STREAM: the input or feature read */
    int32_t component;        /* stream input component, or -1 */
    double arg;               /* bands (whole number) or alpha; 0 if none */
    struct dsl_type type;     /* NUMBER or VECTOR(bands); unit */
    struct dsl_expr *call;    /* as written */
};

enum dsl_model_kind { DSL_MODEL_TFLITE, DSL_MODEL_ANOMALY };
enum dsl_model_out { DSL_MOUTS_CLASSES, DSL_MOUTS_VALUES, DSL_MOUTS_RECONSTRUCTION };

/* One name in a model's `input [...]` list. */
struct dsl_binding {
    const char *name;       /* as written */
    struct dsl_decl *decl;  /* the input or feature */
    uint32_t len;           /* elements it contributes (vector length or 1) */
    struct dsl_span span;
};

/* One class name.  A class is referenced by its index. */
struct dsl_class {
    const char *name;
    struct dsl_span span;
};

/* `model NAME = tflite "FILE" input [..] (classes [..] | outputs N | reconstruction);`
** `model NAME = anomaly [..] learn D;` */
struct dsl_model {
    enum dsl_model_kind kind;
    struct dsl_binding *inputs;  /* concatenated in this order */
    uint32_t ninputs;
    uint32_t input_size;         /* sum of the bindings' len */
    /* tflite */
    const char *path;            /* as written */
    const char *file;            /* resolved against the rule file's directory */
    struct dsl_span path_span;
    enum dsl_model_out outputs;
    struct dsl_class *classes;   /* DSL_MOUTS_CLASSES */
    uint32_t nclasses;
    uint32_t nvalues;            /* DSL_MOUTS_VALUES: `outputs N` */
    struct dsl_quantity nvalues_q;
    struct dsl_span outputs_span;
    /* anomaly */
    uint32_t learn_ms;
    struct dsl_quantity learn;
};

struct dsl_param {
    const char *name;
    struct dsl_span span;
    struct dsl_type type; /* inferred from the condition: CLASS, NUMBER, BOOL */
};

enum dsl_edge { DSL_EDGE_NONE, DSL_EDGE_RISE, DSL_EDGE_FALL };

/* `event NAME[(P, ..)] when COND [becomes true|false] [for D] [in K of N]
**   [clear when COND];` */
struct dsl_event {
    struct dsl_param *params;
    uint32_t nparams;
    struct dsl_expr *cond;   /* bool signal */
    enum dsl_edge edge;      /* RISE: occurs when cond goes false→true, FALL:
                                true→false; NONE: occurs when cond becomes true
                                (after `for`/`in`) and stays active while true */
    uint32_t for_ms;         /* cond must hold this long; 0 = not given */
    uint32_t k, n;           /* `in K of N` samples; 0 = not given */
    struct dsl_expr *clear;  /* hysteresis: stays active until clear holds;
                                NULL = until cond is false */
    struct dsl_quantity for_q;
    struct dsl_span kn_span;
};

/* A label in a rule pattern (`a: spike`) whose values are captured. */
struct dsl_label {
    const char *name;
    struct dsl_span span;
    struct dsl_expr *node;   /* the EVENT or COND leaf it names */
};

/* A piece of an alert message: literal text, or a capture `{expr:fmt}`. */
struct dsl_msgpart {
    const char *text;        /* literal (unescaped); NULL for a capture */
    struct dsl_expr *expr;   /* capture: a checked expression (CAPTURE nodes for
                                `label.x`) of type NUMBER, BOOL or CLASS */
    const char *fmt;         /* printf-like conversion without '%' ("" = default,
                                ".1f", "5d", "x", "e", "g") */
    struct dsl_span span;
};

/* `rule NAME when PATTERN [where COND] alert SEVERITY "MESSAGE" [limit N per D]
**   [cooldown D] [select next|any|strict [first|all]] [matches N];` */
struct dsl_rule {
    struct dsl_expr *pattern;    /* pattern tree (type PATTERN) */
    struct dsl_expr *where;      /* cross-event predicate over CAPTUREs, or NULL;
                                    evaluated once every label it names is bound */
    struct dsl_label *labels;
    uint32_t nlabels;
    enum dsl_severity severity;
    const char *message;         /* unescaped */
    struct dsl_msgpart *parts;
    uint32_t nparts;
    uint32_t limit_n, limit_ms;  /* at most limit_n alerts per limit_ms; 0 = none */
    uint32_t cooldown_ms;        /* silence after an alert; 0 = none */
    enum dsl_policy policy;      /* default NEXT (skip-till-next-match) */
    bool all_matches;            /* `all`: report every match; default first */
    uint32_t max_matches;        /* in-flight partial matches (default 8) */
    uint32_t within_ms;          /* top-level time bound; 0 for single events */
    uint32_t nevents;            /* event/condition leaves in the pattern */
    /* as written */
    const char *severity_name;
    struct dsl_span severity_span, message_span;
    struct dsl_quantity limit_per, cooldown;
    struct dsl_span limit_span, select_span, matches_span;
    const char *policy_name, *consume_name;
    double matches_q, limit_q;
};

struct dsl_decl {
    enum dsl_decl_kind kind;
    const char *name;
    struct dsl_span span;       /* the whole declaration */
    struct dsl_span name_span;
    uint32_t index;             /* position in its kind's array */
    union {
        struct dsl_input input;
        struct dsl_window window;
        struct dsl_feature feature;
        struct dsl_model model;
        struct dsl_event event;
        struct dsl_rule rule;
    } u;
};

/* ------------------------------------------------------------ module */

struct dsl_module {
    const char *name;           /* `module NAME;` or the file's stem */
    struct dsl_span name_span;
    const char *file;           /* path as given */
    const char *dir;            /* its directory ("." if none) */
    /* `budget ram N KB, flash N KB;` in bytes; 0 = not given.  Recorded only:
    ** the check against the memory plan happens in the lowering stage, which
    ** knows the sizes, and reports at budget_span. */
    uint64_t budget_ram, budget_flash;
    struct dsl_span budget_ram_span, budget_flash_span;

    struct dsl_decl **decls;    /* every declaration in source order */
    uint32_t ndecls;
    struct dsl_decl **inputs, **windows, **features, **models, **events, **rules;
    uint32_t ninputs, nwindows, nfeatures, nmodels, nevents, nrules;

    struct dsl_arena *arena;    /* owns all of the above */
};

/* ------------------------------------------------------------ diagnostics */

enum dsl_diag_severity { DSL_DIAG_ERROR, DSL_DIAG_WARNING, DSL_DIAG_NOTE };
enum dsl_diag_format { DSL_DIAG_TEXT, DSL_DIAG_JSON };

struct dsl_diag; /* a collection of diagnostics for one source file */

struct dsl_diag *dsl_diag_new(void);
void dsl_diag_free(struct dsl_diag *d);
/* Errors and warnings recorded (notes not counted). */
size_t dsl_diag_errors(const struct dsl_diag *d);
size_t dsl_diag_warnings(const struct dsl_diag *d);
/* Prints every diagnostic, then (text form) "N errors" when there are any.
** TEXT: `file:line:col: error: message`, the source line, a caret underline,
** then notes the same way.  JSON: one object per line with keys file, line,
** col, end_col, severity, message, notes (array of the same without notes).
** Columns count characters (a tab is one), from 1. */
void dsl_diag_print(const struct dsl_diag *d, void *stdio_file, enum dsl_diag_format fmt);

/* ------------------------------------------------------------ checking */

/* What a model resolver reports about a model file. */
struct dsl_model_info {
    uint32_t input_size;   /* elements of the model's input tensor */
    uint32_t output_count; /* elements of its output tensor */
};

/* Called by the checker for every `tflite` model whose file exists: fills
** *info from the file, or writes a message to err (errlen bytes) and returns
** non-zero.  The checker then compares the bindings' total size with
** input_size and the class count with output_count and reports mismatches at
** the model.  NULL (the default) skips these checks. */
typedef int (*dsl_model_resolver)(void *ctx, const struct dsl_decl *model,
                                  struct dsl_model_info *info, char *err, size_t errlen);

struct dsl_options {
    bool no_model_files;         /* skip the existence check of .tflite files */
    dsl_model_resolver resolve_model;
    void *resolver_ctx;
};

/* Status of dsl_check_*. */
enum dsl_status {
    DSL_OK = 0,       /* *out is a checked module */
    DSL_EINPUT = 1,   /* the input has errors; they are in d */
    DSL_EIO = 2       /* the file could not be read; an error naming it is in d */
};

/* Reads, parses and checks `path`.  opt may be NULL (defaults).  On DSL_OK
** *out receives the module (free with dsl_module_free); otherwise *out is
** NULL and d holds the diagnostics. */
enum dsl_status dsl_check_file(const char *path, const struct dsl_options *opt,
                               struct dsl_diag *d, struct dsl_module **out);
/* Same for a buffer of len bytes (need not be NUL-terminated; may contain
** NULs); `path` names it in diagnostics and locates model files. */
enum dsl_status dsl_check_buffer(const char *path, const char *buf, size_t len,
                                 const struct dsl_options *opt, struct dsl_diag *d,
                                 struct dsl_module **out);
void dsl_module_free(struct dsl_module *m);

/* Prints the checked module as text (dsl/dump.c): every declaration with its
** resolved and computed values, expressions as S-expressions. */
void dsl_module_dump(const struct dsl_module *m, void *stdio_file);

/* Spellings for the enumerations above (never NULL). */
const char *dsl_func_name(enum dsl_func f);
const char *dsl_elem_name(enum dsl_elem e);
const char *dsl_op_name(enum dsl_op op);
const char *dsl_severity_name(enum dsl_severity s);
const char *dsl_policy_name(enum dsl_policy p);
const char *dsl_expr_kind_name(enum dsl_expr_kind k);
/* "bool", "number", "vector(8)", "class of 'bearing'", "pattern" into buf. */
const char *dsl_type_str(const struct dsl_type *t, char *buf, size_t len);

#endif /* DSL_DSL_H */
