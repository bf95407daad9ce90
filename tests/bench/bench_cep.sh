#!/bin/sh
# CEP engine cost per sample on the host: executed x86-64 instructions per
# sample (valgrind callgrind; engine run minus a dry run that generates the
# same data, divided by the sample count) and wall-clock samples/s, for
# three reference programs (tests/bench/bench_cep.c):
#   1 thresholds only, 2 features + patterns (vibration windows, FFT bands,
#   sequence/conjunction/negation), 3 SKAB-like with an anomaly baseline.
# Cortex-M4 instruction counts come from the firmware benchmark under qemu.
# Env: BUILD (default build).  Exit 77 if valgrind is missing.
set -eu
build=${BUILD:-build}
root=$(cd "$(dirname "$0")/../.." && pwd)
drv="$build/bench/bench_cep"
mkdir -p "$build/bench"
cc -O2 -std=c11 -ffp-contract=off -D_POSIX_C_SOURCE=200809L -I"$root" -o "$drv" \
   "$root/tests/bench/bench_cep.c" "$build/libtinycep.a" -lm
if ! command -v valgrind >/dev/null 2>&1; then
    echo "bench_cep: valgrind not found, skipping"
    exit 77
fi
ir() {   # instructions executed by: bench_cep PROG N MODE
    valgrind --tool=callgrind --callgrind-out-file=/dev/null "$drv" "$@" 2>&1 >/dev/null |
        sed -n 's/.*Collected : *\([0-9]*\).*/\1/p'
}
n=20000
echo "CEP engine, x86-64 host (gcc -O2), $n samples per program"
printf '%-28s %12s %14s %10s %8s\n' program "instr/sample" "samples/s" "state B" alerts
for p in 1 2 3; do
    case $p in
        1) name="thresholds" ;;
        2) name="features+patterns" ;;
        3) name="skab-like+anomaly" ;;
    esac
    push=$(ir $p $n push)
    dry=$(ir $p $n dry)
    per=$(( (push - dry) / n ))
    line=$("$drv" $p 200000 push)
    rate=$(echo "$line" | sed -n 's/.*rate \([0-9]*\).*/\1/p')
    state=$(echo "$line" | sed -n 's/.*state \([0-9]*\) bytes.*/\1/p')
    alerts=$(echo "$line" | sed -n 's/.*alerts \([0-9]*\).*/\1/p')
    printf '%-28s %12s %14s %10s %8s\n' "$p $name" "$per" "$rate" "$state" "$alerts"
done
echo "(instr/sample = engine only: callgrind run minus a dry run generating the same data; alerts over 200000 samples)"
