/*
** trace.c — streaming CSV trace reader and k-way merge by timestamp.
**
** Each trace is read through one byte buffer (64 KiB, doubled on demand up
** to SIM_TRACE_MAX_RECORD for very long lines) and parsed in place: a record
** is located with memchr (a quote-aware scan only when the line has a '"'),
** split into fields by writing NULs over the separators, and only the bound
** columns are converted.  Nothing is allocated per row or per field, and
** memory does not depend on the trace length.
**
** Times become int64 ms.  Date-times are absolute (UTC ms); numeric columns
** are taken as they are; a trace read at an implied rate has sample i at
** floor(i * 1000 / rate) ms, computed in integers from the decimal rate.  The
** stream origin (t_ms == 0) is the earliest first-row time over all traces.
** Bad rows are errors, or, with skip_bad, counted per reason with their
** first line numbers: never dropped silently.  The format and every rule
** are documented in docs/traces.md.
*/
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "sim/sim.h"

#define SIM_TRACE_CHUNK      (64u * 1024u)
#define SIM_TRACE_MAX_RECORD (16u * 1024u * 1024u)

/* One field of the current record, NUL-terminated in the buffer. */
struct field {
    char *s;
    size_t n;
    size_t col;                 /* 1-based byte column in the line */
};

/* One input bound to columns of this trace. */
struct binding {
    size_t input;
    size_t dim;
    size_t first_value;         /* index into trace.values */
    size_t *cols;               /* dim column indexes */
};

struct trace {
    const sim_trace_spec *spec;
    const char *name;           /* for messages */
    FILE *fp;                   /* NULL when reading spec->data */
    size_t mem_pos;
    char *buf;
    size_t cap, beg, end;
    bool eof;
    uint64_t bytes_read, total_bytes;
    uint64_t next_line;         /* 1-based line of the next record */
    uint64_t line;              /* line of the current record */
    char sep;
    char **cols;                /* header names (trimmed copies) */
    size_t ncols;
    struct field *fields;
    size_t fields_cap, nfields;
    long time_col;              /* -1: none */
    sim_time_unit unit;
    bool use_rate;
    uint64_t rate_num, rate_den;/* rate = num / den Hz */
    long label_col;
    struct binding *binds;
    size_t nbinds;
    double *values;
    size_t nvalues;
    sim_sample *samples;
    /* the head row (parsed, not yet delivered) */
    bool has_head;
    int64_t head_t;             /* absolute time of the head */
    uint64_t head_line, head_row;
    int head_label;
    bool have_prev;
    int64_t prev_t;
    uint64_t rows_seen;         /* data records seen, good or bad */
    sim_trace_stats stats;
};

struct sim_stream {
    struct trace *tr;
    size_t ntr;
    const sim_input *inputs;
    size_t ninputs;
    sim_read_opts opts;
    int64_t origin;
    bool has_epoch;
    long last;                  /* trace of the last delivered record */
    bool finished;
};

/* ------------------------------------------------------------ messages */

static void err_set(sim_err *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void err_set(sim_err *err, const char *fmt, ...)
{
    va_list ap;
    if (err == NULL)
        return;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    va_end(ap);
}

/* A short printable excerpt of field text for messages. */
static void excerpt(const char *s, size_t n, char *out, size_t outsz)
{
    size_t i, o = 0;
    for (i = 0; i < n && o + 5 < outsz; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c < 0x7f) {
            out[o++] = (char)c;
        } else {
            snprintf(out + o, outsz - o, "\\x%02x", c);
            o += 4;
        }
    }
    if (i < n && o + 4 <= outsz) {
        memcpy(out + o, "...", 3);
        o += 3;
    }
    out[o] = '\0';
}

/* Case-insensitive Levenshtein distance, capped for long names. */
static size_t edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b), i, j;
    size_t row[65];
    if (la > 64 || lb > 64)
        return (size_t)-1;
    for (j = 0; j <= lb; j++)
        row[j] = j;
    for (i = 1; i <= la; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (j = 1; j <= lb; j++) {
            size_t up = row[j];
            size_t cost = tolower((unsigned char)a[i - 1]) ==
                          tolower((unsigned char)b[j - 1]) ? 0 : 1;
            size_t best = diag + cost;
            if (row[j] + 1 < best)
                best = row[j] + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[lb];
}

static bool prefix_ci(const char *p, const char *s)
{
    for (; *p != '\0'; p++, s++)
        if (tolower((unsigned char)*p) != tolower((unsigned char)*s))
            return false;
    return true;
}

/* The closest column name over all traces, or NULL. */
static const char *did_you_mean(const sim_stream *s, const char *name)
{
    const char *best = NULL;
    size_t bestd = (size_t)-1, i, c, len = strlen(name);
    size_t limit = 1 + len / 3;
    for (i = 0; i < s->ntr; i++) {
        for (c = 0; c < s->tr[i].ncols; c++) {
            const char *cn = s->tr[i].cols[c];
            size_t d;
            if ((long)c == s->tr[i].time_col || (long)c == s->tr[i].label_col)
                continue;       /* already used: not what was meant */
            d = edit_distance(name, cn);
            if (cn[0] != '\0' && len >= 3 && prefix_ci(name, cn))
                d = 1;          /* "temp" for "Temperature" */
            if (d <= limit && d < bestd) {
                bestd = d;
                best = cn;
            }
        }
    }
    return best;
}

/* ------------------------------------------------------------ reading */

static int trace_fill(struct trace *t, sim_err *err)
{
    size_t room, got;
    if (t->beg > 0) {
        memmove(t->buf, t->buf + t->beg, t->end - t->beg);
        t->end -= t->beg;
        t->beg = 0;
    }
    if (t->end + 1 >= t->cap) {
        char *nb;
        if (t->cap >= SIM_TRACE_MAX_RECORD) {
            err_set(err, "%s:%llu: error: record longer than %u bytes (an "
                    "unclosed quote?)",
                    t->name, (unsigned long long)t->next_line,
                    SIM_TRACE_MAX_RECORD);
            return -1;
        }
        nb = realloc(t->buf, t->cap * 2);
        if (nb == NULL) {
            err_set(err, "%s: error: out of memory", t->name);
            return -1;
        }
        t->buf = nb;
        t->cap *= 2;
    }
    room = t->cap - 1 - t->end;     /* one byte kept for a final NUL */
    if (t->fp != NULL) {
        got = fread(t->buf + t->end, 1, room, t->fp);
        if (got < room && ferror(t->fp)) {
            err_set(err, "%s: error: read failed: %s", t->name, strerror(errno));
            return -1;
        }
    } else {
        got = t->spec->data_len - t->mem_pos;
        if (got > room)
            got = room;
        if (got > 0)
            memcpy(t->buf + t->end, t->spec->data + t->mem_pos, got);
        t->mem_pos += got;
    }
    if (got == 0)
        t->eof = true;
    if (t->bytes_read == 0 && got >= 3 &&
        memcmp(t->buf + t->end, "\xEF\xBB\xBF", 3) == 0) {
        t->beg += 3;            /* UTF-8 byte order mark */
    }
    t->end += got;
    t->bytes_read += got;
    return 0;
}

/* Finds the end of the record starting at p (n bytes available).  Returns
** true with *len (bytes before the '\n') and *nls (newlines inside quotes)
** when a '\n' outside quotes is found. */
static bool scan_record(const char *p, size_t n, char sep, size_t *len,
                        uint64_t *nls)
{
    const char *nl = memchr(p, '\n', n);
    size_t i;
    bool inq = false, at_start = true;
    if (nl != NULL && memchr(p, '"', (size_t)(nl - p)) == NULL) {
        *len = (size_t)(nl - p);
        *nls = 0;
        return true;
    }
    /* a quote opens a quoted field only at the start of a field */
    *nls = 0;
    for (i = 0; i < n; i++) {
        char c = p[i];
        if (inq) {
            if (c == '"') {
                if (i + 1 < n && p[i + 1] == '"')
                    i++;
                else if (i + 1 == n)
                    return false;   /* cannot tell "" from " yet */
                else
                    inq = false;
            } else if (c == '\n') {
                (*nls)++;
            }
            continue;
        }
        if (c == '\n') {
            *len = i;
            return true;
        }
        if (c == '"' && at_start)
            inq = true;
        at_start = c == sep;
    }
    return false;
}

/* Reads the next record into the buffer: 1 with line and len set, 0 at EOF. */
static int trace_record(struct trace *t, char **line, size_t *len,
                        sim_err *err)
{
    for (;;) {
        size_t n = t->end - t->beg, l;
        uint64_t nls;
        if (n > 0 && scan_record(t->buf + t->beg, n, t->sep, &l, &nls)) {
            *line = t->buf + t->beg;
            *len = l;
            t->beg += l + 1;
            t->line = t->next_line;
            t->next_line += 1 + nls;
            break;
        }
        if (t->eof) {
            if (n == 0)
                return 0;
            /* last line without '\n': buf[end] is spare room for the NUL */
            *line = t->buf + t->beg;
            *len = n;
            t->beg = t->end;
            t->line = t->next_line;
            t->next_line++;
            break;
        }
        if (trace_fill(t, err) != 0)
            return -1;
    }
    if (*len > 0 && (*line)[*len - 1] == '\r')
        (*len)--;
    (*line)[*len] = '\0';
    return 1;
}

/* Splits line in place.  Returns 0, or -1 with *bad_col for bad quoting. */
static int split_fields(struct trace *t, char *line, size_t len,
                        size_t *bad_col)
{
    size_t i = 0;
    t->nfields = 0;
    for (;;) {
        struct field f;
        size_t e;
        if (t->nfields == t->fields_cap) {
            size_t nc = t->fields_cap ? t->fields_cap * 2 : 16;
            struct field *nf = realloc(t->fields, nc * sizeof *nf);
            if (nf == NULL)
                return -2;
            t->fields = nf;
            t->fields_cap = nc;
        }
        f.col = i + 1;
        if (i < len && line[i] == '"') {
            size_t out = i;
            i++;
            for (;;) {
                if (i >= len) {
                    *bad_col = f.col;
                    return -1;  /* unterminated quote */
                }
                if (line[i] == '"') {
                    if (i + 1 < len && line[i + 1] == '"') {
                        line[out++] = '"';
                        i += 2;
                        continue;
                    }
                    i++;
                    break;
                }
                line[out++] = line[i++];
            }
            if (i < len && line[i] != t->sep) {
                *bad_col = i + 1;
                return -3;      /* text after the closing quote */
            }
            f.s = line + (f.col - 1);
            f.n = out - (f.col - 1);
            e = i;
        } else {
            const char *q = memchr(line + i, t->sep, len - i);
            e = q != NULL ? (size_t)(q - line) : len;
            f.s = line + i;
            f.n = e - i;
        }
        t->fields[t->nfields++] = f;
        if (e >= len) {
            f.s[f.n] = '\0';
            return 0;
        }
        f.s[f.n] = '\0';        /* over the separator (or inside quotes) */
        i = e + 1;
    }
}

static void trim(const char **s, size_t *n)
{
    while (*n > 0 && (**s == ' ' || **s == '\t'))
        (*s)++, (*n)--;
    while (*n > 0 && ((*s)[*n - 1] == ' ' || (*s)[*n - 1] == '\t'))
        (*n)--;
}

/* A decimal number: [+-]digits[.digits][e[+-]digits], or nan/inf. */
static int parse_number(const char *s, size_t n, double *out, bool *nonfinite)
{
    const char *p, *end;
    char tmp[64];
    size_t k;
    bool digits = false;
    uint64_t mant = 0;          /* first 15 significant digits */
    int sig = 0, scale10 = 0;   /* value = mant * 10^scale10 */
    trim(&s, &n);
    if (n == 0)
        return SIM_BAD_EMPTY + 1;
    *nonfinite = false;
    p = s;
    end = s + n;
    if (*p == '+' || *p == '-')
        p++;
    if ((size_t)(end - p) <= 8) {
        char low[9];
        size_t m = (size_t)(end - p);
        for (k = 0; k < m; k++)
            low[k] = (char)tolower((unsigned char)p[k]);
        low[m] = '\0';
        if (strcmp(low, "nan") == 0) {
            *out = (double)NAN;
            *nonfinite = true;
            return 0;
        }
        if (strcmp(low, "inf") == 0 || strcmp(low, "infinity") == 0) {
            *out = *s == '-' ? -(double)INFINITY : (double)INFINITY;
            *nonfinite = true;
            return 0;
        }
    }
    /* Validate, and gather the decimal mantissa as an integer on the way:
    ** with at most 15 significant digits and a power of ten up to 1e22
    ** both are exact doubles, so one IEEE multiply or divide gives the
    ** correctly rounded value, the same as strtod (Clinger's fast path),
    ** at a fraction of the cost. */
    while (p < end && *p >= '0' && *p <= '9') {
        if (mant != 0 || *p != '0')
            sig++;
        if (sig <= 15)
            mant = mant * 10 + (uint64_t)(*p - '0');
        else
            scale10++;
        p++, digits = true;
    }
    if (p < end && *p == '.') {
        p++;
        while (p < end && *p >= '0' && *p <= '9') {
            if (mant != 0 || *p != '0')
                sig++;
            if (sig <= 15) {
                mant = mant * 10 + (uint64_t)(*p - '0');
                scale10--;
            }
            p++, digits = true;
        }
    }
    if (!digits)
        return SIM_BAD_NUMBER + 1;
    if (p < end && (*p == 'e' || *p == 'E')) {
        int ex = 0;
        bool eneg = false;
        p++;
        if (p < end && (*p == '+' || *p == '-'))
            eneg = *p++ == '-';
        if (p >= end || *p < '0' || *p > '9')
            return SIM_BAD_NUMBER + 1;
        while (p < end && *p >= '0' && *p <= '9') {
            if (ex < 100000)
                ex = ex * 10 + (*p - '0');
            p++;
        }
        scale10 += eneg ? -ex : ex;
    }
    if (p != end)
        return SIM_BAD_NUMBER + 1;
    if (sig <= 15 && scale10 >= -22 && scale10 <= 22) {
        static const double pow10[23] = {
            1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
            1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
        double m = (double)mant;
        *out = scale10 < 0 ? m / pow10[-scale10] : m * pow10[scale10];
        if (*s == '-')
            *out = -*out;
        return 0;
    }
    if (n < sizeof tmp) {       /* the field may be followed by spaces */
        memcpy(tmp, s, n);
        tmp[n] = '\0';
        *out = strtod(tmp, NULL);
    } else {
        char *big = malloc(n + 1);
        if (big == NULL)
            return SIM_BAD_NUMBER + 1;
        memcpy(big, s, n);
        big[n] = '\0';
        *out = strtod(big, NULL);
        free(big);
    }
    return 0;
}

/* Decimal seconds (scale 1000) or milliseconds (scale 1) to exact ms,
** rounded half away from zero at the first dropped digit. */
static int parse_decimal_ms(const char *s, size_t n, int64_t scale,
                            int64_t *out)
{
    const char *p, *end;
    int64_t ip = 0, frac = 0, fscale = scale;
    int ndig = 0;
    bool neg = false, digits = false, round_up = false;
    trim(&s, &n);
    if (n == 0)
        return SIM_BAD_EMPTY + 1;
    p = s;
    end = s + n;
    if (*p == '+' || *p == '-')
        neg = *p++ == '-';
    while (p < end && *p >= '0' && *p <= '9') {
        if (++ndig > 15)
            return SIM_BAD_TIME + 1;
        ip = ip * 10 + (*p++ - '0');
        digits = true;
    }
    if (p < end && *p == '.') {
        p++;
        while (p < end && *p >= '0' && *p <= '9') {
            if (fscale > 1) {
                fscale /= 10;
                frac += (*p - '0') * fscale;
            } else if (fscale == 1) {
                round_up = *p >= '5';
                fscale = 0;
            }
            p++;
            digits = true;
        }
    }
    if (!digits)
        return SIM_BAD_TIME + 1;
    if (p < end && (*p == 'e' || *p == 'E')) {
        double v;
        bool nf;
        if (parse_number(s, n, &v, &nf) != 0 || nf)
            return SIM_BAD_TIME + 1;
        v *= (double)scale;
        if (!(fabs(v) < 9.0e15))
            return SIM_BAD_TIME + 1;
        *out = (int64_t)llround(v);
        return 0;
    }
    if (p != end)
        return SIM_BAD_TIME + 1;
    *out = ip * scale + frac + (round_up ? 1 : 0);
    if (neg)
        *out = -*out;
    return 0;
}

static int64_t rate_time(const struct trace *t, uint64_t row)
{
    /* floor(row * 1000 * den / num) without overflow */
    unsigned __int128 x = (unsigned __int128)row * 1000u * t->rate_den;
    return (int64_t)(x / t->rate_num);
}

static bool looks_millis(const char *name)
{
    size_t n = strlen(name);
    char low[8];
    size_t k;
    if (n < 2)
        return false;
    for (k = 0; k < 2; k++)
        low[k] = (char)tolower((unsigned char)name[n - 2 + k]);
    low[2] = '\0';
    if (strcmp(low, "ms") != 0)
        return false;
    return n == 2 || !isalpha((unsigned char)name[n - 3]);
}

/* Parses the current record of t into its head.  Returns 1 for a good row,
** 0 for a bad row that was skipped (counted), -1 for an error. */
static int parse_row(struct trace *t, char *line, size_t len,
                     const sim_read_opts *o, sim_err *err)
{
    size_t badcol = 0, b, k;
    long badfield = -1;         /* field index of the error, -1 for none */
    int reason = 0, rc;
    const char *what = "";
    char text[64] = "";
    const struct field *f;
    int64_t tm = 0;
    bool nf;
    uint64_t ordinal = t->rows_seen++;

    rc = split_fields(t, line, len, &badcol);
    if (rc == -2) {
        err_set(err, "%s: error: out of memory", t->name);
        return -1;
    }
    if (rc == -1 || rc == -3) {
        reason = SIM_BAD_QUOTE + 1;
        what = rc == -1 ? "unterminated quote" : "text after a closing quote";
        badfield = (long)t->nfields;
        goto bad;
    }
    if (t->nfields != t->ncols) {
        reason = SIM_BAD_RAGGED + 1;
        badcol = 1;
        snprintf(text, sizeof text, "%zu fields, the header has %zu",
                 t->nfields, t->ncols);
        what = "wrong number of fields";
        goto bad_noquote;
    }
    if (t->use_rate) {
        tm = rate_time(t, ordinal);
    } else {
        f = &t->fields[t->time_col];
        if (t->unit == SIM_TIME_AUTO) {
            const char *s = f->s;
            size_t n = f->n;
            int64_t dummy;
            trim(&s, &n);
            if (parse_decimal_ms(s, n, 1, &dummy) == 0)
                t->unit = looks_millis(t->cols[t->time_col]) ? SIM_TIME_MILLIS
                                                             : SIM_TIME_SECONDS;
            else if (sim_parse_iso(s, n, &dummy) == 0)
                t->unit = SIM_TIME_ISO;
        }
        if (t->unit == SIM_TIME_ISO) {
            const char *s = f->s;
            size_t n = f->n;
            trim(&s, &n);
            reason = n == 0 ? SIM_BAD_EMPTY + 1
                   : sim_parse_iso(s, n, &tm) == 0 ? 0 : SIM_BAD_TIME + 1;
        } else if (t->unit == SIM_TIME_AUTO) {
            reason = f->n == 0 ? SIM_BAD_EMPTY + 1 : SIM_BAD_TIME + 1;
        } else {
            reason = parse_decimal_ms(f->s, f->n,
                                      t->unit == SIM_TIME_MILLIS ? 1 : 1000, &tm);
        }
        if (reason != 0) {
            badcol = f->col;
            badfield = t->time_col;
            what = reason == SIM_BAD_EMPTY + 1 ? "empty time field"
                 : t->unit == SIM_TIME_ISO ? "not a date-time"
                 : t->unit == SIM_TIME_AUTO ? "neither a number nor a date-time"
                 : "not a decimal time";
            excerpt(f->s, f->n, text, sizeof text);
            goto bad;
        }
    }
    t->head_label = -1;
    if (t->label_col >= 0) {
        double v;
        f = &t->fields[t->label_col];
        reason = parse_number(f->s, f->n, &v, &nf);
        if (reason == 0 && !(v == 0.0 || v == 1.0))
            reason = SIM_BAD_LABEL + 1;
        if (reason != 0) {
            badcol = f->col;
            badfield = t->label_col;
            what = reason == SIM_BAD_EMPTY + 1 ? "empty label field"
                                               : "label is not 0 or 1";
            if (reason == SIM_BAD_NUMBER + 1)
                reason = SIM_BAD_LABEL + 1;
            excerpt(f->s, f->n, text, sizeof text);
            goto bad;
        }
        t->head_label = v == 1.0 ? 1 : 0;
    }
    for (b = 0; b < t->nbinds; b++) {
        const struct binding *bd = &t->binds[b];
        for (k = 0; k < bd->dim; k++) {
            f = &t->fields[bd->cols[k]];
            reason = parse_number(f->s, f->n, &t->values[bd->first_value + k], &nf);
            if (reason != 0) {
                badcol = f->col;
                badfield = (long)bd->cols[k];
                what = reason == SIM_BAD_EMPTY + 1 ? "empty field"
                                                   : "not a number";
                excerpt(f->s, f->n, text, sizeof text);
                goto bad;
            }
            if (nf)
                t->stats.nan_values++;
        }
    }
    if (t->have_prev && tm < t->prev_t) {
        if (o->strict) {
            char a[32], p[32];
            sim_format_seconds(tm, a);
            sim_format_seconds(t->prev_t, p);
            err_set(err, "%s:%llu:%zu: error: time goes backwards (%s s after "
                    "%s s) and --strict is set", t->name,
                    (unsigned long long)t->line,
                    t->use_rate ? (size_t)1 : t->fields[t->time_col].col, a, p);
            return -1;
        }
        if (t->stats.non_monotonic < SIM_FIRST_LINES)
            t->stats.non_monotonic_lines[t->stats.non_monotonic] = t->line;
        t->stats.non_monotonic++;
    }
    t->have_prev = true;
    t->prev_t = tm;
    t->head_t = tm;
    t->head_line = t->line;
    t->head_row = ordinal;
    t->has_head = true;
    t->stats.rows++;
    return 1;

bad:
    if (text[0] != '\0' && what[0] != '\0') {
        char q[80];
        size_t l;
        snprintf(q, sizeof q, "'%s'", text);
        l = strlen(q) < sizeof text - 1 ? strlen(q) : sizeof text - 1;
        memcpy(text, q, l);
        text[l] = '\0';
    }
bad_noquote:
    reason--;
    if (!o->skip_bad) {
        const char *colname = badfield >= 0 && (size_t)badfield < t->ncols
                              ? t->cols[badfield] : "";
        if (reason == SIM_BAD_RAGGED || colname[0] == '\0')
            err_set(err, "%s:%llu:%zu: error: %s%s%s (use --skip-bad to skip "
                    "bad rows)", t->name, (unsigned long long)t->line, badcol,
                    what, text[0] ? ": " : "", text);
        else
            err_set(err, "%s:%llu:%zu: error: column '%s': %s%s%s (use "
                    "--skip-bad to skip bad rows)", t->name,
                    (unsigned long long)t->line, badcol, colname, what,
                    text[0] ? ": " : "", text);
        return -1;
    }
    if (t->stats.bad[reason] < SIM_FIRST_LINES)
        t->stats.bad_lines[reason][t->stats.bad[reason]] = t->line;
    t->stats.bad[reason]++;
    return 0;
}

/* Advances t to its next good row; 1 found, 0 at end, -1 error. */
static int trace_advance(struct trace *t, const sim_read_opts *o, sim_err *err)
{
    t->has_head = false;
    for (;;) {
        char *line;
        size_t len;
        int rc = trace_record(t, &line, &len, err);
        if (rc <= 0)
            return rc;
        if (len == 0) {
            t->stats.blank_lines++;
            continue;
        }
        rc = parse_row(t, line, len, o, err);
        if (rc != 0)
            return rc;
    }
}

/* ------------------------------------------------------------ opening */

static long find_col(const struct trace *t, const char *name, bool *ambiguous)
{
    size_t c;
    long hit = -1;
    *ambiguous = false;
    for (c = 0; c < t->ncols; c++)
        if (strcmp(t->cols[c], name) == 0) {
            if (hit >= 0)
                *ambiguous = true;
            else
                hit = (long)c;
        }
    if (hit >= 0)
        return hit;
    for (c = 0; c < t->ncols; c++)
        if (strlen(t->cols[c]) == strlen(name) && prefix_ci(name, t->cols[c])) {
            if (hit >= 0)
                *ambiguous = true;
            else
                hit = (long)c;
        }
    return hit;
}

static int parse_rate(struct trace *t, const char *r, sim_err *err)
{
    uint64_t num = 0, den = 1;
    const char *p = r;
    bool dot = false, digits = false;
    for (; *p != '\0'; p++) {
        if (*p == '.' && !dot) {
            dot = true;
            continue;
        }
        if (*p < '0' || *p > '9' || num > 100000000000000ull ||
            (dot && den >= 1000000000ull))
            goto bad;
        num = num * 10 + (uint64_t)(*p - '0');
        if (dot)
            den *= 10;
        digits = true;
    }
    if (!digits || num == 0)
        goto bad;
    t->rate_num = num;
    t->rate_den = den;
    t->use_rate = true;
    return 0;
bad:
    err_set(err, "%s: error: bad rate '%s' (a positive decimal number of Hz, "
            "at most 9 decimals)", t->name, r);
    return -1;
}

/* Picks the separator from the header: the most frequent of , ; tab
** outside quotes (ties in that order; ',' when there is none). */
static char detect_sep(const char *line, size_t len)
{
    size_t counts[3] = {0, 0, 0}, i;
    static const char seps[3] = {',', ';', '\t'};
    bool inq = false;
    int best = 0, k;
    for (i = 0; i < len; i++) {
        if (line[i] == '"')
            inq = !inq;
        else if (!inq)
            for (k = 0; k < 3; k++)
                if (line[i] == seps[k])
                    counts[k]++;
    }
    for (k = 1; k < 3; k++)
        if (counts[k] > counts[best])
            best = k;
    return seps[best];
}

static const char *const time_names[] = {
    "timestamp", "datetime", "date_time", "time", "t", "t_s", "time_s",
    "t_ms", "time_ms", "timestamp_ms", "ts", "date", "time (s)", "time[s]",
};

static int trace_open(sim_stream *s, struct trace *t, const sim_trace_spec *sp,
                      sim_err *err)
{
    char *line;
    size_t len, c, bad = 0;
    int rc;
    struct stat st;
    t->spec = sp;
    t->name = sp->path != NULL ? sp->path : "<memory>";
    t->next_line = 1;
    t->time_col = -1;
    t->label_col = -1;
    t->unit = sp->time_unit;
    if (sp->data == NULL) {
        t->fp = fopen(sp->path, "rb");
        if (t->fp == NULL) {
            err_set(err, "%s: error: cannot open: %s", t->name, strerror(errno));
            return -1;
        }
        if (fstat(fileno(t->fp), &st) == 0 && st.st_size > 0)
            t->total_bytes = (uint64_t)st.st_size;
    } else {
        t->total_bytes = sp->data_len;
    }
    t->cap = SIM_TRACE_CHUNK;
    t->buf = malloc(t->cap);
    if (t->buf == NULL) {
        err_set(err, "%s: error: out of memory", t->name);
        return -1;
    }
    /* The header is located with ',' as separator for quote scanning; a
    ** quoted header name containing a newline is not supported. */
    t->sep = sp->sep != 0 ? sp->sep : ',';
    rc = trace_record(t, &line, &len, err);
    if (rc < 0)
        return -1;
    if (rc == 0) {
        err_set(err, "%s: error: empty file (expected a header row)", t->name);
        return -1;
    }
    if (len == 0) {
        err_set(err, "%s:1:1: error: empty header row", t->name);
        return -1;
    }
    if (sp->sep == 0)
        t->sep = detect_sep(line, len);
    if (split_fields(t, line, len, &bad) != 0) {
        err_set(err, "%s:%llu:%zu: error: bad quoting in the header", t->name,
                (unsigned long long)t->line, bad);
        return -1;
    }
    t->ncols = t->nfields;
    t->cols = calloc(t->ncols, sizeof *t->cols);
    if (t->cols == NULL)
        return -1;
    for (c = 0; c < t->ncols; c++) {
        const char *p = t->fields[c].s;
        size_t n = t->fields[c].n;
        trim(&p, &n);
        t->cols[c] = malloc(n + 1);
        if (t->cols[c] == NULL)
            return -1;
        memcpy(t->cols[c], p, n);
        t->cols[c][n] = '\0';
    }
    (void)s;
    if (sp->rate_hz != NULL) {
        if (sp->time_col != NULL) {
            err_set(err, "%s: error: give either a time column or a rate, not "
                    "both", t->name);
            return -1;
        }
        if (parse_rate(t, sp->rate_hz, err) != 0)
            return -1;
    } else if (sp->time_col != NULL) {
        bool amb;
        t->time_col = find_col(t, sp->time_col, &amb);
        if (t->time_col < 0 || amb) {
            const char *dym = did_you_mean(s, sp->time_col);
            err_set(err, "%s:1: error: %s time column '%s'%s%s%s", t->name,
                    amb ? "ambiguous" : "no", sp->time_col,
                    dym && !amb ? " (did you mean '" : "",
                    dym && !amb ? dym : "", dym && !amb ? "'?)" : "");
            return -1;
        }
    } else {
        size_t k;
        for (k = 0; k < sizeof time_names / sizeof time_names[0] &&
                    t->time_col < 0; k++)
            for (c = 0; c < t->ncols; c++)
                if (strlen(t->cols[c]) == strlen(time_names[k]) &&
                    prefix_ci(time_names[k], t->cols[c])) {
                    t->time_col = (long)c;
                    break;
                }
        if (t->time_col < 0) {
            err_set(err, "%s:1: error: no time column (looked for timestamp, "
                    "datetime, time, t, t_s, t_ms, ...); name one with "
                    "--time-col or give --rate HZ", t->name);
            return -1;
        }
    }
    if (sp->label_col != NULL) {
        bool amb;
        t->label_col = find_col(t, sp->label_col, &amb);
        if (t->label_col < 0 || amb) {
            const char *dym = did_you_mean(s, sp->label_col);
            err_set(err, "%s:1: error: %s label column '%s'%s%s%s", t->name,
                    amb ? "ambiguous" : "no", sp->label_col,
                    dym && !amb ? " (did you mean '" : "",
                    dym && !amb ? dym : "", dym && !amb ? "'?)" : "");
            return -1;
        }
    }
    return 0;
}

static void trace_free(struct trace *t)
{
    size_t i;
    if (t->fp != NULL)
        fclose(t->fp);
    free(t->buf);
    for (i = 0; i < t->ncols; i++)
        free(t->cols[i]);
    free(t->cols);
    free(t->fields);
    for (i = 0; i < t->nbinds; i++)
        free(t->binds[i].cols);
    free(t->binds);
    free(t->values);
    free(t->samples);
}

static long find_input(const sim_stream *s, const char *name, size_t n)
{
    size_t i;
    for (i = 0; i < s->ninputs; i++)
        if (strlen(s->inputs[i].name) == n &&
            memcmp(s->inputs[i].name, name, n) == 0)
            return (long)i;
    return -1;
}

static int add_binding(struct trace *t, size_t input, size_t dim,
                       const size_t *cols)
{
    struct binding *nb = realloc(t->binds, (t->nbinds + 1) * sizeof *nb);
    if (nb == NULL)
        return -1;
    t->binds = nb;
    nb = &t->binds[t->nbinds];
    nb->input = input;
    nb->dim = dim;
    nb->cols = malloc(dim * sizeof *nb->cols);
    if (nb->cols == NULL)
        return -1;
    memcpy(nb->cols, cols, dim * sizeof *cols);
    t->nbinds++;
    return 0;
}

/* Binds from the trace's map: "in=col;vib=ax,ay,az". */
static int bind_map(sim_stream *s, size_t ti, char *bound, sim_err *err)
{
    struct trace *t = &s->tr[ti];
    const char *p = t->spec->map;
    size_t cols[64];
    while (p != NULL && *p != '\0') {
        const char *eq = strchr(p, '='), *stop = strchr(p, ';');
        const char *q;
        long in;
        size_t ncol = 0;
        if (stop == NULL)
            stop = p + strlen(p);
        if (eq == NULL || eq > stop || eq == p) {
            err_set(err, "%s: error: bad --map entry '%.*s' (expected "
                    "INPUT=COLUMN[,COLUMN...])", t->name, (int)(stop - p), p);
            return -1;
        }
        in = find_input(s, p, (size_t)(eq - p));
        if (in < 0) {
            err_set(err, "%s: error: --map names '%.*s', which is not an input "
                    "of the program", t->name, (int)(eq - p), p);
            return -1;
        }
        if (bound[in]) {
            err_set(err, "%s: error: input '%s' is bound twice", t->name,
                    s->inputs[in].name);
            return -1;
        }
        for (q = eq + 1; q <= stop; ) {
            const char *comma = memchr(q, ',', (size_t)(stop - q));
            const char *ce = comma != NULL ? comma : stop;
            char name[256];
            size_t n = (size_t)(ce - q);
            bool amb;
            long c;
            if (n >= sizeof name || ncol == 64) {
                err_set(err, "%s: error: --map entry too long", t->name);
                return -1;
            }
            memcpy(name, q, n);
            name[n] = '\0';
            c = find_col(t, name, &amb);
            if (c < 0 || amb) {
                const char *dym = did_you_mean(s, name);
                err_set(err, "%s:1: error: %s column '%s' for input '%s'%s%s%s",
                        t->name, amb ? "ambiguous" : "no", name,
                        s->inputs[in].name, dym && !amb ? " (did you mean '" : "",
                        dym && !amb ? dym : "", dym && !amb ? "'?)" : "");
                return -1;
            }
            cols[ncol++] = (size_t)c;
            q = ce + 1;
        }
        if (ncol != s->inputs[in].dim) {
            err_set(err, "%s: error: input '%s' has %zu value%s per sample but "
                    "--map gives %zu column%s", t->name, s->inputs[in].name,
                    s->inputs[in].dim, s->inputs[in].dim == 1 ? "" : "s", ncol,
                    ncol == 1 ? "" : "s");
            return -1;
        }
        if (add_binding(t, (size_t)in, ncol, cols) != 0)
            return -1;
        bound[in] = 1;
        p = *stop == ';' ? stop + 1 : stop;
    }
    return 0;
}

static int cmp_binding(const void *a, const void *b)
{
    const struct binding *x = a, *y = b;
    return (x->cols[0] > y->cols[0]) - (x->cols[0] < y->cols[0]);
}

static int bind_inputs(sim_stream *s, sim_err *err)
{
    char *bound = calloc(s->ninputs + 1, 1);
    size_t i, ti;
    int rc = -1;
    if (bound == NULL)
        return -1;
    for (ti = 0; ti < s->ntr; ti++)
        if (bind_map(s, ti, bound, err) != 0)
            goto out;
    for (i = 0; i < s->ninputs; i++) {
        bool amb = false;
        long c = -1;
        if (bound[i])
            continue;
        if (s->inputs[i].dim != 1) {
            err_set(err, "%s: error: vector input '%s' (%zu values) needs "
                    "--map %s=COLUMN,COLUMN,...", s->tr[0].name,
                    s->inputs[i].name, s->inputs[i].dim, s->inputs[i].name);
            goto out;
        }
        for (ti = 0; ti < s->ntr && c < 0; ti++)
            c = find_col(&s->tr[ti], s->inputs[i].name, &amb);
        if (c < 0 || amb) {
            const char *dym = did_you_mean(s, s->inputs[i].name);
            err_set(err, "%s:1: error: %s column for input '%s'%s%s%s%s",
                    s->tr[amb ? ti - 1 : 0].name, amb ? "ambiguous" : "no",
                    s->inputs[i].name, s->ntr > 1 && !amb ? " in any trace" : "",
                    dym && !amb ? " (did you mean '" : "",
                    dym && !amb ? dym : "",
                    dym && !amb ? "'? bind it with --map)" : "");
            goto out;
        } else {
            size_t col = (size_t)c;
            if (add_binding(&s->tr[ti - 1], i, 1, &col) != 0)
                goto out;
        }
        bound[i] = 1;
    }
    for (ti = 0; ti < s->ntr; ti++) {
        struct trace *t = &s->tr[ti];
        size_t b, nv = 0;
        if (t->nbinds > 1)
            qsort(t->binds, t->nbinds, sizeof *t->binds, cmp_binding);
        for (b = 0; b < t->nbinds; b++) {
            t->binds[b].first_value = nv;
            nv += t->binds[b].dim;
        }
        t->nvalues = nv;
        t->values = calloc(nv + 1, sizeof *t->values);
        t->samples = calloc(t->nbinds + 1, sizeof *t->samples);
        if (t->values == NULL || t->samples == NULL)
            goto out;
        for (b = 0; b < t->nbinds; b++) {
            t->samples[b].input = t->binds[b].input;
            t->samples[b].n = t->binds[b].dim;
            t->samples[b].values = t->values + t->binds[b].first_value;
        }
    }
    rc = 0;
out:
    free(bound);
    return rc;
}

sim_stream *sim_stream_open(const sim_trace_spec *traces, size_t n_traces,
                            const sim_input *inputs, size_t n_inputs,
                            const sim_read_opts *opts, sim_err *err)
{
    sim_stream *s;
    size_t i;
    int labelled = 0;
    bool any = false, iso = false, numeric = false;
    if (n_traces == 0) {
        err_set(err, "error: no trace given");
        return NULL;
    }
    s = calloc(1, sizeof *s);
    if (s == NULL)
        return NULL;
    s->tr = calloc(n_traces, sizeof *s->tr);
    if (s->tr == NULL) {
        free(s);
        return NULL;
    }
    s->ntr = n_traces;
    s->inputs = inputs;
    s->ninputs = n_inputs;
    if (opts != NULL)
        s->opts = *opts;
    s->last = -1;
    for (i = 0; i < n_traces; i++) {
        if (trace_open(s, &s->tr[i], &traces[i], err) != 0)
            goto fail;
        labelled += s->tr[i].label_col >= 0;
    }
    if (labelled > 1) {
        err_set(err, "error: only one trace may have a label column");
        goto fail;
    }
    if (bind_inputs(s, err) != 0)
        goto fail;
    for (i = 0; i < n_traces; i++) {
        struct trace *t = &s->tr[i];
        int rc = trace_advance(t, &s->opts, err);
        if (rc < 0)
            goto fail;
        if (rc == 0 && t->rows_seen == 0) {
            err_set(err, "%s: error: header only, no data rows", t->name);
            goto fail;
        }
        if (!t->has_head)
            continue;
        if (t->unit == SIM_TIME_ISO && !t->use_rate)
            iso = true;
        else
            numeric = true;
        if (!any || t->head_t < s->origin)
            s->origin = t->head_t;
        any = true;
    }
    if (iso && numeric) {
        err_set(err, "error: cannot merge traces with date-time stamps and "
                "traces with numeric times or a rate");
        goto fail;
    }
    s->has_epoch = iso;
    return s;
fail:
    sim_stream_close(s);
    return NULL;
}

int sim_stream_next(sim_stream *s, sim_record *rec, sim_err *err)
{
    size_t i;
    long best = -1;
    struct trace *t;
    if (s->finished)
        return 0;
    if (s->last >= 0) {
        if (trace_advance(&s->tr[s->last], &s->opts, err) < 0) {
            s->finished = true;
            return -1;
        }
        s->last = -1;
    }
    for (i = 0; i < s->ntr; i++)
        if (s->tr[i].has_head &&
            (best < 0 || s->tr[i].head_t < s->tr[best].head_t))
            best = (long)i;
    if (best < 0) {
        s->finished = true;
        return 0;
    }
    t = &s->tr[best];
    rec->t_ms = t->head_t - s->origin;
    rec->trace = (size_t)best;
    rec->line = t->head_line;
    rec->row = t->head_row;
    rec->label = t->head_label;
    rec->n_samples = t->nbinds;
    rec->samples = t->samples;
    s->last = best;
    return 1;
}

void sim_stream_close(sim_stream *s)
{
    size_t i;
    if (s == NULL)
        return;
    for (i = 0; i < s->ntr; i++)
        trace_free(&s->tr[i]);
    free(s->tr);
    free(s);
}

bool sim_stream_epoch(const sim_stream *s, int64_t *epoch_ms)
{
    if (s->has_epoch && epoch_ms != NULL)
        *epoch_ms = s->origin;
    return s->has_epoch;
}

int64_t sim_stream_origin(const sim_stream *s)
{
    return s->origin;
}

void sim_stream_progress(const sim_stream *s, uint64_t *done, uint64_t *total)
{
    size_t i;
    *done = *total = 0;
    for (i = 0; i < s->ntr; i++) {
        *done += s->tr[i].bytes_read;
        *total += s->tr[i].total_bytes;
    }
}

const sim_trace_stats *sim_stream_stats(const sim_stream *s, size_t trace)
{
    return trace < s->ntr ? &s->tr[trace].stats : NULL;
}

int sim_stream_label_trace(const sim_stream *s)
{
    size_t i;
    for (i = 0; i < s->ntr; i++)
        if (s->tr[i].label_col >= 0)
            return (int)i;
    return -1;
}

static int report_lines(sim_buf *out, const uint64_t *lines, uint64_t count)
{
    uint64_t k, n = count < SIM_FIRST_LINES ? count : SIM_FIRST_LINES;
    int rc = sim_buf_printf(out, " (line%s", count == 1 ? "" : "s");
    for (k = 0; k < n; k++)
        rc |= sim_buf_printf(out, "%s %llu", k ? "," : "",
                             (unsigned long long)lines[k]);
    return rc | sim_buf_printf(out, "%s)", count > n ? ", ..." : "");
}

int sim_stream_report(const sim_stream *s, sim_buf *out)
{
    static const char *const reasons[] = {
#define SIM_BAD_TEXT(name, text) text,
        SIM_BAD_LIST(SIM_BAD_TEXT)
#undef SIM_BAD_TEXT
    };
    size_t i, r;
    int rc = 0;
    for (i = 0; i < s->ntr; i++) {
        const sim_trace_stats *st = &s->tr[i].stats;
        uint64_t total = 0;
        for (r = 0; r < SIM_BAD_COUNT_; r++)
            total += st->bad[r];
        if (total > 0) {
            bool first = true;
            rc |= sim_buf_printf(out, "%s: %llu bad row%s skipped:", s->tr[i].name,
                                 (unsigned long long)total, total == 1 ? "" : "s");
            for (r = 0; r < SIM_BAD_COUNT_; r++) {
                if (st->bad[r] == 0)
                    continue;
                rc |= sim_buf_printf(out, "%s %llu %s", first ? "" : ";",
                                     (unsigned long long)st->bad[r], reasons[r]);
                rc |= report_lines(out, st->bad_lines[r], st->bad[r]);
                first = false;
            }
            rc |= sim_buf_add(out, "\n", 1);
        }
        if (st->non_monotonic > 0) {
            rc |= sim_buf_printf(out, "%s: %llu row%s earlier than the row before, "
                                 "passed on", s->tr[i].name,
                                 (unsigned long long)st->non_monotonic,
                                 st->non_monotonic == 1 ? "" : "s");
            rc |= report_lines(out, st->non_monotonic_lines, st->non_monotonic);
            rc |= sim_buf_add(out, "\n", 1);
        }
        if (st->blank_lines > 0)
            rc |= sim_buf_printf(out, "%s: %llu blank line%s ignored\n",
                                 s->tr[i].name,
                                 (unsigned long long)st->blank_lines,
                                 st->blank_lines == 1 ? "" : "s");
        if (st->nan_values > 0)
            rc |= sim_buf_printf(out, "%s: %llu nan/inf value%s passed on\n",
                                 s->tr[i].name,
                                 (unsigned long long)st->nan_values,
                                 st->nan_values == 1 ? "" : "s");
    }
    return rc != 0 ? -1 : 0;
}
