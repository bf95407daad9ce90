#!/bin/sh
# Compile-time scale including the lowering (DESIGN §8): the 1,000-rule file
# of bench_check.sh (its generator is extracted from there), with 60 inputs
# instead of 100 because the engine takes at most 64 (CEP_MAX_INPUTS; rules
# and events stay 1,000), compiled with `tinycep check
# --report` — front end, lowering to the runtime program, pattern automata,
# memory plan and report — against plain `tinycep check` (front end only).
# Prints both times (best of 3) and the lowering's share.  The file's
# `budget` lines are ignored for this measurement (its plan exceeds them by
# design: 100 FFT windows); --report still computes every figure.
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
f=$tmp/scale.cep
# the awk program of bench_check.sh, between "awk 'BEGIN {" and "}' > \"$f\""
sed -n "/^awk 'BEGIN {/,/^}' > \"\$f\"/p" "$root/tests/bench/bench_check.sh" |
    sed '1s/^awk //; $s/ > "$f"$//' | sed "1s/^'//; \$s/'\$//" |
    sed 's/i < 100;/i < 60;/; s/% 100\b/% 60/g' > "$tmp/gen.awk"
awk -f "$tmp/gen.awk" | grep -v '^budget ' > "$f"
[ "$(grep -c '^rule ' "$f")" -eq 1000 ] || { echo "bench_lower: generator extraction failed"; exit 1; }
"$TINYCEP" check --report "$f" > "$tmp/report" 2>"$tmp/err" || { cat "$tmp/err"; exit 1; }
best() { # command...
    b=
    for run in 1 2 3; do
        t0=$(date +%s%N)
        "$@" > /dev/null 2>&1
        t1=$(date +%s%N)
        ms=$(( (t1 - t0) / 1000000 ))
        if [ -z "$b" ] || [ "$ms" -lt "$b" ]; then b=$ms; fi
    done
    echo "$b"
}
front=$(best "$TINYCEP" check --quiet "$f")
full=$(best "$TINYCEP" check --report "$f")
echo "bench_lower: 1000 rules, 1000 events, 180 features, 60 windows, 60 inputs"
echo "bench_lower: check (front end) $front ms; check --report (front end + lowering + plan) $full ms (best of 3)"
echo "bench_lower: lowering and report $((full - front)) ms"
grep -E '^(RAM|flash|work)' "$tmp/report" | sed 's/^/bench_lower: /'
