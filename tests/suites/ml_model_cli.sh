#!/bin/sh
# ml_model_cli.sh — `tinycep model` on the project's own models (no ../shared):
#   - inspect output of every tests/golden/ml/*.tflite and of the fuzz seeds
#     matches tests/golden/ml/<name>.inspect (reviewed by hand: shapes,
#     options, MACs, const bytes and the arena were recomputed on paper when
#     the golden files were written), exit 0 for supported models, 1 otherwise;
#   - usage and I/O errors exit 2, a bad input size exits 1, with the message.
# Regenerate a golden file only after reviewing the difference.
set -u
cd "$(dirname "$0")/../.." || exit 1
: "${TINYCEP:?TINYCEP must name the tinycep binary}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0

check_inspect() {   # model golden expected-exit
    "$TINYCEP" model inspect "$1" >"$tmp/out" 2>&1
    rc=$?
    if [ "$rc" != "$3" ]; then echo "FAIL inspect $1: exit $rc, expected $3"; fail=1; fi
    if ! diff -u "$2" "$tmp/out"; then echo "FAIL inspect $1: output differs"; fail=1; fi
}
for m in tests/fuzz/seeds/tflite/*.tflite; do
    check_inspect "$m" "tests/golden/ml/$(basename "$m" .tflite).inspect" 0
done
check_inspect tests/golden/ml/float32_fc.tflite tests/golden/ml/float32_fc.inspect 1
check_inspect tests/golden/ml/unsupported_ops.tflite tests/golden/ml/unsupported_ops.inspect 1

expect() {          # expected-exit expected-stderr-substring command...
    want=$1 msg=$2; shift 2
    "$@" >"$tmp/o" 2>"$tmp/e"
    rc=$?
    if [ "$rc" != "$want" ] || ! grep -qF -- "$msg" "$tmp/e"; then
        echo "FAIL: $* -> exit $rc (expected $want), stderr:"; cat "$tmp/e"; fail=1
    fi
}
seed=tests/fuzz/seeds/tflite/conv_dw_pool_fc_softmax.tflite
"$TINYCEP" model --help | grep -q '^usage: tinycep model inspect' || { echo "FAIL: --help"; fail=1; }
expect 2 "usage:" "$TINYCEP" model
expect 2 "unknown subcommand 'frob'" "$TINYCEP" model frob "$seed"
expect 2 "--input and --output are required" "$TINYCEP" model run "$seed"
expect 2 "cannot open $tmp/missing.tflite" "$TINYCEP" model inspect "$tmp/missing.tflite"
head -c 33 /dev/zero >"$tmp/in.bin"
expect 1 "33 bytes is not a whole number of input vectors of 32 bytes" \
    "$TINYCEP" model run "$seed" --input "$tmp/in.bin" --output "$tmp/out.bin"
printf 'TFL' >"$tmp/short.tflite"
expect 1 "truncated file: 3 bytes is too short for a .tflite header (8 bytes)" \
    "$TINYCEP" model inspect "$tmp/short.tflite"
# two whole vectors: outputs c (12 bytes) and sm (5 bytes) each
head -c 64 /dev/zero >"$tmp/in.bin"
if "$TINYCEP" model run "$seed" --input "$tmp/in.bin" --output "$tmp/out.bin"; then
    n=$(($(wc -c <"$tmp/out.bin")))
    [ "$n" = 34 ] || { echo "FAIL: run wrote $n bytes, expected 2 x 17"; fail=1; }
else
    echo "FAIL: run on two zero vectors"; fail=1
fi
[ "$fail" = 0 ] && echo "ml_model_cli: all checks passed"
exit $fail
