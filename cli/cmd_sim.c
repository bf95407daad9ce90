/*
** cmd_sim.c — `tinycep sim RULES.cep --trace FILE.csv ...`: replays recorded
** sensor traces through the compiled rules with the device runtime (cep/),
** and writes the alerts (JSON lines or the firmware's lines), a summary, an
** SVG plot, an explanation of the partial matches left, and scores against
** labels.
**
** The replay, step by step (the firmware slice does exactly the same, see
** docs/traces.md "Replay"):
**   1. cep_tick(0) — the stream origin — so that watchdogs count from the
**      start of the recording even for inputs that never report.
**   2. For each record of the merged stream (sim_stream_next, time order):
**      cep_tick(t) when t is later than the previous record, then each
**      sample of the record in column order: converted by sim_sample_raw()
**      and pushed with cep_push().  Event-driven inputs (no rate) are pushed
**      only when their raw value differs from the previous pushed one.
**      Rejections (conversion, RT_ERR_TIME, RT_ERR_VALUE) are counted per
**      input with their first line numbers and printed in the summary.
**   3. Nothing after the last record: a duration or watchdog that would
**      complete after the last timestamp does not fire.
** Alert times are the engine's uint32 ms mapped back to stream ms (int64).
*/
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cep/cep.h"
#include "cep/compile/lower.h"
#include "cli/cli.h"
#include "dsl/dsl.h"
#include "sim/sim.h"

#define FIRST_LINES 3          /* line numbers kept per input and reason */

/* Why a sample of an input was not accepted by the runtime. */
#define REJECT_LIST(X)                                                   \
    X(REJ_TIME,  "earlier than the engine clock (RT_ERR_TIME)")          \
    X(REJ_VALUE, "NaN or infinite value (RT_ERR_VALUE)")                 \
    X(REJ_NOTFINITE, "NaN/Inf for an integer input, not pushed")         \
    X(REJ_NOTBOOL, "bool value not 0 or 1, not pushed")                  \
    X(REJ_OTHER, "refused by the runtime")

enum reject {
#define REJ_ENUM(name, text) name,
    REJECT_LIST(REJ_ENUM)
#undef REJ_ENUM
    REJ_COUNT_
};

static const char *const reject_text[] = {
#define REJ_TEXT(name, text) text,
    REJECT_LIST(REJ_TEXT)
#undef REJ_TEXT
};

/* ------------------------------------------------------------ options */

struct trace_arg {
    sim_trace_spec spec;
    bool has_sep, has_unit;
    sim_buf map;                /* routed --map entries, ';'-joined */
};

struct opts {
    const char *rules;
    struct trace_arg *tr;
    size_t ntr;
    struct trace_arg def;       /* per-trace options given before any --trace */
    const char **maps;
    size_t nmaps;
    const char *labels;
    long labels_trace;          /* -1: first trace whose header has it */
    const char *label_windows;
    long windows_trace;         /* -1: the first trace */
    const char *label_key;
    sim_score_opts score;
    const char *out, *plot, *metrics_json;
    bool lines, explain, quiet, skip_bad, strict, no_model_files;
    int progress;               /* -1 auto (terminal), 0 never, 1 always */
    int plot_width;
};

static void usage(FILE *out)
{
    fputs(
"usage: tinycep sim [OPTIONS] RULES.cep --trace FILE.csv [TRACE OPTIONS]\n"
"                   [--trace FILE2.csv [TRACE OPTIONS] ...]\n"
"       (after RULES.cep, a bare FILE.csv is the same as --trace FILE.csv)\n\n"
"Replays recorded sensor traces through the rules with the same runtime\n"
"code the firmware runs, and prints the alerts they raise (why each fired),\n"
"a summary on stderr, and optionally a plot and scores against labels.\n"
"Formats, and how samples reach the runtime (ticks, integer scaling,\n"
"event-driven inputs pushed on change): docs/traces.md; metrics:\n"
"docs/scoring.md.\n\n"
"inputs:\n"
"  --trace FILE              a CSV trace with a header row (repeatable; the\n"
"                            traces are merged by timestamp, ties to the one\n"
"                            given first); '-' reads standard input\n"
"  --map INPUT=COL[,COL...]  bind an input to columns (repeatable; a vector\n"
"                            input lists one column per element:\n"
"                            --map vib=vx,vy,vz); it goes to the trace whose\n"
"                            header has the first column (else the first\n"
"                            pipe, such as /dev/stdin, else the first trace).\n"
"                            Unmapped scalar inputs bind to the column with\n"
"                            their name, in the first trace that has it.\n"
"trace options (after a --trace they apply to that trace; before the first\n"
"--trace they are the default of every trace):\n"
"  --time-col NAME           the time column (default: found by name)\n"
"  --time-unit s|ms|iso      how to read it (default: from name and value)\n"
"  --rate HZ                 no time column: row i is at i/HZ seconds\n"
"  --sep CHAR                ',' ';' 'tab' (default: detected)\n"
"  --labels COLUMN           a 0/1 label column to score against (one trace;\n"
"                            before any --trace: the first trace that has it)\n"
"  --label-windows FILE.json NAB label windows to score this trace against\n"
"                            (before any --trace: the first trace)\n"
"reading:\n"
"  --skip-bad                skip bad rows (counted, first lines reported)\n"
"                            instead of stopping at the first one\n"
"  --strict                  a row earlier than the row before is an error\n"
"  --no-model-files          lower without reading .tflite files (their\n"
"                            models then never produce outputs)\n"
"outputs:\n"
"  --out FILE                write the alerts to FILE (default stdout)\n"
"  --format json|lines       json: one JSON object per alert with the matched\n"
"                            events, their times and captured values\n"
"                            (default); lines: 't=12.345s severity rule:\n"
"                            message', the firmware's bytes\n"
"  --plot FILE.svg           plot every input and the features and model\n"
"                            outputs the rules read (up to 12), with alerts\n"
"                            and label windows\n"
"  --plot-width PX           plot width (default 1200)\n"
"  --explain                 after the run, list per rule the partial\n"
"                            matches still alive, what each waits for and\n"
"                            the values those conditions read now\n"
"  -q, --quiet               no summary and no progress bar on stderr\n"
"                            (errors are still printed)\n"
"  --progress, --no-progress force the progress bar on / off (default: on\n"
"                            when stderr is a terminal)\n"
"scoring (needs --labels or --label-windows):\n"
"  --label-key KEY           the key of the label-window file to use\n"
"                            (default: the trace's path, matched as a suffix,\n"
"                            then by file name)\n"
"  --hold until-normal|DURATION\n"
"                            point-wise scoring: an alert marks samples until\n"
"                            the next normal one (default), or for DURATION\n"
"                            (e.g. 0, 500ms, 10s, 2min)\n"
"  --nab-profile NAME        standard (default), reward_low_FP_rate,\n"
"                            reward_low_FN_rate\n"
"  --metrics-json FILE       write the metrics as one JSON line to FILE\n"
"  -h, --help                this text\n\n"
"exit status: 0 clean, 1 errors in the rules or a trace, 2 usage or I/O error\n",
        out);
}

static int bad_usage(const char *fmt, const char *a, const char *b)
{
    fputs("tinycep sim: ", stderr);
    fprintf(stderr, fmt, a, b);
    fputs(" (see 'tinycep sim --help')\n", stderr);
    return CLI_EXIT_USAGE;
}

/* "--name VALUE" or "--name=VALUE"; advances *i.  1 if argv[*i] is this
** option (value or NULL in *val), 0 if not. */
static int opt_value(int argc, char **argv, int *i, const char *name, const char **val)
{
    const char *a = argv[*i];
    size_t n = strlen(name);
    if (strncmp(a, name, n) != 0)
        return 0;
    if (a[n] == '=') {
        *val = a + n + 1;
        return 1;
    }
    if (a[n] != '\0')
        return 0;
    *val = *i + 1 < argc ? argv[++*i] : NULL;
    return 1;
}

/* Milliseconds from "500ms", "10s", "10 s", "2min", "1h", or a bare number
** of ms.  -1 if malformed. */
static int64_t parse_duration(const char *s)
{
    char *end;
    double v;
    errno = 0;
    v = strtod(s, &end);
    if (end == s || errno || !(v >= 0) || v > 1e12)
        return -1;
    while (*end == ' ')
        end++;
    if (*end == '\0' || !strcmp(end, "ms"))
        return (int64_t)llround(v);
    if (!strcmp(end, "s"))
        return (int64_t)llround(v * 1000.0);
    if (!strcmp(end, "min"))
        return (int64_t)llround(v * 60000.0);
    if (!strcmp(end, "h"))
        return (int64_t)llround(v * 3600000.0);
    return -1;
}

static int parse_args(int argc, char **argv, struct opts *o)
{
    int i;
    memset(o, 0, sizeof *o);
    o->labels_trace = -1;
    o->windows_trace = -1;
    o->progress = -1;
    sim_score_opts_default(&o->score);
    for (i = 1; i < argc; i++) {
        const char *a = argv[i], *v = NULL;
        struct trace_arg *cur = o->ntr ? &o->tr[o->ntr - 1] : &o->def;
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            usage(stdout);
            return -1;
        } else if (opt_value(argc, argv, &i, "--trace", &v) ||
                   (o->rules != NULL && (a[0] != '-' || a[1] == '\0') && (v = a) != NULL)) {
            struct trace_arg *n;
            if (v == NULL)
                return bad_usage("--trace needs a file name%s%s", "", "");
            n = realloc(o->tr, (o->ntr + 1) * sizeof *n);
            if (n == NULL)
                return bad_usage("out of memory%s%s", "", "");
            o->tr = n;
            memset(&o->tr[o->ntr], 0, sizeof o->tr[o->ntr]);
            o->tr[o->ntr].spec.path = strcmp(v, "-") == 0 ? "/dev/stdin" : v;
            o->ntr++;
            continue;
        } else if (opt_value(argc, argv, &i, "--map", &v)) {
            const char **n;
            if (v == NULL || strchr(v, '=') == NULL)
                return bad_usage("--map takes INPUT=COLUMN[,COLUMN...]%s%s", "", "");
            n = realloc(o->maps, (o->nmaps + 1) * sizeof *n);
            if (n == NULL)
                return bad_usage("out of memory%s%s", "", "");
            o->maps = n;
            o->maps[o->nmaps++] = v;
            continue;
        } else if (opt_value(argc, argv, &i, "--time-col", &v)) {
            cur->spec.time_col = v;
        } else if (opt_value(argc, argv, &i, "--time-unit", &v)) {
            if (v == NULL)
                return bad_usage("--time-unit takes s, ms or iso%s%s", "", "");
            if (!strcmp(v, "s"))
                cur->spec.time_unit = SIM_TIME_SECONDS;
            else if (!strcmp(v, "ms"))
                cur->spec.time_unit = SIM_TIME_MILLIS;
            else if (!strcmp(v, "iso"))
                cur->spec.time_unit = SIM_TIME_ISO;
            else
                return bad_usage("--time-unit takes s, ms or iso, not '%s'%s", v, "");
            cur->has_unit = true;
        } else if (opt_value(argc, argv, &i, "--rate", &v)) {
            cur->spec.rate_hz = v;
        } else if (opt_value(argc, argv, &i, "--sep", &v)) {
            if (v == NULL)
                return bad_usage("--sep takes ',' ';' or 'tab'%s%s", "", "");
            if (!strcmp(v, "tab") || !strcmp(v, "\\t") || !strcmp(v, "\t"))
                cur->spec.sep = '\t';
            else if (!strcmp(v, ",") || !strcmp(v, ";"))
                cur->spec.sep = v[0];
            else
                return bad_usage("--sep takes ',' ';' or 'tab', not '%s'%s", v, "");
            cur->has_sep = true;
        } else if (opt_value(argc, argv, &i, "--labels", &v)) {
            if (o->labels != NULL)
                return bad_usage("--labels given twice ('%s' and '%s')", o->labels,
                                 v ? v : "");
            o->labels = v;
            o->labels_trace = (long)o->ntr - 1;
        } else if (opt_value(argc, argv, &i, "--label-windows", &v)) {
            o->label_windows = v;
            o->windows_trace = (long)o->ntr - 1;
        } else if (opt_value(argc, argv, &i, "--label-key", &v)) {
            o->label_key = v;
        } else if (opt_value(argc, argv, &i, "--hold", &v)) {
            if (v == NULL)
                return bad_usage("--hold takes until-normal or a duration%s%s", "", "");
            if (!strcmp(v, "until-normal")) {
                o->score.hold = SIM_HOLD_UNTIL_NORMAL;
            } else {
                int64_t ms = parse_duration(v);
                if (ms < 0)
                    return bad_usage("--hold takes until-normal or a duration "
                                     "(500ms, 10s, 2min), not '%s'%s", v, "");
                o->score.hold = SIM_HOLD_FIXED;
                o->score.hold_ms = ms;
            }
        } else if (opt_value(argc, argv, &i, "--nab-profile", &v)) {
            if (v == NULL)
                return bad_usage("--nab-profile needs a name%s%s", "", "");
            if (!strcmp(v, "standard"))
                o->score.nab = (sim_nab_profile){ 1.0, 0.11, 1.0 };
            else if (!strcmp(v, "reward_low_FP_rate"))
                o->score.nab = (sim_nab_profile){ 1.0, 0.22, 1.0 };
            else if (!strcmp(v, "reward_low_FN_rate"))
                o->score.nab = (sim_nab_profile){ 1.0, 0.11, 2.0 };
            else
                return bad_usage("--nab-profile: standard, reward_low_FP_rate or "
                                 "reward_low_FN_rate, not '%s'%s", v, "");
        } else if (opt_value(argc, argv, &i, "--out", &v)) {
            o->out = v;
        } else if (opt_value(argc, argv, &i, "--format", &v)) {
            if (v != NULL && !strcmp(v, "lines"))
                o->lines = true;
            else if (v != NULL && !strcmp(v, "json"))
                o->lines = false;
            else
                return bad_usage("--format takes json or lines, not '%s'%s", v ? v : "", "");
        } else if (opt_value(argc, argv, &i, "--plot", &v)) {
            o->plot = v;
        } else if (opt_value(argc, argv, &i, "--plot-width", &v)) {
            char *end;
            long w = v ? strtol(v, &end, 10) : 0;
            if (v == NULL || *end || w < 300 || w > 20000)
                return bad_usage("--plot-width takes 300..20000 pixels, not '%s'%s",
                                 v ? v : "", "");
            o->plot_width = (int)w;
        } else if (opt_value(argc, argv, &i, "--metrics-json", &v)) {
            o->metrics_json = v;
        } else if (!strcmp(a, "--explain")) {
            o->explain = true;
            continue;
        } else if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) {
            o->quiet = true;
            continue;
        } else if (!strcmp(a, "--skip-bad")) {
            o->skip_bad = true;
            continue;
        } else if (!strcmp(a, "--strict")) {
            o->strict = true;
            continue;
        } else if (!strcmp(a, "--no-model-files")) {
            o->no_model_files = true;
            continue;
        } else if (!strcmp(a, "--progress")) {
            o->progress = 1;
            continue;
        } else if (!strcmp(a, "--no-progress")) {
            o->progress = 0;
            continue;
        } else if (a[0] == '-' && a[1] != '\0') {
            return bad_usage("unknown option '%s'%s", a, "");
        } else {
            o->rules = a;
            continue;
        }
        if (v == NULL)
            return bad_usage("%s needs a value%s", a, "");
    }
    if (o->rules == NULL)
        return bad_usage("no rule file given%s%s", "", "");
    if (o->ntr == 0)
        return bad_usage("no trace given: --trace FILE.csv%s%s", "", "");
    if (o->labels != NULL && o->label_windows != NULL)
        return bad_usage("--labels and --label-windows: one label source at a time%s%s",
                         "", "");
    if (o->metrics_json != NULL && o->labels == NULL && o->label_windows == NULL)
        return bad_usage("--metrics-json needs --labels or --label-windows%s%s", "", "");
    if (o->label_key != NULL && o->label_windows == NULL)
        return bad_usage("--label-key needs --label-windows%s%s", "", "");
    for (i = 0; i < (int)o->ntr; i++) {
        sim_trace_spec *s = &o->tr[i].spec;
        if (!o->tr[i].has_sep && o->def.has_sep)
            s->sep = o->def.spec.sep;
        if (!o->tr[i].has_unit && o->def.has_unit)
            s->time_unit = o->def.spec.time_unit;
        if (s->time_col == NULL && s->rate_hz == NULL) {
            s->time_col = o->def.spec.time_col;
            s->rate_hz = o->def.spec.rate_hz;
        }
    }
    return 0;
}

/* ------------------------------------------------------------ headers */

/* The column names of a trace's header, read only to route --map and
** --labels to the right trace (sim_stream_open then reads the file for
** real and reports every error).  Returns the number of names (0 if the
** file cannot be read), malloc'd in *out, each malloc'd. */
static size_t peek_header(const sim_trace_spec *sp, char ***out, bool *opaque)
{
    FILE *f = fopen(sp->path, "rb");
    char *line = NULL, **names = NULL;
    size_t cap = 0, n = 0;
    ssize_t len;
    char sep = sp->sep;
    char *p;

    *out = NULL;
    if (f == NULL)
        return 0;
    {   /* never read ahead in a pipe: sim_stream must see its header */
        struct stat st;
        if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode)) {
            *opaque = true;
            fclose(f);
            return 0;
        }
    }
    len = getline(&line, &cap, f);
    fclose(f);
    if (len <= 0) {
        free(line);
        return 0;
    }
    p = line;
    if ((unsigned char)p[0] == 0xEF && (unsigned char)p[1] == 0xBB &&
        (unsigned char)p[2] == 0xBF)
        p += 3;
    p[strcspn(p, "\r\n")] = '\0';
    if (sep == 0) {
        size_t c[3] = { 0, 0, 0 };
        bool q = false;
        const char *s;
        for (s = p; *s; s++) {
            if (*s == '"')
                q = !q;
            else if (!q)
                c[0] += *s == ',', c[1] += *s == ';', c[2] += *s == '\t';
        }
        sep = c[1] > c[0] && c[1] >= c[2] ? ';' : c[2] > c[0] && c[2] > c[1] ? '\t' : ',';
    }
    for (;;) {
        char *end = p, *field, **nn;
        bool q = false;
        while (*end && (q || *end != sep)) {
            if (*end == '"')
                q = !q;
            end++;
        }
        field = strndup(p, (size_t)(end - p));
        nn = realloc(names, (n + 1) * sizeof *nn);
        if (field == NULL || nn == NULL) {
            free(field);
            if (nn != NULL)
                names = nn;
            break;
        }
        names = nn;
        {   /* trim, unquote */
            char *a = field, *b = field + strlen(field);
            while (*a == ' ' || *a == '\t')
                a++;
            while (b > a && (b[-1] == ' ' || b[-1] == '\t'))
                b--;
            if (b - a >= 2 && *a == '"' && b[-1] == '"')
                a++, b--;
            memmove(field, a, (size_t)(b - a));
            field[b - a] = '\0';
        }
        names[n++] = field;
        if (*end == '\0')
            break;
        p = end + 1;
    }
    free(line);
    *out = names;
    return n;
}

static bool header_has(char **names, size_t n, const char *col, size_t len)
{
    size_t i;
    for (i = 0; i < n; i++)
        if (strlen(names[i]) == len && strncmp(names[i], col, len) == 0)
            return true;
    for (i = 0; i < n; i++)
        if (strlen(names[i]) == len && strncasecmp(names[i], col, len) == 0)
            return true;
    return false;
}

static void free_names(char **names, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++)
        free(names[i]);
    free(names);
}

/* Routes each --map to the first trace whose header has its first column
** (else the first trace, whose open then reports the missing column), and
** --labels / --label-windows to their trace.  Returns the index of the
** scored trace, or -1 when there are no labels; -2 on out of memory. */
static long route(struct opts *o)
{
    char ***hdr = calloc(o->ntr, sizeof *hdr);
    size_t *nh = calloc(o->ntr, sizeof *nh);
    bool *opaque = calloc(o->ntr, sizeof *opaque);
    size_t i, t;
    long scored = -1;
    if (hdr == NULL || nh == NULL || opaque == NULL) {
        free(hdr);
        free(nh);
        free(opaque);
        return -2;
    }
    for (t = 0; t < o->ntr; t++)
        nh[t] = peek_header(&o->tr[t].spec, &hdr[t], &opaque[t]);
    for (i = 0; i < o->nmaps; i++) {
        const char *m = o->maps[i], *col = strchr(m, '=') + 1;
        size_t len = strcspn(col, ",");
        size_t to = o->ntr;
        for (t = 0; t < o->ntr && to == o->ntr; t++)
            if (header_has(hdr[t], nh[t], col, len))
                to = t;
        for (t = 0; t < o->ntr && to == o->ntr; t++)
            if (opaque[t])      /* a pipe: its header is unknown until read */
                to = t;
        if (to == o->ntr)
            to = 0;             /* sim_stream_open names the missing column */
        if (o->tr[to].map.len > 0)
            sim_buf_add(&o->tr[to].map, ";", 1);
        sim_buf_add(&o->tr[to].map, m, strlen(m));
    }
    for (t = 0; t < o->ntr; t++)
        o->tr[t].spec.map = o->tr[t].map.len ? o->tr[t].map.data : NULL;
    if (o->labels != NULL) {
        scored = o->labels_trace;
        for (t = 0; scored < 0 && t < o->ntr; t++)
            if (header_has(hdr[t], nh[t], o->labels, strlen(o->labels)))
                scored = (long)t;
        if (scored < 0)
            scored = 0;
        o->tr[scored].spec.label_col = o->labels;
    } else if (o->label_windows != NULL) {
        scored = o->windows_trace < 0 ? 0 : o->windows_trace;
    }
    for (t = 0; t < o->ntr; t++)
        free_names(hdr[t], nh[t]);
    free(hdr);
    free(nh);
    free(opaque);
    return scored;
}

/* ------------------------------------------------------------ the run */

struct input_stat {
    uint64_t samples;           /* samples read from the traces */
    uint64_t pushed;            /* accepted by the runtime */
    uint64_t unchanged;         /* event-driven, same value: not pushed */
    uint64_t saturated;         /* components clipped to the raw range */
    uint64_t rej[REJ_COUNT_];
    uint64_t rej_lines[REJ_COUNT_][FIRST_LINES];
    size_t trace;               /* which trace feeds it */
    bool has_prev;
    unsigned char prev[CEP_MAX_DIMS * 4];
};

struct alert_rec {
    int64_t t_ms;
    uint16_t rule;
    uint8_t severity;
};

struct series_ref {
    sim_plot_series *s;
    uint16_t slot;              /* derived: value slot; inputs: CEP_NONE */
    uint16_t input, comp;
};

/* The values an event's predicate read at its recent occurrences: the
** simulator watches cep_event_count() after every tick and push and keeps
** the last SNAPS snapshots per event, so an alert can say what each matched
** event saw (the engine itself only keeps the captures the rules ask for). */
#define SNAPS     16
#define SNAP_VALS 8

struct snap {
    int64_t t_ms;               /* stream time of the step it was taken after */
    float v[SNAP_VALS];
};

struct ev_watch {
    uint16_t slots[SNAP_VALS];  /* value slots the predicate loads */
    uint16_t n_slots;
    uint32_t count;             /* cep_event_count at the last look */
    struct snap ring[SNAPS];
    size_t n, head;             /* snapshots held, next write position */
};

struct run {
    const struct opts *o;
    struct ev_watch *watch;     /* per event */
    struct cep_compiled *comp;
    const cep_program *prog;
    cep_ctx *ctx;
    char **rule_names, **event_names, **input_names, **slot_names;
    char ***cap_names;          /* per event, per capture */
    struct input_stat *in;
    int64_t cur_t;              /* stream time of the record being pushed */
    bool has_epoch;
    int64_t epoch;
    FILE *out;
    sim_buf obuf;
    int write_error;
    struct alert_rec *alerts;
    size_t nalerts, alerts_cap;
    sim_alert_value *vals;
    size_t vals_cap;
    sim_alert_event *evs;
    size_t evs_cap;
    struct series_ref *series;
    size_t nseries;
};

static char *dup_name(const cep_program *p, uint16_t name)
{
    size_t len;
    const char *s = cep_program_name(p, name, &len);
    return strndup(s, len);
}

static char *fmt_name(const char *base, const char *suffix, long idx)
{
    char buf[512];
    if (idx >= 0)
        snprintf(buf, sizeof buf, "%s%s[%ld]", base, suffix, idx);
    else
        snprintf(buf, sizeof buf, "%s%s", base, suffix);
    return strdup(buf);
}

/* A readable name for every value slot: "temp", "vib.z", "vrms",
** "bands[1]", "baseline.score". */
static int name_slots(struct run *r)
{
    const cep_program *p = r->prog;
    uint16_t i, k;
    static const char *const xyz[] = { ".x", ".y", ".z" };
    r->slot_names = calloc(p->n_slots + 1u, sizeof *r->slot_names);
    if (r->slot_names == NULL)
        return -1;
    for (i = 0; i < p->n_inputs; i++) {
        const cep_input_desc *d = &p->inputs[i];
        for (k = 0; k < d->dims && d->slot + k < p->n_slots; k++)
            r->slot_names[d->slot + k] = d->dims == 1 ? strdup(r->input_names[i])
                : d->dims == 3 ? fmt_name(r->input_names[i], xyz[k], -1)
                : fmt_name(r->input_names[i], "", k);
    }
    for (i = 0; i < p->n_features; i++) {
        const cep_feature_desc *d = &p->features[i];
        const char *nm = cep_compiled_obj_name(r->comp, CEP_OBJ_FEATURE, i);
        char buf[32];
        if (nm == NULL) {
            snprintf(buf, sizeof buf, "feature%u", (unsigned)i);
            nm = buf;
        }
        for (k = 0; k < d->n_out && d->slot + k < p->n_slots; k++)
            r->slot_names[d->slot + k] = fmt_name(nm, "", d->n_out == 1 ? -1 : k);
    }
    for (i = 0; i < p->n_models; i++) {
        const cep_model_desc *d = &p->models[i];
        const char *nm = cep_compiled_obj_name(r->comp, CEP_OBJ_MODEL, i);
        char buf[32];
        uint32_t n = d->kind == CEP_M_TFLITE ? 3u + 2u * d->n_out : 3u + d->n_in, s;
        if (nm == NULL) {
            snprintf(buf, sizeof buf, "model%u", (unsigned)i);
            nm = buf;
        }
        for (s = 0; s < n && d->slot + s < p->n_slots; s++) {
            char *v;
            if (d->kind == CEP_M_TFLITE)
                v = s == 0 ? fmt_name(nm, ".class", -1) : s == 1 ? fmt_name(nm, ".score", -1)
                  : s == 2 ? fmt_name(nm, ".error", -1)
                  : s < 3u + d->n_out ? fmt_name(nm, ".prob", (long)(s - 3))
                  : fmt_name(nm, ".out", (long)(s - 3 - d->n_out));
            else
                v = s == 0 ? fmt_name(nm, ".score", -1) : s == 1 ? fmt_name(nm, ".zmax", -1)
                  : s == 2 ? fmt_name(nm, ".learning", -1) : fmt_name(nm, ".z", (long)(s - 3));
            r->slot_names[d->slot + s] = v;
        }
    }
    for (i = 0; i < p->n_slots; i++)
        if (r->slot_names[i] == NULL)
            r->slot_names[i] = fmt_name("slot", "", i);
    return 0;
}

/* The name of capture expression `ex`: the slot it loads, else "value<k>". */
static char *capture_name(const struct run *r, uint16_t ex, uint16_t k)
{
    const cep_program *p = r->prog;
    if (ex < p->n_exprs && p->exprs[ex].len == 1) {
        const cep_insn *in = &p->code[p->exprs[ex].first];
        if (in->op == CEP_OP_LOAD && in->b < p->n_slots)
            return strdup(r->slot_names[in->b]);
    }
    return fmt_name("value", "", k);
}

static int name_everything(struct run *r)
{
    const cep_program *p = r->prog;
    uint16_t i, k;
    r->rule_names = calloc(p->n_rules + 1u, sizeof(char *));
    r->event_names = calloc(p->n_events + 1u, sizeof(char *));
    r->input_names = calloc(p->n_inputs + 1u, sizeof(char *));
    r->cap_names = calloc(p->n_events + 1u, sizeof(char **));
    if (!r->rule_names || !r->event_names || !r->input_names || !r->cap_names)
        return -1;
    for (i = 0; i < p->n_rules; i++)
        r->rule_names[i] = dup_name(p, p->rules[i].name);
    for (i = 0; i < p->n_inputs; i++)
        r->input_names[i] = dup_name(p, p->inputs[i].name);
    for (i = 0; i < p->n_events; i++)
        r->event_names[i] = dup_name(p, p->events[i].name);
    if (name_slots(r) != 0)
        return -1;
    for (i = 0; i < p->n_events; i++) {
        const cep_event_desc *e = &p->events[i];
        r->cap_names[i] = calloc(e->cap_count + 1u, sizeof(char *));
        if (r->cap_names[i] == NULL)
            return -1;
        for (k = 0; k < e->cap_count; k++)
            r->cap_names[i][k] = capture_name(r, p->refs[e->cap_first + k], k);
    }
    return 0;
}

/* Which slots each predicate event reads (distinct, in code order). */
static int plan_watch(struct run *r)
{
    const cep_program *p = r->prog;
    uint16_t e;
    r->watch = calloc(p->n_events + 1u, sizeof *r->watch);
    if (r->watch == NULL)
        return -1;
    for (e = 0; e < p->n_events; e++) {
        const cep_event_desc *d = &p->events[e];
        struct ev_watch *w = &r->watch[e];
        uint32_t i;
        if (d->kind != CEP_EV_PRED || d->pred >= p->n_exprs)
            continue;
        for (i = 0; i < p->exprs[d->pred].len; i++) {
            const cep_insn *in = &p->code[p->exprs[d->pred].first + i];
            uint16_t k;
            bool seen = false;
            if (in->op != CEP_OP_LOAD || in->b >= p->n_slots)
                continue;
            for (k = 0; k < w->n_slots; k++)
                seen |= w->slots[k] == in->b;
            if (!seen && w->n_slots < SNAP_VALS)
                w->slots[w->n_slots++] = in->b;
        }
    }
    return 0;
}

/* After a tick or push: a snapshot for every event that occurred in it. */
static void watch_events(struct run *r)
{
    uint16_t e;
    for (e = 0; e < r->prog->n_events; e++) {
        struct ev_watch *w = &r->watch[e];
        uint32_t c;
        uint16_t k;
        if (w->n_slots == 0)
            continue;
        c = cep_event_count(r->ctx, e);
        if (c == w->count)
            continue;
        w->count = c;
        w->ring[w->head].t_ms = r->cur_t;
        for (k = 0; k < w->n_slots; k++)
            w->ring[w->head].v[k] = cep_slot_get(r->ctx, w->slots[k]);
        w->head = (w->head + 1) % SNAPS;
        if (w->n < SNAPS)
            w->n++;
    }
}

/* The snapshot taken right after the step in which event e occurred at
** t_occ, or NULL if that step is the current one (or too old). */
static const struct snap *watch_find(const struct run *r, uint16_t e, int64_t t_occ)
{
    const struct ev_watch *w = &r->watch[e];
    const struct snap *best = NULL;
    size_t i;
    for (i = 0; i < w->n; i++) {
        const struct snap *sn = &w->ring[(w->head + SNAPS - 1 - i) % SNAPS];
        if (sn->t_ms < t_occ)
            break;
        best = sn;
    }
    return best;
}

static int64_t stream_time(const struct run *r, uint32_t t)
{
    return r->cur_t + (int32_t)(t - (uint32_t)(uint64_t)r->cur_t);
}

static void flush_out(struct run *r)
{
    if (r->obuf.len > 0 && fwrite(r->obuf.data, 1, r->obuf.len, r->out) != r->obuf.len)
        r->write_error = 1;
    r->obuf.len = 0;
}

static void on_alert(void *user, const cep_alert *a)
{
    struct run *r = user;
    sim_alert sa;
    size_t i, nv = 0;

    if (a->n_events > r->evs_cap) {
        sim_alert_event *n = realloc(r->evs, a->n_events * sizeof *n);
        if (n == NULL) {
            r->write_error = 1;
            return;
        }
        r->evs = n;
        r->evs_cap = a->n_events;
    }
    for (i = 0; i < a->n_events; i++)
        nv += a->events[i].n_caps + SNAP_VALS;
    if (nv > r->vals_cap) {
        sim_alert_value *n = realloc(r->vals, nv * sizeof *n);
        if (n == NULL) {
            r->write_error = 1;
            return;
        }
        r->vals = n;
        r->vals_cap = nv;
    }
    nv = 0;
    for (i = 0; i < a->n_events; i++) {
        const cep_match_event *m = &a->events[i];
        uint16_t k;
        r->evs[i].name = m->event < r->prog->n_events ? r->event_names[m->event] : "?";
        r->evs[i].t_ms = stream_time(r, m->t_ms);
        r->evs[i].values = r->vals + nv;
        r->evs[i].n_values = m->n_caps;
        for (k = 0; k < m->n_caps; k++) {
            r->vals[nv].name = m->event < r->prog->n_events &&
                k < r->prog->events[m->event].cap_count ? r->cap_names[m->event][k] : "value";
            r->vals[nv].value = (double)m->caps[k];
            nv++;
        }
        if (m->event < r->prog->n_events) {
            /* what the predicate read when it held (see struct ev_watch) */
            const struct ev_watch *w = &r->watch[m->event];
            const struct snap *sn = watch_find(r, m->event, r->evs[i].t_ms);
            uint16_t q;
            for (k = 0; k < w->n_slots; k++) {
                const char *nm = r->slot_names[w->slots[k]];
                bool dup = false;
                for (q = 0; q < m->n_caps; q++)
                    dup |= strcmp(r->evs[i].values[q].name, nm) == 0;
                if (dup)
                    continue;
                r->vals[nv].name = nm;
                r->vals[nv].value = (double)(sn != NULL ? sn->v[k]
                                             : cep_slot_get(r->ctx, w->slots[k]));
                nv++;
                r->evs[i].n_values++;
            }
        }
    }
    sa.rule = a->rule < r->prog->n_rules ? r->rule_names[a->rule] : "?";
    sa.severity = cep_severity_name(a->severity);
    sa.t_ms = stream_time(r, a->t_ms);
    sa.message = a->msg;
    sa.events = r->evs;
    sa.n_events = a->n_events;
    if ((r->o->lines ? sim_alert_line(&sa, &r->obuf)
                     : sim_alert_json(&sa, r->has_epoch, r->epoch, &r->obuf)) != 0)
        r->write_error = 1;
    if (r->obuf.len > 65536)
        flush_out(r);
    if (r->nalerts == r->alerts_cap) {
        size_t nc = r->alerts_cap ? 2 * r->alerts_cap : 64;
        struct alert_rec *n = realloc(r->alerts, nc * sizeof *n);
        if (n == NULL) {
            r->write_error = 1;
            return;
        }
        r->alerts = n;
        r->alerts_cap = nc;
    }
    r->alerts[r->nalerts].t_ms = sa.t_ms;
    r->alerts[r->nalerts].rule = a->rule;
    r->alerts[r->nalerts].severity = a->severity;
    r->nalerts++;
}

static rt_status on_infer(void *user, uint16_t model, const int8_t *in, size_t n_in,
                          int8_t *out, size_t n_out)
{
    struct run *r = user;
    return cep_compiled_infer(r->comp, model, in, n_in, out, n_out);
}

/* Value slots that some expression of the program reads (events, guards,
** captures, messages): the "key features" worth plotting. */
static bool *slots_read(const cep_program *p)
{
    bool *used = calloc(p->n_slots + 1u, sizeof *used);
    uint32_t i;
    if (used == NULL)
        return NULL;
    for (i = 0; i < p->n_code; i++)
        if (p->code[i].op == CEP_OP_LOAD && p->code[i].b < p->n_slots)
            used[p->code[i].b] = true;
    return used;
}

static const char *input_unit(const struct run *r, uint16_t i)
{
    const struct dsl_decl *d = cep_compiled_obj_decl(r->comp, CEP_OBJ_INPUT, i);
    return d != NULL && d->kind == DSL_DECL_INPUT ? d->u.input.unit : NULL;
}

static const char *feature_unit(const struct run *r, uint16_t f)
{
    const struct dsl_decl *d = cep_compiled_obj_decl(r->comp, CEP_OBJ_FEATURE, f);
    return d != NULL && d->kind == DSL_DECL_FEATURE ? d->u.feature.type.unit : NULL;
}

static int add_series(struct run *r, const char *name, const char *unit, uint16_t slot,
                      uint16_t input, uint16_t comp)
{
    struct series_ref *n = realloc(r->series, (r->nseries + 1) * sizeof *n);
    if (n == NULL)
        return -1;
    r->series = n;
    n[r->nseries].s = sim_plot_series_new(name, unit ? unit : "");
    n[r->nseries].slot = slot;
    n[r->nseries].input = input;
    n[r->nseries].comp = comp;
    if (n[r->nseries].s == NULL)
        return -1;
    r->nseries++;
    return 0;
}

/* Panels: every input component, then every feature or model output that
** an expression reads (at most 12 of them, in slot order). */
static int plan_plot(struct run *r)
{
    const cep_program *p = r->prog;
    bool *used = slots_read(p);
    uint16_t i, k, s;
    size_t derived = 0;
    if (used == NULL)
        return -1;
    for (i = 0; i < p->n_inputs; i++)
        for (k = 0; k < p->inputs[i].dims; k++)
            if (add_series(r, r->slot_names[p->inputs[i].slot + k], input_unit(r, i),
                           CEP_NONE, i, k) != 0)
                goto fail;
    for (s = 0; s < p->n_slots && derived < 12; s++) {
        bool is_input = false;
        const char *unit = NULL;
        if (!used[s])
            continue;
        for (i = 0; i < p->n_inputs; i++)
            if (s >= p->inputs[i].slot && s < p->inputs[i].slot + p->inputs[i].dims)
                is_input = true;
        if (is_input)
            continue;
        for (i = 0; i < p->n_features; i++)
            if (s >= p->features[i].slot && s < p->features[i].slot + p->features[i].n_out)
                unit = feature_unit(r, i);
        if (add_series(r, r->slot_names[s], unit, s, CEP_NONE, 0) != 0)
            goto fail;
        derived++;
    }
    free(used);
    return 0;
fail:
    free(used);
    return -1;
}

static void reject(struct input_stat *st, enum reject why, uint64_t line)
{
    if (st->rej[why] < FIRST_LINES)
        st->rej_lines[why][st->rej[why]] = line;
    st->rej[why]++;
}

/* Pushes one sample of a record; counts what happened. */
static void push_sample(struct run *r, const sim_sample *smp, uint32_t t, uint64_t line)
{
    const cep_input_desc *d = &r->prog->inputs[smp->input];
    struct input_stat *st = &r->in[smp->input];
    unsigned char raw[CEP_MAX_DIMS * 4];
    size_t bytes;
    unsigned sat = 0;
    sim_raw_status rs;
    rt_status ps;

    st->samples++;
    rs = sim_sample_raw(d, smp->values, smp->n, raw, &sat);
    if (rs != SIM_RAW_OK) {
        reject(st, rs == SIM_RAW_NOT_BOOL ? REJ_NOTBOOL
                   : rs == SIM_RAW_NOT_FINITE ? REJ_NOTFINITE : REJ_OTHER, line);
        return;
    }
    bytes = (size_t)d->dims * (d->type == CEP_IN_I8 || d->type == CEP_IN_BOOL ? 1u
                               : d->type == CEP_IN_I16 ? 2u : 4u);
    if (d->period_us == 0) {        /* event-driven: only changes */
        if (st->has_prev && memcmp(st->prev, raw, bytes) == 0) {
            st->unchanged++;
            return;
        }
    }
    st->saturated += sat;
    ps = cep_push(r->ctx, (uint16_t)smp->input, t, raw);
    if (ps == RT_OK) {
        st->pushed++;
        memcpy(st->prev, raw, bytes);
        st->has_prev = true;
    } else {
        reject(st, ps == RT_ERR_TIME ? REJ_TIME : ps == RT_ERR_VALUE ? REJ_VALUE : REJ_OTHER,
               line);
    }
}

/* ------------------------------------------------------------ reports */

static void print_lines(FILE *f, const uint64_t *lines, uint64_t n)
{
    uint64_t i, k = n < FIRST_LINES ? n : FIRST_LINES;
    fprintf(f, " (line%s ", n == 1 ? "" : "s");
    for (i = 0; i < k; i++)
        fprintf(f, "%s%llu", i ? ", " : "", (unsigned long long)lines[i]);
    fputs(n > k ? ", ...)" : ")", f);
}

static void print_summary(const struct run *r, uint64_t records, int64_t t_first,
                          int64_t t_last, const sim_stream *s)
{
    const cep_program *p = r->prog;
    const cep_stats *es = cep_stats_get(r->ctx);
    uint64_t per_sev[CEP_SEV_COUNT_] = { 0 };
    char a[32], b[32];
    size_t i, t;
    sim_buf rep = { 0 };
    uint16_t k;

    for (i = 0; i < r->nalerts; i++)
        if (r->alerts[i].severity < CEP_SEV_COUNT_)
            per_sev[r->alerts[i].severity]++;
    sim_format_seconds(t_first, a);
    sim_format_seconds(t_last, b);
    fprintf(stderr, "%s: %llu record%s from %zu trace%s, t = %s .. %s s\n", r->o->rules,
            (unsigned long long)records, records == 1 ? "" : "s", r->o->ntr,
            r->o->ntr == 1 ? "" : "s",
            records ? a : "-", records ? b : "-");
    fprintf(stderr, "alerts: %zu", r->nalerts);
    {   /* by severity, most severe first; only those that occurred */
        const char *sep = " (";
        for (k = CEP_SEV_COUNT_; k-- > 0;)
            if (per_sev[k] > 0) {
                fprintf(stderr, "%s%llu %s", sep, (unsigned long long)per_sev[k],
                        cep_severity_name(k));
                sep = ", ";
            }
        fputs(r->nalerts ? ")\n" : "\n", stderr);
    }
    fprintf(stderr, "  %-22s %-8s %7s %7s %10s %8s %7s %7s\n", "rule", "severity", "alerts",
            "matches", "suppressed", "overflow", "expired", "partial");
    for (k = 0; k < p->n_rules; k++) {
        const cep_rule_stats *rs = cep_rule_stats_get(r->ctx, k);
        size_t partial = cep_rule_partials(r->ctx, k, NULL, 0);
        fprintf(stderr, "  %-22s %-8s %7u %7u %10u %8u %7u %7zu\n", r->rule_names[k],
                cep_severity_name(p->rules[k].severity), rs->alerts, rs->matches,
                rs->suppressed, rs->overflow, rs->expired, partial);
    }
    fprintf(stderr, "  %-22s %-14s %9s %9s %9s %9s %9s\n", "input", "trace", "samples",
            "pushed", "unchanged", "rejected", "saturated");
    for (k = 0; k < p->n_inputs; k++) {
        const struct input_stat *st = &r->in[k];
        uint64_t rej = 0;
        const char *tn = r->o->tr[st->trace].spec.path, *sl = strrchr(tn, '/');
        for (t = 0; t < REJ_COUNT_; t++)
            rej += st->rej[t];
        fprintf(stderr, "  %-22s %-14s %9llu %9llu %9llu %9llu %9llu\n", r->input_names[k],
                sl ? sl + 1 : tn, (unsigned long long)st->samples,
                (unsigned long long)st->pushed, (unsigned long long)st->unchanged,
                (unsigned long long)rej, (unsigned long long)st->saturated);
    }
    for (k = 0; k < p->n_inputs; k++)
        for (t = 0; t < REJ_COUNT_; t++)
            if (r->in[k].rej[t] > 0) {
                fprintf(stderr, "  input '%s': %llu sample%s rejected: %s", r->input_names[k],
                        (unsigned long long)r->in[k].rej[t], r->in[k].rej[t] == 1 ? "" : "s",
                        reject_text[t]);
                print_lines(stderr, r->in[k].rej_lines[t], r->in[k].rej[t]);
                fputc('\n', stderr);
            }
    fprintf(stderr, "engine: %u samples accepted, rejected %u (time) %u (value), "
            "%u window overflows, %u inferences, %u inference errors\n",
            es->samples, es->rejected_time, es->rejected_value, es->window_overflow,
            es->inferences, es->infer_errors);
    if (sim_stream_report(s, &rep) == 0 && rep.len > 0)
        fwrite(rep.data, 1, rep.len, stderr);
    sim_buf_free(&rep);
}

/* Per rule: the partial matches alive at the end and what each waits for. */
static void print_explain(const struct run *r)
{
    const cep_program *p = r->prog;
    uint16_t k;
    fputs("explain: partial matches alive at the end of the trace\n", stderr);
    for (k = 0; k < p->n_rules; k++) {
        cep_partial parts[8];
        size_t n = cep_rule_partials(r->ctx, k, parts, 8), j;
        const cep_rule_stats *rs = cep_rule_stats_get(r->ctx, k);
        fprintf(stderr, "  rule %s: %zu partial match%s (pool %u; %u matched, %u expired, "
                "%u overflowed)\n", r->rule_names[k], n, n == 1 ? "" : "es",
                p->rules[k].max_runs, rs->matches, rs->expired, rs->overflow);
        for (j = 0; j < n && j < 8; j++) {
            const cep_partial *c = &parts[j];
            char t1[32], t2[32];
            const cep_pstate *st = c->state < p->n_states ? &p->states[c->state] : NULL;
            uint16_t tr;
            sim_format_seconds(stream_time(r, c->t_first), t1);
            sim_format_seconds(stream_time(r, c->t_last), t2);
            fprintf(stderr, "    run %zu: %u event%s matched, first at %s s, last '%s' at %s s\n",
                    j + 1, c->n_events, c->n_events == 1 ? "" : "s", t1,
                    c->last_event < p->n_events ? r->event_names[c->last_event] : "?", t2);
            if (st == NULL)
                continue;
            fputs(st->kind == CEP_PS_NEG ? "      inside a negation window; ends the run: "
                                         : "      waits for: ", stderr);
            for (tr = 0; tr < st->tr_count; tr++) {
                const cep_ptrans *x = &p->trans[st->tr_first + tr];
                fprintf(stderr, "%s%s%s (%u so far)", tr ? ", " : "",
                        x->flags & CEP_PT_KILL ? "not " : "",
                        x->event < p->n_events ? r->event_names[x->event] : "?",
                        x->event < p->n_events ? cep_event_count(r->ctx, x->event) : 0u);
                if (x->guard != CEP_NONE)
                    fputs(" with a condition on captured values", stderr);
                if (x->chk_reg != CEP_NOREG)
                    fprintf(stderr, " within %.3f s", (double)x->chk_ms / 1000.0);
            }
            fputc('\n', stderr);
            /* what the awaited predicates read now: why they do not hold */
            for (tr = 0; tr < st->tr_count; tr++) {
                const cep_ptrans *x = &p->trans[st->tr_first + tr];
                const struct ev_watch *w;
                uint16_t q;
                if (x->event >= p->n_events || r->watch[x->event].n_slots == 0)
                    continue;
                w = &r->watch[x->event];
                fprintf(stderr, "      %s reads now:", r->event_names[x->event]);
                for (q = 0; q < w->n_slots; q++) {
                    char num[64];
                    cep_format_float(num, sizeof num, cep_slot_get(r->ctx, w->slots[q]), 3);
                    fprintf(stderr, "%s %s = %s", q ? "," : "", r->slot_names[w->slots[q]], num);
                }
                fputc('\n', stderr);
            }
        }
        if (n > 8)
            fprintf(stderr, "    ... %zu more\n", n - 8);
        if (n == 0 && rs->matches == 0 && p->rules[k].start < p->n_states) {
            /* never started or never completed: how often its first events occurred */
            const cep_pstate *st = &p->states[p->rules[k].start];
            uint16_t tr;
            fputs("    never matched; starts with: ", stderr);
            for (tr = 0; tr < st->tr_count; tr++) {
                const cep_ptrans *x = &p->trans[st->tr_first + tr];
                fprintf(stderr, "%s%s (%u occurrence%s)", tr ? ", " : "",
                        x->event < p->n_events ? r->event_names[x->event] : "?",
                        x->event < p->n_events ? cep_event_count(r->ctx, x->event) : 0u,
                        x->event < p->n_events && cep_event_count(r->ctx, x->event) == 1
                            ? "" : "s");
            }
            fputc('\n', stderr);
        }
    }
    fputs("  (the engine does not record which predicate failed last: the occurrence\n"
          "   counts and the values the awaited predicates read stand in for it)\n", stderr);
}

static int write_file(const char *path, const sim_buf *b)
{
    FILE *f = fopen(path, "wb");
    int rc = 0;
    if (f == NULL) {
        fprintf(stderr, "tinycep sim: cannot write '%s': %s\n", path, strerror(errno));
        return -1;
    }
    if (b->len > 0 && fwrite(b->data, 1, b->len, f) != b->len)
        rc = -1;
    if (fclose(f) != 0)
        rc = -1;
    if (rc != 0)
        fprintf(stderr, "tinycep sim: write error on '%s'\n", path);
    return rc;
}

/* Windows [first, last] of each run of 1 among the labelled samples. */
static size_t label_runs(const int64_t *t, const int8_t *lab, size_t n, sim_window **out)
{
    size_t i, nw = 0;
    *out = NULL;
    for (i = 0; i < n; i++) {
        sim_window *w;
        if (lab[i] != 1 || (i > 0 && lab[i - 1] == 1))
            continue;
        w = realloc(*out, (nw + 1) * sizeof *w);
        if (w == NULL)
            break;
        *out = w;
        w[nw].start_ms = t[i];
        while (i + 1 < n && lab[i + 1] == 1)
            i++;
        w[nw].end_ms = t[i];
        nw++;
    }
    return nw;
}

/* ------------------------------------------------------------ command */

int cli_cmd_sim(int argc, char **argv)
{
    struct opts o;
    struct run r;
    struct dsl_diag *diag = NULL;
    struct cep_lower_options lopt;
    sim_input *inputs = NULL;
    sim_stream *s = NULL;
    sim_read_opts ropts;
    sim_err err;
    sim_record rec;
    sim_progress prog_bar;
    cep_callbacks cb;
    void *storage = NULL;
    size_t size, t;
    long scored;
    uint64_t records = 0;
    int64_t t_first = 0, t_last = 0, *lab_t = NULL;
    int8_t *lab_v = NULL;
    size_t nlab = 0, lab_cap = 0;
    bool started = false;
    int rc, exit_code = CLI_EXIT_OK;
    uint16_t i;

    memset(&r, 0, sizeof r);
    rc = parse_args(argc, argv, &o);
    if (rc != 0) {
        exit_code = rc < 0 ? CLI_EXIT_OK : CLI_EXIT_USAGE;
        goto done;
    }
    r.o = &o;
    scored = route(&o);
    if (scored < -1) {
        fputs("tinycep sim: out of memory\n", stderr);
        exit_code = CLI_EXIT_USAGE;
        goto done;
    }

    memset(&lopt, 0, sizeof lopt);
    lopt.no_model_files = o.no_model_files;
    lopt.no_budget = true;          /* budgets are the firmware's business */
    diag = dsl_diag_new();
    r.comp = cep_compile_file(o.rules, &lopt, diag);
    dsl_diag_print(diag, stderr, DSL_DIAG_TEXT);
    if (r.comp == NULL) {
        FILE *f = fopen(o.rules, "rb");
        exit_code = f == NULL ? CLI_EXIT_USAGE : CLI_EXIT_INPUT;
        if (f != NULL)
            fclose(f);
        goto done;
    }
    r.prog = cep_compiled_program(r.comp);
    if (r.prog == NULL || name_everything(&r) != 0 || plan_watch(&r) != 0) {
        fprintf(stderr, "%s: error: the rules did not lower to a program\n", o.rules);
        exit_code = CLI_EXIT_INPUT;
        goto done;
    }

    /* the engine */
    size = cep_state_size(r.prog);
    storage = size ? aligned_alloc(8, (size + 7) & ~(size_t)7) : NULL;
    cb.alert = on_alert;
    cb.infer = on_infer;
    cb.user = &r;
    if (storage == NULL || cep_init(&r.ctx, r.prog, storage, size, &cb) != RT_OK) {
        fprintf(stderr, "%s: error: the runtime refused the compiled program\n", o.rules);
        exit_code = CLI_EXIT_INPUT;
        goto done;
    }

    /* the traces */
    inputs = calloc(r.prog->n_inputs + 1u, sizeof *inputs);
    r.in = calloc(r.prog->n_inputs + 1u, sizeof *r.in);
    if (inputs == NULL || r.in == NULL) {
        fputs("tinycep sim: out of memory\n", stderr);
        exit_code = CLI_EXIT_USAGE;
        goto done;
    }
    for (i = 0; i < r.prog->n_inputs; i++) {
        inputs[i].name = r.input_names[i];
        inputs[i].dim = r.prog->inputs[i].dims;
    }
    {
        sim_trace_spec *specs = calloc(o.ntr, sizeof *specs);
        if (specs == NULL) {
            exit_code = CLI_EXIT_USAGE;
            goto done;
        }
        for (t = 0; t < o.ntr; t++)
            specs[t] = o.tr[t].spec;
        ropts.strict = o.strict;
        ropts.skip_bad = o.skip_bad;
        s = sim_stream_open(specs, o.ntr, inputs, r.prog->n_inputs, &ropts, &err);
        free(specs);
    }
    if (s == NULL) {
        bool missing = false;
        for (t = 0; t < o.ntr; t++) {
            FILE *f = fopen(o.tr[t].spec.path, "rb");
            if (f == NULL)
                missing = true;
            else
                fclose(f);
        }
        fprintf(stderr, "%s\n", err.msg);
        exit_code = missing ? CLI_EXIT_USAGE : CLI_EXIT_INPUT;
        goto done;
    }
    r.has_epoch = sim_stream_epoch(s, &r.epoch);

    if (o.out != NULL) {
        r.out = fopen(o.out, "wb");
        if (r.out == NULL) {
            fprintf(stderr, "tinycep sim: cannot write '%s': %s\n", o.out, strerror(errno));
            exit_code = CLI_EXIT_USAGE;
            goto done;
        }
    } else {
        r.out = stdout;
    }
    if (o.plot != NULL && plan_plot(&r) != 0) {
        fputs("tinycep sim: out of memory\n", stderr);
        exit_code = CLI_EXIT_USAGE;
        goto done;
    }

    {
        uint64_t done_b, total_b;
        sim_stream_progress(s, &done_b, &total_b);
        if (o.progress != 0 && !o.quiet)
            sim_progress_start(&prog_bar, 2, o.progress == 1, "tinycep sim", total_b);
        else
            sim_progress_start(&prog_bar, -1, false, "tinycep sim", total_b);
    }

    /* the replay */
    r.cur_t = 0;
    cep_tick(r.ctx, 0);
    while ((rc = sim_stream_next(s, &rec, &err)) == 1) {
        uint32_t te = (uint32_t)(uint64_t)rec.t_ms;
        size_t k;
        if (rec.t_ms > r.cur_t) {   /* time advances: fire what is due */
            r.cur_t = rec.t_ms;
            cep_tick(r.ctx, te);
            watch_events(&r);
        }
        if (!started)
            t_first = rec.t_ms;
        started = true;
        if (rec.t_ms > t_last)
            t_last = rec.t_ms;
        for (k = 0; k < rec.n_samples; k++) {
            r.in[rec.samples[k].input].trace = rec.trace;
            push_sample(&r, &rec.samples[k], te, rec.line);
            watch_events(&r);
        }
        if ((long)rec.trace == scored) {
            if (nlab == lab_cap) {
                size_t nc = lab_cap ? 2 * lab_cap : 4096;
                int64_t *nt = realloc(lab_t, nc * sizeof *nt);
                int8_t *nv;
                if (nt != NULL)
                    lab_t = nt;
                nv = realloc(lab_v, nc * sizeof *nv);
                if (nt == NULL || nv == NULL) {
                    fputs("tinycep sim: out of memory\n", stderr);
                    exit_code = CLI_EXIT_USAGE;
                    goto done;
                }
                lab_v = nv;
                lab_cap = nc;
            }
            lab_t[nlab] = rec.t_ms;
            lab_v[nlab] = (int8_t)(rec.label < 0 ? 0 : rec.label);
            nlab++;
        }
        for (k = 0; k < r.nseries; k++) {
            struct series_ref *sr = &r.series[k];
            if (sr->slot != CEP_NONE) {
                float v = cep_slot_get(r.ctx, sr->slot);
                if (!isnan(v))
                    sim_plot_series_add(sr->s, rec.t_ms, (double)v);
            } else {
                size_t q;
                for (q = 0; q < rec.n_samples; q++)
                    if (rec.samples[q].input == sr->input)
                        sim_plot_series_add(sr->s, rec.t_ms, rec.samples[q].values[sr->comp]);
            }
        }
        records++;
        if ((records & 4095u) == 0) {
            uint64_t done_b, total_b;
            sim_stream_progress(s, &done_b, &total_b);
            sim_progress_update(&prog_bar, done_b);
        }
        if (r.write_error)
            break;
    }
    sim_progress_finish(&prog_bar);
    flush_out(&r);
    if (r.out != stdout) {
        if (fclose(r.out) != 0)
            r.write_error = 1;
    } else if (fflush(stdout) != 0) {
        r.write_error = 1;
    }
    r.out = NULL;
    if (r.write_error) {
        fprintf(stderr, "tinycep sim: write error on '%s'\n", o.out ? o.out : "stdout");
        exit_code = CLI_EXIT_USAGE;
        goto done;
    }
    if (rc < 0) {               /* a bad trace stops the run: no summary, no scores */
        fprintf(stderr, "%s\n", err.msg);
        exit_code = CLI_EXIT_INPUT;
        goto done;
    }
    if (!o.quiet)
        print_summary(&r, records, t_first, t_last, s);
    if (o.explain)
        print_explain(&r);

    /* scores and the plot */
    {
        sim_window *win = NULL;
        size_t nw = 0;
        if (scored >= 0 && o.label_windows != NULL) {
            const char *key = o.label_key ? o.label_key : o.tr[scored].spec.path;
            if (sim_windows_load(o.label_windows, key, &win, &nw, &err) != 0) {
                fprintf(stderr, "%s\n", err.msg);
                exit_code = CLI_EXIT_INPUT;
                goto done;
            }
            for (t = 0; t < nw; t++) {
                int64_t off = r.has_epoch ? r.epoch : sim_stream_origin(s);
                win[t].start_ms -= off;
                win[t].end_ms -= off;
            }
        } else if (scored >= 0) {
            nw = label_runs(lab_t, lab_v, nlab, &win);
        }
        if (scored >= 0 && exit_code == CLI_EXIT_OK) {
            int64_t *at = malloc((r.nalerts + 1) * sizeof *at);
            sim_metrics m;
            sim_buf mb = { 0 };
            if (at == NULL) {
                free(win);
                exit_code = CLI_EXIT_USAGE;
                goto done;
            }
            for (t = 0; t < r.nalerts; t++)
                at[t] = r.alerts[t].t_ms;
            if (sim_score(lab_t, o.labels ? lab_v : NULL, nlab,
                          o.labels ? NULL : win, o.labels ? 0 : nw, at, r.nalerts,
                          &o.score, &m, &err) != 0) {
                fprintf(stderr, "%s\n", err.msg);
                exit_code = CLI_EXIT_INPUT;
            } else {
                if (!o.quiet) {
                    fprintf(stderr, "scores against %s of %s (%zu samples):\n",
                            o.labels ? o.labels : o.label_windows, o.tr[scored].spec.path, nlab);
                    if (sim_metrics_text(&m, &mb) == 0)
                        fwrite(mb.data, 1, mb.len, stderr);
                }
                mb.len = 0;
                if (o.metrics_json != NULL &&
                    (sim_metrics_json(&m, &mb) != 0 || write_file(o.metrics_json, &mb) != 0))
                    exit_code = CLI_EXIT_USAGE;
            }
            sim_buf_free(&mb);
            free(at);
        }
        if (o.plot != NULL) {
            sim_plot pl;
            sim_plot_alert *pa = calloc(r.nalerts + 1, sizeof *pa);
            sim_plot_series **ps = calloc(r.nseries + 1, sizeof *ps);
            sim_buf pb = { 0 };
            char title[512];
            if (pa == NULL || ps == NULL) {
                free(pa);
                free(ps);
                free(win);
                exit_code = CLI_EXIT_USAGE;
                goto done;
            }
            for (t = 0; t < r.nalerts; t++) {
                pa[t].t_ms = r.alerts[t].t_ms;
                pa[t].rule = r.rule_names[r.alerts[t].rule];
                pa[t].severity = cep_severity_name(r.alerts[t].severity);
            }
            for (t = 0; t < r.nseries; t++)
                ps[t] = r.series[t].s;
            {
                const char *base = strrchr(o.rules, '/');
                size_t used;
                used = (size_t)snprintf(title, sizeof title, "%s on", base ? base + 1 : o.rules);
                for (t = 0; t < o.ntr && used < sizeof title; t++) {
                    const char *tb = strrchr(o.tr[t].spec.path, '/');
                    used += (size_t)snprintf(title + used, sizeof title - used, "%s %s",
                                             t ? "," : "", tb ? tb + 1 : o.tr[t].spec.path);
                }
                if (used < sizeof title)
                    snprintf(title + used, sizeof title - used, ": %zu alert%s", r.nalerts,
                             r.nalerts == 1 ? "" : "s");
            }
            memset(&pl, 0, sizeof pl);
            pl.title = title;
            pl.series = ps;
            pl.n_series = r.nseries;
            pl.alerts = pa;
            pl.n_alerts = r.nalerts;
            pl.windows = win;
            pl.n_windows = nw;
            pl.has_epoch = r.has_epoch;
            pl.epoch_ms = r.epoch;
            pl.width = o.plot_width;
            if (sim_plot_svg(&pl, &pb) != 0 || write_file(o.plot, &pb) != 0)
                exit_code = CLI_EXIT_USAGE;
            sim_buf_free(&pb);
            free(pa);
            free(ps);
        }
        free(win);
    }

done:
    if (r.out != NULL && r.out != stdout)
        fclose(r.out);
    sim_buf_free(&r.obuf);
    sim_stream_close(s);
    free(inputs);
    free(storage);
    free(lab_t);
    free(lab_v);
    if (r.prog != NULL) {
        for (i = 0; i < r.prog->n_rules && r.rule_names; i++)
            free(r.rule_names[i]);
        for (i = 0; i < r.prog->n_inputs && r.input_names; i++)
            free(r.input_names[i]);
        for (i = 0; i < r.prog->n_events && r.event_names; i++)
            free(r.event_names[i]);
        for (i = 0; i < r.prog->n_events && r.cap_names; i++) {
            uint16_t k;
            for (k = 0; r.cap_names[i] && k < r.prog->events[i].cap_count; k++)
                free(r.cap_names[i][k]);
            free(r.cap_names[i]);
        }
        for (i = 0; i < r.prog->n_slots && r.slot_names; i++)
            free(r.slot_names[i]);
    }
    free(r.rule_names);
    free(r.input_names);
    free(r.event_names);
    free(r.cap_names);
    free(r.slot_names);
    for (t = 0; t < r.nseries; t++)
        sim_plot_series_free(r.series[t].s);
    free(r.series);
    free(r.in);
    free(r.alerts);
    free(r.vals);
    free(r.evs);
    free(r.watch);
    cep_compiled_free(r.comp);
    dsl_diag_free(diag);
    for (t = 0; t < o.ntr; t++)
        sim_buf_free(&o.tr[t].map);
    free(o.tr);
    free(o.maps);
    return exit_code;
}
