/*
** ast.c — AST construction: the arena, parser lists, and the constructors
** called by the grammar actions in parser.y.
**
** Constructors only record what was written (with spans); meaning is checked
** in sema.c.  The one check made here is the nesting limit: each expression
** node knows its depth, and a node that would exceed DSL_MAX_NESTING is
** reported once and replaced by a "poisoned" ERROR leaf, which keeps every
** later recursive walk (sema, printing) bounded.
*/
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dsl/ast.h"

/* ------------------------------------------------------------ arena */

struct arena_chunk {
    struct arena_chunk *next;
    size_t used, cap;
    max_align_t data[]; /* aligned storage */
};

struct dsl_arena {
    struct arena_chunk *head;
};

struct dsl_arena *ast_arena_new(void)
{
    struct dsl_arena *a = calloc(1, sizeof *a);
    if (a == NULL) {
        fputs("tinycep: out of memory\n", stderr);
        exit(2);
    }
    return a;
}

void ast_arena_free(struct dsl_arena *a)
{
    struct arena_chunk *c, *next;
    if (a == NULL)
        return;
    for (c = a->head; c != NULL; c = next) {
        next = c->next;
        free(c);
    }
    free(a);
}

void *ast_alloc(struct dsl_arena *a, size_t n)
{
    struct arena_chunk *c = a->head;
    size_t align = sizeof(max_align_t);
    void *p;
    n = (n + align - 1) / align * align;
    if (n == 0)
        n = align;
    if (c == NULL || c->cap - c->used < n) {
        size_t cap = n > 65536 ? n : 65536;
        c = malloc(sizeof *c + cap);
        if (c == NULL) {
            fputs("tinycep: out of memory\n", stderr);
            exit(2);
        }
        c->used = 0;
        c->cap = cap;
        c->next = a->head;
        a->head = c;
    }
    p = (char *)c->data + c->used;
    c->used += n;
    memset(p, 0, n);
    return p;
}

const char *ast_strndup(struct dsl_arena *a, const char *s, size_t n)
{
    char *p = ast_alloc(a, n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

const char *ast_strdup(struct dsl_arena *a, const char *s)
{
    return ast_strndup(a, s, strlen(s));
}

const char *ast_printf(struct dsl_arena *a, const char *fmt, ...)
{
    va_list ap;
    int n;
    char *p;
    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return "";
    p = ast_alloc(a, (size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return p;
}

/* ------------------------------------------------------------ lists */

struct ast_list *ast_list_new(void *first, struct dsl_span span)
{
    struct ast_list *l = calloc(1, sizeof *l);
    if (l == NULL) {
        fputs("tinycep: out of memory\n", stderr);
        exit(2);
    }
    l->span = span;
    return ast_list_add(l, first, span);
}

struct ast_list *ast_list_add(struct ast_list *l, void *item, struct dsl_span span)
{
    if (l->n == l->cap) {
        uint32_t cap = l->cap ? l->cap * 2 : 4;
        void **items = realloc(l->items, cap * sizeof *items);
        if (items == NULL) {
            fputs("tinycep: out of memory\n", stderr);
            exit(2);
        }
        l->items = items;
        l->cap = cap;
    }
    l->items[l->n++] = item;
    l->span.end = span.end;
    return l;
}

void ast_list_free(struct ast_list *l)
{
    if (l == NULL)
        return;
    free(l->items);
    free(l);
}

/* Moves a parser list into the arena; frees the list. */
static void **list_take(ast_ctx *P, struct ast_list *l, uint32_t *n)
{
    void **items = NULL;
    *n = 0;
    if (l == NULL)
        return NULL;
    items = ast_alloc(P->arena, (l->n ? l->n : 1) * sizeof *items);
    memcpy(items, l->items, l->n * sizeof *items);
    *n = l->n;
    ast_list_free(l);
    return items;
}

/* ------------------------------------------------------------ edit distance */

unsigned ast_edit_distance(const char *a, const char *b, unsigned cap)
{
    /* optimal string alignment: insert, delete, substitute, swap adjacent */
    size_t la = strlen(a), lb = strlen(b), i, j;
    unsigned r0[64], r1[64], r2[64], *pp = r0, *p = r1, *c = r2, *t;
    if (la >= 63 || lb >= 63)
        return cap + 1;
    if ((la > lb ? la - lb : lb - la) > cap)
        return cap + 1;
    for (j = 0; j <= lb; j++)
        p[j] = (unsigned)j;
    for (i = 1; i <= la; i++) {
        c[0] = (unsigned)i;
        for (j = 1; j <= lb; j++) {
            unsigned sub = p[j - 1] + (a[i - 1] != b[j - 1]);
            unsigned del = p[j] + 1, ins = c[j - 1] + 1;
            unsigned v = sub < del ? sub : del;
            v = v < ins ? v : ins;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] && pp[j - 2] + 1 < v)
                v = pp[j - 2] + 1;
            c[j] = v;
        }
        t = pp;
        pp = p;
        p = c;
        c = t;
    }
    return p[lb] > cap ? cap + 1 : p[lb];
}

/* ------------------------------------------------------------ expressions */

#define POISON_DEPTH ((uint16_t)(DSL_MAX_NESTING + 1))

static bool poisoned(const struct dsl_expr *e)
{
    return e != NULL && e->kind == DSL_EXPR_ERROR && e->ival == 1;
}

static struct dsl_expr *expr_new(ast_ctx *P, enum dsl_expr_kind kind, struct dsl_span at)
{
    struct dsl_expr *e = ast_alloc(P->arena, sizeof *e);
    e->kind = kind;
    e->span = at;
    e->label = -1;
    e->depth = 1;
    return e;
}

/* Sets e's depth from its children; replaces it by a poisoned leaf when too
** deep, reporting only at the first node that crosses the limit. */
static struct dsl_expr *expr_depth(ast_ctx *P, struct dsl_expr *e)
{
    unsigned d = 0, i;
    bool quiet = false;
    if (e->a) {
        d = e->a->depth;
        quiet |= poisoned(e->a);
    }
    if (e->b) {
        if (e->b->depth > d)
            d = e->b->depth;
        quiet |= poisoned(e->b);
    }
    for (i = 0; i < e->nargs; i++) {
        if (e->args[i]->depth > d)
            d = e->args[i]->depth;
        quiet |= poisoned(e->args[i]);
    }
    d += 1;
    if (d <= DSL_MAX_NESTING) {
        e->depth = (uint16_t)d;
        return e;
    }
    if (!quiet)
        diag_error(P->diag, e->span, "nested too deeply (limit is %d)", DSL_MAX_NESTING);
    e = expr_new(P, DSL_EXPR_ERROR, e->span);
    e->ival = 1;
    e->depth = POISON_DEPTH;
    return e;
}

struct dsl_expr *ast_error(ast_ctx *P, struct dsl_span at)
{
    return expr_new(P, DSL_EXPR_ERROR, at);
}

struct dsl_expr *ast_number(ast_ctx *P, struct dsl_span at, double v, const char *unit)
{
    struct dsl_expr *e = expr_new(P, DSL_EXPR_NUMBER, at);
    e->num = v;
    e->unit = unit;
    return e;
}

struct dsl_expr *ast_bool(ast_ctx *P, struct dsl_span at, int v)
{
    struct dsl_expr *e = expr_new(P, DSL_EXPR_BOOL, at);
    e->ival = v != 0;
    return e;
}

struct dsl_expr *ast_name(ast_ctx *P, struct dsl_span at, const char *name)
{
    struct dsl_expr *e = expr_new(P, DSL_EXPR_NAME, at);
    e->name = name;
    e->name_span = at;
    return e;
}

struct dsl_expr *ast_member(ast_ctx *P, struct dsl_span at, struct dsl_expr *obj, const char *name,
                            struct dsl_span name_at)
{
    struct dsl_expr *e = expr_new(P, DSL_EXPR_MEMBER, at);
    e->a = obj;
    e->name = name;
    e->name_span = name_at;
    return expr_depth(P, e);
}

struct dsl_expr *ast_index(ast_ctx *P, struct dsl_span at, struct dsl_expr *obj, struct dsl_expr *ix)
{
    struct dsl_expr *e = expr_new(P, DSL_EXPR_INDEX, at);
    e->a = obj;
    e->b = ix;
    return expr_depth(P, e);
}

struct dsl_expr *ast_call(ast_ctx *P, struct dsl_span at, const char *name, struct dsl_span name_at,
                          struct ast_list *args)
{
    struct dsl_expr *e = expr_new(P, DSL_EXPR_CALL, at);
    e->name = name;
    e->name_span = name_at;
    e->args = (struct dsl_expr **)list_take(P, args, &e->nargs);
    return expr_depth(P, e);
}

struct dsl_expr *ast_unary(ast_ctx *P, struct dsl_span at, enum dsl_op op, struct dsl_expr *a)
{
    struct dsl_expr *e = expr_new(P, DSL_EXPR_UNARY, at);
    e->op = op;
    e->a = a;
    return expr_depth(P, e);
}

struct dsl_expr *ast_binary(ast_ctx *P, struct dsl_span at, enum dsl_op op, struct dsl_expr *a,
                            struct dsl_expr *b)
{
    struct dsl_expr *e = expr_new(P, DSL_EXPR_BINARY, at);
    e->op = op;
    e->a = a;
    e->b = b;
    return expr_depth(P, e);
}

struct dsl_expr *ast_repeat(ast_ctx *P, struct dsl_span at, struct dsl_expr *a, double lo, double hi,
                            bool has_hi)
{
    struct dsl_expr *e = expr_new(P, DSL_EXPR_REPEAT, at);
    e->a = a;
    e->num = lo;
    e->qty.value = hi;
    e->ival2 = has_hi ? 1 : -1; /* sema: -1 = no maximum written */
    return expr_depth(P, e);
}

struct dsl_expr *ast_within(ast_ctx *P, struct dsl_span at, struct dsl_expr *a, struct dsl_quantity *d)
{
    struct dsl_expr *e = expr_new(P, DSL_EXPR_WITHIN, at);
    e->a = a;
    e->qty = *d;
    return expr_depth(P, e);
}

struct dsl_expr *ast_absent(ast_ctx *P, struct dsl_span at, const char *input, struct dsl_span input_at,
                            struct dsl_quantity *d)
{
    struct dsl_expr *e = expr_new(P, DSL_EXPR_ABSENT, at);
    e->name = input;
    e->name_span = input_at;
    e->qty = *d;
    return e;
}

struct dsl_expr *ast_label(ast_ctx *P, struct dsl_span at, const char *name, struct dsl_span name_at,
                           struct dsl_expr *a)
{
    struct dsl_expr *e = expr_new(P, DSL_EXPR_LABEL, at);
    e->name = name;
    e->name_span = name_at;
    e->a = a;
    return expr_depth(P, e);
}

struct dsl_expr *ast_window_expr(ast_ctx *P, struct dsl_span at, struct dsl_expr *src, struct dsl_winspec *w)
{
    struct dsl_expr *e = expr_new(P, DSL_EXPR_WINDOW, at);
    e->a = src;
    e->win = w;
    return expr_depth(P, e);
}

struct dsl_quantity *ast_quantity(ast_ctx *P, struct dsl_span at, double v, const char *unit)
{
    struct dsl_quantity *q = ast_alloc(P->arena, sizeof *q);
    q->value = v;
    q->unit = unit;
    q->span = at;
    return q;
}

struct dsl_winspec *ast_winspec(ast_ctx *P, struct dsl_span at, enum dsl_win_kind kind, bool over,
                                struct dsl_quantity *size, struct dsl_quantity *hop)
{
    struct dsl_winspec *w = ast_alloc(P->arena, sizeof *w);
    w->kind = kind;
    w->over = over;
    w->size = *size;
    if (hop != NULL)
        w->hop = *hop;
    w->span = at;
    return w;
}

struct dsl_winspec *ast_winspec_max(ast_ctx *P, struct dsl_span at, struct dsl_winspec *w,
                                    struct dsl_quantity *max)
{
    if (w->maxcount.span.end != 0)
        diag_error(P->diag, max->span, "'max' given twice for one window");
    w->maxcount = *max;
    w->span = at;
    return w;
}

/* ------------------------------------------------------------ small pieces */

struct ast_type *ast_type_new(ast_ctx *P, struct dsl_span at, const char *name, const char *elem)
{
    struct ast_type *t = ast_alloc(P->arena, sizeof *t);
    t->name = name;
    t->elem = elem;
    t->span = at;
    return t;
}

struct ast_ident *ast_ident(ast_ctx *P, struct dsl_span at, const char *name)
{
    struct ast_ident *i = ast_alloc(P->arena, sizeof *i);
    i->name = name;
    i->span = at;
    return i;
}

struct ast_input_opts *ast_input_opts_new(ast_ctx *P)
{
    return ast_alloc(P->arena, sizeof(struct ast_input_opts));
}

struct ast_input_opts *ast_input_rate(ast_ctx *P, struct ast_input_opts *o, struct dsl_quantity *q)
{
    if (o->rate != NULL)
        diag_error(P->diag, q->span, "sample rate given twice");
    o->rate = q;
    return o;
}

struct ast_input_opts *ast_input_scale(ast_ctx *P, struct ast_input_opts *o, struct dsl_quantity *q)
{
    if (o->scale != NULL)
        diag_error(P->diag, q->span, "'scale' given twice");
    o->scale = q;
    return o;
}

struct ast_input_opts *ast_input_unit(ast_ctx *P, struct ast_input_opts *o, const char *u, struct dsl_span at)
{
    if (o->unit != NULL)
        diag_error(P->diag, at, "'unit' given twice");
    o->unit = u;
    o->unit_span = at;
    return o;
}

const char *ast_unit_join(ast_ctx *P, const char *a, const char *b)
{
    return ast_printf(P->arena, "%s/%s", a, b);
}

struct ast_event_opts *ast_event_opts_new(ast_ctx *P)
{
    return ast_alloc(P->arena, sizeof(struct ast_event_opts));
}

struct ast_event_opts *ast_event_edge(ast_ctx *P, struct ast_event_opts *o, struct dsl_span at, int rising)
{
    if (o->edge != DSL_EDGE_NONE)
        diag_error(P->diag, at, "'becomes' given twice");
    o->edge = rising ? DSL_EDGE_RISE : DSL_EDGE_FALL;
    return o;
}

struct ast_event_opts *ast_event_for(ast_ctx *P, struct ast_event_opts *o, struct dsl_quantity *d)
{
    if (o->dur != NULL)
        diag_error(P->diag, d->span, "'for' given twice");
    o->dur = d;
    return o;
}

struct ast_event_opts *ast_event_kn(ast_ctx *P, struct ast_event_opts *o, struct dsl_span from,
                                    struct dsl_span to, double k, double n)
{
    struct dsl_span at = { from.start, to.end };
    if (o->n != 0)
        diag_error(P->diag, at, "'in K of N' given twice");
    o->k = k;
    o->n = n;
    o->kn_span = at;
    return o;
}

struct ast_event_opts *ast_event_clear(ast_ctx *P, struct ast_event_opts *o, struct dsl_expr *c)
{
    if (o->clear != NULL)
        diag_error(P->diag, c->span, "'clear when' given twice");
    o->clear = c;
    return o;
}

struct ast_rule_opts *ast_rule_opts_new(ast_ctx *P)
{
    return ast_alloc(P->arena, sizeof(struct ast_rule_opts));
}

struct ast_rule_opts *ast_rule_limit(ast_ctx *P, struct ast_rule_opts *o, struct dsl_span at, double n,
                                     struct dsl_quantity *per)
{
    if (o->has_limit)
        diag_error(P->diag, at, "'limit' given twice");
    o->has_limit = true;
    o->r.limit_q = n;
    o->r.limit_span = at;
    o->r.limit_per = *per;
    return o;
}

struct ast_rule_opts *ast_rule_cooldown(ast_ctx *P, struct ast_rule_opts *o, struct dsl_quantity *d)
{
    if (o->has_cooldown)
        diag_error(P->diag, d->span, "'cooldown' given twice");
    o->has_cooldown = true;
    o->r.cooldown = *d;
    return o;
}

struct ast_rule_opts *ast_rule_select(ast_ctx *P, struct ast_rule_opts *o, struct dsl_span at,
                                      const char *policy, const char *consume)
{
    if (o->has_select)
        diag_error(P->diag, at, "'select' given twice");
    o->has_select = true;
    o->r.select_span = at;
    o->r.policy_name = policy;
    o->r.consume_name = consume;
    return o;
}

struct ast_rule_opts *ast_rule_matches(ast_ctx *P, struct ast_rule_opts *o, struct dsl_span at, double n)
{
    if (o->has_matches)
        diag_error(P->diag, at, "'matches' given twice");
    o->has_matches = true;
    o->r.matches_q = n;
    o->r.matches_span = at;
    return o;
}

struct ast_model_out *ast_model_out(ast_ctx *P, struct dsl_span at, enum dsl_model_out kind,
                                    struct ast_list *classes, struct dsl_quantity *n)
{
    struct ast_model_out *m = ast_alloc(P->arena, sizeof *m);
    m->kind = kind;
    m->classes = classes;
    m->nvalues = n;
    m->span = at;
    return m;
}

/* ------------------------------------------------------------ declarations */

static struct dsl_decl *decl_new(ast_ctx *P, enum dsl_decl_kind kind, struct dsl_span at,
                                 struct ast_ident *name)
{
    struct dsl_decl *d = ast_alloc(P->arena, sizeof *d);
    d->kind = kind;
    d->span = at;
    d->name = name->name;
    d->name_span = name->span;
    if (P->decls == NULL)
        P->decls = ast_list_new(d, at);
    else
        ast_list_add(P->decls, d, at);
    return d;
}

void ast_module(ast_ctx *P, struct dsl_span at, const char *name, struct dsl_span name_at)
{
    (void)at;
    if (P->module_count++ == 0) {
        P->module_name = name;
        P->module_span = name_at;
        P->first_module_span = at;
        return;
    }
    diag_note(P->diag, diag_error(P->diag, at, "'module' given twice"), P->first_module_span,
              "first given here");
}

void ast_budget(ast_ctx *P, struct dsl_span at, const char *what, struct dsl_quantity *q)
{
    bool *has;
    struct dsl_quantity *slot;
    if (strcmp(what, "ram") == 0) {
        has = &P->has_ram;
        slot = &P->budget_ram;
    } else if (strcmp(what, "flash") == 0) {
        has = &P->has_flash;
        slot = &P->budget_flash;
    } else {
        struct dsl_span w = { at.start, at.start + (uint32_t)strlen(what) };
        const char *sug = ast_edit_distance(what, "ram", 2) <= 2 ? "ram"
                          : ast_edit_distance(what, "flash", 2) <= 2 ? "flash" : NULL;
        if (sug != NULL)
            diag_error(P->diag, w, "unknown budget '%s' (known: ram, flash); did you mean '%s'?", what, sug);
        else
            diag_error(P->diag, w, "unknown budget '%s' (known: ram, flash)", what);
        return;
    }
    if (*has) {
        diag_note(P->diag, diag_error(P->diag, at, "budget '%s' given twice", what), slot->span,
                  "first given here");
        return;
    }
    *has = true;
    *slot = *q;
}

void ast_input(ast_ctx *P, struct dsl_span at, struct ast_ident *name, struct ast_type *t,
               struct ast_input_opts *o)
{
    struct dsl_decl *d = decl_new(P, DSL_DECL_INPUT, at, name);
    struct dsl_input *in = &d->u.input;
    in->type_name = t->name;
    in->elem_name = t->elem;
    in->type_span = t->span;
    if (o->rate) {
        in->has_rate = true;
        in->rate = *o->rate;
    }
    if (o->scale) {
        in->has_scale = true;
        in->scale = o->scale->value;
        in->scale_span = o->scale->span;
    } else {
        in->scale = 1.0;
    }
    in->unit = o->unit;
    in->unit_span = o->unit_span;
}

void ast_window(ast_ctx *P, struct dsl_span at, struct ast_ident *name, struct dsl_expr *src,
                struct dsl_winspec *w)
{
    struct dsl_decl *d = decl_new(P, DSL_DECL_WINDOW, at, name);
    d->u.window.source = src;
    d->u.window.spec = *w;
}

void ast_feature(ast_ctx *P, struct dsl_span at, struct ast_ident *name, struct dsl_expr *call)
{
    struct dsl_decl *d = decl_new(P, DSL_DECL_FEATURE, at, name);
    d->u.feature.call = call;
}

static struct dsl_binding *bindings_take(ast_ctx *P, struct ast_list *l, uint32_t *n)
{
    void **items = list_take(P, l, n);
    struct dsl_binding *b = ast_alloc(P->arena, (*n ? *n : 1) * sizeof *b);
    uint32_t i;
    for (i = 0; i < *n; i++) {
        struct ast_ident *id = items[i];
        b[i].span = id->span;
        b[i].name = id->name;
    }
    return b;
}

void ast_model_tflite(ast_ctx *P, struct dsl_span at, struct ast_ident *name, struct ast_string *path,
                      struct ast_list *inputs, struct ast_model_out *out)
{
    struct dsl_decl *d = decl_new(P, DSL_DECL_MODEL, at, name);
    struct dsl_model *m = &d->u.model;
    m->kind = DSL_MODEL_TFLITE;
    m->path = path->value;
    m->path_span = path->span;
    m->inputs = bindings_take(P, inputs, &m->ninputs);
    m->outputs = out->kind;
    m->outputs_span = out->span;
    if (out->kind == DSL_MOUTS_CLASSES) {
        uint32_t n, i;
        void **items = list_take(P, out->classes, &n);
        out->classes = NULL; /* taken: the parser's destructor must not free it */
        m->classes = ast_alloc(P->arena, (n ? n : 1) * sizeof *m->classes);
        for (i = 0; i < n; i++) {
            struct ast_ident *id = items[i];
            m->classes[i].name = id->name;
            m->classes[i].span = id->span;
        }
        m->nclasses = n;
    } else if (out->kind == DSL_MOUTS_VALUES) {
        m->nvalues_q = *out->nvalues;
    }
}

void ast_model_anomaly(ast_ctx *P, struct dsl_span at, struct ast_ident *name, struct ast_list *inputs,
                       struct dsl_quantity *learn)
{
    struct dsl_decl *d = decl_new(P, DSL_DECL_MODEL, at, name);
    struct dsl_model *m = &d->u.model;
    m->kind = DSL_MODEL_ANOMALY;
    m->inputs = bindings_take(P, inputs, &m->ninputs);
    m->learn = *learn;
}

void ast_event(ast_ctx *P, struct dsl_span at, struct ast_ident *name, struct ast_list *params,
               struct dsl_expr *cond, struct ast_event_opts *o)
{
    struct dsl_decl *d = decl_new(P, DSL_DECL_EVENT, at, name);
    struct dsl_event *ev = &d->u.event;
    uint32_t n, i;
    void **items = list_take(P, params, &n);
    ev->params = ast_alloc(P->arena, (n ? n : 1) * sizeof *ev->params);
    for (i = 0; i < n; i++) {
        struct ast_ident *id = items[i];
        ev->params[i].name = id->name;
        ev->params[i].span = id->span;
    }
    ev->nparams = n;
    ev->cond = cond;
    ev->edge = o->edge;
    if (o->dur)
        ev->for_q = *o->dur;
    ev->k = o->k > 0 && o->k < 4e9 ? (uint32_t)o->k : 0;
    ev->n = o->n > 0 && o->n < 4e9 ? (uint32_t)o->n : 0;
    ev->kn_span = o->kn_span;
    ev->clear = o->clear;
    /* keep the raw k/n for sema's whole-number checks */
    if (o->kn_span.end != 0) {
        ev->for_ms = 0;
        if (o->k != (double)ev->k || o->n != (double)ev->n || o->k == 0 || o->n == 0) {
            diag_error(P->diag, o->kn_span, "'in K of N' needs whole numbers 1 <= K <= N");
            ev->k = ev->n = 0;
        }
    }
}

void ast_rule(ast_ctx *P, struct dsl_span at, struct ast_ident *name, struct dsl_expr *pattern,
              struct dsl_expr *where, struct ast_ident *severity, struct ast_string *msg,
              struct ast_rule_opts *o)
{
    struct dsl_decl *d = decl_new(P, DSL_DECL_RULE, at, name);
    struct dsl_rule *r = &d->u.rule;
    *r = o->r;
    r->pattern = pattern;
    r->where = where;
    r->severity_name = severity->name;
    r->severity_span = severity->span;
    r->message = msg->value;
    r->message_span = msg->span;
    /* flags for sema: which options were written */
    if (!o->has_limit)
        r->limit_span.end = 0;
    if (!o->has_select)
        r->select_span.end = 0;
    if (!o->has_matches)
        r->matches_span.end = 0;
    if (!o->has_cooldown)
        r->cooldown.span.end = 0;
}

void ast_decl_broken(ast_ctx *P)
{
    struct dsl_decl *last = P->decls && P->decls->n ? P->decls->items[P->decls->n - 1] : NULL;
    struct ast_ident *id;
    if (P->decl_name.name == NULL || (last && last->name_span.start == P->decl_name.span.start))
        return;
    id = ast_ident(P, P->decl_name.span, P->decl_name.name);
    if (P->broken == NULL)
        P->broken = ast_list_new(id, id->span);
    else
        ast_list_add(P->broken, id, id->span);
    P->decl_name.name = NULL;
}

void ast_expr_result(ast_ctx *P, struct dsl_expr *e)
{
    P->expr_result = e;
}
