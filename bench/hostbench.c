/* bench/hostbench.c: the host Linux baselines for the bench suite (a system call, a thread switch, a pipe round trip, a page fault), and the wall time of whole commands (--spawn). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "../common/tsc.h"

/*
 * Usage: hostbench                                    the baselines, in TSC cycles
 *        hostbench [--name NAME] --spawn N -- CMD ARG...   CMD's wall time, N runs, in us
 *        hostbench [--name NAME] --rate N [--batches B] [--parallel P] -- CMD ARG...
 *                  N runs of CMD, P at a time, B times: the wall time per run, in us
 *
 * Each baseline: WARMUP operations, then the samples, timed one at a time into a pre-touched
 * buffer (lfence; rdtsc; lfence before, rdtscp; lfence after, the empty bracket subtracted),
 * then a batch of back-to-back operations timed as a whole, for the mean without the
 * bracket's noise. Two-party metrics (switch, pipe) are timed per round trip and halved, one
 * way. Everything runs pinned to one CPU.
 * BENCH_QUICK=1 in the environment: SAMPLES_QUICK samples and batches of BATCH_QUICK, instead
 * of SAMPLES_FULL and BATCH_FULL.
 *
 * Output: the bench protocol (bench/stats.h). Per metric, "bench: NAME unit=cycles n= median=
 * p1= p99= min= mean= mean_n= note=" and "bench-q: NAME" with the 0th..100th percentiles,
 * which are sample values (nearest rank, no interpolation); and "bench-info: host_bracket=".
 * --spawn: fork, execvp, waitpid, N times, each timed on CLOCK_MONOTONIC from just before the
 * fork to just after the wait; the command's output goes to /dev/null, and a run that does
 * not exit 0 fails the whole measurement.
 * --rate: density. A batch starts N runs of CMD, keeping P of them running at once (default:
 * twice the CPUs online, so that one run's waits leave no CPU idle), and ends when the last
 * has exited; one sample is the batch's wall time divided by N. B batches (default
 * RATE_BATCHES), one sample each. The inverse of the median is the number of runs a second
 * the machine starts and finishes, printed as the note (runs_a_second:R). Not pinned: it is
 * the whole machine's figure.
 */
#define SAMPLES_FULL 20001 /* 20 k + 1: each percentile falls on one sample */
#define SAMPLES_QUICK 2001
#define BATCH_FULL 100000
#define BATCH_QUICK 10000
#define WARMUP 2000
#define QUANTILES 101 /* the 0th to the 100th percentile */
#define PERCENT 100
/* The page-fault batch maps this many pages at a time: all of it at once would be 390 MiB. */
#define FAULT_CHUNK_PAGES 1024
#define SPAWN_MAX 100000
#define SPAWN_NAME_DEFAULT "vmm.boot"
#define RATE_NAME_DEFAULT "vmm.rate"
#define RATE_BATCHES 5
#define PARALLEL_MAX 1024
#define RATE_BATCHES_MAX 100
#define NOTE_MAX 64
#define NAME_MAX_LEN 63 /* the report's limit (STATS_NAME_MAX - 1) */
#define NS_PER_US 1000.0
#define US_PER_S 1e6
#define EXEC_FAILED 127 /* the shell's status for a command that could not be run */
#define EXIT_USAGE 2

static uint64_t samples[SAMPLES_FULL];
static double sorted[SAMPLES_FULL];
static unsigned nsamples = SAMPLES_FULL;
static unsigned batch = BATCH_FULL;

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static uint64_t bracket; /* the cost of tsc_begin + tsc_end with nothing between: subtracted */

/* The time from t0 to now, less the bracket: the cost of what ran between. */
static uint64_t elapsed(uint64_t t0)
{
	uint64_t t = tsc_end() - t0;
	return t > bracket ? t - bracket : 0;
}

/* Where the k-th percentile of n sorted samples is: the nearest rank. */
static size_t pct_index(unsigned k, size_t n)
{
	return ((size_t)k * (n - 1) + PERCENT / 2) / PERCENT;
}

/* A value for the protocol (v >= 0): whole numbers without decimals. */
static void print_value(double v)
{
	if (v == (double)(uint64_t)v)
		printf("%llu", (unsigned long long)v);
	else
		printf("%.3f", v);
}

static void print_number(const char *key, double v)
{
	printf(" %s=", key);
	print_value(v);
}

/*
 * The "bench:" and "bench-q:" lines for n sorted values; mean_n 0: no batch mean. The note,
 * when there is one, must come last: it runs to the end of the line.
 */
static void print_result(const char *name, const char *unit, const double *v, size_t n,
			 double mean, unsigned mean_n, const char *note)
{
	printf("bench: %s unit=%s", name, unit);
	print_number("n", (double)n);
	print_number("median", v[pct_index(PERCENT / 2, n)]);
	print_number("p1", v[pct_index(1, n)]);
	print_number("p99", v[pct_index(PERCENT - 1, n)]);
	print_number("min", v[0]);
	if (mean_n > 0) {
		print_number("mean", mean);
		print_number("mean_n", mean_n);
	}
	if (note != NULL)
		printf(" note=%s", note);
	printf("\nbench-q: %s", name);
	for (unsigned k = 0; k < QUANTILES; k++) {
		printf(" ");
		print_value(v[pct_index(k, n)]);
	}
	printf("\n");
}

/* samples[] (and a batch of batch_ops operations that took batch_cycles) as one metric. */
static void report(const char *name, unsigned divisor, uint64_t batch_cycles, const char *note)
{
	double mean = (double)batch_cycles / batch / divisor;

	qsort(samples, nsamples, sizeof(samples[0]), cmp_u64);
	for (unsigned i = 0; i < nsamples; i++)
		sorted[i] = (double)((samples[i] > bracket ? samples[i] - bracket : 0) / divisor);
	print_result(name, "cycles", sorted, nsamples, mean, batch, note);
}

static void measure_bracket(void)
{
	for (unsigned i = 0; i < nsamples; i++) {
		uint64_t t0 = tsc_begin();
		samples[i] = tsc_end() - t0;
	}
	qsort(samples, nsamples, sizeof(samples[0]), cmp_u64);
	bracket = samples[nsamples / 2];
	printf("bench-info: host_bracket=%llu\n", (unsigned long long)bracket);
}

static void bench_getpid(void)
{
	uint64_t t0;

	for (unsigned i = 0; i < WARMUP; i++)
		syscall(SYS_getpid);
	for (unsigned i = 0; i < nsamples; i++) {
		t0 = tsc_begin();
		syscall(SYS_getpid);
		samples[i] = tsc_end() - t0;
	}
	t0 = tsc_begin();
	for (unsigned i = 0; i < batch; i++)
		syscall(SYS_getpid);
	report("host.getpid", 1, elapsed(t0), "syscall(SYS_getpid)");
}

static char *map_pages(size_t bytes)
{
	char *m = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (m == MAP_FAILED) {
		perror("hostbench: mmap");
		exit(1);
	}
	return m;
}

/* The batch's faults, FAULT_CHUNK_PAGES to a fresh mapping; only the touches are timed. */
static uint64_t fault_batch(size_t page)
{
	uint64_t total = 0;

	for (unsigned done = 0; done < batch; done += FAULT_CHUNK_PAGES) {
		unsigned n = batch - done < FAULT_CHUNK_PAGES ? batch - done : FAULT_CHUNK_PAGES;
		char *m = map_pages(page * n);
		uint64_t t0 = tsc_begin();

		for (unsigned i = 0; i < n; i++)
			m[i * page] = 1;
		total += elapsed(t0);
		munmap(m, page * n);
	}
	return total;
}

static void bench_pagefault(void)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	char *m = map_pages(page * nsamples);

	for (unsigned i = 0; i < nsamples; i++) {
		uint64_t t0 = tsc_begin();
		m[i * page] = 1; /* first touch: a fault that maps a zeroed page */
		samples[i] = tsc_end() - t0;
	}
	munmap(m, page * nsamples);
	report("host.pagefault", 1, fault_batch(page), "first touch of an anonymous page");
}

/* sched_yield ping-pong between two threads on one CPU: each yield is one switch. */
static volatile int yield_stop;

static void *yielder(void *arg)
{
	(void)arg;
	while (!yield_stop)
		sched_yield();
	return NULL;
}

static void bench_sched_yield(void)
{
	pthread_t th;
	uint64_t t0, total;

	if (pthread_create(&th, NULL, yielder, NULL) != 0) {
		perror("hostbench: pthread_create");
		exit(1);
	}
	for (unsigned i = 0; i < WARMUP; i++)
		sched_yield();
	for (unsigned i = 0; i < nsamples; i++) {
		t0 = tsc_begin();
		sched_yield(); /* to the other thread and back: two switches */
		samples[i] = tsc_end() - t0;
	}
	t0 = tsc_begin();
	for (unsigned i = 0; i < batch; i++)
		sched_yield();
	total = elapsed(t0);
	yield_stop = 1;
	pthread_join(th, NULL);
	report("host.sched_yield", 2, total, "two threads on one CPU, one way");
}

/* One byte to the child and back. */
static void pipe_round_trip(int to, int from)
{
	char c = 0;

	if (write(to, &c, 1) != 1 || read(from, &c, 1) != 1) {
		perror("hostbench: pipe ping-pong");
		exit(1);
	}
}

/* lmbench lat_ctx style: a byte bounces between two processes over two pipes. */
static void bench_pipe(void)
{
	int ab[2], ba[2];
	uint64_t t0, total;
	char c = 0;
	pid_t child;

	if (pipe(ab) != 0 || pipe(ba) != 0) {
		perror("hostbench: pipe");
		exit(1);
	}
	child = fork();
	if (child < 0) {
		perror("hostbench: fork");
		exit(1);
	}
	if (child == 0) {
		close(ab[1]); /* so that the parent's close is this read's end of file */
		close(ba[0]);
		for (;;) {
			if (read(ab[0], &c, 1) != 1)
				_exit(0);
			if (write(ba[1], &c, 1) != 1)
				_exit(0);
		}
	}
	close(ab[0]);
	close(ba[1]);
	for (unsigned i = 0; i < WARMUP; i++)
		pipe_round_trip(ab[1], ba[0]);
	for (unsigned i = 0; i < nsamples; i++) {
		t0 = tsc_begin();
		pipe_round_trip(ab[1], ba[0]);
		samples[i] = tsc_end() - t0;
	}
	t0 = tsc_begin();
	for (unsigned i = 0; i < batch; i++)
		pipe_round_trip(ab[1], ba[0]);
	total = elapsed(t0);
	close(ab[1]);
	close(ba[0]);
	waitpid(child, NULL, 0);
	report("host.pipe", 2, total, "a byte between two processes over two pipes, one way");
}

static int baselines(void)
{
	const char *quick = getenv("BENCH_QUICK");
	cpu_set_t one, allowed;
	int cpu = 0;

	if (quick != NULL && strcmp(quick, "1") == 0) {
		nsamples = SAMPLES_QUICK;
		batch = BATCH_QUICK;
	}
	/*
	 * Both parties of every two-party metric share one CPU, as the guest's tasks do: the
	 * first this process may use (bench/run starts everything under `taskset -c N`, so the
	 * host baselines run where the VMs run).
	 */
	if (sched_getaffinity(0, sizeof(allowed), &allowed) == 0)
		while (cpu < CPU_SETSIZE - 1 && !CPU_ISSET(cpu, &allowed))
			cpu++;
	CPU_ZERO(&one);
	CPU_SET(cpu, &one);
	if (sched_setaffinity(0, sizeof(one), &one) != 0) {
		perror("hostbench: sched_setaffinity");
		return 1;
	}
	memset(samples, 0, sizeof(samples)); /* pre-touch the sample buffers */
	memset(sorted, 0, sizeof(sorted));
	measure_bracket();
	bench_getpid();
	bench_pagefault();
	bench_sched_yield();
	bench_pipe();
	return 0;
}

/* ---- --spawn ---- */

static double seconds(const struct timespec *t)
{
	return (double)t->tv_sec + (double)t->tv_nsec / (NS_PER_US * US_PER_S);
}

/* The child for one run: cmd with its output in devnull. */
static pid_t start_run(char **cmd, int devnull, int err_fd)
{
	pid_t pid = fork();

	if (pid == 0) {
		dup2(devnull, STDOUT_FILENO);
		dup2(devnull, STDERR_FILENO);
		execvp(cmd[0], cmd);
		dprintf(err_fd, "hostbench: exec %s: %s\n", cmd[0], strerror(errno));
		_exit(EXEC_FAILED);
	}
	if (pid < 0)
		perror("hostbench: fork");
	return pid;
}

/* One run of cmd, its output to devnull; its wall time in us, or -1 when it failed. */
static double spawn_once(char **cmd, int devnull)
{
	struct timespec t0, t1;
	int status, err_fd;
	pid_t pid;

	/* A copy of stderr that exec closes: where the child reports a failed exec. */
	err_fd = fcntl(STDERR_FILENO, F_DUPFD_CLOEXEC, 0);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	pid = start_run(cmd, devnull, err_fd);
	if (pid < 0) {
		close(err_fd);
		return -1;
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR) {
			perror("hostbench: waitpid");
			close(err_fd);
			return -1;
		}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	close(err_fd);
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return (seconds(&t1) - seconds(&t0)) * US_PER_S;
	if (WIFEXITED(status))
		fprintf(stderr, "hostbench: %s exited with status %d\n", cmd[0],
			WEXITSTATUS(status));
	else
		fprintf(stderr, "hostbench: %s was killed by signal %d\n", cmd[0],
			WIFSIGNALED(status) ? WTERMSIG(status) : 0);
	return -1;
}

static int spawn(const char *name, unsigned runs, char **cmd)
{
	double *us = malloc(runs * sizeof(*us));
	int devnull = open("/dev/null", O_WRONLY | O_CLOEXEC);

	if (us == NULL || devnull < 0) {
		perror("hostbench: --spawn");
		return 1;
	}
	for (unsigned i = 0; i < runs; i++) {
		us[i] = spawn_once(cmd, devnull);
		if (us[i] < 0) {
			fprintf(stderr, "hostbench: run %u of %u failed: no result\n", i + 1, runs);
			free(us);
			close(devnull);
			return 1;
		}
	}
	close(devnull);
	qsort(us, runs, sizeof(us[0]), cmp_double);
	print_result(name, "us", us, runs, 0, 0, NULL);
	free(us);
	return 0;
}

/* One batch of n runs, par at a time: its wall time per run in us, or -1 when a run failed. */
static double rate_batch(char **cmd, unsigned n, unsigned par, int devnull)
{
	struct timespec t0, t1;
	unsigned started = 0, running = 0, failed = 0;
	int err_fd = fcntl(STDERR_FILENO, F_DUPFD_CLOEXEC, 0), status;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (started < n || running > 0) {
		if (started < n && running < par && !failed) {
			if (start_run(cmd, devnull, err_fd) < 0) {
				failed = 1;
				continue;
			}
			started++;
			running++;
			continue;
		}
		if (running == 0)
			break; /* a failed fork: nothing left to wait for */
		if (wait(&status) < 0) {
			if (errno == EINTR)
				continue;
			perror("hostbench: wait");
			failed = 1;
			break;
		}
		running--;
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
			if (!failed)
				fprintf(stderr, "hostbench: a run of %s %s %d\n", cmd[0],
					WIFEXITED(status) ? "exited with status" : "was killed by signal",
					WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
			failed = 1; /* start no more; reap the rest */
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	close(err_fd);
	if (failed)
		return -1;
	return (seconds(&t1) - seconds(&t0)) * US_PER_S / n;
}

static int rate(const char *name, unsigned n, unsigned batches, unsigned par, char **cmd)
{
	double us[RATE_BATCHES_MAX];
	char note[NOTE_MAX];
	int devnull = open("/dev/null", O_WRONLY | O_CLOEXEC);

	if (devnull < 0) {
		perror("hostbench: /dev/null");
		return 1;
	}
	for (unsigned i = 0; i < batches; i++) {
		us[i] = rate_batch(cmd, n, par, devnull);
		if (us[i] <= 0) {
			fprintf(stderr, "hostbench: batch %u of %u failed: no result\n", i + 1, batches);
			close(devnull);
			return 1;
		}
	}
	close(devnull);
	qsort(us, batches, sizeof(us[0]), cmp_double);
	snprintf(note, sizeof(note), "runs_a_second:%.1f,%u_at_a_time",
		 US_PER_S / us[pct_index(PERCENT / 2, batches)], par);
	print_result(name, "us", us, batches, 0, 0, note);
	return 0;
}

static void usage(FILE *f)
{
	fprintf(f, "usage: hostbench                 the host baselines (BENCH_QUICK=1: fewer)\n"
		   "       hostbench [--name NAME] --spawn N -- CMD [ARG...]\n"
		   "                 CMD's wall time over N runs, as metric NAME (default "
		   SPAWN_NAME_DEFAULT ")\n"
		   "       hostbench [--name NAME] --rate N [--batches B] [--parallel P] -- CMD [ARG...]\n"
		   "                 N runs of CMD, P at a time (default twice the CPUs), B batches\n"
		   "                 (default %d): wall time per run, as metric NAME (default "
		   RATE_NAME_DEFAULT "),\n"
		   "                 and runs a second in the note\n", RATE_BATCHES);
}

static _Noreturn void usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static _Noreturn void usage_error(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "hostbench: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	usage(stderr);
	exit(EXIT_USAGE);
}

/* A metric name as the report accepts it: [a-z0-9._-]+, at most NAME_MAX_LEN characters. */
static int valid_name(const char *s)
{
	size_t n = strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789._-");

	return n > 0 && n <= NAME_MAX_LEN && s[n] == '\0';
}

/* A count from 1 to max, or a usage error naming the option. */
static unsigned long count_arg(const char *opt, const char *s, unsigned long max)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno != 0 || *end != '\0' || s[0] == '-' || v == 0 || v > max)
		usage_error("%s: '%s' is not a count from 1 to %lu", opt, s, max);
	return v;
}

int main(int argc, char **argv)
{
	const char *name = NULL;
	unsigned long runs = 0, rate_runs = 0, batches = RATE_BATCHES, par = 0;
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	char **cmd = NULL;

	for (int i = 1; i < argc && cmd == NULL; i++) {
		if (strcmp(argv[i], "--help") == 0) {
			usage(stdout);
			return 0;
		} else if (strcmp(argv[i], "--name") == 0 && i + 1 < argc) {
			name = argv[++i];
			if (!valid_name(name))
				usage_error("bad metric name '%s' (want [a-z0-9._-]+)", name);
		} else if (strcmp(argv[i], "--spawn") == 0 && i + 1 < argc) {
			runs = count_arg("--spawn", argv[++i], SPAWN_MAX);
		} else if (strcmp(argv[i], "--rate") == 0 && i + 1 < argc) {
			rate_runs = count_arg("--rate", argv[++i], SPAWN_MAX);
		} else if (strcmp(argv[i], "--batches") == 0 && i + 1 < argc) {
			batches = count_arg("--batches", argv[++i], RATE_BATCHES_MAX);
		} else if (strcmp(argv[i], "--parallel") == 0 && i + 1 < argc) {
			par = count_arg("--parallel", argv[++i], PARALLEL_MAX);
		} else if (strcmp(argv[i], "--") == 0 && i + 1 < argc) {
			cmd = argv + i + 1;
		} else {
			usage_error("bad argument '%s'", argv[i]);
		}
	}
	if (runs == 0 && rate_runs == 0 && cmd == NULL && argc == 1)
		return baselines();
	if (runs != 0 && rate_runs != 0)
		usage_error("--spawn and --rate: one or the other");
	if (runs != 0 && (batches != RATE_BATCHES || par != 0))
		usage_error("--batches and --parallel go with --rate, not --spawn");
	if ((runs == 0 && rate_runs == 0) || cmd == NULL)
		usage_error("--spawn N or --rate N, and -- CMD, go together");
	if (rate_runs != 0) {
		if (par == 0)
			par = cpus <= 0 ? 2 : cpus * 2 <= PARALLEL_MAX ? (unsigned long)cpus * 2 : PARALLEL_MAX;
		return rate(name ? name : RATE_NAME_DEFAULT, (unsigned)rate_runs, (unsigned)batches,
			    (unsigned)par, cmd);
	}
	return spawn(name ? name : SPAWN_NAME_DEFAULT, (unsigned)runs, cmd);
}
