/* guest/uaccess.h: the only way the kernel touches user memory: check the range, then copy. */
#ifndef GUEST_UACCESS_H
#define GUEST_UACCESS_H

#include <stdint.h>

#include "memlayout.h"

/* uaccess_range_ok: [uaddr, uaddr + len) is inside user space; written so nothing can wrap. */
static inline int uaccess_range_ok(uint64_t uaddr, uint64_t len)
{
	return uaddr <= USER_TOP && len <= USER_TOP - uaddr;
}

/* uaccess_ok: 1 if every byte of the range could be copied in (or, with write, out) now. */
int uaccess_ok(uint64_t uaddr, uint64_t len, int write);

/* copyin / copyout: 0, or -EFAULT when any byte is outside user space or not mapped for
 * ring 3 (copyout: also writable) in the current task's page tables. Nothing faults. */
int copyin(void *dst, uint64_t usrc, uint64_t len);
int copyout(uint64_t udst, const void *src, uint64_t len);

/* copyinstr: a NUL-terminated string of at most max bytes (NUL included) into dst; 0, or
 * -EFAULT (a byte before the NUL is not readable, or no NUL within max). dst is always
 * NUL-terminated. */
int copyinstr(char *dst, uint64_t usrc, uint64_t max);

#endif
