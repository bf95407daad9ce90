/*
** test_dsl_sema.c — the checked module is the contract for lowering: names
** resolved, types, units, durations in ms, window capacities in samples,
** feature sizes, pattern trees.  Expected values are worked out by hand in
** the comments (e.g. 1 s at 100 Hz = 100 samples).
*/
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "dsl/dsl.h"

static const char src[] =
    "module pump;\n"
    "budget ram 16 KB, flash 96 KB;\n"
    "input vib : vec3<i16> @ 1600 Hz scale 0.000598 unit g;\n"
    "input temp : f32 @ 1 Hz unit degC;\n"
    "input current : f32 @ 100 Hz unit A;\n"
    "input speed : i32 @ 50 Hz;\n"
    "input slow : f32 @ 10 Hz;\n"
    "input parts : f32;\n"
    "window vw = vib.z sliding 256 hop 128;\n"
    "window sp = speed sliding 2 s hop 500 ms;\n"
    "window st = speed tumbling 10 s;\n"
    "window sl = slow over 333 ms;\n"
    "window made = parts over 1 h max 512;\n"
    "window blocks = parts tumbling 1 h max 64;\n"
    "feature vrms = rms(vw);\n"
    "feature kurt = kurtosis(vw);\n"
    "feature bands = band_energy(vw, 8);\n"
    "feature current_rms = rms(current over 1 s);\n"
    "feature t_rate = rate(temp);\n"
    "feature t_ewma = ewma(temp, 0.25);\n"
    "model bearing = tflite \"bearing.tflite\" input [vrms, kurt, bands] classes [normal, inner, outer, ball];\n"
    "model baseline = anomaly [vrms, current_rms, temp] learn 30 min;\n"
    "event overheat when temp > 85 for 10 s clear when temp < 80;\n"
    "event fault(c) when bearing.class == c and c != normal and bearing.score >= 0.8;\n"
    "event unusual when baseline.score > 4 in 3 of 5;\n"
    "event opened when parts > 0 becomes true;\n"
    "rule bearing_failure\n"
    "  when fault(outer){3} within 5 s then overheat within 60 s\n"
    "  alert critical \"outer-race fault, then overheating at {temp:.1f} degC\"\n"
    "  limit 1 per 10 min;\n"
    "rule grow when a: unusual then b: unusual within 10 s where b.vrms > a.vrms\n"
    "  alert info \"{b.bearing.prob[outer]:.2f}\" cooldown 1 min select any all matches 4;\n"
    "rule silent when absent temp for 10 s alert warning \"silent\";\n";

static struct dsl_module *check_ok(const char *text, const struct dsl_options *opt)
{
    struct dsl_diag *d = dsl_diag_new();
    struct dsl_module *m = NULL;
    enum dsl_status st = dsl_check_buffer("t/x.cep", text, strlen(text), opt, d, &m);
    if (st != DSL_OK) {
        dsl_diag_print(d, stderr, DSL_DIAG_TEXT);
        fail_msg("check failed");
    }
    dsl_diag_free(d);
    return m;
}

static struct dsl_decl *find(struct dsl_module *m, const char *name)
{
    uint32_t i;
    for (i = 0; i < m->ndecls; i++)
        if (strcmp(m->decls[i]->name, name) == 0)
            return m->decls[i];
    fail_msg("no declaration '%s'", name);
    return NULL;
}

static void module_windows_and_features(void **state)
{
    struct dsl_options opt = { .no_model_files = true };
    struct dsl_module *m = check_ok(src, &opt);
    struct dsl_decl *d;
    (void)state;
    assert_string_equal(m->name, "pump");
    assert_int_equal(m->budget_ram, 16 * 1024);
    assert_int_equal(m->budget_flash, 96 * 1024);
    assert_int_equal(m->ninputs, 6);
    /* vw, sp, st, sl, made, blocks, and the inline window of current_rms */
    assert_int_equal(m->nwindows, 7);
    d = find(m, "vib");
    assert_int_equal(d->u.input.elem, DSL_ELEM_I16);
    assert_int_equal(d->u.input.len, 3);
    assert_true(d->u.input.rate_hz == 1600.0);
    assert_true(d->u.input.scale == 0.000598);
    assert_string_equal(d->u.input.unit, "g");
    assert_true(find(m, "parts")->u.input.rate_hz == 0.0); /* event-driven */

    d = find(m, "vw");
    assert_ptr_equal(d->u.window.input, find(m, "vib"));
    assert_int_equal(d->u.window.component, 2); /* .z */
    assert_int_equal(d->u.window.capacity, 256);
    assert_int_equal(d->u.window.hop, 128);
    assert_false(d->u.window.by_time);
    d = find(m, "sp"); /* 2 s at 50 Hz = 100 samples, hop 500 ms = 25 */
    assert_true(d->u.window.by_time);
    assert_int_equal(d->u.window.size_ms, 2000);
    assert_int_equal(d->u.window.hop_ms, 500);
    assert_int_equal(d->u.window.capacity, 100);
    assert_int_equal(d->u.window.hop, 25);
    d = find(m, "st"); /* tumbling 10 s at 50 Hz: 500, hop = capacity */
    assert_int_equal(d->u.window.kind, DSL_WIN_TUMBLING);
    assert_int_equal(d->u.window.capacity, 500);
    assert_int_equal(d->u.window.hop, 500);
    d = find(m, "sl"); /* 333 ms at 10 Hz = 3.33 -> ceil 4, hop 1 */
    assert_int_equal(d->u.window.capacity, 4);
    assert_int_equal(d->u.window.hop, 1);
    assert_int_equal(find(m, "made")->u.window.capacity, 512); /* max on event-driven */
    d = find(m, "blocks"); /* event-driven tumbling: blocks of 1 h, at most 64 samples */
    assert_int_equal(d->u.window.capacity, 64);
    assert_int_equal(d->u.window.hop, 1);
    assert_int_equal(d->u.window.hop_ms, 3600000);

    /* inline window: anonymous, just before its feature, 1 s at 100 Hz */
    d = find(m, "current_rms.window");
    assert_true(d->u.window.anonymous);
    assert_ptr_equal(d->u.window.owner, find(m, "current_rms"));
    assert_int_equal(d->u.window.capacity, 100);
    {
        uint32_t i;
        for (i = 0; i + 1 < m->ndecls; i++)
            if (m->decls[i] == d)
                break;
        assert_ptr_equal(m->decls[i + 1], find(m, "current_rms"));
    }
    assert_ptr_equal(find(m, "current_rms")->u.feature.window, d);

    d = find(m, "bands");
    assert_int_equal(d->u.feature.func, DSL_FUNC_BAND_ENERGY);
    assert_int_equal(d->u.feature.type.kind, DSL_TYPE_VECTOR);
    assert_int_equal(d->u.feature.type.len, 8);
    assert_string_equal(d->u.feature.type.unit, "g^2");
    d = find(m, "t_rate");
    assert_ptr_equal(d->u.feature.source, find(m, "temp"));
    assert_string_equal(d->u.feature.type.unit, "degC/s");
    assert_true(find(m, "t_ewma")->u.feature.arg == 0.25);
    assert_int_equal(find(m, "kurt")->u.feature.type.kind, DSL_TYPE_NUMBER);
    assert_null(find(m, "kurt")->u.feature.type.unit);

    /* kinds arrays are in source order and index is the position */
    assert_int_equal(find(m, "vrms")->index, 0);
    assert_ptr_equal(m->features[2], find(m, "bands"));
    dsl_module_free(m);
}

static void models_events_rules(void **state)
{
    struct dsl_options opt = { .no_model_files = true };
    struct dsl_module *m = check_ok(src, &opt);
    struct dsl_decl *d, *bearing;
    struct dsl_expr *p;
    (void)state;
    bearing = find(m, "bearing");
    assert_int_equal(bearing->u.model.kind, DSL_MODEL_TFLITE);
    assert_int_equal(bearing->u.model.input_size, 10); /* 1 + 1 + 8 */
    assert_int_equal(bearing->u.model.nclasses, 4);
    assert_string_equal(bearing->u.model.file, "t/bearing.tflite");
    d = find(m, "baseline");
    assert_int_equal(d->u.model.learn_ms, 30 * 60 * 1000);
    assert_int_equal(d->u.model.input_size, 3);
    assert_ptr_equal(d->u.model.inputs[2].decl, find(m, "temp"));

    d = find(m, "overheat");
    assert_int_equal(d->u.event.for_ms, 10000);
    assert_non_null(d->u.event.clear);
    assert_int_equal(d->u.event.cond->kind, DSL_EXPR_BINARY);
    assert_int_equal(d->u.event.cond->op, DSL_OP_GT);
    assert_int_equal(d->u.event.cond->a->kind, DSL_EXPR_INPUT);
    assert_ptr_equal(d->u.event.cond->a->decl, find(m, "temp"));
    d = find(m, "fault");
    assert_int_equal(d->u.event.nparams, 1);
    assert_int_equal(d->u.event.params[0].type.kind, DSL_TYPE_CLASS);
    assert_ptr_equal(d->u.event.params[0].type.model, bearing);
    /* (class == c and c != normal) and score >= 0.8 */
    p = d->u.event.cond->a->b; /* c != normal */
    assert_int_equal(p->a->kind, DSL_EXPR_PARAM);
    assert_int_equal(p->b->kind, DSL_EXPR_CLASS);
    assert_int_equal(p->b->ival, 0);
    d = find(m, "unusual");
    assert_int_equal(d->u.event.k, 3);
    assert_int_equal(d->u.event.n, 5);
    assert_int_equal(d->u.event.cond->a->kind, DSL_EXPR_MODEL_OUT);
    assert_int_equal(d->u.event.cond->a->out, DSL_MOUT_SCORE);
    assert_int_equal(find(m, "opened")->u.event.edge, DSL_EDGE_RISE);

    d = find(m, "bearing_failure");
    p = d->u.rule.pattern; /* (fault(outer){3} within 5 s then overheat) within 60 s */
    assert_int_equal(p->kind, DSL_EXPR_WITHIN);
    assert_int_equal(p->ms, 60000);
    assert_int_equal(d->u.rule.within_ms, 60000);
    assert_int_equal(d->u.rule.nevents, 2);
    assert_int_equal(p->a->kind, DSL_EXPR_SEQ);
    assert_int_equal(p->a->a->kind, DSL_EXPR_WITHIN);
    assert_int_equal(p->a->a->ms, 5000);
    assert_int_equal(p->a->a->a->kind, DSL_EXPR_REPEAT);
    assert_int_equal(p->a->a->a->ival, 3);
    assert_int_equal(p->a->a->a->ival2, 3);
    assert_int_equal(p->a->a->a->a->kind, DSL_EXPR_EVENT);
    assert_ptr_equal(p->a->a->a->a->decl, find(m, "fault"));
    assert_int_equal(p->a->a->a->a->args[0]->kind, DSL_EXPR_CLASS);
    assert_int_equal(p->a->a->a->a->args[0]->ival, 2); /* outer */
    assert_int_equal(p->a->b->kind, DSL_EXPR_EVENT);
    assert_int_equal(d->u.rule.severity, DSL_SEV_CRITICAL);
    assert_int_equal(d->u.rule.limit_n, 1);
    assert_int_equal(d->u.rule.limit_ms, 600000);
    assert_int_equal(d->u.rule.policy, DSL_POLICY_NEXT);
    assert_int_equal(d->u.rule.max_matches, DSL_DEFAULT_MATCHES);
    assert_int_equal(d->u.rule.nparts, 3);
    assert_string_equal(d->u.rule.parts[0].text, "outer-race fault, then overheating at ");
    assert_int_equal(d->u.rule.parts[1].expr->kind, DSL_EXPR_INPUT);
    assert_string_equal(d->u.rule.parts[1].fmt, ".1f");
    assert_string_equal(d->u.rule.parts[2].text, " degC");

    d = find(m, "grow");
    assert_int_equal(d->u.rule.nlabels, 2);
    assert_string_equal(d->u.rule.labels[1].name, "b");
    assert_int_equal(d->u.rule.labels[1].node->label, 1);
    p = d->u.rule.where; /* b.vrms > a.vrms */
    assert_int_equal(p->a->kind, DSL_EXPR_CAPTURE);
    assert_int_equal(p->a->ival, 1);
    assert_int_equal(p->a->a->kind, DSL_EXPR_FEATURE);
    assert_int_equal(p->b->ival, 0);
    p = d->u.rule.parts[0].expr; /* b.bearing.prob[outer] */
    assert_int_equal(p->kind, DSL_EXPR_CAPTURE);
    assert_int_equal(p->a->kind, DSL_EXPR_MODEL_OUT);
    assert_int_equal(p->a->out, DSL_MOUT_PROB);
    assert_int_equal(p->a->ival, 2);
    assert_int_equal(d->u.rule.cooldown_ms, 60000);
    assert_int_equal(d->u.rule.policy, DSL_POLICY_ANY);
    assert_true(d->u.rule.all_matches);
    assert_int_equal(d->u.rule.max_matches, 4);

    d = find(m, "silent");
    assert_int_equal(d->u.rule.pattern->kind, DSL_EXPR_ABSENT);
    assert_int_equal(d->u.rule.pattern->ms, 10000);
    assert_int_equal(d->u.rule.within_ms, 0);
    dsl_module_free(m);
}

/* A resolver reporting sizes; the model binds 10 values. */
static int resolver(void *ctx, const struct dsl_decl *model, struct dsl_model_info *info, char *err, size_t n)
{
    const uint32_t *sizes = ctx;
    (void)model;
    (void)err;
    (void)n;
    info->input_size = sizes[0];
    info->output_count = sizes[1];
    return 0;
}

static void model_files_and_resolver(void **state)
{
    char dir[] = "/tmp/tinycep_sema_XXXXXX", path[256], cep[256], *out = NULL;
    size_t outlen = 0;
    uint32_t sizes[2] = { 10, 4 };
    struct dsl_options opt = { .resolve_model = resolver, .resolver_ctx = sizes };
    struct dsl_diag *d;
    struct dsl_module *m;
    FILE *f;
    const char *text = "input a : f32 @ 10 Hz; window w = a sliding 16; feature e = band_energy(w, 8);\n"
                       "feature r = rms(w);\n"
                       "model m = tflite \"m.tflite\" input [e, r, a] classes [x, y, z, w];\n";
    (void)state;
    assert_non_null(mkdtemp(dir));
    snprintf(cep, sizeof cep, "%s/r.cep", dir);
    /* missing file */
    d = dsl_diag_new();
    assert_int_equal(dsl_check_buffer(cep, text, strlen(text), &opt, d, &m), DSL_EINPUT);
    f = open_memstream(&out, &outlen);
    dsl_diag_print(d, f, DSL_DIAG_TEXT);
    fclose(f);
    assert_non_null(strstr(out, "model file 'm.tflite' not found (looked for '/tmp/tinycep_sema_"));
    free(out);
    dsl_diag_free(d);
    /* present, sizes agree: 8 + 1 + 1 = 10 inputs, 4 classes */
    snprintf(path, sizeof path, "%s/m.tflite", dir);
    f = fopen(path, "wb");
    assert_non_null(f);
    fclose(f);
    d = dsl_diag_new();
    assert_int_equal(dsl_check_buffer(cep, text, strlen(text), &opt, d, &m), DSL_OK);
    dsl_module_free(m);
    dsl_diag_free(d);
    /* the model wants 12 inputs and has 3 outputs */
    sizes[0] = 12;
    sizes[1] = 3;
    d = dsl_diag_new();
    assert_int_equal(dsl_check_buffer(cep, text, strlen(text), &opt, d, &m), DSL_EINPUT);
    out = NULL;
    f = open_memstream(&out, &outlen);
    dsl_diag_print(d, f, DSL_DIAG_TEXT);
    fclose(f);
    assert_non_null(strstr(out, "model 'm' takes 12 input values, but its bindings give 10"));
    assert_non_null(strstr(out, "note: 'e' gives 8"));
    assert_non_null(strstr(out, "model 'm' has 3 outputs, but 4 classes are listed"));
    free(out);
    dsl_diag_free(d);
    unlink(path);
    rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(module_windows_and_features),
        cmocka_unit_test(models_events_rules),
        cmocka_unit_test(model_files_and_resolver),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
