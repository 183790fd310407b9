#!/bin/sh
# tests/bench-tests.sh: `make bench` end to end, quick: every metric reported, the JSON and the plot written, the exit counts as the platform implies.
#
# Usage: sh tests/bench-tests.sh [local|qemu]
#   local: BENCH_QUICK=1 bench/run on this machine's /dev/kvm (kvm_pvm here), into a temporary
#          directory; checks the table, latest.json (with python3 where there is one) and the plot.
#   qemu:  the same inside the QEMU runner (tests/qemu-run), where KVM has hardware semantics:
#          there no system-call, int $0x80, trap or switch window may leave the guest, except
#          trap.ud (KVM intercepts #UD on VT-x and AMD-V alike, to emulate VMCALL/VMMCALL).
# Prints one line per check and "bench-HOST: N passed, N failed". No timing is asserted:
# speed goals are the bench's business, not the tests'.
set -u
cd "$(dirname "$0")/.." || exit 1

where=${1:-local}
passed=0
failed=0
TMP=$(mktemp -d) || exit 1
trap 'rm -rf "$TMP"' EXIT INT TERM
HOST_BUILD=${HOST_BUILD:-build/host}

ok() { passed=$((passed + 1)); echo "ok   [bench-$where] $1"; }
fail() { failed=$((failed + 1)); echo "FAIL [bench-$where] $1"; }

# check NAME EREGEX: the captured output matches.
check() {
	if grep -Eq -- "$2" "$TMP/out"; then ok "$1"; else fail "$1: no line matches /$2/"; fi
}

METRICS="call.null syscall.raw syscall.null syscall.getpid syscall.null.kpti int80.raw int80.null
	trap.bp trap.ud trap.pf switch.yield switch.yield.nopcid timer.irq vmexit.cpuid vmexit.pio
	vmexit.hypercall vmexit.cpuid.ring0 pvm.ring0_insn host.getpid host.sched_yield host.pipe
	host.pagefault host.kvm_run.pio linux.getppid host.linux.getppid"

case $where in
local)
	BENCH_QUICK=1 BENCH_OUT="$TMP/results" HOST_BUILD=$HOST_BUILD sh bench/run >"$TMP/out" 2>&1
	rc=$?
	;;
qemu)
	QEMU_RUN_FILES="bench/run build/bench $HOST_BUILD/bench/hostbench $HOST_BUILD/bench/report" \
		tests/qemu-run --timeout 900 env BENCH_QUICK=1 BENCH_OUT=/tmp/bench \
		HOST_BUILD="$HOST_BUILD" sh bench/run >"$TMP/out" 2>&1
	rc=$?
	;;
*)
	echo "usage: sh tests/bench-tests.sh [local|qemu]" >&2
	exit 2
	;;
esac

if [ "$rc" = 0 ]; then ok "bench/run exits 0"; else fail "bench/run exited $rc"; fi
for m in $METRICS; do
	check "$m is in the table, with a median" "^$m +cycles +[0-9.]+ "
done
check "timer.overhead.hz1000 in percent" "^timer.overhead.hz1000 +percent +[0-9.]+ "
check "timer.overhead.hz10000 in percent" "^timer.overhead.hz10000 +percent +[0-9.]+ "
check "vmm.boot in microseconds" "^vmm.boot +us +[0-9.]+ "
check "vmm.boot.2g in microseconds, and its ratio to vmm.boot" "^vmm.boot.2g +us +[0-9.]+ "
check "the boot's growth with memory as a ratio" "^  vmm.boot.2g / vmm.boot +[0-9.]+ "
check "vmm.rate: wall time a VM with many at once, and VMs a second" \
	"^vmm.rate +us +[0-9.]+ .*runs_a_second:[0-9.]+,[0-9]+_at_a_time"
check "vmm.rss_overhead in KiB" "^vmm.rss_overhead +KiB +[0-9.]+ "
check "vmm.rss_private_overhead in KiB" "^vmm.rss_private_overhead +KiB +[0-9.]+ "
check "the getpid goal has a verdict" "^  syscall.getpid / syscall.null +[0-9.]+ .*(met|missed)$"
check "the same static binary timed on the host and in the guest, with their ratio" \
	"^  linux.getppid / host.linux.getppid +[0-9.]+ "
check "the JSON was written" "^wrote .*/latest.json and .*Z-[a-z_]+.json$"
# steps: the kernel's instructions, single-stepped (the VMMs run with --step): counted where
# an operation enters the kernel, 0 where it does not.
for m in syscall.raw syscall.null int80.null trap.bp trap.pf switch.yield timer.irq; do
	check "$m: its kernel instructions are counted (steps)" \
		"^$(echo "$m" | sed 's/\./\\./g') +cycles .* per [0-9]+ +[0-9.-]+ +[1-9][0-9.]* "
done
check "call.null: no kernel instruction (steps 0)" "^call\.null +cycles .* per [0-9]+ +[0-9.-]+ +0 "

case $where in
local)
	check "the platform is named" "^bench report: 2 runs \(quick\), platform (hardware|kvm_pvm|emulated)"
	# The port-I/O loop reaches the VMM once per write: 200 writes, 200 exits.
	check "vmexit.pio: one VMM exit per write" "^vmexit.pio .* 200/[0-9]+ per 200 "
	check "syscall.null never reaches the VMM" "^syscall.null .* 0/[0-9]+ per 200 "
	# The worked example of bench/README.md, exactly as documented: build, run, report.
	ex=bench/examples/mybench
	if make -s "$ex.elf" HOST_BUILD="$HOST_BUILD" >"$TMP/ex-build" 2>&1 &&
		vmm/vmm --timeout 120 guest.elf "$ex.elf" hz=0 bench=quick >"$TMP/ex-out" 2>&1 &&
		"$HOST_BUILD/bench/report" --no-plot --out "$TMP/ex-results" "$TMP/ex-out" >"$TMP/ex-report" 2>&1 &&
		grep -Eq "^my.rdtsc +cycles +[0-9]" "$TMP/ex-report" &&
		grep -Eq "^my.clock +cycles +[0-9]" "$TMP/ex-report"; then
		ok "the worked example builds with make X.elf, runs, and reports my.rdtsc and my.clock"
	else
		fail "the worked example (bench/README.md): $(cat "$TMP/ex-build" "$TMP/ex-out" "$TMP/ex-report" 2>/dev/null | tail -n 3)"
	fi
	rm -f "$ex.elf"
	if command -v python3 >/dev/null 2>&1; then
		if python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); m=d["metrics"]["syscall.null"]; assert d["schema"]==1 and d["runs"]==2 and d["quick"] and len(m["quantiles"])==101 and len(m["run_medians"])==2 and sorted(m["run_medians"])[0]<=m["median"]<=sorted(m["run_medians"])[1] and m["steps"] > 0, d' "$TMP/results/latest.json" >"$TMP/py" 2>&1; then
			ok "latest.json parses, with 2 runs, 2 run medians, 101 quantiles and syscall.null's steps"
		else
			fail "latest.json: $(tail -n 1 "$TMP/py")"
		fi
	else
		echo "skip [bench-$where] latest.json not parsed: no python3 here (not counted)"
	fi
	if command -v gnuplot >/dev/null 2>&1; then
		if [ -s "$TMP/results/latest.png" ] && [ -s "$TMP/results/latest.svg" ]; then
			ok "the plot was drawn (PNG and SVG)"
		else
			fail "gnuplot is installed but latest.png or latest.svg is missing or empty"
		fi
	else
		echo "skip [bench-$where] no gnuplot, so no plot to check (not counted; .ci/deps installs it)"
	fi
	;;
qemu)
	check "the platform is emulated" "^bench report: 2 runs \(quick\), platform emulated"
	check "syscall.null: no exit at all" "^syscall.null .* 0/0 per 200 "
	check "int80.null: no exit at all" "^int80.null .* 0/0 per 200 "
	check "switch.yield: no exit at all" "^switch.yield .* 0/0 per 200 "
	check "only trap.ud left the guest" "^zero exits in .*: not applicable here: trap.ud$"
	;;
esac

if [ "$failed" -gt 0 ]; then
	echo "---- the last 60 lines of the run:"
	tail -n 60 "$TMP/out"
fi
echo "bench-$where: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
