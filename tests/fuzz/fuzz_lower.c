/*
** fuzz_lower.c — libFuzzer target for the lowering: any byte string is a
** rule file; when it checks, it is lowered (cep_compile_buffer, model files
** not read), the program must be accepted by the engine's own validation
** (cep_init in exactly cep_state_size() bytes), the report is printed, and
** a few samples are pushed.  A crash, a sanitizer report, a leak, or a
** lowered program the engine rejects is a bug.
*/
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cep/cep.h"
#include "cep/compile/lower.h"
#include "dsl/dsl.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static FILE *sink;
    struct cep_lower_options opt;
    struct dsl_diag *d = dsl_diag_new();
    struct cep_compiled *c;
    memset(&opt, 0, sizeof opt);
    opt.no_model_files = true;
    if (sink == NULL)
        sink = fopen("/dev/null", "w");
    c = cep_compile_buffer("fuzz.cep", (const char *)data, size, &opt, d);
    if (c != NULL) {
        const cep_program *p = cep_compiled_program(c);
        size_t n = cep_state_size(p);
        void *mem;
        cep_ctx *ctx;
        cep_callbacks cb;
        uint32_t t;
        uint16_t i;
        if (n == 0)
            abort();    /* the lowering produced a program the engine rejects */
        mem = aligned_alloc(8, (n + 7) / 8 * 8);
        memset(&cb, 0, sizeof cb);
        cb.infer = cep_compiled_infer;
        cb.user = c;
        if (mem == NULL || cep_init(&ctx, p, mem, n, &cb) != RT_OK)
            abort();
        for (t = 0; t < 8; t++)
            for (i = 0; i < p->n_inputs; i++) {
                uint8_t raw[64];
                memset(raw, (int)(t * 37u + i), sizeof raw);
                if (p->inputs[i].type == CEP_IN_BOOL)
                    memset(raw, (int)(t & 1u), sizeof raw);
                else if (p->inputs[i].type == CEP_IN_F32)
                    for (size_t k = 0; k < 16; k++) {
                        float v = (float)(t * 3u + k) - 4.0f;
                        memcpy(raw + 4 * k, &v, 4);
                    }
                (void)cep_push(ctx, i, t * 250u, raw);
            }
        (void)cep_tick(ctx, 3600000u);
        if (sink != NULL)
            cep_report_print(c, sink);
        free(mem);
        cep_compiled_free(c);
    }
    if (sink != NULL)
        dsl_diag_print(d, sink, DSL_DIAG_TEXT);
    dsl_diag_free(d);
    return 0;
}
