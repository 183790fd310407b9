/* guest/kstats.h: the kernel's counters: what SYS_stats copies out and --stats prints. */
#ifndef GUEST_KSTATS_H
#define GUEST_KSTATS_H

#include "../abi/syscall.h"

/*
 * Counters since boot (struct lde_kstats, abi/syscall.h). Each is written by the module that
 * does the counted work (the timer its ticks, the scheduler its switches, the dispatcher its
 * system calls); this module only owns them and prints them.
 */
extern struct lde_kstats kstats;

/* kstats_print: the one-line summary the kernel prints at exit when the VMM asked for --stats. */
void kstats_print(void);

#endif
