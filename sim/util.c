/*
** util.c — small shared pieces of the simulator: the growable output buffer,
** exact formatting of millisecond times, and ISO-8601 date-time parsing and
** printing in integer arithmetic (no time zone database, no locale: a date
** without an offset is UTC, so the same trace gives the same times on every
** machine).
*/
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/sim.h"

void sim_buf_free(sim_buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

static int buf_reserve(sim_buf *b, size_t extra)
{
    size_t need = b->len + extra + 1, cap;
    char *p;
    if (need <= b->cap)
        return 0;
    cap = b->cap ? b->cap : 256;
    while (cap < need)
        cap *= 2;
    p = realloc(b->data, cap);
    if (p == NULL)
        return -1;
    b->data = p;
    b->cap = cap;
    return 0;
}

int sim_buf_add(sim_buf *b, const void *p, size_t n)
{
    if (buf_reserve(b, n) != 0)
        return -1;
    if (n > 0)
        memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = '\0';
    return 0;
}

int sim_buf_printf(sim_buf *b, const char *fmt, ...)
{
    va_list ap;
    int n;
    char small[256];
    va_start(ap, fmt);
    n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0)
        return -1;
    if ((size_t)n < sizeof small)
        return sim_buf_add(b, small, (size_t)n);
    if (buf_reserve(b, (size_t)n) != 0)
        return -1;
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
    return 0;
}

void sim_format_seconds(int64_t t_ms, char *out)
{
    /* Integer arithmetic, so 12345 ms is always "12.345" (no binary
    ** fraction rounding); the magnitude is taken as unsigned so INT64_MIN
    ** does not overflow. */
    uint64_t m = t_ms < 0 ? (uint64_t)0 - (uint64_t)t_ms : (uint64_t)t_ms;
    snprintf(out, 32, "%s%llu.%03u", t_ms < 0 ? "-" : "",
             (unsigned long long)(m / 1000), (unsigned)(m % 1000));
}

/* Days since 1970-01-01 of a proleptic Gregorian date (valid for any year
** representable here); the usual era-of-400-years decomposition. */
static int64_t days_from_civil(int64_t y, int m, int d)
{
    int64_t era, yoe, doy, doe;
    y -= m <= 2;
    era = (y >= 0 ? y : y - 399) / 400;
    yoe = y - era * 400;
    doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
    int64_t era, doe, yoe, doy, mp;
    z += 719468;
    era = (z >= 0 ? z : z - 146096) / 146097;
    doe = z - era * 146097;
    yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = yoe + era * 400 + (*m <= 2);
}

void sim_format_iso(int64_t epoch_ms, char *out)
{
    int64_t days = epoch_ms >= 0 ? epoch_ms / 86400000
                                 : -((-epoch_ms + 86399999) / 86400000);
    int64_t ms = epoch_ms - days * 86400000, y;
    int m, d;
    civil_from_days(days, &y, &m, &d);
    snprintf(out, 40, "%04lld-%02d-%02dT%02d:%02d:%02d.%03dZ", (long long)y, m,
             d, (int)(ms / 3600000), (int)(ms / 60000 % 60),
             (int)(ms / 1000 % 60), (int)(ms % 1000));
}

/* Reads exactly `width` digits (or 1..width when `flex`) at *p. */
static int take_digits(const char **p, const char *end, int minw, int maxw,
                       int *out)
{
    int v = 0, n = 0;
    while (*p < end && n < maxw && **p >= '0' && **p <= '9') {
        v = v * 10 + (**p - '0');
        (*p)++;
        n++;
    }
    if (n < minw)
        return -1;
    *out = v;
    return 0;
}

static int is_leap(int64_t y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int sim_parse_iso(const char *text, size_t len, int64_t *epoch_ms)
{
    /* YYYY(-|.|/)MM(sep)DD[(T| |.|_)hh(:|.)mm[(:|.)ss[.fff...]]][Z|±hh[:]mm]
    ** The same date separator must be used twice; '.' as a time separator
    ** covers the NASA IMS "2004.02.12.10.32.39" stamps. */
    static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const char *p = text, *end = text + len;
    int y, mo, d, h = 0, mi = 0, s = 0, ms = 0, dim;
    char dsep, tsep;
    int64_t t;
    if (take_digits(&p, end, 4, 4, &y) != 0 || p >= end)
        return -1;
    dsep = *p;
    if (dsep != '-' && dsep != '.' && dsep != '/')
        return -1;
    p++;
    if (take_digits(&p, end, 1, 2, &mo) != 0 || p >= end || *p != dsep)
        return -1;
    p++;
    if (take_digits(&p, end, 1, 2, &d) != 0)
        return -1;
    if (mo < 1 || mo > 12)
        return -1;
    dim = mdays[mo - 1] + (mo == 2 && is_leap(y));
    if (d < 1 || d > dim)
        return -1;
    if (p < end && (*p == 'T' || *p == ' ' || *p == '.' || *p == '_')) {
        p++;
        if (take_digits(&p, end, 1, 2, &h) != 0 || p >= end)
            return -1;
        tsep = *p;
        if (tsep != ':' && tsep != '.')
            return -1;
        p++;
        if (take_digits(&p, end, 2, 2, &mi) != 0)
            return -1;
        if (p < end && *p == tsep && p + 1 < end && p[1] >= '0' && p[1] <= '9') {
            p++;
            if (take_digits(&p, end, 2, 2, &s) != 0)
                return -1;
            if (p < end && (*p == '.' || *p == ',')) {
                /* fraction: milliseconds, truncated beyond the third digit */
                int k = 0;
                p++;
                if (p >= end || *p < '0' || *p > '9')
                    return -1;
                while (p < end && *p >= '0' && *p <= '9') {
                    if (k < 3)
                        ms = ms * 10 + (*p - '0');
                    k++;
                    p++;
                }
                while (k < 3) {
                    ms *= 10;
                    k++;
                }
            }
        }
        if (h > 23 || mi > 59 || s > 60)
            return -1;
    }
    t = (days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s) * 1000 + ms;
    if (p < end && *p == 'Z') {
        p++;
    } else if (p < end && (*p == '+' || *p == '-')) {
        int sign = *p == '-' ? -1 : 1, oh, om = 0;
        p++;
        if (take_digits(&p, end, 2, 2, &oh) != 0)
            return -1;
        if (p < end && *p == ':')
            p++;
        if (p < end && take_digits(&p, end, 2, 2, &om) != 0)
            return -1;
        if (oh > 23 || om > 59)
            return -1;
        /* local = UTC + offset, so UTC = local - offset */
        t -= sign * (int64_t)(oh * 60 + om) * 60000;
    }
    if (p != end)
        return -1;
    *epoch_ms = t;
    return 0;
}
