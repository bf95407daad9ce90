/*
** test_cep_robust.c — the engine's defined behaviour at the edges (DESIGN
** §9): NaN/Inf samples, decreasing and equal timestamps, gaps, 32-bit
** wrap-around, bursts beyond the partial-match pool; the exact storage
** size; property tests on random traces (no crash, overflow counted,
** identical alerts across runs and with extra ticks between samples); and
** program validation under random corruption (never unsafe).
*/
#include <math.h>

#include "cep_harness.h"

/* A plain program: x (f32), events A (x == 1), B (x == 2), rule A then B
** within 10 s, pool 4. */
static void simple(harness *h)
{
    uint16_t in, a, b, r, seq[2];
    h_new(h);
    in = cep_b_input(h->b, "x", CEP_IN_F32, 1, 1, 0);
    a = cep_b_event(h->b, "A", cep_b_rpn(h->b, "s0 1 =="), 0);
    b = cep_b_event(h->b, "B", cep_b_rpn(h->b, "s0 2 =="), 0);
    seq[0] = a;
    seq[1] = b;
    r = cep_b_rule(h->b, "ab", CEP_SEV_INFO);
    cep_b_pat_seq(h->b, r, seq, 2, 10000);
    (void)in;
    h_start(h);
}

/* NaN and ±Inf are rejected with RT_ERR_VALUE, counted, and change nothing
** (the slot keeps its value, no sample is counted, the clock stays). */
static void nonfinite_rejected(void **state)
{
    harness h;
    float v;
    (void)state;
    simple(&h);
    h_f32(&h, 0, 100, 5);
    v = NAN;
    assert_int_equal(cep_push_f32(h.ctx, 0, 200, &v), RT_ERR_VALUE);
    v = INFINITY;
    assert_int_equal(cep_push_f32(h.ctx, 0, 200, &v), RT_ERR_VALUE);
    v = -INFINITY;
    assert_int_equal(cep_push_f32(h.ctx, 0, 50, &v), RT_ERR_VALUE);
    assert_int_equal(cep_stats_get(h.ctx)->rejected_value, 3);
    assert_int_equal(cep_stats_get(h.ctx)->samples, 1);
    assert_float_equal(cep_slot_get(h.ctx, 0), 5, 0);
    /* the clock did not move: a sample at 150 is still accepted */
    h_f32(&h, 0, 150, 1);
    h_free(&h);
}

/* Older samples and ticks are rejected (RT_ERR_TIME) and counted; equal
** timestamps are accepted in push order: A and B at the same instant match
** "A then B". */
static void time_order(void **state)
{
    harness h;
    float v = 1;
    (void)state;
    simple(&h);
    h_f32(&h, 0, 1000, 1);
    assert_int_equal(cep_push_f32(h.ctx, 0, 999, &v), RT_ERR_TIME);
    assert_int_equal(cep_tick(h.ctx, 500), RT_ERR_TIME);
    assert_int_equal(cep_stats_get(h.ctx)->rejected_time, 1);
    h_f32(&h, 0, 1000, 2);
    assert_string_equal(h.log, "0@1000 info '' [0@1000 1@1000]\n");
    assert_int_equal(cep_push_f32(h.ctx, 99, 1000, &v), RT_ERR_RANGE);
    {
        int16_t i16 = 3;
        assert_int_equal(cep_push_i16(h.ctx, 0, 1000, &i16), RT_ERR_ARG);   /* wrong type */
    }
    h_free(&h);
}

/* Gaps: a `for 10 s` condition true at 0 with the next sample an hour later
** fires at 10000 (its deadline), not at the late sample; a time window
** forgets everything across the gap. */
static void gaps(void **state)
{
    harness h;
    uint16_t in, e, r, mean;
    (void)state;
    h_new(&h);
    in = cep_b_input(h.b, "temp", CEP_IN_F32, 1, 1, 0);
    mean = cep_b_feature_slot(h.b, cep_b_feature(h.b, CEP_F_MEAN, cep_b_window_time(h.b, in, 0, 1000, 0, 16), 0), 0);
    e = cep_b_event(h.b, "hot", cep_b_rpn(h.b, "s0 85 >"), CEP_EVF_RISE);
    cep_b_event_for(h.b, e, 10000);
    r = cep_b_rule(h.b, "r", CEP_SEV_INFO);
    cep_b_pat_single(h.b, r, e);
    h_start(&h);
    h_f32(&h, in, 0, 90);
    h_f32(&h, in, 500, 90);
    h_f32(&h, in, 3600000, 10);
    assert_string_equal(h.log, "0@10000 info '' [0@10000]\n");
    assert_float_equal(cep_slot_get(h.ctx, mean), 10, 0);
    h_free(&h);
}

/* The scenario of the for/negation/sequence tests, run once from t = 0 and
** once from 6 s before the 32-bit wrap: the alerts must be the same with
** every time shifted by the same base (mod 2^32). */
typedef struct times { uint32_t t[32]; unsigned n; } times;

static void rec_alert(void *user, const cep_alert *a)
{
    times *ts = user;
    if (ts->n < 32)
        ts->t[ts->n++] = a->t_ms;
}

static void run_wrap(uint32_t base, times *ts)
{
    cep_builder *b = cep_b_new();
    cep_program p;
    cep_ctx *ctx;
    cep_callbacks cb = { rec_alert, NULL, ts };
    uint16_t in, a, bb, hot, neg, r, s0, s1, acc, seq[2];
    void *mem;
    const uint32_t tt[] = { 0, 1000, 4000, 9000, 12000, 15000, 20000, 30000 };
    const float xx[] = { 1, 90, 2, 1, 1, 90, 2, 0 };
    unsigned i;
    in = cep_b_input(b, "x", CEP_IN_F32, 1, 1, 0);
    a = cep_b_event(b, "A", cep_b_rpn(b, "s0 1 =="), 0);
    bb = cep_b_event(b, "B", cep_b_rpn(b, "s0 2 =="), 0);
    hot = cep_b_event(b, "hot", cep_b_rpn(b, "s0 85 >"), CEP_EVF_RISE);
    cep_b_event_for(b, hot, 2000);
    neg = cep_b_watchdog(b, "silent", in, 5000);
    seq[0] = a;
    seq[1] = bb;
    r = cep_b_rule(b, "ab", CEP_SEV_INFO);
    cep_b_pat_seq(b, r, seq, 2, 10000);
    r = cep_b_rule(b, "hot", CEP_SEV_INFO);
    cep_b_pat_single(b, r, hot);
    r = cep_b_rule(b, "silent", CEP_SEV_INFO);
    cep_b_pat_single(b, r, neg);
    r = cep_b_rule(b, "a_not_b", CEP_SEV_INFO);
    s0 = cep_b_state(b, CEP_PS_WAIT);
    s1 = cep_b_state(b, CEP_PS_WAIT);
    acc = cep_b_state(b, CEP_PS_ACCEPT);
    cep_b_rule_start(b, r, s0);
    cep_b_trans(b, s0, a, s1, CEP_NONE, 0, CEP_NOREG, 0, 0);
    cep_b_trans(b, s1, bb, s1, CEP_NONE, CEP_NOREG, CEP_NOREG, 0, CEP_PT_KILL);
    cep_b_state_neg(b, s1, 0, 2500, acc);
    assert_true(cep_b_finish(b, &p));
    mem = aligned_alloc(8, (cep_state_size(&p) + 7) & ~(size_t)7);
    assert_int_equal(cep_init(&ctx, &p, mem, cep_state_size(&p), &cb), RT_OK);
    for (i = 0; i < 8; i++)
        assert_int_equal(cep_push_f32(ctx, in, base + tt[i], &xx[i]), RT_OK);
    assert_int_equal(cep_tick(ctx, base + 40000), RT_OK);
    free(mem);
    cep_b_free(b);
}

static void wraparound(void **state)
{
    times t0 = { { 0 }, 0 }, t1 = { { 0 }, 0 };
    uint32_t base = 0xFFFFFFFFu - 6000u;
    unsigned i;
    (void)state;
    run_wrap(0, &t0);
    run_wrap(base, &t1);
    /* by hand from t=0 (samples 1@0 90@1000 2@4000 1@9000 1@12000
    ** 90@15000 2@20000 0@30000, tick 40000; timers close before the
    ** sample at the same or a later time):
    **  2500  a_not_b: A@0, window [0,2500) without B
    **  3000  hot: 90@1000 + 2 s (the next sample is at 4000)
    **  4000  ab: A@0, B@4000
    **  9000  watchdog: 4000..9000 silent for exactly 5 s
    **  11500 a_not_b: A@9000 + 2.5 s
    **  14500 a_not_b: A@12000 + 2.5 s
    **  17000 hot: 90@15000 + 2 s
    **  20000 watchdog: 15000..20000 (timer first), then
    **  20000 ab: A@12000 (8 s before; the run of A@9000 is 11 s old), B@20000
    **  25000 watchdog: 20000 + 5 s;  35000 watchdog: 30000 + 5 s */
    assert_int_equal(t0.n, 11);
    {
        const uint32_t want[11] = { 2500, 3000, 4000, 9000, 11500, 14500, 17000, 20000, 20000, 25000, 35000 };
        for (i = 0; i < 11; i++)
            assert_int_equal(t0.t[i], want[i]);
    }
    assert_int_equal(t1.n, t0.n);
    for (i = 0; i < t0.n; i++)
        assert_int_equal(t1.t[i], (uint32_t)(t0.t[i] + base));
}

/* 100 starts of A then B with a pool of 4: 96 runs dropped oldest-first and
** counted; B matches the oldest surviving run (A@96). */
static void burst_beyond_pool(void **state)
{
    harness h;
    unsigned i;
    (void)state;
    simple(&h);
    for (i = 0; i < 100; i++)
        h_f32(&h, 0, i, 1);
    h_f32(&h, 0, 100, 2);
    assert_int_equal(cep_rule_stats_get(h.ctx, 0)->overflow, 96);
    assert_string_equal(h.log, "0@100 info '' [0@96 1@100]\n");
    h_free(&h);
}

static void storage_exact(void **state)
{
    harness h;
    cep_ctx *ctx;
    (void)state;
    simple(&h);
    assert_int_equal(cep_init(&ctx, &h.prog, h.mem, h.size - 1, NULL), RT_ERR_NOMEM);
    assert_int_equal(cep_init(&ctx, &h.prog, (char *)h.mem + 4, h.size, NULL), RT_ERR_ARG);
    {
        cep_program bad = h.prog;
        bad.version++;
        assert_int_equal(cep_init(&ctx, &bad, h.mem, h.size, NULL), RT_ERR_VERSION);
        assert_int_equal(cep_state_size(&bad), 0);
    }
    h_free(&h);
}

/* A program with every kind of object, for the property tests. */
static void big_program(harness *h)
{
    uint16_t x, y, w1, w2, w3, f[6], e[6], r, s0, s1, s2, acc, seq[3];
    uint16_t an_in[2];
    h_new(h);
    x = cep_b_input(h->b, "x", CEP_IN_I16, 2, 0.01f, 1000);
    y = cep_b_input(h->b, "y", CEP_IN_F32, 1, 1, 0);
    w1 = cep_b_window_count(h->b, x, 0, 32, 8);
    w2 = cep_b_window_time(h->b, x, 1, 200, 50, 24);
    w3 = cep_b_window_count(h->b, y, 0, 5, 5);
    f[0] = cep_b_feature(h->b, CEP_F_RMS, w1, 0);
    f[1] = cep_b_bands(h->b, w1, 4);
    f[2] = cep_b_feature(h->b, CEP_F_KURTOSIS, w2, 0);
    f[3] = cep_b_feature(h->b, CEP_F_SLOPE, w2, 0);
    f[4] = cep_b_feature(h->b, CEP_F_MEAN, w3, 0);
    f[5] = cep_b_stream(h->b, CEP_F_EWMA, y, 0, 0.1f);
    an_in[0] = cep_b_feature_slot(h->b, f[0], 0);
    an_in[1] = cep_b_feature_slot(h->b, f[5], 0);
    cep_b_anomaly(h->b, an_in, 2, 2000, 1e-3f);
    {
        char rpn[64];
        snprintf(rpn, sizeof rpn, "s%u 0.3 >", cep_b_feature_slot(h->b, f[0], 0));
        e[0] = cep_b_event(h->b, "loud", cep_b_rpn(h->b, rpn), CEP_EVF_RISE);
        cep_b_event_for(h->b, e[0], 100);
        snprintf(rpn, sizeof rpn, "s%u 0.5 >", cep_b_feature_slot(h->b, f[4], 0));
        e[1] = cep_b_event(h->b, "high", cep_b_rpn(h->b, rpn), 0);
        cep_b_event_kofn(h->b, e[1], 2, 3);
        cep_b_event_capture(h->b, e[1], cep_b_rpn(h->b, rpn));
        e[2] = cep_b_event(h->b, "y_up", cep_b_rpn(h->b, "s2 0.9 >"), CEP_EVF_RISE | CEP_EVF_PRIOR);
        cep_b_event_clear(h->b, e[2], cep_b_rpn(h->b, "s2 0.1 <"));
        e[3] = cep_b_watchdog(h->b, "y_silent", y, 300);
        snprintf(rpn, sizeof rpn, "s%u 1 >", cep_b_feature_slot(h->b, f[2], 0));
        e[4] = cep_b_event(h->b, "peaky", cep_b_rpn(h->b, rpn), 0);
        cep_b_event_capture(h->b, e[4], cep_b_rpn(h->b, "s0"));
        e[5] = cep_b_event(h->b, "y_low", cep_b_rpn(h->b, "s2 0.2 <"), 0);
    }
    seq[0] = e[0];
    seq[1] = e[1];
    seq[2] = e[2];
    r = cep_b_rule(h->b, "seq", CEP_SEV_CRITICAL);
    cep_b_pat_seq(h->b, r, seq, 3, 2000);
    cep_b_msg_template(h->b, r, "seq {cap1.0:.2f} at {s0:.3f}");
    cep_b_rule_pool(h->b, r, 3);
    r = cep_b_rule(h->b, "silent", CEP_SEV_WARNING);
    cep_b_pat_single(h->b, r, e[3]);
    cep_b_rule_limit(h->b, r, 2, 1000);
    r = cep_b_rule(h->b, "peaky_no_low", CEP_SEV_INFO);
    s0 = cep_b_state(h->b, CEP_PS_WAIT);
    s1 = cep_b_state(h->b, CEP_PS_WAIT);
    s2 = cep_b_state(h->b, CEP_PS_WAIT);
    acc = cep_b_state(h->b, CEP_PS_ACCEPT);
    cep_b_rule_start(h->b, r, s0);
    cep_b_trans(h->b, s0, e[4], s1, CEP_NONE, 0, CEP_NOREG, 0, 0);
    cep_b_trans(h->b, s1, e[4], s2, cep_b_rpn(h->b, "cap4.0 0 >"), 1, 0, 500, 0);
    cep_b_state_deadline(h->b, s1, 0, 500);
    cep_b_trans(h->b, s2, e[5], s2, CEP_NONE, CEP_NOREG, CEP_NOREG, 0, CEP_PT_KILL);
    cep_b_state_neg(h->b, s2, 1, 200, acc);
    cep_b_msg_template(h->b, r, "peaky {cap4.0:.1f}");
    cep_b_rule_pool(h->b, r, 2);
    cep_b_rule_cooldown(h->b, r, 300);
    h_start(h);
}

/* Feeds a random trace (fixed seed); with `ticks`, a tick at a random time
** before each sample.  Includes NaN samples and late samples (rejected). */
static void feed_random(harness *h, uint32_t seed, int ticks, uint32_t base)
{
    uint32_t t = base, prev;
    unsigned i;
    /* the clock starts at the first push or tick (the reference of
    ** watchdogs on silent inputs), so every run starts it the same way */
    assert_int_equal(cep_tick(h->ctx, base), RT_OK);
    for (i = 0; i < 20000; i++) {
        uint32_t r = h_rand(&seed);
        prev = t;
        t += r % 7;
        if (r % 13 == 0)
            t += 400;              /* gaps */
        if (ticks && (r >> 8) % 3 == 0)
            assert_int_equal(cep_tick(h->ctx, prev + (t - prev) / 2), RT_OK);
        if ((r >> 4) % 4 != 0) {
            int16_t v[2];
            v[0] = (int16_t)((int)(h_rand(&seed) % 200) - 100 + (((i / 2000) % 2) ? 60 : 0));
            v[1] = (int16_t)((int)(h_rand(&seed) % 300) - 150);
            assert_int_equal(cep_push_i16(h->ctx, 0, t, v), RT_OK);
        } else {
            float y = (float)h_unif(&seed);
            if (r % 101 == 0)
                y = NAN;
            assert_int_equal(cep_push_f32(h->ctx, 1, t, &y), isnan(y) ? RT_ERR_VALUE : RT_OK);
            if (r % 97 == 0 && t > base && !isnan(y)) {
                y = 0.5f;
                assert_int_equal(cep_push_f32(h->ctx, 1, t - 1, &y), RT_ERR_TIME);
            }
        }
    }
}

static void property_deterministic(void **state)
{
    harness h1, h2, h3;
    uint32_t seed;
    (void)state;
    for (seed = 1; seed <= 3; seed++) {
        big_program(&h1);
        big_program(&h2);
        big_program(&h3);
        feed_random(&h1, seed, 0, 0);
        feed_random(&h2, seed, 0, 0);
        feed_random(&h3, seed, 1, 0);
        assert_true(h1.alerts > 0);
        assert_string_equal(h1.log, h2.log);
        assert_string_equal(h1.log, h3.log);
        assert_memory_equal(cep_stats_get(h1.ctx), cep_stats_get(h3.ctx), sizeof(cep_stats));
        assert_true(cep_stats_get(h1.ctx)->rejected_value > 0);
        /* this trace overflows the 2-run pool of peaky_no_low, expires its
        ** runs and hits the silent rule's rate limit */
        assert_true(cep_rule_stats_get(h1.ctx, 2)->overflow > 0);
        assert_true(cep_rule_stats_get(h1.ctx, 2)->expired > 0);
        assert_true(cep_rule_stats_get(h1.ctx, 1)->suppressed > 0);
        assert_true(cep_stats_get(h1.ctx)->rejected_time > 0);
        h_free(&h1);
        h_free(&h2);
        h_free(&h3);
    }
}

/* The per-object parts of the memory plan add up to cep_state_size();
** window parts by hand: record 32 B + 4 B per sample (count window of 32:
** 160 B) and + 4 B per sample for times (time window of 24: 32 + 96 + 96). */
static void memory_plan_parts(void **state)
{
    harness h;
    size_t sum = 0;
    uint16_t i;
    (void)state;
    big_program(&h);
    sum += cep_state_size_of(&h.prog, CEP_RAM_CONTEXT, 0);
    sum += cep_state_size_of(&h.prog, CEP_RAM_VALUES, 0);
    sum += cep_state_size_of(&h.prog, CEP_RAM_SCRATCH, 0);
    for (i = 0; i < h.prog.n_windows; i++)
        sum += cep_state_size_of(&h.prog, CEP_RAM_WINDOW, i);
    for (i = 0; i < h.prog.n_features; i++)
        sum += cep_state_size_of(&h.prog, CEP_RAM_FEATURE, i);
    for (i = 0; i < h.prog.n_models; i++)
        sum += cep_state_size_of(&h.prog, CEP_RAM_MODEL, i);
    for (i = 0; i < h.prog.n_events; i++)
        sum += cep_state_size_of(&h.prog, CEP_RAM_EVENT, i);
    for (i = 0; i < h.prog.n_rules; i++)
        sum += cep_state_size_of(&h.prog, CEP_RAM_RULE, i);
    assert_int_equal(sum, cep_state_size(&h.prog));
    /* the one-pass form gives every part in CEP_RAM_LIST order, each equal
    ** to the per-object call: context, values, windows .. rules, scratch */
    {
        size_t parts[64], n = cep_state_size_parts(&h.prog, NULL, 0), k = 0;
        cep_ram_kind kind;
        const uint32_t count[CEP_RAM_COUNT_] = { 1, 1, h.prog.n_windows, h.prog.n_features,
                                                 h.prog.n_models, h.prog.n_events, h.prog.n_rules, 1 };
        assert_true(n > 0 && n <= 64);
        assert_int_equal(cep_state_size_parts(&h.prog, parts, n), n);
        for (kind = CEP_RAM_CONTEXT; kind < CEP_RAM_COUNT_; kind++)
            for (i = 0; i < count[kind]; i++)
                assert_int_equal(parts[k++], cep_state_size_of(&h.prog, kind, i));
        assert_int_equal(k, n);
    }
    assert_int_equal(cep_state_size_of(&h.prog, CEP_RAM_CONTEXT, 0), 192);
    /* the first window also carries the alignment padding (< 8 B) before
    ** the array of window records */
    assert_true(cep_state_size_of(&h.prog, CEP_RAM_WINDOW, 0) >= 160);
    assert_true(cep_state_size_of(&h.prog, CEP_RAM_WINDOW, 0) < 168);
    assert_int_equal(cep_state_size_of(&h.prog, CEP_RAM_WINDOW, 1), 224);
    assert_int_equal(cep_state_size_of(&h.prog, CEP_RAM_WINDOW, 3), 0);   /* no such window */
    /* rule peaky_no_low: record 56, 2 runs of 48, max_len 2 and max_caps 1:
    ** per run ⌈2·2⌉ + ⌈4·2⌉ + ⌈4·2·1⌉ = 8 + 8 + 8: 56 + 96 + 48 = 200 */
    assert_int_equal(h.prog.rules[2].max_len, 2);
    assert_int_equal(h.prog.rules[2].max_caps, 1);
    assert_int_equal(cep_state_size_of(&h.prog, CEP_RAM_RULE, 2), 200);
    h_free(&h);
}

/* Random single-byte corruption of every table of a real program: init
** either rejects it or the program runs without a memory error (ASan) —
** never an out-of-bounds access. */
static void corrupted_programs(void **state)
{
    harness h;
    cep_program p;
    struct { const void **ptr; size_t size; } tab[16];
    void *copies[16];
    unsigned nt = 0, i, k, accepted = 0;
    uint32_t seed = 31337;
    (void)state;
    big_program(&h);
    p = h.prog;
#define TAB(field, count) tab[nt].ptr = (const void **)&p.field; tab[nt].size = sizeof *p.field * p.count; nt++
    TAB(inputs, n_inputs); TAB(windows, n_windows); TAB(features, n_features); TAB(models, n_models);
    TAB(events, n_events); TAB(rules, n_rules); TAB(states, n_states); TAB(trans, n_trans);
    TAB(exprs, n_exprs); TAB(code, n_code); TAB(msgparts, n_msgparts); TAB(names, n_names);
    TAB(refs, n_refs);
#undef TAB
    for (i = 0; i < nt; i++)
        copies[i] = malloc(tab[i].size);
    for (k = 0; k < 3000; k++) {
        unsigned which = h_rand(&seed) % nt;
        size_t size;
        void *mem;
        cep_ctx *ctx;
        cep_program q = h.prog;
        for (i = 0; i < nt; i++) {
            memcpy(copies[i], *(const void **)((char *)&h.prog + ((char *)tab[i].ptr - (char *)&p)), tab[i].size);
            *(const void **)((char *)&q + ((char *)tab[i].ptr - (char *)&p)) = copies[i];
        }
        if (tab[which].size)
            ((uint8_t *)copies[which])[h_rand(&seed) % tab[which].size] ^= (uint8_t)(1u << (h_rand(&seed) % 8));
        size = cep_state_size(&q);
        if (size == 0 || size > (16u << 20))
            continue;
        mem = aligned_alloc(8, (size + 7) & ~(size_t)7);
        if (cep_init(&ctx, &q, mem, size, NULL) == RT_OK) {
            uint32_t t;
            accepted++;
            for (t = 0; t < 300; t++) {
                /* a corrupted input may have another type or up to 16
                ** components: pass buffers large enough for any */
                int16_t v[2 * CEP_MAX_DIMS] = { (int16_t)(h_rand(&seed) % 200), (int16_t)(h_rand(&seed) % 200) };
                float y[CEP_MAX_DIMS] = { (float)h_unif(&seed) };
                cep_push(ctx, 0, t * 3, v);
                cep_push(ctx, 1, t * 3 + 1, y);
            }
            cep_tick(ctx, 5000);
        }
        free(mem);
    }
    assert_true(accepted > 0);    /* many flips give another valid program */
    for (i = 0; i < nt; i++)
        free(copies[i]);
    h_free(&h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(nonfinite_rejected),
        cmocka_unit_test(time_order),
        cmocka_unit_test(gaps),
        cmocka_unit_test(wraparound),
        cmocka_unit_test(burst_beyond_pool),
        cmocka_unit_test(storage_exact),
        cmocka_unit_test(property_deterministic),
        cmocka_unit_test(memory_plan_parts),
        cmocka_unit_test(corrupted_programs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
