/*
** test_cep_emit_module.c — the firmware module generator (emit_module.h)
** on a builder-made program with every input type: the module compiles
** with the device warning set and as C++, a driver that uses only the
** generated typed API (push functions with natural C types, tick, stats,
** rule names) gives byte-identical alerts to the engine driven through
** cep_push in process on the same trace, the size macros equal
** cep_state_size and the emitted table bytes, a second emission is
** byte-identical, and bad names are refused.
** Needs cc and g++ and the repository root as working directory (as
** `make test` runs it); the compile steps are skipped otherwise.
*/
#include <unistd.h>

#include "cep_harness.h"
#include "cep/compile/emit_module.h"

static const char *build_dir(void)
{
    const char *b = getenv("BUILD");
    return b && *b ? b : "build";
}

/* Inputs: vib vec3<i16> scale 0.001, temp f32, valve bool, level i8
** scale 0.5, pos 6 x i32 scale 1.  Rules: hot (temp > 80 rising), shake
** (rms of vib.z over 8 samples > 0.5), open_then_low (valve becomes true,
** then level < 10 within 100 ms), far (pos[5] > 1000). */
static void make_program(harness *h)
{
    uint16_t vib, temp, valve, level, pos, w, f, e_hot, e_shake, e_open, e_low, e_far, r;
    uint16_t seq[2];
    char rpn[64];
    h_new(h);
    vib = cep_b_input(h->b, "vib", CEP_IN_I16, 3, 0.001f, 625);
    temp = cep_b_input(h->b, "temp", CEP_IN_F32, 1, 1, 1000000);
    valve = cep_b_input(h->b, "valve", CEP_IN_BOOL, 1, 1, 0);
    level = cep_b_input(h->b, "level", CEP_IN_I8, 1, 0.5f, 10000);
    pos = cep_b_input(h->b, "pos", CEP_IN_I32, 6, 1, 0);
    w = cep_b_window_count(h->b, vib, 2, 8, 4);
    f = cep_b_feature(h->b, CEP_F_RMS, w, 0);
    snprintf(rpn, sizeof rpn, "s%u 80 >", cep_b_input_slot(h->b, temp, 0));
    e_hot = cep_b_event(h->b, "hot", cep_b_rpn(h->b, rpn), CEP_EVF_RISE);
    snprintf(rpn, sizeof rpn, "s%u", cep_b_input_slot(h->b, temp, 0));
    cep_b_event_capture(h->b, e_hot, cep_b_rpn(h->b, rpn));
    snprintf(rpn, sizeof rpn, "s%u 0.5 >", cep_b_feature_slot(h->b, f, 0));
    e_shake = cep_b_event(h->b, "shake", cep_b_rpn(h->b, rpn), CEP_EVF_RISE);
    snprintf(rpn, sizeof rpn, "s%u", cep_b_input_slot(h->b, valve, 0));
    e_open = cep_b_event(h->b, "open", cep_b_rpn(h->b, rpn), CEP_EVF_RISE | CEP_EVF_PRIOR);
    snprintf(rpn, sizeof rpn, "s%u 10 <", cep_b_input_slot(h->b, level, 0));
    e_low = cep_b_event(h->b, "low", cep_b_rpn(h->b, rpn), CEP_EVF_RISE);
    snprintf(rpn, sizeof rpn, "s%u 1000 >", cep_b_input_slot(h->b, pos, 5));
    e_far = cep_b_event(h->b, "far", cep_b_rpn(h->b, rpn), CEP_EVF_RISE);
    r = cep_b_rule(h->b, "hot", CEP_SEV_CRITICAL);
    cep_b_pat_single(h->b, r, e_hot);
    cep_b_msg_template(h->b, r, "temperature {cap0.0:.1f}");
    r = cep_b_rule(h->b, "shake", CEP_SEV_WARNING);
    cep_b_pat_single(h->b, r, e_shake);
    snprintf(rpn, sizeof rpn, "rms {s%u:.3f} g", cep_b_feature_slot(h->b, f, 0));
    cep_b_msg_template(h->b, r, rpn);
    r = cep_b_rule(h->b, "open_then_low", CEP_SEV_INFO);
    seq[0] = e_open;
    seq[1] = e_low;
    cep_b_pat_seq(h->b, r, seq, 2, 100);
    cep_b_msg_text(h->b, r, "valve opened, level fell");
    r = cep_b_rule(h->b, "far", CEP_SEV_WARNING);
    cep_b_pat_single(h->b, r, e_far);
    cep_b_msg_text(h->b, r, "position out of range");
    (void)valve;
    h_start(h);
}

static bool emit(const cep_program *p, const char *name, char **htext, size_t *hlen, char **ctext,
                 size_t *clen, cep_module_sizes *sz, char *err, size_t errcap)
{
    cep_module_spec s;
    FILE *h = open_memstream(htext, hlen), *c = open_memstream(ctext, clen);
    bool ok;
    assert_non_null(h);
    assert_non_null(c);
    memset(&s, 0, sizeof s);
    s.name = name;
    s.source = "test.cep";
    s.prog = p;
    ok = cep_module_emit(&s, h, c, sz, err, errcap);
    fclose(h);
    fclose(c);
    return ok;
}

static void write_file(const char *path, const char *text, size_t len)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(text, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
}

/* The driver uses only gm.h's API and prints alerts as the harness logs them. */
static const char *driver_src =
    "#include <stdio.h>\n#include \"gm.h\"\n"
    "typedef struct rec { unsigned char input; unsigned t; short v[3]; float f; unsigned char b;\n"
    "                     signed char l; int p[6]; } rec;\n"
    "static void on_alert(void *u, const cep_alert *a) {\n"
    "  unsigned i, j; (void)u;\n"
    "  printf(\"%u@%u %s '%s' [\", a->rule, a->t_ms, cep_severity_name(a->severity), a->msg);\n"
    "  for (i = 0; i < a->n_events; i++) {\n"
    "    printf(\"%s%u@%u\", i ? \" \" : \"\", a->events[i].event, a->events[i].t_ms);\n"
    "    for (j = 0; j < a->events[i].n_caps; j++) { char n[64];\n"
    "      cep_format_float(n, sizeof n, a->events[i].caps[j], 2); printf(\"%s%s\", j ? \",\" : \"(\", n); }\n"
    "    if (a->events[i].n_caps) printf(\")\"); }\n"
    "  printf(\"] %s\\n\", gm_rule_name(a->rule)); }\n"
    "int main(int argc, char **argv) {\n"
    "  gm_ctx ctx; rec r; FILE *f = fopen(argv[1], \"rb\"); unsigned bad = 0; (void)argc;\n"
    "  if (!f || gm_init(&ctx, on_alert, NULL) != RT_OK) return 3;\n"
    "  while (fread(&r, sizeof r, 1, f) == 1) {\n"
    "    rt_status st = RT_OK;\n"
    "    switch (r.input) {\n"
    "    case GM_INPUT_VIB: st = gm_push_vib(&ctx, r.t, r.v[0], r.v[1], r.v[2]); break;\n"
    "    case GM_INPUT_TEMP: st = gm_push_temp(&ctx, r.t, r.f); break;\n"
    "    case GM_INPUT_VALVE: st = gm_push_valve(&ctx, r.t, r.b != 0); break;\n"
    "    case GM_INPUT_LEVEL: st = gm_push_level(&ctx, r.t, r.l); break;\n"
    "    case GM_INPUT_POS: st = gm_push_pos(&ctx, r.t, r.p); break;\n"
    "    default: st = gm_tick(&ctx, r.t); break; }\n"
    "    if (st != RT_OK) bad++; }\n"
    "  printf(\"samples %u alerts %u bad %u rules %s,%s\\n\", gm_stats(&ctx)->samples, gm_stats(&ctx)->alerts,\n"
    "         bad, gm_rule_name(GM_RULE_FAR), gm_rule_name(GM_N_RULES));\n"
    "  return 0; }\n";

typedef struct rec {
    unsigned char input;
    unsigned t;
    short v[3];
    float f;
    unsigned char b;
    signed char l;
    int p[6];
} rec;

static void module_matches_engine(void **state)
{
    harness h;
    char dir[256], path[300], cmd[4096], out[sizeof h.log + 256], err[320];
    char *ht = NULL, *ct = NULL, *ht2 = NULL, *ct2 = NULL;
    size_t hl = 0, cl = 0, hl2 = 0, cl2 = 0, n;
    cep_module_sizes sz;
    FILE *f;
    uint32_t seed = 11, t = 0, samples = 0, bad = 0;
    unsigned i;
    (void)state;

    make_program(&h);
    assert_true(emit(&h.prog, "gm", &ht, &hl, &ct, &cl, &sz, err, sizeof err));
    assert_string_equal(err, "");
    /* the plan: the state is exactly what the engine asks for */
    assert_int_equal(sz.state, cep_state_size(&h.prog));
    assert_int_equal(sz.arenas, 0);
    /* the tables' flash is what the report predicts: the program has no
    ** models, and an empty table is a null pointer, not a placeholder row */
    assert_int_equal(h.prog.n_models, 0);
    assert_int_equal(sz.tables, cep_program_table_bytes(&h.prog));
    assert_non_null(strstr(ct, " .models = 0,"));
    assert_null(strstr(ct, "gm_models["));
    snprintf(cmd, sizeof cmd, "#define GM_STATE_BYTES %zuu\n", sz.state);
    assert_non_null(strstr(ht, cmd));
    assert_non_null(strstr(ht, "generated by tinycep from test.cep -- do not edit"));
    assert_non_null(strstr(ht, "regenerate with tinycep"));
    assert_non_null(strstr(ht, "rt_status gm_push_vib(gm_ctx *ctx, uint32_t t_ms, int16_t x, int16_t y, int16_t z);"));
    assert_non_null(strstr(ht, "rt_status gm_push_temp(gm_ctx *ctx, uint32_t t_ms, float v);"));
    assert_non_null(strstr(ht, "rt_status gm_push_valve(gm_ctx *ctx, uint32_t t_ms, bool v);"));
    assert_non_null(strstr(ht, "rt_status gm_push_level(gm_ctx *ctx, uint32_t t_ms, int8_t v);"));
    assert_non_null(strstr(ht, "rt_status gm_push_pos(gm_ctx *ctx, uint32_t t_ms, const int32_t v[6]);"));
    assert_null(strstr(ht, "stdio"));
    assert_null(strstr(ct, "stdio"));
    /* a second emission: the same bytes */
    assert_true(emit(&h.prog, "gm", &ht2, &hl2, &ct2, &cl2, NULL, err, sizeof err));
    assert_int_equal(hl, hl2);
    assert_int_equal(cl, cl2);
    assert_memory_equal(ht, ht2, hl);
    assert_memory_equal(ct, ct2, cl);

    if (access("cep/program.h", R_OK) != 0 || system("cc --version >/dev/null 2>&1") != 0 ||
        system("g++ --version >/dev/null 2>&1") != 0) {
        print_message("test_cep_emit_module: not in the repository root or no cc/g++; compile steps skipped\n");
        goto out;
    }
    snprintf(dir, sizeof dir, "%s/tests/emit_module", build_dir());
    snprintf(cmd, sizeof cmd, "mkdir -p %s", dir);
    assert_int_equal(system(cmd), 0);
    snprintf(path, sizeof path, "%s/gm.h", dir);
    write_file(path, ht, hl);
    snprintf(path, sizeof path, "%s/gm.c", dir);
    write_file(path, ct, cl);
    snprintf(path, sizeof path, "%s/driver.c", dir);
    write_file(path, driver_src, strlen(driver_src));
    /* the module under the device warning set, freestanding, and as C++;
    ** the driver linked with a fresh compile of the device sources */
    snprintf(cmd, sizeof cmd,
             "cc -std=c11 -Wall -Wextra -Wshadow -Wconversion -Wdouble-promotion -Wvla -Wmissing-prototypes "
             "-Wstrict-prototypes -Wcast-qual -Wpointer-arith -Wundef -Wcast-align -Wredundant-decls "
             "-ffreestanding -Werror -ffp-contract=off -I. -c %s/gm.c -o %s/gm.o "
             "&& g++ -x c++ -Wall -Wextra -Werror -I. -c %s/gm.c -o %s/gm_cxx.o "
             "&& cc -std=c11 -O1 -ffp-contract=off -I. -I%s -o %s/driver %s/driver.c %s/gm.o cep/*.c ml/*.c "
             "runtime/*.c -lm",
             dir, dir, dir, dir, dir, dir, dir, dir);
    assert_int_equal(system(cmd), 0);

    /* the trace, pushed in process through cep_push with raw components */
    snprintf(path, sizeof path, "%s/trace.bin", dir);
    f = fopen(path, "wb");
    assert_non_null(f);
    for (i = 0; i < 4000; i++) {
        rec r;
        uint32_t u = h_rand(&seed);
        rt_status st;
        unsigned k;
        memset(&r, 0, sizeof r);
        t += u % 4;
        if (u % 97 == 0 && t > 10)
            t -= 5;              /* an out-of-order sample: rejected by both */
        r.t = t;
        r.input = (unsigned char)((u >> 8) % 11 < 6 ? 0 : (u >> 8) % 11 - 5);
        for (k = 0; k < 3; k++)
            r.v[k] = (short)((int)(h_rand(&seed) % 1600) - 800 + ((i / 500) % 2 ? 400 : 0));
        r.f = (float)(60.0 + 30.0 * h_unif(&seed));
        r.b = (unsigned char)(h_rand(&seed) % 2);
        r.l = (signed char)((int)(h_rand(&seed) % 120) - 20);
        for (k = 0; k < 6; k++)
            r.p[k] = (int)(h_rand(&seed) % 1200);
        fwrite(&r, sizeof r, 1, f);
        switch (r.input) {
        case 0:
            st = cep_push(h.ctx, 0, r.t, r.v);
            break;
        case 1:
            st = cep_push(h.ctx, 1, r.t, &r.f);
            break;
        case 2:
            st = cep_push(h.ctx, 2, r.t, &r.b);
            break;
        case 3:
            st = cep_push(h.ctx, 3, r.t, &r.l);
            break;
        case 4:
            st = cep_push(h.ctx, 4, r.t, r.p);
            break;
        default:
            st = cep_tick(h.ctx, r.t);
            break;
        }
        if (st != RT_OK)
            bad++;
        else if (r.input < 5)
            samples++;
    }
    fclose(f);
    assert_true(h.alerts >= 8);
    assert_true(bad > 0);
    snprintf(cmd, sizeof cmd, "%s/driver %s/trace.bin", dir, dir);
    f = popen(cmd, "r");
    assert_non_null(f);
    n = fread(out, 1, sizeof out - 1, f);
    out[n] = '\0';
    assert_int_equal(pclose(f), 0);
    /* expected: the harness log with each rule's name appended, then the counts */
    {
        char want[sizeof h.log + 256];
        const char *names[4] = { "hot", "shake", "open_then_low", "far" };
        size_t w = 0;
        char *line = h.log, *nl;
        while ((nl = strchr(line, '\n')) != NULL) {
            unsigned rule = (unsigned)strtoul(line, NULL, 10);
            assert_true(rule < 4);
            w += (size_t)snprintf(want + w, sizeof want - w, "%.*s %s\n", (int)(nl - line), line, names[rule]);
            line = nl + 1;
        }
        snprintf(want + w, sizeof want - w, "samples %u alerts %u bad %u rules far,\n", samples, h.alerts, bad);
        assert_string_equal(out, want);
    }
out:
    free(ht);
    free(ct);
    free(ht2);
    free(ct2);
    h_free(&h);
}

static void bad_names_refused(void **state)
{
    harness h;
    char *ht = NULL, *ct = NULL, err[320];
    size_t hl = 0, cl = 0;
    (void)state;
    make_program(&h);
    assert_false(emit(&h.prog, "9lives", &ht, &hl, &ct, &cl, NULL, err, sizeof err));
    assert_non_null(strstr(err, "module name '9lives' is not a C identifier"));
    free(ht);
    free(ct);
    ht = ct = NULL;
    assert_false(emit(&h.prog, "my-module", &ht, &hl, &ct, &cl, NULL, err, sizeof err));
    assert_non_null(strstr(err, "not a C identifier"));
    free(ht);
    free(ct);
    h_free(&h);

    /* inputs whose names differ only in case give the same macro */
    h_new(&h);
    cep_b_input(h.b, "temp", CEP_IN_F32, 1, 1, 0);
    cep_b_input(h.b, "TEMP", CEP_IN_F32, 1, 1, 0);
    h_start(&h);
    ht = ct = NULL;
    assert_false(emit(&h.prog, "m", &ht, &hl, &ct, &cl, NULL, err, sizeof err));
    assert_non_null(strstr(err, "inputs 'temp' and 'TEMP' give the same macro M_INPUT_TEMP"));
    free(ht);
    free(ct);
    h_free(&h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(module_matches_engine),
        cmocka_unit_test(bad_names_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
