#!/bin/sh
# The demo: check every example rule file and print what each declares.
# Later stages (lowering, simulation, firmware) extend this script.
# Env: TINYCEP = path of the tinycep binary (make demo sets it).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
tinycep=${TINYCEP:-$here/../build/tinycep}
for f in "$here"/*.cep; do
    echo "== tinycep check examples/$(basename "$f")"
    (cd "$here" && "$tinycep" check "$(basename "$f")")
    echo
done
