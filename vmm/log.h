/* vmm/log.h: how the VMM reports errors: one line on stderr, prefixed "vmm: ". */
#ifndef VMM_LOG_H
#define VMM_LOG_H

#include <stdarg.h>

/* Print "vmm: <message>" (and ": strerror(errno)" for vmm_err) on stderr. */
void vmm_warnx(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void vmm_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The same, then exit with status. */
_Noreturn void vmm_errx(int status, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
_Noreturn void vmm_err(int status, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
