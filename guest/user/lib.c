/* guest/user/lib.c: the user library: system-call wrappers and printf. */
#include "lde.h"

#include "../../common/fmt.h"

void exit(int status)
{
	for (;;)
		lde_syscall(SYS_exit, status, 0, 0, 0, 0, 0);
}

void lde_assert_fail(const char *expr, const char *file, int line)
{
	for (;;)
		lde_syscall(SYS_assert_fail, (long)expr, (long)file, line, 0, 0, 0);
}

long write(int fd, const void *buf, size_t len)
{
	return lde_syscall(SYS_write, fd, (long)buf, (long)len, 0, 0, 0);
}

long getpid(void)
{
	return lde_syscall(SYS_getpid, 0, 0, 0, 0, 0, 0);
}

long yield(void)
{
	return lde_syscall(SYS_sched_yield, 0, 0, 0, 0, 0, 0);
}

long sleep_ns(uint64_t ns)
{
	struct lde_timespec ts = { (int64_t)(ns / LDE_NS_PER_SEC), (int64_t)(ns % LDE_NS_PER_SEC) };

	return lde_syscall(SYS_nanosleep, (long)&ts, 0, 0, 0, 0, 0);
}

uint64_t clock_ns(void)
{
	struct lde_timespec ts;

	if (lde_syscall(SYS_clock_gettime, CLOCK_MONOTONIC, (long)&ts, 0, 0, 0, 0) != 0)
		return 0;
	return (uint64_t)ts.tv_sec * LDE_NS_PER_SEC + (uint64_t)ts.tv_nsec;
}

int vsnprintf(char *buf, size_t cap, const char *fmt, va_list ap)
{
	return fmt_vsnprintf(buf, cap, fmt, ap);
}

int snprintf(char *buf, size_t cap, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt); /* the same as fmt_snprintf, under the name programs expect */
	n = fmt_vsnprintf(buf, cap, fmt, ap);
	va_end(ap);
	return n;
}

/* One write per call: a line printed by one task is not split by another's. */
int printf(const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = fmt_vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n < 0 || n >= (int)sizeof(buf))
		n = sizeof(buf) - 1; /* longer output is cut, as snprintf would */
	return (int)write(1, buf, (size_t)n);
}

int puts(const char *s)
{
	long r = write(1, s, strlen(s));
	return r < 0 ? (int)r : (int)write(1, "\n", 1);
}
