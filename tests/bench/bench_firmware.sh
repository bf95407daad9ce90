#!/bin/sh
# bench_firmware.sh — firmware figures: flash and RAM per target (the
# `make firmware` size table), the device library's code size against
# TFLM's (shared/BASELINES.md), and the instruction measurement's
# calibration on every target (qemu -icount shift=0), and the per-sample
# and per-inference instruction counts of every per-example firmware image
# (ex-*.elf, docs/firmware.md), next to TFLM's per-inference figures.
#
# Run by `make bench` (env TINYCEP, BUILD); needs the cross toolchain and
# qemu-system-arm (make deps), prints why and stops otherwise.
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${BUILD:-$root/build}
for tool in arm-none-eabi-gcc qemu-system-arm; do
    command -v $tool >/dev/null 2>&1 || { echo "bench_firmware: $tool not installed (make deps)"; exit 0; }
done
MAKEFLAGS=$(printf '%s' "${MAKEFLAGS:-}" | sed 's/--jobserver-[a-z]*=[^ ]*//g; s/ -j[0-9]*//g')
export MAKEFLAGS
fw_make() { make -C "$root" --no-print-directory -s BUILD="$BUILD" "$@"; }

echo "== firmware: sizes in bytes (text = flash for code and constants, data = RAM"
echo "   initialised from flash, bss = zeroed RAM; arm-none-eabi-size)"
fw_make firmware | grep -v '^firmware:' || { echo "bench_firmware: make firmware failed"; exit 1; }

m4f_lib=$(fw_make fw-size | awk '$1 == "m4f" && $2 == "libtinycep.a" { print $4 }')
echo
echo "== device library code on Cortex-M4F, -Os, all objects (an upper bound:"
echo "   an image links only what it calls)"
printf '   tinycep device library:                   %7s B\n' "$m4f_lib"
printf '   TFLM hello_world, reference kernels:      %7s B  (shared/BASELINES.md)\n' 18887
printf '   TFLM hello_world, CMSIS-NN kernels:       %7s B\n' 25415
if [ -n "$m4f_lib" ] && [ "$m4f_lib" -gt 0 ]; then
    echo "   ratio to TFLM reference: $(awk -v a="$m4f_lib" 'BEGIN { printf "%.2f", a / 18887 }')"
fi

echo
echo "== instruction measurement: a 2 x 10,000,000-instruction loop under"
echo "   qemu -icount shift=0 (TFLM's figures were calibrated the same way:"
echo "   500,000 CMSDK timer ticks = 20,000,000 instructions)"
fw_make fw-print-machines | while read -r target machine; do
    out=$(sh "$root/runtime/firmware/run-qemu.sh" -i "$machine" "$BUILD/arm/$target/calib.elf")
    rc=$?
    printf '%s\n' "$out" | sed -n "s/^calib \([a-z0-9-]*\) ticks=\([0-9]*\) insns=\([0-9]*\) .*/   $target on $machine, \1: \2 ticks = \3 instructions/p"
    [ $rc -eq 0 ] || echo "   $target: calibration FAILED (exit $rc)"
done

echo
echo "== per-example firmware: instructions per sample and per inference-completing"
echo "   sample (qemu -icount shift=0; TFLM per inference on Cortex-M4, BASELINES.md:"
echo "   hello_world 5,269 reference / 3,529 CMSIS-NN; micro_speech 9.31 M / 1.50 M)"
fw_make fw-print-machines | while read -r target machine; do
    for elf in "$BUILD/arm/$target"/ex-*.elf; do
        [ -e "$elf" ] || continue
        name=$(basename "$elf" .elf)
        sh "$root/runtime/firmware/run-qemu.sh" -i "$machine" "$elf" \
            | sed -n "s/^# insns \(per-[a-z-]*\) .* per=\([0-9]*\) max=\([0-9]*\) .*/   $target $name \1: \2 average, \3 worst case/p"
    done
done
ls "$BUILD"/arm/*/ex-*.elf >/dev/null 2>&1 || echo "   (no per-example firmware yet)"
