/* guest/platform.h: which KVM the kernel runs on, and what its CPU lets the kernel use: probed once at boot. */
#ifndef GUEST_PLATFORM_H
#define GUEST_PLATFORM_H

#include <stdint.h>

/*
 * The one owner of "what can this machine do". Other files test these fields, never
 * CPUID or the platform number themselves. Under kvm_pvm CPUID shows the host's bits, not
 * what the emulated ring 0 can do (docs/kvm_pvm.md), so each capability is decided here
 * from both.
 */
struct platform {
	int pvm;            /* kvm_pvm: ring 0 emulated; SYSCALL and int $0x80 need guest/pvm_compat.c */
	int xsave;          /* XSAVE/XRSTOR usable in ring 0 (kvm_pvm ends the VM on them) */
	int avx;            /* AVX state exists for XSAVE to switch */
	int pcid;           /* CR4.PCIDE may be set (kvm_pvm raises #GP) */
	int fsgsbase;       /* CR4.FSGSBASE may be set (kvm_pvm: ring 3 has the host's anyway) */
	int smep, smap;     /* enforced on both KVMs where CPUID shows them */
	int x2apic;
	int xapic;          /* a memory-mapped local APIC: QEMU's TCG before 8.1 has no x2APIC */
	int tsc_deadline;
	int verw;           /* VERW clears CPU buffers (MD_CLEAR); not in kvm_pvm's emulator */
	int ibpb;           /* the IBPB barrier, Intel's or AMD's */
	int gbpages;        /* 1 GiB pages (the direct map uses them with gbpages=1) */
	unsigned default_hz; /* the tick rate when hz= does not say */
	uint32_t hwcap;      /* CPUID leaf 1 EDX: a task's AT_HWCAP, as Linux gives it */
};

extern struct platform platform;

/* platform_init: read CPUID and the VMM's report once; before anything that tests platform. */
void platform_init(void);

#endif
