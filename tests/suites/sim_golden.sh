#!/bin/sh
# `tinycep sim` on a hand-written rule file and two tiny hand-written traces
# (tests/golden/sim/small.cep, proc.csv, temp.csv): alerts (JSON lines and
# lines), the summary with --explain, and the scores, against golden files
# whose every number was derived by hand as follows.
#
# Replay: cep_tick(0), then records in time order (ties: proc.csv first,
# the trace given first); a tick whenever time advances.
#  - overheat: `temp > 80 for 2 s` holds from t=1 (82 degC), so its timer
#    completes at 3.000 s.  The tick to 3.000 (proc.csv's row at 3 comes
#    before temp.csv's) fires it before the 84 degC sample: "hot: 83.0 degC",
#    captured temp 83.
#  - shaking: az = 11.3 g is raw round(11.3 / 0.5) = round(22.6) = 23, i.e.
#    11.5 g > 10 at 3.000 s: "shake 11.5 g".  At 5 s az = 12 g again > 10,
#    but `limit 1 per 10 s` suppresses it (matches 2, suppressed 1).
#  - dry_run: valve (event-driven bool) is pushed at 0 (1) and at 4 (0) only
#    (8 unchanged rows not pushed); `becomes false` occurs at 4.000; flow 0.5
#    < 1 at 5.000, within 3 s: alert at 5.000 "flow 0.5 l/min".
#  - silent: temp's last accepted sample is at 4 s (the 3.5 s row that
#    follows it in temp.csv is older than the clock: RT_ERR_TIME, line 7);
#    the tick to 7.000 fires `absent temp for 3 s` at exactly 7.000.  The
#    nan at 8 s is rejected (RT_ERR_VALUE, line 8).
#  - reopen: `shut then opened within 1 min`: shut at 4 s starts a run that
#    is still waiting for `opened` at the end (--explain shows it, with the
#    valve's current value 0).
#  - frozen: `temp < 0` never holds: no alert; --explain says it never
#    matched and that `cold` occurred 0 times.
# Samples accepted: flow 10 + valve 2 + acc 10 + temp 6 = 28.
# Scores against proc.csv's anomaly column (rows 3, 4, 5 labelled 1), alerts
# at 3, 3, 5, 7 s:
#  - point-wise, hold until normal: the alerts at 3 s mark rows 3-5, the one
#    at 5 s row 5, the one at 7 s row 7: TP 3, FP 1, FN 0, TN 6; precision
#    0.75, recall 1, F1 6/7 = 0.857143, FAR 1/7 = 0.142857.
#  - event-wise: one event [3, 5] s detected at once (delay 0), the 7 s
#    alert is a false alarm.
#  - NAB (standard profile): probation floor(0.15*10) = 1 row; window rows
#    3..5 (w = 3), detected at its first row: +1; row 7 after the window:
#    0.11 * S((7-5)/(3-1)) = 0.11 * S(1) = -0.108528; raw 0.891472, null -1,
#    perfect 1, score 100 * 1.891472 / 2 = 94.5736.
#  - with --hold 1s: rows 3,4 / 5,6 / 7,8 marked: TP 3, FP 3, TN 4;
#    precision 0.5, F1 6/9 = 0.666667, FAR 3/7 = 0.428571.
#  - label windows {"data/proc.csv": [[3, 5]]} (seconds) give the same
#    labels, hence the same metrics as the column.
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
g=$root/tests/golden/sim
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$g" || exit 1
fail=0
check() {   # check NAME EXPECTED ACTUAL
    if diff -u "$2" "$3" > "$tmp/diff"; then echo "ok   $1"; else
        echo "FAIL $1"; cat "$tmp/diff"; fail=1; fi
}
sim() { "$TINYCEP" sim small.cep --map acc=ax,ay,az "$@"; }

sim --trace proc.csv --labels anomaly --trace temp.csv --explain \
    --metrics-json "$tmp/metrics.json" > "$tmp/out.json" 2> "$tmp/summary"
rc=$?
[ $rc -eq 0 ] || { echo "FAIL exit status $rc, expected 0"; fail=1; }
check "alerts as JSON lines" small.json "$tmp/out.json"
check "summary, explain and scores on stderr" small.summary "$tmp/summary"
check "--metrics-json" small.metrics.json "$tmp/metrics.json"

sim --trace proc.csv --trace temp.csv --format lines -q > "$tmp/out.lines" 2> "$tmp/err"
check "alerts as lines" small.lines "$tmp/out.lines"
check "--quiet prints nothing on stderr" /dev/null "$tmp/err"

sim --trace proc.csv --trace temp.csv --out "$tmp/out2.json" -q > "$tmp/stdout"
check "--out FILE" small.json "$tmp/out2.json"
check "--out leaves stdout empty" /dev/null "$tmp/stdout"

sim --trace proc.csv --labels anomaly --trace temp.csv -q --hold 1s \
    --metrics-json "$tmp/hold.json" > /dev/null
printf '%s\n' '{"samples":10,"alerts":4,"tp":3,"fp":3,"fn":0,"tn":4,"precision":0.500000,"recall":1.000000,"f1":0.666667,"far":0.428571,"mar":0.000000,"events":1,"detected":1,"missed":0,"false_alarms":1,"mean_delay_s":0.000,"nab_raw":0.891472,"nab_null":-1.000000,"nab_perfect":1.000000,"nab_score":94.5736}' > "$tmp/hold.expected"
check "--hold 1s" "$tmp/hold.expected" "$tmp/hold.json"

"$TINYCEP" sim small.cep proc.csv --map acc=ax,ay,az - --format lines -q < temp.csv > "$tmp/pos.lines"
check "bare trace names and '-' for standard input" small.lines "$tmp/pos.lines"

# trace options: the same proc.csv with ';', its time in ms in a column
# named "when"; and without a time column at --rate 1 (row i at i s).
# Options after a --trace apply to it; before the first --trace, to all.
awk -F, 'BEGIN { OFS = ";" } NR == 1 { $1 = "when" } NR > 1 { $1 = $1 * 1000 } { $1 = $1; print }' \
    proc.csv > "$tmp/semi.csv"
cut -d, -f2- proc.csv > "$tmp/norate.csv"
sim --trace "$tmp/semi.csv" --sep ';' --time-col when --time-unit ms --trace temp.csv \
    --format lines -q > "$tmp/semi.lines"
check "--sep, --time-col, --time-unit on one trace" small.lines "$tmp/semi.lines"
sim --trace "$tmp/norate.csv" --rate 1 --trace temp.csv --format lines -q > "$tmp/rate.lines"
check "--rate on one trace" small.lines "$tmp/rate.lines"
# both traces with milliseconds under the name t_s (read as seconds unless
# told): --time-unit ms before the first --trace must reach both
awk -F, 'BEGIN { OFS = "," } NR > 1 { $1 = $1 * 1000 } { print }' proc.csv > "$tmp/pms.csv"
awk -F, 'BEGIN { OFS = "," } NR > 1 { $1 = $1 * 1000 } { print }' temp.csv > "$tmp/tms.csv"
sim --time-unit ms --trace "$tmp/pms.csv" --trace "$tmp/tms.csv" --format lines -q > "$tmp/def.lines"
check "trace options before --trace apply to every trace" small.lines "$tmp/def.lines"

# date-time stamps: the same traces from 2020-03-09T10:14:30Z; every alert
# and event then also carries its UTC time (origin + t_s)
iso='BEGIN { OFS = "," } NR == 1 { $1 = "timestamp" }
     NR > 1 { ms = $1 * 1000; $1 = sprintf("2020-03-09T10:14:%02d.%03dZ", 30 + int(ms / 1000), ms % 1000) }
     { print }'
awk -F, "$iso" proc.csv > "$tmp/piso.csv"
awk -F, "$iso" temp.csv > "$tmp/tiso.csv"
sim --trace "$tmp/piso.csv" --trace "$tmp/tiso.csv" -q > "$tmp/iso.json"
cat > "$tmp/iso.expected" <<'EOF'
{"rule":"overheat","severity":"critical","t_s":3.000,"time":"2020-03-09T10:14:33.000Z","message":"hot: 83.0 degC","events":[{"event":"hot","t_s":3.000,"time":"2020-03-09T10:14:33.000Z","values":{"temp":83}}]}
{"rule":"shaking","severity":"info","t_s":3.000,"time":"2020-03-09T10:14:33.000Z","message":"shake 11.5 g","events":[{"event":"shake","t_s":3.000,"time":"2020-03-09T10:14:33.000Z","values":{"acc.z":11.5}}]}
{"rule":"dry_run","severity":"warning","t_s":5.000,"time":"2020-03-09T10:14:35.000Z","message":"dry after the valve closed: flow 0.5 l/min","events":[{"event":"shut","t_s":4.000,"time":"2020-03-09T10:14:34.000Z","values":{"valve":0}},{"event":"dry","t_s":5.000,"time":"2020-03-09T10:14:35.000Z","values":{"flow":0.5}}]}
{"rule":"silent","severity":"warning","t_s":7.000,"time":"2020-03-09T10:14:37.000Z","message":"temperature silent","events":[{"event":"silent.absent.temp","t_s":7.000,"time":"2020-03-09T10:14:37.000Z","values":{}}]}
EOF
check "date-time traces: ISO times in the alerts" "$tmp/iso.expected" "$tmp/iso.json"

# a numeric time axis that starts at 100 s: alert times count from the
# stream origin (the same lines), and label windows in seconds on the
# trace's own axis ([103, 105]) are shifted by the origin (the same scores)
awk -F, 'BEGIN { OFS = "," } NR > 1 { $1 = $1 + 100 } { print }' proc.csv > "$tmp/p100.csv"
awk -F, 'BEGIN { OFS = "," } NR > 1 { $1 = $1 + 100 } { print }' temp.csv > "$tmp/t100.csv"
printf '{"p100.csv": [[103, 105]]}\n' > "$tmp/w100.json"
sim --trace "$tmp/p100.csv" --label-windows "$tmp/w100.json" --trace "$tmp/t100.csv" \
    --format lines -q --metrics-json "$tmp/m100.json" > "$tmp/o100.lines"
check "time axis from 100 s: alert times from the origin" small.lines "$tmp/o100.lines"
check "time axis from 100 s: label windows on the trace's axis" small.metrics.json "$tmp/m100.json"

printf '{"data/proc.csv": [[3, 5]], "other/proc.csv": [[1, 2]]}\n' > "$tmp/windows.json"
sim --trace proc.csv --label-windows "$tmp/windows.json" --label-key data/proc.csv \
    --trace temp.csv -q --metrics-json "$tmp/win.json" > /dev/null
check "--label-windows with --label-key" small.metrics.json "$tmp/win.json"

exit $fail
