/*
** cmd_model.c — `tinycep model inspect|run`: look at and run int8 .tflite
** models with tinycep's own importer, planner and kernels.
**
**   inspect M.tflite   inputs/outputs (shape, type, scale, zero point), every
**                      operator with shapes and options, MACs, flash and
**                      arena bytes, and every unsupported thing with the
**                      reason.
**   run M.tflite --input IN.bin --output OUT.bin [--dump-layers DIR]
**                      IN.bin holds N vectors, each the raw bytes of all
**                      inputs concatenated; OUT.bin receives N vectors of all
**                      outputs concatenated (the layout of
**                      shared/golden/<model>/inputs.bin and outputs.bin).
**                      --dump-layers writes each operator's output for the
**                      first vector as DIR/op<i>_t<tensor>.bin, the names
**                      the golden layers/index.csv uses.
*/
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "ml/import/import.h"
#include "host/host.h"

static void usage(FILE *out)
{
    fputs("usage: tinycep model inspect MODEL.tflite\n"
          "       tinycep model run MODEL.tflite --input IN.bin --output OUT.bin\n"
          "                         [--dump-layers DIR]\n"
          "       tinycep model emit-c MODEL.tflite --name NAME [--output FILE.c]\n\n"
          "inspect  print the model's inputs and outputs (shape, type, scale, zero\n"
          "         point), every operator with its shapes and options, MACs per\n"
          "         inference, weight (flash) bytes, the planned arena (RAM) bytes and\n"
          "         anything unsupported, with the reason\n"
          "run      run raw int8 input vectors through tinycep's kernels; IN.bin holds\n"
          "         whole vectors, each all inputs' bytes concatenated; OUT.bin gets\n"
          "         all outputs' bytes per vector\n"
          "emit-c   write the compiled model as C const tables defining\n"
          "         `const ml_model NAME` (ml/model.h) and NAME_ARENA_SIZE\n\n"
          "options:\n"
          "  --input FILE        input vectors (run)\n"
          "  --output FILE       where to write the output vectors (run) or the C\n"
          "                      source (emit-c; default standard output)\n"
          "  --name NAME         C identifier of the model (emit-c)\n"
          "  --dump-layers DIR   also write every operator's output for the first\n"
          "                      vector to DIR/op<i>_t<tensor>.bin (DIR must exist)\n"
          "  -h, --help          this text\n\n"
          "exit status: 0 clean, 1 model unsupported or invalid, 2 usage or I/O error\n",
          out);
}

static void print_shape(const ml_gtensor *t)
{
    int d;
    putchar('[');
    for (d = 0; d < t->rank; d++)
        printf("%s%d", d ? "," : "", (int)t->shape[d]);
    putchar(']');
}

static void print_tensor(const ml_graph *g, int32_t i)
{
    const ml_gtensor *t;
    if (i < 0) {
        fputs("(none)", stdout);
        return;
    }
    t = &g->tensors[i];
    printf("t%d ", (int)i);
    print_shape(t);
    printf(" %s", ml_tflite_type_name(t->type));
    if (t->data)
        fputs(" const", stdout);
}

static const char *act_name(int a)
{
    static const char *const names[] = { "NONE", "RELU", "RELU_N1_TO_1", "RELU6",
                                         "TANH", "SIGN_BIT" };
    return a >= 0 && a <= 5 ? names[a] : "?";
}

static void print_options(const ml_gop *o)
{
    const ml_gopts *p = &o->opt;
    const char *pad = p->padding == ML_PAD_SAME ? "SAME" : "VALID";
    switch (o->options_type) {
    case 1:
        printf("padding=%s stride=%dx%d dilation=%dx%d activation=%s", pad, p->stride_h,
               p->stride_w, p->dilation_h, p->dilation_w, act_name(p->activation));
        break;
    case 2:
        printf("padding=%s stride=%dx%d dilation=%dx%d depth_multiplier=%d activation=%s",
               pad, p->stride_h, p->stride_w, p->dilation_h, p->dilation_w,
               p->depth_multiplier, act_name(p->activation));
        break;
    case 5:
        printf("padding=%s stride=%dx%d filter=%dx%d activation=%s", pad, p->stride_h,
               p->stride_w, p->filter_h, p->filter_w, act_name(p->activation));
        break;
    case 8:
        printf("activation=%s keep_num_dims=%d", act_name(p->activation), p->keep_num_dims);
        break;
    case 9:
        printf("beta=%g", (double)p->beta);
        break;
    case 10:
        printf("axis=%d activation=%s", p->axis, act_name(p->activation));
        break;
    case 11: case 21: case 28:
        printf("activation=%s", act_name(p->activation));
        break;
    case 17: {
        int d;
        fputs("new_shape=[", stdout);
        for (d = 0; d < p->n_new_shape; d++)
            printf("%s%d", d ? "," : "", (int)p->new_shape[d]);
        putchar(']');
        break;
    }
    case 27:
        printf("keep_dims=%d", p->keep_dims);
        break;
    default:
        break;
    }
}

/* True if path can be opened for reading; otherwise prints why (an I/O
   error, exit 2, as opposed to a bad model, exit 1). */
static bool readable(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        fprintf(stderr, "tinycep model: cannot open %s: %s\n", path, strerror(errno));
        return false;
    }
    fclose(f);
    return true;
}

static int inspect(const char *path)
{
    ml_import_error err;
    ml_graph *g = ml_graph_load(path, &err);
    ml_compiled *cm;
    int i, k, n_bad = 0;
    char name[96];

    if (g == NULL && !readable(path))
        return CLI_EXIT_USAGE;
    if (g == NULL) {
        if (err.offset >= 0)
            fprintf(stderr, "%s: error: %s (byte %ld)\n", path, err.msg, err.offset);
        else
            fprintf(stderr, "%s: error: %s\n", path, err.msg);
        return CLI_EXIT_INPUT;
    }
    printf("model: %s (%zu bytes, %d tensors, %d operators)\n", path, g->file_size,
           g->n_tensors, g->n_ops);
    for (k = 0; k < 2; k++) {
        const int32_t *list = k ? g->outputs : g->inputs;
        int n = k ? g->n_outputs : g->n_inputs;
        printf("%s:\n", k ? "outputs" : "inputs");
        for (i = 0; i < n; i++) {
            const ml_gtensor *t = &g->tensors[list[i]];
            printf("  %d: t%d '%s' %s ", i, (int)list[i], t->name, ml_tflite_type_name(t->type));
            print_shape(t);
            if (t->has_quant && t->n_quant == 1)
                printf(" scale=%.9g zero_point=%lld", (double)t->scale[0],
                       (long long)t->zero_point[0]);
            else if (!t->has_quant)
                fputs(" (not quantized)", stdout);
            putchar('\n');
        }
    }
    puts("operators:");
    for (i = 0; i < g->n_ops; i++) {
        const ml_gop *o = &g->ops[i];
        printf("  %d: %s v%d  ", i, ml_gop_name(o, name, sizeof name), o->version);
        for (k = 0; k < o->n_inputs; k++) {
            fputs(k ? ", " : "", stdout);
            print_tensor(g, o->inputs[k]);
        }
        fputs(" -> ", stdout);
        for (k = 0; k < o->n_outputs; k++) {
            fputs(k ? ", " : "", stdout);
            print_tensor(g, o->outputs[k]);
        }
        putchar('\n');
        if (o->options_type != 0) {
            fputs("      ", stdout);
            print_options(o);
            putchar('\n');
        }
    }
    puts("unsupported:");
    for (i = 0; i < g->n_ops; i++)
        if (!ml_graph_check_op(g, i, &err)) {
            printf("  %s\n", err.msg);
            n_bad++;
        }
    cm = ml_graph_compile(g, &err);
    if (cm == NULL && n_bad == 0) {
        printf("  %s\n", err.msg);
        n_bad++;
    }
    if (n_bad == 0)
        puts("  none");
    if (cm != NULL) {
        printf("MACs per inference: %ld\n", cm->macs);
        printf("weights (flash): %zu bytes const data + %zu bytes tables\n",
               cm->weight_bytes, cm->table_bytes);
        printf("arena (RAM): %u bytes (%u-byte aligned; plain greedy first-fit: %zu)\n",
               cm->model.arena_size, ML_MODEL_ARENA_ALIGN, cm->tflm_like_arena);
        printf("compiled ops: %u\n", cm->model.n_ops);
    }
    ml_compiled_free(cm);
    ml_graph_free(g);
    return n_bad ? CLI_EXIT_INPUT : CLI_EXIT_OK;
}

static bool write_file(const char *path, const void *p, size_t n)
{
    FILE *f = fopen(path, "wb");
    bool ok;
    if (f == NULL)
        return false;
    ok = fwrite(p, 1, n, f) == n;
    return fclose(f) == 0 && ok;
}

/* Runs the model on vector 0 op by op, writing each .tflite operator's
   output as it becomes available. */
static int dump_layers(const ml_graph *g, const ml_compiled *cm, uint8_t *arena,
                       const char *dir)
{
    const ml_model *m = &cm->model;
    uint32_t next = 0;
    int i;
    char path[4096];
    for (i = 0; i < g->n_ops; i++) {
        int32_t out = g->ops[i].outputs[0], mt = cm->tensor_of[out];
        const int8_t *p;
        rt_status s;
        while (next < m->n_ops && m->ops[next].source_op <= i) {
            s = ml_model_run_op(m, arena, m->arena_size, next++);
            if (s != RT_OK) {
                fprintf(stderr, "tinycep model: operator %d failed: %s\n", i, rt_status_str(s));
                return CLI_EXIT_INPUT;
            }
        }
        p = mt >= 0 ? ml_model_tensor_data(m, arena, m->arena_size, (uint32_t)mt) : NULL;
        if (p == NULL)
            continue;
        snprintf(path, sizeof path, "%s/op%d_t%d.bin", dir, i, (int)out);
        if (!write_file(path, p, m->tensors[mt].size)) {
            fprintf(stderr, "tinycep model: cannot write %s: %s\n", path, strerror(errno));
            return CLI_EXIT_USAGE;
        }
    }
    return CLI_EXIT_OK;
}

static int run(const char *path, const char *in_path, const char *out_path,
               const char *dump_dir)
{
    ml_import_error err;
    ml_graph *g = ml_graph_load(path, &err);
    ml_compiled *cm = NULL;
    uint8_t *in = NULL, *arena = NULL;
    FILE *out = NULL;
    size_t in_len, vec_in = 0, vec, i, n;
    int status = CLI_EXIT_INPUT;

    if (g == NULL && !readable(path))
        return CLI_EXIT_USAGE;
    if (g == NULL) {
        fprintf(stderr, "%s: error: %s", path, err.msg);
        if (err.offset >= 0)
            fprintf(stderr, " (byte %ld)", err.offset);
        fputc('\n', stderr);
        return CLI_EXIT_INPUT;
    }
    cm = ml_graph_compile(g, &err);
    if (cm == NULL) {
        fprintf(stderr, "%s: error: %s\n", path, err.msg);
        goto done;
    }
    for (i = 0; i < cm->model.n_inputs; i++)
        vec_in += cm->model.tensors[cm->model.inputs[i].tensor].size;
    {
        host_file_status fs;
        in = (uint8_t *)host_file_read(in_path, 0, &in_len, &fs, NULL);
    }
    if (in == NULL) {
        fprintf(stderr, "tinycep model: cannot read %s: %s\n", in_path, strerror(errno));
        status = CLI_EXIT_USAGE;
        goto done;
    }
    if (vec_in == 0 || in_len % vec_in != 0 || in_len == 0) {
        fprintf(stderr, "%s: error: %zu bytes is not a whole number of input vectors "
                "of %zu bytes\n", in_path, in_len, vec_in);
        goto done;
    }
    arena = calloc(cm->model.arena_size + 8u, 1);
    out = fopen(out_path, "wb");
    if (arena == NULL || out == NULL) {
        fprintf(stderr, "tinycep model: cannot write %s: %s\n", out_path, strerror(errno));
        status = CLI_EXIT_USAGE;
        goto done;
    }
    n = in_len / vec_in;
    for (vec = 0; vec < n; vec++) {
        const uint8_t *src = in + vec * vec_in;
        rt_status s;
        for (i = 0; i < cm->model.n_inputs; i++) {
            size_t sz = 0;
            int8_t *dst = ml_model_input(&cm->model, arena, cm->model.arena_size,
                                         (uint32_t)i, &sz);
            if (dst == NULL) {
                fprintf(stderr, "tinycep model: input %zu has no arena space\n", i);
                goto done;
            }
            memcpy(dst, src, sz);
            src += sz;
        }
        if (vec == 0 && dump_dir != NULL) {
            int st = dump_layers(g, cm, arena, dump_dir);
            if (st != CLI_EXIT_OK) {
                status = st;
                goto done;
            }
        } else {
            s = ml_model_run(&cm->model, arena, cm->model.arena_size);
            if (s != RT_OK) {
                fprintf(stderr, "%s: error: inference %zu failed: %s\n", path, vec,
                        rt_status_str(s));
                goto done;
            }
        }
        for (i = 0; i < cm->model.n_outputs; i++) {
            size_t sz = 0;
            const int8_t *p = ml_model_output(&cm->model, arena, cm->model.arena_size,
                                              (uint32_t)i, &sz);
            if (p == NULL || fwrite(p, 1, sz, out) != sz) {
                fprintf(stderr, "tinycep model: cannot write %s\n", out_path);
                status = CLI_EXIT_USAGE;
                goto done;
            }
        }
    }
    status = CLI_EXIT_OK;
done:
    if (out != NULL && fclose(out) != 0 && status == CLI_EXIT_OK) {
        fprintf(stderr, "tinycep model: cannot write %s\n", out_path);
        status = CLI_EXIT_USAGE;
    }
    free(in);
    free(arena);
    ml_compiled_free(cm);
    ml_graph_free(g);
    return status;
}

static int emit_c(const char *path, const char *cname, const char *out_path)
{
    ml_import_error err;
    ml_graph *g = ml_graph_load(path, &err);
    ml_compiled *cm;
    char *text;
    int status = CLI_EXIT_OK;
    if (g == NULL && !readable(path))
        return CLI_EXIT_USAGE;
    if (g == NULL) {
        fprintf(stderr, "%s: error: %s\n", path, err.msg);
        return CLI_EXIT_INPUT;
    }
    cm = ml_graph_compile(g, &err);
    if (cm == NULL) {
        fprintf(stderr, "%s: error: %s\n", path, err.msg);
        ml_graph_free(g);
        return CLI_EXIT_INPUT;
    }
    text = ml_compiled_emit_c(cm, cname);
    if (text == NULL) {
        fprintf(stderr, "tinycep model emit-c: '%s' is not a C identifier\n", cname);
        status = CLI_EXIT_USAGE;
    } else if (out_path == NULL) {
        fputs(text, stdout);
    } else if (!write_file(out_path, text, strlen(text))) {
        fprintf(stderr, "tinycep model: cannot write %s: %s\n", out_path, strerror(errno));
        status = CLI_EXIT_USAGE;
    }
    free(text);
    ml_compiled_free(cm);
    ml_graph_free(g);
    return status;
}

int cli_cmd_model(int argc, char **argv)
{
    const char *sub, *model = NULL, *in = NULL, *out = NULL, *dump = NULL, *cname = NULL;
    int i;
    for (i = 1; i < argc; i++)
        if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
            usage(stdout);
            return CLI_EXIT_OK;
        }
    if (argc < 3) {
        usage(stderr);
        return CLI_EXIT_USAGE;
    }
    sub = argv[1];
    for (i = 2; i < argc; i++) {
        const char **slot = NULL;
        if (strcmp(argv[i], "--input") == 0)
            slot = &in;
        else if (strcmp(argv[i], "--output") == 0)
            slot = &out;
        else if (strcmp(argv[i], "--dump-layers") == 0)
            slot = &dump;
        else if (strcmp(argv[i], "--name") == 0)
            slot = &cname;
        else if (argv[i][0] == '-') {
            fprintf(stderr, "tinycep model: unknown option '%s' (see --help)\n", argv[i]);
            return CLI_EXIT_USAGE;
        } else if (model == NULL) {
            model = argv[i];
            continue;
        } else {
            fprintf(stderr, "tinycep model: unexpected argument '%s'\n", argv[i]);
            return CLI_EXIT_USAGE;
        }
        if (i + 1 >= argc) {
            fprintf(stderr, "tinycep model: %s needs a value\n", argv[i]);
            return CLI_EXIT_USAGE;
        }
        *slot = argv[++i];
    }
    if (model == NULL) {
        usage(stderr);
        return CLI_EXIT_USAGE;
    }
    if (strcmp(sub, "inspect") == 0) {
        if (in || out || dump || cname) {
            fputs("tinycep model inspect: takes no --input/--output/--dump-layers\n", stderr);
            return CLI_EXIT_USAGE;
        }
        return inspect(model);
    }
    if (strcmp(sub, "emit-c") == 0) {
        if (cname == NULL || in || dump) {
            fputs("tinycep model emit-c: needs --name (and takes only --output)\n", stderr);
            return CLI_EXIT_USAGE;
        }
        return emit_c(model, cname, out);
    }
    if (strcmp(sub, "run") == 0) {
        if (in == NULL || out == NULL) {
            fputs("tinycep model run: --input and --output are required\n", stderr);
            return CLI_EXIT_USAGE;
        }
        return run(model, in, out, dump);
    }
    fprintf(stderr, "tinycep model: unknown subcommand '%s' (inspect or run)\n", sub);
    return CLI_EXIT_USAGE;
}
