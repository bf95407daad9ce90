#!/bin/sh
# Inputs the front end must handle cleanly (issue 2, item 6): an empty file,
# binary garbage, a 10 MB file, 10,000-deep nesting of every nesting
# construct, a 1 MB line, NUL bytes, invalid UTF-8, CRLF line ends.  Each is
# generated here (nothing big is committed) and must give exit status 0 or 1
# — never a crash, a sanitizer report or exit 2 — with the expected message,
# within a time limit.  JSON output must be valid JSON even for garbage.
set -u
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0

# run NAME WANT_STATUS EXPECTED_SUBSTRING(or '') FILE
run() {
    name=$1 want=$2 pat=$3 file=$4
    timeout 20 "$TINYCEP" check "$file" > "$tmp/out" 2> "$tmp/err"
    rc=$?
    if [ "$rc" -ne "$want" ]; then
        echo "FAIL $name: exit $rc, expected $want"; head -c 600 "$tmp/err"; echo; fail=1; return
    fi
    if [ -n "$pat" ] && ! grep -qF -- "$pat" "$tmp/err" "$tmp/out"; then
        echo "FAIL $name: no '$pat' in the output"; head -c 600 "$tmp/err"; echo; fail=1; return
    fi
    if grep -q -e 'Sanitizer' -e 'runtime error' "$tmp/err"; then
        echo "FAIL $name: sanitizer report"; head -c 2000 "$tmp/err"; echo; fail=1; return
    fi
    if grep -q -e 'memory exhausted' -e 'syntax error' -e 'invalid character' "$tmp/err"; then
        echo "FAIL $name: bare parser message"; fail=1; return
    fi
    echo "ok   $name"
}

: > "$tmp/empty.cep"
run empty 0 "module empty" "$tmp/empty.cep"

# binary garbage: deterministic bytes 0..255 from an LCG, 256 KB
awk 'BEGIN { x = 12345; for (i = 0; i < 262144; i++) { x = (x * 1103515245 + 12345) % 2147483648;
      printf "%c", int(x / 65536) % 256 } }' LC_ALL=C > "$tmp/garbage.cep"
run garbage 1 "stopped after 50" "$tmp/garbage.cep"
timeout 20 "$TINYCEP" check --diagnostics json "$tmp/garbage.cep" > "$tmp/garbage.json" 2>/dev/null
if python3 -c 'import json,sys
n = 0
for line in open(sys.argv[1], encoding="utf-8"):
    o = json.loads(line); n += 1
    assert set(o) == {"file","line","col","end_col","severity","message","notes"}, o
assert n == 50, n' "$tmp/garbage.json"; then
    echo "ok   garbage-json"
else
    echo "FAIL garbage-json: not 50 valid JSON lines"; fail=1
fi

# 10 MB of valid declarations
awk 'BEGIN { print "input x : f32 @ 10 Hz;"; n = 0; i = 0;
      while (n < 10485760) { s = sprintf("event e%d when x > %d and x < %d for 1 s; // some padding text here", i, i, i + 5);
                             print s; n += length(s) + 1; i++ } }' > "$tmp/big.cep"
# (140,000 events parse and check; the engine's 16-bit tables cannot hold
# them, which the lowering reports at the first event beyond the limit)
run ten-megabytes 1 "too much expression code (limit is 65535 instructions)" "$tmp/big.cep"

# 10,000-deep nesting of each construct
deep() { # NAME PREFIX-UNIT SUFFIX-UNIT BODY HEAD TAIL
    awk -v p="$2" -v s="$3" -v b="$4" -v h="$5" -v t="$6" 'BEGIN { printf "%s", h;
        for (i = 0; i < 10000; i++) printf "%s", p; printf "%s", b;
        for (i = 0; i < 10000; i++) printf "%s", s; printf "%s\n", t }' > "$tmp/$1.cep"
    run "$1" 1 "nested too deeply (limit is 200)" "$tmp/$1.cep"
}
ev='input x : f32 @ 1 Hz;
event y when x > 1;
'
deep deep-parens '(' ')' 'x > 1' "${ev}event e when " ';'
deep deep-brackets '' '[0]' 'x' "${ev}event e when " ' > 1;'
deep deep-not 'not ' '' 'x > 1' "${ev}event e when " ';'
deep deep-minus '- ' '' 'x' "${ev}event e when " ' > 1;'
deep deep-sum 'x + ' '' 'x' "${ev}event e when " ' > 1;'
deep deep-labels 'a: ' '' 'y' "${ev}rule r when " ' alert info "m";'
deep deep-repeat '' '{1}' 'y' "${ev}rule r when " ' within 1 s alert info "m";'
deep deep-then 'y then ' '' 'y' "${ev}rule r when " ' within 1 s alert info "m";'
deep deep-within '(' ' within 1 s)' 'y' "${ev}rule r when " ' alert info "m";'
deep deep-members '' '.x' 'x' "${ev}event e when " ' > 1;'

# a 1 MB line with an error at its end: the excerpt is cut around the caret
awk 'BEGIN { printf "input x : f32 @ 1 Hz; event e when x > 1"; for (i = 0; i < 1048576; i++) printf " ";
      printf "and zz > 2;\n" }' > "$tmp/longline.cep"
run long-line 1 "undefined name 'zz'" "$tmp/longline.cep"
if [ "$(head -c 2000 "$tmp/err" | wc -c)" -ge 2000 ] || [ "$(wc -c < "$tmp/err")" -gt 1000 ]; then
    echo "FAIL long-line: the echoed line is not cut to an excerpt"; fail=1
fi

printf 'input x : f32;\000\000 event e when x > 1;\n' > "$tmp/nul.cep"
run nul-bytes 1 "invalid byte 0x00 (NUL)" "$tmp/nul.cep"
printf 'input x : f32; // caf\351\n"\300\257";\n' > "$tmp/utf8.cep"
run invalid-utf8 1 "invalid byte 0xe9 in comment (not UTF-8)" "$tmp/utf8.cep"
grep -qF "invalid byte 0xc0 in string (not UTF-8)" "$tmp/err" || { echo "FAIL invalid-utf8: overlong sequence not named"; fail=1; }
printf 'input x : f32 @ 1 Hz;\r\nevent e when x > 1\r\n  for 2 s;\r\nrule r when e alert info "e";\r\n' > "$tmp/crlf.cep"
run crlf 0 "rules     1: r" "$tmp/crlf.cep"
printf 'input x : f32 @ 1 Hz;\r\nevent e when x >\r\n  zz;\r\n' > "$tmp/crlf2.cep"
run crlf-error 1 "crlf2.cep:3:3: error: undefined name 'zz'" "$tmp/crlf2.cep"
if grep -q "$(printf '\r')" "$tmp/err"; then echo "FAIL crlf-error: a CR is echoed"; fail=1; fi

# usage and I/O errors exit 2
"$TINYCEP" check "$tmp/does-not-exist.cep" 2> "$tmp/err"; rc=$?
if [ $rc -eq 2 ] && grep -qF "does-not-exist.cep: error: cannot open: No such file or directory" "$tmp/err"; then
    echo "ok   missing-file"; else echo "FAIL missing-file: exit $rc"; cat "$tmp/err"; fail=1; fi
"$TINYCEP" check --bogus x.cep 2>/dev/null; rc=$?
[ $rc -eq 2 ] && echo "ok   bad-option" || { echo "FAIL bad-option: exit $rc"; fail=1; }
"$TINYCEP" check --help | grep -q -- '--diagnostics text|json' && echo "ok   help" || { echo "FAIL help"; fail=1; }
exit $fail
