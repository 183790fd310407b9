/* vmm/kstats.h: KVM's per-vCPU statistics (KVM_GET_STATS_FD): the exits KVM served without us. */
#ifndef VMM_KSTATS_H
#define VMM_KSTATS_H

#include <stdint.h>

#include "../abi/bench.h"

/* The statistics the bench reads, by name in KVM's descriptor table. */
enum kstat_id { KSTAT_EXITS, KSTAT_INSN_EMULATION, KSTAT_IRQ_INJECTIONS, KSTAT_IRQ_EXITS, KSTAT_COUNT };

struct kstats {
	int fd;                        /* -1 when KVM has no statistics fd */
	uint64_t offset[KSTAT_COUNT];  /* byte offset of each value in the file */
	int found[KSTAT_COUNT];        /* 1: KVM has this statistic (offset is valid) */
};

/* kstats_open: find the statistics we want; never fails (without them, kstats.fd is -1). */
void kstats_open(struct kstats *ks, int vcpu_fd);

/* kstats_read: fill the kvm_* fields of c (kvm_valid = 0 when they could not be read). */
void kstats_read(const struct kstats *ks, struct lde_bench_counters *c);

#endif
