#!/bin/sh
# firmware_replay.sh — the replay driver (runtime/firmware/fw_replay.c),
# which every per-example firmware will use, with the stand-in slice
# images/replay_demo.c:
#   - the host build prints exactly firmware_replay.expected (alerts in the
#     simulator's --format lines, a push error line), which replay_demo.c's
#     header derives by hand from its data;
#   - every target under qemu prints the same result lines, exits 0, and
#     reports its metadata: 12 records, 2 inferences, 1 error, and
#     per-sample / per-inference-sample instruction lines (-icount shift=0).
. "$(dirname "$0")/firmware.inc"
fw_need arm-none-eabi-gcc "$QEMU_ARM"

fw_make fw-images fw-host || { echo "FAIL: building the firmware images"; exit 1; }
fw_machines > "$fw_tmp/machines" || { echo "FAIL: make fw-print-machines"; exit 1; }

fail=0
"$BUILD/fw-host/replay_demo" > "$fw_tmp/host.txt"
rc=$?
grep -v '^# ' "$fw_tmp/host.txt" > "$fw_tmp/host.results"
if [ $rc -ne 0 ] || ! diff -u "$root/tests/suites/firmware_replay.expected" "$fw_tmp/host.results"; then
    echo "FAIL: host replay (exit $rc) differs from firmware_replay.expected"; fail=1
else
    echo "ok: host replay matches firmware_replay.expected"
fi

while read -r target machine; do
    out=$fw_tmp/$target.txt
    fw_run -i "$machine" "$BUILD/arm/$target/replay_demo.elf" > "$out"
    rc=$?
    if [ $rc -ne 0 ]; then
        echo "FAIL: $target replay on $machine exited $rc"; cat "$out"; fail=1; continue
    fi
    if ! grep -v '^# ' "$out" | diff -u "$fw_tmp/host.results" -; then
        echo "FAIL: $target replay on $machine differs from the host (- host, + $target)"; fail=1
        continue
    fi
    if ! grep -q '^# replay replay_demo records=12 inferences=2 errors=1$' "$out" \
       || ! grep -q '^# insns per-sample total=[0-9]* n=12 per=[0-9]* max=[0-9]* min=[0-9]* resolution=[0-9]*$' "$out" \
       || ! grep -q '^# insns per-inference-sample total=[0-9]* n=2 ' "$out"; then
        echo "FAIL: $target replay metadata:"; cat "$out"; fail=1; continue
    fi
    echo "ok: $target replay on $machine identical to the host; $(grep '^# insns per-sample' "$out" | cut -c3-)"
done < "$fw_tmp/machines"
exit $fail
