/*
** dump.c — prints a checked module as text: every declaration with what
** the checker resolved and computed (types, units, ms, capacities, sizes),
** and expressions as S-expressions of their checked kinds.
**
** It is the readable view of the contract in dsl.h: `tinycep check --dump`
** shows it, and golden files pin it for the examples
** (tests/golden/dump/), so a change in what lowering receives shows up in a
** diff.  Recursion follows expression trees, whose depth is bounded by
** DSL_MAX_NESTING.
*/
#include <stdio.h>

#include "dsl/dsl.h"

static void ty(FILE *o, const struct dsl_type *t)
{
    char buf[64];
    fputs(dsl_type_str(t, buf, sizeof buf), o);
    if (t->unit)
        fprintf(o, " [%s]", t->unit);
}

static void expr(FILE *o, const struct dsl_expr *e)
{
    uint32_t i;
    switch (e->kind) {
    case DSL_EXPR_NUMBER:
        fprintf(o, "%g", e->num);
        if (e->unit)
            fprintf(o, " %s", e->unit);
        return;
    case DSL_EXPR_BOOL:
        fputs(e->ival ? "true" : "false", o);
        return;
    case DSL_EXPR_INPUT:
        fprintf(o, "(input %s", e->decl->name);
        if (e->ival >= 0)
            fprintf(o, "[%d]", (int)e->ival);
        fputc(')', o);
        return;
    case DSL_EXPR_FEATURE:
        fprintf(o, "(feature %s)", e->decl->name);
        return;
    case DSL_EXPR_MODEL_OUT: {
        static const char *const outs[] = { "class", "score", "prob", "value", "ready" };
        fprintf(o, "(%s.%s", e->decl->name, outs[e->out]);
        if (e->out == DSL_MOUT_PROB)
            fprintf(o, " %s", e->decl->u.model.classes[e->ival].name);
        else if (e->out == DSL_MOUT_VALUE && e->ival >= 0)
            fprintf(o, " %d", (int)e->ival);
        fputc(')', o);
        return;
    }
    case DSL_EXPR_CLASS:
        fprintf(o, "(class %s.%s)", e->decl->name, e->decl->u.model.classes[e->ival].name);
        return;
    case DSL_EXPR_PARAM:
        fprintf(o, "(param %s)", e->decl->u.event.params[e->ival].name);
        return;
    case DSL_EXPR_CAPTURE:
        fprintf(o, "(capture #%d ", (int)e->ival);
        expr(o, e->a);
        fputc(')', o);
        return;
    case DSL_EXPR_INDEX:
        fputs("(index ", o);
        expr(o, e->a);
        fprintf(o, " %d)", (int)e->ival);
        return;
    case DSL_EXPR_UNARY:
        fprintf(o, "(%s ", dsl_op_name(e->op));
        expr(o, e->a);
        fputc(')', o);
        return;
    case DSL_EXPR_BINARY:
        fprintf(o, "(%s ", dsl_op_name(e->op));
        expr(o, e->a);
        fputc(' ', o);
        expr(o, e->b);
        fputc(')', o);
        return;
    case DSL_EXPR_EVENT:
        fprintf(o, "(event %s", e->decl->name);
        for (i = 0; i < e->nargs; i++) {
            fputc(' ', o);
            expr(o, e->args[i]);
        }
        if (e->label >= 0)
            fprintf(o, " #%d", (int)e->label);
        fputc(')', o);
        return;
    case DSL_EXPR_COND:
        fputs("(cond ", o);
        expr(o, e->a);
        if (e->label >= 0)
            fprintf(o, " #%d", (int)e->label);
        fputc(')', o);
        return;
    case DSL_EXPR_ABSENT:
        fprintf(o, "(absent %s %u ms)", e->decl->name, (unsigned)e->ms);
        return;
    case DSL_EXPR_SEQ:
    case DSL_EXPR_ALL:
    case DSL_EXPR_ANY:
        fputs(e->kind == DSL_EXPR_SEQ ? "(seq " : e->kind == DSL_EXPR_ALL ? "(all " : "(any ", o);
        expr(o, e->a);
        fputc(' ', o);
        expr(o, e->b);
        fputc(')', o);
        return;
    case DSL_EXPR_REPEAT:
        fprintf(o, "(repeat %d %d ", (int)e->ival, (int)e->ival2);
        expr(o, e->a);
        fputc(')', o);
        return;
    case DSL_EXPR_NOT:
        fputs("(not ", o);
        expr(o, e->a);
        fputc(')', o);
        return;
    case DSL_EXPR_WITHIN:
        fprintf(o, "(within %u ms ", (unsigned)e->ms);
        expr(o, e->a);
        fputc(')', o);
        return;
    default:
        fprintf(o, "(?%s)", dsl_expr_kind_name(e->kind));
        return;
    }
}

static void window(FILE *o, const struct dsl_decl *d)
{
    const struct dsl_window *w = &d->u.window;
    fprintf(o, "window %s: input %s", d->name, w->input->name);
    if (w->component >= 0)
        fprintf(o, "[%d]", (int)w->component);
    fprintf(o, " %s", w->kind == DSL_WIN_SLIDING ? "sliding" : "tumbling");
    if (w->by_time)
        fprintf(o, " %u ms", (unsigned)w->size_ms);
    if (w->hop_ms)
        fprintf(o, " hop %u ms", (unsigned)w->hop_ms);
    fprintf(o, ", capacity %u, hop %u", (unsigned)w->capacity, (unsigned)w->hop);
    if (w->anonymous)
        fprintf(o, ", inline in %s", w->owner->name);
    fputc('\n', o);
}

void dsl_module_dump(const struct dsl_module *m, void *stdio_file)
{
    FILE *o = stdio_file;
    uint32_t i, j;
    fprintf(o, "module %s", m->name);
    if (m->budget_ram)
        fprintf(o, ", budget ram %llu B", (unsigned long long)m->budget_ram);
    if (m->budget_flash)
        fprintf(o, ", budget flash %llu B", (unsigned long long)m->budget_flash);
    fputc('\n', o);
    for (i = 0; i < m->ndecls; i++) {
        const struct dsl_decl *d = m->decls[i];
        switch (d->kind) {
        case DSL_DECL_INPUT: {
            const struct dsl_input *in = &d->u.input;
            fprintf(o, "input %s: %s", d->name, dsl_elem_name(in->elem));
            if (in->len > 1)
                fprintf(o, " x %u", (unsigned)in->len);
            if (in->rate_hz > 0)
                fprintf(o, " @ %g Hz", in->rate_hz);
            else
                fputs(" event-driven", o);
            if (in->scale != 1.0)
                fprintf(o, " scale %g", in->scale);
            if (in->unit)
                fprintf(o, " unit %s", in->unit);
            fputc('\n', o);
            break;
        }
        case DSL_DECL_WINDOW:
            window(o, d);
            break;
        case DSL_DECL_FEATURE: {
            const struct dsl_feature *f = &d->u.feature;
            fprintf(o, "feature %s = %s(", d->name, dsl_func_name(f->func));
            if (f->window)
                fprintf(o, "window %s", f->window->name);
            else {
                fprintf(o, "%s %s", f->source->kind == DSL_DECL_INPUT ? "input" : "feature", f->source->name);
                if (f->component >= 0)
                    fprintf(o, "[%d]", (int)f->component);
            }
            if (f->arg != 0)
                fprintf(o, ", %g", f->arg);
            fputs("): ", o);
            ty(o, &f->type);
            fputc('\n', o);
            break;
        }
        case DSL_DECL_MODEL: {
            const struct dsl_model *md = &d->u.model;
            fprintf(o, "model %s = %s [", d->name, md->kind == DSL_MODEL_TFLITE ? "tflite" : "anomaly");
            for (j = 0; j < md->ninputs; j++)
                fprintf(o, "%s%s:%u", j ? ", " : "", md->inputs[j].decl->name, (unsigned)md->inputs[j].len);
            fprintf(o, "] size %u", (unsigned)md->input_size);
            if (md->kind == DSL_MODEL_ANOMALY)
                fprintf(o, ", learn %u ms", (unsigned)md->learn_ms);
            else if (md->outputs == DSL_MOUTS_CLASSES) {
                fprintf(o, ", file %s, classes", md->file);
                for (j = 0; j < md->nclasses; j++)
                    fprintf(o, " %u:%s", (unsigned)j, md->classes[j].name);
            } else if (md->outputs == DSL_MOUTS_VALUES)
                fprintf(o, ", file %s, %u values", md->file, (unsigned)md->nvalues);
            else
                fprintf(o, ", file %s, reconstruction", md->file);
            fputc('\n', o);
            break;
        }
        case DSL_DECL_EVENT: {
            const struct dsl_event *ev = &d->u.event;
            char buf[64];
            fprintf(o, "event %s", d->name);
            for (j = 0; j < ev->nparams; j++)
                fprintf(o, "%s%s: %s", j ? ", " : "(", ev->params[j].name,
                        dsl_type_str(&ev->params[j].type, buf, sizeof buf));
            fputs(ev->nparams ? ") when " : " when ", o);
            expr(o, ev->cond);
            if (ev->edge != DSL_EDGE_NONE)
                fputs(ev->edge == DSL_EDGE_RISE ? " rising" : " falling", o);
            if (ev->for_ms)
                fprintf(o, " for %u ms", (unsigned)ev->for_ms);
            if (ev->n)
                fprintf(o, " in %u of %u", (unsigned)ev->k, (unsigned)ev->n);
            if (ev->clear) {
                fputs(" clear ", o);
                expr(o, ev->clear);
            }
            fputc('\n', o);
            break;
        }
        case DSL_DECL_RULE: {
            const struct dsl_rule *r = &d->u.rule;
            fprintf(o, "rule %s: %s, %u event%s, within %u ms, policy %s %s, matches %u", d->name,
                    dsl_severity_name(r->severity), (unsigned)r->nevents, r->nevents == 1 ? "" : "s",
                    (unsigned)r->within_ms, dsl_policy_name(r->policy), r->all_matches ? "all" : "first",
                    (unsigned)r->max_matches);
            if (r->limit_n)
                fprintf(o, ", limit %u per %u ms", (unsigned)r->limit_n, (unsigned)r->limit_ms);
            if (r->cooldown_ms)
                fprintf(o, ", cooldown %u ms", (unsigned)r->cooldown_ms);
            fputs("\n  pattern ", o);
            expr(o, r->pattern);
            for (j = 0; j < r->nlabels; j++)
                fprintf(o, "\n  label #%u %s", (unsigned)j, r->labels[j].name);
            if (r->where) {
                fputs("\n  where ", o);
                expr(o, r->where);
            }
            fputs("\n  message", o);
            for (j = 0; j < r->nparts; j++) {
                if (r->parts[j].text) {
                    fputs(" \"", o);
                    for (const char *c = r->parts[j].text; *c; c++)
                        fputs(*c == '\n' ? "\\n" : *c == '"' ? "\\\"" : (char[2]){ *c, 0 }, o);
                    fputc('"', o);
                } else {
                    fputs(" {", o);
                    expr(o, r->parts[j].expr);
                    if (r->parts[j].fmt[0])
                        fprintf(o, ":%s", r->parts[j].fmt);
                    fputc('}', o);
                }
            }
            fputc('\n', o);
            break;
        }
        }
    }
}
