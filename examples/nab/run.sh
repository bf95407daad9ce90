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

set -u

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
rules="$here/nab.cep"
tinycep=${TINYCEP:-$root/build/tinycep}

usage() {
    echo "usage: $0 [-o OUTDIR] [--plot] [-w WINDOWS.json] [-p PROFILE] SERIES.csv..." >&2
    echo "  replays each NAB series through $rules; PROFILE: standard (default)," >&2
    echo "  reward_low_FP_rate, reward_low_FN_rate; OUTDIR (default: a new temporary" >&2
    echo "  directory) gets <name>.alerts.jsonl and <name>.metrics.json" >&2
    exit 2
}

outdir=
plot=
windows=
profile=standard
hold=until-normal
while [ $# -gt 0 ]; do
    case $1 in
    -o) [ $# -ge 2 ] || usage; outdir=$2; shift 2 ;;
    --plot) plot=1; shift ;;
    -w) [ $# -ge 2 ] || usage; windows=$2; shift 2 ;;
    -p) [ $# -ge 2 ] || usage; profile=$2; shift 2 ;;
    -h|--help) usage ;;
    --) shift; break ;;
    -*) echo "$0: unknown option '$1'" >&2; usage ;;
    *) break ;;
    esac
done
[ $# -ge 1 ] || usage

if [ ! -x "$tinycep" ]; then
    echo "$0: no tinycep binary at '$tinycep' (run 'make' in $root, or set TINYCEP)" >&2
    exit 1
fi
for t in "$@"; do
    if [ ! -r "$t" ] || [ -d "$t" ]; then
        echo "$0: cannot read trace '$t'" >&2
        exit 2
    fi
done
if [ -z "$outdir" ]; then
    outdir=$(mktemp -d "${TMPDIR:-/tmp}/tinycep-nab.XXXXXX") || exit 2
fi
mkdir -p "$outdir" || { echo "$0: cannot create '$outdir'" >&2; exit 2; }

# Sums metrics JSON lines (docs/scoring.md "--metrics-json"): mode=one prints
# one trace, mode=sum the pooled counts with every ratio recomputed.
summary='function get(k,    v) {
    if (match($0, "\"" k "\":[^,}]*")) {
        v = substr($0, RSTART + length(k) + 3, RLENGTH - length(k) - 3)
        return v
    }
    return "null"
}
function ratio(a, b) { return b > 0 ? sprintf("%.3f", a / b) : "n/a" }
function pct(a, b) { return b > 0 ? sprintf("%.1f %%", 100 * a / b) : "n/a" }
function line(tp, fp, fn, tn, ev, det, fa, dsum, al, nraw, nnull, nperf) {
    printf "  point-wise (hold %s): TP %d FP %d FN %d TN %d  precision %s  recall %s  F1 %s  FAR %s  MAR %s\n", \
        hold, tp, fp, fn, tn, ratio(tp, tp + fp), ratio(tp, tp + fn), \
        (2 * tp + fp + fn > 0 && tp + fn > 0) ? sprintf("%.3f", 2 * tp / (2 * tp + fp + fn)) : "n/a", \
        pct(fp, fp + tn), pct(fn, fn + tp)
    printf "  event-wise: %d events, %d detected, %d missed, %d false alarms, mean delay %s, %d alerts\n", \
        ev, det, ev - det, fa, ((det > 0) ? sprintf("%.3f s", dsum / det) : "n/a"), al
    if (nab)
        printf "  NAB (%s profile): score %s (raw %.3f, null %.3f, perfect %.3f)\n", prof, \
            ((nperf - nnull != 0) ? sprintf("%.2f", 100 * (nraw - nnull) / (nperf - nnull)) : "n/a"), nraw, nnull, nperf
}
{
    tp = get("tp"); fp = get("fp"); fn = get("fn"); tn = get("tn")
    ev = get("events"); det = get("detected"); fa = get("false_alarms"); al = get("alerts")
    d = get("mean_delay_s"); dsum = (d == "null") ? 0 : d * det
    nraw = get("nab_raw"); nnull = get("nab_null"); nperf = get("nab_perfect")
    if (nraw == "null") { nraw = 0; nnull = 0; nperf = 0 }
    if (mode == "one") {
        printf "%s:\n", name
        line(tp, fp, fn, tn, ev, det, fa, dsum, al, nraw, nnull, nperf)
    }
    Stp += tp; Sfp += fp; Sfn += fn; Stn += tn; Sev += ev; Sdet += det; Sfa += fa
    Sd += dsum; Sal += al; Sraw += nraw; Snull += nnull; Sperf += nperf; files++
}
END {
    if (mode == "sum") {
        printf "combined over %d labelled traces (counts summed, ratios recomputed from the sums):\n", files
        line(Stp, Sfp, Sfn, Stn, Sev, Sdet, Sfa, Sd, Sal, Sraw, Snull, Sperf)
    }
}'

stems=$(for t in "$@"; do b=$(basename "$t"); printf '%s\n' "${b%.csv}"; done)
name_of() {
    b=$(basename "$1"); s=${b%.csv}
    if [ "$(printf '%s\n' "$stems" | grep -cxF -- "$s")" -gt 1 ]; then
        printf '%s-%s\n' "$(basename "$(dirname "$1")")" "$s"
    else
        printf '%s\n' "$s"
    fi
}

status=0
echo "rules:  $rules"
echo "output: $outdir"
: > "$outdir/.scored"

for t in "$@"; do
    name=$(name_of "$t")
    alerts="$outdir/$name.alerts.jsonl"
    mfile="$outdir/$name.metrics.json"
    rm -f "$mfile"
    w=$windows
    [ -n "$w" ] || w="$(dirname "$(dirname "$t")")/combined_windows.json"
    if [ ! -r "$w" ]; then
        echo "$0: no label windows for '$t': '$w' is not readable (give -w WINDOWS.json)" >&2
        status=1
        continue
    fi
    "$tinycep" sim "$rules" --trace "$t" --label-windows "$w" --nab-profile "$profile" \
        --metrics-json "$mfile" ${plot:+--plot "$outdir/$name.svg"} --out "$alerts" -q
    rc=$?
    if [ $rc -ne 0 ]; then
        echo "$name: tinycep sim failed (exit $rc) on '$t'" >&2
        status=1
        continue
    fi
    printf '%s\n' "$mfile" >> "$outdir/.scored"
    awk -v mode=one -v name="$name" -v hold="$hold" -v nab=1 -v prof="$profile" "$summary" "$mfile"
done

if [ -s "$outdir/.scored" ]; then
    # One path per line; read back without splitting paths on spaces.
    set --
    while IFS= read -r f; do set -- "$@" "$f"; done < "$outdir/.scored"
    awk -v mode=sum -v hold="$hold" -v nab=1 -v prof="$profile" "$summary" "$@"
fi
rm -f "$outdir/.scored"
exit $status
