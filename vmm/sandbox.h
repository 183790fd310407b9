/* vmm/sandbox.h: the seccomp filter that confines the VMM once the guest is loaded. */
#ifndef VMM_SANDBOX_H
#define VMM_SANDBOX_H

/*
 * sandbox_enter: from here on, the process may make only the system calls the exit loop
 * needs, and the ones in extra (ended by -1; NULL: none); any other kills it. Call after
 * every file is read and before the vCPU first runs. Exits with LDE_EXIT_VMM_ERROR if the
 * filter cannot be installed.
 */
#define SANDBOX_EXTRA_MAX 8 /* system calls, and ioctls, the modules may add, together */
struct sandbox_extra {
	int syscalls[SANDBOX_EXTRA_MAX + 1];           /* ended by -1 */
	unsigned long ioctls[SANDBOX_EXTRA_MAX + 1];   /* KVM requests, ended by 0 */
	int read_fd;                                   /* read(2) allowed on it too; -1: none */
};
void sandbox_enter(const struct sandbox_extra *extra);

#endif
