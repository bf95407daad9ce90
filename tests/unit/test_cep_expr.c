/*
** test_cep_expr.c — the expression VM: every opcode against its definition
** in program.h (IEEE comparisons false on NaN, truth = non-zero and not
** NaN, min/max propagate NaN), captures, and the static checker that
** rejects malformed code before it can run.
*/
#include <math.h>

#include "cep_harness.h"
#include "cep/internal.h"

static float eval(const char *rpn, float s0, float s1)
{
    cep_builder *b = cep_b_new();
    cep_program p;
    float slots[2] = { s0, s1 };
    cep_env env = { slots, 7.0f, NULL, 0, NULL };
    uint16_t e;
    float v;
    cep_b_input(b, "x", CEP_IN_F32, 2, 1, 0);
    e = cep_b_rpn(b, rpn);
    assert_int_not_equal(e, CEP_NONE);
    assert_true(cep_b_finish(b, &p));
    assert_int_equal(cep_expr_check(&p, e), RT_OK);
    v = cep_expr_eval(&p, e, &env);
    cep_b_free(b);
    return v;
}

static void arithmetic_and_logic(void **state)
{
    (void)state;
    assert_float_equal(eval("s0 s1 +", 1.5f, 2), 3.5, 0);
    assert_float_equal(eval("s0 s1 -", 1.5f, 2), -0.5, 0);
    assert_float_equal(eval("s0 s1 *", 1.5f, 2), 3, 0);
    assert_float_equal(eval("s0 s1 /", 1.5f, 2), 0.75, 0);
    assert_float_equal(eval("s0 neg", 1.5f, 0), -1.5, 0);
    assert_float_equal(eval("s0 abs", -1.5f, 0), 1.5, 0);
    assert_float_equal(eval("s0 s1 min", 1, 2), 1, 0);
    assert_float_equal(eval("s0 s1 max", 1, 2), 2, 0);
    assert_float_equal(eval("param 1 +", 0, 0), 8, 0);          /* param = 7 */
    assert_float_equal(eval("s0 s1 <", 1, 2), 1, 0);
    assert_float_equal(eval("s0 s1 <=", 2, 2), 1, 0);
    assert_float_equal(eval("s0 s1 >", 1, 2), 0, 0);
    assert_float_equal(eval("s0 s1 >=", 2, 2), 1, 0);
    assert_float_equal(eval("s0 s1 ==", 2, 2), 1, 0);
    assert_float_equal(eval("s0 s1 !=", 2, 3), 1, 0);
    assert_float_equal(eval("s0 s1 and", 2, 0), 0, 0);
    assert_float_equal(eval("s0 s1 or", 2, 0), 1, 0);
    assert_float_equal(eval("s0 not", 0, 0), 1, 0);
    assert_float_equal(eval("s0 2 / 0 >", 0, 0), 0, 0);         /* 0/2 = 0, not > 0 */
    assert_true(isinf(eval("1 s0 /", 0, 0)));                    /* IEEE division by zero */
}

/* NaN ("not available yet"): every comparison false, != included; and/or
** treat it as false; not NaN is true; min/max give NaN. */
static void nan_semantics(void **state)
{
    (void)state;
    assert_float_equal(eval("s0 1 <", NAN, 0), 0, 0);
    assert_float_equal(eval("s0 1 >=", NAN, 0), 0, 0);
    assert_float_equal(eval("s0 1 ==", NAN, 0), 0, 0);
    assert_float_equal(eval("s0 1 !=", NAN, 0), 0, 0);
    assert_float_equal(eval("s0 1 and", NAN, 0), 0, 0);
    assert_float_equal(eval("s0 1 or", NAN, 0), 1, 0);
    assert_float_equal(eval("s0 0 or", NAN, 0), 0, 0);
    assert_float_equal(eval("s0 not", NAN, 0), 1, 0);
    assert_true(isnan(eval("s0 1 min", NAN, 0)));
    assert_true(isnan(eval("1 s0 max", NAN, 0)));
    assert_true(isnan(eval("s0 1 +", NAN, 0)));
}

/* CAP/CAPT read the candidate first, then the run newest first; missing
** events and capture indices beyond the event's count give NaN. */
static void captures(void **state)
{
    cep_builder *b = cep_b_new();
    cep_program p;
    float slots[1] = { 0 }, caps[4] = { 10, 11, 20, 21 }, cand_caps[2] = { 30, 31 };
    uint16_t ev[2] = { 0, 1 };
    uint32_t ts[2] = { 1000, 3500 };
    cep_run run;
    cep_occ cand = { 1, 2, 4000, cand_caps };
    cep_env env = { slots, 0, &run, 2, NULL };
    uint16_t e0, e1, x0, x1, x2, x3, x4;
    (void)state;
    cep_b_input(b, "x", CEP_IN_F32, 1, 1, 0);
    e0 = cep_b_event(b, "a", cep_b_rpn(b, "s0"), 0);
    e1 = cep_b_event(b, "b", cep_b_rpn(b, "s0"), 0);
    cep_b_event_capture(b, e0, cep_b_rpn(b, "s0"));
    cep_b_event_capture(b, e0, cep_b_rpn(b, "s0"));
    cep_b_event_capture(b, e1, cep_b_rpn(b, "s0"));
    cep_b_event_capture(b, e1, cep_b_rpn(b, "s0"));
    x0 = cep_b_rpn(b, "cap0.1");
    x1 = cep_b_rpn(b, "cap1.0");
    x2 = cep_b_rpn(b, "capt1");
    x3 = cep_b_rpn(b, "cap0.2");
    x4 = cep_b_rpn(b, "capt0");
    assert_true(cep_b_finish(b, &p));
    memset(&run, 0, sizeof run);
    run.len = 2;
    run.ev = ev;
    run.t = ts;
    run.caps = caps;
    assert_float_equal(cep_expr_eval(&p, x0, &env), 11, 0);
    assert_float_equal(cep_expr_eval(&p, x1, &env), 20, 0);
    assert_float_equal(cep_expr_eval(&p, x2, &env), 2.5, 0);    /* 3500 - 1000 ms */
    assert_true(isnan(cep_expr_eval(&p, x3, &env)));            /* event a has 2 captures */
    assert_float_equal(cep_expr_eval(&p, x4, &env), 0, 0);
    env.cand = &cand;
    assert_float_equal(cep_expr_eval(&p, x1, &env), 30, 0);     /* candidate first */
    assert_float_equal(cep_expr_eval(&p, x2, &env), 3, 0);
    run.len = 0;
    env.cand = NULL;
    assert_true(isnan(cep_expr_eval(&p, x1, &env)));
    cep_b_free(b);
}

/* The checker: stack underflow, leftover values, overflow beyond 16, bad
** opcodes and out-of-range operands are rejected; cep_init rejects a
** program containing one. */
static void checker(void **state)
{
    cep_builder *b = cep_b_new();
    cep_program p;
    uint16_t ok, under, two, deep, i;
    (void)state;
    cep_b_input(b, "x", CEP_IN_F32, 1, 1, 0);
    ok = cep_b_rpn(b, "s0 1 +");
    under = cep_b_rpn(b, "s0 +");
    two = cep_b_rpn(b, "s0 1");
    cep_b_expr_begin(b);
    for (i = 0; i < 17; i++)
        cep_b_op(b, CEP_OP_LOAD, 0, 0);
    for (i = 0; i < 16; i++)
        cep_b_op(b, CEP_OP_ADD, 0, 0);
    deep = cep_b_expr_end(b);
    assert_true(cep_b_finish(b, &p));
    assert_int_equal(cep_expr_check(&p, ok), RT_OK);
    assert_int_equal(cep_expr_check(&p, under), RT_ERR_FORMAT);
    assert_int_equal(cep_expr_check(&p, two), RT_ERR_FORMAT);
    assert_int_equal(cep_expr_check(&p, deep), RT_ERR_FORMAT);
    assert_int_equal(cep_expr_check(&p, 99), RT_ERR_RANGE);
    /* a program containing malformed expressions is rejected as a whole */
    assert_int_equal(cep_state_size(&p), 0);
    cep_b_free(b);

    /* a valid program, then the same with one operand or opcode corrupted */
    b = cep_b_new();
    cep_b_input(b, "x", CEP_IN_F32, 1, 1, 0);
    ok = cep_b_rpn(b, "s0 1 +");
    assert_true(cep_b_finish(b, &p));
    assert_true(cep_state_size(&p) > 0);
    {
        cep_insn code[8];
        cep_program q = p;
        memcpy(code, p.code, sizeof(cep_insn) * p.n_code);
        q.code = code;
        code[p.exprs[ok].first].b = 5;                 /* slot 5 does not exist */
        assert_int_equal(cep_expr_check(&q, ok), RT_ERR_RANGE);
        assert_int_equal(cep_state_size(&q), 0);
        code[p.exprs[ok].first].b = 0;
        code[p.exprs[ok].first].op = CEP_OP_COUNT_;    /* no such opcode */
        assert_int_equal(cep_expr_check(&q, ok), RT_ERR_FORMAT);
        assert_int_equal(cep_state_size(&q), 0);
        code[p.exprs[ok].first].op = CEP_OP_LOAD;
        assert_true(cep_state_size(&q) > 0);
    }
    cep_b_free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(arithmetic_and_logic),
        cmocka_unit_test(nan_semantics),
        cmocka_unit_test(captures),
        cmocka_unit_test(checker),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
