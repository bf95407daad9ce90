#!/bin/sh
# ml_golden.sh — every golden model in ../shared/golden runs bit-exact.
#
# For each shared/golden/<model>/ (vectors made with TFLM reference kernels,
# see shared/models/MANIFEST.md §Golden):
#   - `tinycep model inspect` succeeds and reports no unsupported operator;
#   - the planned arena is no larger than TFLM's arena_used_bytes from the
#     model's README.txt, nor than the arena this planner reached when the
#     suite was written (a memory-size regression check; lower is fine);
#   - `tinycep model run` over inputs.bin reproduces outputs.bin byte for byte;
#   - --dump-layers reproduces every file listed in layers/index.csv (vector 0).
# Skips (exit 77) when ../shared (or $TINYCEP_SHARED) is absent.
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
shared=${TINYCEP_SHARED:-$root/../shared}
if [ ! -d "$shared/golden" ]; then
    echo "ml_golden: $shared/golden is absent; skipping the golden-model checks"
    exit 77
fi
: "${TINYCEP:?TINYCEP must name the tinycep binary}"
# arena bytes reached at the time of writing (tensor bytes only, 4-aligned)
planned_max() {
    case $1 in
        hello_world_int8) echo 32 ;;
        ei_continuous_motion_int8) echo 56 ;;
        micro_speech_quantized) echo 5960 ;;
        magic_wand_int8) echo 7168 ;;
        simple_add_model) echo 49152 ;;
        person_detect) echo 55296 ;;
        *) echo "" ;;
    esac
}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0 n=0
for dir in "$shared"/golden/*/; do
    name=$(basename "$dir")
    readme=$dir/README.txt
    [ -f "$readme" ] || continue
    model=$(sed -n 's/^model: //p' "$readme")
    model=$dir/$model
    tflm_arena=$(sed -n 's/^TFLM greedy-planner arena.*: \([0-9]*\) bytes$/\1/p' "$readme")
    n=$((n + 1))
    before=$fail
    if ! "$TINYCEP" model inspect "$model" >"$tmp/$name.inspect" 2>&1; then
        echo "FAIL $name: model inspect failed:"; cat "$tmp/$name.inspect"; fail=1; continue
    fi
    arena=$(sed -n 's/^arena (RAM): \([0-9]*\) bytes.*/\1/p' "$tmp/$name.inspect")
    if [ -z "$arena" ] || [ -z "$tflm_arena" ] || [ "$arena" -gt "$tflm_arena" ]; then
        echo "FAIL $name: arena ${arena:-?} bytes vs TFLM ${tflm_arena:-?}"; fail=1
    fi
    best=$(planned_max "$name")
    if [ -n "$best" ] && [ -n "$arena" ] && [ "$arena" -gt "$best" ]; then
        echo "FAIL $name: arena regressed to $arena bytes (was $best)"; fail=1
    fi
    mkdir -p "$tmp/$name"
    if ! "$TINYCEP" model run "$model" --input "$dir/inputs.bin" --output "$tmp/$name.out" \
            --dump-layers "$tmp/$name"; then
        echo "FAIL $name: model run failed"; fail=1; continue
    fi
    if ! cmp "$tmp/$name.out" "$dir/outputs.bin"; then
        echo "FAIL $name: outputs differ from TFLM's"; fail=1
    fi
    nl=0
    # index.csv: op_index,op_code,output_tensor,tensor_name,type,shape,file
    for layer in $(sed 1d "$dir/layers/index.csv" | awk -F, '{print $NF}'); do
        nl=$((nl + 1))
        if ! cmp -s "$tmp/$name/$layer" "$dir/layers/$layer"; then
            echo "FAIL $name: layer $layer differs (or is missing)"; fail=1; break
        fi
    done
    vecs=$(($(wc -c <"$dir/outputs.bin")))
    [ "$fail" = "$before" ] && echo "ok   $name: outputs ($vecs bytes) and $nl layers bit-exact; arena $arena bytes (TFLM $tflm_arena)"
done
if [ "$n" -eq 0 ]; then
    echo "ml_golden: no golden models found under $shared/golden"; exit 1
fi
exit $fail
