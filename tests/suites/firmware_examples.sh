#!/bin/sh
# firmware_examples.sh — three-way determinism of every per-example firmware
# (examples/*/firmware.mk; docs/firmware.md, "The differential test"):
#   A  tinycep sim on the example's slice of its traces, --format lines;
#   B  the image built for the host (generated module + slice + replay
#      driver, $BUILD/fw-host/ex-<name>), result lines;
#   C  the image under qemu on every target (M4F, M0+, M7), result lines.
# A = B checks the generated module and the slice against the simulator
# (same runtime, different packaging); B = C checks each target (compiler,
# soft-float, FPU, alignment) against the host.  All byte for byte, and A
# must hold at least one alert (a slice that fires nothing proves nothing).
# The replay's own metadata line must report every record pushed without
# an error.
. "$(dirname "$0")/firmware.inc"
fw_need arm-none-eabi-gcc "$QEMU_ARM"
TINYCEP=${TINYCEP:-$BUILD/tinycep}

fw_make fw-images fw-host || { echo "FAIL: building the firmware images"; exit 1; }
fw_machines > "$fw_tmp/machines" || { echo "FAIL: make fw-print-machines"; exit 1; }
fw_make fw-print-host-images > "$fw_tmp/images" || { echo "FAIL: make fw-print-host-images"; exit 1; }

# The real-data examples (SKAB, CWRU, NAB) have an image only when their
# recording is in ../shared ($TINYCEP_SHARED): absent on a user's clone.
shared=${TINYCEP_SHARED:-$root/../shared}
for ex in skab cwru nab; do
    grep -qx "ex-$ex" "$fw_tmp/images" ||
        echo "skip: $ex: no image ($shared/data/$ex absent, examples/$ex/firmware.mk)"
done

fail=0
n=0
for args in "$BUILD"/fwgen/*/sim.args; do
    [ -f "$args" ] || continue
    name=$(basename "$(dirname "$args")")
    image=ex-$name
    # a slice left in $BUILD by an earlier build with the data present
    grep -qx "$image" "$fw_tmp/images" || continue
    n=$((n + 1))
    # A: the simulator (arguments one per line, written by the fragment)
    # shellcheck disable=SC2046
    (cd "$root" && "$TINYCEP" sim $(cat "$args") --format lines -q --no-progress) > "$fw_tmp/$name.sim" 2> "$fw_tmp/$name.sim.err"
    rc=$?
    if [ $rc -ne 0 ]; then
        echo "FAIL: $name: tinycep sim exited $rc"; tail -5 "$fw_tmp/$name.sim.err"; fail=1; continue
    fi
    alerts=$(wc -l < "$fw_tmp/$name.sim")
    if [ "$alerts" -eq 0 ]; then
        echo "FAIL: $name: the simulator gives no alert on the slice"; fail=1; continue
    fi
    # B: the host build of the image
    "$BUILD/fw-host/$image" > "$fw_tmp/$name.host"
    rc=$?
    if [ $rc -ne 0 ]; then
        echo "FAIL: $image on the host exited $rc"; tail -5 "$fw_tmp/$name.host"; fail=1; continue
    fi
    if ! grep -q "^# replay [a-z_0-9]* records=[0-9]* inferences=[0-9]* errors=0\$" "$fw_tmp/$name.host"; then
        echo "FAIL: $image on the host: no '# replay <module> ... errors=0' line"; grep '^# replay' "$fw_tmp/$name.host"
        fail=1
    fi
    grep -v '^# ' "$fw_tmp/$name.host" > "$fw_tmp/$name.B"
    if cmp -s "$fw_tmp/$name.sim" "$fw_tmp/$name.B"; then
        echo "ok: $name: host module = simulator ($alerts alert lines)"
    else
        diff -u "$fw_tmp/$name.sim" "$fw_tmp/$name.B" | head -20
        echo "FAIL: $name: the host build of $image differs from tinycep sim (- sim, + module)"
        fail=1
    fi
    # C: every target
    while read -r target machine; do
        elf=$BUILD/arm/$target/$image.elf
        if [ ! -e "$elf" ]; then
            echo "note: $image is not built for $target"
            continue
        fi
        fw_run "$machine" "$elf" > "$fw_tmp/$name.$target"
        rc=$?
        if [ $rc -ne 0 ]; then
            echo "FAIL: $image on $target ($machine) exited $rc"; tail -5 "$fw_tmp/$name.$target"
            fail=1; continue
        fi
        grep -v '^# ' "$fw_tmp/$name.$target" > "$fw_tmp/$name.$target.C"
        if cmp -s "$fw_tmp/$name.sim" "$fw_tmp/$name.$target.C"; then
            echo "ok: $name on $target ($machine): $alerts alert lines identical to the simulator and the host"
        else
            diff -u "$fw_tmp/$name.sim" "$fw_tmp/$name.$target.C" | head -20
            echo "FAIL: $name on $target ($machine) differs from the simulator (- sim, + $target)"
            fail=1
        fi
    done < "$fw_tmp/machines"
done
if [ $n -eq 0 ]; then
    echo "FAIL: no per-example firmware (no \$BUILD/fwgen/*/sim.args after make fw-images)"
    exit 1
fi
exit $fail
