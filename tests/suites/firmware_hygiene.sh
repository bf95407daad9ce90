#!/bin/sh
# firmware_hygiene.sh — the device library's symbol check (STYLE.md
# "Memory"; runtime/firmware/check-symbols.sh, part of `make firmware`):
#   1. the real device objects, cross-built for every target, pass it;
#   2. it catches what it must: an object planted for the test that calls
#      malloc, printf and exit and multiplies doubles fails on M4F with each
#      symbol and the object named; on M0+ (soft-float everywhere, double
#      allowed) only the heap/stdio/exit symbols are reported;
#   3. a clean float-only object passes, so (2) is not a check that always
#      fails.
. "$(dirname "$0")/firmware.inc"
fw_need arm-none-eabi-gcc arm-none-eabi-nm

fail=0
check="$root/runtime/firmware/check-symbols.sh"

if fw_make fw-check-symbols > "$fw_tmp/real.txt" 2>&1; then
    echo "ok: $(tail -1 "$fw_tmp/real.txt")"
else
    echo "FAIL: device objects use forbidden symbols:"; cat "$fw_tmp/real.txt"; fail=1
fi

cat > "$fw_tmp/bad.c" <<'C'
#include <stdio.h>
#include <stdlib.h>
double bad_scale(volatile double *x);
double bad_scale(volatile double *x)
{
    char *p = malloc(16);
    if (p == NULL)
        exit(1);
    printf("%p\n", (void *)p);
    return *x * 1.5;
}
C
cat > "$fw_tmp/good.c" <<'C'
float good_scale(volatile float *x);
float good_scale(volatile float *x) { return *x * 1.5f; }
C

m4f=$(fw_make fw-print-cpu T=m4f)
m0plus=$(fw_make fw-print-cpu T=m0plus)
for t in m4f m0plus; do
    eval "cpu=\$$t"
    for f in bad good; do
        arm-none-eabi-gcc $cpu -Os -c "$fw_tmp/$f.c" -o "$fw_tmp/$f-$t.o" \
            || { echo "FAIL: compiling the planted $f object for $t"; exit 1; }
    done
done

expect_line() {   # file pattern what
    if grep -q "$2" "$1"; then echo "ok: reported: $3"
    else echo "FAIL: not reported: $3"; fail=1; fi
}

sh "$check" arm-none-eabi-nm m4f --no-double "$fw_tmp/bad-m4f.o" > "$fw_tmp/m4f.txt"
[ $? -eq 1 ] || { echo "FAIL: the check passed an object calling malloc (m4f)"; fail=1; }
cat "$fw_tmp/m4f.txt"
expect_line "$fw_tmp/m4f.txt" "^m4f: $fw_tmp/bad-m4f.o: forbidden symbol malloc (heap)$" "malloc on m4f"
expect_line "$fw_tmp/m4f.txt" "forbidden symbol printf (stdio)$" "printf on m4f"
expect_line "$fw_tmp/m4f.txt" "forbidden symbol exit (process exit)$" "exit on m4f"
expect_line "$fw_tmp/m4f.txt" "forbidden symbol __aeabi_dmul (double-precision soft-float)$" "__aeabi_dmul on m4f"

sh "$check" arm-none-eabi-nm m0plus "$fw_tmp/bad-m0plus.o" > "$fw_tmp/m0plus.txt"
[ $? -eq 1 ] || { echo "FAIL: the check passed an object calling malloc (m0plus)"; fail=1; }
expect_line "$fw_tmp/m0plus.txt" "^m0plus: $fw_tmp/bad-m0plus.o: forbidden symbol malloc (heap)$" "malloc on m0plus"
if grep -q "__aeabi_d" "$fw_tmp/m0plus.txt"; then
    echo "FAIL: double helpers reported on m0plus, where they are allowed"; fail=1
fi

for t in m4f m0plus; do
    if sh "$check" arm-none-eabi-nm $t --no-double "$fw_tmp/good-$t.o"; then
        echo "ok: float-only object passes on $t"
    else
        echo "FAIL: float-only object rejected on $t"; fail=1
    fi
done
exit $fail
