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
	expect_run "$name" "$want" "$@"
}

# verdict NAME [LOG]: count and print one check's result: a pass when $why is empty; a failure
# says why and shows the first lines of LOG ($TMP/out when not given).
verdict() {
	if [ -z "$why" ]; then
		passed=$((passed + 1))
		echo "ok   [$LABEL] $1"
		return
	fi
	failed=$((failed + 1))
	printf 'FAIL [%s] %s: %s\n' "$LABEL" "$1" "$why"
	[ -f "${2:-$TMP/out}" ] && sed 's/^/     | /' "${2:-$TMP/out}" | head -n 40
}

# expect_run NAME STATUS VMM-ARGS...: expect, with the patterns already in $TMP/pats.
expect_run() {
	name=$1
	want=$2
	shift 2
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
	[ -z "$why" ] || why="$why
     command: $VMM $*"
	verdict "$name"
}

# run_cases TABLE: each line of TABLE (tests/kvm-cases.tbl says the format) as one expect.
# The line's words are NAME STATUS ARGS... :: PATTERNS...: the patterns go to $TMP/pats, and
# the arguments are rotated to the end of the list while everything before them is shifted
# away, which leaves exactly the arguments (POSIX sh has no arrays).
run_cases() {
	while IFS= read -r line; do
		case $line in '' | '#'*) continue ;; esac
		eval "set -- $line"
		c_name=$1
		c_status=$2
		shift 2
		: >"$TMP/pats"
		n=$#
		seen=0
		while [ "$n" -gt 0 ]; do
			if [ "$seen" = 1 ]; then
				printf '%s\n' "$1" >>"$TMP/pats"
			elif [ "$1" = "::" ]; then
				seen=1
			else
				set -- "$@" "$1"
			fi
			shift
			n=$((n - 1))
		done
		expect_run "$c_name" "$c_status" "$@"
	done <"$1"
}

# The --stats description of this host's platform, for the cases that check it.
case $PLATFORM in
kvm_pvm) desc="software-assisted KVM" ;;
kvm_amd) desc="hardware virtualisation \(AMD-V\)" ;;
kvm_intel) desc="hardware virtualisation \(Intel VT-x\)" ;;
*) desc="unknown" ;;
esac

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

# With gbpages=1 the direct map takes 1 GiB pages where the guest's CPUID has them, and never
# on a guest smaller than one. KVM gives a guest pdpe1gb where the host has it; with shadow
# paging (kvm_pvm) it may give it where the host has not, so only a host with it decides what
# to expect.
if grep -qw pdpe1gb /proc/cpuinfo; then gb_want="1 GiB"; else gb_want="(1 GiB|2 MiB)"; fi
expect "gbpages=1 --mem 3G: RAM mapped in $gb_want pages (pdpe1gb in /proc/cpuinfo decides)" 0 \
	"RAM mapped in $gb_want pages" -- --mem 3G --timeout "$T" guest.elf gbpages=1 selftest=ud
expect "gbpages=1 --mem 1026M: a $gb_want page and a 2 MiB one, and the demo runs" 0 \
	"1026 MiB RAM" "RAM mapped in $gb_want pages" "4 of 4 tasks behaved as predicted" \
	-- --mem 1026M --timeout "$T" guest.elf gbpages=1
expect "gbpages=1 --mem 1022M: RAM mapped in 2 MiB pages, under a GiB" 0 \
	"RAM mapped in 2 MiB pages" -- --mem 1022M --timeout "$T" guest.elf gbpages=1 selftest=ud

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
why=""
if [ "$direct_status" != 121 ] || ! grep -q "module 0 (256m.elf): refused: not an ELF file" "$TMP/direct" ||
	[ -z "$direct_rss" ] || [ "$direct_rss" -ge 393216 ]; then
	why="status $direct_status (want 121), peak RSS '${direct_rss}' KiB (want < 393216: no second copy)"
fi
verdict "a 256 MiB task image goes straight into guest RAM; peak RSS ${direct_rss} KiB" "$TMP/direct"
rm -f "$TMP/huge.elf" "$TMP/8m.elf" "$TMP/256m.elf"

# ---- hostile and broken guests -----------------------------------------------------------

# A 256 MiB console flood: all of it arrives, and the VMM holds none of it in memory.
flood_bytes=$({ "$VMM" --stats --timeout "$T" "$PAYLOADS/console_flood.elf" 2>"$TMP/flood"
	echo $? >"$TMP/flood.rc"; } | wc -c)
flood_status=$(cat "$TMP/flood.rc")
flood_rss=$(sed -n 's/^vmm: stats: peak resident memory \([0-9]*\) KiB$/\1/p' "$TMP/flood")
why=""
if [ "$flood_status" != 0 ] || [ "$flood_bytes" -ne 268435456 ] || [ -z "$flood_rss" ] ||
	[ "$flood_rss" -ge 32768 ]; then
	why="status $flood_status, ${flood_bytes} bytes (want 268435456), peak RSS '${flood_rss}' KiB (want < 32768)"
fi
verdict "a 256 MiB console flood arrives whole; peak RSS ${flood_rss} KiB" "$TMP/flood"

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
	verdict "$name" "$TMP/unread.err"
}
unread_stdout "--timeout ends a console write that blocks (stdout never read)" file \
	--timeout 1 "$PAYLOADS/console_flood.elf"
unread_stdout "--timeout ends it with stderr on the same unread pipe, --stats and all" same \
	--stats --timeout 1 "$PAYLOADS/console_flood.elf"


# ---- ring-3 tasks: system calls, restricted operations, the fuzzer -------------------------
TASKS=build/tasks
. tests/kvm-task-tests.sh
. tests/kvm-timer-tests.sh
. tests/kvm-bench-tests.sh

# ---- the cases that are one run each: the kernel, the VMM, images, tasks (one line each) ----
run_cases tests/kvm-cases.tbl

echo "$HOST: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
