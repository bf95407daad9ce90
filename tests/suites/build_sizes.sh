#!/bin/sh
# build_sizes.sh — the compiler's static plan against the linker
# (DESIGN §3: RAM exact, and what the linker reports).  For every
# per-example firmware (examples/*/firmware.mk) on every target, from
# `arm-none-eabi-nm -S` of the linked image:
#   - the engine state buffer <module>_state is exactly the "engine state"
#     bytes of `tinycep check --report` (cep_state_size);
#   - the <module>_arena_* buffers add up to exactly its "model arenas";
#   - the fifteen program tables (<module>_inputs … <module>_strings) add up
#     to exactly its "program tables" (flash);
#   - the model tables (<module>_model_<name>_*, without the ml_model
#     header) add up to exactly its "models" (weights, op/tensor/io tables).
# The report's "program header" is sizeof(cep_program) on the host (64-bit
# pointers); the target's <module>_program is printed next to it, not
# compared.
. "$(dirname "$0")/firmware.inc"
fw_need arm-none-eabi-gcc arm-none-eabi-nm
TINYCEP=${TINYCEP:-$BUILD/tinycep}
NM=${ARM_NM:-arm-none-eabi-nm}

fw_make fw-images || { echo "FAIL: building the firmware images"; exit 1; }
fw_machines > "$fw_tmp/machines" || { echo "FAIL: make fw-print-machines"; exit 1; }

fail=0
n=0
tables="inputs windows features models events rules states trans exprs code msgparts names consts refs strings"
for args in "$BUILD"/fwgen/*/sim.args; do
    [ -f "$args" ] || continue
    dir=$(dirname "$args")
    name=$(basename "$dir")
    rules=$(head -1 "$args")
    (cd "$root" && "$TINYCEP" check --report "$rules") > "$fw_tmp/$name.report" 2>&1 ||
        { cat "$fw_tmp/$name.report"; echo "FAIL: $name: tinycep check --report"; fail=1; continue; }
    mod=$(sed -n 's/^module \([A-Za-z_][A-Za-z0-9_]*\): .*/\1/p' "$fw_tmp/$name.report" | head -1)
    [ -n "$mod" ] || { head -3 "$fw_tmp/$name.report"; echo "FAIL: $name: no module name in the report"; fail=1; continue; }
    ram_line=$(grep '^RAM ' "$fw_tmp/$name.report")
    flash_line=$(grep '^flash ' "$fw_tmp/$name.report")
    state=$(echo "$ram_line" | sed -n 's/.*engine state \([0-9]*\).*/\1/p')
    arenas=$(echo "$ram_line" | sed -n 's/.*model arenas \([0-9]*\).*/\1/p')
    ptables=$(echo "$flash_line" | sed -n 's/.*program tables \([0-9]*\).*/\1/p')
    header=$(echo "$flash_line" | sed -n 's/.*program header \([0-9]*\).*/\1/p')
    models=$(echo "$flash_line" | sed -n 's/.*models \([0-9]*\).*/\1/p')
    if [ -z "$state" ] || [ -z "$arenas" ] || [ -z "$ptables" ] || [ -z "$models" ]; then
        echo "$ram_line"; echo "$flash_line"
        echo "FAIL: $name: cannot read the report's RAM/flash lines"; fail=1; continue
    fi
    while read -r target machine; do
        elf=$BUILD/arm/$target/ex-$name.elf
        [ -e "$elf" ] || continue
        n=$((n + 1))
        "$NM" -S "$elf" > "$fw_tmp/$name.$target.nm"
        size_of() {   # symbol-name regex -> sum of sizes (decimal)
            awk -v re="^($1)\$" '
                function hex(h,   i, v) { v = 0; h = tolower(h)
                    for (i = 1; i <= length(h); i++) v = v * 16 + index("0123456789abcdef", substr(h, i, 1)) - 1
                    return v }
                $4 ~ re { s += hex($2) } END { print s + 0 }' "$fw_tmp/$name.$target.nm"
        }
        got_state=$(size_of "${mod}_state")
        got_arenas=$(size_of "${mod}_arena_.*")
        got_tables=$(size_of "${mod}_($(echo $tables | tr ' ' '|'))")
        got_models=$(size_of "${mod}_model_.*_(consts|io|op_inputs|ops|tensors)")
        got_header=$(size_of "${mod}_program")
        nstate=$(awk -v s="${mod}_state" '$4 == s' "$fw_tmp/$name.$target.nm" | wc -l)
        if [ "$nstate" -ne 1 ]; then
            echo "FAIL: $name on $target: $nstate symbols ${mod}_state in the image"; fail=1; continue
        fi
        ok=1
        [ "$got_state" -eq "$state" ] || { ok=0; echo "FAIL: $name on $target: ${mod}_state is $got_state bytes, the report says engine state $state"; }
        [ "$got_arenas" -eq "$arenas" ] || { ok=0; echo "FAIL: $name on $target: arenas $got_arenas bytes, the report says $arenas"; }
        [ "$got_tables" -eq "$ptables" ] || { ok=0; echo "FAIL: $name on $target: program tables $got_tables bytes, the report says $ptables"; }
        [ "$got_models" -eq "$models" ] || { ok=0; echo "FAIL: $name on $target: model tables $got_models bytes, the report says $models"; }
        if [ $ok -eq 1 ]; then
            echo "ok: $name on $target: RAM state $got_state + arenas $got_arenas, flash tables $got_tables + models $got_models = report (header: $got_header on target, $header on the host)"
        else
            fail=1
        fi
    done < "$fw_tmp/machines"
done
if [ $n -eq 0 ]; then
    echo "FAIL: no per-example firmware image to measure"
    exit 1
fi
exit $fail
