/* vmm/kvm.c: opening /dev/kvm, checking what we rely on, creating the VM and its vCPU. */
#include "kvm.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "../abi/exit.h"
#include "../abi/x86.h"
#include "log.h"

#define KVM_DEVICE "/dev/kvm"
#define CPUID_MAX_ENTRIES 256

/*
 * The vendor module that registered /dev/kvm shows in /sys/module. kvm_intel and kvm_amd
 * run the guest on VT-x / AMD-V; kvm_pvm emulates guest ring 0 (docs/kvm_pvm.md).
 */
enum lde_platform kvm_platform_detect(void)
{
	if (access("/sys/module/kvm_intel", F_OK) == 0)
		return LDE_PLATFORM_VMX;
	if (access("/sys/module/kvm_amd", F_OK) == 0)
		return LDE_PLATFORM_SVM;
	if (access("/sys/module/kvm_pvm", F_OK) == 0)
		return LDE_PLATFORM_PVM;
	return LDE_PLATFORM_UNKNOWN;
}

const char *kvm_platform_describe(enum lde_platform p)
{
	switch (p) {
	case LDE_PLATFORM_VMX: return "hardware virtualisation (Intel VT-x)";
	case LDE_PLATFORM_SVM: return "hardware virtualisation (AMD-V)";
	case LDE_PLATFORM_PVM:
		return "software-assisted KVM (guest ring 0 emulated; compatibility paths on)";
	case LDE_PLATFORM_UNKNOWN: break;
	}
	return "unknown KVM module (treated as hardware virtualisation)";
}

static int kvm_ioctl(int fd, unsigned long req, unsigned long arg, const char *name)
{
	int r = ioctl(fd, req, arg);
	if (r < 0)
		vmm_err(LDE_EXIT_VMM_ERROR, "%s", name);
	return r;
}

#define KVM_IOCTL(fd, req, arg) kvm_ioctl((fd), (req), (unsigned long)(arg), #req)

static void require_cap(int kvm_fd, int cap, const char *name)
{
	if (ioctl(kvm_fd, KVM_CHECK_EXTENSION, cap) <= 0)
		vmm_errx(LDE_EXIT_VMM_ERROR, "this KVM lacks %s, which the VMM needs", name);
}

#define REQUIRE_CAP(fd, cap) require_cap((fd), (cap), #cap)

/*
 * XCR0 starts as x87|SSE|AVX, as far as KVM supports them. The kernel sets the same value
 * itself with XSETBV; starting there costs nothing on hardware, where XSETBV exits to KVM,
 * and matters under QEMU's emulated SVM (our faithful test host), which runs a nested
 * guest's XSETBV without telling KVM, so KVM would put XCR0 = 1 back at the next entry.
 * Not under kvm_pvm, where the kernel does not use XSAVE.
 */
static void set_xcr0(struct vm *vm, const struct kvm_cpuid2 *c)
{
	struct kvm_xcrs xcrs;
	uint64_t supported = 0;
	int xsave = 0;

	if (vm->platform == LDE_PLATFORM_PVM || ioctl(vm->kvm_fd, KVM_CHECK_EXTENSION, KVM_CAP_XCRS) <= 0)
		return;
	for (uint32_t i = 0; i < c->nent; i++) {
		const struct kvm_cpuid_entry2 *e = &c->entries[i];
		if (e->function == X86_CPUID_LEAF_FEATURES)
			xsave = (e->ecx & X86_CPUID_1_ECX_XSAVE) != 0;
		if (e->function == X86_CPUID_LEAF_XSAVE && e->index == 0)
			supported = (uint64_t)e->edx << 32 | e->eax;
	}
	if (!xsave)
		return;
	memset(&xcrs, 0, sizeof(xcrs));
	xcrs.nr_xcrs = 1;
	xcrs.xcrs[0].xcr = 0;
	xcrs.xcrs[0].value = supported & (X86_XCR0_X87 | X86_XCR0_SSE | X86_XCR0_AVX);
	KVM_IOCTL(vm->vcpu_fd, KVM_SET_XCRS, &xcrs);
}

/*
 * The vCPU's CPUID is what KVM supports, with leaf 1 naming this vCPU's APIC ID (0), and the
 * TSC-deadline timer bit, which KVM leaves out of its list but emulates when it says so.
 */
static void set_cpuid(struct vm *vm)
{
	int deadline = ioctl(vm->kvm_fd, KVM_CHECK_EXTENSION, KVM_CAP_TSC_DEADLINE_TIMER) > 0;
	size_t sz = sizeof(struct kvm_cpuid2) + CPUID_MAX_ENTRIES * sizeof(struct kvm_cpuid_entry2);
	struct kvm_cpuid2 *c = calloc(1, sz);

	if (c == NULL)
		vmm_errx(LDE_EXIT_VMM_ERROR, "out of memory");
	c->nent = CPUID_MAX_ENTRIES;
	KVM_IOCTL(vm->kvm_fd, KVM_GET_SUPPORTED_CPUID, c);
	for (uint32_t i = 0; i < c->nent; i++) {
		if (c->entries[i].function != X86_CPUID_LEAF_FEATURES)
			continue;
		c->entries[i].ebx &= ~(0xffu << X86_CPUID_1_EBX_APIC_ID_SHIFT);
		if (deadline)
			c->entries[i].ecx |= X86_CPUID_1_ECX_TSC_DEADLINE;
	}
	KVM_IOCTL(vm->vcpu_fd, KVM_SET_CPUID2, c);
	set_xcr0(vm, c);
	free(c);
}

/*
 * The in-kernel irqchip, split: KVM emulates the local APIC (its timer is how the kernel
 * takes the CPU back, and `hlt` then waits in the host kernel), while the PIC and IOAPIC
 * would be the VMM's, which serves neither: we have no devices to route. The full
 * KVM_CREATE_IRQCHIP adds those two and the PIT; measured on kvm_pvm, tearing them down
 * when the VM closes takes about 14 ms, against 0.2 ms for the split one.
 */
static void create_irqchip(struct vm *vm)
{
	struct kvm_enable_cap cap = {
		.cap = KVM_CAP_SPLIT_IRQCHIP,
		.args = { 0 }, /* IOAPIC routes reserved for userspace: none */
	};

	KVM_IOCTL(vm->vm_fd, KVM_ENABLE_CAP, &cap);
}

void kvm_open(struct vm *vm, uint64_t mem_size)
{
	int version;
	long tsc;
	struct kvm_userspace_memory_region region;

	vm->kvm_fd = open(KVM_DEVICE, O_RDWR | O_CLOEXEC);
	if (vm->kvm_fd < 0)
		vmm_err(LDE_EXIT_VMM_ERROR, "cannot open %s (is KVM loaded, and may you use it?)",
			KVM_DEVICE);
	version = KVM_IOCTL(vm->kvm_fd, KVM_GET_API_VERSION, 0);
	if (version != KVM_API_VERSION)
		vmm_errx(LDE_EXIT_VMM_ERROR, "KVM API version %d, need %d", version, KVM_API_VERSION);
	REQUIRE_CAP(vm->kvm_fd, KVM_CAP_USER_MEMORY);
	REQUIRE_CAP(vm->kvm_fd, KVM_CAP_SPLIT_IRQCHIP);
	REQUIRE_CAP(vm->kvm_fd, KVM_CAP_EXT_CPUID);
	REQUIRE_CAP(vm->kvm_fd, KVM_CAP_IMMEDIATE_EXIT);
	REQUIRE_CAP(vm->kvm_fd, KVM_CAP_GET_TSC_KHZ);
	vm->platform = kvm_platform_detect();

	vm->vm_fd = KVM_IOCTL(vm->kvm_fd, KVM_CREATE_VM, 0);
	fcntl(vm->vm_fd, F_SETFD, FD_CLOEXEC);

	vm->mem.size = mem_size;
	vm->mem.base = mmap(NULL, mem_size, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (vm->mem.base == MAP_FAILED)
		vmm_err(LDE_EXIT_VMM_ERROR, "cannot map %llu bytes of guest RAM",
			(unsigned long long)mem_size);
	region = (struct kvm_userspace_memory_region){
		.slot = 0, .guest_phys_addr = 0, .memory_size = mem_size,
		.userspace_addr = (uint64_t)(uintptr_t)vm->mem.base,
	};
	KVM_IOCTL(vm->vm_fd, KVM_SET_USER_MEMORY_REGION, &region);
	create_irqchip(vm);

	vm->vcpu_fd = KVM_IOCTL(vm->vm_fd, KVM_CREATE_VCPU, 0);
	fcntl(vm->vcpu_fd, F_SETFD, FD_CLOEXEC);
	vm->run_size = (size_t)KVM_IOCTL(vm->kvm_fd, KVM_GET_VCPU_MMAP_SIZE, 0);
	vm->run = mmap(NULL, vm->run_size, PROT_READ | PROT_WRITE, MAP_SHARED, vm->vcpu_fd, 0);
	if (vm->run == MAP_FAILED)
		vmm_err(LDE_EXIT_VMM_ERROR, "cannot map the vCPU's kvm_run page");
	set_cpuid(vm);

	tsc = ioctl(vm->vcpu_fd, KVM_GET_TSC_KHZ, 0);
	vm->tsc_khz = tsc > 0 ? (uint64_t)tsc : 0;
	if (tsc <= 0)
		vmm_warn("KVM_GET_TSC_KHZ failed; the guest is told the TSC rate is unknown");
}

const char *kvm_exit_reason_name(uint32_t reason)
{
#define X(r) [r] = #r
	static const char *const names[] = {
		X(KVM_EXIT_UNKNOWN), X(KVM_EXIT_EXCEPTION), X(KVM_EXIT_IO),
		X(KVM_EXIT_HYPERCALL), X(KVM_EXIT_DEBUG), X(KVM_EXIT_HLT),
		X(KVM_EXIT_MMIO), X(KVM_EXIT_IRQ_WINDOW_OPEN), X(KVM_EXIT_SHUTDOWN),
		X(KVM_EXIT_FAIL_ENTRY), X(KVM_EXIT_INTR), X(KVM_EXIT_SET_TPR),
		X(KVM_EXIT_TPR_ACCESS), X(KVM_EXIT_NMI), X(KVM_EXIT_INTERNAL_ERROR),
		X(KVM_EXIT_SYSTEM_EVENT), X(KVM_EXIT_IOAPIC_EOI), X(KVM_EXIT_X86_RDMSR),
		X(KVM_EXIT_X86_WRMSR),
	};
#undef X
	if (reason < sizeof(names) / sizeof(names[0]) && names[reason])
		return names[reason];
	return "unknown";
}
