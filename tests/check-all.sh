#!/bin/sh
# tests/check-all.sh: `make check`: lint, unit tests, bench/compare, the kernel under QEMU without our VMM, make install, KVM tests on the local /dev/kvm and inside QEMU, the debugger, a short fuzz run; one total.
#
# Each part prints its own summary and its time; this script adds them up into the last line,
# "N passed, N failed, N skipped", and fails if any part failed or printed no summary. A part
# is skipped only when this machine lacks what it needs (a local /dev/kvm), and says why.
set -u
cd "$(dirname "$0")/.." || exit 1

total_pass=0
total_fail=0
total_skip=0
status=0
LOG=$(mktemp) || exit 1
trap 'rm -f "$LOG" "$LOG.rc"' EXIT INT TERM

# counts: "PASSED FAILED" from a part's summary line, or nothing if it printed none.
# Check prints "100%: Checks: 42, Failures: 0, Errors: 0"; ours "local: 33 passed, 0 failed".
counts() {
	line=$(grep -E '^[0-9]+%: Checks: [0-9]+|^([A-Za-z-]+: )?[0-9]+ passed, [0-9]+ failed' "$LOG" | tail -n 1)
	case $line in
	*Checks:*) echo "$line" | sed -E 's/.*Checks: ([0-9]+), Failures: ([0-9]+), Errors: ([0-9]+).*/\1 \2 \3/' |
		{ read -r n f e; echo "$((n - f - e)) $((f + e))"; } ;;
	*passed*) echo "$line" | sed -E 's/^([A-Za-z-]+: )?([0-9]+) passed, ([0-9]+) failed.*/\2 \3/' ;;
	esac
}

# run_part NAME COMMAND...: run one part with its output shown, and add up its summary.
run_part() {
	name=$1
	shift
	start=$(date +%s)
	echo "== $name: $*"
	{ "$@"; echo $? >"$LOG.rc"; } 2>&1 | tee "$LOG"
	rc=$(cat "$LOG.rc")
	c=$(counts)
	if [ -z "$c" ]; then
		echo "== $name printed no summary line: counted as one failure"
		c="0 1"
	fi
	set -- $c
	total_pass=$((total_pass + $1))
	total_fail=$((total_fail + $2))
	[ "$rc" = 0 ] || status=1
	echo "== $name: $1 passed, $2 failed, exit status $rc, $(($(date +%s) - start)) s"
}

# skip_part NAME WHY: a part that cannot run on this machine: said, and counted as skipped.
skip_part() {
	echo "== $1: skipped: $2"
	total_skip=$((total_skip + 1))
}

# Why this machine has no /dev/kvm, in a few words.
no_kvm_reason() {
	if [ -e /sys/module/kvm_pvm ]; then
		echo "kvm_pvm is loaded but registered no /dev/kvm (it does not bind when this kernel is itself a kvm_pvm guest)"
	elif [ -e /sys/module/kvm ]; then
		echo "KVM is loaded but no vendor module (kvm_intel, kvm_amd, kvm_pvm) serves /dev/kvm"
	else
		echo "KVM is not loaded"
	fi
}

run_part lint make -s lint
run_part unit "${UNIT_TESTS:-build/host/unit-tests}"
run_part tools sh tests/tools-tests.sh
# bench/compare on result files that bench/report writes here: no KVM needed.
run_part compare sh tests/compare-tests.sh
# Under SANITIZE=1 the VMM is built with ASan: its leak check at exit would trace the
# process (ptrace, clone), which the VMM's seccomp filter rightly forbids; leaks in a
# process about to exit are not what these runs look for.
if [ "${SANITIZE:-}" = 1 ]; then
	ASAN_OPTIONS=detect_leaks=0:abort_on_error=1
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
	export ASAN_OPTIONS UBSAN_OPTIONS
fi

# Without our VMM: the kernel under QEMU's TCG through its PVH entry; then make install.
run_part pvh sh tests/pvh-tests.sh
run_part install sh tests/install-tests.sh

# The KVM suite on this machine's own /dev/kvm, where it has one. Where it has none, the
# suite still runs on KVM: inside QEMU, below, which needs no /dev/kvm of the host's.
if [ -c /dev/kvm ]; then
	run_part kvm-local sh tests/kvm-tests.sh
else
	skip_part kvm-local "no /dev/kvm on this machine: $(no_kvm_reason); the KVM tests run inside QEMU (kvm-qemu)"
fi
# The bench tasks too: tests/kvm-bench-tests.sh runs them.
QEMU_RUN_FILES=build/bench
export QEMU_RUN_FILES
run_part kvm-qemu tests/qemu-run sh tests/kvm-tests.sh
# --gdb with Debian's gdb: here, and inside QEMU, which takes gdb along (QEMU_RUN_GDB=1).
if [ -c /dev/kvm ]; then
	run_part gdb-local sh tests/gdb-tests.sh
else
	skip_part gdb-local "no /dev/kvm on this machine; the debugger tests run inside QEMU (gdb-qemu)"
fi
QEMU_RUN_GDB=1
export QEMU_RUN_GDB
run_part gdb-qemu tests/qemu-run sh tests/gdb-tests.sh
unset QEMU_RUN_GDB
# make bench, quick, end to end: here and inside QEMU (the hardware-KVM paths).
if [ -c /dev/kvm ]; then
	run_part bench-local sh tests/bench-tests.sh local
else
	skip_part bench-local "no /dev/kvm on this machine; the quick bench runs inside QEMU (bench-qemu)"
fi
run_part bench-qemu sh tests/bench-tests.sh qemu
# Every fuzz target briefly (FUZZ_SECONDS each, default 5 here; `make fuzz` alone runs 60),
# which also replays the crash reproducers kept in tests/fuzz/regress/.
run_part fuzz make -s fuzz FUZZ_SECONDS="${FUZZ_SECONDS:-5}"

echo "$total_pass passed, $total_fail failed, $total_skip skipped"
[ "$status" -eq 0 ] && [ "$total_fail" -eq 0 ]
