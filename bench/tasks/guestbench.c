/* bench/tasks/guestbench.c: the single-task guest metrics: a call, the system-call and trap paths, VM exits, ring-0 instructions. */
#include "../benchlib.h"

static __attribute__((noinline)) void null_call(void)
{
	__asm__ volatile("" : : : "memory");
}

/* SYSCALL into the raw path: RCX and R11 are clobbered, RAX comes back as it went. */
static inline void raw_syscall(void)
{
	__asm__ volatile("syscall" : : "a"(SYS_nop) : "rcx", "r11", "memory");
}

static inline void raw_int80(void)
{
	__asm__ volatile("int $0x80" : : "a"(SYS_nop) : "memory");
}

static const char *on_pvm(const char *note)
{
	return bench.info.platform == LDE_PLATFORM_PVM ? note : NULL;
}

static void mitigated(const char *name, unsigned mode, const char *lacks)
{
	if (!(bench.info.modes & mode)) {
		printf("bench-info: skipped.%s=%s\n", name, lacks);
		return;
	}
	bench_mode(mode);
	BENCH_RUN_NOTE(name, 1, on_pvm("kvm_pvm: through the #BP compatibility path"),
		       lde_syscall(SYS_nop, 0, 0, 0, 0, 0, 0));
	bench_mode(0);
}

int main(void)
{
	volatile char *fault_page = (volatile char *)LDE_BENCH_PF_BASE;
	uint32_t a, b, c, d;

	bench_init();
	BENCH_RUN("call.null", 1, null_call());

	bench_mode(LDE_BENCH_M_RAW_SYSCALL);
	BENCH_RUN_NOTE("syscall.raw", 1,
		       on_pvm("kvm_pvm: SYSCALL in ring 3 to the int3 page, #BP, a stub that IRETQs"),
		       raw_syscall());
	bench_mode(0);
	BENCH_RUN_NOTE("syscall.null", 1, on_pvm("kvm_pvm: SYSCALL via int3 page and #BP"),
		       lde_syscall(SYS_nop, 0, 0, 0, 0, 0, 0));
	BENCH_RUN_NOTE("syscall.getpid", 1, on_pvm("kvm_pvm: SYSCALL via int3 page and #BP"),
		       lde_syscall(SYS_getpid, 0, 0, 0, 0, 0, 0));
	mitigated("syscall.null.kpti", LDE_BENCH_M_KPTI, "not_available");
	mitigated("syscall.null.verw", LDE_BENCH_M_VERW, "the_CPU_lacks_MD_CLEAR");
	mitigated("syscall.null.ibpb", LDE_BENCH_M_IBPB, "the_CPU_lacks_IBPB");

	bench_mode(LDE_BENCH_M_RAW_INT80);
	BENCH_RUN_NOTE("int80.raw", 1, on_pvm("kvm_pvm: int $0x80 raises #UD; a stub that IRETQs"),
		       raw_int80());
	bench_mode(0);
	BENCH_RUN_NOTE("int80.null", 1, on_pvm("kvm_pvm: int $0x80 via #UD and decoding"),
		       lde_int80(SYS_nop, 0, 0, 0, 0, 0, 0));

	/* int3: the kernel notes the breakpoint and returns to the next instruction. */
	BENCH_RUN("trap.bp", 1, __asm__ volatile("int3" : : : "memory"));
	bench_mode(LDE_BENCH_M_UD_RESUME);
	BENCH_RUN("trap.ud", 1, __asm__ volatile("ud2" : : : "memory"));
	bench_mode(LDE_BENCH_M_PF_REGION);
	BENCH_RUN_SETUP("trap.pf", 1, bench_call(LDE_BENCH_PF_ARM, LDE_BENCH_PF_BASE, 0, 0),
			*fault_page = 1);
	bench_mode(0);

	/* CPUID always exits to the hypervisor: KVM answers it without the VMM. */
	BENCH_RUN("vmexit.cpuid", 1,
		  __asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(0), "c"(0)));
	bench_kloop("vmexit.pio", LDE_BENCH_K_PIO, 1, NULL);
	bench_kloop("vmexit.hypercall", LDE_BENCH_K_HYPERCALL, 1, NULL);
	bench_kloop("vmexit.cpuid.ring0", LDE_BENCH_K_CPUID, 1, NULL);
	bench_kloop("pvm.ring0_insn", LDE_BENCH_K_INSN, LDE_BENCH_K_INSN_BLOCK,
		    bench.info.platform == LDE_PLATFORM_PVM ? NULL
		    : "not kvm_pvm: a native register add, for scale");
	return 0;
}
