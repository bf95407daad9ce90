/*
** cmd_check.c — `tinycep check FILE.cep`: parse and check a rule file, print
** its diagnostics (text or JSON lines) or, when clean, a summary of what it
** declares.  The checked module is also lowered to the runtime program
** (cep/compile/lower.h), so engine limits and `budget` lines are checked;
** `--report` prints the static memory plan (docs/report.md).
** Exit 0 clean, 1 errors in the file, 2 usage or I/O error.
*/
#include <stdio.h>
#include <string.h>

#include "cep/compile/lower.h"
#include "cli/cli.h"
#include "dsl/dsl.h"

static void usage(FILE *out)
{
    fputs("usage: tinycep check [OPTIONS] FILE.cep\n\n"
          "Parses, checks and compiles a rule file: names, types, units, window sizes,\n"
          "bounds of patterns, model files, engine limits and budgets.  Errors are\n"
          "printed as 'file:line:col: error: ...' with the source line, then the number\n"
          "of errors.  On success, prints what the file declares.\n\n"
          "options:\n"
          "  -q, --quiet               print nothing on success\n"
          "  --diagnostics text|json   how to print errors (default text, on stderr);\n"
          "                            json: one object per line on stdout with file,\n"
          "                            line, col, end_col, severity, message, notes\n"
          "  --dump                    on success, print the checked module instead of\n"
          "                            the summary: every declaration with its types,\n"
          "                            units, durations in ms and window capacities\n"
          "  --no-model-files          do not read the .tflite files named by\n"
          "                            'model ... tflite \"FILE\"' (for checking snippets,\n"
          "                            e.g. the documentation's examples); otherwise each\n"
          "                            is imported and its input/output sizes checked\n"
          "  --report                  on success, print the static memory plan: RAM\n"
          "                            (engine state, model arenas), flash (program\n"
          "                            tables, model weights), MACs per inference and\n"
          "                            worst-case work per sample, per declaration and\n"
          "                            in total (docs/report.md)\n"
          "  -h, --help                this text\n\n"
          "exit status: 0 clean, 1 errors in the file, 2 usage or I/O error\n", out);
}

static void list(const char *what, struct dsl_decl **d, uint32_t n)
{
    uint32_t i;
    printf("  %-9s %u", what, (unsigned)n);
    for (i = 0; i < n; i++)
        printf("%s%s", i ? ", " : ": ", d[i]->name);
    putchar('\n');
}

int cli_cmd_check(int argc, char **argv)
{
    const char *file = NULL;
    bool quiet = false, dump = false, report = false;
    struct cep_lower_options lopt;
    struct cep_compiled *c;
    enum dsl_diag_format fmt = DSL_DIAG_TEXT;
    struct dsl_diag *d;
    const struct dsl_module *m = NULL;
    enum dsl_status st;
    int i;

    memset(&lopt, 0, sizeof lopt);
    for (i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            usage(stdout);
            return CLI_EXIT_OK;
        } else if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) {
            quiet = true;
        } else if (!strcmp(a, "--dump")) {
            dump = true;
        } else if (!strcmp(a, "--report")) {
            report = true;
        } else if (!strcmp(a, "--no-model-files")) {
            lopt.no_model_files = true;
        } else if (!strcmp(a, "--diagnostics") || !strncmp(a, "--diagnostics=", 14)) {
            const char *v = a[13] == '=' ? a + 14 : (i + 1 < argc ? argv[++i] : "");
            if (!strcmp(v, "json"))
                fmt = DSL_DIAG_JSON;
            else if (!strcmp(v, "text"))
                fmt = DSL_DIAG_TEXT;
            else {
                fprintf(stderr, "tinycep check: --diagnostics takes 'text' or 'json', not '%s'\n", v);
                return CLI_EXIT_USAGE;
            }
        } else if (a[0] == '-' && a[1] != '\0') {
            fprintf(stderr, "tinycep check: unknown option '%s' (see 'tinycep check --help')\n", a);
            return CLI_EXIT_USAGE;
        } else if (file != NULL) {
            fprintf(stderr, "tinycep check: one file at a time ('%s' and '%s')\n", file, a);
            return CLI_EXIT_USAGE;
        } else {
            file = a;
        }
    }
    if (file == NULL) {
        usage(stderr);
        return CLI_EXIT_USAGE;
    }
    d = dsl_diag_new();
    /* the full compile: model files imported and checked against their
    ** declarations (skipped with --no-model-files), engine limits, budgets */
    c = cep_compile_file(file, &lopt, d);
    st = DSL_OK;
    if (c == NULL) {
        /* tell an unreadable file (exit 2) from errors in it (exit 1) */
        FILE *probe = fopen(file, "rb");
        st = probe == NULL ? DSL_EIO : DSL_EINPUT;
        if (probe != NULL)
            fclose(probe);
    }
    dsl_diag_print(d, fmt == DSL_DIAG_JSON ? stdout : stderr, fmt);
    dsl_diag_free(d);
    if (st != DSL_OK)
        return st == DSL_EIO ? CLI_EXIT_USAGE : CLI_EXIT_INPUT;
    m = cep_compiled_module(c);
    if (report) {
        if (!cep_report_print(c, stdout)) {
            cep_compiled_free(c);
            return CLI_EXIT_USAGE;
        }
    } else if (dump) {
        dsl_module_dump(m, stdout);
    } else if (!quiet && fmt == DSL_DIAG_TEXT) {
        printf("%s: module %s\n", file, m->name);
        list("inputs", m->inputs, m->ninputs);
        list("windows", m->windows, m->nwindows);
        list("features", m->features, m->nfeatures);
        list("models", m->models, m->nmodels);
        list("events", m->events, m->nevents);
        list("rules", m->rules, m->nrules);
    }
    cep_compiled_free(c);
    return CLI_EXIT_OK;
}
