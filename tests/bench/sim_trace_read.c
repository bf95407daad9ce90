/*
** sim_trace_read.c — benchmark harness for the trace reader (built and run
** by tests/bench/sim_trace.sh): reads a CSV with the given inputs bound by
** name and prints rows, bytes and the wall time.
*/
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>

#include "sim/sim.h"

int main(int argc, char **argv);

int main(int argc, char **argv)
{
    sim_input in[16];
    sim_trace_spec sp = {0};
    sim_err err;
    sim_record r;
    sim_stream *s;
    struct timespec a, b;
    unsigned long long rows = 0;
    uint64_t done, total;
    double sum = 0, secs;
    int i, n = argc - 3, rc;
    if (argc < 4 || n > 16) {
        fprintf(stderr, "usage: %s FILE LABELCOL INPUT...\n", argv[0]);
        return 2;
    }
    for (i = 0; i < n; i++) {
        in[i].name = argv[3 + i];
        in[i].dim = 1;
    }
    sp.path = argv[1];
    sp.label_col = argv[2];
    clock_gettime(CLOCK_MONOTONIC, &a);
    s = sim_stream_open(&sp, 1, in, (size_t)n, NULL, &err);
    if (s == NULL) {
        fprintf(stderr, "%s\n", err.msg);
        return 1;
    }
    while ((rc = sim_stream_next(s, &r, &err)) == 1) {
        rows++;
        sum += r.samples[0].values[0];
    }
    if (rc < 0) {
        fprintf(stderr, "%s\n", err.msg);
        return 1;
    }
    sim_stream_progress(s, &done, &total);
    sim_stream_close(s);
    clock_gettime(CLOCK_MONOTONIC, &b);
    secs = (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9;
    printf("%llu rows, %.1f MB in %.3f s: %.2f M rows/s, %.0f MB/s (checksum %g)\n",
           rows, (double)total / 1e6, secs, (double)rows / secs / 1e6,
           (double)total / 1e6 / secs, sum);
    return 0;
}
