/* guest/sysfile.c: the calls on file descriptors 0-2, the VMM's standard streams: read, readv, write, writev, ioctl, fstat, fcntl, lseek, close; and the file system's calls, on a file system that is empty. */
#include "../abi/hypercall.h"
#include "../common/string.h"
#include "hypercall.h"
#include "kernel.h"
#include "syscall.h"
#include "task.h"
#include "uaccess.h"

#define STDIN_FD LDE_IO_STDIN
#define STDOUT_FD LDE_IO_STDOUT
#define STDERR_FD LDE_IO_STDERR
#define READ_CHUNK 4096 /* the most one read() takes from the VMM's stdin */
#define WRITE_CHUNK 512 /* bytes copied in, then handed to the console, at a time */

/* fd is one of the three streams, and the task has not closed it. */
static int fd_open(uint64_t fd)
{
	return fd <= STDERR_FD && !(current->fds_closed & (1u << fd));
}

/* len bytes at user buf to the console: the bytes written, or an error if none was. */
static int64_t write_user(uint64_t fd, uint64_t buf, uint64_t len)
{
	char chunk[WRITE_CHUNK];
	uint64_t done = 0;

	if ((fd != STDOUT_FD && fd != STDERR_FD) || !fd_open(fd))
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
		r = hc_write((unsigned)fd, chunk, n);
		if (r < 0)
			return done ? (int64_t)done : r;
		done += n;
	}
	return (int64_t)done;
}

/*
 * At most len bytes of stdin at user buf: what one read of the VMM's stdin gave, through a
 * kernel buffer (the VMM writes guest-physical memory, and a task's pages are not known to
 * it). 0 at the end of the input.
 */
static int64_t read_user(uint64_t fd, uint64_t buf, uint64_t len)
{
	static char chunk[READ_CHUNK]; /* one CPU, and no switch while the VMM reads */
	int64_t r;

	(void)fd; /* always STDIN_FD: the callers checked */
	if (len == 0)
		return 0;
	if (!uaccess_ok(buf, len, 1))
		return -EFAULT;
	r = hc_read(chunk, len < READ_CHUNK ? len : READ_CHUNK);
	if (r > 0 && copyout(buf, chunk, (uint64_t)r) != 0)
		return -EFAULT;
	return r;
}

/*
 * readv and writev: each buffer in turn through op, as read or write would move it. The
 * array is checked first; a bad buffer after the first ends the call with what was moved so
 * far (Linux's answer too), and so does a short transfer: the rest is for the next call.
 */
static int64_t iov_each(uint64_t fd, uint64_t iov, uint64_t n,
			int64_t (*op)(uint64_t fd, uint64_t buf, uint64_t len))
{
	struct lde_iovec v;
	int64_t total = 0;

	if (n == 0)
		return 0;
	if (n > LDE_IOV_MAX)
		return -EINVAL;
	if (!uaccess_ok(iov, n * sizeof(v), 0))
		return -EFAULT;
	for (uint64_t i = 0; i < n; i++) {
		int64_t r;

		if (copyin(&v, iov + i * sizeof(v), sizeof(v)) != 0)
			return total ? total : -EFAULT;
		if (v.len > (uint64_t)INT64_MAX - (uint64_t)total)
			return total ? total : -EINVAL;
		r = op(fd, v.base, v.len);
		if (r < 0)
			return total ? total : r;
		total += r;
		if ((uint64_t)r < v.len)
			break;
	}
	return total;
}

int64_t sys_write(uint64_t fd, uint64_t buf, uint64_t len, uint64_t a3, uint64_t a4, uint64_t a5)
{
	(void)a3, (void)a4, (void)a5;
	return write_user(fd, buf, len);
}

int64_t sys_writev(uint64_t fd, uint64_t iov, uint64_t n, uint64_t a3, uint64_t a4, uint64_t a5)
{
	(void)a3, (void)a4, (void)a5;
	if ((fd != STDOUT_FD && fd != STDERR_FD) || !fd_open(fd))
		return -EBADF;
	return iov_each(fd, iov, n, write_user);
}

/* No terminal here: every request on fds 0-2 is "not a tty", which C libraries expect. */
int64_t sys_ioctl(uint64_t fd, uint64_t req, uint64_t arg, uint64_t a3, uint64_t a4, uint64_t a5)
{
	(void)req, (void)arg, (void)a3, (void)a4, (void)a5;
	return fd_open(fd) ? -ENOTTY : -EBADF;
}

int64_t sys_read(uint64_t fd, uint64_t buf, uint64_t len, uint64_t a3, uint64_t a4, uint64_t a5)
{
	(void)a3, (void)a4, (void)a5;
	if (fd != STDIN_FD || !fd_open(fd))
		return -EBADF;
	return read_user(fd, buf, len);
}

int64_t sys_readv(uint64_t fd, uint64_t iov, uint64_t n, uint64_t a3, uint64_t a4, uint64_t a5)
{
	(void)a3, (void)a4, (void)a5;
	if (fd != STDIN_FD || !fd_open(fd))
		return -EBADF;
	return iov_each(fd, iov, n, read_user);
}

/* The three streams' flags: fd 0 is read, fds 1 and 2 written; FD_CLOEXEC has no meaning. */
int64_t sys_fcntl(uint64_t fd, uint64_t cmd, uint64_t arg, uint64_t a3, uint64_t a4, uint64_t a5)
{
	(void)arg, (void)a3, (void)a4, (void)a5;
	if (!fd_open(fd))
		return -EBADF;
	switch (cmd) {
	case LDE_F_GETFD: return 0;
	case LDE_F_GETFL: return fd == STDIN_FD ? LDE_O_RDONLY : LDE_O_WRONLY;
	case LDE_F_SETFD:
	case LDE_F_SETFL: return 0;
	default: return -EINVAL;
	}
}

/* A stream as fstat describes it: a character device, written in pages. */
static int64_t stat_stream(uint64_t fd, uint64_t out)
{
	struct lde_stat st;

	if (!fd_open(fd))
		return -EBADF;
	memset(&st, 0, sizeof(st));
	st.mode = LDE_S_IFCHR | 0620;
	st.nlink = 1;
	st.blksize = X86_PAGE_SIZE;
	return copyout(out, &st, sizeof(st));
}

int64_t sys_fstat(uint64_t fd, uint64_t out, uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5)
{
	(void)a2, (void)a3, (void)a4, (void)a5;
	return stat_stream(fd, out);
}

/* fstatat(fd, "", st, AT_EMPTY_PATH) is fstat; any path names a file, and there are none. */
int64_t sys_newfstatat(uint64_t fd, uint64_t path, uint64_t out, uint64_t flags, uint64_t a4,
		       uint64_t a5)
{
	char first;

	(void)a4, (void)a5;
	if (copyin(&first, path, 1) != 0)
		return -EFAULT;
	if (first == '\0' && (flags & LDE_AT_EMPTY_PATH))
		return stat_stream(fd, out);
	return -ENOENT;
}

/* A closed stream stays closed: there is nothing to open again. */
int64_t sys_close(uint64_t fd, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5)
{
	(void)a1, (void)a2, (void)a3, (void)a4, (void)a5;
	if (!fd_open(fd))
		return -EBADF;
	current->fds_closed |= 1u << fd;
	return 0;
}

/* fds 0-2 are pipes or terminals as far as a task can tell: nothing to seek. */
int64_t sys_lseek(uint64_t fd, uint64_t off, uint64_t whence, uint64_t a3, uint64_t a4,
		  uint64_t a5)
{
	(void)off, (void)whence, (void)a3, (void)a4, (void)a5;
	return fd_open(fd) ? -ESPIPE : -EBADF;
}

/* Every task runs in the root of a file system that holds nothing. As Linux's, the result
 * is the length written, the NUL included. */
int64_t sys_getcwd(uint64_t buf, uint64_t size, uint64_t a2, uint64_t a3, uint64_t a4,
		   uint64_t a5)
{
	static const char root[] = "/";

	(void)a2, (void)a3, (void)a4, (void)a5;
	if (size < sizeof(root))
		return -ERANGE;
	if (copyout(buf, root, sizeof(root)) != 0)
		return -EFAULT;
	return sizeof(root);
}

/* open, openat, readlink: there is no file system; a path exists nowhere. */
int64_t sys_enoent(uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5)
{
	(void)a0, (void)a1, (void)a2, (void)a3, (void)a4, (void)a5;
	return -ENOENT;
}
