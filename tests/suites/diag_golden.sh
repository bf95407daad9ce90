#!/bin/sh
# Golden diagnostics: every case of tests/golden/diag/cases.src is checked
# with `tinycep check` (text on stderr, then --diagnostics json on stdout)
# and the output, with the exit status, must equal tests/golden/diag/
# cases.expected exactly.  UPDATE=1 rewrites cases.expected instead; review
# the diff before committing it.
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
src=$root/tests/golden/diag/cases.src
exp=$root/tests/golden/diag/cases.expected
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
: > "$tmp/bearing.tflite"

# split the cases: NAME.cep (printf cases through printf %b)
awk -v dir="$tmp" '
    /^%%CASE / { if (out) close(out); name = $2; out = dir "/" name ".raw";
                 print name " " ($3 == "printf" ? "printf" : "plain") >> (dir "/list"); next }
    /^#/ && !out { next }
    out { print > out }
' "$src"

: > "$tmp/actual"
while read -r name mode; do
    if [ "$mode" = printf ]; then
        # shellcheck disable=SC2059
        printf "$(cat "$tmp/$name.raw")" > "$tmp/$name.cep"
    else
        cp "$tmp/$name.raw" "$tmp/$name.cep"
    fi
    {
        echo "%%CASE $name"
        echo "%%TEXT"
        (cd "$tmp" && "$TINYCEP" check "$name.cep" 2>&1 >/dev/null); echo "exit $?"
        echo "%%JSON"
        (cd "$tmp" && "$TINYCEP" check --diagnostics json "$name.cep" 2>/dev/null); echo "exit $?"
    } >> "$tmp/actual"
done < "$tmp/list"

n=$(wc -l < "$tmp/list")
if [ "${UPDATE:-}" = 1 ]; then
    cp "$tmp/actual" "$exp"
    echo "diag_golden: rewrote $exp ($n cases)"
    exit 0
fi
if diff -u "$exp" "$tmp/actual" > "$tmp/diff"; then
    echo "diag_golden: $n cases match"
    exit 0
fi
head -80 "$tmp/diff"
echo "diag_golden: output differs from $exp (UPDATE=1 to rewrite after review)"
exit 1
