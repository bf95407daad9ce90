#!/bin/sh
# run.sh — run the CWRU bearing rule set (cwru.cep) over drive-end
# accelerometer recordings, one simulator run per recording, and print
# per-recording detection, time to the first alert, and the sums.
#
#   examples/cwru/run.sh [-o OUTDIR] [--plot] [-r RATE_HZ] RECORDING.csv...
#
# Each RECORDING is one single-column CSV (`DE_g`, in g) sampled at RATE_HZ
# (default 12000, the rate the rules' windows are sized for).  A recording
# whose file name starts with "normal" is a healthy bearing; any other is a
# faulty one, faulty from its first sample.  For each recording the script
# writes that as a label window (OUTDIR/<name>.windows.json: the whole
# recording for a fault, none for a healthy one), runs
#   tinycep sim cwru.cep --trace REC --rate RATE_HZ --map de=DE_g --label-windows ...
# and writes OUTDIR/<name>.alerts.jsonl and OUTDIR/<name>.metrics.json
# (docs/scoring.md).  Event-wise, a fault recording is detected when an
# alert fires in it, with the detection delay = time of the first alert; an
# alert on a healthy recording is a false alarm.  (Point-wise numbers are
# printed too, but with one class per file they only restate this.)
#
# The combined summary sums every count over the recordings (awk, from the
# per-recording metrics files) and recomputes the ratios from the sums.
#
# --plot also writes OUTDIR/<name>.svg: the inputs, every feature and model
# output the rules read, the alerts and the label windows.
#
# The tinycep binary is $TINYCEP, else the repository's build/tinycep.
# Exit status: 0 done, 1 a recording or the rules could not be run, 2 usage.

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=examples/realdata.sh
. "$here/../realdata.sh"
rules="$here/cwru.cep"

usage() {
    echo "usage: $0 [-o OUTDIR] [--plot] [-r RATE_HZ] RECORDING.csv..." >&2
    echo "  replays each recording through $rules (files named normal* are healthy," >&2
    echo "  all others faulty); OUTDIR (default: a new temporary directory) gets" >&2
    echo "  <name>.alerts.jsonl and <name>.metrics.json" >&2
    exit 2
}

rate=12000
option() {
    case $1 in
    -r) [ $# -ge 2 ] || usage; rate=$2; return 2 ;;
    *) return 0 ;;
    esac
}
rd_options "$@"
shift $rd_optind
rd_prepare cwru "$@"

trace_prepare() {
    wfile="$outdir/$name.windows.json"
    case $(basename "$1") in
    [Nn][Oo][Rr][Mm][Aa][Ll]*) kind=healthy; printf '{"%s": []}\n' "$name" > "$wfile" ;;
    *) kind=fault; printf '{"%s": [[0, 1000000000]]}\n' "$name" > "$wfile" ;;
    esac
    return 0 # as before: a windows file that cannot be written fails in tinycep sim
}

trace_sim() {
    rd_sim --rate "$rate" --map de=DE_g --label-windows "$wfile" --label-key "$name" \
        --metrics-json "$mfile"
}

trace_report() {
    rd_scored
    # First alert and alerts per rule, from the JSON lines.
    first=$(sed -n '1s/.*"t_s":\([0-9.-]*\).*/\1/p' "$alerts")
    rules_fired=$(sed -n 's/^{"rule":"\([^"]*\)".*/\1/p' "$alerts" | sort | uniq -c |
                  awk '{ printf "%s%s %d", (NR > 1 ? ", " : ""), $2, $1 }')
    if [ -n "$first" ]; then
        echo "$name ($kind): first alert at $first s; alerts: $rules_fired"
    else
        echo "$name ($kind): no alert"
    fi
}

rd_run "$@"
rd_finish until-normal 0 ""
