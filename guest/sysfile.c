/* guest/sysfile.c: write(), the one system call that reads user memory. */
#include "hypercall.h"
#include "kernel.h"
#include "syscall.h"
#include "uaccess.h"

#define STDOUT_FD 1
#define STDERR_FD 2
#define WRITE_CHUNK 512 /* bytes copied in, then handed to the console, at a time */

int64_t sys_write(uint64_t fd, uint64_t buf, uint64_t len, uint64_t a3, uint64_t a4, uint64_t a5)
{
	char chunk[WRITE_CHUNK];
	uint64_t done = 0;

	(void)a3, (void)a4, (void)a5;
	if (fd != STDOUT_FD && fd != STDERR_FD)
		return -EBADF;
	/* A range that wraps or leaves user space is refused before it is cut to size. */
	if (!uaccess_range_ok(buf, len))
		return -EFAULT;
	if (len > LDE_WRITE_MAX)
		len = LDE_WRITE_MAX;
	/* Every page is checked before the first byte is written: a bad buffer writes nothing. */
	if (!uaccess_ok(buf, len, 0))
		return -EFAULT;
	console_flush(); /* the kernel's own buffered output goes first */
	while (done < len) {
		uint64_t n = len - done < WRITE_CHUNK ? len - done : WRITE_CHUNK;
		int64_t r;

		if (copyin(chunk, buf + done, n) != 0)
			return done ? (int64_t)done : -EFAULT;
		r = hc_console_write(chunk, n);
		if (r < 0)
			return done ? (int64_t)done : r;
		done += n;
	}
	return (int64_t)done;
}
