/*
** test_cep_format.c — the deterministic float formatter.
**
** Hand-derived cases (the exact binary value of each float is what gets
** rounded, half away from zero), then an independent oracle: glibc's
** printf("%.*f") on the value widened to double is exact and correctly
** rounded (ties to even); on random floats our result must equal it,
** except on exact ties, which we detect from a 60-digit printf expansion
** and check against half-away-from-zero.  The same for every conversion
** (e, g, d, x) with random flags, widths and precisions: the printf
** format is built from the same pieces.
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

static void checkf(float v, unsigned prec, unsigned width, unsigned fmt, const char *want)
{
    char buf[160];
    size_t n = cep_format_number(buf, sizeof buf, v, prec, width, fmt);
    assert_string_equal(buf, want);
    assert_int_equal(n, strlen(want));
}

/* Derived by hand from the exact values (powers of two and small
** integers are exact), rounding half away from zero. */
static void conversions(void **state)
{
    (void)state;
    checkf(1234.5f, 2, 0, CEP_FMT_E, "1.23e+03");            /* 1.2345: below the tie */
    checkf(1.125f, 2, 0, CEP_FMT_E, "1.13e+00");             /* exact tie: away */
    checkf(-1.125f, 2, 0, CEP_FMT_E, "-1.13e+00");
    checkf(9.96875f, 1, 0, CEP_FMT_E, "1.0e+01");            /* carry into the exponent */
    checkf(0.0f, 3, 0, CEP_FMT_E, "0.000e+00");
    checkf(-0.0f, 0, 0, CEP_FMT_E, "0e+00");
    checkf(1.0e-40f, 1, 0, CEP_FMT_E, "1.0e-40");            /* subnormal */
    checkf(FLT_MAX, 3, 0, CEP_FMT_E, "3.403e+38");
    checkf(0.0001f, 6, 0, CEP_FMT_G, "0.0001");              /* X = -4: f style */
    checkf(0.00001f, 6, 0, CEP_FMT_G, "1e-05");              /* X = -5: e style */
    checkf(123456.0f, 6, 0, CEP_FMT_G, "123456");
    checkf(1234567.0f, 6, 0, CEP_FMT_G, "1.23457e+06");
    checkf(9.96875f, 2, 0, CEP_FMT_G, "10");                 /* %.2g: rounds to 10 */
    checkf(0.5f, 0, 0, CEP_FMT_G, "0.5");                    /* precision 0 is 1 */
    checkf(2.0f, 3, 0, CEP_FMT_G | CEP_FMT_ALT, "2.00");     /* '#' keeps the zeros */
    checkf(2.5f, CEP_PREC_AUTO, 0, CEP_FMT_D, "3");
    checkf(-2.5f, CEP_PREC_AUTO, 0, CEP_FMT_D, "-3");
    checkf(0.25f, 0, 0, CEP_FMT_D, "0");                     /* one digit, even with .0 */
    checkf(-0.25f, 3, 0, CEP_FMT_D, "000");                  /* no "-0" */
    checkf(42.0f, 5, 0, CEP_FMT_D, "00042");                 /* precision: minimum digits */
    checkf(42.0f, CEP_PREC_AUTO, 6, CEP_FMT_D | CEP_FMT_ZERO | CEP_FMT_PLUS, "+00042");
    checkf(42.0f, 3, 6, CEP_FMT_D | CEP_FMT_ZERO, "   042");   /* a precision: no 0 padding */
    checkf(42.0f, CEP_PREC_AUTO, 6, CEP_FMT_D | CEP_FMT_MINUS, "42    ");
    checkf(42.0f, CEP_PREC_AUTO, 6, CEP_FMT_D | CEP_FMT_SPACE, "    42");
    checkf(42.0f, CEP_PREC_AUTO, 6, CEP_FMT_D | CEP_FMT_SPACE | CEP_FMT_MINUS, " 42   ");
    checkf(255.5f, CEP_PREC_AUTO, 0, CEP_FMT_X, "100");                  /* 256 */
    checkf(255.0f, 4, 0, CEP_FMT_X | CEP_FMT_ALT, "0x00ff");
    checkf(-255.0f, CEP_PREC_AUTO, 0, CEP_FMT_X, "-ff");                 /* signed, unlike printf */
    checkf(0.0f, CEP_PREC_AUTO, 0, CEP_FMT_X | CEP_FMT_ALT, "0");        /* no 0x on zero, as printf */
    checkf(4294967296.0f, CEP_PREC_AUTO, 0, CEP_FMT_X, "100000000");     /* 2^32: wider than unsigned */
    checkf(FLT_MAX, CEP_PREC_AUTO, 0, CEP_FMT_X, "ffffff00000000000000000000000000");
    checkf(0.125f, 5, 0, CEP_FMT_X | CEP_FMT_ALT, "00000");   /* rounds to 0: no 0x */
    checkf(NAN, 2, 6, CEP_FMT_F | CEP_FMT_ZERO, "   nan");   /* no zero padding */
    checkf(INFINITY, 2, 0, CEP_FMT_E | CEP_FMT_PLUS, "+inf");
    checkf(-INFINITY, 2, 6, CEP_FMT_G | CEP_FMT_MINUS, "-inf  ");
    checkf(3.0f, 1, 200, CEP_FMT_F,                          /* width capped at 64 */
           "                                                             3.0");
}

/* One random format: conversion conv, flags, width, precision; the printf
** format for the same in pf. */
static void random_format(uint32_t *seed, unsigned conv, unsigned *prec, unsigned *width,
                          unsigned *fmt, char *pf)
{
    static const struct { unsigned bit; char c; } flags[] = {
        { CEP_FMT_MINUS, '-' }, { CEP_FMT_PLUS, '+' }, { CEP_FMT_SPACE, ' ' },
        { CEP_FMT_ZERO, '0' }, { CEP_FMT_ALT, '#' },
    };
    unsigned i, k = 0;
    *fmt = conv;
    pf[k++] = '%';
    for (i = 0; i < 5; i++)
        if (h_rand(seed) % 4 == 0 && !(conv == CEP_FMT_X && (flags[i].bit == CEP_FMT_PLUS ||
                                                              flags[i].bit == CEP_FMT_SPACE))) {
            *fmt |= flags[i].bit;
            pf[k++] = flags[i].c;
        }
    *width = h_rand(seed) % 3 == 0 ? h_rand(seed) % 24 : 0;
    *prec = h_rand(seed) % 11;   /* 10: none (CEP_PREC_AUTO), d and x only */
    if (*prec == 10 && (conv == CEP_FMT_E || conv == CEP_FMT_G))
        *prec = 6;
    if (*width > 0)
        k += (unsigned)sprintf(pf + k, "%u", *width);
    if (*prec == 10)
        *prec = CEP_PREC_AUTO;
    else
        k += (unsigned)sprintf(pf + k, ".%u", *prec);
    if (conv == CEP_FMT_D || conv == CEP_FMT_X)
        k += (unsigned)sprintf(pf + k, "ll");
    pf[k++] = conv == CEP_FMT_E ? 'e' : conv == CEP_FMT_G ? 'g' : conv == CEP_FMT_D ? 'd' : 'x';
    pf[k] = '\0';
}

/* True if ours differs from ref only by an exact tie at the rounding place:
** the digits of |v| after `sig` significant digits are 5000... */
static bool tie_at(float v, unsigned sig)
{
    char wide[400], digits[400];
    size_t i, k = 0;
    snprintf(wide, sizeof wide, "%.200e", (double)fabsf(v));
    for (i = 0; wide[i] && wide[i] != 'e'; i++)
        if (wide[i] >= '0' && wide[i] <= '9')
            digits[k++] = wide[i];
    digits[k] = '\0';
    return k > sig && digits[sig] == '5' && strspn(digits + sig + 1, "0") == k - sig - 1;
}

static bool has_nonzero_digit(const char *s, bool hex)
{
    for (; *s && *s != 'e'; s++)
        if ((*s >= '1' && *s <= '9') || (hex && *s >= 'a' && *s <= 'f'))
            return true;
    return false;
}

static void random_conversions_vs_printf(void **state)
{
    uint32_t seed = 7;
    unsigned i, ties = 0;
    (void)state;
    for (i = 0; i < 200000; i++) {
        union { uint32_t u; float f; } x;
        static const unsigned convs[4] = { CEP_FMT_D, CEP_FMT_E, CEP_FMT_G, CEP_FMT_X };
        unsigned conv = convs[h_rand(&seed) % 4u], prec, width, fmt;
        char ours[160], ref[160], pf[32];
        float v;
        x.u = h_rand(&seed);
        if (i % 2)
            x.f = (float)((h_unif(&seed) - 0.5) * pow(10.0, (double)(h_rand(&seed) % 14) - 6));
        if (!isfinite(x.f))
            continue;
        v = x.f;
        random_format(&seed, conv, &prec, &width, &fmt, pf);
        cep_format_number(ours, sizeof ours, v, prec, width, fmt);
        if (conv == CEP_FMT_D || conv == CEP_FMT_X) {
            /* printf formats the integer our conversion rounds to (llroundf:
            ** half away from zero, exact); x of non-negatives below 2^63 */
            long long n;
            if (fabsf(v) >= 9.0e18f || (conv == CEP_FMT_X && v < 0.0f))
                continue;
            n = llroundf(v);
            if (n == 0 && prec == 0)
                continue;   /* printf's "%.0d" of 0 is empty; ours shows "0" */
            snprintf(ref, sizeof ref, pf, n);
        } else {
            /* a value that rounds to zero: printf keeps its sign, we do not */
            snprintf(ref, sizeof ref, pf,
                     (double)(has_nonzero_digit(ours, false) ? v : fabsf(v)));
        }
        if (strcmp(ours, ref) != 0) {
            unsigned sig = conv == CEP_FMT_E ? prec + 1 : prec ? prec : 1;
            if (conv == CEP_FMT_D || conv == CEP_FMT_X || !tie_at(v, sig))
                fail_msg("v=%a format '%s': ours '%s', printf '%s'", (double)v, pf, ours, ref);
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
        cmocka_unit_test(conversions),
        cmocka_unit_test(random_conversions_vs_printf),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
