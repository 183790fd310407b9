/* vmm/run.h: the vCPU exit loop. */
#ifndef VMM_RUN_H
#define VMM_RUN_H

#include "kvm.h"
#include "opts.h"

/* run_guest: run the vCPU until the guest exits, crashes or times out; the VMM's exit status. */
int run_guest(struct vm *vm, const struct vmm_opts *o);

#endif
