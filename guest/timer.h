/* guest/timer.h: the timer interrupt: how the kernel takes the CPU back. */
#ifndef GUEST_TIMER_H
#define GUEST_TIMER_H

#include <stdint.h>

#include "../abi/syscall.h"

#define TIMER_HZ_MAX 10000

/* timer_init: read hz= from the command line and start the timer (hz=0: none). */
void timer_init(void);

/* timer_set_hz: change the tick rate while tasks run (0: off); 0, -EINVAL or -ENODEV. */
int64_t timer_set_hz(uint64_t rate);

/*
 * timer_interrupt: acknowledge the timer's interrupt; 1 when it was a tick (the time slice
 * of whatever runs grows by one), 0 when it was an early wake-up or a stale one.
 */
int timer_interrupt(void);

/*
 * timer_idle_until: nothing is runnable; wait with interrupts on until the next tick or
 * until the TSC reaches wake (0: no sleeper), without spinning where a timer exists.
 */
void timer_idle_until(uint64_t wake);

#endif
