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

set -u

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
rules="$here/cwru.cep"
tinycep=${TINYCEP:-$root/build/tinycep}

usage() {
    echo "usage: $0 [-o OUTDIR] [--plot] [-r RATE_HZ] RECORDING.csv..." >&2
    echo "  replays each recording through $rules (files named normal* are healthy," >&2
    echo "  all others faulty); OUTDIR (default: a new temporary directory) gets" >&2
    echo "  <name>.alerts.jsonl and <name>.metrics.json" >&2
    exit 2
}

outdir=
plot=
rate=12000
hold=until-normal
while [ $# -gt 0 ]; do
    case $1 in
    -o) [ $# -ge 2 ] || usage; outdir=$2; shift 2 ;;
    --plot) plot=1; shift ;;
    -r) [ $# -ge 2 ] || usage; rate=$2; shift 2 ;;
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
    outdir=$(mktemp -d "${TMPDIR:-/tmp}/tinycep-cwru.XXXXXX") || exit 2
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
    wfile="$outdir/$name.windows.json"
    rm -f "$mfile"
    case $(basename "$t") in
    [Nn][Oo][Rr][Mm][Aa][Ll]*) kind=healthy; printf '{"%s": []}\n' "$name" > "$wfile" ;;
    *) kind=fault; printf '{"%s": [[0, 1000000000]]}\n' "$name" > "$wfile" ;;
    esac
    "$tinycep" sim "$rules" --trace "$t" --rate "$rate" --map de=DE_g \
        --label-windows "$wfile" --label-key "$name" \
        --metrics-json "$mfile" ${plot:+--plot "$outdir/$name.svg"} --out "$alerts" -q
    rc=$?
    if [ $rc -ne 0 ]; then
        echo "$name: tinycep sim failed (exit $rc) on '$t'" >&2
        status=1
        continue
    fi
    printf '%s\n' "$mfile" >> "$outdir/.scored"
    # First alert and alerts per rule, from the JSON lines.
    first=$(sed -n '1s/.*"t_s":\([0-9.-]*\).*/\1/p' "$alerts")
    rules_fired=$(sed -n 's/^{"rule":"\([^"]*\)".*/\1/p' "$alerts" | sort | uniq -c |
                  awk '{ printf "%s%s %d", (NR > 1 ? ", " : ""), $2, $1 }')
    if [ -n "$first" ]; then
        echo "$name ($kind): first alert at $first s; alerts: $rules_fired"
    else
        echo "$name ($kind): no alert"
    fi
done

if [ -s "$outdir/.scored" ]; then
    # One path per line; read back without splitting paths on spaces.
    set --
    while IFS= read -r f; do set -- "$@" "$f"; done < "$outdir/.scored"
    awk -v mode=sum -v hold="$hold" -v nab=0 "$summary" "$@"
fi
rm -f "$outdir/.scored"
exit $status
