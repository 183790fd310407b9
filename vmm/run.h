/* vmm/run.h: the vCPU exit loop. */
#ifndef VMM_RUN_H
#define VMM_RUN_H

#include "hypercall.h"
#include "kvm.h"
#include "opts.h"

/*
 * run_arm_timeout: end the run after seconds (0: never), counted from now: call it before the
 * images are loaded. Past the deadline KVM_RUN returns and blocked writes fail with EINTR.
 */
void run_arm_timeout(struct vm *vm, double seconds);

/* run_timed_out: the --timeout deadline has passed. */
int run_timed_out(void);

/*
 * An optional feature of the exit loop (the bench, vmm/bench.c; the trace, vmm/trace.c): the
 * loop calls it at named points and never tests which one it is. With a module, each KVM_RUN
 * is timed with the TSC bracket (common/tsc.h); without, the loop costs nothing more.
 */
#define RUN_MODULES_MAX 4
struct run_module {
	void (*start)(struct hc_ctx *hc); /* before the sandbox; may install hypercall sinks */
	/* After each exit; returns 1 when it handled the exit itself (the loop then does not),
	 * 0 when it did not, -1 when it failed (the run ends with LDE_EXIT_VMM_ERROR). */
	int (*exit)(const struct kvm_run *run, uint64_t kvm_run_cycles);
	/* A signal interrupted KVM_RUN (and it was not the timeout): NULL, or what to do. */
	void (*interrupted)(void);
	void (*finish)(const struct gmem *gm, int status); /* at the end, after --stats */
	const int *syscalls; /* what the sandbox must let it make besides the loop's: -1 ends */
	const unsigned long *ioctls; /* KVM requests on the vCPU beyond the loop's: 0 ends */
	int read_fd;         /* a descriptor it reads besides stdin, or -1 (set by start) */
};

/*
 * run_guest: run the vCPU until the guest exits, crashes or times out; the VMM's exit status.
 * mods: the optional modules, NULL-terminated (at most RUN_MODULES_MAX).
 */
int run_guest(struct vm *vm, const struct vmm_opts *o, const struct run_module *const *mods);

#endif
