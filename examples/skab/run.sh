#!/bin/sh
# run.sh — run the SKAB rule set (skab.cep) over SKAB recordings, one
# simulator run per recording, and print the scores summed over them.
#
#   examples/skab/run.sh [-o OUTDIR] [--plot] [--hold until-normal|DURATION] [--changepoints] TRACE.csv...
#
# Each TRACE is one SKAB recording (';'-separated, a `datetime` column and
# the pump's channels; an `anomaly` 0/1 column when it is labelled).  Every
# recording is replayed on its own — the learned baseline starts afresh at
# its first row, as on a device switched on with the pump — with
#   tinycep sim skab.cep --trace TRACE --map INPUT=COLUMN... [--labels anomaly]
# which writes OUTDIR/<name>.alerts.jsonl and, when the trace is labelled,
# OUTDIR/<name>.metrics.json (docs/scoring.md; point-wise with the hold
# "until normal" unless --hold says otherwise).  <name> is the file name
# without .csv, prefixed with its directory when two traces share a file
# name (valve1-1, other-1).
#
# --changepoints scores SKAB's change-point leaderboard instead: label
# windows [cp, cp + 60 s] from the `changepoint` column, written to
# OUTDIR/<name>.cp.json (the end is the time of the last row within 60 s,
# which selects the same rows), scored with --label-windows: event-wise
# numbers and the NAB score (standard profile) per recording and pooled.
#
# The combined summary sums TP/FP/FN/TN, events, detections, false alarms,
# detection delays and alerts over the labelled recordings (awk, from the
# per-trace metrics files) and recomputes precision, recall, F1, FAR, MAR and
# the mean delay from the sums: pooled counts, as SKAB's evaluation computes
# them, not averages of per-file ratios.
#
# --plot also writes OUTDIR/<name>.svg: the inputs, every feature and model
# output the rules read, the alerts and the label windows.
#
# The tinycep binary is $TINYCEP, else the repository's build/tinycep.
# Exit status: 0 done, 1 a trace or the rules could not be run, 2 usage.

set -u

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
rules="$here/skab.cep"
tinycep=${TINYCEP:-$root/build/tinycep}

usage() {
    echo "usage: $0 [-o OUTDIR] [--plot] [--hold until-normal|DURATION] [--changepoints] TRACE.csv..." >&2
    echo "  replays each SKAB recording through $rules;" >&2
    echo "  OUTDIR (default: a new temporary directory) gets <name>.alerts.jsonl and <name>.metrics.json;" >&2
    echo "  --changepoints: score 60 s windows after each change point (NAB score) instead of 'anomaly'" >&2
    exit 2
}

outdir=
plot=
hold=until-normal
cp=0
while [ $# -gt 0 ]; do
    case $1 in
    -o) [ $# -ge 2 ] || usage; outdir=$2; shift 2 ;;
    --plot) plot=1; shift ;;
    --hold) [ $# -ge 2 ] || usage; hold=$2; shift 2 ;;
    --changepoints) cp=1; shift ;;
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
    outdir=$(mktemp -d "${TMPDIR:-/tmp}/tinycep-skab.XXXXXX") || exit 2
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

# Change-point windows of one SKAB file as NAB label windows: {"NAME": [[start, end], ...]}.
# Times are 'YYYY-MM-DD hh:mm:ss'; seconds are counted with days-from-civil
# so that a window may cross midnight or a month's end.
cpwindows='
function secs(s,    y, m, d, era, yoe, doy, doe) {
    y = substr(s, 1, 4) + 0; m = substr(s, 6, 2) + 0; d = substr(s, 9, 2) + 0
    if (m <= 2) y--
    era = int(y / 400); yoe = y - era * 400
    doy = int((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1
    doe = yoe * 365 + int(yoe / 4) - int(yoe / 100) + doy
    return (era * 146097 + doe) * 86400 + substr(s, 12, 2) * 3600 + substr(s, 15, 2) * 60 + substr(s, 18, 2)
}
NR == 1 {
    for (i = 1; i <= NF; i++) { h = $i; sub(/\r$/, "", h); if (h == "datetime") td = i; if (h == "changepoint") tc = i }
    if (!td || !tc) { print FILENAME ": no datetime or changepoint column" > "/dev/stderr"; exit 1 }
    next
}
{ n++; str[n] = $td; t[n] = secs($td); c = $tc; sub(/\r$/, "", c); cpr[n] = (c + 0 == 1) }
END {
    printf "{\"%s\": [", name
    sep = ""
    for (i = 1; i <= n; i++) {
        if (!cpr[i]) continue
        for (j = i; j < n && t[j + 1] <= t[i] + 60; j++) ;
        printf "%s[\"%s\", \"%s\"]", sep, str[i], str[j]; sep = ", "
    }
    print "]}"
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
    # Labelled when the header has an `anomaly` column.
    if head -n 1 "$t" | tr -d '\r' | tr ';,\t' '\n\n\n' | grep -qx anomaly; then
        labelled=1
    else
        labelled=0
    fi
    if [ $labelled = 1 ] && [ $cp = 1 ]; then
        awk -F';' -v name="$name" "$cpwindows" "$t" > "$outdir/$name.cp.json" || { status=1; continue; }
        "$tinycep" sim "$rules" --trace "$t" \
            --map acc1=Accelerometer1RMS --map acc2=Accelerometer2RMS \
            --map current=Current --map pressure=Pressure \
            --map fluid=Thermocouple --map 'flow=Volume Flow RateRMS' \
            --label-windows "$outdir/$name.cp.json" --label-key "$name" \
            --hold "$hold" --metrics-json "$mfile" ${plot:+--plot "$outdir/$name.svg"} --out "$alerts" -q
    elif [ $labelled = 1 ]; then
        "$tinycep" sim "$rules" --trace "$t" \
            --map acc1=Accelerometer1RMS --map acc2=Accelerometer2RMS \
            --map current=Current --map pressure=Pressure \
            --map fluid=Thermocouple --map 'flow=Volume Flow RateRMS' \
            --labels anomaly --hold "$hold" --metrics-json "$mfile" \
            ${plot:+--plot "$outdir/$name.svg"} --out "$alerts" -q
    else
        "$tinycep" sim "$rules" --trace "$t" \
            --map acc1=Accelerometer1RMS --map acc2=Accelerometer2RMS \
            --map current=Current --map pressure=Pressure \
            --map fluid=Thermocouple --map 'flow=Volume Flow RateRMS' \
            ${plot:+--plot "$outdir/$name.svg"} --out "$alerts" -q
    fi
    rc=$?
    if [ $rc -ne 0 ]; then
        echo "$name: tinycep sim failed (exit $rc) on '$t'" >&2
        status=1
        continue
    fi
    if [ $labelled = 1 ]; then
        printf '%s\n' "$mfile" >> "$outdir/.scored"
        awk -v mode=one -v name="$name" -v hold="$hold" -v nab="$cp" -v prof=standard "$summary" "$mfile"
    else
        echo "$name: $(grep -c . "$alerts") alerts (no anomaly column: not scored)"
    fi
done

if [ -s "$outdir/.scored" ]; then
    # One path per line; read them back without word splitting on spaces.
    set --
    while IFS= read -r f; do set -- "$@" "$f"; done < "$outdir/.scored"
    awk -v mode=sum -v hold="$hold" -v nab="$cp" -v prof=standard "$summary" "$@"
fi
rm -f "$outdir/.scored"
exit $status
