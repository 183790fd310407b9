/* vmm/bench.c: --bench, a module of the exit loop: the KVM_RUN round trip of the guest's NOP hypercalls, and the VMM's memory overhead. */
#include "bench.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "../abi/hypercall.h"

#define NOP_SAMPLES_MAX 4096
#define QUANTILES 101 /* the 0th to 100th percentile, for bench-q lines */

static struct {
	/* KVM_RUN round trips that ended in a NOP hypercall right after another one. */
	uint64_t nop_cycles[NOP_SAMPLES_MAX];
	unsigned nop_count;
	int last_nop;
	int status_fd; /* /proc/self/status, opened before the sandbox (which forbids open) */
} bench;

static int is_nop_hypercall(const struct kvm_run *run)
{
	return run->exit_reason == KVM_EXIT_IO && run->io.port == LDE_HC_PORT(LDE_HC_NOP) &&
	       run->io.direction == KVM_EXIT_IO_OUT;
}


/* After each exit: a NOP hypercall that follows another closes one host.kvm_run.pio sample. */
static void bench_exit(const struct kvm_run *run, uint64_t kvm_run_cycles)
{
	if (!is_nop_hypercall(run)) {
		bench.last_nop = 0;
		return;
	}
	if (bench.last_nop && bench.nop_count < NOP_SAMPLES_MAX)
		bench.nop_cycles[bench.nop_count++] = kvm_run_cycles;
	bench.last_nop = 1;
}

static void bench_start(struct vm *vm, struct hc_ctx *hc)
{
	(void)vm, (void)hc;
	bench.status_fd = open("/proc/self/status", O_RDONLY | O_CLOEXEC);
}

/*
 * Sorting by hand: glibc's qsort asks the kernel for the machine's memory size (sysinfo)
 * the first time it sorts a large array, and the sandbox, rightly, does not allow that.
 */
static void sort_u64(uint64_t *a, unsigned n)
{
	for (unsigned gap = n / 2; gap > 0; gap /= 2) /* Shell sort */
		for (unsigned i = gap; i < n; i++)
			for (unsigned j = i; j >= gap && a[j - gap] > a[j]; j -= gap) {
				uint64_t t = a[j];
				a[j] = a[j - gap];
				a[j - gap] = t;
			}
}

/* One bench metric in the form bench/README.md describes; s is sorted, n > 0. */
static void print_bench_metric(const char *name, const char *unit, const uint64_t *s, unsigned n,
			       const char *note)
{
	fprintf(stderr, "bench: %s unit=%s n=%u median=%llu p1=%llu p99=%llu min=%llu%s%s\n", name,
		unit, n, (unsigned long long)s[n / 2], (unsigned long long)s[n / 100],
		(unsigned long long)s[n - 1 - n / 100], (unsigned long long)s[0],
		note ? " note=" : "", note ? note : "");
	fprintf(stderr, "bench-q: %s", name);
	for (unsigned q = 0; q < QUANTILES; q++)
		fprintf(stderr, " %llu", (unsigned long long)s[(uint64_t)(n - 1) * q / (QUANTILES - 1)]);
	fprintf(stderr, "\n");
}

/* Guest RAM pages the guest touched: resident pages of the mapping. */
static uint64_t guest_resident_kib(const struct gmem *gm)
{
	long page = sysconf(_SC_PAGESIZE);
	size_t pages = (gm->size + (uint64_t)page - 1) / (uint64_t)page;
	unsigned char *vec = malloc(pages);
	uint64_t n = 0;

	if (vec == NULL || mincore(gm->base, gm->size, vec) != 0) {
		free(vec);
		return 0;
	}
	for (size_t i = 0; i < pages; i++)
		n += vec[i] & 1;
	free(vec);
	return n * (uint64_t)page / 1024;
}

/* A "Key:   N kB" line of /proc/self/status, in KiB; 0 if absent. */
static uint64_t status_kib(const char *status, const char *key)
{
	const char *p = strstr(status, key);

	return p ? strtoull(p + strlen(key), NULL, 10) : 0;
}

/*
 * --bench: the VMM's own metrics. host.kvm_run.pio is a guest port write as this process
 * sees it: the KVM_RUN call that resumed the guest after one NOP hypercall until it returned
 * with the next (the guest's loop between the two writes included: a few instructions).
 * vmm.rss_overhead is what the VMM costs in memory beyond the guest RAM the guest used.
 */
static void bench_finish(const struct gmem *gm)
{
	struct rusage ru;
	uint64_t touched = guest_resident_kib(gm);
	char note[128];
	uint64_t v;

	if (bench.nop_count > 0) {
		sort_u64(bench.nop_cycles, bench.nop_count);
		print_bench_metric("host.kvm_run.pio", "cycles", bench.nop_cycles, bench.nop_count,
				   NULL);
	}
	if (getrusage(RUSAGE_SELF, &ru) != 0 || touched == 0)
		return;
	v = (uint64_t)ru.ru_maxrss > touched ? (uint64_t)ru.ru_maxrss - touched : 0;
	snprintf(note, sizeof(note), "peak RSS %ld KiB minus guest RAM touched %llu KiB",
		 ru.ru_maxrss, (unsigned long long)touched);
	print_bench_metric("vmm.rss_overhead", "KiB", &v, 1, note);
	/*
	 * Most of that is the C library and libelf: file pages every process using them shares.
	 * What this VMM alone costs is its anonymous memory beyond guest RAM (RssAnon is the
	 * current figure; nothing anonymous is freed before exit, so it is also the peak).
	 */
	if (bench.status_fd >= 0) {
		char status[4096];
		ssize_t n = pread(bench.status_fd, status, sizeof(status) - 1, 0);
		if (n > 0) {
			uint64_t anon, file;
			status[n] = '\0';
			anon = status_kib(status, "RssAnon:");
			file = status_kib(status, "RssFile:");
			v = anon > touched ? anon - touched : 0;
			snprintf(note, sizeof(note),
				 "anonymous %llu KiB minus guest RAM touched; file-backed (libraries) %llu KiB",
				 (unsigned long long)anon, (unsigned long long)file);
			print_bench_metric("vmm.rss_private_overhead", "KiB", &v, 1, note);
		}
	}
}

/* What the sandbox must let through for bench_finish: mincore for the guest RAM touched. */
static const int bench_syscalls[] = { __NR_mincore, -1 };

const struct run_module bench_module = {
	.start = bench_start,
	.exit = bench_exit,
	.finish = bench_finish,
	.syscalls = bench_syscalls,
};
