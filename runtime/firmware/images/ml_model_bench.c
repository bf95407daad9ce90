/*
** ml_model_bench.c — one whole int8 model on the device: golden vector 0
** through ml_model_run, the output checked byte for byte against TFLM's
** output for that vector, and the instructions per inference measured.
**
** The model and its data come from sources ml/firmware.mk generates per
** model (never committed: they derive from the shared models): the tables
** of `tinycep model emit-c --name mlb_model`, and data.c with vector 0 of
** the golden inputs.bin (all model inputs concatenated, in input order) and
** of outputs.bin (all outputs concatenated) — every vector when they are
** small, vector 0 at least — and the arena sized exactly
** mlb_model_ARENA_SIZE — the plan's figure, so a run that succeeds proves
** that arena is enough.
**
** Each of MLB_RUNS inferences of vector 0 writes the input (the planner
** may reuse the input's bytes for later tensors), runs under the fw meter
** (only ml_model_run is measured) and checks the output; the results are
** printed after the last run.  Under qemu -icount shift=0 the count is
** deterministic, so min = max (within one tick) is expected and shows it;
** the figure reported is the meter's per-run mean.  Then every vector in
** data.c runs once, unmeasured, and is checked.
**
** Then one more inference op by op (ml_model_run_op), each op measured
** alone: where the instructions go.  Each op's figure is within one tick
** (40 instructions on MPS2) and includes the meter's ~34.
**
** Output: "<model> run <i> ok" / "FAIL ..." lines, "<model> vectors <n>
** ok" / "<model> FAIL: vector <v> ...", the check summary, and
** metadata "# insns ml_model_run total=… per=… max=… min=…",
** "# ml arena=<bytes> consts=<bytes> ops=<n>", and per op
** "# op <i> <kind> insns=<n>".
*/
#include <stddef.h>
#include <stdint.h>

#include "ml/model.h"
#include "runtime/firmware/fw.h"

/* From the generated sources (ml/firmware.mk). */
extern const ml_model mlb_model;
extern const char mlb_name[];
extern const int8_t mlb_input[];
extern const size_t mlb_input_size;
extern const int8_t mlb_expected[];
extern const size_t mlb_expected_size;
extern const uint32_t mlb_vectors;
extern uint32_t mlb_arena[];
extern const size_t mlb_arena_size;

/* Inferences measured: enough to show the count does not vary. */
#define MLB_RUNS 3u

/* Ops profiled one by one (person_detect has 30). */
#define MLB_PROFILE_OPS 64u

/* Writes golden vector v into the model's inputs, in input order; false
   if the sizes disagree. */
static bool mlb_write_input(uint8_t *arena, uint32_t v)
{
    const int8_t *vec = mlb_input + (size_t)v * mlb_input_size;
    size_t used = 0;
    uint32_t i;
    for (i = 0; i < mlb_model.n_inputs; i++) {
        size_t size = 0, k;
        int8_t *in = ml_model_input(&mlb_model, arena, mlb_arena_size, i, &size);
        if (in == NULL || size > mlb_input_size - used)
            return false;
        for (k = 0; k < size; k++)
            in[k] = vec[used + k];
        used += size;
    }
    return used == mlb_input_size;
}

/* Compares the model's outputs, concatenated, with the expected bytes of
   vector v. */
static bool mlb_output_matches(const uint8_t *arena, uint32_t v)
{
    const int8_t *want = mlb_expected + (size_t)v * mlb_expected_size;
    size_t used = 0;
    uint32_t i;
    for (i = 0; i < mlb_model.n_outputs; i++) {
        size_t size = 0, k;
        const int8_t *out = ml_model_output(&mlb_model, arena, mlb_arena_size, i, &size);
        if (out == NULL || size > mlb_expected_size - used)
            return false;
        for (k = 0; k < size; k++)
            if (out[k] != want[used + k])
                return false;
        used += size;
    }
    return used == mlb_expected_size;
}

/* Every golden vector in data.c once (not measured): "<model> vectors
   <n> ok", or the first failing vector. */
static void mlb_all_vectors(uint8_t *arena)
{
    uint32_t v;
    for (v = 0; v < mlb_vectors; v++)
        if (!mlb_write_input(arena, v) ||
            ml_model_run(&mlb_model, arena, mlb_arena_size) != RT_OK ||
            !mlb_output_matches(arena, v))
            break;
    fw_write(mlb_name);
    if (v == mlb_vectors) {
        fw_write(" vectors ");
        fw_put_u32(v);
        fw_write(" ok\n");
    } else {
        fw_write(" FAIL: vector ");
        fw_put_u32(v);
        fw_write(" differs from TFLM's output\n");
    }
    fw_check(v == mlb_vectors, "every golden vector equals TFLM's output");
}

/* One inference op by op, each op timed alone; printed afterwards. */
static void mlb_profile(uint8_t *arena)
{
    static uint64_t ticks[MLB_PROFILE_OPS];
    uint32_t i, n = mlb_model.n_ops < MLB_PROFILE_OPS ? mlb_model.n_ops : MLB_PROFILE_OPS;
    if (!fw_clock_available() || !mlb_write_input(arena, 0))
        return;
    for (i = 0; i < n; i++) {
        fw_meter meter;
        fw_meter_init(&meter);
        fw_meter_start(&meter);
        if (ml_model_run_op(&mlb_model, arena, mlb_arena_size, i) != RT_OK)
            return;
        ticks[i] = fw_meter_stop(&meter);
    }
    for (i = 0; i < n; i++) {
        fw_write("# op ");
        fw_put_u32(i);
        fw_putc(' ');
        fw_write(ml_model_op_kind_name(mlb_model.ops[i].kind));
        fw_write(" insns=");
        fw_put_u64(fw_ticks_to_insns(ticks[i]));
        fw_putc('\n');
    }
}

int fw_main(void)
{
    uint8_t *arena = (uint8_t *)mlb_arena;
    fw_meter meter;
    rt_status status[MLB_RUNS];
    bool ok[MLB_RUNS];
    uint32_t run, runs = 0;

    /* Nothing is printed until every run is done: semihosting output
       between measurements would be time outside the guest's instruction
       stream, and the clock must see only the inferences. */
    fw_meter_init(&meter);
    for (run = 0; run < MLB_RUNS; run++) {
        if (!mlb_write_input(arena, 0))
            break;
        fw_meter_start(&meter);
        status[run] = ml_model_run(&mlb_model, arena, mlb_arena_size);
        (void)fw_meter_stop(&meter);
        ok[run] = status[run] == RT_OK && mlb_output_matches(arena, 0);
        runs++;
    }
    fw_check(mlb_arena_size == mlb_model.arena_size, "arena is the plan's size");
    fw_check(runs == MLB_RUNS, "golden vector size equals the model's inputs");
    for (run = 0; run < runs; run++) {
        fw_write(mlb_name);
        fw_write(" run ");
        fw_put_u32(run);
        if (ok[run]) {
            fw_write(" ok");
        } else {
            fw_write(" FAIL: output differs from TFLM's, status ");
            fw_write(rt_status_str(status[run]));
        }
        fw_putc('\n');
        fw_check(ok[run], "output equals TFLM's golden output");
    }
    mlb_all_vectors(arena);
    fw_meter_report(&meter, "ml_model_run");
    mlb_profile(arena);
    fw_write("# ml arena=");
    fw_put_u32((uint32_t)mlb_arena_size);
    fw_write(" consts=");
    fw_put_u32(mlb_model.consts_size);
    fw_write(" ops=");
    fw_put_u32(mlb_model.n_ops);
    fw_putc('\n');
    return fw_check_summary();
}
