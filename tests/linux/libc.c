/*
 * tests/linux/libc.c: an ordinary C program that uses the C library's common parts: malloc
 * (small blocks from brk, a large one from mmap), realloc, qsort, strtod, the clocks, a sleep,
 * uname and the process ids; the working directory, groups, signal calls a shell makes at its
 * start, and closing and seeking the standard streams. Built static with musl-gcc and with gcc (glibc); each check
 * prints "libc: ok ..." or "libc: FAIL ...", and the status is the number of failures.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

static int failures;

static void check(int ok, const char *what)
{
	printf("libc: %s %s\n", ok ? "ok" : "FAIL", what);
	failures += !ok;
}

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
	struct timespec t0, t1, nap = { 0, 20 * 1000 * 1000 };
	struct utsname u;
	int nums[64];
	char *small, *big;
	int sorted = 1;

	check(argc == 2 && strcmp(argv[1], "arg") == 0, "argv");
	small = malloc(100);
	check(small != NULL, "malloc of 100 bytes");
	strcpy(small, "kept across realloc");
	small = realloc(small, 100000);
	check(small != NULL && strcmp(small, "kept across realloc") == 0, "realloc to 100000 bytes");
	big = malloc(8 << 20);
	check(big != NULL, "malloc of 8 MiB");
	if (big != NULL) {
		memset(big, 0x5a, 8 << 20);
		check(big[0] == 0x5a && big[(8 << 20) - 1] == 0x5a, "8 MiB written and read");
	}
	free(big);
	free(small);
	for (int i = 0; i < 64; i++)
		nums[i] = (i * 37) % 64;
	qsort(nums, 64, sizeof(nums[0]), cmp_int);
	for (int i = 0; i < 64; i++)
		sorted &= nums[i] == i;
	check(sorted, "qsort");
	check(strtod("2.5e3", NULL) == 2500.0, "strtod");
	clock_gettime(CLOCK_MONOTONIC, &t0);
	nanosleep(&nap, NULL);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	check((t1.tv_sec - t0.tv_sec) * 1000000000L + (t1.tv_nsec - t0.tv_nsec) >= 20000000L,
	      "nanosleep of 20 ms, timed by CLOCK_MONOTONIC");
	check(time(NULL) > 1577836800, "time() is after 2020");
	check(uname(&u) == 0 && strcmp(u.sysname, "Linux") == 0 && strcmp(u.machine, "x86_64") == 0,
	      "uname");
	check(getpid() > 0 && getppid() == 0, "getpid and getppid");
	{
		char cwd[16], tiny[1];
		gid_t groups[4];

		check(getcwd(cwd, sizeof(cwd)) != NULL && strcmp(cwd, "/") == 0, "getcwd is /");
		check(getcwd(tiny, sizeof(tiny)) == NULL && errno == ERANGE, "getcwd: ERANGE");
		check(getgroups(4, groups) == 0, "getgroups: none");
	}
	{
		struct sigaction sa, old;
		sigset_t set, oldset;

		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = SIG_IGN;
		check(sigaction(SIGINT, &sa, &old) == 0 && old.sa_handler == SIG_DFL, "sigaction");
		check(sigaction(SIGKILL, &sa, NULL) == -1 && errno == EINVAL, "sigaction SIGKILL: EINVAL");
		sigemptyset(&set);
		sigaddset(&set, SIGTERM);
		check(sigprocmask(SIG_BLOCK, &set, &oldset) == 0 && !sigismember(&oldset, SIGTERM),
		      "sigprocmask");
	}
	fflush(stdout);
	check(lseek(0, 0, SEEK_CUR) == -1 && errno == ESPIPE, "lseek on stdin: ESPIPE");
	check(close(0) == 0, "close(0)");
	check(read(0, nums, 1) == -1 && errno == EBADF, "read after close(0): EBADF");
	check(close(0) == -1 && errno == EBADF, "close(0) again: EBADF");
	check(close(5) == -1 && errno == EBADF, "close(5): EBADF");
	printf("libc: %d failures\n", failures);
	return failures;
}
