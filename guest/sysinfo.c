/* guest/sysinfo.c: the calls that describe the system and the task's place in it: ids, uname, sysinfo, rlimits, getrandom. */
#include "../abi/syscall.h"
#include "../common/string.h"
#include "clock.h"
#include "kalloc.h"
#include "kernel.h"
#include "memlayout.h"
#include "syscall.h"
#include "task.h"
#include "uaccess.h"

#define GETRANDOM_MAX 256 /* bytes a call gives; a C library asks again for more */

/* One user and one thread a task: every task is root of its own address space, its own tid. */
int64_t sys_getuid(uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5)
{
	(void)a0, (void)a1, (void)a2, (void)a3, (void)a4, (void)a5;
	return 0; /* also geteuid, getgid, getegid, and getppid: the parent is the host */
}

/* No supplementary groups: the list is empty whatever its size. */
int64_t sys_getgroups(uint64_t size, uint64_t list, uint64_t a2, uint64_t a3, uint64_t a4,
		      uint64_t a5)
{
	(void)size, (void)list, (void)a2, (void)a3, (void)a4, (void)a5;
	return 0;
}

int64_t sys_gettid(uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5)
{
	(void)a0, (void)a1, (void)a2, (void)a3, (void)a4, (void)a5;
	return current->pid;
}

/*
 * Linux's name, with a release a C library accepts (glibc refuses to start on a kernel it
 * thinks too old), and ours in the version string.
 */
int64_t sys_uname(uint64_t out, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5)
{
	struct lde_utsname u;

	(void)a1, (void)a2, (void)a3, (void)a4, (void)a5;
	memset(&u, 0, sizeof(u));
	memcpy(u.sysname, "Linux", sizeof("Linux"));
	memcpy(u.nodename, "lde", sizeof("lde"));
	memcpy(u.release, "6.1.0-lde", sizeof("6.1.0-lde"));
	memcpy(u.version, "#1 LDE (limited direct execution on KVM)",
	       sizeof("#1 LDE (limited direct execution on KVM)"));
	memcpy(u.machine, "x86_64", sizeof("x86_64"));
	return copyout(out, &u, sizeof(u));
}

int64_t sys_sysinfo(uint64_t out, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5)
{
	struct lde_sysinfo si;

	(void)a1, (void)a2, (void)a3, (void)a4, (void)a5;
	memset(&si, 0, sizeof(si));
	si.uptime = (int64_t)(clock_ns() / LDE_NS_PER_SEC);
	si.totalram = boot_info.mem_size;
	si.freeram = kalloc_free_pages() * X86_PAGE_SIZE;
	si.procs = (uint16_t)task_count();
	si.mem_unit = 1;
	return copyout(out, &si, sizeof(si));
}

/* The limits a task has: its stack's size, and no other. Read only: new limits are refused. */
static int64_t rlimit_of(uint64_t resource, struct lde_rlimit *r)
{
	if (resource >= LDE_RLIMIT_NLIMITS)
		return -EINVAL;
	r->cur = r->max = resource == LDE_RLIMIT_STACK ? USER_STACK_SIZE : LDE_RLIM_INFINITY;
	return 0;
}

int64_t sys_getrlimit(uint64_t resource, uint64_t out, uint64_t a2, uint64_t a3, uint64_t a4,
		      uint64_t a5)
{
	struct lde_rlimit r;
	int64_t e = rlimit_of(resource, &r);

	(void)a2, (void)a3, (void)a4, (void)a5;
	return e != 0 ? e : copyout(out, &r, sizeof(r));
}

int64_t sys_prlimit64(uint64_t pid, uint64_t resource, uint64_t new, uint64_t old, uint64_t a4,
		      uint64_t a5)
{
	struct lde_rlimit r;
	int64_t e;

	(void)a4, (void)a5;
	if (pid != 0 && pid != (uint64_t)current->pid)
		return -EPERM;
	e = rlimit_of(resource, &r);
	if (e != 0)
		return e;
	if (new != 0)
		return -EPERM;
	return old != 0 ? copyout(old, &r, sizeof(r)) : 0;
}

/* random64's bytes (guest/clock.c): enough to seed a hash table or a canary, not a key. */
int64_t sys_getrandom(uint64_t buf, uint64_t len, uint64_t flags, uint64_t a3, uint64_t a4,
		      uint64_t a5)
{
	uint8_t bytes[GETRANDOM_MAX];

	(void)flags, (void)a3, (void)a4, (void)a5;
	if (len > GETRANDOM_MAX)
		len = GETRANDOM_MAX;
	for (uint64_t i = 0; i < len; i += 8) {
		uint64_t z = random64();
		memcpy(bytes + i, &z, len - i < 8 ? len - i : 8);
	}
	return copyout(buf, bytes, len) != 0 ? -EFAULT : (int64_t)len;
}
