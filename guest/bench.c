/* guest/bench.c: SYS_bench: per-task benchmark modes (raw entry paths, trap hooks, defences) and ring-0 timing loops. */
#include "bench.h"

#include "../abi/syscall.h"
#include "../common/string.h"
#include "../common/tsc.h"
#include "cmdline.h"
#include "hypercall.h"
#include "kalloc.h"
#include "kernel.h"
#include "kstats.h"
#include "memlayout.h"
#include "platform.h"
#include "pte.h"
#include "pvm_compat.h"
#include "syscall.h"
#include "task.h"
#include "timer.h"
#include "trap.h"
#include "uaccess.h"
#include "vm.h"
#include "x86.h"

/*
 * A benchmark task (bench/) asks for modes with bench(LDE_BENCH_MODE, flags). They live in
 * its struct task; bench_switch_to installs the entry points they need whenever the
 * scheduler runs it, and puts the normal ones back for every other task. The hooks in
 * trap handlers (ud2 resume, demand-zero faults) look at current->bench_modes and are only
 * reached on paths that would otherwise kill the task, so normal tasks pay nothing.
 */

#define KLOOP_BUDGET_MS 10 /* the longest a ring-0 loop keeps interrupts off */

extern char syscall_entry_kpti[], syscall_entry_verw[], syscall_entry_ibpb[];
extern char bench_syscall_raw[], bench_int80_raw[];
extern char bench_pvm_syscall_raw[], bench_pvm_int80_raw[];

unsigned bench_installed;
static unsigned available; /* LDE_BENCH_M_* possible here */
static int enabled;        /* booted with bench=on or bench=quick */
static int quick;          /* booted with bench=quick */
static uint64_t kloop_cycles[LDE_BENCH_KLOOP_MAX];

/*
 * The entry points the kernel installed at boot (trap.c, and pvm_compat.c under kvm_pvm),
 * as bench_init found them: put back for every task without modes, so that the bench never
 * needs to know which they are.
 */
static uint64_t boot_lstar;
static struct idt_gate boot_sys_gate, boot_int80_gate;

/* The gate int $0x80 arrives through: its own, or #UD's under kvm_pvm (pvm_compat.c). */
static unsigned int80_vector(void)
{
	return platform.pvm ? T_UD : LDE_SYSCALL_VECTOR;
}

/* The scheduler's switch hook: the entry points of the task about to run. */
static void bench_on_switch(const struct task *t)
{
	bench_switch_to(t->bench_modes);
}

void bench_init(void)
{
	char v[8] = "";

	available = LDE_BENCH_M_RAW_SYSCALL | LDE_BENCH_M_RAW_INT80 | LDE_BENCH_M_UD_RESUME |
		    LDE_BENCH_M_PF_REGION | LDE_BENCH_M_KPTI;
	/*
	 * SYS_bench is for the one who boots the guest, not for any task: it reads the host's
	 * KVM counters (host information), keeps interrupts off for up to KLOOP_BUDGET_MS and
	 * stops the timer. So it answers only when the command line asks for it.
	 */
	switch (cmdline_get(boot_info.cmdline, "bench", v, sizeof(v))) {
	case 0:
		break;
	case 1:
		if (strncmp(v, "on", sizeof(v)) == 0 || strncmp(v, "quick", sizeof(v)) == 0) {
			enabled = 1;
			quick = v[0] == 'q';
			break;
		}
		/* fall through */
	default:
		panic("bench=: on or quick (SYS_bench answers benchmark tasks; see bench/README.md)");
	}
	/* The two CPUID-dependent defences, where the platform can run them (guest/platform.c). */
	if (platform.verw)
		available |= LDE_BENCH_M_VERW;
	if (platform.ibpb)
		available |= LDE_BENCH_M_IBPB;
	if (enabled) {
		boot_lstar = rdmsr(X86_MSR_LSTAR);
		boot_sys_gate = trap_gate_get(T_BP); /* SYSCALL's way in under kvm_pvm */
		boot_int80_gate = trap_gate_get(int80_vector());
		trap_hook_add(bench_trap);
		task_switch_hook_set(bench_on_switch);
	}
}

/*
 * Where each entry mode points the CPU. On hardware, SYSCALL goes through LSTAR and int $0x80
 * through IDT vector 0x80. Under kvm_pvm both arrive as exceptions (guest/pvm_compat.c):
 * SYSCALL as #BP from the compatibility page, int $0x80 as #UD, so their gates change instead.
 */
static const void *syscall_target(unsigned modes)
{
	int pvm = platform.pvm;

	if (modes & LDE_BENCH_M_RAW_SYSCALL)
		return pvm ? bench_pvm_syscall_raw : bench_syscall_raw;
	if (modes & LDE_BENCH_M_KPTI)
		return pvm ? pvm_bp_entry_kpti : syscall_entry_kpti;
	if (modes & LDE_BENCH_M_VERW)
		return pvm ? pvm_bp_entry_verw : syscall_entry_verw;
	if (modes & LDE_BENCH_M_IBPB)
		return pvm ? pvm_bp_entry_ibpb : syscall_entry_ibpb;
	return NULL; /* the kernel's own */
}

void bench_install(unsigned modes)
{
	const void *sys = syscall_target(modes);
	const void *int80 = NULL;
	unsigned stepped = bench_step_suspend();

	if (modes & LDE_BENCH_M_RAW_INT80)
		int80 = platform.pvm ? bench_pvm_int80_raw : bench_int80_raw;
	if (sys == NULL) {
		if (platform.pvm)
			trap_gate_restore(T_BP, boot_sys_gate);
		else
			wrmsr(X86_MSR_LSTAR, boot_lstar);
	} else if (platform.pvm) {
		trap_set_gate(T_BP, sys);
	} else {
		wrmsr(X86_MSR_LSTAR, (uint64_t)(uintptr_t)sys);
	}
	if (int80 == NULL)
		trap_gate_restore(int80_vector(), boot_int80_gate);
	else
		trap_set_gate(int80_vector(), int80);
	bench_installed = modes;
	bench_step_resume(stepped);
}

/* A demand-zero page for a not-present fault in the fault region. */
static int fault_in(uint64_t cr2, uint64_t err)
{
	uint64_t va = ALIGN_DOWN(cr2, X86_PAGE_SIZE);
	void *page;

	if ((err & PF_ERR_P) || cr2 < LDE_BENCH_PF_BASE || cr2 - LDE_BENCH_PF_BASE >= LDE_BENCH_PF_SIZE)
		return 0;
	page = kalloc(); /* zeroed */
	if (page == NULL)
		return 0;
	if (vm_map(current->pml4, va, V2P(page), X86_PAGE_SIZE,
		   X86_PTE_U | X86_PTE_W | X86_PTE_NX | PTE_OWNED) != 0) {
		kfree(page);
		return 0;
	}
	return 1;
}

int bench_trap(struct trapframe *tf)
{
	unsigned modes = current->bench_modes;
	uint8_t insn[2];

	if (modes == 0)
		return 0;
	if (tf->trapno == T_UD && (modes & LDE_BENCH_M_UD_RESUME) &&
	    copyin(insn, tf->rip, sizeof(insn)) == 0 && insn[0] == X86_OPCODE_UD2_0 &&
	    insn[1] == X86_OPCODE_UD2_1) {
		/* The last user page is the kvm_pvm int3 page, or unmapped: RIP + 2 stays a user address. */
		tf->rip += X86_UD2_LEN;
		return 1;
	}
	if (tf->trapno == T_PF && (modes & LDE_BENCH_M_PF_REGION))
		return fault_in(rcr2(), tf->err);
	return 0;
}

static int64_t set_modes(uint64_t flags)
{
	unsigned m = (unsigned)flags & LDE_BENCH_M_MITIGATIONS;

	if (flags & ~(uint64_t)LDE_BENCH_M_ALL)
		return -EINVAL;
	if ((flags & LDE_BENCH_M_RAW_SYSCALL) && (flags & LDE_BENCH_M_RAW_INT80))
		return -EINVAL; /* no way back in to turn them off */
	if ((m & (m - 1)) != 0 || (m && (flags & LDE_BENCH_M_RAW_SYSCALL)))
		return -EINVAL; /* one defence at a time, on the full path */
	if (flags & ~(uint64_t)available)
		return -ENODEV;
	current->bench_modes = (unsigned)flags;
	bench_switch_to(current->bench_modes);
	return 0;
}

/* The fault region's page at va: unmapped, so that the next touch faults again. */
static int64_t pf_arm(uint64_t va)
{
	void *page;

	if (va % X86_PAGE_SIZE != 0 || va < LDE_BENCH_PF_BASE ||
	    va - LDE_BENCH_PF_BASE >= LDE_BENCH_PF_SIZE)
		return -EINVAL;
	page = vm_unmap_page(current->pml4, va);
	if (page != NULL)
		kfree(page);
	return 0;
}

#define STR_(x) #x
#define STR(x) STR_(x)

/*
 * Time stmt up to n times into kloop_cycles; stop once the budget is spent. Both sides of the
 * bracket are common/tsc.h's tsc_begin (LFENCE; RDTSC; LFENCE): RDTSCP, its tsc_end, ends a
 * kvm_pvm VM in ring 0 (docs/kvm_pvm.md). The bracket's own
 * first reading tells the time: no extra RDTSC between operations (under kvm_pvm each would
 * be emulated, and host.kvm_run.pio sees everything the guest runs between two port writes).
 */
#define KLOOP(n, stmt)                                                   \
	for (done = 0; done < (n); done++) {                             \
		uint64_t t0 = tsc_begin();                              \
		if (t0 >= end)                                           \
			break;                                           \
		stmt;                                                    \
		kloop_cycles[done] = tsc_begin() - t0;                  \
	}

/*
 * Ring-0 timing loops, with interrupts off (every way into the kernel clears IF, and the
 * kernel never sets it outside the idle loop). Bounded in count (LDE_BENCH_KLOOP_MAX) and in
 * time (KLOOP_BUDGET_MS: one operation may start until then), so no task holds the CPU for
 * long: under kvm_pvm a hypercall takes ~30 us, and 2 048 of them would take 60 ms. Returns
 * how many were timed (at least one); the caller asks again for the rest.
 */
static int64_t kloop(uint64_t what, uint64_t out, uint64_t n)
{
	uint64_t end = rdtsc() + boot_info.tsc_khz * KLOOP_BUDGET_MS, x = 0;
	uint32_t a, b, c, d;
	unsigned done;
	int64_t r;

	if (what >= LDE_BENCH_K_KINDS || n == 0 || n > LDE_BENCH_KLOOP_MAX)
		return -EINVAL;
	switch (what) {
	case LDE_BENCH_K_EMPTY: KLOOP(n, (void)0); break;
	case LDE_BENCH_K_PIO: KLOOP(n, hc_nop()); break;
	case LDE_BENCH_K_HYPERCALL: KLOOP(n, hc_console_write(kloop_cycles, 0)); break;
	case LDE_BENCH_K_CPUID: KLOOP(n, cpuid(0, 0, &a, &b, &c, &d)); break;
	case LDE_BENCH_K_INSN:
		/* A block of dependent register adds: one cycle each on hardware. */
		KLOOP(n, __asm__ volatile(".rept " STR(LDE_BENCH_K_INSN_BLOCK) "\n\t"
					  "addq $1, %0\n\t"
					  ".endr" : "+r"(x)));
		break;
	}
	r = copyout(out, kloop_cycles, done * sizeof(kloop_cycles[0]));
	return r < 0 ? r : done;
}

int64_t sys_bench(uint64_t op, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4)
{
	(void)a3, (void)a4;
	if (!enabled)
		return -EPERM; /* boot with bench=on */
	switch (op) {
	case LDE_BENCH_INFO: {
		struct lde_bench_info info = {
			.platform = boot_info.platform,
			.pcid = (uint32_t)vm_pcid_enabled(),
			.tsc_khz = boot_info.tsc_khz,
			.timer_hz = (uint32_t)kstats.timer_hz,
			.modes = available,
			.quick = (uint32_t)quick,
		};
		return copyout(a0, &info, sizeof(info));
	}
	case LDE_BENCH_COUNTERS: {
		static struct lde_bench_counters c; /* the VMM writes it: not on the stack */
		int64_t r = hc_counters(&c);

		return r < 0 ? r : copyout(a0, &c, sizeof(c));
	}
	case LDE_BENCH_MODE: return set_modes(a0);
	case LDE_BENCH_PF_ARM: return pf_arm(a0);
	case LDE_BENCH_KLOOP: return kloop(a0, a1, a2);
	case LDE_BENCH_TIMER:
		if (task_others_exist())
			return -EPERM; /* turning the timer off would let this task keep the CPU */
		return timer_set_hz(a0);
	case LDE_BENCH_STEP: return bench_step(a0, a1);
	default: return -EINVAL;
	}
}
