/* bench/tasks/guestbench.c: ring-3 metrics that need no kernel hook: a call, the two system-call paths, int3, CPUID. */
#include "../benchlib.h"

static __attribute__((noinline)) void null_call(void)
{
	__asm__ volatile("" : : : "memory");
}

int main(void)
{
	uint32_t a, b, c, d;

	bench_init();
	BENCH_RUN("call.null", 1, null_call());
	BENCH_RUN("syscall.null", 1, lde_syscall(SYS_nop, 0, 0, 0, 0, 0, 0));
	BENCH_RUN("syscall.getpid", 1, lde_syscall(SYS_getpid, 0, 0, 0, 0, 0, 0));
	BENCH_RUN("int80.null", 1, lde_int80(SYS_nop, 0, 0, 0, 0, 0, 0));
	/* int3 from ring 3: the kernel notes the breakpoint and returns to the next instruction. */
	BENCH_RUN("trap.bp", 1, __asm__ volatile("int3" : : : "memory"));
	/* CPUID always exits to the hypervisor: KVM answers it without the VMM. */
	BENCH_RUN("vmexit.cpuid", 1,
		  __asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(0), "c"(0)));
	return 0;
}
