#!/bin/sh
# Trace reader throughput: 1 M rows shaped like SKAB (';', ISO date-times,
# 8 value columns, a label column), generated here, read with all 8 values
# bound.  Target (from the simulator brief): well under 2 s per million rows.
set -eu
BUILD=${BUILD:-build}
tmp=${TMPDIR:-/tmp}/tinycep-bench-trace.$$
trap 'rm -f "$tmp.csv" "$tmp.bin"' EXIT
awk 'BEGIN {
    print "datetime;a;b;c;d;e;f;g;h;anomaly"
    srand(1)
    for (i = 0; i < 1000000; i++) {
        s = i
        printf "2020-03-%02d %02d:%02d:%02d;%.6g;%.6g;1.5;2.25;%.6g;3;4;5;%d\n",
            1 + int(s / 86400), int(s / 3600) % 24, int(s / 60) % 60, s % 60,
            rand(), rand() * 100, rand(), (i % 1000) < 300
    }
}' > "$tmp.csv"
cc -O2 -std=c11 -D_POSIX_C_SOURCE=200809L -I. -o "$tmp.bin" \
    tests/bench/sim_trace_read.c "$BUILD/libtinycep.a" -lm
echo "bench sim_trace: reading 1 M SKAB-shaped rows (target < 2 s)"
"$tmp.bin" "$tmp.csv" anomaly a b c d e f g h
