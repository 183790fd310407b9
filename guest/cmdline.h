/* guest/cmdline.h: reading key=value words from the kernel command line. */
#ifndef GUEST_CMDLINE_H
#define GUEST_CMDLINE_H

#include <stddef.h>

/*
 * cmdline_get: find the word `key` or `key=value` in the space-separated cmdline. Copies the
 * value (empty for a bare key) into val (cap bytes, NUL-terminated). Returns 1 if found,
 * 0 if not, -1 if the value does not fit. The last occurrence wins.
 */
int cmdline_get(const char *cmdline, const char *key, char *val, size_t cap);

/*
 * cmdline_switch: an optional feature's word, key=on. 1 when it is given so, 0 when key is not
 * on the line, -1 for any other form (a bare key, another value): the caller says what it wants.
 */
int cmdline_switch(const char *cmdline, const char *key);

/*
 * cmdline_01: a hardware feature's word, key=0 (off) or key=1 (on where the CPU has it).
 * 0 or 1 as given, dflt when key is absent, -1 for any other form: the caller says what it
 * wants.
 */
int cmdline_01(const char *cmdline, const char *key, int dflt);

/* cmdline_list_has: 1 if the comma-separated list contains item. */
int cmdline_list_has(const char *list, const char *item);

#endif
