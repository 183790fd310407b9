/* guest/demo.h: the built-in demo: what `vmm/vmm guest.elf` runs when it is given no tasks. */
#ifndef GUEST_DEMO_H
#define GUEST_DEMO_H

/* demo_run: start the demo tasks, run them all, and say whether each behaved as predicted.
 * Returns the guest exit status: 0 if every prediction held, 1 otherwise. */
int demo_run(void);

#endif
