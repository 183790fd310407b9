#!/bin/sh
# tests/compare-tests.sh: bench/compare end to end: result files that bench/report writes from run files made here (the committed result's metrics), compared; verdicts and exit statuses checked.
#
# Usage: sh tests/compare-tests.sh    (HOST_BUILD=build/host-sanitize for the SANITIZE=1 tools)
# Needs $HOST_BUILD/bench/report and $HOST_BUILD/bench/compare (make bench-build); no KVM.
# The run files carry the metrics, units and medians of the committed result
# bench/results/20261125T002030Z-kvm_pvm.json, 5 runs with a scatter of +-0.4 %; a variant
# multiplies one metric's run medians by a factor. Each goes through bench/report, as a real
# run's output does, so the run_medians that compare tests are the report's own.
# Prints one line per check and "compare-tests: N passed, N failed".
set -u
cd "$(dirname "$0")/.." || exit 1

HOST_BUILD=${HOST_BUILD:-build/host}
REPORT=$HOST_BUILD/bench/report
COMPARE=$HOST_BUILD/bench/compare
COMMITTED=bench/results/20261125T002030Z-kvm_pvm.json
RUNS=5
SLOWER=1.5                 # the brief's regression: every run 1.5 times slower
SMALL=1.01                 # apart in every run, but under compare's 2 % minimum effect
JITTER="0.996 0.998 1 1.002 1.004" # one factor per run: scatter, the same in every file
passed=0
failed=0
TMP=$(mktemp -d) || exit 1
trap 'rm -rf "$TMP"' EXIT INT TERM

ok() { passed=$((passed + 1)); echo "ok   [compare] $1"; }
fail() { failed=$((failed + 1)); echo "FAIL [compare] $1"; }

for tool in "$REPORT" "$COMPARE"; do
	if [ ! -x "$tool" ]; then
		echo "compare-tests: $tool is not built (make bench-build)"
		echo "compare-tests: 0 passed, 1 failed"
		exit 1
	fi
done

# "NAME UNIT MEDIAN" for each metric of the committed result, from the layout report.c writes.
awk '/^    "[a-z0-9._-]+": \{$/ { name = $1; gsub(/[":]/, "", name) }
     /^      "unit": / { unit = $2; gsub(/[",]/, "", unit) }
     /^      "median": / { m = $2; gsub(/,/, "", m); print name, unit, m }' "$COMMITTED" >"$TMP/metrics"
NMETRICS=$(wc -l <"$TMP/metrics")
if [ "$NMETRICS" -ge 20 ]; then
	ok "the committed result has $NMETRICS metrics to build fixtures from"
else
	fail "only $NMETRICS metrics read from $COMMITTED: its layout changed?"
fi

# result NAME RUNS [METRIC FACTOR]: run files with every metric, METRIC's medians times
# FACTOR, through bench/report into $TMP/NAME/latest.json.
result() {
	dir=$TMP/$1
	mkdir -p "$dir"
	r=0
	for j in $JITTER; do
		r=$((r + 1))
		[ "$r" -le "$2" ] || break
		{
			echo "bench-info: platform=kvm_pvm tsc_khz=2596096"
			awk -v j="$j" -v target="${3:-}" -v factor="${4:-1}" '{
				v = $3 * j * ($1 == target ? factor : 1)
				printf "bench: %s unit=%s n=2001 median=%.6f min=%.6f\n", $1, $2, v, v
			}' "$TMP/metrics"
		} >"$dir/run$r.txt"
	done
	if ! "$REPORT" --no-plot --out "$dir" "$dir"/run*.txt >"$dir/report.out" 2>&1; then
		fail "bench/report on $1's runs: $(tail -n 1 "$dir/report.out")"
	fi
}

# compare_files NAME OLD NEW: bench/compare OLD NEW, its stdout, stderr and status in $TMP/NAME.*.
compare_files() {
	"$COMPARE" "$2" "$3" >"$TMP/$1.out" 2>"$TMP/$1.err"
	echo $? >"$TMP/$1.rc"
}

# expect NAME WHAT STATUS: compare's status was STATUS.
expect_rc() {
	rc=$(cat "$TMP/$1.rc")
	if [ "$rc" = "$3" ]; then ok "$2: exit $3"; else fail "$2: exit $rc, not $3: $(tail -n 2 "$TMP/$1.err" "$TMP/$1.out")"; fi
}

# has NAME WHAT FILE EREGEX: compare's FILE (out or err) has a line matching.
has() {
	if grep -Eq -- "$4" "$TMP/$1.$3"; then ok "$2"; else fail "$2: no line of $3 matches /$4/"; fi
}

hasnt() {
	if grep -Eq -- "$4" "$TMP/$1.$3"; then fail "$2: $(grep -E -- "$4" "$TMP/$1.$3" | head -n 1)"; else ok "$2"; fi
}

# A row: the metric, its unit, two medians, the ratio, then the verdict and the test.
row() { echo "^$(echo "$1" | sed 's/\./\\./g') +[A-Za-z%]+ +[-0-9.]+ +[-0-9.]+ +[-0-9.]+ +$2 +$3( |$)"; }
SUMMARY_RE='^compare: [0-9]+ slower, [0-9]+ faster, [0-9]+ same, [0-9]+ not judged, [0-9]+ only in OLD, [0-9]+ only in NEW$'

result base $RUNS
result slower $RUNS syscall.null $SLOWER
result faster $RUNS trap.bp "$(awk "BEGIN { print 1 / $SLOWER }")"
result small $RUNS syscall.null $SMALL
result vmm-slower $RUNS vmm.boot $SLOWER
result quick 2
result quick-slower 2 syscall.null $SLOWER
B=$TMP/base/latest.json

# The report writes each run's median, in order.
n=$(grep -c '"run_medians": \[[-0-9.e+]*, [-0-9.e+]*, [-0-9.e+]*, [-0-9.e+]*, [-0-9.e+]*\]' "$B")
if [ "$n" = "$NMETRICS" ]; then ok "bench/report wrote 5 run_medians for each of the $n metrics"; else fail "run_medians with 5 values for $n of $NMETRICS metrics"; fi

# (1) A file against itself: every metric the same.
compare_files self "$B" "$B"
expect_rc self "a result against itself" 0
has self "against itself: all $NMETRICS metrics the same" out "^compare: 0 slower, 0 faster, $NMETRICS same, 0 not judged, 0 only in OLD, 0 only in NEW$"
has self "against itself: the U test decided syscall.null, p=1" out "$(row syscall.null same mann-whitney) +p=1, 5 vs 5 runs$"

# (2) syscall.null 1.5 times slower in every run: exactly that one is slower.
compare_files slower "$B" "$TMP/slower/latest.json"
expect_rc slower "syscall.null 1.5x slower" 1
has slower "syscall.null is slower, decided by the U test at p=0.0079" out "$(row syscall.null slower mann-whitney) +p=0.0079, 5 vs 5 runs$"
has slower "its ratio is 1.500" out '^syscall\.null .* 1\.500  slower '
has slower "nothing else is slower, and the rest are the same" out "^compare: 1 slower, 0 faster, $((NMETRICS - 1)) same, 0 not judged"
has slower "syscall.getpid (unchanged) is the same" out "$(row syscall.getpid same mann-whitney)"

# A unit other than cycles: vmm.boot in us.
compare_files vmm-slower "$B" "$TMP/vmm-slower/latest.json"
expect_rc vmm-slower "vmm.boot (us) 1.5x slower" 1
has vmm-slower "vmm.boot is slower" out "$(row vmm.boot slower mann-whitney)"

# (3) trap.bp 1.5 times faster: faster, and that is no failure.
compare_files faster "$B" "$TMP/faster/latest.json"
expect_rc faster "trap.bp 1.5x faster" 0
has faster "trap.bp is faster" out "$(row trap.bp faster mann-whitney) +p=0.0079"
has faster "only trap.bp changed" out "^compare: 0 slower, 1 faster, $((NMETRICS - 1)) same, "
# And the other way round, the same files say slower.
compare_files faster-rev "$TMP/faster/latest.json" "$B"
expect_rc faster-rev "trap.bp 1.5x slower (the files swapped)" 1

# Significant but small: 1 % apart in every run is under the minimum effect.
compare_files small "$B" "$TMP/small/latest.json"
expect_rc small "syscall.null 1 % slower in every run" 0
has small "a 1 % change is the same, with the reason" out "$(row syscall.null same mann-whitney) +p=0.0079, 5 vs 5 runs; change \\+1\\.0% is under 2%$"

# Too few runs for the U test (2 against 2): the ranges decide, and say so.
compare_files quick "$TMP/quick/latest.json" "$TMP/quick-slower/latest.json"
expect_rc quick "2 runs against 2, syscall.null 1.5x slower" 1
has quick "the ranges decided, and the row says so" out "$(row syscall.null slower ranges) +2 vs 2 runs, too few for the U test: ranges apart$"
has quick "unchanged metrics are the same by their ranges" out "$(row trap.bp same ranges) +2 vs 2 runs, too few for the U test: ranges overlap$"
has quick "the header gives each file's runs and platform" out '^OLD .*/quick/latest\.json: 2 runs, [a-z_]+, '

# A metric in one file only.
grep -v '^bench: vmm.boot ' "$TMP/base/run1.txt" >"$TMP/drop.txt"
if "$REPORT" --no-plot --out "$TMP/drop" "$TMP/drop.txt" >/dev/null 2>&1; then
	compare_files drop "$TMP/drop/latest.json" "$TMP/quick/latest.json"
	has drop "a metric missing from OLD is only in NEW" out '^vmm\.boot +us +- +[0-9.]+ +- +only in NEW '
	compare_files drop-rev "$TMP/quick/latest.json" "$TMP/drop/latest.json"
	has drop-rev "a metric missing from NEW is only in OLD" out '^vmm\.boot +us +[0-9.]+ +- +- +only in OLD '
	compare_files one-run "$TMP/drop/latest.json" "$TMP/drop/latest.json"
	has one-run "1 run against 1: not judged, too few for any test" out "$(row syscall.null 'not judged' -) +1 vs 1 runs: too few for any test$"
else
	fail "bench/report on one run without vmm.boot"
fi

# A file from before run_medians (the committed one): shown, never judged, and said so.
compare_files old-schema "$COMMITTED" "$B"
expect_rc old-schema "a file without run_medians" 0
has old-schema "its rows are not judged, with the reason" out "$(row syscall.null 'not judged' -) +no per-run figures \\(run_medians\\) in OLD$"
has old-schema "every row is not judged" out "^compare: 0 slower, 0 faster, 0 same, $NMETRICS not judged, "
has old-schema "a warning that nothing was judged" err '^compare: warning: no metric could be judged'
has old-schema "the medians are still shown side by side" out '^syscall\.null +cycles +239980 +[0-9]+ +1\.000 +not judged'

# A unit compare does not know is not judged (no direction), rather than guessed.
sed 's/"unit": "KiB"/"unit": "bytes"/' "$B" >"$TMP/unit.json"
compare_files unit "$TMP/unit.json" "$TMP/unit.json"
has unit "an unknown unit is not judged" out "$(row vmm.rss_overhead 'not judged' -) +unit bytes: whether higher is worse is not known$"
compare_files unit2 "$B" "$TMP/unit.json"
has unit2 "a unit that changed is not judged" out "$(row vmm.rss_overhead 'not judged' -) +unit KiB in OLD, bytes in NEW$"

# (4) Malformed input: exit 2 and one line naming the file and what is wrong.
head -c 1000 "$B" >"$TMP/truncated.json"
echo "hello" >"$TMP/text.json"
sed 's/"schema": 1/"schema": 2/' "$B" >"$TMP/schema2.json"
# syscall.null's run medians changed: the file's median is no longer theirs.
awk '/^    "syscall\.null": \{$/ { in_m = 1 }
     in_m && /"run_medians"/ { sub(/\[.*\]/, "[1, 1, 1, 1, 1]"); in_m = 0 } { print }' "$B" >"$TMP/tampered.json"
awk '/"run_medians"/ && !done { sub(/\[[-0-9.e+]*, /, "["); done = 1 } { print }' "$B" >"$TMP/short.json"
awk 'BEGIN { for (i = 0; i < 100000; i++) printf "["; print "" }' >"$TMP/deep.json"
printf '{"schema": 1, "schema": 1}' >"$TMP/dup.json"
for bad in truncated:'byte [0-9]+: ' text:"byte 0: expected a value, found 'h'" \
	schema2:'byte [0-9]+: schema is not 1' tampered:'metrics\.syscall\.null: median is 239980, but the median of run_medians is 1$' \
	short:'metrics\.call\.null: run_medians has 4 values, but runs is 5' deep:'byte 32: nested deeper than 32' \
	dup:'duplicate key "schema"' missing:'No such file or directory'; do
	name=${bad%%:*}
	want=${bad#*:}
	compare_files "bad-$name" "$B" "$TMP/$name.json"
	expect_rc "bad-$name" "malformed input ($name)" 2
	lines=$(wc -l <"$TMP/bad-$name.err")
	if [ "$lines" = 1 ] && grep -Eq "^compare: $TMP/$name.json: .*$want" "$TMP/bad-$name.err"; then
		ok "malformed input ($name): one line naming the file: $(sed "s|$TMP/||" "$TMP/bad-$name.err")"
	else
		fail "malformed input ($name): $lines lines on stderr, wanted one matching /$want/: $(head -n 3 "$TMP/bad-$name.err")"
	fi
	if [ -s "$TMP/bad-$name.out" ]; then fail "malformed input ($name): a table was printed anyway"; fi
done

# Usage.
"$COMPARE" >"$TMP/usage.out" 2>"$TMP/usage.err"
rc=$?
if [ "$rc" = 2 ] && grep -q '^compare: need two files' "$TMP/usage.err"; then ok "no files: exit 2 with the reason"; else fail "no files: exit $rc: $(cat "$TMP/usage.err")"; fi
"$COMPARE" --bogus a b >/dev/null 2>"$TMP/usage.err"
rc=$?
if [ "$rc" = 2 ] && grep -q "^compare: unknown option '--bogus'" "$TMP/usage.err"; then ok "an unknown option: exit 2"; else fail "unknown option: exit $rc"; fi
"$COMPARE" --help >"$TMP/help.out" 2>&1
rc=$?
if [ "$rc" = 0 ] && grep -q '^exit status:' "$TMP/help.out" && grep -q '^  2  ' "$TMP/help.out"; then ok "--help: usage and the exit statuses, exit 0"; else fail "--help: exit $rc"; fi

# The command users type: the script builds the plain host binary if needed and runs it.
sh bench/compare "$B" "$TMP/slower/latest.json" >"$TMP/wrapper.out" 2>"$TMP/wrapper.err"
rc=$?
if [ "$rc" = 1 ] && grep -Eq "$(row syscall.null slower mann-whitney)" "$TMP/wrapper.out"; then
	ok "bench/compare OLD NEW (the script) runs the tool: exit 1, syscall.null slower"
else
	fail "bench/compare (the script): exit $rc: $(tail -n 2 "$TMP/wrapper.err")"
fi

hasnt self "no summary line is malformed" out '^compare: .*nan'
has self "the summary line has its shape" out "$SUMMARY_RE"

echo "compare-tests: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
