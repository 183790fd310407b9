/* vmm/kvm.h: the VM and its one vCPU, as /dev/kvm gives them to us. */
#ifndef VMM_KVM_H
#define VMM_KVM_H

#include <linux/kvm.h>
#include <stdint.h>

#include "../abi/boot.h"
#include "gmem.h"

struct vm {
	int kvm_fd, vm_fd, vcpu_fd;
	struct kvm_run *run; /* the vCPU's shared exit page */
	size_t run_size;
	struct gmem mem;
	enum lde_platform platform;
	uint64_t tsc_khz; /* 0 if KVM could not tell */
};

/* kvm_platform_detect: which KVM module serves /dev/kvm here. */
enum lde_platform kvm_platform_detect(void);
const char *kvm_platform_describe(enum lde_platform p);

/* kvm_open: open /dev/kvm, check the API and capabilities, create the VM with mem_size bytes
 * of RAM, the in-kernel irqchip and one vCPU. Exits with LDE_EXIT_VMM_ERROR on failure. */
void kvm_open(struct vm *vm, uint64_t mem_size);

/* kvm_exit_reason_name: "KVM_EXIT_IO" and so on; "unknown" for numbers we do not know. */
const char *kvm_exit_reason_name(uint32_t reason);

#endif
