/*
** pattern.c — pattern automata, partial-match pools, alerts.
**
** Each rule owns a pool of max_runs runs (partial matches).  An occurrence
** is offered to a rule as follows (docs/program.md §8):
**  1. Every live run tries the transitions of its state in program order
**     and takes the first whose event matches, whose `within` check
**     (t - reg[chk_reg] <= chk_ms) holds and whose guard is true.  Under
**     strict contiguity a run for which no transition matches dies if the
**     rule's automaton mentions the event at all; under skip-till-next- and
**     skip-till-any-match it ignores the occurrence.
**  2. Completions.  Reporting the first match: if one or more runs would
**     reach ACCEPT, the oldest of them completes and every run of the rule
**     is discarded: matches never overlap and the completing occurrence
**     starts nothing.  Reporting all matches (CEP_POL_ALL): every run that
**     would reach ACCEPT completes, oldest first; the others live on.
**  3. The transitions are applied (KILL transitions end their run).  Under
**     skip-till-any-match a run that takes a transition also stays where
**     it was: the step goes to a copy, so a later occurrence can be chosen
**     instead (and a completing run stays too, under CEP_POL_ALL).  Then the
**     occurrence may start a new run from the start state.  A full pool
**     drops its oldest run first and counts rules[r].overflow.
** Runs created while an occurrence is offered (forks, the new run) do not
** see that occurrence again: they are recognised by their sequence number.
** Work per occurrence is bounded by max_runs transition searches, max_runs
** copies of a run and, under CEP_POL_ALL, max_runs^2 sequence comparisons.
** Completed matches pass the rule's cooldown and rate limit (delivered
** alerts only count towards both) and are delivered to the alert callback.
*/
#include "cep/internal.h"

static void run_free(cep_rule_state *rs, cep_run *run)
{
    (void)rs;
    run->used = 0;
}

static void rule_clear(const cep_rule_desc *rd, cep_rule_state *rs)
{
    uint32_t i;
    for (i = 0; i < rd->max_runs; i++)
        rs->runs[i].used = 0;
}

/* Index of the first transition of state `st` that `o` can take, or -1. */
static int find_trans(const cep_ctx *ctx, const cep_rule_desc *rd, const cep_run *run, uint16_t st,
                      const cep_occ *o)
{
    const cep_program *p = ctx->prog;
    const cep_pstate *ps = &p->states[st];
    uint32_t i;
    for (i = ps->tr_first; i < (uint32_t)ps->tr_first + ps->tr_count; i++) {
        const cep_ptrans *tr = &p->trans[i];
        if (tr->event != o->event)
            continue;
        if (run && tr->chk_reg != CEP_NOREG && cep_tdiff(o->t, run->regs[tr->chk_reg]) > (int32_t)tr->chk_ms)
            continue;
        if (run && tr->chk2_reg != CEP_NOREG && cep_tdiff(o->t, run->regs[tr->chk2_reg]) > (int32_t)tr->chk2_ms)
            continue;
        if (tr->guard != CEP_NONE) {
            cep_env env = { ctx->slots, 0.0f, run, rd->max_caps, o };
            if (!cep_truth(cep_expr_eval(p, tr->guard, &env)))
                continue;
        }
        return (int)i;
    }
    return -1;
}

static bool mentions(const cep_program *p, const cep_rule_desc *rd, uint16_t ev)
{
    uint32_t s, i;
    for (s = rd->st_first; s < (uint32_t)rd->st_first + rd->st_count; s++)
        for (i = p->states[s].tr_first; i < (uint32_t)p->states[s].tr_first + p->states[s].tr_count; i++)
            if (p->trans[i].event == ev)
                return true;
    return false;
}

/* Tells the clock when the run's new state has time-driven work. */
static void note_state(cep_ctx *ctx, const cep_run *run)
{
    const cep_pstate *ps = &ctx->prog->states[run->state];
    if (ps->kind == CEP_PS_NEG)
        cep_due(ctx, run->regs[ps->dl_reg] + ps->dl_ms);
    else if (ps->kind == CEP_PS_WAIT && ps->dl_reg != CEP_NOREG)
        cep_due(ctx, run->regs[ps->dl_reg] + ps->dl_ms + 1u);
}

/* Appends o to run and follows transition tr; false if the run is full. */
static bool run_step(cep_ctx *ctx, const cep_rule_desc *rd, cep_run *run, const cep_ptrans *tr,
                     const cep_occ *o)
{
    uint32_t i;
    if (run->len >= rd->max_len)
        return false;
    run->ev[run->len] = o->event;
    run->t[run->len] = o->t;
    for (i = 0; i < rd->max_caps; i++)
        run->caps[(size_t)run->len * rd->max_caps + i] = i < o->n_caps ? o->caps[i] : 0.0f;
    run->len++;
    if (tr->set_reg != CEP_NOREG)
        run->regs[tr->set_reg] = o->t;
    run->state = tr->next;
    note_state(ctx, run);
    return true;
}

static void complete(cep_ctx *ctx, uint16_t r, cep_run *run, uint32_t t)
{
    const cep_program *p = ctx->prog;
    const cep_rule_desc *rd = &p->rules[r];
    cep_rule_state *rs = &ctx->rules[r];
    bool suppress = false;

    rs->st.matches++;
    if (rd->cooldown_ms > 0 && rs->alerted && cep_tdiff(t, rs->last_alert) < (int32_t)rd->cooldown_ms)
        suppress = true;
    if (rd->limit_n > 0 && rs->lim_count == rd->limit_n &&
        cep_tdiff(t, rs->lim[rs->lim_head]) < (int32_t)rd->limit_ms)
        suppress = true;
    if (suppress) {
        rs->st.suppressed++;
    } else {
        cep_alert a;
        uint32_t i;
        if (rd->limit_n > 0) {
            if (rs->lim_count == rd->limit_n) {
                rs->lim[rs->lim_head] = t;
                rs->lim_head = (uint16_t)((rs->lim_head + 1u) % rd->limit_n);
            } else {
                rs->lim[(rs->lim_head + rs->lim_count) % rd->limit_n] = t;
                rs->lim_count++;
            }
        }
        rs->alerted = 1;
        rs->last_alert = t;
        for (i = 0; i < run->len; i++) {
            ctx->mev[i].event = run->ev[i];
            ctx->mev[i].t_ms = run->t[i];
            ctx->mev[i].n_caps = p->events[run->ev[i]].cap_count;
            ctx->mev[i].caps = &run->caps[(size_t)i * rd->max_caps];
        }
        a.rule = r;
        a.severity = rd->severity;
        a.t_ms = t;
        a.msg_len = cep_message_render(ctx, r, run);
        a.msg = ctx->msg;
        a.n_events = run->len;
        a.events = ctx->mev;
        rs->st.alerts++;
        ctx->stats.alerts++;
        if (ctx->cb.alert)
            ctx->cb.alert(ctx->cb.user, &a);
    }
}

/* After run completed: the first-match rule discards every run; under
** CEP_POL_ALL only the completed run ends. */
static void completed(const cep_rule_desc *rd, cep_rule_state *rs, cep_run *run)
{
    if (rd->policy & CEP_POL_ALL)
        run_free(rs, run);
    else
        rule_clear(rd, rs);
}

static cep_run *run_alloc(const cep_rule_desc *rd, cep_rule_state *rs)
{
    cep_run *oldest = NULL;
    uint32_t i;
    for (i = 0; i < rd->max_runs; i++) {
        cep_run *run = &rs->runs[i];
        if (!run->used)
            return run;
        if (!oldest || (int32_t)(run->seq - oldest->seq) < 0)
            oldest = run;
    }
    rs->st.overflow++;
    return oldest;
}

/* True if run was created before the occurrence whose offer started at
** sequence number `first_new` (later runs are forks or new runs). */
static bool run_old(const cep_run *run, uint32_t first_new)
{
    return run->used && (int32_t)(run->seq - first_new) < 0;
}

/* Index of the transition by which o completes run (ACCEPT), or -1. */
static int completes(const cep_ctx *ctx, const cep_rule_desc *rd, const cep_run *run, const cep_occ *o)
{
    const cep_program *p = ctx->prog;
    int tr = find_trans(ctx, rd, run, run->state, o);
    return tr >= 0 && !(p->trans[tr].flags & CEP_PT_KILL) &&
                   p->states[p->trans[tr].next].kind == CEP_PS_ACCEPT
               ? tr
               : -1;
}

/* Steps run by transition tr to ACCEPT and reports the match.  keep: the
** run stays as it was (skip-till-any-match under CEP_POL_ALL): the step is
** undone after the report. */
static void finish(cep_ctx *ctx, uint16_t r, cep_run *run, const cep_ptrans *tr, const cep_occ *o,
                   bool keep)
{
    const cep_rule_desc *rd = &ctx->prog->rules[r];
    cep_rule_state *rs = &ctx->rules[r];
    uint16_t state = run->state;
    uint8_t len = run->len;
    uint32_t reg = tr->set_reg != CEP_NOREG ? run->regs[tr->set_reg] : 0;
    if (!run_step(ctx, rd, run, tr, o)) {
        rs->st.overflow++;
        if (!keep)
            run_free(rs, run);
        return;
    }
    complete(ctx, r, run, o->t);
    if (keep) {
        run->state = state;
        run->len = len;
        if (tr->set_reg != CEP_NOREG)
            run->regs[tr->set_reg] = reg;
    } else {
        completed(rd, rs, run);
    }
}

/* Skip-till-any-match: a copy of run, newest in the pool, takes tr; run
** stays.  A full pool makes room by dropping its oldest run; when that is
** run itself, run takes the step (as under skip-till-next-match). */
static void fork_step(cep_ctx *ctx, const cep_rule_desc *rd, cep_rule_state *rs, cep_run *run,
                      const cep_ptrans *tr, const cep_occ *o)
{
    cep_run *copy = run_alloc(rd, rs);
    if (copy != run) {
        uint32_t i;
        for (i = 0; i < CEP_MAX_REGS; i++)
            copy->regs[i] = run->regs[i];
        for (i = 0; i < run->len; i++) {
            copy->ev[i] = run->ev[i];
            copy->t[i] = run->t[i];
        }
        for (i = 0; i < (uint32_t)run->len * rd->max_caps; i++)
            copy->caps[i] = run->caps[i];
        copy->state = run->state;
        copy->len = run->len;
        copy->used = 1;
        copy->seq = rs->seq++;
    }
    if (!run_step(ctx, rd, copy, tr, o)) {
        rs->st.overflow++;
        run_free(rs, copy);
    }
}

/* CEP_POL_ALL: every old run that o completes completes, oldest first.
** Marks them (used = 2) first, so that a report cannot change which runs
** complete; those kept (skip-till-any-match) are unmarked by the caller
** after step 3, which they sit out. */
static void complete_all(cep_ctx *ctx, uint16_t r, const cep_occ *o, uint32_t first_new, bool any)
{
    const cep_rule_desc *rd = &ctx->prog->rules[r];
    cep_rule_state *rs = &ctx->rules[r];
    uint32_t i;
    int tr;
    for (i = 0; i < rd->max_runs; i++)
        if (run_old(&rs->runs[i], first_new) && completes(ctx, rd, &rs->runs[i], o) >= 0)
            rs->runs[i].used = 2;
    for (;;) {
        cep_run *next = NULL;
        for (i = 0; i < rd->max_runs; i++) {
            cep_run *run = &rs->runs[i];
            if (run->used == 2 && (!next || (int32_t)(run->seq - next->seq) < 0))
                next = run;
        }
        if (!next)
            return;
        next->used = 3;   /* done: kept (any) or freed by finish */
        tr = completes(ctx, rd, next, o);   /* the same transition as when marked */
        if (tr >= 0)
            finish(ctx, r, next, &ctx->prog->trans[tr], o, any);
    }
}

static void rule_feed(cep_ctx *ctx, uint16_t r, const cep_occ *o)
{
    const cep_program *p = ctx->prog;
    const cep_rule_desc *rd = &p->rules[r];
    cep_rule_state *rs = &ctx->rules[r];
    unsigned pol = rd->policy & CEP_POL_MASK;
    bool all = (rd->policy & CEP_POL_ALL) != 0, any = pol == CEP_POL_ANY;
    bool ment = pol == CEP_POL_STRICT && mentions(p, rd, o->event);
    uint32_t first_new = rs->seq, i;
    int tr;

    /* 2: completions */
    if (all) {
        complete_all(ctx, r, o, first_new, any);
    } else {
        cep_run *winner = NULL;
        int wtr = -1;
        for (i = 0; i < rd->max_runs; i++) {
            cep_run *run = &rs->runs[i];
            if (!run_old(run, first_new))
                continue;
            tr = completes(ctx, rd, run, o);
            if (tr >= 0 && (!winner || (int32_t)(run->seq - winner->seq) < 0)) {
                winner = run;
                wtr = tr;
            }
        }
        if (winner) {
            finish(ctx, r, winner, &p->trans[wtr], o, false);
            return;
        }
    }
    /* 3: advance, fork, kill (runs that completed sit this out) */
    for (i = 0; i < rd->max_runs; i++) {
        cep_run *run = &rs->runs[i];
        if (run->used != 1 || !run_old(run, first_new))
            continue;
        tr = find_trans(ctx, rd, run, run->state, o);
        if (tr < 0) {
            if (ment)
                run_free(rs, run);
        } else if (p->trans[tr].flags & CEP_PT_KILL) {
            run_free(rs, run);
        } else if (any) {
            fork_step(ctx, rd, rs, run, &p->trans[tr], o);
        } else if (!run_step(ctx, rd, run, &p->trans[tr], o)) {
            rs->st.overflow++;
            run_free(rs, run);
        }
    }
    for (i = 0; i < rd->max_runs; i++)
        if (rs->runs[i].used == 3)
            rs->runs[i].used = 1;
    /* a new run */
    tr = find_trans(ctx, rd, NULL, rd->start, o);
    if (tr >= 0 && !(p->trans[tr].flags & CEP_PT_KILL)) {
        cep_run *run = run_alloc(rd, rs);
        for (i = 0; i < CEP_MAX_REGS; i++)
            run->regs[i] = o->t;
        run->used = 1;
        run->len = 0;
        run->seq = rs->seq++;
        if (!run_step(ctx, rd, run, &p->trans[tr], o)) {
            rs->st.overflow++;
            run_free(rs, run);
            return;
        }
        if (p->states[run->state].kind == CEP_PS_ACCEPT) {
            complete(ctx, r, run, o->t);
            completed(rd, rs, run);
        }
    }
}

void cep_pattern_feed(cep_ctx *ctx, const cep_occ *o)
{
    uint16_t r;
    for (r = 0; r < ctx->prog->n_rules; r++)
        rule_feed(ctx, r, o);
}

/* Earliest negation-window close among the rule's runs. */
bool cep_pattern_deadline(const cep_ctx *ctx, uint16_t r, uint32_t *when)
{
    const cep_program *p = ctx->prog;
    const cep_rule_desc *rd = &p->rules[r];
    const cep_rule_state *rs = &ctx->rules[r];
    bool any = false;
    uint32_t i;
    for (i = 0; i < rd->max_runs; i++) {
        const cep_run *run = &rs->runs[i];
        const cep_pstate *ps;
        uint32_t w;
        if (!run->used)
            continue;
        ps = &p->states[run->state];
        if (ps->kind != CEP_PS_NEG)
            continue;
        w = run->regs[ps->dl_reg] + ps->dl_ms;
        if (!any || cep_tdiff(w, *when) < 0) {
            *when = w;
            any = true;
        }
    }
    return any;
}

/* Closes the negation windows due at `when`, oldest run first. */
void cep_pattern_timeout(cep_ctx *ctx, uint16_t r, uint32_t when)
{
    const cep_program *p = ctx->prog;
    const cep_rule_desc *rd = &p->rules[r];
    cep_rule_state *rs = &ctx->rules[r];
    for (;;) {
        cep_run *best = NULL;
        uint32_t i;
        for (i = 0; i < rd->max_runs; i++) {
            cep_run *run = &rs->runs[i];
            const cep_pstate *ps;
            if (!run->used)
                continue;
            ps = &p->states[run->state];
            if (ps->kind == CEP_PS_NEG && cep_tdiff(run->regs[ps->dl_reg] + ps->dl_ms, when) <= 0 &&
                (!best || (int32_t)(run->seq - best->seq) < 0))
                best = run;
        }
        if (!best)
            return;
        best->state = p->states[best->state].timeout;
        if (p->states[best->state].kind == CEP_PS_ACCEPT) {
            complete(ctx, r, best, when);
            completed(rd, rs, best);
            if (!(rd->policy & CEP_POL_ALL))
                return;
            continue;
        }
        note_state(ctx, best);
    }
}

/* Drops runs whose state deadline has passed (nothing can match any more). */
void cep_pattern_expire(cep_ctx *ctx, uint16_t r)
{
    const cep_program *p = ctx->prog;
    const cep_rule_desc *rd = &p->rules[r];
    cep_rule_state *rs = &ctx->rules[r];
    uint32_t i;
    for (i = 0; i < rd->max_runs; i++) {
        cep_run *run = &rs->runs[i];
        const cep_pstate *ps;
        if (!run->used)
            continue;
        ps = &p->states[run->state];
        if (ps->kind == CEP_PS_WAIT && ps->dl_reg != CEP_NOREG &&
            cep_tdiff(ctx->now, run->regs[ps->dl_reg]) > (int32_t)ps->dl_ms) {
            rs->st.expired++;
            run_free(rs, run);
        }
    }
}

bool cep_pattern_due(const cep_ctx *ctx, uint16_t r, uint32_t *when)
{
    const cep_program *p = ctx->prog;
    const cep_rule_desc *rd = &p->rules[r];
    const cep_rule_state *rs = &ctx->rules[r];
    bool any = false;
    uint32_t i;
    for (i = 0; i < rd->max_runs; i++) {
        const cep_run *run = &rs->runs[i];
        const cep_pstate *ps;
        uint32_t w;
        if (!run->used)
            continue;
        ps = &p->states[run->state];
        if (ps->dl_reg == CEP_NOREG || ps->kind == CEP_PS_ACCEPT)
            continue;
        w = run->regs[ps->dl_reg] + ps->dl_ms + (ps->kind == CEP_PS_WAIT ? 1u : 0u);
        if (!any || cep_tdiff(w, *when) < 0) {
            *when = w;
            any = true;
        }
    }
    return any;
}

size_t cep_rule_partials(const cep_ctx *ctx, uint16_t r, cep_partial *out, size_t max)
{
    const cep_rule_desc *rd;
    const cep_rule_state *rs;
    const cep_run *prev = NULL;
    size_t n = 0;
    if (!ctx || r >= ctx->prog->n_rules)
        return 0;
    rd = &ctx->prog->rules[r];
    rs = &ctx->rules[r];
    /* selection by age: each round takes the oldest run younger than prev */
    for (;;) {
        const cep_run *best = NULL;
        uint32_t i;
        for (i = 0; i < rd->max_runs; i++) {
            const cep_run *run = &rs->runs[i];
            if (!run->used || run->len == 0 || (prev && (int32_t)(run->seq - prev->seq) <= 0))
                continue;
            if (!best || (int32_t)(run->seq - best->seq) < 0)
                best = run;
        }
        if (!best)
            return n;
        if (n < max) {
            out[n].state = best->state;
            out[n].n_events = best->len;
            out[n].last_event = best->ev[best->len - 1];
            out[n].pad_ = 0;
            out[n].t_first = best->t[0];
            out[n].t_last = best->t[best->len - 1];
        }
        n++;
        prev = best;
    }
}
