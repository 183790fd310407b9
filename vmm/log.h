/* vmm/log.h: how the VMM reports errors: one line on stderr, prefixed "vmm: ". */
#ifndef VMM_LOG_H
#define VMM_LOG_H

#include <stdarg.h>

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

#endif
