#!/bin/sh
# The demo, end to end on the bundled example (run by `make demo`):
#   1. check every example rule file and print what it declares;
#   2. replay the synthetic pump recording (examples/pump/gen_trace.c: a
#      bearing fault from 180 s, overheating, a closed valve, a silent
#      temperature sensor) through examples/pump.cep with `tinycep sim`:
#      the alerts, the summary, the scores against the recording's `anomaly`
#      column, and a plot in $BUILD/demo/pump.svg;
#   3. the firmware part (below the marked line).
# Env: TINYCEP = path of the tinycep binary, BUILD = the build directory
# (make demo sets both; make demo-traces writes $BUILD/demo/pump/*.csv).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
tinycep=${TINYCEP:-$here/../build/tinycep}
build=${BUILD:-$here/../build}
traces=$build/demo/pump

for f in "$here"/*.cep; do
    echo "== tinycep check examples/$(basename "$f")"
    (cd "$here" && "$tinycep" check "$(basename "$f")")
    echo
done

if [ ! -f "$traces/vib.csv" ] || [ ! -f "$traces/process.csv" ] || [ ! -f "$traces/temp.csv" ]; then
    echo "demo: no pump recording in $traces (run 'make demo-traces', or 'make demo')" >&2
    exit 2
fi
echo "== tinycep sim examples/pump.cep on the synthetic pump recording"
echo "   (10 min: vibration at 1600 Hz, current/flow/valve at 10 Hz, temperature at 1 Hz;"
echo "    scored against the 'anomaly' column of process.csv: 1 from the fault at 180 s)"
echo "\$ tinycep sim pump.cep --map vib=vx,vy,vz --trace process.csv --labels anomaly \\"
echo "      --trace vib.csv --trace temp.csv --format lines --plot pump.svg --explain"
"$tinycep" sim "$here/pump.cep" --map vib=vx,vy,vz \
    --trace "$traces/process.csv" --labels anomaly \
    --trace "$traces/vib.csv" --trace "$traces/temp.csv" \
    --format lines --out "$build/demo/pump-alerts.txt" \
    --plot "$build/demo/pump.svg" --metrics-json "$build/demo/pump-metrics.json" \
    --explain 2> "$build/demo/pump-summary.txt" || {
    rc=$?; cat "$build/demo/pump-summary.txt" >&2; exit $rc; }
echo
echo "-- alerts ($build/demo/pump-alerts.txt)"
cat "$build/demo/pump-alerts.txt"
echo
echo "-- summary"
cat "$build/demo/pump-summary.txt"
echo
echo "-- plot: $build/demo/pump.svg   metrics: $build/demo/pump-metrics.json"
echo

# ---------------------------------------------------------------- firmware
# (the firmware part of the demo goes below this line)
# The pump's rules as firmware: the generated C module, the Cortex-M4F image
# that replays a 15 s slice of the recording (445-460 s: the fault is
# established, the motor is hot, the valve closes) under qemu, and its
# alerts next to the simulator's on the same slice: they must be the same
# bytes (examples/pump/firmware.mk, docs/firmware.md).
root=$(cd "$here/.." && pwd)
for tool in arm-none-eabi-gcc qemu-system-arm; do
    if ! command -v $tool >/dev/null 2>&1; then
        echo "== firmware: skipped, $tool is not installed (make deps installs it)"
        exit 0
    fi
done
fwgen=$build/fwgen/pump
echo "== tinycep build examples/pump.cep -o $fwgen  (the C module for firmware)"
"$tinycep" build "$here/pump.cep" -o "$fwgen"
echo
echo "== the Cortex-M4F image: module + runtime + the slice, built with arm-none-eabi-gcc"
MAKEFLAGS=$(printf '%s' "${MAKEFLAGS:-}" | sed 's/--jobserver-[a-z]*=[^ ]*//g; s/ -j[0-9]*//g') \
    make -C "$root" --no-print-directory -s BUILD="$build" \
    "$build/arm/m4f/ex-pump.elf" "$fwgen/sim.args" > "$build/demo/fw-build.txt" 2>&1 || {
    cat "$build/demo/fw-build.txt" >&2; echo "demo: building the firmware failed" >&2; exit 1; }
arm-none-eabi-size "$build/arm/m4f/ex-pump.elf"
echo "   by origin (flash, then RAM; make fw-size-split):"
printf '   %8s %6s %7s %6s %7s %6s %7s | %6s %6s %6s\n' runtime libc harness code tables model slice \
    state arena other
awk -v mod=pump -v target=m4f -v image=ex-pump -f "$root/mk/fw-size-split.awk" \
    "$build/arm/m4f/ex-pump.map" | awk '{ printf "   %s\n", substr($0, 23) }'
echo
echo "== the image under qemu-system-arm -M mps2-an386 (Cortex-M4F, -icount shift=0)"
sh "$root/runtime/firmware/run-qemu.sh" -i mps2-an386 "$build/arm/m4f/ex-pump.elf" > "$build/demo/fw-m4f.txt" || {
    cat "$build/demo/fw-m4f.txt" >&2; echo "demo: the firmware failed under qemu" >&2; exit 1; }
sed 's/^/   /' "$build/demo/fw-m4f.txt"
echo
echo "== tinycep sim on the same slice ($fwgen/trace/*.csv)"
# shellcheck disable=SC2046
(cd "$root" && "$tinycep" sim $(cat "$fwgen/sim.args") --format lines -q --no-progress) > "$build/demo/fw-sim.txt"
sed 's/^/   /' "$build/demo/fw-sim.txt"
grep -v '^# ' "$build/demo/fw-m4f.txt" > "$build/demo/fw-m4f-alerts.txt"
if cmp -s "$build/demo/fw-sim.txt" "$build/demo/fw-m4f-alerts.txt"; then
    echo
    echo "== firmware = simulator: $(wc -l < "$build/demo/fw-sim.txt") alert lines, byte for byte"
else
    echo
    diff -u "$build/demo/fw-sim.txt" "$build/demo/fw-m4f-alerts.txt" >&2
    echo "demo: the firmware's alerts differ from the simulator's (- sim, + firmware)" >&2
    exit 1
fi
