/*
 * tests/tasks/restricted.c: a task that does one thing ring 3 may not do, and must be killed
 * for it. Built once per operation (tests/tasks/tasks.mk) with -DOP='"<op>"', the name of
 * the operation, into restricted_<op>.elf. It prints "restricted: about to <op>", does it, and
 * should never print "restricted: survived". The operations run inline in main itself, so
 * that write_code stores into main's own bytes (the store instruction overwrites itself: the
 * fault's CR2 equals its RIP).
 */
#include "lde.h"

#ifndef OP
#error "build with -DOP='\"<op>\"' (tests/tasks/tasks.mk)"
#endif

#define KERNEL_TEXT "0xffffffff80100000" /* inside the kernel image: supervisor-only, R-X */
#define NONCANONICAL "0x0000800000000000" /* USER_TOP: the first non-canonical address */
#define MSR_EFER "0xc0000080"
#define MSR_KERNEL_GS_BASE "0xc0000102"
#define RFLAGS_IOPL3 0x3000ul
#define RET_OPCODE 0xc3
#define COMPAT_CS 0x1b /* GDT slot 3, RPL 3: where a 32-bit user code segment would be */

/* A global, so writable and not executable (.data: RW, NX). */
unsigned char data_code[16] = { RET_OPCODE };

/* A descriptor-table pointer for lgdt and lidt: limit 0, base 0. */
static const struct __attribute__((packed)) {
	uint16_t limit;
	uint64_t base;
} null_dtr;

static int streq(const char *a, const char *b)
{
	size_t n = strlen(a);
	return n == strlen(b) && strncmp(a, b, n) == 0;
}

int main(void)
{
	const char *op = OP;

	printf("restricted: about to %s\n", op);
	if (streq(op, "hlt")) {
		__asm__ volatile("hlt");
	} else if (streq(op, "cli")) {
		__asm__ volatile("cli");
	} else if (streq(op, "sti")) {
		__asm__ volatile("sti");
	} else if (streq(op, "in")) {
		uint8_t v;
		__asm__ volatile("inb $0x60, %0" : "=a"(v));
		printf("restricted: in read 0x%x\n", v);
	} else if (streq(op, "out")) {
		__asm__ volatile("outb %0, $0x80" : : "a"((uint8_t)0));
	} else if (streq(op, "iopl")) {
		/* From CPL 3, POPF leaves IOPL alone: the OUT after it must still fault. */
		uint64_t fl;
		__asm__ volatile("pushfq; orq %1, (%%rsp); popfq; pushfq; popq %0"
				 : "=r"(fl) : "i"(RFLAGS_IOPL3) : "cc", "memory");
		printf("restricted: IOPL after popf: %lu\n", (fl & RFLAGS_IOPL3) >> 12);
		__asm__ volatile("outb %0, $0x80" : : "a"((uint8_t)0));
	} else if (streq(op, "rdmsr")) {
		uint32_t lo, hi;
		__asm__ volatile("mov $" MSR_EFER ", %%ecx; rdmsr" : "=a"(lo), "=d"(hi) : : "rcx");
		printf("restricted: EFER = 0x%x%08x\n", hi, lo);
	} else if (streq(op, "wrmsr")) {
		/* KERNEL_GS_BASE := 0, the value it holds in ring 3 anyway. */
		__asm__ volatile("mov $" MSR_KERNEL_GS_BASE ", %%ecx; wrmsr" : : "a"(0), "d"(0) : "rcx");
	} else if (streq(op, "read_cr0")) {
		uint64_t v;
		__asm__ volatile("mov %%cr0, %0" : "=r"(v));
		printf("restricted: cr0 = 0x%lx\n", v);
	} else if (streq(op, "write_cr3")) {
		__asm__ volatile("mov %0, %%cr3" : : "r"(0ul) : "memory");
	} else if (streq(op, "read_cr4")) {
		uint64_t v;
		__asm__ volatile("mov %%cr4, %0" : "=r"(v));
		printf("restricted: cr4 = 0x%lx\n", v);
	} else if (streq(op, "lgdt")) {
		__asm__ volatile("lgdt %0" : : "m"(null_dtr) : "memory");
	} else if (streq(op, "lidt")) {
		__asm__ volatile("lidt %0" : : "m"(null_dtr) : "memory");
	} else if (streq(op, "ltr")) {
		__asm__ volatile("ltr %w0" : : "r"(0x28));
	} else if (streq(op, "invlpg")) {
		__asm__ volatile("invlpg (%0)" : : "r"(&data_code) : "memory");
	} else if (streq(op, "wbinvd")) {
		__asm__ volatile("wbinvd" : : : "memory");
	} else if (streq(op, "swapgs")) {
		__asm__ volatile("swapgs");
	} else if (streq(op, "int81")) {
		__asm__ volatile("int $0x81");
	} else if (streq(op, "read_kernel")) {
		uint64_t v;
		__asm__ volatile("movabs $" KERNEL_TEXT ", %%rax; mov (%%rax), %0" : "=r"(v) : : "rax");
		printf("restricted: read 0x%lx\n", v);
	} else if (streq(op, "write_kernel")) {
		__asm__ volatile("movabs $" KERNEL_TEXT ", %%rax; movb $0, (%%rax)" : : : "rax", "memory");
	} else if (streq(op, "jump_kernel")) {
		__asm__ volatile("movabs $" KERNEL_TEXT ", %%rax; call *%%rax"
				 : : : "rax", "rcx", "rdx", "rsi", "rdi", "r8", "r9", "r10", "r11", "memory");
	} else if (streq(op, "jump_noncanonical")) {
		__asm__ volatile("movabs $" NONCANONICAL ", %%rax; jmp *%%rax; ud2" : : : "rax");
	} else if (streq(op, "write_code")) {
		/* A store into main's text that overwrites the store instruction itself. */
		__asm__ volatile("1: movb $" "0xc3" ", 1b(%%rip)" : : : "memory");
	} else if (streq(op, "exec_stack")) {
		volatile unsigned char stack_code[16];
		stack_code[0] = RET_OPCODE;
		((void (*)(void))(uintptr_t)stack_code)();
	} else if (streq(op, "exec_data")) {
		__asm__ volatile("" : : : "memory"); /* data_code is what it is at run time */
		((void (*)(void))(uintptr_t)data_code)();
	} else if (streq(op, "compat_syscall")) {
		/*
		 * A far jump into compatibility mode, then SYSCALL there: on AMD that enters ring 0
		 * at CSTAR on this stack. The kernel has no 32-bit user code segment, so the jump
		 * itself must fault (#GP, error code the selector). A jump through memory, not a
		 * far return: QEMU's TCG pops a far return's stack as a supervisor access, which
		 * SMAP turns into a #PF before the selector is looked at.
		 */
		static struct __attribute__((packed)) {
			uint32_t offset;
			uint16_t selector;
		} target = { 0, COMPAT_CS };
		__asm__ volatile("leaq 1f(%%rip), %%rax\n\t"
				 "movl %%eax, %0\n\t"
				 "ljmpl *%0\n"
				 ".code32\n"
				 "1:\tsyscall\n\t"
				 "ud2\n\t"
				 ".code64"
				 : "+m"(target) : : "rax", "rcx", "r11", "memory");
	} else if (streq(op, "ud2")) {
		__asm__ volatile("ud2");
	} else if (streq(op, "div0")) {
		uint32_t q;
		__asm__ volatile("xorl %%edx, %%edx; divl %2" : "=a"(q) : "a"(1), "r"(0) : "rdx", "cc");
		printf("restricted: 1 / 0 = %u\n", q);
	} else {
		printf("restricted: unknown operation '%s'\n", op);
		return 2;
	}
	printf("restricted: survived %s\n", op);
	return 1;
}
