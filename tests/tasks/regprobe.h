/* tests/tasks/regprobe.h: register probes: enter the kernel with a known value in every register, and record what each holds on return. */
#ifndef TESTS_TASKS_REGPROBE_H
#define TESTS_TASKS_REGPROBE_H

#include <stdint.h>

/*
 * long regprobe_syscall(void), regprobe_int80(void): load regprobe_values into every general
 * register but RAX, RCX, R11 and RSP, put regprobe_nr in RAX, enter the kernel by SYSCALL or
 * int $0x80, and store the registers into regprobe_after in regprobe_names order (RCX last but
 * one, RSP last). They return RAX. regprobe_*_ret is the address right after the instruction:
 * where SYSCALL leaves RCX pointing. In assembly, so that the values are exactly the ones
 * loaded; RSP is put back from regprobe_rsp_before even if the kernel lost it.
 * Used by syscalls.c (every call preserves what the ABI says) and bench_check.h (the raw paths).
 */
#define REGPROBE_NREGS 14
#define REGPROBE_RCX 12 /* SYSCALL's return address: the ABI lets the kernel clobber it */
#define REGPROBE_RSP 13
static __attribute__((unused)) const char *const regprobe_names[REGPROBE_NREGS] = {
	"rbx", "rbp", "r12", "r13", "r14", "r15", "rdi", "rsi", "rdx", "r8", "r9", "r10", "rcx", "rsp",
};
const uint64_t regprobe_values[REGPROBE_RCX] = {
	0x0b0b0b0b11110001, 0x0b0b0b0b11110002, 0x0b0b0b0b11110003, 0x0b0b0b0b11110004,
	0x0b0b0b0b11110005, 0x0b0b0b0b11110006, 0x0b0b0b0b11110007, 0x0b0b0b0b11110008,
	0x0b0b0b0b11110009, 0x0b0b0b0b1111000a, 0x0b0b0b0b1111000b, 0x0b0b0b0b1111000c,
};
uint64_t regprobe_nr; /* the system call the probes make */
uint64_t regprobe_after[REGPROBE_NREGS];
uint64_t regprobe_rsp_before;

long regprobe_syscall(void);
long regprobe_int80(void);
extern char regprobe_syscall_ret[], regprobe_int80_ret[];

__asm__(".macro REGPROBE name, insn\n"
	"	.text\n"
	"	.globl \\name\n"
	"	.type \\name, @function\n"
	"\\name:\n"
	"	push %rbx\n"
	"	push %rbp\n"
	"	push %r12\n"
	"	push %r13\n"
	"	push %r14\n"
	"	push %r15\n"
	"	mov %rsp, regprobe_rsp_before(%rip)\n"
	"	mov regprobe_values+0(%rip), %rbx\n"
	"	mov regprobe_values+8(%rip), %rbp\n"
	"	mov regprobe_values+16(%rip), %r12\n"
	"	mov regprobe_values+24(%rip), %r13\n"
	"	mov regprobe_values+32(%rip), %r14\n"
	"	mov regprobe_values+40(%rip), %r15\n"
	"	mov regprobe_values+48(%rip), %rdi\n"
	"	mov regprobe_values+56(%rip), %rsi\n"
	"	mov regprobe_values+64(%rip), %rdx\n"
	"	mov regprobe_values+72(%rip), %r8\n"
	"	mov regprobe_values+80(%rip), %r9\n"
	"	mov regprobe_values+88(%rip), %r10\n"
	"	mov regprobe_nr(%rip), %rax\n"
	"	\\insn\n"
	"	.globl \\name\\()_ret\n"
	"\\name\\()_ret:\n"
	"	mov %rbx, regprobe_after+0(%rip)\n"
	"	mov %rbp, regprobe_after+8(%rip)\n"
	"	mov %r12, regprobe_after+16(%rip)\n"
	"	mov %r13, regprobe_after+24(%rip)\n"
	"	mov %r14, regprobe_after+32(%rip)\n"
	"	mov %r15, regprobe_after+40(%rip)\n"
	"	mov %rdi, regprobe_after+48(%rip)\n"
	"	mov %rsi, regprobe_after+56(%rip)\n"
	"	mov %rdx, regprobe_after+64(%rip)\n"
	"	mov %r8, regprobe_after+72(%rip)\n"
	"	mov %r9, regprobe_after+80(%rip)\n"
	"	mov %r10, regprobe_after+88(%rip)\n"
	"	mov %rcx, regprobe_after+96(%rip)\n"
	"	mov %rsp, regprobe_after+104(%rip)\n"
	"	mov regprobe_rsp_before(%rip), %rsp\n"
	"	pop %r15\n"
	"	pop %r14\n"
	"	pop %r13\n"
	"	pop %r12\n"
	"	pop %rbp\n"
	"	pop %rbx\n"
	"	ret\n"
	"	.size \\name, . - \\name\n"
	".endm\n"
	"REGPROBE regprobe_syscall, syscall\n"
	"REGPROBE regprobe_int80, \"int $0x80\"\n");

/* regprobe_want: what register i must hold after a call that preserves it. */
static __attribute__((unused)) uint64_t regprobe_want(unsigned i)
{
	return i < REGPROBE_RCX ? regprobe_values[i] : regprobe_rsp_before;
}

#endif
