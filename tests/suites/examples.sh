#!/bin/sh
# Every example examples/*.cep passes `tinycep check`, and together with
# examples/*/*.cep they use every construct of the language (DESIGN §2).
# examples/bearing/bearing.cep (the `tflite` model) is checked and simulated
# by bearing_sim.sh, because its model is generated into build/ first.
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root/examples" || exit 1
fail=0
for f in *.cep; do
    if "$TINYCEP" check --quiet "$f"; then echo "ok   $f"; else echo "FAIL $f"; fail=1; fi
done
all=$(cat ./*.cep ./*/*.cep | sed 's|//.*||')
# construct: an extended regular expression that finds it
while IFS='|' read -r what re; do
    [ -n "$what" ] || continue
    if printf '%s\n' "$all" | grep -Eq -- "$re"; then :; else
        echo "FAIL no example uses: $what"; fail=1
    fi
done <<'LIST'
module|^module [a-z_]+;
budget ram and flash|^budget ram [0-9]+ KB, flash
tflite model|= tflite "[^"]+" input \[
model classes|^ *classes \[[a-z_, ]+\];
i8 input with scale|: i8 @ .* scale
i16 vector input|vec3<i16>
i32 input|: i32 @
f32 input|: f32 @
bool input|: bool;
event-driven input|^input [a-z_]+ *: f32 unit
unit|unit [a-zA-Z]+
unit with /|unit [a-z]+/[a-z]+
count sliding window with hop|sliding [0-9]+ hop [0-9]+;
time sliding window|sliding [0-9]+ s hop [0-9]+ ms
tumbling by count|tumbling [0-9]+;
tumbling by time|tumbling [0-9]+ s;
bounded window on event-driven input|over [0-9]+ h max [0-9]+
inline window|\(([a-z_]+) over [0-9]+ s\)
vector element|\[[0-9]\]
feature mean|= mean\(
feature rms|= rms\(
feature std|= std\(
feature min|= min\(
feature max|= max\(
feature p2p|= p2p\(
feature kurtosis|= kurtosis\(
feature skewness|= skewness\(
feature crest|= crest\(
feature zero_crossings|= zero_crossings\(
feature slope|= slope\(
feature ewma|= ewma\(
feature delta|= delta\(
feature rate|= rate\(
feature band_energy|= band_energy\(
feature dominant_freq|= dominant_freq\(
anomaly model|= anomaly \[.*\] learn
model output score|\.score
anomaly ready|\.ready
for duration|for [0-9]+ (ms|s|min)
hysteresis|clear when
edge rising|becomes true
edge falling|becomes false
k-of-n|in [0-9]+ of [0-9]+
parameterised event|^event [a-z_]+\([a-z_]+\)
sequence|then [a-z_]+
conjunction of events|and [a-z_]+ within
disjunction|[a-z_]+ or [a-z_]+
bounded repetition {n,m}|\{[0-9]+,[0-9]+\}
repetition {n}|\{[0-9]+\} within
absence|then not
within|within [0-9]+ (s|min)
watchdog|absent [a-z_]+ for
labels|[a-z]: [a-z_]+ then [a-z]: 
cross-event predicate|where [a-z]\.
severity info|alert info
severity warning|alert warning
severity error|alert error
severity critical|alert critical
message capture with format|\{[a-z_.]+:\.[0-9]f\}
limit|limit [0-9]+ per
cooldown|cooldown [0-9]+ min
select policy|select (next|any|strict)
matches|matches [0-9]+
LIST
[ $fail -eq 0 ] && echo "examples: all pass and every construct appears"
exit $fail
