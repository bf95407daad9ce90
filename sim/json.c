/*
** json.c — a small strict JSON reader (RFC 8259) for label windows and NAB
** profiles, and the NAB label-window loader built on it.
**
** Strict on purpose: label files decide scores, so a trailing comma, a
** comment, a lone surrogate or a duplicate key is an error with line:col,
** not a guess.  Values live in a bump arena freed at once; nesting depth is
** limited to 64 so hostile input cannot exhaust the stack.
*/
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/sim.h"
#include "sim/internal.h"
#include "host/host.h"

#define JSON_MAX_DEPTH 64
#define JSON_BLOCK     (64u * 1024u)

struct block {
    struct block *next;
    size_t used, cap;
    max_align_t data[];
};

struct sim_json_doc {
    struct block *blocks;
    sim_json *root;
};

struct parser {
    const char *p, *end, *start, *name;
    uint32_t line;
    const char *line_start;
    sim_json_doc *doc;
    sim_err *err;
    bool failed;
};

static void *arena_alloc(sim_json_doc *d, size_t n)
{
    struct block *b = d->blocks;
    n = (n + sizeof(max_align_t) - 1) / sizeof(max_align_t) * sizeof(max_align_t);
    if (b == NULL || b->cap - b->used < n) {
        size_t cap = n > JSON_BLOCK ? n : JSON_BLOCK;
        b = malloc(sizeof *b + cap);
        if (b == NULL)
            return NULL;
        b->cap = cap;
        b->used = 0;
        b->next = d->blocks;
        d->blocks = b;
    }
    b->used += n;
    return (char *)b->data + b->used - n;
}

static void fail(struct parser *ps, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void fail(struct parser *ps, const char *fmt, ...)
{
    va_list ap;
    char what[512];
    if (ps->failed)
        return;
    ps->failed = true;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    if (ps->err != NULL)
        snprintf(ps->err->msg, sizeof ps->err->msg, "%s:%u:%u: error: %s",
                 ps->name, ps->line, (unsigned)(ps->p - ps->line_start) + 1,
                 what);
}

static void skip_ws(struct parser *ps)
{
    while (ps->p < ps->end) {
        char c = *ps->p;
        if (c == '\n') {
            ps->line++;
            ps->line_start = ps->p + 1;
        } else if (c != ' ' && c != '\t' && c != '\r') {
            return;
        }
        ps->p++;
    }
}

static int hex4(const char *p, const char *end, uint32_t *out)
{
    uint32_t v = 0;
    int i;
    if (end - p < 4)
        return -1;
    for (i = 0; i < 4; i++) {
        char c = p[i];
        v <<= 4;
        if (c >= '0' && c <= '9')
            v |= (uint32_t)(c - '0');
        else if (c >= 'a' && c <= 'f')
            v |= (uint32_t)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F')
            v |= (uint32_t)(c - 'A' + 10);
        else
            return -1;
    }
    *out = v;
    return 0;
}

static size_t put_utf8(char *o, uint32_t cp)
{
    if (cp < 0x80) {
        o[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        o[0] = (char)(0xC0 | (cp >> 6));
        o[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        o[0] = (char)(0xE0 | (cp >> 12));
        o[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    o[0] = (char)(0xF0 | (cp >> 18));
    o[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    o[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    o[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

size_t sim_utf8_len(const unsigned char *p, const unsigned char *end)
{
    size_t n, i;
    uint32_t cp;
    if (p[0] < 0x80)
        return 1;
    if (p[0] >= 0xC2 && p[0] <= 0xDF)
        n = 2, cp = p[0] & 0x1Fu;
    else if (p[0] >= 0xE0 && p[0] <= 0xEF)
        n = 3, cp = p[0] & 0x0Fu;
    else if (p[0] >= 0xF0 && p[0] <= 0xF4)
        n = 4, cp = p[0] & 0x07u;
    else
        return 0;
    if ((size_t)(end - p) < n)
        return 0;
    for (i = 1; i < n; i++) {
        if ((p[i] & 0xC0) != 0x80)
            return 0;
        cp = (cp << 6) | (p[i] & 0x3Fu);
    }
    if ((n == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
        (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)))
        return 0;
    return n;
}

/* Parses a string at ps->p (on the opening quote). */
static const char *parse_string(struct parser *ps, size_t *len)
{
    const char *q;
    char *out, *o;
    ps->p++;
    /* the decoded text is never longer than the source */
    for (q = ps->p; q < ps->end && *q != '"'; q++)
        if (*q == '\\' && q + 1 < ps->end)
            q++;
    out = arena_alloc(ps->doc, (size_t)(q - ps->p) + 1);
    if (out == NULL) {
        fail(ps, "out of memory");
        return NULL;
    }
    o = out;
    for (;;) {
        unsigned char c;
        if (ps->p >= ps->end) {
            fail(ps, "unterminated string");
            return NULL;
        }
        c = (unsigned char)*ps->p;
        if (c == '"') {
            ps->p++;
            break;
        }
        if (c < 0x20) {
            fail(ps, "control character 0x%02x in a string (escape it)", c);
            return NULL;
        }
        if (c == '\\') {
            uint32_t cp;
            ps->p++;
            if (ps->p >= ps->end) {
                fail(ps, "unterminated string");
                return NULL;
            }
            switch (*ps->p) {
            case '"': *o++ = '"'; break;
            case '\\': *o++ = '\\'; break;
            case '/': *o++ = '/'; break;
            case 'b': *o++ = '\b'; break;
            case 'f': *o++ = '\f'; break;
            case 'n': *o++ = '\n'; break;
            case 'r': *o++ = '\r'; break;
            case 't': *o++ = '\t'; break;
            case 'u':
                if (hex4(ps->p + 1, ps->end, &cp) != 0) {
                    fail(ps, "bad \\u escape (four hex digits expected)");
                    return NULL;
                }
                ps->p += 4;
                if (cp >= 0xDC00 && cp <= 0xDFFF) {
                    fail(ps, "lone low surrogate \\u%04X", (unsigned)cp);
                    return NULL;
                }
                if (cp >= 0xD800 && cp <= 0xDBFF) {
                    uint32_t lo;
                    if (ps->end - ps->p < 7 || ps->p[1] != '\\' || ps->p[2] != 'u' ||
                        hex4(ps->p + 3, ps->end, &lo) != 0 || lo < 0xDC00 ||
                        lo > 0xDFFF) {
                        fail(ps, "high surrogate \\u%04X not followed by a low "
                             "surrogate", (unsigned)cp);
                        return NULL;
                    }
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                    ps->p += 6;
                }
                /* \u0000 would cut the C string: refuse it */
                if (cp == 0) {
                    fail(ps, "\\u0000 is not allowed here");
                    return NULL;
                }
                o += put_utf8(o, cp);
                break;
            default:
                fail(ps, "bad escape '\\%c'", *ps->p >= 0x20 && *ps->p < 0x7f ? *ps->p : '?');
                return NULL;
            }
            ps->p++;
            continue;
        }
        {
            size_t n = sim_utf8_len((const unsigned char *)ps->p,
                                (const unsigned char *)ps->end);
            if (n == 0) {
                fail(ps, "invalid UTF-8 in a string");
                return NULL;
            }
            memcpy(o, ps->p, n);
            o += n;
            ps->p += n;
        }
    }
    *o = '\0';
    *len = (size_t)(o - out);
    return out;
}

static int parse_number(struct parser *ps, double *out)
{
    const char *s = ps->p, *p = ps->p;
    char tmp[128];
    if (p < ps->end && *p == '-')
        p++;
    if (p >= ps->end || *p < '0' || *p > '9')
        goto bad;
    if (*p == '0') {
        p++;
    } else {
        while (p < ps->end && *p >= '0' && *p <= '9')
            p++;
    }
    if (p < ps->end && *p == '.') {
        p++;
        if (p >= ps->end || *p < '0' || *p > '9')
            goto bad;
        while (p < ps->end && *p >= '0' && *p <= '9')
            p++;
    }
    if (p < ps->end && (*p == 'e' || *p == 'E')) {
        p++;
        if (p < ps->end && (*p == '+' || *p == '-'))
            p++;
        if (p >= ps->end || *p < '0' || *p > '9')
            goto bad;
        while (p < ps->end && *p >= '0' && *p <= '9')
            p++;
    }
    if ((size_t)(p - s) >= sizeof tmp) {
        fail(ps, "number too long");
        return -1;
    }
    memcpy(tmp, s, (size_t)(p - s));
    tmp[p - s] = '\0';
    *out = strtod(tmp, NULL);
    ps->p = p;
    return 0;
bad:
    ps->p = p;
    fail(ps, "malformed number");
    return -1;
}

static sim_json *parse_value(struct parser *ps, int depth);

static sim_json *new_node(struct parser *ps, sim_json_type type)
{
    sim_json *j = arena_alloc(ps->doc, sizeof *j);
    if (j == NULL) {
        fail(ps, "out of memory");
        return NULL;
    }
    memset(j, 0, sizeof *j);
    j->type = type;
    j->line = ps->line;
    j->col = (uint32_t)(ps->p - ps->line_start) + 1;
    return j;
}

static sim_json *parse_container(struct parser *ps, int depth, bool object)
{
    sim_json *j = new_node(ps, object ? SIM_JSON_OBJECT : SIM_JSON_ARRAY);
    sim_json **tail;
    char close = object ? '}' : ']';
    if (j == NULL)
        return NULL;
    if (depth >= JSON_MAX_DEPTH) {
        fail(ps, "nesting deeper than %d", JSON_MAX_DEPTH);
        return NULL;
    }
    tail = &j->child;
    ps->p++;
    skip_ws(ps);
    if (ps->p < ps->end && *ps->p == close) {
        ps->p++;
        return j;
    }
    for (;;) {
        const char *key = NULL;
        sim_json *v;
        skip_ws(ps);
        if (object) {
            size_t klen;
            const sim_json *m;
            if (ps->p >= ps->end || *ps->p != '"') {
                fail(ps, "object key (a string) expected");
                return NULL;
            }
            key = parse_string(ps, &klen);
            if (key == NULL)
                return NULL;
            for (m = j->child; m != NULL; m = m->next)
                if (strcmp(m->key, key) == 0) {
                    fail(ps, "duplicate key \"%s\"", key);
                    return NULL;
                }
            skip_ws(ps);
            if (ps->p >= ps->end || *ps->p != ':') {
                fail(ps, "':' expected after an object key");
                return NULL;
            }
            ps->p++;
            skip_ws(ps);
        }
        v = parse_value(ps, depth + 1);
        if (v == NULL)
            return NULL;
        v->key = key;
        *tail = v;
        tail = &v->next;
        skip_ws(ps);
        if (ps->p < ps->end && *ps->p == ',') {
            ps->p++;
            skip_ws(ps);
            if (ps->p < ps->end && *ps->p == close) {
                fail(ps, "trailing comma before '%c'", close);
                return NULL;
            }
            continue;
        }
        if (ps->p < ps->end && *ps->p == close) {
            ps->p++;
            return j;
        }
        fail(ps, "',' or '%c' expected (to close the %s at line %u)", close,
             object ? "object" : "array", j->line);
        return NULL;
    }
}

static sim_json *parse_value(struct parser *ps, int depth)
{
    sim_json *j;
    skip_ws(ps);
    if (ps->p >= ps->end) {
        fail(ps, "value expected, found the end of the text");
        return NULL;
    }
    switch (*ps->p) {
    case '{':
        return parse_container(ps, depth, true);
    case '[':
        return parse_container(ps, depth, false);
    case '"':
        j = new_node(ps, SIM_JSON_STRING);
        if (j != NULL && (j->str = parse_string(ps, &j->str_len)) == NULL)
            return NULL;
        return j;
    case 't': case 'f': case 'n': {
        static const char *const words[3] = {"true", "false", "null"};
        static const sim_json_type types[3] = {SIM_JSON_TRUE, SIM_JSON_FALSE,
                                               SIM_JSON_NULL};
        int k = *ps->p == 't' ? 0 : *ps->p == 'f' ? 1 : 2;
        size_t n = strlen(words[k]);
        if ((size_t)(ps->end - ps->p) < n || memcmp(ps->p, words[k], n) != 0) {
            fail(ps, "unknown literal (expected %s)", words[k]);
            return NULL;
        }
        j = new_node(ps, types[k]);
        ps->p += n;
        return j;
    }
    default:
        if (*ps->p == '-' || (*ps->p >= '0' && *ps->p <= '9')) {
            j = new_node(ps, SIM_JSON_NUMBER);
            if (j == NULL || parse_number(ps, &j->number) != 0)
                return NULL;
            return j;
        }
        if ((unsigned char)*ps->p >= 0x20 && (unsigned char)*ps->p < 0x7f)
            fail(ps, "unexpected character '%c'", *ps->p);
        else
            fail(ps, "unexpected byte 0x%02x", (unsigned char)*ps->p);
        return NULL;
    }
}

void sim_json_free(sim_json_doc *d)
{
    struct block *b, *n;
    if (d == NULL)
        return;
    for (b = d->blocks; b != NULL; b = n) {
        n = b->next;
        free(b);
    }
    free(d);
}

sim_json_doc *sim_json_parse(const char *text, size_t len, const char *name,
                             sim_err *err)
{
    struct parser ps;
    sim_json_doc *d = calloc(1, sizeof *d);
    if (d == NULL)
        return NULL;
    memset(&ps, 0, sizeof ps);
    ps.p = ps.start = ps.line_start = text;
    ps.end = text + len;
    ps.name = name != NULL ? name : "<json>";
    ps.line = 1;
    ps.doc = d;
    ps.err = err;
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
        ps.p += 3;
    d->root = parse_value(&ps, 0);
    if (d->root != NULL) {
        skip_ws(&ps);
        if (ps.p < ps.end)
            fail(&ps, "text after the JSON value");
    }
    if (ps.failed || d->root == NULL) {
        if (!ps.failed)
            fail(&ps, "out of memory");
        sim_json_free(d);
        return NULL;
    }
    return d;
}

const sim_json *sim_json_root(const sim_json_doc *d)
{
    return d->root;
}

const sim_json *sim_json_get(const sim_json *obj, const char *key)
{
    const sim_json *m;
    if (obj == NULL || obj->type != SIM_JSON_OBJECT)
        return NULL;
    for (m = obj->child; m != NULL; m = m->next)
        if (strcmp(m->key, key) == 0)
            return m;
    return NULL;
}

/* ------------------------------------------------------------ files */

static char *read_file(const char *path, size_t *len, sim_err *err)
{
    host_file_status fs;
    int eno;
    char *buf = host_file_read(path, (size_t)256 << 20, len, &fs, &eno);
    if (buf == NULL) {
        if (fs == HOST_FILE_OPEN)
            snprintf(err->msg, sizeof err->msg, "%s: error: cannot open: %s", path, strerror(eno));
        else if (fs == HOST_FILE_READ)
            snprintf(err->msg, sizeof err->msg, "%s: error: read failed", path);
        else
            snprintf(err->msg, sizeof err->msg, "%s: error: too large or out of memory", path);
    }
    return buf;
}

static void jerr(sim_err *err, const char *name, const sim_json *at,
                 const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void jerr(sim_err *err, const char *name, const sim_json *at,
                 const char *fmt, ...)
{
    va_list ap;
    char what[512];
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    snprintf(err->msg, sizeof err->msg, "%s:%u:%u: error: %s", name, at->line,
             at->col, what);
}

static bool key_matches(const char *key, const char *path)
{
    size_t kl = strlen(key), pl = strlen(path);
    if (kl == 0 || kl > pl)
        return false;
    if (strcmp(path + pl - kl, key) != 0)
        return false;
    return kl == pl || path[pl - kl - 1] == '/';
}

static const char *base_name(const char *p)
{
    const char *s = strrchr(p, '/');
    return s != NULL ? s + 1 : p;
}

static int cmp_window(const void *a, const void *b)
{
    const sim_window *x = a, *y = b;
    if (x->start_ms != y->start_ms)
        return (x->start_ms > y->start_ms) - (x->start_ms < y->start_ms);
    return (x->end_ms > y->end_ms) - (x->end_ms < y->end_ms);
}

static int window_time(const sim_json *v, const char *name, int64_t *out,
                       sim_err *err)
{
    if (v->type == SIM_JSON_STRING) {
        if (sim_parse_iso(v->str, v->str_len, out) != 0) {
            jerr(err, name, v, "not a date-time: \"%.60s\"", v->str);
            return -1;
        }
        return 0;
    }
    if (v->type == SIM_JSON_NUMBER && v->number > -9.0e12 && v->number < 9.0e12) {
        /* numbers are seconds on a numeric time axis */
        double ms = v->number * 1000.0;
        *out = (int64_t)(ms < 0 ? ms - 0.5 : ms + 0.5);
        return 0;
    }
    jerr(err, name, v, "window bound must be a date-time string or seconds");
    return -1;
}

int sim_windows_parse(const char *text, size_t len, const char *json_name,
                      const char *trace_path, sim_window **out, size_t *n,
                      sim_err *err)
{
    sim_json_doc *d;
    const sim_json *root, *m, *hit = NULL, *w;
    size_t count = 0, k = 0, nbase = 0;
    sim_window *ws;
    *out = NULL;
    *n = 0;
    d = sim_json_parse(text, len, json_name, err);
    if (d == NULL)
        return -1;
    root = sim_json_root(d);
    if (root->type != SIM_JSON_OBJECT) {
        jerr(err, json_name, root, "label windows must be an object mapping "
             "file names to lists of [start, end]");
        goto fail;
    }
    for (m = root->child; m != NULL; m = m->next)
        if (key_matches(m->key, trace_path) &&
            (hit == NULL || strlen(m->key) > strlen(hit->key)))
            hit = m;
    if (hit == NULL) {
        for (m = root->child; m != NULL; m = m->next)
            if (strcmp(base_name(m->key), base_name(trace_path)) == 0) {
                hit = m;
                nbase++;
            }
        if (nbase > 1) {
            jerr(err, json_name, root, "several entries end in '%s'; name the "
                 "trace by its path as in the file", base_name(trace_path));
            goto fail;
        }
    }
    if (hit == NULL) {
        sim_buf keys = {0};
        for (m = root->child; m != NULL && k < 4; m = m->next, k++)
            sim_buf_printf(&keys, "%s'%s'", k ? ", " : "", m->key);
        jerr(err, json_name, root, "no entry for '%s' (keys are%s %s%s)",
             trace_path, keys.len ? "" : " none", keys.len ? keys.data : "",
             m != NULL ? ", ..." : "");
        sim_buf_free(&keys);
        goto fail;
    }
    if (hit->type != SIM_JSON_ARRAY) {
        jerr(err, json_name, hit, "entry '%s' must be a list of [start, end]",
             hit->key);
        goto fail;
    }
    for (w = hit->child; w != NULL; w = w->next)
        count++;
    ws = calloc(count + 1, sizeof *ws);
    if (ws == NULL) {
        snprintf(err->msg, sizeof err->msg, "%s: error: out of memory", json_name);
        goto fail;
    }
    for (k = 0, w = hit->child; w != NULL; w = w->next, k++) {
        const sim_json *a = w->child, *b = a != NULL ? a->next : NULL;
        if (w->type != SIM_JSON_ARRAY || a == NULL || b == NULL || b->next != NULL) {
            jerr(err, json_name, w, "a window must be a list [start, end]");
            free(ws);
            goto fail;
        }
        if (window_time(a, json_name, &ws[k].start_ms, err) != 0 ||
            window_time(b, json_name, &ws[k].end_ms, err) != 0) {
            free(ws);
            goto fail;
        }
        if (ws[k].end_ms < ws[k].start_ms) {
            jerr(err, json_name, w, "window ends before it starts");
            free(ws);
            goto fail;
        }
    }
    qsort(ws, count, sizeof *ws, cmp_window);
    *out = ws;
    *n = count;
    sim_json_free(d);
    return 0;
fail:
    sim_json_free(d);
    return -1;
}

int sim_windows_load(const char *json_path, const char *trace_path,
                     sim_window **out, size_t *n, sim_err *err)
{
    size_t len;
    char *text = read_file(json_path, &len, err);
    int rc;
    if (text == NULL)
        return -1;
    rc = sim_windows_parse(text, len, json_path, trace_path, out, n, err);
    free(text);
    return rc;
}

int sim_nab_profile_parse(const char *text, size_t len, const char *json_name,
                          const char *profile, sim_nab_profile *out,
                          sim_err *err)
{
    sim_json_doc *d = sim_json_parse(text, len, json_name, err);
    const sim_json *p, *cm, *v[3];
    static const char *const keys[3] = {"tpWeight", "fpWeight", "fnWeight"};
    int k;
    if (d == NULL)
        return -1;
    p = sim_json_get(sim_json_root(d), profile);
    if (p == NULL) {
        jerr(err, json_name, sim_json_root(d), "no profile '%s'", profile);
        sim_json_free(d);
        return -1;
    }
    cm = sim_json_get(p, "CostMatrix");
    for (k = 0; k < 3; k++) {
        v[k] = sim_json_get(cm, keys[k]);
        if (v[k] == NULL || v[k]->type != SIM_JSON_NUMBER || v[k]->number < 0) {
            jerr(err, json_name, cm != NULL ? cm : p, "profile '%s': "
                 "CostMatrix.%s must be a non-negative number", profile, keys[k]);
            sim_json_free(d);
            return -1;
        }
    }
    out->a_tp = v[0]->number;
    out->a_fp = v[1]->number;
    out->a_fn = v[2]->number;
    sim_json_free(d);
    return 0;
}
