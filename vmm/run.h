/* vmm/run.h: the vCPU exit loop. */
#ifndef VMM_RUN_H
#define VMM_RUN_H

#include "kvm.h"
#include "opts.h"

/*
 * run_arm_timeout: end the run after seconds (0: never), counted from now: call it before the
 * images are loaded. Past the deadline KVM_RUN returns and blocked writes fail with EINTR.
 */
void run_arm_timeout(struct vm *vm, double seconds);

/*
 * An optional feature of the exit loop (vmm/bench.c, vmm/step.c): the loop calls it at named
 * points and never tests which one it is. Any hook may be NULL. With a module that has an exit
 * hook, each KVM_RUN is timed with the TSC bracket (common/tsc.h); without, the loop costs
 * nothing more.
 */
struct hc_ctx;
struct run_module {
	void (*start)(struct vm *vm, struct hc_ctx *hc);        /* before the sandbox */
	void (*exit)(const struct kvm_run *run, uint64_t kvm_run_cycles); /* after each exit */
	/*
	 * Exits the loop itself does not serve, offered to each module in turn: port I/O to a
	 * port the loop does not know, and KVM_EXIT_DEBUG, which only a module's
	 * KVM_SET_GUEST_DEBUG brings. Each returns RUN_MOD_DONE (resume the vCPU),
	 * RUN_MOD_NOT_MINE (the next module's, else the guest crashed) or RUN_MOD_FAILED (a KVM
	 * call failed and the module said which: the VMM exits 125).
	 */
	int (*io)(const struct kvm_run *run);
	int (*debug)(const struct kvm_run *run);
	void (*finish)(const struct gmem *gm);                  /* at the end, after --stats */
	const int *syscalls;         /* what the sandbox must let it make besides the loop's: -1 ends */
	const unsigned long *ioctls; /* the KVM requests it makes besides the loop's: 0 ends */
};
enum { RUN_MOD_DONE, RUN_MOD_NOT_MINE, RUN_MOD_FAILED };

/*
 * run_guest: run the vCPU until the guest exits, crashes or times out; the VMM's exit status.
 * mods: the optional modules, NULL-terminated (NULL: none).
 */
int run_guest(struct vm *vm, const struct vmm_opts *o, const struct run_module *const *mods);

#endif
