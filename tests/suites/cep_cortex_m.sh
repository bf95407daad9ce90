#!/bin/sh
# Same program, same trace, same alerts on the host and on Cortex-M: the
# C module emitted by test_cep_emit (build/tests/emit) and the engine
# sources are cross-compiled for Cortex-M4F (hardware single-precision FPU)
# and Cortex-M0+ (no FPU: soft-float), run under qemu-system-arm
# (mps2-an386, semihosting) on the same trace, and their output — every
# alert line with its rendered numbers and captured values, and the state
# size — must be byte-identical to the host build's.
# Skips (77) without arm-none-eabi-gcc, qemu-system-arm, or the files that
# test_cep_emit leaves in $BUILD/tests/emit.
set -u
build=${BUILD:-build}
root=$(cd "$(dirname "$0")/../.." && pwd)
emit="$build/tests/emit"
for tool in arm-none-eabi-gcc qemu-system-arm; do
    if ! command -v $tool >/dev/null 2>&1; then
        echo "cep_cortex_m: $tool not found, skipping"
        exit 77
    fi
done
if [ ! -f "$emit/emitted.c" ] || [ ! -x "$emit/runner" ] || [ ! -f "$emit/trace.bin" ]; then
    echo "cep_cortex_m: $emit has no emitted program (test_cep_emit did not run), skipping"
    exit 77
fi
newlib=$(dirname "$(arm-none-eabi-gcc -print-file-name=rdimon.specs)")
(cd "$emit" && ./runner trace.bin) > "$emit/host.txt" || { echo "cep_cortex_m: host runner failed"; exit 1; }
status=0
for target in m4f m0plus; do
    case $target in
        m4f)    flags="-mcpu=cortex-m4 -mthumb -mfloat-abi=hard -mfpu=fpv4-sp-d16"; multi=thumb/v7e-m+fp/hard ;;
        m0plus) flags="-mcpu=cortex-m0plus -mthumb -mfloat-abi=soft"; multi=thumb/v6-m/nofp ;;
    esac
    crt0="$newlib/$multi/rdimon-crt0.o"
    [ -f "$crt0" ] || crt0=$(arm-none-eabi-gcc $flags -print-file-name=rdimon-crt0.o)
    # shellcheck disable=SC2086
    if ! arm-none-eabi-gcc $flags -O2 -std=c11 -ffp-contract=off -I"$root" --specs=rdimon.specs \
            -T "$root/tests/suites/cortex_m/link.ld" -nostartfiles "$crt0" \
            "$root/tests/suites/cortex_m/startup.c" "$emit/runner.c" "$emit/emitted.c" \
            "$root"/cep/*.c "$root"/runtime/*.c -lm -o "$emit/runner-$target.elf" 2>"$emit/$target.log"; then
        echo "cep_cortex_m: $target build failed:"; tail -5 "$emit/$target.log"; status=1; continue
    fi
    (cd "$emit" && timeout 300 qemu-system-arm -M mps2-an386 -nographic \
        -semihosting-config enable=on,target=native -kernel "runner-$target.elf" -append trace.bin) \
        > "$emit/$target.txt" 2>&1
    if cmp -s "$emit/$target.txt" "$emit/host.txt"; then
        echo "cep_cortex_m: $target: $(($(wc -l < "$emit/host.txt") - 1)) alerts and the state size identical to the host"
    else
        echo "cep_cortex_m: $target output differs from the host:"
        diff "$emit/$target.txt" "$emit/host.txt" | head -10
        status=1
    fi
done
exit $status
