/*
** test_cep_patterns.c — every pattern operator and policy, rate limits and
** cooldowns, on small traces with hand-derived alerts.
**
** The test program has one input "ev" with two components: a code that
** selects which event occurs (A=1, B=2, C=3, X=9; events 0..3, each
** occurring at every sample with its code) and a value every event
** captures.  Alert lines read "<rule>@<t> <sev> '<msg>' [<event>@<t>(cap)…]"
** with events A=0, B=1, C=2, X=3.
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
        assert_int_equal(e, i);
        cep_b_event_capture(h->b, e, cep_b_rpn(h->b, "s1"));
    }
}

static void occ(harness *h, uint32_t t, int code, float v)
{
    float x[2] = { (float)code, v };
    assert_int_equal(cep_push_f32(h->ctx, ev_in, t, x), RT_OK);
}

/* A then B within 10 s.  A@0 and A@3000 start two runs; B@12000 is 12 s
** after the first (its run expired at the clock advance: counted) and 9 s
** after the second: one alert with A@3000, B@12000.  The match clears the
** rule, so B@13000 matches nothing. */
static void sequence_within(void **state)
{
    harness h;
    uint16_t r, seq[2] = { A, B };
    (void)state;
    setup_events(&h);
    r = cep_b_rule(h.b, "ab", CEP_SEV_WARNING);
    cep_b_pat_seq(h.b, r, seq, 2, 10000);
    h_start(&h);
    occ(&h, 0, 1, 10);
    occ(&h, 3000, 1, 11);
    occ(&h, 12000, 2, 12);
    occ(&h, 13000, 2, 13);
    assert_string_equal(h.log, "0@12000 warning '' [0@3000(11.00) 1@12000(12.00)]\n");
    assert_int_equal(cep_rule_stats_get(h.ctx, r)->expired, 1);
    assert_int_equal(cep_rule_stats_get(h.ctx, r)->matches, 1);
    h_free(&h);
}

/* A and B within 5 s, any order: S0 -A-> S1 -B-> ACC, S0 -B-> S2 -A-> ACC.
** B@0, A@2000 → alert.  A@10000, B@16000: 6 s apart, no alert (the run of
** A expires); B@16000 starts a run that A@20000 completes (4 s). */
static void conjunction_any_order(void **state)
{
    harness h;
    uint16_t r, s0, s1, s2, acc;
    (void)state;
    setup_events(&h);
    r = cep_b_rule(h.b, "a_and_b", CEP_SEV_WARNING);
    s0 = cep_b_state(h.b, CEP_PS_WAIT);
    s1 = cep_b_state(h.b, CEP_PS_WAIT);
    s2 = cep_b_state(h.b, CEP_PS_WAIT);
    acc = cep_b_state(h.b, CEP_PS_ACCEPT);
    cep_b_rule_start(h.b, r, s0);
    cep_b_trans(h.b, s0, A, s1, CEP_NONE, 0, CEP_NOREG, 0, 0);
    cep_b_trans(h.b, s0, B, s2, CEP_NONE, 0, CEP_NOREG, 0, 0);
    cep_b_trans(h.b, s1, B, acc, CEP_NONE, CEP_NOREG, 0, 5000, 0);
    cep_b_trans(h.b, s2, A, acc, CEP_NONE, CEP_NOREG, 0, 5000, 0);
    cep_b_state_deadline(h.b, s1, 0, 5000);
    cep_b_state_deadline(h.b, s2, 0, 5000);
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

/* (A or B) then C within 5 s: B@0 C@1000 → alert; A@2000 C@3000 → alert. */
static void disjunction(void **state)
{
    harness h;
    uint16_t r, s0, s1, acc;
    (void)state;
    setup_events(&h);
    r = cep_b_rule(h.b, "ab_c", CEP_SEV_INFO);
    s0 = cep_b_state(h.b, CEP_PS_WAIT);
    s1 = cep_b_state(h.b, CEP_PS_WAIT);
    acc = cep_b_state(h.b, CEP_PS_ACCEPT);
    cep_b_rule_start(h.b, r, s0);
    cep_b_trans(h.b, s0, A, s1, CEP_NONE, 0, CEP_NOREG, 0, 0);
    cep_b_trans(h.b, s0, B, s1, CEP_NONE, 0, CEP_NOREG, 0, 0);
    cep_b_trans(h.b, s1, C, acc, CEP_NONE, CEP_NOREG, 0, 5000, 0);
    cep_b_state_deadline(h.b, s1, 0, 5000);
    h_start(&h);
    occ(&h, 0, 2, 1);
    occ(&h, 1000, 3, 2);
    occ(&h, 2000, 1, 3);
    occ(&h, 3000, 3, 4);
    assert_string_equal(h.log, "0@1000 info '' [1@0(1.00) 2@1000(2.00)]\n"
                               "0@3000 info '' [0@2000(3.00) 2@3000(4.00)]\n");
    h_free(&h);
}

/* A{3} within 5 s (unrolled: S0 -A-> S1 -A-> S2 -A-> ACC, checks on reg0).
** A@0 starts r1; A@4000 advances r1 and starts r2; A@6000 cannot advance
** r1 (6 s > 5 s), advances r2, starts r3; A@7000 completes r2:
** [A@4000 A@6000 A@7000]. */
static void repetition_exact(void **state)
{
    harness h;
    uint16_t r, s[4], i;
    (void)state;
    setup_events(&h);
    r = cep_b_rule(h.b, "a3", CEP_SEV_INFO);
    for (i = 0; i < 3; i++)
        s[i] = cep_b_state(h.b, CEP_PS_WAIT);
    s[3] = cep_b_state(h.b, CEP_PS_ACCEPT);
    cep_b_rule_start(h.b, r, s[0]);
    cep_b_trans(h.b, s[0], A, s[1], CEP_NONE, 0, CEP_NOREG, 0, 0);
    for (i = 1; i < 3; i++) {
        cep_b_trans(h.b, s[i], A, s[i + 1], CEP_NONE, CEP_NOREG, 0, 5000, 0);
        cep_b_state_deadline(h.b, s[i], 0, 5000);
    }
    h_start(&h);
    occ(&h, 0, 1, 0);
    occ(&h, 4000, 1, 1);
    occ(&h, 6000, 1, 2);
    occ(&h, 7000, 1, 3);
    assert_string_equal(h.log, "0@7000 info '' [0@4000(1.00) 0@6000(2.00) 0@7000(3.00)]\n");
    h_free(&h);
}

/* A{2,3} then B within 10 s: S0 -A-> S1 -A-> S2; S2 -A-> S3 (greedy, first
** transition), S2 -B-> ACC; S3 -B-> ACC.  A@0..A@3 then B@4: r1 (from A@0)
** is in S3 after A@2 and ignores A@3 (skip till next match); B@4 completes
** r1, r2 (A@1: S3) and r3 (A@2: S2); the oldest, r1, wins:
** [A@0 A@1 A@2 B@4]. */
static void repetition_range(void **state)
{
    harness h;
    uint16_t r, s0, s1, s2, s3, acc;
    (void)state;
    setup_events(&h);
    r = cep_b_rule(h.b, "a23b", CEP_SEV_INFO);
    s0 = cep_b_state(h.b, CEP_PS_WAIT);
    s1 = cep_b_state(h.b, CEP_PS_WAIT);
    s2 = cep_b_state(h.b, CEP_PS_WAIT);
    s3 = cep_b_state(h.b, CEP_PS_WAIT);
    acc = cep_b_state(h.b, CEP_PS_ACCEPT);
    cep_b_rule_start(h.b, r, s0);
    cep_b_trans(h.b, s0, A, s1, CEP_NONE, 0, CEP_NOREG, 0, 0);
    cep_b_trans(h.b, s1, A, s2, CEP_NONE, CEP_NOREG, 0, 10000, 0);
    cep_b_trans(h.b, s2, A, s3, CEP_NONE, CEP_NOREG, 0, 10000, 0);
    cep_b_trans(h.b, s2, B, acc, CEP_NONE, CEP_NOREG, 0, 10000, 0);
    cep_b_trans(h.b, s3, B, acc, CEP_NONE, CEP_NOREG, 0, 10000, 0);
    h_start(&h);
    occ(&h, 0, 1, 0);
    occ(&h, 1, 1, 1);
    occ(&h, 2, 1, 2);
    occ(&h, 3, 1, 3);
    occ(&h, 4, 2, 4);
    assert_string_equal(h.log, "0@4 info '' [0@0(0.00) 0@1(1.00) 0@2(2.00) 1@4(4.00)]\n");
    assert_int_equal(h.prog.rules[r].max_len, 4);
    h_free(&h);
}

/* A then not X within 3 s: S0 -A-> S1 (reg0); S1 NEG(reg0, 3000) → ACC;
** S1 -X-> KILL.  A@0, X@1000: killed.  A@5000, tick 8000: the window
** [5000, 8000) closed without X: alert at 8000.  A@10000, X@13000: the
** window [10000, 13000) closes before the sample at 13000 is processed,
** so the alert fires at 13000 and X is too late to cancel it. */
static void negation(void **state)
{
    harness h;
    uint16_t r, s0, s1, acc;
    (void)state;
    setup_events(&h);
    r = cep_b_rule(h.b, "a_not_x", CEP_SEV_CRITICAL);
    s0 = cep_b_state(h.b, CEP_PS_WAIT);
    s1 = cep_b_state(h.b, CEP_PS_WAIT);
    acc = cep_b_state(h.b, CEP_PS_ACCEPT);
    cep_b_rule_start(h.b, r, s0);
    cep_b_trans(h.b, s0, A, s1, CEP_NONE, 0, CEP_NOREG, 0, 0);
    cep_b_trans(h.b, s1, X, s1, CEP_NONE, CEP_NOREG, CEP_NOREG, 0, CEP_PT_KILL);
    cep_b_state_neg(h.b, s1, 0, 3000, acc);
    cep_b_msg_template(h.b, r, "no X after A={cap0.0:.1f}");
    h_start(&h);
    occ(&h, 0, 1, 1);
    occ(&h, 1000, 9, 0);
    assert_int_equal(cep_tick(h.ctx, 4000), RT_OK);
    assert_int_equal(h.alerts, 0);
    occ(&h, 5000, 1, 2);
    assert_int_equal(cep_tick(h.ctx, 7999), RT_OK);
    assert_int_equal(h.alerts, 0);
    assert_int_equal(cep_tick(h.ctx, 8000), RT_OK);
    occ(&h, 10000, 1, 3);
    occ(&h, 13000, 9, 0);
    assert_string_equal(h.log, "0@8000 critical 'no X after A=2.0' [0@5000(2.00)]\n"
                               "0@13000 critical 'no X after A=3.0' [0@10000(3.00)]\n");
    h_free(&h);
}

/* A then B where B.value > A.value within 10 s (guard on captures):
** A(5)@0, B(3)@1000 fails the guard and is skipped, B(7)@2000 matches. */
static void cross_event_guard(void **state)
{
    harness h;
    uint16_t r, s0, s1, acc;
    (void)state;
    setup_events(&h);
    r = cep_b_rule(h.b, "rising", CEP_SEV_INFO);
    s0 = cep_b_state(h.b, CEP_PS_WAIT);
    s1 = cep_b_state(h.b, CEP_PS_WAIT);
    acc = cep_b_state(h.b, CEP_PS_ACCEPT);
    cep_b_rule_start(h.b, r, s0);
    cep_b_trans(h.b, s0, A, s1, CEP_NONE, 0, CEP_NOREG, 0, 0);
    cep_b_trans(h.b, s1, B, acc, cep_b_rpn(h.b, "cap1.0 cap0.0 >"), CEP_NOREG, 0, 10000, 0);
    cep_b_msg_template(h.b, r, "from {cap0.0:d} to {cap1.0:d} in {capt1:.1f} s");
    h_start(&h);
    occ(&h, 0, 1, 5);
    occ(&h, 1000, 2, 3);
    occ(&h, 2000, 2, 7);
    assert_string_equal(h.log, "0@2000 info 'from 5 to 7 in 2.0 s' [0@0(5.00) 1@2000(7.00)]\n");
    h_free(&h);
}

/* The same pattern A then B under both policies.  Trace A@0 C@500 A@1000
** B@1500.  skip-till-next-match: C is ignored, A@1000 starts a second run,
** B completes the oldest: [A@0 B@1500].  strict contiguity: C is not in the
** rule's alphabet (ignored), but A@1000 is and cannot advance the first run,
** which dies; B completes the run of A@1000: [A@1000 B@1500]. */
static void policies(void **state)
{
    harness h;
    uint16_t r1, r2, seq[2] = { A, B };
    (void)state;
    setup_events(&h);
    r1 = cep_b_rule(h.b, "next", CEP_SEV_INFO);
    cep_b_pat_seq(h.b, r1, seq, 2, 10000);
    r2 = cep_b_rule(h.b, "strict", CEP_SEV_INFO);
    cep_b_pat_seq(h.b, r2, seq, 2, 10000);
    cep_b_rule_policy(h.b, r2, CEP_POL_STRICT, false);
    h_start(&h);
    occ(&h, 0, 1, 0);
    occ(&h, 500, 3, 0);
    occ(&h, 1000, 1, 1);
    occ(&h, 1500, 2, 2);
    assert_string_equal(h.log, "0@1500 info '' [0@0(0.00) 1@1500(2.00)]\n"
                               "1@1500 info '' [0@1000(1.00) 1@1500(2.00)]\n");
    h_free(&h);
}

/* A then B then C where C.value > B.value, built by hand: s0 -A-> s1 -B->
** s2 -C[cap2.0 > cap1.0]-> ACC, with policy pol (| CEP_POL_ALL if all). */
static uint16_t abc_rising(harness *h, const char *name, cep_policy pol, bool all)
{
    uint16_t r = cep_b_rule(h->b, name, CEP_SEV_INFO);
    uint16_t s0 = cep_b_state(h->b, CEP_PS_WAIT), s1 = cep_b_state(h->b, CEP_PS_WAIT);
    uint16_t s2 = cep_b_state(h->b, CEP_PS_WAIT), acc = cep_b_state(h->b, CEP_PS_ACCEPT);
    cep_b_rule_start(h->b, r, s0);
    cep_b_trans(h->b, s0, A, s1, CEP_NONE, 0, CEP_NOREG, 0, 0);
    cep_b_trans(h->b, s1, B, s2, CEP_NONE, CEP_NOREG, 0, 10000, 0);
    cep_b_trans(h->b, s2, C, acc, cep_b_rpn(h->b, "cap2.0 cap1.0 >"), CEP_NOREG, 0, 10000, 0);
    cep_b_rule_policy(h->b, r, pol, all);
    return r;
}

/* Skip-till-any-match against skip-till-next-match, first and all matches,
** on A(0)@0 B(5)@100 B(1)@200 C(3)@300 C(6)@400 for "A then B then C where
** C > B":
**  - next first (rule 0): the run takes B(5) and ignores B(1); C(3) fails
**    the guard (3 > 5 is false) and is ignored; C(6) completes
**    [A@0 B@100(5) C@400(6)].
**  - any first (rule 1): A starts run a; B(5) forks a into b = [A B5] (a
**    stays [A]); B(1) forks a into c = [A B1]; b ignores B.  C(3): b's
**    guard fails, c's holds: c completes [A@0 B@200(1) C@300(3)], and
**    reporting the first match discards every run.  C(6) finds none.
**  - any all (rule 2): the same until C(3), which completes c (reported)
**    and keeps it.  C(6) completes b (6 > 5) and c (6 > 1), oldest first:
**    [A@0 B@100(5) C@400(6)] then [A@0 B@200(1) C@400(6)].
**  - next all (rule 3): one run, [A B5]; C(6) completes it, as rule 0.
** Alerts of one occurrence come in rule order; rule 2's two at 400 in the
** order of their runs' creation. */
static void any_and_all(void **state)
{
    harness h;
    uint16_t r;
    (void)state;
    setup_events(&h);
    abc_rising(&h, "next_first", CEP_POL_NEXT, false);
    abc_rising(&h, "any_first", CEP_POL_ANY, false);
    r = abc_rising(&h, "any_all", CEP_POL_ANY, true);
    abc_rising(&h, "next_all", CEP_POL_NEXT, true);
    h_start(&h);
    occ(&h, 0, 1, 0);
    occ(&h, 100, 2, 5);
    occ(&h, 200, 2, 1);
    occ(&h, 300, 3, 3);
    occ(&h, 400, 3, 6);
    assert_string_equal(h.log,
                        "1@300 info '' [0@0(0.00) 1@200(1.00) 2@300(3.00)]\n"
                        "2@300 info '' [0@0(0.00) 1@200(1.00) 2@300(3.00)]\n"
                        "0@400 info '' [0@0(0.00) 1@100(5.00) 2@400(6.00)]\n"
                        "2@400 info '' [0@0(0.00) 1@100(5.00) 2@400(6.00)]\n"
                        "2@400 info '' [0@0(0.00) 1@200(1.00) 2@400(6.00)]\n"
                        "3@400 info '' [0@0(0.00) 1@100(5.00) 2@400(6.00)]\n");
    /* rule 2 keeps its three runs ([A], [A B5], [A B1]): none was consumed */
    assert_int_equal(cep_rule_partials(h.ctx, r, NULL, 0), 3);
    assert_int_equal(cep_rule_stats_get(h.ctx, r)->matches, 3);
    assert_int_equal(cep_rule_stats_get(h.ctx, r)->overflow, 0);
    h_free(&h);
}

/* Overlapping matches: A then B within 10 s on A@0 A@100 B@200.  First
** match: the oldest run completes, [A@0 B@200], and the rule is cleared.
** All matches: both runs complete at B, oldest first. */
static void all_matches_overlap(void **state)
{
    harness h;
    uint16_t r, seq[2] = { A, B };
    (void)state;
    setup_events(&h);
    r = cep_b_rule(h.b, "first", CEP_SEV_INFO);
    cep_b_pat_seq(h.b, r, seq, 2, 10000);
    r = cep_b_rule(h.b, "all", CEP_SEV_INFO);
    cep_b_pat_seq(h.b, r, seq, 2, 10000);
    cep_b_rule_policy(h.b, r, CEP_POL_NEXT, true);
    h_start(&h);
    occ(&h, 0, 1, 0);
    occ(&h, 100, 1, 1);
    occ(&h, 200, 2, 2);
    assert_string_equal(h.log, "0@200 info '' [0@0(0.00) 1@200(2.00)]\n"
                               "1@200 info '' [0@0(0.00) 1@200(2.00)]\n"
                               "1@200 info '' [0@100(1.00) 1@200(2.00)]\n");
    assert_int_equal(cep_rule_partials(h.ctx, r, NULL, 0), 0);
    h_free(&h);
}

/* Skip-till-any-match with a pool of 2: A@0 starts a; B(5)@100 forks a
** into b (the free slot).  B(1)@200: a forks again, the pool is full and
** its oldest run is a itself, so a takes the step in place ([A B1]; one
** overflow) and b = [A B5] stays.  C(3)@300: a completes (3 > 1), b does
** not (3 > 5 is false): [A@0 B@200(1) C@300(3)]. */
static void any_pool_full(void **state)
{
    harness h;
    uint16_t r;
    (void)state;
    setup_events(&h);
    r = abc_rising(&h, "any", CEP_POL_ANY, false);
    cep_b_rule_pool(h.b, r, 2);
    h_start(&h);
    occ(&h, 0, 1, 0);
    occ(&h, 100, 2, 5);
    assert_int_equal(cep_rule_partials(h.ctx, r, NULL, 0), 2);
    occ(&h, 200, 2, 1);
    assert_int_equal(cep_rule_stats_get(h.ctx, r)->overflow, 1);
    occ(&h, 300, 3, 3);
    assert_string_equal(h.log, "0@300 info '' [0@0(0.00) 1@200(1.00) 2@300(3.00)]\n");
    h_free(&h);
}

/* Pool of 2 runs for A then B: A@0, A@1, A@2 — the third start drops the
** oldest run (A@0) and counts an overflow; B@3 completes [A@1 B@3]. */
static void pool_overflow(void **state)
{
    harness h;
    uint16_t r, seq[2] = { A, B };
    (void)state;
    setup_events(&h);
    r = cep_b_rule(h.b, "ab", CEP_SEV_INFO);
    cep_b_pat_seq(h.b, r, seq, 2, 10000);
    cep_b_rule_pool(h.b, r, 2);
    h_start(&h);
    occ(&h, 0, 1, 0);
    occ(&h, 1, 1, 1);
    occ(&h, 2, 1, 2);
    {
        /* before B: two partial matches, A@1 then A@2, oldest first */
        cep_partial pm[4];
        size_t len;
        assert_int_equal(cep_rule_partials(h.ctx, r, pm, 4), 2);
        assert_int_equal(pm[0].t_first, 1);
        assert_int_equal(pm[1].t_first, 2);
        assert_int_equal(pm[1].n_events, 1);
        assert_int_equal(pm[1].last_event, A);
        assert_int_equal(cep_rule_partials(h.ctx, r, pm, 1), 2);
        assert_memory_equal(cep_program_name(&h.prog, h.prog.rules[r].name, &len), "ab", 2);
        assert_int_equal(len, 2);
    }
    occ(&h, 3, 2, 3);
    assert_string_equal(h.log, "0@3 info '' [0@1(1.00) 1@3(3.00)]\n");
    assert_int_equal(cep_rule_partials(h.ctx, r, NULL, 0), 0);
    assert_int_equal(cep_rule_stats_get(h.ctx, r)->overflow, 1);
    h_free(&h);
}

/* limit 2 per 1000 ms on single A: A at 0 100 200 900 1000 1100.
** 0, 100 delivered; 200 and 900 have two alerts in the preceding 1000 ms
** (0, 100): suppressed; 1000: the oldest counted alert (0) is 1000 ms old,
** outside the window: delivered; 1100: the older of (100, 1000) is 1000 ms
** old: delivered.  cooldown 500 on a second rule: A at 0 200 499 500 900
** 1001 gives 0, 500 (500 ms after 0: allowed), 1001 (501 after 500). */
static void limit_and_cooldown(void **state)
{
    harness h;
    uint16_t r1, r2;
    const uint32_t ts[] = { 0, 100, 200, 499, 500, 900, 1000, 1001, 1100 };
    unsigned i;
    (void)state;
    setup_events(&h);
    r1 = cep_b_rule(h.b, "limited", CEP_SEV_INFO);
    cep_b_pat_single(h.b, r1, A);
    cep_b_rule_limit(h.b, r1, 2, 1000);
    r2 = cep_b_rule(h.b, "cool", CEP_SEV_INFO);
    cep_b_pat_single(h.b, r2, B);
    cep_b_rule_cooldown(h.b, r2, 500);
    h_start(&h);
    for (i = 0; i < sizeof ts / sizeof ts[0]; i++) {
        uint32_t t = ts[i];
        if (t == 0 || t == 100 || t == 200 || t == 900 || t == 1000 || t == 1100)
            occ(&h, t, 1, 0);
        if (t == 0 || t == 200 || t == 499 || t == 500 || t == 900 || t == 1001)
            occ(&h, t, 2, 0);
    }
    assert_string_equal(h.log,
        "0@0 info '' [0@0(0.00)]\n1@0 info '' [1@0(0.00)]\n0@100 info '' [0@100(0.00)]\n"
        "1@500 info '' [1@500(0.00)]\n0@1000 info '' [0@1000(0.00)]\n1@1001 info '' [1@1001(0.00)]\n"
        "0@1100 info '' [0@1100(0.00)]\n");
    assert_int_equal(cep_rule_stats_get(h.ctx, r1)->suppressed, 2);
    assert_int_equal(cep_rule_stats_get(h.ctx, r2)->suppressed, 3);
    h_free(&h);
}

/* {expr:s}-style names: the captured value picks a class name; out of
** range gives "?". */
static void message_names(void **state)
{
    harness h;
    uint16_t r, first;
    (void)state;
    setup_events(&h);
    first = cep_b_name(h.b, "normal");
    cep_b_name(h.b, "inner");
    cep_b_name(h.b, "outer");
    r = cep_b_rule(h.b, "cls", CEP_SEV_INFO);
    cep_b_pat_single(h.b, r, A);
    cep_b_msg_text(h.b, r, "class ");
    cep_b_msg_name(h.b, r, cep_b_rpn(h.b, "cap0.0"), first, 3);
    h_start(&h);
    occ(&h, 0, 1, 2);
    occ(&h, 1, 1, 3);
    occ(&h, 2, 1, -1);
    assert_string_equal(h.log, "0@0 info 'class outer' [0@0(2.00)]\n0@1 info 'class ?' [0@1(3.00)]\n"
                               "0@2 info 'class ?' [0@2(-1.00)]\n");
    h_free(&h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(sequence_within),
        cmocka_unit_test(conjunction_any_order),
        cmocka_unit_test(disjunction),
        cmocka_unit_test(repetition_exact),
        cmocka_unit_test(repetition_range),
        cmocka_unit_test(negation),
        cmocka_unit_test(cross_event_guard),
        cmocka_unit_test(policies),
        cmocka_unit_test(any_and_all),
        cmocka_unit_test(all_matches_overlap),
        cmocka_unit_test(any_pool_full),
        cmocka_unit_test(pool_overflow),
        cmocka_unit_test(limit_and_cooldown),
        cmocka_unit_test(message_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
