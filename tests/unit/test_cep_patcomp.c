/*
** test_cep_patcomp.c — the pattern compiler (cep_bp_* / cep_b_pattern).
** The first tests rebuild the scenarios of test_cep_patterns.c, whose
** automata were written by hand, from pattern trees, and expect the very
** same alert lines (derivations are in that file).  Then patterns that only
** the compiler builds conveniently: the DESIGN example "fault{3} within 5 s
** then overheat within 60 s", a conjunction of a sequence and an event, and
** the errors.
*/
#include "cep_harness.h"

enum { A, B, C, X };

static uint16_t ev_in;

static void setup_events(harness *h)
{
    static const char *const rpn[4] = { "s0 1 ==", "s0 2 ==", "s0 3 ==", "s0 9 ==" };
    static const char *const names[4] = { "A", "B", "C", "X" };
    uint16_t i, e;
    h_new(h);
    ev_in = cep_b_input(h->b, "ev", CEP_IN_F32, 2, 1, 0);
    for (i = 0; i < 4; i++) {
        e = cep_b_event(h->b, names[i], cep_b_rpn(h->b, rpn[i]), 0);
        cep_b_event_capture(h->b, e, cep_b_rpn(h->b, "s1"));
    }
}

static void occ(harness *h, uint32_t t, int code, float v)
{
    float x[2] = { (float)code, v };
    assert_int_equal(cep_push_f32(h->ctx, ev_in, t, x), RT_OK);
}

#define EV(e) cep_bp_event(h.b, (e), CEP_NONE)

static void sequence_within(void **state)
{
    harness h;
    uint16_t r;
    (void)state;
    setup_events(&h);
    r = cep_b_rule(h.b, "ab", CEP_SEV_WARNING);
    assert_true(cep_b_pattern(h.b, r, cep_bp_within(h.b, cep_bp_seq(h.b, EV(A), EV(B)), 10000)));
    h_start(&h);
    occ(&h, 0, 1, 10);
    occ(&h, 3000, 1, 11);
    occ(&h, 12000, 2, 12);
    occ(&h, 13000, 2, 13);
    assert_string_equal(h.log, "0@12000 warning '' [0@3000(11.00) 1@12000(12.00)]\n");
    assert_int_equal(cep_rule_stats_get(h.ctx, r)->expired, 1);
    h_free(&h);
}

static void conjunction_any_order(void **state)
{
    harness h;
    uint16_t r;
    (void)state;
    setup_events(&h);
    r = cep_b_rule(h.b, "a_and_b", CEP_SEV_WARNING);
    assert_true(cep_b_pattern(h.b, r, cep_bp_within(h.b, cep_bp_and(h.b, EV(A), EV(B)), 5000)));
    h_start(&h);
    occ(&h, 0, 2, 1);
    occ(&h, 2000, 1, 2);
    occ(&h, 10000, 1, 3);
    occ(&h, 16000, 2, 4);
    occ(&h, 20000, 1, 5);
    assert_string_equal(h.log, "0@2000 warning '' [1@0(1.00) 0@2000(2.00)]\n"
                               "0@20000 warning '' [1@16000(4.00) 0@20000(5.00)]\n");
    h_free(&h);
}

static void disjunction(void **state)
{
    harness h;
    uint16_t r;
    (void)state;
    setup_events(&h);
    r = cep_b_rule(h.b, "ab_c", CEP_SEV_INFO);
    assert_true(cep_b_pattern(h.b, r,
        cep_bp_within(h.b, cep_bp_seq(h.b, cep_bp_or(h.b, EV(A), EV(B)), EV(C)), 5000)));
    h_start(&h);
    occ(&h, 0, 2, 1);
    occ(&h, 1000, 3, 2);
    occ(&h, 2000, 1, 3);
    occ(&h, 3000, 3, 4);
    assert_string_equal(h.log, "0@1000 info '' [1@0(1.00) 2@1000(2.00)]\n"
                               "0@3000 info '' [0@2000(3.00) 2@3000(4.00)]\n");
    h_free(&h);
}

static void repetitions(void **state)
{
    harness h;
    uint16_t r1, r2;
    (void)state;
    setup_events(&h);
    r1 = cep_b_rule(h.b, "a3", CEP_SEV_INFO);
    assert_true(cep_b_pattern(h.b, r1, cep_bp_within(h.b, cep_bp_repeat(h.b, EV(A), 3, 3), 5000)));
    h_start(&h);
    occ(&h, 0, 1, 0);
    occ(&h, 4000, 1, 1);
    occ(&h, 6000, 1, 2);
    occ(&h, 7000, 1, 3);
    assert_string_equal(h.log, "0@7000 info '' [0@4000(1.00) 0@6000(2.00) 0@7000(3.00)]\n");
    h_free(&h);

    setup_events(&h);
    r2 = cep_b_rule(h.b, "a23b", CEP_SEV_INFO);
    assert_true(cep_b_pattern(h.b, r2,
        cep_bp_within(h.b, cep_bp_seq(h.b, cep_bp_repeat(h.b, EV(A), 2, 3), EV(B)), 10000)));
    h_start(&h);
    occ(&h, 0, 1, 0);
    occ(&h, 1, 1, 1);
    occ(&h, 2, 1, 2);
    occ(&h, 3, 1, 3);
    occ(&h, 4, 2, 4);
    assert_string_equal(h.log, "0@4 info '' [0@0(0.00) 0@1(1.00) 0@2(2.00) 1@4(4.00)]\n");
    assert_int_equal(h.prog.rules[r2].max_len, 4);
    h_free(&h);
}

static void negation(void **state)
{
    harness h;
    uint16_t r;
    (void)state;
    setup_events(&h);
    r = cep_b_rule(h.b, "a_not_x", CEP_SEV_CRITICAL);
    assert_true(cep_b_pattern(h.b, r, cep_bp_seq(h.b, EV(A), cep_bp_not(h.b, X, CEP_NONE, 3000))));
    cep_b_msg_template(h.b, r, "no X after A={cap0.0:.1f}");
    h_start(&h);
    occ(&h, 0, 1, 1);
    occ(&h, 1000, 9, 0);
    assert_int_equal(cep_tick(h.ctx, 4000), RT_OK);
    occ(&h, 5000, 1, 2);
    assert_int_equal(cep_tick(h.ctx, 8000), RT_OK);
    occ(&h, 10000, 1, 3);
    occ(&h, 13000, 9, 0);
    assert_string_equal(h.log, "0@8000 critical 'no X after A=2.0' [0@5000(2.00)]\n"
                               "0@13000 critical 'no X after A=3.0' [0@10000(3.00)]\n");
    h_free(&h);
}

static void guard(void **state)
{
    harness h;
    uint16_t r;
    (void)state;
    setup_events(&h);
    r = cep_b_rule(h.b, "rising", CEP_SEV_INFO);
    assert_true(cep_b_pattern(h.b, r, cep_bp_within(h.b,
        cep_bp_seq(h.b, EV(A), cep_bp_event(h.b, B, cep_b_rpn(h.b, "cap1.0 cap0.0 >"))), 10000)));
    h_start(&h);
    occ(&h, 0, 1, 5);
    occ(&h, 1000, 2, 3);
    occ(&h, 2000, 2, 7);
    assert_string_equal(h.log, "0@2000 info '' [0@0(5.00) 1@2000(7.00)]\n");
    h_free(&h);
}

/* fault{3} within 5 s then overheat within 60 s (F = A, O = B):
**  F@0 F@1000 F@2000 then O@50000 (48 s after the third F): alert.
**  F@100000 F@101000 F@102000 then O@170000 (68 s): no alert.
**  F@200000 F@203000 F@206000 (6 s span: no) F@207000: the run started at
**  203000 has its third F at 207000 (4 s); O@210000 completes it. */
static void design_example(void **state)
{
    harness h;
    uint16_t r;
    const uint32_t f[] = { 0, 1000, 2000, 100000, 101000, 102000, 200000, 203000, 206000, 207000 };
    unsigned i;
    (void)state;
    setup_events(&h);
    r = cep_b_rule(h.b, "bearing_failure", CEP_SEV_CRITICAL);
    assert_true(cep_b_pattern(h.b, r, cep_bp_after(h.b,
        cep_bp_within(h.b, cep_bp_repeat(h.b, EV(A), 3, 3), 5000), EV(B), 60000)));
    h_start(&h);
    for (i = 0; i < sizeof f / sizeof f[0]; i++) {
        if (f[i] == 100000)
            occ(&h, 50000, 2, 0);
        if (f[i] == 200000)
            occ(&h, 170000, 2, 0);
        occ(&h, f[i], 1, 0);
    }
    occ(&h, 210000, 2, 0);
    assert_string_equal(h.log,
        "0@50000 critical '' [0@0(0.00) 0@1000(0.00) 0@2000(0.00) 1@50000(0.00)]\n"
        "0@210000 critical '' [0@203000(0.00) 0@206000(0.00) 0@207000(0.00) 1@210000(0.00)]\n");
    assert_int_equal(cep_rule_stats_get(h.ctx, r)->overflow, 0);
    h_free(&h);
}

/* (A then B) and C within 10 s: interleavings ABC, ACB, CAB.
** A@0 C@1000 B@2000 → alert; C@20000 A@21000 B@22000 → alert;
** A@40000 B@41000 C@52000 → no (12 s). */
static void conjunction_of_sequence(void **state)
{
    harness h;
    uint16_t r;
    (void)state;
    setup_events(&h);
    r = cep_b_rule(h.b, "abc", CEP_SEV_INFO);
    assert_true(cep_b_pattern(h.b, r, cep_bp_within(h.b,
        cep_bp_and(h.b, cep_bp_seq(h.b, EV(A), EV(B)), EV(C)), 10000)));
    h_start(&h);
    occ(&h, 0, 1, 0);
    occ(&h, 1000, 3, 0);
    occ(&h, 2000, 2, 0);
    occ(&h, 20000, 3, 0);
    occ(&h, 21000, 1, 0);
    occ(&h, 22000, 2, 0);
    occ(&h, 40000, 1, 0);
    occ(&h, 41000, 2, 0);
    occ(&h, 52000, 3, 0);
    assert_string_equal(h.log, "0@2000 info '' [0@0(0.00) 2@1000(0.00) 1@2000(0.00)]\n"
                               "0@22000 info '' [2@20000(0.00) 0@21000(0.00) 1@22000(0.00)]\n");
    h_free(&h);
}

static void errors(void **state)
{
    harness h;
    uint16_t r;
    (void)state;
    setup_events(&h);
    r = cep_b_rule(h.b, "bad", CEP_SEV_INFO);
    assert_false(cep_b_pattern(h.b, r, cep_bp_not(h.b, X, CEP_NONE, 1000)));
    assert_string_equal(cep_b_error(h.b), "a negation must follow an event");
    h_free(&h);
    setup_events(&h);
    r = cep_b_rule(h.b, "bad", CEP_SEV_INFO);
    assert_false(cep_b_pattern(h.b, r, cep_bp_repeat(h.b, EV(A), 0, 2)));
    assert_true(strstr(cep_b_error(h.b), "repetition") != NULL);
    h_free(&h);
    setup_events(&h);
    r = cep_b_rule(h.b, "bad", CEP_SEV_INFO);
    assert_false(cep_b_pattern(h.b, r, cep_bp_repeat(h.b, cep_bp_or(h.b, EV(A), EV(B)), 1, 7)));
    assert_true(strstr(cep_b_error(h.b), "alternatives") != NULL);
    h_free(&h);
    setup_events(&h);
    r = cep_b_rule(h.b, "bad", CEP_SEV_INFO);
    assert_false(cep_b_pattern(h.b, r, cep_bp_seq(h.b, EV(A), NULL)));
    h_free(&h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(sequence_within),
        cmocka_unit_test(conjunction_any_order),
        cmocka_unit_test(disjunction),
        cmocka_unit_test(repetitions),
        cmocka_unit_test(negation),
        cmocka_unit_test(guard),
        cmocka_unit_test(design_example),
        cmocka_unit_test(conjunction_of_sequence),
        cmocka_unit_test(errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
