#!/bin/sh
# firmware_qemu.sh — the firmware chain end to end: the self-test image
# (runtime/firmware/images/selftest.c) built for the host and for every
# Cortex-M target, run under qemu, must
#   - exit 0 (every in-image check passed) on every target,
#   - print result lines byte-identical to the host build (metadata lines
#     "# …" excluded), and
#   - on the host, print exactly firmware_selftest.expected, whose values
#     are derived by hand in selftest.c's comments (the golden file pins the
#     formatter too: the same wrong digits on both sides would not show in
#     the host/target comparison).
# The M0+ image (ARMv6-M, linked for the micro:bit) also runs on the
# MPS2 AN385 (Cortex-M3) to cover that core.
# Then the fault image: a fault must print FAULT and exit 3, not hang; and
# the unaligned-load image must fault on ARMv6-M only.
. "$(dirname "$0")/firmware.inc"
fw_need arm-none-eabi-gcc "$QEMU_ARM"

fw_make fw-images fw-host || { echo "FAIL: building the firmware images"; exit 1; }

fail=0
host_out=$fw_tmp/host.txt
"$BUILD/fw-host/selftest" > "$host_out"
rc=$?
grep -v '^# ' "$host_out" > "$fw_tmp/host.results"
if [ $rc -ne 0 ]; then
    echo "FAIL: host self-test exited $rc"; cat "$host_out"; fail=1
fi
if ! diff -u "$root/tests/suites/firmware_selftest.expected" "$fw_tmp/host.results"; then
    echo "FAIL: host self-test output differs from firmware_selftest.expected"; fail=1
fi

run_selftest() {   # target machine
    out=$fw_tmp/$1-$2.txt
    fw_run "$2" "$BUILD/arm/$1/selftest.elf" > "$out"
    rc=$?
    if [ $rc -ne 0 ]; then
        echo "FAIL: $1 self-test on $2 exited $rc"; cat "$out"; fail=1; return
    fi
    if ! grep -v '^# ' "$out" | diff -u "$fw_tmp/host.results" -; then
        echo "FAIL: $1 on $2 differs from the host build (diff above: - host, + $1)"
        fail=1; return
    fi
    echo "ok: $1 self-test on $2: $(grep -vc '^# ' "$out") lines identical to the host"
}

fw_machines > "$fw_tmp/machines" || { echo "FAIL: make fw-print-machines"; exit 1; }
[ -s "$fw_tmp/machines" ] || { echo "FAIL: no firmware targets"; exit 1; }
while read -r target machine; do
    run_selftest "$target" "$machine"
done < "$fw_tmp/machines"
run_selftest m0plus mps2-an385

# The fault path, on every target.
while read -r target machine; do
    out=$fw_tmp/fault-$target.txt
    fw_run -t 10 "$machine" "$BUILD/arm/$target/fault.elf" > "$out"
    rc=$?
    if [ $rc -ne 3 ] || ! grep -q '^FAULT exception=3 pc=0x' "$out" \
       || grep -q 'still running' "$out"; then
        echo "FAIL: $target fault image on $machine: exit $rc (want 3), output:"
        cat "$out"; fail=1
    else
        echo "ok: $target fault image on $machine: $(grep '^FAULT' "$out")"
    fi
done < "$fw_tmp/machines"

# Unaligned word loads: fine on ARMv7-M, a fault on ARMv6-M — the M0+
# image must fault on the micro:bit (which is why M0+ code runs there) and
# the same image must not on the AN385's Cortex-M3.
run_unaligned() {   # target machine want(ok|fault)
    out=$fw_tmp/unaligned-$1-$2.txt
    fw_run -t 10 "$2" "$BUILD/arm/$1/unaligned.elf" > "$out"
    rc=$?
    case $3 in
        ok)    grep -q '^unaligned load = 0x05040302$' "$out" && [ $rc -eq 0 ] ;;
        fault) grep -q '^FAULT exception=3 ' "$out" && [ $rc -eq 3 ] ;;
    esac
    if [ $? -eq 0 ]; then
        echo "ok: $1 unaligned load on $2: $3"
    else
        echo "FAIL: $1 unaligned load on $2: want $3, got exit $rc:"; cat "$out"; fail=1
    fi
}
run_unaligned m4f mps2-an386 ok
run_unaligned m7 mps2-an500 ok
run_unaligned m0plus mps2-an385 ok
run_unaligned m0plus microbit fault

exit $fail
