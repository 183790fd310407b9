/* abi/x86.h: architectural x86-64 numbers that both the VMM and the kernel program (Intel SDM vol. 3). */
#ifndef LDE_ABI_X86_H
#define LDE_ABI_X86_H

/*
 * These are the hardware's numbers, not ours; they live in abi/ because the boot CPU
 * state (control registers, descriptors, page tables) is built by the VMM and then
 * taken over by the kernel, and one copy of each bit keeps the two sides in agreement.
 * Plain integer constants, usable from C and assembly.
 */

/* Exception vectors (SDM vol. 3A, 6.3.1); 32-255 are interrupts. */
#define X86_EXC_DE 0  /* divide error */
#define X86_EXC_DB 1  /* debug */
#define X86_EXC_NMI 2
#define X86_EXC_BP 3  /* breakpoint (int3) */
#define X86_EXC_OF 4
#define X86_EXC_BR 5
#define X86_EXC_UD 6  /* invalid opcode */
#define X86_EXC_NM 7
#define X86_EXC_DF 8  /* double fault */
#define X86_EXC_CSO 9 /* coprocessor segment overrun (reserved since the 486) */
#define X86_EXC_TS 10
#define X86_EXC_NP 11
#define X86_EXC_SS 12
#define X86_EXC_GP 13 /* general protection */
#define X86_EXC_PF 14 /* page fault */
#define X86_EXC_MF 16
#define X86_EXC_AC 17
#define X86_EXC_MC 18 /* machine check */
#define X86_EXC_XM 19
#define X86_EXC_VE 20
#define X86_EXC_CP 21
#define X86_EXC_COUNT 32

/* CR0 (SDM 2.5) */
#define X86_CR0_PE (1ull << 0)  /* protected mode */
#define X86_CR0_MP (1ull << 1)  /* WAIT/FWAIT honour TS */
#define X86_CR0_ET (1ull << 4)  /* x87 present (hard-wired 1) */
#define X86_CR0_NE (1ull << 5)  /* native x87 error reporting (#MF) */
#define X86_CR0_WP (1ull << 16) /* ring 0 honours read-only pages */
#define X86_CR0_AM (1ull << 18) /* alignment checks allowed with RFLAGS.AC */
#define X86_CR0_PG (1ull << 31) /* paging */

/* CR4 (SDM 2.5) */
#define X86_CR4_PAE (1ull << 5)         /* 64-bit page-table entries; required by long mode */
#define X86_CR4_PGE (1ull << 7)         /* global pages */
#define X86_CR4_OSFXSR (1ull << 9)      /* FXSAVE/FXRSTOR and SSE enabled */
#define X86_CR4_OSXMMEXCPT (1ull << 10) /* SIMD exceptions as #XM */
#define X86_CR4_FSGSBASE (1ull << 16)
#define X86_CR4_PCIDE (1ull << 17)
#define X86_CR4_OSXSAVE (1ull << 18)
#define X86_CR4_SMEP (1ull << 20)
#define X86_CR4_SMAP (1ull << 21)

/* MSRs */
#define X86_MSR_EFER 0xc0000080u
#define X86_MSR_STAR 0xc0000081u
#define X86_MSR_LSTAR 0xc0000082u
#define X86_MSR_CSTAR 0xc0000083u /* SYSCALL's target from compatibility mode */
#define X86_MSR_FMASK 0xc0000084u
#define X86_MSR_FS_BASE 0xc0000100u
#define X86_MSR_GS_BASE 0xc0000101u
#define X86_MSR_KERNEL_GS_BASE 0xc0000102u

/* EFER (SDM 2.2.1) */
#define X86_EFER_SCE (1ull << 0)  /* SYSCALL/SYSRET */
#define X86_EFER_LME (1ull << 8)  /* long mode enable */
#define X86_EFER_LMA (1ull << 10) /* long mode active */
#define X86_EFER_NXE (1ull << 11) /* execute-disable bit in page tables */

/* RFLAGS (plain int constants: every flag is below bit 31, and assembly includes these) */
#define X86_RFLAGS_FIXED (1 << 1) /* bit 1 always reads 1 */
#define X86_RFLAGS_TF (1 << 8)
#define X86_RFLAGS_IF (1 << 9)
#define X86_RFLAGS_DF (1 << 10)
#define X86_RFLAGS_IOPL (3 << 12)
#define X86_RFLAGS_NT (1 << 14)
#define X86_RFLAGS_AC (1 << 18)
/* The flags ring 3 may set in a frame the kernel returns to: CF PF AF ZF SF TF DF OF AC. */
#define X86_RFLAGS_USER_MASK 0x40dd5
/* SYSCALL clears these in RFLAGS (the FMASK MSR): no interrupts, traps, string direction,
 * alignment checks or nested task until the entry code has a kernel stack. */
#define X86_SYSCALL_FMASK (X86_RFLAGS_IF | X86_RFLAGS_TF | X86_RFLAGS_DF | X86_RFLAGS_AC | \
			   X86_RFLAGS_NT | X86_RFLAGS_IOPL)

/* Page-table entries (SDM 4.5) */
#define X86_PTE_P (1ull << 0)   /* present */
#define X86_PTE_W (1ull << 1)   /* writable */
#define X86_PTE_U (1ull << 2)   /* user accessible */
#define X86_PTE_PWT (1ull << 3)
#define X86_PTE_PCD (1ull << 4)
#define X86_PTE_A (1ull << 5)
#define X86_PTE_D (1ull << 6)
#define X86_PTE_PS (1ull << 7)  /* 2 MiB / 1 GiB page in a PD / PDPT entry */
#define X86_PTE_G (1ull << 8)
#define X86_PTE_NX (1ull << 63) /* execute disable (needs EFER.NXE) */
#define X86_PTE_ADDR_MASK 0x000ffffffffff000ull
#define X86_PAGE_SIZE 4096ull
#define X86_LARGE_PAGE_SIZE (2ull << 20)
#define X86_HUGE_PAGE_SIZE (1ull << 30) /* a PDPT entry with PS (CPUID X86_CPUID_EXT_1_EDX_PDPE1GB) */
#define X86_PT_ENTRIES 512u

/* Segment descriptor fields (SDM 3.4.5): the access byte and the flags nibble. */
#define X86_DESC_ACCESSED (1u << 0)
#define X86_DESC_RW (1u << 1)   /* code: readable; data: writable */
#define X86_DESC_CODE (1u << 3)
#define X86_DESC_S (1u << 4)    /* code/data, not system */
#define X86_DESC_DPL(n) ((unsigned)(n) << 5)
#define X86_DESC_P (1u << 7)
#define X86_DESC_L (1u << 1)    /* flags nibble: 64-bit code */
#define X86_DESC_DB (1u << 2)   /* flags nibble: 32-bit default size */
#define X86_DESC_G (1u << 3)    /* flags nibble: 4 KiB granularity */
#define X86_DESC_TYPE_TSS_AVAIL 0x9u
#define X86_DESC_TYPE_TSS_BUSY 0xbu
#define X86_DESC_TYPE_INT_GATE 0xeu

/* CPUID leaves and the feature bits both sides test (SDM vol. 2, CPUID; AMD APM vol. 3) */
#define X86_CPUID_LEAF_FEATURES 1u
#define X86_CPUID_LEAF_EXT_FEATURES 7u /* subleaf 0 */
#define X86_CPUID_LEAF_XSAVE 0xdu      /* subleaf 0: EDX:EAX the XCR0 bits, EBX the area size */
#define X86_CPUID_LEAF_HYPERVISOR 0x40000000u
#define X86_CPUID_LEAF_EXT_MAX 0x80000000u
#define X86_CPUID_LEAF_EXT_1 0x80000001u
#define X86_CPUID_LEAF_EXT_8 0x80000008u
#define X86_CPUID_1_EBX_APIC_ID_SHIFT 24
#define X86_CPUID_1_ECX_PCID (1u << 17)
#define X86_CPUID_1_ECX_X2APIC (1u << 21)
#define X86_CPUID_1_ECX_TSC_DEADLINE (1u << 24)
#define X86_CPUID_1_ECX_XSAVE (1u << 26)
#define X86_CPUID_1_ECX_AVX (1u << 28)
#define X86_CPUID_1_ECX_HYPERVISOR (1u << 31) /* set by every hypervisor that admits to being one */
#define X86_CPUID_1_EDX_APIC (1u << 9) /* a local APIC (xAPIC, memory-mapped) */
#define X86_CPUID_7_EBX_FSGSBASE (1u << 0)
#define X86_CPUID_7_EBX_SMEP (1u << 7)
#define X86_CPUID_7_EBX_SMAP (1u << 20)
#define X86_CPUID_7_EDX_MD_CLEAR (1u << 10)  /* VERW clears CPU buffers */
#define X86_CPUID_7_EDX_SPEC_CTRL (1u << 26) /* Intel: IBRS and IBPB */
#define X86_CPUID_EXT_8_EBX_IBPB (1u << 12)  /* AMD: IBPB */
#define X86_CPUID_EXT_1_EDX_PDPE1GB (1u << 26) /* 1 GiB pages */

/* XCR0 (SDM 13.3): the state components XSAVE manages */
#define X86_XCR0_X87 (1ull << 0)
#define X86_XCR0_SSE (1ull << 1)
#define X86_XCR0_AVX (1ull << 2)

/* Page-table index of va at a level (0: PT, 1: PD, 2: PDPT, 3: PML4): 9 bits each above 12. */
#define X86_PT_INDEX(va, level) (((va) >> (12 + 9 * (level))) & (X86_PT_ENTRIES - 1))

/* Opcodes the kernel recognises in a task's code (guest/pvm_entry.S, guest/bench.c). */
#define X86_OPCODE_INT 0xcd /* int imm8 */
#define X86_OPCODE_UD2_0 0x0f /* ud2 is 0F 0B */
#define X86_OPCODE_UD2_1 0x0b
#define X86_INT_LEN 2 /* int imm8 */
#define X86_UD2_LEN 2

#endif
