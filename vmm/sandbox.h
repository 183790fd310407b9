/* vmm/sandbox.h: the seccomp filter that confines the VMM once the guest is loaded. */
#ifndef VMM_SANDBOX_H
#define VMM_SANDBOX_H

/*
 * sandbox_enter: from here on, the process may make only the system calls the exit loop
 * needs, and the ones the optional modules name: syscalls, a NULL-terminated array of lists
 * each ended by -1, and ioctls, the same of ioctl requests each ended by 0 (either NULL: none);
 * any other kills it. Call after every file is read and before the vCPU first runs. Exits
 * with LDE_EXIT_VMM_ERROR if the filter cannot be installed.
 */
void sandbox_enter(const int *const *syscalls, const unsigned long *const *ioctls);

#endif
