#!/bin/sh
# ml_emit.sh — `tinycep model emit-c` output is a working model.
#
# For the project's own models (tests/fuzz/seeds/tflite) and, when ../shared
# is present, every golden model: emit the C tables, compile them with the
# device warning set (-Werror) together with a small driver that runs
# ml_model_run over stdin vectors, and compare the bytes with
# `tinycep model run` (own models) or with TFLM's outputs.bin (golden models).
# Also checks that emitting twice gives identical text.
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root" || exit 1
: "${TINYCEP:?TINYCEP must name the tinycep binary}"
shared=${TINYCEP_SHARED:-$root/../shared}
CC=${CC:-cc}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cat >"$tmp/driver.c" <<'EOC'
/* reads whole input vectors on stdin, writes all outputs per vector */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ml/model.h"
extern const ml_model m;
int main(void)
{
    static uint32_t arena_words[(1u << 20) / 4];
    uint8_t *arena = (uint8_t *)arena_words;
    size_t vec = 0, i, sz;
    for (i = 0; i < m.n_inputs; i++)
        vec += m.tensors[m.inputs[i].tensor].size;
    if (m.arena_size > sizeof arena_words)
        return 3;
    for (;;) {
        for (i = 0; i < m.n_inputs; i++) {
            int8_t *p = ml_model_input(&m, arena, m.arena_size, (uint32_t)i, &sz);
            if (p == NULL)
                return 4;
            if (fread(p, 1, sz, stdin) != sz)
                return i == 0 && feof(stdin) ? 0 : 5;
        }
        if (ml_model_run(&m, arena, m.arena_size) != RT_OK)
            return 6;
        for (i = 0; i < m.n_outputs; i++) {
            const int8_t *p = ml_model_output(&m, arena, m.arena_size, (uint32_t)i, &sz);
            if (p == NULL || fwrite(p, 1, sz, stdout) != sz)
                return 7;
        }
    }
}
EOC
CFLAGS="-std=c11 -O1 -Wall -Wextra -Wshadow -Wconversion -Wdouble-promotion -Wvla -Wmissing-prototypes -Wstrict-prototypes -Wcast-qual -Wundef -Wcast-align -Werror -I$root"
fail=0
# The device code is compiled here with plain flags (not linked from
# $BUILD/libtinycep.a, which `make sanitize` builds with sanitizers).
mkdir -p "$tmp/dev"
for src in ml/*.c runtime/*.c; do
    obj=$tmp/dev/$(echo "$src" | tr / _).o
    $CC $CFLAGS -c "$src" -o "$obj" || { echo "FAIL: $src does not compile"; exit 1; }
done
# model input-file expected-output-file-or-empty
check() {
    name=$(basename "$1" .tflite)
    if ! "$TINYCEP" model emit-c "$1" --name m --output "$tmp/$name.c" ||
       ! "$TINYCEP" model emit-c "$1" --name m --output "$tmp/$name.again.c" ||
       ! cmp -s "$tmp/$name.c" "$tmp/$name.again.c"; then
        echo "FAIL $name: emit-c failed or is not deterministic"; fail=1; return
    fi
    if ! $CC $CFLAGS -c "$tmp/$name.c" -o "$tmp/$name.o"; then
        echo "FAIL $name: emitted C does not compile with the device flags"; fail=1; return
    fi
    if ! $CC -std=c11 -I"$root" "$tmp/driver.c" "$tmp/$name.o" "$tmp"/dev/*.o \
            -o "$tmp/$name.bin"; then
        echo "FAIL $name: driver does not link"; fail=1; return
    fi
    if ! "$tmp/$name.bin" <"$2" >"$tmp/$name.out"; then
        echo "FAIL $name: driver failed"; fail=1; return
    fi
    if [ -n "$3" ]; then
        expect=$3
    else
        "$TINYCEP" model run "$1" --input "$2" --output "$tmp/$name.expect" || {
            echo "FAIL $name: model run failed"; fail=1; return; }
        expect=$tmp/$name.expect
    fi
    if cmp "$tmp/$name.out" "$expect"; then
        echo "ok   $name: emitted C model gives the same $(($(wc -c <"$expect"))) output bytes"
    else
        echo "FAIL $name: emitted C model differs"; fail=1
    fi
}
# own models: 4 pseudo-random vectors (fixed bytes, so runs are repeatable)
for mdl in tests/fuzz/seeds/tflite/*.tflite; do
    vec=0
    for shape in $("$TINYCEP" model inspect "$mdl" |
                   sed -n '/^inputs:/,/^outputs:/s/^  [0-9]*: t[0-9]* .* \[\([0-9,]*\)\].*/\1/p'); do
        vec=$((vec + $(echo "$shape" | tr , '*')))
    done
    awk -v n=$((vec * 4)) 'BEGIN { x = 12345; for (i = 0; i < n; i++) {
        x = (x * 1103515245 + 12345) % 2147483648; printf "%c", int(x / 65536) % 256 } }' \
        </dev/null >"$tmp/in.bin"
    [ "$(($(wc -c <"$tmp/in.bin")))" = $((vec * 4)) ] || { echo "FAIL: input generation"; fail=1; continue; }
    check "$mdl" "$tmp/in.bin" ""
done
if [ -d "$shared/golden" ]; then
    for dir in "$shared"/golden/*/; do
        mdl=$dir$(sed -n 's/^model: //p' "$dir/README.txt")
        check "$mdl" "$dir/inputs.bin" "$dir/outputs.bin"
    done
else
    echo "ml_emit: $shared/golden is absent; golden models not checked"
fi
exit $fail
