/* guest/timer.h: the timer interrupt: how the kernel takes the CPU back, and the kernel's counters. */
#ifndef GUEST_TIMER_H
#define GUEST_TIMER_H

#include <stdint.h>

#include "../abi/syscall.h"
#include "trapframe.h"

#define TIMER_HZ_DEFAULT_HW 1000 /* hardware KVM; see timer.c for why */
#define TIMER_HZ_DEFAULT_PVM 50  /* kvm_pvm, where a tick costs a hundred times more */
#define TIMER_HZ_MAX 10000
#define TIMER_SLICE_TICKS 2  /* a task runs this many ticks before it is preempted */

/* The kernel's counters (abi/syscall.h: SYS_stats copies them out). */
extern struct lde_kstats kstats;

/* timer_init: read hz= from the command line and start the timer (hz=0: none). */
void timer_init(void);

/* timer_set_hz: change the tick rate while tasks run (0: off); 0, -EINVAL or -ENODEV. */
int64_t timer_set_hz(uint64_t rate);

/* timer_interrupt: one tick; from ring 3 it may preempt the running task. */
void timer_interrupt(struct trapframe *tf);

/*
 * timer_idle_until: nothing is runnable; wait with interrupts on until the next tick or
 * until the TSC reaches wake (0: no sleeper), without spinning where a timer exists.
 */
void timer_idle_until(uint64_t wake);

#endif
