/*
** sema.c — semantic checks: the parsed declarations become a checked module.
**
** In source order, each declaration is checked and its expressions are
** rewritten from parse kinds (NAME, MEMBER, CALL, LABEL, WINDOW) to resolved
** kinds (INPUT, FEATURE, MODEL_OUT, CLASS, PARAM, CAPTURE, EVENT, COND and
** the pattern kinds), with a type on every node.  Names must be declared
** before they are used; that keeps the module acyclic, so lowering can build
** runtime objects in declaration order.
**
** Three contexts for expressions:
**   SIGNAL   event conditions and `clear when`: values at one instant;
**   PATTERN  rule `when`: events, inline conditions and pattern operators;
**   CAPTURE  rule `where` and message captures: values now, or `label.x`,
**            the value of x when the labelled event occurred.
**
** Errors are reported with did-you-mean suggestions (edit distance <= 2
** among the names visible at that point) and notes pointing at the relevant
** declaration.  Every walk is recursive over trees bounded by
** DSL_MAX_NESTING (ast.c), so recursion depth is bounded.
*/
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dsl/sema.h"

enum ctx { CTX_SIGNAL, CTX_PATTERN, CTX_CAPTURE };

struct sym {
    const char *name;
    struct dsl_decl *decl;
    uint32_t seq;             /* declaration order */
};

struct sema {
    struct dsl_parse *P;
    struct dsl_diag *diag;
    struct dsl_arena *arena;
    struct dsl_module *m;
    const struct dsl_options *opt;
    struct sym *syms;         /* open addressing, power-of-two size */
    size_t nsyms_cap;
    uint32_t cur_seq;         /* sequence of the declaration being checked */
    struct dsl_decl *cur;     /* the declaration being checked */
    struct dsl_decl *event;   /* event whose parameters are in scope */
    struct dsl_rule *rule;    /* rule whose labels are in scope */
    struct ast_list *out;     /* checked declarations, in order */
};

static const char *art(enum dsl_decl_kind k)
{
    return k == DSL_DECL_INPUT || k == DSL_DECL_EVENT ? "an" : "a";
}

#define ERR(S, at, ...) diag_error((S)->diag, (at), __VA_ARGS__)

static const char *const kind_names[] = { "input", "window", "feature", "model", "event", "rule" };

/* ------------------------------------------------------------ symbols */

static size_t hash_str(const char *s)
{
    size_t h = 2166136261u;
    while (*s)
        h = (h ^ (unsigned char)*s++) * 16777619u;
    return h;
}

static struct sym *sym_slot(struct sema *S, const char *name)
{
    size_t mask = S->nsyms_cap - 1, i = hash_str(name) & mask;
    while (S->syms[i].name != NULL && strcmp(S->syms[i].name, name) != 0)
        i = (i + 1) & mask;
    return &S->syms[i];
}

static struct sym *sym_find(struct sema *S, const char *name)
{
    struct sym *s = sym_slot(S, name);
    return s->name ? s : NULL;
}

/* Best match for a misspelt name among the declarations (any kind when
** kinds == 0, else a bit mask of 1 << DSL_DECL_*), declared before the
** current one, or NULL. */
static const char *suggest_decl(struct sema *S, const char *name, unsigned kinds)
{
    size_t i;
    unsigned best = 3, lim = strlen(name) <= 2 ? 1 : 2;
    const char *sug = NULL;
    for (i = 0; i < S->nsyms_cap; i++) {
        struct sym *s = &S->syms[i];
        unsigned d;
        if (s->name == NULL || s->seq >= S->cur_seq || s->decl->kind == DSL_DECL_RULE)
            continue;
        if (kinds && !(kinds & (1u << s->decl->kind)))
            continue;
        d = ast_edit_distance(name, s->name, lim);
        if (d == 2 && strlen(name) <= 3 && strlen(s->name) != strlen(name))
            continue; /* 'bad' is not a misspelt 'a' */
        if (d <= lim && (d < best || (d == best && sug && strcmp(s->name, sug) < 0))) {
            best = d;
            sug = s->name;
        }
    }
    return sug;
}

static const char *suggest_list(const char *name, const char *const *list, size_t n)
{
    size_t i;
    unsigned best = 3, lim = strlen(name) <= 2 ? 1 : 2;
    const char *sug = NULL;
    for (i = 0; i < n; i++) {
        unsigned d = ast_edit_distance(name, list[i], lim);
        if (d == 2 && strlen(name) <= 3 && strlen(list[i]) != strlen(name))
            continue;
        if (d <= lim && d < best) {
            best = d;
            sug = list[i];
        }
    }
    return sug;
}

static int err_undefined(struct sema *S, struct dsl_span at, const char *what, const char *name,
                         const char *sug, struct dsl_decl *sugdecl)
{
    int h;
    if (sug != NULL) {
        h = ERR(S, at, "undefined %s '%s'; did you mean '%s'?", what, name, sug);
        if (sugdecl != NULL)
            diag_note(S->diag, h, sugdecl->name_span, "'%s' declared here", sug);
    } else {
        h = ERR(S, at, "undefined %s '%s'", what, name);
    }
    return h;
}

/* ------------------------------------------------------------ quantities */

static bool is_whole(double v)
{
    return v == floor(v) && fabs(v) < 4e9;
}

/* Duration → ms, or reports and returns false. */
static bool to_ms(struct sema *S, const struct dsl_quantity *q, const char *what, uint32_t *ms)
{
    static const struct { const char *u; double f; } units[] = {
        { "ms", 1 }, { "s", 1000 }, { "min", 60000 }, { "h", 3600000 },
    };
    static const char *const names[] = { "ms", "s", "min", "h" };
    double v;
    size_t i;
    *ms = 0;
    if (q->unit == NULL) {
        ERR(S, q->span, "%s '%g' needs a time unit (ms, s, min or h)", what, q->value);
        return false;
    }
    for (i = 0; i < 4; i++)
        if (strcmp(q->unit, units[i].u) == 0)
            break;
    if (i == 4) {
        const char *sug = suggest_list(q->unit, names, 4);
        if (sug)
            ERR(S, q->span, "unknown time unit '%s' in %s (use ms, s, min or h); did you mean '%s'?", q->unit,
                what, sug);
        else
            ERR(S, q->span, "'%s' is not a time unit: %s needs ms, s, min or h", q->unit, what);
        return false;
    }
    v = q->value * units[i].f;
    if (v <= 0) {
        ERR(S, q->span, "%s must be longer than 0 ms", what);
        return false;
    }
    if (v > (double)DSL_MAX_DURATION_MS) {
        ERR(S, q->span, "%s is too long (limit is %u ms, about 24.8 days)", what, DSL_MAX_DURATION_MS);
        return false;
    }
    if (v != floor(v)) {
        ERR(S, q->span, "%s must be a whole number of milliseconds", what);
        return false;
    }
    *ms = (uint32_t)v;
    return true;
}

static bool is_time_unit(const char *u)
{
    return u && (!strcmp(u, "ms") || !strcmp(u, "s") || !strcmp(u, "min") || !strcmp(u, "h"));
}

/* A whole count in [lo, hi] with no unit. */
static bool to_count(struct sema *S, struct dsl_span at, double v, const char *unit, const char *what,
                     double lo, double hi, uint32_t *out)
{
    *out = 0;
    if (unit != NULL) {
        ERR(S, at, "%s is a count and takes no unit ('%s')", what, unit);
        return false;
    }
    if (!is_whole(v) || v < lo || v > hi) {
        ERR(S, at, "%s must be a whole number from %g to %g", what, lo, hi);
        return false;
    }
    *out = (uint32_t)v;
    return true;
}

/* ------------------------------------------------------------ types */

static struct dsl_type ty(enum dsl_type_kind k)
{
    struct dsl_type t;
    memset(&t, 0, sizeof t);
    t.kind = k;
    return t;
}

/* The type with its article, for messages: "a number", "an event". */
static const char *tstr(const struct dsl_type *t, char *buf, size_t n)
{
    char tmp[48];
    dsl_type_str(t, tmp, sizeof tmp);
    snprintf(buf, n, "%s %s", t->kind == DSL_TYPE_PATTERN || t->kind == DSL_TYPE_ERROR ? "an" : "a", tmp);
    return buf;
}

static struct dsl_expr *node(struct sema *S, enum dsl_expr_kind k, struct dsl_span at)
{
    struct dsl_expr *e = ast_alloc(S->arena, sizeof *e);
    e->kind = k;
    e->span = at;
    e->label = -1;
    e->depth = 1;
    return e;
}

/* ------------------------------------------------------------ names */

static bool is_broken(struct sema *S, const char *name)
{
    uint32_t i;
    for (i = 0; S->P->broken && i < S->P->broken->n; i++)
        if (strcmp(((struct ast_ident *)S->P->broken->items[i])->name, name) == 0)
            return true;
    return false;
}

/* Looks a name up as a declaration visible from the current one. */
static struct dsl_decl *lookup(struct sema *S, const char *name, struct dsl_span at, bool report)
{
    struct sym *s = sym_find(S, name);
    if (s == NULL && is_broken(S, name))
        return NULL; /* its declaration had a syntax error, reported already */
    if (s == NULL) {
        if (report) {
            const char *sug = suggest_decl(S, name, 0);
            struct sym *ss = sug ? sym_find(S, sug) : NULL;
            err_undefined(S, at, "name", name, sug, ss ? ss->decl : NULL);
        }
        return NULL;
    }
    if (s->seq > S->cur_seq || s->decl == S->cur) {
        if (report) {
            int h = s->decl == S->cur ? ERR(S, at, "'%s' refers to itself", name)
                                      : ERR(S, at, "'%s' is used before its declaration", name);
            diag_note(S->diag, h, s->decl->name_span, "'%s' declared here", name);
        }
        return NULL;
    }
    return s->decl;
}

static struct dsl_type input_type(const struct dsl_decl *d, int32_t comp)
{
    struct dsl_type t = ty(DSL_TYPE_NUMBER);
    const struct dsl_input *in = &d->u.input;
    if (in->elem == DSL_ELEM_BOOL)
        t.kind = DSL_TYPE_BOOL;
    else if (in->len > 1 && comp < 0) {
        t.kind = DSL_TYPE_VECTOR;
        t.len = in->len;
    }
    t.unit = in->unit;
    return t;
}

/* Component name x/y/z/w → index, or -1. */
static int32_t component(const char *s)
{
    if (s[0] != '\0' && s[1] == '\0') {
        switch (s[0]) {
        case 'x': return 0;
        case 'y': return 1;
        case 'z': return 2;
        case 'w': return 3;
        default: break;
        }
    }
    return -1;
}

static int32_t class_index(const struct dsl_decl *model, const char *name)
{
    uint32_t i;
    if (model == NULL || model->kind != DSL_DECL_MODEL)
        return -1;
    for (i = 0; i < model->u.model.nclasses; i++)
        if (strcmp(model->u.model.classes[i].name, name) == 0)
            return (int32_t)i;
    return -1;
}

static int32_t param_index(const struct dsl_decl *ev, const char *name)
{
    uint32_t i;
    if (ev == NULL)
        return -1;
    for (i = 0; i < ev->u.event.nparams; i++)
        if (strcmp(ev->u.event.params[i].name, name) == 0)
            return (int32_t)i;
    return -1;
}

static int32_t label_index(const struct dsl_rule *r, const char *name)
{
    uint32_t i;
    if (r == NULL)
        return -1;
    for (i = 0; i < r->nlabels; i++)
        if (strcmp(r->labels[i].name, name) == 0)
            return (int32_t)i;
    return -1;
}

/* An unknown class name: report with the model's classes as suggestions. */
static void err_class(struct sema *S, struct dsl_span at, const char *name, const struct dsl_decl *model)
{
    const char *sug = NULL;
    unsigned best = 3;
    uint32_t i;
    int h;
    for (i = 0; i < model->u.model.nclasses; i++) {
        unsigned d = ast_edit_distance(name, model->u.model.classes[i].name, 2);
        if (d < best) {
            best = d;
            sug = model->u.model.classes[i].name;
        }
    }
    if (sug)
        h = ERR(S, at, "'%s' is not a class of model '%s'; did you mean '%s'?", name, model->name, sug);
    else
        h = ERR(S, at, "'%s' is not a class of model '%s'", name, model->name);
    diag_note(S->diag, h, model->u.model.outputs_span, "classes of '%s' declared here", model->name);
}

/* ------------------------------------------------------------ expressions */

static struct dsl_expr *check(struct sema *S, struct dsl_expr *e, enum ctx c, const struct dsl_type *hint);

/* A resolved reference to a declaration used as a signal. */
static struct dsl_expr *signal_ref(struct sema *S, struct dsl_expr *e, struct dsl_decl *d, enum ctx c)
{
    struct dsl_expr *r = node(S, DSL_EXPR_ERROR, e->span);
    r->decl = d;
    switch (d->kind) {
    case DSL_DECL_INPUT:
        r->kind = DSL_EXPR_INPUT;
        r->ival = -1;
        r->type = input_type(d, -1);
        return r;
    case DSL_DECL_FEATURE:
        r->kind = DSL_EXPR_FEATURE;
        r->type = d->u.feature.type;
        return r;
    case DSL_DECL_EVENT:
        if (c == CTX_PATTERN) {
            if (d->u.event.nparams > 0) {
                int h = ERR(S, e->span, "event '%s' takes %u argument%s", d->name, d->u.event.nparams,
                            d->u.event.nparams == 1 ? "" : "s");
                diag_note(S->diag, h, d->name_span, "'%s' declared here", d->name);
                return r;
            }
            r->kind = DSL_EXPR_EVENT;
            r->type = ty(DSL_TYPE_PATTERN);
            return r;
        } else {
            int h = ERR(S, e->span, "event '%s' cannot be used as a value here; events belong in rule patterns",
                        d->name);
            diag_note(S->diag, h, d->name_span, "'%s' declared here", d->name);
        }
        return r;
    case DSL_DECL_MODEL:
        ERR(S, e->span, "model '%s' is not a value; use one of its outputs, e.g. '%s.%s'", d->name, d->name,
            d->u.model.kind == DSL_MODEL_TFLITE && d->u.model.outputs == DSL_MOUTS_CLASSES ? "class"
            : d->u.model.kind == DSL_MODEL_TFLITE && d->u.model.outputs == DSL_MOUTS_VALUES ? "value"
                                                                                          : "score");
        return r;
    case DSL_DECL_WINDOW:
        ERR(S, e->span, "window '%s' is not a value; declare a feature over it, e.g. 'feature f = rms(%s);'",
            d->name, d->name);
        return r;
    case DSL_DECL_RULE:
        ERR(S, e->span, "rule '%s' cannot be used in an expression", d->name);
        return r;
    }
    return r;
}

static struct dsl_expr *check_name(struct sema *S, struct dsl_expr *e, enum ctx c, const struct dsl_type *hint)
{
    struct dsl_decl *d;
    int32_t i;
    struct dsl_expr *r;
    /* event parameter */
    if ((i = param_index(S->event, e->name)) >= 0) {
        r = node(S, DSL_EXPR_PARAM, e->span);
        r->decl = S->event;
        r->ival = i;
        r->type = S->event->u.event.params[i].type;
        return r;
    }
    /* label used bare */
    if (c != CTX_SIGNAL && label_index(S->rule, e->name) >= 0 && c == CTX_CAPTURE) {
        ERR(S, e->span, "label '%s' names an event, not a value; write '%s.NAME' for a value captured then",
            e->name, e->name);
        return node(S, DSL_EXPR_ERROR, e->span);
    }
    /* class constant where a class is expected */
    if (hint && hint->kind == DSL_TYPE_CLASS && (i = class_index(hint->model, e->name)) >= 0) {
        r = node(S, DSL_EXPR_CLASS, e->span);
        r->decl = (struct dsl_decl *)(uintptr_t)hint->model;
        r->ival = i;
        r->type = *hint;
        r->type.unit = NULL;
        return r;
    }
    if (hint && hint->kind == DSL_TYPE_CLASS && sym_find(S, e->name) == NULL) {
        err_class(S, e->span, e->name, hint->model);
        return node(S, DSL_EXPR_ERROR, e->span);
    }
    d = lookup(S, e->name, e->span, true);
    if (d == NULL)
        return node(S, DSL_EXPR_ERROR, e->span);
    return signal_ref(S, e, d, c);
}

static const char *const model_members_cls[] = { "class", "score", "prob" };
static const char *const model_members_val[] = { "value" };
static const char *const model_members_rec[] = { "score" };
static const char *const model_members_ano[] = { "score", "ready" };

static struct dsl_expr *check_model_member(struct sema *S, struct dsl_expr *e, struct dsl_decl *d)
{
    const struct dsl_model *m = &d->u.model;
    const char *const *list;
    size_t n;
    struct dsl_expr *r = node(S, DSL_EXPR_MODEL_OUT, e->span);
    r->decl = d;
    r->ival = -1;
    if (m->kind == DSL_MODEL_ANOMALY) {
        list = model_members_ano;
        n = 2;
    } else if (m->outputs == DSL_MOUTS_CLASSES) {
        list = model_members_cls;
        n = 3;
    } else if (m->outputs == DSL_MOUTS_VALUES) {
        list = model_members_val;
        n = 1;
    } else {
        list = model_members_rec;
        n = 1;
    }
    if (suggest_list(e->name, list, n) == NULL || strcmp(suggest_list(e->name, list, n), e->name) != 0) {
        const char *sug = suggest_list(e->name, list, n);
        char known[64] = "";
        size_t i;
        for (i = 0; i < n; i++) {
            strcat(known, i ? ", " : "");
            strcat(known, list[i]);
        }
        if (sug)
            ERR(S, e->name_span, "model '%s' has no output '%s' (it has: %s); did you mean '%s'?", d->name, e->name,
                known, sug);
        else
            ERR(S, e->name_span, "model '%s' has no output '%s' (it has: %s)", d->name, e->name, known);
        r->kind = DSL_EXPR_ERROR;
        return r;
    }
    if (!strcmp(e->name, "class")) {
        r->out = DSL_MOUT_CLASS;
        r->type = ty(DSL_TYPE_CLASS);
        r->type.model = d;
    } else if (!strcmp(e->name, "score")) {
        r->out = DSL_MOUT_SCORE;
        r->type = ty(DSL_TYPE_NUMBER);
    } else if (!strcmp(e->name, "prob")) {
        r->out = DSL_MOUT_PROB;
        r->type = ty(DSL_TYPE_VECTOR);
        r->type.len = m->nclasses;
    } else if (!strcmp(e->name, "value")) {
        r->out = DSL_MOUT_VALUE;
        r->type = ty(m->nvalues == 1 ? DSL_TYPE_NUMBER : DSL_TYPE_VECTOR);
        r->type.len = m->nvalues;
        r->ival = m->nvalues == 1 ? 0 : -1;
    } else {
        r->out = DSL_MOUT_READY;
        r->type = ty(DSL_TYPE_BOOL);
    }
    return r;
}

static struct dsl_expr *check_member(struct sema *S, struct dsl_expr *e, enum ctx c)
{
    struct dsl_expr *obj = e->a;
    struct dsl_decl *d;
    if (obj->kind != DSL_EXPR_NAME) {
        obj = check(S, obj, c, NULL);
        if (obj->type.kind != DSL_TYPE_ERROR)
            ERR(S, e->name_span, "'.%s' applies to an input, a model or a label, not to this expression", e->name);
        return node(S, DSL_EXPR_ERROR, e->span);
    }
    if (param_index(S->event, obj->name) >= 0) {
        ERR(S, e->span, "parameter '%s' has no members", obj->name);
        return node(S, DSL_EXPR_ERROR, e->span);
    }
    d = lookup(S, obj->name, obj->span, true);
    if (d == NULL)
        return node(S, DSL_EXPR_ERROR, e->span);
    if (d->kind == DSL_DECL_MODEL)
        return check_model_member(S, e, d);
    if (d->kind == DSL_DECL_INPUT) {
        int32_t k = component(e->name);
        struct dsl_expr *r;
        if (d->u.input.len <= 1) {
            ERR(S, e->name_span, "input '%s' is a scalar and has no component '%s'", d->name, e->name);
            return node(S, DSL_EXPR_ERROR, e->span);
        }
        if (k < 0 || (uint32_t)k >= d->u.input.len) {
            ERR(S, e->name_span, "input '%s' (%u elements) has no component '%s'; use %s or '%s[i]'", d->name,
                d->u.input.len, e->name, d->u.input.len >= 4 ? "x, y, z, w" : d->u.input.len == 3 ? "x, y, z" : "x, y",
                d->name);
            return node(S, DSL_EXPR_ERROR, e->span);
        }
        r = node(S, DSL_EXPR_INPUT, e->span);
        r->decl = d;
        r->ival = k;
        r->type = input_type(d, k);
        return r;
    }
    ERR(S, e->span, "'%s' is %s %s and has no member '%s'", d->name, art(d->kind),
        kind_names[d->kind], e->name);
    return node(S, DSL_EXPR_ERROR, e->span);
}

static struct dsl_expr *check_index(struct sema *S, struct dsl_expr *e, enum ctx c)
{
    struct dsl_expr *a = check(S, e->a, c, NULL), *b = e->b, *r;
    char tb[64];
    if (a->type.kind == DSL_TYPE_ERROR)
        return a;
    if (a->type.kind != DSL_TYPE_VECTOR) {
        ERR(S, e->span, "'[...]' needs a vector, but this is %s", tstr(&a->type, tb, sizeof tb));
        return node(S, DSL_EXPR_ERROR, e->span);
    }
    /* m.prob[class] */
    if (a->kind == DSL_EXPR_MODEL_OUT && a->out == DSL_MOUT_PROB && b->kind == DSL_EXPR_NAME) {
        int32_t k = class_index(a->decl, b->name);
        if (k < 0) {
            err_class(S, b->span, b->name, a->decl);
            return node(S, DSL_EXPR_ERROR, e->span);
        }
        a->ival = k;
        a->type = ty(DSL_TYPE_NUMBER);
        a->span = e->span;
        return a;
    }
    if (b->kind != DSL_EXPR_NUMBER || b->unit != NULL || !is_whole(b->num) || b->num < 0) {
        ERR(S, b->span, "a vector index must be a whole number written as a constant");
        return node(S, DSL_EXPR_ERROR, e->span);
    }
    if (b->num >= (double)a->type.len) {
        ERR(S, b->span, "index %g is out of range: the vector has %u elements (0 to %u)", b->num, a->type.len,
            a->type.len - 1);
        return node(S, DSL_EXPR_ERROR, e->span);
    }
    if (a->kind == DSL_EXPR_INPUT) {
        a->ival = (int32_t)b->num;
        a->type = input_type(a->decl, a->ival);
        a->span = e->span;
        return a;
    }
    if (a->kind == DSL_EXPR_MODEL_OUT) {
        a->ival = (int32_t)b->num;
        a->type = ty(DSL_TYPE_NUMBER);
        a->span = e->span;
        return a;
    }
    r = node(S, DSL_EXPR_INDEX, e->span);
    r->a = a;
    r->b = b;
    b->type = ty(DSL_TYPE_NUMBER);
    r->ival = (int32_t)b->num;
    r->type = ty(DSL_TYPE_NUMBER);
    r->type.unit = a->type.unit;
    r->depth = (uint16_t)(a->depth + 1);
    return r;
}

/* A pattern operand: a bool signal becomes an inline condition. */
static struct dsl_expr *as_pattern(struct sema *S, struct dsl_expr *e, const char *op)
{
    struct dsl_expr *r;
    char tb[64];
    if (e->type.kind == DSL_TYPE_PATTERN || e->type.kind == DSL_TYPE_ERROR)
        return e;
    if (e->type.kind == DSL_TYPE_BOOL) {
        r = node(S, DSL_EXPR_COND, e->span);
        r->a = e;
        r->type = ty(DSL_TYPE_PATTERN);
        r->depth = (uint16_t)(e->depth + 1);
        return r;
    }
    ERR(S, e->span, "'%s' needs events or conditions, but this is %s", op, tstr(&e->type, tb, sizeof tb));
    return node(S, DSL_EXPR_ERROR, e->span);
}

static bool units_differ(const struct dsl_type *a, const struct dsl_type *b)
{
    return a->unit && b->unit && strcmp(a->unit, b->unit) != 0;
}

static void err_units(struct sema *S, struct dsl_expr *e)
{
    int h = e->op == DSL_OP_ADD   ? ERR(S, e->span, "unit mismatch: adding %s to %s", e->b->type.unit, e->a->type.unit)
            : e->op == DSL_OP_SUB ? ERR(S, e->span, "unit mismatch: subtracting %s from %s", e->b->type.unit,
                                        e->a->type.unit)
                                  : ERR(S, e->span, "unit mismatch: comparing %s with %s", e->a->type.unit,
                                        e->b->type.unit);
    diag_note(S->diag, h, e->a->span, "this is in %s", e->a->type.unit);
    diag_note(S->diag, h, e->b->span, "this is in %s", e->b->type.unit);
}

static struct dsl_expr *finish(struct dsl_expr *e)
{
    unsigned d = 0;
    if (e->a)
        d = e->a->depth;
    if (e->b && e->b->depth > d)
        d = e->b->depth;
    e->depth = (uint16_t)(d + 1);
    return e;
}

/* A bare name that is neither a declaration nor a parameter in scope: maybe
** a class name, which only the other operand's type can tell. */
static bool unknown_name(struct sema *S, const struct dsl_expr *e)
{
    return e->kind == DSL_EXPR_NAME && sym_find(S, e->name) == NULL && param_index(S->event, e->name) < 0;
}

static struct dsl_expr *check_binary(struct sema *S, struct dsl_expr *e, enum ctx c)
{
    enum dsl_op op = e->op;
    const char *ops = dsl_op_name(op);
    char ta[64], tb[64];
    struct dsl_expr *a, *b;

    if (op == DSL_OP_THEN) {
        if (c != CTX_PATTERN) {
            ERR(S, e->span, "'then' is allowed only in a rule's 'when' pattern");
            return node(S, DSL_EXPR_ERROR, e->span);
        }
        a = as_pattern(S, check(S, e->a, c, NULL), "then");
        /* `a then not b`: absence of b */
        if (e->b->kind == DSL_EXPR_UNARY && e->b->op == DSL_OP_NOT) {
            struct dsl_expr *inner = as_pattern(S, check(S, e->b->a, c, NULL), "not"), *n;
            n = node(S, DSL_EXPR_NOT, e->b->span);
            n->a = inner;
            n->type = ty(inner->type.kind == DSL_TYPE_ERROR ? DSL_TYPE_ERROR : DSL_TYPE_PATTERN);
            b = finish(n);
        } else {
            b = as_pattern(S, check(S, e->b, c, NULL), "then");
        }
        e->kind = DSL_EXPR_SEQ;
        e->a = a;
        e->b = b;
        e->type = ty(a->type.kind == DSL_TYPE_ERROR || b->type.kind == DSL_TYPE_ERROR ? DSL_TYPE_ERROR
                                                                                    : DSL_TYPE_PATTERN);
        return finish(e);
    }

    if (unknown_name(S, e->a) && !unknown_name(S, e->b)) {
        /* `outer == m.class`: the right side tells what the bare name is */
        b = check(S, e->b, c, NULL);
        if (b->type.kind == DSL_TYPE_ERROR) {
            e->type = ty(DSL_TYPE_ERROR);
            return e;
        }
        a = check(S, e->a, c, b->type.kind == DSL_TYPE_CLASS ? &b->type : NULL);
    } else {
        a = check(S, e->a, c, NULL);
        /* after an error on one side, an unknown bare name on the other is
        ** most likely a class name of the broken side: do not report it too */
        if (a->type.kind == DSL_TYPE_ERROR && unknown_name(S, e->b)) {
            e->type = ty(DSL_TYPE_ERROR);
            return e;
        }
        /* a class on the left gives the right side its class names */
        b = check(S, e->b, c, a->type.kind == DSL_TYPE_CLASS ? &a->type : NULL);
    }
    e->a = a;
    e->b = b;
    finish(e);
    if (a->type.kind == DSL_TYPE_ERROR || b->type.kind == DSL_TYPE_ERROR) {
        e->type = ty(DSL_TYPE_ERROR);
        return e;
    }

    if (op == DSL_OP_AND || op == DSL_OP_OR) {
        if (a->type.kind == DSL_TYPE_BOOL && b->type.kind == DSL_TYPE_BOOL) {
            e->type = ty(DSL_TYPE_BOOL);
            return e;
        }
        if (c == CTX_PATTERN &&
            (a->type.kind == DSL_TYPE_PATTERN || b->type.kind == DSL_TYPE_PATTERN)) {
            e->a = as_pattern(S, a, ops);
            e->b = as_pattern(S, b, ops);
            e->kind = op == DSL_OP_AND ? DSL_EXPR_ALL : DSL_EXPR_ANY;
            e->type = ty(e->a->type.kind == DSL_TYPE_ERROR || e->b->type.kind == DSL_TYPE_ERROR ? DSL_TYPE_ERROR
                                                                                             : DSL_TYPE_PATTERN);
            return finish(e);
        }
        {
            struct dsl_expr *bad = a->type.kind != DSL_TYPE_BOOL ? a : b;
            ERR(S, bad->span, "'%s' needs bool operands, but this is %s", ops, tstr(&bad->type, ta, sizeof ta));
        }
        e->type = ty(DSL_TYPE_ERROR);
        return e;
    }

    if (a->type.kind == DSL_TYPE_PATTERN || b->type.kind == DSL_TYPE_PATTERN) {
        struct dsl_expr *bad = a->type.kind == DSL_TYPE_PATTERN ? a : b;
        ERR(S, bad->span, "an event is not a value: '%s' cannot apply to it", ops);
        e->type = ty(DSL_TYPE_ERROR);
        return e;
    }

    if (op == DSL_OP_EQ || op == DSL_OP_NE) {
        if (a->type.kind == DSL_TYPE_CLASS || b->type.kind == DSL_TYPE_CLASS) {
            if (a->type.kind != b->type.kind || a->type.model != b->type.model) {
                ERR(S, e->span, "type mismatch: comparing %s with %s", tstr(&a->type, ta, sizeof ta),
                    tstr(&b->type, tb, sizeof tb));
                e->type = ty(DSL_TYPE_ERROR);
                return e;
            }
            e->type = ty(DSL_TYPE_BOOL);
            return e;
        }
        if (a->type.kind == DSL_TYPE_BOOL && b->type.kind == DSL_TYPE_BOOL) {
            e->type = ty(DSL_TYPE_BOOL);
            return e;
        }
    }
    /* numeric operators */
    if (a->type.kind != DSL_TYPE_NUMBER || b->type.kind != DSL_TYPE_NUMBER) {
        if (a->type.kind == DSL_TYPE_VECTOR || b->type.kind == DSL_TYPE_VECTOR) {
            struct dsl_expr *v = a->type.kind == DSL_TYPE_VECTOR ? a : b;
            ERR(S, v->span, "'%s' needs a number, but this is %s; pick an element, e.g. [0]", ops,
                tstr(&v->type, ta, sizeof ta));
        } else {
            ERR(S, e->span, "type mismatch: '%s' between %s and %s", ops, tstr(&a->type, ta, sizeof ta),
                tstr(&b->type, tb, sizeof tb));
        }
        e->type = ty(DSL_TYPE_ERROR);
        return e;
    }
    switch (op) {
    case DSL_OP_ADD:
    case DSL_OP_SUB:
        if (units_differ(&a->type, &b->type)) {
            err_units(S, e);
            e->type = ty(DSL_TYPE_ERROR);
            return e;
        }
        e->type = ty(DSL_TYPE_NUMBER);
        e->type.unit = a->type.unit ? a->type.unit : b->type.unit;
        return e;
    case DSL_OP_MUL:
    case DSL_OP_DIV:
        e->type = ty(DSL_TYPE_NUMBER);
        if (a->type.unit && b->type.unit)
            e->type.unit = ast_printf(S->arena, "%s%s%s", a->type.unit, op == DSL_OP_MUL ? "*" : "/", b->type.unit);
        else if (a->type.unit)
            e->type.unit = a->type.unit;
        else if (b->type.unit && op == DSL_OP_MUL)
            e->type.unit = b->type.unit;
        else if (b->type.unit)
            e->type.unit = ast_printf(S->arena, "1/%s", b->type.unit);
        return e;
    default:
        if (units_differ(&a->type, &b->type)) {
            err_units(S, e);
            e->type = ty(DSL_TYPE_ERROR);
            return e;
        }
        e->type = ty(DSL_TYPE_BOOL);
        return e;
    }
}

/* An event used with arguments in a pattern: `fault(outer)`. */
static struct dsl_expr *check_event_call(struct sema *S, struct dsl_expr *e)
{
    struct dsl_decl *d;
    struct dsl_expr *r;
    uint32_t i;
    char tb[64];
    struct sym *s = sym_find(S, e->name);
    if (s != NULL && s->decl->kind != DSL_DECL_EVENT && s->seq < S->cur_seq) {
        ERR(S, e->name_span, "'%s' is %s %s, not an event: only events take arguments here", e->name,
            art(s->decl->kind), kind_names[s->decl->kind]);
        return node(S, DSL_EXPR_ERROR, e->span);
    }
    if (s == NULL) {
        const char *sug = suggest_decl(S, e->name, 1u << DSL_DECL_EVENT);
        struct sym *ss = sug ? sym_find(S, sug) : NULL;
        err_undefined(S, e->name_span, "event", e->name, sug, ss ? ss->decl : NULL);
        return node(S, DSL_EXPR_ERROR, e->span);
    }
    d = lookup(S, e->name, e->name_span, true);
    if (d == NULL)
        return node(S, DSL_EXPR_ERROR, e->span);
    if (e->nargs != d->u.event.nparams) {
        int h = ERR(S, e->span, "event '%s' takes %u argument%s, not %u", d->name, d->u.event.nparams,
                    d->u.event.nparams == 1 ? "" : "s", e->nargs);
        diag_note(S->diag, h, d->name_span, "'%s' declared here", d->name);
        return node(S, DSL_EXPR_ERROR, e->span);
    }
    r = node(S, DSL_EXPR_EVENT, e->span);
    r->decl = d;
    r->nargs = e->nargs;
    r->args = ast_alloc(S->arena, (e->nargs ? e->nargs : 1) * sizeof *r->args);
    r->type = ty(DSL_TYPE_PATTERN);
    for (i = 0; i < e->nargs; i++) {
        const struct dsl_param *p = &d->u.event.params[i];
        struct dsl_expr *a = e->args[i], *v;
        if (a->kind == DSL_EXPR_WINDOW) {
            ERR(S, a->span, "a window is not an event argument");
            r->type = ty(DSL_TYPE_ERROR);
            continue;
        }
        v = check(S, a, CTX_SIGNAL, &p->type);
        if (v->type.kind == DSL_TYPE_ERROR || p->type.kind == DSL_TYPE_ERROR) {
            r->type = ty(DSL_TYPE_ERROR);
            continue;
        }
        if (v->kind != DSL_EXPR_CLASS && v->kind != DSL_EXPR_NUMBER && v->kind != DSL_EXPR_BOOL &&
            !(v->kind == DSL_EXPR_UNARY && v->op == DSL_OP_NEG && v->a->kind == DSL_EXPR_NUMBER)) {
            ERR(S, a->span, "an event argument must be a constant (a class name, a number or true/false)");
            r->type = ty(DSL_TYPE_ERROR);
            continue;
        }
        if (v->kind == DSL_EXPR_UNARY) {
            struct dsl_expr *n = v->a;
            n->num = -n->num;
            n->span = v->span;
            v = n;
        }
        if (v->type.kind != p->type.kind || v->type.model != p->type.model) {
            int h = ERR(S, a->span, "argument %u of '%s' must be %s, not %s", i + 1, d->name,
                        tstr(&p->type, tb, sizeof tb), tstr(&v->type, (char[64]){ 0 }, 64));
            diag_note(S->diag, h, p->span, "parameter '%s' declared here", p->name);
            r->type = ty(DSL_TYPE_ERROR);
            continue;
        }
        r->args[i] = v;
    }
    if (r->type.kind == DSL_TYPE_ERROR)
        r->kind = DSL_EXPR_ERROR;
    return r;
}

/* `label.x…` in a capture context: the chain without the label, checked as a
** signal, wrapped in CAPTURE.  Returns NULL when the root is not a label. */
static struct dsl_expr *check_capture(struct sema *S, struct dsl_expr *e)
{
    struct dsl_expr *p = e, *parent = NULL, *inner, *r;
    int32_t li;
    const struct dsl_label *lab;
    while ((p->kind == DSL_EXPR_MEMBER || p->kind == DSL_EXPR_INDEX) && p->a->kind != DSL_EXPR_NAME) {
        parent = p;
        p = p->a;
    }
    if ((p->kind != DSL_EXPR_MEMBER && p->kind != DSL_EXPR_INDEX) || p->a->kind != DSL_EXPR_NAME)
        return NULL;
    if (p->kind != DSL_EXPR_MEMBER || (li = label_index(S->rule, p->a->name)) < 0)
        return NULL;
    lab = &S->rule->labels[li];
    /* turn `label.x` into `x` */
    inner = node(S, DSL_EXPR_NAME, p->name_span);
    inner->name = p->name;
    inner->name_span = p->name_span;
    if (parent)
        parent->a = inner;
    else
        e = inner;
    /* the labelled event's parameters are visible as label.param */
    {
        struct dsl_decl *save = S->event;
        if (lab->node && lab->node->kind == DSL_EXPR_EVENT)
            S->event = lab->node->decl;
        else
            S->event = NULL;
        inner = check(S, e, CTX_SIGNAL, NULL);
        S->event = save;
    }
    if (inner->type.kind == DSL_TYPE_ERROR)
        return inner;
    r = node(S, DSL_EXPR_CAPTURE, e->span);
    r->span.start = p->a->span.start;
    r->ival = li;
    r->a = inner;
    r->type = inner->type;
    return finish(r);
}

static struct dsl_expr *check(struct sema *S, struct dsl_expr *e, enum ctx c, const struct dsl_type *hint)
{
    char tb[64];
    switch (e->kind) {
    case DSL_EXPR_ERROR:
        e->type = ty(DSL_TYPE_ERROR);
        return e;
    case DSL_EXPR_NUMBER:
        e->type = ty(DSL_TYPE_NUMBER);
        e->type.unit = e->unit;
        return e;
    case DSL_EXPR_BOOL:
        e->type = ty(DSL_TYPE_BOOL);
        return e;
    case DSL_EXPR_NAME:
        return check_name(S, e, c, hint);
    case DSL_EXPR_MEMBER:
    case DSL_EXPR_INDEX:
        if (c == CTX_CAPTURE) {
            struct dsl_expr *r = check_capture(S, e);
            if (r != NULL)
                return r;
        }
        return e->kind == DSL_EXPR_MEMBER ? check_member(S, e, c) : check_index(S, e, c);
    case DSL_EXPR_CALL: {
        struct sym *s = sym_find(S, e->name);
        size_t i;
        if (c == CTX_PATTERN)
            return check_event_call(S, e);
        for (i = 0; i < DSL_FUNC_COUNT_; i++)
            if (strcmp(dsl_func_name((enum dsl_func)i), e->name) == 0) {
                ERR(S, e->span, "feature functions are applied in 'feature' declarations: "
                                "'feature f = %s(...);' then use 'f'", e->name);
                return node(S, DSL_EXPR_ERROR, e->span);
            }
        if (s != NULL && s->decl->kind == DSL_DECL_EVENT)
            ERR(S, e->span, "event '%s' cannot be used as a value here; events belong in rule patterns", e->name);
        else
            ERR(S, e->name_span, "'%s' is not a function", e->name);
        return node(S, DSL_EXPR_ERROR, e->span);
    }
    case DSL_EXPR_WINDOW:
        ERR(S, e->span, "an inline window ('x over D') may appear only as the argument of a feature function");
        return node(S, DSL_EXPR_ERROR, e->span);
    case DSL_EXPR_LABEL: {
        struct dsl_expr *a;
        struct dsl_label *lab;
        int32_t li;
        if (c != CTX_PATTERN) {
            ERR(S, e->name_span, "labels ('%s:') are allowed only in a rule's 'when' pattern", e->name);
            return node(S, DSL_EXPR_ERROR, e->span);
        }
        a = as_pattern(S, check(S, e->a, c, NULL), ":");
        if (a->type.kind == DSL_TYPE_ERROR)
            return a;
        if (a->kind != DSL_EXPR_EVENT && a->kind != DSL_EXPR_COND) {
            ERR(S, e->span, "a label names one event or condition, e.g. 'a: spike', not a %s",
                a->kind == DSL_EXPR_REPEAT ? "repetition" : "compound pattern");
            return node(S, DSL_EXPR_ERROR, e->span);
        }
        if ((li = label_index(S->rule, e->name)) >= 0) {
            int h = ERR(S, e->name_span, "label '%s' used twice in one rule", e->name);
            diag_note(S->diag, h, S->rule->labels[li].span, "first used here");
            return node(S, DSL_EXPR_ERROR, e->span);
        }
        if (sym_find(S, e->name) != NULL) {
            struct sym *s = sym_find(S, e->name);
            int h = ERR(S, e->name_span, "label '%s' hides the %s '%s'", e->name, kind_names[s->decl->kind], e->name);
            diag_note(S->diag, h, s->decl->name_span, "'%s' declared here", e->name);
            return node(S, DSL_EXPR_ERROR, e->span);
        }
        S->rule->labels = realloc(S->rule->labels, (S->rule->nlabels + 1) * sizeof *S->rule->labels);
        if (S->rule->labels == NULL) {
            fputs("tinycep: out of memory\n", stderr);
            exit(2);
        }
        lab = &S->rule->labels[S->rule->nlabels];
        lab->name = e->name;
        lab->span = e->name_span;
        lab->node = a;
        a->label = (int32_t)S->rule->nlabels++;
        a->span = e->span;
        return a;
    }
    case DSL_EXPR_UNARY: {
        struct dsl_expr *a = check(S, e->a, c, NULL);
        e->a = a;
        finish(e);
        if (a->type.kind == DSL_TYPE_ERROR) {
            e->type = a->type;
            return e;
        }
        if (e->op == DSL_OP_NEG) {
            if (a->type.kind != DSL_TYPE_NUMBER) {
                ERR(S, e->span, "'-' needs a number, but this is %s", tstr(&a->type, tb, sizeof tb));
                e->type = ty(DSL_TYPE_ERROR);
                return e;
            }
            e->type = a->type;
            return e;
        }
        if (a->type.kind == DSL_TYPE_BOOL) {
            e->type = ty(DSL_TYPE_BOOL);
            return e;
        }
        if (a->type.kind == DSL_TYPE_PATTERN) {
            ERR(S, e->span, "'not' on an event means absence: write it after 'then', as in "
                            "'a then not b within D'");
            e->type = ty(DSL_TYPE_ERROR);
            return e;
        }
        ERR(S, e->span, "'not' needs a bool, but this is %s", tstr(&a->type, tb, sizeof tb));
        e->type = ty(DSL_TYPE_ERROR);
        return e;
    }
    case DSL_EXPR_BINARY:
        return check_binary(S, e, c);
    case DSL_EXPR_WITHIN: {
        uint32_t ms;
        if (c != CTX_PATTERN) {
            ERR(S, e->span, "'within' is allowed only in a rule's 'when' pattern");
            return node(S, DSL_EXPR_ERROR, e->span);
        }
        e->a = as_pattern(S, check(S, e->a, c, NULL), "within");
        finish(e);
        e->type = ty(DSL_TYPE_PATTERN);
        if (!to_ms(S, &e->qty, "'within' duration", &ms) || e->a->type.kind == DSL_TYPE_ERROR)
            e->type = ty(DSL_TYPE_ERROR);
        e->ms = ms;
        return e;
    }
    case DSL_EXPR_REPEAT: {
        uint32_t lo = 0, hi = 0;
        bool ok = true;
        if (c != CTX_PATTERN) {
            ERR(S, e->span, "repetition '{n}' is allowed only in a rule's 'when' pattern");
            return node(S, DSL_EXPR_ERROR, e->span);
        }
        e->a = as_pattern(S, check(S, e->a, c, NULL), "{n}");
        finish(e);
        ok &= to_count(S, e->span, e->num, NULL, "a repetition count", 1, 255, &lo);
        if (e->ival2 < 0) {
            ERR(S, e->span, "repetition without a maximum: write '{%g,N}' with N at most 255", e->num);
            ok = false;
        } else if (ok) {
            ok &= to_count(S, e->span, e->qty.value, NULL, "a repetition maximum", lo, 255, &hi);
        }
        e->ival = (int32_t)lo;
        e->ival2 = (int32_t)hi;
        e->type = ty(ok && e->a->type.kind != DSL_TYPE_ERROR ? DSL_TYPE_PATTERN : DSL_TYPE_ERROR);
        return e;
    }
    case DSL_EXPR_ABSENT: {
        struct dsl_decl *d;
        uint32_t ms;
        if (c != CTX_PATTERN) {
            ERR(S, e->span, "'absent' is a watchdog and belongs in a rule's 'when' pattern");
            return node(S, DSL_EXPR_ERROR, e->span);
        }
        d = lookup(S, e->name, e->name_span, true);
        e->type = ty(DSL_TYPE_ERROR);
        if (d == NULL)
            return e;
        if (d->kind != DSL_DECL_INPUT) {
            int h = ERR(S, e->name_span, "'absent' watches an input, but '%s' is %s %s", e->name,
                        art(d->kind), kind_names[d->kind]);
            diag_note(S->diag, h, d->name_span, "'%s' declared here", e->name);
            return e;
        }
        if (!to_ms(S, &e->qty, "'absent' duration", &ms))
            return e;
        e->decl = d;
        e->ms = ms;
        e->type = ty(DSL_TYPE_PATTERN);
        return e;
    }
    default:
        /* already-resolved kinds do not reach check() */
        e->type = ty(DSL_TYPE_ERROR);
        return e;
    }
}

/* ------------------------------------------------------------ patterns */

/* Stands for "already reported as unbounded" below an unbounded node, so
** its children are not reported again; ms = UINT32_MAX passes every test. */
static const struct dsl_expr unbounded_seen = { .ms = UINT32_MAX };

/* Checks bounds: every multi-event construct under a `within`; `not` only
** after `then`; inner bounds no longer than outer ones.  Counts leaves. */
static void check_bounds(struct sema *S, struct dsl_expr *e, const struct dsl_expr *outer, uint32_t *leaves)
{
    uint32_t bound = outer ? outer->ms : 0;
    switch (e->kind) {
    case DSL_EXPR_EVENT:
    case DSL_EXPR_COND:
    case DSL_EXPR_ABSENT:
        (*leaves)++;
        return;
    case DSL_EXPR_WITHIN:
        if (bound && e->ms > bound)
            ERR(S, e->qty.span, "this bound (%g %s) is longer than the enclosing 'within %g %s'", e->qty.value,
                e->qty.unit, outer->qty.value, outer->qty.unit);
        check_bounds(S, e->a, e, leaves);
        return;
    case DSL_EXPR_SEQ:
    case DSL_EXPR_ALL:
        if (!bound && e->kind == DSL_EXPR_SEQ && e->b->kind == DSL_EXPR_NOT)
            ERR(S, e->span, "negation needs a time bound: write 'a then not b within D'");
        else if (!bound)
            ERR(S, e->span, "a pattern of several events needs a time bound: add 'within D' (e.g. 'within 10 s')");
        check_bounds(S, e->a, outer ? outer : &unbounded_seen, leaves);
        if (e->kind == DSL_EXPR_ALL && e->b->kind == DSL_EXPR_NOT)
            ERR(S, e->b->span, "'not' is allowed only after 'then'");
        check_bounds(S, e->b, outer ? outer : &unbounded_seen, leaves);
        return;
    case DSL_EXPR_ANY:
        check_bounds(S, e->a, outer, leaves);
        check_bounds(S, e->b, outer, leaves);
        return;
    case DSL_EXPR_REPEAT:
        if (!bound && e->ival2 > 1)
            ERR(S, e->span, "a repetition needs a time bound: add 'within D' (e.g. 'within 10 s')");
        check_bounds(S, e->a, outer ? outer : &unbounded_seen, leaves);
        return;
    case DSL_EXPR_NOT:
        if (!bound)
            ERR(S, e->span, "negation needs a time bound: write 'a then not b within D'");
        check_bounds(S, e->a, outer ? outer : &unbounded_seen, leaves);
        return;
    default:
        return;
    }
}

/* ------------------------------------------------------------ declarations */

static void check_input(struct sema *S, struct dsl_decl *d)
{
    struct dsl_input *in = &d->u.input;
    static const char *const elems[] = {
#define X(id, s, b) s,
        DSL_ELEM_LIST(X)
#undef X
    };
    const char *tname = in->type_name;
    size_t i;
    in->len = 1;
    if (in->elem_name != NULL) {
        /* vecN<T> */
        char *endp;
        unsigned long n = 0;
        if (strncmp(tname, "vec", 3) == 0 && tname[3] >= '1' && tname[3] <= '9')
            n = strtoul(tname + 3, &endp, 10);
        else
            endp = (char *)(uintptr_t)tname;
        if (n == 0 || *endp != '\0' || n > DSL_MAX_VECTOR) {
            ERR(S, in->type_span, "unknown vector type '%s<%s>': write vecN<T> with N from 1 to %u", tname,
                in->elem_name, DSL_MAX_VECTOR);
            return;
        }
        in->len = (uint32_t)n;
        tname = in->elem_name;
    }
    for (i = 0; i < DSL_ELEM_COUNT_; i++)
        if (strcmp(tname, elems[i]) == 0)
            break;
    if (i == DSL_ELEM_COUNT_) {
        const char *sug = suggest_list(tname, elems, DSL_ELEM_COUNT_);
        if (sug)
            ERR(S, in->type_span, "unknown type '%s' (known: i8, i16, i32, f32, bool, vecN<T>); did you mean '%s'?",
                tname, sug);
        else
            ERR(S, in->type_span, "unknown type '%s' (known: i8, i16, i32, f32, bool, vecN<T>)", tname);
        return;
    }
    in->elem = (enum dsl_elem)i;
    if (in->elem == DSL_ELEM_BOOL && in->len > 1) {
        ERR(S, in->type_span, "vectors of bool are not supported");
        return;
    }
    if (in->has_rate) {
        const struct dsl_quantity *q = &in->rate;
        double f = 0;
        if (q->unit == NULL)
            ERR(S, q->span, "sample rate '%g' needs a unit (Hz or kHz)", q->value);
        else if (!strcmp(q->unit, "Hz"))
            f = 1;
        else if (!strcmp(q->unit, "kHz"))
            f = 1000;
        else if (is_time_unit(q->unit))
            ERR(S, q->span, "a sample rate is a frequency: write e.g. '@ 10 Hz', not a period in %s", q->unit);
        else
            ERR(S, q->span, "unknown rate unit '%s' (use Hz or kHz)", q->unit);
        if (f > 0) {
            in->rate_hz = q->value * f;
            if (!(in->rate_hz > 0) || in->rate_hz > 1e6) {
                ERR(S, q->span, "sample rate must be above 0 Hz and at most 1 MHz");
                in->rate_hz = 0;
            }
        }
    }
    if (in->has_scale) {
        if (in->elem == DSL_ELEM_F32 || in->elem == DSL_ELEM_BOOL)
            ERR(S, in->scale_span, "'scale' applies to integer inputs (i8, i16, i32), not %s", elems[in->elem]);
        else if (in->scale == 0 || !isfinite(in->scale))
            ERR(S, in->scale_span, "'scale' must not be 0");
    }
    if (in->unit != NULL && in->elem == DSL_ELEM_BOOL)
        ERR(S, in->unit_span, "a bool input has no unit");
}

/* Resolves a window's source (`vib.z`, `temp`) to input + component. */
static bool window_source(struct sema *S, struct dsl_window *w, struct dsl_expr *src)
{
    struct dsl_expr *r;
    struct dsl_decl *save = S->event;
    S->event = NULL;
    if (src->kind == DSL_EXPR_NAME) {
        struct dsl_decl *d = lookup(S, src->name, src->span, true);
        if (d == NULL)
            return false;
        if (d->kind != DSL_DECL_INPUT) {
            int h = ERR(S, src->span, "a window reads an input, but '%s' is %s %s", d->name,
                        art(d->kind), kind_names[d->kind]);
            diag_note(S->diag, h, d->name_span, "'%s' declared here", d->name);
            return false;
        }
    }
    r = check(S, src, CTX_SIGNAL, NULL);
    S->event = save;
    if (r->type.kind == DSL_TYPE_ERROR)
        return false;
    if (r->kind != DSL_EXPR_INPUT) {
        ERR(S, src->span, "a window reads an input or one component of it (e.g. 'vib.z')");
        return false;
    }
    if (r->type.kind == DSL_TYPE_VECTOR) {
        ERR(S, src->span, "window over the vector input '%s' needs one component, e.g. '%s.x' or '%s[0]'",
            r->decl->name, r->decl->name, r->decl->name);
        return false;
    }
    if (r->type.kind == DSL_TYPE_BOOL) {
        ERR(S, src->span, "window over the bool input '%s': features need numbers", r->decl->name);
        return false;
    }
    w->input = r->decl;
    w->component = r->ival;
    w->source = r;
    return true;
}

static bool is_pow2(uint32_t v)
{
    return v != 0 && (v & (v - 1)) == 0;
}

static void check_window(struct sema *S, struct dsl_decl *d)
{
    struct dsl_window *w = &d->u.window;
    const struct dsl_winspec *sp = &w->spec;
    double rate;
    bool ok = true;
    if (!window_source(S, w, w->source))
        return;
    rate = w->input->u.input.rate_hz;
    w->kind = sp->kind;
    if (sp->size.unit != NULL && !is_time_unit(sp->size.unit)) {
        if (to_ms(S, &sp->size, "window size", &w->size_ms))
            ok = false;
        return;
    }
    w->by_time = sp->size.unit != NULL;
    if (w->by_time) {
        if (!to_ms(S, &sp->size, "window size", &w->size_ms))
            return;
    } else if (!to_count(S, sp->size.span, sp->size.value, NULL, "window size", 1, DSL_MAX_WINDOW, &w->capacity)) {
        return;
    }
    if (sp->maxcount.span.end != 0) {
        uint32_t mx;
        if (!w->by_time || rate > 0) {
            ERR(S, sp->maxcount.span, "'max' bounds a time window over an event-driven input; '%s' %s",
                d->name, !w->by_time ? "is a count window" : "reads a sampled input");
            return;
        }
        if (!to_count(S, sp->maxcount.span, sp->maxcount.value, sp->maxcount.unit, "'max'", 1, DSL_MAX_WINDOW, &mx))
            return;
        w->capacity = mx;
    } else if (w->by_time) {
        double cap;
        if (rate <= 0) {
            int h = ERR(S, sp->size.span, "time window on the event-driven input '%s' has no bound: add 'max N' "
                                          "(the most samples it may hold)", w->input->name);
            diag_note(S->diag, h, w->input->name_span, "'%s' has no sample rate ('@ N Hz')", w->input->name);
            return;
        }
        cap = ceil((double)w->size_ms * rate / 1000.0 - 1e-9);
        if (cap > DSL_MAX_WINDOW) {
            ERR(S, sp->size.span, "window '%s' needs %.0f samples of '%s' at %g Hz (limit is %u)", d->name, cap,
                w->input->name, rate, DSL_MAX_WINDOW);
            return;
        }
        if ((double)w->size_ms < 1000.0 / rate) {
            ERR(S, sp->size.span, "window '%s' of %u ms is shorter than one sample period of '%s' (%g ms at %g Hz)",
                d->name, w->size_ms, w->input->name, 1000.0 / rate, rate);
            return;
        }
        w->capacity = (uint32_t)cap;
    }
    /* hop */
    w->hop = 1;
    if (sp->kind == DSL_WIN_TUMBLING) {
        /* over an event-driven input a time block ends by time, not count */
        w->hop = w->by_time && rate <= 0 ? 1 : w->capacity;
        w->hop_ms = w->size_ms;
    } else if (sp->hop.span.end != 0) {
        if (sp->hop.unit != NULL) {
            if (!to_ms(S, &sp->hop, "hop", &w->hop_ms))
                return;
            if (w->by_time && w->hop_ms > w->size_ms) {
                ERR(S, sp->hop.span, "hop (%u ms) is longer than the window (%u ms)", w->hop_ms, w->size_ms);
                return;
            }
            if (rate > 0) {
                double h = ceil((double)w->hop_ms * rate / 1000.0 - 1e-9);
                w->hop = h < 1 ? 1 : (uint32_t)h;
            }
        } else if (!to_count(S, sp->hop.span, sp->hop.value, NULL, "hop", 1, DSL_MAX_WINDOW, &w->hop)) {
            return;
        }
        if (w->hop > w->capacity) {
            ERR(S, sp->hop.span, "hop (%u samples) is longer than the window (%u samples)", w->hop, w->capacity);
            return;
        }
    }
    (void)ok;
}

static enum dsl_fsrc func_src(enum dsl_func f)
{
    static const enum dsl_fsrc t[] = {
#define X(id, name, src, arg, unit, state) DSL_FSRC_##src,
        DSL_FEATURE_LIST(X)
#undef X
    };
    return t[f];
}

static enum dsl_farg func_arg(enum dsl_func f)
{
    static const enum dsl_farg t[] = {
#define X(id, name, src, arg, unit, state) DSL_FARG_##arg,
        DSL_FEATURE_LIST(X)
#undef X
    };
    return t[f];
}

static enum dsl_funit func_unit(enum dsl_func f)
{
    static const enum dsl_funit t[] = {
#define X(id, name, src, arg, unit, state) DSL_FUNIT_##unit,
        DSL_FEATURE_LIST(X)
#undef X
    };
    return t[f];
}

/* Appends a checked declaration to the output order. */
static void emit(struct sema *S, struct dsl_decl *d)
{
    if (S->out == NULL)
        S->out = ast_list_new(d, d->span);
    else
        ast_list_add(S->out, d, d->span);
}

static void check_feature(struct sema *S, struct dsl_decl *d)
{
    struct dsl_feature *f = &d->u.feature;
    struct dsl_expr *call = f->call, *src;
    const char *names[DSL_FUNC_COUNT_];
    size_t i;
    enum dsl_farg argk;
    const char *unit = NULL;
    uint32_t want;

    f->type = ty(DSL_TYPE_ERROR);
    f->component = -1;
    for (i = 0; i < DSL_FUNC_COUNT_; i++)
        names[i] = dsl_func_name((enum dsl_func)i);
    if (call->kind == DSL_EXPR_ERROR)
        return;
    if (call->kind != DSL_EXPR_CALL) {
        ERR(S, call->span, "a feature is one feature function applied to a window or a stream, e.g. 'rms(w)'");
        return;
    }
    for (i = 0; i < DSL_FUNC_COUNT_; i++)
        if (strcmp(names[i], call->name) == 0)
            break;
    if (i == DSL_FUNC_COUNT_) {
        const char *sug = suggest_list(call->name, names, DSL_FUNC_COUNT_);
        if (sug)
            ERR(S, call->name_span, "unknown feature function '%s'; did you mean '%s'?", call->name, sug);
        else
            ERR(S, call->name_span, "unknown feature function '%s' (see 'Features' in docs/language.md)", call->name);
        return;
    }
    f->func = (enum dsl_func)i;
    argk = func_arg(f->func);
    want = argk == DSL_FARG_NONE ? 1 : 2;
    if (call->nargs != want) {
        ERR(S, call->span, "'%s' takes %u argument%s (%s%s), not %u", call->name, want, want == 1 ? "" : "s",
            func_src(f->func) == DSL_FSRC_WINDOW ? "a window" : "an input or a feature",
            argk == DSL_FARG_BANDS ? " and a number of bands" : argk == DSL_FARG_ALPHA ? " and a smoothing factor" : "",
            call->nargs);
        return;
    }
    src = call->args[0];
    if (func_src(f->func) == DSL_FSRC_WINDOW) {
        struct dsl_decl *w = NULL;
        if (src->kind == DSL_EXPR_WINDOW) {
            /* inline window: an anonymous window declared just before */
            w = ast_alloc(S->arena, sizeof *w);
            w->kind = DSL_DECL_WINDOW;
            w->name = ast_printf(S->arena, "%s.window", d->name);
            w->span = src->span;
            w->name_span = src->span;
            w->u.window.source = src->a;
            w->u.window.spec = *src->win;
            w->u.window.anonymous = true;
            w->u.window.owner = d;
            check_window(S, w);
            if (w->u.window.input == NULL || w->u.window.capacity == 0)
                return;
            emit(S, w);
        } else if (src->kind == DSL_EXPR_NAME) {
            w = lookup(S, src->name, src->span, true);
            if (w == NULL)
                return;
            if (w->kind == DSL_DECL_INPUT) {
                ERR(S, src->span, "'%s' needs a window, e.g. '%s(%s over 10 s)' or a declared window", call->name,
                    call->name, src->name);
                return;
            }
            if (w->kind != DSL_DECL_WINDOW) {
                int h = ERR(S, src->span, "'%s' needs a window, but '%s' is %s %s", call->name, src->name,
                            art(w->kind), kind_names[w->kind]);
                diag_note(S->diag, h, w->name_span, "'%s' declared here", w->name);
                return;
            }
            if (w->u.window.capacity == 0)
                return; /* the window had an error */
        } else {
            ERR(S, src->span, "'%s' needs a window: a window name or 'input over D'", call->name);
            return;
        }
        f->window = w;
        unit = w->u.window.input->u.input.unit;
        if (f->func == DSL_FUNC_BAND_ENERGY || f->func == DSL_FUNC_DOMINANT_FREQ) {
            if (!is_pow2(w->u.window.capacity) || w->u.window.capacity < 4) {
                ERR(S, src->span, "'%s' needs a window of a power-of-two number of samples (4, 8, ... 65536); "
                                  "'%s' holds %u", call->name, w->name, w->u.window.capacity);
                return;
            }
            if (w->u.window.input->u.input.rate_hz <= 0 && f->func == DSL_FUNC_DOMINANT_FREQ) {
                ERR(S, src->span, "'dominant_freq' needs an input with a sample rate; '%s' is event-driven",
                    w->u.window.input->name);
                return;
            }
        }
    } else {
        struct dsl_expr *r;
        if (src->kind == DSL_EXPR_WINDOW) {
            ERR(S, src->span, "'%s' reads a stream (an input or a feature), not a window", call->name);
            return;
        }
        if (src->kind == DSL_EXPR_NAME) {
            struct dsl_decl *w = lookup(S, src->name, src->span, true);
            if (w == NULL)
                return;
            if (w->kind == DSL_DECL_WINDOW) {
                ERR(S, src->span, "'%s' reads a stream (an input or a feature), not the window '%s'", call->name,
                    src->name);
                return;
            }
        }
        r = check(S, src, CTX_SIGNAL, NULL);
        if (r->type.kind == DSL_TYPE_ERROR)
            return;
        if ((r->kind != DSL_EXPR_INPUT && r->kind != DSL_EXPR_FEATURE) || r->type.kind != DSL_TYPE_NUMBER) {
            char tb[64];
            ERR(S, src->span, "'%s' reads a scalar input or feature, but this is %s", call->name,
                r->kind == DSL_EXPR_INPUT || r->kind == DSL_EXPR_FEATURE ? tstr(&r->type, tb, sizeof tb)
                                                                         : "computed expression");
            return;
        }
        f->source = r->decl;
        f->component = r->kind == DSL_EXPR_INPUT ? r->ival : -1;
        unit = r->type.unit;
        call->args[0] = r;
    }
    if (argk != DSL_FARG_NONE) {
        struct dsl_expr *a = call->args[1];
        if (a->kind != DSL_EXPR_NUMBER) {
            ERR(S, a->span, "the %s of '%s' must be a constant number", argk == DSL_FARG_BANDS ? "band count" : "smoothing factor",
                call->name);
            return;
        }
        a->type = ty(DSL_TYPE_NUMBER);
        if (argk == DSL_FARG_BANDS) {
            uint32_t n;
            if (!to_count(S, a->span, a->num, a->unit, "the band count", 1, f->window->u.window.capacity / 2, &n))
                return;
            f->arg = n;
        } else {
            if (a->unit != NULL || !(a->num > 0 && a->num <= 1)) {
                ERR(S, a->span, "the smoothing factor of 'ewma' must be a number above 0 and at most 1");
                return;
            }
            f->arg = a->num;
        }
    }
    f->type = ty(f->func == DSL_FUNC_BAND_ENERGY ? DSL_TYPE_VECTOR : DSL_TYPE_NUMBER);
    f->type.len = f->func == DSL_FUNC_BAND_ENERGY ? (uint32_t)f->arg : 0;
    switch (func_unit(f->func)) {
    case DSL_FUNIT_SAME: f->type.unit = unit; break;
    case DSL_FUNIT_NONE: f->type.unit = NULL; break;
    case DSL_FUNIT_PER_S: f->type.unit = unit ? ast_printf(S->arena, "%s/s", unit) : NULL; break;
    case DSL_FUNIT_SQUARED: f->type.unit = unit ? ast_printf(S->arena, "%s^2", unit) : NULL; break;
    case DSL_FUNIT_HZ: f->type.unit = "Hz"; break;
    }
}

static bool file_exists(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return false;
    fclose(f);
    return true;
}

static void check_model(struct sema *S, struct dsl_decl *d)
{
    struct dsl_model *m = &d->u.model;
    uint32_t i, j;
    bool ok = true;
    if (m->ninputs > DSL_MAX_VECTOR) {
        ERR(S, d->name_span, "too many inputs (limit is %u) in model '%s'", DSL_MAX_VECTOR, d->name);
        return;
    }
    if (m->ninputs == 0) {
        ERR(S, d->name_span, "model '%s' has no inputs: list the features or inputs it reads", d->name);
        ok = false;
    }
    for (i = 0; i < m->ninputs; i++) {
        struct dsl_binding *b = &m->inputs[i];
        struct dsl_decl *x = lookup(S, b->name, b->span, true);
        if (x == NULL) {
            ok = false;
            continue;
        }
        if (x->kind == DSL_DECL_INPUT) {
            b->len = x->u.input.len;
        } else if (x->kind == DSL_DECL_FEATURE) {
            if (x->u.feature.type.kind == DSL_TYPE_ERROR) {
                ok = false;
                continue;
            }
            b->len = x->u.feature.type.kind == DSL_TYPE_VECTOR ? x->u.feature.type.len : 1;
        } else {
            int h = ERR(S, b->span, "a model reads inputs and features, but '%s' is %s %s", b->name,
                        art(x->kind), kind_names[x->kind]);
            diag_note(S->diag, h, x->name_span, "'%s' declared here", b->name);
            ok = false;
            continue;
        }
        b->decl = x;
        m->input_size += b->len;
    }
    if (m->kind == DSL_MODEL_ANOMALY) {
        to_ms(S, &m->learn, "learning time", &m->learn_ms);
        return;
    }
    /* tflite */
    if (m->outputs == DSL_MOUTS_CLASSES) {
        if (m->nclasses == 0)
            ERR(S, m->outputs_span, "model '%s' lists no classes", d->name);
        if (m->nclasses > DSL_MAX_VECTOR) {
            ERR(S, m->outputs_span, "too many classes (limit is %u) in model '%s'", DSL_MAX_VECTOR, d->name);
            m->nclasses = 0;
        }
        for (i = 0; i < m->nclasses; i++)
            for (j = 0; j < i; j++)
                if (strcmp(m->classes[i].name, m->classes[j].name) == 0) {
                    int h = ERR(S, m->classes[i].span, "class '%s' listed twice", m->classes[i].name);
                    diag_note(S->diag, h, m->classes[j].span, "first listed here");
                    break;
                }
    } else if (m->outputs == DSL_MOUTS_VALUES) {
        to_count(S, m->nvalues_q.span, m->nvalues_q.value, m->nvalues_q.unit, "'outputs'", 1, DSL_MAX_VECTOR,
                 &m->nvalues);
    }
    if (m->path[0] == '/')
        m->file = m->path;
    else
        m->file = ast_printf(S->arena, "%s/%s", S->m->dir, m->path);
    if (m->path[0] == '\0') {
        ERR(S, m->path_span, "empty model file name");
        return;
    }
    if (S->opt->no_model_files)
        return;
    if (!file_exists(m->file)) {
        ERR(S, m->path_span, "model file '%s' not found (looked for '%s')", m->path, m->file);
        return;
    }
    if (ok && S->opt->resolve_model != NULL) {
        struct dsl_model_info info;
        char msg[256] = "";
        memset(&info, 0, sizeof info);
        if (S->opt->resolve_model(S->opt->resolver_ctx, d, &info, msg, sizeof msg) != 0) {
            ERR(S, m->path_span, "model file '%s': %s", m->path, msg[0] ? msg : "cannot be read");
            return;
        }
        if (info.input_size != m->input_size) {
            int h = ERR(S, d->name_span, "model '%s' takes %u input values, but its bindings give %u", d->name,
                        info.input_size, m->input_size);
            for (i = 0; i < m->ninputs; i++)
                diag_note(S->diag, h, m->inputs[i].span, "'%s' gives %u", m->inputs[i].name, m->inputs[i].len);
        }
        if (m->outputs == DSL_MOUTS_CLASSES && info.output_count != m->nclasses)
            ERR(S, m->outputs_span, "model '%s' has %u outputs, but %u classes are listed", d->name,
                info.output_count, m->nclasses);
        if (m->outputs == DSL_MOUTS_VALUES && info.output_count != m->nvalues)
            ERR(S, m->outputs_span, "model '%s' has %u outputs, not %u", d->name, info.output_count, m->nvalues);
        if (m->outputs == DSL_MOUTS_RECONSTRUCTION && info.output_count != m->input_size)
            ERR(S, m->outputs_span, "reconstruction model '%s' has %u outputs for %u inputs", d->name,
                info.output_count, m->input_size);
    }
}

/* Infers parameter types from comparisons with typed operands. */
static void infer_params(struct sema *S, struct dsl_decl *ev, const struct dsl_expr *e)
{
    struct dsl_type t = ty(DSL_TYPE_ERROR);
    const struct dsl_expr *p = NULL, *o = NULL;
    int32_t pi;
    if (e == NULL)
        return;
    if (e->kind == DSL_EXPR_UNARY) {
        infer_params(S, ev, e->a);
        return;
    }
    if (e->kind != DSL_EXPR_BINARY)
        return;
    infer_params(S, ev, e->a);
    infer_params(S, ev, e->b);
    if (e->op == DSL_OP_AND || e->op == DSL_OP_OR || e->op == DSL_OP_THEN)
        return;
    if (e->a->kind == DSL_EXPR_NAME && param_index(ev, e->a->name) >= 0) {
        p = e->a;
        o = e->b;
    } else if (e->b->kind == DSL_EXPR_NAME && param_index(ev, e->b->name) >= 0) {
        p = e->b;
        o = e->a;
    } else {
        return;
    }
    pi = param_index(ev, p->name);
    if (ev->u.event.params[pi].type.kind != DSL_TYPE_ERROR)
        return;
    if (e->op != DSL_OP_EQ && e->op != DSL_OP_NE) {
        t = ty(DSL_TYPE_NUMBER);
    } else if (o->kind == DSL_EXPR_NUMBER) {
        t = ty(DSL_TYPE_NUMBER);
    } else if (o->kind == DSL_EXPR_BOOL) {
        t = ty(DSL_TYPE_BOOL);
    } else if (o->kind == DSL_EXPR_MEMBER && o->a->kind == DSL_EXPR_NAME && strcmp(o->name, "class") == 0) {
        struct sym *s = sym_find(S, o->a->name);
        if (s && s->decl->kind == DSL_DECL_MODEL) {
            t = ty(DSL_TYPE_CLASS);
            t.model = s->decl;
        }
    } else if (o->kind == DSL_EXPR_NAME) {
        struct sym *s = sym_find(S, o->name);
        if (s && s->decl->kind == DSL_DECL_INPUT)
            t = input_type(s->decl, -1);
        else if (s && s->decl->kind == DSL_DECL_FEATURE)
            t = s->decl->u.feature.type;
        t.unit = NULL;
    } else {
        t = ty(DSL_TYPE_NUMBER);
    }
    ev->u.event.params[pi].type = t;
}

static void check_event(struct sema *S, struct dsl_decl *d)
{
    struct dsl_event *ev = &d->u.event;
    uint32_t i, j;
    char tb[64];
    if (ev->nparams > 16) {
        ERR(S, ev->params[16].span, "too many parameters (limit is 16) in event '%s'", d->name);
        return;
    }
    for (i = 0; i < ev->nparams; i++) {
        struct sym *s = sym_find(S, ev->params[i].name);
        for (j = 0; j < i; j++)
            if (strcmp(ev->params[i].name, ev->params[j].name) == 0) {
                int h = ERR(S, ev->params[i].span, "parameter '%s' listed twice", ev->params[i].name);
                diag_note(S->diag, h, ev->params[j].span, "first listed here");
                return;
            }
        if (s != NULL) {
            int h = ERR(S, ev->params[i].span, "parameter '%s' hides the %s '%s'", ev->params[i].name,
                        kind_names[s->decl->kind], s->name);
            diag_note(S->diag, h, s->decl->name_span, "'%s' declared here", s->name);
            return;
        }
    }
    infer_params(S, d, ev->cond);
    for (i = 0; i < ev->nparams; i++)
        if (ev->params[i].type.kind == DSL_TYPE_ERROR) {
            ERR(S, ev->params[i].span, "cannot tell the type of parameter '%s': compare it in the condition with "
                                       "a model class, a number or a bool", ev->params[i].name);
            return;
        }
    S->event = d;
    ev->cond = check(S, ev->cond, CTX_SIGNAL, NULL);
    if (ev->cond->type.kind != DSL_TYPE_ERROR && ev->cond->type.kind != DSL_TYPE_BOOL)
        ERR(S, ev->cond->span, "an event condition must be a bool, but this is %s",
            tstr(&ev->cond->type, tb, sizeof tb));
    if (ev->clear != NULL) {
        ev->clear = check(S, ev->clear, CTX_SIGNAL, NULL);
        if (ev->clear->type.kind != DSL_TYPE_ERROR && ev->clear->type.kind != DSL_TYPE_BOOL)
            ERR(S, ev->clear->span, "a 'clear when' condition must be a bool, but this is %s",
                tstr(&ev->clear->type, tb, sizeof tb));
    }
    S->event = NULL;
    if (ev->for_q.span.end != 0)
        to_ms(S, &ev->for_q, "'for' duration", &ev->for_ms);
    if (ev->n != 0 && (ev->k > ev->n || ev->n > 32)) {
        ERR(S, ev->kn_span, "'in %u of %u': K must be at most N, and N at most 32", ev->k, ev->n);
    }
    if (ev->edge != DSL_EDGE_NONE && (ev->for_q.span.end != 0 || ev->n != 0 || ev->clear != NULL))
        ERR(S, d->name_span, "event '%s': 'becomes' makes an instant event; it cannot have 'for', 'in K of N' or "
                             "'clear when'", d->name);
}

static const char *const severities[] = {
#define X(id, s) s,
    DSL_SEVERITY_LIST(X)
#undef X
};
static const char *const policies[] = {
#define X(id, s) s,
    DSL_POLICY_LIST(X)
#undef X
};

/* Parses the alert message template `text {expr:fmt} text` from the raw
** source between the quotes, so every capture has exact source offsets. */
static void check_message(struct sema *S, struct dsl_rule *r)
{
    const char *buf = S->P->buf;
    uint32_t i = r->message_span.start + 1, end = r->message_span.end;
    struct ast_list *parts = NULL;
    char *text = NULL;
    size_t tlen = 0, tcap = 0;
    uint32_t tstart = i;

    if (end > i && buf[end - 1] == '"')
        end--;
#define PUTC(ch)                                                   \
    do {                                                           \
        if (tlen + 2 > tcap) {                                     \
            tcap = tcap ? tcap * 2 : 64;                           \
            text = realloc(text, tcap);                            \
            if (text == NULL)                                      \
                exit(2);                                           \
        }                                                          \
        text[tlen++] = (ch);                                       \
    } while (0)
    while (i < end) {
        char ch = buf[i];
        if (ch == '\\' && i + 1 < end) {
            char n = buf[i + 1];
            PUTC(n == 'n' ? '\n' : n == 't' ? '\t' : n);
            i += 2;
            continue;
        }
        if (ch == '{' && i + 1 < end && buf[i + 1] == '{') {
            PUTC('{');
            i += 2;
            continue;
        }
        if (ch == '}' && i + 1 < end && buf[i + 1] == '}') {
            PUTC('}');
            i += 2;
            continue;
        }
        if (ch == '}') {
            struct dsl_span at = { i, i + 1 };
            ERR(S, at, "'}' without '{' in message: write '}}' for a literal brace");
            i++;
            continue;
        }
        if (ch == '{') {
            uint32_t open = i, j = i + 1, colon = 0, close = 0;
            struct dsl_msgpart *part;
            struct dsl_expr *e = NULL;
            while (j < end && buf[j] != '}' && buf[j] != '{') {
                if (buf[j] == ':')
                    colon = j; /* the last one: formats have none */
                j++;
            }
            if (j >= end || buf[j] != '}') {
                struct dsl_span o = { open, open + 1 };
                ERR(S, o, "unclosed '{' in message: close the capture with '}', or write '{{' for a literal brace");
                i = j;
                continue;
            }
            close = j;
            if (tlen > 0) {
                struct dsl_msgpart *tp = ast_alloc(S->arena, sizeof *tp);
                tp->text = ast_strndup(S->arena, text, tlen);
                tp->span.start = tstart;
                tp->span.end = open;
                parts = parts ? ast_list_add(parts, tp, tp->span) : ast_list_new(tp, tp->span);
                tlen = 0;
            }
            /* the expression, parsed by the grammar itself */
            {
                uint32_t k = open + 1, stop = colon ? colon : close;
                while (k < stop && (buf[k] == ' ' || buf[k] == '\t'))
                    k++;
                if (k == stop) {
                    struct dsl_span bad = { open, close + 1 };
                    ERR(S, bad, "empty capture '{}': write '{name}' or '{name:fmt}', or '{{' for a brace");
                    i = close + 1;
                    tstart = i;
                    continue;
                }
                e = ast_parse_expr(S->P, open + 1, stop);
                if (e == NULL) {
                    i = close + 1;
                    tstart = i;
                    continue;
                }
            }
            part = ast_alloc(S->arena, sizeof *part);
            part->span.start = open;
            part->span.end = close + 1;
            part->fmt = colon ? ast_strndup(S->arena, buf + colon + 1, close - colon - 1) : "";
            {
                /* printf-like: flags, width, .precision, conversion */
                const char *f = part->fmt;
                while (*f && strchr("-+ 0#", *f))
                    f++;
                while (*f >= '0' && *f <= '9')
                    f++;
                if (*f == '.') {
                    f++;
                    if (!(*f >= '0' && *f <= '9'))
                        f = "!";
                    while (*f >= '0' && *f <= '9')
                        f++;
                }
                if (*f && strchr("dfegx", *f))
                    f++;
                if (*f != '\0' || strlen(part->fmt) > 12) {
                    struct dsl_span fs = { colon + 1, close };
                    ERR(S, fs, "bad format '%s': write e.g. '.1f', '5d', 'e', 'g' or 'x'", part->fmt);
                }
            }
            part->expr = check(S, e, CTX_CAPTURE, NULL);
            if (part->expr->type.kind == DSL_TYPE_VECTOR) {
                ERR(S, part->expr->span, "a message can show a number, a bool or a class, not a vector; pick an "
                                         "element, e.g. [0]");
            }
            parts = parts ? ast_list_add(parts, part, part->span) : ast_list_new(part, part->span);
            i = close + 1;
            tstart = i;
            continue;
        }
        PUTC(ch);
        i++;
    }
    if (tlen > 0) {
        struct dsl_msgpart *tp = ast_alloc(S->arena, sizeof *tp);
        tp->text = ast_strndup(S->arena, text, tlen);
        tp->span.start = tstart;
        tp->span.end = end;
        parts = parts ? ast_list_add(parts, tp, tp->span) : ast_list_new(tp, tp->span);
    }
#undef PUTC
    free(text);
    if (parts != NULL) {
        uint32_t k;
        r->parts = ast_alloc(S->arena, parts->n * sizeof *r->parts);
        for (k = 0; k < parts->n; k++)
            r->parts[k] = *(struct dsl_msgpart *)parts->items[k];
        r->nparts = parts->n;
        ast_list_free(parts);
    }
}

static void check_rule(struct sema *S, struct dsl_decl *d)
{
    struct dsl_rule *r = &d->u.rule;
    size_t i;
    S->rule = r;
    r->pattern = as_pattern(S, check(S, r->pattern, CTX_PATTERN, NULL), "when");
    if (r->pattern->type.kind == DSL_TYPE_PATTERN) {
        check_bounds(S, r->pattern, NULL, &r->nevents);
        r->within_ms = r->pattern->kind == DSL_EXPR_WITHIN ? r->pattern->ms : 0;
        if (r->pattern->kind == DSL_EXPR_NOT)
            ERR(S, r->pattern->span, "a rule cannot start with 'not': write 'a then not b within D'");
    }
    /* copy labels into the arena */
    if (r->nlabels > 0) {
        struct dsl_label *l = ast_alloc(S->arena, r->nlabels * sizeof *l);
        memcpy(l, r->labels, r->nlabels * sizeof *l);
        free(r->labels);
        r->labels = l;
    }
    if (r->where != NULL) {
        char tb[64];
        r->where = check(S, r->where, CTX_CAPTURE, NULL);
        if (r->where->type.kind != DSL_TYPE_ERROR && r->where->type.kind != DSL_TYPE_BOOL)
            ERR(S, r->where->span, "a 'where' condition must be a bool, but this is %s",
                tstr(&r->where->type, tb, sizeof tb));
    }
    for (i = 0; i < DSL_SEV_COUNT_; i++)
        if (strcmp(severities[i], r->severity_name) == 0)
            break;
    if (i == DSL_SEV_COUNT_) {
        const char *sug = suggest_list(r->severity_name, severities, DSL_SEV_COUNT_);
        if (sug)
            ERR(S, r->severity_span, "unknown severity '%s' (known: info, warning, error, critical); did you mean '%s'?",
                r->severity_name, sug);
        else
            ERR(S, r->severity_span, "unknown severity '%s' (known: info, warning, error, critical)", r->severity_name);
    } else {
        r->severity = (enum dsl_severity)i;
    }
    check_message(S, r);
    if (r->limit_span.end != 0) {
        to_count(S, r->limit_span, r->limit_q, NULL, "'limit' count", 1, 65535, &r->limit_n);
        to_ms(S, &r->limit_per, "'limit' period", &r->limit_ms);
    }
    if (r->cooldown.span.end != 0)
        to_ms(S, &r->cooldown, "'cooldown'", &r->cooldown_ms);
    r->policy = DSL_POLICY_NEXT;
    if (r->select_span.end != 0) {
        for (i = 0; i < DSL_POLICY_COUNT_; i++)
            if (strcmp(policies[i], r->policy_name) == 0)
                break;
        if (i == DSL_POLICY_COUNT_) {
            const char *sug = suggest_list(r->policy_name, policies, DSL_POLICY_COUNT_);
            if (sug)
                ERR(S, r->select_span, "unknown selection policy '%s' (known: next, any, strict); did you mean '%s'?",
                    r->policy_name, sug);
            else
                ERR(S, r->select_span, "unknown selection policy '%s' (known: next, any, strict)", r->policy_name);
        } else {
            r->policy = (enum dsl_policy)i;
        }
        if (r->consume_name != NULL) {
            if (strcmp(r->consume_name, "all") == 0)
                r->all_matches = true;
            else if (strcmp(r->consume_name, "first") != 0)
                ERR(S, r->select_span, "unknown match choice '%s' after the policy (known: first, all)",
                    r->consume_name);
        }
    }
    r->max_matches = DSL_DEFAULT_MATCHES;
    if (r->matches_span.end != 0)
        to_count(S, r->matches_span, r->matches_q, NULL, "'matches'", 1, DSL_MAX_MATCHES, &r->max_matches);
    S->rule = NULL;
}

/* ------------------------------------------------------------ module */

static bool is_ident(const char *s, size_t n)
{
    size_t i;
    if (n == 0 || !((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z') || s[0] == '_'))
        return false;
    for (i = 1; i < n; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9') ||
              s[i] == '_'))
            return false;
    return true;
}

static void check_module_name(struct sema *S)
{
    struct dsl_parse *P = S->P;
    if (P->module_name != NULL) {
        S->m->name = P->module_name;
        S->m->name_span = P->module_span;
        return;
    }
    {
        const char *file = S->m->file, *base = strrchr(file, '/'), *dot;
        size_t n;
        base = base ? base + 1 : file;
        dot = strrchr(base, '.');
        n = dot && dot != base ? (size_t)(dot - base) : strlen(base);
        if (!is_ident(base, n)) {
            struct dsl_span at = { 0, 0 };
            ERR(S, at, "no 'module NAME;' and the file name '%.*s' is not a valid module name", (int)n, base);
            S->m->name = "module";
            return;
        }
        S->m->name = ast_strndup(S->arena, base, n);
    }
}

static void check_budget(struct sema *S, const struct dsl_quantity *q, bool has, uint64_t *out, struct dsl_span *at)
{
    double f = 0;
    if (!has)
        return;
    *at = q->span;
    if (q->unit == NULL)
        ERR(S, q->span, "budget '%g' needs a unit (B, KB or MB)", q->value);
    else if (!strcmp(q->unit, "B"))
        f = 1;
    else if (!strcmp(q->unit, "KB"))
        f = 1024;
    else if (!strcmp(q->unit, "MB"))
        f = 1024 * 1024;
    else
        ERR(S, q->span, "unknown size unit '%s' (use B, KB or MB)", q->unit);
    if (f > 0) {
        double v = q->value * f;
        if (v != floor(v) || v < 1 || v > 4294967296.0)
            ERR(S, q->span, "budget must be a whole number of bytes from 1 B to 4096 MB");
        else
            *out = (uint64_t)v;
    }
}

bool sema_check(struct dsl_parse *P, const struct dsl_options *opt)
{
    struct sema S;
    struct dsl_module *m = P->mod;
    uint32_t i, n = P->decls ? P->decls->n : 0;
    size_t errors_before = dsl_diag_errors(P->diag);
    struct dsl_decl **all;

    memset(&S, 0, sizeof S);
    S.P = P;
    S.diag = P->diag;
    S.arena = P->arena;
    S.m = m;
    S.opt = opt;
    S.nsyms_cap = 16;
    while (S.nsyms_cap < 2 * (size_t)n + 2)
        S.nsyms_cap *= 2;
    S.syms = calloc(S.nsyms_cap, sizeof *S.syms);
    if (S.syms == NULL) {
        fputs("tinycep: out of memory\n", stderr);
        exit(2);
    }
    check_module_name(&S);
    check_budget(&S, &P->budget_ram, P->has_ram, &m->budget_ram, &m->budget_ram_span);
    check_budget(&S, &P->budget_flash, P->has_flash, &m->budget_flash, &m->budget_flash_span);

    /* pass 1: names */
    for (i = 0; i < n; i++) {
        struct dsl_decl *d = P->decls->items[i];
        struct sym *s = sym_slot(&S, d->name);
        if (s->name != NULL) {
            int h = ERR(&S, d->name_span, "duplicate name '%s': already declared as %s %s", d->name,
                        art(s->decl->kind), kind_names[s->decl->kind]);
            diag_note(S.diag, h, s->decl->name_span, "'%s' first declared here", d->name);
            continue;
        }
        s->name = d->name;
        s->decl = d;
        s->seq = i;
    }
    /* pass 2: each declaration in order */
    for (i = 0; i < n && !diag_full(S.diag); i++) {
        struct dsl_decl *d = P->decls->items[i];
        S.cur_seq = i;
        S.cur = d;
        switch (d->kind) {
        case DSL_DECL_INPUT: check_input(&S, d); break;
        case DSL_DECL_WINDOW: check_window(&S, d); break;
        case DSL_DECL_FEATURE: check_feature(&S, d); break;
        case DSL_DECL_MODEL: check_model(&S, d); break;
        case DSL_DECL_EVENT: check_event(&S, d); break;
        case DSL_DECL_RULE: check_rule(&S, d); break;
        }
        emit(&S, d);
    }
    free(S.syms);

    /* the module's arrays, in the checked order */
    n = S.out ? S.out->n : 0;
    all = ast_alloc(S.arena, (n ? n : 1) * sizeof *all);
    for (i = 0; i < n; i++)
        all[i] = S.out->items[i];
    ast_list_free(S.out);
    m->decls = all;
    m->ndecls = n;
#define KIND_ARRAY(arr, cnt, K)                                               \
    do {                                                                      \
        uint32_t k, c = 0;                                                    \
        for (k = 0; k < n; k++)                                               \
            c += all[k]->kind == (K);                                         \
        m->arr = ast_alloc(S.arena, (c ? c : 1) * sizeof *m->arr);            \
        for (k = 0; k < n; k++)                                               \
            if (all[k]->kind == (K)) {                                        \
                all[k]->index = m->cnt;                                       \
                m->arr[m->cnt++] = all[k];                                    \
            }                                                                 \
    } while (0)
    KIND_ARRAY(inputs, ninputs, DSL_DECL_INPUT);
    KIND_ARRAY(windows, nwindows, DSL_DECL_WINDOW);
    KIND_ARRAY(features, nfeatures, DSL_DECL_FEATURE);
    KIND_ARRAY(models, nmodels, DSL_DECL_MODEL);
    KIND_ARRAY(events, nevents, DSL_DECL_EVENT);
    KIND_ARRAY(rules, nrules, DSL_DECL_RULE);
#undef KIND_ARRAY
    return dsl_diag_errors(P->diag) == errors_before;
}
