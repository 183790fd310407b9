/* vmm/kstats.c: KVM's per-vCPU statistics (KVM_GET_STATS_FD): the exits KVM served without us. */
#include "kstats.h"

#include <linux/kvm.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

/*
 * The binary statistics file (Documentation/virt/kvm/api.rst, "KVM_GET_STATS_FD"): a header,
 * then num_desc descriptors, each a struct kvm_stats_desc followed by a name of name_size
 * bytes, then the data block, where descriptor d's value is at data_offset + d.offset. The
 * layout is fixed for the life of the fd, so we look the names up once and then pread
 * single 8-byte values: the sandbox allows pread, not ioctl, once the guest runs.
 */
static const char *const kstat_names[KSTAT_COUNT] = {
	[KSTAT_EXITS] = "exits",
	[KSTAT_INSN_EMULATION] = "insn_emulation",
	[KSTAT_IRQ_INJECTIONS] = "irq_injections",
	[KSTAT_IRQ_EXITS] = "irq_exits",
};

#define KSTATS_DESC_MAX 1024 /* KVM has about 50 per vCPU: a bound against a broken header */

static void lookup(struct kstats *ks, const struct kvm_stats_header *h)
{
	size_t dsz = sizeof(struct kvm_stats_desc) + h->name_size;
	char *descs;

	if (h->num_desc == 0 || h->num_desc > KSTATS_DESC_MAX || h->name_size == 0 ||
	    h->name_size > 256)
		return;
	descs = calloc(h->num_desc, dsz);
	if (descs == NULL)
		return;
	if (pread(ks->fd, descs, dsz * h->num_desc, h->desc_offset) == (ssize_t)(dsz * h->num_desc))
		for (uint32_t i = 0; i < h->num_desc; i++) {
			const struct kvm_stats_desc *d = (const void *)(descs + i * dsz);
			/* Only plain 64-bit counters: a histogram has size > 1. */
			if (d->size != 1 || strnlen(d->name, h->name_size) == h->name_size)
				continue;
			for (int k = 0; k < KSTAT_COUNT; k++)
				if (strcmp(d->name, kstat_names[k]) == 0) {
					ks->offset[k] = h->data_offset + d->offset;
					ks->found[k] = 1;
				}
		}
	free(descs);
}

void kstats_open(struct kstats *ks, int vcpu_fd)
{
	struct kvm_stats_header h;

	memset(ks, 0, sizeof(*ks));
	ks->fd = ioctl(vcpu_fd, KVM_GET_STATS_FD, 0);
	if (ks->fd < 0)
		return;
	if (pread(ks->fd, &h, sizeof(h), 0) == (ssize_t)sizeof(h))
		lookup(ks, &h);
	if (!ks->found[KSTAT_EXITS]) {
		close(ks->fd);
		ks->fd = -1;
	}
}

static uint64_t value(const struct kstats *ks, enum kstat_id k)
{
	uint64_t v = 0;

	if (ks->found[k] && pread(ks->fd, &v, sizeof(v), (off_t)ks->offset[k]) != sizeof(v))
		v = 0;
	return v;
}

void kstats_read(const struct kstats *ks, struct lde_bench_counters *c)
{
	c->kvm_valid = ks->fd >= 0;
	if (!c->kvm_valid)
		return;
	c->kvm_exits = value(ks, KSTAT_EXITS);
	c->kvm_insn_emul = value(ks, KSTAT_INSN_EMULATION);
	c->kvm_irq_inject = value(ks, KSTAT_IRQ_INJECTIONS);
	c->kvm_irq_exits = value(ks, KSTAT_IRQ_EXITS);
}
