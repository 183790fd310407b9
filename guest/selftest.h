/* guest/selftest.h: self-tests that prove the trap table, chosen on the kernel command line. */
#ifndef GUEST_SELFTEST_H
#define GUEST_SELFTEST_H

/* selftest_run: run the self-tests named in the comma-separated list; the number that failed. */
int selftest_run(const char *list);

/* selftest_names: the valid names, for messages. */
extern const char selftest_names[];

#endif
