/*
** builder.h — host-side construction of CEP programs (cep/program.h).
**
** The lowering from the checked AST and the engine's unit tests both build
** programs through this API, so they never touch table layout, slot
** numbering, dependency lists, twiddle tables or the per-rule sizes
** (max_len, max_caps, n_regs, msg_cap), which cep_b_finish() computes.
**
** Every cep_b_* function that creates something returns its index (or
** CEP_NONE on error; the first error is kept, see cep_b_error()).
** Expressions can be built instruction by instruction (cep_b_expr_begin /
** cep_b_op / cep_b_expr_end) or from a reverse-Polish string (cep_b_rpn):
**   number          constant          s<N>       value slot N
**   cap<E>.<I>      capture I of the latest occurrence of event E in the match
**   capt<E>         time of that occurrence (s since the first matched event)
**   param           the parameter of the event being evaluated
**   + - * / neg abs min max < <= > >= == != and or not
** e.g. "s0 85 >", "s3 s4 max 2.5 <=", "cap1.0 cap0.0 >".
**
** Host code (libc, malloc, stdio).  The program returned by cep_b_finish() points
** into the builder and stays valid until cep_b_free().
*/
#ifndef CEP_COMPILE_BUILDER_H
#define CEP_COMPILE_BUILDER_H

#include <stdint.h>
#include <stddef.h>
#include <stdbool.h>
#include <stdio.h>

#include "cep/program.h"

typedef struct cep_builder cep_builder;

cep_builder *cep_b_new(void);
void cep_b_free(cep_builder *b);
/* The first error ("" if none). */
const char *cep_b_error(const cep_builder *b);

/* A name in the string pool (names[] index). */
uint16_t cep_b_name(cep_builder *b, const char *s);

/* ---- inputs, windows, features; *_slot give value-slot indices ---- */
uint16_t cep_b_input(cep_builder *b, const char *name, cep_input_type type, unsigned dims,
                     float scale, uint32_t period_us);
uint16_t cep_b_input_slot(const cep_builder *b, uint16_t input, unsigned comp);
uint16_t cep_b_window_count(cep_builder *b, uint16_t input, unsigned comp, unsigned size, unsigned hop);
uint16_t cep_b_window_time(cep_builder *b, uint16_t input, unsigned comp, uint32_t span_ms,
                           uint32_t hop_ms, unsigned cap);
/* Window features (MEAN .. SLOPE, DOMFREQ); p0 as in CEP_FEATURE_LIST. */
uint16_t cep_b_feature(cep_builder *b, cep_feature_kind kind, uint16_t window, float p0);
/* Band energies over a count window of power-of-two size (twiddles added). */
uint16_t cep_b_bands(cep_builder *b, uint16_t window, unsigned bands);
/* EWMA / DELTA / RATE of one input component. */
uint16_t cep_b_stream(cep_builder *b, cep_feature_kind kind, uint16_t input, unsigned comp, float p0);
/* EWMA / DELTA / RATE of an earlier scalar feature (e.g. rate(ewma(x))):
** updated each time that feature is. */
uint16_t cep_b_stream_feature(cep_builder *b, cep_feature_kind kind, uint16_t feature, float p0);
uint16_t cep_b_feature_slot(const cep_builder *b, uint16_t feature, unsigned i);

/* ---- models: inputs are value slots; dependencies follow from them ---- */
uint16_t cep_b_tflite(cep_builder *b, uint16_t ext, const uint16_t *in_slots, unsigned n_in,
                      unsigned n_out, float in_scale, int32_t in_zp, float out_scale, int32_t out_zp);
uint16_t cep_b_anomaly(cep_builder *b, const uint16_t *in_slots, unsigned n_in, uint32_t learn_ms,
                       float ridge);
/* Slot of output `which` (CEP_MS_*) or of vector element i (which = CEP_MS_VEC + i;
** tflite raw[i] is CEP_MS_VEC + n_out + i). */
uint16_t cep_b_model_slot(const cep_builder *b, uint16_t model, unsigned which);

/* ---- expressions ---- */
void cep_b_expr_begin(cep_builder *b);
void cep_b_op(cep_builder *b, cep_opcode op, uint8_t a, uint16_t x);
void cep_b_const(cep_builder *b, float v);
uint16_t cep_b_expr_end(cep_builder *b);
uint16_t cep_b_rpn(cep_builder *b, const char *rpn);

/* ---- events: dependencies are the producers of the slots that pred and
** clear load ---- */
uint16_t cep_b_event(cep_builder *b, const char *name, uint16_t pred, unsigned flags);
void cep_b_event_for(cep_builder *b, uint16_t e, uint32_t ms);
void cep_b_event_clear(cep_builder *b, uint16_t e, uint16_t clear_expr);
void cep_b_event_kofn(cep_builder *b, uint16_t e, unsigned k, unsigned n);
void cep_b_event_param(cep_builder *b, uint16_t e, float param);
void cep_b_event_capture(cep_builder *b, uint16_t e, uint16_t expr);
uint16_t cep_b_watchdog(cep_builder *b, const char *name, uint16_t input, uint32_t ms);

/* ---- rules and their automata ---- */
/* Starts a rule; states created until the next cep_b_rule belong to it. */
uint16_t cep_b_rule(cep_builder *b, const char *name, cep_severity sev);
uint16_t cep_b_state(cep_builder *b, unsigned kind);
void cep_b_rule_start(cep_builder *b, uint16_t rule, uint16_t state);
/* WAIT state: run dropped when now - reg > ms.  NEG state: window closes at
** reg + ms, the run then goes to `timeout`. */
void cep_b_state_deadline(cep_builder *b, uint16_t state, unsigned reg, uint32_t ms);
void cep_b_state_neg(cep_builder *b, uint16_t state, unsigned reg, uint32_t ms, uint16_t timeout);
/* Transition; set_reg/chk_reg CEP_NOREG for none; guard CEP_NONE for none. */
void cep_b_trans(cep_builder *b, uint16_t from, uint16_t event, uint16_t to, uint16_t guard,
                 unsigned set_reg, unsigned chk_reg, uint32_t chk_ms, unsigned flags);
/* Selection policy; all: report every completed match (CEP_POL_ALL). */
void cep_b_rule_policy(cep_builder *b, uint16_t rule, cep_policy pol, bool all);
void cep_b_rule_pool(cep_builder *b, uint16_t rule, unsigned max_runs);
void cep_b_rule_limit(cep_builder *b, uint16_t rule, unsigned n, uint32_t per_ms);
void cep_b_rule_cooldown(cep_builder *b, uint16_t rule, uint32_t ms);
void cep_b_msg_text(cep_builder *b, uint16_t rule, const char *text);
/* The value of expr as a number: precision prec (0..9, or CEP_PREC_AUTO
** with CEP_FMT_F), width (<= CEP_FMT_MAX_WIDTH), fmt the CEP_FMT_*
** conversion and flags (cep/program.h). */
void cep_b_msg_num(cep_builder *b, uint16_t rule, uint16_t expr, unsigned prec, unsigned width,
                   unsigned fmt);
/* The value of expr, rounded, names one of names[first .. first+n). */
void cep_b_msg_name(cep_builder *b, uint16_t rule, uint16_t expr, uint16_t first, unsigned n);
/* Text with {RPN} or {RPN:.Nf} / {RPN:d} placeholders. */
void cep_b_msg_template(cep_builder *b, uint16_t rule, const char *tmpl);

/* ---- pattern shortcuts over the state API ---- */
/* A rule whose pattern is the single event e (also watchdogs). */
void cep_b_pat_single(cep_builder *b, uint16_t rule, uint16_t e);
/* e[0] then e[1] then … then e[n-1], all within `within_ms` of the first. */
void cep_b_pat_seq(cep_builder *b, uint16_t rule, const uint16_t *e, unsigned n, uint32_t within_ms);

/* Adds a second `within` check to the transition added last (nested scopes). */
void cep_b_trans_check2(cep_builder *b, unsigned chk_reg, uint32_t chk_ms);
/* Records an error (the first one is kept); returns CEP_NONE. */
uint16_t cep_b_fail(cep_builder *b, const char *fmt, ...);

/* ---- pattern compiler: build a tree, compile it into the current rule ----
** Nodes are allocated by these calls and consumed by cep_b_pattern (which
** frees the whole tree, also on error).  A NULL argument propagates (an
** allocation or earlier error) and makes cep_b_pattern fail.
** The tree is expanded into its alternatives (linear sequences of steps:
** `or` and `{n,m}` enumerate, `and` enumerates the interleavings of its two
** sides), which are merged into a prefix tree — one automaton state per
** distinct prefix, transitions in alternative order, so on a shared event
** the earlier alternative wins; an alternative that completes at a state
** makes it ACCEPT (shortest match).  Limits: 64 alternatives, 32 steps
** each, 4 time anchors, 2 `within` checks per step. */
typedef struct cep_pat cep_pat;
/* One occurrence of event e, with an optional guard (CEP_NONE). */
cep_pat *cep_bp_event(cep_builder *b, uint16_t e, uint16_t guard);
/* a then c */
cep_pat *cep_bp_seq(cep_builder *b, cep_pat *a, cep_pat *c);
/* a then c, c's first event within ms of a's last */
cep_pat *cep_bp_after(cep_builder *b, cep_pat *a, cep_pat *c, uint32_t ms);
cep_pat *cep_bp_or(cep_builder *b, cep_pat *a, cep_pat *c);
/* a and c in any order (their steps interleaved) */
cep_pat *cep_bp_and(cep_builder *b, cep_pat *a, cep_pat *c);
/* a{n,m}, 1 <= n <= m */
cep_pat *cep_bp_repeat(cep_builder *b, cep_pat *a, unsigned n, unsigned m);
/* every event of a within ms of a's first event */
cep_pat *cep_bp_within(cep_builder *b, cep_pat *a, uint32_t ms);
/* `not e within ms`: no occurrence of e (passing guard) during
** [t, t + ms) where t is the time of the step before it; must follow a step
** (use it as the right side of cep_bp_seq). */
cep_pat *cep_bp_not(cep_builder *b, uint16_t e, uint16_t guard, uint32_t ms);
/* Compiles p into the automaton of `rule` (the rule created last). */
bool cep_b_pattern(cep_builder *b, uint16_t rule, cep_pat *p);

/* Computes the derived sizes, checks, and fills *out.  false on error. */
bool cep_b_finish(cep_builder *b, cep_program *out);

/* Flash bytes of p's tables (records and strings; the same on host and
** target, the records hold no pointers), excluding the cep_program header
** (15 pointers and the counts) and the TFLite models. */
size_t cep_program_table_bytes(const cep_program *p);

/* Writes p as C source (static const tables and `const cep_program
** <name>_program`), byte-identical for the same program; `name` must be a
** C identifier.  false on a write error or a non-finite float constant. */
bool cep_emit_c(const cep_program *p, const char *name, FILE *out);

#endif /* CEP_COMPILE_BUILDER_H */
