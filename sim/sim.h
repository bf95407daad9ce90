/*
** sim.h — the host simulator's building blocks: CSV trace reading and
** merging, label sources (0/1 column, NAB label-window JSON), scoring
** against labels, SVG plots, the progress bar and the alert writers.
**
** The engine (the device runtime) is not here: `tinycep sim` reads records
** from a sim_stream, pushes their values into the runtime, collects the
** alerts it raises as sim_alert structs, writes them with the writers below,
** and scores the alert times with sim_score().
**
** Conventions: every function that can fail returns 0 on success and -1 on
** failure, with a one-line message "file:line:col: error: ..." (or
** "file: error: ..." when there is no position) in a caller sim_err.  Text
** output goes to a growable sim_buf the caller writes out, so this header
** needs nothing beyond <stdint.h>, <stddef.h> and <stdbool.h>.  Times are
** int64 milliseconds.  Formats and options: docs/traces.md; metric
** definitions: docs/scoring.md.
*/
#ifndef SIM_SIM_H
#define SIM_SIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ------------------------------------------------------------ basics */

/* An error message, filled by a failing call. */
typedef struct sim_err {
    char msg[1024];             /* "file:line:col: error: what is wrong" */
} sim_err;

/* A growable byte buffer (always NUL-terminated when len > 0). */
typedef struct sim_buf {
    char *data;                 /* heap storage, NULL when empty */
    size_t len;                 /* bytes used, excluding the NUL */
    size_t cap;                 /* bytes allocated */
} sim_buf;

void sim_buf_free(sim_buf *b);
/* Appends n bytes; returns -1 only when out of memory. */
int sim_buf_add(sim_buf *b, const void *p, size_t n);
/* Appends printf-formatted text. */
int sim_buf_printf(sim_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Formats t_ms as seconds with exactly three decimals ("12.345",
** "-0.500") into out (at least 32 bytes). */
void sim_format_seconds(int64_t t_ms, char *out);
/* Formats an absolute UTC time (ms since 1970-01-01) as ISO-8601
** "2020-03-09T10:14:33.000Z" into out (at least 40 bytes). */
void sim_format_iso(int64_t epoch_ms, char *out);
/* Parses an ISO-8601-like date-time (see docs/traces.md) to UTC ms since
** the epoch; returns 0 on success, -1 if text is not a valid date-time. */
int sim_parse_iso(const char *text, size_t len, int64_t *epoch_ms);

/* ------------------------------------------------------------ traces */

/* How a trace's time column is read. */
typedef enum sim_time_unit {
    SIM_TIME_AUTO = 0,          /* from the column name and first value */
    SIM_TIME_SECONDS,           /* decimal seconds */
    SIM_TIME_MILLIS,            /* decimal milliseconds */
    SIM_TIME_ISO                /* ISO-8601 date-time (absolute, UTC) */
} sim_time_unit;

/* One program input the traces must feed. */
typedef struct sim_input {
    const char *name;           /* input name as declared in the .cep file */
    size_t dim;                 /* values per sample: 1 scalar, 3 for vec3 */
} sim_input;

/* One CSV file (or in-memory text) and how to read it. */
typedef struct sim_trace_spec {
    const char *path;           /* file name, used in every message */
    const char *data;           /* non-NULL: read these bytes instead of path */
    size_t data_len;            /* length of data */
    char sep;                   /* ',' ';' '\t', or 0 to auto-detect */
    const char *time_col;       /* time column name, NULL to auto-detect */
    sim_time_unit time_unit;    /* how to read it */
    const char *rate_hz;        /* decimal Hz ("12000", "0.5"): no time
                                   column, sample i at i/rate s; NULL if unused */
    const char *map;            /* explicit bindings "in=col;vib=ax,ay,az"
                                   (';' between inputs), NULL for by-name */
    const char *label_col;      /* 0/1 label column, NULL for none */
} sim_trace_spec;

/* Why a data row is bad: one X-macro list, used for the enum, the counts
** and the report. */
#define SIM_BAD_LIST(X)                                                       \
    X(SIM_BAD_RAGGED, "wrong number of fields")                               \
    X(SIM_BAD_EMPTY,  "empty field")                                          \
    X(SIM_BAD_NUMBER, "not a number")                                         \
    X(SIM_BAD_TIME,   "bad timestamp")                                        \
    X(SIM_BAD_LABEL,  "label not 0 or 1")                                     \
    X(SIM_BAD_QUOTE,  "bad quoting")

typedef enum sim_bad {
#define SIM_BAD_ENUM(name, text) name,
    SIM_BAD_LIST(SIM_BAD_ENUM)
#undef SIM_BAD_ENUM
    SIM_BAD_COUNT_
} sim_bad;

#define SIM_FIRST_LINES 5       /* line numbers kept per reason */

/* Per-trace counts of everything that was not a clean data row. */
typedef struct sim_trace_stats {
    uint64_t rows;              /* data rows delivered */
    uint64_t bad[SIM_BAD_COUNT_];             /* rows skipped (skip-bad) */
    uint64_t bad_lines[SIM_BAD_COUNT_][SIM_FIRST_LINES]; /* first lines */
    uint64_t non_monotonic;     /* rows earlier than the row before */
    uint64_t non_monotonic_lines[SIM_FIRST_LINES];
    uint64_t blank_lines;       /* empty lines, ignored */
    uint64_t nan_values;        /* "nan"/"inf" values passed through */
} sim_trace_stats;

/* Stream-wide options. */
typedef struct sim_read_opts {
    bool strict;                /* non-monotonic time is an error */
    bool skip_bad;              /* bad rows are counted and skipped, not errors */
} sim_read_opts;

/* The values of one input in a record. */
typedef struct sim_sample {
    size_t input;               /* index into the inputs given to open */
    size_t n;                   /* == inputs[input].dim */
    const double *values;       /* n values (NaN/Inf possible) */
} sim_sample;

/* One data row of one trace: its time and the samples of the inputs bound
** to that trace, in column order.  Pointers stay valid until the next
** sim_stream_next or sim_stream_close. */
typedef struct sim_record {
    int64_t t_ms;               /* ms since the stream origin (may be < 0
                                   for out-of-order rows) */
    size_t trace;               /* index of the trace it came from */
    uint64_t line;              /* 1-based line in that file */
    uint64_t row;               /* 0-based data row in that trace, counting
                                   skipped bad rows (blank lines excluded) */
    int label;                  /* 0/1 from the label column, -1 if none */
    size_t n_samples;           /* samples below (0 if no input bound here) */
    const sim_sample *samples;
} sim_record;

typedef struct sim_stream sim_stream;

/* Opens n_traces traces, binds every input to columns (by name, or by the
** trace's map) and reads the header and first row of each.  Every input
** must be bound to exactly one trace.  Returns NULL with err filled on any
** error (missing column with "did you mean", empty file, header only, ...). */
sim_stream *sim_stream_open(const sim_trace_spec *traces, size_t n_traces,
                            const sim_input *inputs, size_t n_inputs,
                            const sim_read_opts *opts, sim_err *err);

/* The next record in time order over all traces (ties: lower trace index
** first; within a trace, file order).  Returns 1 with rec filled, 0 at the
** end, -1 on an error (err filled; the stream is then finished). */
int sim_stream_next(sim_stream *s, sim_record *rec, sim_err *err);

void sim_stream_close(sim_stream *s);

/* Absolute UTC time of t_ms == 0, when the traces have date-time stamps. */
bool sim_stream_epoch(const sim_stream *s, int64_t *epoch_ms);
/* The origin itself, in the traces' own time: UTC ms since 1970 for
** date-time traces, else ms on the numeric time axis (0 for --rate).  Label
** windows given in seconds on a numeric axis are shifted by it. */
int64_t sim_stream_origin(const sim_stream *s);
/* Bytes consumed and total bytes over all traces (for the progress bar). */
void sim_stream_progress(const sim_stream *s, uint64_t *done, uint64_t *total);
const sim_trace_stats *sim_stream_stats(const sim_stream *s, size_t trace);
/* Index of the trace with a label column, or -1. */
int sim_stream_label_trace(const sim_stream *s);
/* Appends a human report of skipped/odd rows (nothing if all clean). */
int sim_stream_report(const sim_stream *s, sim_buf *out);

/* ------------------------------------------------------------ JSON */

typedef enum sim_json_type {
    SIM_JSON_NULL, SIM_JSON_FALSE, SIM_JSON_TRUE, SIM_JSON_NUMBER,
    SIM_JSON_STRING, SIM_JSON_ARRAY, SIM_JSON_OBJECT
} sim_json_type;

/* A parsed JSON value.  Arrays and objects list their children through
** `child`/`next`; object members carry their key. */
typedef struct sim_json {
    sim_json_type type;
    double number;              /* SIM_JSON_NUMBER */
    const char *str;            /* SIM_JSON_STRING: UTF-8, NUL-terminated */
    size_t str_len;
    const char *key;            /* member key when inside an object */
    struct sim_json *child;     /* first element / member */
    struct sim_json *next;      /* next sibling */
    uint32_t line, col;         /* 1-based position of the value */
} sim_json;

typedef struct sim_json_doc sim_json_doc;

/* Strict RFC 8259 parse of len bytes (no comments, no trailing commas,
** depth <= 64).  `name` is used in messages.  NULL + err on error. */
sim_json_doc *sim_json_parse(const char *text, size_t len, const char *name,
                             sim_err *err);
const sim_json *sim_json_root(const sim_json_doc *d);
const sim_json *sim_json_get(const sim_json *obj, const char *key);
void sim_json_free(sim_json_doc *d);

/* ------------------------------------------------------------ labels */

/* A labelled anomaly window, inclusive at both ends. */
typedef struct sim_window {
    int64_t start_ms, end_ms;
} sim_window;

/* Reads NAB label windows for one trace from JSON text: an object mapping
** file names to lists of [start, end] date-time strings.  The entry used is
** the key equal to trace_path or a '/'-separated suffix of it, else the one
** whose last component equals trace_path's basename (must be unique).
** Windows are returned in absolute UTC ms (subtract the stream epoch),
** sorted by start; *out is malloc'd (free it).  A trace with no entry is an
** error that lists the keys. */
int sim_windows_parse(const char *text, size_t len, const char *json_name,
                      const char *trace_path, sim_window **out, size_t *n,
                      sim_err *err);
/* Windows [t, t + right_ms] starting at each sample whose flag is 1: the
** SKAB change-point convention (NAB scoring, right_ms = 60000).  *out is
** malloc'd; overlapping windows are merged later by sim_score. */
int sim_windows_from_points(const int64_t *t_ms, const int8_t *flag, size_t n,
                            int64_t right_ms, sim_window **out, size_t *nw);

/* The same from a file. */
int sim_windows_load(const char *json_path, const char *trace_path,
                     sim_window **out, size_t *n, sim_err *err);

/* ------------------------------------------------------------ scoring */

typedef enum sim_hold {
    SIM_HOLD_UNTIL_NORMAL = 0,  /* an alert marks samples until the next
                                   normal-labelled sample (SKAB style) */
    SIM_HOLD_FIXED              /* an alert marks samples for hold_ms */
} sim_hold;

/* The NAB cost matrix of one profile. */
typedef struct sim_nab_profile {
    double a_tp, a_fp, a_fn;
} sim_nab_profile;

typedef struct sim_score_opts {
    sim_hold hold;
    int64_t hold_ms;            /* SIM_HOLD_FIXED: duration, >= 0 */
    sim_nab_profile nab;        /* weights; sim_score_opts_default: standard */
    double probation;           /* NAB probationary fraction, 0.15 */
} sim_score_opts;

void sim_score_opts_default(sim_score_opts *o);
/* Reads a profile ("standard", "reward_low_FP_rate", ...) from NAB's
** profiles.json text. */
int sim_nab_profile_parse(const char *text, size_t len, const char *json_name,
                          const char *profile, sim_nab_profile *out,
                          sim_err *err);

/* Every metric of docs/scoring.md.  Counts are summable; the ratios are
** recomputed from them (NaN when undefined, written as null). */
typedef struct sim_metrics {
    uint64_t samples, alerts;
    uint64_t tp, fp, fn, tn;    /* point-wise */
    double precision, recall, f1, far, mar;
    uint64_t events, detected, missed, false_alarms; /* event-wise */
    double delay_sum_s;         /* sum of detection delays */
    double mean_delay_s;
    double nab_raw, nab_null, nab_perfect; /* NAB, unnormalised */
    double nab_score;           /* 100 (raw-null)/(perfect-null) */
} sim_metrics;

/* Scores sorted sample times t_ms[n] against either per-sample labels
** (label[n], 0/1; events are maximal runs of 1) or windows[nw] (label =
** inside a window; overlapping windows are merged), given alert times
** alerts[na] (any order).  At most one of label and windows may be
** non-NULL; with neither there are no events.  Fails if sample times
** decrease. */
int sim_score(const int64_t *t_ms, const int8_t *label, size_t n,
              const sim_window *windows, size_t nw,
              const int64_t *alerts, size_t na,
              const sim_score_opts *opts, sim_metrics *m, sim_err *err);

/* acc += m, then the ratios of acc recomputed from its sums. */
void sim_metrics_add(sim_metrics *acc, const sim_metrics *m);
/* Recomputes the ratio fields from the counts and sums. */
void sim_metrics_finish(sim_metrics *m);
/* Appends the --metrics-json object (one line, fixed field order and number
** formatting, then '\n'). */
int sim_metrics_json(const sim_metrics *m, sim_buf *out);

/* Appends the human summary (three lines: point-wise, event-wise, NAB;
** "n/a" for undefined ratios), the format of docs/scoring.md. */
int sim_metrics_text(const sim_metrics *m, sim_buf *out);

/* ------------------------------------------------------------ alerts */

typedef struct sim_alert_value {
    const char *name;           /* captured value's name ("temp") */
    double value;
} sim_alert_value;

typedef struct sim_alert_event {
    const char *name;           /* event name ("fault(outer)") */
    int64_t t_ms;               /* when it matched, stream ms */
    const sim_alert_value *values;
    size_t n_values;
} sim_alert_event;

typedef struct sim_alert {
    const char *rule;           /* rule name */
    const char *severity;       /* "critical", "warning", "info", ... */
    int64_t t_ms;               /* stream ms */
    const char *message;        /* expanded message template */
    const sim_alert_event *events;  /* why it fired, in match order */
    size_t n_events;
} sim_alert;

/* Appends one JSON line for the alert.  has_epoch/epoch_ms: add ISO times. */
int sim_alert_json(const sim_alert *a, bool has_epoch, int64_t epoch_ms,
                   sim_buf *out);
/* Appends the human line "t=12.345s critical rule: message\n" — the format
** the firmware prints byte for byte (docs/traces.md). */
int sim_alert_line(const sim_alert *a, sim_buf *out);
/* Appends s as a JSON string literal (quotes, escapes, invalid UTF-8 as
** U+FFFD). */
int sim_json_string(const char *s, size_t len, sim_buf *out);

/* ------------------------------------------------------------ plots */

/* A series downsampled as it is fed: bounded memory (a few thousand
** min/max buckets) whatever the trace length; spikes survive. */
typedef struct sim_plot_series sim_plot_series;

sim_plot_series *sim_plot_series_new(const char *name, const char *unit);
/* Adds a point; samples should come in time order.  NaN is skipped. */
int sim_plot_series_add(sim_plot_series *s, int64_t t_ms, double v);
void sim_plot_series_free(sim_plot_series *s);

typedef struct sim_plot_alert {
    int64_t t_ms;
    const char *rule;
    const char *severity;
} sim_plot_alert;

typedef struct sim_plot {
    const char *title;
    sim_plot_series *const *series;  /* one panel each, top to bottom */
    size_t n_series;
    const sim_plot_alert *alerts;
    size_t n_alerts;
    const sim_window *windows;  /* label windows, stream ms */
    size_t n_windows;
    bool has_epoch;             /* label the time axis with UTC date-times */
    int64_t epoch_ms;
    int width;                  /* px, 0 for the default 1200 */
} sim_plot;

/* Appends a complete SVG document. */
int sim_plot_svg(const sim_plot *p, sim_buf *out);

/* ------------------------------------------------------------ progress */

typedef struct sim_progress {
    int fd;                     /* where to draw; -1 when disabled */
    uint64_t total;             /* bytes expected */
    int64_t last_ms;            /* monotonic ms of the last redraw */
    int drawn;                  /* something is on the line */
    uint64_t redraws;           /* count, for tests */
    const char *label;
} sim_progress;

/* Enables the bar on fd only if fd is a terminal (or force is true). */
void sim_progress_start(sim_progress *p, int fd, bool force,
                        const char *label, uint64_t total_bytes);
/* Redraws at most every 100 ms. */
void sim_progress_update(sim_progress *p, uint64_t done_bytes);
/* Clears the line. */
void sim_progress_finish(sim_progress *p);

/* ------------------------------------------------------------ raw samples */

struct cep_input_desc;          /* cep/program.h */

/* What became of one trace sample on its way to cep_push: X(name, text). */
#define SIM_RAW_LIST(X)                                                       \
    X(SIM_RAW_OK,         "ok")                                               \
    X(SIM_RAW_NOT_FINITE, "NaN/Inf for an integer input")                     \
    X(SIM_RAW_NOT_BOOL,   "bool value not 0 or 1")                            \
    X(SIM_RAW_BAD_ARG,    "value count or input type does not fit")

typedef enum sim_raw_status {
#define SIM_RAW_ENUM(name, text) name,
    SIM_RAW_LIST(SIM_RAW_ENUM)
#undef SIM_RAW_ENUM
    SIM_RAW_COUNT_
} sim_raw_status;

/* Converts n real values (n == in->dims) of one sample to the raw bytes
** cep_push takes for input `in` (raw: dims components of its type, e.g.
** 6 bytes for vec3<i16>).  f32: (float)v, NaN/Inf passed on (the runtime
** rejects and counts them).  i8/i16/i32: round half away from zero of
** v / in->scale (in double), saturated to the type's range, *saturated =
** the number of components clipped; NaN/Inf -> SIM_RAW_NOT_FINITE.  bool:
** exactly 0 or 1, else SIM_RAW_NOT_BOOL.  Nothing is written to raw that
** should be pushed unless the result is SIM_RAW_OK.  The one conversion
** of `tinycep sim` and of the firmware slice generator (sim/run.c). */
sim_raw_status sim_sample_raw(const struct cep_input_desc *in, const double *values,
                              size_t n, void *raw, unsigned *saturated);
const char *sim_raw_status_text(sim_raw_status st);

#endif /* SIM_SIM_H */
