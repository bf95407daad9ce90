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
# Cortex-M4 build of the same driver, timed under qemu -icount shift=0
m4=""
if command -v arm-none-eabi-gcc >/dev/null 2>&1 && command -v qemu-system-arm >/dev/null 2>&1; then
    crt0=$(dirname "$(arm-none-eabi-gcc -print-file-name=rdimon.specs)")/thumb/v7e-m+fp/hard/rdimon-crt0.o
    if arm-none-eabi-gcc -mcpu=cortex-m4 -mthumb -mfloat-abi=hard -mfpu=fpv4-sp-d16 -O2 -std=c11 \
            -ffp-contract=off -I"$root" --specs=rdimon.specs -T "$root/tests/suites/cortex_m/link.ld" \
            -nostartfiles "$crt0" "$root/tests/suites/cortex_m/startup.c" "$root/tests/bench/bench_cep.c" \
            "$root"/cep/*.c "$root"/cep/compile/builder.c "$root"/cep/compile/patcomp.c "$root"/runtime/*.c -lm -o "$build/bench/bench_cep_m4.elf" \
            2>"$build/bench/m4.log"; then
        m4="$build/bench/bench_cep_m4.elf"
    else
        echo "bench_cep: the Cortex-M4 build failed, so the M4 column is empty:" >&2
        head -5 "$build/bench/m4.log" >&2
    fi
fi
m4ticks() {   # timer ticks (40 instructions each) of: bench_cep PROG N MODE on Cortex-M4
    timeout 600 qemu-system-arm -M mps2-an386 -nographic -icount shift=0 \
        -semihosting-config enable=on,target=native -kernel "$m4" -append "$*" 2>/dev/null |
        sed -n 's/^ticks \([0-9]*\).*/\1/p'
}
n=20000
echo "CEP engine per sample: x86-64 host (gcc -O2, callgrind) and Cortex-M4F (gcc -O2, qemu -icount), $n samples per program"
printf '%-28s %12s %12s %14s %10s %8s\n' program "x86 instr" "M4 instr" "samples/s" "state B" alerts
for p in 1 2 3; do
    case $p in
        1) name="thresholds" ;;
        2) name="features+patterns" ;;
        3) name="skab-like+anomaly" ;;
    esac
    push=$(ir $p $n push)
    dry=$(ir $p $n dry)
    per=$(( (push - dry) / n ))
    m4per="-"
    if [ -n "$m4" ]; then
        mp=$(m4ticks $p $n push); md=$(m4ticks $p $n dry)
        [ -n "$mp" ] && [ -n "$md" ] && m4per=$(( (mp - md) * 40 / n ))
    fi
    line=$("$drv" $p 200000 push)
    rate=$(echo "$line" | sed -n 's/.*rate \([0-9]*\).*/\1/p')
    state=$(echo "$line" | sed -n 's/.*state \([0-9]*\) bytes.*/\1/p')
    alerts=$(echo "$line" | sed -n 's/.*alerts \([0-9]*\).*/\1/p')
    printf '%-28s %12s %12s %14s %10s %8s\n' "$p $name" "$per" "$m4per" "$rate" "$state" "$alerts"
done
echo "(instructions per sample = engine only: run minus a dry run generating the same data; M4: timer"
echo " ticks x 40 under -icount shift=0, '-' without arm-none-eabi-gcc/qemu; samples/s on this host;"
echo " alerts over 200000 samples)"
