/*
** test_sim_plot.c — the SVG plot: well-formed XML (balanced tags checked
** here), the expected number of panels, alert markers and label-window
** spans, byte-identical output on a second run, a golden SVG for a tiny
** case (reviewed by eye after converting it to PNG; regenerate with
** SIM_UPDATE_GOLDEN=1), and a 1 M-sample series with one spike that must
** survive downsampling in an SVG under 1 MB.
*/
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "sim/sim.h"

/* Checks that every start tag is closed in order; returns the number of
** elements, or -1.  Enough for our own output: no CDATA, no comments. */
static int xml_balanced(const char *s)
{
    const char *stack[64];
    size_t lens[64];
    int depth = 0, elements = 0;
    while ((s = strchr(s, '<')) != NULL) {
        const char *e = strchr(s, '>'), *name;
        size_t n;
        if (e == NULL)
            return -1;
        if (s[1] == '?') {                  /* the XML declaration */
            s = e + 1;
            continue;
        }
        if (s[1] == '/') {
            name = s + 2;
            n = strcspn(name, " >");
            if (depth == 0 || lens[depth - 1] != n ||
                strncmp(stack[depth - 1], name, n) != 0)
                return -1;
            depth--;
        } else {
            name = s + 1;
            n = strcspn(name, " />");
            elements++;
            if (e[-1] != '/') {
                if (depth == 64)
                    return -1;
                stack[depth] = name;
                lens[depth++] = n;
            }
        }
        /* text between tags must not hold a raw '<' or a bare '&' */
        s = e + 1;
        {
            const char *lt = strchr(s, '<'), *amp = strchr(s, '&');
            if (amp != NULL && (lt == NULL || amp < lt) &&
                strncmp(amp, "&amp;", 5) && strncmp(amp, "&lt;", 4) &&
                strncmp(amp, "&gt;", 4) && strncmp(amp, "&quot;", 6))
                return -1;
        }
    }
    return depth == 0 ? elements : -1;
}

static int count(const char *s, const char *what)
{
    int n = 0;
    while ((s = strstr(s, what)) != NULL) {
        n++;
        s += strlen(what);
    }
    return n;
}

static void tiny(sim_buf *out)
{
    sim_plot_series *s[2];
    sim_plot_alert al[2] = {{5000, "overheat", "critical"},
                            {12000, "dry_run & <x>", "warning"}};
    sim_window w[1] = {{10000, 15000}};
    sim_plot p;
    int i;
    s[0] = sim_plot_series_new("temp", "degC");
    s[1] = sim_plot_series_new("current", "A");
    /* temp: a ramp 20..39 with a step at 10 s; current: 1,2,1,2... */
    for (i = 0; i < 20; i++) {
        sim_plot_series_add(s[0], i * 1000, 20.0 + i + (i >= 10 ? 5.0 : 0.0));
        sim_plot_series_add(s[1], i * 1000, 1.0 + (i % 2));
    }
    memset(&p, 0, sizeof p);
    p.title = "tiny case";
    p.series = s;
    p.n_series = 2;
    p.alerts = al;
    p.n_alerts = 2;
    p.windows = w;
    p.n_windows = 1;
    p.width = 600;
    assert_int_equal(sim_plot_svg(&p, out), 0);
    sim_plot_series_free(s[0]);
    sim_plot_series_free(s[1]);
}

static void structure_and_golden(void **state)
{
    sim_buf a = {0}, b = {0};
    char path[1024], *gold;
    const char *dir = __FILE__;
    FILE *f;
    long n;
    (void)state;
    tiny(&a);
    tiny(&b);
    assert_int_equal(a.len, b.len);
    assert_memory_equal(a.data, b.data, a.len);       /* deterministic */
    assert_true(xml_balanced(a.data) > 0);
    assert_int_equal(count(a.data, "class=\"panel\""), 2);
    assert_int_equal(count(a.data, "class=\"series\""), 2);
    assert_int_equal(count(a.data, "class=\"alert\""), 2);
    assert_int_equal(count(a.data, "class=\"alert-name\""), 2);
    assert_int_equal(count(a.data, "class=\"window\""), 2);   /* one per panel */
    assert_non_null(strstr(a.data, "dry_run &amp; &lt;x&gt;"));
    assert_non_null(strstr(a.data, "temp [degC]"));
    assert_non_null(strstr(a.data, "alert: critical"));
    assert_non_null(strstr(a.data, "label window"));
    /* 19 s span: 5 s ticks 0, 5, 10, 15 */
    assert_non_null(strstr(a.data, ">15</text>"));
    snprintf(path, sizeof path, "%.*sgolden/sim_plot_tiny.svg",
             (int)(strrchr(dir, '/') - dir + 1), dir);
    if (getenv("SIM_UPDATE_GOLDEN") != NULL) {
        f = fopen(path, "wb");
        assert_non_null(f);
        fwrite(a.data, 1, a.len, f);
        fclose(f);
    }
    f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    rewind(f);
    gold = malloc((size_t)n + 1);
    assert_int_equal(fread(gold, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    assert_int_equal((size_t)n, a.len);
    assert_memory_equal(gold, a.data, a.len);
    free(gold);
    sim_buf_free(&a);
    sim_buf_free(&b);
}

static void million_samples_with_a_spike(void **state)
{
    sim_plot_series *s = sim_plot_series_new("vib", "g");
    sim_plot_series *const list[1] = {s};
    sim_plot_alert al[3000];
    sim_plot p;
    sim_buf out = {0};
    int i;
    (void)state;
    /* 1 M samples at 12 kHz of a small triangle wave in [-1, 1], one
    ** sample of 100 in the middle; 3000 alerts (too many to label) */
    for (i = 0; i < 1000000; i++) {
        double v = (double)(i % 40) / 20.0 - 1.0;
        if (i == 500001)
            v = 100.0;
        sim_plot_series_add(s, (int64_t)i * 1000 / 12000, v);
    }
    for (i = 0; i < 3000; i++) {
        al[i].t_ms = (int64_t)i * 27;
        al[i].rule = "r";
        al[i].severity = i % 2 ? "warning" : "critical";
    }
    memset(&p, 0, sizeof p);
    p.series = list;
    p.n_series = 1;
    p.alerts = al;
    p.n_alerts = 3000;
    assert_int_equal(sim_plot_svg(&p, &out), 0);
    assert_true(out.len < 1000000);
    assert_true(xml_balanced(out.data) > 0);
    /* the spike sets the y range: nice ticks of 50 up to 100 */
    assert_non_null(strstr(out.data, ">100</text>"));
    /* and a path point reaches the top of the panel (y = panel top) */
    {
        const char *panel = strstr(out.data, "class=\"panel\"");
        const char *y = strstr(panel, " y=\"");
        double top = strtod(y + 4, NULL);
        char needle[32];
        snprintf(needle, sizeof needle, " %.1f", top);
        assert_non_null(strstr(strstr(out.data, "class=\"series\""), needle));
    }
    assert_int_equal(count(out.data, "class=\"alert-name\""), 0);
    assert_true(count(out.data, "class=\"alert\"") < 3000);
    sim_buf_free(&out);
    sim_plot_series_free(s);
}

static void empty_and_epoch(void **state)
{
    sim_buf out = {0};
    sim_plot p;
    sim_plot_series *s = sim_plot_series_new("x", "");
    sim_plot_series *const list[1] = {s};
    int i;
    (void)state;
    memset(&p, 0, sizeof p);
    assert_int_equal(sim_plot_svg(&p, &out), 0);       /* nothing at all */
    assert_true(xml_balanced(out.data) > 0);
    sim_buf_free(&out);
    /* two hours of 1 Hz data with absolute time: ticks at 15 min steps
    ** labelled HH:MM in UTC (10:15 is the first multiple after 10:14:33) */
    for (i = 0; i < 7200; i++)
        sim_plot_series_add(s, (int64_t)i * 1000, i % 7);
    p.series = list;
    p.n_series = 1;
    p.has_epoch = true;
    assert_int_equal(sim_parse_iso("2020-03-09 10:14:33", 19, &p.epoch_ms), 0);
    assert_int_equal(sim_plot_svg(&p, &out), 0);
    assert_non_null(strstr(out.data, ">10:30</text>"));
    assert_non_null(strstr(out.data, "time (UTC), from 2020-03-09 10:14:33"));
    sim_buf_free(&out);
    sim_plot_series_free(s);
    /* values too far apart for a scale (range overflows to inf): the panel
    ** falls back to 0..1 and the path stays near it (no 300-digit numbers) */
    s = sim_plot_series_new("wild", "");
    sim_plot_series_add(s, 0, 1e308);
    sim_plot_series_add(s, 1000, -1e308);
    sim_plot_series_add(s, 2000, 5e-324);
    memset(&p, 0, sizeof p);
    {
        sim_plot_series *const one[1] = {s};
        p.series = one;
        p.n_series = 1;
        assert_int_equal(sim_plot_svg(&p, &out), 0);
    }
    assert_true(out.len < 20000);
    assert_true(xml_balanced(out.data) > 0);
    sim_buf_free(&out);
    sim_plot_series_free(s);
}

/* Counts the subpaths (M commands) in the first series path. */
static int subpaths(const char *svg)
{
    const char *d = strstr(svg, "class=\"series\""), *end;
    int n = 0;
    assert_non_null(d);
    d = strstr(d, " d=\"");
    assert_non_null(d);
    end = strchr(d + 4, '"');
    for (; d < end; d++)
        n += *d == 'M';
    return n;
}

/* A 1 Hz sensor silent from 10 s to 30 s: the mean spacing over 0..40 s
** with 21 samples is 2 s, so the 20 s silence (10 mean spacings, far more
** than 2 pixel columns at 1200 px for 40 s) must break the line into two
** subpaths.  The same sensor without the silence draws one subpath. */
static void silence_breaks_the_line(void **state)
{
    sim_plot_series *gap = sim_plot_series_new("temp", "degC");
    sim_plot_series *full = sim_plot_series_new("temp", "degC");
    sim_plot_series *one[1];
    sim_plot p;
    sim_buf out = {0};
    int t;
    (void)state;
    for (t = 0; t <= 40; t++) {
        if (t <= 10 || t >= 30)
            assert_int_equal(sim_plot_series_add(gap, t * 1000, 60.0 + t), 0);
        assert_int_equal(sim_plot_series_add(full, t * 1000, 60.0 + t), 0);
    }
    memset(&p, 0, sizeof p);
    p.title = "gap";
    p.series = one;
    p.n_series = 1;
    one[0] = gap;
    assert_int_equal(sim_plot_svg(&p, &out), 0);
    assert_int_equal(subpaths(out.data), 2);
    sim_buf_free(&out);
    one[0] = full;
    assert_int_equal(sim_plot_svg(&p, &out), 0);
    assert_int_equal(subpaths(out.data), 1);
    sim_buf_free(&out);
    sim_plot_series_free(gap);
    sim_plot_series_free(full);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(structure_and_golden),
        cmocka_unit_test(million_samples_with_a_spike),
        cmocka_unit_test(empty_and_epoch),
        cmocka_unit_test(silence_breaks_the_line),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
