/* guest/user/demo/demo_syscalls.c: demo task: asks the kernel for things, through both ways in. */
#include "lde.h"

int main(void)
{
	long pid = getpid();
	uint64_t t0 = clock_ns();
	long pid80 = lde_int80(SYS_getpid, 0, 0, 0, 0, 0, 0);

	printf("demo_syscalls: pid %ld (SYSCALL) = pid %ld (int 0x80); clock says %lu ns\n", pid,
	       pid80, t0);
	printf("demo_syscalls: write(3, ...) = %ld (EBADF is %d)\n", write(3, "x", 1), EBADF);
	printf("demo_syscalls: write(1, kernel address, 4) = %ld (EFAULT is %d)\n",
	       write(1, (const void *)0xffffffff80100000ul, 4), EFAULT);
	sleep_ns(10 * 1000 * 1000);
	printf("demo_syscalls: slept 10 ms, clock moved %lu ns; exiting 0\n", clock_ns() - t0);
	return pid == pid80 ? 0 : 1;
}
