#!/bin/sh
# `tinycep check --report`: golden reports (tests/golden/report/*.report) for
# the hand-checked case tests/golden/report/small.cep and the examples, plus
# figures of small.cep derived by hand (below) and the invariant that the
# RAM and flash rows add up to the totals.  UPDATE=1 rewrites the goldens
# (review the diff: every number is the static plan).
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
gold="$root/tests/golden/report"
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
fail=0

# name|file|options
cases='small|tests/golden/report/small.cep|
pump|examples/pump.cep|--no-model-files
bearing|examples/bearing/bearing.cep|--no-model-files'

echo "$cases" | while IFS='|' read -r name file opts; do
    [ -n "$name" ] || continue
    # shellcheck disable=SC2086
    (cd "$root" && "$TINYCEP" check --report $opts "$file") >"$tmp/$name.report" 2>&1
    echo "exit $?" >>"$tmp/$name.report"
    if [ "${UPDATE:-0}" = 1 ]; then
        cp "$tmp/$name.report" "$gold/$name.report"
        echo "updated $name.report"
    elif diff -u "$gold/$name.report" "$tmp/$name.report"; then
        echo "ok   $name.report"
    else
        echo "FAIL $name.report differs"
        echo fail >"$tmp/failed"
    fi
    # rows add up to the totals (RAM state, arena, flash tables, model)
    awk '$1 != "total" && NF >= 9 && $1 != "kind" && $1 != "module" { r += $4; a += $5; f += $6; m += $7 }
         $1 == "total" { if (r != $2 || a != $3 || f != $4 || m != $5) {
             printf "FAIL %s: rows add up to %d %d %d %d, totals %s %s %s %s\n", n, r, a, f, m, $2, $3, $4, $5;
             exit 1 } }' n="$name" "$tmp/$name.report" || echo fail >"$tmp/failed"
done

# small.cep by hand.  RAM (docs/program.md §9; cep/engine.c lays the blocks
# out in this order, each 8-aligned, padding charged to the block after it):
#   context 192; values: 2 slots (x, m) 8 + 2 source stamps 8 + 1 input time
#   4 + pad 4 + 1 window stamp 4 = 28 (ends at 220);
#   window w: pad 4 + record 32 + ring 8 * 4 = 68;
#   feature m: record 12; event hi: record 20;
#   rule r: pad 4 + record 56 + 8 runs * 48 + 8 * (ev 2 -> 8, t 4 -> 8) = 572
#   (a single-event rule records 1 event, no captures, pool 8).
# Flash (records of cep/program.h): input x: record 16 + name 4 + "x" 1 = 21;
#   event hi: record 28 + name 4 + "hi" 2 + 1 dependency 2 + `m > 1` (expr 4
#   + 3 instructions * 4) = 52; rule r: record 32 + name 4 + "r" 1 + 2 states
#   * 12 + 1 transition 20 + 1 message part 8 + "hi" 2 = 91.
r="$tmp/small.report"
check() { # kind name column value
    v=$(awk -v k="$1" -v n="$2" -v c="$3" '$1 == k && $2 == n { print $c }' "$r")
    if [ "$v" != "$4" ]; then echo "FAIL small.cep: $1 $2 column $3 is '$v', by hand $4"; echo fail >"$tmp/failed"; fi
}
check shared context 4 192
check shared values 4 28
check window w 4 68
check feature m 4 12
check event hi 4 20
check rule r 4 572
check input x 6 21
check event hi 6 52
check rule r 6 91
# work bound per sample of x: 1 component + window 1 + mean of 8 samples 8 +
# event hi's 3 instructions (load, const, >) + 1 occurrence x rule r
# (8 runs x 1 transition) 8 = 21
if ! grep -qx 'work  at most 21 operations per input sample' "$r"; then
    echo "FAIL small.cep: work bound is not 21"; echo fail >"$tmp/failed"
fi

if [ -f "$tmp/failed" ]; then exit 1; fi
echo "report_golden: all checks passed"
exit 0
