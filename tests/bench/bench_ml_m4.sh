#!/bin/sh
# bench_ml_m4.sh — tinycep's int8 inference on Cortex-M4 against TFLM
# (DESIGN §8, shared/BASELINES.md), measured the way BASELINES.md measured
# TFLM: qemu-system-arm -M mps2-an386 -icount shift=0 (1 instruction = 1 ns
# of virtual time; SysTick at 25 MHz, so one tick = 40 instructions).
#
# For every golden model, the image ml_bench_<model> (ml/firmware.mk,
# runtime/firmware/images/ml_model_bench.c) runs golden vector 0 three
# times through ml_model_run, checks each output against TFLM's bytes (and
# every golden vector once more, unmeasured, when they are small), and
# reports the meter's instructions per ml_model_run (mean of the three; the
# count is deterministic under -icount, min and max differ by at most one
# 40-instruction tick and are shown in the detail lines).  Kernels -O2,
# executor and harness -Os — TFLM's figures are with its default flags,
# kernels -O2 and the rest -Os.
#
# Code flash, as BASELINES.md defines it: the image's text (arm-none-eabi-size,
# Berkeley: code + constants + vector table) minus the model (the object of
# the emitted tables) and minus the test data (the object with the input
# vector, the expected output and the arena).  What remains is the executor,
# every kernel (the executor's dispatch references them all, so the figure
# is the same for every model), the start-up/semihosting/formatter harness
# (~1 KB), the bench driver and the libc/libgcc helpers they call.
# Arena: the plan's arena_size, with which the run above succeeded (the
# kernels need no scratch, so this is the whole inference RAM; a smaller
# arena is refused by ml_model_run with RT_ERR_NOMEM).
#
# TFLM's figures below are copied from shared/BASELINES.md (Cortex-M4F;
# instructions: kernels -O2, rest -Os; flash and arena: -Os); for the
# models BASELINES.md has no M4 figures for, the arena column shows TFLM's
# x86-64 greedy-planner arena from the golden README.txt, marked "x86".
#
# Run by `make bench` (env BUILD, TINYCEP).  Prints why and exits 0 without
# ../shared (or $TINYCEP_SHARED), the cross toolchain or qemu: `make bench`
# runs the benches under `set -e`, so a skip must not be a failure there.
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${BUILD:-$root/build}
shared=${TINYCEP_SHARED:-$root/../shared}
QEMU_ARM=${QEMU_ARM:-qemu-system-arm}
if [ ! -d "$shared/golden" ]; then
    echo "bench_ml_m4: $shared/golden is absent; skipping"; exit 0
fi
for tool in arm-none-eabi-gcc arm-none-eabi-size "$QEMU_ARM"; do
    command -v "$tool" >/dev/null 2>&1 ||
        { echo "bench_ml_m4: $tool is not installed (make deps); skipping"; exit 0; }
done

models="hello_world_int8 ei_continuous_motion_int8 micro_speech_quantized magic_wand_int8
        simple_add_model person_detect"
elfs=""
for m in $models; do elfs="$elfs $BUILD/arm/m4f/ml_bench_$m.elf"; done
MAKEFLAGS=$(printf '%s' "${MAKEFLAGS:-}" | sed 's/--jobserver-[a-z]*=[^ ]*//g; s/ -j[0-9]*//g')
export MAKEFLAGS
make -C "$root" --no-print-directory -s -j2 ML_FW_BENCH=1 BUILD="$BUILD" $elfs ||
    { echo "bench_ml_m4: building the images failed"; exit 1; }

# TFLM (BASELINES.md): insns reference, insns CMSIS-NN, code reference,
# code CMSIS-NN, arena reference, arena CMSIS-NN; "-" where not measured.
tflm() {
    case $1 in
        hello_world_int8)       echo 5269 3529 18887 25415 1072 1156 ;;
        micro_speech_quantized) echo 9310000 1500000 29380 48968 6804 6840 ;;
        person_detect)          echo 95600000 22900000 31892 65116 82296 82320 ;;
        *)                      echo - - - - - - ;;
    esac
}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
echo "== int8 inference on Cortex-M4 (qemu mps2-an386 -icount shift=0): instructions"
echo "   per inference, code flash (text - model - test data) and arena, bytes"
printf '%-26s %11s %11s %11s %7s %-23s %-22s\n' model "insns ours" "TFLM ref" "TFLM+CMSIS" \
    "/CMSIS" "code ours/ref/CMSIS" "arena ours/ref/CMSIS"
for m in $models; do
    elf=$BUILD/arm/m4f/ml_bench_$m.elf
    objs=$BUILD/arm/m4f/fw$BUILD/mlbench/$m
    sh "$root/runtime/firmware/run-qemu.sh" -i -t 120 mps2-an386 "$elf" >"$tmp/$m.out"
    rc=$?
    ok=$(grep -c "^$m run [0-9]* ok\$" "$tmp/$m.out")
    if [ $rc -ne 0 ] || [ "$ok" -ne 3 ] || ! grep -q "^$m vectors [0-9]* ok\$" "$tmp/$m.out"; then
        echo "FAIL $m: exit $rc, $ok of 3 runs bit-exact:"; cat "$tmp/$m.out"; fail=1; continue
    fi
    per=$(sed -n 's/^# insns ml_model_run .* per=\([0-9]*\) .*/\1/p' "$tmp/$m.out")
    arena=$(sed -n 's/^# ml arena=\([0-9]*\) .*/\1/p' "$tmp/$m.out")
    text=$(arm-none-eabi-size "$elf" | awk 'NR == 2 { print $1 }')
    model=$(arm-none-eabi-size "$objs/model.o" | awk 'NR == 2 { print $1 }')
    data=$(arm-none-eabi-size "$objs/data.o" | awk 'NR == 2 { print $1 }')
    code=$((text - model - data))
    # The same split from the linker map: executor + kernels (the ml/
    # objects and rt_status), harness + bench driver, libc/libgcc.
    awk -v m="$m" '
        function hex(s,   i, v) { v = 0; s = tolower(substr(s, 3))
            for (i = 1; i <= length(s); i++) v = v * 16 + index("0123456789abcdef", substr(s, i, 1)) - 1
            return v }
        /^Linker script and memory map/ { on = 1 }
        on && /^ \.(text|rodata|vectors)/ {
            if (NF >= 4) { sz = $3; f = $4 } else { getline; sz = $2; f = $3 }
            if (f ~ /\/fw\/ml\/|libtinycep\.a\((model|rt_status)\.o\)/) ml += hex(sz)
            else if (f ~ /\/build\/mlbench\//) model += hex(sz)
            else if (f ~ /\/fw\/runtime\/firmware\//) fw += hex(sz)
            else lib += hex(sz) }
        END { printf "   %s: code split (map): executor+kernels %d, harness+bench driver %d, libc/libgcc %d\n",
                     m, ml, fw, lib }' "${elf%.elf}.map" >>"$tmp/detail"
    set -- $(tflm "$m")
    if [ "$1" = - ]; then
        x86=$(sed -n 's/^TFLM greedy-planner arena (x86-64 host build): \([0-9]*\) bytes/\1/p' \
              "$shared/golden/$m/README.txt")
        arenas="$arena/${x86:-?} x86"
        ratio=-
    else
        arenas="$arena/$5/$6"
        ratio=$(awk -v a="$per" -v b="$2" 'BEGIN { printf "%.2f", a / b }')
    fi
    printf '%-26s %11s %11s %11s %7s %-23s %-22s\n' "$m" "$per" "$1" "$2" "$ratio" \
        "$code/$3/$4" "$arenas"
    sed -n "s/^# insns ml_model_run /   $m: insns /p; s/^# ml /   $m: /p;
            s/^$m vectors \([0-9]*\) ok/   $m: all \1 golden vectors bit-exact/p" "$tmp/$m.out" >>"$tmp/detail"
done
echo "   (instructions: mean of 3 inferences of golden vector 0, each bit-exact with TFLM;"
echo "    /CMSIS = ours / TFLM+CMSIS-NN, below 1 is fewer instructions than TFLM+CMSIS-NN;"
echo "    code = image text - model tables - test vectors: executor + all kernels + harness)"
cat "$tmp/detail" 2>/dev/null
exit $fail
