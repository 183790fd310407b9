/*
 * tests/tasks/segs_isolation.c: a task's segment selectors and FS/GS bases are its own across context switches.
 *
 * Run two copies (tests/kvm-task-tests.sh). Each checks that it starts with the state of a
 * fresh task (DS, ES, FS, GS null, both bases 0), whatever the task before it left; then
 * loads its own values (the user data selector into all four, pid-dependent bases with
 * WRFSBASE/WRGSBASE where the CPU has them) and yields ROUNDS times, checking after each
 * yield that it finds exactly what it left. Prints "segs: pid P: ok" and exits 0, or
 * "segs: pid P: FAIL ..." and exits 1.
 */
#include "lde.h"

#define ROUNDS 4
#define SEL_UDATA 0x23 /* guest/gdt.h: user data, RPL 3 */
#define CPUID_7_EBX_FSGSBASE (1u << 0)

struct segs {
	uint64_t fs_base, gs_base;
	uint16_t ds, es, fs, gs;
};

static int have_fsgsbase(void)
{
	uint32_t a, b, c, d;

	__asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(7), "c"(0));
	return (b & CPUID_7_EBX_FSGSBASE) != 0;
}

static void read_segs(struct segs *s, int bases)
{
	__asm__ volatile("mov %%ds, %0" : "=r"(s->ds));
	__asm__ volatile("mov %%es, %0" : "=r"(s->es));
	__asm__ volatile("mov %%fs, %0" : "=r"(s->fs));
	__asm__ volatile("mov %%gs, %0" : "=r"(s->gs));
	s->fs_base = s->gs_base = 0;
	if (bases) {
		__asm__ volatile("rdfsbase %0" : "=r"(s->fs_base));
		__asm__ volatile("rdgsbase %0" : "=r"(s->gs_base));
	}
}

/* Selectors first: loading FS or GS resets its base. */
static void load_segs(const struct segs *s, int bases)
{
	__asm__ volatile("mov %0, %%ds" : : "r"(s->ds));
	__asm__ volatile("mov %0, %%es" : : "r"(s->es));
	__asm__ volatile("mov %0, %%fs" : : "r"(s->fs));
	__asm__ volatile("mov %0, %%gs" : : "r"(s->gs));
	if (bases) {
		__asm__ volatile("wrfsbase %0" : : "r"(s->fs_base));
		__asm__ volatile("wrgsbase %0" : : "r"(s->gs_base));
	}
}

static int same(const char *when, long pid, const struct segs *got, const struct segs *want)
{
	if (got->ds == want->ds && got->es == want->es && got->fs == want->fs &&
	    got->gs == want->gs && got->fs_base == want->fs_base && got->gs_base == want->gs_base)
		return 1;
	printf("segs: pid %ld: FAIL %s: ds %x es %x fs %x gs %x fsbase %lx gsbase %lx; "
	       "expected ds %x es %x fs %x gs %x fsbase %lx gsbase %lx\n", pid, when,
	       got->ds, got->es, got->fs, got->gs, got->fs_base, got->gs_base,
	       want->ds, want->es, want->fs, want->gs, want->fs_base, want->gs_base);
	return 0;
}

int main(void)
{
	long pid = getpid();
	int bases = have_fsgsbase();
	struct segs fresh = { 0 }, mine, got;

	mine = (struct segs){
		.fs_base = 0x5a5a000000ull + ((uint64_t)pid << 12),
		.gs_base = 0xa5a5000000ull + ((uint64_t)pid << 12),
		.ds = SEL_UDATA, .es = SEL_UDATA, .fs = SEL_UDATA, .gs = SEL_UDATA,
	};
	if (!bases)
		mine.fs_base = mine.gs_base = 0;
	read_segs(&got, bases);
	if (!same("at start", pid, &got, &fresh))
		return 1;
	load_segs(&mine, bases);
	for (int r = 0; r < ROUNDS; r++) {
		yield();
		read_segs(&got, bases);
		if (!same("after a yield", pid, &got, &mine))
			return 1;
	}
	/* Back to null selectors before printf: the library does not expect others. */
	load_segs(&fresh, 0);
	printf("segs: pid %ld: ok (%s)\n", pid, bases ? "selectors and FS/GS bases" : "selectors; "
	       "the CPU has no FSGSBASE");
	return 0;
}
