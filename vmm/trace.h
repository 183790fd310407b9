/* vmm/trace.h: --trace FILE and --protocol, a module of the exit loop fed by the kernel's trace events. */
#ifndef VMM_TRACE_H
#define VMM_TRACE_H

#include "kvm.h"
#include "opts.h"
#include "run.h"

/*
 * trace_module_open: for --trace and --protocol, open the trace file (before the sandbox,
 * which forbids open) and return the module; NULL when neither option was given. Exits with
 * LDE_EXIT_VMM_ERROR when the file cannot be created.
 */
const struct run_module *trace_module_open(const struct vmm_opts *o, const struct vm *vm);

#endif
