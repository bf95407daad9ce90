/*
** fuzz_cep_program.c — libFuzzer target for the engine's program
** validation and execution.  A program received in an image is untrusted:
** cep_init() must reject every malformed one, and every program it accepts
** must run without a memory error.  The input is a list of mutations of a
** valid template program (4 bytes each: table, offset hi, offset lo, xor
** mask; a first byte of 0xFF ends the list) followed by sample data that is
** pushed into the mutated program.
*/
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cep/cep.h"
#include "cep/compile/builder.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static cep_program tmpl;
static cep_builder *tmpl_b;   /* kept (reachable): tmpl points into it */
static int ready;

static void build_template(void)
{
    cep_builder *b = tmpl_b = cep_b_new();
    uint16_t x, y, w, wt, f, g, e1, e2, e3, e4, r, sl[2];
    x = cep_b_input(b, "x", CEP_IN_I16, 2, 0.01f, 1000);
    y = cep_b_input(b, "y", CEP_IN_F32, 1, 1, 0);
    w = cep_b_window_count(b, x, 0, 16, 4);
    wt = cep_b_window_time(b, y, 0, 100, 10, 8);
    f = cep_b_feature(b, CEP_F_RMS, w, 0);
    cep_b_bands(b, w, 2);
    g = cep_b_feature(b, CEP_F_SLOPE, wt, 0);
    sl[0] = cep_b_feature_slot(b, f, 0);
    sl[1] = cep_b_feature_slot(b, g, 0);
    cep_b_anomaly(b, sl, 2, 50, 1e-3f);
    e1 = cep_b_event(b, "a", cep_b_rpn(b, "s0 0.5 >"), CEP_EVF_RISE);
    cep_b_event_for(b, e1, 20);
    e2 = cep_b_event(b, "b", cep_b_rpn(b, "s2 0.5 < s1 0.2 > and"), 0);
    cep_b_event_kofn(b, e2, 2, 3);
    cep_b_event_capture(b, e2, cep_b_rpn(b, "s2"));
    e3 = cep_b_watchdog(b, "w", y, 30);
    e4 = cep_b_event(b, "c", cep_b_rpn(b, "s2"), CEP_EVF_RISE | CEP_EVF_PRIOR);
    r = cep_b_rule(b, "r1", CEP_SEV_CRITICAL);
    cep_b_pattern(b, r, cep_bp_within(b, cep_bp_seq(b, cep_bp_repeat(b, cep_bp_event(b, e1, CEP_NONE), 1, 2),
        cep_bp_event(b, e2, cep_b_rpn(b, "cap1.0 0 >"))), 100));
    cep_b_msg_template(b, r, "v {cap1.0:.2f} t {capt1:.1f}");
    cep_b_rule_limit(b, r, 2, 50);
    cep_b_rule_policy(b, r, CEP_POL_ANY, true);
    r = cep_b_rule(b, "r2", CEP_SEV_INFO);
    cep_b_pattern(b, r, cep_bp_seq(b, cep_bp_and(b, cep_bp_event(b, e3, CEP_NONE), cep_bp_event(b, e4, CEP_NONE)),
                                   cep_bp_not(b, e1, CEP_NONE, 40)));
    cep_b_rule_policy(b, r, CEP_POL_STRICT, false);
    cep_b_rule_cooldown(b, r, 10);
    if (!cep_b_finish(b, &tmpl))
        abort();
    /* the builder stays alive: tmpl points into it */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct { const void *src; size_t bytes; void *copy; } tab[13];
    cep_program p;
    size_t nt = 0, i, at = 0, n;
    cep_ctx *ctx;
    void *mem;

    if (!ready) {
        build_template();
        ready = 1;
    }
    p = tmpl;
#define TAB(field, count) tab[nt].src = tmpl.field; tab[nt].bytes = sizeof *tmpl.field * tmpl.count; nt++
    TAB(inputs, n_inputs); TAB(windows, n_windows); TAB(features, n_features); TAB(models, n_models);
    TAB(events, n_events); TAB(rules, n_rules); TAB(states, n_states); TAB(trans, n_trans);
    TAB(exprs, n_exprs); TAB(code, n_code); TAB(msgparts, n_msgparts); TAB(names, n_names);
    TAB(refs, n_refs);
#undef TAB
    for (i = 0; i < nt; i++) {
        tab[i].copy = malloc(tab[i].bytes ? tab[i].bytes : 1);
        memcpy(tab[i].copy, tab[i].src, tab[i].bytes);
    }
    p.inputs = tab[0].copy; p.windows = tab[1].copy; p.features = tab[2].copy; p.models = tab[3].copy;
    p.events = tab[4].copy; p.rules = tab[5].copy; p.states = tab[6].copy; p.trans = tab[7].copy;
    p.exprs = tab[8].copy; p.code = tab[9].copy; p.msgparts = tab[10].copy; p.names = tab[11].copy;
    p.refs = tab[12].copy;
    for (n = 0; n < 16 && at + 4 <= size && data[at] != 0xFF; n++, at += 4) {
        size_t t = data[at] % nt;
        size_t off = ((size_t)data[at + 1] << 8 | data[at + 2]);
        if (tab[t].bytes)
            ((uint8_t *)tab[t].copy)[off % tab[t].bytes] ^= data[at + 3];
    }
    if (at < size && data[at] == 0xFF)
        at++;
    n = cep_state_size(&p);
    if (n > 0 && n < (8u << 20)) {
        mem = aligned_alloc(8, (n + 7) & ~(size_t)7);
        if (mem && cep_init(&ctx, &p, mem, n, NULL) == RT_OK) {
            uint32_t t = 0;
            /* samples: 5 bytes each: input/kind, time step, three value bytes */
            for (; at + 5 <= size; at += 5) {
                int16_t v16[2 * CEP_MAX_DIMS] = { (int16_t)(data[at + 2] << 8 | data[at + 3]), (int16_t)data[at + 4] };
                float vf[CEP_MAX_DIMS] = { (float)data[at + 2] / 255.0f };
                t += data[at + 1];
                switch (data[at] % 4) {
                case 0: cep_push(ctx, 0, t, v16); break;
                case 1: cep_push(ctx, 1, t, vf); break;
                case 2: cep_tick(ctx, t); break;
                default: cep_push(ctx, 1, t - data[at + 4], vf); break;
                }
            }
        }
        free(mem);
    }
    for (i = 0; i < nt; i++)
        free(tab[i].copy);
    return 0;
}
