/* common/fmt.h: the printf format engine shared by the kernel and the user library. */
#ifndef GUEST_FMT_H
#define GUEST_FMT_H

#include <stdarg.h>
#include <stddef.h>

/*
 * fmt_vsnprintf: vsnprintf for %d %i %u %x %p %s %c %%, with the l, ll and z modifiers, a
 * width (at most 4096) and '0' padding. Writes at most cap bytes, NUL included; returns the
 * full length, capped at INT_MAX. Other conversions and flags are printed as written.
 */
int fmt_vsnprintf(char *buf, size_t cap, const char *fmt, va_list ap);
int fmt_snprintf(char *buf, size_t cap, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif
