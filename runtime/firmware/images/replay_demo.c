/*
** replay_demo.c — a stand-in slice for the replay driver (fw_replay.c),
** until generated modules exist: it shows what a generated slice file
** looks like, and lets the suites test the driver end to end (host and
** every target print the same lines; tests/suites/firmware_replay.sh).
**
** The "module" here is a toy written in the slice itself, device-style
** (static state, no heap): a temperature input in centi-degrees Celsius,
**   - overheat: alert (critical) when a sample exceeds 85.00 degC while not
**     already overheated; cleared by a sample below 80.00 (hysteresis);
**   - an "inference" every 4th accepted sample: the mean of the 4, alert
**     (warning) when above 80.00 degC;
**   - a timestamp earlier than the previous one is rejected (RT_ERR_TIME)
**     and changes nothing.
** A generated slice instead calls the module's push function for each
** record and prints from the module's alert callback.
**
** Expected output, derived by hand from the table below (the golden file
** tests/suites/firmware_replay.expected holds exactly this):
**   i=3  8600 > 8500, not active            t=3.000s critical overheat: 86.00 degC
**   i=5  7900 < 8000: cleared
**   i=6  8600                               t=6.000s critical overheat: 86.00 degC
**   i=7  4th-8th accepted: (8700+7900+8600+9000)/4 = 8550 > 8000
**                                           t=7.000s warning mean_high: mean of 4 samples 85.50 degC
**        (the first inference, i=0..3: 31300/4 = 7825, no alert)
**   i=8  t=6500 < 7000                      record 8: error -9 timestamp out of order
**   i=9  8000 is not below 8000: still active
**   i=10 7000: cleared
**   i=11 8800                               t=11.000s critical overheat: 88.00 degC
** and 2 inferences (after the 4th and 8th accepted samples; 11 accepted).
*/
#include <stdint.h>

#include "runtime/firmware/fw.h"
#include "runtime/firmware/fw_replay.h"
#include "runtime/rt_status.h"

/* ------------------------------------------------------------ the slice data */

static const struct { uint32_t t_ms; int16_t centi_c; } demo_trace[] = {
    {     0, 7000 }, {  1000, 7500 }, {  2000, 8200 }, {  3000, 8600 },
    {  4000, 8700 }, {  5000, 7900 }, {  6000, 8600 }, {  7000, 9000 },
    {  6500, 9100 }, {  9000, 8000 }, { 10000, 7000 }, { 11000, 8800 },
};

/* ------------------------------------------------------------ the toy module */

#define DEMO_OVERHEAT_ON  8500
#define DEMO_OVERHEAT_OFF 8000
#define DEMO_MEAN_HIGH    8000
#define DEMO_MEAN_N       4

static struct demo_state {
    uint32_t last_t_ms;
    bool started;
    bool overheated;
    int32_t window[DEMO_MEAN_N];
    uint32_t accepted;
} demo;

/* "86.00 degC" from 8600; v >= 0. */
static void demo_format_centi(char *buf, const char *prefix, int32_t v)
{
    char *p = buf;
    char digits[11];
    size_t n = 0;
    int32_t whole = v / 100, frac = v % 100;
    while (*prefix != '\0')
        *p++ = *prefix++;
    do {
        digits[n++] = (char)('0' + whole % 10);
        whole /= 10;
    } while (whole != 0);
    while (n > 0)
        *p++ = digits[--n];
    *p++ = '.';
    *p++ = (char)('0' + frac / 10);
    *p++ = (char)('0' + frac % 10);
    *p++ = ' ';
    *p++ = 'd'; *p++ = 'e'; *p++ = 'g'; *p++ = 'C';
    *p = '\0';
}

static int demo_start(void)
{
    demo.started = false;
    demo.overheated = false;
    demo.accepted = 0;
    return RT_OK;
}

static int demo_push(uint32_t i)
{
    uint32_t t = demo_trace[i].t_ms;
    int32_t v = demo_trace[i].centi_c;
    char msg[48];
    int flags = 0;

    if (demo.started && t < demo.last_t_ms)
        return RT_ERR_TIME;
    demo.started = true;
    demo.last_t_ms = t;

    if (!demo.overheated && v > DEMO_OVERHEAT_ON) {
        demo.overheated = true;
        demo_format_centi(msg, "", v);
        fw_put_alert_line(t, "critical", "overheat", msg);
    } else if (demo.overheated && v < DEMO_OVERHEAT_OFF) {
        demo.overheated = false;
    }

    demo.window[demo.accepted % DEMO_MEAN_N] = v;
    demo.accepted++;
    if (demo.accepted % DEMO_MEAN_N == 0) {
        int32_t sum = 0, k;
        for (k = 0; k < DEMO_MEAN_N; k++)
            sum += demo.window[k];
        if (sum / DEMO_MEAN_N > DEMO_MEAN_HIGH) {
            demo_format_centi(msg, "mean of 4 samples ", sum / DEMO_MEAN_N);
            fw_put_alert_line(t, "warning", "mean_high", msg);
        }
        flags |= FW_REPLAY_INFERRED;
    }
    return flags;
}

const fw_replay_slice fw_replay_main_slice = {
    .name = "replay_demo",
    .records = sizeof demo_trace / sizeof demo_trace[0],
    .start = demo_start,
    .push = demo_push,
    .finish = 0,
};
