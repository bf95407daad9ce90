/*
** test_dsl_diag.c — the diagnostics printer: columns (tabs and UTF-8 count
** one, CRLF ends a line), underline width, JSON fields, file-level errors,
** the error cap.  Expected strings are written out by hand from the inputs.
*/
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "dsl/dsl.h"

/* Checks text, prints diagnostics in fmt into a malloc'd string. */
static char *run(const char *text, size_t len, enum dsl_diag_format fmt, enum dsl_status *st)
{
    struct dsl_diag *d = dsl_diag_new();
    struct dsl_module *m = NULL;
    char *out = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&out, &n);
    *st = dsl_check_buffer("t.cep", text, len, NULL, d, &m);
    dsl_module_free(m);
    dsl_diag_print(d, f, fmt);
    fclose(f);
    dsl_diag_free(d);
    return out;
}

static void columns_tabs_utf8_crlf(void **state)
{
    /* line 2: a tab, then "é" (2 bytes, one character) */
    static const char src[] = "input x : f32 @ 1 Hz;\r\n\t\xc3\xa9";
    enum dsl_status st;
    char *out;
    static const char src1[] = "input x : f32 @ 1 Hz;\r\nevent e when\tzz > 1;\r\n";
    (void)state;
    out = run(src1, sizeof src1 - 1, DSL_DIAG_TEXT, &st);
    assert_int_equal(st, DSL_EINPUT);
    /* "event e when" is 12 characters, the tab the 13th: zz at column 14 */
    assert_non_null(strstr(out, "t.cep:2:14: error: undefined name 'zz'\n"));
    /* echo: tab expanded to column 16 (8-column stops), no CR, caret under zz */
    assert_non_null(strstr(out, " 2 | event e when    zz > 1;\n   |                 ^~\n"));
    free(out);
    out = run(src, sizeof src - 1, DSL_DIAG_JSON, &st);
    /* é after a tab: column 2 of line 2, one character wide */
    assert_non_null(strstr(out, "\"line\":2,\"col\":2,\"end_col\":3,\"severity\":\"error\","
                                "\"message\":\"unexpected character 'é' (U+00E9)"));
    free(out);
}

static void json_shape_and_notes(void **state)
{
    static const char src[] = "input a : f32;\ninput a : f32;\n";
    enum dsl_status st;
    char *out = run(src, sizeof src - 1, DSL_DIAG_JSON, &st);
    (void)state;
    assert_string_equal(out, "{\"file\":\"t.cep\",\"line\":2,\"col\":7,\"end_col\":8,\"severity\":\"error\","
                             "\"message\":\"duplicate name 'a': already declared as an input\",\"notes\":"
                             "[{\"line\":1,\"col\":7,\"end_col\":8,\"message\":\"'a' first declared here\"}]}\n");
    free(out);
}

static void file_errors(void **state)
{
    struct dsl_diag *d = dsl_diag_new();
    struct dsl_module *m = (struct dsl_module *)1;
    char *out = NULL;
    size_t n = 0;
    FILE *f;
    (void)state;
    assert_int_equal(dsl_check_file("/nonexistent/dir/x.cep", NULL, d, &m), DSL_EIO);
    assert_null(m);
    assert_int_equal(dsl_diag_errors(d), 1);
    f = open_memstream(&out, &n);
    dsl_diag_print(d, f, DSL_DIAG_TEXT);
    dsl_diag_print(d, f, DSL_DIAG_JSON);
    fclose(f);
    assert_string_equal(out, "/nonexistent/dir/x.cep: error: cannot open: No such file or directory\n"
                             "1 error\n"
                             "{\"file\":\"/nonexistent/dir/x.cep\",\"line\":0,\"col\":0,\"end_col\":0,"
                             "\"severity\":\"error\",\"message\":\"cannot open: No such file or directory\","
                             "\"notes\":[]}\n");
    free(out);
    dsl_diag_free(d);
}

static void error_cap(void **state)
{
    char src[200];
    enum dsl_status st;
    char *out, *p;
    int count = 0;
    (void)state;
    memset(src, '$', sizeof src); /* 200 bad characters */
    out = run(src, sizeof src, DSL_DIAG_TEXT, &st);
    assert_int_equal(st, DSL_EINPUT);
    for (p = out; (p = strstr(p, ": error: ")) != NULL; p++)
        count++;
    assert_int_equal(count, DSL_MAX_ERRORS);
    assert_non_null(strstr(out, "too many errors; stopped after 50\n50 errors\n"));
    free(out);
}

static void clean_file_prints_nothing(void **state)
{
    static const char src[] = "module m; input a : f32 @ 1 Hz; rule r when a > 1 alert info \"a\";";
    enum dsl_status st;
    char *out = run(src, sizeof src - 1, DSL_DIAG_TEXT, &st);
    (void)state;
    assert_int_equal(st, DSL_OK);
    assert_string_equal(out, "");
    free(out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(columns_tabs_utf8_crlf),
        cmocka_unit_test(json_shape_and_notes),
        cmocka_unit_test(file_errors),
        cmocka_unit_test(error_cap),
        cmocka_unit_test(clean_file_prints_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
