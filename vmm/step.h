/* vmm/step.h: --step, the exit loop's optional module that counts the guest's instructions by single-stepping (LDE_HC_STEP). */
#ifndef VMM_STEP_H
#define VMM_STEP_H

#include "run.h"

/* Serves LDE_HC_STEP (abi/hypercall.h) and the KVM_EXIT_DEBUG exits its windows bring. */
extern const struct run_module step_module;

#endif
