/*
** test_sim_trace.c — the CSV trace reader: separators, quoting, CRLF, BOM,
** time formats, implied rates, bindings, merging, labels, every bad-input
** message, skip-bad counting, long lines; and the same reader on the real
** SKAB/NAB/CWRU/IMS files when ../shared is present.
**
** Expected values are derived by hand from the small texts in each test
** (the comment next to each assertion says how).
*/
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>
#include <cmocka.h>

#include "sim/sim.h"

/* Up to 64 records, flattened for assertions. */
struct got {
    size_t n;
    int64_t t[64];
    size_t trace[64];
    uint64_t line[64];
    int label[64];
    double v[64][4];            /* first values of the record */
    size_t nv[64];
    int rc;                     /* last sim_stream_next result */
    sim_err err;
};

static sim_stream *open1(const char *text, const sim_trace_spec *base,
                         const sim_input *in, size_t nin,
                         const sim_read_opts *o, sim_err *err)
{
    static sim_trace_spec sp;
    sp = *base;
    sp.data = text;
    sp.data_len = strlen(text);
    if (sp.path == NULL)
        sp.path = "t.csv";
    return sim_stream_open(&sp, 1, in, nin, o, err);
}

static void drain(sim_stream *s, struct got *g)
{
    sim_record r;
    memset(g, 0, sizeof *g);
    while ((g->rc = sim_stream_next(s, &r, &g->err)) == 1 && g->n < 64) {
        size_t k, m = 0, i;
        g->t[g->n] = r.t_ms;
        g->trace[g->n] = r.trace;
        g->line[g->n] = r.line;
        g->label[g->n] = r.label;
        for (i = 0; i < r.n_samples; i++)
            for (k = 0; k < r.samples[i].n && m < 4; k++)
                g->v[g->n][m++] = r.samples[i].values[k];
        g->nv[g->n] = m;
        g->n++;
    }
}

static void skab_like_semicolons_iso_crlf_bom(void **state)
{
    /* SKAB's shape: ';' separated, "YYYY-MM-DD hh:mm:ss", CRLF, plus a BOM. */
    const char *text =
        "\xEF\xBB\xBF" "datetime;Current;Volume Flow RateRMS;anomaly\r\n"
        "2020-03-09 10:14:33;1.33;32.0;0.0\r\n"
        "2020-03-09 10:14:34;1.35;32.5;0.0\r\n"
        "2020-03-09 10:14:36;1.54;31.0;1.0\r\n";
    sim_input in[2] = {{"Current", 1}, {"flow", 1}};
    sim_trace_spec sp = {0};
    sim_err err;
    struct got g;
    int64_t epoch;
    char iso[40];
    sim_stream *s;
    (void)state;
    sp.map = "flow=Volume Flow RateRMS";
    sp.label_col = "anomaly";
    s = open1(text, &sp, in, 2, NULL, &err);
    assert_non_null(s);
    drain(s, &g);
    assert_int_equal(g.rc, 0);
    assert_int_equal(g.n, 3);
    /* 10:14:33 is the origin; 10:14:34 is +1000 ms, 10:14:36 +3000 ms */
    assert_int_equal(g.t[0], 0);
    assert_int_equal(g.t[1], 1000);
    assert_int_equal(g.t[2], 3000);
    assert_int_equal(g.line[0], 2);
    assert_int_equal(g.line[2], 4);
    /* values in column order: Current (col 2) before flow (col 3) */
    assert_true(g.v[1][0] == 1.35 && g.v[1][1] == 32.5);
    assert_int_equal(g.label[0], 0);
    assert_int_equal(g.label[2], 1);
    assert_true(sim_stream_epoch(s, &epoch));
    sim_format_iso(epoch, iso);
    assert_string_equal(iso, "2020-03-09T10:14:33.000Z");
    assert_int_equal(sim_stream_label_trace(s), 0);
    sim_stream_close(s);
}

static void iso_variants(void **state)
{
    int64_t a, b;
    (void)state;
    /* 2020-03-09 is day 18330 since 1970-01-01 (50 years incl. 12 leap
    ** days = 18262, + 31 (Jan) + 29 (Feb 2020) + 8 = 18330). */
    assert_int_equal(sim_parse_iso("2020-03-09", 10, &a), 0);
    assert_int_equal(a, (int64_t)18330 * 86400000);
    assert_int_equal(sim_parse_iso("2020-03-09T10:14:33.25Z", 23, &b), 0);
    assert_int_equal(b - a, ((10 * 60 + 14) * 60 + 33) * 1000 + 250);
    /* +02:00 means local is two hours ahead of UTC */
    assert_int_equal(sim_parse_iso("2020-03-09T12:14:33.25+02:00", 28, &b), 0);
    assert_int_equal(b - a, ((10 * 60 + 14) * 60 + 33) * 1000 + 250);
    /* NASA IMS dotted stamps */
    assert_int_equal(sim_parse_iso("2004.02.12.10.32.39", 19, &a), 0);
    assert_int_equal(sim_parse_iso("2004-02-12 10:32:39", 19, &b), 0);
    assert_int_equal(a, b);
    /* NAB windows carry microseconds: truncated to ms */
    assert_int_equal(sim_parse_iso("2014-04-10 16:15:00.000999", 26, &a), 0);
    assert_int_equal(sim_parse_iso("2014-04-10 16:15:00", 19, &b), 0);
    assert_int_equal(a, b);
    assert_int_equal(sim_parse_iso("2019-02-29", 10, &a), -1); /* not leap */
    assert_int_equal(sim_parse_iso("2020-13-01", 10, &a), -1);
    assert_int_equal(sim_parse_iso("2020-01-01 24:00", 16, &a), -1);
    assert_int_equal(sim_parse_iso("2020-01-01x", 11, &a), -1);
    assert_int_equal(sim_parse_iso("1.5", 3, &a), -1);
}

static void seconds_millis_and_rate(void **state)
{
    sim_input in[1] = {{"x", 1}};
    sim_trace_spec sp = {0};
    sim_err err;
    struct got g;
    sim_stream *s;
    (void)state;
    /* decimal seconds are converted digit by digit: 0.0015 s rounds half
    ** up to 2 ms; 12.345 s is exactly 12345 ms; the origin is 0.0015 s */
    s = open1("t_s,x\n0.0015,1\n12.345,2\n12.3454,3\n", &sp, in, 1, NULL, &err);
    assert_non_null(s);
    drain(s, &g);
    assert_int_equal(g.n, 3);
    assert_int_equal(g.t[0], 0);
    assert_int_equal(g.t[1], 12345 - 2);
    assert_int_equal(g.t[2], 12345 - 2);  /* 12.3454 s -> 12345 ms */
    assert_false(sim_stream_epoch(s, NULL));
    sim_stream_close(s);
    /* a column named t_ms is milliseconds; 10.5 ms rounds to 11 */
    s = open1("t_ms;x\n100;1\n110.5;2\n", &sp, in, 1, NULL, &err);
    assert_non_null(s);
    drain(s, &g);
    assert_int_equal(g.t[1], 11);
    sim_stream_close(s);
    /* 12 kHz: sample i at floor(i * 1000 / 12000) ms: rows 0..11 -> 0,
    ** row 12 -> 1 ms.  No time column needed. */
    sp.rate_hz = "12000";
    s = open1("x\n0\n1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n13\n", &sp, in, 1,
              NULL, &err);
    assert_non_null(s);
    drain(s, &g);
    assert_int_equal(g.n, 14);
    assert_int_equal(g.t[11], 0);
    assert_int_equal(g.t[12], 1);
    sim_stream_close(s);
    /* 0.3 Hz: row 1 at 1000/0.3 = 3333.33 -> 3333 ms, row 2 at 6666 ms */
    sp.rate_hz = "0.3";
    s = open1("x\n1\n2\n3\n", &sp, in, 1, NULL, &err);
    assert_non_null(s);
    drain(s, &g);
    assert_int_equal(g.t[1], 3333);
    assert_int_equal(g.t[2], 6666);
    sim_stream_close(s);
    /* no inputs at all (only time and labels wanted): rows still come
    ** out, with no samples (a fuzz regression: qsort of an empty list) */
    sp.rate_hz = "1";
    s = open1("x\n1\n2\n", &sp, NULL, 0, NULL, &err);
    assert_non_null(s);
    drain(s, &g);
    assert_int_equal(g.n, 2);
    assert_int_equal(g.t[1], 1000);
    assert_int_equal(g.nv[1], 0);
    sim_stream_close(s);
    sp.rate_hz = "-5";
    assert_null(open1("x\n1\n", &sp, in, 1, NULL, &err));
    assert_non_null(strstr(err.msg, "bad rate '-5'"));
}

static void explicit_time_options(void **state)
{
    sim_input in[1] = {{"x", 1}};
    sim_trace_spec sp = {0};
    sim_err err;
    struct got g;
    sim_stream *s;
    (void)state;
    /* --time-col picks "when" (not auto-detected) and --time-unit ms reads
    ** "1500" as 1500 ms, not seconds: rows at 0 and 500 ms */
    sp.time_col = "when";
    sp.time_unit = SIM_TIME_MILLIS;
    s = open1("time,when,x\n9,1000,1\n8,1500,2\n", &sp, in, 1, NULL, &err);
    assert_non_null(s);
    drain(s, &g);
    assert_int_equal(g.t[1], 500);
    /* the "time" column going backwards is not read, so nothing counted */
    assert_int_equal(sim_stream_stats(s, 0)->non_monotonic, 0);
    sim_stream_close(s);
    /* ISO forced: a number in the time column is then a bad time */
    sp.time_unit = SIM_TIME_ISO;
    s = open1("time,when,x\n9,1000,1\n", &sp, in, 1, NULL, &err);
    assert_null(s);
    assert_string_equal(err.msg, "t.csv:2:3: error: column 'when': not a "
                        "date-time: '1000' (use --skip-bad to skip bad rows)");
    /* a misspelt --time-col */
    sp.time_col = "wehn";
    assert_null(open1("time,when,x\n9,1000,1\n", &sp, in, 1, NULL, &err));
    assert_string_equal(err.msg, "t.csv:1: error: no time column 'wehn' (did "
                        "you mean 'when'?)");
    /* a rate and a time column together */
    sp.time_col = "when";
    sp.rate_hz = "10";
    assert_null(open1("time,when,x\n9,1000,1\n", &sp, in, 1, NULL, &err));
    assert_non_null(strstr(err.msg, "either a time column or a rate"));
}

static void quoting_and_separators(void **state)
{
    /* quoted header name with the separator, "" escapes, a quoted field
    ** spanning two lines (so the next record is on line 5), tab override */
    const char *text =
        "time,\"a,b\",note\n"
        "1,2.5,\"he said \"\"hi\"\"\"\n"
        "2,3.5,\"two\nlines\"\n"
        "3,4.5,plain\n";
    sim_input in[1] = {{"a,b", 1}};
    sim_trace_spec sp = {0};
    sim_err err;
    struct got g;
    sim_stream *s;
    (void)state;
    s = open1(text, &sp, in, 1, NULL, &err);
    assert_non_null(s);
    drain(s, &g);
    assert_int_equal(g.rc, 0);
    assert_int_equal(g.n, 3);
    assert_true(g.v[0][0] == 2.5 && g.v[2][0] == 4.5);
    assert_int_equal(g.line[1], 3);
    assert_int_equal(g.line[2], 5);
    sim_stream_close(s);
    /* tab wins the auto-detection (3 tabs vs 1 comma in the header) */
    s = open1("time\tx,y\tz\tw\n0\t1,5\t2\t3\n", &sp,
              (sim_input[]){{"z", 1}}, 1, NULL, &err);
    assert_non_null(s);
    drain(s, &g);
    assert_int_equal(g.n, 1);
    assert_true(g.v[0][0] == 2.0);
    sim_stream_close(s);
    /* the same with ',' forced: the header then has 2 fields "time\tx"
    ** and "y\tz\tw": no time column by those names */
    sp.sep = ',';
    assert_null(open1("time\tx,y\tz\tw\n0\t1,5\t2\t3\n", &sp,
                      (sim_input[]){{"z", 1}}, 1, NULL, &err));
    assert_non_null(strstr(err.msg, "no time column"));
}

static void vector_map_and_merge(void **state)
{
    /* two traces: vib at 4 ms steps in A, temp at 0, 4, 10 ms in B.
    ** At equal times A (trace 0) comes before B (trace 1). */
    sim_input in[2] = {{"vib", 3}, {"temp", 1}};
    sim_trace_spec sp[2] = {{0}, {0}};
    sim_err err;
    struct got g;
    sim_stream *s;
    (void)state;
    sp[0].path = "a.csv";
    sp[0].data = "t_ms,ax,ay,az\n0,1,2,3\n4,4,5,6\n8,7,8,9\n";
    sp[0].data_len = strlen(sp[0].data);
    sp[0].map = "vib=ax,ay,az";
    sp[1].path = "b.csv";
    sp[1].data = "t_ms,temp\n0,20\n4,21\n10,22\n";
    sp[1].data_len = strlen(sp[1].data);
    s = sim_stream_open(sp, 2, in, 2, NULL, &err);
    assert_non_null(s);
    drain(s, &g);
    assert_int_equal(g.n, 6);
    /* expected order: A0 B0 A4 B4 A8 B10 */
    assert_int_equal(g.trace[0], 0); assert_int_equal(g.t[0], 0);
    assert_int_equal(g.trace[1], 1); assert_int_equal(g.t[1], 0);
    assert_int_equal(g.trace[2], 0); assert_int_equal(g.t[2], 4);
    assert_int_equal(g.trace[3], 1); assert_int_equal(g.t[3], 4);
    assert_int_equal(g.trace[4], 0); assert_int_equal(g.t[4], 8);
    assert_int_equal(g.trace[5], 1); assert_int_equal(g.t[5], 10);
    assert_int_equal(g.nv[2], 3);
    assert_true(g.v[2][0] == 4 && g.v[2][1] == 5 && g.v[2][2] == 6);
    assert_true(g.v[5][0] == 22);
    sim_stream_close(s);
    /* the map must give as many columns as the input has values */
    sp[0].map = "vib=ax,ay";
    assert_null(sim_stream_open(sp, 2, in, 2, NULL, &err));
    assert_non_null(strstr(err.msg, "input 'vib' has 3 values per sample but "
                                    "--map gives 2 columns"));
    /* a vector input without a map */
    sp[0].map = NULL;
    assert_null(sim_stream_open(sp, 2, in, 2, NULL, &err));
    assert_non_null(strstr(err.msg, "needs --map vib="));
}

static void error_messages(void **state)
{
    sim_input in[1] = {{"temp", 1}};
    sim_trace_spec sp = {0};
    sim_err err;
    struct got g;
    sim_stream *s;
    (void)state;
    assert_null(open1("", &sp, in, 1, NULL, &err));
    assert_string_equal(err.msg, "t.csv: error: empty file (expected a header row)");
    assert_null(open1("time,temp\r\n", &sp, in, 1, NULL, &err));
    assert_string_equal(err.msg, "t.csv: error: header only, no data rows");
    /* "did you mean" from a case-insensitive prefix */
    assert_null(open1("time,Temperature\n1,2\n", &sp, in, 1, NULL, &err));
    assert_string_equal(err.msg, "t.csv:1: error: no column for input 'temp' "
                        "(did you mean 'Temperature'? bind it with --map)");
    /* and from an edit distance of 1 */
    assert_null(open1("time,tmep\n1,2\n", &sp, in, 1, NULL, &err));
    assert_non_null(strstr(err.msg, "(did you mean 'tmep'?"));
    /* line 3, field 2 starts at byte 3: "2,abc" */
    s = open1("time,temp\n1,20\n2,abc\n", &sp, in, 1, NULL, &err);
    assert_non_null(s);
    drain(s, &g);
    assert_int_equal(g.rc, -1);
    assert_int_equal(g.n, 1);
    assert_string_equal(g.err.msg, "t.csv:3:3: error: column 'temp': not a "
                        "number: 'abc' (use --skip-bad to skip bad rows)");
    sim_stream_close(s);
    /* ragged row */
    s = open1("time,temp\n1,20\n2,21,7\n", &sp, in, 1, NULL, &err);
    drain(s, &g);
    assert_int_equal(g.rc, -1);
    assert_string_equal(g.err.msg, "t.csv:3:1: error: wrong number of fields"
                        ": 3 fields, the header has 2 (use --skip-bad to skip "
                        "bad rows)");
    sim_stream_close(s);
    /* an empty value is a bad row, not a zero or a NaN */
    s = open1("time,temp\n1,\n", &sp, in, 1, NULL, &err);
    assert_null(s);
    assert_string_equal(err.msg, "t.csv:2:3: error: column 'temp': empty "
                        "field (use --skip-bad to skip bad rows)");
    /* a bad time: first row sets the unit (seconds), the second is text */
    s = open1("time,temp\n1,1\nnoon,2\n", &sp, in, 1, NULL, &err);
    drain(s, &g);
    assert_string_equal(g.err.msg, "t.csv:3:1: error: column 'time': not a "
                        "decimal time: 'noon' (use --skip-bad to skip bad rows)");
    sim_stream_close(s);
    /* unterminated quote */
    s = open1("time,temp\n1,\"20\n", &sp, in, 1, NULL, &err);
    assert_null(s);
    assert_non_null(strstr(err.msg, "t.csv:2:3: error: column 'temp': "
                                    "unterminated quote"));
    /* label not 0/1: in "2,20,2" the third field starts at byte 6 */
    sp.label_col = "anomaly";
    s = open1("time,temp,anomaly\n1,20,0\n2,20,2\n", &sp, in, 1, NULL, &err);
    drain(s, &g);
    assert_non_null(strstr(g.err.msg, "t.csv:3:6: error: column 'anomaly': "
                                      "label is not 0 or 1: '2'"));
    sim_stream_close(s);
    /* a missing label column suggests the near name */
    assert_null(open1("time,temp,anomally\n1,20,0\n", &sp, in, 1, NULL, &err));
    assert_non_null(strstr(err.msg, "no label column 'anomaly' (did you mean "
                                    "'anomally'?)"));
}

static void skip_bad_and_non_monotonic(void **state)
{
    /* lines: 2 ok, 3 not a number, 4 ragged, 5 blank, 6 ok but earlier
    ** than line 2 (non-monotonic), 7 empty field, 8 nan (passed on) */
    const char *text = "time,temp\n5,1\n6,x\n7,1,1\n\n3,2\n8,\n9,nan\n";
    sim_input in[1] = {{"temp", 1}};
    sim_trace_spec sp = {0};
    sim_read_opts o = {false, true};
    const sim_trace_stats *st;
    sim_buf rep = {0};
    sim_err err;
    struct got g;
    sim_stream *s;
    (void)state;
    s = open1(text, &sp, in, 1, &o, &err);
    assert_non_null(s);
    drain(s, &g);
    assert_int_equal(g.rc, 0);
    assert_int_equal(g.n, 3);               /* lines 2, 6, 8 */
    /* origin is the first row (5 s): line 6 is at -2 s, line 8 at +4 s */
    assert_int_equal(g.t[0], 0);
    assert_int_equal(g.t[1], -2000);
    assert_int_equal(g.t[2], 4000);
    assert_true(isnan(g.v[2][0]));
    st = sim_stream_stats(s, 0);
    assert_int_equal(st->rows, 3);
    assert_int_equal(st->bad[SIM_BAD_NUMBER], 1);
    assert_int_equal(st->bad_lines[SIM_BAD_NUMBER][0], 3);
    assert_int_equal(st->bad[SIM_BAD_RAGGED], 1);
    assert_int_equal(st->bad_lines[SIM_BAD_RAGGED][0], 4);
    assert_int_equal(st->bad[SIM_BAD_EMPTY], 1);
    assert_int_equal(st->bad_lines[SIM_BAD_EMPTY][0], 7);
    assert_int_equal(st->blank_lines, 1);
    assert_int_equal(st->non_monotonic, 1);
    assert_int_equal(st->non_monotonic_lines[0], 6);
    assert_int_equal(st->nan_values, 1);
    assert_int_equal(sim_stream_report(s, &rep), 0);
    assert_string_equal(rep.data,
        "t.csv: 3 bad rows skipped: 1 wrong number of fields (line 4); "
        "1 empty field (line 7); 1 not a number (line 3)\n"
        "t.csv: 1 row earlier than the row before, passed on (line 6)\n"
        "t.csv: 1 blank line ignored\n"
        "t.csv: 1 nan/inf value passed on\n");
    sim_buf_free(&rep);
    sim_stream_close(s);
    /* strict: the backwards step is an error */
    o.strict = true;
    o.skip_bad = false;
    s = open1("time,temp\n5,1\n3,2\n", &sp, in, 1, &o, &err);
    drain(s, &g);
    assert_int_equal(g.rc, -1);
    assert_string_equal(g.err.msg, "t.csv:3:1: error: time goes backwards "
                        "(3.000 s after 5.000 s) and --strict is set");
    sim_stream_close(s);
}

static void long_line(void **state)
{
    /* one 1.5 MB field (leading spaces before a number) forces the buffer
    ** to grow from 64 KiB; the row after it must still be read */
    size_t pad = 1500000, n;
    char *text = malloc(pad + 64);
    sim_input in[1] = {{"x", 1}};
    sim_trace_spec sp = {0};
    sim_err err;
    struct got g;
    sim_stream *s;
    (void)state;
    n = (size_t)sprintf(text, "time,x\n1,");
    memset(text + n, ' ', pad);
    n += pad;
    strcpy(text + n, "42\n2,43\n");
    s = open1(text, &sp, in, 1, NULL, &err);
    assert_non_null(s);
    drain(s, &g);
    assert_int_equal(g.rc, 0);
    assert_int_equal(g.n, 2);
    assert_true(g.v[0][0] == 42 && g.v[1][0] == 43);
    sim_stream_close(s);
    free(text);
    /* an unclosed quote swallows the rest of a 17 MB file: the record limit
    ** (16 MiB) stops it with a message instead of growing without bound */
    pad = 17u << 20;
    text = malloc(pad + 64);
    n = (size_t)sprintf(text, "time,x\n1,2\n2,\"");
    memset(text + n, 'a', pad);
    text[n + pad] = '\0';
    s = open1(text, &sp, in, 1, NULL, &err);
    assert_non_null(s);
    drain(s, &g);
    assert_int_equal(g.n, 1);
    assert_int_equal(g.rc, -1);
    assert_string_equal(g.err.msg, "t.csv:3: error: record longer than 16777216 "
                        "bytes (an unclosed quote?)");
    sim_stream_close(s);
    free(text);
}

static void numbers_match_strtod(void **state)
{
    /* The reader converts short decimals itself (exact mantissa times an
    ** exact power of ten) and long ones with strtod; either way the value
    ** must be bit-identical to strtod's correctly rounded result.  5000
    ** pseudo-random numbers of 1..20 digits, with and without a fraction,
    ** sign and exponent. */
    enum { N = 5000 };
    char *text = malloc(N * 48 + 16), *p, num[N][40];
    uint32_t x = 12345u;
    sim_input in[1] = {{"v", 1}};
    sim_trace_spec sp = {0};
    sim_err err;
    sim_record r;
    sim_stream *s;
    int i, k;
    (void)state;
    p = text + sprintf(text, "v\n");
    for (i = 0; i < N; i++) {
        int nd, dot, o = 0;
        x = x * 1664525u + 1013904223u;
        nd = 1 + (int)(x >> 27) % 20;
        dot = (int)((x >> 8) % (unsigned)(nd + 2));
        if (x & 1)
            num[i][o++] = '-';
        for (k = 0; k < nd; k++) {
            x = x * 1664525u + 1013904223u;
            if (k == dot)
                num[i][o++] = '.';
            num[i][o++] = (char)('0' + (x >> 28) % 10);
        }
        if ((x >> 4) % 4 == 0)
            o += sprintf(num[i] + o, "e%d", (int)((x >> 10) % 61) - 30);
        num[i][o] = '\0';
        p += sprintf(p, "%s\n", num[i]);
    }
    sp.rate_hz = "1";
    s = open1(text, &sp, in, 1, NULL, &err);
    assert_non_null(s);
    for (i = 0; i < N; i++) {
        double want = strtod(num[i], NULL);
        assert_int_equal(sim_stream_next(s, &r, &err), 1);
        if (memcmp(&want, r.samples[0].values, sizeof want) != 0)
            fail_msg("'%s': reader %.17g, strtod %.17g", num[i],
                     r.samples[0].values[0], want);
    }
    assert_int_equal(sim_stream_next(s, &r, &err), 0);
    sim_stream_close(s);
    free(text);
}

/* ------------------------------------------------------------ windows */

static void label_windows_json(void **state)
{
    const char *j =
        "{\n"
        " \"dir/a.csv\": [[\"2014-04-10 16:15:00.000000\", \"2014-04-10 17:00:00\"]],\n"
        " \"other/b.csv\": [],\n"
        " \"x\\u00e9.csv\": [[1.5, 2.5], [0, 1]]\n"
        "}\n";
    sim_window *w;
    size_t n;
    sim_err err;
    int64_t a;
    (void)state;
    assert_int_equal(sim_windows_parse(j, strlen(j), "w.json", "../data/dir/a.csv",
                                       &w, &n, &err), 0);
    assert_int_equal(n, 1);
    sim_parse_iso("2014-04-10 16:15:00", 19, &a);
    assert_int_equal(w[0].start_ms, a);
    assert_int_equal(w[0].end_ms - w[0].start_ms, 45 * 60000);
    free(w);
    /* basename fallback, empty list */
    assert_int_equal(sim_windows_parse(j, strlen(j), "w.json", "b.csv", &w, &n,
                                       &err), 0);
    assert_int_equal(n, 0);
    free(w);
    /* numeric bounds are seconds; windows come back sorted by start;
    ** the key is "x\u00e9.csv" decoded to UTF-8 */
    assert_int_equal(sim_windows_parse(j, strlen(j), "w.json", "x\xc3\xa9.csv",
                                       &w, &n, &err), 0);
    assert_int_equal(n, 2);
    assert_int_equal(w[0].start_ms, 0);
    assert_int_equal(w[1].start_ms, 1500);
    assert_int_equal(w[1].end_ms, 2500);
    free(w);
    assert_int_equal(sim_windows_parse(j, strlen(j), "w.json", "c.csv", &w, &n,
                                       &err), -1);
    assert_non_null(strstr(err.msg, "w.json:1:1: error: no entry for 'c.csv'"));
    /* strictness, with positions: line 2 col 14 is the ']' after a comma */
    assert_int_equal(sim_windows_parse("{\"a\": [\n  [0, 1],]}", 19, "w.json",
                                       "a", &w, &n, &err), -1);
    assert_string_equal(err.msg, "w.json:2:10: error: trailing comma before ']'");
    assert_int_equal(sim_windows_parse("{\"a\": [[2, 1]]}", 15, "w.json", "a",
                                       &w, &n, &err), -1);
    assert_string_equal(err.msg, "w.json:1:8: error: window ends before it starts");
    assert_int_equal(sim_windows_parse("{\"a\": [[0, 1]], \"a\": []}", 24,
                                       "w.json", "a", &w, &n, &err), -1);
    assert_non_null(strstr(err.msg, "duplicate key \"a\""));
    assert_int_equal(sim_windows_parse("{\"a\": [[0, \"x\"]]}", 17, "w.json",
                                       "a", &w, &n, &err), -1);
    assert_string_equal(err.msg, "w.json:1:12: error: not a date-time: \"x\"");
    assert_int_equal(sim_windows_parse("{\"a\": [[0, 1]] // c\n}", 21, "w.json",
                                       "a", &w, &n, &err), -1);
    assert_non_null(strstr(err.msg, "w.json:1:16: error: ',' or '}' expected"));
    assert_int_equal(sim_windows_parse("\"\\ud800\"", 8, "w.json", "a", &w, &n,
                                       &err), -1);
    assert_non_null(strstr(err.msg, "high surrogate"));
    assert_int_equal(sim_windows_parse("[01]", 4, "w.json", "a", &w, &n, &err), -1);
}

/* ------------------------------------------------------------ real data */

static const char *shared_dir(void)
{
    static char path[4096];
    const char *env = getenv("TINYCEP_SHARED");
    FILE *f;
    if (env != NULL && env[0] != '\0')
        snprintf(path, sizeof path, "%s", env);
    else
        snprintf(path, sizeof path, "../shared");
    {
        char probe[4200];
        snprintf(probe, sizeof probe, "%s/data/README.md", path);
        f = fopen(probe, "r");
    }
    if (f == NULL)
        return NULL;
    fclose(f);
    return path;
}

static uint64_t count_lines(const char *path)
{
    FILE *f = fopen(path, "rb");
    uint64_t n = 0;
    int c, last = '\n';
    if (f == NULL)
        return 0;
    while ((c = getc(f)) != EOF) {
        if (c == '\n')
            n++;
        last = c;
    }
    fclose(f);
    return n + (last != '\n');
}

static void real_files(void **state)
{
    const char *sh = shared_dir();
    char p[5][4200], wj[4200];
    sim_input skab[2] = {{"Current", 1}, {"flow", 1}};
    sim_input one[1] = {{"DE_g", 1}};
    sim_input ims[1] = {{"b1", 1}};
    sim_input nab[1] = {{"value", 1}};
    sim_trace_spec sp = {0};
    sim_err err;
    sim_record r;
    sim_stream *s;
    sim_window *w;
    size_t nw;
    uint64_t rows, ones;
    int rc;
    int64_t epoch, last = 0;
    (void)state;
    if (sh == NULL) {
        skip();             /* ../shared absent: nothing to read */
        return;
    }
    snprintf(p[0], sizeof p[0], "%s/data/skab/valve1/0.csv", sh);
    snprintf(p[1], sizeof p[1], "%s/data/cwru/B007_118_0hp.csv", sh);
    snprintf(p[2], sizeof p[2], "%s/data/ims/2nd_test_resmaple_10minutes.csv", sh);
    snprintf(p[3], sizeof p[3], "%s/data/nab/artificialWithAnomaly/art_daily_jumpsup.csv", sh);
    snprintf(wj, sizeof wj, "%s/data/nab/combined_windows.json", sh);

    /* SKAB: every line but the header is a row; labels read */
    sp.path = p[0];
    sp.map = "flow=Volume Flow RateRMS";
    sp.label_col = "anomaly";
    s = sim_stream_open(&sp, 1, skab, 2, NULL, &err);
    assert_non_null(s);
    rows = ones = 0;
    while ((rc = sim_stream_next(s, &r, &err)) == 1) {
        rows++;
        ones += r.label == 1;
        last = r.t_ms;
    }
    assert_int_equal(rc, 0);
    assert_int_equal(rows, count_lines(p[0]) - 1);
    assert_true(ones > 0 && ones < rows);
    assert_true(last > 0);
    assert_true(sim_stream_epoch(s, &epoch));
    sim_stream_close(s);

    /* CWRU at 12 kHz: last row (rows - 1) at floor((rows-1)/12) ms */
    memset(&sp, 0, sizeof sp);
    sp.path = p[1];
    sp.rate_hz = "12000";
    s = sim_stream_open(&sp, 1, one, 1, NULL, &err);
    assert_non_null(s);
    rows = 0;
    while ((rc = sim_stream_next(s, &r, &err)) == 1) {
        rows++;
        last = r.t_ms;
    }
    assert_int_equal(rc, 0);
    assert_int_equal(rows, count_lines(p[1]) - 1);
    assert_int_equal(last, (int64_t)((rows - 1) * 1000 / 12000));
    sim_stream_close(s);

    /* IMS: dotted date-times in "Datetime", bearing 1 mapped */
    memset(&sp, 0, sizeof sp);
    sp.path = p[2];
    sp.map = "b1=Bearing 1";
    s = sim_stream_open(&sp, 1, ims, 1, NULL, &err);
    assert_non_null(s);
    rows = 0;
    while ((rc = sim_stream_next(s, &r, &err)) == 1)
        rows++;
    assert_int_equal(rc, 0);
    assert_int_equal(rows, count_lines(p[2]) - 1);
    assert_int_equal(sim_stream_stats(s, 0)->non_monotonic, 0);
    sim_stream_close(s);

    /* NAB: 5-minute steps; its window lies inside the trace */
    memset(&sp, 0, sizeof sp);
    sp.path = p[3];
    s = sim_stream_open(&sp, 1, nab, 1, NULL, &err);
    assert_non_null(s);
    rows = 0;
    while ((rc = sim_stream_next(s, &r, &err)) == 1) {
        if (rows == 1)
            assert_int_equal(r.t_ms, 300000);
        rows++;
        last = r.t_ms;
    }
    assert_int_equal(rc, 0);
    assert_true(sim_stream_epoch(s, &epoch));
    sim_stream_close(s);
    assert_int_equal(sim_windows_load(wj, p[3], &w, &nw, &err), 0);
    assert_int_equal(nw, 1);
    assert_true(w[0].start_ms - epoch > 0 && w[0].end_ms - epoch < last);
    free(w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(skab_like_semicolons_iso_crlf_bom),
        cmocka_unit_test(iso_variants),
        cmocka_unit_test(seconds_millis_and_rate),
        cmocka_unit_test(explicit_time_options),
        cmocka_unit_test(quoting_and_separators),
        cmocka_unit_test(vector_map_and_merge),
        cmocka_unit_test(error_messages),
        cmocka_unit_test(skip_bad_and_non_monotonic),
        cmocka_unit_test(long_line),
        cmocka_unit_test(numbers_match_strtod),
        cmocka_unit_test(label_windows_json),
        cmocka_unit_test(real_files),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
