# tests/kvm-task-tests.sh: sourced by tests/kvm-tests.sh: ring-3 tasks under the kernel.
#
# Uses what kvm-tests.sh defines: expect, $VMM, $TASKS (build/tasks), $T (the guest timeout),
# $TMP, $PLATFORM, $LABEL and the passed/failed counters. POSIX sh: it also runs under busybox
# ash inside the QEMU runner. The programs are tests/tasks/*.c (tests/tasks/tasks.mk).

HELLO=$TASKS/hello_task.elf
HELLO_OK="\(hello_task.elf\) exited with status 0"

# show_lines PATTERN: after a failed check, the matching lines of the last output (the
# interesting ones may be past the 40 lines that expect shows).
show_lines() {
	grep -aE -- "$1" "$TMP/out" | head -n 40 | sed 's/^/     > /'
}

# ---- system calls: every call and error case, through SYSCALL and through int $0x80 --------
# syscalls.elf prints PASS/FAIL per check and "syscalls: N passed, M failed". The write that
# runs off the top of the stack fills the bytes it may not print with STRAYBYTES.
f=$failed
expect "syscalls: every system call and error case, both entry paths" 0 \
	"lde: pid 1 \(syscalls.elf\) started" "syscalls: [0-9]+ passed, 0 failed" \
	"PASS write: .*fd 1 -> 2 \[syscall\]" "PASS write: .*fd 1 -> 2 \[int80\]" \
	"PASS registers: rsp preserved \[syscall\]" "PASS registers: rsp preserved \[int80\]" \
	"PASS nanosleep: 50 ms takes >= 50 ms and < 5 s \[int80\]" \
	"PASS bench: without the bench= word -> EPERM \[syscall\]" \
	"!FAIL " "!STRAYBYTES" "lde: pid 1 \(syscalls.elf\) exited with status 0" \
	-- --timeout "$T" guest.elf "$TASKS/syscalls.elf"
[ "$failed" = "$f" ] || show_lines "^FAIL|STRAYBYTES|syscalls: "
# It calls each unserved number through both paths: the kernel names each once a task, and
# of the numbers past its table only the first (57 is Linux's fork, 999 no Linux call).
why=""
for want in "1 system call 57 \(fork\) is not served" \
	"1 system call 999 \(not a Linux call\) is not served: -ENOSYS$" \
	"1 later numbers past the table are not named" "3 is not served"; do
	n=$(grep -cE -- "${want#* }" "$TMP/out")
	[ "$n" = "${want%% *}" ] || why="$why /${want#* }/ matched $n lines, expected ${want%% *};"
done
verdict "syscalls: each unserved number is named once a task, on stderr"

# ---- yield: two tasks take turns -------------------------------------------------------------
# pingpong_order NAME VMM-ARGS...: runs two yield_pingpong copies; passes when both exit 0 and
# their lines come strictly in turn: pid 1 round 0, pid 2 round 0, pid 1 round 1, ...
# (expect matches line by line and cannot check an order, hence this one.)
pingpong_order() {
	name=$1
	shift
	"$VMM" "$@" >"$TMP/out" 2>&1 </dev/null
	got=$?
	order=$(sed -n 's/^pingpong: pid \([0-9]*\) round \([0-9]*\)$/\1.\2/p' "$TMP/out" | tr '\n' ' ')
	want="1.0 2.0 1.1 2.1 1.2 2.2 "
	why=""
	if [ "$got" != 0 ]; then why="exit status $got, expected 0"
	elif [ "$order" != "$want" ]; then why="lines in the order '$order', expected '$want'"
	fi
	if [ -z "$why" ]; then
		passed=$((passed + 1))
		echo "ok   [$LABEL] $name"
	else
		failed=$((failed + 1))
		echo "FAIL [$LABEL] $name: $why"
		echo "     command: $VMM $*"
		sed 's/^/     | /' "$TMP/out" | head -n 40
	fi
}
# With hz=0 there is no timer, so only yield() switches: the order is exact.
pingpong_order "yield: two tasks alternate strictly (hz=0, no preemption)" \
	--timeout "$T" guest.elf hz=0 "$TASKS/yield_pingpong.elf" "$TASKS/yield_pingpong.elf"

# ---- restricted operations: each kills the task (128 + vector), the next task still runs ------
# restricted OP STATUS KILL: restricted_OP.elf, then hello_task; the kill line must match
# "killed: KILL (status STATUS)". KILL names the exception, RIP, error code and, for #PF, CR2.
restricted() {
	expect "restricted $1: killed with status $2" "$2" \
		"restricted: about to $1\$" \
		"lde: pid 1 \(restricted_$1.elf\) killed: $3 \(status $2\)" \
		"!restricted: survived" "hello_task: pid 2" "$HELLO_OK" \
		"lde: 2 task\(s\) ended; exit status $2\$" \
		-- --timeout "$T" guest.elf "$TASKS/restricted_$1.elf" "$HELLO"
}
GP="#GP general protection at rip 40[0-9a-f]{4}, error 0x0"
UD="#UD invalid opcode at rip 40[0-9a-f]{4}, error 0x0"
KTEXT=ffffffff80100000 # restricted.c: KERNEL_TEXT
# int $0x81 is platform-dependent, so it stays here.
# int $0x81, a DPL-0 gate: #GP with error code 0x81*8+2 = 0x40a (IDT bit) on hardware;
# QEMU 7.2 reports 0x812 (a QEMU 7.2 bug: vector*16+2). kvm_pvm raises #UD for
# every int n from ring 3 (the kernel only recognises int $0x80 there).
case $PLATFORM in
kvm_pvm) restricted int81 134 "$UD" ;;
*) restricted int81 141 "#GP general protection at rip 40[0-9a-f]{4}, error 0x(40a|812)" ;;
esac
# The other operations are one line each in tests/kvm-cases.tbl; they use these names.

# ---- the fuzzer: random system calls from a fixed seed; the task and the kernel survive -------
f=$failed
expect "fuzz: random system calls, both entry paths, beside another task" 0 \
	"fuzz: pid 1, seed 0x[0-9a-f]+" "fuzz: [0-9]+ calls, [0-9]+ errors, done" \
	"!UNEXPECTED" "!FUZZLEAK" "!kernel panic" "hello_task: pid 2" "$HELLO_OK" \
	"lde: 2 task\(s\) ended; exit status 0" \
	-- --timeout "$T" guest.elf "$TASKS/fuzz_ci.elf" "$HELLO"
[ "$failed" = "$f" ] || show_lines "UNEXPECTED|fuzz: "

# ---- standard streams: fd 0 is the VMM's stdin, fd 1 its stdout, fd 2 its stderr ----------
# A musl filter (tests/linux/upper.c): what it writes to stdout must be exactly the input in
# upper case, with every line of the kernel's and the task's count on stderr instead.
printf 'abc\nxyz 1\n' | "$VMM" --timeout "$T" guest.elf -- "$TASKS/musl_upper.elf" \
	>"$TMP/up.out" 2>"$TMP/up.err"
got=$?
printf 'ABC\nXYZ 1\n' >"$TMP/up.want"
why=""
if [ "$got" != 0 ]; then
	why="exit status $got, expected 0"
elif ! cmp -s "$TMP/up.out" "$TMP/up.want"; then
	why="stdout is not exactly the input in upper case: $(od -c "$TMP/up.out" | head -n 3)"
elif ! grep -q "^upper: 10 bytes$" "$TMP/up.err"; then
	why="stderr lacks the task's count"
elif ! grep -q "lde: pid 1 (musl_upper.elf) exited with status 0" "$TMP/up.err"; then
	why="the kernel's lines are not on stderr"
fi
verdict "a filter: stdin in, exactly its output on stdout, the kernel's and the task's lines on stderr" \
	"$TMP/up.err"

# ---- ordinary programs: Debian's busybox-static, in the guest and on the host ---------------
# bb_same INPUT APPLET [ARG...]: the applet with INPUT on its stdin, once on this host and once
# as the guest's one task; passes when stdout and the exit status are the same, and the
# kernel served every call it made (no "is not served" line).
# (busybox ash's `command -v busybox` says "busybox": a path is wanted.)
BUSYBOX=/bin/busybox
[ -x "$BUSYBOX" ] || BUSYBOX=$(command -v busybox || echo /usr/bin/busybox)
bb_same() {
	input=$1
	shift
	(cd / && printf "$input" | "$BUSYBOX" "$@") >"$TMP/bb.host" 2>/dev/null # a task's cwd is /
	want=$?
	printf "$input" | "$VMM" --timeout "$T" guest.elf -- "$BUSYBOX" "$@" >"$TMP/bb.guest" 2>"$TMP/out"
	got=$?
	why=""
	if [ "$got" != "$want" ]; then
		why="exit status $got in the guest, $want on the host"
	elif ! cmp -s "$TMP/bb.host" "$TMP/bb.guest"; then
		why="stdout differs: host '$(head -c 80 "$TMP/bb.host")', guest '$(head -c 80 "$TMP/bb.guest")'"
	elif grep -q "is not served" "$TMP/out"; then
		why="a call was not served: $(grep "is not served" "$TMP/out" | head -n 1)"
	fi
	verdict "busybox $*: as on the host"
}
if [ -x "$BUSYBOX" ]; then
	bb_same '' echo hello world
	bb_same '' seq 3
	bb_same '' expr 6 '*' 7
	bb_same '' printf '%s-%d\n' a 5
	bb_same '' factor 360
	bb_same '' basename /a/b/c.txt .txt
	bb_same '' sleep 0.1
	bb_same '' true
	bb_same '' false
	bb_same '' uname -s
	bb_same '' pwd
	bb_same '' sh -c 'x=6; echo $((x * 7)); for i in 1 2; do echo $i; done'
	for applet in sha256sum md5sum wc sort uniq 'tr a-z A-Z' 'cut -c1-3' 'od -c' 'sed s/line/LINE/'; do
		# shellcheck disable=SC2086 # the applet's words are meant to split
		bb_same 'b line\na line\nb line\n' $applet
	done
else
	failed=$((failed + 1))
	echo "FAIL [$LABEL] busybox applets: no busybox at $BUSYBOX (install busybox-static: sh .ci/deps)"
fi

# ---- --trace: the run as Chrome trace-event JSON -------------------------------------------
# musl_hello makes exactly these system calls (its strace): each must be a slice on pid 1's
# track, begun and ended, in this order, and the file must end with its event count.
"$VMM" --timeout "$T" --trace "$TMP/trace.json" guest.elf -- "$TASKS/musl_hello.elf" one \
	>"$TMP/out" 2>&1
got=$?
calls=$(grep '"tid":1,.*"cat":"syscall"' "$TMP/trace.json" | grep '"ph":"B"' |
	sed 's/.*"name":"\([a-z_]*\)".*/\1/' | tr '\n' ' ')
want="arch_prctl set_tid_address ioctl writev writev writev exit_group "
begun=$(grep -c '"ph":"B","pid":1,"tid":1,' "$TMP/trace.json")
ended=$(grep -c '"ph":"E","pid":1,"tid":1,' "$TMP/trace.json")
why=""
if [ "$got" != 1 ]; then why="exit status $got, expected 1 (musl_hello's argc - 1)"
elif [ "$calls" != "$want" ]; then why="system calls '$calls', expected '$want'"
elif [ "$begun" != "$ended" ]; then why="$begun slices begun on pid 1's track, $ended ended"
elif ! tail -n 1 "$TMP/trace.json" | grep -q '"lde":{"events":[0-9]*,"dropped_kernel":0,"dropped_cap":0}}$'; then
	why="the file does not end with its event count: $(tail -c 200 "$TMP/trace.json")"
elif ! grep -q '"ph":"i","pid":1,"tid":1,.*"name":"exit","args":{"status":1}' "$TMP/trace.json"; then
	why="no exit instant with status 1 on pid 1's track"
elif ! grep -q "^vmm: trace: [0-9]* events in $TMP/trace.json$" "$TMP/out"; then
	why="the VMM did not say what it wrote"
fi
verdict "--trace: the task's 7 system calls as slices, in order, begun and ended; the count at the end"
# The demo: four tasks, a timer, a kill: every task's slices balance, and there are traps,
# switches and VM exits in it.
"$VMM" --timeout "$T" --trace "$TMP/demo.json" guest.elf >"$TMP/out" 2>&1
got=$?
why=""
if [ "$got" != 0 ]; then why="exit status $got, expected 0"; fi
for pid in 1 2 3 4; do
	b=$(grep -c "\"ph\":\"B\",\"pid\":1,\"tid\":$pid," "$TMP/demo.json")
	e=$(grep -c "\"ph\":\"E\",\"pid\":1,\"tid\":$pid," "$TMP/demo.json")
	[ -n "$why" ] || [ "$b" = "$e" ] || why="pid $pid: $b slices begun, $e ended"
	[ -n "$why" ] || [ "$b" -gt 0 ] || why="pid $pid: no slice at all"
done
# A switch the timer caused: which tasks it was between depends on when the ticks fell (a
# sanitized VMM in the emulator once saw six timer switches, none of them 1 to 2).
for want in '"name":"timer interrupt"' '"why":"timer"}' \
	'"name":"killed","args":{"trap":"#PF page fault"' '"cat":"vmexit","name":"trace"' \
	'"name":"trap table installed (lidt)"' '"name":"timer started"'; do
	[ -n "$why" ] || grep -qF -- "$want" "$TMP/demo.json" || why="no $want"
done
verdict "--trace of the demo: balanced slices on every task's track; the timer, a switch, the kill, VM exits"

# ---- fixtures for the refused-module cases in tests/kvm-cases.tbl --------------------------
: >"$TMP/empty.elf"
head -c 100 "$HELLO" >"$TMP/short.elf" # its program headers are cut off
head -c 300 "$HELLO" >"$TMP/cut.elf"   # headers whole, segments cut off

# ---- resource exhaustion: the task suffers, the kernel and the other tasks do not -----------
# A terabyte of bss is refused before the kernel takes a page: guest RAM stays untouched,
# so the VMM's peak RSS stays far below the 512 MiB it would reach if the kernel filled it.
expect "a task asking for a terabyte is refused at once; the others run" 121 \
	"lde: module 0 \(tera_bss.elf\): refused: needs 10[0-9]{8} KiB of guest RAM, [0-9]+ KiB free" \
	"hello_task: pid 1" "$HELLO_OK" "!tera_bss: running" "!kernel panic" \
	-- --stats --mem 512M --timeout "$T" guest.elf "$TASKS/tera_bss.elf" "$HELLO"
tera_rss=$(sed -n 's/^vmm: stats: peak resident memory \([0-9]*\) KiB$/\1/p' "$TMP/out")
why=""
[ -n "$tera_rss" ] && [ "$tera_rss" -lt 131072 ] ||
	why="peak RSS '$tera_rss' KiB, want < 131072 (a 512 MiB guest)"
verdict "refusing a terabyte touches little guest RAM: peak RSS $tera_rss KiB"
