/*
** fuzz_rules.c — libFuzzer target for the whole front end: any byte string
** is a rule file; parse, check, print the diagnostics in both forms and
** the checked module (dsl_module_dump) when there are none.  A
** crash, a sanitizer report or a leak is a bug.  Model files are not looked
** up (the input names arbitrary paths).
*/
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "dsl/dsl.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static FILE *sink;
    struct dsl_options opt = { .no_model_files = true };
    struct dsl_diag *d = dsl_diag_new();
    struct dsl_module *m = NULL;
    if (sink == NULL)
        sink = fopen("/dev/null", "w");
    if (dsl_check_buffer("fuzz.cep", (const char *)data, size, &opt, d, &m) == DSL_OK) {
        if (sink != NULL)
            dsl_module_dump(m, sink);
        dsl_module_free(m);
    }
    if (sink != NULL) {
        dsl_diag_print(d, sink, DSL_DIAG_TEXT);
        dsl_diag_print(d, sink, DSL_DIAG_JSON);
    }
    dsl_diag_free(d);
    return 0;
}
