/*
 * tests/tasks/fuzz.c: a system-call fuzzer. FUZZ_COUNT calls (tasks.mk builds fuzz.elf with a
 * million for manual runs and fuzz_ci.elf with fewer for the tests) with random numbers and
 * arguments from an xorshift64 generator with a fixed seed, alternating SYSCALL and int $0x80.
 * Each result is checked against the ABI (abi/syscall.h); the task must survive every call.
 *
 * Kept from harm: exit, exit_group and assert_fail are never called; a nanosleep is shorter
 * than FUZZ_SLEEP_MAX_NS; write and writev to fd 1 or 2 only ever get a buffer that cannot be
 * read (any other fd is refused before the buffer is looked at), so the run prints nothing
 * but its own lines. The stack buffer handed out as a valid pointer holds FUZZ_LEAK_PATTERN:
 * it must never be printed. Calls that write to memory (stats, clock_gettime, arch_prctl's
 * GET) get either room inside a buffer or memory they cannot write. A number this file does
 * not know is called only where the kernel's table is empty (it returns -ENOSYS).
 */
#include "lde.h"
#include "paths.h"

#include "../../guest/memlayout.h"

#ifndef FUZZ_COUNT
#define FUZZ_COUNT 1000000
#endif
#ifndef FUZZ_SEED
#define FUZZ_SEED 0x2545f4914f6cdd1dull
#endif
#define FUZZ_SLEEP_MAX_NS 100000 /* 0.1 ms: well under the 1 ms limit, to keep runs short */
#define FUZZ_LEAK_PATTERN "FUZZLEAK"
#define FUZZ_BUF_SIZE 256
#define MAX_REPORTS 20 /* unexpected results printed in full; the rest only counted */

#define KERNEL_BASE 0xffffffff80000000ull

static uint64_t rng_state = FUZZ_SEED;

static uint64_t rnd(void)
{
	uint64_t x = rng_state;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return rng_state = x;
}

static char fuzz_buf[FUZZ_BUF_SIZE]; /* .bss; the stack buffer is main's */

enum arg_class {
	ARG_ZERO,
	ARG_SMALL,
	ARG_KERNEL,
	ARG_DIRECT_MAP,
	ARG_NONCANONICAL,
	ARG_NEAR_WRAP,
	ARG_RANDOM,
	ARG_USER_EDGE,  /* user addresses near the ends of what is mapped */
	ARG_VALID_BUF,  /* a pointer into a readable and writable buffer */
	ARG_CLASSES,
	ARG_UNREADABLE = ARG_RANDOM, /* classes below this one are never readable user memory */
};

static uint64_t pick_arg(enum arg_class c, const char *buf)
{
	uint64_t r = rnd();

	switch (c) {
	case ARG_ZERO: return 0;
	case ARG_SMALL: return r % 16;
	case ARG_KERNEL: return KERNEL_BASE + r % (16ull << 20);
	case ARG_DIRECT_MAP: return DIRECT_MAP_BASE + r % (64ull << 20);
	case ARG_NONCANONICAL:
		/* Bits 63..47 not all equal: bit 47 set and 63 clear, or the other way round. */
		return r & 1 ? (r | 1ull << 47) & ~(1ull << 63) : (r | 1ull << 63) & ~(1ull << 47);
	case ARG_NEAR_WRAP: return UINT64_MAX - r % 4096;
	case ARG_RANDOM: return rnd();
	case ARG_USER_EDGE:
		switch (r % 4) {
		case 0: return USER_STACK_TOP - rnd() % 8192;
		case 1: return USER_STACK_TOP - USER_STACK_SIZE - 4096 + rnd() % 8192;
		case 2: return USER_TOP - rnd() % 8192;
		default: return USER_MIN - 4096 + rnd() % 8192;
		}
	case ARG_VALID_BUF:
	default: return (uint64_t)(uintptr_t)buf + r % FUZZ_BUF_SIZE;
	}
}

/* The numbers this file knows how to call safely and judge; exit and assert_fail never. */
static const uint64_t known_nrs[] = {
	SYS_read, SYS_readv, SYS_write, SYS_writev, SYS_ioctl, SYS_sched_yield, SYS_nanosleep, SYS_getpid,
	SYS_clock_gettime, SYS_arch_prctl, SYS_set_tid_address, SYS_nop, SYS_stats, SYS_bench,
	SYS_getuid, SYS_getgid, SYS_geteuid, SYS_getegid, SYS_getppid, SYS_gettid, SYS_open,
	SYS_openat, SYS_readlink, SYS_fcntl, SYS_madvise, SYS_lseek, SYS_getgroups, SYS_getcwd,
	SYS_set_robust_list, SYS_rseq, SYS_prctl,
};

/*
 * Numbers the kernel serves that this file never calls: they end the task, change its own
 * memory under it (a random munmap would take its code away), or write more than its
 * buffers hold. syscalls.elf and the ordinary programs' tests cover them.
 */
static const uint64_t skipped_nrs[] = {
	SYS_exit, SYS_exit_group, SYS_assert_fail, SYS_mmap, SYS_mprotect, SYS_munmap, SYS_brk,
	SYS_mremap, SYS_uname, SYS_sysinfo, SYS_fstat, SYS_newfstatat, SYS_getrlimit,
	SYS_prlimit64, SYS_getrandom, SYS_gettimeofday, SYS_time, SYS_clock_nanosleep,
	SYS_close, /* a closed stdout would make every later write -EBADF */
	SYS_rt_sigaction, SYS_rt_sigprocmask,
};
#define NKNOWN (sizeof(known_nrs) / sizeof(known_nrs[0]))

/* Mostly a call the kernel serves; else any number up to past the table, or anything. */
static uint64_t pick_nr(void)
{
	uint64_t r = rnd();

	if (r % 16 == 0)
		return rnd(); /* fully random: almost always far out of range */
	if (r % 4 == 0)
		return (r >> 4) % (SYS_MAX + 4);
	return known_nrs[(r >> 4) % NKNOWN];
}

/*
 * A pointer the kernel will write size bytes to: inside a buffer with room for them, or
 * memory no task can write (never the stack or data the fuzzer itself relies on).
 */
static uint64_t out_ptr(uint64_t a, uint64_t size, const char *buf)
{
	uint64_t b = (uint64_t)(uintptr_t)buf;

	if (a >= b && a < b + FUZZ_BUF_SIZE)
		return b + rnd() % (FUZZ_BUF_SIZE - size + 1);
	return pick_arg((enum arg_class)(rnd() % ARG_UNREADABLE), buf);
}

static int in_buf(uint64_t a, uint64_t size, const char *buf)
{
	uint64_t b = (uint64_t)(uintptr_t)buf;

	return a >= b && a <= b + FUZZ_BUF_SIZE - size;
}

/* nanosleep's request: a short valid one, an invalid one, or one the kernel cannot read. */
static struct lde_timespec sleep_req;

static const uint64_t arch_codes[] = { ARCH_SET_FS, ARCH_SET_GS, ARCH_GET_FS, ARCH_GET_GS };

/*
 * The arguments. A valid pointer is often followed by a length that fits its buffer; a
 * write or writev to fd 1 or 2 gets an unreadable buffer; memory the kernel writes is in a
 * buffer with room, or unwritable; a sleep is short.
 */
static void pick_args(uint64_t nr, uint64_t a[6], const char *buf)
{
	for (int i = 0; i < 6; i++) {
		enum arg_class c = (enum arg_class)(rnd() % ARG_CLASSES);

		a[i] = pick_arg(c, buf);
		if (c == ARG_VALID_BUF && i < 5 && rnd() % 2) {
			uint64_t room = (uint64_t)(uintptr_t)buf + FUZZ_BUF_SIZE - a[i];
			a[++i] = rnd() % (room + 1);
		}
	}
	switch (nr) {
	case SYS_nanosleep:
		sleep_req = (struct lde_timespec){ 0, (int64_t)(rnd() % FUZZ_SLEEP_MAX_NS) };
		if (rnd() % 4 == 0)
			sleep_req.tv_nsec = (int64_t)LDE_NS_PER_SEC + (int64_t)(rnd() % 4); /* EINVAL */
		if (rnd() % 2)
			a[0] = (uint64_t)(uintptr_t)&sleep_req;
		else
			a[0] = pick_arg((enum arg_class)(rnd() % ARG_UNREADABLE), buf);
		break;
	case SYS_stats: a[0] = out_ptr(a[0], sizeof(struct lde_kstats), buf); break;
	case SYS_getcwd:
		if (rnd() % 2)
			a[1] = rnd() % 4; /* around the 2 bytes "/" takes */
		a[0] = out_ptr(a[0], 2, buf);
		break;
	case SYS_clock_gettime:
		if (rnd() % 2)
			a[0] = rnd() % 8; /* the clocks and their neighbours */
		a[1] = out_ptr(a[1], sizeof(struct lde_timespec), buf);
		break;
	case SYS_arch_prctl:
		if (rnd() % 4)
			a[0] = arch_codes[rnd() % 4];
		if (a[0] == ARCH_GET_FS || a[0] == ARCH_GET_GS)
			a[1] = out_ptr(a[1], sizeof(uint64_t), buf);
		break;
	case SYS_write:
	case SYS_writev:
		/* (uint32_t): also safe from a kernel that looked at the low half of fd only. */
		if ((uint32_t)a[0] == 1 || (uint32_t)a[0] == 2)
			a[1] = pick_arg((enum arg_class)(rnd() % ARG_UNREADABLE), buf);
		break;
	case SYS_read:
	case SYS_readv:
		/* Never a buffer the kernel could fill: a read of fd 0 must not wait for input. */
		if ((uint32_t)a[0] == 0)
			a[1] = pick_arg((enum arg_class)(rnd() % ARG_UNREADABLE), buf);
		break;
	default: break;
	}
}

static long pid;

static int known(uint64_t nr)
{
	for (unsigned i = 0; i < NKNOWN; i++)
		if (known_nrs[i] == nr)
			return 1;
	for (unsigned i = 0; i < sizeof(skipped_nrs) / sizeof(skipped_nrs[0]); i++)
		if (skipped_nrs[i] == nr)
			return 0;
	return 1; /* every other number must be an empty slot: -ENOSYS */
}

static const char *judge_clock(const uint64_t a[6], const char *buf, long ret)
{
	if (a[0] != CLOCK_REALTIME && a[0] != CLOCK_MONOTONIC && a[0] != CLOCK_MONOTONIC_RAW &&
	    a[0] != CLOCK_BOOTTIME)
		return ret == -EINVAL ? NULL : "clock_gettime of an unknown clock did not return -EINVAL";
	if (in_buf(a[1], sizeof(struct lde_timespec), buf))
		return ret == 0 ? NULL : "clock_gettime into a buffer did not return 0";
	return ret == -EFAULT ? NULL : "clock_gettime into unwritable memory did not return -EFAULT";
}

static const char *judge_arch_prctl(const uint64_t a[6], const char *buf, long ret)
{
	switch (a[0]) {
	case ARCH_SET_FS:
	case ARCH_SET_GS:
		if (a[1] < USER_TOP)
			return ret == 0 ? NULL : "arch_prctl SET of a user address did not return 0";
		return ret == -EPERM ? NULL : "arch_prctl SET of a non-user address did not return -EPERM";
	case ARCH_GET_FS:
	case ARCH_GET_GS:
		if (in_buf(a[1], sizeof(uint64_t), buf))
			return ret == 0 ? NULL : "arch_prctl GET into a buffer did not return 0";
		return ret == -EFAULT ? NULL : "arch_prctl GET into unwritable memory did not return -EFAULT";
	default: return ret == -EINVAL ? NULL : "arch_prctl of an unknown code did not return -EINVAL";
	}
}

static const char *judge_write(uint64_t nr, const uint64_t a[6], long ret)
{
	if (a[0] != 1 && a[0] != 2)
		return ret == -EBADF ? NULL : "write to a bad fd did not return -EBADF";
	if (nr == SYS_writev && a[2] > LDE_IOV_MAX)
		return ret == -EINVAL ? NULL : "writev of too many buffers did not return -EINVAL";
	if (ret == -EFAULT || (ret == 0 && a[2] == 0))
		return NULL;
	return "write of an unreadable buffer did not return -EFAULT (or 0 for length 0)";
}

static const char *judge_read(uint64_t nr, const uint64_t a[6], long ret)
{
	if (a[0] != 0)
		return ret == -EBADF ? NULL : "read from a bad fd did not return -EBADF";
	if (a[2] == 0)
		return ret == 0 ? NULL : "read of nothing did not return 0";
	if (nr == SYS_readv && a[2] > LDE_IOV_MAX)
		return ret == -EINVAL ? NULL : "readv of too many buffers did not return -EINVAL";
	return ret == -EFAULT ? NULL : "read into unwritable memory did not return -EFAULT";
}

/* The result the ABI allows, or a reason why `ret` is not it. */
static const char *judge(uint64_t nr, const uint64_t a[6], const char *buf, long ret)
{
	switch (nr) {
	case SYS_write:
	case SYS_writev: return judge_write(nr, a, ret);
	case SYS_read:
	case SYS_readv: return judge_read(nr, a, ret);
	case SYS_ioctl:
		return ret == (a[0] <= 2 ? -ENOTTY : -EBADF) ? NULL : "ioctl: not ENOTTY/EBADF";
	case SYS_getpid:
	case SYS_gettid:
	case SYS_set_tid_address: return ret == pid ? NULL : "getpid, gettid or set_tid_address changed";
	case SYS_getuid:
	case SYS_getgid:
	case SYS_geteuid:
	case SYS_getegid:
	case SYS_getppid:
	case SYS_madvise: return ret == 0 ? NULL : "an id or madvise was not 0";
	case SYS_open:
	case SYS_openat:
	case SYS_readlink: return ret == -ENOENT ? NULL : "a path was found where there are none";
	case SYS_fcntl:
		if (a[0] > 2)
			return ret == -EBADF ? NULL : "fcntl of a bad fd did not return -EBADF";
		if (a[1] == 1 || a[1] == 2 || a[1] == 4)
			return ret == 0 ? NULL : "fcntl F_GETFD/SETFD/SETFL did not return 0";
		if (a[1] == 3)
			return ret == (a[0] == 0 ? 0 : 1) ? NULL : "fcntl F_GETFL: wrong mode";
		return ret == -EINVAL ? NULL : "fcntl of an unknown command did not return -EINVAL";
	case SYS_sched_yield:
	case SYS_getgroups:
	case SYS_nop: return ret == 0 ? NULL : "did not return 0";
	case SYS_lseek: return ret == (a[0] <= 2 ? -ESPIPE : -EBADF) ? NULL : "lseek: not ESPIPE/EBADF";
	case SYS_getcwd:
		if (a[1] < 2)
			return ret == -ERANGE ? NULL : "getcwd into fewer than 2 bytes did not return -ERANGE";
		if (in_buf(a[0], 2, buf))
			return ret == 2 ? NULL : "getcwd into a buffer did not return 2";
		return ret == -EFAULT ? NULL : "getcwd into unwritable memory did not return -EFAULT";
	case SYS_nanosleep:
		if (a[0] != (uint64_t)(uintptr_t)&sleep_req)
			return ret == -EFAULT ? NULL : "nanosleep of unreadable memory did not return -EFAULT";
		if ((uint64_t)sleep_req.tv_nsec >= LDE_NS_PER_SEC)
			return ret == -EINVAL ? NULL : "nanosleep of 1 s or more in tv_nsec did not return -EINVAL";
		return ret == 0 ? NULL : "nanosleep did not return 0";
	case SYS_clock_gettime: return judge_clock(a, buf, ret);
	case SYS_arch_prctl: return judge_arch_prctl(a, buf, ret);
	case SYS_stats:
		if (in_buf(a[0], sizeof(struct lde_kstats), buf))
			return ret == 0 ? NULL : "stats into a valid buffer did not return 0";
		return ret == -EFAULT ? NULL : "stats into unwritable memory did not return -EFAULT";
	case SYS_bench: return ret == -EPERM ? NULL : "bench without the bench= word did not return -EPERM";
	default: return ret == -ENOSYS ? NULL : "an unknown number did not return -ENOSYS";
	}
}

int main(void)
{
	char stack_buf[FUZZ_BUF_SIZE];
	uint64_t calls = 0, errors = 0, skipped = 0, unexpected = 0, t0, ms;

	for (unsigned i = 0; i < FUZZ_BUF_SIZE; i++)
		stack_buf[i] = fuzz_buf[i] = FUZZ_LEAK_PATTERN[i % (sizeof(FUZZ_LEAK_PATTERN) - 1)];
	pid = getpid();
	printf("fuzz: pid %ld, seed 0x%lx, %lu iterations\n", pid, (uint64_t)FUZZ_SEED,
	       (uint64_t)FUZZ_COUNT);
	t0 = clock_ns();
	for (uint64_t i = 0; i < FUZZ_COUNT; i++) {
		const struct syscall_path *p = &syscall_paths[i & 1];
		const char *buf = rnd() % 2 ? stack_buf : fuzz_buf;
		uint64_t nr = pick_nr(), a[6];
		const char *why;
		long ret;

		pick_args(nr, a, buf);
		if (!known(nr)) {
			skipped++;
			continue;
		}
		ret = p->call((long)nr, (long)a[0], (long)a[1], (long)a[2], (long)a[3], (long)a[4],
			      (long)a[5]);
		calls++;
		if (ret < 0 && ret >= -4095)
			errors++;
		why = judge(nr, a, buf, ret);
		if (why != NULL && ++unexpected <= MAX_REPORTS)
			printf("fuzz: UNEXPECTED at iteration %lu [%s]: nr 0x%lx (0x%lx, 0x%lx, 0x%lx, "
			       "0x%lx, 0x%lx, 0x%lx) = %ld: %s\n",
			       i, p->name, nr, a[0], a[1], a[2], a[3], a[4], a[5], ret, why);
	}
	ms = (clock_ns() - t0) / 1000000;
	printf("fuzz: %lu calls in %lu ms (%lu calls/s), %lu exits or unknown numbers skipped\n", calls, ms,
	       ms ? calls * 1000 / ms : 0, skipped);
	if (unexpected) {
		printf("fuzz: %lu unexpected results\n", unexpected);
		return 1;
	}
	printf("fuzz: %lu calls, %lu errors, done\n", calls, errors);
	return 0;
}
