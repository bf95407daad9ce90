/*
** fuzz_trace.c — libFuzzer target for the simulator's untrusted inputs:
** CSV traces (read in three configurations: by-name binding with a label
** column and skip-bad; a vector map with strict time; an implied rate with
** no bindings), the NAB label-window JSON and profiles reader, the ISO
** date-time parser, what follows a successful read (scoring, the metrics
** JSON, the plot), and the alert writers on arbitrary bytes.  Invariants
** checked: no crash, no leak, no undefined behaviour; every failure comes
** with a message; any bytes escaped as a JSON string parse back with the
** strict reader; the plain alert line carries no control byte.
*/
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sim/sim.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAXROWS 4096

static void read_trace(const char *text, size_t len, int config)
{
    static const sim_input scalar[1] = {{"x", 1}};
    static const sim_input vec[1] = {{"v", 2}};
    sim_trace_spec sp;
    sim_read_opts o = {false, false};
    sim_err err;
    sim_stream *s;
    sim_record r;
    sim_buf b = {0};
    int64_t *t = malloc(MAXROWS * sizeof *t), epoch = 0;
    int8_t *lab = malloc(MAXROWS);
    size_t n = 0;
    int rc;
    sim_plot_series *ps = sim_plot_series_new("x", "u");
    memset(&sp, 0, sizeof sp);
    sp.path = "fuzz.csv";
    sp.data = text;
    sp.data_len = len;
    err.msg[0] = '\0';
    if (config == 0) {
        sp.label_col = "anomaly";
        o.skip_bad = true;
        s = sim_stream_open(&sp, 1, scalar, 1, &o, &err);
    } else if (config == 1) {
        sp.map = "v=a,b";
        o.strict = true;
        s = sim_stream_open(&sp, 1, vec, 1, &o, &err);
    } else {
        sp.rate_hz = "12000";
        sp.sep = ';';
        s = sim_stream_open(&sp, 1, NULL, 0, &o, &err);
    }
    if (s == NULL) {
        if (err.msg[0] == '\0')
            abort();            /* a failure must say why */
        goto out;
    }
    while ((rc = sim_stream_next(s, &r, &err)) == 1) {
        if (n < MAXROWS) {
            t[n] = r.t_ms;
            lab[n] = (int8_t)(r.label == 1);
            n++;
        }
        if (r.n_samples > 0)
            sim_plot_series_add(ps, r.t_ms, r.samples[0].values[0]);
    }
    if (rc < 0 && err.msg[0] == '\0')
        abort();
    sim_stream_report(s, &b);
    {
        sim_metrics m;
        sim_plot p;
        sim_plot_series *const list[1] = {ps};
        sim_plot_alert al[2] = {{0, "r", "critical"}, {1000, "q", "info"}};
        if (sim_score(t, lab, n, NULL, 0, t, n < 8 ? n : 8, NULL, &m, &err) == 0)
            sim_metrics_json(&m, &b);
        memset(&p, 0, sizeof p);
        p.series = list;
        p.n_series = 1;
        p.alerts = al;
        p.n_alerts = 2;
        p.has_epoch = sim_stream_epoch(s, &epoch);
        p.epoch_ms = epoch;
        sim_plot_svg(&p, &b);
    }
    sim_stream_close(s);
out:
    sim_plot_series_free(ps);
    sim_buf_free(&b);
    free(t);
    free(lab);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    sim_err err;
    sim_window *w = NULL;
    size_t nw = 0;
    sim_nab_profile prof;
    int64_t ms;
    int config;
    for (config = 0; config < 3; config++)
        read_trace(text, size, config);
    if (sim_windows_parse(text, size, "fuzz.json", "dir/b.csv", &w, &nw, &err) == 0)
        free(w);
    sim_nab_profile_parse(text, size, "fuzz.json", "standard", &prof, &err);
    if (size < 64)
        sim_parse_iso(text, size, &ms);
    {
        /* any bytes written as a JSON string (alert messages carry captured
        ** text) must read back with the strict reader, and the plain alert
        ** line must hold no control byte but its final newline */
        sim_buf b = {0};
        sim_json_doc *d;
        char *msg = malloc(size + 1);
        sim_alert a = {"r", "info", 0, msg, NULL, 0};
        size_t i;
        sim_json_string(text, size, &b);
        d = sim_json_parse(b.data, b.len, "roundtrip", &err);
        /* the reader refuses \u0000 on purpose (its strings are C strings),
        ** so text holding a NUL byte is exempt */
        if (d == NULL && memchr(text, 0, size) == NULL)
            abort();
        sim_json_free(d);
        sim_buf_free(&b);
        memcpy(msg, text, size);
        msg[size] = '\0';
        sim_alert_line(&a, &b);
        for (i = 0; i + 1 < b.len; i++)
            if ((unsigned char)b.data[i] < 0x20 || b.data[i] == 0x7f)
                abort();
        sim_alert_json(&a, true, 0, &b);
        sim_buf_free(&b);
        free(msg);
    }
    return 0;
}
