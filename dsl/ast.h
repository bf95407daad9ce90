/*
** ast.h — internal to the front end: the arena, the parse context shared by
** lexer and parser, and the AST constructors the grammar actions call.
**
** Every node is allocated in the module's arena, so a tree is freed in one
** go and no recursive free exists.  Lists being built by the parser are heap
** arrays (struct ast_list) until a constructor copies them into the arena;
** the parser's %destructor frees the lists it discards during error recovery.
**
** Nesting: every constructor computes the node's depth; a node deeper than
** DSL_MAX_NESTING is reported once ("nested too deeply (limit is N)") and
** replaced by an ERROR leaf, so no tree is ever deeper than the limit + 1.
*/
#ifndef DSL_AST_H
#define DSL_AST_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dsl/dsl.h"

/* ------------------------------------------------------------ arena */

struct dsl_arena;
struct dsl_arena *ast_arena_new(void);
void ast_arena_free(struct dsl_arena *a);
void *ast_alloc(struct dsl_arena *a, size_t n);          /* zeroed; never NULL */
const char *ast_strndup(struct dsl_arena *a, const char *s, size_t n);
const char *ast_strdup(struct dsl_arena *a, const char *s);
const char *ast_printf(struct dsl_arena *a, const char *fmt, ...);

/* ------------------------------------------------------------ lists */

struct ast_list {
    void **items;
    uint32_t n, cap;
    struct dsl_span span;
};
struct ast_list *ast_list_new(void *first, struct dsl_span span);
struct ast_list *ast_list_add(struct ast_list *l, void *item, struct dsl_span span);
void ast_list_free(struct ast_list *l);

/* ------------------------------------------------------------ diagnostics */

struct dsl_diag;
void diag_set_source(struct dsl_diag *d, const char *file, const char *buf, size_t len);
/* Records an error at span; returns its handle for notes, or -1 when the
** error cap is reached (the caller may stop). */
int diag_error(struct dsl_diag *d, struct dsl_span at, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
int diag_verror(struct dsl_diag *d, int severity, struct dsl_span at, const char *fmt, va_list ap);
void diag_note(struct dsl_diag *d, int handle, struct dsl_span at, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;
/* An error with no position (I/O): "file: error: message". */
void diag_error_file(struct dsl_diag *d, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
bool diag_full(const struct dsl_diag *d);
/* 1-based line of a byte offset (for "at line N" in messages). */
uint32_t diag_line(const struct dsl_diag *d, uint32_t offset);

/* Levenshtein distance, capped: returns cap+1 when larger. */
unsigned ast_edit_distance(const char *a, const char *b, unsigned cap);

/* ------------------------------------------------------------ parse context */

/* An identifier list item (class names, bindings, parameters). */
struct ast_ident {
    const char *name;
    struct dsl_span span;
};

/* The construct the lexer last opened, for "(to close 'rule' at line 3)". */
struct ast_opener {
    const char *what;      /* "rule", "(", … */
    uint32_t offset;
};

struct dsl_parse {
    struct dsl_arena *arena;
    struct dsl_diag *diag;
    const char *buf;
    size_t len;
    struct dsl_module *mod;
    struct ast_list *decls;            /* declarations as parsed */
    /* module and budget statements */
    const char *module_name;
    struct dsl_span module_span;
    int module_count;
    struct dsl_span first_module_span;
    struct dsl_quantity budget_ram, budget_flash;
    bool has_ram, has_flash;
    /* lexer state */
    uint32_t offset;                   /* bytes consumed */
    struct ast_opener decl_open;       /* current declaration keyword */
    struct ast_opener brackets[DSL_MAX_NESTING + 1];
    uint32_t nbrackets;                /* may exceed the array: counted only */
    bool too_deep_reported;            /* reported for the current statement */
    bool stop;                         /* error cap reached: lexer returns EOF */
    bool after_semicolon;              /* reset openers before the next token */
    /* error recovery: a declaration keyword that caused a syntax error is
    ** given back to the parser after a synthetic ';' (see dsl_yylex) */
    int replay_token;                  /* 0 = none */
    struct dsl_span replay_span;
    int replay_stage;                  /* 1: ';' next, 2: the keyword next */
    /* the name after the last declaration keyword, and the names of
    ** declarations lost to syntax errors (sema does not call them undefined) */
    bool expect_name;
    struct ast_ident decl_name;
    struct ast_list *broken;
    /* parsing one expression (message captures): see ast_parse_expr */
    int start_token;                   /* token the lexer returns first, or 0 */
    bool in_capture;
    struct dsl_expr *expr_result;
    size_t full_len;                   /* len of the whole buffer */
    /* string literal being lexed */
    char *sbuf;
    size_t slen, scap;
    uint32_t sstart;
};

/* ------------------------------------------------------------ constructors */

typedef struct dsl_parse ast_ctx;

struct dsl_expr *ast_number(ast_ctx *P, struct dsl_span at, double v, const char *unit);
struct dsl_expr *ast_bool(ast_ctx *P, struct dsl_span at, int v);
struct dsl_expr *ast_name(ast_ctx *P, struct dsl_span at, const char *name);
struct dsl_expr *ast_member(ast_ctx *P, struct dsl_span at, struct dsl_expr *obj,
                            const char *name, struct dsl_span name_at);
struct dsl_expr *ast_index(ast_ctx *P, struct dsl_span at, struct dsl_expr *obj, struct dsl_expr *ix);
struct dsl_expr *ast_call(ast_ctx *P, struct dsl_span at, const char *name, struct dsl_span name_at,
                          struct ast_list *args);
struct dsl_expr *ast_unary(ast_ctx *P, struct dsl_span at, enum dsl_op op, struct dsl_expr *a);
struct dsl_expr *ast_binary(ast_ctx *P, struct dsl_span at, enum dsl_op op, struct dsl_expr *a,
                            struct dsl_expr *b);
struct dsl_expr *ast_repeat(ast_ctx *P, struct dsl_span at, struct dsl_expr *a, double lo,
                            double hi, bool has_hi);
struct dsl_expr *ast_within(ast_ctx *P, struct dsl_span at, struct dsl_expr *a, struct dsl_quantity *d);
struct dsl_expr *ast_absent(ast_ctx *P, struct dsl_span at, const char *input, struct dsl_span input_at,
                            struct dsl_quantity *d);
struct dsl_expr *ast_label(ast_ctx *P, struct dsl_span at, const char *name, struct dsl_span name_at,
                           struct dsl_expr *a);
struct dsl_expr *ast_window_expr(ast_ctx *P, struct dsl_span at, struct dsl_expr *src,
                                 struct dsl_winspec *w);
struct dsl_expr *ast_error(ast_ctx *P, struct dsl_span at);

struct dsl_quantity *ast_quantity(ast_ctx *P, struct dsl_span at, double v, const char *unit);
struct dsl_winspec *ast_winspec(ast_ctx *P, struct dsl_span at, enum dsl_win_kind kind, bool over,
                                struct dsl_quantity *size, struct dsl_quantity *hop);
struct dsl_winspec *ast_winspec_max(ast_ctx *P, struct dsl_span at, struct dsl_winspec *w,
                                    struct dsl_quantity *max);

/* Strings from the lexer: unescaped value + the raw span (quotes included). */
struct ast_string {
    const char *value;
    struct dsl_span span;
};

struct ast_type {
    const char *name, *elem;  /* "f32" / "vec3" + "i16" */
    struct dsl_span span;
};
struct ast_type *ast_type_new(ast_ctx *P, struct dsl_span at, const char *name, const char *elem);

/* Optional input clauses collected before the declaration is built. */
struct ast_input_opts {
    struct dsl_quantity *rate, *scale;
    const char *unit;
    struct dsl_span unit_span;
};
struct ast_input_opts *ast_input_opts_new(ast_ctx *P);
struct ast_input_opts *ast_input_rate(ast_ctx *P, struct ast_input_opts *o, struct dsl_quantity *q);
struct ast_input_opts *ast_input_scale(ast_ctx *P, struct ast_input_opts *o, struct dsl_quantity *q);
struct ast_input_opts *ast_input_unit(ast_ctx *P, struct ast_input_opts *o, const char *u,
                                      struct dsl_span at);
const char *ast_unit_join(ast_ctx *P, const char *a, const char *b);

struct ast_ident *ast_ident(ast_ctx *P, struct dsl_span at, const char *name);

/* Event clauses. */
struct ast_event_opts {
    enum dsl_edge edge;
    struct dsl_quantity *dur;
    double k, n;
    struct dsl_span kn_span;
    struct dsl_expr *clear;
};
struct ast_event_opts *ast_event_opts_new(ast_ctx *P);
struct ast_event_opts *ast_event_for(ast_ctx *P, struct ast_event_opts *o, struct dsl_quantity *d);
struct ast_event_opts *ast_event_kn(ast_ctx *P, struct ast_event_opts *o, struct dsl_span from,
                                    struct dsl_span to, double k, double n);
struct ast_event_opts *ast_event_clear(ast_ctx *P, struct ast_event_opts *o, struct dsl_expr *c);

/* Rule clauses. */
struct ast_rule_opts {
    struct dsl_rule r;
    bool has_limit, has_cooldown, has_select, has_matches;
};
struct ast_rule_opts *ast_rule_opts_new(ast_ctx *P);
struct ast_rule_opts *ast_rule_limit(ast_ctx *P, struct ast_rule_opts *o, struct dsl_span at, double n,
                                     struct dsl_quantity *per);
struct ast_rule_opts *ast_rule_cooldown(ast_ctx *P, struct ast_rule_opts *o, struct dsl_quantity *d);
struct ast_rule_opts *ast_rule_select(ast_ctx *P, struct ast_rule_opts *o, struct dsl_span at,
                                      const char *policy, const char *consume);
struct ast_rule_opts *ast_rule_matches(ast_ctx *P, struct ast_rule_opts *o, struct dsl_span at, double n);

/* Declarations: each appends to P->decls (returns nothing useful). */
void ast_module(ast_ctx *P, struct dsl_span at, const char *name, struct dsl_span name_at);
void ast_budget(ast_ctx *P, struct dsl_span at, const char *what, struct dsl_quantity *q);
void ast_input(ast_ctx *P, struct dsl_span at, struct ast_ident *name, struct ast_type *t,
               struct ast_input_opts *o);
void ast_window(ast_ctx *P, struct dsl_span at, struct ast_ident *name, struct dsl_expr *src,
                struct dsl_winspec *w);
void ast_feature(ast_ctx *P, struct dsl_span at, struct ast_ident *name, struct dsl_expr *call);
/* `classes [..]`, `outputs N` or `reconstruction`. */
struct ast_model_out {
    enum dsl_model_out kind;
    struct ast_list *classes;
    struct dsl_quantity *nvalues;
    struct dsl_span span;
};
struct ast_model_out *ast_model_out(ast_ctx *P, struct dsl_span at, enum dsl_model_out kind,
                                    struct ast_list *classes, struct dsl_quantity *n);
void ast_model_tflite(ast_ctx *P, struct dsl_span at, struct ast_ident *name, struct ast_string *path,
                      struct ast_list *inputs, struct ast_model_out *out);
void ast_model_anomaly(ast_ctx *P, struct dsl_span at, struct ast_ident *name, struct ast_list *inputs,
                       struct dsl_quantity *learn);
void ast_event(ast_ctx *P, struct dsl_span at, struct ast_ident *name, struct ast_list *params,
               struct dsl_expr *cond, struct ast_event_opts *o);
struct ast_event_opts *ast_event_edge(ast_ctx *P, struct ast_event_opts *o, struct dsl_span at,
                                      int rising);
void ast_rule(ast_ctx *P, struct dsl_span at, struct ast_ident *name, struct dsl_expr *pattern,
              struct dsl_expr *where, struct ast_ident *severity, struct ast_string *msg,
              struct ast_rule_opts *o);

/* After a syntax error in a declaration: remembers its name if it was lost. */
void ast_decl_broken(ast_ctx *P);

/* Parses buf into P->decls; returns false only if parsing was aborted. */
bool ast_parse(ast_ctx *P);
/* Parses buf[start, end) as one expression (a message capture), with
** locations in the whole buffer; NULL after a syntax error (reported). */
struct dsl_expr *ast_parse_expr(ast_ctx *P, uint32_t start, uint32_t end);
void ast_expr_result(ast_ctx *P, struct dsl_expr *e);

/* Lexer entry for the keyword table (dsl/tokens.h): token code or -1. */
int ast_keyword_token(const char *s, size_t n);

#endif /* DSL_AST_H */
