#!/bin/sh
# run.sh — run the NAB rule set (nab.cep) over Numenta Anomaly Benchmark
# series, one simulator run per series, and print the NAB score and the
# other metrics summed over them.
#
#   examples/nab/run.sh [-o OUTDIR] [--plot] [-w WINDOWS.json] [-p PROFILE] SERIES.csv...
#
# Each SERIES is a NAB data file (`timestamp,value`, one row per 5 min).
# Its label windows come from WINDOWS.json, NAB's labels/combined_windows.json
# (default: combined_windows.json in the directory above the series' own, as
# in ../shared/data/nab); the key used is the one that is a suffix of the
# series' path ("artificialWithAnomaly/art_daily_jumpsup.csv").  A series
# whose key lists no window is scored too: its alerts are false positives.
# Each run is
#   tinycep sim nab.cep --trace SERIES --label-windows WINDOWS.json
# and writes OUTDIR/<name>.alerts.jsonl and OUTDIR/<name>.metrics.json
# (docs/scoring.md).  <name> is the file name without .csv (with its
# directory in front when two series share a file name).
#
# The combined summary sums the NAB raw, null and perfect scores and every
# count over the series (awk, from the per-series metrics files) and
# recomputes the NAB score 100·(raw − null)/(perfect − null) from the sums,
# which is how NAB scores a corpus; precision, F1 and the rest likewise.
#
# --plot also writes OUTDIR/<name>.svg: the inputs, every feature and model
# output the rules read, the alerts and the label windows.
#
# The tinycep binary is $TINYCEP, else the repository's build/tinycep.
# Exit status: 0 done, 1 a series or the rules could not be run, 2 usage.

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=examples/realdata.sh
. "$here/../realdata.sh"
rules="$here/nab.cep"

usage() {
    echo "usage: $0 [-o OUTDIR] [--plot] [-w WINDOWS.json] [-p PROFILE] SERIES.csv..." >&2
    echo "  replays each NAB series through $rules; PROFILE: standard (default)," >&2
    echo "  reward_low_FP_rate, reward_low_FN_rate; OUTDIR (default: a new temporary" >&2
    echo "  directory) gets <name>.alerts.jsonl and <name>.metrics.json" >&2
    exit 2
}

windows=
profile=standard
option() {
    case $1 in
    -w) [ $# -ge 2 ] || usage; windows=$2; return 2 ;;
    -p) [ $# -ge 2 ] || usage; profile=$2; return 2 ;;
    *) return 0 ;;
    esac
}
rd_options "$@"
shift $rd_optind
rd_prepare nab "$@"

trace_prepare() {
    w=$windows
    [ -n "$w" ] || w="$(dirname "$(dirname "$1")")/combined_windows.json"
    if [ ! -r "$w" ]; then
        echo "$0: no label windows for '$1': '$w' is not readable (give -w WINDOWS.json)" >&2
        return 1
    fi
}

trace_sim() {
    rd_sim --label-windows "$w" --nab-profile "$profile" --metrics-json "$mfile"
}

trace_report() {
    rd_score until-normal 1 "$profile"
}

rd_run "$@"
rd_finish until-normal 1 "$profile"
