#!/bin/sh
# tests/tools-tests.sh: the host tools that need no KVM: tools/trace-plot on a trace the VMM wrote (tests/fixtures/hello-trace.json), tools/step-profile on a step log, hostbench --rate.
set -u
cd "$(dirname "$0")/.." || exit 1
passed=0
failed=0
TMP=$(mktemp -d) || exit 1
trap 'rm -rf "$TMP"' EXIT INT TERM

ok() { passed=$((passed + 1)); echo "ok   [tools] $1"; }
fail() { failed=$((failed + 1)); echo "FAIL [tools] $1"; }

# The fixture: vmm/vmm --trace of musl_hello.elf with one argument (exit status 1), on kvm_amd.
fx=tests/fixtures/hello-trace.json
if tools/trace-plot "$fx" "$TMP/hello" >"$TMP/out" 2>&1; then
	ok "trace-plot draws the fixture"
else
	fail "trace-plot failed: $(tail -n 3 "$TMP/out")"
fi
for ext in png svg; do
	if [ -s "$TMP/hello.$ext" ]; then ok "trace-plot wrote hello.$ext"; else fail "no hello.$ext"; fi
done
# Block 0 (user time) and block 1 (kernel time) each have rows on pid 1's lane; the end is
# labelled with the exit status the trace records.
if awk 'BEGIN { b = 0 } /^$/ { blank++; if (blank == 2) { b++; blank = 0 } next } { blank = 0 }
	b == 0 && $3 == 1 { u++ } b == 1 && $3 == 1 { k++ } END { exit !(u > 0 && k > 0) }' "$TMP/hello.dat"; then
	ok "pid 1 has user-mode and kernel time in the data"
else
	fail "pid 1's lane lacks user or kernel time: $(head -n 5 "$TMP/hello.dat")"
fi
if grep -q 'set label "exit 1"' "$TMP/hello.gp"; then ok "the task's end is labelled 'exit 1'"; else fail "no 'exit 1' label"; fi
if grep -q "set ytics add ('pid 1' 1)" "$TMP/hello.gp"; then ok "one lane for pid 1"; else fail "no lane for pid 1"; fi
printf '{"not":"a trace"}\n' >"$TMP/bad.json"
tools/trace-plot "$TMP/bad.json" "$TMP/bad" >"$TMP/out" 2>&1
rc=$?
if [ "$rc" = 2 ] && grep -q "is not a trace from vmm --trace" "$TMP/out"; then
	ok "a file that is not a trace: exit 2, with why"
else
	fail "bad input: exit $rc, $(cat "$TMP/out")"
fi
tools/trace-plot "$TMP/missing.json" >"$TMP/out" 2>&1
rc=$?
if [ "$rc" = 2 ]; then ok "a missing file: exit 2"; else fail "missing file: exit $rc"; fi
if tools/trace-plot --help | grep -q "^Usage: tools/trace-plot TRACE.json"; then ok "--help"; else fail "--help"; fi

# tools/step-profile on a log in vmm --step-log's form, with two kernel functions' addresses.
se=$(nm guest.elf | awk '$3 == "syscall_entry" { print $1 }')
sd=$(nm guest.elf | awk '$3 == "syscall_dispatch" { print $1 }')
if [ -n "$se" ] && [ -n "$sd" ]; then
	printf 'window\n0 ?\nentry\n0 %s\n0 %s\n0 %s\n3 401000\nend 4 1 1\n' "$se" "$sd" "$se" >"$TMP/step.log"
	tools/step-profile --path guest.elf "$TMP/step.log" >"$TMP/out" 2>&1
	rc=$?
	if [ "$rc" = 0 ] && grep -q "^window 1: 4 ring-0 and 1 ring-3 instructions, 1 entries$" "$TMP/out" &&
		grep -Eq "^ +2  syscall_entry$" "$TMP/out" && grep -Eq "^ +1  syscall_dispatch$" "$TMP/out" &&
		grep -q "path: .* > ENTRY > syscall_entry > syscall_dispatch > syscall_entry > " "$TMP/out"; then
		ok "step-profile names each address's function, counts them, and prints the path"
	else
		fail "step-profile: exit $rc, $(cat "$TMP/out")"
	fi
else
	fail "step-profile: guest.elf has no syscall_entry or syscall_dispatch symbol (build it first)"
fi
# check_run NAME STATUS PATTERN CMD...: CMD exits with STATUS and its output (stdout and stderr)
# matches the extended regex PATTERN.
check_run() {
	name=$1 want=$2 pat=$3
	shift 3
	"$@" >"$TMP/out" 2>&1
	rc=$?
	if [ "$rc" = "$want" ] && grep -Eq -- "$pat" "$TMP/out"; then
		ok "$name"
	else
		fail "$name: exit $rc (want $want), $(head -n 3 "$TMP/out")"
	fi
}

printf 'not a log\n' >"$TMP/bad.log"
check_run "step-profile: a log with no window: exit 1, with why" 1 "holds no window" \
	tools/step-profile guest.elf "$TMP/bad.log"
printf 'window\n0 ffffffff80100000\nend 1 0 0\n' >"$TMP/one.log"
check_run "step-profile: an image that is not an ELF: exit 2, with why" 2 "addr2line cannot read" \
	tools/step-profile "$TMP/bad.log" "$TMP/one.log"
check_run "step-profile: a missing file: exit 2" 2 "cannot read" \
	tools/step-profile guest.elf "$TMP/missing.log"

# hostbench --rate: many runs of a command at once, the wall time per run and the runs a second.
hb=${HOST_BUILD:-build/host}/bench/hostbench
check_run "hostbench --rate: wall time per run, and runs a second with 3 at a time" 0 \
	"^bench: vmm.rate unit=us n=2 median=[0-9.]+ .* note=runs_a_second:[0-9.]+,3_at_a_time$" \
	"$hb" --rate 6 --batches 2 --parallel 3 -- true
check_run "hostbench --rate: a failing run fails the measurement, with why" 1 "exited with status 1" \
	"$hb" --rate 4 --batches 1 -- false
check_run "hostbench: --parallel with --spawn is a usage error" 2 "go with --rate, not --spawn" \
	"$hb" --spawn 1 --parallel 2 -- true

echo "tools: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
