# realdata.sh — what the real-data examples (examples/skab, nab, cwru:
# run.sh) have in common: the command line, the checks on the binary, the
# traces and the output directory, the per-trace loop, and the summary that
# sums metrics files over traces.  Sourced, not run (POSIX sh):
#
#   here=$(cd "$(dirname "$0")" && pwd)
#   . "$here/../realdata.sh"
#
# The sourcing script must set `here` (its own directory, absolute) before
# sourcing, and `rules` (its .cep file) before rd_prepare.  Sourcing sets
# `set -u`, `root` (the repository) and `tinycep` ($TINYCEP, else
# root/build/tinycep).  The script must define these functions:
#
#   usage            print its help to stderr and exit 2;
#   option ARG...    called with the remaining words when the first is an
#                    option other than -o, --plot, -h/--help, --: handle it
#                    and return the number of words used (0: unknown option;
#                    call usage when its argument is missing);
#   trace_prepare T  before trace T is run (name, alerts, mfile, outdir are
#                    set): write what its run needs; return non-zero, having
#                    said why on stderr, to give up on T;
#   trace_sim T      run the simulator on T, usually through rd_sim, and
#                    return its exit status;
#   trace_report T   after a successful run: print T's line(s), usually with
#                    rd_score.
#
# Then it calls, in order:
#
#   rd_options "$@"; shift $rd_optind   options: sets outdir (-o) and plot
#                                       (--plot, 1 or empty)
#   rd_prepare DATASET "$@"   at least one trace, the binary, every trace
#                             readable, the output directory (default: a
#                             new tinycep-DATASET.XXXXXX under $TMPDIR);
#                             prints the rules and output lines
#   rd_run "$@"               every trace through the three functions
#   rd_finish HOLD NAB PROFILE   the pooled summary of every scored trace
#                                (rd_score's arguments), then exits: 0, or
#                                1 when a trace could not be run
#
# Exit status 2 for usage and for an unreadable trace or output directory, 1
# when the binary is missing.

set -u

root=$(cd "$here/../.." && pwd)
tinycep=${TINYCEP:-$root/build/tinycep}
outdir=
plot=
status=0

rd_options() {
    rd_optind=0
    while [ $# -gt 0 ]; do
        case $1 in
        -o) [ $# -ge 2 ] || usage; outdir=$2; shift 2; rd_optind=$((rd_optind + 2)) ;;
        --plot) plot=1; shift; rd_optind=$((rd_optind + 1)) ;;
        -h|--help) usage ;;
        --) shift; rd_optind=$((rd_optind + 1)); break ;;
        -*)
            option "$@"
            rd_n=$?
            if [ $rd_n -eq 0 ]; then
                echo "$0: unknown option '$1'" >&2
                usage
            fi
            shift $rd_n; rd_optind=$((rd_optind + rd_n)) ;;
        *) break ;;
        esac
    done
}

rd_prepare() {
    rd_dataset=$1
    shift
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
        outdir=$(mktemp -d "${TMPDIR:-/tmp}/tinycep-$rd_dataset.XXXXXX") || exit 2
    fi
    mkdir -p "$outdir" || { echo "$0: cannot create '$outdir'" >&2; exit 2; }
    rd_stems=$(for t in "$@"; do b=$(basename "$t"); printf '%s\n' "${b%.csv}"; done)
    echo "rules:  $rules"
    echo "output: $outdir"
    : > "$outdir/.scored"
}

# name_of TRACE: the file name without .csv, prefixed with its directory
# when two of the traces share a file name (valve1-1, other-1).
name_of() {
    b=$(basename "$1"); s=${b%.csv}
    if [ "$(printf '%s\n' "$rd_stems" | grep -cxF -- "$s")" -gt 1 ]; then
        printf '%s-%s\n' "$(basename "$(dirname "$1")")" "$s"
    else
        printf '%s\n' "$s"
    fi
}

rd_run() {
    for t in "$@"; do
        name=$(name_of "$t")
        alerts="$outdir/$name.alerts.jsonl"
        mfile="$outdir/$name.metrics.json"
        rm -f "$mfile"
        trace_prepare "$t" || { status=1; continue; }
        trace_sim "$t"
        rc=$?
        if [ $rc -ne 0 ]; then
            echo "$name: tinycep sim failed (exit $rc) on '$t'" >&2
            status=1
            continue
        fi
        trace_report "$t"
    done
}

# rd_sim ARG...: tinycep sim on the current trace with ARG..., the plot
# when --plot was given, alerts to $alerts.
rd_sim() {
    "$tinycep" sim "$rules" --trace "$t" "$@" ${plot:+--plot "$outdir/$name.svg"} --out "$alerts" -q
}

# Sums metrics JSON lines (docs/scoring.md "--metrics-json"): mode=one prints
# one trace, mode=sum the pooled counts with every ratio recomputed.
rd_summary='function get(k,    v) {
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

# rd_scored: count the current trace's metrics file in the pooled summary.
rd_scored() {
    printf '%s\n' "$mfile" >> "$outdir/.scored"
}

# rd_score HOLD NAB PROFILE: rd_scored, and print the trace's metrics: the
# point-wise line labelled with HOLD, the event-wise line, and the NAB
# score under PROFILE when NAB is 1.
rd_score() {
    rd_scored
    awk -v mode=one -v name="$name" -v hold="$1" -v nab="$2" -v prof="$3" "$rd_summary" "$mfile"
}

rd_finish() {
    if [ -s "$outdir/.scored" ]; then
        rd_hold=$1 rd_nab=$2 rd_prof=$3
        # One path per line; read them back without word splitting on spaces.
        set --
        while IFS= read -r f; do set -- "$@" "$f"; done < "$outdir/.scored"
        awk -v mode=sum -v hold="$rd_hold" -v nab="$rd_nab" -v prof="$rd_prof" "$rd_summary" "$@"
    fi
    rm -f "$outdir/.scored"
    exit $status
}
