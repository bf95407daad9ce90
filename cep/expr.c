/*
** expr.c — the expression VM: a small stack machine over float that
** evaluates event predicates, pattern guards, captures and message values
** (opcodes: CEP_OPCODE_LIST in program.h).  Programs are checked once by
** cep_expr_check() at cep_init(), so evaluation does no bounds checks on
** operands and its stack can neither under- nor overflow.
*/
#include "cep/internal.h"

static const uint8_t op_pops[CEP_OP_COUNT_] = {
#define CEP_X(name, pops, pushes) pops,
    CEP_OPCODE_LIST(CEP_X)
#undef CEP_X
};
static const uint8_t op_pushes[CEP_OP_COUNT_] = {
#define CEP_X(name, pops, pushes) pushes,
    CEP_OPCODE_LIST(CEP_X)
#undef CEP_X
};

rt_status cep_expr_check(const cep_program *p, uint16_t expr)
{
    const cep_expr *e;
    uint32_t i, depth = 0;
    if (expr >= p->n_exprs)
        return RT_ERR_RANGE;
    e = &p->exprs[expr];
    if (e->len == 0 || (uint32_t)e->first + e->len > p->n_code)
        return RT_ERR_FORMAT;
    for (i = e->first; i < (uint32_t)e->first + e->len; i++) {
        const cep_insn *in = &p->code[i];
        if (in->op >= CEP_OP_COUNT_)
            return RT_ERR_FORMAT;
        switch ((cep_opcode)in->op) {
        case CEP_OP_CONST: if (in->b >= p->n_consts) return RT_ERR_RANGE; break;
        case CEP_OP_LOAD:  if (in->b >= p->n_slots) return RT_ERR_RANGE; break;
        case CEP_OP_CAP:
        case CEP_OP_CAPT:  if (in->b >= p->n_events) return RT_ERR_RANGE; break;
        default: break;
        }
        if (depth < op_pops[in->op])
            return RT_ERR_FORMAT;
        depth = depth - op_pops[in->op] + op_pushes[in->op];
        if (depth > CEP_MAX_STACK)
            return RT_ERR_FORMAT;
    }
    return depth == 1 ? RT_OK : RT_ERR_FORMAT;
}

/* The latest occurrence of event `ev` in the match: the candidate first,
** then the recorded entries newest first.  Returns its index in the run,
** -1 for the candidate, -2 if absent. */
static int find_occ(const cep_env *env, uint16_t ev)
{
    int i;
    if (env->cand && env->cand->event == ev)
        return -1;
    if (!env->run)
        return -2;
    for (i = (int)env->run->len - 1; i >= 0; i--)
        if (env->run->ev[i] == ev)
            return i;
    return -2;
}

static float load_cap(const cep_program *p, const cep_env *env, uint8_t a, uint16_t ev)
{
    int i = find_occ(env, ev);
    if (i == -1)
        return a < env->cand->n_caps ? env->cand->caps[a] : cep_nan();
    if (i < 0 || a >= p->events[ev].cap_count || a >= env->stride)
        return cep_nan();
    return env->run->caps[(size_t)i * env->stride + a];
}

static float load_capt(const cep_env *env, uint16_t ev)
{
    int i = find_occ(env, ev);
    uint32_t t, first;
    if (i == -2)
        return cep_nan();
    t = i == -1 ? env->cand->t : env->run->t[i];
    first = (env->run && env->run->len > 0) ? env->run->t[0] : t;
    return (float)cep_tdiff(t, first) / 1000.0f;
}

float cep_expr_eval(const cep_program *p, uint16_t expr, const cep_env *env)
{
    float st[CEP_MAX_STACK];
    unsigned sp = 0;
    const cep_expr *e = &p->exprs[expr];
    uint32_t i;
    for (i = e->first; i < (uint32_t)e->first + e->len; i++) {
        const cep_insn *in = &p->code[i];
        float x, y;
        switch ((cep_opcode)in->op) {
        case CEP_OP_CONST: st[sp++] = p->consts[in->b]; continue;
        case CEP_OP_LOAD:  st[sp++] = env->slots[in->b]; continue;
        case CEP_OP_CAP:   st[sp++] = load_cap(p, env, in->a, in->b); continue;
        case CEP_OP_CAPT:  st[sp++] = load_capt(env, in->b); continue;
        case CEP_OP_PARAM: st[sp++] = env->param; continue;
        case CEP_OP_NEG:   st[sp - 1] = -st[sp - 1]; continue;
        case CEP_OP_ABS:   x = st[sp - 1]; st[sp - 1] = x < 0.0f ? -x : x; continue;
        case CEP_OP_NOT:   st[sp - 1] = cep_truth(st[sp - 1]) ? 0.0f : 1.0f; continue;
        default: break;
        }
        y = st[--sp];
        x = st[sp - 1];
        switch ((cep_opcode)in->op) {
        case CEP_OP_ADD: x = x + y; break;
        case CEP_OP_SUB: x = x - y; break;
        case CEP_OP_MUL: x = x * y; break;
        case CEP_OP_DIV: x = x / y; break;
        /* min/max propagate NaN so that "not available" is never hidden */
        case CEP_OP_MIN: x = (cep_isnan(x) || cep_isnan(y)) ? cep_nan() : (y < x ? y : x); break;
        case CEP_OP_MAX: x = (cep_isnan(x) || cep_isnan(y)) ? cep_nan() : (y > x ? y : x); break;
        case CEP_OP_LT:  x = x < y ? 1.0f : 0.0f; break;
        case CEP_OP_LE:  x = x <= y ? 1.0f : 0.0f; break;
        case CEP_OP_GT:  x = x > y ? 1.0f : 0.0f; break;
        case CEP_OP_GE:  x = x >= y ? 1.0f : 0.0f; break;
        case CEP_OP_EQ:  x = x == y ? 1.0f : 0.0f; break;
        case CEP_OP_NE:  x = (x < y || x > y) ? 1.0f : 0.0f; break;
        case CEP_OP_AND: x = (cep_truth(x) && cep_truth(y)) ? 1.0f : 0.0f; break;
        case CEP_OP_OR:  x = (cep_truth(x) || cep_truth(y)) ? 1.0f : 0.0f; break;
        default: break;
        }
        st[sp - 1] = x;
    }
    return st[0];
}
