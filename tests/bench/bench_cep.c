/*
** bench_cep.c — host driver for tests/bench/bench_cep.sh: builds one of
** three reference programs with the builder and pushes N synthetic samples.
**   usage: bench_cep PROGRAM N MODE
**   PROGRAM  1 thresholds only, 2 features + patterns, 3 SKAB-like with an
**            anomaly baseline
**   MODE     push (run the engine) | dry (generate the same data only), so
**            that instructions(push) - instructions(dry) is the engine's cost
** Prints: program, samples, alerts, state bytes, wall-clock samples/s.
** Built for Cortex-M (tests/bench/bench_cep.sh, qemu mps2-an386 with
** -icount shift=0) it times the push loop with the CMSDK timer 0 instead:
** 25 MHz in virtual time at 1 ns per instruction, so one tick is 40
** executed instructions; it prints "ticks N".
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifndef __arm__
#include <time.h>
#endif

#include "cep/cep.h"
#include "cep/compile/builder.h"

static unsigned alerts;

static void on_alert(void *user, const cep_alert *a)
{
    (void)user;
    (void)a;
    alerts++;
}

static uint32_t seed = 1;
static float rnd(void)
{
    seed ^= seed << 13;
    seed ^= seed >> 17;
    seed ^= seed << 5;
    return (float)(seed >> 8) / 16777216.0f;
}

static uint16_t ev(cep_builder *b, const char *name, const char *rpn, unsigned flags)
{
    return cep_b_event(b, name, cep_b_rpn(b, rpn), flags);
}

static void rpnf(char *buf, size_t n, const char *fmt, unsigned slot, double k)
{
    snprintf(buf, n, fmt, slot, k);
}

/* 1: three f32 inputs, five threshold events, five single-event rules. */
static void prog_thresholds(cep_builder *b, unsigned *n_in)
{
    uint16_t e[5], i;
    cep_b_input(b, "temp", CEP_IN_F32, 1, 1, 1000000);
    cep_b_input(b, "pressure", CEP_IN_F32, 1, 1, 100000);
    cep_b_input(b, "flow", CEP_IN_F32, 1, 1, 100000);
    e[0] = ev(b, "hot", "s0 0.95 >", CEP_EVF_RISE);
    cep_b_event_clear(b, e[0], cep_b_rpn(b, "s0 0.9 <"));
    e[1] = ev(b, "cold", "s0 0.02 <", 0);
    e[2] = ev(b, "high_p", "s1 0.99 >", 0);
    e[3] = ev(b, "low_flow", "s2 0.01 <", CEP_EVF_RISE);
    e[4] = ev(b, "ratio", "s1 s2 0.001 + / 50 >", 0);
    for (i = 0; i < 5; i++) {
        uint16_t r = cep_b_rule(b, "r", CEP_SEV_WARNING);
        cep_b_pat_single(b, r, e[i]);
        cep_b_msg_template(b, r, "value {s0:.1f}");
        cep_b_rule_cooldown(b, r, 1000);
    }
    *n_in = 3;
}

/* 2: vibration (i16, 1.6 kHz) with a 256/128 window: rms, kurtosis, 8
** bands; a current with a 1 s time window; events with for / k-of-n; a
** sequence, a conjunction and a negation rule. */
static void prog_features(cep_builder *b, unsigned *n_in)
{
    uint16_t vib, cur, w, wt, rms, kurt, bands, crms, e1, e2, e3, e4, r;
    char buf[64];
    vib = cep_b_input(b, "vib", CEP_IN_I16, 1, 0.001f, 625);
    cur = cep_b_input(b, "current", CEP_IN_F32, 1, 1, 10000);
    w = cep_b_window_count(b, vib, 0, 256, 128);
    rms = cep_b_feature_slot(b, cep_b_feature(b, CEP_F_RMS, w, 0), 0);
    kurt = cep_b_feature_slot(b, cep_b_feature(b, CEP_F_KURTOSIS, w, 0), 0);
    bands = cep_b_feature_slot(b, cep_b_bands(b, w, 8), 0);
    wt = cep_b_window_time(b, cur, 0, 1000, 0, 128);
    crms = cep_b_feature_slot(b, cep_b_feature(b, CEP_F_RMS, wt, 0), 0);
    rpnf(buf, sizeof buf, "s%u %g >", rms, 0.58);
    e1 = ev(b, "loud", buf, CEP_EVF_RISE);
    cep_b_event_kofn(b, e1, 2, 3);
    rpnf(buf, sizeof buf, "s%u %g >", kurt, 2.2);
    e2 = ev(b, "peaky", buf, 0);
    rpnf(buf, sizeof buf, "s%u %g >", crms, 0.6);
    e3 = ev(b, "overload", buf, CEP_EVF_RISE);
    cep_b_event_for(b, e3, 500);
    rpnf(buf, sizeof buf, "s%u %g >", (unsigned)(bands + 7), 0.5);
    e4 = ev(b, "hf", buf, 0);
    r = cep_b_rule(b, "seq", CEP_SEV_CRITICAL);
    cep_b_pattern(b, r, cep_bp_within(b, cep_bp_seq(b, cep_bp_repeat(b, cep_bp_event(b, e2, CEP_NONE), 2, 2),
                                                   cep_bp_event(b, e3, CEP_NONE)), 5000));
    cep_b_msg_template(b, r, "kurtosis then overload");
    r = cep_b_rule(b, "and", CEP_SEV_WARNING);
    cep_b_pattern(b, r, cep_bp_within(b, cep_bp_and(b, cep_bp_event(b, e1, CEP_NONE), cep_bp_event(b, e4, CEP_NONE)), 2000));
    r = cep_b_rule(b, "neg", CEP_SEV_INFO);
    cep_b_pattern(b, r, cep_bp_seq(b, cep_bp_event(b, e1, CEP_NONE), cep_bp_not(b, e3, CEP_NONE, 1000)));
    (void)vib;
    *n_in = 2;
}

/* 3: SKAB-like: 8 f32 channels at 1 Hz, 60 s mean/std windows on 4 of them,
** an anomaly baseline over 8 features (learn 10 min), T² and z events. */
static void prog_skab(cep_builder *b, unsigned *n_in)
{
    uint16_t in, f[8], w, i, e1, e2, r, m, sc, zm;
    char buf[64];
    in = cep_b_input(b, "skab", CEP_IN_F32, 8, 1, 1000000);
    for (i = 0; i < 4; i++) {
        w = cep_b_window_time(b, in, i, 60000, 0, 64);
        f[2 * i] = cep_b_feature_slot(b, cep_b_feature(b, CEP_F_MEAN, w, 0), 0);
        f[2 * i + 1] = cep_b_feature_slot(b, cep_b_feature(b, CEP_F_STD, w, 0), 0);
    }
    m = cep_b_anomaly(b, f, 8, 600000, 1e-3f);
    sc = cep_b_model_slot(b, m, CEP_MS_SCORE);
    zm = cep_b_model_slot(b, m, CEP_MS_ZMAX);
    rpnf(buf, sizeof buf, "s%u %g >", sc, 40.0);
    e1 = ev(b, "unusual", buf, CEP_EVF_RISE);
    cep_b_event_kofn(b, e1, 3, 5);
    rpnf(buf, sizeof buf, "s%u %g >", zm, 6.0);
    e2 = ev(b, "zspike", buf, 0);
    r = cep_b_rule(b, "anomaly", CEP_SEV_CRITICAL);
    cep_b_pat_single(b, r, e1);
    snprintf(buf, sizeof buf, "T2 {s%u:.1f}", sc);
    cep_b_msg_template(b, r, buf);
    cep_b_rule_limit(b, r, 1, 600000);
    r = cep_b_rule(b, "z_then_t2", CEP_SEV_WARNING);
    cep_b_pattern(b, r, cep_bp_within(b, cep_bp_seq(b, cep_bp_event(b, e2, CEP_NONE), cep_bp_event(b, e1, CEP_NONE)), 60000));
    *n_in = 1;
}

int main(int argc, char **argv)
{
    cep_builder *b = cep_b_new();
    cep_program p;
    cep_ctx *ctx = NULL;
    cep_callbacks cb = { on_alert, NULL, NULL };
    unsigned prog, n, i, n_in = 0;
    int dry;
    void *mem;
    size_t size;
    double secs = 0;
#ifdef __arm__
    volatile uint32_t *timer = (volatile uint32_t *)0x40000000u;   /* CMSDK timer 0 */
    uint32_t tick0 = 0;
#else
    struct timespec t0, t1;
#endif

    if (argc != 4) {
        fprintf(stderr, "usage: bench_cep PROGRAM(1-3) N push|dry\n");
        return 2;
    }
    prog = (unsigned)atoi(argv[1]);
    n = (unsigned)atoi(argv[2]);
    dry = strcmp(argv[3], "dry") == 0;
    if (prog == 1)
        prog_thresholds(b, &n_in);
    else if (prog == 2)
        prog_features(b, &n_in);
    else
        prog_skab(b, &n_in);
    if (!cep_b_finish(b, &p)) {
        fprintf(stderr, "bench_cep: %s\n", cep_b_error(b));
        return 1;
    }
    size = cep_state_size(&p);
    mem = malloc(size);   /* malloc aligns to at least 8 bytes on both targets */
    if (cep_init(&ctx, &p, mem, size, &cb) != RT_OK)
        return 1;
#ifdef __arm__
    timer[0] = 0;              /* CTRL: stop */
    timer[2] = 0xFFFFFFFFu;    /* RELOAD */
    timer[1] = 0xFFFFFFFFu;    /* VALUE, counts down */
    timer[0] = 1;              /* enable */
    tick0 = timer[1];
#else
    clock_gettime(CLOCK_MONOTONIC, &t0);
#endif
    for (i = 0; i < n; i++) {
        float v[8];
        unsigned k, in = i % n_in;
        uint32_t t;
        for (k = 0; k < 8; k++)
            v[k] = rnd();
        if (prog == 2) {
            /* 16 vibration samples per current sample, 0.625 ms apart */
            in = (i % 17 == 16) ? 1u : 0u;
            t = (uint32_t)((uint64_t)i * 625u / 1000u);
        } else {
            t = prog == 1 ? i * 10u : i * 1000u;
        }
        if (dry)
            continue;
        if (prog == 2 && in == 0) {
            int16_t s = (int16_t)((v[0] - 0.5f) * 2000.0f * (i % 50000 > 40000 ? 3.0f : 1.0f));
            cep_push(ctx, 0, t, &s);
        } else {
            if (prog == 3 && i > 1200 && i % 500 < 20)
                v[0] += 3.0f;   /* anomalies after learning */
            cep_push(ctx, (uint16_t)in, t, v);
        }
    }
#ifdef __arm__
    printf("ticks %lu\n", (unsigned long)(tick0 - timer[1]));
#else
    clock_gettime(CLOCK_MONOTONIC, &t1);
    secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) * 1e-9;
#endif
    printf("program %u samples %u alerts %u state %lu bytes rate %.0f samples/s\n", prog, n, alerts,
           (unsigned long)size, secs > 0 && !dry ? n / secs : 0.0);
    free(mem);
    cep_b_free(b);
    return 0;
}
