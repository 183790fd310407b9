/* guest/gdt.c: the kernel's GDT and TSS, with IST stacks for the faults that need a known-good stack. */
#include "gdt.h"

#include "desc.h"
#include "kernel.h"
#include "x86.h"

#define IST_STACK_SIZE 4096u

struct tss tss;
static uint64_t gdt[GDT_ENTRIES];
static uint8_t ist_stacks[IST_COUNT][IST_STACK_SIZE] __attribute__((aligned(16)));

/* Reload CS with a far return, and the data segments, after lgdt. */
extern void gdt_reload_segments(uint16_t cs, uint16_t ds);

void gdt_init(void)
{
	const unsigned code = X86_DESC_P | X86_DESC_S | X86_DESC_CODE | X86_DESC_RW;
	const unsigned data = X86_DESC_P | X86_DESC_S | X86_DESC_RW;
	struct x86_dtr d = { .limit = sizeof(gdt) - 1, .base = (uint64_t)(uintptr_t)gdt };

	gdt[GDT_KCODE / 8] = desc_seg(code | X86_DESC_DPL(0), X86_DESC_L | X86_DESC_G);
	gdt[GDT_KDATA / 8] = desc_seg(data | X86_DESC_DPL(0), X86_DESC_DB | X86_DESC_G);
	gdt[GDT_UCODE32 / 8] = 0; /* no compatibility mode for ring 3 (gdt.h) */
	gdt[GDT_UDATA / 8] = desc_seg(data | X86_DESC_DPL(3), X86_DESC_DB | X86_DESC_G);
	gdt[GDT_UCODE / 8] = desc_seg(code | X86_DESC_DPL(3), X86_DESC_L | X86_DESC_G);
	gdt[GDT_TSS / 8] = desc_tss_lo((uint64_t)(uintptr_t)&tss, sizeof(tss) - 1);
	gdt[GDT_TSS / 8 + 1] = desc_tss_hi((uint64_t)(uintptr_t)&tss);

	for (unsigned i = 0; i < IST_COUNT; i++)
		tss.ist[i] = (uint64_t)(uintptr_t)&ist_stacks[i][IST_STACK_SIZE];
	tss.iomap_base = sizeof(tss);

	lgdt(&d);
	gdt_reload_segments(SEL_KCODE, SEL_KDATA);
	ltr(GDT_TSS);
}

void gdt_set_kernel_stack(uint64_t top)
{
	tss.rsp[0] = top;
}
