/*
** model_table.c — the infer callback over a table of compiled int8 models
** (see model_table.h).  Bounded work: two copies of the model's edges plus
** one ml_model_run().
*/
#include "ml/model_table.h"

#include "ml/model.h"

rt_status ml_model_table_infer(const ml_model_table *t, uint16_t model, const int8_t *in,
                               size_t n_in, int8_t *out, size_t n_out)
{
    const ml_model *m;
    uint8_t *arena;
    size_t arena_size, in_size = 0, out_size = 0, i;
    int8_t *dst;
    const int8_t *src;
    rt_status st;

    if (t == NULL || in == NULL || out == NULL)
        return RT_ERR_ARG;
    if (model >= t->n || t->models == NULL || t->arenas == NULL || t->arena_sizes == NULL)
        return RT_ERR_RANGE;
    m = t->models[model];
    arena = t->arenas[model];
    arena_size = t->arena_sizes[model];
    if (m == NULL || arena == NULL || m->n_inputs != 1u || m->n_outputs != 1u)
        return RT_ERR_ARG;
    /* A float32 edge (scale 0) would need floats, not the engine's int8. */
    if (m->inputs[0].scale == 0.0f || m->outputs[0].scale == 0.0f)
        return RT_ERR_ARG;
    dst = ml_model_input(m, arena, arena_size, 0, &in_size);
    if (dst == NULL || in_size != n_in)
        return RT_ERR_ARG;
    for (i = 0; i < n_in; i++)
        dst[i] = in[i];
    st = ml_model_run(m, arena, arena_size);
    if (st != RT_OK)
        return st;
    src = ml_model_output(m, arena, arena_size, 0, &out_size);
    if (src == NULL || out_size != n_out)
        return RT_ERR_ARG;
    for (i = 0; i < n_out; i++)
        out[i] = src[i];
    return RT_OK;
}

rt_status ml_model_table_infer_cb(void *user, uint16_t model, const int8_t *in, size_t n_in,
                                  int8_t *out, size_t n_out)
{
    return ml_model_table_infer((const ml_model_table *)user, model, in, n_in, out, n_out);
}
