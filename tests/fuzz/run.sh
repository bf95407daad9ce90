#!/bin/sh
# Usage: run.sh SECONDS FUZZER...
# Runs each libFuzzer binary for SECONDS from its seeds: tests/fuzz/<name>.seeds
# lists seed paths (files or directories, one per line, relative to the repo).
# The regression inputs in tests/fuzz/regress/<name>/ are replayed first.
# Crashes are written to build/fuzz/crashes/<name>/ and fail the run.
set -u
secs=$1; shift
status=0
for f in "$@"; do
    name=$(basename "$f")
    corpus=$(dirname "$f")/corpus/$name
    crashes=$(dirname "$f")/crashes/$name
    mkdir -p "$corpus" "$crashes"
    seeds=""
    if [ -f "tests/fuzz/$name.seeds" ]; then
        while IFS= read -r s; do
            case $s in ''|'#'*) continue ;; esac
            for p in $s; do [ -e "$p" ] && seeds="$seeds $p"; done
        done < "tests/fuzz/$name.seeds"
    fi
    if [ -d "tests/fuzz/regress/$name" ] && [ -n "$(ls "tests/fuzz/regress/$name")" ]; then
        echo "fuzz: $name: replaying regressions"
        "$f" -runs=0 tests/fuzz/regress/$name/* >/dev/null 2>"$crashes/replay.log" || {
            echo "fuzz: $name: a regression input fails again:"; tail -30 "$crashes/replay.log"; status=1; continue; }
    fi
    echo "fuzz: $name for ${secs}s"
    # shellcheck disable=SC2086
    if ! "$f" -max_total_time="$secs" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
            -print_final_stats=1 -artifact_prefix="$crashes/" "$corpus" $seeds \
            >"$crashes/log" 2>&1; then
        echo "fuzz: $name: FAILED, artifacts in $crashes"; tail -40 "$crashes/log"; status=1
    else
        grep -E 'stat::number_of_executed_units|cov:' "$crashes/log" | tail -2
    fi
done
exit $status
