#!/bin/sh
# realdata_nab.sh — the NAB example (examples/nab/run.sh) on the 11
# artificial NAB series in ../shared/data/nab keeps what docs/results.md
# reports.  Measured when the rule set was written: NAB score (standard
# profile, pooled over the 11 series) 81.30 (raw 3.756, null -6, perfect 6);
# 6 of 6 anomalies detected; 3 false alarms; no alert on the 5 series
# without anomaly.  Asserted with a margin: score >= 78, >= 5 detected,
# <= 4 false alarms, no alert on the anomaly-free series.  The test also
# recomputes the pooled score from the per-series raw/null/perfect fields
# and checks run.sh's figure against it.
# Skips (exit 77) when ../shared (or $TINYCEP_SHARED) is absent.
. "$(dirname "$0")/realdata.inc"
nab=$shared/data/nab
if [ ! -r "$nab/combined_windows.json" ]; then
    echo "realdata_nab: $nab is absent; skipping the NAB scores"
    exit 77
fi
rd_setup
sh "$root/examples/nab/run.sh" -o "$tmp/o" "$nab"/artificialWithAnomaly/*.csv \
    "$nab"/artificialNoAnomaly/*.csv > "$tmp/log" 2>&1 ||
    { echo "FAIL run.sh (exit $?)"; cat "$tmp/log"; exit 1; }
sed -n '/^combined/,$p' "$tmp/log"
score=$(sed -n '/^combined/,$s/.*NAB (standard profile): score \([0-9.-]*\).*/\1/p' "$tmp/log")
ew=$(sed -n '/^combined/,$p' "$tmp/log" | grep 'event-wise')
det=$(printf '%s\n' "$ew" | sed -n 's/.* \([0-9]*\) detected.*/\1/p')
fa=$(printf '%s\n' "$ew" | sed -n 's/.* \([0-9]*\) false alarms.*/\1/p')
recomputed=$(cat "$tmp"/o/*.metrics.json |
    sed 's/.*"nab_raw":\([-0-9.]*\),"nab_null":\([-0-9.]*\),"nab_perfect":\([-0-9.]*\),.*/\1 \2 \3/' |
    awk '{ r += $1; n += $2; p += $3 } END { printf "%.2f", 100 * (r - n) / (p - n) }')
check "11 series scored" "$(ls "$tmp"/o/*.metrics.json | wc -l) == 11"
check "pooled score $score = 100(raw-null)/(perfect-null) of the summed files ($recomputed)" "\"$score\" == \"$recomputed\""
check "NAB standard score $score >= 78" "$score >= 78"
check "$det of 6 anomalies detected (>= 5)" "$det >= 5"
check "$fa false alarms (<= 4)" "$fa <= 4"
n=$(cat "$tmp"/o/art_daily_no_noise.alerts.jsonl "$tmp"/o/art_daily_perfect_square_wave.alerts.jsonl \
        "$tmp"/o/art_daily_small_noise.alerts.jsonl "$tmp"/o/art_flatline.alerts.jsonl \
        "$tmp"/o/art_noisy.alerts.jsonl | grep -c .)
check "series without anomaly: $n alerts (0)" "$n == 0"
exit $fail
