#!/bin/sh
# bench_ml.sh — per model in ../shared/models: host instructions per
# inference, MACs, arena and weight bytes, next to TFLM's figures.
#
# Instructions: valgrind --tool=callgrind on `tinycep model run` with one
# input vector (the first golden vector when there is one, else zeros), taking
# the inclusive cost of ml_model_run — the inference alone, without file
# reading, import and compilation.  TFLM's figures come from
# shared/BASELINES.md (x86-64 callgrind, reference kernels, g++ -O2) and the
# golden READMEs (arena_used_bytes, x86-64).  Our build: HOST_OPT (-O2 -g).
# Skips when ../shared or valgrind is absent.
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
shared=${TINYCEP_SHARED:-$root/../shared}
: "${TINYCEP:?TINYCEP must name the tinycep binary}"
if [ ! -d "$shared/models" ]; then
    echo "bench_ml: $shared/models is absent; skipping"; exit 0
fi
if ! command -v valgrind >/dev/null 2>&1 || ! command -v callgrind_annotate >/dev/null 2>&1; then
    echo "bench_ml: valgrind is not installed; skipping"; exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# TFLM callgrind instructions per inference from BASELINES.md, by short name.
tflm_instr() {
    sed -n 's/^hello_world \([0-9,]*\); micro_speech \([0-9,]*\); person_detect \([0-9,]*\)\..*/\1 \2 \3/p' \
        "$shared/BASELINES.md" | awk -v m="$1" '{
            if (m == "hello_world_int8") print $1;
            else if (m == "micro_speech_quantized") print $2;
            else if (m == "person_detect") print $3; }' | tr -d ,
}

printf '%-28s %12s %12s %10s %8s %8s %10s\n' model instr/inf TFLM-instr MACs arena TFLM-arena weights
for model in "$shared"/models/*/*.tflite; do
    name=$(basename "$model" .tflite)
    "$TINYCEP" model inspect "$model" >"$tmp/inspect" 2>&1 || continue
    macs=$(sed -n 's/^MACs per inference: //p' "$tmp/inspect")
    arena=$(sed -n 's/^arena (RAM): \([0-9]*\) bytes.*/\1/p' "$tmp/inspect")
    weights=$(sed -n 's/^weights (flash): \([0-9]*\) bytes const data + \([0-9]*\).*/\1+\2/p' "$tmp/inspect")
    # one input vector: the golden one, else zeros of the right size
    # the input vector size: the product of each input shape, summed
    vec=0
    for shape in $(sed -n '/^inputs:/,/^outputs:/s/^  [0-9]*: t[0-9]* .* \[\([0-9,]*\)\].*/\1/p' "$tmp/inspect"); do
        vec=$((vec + $(echo "$shape" | tr , '*')))
    done
    golden=$shared/golden/$name/inputs.bin
    if [ -f "$golden" ]; then
        head -c "$vec" "$golden" >"$tmp/in.bin"
    else
        head -c "$vec" /dev/zero >"$tmp/in.bin"
    fi
    valgrind --tool=callgrind --callgrind-out-file="$tmp/cg" "$TINYCEP" model run "$model" \
        --input "$tmp/in.bin" --output "$tmp/out.bin" >/dev/null 2>&1 || continue
    instr=$(callgrind_annotate --inclusive=yes "$tmp/cg" 2>/dev/null |
            awk '/:ml_model_run \[/ { gsub(",", "", $1); print $1; exit }')
    tflm_arena=""
    [ -f "$shared/golden/$name/README.txt" ] &&
        tflm_arena=$(sed -n 's/^TFLM greedy-planner arena.*: \([0-9]*\) bytes$/\1/p' \
                     "$shared/golden/$name/README.txt")
    printf '%-28s %12s %12s %10s %8s %8s %10s\n' "$name" "${instr:-?}" \
        "$(tflm_instr "$name")" "$macs" "$arena" "${tflm_arena:--}" "$weights"
done
echo "(instructions: x86-64 callgrind, inclusive cost of ml_model_run; TFLM: BASELINES.md;"
echo " weights: const data + op tables, bytes)"
