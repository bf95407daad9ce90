#!/bin/sh
# `tinycep sim` on the demo's synthetic pump recording (examples/pump.cep,
# examples/pump/gen_trace.c, built here into a temporary directory):
#  - determinism: two runs give byte-identical alerts, summary, metrics and
#    SVG plot;
#  - streaming: the vibration trace read from a pipe (/dev/stdin, read in
#    chunks, no size known) gives the same alerts as the file;
#  - merging: process.csv split by columns into two traces (current+flow,
#    then valve+anomaly: the same push order within a record) gives the same
#    alerts as the whole file;
#  - the story: each scripted incident of gen_trace.c raises its alert at
#    the time the rules imply (derivations below), and nothing before the
#    fault at 180 s.
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
cc -O2 -o "$tmp/gen_trace" "$root/examples/pump/gen_trace.c" -lm || {
    echo "cannot build examples/pump/gen_trace.c"; exit 1; }
mkdir -p "$tmp/pump" && "$tmp/gen_trace" "$tmp/pump" || exit 1
cd "$tmp/pump" || exit 1
rules=$root/examples/pump.cep
M="--map vib=vx,vy,vz"

run() {     # run OUTDIR ARGS...
    d=$1; shift
    mkdir -p "$d"
    "$TINYCEP" sim "$rules" $M "$@" --labels anomaly --format lines --out "$d/alerts" \
        --plot "$d/plot.svg" --metrics-json "$d/metrics.json" 2> "$d/summary"
}
run "$tmp/a" --trace process.csv --labels anomaly --trace vib.csv --trace temp.csv
rc=$?
if [ $rc -eq 2 ]; then echo "ok   --labels given twice is refused (exit 2)"; else
    echo "FAIL --labels twice: exit $rc, expected 2"; fail=1; fi

run "$tmp/a" --trace process.csv --trace vib.csv --trace temp.csv || {
    echo "FAIL run 1"; cat "$tmp/a/summary"; exit 1; }
run "$tmp/b" --trace process.csv --trace vib.csv --trace temp.csv || exit 1
for f in alerts summary metrics.json plot.svg; do
    if cmp -s "$tmp/a/$f" "$tmp/b/$f"; then echo "ok   two runs: identical $f"; else
        echo "FAIL two runs differ in $f"; fail=1; fi
done

cat vib.csv | "$TINYCEP" sim "$rules" $M --trace process.csv --trace /dev/stdin \
    --trace temp.csv --format lines -q > "$tmp/pipe.alerts"
if cmp -s "$tmp/a/alerts" "$tmp/pipe.alerts"; then echo "ok   pipe = file"; else
    echo "FAIL vib.csv through a pipe gives other alerts"; diff "$tmp/a/alerts" "$tmp/pipe.alerts"; fail=1; fi

cut -d, -f1-3 process.csv > p1.csv
cut -d, -f1,4,5 process.csv > p2.csv
"$TINYCEP" sim "$rules" $M --trace p1.csv --trace p2.csv --trace vib.csv --trace temp.csv \
    --format lines -q > "$tmp/split.alerts"
if cmp -s "$tmp/a/alerts" "$tmp/split.alerts"; then echo "ok   split by columns = whole"; else
    echo "FAIL process.csv split in two traces gives other alerts"
    diff "$tmp/a/alerts" "$tmp/split.alerts"; fail=1; fi

# The story (gen_trace.c) and what the rules make of it:
#  - bearing fault from 180 s: the first vibration window wholly after 180 s
#    is impulsive; `impacts` (3 of 5 windows, one every 80 ms) and the
#    baseline's `unusual` (4 of 5) fire within a second;
#  - temperature 62 -> 93 degC over 300..420 s crosses 85 at
#    300 + 120 * 23/31 = 389.0 s; `for 10 s` on the 1 Hz samples: 401.000 s
#    (bearing_overheat follows `rumble` by less than 5 min);
#  - valve closes at 450 s: `shut` at 450.000, flow < 1 from 450.1-450.5 s
#    (first-order lag, 0.5 s), `for 3 s`: dry_run about 453.5-454.5 s;
#  - valve reopens at 560 s with flow back within 2 s: no valve_stuck;
#  - temperature silent from 520 s (last sample at 519 s): 529.000 s.
expect_alert() {    # expect_alert RULE FROM_S TO_S
    t=$(awk -v r="$1:" '$3 == r { sub(/^t=/, "", $1); sub(/s$/, "", $1); print $1; exit }' "$tmp/a/alerts")
    if [ -n "$t" ] && awk -v t="$t" -v a="$2" -v b="$3" 'BEGIN { exit !(t >= a && t <= b) }'; then
        echo "ok   $1 at $t s (expected $2..$3)"
    else
        echo "FAIL $1 at '${t}' s, expected $2..$3"; fail=1
    fi
}
expect_alert bearing_fault 180 181
expect_alert odd_behaviour 180 181
expect_alert overheating 401 401
expect_alert bearing_overheat 401 401
expect_alert dry_run 453 455
expect_alert temp_sensor_silent 529 529
if grep -q valve_stuck "$tmp/a/alerts"; then echo "FAIL valve_stuck fired"; fail=1; else
    echo "ok   no valve_stuck"; fi
first=$(awk '{ sub(/^t=/, "", $1); sub(/s$/, "", $1); print $1; exit }' "$tmp/a/alerts")
if awk -v t="$first" 'BEGIN { exit !(t >= 180) }'; then echo "ok   no alert before the fault"; else
    echo "FAIL an alert before the fault at 180 s: $first"; fail=1; fi
if grep -q '^<svg' "$tmp/a/plot.svg" && grep -q '</svg>' "$tmp/a/plot.svg"; then
    echo "ok   plot written"; else echo "FAIL no SVG plot"; fail=1; fi
exit $fail
