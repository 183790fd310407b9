/*
 * tests/tasks/bench_ud_kill.c: LDE_BENCH_M_UD_RESUME is the asking task's alone, and ends
 * with the mode. Run with hz=0 before restricted_ud2.elf (tests/kvm-bench-tests.sh): with
 * the mode on, a ud2 here is skipped; the yield lets restricted_ud2 run its ud2, which must
 * still kill it; back here a ud2 is skipped again; then, with the mode off, a ud2 must kill
 * this task too (#UD, status 134). "bench_ud_kill: survived" must never appear.
 */
#include "lde.h"

#include "../../abi/bench.h"

static long bench_mode(unsigned flags)
{
	return lde_syscall(SYS_bench, LDE_BENCH_MODE, flags, 0, 0, 0, 0);
}

int main(void)
{
	long r = bench_mode(LDE_BENCH_M_UD_RESUME);

	if (r != 0) {
		printf("bench_ud_kill: mode UD_RESUME refused: %ld\n", r);
		return 1;
	}
	__asm__ volatile("ud2" : : : "memory");
	printf("bench_ud_kill: ud2 resumed\n");
	yield();
	__asm__ volatile("ud2" : : : "memory");
	printf("bench_ud_kill: ud2 resumed after the other task ran\n");
	r = bench_mode(0);
	if (r != 0) {
		printf("bench_ud_kill: mode 0 refused: %ld\n", r);
		return 1;
	}
	printf("bench_ud_kill: about to ud2 with UD_RESUME off\n");
	__asm__ volatile("ud2" : : : "memory");
	printf("bench_ud_kill: survived\n");
	return 0;
}
