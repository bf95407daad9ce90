#!/bin/sh
# The bearing example end to end: `tinycep sim` replays the test trace
# (build/examples/bearing/vib.csv + temp.csv) through bearing.cep with the
# int8 model the build trained, and the alerts are the ones the story of the
# trace calls for — at the right times, and none in the normal stretches.
#
# Expectations, reasoned from the trace's plan (gen_bearing.c) and the rules:
#   - the model runs every 256 samples (128 ms); an alert needs three
#     fault(c) occurrences, i.e. three inferences with class c and
#     p >= 0.8, within 5 s: at the earliest ~0.3 s after a fault starts; we
#     allow up to 2 s.  So
#       outer_race  once, in (40, 42] s    (outer-race fault 40-80 s)
#       inner_race  once, in (110, 112] s  (inner-race fault 110-140 s)
#       ball_fault  once, in (170, 172] s  (rolling-element fault 170-200 s)
#     and no more: `limit 1 per 1 min` and every fault lasts 30-40 s.
#   - bearing_failure (outer-race fault, then overheat within 60 s):
#     temp.csv's first sample above 85 degC is at 66 s (85.65), so
#     `overheat` (`for 10 s`) occurs at exactly 76.000 s, 36 s after the
#     outer fault began: one critical alert at t=76.000s, quoting the
#     temperature of that instant: the 75 s sample, 92.07 -> "92.1" (the
#     76 s sample is processed after the timer that fires at 76.000 s,
#     docs/program.md §7).
#   - nothing in 0-40, 80-110, 140-170, 200-230 s beyond the above (a window
#     overlapping the end of a fault may still see it, but one such
#     inference cannot make three occurrences, and the limit holds anyway).
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${BUILD:-$root/build}
dir=$BUILD/examples/bearing
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
bad() { echo "FAIL: $*"; fail=1; }

MAKEFLAGS=$(printf '%s' "${MAKEFLAGS:-}" | sed 's/--jobserver-[a-z]*=[^ ]*//g; s/ -j[0-9]*//g') \
    make -C "$root" --no-print-directory -s BUILD="$BUILD" bearing >"$tmp/make.log" 2>&1 ||
    { cat "$tmp/make.log"; echo "FAIL: make bearing"; exit 1; }

"$TINYCEP" check "$dir/bearing.cep" >"$tmp/check" 2>&1 || { cat "$tmp/check"; bad "tinycep check bearing.cep"; }

"$TINYCEP" sim "$dir/bearing.cep" --trace "$dir/vib.csv" --trace "$dir/temp.csv" \
    --format lines --no-progress >"$tmp/alerts" 2>"$tmp/err"
rc=$?
[ $rc -eq 0 ] || { cat "$tmp/err"; bad "tinycep sim exited $rc"; }
echo "alerts:"; sed 's/^/  /' "$tmp/alerts"

# t=12.345s severity rule: message
count() { grep -c " $1: " "$tmp/alerts"; }
time_of() { awk -v r="$1:" '$3 == r { sub(/^t=/, "", $1); sub(/s$/, "", $1); print $1; exit }' "$tmp/alerts"; }
within() { awk -v t="$1" -v a="$2" -v b="$3" 'BEGIN { exit !(t != "" && t > a && t <= b) }'; }

[ "$(wc -l <"$tmp/alerts")" -eq 4 ] || bad "expected 4 alerts, got $(wc -l <"$tmp/alerts")"
for r in outer_race inner_race ball_fault bearing_failure; do
    [ "$(count $r)" -eq 1 ] || bad "rule $r alerted $(count $r) times, expected once"
done
t=$(time_of outer_race); within "$t" 40 42 || bad "outer_race at ${t:-never}, expected in (40, 42] s"
t=$(time_of inner_race); within "$t" 110 112 || bad "inner_race at ${t:-never}, expected in (110, 112] s"
t=$(time_of ball_fault); within "$t" 170 172 || bad "ball_fault at ${t:-never}, expected in (170, 172] s"
grep -q '^t=76.000s critical bearing_failure: outer-race fault, then overheating at 92.1 degC$' "$tmp/alerts" ||
    bad "expected 't=76.000s critical bearing_failure: outer-race fault, then overheating at 92.1 degC'"
grep -q '^t=[0-9.]*s warning outer_race: outer-race fault (p = [01]\.[0-9][0-9])$' "$tmp/alerts" ||
    bad "outer_race message is not 'outer-race fault (p = N.NN)'"

# The model's sizes are checked against the declaration when the file is
# compiled: [vrms, bands] is 1 + 8 = 9 values for a 10-input model; three
# class names for a 4-output model.
mkdir -p "$tmp/mm"
cp "$dir/bearing.tflite" "$tmp/mm/"
sed 's/input \[vrms, kurt, bands\]/input [vrms, bands]/' "$dir/bearing.cep" >"$tmp/mm/bearing.cep"
"$TINYCEP" check --report "$tmp/mm/bearing.cep" >/dev/null 2>"$tmp/mm/err"
rc=$?
[ $rc -eq 1 ] && grep -q "error: model 'bearing' takes 10 input values, but its bindings give 9" "$tmp/mm/err" ||
    { cat "$tmp/mm/err"; bad "9 bindings for a 10-input model: exit $rc, expected 1 and the size error"; }
sed 's/classes \[normal, inner, outer, ball\]/classes [normal, inner, outer]/; s/fault(ball)/fault(inner)/' \
    "$dir/bearing.cep" >"$tmp/mm/bearing.cep"
"$TINYCEP" check --report "$tmp/mm/bearing.cep" >/dev/null 2>"$tmp/mm/err"
rc=$?
[ $rc -eq 1 ] && grep -q "error: model 'bearing' has 4 outputs, but 3 classes are listed" "$tmp/mm/err" ||
    { cat "$tmp/mm/err"; bad "3 classes for a 4-output model: exit $rc, expected 1 and the class-count error"; }

# Scored against vib.csv's label column: its 1-stretches are the three fault
# segments, so 3 events, all detected, and no alert outside them.
"$TINYCEP" sim "$dir/bearing.cep" --labels label --trace "$dir/vib.csv" --trace "$dir/temp.csv" \
    --format lines --no-progress >/dev/null 2>"$tmp/score" || { cat "$tmp/score"; bad "tinycep sim --labels failed"; }
grep '^event-wise:' "$tmp/score"
grep -q '^event-wise: 3 events, 3 detected, 0 missed, 0 false alarms' "$tmp/score" ||
    bad "expected 3 fault events, 3 detected, 0 missed, 0 false alarms"

[ $fail -eq 0 ] && echo "bearing_sim: the alerts fire when the trace's faults begin, and only then"
exit $fail
