/* vmm/log.h: how the VMM reports errors: one line on stderr, prefixed "vmm: ". */
#ifndef VMM_LOG_H
#define VMM_LOG_H

#include <stdarg.h>
#include <stdio.h>

/* Print "vmm: <message>" (and ": strerror(errno)" for vmm_err) on stderr. */
void vmm_warnx(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void vmm_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/*
 * The same, then exit with status. The GNU attribute, not C11's _Noreturn: cppcheck 2.10 does
 * not take _Noreturn as noreturn, and then reports every "if (p == NULL) vmm_errx(...)" as a
 * possible null dereference.
 */
void vmm_errx(int status, const char *fmt, ...) __attribute__((noreturn, format(printf, 2, 3)));
void vmm_err(int status, const char *fmt, ...) __attribute__((noreturn, format(printf, 2, 3)));

/*
 * vmm_output_open: the file an option names (--trace, --step-log), created or truncated, as a
 * stream whose buffer is buf: set now, before the sandbox, because glibc would otherwise set
 * one up at the first write with newfstatat and, for a character device, an ioctl (isatty)
 * that the seccomp filter kills for. A file that cannot be opened ends the VMM (status 125).
 */
FILE *vmm_output_open(const char *path, const char *opt, char *buf, size_t size);

#endif
