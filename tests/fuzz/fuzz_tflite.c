/*
** fuzz_tflite.c — libFuzzer target for the .tflite importer (untrusted input).
**
** Every input goes through ml_graph_read(); a graph that reads is compiled
** with ml_graph_compile() and, when the compiled model is small enough to
** run quickly, executed once on a zeroed arena.  The invariants: no crash,
** no out-of-bounds access, no leak, no undefined behaviour (ASan + UBSan),
** and every rejection carries a message.
*/
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ml/import/import.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ml_import_error err;
    ml_graph *g = ml_graph_read(data, size, &err);
    ml_compiled *c;
    if (g == NULL) {
        if (err.msg[0] == '\0')
            abort();                    /* a rejection must say why */
        return 0;
    }
    c = ml_graph_compile(g, &err);
    if (c == NULL) {
        if (err.msg[0] == '\0' || strncmp(err.msg, "internal error", 14) == 0)
            abort();
    } else if (c->model.arena_size <= (1u << 20) && c->macs <= 20000000L) {
        uint8_t *arena = calloc(c->model.arena_size + 4u, 1);
        if (arena != NULL) {
            rt_status s = ml_model_run(&c->model, arena, c->model.arena_size);
            (void)s;                    /* kernels may reject odd params; fine */
            free(arena);
        }
    }
    ml_compiled_free(c);
    ml_graph_free(g);
    return 0;
}
