/* vmm/log.c: error and warning output, and the files options name for output. */
#include "log.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../abi/exit.h"

static void vlog(int with_errno, const char *fmt, va_list ap)
{
	int e = errno;

	fflush(stdout); /* keep guest output and our message in order */
	fputs("vmm: ", stderr);
	vfprintf(stderr, fmt, ap);
	if (with_errno)
		fprintf(stderr, ": %s", strerror(e));
	fputc('\n', stderr);
}

void vmm_warnx(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vlog(0, fmt, ap);
	va_end(ap);
}

void vmm_warn(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vlog(1, fmt, ap);
	va_end(ap);
}

void vmm_errx(int status, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vlog(0, fmt, ap);
	va_end(ap);
	exit(status);
}

void vmm_err(int status, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vlog(1, fmt, ap);
	va_end(ap);
	exit(status);
}

FILE *vmm_output_open(const char *path, const char *opt, char *buf, size_t size)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	FILE *f = fd < 0 ? NULL : fdopen(fd, "w");

	if (f == NULL)
		vmm_err(LDE_EXIT_VMM_ERROR, "%s: %s", opt, path);
	setvbuf(f, buf, _IOFBF, size);
	return f;
}
