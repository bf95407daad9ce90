/*
** pattern.c — pattern automata, partial-match pools, alerts.
**
** Each rule owns a pool of max_runs runs (partial matches).  An occurrence
** is offered to a rule as follows:
**  1. Every live run tries the transitions of its state in program order
**     and takes the first whose event matches, whose `within` check
**     (t - reg[chk_reg] <= chk_ms) holds and whose guard is true.  Under
**     strict contiguity a run for which no transition matches dies if the
**     rule's automaton mentions the event at all; under skip-till-next-match
**     it ignores the occurrence.
**  2. If one or more runs would reach ACCEPT, the oldest of them completes
**     (first match) and every run of the rule is discarded: matches never
**     overlap and the completing occurrence starts nothing.
**  3. Otherwise the transitions are applied (KILL transitions end their
**     run) and the occurrence may start a new run from the start state.  A
**     full pool drops its oldest run first and counts rules[r].overflow.
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

static void rule_feed(cep_ctx *ctx, uint16_t r, const cep_occ *o)
{
    const cep_program *p = ctx->prog;
    const cep_rule_desc *rd = &p->rules[r];
    cep_rule_state *rs = &ctx->rules[r];
    cep_run *winner = NULL;
    int wtr = -1, tr;
    uint32_t i;
    bool strict = rd->policy == CEP_POL_STRICT, ment = strict && mentions(p, rd, o->event);

    /* 1-2: find the oldest run that this occurrence completes */
    for (i = 0; i < rd->max_runs; i++) {
        cep_run *run = &rs->runs[i];
        if (!run->used)
            continue;
        tr = find_trans(ctx, rd, run, run->state, o);
        if (tr >= 0 && !(p->trans[tr].flags & CEP_PT_KILL) &&
            p->states[p->trans[tr].next].kind == CEP_PS_ACCEPT &&
            (!winner || (int32_t)(run->seq - winner->seq) < 0)) {
            winner = run;
            wtr = tr;
        }
    }
    if (winner) {
        if (!run_step(ctx, rd, winner, &p->trans[wtr], o)) {
            rs->st.overflow++;
            run_free(rs, winner);
            return;
        }
        complete(ctx, r, winner, o->t);
        return;
    }
    /* 3: advance, kill */
    for (i = 0; i < rd->max_runs; i++) {
        cep_run *run = &rs->runs[i];
        if (!run->used)
            continue;
        tr = find_trans(ctx, rd, run, run->state, o);
        if (tr < 0) {
            if (ment)
                run_free(rs, run);
        } else if (p->trans[tr].flags & CEP_PT_KILL) {
            run_free(rs, run);
        } else if (!run_step(ctx, rd, run, &p->trans[tr], o)) {
            rs->st.overflow++;
            run_free(rs, run);
        }
    }
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
        if (p->states[run->state].kind == CEP_PS_ACCEPT)
            complete(ctx, r, run, o->t);
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
            return;
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
