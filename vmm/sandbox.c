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
 *             (and the KVM requests a module names: --gdb sets registers and guest debug)
 *   write     guest console output and our messages
 *   read      the guest's stdin, fd 0 only (and the debugger's connection, with --gdb)
 *   fstat, newfstatat, lseek   what stdio does around its first output and at exit
 *   brk, munmap, mmap without PROT_EXEC   what malloc may need (stdio buffers)
 *   getrusage, clock_gettime   --stats
 *   rt_sigreturn   returning from the --timeout SIGALRM handler
 *   exit_group, exit
 * and what an optional module of the loop names (vmm/run.h; --bench: mincore; --gdb: poll).
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

/* The filter under construction: instructions appended in order. */
struct prog {
	struct sock_filter f[128];
	unsigned n;
};

static void emit(struct prog *p, struct sock_filter ins)
{
	if (p->n == sizeof(p->f) / sizeof(p->f[0]))
		vmm_errx(LDE_EXIT_VMM_ERROR, "sandbox: the filter does not fit");
	p->f[p->n++] = ins;
}

/*
 * "If the system call is nr, allow it only when argument arg is one of the n values, and kill
 * it otherwise" (the low half compared; with hi0 the high half must be 0). Other calls fall
 * through. The block, after its first test:
 *   [LOAD hi; JEQ 0 else KILL]  LOAD lo  JEQ v0 ALLOW ... JEQ vn-1 ALLOW  JA KILL  ALLOW  KILL
 *   LOAD nr (for the tests that follow)
 */
static void allow_args(struct prog *p, unsigned nr, unsigned arg, int hi0, const uint32_t *v,
		       unsigned n)
{
	unsigned block = (hi0 ? 2u : 0u) + 1 + n + 4; /* every instruction after the first */

	emit(p, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, nr, 0, block));
	if (hi0) {
		emit(p, (struct sock_filter)LOAD(ARG_HI(arg)));
		emit(p, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 0, n + 3));
	}
	emit(p, (struct sock_filter)LOAD(ARG_LO(arg)));
	for (unsigned i = 0; i < n; i++)
		emit(p, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, v[i], n - i, 0));
	emit(p, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JA, 1, 0, 0));
	emit(p, (struct sock_filter)ALLOW);
	emit(p, (struct sock_filter)KILL);
	emit(p, (struct sock_filter)LOAD(offsetof(struct seccomp_data, nr)));
}

void sandbox_enter(const struct sandbox_extra *extra)
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
		/* mmap: never executable memory. */
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_mmap, 0, 4),
		LOAD(ARG_LO(2)),
		BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, PROT_EXEC, 0, 1),
		KILL,
		ALLOW,
		KILL,
	};
	/* ioctl: only these requests, named in full (both halves of argument 1). */
	uint32_t ioctls[3 + SANDBOX_EXTRA_MAX] = { KVM_RUN, KVM_GET_REGS, KVM_GET_SREGS };
	/* read: only the guest's stdin, fd 0, and a module's one (an int: the low half). */
	uint32_t fds[2] = { STDIN_FILENO, 0 };
	unsigned nioctls = 3, nfds = 1;
	static struct prog p;
	struct sock_fprog prog;

	p.n = 0;
	for (unsigned i = 0; i < sizeof(head) / sizeof(head[0]); i++)
		emit(&p, head[i]);
	/* The modules' system calls (vmm/run.h; --bench: mincore; --gdb: poll). */
	for (unsigned i = 0; extra && extra->syscalls[i] >= 0; i++) {
		emit(&p, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K,
						      (unsigned)extra->syscalls[i], 0, 1));
		emit(&p, (struct sock_filter)ALLOW);
	}
	for (unsigned i = 0; extra && extra->ioctls[i]; i++)
		ioctls[nioctls++] = (uint32_t)extra->ioctls[i];
	if (extra && extra->read_fd >= 0)
		fds[nfds++] = (uint32_t)extra->read_fd;
	allow_args(&p, __NR_ioctl, 1, 1, ioctls, nioctls);
	allow_args(&p, __NR_read, 0, 0, fds, nfds);
	for (unsigned i = 0; i < sizeof(rules) / sizeof(rules[0]); i++)
		emit(&p, rules[i]);
	prog.len = (unsigned short)p.n;
	prog.filter = p.f;

	/* No new privileges: required to install a filter without CAP_SYS_ADMIN, wise with it. */
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
		vmm_err(LDE_EXIT_VMM_ERROR, "prctl(PR_SET_NO_NEW_PRIVS)");
	if (syscall(__NR_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) != 0)
		vmm_err(LDE_EXIT_VMM_ERROR, "seccomp(SECCOMP_SET_MODE_FILTER)");
}
