/*
** lower_report.c — the static memory and work report of a compiled rule
** module (`tinycep check --report`, docs/report.md).
**
** RAM is exact: every byte of engine state comes from cep_state_size_parts(),
** the engine's own plan (they add up to cep_state_size()), and a tflite
** model's arena is its ml_model.arena_size.  Flash is exact for the program:
** each declaration is charged the records, code, strings and constants it
** lowered to, and what no single declaration owns (shared constants, class
** names) is one "shared" line, so the lines add up to
** cep_program_table_bytes().  Work is an upper bound in elementary
** operations per trigger (docs/report.md defines each).
*/
#include <stdlib.h>
#include <string.h>

#include "cep/compile/lower_int.h"
#include "dsl/ast.h"

static size_t expr_bytes(const cep_program *p, uint16_t x)
{
    if (x == CEP_NONE || x >= p->n_exprs)
        return 0;
    return sizeof(cep_expr) + (size_t)p->exprs[x].len * sizeof(cep_insn);
}

static uint64_t expr_len(const cep_program *p, uint16_t x)
{
    return x == CEP_NONE || x >= p->n_exprs ? 0 : p->exprs[x].len;
}

static size_t name_bytes(const cep_program *p, uint16_t n)
{
    return n < p->n_names ? sizeof(cep_name) + p->names[n].len : 0;
}

static unsigned log2u(unsigned n)
{
    unsigned k = 0;
    while ((1u << (k + 1)) <= n && k < 31)
        k++;
    return k;
}

/* The report item of declaration d (created on first use). */
static struct cep_report_item *item_of(struct cep_compiled *c, size_t *n, const struct lw_obj *o,
                                       enum cep_report_kind kind)
{
    const struct dsl_decl *d = o->decl;
    size_t i;
    for (i = 0; i < *n; i++)
        if (c->items[i].kind == kind && strcmp(c->items[i].name, d->name) == 0)
            return &c->items[i];
    memset(&c->items[*n], 0, sizeof c->items[0]);
    c->items[*n].kind = kind;
    c->items[*n].name = d->name;
    c->items[*n].line = o->line;
    return &c->items[(*n)++];
}

static int cmp_line(const void *a, const void *b)
{
    const struct cep_report_item *x = a, *y = b;
    if (x->line != y->line)
        return x->line < y->line ? -1 : 1;
    return (int)x->kind - (int)y->kind;
}

bool lw_report_build(struct cep_compiled *c)
{
    const cep_program *p = &c->prog;
    struct cep_report *r = &c->rep;
    size_t n = 0, cap, attributed = 0, i;
    uint16_t j;
    uint64_t worst = 0;
    uint64_t *win_work, *model_work, *feat_work, *ev_work, rule_work = 0;
    bool *upd;
    bool *seen;
    size_t *ram, nparts;
    struct cep_report_item *it0;

    cap = (size_t)p->n_inputs + p->n_windows + p->n_features + p->n_models + p->n_events +
          p->n_rules + 9;
    c->items = calloc(cap, sizeof *c->items);
    win_work = calloc((size_t)p->n_windows + 1, sizeof *win_work);
    model_work = calloc((size_t)p->n_models + 1, sizeof *model_work);
    feat_work = calloc((size_t)p->n_features + 1, sizeof *feat_work);
    ev_work = calloc((size_t)p->n_events + 1, sizeof *ev_work);
    upd = calloc((size_t)p->n_inputs + p->n_features + p->n_models + 1, sizeof *upd);
    seen = calloc((size_t)p->n_exprs + 1, sizeof *seen);
    /* every object's engine state in one layout pass (cep.h gives the order:
    ** context, values, windows, features, models, events, rules, scratch) */
    nparts = cep_state_size_parts(p, NULL, 0);
    ram = calloc(nparts + 1, sizeof *ram);
    if (ram != NULL)
        cep_state_size_parts(p, ram, nparts);
    if (c->items == NULL || win_work == NULL || model_work == NULL || seen == NULL ||
        feat_work == NULL || ev_work == NULL || upd == NULL || ram == NULL || nparts == 0) {
        free(ram);
        free(win_work);
        free(model_work);
        free(feat_work);
        free(ev_work);
        free(upd);
        free(seen);
        return false;
    }

    for (j = 0; j < p->n_inputs; j++) {
        struct cep_report_item *it = item_of(c, &n, &c->objs[CEP_OBJ_INPUT][j], CEP_REP_INPUT);
        it->flash_tables += sizeof(cep_input_desc) + name_bytes(p, p->inputs[j].name);
        it->work += p->inputs[j].dims;
    }
    for (j = 0; j < p->n_windows; j++) {
        const cep_window_desc *w = &p->windows[j];
        struct cep_report_item *it = item_of(c, &n, &c->objs[CEP_OBJ_WINDOW][j], CEP_REP_WINDOW);
        it->ram_state += ram[2u + j];
        it->flash_tables += sizeof(cep_window_desc);
        /* store one sample; a time window may evict up to cap samples */
        win_work[j] = (w->flags & CEP_WIN_TIME) ? 1u + w->cap : 1u;
        it->work += win_work[j];
    }
    for (j = 0; j < p->n_features; j++) {
        const cep_feature_desc *f = &p->features[j];
        struct cep_report_item *it = item_of(c, &n, &c->objs[CEP_OBJ_FEATURE][j], CEP_REP_FEATURE);
        uint64_t w = 1;
        it->ram_state += ram[2u + p->n_windows + j];
        it->flash_tables += sizeof(cep_feature_desc);
        if (f->kind < CEP_F_EWMA && f->src < p->n_windows) {
            unsigned nn = p->windows[f->src].cap;
            if (f->kind == CEP_F_BANDS || f->kind == CEP_F_DOMFREQ) {
                it->flash_tables += (size_t)nn * sizeof(float);   /* twiddles */
                w = (uint64_t)nn + (uint64_t)(nn / 2) * log2u(nn) + nn / 2;
            } else {
                w = nn;
            }
        }
        feat_work[j] = w;
        it->work += w;
    }
    for (j = 0; j < p->n_models; j++) {
        const cep_model_desc *md = &p->models[j];
        struct cep_report_item *it = item_of(c, &n, &c->objs[CEP_OBJ_MODEL][j], CEP_REP_MODEL);
        it->ram_state += ram[2u + p->n_windows + p->n_features + j];
        it->flash_tables += sizeof(cep_model_desc) + sizeof(uint16_t) * ((size_t)md->n_in + md->dep_count);
        if (c->class_count != NULL && c->class_count[j])
            for (i = 0; i < c->class_count[j]; i++)
                it->flash_tables += name_bytes(p, (uint16_t)(c->class_first[j] + i));
        if (md->kind == CEP_M_TFLITE) {
            const ml_compiled *mc = md->ext < c->n_tfl ? c->mc[md->ext] : NULL;
            if (mc != NULL) {
                it->ram_arena += mc->model.arena_size;
                it->flash_model += mc->weight_bytes + mc->table_bytes;
                it->macs = mc->macs;
                model_work[j] = (uint64_t)mc->macs + md->n_in + md->n_out;
            } else {
                it->unknown = true;
                it->macs = -1;
                model_work[j] = (uint64_t)md->n_in + md->n_out;
            }
        } else {
            model_work[j] = (uint64_t)md->n_in * md->n_in + md->n_in;
        }
        it->work += model_work[j];
    }
    for (j = 0; j < p->n_events; j++) {
        const cep_event_desc *e = &p->events[j];
        const struct lw_obj *o = &c->objs[CEP_OBJ_EVENT][j];
        struct cep_report_item *it = item_of(c, &n, o, o->anonymous ? CEP_REP_RULE : CEP_REP_EVENT);
        uint64_t w = expr_len(p, e->kind == CEP_EV_PRED ? e->pred : CEP_NONE) + expr_len(p, e->clear);
        it->ram_state += ram[2u + p->n_windows + p->n_features + p->n_models + j];
        it->flash_tables += sizeof(cep_event_desc) + name_bytes(p, e->name) +
                            sizeof(uint16_t) * ((size_t)e->dep_count + e->cap_count);
        if (e->kind == CEP_EV_PRED) {
            it->flash_tables += expr_bytes(p, e->pred) + expr_bytes(p, e->clear);
            if (e->pred < p->n_exprs)
                seen[e->pred] = true;
            if (e->clear < p->n_exprs)
                seen[e->clear] = true;
        }
        for (i = 0; i < e->cap_count; i++) {
            uint16_t x = p->refs[e->cap_first + i];
            it->flash_tables += expr_bytes(p, x);
            w += expr_len(p, x);
            if (x < p->n_exprs)
                seen[x] = true;
        }
        it->work += w;
        ev_work[j] = w;
    }
    for (j = 0; j < p->n_rules; j++) {
        const cep_rule_desc *ru = &p->rules[j];
        struct cep_report_item *it = item_of(c, &n, &c->objs[CEP_OBJ_RULE][j], CEP_REP_RULE);
        uint64_t w = 0, guards = 0;
        uint16_t s;
        it->ram_state += ram[2u + p->n_windows + p->n_features + p->n_models + p->n_events + j];
        it->flash_tables += sizeof(cep_rule_desc) + name_bytes(p, ru->name) +
                            sizeof(cep_pstate) * ru->st_count;
        for (s = ru->st_first; s < ru->st_first + ru->st_count && s < p->n_states; s++) {
            const cep_pstate *st = &p->states[s];
            uint16_t t;
            it->flash_tables += sizeof(cep_ptrans) * st->tr_count;
            w += st->tr_count;
            for (t = st->tr_first; t < st->tr_first + st->tr_count && t < p->n_trans; t++) {
                uint16_t g = p->trans[t].guard;
                if (g != CEP_NONE && g < p->n_exprs && !seen[g]) {
                    seen[g] = true;
                    it->flash_tables += expr_bytes(p, g);
                    guards += expr_len(p, g);
                }
            }
        }
        for (s = 0; s < ru->msg_count; s++) {
            const cep_msgpart *mp = &p->msgparts[ru->msg_first + s];
            it->flash_tables += sizeof(cep_msgpart);
            if (mp->kind == CEP_MP_TEXT) {
                it->flash_tables += mp->len;
            } else if (mp->a < p->n_exprs && !seen[mp->a]) {
                seen[mp->a] = true;
                it->flash_tables += expr_bytes(p, mp->a);
            }
        }
        /* per occurrence offered: every run tries its state's transitions;
        ** skip-till-any-match copies a run per step taken (its events,
        ** times and captures), reporting all matches orders the completed
        ** runs (pattern.c) */
        w = (uint64_t)ru->max_runs * (w + guards);
        if ((ru->policy & CEP_POL_MASK) == CEP_POL_ANY)
            w += (uint64_t)ru->max_runs * ru->max_len * (2u + ru->max_caps);
        if (ru->policy & CEP_POL_ALL)
            w += (uint64_t)ru->max_runs * ru->max_runs;
        it->work += w;
        rule_work += w;
    }
    for (i = 0; i < n; i++)
        attributed += c->items[i].flash_tables;

    r->ram_state = cep_state_size(p);
    r->flash_tables = cep_program_table_bytes(p);
    r->flash_header = sizeof(cep_program);
    {
        const struct { size_t part; const char *name; } shared[] = {
            { 0, "context" }, { 1, "values" }, { nparts - 1, "scratch" },
        };
        for (i = 0; i < sizeof shared / sizeof shared[0]; i++) {
            struct cep_report_item *it = &c->items[n++];
            memset(it, 0, sizeof *it);
            it->kind = CEP_REP_SHARED;
            it->name = shared[i].name;
            it->ram_state = ram[shared[i].part];
        }
        /* constants (deduplicated between expressions), the "false"/"true"
        ** names of bool captures, and whatever else no declaration owns */
        it0 = &c->items[n++];
        memset(it0, 0, sizeof *it0);
        it0->kind = CEP_REP_SHARED;
        it0->name = "constants";
        it0->flash_tables = r->flash_tables > attributed ? r->flash_tables - attributed : 0;
    }
    /* declarations in source order, shared blocks last */
    qsort(c->items, n - 4, sizeof *c->items, cmp_line);
    {
        /* alignment padding the engine's plan charges to no object (an
        ** empty table between two blocks), so the rows add up to the total */
        size_t sum = 0;
        for (i = 0; i < n; i++)
            sum += c->items[i].ram_state;
        if (sum < r->ram_state) {
            it0 = &c->items[n++];
            memset(it0, 0, sizeof *it0);
            it0->kind = CEP_REP_SHARED;
            it0->name = "padding";
            it0->ram_state = r->ram_state - sum;
        }
    }
    for (i = 0; i < n; i++) {
        r->ram_arena += c->items[i].ram_arena;
        r->flash_model += c->items[i].flash_model;
    }
    /* worst case per input sample (engine step, docs/program.md §4): the
    ** sample, the input's windows and the features of those that may emit,
    ** the stream features it (transitively) updates, the models and
    ** predicate events whose dependencies may have been updated, and every
    ** rule once per occurrence of those events.  Time-driven work (timers,
    ** watchdogs, negation windows due) is not included. */
    for (j = 0; j < p->n_inputs; j++) {
        uint64_t w = p->inputs[j].dims, occ = 0;
        uint32_t nin = p->n_inputs, nf = p->n_features, q, k;
        memset(upd, 0, ((size_t)nin + nf + p->n_models + 1) * sizeof *upd);
        upd[j] = true;
        for (q = 0; q < p->n_windows; q++)
            if (p->windows[q].input == j)
                w += win_work[q];
        for (q = 0; q < nf; q++) {
            const cep_feature_desc *f = &p->features[q];
            bool on;
            if (f->kind >= CEP_F_EWMA)
                on = f->comp == CEP_FEAT_OF_FEATURE ? (f->src < nf && upd[nin + f->src]) : f->src == j;
            else
                on = f->src < p->n_windows && p->windows[f->src].input == j;
            if (on) {
                upd[nin + q] = true;
                w += feat_work[q];
            }
        }
        for (q = 0; q < p->n_models; q++) {
            const cep_model_desc *md = &p->models[q];
            for (k = 0; k < md->dep_count; k++)
                if (upd[p->refs[md->dep_first + k]]) {
                    upd[nin + nf + q] = true;
                    w += model_work[q];
                    break;
                }
        }
        for (q = 0; q < p->n_events; q++) {
            const cep_event_desc *e = &p->events[q];
            if (e->kind != CEP_EV_PRED)
                continue;
            for (k = 0; k < e->dep_count; k++)
                if (upd[p->refs[e->dep_first + k]]) {
                    w += ev_work[q];
                    occ++;
                    break;
                }
        }
        w += occ * rule_work;
        if (w > worst)
            worst = w;
    }
    r->work = worst;
    r->items = c->items;
    r->n_items = n;
    free(win_work);
    free(model_work);
    free(feat_work);
    free(ev_work);
    free(upd);
    free(seen);
    free(ram);
    return true;
}

static const char *kind_name(enum cep_report_kind k)
{
    static const char *const names[] = { "shared", "input", "window", "feature", "model", "event", "rule" };
    return (unsigned)k < 7u ? names[k] : "?";
}

static void pct(FILE *out, size_t used, uint64_t budget)
{
    if (budget == 0) {
        fputs(" (no budget)\n", out);
        return;
    }
    fprintf(out, " of %llu budget (%llu%%)%s\n", (unsigned long long)budget,
            (unsigned long long)((uint64_t)used * 100u / budget), used > budget ? " EXCEEDED" : "");
}

bool cep_report_print(const struct cep_compiled *c, FILE *out)
{
    const struct cep_report *r;
    size_t i, ram, flash;
    if (c == NULL || out == NULL)
        return false;
    r = &c->rep;
    fprintf(out, "module %s: static memory plan and work bound (bytes; see docs/report.md)\n\n", c->name);
    fprintf(out, "%-8s %-24s %5s %9s %9s %9s %9s %10s %12s\n", "kind", "name", "line", "ram", "arena",
            "flash", "model", "MACs", "work");
    for (i = 0; i < r->n_items; i++) {
        const struct cep_report_item *it = &r->items[i];
        char line[16], macs[24];
        if (it->line)
            snprintf(line, sizeof line, "%u", (unsigned)it->line);
        else
            snprintf(line, sizeof line, "-");
        if (it->kind != CEP_REP_MODEL || (it->macs == 0 && !it->unknown && it->ram_arena == 0))
            snprintf(macs, sizeof macs, "-");
        else if (it->macs < 0)
            snprintf(macs, sizeof macs, "?");
        else
            snprintf(macs, sizeof macs, "%ld", it->macs);
        if (it->unknown)
            fprintf(out, "%-8s %-24s %5s %9zu %9s %9zu %9s %10s %12llu\n", kind_name(it->kind), it->name,
                    line, it->ram_state, "?", it->flash_tables, "?", macs,
                    (unsigned long long)it->work);
        else
            fprintf(out, "%-8s %-24s %5s %9zu %9zu %9zu %9zu %10s %12llu\n", kind_name(it->kind), it->name,
                    line, it->ram_state, it->ram_arena, it->flash_tables, it->flash_model, macs,
                    it->kind == CEP_REP_SHARED ? 0ull : (unsigned long long)it->work);
    }
    fprintf(out, "%-8s %-24s %5s %9zu %9zu %9zu %9zu\n\n", "total", "", "", r->ram_state, r->ram_arena,
            r->flash_tables, r->flash_model);
    ram = r->ram_state + r->ram_arena;
    flash = r->flash_tables + r->flash_header + r->flash_model;
    fprintf(out, "RAM   %zu = engine state %zu (cep_state_size) + model arenas %zu", ram, r->ram_state,
            r->ram_arena);
    pct(out, ram, r->budget_ram);
    fprintf(out, "flash %zu = program tables %zu + program header %zu + models %zu", flash,
            r->flash_tables, r->flash_header, r->flash_model);
    pct(out, flash, r->budget_flash);
    fprintf(out, "work  at most %llu operations per input sample\n", (unsigned long long)r->work);
    return !ferror(out);
}
