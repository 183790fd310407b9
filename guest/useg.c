/* guest/useg.c: saving and loading a task's segment selectors and FS/GS bases at a context switch. */
#include "useg.h"

#include "kernel.h"
#include "percpu.h"
#include "platform.h"
#include "x86.h"


#define READ_SEG(reg, v) __asm__ volatile("mov %%" reg ", %0" : "=r"(v))
#define LOAD_SEG(reg, v) __asm__ volatile("mov %0, %%" reg : : "r"(v) : "memory")

/*
 * As Linux does, ring 3 may read and write its own FS and GS bases directly. Not under
 * kvm_pvm (platform.fsgsbase is 0): there ring 3 already runs with the host's CR4.FSGSBASE
 * (docs/kvm_pvm.md), and the guest's CR4 is not what governs it.
 */
void useg_init(void)
{
	if (platform.fsgsbase)
		lcr4(rcr4() | X86_CR4_FSGSBASE);
}

void useg_save(struct user_segs *s)
{
	READ_SEG("ds", s->ds);
	READ_SEG("es", s->es);
	READ_SEG("fs", s->fs);
	READ_SEG("gs", s->gs);
	s->fs_base = rdmsr(X86_MSR_FS_BASE);
	s->gs_base = rdmsr(X86_MSR_KERNEL_GS_BASE); /* the user's, while SWAPGS holds ours */
}

/*
 * A selector ring 3 could load, ring 0 can load too (a data segment's DPL 3 satisfies both).
 * Loading FS or GS also loads its base from the descriptor (0 in long mode): FS's base is
 * written after, and for GS, whose base is the kernel's per-CPU block now, that is put back.
 * `now` is what the CPU holds: only what differs is written (a selector load and a WRMSR are
 * each an emulated instruction or more under kvm_pvm, and most tasks leave all of it 0).
 */
static void load_changed(const struct user_segs *now, const struct user_segs *s)
{
	if (now->ds != s->ds)
		LOAD_SEG("ds", s->ds);
	if (now->es != s->es)
		LOAD_SEG("es", s->es);
	if (now->fs != s->fs)
		LOAD_SEG("fs", s->fs);
	if (now->gs != s->gs) {
		LOAD_SEG("gs", s->gs);
		wrmsr(X86_MSR_GS_BASE, (uint64_t)(uintptr_t)&percpu);
	}
	if (now->fs != s->fs || now->fs_base != s->fs_base)
		wrmsr(X86_MSR_FS_BASE, s->fs_base);
	if (now->gs_base != s->gs_base)
		wrmsr(X86_MSR_KERNEL_GS_BASE, s->gs_base);
}

void useg_load(const struct user_segs *s)
{
	struct user_segs now;

	useg_save(&now);
	load_changed(&now, s);
}

void useg_switch(struct user_segs *from, const struct user_segs *to)
{
	useg_save(from); /* what the CPU holds now */
	load_changed(from, to);
}
