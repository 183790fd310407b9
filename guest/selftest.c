/* guest/selftest.c: trap-table self-tests: ring-3 snippets that fault on purpose, and one kernel fault. */
#include "selftest.h"

#include "cmdline.h"
#include "kalloc.h"
#include "kernel.h"
#include "memlayout.h"
#include "pte.h"
#include "task.h"
#include "trap.h"
#include "vm.h"

extern char selftest_user_de[], selftest_user_ud[], selftest_user_pf[], selftest_user_gp[],
	selftest_user_bp[];

#define ANY UINT64_MAX

/* One ring-3 self-test: the snippet to run and what the trap that ends it must look like. */
struct selftest {
	const char *name;
	const char *what;
	const char *snippet;
	uint64_t vector;
	uint64_t err;         /* the error code, or ANY */
	uint64_t rip_offset;  /* faulting RIP minus the snippet's start, or ANY */
	unsigned breakpoints; /* int3s the task must have returned from */
	uint64_t rbx;         /* RBX at the fault, or ANY */
};

/* The kernel address the page-fault snippet reads: the boot information, supervisor-only. */
#define PF_TARGET ((uint64_t)(uintptr_t)&boot_info)

static const struct selftest tests[] = {
	{ "de", "divide by zero in ring 3", selftest_user_de, T_DE, ANY, 9, 0, ANY },
	{ "ud", "invalid opcode in ring 3", selftest_user_ud, T_UD, ANY, 0, 0, ANY },
	{ "pf", "ring 3 reads kernel memory", selftest_user_pf, T_PF, PF_ERR_P | PF_ERR_U, 0, 0,
	  ANY },
	{ "gp", "hlt in ring 3", selftest_user_gp, T_GP, 0, 0, 0, ANY },
	{ "bp", "int3 in ring 3 returns, then ud2", selftest_user_bp, T_UD, ANY, 11, 1, 2 },
};

const char selftest_names[] =
	"de,ud,pf,gp,bp,all (ring 3); kpf,kud,kde (a fault in the kernel: panics)";

static uint64_t user_addr(const char *snippet)
{
	return SELFTEST_USER_TEXT + (uint64_t)(snippet - __user_text_start);
}

/* The snippets (shared, read-only) and a fresh stack page, in the task's address space. */
static int map_user(struct task *t)
{
	void *stack = kalloc();
	uint64_t len;

	if (stack == NULL)
		return -1;
	if (vm_map(t->pml4, SELFTEST_USER_STACK_TOP - X86_PAGE_SIZE, V2P(stack), X86_PAGE_SIZE,
		   X86_PTE_U | X86_PTE_W | X86_PTE_NX | PTE_OWNED) != 0) {
		kfree(stack);
		return -1;
	}
	/* Both ends of .usertext come from the linker script (guest/kernel.ld), unseen by cppcheck. */
	// cppcheck-suppress comparePointers
	len = (uint64_t)(__user_text_end - __user_text_start);
	return vm_map(t->pml4, SELFTEST_USER_TEXT, V2P(__user_text_start), len, X86_PTE_U);
}

static int expect(const char *name, const char *field, uint64_t got, uint64_t want)
{
	if (want == ANY || got == want)
		return 1;
	kprintf("selftest %s: FAIL: %s is 0x%lx, expected 0x%lx\n", name, field, got, want);
	return 0;
}

static struct task ended; /* a copy of the task as it ended, for the checks */

static void keep_ended(struct task *t)
{
	ended = *t;
}

static int run_one(const struct selftest *st)
{
	const struct trapframe *tf = &ended.kill_tf;
	uint64_t start = user_addr(st->snippet);
	struct task *t = task_alloc(st->name);
	int ok;

	if (t == NULL || map_user(t) != 0)
		panic("selftest: out of memory");
	task_start(t, start, SELFTEST_USER_STACK_TOP);
	t->tf->rdi = PF_TARGET;
	sched_run(keep_ended);
	ok = expect(st->name, "killed", (uint64_t)ended.killed, 1) &&
	     expect(st->name, "vector", tf->trapno, st->vector) &&
	     expect(st->name, "error code", tf->err, st->err) &&
	     expect(st->name, "rip offset", tf->rip - start, st->rip_offset) &&
	     expect(st->name, "breakpoints", ended.breakpoints, st->breakpoints) &&
	     expect(st->name, "rbx", tf->rbx, st->rbx) &&
	     expect(st->name, "cr2", ended.kill_cr2, st->vector == T_PF ? PF_TARGET : 0);
	kprintf("selftest %s: %s: %s at rip %lx", st->name, st->what, trap_name(tf->trapno), tf->rip);
	if (tf->trapno == T_PF)
		kprintf(" (error 0x%lx, cr2 %lx)", tf->err, ended.kill_cr2);
	kprintf(": %s\n", ok ? "ok" : "FAIL");
	return ok;
}

/*
 * Faults in ring 0 must end in the panic path; each is run last and alone. Only faults that
 * both kinds of KVM deliver are here: kvm_pvm's ring-0 emulator delivers #PF, #UD and #DE,
 * but an int3 in ring 0 ends the VM with an emulation error (docs/kvm_pvm.md).
 */
static void kernel_fault_test(const char *list)
{
	if (cmdline_list_has(list, "kpf")) {
		kprintf("selftest kpf: reading address 0 in ring 0 (expect a kernel panic)\n");
		/* The point of the test: a fault in ring 0 must reach the panic path. */
		// cppcheck-suppress nullPointer
		(void)*(volatile uint64_t *)0;
	}
	if (cmdline_list_has(list, "kud")) {
		kprintf("selftest kud: ud2 in ring 0 (expect a kernel panic)\n");
		__asm__ volatile("ud2");
	}
	if (cmdline_list_has(list, "kde")) {
		kprintf("selftest kde: divide by zero in ring 0 (expect a kernel panic)\n");
		/* In assembly: the compiler may turn 1 / x into x == 1, which cannot fault. */
		__asm__ volatile("xorl %%ecx, %%ecx; movl $1, %%eax; xorl %%edx, %%edx; divl %%ecx"
				 : : : "eax", "ecx", "edx");
	}
}

int selftest_run(const char *list)
{
	int failed = 0, ran = 0;
	int all = cmdline_list_has(list, "all");

	for (unsigned i = 0; i < ARRAY_SIZE(tests); i++) {
		if (!all && !cmdline_list_has(list, tests[i].name))
			continue;
		ran++;
		failed += !run_one(&tests[i]);
	}
	kernel_fault_test(list);
	if (ran == 0) {
		kprintf("selftest: no self-test in '%s'; known: %s\n", list, selftest_names);
		return 1;
	}
	kprintf("selftest: %d of %d passed\n", ran - failed, ran);
	return failed;
}
