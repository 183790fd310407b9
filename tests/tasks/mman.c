/*
 * tests/tasks/mman.c: the memory calls (guest/mman.c) as their contract says: brk, private anonymous mmap, munmap, mprotect, W^X.
 *
 * Each check is an LDE_ASSERT (the VMM reports a failure with its line); the kernel's view of
 * a page is probed with clock_gettime, which writes 16 bytes or returns -EFAULT without a
 * fault, so no check needs the task to survive a trap. Prints "mman: ok" at the end.
 */
#include "lde.h"

#define PAGE 4096ul

static long sys(long nr, long a0, long a1, long a2, long a3, long a4, long a5)
{
	return lde_syscall(nr, a0, a1, a2, a3, a4, a5);
}

/* 0 if the kernel may write 16 bytes at p for this task now, else its error. */
static long writable(void *p)
{
	return sys(SYS_clock_gettime, CLOCK_MONOTONIC, (long)p, 0, 0, 0, 0);
}

static long map(unsigned long len, long prot, long flags)
{
	return sys(SYS_mmap, 0, (long)len, prot, flags, -1, 0);
}

int main(void)
{
	const long anon = LDE_MAP_PRIVATE | LDE_MAP_ANONYMOUS;
	long rw = LDE_PROT_READ | LDE_PROT_WRITE;
	long start = sys(SYS_brk, 0, 0, 0, 0, 0, 0), a, b;
	char *p;

	/* brk: asked for with 0, grows zeroed and writable, shrinks; a refusal leaves it. */
	LDE_ASSERT(start > 0 && start % (long)PAGE == 0);
	LDE_ASSERT(sys(SYS_brk, start + 10000, 0, 0, 0, 0, 0) == start + 10000);
	p = (char *)start;
	LDE_ASSERT(p[0] == 0 && p[9999] == 0);
	p[9999] = 1;
	LDE_ASSERT(sys(SYS_brk, start, 0, 0, 0, 0, 0) == start);
	LDE_ASSERT(writable(p) == -EFAULT);
	LDE_ASSERT(sys(SYS_brk, start - 1, 0, 0, 0, 0, 0) == start);      /* below: refused */
	LDE_ASSERT(sys(SYS_brk, start + (2l << 30), 0, 0, 0, 0, 0) == start); /* past 1 GiB */

	/* mmap: zeroed pages at a fresh address, a page apart. */
	a = map(3 * PAGE, rw, anon);
	b = map(1, rw, anon);
	LDE_ASSERT(a > 0 && a % (long)PAGE == 0 && b >= a + 4 * (long)PAGE);
	p = (char *)a;
	LDE_ASSERT(p[0] == 0 && p[3 * PAGE - 1] == 0);
	p[3 * PAGE - 1] = 7;
	LDE_ASSERT(writable(p + PAGE) == 0);
	/* What is refused, and why. */
	LDE_ASSERT(map(PAGE, LDE_PROT_WRITE | LDE_PROT_EXEC, anon) == -EACCES); /* W^X */
	LDE_ASSERT(map(PAGE, rw, LDE_MAP_PRIVATE) == -ENODEV);                 /* a file */
	LDE_ASSERT(map(PAGE, rw, anon | LDE_MAP_FIXED) == -EINVAL);
	LDE_ASSERT(map(0, rw, anon) == -EINVAL);
	LDE_ASSERT(map(1ul << 40, rw, anon) == -ENOMEM); /* a terabyte: refused before a page */
	LDE_ASSERT(map(PAGE, 8, anon) == -EINVAL);        /* an unknown protection bit */

	/* mprotect: read-only, then none, then back; W^X; an unmapped page. */
	LDE_ASSERT(sys(SYS_mprotect, a, (long)PAGE, LDE_PROT_READ, 0, 0, 0) == 0);
	LDE_ASSERT(writable(p) == -EFAULT && p[3 * PAGE - 1] == 7);
	LDE_ASSERT(sys(SYS_mprotect, a, (long)PAGE, LDE_PROT_NONE, 0, 0, 0) == 0);
	LDE_ASSERT(writable(p) == -EFAULT);
	LDE_ASSERT(sys(SYS_mprotect, a, (long)PAGE, rw, 0, 0, 0) == 0 && writable(p) == 0);
	LDE_ASSERT(sys(SYS_mprotect, a, (long)PAGE, LDE_PROT_WRITE | LDE_PROT_EXEC, 0, 0, 0) == -EACCES);
	LDE_ASSERT(sys(SYS_mprotect, a + 3 * (long)PAGE, (long)PAGE, rw, 0, 0, 0) == -ENOMEM);
	LDE_ASSERT(sys(SYS_mprotect, a + 1, (long)PAGE, rw, 0, 0, 0) == -EINVAL);

	/* munmap: the pages go (the kernel can no longer write there); misaligned is refused. */
	LDE_ASSERT(sys(SYS_munmap, a + 1, (long)PAGE, 0, 0, 0, 0) == -EINVAL);
	LDE_ASSERT(sys(SYS_munmap, a, 3 * (long)PAGE, 0, 0, 0, 0) == 0);
	LDE_ASSERT(writable(p) == -EFAULT && writable(p + 2 * PAGE) == -EFAULT);
	LDE_ASSERT(sys(SYS_mremap, b, (long)PAGE, 2 * (long)PAGE, 0, 0, 0) == -ENOMEM);
	LDE_ASSERT(sys(SYS_madvise, b, (long)PAGE, 0, 0, 0, 0) == 0);
	printf("mman: ok\n");
	return 0;
}
