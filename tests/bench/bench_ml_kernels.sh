#!/bin/sh
# bench_ml_kernels.sh — host instructions per int8 kernel call, per MAC (or
# per element), from valgrind --tool=callgrind on
# tests/bench/ml_kernels_driver.c, which runs each kernel once on a layer
# shaped like the bundled models' (see the driver).  One callgrind run per
# case; the figure is the inclusive cost of the ml_* kernel function: the
# kernel alone, without data set-up.  Host build, -O2; these are x86-64
# instructions, a guide to relative cost, not Cortex-M figures.
# Skips when valgrind is absent.
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
: "${BUILD:?BUILD must name the build directory}"
if ! command -v valgrind >/dev/null 2>&1 || ! command -v callgrind_annotate >/dev/null 2>&1; then
    echo "bench_ml_kernels: valgrind is not installed; skipping"; exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
${CC:-cc} -O2 -g -std=c11 -I"$root" -o "$tmp/driver" \
    "$root/tests/bench/ml_kernels_driver.c" "$BUILD/libtinycep.a" -lm || exit 1

printf '%-16s %-22s %12s %10s %10s\n' case kernel instructions work instr/unit
for case in conv_1x1 conv_3x3 depthwise_3x3 fully_connected avg_pool_3x3 \
            softmax add logistic; do
    case $case in
        conv_1x1|conv_3x3) fns=ml_conv_s8 ;;
        depthwise_3x3) fns=ml_depthwise_conv_s8 ;;
        fully_connected) fns=ml_fully_connected_s8 ;;
        avg_pool_3x3) fns=ml_avg_pool_s8 ;;
        softmax) fns=ml_softmax_s8 ;;
        add) fns=ml_add_s8 ;;
        logistic) fns="ml_logistic_s8 ml_lut_s8" ;;
    esac
    valgrind --tool=callgrind --callgrind-out-file="$tmp/cg" "$tmp/driver" "$case" \
        >"$tmp/out" 2>/dev/null || { echo "bench_ml_kernels: $case failed"; exit 1; }
    callgrind_annotate --inclusive=yes "$tmp/cg" >"$tmp/ann" 2>/dev/null
    work=$(awk 'NR == 1 { print $2 }' "$tmp/out")
    for fn in $fns; do
        instr=$(awk -v f="$fn" '$0 ~ (":" f " ") || $0 ~ (":" f "$") {
                    gsub(",", "", $1); print $1; exit }' "$tmp/ann")
        printf '%-16s %-22s %12s %10s %10s\n' "$case" "$fn" "${instr:-?}" "$work" \
            "$(awk -v i="${instr:-0}" -v w="$work" 'BEGIN { if (w > 0) printf "%.2f", i / w }')"
    done
done
echo "(work: MACs for conv/depthwise/FC, elements otherwise; x86-64 callgrind)"
