/* bench/hostbench.c: the host Linux baselines for the bench suite: a system call, a thread switch, a pipe round trip, a page fault. */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <x86intrin.h>

/*
 * Each metric: WARMUP operations, then SAMPLES timed one at a time into a pre-touched buffer
 * (lfence; rdtsc; lfence before, rdtscp; lfence after, the empty bracket subtracted), and
 * one line: "host.NAME cycles median p1 p99 min n". Two-party metrics (switch, pipe) are
 * timed per round trip and halved, one way. Everything runs pinned to one CPU.
 */
#define SAMPLES 20001
#define WARMUP 2000

static uint64_t samples[SAMPLES];

static inline uint64_t t_begin(void)
{
	_mm_lfence();
	uint64_t t = __rdtsc();
	_mm_lfence();
	return t;
}

static inline uint64_t t_end(void)
{
	unsigned aux;
	uint64_t t = __rdtscp(&aux);
	_mm_lfence();
	return t;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

static uint64_t bracket; /* the cost of t_begin + t_end with nothing between: subtracted */

static void report(const char *name, unsigned divisor)
{
	qsort(samples, SAMPLES, sizeof(samples[0]), cmp_u64);
	for (unsigned i = 0; i < SAMPLES; i++)
		samples[i] = (samples[i] > bracket ? samples[i] - bracket : 0) / divisor;
	printf("%s cycles %llu %llu %llu %llu %d\n", name,
	       (unsigned long long)samples[SAMPLES / 2], (unsigned long long)samples[SAMPLES / 100],
	       (unsigned long long)samples[SAMPLES - SAMPLES / 100 - 1],
	       (unsigned long long)samples[0], SAMPLES);
}

static void measure_bracket(void)
{
	for (unsigned i = 0; i < SAMPLES; i++) {
		uint64_t t0 = t_begin();
		samples[i] = t_end() - t0;
	}
	qsort(samples, SAMPLES, sizeof(samples[0]), cmp_u64);
	bracket = samples[SAMPLES / 2];
	printf("bracket cycles %llu\n", (unsigned long long)bracket);
}

static void bench_getpid(void)
{
	for (unsigned i = 0; i < WARMUP; i++)
		syscall(SYS_getpid);
	for (unsigned i = 0; i < SAMPLES; i++) {
		uint64_t t0 = t_begin();
		syscall(SYS_getpid);
		samples[i] = t_end() - t0;
	}
	report("host.getpid", 1);
}

static void bench_pagefault(void)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	char *m = mmap(NULL, page * SAMPLES, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (m == MAP_FAILED) {
		perror("hostbench: mmap");
		exit(1);
	}
	for (unsigned i = 0; i < SAMPLES; i++) {
		uint64_t t0 = t_begin();
		m[i * page] = 1; /* first touch: a fault that maps a zeroed page */
		samples[i] = t_end() - t0;
	}
	munmap(m, page * SAMPLES);
	report("host.pagefault", 1);
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

	if (pthread_create(&th, NULL, yielder, NULL) != 0) {
		perror("hostbench: pthread_create");
		exit(1);
	}
	for (unsigned i = 0; i < WARMUP; i++)
		sched_yield();
	for (unsigned i = 0; i < SAMPLES; i++) {
		uint64_t t0 = t_begin();
		sched_yield(); /* to the other thread and back: two switches */
		samples[i] = t_end() - t0;
	}
	yield_stop = 1;
	pthread_join(th, NULL);
	report("host.sched_yield", 2);
}

/* lmbench lat_ctx style: a byte bounces between two processes over two pipes. */
static void bench_pipe(void)
{
	int ab[2], ba[2];
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
	for (unsigned i = 0; i < WARMUP + SAMPLES; i++) {
		uint64_t t0 = t_begin();
		if (write(ab[1], &c, 1) != 1 || read(ba[0], &c, 1) != 1) {
			perror("hostbench: pipe ping-pong");
			exit(1);
		}
		if (i >= WARMUP)
			samples[i - WARMUP] = t_end() - t0;
	}
	close(ab[1]);
	close(ba[0]);
	waitpid(child, NULL, 0);
	report("host.pipe", 2);
}

int main(void)
{
	cpu_set_t one;

	/* Both parties of every two-party metric share this CPU, as the guest's tasks do. */
	CPU_ZERO(&one);
	CPU_SET(0, &one);
	if (sched_setaffinity(0, sizeof(one), &one) != 0) {
		perror("hostbench: sched_setaffinity");
		return 1;
	}
	memset(samples, 0, sizeof(samples)); /* pre-touch the sample buffer */
	measure_bracket();
	bench_getpid();
	bench_pagefault();
	bench_sched_yield();
	bench_pipe();
	return 0;
}
