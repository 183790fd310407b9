/* vmm/run.c: the exit loop: every KVM exit reason the VMM handles is named here. */
#include "run.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "../abi/exit.h"
#include "../abi/hypercall.h"
#include "../common/tsc.h" /* the timing bracket, for a module that times KVM_RUN */
#include "cpu.h"
#include "hypercall.h"
#include "kstats.h"
#include "log.h"
#include "sandbox.h"

#define EXIT_REASONS_MAX 64
#define COM1_LINE_MAX 256
#define COM1_LSR_THRE 0x20u /* transmit holding register empty */
#define COM1_LSR_TEMT 0x40u /* transmitter empty */

struct run_state {
	struct vm *vm;
	struct hc_ctx hc;
	uint64_t exits[EXIT_REASONS_MAX];
	uint64_t exits_other;
	uint64_t exits_total; /* every exit: --stats, and LDE_HC_COUNTERS's vmm_exits */
	struct kstats kstats;
	uint64_t com1_bytes;
	char com1[COM1_LINE_MAX];
	size_t com1_len;
	int status; /* the VMM's exit status once the loop ends */
	struct timespec start; /* when the vCPU first ran */
	struct rusage ru_start; /* the VMM's CPU time then: set-up is not the run's */
};

/*
 * --timeout: SIGALRM at the deadline, then every TIMEOUT_REPEAT_US. Each one makes the current
 * or next KVM_RUN return at once; the repeats also end any write that blocks after the deadline
 * (a reader of stdout or stderr that stopped reading): one whose signal came just before the
 * write began would otherwise wait for ever. Writes give up on EINTR once timed_out is set.
 */
#define TIMEOUT_REPEAT_US 100000

static struct kvm_run *volatile timeout_run;
static volatile sig_atomic_t timed_out;

static void on_alarm(int sig)
{
	(void)sig;
	timed_out = 1;
	if (timeout_run)
		timeout_run->immediate_exit = 1;
}

int run_timed_out(void)
{
	return timed_out;
}

void run_arm_timeout(struct vm *vm, double seconds)
{
	struct sigaction sa;
	struct itimerval it;

	if (seconds <= 0)
		return;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;
	sigemptyset(&sa.sa_mask);
	/* No SA_RESTART: KVM_RUN and a blocked write must come back with EINTR. */
	if (sigaction(SIGALRM, &sa, NULL) != 0)
		vmm_err(LDE_EXIT_VMM_ERROR, "sigaction(SIGALRM)");
	timeout_run = vm->run;
	memset(&it, 0, sizeof(it));
	it.it_value.tv_sec = (time_t)seconds;
	it.it_value.tv_usec = (suseconds_t)((seconds - (double)it.it_value.tv_sec) * 1e6);
	if (it.it_value.tv_sec == 0 && it.it_value.tv_usec == 0)
		it.it_value.tv_usec = 1;
	it.it_interval.tv_usec = TIMEOUT_REPEAT_US;
	if (setitimer(ITIMER_REAL, &it, NULL) != 0)
		vmm_err(LDE_EXIT_VMM_ERROR, "setitimer");
}

static void com1_flush(struct run_state *rs)
{
	if (rs->com1_len > 0)
		hc_write_all(&rs->hc, rs->com1, rs->com1_len);
	rs->com1_len = 0;
}

static void com1_putc(struct run_state *rs, char c)
{
	rs->com1_bytes++;
	rs->com1[rs->com1_len++] = c;
	if (c == '\n' || rs->com1_len == sizeof(rs->com1))
		com1_flush(rs);
}

/* Ends the loop with a guest-crash status; the caller has said why. */
static int crash(struct run_state *rs, int dump)
{
	com1_flush(rs);
	if (dump)
		cpu_dump(rs->vm->vcpu_fd);
	rs->status = LDE_EXIT_GUEST_CRASH;
	return 1;
}

/* COM1: transmit writes are printed; the line status says "ready"; the rest read as 0. */
static void io_com1(struct run_state *rs, const struct kvm_run *run, uint8_t *data)
{
	uint16_t reg = run->io.port - LDE_COM1_PORT;
	uint32_t n = run->io.size * run->io.count;

	if (run->io.direction == KVM_EXIT_IO_OUT) {
		if (reg == 0)
			for (uint32_t i = 0; i < n; i++)
				com1_putc(rs, (char)data[i]);
		return;
	}
	memset(data, 0, n);
	if (reg == LDE_COM1_LSR_OFFSET)
		memset(data, COM1_LSR_THRE | COM1_LSR_TEMT, n);
}

/* Returns 1 when the loop must end (rs->status set). */
static int handle_io(struct run_state *rs)
{
	struct kvm_run *run = rs->vm->run;
	uint8_t *data = (uint8_t *)run + run->io.data_offset;
	uint16_t port = run->io.port;

	if (port >= LDE_COM1_PORT && port < LDE_COM1_PORT + LDE_COM1_PORT_COUNT) {
		io_com1(rs, run, data);
		return 0;
	}
	if (port >= LDE_HC_PORT_BASE && port < LDE_HC_PORT(LDE_HC_MAX) &&
	    run->io.direction == KVM_EXIT_IO_OUT && run->io.size == 4 && run->io.count == 1) {
		uint32_t gpa;
		memcpy(&gpa, data, sizeof(gpa));
		com1_flush(rs);
		switch (hc_dispatch(&rs->hc, port - LDE_HC_PORT_BASE, gpa)) {
		case HC_CONTINUE: return 0;
		case HC_EXIT: rs->status = rs->hc.exit_status; return 1;
		case HC_FAULT:
			vmm_warnx("guest crashed: %s", rs->hc.err);
			return crash(rs, 1);
		}
	}
	vmm_warnx("guest crashed: port %s of %u byte(s) at port 0x%x, which the VMM does not serve",
		  run->io.direction == KVM_EXIT_IO_OUT ? "write" : "read", run->io.size, port);
	return crash(rs, 1);
}

static int handle_internal_error(struct run_state *rs)
{
	struct kvm_run *run = rs->vm->run;

	fflush(stdout);
	fprintf(stderr, "vmm: guest crashed: KVM internal error, suberror %u", run->internal.suberror);
	for (uint32_t i = 0; i < run->internal.ndata && i < 16; i++)
		fprintf(stderr, " %llx", (unsigned long long)run->internal.data[i]);
	fprintf(stderr, "%s\n", run->internal.suberror == KVM_INTERNAL_ERROR_EMULATION
					? " (an instruction KVM could not emulate)" : "");
	return crash(rs, 1);
}

/* One exit. Returns 1 when the loop must end (rs->status set). */
static int handle_exit(struct run_state *rs)
{
	struct kvm_run *run = rs->vm->run;

	switch (run->exit_reason) {
	case KVM_EXIT_IO:
		return handle_io(rs);
	case KVM_EXIT_MMIO:
		vmm_warnx("guest crashed: MMIO %s of %u bytes at 0x%llx, which the VMM does not serve",
			  run->mmio.is_write ? "write" : "read", run->mmio.len,
			  (unsigned long long)run->mmio.phys_addr);
		return crash(rs, 1);
	case KVM_EXIT_HLT:
		vmm_warnx("guest crashed: it halted with no way to wake it");
		return crash(rs, 1);
	case KVM_EXIT_SHUTDOWN:
		vmm_warnx("guest crashed: triple fault (KVM_EXIT_SHUTDOWN)");
		return crash(rs, 1);
	case KVM_EXIT_FAIL_ENTRY:
		vmm_warnx("guest crashed: VM entry failed, hardware reason 0x%llx",
			  (unsigned long long)run->fail_entry.hardware_entry_failure_reason);
		return crash(rs, 1);
	case KVM_EXIT_INTERNAL_ERROR:
		return handle_internal_error(rs);
	case KVM_EXIT_SYSTEM_EVENT:
		vmm_warnx("guest crashed: system event %u (shutdown, reset or crash)",
			  run->system_event.type);
		return crash(rs, 1);
	case KVM_EXIT_INTR:
		return 0; /* a signal; the timeout check follows */
	default:
		vmm_warnx("guest crashed: unhandled exit %s (%u)",
			  kvm_exit_reason_name(run->exit_reason), run->exit_reason);
		return crash(rs, 1);
	}
}

static double ms_between(const struct timespec *a, const struct timespec *b)
{
	return (double)(b->tv_sec - a->tv_sec) * 1e3 + (double)(b->tv_nsec - a->tv_nsec) / 1e6;
}

static double tv_ms(const struct timeval *t)
{
	return (double)t->tv_sec * 1e3 + (double)t->tv_usec / 1e3;
}

/*
 * Where the run's time went on the host: a guest that only sleeps should cost almost no CPU.
 * Wall and CPU time over the same span, from the vCPU's first run: the VMM's set-up (a
 * sanitizer's start-up, libelf) is not the guest's cost.
 */
static void print_times(const struct run_state *rs)
{
	struct rusage ru;
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	if (getrusage(RUSAGE_SELF, &ru) != 0)
		return;
	fprintf(stderr, "vmm: stats: run wall %.1f ms, host cpu user %.1f ms, sys %.1f ms\n",
		ms_between(&rs->start, &now), tv_ms(&ru.ru_utime) - tv_ms(&rs->ru_start.ru_utime),
		tv_ms(&ru.ru_stime) - tv_ms(&rs->ru_start.ru_stime));
	/* Guest RAM the guest touched counts here too: it is the VMM's anonymous memory. */
	fprintf(stderr, "vmm: stats: peak resident memory %ld KiB\n", ru.ru_maxrss);
}

static void print_stats(const struct run_state *rs)
{
	const struct vm *vm = rs->vm;

	fflush(stdout);
	fprintf(stderr, "vmm: stats: platform %s: %s\n", lde_platform_name(vm->platform),
		kvm_platform_describe(vm->platform));
	fprintf(stderr, "vmm: stats: exits %llu\n", (unsigned long long)rs->exits_total);
	for (int i = 0; i < EXIT_REASONS_MAX; i++)
		if (rs->exits[i])
			fprintf(stderr, "vmm: stats: exit %s %llu\n", kvm_exit_reason_name(i),
				(unsigned long long)rs->exits[i]);
	if (rs->exits_other)
		fprintf(stderr, "vmm: stats: exit other %llu\n", (unsigned long long)rs->exits_other);
	for (unsigned nr = 0; nr < LDE_HC_MAX; nr++)
		if (hc_name(nr))
			fprintf(stderr, "vmm: stats: hypercall %s %llu\n", hc_name(nr),
				(unsigned long long)rs->hc.count[nr]);
	fprintf(stderr, "vmm: stats: com1 bytes %llu\n", (unsigned long long)rs->com1_bytes);
	print_times(rs);
}

/* What the modules need from the sandbox besides the loop's own, in one description. */
static void module_needs(const struct run_module *const *mods, struct sandbox_extra *x)
{
	unsigned ns = 0, ni = 0;

	x->read_fd = -1;
	for (unsigned m = 0; mods[m]; m++) {
		for (unsigned i = 0; mods[m]->syscalls && mods[m]->syscalls[i] >= 0; i++)
			if (ns < SANDBOX_EXTRA_MAX)
				x->syscalls[ns++] = mods[m]->syscalls[i];
		for (unsigned i = 0; mods[m]->ioctls && mods[m]->ioctls[i]; i++)
			if (ni < SANDBOX_EXTRA_MAX)
				x->ioctls[ni++] = mods[m]->ioctls[i];
		if (mods[m]->read_fd >= 0)
			x->read_fd = mods[m]->read_fd;
	}
	x->syscalls[ns] = -1;
	x->ioctls[ni] = 0;
}

int run_guest(struct vm *vm, const struct vmm_opts *o, const struct run_module *const *mods)
{
	static struct run_state rs; /* static: large, and the loop runs once */
	struct sandbox_extra extra;
	int timed = mods[0] != NULL; /* time KVM_RUN only for a module */

	memset(&rs, 0, sizeof(rs));
	rs.vm = vm;
	rs.hc.gm = &vm->mem;
	rs.hc.out_fd = STDOUT_FILENO;
	rs.hc.err_fd = STDERR_FILENO;
	rs.hc.in_fd = STDIN_FILENO;
	kstats_open(&rs.kstats, vm->vcpu_fd); /* before the sandbox: it forbids this ioctl */
	rs.hc.kstats = &rs.kstats;
	rs.hc.vmm_exits = &rs.exits_total;
	rs.hc.stop = &timed_out;
	for (unsigned m = 0; mods[m]; m++)
		mods[m]->start(&rs.hc);
	module_needs(mods, &extra);
	if (!o->no_sandbox)
		sandbox_enter(&extra);
	clock_gettime(CLOCK_MONOTONIC, &rs.start);
	getrusage(RUSAGE_SELF, &rs.ru_start);
	for (;;) {
		int handled;
		uint64_t t0 = timed ? tsc_begin() : 0; /* the fences cost: only when asked */
		int r = ioctl(vm->vcpu_fd, KVM_RUN, 0);
		int e = errno;
		uint64_t t1 = timed ? tsc_end() : 0;

		if (timed_out) {
			com1_flush(&rs);
			vmm_warnx("guest timed out after %g s (--timeout)", o->timeout);
			rs.status = LDE_EXIT_TIMEOUT;
			break;
		}
		if (r < 0) {
			if (e == EINTR || e == EAGAIN) {
				vm->run->immediate_exit = 0;
				for (unsigned m = 0; mods[m]; m++)
					if (mods[m]->interrupted)
						mods[m]->interrupted();
				continue;
			}
			errno = e;
			vmm_warn("KVM_RUN");
			rs.status = LDE_EXIT_VMM_ERROR;
			break;
		}
		rs.exits_total++;
		if (vm->run->exit_reason < EXIT_REASONS_MAX)
			rs.exits[vm->run->exit_reason]++;
		else
			rs.exits_other++;
		handled = 0;
		for (unsigned m = 0; mods[m] && handled == 0; m++)
			handled = mods[m]->exit(vm->run, t1 - t0);
		if (handled < 0) {
			rs.status = LDE_EXIT_VMM_ERROR;
			break;
		}
		if (!handled && handle_exit(&rs))
			break;
	}
	com1_flush(&rs);
	/*
	 * A stderr that already failed is most likely a pipe nobody reads, after the timeout:
	 * every further line would wait for the next SIGALRM before failing too.
	 */
	if (ferror(stderr))
		return rs.status;
	if (o->stats)
		print_stats(&rs);
	fflush(stdout);
	for (unsigned m = 0; mods[m]; m++)
		mods[m]->finish(&vm->mem, rs.status);
	return rs.status;
}
