#!/bin/sh
# Every example rule file (examples/*.cep, examples/*/*.cep) and every ```cep
# block of docs/language.md lowers to a runtime program the engine accepts
# (`tinycep check --report --no-model-files` runs the whole lowering and
# cep_state_size).  Constructs the engine cannot run yet are listed below
# with the diagnostic they must give: an entry that starts lowering makes
# this suite fail, so the list cannot go stale.
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
fail=0 count=0

# file (relative to the repository) | text the diagnostic must contain
known=''

awk -v dir="$tmp" '
    /^```cep$/ { n++; out = sprintf("%s/ok%02d.cep", dir, n); next }
    /^```cep-error$/ { n++; out = ""; next }
    /^```/     { if (out) close(out); out = ""; next }
    out        { print > out }
' "$root/docs/language.md"

lower() { # label path
    count=$((count + 1))
    expect=$(printf '%s\n' "$known" | awk -F'|' -v f="$1" '$1 == f { print $2 }')
    "$TINYCEP" check --report --no-model-files "$2" >"$tmp/out" 2>&1
    rc=$?
    if [ -n "$expect" ]; then
        if [ $rc -eq 1 ] && grep -qF -- "$expect" "$tmp/out"; then
            echo "xfail $1: $expect"
        else
            echo "FAIL $1: expected the known diagnostic '$expect' (remove it from the list if it lowers now)"
            cat "$tmp/out"; fail=1
        fi
    elif [ $rc -eq 0 ]; then
        echo "ok   $1"
    else
        echo "FAIL $1 does not lower:"; cat "$tmp/out"; fail=1
    fi
}

for f in "$root"/examples/*.cep "$root"/examples/*/*.cep; do
    [ -e "$f" ] || continue
    lower "${f#"$root"/}" "$f"
done
for f in "$tmp"/ok*.cep; do
    [ -e "$f" ] || continue
    lower "docs/language.md#$(basename "$f" .cep)" "$f"
done
if [ $count -lt 10 ]; then echo "FAIL: only $count files lowered"; fail=1; fi
[ $fail -eq 0 ] && echo "lower_examples: $count files lower (or fail as listed)"
exit $fail
