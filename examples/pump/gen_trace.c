/*
** gen_trace.c — the demo's synthetic pump recording, made by the project itself.
**
** Writes two CSV traces of one 10-minute run of a centrifugal pump, at two
** rates, the way a data logger would record them:
**
**   vib.csv      t_s,vx,vy,vz,anomaly        accelerometer (g) at VIB_HZ
**   process.csv  t_s,current,flow,valve,anomaly
**                                            process signals at 10 Hz
**   temp.csv     t_s,temp,anomaly            motor temperature (degC) at 1 Hz,
**                                            with no rows while the sensor is
**                                            "silent"
**
** The story, on the trace's time axis (seconds):
**   0–180     healthy: shaft at 29.5 Hz (1770 rpm), small broadband noise
**   180–600   an outer-race bearing fault develops: impacts at the ball-pass
**             frequency (BPFO = 3.585 × shaft ≈ 105.8 Hz), each ringing a
**             2.8 kHz-ish structural resonance (aliased at VIB_HZ), growing
**             in amplitude
**   300–420   the motor heats from 62 to 93 degC, then holds
**   450       the discharge valve closes: flow falls to ~0 within 2 s while
**             the motor keeps drawing current (dry running)
**   520–545   the temperature sensor stops reporting
**   560       the valve reopens
** The `anomaly` column is 1 from the fault onset (t = 180 s) to the end.
**
** Deterministic: a fixed-seed xorshift PRNG, noise by Irwin–Hall sums (no
** platform-dependent libm beyond sin/exp of exactly representable arguments),
** and fixed-precision output.  Same arguments, same bytes.
**
** usage: gen_trace OUTDIR [SECONDS]
*/
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define VIB_HZ      1600    /* accelerometer sample rate */
#define PROC_HZ     10      /* process-signal sample rate */
#define SHAFT_HZ    29.5    /* 1770 rpm */
#define BPFO_RATIO  3.585   /* outer-race ball-pass frequency / shaft frequency */
#define RING_HZ     510.0   /* resonance excited by each impact (below Nyquist) */
#define FAULT_T     180.0
#define HEAT_T0     300.0
#define HEAT_T1     420.0
#define VALVE_CLOSE 450.0
#define VALVE_OPEN  560.0
#define SILENT_T0   520.0
#define SILENT_T1   545.0

static const double PI = 3.14159265358979323846;

static uint64_t rng_state = 0x9e3779b97f4a7c15u;

/* xorshift64*: uniform in [0, 1). */
static double uniform(void)
{
    uint64_t x = rng_state;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    rng_state = x;
    return (double)((x * 0x2545f4914f6cdd1dull) >> 11) / 9007199254740992.0;
}

/* Approximately standard normal: the Irwin–Hall sum of 12 uniforms. */
static double gauss(void)
{
    double s = 0.0;
    int i;
    for (i = 0; i < 12; i++)
        s += uniform();
    return s - 6.0;
}

/* 0 before a, 1 after b, linear between. */
static double ramp(double t, double a, double b)
{
    return t <= a ? 0.0 : t >= b ? 1.0 : (t - a) / (b - a);
}

/* The fault's impact train: decaying rings at the resonance, one per BPFO period. */
static double fault_signal(double t)
{
    double bpfo = SHAFT_HZ * BPFO_RATIO, period = 1.0 / bpfo, since, amp;
    if (t < FAULT_T)
        return 0.0;
    amp = 0.15 + 0.9 * ramp(t, FAULT_T, 420.0);
    since = fmod(t - FAULT_T, period);
    return amp * exp(-since * 900.0) * sin(2.0 * PI * RING_HZ * since);
}

static FILE *open_out(const char *dir, const char *name)
{
    char path[4096];
    FILE *f;
    if (snprintf(path, sizeof path, "%s/%s", dir, name) >= (int)sizeof path) {
        fprintf(stderr, "gen_trace: output path too long: %s/%s\n", dir, name);
        exit(2);
    }
    f = fopen(path, "w");
    if (!f) {
        fprintf(stderr, "gen_trace: cannot write %s: %s\n", path, strerror(errno));
        exit(2);
    }
    return f;
}

static void close_out(FILE *f, const char *name)
{
    if (ferror(f) || fclose(f) != 0) {
        fprintf(stderr, "gen_trace: write error on %s\n", name);
        exit(2);
    }
}

static void write_vib(const char *dir, long seconds)
{
    FILE *f = open_out(dir, "vib.csv");
    long i, n = seconds * VIB_HZ;
    fputs("t_s,vx,vy,vz,anomaly\n", f);
    for (i = 0; i < n; i++) {
        double t = (double)i / VIB_HZ;
        double w = 2.0 * PI * SHAFT_HZ * t;
        double fault = fault_signal(t);
        double vx = 0.05 * sin(w) + 0.012 * gauss() + 0.4 * fault;
        double vy = 0.04 * sin(w + 1.1) + 0.012 * gauss() + 0.25 * fault;
        double vz = 0.03 * sin(2.0 * w) + 0.015 * gauss() + 1.0 * fault;
        fprintf(f, "%.6f,%.5f,%.5f,%.5f,%d\n", t, vx, vy, vz, t >= FAULT_T);
    }
    close_out(f, "vib.csv");
}

static void write_process(const char *dir, long seconds)
{
    FILE *f = open_out(dir, "process.csv");
    FILE *ft = open_out(dir, "temp.csv");
    long i, n = seconds * PROC_HZ;
    double flow = 31.0;
    fputs("t_s,current,flow,valve,anomaly\n", f);
    fputs("t_s,temp,anomaly\n", ft);
    for (i = 0; i < n; i++) {
        double t = (double)i / PROC_HZ;
        int valve = !(t >= VALVE_CLOSE && t < VALVE_OPEN);
        double temp = 62.0 + 31.0 * ramp(t, HEAT_T0, HEAT_T1) + 0.15 * gauss();
        double current = 11.2 + 0.6 * ramp(t, FAULT_T, 420.0) + 0.08 * gauss();
        double flow_target = valve ? 31.0 : 0.05;
        /* first-order lag, time constant 0.5 s */
        flow += (flow_target - flow) * (1.0 / PROC_HZ) / 0.5;
        fprintf(f, "%.1f,%.3f,%.3f,%d,%d\n", t, current, flow + 0.2 * gauss(), valve,
                t >= FAULT_T);
        /* the temperature sensor reports at 1 Hz, except while silent */
        if (i % PROC_HZ == 0 && !(t >= SILENT_T0 && t < SILENT_T1))
            fprintf(ft, "%.1f,%.2f,%d\n", t, temp, t >= FAULT_T);
    }
    close_out(f, "process.csv");
    close_out(ft, "temp.csv");
}

int main(int argc, char **argv)
{
    long seconds = 600;
    char *end;
    if (argc < 2 || argc > 3 || strcmp(argv[1], "--help") == 0) {
        fputs("usage: gen_trace OUTDIR [SECONDS]\n"
              "writes OUTDIR/vib.csv, process.csv and temp.csv: a synthetic pump run\n"
              "(default 600 s) with a developing bearing fault, overheating, a closed\n"
              "valve and a silent temperature sensor; see the comment in gen_trace.c\n",
              argc < 2 || argc > 3 ? stderr : stdout);
        return argc < 2 || argc > 3 ? 2 : 0;
    }
    if (argc == 3) {
        errno = 0;
        seconds = strtol(argv[2], &end, 10);
        if (errno || *end || seconds < 1 || seconds > 86400) {
            fprintf(stderr, "gen_trace: SECONDS must be 1..86400, not '%s'\n", argv[2]);
            return 2;
        }
    }
    write_vib(argv[1], seconds);
    write_process(argv[1], seconds);
    return 0;
}
