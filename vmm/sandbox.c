/* vmm/sandbox.c: a seccomp-BPF allow-list for the exit loop: a guest that subverts the VMM finds little to call. */
#include "sandbox.h"

#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/kvm.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "../abi/exit.h"
#include "log.h"

/*
 * What the loop does after this point, and so all it may do:
 *   ioctl     KVM_RUN, and KVM_GET_REGS / KVM_GET_SREGS for a crash dump (nothing else)
 *   write     guest console output and our messages
 *   read      the guest's stdin, fd 0 only
 *   fstat, newfstatat, lseek   what stdio does around its first output and at exit
 *   brk, munmap, mmap without PROT_EXEC   what malloc may need (stdio buffers)
 *   getrusage, clock_gettime   --stats
 *   rt_sigreturn   returning from the --timeout SIGALRM handler
 *   exit_group, exit
 * and what an optional module of the loop names (vmm/run.h; --bench: mincore; --step: the
 * ioctl KVM_SET_GUEST_DEBUG).
 * Anything else (open, execve, socket, ptrace, mprotect, ...) kills the process.
 */

#define ARCH_NR AUDIT_ARCH_X86_64
#define ARG_LO(n) (offsetof(struct seccomp_data, args) + 8 * (n))
#define ARG_HI(n) (ARG_LO(n) + 4)

#define LOAD(off) BPF_STMT(BPF_LD | BPF_W | BPF_ABS, (off))
#define ALLOW BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW)
#define KILL BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS)
/* If the accumulator equals nr, allow; else fall through to the next test. */
#define ALLOW_NR(nr) BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (nr), 0, 1), ALLOW
#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

#define EXTRA_MAX 8        /* system calls the modules may add */
#define EXTRA_IOCTLS_MAX 4 /* ioctl requests the modules may add */
#define IOCTL_RULE_LEN 7   /* the instructions of one ioctl_rule */

/*
 * Allow ioctl(fd, req, ...) for one more request, both halves of argument 1 compared; the
 * accumulator holds the system-call number before and after, as the next test expects.
 */
static unsigned ioctl_rule(struct sock_filter *f, unsigned long req)
{
	const struct sock_filter rule[IOCTL_RULE_LEN] = {
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_ioctl, 0, 6), /* not ioctl: to the end */
		LOAD(ARG_HI(1)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 0, 3),
		LOAD(ARG_LO(1)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (uint32_t)req, 0, 1),
		ALLOW,
		LOAD(offsetof(struct seccomp_data, nr)),
	};

	if (req >> 32 != 0)
		vmm_errx(LDE_EXIT_VMM_ERROR, "sandbox: ioctl request 0x%lx is wider than 32 bits", req);
	memcpy(f, rule, sizeof(rule));
	return IOCTL_RULE_LEN;
}

void sandbox_enter(const int *const *syscalls, const unsigned long *const *ioctls)
{
	static const struct sock_filter head[] = {
		/* Only x86-64 system calls: the 32-bit entry has other numbers. */
		LOAD(offsetof(struct seccomp_data, arch)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, ARCH_NR, 1, 0),
		KILL,
		LOAD(offsetof(struct seccomp_data, nr)),
		/* x32 system calls have bit 30 set: none is allowed. */
		BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, 0x40000000, 0, 1),
		KILL,
	};
	static const struct sock_filter rules[] = {
		ALLOW_NR(__NR_write),
		ALLOW_NR(__NR_fstat),
		ALLOW_NR(__NR_newfstatat),
		ALLOW_NR(__NR_lseek),
		ALLOW_NR(__NR_pread64), /* KVM's statistics fd (vmm/kstats.c) */
		ALLOW_NR(__NR_brk),
		ALLOW_NR(__NR_munmap),
		ALLOW_NR(__NR_getrusage),
		ALLOW_NR(__NR_clock_gettime),
		ALLOW_NR(__NR_rt_sigreturn),
		ALLOW_NR(__NR_exit_group),
		ALLOW_NR(__NR_exit),
		/* ioctl: only the three requests, named in full (both halves of argument 1). */
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_ioctl, 0, 8),
		LOAD(ARG_HI(1)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 0, 5),
		LOAD(ARG_LO(1)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, KVM_RUN, 2, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, KVM_GET_REGS, 1, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, KVM_GET_SREGS, 0, 1),
		ALLOW,
		KILL,
		/* read: only the guest's stdin, fd 0 (an int: the kernel looks at the low half). */
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_read, 0, 4),
		LOAD(ARG_LO(0)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, STDIN_FILENO, 0, 1),
		ALLOW,
		KILL,
		/* mmap: never executable memory. */
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_mmap, 0, 4),
		LOAD(ARG_LO(2)),
		BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, PROT_EXEC, 0, 1),
		KILL,
		ALLOW,
		KILL,
	};
	struct sock_filter filter[ARRAY_LEN(head) + 2 * EXTRA_MAX +
				 IOCTL_RULE_LEN * EXTRA_IOCTLS_MAX + ARRAY_LEN(rules)];
	struct sock_fprog prog = { .filter = filter };
	unsigned n = 0, nsys = 0, nioctl = 0;

	/* The head (architecture, number), the modules' additions, then the loop's rules. */
	memcpy(filter, head, sizeof(head));
	n = ARRAY_LEN(head);
	for (unsigned l = 0; syscalls && syscalls[l]; l++)
		for (const int *nr = syscalls[l]; *nr >= 0; nr++) {
			if (nsys++ == EXTRA_MAX)
				vmm_errx(LDE_EXIT_VMM_ERROR,
					 "sandbox: the modules ask for more than %d system calls", EXTRA_MAX);
			filter[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K,
								   (unsigned)*nr, 0, 1);
			filter[n++] = (struct sock_filter)ALLOW;
		}
	for (unsigned l = 0; ioctls && ioctls[l]; l++)
		for (const unsigned long *req = ioctls[l]; *req != 0; req++) {
			if (nioctl++ == EXTRA_IOCTLS_MAX)
				vmm_errx(LDE_EXIT_VMM_ERROR,
					 "sandbox: the modules ask for more than %d ioctl requests",
					 EXTRA_IOCTLS_MAX);
			n += ioctl_rule(filter + n, *req);
		}
	memcpy(filter + n, rules, sizeof(rules));
	prog.len = (unsigned short)(n + ARRAY_LEN(rules));

	/* No new privileges: required to install a filter without CAP_SYS_ADMIN, wise with it. */
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
		vmm_err(LDE_EXIT_VMM_ERROR, "prctl(PR_SET_NO_NEW_PRIVS)");
	if (syscall(__NR_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) != 0)
		vmm_err(LDE_EXIT_VMM_ERROR, "seccomp(SECCOMP_SET_MODE_FILTER)");
}
