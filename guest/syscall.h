/* guest/syscall.h: the system-call table and its dispatcher. */
#ifndef GUEST_SYSCALL_H
#define GUEST_SYSCALL_H

#include <stdint.h>

#include "../abi/syscall.h"
#include "trapframe.h"

/* Every system call takes the six argument registers and returns RAX (a negative errno on error). */
typedef int64_t (*syscall_fn)(uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4,
			      uint64_t a5);

extern const syscall_fn syscall_table[SYS_MAX];

/* syscall_dispatch: run the call numbered tf->rax with tf's arguments; the result in tf->rax. */
void syscall_dispatch(struct trapframe *tf);

/*
 * A hook sees each call twice: on entry (ret 0; tf->rax the number), and on leaving with its
 * result (tf still the caller's registers). exit and exit_group do not leave. Returns -1 when
 * the hooks are all taken.
 */
enum syscall_stop { SYSCALL_ENTER, SYSCALL_LEAVE };
typedef void (*syscall_hook_fn)(const struct trapframe *tf, enum syscall_stop stop, int64_t ret);
int syscall_hook_add(syscall_hook_fn fn);

/* guest/sysnames.c: Linux's name for an error number (NULL if it has none; a call's is
 * common/sysname.h's), and the report of a call that is not served, once per number per task. */
const char *errno_name(int64_t err);
void syscall_unknown(uint64_t nr);

/* guest/strace.c: the kernel word `strace=on` prints every call with its arguments and result. */
void strace_init(void);

/* The calls (guest/sysproc.c, guest/sysfile.c). */
int64_t sys_exit(uint64_t status, uint64_t, uint64_t, uint64_t, uint64_t, uint64_t);
int64_t sys_read(uint64_t fd, uint64_t buf, uint64_t len, uint64_t, uint64_t, uint64_t);
int64_t sys_readv(uint64_t fd, uint64_t iov, uint64_t n, uint64_t, uint64_t, uint64_t);
int64_t sys_write(uint64_t fd, uint64_t buf, uint64_t len, uint64_t, uint64_t, uint64_t);
int64_t sys_writev(uint64_t fd, uint64_t iov, uint64_t n, uint64_t, uint64_t, uint64_t);
int64_t sys_ioctl(uint64_t fd, uint64_t req, uint64_t arg, uint64_t, uint64_t, uint64_t);
int64_t sys_getpid(uint64_t, uint64_t, uint64_t, uint64_t, uint64_t, uint64_t);
int64_t sys_sched_yield(uint64_t, uint64_t, uint64_t, uint64_t, uint64_t, uint64_t);
int64_t sys_nanosleep(uint64_t req, uint64_t rem, uint64_t, uint64_t, uint64_t, uint64_t);
int64_t sys_clock_gettime(uint64_t clk, uint64_t tp, uint64_t, uint64_t, uint64_t, uint64_t);
int64_t sys_gettimeofday(uint64_t tv, uint64_t tz, uint64_t, uint64_t, uint64_t, uint64_t);
int64_t sys_time(uint64_t tloc, uint64_t, uint64_t, uint64_t, uint64_t, uint64_t);
int64_t sys_clock_nanosleep(uint64_t clk, uint64_t flags, uint64_t req, uint64_t rem, uint64_t,
			    uint64_t);
int64_t sys_rt_sigaction(uint64_t sig, uint64_t act, uint64_t oldact, uint64_t setsize,
			 uint64_t, uint64_t);
int64_t sys_rt_sigprocmask(uint64_t how, uint64_t set, uint64_t oldset, uint64_t setsize,
			   uint64_t, uint64_t);
int64_t sys_enosys(uint64_t, uint64_t, uint64_t, uint64_t, uint64_t, uint64_t);
int64_t sys_arch_prctl(uint64_t code, uint64_t addr, uint64_t, uint64_t, uint64_t, uint64_t);
int64_t sys_set_tid_address(uint64_t tidptr, uint64_t, uint64_t, uint64_t, uint64_t, uint64_t);
int64_t sys_fcntl(uint64_t fd, uint64_t cmd, uint64_t arg, uint64_t, uint64_t, uint64_t);
int64_t sys_fstat(uint64_t fd, uint64_t out, uint64_t, uint64_t, uint64_t, uint64_t);
int64_t sys_newfstatat(uint64_t fd, uint64_t path, uint64_t out, uint64_t flags, uint64_t,
		       uint64_t);
int64_t sys_close(uint64_t fd, uint64_t, uint64_t, uint64_t, uint64_t, uint64_t);
int64_t sys_lseek(uint64_t fd, uint64_t off, uint64_t whence, uint64_t, uint64_t, uint64_t);
int64_t sys_getcwd(uint64_t buf, uint64_t size, uint64_t, uint64_t, uint64_t, uint64_t);
int64_t sys_enoent(uint64_t, uint64_t, uint64_t, uint64_t, uint64_t, uint64_t);
/* guest/mman.c */
int64_t sys_brk(uint64_t addr, uint64_t, uint64_t, uint64_t, uint64_t, uint64_t);
int64_t sys_mmap(uint64_t addr, uint64_t len, uint64_t prot, uint64_t flags, uint64_t fd,
		 uint64_t off);
int64_t sys_munmap(uint64_t addr, uint64_t len, uint64_t, uint64_t, uint64_t, uint64_t);
int64_t sys_mprotect(uint64_t addr, uint64_t len, uint64_t prot, uint64_t, uint64_t, uint64_t);
int64_t sys_mremap(uint64_t, uint64_t, uint64_t, uint64_t, uint64_t, uint64_t);
int64_t sys_madvise(uint64_t, uint64_t, uint64_t, uint64_t, uint64_t, uint64_t);
/* guest/sysinfo.c */
int64_t sys_getuid(uint64_t, uint64_t, uint64_t, uint64_t, uint64_t, uint64_t);
int64_t sys_getgroups(uint64_t size, uint64_t list, uint64_t, uint64_t, uint64_t, uint64_t);
int64_t sys_gettid(uint64_t, uint64_t, uint64_t, uint64_t, uint64_t, uint64_t);
int64_t sys_uname(uint64_t out, uint64_t, uint64_t, uint64_t, uint64_t, uint64_t);
int64_t sys_sysinfo(uint64_t out, uint64_t, uint64_t, uint64_t, uint64_t, uint64_t);
int64_t sys_getrlimit(uint64_t resource, uint64_t out, uint64_t, uint64_t, uint64_t, uint64_t);
int64_t sys_prlimit64(uint64_t pid, uint64_t resource, uint64_t new, uint64_t old, uint64_t,
		      uint64_t);
int64_t sys_getrandom(uint64_t buf, uint64_t len, uint64_t flags, uint64_t, uint64_t, uint64_t);
int64_t sys_nop(uint64_t, uint64_t, uint64_t, uint64_t, uint64_t, uint64_t);
int64_t sys_stats(uint64_t out, uint64_t, uint64_t, uint64_t, uint64_t, uint64_t);
int64_t sys_bench(uint64_t op, uint64_t, uint64_t, uint64_t, uint64_t, uint64_t);
int64_t sys_assert_fail(uint64_t expr, uint64_t file, uint64_t line, uint64_t, uint64_t, uint64_t);

#endif
