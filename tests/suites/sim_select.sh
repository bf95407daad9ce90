#!/bin/sh
# The selection policies and match reporting of `select` (docs/language.md,
# "Options"; docs/program.md §8) end to end: rule file -> lowering ->
# engine -> `tinycep sim --format lines`, against alerts derived by hand.
#
# One input k at 10 Hz encodes the events: k = 1 is `a`, 10..19 is `b`
# with value k - 10, 20..29 is `c` with value k - 20; a 0 row between them
# makes each a fresh occurrence.  The trace: a@0.0, b(5)@0.2, b(1)@0.4,
# c(3)@0.6, c(6)@0.8.  Every rule is `a then x: b then y: c within 10 s
# where y > x` (c's value above b's), under four selections:
#  - next_first (the default): the run takes b(5) and ignores b(1); c(3)
#    fails the `where` (3 > 5 is false); c(6) completes: b 5 c 6 at 0.8.
#  - any_first: b(5) and b(1) each fork the run of a, giving [a b5] and
#    [a b1]; c(3) completes [a b1] only (3 > 1): b 1 c 3 at 0.6, and the
#    first-match report discards every run, so c(6) finds none.
#  - any_all: the same at 0.6, but the runs live on; c(6) completes [a b5]
#    and [a b1], oldest first: b 5 c 6, then b 1 c 6, at 0.8.
#  - next_all: one run [a b5]; c(6) completes it: b 5 c 6 at 0.8.
# Alerts of one time come in rule order.  `tinycep check` gives no warning
# for `select any` or `all` (they used to run as `next first`).
set -u
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1
fail=0

cat > sel.cep <<'EOF'
module sel;
input k : f32 @ 10 Hz;
event a when k == 1;
event b when k >= 10 and k < 20;
event c when k >= 20;
rule next_first
  when a then x: b then y: c within 10 s where y.k - 20 > x.k - 10
  alert info "b {x.k - 10:d} c {y.k - 20:d}";
rule any_first
  when a then x: b then y: c within 10 s where y.k - 20 > x.k - 10
  alert info "b {x.k - 10:d} c {y.k - 20:d}"
  select any first;
rule any_all
  when a then x: b then y: c within 10 s where y.k - 20 > x.k - 10
  alert info "b {x.k - 10:d} c {y.k - 20:d}"
  select any all;
rule next_all
  when a then x: b then y: c within 10 s where y.k - 20 > x.k - 10
  alert info "b {x.k - 10:d} c {y.k - 20:d}"
  select next all;
EOF
printf 't_s,k\n0.0,1\n0.1,0\n0.2,15\n0.3,0\n0.4,11\n0.5,0\n0.6,23\n0.7,0\n0.8,26\n0.9,0\n' > sel.csv
cat > want <<'EOF'
t=0.600s info any_first: b 1 c 3
t=0.600s info any_all: b 1 c 3
t=0.800s info next_first: b 5 c 6
t=0.800s info any_all: b 5 c 6
t=0.800s info any_all: b 1 c 6
t=0.800s info next_all: b 5 c 6
EOF

if ! "$TINYCEP" check -q sel.cep > check.out 2>&1; then
    cat check.out; echo "FAIL: tinycep check sel.cep"; exit 1
fi
if grep -q warning check.out; then
    cat check.out; echo "FAIL: tinycep check warns about select"; fail=1
fi
"$TINYCEP" sim sel.cep --trace sel.csv --format lines -q --no-progress > got 2> err
rc=$?
if [ $rc -ne 0 ]; then
    cat err; echo "FAIL: tinycep sim exited $rc"; exit 1
fi
if diff -u want got; then
    echo "ok: next/any x first/all: $(wc -l < got) alerts as derived"
else
    echo "FAIL: alerts differ (- derived, + tinycep sim)"; fail=1
fi
exit $fail
