/*
** event.c — events: predicate pipelines and watchdogs that turn value
** changes into timestamped occurrences for the pattern automata.
**
** PRED event, evaluated when one of its dependencies was updated:
**   raw    = truth(pred)
**   cond   = raw, or (k of n) at least k of the last n raw values are true
**   active : inactive → active when cond has held for for_ms (continuously,
**            on every evaluation since it turned true; for_ms = 0: at once);
**            active → inactive when `clear` is true (hysteresis), or, with
**            no clear expression, when cond is false.
**   An occurrence is emitted when the event becomes active (time: the
**   evaluation, or t_true + for_ms when the duration completes between
**   samples) and, without CEP_EVF_RISE, at every further evaluation while
**   active.  With CEP_EVF_PRIOR the first evaluation only records the level.
** WATCH event: an occurrence at last_sample + for_ms when the input stays
**   silent that long (a gap of exactly for_ms counts); re-armed by the next
**   sample.  Before the first sample the reference is the first clock value.
** Captures are evaluated at the occurrence with the current value slots.
*/
#include "cep/internal.h"

static void fire(cep_ctx *ctx, uint16_t ei, uint32_t t)
{
    const cep_program *p = ctx->prog;
    const cep_event_desc *e = &p->events[ei];
    cep_env env = { ctx->slots, e->param, NULL, 0, NULL };
    cep_occ o;
    uint32_t i;
    for (i = 0; i < e->cap_count; i++)
        ctx->occ_caps[i] = cep_expr_eval(p, p->refs[e->cap_first + i], &env);
    ctx->events[ei].count++;
    o.event = ei;
    o.n_caps = e->cap_count;
    o.t = t;
    o.caps = ctx->occ_caps;
    cep_pattern_feed(ctx, &o);
}

static uint32_t popcount32(uint32_t v)
{
    uint32_t c = 0;
    for (; v; v &= v - 1u)
        c++;
    return c;
}

void cep_event_eval(cep_ctx *ctx, uint16_t ei)
{
    const cep_program *p = ctx->prog;
    const cep_event_desc *e = &p->events[ei];
    cep_event_state *s = &ctx->events[ei];
    cep_env env = { ctx->slots, e->param, NULL, 0, NULL };
    bool raw = cep_truth(cep_expr_eval(p, e->pred, &env)), cond = raw;

    if (e->n > 0) {
        uint32_t mask = e->n >= 32u ? 0xffffffffu : ((1u << e->n) - 1u);
        s->hist = ((s->hist << 1) | (raw ? 1u : 0u)) & mask;
        cond = popcount32(s->hist) >= e->k;
    }
    s->cond = cond;
    if ((e->flags & CEP_EVF_PRIOR) && !s->known) {
        s->known = 1;
        s->active = cond;
        return;
    }
    if (s->active) {
        bool clear = e->clear != CEP_NONE ? cep_truth(cep_expr_eval(p, e->clear, &env)) : !cond;
        if (clear) {
            s->active = 0;
            s->timing = 0;
        } else if (!(e->flags & CEP_EVF_RISE)) {
            fire(ctx, ei, ctx->now);
        }
        return;
    }
    if (!cond) {
        s->timing = 0;
        return;
    }
    if (e->for_ms == 0) {
        s->active = 1;
        fire(ctx, ei, ctx->now);
        return;
    }
    if (!s->timing) {
        s->timing = 1;
        s->t_true = ctx->now;
        cep_due(ctx, s->t_true + e->for_ms);
    }
}

bool cep_event_deadline(const cep_ctx *ctx, uint16_t ei, uint32_t *when)
{
    const cep_event_desc *e = &ctx->prog->events[ei];
    const cep_event_state *s = &ctx->events[ei];
    if (e->kind == CEP_EV_WATCH) {
        if (!s->armed)
            return false;
        *when = ctx->last_seen[e->input] + e->for_ms;
        return true;
    }
    if (s->active || !s->timing)
        return false;
    *when = s->t_true + e->for_ms;
    return true;
}

void cep_event_timeout(cep_ctx *ctx, uint16_t ei, uint32_t when)
{
    cep_event_state *s = &ctx->events[ei];
    if (ctx->prog->events[ei].kind == CEP_EV_WATCH)
        s->armed = 0;
    else {
        s->timing = 0;
        s->active = 1;
    }
    fire(ctx, ei, when);
}

uint32_t cep_event_count(const cep_ctx *ctx, uint16_t e)
{
    return e < ctx->prog->n_events ? ctx->events[e].count : 0;
}
