/* vmm/gdb.h: --gdb PORT|PATH: a GDB remote-protocol stub, a module of the exit loop, that knows the kernel's tasks. */
#ifndef VMM_GDB_H
#define VMM_GDB_H

#include "kvm.h"
#include "opts.h"
#include "run.h"

/*
 * gdb_module_open: with --gdb, listen on 127.0.0.1:PORT (or the Unix socket PATH) and return
 * the module, which waits for GDB before the guest's first instruction; NULL without --gdb.
 * Exits with LDE_EXIT_VMM_ERROR when it cannot listen.
 */
const struct run_module *gdb_module_open(const struct vmm_opts *o, struct vm *vm);

#endif
