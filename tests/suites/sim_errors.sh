#!/bin/sh
# Every error `tinycep sim` reports for bad traces, bindings, rule files and
# arguments: the exact message (file, line and column where there is one)
# and the exit status (1 errors in the input, 2 usage or I/O).  Also what
# is counted rather than fatal: skipped bad rows (--skip-bad), a bool column
# value other than 0/1, an integer input saturated by its raw range.
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp "$root/tests/golden/sim/small.cep" "$tmp/" || exit 1
cd "$tmp" || exit 1
fail=0

printf 't_s,flow,valve,ax,ay,az,tmp\n0,5,1,0,0,0,70\n' > nocol.csv
# line 3: 'abc' at byte 3; line 5: empty flow; line 6: 6 fields;
# line 7: valve 2 (not a bool) and az 20000 g -> raw 40000, saturated
printf 't_s,flow,valve,ax,ay,az,temp\n0,5,1,0,0,0,70\n1,abc,1,0,0,0,70\n2,5,1,0,0,0,70\n3,,1,0,0,0,70\n4,5,1,0,0,0\n5,5,2,0,0,20000,70\n' > bad.csv
printf 't_s,flow,valve,ax,ay,az,temp\n' > header.csv
: > empty.csv
printf 't_s,flow,valve,ax,ay,az,temp\n1,5,1,0,0,0,70\n0,5,1,0,0,0,70\n' > backwards.csv
# the label '0.5' of line 3 starts at byte 16
printf 't_s,flow,valve,ax,ay,az,temp,anomaly\n0,5,1,0,0,0,70,0\n1,5,1,0,0,0,70,0.5\n' > badlabel.csv
printf 'module x;\ninput a : f32 @ 1 Hz;\nrule r when a > 1 alert critical "x"\n' > broken.cep
printf '{"other.csv": [[0, 1]]}\n' > windows.json

# expect NAME STATUS "STDERR" ARGS...: runs tinycep sim ARGS
expect() {
    name=$1 want_rc=$2 want=$3
    shift 3
    "$TINYCEP" sim "$@" > out 2> err
    rc=$?
    printf '%s\n' "$want" > want
    if [ "$rc" -ne "$want_rc" ]; then
        echo "FAIL $name: exit $rc, expected $want_rc"; cat err; fail=1
    elif ! diff -u want err > diff; then
        echo "FAIL $name"; cat diff; fail=1
    else
        echo "ok   $name"
    fi
}
M="--map acc=ax,ay,az"

expect "missing column, with did-you-mean" 1 \
"nocol.csv:1: error: no column for input 'temp' (did you mean 'tmp'? bind it with --map)" \
    small.cep --trace nocol.csv $M
expect "vector input without --map" 1 \
"bad.csv: error: vector input 'acc' (3 values) needs --map acc=COLUMN,COLUMN,..." \
    small.cep --trace bad.csv
expect "--map with too few columns" 1 \
"bad.csv: error: input 'acc' has 3 values per sample but --map gives 2 columns" \
    small.cep --trace bad.csv --map acc=ax,ay
expect "--map of an unknown input" 1 \
"bad.csv: error: --map names 'foo', which is not an input of the program" \
    small.cep --trace bad.csv $M --map foo=flow
expect "not a number stops the run" 1 \
"bad.csv:3:3: error: column 'flow': not a number: 'abc' (use --skip-bad to skip bad rows)" \
    small.cep --trace bad.csv $M
expect "header only" 1 "header.csv: error: header only, no data rows" \
    small.cep --trace header.csv $M
expect "empty file" 1 "empty.csv: error: empty file (expected a header row)" \
    small.cep --trace empty.csv $M
expect "missing trace file" 2 "missing.csv: error: cannot open: No such file or directory" \
    small.cep --trace missing.csv $M
expect "--strict and time going backwards" 1 \
"backwards.csv:3:1: error: time goes backwards (0.000 s after 1.000 s) and --strict is set" \
    small.cep --trace backwards.csv $M --strict
expect "label not 0 or 1" 1 \
"badlabel.csv:3:16: error: column 'anomaly': label is not 0 or 1: '0.5' (use --skip-bad to skip bad rows)" \
    small.cep --trace badlabel.csv $M --labels anomaly
expect "no such label column" 1 "bad.csv:1: error: no label column 'nolabel'" \
    small.cep --trace bad.csv $M --labels nolabel
expect "no label-window entry for the trace" 1 \
"windows.json:1:1: error: no entry for 'bad.csv' (keys are 'other.csv')" \
    small.cep --trace bad.csv $M --skip-bad -q --label-windows windows.json
expect "errors in the rule file" 1 \
"broken.cep:4:1: error: unexpected end of file, expected 'limit', 'cooldown', 'select', 'matches' or ';' (to close 'rule' at line 3)
 4 | 
   | ^
1 error" broken.cep --trace bad.csv
expect "missing rule file" 2 "nothere.cep: error: cannot open: No such file or directory
1 error" nothere.cep --trace bad.csv
expect "no rule file" 2 "tinycep sim: no rule file given (see 'tinycep sim --help')"
expect "no trace" 2 "tinycep sim: no trace given: --trace FILE.csv (see 'tinycep sim --help')" \
    small.cep
expect "unknown option" 2 "tinycep sim: unknown option '--bogus' (see 'tinycep sim --help')" \
    small.cep --trace bad.csv --bogus
expect "bad --format" 2 \
"tinycep sim: --format takes json or lines, not 'xml' (see 'tinycep sim --help')" \
    small.cep --trace bad.csv --format xml
expect "two label sources" 2 \
"tinycep sim: --labels and --label-windows: one label source at a time (see 'tinycep sim --help')" \
    small.cep --trace bad.csv --labels anomaly --label-windows windows.json
expect "--metrics-json without labels" 2 \
"tinycep sim: --metrics-json needs --labels or --label-windows (see 'tinycep sim --help')" \
    small.cep --trace bad.csv --metrics-json m.json
expect "bad --hold" 2 \
"tinycep sim: --hold takes until-normal or a duration (500ms, 10s, 2min), not 'soon' (see 'tinycep sim --help')" \
    small.cep --trace bad.csv --hold soon
expect "unwritable --out" 2 \
"tinycep sim: cannot write 'nodir/out.json': No such file or directory" \
    small.cep --trace bad.csv $M --skip-bad -q --out nodir/out.json

# --skip-bad: rows skipped and counted; the bool value 2 is not pushed and
# counted; az = 20000 g / 0.5 = 40000 saturates to 32767 (16383.5 g), counted.
"$TINYCEP" sim small.cep --trace bad.csv $M --skip-bad --format lines > out 2> err
rc=$?
cat > want <<'EOF'
t=5.000s warning silent: temperature silent
t=5.000s info shaking: shake 16383.5 g
EOF
if [ $rc -eq 0 ] && diff -u want out; then echo "ok   --skip-bad alerts"; else
    echo "FAIL --skip-bad alerts (exit $rc)"; fail=1; fi
for line in \
    "  valve                  bad.csv                3         1         1         1         0" \
    "  acc                    bad.csv                3         3         0         0         1" \
    "  input 'valve': 1 sample rejected: bool value not 0 or 1, not pushed (line 7)" \
    "bad.csv: 3 bad rows skipped: 1 wrong number of fields (line 6); 1 empty field (line 5); 1 not a number (line 3)"
do
    if grep -qxF -- "$line" err; then echo "ok   summary: $line"; else
        echo "FAIL summary lacks: $line"; cat err; fail=1; fi
done
exit $fail
