/* tests/unit/test_syscall.c: the system-call table and dispatcher (guest/syscall.c), with recording stubs for every sys_* handler. */
#include <check.h>
#include <stdint.h>
#include <string.h>

#include "../../guest/syscall.h"
#include "suites.h"

/* What the stubs saw: the last handler called (its SYS_* number), its arguments, the count. */
static struct {
	unsigned calls;
	uint64_t nr;
	uint64_t a[6];
	int64_t ret; /* what every stub returns */
} rec;

static int64_t record(uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3,
		      uint64_t a4, uint64_t a5)
{
	rec.calls++;
	rec.nr = nr;
	rec.a[0] = a0, rec.a[1] = a1, rec.a[2] = a2;
	rec.a[3] = a3, rec.a[4] = a4, rec.a[5] = a5;
	return rec.ret;
}

#define STUB(name, nr)                                                                          \
	int64_t name(uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4,            \
		     uint64_t a5)                                                                \
	{                                                                                        \
		return record(nr, a0, a1, a2, a3, a4, a5);                                       \
	}

STUB(sys_exit, SYS_exit)
STUB(sys_read, SYS_read)
STUB(sys_readv, SYS_readv)
STUB(sys_write, SYS_write)
STUB(sys_writev, SYS_writev)
STUB(sys_ioctl, SYS_ioctl)
STUB(sys_getpid, SYS_getpid)
STUB(sys_sched_yield, SYS_sched_yield)
STUB(sys_nanosleep, SYS_nanosleep)
STUB(sys_clock_gettime, SYS_clock_gettime)
STUB(sys_arch_prctl, SYS_arch_prctl)
STUB(sys_set_tid_address, SYS_set_tid_address)
STUB(sys_fcntl, SYS_fcntl)
STUB(sys_fstat, SYS_fstat)
STUB(sys_newfstatat, SYS_newfstatat)
STUB(sys_enoent, SYS_open)
STUB(sys_lseek, SYS_lseek)
STUB(sys_close, SYS_close)
STUB(sys_rt_sigaction, SYS_rt_sigaction)
STUB(sys_rt_sigprocmask, SYS_rt_sigprocmask)
STUB(sys_enosys, SYS_rseq)
STUB(sys_getcwd, SYS_getcwd)
STUB(sys_getgroups, SYS_getgroups)
STUB(sys_brk, SYS_brk)
STUB(sys_mmap, SYS_mmap)
STUB(sys_munmap, SYS_munmap)
STUB(sys_mprotect, SYS_mprotect)
STUB(sys_mremap, SYS_mremap)
STUB(sys_madvise, SYS_madvise)
STUB(sys_getuid, SYS_getuid)
STUB(sys_gettid, SYS_gettid)
STUB(sys_uname, SYS_uname)
STUB(sys_sysinfo, SYS_sysinfo)
STUB(sys_getrlimit, SYS_getrlimit)
STUB(sys_prlimit64, SYS_prlimit64)
STUB(sys_getrandom, SYS_getrandom)
STUB(sys_gettimeofday, SYS_gettimeofday)
STUB(sys_time, SYS_time)
STUB(sys_clock_nanosleep, SYS_clock_nanosleep)
STUB(sys_nop, SYS_nop)
#ifdef SYS_stats
#include "../../guest/kstats.h"

struct lde_kstats kstats; /* guest/kstats.c's; the dispatcher counts calls in it */
STUB(sys_stats, SYS_stats)
#endif
STUB(sys_bench, SYS_bench)
STUB(sys_assert_fail, SYS_assert_fail)

/* guest/sysnames.c's report of an unserved number: recorded here. */
static struct {
	unsigned calls;
	uint64_t nr;
} unknown;

void syscall_unknown(uint64_t nr)
{
	unknown.calls++;
	unknown.nr = nr;
}

/* The numbers that are calls, each with its handler (exit_group shares exit's: see below). */
static const struct {
	uint64_t nr;
	syscall_fn fn;
} calls[] = {
	{ SYS_exit, sys_exit },
	{ SYS_read, sys_read },
	{ SYS_readv, sys_readv },
	{ SYS_write, sys_write },
	{ SYS_writev, sys_writev },
	{ SYS_ioctl, sys_ioctl },
	{ SYS_getpid, sys_getpid },
	{ SYS_sched_yield, sys_sched_yield },
	{ SYS_nanosleep, sys_nanosleep },
	{ SYS_clock_gettime, sys_clock_gettime },
	{ SYS_arch_prctl, sys_arch_prctl },
	{ SYS_set_tid_address, sys_set_tid_address },
	{ SYS_fcntl, sys_fcntl },
	{ SYS_fstat, sys_fstat },
	{ SYS_newfstatat, sys_newfstatat },
	{ SYS_open, sys_enoent },
	{ SYS_lseek, sys_lseek },
	{ SYS_close, sys_close },
	{ SYS_rt_sigaction, sys_rt_sigaction },
	{ SYS_rt_sigprocmask, sys_rt_sigprocmask },
	{ SYS_rseq, sys_enosys },
	{ SYS_getcwd, sys_getcwd },
	{ SYS_getgroups, sys_getgroups },
	{ SYS_brk, sys_brk },
	{ SYS_mmap, sys_mmap },
	{ SYS_munmap, sys_munmap },
	{ SYS_mprotect, sys_mprotect },
	{ SYS_mremap, sys_mremap },
	{ SYS_madvise, sys_madvise },
	{ SYS_getuid, sys_getuid },
	{ SYS_gettid, sys_gettid },
	{ SYS_uname, sys_uname },
	{ SYS_sysinfo, sys_sysinfo },
	{ SYS_getrlimit, sys_getrlimit },
	{ SYS_prlimit64, sys_prlimit64 },
	{ SYS_getrandom, sys_getrandom },
	{ SYS_gettimeofday, sys_gettimeofday },
	{ SYS_time, sys_time },
	{ SYS_clock_nanosleep, sys_clock_nanosleep },
	{ SYS_nop, sys_nop },
#ifdef SYS_stats
	{ SYS_stats, sys_stats },
#endif
	{ SYS_bench, sys_bench },
	{ SYS_assert_fail, sys_assert_fail },
};
#define NCALLS (sizeof(calls) / sizeof(calls[0]))

/* A frame whose every register holds a different value; rax = nr. */
static struct trapframe frame(uint64_t nr)
{
	struct trapframe tf;
	uint64_t *w = (uint64_t *)&tf;

	for (unsigned i = 0; i < sizeof(tf) / sizeof(uint64_t); i++)
		w[i] = 0xa5a5000000000000ull | ((uint64_t)(i + 1) << 32) | (0x1111u * (i + 1));
	tf.rax = nr;
	return tf;
}

static void setup(void)
{
	memset(&rec, 0, sizeof(rec));
	memset(&unknown, 0, sizeof(unknown));
	rec.nr = UINT64_MAX;
}

/* tf after the dispatch equals before in every field but rax. */
static void assert_only_rax_changed(const struct trapframe *before, const struct trapframe *after)
{
	struct trapframe a = *after;

	a.rax = before->rax;
	ck_assert_msg(memcmp(before, &a, sizeof(a)) == 0, "the dispatcher wrote a register other than rax");
}

/* Numbers that share another's handler: they do the same thing here. */
static const struct {
	uint64_t nr;
	syscall_fn fn;
} aliases[] = {
	{ SYS_exit_group, sys_exit }, { SYS_openat, sys_enoent }, { SYS_readlink, sys_enoent },
	{ SYS_getgid, sys_getuid },   { SYS_geteuid, sys_getuid }, { SYS_getegid, sys_getuid },
	{ SYS_getppid, sys_getuid },  { SYS_set_robust_list, sys_enosys }, { SYS_prctl, sys_enosys },
};

/* Each number's slot holds its handler (or the one it shares), and every other is empty. */
START_TEST(table_slots)
{
	for (unsigned nr = 0; nr < SYS_MAX; nr++) {
		syscall_fn want = NULL;

		for (unsigned i = 0; i < NCALLS; i++)
			if (calls[i].nr == nr)
				want = calls[i].fn;
		for (unsigned i = 0; i < sizeof(aliases) / sizeof(aliases[0]); i++)
			if (aliases[i].nr == nr)
				want = aliases[i].fn;
		ck_assert_msg(syscall_table[nr] == want, "slot %u: %s", nr,
			      want ? "holds the wrong handler" : "should be empty");
	}
	/* Linux's numbers for the ones a static C library calls first. */
	ck_assert_uint_eq(SYS_write, 1);
	ck_assert_uint_eq(SYS_exit, 60);
	ck_assert_uint_eq(SYS_exit_group, 231);
	ck_assert_uint_eq(SYS_arch_prctl, 158);
	ck_assert_uint_gt(SYS_nop, 463); /* above every Linux x86-64 number (6.x: 0-462) */
}
END_TEST

START_TEST(dispatch_each)
{
	for (unsigned i = 0; i < NCALLS; i++) {
		struct trapframe tf = frame(calls[i].nr), before = tf;

		setup();
		rec.ret = (int64_t)(0x0123456789000000ull | (calls[i].nr << 8) | 0x42);
		syscall_dispatch(&tf);
		ck_assert_uint_eq(rec.calls, 1);
		ck_assert_uint_eq(rec.nr, calls[i].nr);
		ck_assert_uint_eq(rec.a[0], before.rdi);
		ck_assert_uint_eq(rec.a[1], before.rsi);
		ck_assert_uint_eq(rec.a[2], before.rdx);
		ck_assert_uint_eq(rec.a[3], before.r10); /* not rcx: SYSCALL puts the return RIP there */
		ck_assert_uint_ne(rec.a[3], before.rcx);
		ck_assert_uint_eq(rec.a[4], before.r8);
		ck_assert_uint_eq(rec.a[5], before.r9);
		ck_assert_uint_eq(tf.rax, (uint64_t)rec.ret);
		assert_only_rax_changed(&before, &tf);
	}
}
END_TEST

#ifdef SYS_stats
START_TEST(dispatch_counts)
{
	for (unsigned i = 0; i < NCALLS; i++) {
		struct trapframe tf = frame(calls[i].nr);
		uint64_t before = kstats.syscalls;

		syscall_dispatch(&tf);
		ck_assert_uint_eq(kstats.syscalls, before + 1);
	}
}
END_TEST
#endif

START_TEST(dispatch_negative_result)
{
	struct trapframe tf = frame(SYS_write);

	rec.ret = -EFAULT;
	syscall_dispatch(&tf);
	ck_assert_uint_eq(rec.calls, 1);
	ck_assert_uint_eq(tf.rax, (uint64_t)-EFAULT);
	ck_assert_int_eq((int64_t)tf.rax, -14);
}
END_TEST

START_TEST(dispatch_zero_args)
{
	struct trapframe tf;

	memset(&tf, 0, sizeof(tf));
	tf.rax = SYS_getpid;
	rec.ret = 7;
	syscall_dispatch(&tf);
	ck_assert_uint_eq(rec.nr, SYS_getpid);
	for (unsigned i = 0; i < 6; i++)
		ck_assert_uint_eq(rec.a[i], 0);
	ck_assert_uint_eq(tf.rax, 7);
}
END_TEST

START_TEST(dispatch_enosys)
{
	static const uint64_t bad[] = {
		57 /* fork */, SYS_LDE_BASE - 1, SYS_MAX, SYS_MAX + 1, UINT64_MAX, 1ull << 63, 0xff,
		(1ull << 32) | SYS_write, /* truncated to 32 bits it would be write */
		(uint64_t)-SYS_exit,
	};

	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct trapframe tf = frame(bad[i]), before = tf;

		syscall_dispatch(&tf);
		ck_assert_msg(rec.calls == 0, "number %#llx called handler %llu",
			      (unsigned long long)bad[i], (unsigned long long)rec.nr);
		ck_assert_uint_eq(tf.rax, (uint64_t)-ENOSYS);
		ck_assert_int_eq((int64_t)tf.rax, -38);
		assert_only_rax_changed(&before, &tf);
		/* ... and the kernel is told, to name it to the user. */
		ck_assert_uint_eq(unknown.calls, i + 1);
		ck_assert_uint_eq(unknown.nr, bad[i]);
	}
}
END_TEST

/* A served call is not reported as unknown. */
START_TEST(dispatch_known_not_reported)
{
	for (unsigned i = 0; i < NCALLS; i++) {
		struct trapframe tf = frame(calls[i].nr);

		syscall_dispatch(&tf);
	}
	ck_assert_uint_eq(unknown.calls, 0);
}
END_TEST

/* Hooks (strace, the trace) see each call on entry, with its number, and on leaving, with
 * its result; a third hook is refused. */
static struct {
	unsigned n;
	enum syscall_stop stop[4];
	uint64_t nr[4];
	int64_t ret[4];
} seen;

static void watch(const struct trapframe *tf, enum syscall_stop stop, int64_t ret)
{
	if (seen.n < 4) {
		seen.stop[seen.n] = stop;
		seen.nr[seen.n] = tf->rax;
		seen.ret[seen.n] = ret;
	}
	seen.n++;
}

START_TEST(dispatch_hooks)
{
	struct trapframe tf = frame(SYS_getpid);

	ck_assert_int_eq(syscall_hook_add(watch), 0);
	rec.ret = 41;
	syscall_dispatch(&tf);
	ck_assert_uint_eq(seen.n, 2);
	ck_assert_int_eq(seen.stop[0], SYSCALL_ENTER);
	ck_assert_uint_eq(seen.nr[0], SYS_getpid);
	ck_assert_int_eq(seen.stop[1], SYSCALL_LEAVE);
	ck_assert_uint_eq(seen.nr[1], SYS_getpid); /* tf->rax still the number when it leaves */
	ck_assert_int_eq(seen.ret[1], 41);
	ck_assert_uint_eq(tf.rax, 41);
	tf = frame(57 /* fork: not served */);
	syscall_dispatch(&tf);
	ck_assert_uint_eq(seen.n, 4);
	ck_assert_int_eq(seen.ret[3], -ENOSYS);
	ck_assert_int_eq(syscall_hook_add(watch), 0);
	ck_assert_int_eq(syscall_hook_add(watch), -1); /* two at most */
}
END_TEST

Suite *syscall_suite(void)
{
	Suite *s = suite_create("syscall");
	TCase *t = tcase_create("table");
	TCase *d = tcase_create("dispatch");

	tcase_add_checked_fixture(d, setup, NULL);
	tcase_add_test(t, table_slots);
	tcase_add_test(d, dispatch_each);
#ifdef SYS_stats
	tcase_add_test(d, dispatch_counts);
#endif
	tcase_add_test(d, dispatch_negative_result);
	tcase_add_test(d, dispatch_known_not_reported);
	tcase_add_test(d, dispatch_hooks);
	tcase_add_test(d, dispatch_zero_args);
	tcase_add_test(d, dispatch_enosys);
	suite_add_tcase(s, t);
	suite_add_tcase(s, d);
	return s;
}
