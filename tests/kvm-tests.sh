#!/bin/sh
# tests/kvm-tests.sh: KVM integration tests: boot real images under vmm/vmm, assert on exit status and output.
#
# POSIX sh, so that the same file runs on this machine's /dev/kvm and inside the QEMU
# runner's busybox initramfs (tests/qemu-run). LDE_HOST names the host in every result
# line: "local" here, "qemu" inside the runner. With CI set, a missing /dev/kvm fails.
set -u
cd "$(dirname "$0")/.." || exit 1

VMM=./vmm/vmm
PAYLOADS=build/payloads
HOST=${LDE_HOST:-local}
T=${LDE_TEST_TIMEOUT:-120} # --timeout for guests that should exit by themselves
passed=0
failed=0
TMP=$(mktemp -d) || exit 1
trap 'rm -rf "$TMP"' EXIT INT TERM

# The KVM module this host should report (vmm/kvm.c reads the same /sys/module entries).
if [ -e /sys/module/kvm_intel ]; then PLATFORM=kvm_intel
elif [ -e /sys/module/kvm_amd ]; then PLATFORM=kvm_amd
elif [ -e /sys/module/kvm_pvm ]; then PLATFORM=kvm_pvm
else PLATFORM=unknown
fi
LABEL="$HOST $PLATFORM"

if [ ! -c /dev/kvm ]; then
	if [ -n "${CI:-}" ]; then
		echo "FAIL [$LABEL] /dev/kvm is missing: KVM tests cannot run, and CI does not skip them"
		echo "$HOST: 0 passed, 1 failed"
		exit 1
	fi
	echo "skip [$LABEL] /dev/kvm is missing: KVM integration tests not run"
	echo "$HOST: 0 passed, 0 failed, 1 skipped"
	exit 0
fi

# expect NAME STATUS PATTERN... -- VMM-ARGS...
# Runs the VMM with VMM-ARGS; passes when it exits with STATUS and its output (stdout and
# stderr together) matches every extended regex PATTERN; a PATTERN starting with ! must
# not match.
expect() {
	name=$1
	want=$2
	shift 2
	: >"$TMP/pats"
	while [ $# -gt 0 ] && [ "$1" != "--" ]; do
		printf '%s\n' "$1" >>"$TMP/pats"
		shift
	done
	shift
	"$VMM" "$@" >"$TMP/out" 2>&1 </dev/null
	got=$?
	why=""
	[ "$got" = "$want" ] || why="exit status $got, expected $want"
	while IFS= read -r pat; do
		[ -n "$why" ] && break
		case $pat in
		!*) if grep -Eq -- "${pat#!}" "$TMP/out"; then why="output matches /${pat#!}/"; fi ;;
		*) if ! grep -Eq -- "$pat" "$TMP/out"; then why="output lacks /$pat/"; fi ;;
		esac
	done <"$TMP/pats"
	if [ -z "$why" ]; then
		passed=$((passed + 1))
		echo "ok   [$LABEL] $name"
	else
		failed=$((failed + 1))
		printf 'FAIL [%s] %s: %s\n' "$LABEL" "$name" "$why"
		printf '     command: %s %s\n' "$VMM" "$*"
		sed 's/^/     | /' "$TMP/out" | head -n 40
	fi
}

# ---- the kernel: boot, demo, trap-table self-tests ----------------------------------------
expect "the demo: system calls work, the rogue task is killed, the others go on" 0 \
	"kernel up on $PLATFORM" "demo_syscalls: pid 1 \(SYSCALL\) = pid 1 \(int 0x80\)" \
	"lde: pid 2 \(demo_rogue\) killed: #PF page fault at rip [0-9a-f]+, error 0x5, cr2 ffffffff80100000 \(status 142\)" \
	"demo_yield: still here" "lde: demo: 4 of 4 tasks behaved as predicted" \
	"!the kernel failed to protect itself" -- --timeout "$T" guest.elf
expect "the demo's spinner is preempted by the timer" 0 \
	"demo_spinner: meanwhile the timer preempted a task [1-9][0-9]* times" \
	"demo_spinner never gave the CPU back, yet the timer took it .*: as predicted" \
	-- --timeout "$T" guest.elf
expect "the demo with hz=0: nothing preempts the spinner, and the demo says so" 1 \
	"demo_spinner: meanwhile the timer preempted a task 0 times \(0 Hz\)" \
	"demo_spinner .*status 1, predicted 0: WRONG" "lde: demo: 3 of 4 tasks behaved as predicted" \
	-- --timeout "$T" guest.elf hz=0
expect "every ring-3 exception self-test passes" 0 \
	"kernel up on $PLATFORM" "selftest: 5 of 5 passed" -- --timeout "$T" guest.elf selftest=all
for t in de ud pf gp bp; do
	expect "self-test $t" 0 "selftest $t: .*: ok" "selftest: 1 of 1 passed" \
		-- --timeout "$T" guest.elf selftest=$t
done
expect "self-test pf reports error code and cr2" 0 \
	"selftest pf: .*#PF page fault .*\(error 0x5, cr2 ffffffff8" -- --timeout "$T" guest.elf selftest=pf
expect "self-test kpf: a kernel page fault panics with a register dump" 120 \
	"kernel panic: #PF page fault in kernel mode" "cr2 0000000000000000" "rax [0-9a-f]{16}" \
	-- --timeout "$T" guest.elf selftest=kpf
expect "self-test kud: an invalid opcode in the kernel panics" 120 \
	"kernel panic: #UD invalid opcode in kernel mode" -- --timeout "$T" guest.elf selftest=kud
expect "self-test kde: a divide error in the kernel panics" 120 \
	"kernel panic: #DE divide error in kernel mode" -- --timeout "$T" guest.elf selftest=kde
expect "unknown self-test name fails with the list of names" 1 "no self-test in 'nope'" \
	-- --timeout "$T" guest.elf selftest=nope
expect "KEY=VALUE words reach the kernel command line" 0 "cmdline 'selftest=ud foo=bar -x=1'" \
	-- --timeout "$T" guest.elf selftest=ud foo=bar -x=1
expect "--mem 4M (the minimum) boots" 0 "4 MiB RAM" "4 of 4 tasks behaved as predicted" \
	-- --mem 4M --timeout "$T" guest.elf
expect "--mem 3G (the maximum) boots" 0 "3072 MiB RAM" "4 of 4 tasks behaved as predicted" \
	-- --mem 3G --timeout "$T" guest.elf

# ---- the VMM: platform, stats, options ---------------------------------------------------
case $PLATFORM in
kvm_pvm) desc="software-assisted KVM" ;;
kvm_amd) desc="hardware virtualisation \(AMD-V\)" ;;
kvm_intel) desc="hardware virtualisation \(Intel VT-x\)" ;;
*) desc="unknown" ;;
esac
expect "--stats names the platform and counts exits" 0 \
	"vmm: stats: platform $PLATFORM: $desc" "vmm: stats: exit KVM_EXIT_IO [0-9]+" \
	"vmm: stats: hypercall exit 1" -- --stats --timeout "$T" guest.elf
expect "--verbose says where the image went" 0 "vmm: guest.elf: 3 segment\(s\) at \[0x100000," \
	-- --verbose --timeout "$T" guest.elf
expect "--help documents exit statuses" 0 "usage: vmm" "124 +--timeout expired" -- --help
expect "an unknown option is a usage error" 125 "unknown option '--bogus'" -- --bogus guest.elf
expect "--mem below the minimum is refused" 125 "--mem: 2M is out of range" -- --mem 2M guest.elf
expect "--mem above the maximum is refused" 125 "--mem: 4G is out of range" -- --mem 4G guest.elf
expect "a malformed --timeout is refused" 125 "--timeout: 'soon'" -- --timeout soon guest.elf
expect "no image is a usage error" 125 "no guest image given" --

# ---- the seccomp sandbox ------------------------------------------------------------------
# seccomp_mode ARGS...: start the VMM on a guest that spins for 5 s, give it a second to
# get into its exit loop (the filter goes on just before the first KVM_RUN), and print the
# Seccomp: line of its /proc status (2: a filter is in force; 0: none).
seccomp_mode() {
	"$VMM" --timeout 5 "$@" "$PAYLOADS/spin.elf" >/dev/null 2>&1 &
	vpid=$!
	sleep 1
	sed -n 's/^Seccomp:[[:space:]]*//p' "/proc/$vpid/status"
	wait $vpid
}
check_seccomp() {
	name=$1
	want=$2
	shift 2
	got=$(seccomp_mode "$@")
	if [ "$got" = "$want" ]; then
		passed=$((passed + 1))
		echo "ok   [$LABEL] $name"
	else
		failed=$((failed + 1))
		echo "FAIL [$LABEL] $name: Seccomp mode '$got', expected '$want'"
	fi
}
check_seccomp "the seccomp filter is in force while the guest runs" 2
check_seccomp "--no-sandbox leaves the VMM unfiltered" 0 --no-sandbox

# ---- refused images ------------------------------------------------------------------------
i=0; while [ $i -lt 10 ]; do echo 'this is a text file, not an ELF image'; i=$((i + 1)); done >"$TMP/text"
: >"$TMP/empty"
head -c 200 guest.elf >"$TMP/truncated.elf"
expect "a missing file is refused" 126 "nonexistent.elf: refused: cannot open" -- "$TMP/nonexistent.elf"
expect "a text file is refused" 126 "refused: not an ELF file" -- "$TMP/text"
expect "an empty file is refused" 126 "refused: too short" -- "$TMP/empty"
expect "a directory is refused" 126 "refused: not a regular file" -- "$TMP"
expect "a truncated kernel is refused" 126 "truncated.elf: refused: " -- "$TMP/truncated.elf"
expect "a host executable (PIE, dynamic) is refused" 126 "refused: not a static executable" \
	-- "$VMM"

# A FIFO must be refused without waiting: opening one for reading waits for a writer, and
# before the images are loaded nothing (not even --timeout) would end that wait. Here expect
# runs the VMM under timeout(1), which kills it after 30 s (status 137).
mkfifo "$TMP/fifo.elf"
vmm_path=$VMM
VMM=timeout
expect "a FIFO as a task image is refused at once" 126 "fifo.elf: refused: not a regular file" \
	-- -s KILL 30 "$vmm_path" --timeout 5 guest.elf "$TMP/fifo.elf"
expect "a FIFO as the kernel image is refused at once" 126 "fifo.elf: refused: not a regular file" \
	-- -s KILL 30 "$vmm_path" "$TMP/fifo.elf"
VMM=$vmm_path

# Files too large are refused unread, by their size alone: over 1 GiB, or more than the guest
# RAM they would go to. Sparse files (dd with count=0 only sets the size), so no disk is used.
dd if=/dev/zero of="$TMP/huge.elf" bs=1048576 seek=1100 count=0 2>/dev/null
dd if=/dev/zero of="$TMP/8m.elf" bs=1048576 seek=8 count=0 2>/dev/null
expect "a task image over 1 GiB is refused unread, though guest RAM could hold it" 126 \
	"huge.elf: refused: file too large \(1153433600 bytes, at most 1073741824\)" \
	-- --mem 2G --timeout 5 guest.elf "$TMP/huge.elf"
expect "a task image larger than the guest RAM left is refused unread" 126 \
	"8m.elf: refused: its 8388608 bytes do not fit in the guest RAM after 0x[0-9a-f]+, [0-9]+ bytes" \
	-- --mem 8M --timeout 5 guest.elf "$TMP/8m.elf"
expect "a kernel image larger than guest RAM is refused unread" 126 \
	"8m.elf: refused: file too large \(8388608 bytes, at most 4194304\)" -- --mem 4M "$TMP/8m.elf"

# A task image is read straight into guest RAM, not through a buffer of its size: a 256 MiB
# one (zeros, which our kernel then refuses) costs the VMM its 256 MiB and little more.
dd if=/dev/zero of="$TMP/256m.elf" bs=1048576 seek=256 count=0 2>/dev/null
"$VMM" --stats --mem 1G --timeout "$T" guest.elf "$TMP/256m.elf" >"$TMP/direct" 2>&1
direct_status=$?
direct_rss=$(sed -n 's/^vmm: stats: peak resident memory \([0-9]*\) KiB$/\1/p' "$TMP/direct")
if [ "$direct_status" = 121 ] && grep -q "module 0 (256m.elf): refused: not an ELF file" "$TMP/direct" &&
	[ -n "$direct_rss" ] && [ "$direct_rss" -lt 393216 ]; then
	passed=$((passed + 1))
	echo "ok   [$LABEL] a 256 MiB task image goes straight into guest RAM; peak RSS ${direct_rss} KiB"
else
	failed=$((failed + 1))
	echo "FAIL [$LABEL] a 256 MiB task image: status $direct_status (want 121), peak RSS '${direct_rss}' KiB (want < 393216: no second copy)"
	sed 's/^/     | /' "$TMP/direct" | head -n 20
fi
rm -f "$TMP/huge.elf" "$TMP/8m.elf" "$TMP/256m.elf"

# ---- hostile and broken guests -----------------------------------------------------------
expect "COM1 output is printed and the exit status passes through" 7 "^hello from COM1$" \
	-- --timeout "$T" "$PAYLOADS/com1.elf"
expect "--timeout ends a spinning guest" 124 "guest timed out after 1 s" \
	-- --timeout 1 "$PAYLOADS/spin.elf"
expect "--timeout ends a guest halted with interrupts off" 124 "guest timed out" \
	-- --timeout 1 "$PAYLOADS/cli_hlt.elf"
expect "the in-kernel x2APIC timer interrupts a halted guest" 42 "!guest crashed" \
	-- --timeout "$T" "$PAYLOADS/lapic_timer.elf"
expect "a console write whose length wraps is refused" 127 \
	"console_write: buffer \[0x1000, \+0xffffffffffffffff\) is outside guest RAM" \
	-- --timeout "$T" "$PAYLOADS/hc_hostile1.elf"
expect "a misaligned hypercall argument struct is refused" 127 \
	"console_write: argument struct at 0x[0-9a-f]+ \(24 bytes\) is misaligned" \
	-- --timeout "$T" "$PAYLOADS/hc_hostile2.elf"
expect "a hypercall argument struct beyond guest RAM is refused" 127 \
	"console_write: argument struct at 0xfffffff8 \(24 bytes\) is outside guest RAM" \
	-- --timeout "$T" "$PAYLOADS/hc_hostile3.elf"
expect "a guest exit status the VMM keeps for itself is refused" 127 \
	"hypercall exit: status 125 is not a guest status" -- --timeout "$T" "$PAYLOADS/hc_hostile4.elf"
expect "a guest exit status above 255 is refused" 127 \
	"hypercall exit: status 256 is not a guest status" -- --timeout "$T" "$PAYLOADS/hc_hostile5.elf"
expect "MMIO to an address the VMM does not serve is refused" 127 \
	"MMIO read of 8 bytes at 0xc800000, which the VMM does not serve" \
	-- --timeout "$T" "$PAYLOADS/mmio_unserved.elf"

# A 256 MiB console flood: all of it arrives, and the VMM holds none of it in memory.
flood_bytes=$({ "$VMM" --stats --timeout "$T" "$PAYLOADS/console_flood.elf" 2>"$TMP/flood"
	echo $? >"$TMP/flood.rc"; } | wc -c)
flood_status=$(cat "$TMP/flood.rc")
flood_rss=$(sed -n 's/^vmm: stats: peak resident memory \([0-9]*\) KiB$/\1/p' "$TMP/flood")
if [ "$flood_status" = 0 ] && [ "$flood_bytes" -eq 268435456 ] && [ -n "$flood_rss" ] &&
	[ "$flood_rss" -lt 32768 ]; then
	passed=$((passed + 1))
	echo "ok   [$LABEL] a 256 MiB console flood arrives whole; peak RSS ${flood_rss} KiB"
else
	failed=$((failed + 1))
	echo "FAIL [$LABEL] console flood: status $flood_status, ${flood_bytes} bytes (want 268435456), peak RSS '${flood_rss}' KiB (want < 32768)"
	sed 's/^/     | /' "$TMP/flood" | head -n 20
fi

# unread_stdout NAME STDERR-REDIRECT ARGS...: the VMM's stdout is a FIFO whose reader never reads,
# so its console writes block; --timeout must still end it with 124. timeout(1) kills it after
# 60 s (status 137) if not. STDERR-REDIRECT is "file" (stderr to $TMP/unread.err, which must
# say it timed out) or "same" (stderr on the same blocked FIFO: its messages must not hang).
unread_stdout() {
	name=$1
	where=$2
	shift 2
	rm -f "$TMP/unread.fifo" "$TMP/unread.err"
	mkfifo "$TMP/unread.fifo"
	sleep 100 <"$TMP/unread.fifo" &
	reader=$!
	if [ "$where" = same ]; then
		timeout -s KILL 60 "$VMM" "$@" >"$TMP/unread.fifo" 2>&1
	else
		timeout -s KILL 60 "$VMM" "$@" >"$TMP/unread.fifo" 2>"$TMP/unread.err"
	fi
	got=$?
	kill "$reader" 2>/dev/null
	wait "$reader" 2>/dev/null
	why=""
	[ "$got" = 124 ] || why="exit status $got, expected 124"
	if [ -z "$why" ] && [ "$where" = file ] &&
		! grep -q "guest timed out after 1 s" "$TMP/unread.err"; then
		why="stderr lacks /guest timed out after 1 s/"
	fi
	if [ -z "$why" ]; then
		passed=$((passed + 1))
		echo "ok   [$LABEL] $name"
	else
		failed=$((failed + 1))
		printf 'FAIL [%s] %s: %s\n' "$LABEL" "$name" "$why"
		[ -f "$TMP/unread.err" ] && sed 's/^/     | /' "$TMP/unread.err" | head -n 20
	fi
}
unread_stdout "--timeout ends a console write that blocks (stdout never read)" file \
	--timeout 1 "$PAYLOADS/console_flood.elf"
unread_stdout "--timeout ends it with stderr on the same unread pipe, --stats and all" same \
	--stats --timeout 1 "$PAYLOADS/console_flood.elf"

expect "a triple fault is a crash with a register dump" 127 "guest crashed: triple fault" \
	"vmm: rip=" -- --timeout "$T" "$PAYLOADS/triple_fault.elf"
expect "a console write outside guest RAM is refused" 127 \
	"console_write: buffer \[0xfffffffffffff000, \+0x10\) is outside guest RAM" \
	-- --timeout "$T" "$PAYLOADS/hc_bad_pointer.elf"
expect "an unknown hypercall is refused" 127 "guest crashed: unknown hypercall 0" \
	-- --timeout "$T" "$PAYLOADS/hc_unknown.elf"
expect "port I/O the VMM does not serve is refused" 127 \
	"port write of 1 byte\(s\) at port 0x80, which the VMM does not serve" \
	-- --timeout "$T" "$PAYLOADS/port_unserved.elf"

# ---- ring-3 tasks: system calls, restricted operations, the fuzzer -------------------------
TASKS=build/tasks
. tests/kvm-task-tests.sh
. tests/kvm-timer-tests.sh
. tests/kvm-bench-tests.sh

echo "$HOST: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
