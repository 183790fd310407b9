#!/bin/sh
# tests/pvh-tests.sh: guest.elf without our VMM: booted by qemu-system-x86_64 -kernel through its PVH note (TCG, no KVM needed): the demo, tasks from -initrd, -append words, the exit status through isa-debug-exit.
#
# One QEMU at a time, each under `timeout` (PVH_TIMEOUT seconds, default 60: a run takes
# about a second here, under 5 on a loaded two-core machine). Prints one line per check and
# "pvh: N passed, N failed".
set -u
cd "$(dirname "$0")/.." || exit 1

passed=0
failed=0
TMP=$(mktemp -d) || exit 1
trap 'rm -rf "$TMP"' EXIT INT TERM
T=${PVH_TIMEOUT:-60}
KERNEL=${PVH_KERNEL:-guest.elf}
TASKS=build/tasks

ok() { passed=$((passed + 1)); echo "ok   [pvh] $1"; }
fail() { failed=$((failed + 1)); echo "FAIL [pvh] $1"; }

# The QEMU command line the README gives, on TCG. isa-debug-exit makes QEMU exit with
# (status << 1) | 1 (abi/pvh.h); -no-reboot turns the other endings (reset, triple fault)
# into an exit too.
DEBUG_EXIT="-device isa-debug-exit,iobase=0xf4,iosize=0x04"
qemu() { # MACHINE [QEMU ARGS...]: boot the kernel; its console in $TMP/out, exit status in $rc
	machine=$1
	shift
	timeout -k 5 "$T" qemu-system-x86_64 -M "$machine" -cpu max -accel tcg -m 128M \
		-nodefaults -display none -monitor none -serial stdio -no-reboot \
		-kernel "$KERNEL" "$@" </dev/null >"$TMP/out" 2>"$TMP/err"
	rc=$?
}

# has NAME FIXED-STRING...: every string is a line of the console output (whole line).
has() {
	name=$1
	shift
	for line in "$@"; do
		if ! grep -qxF -- "$line" "$TMP/out"; then
			fail "$name: no line '$line' (exit $rc); output: $(tail -n 5 "$TMP/out" | tr '\n' '|') $(head -c 300 "$TMP/err")"
			return 1
		fi
	done
	return 0
}

# status NAME GUEST-STATUS: QEMU's exit status is (GUEST-STATUS << 1 | 1) mod 256, and the
# kernel's last line names the guest's own.
status() {
	want=$(((($2 << 1) | 1) & 255))
	if [ "$rc" != "$want" ]; then
		fail "$1: QEMU exited $rc, not $want for status $2; output: $(tail -n 3 "$TMP/out" | tr '\n' '|')"
		return 1
	fi
	has "$1" "lde: exit status $2 (QEMU with isa-debug-exit exits $want)" || return 1
	ok "$1"
}

if ! command -v qemu-system-x86_64 >/dev/null 2>&1; then
	fail "qemu-system-x86_64 not found (apt-get install qemu-system-x86)"
	echo "pvh: $passed passed, $failed failed"
	exit 1
fi
if [ ! -f "$KERNEL" ] || [ ! -f "$TASKS/hello_task.elf" ]; then
	fail "$KERNEL or $TASKS/hello_task.elf missing: make all tasks first"
	echo "pvh: $passed passed, $failed failed"
	exit 1
fi

# The note QEMU looks for: name Xen, type 18 (XEN_ELFNOTE_PHYS32_ENTRY), 8 bytes, in a
# PT_NOTE segment aligned to 4 (QEMU finds the descriptor with that alignment).
if readelf -nW "$KERNEL" 2>/dev/null | grep -Eq '^ +Xen +0x00000008.*(0x00000012|PHYS32_ENTRY)'; then
	ok "the kernel carries the PVH note, 8-byte descriptor"
else
	fail "no Xen note of type 18 with 8 bytes in $KERNEL: $(readelf -nW "$KERNEL" 2>&1 | tail -n 3)"
fi
if readelf -lW "$KERNEL" | awk '$1 == "NOTE" && $NF == "0x4" { found = 1 } END { exit !found }'; then
	ok "the note is in a PT_NOTE segment aligned to 4"
else
	fail "no PT_NOTE segment with p_align 4: $(readelf -lW "$KERNEL" | grep NOTE)"
fi

# The demo, on both machine types, as vmm/vmm shows it (guest/demo.c's verdict lines).
for m in q35 pc; do
	qemu "$m" $DEBUG_EXIT
	if has "demo on -M $m" \
		"lde: demo: demo_syscalls runs directly on the CPU and enters the kernel only through system calls: status 0, predicted 0: as predicted" \
		"lde: demo: demo_rogue touched kernel memory: the page tables stopped it, the kernel killed it: status 142, predicted 142: as predicted" \
		"lde: demo: demo_yield gave the CPU back with yield and went on after the rogue task died: status 0, predicted 0: as predicted" \
		"lde: demo: demo_spinner never gave the CPU back, yet the timer took it (with hz=0 it would not): status 0, predicted 0: as predicted" \
		"lde: demo: 4 of 4 tasks behaved as predicted"; then
		status "demo on -M $m: 4 of 4 as predicted, status 0 is QEMU's 1" 0
	fi
done
if grep -q '^lde: pvh: booted without the LDE VMM: console COM1' "$TMP/out"; then
	ok "the kernel says it booted without our VMM, and where its console is"
else
	fail "no 'lde: pvh: booted without the LDE VMM' line: $(head -n 2 "$TMP/out" | tr '\n' '|')"
fi

# A task from -initrd: one boot module, pid 1, its status back through QEMU's.
qemu q35 $DEBUG_EXIT -initrd "$TASKS/hello_task.elf"
has "hello_task from -initrd" "hello_task: pid 1" "lde: pid 1 (module0) exited with status 0" \
	"lde: 1 task(s) ended; exit status 0" && status "hello_task from -initrd: status 0" 0
qemu q35 $DEBUG_EXIT -initrd "$TASKS/exit7.elf"
has "exit7 from -initrd" "lde: pid 1 (module0) exited with status 7" &&
	status "a task's status 7 comes back as QEMU's 15" 7
# A task killed by #GP: 141, whose top bit QEMU's exit status cannot carry (README, abi/pvh.h).
qemu q35 $DEBUG_EXIT -initrd "$TASKS/restricted_hlt.elf"
has "restricted_hlt from -initrd" "lde: 1 task(s) ended; exit status 141" &&
	status "status 141 (a #GP kill) is QEMU's 27; the console line tells it from 13" 141
# An ordinary static musl program: stdio, argv[0] (the module's name), stderr on the console.
if [ -f "$TASKS/musl_hello.elf" ]; then
	qemu q35 $DEBUG_EXIT -initrd "$TASKS/musl_hello.elf"
	has "musl_hello from -initrd" "hello from an ordinary program: argc 1, argv[0] module0" \
		"and a line on stderr" && status "a musl-gcc -static program runs as the task" 0
else
	fail "$TASKS/musl_hello.elf missing (musl-tools; make tasks)"
fi
# A failed LDE_ASSERT: no VMM to print it, so the kernel does; the task's status is 123.
qemu q35 $DEBUG_EXIT -initrd "$TASKS/assert_fail.elf"
if grep -Eq '^lde: pid 1: assertion failed: .*\(tests/tasks/assert_fail.c:[0-9]+\)$' "$TMP/out"; then
	status "a failed assertion is printed by the kernel, status 123" 123
else
	fail "no 'lde: pid 1: assertion failed' line (exit $rc): $(tail -n 3 "$TMP/out" | tr '\n' '|')"
fi

# -append: the kernel words.
qemu q35 $DEBUG_EXIT -append "selftest=all"
has "-append selftest=all" "selftest: 5 of 5 passed" && status "-append selftest=all: 5 of 5 passed" 0
qemu q35 $DEBUG_EXIT -initrd "$TASKS/hello_task.elf" -append "hz=100 trace=on"
has "-append hz=100 trace=on" "lde: timer: 100 Hz, periodic mode" "hello_task: pid 1" \
	"lde: trace=on, but the VMM takes no trace (-19): tracing stopped" &&
	status "-append hz=100: the rate; trace=on stops without a VMM to take it (-ENODEV)" 0
if grep -q "^lde: kernel up on unknown, [0-9]* MiB RAM, TSC [1-9][0-9]* kHz, cmdline 'hz=100 trace=on'\$" "$TMP/out"; then
	ok "the command line reaches the kernel whole; RAM and the TSC rate are found"
else
	fail "no 'kernel up ... cmdline 'hz=100 trace=on'' line: $(grep 'kernel up' "$TMP/out")"
fi
# A kernel panic (selftest=kpf: a page fault in the kernel) is 120: QEMU's 241.
qemu q35 $DEBUG_EXIT -append "selftest=kpf"
if grep -q '^kernel panic: ' "$TMP/out"; then
	status "a kernel panic, status 120, is QEMU's 241" 120
else
	fail "selftest=kpf did not panic (exit $rc): $(tail -n 3 "$TMP/out" | tr '\n' '|')"
fi

# No isa-debug-exit: the kernel still ends the machine (i8042 reset or triple fault, which
# -no-reboot makes QEMU's exit 0), after saying its status.
qemu q35 -initrd "$TASKS/exit7.elf"
if [ "$rc" = 0 ] && grep -qxF "lde: exit status 7 (QEMU with isa-debug-exit exits 15)" "$TMP/out"; then
	ok "without isa-debug-exit the machine still ends (QEMU exits 0), the status on the console"
else
	fail "without isa-debug-exit: QEMU exited $rc: $(tail -n 2 "$TMP/out" | tr '\n' '|')"
fi

echo "pvh: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
