/*
** cmd_build.c — `tinycep build RULES.cep -o DIR`: the firmware C module
** (DIR/<module>.h and DIR/<module>.c, cep/compile/emit_module.h), and with
** --slice, the replay slice of a per-example firmware image: trace records
** embedded as const arrays, pushed through the generated module in the
** order the simulator pushes them (runtime/firmware/fw_replay.h,
** docs/firmware.md).  Exit 0 clean, 1 errors in the input, 2 usage or I/O.
*/
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
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
          "       tinycep build [OPTIONS] RULES.cep --slice FILE.c --trace FILE.csv... [--map ...]\n\n"
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
          "  --trace FILE.csv          a trace for the slice (repeatable), as for sim\n"
          "  --map INPUT=COL[,COL...]  bind an input to columns (repeatable), as for\n"
          "                            sim: it goes to the trace whose header has the\n"
          "                            first column\n"
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
    if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
        fprintf(stderr, "tinycep build: cannot create '%s': %s\n", dir, strerror(errno));
        free(htext);
        free(ctext);
        return CLI_EXIT_USAGE;
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

/*
** The slice is the simulator's replay (cli/cmd_sim.c) recorded call by
** call: cep_tick(0) first; per record, cep_tick(t) when t is later than the
** previous record; each sample converted by sim_sample_raw (the simulator's
** one conversion), event-driven inputs skipped when unchanged.  The
** generator runs the engine on the host while it records, so it knows which
** pushes the engine accepts; a rejected push changes nothing but a counter
** (cep/cep.h), so it is left out of the slice rather than replayed as an
** error line the simulator does not print.
**
** Encoding: one record per accepted push, in order, with its time and its
** input; the firmware calls <module>_tick(t) before a push whose t is later
** than the last tick, which is where the simulator ticked too.  A tick that
** no push at the same time follows (time advanced, nothing accepted) is a
** record of its own (input SLICE_TICK).
*/

#define SLICE_TICK 0xFFu

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
        if (f == 0.0f)
            fputs(signbit(f) ? "-0.0f" : "0.0f", o);
        else
            fprintf(o, "%af", (double)f);   /* finite: the engine rejects NaN/Inf */
        break;
    }
    }
}

typedef struct slice_rec {
    uint32_t t_ms;
    uint8_t input;     /* input index, or SLICE_TICK */
} slice_rec;

typedef struct slice_gen {
    slice_rec *recs;
    size_t n, cap;
    bool pending_tick;  /* the last cep_tick has no push at its time yet */
    uint32_t tick_t;
} slice_gen;

static bool slice_add(slice_gen *g, uint32_t t, uint8_t input)
{
    if (g->n == g->cap) {
        size_t nc = g->cap ? 2 * g->cap : 4096;
        slice_rec *nr = realloc(g->recs, nc * sizeof *nr);
        if (nr == NULL)
            return false;
        g->recs = nr;
        g->cap = nc;
    }
    g->recs[g->n].t_ms = t;
    g->recs[g->n].input = input;
    g->n++;
    return true;
}

/* Whether the first line of the CSV file `path` has the column col[0..len)
** (comma, semicolon or tab separated; exact, then case-insensitive). */
static bool header_has(const char *path, const char *col, size_t len)
{
    FILE *f = fopen(path, "rb");
    char line[8192];
    int pass;
    bool found = false;
    if (f == NULL)
        return false;
    if (fgets(line, sizeof line, f) == NULL)
        line[0] = '\0';
    fclose(f);
    line[strcspn(line, "\r\n")] = '\0';
    for (pass = 0; pass < 2 && !found; pass++) {
        const char *p = line;
        while (!found) {
            size_t n = strcspn(p, ",;\t");
            const char *a = p, *b = p + n;
            while (a < b && (*a == ' ' || *a == '"'))
                a++;
            while (b > a && (b[-1] == ' ' || b[-1] == '"'))
                b--;
            if ((size_t)(b - a) == len &&
                (pass == 0 ? strncmp(a, col, len) : strncasecmp(a, col, len)) == 0)
                found = true;
            if (p[n] == '\0')
                break;
            p += n + 1;
        }
    }
    return found;
}

static int build_slice(struct cep_compiled *cc, const char *file, const char *out_path, char **maps,
                       size_t n_maps, char **traces, size_t n_traces, bool quiet)
{
    const cep_program *p = cep_compiled_program(cc);
    const char *name = cep_compiled_name(cc);
    size_t n_in = p->n_inputs ? p->n_inputs : 1;
    sim_trace_spec *specs = calloc(n_traces ? n_traces : 1, sizeof *specs);
    char **routed = calloc(n_traces ? n_traces : 1, sizeof *routed);
    sim_input *inputs = calloc(n_in, sizeof *inputs);
    char (*names)[128] = calloc(n_in, sizeof *names);
    FILE **vals = calloc(n_in, sizeof *vals);
    char **vtext = calloc(n_in, sizeof *vtext);
    size_t *vlen = calloc(n_in, sizeof *vlen);
    uint32_t *count = calloc(n_in, sizeof *count);
    unsigned char (*prev)[CEP_MAX_DIMS * 4] = calloc(n_in, sizeof *prev);
    bool *has_prev = calloc(n_in, sizeof *has_prev);
    size_t state_size = cep_state_size(p);
    void *state = state_size ? aligned_alloc(8, (state_size + 7) & ~(size_t)7) : NULL;
    slice_gen g;
    cep_ctx *ctx = NULL;
    cep_callbacks cb;
    sim_read_opts ropts;
    sim_stream *st = NULL;
    sim_record rec;
    sim_err serr;
    char *text = NULL;
    size_t tlen = 0, i;
    int64_t cur_t = 0;
    uint32_t max_dt = 0, ticks_only = 0;
    FILE *o = NULL;
    int rc = CLI_EXIT_USAGE, got;
    bool profile = false;
    char profile_init[128] = "";

    memset(&g, 0, sizeof g);
    if (!specs || !routed || !inputs || !names || !vals || !vtext || !vlen || !count || !prev || !has_prev || !state) {
        fprintf(stderr, "tinycep build: out of memory\n");
        goto done;
    }
    if (p->n_inputs >= SLICE_TICK) {
        fprintf(stderr, "%s: error: a slice takes at most %u inputs\n", file, SLICE_TICK - 1);
        rc = CLI_EXIT_INPUT;
        goto done;
    }
    memset(&cb, 0, sizeof cb);
    cb.infer = cep_compiled_infer;
    cb.user = cc;
    if (cep_init(&ctx, p, state, state_size, &cb) != RT_OK) {
        fprintf(stderr, "%s: error: the compiled program does not start\n", file);
        rc = CLI_EXIT_INPUT;
        goto done;
    }
    /* an unreadable trace is an I/O error (exit 2), as in sim */
    for (i = 0; i < n_traces; i++) {
        FILE *f = fopen(traces[i], "rb");
        if (f == NULL) {
            fprintf(stderr, "%s: error: cannot open: %s\n", traces[i], strerror(errno));
            goto done;
        }
        fclose(f);
    }
    /* each --map goes to the first trace whose header has its first
    ** column (else the first trace, whose open reports it), as in sim */
    for (i = 0; i < n_traces; i++)
        specs[i].path = traces[i];
    for (i = 0; i < n_maps; i++) {
        const char *col = strchr(maps[i], '=');
        size_t t, to = 0;
        if (col == NULL) {
            fprintf(stderr, "tinycep build: --map takes INPUT=COLUMN[,COLUMN...], not '%s'\n", maps[i]);
            goto done;
        }
        col++;
        for (t = 0; t < n_traces; t++)
            if (header_has(traces[t], col, strcspn(col, ","))) {
                to = t;
                break;
            }
        if (routed[to] != NULL) {
            char *j = malloc(strlen(routed[to]) + strlen(maps[i]) + 2);
            if (j == NULL)
                goto oom;
            sprintf(j, "%s;%s", routed[to], maps[i]);
            free(routed[to]);
            routed[to] = j;
        } else if ((routed[to] = strdup(maps[i])) == NULL) {
            goto oom;
        }
        specs[to].map = routed[to];
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

    /* the simulator's replay, recorded */
    cep_tick(ctx, 0);
    while ((got = sim_stream_next(st, &rec, &serr)) == 1) {
        uint32_t te = (uint32_t)(uint64_t)rec.t_ms;
        if (rec.t_ms > cur_t) {
            if (rec.t_ms > (int64_t)UINT32_MAX) {
                fprintf(stderr, "%s:%llu: error: time %lld ms is beyond the firmware's 32-bit clock\n",
                        traces[rec.trace], (unsigned long long)rec.line, (long long)rec.t_ms);
                rc = CLI_EXIT_INPUT;
                goto done;
            }
            if (g.pending_tick && !slice_add(&g, g.tick_t, SLICE_TICK))
                goto oom;
            ticks_only += g.pending_tick;
            cur_t = rec.t_ms;
            cep_tick(ctx, te);
            g.pending_tick = true;
            g.tick_t = te;
        }
        for (i = 0; i < rec.n_samples; i++) {
            const sim_sample *sm = &rec.samples[i];
            const cep_input_desc *in = &p->inputs[sm->input];
            unsigned char raw[CEP_MAX_DIMS * 4];
            unsigned sat = 0;
            size_t bytes = (size_t)in->dims * (in->type == CEP_IN_I8 || in->type == CEP_IN_BOOL ? 1u
                                              : in->type == CEP_IN_I16 ? 2u : 4u), k;
            if (sim_sample_raw(in, sm->values, sm->n, raw, &sat) != SIM_RAW_OK)
                continue;
            if (in->period_us == 0 && has_prev[sm->input] && memcmp(prev[sm->input], raw, bytes) == 0)
                continue;
            if (cep_push(ctx, (uint16_t)sm->input, te, raw) != RT_OK)
                continue;
            memcpy(prev[sm->input], raw, bytes);
            has_prev[sm->input] = true;
            if (g.n > 0 && te - g.recs[g.n - 1].t_ms > max_dt)
                max_dt = te - g.recs[g.n - 1].t_ms;
            if (!slice_add(&g, te, (uint8_t)sm->input))
                goto oom;
            g.pending_tick = false;
            count[sm->input]++;
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
    if (g.pending_tick) {
        if (!slice_add(&g, g.tick_t, SLICE_TICK))
            goto oom;
        ticks_only++;
    }
    for (i = 0; i < p->n_inputs; i++) {
        fclose(vals[i]);
        vals[i] = NULL;
    }

    o = open_memstream(&text, &tlen);
    if (o == NULL)
        goto oom;
    fprintf(o,
            "/*\n"
            "** slice.c -- generated by tinycep from %s and %zu trace file(s) -- do not edit.\n"
            "**\n"
            "** The replay slice of the firmware image of module '%s'\n"
            "** (runtime/firmware/fw_replay.h): the simulator's replay of the traces,\n"
            "** recorded as %zu records (%lu of them ticks without a sample), pushed\n"
            "** through %s.h; alerts are printed as 'tinycep sim --format lines' prints\n"
            "** them.  The host run while generating gave %lu alert(s).\n"
            "*/\n"
            "#include <stdbool.h>\n#include <stdint.h>\n\n"
            "#include \"%s.h\"\n"
            "#include \"runtime/firmware/fw.h\"\n"
            "#include \"runtime/firmware/fw_replay.h\"\n\n"
            "#define SLICE_TICK %uu\n\n",
            base_name(file), n_traces, name, g.n, (unsigned long)ticks_only, name,
            (unsigned long)cep_stats_get(ctx)->alerts, name, SLICE_TICK);
    /* times as differences from the previous record: 16 bits when they fit */
    fputs("/* Records in push order: milliseconds since the previous record (the\n"
          "** first: since the traces' origin) and the input (SLICE_TICK: a tick). */\n", o);
    fprintf(o, "static const %s slice_dt[%zuu] = {\n", max_dt <= 0xFFFFu && (g.n == 0 || g.recs[0].t_ms <= 0xFFFFu)
            ? "uint16_t" : "uint32_t", g.n ? g.n : 1);
    for (i = 0; i < g.n; i++)
        fprintf(o, "%s%lu,%s", i % 16 == 0 ? "    " : " ",
                (unsigned long)(g.recs[i].t_ms - (i ? g.recs[i - 1].t_ms : 0u)),
                i % 16 == 15 || i + 1 == g.n ? "\n" : "");
    if (g.n == 0)
        fputs("    0\n", o);
    fputs("};\n", o);
    fprintf(o, "static const uint8_t slice_input[%zuu] = {\n", g.n ? g.n : 1);
    for (i = 0; i < g.n; i++)
        fprintf(o, "%s%u,%s", i % 16 == 0 ? "    " : " ", (unsigned)g.recs[i].input,
                i % 16 == 15 || i + 1 == g.n ? "\n" : "");
    if (g.n == 0)
        fputs("    0\n", o);
    fputs("};\n", o);
    for (i = 0; i < p->n_inputs; i++) {
        const cep_input_desc *in = &p->inputs[i];
        fprintf(o, "\n/* %s: %lu samples as pushed (raw counts for integer inputs) */\n", names[i],
                (unsigned long)count[i]);
        if (in->dims > 1)
            fprintf(o, "static const %s slice_%s[%luu][%u] = {\n", c_type_of(in->type), names[i],
                    (unsigned long)(count[i] ? count[i] : 1), (unsigned)in->dims);
        else
            fprintf(o, "static const %s slice_%s[%luu] = {\n", c_type_of(in->type), names[i],
                    (unsigned long)(count[i] ? count[i] : 1));
        if (vlen[i] > 0)
            fwrite(vtext[i], 1, vlen[i], o);
        else
            fputs(in->dims > 1 ? "    { 0 }\n" : "    0\n", o);
        fputs("};\n", o);
    }
    fprintf(o,
            "\n/* Replay position: time of the last record, last tick, next sample of\n"
            "** each input (records of one input come in sample order). */\n"
            "static uint32_t slice_t, slice_clock;\n"
            "static uint32_t slice_next[%uu];\n"
            "static %s_ctx slice_ctx;\n",
            (unsigned)n_in, name);
    if (cep_compiled_tflite_count(cc) > 0) {
        char up[64];
        size_t k;
        for (k = 0; name[k] != '\0' && k + 1 < sizeof up; k++)
            up[k] = (char)toupper((unsigned char)name[k]);
        up[k] = '\0';
        fprintf(o,
                "\n/* With -D%s_PROFILE (the image's flags): the instructions of each\n"
                "** int8 inference alone, reported at the end of the slice. */\n"
                "#ifdef %s_PROFILE\n"
                "static fw_meter slice_infer_meter;\n"
                "void %s_profile_begin(uint16_t model)\n"
                "{\n"
                "    (void)model;\n"
                "    fw_meter_start(&slice_infer_meter);\n"
                "}\n"
                "void %s_profile_end(uint16_t model)\n"
                "{\n"
                "    (void)model;\n"
                "    (void)fw_meter_stop(&slice_infer_meter);\n"
                "}\n"
                "#endif\n\n"
                "static int slice_finish(void)\n"
                "{\n"
                "#ifdef %s_PROFILE\n"
                "    fw_meter_report(&slice_infer_meter, \"per-inference\");\n"
                "#endif\n"
                "    return 0;\n"
                "}\n",
                up, up, name, name, up);
        profile = true;
        snprintf(profile_init, sizeof profile_init,
                 "#ifdef %s_PROFILE\n    fw_meter_init(&slice_infer_meter);\n#endif\n", up);
    }
    fprintf(o,
            "\nstatic void slice_alert(void *user, const cep_alert *a)\n"
            "{\n"
            "    (void)user;\n"
            "    fw_put_alert_line((int64_t)a->t_ms, cep_severity_name(a->severity), %s_rule_name(a->rule),\n"
            "                      a->msg);\n"
            "}\n\n"
            "/* The simulator starts with a tick at the origin. */\n"
            "static int slice_start(void)\n"
            "{\n"
            "    uint32_t k;\n"
            "    rt_status st;\n"
            "    for (k = 0; k < %uu; k++)\n"
            "        slice_next[k] = 0;\n"
            "    slice_t = slice_clock = 0;\n"
            "%s"
            "    st = %s_init(&slice_ctx, slice_alert, 0);\n"
            "    return (int)(st != RT_OK ? st : %s_tick(&slice_ctx, 0));\n"
            "}\n\n"
            "static int slice_push(uint32_t i)\n"
            "{\n"
            "    uint32_t before = %s_stats(&slice_ctx)->inferences, j;\n"
            "    uint8_t in = slice_input[i];\n"
            "    rt_status st = RT_OK;\n"
            "    slice_t += slice_dt[i];\n"
            "    if (slice_t != slice_clock) {       /* later than the last tick */\n"
            "        slice_clock = slice_t;\n"
            "        st = %s_tick(&slice_ctx, slice_t);\n"
            "        if (st != RT_OK)\n"
            "            return (int)st;\n"
            "    }\n"
            "    if (in == SLICE_TICK)\n"
            "        return 0;\n"
            "    j = slice_next[in]++;\n"
            "    switch (in) {\n",
            name, (unsigned)n_in, profile_init, name, name, name, name);
    for (i = 0; i < p->n_inputs; i++) {
        const cep_input_desc *in = &p->inputs[i];
        unsigned k;
        fprintf(o, "    case %zu:\n        st = %s_push_%s(&slice_ctx, slice_t", i, name, names[i]);
        if (in->dims == 1 || in->dims > 4)
            fprintf(o, ", slice_%s[j]", names[i]);
        else
            for (k = 0; k < in->dims; k++)
                fprintf(o, ", slice_%s[j][%u]", names[i], k);
        fputs(");\n        break;\n", o);
    }
    fprintf(o,
            "    default:\n"
            "        st = RT_ERR_RANGE;\n"
            "        (void)j;\n"
            "        break;\n"
            "    }\n"
            "    if (st != RT_OK)\n"
            "        return (int)st;\n"
            "    return %s_stats(&slice_ctx)->inferences != before ? FW_REPLAY_INFERRED : 0;\n"
            "}\n\n"
            "const fw_replay_slice fw_replay_main_slice = {\n"
            "    \"%s\", %zuu, slice_start, slice_push, %s,\n"
            "};\n",
            name, name, g.n, profile ? "slice_finish" : "0");
    if (fclose(o) != 0) {
        o = NULL;
        goto oom;
    }
    o = NULL;
    if (!write_if_changed(out_path, text, tlen))
        goto done;
    if (!quiet)
        printf("wrote %s: %zu records (%lu ticks) from %zu trace file(s); %lu alert(s) on the host\n",
               out_path, g.n, (unsigned long)ticks_only, n_traces,
               (unsigned long)cep_stats_get(ctx)->alerts);
    rc = CLI_EXIT_OK;
    goto done;
oom:
    fprintf(stderr, "tinycep build: out of memory\n");
    rc = CLI_EXIT_USAGE;
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
    for (i = 0; routed != NULL && i < n_traces; i++)
        free(routed[i]);
    free(routed);
    free(prev);
    free(has_prev);
    free(state);
    free(g.recs);
    return rc;
}

/* ------------------------------------------------------------ command */

int cli_cmd_build(int argc, char **argv)
{
    const char *file = NULL, *dir = NULL, *slice = NULL;
    char **traces = calloc((size_t)argc + 1, sizeof *traces);
    char **maps = calloc((size_t)argc + 1, sizeof *maps);
    size_t n_traces = 0, n_maps = 0;
    bool quiet = false;
    struct cep_lower_options opt;
    struct dsl_diag *d;
    struct cep_compiled *cc;
    int i, rc = CLI_EXIT_USAGE;

    if (traces == NULL || maps == NULL) {
        fprintf(stderr, "tinycep build: out of memory\n");
        goto out;
    }
    memset(&opt, 0, sizeof opt);
    for (i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            usage(stdout);
            rc = CLI_EXIT_OK;
            goto out;
        } else if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) {
            quiet = true;
        } else if (!strcmp(a, "--no-model-files")) {
            opt.no_model_files = true;
        } else if (!strcmp(a, "-o") || !strcmp(a, "--output") || !strcmp(a, "--slice") ||
                   !strcmp(a, "--map") || !strcmp(a, "--trace")) {
            if (i + 1 >= argc) {
                fprintf(stderr, "tinycep build: %s needs a value (see 'tinycep build --help')\n", a);
                goto out;
            }
            if (!strcmp(a, "--slice"))
                slice = argv[++i];
            else if (!strcmp(a, "--map"))
                maps[n_maps++] = argv[++i];
            else if (!strcmp(a, "--trace"))
                traces[n_traces++] = argv[++i];
            else
                dir = argv[++i];
        } else if (a[0] == '-' && a[1] != '\0') {
            fprintf(stderr, "tinycep build: unknown option '%s' (see 'tinycep build --help')\n", a);
            goto out;
        } else if (file == NULL) {
            file = a;
        } else {
            fprintf(stderr, "tinycep build: one rule file at a time ('%s' and '%s'; traces go with --trace)\n",
                    file, a);
            goto out;
        }
    }
    if (file == NULL) {
        usage(stderr);
        goto out;
    }
    if (dir != NULL && slice != NULL) {
        fprintf(stderr, "tinycep build: -o and --slice are separate jobs: one at a time\n");
        goto out;
    }
    if (dir == NULL && slice == NULL) {
        fprintf(stderr, "tinycep build: where to? -o DIR (the module) or --slice FILE.c\n");
        goto out;
    }
    if (slice == NULL && n_traces > 0) {
        fprintf(stderr, "tinycep build: --trace goes with --slice\n");
        goto out;
    }
    if (slice != NULL && n_traces == 0) {
        fprintf(stderr, "tinycep build: --slice needs --trace files\n");
        goto out;
    }
    d = dsl_diag_new();
    cc = cep_compile_file(file, &opt, d);
    dsl_diag_print(d, stderr, DSL_DIAG_TEXT);
    if (cc == NULL) {
        rc = dsl_diag_errors(d) > 0 ? CLI_EXIT_INPUT : CLI_EXIT_USAGE;
        dsl_diag_free(d);
        goto out;
    }
    dsl_diag_free(d);
    if (slice != NULL)
        rc = build_slice(cc, file, slice, maps, n_maps, traces, n_traces, quiet);
    else
        rc = build_module(cc, file, dir, quiet);
    cep_compiled_free(cc);
out:
    free(traces);
    free(maps);
    return rc;
}
