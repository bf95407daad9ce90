#!/bin/sh
# The checked module of each example, as printed by `tinycep check --dump`,
# must equal tests/golden/dump/NAME.dump: this pins what the lowering stage
# receives (resolved names, types, units, ms, capacities, pattern trees).
# The golden files were reviewed by hand against the examples (window
# capacities = ceil(duration x rate), durations in ms, model input sizes).
# UPDATE=1 rewrites them; review the diff before committing.
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root/examples" || exit 1
fail=0
for f in *.cep; do
    name=$(basename "$f" .cep)
    golden=$root/tests/golden/dump/$name.dump
    if [ "${UPDATE:-}" = 1 ]; then
        "$TINYCEP" check --dump "$f" > "$golden"; continue
    fi
    if "$TINYCEP" check --dump "$f" | diff -u "$golden" - ; then
        echo "ok   $name.dump"
    else
        echo "FAIL $name.dump differs"; fail=1
    fi
done
exit $fail
