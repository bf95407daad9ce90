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

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=examples/realdata.sh
. "$here/../realdata.sh"
rules="$here/skab.cep"

usage() {
    echo "usage: $0 [-o OUTDIR] [--plot] [--hold until-normal|DURATION] [--changepoints] TRACE.csv..." >&2
    echo "  replays each SKAB recording through $rules;" >&2
    echo "  OUTDIR (default: a new temporary directory) gets <name>.alerts.jsonl and <name>.metrics.json;" >&2
    echo "  --changepoints: score 60 s windows after each change point (NAB score) instead of 'anomaly'" >&2
    exit 2
}

hold=until-normal
cp=0
option() {
    case $1 in
    --hold) [ $# -ge 2 ] || usage; hold=$2; return 2 ;;
    --changepoints) cp=1; return 1 ;;
    *) return 0 ;;
    esac
}
rd_options "$@"
shift $rd_optind
rd_prepare skab "$@"

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

# The pump's channels, as the rules name them.
skab_map() {
    rd_sim --map acc1=Accelerometer1RMS --map acc2=Accelerometer2RMS \
        --map current=Current --map pressure=Pressure \
        --map fluid=Thermocouple --map 'flow=Volume Flow RateRMS' "$@"
}

trace_prepare() {
    # Labelled when the header has an `anomaly` column.
    if head -n 1 "$1" | tr -d '\r' | tr ';,\t' '\n\n\n' | grep -qx anomaly; then
        labelled=1
    else
        labelled=0
    fi
    if [ $labelled = 1 ] && [ $cp = 1 ]; then
        awk -F';' -v name="$name" "$cpwindows" "$1" > "$outdir/$name.cp.json" || return 1
    fi
    return 0
}

trace_sim() {
    if [ $labelled = 1 ] && [ $cp = 1 ]; then
        skab_map --label-windows "$outdir/$name.cp.json" --label-key "$name" \
            --hold "$hold" --metrics-json "$mfile"
    elif [ $labelled = 1 ]; then
        skab_map --labels anomaly --hold "$hold" --metrics-json "$mfile"
    else
        skab_map
    fi
}

trace_report() {
    if [ $labelled = 1 ]; then
        rd_score "$hold" "$cp" standard
    else
        echo "$name: $(grep -c . "$alerts") alerts (no anomaly column: not scored)"
    fi
}

rd_run "$@"
rd_finish "$hold" "$cp" standard
