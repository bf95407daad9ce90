#!/bin/sh
# Every example in docs/language.md is checked: each ```cep block is a whole
# file that must pass `tinycep check --no-model-files` (the documentation
# names .tflite files it does not ship; --no-model-files skips only the
# file-existence check).  Each ```cep-error block must fail with exit 1, and
# the text of every `// comment` in it must appear among the messages.
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
doc=$root/docs/language.md
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
awk -v dir="$tmp" '
    /^```cep-error$/ { n++; out = sprintf("%s/err%02d.cep", dir, n); next }
    /^```cep$/       { n++; out = sprintf("%s/ok%02d.cep", dir, n); next }
    /^```/           { if (out) close(out); out = ""; next }
    out              { print > out }
' "$doc"
fail=0 count=0
for f in "$tmp"/*.cep; do
    [ -e "$f" ] || continue
    count=$((count + 1))
    name=$(basename "$f" .cep)
    "$TINYCEP" check --no-model-files --quiet "$f" > "$tmp/out" 2>&1
    rc=$?
    case $name in
    ok*)
        if [ $rc -ne 0 ]; then
            echo "FAIL example $name of docs/language.md:"; sed 's/^/    /' "$f"; cat "$tmp/out"; fail=1
        fi ;;
    err*)
        if [ $rc -ne 1 ]; then
            echo "FAIL error example $name: exit $rc, expected 1"; fail=1; continue
        fi
        grep -o '// .*' "$f" | sed 's|^// ||' | while IFS= read -r msg; do
            grep -qF -- "$msg" "$tmp/out" || { echo "FAIL error example $name: no '$msg'"; cat "$tmp/out"; exit 1; }
        done || fail=1 ;;
    esac
done
if [ $count -lt 10 ]; then
    echo "FAIL: only $count examples found in docs/language.md"; fail=1
fi
[ $fail -eq 0 ] && echo "docs_examples: $count examples check as documented"
exit $fail
