#!/bin/sh
# ml_firmware.sh — whole models are bit-exact on the devices: the small
# golden models (hello_world_int8, ei_continuous_motion_int8,
# micro_speech_quantized) built as firmware images (ml/firmware.mk:
# `tinycep model emit-c` tables, the -O2 kernels, the -Os executor; on the
# M4F the kernels' SMLAD path, on the M0+ the portable C path on ARMv6-M)
# and run under qemu on the M4F (mps2-an386) and the M0+ (microbit).  Each
# image runs golden vector 0 three times, then every golden vector once
# (all of them for these models), and compares every output byte with
# TFLM's output for that vector (shared/golden/<model>/outputs.bin — the
# expected bytes come from TFLM, not from tinycep).  The
# instruction figures are tests/bench/bench_ml_m4.sh's business.
# Skips without ../shared (or $TINYCEP_SHARED), the cross toolchain or qemu.
. "$(dirname "$0")/firmware.inc"
shared=${TINYCEP_SHARED:-$root/../shared}
if [ ! -d "$shared/golden" ]; then
    echo "skipped: $shared/golden is absent (the golden vectors are not in the repository)"
    exit 77
fi
fw_need arm-none-eabi-gcc "$QEMU_ARM"

models="hello_world_int8 ei_continuous_motion_int8 micro_speech_quantized"
elfs=""
for m in $models; do
    elfs="$elfs $BUILD/arm/m4f/ml_bench_$m.elf $BUILD/arm/m0plus/ml_bench_$m.elf"
done
fw_make ML_FW_BENCH=1 $elfs || { echo "FAIL: building the ml firmware images"; exit 1; }

fail=0
for target_machine in m4f:mps2-an386 m0plus:microbit; do
    target=${target_machine%%:*}
    machine=${target_machine#*:}
    for m in $models; do
        out=$fw_tmp/$target-$m.txt
        fw_run -t 60 "$machine" "$BUILD/arm/$target/ml_bench_$m.elf" > "$out"
        rc=$?
        ok=$(grep -c "^$m run [0-9]* ok\$" "$out")
        vecs=$(sed -n "s/^$m vectors \([0-9]*\) ok\$/\1/p" "$out")
        if [ $rc -ne 0 ] || [ "$ok" -ne 3 ] || [ -z "$vecs" ] ||
           ! grep -q '^checks: 6 run, 0 failed$' "$out"; then
            echo "FAIL: $m on $target ($machine): exit $rc, $ok of 3 runs equal TFLM's output"
            cat "$out"; fail=1
        else
            echo "ok: $m on $target ($machine): 3 runs of vector 0 and all $vecs golden vectors equal TFLM's output"
        fi
    done
done
exit $fail
