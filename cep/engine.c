/*
** engine.c — the CEP engine's entry points: program validation, the static
** memory plan (cep_state_size / cep_init), and the per-sample step.
**
** Step for one accepted sample of input i at time t (docs/program.md):
**   1. advance the clock to t: fire, in time order, every `for` duration,
**      watchdog and negation window that closes at or before t (each with
**      its own deadline as time), then drop runs whose `within` ran out;
**   2. store the sample's values in the input's slots;
**   3. windows of input i take the sample; those that emit recompute their
**      features; stream features of input i update;
**   4. models whose dependencies were updated in this step run (in order);
**   5. events whose dependencies were updated are evaluated (in order);
**      every occurrence is offered at once to every rule (in order), which
**      may complete matches and deliver alerts.
** Every loop is bounded by the program's table sizes.
*/
#include "cep/internal.h"

#define T_MAX 0x7fffffffu   /* durations are below 2^31 ms */

/* ----------------------------------------------------------- validation */

static bool range_ok(uint32_t first, uint32_t count, uint32_t n)
{
    return first <= n && count <= n - first;
}

static bool is_stream(uint8_t kind)
{
    return kind == CEP_F_EWMA || kind == CEP_F_DELTA || kind == CEP_F_RATE;
}

static uint32_t n_sources(const cep_program *p)
{
    return (uint32_t)p->n_inputs + p->n_features + p->n_models;
}

static bool refs_below(const cep_program *p, uint32_t first, uint32_t count, uint32_t lim)
{
    uint32_t i;
    if (!range_ok(first, count, p->n_refs))
        return false;
    for (i = 0; i < count; i++)
        if (p->refs[first + i] >= lim)
            return false;
    return true;
}

static bool exprs_ok(const cep_program *p, uint32_t first, uint32_t count)
{
    uint32_t i;
    if (!range_ok(first, count, p->n_refs))
        return false;
    for (i = 0; i < count; i++)
        if (cep_expr_check(p, p->refs[first + i]) != RT_OK)
            return false;
    return true;
}

static bool reg_ok(uint8_t r, uint8_t n) { return r == CEP_NOREG || r < n; }

static rt_status validate_rule(const cep_program *p, const cep_rule_desc *r)
{
    uint32_t s, i;
    if ((r->policy & CEP_POL_MASK) >= CEP_POL_COUNT_ || r->severity >= CEP_SEV_COUNT_ || r->max_runs == 0 ||
        r->max_len == 0 || r->n_regs > CEP_MAX_REGS || r->msg_cap == 0 || r->st_count == 0 ||
        !range_ok(r->st_first, r->st_count, p->n_states) || r->start < r->st_first ||
        r->start - r->st_first >= r->st_count || r->limit_ms > T_MAX || r->cooldown_ms > T_MAX ||
        (r->name != CEP_NONE && r->name >= p->n_names) ||
        !range_ok(r->msg_first, r->msg_count, p->n_msgparts))
        return RT_ERR_FORMAT;
    for (s = r->st_first; s < (uint32_t)r->st_first + r->st_count; s++) {
        const cep_pstate *ps = &p->states[s];
        if (ps->kind > CEP_PS_ACCEPT || !range_ok(ps->tr_first, ps->tr_count, p->n_trans) ||
            !reg_ok(ps->dl_reg, r->n_regs) || ps->dl_ms > T_MAX)
            return RT_ERR_FORMAT;
        /* negation windows move forward only: a chain of them ends */
        if (ps->kind == CEP_PS_NEG &&
            (ps->dl_reg == CEP_NOREG || ps->timeout <= s || ps->timeout >= r->st_first + r->st_count))
            return RT_ERR_FORMAT;
        for (i = ps->tr_first; i < (uint32_t)ps->tr_first + ps->tr_count; i++) {
            const cep_ptrans *t = &p->trans[i];
            if (t->event >= p->n_events || t->next < r->st_first ||
                t->next >= r->st_first + r->st_count || !reg_ok(t->set_reg, r->n_regs) ||
                !reg_ok(t->chk_reg, r->n_regs) || t->chk_ms > T_MAX ||
                !reg_ok(t->chk2_reg, r->n_regs) || t->chk2_ms > T_MAX ||
                p->events[t->event].cap_count > r->max_caps ||
                (t->guard != CEP_NONE && cep_expr_check(p, t->guard) != RT_OK))
                return RT_ERR_FORMAT;
        }
    }
    for (i = r->msg_first; i < (uint32_t)r->msg_first + r->msg_count; i++) {
        const cep_msgpart *m = &p->msgparts[i];
        bool ok = m->kind == CEP_MP_TEXT ? range_ok(m->a, m->len, p->n_strings)
                : m->kind == CEP_MP_NUM  ? cep_expr_check(p, m->a) == RT_OK &&
                                           (m->n & CEP_FMT_CONV) < CEP_FMT_COUNT_ &&
                                           (m->n & ~(CEP_FMT_CONV | CEP_FMT_FLAGS)) == 0 &&
                                           m->len <= CEP_FMT_MAX_WIDTH &&
                                           (m->prec <= 9 || (m->prec == CEP_PREC_AUTO &&
                                                             (m->n & CEP_FMT_CONV) != CEP_FMT_E &&
                                                             (m->n & CEP_FMT_CONV) != CEP_FMT_G))
                : m->kind == CEP_MP_NAME ? cep_expr_check(p, m->a) == RT_OK &&
                                           range_ok(m->len, m->n, p->n_names)
                : false;
        if (!ok)
            return RT_ERR_FORMAT;
    }
    return RT_OK;
}

static rt_status validate(const cep_program *p)
{
    uint32_t i, nsrc;
    if (!p)
        return RT_ERR_ARG;
    if (p->version != CEP_PROGRAM_VERSION)
        return RT_ERR_VERSION;
    if ((p->n_inputs && !p->inputs) || (p->n_windows && !p->windows) ||
        (p->n_features && !p->features) || (p->n_models && !p->models) ||
        (p->n_events && !p->events) || (p->n_rules && !p->rules) || (p->n_states && !p->states) ||
        (p->n_trans && !p->trans) || (p->n_exprs && !p->exprs) || (p->n_code && !p->code) ||
        (p->n_msgparts && !p->msgparts) || (p->n_names && !p->names) ||
        (p->n_consts && !p->consts) || (p->n_refs && !p->refs) || (p->n_strings && !p->strings) ||
        p->n_inputs > CEP_MAX_INPUTS)
        return RT_ERR_FORMAT;
    nsrc = n_sources(p);
    for (i = 0; i < p->n_names; i++)
        if (!range_ok(p->names[i].off, p->names[i].len, p->n_strings))
            return RT_ERR_FORMAT;
    for (i = 0; i < p->n_exprs; i++)
        if (cep_expr_check(p, (uint16_t)i) != RT_OK)
            return RT_ERR_FORMAT;
    for (i = 0; i < p->n_inputs; i++) {
        const cep_input_desc *d = &p->inputs[i];
        if (d->type >= CEP_IN_COUNT_ || d->dims == 0 || d->dims > CEP_MAX_DIMS ||
            !range_ok(d->slot, d->dims, p->n_slots) || !cep_isfinite(d->scale))
            return RT_ERR_FORMAT;
    }
    for (i = 0; i < p->n_windows; i++) {
        const cep_window_desc *w = &p->windows[i];
        if (w->input >= p->n_inputs || w->comp >= p->inputs[w->input].dims || w->cap == 0 ||
            ((w->flags & CEP_WIN_TIME) ? (w->span_ms == 0 || w->span_ms > T_MAX || w->hop_ms > T_MAX)
                                       : (w->hop == 0 || w->hop > w->cap)))
            return RT_ERR_FORMAT;
    }
    for (i = 0; i < p->n_features; i++) {
        const cep_feature_desc *f = &p->features[i];
        if (f->kind >= CEP_F_COUNT_ || !range_ok(f->slot, f->n_out, p->n_slots) || f->n_out == 0 ||
            (f->kind != CEP_F_BANDS && f->n_out != 1))
            return RT_ERR_FORMAT;
        if (is_stream(f->kind) && f->comp == CEP_FEAT_OF_FEATURE) {
            if (f->src >= i || p->features[f->src].n_out != 1)
                return RT_ERR_FORMAT;
        } else if (is_stream(f->kind)) {
            if (f->src >= p->n_inputs || f->comp >= p->inputs[f->src].dims)
                return RT_ERR_FORMAT;
        } else if (f->src >= p->n_windows) {
            return RT_ERR_FORMAT;
        }
        if (f->kind == CEP_F_BANDS || f->kind == CEP_F_DOMFREQ) {
            const cep_window_desc *w = &p->windows[f->src];
            uint32_t n = w->cap;
            if ((w->flags & CEP_WIN_TIME) || n < 2 || n > CEP_MAX_FFT || (n & (n - 1u)) ||
                !range_ok(f->twiddle, n, p->n_consts) || (n / 2u) % f->n_out)
                return RT_ERR_FORMAT;
        }
    }
    for (i = 0; i < p->n_models; i++) {
        const cep_model_desc *m = &p->models[i];
        uint32_t nslot = m->kind == CEP_M_TFLITE ? CEP_MS_VEC + 2u * m->n_out : CEP_MS_VEC + m->n_in;
        if (m->kind >= CEP_M_COUNT_ || m->n_in == 0 || !refs_below(p, m->in_first, m->n_in, p->n_slots) ||
            !refs_below(p, m->dep_first, m->dep_count, nsrc) || !range_ok(m->slot, nslot, p->n_slots))
            return RT_ERR_FORMAT;
        if (m->kind == CEP_M_TFLITE &&
            (m->n_in > CEP_MAX_MODEL_IO || m->n_out == 0 || m->n_out > CEP_MAX_MODEL_IO ||
             !(m->in_scale > 0.0f) || !cep_isfinite(m->in_scale) || !cep_isfinite(m->out_scale) ||
             m->in_zp < -128 || m->in_zp > 127 || m->out_zp < -128 || m->out_zp > 127))
            return RT_ERR_FORMAT;
        if (m->kind == CEP_M_ANOMALY &&
            (m->n_in > CEP_MAX_ANOMALY_DIM || !(m->ridge > 0.0f) || !cep_isfinite(m->ridge) ||
             m->learn_ms > T_MAX))
            return RT_ERR_FORMAT;
    }
    for (i = 0; i < p->n_events; i++) {
        const cep_event_desc *e = &p->events[i];
        if (e->kind > CEP_EV_WATCH || e->for_ms > T_MAX || !exprs_ok(p, e->cap_first, e->cap_count) ||
            (e->name != CEP_NONE && e->name >= p->n_names))
            return RT_ERR_FORMAT;
        if (e->kind == CEP_EV_WATCH ? e->input >= p->n_inputs
            : (e->pred >= p->n_exprs || (e->clear != CEP_NONE && e->clear >= p->n_exprs) ||
               e->n > CEP_MAX_KOFN || (e->n > 0 && (e->k == 0 || e->k > e->n)) ||
               !refs_below(p, e->dep_first, e->dep_count, nsrc)))
            return RT_ERR_FORMAT;
    }
    for (i = 0; i < p->n_rules; i++)
        if (validate_rule(p, &p->rules[i]) != RT_OK)
            return RT_ERR_FORMAT;
    return RT_OK;
}

/* --------------------------------------------------------------- layout */

typedef struct lay {
    uint8_t *base;   /* NULL: only count */
    size_t   off;
    int      kind;   /* cep_ram_kind being laid out, and which object */
    uint32_t idx;
    int      pkind;  /* the object whose bytes are counted in acc (-1: none) */
    uint32_t pidx;
    size_t   acc;
    size_t  *parts;  /* non-NULL: every object's bytes, cep_state_size_parts order */
    size_t   first[CEP_RAM_COUNT_];  /* index in parts of each kind's object 0 */
} lay;

static bool shared_kind(int kind)
{
    return kind == CEP_RAM_CONTEXT || kind == CEP_RAM_VALUES || kind == CEP_RAM_SCRATCH;
}

static void charge(lay *l, int kind, uint32_t idx, size_t n)
{
    if (kind == l->pkind && (idx == l->pidx || shared_kind(kind)))
        l->acc += n;
    if (l->parts)
        l->parts[l->first[kind] + (shared_kind(kind) ? 0u : idx)] += n;
}

static void *take(lay *l, size_t n)
{
    void *p;
    size_t at = (l->off + 7u) & ~(size_t)7u;
    charge(l, l->kind, l->idx, at - l->off + n);
    l->off = at;
    p = l->base ? (void *)(l->base + l->off) : NULL;
    l->off += n;
    return p;
}

/* An array of count records, one per object of `kind`. */
static void *take_arr(lay *l, int kind, uint32_t count, size_t rec)
{
    void *p;
    uint32_t i;
    size_t at = (l->off + 7u) & ~(size_t)7u;
    if (count)
        charge(l, kind, 0, at - l->off);
    for (i = 0; i < count; i++)
        charge(l, kind, i, rec);
    l->off = at;
    p = l->base ? (void *)(l->base + l->off) : NULL;
    l->off += rec * count;
    return p;
}

static void lay_obj(lay *l, int kind, uint32_t idx)
{
    l->kind = kind;
    l->idx = idx;
}

/* Lays out the state for p in l->base (or just sizes it); ctx may be NULL
** when counting. */
static void layout(const cep_program *p, lay *l, cep_ctx *ctx)
{
    cep_ctx dummy;
    uint32_t i, j, fftn = 0, caps = 1, msg = 1, len = 1;
    cep_ctx *c = ctx ? ctx : &dummy;

    lay_obj(l, CEP_RAM_CONTEXT, 0);
    take(l, sizeof(cep_ctx));
    lay_obj(l, CEP_RAM_VALUES, 0);
    c->slots = take(l, sizeof(float) * p->n_slots);
    c->src_step = take(l, sizeof(uint32_t) * n_sources(p));
    c->last_seen = take(l, sizeof(uint32_t) * p->n_inputs);
    c->win_step = take(l, sizeof(uint32_t) * p->n_windows);
    c->wins = take_arr(l, CEP_RAM_WINDOW, p->n_windows, sizeof(cep_win_state));
    for (i = 0; i < p->n_windows; i++) {
        float *b;
        uint32_t *tb;
        lay_obj(l, CEP_RAM_WINDOW, i);
        b = take(l, sizeof(float) * p->windows[i].cap);
        tb = (p->windows[i].flags & CEP_WIN_TIME) ? take(l, sizeof(uint32_t) * p->windows[i].cap) : NULL;
        if (ctx) {
            c->wins[i].buf = b;
            c->wins[i].tbuf = tb;
        }
    }
    c->feats = take_arr(l, CEP_RAM_FEATURE, p->n_features, sizeof(cep_feat_state));
    for (i = 0; i < p->n_features; i++)
        if ((p->features[i].kind == CEP_F_BANDS || p->features[i].kind == CEP_F_DOMFREQ) &&
            p->windows[p->features[i].src].cap > fftn)
            fftn = p->windows[p->features[i].src].cap;
    c->models = take_arr(l, CEP_RAM_MODEL, p->n_models, sizeof(cep_model_state));
    for (i = 0; i < p->n_models; i++) {
        const cep_model_desc *m = &p->models[i];
        cep_model_state ms = { 0 };
        lay_obj(l, CEP_RAM_MODEL, i);
        ms.x = take(l, sizeof(float) * m->n_in);
        if (m->kind == CEP_M_TFLITE) {
            ms.qin = take(l, m->n_in);
            ms.qout = take(l, m->n_out);
        } else {
            ms.mean = take(l, sizeof(float) * m->n_in);
            ms.cov = take(l, sizeof(float) * m->n_in * m->n_in);
            ms.tmp = take(l, sizeof(float) * 2u * m->n_in);
        }
        if (ctx)
            c->models[i] = ms;
    }
    c->events = take_arr(l, CEP_RAM_EVENT, p->n_events, sizeof(cep_event_state));
    for (i = 0; i < p->n_events; i++)
        if (p->events[i].cap_count > caps)
            caps = p->events[i].cap_count;
    c->rules = take_arr(l, CEP_RAM_RULE, p->n_rules, sizeof(cep_rule_state));
    for (i = 0; i < p->n_rules; i++) {
        const cep_rule_desc *r = &p->rules[i];
        cep_run *runs;
        uint32_t *lim;
        lay_obj(l, CEP_RAM_RULE, i);
        runs = take(l, sizeof(cep_run) * r->max_runs);
        lim = r->limit_n ? take(l, sizeof(uint32_t) * r->limit_n) : NULL;
        if (ctx) {
            c->rules[i].runs = runs;
            c->rules[i].lim = lim;
        }
        for (j = 0; j < r->max_runs; j++) {
            uint16_t *ev = take(l, sizeof(uint16_t) * r->max_len);
            uint32_t *t = take(l, sizeof(uint32_t) * r->max_len);
            float *cp = take(l, sizeof(float) * (size_t)r->max_len * r->max_caps);
            if (ctx) {
                runs[j].ev = ev;
                runs[j].t = t;
                runs[j].caps = cp;
            }
        }
        if (r->msg_cap > msg)
            msg = r->msg_cap;
        if (r->max_len > len)
            len = r->max_len;
    }
    lay_obj(l, CEP_RAM_SCRATCH, 0);
    c->fft = take(l, sizeof(float) * 2u * fftn);
    c->occ_caps = take(l, sizeof(float) * caps);
    c->msg = take(l, msg);
    c->mev = take(l, CEP_MEV_SIZE * len);
    charge(l, CEP_RAM_SCRATCH, 0, ((l->off + 7u) & ~(size_t)7u) - l->off);
    l->off = (l->off + 7u) & ~(size_t)7u;
}

/* Objects of each kind: 1 for the shared blocks. */
static uint32_t kind_count(const cep_program *prog, int kind)
{
    return kind == CEP_RAM_WINDOW ? prog->n_windows : kind == CEP_RAM_FEATURE ? prog->n_features
         : kind == CEP_RAM_MODEL ? prog->n_models : kind == CEP_RAM_EVENT ? prog->n_events
         : kind == CEP_RAM_RULE ? prog->n_rules : 1u;
}

size_t cep_state_size_parts(const cep_program *prog, size_t *parts, size_t n_parts)
{
    lay l = { NULL, 0, 0, 0, -1, 0, 0, NULL, { 0 } };
    size_t total = 0, i;
    int k;
    if (validate(prog) != RT_OK)
        return 0;
    for (k = 0; k < CEP_RAM_COUNT_; k++) {
        l.first[k] = total;
        total += kind_count(prog, k);
    }
    if (parts == NULL || n_parts < total)
        return total;
    for (i = 0; i < total; i++)
        parts[i] = 0;
    l.parts = parts;
    layout(prog, &l, NULL);
    return total;
}

size_t cep_state_size_of(const cep_program *prog, cep_ram_kind kind, uint16_t index)
{
    lay l = { NULL, 0, 0, 0, -1, 0, 0, NULL, { 0 } };
    if (validate(prog) != RT_OK || kind >= CEP_RAM_COUNT_ ||
        (!shared_kind((int)kind) && index >= kind_count(prog, (int)kind)))
        return 0;
    l.pkind = (int)kind;
    l.pidx = index;
    layout(prog, &l, NULL);
    return l.acc;
}

size_t cep_state_size(const cep_program *prog)
{
    lay l = { NULL, 0, 0, 0, -1, 0, 0, NULL, { 0 } };
    if (validate(prog) != RT_OK)
        return 0;
    layout(prog, &l, NULL);
    return l.off;
}

void cep_reset(cep_ctx *ctx)
{
    const cep_program *p = ctx->prog;
    uint32_t i, j;
    for (i = 0; i < p->n_slots; i++)
        ctx->slots[i] = cep_nan();
    for (i = 0; i < n_sources(p); i++)
        ctx->src_step[i] = 0;
    for (i = 0; i < p->n_inputs; i++)
        ctx->last_seen[i] = 0;
    for (i = 0; i < p->n_windows; i++) {
        cep_win_state *w = &ctx->wins[i];
        ctx->win_step[i] = 0;
        w->head = w->count = w->since = 0;
        w->emitted = 0;
        w->last_emit = 0;
    }
    for (i = 0; i < p->n_features; i++) {
        ctx->feats[i].have = 0;
        ctx->feats[i].y = 0.0f;
        ctx->feats[i].prev_t = 0;
    }
    for (i = 0; i < p->n_models; i++)
        if (p->models[i].kind == CEP_M_ANOMALY)
            cep_anomaly_reset(ctx, (uint16_t)i);
    for (i = 0; i < p->n_events; i++) {
        cep_event_state *e = &ctx->events[i];
        e->hist = 0;
        e->t_true = 0;
        e->count = 0;
        e->cond = e->active = e->known = e->timing = 0;
        e->armed = p->events[i].kind == CEP_EV_WATCH;
    }
    for (i = 0; i < p->n_rules; i++) {
        cep_rule_state *r = &ctx->rules[i];
        const cep_rule_stats zero = { 0 };
        for (j = 0; j < p->rules[i].max_runs; j++) {
            r->runs[j].used = 0;
            r->runs[j].len = 0;
        }
        r->seq = 0;
        r->lim_head = r->lim_count = 0;
        r->last_alert = 0;
        r->alerted = 0;
        r->st = zero;
    }
    {
        const cep_stats zero = { 0 };
        ctx->stats = zero;
    }
    ctx->now = ctx->t0 = 0;
    ctx->started = 0;
    ctx->due_any = 0;
    ctx->due = 0;
    ctx->step = 0;
}

rt_status cep_init(cep_ctx **ctx_out, const cep_program *prog, void *storage, size_t size,
                   const cep_callbacks *cb)
{
    lay l = { NULL, 0, 0, 0, -1, 0, 0, NULL, { 0 } };
    cep_ctx *ctx;
    rt_status st;
    uint32_t i;

    if (!ctx_out || !storage || ((uintptr_t)storage & 7u))
        return RT_ERR_ARG;
    st = validate(prog);
    if (st != RT_OK)
        return st;
    for (i = 0; i < prog->n_models; i++)
        if (prog->models[i].kind == CEP_M_TFLITE && (!cb || !cb->infer))
            return RT_ERR_ARG;
    layout(prog, &l, NULL);
    if (size < l.off)
        return RT_ERR_NOMEM;
    ctx = storage;
    l.base = storage;
    l.off = 0;
    layout(prog, &l, ctx);
    ctx->prog = prog;
    ctx->size = (uint64_t)l.off;
    if (cb) {
        ctx->cb = *cb;
    } else {
        ctx->cb.alert = NULL;
        ctx->cb.infer = NULL;
        ctx->cb.user = NULL;
    }
    cep_reset(ctx);
    *ctx_out = ctx;
    return RT_OK;
}

/* ----------------------------------------------------------------- time */

/* Fires every time-driven transition due at or before t, in time order
** (ties: events before rules, lower index first), then drops expired runs. */
static void advance(cep_ctx *ctx, uint32_t t)
{
    const cep_program *p = ctx->prog;
    uint32_t i, guard;

    if (!ctx->started) {
        ctx->started = 1;
        ctx->t0 = ctx->now = t;
        for (i = 0; i < p->n_inputs; i++)
            ctx->last_seen[i] = t;
        for (i = 0; i < p->n_events; i++)
            if (p->events[i].kind == CEP_EV_WATCH)
                cep_due(ctx, t + p->events[i].for_ms);
    }
    /* nothing time-driven is due before ctx->due: skip the scans */
    if (!ctx->due_any || cep_tdiff(ctx->due, t) > 0) {
        ctx->now = t;
        return;
    }
    /* each round closes one deadline; a round can only create deadlines
    ** strictly later in the automaton (validated), so this is bounded */
    for (guard = 0; guard < 1u + p->n_events + 256u * (1u + p->n_rules) * (1u + p->n_states); guard++) {
        uint32_t best = 0, w = 0;
        int kind = 0;            /* 0 none, 1 event, 2 rule */
        uint16_t idx = 0;
        for (i = 0; i < p->n_events; i++)
            if (cep_event_deadline(ctx, (uint16_t)i, &w) && cep_tdiff(w, t) <= 0 &&
                (!kind || cep_tdiff(w, best) < 0)) {
                best = w;
                kind = 1;
                idx = (uint16_t)i;
            }
        for (i = 0; i < p->n_rules; i++)
            if (cep_pattern_deadline(ctx, (uint16_t)i, &w) && cep_tdiff(w, t) <= 0 &&
                (!kind || cep_tdiff(w, best) < 0)) {
                best = w;
                kind = 2;
                idx = (uint16_t)i;
            }
        if (!kind)
            break;
        if (cep_tdiff(best, ctx->now) > 0)
            ctx->now = best;
        if (kind == 1)
            cep_event_timeout(ctx, idx, ctx->now);
        else
            cep_pattern_timeout(ctx, idx, ctx->now);
    }
    ctx->now = t;
    for (i = 0; i < p->n_rules; i++)
        cep_pattern_expire(ctx, (uint16_t)i);
    /* the next time anything is due */
    ctx->due_any = 0;
    for (i = 0; i < p->n_events; i++) {
        uint32_t w;
        if (cep_event_deadline(ctx, (uint16_t)i, &w))
            cep_due(ctx, w);
    }
    for (i = 0; i < p->n_rules; i++) {
        uint32_t w;
        if (cep_pattern_due(ctx, (uint16_t)i, &w))
            cep_due(ctx, w);
    }
}

rt_status cep_tick(cep_ctx *ctx, uint32_t t_ms)
{
    if (!ctx)
        return RT_ERR_ARG;
    if (ctx->started && cep_tdiff(t_ms, ctx->now) < 0)
        return RT_ERR_TIME;
    advance(ctx, t_ms);
    return RT_OK;
}

/* ---------------------------------------------------------------- push */

static bool any_updated(const cep_ctx *ctx, uint16_t first, uint16_t count)
{
    uint32_t i;
    for (i = 0; i < count; i++)
        if (ctx->src_step[ctx->prog->refs[first + i]] == ctx->step)
            return true;
    return false;
}

static float raw_value(uint8_t type, const void *raw, uint32_t i, float scale)
{
    switch ((cep_input_type)type) {
    case CEP_IN_I8:   return (float)((const int8_t *)raw)[i] * scale;
    case CEP_IN_I16:  return (float)((const int16_t *)raw)[i] * scale;
    case CEP_IN_I32:  return (float)((const int32_t *)raw)[i] * scale;
    case CEP_IN_F32:  return ((const float *)raw)[i];
    case CEP_IN_BOOL: return ((const uint8_t *)raw)[i] ? 1.0f : 0.0f;
    default:          return cep_nan();
    }
}

rt_status cep_push(cep_ctx *ctx, uint16_t input, uint32_t t_ms, const void *raw)
{
    const cep_program *p;
    const cep_input_desc *in;
    float v[CEP_MAX_DIMS];
    uint32_t i, nin;

    if (!ctx || !raw)
        return RT_ERR_ARG;
    p = ctx->prog;
    if (input >= p->n_inputs)
        return RT_ERR_RANGE;
    in = &p->inputs[input];
    for (i = 0; i < in->dims; i++) {
        v[i] = raw_value(in->type, raw, i, in->scale);
        if (!cep_isfinite(v[i])) {
            ctx->stats.rejected_value++;
            return RT_ERR_VALUE;
        }
    }
    if (ctx->started && cep_tdiff(t_ms, ctx->now) < 0) {
        ctx->stats.rejected_time++;
        return RT_ERR_TIME;
    }
    advance(ctx, t_ms);
    ctx->step++;
    if (ctx->step == 0)           /* src_step 0 means "never": skip it */
        ctx->step = 1;
    ctx->stats.samples++;
    nin = p->n_inputs;
    for (i = 0; i < in->dims; i++)
        ctx->slots[in->slot + i] = v[i];
    ctx->src_step[input] = ctx->step;
    ctx->last_seen[input] = t_ms;
    for (i = 0; i < p->n_events; i++)
        if (p->events[i].kind == CEP_EV_WATCH && p->events[i].input == input) {
            ctx->events[i].armed = 1;
            cep_due(ctx, t_ms + p->events[i].for_ms);
        }
    for (i = 0; i < p->n_windows; i++)
        if (p->windows[i].input == input && cep_window_push(ctx, (uint16_t)i, t_ms, v[p->windows[i].comp]))
            ctx->win_step[i] = ctx->step;
    for (i = 0; i < p->n_features; i++) {
        const cep_feature_desc *f = &p->features[i];
        if (is_stream(f->kind) && f->comp == CEP_FEAT_OF_FEATURE) {
            /* features[src] comes earlier in this loop: already updated */
            if (ctx->src_step[nin + f->src] != ctx->step)
                continue;
            cep_feature_stream(ctx, (uint16_t)i, t_ms, ctx->slots[p->features[f->src].slot]);
        } else if (is_stream(f->kind)) {
            if (f->src != input)
                continue;
            cep_feature_stream(ctx, (uint16_t)i, t_ms, v[f->comp]);
        } else {
            if (ctx->win_step[f->src] != ctx->step)
                continue;
            cep_feature_window(ctx, (uint16_t)i);
        }
        ctx->src_step[nin + i] = ctx->step;
    }
    for (i = 0; i < p->n_models; i++)
        if (any_updated(ctx, p->models[i].dep_first, p->models[i].dep_count)) {
            cep_model_run(ctx, (uint16_t)i);
            ctx->src_step[nin + p->n_features + i] = ctx->step;
        }
    for (i = 0; i < p->n_events; i++)
        if (p->events[i].kind == CEP_EV_PRED &&
            any_updated(ctx, p->events[i].dep_first, p->events[i].dep_count))
            cep_event_eval(ctx, (uint16_t)i);
    return RT_OK;
}

static rt_status push_typed(cep_ctx *ctx, uint16_t input, uint32_t t, const void *v, cep_input_type ty)
{
    if (!ctx)
        return RT_ERR_ARG;
    if (input >= ctx->prog->n_inputs)
        return RT_ERR_RANGE;
    if (ctx->prog->inputs[input].type != ty)
        return RT_ERR_ARG;
    return cep_push(ctx, input, t, v);
}

rt_status cep_push_f32(cep_ctx *ctx, uint16_t input, uint32_t t_ms, const float *v)
{
    return push_typed(ctx, input, t_ms, v, CEP_IN_F32);
}
rt_status cep_push_i8(cep_ctx *ctx, uint16_t input, uint32_t t_ms, const int8_t *v)
{
    return push_typed(ctx, input, t_ms, v, CEP_IN_I8);
}
rt_status cep_push_i16(cep_ctx *ctx, uint16_t input, uint32_t t_ms, const int16_t *v)
{
    return push_typed(ctx, input, t_ms, v, CEP_IN_I16);
}
rt_status cep_push_i32(cep_ctx *ctx, uint16_t input, uint32_t t_ms, const int32_t *v)
{
    return push_typed(ctx, input, t_ms, v, CEP_IN_I32);
}
rt_status cep_push_bool(cep_ctx *ctx, uint16_t input, uint32_t t_ms, bool v)
{
    uint8_t b = v ? 1u : 0u;
    return push_typed(ctx, input, t_ms, &b, CEP_IN_BOOL);
}

const cep_stats *cep_stats_get(const cep_ctx *ctx)
{
    return &ctx->stats;
}

const cep_rule_stats *cep_rule_stats_get(const cep_ctx *ctx, uint16_t r)
{
    return r < ctx->prog->n_rules ? &ctx->rules[r].st : NULL;
}

float cep_slot_get(const cep_ctx *ctx, uint16_t slot)
{
    return slot < ctx->prog->n_slots ? ctx->slots[slot] : cep_nan();
}
