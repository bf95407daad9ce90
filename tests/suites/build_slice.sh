#!/bin/sh
# build_slice.sh — `tinycep build --slice` reproduces the simulator's replay
# on the awkward cases (docs/firmware.md, "The slice"), on the host (no
# cross toolchain needed): the generated module + slice + the replay driver
# (runtime/firmware/fw_replay.c) + the host platform (fw_host.c) must print
# exactly the alert lines of `tinycep sim --format lines` on the same traces.
# The traces below hold, on purpose:
#   - a NaN sample of an f32 input (the engine rejects it: left out, but
#     time advanced to it: a tick-only record at 0.3 s);
#   - a row earlier than the one before (RT_ERR_TIME: left out, no tick);
#   - an event-driven bool input repeating its value (not pushed), alone in
#     its trace, so that time advances with nothing pushed: tick-only
#     records at 2.0, 4.0, 5.5 and 7.0 s (at 0.45 s the unchanged door
#     shares its time with a sample of n, so no record of its own);
#   - a scaled i8 input whose values saturate (200 and -300 at scale 0.5);
#   - a `for` duration and a watchdog that fire on ticks, an edge and a
#     sequence.
# The expected alerts are the simulator's; that they are right is
# sim_golden's business.  Here the slice must agree, and the generator's
# own count of tick-only records must be the one derived by hand (5): the
# engine fires deadlines at their own times, so a missing tick would not
# show in these alerts (tried: dropping the tick-only records leaves them
# unchanged), and the count is what checks the records themselves.
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
TINYCEP=${TINYCEP:-$root/build/tinycep}
BUILD=${BUILD:-$root/build}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1

cat > sl.cep <<'EOF'
module sl;
input x    : f32 @ 10 Hz;
input door : bool;
input n    : i8 @ 1 Hz scale 0.5;
event hot    when x > 5 for 1 s;
event opened when door becomes true;
event big    when n > 60;
rule hot_r when hot alert warning "hot {x:.1f}";
rule silent when absent x for 2 s alert info "x silent";
rule open_then_hot when opened then hot within 10 s alert critical "opened then hot";
rule big_r when big alert info "n {n:.1f}";
EOF
printf 't_s,x\n0.0,1\n0.1,2\n0.2,6\n0.3,nan\n0.4,6.5\n0.5,7\n1.0,7\n1.2,8\n1.1,9\n1.5,3\n3.0,6\n3.3,6\n' > a.csv
printf 't_s,door\n0.05,0\n0.25,1\n0.45,1\n2.0,1\n4.0,1\n5.5,1\n6.0,0\n7.0,0\n8.0,1\n' > b.csv
printf 't_s,n\n0.0,10\n0.35,200\n0.45,-300\n6.05,140\n9.9,140\n' > c.csv

fail=0
"$TINYCEP" sim sl.cep --trace a.csv --trace b.csv --trace c.csv --format lines -q --no-progress > sim.txt ||
    { echo "FAIL: tinycep sim"; exit 1; }
"$TINYCEP" build -q sl.cep -o . || { echo "FAIL: tinycep build -o"; exit 1; }
"$TINYCEP" build sl.cep --slice slice.c --trace a.csv --trace b.csv --trace c.csv > gen.txt ||
    { cat gen.txt; echo "FAIL: tinycep build --slice"; exit 1; }
grep -q '(5 ticks)' gen.txt || { cat gen.txt; echo "FAIL: the slice should hold 5 tick-only records (0.3, 2.0, 4.0, 5.5, 7.0 s)"; fail=1; }
fw=$root/runtime/firmware
lib=$BUILD/libtinycep.a
[ -f "$lib" ] || { echo "FAIL: no $lib"; exit 1; }
# under `make sanitize` the library is instrumented: link with the same flags
# shellcheck disable=SC2086
if ! cc -std=c11 -Wall -Wextra -Werror -ffp-contract=off ${SAN_CFLAGS:-} -I"$root" -I. -o replay sl.c slice.c \
        "$fw/fw_replay.c" "$fw/fw_print.c" "$fw/fw_host.c" "$lib" -lm 2> cc.txt; then
    cat cc.txt; echo "FAIL: compiling the module and the slice for the host"; exit 1
fi
./replay > replay.txt || { cat replay.txt; echo "FAIL: the replay exited $?"; exit 1; }
grep -v '^# ' replay.txt > replay.alerts
if [ "$(wc -l < sim.txt)" -lt 5 ]; then
    cat sim.txt; echo "FAIL: the simulator gives fewer alerts than this test was written for"; fail=1
fi
if cmp -s sim.txt replay.alerts; then
    echo "ok: slice replay = tinycep sim: $(wc -l < sim.txt) alert lines (NaN, time going back, unchanged bool, tick-only records, saturation)"
else
    diff -u sim.txt replay.alerts
    echo "FAIL: the slice replay differs from tinycep sim (- sim, + slice)"; fail=1
fi
# errors: an unreadable trace is an I/O error (2), a trace that does not
# feed the inputs an input error (1), each with the file named
"$TINYCEP" build sl.cep --slice s2.c --trace a.csv --trace nosuch.csv > /dev/null 2> e1.txt; rc=$?
[ $rc -eq 2 ] && grep -q '^nosuch.csv: error: cannot open' e1.txt ||
    { cat e1.txt; echo "FAIL: a missing trace: exit $rc (want 2, naming the file)"; fail=1; }
"$TINYCEP" build sl.cep --slice s2.c --trace a.csv > /dev/null 2> e2.txt; rc=$?
[ $rc -eq 1 ] && grep -q "door" e2.txt ||
    { cat e2.txt; echo "FAIL: traces without input 'door': exit $rc (want 1, naming the input)"; fail=1; }
[ -e s2.c ] && { echo "FAIL: a failed --slice wrote its output"; fail=1; }
grep -q '^# replay sl records=[0-9]* inferences=0 errors=0$' replay.txt ||
    { grep '^# replay' replay.txt; echo "FAIL: the replay reports errors"; fail=1; }
exit $fail
