/*
** test_cep_emit.c — the C emitter: a program written by cep_emit_c,
** compiled with the device code's warning set and linked with the engine,
** must give byte-identical alerts to the builder's in-memory program on
** the same trace (a differential test of the C-module path), and the
** emitted text must be the same on a second emission.
** Needs a C compiler (cc) and to run from the repository root (as `make
** test` does); skipped otherwise.
*/
#include <unistd.h>

#include "cep_harness.h"

static const char *build_dir(void)
{
    const char *b = getenv("BUILD");
    return b && *b ? b : "build";
}

/* A program touching every table: scaled i16 vector input, count window
** with FFT bands, time window, stream feature, anomaly model, events of
** every kind with captures, rules with patterns, messages, limits. */
static void make_program(harness *h)
{
    uint16_t x, y, w, wt, f0, f1, bands, fe, e0, e1, e2, e3, r, sl[2];
    char rpn[64];
    h_new(h);
    x = cep_b_input(h->b, "x", CEP_IN_I16, 2, 0.01f, 1000);
    y = cep_b_input(h->b, "y", CEP_IN_F32, 1, 1, 0);
    w = cep_b_window_count(h->b, x, 0, 16, 4);
    wt = cep_b_window_time(h->b, y, 0, 300, 20, 32);
    f0 = cep_b_feature(h->b, CEP_F_RMS, w, 0);
    bands = cep_b_bands(h->b, w, 4);
    f1 = cep_b_feature(h->b, CEP_F_STD, wt, 0);
    fe = cep_b_stream(h->b, CEP_F_EWMA, y, 0, 0.2f);
    sl[0] = cep_b_feature_slot(h->b, f0, 0);
    sl[1] = cep_b_feature_slot(h->b, fe, 0);
    cep_b_anomaly(h->b, sl, 2, 500, 1e-3f);
    snprintf(rpn, sizeof rpn, "s%u 0.6 >", cep_b_feature_slot(h->b, f0, 0));
    e0 = cep_b_event(h->b, "loud", cep_b_rpn(h->b, rpn), CEP_EVF_RISE);
    cep_b_event_for(h->b, e0, 30);
    snprintf(rpn, sizeof rpn, "s%u", cep_b_feature_slot(h->b, bands, 3));
    cep_b_event_capture(h->b, e0, cep_b_rpn(h->b, rpn));
    snprintf(rpn, sizeof rpn, "s%u 0.2 >", cep_b_feature_slot(h->b, f1, 0));
    e1 = cep_b_event(h->b, "spread", cep_b_rpn(h->b, rpn), 0);
    cep_b_event_kofn(h->b, e1, 2, 4);
    cep_b_event_capture(h->b, e1, cep_b_rpn(h->b, "s2"));
    e2 = cep_b_watchdog(h->b, "y_silent", y, 150);
    e3 = cep_b_event(h->b, "y_high", cep_b_rpn(h->b, "s2 0.95 >"), CEP_EVF_RISE | CEP_EVF_PRIOR);
    cep_b_event_clear(h->b, e3, cep_b_rpn(h->b, "s2 0.5 <"));
    r = cep_b_rule(h->b, "loud_then_spread", CEP_SEV_CRITICAL);
    assert_true(cep_b_pattern(h->b, r, cep_bp_after(h->b, cep_bp_event(h->b, e0, CEP_NONE),
        cep_bp_event(h->b, e1, cep_b_rpn(h->b, "cap1.0 0.1 >")), 400)));
    cep_b_msg_template(h->b, r, "band {cap0.0:.4f} then {cap1.0:.2f}");
    cep_b_rule_limit(h->b, r, 3, 1000);
    r = cep_b_rule(h->b, "silent", CEP_SEV_WARNING);
    cep_b_pat_single(h->b, r, e2);
    r = cep_b_rule(h->b, "high_not_loud", CEP_SEV_INFO);
    assert_true(cep_b_pattern(h->b, r, cep_bp_seq(h->b, cep_bp_event(h->b, e3, CEP_NONE),
                                                cep_bp_not(h->b, e0, CEP_NONE, 100))));
    cep_b_rule_cooldown(h->b, r, 200);
    cep_b_rule_policy(h->b, r, CEP_POL_STRICT, false);
    (void)x;
    h_start(h);
}

typedef struct rec { uint16_t input; uint32_t t; int16_t i16[2]; float f; } rec;

static const char *runner_src =
    "#include <stdio.h>\n#include <stdlib.h>\n#include \"cep/cep.h\"\n"
    "extern const cep_program emitted_program;\n"
    "typedef struct rec { unsigned short input; unsigned t; short i16[2]; float f; } rec;\n"
    "static void on_alert(void *u, const cep_alert *a) {\n"
    "  unsigned i, j; (void)u;\n"
    "  printf(\"%u@%u %s '%s' [\", a->rule, a->t_ms, cep_severity_name(a->severity), a->msg);\n"
    "  for (i = 0; i < a->n_events; i++) {\n"
    "    printf(\"%s%u@%u\", i ? \" \" : \"\", a->events[i].event, a->events[i].t_ms);\n"
    "    for (j = 0; j < a->events[i].n_caps; j++) { char n[64];\n"
    "      cep_format_float(n, sizeof n, a->events[i].caps[j], 2); printf(\"%s%s\", j ? \",\" : \"(\", n); }\n"
    "    if (a->events[i].n_caps) printf(\")\"); }\n"
    "  printf(\"]\\n\"); }\n"
    "int main(int argc, char **argv) {\n"
    "  static unsigned long long mem[1 << 14]; cep_ctx *ctx; rec r;\n"
    "  cep_callbacks cb = { on_alert, NULL, NULL }; FILE *f = fopen(argv[1], \"rb\"); (void)argc;\n"
    "  if (!f || cep_state_size(&emitted_program) > sizeof mem) return 3;\n"
    "  if (cep_init(&ctx, &emitted_program, mem, sizeof mem, &cb) != RT_OK) return 4;\n"
    "  while (fread(&r, sizeof r, 1, f) == 1) {\n"
    "    if (r.input == 0) cep_push(ctx, 0, r.t, r.i16); else if (r.input == 1) cep_push(ctx, 1, r.t, &r.f);\n"
    "    else cep_tick(ctx, r.t); }\n"
    "  printf(\"size %lu\\n\", (unsigned long)cep_state_size(&emitted_program));\n"
    "  return 0; }\n";

static void emitted_c_matches(void **state)
{
    harness h;
    char dir[256], path[300], cmd[2048], out[sizeof h.log + 64];
    FILE *f;
    uint32_t seed = 5, t = 0;
    unsigned i;
    size_t n;
    (void)state;
    if (access("cep/program.h", R_OK) != 0 || system("cc --version >/dev/null 2>&1") != 0) {
        print_message("test_cep_emit: not in the repository root or no cc; skipped\n");
        skip();
    }
    make_program(&h);
    snprintf(dir, sizeof dir, "%s/tests/emit", build_dir());
    snprintf(cmd, sizeof cmd, "mkdir -p %s", dir);
    assert_int_equal(system(cmd), 0);
    snprintf(path, sizeof path, "%s/emitted.c", dir);
    f = fopen(path, "w");
    assert_non_null(f);
    assert_true(cep_emit_c(&h.prog, "emitted", f));
    fclose(f);
    snprintf(path, sizeof path, "%s/runner.c", dir);
    f = fopen(path, "w");
    assert_non_null(f);
    fputs(runner_src, f);
    fclose(f);
    /* the emitted tables under the device code's warning set; the runner is
    ** linked with a fresh compile of the device sources (not the library,
    ** which may be a sanitizer build) */
    snprintf(cmd, sizeof cmd,
             "cc -std=c11 -Wall -Wextra -Wshadow -Wconversion -Wdouble-promotion -Wvla -Wmissing-prototypes "
             "-Wstrict-prototypes -Wcast-qual -Wundef -Werror -ffp-contract=off -I. -c %s/emitted.c -o %s/emitted.o "
             "&& cc -std=c11 -O1 -ffp-contract=off -I. -o %s/runner %s/runner.c %s/emitted.o cep/*.c runtime/*.c -lm",
             dir, dir, dir, dir, dir);
    assert_int_equal(system(cmd), 0);
    /* the trace: in-process run and file for the runner */
    snprintf(path, sizeof path, "%s/trace.bin", dir);
    f = fopen(path, "wb");
    assert_non_null(f);
    for (i = 0; i < 6000; i++) {
        rec r;
        uint32_t u = h_rand(&seed);
        memset(&r, 0, sizeof r);
        t += u % 5;
        if (u % 61 == 0)
            t += 200;
        r.t = t;
        r.input = (uint16_t)((u >> 8) % 9 == 0 ? 2 : (u >> 8) % 3 == 0 ? 1 : 0);
        r.i16[0] = (int16_t)((int)(h_rand(&seed) % 200) - 100 + ((i / 700) % 2 ? 50 : 0));
        r.i16[1] = (int16_t)(h_rand(&seed) % 100);
        r.f = (float)h_unif(&seed);
        fwrite(&r, sizeof r, 1, f);
        if (r.input == 0)
            cep_push(h.ctx, 0, r.t, r.i16);
        else if (r.input == 1)
            cep_push(h.ctx, 1, r.t, &r.f);
        else
            cep_tick(h.ctx, r.t);
    }
    fclose(f);
    assert_true(h.alerts > 3);
    snprintf(cmd, sizeof cmd, "%s/runner %s/trace.bin", dir, dir);
    f = popen(cmd, "r");
    assert_non_null(f);
    n = fread(out, 1, sizeof out - 1, f);
    out[n] = '\0';
    assert_int_equal(pclose(f), 0);
    snprintf(h.log + h.len, sizeof h.log - h.len, "size %zu\n", h.size);
    assert_string_equal(out, h.log);

    /* table bytes: the records are pointer-free and of fixed size (the ARM
    ** build of the same records is checked by cep_cortex_m.sh's state size;
    ** here the sum is checked against the record sizes by hand) */
    assert_int_equal(sizeof(cep_input_desc), 16);
    assert_int_equal(sizeof(cep_ptrans), 20);
    assert_int_equal(sizeof(cep_insn), 4);
    assert_true(cep_program_table_bytes(&h.prog) >=
                16u * h.prog.n_inputs + 20u * h.prog.n_trans + 4u * h.prog.n_code + h.prog.n_strings);

    /* a second emission is byte-identical */
    {
        char *a = NULL, *b = NULL;
        size_t la = 0, lb = 0;
        FILE *fa = open_memstream(&a, &la), *fb = open_memstream(&b, &lb);
        assert_true(cep_emit_c(&h.prog, "emitted", fa));
        assert_true(cep_emit_c(&h.prog, "emitted", fb));
        fclose(fa);
        fclose(fb);
        assert_int_equal(la, lb);
        assert_memory_equal(a, b, la);
        free(a);
        free(b);
    }
    h_free(&h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(emitted_c_matches),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
