/*
** cmd_build.c — `tinycep build RULES.cep -o DIR`: the firmware C module
** (DIR/<module>.h and DIR/<module>.c, cep/compile/emit_module.h), and with
** --slice, the replay slice of a per-example firmware image: trace records
** embedded as const arrays, pushed through the generated module in the
** order the simulator pushes them (runtime/firmware/fw_replay.h,
** docs/firmware.md).  Exit 0 clean, 1 errors in the input, 2 usage or I/O.
*/
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cep/cep.h"
#include "cep/compile/emit_module.h"
#include "cep/compile/lower.h"
#include "cli/cli.h"
#include "dsl/dsl.h"
#include "sim/sim.h"

static void usage(FILE *out)
{
    fputs("usage: tinycep build [OPTIONS] RULES.cep -o DIR\n"
          "       tinycep build [OPTIONS] RULES.cep --slice FILE.c [--map SPEC] TRACE.csv...\n\n"
          "Compiles a rule file and writes the firmware C module: DIR/<module>.h (the\n"
          "API: init, one push function per input, tick, stats, size macros) and\n"
          "DIR/<module>.c (the program as static const tables, the int8 model\n"
          "weights, the static state buffer).  The same input gives the same bytes.\n"
          "Then prints which tinycep runtime sources to compile with it.\n\n"
          "With --slice, writes instead the replay slice of a per-example firmware\n"
          "image (runtime/firmware/fw_replay.h): the traces' records, merged in time\n"
          "order exactly as 'tinycep sim' pushes them, as const arrays, and the code\n"
          "that pushes them through the generated module and prints each alert as\n"
          "'tinycep sim --format lines' does.\n\n"
          "options:\n"
          "  -o, --output DIR          directory for <module>.h and <module>.c\n"
          "  --slice FILE.c            write the replay slice to FILE.c\n"
          "  --map SPEC                column bindings for the traces, as for sim\n"
          "                            ('vib=vx,vy,vz;temp=t')\n"
          "  --no-model-files          lower without reading .tflite files (fails if\n"
          "                            the module needs a model)\n"
          "  -q, --quiet               print nothing on success\n"
          "  -h, --help                this text\n\n"
          "exit status: 0 clean, 1 errors in the input, 2 usage or I/O error\n", out);
}

/* ------------------------------------------------------------ files */

/* Writes text to path unless the file already holds exactly these bytes
** (so make does not rebuild what did not change).  false on an I/O error,
** with the reason on stderr. */
static bool write_if_changed(const char *path, const char *text, size_t len)
{
    FILE *f = fopen(path, "rb");
    char tmp[4096];
    if (f != NULL) {
        char *old = malloc(len + 1);
        size_t got = old ? fread(old, 1, len + 1, f) : 0;
        bool same = old != NULL && got == len && memcmp(old, text, len) == 0;
        free(old);
        fclose(f);
        if (same)
            return true;
    }
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    f = fopen(tmp, "wb");
    if (f == NULL || fwrite(text, 1, len, f) != len || fclose(f) != 0) {
        fprintf(stderr, "tinycep build: cannot write '%s': %s\n", tmp, strerror(errno));
        if (f != NULL)
            remove(tmp);
        return false;
    }
    if (rename(tmp, path) != 0) {
        fprintf(stderr, "tinycep build: cannot write '%s': %s\n", path, strerror(errno));
        remove(tmp);
        return false;
    }
    return true;
}

static const char *base_name(const char *path)
{
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

/* The tinycep source root as seen from this binary (<root>/build/tinycep),
** for the printed build instructions; "<tinycep root>" if unknown. */
static void source_root(char *out, size_t cap)
{
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    char *s;
    int up;
    snprintf(out, cap, "<tinycep root>");
    if (n <= 0)
        return;
    exe[n] = '\0';
    for (up = 0; up < 2; up++) {
        s = strrchr(exe, '/');
        if (s == NULL)
            return;
        *s = '\0';
    }
    {
        char probe[PATH_MAX + 32];
        snprintf(probe, sizeof probe, "%s/cep/cep.h", exe);
        if (access(probe, R_OK) == 0)
            snprintf(out, cap, "%s", exe);
    }
}

/* ------------------------------------------------------------ the module */

static int build_module(struct cep_compiled *cc, const char *file, const char *dir, bool quiet)
{
    const cep_program *p = cep_compiled_program(cc);
    const char *name = cep_compiled_name(cc);
    size_t n_models = cep_compiled_tflite_count(cc), i;
    cep_module_model *models = NULL;
    cep_module_spec spec;
    cep_module_sizes sz;
    char err[320], path[PATH_MAX], root[PATH_MAX];
    char *htext = NULL, *ctext = NULL;
    size_t hlen = 0, clen = 0;
    FILE *h, *c;
    bool ok;

    if (n_models > 0) {
        models = calloc(n_models, sizeof *models);
        if (models == NULL) {
            fprintf(stderr, "tinycep build: out of memory\n");
            return CLI_EXIT_USAGE;
        }
        for (i = 0; i < n_models; i++) {
            models[i].name = cep_compiled_tflite_name(cc, (uint16_t)i);
            models[i].compiled = cep_compiled_tflite(cc, (uint16_t)i);
        }
    }
    memset(&spec, 0, sizeof spec);
    spec.name = name;
    spec.source = base_name(file);
    spec.prog = p;
    spec.models = models;
    spec.n_models = n_models;
    h = open_memstream(&htext, &hlen);
    c = open_memstream(&ctext, &clen);
    if (h == NULL || c == NULL) {
        fprintf(stderr, "tinycep build: out of memory\n");
        if (h)
            fclose(h);
        if (c)
            fclose(c);
        free(htext);
        free(ctext);
        free(models);
        return CLI_EXIT_USAGE;
    }
    ok = cep_module_emit(&spec, h, c, &sz, err, sizeof err);
    fclose(h);
    fclose(c);
    free(models);
    if (!ok) {
        fprintf(stderr, "%s: error: cannot generate the C module: %s\n", file, err);
        free(htext);
        free(ctext);
        return CLI_EXIT_INPUT;
    }
    snprintf(path, sizeof path, "%s/%s.h", dir, name);
    ok = write_if_changed(path, htext, hlen);
    snprintf(path, sizeof path, "%s/%s.c", dir, name);
    ok = ok && write_if_changed(path, ctext, clen);
    free(htext);
    free(ctext);
    if (!ok)
        return CLI_EXIT_USAGE;
    if (!quiet) {
        source_root(root, sizeof root);
        printf("wrote %s/%s.h and %s/%s.c: state %zu B + arenas %zu B of RAM; "
               "tables %zu B + models %zu B of flash\n",
               dir, name, dir, name, sz.state, sz.arenas, sz.tables, sz.models);
        printf("# compile %s/%s.c with the tinycep runtime (make syntax):\n"
               "TINYCEP_ROOT ?= %s\n"
               "TINYCEP_SRCS := $(wildcard $(TINYCEP_ROOT)/cep/*.c $(TINYCEP_ROOT)/ml/*.c "
               "$(TINYCEP_ROOT)/runtime/*.c)\n"
               "SRCS   += %s/%s.c $(TINYCEP_SRCS)\n"
               "CFLAGS += -std=c11 -I$(TINYCEP_ROOT) -I%s -ffp-contract=off -fno-fast-math "
               "-ffunction-sections -fdata-sections\n"
               "LDFLAGS += -Wl,--gc-sections\n",
               dir, name, root, dir, name, dir);
    }
    return CLI_EXIT_OK;
}

/* ------------------------------------------------------------ the slice */

/* Real value → the raw component cep_push reads, as the simulator does it. */
static bool sample_raw(const cep_input_desc *in, const double *v, size_t n, uint8_t *raw)
{
    size_t k;
    for (k = 0; k < n; k++) {
        double x = v[k];
        switch (in->type) {
        case CEP_IN_F32: {
            float f = (float)x;
            memcpy(raw + 4 * k, &f, 4);
            break;
        }
        case CEP_IN_BOOL:
            raw[k] = x != 0.0 && !isnan(x) ? 1u : 0u;
            break;
        default: {
            double q = isfinite(x) ? nearbyint(x / (double)in->scale) : 0.0;
            double lo = in->type == CEP_IN_I8 ? -128.0 : in->type == CEP_IN_I16 ? -32768.0 : -2147483648.0;
            double hi = in->type == CEP_IN_I8 ? 127.0 : in->type == CEP_IN_I16 ? 32767.0 : 2147483647.0;
            if (!isfinite(x))
                return false;
            if (q < lo)
                q = lo;
            if (q > hi)
                q = hi;
            if (in->type == CEP_IN_I8)
                raw[k] = (uint8_t)(int8_t)q;
            else if (in->type == CEP_IN_I16) {
                int16_t s = (int16_t)q;
                memcpy(raw + 2 * k, &s, 2);
            } else {
                int32_t s = (int32_t)q;
                memcpy(raw + 4 * k, &s, 4);
            }
            break;
        }
        }
    }
    return true;
}

static const char *c_type_of(unsigned t)
{
    switch (t) {
    case CEP_IN_I8: return "int8_t";
    case CEP_IN_I16: return "int16_t";
    case CEP_IN_I32: return "int32_t";
    case CEP_IN_BOOL: return "bool";
    default: return "float";
    }
}

/* One component of raw as C source (float: hexadecimal, exact). */
static void put_component(FILE *o, unsigned type, const uint8_t *raw, size_t k)
{
    switch (type) {
    case CEP_IN_I8:
        fprintf(o, "%d", (int)(int8_t)raw[k]);
        break;
    case CEP_IN_I16: {
        int16_t s;
        memcpy(&s, raw + 2 * k, 2);
        fprintf(o, "%d", (int)s);
        break;
    }
    case CEP_IN_I32: {
        int32_t s;
        memcpy(&s, raw + 4 * k, 4);
        if (s == INT32_MIN)
            fprintf(o, "INT32_MIN");
        else
            fprintf(o, "%ld", (long)s);
        break;
    }
    case CEP_IN_BOOL:
        fputs(raw[k] ? "true" : "false", o);
        break;
    default: {
        float f;
        memcpy(&f, raw + 4 * k, 4);
        if (isnan(f))
            fputs("(0.0f / 0.0f)", o);
        else if (isinf(f))
            fputs(f > 0 ? "(1.0f / 0.0f)" : "(-1.0f / 0.0f)", o);
        else if (f == 0.0f)
            fputs(signbit(f) ? "-0.0f" : "0.0f", o);
        else
            fprintf(o, "%af", (double)f);
        break;
    }
    }
}

typedef struct slice_rec {
    uint32_t t_ms;
    uint16_t input;
    uint32_t index;    /* sample number within its input */
} slice_rec;

static int build_slice(struct cep_compiled *cc, const char *file, const char *out_path, const char *map,
                       char **traces, size_t n_traces, bool quiet)
{
    const cep_program *p = cep_compiled_program(cc);
    const char *name = cep_compiled_name(cc);
    sim_trace_spec *specs = calloc(n_traces ? n_traces : 1, sizeof *specs);
    sim_input *inputs = calloc(p->n_inputs ? p->n_inputs : 1, sizeof *inputs);
    char (*names)[128] = calloc(p->n_inputs ? p->n_inputs : 1, sizeof *names);
    FILE **vals = calloc(p->n_inputs ? p->n_inputs : 1, sizeof *vals);
    char **vtext = calloc(p->n_inputs ? p->n_inputs : 1, sizeof *vtext);
    size_t *vlen = calloc(p->n_inputs ? p->n_inputs : 1, sizeof *vlen);
    uint32_t *count = calloc(p->n_inputs ? p->n_inputs : 1, sizeof *count);
    slice_rec *recs = NULL;
    size_t n_recs = 0, cap_recs = 0, i;
    sim_read_opts ropts;
    sim_stream *st = NULL;
    sim_record rec;
    sim_err serr;
    char *text = NULL;
    size_t tlen = 0;
    FILE *o = NULL;
    int rc = CLI_EXIT_USAGE, got;

    if (!specs || !inputs || !names || !vals || !vtext || !vlen || !count) {
        fprintf(stderr, "tinycep build: out of memory\n");
        goto done;
    }
    for (i = 0; i < n_traces; i++) {
        specs[i].path = traces[i];
        specs[i].map = map;
    }
    for (i = 0; i < p->n_inputs; i++) {
        size_t len = 0;
        const char *s = cep_program_name(p, p->inputs[i].name, &len);
        snprintf(names[i], sizeof names[i], "%.*s", (int)len, s);
        inputs[i].name = names[i];
        inputs[i].dim = p->inputs[i].dims;
        vals[i] = open_memstream(&vtext[i], &vlen[i]);
        if (vals[i] == NULL) {
            fprintf(stderr, "tinycep build: out of memory\n");
            goto done;
        }
    }
    memset(&ropts, 0, sizeof ropts);
    memset(&serr, 0, sizeof serr);
    st = sim_stream_open(specs, n_traces, inputs, p->n_inputs, &ropts, &serr);
    if (st == NULL) {
        fprintf(stderr, "%s\n", serr.msg);
        rc = CLI_EXIT_INPUT;
        goto done;
    }
    while ((got = sim_stream_next(st, &rec, &serr)) == 1) {
        for (i = 0; i < rec.n_samples; i++) {
            const sim_sample *sm = &rec.samples[i];
            const cep_input_desc *in = &p->inputs[sm->input];
            uint8_t raw[4 * CEP_MAX_DIMS];
            size_t k;
            if (rec.t_ms < 0 || rec.t_ms > (int64_t)UINT32_MAX) {
                fprintf(stderr, "%s:%llu: error: time %lld ms is outside the firmware's 32-bit clock\n",
                        traces[rec.trace], (unsigned long long)rec.line, (long long)rec.t_ms);
                rc = CLI_EXIT_INPUT;
                goto done;
            }
            if (!sample_raw(in, sm->values, sm->n, raw)) {
                fprintf(stderr, "%s:%llu: error: input '%s': a non-finite value cannot be scaled to "
                        "an integer sample\n", traces[rec.trace], (unsigned long long)rec.line,
                        names[sm->input]);
                rc = CLI_EXIT_INPUT;
                goto done;
            }
            if (n_recs == cap_recs) {
                size_t nc = cap_recs ? 2 * cap_recs : 4096;
                slice_rec *nr = realloc(recs, nc * sizeof *nr);
                if (nr == NULL) {
                    fprintf(stderr, "tinycep build: out of memory\n");
                    goto done;
                }
                recs = nr;
                cap_recs = nc;
            }
            recs[n_recs].t_ms = (uint32_t)rec.t_ms;
            recs[n_recs].input = (uint16_t)sm->input;
            recs[n_recs].index = count[sm->input]++;
            n_recs++;
            fputs(in->dims > 1 ? "    { " : "    ", vals[sm->input]);
            for (k = 0; k < sm->n; k++) {
                if (k)
                    fputs(", ", vals[sm->input]);
                put_component(vals[sm->input], in->type, raw, k);
            }
            fputs(in->dims > 1 ? " },\n" : ",\n", vals[sm->input]);
        }
    }
    if (got < 0) {
        fprintf(stderr, "%s\n", serr.msg);
        rc = CLI_EXIT_INPUT;
        goto done;
    }
    if (n_recs > UINT32_MAX / 2) {
        fprintf(stderr, "tinycep build: slice too long (%zu records)\n", n_recs);
        rc = CLI_EXIT_INPUT;
        goto done;
    }
    for (i = 0; i < p->n_inputs; i++) {
        fclose(vals[i]);
        vals[i] = NULL;
    }

    o = open_memstream(&text, &tlen);
    if (o == NULL) {
        fprintf(stderr, "tinycep build: out of memory\n");
        goto done;
    }
    fprintf(o,
            "/*\n"
            "** slice.c -- generated by tinycep from %s and %zu trace file(s) -- do not edit.\n"
            "**\n"
            "** The replay slice of the firmware image of module '%s'\n"
            "** (runtime/firmware/fw_replay.h): %zu records in the order the\n"
            "** simulator pushes them, pushed through %s.h; alerts printed as\n"
            "** 'tinycep sim --format lines' prints them.\n"
            "*/\n"
            "#include <stdbool.h>\n#include <stdint.h>\n\n"
            "#include \"%s.h\"\n"
            "#include \"runtime/firmware/fw.h\"\n"
            "#include \"runtime/firmware/fw_replay.h\"\n\n",
            base_name(file), n_traces, name, n_recs, name, name);
    fputs("/* Records in push order: time (ms from the traces' origin), input, and\n"
          "** the sample's index in that input's value table. */\n", o);
    fprintf(o, "static const uint32_t slice_t_ms[%zuu] = {\n", n_recs ? n_recs : 1);
    for (i = 0; i < n_recs; i++)
        fprintf(o, "%s%lu,%s", i % 10 == 0 ? "    " : " ", (unsigned long)recs[i].t_ms,
                i % 10 == 9 || i + 1 == n_recs ? "\n" : "");
    if (n_recs == 0)
        fputs("    0\n", o);
    fputs("};\n", o);
    fprintf(o, "static const uint8_t slice_input[%zuu] = {\n", n_recs ? n_recs : 1);
    for (i = 0; i < n_recs; i++)
        fprintf(o, "%s%u,%s", i % 20 == 0 ? "    " : " ", (unsigned)recs[i].input,
                i % 20 == 19 || i + 1 == n_recs ? "\n" : "");
    if (n_recs == 0)
        fputs("    0\n", o);
    fputs("};\n", o);
    for (i = 0; i < p->n_inputs; i++) {
        const cep_input_desc *in = &p->inputs[i];
        fprintf(o, "\n/* %s: %lu samples as %s pushes them (raw counts for integer inputs) */\n",
                names[i], (unsigned long)count[i], name);
        if (in->dims > 1)
            fprintf(o, "static const %s slice_%s[%luu][%u] = {\n", c_type_of(in->type), names[i],
                    (unsigned long)(count[i] ? count[i] : 1), (unsigned)in->dims);
        else
            fprintf(o, "static const %s slice_%s[%luu] = {\n", c_type_of(in->type), names[i],
                    (unsigned long)(count[i] ? count[i] : 1));
        fwrite(vtext[i], 1, vlen[i], o);
        if (count[i] == 0)
            fputs(in->dims > 1 ? "    { 0 }\n" : "    0\n", o);
        fputs("};\n", o);
    }
    /* Each input's next sample: records of one input come in index order. */
    fprintf(o, "\nstatic uint32_t slice_next[%uu];\nstatic %s_ctx slice_ctx;\n",
            p->n_inputs ? p->n_inputs : 1u, name);
    fprintf(o,
            "\nstatic void slice_alert(void *user, const cep_alert *a)\n"
            "{\n"
            "    (void)user;\n"
            "    fw_put_alert_line((int64_t)a->t_ms, cep_severity_name(a->severity), %s_rule_name(a->rule), a->msg);\n"
            "}\n\n"
            "static int slice_start(void)\n"
            "{\n"
            "    uint32_t k;\n"
            "    for (k = 0; k < %uu; k++)\n"
            "        slice_next[k] = 0;\n"
            "    return (int)%s_init(&slice_ctx, slice_alert, 0);\n"
            "}\n\n"
            "static int slice_push(uint32_t i)\n"
            "{\n"
            "    uint32_t t = slice_t_ms[i], j = slice_next[slice_input[i]]++;\n"
            "    uint32_t before = %s_stats(&slice_ctx)->inferences;\n"
            "    rt_status st;\n"
            "    (void)t;\n"
            "    (void)j;\n"
            "    switch (slice_input[i]) {\n",
            name, p->n_inputs ? p->n_inputs : 1u, name, name);
    for (i = 0; i < p->n_inputs; i++) {
        const cep_input_desc *in = &p->inputs[i];
        unsigned k;
        fprintf(o, "    case %zu:\n        st = %s_push_%s(&slice_ctx, t", i, name, names[i]);
        if (in->dims == 1)
            fprintf(o, ", slice_%s[j]", names[i]);
        else if (in->dims <= 4)
            for (k = 0; k < in->dims; k++)
                fprintf(o, ", slice_%s[j][%u]", names[i], k);
        else
            fprintf(o, ", slice_%s[j]", names[i]);
        fputs(");\n        break;\n", o);
    }
    fprintf(o,
            "    default:\n"
            "        st = RT_ERR_RANGE;\n"
            "        break;\n"
            "    }\n"
            "    if (st != RT_OK)\n"
            "        return (int)st;\n"
            "    return %s_stats(&slice_ctx)->inferences != before ? FW_REPLAY_INFERRED : 0;\n"
            "}\n\n"
            "const fw_replay_slice fw_replay_main_slice = {\n"
            "    \"%s\", %zuu, slice_start, slice_push, 0,\n"
            "};\n",
            name, name, n_recs);
    if (fclose(o) != 0) {
        o = NULL;
        fprintf(stderr, "tinycep build: out of memory\n");
        goto done;
    }
    o = NULL;
    if (!write_if_changed(out_path, text, tlen))
        goto done;
    if (!quiet)
        printf("wrote %s: %zu records from %zu trace file(s)\n", out_path, n_recs, n_traces);
    rc = CLI_EXIT_OK;
done:
    if (o != NULL)
        fclose(o);
    free(text);
    if (st != NULL)
        sim_stream_close(st);
    for (i = 0; vals != NULL && i < p->n_inputs; i++)
        if (vals[i] != NULL)
            fclose(vals[i]);
    for (i = 0; vtext != NULL && i < p->n_inputs; i++)
        free(vtext[i]);
    free(vtext);
    free(vals);
    free(vlen);
    free(count);
    free(names);
    free(inputs);
    free(specs);
    free(recs);
    return rc;
}

/* ------------------------------------------------------------ command */

int cli_cmd_build(int argc, char **argv)
{
    const char *file = NULL, *dir = NULL, *slice = NULL, *map = NULL;
    char **traces = calloc((size_t)argc + 1, sizeof *traces);
    size_t n_traces = 0;
    bool quiet = false;
    struct cep_lower_options opt;
    struct dsl_diag *d;
    struct cep_compiled *cc;
    int i, rc;

    if (traces == NULL) {
        fprintf(stderr, "tinycep build: out of memory\n");
        return CLI_EXIT_USAGE;
    }
    memset(&opt, 0, sizeof opt);
    for (i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            usage(stdout);
            free(traces);
            return CLI_EXIT_OK;
        } else if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) {
            quiet = true;
        } else if (!strcmp(a, "--no-model-files")) {
            opt.no_model_files = true;
        } else if (!strcmp(a, "-o") || !strcmp(a, "--output") || !strcmp(a, "--slice") ||
                   !strcmp(a, "--map")) {
            if (i + 1 >= argc) {
                fprintf(stderr, "tinycep build: %s needs a value (see 'tinycep build --help')\n", a);
                free(traces);
                return CLI_EXIT_USAGE;
            }
            if (!strcmp(a, "--slice"))
                slice = argv[++i];
            else if (!strcmp(a, "--map"))
                map = argv[++i];
            else
                dir = argv[++i];
        } else if (a[0] == '-' && a[1] != '\0') {
            fprintf(stderr, "tinycep build: unknown option '%s' (see 'tinycep build --help')\n", a);
            free(traces);
            return CLI_EXIT_USAGE;
        } else if (file == NULL) {
            file = a;
        } else {
            traces[n_traces++] = argv[i];
        }
    }
    if (file == NULL || (dir == NULL) == (slice == NULL) || (slice == NULL && n_traces > 0) ||
        (slice != NULL && n_traces == 0)) {
        if (file != NULL && dir != NULL && slice != NULL)
            fprintf(stderr, "tinycep build: -o and --slice are separate jobs: one at a time\n");
        else if (file != NULL && slice == NULL && n_traces > 0)
            fprintf(stderr, "tinycep build: one rule file at a time (traces need --slice)\n");
        else if (file != NULL && slice != NULL && n_traces == 0)
            fprintf(stderr, "tinycep build: --slice needs trace files\n");
        else
            usage(stderr);
        free(traces);
        return CLI_EXIT_USAGE;
    }
    d = dsl_diag_new();
    cc = cep_compile_file(file, &opt, d);
    dsl_diag_print(d, stderr, DSL_DIAG_TEXT);
    if (cc == NULL) {
        rc = dsl_diag_errors(d) > 0 ? CLI_EXIT_INPUT : CLI_EXIT_USAGE;
        dsl_diag_free(d);
        free(traces);
        return rc;
    }
    dsl_diag_free(d);
    if (slice != NULL)
        rc = build_slice(cc, file, slice, map, traces, n_traces, quiet);
    else
        rc = build_module(cc, file, dir, quiet);
    cep_compiled_free(cc);
    free(traces);
    return rc;
}
