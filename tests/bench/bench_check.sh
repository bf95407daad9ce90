#!/bin/sh
# Compile-time scale (DESIGN §8): generates a rule file of 1,000 rules with
# their inputs (60: the engine takes at most 64, CEP_MAX_INPUTS), windows
# (60), features (180), an anomaly model and events (1,000), and compiles it
# with `tinycep check` (front end, lowering to the runtime program, pattern
# automata, memory plan and budgets) and with `check --report` (the same plus
# every per-declaration figure).  Prints both times, best of 3 runs, and the
# plan's totals.  Target: well under one second.
set -eu
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
f=$tmp/scale.cep
awk 'BEGIN {
    print "module bench_scale;"
    print "budget ram 1024 KB, flash 1024 KB;"
    for (i = 0; i < 60; i++) {
        printf "input in%d : f32 @ %d Hz unit u%d;\n", i, 100 + i, i % 5
        printf "window w%d = in%d sliding 128 hop 64;\n", i, i
        printf "feature rms%d = rms(w%d);\n", i, i
        printf "feature kur%d = kurtosis(w%d);\n", i, i
        printf "feature bands%d = band_energy(w%d, 8);\n", i, i
    }
    print "model base = anomaly [rms0, rms1, rms2, kur0, bands0] learn 30 min;"
    for (i = 0; i < 1000; i++) {
        k = i % 60
        if (i % 4 == 0)      printf "event e%d when rms%d > %d and kur%d < 6 for 2 s clear when rms%d < %d;\n", i, k, i % 7 + 1, k, k, i % 7
        else if (i % 4 == 1) printf "event e%d when bands%d[%d] > 0.5 in 3 of 5;\n", i, k, i % 8
        else if (i % 4 == 2) printf "event e%d when in%d > %d becomes true;\n", i, k, i
        else                 printf "event e%d when base.score > 3 and in%d < %d u%d;\n", i, k, i, k % 5
    }
    for (i = 0; i < 1000; i++) {
        a = i; b = (i + 1) % 600; c = (i + 7) % 600
        if (i % 3 == 0)
            printf "rule r%d when x: e%d then y: e%d within 10 s where y.rms%d > x.rms%d alert warning \"r%d {x.rms%d:.2f} {rms%d:.1f}\" limit 1 per 10 min;\n", i, a, b, i % 60, i % 60, i, i % 60, i % 60
        else if (i % 3 == 1)
            printf "rule r%d when e%d{2,4} within 30 s then not e%d within 1 min alert critical \"r%d\" cooldown 1 min;\n", i, a, c, i
        else
            printf "rule r%d when (e%d and e%d within 5 s) or absent in%d for 10 s alert info \"r%d {in%d:.1f}\" select strict matches 4;\n", i, a, b, i % 60, i, i % 60
    }
}' > "$f"
"$TINYCEP" check --report "$f" > "$tmp/report"   # must be clean
best() { # command...
    b=
    for run in 1 2 3; do
        t0=$(date +%s%N)
        "$@" > /dev/null
        t1=$(date +%s%N)
        ms=$(( (t1 - t0) / 1000000 ))
        if [ -z "$b" ] || [ "$ms" -lt "$b" ]; then b=$ms; fi
    done
    echo "$b"
}
plain=$(best "$TINYCEP" check --quiet "$f")
report=$(best "$TINYCEP" check --report "$f")
lines=$(wc -l < "$f")
bytes=$(wc -c < "$f")
echo "bench_check: 1000 rules, 1000 events, 180 features, 60 windows, 60 inputs ($lines lines, $bytes bytes)"
echo "bench_check: tinycep check in $plain ms, check --report in $report ms (best of 3; target: well under 1000 ms)"
grep -E '^(RAM|flash|work)' "$tmp/report" | sed 's/^/bench_check: /'
