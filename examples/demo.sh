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
