#!/bin/sh
# firmware_calib.sh — the instruction measurement works: the calibration
# image (runtime/firmware/images/calib.c) runs a loop of exactly
# 2 x 10,000,000 instructions (hand-written `subs; bne`) under
# `-icount shift=0`, on every target, and the measured count must be
#   20,000,000 <= insns + resolution  and  insns <= 20,000,000 + 100 + resolution
# (resolution = instructions per tick: 40 on MPS2 at 25 MHz, 63 rounded on
# the micro:bit at 16 MHz; 100 = the measurement's own instructions).  The
# image checks this itself (exit status); the band is checked again here
# from its output so a wrong image-side check cannot hide a wrong count.
# On MPS2 boards the CMSDK timer 0 must agree, and the clock must survive
# SysTick reloads (short-period run and back-to-back sampling).
. "$(dirname "$0")/firmware.inc"
fw_need arm-none-eabi-gcc "$QEMU_ARM"

fw_make fw-images || { echo "FAIL: building the firmware images"; exit 1; }
fw_machines > "$fw_tmp/machines" || { echo "FAIL: make fw-print-machines"; exit 1; }

want=20000000
fail=0
while read -r target machine; do
    out=$fw_tmp/calib-$target.txt
    fw_run -i "$machine" "$BUILD/arm/$target/calib.elf" > "$out"
    rc=$?
    if [ $rc -ne 0 ]; then
        echo "FAIL: $target calibration on $machine exited $rc:"; cat "$out"; fail=1; continue
    fi
    res=$(sed -n 's/^calib iterations=.* resolution=\([0-9]*\)$/\1/p' "$out")
    [ -n "$res" ] || { echo "FAIL: $target: no resolution line"; cat "$out"; fail=1; continue; }
    clocks="systick systick-short-period"
    case $machine in mps2-*) clocks="$clocks cmsdk-timer0" ;; esac
    for clock in $clocks; do
        insns=$(sed -n "s/^calib $clock ticks=[0-9]* insns=\([0-9]*\) .*/\1/p" "$out")
        if [ -z "$insns" ]; then
            echo "FAIL: $target: no '$clock' measurement"; cat "$out"; fail=1
        elif [ $((insns + res)) -lt $want ] || [ "$insns" -gt $((want + 100 + res)) ]; then
            echo "FAIL: $target $clock: $insns instructions, want $want (+100 +$res)"; fail=1
        else
            echo "ok: $target on $machine, $clock: $insns instructions for $want"
        fi
    done
    grep '^calib monotonic' "$out" | sed "s/^/ok: $target: /"
done < "$fw_tmp/machines"
exit $fail
