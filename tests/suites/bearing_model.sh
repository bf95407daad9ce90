#!/bin/sh
# The bearing example's data and model (examples/bearing/, mk/bearing.mk):
# made by the build from the project's own synthetic data, deterministic,
# importable, and good enough — checked through the CLI (`tinycep model
# inspect/run`), not through the tools that made it.
#
# Expected figures, derived by hand (see gen_bearing.c's top comment):
#   feature vectors: 10 s at 2000 Hz = 20000 samples per segment; a 512/256
#   count window has a result after sample 512, 768, ..., 512 + 76 x 256 =
#   19968, i.e. 77 per segment; train 4 x 12 segments = 3696, validation
#   4 x 4 = 1232, each class a quarter (924 in train).
#   test trace: 230 s x 2000 Hz = 460000 rows; label 1 in [40,80), [110,140),
#   [170,200) s: (40 + 30 + 30) s x 2000 = 200000 rows.
#   temperature: 230 rows at 1 Hz; the first above 85 degC is at 66 s
#   (60 + 32 x 16/20 = 85.6; 65 s gives 84.0, noise is +-0.1).
#   model: input INT8 [1,10]; FULLY_CONNECTED, FULLY_CONNECTED, SOFTMAX;
#   output scale 1/256 = 0.00390625, zero point -128 (TFLite's int8 softmax).
# Required quality (a design choice, not a measurement): int8 accuracy on
# the training vectors >= 0.90, and within 0.02 of the float model's.
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${BUILD:-$root/build}
dir=$BUILD/examples/bearing
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
bad() { echo "FAIL: $*"; fail=1; }

# Under `make test` the parent's MAKEFLAGS name a jobserver we do not have.
MAKEFLAGS=$(printf '%s' "${MAKEFLAGS:-}" | sed 's/--jobserver-[a-z]*=[^ ]*//g; s/ -j[0-9]*//g') \
    make -C "$root" --no-print-directory -s BUILD="$BUILD" bearing >"$tmp/make.log" 2>&1 ||
    { cat "$tmp/make.log"; echo "FAIL: make bearing"; exit 1; }

# --- data: counts and labels
rows() { awk 'END { print NR - 1 }' "$1"; }
[ "$(rows "$dir/train.csv")" = 3696 ] || bad "train.csv has $(rows "$dir/train.csv") vectors, expected 3696"
[ "$(rows "$dir/valid.csv")" = 1232 ] || bad "valid.csv has $(rows "$dir/valid.csv") vectors, expected 1232"
for c in 0 1 2 3; do
    n=$(awk -F, -v c=$c 'NR > 1 && $1 == c' "$dir/train.csv" | wc -l)
    [ "$n" -eq 924 ] || bad "train.csv: class $c has $n vectors, expected 924"
done
[ "$(head -1 "$dir/train.csv")" = "label,vrms,kurt,bands[0],bands[1],bands[2],bands[3],bands[4],bands[5],bands[6],bands[7]" ] ||
    bad "train.csv header: $(head -1 "$dir/train.csv")"
[ "$(rows "$dir/vib.csv")" = 460000 ] || bad "vib.csv has $(rows "$dir/vib.csv") rows, expected 460000"
n=$(awk -F, 'NR > 1 && $3 == 1' "$dir/vib.csv" | wc -l)
[ "$n" -eq 200000 ] || bad "vib.csv: $n faulty rows, expected 200000"
# label 1 exactly in the fault segments, condition as planned
awk -F, 'NR > 1 { t = $1 + 0; c = t < 40 ? 0 : t < 80 ? 2 : t < 110 ? 0 : t < 140 ? 1 : t < 170 ? 0 : t < 200 ? 3 : 0;
                  if ($4 != c || $3 != (c != 0)) { print "row " NR ": t=" $1 " label " $3 " condition " $4; exit 1 } }' \
    "$dir/vib.csv" || bad "vib.csv labels do not follow the plan"
[ "$(rows "$dir/temp.csv")" = 230 ] || bad "temp.csv has $(rows "$dir/temp.csv") rows, expected 230"
first=$(awk -F, 'NR > 1 && $2 > 85 { print $1; exit }' "$dir/temp.csv")
[ "$first" = 66 ] || bad "first temperature above 85 at ${first:-never}, expected 66"

# --- determinism: the same run gives the same bytes
mkdir -p "$tmp/again"
"$dir/gen_bearing" "$root/examples/bearing/bearing.cep" "$tmp/again" 2>/dev/null &&
    "$dir/train_bearing" "$tmp/again" 2>/dev/null || bad "regenerating into a temporary directory"
for f in train.csv valid.csv vib.csv temp.csv bearing.tflite train_q.bin; do
    cmp -s "$dir/$f" "$tmp/again/$f" || bad "$f differs between two runs"
done
# The features of the compiled rule file (model 0's input slots) equal those
# of an independent construction of the same window and features with the
# program builder: the lowering computes what the file says.
mkdir -p "$tmp/builder"
"$dir/gen_bearing" --builder "$root/examples/bearing/bearing.cep" "$tmp/builder" 2>/dev/null ||
    bad "gen_bearing --builder failed"
cmp -s "$tmp/again/train.csv" "$tmp/builder/train.csv" ||
    bad "train.csv from the rule file differs from the builder mirror's"

# --- the model, as the CLI sees it
"$TINYCEP" model inspect "$dir/bearing.tflite" >"$tmp/inspect" || bad "model inspect failed"
grep -q "INT8 \[1,10\] scale=" "$tmp/inspect" || bad "input is not INT8 [1,10]"
grep -q "'probabilities' INT8 \[1,4\] scale=0.00390625 zero_point=-128" "$tmp/inspect" ||
    bad "output is not INT8 [1,4] with scale 1/256 and zero point -128"
[ "$(grep -cE '^  [0-9]+: ' "$tmp/inspect")" -ge 3 ] || bad "expected 3 operators"
grep -q '^  0: FULLY_CONNECTED' "$tmp/inspect" && grep -q '^  1: FULLY_CONNECTED' "$tmp/inspect" &&
    grep -q '^  2: SOFTMAX' "$tmp/inspect" || bad "operators are not FULLY_CONNECTED, FULLY_CONNECTED, SOFTMAX"
grep -A1 '^unsupported:' "$tmp/inspect" | grep -q 'none' || bad "the model has unsupported parts"

"$TINYCEP" model run "$dir/bearing.tflite" --input "$dir/train_q.bin" --output "$tmp/out.bin" ||
    bad "model run failed"
# argmax (first largest) of each 4-byte output vector against the labels
od -An -v -td1 -w4 "$tmp/out.bin" | awk '{ b = 1; for (i = 2; i <= 4; i++) if ($i > $b) b = i; print b - 1 }' >"$tmp/pred"
[ "$(wc -l <"$tmp/pred")" -eq 3696 ] || bad "model run gave $(wc -l <"$tmp/pred") vectors, expected 3696"
acc=$(paste -d' ' "$tmp/pred" "$dir/train_labels.txt" | awk '$1 == $2 { ok++ } END { printf "%.4f", ok / NR }')
rep_int8=$(awk '/^accuracy int8  train/ { print $4 }' "$dir/train_report.txt")
rep_float=$(awk '/^accuracy float train/ { print $4 }' "$dir/train_report.txt")
echo "accuracy on the training vectors: float $rep_float, int8 $rep_int8 (train_bearing), int8 $acc (tinycep model run)"
[ "$acc" = "$rep_int8" ] || bad "model run accuracy $acc differs from train_bearing's int8 figure $rep_int8"
awk -v a="$acc" -v f="$rep_float" 'BEGIN { exit !(a >= 0.90 && a >= f - 0.02) }' ||
    bad "int8 accuracy $acc below 0.90 or more than 0.02 below float $rep_float"

[ $fail -eq 0 ] && echo "bearing_model: data, determinism and int8 model as expected"
exit $fail
