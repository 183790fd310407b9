/* abi/boot.h: the boot information the VMM hands the kernel, and where it lives in guest RAM. */
#ifndef LDE_ABI_BOOT_H
#define LDE_ABI_BOOT_H

#ifndef __ASSEMBLER__
#include <stdint.h>
#endif

/*
 * Contract at the kernel's entry point (set up by the VMM, see vmm/cpu.c):
 *   - 64-bit long mode, paging on, ring 0, interrupts off (RFLAGS = 0x2);
 *   - guest RAM identity-mapped (virtual == physical) with 2 MiB pages, and its first
 *     2 GiB mapped a second time at LDE_BOOT_HIGH_ALIAS, so a kernel linked in the top
 *     2 GiB (-mcmodel=kernel) can jump there from its physical entry point;
 *   - CS = LDE_BOOT_CS (64-bit code), DS/ES/SS/FS/GS = LDE_BOOT_DS;
 *   - RSP = LDE_BOOT_STACK_TOP, RDI = LDE_BOOT_INFO_GPA (a struct lde_boot_info);
 *   - RIP = the ELF entry point.
 * Everything below LDE_LOAD_MIN belongs to the VMM's boot structures; ELF segments
 * and boot modules are placed at or above it. Memory-map regions of type LDE_MEM_RAM
 * read as zero at entry (the kernel may skip clearing a page on its first use), unless
 * flags has LDE_BOOT_FLAG_RAM_DIRTY.
 */

#define LDE_BOOT_MAGIC 0x4c4445424f4f5421 /* "LDEBOOT!" */
#define LDE_ABI_VERSION 2

/* Guest-physical layout of the VMM's boot structures (all below 1 MiB). */
#define LDE_BOOT_GDT_GPA 0x1000
#define LDE_BOOT_PML4_GPA 0x2000
#define LDE_BOOT_PDPT_GPA 0x3000
#define LDE_BOOT_PDPT_HIGH_GPA 0x4000
#define LDE_BOOT_PD_GPA 0x5000 /* one page directory per GiB of RAM */
#define LDE_BOOT_PD_MAX 4
#define LDE_BOOT_INFO_GPA 0x9000
#define LDE_BOOT_HIGH_ALIAS 0xffffffff80000000
#define LDE_BOOT_HIGH_ALIAS_GIB 2
#define LDE_BOOT_STACK_TOP 0x80000
#define LDE_LOAD_MIN 0x100000 /* 1 MiB: lowest address an ELF segment may use */
/*
 * The upper canonical half (48-bit addresses): the kernel runs only at or above it, tasks only
 * below (guest/memlayout.h), so the VMM tells ring 0 from ring 3 by an instruction's address.
 */
#define LDE_KERNEL_HALF_BASE 0xffff800000000000

/* Boot GDT selectors (index * 8). */
#define LDE_BOOT_CS 0x08
#define LDE_BOOT_DS 0x10

#ifndef __ASSEMBLER__
/* Which KVM the VMM found: the kernel picks its system-call entry paths from this. */
enum lde_platform {
	LDE_PLATFORM_UNKNOWN = 0,
	LDE_PLATFORM_VMX = 1, /* kvm_intel: Intel VT-x */
	LDE_PLATFORM_SVM = 2, /* kvm_amd: AMD-V */
	LDE_PLATFORM_PVM = 3, /* kvm_pvm: ring 0 emulated, see docs/kvm_pvm.md */
};

/* The module's name for a platform, as both sides print it. */
static inline const char *lde_platform_name(uint32_t p)
{
	switch (p) {
	case LDE_PLATFORM_VMX: return "kvm_intel";
	case LDE_PLATFORM_SVM: return "kvm_amd";
	case LDE_PLATFORM_PVM: return "kvm_pvm";
	default: return "unknown";
	}
}

enum lde_mem_type {
	LDE_MEM_RAM = 1,      /* free for the kernel */
	LDE_MEM_RESERVED = 2, /* the VMM's boot structures */
	LDE_MEM_KERNEL = 3,   /* the kernel image */
	LDE_MEM_MODULE = 4,   /* a boot module */
};

struct lde_mem_region {
	uint64_t start;
	uint64_t len;
	uint32_t type; /* enum lde_mem_type */
	uint32_t pad;
};

struct lde_boot_module {
	uint64_t start; /* guest-physical, page aligned */
	uint64_t len;
	/*
	 * The task's argv: args_len bytes at guest-physical args (right after the module's
	 * bytes, inside its memory-map region), each word NUL-terminated, argv[0] (the path as
	 * given) first; args_len <= LDE_ARGS_MAX. The number of NULs is argc.
	 */
	uint64_t args;
	uint64_t args_len;
	char name[48]; /* NUL-terminated base name of the file */
};

/* Boot flags */
#define LDE_BOOT_FLAG_STATS 1 /* the VMM was asked for --stats: the kernel prints its counters too */
/*
 * RAM regions may hold old bytes (firmware ran there): the kernel clears each page before its
 * first use. Our VMM never sets it; the kernel's own PVH entry does (guest/pvh.c).
 */
#define LDE_BOOT_FLAG_RAM_DIRTY 2

#define LDE_MEMMAP_MAX 24
#define LDE_MODULES_MAX 16
#define LDE_CMDLINE_MAX 1024
#define LDE_ARGS_MAX (128 << 10) /* a task's argv strings, NULs included */

struct lde_boot_info {
	uint64_t magic;       /* LDE_BOOT_MAGIC */
	uint32_t abi_version; /* LDE_ABI_VERSION */
	uint32_t platform;    /* enum lde_platform */
	uint64_t mem_size;    /* bytes of guest RAM, starting at guest-physical 0 */
	uint64_t kernel_start, kernel_end; /* extents of the loaded image [start, end) */
	uint64_t tsc_khz;     /* from KVM_GET_TSC_KHZ; 0 if unknown */
	uint64_t realtime_ns; /* the host's CLOCK_REALTIME when the VMM built this, in ns */
	uint32_t flags;       /* LDE_BOOT_FLAG_* */
	uint32_t reserved;
	uint32_t memmap_count;
	uint32_t module_count;
	struct lde_mem_region memmap[LDE_MEMMAP_MAX];
	struct lde_boot_module modules[LDE_MODULES_MAX];
	char cmdline[LDE_CMDLINE_MAX]; /* NUL-terminated */
};

_Static_assert(LDE_BOOT_PD_GPA + LDE_BOOT_PD_MAX * 0x1000 <= LDE_BOOT_INFO_GPA,
	       "the page directories must end below the boot information");
_Static_assert(LDE_BOOT_INFO_GPA + sizeof(struct lde_boot_info) <= LDE_BOOT_STACK_TOP - 0x10000,
	       "the boot information must end below the 64 KiB boot stack");

#endif /* !__ASSEMBLER__ */

#endif
