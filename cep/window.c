/*
** window.c — sample windows: fixed-capacity rings over one input component.
**
** Count windows keep the last `cap` samples and emit once full, then every
** `hop` samples.  Time windows keep the samples with t > now - span_ms; a
** sample arriving when the ring is full evicts the oldest one (counted in
** stats.window_overflow: the compiler sized the ring from the nominal rate,
** so this means the input ran faster than declared).  A time window emits
** on its first sample and then whenever hop_ms has passed since the last
** emission (hop_ms = 0: on every sample).  O(1) per sample except the
** eviction of expired samples, which is bounded by cap.
*/
#include "cep/internal.h"

bool cep_window_push(cep_ctx *ctx, uint16_t w, uint32_t t, float v)
{
    const cep_window_desc *d = &ctx->prog->windows[w];
    cep_win_state *s = &ctx->wins[w];
    uint16_t tail;

    if (d->flags & CEP_WIN_TIME) {
        /* drop samples that left the window: keep t_i > t - span */
        while (s->count > 0 && cep_tdiff(t, s->tbuf[s->head]) >= (int32_t)d->span_ms) {
            s->head = (uint16_t)((s->head + 1u) % d->cap);
            s->count--;
        }
    }
    if (s->count == d->cap) {              /* full: the oldest sample goes */
        s->head = (uint16_t)((s->head + 1u) % d->cap);
        s->count--;
        if (d->flags & CEP_WIN_TIME)
            ctx->stats.window_overflow++;
    }
    tail = (uint16_t)((s->head + s->count) % d->cap);
    s->buf[tail] = v;
    if (s->tbuf)
        s->tbuf[tail] = t;
    s->count++;

    if (d->flags & CEP_WIN_TIME) {
        if (!s->emitted || cep_tdiff(t, s->last_emit) >= (int32_t)d->hop_ms) {
            s->emitted = 1;
            s->last_emit = t;
            return true;
        }
        return false;
    }
    if (s->since < d->hop)
        s->since++;
    if (s->count == d->cap && s->since >= d->hop) {
        s->since = 0;
        return true;
    }
    return false;
}
