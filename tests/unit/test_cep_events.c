/*
** test_cep_events.c — every event kind on small traces with hand-derived
** occurrences.  Each event feeds a one-event rule so that occurrences show
** up as alert lines "<rule>@<t> <sev> '<msg>' [<event>@<t>(caps)]".
*/
#include "cep_harness.h"

/* overheat when temp > 85 for 10 s clear when temp < 80 (RISE).
** t=1000 86: condition true, timer starts; t=11000: the timer (deadline
** 1000+10000) fires before the sample at 11000 is stored, so the message
** shows the previous value 90.0; 12000 82: no clear yet (hysteresis);
** 13000 79 clears; 14000 86 starts again, the tick at 24000 fires it;
** 30000 90 starts, 35000 84 breaks the duration, 41000 90 restarts:
** nothing at tick 50000, fires at 51000. */
static void for_and_hysteresis(void **state)
{
    harness h;
    uint16_t in, e, r;
    (void)state;
    h_new(&h);
    in = cep_b_input(h.b, "temp", CEP_IN_F32, 1, 1, 1000000);
    e = cep_b_event(h.b, "overheat", cep_b_rpn(h.b, "s0 85 >"), CEP_EVF_RISE);
    cep_b_event_for(h.b, e, 10000);
    cep_b_event_clear(h.b, e, cep_b_rpn(h.b, "s0 80 <"));
    r = cep_b_rule(h.b, "hot", CEP_SEV_WARNING);
    cep_b_pat_single(h.b, r, e);
    cep_b_msg_template(h.b, r, "overheat {s0:.1f}");
    h_start(&h);
    h_f32(&h, in, 0, 80);
    h_f32(&h, in, 1000, 86);
    h_f32(&h, in, 5000, 90);
    h_f32(&h, in, 11000, 87);
    h_f32(&h, in, 12000, 82);
    h_f32(&h, in, 13000, 79);
    h_f32(&h, in, 14000, 86);
    assert_int_equal(cep_tick(h.ctx, 24000), RT_OK);
    h_f32(&h, in, 24500, 70);
    h_f32(&h, in, 30000, 90);
    h_f32(&h, in, 35000, 84);
    h_f32(&h, in, 41000, 90);
    assert_int_equal(cep_tick(h.ctx, 50000), RT_OK);
    assert_int_equal(h.alerts, 2);
    assert_int_equal(cep_tick(h.ctx, 51000), RT_OK);
    assert_string_equal(h.log,
        "0@11000 warning 'overheat 90.0' [0@11000]\n"
        "0@24000 warning 'overheat 86.0' [0@24000]\n"
        "0@51000 warning 'overheat 90.0' [0@51000]\n");
    h_free(&h);
}

/* A plain predicate (no RISE) occurs at every evaluation while true. */
static void each_evaluation(void **state)
{
    harness h;
    uint16_t in, e, r;
    (void)state;
    h_new(&h);
    in = cep_b_input(h.b, "temp", CEP_IN_F32, 1, 1, 0);
    e = cep_b_event(h.b, "hot", cep_b_rpn(h.b, "s0 85 >"), 0);
    r = cep_b_rule(h.b, "r", CEP_SEV_INFO);
    cep_b_pat_single(h.b, r, e);
    cep_b_msg_template(h.b, r, "{s0:d}");
    h_start(&h);
    h_f32(&h, in, 0, 86);
    h_f32(&h, in, 1, 87);
    h_f32(&h, in, 2, 80);
    h_f32(&h, in, 3, 88);
    assert_string_equal(h.log, "0@0 info '86' [0@0]\n0@1 info '87' [0@1]\n0@3 info '88' [0@3]\n");
    h_free(&h);
}

/* opened when valve becomes true (RISE|PRIOR): the first sample (true)
** only records the level; false at 100, true at 200 fires; true again at
** 300 does not; false 400, true 500 fires.  A second input whose first
** sample is false fires on its first true (at 150). */
static void becomes_edge(void **state)
{
    harness h;
    uint16_t v, w, e1, e2, r;
    (void)state;
    h_new(&h);
    v = cep_b_input(h.b, "valve", CEP_IN_BOOL, 1, 1, 0);
    w = cep_b_input(h.b, "door", CEP_IN_BOOL, 1, 1, 0);
    e1 = cep_b_event(h.b, "opened", cep_b_rpn(h.b, "s0"), CEP_EVF_RISE | CEP_EVF_PRIOR);
    e2 = cep_b_event(h.b, "door_open", cep_b_rpn(h.b, "s1"), CEP_EVF_RISE | CEP_EVF_PRIOR);
    r = cep_b_rule(h.b, "r1", CEP_SEV_INFO);
    cep_b_pat_single(h.b, r, e1);
    r = cep_b_rule(h.b, "r2", CEP_SEV_INFO);
    cep_b_pat_single(h.b, r, e2);
    h_start(&h);
    assert_int_equal(cep_push_bool(h.ctx, v, 0, true), RT_OK);
    assert_int_equal(cep_push_bool(h.ctx, w, 50, false), RT_OK);
    assert_int_equal(cep_push_bool(h.ctx, v, 100, false), RT_OK);
    assert_int_equal(cep_push_bool(h.ctx, w, 150, true), RT_OK);
    assert_int_equal(cep_push_bool(h.ctx, v, 200, true), RT_OK);
    assert_int_equal(cep_push_bool(h.ctx, v, 300, true), RT_OK);
    assert_int_equal(cep_push_bool(h.ctx, v, 400, false), RT_OK);
    assert_int_equal(cep_push_bool(h.ctx, v, 500, true), RT_OK);
    assert_string_equal(h.log, "1@150 info '' [1@150]\n0@200 info '' [0@200]\n0@500 info '' [0@500]\n");
    h_free(&h);
}

/* unusual when x > 4 in 3 of 5.  Values 5 0 5 0 5 0 5 at t = 0..6.
** History (newest last): t4 10101 has 3 → rises (RISE variant fires at 4);
** t5 01010 has 2 → inactive; t6 10101 → fires at 6.  The every-evaluation
** variant fires at 4 and 6 too (at 5 the level is false).  Then 5 5 5 5 at
** t = 10..13: the last five raw values are 0 1 0 1 1 (3 true), 1 0 1 1 1,
** 0 1 1 1 1, 1 1 1 1 1 — the level stays true from t6 on, so the RISE
** variant does not fire again while the every-evaluation variant fires at
** 10, 11, 12 and 13. */
static void k_of_n(void **state)
{
    harness h;
    uint16_t in, er, ee, r;
    const float xs[7] = { 5, 0, 5, 0, 5, 0, 5 };
    unsigned i;
    (void)state;
    h_new(&h);
    in = cep_b_input(h.b, "x", CEP_IN_F32, 1, 1, 0);
    er = cep_b_event(h.b, "rise", cep_b_rpn(h.b, "s0 4 >"), CEP_EVF_RISE);
    cep_b_event_kofn(h.b, er, 3, 5);
    ee = cep_b_event(h.b, "each", cep_b_rpn(h.b, "s0 4 >"), 0);
    cep_b_event_kofn(h.b, ee, 3, 5);
    r = cep_b_rule(h.b, "r1", CEP_SEV_INFO);
    cep_b_pat_single(h.b, r, er);
    r = cep_b_rule(h.b, "r2", CEP_SEV_INFO);
    cep_b_pat_single(h.b, r, ee);
    h_start(&h);
    for (i = 0; i < 7; i++)
        h_f32(&h, in, i, xs[i]);
    for (i = 10; i < 14; i++)
        h_f32(&h, in, i, 5);
    assert_int_equal(cep_event_count(h.ctx, er), 2);
    assert_int_equal(cep_event_count(h.ctx, ee), 6);
    assert_string_equal(h.log,
        "0@4 info '' [0@4]\n1@4 info '' [1@4]\n"
        "0@6 info '' [0@6]\n1@6 info '' [1@6]\n"
        "1@10 info '' [1@10]\n"
        "1@11 info '' [1@11]\n1@12 info '' [1@12]\n1@13 info '' [1@13]\n");
    h_free(&h);
}

/* fault(c) when cls == c, one event per class c = 0..2 (parameter c); the
** rule watches fault(1) and the capture records the parameter. */
static void parameterised_family(void **state)
{
    harness h;
    uint16_t in, e[3], r, c;
    (void)state;
    h_new(&h);
    in = cep_b_input(h.b, "cls", CEP_IN_F32, 1, 1, 0);
    for (c = 0; c < 3; c++) {
        e[c] = cep_b_event(h.b, "fault", cep_b_rpn(h.b, "s0 param =="), 0);
        cep_b_event_param(h.b, e[c], (float)c);
        cep_b_event_capture(h.b, e[c], cep_b_rpn(h.b, "param"));
    }
    r = cep_b_rule(h.b, "r", CEP_SEV_CRITICAL);
    cep_b_pat_single(h.b, r, e[1]);
    cep_b_msg_template(h.b, r, "class {cap1.0:d}");
    h_start(&h);
    h_f32(&h, in, 0, 1);
    h_f32(&h, in, 100, 2);
    h_f32(&h, in, 200, 1);
    assert_string_equal(h.log, "0@0 critical 'class 1' [1@0(1.00)]\n0@200 critical 'class 1' [1@200(1.00)]\n");
    h_free(&h);
}

/* absent temp for 10 s, absent other for 5 s; the clock starts at 0 with a
** temp sample.  The tick to 9999 fires other (never seen: reference is the
** first clock value, deadline 5000); tick 10000 fires temp (gap of exactly
** 10 s counts).  temp at 12000 re-arms; 15000 re-arms again; tick 24999:
** nothing; tick 25000 fires (15000 + 10000). */
static void watchdog(void **state)
{
    harness h;
    uint16_t temp, other, w1, w2, r;
    (void)state;
    h_new(&h);
    temp = cep_b_input(h.b, "temp", CEP_IN_F32, 1, 1, 0);
    other = cep_b_input(h.b, "other", CEP_IN_F32, 1, 1, 0);
    w1 = cep_b_watchdog(h.b, "silent", temp, 10000);
    w2 = cep_b_watchdog(h.b, "other_silent", other, 5000);
    r = cep_b_rule(h.b, "r1", CEP_SEV_WARNING);
    cep_b_pat_single(h.b, r, w1);
    r = cep_b_rule(h.b, "r2", CEP_SEV_WARNING);
    cep_b_pat_single(h.b, r, w2);
    h_start(&h);
    h_f32(&h, temp, 0, 20);
    assert_int_equal(cep_tick(h.ctx, 9999), RT_OK);
    assert_string_equal(h.log, "1@5000 warning '' [1@5000]\n");
    assert_int_equal(cep_tick(h.ctx, 10000), RT_OK);
    h_f32(&h, temp, 12000, 20);
    h_f32(&h, temp, 15000, 20);
    assert_int_equal(cep_tick(h.ctx, 24999), RT_OK);
    assert_int_equal(h.alerts, 2);
    assert_int_equal(cep_tick(h.ctx, 25000), RT_OK);
    assert_string_equal(h.log, "1@5000 warning '' [1@5000]\n0@10000 warning '' [0@10000]\n"
                               "0@25000 warning '' [0@25000]\n");
    (void)other;
    h_free(&h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(for_and_hysteresis),
        cmocka_unit_test(each_evaluation),
        cmocka_unit_test(becomes_edge),
        cmocka_unit_test(k_of_n),
        cmocka_unit_test(parameterised_family),
        cmocka_unit_test(watchdog),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
