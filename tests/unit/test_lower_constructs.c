/*
** test_lower_constructs.c — the lowering (cep/compile/lower.h), construct by
** construct: a small .cep source is compiled, run through the engine
** (cep_init / cep_push / cep_tick) on a hand-made sample sequence, and the
** alert lines are compared with lines derived by hand from the language
** reference (docs/language.md) and the engine semantics (docs/program.md);
** each test says how.  Alert lines: "t=<ms> <severity> <rule>: <message>".
*/
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "cep/cep.h"
#include "cep/compile/lower.h"
#include "dsl/dsl.h"

typedef struct run {
    struct cep_compiled *c;
    const cep_program *p;
    void *mem;
    cep_ctx *ctx;
    char log[8192];
    size_t len;
} run;

static void on_alert(void *user, const cep_alert *a)
{
    run *r = user;
    size_t nlen = 0;
    const char *name = cep_program_name(r->p, r->p->rules[a->rule].name, &nlen);
    int n = snprintf(r->log + r->len, sizeof r->log - r->len, "t=%u %s %.*s: %s\n", (unsigned)a->t_ms,
                     cep_severity_name(a->severity), (int)nlen, name, a->msg);
    if (n > 0 && (size_t)n < sizeof r->log - r->len)
        r->len += (size_t)n;
}

/* Compiles src (named path); prints the diagnostics when it fails. */
static struct cep_compiled *compile_src(const char *path, const char *src, bool no_models,
                                        char *diag_text, size_t diag_cap)
{
    struct cep_lower_options o;
    struct dsl_diag *d = dsl_diag_new();
    struct cep_compiled *c;
    FILE *f = tmpfile();
    memset(&o, 0, sizeof o);
    o.no_model_files = no_models;
    c = cep_compile_buffer(path, src, strlen(src), &o, d);
    if (f != NULL) {
        size_t n;
        dsl_diag_print(d, f, DSL_DIAG_TEXT);
        rewind(f);
        n = fread(diag_text, 1, diag_cap - 1, f);
        diag_text[n] = '\0';
        fclose(f);
    }
    dsl_diag_free(d);
    return c;
}

static void start(run *r, const char *src)
{
    char diag[4096];
    cep_callbacks cb;
    size_t size;
    memset(r, 0, sizeof *r);
    r->c = compile_src("t.cep", src, true, diag, sizeof diag);
    if (r->c == NULL)
        print_error("compile failed:\n%s", diag);
    assert_non_null(r->c);
    r->p = cep_compiled_program(r->c);
    size = cep_state_size(r->p);
    assert_true(size > 0);
    r->mem = aligned_alloc(8, (size + 7) / 8 * 8);
    assert_non_null(r->mem);
    memset(&cb, 0, sizeof cb);
    cb.alert = on_alert;
    cb.infer = cep_compiled_infer;
    cb.user = r;
    assert_int_equal(cep_init(&r->ctx, r->p, r->mem, size, &cb), RT_OK);
}

static void stop(run *r)
{
    free(r->mem);
    cep_compiled_free(r->c);
}

static uint16_t input_of(run *r, const char *name)
{
    uint16_t i;
    for (i = 0; i < r->p->n_inputs; i++) {
        size_t n;
        const char *s = cep_program_name(r->p, r->p->inputs[i].name, &n);
        if (n == strlen(name) && memcmp(s, name, n) == 0)
            return i;
    }
    fail_msg("no input %s", name);
    return 0;
}

static void pf(run *r, const char *in, uint32_t t, float v)
{
    assert_int_equal(cep_push_f32(r->ctx, input_of(r, in), t, &v), RT_OK);
}

static void pb(run *r, const char *in, uint32_t t, bool v)
{
    assert_int_equal(cep_push_bool(r->ctx, input_of(r, in), t, v), RT_OK);
}

static void expect_log(run *r, const char *expected)
{
    r->log[r->len] = '\0';
    assert_string_equal(r->log, expected);
}

/* ------------------------------------------------------------ events */

/* A plain condition occurs at every evaluation while true (docs/program.md
** §10: `event e when P` → flags 0); the single-event rule alerts on each.
** temp 80 (false), 86, 87 → alerts at 1000 and 2000, message with {:.1f}.
** The second rule has `limit 1 per 10 s`: only the first of them. */
static void plain_event_and_limit(void **state)
{
    run r;
    (void)state;
    start(&r, "input temp : f32 @ 1 Hz unit degC;\n"
              "event hot when temp > 85;\n"
              "rule a when hot alert warning \"hot {temp:.1f}\";\n"
              "rule b when hot alert info \"once\" limit 1 per 10 s;\n");
    pf(&r, "temp", 0, 80);
    pf(&r, "temp", 1000, 86);
    pf(&r, "temp", 2000, 87);
    expect_log(&r, "t=1000 warning a: hot 86.0\n"
                   "t=1000 info b: once\n"
                   "t=2000 warning a: hot 87.0\n");
    stop(&r);
}

/* `for 3 s clear when temp < 80`: true from t=0 → occurs at 0 + 3000 (the
** timer fires at its deadline, before the sample at 3000); 84 keeps it
** active (clear needs < 80), 79 clears it at 6000, true again from 7000 →
** the tick to 10000 fires the second occurrence at 10000. */
static void for_and_clear(void **state)
{
    run r;
    uint32_t t;
    static const float v[] = { 90, 90, 90, 90, 84, 90, 79, 90, 90, 90 };
    (void)state;
    start(&r, "input temp : f32 @ 1 Hz unit degC;\n"
              "event overheat when temp > 85 for 3 s clear when temp < 80;\n"
              "rule r when overheat alert critical \"overheat\";\n");
    for (t = 0; t < 10; t++)
        pf(&r, "temp", t * 1000, v[t]);
    assert_int_equal(cep_tick(r.ctx, 10000), RT_OK);
    expect_log(&r, "t=3000 critical r: overheat\n"
                   "t=10000 critical r: overheat\n");
    stop(&r);
}

/* `in 2 of 3`: raw = x > 1 over 2,0,2,2,0,0,2,2 is 1,0,1,1,0,0,1,1; the
** count of the last three reaches 2 at sample 2 (t=200: occurrence), stays
** >= 2 until sample 5 ([1,0,0]... ) and reaches 2 again at sample 7
** ([0,1,1], t=700): two occurrences (RISE). */
static void k_of_n(void **state)
{
    run r;
    uint32_t i;
    static const float v[] = { 2, 0, 2, 2, 0, 0, 2, 2 };
    (void)state;
    start(&r, "input x : f32 @ 10 Hz;\n"
              "event e when x > 1 in 2 of 3;\n"
              "rule r when e alert info \"kn\";\n");
    for (i = 0; i < 8; i++)
        pf(&r, "x", i * 100, v[i]);
    expect_log(&r, "t=200 info r: kn\nt=700 info r: kn\n");
    stop(&r);
}

/* `becomes`: the first sample only sets the level; then every change is
** an edge of one polarity.  v: 1@0 (level), 0@100 (closed), 1@200
** (opened), 1@300 (nothing), 0@400 (closed). */
static void becomes(void **state)
{
    run r;
    (void)state;
    start(&r, "input v : bool;\n"
              "event opened when v becomes true;\n"
              "event closed when v becomes false;\n"
              "rule o when opened alert info \"opened\";\n"
              "rule c when closed alert info \"closed\";\n");
    pb(&r, "v", 0, true);
    pb(&r, "v", 100, false);
    pb(&r, "v", 200, true);
    pb(&r, "v", 300, true);
    pb(&r, "v", 400, false);
    expect_log(&r, "t=100 info c: closed\nt=200 info o: opened\nt=400 info c: closed\n");
    stop(&r);
}

/* A numeric parameter: above(5) and above(2) are two instances (created in
** the order the rules name them, so above(5) is evaluated first).  x = 3:
** only above(2); x = 6: both, above(5)'s rule first. */
static void parameterised_event(void **state)
{
    run r;
    (void)state;
    start(&r, "input x : f32 @ 1 Hz;\n"
              "event above(level) when x > level;\n"
              "rule five when above(5) alert critical \"above 5: {x}\";\n"
              "rule two when above(2) alert warning \"above 2: {x}\";\n");
    pf(&r, "x", 0, 3);
    pf(&r, "x", 1000, 6);
    expect_log(&r, "t=0 warning two: above 2: 3\n"
                   "t=1000 critical five: above 5: 6\n"
                   "t=1000 warning two: above 2: 6\n");
    assert_string_equal(cep_compiled_obj_name(r.c, CEP_OBJ_EVENT, 0), "above(5)");
    assert_string_equal(cep_compiled_obj_name(r.c, CEP_OBJ_EVENT, 1), "above(2)");
    stop(&r);
}

/* ------------------------------------------------------------ patterns */

/* a then b within 5 s: a at 0, b at 3000 → alert at 3000; a at 10000, b
** at 16000 is 6 s later → no alert.  x and y drop back to 0 right after,
** so each event occurs once. */
static void sequence_within(void **state)
{
    run r;
    (void)state;
    start(&r, "input x : f32 @ 1 Hz;\ninput y : f32 @ 1 Hz;\n"
              "event a when x > 1;\nevent b when y > 1;\n"
              "rule s when a then b within 5 s alert info \"seq\";\n");
    pf(&r, "x", 0, 2);
    pf(&r, "x", 1000, 0);
    pf(&r, "y", 3000, 2);
    pf(&r, "y", 4000, 0);
    pf(&r, "x", 10000, 2);
    pf(&r, "x", 11000, 0);
    pf(&r, "y", 16000, 2);
    expect_log(&r, "t=3000 info s: seq\n");
    stop(&r);
}

/* a and b within 5 s, any order: b at 0 then a at 2000 → alert at 2000.
** a or b: every occurrence of either (0: b, 2000: a). */
static void conjunction_disjunction(void **state)
{
    run r;
    (void)state;
    start(&r, "input x : f32 @ 1 Hz;\ninput y : f32 @ 1 Hz;\n"
              "event a when x > 1;\nevent b when y > 1;\n"
              "rule both when a and b within 5 s alert info \"both\";\n"
              "rule either when a or b alert info \"either\";\n");
    pf(&r, "y", 0, 2);
    pf(&r, "y", 1000, 0);
    pf(&r, "x", 2000, 2);
    expect_log(&r, "t=0 info either: either\n"
                   "t=2000 info both: both\n"
                   "t=2000 info either: either\n");
    stop(&r);
}

/* a{3} within 5 s: occurrences at 0, 1000, 2000 → alert at 2000 (the
** third).  Then 10000, 11000, 17000: the third is 7 s after the first of
** that run, and the run starting at 11000 needs a third before 16000 →
** nothing. */
static void repetition(void **state)
{
    run r;
    (void)state;
    start(&r, "input x : f32 @ 1 Hz;\nevent a when x > 1;\n"
              "rule rep when a{3} within 5 s alert warning \"three\";\n");
    pf(&r, "x", 0, 2);
    pf(&r, "x", 1000, 2);
    pf(&r, "x", 2000, 2);
    pf(&r, "x", 3000, 0);
    pf(&r, "x", 10000, 2);
    pf(&r, "x", 11000, 2);
    pf(&r, "x", 12000, 0);
    pf(&r, "x", 17000, 2);
    expect_log(&r, "t=2000 warning rep: three\n");
    stop(&r);
}

/* opened then not flow > 1 within 3 s: opened at 1000 (v false at 0, true
** at 1000), flow stays 0 → the negation window closes at 1000 + 3000 and
** the alert carries that time.  Second: opened at 10000, flow 2 at 11000
** kills the run → nothing at 13000. */
static void negation(void **state)
{
    run r;
    (void)state;
    start(&r, "input v : bool;\ninput flow : f32 @ 1 Hz;\n"
              "event opened when v becomes true;\n"
              "rule stuck when opened then not flow > 1 within 3 s alert critical \"stuck\";\n");
    pb(&r, "v", 0, false);
    pb(&r, "v", 1000, true);
    pf(&r, "flow", 2000, 0);
    assert_int_equal(cep_tick(r.ctx, 5000), RT_OK);
    pb(&r, "v", 9000, false);
    pb(&r, "v", 10000, true);
    pf(&r, "flow", 11000, 2);
    assert_int_equal(cep_tick(r.ctx, 20000), RT_OK);
    expect_log(&r, "t=4000 critical stuck: stuck\n");
    stop(&r);
}

/* absent temp for 10 s: the clock starts at the tick to 0; temp at 0;
** silence → alert at 10000; temp at 16000 re-arms → alert at 26000. */
static void watchdog(void **state)
{
    run r;
    (void)state;
    start(&r, "input temp : f32 @ 1 Hz;\n"
              "rule silent when absent temp for 10 s alert warning \"silent\";\n");
    assert_int_equal(cep_tick(r.ctx, 0), RT_OK);
    pf(&r, "temp", 0, 20);
    assert_int_equal(cep_tick(r.ctx, 15000), RT_OK);
    pf(&r, "temp", 16000, 20);
    assert_int_equal(cep_tick(r.ctx, 30000), RT_OK);
    expect_log(&r, "t=10000 warning silent: silent\nt=26000 warning silent: silent\n");
    stop(&r);
}

/* where over captured values.  Sequence: sa (x = 3) at 0; sb with y = 4 at
** 1000 fails b.y > a.x * 1.5 = 4.5 and is skipped (skip till next match);
** y = 5 at 2000 passes → "from 3.0 to 5.0".  The conjunction rule binds b
** first (y = 5 at 0 in the second run, guard passes while a is unbound),
** then a with x = 3 at 1000 (5 > 3) → alert at 1000. */
static void where_and_captures(void **state)
{
    run r;
    (void)state;
    start(&r, "input x : f32 @ 1 Hz;\ninput y : f32 @ 1 Hz;\n"
              "event sa when x > 2;\nevent sb when y > 2;\n"
              "rule grow when a: sa then b: sb within 10 s where b.y > a.x * 1.5\n"
              "  alert warning \"from {a.x:.1f} to {b.y:.1f}\";\n");
    pf(&r, "x", 0, 3);
    pf(&r, "x", 100, 0);
    pf(&r, "y", 1000, 4);
    pf(&r, "y", 2000, 5);
    expect_log(&r, "t=2000 warning grow: from 3.0 to 5.0\n");
    stop(&r);

    start(&r, "input x : f32 @ 1 Hz;\ninput y : f32 @ 1 Hz;\n"
              "event sa when x > 2;\nevent sb when y > 2;\n"
              "rule any when a: sa and b: sb within 10 s where b.y > a.x\n"
              "  alert info \"{a.x} < {b.y}\";\n");
    pf(&r, "y", 0, 5);
    pf(&r, "y", 100, 0);
    pf(&r, "x", 1000, 3);
    expect_log(&r, "t=1000 info any: 3 < 5\n");
    stop(&r);
}

/* The same event under two labels (docs/language.md, "Captured values"):
** a: spike then b: spike.  x = 3 at 0 binds a (the second leaf cannot take
** the same occurrence: it must come later); 4 at 2000 fails 4 > 3 * 1.5 and
** is skipped by that run (it starts another run with a = 4); 5 at 4000
** passes for the oldest run (5 > 4.5) → "from 3 to 5" at 4000. */
static void same_event_two_labels(void **state)
{
    run r;
    (void)state;
    start(&r, "input x : f32 @ 1 Hz;\nevent spike when x > 2;\n"
              "rule growing when a: spike then b: spike within 10 s where b.x > a.x * 1.5\n"
              "  alert warning \"from {a.x} to {b.x}\";\n");
    pf(&r, "x", 0, 3);
    pf(&r, "x", 1000, 0);
    pf(&r, "x", 2000, 4);
    pf(&r, "x", 3000, 0);
    pf(&r, "x", 4000, 5);
    expect_log(&r, "t=4000 warning growing: from 3 to 5\n");
    stop(&r);
}

/* cooldown 5 s: hot at every second 0..6000; delivered at 0; 1000..4000
** are within 5 s of it; 5000 - 0 = 5000 is not less than 5000 → delivered;
** 6000 is within 5 s of 5000. */
static void cooldown(void **state)
{
    run r;
    uint32_t t;
    (void)state;
    start(&r, "input temp : f32 @ 1 Hz;\nevent hot when temp > 85;\n"
              "rule r when hot alert info \"hot\" cooldown 5 s;\n");
    for (t = 0; t <= 6000; t += 1000)
        pf(&r, "temp", t, 90);
    expect_log(&r, "t=0 info r: hot\nt=5000 info r: hot\n");
    stop(&r);
}


/* ------------------------------------------------------------ windows and features */

/* window w = s sliding 4 hop 2; mean(w) > 2.  Samples 1,2,3,4 fill the
** window at t=300: mean 2.5 → alert "2.50".  5 at 400 is one sample of the
** hop (no emission, the event is not evaluated), 6 at 500 emits
** [3,4,5,6]: mean 4.5.  delta(s) = 1 at every sample after the first:
** `d > 0.5` occurs at 100..500, limited to the first by the rule. */
static void count_window_and_stream(void **state)
{
    run r;
    uint32_t i;
    (void)state;
    start(&r, "input s : f32 @ 10 Hz;\n"
              "window w = s sliding 4 hop 2;\n"
              "feature m = mean(w);\nfeature d = delta(s);\n"
              "event e when m > 2;\nevent up when d > 0.5;\n"
              "rule r when e alert info \"{m:.2f}\";\n"
              "rule u when up alert info \"up {d}\" limit 1 per 1 h;\n");
    for (i = 0; i < 6; i++)
        pf(&r, "s", i * 100, (float)(i + 1));
    expect_log(&r, "t=100 info u: up 1\n"
                   "t=300 info r: 2.50\n"
                   "t=500 info r: 4.50\n");
    stop(&r);
}

/* band_energy over 4 samples 1, 0, -1, 0 (one period): X1 = 1 - (-1) = 2,
** X2 = 1 + (-1) = 0; bands over bins 1..2 with 2 bands: |X1|^2/4 = 1 and
** |X2|^2/4 = 0.  max over the last second (`over 1 s` time window) of the
** same samples: 1. */
static void fft_and_time_window(void **state)
{
    run r;
    static const float v[] = { 1, 0, -1, 0 };
    uint32_t i;
    (void)state;
    start(&r, "input s : f32 @ 4 Hz;\n"
              "window w = s tumbling 4;\n"
              "feature b = band_energy(w, 2);\n"
              "feature top = max(s over 1 s);\n"
              "event e when b[0] > 0.5 and b[1] < 0.5;\n"
              "rule r when e alert info \"{b[0]:.3f} {b[1]:.3f} max {top}\";\n");
    for (i = 0; i < 4; i++)
        pf(&r, "s", i * 250, v[i]);
    expect_log(&r, "t=750 info r: 1.000 0.000 max 1\n");
    stop(&r);
}

/* A stream feature over a feature, and severity error: e = ewma(x, 0.5)
** starts at the first sample (0), then 0 + 0.5 * (2 - 0) = 1 and
** 1 + 0.5 * (2 - 1) = 1.5; d = delta(e) = 1 then 0.5 (the first sample has
** no previous value: no alert).  Both are updated in the same step. */
static void stream_of_feature_and_error(void **state)
{
    run r;
    (void)state;
    start(&r, "input x : f32 @ 1 Hz;\n"
              "feature e = ewma(x, 0.5);\nfeature d = delta(e);\n"
              "event up when d > 0.1;\n"
              "rule g when up alert error \"{e:.2f} {d:.2f}\";\n");
    pf(&r, "x", 0, 0);
    pf(&r, "x", 1000, 2);
    pf(&r, "x", 2000, 2);
    expect_log(&r, "t=1000 error g: 1.00 1.00\nt=2000 error g: 1.50 0.50\n");
    stop(&r);
}

/* anomaly [a] learn 2 s (docs/program.md §6): vectors at 0 (learning
** starts) and 1000 are learned (mean 2, co-moment (1-2)^2 + (3-2)^2 = 2,
** sample variance 2/(2-1) = 2, ridge 1e-3 * trace/n = 0.002 → 2.002); the
** vector at 2000 (>= start + 2 s, >= 2 learned) freezes the model and is
** scored: a = 2 → d = 0, T^2 = 0, and `ready` turns true.  a = 6 at 3000:
** d = 4, T^2 = 16 / 2.002 = 7.992 → "7.99".  ready before 2000: learning is
** 1 (false), and NaN before the first vector is not ready either. */
static void anomaly_model(void **state)
{
    run r;
    (void)state;
    start(&r, "input a : f32 @ 1 Hz;\n"
              "model base = anomaly [a] learn 2 s;\n"
              "event ready when base.ready;\nevent odd when base.score > 5;\n"
              "rule r when ready alert info \"ready {base.score:.2f}\" limit 1 per 1 h;\n"
              "rule o when odd alert warning \"score {base.score:.2f}\";\n");
    pf(&r, "a", 0, 1);
    pf(&r, "a", 1000, 3);
    pf(&r, "a", 2000, 2);
    pf(&r, "a", 3000, 6);
    expect_log(&r, "t=2000 info r: ready 0.00\nt=3000 warning o: score 7.99\n");
    stop(&r);
}

/* The accessors the simulator and the code generator use: module name
** (the file's stem when there is no `module`), names of every runtime
** object in program order (anonymous windows and events named as lower.h
** says), their declarations, and a tflite model lowered without its file
** (inference unsupported, report sizes unknown). */
static void names_and_models(void **state)
{
    run r;
    const struct cep_report *rep;
    size_t i;
    int8_t in[1] = { 0 }, out[2];
    (void)state;
    start(&r, "input temp : f32 @ 1 Hz;\n"
              "feature avg = mean(temp over 10 s);\n"
              "model m = tflite \"none.tflite\" input [avg] classes [ok, bad];\n"
              "event hot when temp > 85;\n"
              "rule r1 when hot then avg > 80 within 1 min alert info \"x\";\n"
              "rule r2 when absent temp for 5 s alert info \"y\";\n");
    assert_string_equal(cep_compiled_name(r.c), "t");
    assert_string_equal(cep_compiled_obj_name(r.c, CEP_OBJ_INPUT, 0), "temp");
    assert_string_equal(cep_compiled_obj_name(r.c, CEP_OBJ_WINDOW, 0), "avg.window");
    assert_string_equal(cep_compiled_obj_name(r.c, CEP_OBJ_FEATURE, 0), "avg");
    assert_string_equal(cep_compiled_obj_name(r.c, CEP_OBJ_MODEL, 0), "m");
    assert_string_equal(cep_compiled_obj_name(r.c, CEP_OBJ_EVENT, 0), "hot");
    assert_string_equal(cep_compiled_obj_name(r.c, CEP_OBJ_EVENT, 1), "r1.cond1");
    assert_string_equal(cep_compiled_obj_name(r.c, CEP_OBJ_EVENT, 2), "r2.absent.temp");
    assert_null(cep_compiled_obj_name(r.c, CEP_OBJ_EVENT, 3));
    assert_string_equal(cep_compiled_obj_name(r.c, CEP_OBJ_RULE, 1), "r2");
    assert_string_equal(cep_compiled_obj_decl(r.c, CEP_OBJ_EVENT, 0)->name, "hot");
    assert_null(cep_compiled_obj_decl(r.c, CEP_OBJ_EVENT, 1));
    assert_int_equal(r.p->n_events, 3);
    assert_int_equal(cep_compiled_tflite_count(r.c), 1);
    assert_null(cep_compiled_tflite(r.c, 0));
    assert_int_equal(cep_compiled_infer(r.c, 0, in, 1, out, 2), RT_ERR_UNSUPPORTED);
    rep = cep_compiled_report(r.c);
    for (i = 0; i < rep->n_items; i++)
        if (rep->items[i].kind == CEP_REP_MODEL)
            assert_true(rep->items[i].unknown);
    assert_int_equal(rep->ram_state, cep_state_size(r.p));
    stop(&r);
}

/* ------------------------------------------------------------ diagnostics */

static void expect_error(const char *src, const char *needle)
{
    char diag[8192];
    struct cep_compiled *c = compile_src("t.cep", src, true, diag, sizeof diag);
    if (c != NULL || strstr(diag, needle) == NULL)
        print_error("expected '%s' in:\n%s", needle, diag);
    assert_null(c);
    assert_non_null(strstr(diag, needle));
}

/* Engine limits become diagnostics at the construct, Lua style. */
static void limits(void **state)
{
    (void)state;
    /* {1,8} and {1,8}: 8 x 8 choices of lengths, each with many
    ** interleavings: far above 64 alternatives */
    expect_error("input x : f32 @ 1 Hz;\ninput y : f32 @ 1 Hz;\n"
                 "event a when x > 1;\nevent b when y > 1;\n"
                 "rule big when a{1,8} and b{1,8} within 10 s alert info \"x\";\n",
                 "t.cep:5:1: error: too many alternatives (limit is 64) in rule 'big'");
    /* 17 nested right operands need 17 stack entries */
    expect_error("input x : f32 @ 1 Hz;\n"
                 "event deep when x + (x + (x + (x + (x + (x + (x + (x + (x + (x + (x + (x + (x + "
                 "(x + (x + (x + x))))))))))))))) > 1;\n"
                 "rule r when deep alert info \"x\";\n",
                 "expression too complex (limit is 16 stack entries) in event 'deep'");
    /* an FFT longer than the engine's */
    expect_error("input x : f32 @ 10000 Hz;\nwindow w = x tumbling 8192;\n"
                 "feature b = band_energy(w, 4);\n",
                 "FFT too large (limit is 4096 samples) in feature 'b'");
}

/* A RAM budget below the plan: an error at the budget's size naming the
** largest consumer, the 1024-sample window.  Its bytes by the layout of
** docs/program.md §9 (cep/engine.c layout(), every block 8-aligned): the
** context ends at 192; values: 2 slots (x, m) 8 bytes → 200, 2 source
** stamps 8 → 208, 1 input time 4 → 212, 1 window stamp at 216 (4 bytes of
** padding, charged to values) → 220; the window records start at 224 and
** that padding (4) is charged to window 0, then its record (32) and its
** ring (4 * 1024): 4 + 32 + 4096 = 4132. */
static void budget(void **state)
{
    (void)state;
    expect_error("budget ram 2 KB;\ninput x : f32 @ 100 Hz;\n"
                 "window w = x sliding 1024;\nfeature m = mean(w);\n"
                 "event e when m > 1;\nrule r when e alert info \"x\";\n",
                 "t.cep:1:12: error: RAM budget exceeded");
    expect_error("budget ram 2 KB;\ninput x : f32 @ 100 Hz;\n"
                 "window w = x sliding 1024;\nfeature m = mean(w);\n"
                 "event e when m > 1;\nrule r when e alert info \"x\";\n",
                 "note: window 'w' uses 4132 bytes");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(plain_event_and_limit),
        cmocka_unit_test(for_and_clear),
        cmocka_unit_test(k_of_n),
        cmocka_unit_test(becomes),
        cmocka_unit_test(parameterised_event),
        cmocka_unit_test(sequence_within),
        cmocka_unit_test(conjunction_disjunction),
        cmocka_unit_test(repetition),
        cmocka_unit_test(negation),
        cmocka_unit_test(watchdog),
        cmocka_unit_test(where_and_captures),
        cmocka_unit_test(same_event_two_labels),
        cmocka_unit_test(cooldown),
        cmocka_unit_test(count_window_and_stream),
        cmocka_unit_test(fft_and_time_window),
        cmocka_unit_test(stream_of_feature_and_error),
        cmocka_unit_test(anomaly_model),
        cmocka_unit_test(names_and_models),
        cmocka_unit_test(limits),
        cmocka_unit_test(budget),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
