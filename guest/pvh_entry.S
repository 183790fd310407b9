/* guest/pvh_entry.S: the PVH entry: the ELF note that announces it, and the 32-bit code that reaches long mode and joins _start. */
#include "../abi/boot.h"
#include "../abi/pvh.h"
#include "../abi/x86.h"

/*
 * void pvh_start32(void)   -- entered by QEMU (-kernel guest.elf), Firecracker or
 * cloud-hypervisor through the note below, in the state abi/pvh.h describes: 32-bit protected
 * mode, paging off, flat CS/DS/ES/SS, EBX = the physical address of struct hvm_start_info,
 * no stack. It leaves for _start (guest/entry.S) in the state abi/boot.h promises there:
 * long mode with paging, RAM identity-mapped (here the first PVH_RAM_LIMIT, 4 GiB) and its
 * first 2 GiB again at LDE_BOOT_HIGH_ALIAS, CS = LDE_BOOT_CS, the data segments LDE_BOOT_DS,
 * CR0, CR4 and EFER as vmm/cpu.c sets them, interrupts off, RFLAGS = X86_RFLAGS_FIXED, and
 * RDI = a struct lde_boot_info, which pvh_start (guest/pvh.c) builds from the start_info.
 * (RSP is left on this file's stack: _start takes its own before using one.)
 *
 * The file is linked at KERNEL_VBASE like the rest of the kernel but runs at its physical
 * address until paging is on: every address used before then is PA(symbol).
 */
#define PA(x) ((x) - LDE_BOOT_HIGH_ALIAS)
#define PVH_PD_COUNT 4 /* page directories: 4 x 512 x 2 MiB = PVH_RAM_LIMIT (guest/pvh_info.h) */
#define PTE_SIZE 8
#define PTE_TABLE (X86_PTE_P | X86_PTE_W)               /* a PML4 or PDPT entry */
#define PTE_LARGE (X86_PTE_P | X86_PTE_W | X86_PTE_PS)  /* a 2 MiB page in a PD */
#define PML4_HIGH_INDEX X86_PT_INDEX(LDE_BOOT_HIGH_ALIAS, 3)
#define PDPT_HIGH_INDEX X86_PT_INDEX(LDE_BOOT_HIGH_ALIAS, 2)
#define STOSL_SHIFT 2 /* rep stosl stores 4 bytes a step */
#define PVH_STACK_SIZE 16384
#define BOOT_CR0 (X86_CR0_PE | X86_CR0_MP | X86_CR0_ET | X86_CR0_NE | X86_CR0_WP | X86_CR0_PG)
#define BOOT_CR4 (X86_CR4_PAE | X86_CR4_OSFXSR | X86_CR4_OSXMMEXCPT)
#define BOOT_EFER (X86_EFER_LME | X86_EFER_NXE) /* the CPU sets LMA when paging goes on */
/* A flat segment descriptor: base 0, limit 0xfffff pages (4 GiB), the given access and flags. */
#define SEG_LIMIT_LOW 0xffff
#define SEG_LIMIT_HIGH 0xf
#define SEG_DESC(access, flags) \
	(SEG_LIMIT_LOW | (SEG_LIMIT_HIGH << 48) | ((access) << 40) | ((flags) << 52))

/*
 * The note: name "Xen", type XEN_ELFNOTE_PHYS32_ENTRY, the entry's physical address as an
 * 8-byte descriptor, all 4-aligned (abi/pvh.h says why both). guest/kernel.ld puts the
 * section in a PT_NOTE segment of its own.
 */
	.section .note.Xen, "a", @note
	.balign 4
	.long	LDE_PVH_NOTE_NAMESZ
	.long	LDE_PVH_NOTE_DESCSZ
	.long	XEN_ELFNOTE_PHYS32_ENTRY
	.asciz	LDE_PVH_NOTE_NAME
	.balign 4
	.quad	PA(pvh_start32)
	.balign 4

	.text
	.code32
	.globl	pvh_start32
pvh_start32:
	cli
	cld
	/* The .bss first (the tables and the stack below live there); EBX is kept throughout. */
	movl	$PA(__bss_start), %edi
	movl	$PA(__bss_end), %ecx
	subl	%edi, %ecx
	shrl	$STOSL_SHIFT, %ecx
	xorl	%eax, %eax
	rep stosl

	/* Page directories: entry i maps [i * 2 MiB, (i + 1) * 2 MiB), for the first 4 GiB. */
	movl	$PA(pvh_pd), %edi
	movl	$PTE_LARGE, %eax
	movl	$(PVH_PD_COUNT * X86_PT_ENTRIES), %ecx
1:	movl	%eax, (%edi)
	addl	$X86_LARGE_PAGE_SIZE, %eax
	addl	$PTE_SIZE, %edi
	loop	1b
	/* The identity map's PDPT: one entry per page directory. */
	movl	$PA(pvh_pdpt), %edi
	movl	$(PA(pvh_pd) + PTE_TABLE), %eax
	movl	$PVH_PD_COUNT, %ecx
2:	movl	%eax, (%edi)
	addl	$X86_PAGE_SIZE, %eax
	addl	$PTE_SIZE, %edi
	loop	2b
	/* The high alias shares the page directories of the first 2 GiB, as vmm/cpu.c's does. */
	movl	$(PA(pvh_pd) + PTE_TABLE), PA(pvh_pdpt_high) + PDPT_HIGH_INDEX * PTE_SIZE
	movl	$(PA(pvh_pd) + X86_PAGE_SIZE + PTE_TABLE), \
		PA(pvh_pdpt_high) + (PDPT_HIGH_INDEX + 1) * PTE_SIZE
	movl	$(PA(pvh_pdpt) + PTE_TABLE), PA(pvh_pml4)
	movl	$(PA(pvh_pdpt_high) + PTE_TABLE), PA(pvh_pml4) + PML4_HIGH_INDEX * PTE_SIZE

	/* Long mode (SDM vol. 3A, 10.8.5): PAE, the tables, EFER.LME, then paging. */
	movl	$BOOT_CR4, %eax
	movl	%eax, %cr4
	movl	$PA(pvh_pml4), %eax
	movl	%eax, %cr3
	movl	$X86_MSR_EFER, %ecx
	movl	$BOOT_EFER, %eax
	xorl	%edx, %edx
	wrmsr
	movl	$BOOT_CR0, %eax
	movl	%eax, %cr0
	lgdt	PA(pvh_gdt_desc)
	ljmp	$LDE_BOOT_CS, $PA(pvh_start64)

	.code64
pvh_start64:
	movl	$LDE_BOOT_DS, %eax
	movl	%eax, %ds
	movl	%eax, %es
	movl	%eax, %ss
	movl	%eax, %fs
	movl	%eax, %gs
	movabsq	$pvh_stack_top, %rsp	/* at the link address: the high alias maps it */
	xorl	%ebp, %ebp
	movl	%ebx, %edi		/* uint64_t pvh_start(uint32_t start_info_pa) */
	movabsq	$pvh_start, %rax
	call	*%rax
	movq	%rax, %rdi		/* the boot information, for _start */
	pushq	$X86_RFLAGS_FIXED
	popfq
	movabsq	$PA(_start), %rax	/* entered at its physical address, as the VMM does */
	jmp	*%rax

	.section .rodata
	.balign 8
/* Null, then a 64-bit code and a data segment at the selectors abi/boot.h names. */
pvh_gdt:
	.quad	0
	.org	pvh_gdt + LDE_BOOT_CS
	.quad	SEG_DESC(X86_DESC_P | X86_DESC_S | X86_DESC_CODE | X86_DESC_RW | X86_DESC_ACCESSED, \
			 X86_DESC_L | X86_DESC_G)
	.org	pvh_gdt + LDE_BOOT_DS
	.quad	SEG_DESC(X86_DESC_P | X86_DESC_S | X86_DESC_RW | X86_DESC_ACCESSED, \
			 X86_DESC_DB | X86_DESC_G)
pvh_gdt_end:
pvh_gdt_desc:				/* lgdt's operand in 32-bit mode: limit, 32-bit base */
	.word	pvh_gdt_end - pvh_gdt - 1
	.long	PA(pvh_gdt)

	.section .bss
	.balign X86_PAGE_SIZE
pvh_pml4:
	.skip	X86_PAGE_SIZE
pvh_pdpt:
	.skip	X86_PAGE_SIZE
pvh_pdpt_high:
	.skip	X86_PAGE_SIZE
pvh_pd:
	.skip	X86_PAGE_SIZE * PVH_PD_COUNT
/* pvh_start's stack: pvh_info_translate keeps a 1 KiB line on it. */
pvh_stack:
	.skip	PVH_STACK_SIZE
pvh_stack_top:
