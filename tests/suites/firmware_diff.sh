#!/bin/sh
# firmware_diff.sh — every image that also builds for the host
# (FW_HOST_IMAGES in mk/firmware.mk: the self-test, the replay driver's
# stand-in, ml's kernels when the tree has them, and later every example)
# must exit 0 on the host and on every target it is built for, and print
# the same result lines ("# " metadata lines excluded) byte for byte.
# Dedicated suites add golden files and metadata checks for some of them
# (firmware_qemu.sh, firmware_replay.sh); this one makes any new
# host-capable image a differential test without further work.
. "$(dirname "$0")/firmware.inc"
fw_need arm-none-eabi-gcc "$QEMU_ARM"

fw_make fw-images fw-host || { echo "FAIL: building the firmware images"; exit 1; }
fw_machines > "$fw_tmp/machines" || { echo "FAIL: make fw-print-machines"; exit 1; }
fw_make fw-print-host-images > "$fw_tmp/images" || { echo "FAIL: make fw-print-host-images"; exit 1; }
[ -s "$fw_tmp/images" ] || { echo "FAIL: no host-capable images"; exit 1; }

fail=0
while read -r image; do
    "$BUILD/fw-host/$image" > "$fw_tmp/$image.host"
    rc=$?
    if [ $rc -ne 0 ]; then
        echo "FAIL: $image on the host exited $rc"; grep -v '^# ' "$fw_tmp/$image.host" | tail -5
        fail=1; continue
    fi
    grep -v '^# ' "$fw_tmp/$image.host" > "$fw_tmp/$image.want"
    while read -r target machine; do
        elf=$BUILD/arm/$target/$image.elf
        [ -e "$elf" ] || continue       # image not built for this target
        fw_run "$machine" "$elf" > "$fw_tmp/$image.$target"
        rc=$?
        if [ $rc -ne 0 ]; then
            echo "FAIL: $image on $target ($machine) exited $rc"; tail -5 "$fw_tmp/$image.$target"
            fail=1; continue
        fi
        grep -v '^# ' "$fw_tmp/$image.$target" > "$fw_tmp/$image.$target.got"
        if cmp -s "$fw_tmp/$image.want" "$fw_tmp/$image.$target.got"; then
            echo "ok: $image on $target ($machine): $(wc -l < "$fw_tmp/$image.want") result lines identical to the host"
        else
            diff -u "$fw_tmp/$image.want" "$fw_tmp/$image.$target.got" | head -20
            echo "FAIL: $image on $target ($machine) differs from the host (diff above: - host, + $target)"
            fail=1
        fi
    done < "$fw_tmp/machines"
done < "$fw_tmp/images"
exit $fail
