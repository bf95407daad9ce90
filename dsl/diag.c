/*
** diag.c — diagnostics in one shape for the whole front end.
**
** Diagnostics are recorded with byte spans and turned into line:column only
** when printed.  Columns count characters from 1: a valid UTF-8 sequence is
** one column, and so are a tab and an invalid byte.  Lines end at '\n'; a
** '\r' before it (CRLF files) is not part of the line.  The echoed source
** line expands tabs to 8-column stops and shows control and invalid bytes as
** '?', so the caret underline lines up on a terminal; lines longer than 160
** bytes are shown as an excerpt around the span.
**
** Text form:
**     rules.cep:3:12: error: undefined name 'vw'; did you mean 'vw1'?
**       3 | window w = vw sliding 10;
**         |            ^~
**     rules.cep:1:8: note: 'vw1' declared here
**     …
**     2 errors
** JSON form: one object per diagnostic and line, notes nested.
*/
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dsl/ast.h"

struct diag_note {
    struct dsl_span at;
    char *msg;
};

struct diag_item {
    int severity;           /* enum dsl_diag_severity */
    bool has_pos;
    struct dsl_span at;
    char *msg;
    struct diag_note *notes;
    size_t nnotes;
    size_t seq;
};

struct dsl_diag {
    char *file;
    char *buf;
    size_t len;
    uint32_t *lines;        /* start offset of each line */
    size_t nlines;
    struct diag_item *items;
    size_t n, cap;
    size_t errors, warnings;
    bool full;
};

static void *xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (q == NULL) {
        fputs("tinycep: out of memory\n", stderr);
        exit(2);
    }
    return q;
}

static char *xvasprintf(const char *fmt, va_list ap)
{
    va_list ap2;
    int n;
    char *s;
    va_copy(ap2, ap);
    n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0)
        n = 0;
    s = xrealloc(NULL, (size_t)n + 1);
    vsnprintf(s, (size_t)n + 1, fmt, ap);
    return s;
}

struct dsl_diag *dsl_diag_new(void)
{
    struct dsl_diag *d = xrealloc(NULL, sizeof *d);
    memset(d, 0, sizeof *d);
    return d;
}

void dsl_diag_free(struct dsl_diag *d)
{
    size_t i, j;
    if (d == NULL)
        return;
    for (i = 0; i < d->n; i++) {
        free(d->items[i].msg);
        for (j = 0; j < d->items[i].nnotes; j++)
            free(d->items[i].notes[j].msg);
        free(d->items[i].notes);
    }
    free(d->items);
    free(d->file);
    free(d->buf);
    free(d->lines);
    free(d);
}

void diag_set_source(struct dsl_diag *d, const char *file, const char *buf, size_t len)
{
    size_t i, n = 1;
    free(d->file);
    free(d->buf);
    free(d->lines);
    d->file = xrealloc(NULL, strlen(file) + 1);
    strcpy(d->file, file);
    d->buf = xrealloc(NULL, len + 1);
    if (len)
        memcpy(d->buf, buf, len);
    d->buf[len] = '\0';
    d->len = len;
    for (i = 0; i < len; i++)
        n += buf[i] == '\n';
    d->lines = xrealloc(NULL, n * sizeof *d->lines);
    d->lines[0] = 0;
    d->nlines = 1;
    for (i = 0; i < len; i++)
        if (buf[i] == '\n')
            d->lines[d->nlines++] = (uint32_t)(i + 1);
}

size_t dsl_diag_errors(const struct dsl_diag *d)
{
    return d->errors;
}

size_t dsl_diag_warnings(const struct dsl_diag *d)
{
    return d->warnings;
}

bool diag_full(const struct dsl_diag *d)
{
    return d->full;
}

static struct diag_item *item_new(struct dsl_diag *d, int severity)
{
    struct diag_item *it;
    if (d->n == d->cap) {
        d->cap = d->cap ? d->cap * 2 : 16;
        d->items = xrealloc(d->items, d->cap * sizeof *d->items);
    }
    it = &d->items[d->n];
    memset(it, 0, sizeof *it);
    it->severity = severity;
    it->seq = d->n;
    d->n++;
    if (severity == DSL_DIAG_ERROR)
        d->errors++;
    else
        d->warnings++;
    if (d->errors >= DSL_MAX_ERRORS)
        d->full = true;
    return it;
}

int diag_verror(struct dsl_diag *d, int severity, struct dsl_span at, const char *fmt, va_list ap)
{
    struct diag_item *it;
    if (d->full)
        return -1;
    it = item_new(d, severity);
    it->has_pos = true;
    if (at.start > d->len)
        at.start = (uint32_t)d->len;
    if (at.end < at.start)
        at.end = at.start;
    it->at = at;
    it->msg = xvasprintf(fmt, ap);
    return (int)(d->n - 1);
}

int diag_error(struct dsl_diag *d, struct dsl_span at, const char *fmt, ...)
{
    va_list ap;
    int h;
    va_start(ap, fmt);
    h = diag_verror(d, DSL_DIAG_ERROR, at, fmt, ap);
    va_end(ap);
    return h;
}

void diag_note(struct dsl_diag *d, int handle, struct dsl_span at, const char *fmt, ...)
{
    struct diag_item *it;
    va_list ap;
    if (handle < 0 || (size_t)handle >= d->n)
        return;
    it = &d->items[handle];
    it->notes = xrealloc(it->notes, (it->nnotes + 1) * sizeof *it->notes);
    if (at.start > d->len)
        at.start = (uint32_t)d->len;
    if (at.end < at.start)
        at.end = at.start;
    it->notes[it->nnotes].at = at;
    va_start(ap, fmt);
    it->notes[it->nnotes].msg = xvasprintf(fmt, ap);
    va_end(ap);
    it->nnotes++;
}

void diag_error_file(struct dsl_diag *d, const char *fmt, ...)
{
    struct diag_item *it;
    va_list ap;
    if (d->full)
        return;
    it = item_new(d, DSL_DIAG_ERROR);
    va_start(ap, fmt);
    it->msg = xvasprintf(fmt, ap);
    va_end(ap);
}

/* ------------------------------------------------------------ positions */

static size_t line_index(const struct dsl_diag *d, uint32_t off)
{
    size_t lo = 0, hi = d->nlines;
    while (hi - lo > 1) {
        size_t mid = (lo + hi) / 2;
        if (d->lines[mid] <= off)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

uint32_t diag_line(const struct dsl_diag *d, uint32_t offset)
{
    if (d->lines == NULL)
        return 1;
    return (uint32_t)line_index(d, offset) + 1;
}

/* Length of the valid UTF-8 sequence at s (n bytes left), or 0. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
    unsigned c = s[0];
    size_t need, i;
    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF)
        need = 2;
    else if (c >= 0xE0 && c <= 0xEF)
        need = 3;
    else if (c >= 0xF0 && c <= 0xF4)
        need = 4;
    else
        return 0;
    if (n < need)
        return 0;
    for (i = 1; i < need; i++)
        if ((s[i] & 0xC0) != 0x80)
            return 0;
    if (c == 0xE0 && s[1] < 0xA0)
        return 0;
    if (c == 0xED && s[1] > 0x9F)
        return 0;
    if (c == 0xF0 && s[1] < 0x90)
        return 0;
    if (c == 0xF4 && s[1] > 0x8F)
        return 0;
    return need;
}

/* End of the line starting at ls, without '\n' and a '\r' before it. */
static uint32_t line_end(const struct dsl_diag *d, uint32_t ls)
{
    uint32_t e = ls;
    while (e < d->len && d->buf[e] != '\n')
        e++;
    if (e > ls && d->buf[e - 1] == '\r')
        e--;
    return e;
}

/* Characters from ls up to off (off clamped to the line). */
static uint32_t char_col(const struct dsl_diag *d, uint32_t ls, uint32_t off)
{
    uint32_t col = 1, i = ls;
    while (i < off) {
        size_t n = utf8_len((const unsigned char *)d->buf + i, d->len - i);
        i += n ? (uint32_t)n : 1;
        col++;
    }
    return col;
}

struct pos {
    uint32_t line, col, end_col; /* end_col: column just past the span on its first line */
    uint32_t ls, le;             /* the line's byte range */
};

static struct pos pos_of(const struct dsl_diag *d, struct dsl_span at)
{
    struct pos p;
    size_t li = line_index(d, at.start);
    uint32_t end;
    p.ls = d->lines[li];
    p.le = line_end(d, p.ls);
    p.line = (uint32_t)li + 1;
    if (at.start > p.le)       /* inside a CRLF's '\r' or at the '\n' */
        at.start = p.le;
    end = at.end > p.le ? p.le : at.end;
    if (end < at.start)
        end = at.start;
    p.col = char_col(d, p.ls, at.start);
    p.end_col = p.col + (char_col(d, at.start, end) - 1);
    return p;
}

/* ------------------------------------------------------------ text output */

enum { EXCERPT = 160 };

/* Prints the source line and the underline for [start, end). */
static void print_excerpt(const struct dsl_diag *d, FILE *out, const struct pos *p, struct dsl_span at)
{
    uint32_t from = p->ls, to = p->le, i, col = 0, ucol0 = 0, ucol1 = 0;
    uint32_t start = at.start > p->le ? p->le : at.start;
    uint32_t end = at.end > p->le ? p->le : at.end;
    bool cut_left = false, cut_right = false, seen_start = false, seen_end = false;
    char lineno[16];
    int w;

    if (to - from > EXCERPT) {
        if (start > from + EXCERPT / 3) {
            from = start - EXCERPT / 3;
            cut_left = true;
        }
        if (to > from + EXCERPT) {
            to = from + EXCERPT;
            cut_right = true;
        }
        if (end > to)
            end = to;
        if (start > to)
            start = to;
        /* do not start inside a UTF-8 sequence */
        while (from < start && ((unsigned char)d->buf[from] & 0xC0) == 0x80)
            from++;
    }
    w = snprintf(lineno, sizeof lineno, "%u", (unsigned)p->line);
    fprintf(out, " %s | ", lineno);
    if (cut_left) {
        fputs("...", out);
        col = 3;
    }
    for (i = from; i < to;) {
        unsigned char c = (unsigned char)d->buf[i];
        size_t n = utf8_len((const unsigned char *)d->buf + i, d->len - i);
        if (!seen_start && i >= start) {
            ucol0 = col;
            seen_start = true;
        }
        if (!seen_end && i >= end && end > start) {
            ucol1 = col;
            seen_end = true;
        }
        if (c == '\t') {
            do {
                fputc(' ', out);
                col++;
            } while (col % 8 != 0);
            i++;
        } else if (n == 0 || c < 0x20 || c == 0x7f) {
            fputc('?', out);
            col++;
            i++;
        } else {
            fwrite(d->buf + i, 1, n, out);
            col++;
            i += (uint32_t)n;
        }
    }
    if (!seen_start)
        ucol0 = col;
    if (!seen_end)
        ucol1 = end > start ? col : ucol0 + 1;
    if (ucol1 <= ucol0)
        ucol1 = ucol0 + 1;
    if (cut_right)
        fputs("...", out);
    fputc('\n', out);
    fprintf(out, " %*s | ", w, "");
    for (i = 0; i < ucol0; i++)
        fputc(' ', out);
    fputc('^', out);
    for (i = ucol0 + 1; i < ucol1; i++)
        fputc('~', out);
    fputc('\n', out);
}

static const char *sev_name(int s)
{
    return s == DSL_DIAG_ERROR ? "error" : s == DSL_DIAG_WARNING ? "warning" : "note";
}

static void print_one_text(const struct dsl_diag *d, FILE *out, int sev, bool has_pos, struct dsl_span at,
                           const char *msg)
{
    struct pos p;
    if (!has_pos) {
        fprintf(out, "%s: %s: %s\n", d->file ? d->file : "tinycep", sev_name(sev), msg);
        return;
    }
    p = pos_of(d, at);
    fprintf(out, "%s:%u:%u: %s: %s\n", d->file, (unsigned)p.line, (unsigned)p.col, sev_name(sev), msg);
    print_excerpt(d, out, &p, at);
}

/* ------------------------------------------------------------ JSON output */

static void json_str(FILE *out, const char *s)
{
    const unsigned char *u = (const unsigned char *)s;
    fputc('"', out);
    while (*u) {
        size_t n = utf8_len(u, strlen((const char *)u));
        if (*u == '"' || *u == '\\')
            fprintf(out, "\\%c", *u);
        else if (*u == '\n')
            fputs("\\n", out);
        else if (*u == '\t')
            fputs("\\t", out);
        else if (*u < 0x20 || *u == 0x7f)
            fprintf(out, "\\u%04x", *u);
        else if (n == 0)
            fputs("\\ufffd", out); /* keep the output valid UTF-8 */
        else {
            fwrite(u, 1, n, out);
            u += n;
            continue;
        }
        u++;
    }
    fputc('"', out);
}

static void json_pos(const struct dsl_diag *d, FILE *out, bool has_pos, struct dsl_span at)
{
    if (has_pos) {
        struct pos p = pos_of(d, at);
        fprintf(out, "\"line\":%u,\"col\":%u,\"end_col\":%u", (unsigned)p.line, (unsigned)p.col,
                (unsigned)(p.end_col > p.col ? p.end_col : p.col + 1));
    } else {
        fputs("\"line\":0,\"col\":0,\"end_col\":0", out);
    }
}

/* ------------------------------------------------------------ print */

static int item_cmp(const void *a, const void *b)
{
    const struct diag_item *x = *(const struct diag_item *const *)a, *y = *(const struct diag_item *const *)b;
    uint32_t xs = x->has_pos ? x->at.start + 1 : 0, ys = y->has_pos ? y->at.start + 1 : 0;
    if (xs != ys)
        return xs < ys ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

void dsl_diag_print(const struct dsl_diag *d, void *stdio_file, enum dsl_diag_format fmt)
{
    FILE *out = stdio_file;
    const struct diag_item **order;
    size_t i, j;
    if (d->n == 0)
        return;
    order = xrealloc(NULL, d->n * sizeof *order);
    for (i = 0; i < d->n; i++)
        order[i] = &d->items[i];
    qsort(order, d->n, sizeof *order, item_cmp);
    for (i = 0; i < d->n; i++) {
        const struct diag_item *it = order[i];
        if (fmt == DSL_DIAG_TEXT) {
            print_one_text(d, out, it->severity, it->has_pos, it->at, it->msg);
            for (j = 0; j < it->nnotes; j++)
                print_one_text(d, out, DSL_DIAG_NOTE, true, it->notes[j].at, it->notes[j].msg);
        } else {
            fputs("{\"file\":", out);
            json_str(out, d->file ? d->file : "");
            fputc(',', out);
            json_pos(d, out, it->has_pos, it->at);
            fprintf(out, ",\"severity\":\"%s\",\"message\":", sev_name(it->severity));
            json_str(out, it->msg);
            fputs(",\"notes\":[", out);
            for (j = 0; j < it->nnotes; j++) {
                fputs(j ? ",{" : "{", out);
                json_pos(d, out, true, it->notes[j].at);
                fputs(",\"message\":", out);
                json_str(out, it->notes[j].msg);
                fputc('}', out);
            }
            fputs("]}\n", out);
        }
    }
    free(order);
    if (fmt == DSL_DIAG_TEXT) {
        if (d->full)
            fprintf(out, "too many errors; stopped after %u\n", (unsigned)DSL_MAX_ERRORS);
        if (d->errors)
            fprintf(out, "%u error%s", (unsigned)d->errors, d->errors == 1 ? "" : "s");
        if (d->warnings)
            fprintf(out, "%s%u warning%s", d->errors ? ", " : "", (unsigned)d->warnings,
                    d->warnings == 1 ? "" : "s");
        if (d->errors || d->warnings)
            fputc('\n', out);
    }
}
