/*
** alert_json.c — the two alert output formats of `tinycep sim`:
**
**   --format json   one JSON object per line: rule, severity, time, message
**                   and the matched events with their times and values
**                   (why the alert fired);
**   --format lines  "t=12.345s critical rule: message" — the line the
**                   firmware prints byte for byte, so it is kept trivial:
**                   integer milliseconds printed as seconds with three
**                   decimals, no floating point, no escaping beyond
**                   replacing control bytes with '?'.
**
** Both are specified in docs/traces.md.  Times are integers formatted
** exactly, and values use "%.9g" (enough to round-trip a float32), so
** output is identical on every run and machine.
*/
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "sim/sim.h"
#include "sim/internal.h"

int sim_json_string(const char *s, size_t len, sim_buf *out)
{
    const unsigned char *p = (const unsigned char *)s, *end = p + len;
    int rc = sim_buf_add(out, "\"", 1);
    while (p < end) {
        const unsigned char *run = p;
        size_t n;
        /* copy the longest run of bytes that need no escaping at once */
        while (p < end && *p >= 0x20 && *p < 0x7f && *p != '"' && *p != '\\')
            p++;
        if (p > run)
            rc |= sim_buf_add(out, run, (size_t)(p - run));
        if (p >= end)
            break;
        switch (*p) {
        case '"': rc |= sim_buf_add(out, "\\\"", 2); p++; continue;
        case '\\': rc |= sim_buf_add(out, "\\\\", 2); p++; continue;
        case '\n': rc |= sim_buf_add(out, "\\n", 2); p++; continue;
        case '\r': rc |= sim_buf_add(out, "\\r", 2); p++; continue;
        case '\t': rc |= sim_buf_add(out, "\\t", 2); p++; continue;
        case '\b': rc |= sim_buf_add(out, "\\b", 2); p++; continue;
        case '\f': rc |= sim_buf_add(out, "\\f", 2); p++; continue;
        default: break;
        }
        if (*p < 0x20 || *p == 0x7f) {
            rc |= sim_buf_printf(out, "\\u%04x", *p);
            p++;
            continue;
        }
        n = sim_utf8_len(p, end);
        if (n == 0) {
            rc |= sim_buf_add(out, "\xEF\xBF\xBD", 3);  /* U+FFFD */
            p++;
        } else {
            rc |= sim_buf_add(out, p, n);
            p += n;
        }
    }
    rc |= sim_buf_add(out, "\"", 1);
    return rc != 0 ? -1 : 0;
}

static int put_str(sim_buf *out, const char *s)
{
    return sim_json_string(s != NULL ? s : "", s != NULL ? strlen(s) : 0, out);
}

static int put_time(sim_buf *out, int64_t t_ms, bool has_epoch, int64_t epoch)
{
    char sec[32], iso[40];
    int rc;
    sim_format_seconds(t_ms, sec);
    rc = sim_buf_printf(out, "\"t_s\":%s", sec);
    if (has_epoch) {
        sim_format_iso(epoch + t_ms, iso);
        rc |= sim_buf_printf(out, ",\"time\":\"%s\"", iso);
    }
    return rc;
}

int sim_alert_json(const sim_alert *a, bool has_epoch, int64_t epoch_ms,
                   sim_buf *out)
{
    size_t e, v;
    int rc = sim_buf_add(out, "{\"rule\":", 8);
    rc |= put_str(out, a->rule);
    rc |= sim_buf_add(out, ",\"severity\":", 12);
    rc |= put_str(out, a->severity);
    rc |= sim_buf_add(out, ",", 1);
    rc |= put_time(out, a->t_ms, has_epoch, epoch_ms);
    rc |= sim_buf_add(out, ",\"message\":", 11);
    rc |= put_str(out, a->message);
    rc |= sim_buf_add(out, ",\"events\":[", 11);
    for (e = 0; e < a->n_events; e++) {
        const sim_alert_event *ev = &a->events[e];
        rc |= sim_buf_add(out, e ? ",{\"event\":" : "{\"event\":", e ? 10 : 9);
        rc |= put_str(out, ev->name);
        rc |= sim_buf_add(out, ",", 1);
        rc |= put_time(out, ev->t_ms, has_epoch, epoch_ms);
        rc |= sim_buf_add(out, ",\"values\":{", 11);
        for (v = 0; v < ev->n_values; v++) {
            double x = ev->values[v].value;
            if (v)
                rc |= sim_buf_add(out, ",", 1);
            rc |= put_str(out, ev->values[v].name);
            if (isnan(x) || isinf(x))
                rc |= sim_buf_add(out, ":null", 5);   /* JSON has no NaN */
            else
                rc |= sim_buf_printf(out, ":%.9g", x == 0.0 ? 0.0 : x);
        }
        rc |= sim_buf_add(out, "}}", 2);
    }
    rc |= sim_buf_add(out, "]}\n", 3);
    return rc != 0 ? -1 : 0;
}

/* Appends s with every control byte (< 0x20, 0x7f) replaced by '?'. */
static int put_plain(sim_buf *out, const char *s)
{
    int rc = 0;
    if (s == NULL)
        return 0;
    while (*s != '\0') {
        const char *run = s;
        while (*s != '\0' && (unsigned char)*s >= 0x20 && *s != 0x7f)
            s++;
        if (s > run)
            rc |= sim_buf_add(out, run, (size_t)(s - run));
        if (*s != '\0') {
            rc |= sim_buf_add(out, "?", 1);
            s++;
        }
    }
    return rc;
}

int sim_alert_line(const sim_alert *a, sim_buf *out)
{
    char sec[32];
    int rc;
    sim_format_seconds(a->t_ms, sec);
    rc = sim_buf_printf(out, "t=%ss ", sec);
    rc |= put_plain(out, a->severity);
    rc |= sim_buf_add(out, " ", 1);
    rc |= put_plain(out, a->rule);
    rc |= sim_buf_add(out, ": ", 2);
    rc |= put_plain(out, a->message);
    rc |= sim_buf_add(out, "\n", 1);
    return rc != 0 ? -1 : 0;
}
