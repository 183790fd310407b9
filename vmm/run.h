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

/* run_guest: run the vCPU until the guest exits, crashes or times out; the VMM's exit status. */
int run_guest(struct vm *vm, const struct vmm_opts *o);

#endif
