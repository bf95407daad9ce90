/*
** ml_golden.c — run-time reader for the CMSIS-NN per-kernel golden headers
** (see ml_golden.h).  A deliberately small parser: it understands exactly
** the two shapes of declaration those generated headers use and stops the
** test program, naming file and line, on anything else that looks like a
** declaration, so a format change cannot silently drop data.
*/
#include "ml_golden.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

typedef struct define {
    char *name, *value;
} define;

typedef struct array {
    char *name;
    size_t count;
    int64_t *values;
    int8_t *s8;
    int32_t *s32;
} array;

struct ml_golden {
    char *name;
    define *defs;
    size_t ndefs;
    array *arrays;
    size_t narrays;
};

static void die(const char *file, int line, const char *what)
{
    fprintf(stderr, "%s:%d: golden reader: %s\n", file, line, what);
    exit(1);
}

const char *ml_golden_shared_dir(void)
{
    static char buf[4096];
    struct stat st;
    const char *env = getenv("TINYCEP_SHARED");
    snprintf(buf, sizeof buf, "%s", env && *env ? env : "../shared");
    if (stat(buf, &st) != 0 || !S_ISDIR(st.st_mode)) {
        printf("%s absent (set TINYCEP_SHARED): skipping golden-vector "
               "tests\n", buf);
        return NULL;
    }
    return buf;
}

static char *read_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    char *data;
    long n;
    if (!f)
        return NULL;
    if (fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 ||
        fseek(f, 0, SEEK_SET) != 0) {
        fclose(f);
        return NULL;
    }
    data = malloc((size_t)n + 1);
    if (!data || fread(data, 1, (size_t)n, f) != (size_t)n) {
        fclose(f);
        free(data);
        return NULL;
    }
    data[n] = '\0';
    fclose(f);
    return data;
}

static char *dup_range(const char *s, size_t n)
{
    char *d = malloc(n + 1);
    if (!d) {
        fprintf(stderr, "out of memory\n");
        exit(1);
    }
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

static int line_of(const char *text, const char *p)
{
    int line = 1;
    for (; text < p; text++)
        line += *text == '\n';
    return line;
}

static void add_define(ml_golden *g, const char *name, size_t nlen,
                       const char *value, size_t vlen)
{
    g->defs = realloc(g->defs, (g->ndefs + 1) * sizeof *g->defs);
    if (!g->defs)
        die(g->name, 0, "out of memory");
    g->defs[g->ndefs].name = dup_range(name, nlen);
    g->defs[g->ndefs].value = dup_range(value, vlen);
    g->ndefs++;
}

/* Parse `const <type> name[N] = { v, v, ... };` starting at p (at "const"). */
static const char *parse_array(ml_golden *g, const char *path,
                               const char *text, const char *p)
{
    const char *q, *name;
    size_t nlen, cap = 0;
    array a;
    char *end;
    memset(&a, 0, sizeof a);
    const char *semi = strchr(p, ';');
    /* skip "const <type>" to the identifier before '['; a declaration with
    ** no '[' before its ';' is a pointer (e.g. "= NULL"): no data */
    q = strchr(p, '[');
    if (!semi)
        die(path, line_of(text, p), "declaration without ';'");
    if (!q || q > semi)
        return semi + 1;
    name = q;
    while (name > p && (isalnum((unsigned char)name[-1]) || name[-1] == '_'))
        name--;
    nlen = (size_t)(q - name);
    errno = 0;
    a.count = (size_t)strtoul(q + 1, &end, 10);
    if (errno || *end != ']')
        die(path, line_of(text, p), "array length not a number");
    q = strchr(end, '{');
    if (!q)
        die(path, line_of(text, p), "array without initializer");
    q++;
    for (;;) {
        long long v;
        while (isspace((unsigned char)*q) || *q == ',')
            q++;
        if (*q == '}')
            break;
        errno = 0;
        v = strtoll(q, &end, 0);
        if (errno || end == q)
            die(path, line_of(text, q), "array element not an integer");
        a.values = realloc(a.values, (cap + 1) * sizeof *a.values);
        if (!a.values)
            die(path, 0, "out of memory");
        a.values[cap++] = v;
        q = end;
    }
    if (cap != a.count)
        die(path, line_of(text, p), "array element count differs from its length");
    a.name = dup_range(name, nlen);
    g->arrays = realloc(g->arrays, (g->narrays + 1) * sizeof *g->arrays);
    if (!g->arrays)
        die(path, 0, "out of memory");
    g->arrays[g->narrays++] = a;
    return q + 1;
}

static void parse_header(ml_golden *g, const char *path)
{
    char *text = read_file(path);
    const char *p;
    if (!text)
        die(path, 0, "cannot read");
    p = text;
    while (*p) {
        const char *eol = strchr(p, '\n');
        if (!eol)
            eol = p + strlen(p);
        if (strncmp(p, "#define ", 8) == 0) {
            const char *n = p + 8, *ne, *v, *ve;
            ne = n;
            while (ne < eol && !isspace((unsigned char)*ne))
                ne++;
            v = ne;
            while (v < eol && isspace((unsigned char)*v))
                v++;
            ve = eol;
            while (ve > v && isspace((unsigned char)ve[-1]))
                ve--;
            add_define(g, n, (size_t)(ne - n), v, (size_t)(ve - v));
            p = *eol ? eol + 1 : eol;
        } else if (strncmp(p, "const ", 6) == 0) {
            p = parse_array(g, path, text, p);
        } else {
            p = *eol ? eol + 1 : eol;
        }
    }
    free(text);
}

ml_golden *ml_golden_load(const char *name)
{
    const char *shared = ml_golden_shared_dir();
    char dir[4096], path[4600];
    char *index;
    const char *p;
    ml_golden *g;
    if (!shared)
        return NULL;
    snprintf(dir, sizeof dir, "%s/models/cmsis_nn_kernel_golden/%s", shared,
             name);
    snprintf(path, sizeof path, "%s/test_data.h", dir);
    index = read_file(path);
    if (!index) {
        printf("%s absent: skipping\n", path);
        return NULL;
    }
    g = calloc(1, sizeof *g);
    if (!g)
        die(path, 0, "out of memory");
    g->name = dup_range(name, strlen(name));
    for (p = index; (p = strstr(p, "#include \"")) != NULL;) {
        const char *f = p + 10, *fe = strchr(f, '"');
        char file[256];
        if (!fe || (size_t)(fe - f) >= sizeof file)
            die(path, line_of(index, p), "bad #include");
        memcpy(file, f, (size_t)(fe - f));
        file[fe - f] = '\0';
        snprintf(path, sizeof path, "%s/%s", dir, file);
        parse_header(g, path);
        p = fe;
    }
    free(index);
    return g;
}

void ml_golden_free(ml_golden *g)
{
    size_t i;
    if (!g)
        return;
    for (i = 0; i < g->ndefs; i++) {
        free(g->defs[i].name);
        free(g->defs[i].value);
    }
    for (i = 0; i < g->narrays; i++) {
        free(g->arrays[i].name);
        free(g->arrays[i].values);
        free(g->arrays[i].s8);
        free(g->arrays[i].s32);
    }
    free(g->defs);
    free(g->arrays);
    free(g->name);
    free(g);
}

const char *ml_golden_text(const ml_golden *g, const char *define_name)
{
    size_t i;
    for (i = 0; i < g->ndefs; i++)
        if (strcmp(g->defs[i].name, define_name) == 0)
            return g->defs[i].value;
    return NULL;
}

bool ml_golden_has(const ml_golden *g, const char *define_name)
{
    return ml_golden_text(g, define_name) != NULL;
}

int64_t ml_golden_int(const ml_golden *g, const char *define_name)
{
    const char *v = ml_golden_text(g, define_name);
    char *end;
    long long n;
    if (!v) {
        fprintf(stderr, "golden case %s: #define %s missing\n", g->name,
                define_name);
        exit(1);
    }
    if (strcmp(v, "true") == 0)
        return 1;
    if (strcmp(v, "false") == 0)
        return 0;
    errno = 0;
    n = strtoll(v, &end, 0);
    if (errno || end == v || *end != '\0') {
        fprintf(stderr, "golden case %s: #define %s %s is not an integer\n",
                g->name, define_name, v);
        exit(1);
    }
    return n;
}

static array *find_array(const ml_golden *g, const char *name)
{
    size_t i;
    for (i = 0; i < g->narrays; i++)
        if (strcmp(g->arrays[i].name, name) == 0)
            return &g->arrays[i];
    return NULL;
}

const int8_t *ml_golden_s8(const ml_golden *g, const char *array_name,
                           size_t *count)
{
    array *a = find_array(g, array_name);
    size_t i;
    if (!a)
        return NULL;
    if (!a->s8) {
        a->s8 = malloc(a->count ? a->count : 1);
        if (!a->s8)
            die(g->name, 0, "out of memory");
        for (i = 0; i < a->count; i++) {
            if (a->values[i] < -128 || a->values[i] > 127)
                die(g->name, 0, "int8 array value out of range");
            a->s8[i] = (int8_t)a->values[i];
        }
    }
    *count = a->count;
    return a->s8;
}

const int32_t *ml_golden_s32(const ml_golden *g, const char *array_name,
                             size_t *count)
{
    array *a = find_array(g, array_name);
    size_t i;
    if (!a)
        return NULL;
    if (!a->s32) {
        a->s32 = malloc((a->count ? a->count : 1) * sizeof *a->s32);
        if (!a->s32)
            die(g->name, 0, "out of memory");
        for (i = 0; i < a->count; i++) {
            if (a->values[i] < INT32_MIN || a->values[i] > INT32_MAX)
                die(g->name, 0, "int32 array value out of range");
            a->s32[i] = (int32_t)a->values[i];
        }
    }
    *count = a->count;
    return a->s32;
}
