/*
** score.c — alerts scored against labels: point-wise (SKAB's leaderboard),
** event-wise, and the NAB score, exactly as defined in docs/scoring.md.
**
** Everything works on the sample times of the labelled trace: an alert at
** time ta "lands" on the first sample at or after ta.  The NAB part follows
** NAB's sweeper (nab/sweeper.py): windows are index ranges of rows, the
** first 15 % of rows (at most 750) are probationary, the earliest
** detection in a window earns A_TP * S(pos)/S(-1) with
** S(x) = 2 sigmoid(-5x) - 1, a detection outside every window costs
** A_FP * S(distance past the previous window) (or -A_FP before the first
** window), an undetected window costs -A_FN.  Normalisation as NAB's
** runner (nab/runner.py normalize): perfect = A_TP x windows,
** null = the never-alerting detector's raw score.
*/
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/sim.h"

void sim_score_opts_default(sim_score_opts *o)
{
    memset(o, 0, sizeof *o);
    o->hold = SIM_HOLD_UNTIL_NORMAL;
    o->hold_ms = 0;
    o->nab.a_tp = 1.0;          /* NAB config/profiles.json "standard" */
    o->nab.a_fp = 0.11;
    o->nab.a_fn = 1.0;
    o->probation = 0.15;
}

static double ratio(double num, double den)
{
    return den > 0.0 ? num / den : (double)NAN;
}

void sim_metrics_finish(sim_metrics *m)
{
    double tp = (double)m->tp, fp = (double)m->fp, fn = (double)m->fn,
           tn = (double)m->tn;
    m->precision = ratio(tp, tp + fp);
    m->recall = ratio(tp, tp + fn);
    /* F1 from the counts (2TP / (2TP + FP + FN)): defined as soon as there
    ** is any positive, label or prediction */
    m->f1 = ratio(2.0 * tp, 2.0 * tp + fp + fn);
    m->far = ratio(fp, fp + tn);
    m->mar = ratio(fn, fn + tp);
    m->mean_delay_s = ratio(m->delay_sum_s, (double)m->detected);
    m->nab_score = m->nab_perfect != m->nab_null
                   ? 100.0 * (m->nab_raw - m->nab_null) /
                     (m->nab_perfect - m->nab_null)
                   : (double)NAN;
}

void sim_metrics_add(sim_metrics *acc, const sim_metrics *m)
{
    acc->samples += m->samples;
    acc->alerts += m->alerts;
    acc->tp += m->tp;
    acc->fp += m->fp;
    acc->fn += m->fn;
    acc->tn += m->tn;
    acc->events += m->events;
    acc->detected += m->detected;
    acc->missed += m->missed;
    acc->false_alarms += m->false_alarms;
    acc->delay_sum_s += m->delay_sum_s;
    acc->nab_raw += m->nab_raw;
    acc->nab_null += m->nab_null;
    acc->nab_perfect += m->nab_perfect;
    sim_metrics_finish(acc);
}

int sim_windows_from_points(const int64_t *t_ms, const int8_t *flag, size_t n,
                            int64_t right_ms, sim_window **out, size_t *nw)
{
    size_t i, k = 0;
    sim_window *w = malloc((n + 1) * sizeof *w);
    *out = NULL;
    *nw = 0;
    if (w == NULL)
        return -1;
    for (i = 0; i < n; i++)
        if (flag[i] == 1) {
            w[k].start_ms = t_ms[i];
            w[k].end_ms = t_ms[i] + right_ms;
            k++;
        }
    *out = w;
    *nw = k;
    return 0;
}

/* NAB's scaled sigmoid. */
static double scaled_sigmoid(double x)
{
    if (x >= 3.0)
        return -1.0;
    return 2.0 / (1.0 + exp(5.0 * x)) - 1.0;
}

/* First index with t[i] >= x (n if none). */
static size_t lower_bound(const int64_t *t, size_t n, int64_t x)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (t[mid] < x)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* Sorts windows by start and merges overlapping ones (inclusive ends). */
static size_t merge_windows(sim_window *w, size_t n)
{
    size_t i, k = 0;
    for (i = 1; i < n; i++) {       /* insertion sort: n is small */
        sim_window x = w[i];
        size_t j = i;
        while (j > 0 && (w[j - 1].start_ms > x.start_ms ||
                         (w[j - 1].start_ms == x.start_ms &&
                          w[j - 1].end_ms > x.end_ms))) {
            w[j] = w[j - 1];
            j--;
        }
        w[j] = x;
    }
    for (i = 0; i < n; i++) {
        if (k > 0 && w[i].start_ms <= w[k - 1].end_ms) {
            if (w[i].end_ms > w[k - 1].end_ms)
                w[k - 1].end_ms = w[i].end_ms;
        } else {
            w[k++] = w[i];
        }
    }
    return k;
}

int sim_score(const int64_t *t_ms, const int8_t *label, size_t n,
              const sim_window *windows, size_t nw,
              const int64_t *alerts, size_t na,
              const sim_score_opts *opts, sim_metrics *m, sim_err *err)
{
    sim_score_opts def;
    sim_window *ev = NULL;      /* events: runs or merged windows */
    size_t nev = 0, i, j, a;
    int64_t *al = NULL;
    uint8_t *lab = NULL, *pred = NULL, *det = NULL;
    int rc = -1;

    memset(m, 0, sizeof *m);
    if (opts == NULL) {
        sim_score_opts_default(&def);
        opts = &def;
    }
    if (label != NULL && windows != NULL) {
        snprintf(err->msg, sizeof err->msg,
                 "error: score against labels or windows, not both");
        return -1;
    }
    for (i = 1; i < n; i++)
        if (t_ms[i] < t_ms[i - 1]) {
            snprintf(err->msg, sizeof err->msg, "error: cannot score: sample "
                     "times go backwards at sample %zu", i);
            return -1;
        }
    m->samples = n;
    m->alerts = na;
    lab = calloc(n + 1, 1);
    pred = calloc(n + 1, 1);
    det = calloc(n + 1, 1);
    al = malloc((na + 1) * sizeof *al);
    ev = malloc((nw + n + 1) * sizeof *ev);
    if (lab == NULL || pred == NULL || det == NULL || al == NULL || ev == NULL) {
        snprintf(err->msg, sizeof err->msg, "error: out of memory");
        goto out;
    }
    if (na > 0)
        memcpy(al, alerts, na * sizeof *al);
    qsort(al, na, sizeof *al, cmp_i64);

    /* events and per-sample labels, from whichever source was given */
    if (label != NULL) {
        for (i = 0; i < n; i++) {
            lab[i] = label[i] == 1;
            if (lab[i] && (i == 0 || !lab[i - 1])) {
                ev[nev].start_ms = t_ms[i];
                ev[nev].end_ms = t_ms[i];
                nev++;
            }
            if (lab[i])
                ev[nev - 1].end_ms = t_ms[i];
        }
    } else {
        if (nw > 0)
            memcpy(ev, windows, nw * sizeof *ev);
        nev = merge_windows(ev, nw);
        for (j = 0, i = 0; i < n; i++) {
            while (j < nev && ev[j].end_ms < t_ms[i])
                j++;
            lab[i] = j < nev && ev[j].start_ms <= t_ms[i];
        }
    }

    /* point-wise: each alert marks a run of samples from the first sample
    ** at or after it; runs are monotone in the alert time, so one sweep */
    {
        size_t covered = 0;     /* samples [0, covered) already considered */
        for (a = 0; a < na; a++) {
            size_t first = lower_bound(t_ms, n, al[a]), last;
            if (first >= n)
                break;
            last = first;
            if (opts->hold == SIM_HOLD_UNTIL_NORMAL) {
                if (lab[first])
                    while (last + 1 < n && lab[last + 1])
                        last++;
            } else {
                while (last + 1 < n && t_ms[last + 1] - al[a] <= opts->hold_ms)
                    last++;
            }
            det[first] = 1;
            for (i = first > covered ? first : covered; i <= last; i++)
                pred[i] = 1;
            if (last + 1 > covered)
                covered = last + 1;
        }
        for (i = 0; i < n; i++) {
            if (pred[i] && lab[i])
                m->tp++;
            else if (pred[i])
                m->fp++;
            else if (lab[i])
                m->fn++;
            else
                m->tn++;
        }
    }

    /* event-wise */
    {
        size_t e = 0;
        int64_t *first_hit = malloc((nev + 1) * sizeof *first_hit);
        uint8_t *hit = calloc(nev + 1, 1);
        if (first_hit == NULL || hit == NULL) {
            free(first_hit);
            free(hit);
            snprintf(err->msg, sizeof err->msg, "error: out of memory");
            goto out;
        }
        for (a = 0; a < na; a++) {
            while (e < nev && ev[e].end_ms < al[a])
                e++;
            if (e < nev && ev[e].start_ms <= al[a]) {
                if (!hit[e]) {
                    hit[e] = 1;
                    first_hit[e] = al[a];
                }
            } else {
                m->false_alarms++;
            }
        }
        m->events = nev;
        for (e = 0; e < nev; e++) {
            if (hit[e]) {
                m->detected++;
                m->delay_sum_s += (double)(first_hit[e] - ev[e].start_ms) / 1000.0;
            } else {
                m->missed++;
            }
        }
        free(first_hit);
        free(hit);
    }

    /* NAB */
    {
        double prob_d = floor(opts->probation * (double)n);
        double cap = opts->probation * 5000.0;
        size_t prob = (size_t)(prob_d < cap ? prob_d : cap);
        double max_tp = scaled_sigmoid(-1.0);
        size_t w = 0;
        long prev_right = -1;
        double prev_width = 0;
        size_t e;
        double *best = malloc((nev + 1) * sizeof *best);
        size_t *left = malloc((nev + 1) * sizeof *left);
        size_t *right = malloc((nev + 1) * sizeof *right);
        if (best == NULL || left == NULL || right == NULL) {
            free(best);
            free(left);
            free(right);
            snprintf(err->msg, sizeof err->msg, "error: out of memory");
            goto out;
        }
        /* window e covers rows [left, right]; empty when left > right */
        for (e = 0; e < nev; e++) {
            left[e] = lower_bound(t_ms, n, ev[e].start_ms);
            right[e] = lower_bound(t_ms, n, ev[e].end_ms + 1);  /* exclusive */
            best[e] = (double)NAN;
        }
        for (i = 0; i < n; i++) {
            while (w < nev && right[w] <= i) {
                if (right[w] > left[w]) {       /* a non-empty window ended */
                    prev_right = (long)right[w] - 1;
                    prev_width = (double)(right[w] - left[w]);
                }
                w++;
            }
            if (!det[i] || i < prob)
                continue;
            if (w < nev && left[w] <= i) {
                double width = (double)(right[w] - left[w]);
                double pos = -((double)(right[w] - 1 - i) + 1.0) / width;
                double sc = scaled_sigmoid(pos) * opts->nab.a_tp / max_tp;
                if (isnan(best[w]) || sc > best[w])
                    best[w] = sc;
            } else {
                double pos = prev_right < 0 ? 3.0
                           : (double)((long)i - prev_right) /
                             (prev_width > 1.0 ? prev_width - 1.0 : 1.0);
                m->nab_raw += scaled_sigmoid(pos) * opts->nab.a_fp;
            }
        }
        /* NAB's runner normalises with perfect = A_TP x (number of label
        ** windows), whatever their position, and null = the score of a
        ** detector that never fires (-A_FN per window it scores) */
        m->nab_perfect = opts->nab.a_tp * (double)nev;
        for (e = 0; e < nev; e++) {
            if (right[e] <= left[e] || right[e] <= prob)
                continue;       /* empty, or wholly probationary: not scored */
            m->nab_raw += isnan(best[e]) ? -opts->nab.a_fn : best[e];
            m->nab_null -= opts->nab.a_fn;
        }
        free(best);
        free(left);
        free(right);
    }
    sim_metrics_finish(m);
    rc = 0;
out:
    free(lab);
    free(pred);
    free(det);
    free(al);
    free(ev);
    return rc;
}

/* A ratio with fixed precision, or null when undefined. */
static int put_num(sim_buf *out, const char *key, double v, int decimals,
                   bool last)
{
    if (isnan(v) || isinf(v))
        return sim_buf_printf(out, "\"%s\":null%s", key, last ? "" : ",");
    if (v == 0.0)
        v = 0.0;                /* no "-0.000000" */
    return sim_buf_printf(out, "\"%s\":%.*f%s", key, decimals, v, last ? "" : ",");
}

static int put_u(sim_buf *out, const char *key, uint64_t v)
{
    return sim_buf_printf(out, "\"%s\":%llu,", key, (unsigned long long)v);
}

int sim_metrics_json(const sim_metrics *m, sim_buf *out)
{
    int rc = sim_buf_add(out, "{", 1);
    rc |= put_u(out, "samples", m->samples);
    rc |= put_u(out, "alerts", m->alerts);
    rc |= put_u(out, "tp", m->tp);
    rc |= put_u(out, "fp", m->fp);
    rc |= put_u(out, "fn", m->fn);
    rc |= put_u(out, "tn", m->tn);
    rc |= put_num(out, "precision", m->precision, 6, false);
    rc |= put_num(out, "recall", m->recall, 6, false);
    rc |= put_num(out, "f1", m->f1, 6, false);
    rc |= put_num(out, "far", m->far, 6, false);
    rc |= put_num(out, "mar", m->mar, 6, false);
    rc |= put_u(out, "events", m->events);
    rc |= put_u(out, "detected", m->detected);
    rc |= put_u(out, "missed", m->missed);
    rc |= put_u(out, "false_alarms", m->false_alarms);
    rc |= put_num(out, "mean_delay_s", m->mean_delay_s, 3, false);
    rc |= put_num(out, "nab_raw", m->nab_raw, 6, false);
    rc |= put_num(out, "nab_null", m->nab_null, 6, false);
    rc |= put_num(out, "nab_perfect", m->nab_perfect, 6, false);
    rc |= put_num(out, "nab_score", m->nab_score, 4, true);
    rc |= sim_buf_add(out, "}\n", 2);
    return rc != 0 ? -1 : 0;
}

/* A ratio as "0.444", or "n/a"; pct: as "40.0 %". */
static void fmt_ratio(double v, bool pct, char *out, size_t n)
{
    if (isnan(v) || isinf(v))
        snprintf(out, n, "n/a");
    else if (pct)
        snprintf(out, n, "%.1f %%", v * 100.0);
    else
        snprintf(out, n, "%.3f", v);
}

int sim_metrics_text(const sim_metrics *m, sim_buf *out)
{
    char p[16], r[16], f[16], fa[16], ma[16], d[32], nab[32];
    int rc;
    fmt_ratio(m->precision, false, p, sizeof p);
    fmt_ratio(m->recall, false, r, sizeof r);
    fmt_ratio(m->f1, false, f, sizeof f);
    fmt_ratio(m->far, true, fa, sizeof fa);
    fmt_ratio(m->mar, true, ma, sizeof ma);
    if (isnan(m->mean_delay_s))
        snprintf(d, sizeof d, "n/a");
    else
        snprintf(d, sizeof d, "%.3f s", m->mean_delay_s);
    if (isnan(m->nab_score))
        snprintf(nab, sizeof nab, "n/a (no labelled window)");
    else
        snprintf(nab, sizeof nab, "%.2f", m->nab_score);
    rc = sim_buf_printf(out, "point-wise: TP %llu  FP %llu  FN %llu  TN %llu  "
                        "precision %s  recall %s  F1 %s  FAR %s  MAR %s\n",
                        (unsigned long long)m->tp, (unsigned long long)m->fp,
                        (unsigned long long)m->fn, (unsigned long long)m->tn,
                        p, r, f, fa, ma);
    rc |= sim_buf_printf(out, "event-wise: %llu event%s, %llu detected, %llu "
                         "missed, %llu false alarm%s, mean delay %s\n",
                         (unsigned long long)m->events, m->events == 1 ? "" : "s",
                         (unsigned long long)m->detected,
                         (unsigned long long)m->missed,
                         (unsigned long long)m->false_alarms,
                         m->false_alarms == 1 ? "" : "s", d);
    rc |= sim_buf_printf(out, "NAB: score %s (raw %.3f, null %.3f, perfect "
                         "%.3f)\n", nab, m->nab_raw, m->nab_null, m->nab_perfect);
    return rc != 0 ? -1 : 0;
}
