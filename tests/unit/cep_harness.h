/*
** cep_harness.h — shared helpers for the CEP engine's unit tests: build a
** program with the builder, run it in exactly cep_state_size() bytes, and
** log every alert as one text line so that tests compare whole traces:
**   "<rule>@<t> <severity> '<message>' [<event>@<t>(<cap>,…) …]"
** Header-only (static inline) so that each test binary stays standalone.
*/
#ifndef TESTS_UNIT_CEP_HARNESS_H
#define TESTS_UNIT_CEP_HARNESS_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "cep/cep.h"
#include "cep/compile/builder.h"

typedef struct harness {
    cep_builder *b;
    cep_program  prog;
    void        *mem;
    size_t       size;
    cep_ctx     *ctx;
    char         log[16384];
    size_t       len;
    unsigned     alerts;
    rt_status  (*infer)(void *user, uint16_t model, const int8_t *in, size_t n_in, int8_t *out,
                        size_t n_out);
} harness;

static inline void h_alert(void *user, const cep_alert *a)
{
    harness *h = user;
    char *p = h->log + h->len;
    size_t room = sizeof h->log - h->len;
    int n;
    uint16_t i, j;
    n = snprintf(p, room, "%u@%u %s '%s' [", a->rule, a->t_ms, cep_severity_name(a->severity), a->msg);
    for (i = 0; i < a->n_events && n > 0 && (size_t)n < room; i++) {
        n += snprintf(p + n, room - (size_t)n, "%s%u@%u", i ? " " : "", a->events[i].event,
                      a->events[i].t_ms);
        for (j = 0; j < a->events[i].n_caps && (size_t)n < room; j++) {
            char num[64];
            cep_format_float(num, sizeof num, a->events[i].caps[j], 2);
            n += snprintf(p + n, room - (size_t)n, "%s%s", j ? "," : "(", num);
        }
        if (a->events[i].n_caps && (size_t)n < room)
            n += snprintf(p + n, room - (size_t)n, ")");
    }
    if (n > 0 && (size_t)n < room)
        n += snprintf(p + n, room - (size_t)n, "]\n");
    if (n > 0 && (size_t)n < room)
        h->len += (size_t)n;
    h->alerts++;
}

static inline void h_new(harness *h)
{
    memset(h, 0, sizeof *h);
    h->b = cep_b_new();
    assert_non_null(h->b);
}

/* Finishes the program and initialises the engine in exactly the planned
** storage (so that any overrun shows under ASan). */
static inline void h_start(harness *h)
{
    cep_callbacks cb = { h_alert, h->infer, h };
    if (!cep_b_finish(h->b, &h->prog))
        fail_msg("builder: %s", cep_b_error(h->b));
    h->size = cep_state_size(&h->prog);
    assert_true(h->size > 0);
    h->mem = aligned_alloc(8, (h->size + 7) & ~(size_t)7);
    assert_non_null(h->mem);
    assert_int_equal(cep_init(&h->ctx, &h->prog, h->mem, h->size, &cb), RT_OK);
}

static inline void h_free(harness *h)
{
    free(h->mem);
    cep_b_free(h->b);
}

static inline void h_f32(harness *h, uint16_t in, uint32_t t, float v)
{
    assert_int_equal(cep_push_f32(h->ctx, in, t, &v), RT_OK);
}

static inline void h_clear_log(harness *h)
{
    h->len = 0;
    h->log[0] = '\0';
    h->alerts = 0;
}

/* Deterministic PRNG for tests (xorshift32) and a uniform in [0,1). */
static inline uint32_t h_rand(uint32_t *s)
{
    uint32_t x = *s;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return *s = x;
}
static inline double h_unif(uint32_t *s)
{
    return (double)(h_rand(s) >> 8) / 16777216.0;
}

#endif /* TESTS_UNIT_CEP_HARNESS_H */
