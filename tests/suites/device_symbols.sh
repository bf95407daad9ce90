#!/bin/sh
# Device code owns no memory and prints nothing: the objects of cep/, ml/
# and runtime/ must not reference malloc, calloc, realloc, free, printf and
# friends, abort, or exit.  (sqrtf may appear: the only libm function device
# code may use, correctly rounded per IEEE 754.)
# Env: BUILD = the build directory (default: build).
set -u
build=${BUILD:-build}
objs=$(ls "$build"/obj/cep/*.o "$build"/obj/ml/*.o "$build"/obj/runtime/*.o 2>/dev/null)
if [ -z "$objs" ]; then
    echo "device_symbols: no device objects under $build/obj"
    exit 1
fi
if ! command -v nm >/dev/null 2>&1; then
    echo "device_symbols: nm not found, skipping"
    exit 77
fi
forbidden='^(malloc|calloc|realloc|free|aligned_alloc|printf|fprintf|sprintf|snprintf|vprintf|vfprintf|vsnprintf|puts|fputs|putchar|abort|exit|_exit|__assert_fail|__printf_chk|__fprintf_chk|__sprintf_chk|__snprintf_chk)$'
bad=0
for o in $objs; do
    syms=$(nm -u "$o" | awk '{print $NF}' | grep -E "$forbidden")
    if [ -n "$syms" ]; then
        echo "device_symbols: $o references: $syms"
        bad=1
    fi
done
n=$(echo "$objs" | wc -w)
[ $bad -eq 0 ] && echo "device_symbols: $n device objects, no heap/stdio/abort references"
exit $bad
