#!/bin/sh
# tests/fuzz/run-fuzz.sh: runs the libFuzzer harnesses for `make fuzz` / `make fuzz-regress`; one line per target, then a total.
#
# usage: sh tests/fuzz/run-fuzz.sh fuzz|regress SECONDS FUZZ_DIR TARGET...
#   fuzz:    fuzz each target for SECONDS seconds (-max_total_time), starting from a copy of
#            tests/fuzz/corpus/<target>/ and tests/fuzz/regress/<target>/ in a temporary
#            directory (the tree's corpus is never written)
#   regress: run each harness once over the same inputs, without fuzzing
# FUZZ_DIR holds the harness binaries (build/fuzz); crash inputs are saved under
# FUZZ_DIR/artifacts/<target>-crash-<sha1> (and leak-, timeout-, oom-), full logs under
# FUZZ_DIR/logs/<target>.log. FUZZ_FLAGS in the environment adds libFuzzer options.
# Prints "<target>: <executions> executions, <n> exec/s, passed|FAILED (...)" per target and
# "N passed, N failed" last; exits 1 if any target failed.
set -u
cd "$(dirname "$0")/../.." || exit 1

if [ $# -lt 3 ]; then
	echo "usage: $0 fuzz|regress SECONDS FUZZ_DIR TARGET..." >&2
	exit 2
fi
mode=$1
secs=$2
dir=$3
shift 3
case $mode in
fuzz | regress) ;;
*) echo "$0: unknown mode '$mode'" >&2; exit 2 ;;
esac

artifacts=$dir/artifacts
logs=$dir/logs
mkdir -p "$artifacts" "$logs" || exit 1
tmp=$(mktemp -d "${TMPDIR:-/tmp}/lde-fuzz.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM

# Sanitizer reports with stack traces; a caller's own settings win.
: "${UBSAN_OPTIONS=print_stacktrace=1}"
: "${ASAN_OPTIONS=}"
export UBSAN_OPTIONS ASAN_OPTIONS

# stat NAME LOG: the value of libFuzzer's "stat::NAME: value" line (-print_final_stats=1).
stat() {
	sed -n "s/^stat::$1: *\([0-9][0-9]*\).*/\1/p" "$2" | tail -n 1
}

pass=0
fail=0
for t in "$@"; do
	bin=$dir/$t
	log=$logs/$t.log
	work=$tmp/$t
	mkdir -p "$work/inputs"

	# The seed corpus and the regression inputs, copied (README files are not inputs).
	n=0
	for src in tests/fuzz/corpus/$t tests/fuzz/regress/$t; do
		[ -d "$src" ] || continue
		kind=${src%%/"$t"}
		kind=${kind##*/}
		for f in "$src"/*; do
			[ -f "$f" ] || continue
			case ${f##*/} in README*) continue ;; esac
			cp "$f" "$work/inputs/$kind-${f##*/}" || exit 1
			n=$((n + 1))
		done
	done

	if [ ! -x "$bin" ]; then
		echo "$t: no harness binary $bin, FAILED"
		fail=$((fail + 1))
		continue
	fi

	# One prefix per target: libFuzzer appends crash-<sha1> (leak-, timeout-, oom-).
	set -- -print_final_stats=1 -artifact_prefix="$artifacts/$t-" -timeout=25
	if [ "$mode" = fuzz ]; then
		set -- "$@" -max_total_time="$secs"
	else
		set -- "$@" -runs=0
	fi
	start=$(date +%s)
	# shellcheck disable=SC2086 # FUZZ_FLAGS is a list of options
	"$bin" "$@" ${FUZZ_FLAGS:-} "$work/inputs" >"$log" 2>&1
	rc=$?
	secs_run=$(($(date +%s) - start))

	execs=$(stat number_of_executed_units "$log")
	rate=$(stat average_exec_per_sec "$log")
	if [ "$rc" -eq 0 ]; then
		result=passed
		pass=$((pass + 1))
	else
		# What broke: the sanitizer's or the harness's first report line, and the input.
		why=$(grep -m 1 -E 'ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|runtime error:|invariant failed|fuzz_[a-z_]+: .*reference|==[0-9]+== ?ERROR' "$log" |
			sed -e 's/^==[0-9]*==//' -e 's/^[^ ]*\/\([^/]*:[0-9]*:[0-9]*: runtime error\)/\1/' | cut -c 1-200)
		input=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -n 1)
		result="FAILED (exit $rc: ${why:-see log}${input:+; input saved as $input})"
		fail=$((fail + 1))
	fi
	echo "$t: ${execs:-?} executions, ${rate:-?} exec/s, $n seeds, ${secs_run} s, $result"
	if [ "$rc" -ne 0 ]; then
		# The report itself, from its first line, and where the whole log is.
		grep -n -m 1 -E '^==[0-9]+==|runtime error:|invariant failed|reference' "$log" | cut -d: -f1 |
			{ read -r first && sed -n "${first},\$p" "$log" | head -n 40 | sed 's/^/    /'; }
		echo "    (full log: $log)"
	fi
done

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
