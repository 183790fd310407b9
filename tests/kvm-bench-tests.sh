# tests/kvm-bench-tests.sh: sourced by tests/kvm-tests.sh: SYS_bench's contract, its per-task modes, its single-stepped instruction counts (vmm --step), and one quick run of each bench task.
#
# Uses what kvm-tests.sh defines: expect, $VMM, $TASKS (build/tasks), $T (the guest timeout),
# $TMP, $PLATFORM, $LABEL and the passed/failed counters, and show_lines from
# kvm-task-tests.sh. POSIX sh: it also runs under busybox ash inside the QEMU runner. The
# programs are tests/tasks/bench_*.c (tests/tasks/tasks.mk) and bench/tasks/*.c, built into
# build/bench by `make build/bench/guestbench.elf ...` (bench/bench.mk); the QEMU runner copies
# build/bench only when asked: QEMU_RUN_FILES=build/bench.
#
# Every run here has hz=0: TIMER is only for a task alone, and with no timer only yield()
# switches, so the turns of two tasks are exact. Time: about 2 s on kvm_pvm, 3 s in QEMU.

BENCH=build/bench

# ---- SYS_bench, op by op -------------------------------------------------------------------------
# bench_hooks.elf prints PASS/FAIL per check and "bench_hooks: N passed, M failed"; it names
# the platform INFO reports, which must be the module this host runs.
f=$failed
expect "bench hooks: SYS_bench's ops, error cases and modes behave as abi/bench.h says" 0 \
	"lde: pid 1 \(bench_hooks.elf\) started" "bench_hooks: platform $PLATFORM, tsc_khz [1-9]" \
	"PASS raw syscall: rax comes back as SYS_getpid" "PASS raw int80: rax comes back as SYS_getpid" \
	"PASS ud resume: execution goes on after each of 100 ud2" \
	"PASS timer: ticks arrive at 1000 Hz" "bench_hooks: [0-9]+ passed, 0 failed" \
	"!FAIL " "!kernel panic" "lde: pid 1 \(bench_hooks.elf\) exited with status 0" \
	-- --timeout "$T" guest.elf "$TASKS/bench_hooks.elf" hz=0 bench=on
[ "$failed" = "$f" ] || show_lines "^FAIL|bench_hooks: "

# ---- modes are per task ----------------------------------------------------------------------
# Two bench_isolation copies: pid 1 with a raw SYSCALL, pid 2 with a raw int $0x80, taking
# turns three times; each checks after every switch that its own path is raw and the other
# whole, and pid 2 that TIMER is refused while pid 1 exists (-EPERM), accepted once alone.
f=$failed
expect "bench modes are per task: a raw path stays with its task across switches" 0 \
	"PASS pid 1 round 2: own raw syscall: rax comes back as SYS_getpid" \
	"PASS pid 2 round 2: syscall getpid returns 2" \
	"PASS pid 2 round 2: own raw int80: rax comes back as SYS_getpid" \
	"PASS pid 2 round 2: timer refused while pid 1 exists -> EPERM" \
	"PASS pid 2: alone now: timer 0 Hz accepted" \
	"bench_isolation: pid 1: [0-9]+ passed, 0 failed" \
	"bench_isolation: pid 2: [0-9]+ passed, 0 failed" \
	"!FAIL " "!kernel panic" "lde: 2 task\(s\) ended; exit status 0\$" \
	-- --timeout "$T" guest.elf hz=0 bench=on "$TASKS/bench_isolation.elf" "$TASKS/bench_isolation.elf"
[ "$failed" = "$f" ] || show_lines "^FAIL|bench_isolation: "

# bench_ud_kill.elf skips ud2 with UD_RESUME on and yields to restricted_ud2.elf, whose ud2
# must still kill it; with the mode off again, its own ud2 kills it too (128 + 6).
BT_UD="#UD invalid opcode at rip 40[0-9a-f]{4}, error 0x0"
expect "bench UD_RESUME: only its task skips ud2, and only while the mode is on" 134 \
	"bench_ud_kill: ud2 resumed\$" "restricted: about to ud2" \
	"lde: pid 2 \(restricted_ud2.elf\) killed: $BT_UD \(status 134\)" \
	"bench_ud_kill: ud2 resumed after the other task ran" \
	"bench_ud_kill: about to ud2 with UD_RESUME off" \
	"lde: pid 1 \(bench_ud_kill.elf\) killed: $BT_UD \(status 134\)" \
	"!bench_ud_kill: survived" "!restricted: survived" "!kernel panic" \
	"lde: 2 task\(s\) ended; exit status 134\$" \
	-- --timeout "$T" guest.elf hz=0 bench=on "$TASKS/bench_ud_kill.elf" "$TASKS/restricted_ud2.elf"

# ---- the kernel's instructions, single-stepped (SYS_bench STEP, vmm --step) -------------------
# bench_step.elf: STEP's refusals; two empty windows count alike (an empty window nets 0);
# syscall.null is counted, the same twice, and above the raw SYSCALL floor (on hardware
# semantics exactly its btq, jc, sysretq; int80.raw its iretq). Its "bench_step: PATH per op N"
# lines are counts, not times: a second run must give the same ones.
bs_run() {
	f=$failed
	expect "bench step ($1): exact counts, net of an empty window, the raw floor below the full path" 0 \
		"PASS syscall.null: counted, and the same twice" \
		"PASS the raw SYSCALL floor runs fewer instructions than the full path" \
		"bench_step: [0-9]+ passed, 0 failed" "!FAIL " "!kernel panic" \
		"lde: pid 1 \(bench_step.elf\) exited with status 0" \
		-- --step --timeout "$T" guest.elf hz=0 bench=on "$TASKS/bench_step.elf"
	[ "$failed" = "$f" ] || show_lines "^FAIL|bench_step: "
	sed -n 's/^bench_step: \([a-z0-9.]*\) per op \(-*[0-9]*\) .*/\1 \2/p' "$TMP/out" >"$TMP/steps.$1"
}
bs_run 1
bs_run 2
why=""
[ -s "$TMP/steps.1" ] || why="no per-op counts in the first run"
[ -n "$why" ] || cmp -s "$TMP/steps.1" "$TMP/steps.2" ||
	why="the runs differ: $(tr '\n' ' ' <"$TMP/steps.1") vs $(tr '\n' ' ' <"$TMP/steps.2")"
verdict "bench step: stepped counts are stable run to run ($(tr '\n' ' ' <"$TMP/steps.1"))"

# --step-log: every instruction a window counted is one line of the log, at its address; each
# window's lines add up to the counts the guest was told ("end RING0 RING3 ENTRIES").
expect "bench step: --step-log runs as --step does" 0 "bench_step: [0-9]+ passed, 0 failed" \
	-- --step-log "$TMP/step.log" --timeout "$T" guest.elf hz=0 bench=on "$TASKS/bench_step.elf"
why=$(awk '$1 == "window" { r0 = r3 = en = 0; w++ }
	$1 == "0" { r0++ } $1 == "3" { r3++ } $1 == "entry" { en++ }
	$1 == "end" { e++; if ($2 != r0 || $3 != r3 || $4 != en)
		printf "window %d: told %s %s %s, logged %d %d %d; ", w, $2, $3, $4, r0, r3, en }
	END { if (w == 0 || e == 0) printf "no closed window in the log" }' "$TMP/step.log" 2>&1)
verdict "bench step: --step-log has a line for each counted instruction, as many as the guest was told" \
	"$TMP/step.log"
# A character device as the log: stdio's first write would probe it (an ioctl the sandbox
# forbids) unless its buffer was set before the sandbox.
expect "bench step: --step-log to /dev/null, a character device, under the sandbox" 0 \
	"bench_step: [0-9]+ passed, 0 failed" "!Bad system call" \
	-- --step-log /dev/null --timeout "$T" guest.elf hz=0 bench=on "$TASKS/bench_step.elf"

# A window needs both sides' consent: the VMM's (--step) and the kernel's (bench=on).
expect "bench step: a VMM started without --step refuses a window (ENODEV), and the guest goes on" 0 \
	"PASS on, with a VMM not started with --step -> ENODEV" "bench_step: 2 passed, 0 failed" \
	-- --timeout "$T" guest.elf hz=0 bench=on -- "$TASKS/bench_step.elf" refused
expect "bench step: a kernel booted without bench=on refuses a window (EPERM)" 0 \
	"PASS on, in a kernel booted without bench=on -> EPERM" "bench_step: 1 passed, 0 failed" \
	-- --step --timeout "$T" guest.elf hz=0 -- "$TASKS/bench_step.elf" nobench

# ---- the bench tasks, one quick run each ----------------------------------------------------
# bt_have FILE...: true when every bench image is there; else one failure that says how to
# build or carry them (a missing image is not a reason to skip).
bt_have() {
	for bt_f in "$@"; do
		if [ ! -f "$bt_f" ]; then
			failed=$((failed + 1))
			echo "FAIL [$LABEL] bench tasks: $bt_f is missing (make $bt_f; in QEMU: QEMU_RUN_FILES=$BENCH)"
			return 1
		fi
	done
	return 0
}

# bt_last NAME PATTERN...: more checks on the output of the last run (in $TMP/out), without
# running it again; PATTERN as for expect.
bt_last() {
	bt_name=$1
	shift
	why=""
	for pat in "$@"; do
		case $pat in
		!*) grep -aEq -- "${pat#!}" "$TMP/out" && why="output matches /${pat#!}/" ;;
		*) grep -aEq -- "$pat" "$TMP/out" || why="output lacks /$pat/" ;;
		esac
		[ -n "$why" ] && break
	done
	if [ -z "$why" ]; then
		passed=$((passed + 1))
		echo "ok   [$LABEL] $bt_name"
	else
		failed=$((failed + 1))
		printf 'FAIL [%s] %s: %s\n' "$LABEL" "$bt_name" "$why"
		show_lines "^bench(-info)?: "
	fi
}

# bt_metric NAME [REST]: the pattern of NAME's result line (dots matched as dots), then REST.
bt_metric() {
	printf '^bench: %s unit=cycles n=[0-9]+ median=[0-9]+%s' "$(echo "$1" | sed 's/\./\\./g')" "${2:-}"
}

# bt_guestbench PLATFORM: every metric line of guestbench, well formed, and bench-info naming
# the platform as benchlib.h does. The VERW and IBPB variants depend on the CPU (bench-info
# says when one is skipped); the rest must be there on every platform.
BT_METRICS="call.null syscall.raw syscall.null syscall.getpid syscall.null.kpti int80.raw
	int80.null trap.bp trap.ud trap.pf vmexit.cpuid vmexit.pio vmexit.hypercall pvm.ring0_insn"
bt_guestbench() {
	bt_p=$1
	set --
	for m in $BT_METRICS; do
		set -- "$@" "$(bt_metric "$m")"
	done
	expect "guestbench (bench=quick): every metric line is there" 0 "$@" \
		"^bench-info: platform=$bt_p .* kvm_stats=1\$" "!refused" "!no SYS_bench" "!kernel panic" \
		"lde: pid 1 \(guestbench.elf\) exited with status 0" \
		-- --step --timeout "$T" guest.elf "$BENCH/guestbench.elf" bench=quick hz=0
}
if bt_have "$BENCH/guestbench.elf"; then
	case $PLATFORM in
	kvm_amd | kvm_intel) bt_platform=hardware ;;
	kvm_pvm) bt_platform=kvm_pvm ;;
	*) bt_platform="[a-z_]+" ;;
	esac
	f=$failed
	bt_guestbench "$bt_platform"
	[ "$failed" = "$f" ] || show_lines "^bench(-info)?: "
	# steps=: every path a task's operation takes into the kernel is counted; a plain call
	# and ring-3 CPUID run no kernel instruction, so their windows net exactly 0.
	set --
	for m in syscall.raw syscall.null syscall.getpid int80.raw int80.null trap.bp trap.ud \
		trap.pf; do
		set -- "$@" "$(bt_metric "$m" " .* steps=[1-9][0-9]*\.[0-9][0-9]( |\$)")"
	done
	bt_last "guestbench: steps= on every path into the kernel, 0 where there is none" "$@" \
		"$(bt_metric call.null " .* steps=0\.00( |\$)")" \
		"$(bt_metric vmexit.cpuid " .* steps=0\.00( |\$)")" \
		"^bench-info: steps=on\$"
	bt_raw=$(sed -n 's/^bench: syscall\.raw .* steps=\([0-9]*\)\..*/\1/p' "$TMP/out")
	bt_null=$(sed -n 's/^bench: syscall\.null .* steps=\([0-9]*\)\..*/\1/p' "$TMP/out")
	why=""
	[ -n "$bt_raw" ] && [ -n "$bt_null" ] && [ "$bt_raw" -lt "$bt_null" ] ||
		why="syscall.raw steps=${bt_raw:-none}, syscall.null steps=${bt_null:-none}"
	verdict "guestbench: syscall.raw runs fewer kernel instructions than syscall.null ($bt_raw < $bt_null)"
	# The exits of each window, net of an empty one. On hardware semantics SYSCALL, int $0x80
	# and int3 change privilege inside the guest: no exit, to KVM or to the VMM. Under kvm_pvm
	# they arrive as exceptions KVM handles itself (ring 0 is emulated: exits_kvm is not 0),
	# but the compatibility path never reaches the VMM.
	case $PLATFORM in
	kvm_amd | kvm_intel)
		set --
		for m in syscall.raw syscall.null syscall.getpid int80.raw int80.null trap.bp; do
			set -- "$@" "$(bt_metric "$m" " .* exits_vmm=0 exits_kvm=0 ")"
		done
		bt_last "guestbench: system calls and int3 cause no VM exit on hardware" "$@"
		;;
	kvm_pvm)
		bt_last "guestbench: syscall.null never reaches the VMM under kvm_pvm" \
			"$(bt_metric syscall.null " .* exits_vmm=0 ")"
		;;
	esac
fi

# yieldbench: two copies yield to each other; pid 1 reports one switch.
if bt_have "$BENCH/yieldbench.elf"; then
	expect "yieldbench (bench=quick): two tasks report switch.yield, with its steps" 0 \
		"^bench: switch\.yield unit=cycles n=[0-9]+ median=[0-9]+ .* steps=[1-9][0-9]*\.[0-9][0-9]" \
		"!refused" "!kernel panic" "lde: 2 task\(s\) ended; exit status 0\$" \
		-- --step --timeout "$T" guest.elf "$BENCH/yieldbench.elf" "$BENCH/yieldbench.elf" bench=quick hz=0
fi

# timerbench: alone, it turns the timer on and off itself (SYS_bench TIMER).
if bt_have "$BENCH/timerbench.elf"; then
	expect "timerbench (bench=quick): a tick's cost, its steps, and the overhead at 1 and 10 kHz" 0 \
		"^bench: timer\.irq unit=cycles n=[0-9]+ median=[0-9]+ .* steps=[1-9][0-9]*\.[0-9][0-9]" \
		"^bench: timer\.overhead\.hz1000 unit=percent n=[0-9]+ median=[0-9.]+ " \
		"^bench: timer\.overhead\.hz10000 unit=percent n=[0-9]+ median=[0-9.]+ " \
		"!timerbench: " "!kernel panic" "lde: pid 1 \(timerbench.elf\) exited with status 0" \
		-- --step --timeout "$T" guest.elf "$BENCH/timerbench.elf" bench=quick hz=0
fi
