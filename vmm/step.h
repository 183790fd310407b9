/* vmm/step.h: --step, the exit loop's optional module that counts the guest's instructions by single-stepping (LDE_HC_STEP). */
#ifndef VMM_STEP_H
#define VMM_STEP_H

#include "kvm.h"
#include "opts.h"
#include "run.h"

/* With --step: the module that serves LDE_HC_STEP (abi/hypercall.h) and the KVM_EXIT_DEBUG
 * exits its windows bring; NULL without. */
const struct run_module *step_module_open(const struct vmm_opts *o, const struct vm *vm);

#endif
