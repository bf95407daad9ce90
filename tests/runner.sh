#!/bin/sh
# Runs test executables (cmocka binaries) and suite scripts (*.sh), one after
# another, and ends with the plain summary line "tests: N passed, N failed,
# N skipped".  Exit status 77 from a test means "skipped" (with its reason
# printed by the test itself, e.g. ../shared absent).  Exits non-zero if
# anything failed.
set -u
pass=0 fail=0 skip=0 failed=""
for t in "$@"; do
    name=$(basename "$t")
    echo "=== $name"
    case $t in
        *.sh) sh "$t" ;;
        *)    "$t" ;;
    esac
    rc=$?
    case $rc in
        0)  pass=$((pass + 1)) ;;
        77) skip=$((skip + 1)); echo "--- $name: skipped" ;;
        *)  fail=$((fail + 1)); failed="$failed $name"; echo "--- $name: FAILED (exit $rc)" ;;
    esac
done
echo
[ -n "$failed" ] && echo "failed:$failed"
echo "tests: $pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]
