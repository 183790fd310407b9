/* vmm/cpu.c: puts the vCPU straight into 64-bit long mode; nothing runs in real mode. */
#include "cpu.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>

#include "../abi/boot.h"
#include "../abi/exit.h"
#include "../abi/x86.h"
#include "log.h"

#define GDT_ENTRIES 3 /* null, code, data */

uint64_t cpu_seg_desc(const struct kvm_segment *s)
{
	uint64_t access = (uint64_t)s->type | (uint64_t)s->s << 4 | (uint64_t)s->dpl << 5 |
			  (uint64_t)s->present << 7;
	uint64_t flags = (uint64_t)s->avl | (uint64_t)s->l << 1 | (uint64_t)s->db << 2 |
			 (uint64_t)s->g << 3;
	/* With G set the descriptor holds the limit in 4 KiB units. */
	uint64_t limit = s->g ? s->limit >> 12 : s->limit;

	return (limit & 0xffff) | ((uint64_t)s->base & 0xffffff) << 16 | access << 40 |
	       ((limit >> 16) & 0xf) << 48 | flags << 52 | ((uint64_t)s->base >> 24 & 0xff) << 56;
}

struct kvm_segment cpu_boot_code_seg(void)
{
	return (struct kvm_segment){
		.base = 0, .limit = 0xffffffff, .selector = LDE_BOOT_CS,
		.type = X86_DESC_CODE | X86_DESC_RW | X86_DESC_ACCESSED,
		.present = 1, .dpl = 0, .db = 0, .s = 1, .l = 1, .g = 1,
	};
}

struct kvm_segment cpu_boot_data_seg(void)
{
	return (struct kvm_segment){
		.base = 0, .limit = 0xffffffff, .selector = LDE_BOOT_DS,
		.type = X86_DESC_RW | X86_DESC_ACCESSED,
		.present = 1, .dpl = 0, .db = 1, .s = 1, .l = 0, .g = 1,
	};
}

int cpu_build_boot_tables(const struct gmem *gm)
{
	uint64_t npd = (gm->size + (1ull << 30) - 1) >> 30;
	uint64_t *gdt = gmem_ptr(gm, LDE_BOOT_GDT_GPA, GDT_ENTRIES * 8);
	uint64_t *pml4 = gmem_ptr(gm, LDE_BOOT_PML4_GPA, X86_PAGE_SIZE);
	uint64_t *pdpt = gmem_ptr(gm, LDE_BOOT_PDPT_GPA, X86_PAGE_SIZE);
	uint64_t *pdpt_high = gmem_ptr(gm, LDE_BOOT_PDPT_HIGH_GPA, X86_PAGE_SIZE);
	uint64_t *pd = gmem_ptr(gm, LDE_BOOT_PD_GPA, LDE_BOOT_PD_MAX * X86_PAGE_SIZE);
	struct kvm_segment cs = cpu_boot_code_seg(), ds = cpu_boot_data_seg();

	if (!gdt || !pml4 || !pdpt || !pdpt_high || !pd || npd > LDE_BOOT_PD_MAX ||
	    gm->size % X86_LARGE_PAGE_SIZE != 0)
		return -1;
	gdt[0] = 0;
	gdt[LDE_BOOT_CS / 8] = cpu_seg_desc(&cs);
	gdt[LDE_BOOT_DS / 8] = cpu_seg_desc(&ds);

	memset(pml4, 0, X86_PAGE_SIZE);
	memset(pdpt, 0, X86_PAGE_SIZE);
	memset(pdpt_high, 0, X86_PAGE_SIZE);
	memset(pd, 0, LDE_BOOT_PD_MAX * X86_PAGE_SIZE);
	pml4[0] = LDE_BOOT_PDPT_GPA | X86_PTE_P | X86_PTE_W;
	pml4[X86_PT_INDEX(LDE_BOOT_HIGH_ALIAS, 3)] = LDE_BOOT_PDPT_HIGH_GPA | X86_PTE_P | X86_PTE_W;
	for (uint64_t i = 0; i < npd; i++) {
		uint64_t pde = (LDE_BOOT_PD_GPA + i * X86_PAGE_SIZE) | X86_PTE_P | X86_PTE_W;
		pdpt[i] = pde;
		/* The high alias shares the page directories of the first 2 GiB. */
		if (i < LDE_BOOT_HIGH_ALIAS_GIB)
			pdpt_high[X86_PT_INDEX(LDE_BOOT_HIGH_ALIAS, 2) + i] = pde;
	}
	/* The page directories are contiguous: entry i maps [i * 2 MiB, (i + 1) * 2 MiB). */
	for (uint64_t i = 0; i < gm->size / X86_LARGE_PAGE_SIZE; i++)
		pd[i] = i * X86_LARGE_PAGE_SIZE | X86_PTE_P | X86_PTE_W | X86_PTE_PS;
	return 0;
}

static void vcpu_ioctl(int fd, unsigned long req, void *arg, const char *name)
{
	if (ioctl(fd, req, arg) < 0)
		vmm_err(LDE_EXIT_VMM_ERROR, "%s", name);
}

void cpu_enter_long_mode(int vcpu_fd, uint64_t entry)
{
	struct kvm_sregs sregs;
	struct kvm_regs regs;
	struct kvm_segment cs = cpu_boot_code_seg(), ds = cpu_boot_data_seg();

	vcpu_ioctl(vcpu_fd, KVM_GET_SREGS, &sregs, "KVM_GET_SREGS");
	sregs.cs = cs;
	sregs.ds = sregs.es = sregs.fs = sregs.gs = sregs.ss = ds;
	sregs.ds.selector = sregs.es.selector = sregs.fs.selector = sregs.gs.selector =
		sregs.ss.selector = LDE_BOOT_DS;
	/*
	 * VM entry wants a usable TR of type "busy 64-bit TSS" even though nothing uses it
	 * until the kernel loads its own; point it at an empty 104-byte TSS-sized area.
	 */
	sregs.tr = (struct kvm_segment){ .base = 0, .limit = 0x67, .selector = 0,
					 .type = X86_DESC_TYPE_TSS_BUSY, .present = 1 };
	sregs.gdt.base = LDE_BOOT_GDT_GPA;
	sregs.gdt.limit = GDT_ENTRIES * 8 - 1;
	sregs.idt.base = 0;
	sregs.idt.limit = 0; /* no IDT: any exception before the kernel's own is a triple fault */
	sregs.cr0 = X86_CR0_PE | X86_CR0_MP | X86_CR0_ET | X86_CR0_NE | X86_CR0_WP | X86_CR0_PG;
	sregs.cr3 = LDE_BOOT_PML4_GPA;
	sregs.cr4 = X86_CR4_PAE | X86_CR4_OSFXSR | X86_CR4_OSXMMEXCPT;
	sregs.efer = X86_EFER_LME | X86_EFER_LMA | X86_EFER_NXE;
	vcpu_ioctl(vcpu_fd, KVM_SET_SREGS, &sregs, "KVM_SET_SREGS");

	memset(&regs, 0, sizeof(regs));
	regs.rflags = X86_RFLAGS_FIXED;
	regs.rip = entry;
	regs.rsp = LDE_BOOT_STACK_TOP;
	regs.rdi = LDE_BOOT_INFO_GPA;
	vcpu_ioctl(vcpu_fd, KVM_SET_REGS, &regs, "KVM_SET_REGS");
}

void cpu_dump(int vcpu_fd)
{
	struct kvm_regs r;
	struct kvm_sregs s;

	if (ioctl(vcpu_fd, KVM_GET_REGS, &r) < 0 || ioctl(vcpu_fd, KVM_GET_SREGS, &s) < 0) {
		vmm_warn("cannot read vCPU registers");
		return;
	}
	fprintf(stderr,
		"vmm: rip=%016llx rsp=%016llx rflags=%016llx\n"
		"vmm: rax=%016llx rbx=%016llx rcx=%016llx rdx=%016llx\n"
		"vmm: rsi=%016llx rdi=%016llx rbp=%016llx r8 =%016llx\n"
		"vmm: r9 =%016llx r10=%016llx r11=%016llx r12=%016llx\n"
		"vmm: r13=%016llx r14=%016llx r15=%016llx\n"
		"vmm: cs=%04x (dpl %u) ss=%04x cr0=%llx cr2=%llx cr3=%llx cr4=%llx efer=%llx\n"
		"vmm: gdt=%llx/%x idt=%llx/%x tr=%04x\n",
		r.rip, r.rsp, r.rflags, r.rax, r.rbx, r.rcx, r.rdx, r.rsi, r.rdi, r.rbp, r.r8, r.r9,
		r.r10, r.r11, r.r12, r.r13, r.r14, r.r15, s.cs.selector, s.cs.dpl, s.ss.selector,
		s.cr0, s.cr2, s.cr3, s.cr4, s.efer, s.gdt.base, s.gdt.limit, s.idt.base, s.idt.limit,
		s.tr.selector);
}
