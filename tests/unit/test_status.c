/*
** test_status.c — every rt_status code has a distinct value and a message.
*/
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "runtime/rt_status.h"

static void codes_are_distinct_and_named(void **state)
{
    static const int codes[] = {
#define X(name, value, msg) value,
        RT_STATUS_LIST(X)
#undef X
    };
    size_t n = sizeof codes / sizeof codes[0], i, j;
    (void)state;
    assert_int_equal(codes[0], 0);
    for (i = 0; i < n; i++) {
        assert_true(codes[i] <= 0);
        assert_true(codes[i] >= RT_STATUS_MIN_);
        assert_true(strlen(rt_status_str((rt_status)codes[i])) > 0);
        for (j = i + 1; j < n; j++)
            assert_int_not_equal(codes[i], codes[j]);
    }
    assert_string_equal(rt_status_str(RT_OK), "ok");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(codes_are_distinct_and_named),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
