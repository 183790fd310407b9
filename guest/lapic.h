/* guest/lapic.h: the local APIC (x2APIC mode, or the memory-mapped xAPIC where there is no x2APIC), and its timer. */
#ifndef GUEST_LAPIC_H
#define GUEST_LAPIC_H

#include <stdint.h>

/* lapic_init: switch the local APIC on, in x2APIC mode where the CPU has it; 0, or -1 if it has no APIC. */
int lapic_init(void);

/* lapic_eoi: tell the APIC the current interrupt is handled. */
void lapic_eoi(void);

/*
 * The timer, in one of two modes: TSC-deadline (the interrupt comes when the TSC reaches a
 * value we write), or, where the CPU lacks it, periodic (the APIC counts down from a value
 * calibrated against the TSC and reloads itself).
 */
int lapic_timer_has_deadline(void);
/* lapic_timer_deadline: deadline mode: one interrupt when the TSC reaches tsc (0: none). */
void lapic_timer_deadline(uint64_t tsc);
/* lapic_timer_arm: deadline mode, already set up: move the deadline (one WRMSR). */
void lapic_timer_arm(uint64_t tsc);
/* lapic_timer_periodic: periodic mode: an interrupt every period_tsc TSC ticks. */
void lapic_timer_periodic(uint64_t period_tsc);
/* lapic_timer_stop: no more timer interrupts, in either mode. */
void lapic_timer_stop(void);

#endif
