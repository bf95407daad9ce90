/*
** test_simcmd_raw.c — sim_sample_raw(), the real → raw conversion that
** `tinycep sim` and the firmware slice generator share.  Expected values
** are derived by hand from the rule in sim/run.c: raw = round half away
** from zero of value / scale (in double), saturated to the type's range.
*/
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <math.h>
#include <cmocka.h>

#include "cep/program.h"
#include "sim/sim.h"

static cep_input_desc input(cep_input_type type, unsigned dims, float scale)
{
    cep_input_desc d;
    memset(&d, 0, sizeof d);
    d.type = (uint8_t)type;
    d.dims = (uint8_t)dims;
    d.scale = scale;
    return d;
}

static void i16_rounding_and_saturation(void **state)
{
    /* scale 0.5: 1.25/0.5 = 2.5 -> 3 (half away), -1.25/0.5 = -2.5 -> -3,
    ** 20000 / 0.5 = 40000 -> 32767 (clipped) */
    cep_input_desc d = input(CEP_IN_I16, 3, 0.5f);
    double v[3] = { 1.25, -1.25, 20000.0 };
    int16_t raw[3];
    unsigned sat = 99;
    (void)state;
    assert_int_equal(sim_sample_raw(&d, v, 3, raw, &sat), SIM_RAW_OK);
    assert_int_equal(raw[0], 3);
    assert_int_equal(raw[1], -3);
    assert_int_equal(raw[2], 32767);
    assert_int_equal(sat, 1);
    v[2] = -20000.0;
    assert_int_equal(sim_sample_raw(&d, v, 3, raw, &sat), SIM_RAW_OK);
    assert_int_equal(raw[2], -32768);
    assert_int_equal(sat, 1);
}

static void i16_pump_scale(void **state)
{
    /* the pump's accelerometer: scale 0.000598 g (a float: 5.98000013e-4).
    ** 0.1 g / 5.98000013e-4 = 167.22... -> 167; -0.5 g -> -836.12 -> -836;
    ** 0.000299 g is just under half a step of the float scale
    ** (0.4999999... ) -> 0. */
    cep_input_desc d = input(CEP_IN_I16, 3, 0.000598f);
    double v[3] = { 0.1, -0.5, 0.000299 };
    int16_t raw[3];
    unsigned sat;
    (void)state;
    assert_int_equal(sim_sample_raw(&d, v, 3, raw, &sat), SIM_RAW_OK);
    assert_int_equal(raw[0], 167);
    assert_int_equal(raw[1], -836);
    assert_int_equal(raw[2], 0);
    assert_int_equal(sat, 0);
}

static void i8_and_i32(void **state)
{
    cep_input_desc d8 = input(CEP_IN_I8, 1, 0.5f);
    cep_input_desc d32 = input(CEP_IN_I32, 1, 0.1f);
    double v = 63.75;           /* 127.5 -> 128 -> clipped to 127 */
    int8_t r8;
    int32_t r32;
    unsigned sat;
    (void)state;
    assert_int_equal(sim_sample_raw(&d8, &v, 1, &r8, &sat), SIM_RAW_OK);
    assert_int_equal(r8, 127);
    assert_int_equal(sat, 1);
    v = -64.25;                 /* -128.5 -> -129 -> -128 */
    assert_int_equal(sim_sample_raw(&d8, &v, 1, &r8, &sat), SIM_RAW_OK);
    assert_int_equal(r8, -128);
    assert_int_equal(sat, 1);
    v = 1234.5;                 /* / 0.1f (0.100000001490116) = 12344.9998... -> 12345 */
    assert_int_equal(sim_sample_raw(&d32, &v, 1, &r32, &sat), SIM_RAW_OK);
    assert_int_equal(r32, 12345);
    assert_int_equal(sat, 0);
    v = 1e12;
    assert_int_equal(sim_sample_raw(&d32, &v, 1, &r32, &sat), SIM_RAW_OK);
    assert_int_equal(r32, INT32_MAX);
    assert_int_equal(sat, 1);
}

static void not_finite(void **state)
{
    cep_input_desc d = input(CEP_IN_I16, 1, 1.0f);
    cep_input_desc f = input(CEP_IN_F32, 2, 1.0f);
    double v[2] = { NAN, INFINITY };
    int16_t r;
    float rf[2];
    (void)state;
    assert_int_equal(sim_sample_raw(&d, v, 1, &r, NULL), SIM_RAW_NOT_FINITE);
    assert_int_equal(sim_sample_raw(&d, v + 1, 1, &r, NULL), SIM_RAW_NOT_FINITE);
    /* f32 passes NaN/Inf on: the runtime rejects and counts them */
    assert_int_equal(sim_sample_raw(&f, v, 2, rf, NULL), SIM_RAW_OK);
    assert_true(isnan(rf[0]));
    assert_true(isinf(rf[1]));
    v[0] = 85.25;               /* exactly representable */
    assert_int_equal(sim_sample_raw(&f, v, 2, rf, NULL), SIM_RAW_OK);
    assert_true(rf[0] == 85.25f);
}

static void booleans(void **state)
{
    cep_input_desc d = input(CEP_IN_BOOL, 1, 1.0f);
    double v;
    uint8_t r = 7;
    (void)state;
    v = 1.0;
    assert_int_equal(sim_sample_raw(&d, &v, 1, &r, NULL), SIM_RAW_OK);
    assert_int_equal(r, 1);
    v = 0.0;
    assert_int_equal(sim_sample_raw(&d, &v, 1, &r, NULL), SIM_RAW_OK);
    assert_int_equal(r, 0);
    v = 0.5;
    assert_int_equal(sim_sample_raw(&d, &v, 1, &r, NULL), SIM_RAW_NOT_BOOL);
    v = NAN;
    assert_int_equal(sim_sample_raw(&d, &v, 1, &r, NULL), SIM_RAW_NOT_BOOL);
    v = 2.0;
    assert_int_equal(sim_sample_raw(&d, &v, 1, &r, NULL), SIM_RAW_NOT_BOOL);
}

static void bad_arguments(void **state)
{
    cep_input_desc d = input(CEP_IN_I16, 3, 1.0f);
    double v[3] = { 0, 0, 0 };
    int16_t r[3];
    (void)state;
    assert_int_equal(sim_sample_raw(&d, v, 2, r, NULL), SIM_RAW_BAD_ARG);
    assert_int_equal(sim_sample_raw(NULL, v, 3, r, NULL), SIM_RAW_BAD_ARG);
    d.scale = 0.0f;
    assert_int_equal(sim_sample_raw(&d, v, 3, r, NULL), SIM_RAW_BAD_ARG);
    assert_string_equal(sim_raw_status_text(SIM_RAW_NOT_BOOL), "bool value not 0 or 1");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(i16_rounding_and_saturation),
        cmocka_unit_test(i16_pump_scale),
        cmocka_unit_test(i8_and_i32),
        cmocka_unit_test(not_finite),
        cmocka_unit_test(booleans),
        cmocka_unit_test(bad_arguments),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
