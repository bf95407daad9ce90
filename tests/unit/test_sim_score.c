/*
** test_sim_score.c — every metric of docs/scoring.md on hand-derived cases,
** the degenerate ones (no events, no alerts, alerts everywhere, a perfect
** detector), summing over traces, the JSON output, and the "alert all the
** time" detector on SKAB valve1/0.csv checked against label counts made
** independently in this file (published: F1 about 0.52, FAR 100 %).
*/
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>
#include <cmocka.h>

#include "sim/sim.h"

#define EPS 1e-6

/* The shared fixture: ten samples one second apart,
**   index   0 1 2 3 4 5 6 7 8 9
**   label   0 0 1 1 1 0 0 1 1 0
** so two events: [2 s, 4 s] (rows 2..4) and [7 s, 8 s] (rows 7..8). */
static const int64_t T[10] = {0, 1000, 2000, 3000, 4000, 5000, 6000, 7000,
                              8000, 9000};
static const int8_t L[10] = {0, 0, 1, 1, 1, 0, 0, 1, 1, 0};

/* NAB's scaled sigmoid, written out again here for the expected values. */
static double S(double x)
{
    return x >= 3.0 ? -1.0 : 2.0 / (1.0 + exp(5.0 * x)) - 1.0;
}

static void hand_case_until_normal(void **state)
{
    /* Alerts at 3.0 s, 5.5 s, 9.0 s.
    ** Point-wise, hold until the next normal sample:
    **   3.0 s lands on row 3 (label 1): marks rows 3, 4 (row 5 is normal)
    **   5.5 s lands on row 6 (first row >= 5.5 s, label 0): marks row 6
    **   9.0 s lands on row 9 (label 0): marks row 9
    **   predicted {3,4,6,9}, labelled {2,3,4,7,8}
    **   TP {3,4} = 2, FP {6,9} = 2, FN {2,7,8} = 3, TN {0,1,5} = 3
    **   precision 2/4, recall 2/5, F1 2*2/(2*2+2+3) = 4/9, FAR 2/5, MAR 3/5
    ** Event-wise: 3.0 s is inside [2,4] (delay 1 s); 5.5 s and 9.0 s are
    **   outside both events: 2 false alarms; event [7,8] missed.
    ** NAB (n = 10, probation floor(1.5) = 1 row):
    **   row 3 in window rows 2..4 (width 3): pos -(4-3+1)/3 = -2/3,
    **     score S(-2/3)/S(-1)
    **   row 6 after window ending at row 4 (width 3): pos (6-4)/(3-1) = 1,
    **     score 0.11 S(1)
    **   row 9 after window ending at row 8 (width 2): pos (9-8)/(2-1) = 1,
    **     score 0.11 S(1)
    **   window 2 missed: -1
    **   null = -2, perfect = 2 (both windows start after the probation)
    */
    int64_t al[3] = {9000, 3000, 5500};         /* any order */
    sim_metrics m;
    sim_err err;
    double raw = S(-2.0 / 3.0) / S(-1.0) + 2 * 0.11 * S(1.0) - 1.0;
    (void)state;
    assert_int_equal(sim_score(T, L, 10, NULL, 0, al, 3, NULL, &m, &err), 0);
    assert_int_equal(m.tp, 2);
    assert_int_equal(m.fp, 2);
    assert_int_equal(m.fn, 3);
    assert_int_equal(m.tn, 3);
    assert_float_equal(m.precision, 0.5, EPS);
    assert_float_equal(m.recall, 0.4, EPS);
    assert_float_equal(m.f1, 4.0 / 9.0, EPS);
    assert_float_equal(m.far, 0.4, EPS);
    assert_float_equal(m.mar, 0.6, EPS);
    assert_int_equal(m.events, 2);
    assert_int_equal(m.detected, 1);
    assert_int_equal(m.missed, 1);
    assert_int_equal(m.false_alarms, 2);
    assert_float_equal(m.mean_delay_s, 1.0, EPS);
    assert_float_equal(m.nab_raw, raw, EPS);
    /* numerically: raw = 0.943742 - 0.217055 - 1 = -0.273313 */
    assert_float_equal(m.nab_raw, -0.273313, 1e-5);
    assert_float_equal(m.nab_null, -2.0, EPS);
    assert_float_equal(m.nab_perfect, 2.0, EPS);
    assert_float_equal(m.nab_score, 100.0 * (raw + 2.0) / 4.0, EPS);
    {
        sim_buf b = {0};
        assert_int_equal(sim_metrics_text(&m, &b), 0);
        assert_string_equal(b.data,
            "point-wise: TP 2  FP 2  FN 3  TN 3  precision 0.500  recall 0.400  "
            "F1 0.444  FAR 40.0 %  MAR 60.0 %\n"
            "event-wise: 2 events, 1 detected, 1 missed, 2 false alarms, mean "
            "delay 1.000 s\n"
            "NAB: score 43.17 (raw -0.273, null -2.000, perfect 2.000)\n");
        sim_buf_free(&b);
    }
}

static void hand_case_fixed_hold(void **state)
{
    /* Same alerts, hold 1.5 s: an alert marks its first row and every row
    ** with t - ta <= 1500 ms:
    **   3.0 s: rows 3 (0), 4 (1000)          5.5 s: rows 6 (500), 7 (1500)
    **   9.0 s: row 9
    **   predicted {3,4,6,7,9}: TP {3,4,7} = 3, FP {6,9} = 2,
    **   FN {2,8} = 2, TN {0,1,5} = 3; F1 = 6/(6+2+2) = 0.6 */
    int64_t al[3] = {3000, 5500, 9000};
    sim_score_opts o;
    sim_metrics m;
    sim_err err;
    (void)state;
    sim_score_opts_default(&o);
    o.hold = SIM_HOLD_FIXED;
    o.hold_ms = 1500;
    assert_int_equal(sim_score(T, L, 10, NULL, 0, al, 3, &o, &m, &err), 0);
    assert_int_equal(m.tp, 3);
    assert_int_equal(m.fp, 2);
    assert_int_equal(m.fn, 2);
    assert_int_equal(m.tn, 3);
    assert_float_equal(m.f1, 0.6, EPS);
    /* hold 0: only the landing rows 3, 6, 9: TP 1, FP 2, FN 4, TN 3 */
    o.hold_ms = 0;
    assert_int_equal(sim_score(T, L, 10, NULL, 0, al, 3, &o, &m, &err), 0);
    assert_int_equal(m.tp, 1);
    assert_int_equal(m.fp, 2);
    assert_int_equal(m.fn, 4);
    assert_int_equal(m.tn, 3);
}

static void windows_equal_labels(void **state)
{
    /* The windows [2 s, 4 s] and [7 s, 8 s] label exactly rows 2..4 and
    ** 7..8, so every metric equals the label case.  A third window
    ** [2.5 s, 3.5 s] overlaps the first and is merged into it. */
    sim_window w[3] = {{7000, 8000}, {2000, 4000}, {2500, 3500}};
    int64_t al[3] = {3000, 5500, 9000};
    sim_metrics a, b;
    sim_err err;
    (void)state;
    assert_int_equal(sim_score(T, L, 10, NULL, 0, al, 3, NULL, &a, &err), 0);
    assert_int_equal(sim_score(T, NULL, 10, w, 3, al, 3, NULL, &b, &err), 0);
    assert_int_equal(b.events, 2);
    assert_int_equal(a.tp, b.tp);
    assert_int_equal(a.fp, b.fp);
    assert_int_equal(a.fn, b.fn);
    assert_int_equal(a.tn, b.tn);
    assert_int_equal(a.false_alarms, b.false_alarms);
    assert_float_equal(a.nab_raw, b.nab_raw, EPS);
    assert_float_equal(a.nab_perfect, b.nab_perfect, EPS);
    /* a window between samples (5.2 s .. 5.8 s) holds no row: it is an
    ** event (it can be detected by an alert inside it) but NAB cannot
    ** score it: null = 0, perfect = A_TP x 1 window as in NAB's runner.
    ** The alert lands on row 6 (6 s), which for NAB is a detection before
    ** any non-empty window: raw = -0.11, score 100 (-0.11 - 0)/(1 - 0) */
    {
        sim_window e[1] = {{5200, 5800}};
        int64_t x[1] = {5500};
        assert_int_equal(sim_score(T, NULL, 10, e, 1, x, 1, NULL, &b, &err), 0);
        assert_int_equal(b.events, 1);
        assert_int_equal(b.detected, 1);
        assert_float_equal(b.mean_delay_s, 0.3, EPS);
        assert_float_equal(b.nab_null, 0.0, EPS);
        assert_float_equal(b.nab_perfect, 1.0, EPS);
        assert_float_equal(b.nab_raw, -0.11, EPS);
        assert_float_equal(b.nab_score, -11.0, EPS);
    }
}

static void degenerate(void **state)
{
    static const int8_t zero[10] = {0};
    int64_t all[10];
    int64_t starts[2] = {2000, 7000};
    sim_metrics m;
    sim_err err;
    sim_buf js = {0};
    int i;
    (void)state;
    for (i = 0; i < 10; i++)
        all[i] = T[i];
    /* no events, no alerts: 10 TN; precision, recall, F1, MAR undefined
    ** (0/0), FAR 0/10 = 0; NAB null = perfect = 0: score undefined */
    assert_int_equal(sim_score(T, zero, 10, NULL, 0, NULL, 0, NULL, &m, &err), 0);
    assert_int_equal(m.tn, 10);
    assert_true(isnan(m.precision) && isnan(m.recall) && isnan(m.f1) &&
                isnan(m.mar));
    assert_float_equal(m.far, 0.0, EPS);
    assert_int_equal(m.events, 0);
    assert_true(isnan(m.mean_delay_s));
    assert_true(isnan(m.nab_score));
    assert_int_equal(sim_metrics_json(&m, &js), 0);
    assert_string_equal(js.data,
        "{\"samples\":10,\"alerts\":0,\"tp\":0,\"fp\":0,\"fn\":0,\"tn\":10,"
        "\"precision\":null,\"recall\":null,\"f1\":null,\"far\":0.000000,"
        "\"mar\":null,\"events\":0,\"detected\":0,\"missed\":0,"
        "\"false_alarms\":0,\"mean_delay_s\":null,\"nab_raw\":0.000000,"
        "\"nab_null\":0.000000,\"nab_perfect\":0.000000,\"nab_score\":null}\n");
    sim_buf_free(&js);
    /* no events, one alert: FP 1, FAR 1/10, one false alarm; NAB: row 5
    ** is after the probation (1 row) and before any window: -0.11 */
    {
        int64_t x[1] = {5000};
        assert_int_equal(sim_score(T, zero, 10, NULL, 0, x, 1, NULL, &m, &err), 0);
        assert_int_equal(m.fp, 1);
        assert_float_equal(m.far, 0.1, EPS);
        assert_int_equal(m.false_alarms, 1);
        assert_float_equal(m.nab_raw, -0.11, EPS);
    }
    /* events but no alerts (the null detector): FN 5, TN 5, recall 0,
    ** F1 0/(0+0+5) = 0, MAR 1, FAR 0, precision undefined; NAB raw equals
    ** the null score, so the normalised score is exactly 0 */
    assert_int_equal(sim_score(T, L, 10, NULL, 0, NULL, 0, NULL, &m, &err), 0);
    assert_int_equal(m.fn, 5);
    assert_int_equal(m.tn, 5);
    assert_float_equal(m.recall, 0.0, EPS);
    assert_float_equal(m.f1, 0.0, EPS);
    assert_float_equal(m.mar, 1.0, EPS);
    assert_true(isnan(m.precision));
    assert_int_equal(m.missed, 2);
    assert_float_equal(m.nab_score, 0.0, EPS);
    /* an alert at every sample: TP 5 FP 5 FN 0 TN 0: precision 0.5,
    ** recall 1, F1 10/15, FAR 1, MAR 0; both events detected at their
    ** first row (delay 0); alerts on the 5 normal rows are false alarms */
    assert_int_equal(sim_score(T, L, 10, NULL, 0, all, 10, NULL, &m, &err), 0);
    assert_int_equal(m.tp, 5);
    assert_int_equal(m.fp, 5);
    assert_float_equal(m.f1, 10.0 / 15.0, EPS);
    assert_float_equal(m.far, 1.0, EPS);
    assert_float_equal(m.mar, 0.0, EPS);
    assert_int_equal(m.detected, 2);
    assert_float_equal(m.mean_delay_s, 0.0, EPS);
    assert_int_equal(m.false_alarms, 5);
    /* the perfect detector: one alert at each window start: NAB 100;
    ** point-wise, until-normal hold covers both events: F1 1 */
    assert_int_equal(sim_score(T, L, 10, NULL, 0, starts, 2, NULL, &m, &err), 0);
    assert_float_equal(m.nab_score, 100.0, EPS);
    assert_float_equal(m.f1, 1.0, EPS);
    assert_int_equal(m.false_alarms, 0);
    /* an alert only in the probationary row 0: ignored by NAB (score 0),
    ** still a false positive point-wise */
    {
        int64_t x[1] = {0};
        assert_int_equal(sim_score(T, L, 10, NULL, 0, x, 1, NULL, &m, &err), 0);
        assert_float_equal(m.nab_score, 0.0, EPS);
        assert_int_equal(m.fp, 1);
    }
    /* no samples at all */
    assert_int_equal(sim_score(T, L, 0, NULL, 0, NULL, 0, NULL, &m, &err), 0);
    assert_int_equal(m.samples, 0);
    /* times going backwards are refused */
    {
        int64_t bad[3] = {0, 2000, 1000};
        assert_int_equal(sim_score(bad, L, 3, NULL, 0, NULL, 0, NULL, &m, &err), -1);
        assert_non_null(strstr(err.msg, "backwards at sample 2"));
    }
}

static void nab_probation_and_far_fp(void **state)
{
    /* 100 rows, 1 s apart; probation floor(15) = 15 rows.  One window on
    ** rows 40..49 (width 10).  Alerts:
    **   row 10: probationary, ignored
    **   row 20: before any window: -0.11
    **   row 45: in the window: pos -(49-45+1)/10 = -0.5: S(-0.5)/S(-1)
    **   row 42 is earlier in the same window: pos -(49-42+1)/10 = -0.8,
    **     which wins (the window keeps its best, i.e. earliest, detection)
    **   row 55: (55-49)/(10-1) = 2/3 past the window: 0.11 S(2/3)
    **   row 90: (90-49)/9 = 4.56 >= 3: 0.11 * -1 */
    int64_t t[100], al[5] = {10000, 20000, 45000, 42000, 55000};
    int64_t al2[6];
    sim_window w[1] = {{40000, 49000}};
    sim_metrics m;
    sim_err err;
    double expect;
    int i;
    (void)state;
    for (i = 0; i < 100; i++)
        t[i] = i * 1000;
    expect = -0.11 + S(-0.8) / S(-1.0) + 0.11 * S(2.0 / 3.0);
    assert_int_equal(sim_score(t, NULL, 100, w, 1, al, 5, NULL, &m, &err), 0);
    assert_float_equal(m.nab_raw, expect, EPS);
    memcpy(al2, al, sizeof al);
    al2[5] = 90000;
    assert_int_equal(sim_score(t, NULL, 100, w, 1, al2, 6, NULL, &m, &err), 0);
    assert_float_equal(m.nab_raw, expect - 0.11, EPS);
    /* event-wise delay is from the first alert inside: 42 s - 40 s */
    assert_float_equal(m.mean_delay_s, 2.0, EPS);
    assert_int_equal(m.false_alarms, 4);    /* 10, 20, 55, 90 */
    /* the reward_low_FN_rate profile doubles the miss cost: with no
    ** alerts raw = null = -2 */
    {
        sim_score_opts o;
        sim_score_opts_default(&o);
        o.nab.a_fn = 2.0;
        assert_int_equal(sim_score(t, NULL, 100, w, 1, NULL, 0, &o, &m, &err), 0);
        assert_float_equal(m.nab_raw, -2.0, EPS);
        assert_float_equal(m.nab_score, 0.0, EPS);
    }
}

static void changepoint_windows(void **state)
{
    /* change points at rows 2 and 3 with a 1.5 s right window give
    ** [2 s, 3.5 s] and [3 s, 4.5 s], merged by sim_score into [2 s, 4.5 s]:
    ** rows 2, 3, 4 labelled; one event.  An alert at 4 s lands on row 4:
    ** the event is detected with delay 2 s; NAB: window rows 2..4 (width
    ** 3), detection on its last row: pos -1/3, score S(-1/3)/S(-1) */
    static const int8_t cp[10] = {0, 0, 1, 1, 0, 0, 0, 0, 0, 0};
    int64_t x[1] = {4000};
    sim_window *w;
    size_t nw;
    sim_metrics m;
    sim_err err;
    (void)state;
    assert_int_equal(sim_windows_from_points(T, cp, 10, 1500, &w, &nw), 0);
    assert_int_equal(nw, 2);
    assert_int_equal(w[1].start_ms, 3000);
    assert_int_equal(w[1].end_ms, 4500);
    assert_int_equal(sim_score(T, NULL, 10, w, nw, x, 1, NULL, &m, &err), 0);
    assert_int_equal(m.events, 1);
    assert_int_equal(m.tp + m.fn, 3);
    assert_float_equal(m.mean_delay_s, 2.0, EPS);
    assert_float_equal(m.nab_raw, S(-1.0 / 3.0) / S(-1.0), EPS);
    free(w);
}

static void summing(void **state)
{
    /* two traces: the hand case (TP 2 FP 2 FN 3 TN 3) and the all-alerts
    ** case (TP 5 FP 5 FN 0 TN 0): sums TP 7 FP 7 FN 3 TN 3, so precision
    ** 7/14, recall 7/10, F1 14/(14+7+3) = 14/24, FAR 7/10 — recomputed
    ** from the sums, not averaged */
    int64_t al[3] = {3000, 5500, 9000};
    sim_metrics a, b, acc;
    sim_err err;
    (void)state;
    memset(&acc, 0, sizeof acc);
    assert_int_equal(sim_score(T, L, 10, NULL, 0, al, 3, NULL, &a, &err), 0);
    assert_int_equal(sim_score(T, L, 10, NULL, 0, T, 10, NULL, &b, &err), 0);
    sim_metrics_add(&acc, &a);
    sim_metrics_add(&acc, &b);
    assert_int_equal(acc.tp, 7);
    assert_int_equal(acc.fn, 3);
    assert_float_equal(acc.precision, 0.5, EPS);
    assert_float_equal(acc.recall, 0.7, EPS);
    assert_float_equal(acc.f1, 14.0 / 24.0, EPS);
    assert_float_equal(acc.far, 0.7, EPS);
    assert_int_equal(acc.events, 4);
    assert_int_equal(acc.detected, 3);
    /* delays 1 s (a) + 0 s + 0 s (b) over 3 detections */
    assert_float_equal(acc.mean_delay_s, 1.0 / 3.0, EPS);
    assert_float_equal(acc.nab_null, -4.0, EPS);
    assert_float_equal(acc.nab_score, 100.0 * (a.nab_raw + b.nab_raw + 4.0) / 8.0,
                       EPS);
}

static void nab_profiles_file(void **state)
{
    const char *j = "{\"standard\": {\"CostMatrix\": {\"tpWeight\": 1.0, "
                    "\"fnWeight\": 1.0, \"fpWeight\": 0.11, \"tnWeight\": 1.0}}}";
    sim_nab_profile p;
    sim_err err;
    (void)state;
    assert_int_equal(sim_nab_profile_parse(j, strlen(j), "p.json", "standard",
                                           &p, &err), 0);
    assert_float_equal(p.a_fp, 0.11, EPS);
    assert_int_equal(sim_nab_profile_parse(j, strlen(j), "p.json", "nope", &p,
                                           &err), -1);
    assert_string_equal(err.msg, "p.json:1:1: error: no profile 'nope'");
}

/* ------------------------------------------------------------ SKAB */

static const char *shared_dir(void)
{
    static char path[4096];
    const char *env = getenv("TINYCEP_SHARED");
    char probe[4200];
    FILE *f;
    snprintf(path, sizeof path, "%s", env != NULL && env[0] ? env : "../shared");
    snprintf(probe, sizeof probe, "%s/data/README.md", path);
    f = fopen(probe, "r");
    if (f == NULL)
        return NULL;
    fclose(f);
    return path;
}

static void skab_alert_always(void **state)
{
    const char *sh = shared_dir();
    char path[4200], line[4096];
    sim_input in[1] = {{"Current", 1}};
    sim_trace_spec sp = {0};
    sim_record r;
    sim_err err;
    sim_stream *s;
    sim_metrics m;
    size_t n = 0, cap = 2048, ones = 0, rows = 0;
    int64_t *t = malloc(cap * sizeof *t);
    int8_t *lab = malloc(cap);
    FILE *f;
    (void)state;
    if (sh == NULL) {
        free(t);
        free(lab);
        skip();                 /* ../shared absent */
        return;
    }
    snprintf(path, sizeof path, "%s/data/skab/valve1/0.csv", sh);
    /* independent count: the anomaly flag is the 10th ';' field, "0.0" or
    ** "1.0", read here with plain string handling, not the trace reader */
    f = fopen(path, "r");
    assert_non_null(f);
    assert_non_null(fgets(line, sizeof line, f));   /* header */
    while (fgets(line, sizeof line, f) != NULL) {
        char *p = line;
        int k;
        for (k = 0; k < 9; k++)
            p = strchr(p, ';') + 1;
        rows++;
        ones += strncmp(p, "1", 1) == 0;
    }
    fclose(f);
    sp.path = path;
    sp.label_col = "anomaly";
    s = sim_stream_open(&sp, 1, in, 1, NULL, &err);
    assert_non_null(s);
    while (sim_stream_next(s, &r, &err) == 1) {
        if (n == cap) {
            cap *= 2;
            t = realloc(t, cap * sizeof *t);
            lab = realloc(lab, cap);
        }
        t[n] = r.t_ms;
        lab[n] = (int8_t)r.label;
        n++;
    }
    sim_stream_close(s);
    assert_int_equal(n, rows);
    /* alert at every sample time */
    assert_int_equal(sim_score(t, lab, n, NULL, 0, t, n, NULL, &m, &err), 0);
    /* all predicted: TP = ones, FP = rows - ones, so precision = ones/rows,
    ** recall 1, F1 = 2 ones / (rows + ones); FAR = 100 % */
    assert_int_equal(m.tp, ones);
    assert_int_equal(m.fp, rows - ones);
    assert_float_equal(m.f1, 2.0 * (double)ones / (double)(rows + ones), EPS);
    assert_float_equal(m.far, 1.0, EPS);
    /* the property quoted for SKAB: F1 about 0.52 */
    assert_float_equal(m.f1, 0.52, 0.01);
    free(t);
    free(lab);
}

static void nab_real_file(void **state)
{
    /* art_daily_jumpsup.csv (4032 rows, 5 min apart) with its window from
    ** combined_windows.json.  Probation is min(floor(0.15 * 4032), 750)
    ** = 604 rows (about 2 days), and the window starts on 2014-04-10, well
    ** after it.  So: an alert on the window's first row scores exactly 100;
    ** no alert scores 0; an alert on the window's last row earns
    ** S(-1/w)/S(-1) with w the window's row count, derived from the window
    ** bounds: (end - start)/5 min + 1 rows. */
    const char *sh = shared_dir();
    char csv[4200], wj[4200];
    sim_input in[1] = {{"value", 1}};
    sim_trace_spec sp = {0};
    sim_record r;
    sim_err err;
    sim_stream *s;
    sim_window *w;
    size_t nw, n = 0, k;
    int64_t *t = malloc(5000 * sizeof *t), epoch, al[1];
    sim_metrics m;
    double width;
    (void)state;
    if (sh == NULL) {
        free(t);
        skip();                 /* ../shared absent */
        return;
    }
    snprintf(csv, sizeof csv, "%s/data/nab/artificialWithAnomaly/art_daily_jumpsup.csv", sh);
    snprintf(wj, sizeof wj, "%s/data/nab/combined_windows.json", sh);
    sp.path = csv;
    s = sim_stream_open(&sp, 1, in, 1, NULL, &err);
    assert_non_null(s);
    while (sim_stream_next(s, &r, &err) == 1 && n < 5000)
        t[n++] = r.t_ms;
    assert_true(sim_stream_epoch(s, &epoch));
    sim_stream_close(s);
    assert_int_equal(n, 4032);
    assert_int_equal(sim_windows_load(wj, csv, &w, &nw, &err), 0);
    assert_int_equal(nw, 1);
    for (k = 0; k < nw; k++) {
        w[k].start_ms -= epoch;
        w[k].end_ms -= epoch;
    }
    width = (double)(w[0].end_ms - w[0].start_ms) / 300000.0 + 1.0;
    al[0] = w[0].start_ms;
    assert_int_equal(sim_score(t, NULL, n, w, nw, al, 1, NULL, &m, &err), 0);
    assert_float_equal(m.nab_score, 100.0, EPS);
    assert_int_equal(m.detected, 1);
    assert_int_equal(sim_score(t, NULL, n, w, nw, NULL, 0, NULL, &m, &err), 0);
    assert_float_equal(m.nab_score, 0.0, EPS);
    al[0] = w[0].end_ms;
    assert_int_equal(sim_score(t, NULL, n, w, nw, al, 1, NULL, &m, &err), 0);
    assert_float_equal(m.nab_raw, S(-1.0 / width) / S(-1.0), EPS);
    free(w);
    free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(hand_case_until_normal),
        cmocka_unit_test(hand_case_fixed_hold),
        cmocka_unit_test(windows_equal_labels),
        cmocka_unit_test(degenerate),
        cmocka_unit_test(nab_probation_and_far_fp),
        cmocka_unit_test(changepoint_windows),
        cmocka_unit_test(summing),
        cmocka_unit_test(nab_profiles_file),
        cmocka_unit_test(skab_alert_always),
        cmocka_unit_test(nab_real_file),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
