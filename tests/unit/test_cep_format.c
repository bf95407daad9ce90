/*
** test_cep_format.c — the deterministic float formatter.
**
** Hand-derived cases (the exact binary value of each float is what gets
** rounded, half away from zero), then an independent oracle: glibc's
** printf("%.*f") on the value widened to double is exact and correctly
** rounded (ties to even); on random floats our result must equal it,
** except on exact ties, which we detect from a 60-digit printf expansion
** and check against half-away-from-zero.
*/
#include <float.h>
#include <math.h>

#include "cep_harness.h"

static void check(float v, unsigned prec, const char *want)
{
    char buf[80];
    size_t n = cep_format_float(buf, sizeof buf, v, prec);
    assert_string_equal(buf, want);
    assert_int_equal(n, strlen(want));
}

static void hand_cases(void **state)
{
    (void)state;
    check(1.25f, 1, "1.3");          /* exactly 1.25: tie, away from zero */
    check(-1.25f, 1, "-1.3");
    check(0.125f, 2, "0.13");
    check(2.5f, 0, "3");
    check(-2.5f, 0, "-3");
    check(0.5f, 0, "1");
    check(0.49999997f, 0, "0");      /* largest float below 0.5 */
    check(0.1f, 1, "0.1");           /* 0.100000001490116... */
    check(0.1f, 9, "0.100000001");
    check(-0.04f, 1, "0.0");         /* rounds to zero: no "-0.0" */
    check(-0.0f, 2, "0.00");
    check(0.0f, 0, "0");
    check(1e10f, 0, "10000000000");
    check(FLT_MAX, 0, "340282346638528859811704183484516925440");
    check(1.4e-45f, 9, "0.000000000");   /* smallest subnormal */
    check(85.25f, 1, "85.3");
    check(85.24f, 1, "85.2");
    check(42.0f, CEP_PREC_AUTO, "42");
    check(-7.0f, CEP_PREC_AUTO, "-7");
    check(1.5f, CEP_PREC_AUTO, "1.500");
    check(1e9f, CEP_PREC_AUTO, "1000000000.000");
    check(NAN, 2, "nan");
    check(INFINITY, 2, "inf");
    check(-INFINITY, 0, "-inf");
    check(3.14159f, 12, "3.141590118");  /* precision capped at 9 */
}

static void truncates_to_capacity(void **state)
{
    char buf[4];
    (void)state;
    assert_int_equal(cep_format_float(buf, sizeof buf, 12345.0f, 0), 3);
    assert_string_equal(buf, "123");
    assert_int_equal(cep_format_float(buf, 1, 1.0f, 0), 0);
    assert_string_equal(buf, "");
}

static void random_vs_printf(void **state)
{
    uint32_t seed = 2024;
    unsigned i, ties = 0;
    (void)state;
    for (i = 0; i < 200000; i++) {
        union { uint32_t u; float f; } x;
        unsigned prec = h_rand(&seed) % 10;
        char ours[80], ref[400], wide[400];
        x.u = h_rand(&seed);
        if (i % 2)   /* half of them in a sensor-like range */
            x.f = (float)((h_unif(&seed) - 0.5) * pow(10.0, (double)(h_rand(&seed) % 12) - 4));
        if (!isfinite(x.f))
            continue;
        cep_format_float(ours, sizeof ours, x.f, prec);
        snprintf(ref, sizeof ref, "%.*f", (int)prec, (double)x.f);
        if (strcmp(ref, "-0") == 0 || strncmp(ref, "-0.", 3) == 0) {
            /* printf keeps the sign of a value that rounds to zero */
            if (strspn(ref + 1, "0.") == strlen(ref + 1))
                memmove(ref, ref + 1, strlen(ref));
        }
        if (strcmp(ours, ref) != 0) {
            /* must be an exact tie: digits after the rounding position are 5000… */
            char *dot;
            size_t at;
            snprintf(wide, sizeof wide, "%.*f", (int)prec + 160, (double)x.f);
            dot = strchr(wide, '.');
            at = (size_t)(dot - wide) + 1 + prec;
            assert_true(wide[at] == '5');
            assert_true(strspn(wide + at + 1, "0") == strlen(wide + at + 1));
            ties++;
        }
    }
    (void)ties;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(hand_cases),
        cmocka_unit_test(truncates_to_capacity),
        cmocka_unit_test(random_vs_printf),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
