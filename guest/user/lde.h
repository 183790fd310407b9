/* guest/user/lde.h: the user library: system calls, printf, strings. Include it, link build/user/liblde.a. */
#ifndef LDE_USER_H
#define LDE_USER_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "../../abi/syscall.h"

/*
 * A task starts at _start (guest/user/crt0.S), which calls main(argc, argv, envp) and passes
 * its return value to exit(). System calls follow abi/syscall.h: lde_syscall() enters with the
 * SYSCALL instruction, lde_int80() with int $0x80; both reach the same kernel code.
 */
static inline long lde_syscall(long nr, long a0, long a1, long a2, long a3, long a4, long a5)
{
	register long r10 __asm__("r10") = a3;
	register long r8 __asm__("r8") = a4;
	register long r9 __asm__("r9") = a5;
	long ret;

	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(nr), "D"(a0), "S"(a1), "d"(a2), "r"(r10), "r"(r8), "r"(r9)
			 : "rcx", "r11", "memory");
	return ret;
}

static inline long lde_int80(long nr, long a0, long a1, long a2, long a3, long a4, long a5)
{
	register long r10 __asm__("r10") = a3;
	register long r8 __asm__("r8") = a4;
	register long r9 __asm__("r9") = a5;
	long ret;

	__asm__ volatile("int $0x80"
			 : "=a"(ret)
			 : "a"(nr), "D"(a0), "S"(a1), "d"(a2), "r"(r10), "r"(r8), "r"(r9)
			 : "rcx", "r11", "memory");
	return ret;
}

/* The system calls, through SYSCALL. */
_Noreturn void exit(int status);
long write(int fd, const void *buf, size_t len);
long getpid(void);
long yield(void);
long sleep_ns(uint64_t ns);
uint64_t clock_ns(void);

/* Output on fd 1. */
int printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int vsnprintf(char *buf, size_t cap, const char *fmt, va_list ap);
int snprintf(char *buf, size_t cap, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int puts(const char *s);

/* Strings (the kernel's own implementations). */
void *memset(void *dst, int c, size_t n);
void *memcpy(void *dst, const void *src, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int strncmp(const char *a, const char *b, size_t n);

/*
 * LDE_ASSERT(e): in a test task, check e; when it is false the kernel ends the task (status
 * 123) and the VMM prints the expression, file and line: "vmm: guest assertion failed: pid
 * P: e (file:line)", for the test harness to read.
 */
_Noreturn void lde_assert_fail(const char *expr, const char *file, int line);
#define LDE_ASSERT(e) ((e) ? (void)0 : lde_assert_fail(#e, __FILE__, __LINE__))

/* A task's main: int main(void), or int main(int argc, char **argv[, char **envp]) (crt0.S). */

#endif
