#!/bin/sh
# run-qemu.sh — runs one firmware image under qemu-system-arm and passes on
# its semihosting output (stdout) and exit status.
#
# usage: run-qemu.sh [-i] [-t SECONDS] MACHINE IMAGE.elf
#   -i          measure: -icount shift=0 (1 ns of virtual time per
#               instruction, deterministic), as the instruction figures need
#   -t SECONDS  wall-clock limit (default $FW_QEMU_TIMEOUT or 30); a hung
#               image fails with status 124 instead of hanging the caller
#   MACHINE     mps2-an386 (M4F images), mps2-an500 (M7), mps2-an385 (M3),
#               microbit (M0+ images), microbit-64k (the micro:bit with
#               64 KB of SRAM, for the m0plus64 images: microbit64.ld)
#
# Semihosting output goes to qemu's stdout through its own chardev; qemu's
# diagnostics stay on stderr.  No serial port, monitor or display: the
# images talk only through semihosting.  (Not -nodefaults: the MPS2 boards
# then warn on stderr that their Ethernet controller has no network.)
set -u
icount=""
limit=${FW_QEMU_TIMEOUT:-30}
while [ $# -gt 2 ]; do
    case $1 in
        -i) icount="-icount shift=0"; shift ;;
        -t) limit=$2; shift 2 ;;
        *)  break ;;
    esac
done
if [ $# -ne 2 ]; then
    echo "usage: run-qemu.sh [-i] [-t SECONDS] MACHINE IMAGE.elf" >&2
    exit 2
fi
machine=$1 image=$2
qemu=${QEMU_ARM:-qemu-system-arm}
case $machine in
    microbit-64k) machine_args="-M microbit -global nrf51-soc.sram-size=65536" ;;
    *)            machine_args="-M $machine" ;;
esac
[ -r "$image" ] || { echo "run-qemu.sh: $image: no such image" >&2; exit 2; }

# shellcheck disable=SC2086
timeout -k 5 "$limit" "$qemu" $machine_args \
    -display none -serial null -monitor none -parallel none \
    $icount \
    -semihosting-config enable=on,target=native,chardev=fwout \
    -chardev stdio,id=fwout,signal=off \
    -kernel "$image" </dev/null
rc=$?
if [ $rc -eq 124 ] || [ $rc -eq 137 ]; then
    echo "run-qemu.sh: $image on $machine: no exit after $limit s (hung?)" >&2
fi
exit $rc
