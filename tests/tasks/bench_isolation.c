/*
 * tests/tasks/bench_isolation.c: SYS_bench modes are per task. Run two copies with hz=0
 * (tests/kvm-bench-tests.sh), so that only yield() switches and the turns are exact:
 *   pid 1 turns on LDE_BENCH_M_RAW_SYSCALL, pid 2 LDE_BENCH_M_RAW_INT80; for ROUNDS turns
 *   each checks that its own raw path is raw and the other way in is whole, and pid 2 that
 *   TIMER is refused (-EPERM) while pid 1 exists. Each yields through the way in its mode
 *   left whole. Every check of a round runs after a switch back from the other task, so a
 *   mode that leaked across a switch shows up as a wrong result.
 * Afterwards each turns its mode off; pid 2, alone by then, may set the timer again.
 * Prints "PASS"/"FAIL" lines tagged with the pid and "bench_isolation: pid P: N passed,
 * M failed"; exits 0 only if every check passed.
 */
#include "bench_check.h"

#define ROUNDS 3
#define TIMER_HZ 1000

static long pid;

/* pid 1: SYSCALL is raw; int $0x80 (the other task's raw path) must stay whole. */
static void pid1_round(int r)
{
	char what[96];

	snprintf(what, sizeof(what), "pid 1 round %d: own raw syscall", r);
	probe_raw(what, regprobe_syscall, regprobe_syscall_ret, 1);
	snprintf(what, sizeof(what),
		 "pid 1 round %d: int80 getpid returns 1 (pid 2's raw int80 is not ours)", r);
	check(what, lde_int80(SYS_getpid, 0, 0, 0, 0, 0, 0), 1);
	snprintf(what, sizeof(what), "pid 1 round %d: yield through int80", r);
	check(what, lde_int80(SYS_sched_yield, 0, 0, 0, 0, 0, 0), 0);
}

/* pid 2: int $0x80 is raw; SYSCALL (pid 1's raw path) must stay whole. */
static void pid2_round(int r)
{
	char what[96];

	snprintf(what, sizeof(what),
		 "pid 2 round %d: syscall getpid returns 2 (pid 1's raw syscall is not ours)", r);
	check(what, lde_syscall(SYS_getpid, 0, 0, 0, 0, 0, 0), 2);
	snprintf(what, sizeof(what), "pid 2 round %d: own raw int80", r);
	probe_raw(what, regprobe_int80, regprobe_int80_ret, 0);
	snprintf(what, sizeof(what), "pid 2 round %d: timer refused while pid 1 exists -> EPERM", r);
	check(what, lde_syscall(SYS_bench, LDE_BENCH_TIMER, TIMER_HZ, 0, 0, 0, 0), -EPERM);
	snprintf(what, sizeof(what), "pid 2 round %d: yield through syscall", r);
	check(what, lde_syscall(SYS_sched_yield, 0, 0, 0, 0, 0, 0), 0);
}

int main(void)
{
	char name[48];
	unsigned mode;

	pid = getpid();
	if (pid != 1 && pid != 2) {
		printf("FAIL bench_isolation: pid %ld: run exactly two copies\n", pid);
		return 1;
	}
	mode = pid == 1 ? LDE_BENCH_M_RAW_SYSCALL : LDE_BENCH_M_RAW_INT80;
	snprintf(name, sizeof(name), "pid %ld: mode 0x%x on", pid, mode);
	check(name, bench_set_modes(mode), 0);
	for (int r = 0; r < ROUNDS; r++) {
		if (pid == 1)
			pid1_round(r);
		else
			pid2_round(r);
	}
	snprintf(name, sizeof(name), "pid %ld: mode 0", pid);
	check(name, bench_set_modes(0), 0);
	snprintf(name, sizeof(name), "pid %ld: mode 0: syscall getpid", pid);
	check(name, lde_syscall(SYS_getpid, 0, 0, 0, 0, 0, 0), pid);
	snprintf(name, sizeof(name), "pid %ld: mode 0: int80 getpid", pid);
	check(name, lde_int80(SYS_getpid, 0, 0, 0, 0, 0, 0), pid);
	if (pid == 2) {
		/* pid 1 ran its last turn and exited during pid 2's last yield: pid 2 is alone. */
		check("pid 2: alone now: timer 0 Hz accepted",
		      lde_syscall(SYS_bench, LDE_BENCH_TIMER, 0, 0, 0, 0, 0), 0);
	}
	snprintf(name, sizeof(name), "bench_isolation: pid %ld", pid);
	return bc_summary(name);
}
