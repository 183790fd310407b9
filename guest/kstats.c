/* guest/kstats.c: the kernel's counters, and their summary line. */
#include "kstats.h"

#include "clock.h"
#include "kernel.h"

#define NS_PER_US 1000

struct lde_kstats kstats;

void kstats_print(void)
{
	uint64_t idle_us = clock_tsc_to_ns(kstats.idle_tsc, boot_info.tsc_khz) / NS_PER_US;

	kprintf("lde: stats: timer %lu Hz, ticks %lu, switches %lu voluntary %lu preempted, "
		"idle %lu us, system calls %lu\n", kstats.timer_hz, kstats.ticks,
		kstats.switches_voluntary, kstats.switches_preempted, idle_us, kstats.syscalls);
}
