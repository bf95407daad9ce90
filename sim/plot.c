/*
** plot.c — SVG plot of a replay: one panel per series on a shared time
** axis, alerts as vertical markers coloured by severity with their rule
** name, label windows as shaded spans, a legend and a title.
**
** Series are downsampled while they are fed: a series keeps at most
** SIM_PLOT_BUCKETS min/max buckets (when full, neighbours are merged and the
** bucket size doubles), so memory is bounded whatever the trace length and
** a spike of one sample survives to the drawing.  At drawing time the
** buckets are folded into pixel columns (a min and a max point each), so a
** 1 M-sample series costs a few thousand path points.  Every number is
** printed with a fixed format, so the same input gives the same bytes.
*/
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/sim.h"

#define SIM_PLOT_BUCKETS   4096
#define SIM_PLOT_MAX_LABELLED_ALERTS 60

struct bucket {
    int64_t t0, t1;             /* first and last sample time */
    double vmin, vmax, first, last;
    uint64_t count;
};

struct sim_plot_series {
    char *name, *unit;
    struct bucket *b;
    size_t nb;
    uint64_t per;               /* samples per full bucket */
    uint64_t points;
};

sim_plot_series *sim_plot_series_new(const char *name, const char *unit)
{
    sim_plot_series *s = calloc(1, sizeof *s);
    if (s == NULL)
        return NULL;
    s->name = strdup(name != NULL ? name : "");
    s->unit = strdup(unit != NULL ? unit : "");
    s->b = malloc(SIM_PLOT_BUCKETS * sizeof *s->b);
    s->per = 1;
    if (s->name == NULL || s->unit == NULL || s->b == NULL) {
        sim_plot_series_free(s);
        return NULL;
    }
    return s;
}

void sim_plot_series_free(sim_plot_series *s)
{
    if (s == NULL)
        return;
    free(s->name);
    free(s->unit);
    free(s->b);
    free(s);
}

static void merge_into(struct bucket *a, const struct bucket *b)
{
    if (b->t0 < a->t0)
        a->t0 = b->t0;
    if (b->t1 > a->t1)
        a->t1 = b->t1;
    if (b->vmin < a->vmin)
        a->vmin = b->vmin;
    if (b->vmax > a->vmax)
        a->vmax = b->vmax;
    a->last = b->last;
    a->count += b->count;
}

int sim_plot_series_add(sim_plot_series *s, int64_t t_ms, double v)
{
    struct bucket *cur;
    if (isnan(v) || isinf(v))
        return 0;               /* nothing to draw; documented */
    s->points++;
    if (s->nb > 0 && s->b[s->nb - 1].count < s->per) {
        cur = &s->b[s->nb - 1];
        if (t_ms < cur->t0)
            cur->t0 = t_ms;
        if (t_ms > cur->t1)
            cur->t1 = t_ms;
        if (v < cur->vmin)
            cur->vmin = v;
        if (v > cur->vmax)
            cur->vmax = v;
        cur->last = v;
        cur->count++;
        return 0;
    }
    if (s->nb == SIM_PLOT_BUCKETS) {
        size_t i;
        for (i = 0; i < SIM_PLOT_BUCKETS / 2; i++) {
            s->b[i] = s->b[2 * i];
            merge_into(&s->b[i], &s->b[2 * i + 1]);
        }
        s->nb = SIM_PLOT_BUCKETS / 2;
        s->per *= 2;
    }
    cur = &s->b[s->nb++];
    cur->t0 = cur->t1 = t_ms;
    cur->vmin = cur->vmax = cur->first = cur->last = v;
    cur->count = 1;
    return 0;
}

/* ------------------------------------------------------------ layout */

#define MARGIN_L    84
#define MARGIN_R    24
#define TITLE_H     34
#define LEGEND_H    22
#define PANEL_H     130
#define PANEL_GAP   28
#define AXIS_H      46

/* Alert severities, most severe first; the last row is for anything else. */
static const struct { const char *name, *colour; } severities[] = {
    {"critical", "#d62728"}, {"error", "#e377c2"}, {"warning", "#ff7f0e"},
    {"info", "#1f77b4"}, {"other", "#7f7f7f"},
};
#define N_SEVERITIES ((int)(sizeof severities / sizeof severities[0]))

static int severity_index(const char *sev)
{
    int i;
    for (i = 0; sev != NULL && i < N_SEVERITIES - 1; i++)
        if (strcmp(sev, severities[i].name) == 0)
            return i;
    return N_SEVERITIES - 1;
}

static const char *severity_colour(const char *sev)
{
    return severities[severity_index(sev)].colour;
}

static const char *const series_colours[] = {
    "#1f77b4", "#2ca02c", "#9467bd", "#8c564b", "#17becf", "#bcbd22",
};

static int put_text(sim_buf *o, const char *s)
{
    int rc = 0;
    for (; s != NULL && *s != '\0'; s++) {
        switch (*s) {
        case '&': rc |= sim_buf_add(o, "&amp;", 5); break;
        case '<': rc |= sim_buf_add(o, "&lt;", 4); break;
        case '>': rc |= sim_buf_add(o, "&gt;", 4); break;
        case '"': rc |= sim_buf_add(o, "&quot;", 6); break;
        default:
            /* XML 1.0 forbids most control characters */
            if ((unsigned char)*s < 0x20)
                rc |= sim_buf_add(o, " ", 1);
            else
                rc |= sim_buf_add(o, s, 1);
        }
    }
    return rc;
}

/* Heckbert's nice numbers: a step of 1, 2 or 5 times a power of ten. */
static double nice_step(double range, int ticks)
{
    double raw = range / ticks, mag = pow(10.0, floor(log10(raw))), f = raw / mag;
    return (f <= 1.0 ? 1.0 : f <= 2.0 ? 2.0 : f <= 5.0 ? 5.0 : 10.0) * mag;
}

static void fmt_tick(double v, double step, char *out, size_t n)
{
    int dec = step >= 1.0 ? 0 : (int)ceil(-log10(step) - 1e-9);
    if (fabs(v) < step * 1e-6)
        v = 0.0;
    if (dec > 6 || fabs(v) >= 1e6)
        snprintf(out, n, "%.3g", v);
    else
        snprintf(out, n, "%.*f", dec, v);
}

static const int64_t time_steps[] = {
    1, 2, 5, 10, 20, 50, 100, 200, 500,
    1000, 2000, 5000, 10000, 15000, 30000,
    60000, 120000, 300000, 600000, 900000, 1800000,
    3600000, 7200000, 10800000, 21600000, 43200000,
    86400000, 172800000, 604800000, 1209600000, 2592000000,
};

static void fmt_time(int64_t t, int64_t step, int64_t span, bool epoch,
                     char *out, size_t n)
{
    if (epoch) {
        char iso[40];
        sim_format_iso(t, iso);          /* 2020-03-09T10:14:33.000Z */
        if (step >= 86400000)
            snprintf(out, n, "%.10s", iso);
        else if (span > 86400000)
            snprintf(out, n, "%.5s %.5s", iso + 5, iso + 11);
        else if (step >= 60000)
            snprintf(out, n, "%.5s", iso + 11);
        else if (step >= 1000)
            snprintf(out, n, "%.8s", iso + 11);
        else
            snprintf(out, n, "%.12s", iso + 11);
        return;
    }
    {
        int64_t a = t < 0 ? -t : t;
        const char *sg = t < 0 ? "-" : "";
        if (span < 120000 || step < 1000) {
            char s[32];
            sim_format_seconds(t, s);
            /* trim trailing zeros: 12.500 -> 12.5, 3.000 -> 3 */
            {
                size_t l = strlen(s);
                while (l > 0 && s[l - 1] == '0')
                    s[--l] = '\0';
                if (l > 0 && s[l - 1] == '.')
                    s[--l] = '\0';
            }
            snprintf(out, n, "%s", s);
        } else if (span < 7200000) {
            snprintf(out, n, "%s%lld:%02lld", sg, (long long)(a / 60000),
                     (long long)(a / 1000 % 60));
        } else {
            snprintf(out, n, "%s%lld:%02lld:%02lld", sg, (long long)(a / 3600000),
                     (long long)(a / 60000 % 60), (long long)(a / 1000 % 60));
        }
    }
}

/* One pixel column of a series: its min and max, the extreme nearer the
** column's first value first, so the line joining columns stays honest. */
static int emit_column(sim_buf *o, double x, const struct bucket *c,
                       double bot, double vmin, double vmax, bool first, bool move)
{
    bool up = fabs(c->first - c->vmin) <= fabs(c->first - c->vmax);
    double a = up ? c->vmin : c->vmax, b = up ? c->vmax : c->vmin;
    double ya = bot - (a - vmin) / (vmax - vmin) * PANEL_H;
    double yb = bot - (b - vmin) / (vmax - vmin) * PANEL_H;
    int rc;
    /* values off the scale (the extreme-value fallback) stay near the panel */
    ya = ya < bot - PANEL_H - 2 ? bot - PANEL_H - 2 : ya > bot + 2 ? bot + 2 : ya;
    yb = yb < bot - PANEL_H - 2 ? bot - PANEL_H - 2 : yb > bot + 2 ? bot + 2 : yb;
    rc = sim_buf_printf(o, "%s%.1f %.1f", first ? "M" : move ? " M" : " L", x, ya);
    if (c->vmin != c->vmax)
        rc |= sim_buf_printf(o, " L%.1f %.1f", x, yb);
    return rc;
}

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

int sim_plot_svg(const sim_plot *p, sim_buf *o)
{
    int W = p->width > 0 ? p->width : 1200;
    double PW = W - MARGIN_L - MARGIN_R;
    size_t np = p->n_series, i, k;
    double top0 = TITLE_H + LEGEND_H + 22;
    double H = top0 + (double)np * (PANEL_H + PANEL_GAP) - PANEL_GAP + AXIS_H;
    int64_t tlo = INT64_MAX, thi = INT64_MIN, step = 0, span, t, first_tick;
    bool any = false;
    int rc = 0;
    bool sev_seen[N_SEVERITIES] = {false};

    if (np == 0)
        H = top0 + PANEL_H + AXIS_H;
    for (i = 0; i < np; i++) {
        const sim_plot_series *s = p->series[i];
        for (k = 0; k < s->nb; k++) {
            if (s->b[k].t0 < tlo)
                tlo = s->b[k].t0;
            if (s->b[k].t1 > thi)
                thi = s->b[k].t1;
            any = true;
        }
    }
    if (!any) {
        for (i = 0; i < p->n_alerts; i++) {
            tlo = p->alerts[i].t_ms < tlo ? p->alerts[i].t_ms : tlo;
            thi = p->alerts[i].t_ms > thi ? p->alerts[i].t_ms : thi;
            any = true;
        }
    }
    if (!any) {
        tlo = 0;
        thi = 1000;
    }
    if (thi <= tlo)
        thi = tlo + 1000;
    span = thi - tlo;
    for (k = 0; k < sizeof time_steps / sizeof time_steps[0]; k++) {
        step = time_steps[k];
        if (span / step <= 8)
            break;
    }
    while (span / step > 8)
        step *= 2;

    /* ticks at multiples of the step in absolute time when there is one,
    ** so a 15 min step falls on 10:15, 10:30, ... */
    {
        int64_t off = p->has_epoch ? p->epoch_ms : 0;
        first_tick = floor_div(tlo + off + step - 1, step) * step - off;
    }

#define X(tt) (MARGIN_L + ((double)((tt) - tlo)) / (double)span * PW)

    rc |= sim_buf_printf(o, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%.0f\" "
        "viewBox=\"0 0 %d %.0f\" font-family=\"sans-serif\" font-size=\"11\">\n",
        W, H, W, H);
    rc |= sim_buf_printf(o, "<rect width=\"%d\" height=\"%.0f\" fill=\"#ffffff\"/>\n",
                         W, H);
    rc |= sim_buf_printf(o, "<text class=\"title\" x=\"%d\" y=\"22\" "
                         "text-anchor=\"middle\" font-size=\"15\" "
                         "font-weight=\"bold\">", W / 2);
    rc |= put_text(o, p->title != NULL ? p->title : "tinycep sim");
    rc |= sim_buf_add(o, "</text>\n", 8);

    /* legend: severities present, then label windows */
    for (i = 0; i < p->n_alerts; i++) {
        sev_seen[severity_index(p->alerts[i].severity)] = true;
    }
    {
        double lx = MARGIN_L;
        double ly = TITLE_H + 4;
        rc |= sim_buf_add(o, "<g class=\"legend\">\n", 19);
        for (i = 0; i < (size_t)N_SEVERITIES; i++) {
            if (!sev_seen[i])
                continue;
            rc |= sim_buf_printf(o, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
                "y2=\"%.1f\" stroke=\"%s\" stroke-width=\"2\"/><text x=\"%.1f\" "
                "y=\"%.1f\">alert: %s</text>\n", lx, ly, lx, ly + 12,
                severities[i].colour, lx + 5, ly + 10, severities[i].name);
            lx += 110;
        }
        if (p->n_windows > 0) {
            rc |= sim_buf_printf(o, "<rect x=\"%.1f\" y=\"%.1f\" width=\"14\" "
                "height=\"12\" fill=\"#d62728\" fill-opacity=\"0.15\"/><text "
                "x=\"%.1f\" y=\"%.1f\">label window</text>\n", lx, ly, lx + 18,
                ly + 10);
        }
        rc |= sim_buf_add(o, "</g>\n", 5);
    }

    for (i = 0; i < (np > 0 ? np : 1); i++) {
        const sim_plot_series *s = np > 0 ? p->series[i] : NULL;
        double top = top0 + (double)i * (PANEL_H + PANEL_GAP), bot = top + PANEL_H;
        double vmin = (double)INFINITY, vmax = -(double)INFINITY, ystep, v0;
        const char *colour = series_colours[i % (sizeof series_colours /
                                                 sizeof series_colours[0])];
        rc |= sim_buf_printf(o, "<g class=\"panel\">\n<rect x=\"%d\" y=\"%.1f\" "
            "width=\"%.1f\" height=\"%d\" fill=\"#fbfbfb\" stroke=\"#444444\"/>\n",
            MARGIN_L, top, PW, PANEL_H);
        /* label windows, clipped to the time range */
        for (k = 0; k < p->n_windows; k++) {
            int64_t a = p->windows[k].start_ms, b = p->windows[k].end_ms;
            if (b < tlo || a > thi)
                continue;
            a = a < tlo ? tlo : a;
            b = b > thi ? thi : b;
            rc |= sim_buf_printf(o, "<rect class=\"window\" x=\"%.1f\" y=\"%.1f\" "
                "width=\"%.1f\" height=\"%d\" fill=\"#d62728\" "
                "fill-opacity=\"0.15\"/>\n", X(a), top,
                X(b) - X(a) > 1.0 ? X(b) - X(a) : 1.0, PANEL_H);
        }
        for (k = 0; s != NULL && k < s->nb; k++) {
            vmin = s->b[k].vmin < vmin ? s->b[k].vmin : vmin;
            vmax = s->b[k].vmax > vmax ? s->b[k].vmax : vmax;
        }
        if (vmin > vmax) {
            vmin = 0;
            vmax = 1;
        }
        if (vmax - vmin < 1e-12 * (fabs(vmax) + 1.0)) {
            double d = fabs(vmax) > 0 ? fabs(vmax) * 0.1 : 1.0;
            vmin -= d;
            vmax += d;
        }
        ystep = nice_step(vmax - vmin, 4);
        vmin = floor(vmin / ystep) * ystep;
        vmax = ceil(vmax / ystep) * ystep;
        if (!(ystep > 0) || !isfinite(vmin) || !isfinite(vmax) ||
            (vmax - vmin) / ystep > 40.0 || !(vmax > vmin)) {
            vmin = 0;           /* values too extreme for a scale: say so */
            vmax = 1;
            ystep = 0.25;
        }
#define Y(vv) (bot - ((vv) - vmin) / (vmax - vmin) * PANEL_H)
        /* y grid and tick labels */
        for (k = 0; (v0 = vmin + (double)k * ystep) <= vmax + ystep * 0.5; k++) {
            char lab[48];
            fmt_tick(v0, ystep, lab, sizeof lab);
            rc |= sim_buf_printf(o, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%.1f\" "
                "y2=\"%.1f\" stroke=\"#dddddd\"/><text x=\"%d\" y=\"%.1f\" "
                "text-anchor=\"end\">%s</text>\n", MARGIN_L, Y(v0),
                MARGIN_L + PW, Y(v0), MARGIN_L - 5, Y(v0) + 4, lab);
        }
        /* x grid */
        for (t = first_tick; t <= thi; t += step)
            rc |= sim_buf_printf(o, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
                "y2=\"%.1f\" stroke=\"#eeeeee\"/>\n", X(t), top, X(t), bot);
        /* the panel's name and unit */
        rc |= sim_buf_printf(o, "<text class=\"series-name\" x=\"%d\" y=\"%.1f\" "
                             "font-weight=\"bold\">", MARGIN_L, top - 6);
        rc |= put_text(o, s != NULL ? s->name : "(no series)");
        if (s != NULL && s->unit[0] != '\0') {
            rc |= sim_buf_add(o, " [", 2);
            rc |= put_text(o, s->unit);
            rc |= sim_buf_add(o, "]", 1);
        }
        rc |= sim_buf_add(o, "</text>\n", 8);
        /* the data: per pixel column a min and a max point */
        if (s != NULL && s->nb > 0) {
            struct bucket c = s->b[0];
            long col = (long)floor(X(s->b[0].t0));
            bool first = true, move = true;
            /* a silence longer than 5 mean sample spacings and 2 pixel
            ** columns is a gap in the line, not a straight bridge over it */
            double series_ms = (double)(s->b[s->nb - 1].t1 - s->b[0].t0);
            double gap_ms = s->points > 1 ? 5.0 * series_ms / (double)(s->points - 1) : 0.0;
            rc |= sim_buf_printf(o, "<path class=\"series\" fill=\"none\" "
                                 "stroke=\"%s\" stroke-width=\"1\" d=\"", colour);
            for (k = 1; k <= s->nb; k++) {
                long kc = k < s->nb ? (long)floor(X(s->b[k].t0)) : col + 1;
                if (k < s->nb && kc == col) {
                    merge_into(&c, &s->b[k]);
                    continue;
                }
                rc |= emit_column(o, (double)col + 0.5, &c, bot, vmin, vmax, first, move);
                first = false;
                if (k < s->nb) {
                    move = (double)(s->b[k].t0 - c.t1) > gap_ms && kc - col > 2;
                    c = s->b[k];
                    col = kc;
                }
            }
            rc |= sim_buf_add(o, "\"/>\n", 4);
        }
#undef Y
        rc |= sim_buf_add(o, "</g>\n", 5);
    }

    /* time axis under the last panel */
    {
        double axy = top0 + (double)(np > 0 ? np : 1) * (PANEL_H + PANEL_GAP) -
                     PANEL_GAP;
        char lab[64], iso[40];
        rc |= sim_buf_add(o, "<g class=\"time-axis\">\n", 22);
        for (t = first_tick; t <= thi; t += step) {
            fmt_time(p->has_epoch ? p->epoch_ms + t : t, step, span,
                     p->has_epoch, lab, sizeof lab);
            rc |= sim_buf_printf(o, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
                "y2=\"%.1f\" stroke=\"#444444\"/><text x=\"%.1f\" y=\"%.1f\" "
                "text-anchor=\"middle\">%s</text>\n", X(t), axy, X(t), axy + 5,
                X(t), axy + 17, lab);
        }
        if (p->has_epoch) {
            sim_format_iso(p->epoch_ms + tlo, iso);
            rc |= sim_buf_printf(o, "<text x=\"%.1f\" y=\"%.1f\" "
                "text-anchor=\"middle\">time (UTC), from %.10s %.8s</text>\n",
                MARGIN_L + PW / 2, axy + 36, iso, iso + 11);
        } else {
            rc |= sim_buf_printf(o, "<text x=\"%.1f\" y=\"%.1f\" "
                "text-anchor=\"middle\">time (%s)</text>\n", MARGIN_L + PW / 2,
                axy + 36, span < 120000 || step < 1000 ? "s"
                        : span < 7200000 ? "min:s" : "h:min:s");
        }
        rc |= sim_buf_add(o, "</g>\n", 5);
    }

    /* alerts on top: one line through every panel; names when few */
    {
        double ytop = top0, ybot = top0 + (double)(np > 0 ? np : 1) *
                                          (PANEL_H + PANEL_GAP) - PANEL_GAP;
        long lastcol[N_SEVERITIES] = {LONG_MIN, LONG_MIN, LONG_MIN, LONG_MIN, LONG_MIN};
        bool labels = p->n_alerts <= SIM_PLOT_MAX_LABELLED_ALERTS;
        rc |= sim_buf_add(o, "<g class=\"alerts\">\n", 19);
        for (i = 0; i < p->n_alerts; i++) {
            const sim_plot_alert *a = &p->alerts[i];
            double x;
            long c;
            if (a->t_ms < tlo || a->t_ms > thi)
                continue;
            x = X(a->t_ms);
            c = (long)floor(x);
            /* many alerts: one marker per pixel column and severity */
            {
                int si = severity_index(a->severity);
                if (!labels && c == lastcol[si])
                    continue;
                lastcol[si] = c;
            }
            rc |= sim_buf_printf(o, "<line class=\"alert\" x1=\"%.1f\" y1=\"%.1f\" "
                "x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"1.5\"/>\n",
                x, ytop, x, ybot, severity_colour(a->severity));
            if (labels) {
                rc |= sim_buf_printf(o, "<text class=\"alert-name\" x=\"%.1f\" "
                    "y=\"%.1f\" fill=\"%s\" font-size=\"10\" stroke=\"#ffffff\" "
                    "stroke-width=\"3\" paint-order=\"stroke\" "
                    "transform=\"rotate(-90 %.1f %.1f)\" text-anchor=\"end\">",
                    x + 11, ytop + 4, severity_colour(a->severity), x + 11, ytop + 4);
                rc |= put_text(o, a->rule);
                rc |= sim_buf_add(o, "</text>\n", 8);
            }
        }
        rc |= sim_buf_add(o, "</g>\n", 5);
    }
#undef X
    rc |= sim_buf_add(o, "</svg>\n", 7);
    return rc != 0 ? -1 : 0;
}
