#!/bin/sh
# tests/gdb-tests.sh: vmm/vmm --gdb with Debian's gdb in batch mode, and the stub against broken, vanishing and second clients.
#
# Runs where there is KVM: on the local /dev/kvm, or inside tests/qemu-run with
# QEMU_RUN_GDB=1, which takes gdb along (tests/check-all.sh runs it there). POSIX sh: it
# also runs under busybox ash. Ends with "gdb-HOST: N passed, N failed".
set -u
cd "$(dirname "$0")/.." || exit 1

VMM=vmm/vmm
TASKS=build/tasks
T=120 # the guest's timeout: every run here takes seconds
LABEL=${LDE_HOST:-local}
passed=0
failed=0
TMP=$(mktemp -d) || exit 1
trap 'rm -rf "$TMP"' EXIT INT TERM
PORT=$((20000 + $$ % 20000)) # not a fixed one: a local run may share the machine

verdict() {
	if [ -z "$why" ]; then
		passed=$((passed + 1))
		echo "ok   [$LABEL] $1"
	else
		failed=$((failed + 1))
		printf 'FAIL [%s] %s: %s\n' "$LABEL" "$1" "$why"
		for f in "$TMP/gdb.out" "$TMP/vmm.out"; do
			[ -f "$f" ] && sed 's/^/     | /' "$f" | tail -n 30
		done
	fi
}

# The QEMU runner's VM starts with its loopback interface down.
if [ "$LABEL" = qemu ]; then ip link set lo up 2>/dev/null || ifconfig lo 127.0.0.1 up; fi
command -v gdb >/dev/null 2>&1 || {
	echo "FAIL [$LABEL] gdb: not found (apt-get install gdb; inside tests/qemu-run: QEMU_RUN_GDB=1)"
	echo "gdb-$LABEL: 0 passed, 1 failed"
	exit 1
}

# start_vmm ARGS...: the VMM in the background, waiting for the debugger on $PORT; returns
# once it listens (or gave up).
start_vmm() {
	PORT=$((PORT + 1))
	# Emptied here, not by the redirection below: that happens in the child, and the wait
	# that follows could read the last run's "waiting" line before it.
	: >"$TMP/vmm.out"
	"$VMM" --timeout "$T" --gdb "$PORT" "$@" >>"$TMP/vmm.out" 2>&1 &
	vpid=$!
	n=0
	while [ $n -lt 100 ] && ! grep -q "waiting for the debugger" "$TMP/vmm.out"; do
		sleep 0.1
		n=$((n + 1))
	done
}

# ---- the walkthrough of the README, in gdb -batch ------------------------------------------
: >"$TMP/gdb.out"
start_vmm guest.elf -- "$TASKS/args.elf" one "two words"
timeout 100 gdb -nx -batch -ex 'set pagination off' -ex 'set confirm off' \
	-ex 'file guest.elf' -ex "target remote 127.0.0.1:$PORT" \
	-ex 'info registers rip' \
	-ex "add-symbol-file $TASKS/args.elf" -ex 'break main' -ex 'break sys_getpid' \
	-ex 'continue' -ex 'info args' -ex 'print argv[2]' -ex 'info threads' \
	-ex 'continue' -ex 'bt' -ex 'print/x $pc' -ex 'stepi' -ex 'print/x $pc' \
	-ex 'info registers rsp cr3' -ex 'x/2i $pc' -ex 'print/x *(unsigned char *)$pc' \
	-ex 'delete' -ex 'continue' >"$TMP/gdb.out" 2>&1
grc=$?
wait $vpid
vrc=$?
why=""
check() { # check WHAT EREGEX: the gdb session's output matches
	[ -n "$why" ] || grep -Eq -- "$2" "$TMP/gdb.out" || why="$1: no line matches /$2/"
}
check "the first instruction, before the guest ran" '^rip +0x100000 '
check "the task's breakpoint, with its arguments" 'hit Breakpoint 1, main \(argc=3, argv=0x[0-9a-f]+, envp=0x[0-9a-f]+\) at tests/tasks/args.c'
check "argv read from the task's address space" '^\$1 = 0x[0-9a-f]+ "two words"$'
check "threads: the kernel and pid 1 by name" 'Thread 2147483647 \(kernel \(no task\)\)'
check "threads: the task" '\* 2 +Thread 1 \(pid 1 \(args.elf\)\) +main \(argc=3'
check "the kernel breakpoint" 'hit Breakpoint 2, sys_getpid \('
# The table call is inlined into the dispatcher: GDB shows it as its own frame, #1.
check "bt through the dispatcher" '^#[12] .*syscall_dispatch \(tf='
check "bt through the entry" '^#[234] .* in syscall_entry \(\) at guest/syscall_entry.S'
check "registers" '^cr3 +0x[0-9a-f]+'
check "memory read at the kernel's RIP, int3 hidden" '^\$[0-9]+ = 0x[0-9a-f]+$'
check "delete and continue to the end" '\[Inferior 1 \(Remote target\) exited normally\]'
[ -n "$why" ] || [ "$grc" = 0 ] || why="gdb exited $grc"
[ -n "$why" ] || [ "$vrc" = 0 ] || why="the VMM exited $vrc, expected 0"
[ -n "$why" ] || grep -q "^args: pid 1: argc 3: .*|one|two words" "$TMP/vmm.out" || why="the task's own output is missing"
verdict "gdb -batch: task breakpoint with argv, threads, kernel breakpoint, bt, stepi, registers, memory, exit 0"
# stepi moved the PC on by one instruction in sys_getpid
pcs=$(grep -E '^\$[0-9]+ = 0xffffffff8[0-9a-f]+$' "$TMP/gdb.out" | sed 's/.* = //' | tr '\n' ' ')
why=""
set -- $pcs
if [ $# -lt 2 ] || [ "$1" = "$2" ]; then why="the PC before and after stepi: '$pcs'"; fi
verdict "stepi in the kernel moves the PC by one instruction ($pcs)"

# ---- the raw protocol: broken packets, a client that goes away, a second client ------------
# A client that sends garbage, a bad checksum and a packet longer than the stub takes, then
# hangs up: the stub answers '-' where it must, and the guest runs on to its end.
: >"$TMP/gdb.out"
start_vmm guest.elf "$TASKS/hello_task.elf"
{
	printf 'junk$zz#00'                  # bad checksum
	printf '$%05000d#00' 0               # longer than 4096 bytes
	printf '$qSupported#37'              # a good one
	sleep 1
} | nc 127.0.0.1 "$PORT" >"$TMP/gdb.out" 2>&1
wait $vpid
vrc=$?
why=""
if [ "$vrc" != 0 ]; then why="the VMM exited $vrc after the client went away, expected 0"
elif ! grep -q "^hello_task: pid 1$" "$TMP/vmm.out"; then why="the guest did not run on"
elif ! grep -q "vmm: gdb: the debugger went away; the guest runs on" "$TMP/vmm.out"; then
	why="the VMM did not say the debugger went away"
elif ! grep -q -- '-' "$TMP/gdb.out"; then why="no '-' for the bad packets"
elif ! grep -q 'PacketSize=1000;qXfer:features:read+' "$TMP/gdb.out"; then
	why="no answer to the good packet after the bad ones"
fi
verdict "malformed packets answered '-', a client that hangs up: the guest runs on, status 0"

# A second client while the first is connected is refused; Ctrl-C (0x03) stops a running
# guest (T02); the seccomp filter is in force while the debugger is attached.
: >"$TMP/gdb.out"
start_vmm guest.elf "$TASKS/sleeper_idle.elf"
# (Each '+' acknowledges the stub's reply before it, as GDB would.)
{
	printf '$?#3f'
	sleep 0.5
	printf '+$c#63' # continue: the sandbox goes on, the guest sleeps
	sleep 1
	printf '\003' # Ctrl-C
	sleep 1
	printf '+$D#44' # detach
	sleep 0.5
	printf '+'
} | nc 127.0.0.1 "$PORT" >"$TMP/gdb.out" 2>&1 &
npid=$!
sleep 1
nc 127.0.0.1 "$PORT" </dev/null >"$TMP/second.out" 2>&1
src=$?
seccomp=$(sed -n 's/^Seccomp:[[:space:]]*//p' "/proc/$vpid/status" 2>/dev/null)
wait $npid
wait $vpid
vrc=$?
why=""
if [ "$src" = 0 ] && ! grep -qi "refused" "$TMP/second.out"; then why="a second client was let in"
elif [ "$seccomp" != 2 ]; then why="Seccomp: '$seccomp' while the debugger was attached, expected 2"
elif ! grep -q '\$T02thread:' "$TMP/gdb.out"; then why="no T02 stop after Ctrl-C: $(cat "$TMP/gdb.out")"
elif ! grep -q '\$OK#9a' "$TMP/gdb.out"; then why="detach not answered OK"
elif [ "$vrc" != 0 ]; then why="the VMM exited $vrc after the detach, expected 0"
fi
verdict "a second client is refused; Ctrl-C stops the guest (T02); seccomp stays on; detach lets it finish"

echo "gdb-$LABEL: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
