/*
** test_sim_alert.c — the JSON-lines and plain-line alert writers: exact
** bytes for a full alert (hand-written expected text), JSON escaping of
** quotes, control characters and invalid UTF-8, the ISO times added when
** the trace has absolute time, and the progress bar (quiet on a pipe,
** rate-limited and erased when forced on).
*/
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <fcntl.h>
#include <time.h>
#include <math.h>
#include <cmocka.h>

#include "sim/sim.h"

static void json_and_line(void **state)
{
    sim_alert_value v1[2] = {{"temp", 85.25}, {"score", 0.8125}};
    sim_alert_value v2[1] = {{"x", NAN}};
    sim_alert_event ev[2] = {
        {"fault(outer)", 10000, v1 + 1, 1},
        {"overheat", 12345, v1, 1},
    };
    sim_alert a = {"bearing_failure", "critical", 12345,
                   "outer-race fault, then overheating at 85.2 degC", ev, 2};
    sim_buf b = {0};
    (void)state;
    assert_int_equal(sim_alert_json(&a, false, 0, &b), 0);
    assert_string_equal(b.data,
        "{\"rule\":\"bearing_failure\",\"severity\":\"critical\",\"t_s\":12.345,"
        "\"message\":\"outer-race fault, then overheating at 85.2 degC\","
        "\"events\":[{\"event\":\"fault(outer)\",\"t_s\":10.000,\"values\":"
        "{\"score\":0.8125}},{\"event\":\"overheat\",\"t_s\":12.345,"
        "\"values\":{\"temp\":85.25}}]}\n");
    sim_buf_free(&b);
    /* with absolute time: 2020-03-09T10:14:33Z is the epoch (ms) of t = 0 */
    {
        int64_t epoch;
        sim_alert c = {"r", "info", 1500, "m", NULL, 0};
        assert_int_equal(sim_parse_iso("2020-03-09T10:14:33Z", 20, &epoch), 0);
        assert_int_equal(sim_alert_json(&c, true, epoch, &b), 0);
        assert_string_equal(b.data, "{\"rule\":\"r\",\"severity\":\"info\","
            "\"t_s\":1.500,\"time\":\"2020-03-09T10:14:34.500Z\","
            "\"message\":\"m\",\"events\":[]}\n");
        sim_buf_free(&b);
    }
    /* NaN values are null; negative times keep their sign */
    {
        sim_alert_event e1[1] = {{"e", -250, v2, 1}};
        sim_alert c = {"r", "warning", -250, "", e1, 1};
        assert_int_equal(sim_alert_json(&c, false, 0, &b), 0);
        assert_non_null(strstr(b.data, "\"t_s\":-0.250,\"values\":{\"x\":null}"));
        sim_buf_free(&b);
    }
    assert_int_equal(sim_alert_line(&a, &b), 0);
    assert_string_equal(b.data, "t=12.345s critical bearing_failure: outer-race "
                        "fault, then overheating at 85.2 degC\n");
    sim_buf_free(&b);
    /* control bytes become '?' in the plain line; UTF-8 passes */
    {
        sim_alert c = {"r", "warning", 5, "a\nb\tc\x7f \xc3\xa9", NULL, 0};
        assert_int_equal(sim_alert_line(&c, &b), 0);
        assert_string_equal(b.data, "t=0.005s warning r: a?b?c? \xc3\xa9\n");
        sim_buf_free(&b);
    }
}

static void escaping(void **state)
{
    sim_buf b = {0};
    /* quote, backslash, the short escapes, other control bytes as \u00XX,
    ** valid 2- and 4-byte UTF-8 kept, a lone continuation byte, a
    ** truncated sequence, an overlong '/' (C0 AF) and an encoded surrogate
    ** (ED A0 80) each replaced by U+FFFD per bad byte */
    const char in[] = "q\"b\\n\n\r\t\b\f\x01\x1f\x7f|\xc3\xa9|\xf0\x9f\x98\x80|"
                      "\x80|\xe2\x82|\xc0\xaf|\xed\xa0\x80";
    (void)state;
    assert_int_equal(sim_json_string(in, sizeof in - 1, &b), 0);
    assert_string_equal(b.data,
        "\"q\\\"b\\\\n\\n\\r\\t\\b\\f\\u0001\\u001f\\u007f|\xc3\xa9|"
        "\xf0\x9f\x98\x80|\xef\xbf\xbd|\xef\xbf\xbd\xef\xbf\xbd|"
        "\xef\xbf\xbd\xef\xbf\xbd|\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\"");
    sim_buf_free(&b);
    /* an embedded NUL is data, escaped */
    assert_int_equal(sim_json_string("a\0b", 3, &b), 0);
    assert_string_equal(b.data, "\"a\\u0000b\"");
    sim_buf_free(&b);
    /* the output parses back with the strict reader to the same text for
    ** valid input */
    {
        const char *txt = "x\"y\n\xc3\xa9";
        sim_err err;
        sim_json_doc *d;
        assert_int_equal(sim_json_string(txt, strlen(txt), &b), 0);
        d = sim_json_parse(b.data, b.len, "s", &err);
        assert_non_null(d);
        assert_string_equal(sim_json_root(d)->str, txt);
        sim_json_free(d);
        sim_buf_free(&b);
    }
}

static size_t drain_pipe(int fd, char *buf, size_t cap)
{
    size_t n = 0;
    ssize_t r;
    while (n < cap && (r = read(fd, buf + n, cap - n)) > 0)
        n += (size_t)r;
    return n;
}

static void progress(void **state)
{
    int fds[2];
    sim_progress p;
    char out[4096];
    size_t n;
    int i;
    struct timespec ts = {0, 120 * 1000000L};
    (void)state;
    assert_int_equal(pipe(fds), 0);
    fcntl(fds[0], F_SETFL, O_NONBLOCK);
    /* a pipe is not a terminal: nothing is written */
    sim_progress_start(&p, fds[1], false, "t.csv", 100);
    sim_progress_update(&p, 50);
    sim_progress_finish(&p);
    assert_int_equal(p.redraws, 0);
    assert_int_equal(drain_pipe(fds[0], out, sizeof out), 0);
    /* forced on: 1000 quick updates give one redraw (rate limit 100 ms) */
    sim_progress_start(&p, fds[1], true, "t.csv", 100);
    for (i = 0; i < 1000; i++)
        sim_progress_update(&p, 50);
    assert_int_equal(p.redraws, 1);
    nanosleep(&ts, NULL);
    sim_progress_update(&p, 100);
    assert_int_equal(p.redraws, 2);
    sim_progress_finish(&p);
    n = drain_pipe(fds[0], out, sizeof out - 1);
    out[n] = '\0';
    /* 50 of 100 bytes: 15 of 30 cells filled */
    assert_non_null(strstr(out, "\rt.csv [###############...............]  50% "
                                "0.0/0.0 MB\033[K"));
    assert_non_null(strstr(out, "[##############################] 100%"));
    /* erased at the end */
    assert_true(n >= 4 && memcmp(out + n - 4, "\r\033[K", 4) == 0);
    close(fds[0]);
    close(fds[1]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(json_and_line),
        cmocka_unit_test(escaping),
        cmocka_unit_test(progress),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
