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
	"PASS sleep: 50 ms takes >= 50 ms and < 5 s \[int80\]" \
	"PASS bench: without the bench= word -> EPERM \[syscall\]" \
	"!FAIL " "!STRAYBYTES" "lde: pid 1 \(syscalls.elf\) exited with status 0" \
	-- --timeout "$T" guest.elf "$TASKS/syscalls.elf"
[ "$failed" = "$f" ] || show_lines "^FAIL|STRAYBYTES|syscalls: "

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
# With the timer on, a preemption may fall between a line and its yield: no order asserted.
expect "yield: two tasks both finish with the timer on" 0 \
	"pingpong: pid 1 round 2" "pingpong: pid 2 round 2" "!yield returned" \
	"lde: 2 task\(s\) ended; exit status 0" \
	-- --timeout "$T" guest.elf "$TASKS/yield_pingpong.elf" "$TASKS/yield_pingpong.elf"

# ---- segment registers: selectors and FS/GS bases are per task ------------------------------
# With hz=0 the two copies alternate at each yield: each would see the other's values if
# the switch did not keep them (ring 3 writes the bases with WRFSBASE/WRGSBASE).
expect "segments: each task keeps its own selectors and FS/GS bases across switches" 0 \
	"segs: pid 1: ok" "segs: pid 2: ok" "!FAIL" "lde: 2 task\(s\) ended; exit status 0" \
	-- --timeout "$T" guest.elf hz=0 "$TASKS/segs_isolation.elf" "$TASKS/segs_isolation.elf"

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
for op in hlt cli sti in out iopl rdmsr wrmsr read_cr0 write_cr3 read_cr4 lgdt lidt ltr \
	invlpg wbinvd swapgs; do
	restricted $op 141 "$GP"
done
# int $0x81, a DPL-0 gate: #GP with error code 0x81*8+2 = 0x40a (IDT bit) on hardware;
# QEMU 7.2 reports 0x812 (a QEMU 7.2 bug: vector*16+2). kvm_pvm raises #UD for
# every int n from ring 3 (the kernel only recognises int $0x80 there).
case $PLATFORM in
kvm_pvm) restricted int81 134 "$UD" ;;
*) restricted int81 141 "#GP general protection at rip 40[0-9a-f]{4}, error 0x(40a|812)" ;;
esac
# Page faults: error code bits P=1, W=2, U=4, I=0x10 (instruction fetch).
restricted read_kernel 142 "#PF page fault at rip 40[0-9a-f]{4}, error 0x5, cr2 $KTEXT"
restricted write_kernel 142 "#PF page fault at rip 40[0-9a-f]{4}, error 0x7, cr2 $KTEXT"
restricted jump_kernel 142 "#PF page fault at rip $KTEXT, error 0x15, cr2 $KTEXT"
# A jump to a non-canonical address: the CPU faults on the jump itself (kvm_pvm: the host CPU
# runs ring 3; real AMD-V and VT-x alike); QEMU's TCG takes the jump and faults on the fetch
# at 0x800000000000. Either way a #GP with error code 0.
restricted jump_noncanonical 141 \
	"#GP general protection at rip (40[0-9a-f]{4}|800000000000), error 0x0"
# write_code stores over its own store instruction, exec_* call a ret byte in NX memory:
# CR2 is then the faulting instruction's own address (\1).
restricted write_code 142 "#PF page fault at rip (40[0-9a-f]{4}), error 0x7, cr2 \1"
restricted exec_stack 142 "#PF page fault at rip (7ffffffe[0-9a-f]{4}), error 0x15, cr2 \1"
restricted exec_data 142 "#PF page fault at rip (40[0-9a-f]{4}), error 0x15, cr2 \1"
# Compatibility mode: no 32-bit user code segment exists, so the far return into selector
# 0x1b faults with that selector as error code; before, on AMD, the SYSCALL that followed
# entered ring 0 at CSTAR (then 0) on the user's stack and the kernel died of #DF.
restricted compat_syscall 141 "#GP general protection at rip 40[0-9a-f]{4}, error 0x18"
restricted ud2 134 "$UD"
restricted div0 128 "#DE divide error at rip 40[0-9a-f]{4}, error 0x0"

# ---- the fuzzer: random system calls from a fixed seed; the task and the kernel survive -------
f=$failed
expect "fuzz: random system calls, both entry paths, beside another task" 0 \
	"fuzz: pid 1, seed 0x[0-9a-f]+" "fuzz: [0-9]+ calls, [0-9]+ errors, done" \
	"!UNEXPECTED" "!FUZZLEAK" "!kernel panic" "hello_task: pid 2" "$HELLO_OK" \
	"lde: 2 task\(s\) ended; exit status 0" \
	-- --timeout "$T" guest.elf "$TASKS/fuzz_ci.elf" "$HELLO"
[ "$failed" = "$f" ] || show_lines "UNEXPECTED|fuzz: "

# ---- refused modules: reported with the reason, status 121, the other tasks still run -------
: >"$TMP/empty.elf"
head -c 100 "$HELLO" >"$TMP/short.elf" # its program headers are cut off
head -c 300 "$HELLO" >"$TMP/cut.elf"   # headers whole, segments cut off
# (The refused module uses up pid 1, so hello_task's pid is not asserted.)
refused() {
	expect "a bad module is refused: $1" 121 "lde: module 0 \([^)]*\): refused: $2" \
		"hello_task: pid [0-9]+" "$HELLO_OK" "lde: 1 task\(s\) ended; exit status 121" \
		-- --timeout "$T" guest.elf "$3" "$HELLO"
}
refused "a text file" "not an ELF file" tests/tasks/syscalls.c
refused "an empty file" "too short for an ELF header" "$TMP/empty.elf"
refused "an ELF cut inside its program headers" "program headers lie outside the file" \
	"$TMP/short.elf"
refused "an ELF cut before its segments" "segment lies outside the file" "$TMP/cut.elf"
refused "a host executable (PIE, dynamically linked)" "not a static non-PIE executable" "$VMM"
refused "the kernel itself (linked in the top half)" "segment lies outside user space" guest.elf
refused "a writable and executable segment" "segment is writable and executable \(W\^X\)" \
	"$TASKS/wx_task.elf"

# ---- a guest-side assertion: expression, file and line reach the VMM (LDE_HC_ASSERT) ---------
expect "a failed LDE_ASSERT is reported by the VMM with expression, file and line; the others run" 123 \
	"assert_fail: pid 1, about to fail" \
	"^vmm: guest assertion failed: pid 1: pid == 0 && \"a task's pid is never 0\" \(tests/tasks/assert_fail.c:10\)$" \
	"lde: pid 1 \(assert_fail.elf\) failed an assertion \(status 123\)" "!assert_fail: survived" \
	"hello_task: pid 2" "$HELLO_OK" "lde: 2 task\(s\) ended; exit status 123$" \
	-- --timeout "$T" guest.elf "$TASKS/assert_fail.elf" "$HELLO"

# ---- exit statuses: 0 if every task exited 0, else the lowest-pid failure's, whatever the timing --
expect "exit status: main returning 7 gives 7" 7 "lde: pid 1 \(exit7.elf\) exited with status 7" \
	"hello_task: pid 2" "$HELLO_OK" "lde: 2 task\(s\) ended; exit status 7\$" \
	-- --timeout "$T" guest.elf "$TASKS/exit7.elf" "$HELLO"
expect "exit status: a killed task, then exit(3): the lowest pid's 134" 134 \
	"lde: pid 1 \(restricted_ud2.elf\) killed: #UD" "lde: pid 2 \(exit3.elf\) exited with status 3" \
	"lde: 2 task\(s\) ended; exit status 134\$" \
	-- --timeout "$T" guest.elf "$TASKS/restricted_ud2.elf" "$TASKS/exit3.elf"
expect "exit status: exit(3), then a killed task: the lowest pid's 3" 3 \
	"lde: pid 1 \(exit3.elf\) exited with status 3" "lde: pid 2 \(restricted_ud2.elf\) killed: #UD" \
	"lde: 2 task\(s\) ended; exit status 3\$" \
	-- --timeout "$T" guest.elf "$TASKS/exit3.elf" "$TASKS/restricted_ud2.elf"

# ---- resource exhaustion: the task suffers, the kernel and the other tasks do not -----------
expect "a task that overflows its stack hits the guard page and is killed" 142 \
	"lde: pid 1 \(stack_overflow.elf\) killed: #PF page fault at rip [0-9a-f]+, error 0x6, cr2 7ffffffd[ef][0-9a-f]{3} " \
	"hello_task: pid 2" "$HELLO_OK" "!stack_overflow: survived" "!kernel panic" \
	-- --timeout "$T" guest.elf "$TASKS/stack_overflow.elf" "$HELLO"
expect "an image needing more memory than the guest has is refused; the others run" 121 \
	"lde: module 0 \(huge_bss.elf\): refused: needs [0-9]+ KiB of guest RAM, [0-9]+ KiB free" \
	"hello_task: pid 1" "!huge_bss: running" "!kernel panic" \
	-- --timeout "$T" guest.elf "$TASKS/huge_bss.elf" "$HELLO"
# A terabyte of bss is refused before the kernel takes a page: guest RAM stays untouched,
# so the VMM's peak RSS stays far below the 512 MiB it would reach if the kernel filled it.
expect "a task asking for a terabyte is refused at once; the others run" 121 \
	"lde: module 0 \(tera_bss.elf\): refused: needs 10[0-9]{8} KiB of guest RAM, [0-9]+ KiB free" \
	"hello_task: pid 1" "$HELLO_OK" "!tera_bss: running" "!kernel panic" \
	-- --stats --mem 512M --timeout "$T" guest.elf "$TASKS/tera_bss.elf" "$HELLO"
tera_rss=$(sed -n 's/^vmm: stats: peak resident memory \([0-9]*\) KiB$/\1/p' "$TMP/out")
if [ -n "$tera_rss" ] && [ "$tera_rss" -lt 131072 ]; then
	passed=$((passed + 1))
	echo "ok   [$LABEL] refusing a terabyte touches little guest RAM: peak RSS $tera_rss KiB"
else
	failed=$((failed + 1))
	echo "FAIL [$LABEL] refusing a terabyte: peak RSS '$tera_rss' KiB, want < 131072 (a 512 MiB guest)"
fi
expect "the same image runs in a guest large enough for it" 0 \
	"huge_bss: running with 536870912 bytes of data" "lde: pid 1 \(huge_bss.elf\) exited with status 0" \
	-- --mem 1G --timeout "$T" guest.elf "$TASKS/huge_bss.elf"
expect "a task exiting with a reserved status (125) is reported as 122, not as a VMM error" 122 \
	"lde: pid 1 \(exit125.elf\) exited with status 125" "status 125 is reserved: the guest reports it as 122" \
	"lde: 1 task\(s\) ended; exit status 122\$" "!guest crashed" \
	-- --timeout "$T" guest.elf "$TASKS/exit125.elf"
